"""Benchmark the GIS exports (maps/exports.py) on a synthetic route vs plain geopandas writers.

    python bench/bench_exports.py [--places 10000] [--legs 5000] [--repeat 3] [--out bench/out/exports]

The route is bench_maps.py's synthetic one (random places worldwide, so many legs cross the
antimeridian). Each movemap writer starts from the Route and writes a complete file
(write_gpkg: four tables plus the QGIS styles). The baselines, measured in the same run, write
the same legs and places from ready-made GeoDataFrames (``Route.to_geodataframe``, built once,
not timed) with ``GeoDataFrame.to_file`` (pyogrio) / ``DataFrame.to_csv``: what a plain
geopandas script would do; one more GeoPackage baseline starts from the Route too (frames
built and written). Prints the best of ``--repeat`` runs, ratios and file sizes. Run it on a
quiet machine: the ratios move a lot when other processes compete for the CPU.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
from bench_maps import synthetic_route  # noqa: E402

from maps.exports import write_csv, write_gpkg, write_kml  # noqa: E402
from maps.geojson import write_geojson  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def size(*paths: Path) -> str:
    return f"{sum(p.stat().st_size for p in paths) / 1e6:6.2f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--places", type=int, default=10_000)
    ap.add_argument("--legs", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "out" / "exports"))
    a = ap.parse_args(argv)
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    t = time.perf_counter()
    route = synthetic_route(a.places, a.legs)
    print(f"synthetic route: {a.places} places, {a.legs} legs ({time.perf_counter() - t:.2f} s to build)")

    t_frames = best(lambda: (route.to_geodataframe("legs"), route.to_geodataframe("places")), a.repeat)
    legs_gdf, places_gdf = route.to_geodataframe("legs"), route.to_geodataframe("places")
    crossing = int((legs_gdf.geom_type == "MultiLineString").sum())
    print(f"legs across the antimeridian: {crossing}")

    def base_gpkg():
        p = out / "baseline.gpkg"
        p.unlink(missing_ok=True)
        places_gdf.to_file(p, layer="places", driver="GPKG", engine="pyogrio")
        legs_gdf.to_file(p, layer="legs", driver="GPKG", engine="pyogrio")

    both_gdf = pd.concat([places_gdf, legs_gdf], ignore_index=True)

    def base_gpkg_from_route():
        p = out / "baseline2.gpkg"
        p.unlink(missing_ok=True)
        route.to_geodataframe("places").to_file(p, layer="places", driver="GPKG", engine="pyogrio")
        route.to_geodataframe("legs").to_file(p, layer="legs", driver="GPKG", engine="pyogrio")

    def base_geojson():
        both_gdf.to_file(out / "baseline.geojson", driver="GeoJSON", engine="pyogrio")

    def base_kml():
        p = out / "baseline.kml"
        p.unlink(missing_ok=True)
        places_gdf.to_file(p, layer="places", driver="KML", engine="pyogrio")
        legs_gdf.to_file(p, layer="legs", driver="KML", engine="pyogrio", append=True)

    def base_csv():
        for name, gdf in (("baseline-legs.csv", legs_gdf), ("baseline-places.csv", places_gdf)):
            df = gdf.drop(columns="geometry")
            df["wkt"] = gdf.geometry.to_wkt()
            df.to_csv(out / name, index=False)

    rows = [
        ("gpkg", lambda: write_gpkg(route, out / "route.gpkg"), base_gpkg,
         [out / "route.gpkg"], [out / "baseline.gpkg"], "to_file GPKG places+legs"),
        ("gpkg", lambda: write_gpkg(route, out / "route.gpkg"), base_gpkg_from_route,
         [out / "route.gpkg"], [out / "baseline2.gpkg"], "Route.to_geodataframe + to_file GPKG"),
        ("geojson", lambda: write_geojson(route, out / "route.geojson"), base_geojson,
         [out / "route.geojson"], [out / "baseline.geojson"], "to_file GeoJSON places+legs"),
        ("kml", lambda: write_kml(route, out / "route.kml"), base_kml,
         [out / "route.kml"], [out / "baseline.kml"], "to_file KML places+legs"),
        ("csv", lambda: write_csv(route, out / "legs.csv", out / "places.csv"), base_csv,
         [out / "legs.csv", out / "places.csv"], [out / "baseline-legs.csv", out / "baseline-places.csv"],
         "to_csv legs+places+WKT"),
    ]
    print(f"Route.to_geodataframe legs+places : {t_frames:6.2f} s")
    print(f"{'format':8} {'movemap':>9} {'baseline':>9} {'ratio':>7}   {'movemap size':>12} {'baseline size':>13}  baseline")
    total = 0.0
    for name, ours, base, our_files, base_files, what in rows:
        t_ours, t_base = best(ours, a.repeat), best(base, a.repeat)
        total += t_ours if "Route" not in what else 0.0
        print(f"{name:8} {t_ours:8.2f}s {t_base:8.2f}s {t_ours / t_base:6.2f}x   {size(*our_files):>12} "
              f"{size(*base_files):>13}  {what}")
    print(f"all four formats: {total:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
