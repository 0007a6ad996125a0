"""route.html: layers, popups, escaping of untrusted text, offline assets, determinism, size.

These read the page as text (its JSON data block and markup). ``test_browser.py`` opens the
real page in Chromium with the network blocked.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from geo.model import Evidence
from maps.html import ATTRIBUTION, LEG_STYLES, external_resources, render_html, render_html_text, route_data
from maps.layers import find_random_ids, js_literal, leaflet_assets
from maps.popups import SourceIndex, highlight, leg_popup, place_popup, popup_html
from movemap.errors import OutputError

XSS = "<img src=x onerror=alert(1)>"  # as in tests/maps/conftest.py

POPUP_TAGS = {"div", "table", "tr", "th", "td", "span", "ul", "li", "a", "blockquote", "cite", "mark", "b", "i"}


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


def _text(fragment: str) -> str:
    return "".join(_tags(fragment).text)


_DATA = re.compile(r'<script type="application/json" id="movemap-data">(.*?)</script>', re.S)


def _data(page: str) -> dict:
    """The route document the page's script draws."""
    blocks = _DATA.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _popups(data: dict) -> list[tuple[str, str, str]]:
    """(kind, popup_html, tooltip) for every leg and place, joined as the page's script does."""
    out = []
    for leg in data["legs"]:
        out.append(("leg", popup_html(leg[3], data["sources"]), leg[3]["tip"]))
        for s in leg[3]["src"]:
            out.append(("leg-source", popup_html(leg[3], data["sources"], s, data["sources"][s]["claim"]), leg[3]["tip"]))
    for p in data["places"]:
        out.append(("place", popup_html(p[4], data["sources"]), p[4]["tip"]))
    return out


@pytest.fixture
def page(route):
    return render_html_text(route)


@pytest.fixture
def data(page):
    return _data(page)


def test_writes_file(route, tmp_path):
    p = render_html(route, tmp_path / "route.html")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [x.name for x in tmp_path.iterdir()] == ["route.html"]


def test_layers_and_groups(page, data):
    names = [s["name"] for s in data["statuses"]]
    assert names == ["Reported legs", "Expected legs", "Inferred legs"]
    by_status = {}
    for leg in data["legs"]:
        by_status.setdefault(data["statuses"][leg[1]]["name"], []).append(leg)
    assert {k: len(v) for k, v in by_status.items()} == {"Reported legs": 2, "Expected legs": 1, "Inferred legs": 1}
    route_names = {_text(p[4]["t"]) for p in data["places"] if not p[2]}
    assert route_names == {"Vladivostok", "Ussuriysk", "Хабаровск", "Anchorage"}
    mentions = [p[4]["t"] for p in data["places"] if p[2]]
    assert len(mentions) == 2 and "Ch&#x27;ŏngjin" in mentions[0]
    # one layer per source article, each in its own colour, labelled by outlet and date
    assert [_text(s["name"]) for s in data["sources"]] == [
        "Example Times, 2024-10-16 (2 legs)", "Вести «ДВ», 2024-10-17 (2 legs)"]
    assert len({s["color"] for s in data["sources"]}) == 2
    # the fixed layers the control lists before the route's own
    assert re.search(r'movemapRoute\(map_\d+, \[\["Country outlines", country_outlines_\d+\], '
                     r'\["OpenStreetMap tiles \(online\)", tile_layer_\d+\]\]', page)
    assert re.search(r"country_outlines_\d+\.addTo\(map_\d+\)", page)
    assert not re.search(r"tile_layer_\d+\.addTo\(", page)  # tiles need the network: off at first


def test_leg_styles_by_status(data):
    st = {s["name"]: s for s in data["statuses"]}
    assert "dashArray" not in st["Reported legs"]["style"]
    assert st["Expected legs"]["style"]["dashArray"] == "10 7"
    assert st["Inferred legs"]["style"]["dashArray"] == "2 7"
    assert len({s["style"]["color"] for s in data["statuses"]}) == 3
    assert st["Reported legs"]["cls"] == "mm-leg-reported mm-arrow-reported"


