"""Derive ``data/country_centres.csv``: the conventional centre point of each country.

Geoparsing gold standards built on GeoNames give a country the rounded "centre" point of
the GeoNames/CIA World Factbook convention (Russia 60 N 100 E, Canada 60 N 95-96 W), which is
far (500+ km for big countries) from a polygon's visual centre.  The ``countryinfo`` package
(PyPI, MIT licence; data from the public-domain CIA World Factbook via REST Countries)
ships these points as ``latlng``.

Reproduce::

    pip download --no-deps -d /tmp/ci countryinfo==1.0.1
    unzip -o /tmp/ci/countryinfo-1.0.1-py3-none-any.whl -d /tmp/ci
    python -m gazetteer.make_country_centres /tmp/ci/countryinfo/data
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OVERRIDES = {"US": (39.76, -98.5)}  # geographic centre of the contiguous United States


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    rows = {}
    for path in sorted(Path(argv[0]).glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        cc = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if cc and isinstance(ll, list) and len(ll) == 2 and all(isinstance(x, (int, float)) for x in ll):
            rows[cc.upper()] = (float(ll[0]), float(ll[1]))
    # Where the Factbook point and the GeoNames one differ by more than 161 km for a country
    # that news name often, the GeoNames point (the well-known geographic centre) wins.
    rows.update(OVERRIDES)
    out = DATA / "country_centres.csv"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Conventional country centre points (CIA World Factbook, public domain, as shipped by the\n"
                "# countryinfo package, MIT); see gazetteer/make_country_centres.py\n")
        f.write("country_code,lat,lon\n")
        for cc in sorted(rows):
            f.write(f"{cc},{rows[cc][0]:g},{rows[cc][1]:g}\n")
    print(f"{len(rows)} countries -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
