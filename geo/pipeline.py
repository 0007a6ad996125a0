"""The way through: documents -> per-document analysis (map) -> merged route (reduce).

``analyse_document`` is a pure function of one document and the gazetteer, so it can run in
any process (``geo.parallel`` runs it in local processes or on a Dask cluster);
``RouteMerger`` (and ``merge_analyses``, its one-call form) is deterministic whatever order
analyses arrive in: it orders documents by id (then by input order) before building the route.

Memory: the map step keeps nothing; the merge keeps in memory only the route's structure (the
movement events, without their sentences, and per place a mention count and surface forms)
and spills what grows with the number of documents (metadata, statuses, the documents naming
each place, evidence sentences) to a temporary database (``geo.spill``) that the route reads
back from when its outputs are written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterable

from gazetteer.place import Place
from geo.dates import find_timexes
from geo.definite import with_definite_references
from geo.events import extract_events
from geo.prominence import prefer_prominent
from geo.gazetteer_port import GazetteerPort
from geo.model import Document, DocumentMeta, DocumentStatus, Event, Evidence, Leg, Mention, Route, RoutePlace
from geo.resolve import resolve
from geo.route import legs_from, place_frame, place_order
from geo.route_spill import EventCodec, place_sources, spilled_legs
from geo.spill import Spilled, SpillStore
from geo.text import split_sentences
from geo.toponyms import recognise
from movemap.errors import MovemapError


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    """What one document contributes to the route.

    After ``compact``, ``mentions`` holds one mention per place and surface form (plus every
    mention that is a place's evidence) and ``mention_counts`` how many mentions each stands
    for; before, ``mention_counts`` is empty and every mention counts one.
    """

    meta: DocumentMeta
    status: DocumentStatus
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    place_evidence: tuple[tuple[tuple[str, int, int], Evidence], ...] = ()
    mention_counts: tuple[int, ...] = ()

    def counted_mentions(self) -> Iterable[tuple[Mention, int]]:
        return zip(self.mentions, self.mention_counts or (1,) * len(self.mentions))


def geoparse(doc_id: str, text: str, gazetteer: GazetteerPort) -> list[Mention]:
    """Recognise and resolve the toponyms of one text, the better-known namesake first."""
    spans = recognise(text, gazetteer)
    return with_definite_references(text, prefer_prominent(text, resolve(doc_id, text, spans), spans))


def analyse_document(doc: Document, gazetteer: GazetteerPort) -> DocumentAnalysis:
    """The map step for one document. Never raises for a bad document: a failure (an input
    problem, or a bug that one odd text triggers) is an ``error`` status naming the document,
    so one article never stops a run over a million."""
    try:
        mentions = geoparse(doc.id, doc.text, gazetteer)
        sentences = split_sentences(doc.text)
        # the dates are looked for only in a document that may hold a movement claim
        events, used = extract_events(doc, sentences, mentions, lambda: find_timexes(doc.text, doc.published),
                                      gazetteer.country_place)
    except MovemapError as exc:
        return DocumentAnalysis(doc.meta(), _status(doc, "error", str(exc)))
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one odd article must not stop the run
        return DocumentAnalysis(doc.meta(), _status(
            doc, "error", f"{doc.path or doc.id}: internal error while analysing ({type(exc).__name__}: {exc})"))
    evidence = []
    for i in sorted(used):
        m = mentions[i]
        sent = next((s for s in sentences if s.start <= m.start < s.end), None)
        if sent:
            evidence.append(((m.document, m.start, m.end), Evidence(doc.id, sent.text, sent.start, sent.end)))
    status = _status(doc, "ok", None, len(mentions), len(events))
    return DocumentAnalysis(doc.meta(), status, tuple(mentions), tuple(events), tuple(evidence))


def analyse_item(item, gazetteer: GazetteerPort) -> DocumentAnalysis | DocumentStatus:
    """The whole map step for one input item: a located ``geo.read.Source`` is parsed first, a
    ``Document`` analysed, a read-error ``DocumentStatus`` passed through; the result is
    ``compact``, ready to be sent back to the merging process."""
    from geo.read import Source, load_source

    if isinstance(item, Source):
        item = load_source(item)
    if isinstance(item, DocumentStatus):
        return item
    return compact(analyse_document(item, gazetteer))


def compact(a: DocumentAnalysis) -> DocumentAnalysis:
    """Only what the merge needs: resolved mentions, those of one place and surface form that
    are nobody's evidence collapsed into one with a count. The merged route is unchanged (a
    place's mention count, sources, surface forms and evidence are all kept)."""
    if not a.mentions:
        return a
    keep: list[Mention] = []
    counts: list[int] = []
    at: dict[tuple[str, str], int] = {}
    evidence_keys = {k for k, _ in a.place_evidence}
    for m, n in a.counted_mentions():
        if m.place is None:
            continue
        if (m.document, m.start, m.end) in evidence_keys:
            keep.append(m)
            counts.append(n)
            continue
        key = (m.place.id, m.surface)
        i = at.get(key)
        if i is None:
            at[key] = len(keep)
            keep.append(m)
            counts.append(n)
        else:
            counts[i] += n
    return replace(a, mentions=tuple(keep), mention_counts=tuple(counts))


def _status(doc: Document, status: str, error: str | None, mentions: int = 0, events: int = 0) -> DocumentStatus:
    return DocumentStatus(doc.id, doc.path, status, error, doc.published, doc.published_basis, mentions, events)


class RouteMerger:
    """The reduce step, fed one result at a time in any order.

    ``add`` takes a ``DocumentAnalysis`` or a read-error ``DocumentStatus`` (with ``seq``, its
    position in the input, to order documents that share an id); ``route()`` builds the route.

    Memory: what the route's structure needs stays here — the events (places shared, one object
    per place id; evidence as references without the sentence) and, per place, its mention
    count and surface forms. What grows with the number of articles goes to a temporary
    database on disk (``geo.spill``): every document's metadata and status, the documents
    naming each place, the evidence sentences. The route refers to those through ``Spilled``
    sequences that the writers stream, so the merged route costs about the same memory for
    10,000 articles as for 100,000 when they tell of the same places.
    """

    def __init__(self, title: str | None = None, gazetteer_version: str = ""):
        self.title = title
        self.gazetteer_version = gazetteer_version
        self._store = SpillStore()
        self._n = 0
        self._places: dict[str, Place] = {}
        self._codec = EventCodec(self._places)
        self._place_index: dict[str, int] = {}
        self._mention_counts: dict[str, int] = {}
        self._surfaces: dict[str, set[str]] = {}
        self._shared: dict = {}  # one object for equal strings, dates, evidence-free references
        self._seq = 0
        self.ok = 0
        self.failed = 0

    def __len__(self) -> int:
        return self._n

    def _place(self, p: Place | None) -> Place | None:
        if p is None:
            return None
        return self._places.setdefault(p.id, p)

    def _share(self, x):
        return x if x is None else self._shared.setdefault(x, x)

    def _event(self, ev: Event) -> bytes:
        # The sentence goes to the store; the event to disk, its places by id and its evidence
        # as (document, start, end), which identifies it (the route builder compares and sorts
        # evidence, never reads it).
        for p in (*ev.origins, *ev.destinations, ev.actor_origin):
            self._place(p)
        self._store.add_sentences(ev.evidence)
        return self._codec.dumps(ev)

    def add(self, item: DocumentAnalysis | DocumentStatus, seq: int | None = None) -> None:
        if seq is None:
            seq = self._seq
        self._seq = max(self._seq, seq + 1)
        self._n += 1
        if isinstance(item, DocumentStatus):
            self._store.add_document(item.id, seq, item, None)
            self.failed += item.status != "ok"
            self.ok += item.status == "ok"
            return
        a = item
        if a.status.status != "ok":
            self._store.add_document(a.meta.id, seq, a.status, None)
            self.failed += 1
            return
        self.ok += 1
        self._store.add_document(a.meta.id, seq, a.status, a.meta)
        if a.events:
            self._store.add_events(a.meta.id, seq, a.meta.published, [self._event(e) for e in a.events])
        evidence = dict(a.place_evidence)
        sources: dict[tuple[int, str], None] = {}
        place_evidence: dict[tuple[int, Evidence], None] = {}
        for m, n in (a if a.mention_counts else compact(a)).counted_mentions():  # compact already in a worker
            place = self._place(m.place)
            pid = place.id
            i = self._place_index.setdefault(pid, len(self._place_index))
            self._mention_counts[pid] = self._mention_counts.get(pid, 0) + n
            self._surfaces.setdefault(pid, set()).add(self._share(m.surface))
            sources[(i, m.document)] = None
            e = evidence.get((m.document, m.start, m.end))
            if e is not None:
                place_evidence[(i, e)] = None
        self._store.add_place_sources(sources)
        self._store.add_place_evidence(place_evidence)

    def route(self) -> Route:
        store = self._store
        store.finish()
        drafts, lone, sink = spilled_legs(store, self._places)
        legs = legs_from(drafts)
        on_route: dict[str, list[Leg]] = {}
        for leg in legs:
            for pid in (leg.origin.id, leg.destination.id):
                on_route.setdefault(pid, []).append(leg)
        places = {pid: self._places[pid] for pid in self._place_index}
        for leg in legs:
            places.setdefault(leg.origin.id, leg.origin)
            places.setdefault(leg.destination.id, leg.destination)
        for p in lone.values():
            places.setdefault(p.id, p)
        unions = []
        for pid in places:
            groups = sorted({sink.group(leg.sources) for leg in on_route.get(pid, ())})
            unions.append((self._place_index.get(pid), groups))
        out = []
        for (pid, place), sources in zip(places.items(), place_sources(store, unions)):
            i = self._place_index.get(pid)
            out.append(RoutePlace(
                place=place, **place_frame(place, on_route.get(pid, []), lone),
                sources=sources,
                mention_count=self._mention_counts.get(pid, 0),
                surface_forms=tuple(sorted(self._surfaces.get(pid, ()))),
                evidence=() if i is None else Spilled(store, functools.partial(store.place_evidence, i)),
            ))
        out.sort(key=place_order)
        return Route(places=tuple(out), legs=tuple(legs), documents=store.documents(), title=self.title,
                     gazetteer_version=self.gazetteer_version, statuses=store.statuses())


def merge_analyses(
    analyses: Iterable[DocumentAnalysis], failures: Iterable[DocumentStatus] = (), title: str | None = None,
    gazetteer_version: str = "",
) -> Route:
    merger = RouteMerger(title, gazetteer_version)
    for a in analyses:
        merger.add(a)
    for f in failures:
        merger.add(f)
    return merger.route()


def build(
    items: Iterable,
    gazetteer: GazetteerPort,
    title: str | None = None,
    on_document: Callable[[object], None] | None = None,
) -> Route:
    """Analyse every readable document, one at a time in this process, and merge them into one
    route. ``items`` are ``Document``s, ``geo.read.Source``s or error ``DocumentStatus``es, as
    ``read_inputs``/``iter_sources`` yield them; nothing but the route is kept in memory.
    For several processes or a Dask cluster see ``geo.parallel.build_parallel``."""
    merger = RouteMerger(title, gazetteer.version)
    for seq, item in enumerate(items):
        merger.add(analyse_item(item, gazetteer), seq)
        if on_document:
            on_document(item)
    return merger.route()


def unresolved_relative_dates(route: Route) -> list[str]:
    """Documents mapped without any publication date: their relative dates stay unresolved."""
    return [s.id for s in route.statuses if s.status == "ok" and s.published is None]


__all__ = ["DocumentAnalysis", "RouteMerger", "analyse_document", "analyse_item", "build", "compact", "geoparse",
           "merge_analyses", "date"]