def test_arrowheads_are_inline_svg_markers(page, data):
    for key, style in LEG_STYLES.items():
        assert f'<marker id="mm-arrow-{key}"' in page
        assert f".mm-arrow-{key}{{marker-mid:url(#mm-arrow-{key})}}" in page
        assert f'fill="{style["color"]}"' in page
    # every leg has a middle vertex for its arrowhead, halfway along the drawn line
    for leg in data["legs"]:
        a, mid, b = leg[0]
        assert mid[1] == pytest.approx((a[1] + b[1]) / 2, abs=1e-5)
        assert min(a[0], b[0]) - 1e-9 <= mid[0] <= max(a[0], b[0]) + 1e-9


def test_leg_popup_content(data):
    leg1 = data["legs"][0]
    html = popup_html(leg1[3], data["sources"])
    text = _text(html)
    for expected in ("Vladivostok → Ussuriysk", "2024-10-13 – 2024-10-14", "rail", "1,200", "1,500", "sources differ: 2024-10-13 – 2024-10-14 / 2024-10-15",
                     "5th Army", "reported", "Example Times", "2024-10-16", "Вести «ДВ»", "2024-10-17",
                     "Troops left Vladivostok by train", "Confidence", "0.90"):
        assert expected in text, expected
    assert "Vladivostok → Ussuriysk" in leg1[3]["tip"] and "reported" in leg1[3]["tip"]
    links = [dict(a) for t, a in _tags(html).tags if t == "a"]
    assert links and links[0]["href"] == "https://example.org/a?x=1&y=2" and "noopener" in links[0]["rel"]
    # the place is marked in the quoted sentence
    assert "Troops left <mark>Vladivostok</mark> by train" in html


def test_place_popup_content(data):
    khab = next(p for p in data["places"] if "Хабаровск" in p[4]["t"])
    html = popup_html(khab[4], data["sources"])
    text = _text(html)
    for expected in ("Хабаровск", "Khabarovsk Krai, RU", "city", "route stop", "until 2024-10-20",
                     "near it or part of it", "Also written", "gn:2022890", "Example Times", "Вести «ДВ»"):
        assert expected in text, expected
    assert "Колонна прибудет в <mark>Хабаровск</mark> 20 октября" in html


def test_source_layer_popup_shows_that_source(data):
    leg3 = next(leg for leg in data["legs"] if "Ussuriysk → Хабаровск" in leg[3]["t"])
    s = leg3[3]["src"][0]
    html = popup_html(leg3[3], data["sources"], s, data["sources"][s]["claim"])
    assert _text(html).startswith("As reported by Вести «ДВ» (2024-10-17): Колонна идёт на север")


def test_highlight():
    assert highlight("From Hamhung, by sea.", ["Hamhŭng"]) == "From <mark>Hamhung</mark>, by sea."
    assert highlight("to KHABAROVSK.", ["Khabarovsk"]) == "to <mark>KHABAROVSK</mark>."
    assert highlight("в Хабаровск 20", ["Khabarovsk", "Хабаровск"]) == "в <mark>Хабаровск</mark> 20"
    assert highlight("Kursk-Voronezh highway", ["Kursk", "Voronezh"]) == "<mark>Kursk</mark>-<mark>Voronezh</mark> highway"
    assert highlight("Kurskaya and Kursk Oblast", ["Kursk", "Kursk Oblast"]) == "Kurskaya and <mark>Kursk Oblast</mark>"
    assert highlight("no place", ["Vladivostok"]) == "no place"
    # text is escaped around and inside the marks; the names never become markup
    out = highlight(f"{XSS} near Vladivostok & {{{{7*7}}}}", ["Vladivostok", "onerror=alert(2)"])
    assert out == "&lt;img src=x onerror=alert(1)&gt; near <mark>Vladivostok</mark> &amp; &#123;&#123;7*7&#125;&#125;"
    assert highlight("a <b> Odesa", ["<b> Odesa"]) == "a <mark>&lt;b&gt; Odesa</mark>"  # term's own markup is text too


