"""Popup and tooltip content for the map, built from untrusted article text.

Every string that comes from a route (names, actors, titles, outlets, sentences, ids, URLs)
goes through :func:`esc` (``html.escape`` with quotes, braces as character references) before
it is put into markup; links are only made for http(s) URLs. Evidence sentences are escaped
piece by piece with ``<mark>`` around the places they name (:func:`highlight`).

The map page does not carry one finished HTML popup per feature (15,000 of them would make a
large page). It carries *records* of already-escaped fragments (:func:`leg_record`,
:func:`place_record`) plus one table of sources (:func:`source_entry`), and a few lines of
JavaScript (``maps/data/movemap.js``, ``popupHtml``) join them with fixed markup when a popup
opens. :func:`popup_html` is the same join in Python; :func:`leg_popup` and :func:`place_popup`
(used for the KML descriptions) return its result, so the browser and KML show the same text.
"""

from __future__ import annotations

import functools
import itertools
import html
import re
from datetime import date
from typing import Iterable, Sequence
from urllib.parse import urlsplit

from anyascii import anyascii

from geo.model import DocumentMeta, Evidence, Leg, RoutePlace

__all__ = [
    "esc",
    "highlight",
    "source_entry",
    "leg_record",
    "place_record",
    "popup_html",
    "leg_popup",
    "leg_tooltip",
    "place_popup",
    "place_tooltip",
    "STATUS_TEXT",
    "PRECISION_TEXT",
    "MAX_EVIDENCE",
    "MAX_POPUP_SOURCES",
]

STATUS_TEXT = {
    "reported": "reported (the text says it happened)",
    "expected": "expected (announced or planned)",
    "inferred": "inferred (linked by movemap from the order of reported stops)",
}
PRECISION_TEXT = {1: "to the day", 2: "within a week", 3: "coarser"}
GEO_PRECISION_TEXT = {1: "the place itself", 2: "near it or part of it", 3: "a large region's centre"}
MAX_EVIDENCE = 5
# A KML description lists this many sources of a leg or place (in the route's order), then says
# how many more there are: route.geojson, the CSVs, the GeoPackage and the KML's ExtendedData
# keep them all. (At 100,000 articles one leg can have thousands.)
MAX_POPUP_SOURCES = 25


_SPECIAL = re.compile(r"[&<>\"'{}]")


def esc(value: object) -> str:
    """HTML-escape any value (None -> empty string), quotes included.

    Braces become character references too: folium/branca pass some rendered markup
    through Jinja again, where ``{{ ... }}`` from an article would be evaluated.
    """
    if value is None:
        return ""
    text = str(value)
    if _SPECIAL.search(text) is None:
        return text
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


# --------------------------------------------------------------------------- highlighting


_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


