"""Folium/branca elements for the route map, built for safety, size and determinism.

* Data go into the page only as JSON literals made safe for a ``<script>`` block
  (:func:`js_literal`); no article text is ever placed in a Jinja template source or a JS
  template literal (folium's Popup/Tooltip do the latter, where ``${...}`` or ``\\x3c``
  in a sentence would run or become markup).
* The route is one JSON document drawn by ``maps/data/movemap.js`` (:class:`RouteLayers`),
  instead of one folium object (and one block of script) per feature: the page stays small
  and renders fast with thousands of features.
* Nothing is loaded from the network: Leaflet is inlined from ``xstatic-leaflet``
  (:func:`leaflet_assets`, which fails loudly rather than fall back to a CDN).
* :func:`deterministic_ids` replaces folium's random element ids with counted ones while a
  map is built and rendered, so the same map gives the same bytes.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import itertools
import json
import re
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator

import folium
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template

from movemap.errors import OutputError

__all__ = [
    "js_literal",
    "RouteMap",
    "RouteLayers",
    "CountryOutlines",
    "StaticHtml",
    "InlineAssets",
    "Attribution",
    "deterministic_ids",
    "find_random_ids",
    "leaflet_assets",
    "static_asset",
]

_DATA = Path(__file__).resolve().parent / "data"


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_literal(obj: Any) -> str:
    """JSON for a value, safe to place inside an HTML ``<script>`` element.

    ``</`` becomes ``<\\/`` and ``<!`` becomes ``\\u003c!`` (both still valid JSON and JS), so no
    ``</script>`` or ``<!--`` can close or confuse the block; U+2028/U+2029 are escaped for
    old JS engines.
    A ``{`` opening ``{{``, ``{%`` or ``{#`` becomes ``\\u007b``: branca compiles each rendered
    script block as a Jinja template once more, so data must never look like Jinja syntax
    (JSON structure itself never puts ``{`` before ``{``, ``%`` or ``#``).
    """
    s = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    s = (
        s.replace("</", "<\\/")
        .replace("<!", "\\u003c!")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", s)


class _Raw(Element):
    """Already-rendered text, output as is (branca would compile it as a Jinja template)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _RawRenderMixin:
    """Render a MacroElement's header/html/script macros without re-parsing them as Jinja.

    branca's MacroElement.render wraps each rendered macro in ``Element(text)``, which
    compiles the text as a Jinja template again: slow for megabytes of data and, with text
    from articles in it, a template injection. Here the rendered text is added verbatim.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        if isinstance(self, folium.map.Layer) and self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in list(self._children.values()):
            child.render(**kwargs)


class RouteMap(folium.Map):
    """A folium Map that loads nothing from the network: no jQuery, Bootstrap, icon fonts or CDN
    Leaflet. Leaflet itself is inlined by :class:`InlineAssets` (from ``xstatic-leaflet``)."""

    default_js: list = []
    default_css: list = []


_CSS_URL = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")


def leaflet_assets() -> tuple[str, str]:
    """(leaflet.js, leaflet.css) text from the xstatic-leaflet package, self-contained.

    The images the CSS refers to (layer control icon, default marker) become data: URIs, the
    source map comment is dropped. Raises OutputError when the package is missing or broken:
    the page must never need the network to draw.
    """
    try:
        import xstatic.pkg.leaflet as xl  # type: ignore[import-not-found]
    except ImportError:
        raise OutputError("cannot inline Leaflet: the xstatic-leaflet package is not installed "
                          "(pip install xstatic-leaflet)") from None
    return _leaflet_assets(xl.BASE_DIR)


@functools.lru_cache(maxsize=2)
def _leaflet_assets(base_dir: str) -> tuple[str, str]:
    base = Path(base_dir)
    try:
        js = (base / "leaflet.js").read_text(encoding="utf-8")
        css = (base / "leaflet.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot inline Leaflet from {base}: {exc.strerror or exc}") from None
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js)

    def data_uri(m: re.Match) -> str:
        img = base / m.group(2)
        if not img.is_file():
            raise OutputError(f"cannot inline Leaflet: {img} is missing")
        return "url(data:image/png;base64," + base64.b64encode(img.read_bytes()).decode("ascii") + ")"

    css = _CSS_URL.sub(data_uri, css)
    if re.search(r"</(script|style)", js + css, re.I):
        raise OutputError("cannot inline Leaflet: its code contains a closing script/style tag")
    return js, css


def static_asset(name: str) -> str:
    """Text of a file in ``maps/data`` (the page's own JS and CSS)."""
    return _static_asset(name)


@functools.lru_cache(maxsize=8)
def _static_asset(name: str) -> str:
    path = _DATA / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if re.search(r"</(script|style)|<!--", text, re.I):
        raise OutputError(f"{path}: must not contain a closing script/style tag or <!--")
    return text


class InlineAssets(_RawRenderMixin, MacroElement):
    """Leaflet's JS and CSS inlined in the page head, so the map draws with no network."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, js: str, css: str):
        super().__init__()
        self._name = "InlineAssets"
        self.js = js
        self.css = css


class StaticHtml(_RawRenderMixin, MacroElement):
    """A fixed piece of markup in the page body and optional CSS in the head.

    ``html`` must already be safe (escaped by the caller); it is a value, never a template.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}{% if this.css %}<style>{{ this.css }}</style>{% endif %}{% endmacro %}
        {% macro html(this, kwargs) %}{{ this.html }}{% endmacro %}
        """
    )

    def __init__(self, html: str, css: str = ""):
        super().__init__()
        self._name = "StaticHtml"
        self.html = html
        self.css = css


class Attribution(_RawRenderMixin, MacroElement):
    """Adds credit lines (already-safe HTML) to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_js }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Attribution"
        self.text_js = js_literal(html)


class RouteLayers(_RawRenderMixin, MacroElement):
    """The route itself: legs, places, per-source layers, layer control, timeline and legend.

    The page gets three pieces: ``maps/data/movemap.js`` and ``movemap.css`` in the head, the
    route as one JSON document in ``<script type="application/json" id="movemap-data">`` (made
    safe by :func:`js_literal`), and one call ``movemapRoute(map, fixed, data)`` that draws it.
    ``fixed`` lists the folium layers drawn before (outlines, tiles) as ``[name_html, layer]``
    so the layer control lists them first. All strings in ``data`` are escaped HTML already.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <script type="application/json" id="movemap-data">{{ this.data_js }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        movemapRoute({{ this._parent.get_name() }}, [{{ this.fixed_js }}],
            JSON.parse(document.getElementById("movemap-data").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, data: dict | None, fixed: Iterable[tuple[str, Element]] = (), css: str = "",
                 data_js: str | None = None):
        super().__init__()
        self._name = "RouteLayers"
        self.js = static_asset("movemap.js")
        self.css = static_asset("movemap.css") + css
        # data_js: the data already as js_literal text (or a stand-in the caller replaces)
        self.data_js = js_literal(data) if data_js is None else data_js
        self._fixed = list(fixed)

    @property
    def fixed_js(self) -> str:
        return ", ".join(f"[{js_literal(name)}, {layer.get_name()}]" for name, layer in self._fixed)


class CountryOutlines(_RawRenderMixin, folium.FeatureGroup):
    """Country outlines from embedded GeoJSON, drawn once per longitude offset.

    Offsets (0, ±360) repeat the outlines beside the antimeridian when the route is drawn
    unwrapped there, so stops east of 180° still sit on their coastlines. They go in their own
    pane under the tiles, so an optional tile layer covers them and the route stays on top.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function (map, group, data, offsets, style) {
            if (!map.getPane("mm-base")) { map.createPane("mm-base").style.zIndex = 150; }
            offsets.forEach(function (off) {
                group.addLayer(L.geoJSON(data, {
                    style: function () { return style; },
                    interactive: false,
                    pane: "mm-base",
                    coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + off); }
                }));
            });
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.data_js }}, {{ this.offsets_js }}, {{ this.style_js }});
        {% endmacro %}
        """
    )

    def __init__(self, geojson_text: str, offsets: Iterable[int] = (0,), name: str = "Country outlines", show: bool = True):
        super().__init__(name=name, overlay=True, control=False, show=show)
        self._name = "CountryOutlines"
        # the text is our own data file; re-encode it anyway so it cannot break out of the script
        self.data_js = js_literal(json.loads(geojson_text))
        self.offsets_js = js_literal([int(o) for o in offsets])
        self.style_js = js_literal(
            {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f2efe9", "fillOpacity": 1.0, "opacity": 1.0,
             "className": "mm-country"}
        )


_UUID_NAME = re.compile(r"(?<=_)[0-9a-f]{32}\b")
_ID_LOCK = threading.RLock()


@contextlib.contextmanager
def deterministic_ids(prefix: str = "") -> Iterator[None]:
    """Within the block, new branca/folium elements get ids counted from 0 instead of random.

    folium names every JS variable ``<kind>_<random hex>``; building and rendering a map
    inside this block makes those names, and so the page, the same on every run. The ids
    are unique within the block, which is all a page needs. A lock serialises map builds
    across threads while the class hook is in place.
    """
    with _ID_LOCK:
        counter = itertools.count()
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):04d}")  # type: ignore[method-assign]
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]


def find_random_ids(html_text: str) -> list[str]:
    """Random folium ids left in a page (should be none)."""
    return sorted(set(_UUID_NAME.findall(html_text)))