def test_kml_popups_match_the_page(route):
    """leg_popup/place_popup (KML descriptions) join the same fragments as the page."""
    docs = {d.id: d for d in route.documents}
    leg = next(leg for leg in route.legs if leg.id == "leg-1")
    html = leg_popup(leg, docs)
    assert "<mark>Vladivostok</mark>" in html and "&lt;img src=x" in html and "<img" not in html
    assert "Хабаровск" in place_popup(route.places[2], docs)


def test_antimeridian_leg_drawn_in_one_piece(data):
    air = next(leg for leg in data["legs"] if "Anchorage" in leg[3]["tip"])
    (lat1, lon1), (latm, lonm), (lat2, lon2) = air[0]
    assert (lat1, lon1) == (43.10562, 131.87353)
    assert lat2 == 61.21806 and lon2 == pytest.approx(-149.90028 + 360)
    assert lon1 < lonm < lon2 and lon2 - lon1 < 180  # short, over the Pacific
    anchorage = next(p for p in data["places"] if "Anchorage" in p[4]["tip"])
    assert anchorage[0][1] == pytest.approx(lon2)  # marker sits on the line's end


def test_outlines_repeated_beside_antimeridian(page):
    assert re.search(r"country_outlines_\d+, \{\"type\":\"FeatureCollection\".*\}, \[0,360\], ", page)
    assert '"className":"mm-country"' in page


def test_bounds_timeline_and_attribution(page, data):
    assert data["bounds"] == [[43.10562, 131.87353], [61.21806, 210.09972]]  # mentions do not drive the bounds
    assert data["timeline"] == {"min": "2024-10-13", "max": "2024-10-20"}
    # a stop appears with its first leg; one on an undated leg always shows
    since = {_text(p[4]["t"]): p[3] for p in data["places"]}
    assert since["Ussuriysk"] == "2024-10-13" and since["Anchorage"] == "2024-10-15"
    assert since["Vladivostok"] is None and since["Хабаровск"] is None
    assert [leg[2] for leg in data["legs"]] == ["2024-10-13", "2024-10-15", "2024-10-18", None]
    assert "GeoNames" in page and "CC BY 4.0" in page and "Natural Earth" in page
    assert js_literal(ATTRIBUTION) in page


def test_legend_and_timeline_markup(page):
    assert 'id="mm-legend"' in page
    for label in ("Reported legs", "Expected legs", "Inferred legs", "Route place", "Mentioned place"):
        assert label in page
    assert "mm-timeline" in page  # built by movemap.js


def test_untrusted_text_is_escaped(route, page, data):
    assert XSS not in page
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # title, visibly as text
    # every popup/tooltip/layer name parses to our own tags only, the payload survives as text
    frags = [f for _, html, tip in _popups(data) for f in (html, tip)] + [s["name"] for s in data["sources"]]
    for frag in frags:
        parsed = _tags(frag)
        assert {t for t, _ in parsed.tags} <= POPUP_TAGS | {"span"}, frag
        for _, attrs in parsed.tags:
            assert not any(k.startswith("on") for k, _ in attrs)
    leg1 = data["legs"][0]
    assert XSS in _text(popup_html(leg1[3], data["sources"]))  # shown to the reader as literal text


