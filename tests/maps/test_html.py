"""route.html: layers, popups, escaping of untrusted text, determinism, size."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest

from geo.model import Evidence, Route
from maps.html import ATTRIBUTION, render_html, render_html_text
from maps.layers import find_random_ids, js_literal

XSS = "<img src=x onerror=alert(1)>"  # as in tests/maps/conftest.py

POPUP_TAGS = {"div", "table", "tr", "th", "td", "span", "ul", "li", "a", "blockquote", "cite"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _tags(fragment: str) -> _Tags:
    p = _Tags()
    p.feed(fragment)
    p.close()
    return p


_LAYER_CALL = re.compile(r'\}\)\((data_layer_\d+), ("marker"|"line"), (\[.*?\]), (\[.*\])\);\n')


def _layers(page: str) -> dict[str, tuple[str, list]]:
    """Layer name -> (kind, items), read back from the page's script."""
    names = dict(
        (var, name) for name, var in re.findall(r'"([^"]+)" : (data_layer_\d+),', page)
    )
    out = {}
    for var, kind, _styles, items in _LAYER_CALL.findall(page):
        out[names[var]] = (json.loads(kind), json.loads(items))
    return out


@pytest.fixture
def page(route):
    return render_html_text(route)


def test_writes_file(route, tmp_path):
    p = render_html(route, tmp_path / "route.html")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [x.name for x in tmp_path.iterdir()] == ["route.html"]


def test_layers_and_groups(page):
    layers = _layers(page)
    assert set(layers) == {"Reported legs", "Expected legs", "Inferred legs", "Route places", "Mentioned places"}
    assert layers["Route places"][0] == "marker" and layers["Reported legs"][0] == "line"
    route_names = {_tags(i[2]).text[0] for i in layers["Route places"][1]}
    assert route_names == {"Vladivostok", "Ussuriysk", "Хабаровск", "Anchorage"}
    mention_titles = [i[2] for i in layers["Mentioned places"][1]]
    assert len(mention_titles) == 2 and "Ch&#x27;ŏngjin" in mention_titles[0]
    assert len(layers["Reported legs"][1]) == 2 and len(layers["Expected legs"][1]) == 1 and len(layers["Inferred legs"][1]) == 1
    # "Mentioned places" exists but is not added to the map on opening; the others are
    mention_var = re.search(r'"Mentioned places" : (data_layer_\d+)', page).group(1)
    route_var = re.search(r'"Route places" : (data_layer_\d+)', page).group(1)
    assert f"{mention_var}.addTo(" not in page and f"{route_var}.addTo(" in page
    assert "L.control.layers(" in page
    assert '"Country outlines" :' in page and '"OpenStreetMap tiles (online)" :' in page


def test_leg_styles_by_status(page):
    styles = {}
    for var, kind, st, _ in _LAYER_CALL.findall(page):
        styles[var] = json.loads(st)
    names = dict((var, name) for name, var in re.findall(r'"([^"]+)" : (data_layer_\d+),', page))
    by_name = {names[v]: s for v, s in styles.items()}
    assert "dashArray" not in by_name["Reported legs"][0]
    assert by_name["Expected legs"][0]["dashArray"] == "10 7"
    assert by_name["Inferred legs"][0]["dashArray"] == "2 7"
    assert len({s[0]["color"] for n, s in by_name.items() if n.endswith("legs")}) == 3


def test_leg_popup_content(page):
    layers = _layers(page)
    leg1 = layers["Reported legs"][1][0]
    popup, tooltip = leg1[2], leg1[3]
    text = " ".join(_tags(popup).text)
    for expected in ("Vladivostok → Ussuriysk", "2024-10-13 – 2024-10-14", "rail", "1,200", "1,500",
                     "5th Army", "reported", "Example Times", "2024-10-16", "Вести «ДВ»", "2024-10-17",
                     "Troops left Vladivostok by train"):
        assert expected in text, expected
    assert "Vladivostok → Ussuriysk" in tooltip and "reported" in tooltip
    links = [dict(a) for t, a in _tags(popup).tags if t == "a"]
    assert links and links[0]["href"] == "https://example.org/a?x=1&y=2" and "noopener" in links[0]["rel"]


def test_antimeridian_leg_drawn_in_one_piece(page):
    layers = _layers(page)
    air = next(i for i in layers["Reported legs"][1] if "Anchorage" in i[3])
    (lat1, lon1), (lat2, lon2) = air[0]
    assert (lat1, lon1) == (43.10562, 131.87353)
    assert lat2 == 61.21806 and lon2 == pytest.approx(-149.90028 + 360)
    anchorage = next(i for i in layers["Route places"][1] if "Anchorage" in i[3])
    assert anchorage[0][1] == pytest.approx(lon2)  # marker sits on the line's end
    assert "[0,360]" in page  # outlines repeated east of the antimeridian


def test_fit_bounds_and_attribution(page):
    assert re.search(r"map_\d+\.fitBounds\(", page)
    assert "fitBounds(\n                [[41.79556" not in page  # mentions do not drive the bounds
    assert re.search(r"fitBounds\(\s*\[\[43\.10562, 131\.87353\], \[61\.21806, 210\.09972\]\]", page)
    assert "GeoNames" in page and "CC BY 4.0" in page and "Natural Earth" in page
    assert js_literal(ATTRIBUTION) in page


def test_untrusted_text_is_escaped(route, page):
    assert XSS not in page
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # title, visibly as text
    # every popup/tooltip parses to our own tags only, the payload survives as text
    for name, (kind, items) in _layers(page).items():
        for it in items:
            for frag in (it[2], it[3]):
                parsed = _tags(frag)
                assert {t for t, _ in parsed.tags} <= POPUP_TAGS, (name, frag)
                for _, attrs in parsed.tags:
                    assert not any(k.startswith("on") for k, _ in attrs)
    leg1 = _layers(page)["Reported legs"][1][0]
    assert XSS in "".join(_tags(leg1[2]).text)  # shown to the reader as literal text


