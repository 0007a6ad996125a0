"""route.html: the route as a Leaflet map (via folium), safe, offline-friendly and deterministic.

Layers, bottom to top: country outlines (Natural Earth, embedded, works offline), an optional
OpenStreetMap tile layer (off by default: it needs the network), legs grouped by status
(reported solid, expected dashed, inferred dotted) with popups and tooltips, "Route places"
and "Mentioned places" (hidden at first). All text from articles is HTML-escaped
(``maps.popups``) and embedded as JSON (``maps.layers.js_literal``). Element ids are counted,
not random, so the same route gives the same bytes; Leaflet itself is inlined when the
``xstatic-leaflet`` package is installed, and loaded from a CDN otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
from branca.element import Figure

from geo.model import Leg, Route, RoutePlace
from movemap.errors import OutputError

from .atomic import atomic_write
from .basemap import load_countries
from .geojson import _lonlat, sorted_legs
from .layers import (
    Attribution,
    CountryOutlines,
    DataLayer,
    InlineAssets,
    RouteMap,
    StaticHtml,
    deterministic_ids,
    leaflet_assets,
)
from .popups import esc, leg_popup, leg_tooltip, place_popup, place_tooltip

__all__ = ["render_html", "render_html_text", "LEG_STYLES", "ATTRIBUTION"]

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

ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/" target="_blank" rel="noopener">GeoNames</a> '
    '(<a href="https://creativecommons.org/licenses/by/4.0/" target="_blank" rel="noopener">CC BY 4.0</a>)'
    ' | Outlines: Made with <a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener">Natural Earth</a>'
    " | movemap"
)

_CSS = """
.mm-titlebox{position:absolute;top:10px;left:54px;z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;
 border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:600 15px/1.3 system-ui,sans-serif;max-width:60%;}
.mm-legend{position:absolute;bottom:28px;right:10px;z-index:1000;background:rgba(255,255,255,.92);padding:6px 9px;
 border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 system-ui,sans-serif;}
