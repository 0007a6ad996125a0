"""``movemap timex``: batch temporal-expression extraction over JSON Lines (TempEval-3 style).

Imports nothing heavy: click, the standard library and ``geo.timex`` (itself standard
library only), so ``movemap timex`` starts fast and streams.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from typing import IO, Iterable

import click

_DOC_ID = re.compile(r'"doc_id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def _doc_id_of(line: str):
    """The doc_id of a line that is not valid JSON, when it can still be read."""
    m = _DOC_ID.search(line)
    if not m:
        return None
    try:
        return json.loads(m.group(1))
    except ValueError:
        return None


def _published(obj: dict) -> date | None:
    raw = obj.get("published", obj.get("dct"))
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ValueError(f"'published' must be a YYYY-MM-DD string, not {type(raw).__name__}")
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ValueError(f"'published' is not a YYYY-MM-DD date: {raw!r}") from None


def process_line(line: str) -> tuple[dict, bool]:
    """One input line -> (output object, ok). Never raises for bad input."""
    from geo.timex import tempeval

    if not line.strip():
        return {"doc_id": None, "timexes": [], "error": "empty line"}, False
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return {"doc_id": _doc_id_of(line), "timexes": [], "error": f"invalid JSON: {exc}"}, False
    if not isinstance(obj, dict):
        return {"doc_id": None, "timexes": [], "error": "a line must be a JSON object"}, False
    doc_id = obj.get("doc_id")
    text = obj.get("text")
    if not isinstance(text, str):
        what = "missing" if text is None else f"not a string ({type(text).__name__})"
        return {"doc_id": doc_id, "timexes": [], "error": f"'text' is {what}"}, False
    try:
        published = _published(obj)
    except ValueError as exc:
        return {"doc_id": doc_id, "timexes": [], "error": str(exc)}, False
    try:
        timexes = tempeval(text, published)
    except Exception as exc:  # a bug must not stop the batch: report it on its line
        return {"doc_id": doc_id, "timexes": [], "error": f"internal error: {type(exc).__name__}: {exc}"}, False
    return {"doc_id": doc_id, "timexes": timexes}, True


def run(lines: Iterable[str], out: IO[str]) -> int:
    """Write one JSON line per input line, same order, flushed as it goes; return the
    number of lines that failed."""
    failed = 0
    for line in lines:
        result, ok = process_line(line.rstrip("\r\n"))
        failed += not ok
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return failed


@click.command("timex")
@click.argument("source", default="-", metavar="[FILE.jsonl|-]")
def timex(source: str) -> None:
    """Find and normalise the temporal expressions of each JSON line
    {"doc_id", "text", "published": "YYYY-MM-DD"}.

    Writes one JSON line per input line, in the same order, as soon as it is read:
    {"doc_id", "timexes": [{"start", "end", "text", "type", "value"}]}, with TIMEX3 types
    (DATE, TIME, DURATION, SET) and values (2024-10-13, 2024-10, 2024-W42, P3D,
    PRESENT_REF, ...) resolved against "published" (or "dct"); without it, relative
    expressions keep X placeholders (XXXX-WXX-5). Offsets are character offsets into "text".
    A line that cannot be read gets {"doc_id", "timexes": [], "error"} and the run goes on
    (exit status 1 at the end).
    """
    try:
        inp = sys.stdin if source == "-" else open(source, encoding="utf-8", newline="")
    except OSError as exc:
        raise click.UsageError(f"cannot read {source}: {exc.strerror}") from None
    try:
        failed = run(_lines(inp), sys.stdout)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{source}: not UTF-8 text ({exc.reason})") from None
    finally:
        if inp is not sys.stdin:
            inp.close()
    if failed:
        click.echo(f"movemap timex: {failed} line(s) could not be read (see their 'error')", err=True)
        sys.exit(1)


def _lines(stream: IO[str]) -> Iterable[str]:
    # readline() rather than iteration: no read-ahead, so each result is written as soon as
    # its line arrives on a pipe. Only "\n" ends a line (JSON strings cannot hold a raw one).
    while True:
        line = stream.readline()
        if not line:
            return
        yield line
