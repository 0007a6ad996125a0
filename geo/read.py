"""Reading articles: files, folders, standard input, HTML pages, JSON Lines and CSV archives,
and their publication dates.

Reading is in two steps, so that a run over a million articles never holds them all:

1. ``iter_sources`` *locates* articles, lazily and in a fixed order: a folder is walked one
   directory at a time (by name, as a sorted list of every path would be), a JSON Lines or CSV
   archive (``.jsonl``, ``.ndjson``, ``.csv``, each optionally ``.gz``) one record at a time. It
   yields small picklable ``Source`` values (a path, or one record's text) that can be sent to
   another process or a Dask worker.
2. ``load_source`` *parses* one source into a ``Document`` (decoding, HTML main text,
   publication date) where the work runs.

``read_inputs`` chains both, as before. A bad file or record never stops the others: it
becomes a ``DocumentStatus`` with status ``error`` naming the input and the problem. Only a
path that does not exist at all, or an archive without a text column, is a usage error, raised
by ``check_paths`` before anything is read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import zlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from geo.dates import dateline
from geo.model import Document, DocumentStatus
from movemap.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
MAX_BYTES = 20 * 1024 * 1024

# Record fields (JSON Lines keys, CSV columns), first match wins.
ID_FIELDS = ("doc_id", "id", "file")
TEXT_FIELDS = ("text", "body", "content", "article")
HTML_FIELDS = ("html",)
PUBLISHED_FIELDS = ("published", "date")
META_FIELDS = ("title", "outlet", "url")


@dataclass(frozen=True, slots=True)
class Source:
    """One article located but not yet parsed: cheap to make, small to send to a worker.

    A file source has ``path`` (and ``data`` once its bytes were read, to ship them to a
    machine that cannot see the file); a record source (one JSON Lines or CSV record) has
    ``text`` or ``html`` and its own ``published``/``title``/``outlet``/``url`` in ``meta``.
    """

    id: str
    path: str | None
    suffix: str
    meta: tuple[tuple[str, str], ...] = ()
    published: date | None = None  # --published: wins over everything
    data: bytes | None = None
    text: str | None = None
    html: bool = False
    record: bool = False

    def with_data(self) -> "Source | DocumentStatus":
        """This source with its file's bytes attached (for workers on other machines)."""
        if self.record or self.data is not None or self.path is None:
            return self
        return _guard(self.id, self.path, lambda: replace(self, data=_read_file(Path(self.path))))


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(f"{what}: {value!r} is not a date (expected YYYY-MM-DD)") from None


class _Catalog(Mapping):
    """Catalog rows by file name, stored as tuples (a million-row catalog stays small)."""

    def __init__(self, fields: list[str], rows: dict[str, tuple[str, ...]]):
        self._fields = fields
        self._rows = rows

    def __getitem__(self, key: str) -> dict[str, str]:
        return dict(zip(self._fields, self._rows[key]))

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def load_catalog(path: Path) -> Mapping[str, dict[str, str]]:
    """``catalog.csv`` rows by file name: at least ``file,published``; ``outlet,title,url`` optional."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header or "file" not in header:
                raise InputError(f"{path}: catalog needs a 'file' column (has {header})")
            fields = [h for h in header]
            keep = [i for i, h in enumerate(fields) if h]
            names = [fields[i] for i in keep]
            at = fields.index("file")
            rows: dict[str, tuple[str, ...]] = {}
            for row in reader:
                name = (row[at] if at < len(row) else "").strip()
                if name:
                    rows[name] = tuple((row[i] if i < len(row) else "").strip() for i in keep)
            return _Catalog(names, rows)
    except OSError as exc:
        raise InputError(f"{path}: cannot read catalog: {exc.strerror}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read catalog: {exc}") from None


def _kind(path: Path) -> str:
    """``jsonl``, ``csv``, ``text``, ``html`` or ``""`` (not an article file) by file name."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return ""


