"""route.html: the route as a layered Leaflet map (via folium), offline, safe and deterministic.

The page is self-contained: Leaflet (from ``xstatic-leaflet``), the map's own script and
stylesheet (``maps/data/movemap.js``, ``movemap.css``) and the data are inlined, and the base
layer is Natural Earth country outlines embedded in the page. Nothing is fetched to draw it;
:func:`external_resources` checks the finished page and rendering fails rather than write a
page that would load something. An OpenStreetMap tile layer is offered, off by default.

Layers (a layer control lists them): country outlines, OSM tiles (online, off), legs by status
(reported solid, expected dashed, inferred dotted; an arrowhead at the middle of each leg
shows the direction, drawn with an inline SVG marker), route places, mentioned places (off),
and one layer per source article (off) drawing the legs and stops that article reports, in
its own colour. Popups quote the evidence with the places marked; a timeline (slider and
play button) shows the route as of a date; a legend explains the symbols; the view fits the
route. All text from articles is HTML-escaped (``maps.popups``) and embedded as JSON
(``maps.layers.js_literal``). Element ids are counted, not random, so the same route gives
the same bytes.
"""

from __future__ import annotations

import math
import os
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import folium
from branca.element import Figure

from geo.model import Leg, Route, RoutePlace
from movemap.errors import OutputError

from .atomic import atomic_write_chunks
from .basemap import load_countries
from .geojson import _lonlat, sorted_legs
from .layers import (
    Attribution,
    CountryOutlines,
    InlineAssets,
    RouteLayers,
    RouteMap,
    StaticHtml,
    deterministic_ids,
    js_literal,
    leaflet_assets,
)
from .popups import MAX_EVIDENCE, SourceIndex, SourcePositions, esc, leg_record, place_record, source_entry

__all__ = [
    "render_html",
    "render_html_text",
    "route_data",
    "external_resources",
    "LEG_STYLES",
    "SOURCE_COLORS",
    "ATTRIBUTION",
]

DEFAULT_TITLE = "movemap route"

LEG_STYLES = {
    "reported": {"color": "#c0392b", "weight": 3, "opacity": 0.9},
    "expected": {"color": "#e67e22", "weight": 3, "opacity": 0.9, "dashArray": "10 7"},
    "inferred": {"color": "#6c7a89", "weight": 2.5, "opacity": 0.9, "dashArray": "2 7", "lineCap": "round"},
}
LEG_LAYER_NAMES = {"reported": "Reported legs", "expected": "Expected legs", "inferred": "Inferred legs"}
_OTHER_STATUS_STYLE = {"color": "#8e44ad", "weight": 2, "opacity": 0.9}

PLACE_STYLES = [
    # 0 route stop, 1 route stop located only roughly, 2 mention, 3 mention located roughly
    {"radius": 6, "color": "#17365d", "weight": 2, "fillColor": "#4a90d9", "fillOpacity": 0.95},
    {"radius": 8, "color": "#17365d", "weight": 1.5, "dashArray": "3 3", "fillColor": "#4a90d9", "fillOpacity": 0.4},
    {"radius": 4, "color": "#5b3f8c", "weight": 1, "fillColor": "#b39ddb", "fillOpacity": 0.85},
    {"radius": 6, "color": "#5b3f8c", "weight": 1, "dashArray": "3 3", "fillColor": "#b39ddb", "fillOpacity": 0.4},
]

# one colour per source article (cycled), apart from the status colours
SOURCE_COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#393b79", "#637939", "#d62728"]

ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/" target="_blank" rel="noopener">GeoNames</a> '
    '(<a href="https://creativecommons.org/licenses/by/4.0/" target="_blank" rel="noopener">CC BY 4.0</a>)'
    ' | Outlines: Made with <a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener">Natural Earth</a>'
    " | movemap"
)

_MERCATOR_MAX_LAT = 85.0511287798


def _arrow_marker(marker_id: str, color: str, size: float) -> str:
    """An SVG arrowhead (scaled by the line's stroke width) for ``marker-mid``."""
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="{size}" markerHeight="{size}" '
        f'markerUnits="strokeWidth" orient="auto"><path d="M0,0L10,5L0,10z" fill="{color}" stroke="none"/></marker>'
    )


def _status_key(status: str) -> str:
    return status if status in LEG_STYLES else "other"