_ASCII_WS = str.maketrans("\t\n\r\x0b\x0c", "     ")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=65536)
def _fold_run(run: str) -> tuple[str, tuple[int, ...]]:
    """A run of non-ASCII characters folded, with each folded character's offset in the run."""
    out, offsets = [], []
    for i, ch in enumerate(run):
        f = " " if ch.isspace() else anyascii(ch).lower()
        out.append(f)
        offsets.extend([i] * len(f))
    return "".join(out), tuple(offsets)


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case ASCII folding of ``text`` (each whitespace character a space) and, per
    folded character, its index in ``text``."""
    if text.isascii():
        return text.lower().translate(_ASCII_WS), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i > pos:
            out.append(text[pos:i].lower().translate(_ASCII_WS))
            index.extend(range(pos, i))
        folded, offsets = _fold_run(m.group())
        out.append(folded)
        index.extend([i + o for o in offsets])
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:].lower().translate(_ASCII_WS))
        index.extend(range(pos, len(text)))
    return "".join(out), index


@functools.lru_cache(maxsize=16384)
def _term_key(term: str) -> str | None:
    folded = " ".join(_fold(term)[0].split())
    if len(folded) < 2 or not any(c in _WORD for c in folded):
        return None
    return folded


def _literal_spans(sentence: str, lower: str, term: str) -> list[tuple[int, int]]:
    """Whole-word, case-insensitive occurrences of ``term`` in ``sentence`` (``lower`` is its
    lower-case form, of the same length)."""
    spans = []
    n, k = len(lower), len(term)
    at = lower.find(term)
    while at >= 0:
        end = at + k
        if (at == 0 or not lower[at - 1].isalnum()) and (end == n or not lower[end].isalnum()):
            spans.append((at, end))
        at = lower.find(term, at + 1)
    return spans


def highlight(sentence: str, terms: Iterable[str]) -> str:
    """``sentence`` as escaped HTML with ``<mark>`` around each occurrence of a term.

    Matching ignores case and diacritics (``Hamhung`` marks for ``Hamhŭng``, ``Хабаровск`` for
    ``Khabarovsk``) and only takes whole words; the longest term wins where matches overlap.
    The text is escaped piece by piece, so nothing in it can become markup.
    """
    sentence = str(sentence)
    terms = [t for t in dict.fromkeys(" ".join(str(t).split()) for t in terms if t) if len(t) >= 2]
    if not terms or not sentence:
        return esc(sentence)
    spans: list[tuple[int, int]] = []
    rest = terms
    lower = sentence.lower()
    if len(lower) == len(sentence):  # fast path: the term as written (any case)
        rest = []
        for t in terms:
            found = _literal_spans(sentence, lower, t.lower())
            if found:
                spans += found
            elif not (t.isascii() and sentence.isascii()):
                rest.append(t)  # may still match without diacritics or in another script
    keys = [k for k in dict.fromkeys(_term_key(t) for t in rest) if k]
    if keys:
        folded, index = _fold(sentence)
        n = len(folded)
        for key in keys:
            at = folded.find(key)
            while at >= 0:
                end = at + len(key)
                if (at == 0 or folded[at - 1] not in _WORD) and (end == n or folded[end] not in _WORD):
                    spans.append((index[at], index[end - 1] + 1))
                at = folded.find(key, at + 1)
    if not spans:
        return esc(sentence)
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    for a, b in spans:
        if a < pos:
            continue
        out.append(esc(sentence[pos:a]))
        out.append("<mark>" + esc(sentence[a:b]) + "</mark>")
        pos = b
    out.append(esc(sentence[pos:]))
    return "".join(out)


# --------------------------------------------------------------------------- fragments


def _date(d: date | None) -> str:
    return d.isoformat() if d is not None else ""


def _dates(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "date unknown"
    if start is not None and end is not None and start != end:
        return f"{_date(start)} – {_date(end)}"
    if start is not None and end is not None:
        return _date(start)
    return f"from {_date(start)}" if start is not None else f"until {_date(end)}"


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def source_entry(doc_id: str, meta: DocumentMeta | None) -> dict[str, str]:
    """One article as popup fragments: ``item`` (list entry: title or link, outlet, date, id)
    and ``cite`` (the outlet, or the id, under a quoted sentence). Both are escaped HTML."""
    if meta is None:
        return {"item": esc(doc_id), "cite": esc(doc_id)}
    bits = []
    title = esc(meta.title or meta.id)
    url = _safe_url(meta.url)
    if url:
        bits.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>')
    else:
        bits.append(title)
    extra = ", ".join(x for x in (esc(meta.outlet), esc(_date(meta.published))) if x)
    if extra:
        bits.append(f" ({extra})")
    if meta.title and meta.title != meta.id:
        bits.append(f' <span class="mm-doc">{esc(meta.id)}</span>')
    return {"item": "".join(bits), "cite": esc(meta.outlet) if meta.outlet else esc(doc_id)}


class SourcePositions:
    """Document ids -> positions in the page's source table: the route's documents first, in
    route order, then any other id as first cited."""

    def __init__(self, documents: Iterable[DocumentMeta] = ()):
        self.ids: list[str] = []
        self._pos: dict[str, int] = {}
        for d in documents:
            self._add(d)
        self.n_documents = len(self.ids)

    def _add(self, d: DocumentMeta) -> None:
        self.index(d.id)

    def index(self, doc_id: str) -> int:
        doc_id = str(doc_id)
        pos = self._pos.get(doc_id)
        if pos is None:
            pos = self._pos[doc_id] = len(self.ids)
            self.ids.append(doc_id)
        return pos


class SourceIndex(SourcePositions):
    """Source positions with each document's metadata and its (cached) table entry."""

    def __init__(self, documents: Iterable[DocumentMeta] = ()):
        self.meta: dict[str, DocumentMeta] = {}
        self._entries: dict[int, dict[str, str]] = {}
        super().__init__(documents)

    def _add(self, d: DocumentMeta) -> None:
        self.meta.setdefault(d.id, d)
        self.index(d.id)

    def __getitem__(self, pos: int) -> dict[str, str]:
        cached = self._entries.get(pos)
        if cached is None:
            doc_id = self.ids[pos]
            cached = self._entries[pos] = source_entry(doc_id, self.meta.get(doc_id))
        return cached

    def entries(self) -> list[dict[str, str]]:
        return [self[i] for i in range(len(self.ids))]


