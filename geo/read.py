"""Reading articles: files, folders, standard input, HTML pages, and their publication dates.

A bad file never stops the others: ``read_inputs`` yields either a ``Document`` or a
``DocumentStatus`` with status ``error`` naming the file and the problem. Only a path that
does not exist at all is a usage error, raised before anything is read.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from geo.dates import dateline
from geo.model import Document, DocumentStatus
from movemap.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 20 * 1024 * 1024


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(f"{what}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def load_catalog(path: Path) -> dict[str, dict[str, str]]:
    """``catalog.csv`` rows by file name: at least ``file,published``; ``outlet,title,url`` optional."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise InputError(f"{path}: catalog needs a 'file' column (has {reader.fieldnames})")
            rows = {}
            for row in reader:
                name = (row.get("file") or "").strip()
                if name:
                    rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
            return rows
    except OSError as exc:
        raise InputError(f"{path}: cannot read catalog: {exc.strerror}") from None


def check_paths(inputs: Iterable[str]) -> list[str]:
    """Fail fast, before any work, on inputs that do not exist."""
    out = list(inputs)
    for raw in out:
        if raw != "-" and not Path(raw).exists():
            raise InputError(f"input not found: {raw}")
    return out


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = [p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted((p for p in found if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES),
                  key=lambda p: p.relative_to(root).as_posix())


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


def _make_document(doc_id: str, path: str | None, data: bytes, suffix: str, meta: dict[str, str],
                   published: date | None) -> Document:
    text = decode(data, path or doc_id)
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
        published = parse_day(meta["published"], f"catalog entry for {doc_id}")
        basis = "catalog"
    else:
        published = dateline(text)
        basis = "text" if published else None
    if title is None:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first[:200] or None
    return Document(doc_id, text, published, title, meta.get("outlet") or None, meta.get("url") or None, path, basis)


def read_inputs(
    inputs: Iterable[str],
    catalog: Path | None = None,
    published: date | None = None,
    stdin: io.BufferedReader | None = None,
) -> Iterator[Document | DocumentStatus]:
    """Documents in input order (folders recursively, by name), or error statuses for bad ones."""
    extra = load_catalog(catalog) if catalog else {}
    seen: set[str] = set()
    for raw in inputs:
        if raw == "-":
            stream = stdin or sys.stdin.buffer
            yield _guard("stdin", None, lambda: _make_document("stdin", None, stream.read(MAX_BYTES + 1), ".txt",
                                                                extra.get("stdin", {}), published))
            continue
        root = Path(raw)
        if not root.exists():
            raise InputError(f"input not found: {raw}")
        local = dict(extra)
        base = root if root.is_dir() else root.parent
        inner = base / "catalog.csv"
        if inner.is_file() and not catalog:
            local = {**load_catalog(inner), **extra}
        for path in _files(root):
            doc_id = path.relative_to(base).as_posix()
            if doc_id in seen:
                continue
            seen.add(doc_id)
            meta = local.get(doc_id) or local.get(path.name) or {}

            def make(path=path, doc_id=doc_id, meta=meta):
                size = path.stat().st_size
                if size > MAX_BYTES:
                    raise InputError(f"{path}: file too large ({size} bytes, limit {MAX_BYTES})")
                return _make_document(doc_id, str(path), path.read_bytes(), path.suffix.lower(), meta, published)

            yield _guard(doc_id, str(path), make)


def _guard(doc_id: str, path: str | None, make) -> Document | DocumentStatus:
    try:
        return make()
    except InputError as exc:
        return DocumentStatus(doc_id, path, "error", str(exc))
    except OSError as exc:
        return DocumentStatus(doc_id, path, "error", f"{path or doc_id}: cannot read: {exc.strerror or exc}")