def _defs_and_css() -> tuple[str, str]:
    markers, css = [], []
    for key, style in list(LEG_STYLES.items()) + [("other", _OTHER_STATUS_STYLE)]:
        markers.append(_arrow_marker(f"mm-arrow-{key}", style["color"], 4))
        css.append(f".mm-arrow-{key}{{marker-mid:url(#mm-arrow-{key})}}")
    for i, color in enumerate(SOURCE_COLORS):
        markers.append(_arrow_marker(f"mm-arrow-s{i}", color, 2.4))
        css.append(f".mm-arrow-s{i}{{marker-mid:url(#mm-arrow-s{i})}}")
    defs = '<svg class="mm-defs" aria-hidden="true" focusable="false"><defs>' + "".join(markers) + "</defs></svg>"
    return defs, "\n".join(css) + "\n"


def _legend_html() -> str:
    rows = []
    for status, style in LEG_STYLES.items():
        dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
        cap = ' stroke-linecap="round"' if style.get("lineCap") == "round" else ""
        rows.append(
            f'<div><svg width="40" height="12"><path d="M2 6L20 6L38 6" fill="none" stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}"{dash}{cap} marker-mid="url(#mm-arrow-{status})"/></svg>'
            f"{esc(LEG_LAYER_NAMES[status])}</div>"
        )
    p0, p2 = PLACE_STYLES[0], PLACE_STYLES[2]
    rows.append(
        f'<div><svg width="40" height="14"><circle cx="20" cy="7" r="5" fill="{p0["fillColor"]}" stroke="{p0["color"]}" '
        f'stroke-width="2"/></svg>Route place</div>'
    )
    rows.append(
        f'<div><svg width="40" height="14"><circle cx="20" cy="7" r="3.5" fill="{p2["fillColor"]}" stroke="{p2["color"]}" '
        f'stroke-width="1"/></svg>Mentioned place</div>'
    )
    rows.append(
        f'<div><svg width="40" height="14"><path d="M4 7L36 7" stroke="{SOURCE_COLORS[0]}" stroke-width="6" '
        'stroke-opacity="0.55" stroke-linecap="round"/></svg>One source\'s claims</div>'
    )
    rows.append(
        '<div class="mm-note">Arrows point the way of travel. The timeline hides legs that start after '
        "the chosen date; undated legs always show.</div>"
    )
    return '<div id="mm-legend" class="mm-legend" style="display:none">' + "".join(rows) + "</div>"


class _Unwrap:
    """Longitudes for display: a route crossing the antimeridian is drawn in one piece.

    The longitudes are cut at the widest empty gap around the globe; if that gap is not at
    ±180 the ones west of the cut get +360, so Vladivostok (131.9) -> Anchorage (210.1)
    draws as a short line over the Pacific. The GeoJSON keeps RFC 7946 coordinates.
    """

    def __init__(self, lons: list[float]):
        self.cut: float | None = None
        pts = sorted(set(lons))
        if len(pts) < 2:
            return
        wrap_gap = pts[0] + 360.0 - pts[-1]
        best_gap, best_i = max((pts[i + 1] - pts[i], i) for i in range(len(pts) - 1))
        if best_gap > wrap_gap:
            self.cut = pts[best_i + 1]

    def lon(self, lon: float) -> float:
        return lon + 360.0 if self.cut is not None and lon < self.cut else lon

    @property
    def offsets(self) -> list[int]:
        return [0, 360] if self.cut is not None else [0]


def _round(x: float) -> float:
    v = round(x, 5)
    return 0.0 if v == 0 else v


