"""route.html in a real browser: Chromium (Debian's ``chromium`` package) driven by Playwright.

Every network request is blocked (only file: and data: URLs are served), so these prove the
page draws offline. They need ``playwright`` (the ``test`` extra) and ``/usr/bin/chromium``
(``apt-get install chromium``; ``MOVEMAP_CHROMIUM`` names another binary). Without them the
tests FAIL, they do not skip: no browser is downloaded (no ``playwright install``).

The seed map is built once with the command line, as a user would: ``python -m movemap.cli
build seeds --out TMP --quiet``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MOVEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a failure, not a skip: the browser tests are part of the suite
        pytest.fail(f"playwright is not installed ({exc}); pip install -e '.[test]'", pytrace=False)
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}; apt-get install -y chromium "
                    "(or set MOVEMAP_CHROMIUM)", pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _build(inputs: list[str], out: Path, *extra: str) -> Path:
    res = subprocess.run(
        [sys.executable, "-m", "movemap.cli", "build", *inputs, "--out", str(out), "--quiet", *extra],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    return _build(["seeds"], tmp_path_factory.mktemp("seed-map"))


@pytest.fixture(scope="module")
def seed_geojson(seed_out) -> dict:
    return json.loads((seed_out / "route.geojson").read_text(encoding="utf-8"))


def _legs(gj: dict) -> list[dict]:
    return sorted((f for f in gj["features"] if f["properties"]["feature_type"] == "leg"),
                  key=lambda f: (f["properties"]["sequence"], f["properties"]["id"]))


class Opened:
    """A page opened with every request that is not file: or data: aborted, and its logs."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.movemap && window.movemap.map")

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def problems(self) -> list[str]:
        return ([f"console {t}: {x}" for t, x in self.console if t in ("error", "warning")]
                + [f"page error: {e}" for e in self.errors] + [f"network: {u}" for u in self.blocked])

    def close(self):
        self.context.close()


@pytest.fixture
def seed_page(browser, seed_out):
    o = Opened(browser, seed_out / "route.html")
    yield o
    o.close()


def _visible_leg_paths(page, cls: str = "mm-leg") -> int:
    return page.evaluate(f"document.querySelectorAll('.leaflet-pane path.{cls}').length")


def _overlay_labels(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.textContent.trim())")


def _source_name(doc: dict) -> str:
    """The start of a source layer's name: outlet (or title, or id), as the page shortens it."""
    return " ".join((doc["outlet"] or doc["title"] or doc["id"]).split())[:20]


def _toggle(page, label_part: str) -> None:
    page.locator(".leaflet-control-layers-overlays label", has_text=label_part).locator("input").click()


def _leg_click_point(page, i: int):
    """A point on leg i's line on screen where a click reaches that leg (not a stop, another
    leg or a control), or None. Searched along the line in the current view first; legs that
    share most of their line with others (several origins, one destination) are then looked
    for near each end, zoomed in (the view is left there; see ``_close_popup``)."""
    return page.evaluate(
        """(i) => {
            const m = movemap.map, layer = movemap.hits[i];
            if (!m.hasLayer(layer)) return null;
            const ll = layer.getLatLngs(), ends = [ll[0], ll[ll.length - 1]];
            const box = m.getContainer().getBoundingClientRect();
            const hits = (x, y) => document.elementFromPoint(x, y) === layer.getElement();
            let a = m.latLngToContainerPoint(ends[0]), b = m.latLngToContainerPoint(ends[1]);
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9]) {
                const x = box.left + a.x + (b.x - a.x) * t, y = box.top + a.y + (b.y - a.y) * t;
                if (hits(x, y)) return [x, y];
            }
            for (const [from, to] of [[0, 1], [1, 0]]) {
                m.setView(ends[from], 8, {animate: false});
                a = m.latLngToContainerPoint(ends[from]); b = m.latLngToContainerPoint(ends[to]);
                const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
                for (const d of [30, 45, 60, 80, 110, 150, 200]) {
                    if (d > len) break;
                    const x = box.left + a.x + (b.x - a.x) * d / len, y = box.top + a.y + (b.y - a.y) * d / len;
                    if (hits(x, y)) return [x, y];
                }
            }
            return null;
        }""",
        i,
    )


