"""Benchmark maps/: render_html + write_geojson on a synthetic route vs plain folium.

    python bench/bench_maps.py [--places 10000] [--legs 5000] [--out bench/out] [--no-baseline]

The baseline, measured in the same run, draws the same places as plain folium CircleMarkers
and the same legs as folium PolyLines, each with a folium Popup and Tooltip, and saves the
map: what a straightforward folium script would do. Prints seconds, ratios and file sizes,
and checks the targets: route.html of 10,000 places / 5,000 legs in < 5 s and < 10 MB (first
render in the process, so it includes loading Leaflet, the outlines and the caches), and the
seed map (``movemap build seeds --formats html``) < 2 MB.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from gazetteer.place import Place  # noqa: E402
from geo.model import DocumentMeta, Evidence, Leg, Route, RoutePlace  # noqa: E402
from maps.geojson import write_geojson  # noqa: E402
from maps.html import render_html  # noqa: E402


def synthetic_route(n_places: int, n_legs: int, seed: int = 7) -> Route:
    rng = random.Random(seed)
    docs = tuple(DocumentMeta(f"doc{i:03d}.txt", f"Article {i}", "Bench Times", date(2024, 1, 1) + timedelta(days=i))
                 for i in range(50))
    places = []
    for i in range(n_places):
        p = Place(id=f"gn:{100000 + i}", name=f"Place {i} Хабаровск", lat=rng.uniform(-60, 75),
                  lon=rng.uniform(-180, 180), country_code="RU", admin1="Primorye", geonameid=100000 + i)
        d = docs[i % len(docs)].id
        places.append(RoutePlace(p, "route" if i < n_places * 0.8 else "mention", 1 + i % 3, date(2024, 3, 1), None,
                                 (d,), 1 + i % 4, (p.name,), (Evidence(d, f"Seen at {p.name} on a Tuesday.", 10, 40),)))
    route_places = [rp for rp in places if rp.role == "route"]
    legs = []
    for i in range(n_legs):
        a, b = rng.sample(route_places, 2)
        d = docs[i % len(docs)].id
        legs.append(Leg(f"leg-{i}", i + 1, a.place, b.place, date(2024, 3, 1) + timedelta(days=i % 200), None,
                        1 + i % 3, ("rail", "road", "ship", "air")[i % 4], "Unit 5", 100 + i,
                        ("reported", "expected", "inferred")[i % 3], (d,), 0.5 + (i % 5) / 10,
                        (Evidence(d, f"The convoy moved from {a.place.name} to {b.place.name}.", 0, 60),)))
    return Route(tuple(places), tuple(legs), docs, "Benchmark route", gazetteer_version="bench")


def baseline(route: Route, path: Path) -> None:
    m = folium.Map(location=[20, 0], zoom_start=2)
    for rp in route.places:
        folium.CircleMarker([rp.place.lat, rp.place.lon], radius=5, popup=folium.Popup(rp.place.name),
                            tooltip=rp.place.name).add_to(m)
    for leg in route.legs:
        folium.PolyLine([[leg.origin.lat, leg.origin.lon], [leg.destination.lat, leg.destination.lon]],
                        popup=folium.Popup(f"{leg.origin.name} → {leg.destination.name}"),
                        tooltip=leg.id).add_to(m)
    folium.LayerControl().add_to(m)
    m.save(str(path))


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def seed_map_size() -> int:
    """Bytes of route.html for the seed articles, built with the command line."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "movemap.cli", "build", "seeds", "--out", tmp, "--formats", "html",
                        "--quiet"], cwd=ROOT, check=True)
        return (Path(tmp) / "route.html").stat().st_size


TARGET_SECONDS = 5.0
TARGET_BYTES = 10_000_000
TARGET_SEED_BYTES = 2_000_000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--places", type=int, default=10_000)
    ap.add_argument("--legs", type=int, default=5_000)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "out"))
    ap.add_argument("--no-baseline", action="store_true", help="skip the (slow) plain folium baseline")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    route = synthetic_route(a.places, a.legs)
    print(f"synthetic route: {a.places} places, {a.legs} legs ({time.perf_counter() - t:.2f} s to build)")

    def mb(p: Path) -> str:
        return f"{p.stat().st_size / 1e6:.2f} MB"

    t_html = timed(render_html, route, out / "route.html")  # first: cold caches, as in one `movemap build`
    t_warm = timed(render_html, route, out / "route.html")
    t_gj = timed(write_geojson, route, out / "route.geojson")
    html_bytes = (out / "route.html").stat().st_size
    t_base = None
    if not a.no_baseline:
        t_base = timed(baseline, route, out / "baseline.html")
        print(f"baseline folium markers+polylines : {t_base:7.2f} s  {mb(out / 'baseline.html')}")
    ratio = ""
    if t_base:
        ratio = (f"  ratio {t_html / t_base:.2f}x time, "
                 f"{html_bytes / (out / 'baseline.html').stat().st_size:.2f}x size")
    print(f"maps.render_html                  : {t_html:7.2f} s  {mb(out / 'route.html')}{ratio}")
    print(f"maps.render_html (second run)     : {t_warm:7.2f} s")
    print(f"maps.write_geojson                : {t_gj:7.2f} s  {mb(out / 'route.geojson')}"
          + (f"  ratio {t_gj / t_base:.2f}x baseline time" if t_base else ""))
    if t_base:
        print(f"render_html + write_geojson       : {t_html + t_gj:7.2f} s  ratio {(t_html + t_gj) / t_base:.2f}x baseline")
    seed = seed_map_size()
    print(f"seed map route.html               : {seed / 1e6:7.2f} MB")

    checks = [
        (f"render_html < {TARGET_SECONDS:g} s", t_html < TARGET_SECONDS),
        (f"route.html < {TARGET_BYTES / 1e6:g} MB", html_bytes < TARGET_BYTES),
        (f"seed map < {TARGET_SEED_BYTES / 1e6:g} MB", seed < TARGET_SEED_BYTES),
    ]
    for name, ok in checks:
        print(f"target {name:24s}: {'ok' if ok else 'MISSED'}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