def _merc_y(lat: float) -> float:
    lat = max(-_MERCATOR_MAX_LAT, min(_MERCATOR_MAX_LAT, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _merc_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _leg_latlngs(leg: Leg, unwrap: _Unwrap) -> list[list[float]]:
    """[origin, middle, destination] as [lat, lon]: the middle vertex (halfway on the map's
    Web Mercator line) carries the arrowhead; legs across the antimeridian stay short."""
    lon1, lat1 = _lonlat(leg.origin)
    lon2, lat2 = _lonlat(leg.destination)
    d1, d2 = unwrap.lon(lon1), unwrap.lon(lon2)
    if d2 - d1 > 180.0:
        d2 -= 360.0
    elif d1 - d2 > 180.0:
        d2 += 360.0
    mid_lat = _merc_lat((_merc_y(lat1) + _merc_y(lat2)) / 2)
    return [[lat1, _round(d1)], [_round(mid_lat), _round((d1 + d2) / 2)], [lat2, _round(d2)]]


def _place_style(rp: RoutePlace) -> int:
    return (0 if rp.role == "route" else 2) + (1 if rp.geo_precision >= 3 else 0)


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


def route_data(route: Route) -> tuple[dict, list[int]]:
    """The route as the page's JSON document (see ``maps/data/movemap.js``) and the longitude
    offsets at which to repeat the country outlines."""
    legs = sorted_legs(route)
    place_lonlat = {id(rp): _lonlat(rp.place) for rp in route.places}  # validates coordinates
    all_lons = [lon for lon, _ in place_lonlat.values()]
    for leg in legs:
        all_lons += [_lonlat(leg.origin)[0], _lonlat(leg.destination)[0]]
    unwrap = _Unwrap(all_lons)

    sources = SourceIndex(route.documents)
    forms: dict[str, tuple[str, ...]] = {}
    for rp in route.places:
        forms[rp.place.id] = tuple(dict.fromkeys((*forms.get(rp.place.id, ()), rp.place.name, *rp.surface_forms)))

    statuses = list(LEG_STYLES) + sorted({leg.status for leg in legs} - set(LEG_STYLES))
    status_pos = {s: i for i, s in enumerate(statuses)}
    leg_items, starts_by_place = [], {}
    for leg in legs:
        terms = [*forms.get(leg.origin.id, (leg.origin.name,)), *forms.get(leg.destination.id, (leg.destination.name,))]
        rec = leg_record(leg, sources, terms)
        leg_items.append([_leg_latlngs(leg, unwrap), status_pos[leg.status], _iso(leg.start), rec])
        for pid in (leg.origin.id, leg.destination.id):
            starts_by_place.setdefault(pid, []).append(leg.start)

    place_items = []
    for rp in route.places:
        lon, lat = place_lonlat[id(rp)]
        starts = starts_by_place.get(rp.place.id) if rp.role == "route" else None
        if starts:  # a stop shows from its first leg on (always, when one of its legs is undated)
            since = None if any(s is None for s in starts) else min(starts).isoformat()
        else:
            since = _iso(rp.first_date)
        place_items.append([[lat, _round(unwrap.lon(lon))], _place_style(rp), 1 if rp.role != "route" else 0, since,
                            place_record(rp, sources)])

    # timeline from the first date something appears to the last date anything is known
    firsts = [it[2] for it in leg_items if it[2]] + [it[3] for it in place_items if it[3]]
    lasts = firsts + [_iso(d) for leg in legs for d in (leg.start, leg.end) if d is not None]
    lasts += [_iso(d) for rp in route.places for d in (rp.first_date, rp.last_date) if d is not None]
    timeline = {"min": min(firsts), "max": max(lasts)} if firsts else None

    # bounds: the route's stops and legs; mentions only when there is no route
    pts = [it[0] for it in place_items if not it[2]] + [p for it in leg_items for p in it[0]]
    if not pts:
        pts = [it[0] for it in place_items]
    bounds = None
    if pts:
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]

    legs_per_source: dict[int, int] = {}
    stops_per_source: dict[int, int] = {}
    for it in leg_items:
        for s in set(it[3]["src"]):
            legs_per_source[s] = legs_per_source.get(s, 0) + 1
    for it in place_items:
        for s in set(it[4]["src"]) if not it[2] else ():
            stops_per_source[s] = stops_per_source.get(s, 0) + 1
    entries = [_source_item(s, doc_id, sources.meta.get(doc_id), legs_per_source.get(s, 0),
                            stops_per_source.get(s, 0), sources[s])
               for s, doc_id in enumerate(sources.ids)]

    data = {
        "statuses": [
            {
                "key": esc(st),
                "name": esc(LEG_LAYER_NAMES.get(st, f"{str(st).capitalize()} legs")),
                "cls": f"mm-leg-{_status_key(st)} mm-arrow-{_status_key(st)}",
                "style": LEG_STYLES.get(st, _OTHER_STATUS_STYLE),
            }
            for st in statuses
        ],
        "placeStyles": PLACE_STYLES,
        "sources": entries,
        "legs": leg_items,
        "places": place_items,
        "timeline": timeline,
        "bounds": bounds,
        "maxEvidence": MAX_EVIDENCE,
    }
    return data, unwrap.offsets


def build_map(route: Route, title: str | None = None, data_js: str | None = None,
              offsets: list[int] | None = None) -> Figure:
    """The folium Figure for the route. Call inside ``deterministic_ids()`` for stable ids.
    ``data_js``/``offsets``: the page's data (or a stand-in for it) and the outline offsets,
    when the caller has them (the streaming writer puts the data in afterwards)."""
    shown_title = title if title is not None else (route.title or DEFAULT_TITLE)
    if data_js is None or offsets is None:
        data, offsets = route_data(route)
        data_js = js_literal(data)

    fig = Figure(title=esc(shown_title))
    m = RouteMap(location=[20.0, 0.0], zoom_start=2, tiles=None, control_scale=True, world_copy_jump=False, prefer_canvas=False,
                 zoom_snap=0.25, zoom_delta=0.5)
    fig.add_child(m)
    m.add_child(InlineAssets(*leaflet_assets()), name="leaflet_inline")

    fixed = []
    countries = load_countries()
    if countries:
        outlines = CountryOutlines(countries, offsets)
        outlines.add_to(m)
        fixed.append(("Country outlines", outlines))
    tiles = folium.TileLayer("OpenStreetMap", name="OpenStreetMap tiles (online)", overlay=True, control=False, show=False)
    tiles.add_to(m)
    fixed.append(("OpenStreetMap tiles (online)", tiles))

    defs, arrow_css = _defs_and_css()
    m.add_child(RouteLayers(None, fixed, css=arrow_css, data_js=data_js), name="mm_route")
    Attribution(ATTRIBUTION).add_to(m)
    m.add_child(StaticHtml(f'<div class="mm-titlebox">{esc(shown_title)}</div>' + defs + _legend_html()), name="mm_static")
    return fig


class _Resources(HTMLParser):
    """Collects what a page would load: src/href of resource tags, url() and @import in CSS."""

    _TAGS = {"script", "link", "img", "iframe", "frame", "embed", "object", "source", "audio", "video",
             "track", "image", "use", "input", "base", "meta"}
    _ATTRS = {"src", "href", "data", "srcset", "poster", "xlink:href", "background", "content"}
    _CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I | re.S)

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def _check_url(self, url: str, where: str) -> None:
        u = url.strip()
        if not u or u.startswith(("data:", "#")):
            return
        self.found.append(f"{where}: {u[:120]}")

    def _check_css(self, css: str, where: str) -> None:
        for m in self._CSS_URL.finditer(css):
            self._check_url(m.group(2) if m.group(2) is not None else (m.group(4) or "?"), where)

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for k, v in attrs:
            if v is None:
                continue
            if k == "style":
                self._check_css(v, f"<{tag} style>")
            elif tag in self._TAGS and k in self._ATTRS:
                if tag == "meta" and k == "content" and not re.search(r"url=", v, re.I):
                    continue
                self._check_url(v, f"<{tag} {k}>")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._check_css(data, "<style>")