def _view(page):
    return page.evaluate("[movemap.map.getCenter(), movemap.map.getZoom()]")


def _close_popup(page, view) -> None:
    """Close the open popup, wait until it is gone (it fades out) and undo its auto-pan."""
    page.evaluate("(v) => { movemap.map.closePopup(); movemap.map.setView(v[0], v[1], {animate: false}); }", view)
    page.wait_for_function("!document.querySelector('.leaflet-popup')")


# --------------------------------------------------------------------------- the seed map


def test_seed_map_draws_offline(seed_page, seed_out):
    page = seed_page.page
    page.wait_for_timeout(300)
    assert seed_page.problems() == []
    assert all(u.startswith(("file:", "data:")) for u in seed_page.requests)
    assert page.evaluate("typeof L === 'object' && L.version") == "1.9.3"
    assert page.locator(".leaflet-container").count() == 1
    assert page.evaluate("movemap.map instanceof L.Map")
    assert (seed_out / "route.html").stat().st_size < 2_000_000


def test_one_polyline_per_leg(seed_page, seed_geojson):
    page = seed_page.page
    legs = _legs(seed_geojson)
    assert legs, "the seeds should give legs"
    assert _visible_leg_paths(page) == len(legs)
    drawn = page.evaluate(
        """movemap.legs.map(l => ({ll: l.getLatLngs().map(p => [p.lat, p.lng]),
                                   cls: l.getElement().getAttribute('class')}))""")
    assert len(drawn) == len(legs)
    for leg, d in zip(legs, drawn):
        g = leg["geometry"]
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        (lon1, lat1), (lon2, lat2) = parts[0][0], parts[-1][-1]
        (dlat1, dlon1), _mid, (dlat2, dlon2) = d["ll"]
        assert (dlat1, dlat2) == pytest.approx((lat1, lat2), abs=1e-5)
        assert (dlon1 - lon1) % 360 == pytest.approx(0, abs=1e-5) or (dlon1 - lon1) % 360 == pytest.approx(360, abs=1e-5)
        assert (dlon2 - lon2) % 360 == pytest.approx(0, abs=1e-5) or (dlon2 - lon2) % 360 == pytest.approx(360, abs=1e-5)
        assert abs(dlon2 - dlon1) <= 180  # drawn the short way, in one piece
        assert f"mm-leg-{leg['properties']['status']}" in d["cls"]


def test_legs_show_direction(seed_page):
    page = seed_page.page
    info = page.evaluate(
        """[...document.querySelectorAll('.leaflet-pane path.mm-leg')].map(p => ({
              marker: getComputedStyle(p).markerMid,
              vertices: (p.getAttribute('d').match(/[ML]/g) || []).length}))""")
    assert info
    for i in info:
        assert i["marker"].startswith('url("#mm-arrow-') or i["marker"].startswith("url(#mm-arrow-"), i
        assert i["vertices"] == 3  # origin, middle (arrowhead), destination
    assert page.evaluate("document.querySelectorAll('svg.mm-defs marker path').length") >= 4


def test_layer_control_lists_layers(seed_page, seed_geojson):
    page = seed_page.page
    labels = _overlay_labels(page)
    statuses = {f["properties"]["status"] for f in _legs(seed_geojson)}
    expected = ["Country outlines", "OpenStreetMap tiles (online)"]
    expected += [f"{s.capitalize()} legs" for s in ("reported", "expected", "inferred") if s in statuses]
    expected += ["Route places", "Mentioned places"]
    assert labels[: len(expected)] == expected
    docs = seed_geojson["movemap"]["documents"]
    sources = labels[len(expected):]
    assert len(sources) == len(docs)  # one layer per source article
    for doc, label in zip(docs, sources):
        assert label.startswith(_source_name(doc)) and (doc["published"] or "") in label
    checked = page.evaluate(
        "[...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.querySelector('input').checked)")
    assert checked[: len(expected)] == [True, False] + [True] * (len(expected) - 4) + [True, False]
    assert not any(checked[len(expected):])  # sources and mentions off at first


