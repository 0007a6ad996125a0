"""The way through: documents -> per-document analysis (map) -> merged route (reduce).

``analyse_document`` is a pure function of one document and the gazetteer, so it can run in
any process; ``merge_analyses`` is deterministic whatever order analyses arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from geo.dates import find_timexes
from geo.events import extract_events
from geo.gazetteer_port import GazetteerPort
from geo.model import Document, DocumentMeta, DocumentStatus, Event, Evidence, Mention, Route
from geo.resolve import resolve
from geo.route import build_route
from geo.text import split_sentences
from geo.toponyms import recognise
from movemap.errors import MovemapError


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    """What one document contributes to the route."""

    meta: DocumentMeta
    status: DocumentStatus
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    place_evidence: tuple[tuple[tuple[str, int, int], Evidence], ...] = ()


def geoparse(doc_id: str, text: str, gazetteer: GazetteerPort) -> list[Mention]:
    """Recognise and resolve the toponyms of one text."""
    return resolve(doc_id, text, recognise(text, gazetteer))


def analyse_document(doc: Document, gazetteer: GazetteerPort) -> DocumentAnalysis:
    try:
        mentions = geoparse(doc.id, doc.text, gazetteer)
        sentences = split_sentences(doc.text)
        timexes = find_timexes(doc.text, doc.published)
        events, used = extract_events(doc, sentences, mentions, timexes, gazetteer.country_place)
    except MovemapError as exc:
        return DocumentAnalysis(doc.meta(), _status(doc, "error", str(exc)))
    evidence = []
    for i in sorted(used):
        m = mentions[i]
        sent = next((s for s in sentences if s.start <= m.start < s.end), None)
        if sent:
            evidence.append(((m.document, m.start, m.end), Evidence(doc.id, sent.text, sent.start, sent.end)))
    status = _status(doc, "ok", None, len(mentions), len(events))
    return DocumentAnalysis(doc.meta(), status, tuple(mentions), tuple(events), tuple(evidence))


def _status(doc: Document, status: str, error: str | None, mentions: int = 0, events: int = 0) -> DocumentStatus:
    return DocumentStatus(doc.id, doc.path, status, error, doc.published, doc.published_basis, mentions, events)


def merge_analyses(
    analyses: Iterable[DocumentAnalysis], failures: Iterable[DocumentStatus] = (), title: str | None = None,
    gazetteer_version: str = "",
) -> Route:
    ordered = sorted(analyses, key=lambda a: a.meta.id)
    events = [e for a in ordered for e in a.events]
    mentions = [m for a in ordered for m in a.mentions]
    evidence = {k: v for a in ordered for k, v in a.place_evidence}
    documents = [a.meta for a in ordered if a.status.status == "ok"]
    route = build_route(events, mentions, documents, evidence, title, gazetteer_version)
    statuses = sorted([a.status for a in ordered] + list(failures), key=lambda s: s.id)
    from dataclasses import replace

    return replace(route, statuses=tuple(statuses))


def build(
    items: Iterable[Document | DocumentStatus],
    gazetteer: GazetteerPort,
    title: str | None = None,
    on_document: Callable[[Document | DocumentStatus], None] | None = None,
) -> Route:
    """Analyse every readable document and merge them into one route."""
    analyses: list[DocumentAnalysis] = []
    failures: list[DocumentStatus] = []
    for item in items:
        if isinstance(item, DocumentStatus):
            failures.append(item)
        else:
            analyses.append(analyse_document(item, gazetteer))
        if on_document:
            on_document(item)
    return merge_analyses(analyses, failures, title, gazetteer.version)


def unresolved_relative_dates(route: Route) -> list[str]:
    """Documents mapped without any publication date: their relative dates stay unresolved."""
    return [s.id for s in route.statuses if s.status == "ok" and s.published is None]


__all__ = ["DocumentAnalysis", "analyse_document", "build", "geoparse", "merge_analyses", "date"]