def check_paths(inputs: Iterable[str]) -> list[str]:
    """Fail fast, before any work, on inputs that do not exist and archives without text."""
    out = list(inputs)
    for raw in out:
        if raw == "-":
            continue
        p = Path(raw)
        if not p.exists():
            raise InputError(f"input not found: {raw}")
        if p.is_file() and _kind(p) == "csv":
            _csv_columns(p)
    return out


def _sorted_walk(root: Path, rel: str = "") -> Iterator[tuple[str, Path]]:
    """Files under ``root`` as (relative posix path, path), in the order of a sorted list of
    relative paths, one directory in memory at a time. Hidden entries are skipped, and like
    ``Path.rglob`` symlinked directories are not followed."""
    try:
        with os.scandir(root) as it:
            entries = []
            for e in it:
                if e.name.startswith("."):
                    continue
                try:
                    is_dir = e.is_dir(follow_symlinks=False)
                    is_file = not is_dir and e.is_file()
                except OSError:
                    continue
                if is_dir or is_file:
                    # "a/" sorts where the paths inside folder "a" sort among its siblings.
                    entries.append((e.name + "/" if is_dir else e.name, e.name, is_dir))
    except OSError:
        return
    entries.sort()
    for _key, name, is_dir in entries:
        path = root / name
        if is_dir:
            yield from _sorted_walk(path, f"{rel}{name}/")
        else:
            yield f"{rel}{name}", path


