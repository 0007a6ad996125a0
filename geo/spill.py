"""A run's per-document material kept on disk, not in memory: the merge's spill store.

What grows with the number of articles (every article's metadata and status, the articles
that name each place, the sentences quoted as evidence) goes into a private temporary SQLite
database (``sqlite3.connect("")``: on disk, removed when closed) while the results come in.
The merged ``Route`` then refers to it through read-only sequences (``Spilled``) that read
their rows when iterated, in the order the in-memory route would have them; the writers in
``maps/`` stream them out, so the main process holds the route's structure (places, legs,
events) but not the corpus.

A ``Spilled`` sequence behaves like the tuple it stands for (``len``, iteration, indexing,
``==`` with tuples, hashing, pickling as a tuple); it stays readable as long as the route
that holds it (the store closes when nothing refers to it any more).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from geo.model import DocumentMeta, DocumentStatus, Evidence
from movemap.errors import SpillError

__all__ = ["SpillStore", "Spilled", "key"]


def key(doc_id: str) -> bytes:
    """A document id as bytes whose byte order is Python's string order (UTF-8 keeps code point
    order; ``surrogatepass`` keeps ids from undecodable file names)."""
    return doc_id.encode("utf-8", "surrogatepass")


def unkey(b: bytes) -> str:
    return bytes(b).decode("utf-8", "surrogatepass")


_SCHEMA = """
CREATE TABLE docs (k BLOB NOT NULL, seq INTEGER NOT NULL, ok INTEGER NOT NULL,
                   sid BLOB, path BLOB, status BLOB, error BLOB, published TEXT, basis BLOB, mentions INTEGER,
                   events INTEGER, title BLOB, outlet BLOB, mpublished TEXT, url BLOB);
CREATE TABLE place_sources (place INTEGER NOT NULL, doc BLOB NOT NULL);
CREATE TABLE place_evidence (place INTEGER NOT NULL, doc BLOB NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL,
                             sentence BLOB NOT NULL);
