"""Batch geoparsing over JSON Lines: the ``movemap geoparse`` command's engine.

One JSON object a line in, one a line out, same order (see the ``movemap geoparse`` section
of the contract).  A line that cannot be read gets an error object on its own output line
(with its ``doc_id`` when that much is readable) and the run goes on.

Two modes:

* recognise and resolve (default): :func:`geo.toponyms.recognise` then
  :func:`geo.resolve.resolve`, like the map pipeline, except that adjectival toponyms
  (demonyms: "Russian", "Sri Lankan") are reported too, resolved to their country, as
  news geoparsing corpora annotate them (``demonyms=False`` leaves them out);
* ``given_spans``: exactly the spans given are resolved; lat/lon are null where no
  gazetteer entry fits.
"""

from __future__ import annotations

import json
from typing import IO, Iterable, Iterator

from geo.gazetteer_port import GazetteerPort
from geo.model import Mention
from geo.resolve import resolve
from geo.toponyms import Span, recognise, spans_for

__all__ = ["geoparse_record", "geoparse_lines", "mention_json"]


def mention_json(m: Mention) -> dict:
    p = m.place
    return {
        "start": m.start,
        "end": m.end,
        "name": m.surface,
        "lat": None if p is None else p.lat,
        "lon": None if p is None else p.lon,
        "geonameid": None if p is None else p.geonameid,
        "country_code": None if p is None else p.country_code,
        "kind": None if p is None or p.source == "inferred" else p.kind,
        "score": m.score if p is not None else 0.0,
    }


class RecordError(ValueError):
    """A line that is not a usable geoparse request."""


def _given(obj: dict, text: str) -> list[tuple[int, int]]:
    raw = obj.get("toponyms")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RecordError("'toponyms' must be a list of {start, end} objects")
    out = []
    for i, t in enumerate(raw):
        try:
            s, e = t["start"], t["end"]
        except (TypeError, KeyError):
            raise RecordError(f"toponyms[{i}] needs integer 'start' and 'end'") from None
        if isinstance(s, bool) or isinstance(e, bool) or not isinstance(s, int) or not isinstance(e, int):
            raise RecordError(f"toponyms[{i}]: 'start' and 'end' must be integers")
        if not 0 <= s < e <= len(text):
            raise RecordError(f"toponyms[{i}]: span {s}-{e} is not inside the text (length {len(text)})")
        out.append((s, e))
    return out


def geoparse_record(obj, gazetteer: GazetteerPort, *, given_spans: bool = False,
                    demonyms: bool = True) -> dict:
    """Geoparse one request object; raises :class:`RecordError` when it is unusable."""
    if not isinstance(obj, dict):
        raise RecordError("each line must be a JSON object")
    doc_id = obj.get("doc_id")
    text = obj.get("text")
    if not isinstance(text, str):
        raise RecordError("'text' must be a string")
    if given_spans:
        spans: list[Span] = spans_for(text, _given(obj, text), gazetteer)
    else:
        spans = recognise(text, gazetteer, demonyms=demonyms, modifiers=True)
    mentions = resolve(str(doc_id), text, spans, fallback=True)
    return {"doc_id": doc_id, "toponyms": [mention_json(m) for m in mentions]}


def _error(doc_id, message: str) -> dict:
    return {"doc_id": doc_id, "toponyms": [], "error": message}


def geoparse_lines(lines: Iterable[str], gazetteer: GazetteerPort, *, given_spans: bool = False,
                   demonyms: bool = True, errors: list | None = None) -> Iterator[str]:
    """Yield one output line (JSON, no newline) per input line; blank lines are skipped."""
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        doc_id = None
        try:
            obj = json.loads(line)
            if isinstance(obj, dict):
                doc_id = obj.get("doc_id")
            out = geoparse_record(obj, gazetteer, given_spans=given_spans, demonyms=demonyms)
        except json.JSONDecodeError as exc:
            out = _error(None, f"line {no}: not JSON ({exc.msg} at column {exc.colno})")
        except RecordError as exc:
            out = _error(doc_id, f"line {no}: {exc}")
        if "error" in out and errors is not None:
            errors.append(out["error"])
        yield json.dumps(out, ensure_ascii=False)


def run(inp: IO[str], out: IO[str], gazetteer: GazetteerPort, **kw) -> int:
    """Stream ``inp`` to ``out``; returns the number of lines that failed."""
    errors: list[str] = []
    for line in geoparse_lines(inp, gazetteer, errors=errors, **kw):
        out.write(line + "\n")
        out.flush()
    return len(errors)
