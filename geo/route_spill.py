"""The route built from events on disk (issue 9, memory): what ``geo.route.build_route`` does
over a list, done over the merge's spill store, so the merging process holds the route (its
places and legs) but not the events, whatever the number of articles.

The steps are ``build_route``'s, each a pass over a table in the order the list would have:
1. story dates, a document at a time (they depend on that document's events only), then the
   events in story order (``ORDER BY`` the sort key, then the position the list would give);
2. fragments: the destination-only events (the pool) indexed by head count and dates; each
   movement with origins, in story order, takes the first one it can join (``_joinable``);
   the events left, re-sorted by their own dates;
3. the chain (``geo.route.chain``) reads them in that order, a row at a time, and folds its
   drafts into legs (``geo.route.LegFold``) whose sources and evidence go back to disk
   (``SpilledLegSink``) and come back as ``Spilled`` sequences.
Rules live in ``geo.route``; this module only stores, orders and looks up.
"""

from __future__ import annotations

import pickle
from datetime import date
from typing import Iterator

from gazetteer.place import Place
from geo.model import Event, Evidence
from geo.route import LegFold, _fragment_end, _joinable, _combine, _story_dates, chain
from geo.spill import Spilled, SpillStore, key, unkey

__all__ = ["EventCodec", "SpilledLegSink", "place_sources", "spilled_legs"]

_TABLES = """
CREATE TABLE ev_story (w INTEGER, e INTEGER, doc BLOB, pos INTEGER, pub INTEGER, frag INTEGER, om INTEGER,
                       w2 INTEGER, e2 INTEGER, cnt INTEGER, lo INTEGER, hi INTEGER, blob BLOB);
CREATE TABLE story (k INTEGER PRIMARY KEY, doc BLOB, pub INTEGER, frag INTEGER, om INTEGER, w INTEGER,
                    w2 INTEGER, e2 INTEGER, cnt INTEGER, lo INTEGER, hi INTEGER, blob BLOB);
CREATE TABLE pool (k INTEGER PRIMARY KEY, cnt INTEGER, lo INTEGER, hi INTEGER);
CREATE TABLE ev_joined (w2 INTEGER, e2 INTEGER, doc BLOB, k INTEGER, pub INTEGER, blob BLOB);
CREATE TABLE ev_chain (k INTEGER PRIMARY KEY, pub INTEGER, blob BLOB);
CREATE TABLE leg_src (agg INTEGER NOT NULL, doc BLOB NOT NULL);
CREATE TABLE leg_ev (agg INTEGER NOT NULL, doc BLOB NOT NULL, start INTEGER, stop INTEGER, i INTEGER);
CREATE TABLE agg_group (agg INTEGER NOT NULL, g INTEGER NOT NULL);
CREATE TABLE group_src (g INTEGER NOT NULL, doc BLOB NOT NULL, PRIMARY KEY (g, doc)) WITHOUT ROWID;
CREATE TABLE group_ev (g INTEGER NOT NULL, pos INTEGER NOT NULL, doc BLOB NOT NULL, start INTEGER, stop INTEGER,
                       sentence BLOB, PRIMARY KEY (g, pos)) WITHOUT ROWID;
CREATE TABLE union_of (k INTEGER NOT NULL, place INTEGER, g INTEGER);
CREATE TABLE place_union (k INTEGER NOT NULL, doc BLOB NOT NULL, PRIMARY KEY (k, doc)) WITHOUT ROWID;
"""


def _o(d: date | None) -> int | None:
    return None if d is None else d.toordinal()


def _d(n: int | None) -> date | None:
    return None if n is None else date.fromordinal(n)