def _evidence_items(evidence: Iterable[Evidence], terms: Sequence[str], sources: SourceIndex,
                    limit: int | None = None) -> tuple[list, int]:
    """``[[source, sentence_html, span_text], ...]`` (at most MAX_EVIDENCE per document; at most
    ``limit`` in all when given) and how many sentences were left out."""
    items, per_doc, dropped = [], {}, 0
    for e in evidence:
        n = per_doc.get(e.document, 0)
        if n >= MAX_EVIDENCE or (limit is not None and len(items) >= limit):
            dropped += 1
            continue
        per_doc[e.document] = n + 1
        items.append([sources.index(e.document), highlight(e.sentence, terms), esc(f"{e.start}–{e.end}")])
    return items, dropped


def _row(label: str, value_html: str) -> list[str]:
    return [esc(label), value_html]


def leg_tooltip(leg: Leg) -> str:
    return f"{esc(leg.origin.name)} → {esc(leg.destination.name)} · {esc(leg.status)} · {esc(_dates(leg.start, leg.end))}"


def place_tooltip(rp: RoutePlace) -> str:
    return esc(rp.place.name) + (" (mentioned)" if rp.role == "mention" else "")


def _source_positions(docs, sources: SourceIndex, cap: int | None) -> tuple[list[int], int]:
    """Positions of ``docs`` in the source table (the first ``cap`` when given) and how many
    were left out."""
    if cap is None:
        return [sources.index(d) for d in docs], 0
    shown = [sources.index(d) for d in itertools.islice(docs, cap)]
    return shown, (len(docs) - len(shown)) if len(shown) == cap else 0


def leg_record(leg: Leg, sources: SourceIndex, terms: Sequence[str] = (), cap: int | None = None) -> dict:
    """The leg's popup as escaped fragments: ``t`` title, ``rows`` [label, value], ``src``
    source positions, ``ev`` evidence, ``more`` sentences left out, ``tip`` tooltip.
    ``terms`` are the names to mark in the evidence (both ends of the leg by default)."""
    dates = esc(_dates(leg.start, leg.end)) + f' <span class="mm-dim">({esc(PRECISION_TEXT.get(leg.time_precision, leg.time_precision))})</span>'
    if leg.date_values:
        dates += ' <span class="mm-dim">(sources differ: ' + esc(" / ".join(_dates(a, b) for a, b in leg.date_values)) + ")</span>"
    rows = [
        _row("Dates", dates),
        _row("Mode", esc(leg.mode)),
    ]
    if leg.count is not None or leg.count_values:
        count = esc(f"{leg.count:,}") if leg.count is not None else "unknown"
        others = list(leg.count_values)
        if len(set(others)) > 1:
            count += ' <span class="mm-dim">(sources differ: ' + esc(" / ".join(f"{c:,}" for c in others)) + ")</span>"
        rows.append(_row("Count", count))
    if leg.actor:
        rows.append(_row("Who", esc(leg.actor)))
    rows.append(_row("Status", esc(STATUS_TEXT.get(leg.status, leg.status))))
    rows.append(_row("Confidence", esc(f"{float(leg.confidence):.2f}")))
    terms = list(terms) or [leg.origin.name, leg.destination.name]
    ev, more = _evidence_items(leg.evidence, terms, sources, None if cap is None else MAX_EVIDENCE)
    src, more_src = _source_positions(leg.sources, sources, cap)
    rec = {
        "t": f"{esc(leg.origin.name)} → {esc(leg.destination.name)}",
        "rows": rows,
        "src": src,
        "ev": ev,
        "more": more,
        "tip": leg_tooltip(leg),
    }
    if more_src:
        rec["msrc"] = more_src
    return rec