CREATE TABLE doc_events (k BLOB NOT NULL, seq INTEGER NOT NULL, i INTEGER NOT NULL, pub INTEGER, blob BLOB NOT NULL);
CREATE TABLE sentences (doc BLOB NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL, sentence BLOB NOT NULL,
                        PRIMARY KEY (doc, start, stop)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS docs_order ON docs (k, seq);
CREATE INDEX IF NOT EXISTS doc_events_order ON doc_events (k, seq, i);
CREATE INDEX IF NOT EXISTS place_sources_order ON place_sources (place, doc);
CREATE INDEX IF NOT EXISTS place_evidence_order ON place_evidence (place, doc, start, stop, sentence);
"""


_META = "k, title, outlet, mpublished, url"
_STATUS = "sid, path, status, error, published, basis, mentions, events"


def _b(s: str | None) -> bytes | None:
    return None if s is None else s.encode("utf-8", "surrogatepass")


def _s(b: bytes | None) -> str | None:
    return None if b is None else bytes(b).decode("utf-8", "surrogatepass")


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def _meta(r: tuple) -> DocumentMeta:
    return DocumentMeta(_s(r[0]), _s(r[1]), _s(r[2]), _date(r[3]), _s(r[4]))


def _status(r: tuple) -> DocumentStatus:
    return DocumentStatus(_s(r[0]), _s(r[1]), _s(r[2]), _s(r[3]), _date(r[4]), _s(r[5]), r[6], r[7])


def _text(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _untext(b: bytes) -> str:
    return bytes(b).decode("utf-8", "surrogatepass")


class SpillStore:
    """The temporary database of one merge. Writes come from the merging thread; reads (when
    the outputs are written) may come later, from any thread, one at a time."""

    def __init__(self) -> None:
        # A named file in the temporary folder (TMPDIR), unlinked as soon as it is open: it
        # takes no space once the store closes or the process dies, and errors can name it.
        self.path = ""
        try:
            fd, self.path = tempfile.mkstemp(prefix="movemap-spill-", suffix=".sqlite")
            os.close(fd)
            self._db = _Guarded(sqlite3.connect(self.path, check_same_thread=False, isolation_level=None), self._error)
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.executescript(_SCHEMA)
            self._db.execute("BEGIN")
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from exc
        finally:
            if self.path:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
        self._lock = threading.Lock()
        self._indexed = False

    def _error(self, exc: BaseException) -> SpillError:
        """A failure of the database (a full disk, most often) as a ``SpillError`` naming the file."""
        folder = os.path.dirname(self.path) or tempfile.gettempdir()
        return SpillError(f"temporary database {self.path or folder} (deleted when the run ends): {exc}; "
                          f"is {folder} full? Set TMPDIR to a folder with more free space")

    # ------------------------------------------------------------------ writing
    def add_document(self, doc_id: str, seq: int, status: DocumentStatus, meta: DocumentMeta | None) -> None:
        s, m = status, meta
        if m is not None and m.id != doc_id:
            raise ValueError(f"document {doc_id!r} with metadata of {m.id!r}")
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            key(doc_id), seq, 1 if m is not None else 0, _b(s.id), _b(s.path), _b(s.status), _b(s.error),
            _day(s.published), _b(s.published_basis), s.mentions, s.events,
            None if m is None else _b(m.title), None if m is None else _b(m.outlet),
            None if m is None else _day(m.published), None if m is None else _b(m.url)))

    def add_place_sources(self, rows: Iterable[tuple[int, str]]) -> None:
        self._db.executemany("INSERT INTO place_sources VALUES (?, ?)", ((p, key(d)) for p, d in rows))

    def add_place_evidence(self, rows: Iterable[tuple[int, Evidence]]) -> None:
        self._db.executemany("INSERT INTO place_evidence VALUES (?, ?, ?, ?, ?)",
                             ((p, key(e.document), e.start, e.end, _text(e.sentence)) for p, e in rows))

    def add_sentences(self, evidence: Iterable[Evidence]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO sentences VALUES (?, ?, ?, ?)",
                             ((key(e.document), e.start, e.end, _text(e.sentence)) for e in evidence))

    def add_events(self, doc_id: str, seq: int, published: date | None, blobs: Iterable[bytes]) -> None:
        """A document's movement events (encoded by the route builder), in their order."""
        pub = None if published is None else published.toordinal()
        self._db.executemany("INSERT INTO doc_events VALUES (?, ?, ?, ?, ?)",
                             ((key(doc_id), seq, i, pub, b) for i, b in enumerate(blobs)))

    def execute(self, sql: str, args: tuple = ()) -> None:
        with self._lock:
            self._db.execute(sql, args)

    def executemany(self, sql: str, rows: Iterable[tuple]) -> None:
        with self._lock:
            self._db.executemany(sql, rows)

    def executescript(self, sql: str) -> None:
        """Statements (indexes, tables) outside a transaction; a transaction is open again after."""
        with self._lock:
            if self._db.in_transaction:
                self._db.execute("COMMIT")
            self._db.executescript(sql)
            self._db.execute("BEGIN")

    def commit(self) -> None:
        with self._lock:
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    def finish(self) -> None:
        """Index what was written (once, after the last write)."""
        if not self._indexed:
            self._db.execute("COMMIT")
            self._db.executescript(_INDEXES)
            self._indexed = True

    # ------------------------------------------------------------------ reading
    def rows(self, sql: str, args: tuple = ()) -> Iterator[tuple]:
        """The rows of a query, fetched in batches (the lock is held per batch, so two readers
        may interleave)."""
        with self._lock:
            cur = self._db.execute(sql, args)
            batch = cur.fetchmany(2048)
        while batch:
            yield from batch
            with self._lock:
                batch = cur.fetchmany(2048)

    def scalar(self, sql: str, args: tuple = ()) -> Any:
        with self._lock:
            return self._db.execute(sql, args).fetchone()[0]

    def sentence(self, doc_id: str, start: int, end: int) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT sentence FROM sentences WHERE doc = ? AND start = ? AND stop = ?",
                                   (key(doc_id), start, end)).fetchone()
        return None if row is None else _untext(row[0])

    def documents(self) -> "Spilled":
        return Spilled(self, lambda: (_meta(r) for r in self.rows(
            f"SELECT {_META} FROM docs WHERE ok = 1 ORDER BY k, seq")),
            lambda: self.scalar("SELECT COUNT(*) FROM docs WHERE ok = 1"), lookup=self._documents)

    def statuses(self) -> "Spilled":
        return Spilled(self, lambda: (_status(r) for r in self.rows(f"SELECT {_STATUS} FROM docs ORDER BY k, seq")),
                       lambda: self.scalar("SELECT COUNT(*) FROM docs"))

    def _documents(self, doc_ids: list[str]) -> dict[str, DocumentMeta]:
        """id -> metadata for those of ``doc_ids`` that are documents (the last of a repeated id)."""
        out: dict[str, DocumentMeta] = {}
        for i in range(0, len(doc_ids), 500):
            keys = [key(d) for d in doc_ids[i:i + 500]]
            rows = self.rows(f"SELECT {_META} FROM docs WHERE ok = 1 AND k IN ({','.join('?' * len(keys))}) "
                             "ORDER BY k, seq", tuple(keys))
            for r in rows:
                meta = _meta(r)
                out[meta.id] = meta
        return out

    def place_sources(self, place: int) -> Iterator[str]:
        """The distinct documents naming a place, in document order."""
        last = None
        for (d,) in self.rows("SELECT doc FROM place_sources WHERE place = ? ORDER BY doc", (place,)):
            if d != last:
                last = d
                yield unkey(d)

    def place_evidence(self, place: int) -> Iterator[Evidence]:
        """A place's evidence sentences by (document, start), each once."""
        last = None
        for d, start, stop, s in self.rows(
                "SELECT doc, start, stop, sentence FROM place_evidence WHERE place = ? ORDER BY doc, start, stop, sentence",
                (place,)):
            row = (d, start, stop, s)
            if row != last:
                last = row
                yield Evidence(unkey(d), _untext(s), start, stop)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Guarded:
    """A connection or cursor whose SQLite errors become the store's ``SpillError``."""

    __slots__ = ("_obj", "_error")

    def __init__(self, obj, error: Callable[[BaseException], Exception]):
        self._obj = obj
        self._error = error

    def __getattr__(self, name):
        attr = getattr(self._obj, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            try:
                out = attr(*args, **kwargs)
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            return _Guarded(out, self._error) if isinstance(out, sqlite3.Cursor) else out

        return call


class Spilled(Sequence):
    """A read-only sequence whose items are read from a ``SpillStore`` when iterated."""

    __slots__ = ("_store", "_items", "_count", "_n", "_lookup")

    def __init__(self, store: SpillStore, items: Callable[[], Iterable], count: Callable[[], int] | None = None,
                 lookup: Callable[[list[str]], dict] | None = None):
        self._store = store  # keeps the database open while the route refers to it
        self._items = items
        self._count = count
        self._n: int | None = None
        self._lookup = lookup

    def __iter__(self) -> Iterator:
        return iter(self._items())

    def __len__(self) -> int:
        if self._n is None:
            self._n = self._count() if self._count is not None else sum(1 for _ in self)
        return self._n

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self)[i]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("Spilled index out of range")
        for k, item in enumerate(self):
            if k == i:
                return item
        raise IndexError("Spilled index out of range")  # pragma: no cover

    def __eq__(self, other) -> bool:
        if isinstance(other, (tuple, Spilled)):
            return tuple(self) == tuple(other)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self):
        return (tuple, (tuple(self),))

    def by_id(self) -> "_Lookup":
        """For a spilled document list: a read-only mapping id -> DocumentMeta, read on demand."""
        if self._lookup is None:
            raise TypeError("this sequence has no lookup by id")
        return _Lookup(self._lookup)


class _Lookup:
    """Document metadata by id, read on demand: ``get_many(ids)`` (one query per few hundred
    ids: what a popup citing many sources needs), ``in``, ``[]`` and ``get``."""

    __slots__ = ("_get",)

    def __init__(self, get: Callable[[list[str]], dict]):
        self._get = get

    def get_many(self, doc_ids) -> dict:
        return self._get(list(doc_ids))

    def get(self, doc_id, default=None):
        return self._get([doc_id]).get(doc_id, default)

    def __contains__(self, doc_id) -> bool:
        return self.get(doc_id) is not None

    def __getitem__(self, doc_id):
        v = self.get(doc_id)
        if v is None:
            raise KeyError(doc_id)
        return v