def test_country_outlines_are_drawn(seed_page):
    page = seed_page.page
    n = page.evaluate("document.querySelectorAll('.leaflet-mm-base-pane path.mm-country').length")
    assert n > 150
    _toggle(page, "Country outlines")
    assert page.evaluate("document.querySelectorAll('path.mm-country').length") == 0
    _toggle(page, "Country outlines")
    assert page.evaluate("document.querySelectorAll('path.mm-country').length") == n


def test_mentions_and_source_layers_toggle(seed_page, seed_geojson):
    page = seed_page.page
    places = [f for f in seed_geojson["features"] if f["properties"]["feature_type"] == "place"]
    n_mentions = sum(1 for p in places if p["properties"]["role"] == "mention")
    assert page.evaluate("document.querySelectorAll('path.mm-mention').length") == 0
    _toggle(page, "Mentioned places")
    assert page.evaluate("document.querySelectorAll('path.mm-mention').length") == n_mentions
    # a source layer draws exactly the legs that article reports, in its colour, with arrows
    docs = seed_geojson["movemap"]["documents"]
    first = len(_overlay_labels(page)) - len(docs)  # the source layers come last
    boxes = page.locator(".leaflet-control-layers-overlays label input")
    for k, doc in enumerate(docs):
        cites = sum(1 for leg in _legs(seed_geojson) if doc["id"] in leg["properties"]["sources"])
        boxes.nth(first + k).click()
        assert _visible_leg_paths(page, "mm-src-leg") == cites, doc
        boxes.nth(first + k).click()
        assert _visible_leg_paths(page, "mm-src-leg") == 0


def test_clicking_a_leg_opens_its_evidence(seed_page, seed_geojson):
    page = seed_page.page
    legs = _legs(seed_geojson)
    view = _view(page)
    clicked = 0
    for i, leg in enumerate(legs):
        pt = _leg_click_point(page, i)
        if pt is None:
            _close_popup(page, view)
            continue
        page.mouse.click(*pt)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        html = popup.inner_html()
        text = popup.inner_text()
        p = leg["properties"]
        assert f"{p['from_name']} → {p['to_name']}" in text
        first = p["evidence"][0]["sentence"]
        assert first[:40] in " ".join(text.split()) or first[:40] in text
        assert "<mark>" in html  # the place named in the quoted sentence is highlighted
        _close_popup(page, view)
        clicked += 1
    assert clicked == len(legs), f"only {clicked} of {len(legs)} legs could be clicked"
    assert seed_page.problems() == []


def test_place_popup_and_tooltip(seed_page):
    page = seed_page.page
    name = page.evaluate(
        """(() => { const l = movemap.routePlaces.getLayers().find(x => /Vladivostok/.test(x.getTooltip().getContent()));
                    l.openPopup(); return l.getTooltip().getContent(); })()""")
    assert name == "Vladivostok"
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Vladivostok" in text and "route stop" in text and "Sources" in text and "Evidence" in text
    assert "<mark>Vladivostok</mark>" in page.locator(".leaflet-popup-content").inner_html()


def test_popups_in_browser_match_python(seed_page, seed_out):
    """movemap.js joins the escaped fragments exactly as maps.popups.popup_html does."""
    from maps.popups import popup_html

    page = seed_page.page
    html = (seed_out / "route.html").read_text(encoding="utf-8")
    data = json.loads(html.split('<script type="application/json" id="movemap-data">')[1].split("</script>")[0])
    js = page.evaluate(
        """(() => { const d = JSON.parse(document.getElementById('movemap-data').textContent);
                    const out = [];
                    d.legs.forEach(l => { out.push(movemapPopupHtml(l[3], d.sources, null, '', d.maxEvidence));
                        l[3].src.forEach(s => out.push(movemapPopupHtml(l[3], d.sources, s, d.sources[s].claim, d.maxEvidence))); });
                    d.places.forEach(p => out.push(movemapPopupHtml(p[4], d.sources, null, '', d.maxEvidence)));
                    return out; })()""")
    py = []
    for leg in data["legs"]:
        py.append(popup_html(leg[3], data["sources"]))
        py += [popup_html(leg[3], data["sources"], s, data["sources"][s]["claim"]) for s in leg[3]["src"]]
    py += [popup_html(p[4], data["sources"]) for p in data["places"]]
    assert js == py