def external_resources(page: str) -> list[str]:
    """What the page's markup and CSS would load from outside itself (should be nothing).

    Links a reader may follow (``<a href>``) are not loads; scripts are checked in a browser
    by the tests (every request blocked), not here.
    """
    p = _Resources()
    p.feed(page)
    p.close()
    return p.found


def _iter_html(route: Route, title: str | None = None):
    """The page in pieces: the folium page is rendered around a stand-in for the data, which
    is then written a source, leg and place at a time (:func:`_iter_data_js`), so a route
    with many sources and much evidence never sits in memory as one string."""
    plan = _Plan(route)
    marker = f"movemap-data-{uuid.uuid4().hex}"
    with deterministic_ids():
        fig = build_map(route, title=title, data_js=marker, offsets=plan.offsets)
        text = fig.render()
    text = text if text.endswith("\n") else text + "\n"
    head, sep, tail = text.partition(marker)
    if not sep or marker in tail:
        raise OutputError("route.html: the page template lost the route data")  # pragma: no cover
    # The data is JSON inside <script type="application/json"> made safe by js_literal: no
    # markup in it can load anything, so the page around it is what needs checking.
    loads = external_resources(head + tail)
    if loads:
        raise OutputError("route.html would load external resources: " + "; ".join(loads[:5]))
    yield head
    yield from _iter_data_js(route, plan)
    yield tail


