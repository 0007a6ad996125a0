"""Popup and tooltip HTML for the map, built from untrusted article text.

Every string that comes from a route (names, actors, titles, outlets, sentences, ids, URLs)
goes through :func:`esc` (``html.escape`` with quotes) before it is put into markup; links
are only made for http(s) URLs. The results are HTML fragments that the map sets as the
content of Leaflet popups and tooltips.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Iterable
from urllib.parse import urlsplit

from geo.model import DocumentMeta, Evidence, Leg, RoutePlace

__all__ = ["esc", "leg_popup", "leg_tooltip", "place_popup", "place_tooltip", "STATUS_TEXT", "PRECISION_TEXT"]

STATUS_TEXT = {
    "reported": "reported (the text says it happened)",
    "expected": "expected (announced or planned)",
    "inferred": "inferred (linked by movemap from the order of reported stops)",
}
PRECISION_TEXT = {1: "to the day", 2: "within a week", 3: "coarser"}
GEO_PRECISION_TEXT = {1: "the place itself", 2: "near it or part of it", 3: "a large region's centre"}
MAX_EVIDENCE = 5


def esc(value: object) -> str:
    """HTML-escape any value (None -> empty string), quotes included.

    Braces become character references too: folium/branca pass some rendered markup
    through Jinja again, where ``{{ ... }}`` from an article would be evaluated.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


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


def _row(label: str, value_html: str) -> str:
    return f"<tr><th>{esc(label)}</th><td>{value_html}</td></tr>"


def _source_item(doc_id: str, docs: dict[str, DocumentMeta]) -> str:
    meta = docs.get(doc_id)
    if meta is None:
        return f"<li>{esc(doc_id)}</li>"
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
    return "<li>" + "".join(bits) + "</li>"


def _sources(doc_ids: Iterable[str], docs: dict[str, DocumentMeta]) -> str:
    items = [_source_item(d, docs) for d in doc_ids]
    if not items:
        return ""
    return '<div class="mm-h">Sources</div><ul class="mm-src">' + "".join(items) + "</ul>"


def _evidence(evidence: Iterable[Evidence], docs: dict[str, DocumentMeta]) -> str:
    ev = list(evidence)
    if not ev:
        return ""
    out = ['<div class="mm-h">Evidence</div>']
    for e in ev[:MAX_EVIDENCE]:
        meta = docs.get(e.document)
        who = esc(meta.outlet) if meta is not None and meta.outlet else esc(e.document)
        out.append(
            f'<blockquote class="mm-ev">&ldquo;{esc(e.sentence)}&rdquo;'
            f'<cite>{who} [{esc(e.start)}–{esc(e.end)}]</cite></blockquote>'
        )
    if len(ev) > MAX_EVIDENCE:
        out.append(f'<div class="mm-more">and {len(ev) - MAX_EVIDENCE} more sentence(s) in route.geojson</div>')
    return "".join(out)


def leg_tooltip(leg: Leg) -> str:
    return f"{esc(leg.origin.name)} → {esc(leg.destination.name)} · {esc(leg.status)} · {esc(_dates(leg.start, leg.end))}"


def leg_popup(leg: Leg, docs: dict[str, DocumentMeta]) -> str:
    rows = [
        _row("Dates", esc(_dates(leg.start, leg.end)) + f' <span class="mm-dim">({esc(PRECISION_TEXT.get(leg.time_precision, leg.time_precision))})</span>'),
        _row("Mode", esc(leg.mode)),
    ]
    if leg.count is not None or leg.count_values:
        count = esc(f"{leg.count:,}") if leg.count is not None else "unknown"
        others = [c for c in leg.count_values]
        if len(set(others)) > 1:
            count += ' <span class="mm-dim">(sources differ: ' + esc(" / ".join(f"{c:,}" for c in others)) + ")</span>"
        rows.append(_row("Count", count))
    if leg.actor:
        rows.append(_row("Who", esc(leg.actor)))
    rows.append(_row("Status", esc(STATUS_TEXT.get(leg.status, leg.status))))
    rows.append(_row("Confidence", esc(f"{float(leg.confidence):.2f}")))
    return (
        '<div class="mm-pop">'
        f'<div class="mm-title">{esc(leg.origin.name)} → {esc(leg.destination.name)}</div>'
        f'<table class="mm-tab">{"".join(rows)}</table>'
        f"{_sources(leg.sources, docs)}{_evidence(leg.evidence, docs)}"
        "</div>"
    )


def place_tooltip(rp: RoutePlace) -> str:
    return esc(rp.place.name) + (" (mentioned)" if rp.role == "mention" else "")


def place_popup(rp: RoutePlace, docs: dict[str, DocumentMeta]) -> str:
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
    return (
        '<div class="mm-pop">'
        f'<div class="mm-title">{esc(p.name)}</div>'
        f'<table class="mm-tab">{"".join(rows)}</table>'
        f"{_sources(rp.sources, docs)}{_evidence(rp.evidence, docs)}"
        "</div>"
    )