.mm-legend svg{vertical-align:middle;margin-right:4px}
.mm-pop{font:13px/1.4 system-ui,sans-serif;max-width:360px}
.mm-title{font-weight:700;font-size:14px;margin-bottom:4px}
.mm-tab th{text-align:left;padding-right:8px;vertical-align:top;color:#555;font-weight:600}
.mm-h{font-weight:700;margin-top:6px}
.mm-src{margin:2px 0 0 16px;padding:0}
.mm-doc,.mm-dim{color:#777;font-size:11px}
.mm-ev{margin:4px 0;padding:2px 6px;border-left:3px solid #ccc;color:#333}
.mm-ev cite{display:block;color:#777;font-size:11px;font-style:normal}
.mm-more{color:#777;font-size:11px}
"""


def _legend_html() -> str:
    rows = []
    for status, style in LEG_STYLES.items():
        dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
        cap = ' stroke-linecap="round"' if style.get("lineCap") == "round" else ""
        rows.append(
            f'<div><svg width="34" height="8"><line x1="1" y1="4" x2="33" y2="4" stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}"{dash}{cap}/></svg>{esc(LEG_LAYER_NAMES[status])}</div>'
        )
    p0, p2 = PLACE_STYLES[0], PLACE_STYLES[2]
    rows.append(
        f'<div><svg width="34" height="14"><circle cx="17" cy="7" r="5" fill="{p0["fillColor"]}" stroke="{p0["color"]}" '
        f'stroke-width="2"/></svg>Route place</div>'
    )
    rows.append(
        f'<div><svg width="34" height="14"><circle cx="17" cy="7" r="3.5" fill="{p2["fillColor"]}" stroke="{p2["color"]}" '
        f'stroke-width="1"/></svg>Mentioned place</div>'
    )
    return '<div class="mm-legend">' + "".join(rows) + "</div>"


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


def _leg_latlngs(leg: Leg, unwrap: _Unwrap) -> list[list[float]]:
    lon1, lat1 = _lonlat(leg.origin)
    lon2, lat2 = _lonlat(leg.destination)
    d1, d2 = unwrap.lon(lon1), unwrap.lon(lon2)
    if d2 - d1 > 180.0:
        d2 -= 360.0
    elif d1 - d2 > 180.0:
        d2 += 360.0
    return [[lat1, _round(d1)], [lat2, _round(d2)]]


def _place_style(rp: RoutePlace) -> int:
    return (0 if rp.role == "route" else 2) + (1 if rp.geo_precision >= 3 else 0)


def build_map(route: Route, title: str | None = None, inline: bool = True) -> Figure:
    """The folium Figure for the route. Call inside ``deterministic_ids()`` for stable ids."""
    shown_title = title if title is not None else (route.title or DEFAULT_TITLE)
    docs = {d.id: d for d in route.documents}
    legs = sorted_legs(route)

    place_lonlat = {id(rp): _lonlat(rp.place) for rp in route.places}  # validates coordinates
    all_lons = [lon for lon, _ in place_lonlat.values()]
    for leg in legs:
        all_lons += [_lonlat(leg.origin)[0], _lonlat(leg.destination)[0]]
    unwrap = _Unwrap(all_lons)

    fig = Figure(title=esc(shown_title))
    m = RouteMap(location=[20.0, 0.0], zoom_start=2, tiles=None, control_scale=True, world_copy_jump=False, prefer_canvas=False)
    fig.add_child(m)
    assets = leaflet_assets() if inline else None
    if assets is not None:
        m.default_js = []
        m.default_css = []
        m.add_child(InlineAssets(*assets), name="leaflet_inline")

    countries = load_countries()
    if countries:
        CountryOutlines(countries, unwrap.offsets).add_to(m)
    folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap tiles (online)",
        overlay=True,
        control=True,
        show=False,
    ).add_to(m)

    # legs, one layer per status, in sequence order
    by_status: dict[str, list[list]] = {}
    for leg in legs:
        by_status.setdefault(leg.status, []).append([_leg_latlngs(leg, unwrap), 0, leg_popup(leg, docs), leg_tooltip(leg)])
    for status in list(LEG_STYLES) + sorted(s for s in by_status if s not in LEG_STYLES):
        items = by_status.get(status)
        if not items:
            continue
        style = LEG_STYLES.get(status, _OTHER_STATUS_STYLE)
        name = LEG_LAYER_NAMES.get(status, f"{status.capitalize()} legs")
        DataLayer(name, "line", [style], items).add_to(m)

    route_items, mention_items = [], []
    for rp in route.places:
        lon, lat = place_lonlat[id(rp)]
        item = [[lat, _round(unwrap.lon(lon))], _place_style(rp), place_popup(rp, docs), place_tooltip(rp)]
        (route_items if rp.role == "route" else mention_items).append(item)
    DataLayer("Route places", "marker", PLACE_STYLES, route_items, show=True).add_to(m)
    DataLayer("Mentioned places", "marker", PLACE_STYLES, mention_items, show=False).add_to(m)

    folium.LayerControl(collapsed=False).add_to(m)
    Attribution(ATTRIBUTION).add_to(m)
    m.add_child(StaticHtml(f'<div class="mm-titlebox">{esc(shown_title)}</div>' + _legend_html(), css=_CSS), name="mm_static")

    # fit to the route's stops and legs; mentions only when there is no route
    pts = [it[0] for it in route_items]
    for items in by_status.values():
        for it in items:
            pts += it[0]
    if not pts:
        pts = [it[0] for it in mention_items]
    if pts:
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=9)
    return fig


def render_html_text(route: Route, title: str | None = None, inline: bool = True) -> str:
    """The page as text (same bytes for the same route)."""
    with deterministic_ids():
        fig = build_map(route, title=title, inline=inline)
        text = fig.render()
    return text if text.endswith("\n") else text + "\n"


def render_html(route: Route, path: str | os.PathLike, title: str | None = None, inline: bool = True) -> Path:
    """Write route.html atomically; return its path."""
    try:
        text = render_html_text(route, title=title, inline=inline)
    except OutputError:
        raise
    except (ValueError, TypeError) as exc:
        raise OutputError(f"{path}: cannot draw the route: {exc}") from exc
    return atomic_write(path, text)
