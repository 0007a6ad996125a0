"""Atomic file writes: an output file is either complete or absent.

Every writer in ``maps/`` goes through here. Data are written to a temporary file in the
destination folder (same file system, so ``os.replace`` is atomic) and moved into place only
once fully written and flushed; on any failure the temporary file is removed and the old
file, if there was one, is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from movemap.errors import OutputError

__all__ = ["atomic_write", "atomic_path", "atomic_open", "atomic_write_chunks", "write_chunks"]

# mkstemp creates files readable by the owner only; outputs get the usual permissions instead.
_UMASK = os.umask(0)
os.umask(_UMASK)
_DEFAULT_MODE = 0o666 & ~_UMASK


def _prepare(path: str | os.PathLike) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create folder {target.parent}: {exc.strerror or exc}") from exc
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, not a file")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` if the block succeeds.

    For writers that want a file name (GDAL, simplekml). The temporary keeps ``path``'s
    suffix unless ``suffix`` is given, since some drivers choose the format by extension.
    """
    target = _prepare(path)
    sfx = target.suffix if suffix is None else suffix
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{sfx}", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {target.parent}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    # Some writers (GDAL) refuse to overwrite or append to an existing file: hand them a free name.
    tmp.unlink()
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"{target}: the writer produced no file")
        _fsync_file(tmp)
        if tmp.is_file():
            try:
                mode = target.stat().st_mode & 0o777 if target.exists() else _DEFAULT_MODE
                os.chmod(tmp, mode)
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException as exc:
        _remove_quietly(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """Open a temporary file for writing; it replaces ``path`` when the block ends cleanly."""
    if "b" in mode:
        encoding = None
    if not any(c in mode for c in "wx"):
        raise ValueError("atomic_open is for writing ('w' or 'wb')")
    mode = mode.replace("x", "w")
    with atomic_path(path) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as fh:
            yield fh


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` (str is encoded as UTF-8) to ``path`` atomically; return the path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"atomic_write needs bytes or str, not {type(data).__name__}")
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_chunks(fh, chunks: Iterable, batch: int = 1 << 18) -> None:
    """Write an iterable of strings (or bytes) to ``fh`` in batches of about ``batch``
    characters: a writer streams its output piece by piece without holding it all."""
    buf: list = []
    size = 0
    for piece in chunks:
        buf.append(piece)
        size += len(piece)
        if size >= batch:
            fh.write(buf[0][:0].join(buf))
            buf, size = [], 0
    if buf:
        fh.write(buf[0][:0].join(buf))


def atomic_write_chunks(path: str | os.PathLike, chunks: Iterable[str]) -> Path:
    """Write the strings of ``chunks`` to ``path`` as UTF-8, atomically, as they come: the file
    is complete (every chunk) or absent, and never held whole in memory."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        write_chunks(fh, chunks)
    return Path(path)


def _fsync_file(p: Path) -> None:
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(p: Path) -> None:
    try:
        if p.is_dir():
            import shutil

            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass
