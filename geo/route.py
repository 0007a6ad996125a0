"""From events to a route: merge what several articles say, chain stops into legs.

Three steps, each deterministic whatever order documents arrive in:
1. *Fragments*: one article gives the origins of a movement, another its destination (same
   head count or overlapping dates, compatible ends): they are one movement.
2. *Chain*: events in date order; a movement with origins gives reported/expected legs; a
   destination reached without stated origin, or a new presence, is linked from the story's
   previous stops (status ``inferred``), never from nothing.
3. *Merge*: legs with the same ends and status from several articles become one leg that
   lists every source; disagreeing counts are all kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable

from gazetteer.place import Place
from geo.model import DocumentMeta, Event, Evidence, Leg, Mention, Route, RoutePlace
from geo.resolve import contains, km

FINE_KINDS = ("city", "site", "water", "other", "region")
MAX_INFERRED_ORIGINS = 6
NEAR_TELLING = 600  # characters between two departures told together ("X left Brest, and Y sailed from Plymouth")


@dataclass
class _LegDraft:
    origin: Place
    destination: Place
    status: str
    start: date | None
    end: date | None
    precision: int
    mode: str
    actors: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.7
    transit: bool = False
    date_claims: list[tuple[date | None, date | None]] = field(default_factory=list)


def _overlap(a: Event, b: Event) -> bool:
    if not (a.start or a.end) or not (b.start or b.end):
        return False
    a0, a1 = a.start or a.end, a.end or a.start
    b0, b1 = b.start or b.end, b.end or b.start
    return a0 <= b1 and b0 <= a1


def _compatible_ends(coarse: tuple[Place, ...], fine: tuple[Place, ...]) -> bool:
    return not coarse or all(any(c.id == f.id or contains(c, f) for c in coarse) for f in fine)


def _fragment_end(b: Event) -> bool:
    """An event that knows where a movement went but not where it came from."""
    return (b.relation in ("move", "head") and not b.origins and bool(b.destinations)
            and any(p.kind in FINE_KINDS and p.kind != "region" for p in b.destinations))


def _joinable(a: Event, b: Event) -> bool:
    same_count = a.count is not None and a.count == b.count
    if not (same_count or (_overlap(a, b) and a.count in (None, b.count))):
        return False
    return _compatible_ends(a.destinations, b.destinations)


def _combine(a: Event, b: Event) -> Event:
    start = min(d for d in (a.start, b.start) if d) if (a.start or b.start) else None
    end = max(d for d in (a.end, b.end) if d) if (a.end or b.end) else None
    combined = replace(
        a, destinations=b.destinations, start=a.start or b.start, end=a.end or b.end,
        time_precision=min(a.time_precision, b.time_precision),
        mode=a.mode if a.mode != "unknown" else b.mode, actor=a.actor or b.actor,
        count=a.count or b.count, evidence=a.evidence + b.evidence,
        date_claims=_claims(a) + _claims(b),
    )
    if a.start and b.start:
        combined = replace(combined, start=max(a.start, b.start) if _overlap(a, b) else start,
                           end=min(a.end, b.end) if _overlap(a, b) and a.end and b.end else end)
    return combined


def _claims(ev: Event) -> tuple[tuple[str, date | None, date | None], ...]:
    return ev.date_claims or ((ev.document, ev.start, ev.end),)


def _stop_between(events: list[Event], pool: list[int], gone: set[int], i: int, j: int) -> bool:
    """True if the article that tells both events tells another stop between them ("evacuated
    from Kupiansk ... took them to Balakliia ... then driven on to Kharkiv"): the origin joins
    the first stop, not one further on."""
    doc = events[i].document
    if events[j].document != doc:
        return False
    lo, hi = (i, j) if i < j else (j, i)
    return any(lo < k < hi and k not in gone and events[k].document == doc for k in pool)


def _merge_fragments(events: list[Event]) -> tuple[list[Event], list[int]]:
    """Join an event that knows the origins with those that know the destination; returns the
    events left and the index each had in ``events``.

    Destination-only fragments are indexed by head count, so an archive of many events is not
    rescanned pair by pair: an origin event with a count only looks at fragments with that count."""
    events = list(events)
    pool = [j for j, b in enumerate(events) if _fragment_end(b)]
    by_count: dict[int | None, list[int]] = defaultdict(list)
    for j in pool:
        by_count[events[j].count].append(j)
    gone: set[int] = set()
    for i, a in enumerate(events):
        if a.relation != "move" or not a.origins:
            continue
        while True:
            cands = by_count.get(a.count, ()) if a.count is not None else pool
            hit = next((j for j in cands if j != i and j not in gone and _joinable(a, events[j])
                        and not _stop_between(events, pool, gone, i, j)), None)
            if hit is None:
                break
            a = _combine(a, events[hit])
            gone.add(hit)
        events[i] = a
    kept = [k for k in range(len(events)) if k not in gone]
    return [events[k] for k in kept], kept


def _story_dates(events: list[Event], published: dict[str, date | None]) -> list[date]:
    """The date each event sorts by. Its own when it has one; otherwise the end of the event
    told before it in the same article (a narrative moves forward: "two nights later they
    crossed ...", "then ..."); else, as for a headline that sums up the story, the publication
    date."""
    out: list[date | None] = [ev.start or ev.end for ev in events]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, ev in enumerate(events):
        by_doc[ev.document].append(i)
    for idx in by_doc.values():
        last = None
        for i in idx:
            if out[i]:
                last = events[i].end or events[i].start  # what follows it happened after it ended
            else:
                out[i] = last
    return [d or published.get(ev.document) or date.max for d, ev in zip(out, events)]


def _in_story_order(events: list[Event], when: list[date]) -> tuple[list[Event], list[date]]:
    order = sorted(range(len(events)), key=lambda i: (when[i], events[i].end or when[i], events[i].document))
    return [events[i] for i in order], [when[i] for i in order]


def _sources(ev: Event) -> list[str]:
    seen: list[str] = []
    for e in ev.evidence:
        if e.document not in seen:
            seen.append(e.document)
    return seen or [ev.document]


def build_route(
    events: list[Event],
    mentions: list[Mention],
    documents: list[DocumentMeta],
    place_evidence: dict[tuple[str, int, int], Evidence],
    title: str | None = None,
    gazetteer_version: str = "",
) -> Route:
    published = {d.id: d.published for d in documents}
    events, when = _in_story_order(events, _story_dates(events, published))
    events, kept = _merge_fragments(events)
    events, when = _in_story_order(events, [ev.start or ev.end or when[k] for ev, k in zip(events, kept)])
    fold = LegFold()
    lone = chain(((ev, published.get(ev.document)) for ev in events), lambda k: events[k + 1:], fold)
    return _assemble(fold.drafts(), mentions, documents, place_evidence, title, gazetteer_version, lone)


def chain(rows: Iterable[tuple[Event, date | None]], ahead: Callable[[int], Iterable[Event]], fold: "LegFold") -> dict:
    """Step 2: the events in story order, each with its document's publication date, chained
    into leg drafts that go to ``fold``; ``ahead(k)`` gives the events after the k-th (read
    only at the start of a story). Returns the ``lone`` ends of one-ended movements (id -> place).
    ``rows`` are read once, in order: they may come from a list or from disk."""
    current: list[Place] = []
    visited: set[str] = set()
    last_date: date | None = None
    final: list[Place] = []  # the stops the story reached last
    lone: dict[str, Place] = {}  # ends of one-ended movements ("withdrew from Kherson", "arrived in Havana")
    current_doc, seen_current, prev_doc = None, current, None
    opened = False  # current holds origins looked ahead for, not stops reached
    departure: tuple[str, int] | None = None  # (document, offset) when current holds places just left
    for k, (ev, pub) in enumerate(rows):
        if current is not seen_current:  # the previous event moved the story: remember whose it was
            current_doc, seen_current = prev_doc, current
        prev_doc = ev.document
        when_end = ev.end or ev.start or pub
        if not current and not ev.origins and ev.relation != "transit":
            # A story that opens at its destinations: link them from the first origin it reports.
            later = next((e for e in ahead(k) if e.origins and e.relation != "transit"
                          and any(o.kind in FINE_KINDS for o in e.origins)), None)
            if later and _months_apart(ev, later):
                later = None  # "trained in Saumur last year": background, not where this journey starts
            if later:
                current = [o for o in later.origins if o.kind in FINE_KINDS]
                opened = True
        fine_dests = [p for p in ev.destinations if _fine(p)]
        coarse_dests = [p for p in ev.destinations if not _fine(p)]
        base = dict(status=ev.status, start=ev.start, end=ev.end or (None if ev.start else pub),
                    precision=ev.time_precision, mode=ev.mode)
        if not ev.origins and not current and ev.actor_origin and ev.destinations:
            # Nothing before it: "Russian troops arrived in Belarus" starts in the actor's country.
            outside = [d for d in ev.destinations
                       if d.country_code != ev.actor_origin.country_code and not contains(d, ev.actor_origin)]
            if outside:
                ev = replace(ev, origins=(ev.actor_origin,), destinations=tuple(outside))
                fine_dests = [p for p in ev.destinations if _fine(p)]
                coarse_dests = [p for p in ev.destinations if not _fine(p)]
        if not ev.origins and not fine_dests:
            continue  # only countries: says nothing about the route's stops
        if ev.relation == "transit":
            a, b = ev.origins[0], ev.destinations[0]
            fold.add(_draft(a, b, ev, **base, transit=True))
            continue
        if ev.origins:
            opened = False
            if ev.destinations:
                departure = None
            targets = ev.destinations
            if not fine_dests and coarse_dests and any(
                any(contains(c, p) for c in coarse_dests) for p in current
            ):
                continue  # "sent to Russia" when the story is already in Russia
            for o in ev.origins:
                for d in targets:
                    if o.id != d.id and not contains(d, o) and not contains(o, d):
                        fold.add(_draft(o, d, ev, **base, confidence=0.8))
            if fine_dests:
                current = list(fine_dests)
            elif targets:
                current = list(targets)
            elif current and ev.anaphoric and ev.document == current_doc and not any(o.id in visited for o in ev.origins):
                # "Most of them left camps in Bangladesh": where the travellers at the current
                # stops came from, told after their arrival.
                leaving = {o.id for o in ev.origins}
                for o in ev.origins:
                    for c in current:
                        if c.id not in leaving and not contains(o, c) and not contains(c, o):
                            fold.add(_draft(o, c, ev, **_inferred(base, None, when_end), confidence=0.45))
            else:
                # "departed from Odesa": the story is there now; "X left Brest on Monday, and Y sailed
                # from Plymouth on Sunday": departures told one after another all lead to the next stop
                told_at = ev.evidence[0].start if ev.evidence else -1
                together = (departure is not None and ev.document == departure[0]
                            and abs(told_at - departure[1]) <= NEAR_TELLING)
                current = _unique(current + list(ev.origins)) if together else list(ev.origins)
                departure = (ev.document, told_at)
                _add_lone(lone, ev.origins)
            visited.update(p.id for p in ev.origins + tuple(targets))
        else:
            # A destination reached or a presence, origin not stated: chain from the previous stops.
            new = [p for p in fine_dests if p.id not in visited and not any(contains(p, c) for c in current)]
            if not current:
                _add_lone(lone, new)  # "the task force will arrive in Havana": a stop, even with nothing before it
            just_left = departure is not None and ev.document == departure[0]
            if ev.relation in ("arrive", "station") and not just_left:
                hub = [c for c in current if c.id in {p.id for p in fine_dests}] or current
                for p in new:
                    if hub:
                        origin = min(hub, key=lambda c: (km(c, p), c.id))
                        if origin.id == p.id:
                            continue
                        fold.add(_draft(origin, p, ev, **_inferred(base, last_date, when_end), confidence=0.5))
                # the origins looked ahead for are where the travellers were, not where they are now
                current = list(fine_dests) if opened and fine_dests else _unique(current + [p for p in fine_dests])
                opened = False
            else:
                # a movement on from the last stops; an arrival right after departures told one by
                # one ("X left Brest, Y sailed from Plymouth ... converged on the Bay"): all lead here
                origins = [c for c in current if c.id not in {p.id for p in new}][:MAX_INFERRED_ORIGINS]
                for p in new:
                    for o in origins:
                        if not contains(p, o):
                            fold.add(_draft(o, p, ev, **_inferred(base, last_date, when_end), confidence=0.5))
                if new:
                    current = list(new)
            visited.update(p.id for p in fine_dests)
            if new:
                departure = None
        last_date = max(d for d in (last_date, ev.end or ev.start) if d) if (last_date or ev.end or ev.start) else None
        if fine_dests:
            final = fine_dests
    fold.finish(final)
    return lone


def _months_apart(a: Event, b: Event, days: int = 60) -> bool:
    a_end, b_start = a.end or a.start, b.start or b.end
    return bool(a_end and b_start) and (b_start - a_end).days > days


def _add_lone(lone: dict[str, Place], places) -> None:
    for p in places:
        lone.setdefault(p.id, p)


def _fine(place: Place) -> bool:
    """Precise enough to be a stop: not a country, not a broad region such as "the Far East"."""
    if place.kind == "region":
        return place.feature_code in ("ADM1", "ADM2", None)
    return place.kind in FINE_KINDS


def _unique(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        if p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def _inferred(base: dict, last_date: date | None, when: date | None) -> dict:
    out = dict(base)
    out["status"] = "inferred"
    out["start"] = last_date if last_date and (not when or last_date <= when) else base["start"]
    out["end"] = when
    out["precision"] = 3
    out["mode"] = "unknown"  # how the troops got there is not stated
    return out


def _draft(o: Place, d: Place, ev: Event, *, status, start, end, precision, mode, confidence=0.7, transit=False):
    # Only what sources said counts as a date claim; an inferred leg's dates are movemap's.
    claims = [] if status == "inferred" else [(s, e) for _, s, e in _claims(ev) if s or e]
    return _LegDraft(o, d, status, start, end, precision, mode, [ev.actor] if ev.actor else [],
                     [ev.count] if ev.count is not None else [], _sources(ev), list(ev.evidence), confidence, transit,
                     claims)


_RANK = {"reported": 0, "expected": 1, "inferred": 2}


class _Agg:
    """The drafts of one (origin, destination) pair (transits apart, until they are turned),
    merged as they come: what the leg keeps of them but the sources and evidence (the sink's).
    ``first``/``head``/``mode`` carry the draft index they came from, so several of these
    merged later give what one pass over all the drafts in order would have."""

    __slots__ = ("no", "origin", "destination", "first", "head", "precision", "mode", "confidence", "start", "end",
                 "actors", "counts", "claims")

    def __init__(self, no: int, d: _LegDraft, idx: tuple) -> None:
        self.no, self.origin, self.destination, self.first = no, d.origin, d.destination, idx
        self.head = (_RANK[d.status], idx, d.status)
        self.precision, self.mode, self.confidence = d.precision, None, d.confidence
        self.start = self.end = None
        self.actors: dict[str, tuple] = {}
        self.counts: dict[int, tuple] = {}
        self.claims: dict[tuple, tuple] = {}

    def add(self, d: _LegDraft, idx: tuple) -> None:
        self.head = min(self.head, (_RANK[d.status], idx, d.status))
        self.precision = min(self.precision, d.precision)
        if self.mode is None and d.mode != "unknown":
            self.mode = (idx, d.mode)
        self.confidence = max(self.confidence, d.confidence)
        if d.start and (self.start is None or d.start < self.start):
            self.start = d.start
        if d.end and (self.end is None or d.end > self.end):
            self.end = d.end
        for a in d.actors:
            self.actors.setdefault(a, idx)
        for c in d.counts:
            self.counts.setdefault(c, idx)
        for c in d.date_claims:
            self.claims.setdefault(c, idx)


class MemoryLegSink:
    """Where a ``LegFold`` keeps each draft's sources and evidence: in memory (``build_route``)."""

    def __init__(self) -> None:
        self._sources: dict[int, set[str]] = defaultdict(set)
        self._evidence: dict[int, dict[Evidence, tuple]] = defaultdict(dict)

    def add(self, no: int, idx: tuple, sources: list[str], evidence: list[Evidence]) -> None:
        self._sources[no].update(sources)
        mine = self._evidence[no]
        for e in evidence:
            mine.setdefault(e, idx)

    def merged(self, nos: list[int]) -> tuple[tuple[str, ...], tuple[Evidence, ...], int]:
        """The sources (sorted) and evidence (by document and start, then as first drafted) of
        the drafts of ``nos``, and how many sources."""
        sources = set().union(*(self._sources[n] for n in nos))
        first: dict[Evidence, tuple] = {}
        for n in nos:
            for e, idx in self._evidence[n].items():
                if e not in first or idx < first[e]:
                    first[e] = idx
        evidence = sorted(first, key=lambda e: (e.document, e.start, first[e]))
        return tuple(sorted(sources)), tuple(evidence), len(sources)


class LegFold:
    """Step 3 as the drafts come: legs with the same ends merged (one leg listing every source;
    disagreeing counts all kept), without keeping the drafts. ``add`` each draft in chain
    order, ``finish(final)`` once the chain is done, then ``drafts()`` gives the merged legs
    (``_LegDraft``s whose ``sources``/``evidence`` are the sink's finished sequences), in
    route order.

    Equal to merging the list of drafts: a sighting in transit points toward where the story
    ends (the ``final`` stops); a country origin is the one place in it that the story's other
    legs leave from; drafts are then grouped by their ends. What depends on draft order (the
    first actor, count or mode; the head status) is kept with the index of its draft."""

    def __init__(self, sink=None) -> None:
        self.sink = sink if sink is not None else MemoryLegSink()
        self._aggs: dict[tuple[bool, str, str, bool], _Agg] = {}
        self._n = [0, 0]
        self._final: list[Place] | None = None

    def add(self, d: _LegDraft) -> None:
        t = int(d.transit)  # transits come after every other draft, in their own order
        idx = (t, self._n[t])
        self._n[t] += 1
        key = (d.transit, d.origin.id, d.destination.id, d.status == "expected")
        a = self._aggs.get(key)
        if a is None:
            a = self._aggs[key] = _Agg(len(self._aggs), d, idx)
        a.add(d, idx)
        self.sink.add(a.no, idx, d.sources, d.evidence)

    def finish(self, final: list[Place]) -> None:
        self._final = list(final)

    def drafts(self) -> list[_LegDraft]:
        final = self._final or []
        aggs = sorted(self._aggs.items(), key=lambda kv: kv[1].first)
        # A sighting on the way between two places points toward where the story ends: the
        # stops reached last.
        for (transit, _, _, _), a in aggs:
            if transit and final and min(km(a.origin, f) for f in final) < min(km(a.destination, f) for f in final):
                a.origin, a.destination = a.destination, a.origin
        # "Evacuation planes from Afghanistan will land in Bahrain" in a story whose flights leave
        # from Kabul: a country origin is the one place in it that the story's other legs leave from.
        # Else ("arrived in Nuku'alofa ... is expected to leave Tonga for Apia") the one place in it
        # the story reached.
        starts: dict[str | None, dict[str, Place]] = {}
        reached: dict[str | None, dict[str, Place]] = {}
        for _, a in aggs:
            if a.origin.kind not in ("country", "region"):
                starts.setdefault(a.origin.country_code, {}).setdefault(a.origin.id, a.origin)
            if a.destination.kind not in ("country", "region"):
                reached.setdefault(a.destination.country_code, {}).setdefault(a.destination.id, a.destination)
        for _, a in aggs:
            if a.origin.kind == "country":
                cc = a.origin.country_code
                inside = [p for p in starts.get(cc, {}).values() if p.id != a.destination.id] or [
                    p for p in reached.get(cc, {}).values() if p.id != a.destination.id]
                if len(inside) == 1 and not contains(a.destination, inside[0]):
                    a.origin = inside[0]
        groups: dict[tuple[str, str], list[_Agg]] = {}
        for _, a in aggs:
            groups.setdefault((a.origin.id, a.destination.id), []).append(a)
        out = []
        for group in (g for ends in groups.values() for g in _plans_apart(ends)):
            head = min(group, key=lambda a: a.head)
            modes = [a.mode for a in group if a.mode is not None]
            starts_ = [a.start for a in group if a.start]
            ends = [a.end for a in group if a.end]
            sources, evidence, n_sources = self.sink.merged([a.no for a in group])
            m = _LegDraft(head.origin, head.destination, head.head[2], min(starts_) if starts_ else None,
                          max(ends) if ends else None, min(a.precision for a in group),
                          min(modes)[1] if modes else "unknown",
                          actors=_in_first_order(a.actors for a in group), counts=_in_first_order(a.counts for a in group),
                          sources=sources, evidence=evidence,
                          confidence=min(0.95, max(a.confidence for a in group) + 0.05 * (n_sources - 1)),
                          date_claims=_in_first_order(a.claims for a in group))
            out.append(m)
        out.sort(key=lambda d: (d.start or d.end or date.max, d.end or date.max, _RANK[d.status], d.origin.id,
                                d.destination.id))
        return out


def _plans_apart(group: list[_Agg]) -> list[list[_Agg]]:
    """The drafts of one pair of ends, as legs: a plan told for other dates than the movement
    already made between the same places ("six helicopters were shifted from A to B last week;
    a second batch will be moved in mid-April") is another movement, kept as its own leg.
    A plan with no dates, or dates that meet the movement's, is the same one."""
    done = [a for a in group if a.head[2] != "expected"]
    plans = [a for a in group if a.head[2] == "expected"]
    if not done or not plans:
        return [group]
    told = [(s or e, e or s) for a in done for s, e in a.claims]
    if not told:
        return [group]
    lo, hi = min(s for s, _ in told), max(e for _, e in told)
    apart = [a for a in plans if a.claims and all((s or e) > hi or (e or s) < lo for s, e in a.claims)]
    return [[a for a in group if a not in apart]] + ([apart] if apart else [])


def _in_first_order(firsts) -> list:
    """Items of several {item: first index} maps, each once, in the order first drafted."""
    seen: dict = {}
    for mine in firsts:
        for x, idx in mine.items():
            if x not in seen or idx < seen[x]:
                seen[x] = idx
    return sorted(seen, key=seen.__getitem__)


def _date_values(claims: list[tuple[date | None, date | None]]) -> tuple[tuple[date | None, date | None], ...]:
    """Every distinct (start, end) the sources gave, in date order, when they disagree."""
    distinct = sorted(set(claims), key=lambda c: (c[0] or c[1], c[1] or c[0]))
    return tuple(distinct) if len(distinct) > 1 else ()


def legs_from(drafts: list[_LegDraft]) -> list[Leg]:
    """The route's legs, numbered, from the merged drafts (``LegFold.drafts``)."""
    return [Leg(
        id=f"leg-{n:03d}", sequence=n, origin=d.origin, destination=d.destination, start=d.start, end=d.end,
        time_precision=d.precision if d.start or d.end else 3, mode=d.mode,
        actor="; ".join(d.actors) if d.actors else None, count=d.counts[0] if d.counts else None,
        status=d.status, sources=d.sources, confidence=round(d.confidence, 2), evidence=d.evidence,
        count_values=tuple(d.counts) if len(d.counts) > 1 else (),
        date_values=_date_values(d.date_claims),
    ) for n, d in enumerate(drafts, start=1)]


def place_frame(place: Place, legs_here: list[Leg], lone: dict[str, Place]) -> dict:
    """What a place's legs say about it: its role (``route`` for a leg end and for the ``lone``
    end of a one-ended movement (a retreat whose destination is not told, an arrival with
    nothing before it), ``mention`` otherwise), its location precision and its dates."""
    dates = [d for leg in legs_here for d in (leg.start, leg.end) if d]
    return dict(role="route" if legs_here or place.id in lone else "mention",
                geo_precision={"country": 3, "region": 3}.get(place.kind, 1),
                first_date=min(dates) if dates else None, last_date=max(dates) if dates else None)


def place_order(rp: RoutePlace) -> tuple:
    return (rp.role != "route", rp.first_date or date.max, -rp.mention_count, rp.place.id)


def _assemble(drafts, mentions, documents, place_evidence, title, gazetteer_version, lone=None) -> Route:
    """Legs from drafts, and every place with its role (``place_frame``), sources and evidence."""
    lone = lone or {}
    legs = legs_from(drafts)
    on_route: dict[str, list[Leg]] = defaultdict(list)
    for leg in legs:
        on_route[leg.origin.id].append(leg)
        on_route[leg.destination.id].append(leg)
    by_place: dict[str, list[Mention]] = defaultdict(list)
    places: dict[str, Place] = {}
    for m in mentions:
        if m.place:
            by_place[m.place.id].append(m)
            places[m.place.id] = m.place
    for leg in legs:
        places.setdefault(leg.origin.id, leg.origin)
        places.setdefault(leg.destination.id, leg.destination)
    for p in lone.values():
        places.setdefault(p.id, p)
    doc_text_order = {d.id: i for i, d in enumerate(documents)}
    route_places: list[RoutePlace] = []
    for pid, place in places.items():
        ms = by_place.get(pid, [])
        legs_here = on_route.get(pid, [])
        sources = sorted({m.document for m in ms} | {s for leg in legs_here for s in leg.sources},
                         key=lambda s: (doc_text_order.get(s, 1 << 30), s))
        evidence = tuple(sorted({place_evidence[k] for k in ((m.document, m.start, m.end) for m in ms)
                                 if k in place_evidence}, key=lambda e: (e.document, e.start)))
        route_places.append(RoutePlace(
            place=place, **place_frame(place, legs_here, lone),
            sources=tuple(sources), mention_count=len(ms),
            surface_forms=tuple(sorted({m.surface for m in ms})), evidence=evidence,
        ))
    route_places.sort(key=place_order)
    return Route(places=tuple(route_places), legs=tuple(legs), documents=tuple(documents), title=title,
                 gazetteer_version=gazetteer_version)
