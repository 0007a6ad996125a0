"""A small learned filter over recognised toponyms (corpus convention mode only).

The rules of :mod:`geo.toponyms` propose spans; this logistic model keeps those whose
features make a toponym likely: what the gazetteer says (kind, size, own-name match), the
words (a frequent English word, a given name, a surname the text uses for a person), and
the context (a preposition before, "X, Y" qualifiers, a title before or "said" after,
sentence start, occurrences in lowercase, inside a longer name).  Weights in
:data:`WEIGHTS` are fitted by ``python -m geo.geoparse_train --recognition`` on the training
half of LGL (documents whose md5 is even); the other half stays held out.
"""

from __future__ import annotations

import math
import re

from gazetteer.normalize import name_key
from geo.geoparse_data import common_words, first_names

#: decision threshold on the probability (best F1 on the training half)
THRESHOLD = 0.46

#: logistic weights (see module docstring); "bias" is the intercept.  Fitted on the training
#: half of LGL: held-out half P 0.816 R 0.778 F1 0.796 (0.628 without the filter)
WEIGHTS: dict[str, float] = {
    'after_comma_place': 1.121,
    'bias': -0.028,
    'cap_after': -0.853,
    'cap_after_small': -0.274,
    'cap_before': -1.124,
    'cap_before_small': 0.102,
    'caps': 1.575,
    'comma_cap': 0.745,
    'common': -0.661,
    'common_small': -1.288,
    'demonym': 2.194,
    'doc_country': 0.681,
    'dotted': 0.009,
    'first_given': 0.181,
    'given': -0.696,
    'given_small': 0.109,
    'initial': -0.246,
    'initial_small': -0.095,
    'k_adm1': -0.168,
    'k_adm2': -0.539,
    'k_city': -1.584,
    'k_country': 0.481,
    'k_other': -0.477,
    'logpop': 0.975,
    'lower_after': 0.074,
    'lower_in_text': -1.017,
    'lower_in_text_small': -0.412,
    'ncands': 1.204,
    'next_common': -0.156,
    'next_inst': 0.038,
    'next_inst_small': 0.073,
    'next_rare': -0.44,
    'next_rare_small': 0.196,
    'own_name': 1.625,
    'person': -2.814,
    'person_small': -0.624,
    'possessive': -0.463,
    'possessive_small': -0.827,
    'prep': 0.66,
    'prep_small': 0.537,
    'prev_common': 0.052,
    'prev_given': -1.394,
    'prev_given_small': -0.48,
    'repeats': 0.623,
    'said': -0.867,
    'said_small': -0.488,
    'small': -0.879,
    'title': -0.92,
    'title_small': -0.355,
    'typed': 0.065,
    'typed_street': -0.437,
    'words1': -0.887,
    'words3': -0.284,
}

_PREP = re.compile(r"(?:\b(?:in|at|from|to|near|of|outside|across|throughout|between|into|toward|towards|"
                   r"around|through|via|across|within|inside|visit|visited|visiting|leave|left|reach|reached|"
                   r"north of|south of|east of|west of)\s+(?:the\s+)?(?:[Nn]orthern\s+|[Ss]outhern\s+|"
                   r"[Ee]astern\s+|[Ww]estern\s+|[Cc]entral\s+|[Dd]owntown\s+)?)$")
_SAID = re.compile(r"^(?:[’']s)?,?\s+(?:said|says|told|added|asked|explained|noted|wrote|who|whose|testified|"
                   r"argued|agreed|stated|recalled|died|was|is|has|had)\b")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Lt|Sgt|Capt|Gen|Col|Maj|Cpl|Det|Officer|Deputy|Judge|"
                    r"Coach|President|Senator|Governor|Mayor|Sheriff|Chief|Rev|Father|Prof|Attorney|"
                    r"Commissioner|Trooper|Pastor|Bishop)\.?\s+$")