def place_record(rp: RoutePlace, sources: SourceIndex, cap: int | None = None) -> dict:
    """The place's popup as escaped fragments (see :func:`leg_record`)."""
    p = rp.place
    where = ", ".join(esc(x) for x in (p.admin1, p.country_code) if x)
    rows = []
    if where:
        rows.append(_row("Where", where))
    rows.append(_row("Kind", esc(p.kind)))
    rows.append(_row("Role", "route stop" if rp.role == "route" else "mentioned only"))
    if rp.first_date or rp.last_date:
        rows.append(_row("Dates", esc(_dates(rp.first_date, rp.last_date))))
    rows.append(_row("Location", esc(GEO_PRECISION_TEXT.get(rp.geo_precision, rp.geo_precision))))
    rows.append(_row("Mentions", esc(rp.mention_count)))
    forms = [f for f in rp.surface_forms if f != p.name]
    if forms:
        rows.append(_row("Also written", esc(", ".join(forms))))
    rows.append(_row("Id", esc(p.id)))
    ev, more = _evidence_items(rp.evidence, [p.name, *rp.surface_forms], sources, None if cap is None else MAX_EVIDENCE)
    src, more_src = _source_positions(rp.sources, sources, cap)
    rec = {
        "t": esc(p.name),
        "rows": rows,
        "src": src,
        "ev": ev,
        "more": more,
        "tip": place_tooltip(rp),
    }
    if more_src:
        rec["msrc"] = more_src
    return rec


def popup_html(rec: dict, entries: Sequence[dict], only: int | None = None, claim: str = "") -> str:
    """Join a record's fragments into the popup HTML (``popupHtml`` in movemap.js does the same).

    ``only``: show just that source's evidence (when it has any); ``claim``: a heading (HTML).
    """
    out = ['<div class="mm-pop">', claim, f'<div class="mm-title">{rec["t"]}</div><table class="mm-tab">']
    out += [f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rec["rows"]]
    out.append("</table>")
    if rec["src"]:
        out.append('<div class="mm-h">Sources</div><ul class="mm-src">')
        out += [f'<li>{entries[s]["item"]}</li>' for s in rec["src"]]
        out.append("</ul>")
        if rec.get("msrc"):
            out.append(f'<div class="mm-more">and {rec["msrc"]} more source(s) in route.geojson</div>')
    ev, more = rec["ev"], rec["more"]
    if only is not None:
        mine = [e for e in ev if e[0] == only]
        if mine:
            ev, more = mine, 0
    if ev:
        out.append('<div class="mm-h">Evidence</div>')
        for s, sentence, span in ev[:MAX_EVIDENCE]:
            out.append(f'<blockquote class="mm-ev">&ldquo;{sentence}&rdquo;<cite>{entries[s]["cite"]} [{span}]</cite></blockquote>')
        more += max(0, len(ev) - MAX_EVIDENCE)
    if more:
        out.append(f'<div class="mm-more">and {more} more sentence(s) in route.geojson</div>')
    out.append("</div>")
    return "".join(out)


def _standalone(rec_fn, item, docs: dict[str, DocumentMeta], *args, cap: int | None = None) -> str:
    sources = SourceIndex(docs.values())
    rec = rec_fn(item, sources, *args, cap=cap)
    return popup_html(rec, sources)


def leg_popup(leg: Leg, docs: dict[str, DocumentMeta], terms: Sequence[str] = (), cap: int | None = None) -> str:
    """The leg's popup as one HTML fragment (KML descriptions); ``cap``: list at most that many
    sources (and say how many more)."""
    return _standalone(leg_record, leg, docs, terms, cap=cap)


def place_popup(rp: RoutePlace, docs: dict[str, DocumentMeta], cap: int | None = None) -> str:
    """The place's popup as one HTML fragment (KML descriptions); ``cap`` as for ``leg_popup``."""
    return _standalone(place_record, rp, docs, cap=cap)