def _files(root: Path) -> Iterator[Path]:
    """Article files (text, HTML, JSON Lines) of a file or folder, lazily, sorted by relative path."""
    if root.is_file():
        yield root
        return
    for _rel, path in _sorted_walk(root):
        if _kind(path) in ("text", "html", "jsonl"):
            yield path


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252/Latin-1; binary data is an error."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > 8:
        raise InputError(f"{name}: binary file (not UTF-8 or Latin-1 text)")
    return text


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page (trafilatura: boilerplate-aware extraction)."""
    import trafilatura  # imported lazily: heavy, and only HTML inputs need it

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text, title


def _make_document(doc_id: str, path: str | None, data: bytes | str, suffix: str, meta: Mapping[str, str],
                   published: date | None, basis_of_meta: str = "catalog") -> Document:
    text = decode(data, path or doc_id) if isinstance(data, bytes) else data
    title = meta.get("title") or None
    if suffix in HTML_SUFFIXES:
        text, html_title = html_to_text(text)
        title = title or html_title
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path or doc_id}: no article text found")
    basis = None
    if published:
        basis = "--published"
    elif meta.get("published"):
        what = f"catalog entry for {doc_id}" if basis_of_meta == "catalog" else f"{path or doc_id}: published"
        published = parse_day(meta["published"], what)
        basis = basis_of_meta
    else:
        published = dateline(text)
        basis = "text" if published else None
    if title is None:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first[:200] or None
    return Document(doc_id, text, published, title, meta.get("outlet") or None, meta.get("url") or None, path, basis)


def _read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{path}: file too large ({size} bytes, limit {MAX_BYTES})")
    return path.read_bytes()


def load_source(src: Source) -> Document | DocumentStatus:
    """Parse one located article (the per-document part of reading; runs wherever the work runs)."""
    meta = dict(src.meta)
    if src.record:
        def make():
            if src.text is None:
                raise InputError(f"{src.path}: record {src.id!r} has no text")
            if len(src.text) > MAX_BYTES:
                raise InputError(f"{src.path}: record {src.id!r}: text too large ({len(src.text)} characters, "
                                 f"limit {MAX_BYTES})")
            if not src.text.strip():
                raise InputError(f"{src.path}: record {src.id!r} has empty text")
            return _make_document(src.id, src.path, src.text, ".html" if src.html else ".txt", meta,
                                  src.published, "record")
        return _guard(src.id, src.path, make)

    def make_file():
        data = src.data if src.data is not None else (
            _read_file(Path(src.path)) if src.path is not None else b"")
        return _make_document(src.id, src.path, data, src.suffix, meta, src.published)

    return _guard(src.id, src.path, make_file)


def read_inputs(
    inputs: Iterable[str],
    catalog: Path | None = None,
    published: date | None = None,
    stdin: io.BufferedReader | None = None,
) -> Iterator[Document | DocumentStatus]:
    """Documents in input order (folders recursively, by name; archives record by record),
    or error statuses for bad ones."""
    for item in iter_sources(inputs, catalog, published, stdin):
        yield load_source(item) if isinstance(item, Source) else item


def iter_sources(
    inputs: Iterable[str],
    catalog: Path | None = None,
    published: date | None = None,
    stdin: io.BufferedReader | None = None,
) -> Iterator[Source | DocumentStatus]:
    """Every article of ``inputs`` located, lazily, in input order; read errors as statuses.

    Document ids: a file's path relative to the input it came from (as before); a record's
    ``doc_id`` (or ``id``), else ``<archive name>:<line or row>``. An id seen before is read
    once: a repeated file is skipped, a repeated record id is an error status.
    """
    extra = load_catalog(catalog) if catalog else {}
    seen: set[str] = set()
    for raw in inputs:
        if raw == "-":
            stream = stdin or sys.stdin.buffer
            try:
                data = stream.read(MAX_BYTES + 1)
            except OSError as exc:
                yield DocumentStatus("stdin", None, "error", f"stdin: cannot read: {exc.strerror or exc}")
                continue
            if len(data) > MAX_BYTES:
                yield DocumentStatus("stdin", None, "error", f"stdin: too large (more than {MAX_BYTES} bytes)")
                continue
            yield Source("stdin", None, ".txt", _meta(extra.get("stdin")), published, data=data)
            continue
        root = Path(raw)
        if not root.exists():
            raise InputError(f"input not found: {raw}")
        local: Mapping[str, dict[str, str]] = extra
        base = root if root.is_dir() else root.parent
        inner = base / "catalog.csv"
        if inner.is_file() and not catalog:
            local = load_catalog(inner)
        for path in _files(root):
            doc_id = path.relative_to(base).as_posix()
            kind = _kind(path)
            if kind in ("jsonl", "csv"):
                yield from _records(path, doc_id, kind, local, published, seen)
                continue
            if doc_id in seen:
                continue
            seen.add(doc_id)
            meta = _meta(local.get(doc_id) or local.get(path.name))
            yield Source(doc_id, str(path), path.suffix.lower(), meta, published)


def _meta(row: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if not row:
        return ()
    return tuple((k, row[k]) for k in ("published", "title", "outlet", "url") if row.get(k))


def _first(record: Mapping, names: tuple[str, ...]):
    for n in names:
        v = record.get(n)
        if v is not None and v != "":
            return v
    return None


def _open_text(path: Path, encoding: str = "utf-8-sig"):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


def _records(path: Path, name: str, kind: str, catalog: Mapping[str, dict[str, str]], published: date | None,
             seen: set[str]) -> Iterator[Source | DocumentStatus]:
    rows = _jsonl_rows(path, name) if kind == "jsonl" else _csv_rows(path, name)
    for where, record in rows:
        if isinstance(record, DocumentStatus):
            yield record
            continue
        loc = f"{path}:{where}"
        raw_id = _first(record, ID_FIELDS)
        doc_id = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else f"{name}:{where}"
        if doc_id in seen:
            yield DocumentStatus(f"{name}:{where}", loc, "error",
                                 f"{loc}: duplicate doc_id {doc_id!r} (already read); record skipped")
            continue
        seen.add(doc_id)
        text = _first(record, TEXT_FIELDS)
        html = False
        if text is None and _first(record, HTML_FIELDS) is not None:
            text, html = _first(record, HTML_FIELDS), True
        if text is not None and not isinstance(text, str):
            yield DocumentStatus(doc_id, loc, "error", f"{loc}: 'text' is not a string")
            continue
        meta = dict(catalog.get(doc_id) or {}) if catalog else {}
        for key, names in (("published", PUBLISHED_FIELDS), ("title", ("title",)), ("outlet", ("outlet",)),
                           ("url", ("url",))):
            v = _first(record, names)
            if v is not None:
                meta[key] = str(v).strip()
        yield Source(doc_id, loc, ".txt", _meta(meta), published, text=text, html=html, record=True)


def _jsonl_rows(path: Path, name: str) -> Iterator[tuple[int, dict | DocumentStatus]]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                loc = f"{path}:{lineno}"
                try:
                    record = json.loads(line)
                except (UnicodeDecodeError, ValueError) as exc:
                    msg = str(exc).split("\n")[0]
                    yield lineno, DocumentStatus(f"{name}:{lineno}", loc, "error", f"{loc}: not a JSON object ({msg})")
                    continue
                if not isinstance(record, dict):
                    yield lineno, DocumentStatus(f"{name}:{lineno}", loc, "error",
                                                 f"{loc}: not a JSON object ({type(record).__name__})")
                    continue
                yield lineno, record
    except (OSError, EOFError, zlib.error) as exc:
        loc = f"{path}:{lineno + 1}"
        yield lineno + 1, DocumentStatus(f"{name}:{lineno + 1}", loc, "error",
                                         f"{loc}: cannot read further: {getattr(exc, 'strerror', None) or exc}")


def _csv_dialect(path: Path) -> str:
    return "excel-tab" if path.name.lower().endswith((".tsv", ".tsv.gz")) else "excel"


def _csv_columns(path: Path) -> list[str]:
    """The header of an article CSV; it must have a text column."""
    try:
        with _open_text(path) as fh:
            header = next(csv.reader(fh, dialect=_csv_dialect(path)), None)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    cols = [h.strip().lower() for h in header or []]
    if not any(c in cols for c in TEXT_FIELDS + HTML_FIELDS):
        raise InputError(f"{path}: no text column (expected one of {', '.join(TEXT_FIELDS)}; has {header})")
    return cols


def _csv_rows(path: Path, name: str) -> Iterator[tuple[int, dict | DocumentStatus]]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))
    rowno = 1
    try:
        cols = _csv_columns(path)
    except InputError as exc:
        yield 1, DocumentStatus(name, str(path), "error", str(exc))
        return
    try:
        with _open_text(path) as fh:
            reader = csv.reader(fh, dialect=_csv_dialect(path))
            next(reader, None)
            for rowno, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                yield rowno, {c: v for c, v in zip(cols, row) if c}
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        loc = f"{path}:{rowno + 1}"
        yield rowno + 1, DocumentStatus(f"{name}:{rowno + 1}", loc, "error",
                                        f"{loc}: cannot read further: {getattr(exc, 'strerror', None) or exc}")


def count_sources(inputs: Iterable[str]) -> int:
    """How many articles ``iter_sources`` will yield, roughly (for a progress bar's total);
    never parses article text. Standard input counts one."""
    n = 0
    for raw in inputs:
        if raw == "-":
            n += 1
            continue
        root = Path(raw)
        try:
            for path in _files(root):
                kind = _kind(path)
                if kind == "jsonl":
                    n += _count_lines(path)
                elif kind == "csv":
                    n += _count_csv(path)
                else:
                    n += 1
        except OSError:
            continue
    return n


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError, zlib.error):
        pass
    return n + (last != b"\n")


def _count_csv(path: Path) -> int:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))
    try:
        with _open_text(path) as fh:
            return max(0, sum(1 for _ in csv.reader(fh, dialect=_csv_dialect(path))) - 1)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error):
        return 0


def _guard(doc_id: str, path: str | None, make) -> Document | DocumentStatus:
    try:
        return make()
    except InputError as exc:
        return DocumentStatus(doc_id, path, "error", str(exc))
    except OSError as exc:
        return DocumentStatus(doc_id, path, "error", f"{path or doc_id}: cannot read: {exc.strerror or exc}")
