"""Derive the two word lists the recogniser uses from packages on PyPI (run once, offline).

* ``gazetteer/data/common_words.txt``: English words with a Zipf frequency of at least 4.0
  (about once per 100,000 words) in ``wordfreq``'s English list, lowercased.  A one-word
  candidate that is such a word ("Superior", "Hope", "Gold") is a place only when its
  best candidate is a country, a first-level region or a city of 100,000+ people.
  Data: wordfreq (Robyn Speer et al.), whose word lists are CC BY-SA 4.0.
* ``gazetteer/data/first_names.txt``: US Census 1990 given names (public domain), as shipped
  by the ``names`` package: the 1,500 most frequent male and female names.  A capitalised
  first name followed by another capitalised word opens a person's name ("Paris Hilton").

Reproduce::

    pip download --no-deps -d /tmp/wl wordfreq==3.1.1 names==0.3.0
    pip install --target /tmp/wl/mp msgpack
    (cd /tmp/wl && unzip -o -q wordfreq-3.1.1-py3-none-any.whl && tar xzf names-0.3.0.tar.gz)
    PYTHONPATH=/tmp/wl/mp python -m geo.geoparse_lists /tmp/wl/wordfreq/data/large_en.msgpack.gz /tmp/wl/names-0.3.0/names
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "gazetteer" / "data"
MIN_ZIPF = 4.0
FIRST_NAMES = 1500


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    import msgpack

    with gzip.open(argv[0]) as f:
        buckets = msgpack.load(f, raw=False)
    words = set()
    for i, bucket in enumerate(buckets[1:], 1):
        if 9 - i / 100 < MIN_ZIPF:
            break
        words.update(w for w in bucket if re.fullmatch(r"[a-z]{2,}", w))
    with open(DATA / "common_words.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# English words with Zipf frequency >= {MIN_ZIPF} (wordfreq 3.1.1, CC BY-SA 4.0);"
                " see geo/geoparse_lists.py\n")
        f.writelines(w + "\n" for w in sorted(words))
    names = set()
    for fn in ("dist.male.first", "dist.female.first"):
        with open(Path(argv[1]) / fn, encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n >= FIRST_NAMES:
                    break
                names.add(line.split()[0].lower())
    with open(DATA / "first_names.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("# US Census 1990 given names, most frequent 1,500 male and female (public domain,"
                " via the names package); see geo/geoparse_lists.py\n")
        f.writelines(n + "\n" for n in sorted(names))
    print(f"{len(words)} common words, {len(names)} first names -> {DATA}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