def test_timeline_changes_what_is_shown(seed_page, seed_geojson):
    page = seed_page.page
    legs = _legs(seed_geojson)
    starts = sorted({leg["properties"]["start"] for leg in legs if leg["properties"]["start"]})
    assert len(starts) >= 2
    slider = page.locator(".mm-timeline input[type=range]")
    label = page.locator(".mm-timeline .mm-date")
    assert slider.input_value() == slider.get_attribute("max")  # the whole route at first
    assert f"{len(legs)} of {len(legs)} legs" in label.inner_text()

    def expect_at(day: str) -> int:
        return sum(1 for leg in legs if not leg["properties"]["start"] or leg["properties"]["start"] <= day)

    slider.fill("0")  # the first day: only what had started by then
    first = page.evaluate("movemap.date")
    assert first == starts[0]
    assert _visible_leg_paths(page) == expect_at(first) < len(legs)
    assert f"as of {first}" in label.inner_text()
    # a date in between, set through the page's API
    page.evaluate(f"movemap.setDate({json.dumps(starts[1])})")
    assert _visible_leg_paths(page) == expect_at(starts[1])
    # places that only appear later are hidden too
    shown_places = page.evaluate("movemap.routePlaces.getLayers().length")
    slider.fill(slider.get_attribute("max"))
    assert _visible_leg_paths(page) == len(legs)
    assert page.evaluate("movemap.routePlaces.getLayers().length") > shown_places

    # play steps through the dates from the first one; pause stops it
    play = page.locator(".mm-timeline .mm-play")
    play.click()
    assert page.evaluate("movemap.date") == starts[0]
    page.wait_for_function(f"movemap.date > {json.dumps(starts[0])}", timeout=5_000)
    play.click()  # pause
    paused = page.evaluate("movemap.date")
    assert starts[0] < paused < starts[-1] or paused == starts[-1]
    assert _visible_leg_paths(page) == expect_at(paused)
    page.wait_for_timeout(1200)
    assert page.evaluate("movemap.date") == paused
    slider.fill(str(max(0, int(slider.get_attribute("max")) - 2)))
    play.click()  # and on to the end, where it stops with the whole route shown
    page.wait_for_function(
        "document.querySelector('.mm-timeline input').value === document.querySelector('.mm-timeline input').max",
        timeout=30_000)
    page.wait_for_function("document.querySelector('.mm-play').title.startsWith('Play')")
    assert _visible_leg_paths(page) == len(legs)
    assert seed_page.problems() == []


def test_view_fits_the_route(seed_page):
    page = seed_page.page
    inside = page.evaluate(
        """(() => { const b = movemap.map.getBounds();
                    return movemap.legs.every(l => l.getLatLngs().every(p => b.contains(p))); })()""")
    assert inside
    assert page.evaluate("movemap.map.getZoom()") >= 2.5


def test_legend_and_attribution(seed_page):
    page = seed_page.page
    legend = page.locator(".mm-legend-box").inner_text()
    for label in ("Reported legs", "Expected legs", "Inferred legs", "Route place", "Mentioned place"):
        assert label in legend
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "GeoNames" in attribution and "Natural Earth" in attribution


def test_screenshot(seed_page, tmp_path):
    """A picture of the seed map (in the test's tmp folder; with MOVEMAP_DOCS_SCREENSHOT=1 also
    docs/seed-map.png, the README's picture)."""
    page = seed_page.page
    page.wait_for_timeout(300)
    out = tmp_path / "seed-map.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 20_000
    print(f"screenshot: {out}")
    if os.environ.get("MOVEMAP_DOCS_SCREENSHOT") == "1":
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / "seed-map.png"))


# --------------------------------------------------------------------------- XSS

PAYLOADS = [
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    "${window.__xss=1}",
    "{{7*7}}",
    "`${window.__xss=1}`",
    "<svg onload=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "<!--<script>window.__xss=1</script>-->",
    '"><img src=x onerror=window.__xss=1>',
    "javascript:window.__xss=1",
]