class EventCodec:
    """Events as bytes: places by id (``places`` maps them back), evidence as references
    (document, start, end) whose sentences are in the store."""

    def __init__(self, places: dict[str, Place]):
        self.places = places

    def dumps(self, ev: Event) -> bytes:
        return pickle.dumps((
            ev.document, tuple(p.id for p in ev.origins), tuple(p.id for p in ev.destinations), ev.relation,
            ev.status, ev.start, ev.end, ev.time_precision, ev.mode, ev.actor, ev.count,
            tuple((e.document, e.start, e.end) for e in ev.evidence),
            None if ev.actor_origin is None else ev.actor_origin.id, ev.anaphoric, ev.date_claims), 5)

    def loads(self, b: bytes) -> Event:
        (doc, origins, dests, relation, status, start, end, precision, mode, actor, count, evidence, actor_origin,
         anaphoric, claims) = pickle.loads(b)
        p = self.places
        return Event(doc, tuple(p[i] for i in origins), tuple(p[i] for i in dests), relation, status, start, end,
                     precision, mode, actor, count, tuple(Evidence(d, "", s, e) for d, s, e in evidence),
                     None if actor_origin is None else p[actor_origin], anaphoric, claims)


def _story(store: SpillStore, codec: EventCodec) -> None:
    """Step 1: ``ev_story`` (each event with its story date and sort keys), then ``story``
    (the same rows numbered in story order)."""
    rows: list[tuple] = []
    pos = 0

    def flush_group(group: list[tuple[bytes, int | None]]) -> None:
        nonlocal pos
        doc_id = unkey(group[0][0])
        pub = group[-1][1]  # the last document of a repeated id, as {id: published} keeps it
        events = [codec.loads(b) for _, _, b in group]
        when = _story_dates(events, {doc_id: _d(pub)})
        for ev, w, (k, _, b) in zip(events, when, group):
            w2 = ev.start or ev.end or w
            lo, hi = ev.start or ev.end, ev.end or ev.start
            rows.append((_o(w), _o(ev.end or w), key(ev.document), pos, pub, int(_fragment_end(ev)),
                         int(ev.relation == "move" and bool(ev.origins)), _o(w2), _o(ev.end or w2), ev.count,
                         _o(lo), _o(hi), b))
            pos += 1
        if len(rows) >= 4096:
            store.executemany("INSERT INTO ev_story VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows.clear()

    group: list = []
    for k, pub, b in store.rows("SELECT k, pub, blob FROM doc_events ORDER BY k, seq, i"):
        if group and group[0][0] != k:
            flush_group(group)
            group = []
        group.append((k, pub, b))
    if group:
        flush_group(group)
    store.executemany("INSERT INTO ev_story VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    store.execute("INSERT INTO story (doc, pub, frag, om, w, w2, e2, cnt, lo, hi, blob) "
                  "SELECT doc, pub, frag, om, w, w2, e2, cnt, lo, hi, blob FROM ev_story ORDER BY w, e, doc, pos")
    store.execute("DELETE FROM ev_story")


def _stop_between(store: SpillStore, doc: str, other: str, i: int, j: int) -> bool:
    """``geo.route._stop_between`` over the pool: another fragment of the same article, not yet
    taken, told between the two."""
    if other != doc:
        return False
    lo, hi = (i, j) if i < j else (j, i)
    return store.scalar("SELECT EXISTS (SELECT 1 FROM pool p JOIN story s ON s.k = p.k "
                        "WHERE p.k > ? AND p.k < ? AND s.doc = ?)", (lo, hi, key(doc))) == 1


def _join_fragments(store: SpillStore, codec: EventCodec) -> None:
    """Step 2 (``geo.route._merge_fragments``): the pool of destination-only events, each taken
    by the first movement with origins, in story order, that can join it; candidates come by
    head count when the movement has one, else by overlapping dates (``_joinable`` needs
    either), in story order."""
    store.execute("INSERT INTO pool SELECT k, cnt, lo, hi FROM story WHERE frag = 1")
    store.executescript("CREATE INDEX pool_count ON pool (cnt, k)")
    out: list[tuple] = []
    origin_moves = store.rows("SELECT k, doc, pub, w, w2, e2, blob FROM story WHERE om = 1 ORDER BY k")
    for k, doc, pub, w, w2, e2, blob in origin_moves:
        a = None
        while True:
            ev = a or codec.loads(blob)
            if ev.count is not None:
                cands = store.rows("SELECT p.k, s.blob FROM pool p JOIN story s ON s.k = p.k WHERE p.cnt = ? "
                                   "ORDER BY p.k", (ev.count,))
            elif ev.start or ev.end:
                a0, a1 = _o(ev.start or ev.end), _o(ev.end or ev.start)
                cands = store.rows("SELECT p.k, s.blob FROM pool p JOIN story s ON s.k = p.k "
                                   "WHERE p.lo IS NOT NULL AND p.lo <= ? AND p.hi >= ? ORDER BY p.k", (a1, a0))
            else:
                break
            hit = next(((j, b) for j, bb in cands if _joinable(ev, b := codec.loads(bb))
                        and not _stop_between(store, ev.document, b.document, k, j)), None)
            cands.close()
            if hit is None:
                break
            a = _combine(ev, hit[1])
            store.execute("DELETE FROM pool WHERE k = ?", (hit[0],))
        if a is None:
            out.append((w2, e2, doc, k, pub, blob))
        else:
            n2 = a.start or a.end or _d(w)
            out.append((_o(n2), _o(a.end or n2), key(a.document), k, pub, codec.dumps(a)))
        if len(out) >= 4096:
            store.executemany("INSERT INTO ev_joined VALUES (?, ?, ?, ?, ?, ?)", out)
            out.clear()
    store.executemany("INSERT INTO ev_joined VALUES (?, ?, ?, ?, ?, ?)", out)
    store.execute("INSERT INTO ev_joined SELECT w2, e2, doc, k, pub, blob FROM story "
                  "WHERE om = 0 AND (frag = 0 OR k IN (SELECT k FROM pool))")
    store.execute("INSERT INTO ev_chain (pub, blob) SELECT pub, blob FROM ev_joined ORDER BY w2, e2, doc, k")
    store.execute("DELETE FROM ev_joined")
    store.execute("DELETE FROM story")


class SpilledLegSink:
    """A ``LegFold`` sink on disk: each draft's sources and evidence are rows; a merged leg's
    are ``Spilled`` sequences read back (sources sorted, evidence by document and start, then
    as first drafted, each once; sentences from the store)."""

    def __init__(self, store: SpillStore):
        self.store = store
        self._groups = 0
        self._indexed = False
        self._group_of: dict[int, int] = {}

    def add(self, no: int, idx: tuple, sources: list[str], evidence: list[Evidence]) -> None:
        i = (idx[0] << 40) | idx[1]
        self.store.executemany("INSERT INTO leg_src VALUES (?, ?)", ((no, key(d)) for d in sources))
        self.store.executemany("INSERT INTO leg_ev VALUES (?, ?, ?, ?, ?)",
                               ((no, key(e.document), e.start, e.end, i) for e in evidence))

    def merged(self, nos: list[int]) -> tuple[Spilled, Spilled, int]:
        store = self.store
        if not self._indexed:
            store.executescript("CREATE INDEX leg_src_agg ON leg_src (agg, doc); "
                                "CREATE INDEX leg_ev_agg ON leg_ev (agg, doc, start, stop, i)")
            self._indexed = True
        g = self._groups
        self._groups += 1
        store.executemany("INSERT INTO agg_group VALUES (?, ?)", ((n, g) for n in nos))
        if g == 0:
            store.execute("CREATE INDEX agg_group_g ON agg_group (g, agg)")
        # A merged leg's sources and evidence are joined here once into tables of their own that
        # each writer reads with one indexed scan (they read every leg's several times).
        store.execute("INSERT INTO group_src SELECT DISTINCT ?, s.doc FROM agg_group a JOIN leg_src s ON s.agg = a.agg "
                      "WHERE a.g = ?", (g, g))
        store.executemany("INSERT INTO group_ev VALUES (?, ?, ?, ?, ?, ?)",
                          ((g, pos, *row) for pos, row in enumerate(self._joined_evidence(g))))
        n = store.scalar("SELECT COUNT(*) FROM group_src WHERE g = ?", (g,))
        sources = Spilled(store, lambda: self.sources(g), lambda: n)
        evidence = Spilled(store, lambda: self._evidence(g))
        self._group_of[id(sources)] = g
        return sources, evidence, n

    def group(self, sources: Spilled) -> int:
        return self._group_of[id(sources)]

    def sources(self, g: int) -> Iterator[str]:
        """The distinct documents of the legs of group ``g``, sorted."""
        for (d,) in self.store.rows("SELECT doc FROM group_src WHERE g = ? ORDER BY doc", (g,)):
            yield unkey(d)

    def _joined_evidence(self, g: int) -> list[tuple]:
        """(document, start, stop, sentence) of the legs of group ``g``: each claim once, by
        document and start, then as first drafted."""
        return list(self.store.rows(
            "SELECT x.doc, x.start, x.stop, t.sentence FROM (SELECT e.doc, e.start, e.stop, MIN(e.i) AS i "
            "FROM agg_group a JOIN leg_ev e ON e.agg = a.agg WHERE a.g = ? GROUP BY e.doc, e.start, e.stop) x "
            "LEFT JOIN sentences t ON t.doc = x.doc AND t.start = x.start AND t.stop = x.stop "
            "ORDER BY x.doc, x.start, x.i", (g,)))

    def _evidence(self, g: int) -> Iterator[Evidence]:
        for d, start, stop, sentence in self.store.rows(
                "SELECT doc, start, stop, sentence FROM group_ev WHERE g = ? ORDER BY pos", (g,)):
            yield Evidence(unkey(d), "" if sentence is None else bytes(sentence).decode("utf-8", "surrogatepass"),
                           start, stop)


def spilled_legs(store: SpillStore, places: dict[str, Place]) -> tuple[list, dict[str, Place], SpilledLegSink]:
    """Steps 1-3 over the events in ``store`` (``SpillStore.add_events``, encoded with an
    ``EventCodec`` over ``places``): the merged leg drafts in route order, the lone places and
    the sink that holds the legs' sources and evidence."""
    codec = EventCodec(places)
    store.executescript(_TABLES)
    _story(store, codec)
    _join_fragments(store, codec)
    sink = SpilledLegSink(store)
    fold = LegFold(sink)

    def rows():
        for pub, b in store.rows("SELECT pub, blob FROM ev_chain ORDER BY k"):
            yield codec.loads(b), _d(pub)

    def ahead(k: int):
        for (b,) in store.rows("SELECT blob FROM ev_chain WHERE k > ? ORDER BY k", (k + 1,)):
            yield codec.loads(b)

    lone = chain(rows(), ahead, fold)
    drafts = fold.drafts()
    store.commit()
    return drafts, lone, sink


def place_sources(store: SpillStore, places: list[tuple[int | None, list[int]]]) -> list[Spilled]:
    """For each place, given as (its number in the store's ``place_sources`` or None, the groups
    of its legs in the ``SpilledLegSink``): the documents naming it or reporting one of its legs,
    sorted, each once. The union is made once, in SQL, into a table (``place_union``): every
    writer reads a place's sources, some twice, and each reading is then one indexed scan."""
    rows = []
    for k, (i, groups) in enumerate(places):
        if i is not None:
            rows.append((k, i, None))
        rows += [(k, None, g) for g in groups]
    store.executemany("INSERT INTO union_of VALUES (?, ?, ?)", rows)
    store.execute("INSERT OR IGNORE INTO place_union SELECT u.k, s.doc FROM union_of u "
                  "JOIN place_sources s ON s.place = u.place")
    store.execute("INSERT OR IGNORE INTO place_union SELECT u.k, s.doc FROM union_of u "
                  "JOIN agg_group a ON a.g = u.g JOIN leg_src s ON s.agg = a.agg")
    counts = dict(store.rows("SELECT k, COUNT(*) FROM place_union GROUP BY k"))
    store.commit()

    def docs(k: int) -> Iterator[str]:
        for (d,) in store.rows("SELECT doc FROM place_union WHERE k = ? ORDER BY doc", (k,)):
            yield unkey(d)

    return [Spilled(store, lambda k=k: docs(k), lambda k=k: counts.get(k, 0)) for k in range(len(places))]