def render_html_text(route: Route, title: str | None = None) -> str:
    """The page as text (same bytes for the same route)."""
    return "".join(_iter_html(route, title))


def render_html(route: Route, path: str | os.PathLike, title: str | None = None) -> Path:
    """Write route.html atomically, streaming the route data; return its path."""
    try:
        return atomic_write_chunks(path, _iter_html(route, title=title))
    except OutputError:
        raise
    except (ValueError, TypeError) as exc:
        raise OutputError(f"{path}: cannot draw the route: {exc}") from exc


class _Plan:
    """What :func:`route_data` computes from all the records, computed without keeping them:
    the source positions (in the order the records would create them), the sources' leg and
    stop counts, the timeline, the bounds and the outline offsets."""

    def source_counts(self, s: int) -> tuple[int, int]:
        return self.legs_per_source.get(s, 0), self.stops_per_source.get(s, 0)

    def __init__(self, route: Route) -> None:
        legs = sorted_legs(route)
        place_lonlat = [_lonlat(rp.place) for rp in route.places]  # validates coordinates
        all_lons = [lon for lon, _ in place_lonlat]
        for leg in legs:
            all_lons += [_lonlat(leg.origin)[0], _lonlat(leg.destination)[0]]
        self.unwrap = unwrap = _Unwrap(all_lons)
        self.offsets = unwrap.offsets
        self.legs = legs
        self.sources = sources = SourcePositions(route.documents)
        self.forms: dict[str, tuple[str, ...]] = {}
        for rp in route.places:
            self.forms[rp.place.id] = tuple(dict.fromkeys((*self.forms.get(rp.place.id, ()), rp.place.name,
                                                            *rp.surface_forms)))
        self.statuses = list(LEG_STYLES) + sorted({leg.status for leg in legs} - set(LEG_STYLES))
        self.status_pos = {st: i for i, st in enumerate(self.statuses)}

        self.legs_per_source: dict[int, int] = {}
        self.stops_per_source: dict[int, int] = {}
        firsts: list[str] = []
        lasts: list[str] = []
        pts: list[list[float]] = []
        self.starts_by_place: dict[str, list] = {}
        for leg in legs:
            _index_evidence(leg.evidence, sources)
            for s in {sources.index(d) for d in leg.sources}:
                self.legs_per_source[s] = self.legs_per_source.get(s, 0) + 1
            if leg.start is not None:
                firsts.append(leg.start.isoformat())
            pts += _leg_latlngs(leg, unwrap)
            for pid in (leg.origin.id, leg.destination.id):
                self.starts_by_place.setdefault(pid, []).append(leg.start)
        all_pts = []
        for rp, (lon, lat) in zip(route.places, place_lonlat):
            _index_evidence(rp.evidence, sources)
            src = {sources.index(d) for d in rp.sources}
            pt = [lat, _round(unwrap.lon(lon))]
            all_pts.append(pt)
            if rp.role == "route":
                for s in src:
                    self.stops_per_source[s] = self.stops_per_source.get(s, 0) + 1
            since = self.since(rp)
            if since:
                firsts.append(since)
        # same order as route_data's: leg starts, place starts, then every known date
        lasts = firsts + [_iso(d) for leg in legs for d in (leg.start, leg.end) if d is not None]
        lasts += [_iso(d) for rp in route.places for d in (rp.first_date, rp.last_date) if d is not None]
        self.timeline = {"min": min(firsts), "max": max(lasts)} if firsts else None
        route_pts = [pt for pt, rp in zip(all_pts, route.places) if rp.role == "route"] + pts
        if not route_pts:
            route_pts = all_pts
        self.bounds = None
        if route_pts:
            lats, lons = [q[0] for q in route_pts], [q[1] for q in route_pts]
            self.bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]

    def since(self, rp: RoutePlace) -> str | None:
        starts = self.starts_by_place.get(rp.place.id) if rp.role == "route" else None
        if starts:  # a stop shows from its first leg on (always, when one of its legs is undated)
            return None if any(x is None for x in starts) else min(starts).isoformat()
        return _iso(rp.first_date)