_INSTITUTION = {
    "county", "city", "police", "council", "school", "schools", "university", "college", "department", "state",
    "board", "commission", "court", "hospital", "airport", "high", "middle", "elementary", "public", "area",
    "fire", "sheriff", "sheriffs", "government", "officials", "chamber", "library", "museum", "park", "parks",
    "river", "lake", "valley", "street", "road", "avenue", "highway", "township", "district", "region", "club",
    "church", "center", "centre", "community", "regional", "memorial", "herald", "times", "post", "news",
    "daily", "journal", "tribune", "gazette", "press", "bureau", "agency", "ministry", "army", "forces", "navy",
    "national", "international", "house", "senate", "congress", "legislature", "assembly", "parliament",
}


class _DocContext:
    """What the features of every span of one text share (computed once per text)."""

    def __init__(self, text: str, all_spans):
        from collections import Counter

        self.lower = frozenset(_LOWER_WORD.findall(text))
        self.key_count = Counter(o.key for o in all_spans)
        self.ends = {o.end for o in all_spans}
        self.country = Counter(o.candidates[0].country_code for o in all_spans if o.candidates and not o.demonym)
        self.n_country = sum(self.country.values())
        self.key_country: dict[str, Counter] = {}
        for o in all_spans:
            if o.candidates and not o.demonym:
                self.key_country.setdefault(o.key, Counter())[o.candidates[0].country_code] += 1


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z]+(?![\w-])")
_COMMA_END = re.compile(r",\s*$")
_COMMA_CAP = re.compile(r",\s+[A-Z]")
_INITIAL_END = ("\n", ". ", "? ", "! ", "“", '"')
_CAP_BEFORE = re.compile(r"[A-Z][\w’'.\-]*\s$")
_CAP_AFTER = re.compile(r"\s[A-Z]")
_POSSESSIVE = re.compile(r"[’']s\b")
_LOWER_AFTER = re.compile(r"\s[a-z]")
_NEXT_CAP = re.compile(r"(?:[’']s)?\s+([A-Z][\w’'\-]*)")
_PREV_CAP = re.compile(r"([A-Z][\w’'\-]*)\.?\s+$")
_STREETISH = re.compile(r"(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Drive|Boulevard|Blvd\.|Lane|Parkway|Highway|"
                        r"Trail|\d)$")