@pytest.mark.parametrize(
    "payload",
    [
        "${alert(document.domain)}",
        "`; alert(1); `",
        "\\x3cimg src=x onerror=alert(1)\\x3e",
        "</script><script>alert(1)</script>",
        "<!--<script>alert(1)</script>",
        "{{ 7*7 }}{% raw %}",
        "\u2028\u2029",
        '"><svg onload=alert(1)>',
    ],
)
def test_payloads_cannot_escape_their_strings(route, payload):
    ev = Evidence("a/000_vlad.txt", f"before {payload} Vladivostok after", 0, 10)
    legs = tuple(replace(leg, actor=payload, evidence=(ev,)) for leg in route.legs)
    docs = tuple(replace(d, title=payload, outlet=payload, url="javascript:alert(1)") for d in route.documents)
    r = replace(route, legs=legs, documents=docs, title=payload)
    page = render_html_text(r)
    assert "javascript:alert" not in page
    assert "<script>alert(1)" not in page and "<svg onload" not in page and "<!--<script" not in page
    if "{{" in payload:  # shown as text, never evaluated as a Jinja template
        assert "<title>&#123;&#123; 7*7 &#125;&#125;&#123;% raw %&#125;</title>" in page
        assert "49" not in "".join(_tags(page.split("<body>")[1].split("<script")[0]).text)
    data = _data(page)  # the data block is one valid JSON document holding the escaped payload
    popup_text = _text(popup_html(data["legs"][0][3], data["sources"]))
    assert f"before {payload} Vladivostok after" in popup_text
    assert payload in _text(data["sources"][0]["name"] + data["sources"][0]["claim"])


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
    """Everything is inlined: no CDN, no <link>, no <script src>, CSS images as data: URIs."""
    assert external_resources(page) == []
    assert "cdn." not in page and "jsdelivr" not in page and "unpkg" not in page
    assert not re.search(r"<script[^>]*\ssrc=", page) and "<link" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "awesome" not in page.lower()
    js, css = leaflet_assets()
    assert js.strip() in page and "Leaflet 1.9" in js
    assert "url(images/" not in page and "url(data:image/png;base64," in page
    assert "function movemapRoute(" in page and ".mm-timeline" in page


def test_external_resources_detects_loads():
    page = ('<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/x.js"></script>'
            '<style>.a{background:url(https://e.example/a.png)} @import "https://e.example/b.css";</style></head>'
            '<body><img src="x.png"><div style="background:url(data:image/png;base64,AA)"></div>'
            '<a href="https://fine.example/">a link is not a load</a><svg><path style="marker-mid:url(#m)"/></svg></body></html>')
    found = external_resources(page)
    assert len(found) == 5, found


def test_missing_leaflet_package_fails_loudly(route, monkeypatch):
    import maps.layers as layers

    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)  # import raises ImportError
    with pytest.raises(OutputError, match="xstatic-leaflet"):
        layers.leaflet_assets()
    with pytest.raises(OutputError, match="xstatic-leaflet"):
        render_html_text(route)


def test_empty_route_renders(empty_route, tmp_path):
    p = render_html(empty_route, tmp_path / "e.html")
    t = p.read_text()
    d = _data(t)
    assert "Nothing found" in t and d["bounds"] is None and d["timeline"] is None and d["legs"] == []


def test_title_argument_overrides(route):
    t = render_html_text(route, title="Мой маршрут <b>")
    assert "<title>Мой маршрут &lt;b&gt;</title>" in t
    assert '<div class="mm-titlebox">Мой маршрут &lt;b&gt;</div>' in t


def test_no_template_literals_with_data(page):
    # folium's Popup/Tooltip put content into JS template literals; none here
    assert "`" not in page.split('id="movemap-data">')[0].split("function movemapRoute(")[1]
    assert "bindTooltip(\n                `" not in page


def test_route_data_sources_cover_every_cited_document(route):
    extra = Evidence("c/unlisted.txt", "Seen in Vladivostok.", 0, 5)
    legs = tuple(replace(leg, evidence=leg.evidence + (extra,), sources=leg.sources + ("c/unlisted.txt",)) for leg in route.legs)
    data, _ = route_data(replace(route, legs=legs))
    assert [s["item"] for s in data["sources"]][2] == "c/unlisted.txt"
    assert all(s < len(data["sources"]) for leg in data["legs"] for s in leg[3]["src"])


def test_source_index_is_lazy_and_stable(route):
    idx = SourceIndex(route.documents)
    assert idx.index("b/001_khab.txt") == 1 and idx.index("zzz") == 2 and idx.ids[2] == "zzz"
    assert idx[2] == {"item": "zzz", "cite": "zzz"}