@pytest.fixture(scope="module")
def xss_out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    src = root / "in"
    src.mkdir()
    fname = "a <img src=x onerror=window.__xss=1> ${window.__xss=1} {{7*7}} `x`.txt"
    text = (
        f"Troops were moved from Vladivostok {PAYLOADS[0]} to Khabarovsk {PAYLOADS[1]} on Oct. 8 "
        f"{PAYLOADS[2]} {PAYLOADS[3]} {PAYLOADS[4]}.\n\n"
        f"A convoy {PAYLOADS[5]} travelled from Khabarovsk to Blagoveshchensk on Oct. 9 {PAYLOADS[6]} {PAYLOADS[7]}.\n"
    )
    (src / fname).write_text(text, encoding="utf-8")
    with open(src / "catalog.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "published", "outlet", "title", "url"])
        w.writerow([fname, "2024-10-10", f"Outlet {PAYLOADS[0]} {PAYLOADS[3]}",
                    "Title " + " ".join(PAYLOADS), PAYLOADS[9]])
    return _build([str(src)], root / "out", "--published", "2024-10-10", "--title", "Map " + " ".join(PAYLOADS))


def test_xss_payloads_stay_inert(browser, xss_out):
    gj = json.loads((xss_out / "route.geojson").read_text(encoding="utf-8"))
    legs = _legs(gj)
    assert len(legs) >= 2 and any(PAYLOADS[0] in e["sentence"] for leg in legs for e in leg["properties"]["evidence"])
    o = Opened(browser, xss_out / "route.html")
    try:
        page = o.page
        n_scripts = page.evaluate("document.scripts.length")
        view = _view(page)
        # click every leg (real clicks where reachable, the API otherwise), open every popup and tooltip
        texts = []
        for i in range(len(legs)):
            pt = _leg_click_point(page, i)
            if pt is not None:
                page.mouse.click(*pt)
            else:
                page.evaluate(f"movemap.legs[{i}].openPopup()")
            page.locator(".leaflet-popup-content").wait_for()
            texts.append(page.locator(".leaflet-popup-content").inner_text())
            _close_popup(page, view)
        for label in _overlay_labels(page):  # every layer on, so every feature exists in the DOM
            if "OpenStreetMap" not in label:
                box = page.locator(".leaflet-control-layers-overlays label", has_text=label[:12]).first.locator("input")
                if not box.is_checked():
                    box.click()
        texts += page.evaluate(
            """(() => { const out = [];
                movemap.map.eachLayer(l => {
                    if (l.getPopup && l.getPopup()) { l.openPopup(); out.push(document.querySelector('.leaflet-popup-content').innerText); }
                    if (l.getTooltip && l.getTooltip()) { l.openTooltip(); }
                });
                return out; })()""")
        page.locator(".mm-timeline .mm-play").click()
        page.wait_for_timeout(1500)
        page.mouse.move(10, 10)

        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator('img[src="x"]').count() == 0
        assert page.evaluate("document.querySelectorAll('img, svg[onload], [onerror], [onload]').length") == 0
        assert page.evaluate("document.scripts.length") == n_scripts
        code = page.evaluate(
            "[...document.scripts].filter(s => s.type !== 'application/json').map(s => s.textContent)")
        assert not any("window.__xss=1" in c for c in code)  # the payloads sit only in the JSON data block
        # the payloads are shown to the reader as text, braces unevaluated
        joined = "\n".join(texts)
        assert PAYLOADS[0] in joined and PAYLOADS[1] in joined and "{{7*7}}" in joined and "${window.__xss=1}" in joined
        assert "Map <img src=x" in page.locator(".mm-titlebox").inner_text()
        assert page.title().startswith("Map <img src=x onerror=window.__xss=1>")
        assert any(label.startswith("Outlet <img src=x") for label in _overlay_labels(page))  # shortened, as text
        links = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
        assert not any(h and h.lower().startswith("javascript:") for h in links)
        assert o.problems() == []
    finally:
        o.close()