@pytest.mark.parametrize(
    "payload",
    [
        "${alert(document.domain)}",
        "`; alert(1); `",
        "\\x3cimg src=x onerror=alert(1)\\x3e",
        "</script><script>alert(1)</script>",
        "{{ 7*7 }}{% raw %}",
        "\u2028\u2029",
        '"><svg onload=alert(1)>',
    ],
)
def test_payloads_cannot_escape_their_strings(route, payload):
    ev = Evidence("a/000_vlad.txt", f"before {payload} after", 0, 10)
    legs = tuple(replace(leg, actor=payload, evidence=(ev,)) for leg in route.legs)
    docs = tuple(replace(d, title=payload, outlet=payload, url="javascript:alert(1)") for d in route.documents)
    r = replace(route, legs=legs, documents=docs, title=payload)
    page = render_html_text(r)
    assert "javascript:alert" not in page
    assert "<script>alert(1)" not in page and "<svg onload" not in page
    if "{{" in payload:  # shown as text, never evaluated as a Jinja template
        assert "<title>&#123;&#123; 7*7 &#125;&#125;&#123;% raw %&#125;</title>" in page
        assert "49" not in "".join(_tags(page.split("<body>")[1].split("<script>")[0]).text)
    # each data array is valid JSON and decodes to the escaped payload
    items = _layers(page)["Reported legs"][1]
    popup_text = "".join(_tags(items[0][2]).text)
    assert f"before {payload} after" in popup_text


def test_no_random_ids_and_deterministic_in_process(route):
    a = render_html_text(route)
    b = render_html_text(route)
    assert a == b
    assert find_random_ids(a) == []


def test_deterministic_across_hash_seeds(subprocess_runner, tmp_path):
    outs = []
    for seed in ("0", "1", "987654"):
        out = tmp_path / f"route-{seed}.html"
        res = subprocess_runner(f"from maps.html import render_html\nrender_html(sample_route(), {str(out)!r})\n", seed)
        assert res.returncode == 0, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_size_small(route):
    assert len(render_html_text(route).encode("utf-8")) < 2_000_000


def test_offline_assets(page):
    # with xstatic-leaflet installed Leaflet is inlined; without it, only Leaflet comes from a CDN
    try:
        import xstatic.pkg.leaflet  # noqa: F401

        assert "cdn.jsdelivr.net/npm/leaflet" not in page and "L.map(" in page and "leaflet-container" in page
    except ImportError:
        assert "leaflet.js" in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_empty_route_renders(empty_route, tmp_path):
    p = render_html(empty_route, tmp_path / "e.html")
    t = p.read_text()
    assert "Nothing found" in t and not re.search(r"map_\d+\.fitBounds\(", t)


def test_title_argument_overrides(route):
    t = render_html_text(route, title="Мой маршрут <b>")
    assert "<title>Мой маршрут &lt;b&gt;</title>" in t


def test_no_template_literals_with_data(page):
    # folium's Popup/Tooltip put content into JS template literals; none here
    assert "$(`" not in page and "bindTooltip(\n                `" not in page


_NODE_STUB = r"""
const fs = require('fs');
const src = fs.readFileSync(process.argv[2], 'utf8');
const scripts = [...src.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(m => m[1]);
const stats = {markers: 0, lines: 0, popups: [], tooltips: 0, geojson: 0, fit: null, added: [], attribution: ''};
function layer(kind) {
  const o = {kind, addTo(m) { stats.added.push(kind); return o; }, addLayer() { return o; },
             bindPopup(h) { stats.popups.push(h); return o; }, bindTooltip() { stats.tooltips++; return o; }};
  return o;
}
global.L = {
  CRS: {EPSG3857: {}},
  map() { return {fitBounds(b) { stats.fit = b; }, attributionControl: {addAttribution(t) { stats.attribution += t; }}}; },
  featureGroup() { return layer('group'); },
  circleMarker(ll) { if (!Array.isArray(ll) || ll.length !== 2) throw new Error('bad latlng'); stats.markers++; return layer('marker'); },
  polyline(lls) { stats.lines++; return layer('line'); },
  geoJSON(data, opts) { stats.geojson++; opts.coordsToLatLng([1, 2]); return layer('geojson'); },
  latLng(a, b) { return [a, b]; },
  tileLayer() { return layer('tiles'); },
  control: {scale() { return layer('scale'); }, layers() { return layer('control'); }},
};
// the last script is the map's own; the inlined Leaflet (if any) is replaced by the stub
new Function(scripts[scripts.length - 1])();
console.log(JSON.stringify(stats));
"""


def test_page_script_runs(route, tmp_path):
    """The map's script executes (with a stub Leaflet in node) and draws every feature."""
    import shutil
    import subprocess

    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is needed for this test"
    page = render_html(route, tmp_path / "route.html")
    stub = tmp_path / "stub.js"
    stub.write_text(_NODE_STUB)
    res = subprocess.run([node, str(stub), str(page)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    stats = json.loads(res.stdout)
    assert stats["markers"] == len(route.places)
    assert stats["lines"] == len(route.legs)
    assert stats["tooltips"] == len(route.places) + len(route.legs)
    assert stats["geojson"] == 2  # outlines, twice (antimeridian offset)
    assert stats["fit"] == [[43.10562, 131.87353], [61.21806, 210.09972]]
    assert "GeoNames" in stats["attribution"]
    joined = "".join(stats["popups"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined and "<img" not in joined
