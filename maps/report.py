"""report.json: what a run read, how each input fared, and what came out.

Deterministic bytes: fixed key order, no timestamps, UTF-8, trailing newline.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from geo.model import Route
from movemap.errors import OutputError

from .atomic import atomic_write_chunks

__all__ = ["build_report", "write_report", "REPORT_VERSION"]

REPORT_VERSION = 1
_STATUSES = ("reported", "expected", "inferred")


def _iso(d) -> str | None:
    return None if d is None else d.isoformat()


def _document_entry(s) -> dict:
    return {
        "id": s.id,
        "path": s.path,
        "status": s.status,
        "error": s.error,
        "published": _iso(s.published),
        "published_basis": s.published_basis,
        "mentions": int(s.mentions),
        "events": int(s.events),
    }


def build_report(route: Route, inputs: list[str] | tuple[str, ...] = (), extra: dict | None = None) -> dict:
    """The report as a dict (key order is the file's order)."""
    return _report(route, inputs, extra, [_document_entry(s) for s in route.statuses])


def _report(route: Route, inputs, extra: dict | None, docs: list) -> dict:
    legs_by_status = {s: 0 for s in _STATUSES}
    for leg in route.legs:
        legs_by_status[leg.status] = legs_by_status.get(leg.status, 0) + 1
    n = ok = 0
    for s in route.statuses:
        n += 1
        ok += s.status == "ok"
    report: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "title": route.title,
        "inputs": [str(i) for i in inputs],
        "documents": docs,
        "counts": {
            "documents": n,
            "documents_ok": ok,
            "documents_error": n - ok,
            "places": len(route.places),
            "places_route": sum(1 for p in route.places if p.role == "route"),
            "places_mention": sum(1 for p in route.places if p.role != "route"),
            "legs": len(route.legs),
            "legs_by_status": legs_by_status,
            "evidence": sum(len(leg.evidence) for leg in route.legs),
        },
        "gazetteer": {"name": route.gazetteer_name, "version": route.gazetteer_version},
    }
    if extra:
        for k, v in extra.items():
            if k in report:
                raise OutputError(f"report.json: extra key {k!r} would overwrite a standard field")
            report[k] = v
    return report


def dumps_report(route: Route, inputs: list[str] | tuple[str, ...] = (), extra: dict | None = None) -> str:
    return "".join(iter_report(route, inputs, extra))


def _dumps(obj: Any) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False, default=_default)
    except (TypeError, ValueError) as exc:
        raise OutputError(f"report.json: cannot serialise: {exc}") from exc


def iter_report(route: Route, inputs: list[str] | tuple[str, ...] = (), extra: dict | None = None):
    """report.json's text in pieces: the document list (one entry per input, the one part that
    grows with the run) a document at a time; joined, exactly ``json.dumps(build_report(...),
    indent=2)`` and a newline."""
    statuses = iter(route.statuses)
    first = next(statuses, None)
    if first is None:
        yield _dumps(_report(route, inputs, extra, [])) + "\n"
        return
    marker = f"movemap-documents-{uuid.uuid4().hex}"
    text = _dumps(_report(route, inputs, extra, [marker]))
    head, tail = text.split(f'    "{marker}"', 1)
    yield head
    yield _indent_entry(first)
    for s in statuses:
        yield ",\n" + _indent_entry(s)
    yield tail + "\n"


def _indent_entry(status) -> str:
    # An entry is flat (no nested lists or objects), so indenting its lines gives json.dumps's layout.
    return "    " + _dumps(_document_entry(status)).replace("\n", "\n    ")


def _default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if isinstance(o, (set, frozenset)):
        return sorted(o, key=str)
    if isinstance(o, os.PathLike):
        return os.fspath(o)
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


def write_report(route: Route, path: str | os.PathLike, inputs: list[str] | tuple[str, ...] = (), extra: dict | None = None) -> Path:
    """Write report.json atomically; return its path."""
    return atomic_write_chunks(path, iter_report(route, inputs, extra))