def _index_evidence(evidence, sources: SourcePositions) -> None:
    """Index the documents ``_evidence_items`` would cite (at most MAX_EVIDENCE per document)."""
    per_doc: dict[str, int] = {}
    for e in evidence:
        n = per_doc.get(e.document, 0)
        if n >= MAX_EVIDENCE:
            continue
        per_doc[e.document] = n + 1
        sources.index(e.document)


def _source_item(s: int, doc_id: str, meta, n_legs: int, n_stops: int, entry: dict | None = None) -> dict:
    """The page's entry for source ``s``: its legend line, its claim line and its counts."""
    color = SOURCE_COLORS[s % len(SOURCE_COLORS)]
    who = (meta.outlet if meta and meta.outlet else None) or (meta.title if meta and meta.title else None) or doc_id
    when = meta.published.isoformat() if meta and meta.published else ""
    full = " · ".join(x for x in (meta.outlet if meta else None, when, meta.title if meta else None, doc_id) if x)
    full += f" ({_plural(n_legs, 'leg')}, {_plural(n_stops, 'stop')})"
    first = " mm-src-first" if s == 0 else ""
    name = (
        f'<span class="mm-sw{first}" style="background:{color}"></span><span title="{esc(full)}">'
        f"{esc(_short(who, 26))}{', ' + esc(when) if when else ''}</span> <span class=\"mm-dim\">({esc(_plural(n_legs, 'leg'))})</span>"
    )
    claim = (
        f'<div class="mm-claim" style="border-left-color:{color}">As reported by <b>{esc(who)}</b>'
        f"{' (' + esc(when) + ')' if when else ''}"
        f"{': <i>' + esc(meta.title) + '</i>' if meta and meta.title and meta.title != who else ''}</div>"
    )
    entry = source_entry(doc_id, meta) if entry is None else entry
    return {**entry, "name": name, "claim": claim, "color": color,
            "cls": f"mm-arrow-s{s % len(SOURCE_COLORS)}", "legs": n_legs, "places": n_stops}


def _iter_data_js(route: Route, plan: _Plan):
    """``js_literal(route_data(route)[0])`` in pieces (js_literal of the parts joined by JSON's
    own punctuation is js_literal of the whole: its escapes never span a comma or bracket)."""
    statuses = [
        {
            "key": esc(st),
            "name": esc(LEG_LAYER_NAMES.get(st, f"{str(st).capitalize()} legs")),
            "cls": f"mm-leg-{_status_key(st)} mm-arrow-{_status_key(st)}",
            "style": LEG_STYLES.get(st, _OTHER_STATUS_STYLE),
        }
        for st in plan.statuses
    ]
    sources = plan.sources
    yield '{"statuses":' + js_literal(statuses) + ',"placeStyles":' + js_literal(PLACE_STYLES) + ',"sources":['
    s = 0
    for d in route.documents:
        if s < sources.n_documents and sources.ids[s] == d.id:  # a repeated id keeps its first entry
            yield ("," if s else "") + js_literal(_source_item(s, d.id, d, *plan.source_counts(s)))
            s += 1
    for s in range(s, len(sources.ids)):
        yield ("," if s else "") + js_literal(_source_item(s, sources.ids[s], None, *plan.source_counts(s)))
    yield '],"legs":['
    for k, leg in enumerate(plan.legs):
        terms = [*plan.forms.get(leg.origin.id, (leg.origin.name,)),
                 *plan.forms.get(leg.destination.id, (leg.destination.name,))]
        item = [_leg_latlngs(leg, plan.unwrap), plan.status_pos[leg.status], _iso(leg.start),
                leg_record(leg, sources, terms)]
        yield ("," if k else "") + js_literal(item)
    yield '],"places":['
    for k, rp in enumerate(route.places):
        lon, lat = _lonlat(rp.place)
        item = [[lat, _round(plan.unwrap.lon(lon))], _place_style(rp), 1 if rp.role != "route" else 0,
                plan.since(rp), place_record(rp, sources)]
        yield ("," if k else "") + js_literal(item)
    yield ('],"timeline":' + js_literal(plan.timeline) + ',"bounds":' + js_literal(plan.bounds)
           + ',"maxEvidence":' + js_literal(MAX_EVIDENCE) + "}")