def features(text: str, sp, persons, all_spans, ctx: _DocContext | None = None) -> dict[str, float]:
    """Features of one recognised span."""
    ctx = ctx or _DocContext(text, all_spans)
    s, e, key = sp.start, sp.end, sp.key
    surface = text[s:e]
    words = key.split()
    cands = sp.candidates
    top = cands[0] if cands else None
    f: dict[str, float] = {"bias": 1.0}
    f["words1"] = float(len(words) == 1)
    f["words3"] = float(len(words) >= 3)
    f["caps"] = float(surface.isupper() and len(surface) > 3)
    f["dotted"] = float("." in surface)
    f["demonym"] = float(sp.demonym)
    f["typed"] = float(not cands)
    if top is not None and not sp.demonym:
        f["k_country"] = float(top.kind == "country")
        f["k_adm1"] = float(top.kind == "region" and top.feature_code == "ADM1")
        f["k_adm2"] = float(top.feature_code == "ADM2")
        f["k_city"] = float(top.kind == "city")
        f["k_other"] = float(top.kind in ("water", "site", "other") or top.source == "curated")
        pop = max(c.population for c in cands)
        f["logpop"] = math.log10(pop + 10) / 7
        f["own_name"] = float(name_key(top.name) == key)
        f["ncands"] = math.log(1 + len(cands)) / 3
    one = words[0] if len(words) == 1 else None
    f["common"] = float(one is not None and one in common_words())
    f["given"] = float(one is not None and one in first_names())
    f["first_given"] = float(len(words) > 1 and words[0] in first_names())
    f["person"] = float(one is not None and one in persons)
    before = text[max(0, s - 40):s]
    after = text[e:e + 30]
    f["prep"] = float(bool(_PREP.search(before)))
    f["title"] = float(bool(_TITLE.search(before)))
    f["said"] = float(bool(_SAID.match(after)))
    f["comma_cap"] = float(bool(_COMMA_CAP.match(after)))
    m = _COMMA_END.search(before)
    f["after_comma_place"] = float(m is not None and (s - 40 + m.start() if s >= 40 else m.start()) in ctx.ends)
    f["initial"] = float(s == 0 or before.endswith(_INITIAL_END))
    f["cap_before"] = float(bool(_CAP_BEFORE.search(before)) and not f["initial"])
    f["cap_after"] = float(bool(_CAP_AFTER.match(after)))
    f["possessive"] = float(bool(_POSSESSIVE.match(after)))
    f["lower_after"] = float(bool(_LOWER_AFTER.match(after)))
    f["lower_in_text"] = float(one is not None and one in ctx.lower)
    f["repeats"] = math.log(1 + ctx.key_count[key]) / 2
    m = _NEXT_CAP.match(after)
    nxt = name_key(m.group(1)) if m else ""
    m = _PREV_CAP.search(before)
    prv = name_key(m.group(1)) if m else ""
    f["next_inst"] = float(nxt in _INSTITUTION)
    f["next_common"] = float(bool(nxt) and nxt in common_words() and nxt not in _INSTITUTION)
    f["next_rare"] = float(bool(nxt) and nxt not in common_words())
    f["prev_given"] = float(bool(prv) and prv in first_names())
    f["prev_common"] = float(bool(prv) and prv in common_words())
    # interactions: evidence against a place matters for small places, not for big ones
    small = float(top is not None and not sp.demonym and max(c.population for c in cands) < 50_000
                  and top.kind not in ("country", "region"))
    for k in ("given", "common", "person", "said", "lower_in_text", "cap_after", "cap_before", "title",
              "possessive", "prep", "initial", "next_rare", "prev_given", "next_inst"):
        f[k + "_small"] = f[k] * small
    f["small"] = small
    if top is not None and not sp.demonym and top.country_code:
        own = ctx.key_country.get(key)
        n_others = ctx.n_country - (sum(own.values()) if own else 0)
        if n_others:
            same = ctx.country[top.country_code] - (own[top.country_code] if own else 0)
            f["doc_country"] = same / n_others
    f["typed_street"] = float(not cands and bool(_STREETISH.search(surface)))
    return f


def probability(f: dict[str, float]) -> float:
    z = sum(WEIGHTS.get(k, 0.0) * v for k, v in f.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def filter_spans(text: str, spans, persons) -> list:
    if not WEIGHTS:
        return spans
    ctx = _DocContext(text, spans)
    out = []
    ends = {o.end for o in spans}
    for sp in spans:
        f = features(text, sp, persons, spans, ctx)
        m = _LIST_GAP.search(text[max(0, sp.start - 6):sp.start])
        f["in_list"] = float(m is not None and sp.start - len(m.group(0)) in ends)
        if probability(f) >= THRESHOLD or (_sure(sp, f) and not _MEDIA.match(text[sp.end:sp.end + 24])):
            out.append(sp)
    return out


_LIST_GAP = re.compile(r"(?:,\s*|\s+and\s+|\s+or\s+|,\s+and\s+)$")
# "The Kyiv Independent", "The Moscow Times": a news outlet's name
_MEDIA = re.compile(r"\s+(?:Independent|Times|Post|Herald|Tribune|Journal|Gazette|Telegraph|Daily|Courier|"
                    r"Chronicle|Star|Sun|Observer|Examiner|Inquirer|Dispatch|Standard|Express)\b")


def _sure(sp, f: dict[str, float]) -> bool:
    """A big place named with no sign of a person or a common word ("Kharkov", "Odesa"):
    the filter is for small, ambiguous names."""
    if not sp.candidates or sp.demonym:
        return False
    if any(f.get(k) for k in ("said", "title", "person", "first_given", "prev_given")):
        return False
    if (f.get("given") or f.get("common")) and not (f.get("prep") or f.get("comma_cap") or f.get("in_list")):
        return False  # "Odessa" the given name, unless written as a place ("to Odessa", "Odessa, Texas")
    top = sp.candidates[0]
    return top.kind == "country" or top.population >= 500_000
