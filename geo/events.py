"""Movement events: which sentences say that someone moved, from where, to where, when.

A sentence is a movement claim when it holds a movement verb (transported, sent, headed to,
stationed at, ...) and places governed by directional prepositions ("from A, B and C",
"to the port city of D", "at bases in X, Y and Z"). Places are otherwise left as mentions:
where something was said, what an article is about, cover identities ("disguised as
recruits from Buryatia"), captions and page furniture never become stops.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from datetime import date, timedelta
from typing import Callable

from gazetteer.place import Place
from geo.model import Document, Event, Evidence, Mention, Sentence, Timex
from geo.geoparse_data import demonym_key
from geo.resolve import contains
from geo.text import lowered_matches_alike, zone_at

# Verb forms of movement, by relation. Nouns ("deployments") describe plans, not claims.
# Nouns of a journey: with "from"/"to" a movement claim ("flights from Kabul to Doha").
_TRAVEL_NOUNS = r"(?:flights?|journeys?|voyages?|trips?|passages?|crossings?|transfers?|airlifts?|convoys?|shipments?|evacuations?)"
_MOVE = (r"divert(?:ed|ing|s)?|transit(?:ed|ing|s)?(?= the| through)|pass(?:ed|ing)(?! away)|cleared(?= the )|carried|taken (?=to |back to |on to |from )|(?:roll|limp|steam|chug)(?:ed|ing|s)? (?:[\w-]+ )?(?=through |into |past |across |toward|to |out of |back )|(?:took|take|takes|taking) (?:them|him|her|it|us|the [\w-]+|[\w-]+ of the [\w-]+) (?=to |back to |on to )|(?:took|taken|take|takes|taking) (?!part\b|place\b|control\b|power\b|office\b|charge\b|advantage\b|note\b|care\b|steps?\b|action\b|over\b|off\b)(?:[\w,-]+ ){1,4}?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west) )?(?=to |from )|re-?rout(?:e|ed|es|ing)|sails?|cross(?:es)? (?=to|into|over)|"
    + _TRAVEL_NOUNS + r"\s+(?=(?:from|to)\b)|made it(?: safely)? to|mak(?:e|ing) it to|leav(?:e|es|ing)|displac(?:ed|ing)|went|gone|go(?:es|ing)? to|came|escap(?:ed|ing)|embark(?:ed|ing)?|set (?:sail|off|out)|sets (?:sail|off)|transport(?:ed|ing)|transports?(?! (?:aircraft|planes?|ships?|vessels?|helicopters?|jets?|minist\w+|links?|hubs?|sector|compan\w+|networks?|costs?|capacity|squadrons?|fleets?|infrastructure|routes?|corridors?)\b)|shift(?:ed|ing|s)?(?= (?:from|to|back|out)\b| [\w-]+ (?:from|to)\b)|transferr(?:ed|ing)|transfers?|mov(?:ed|ing|es)|(?<!the )(?<!a )(?<!this )(?<!that )move(?= on\b| to\b| from\b| into\b| back\b| out\b| toward)|ship(?:ped|ping)|deploy(?:ed|ing|s)?|redeploy(?:ed|ing)?|sen[dt]|sending|dispatch(?:ed|ing)?|relocat(?:ed|ing|e)|withdr[ae]w(?:n|ing)?(?! (?:the|its|their|his|her|an?) (?:offer|request|bid|support|proposal|application|candidacy|claim|nomination|invitation|resolution|motion|lawsuit|charges?|ambassador|envoy)\b)|cross(?:ed|ing)|sail(?:ed|ing)|fl(?:ew|own|ying|y|ies)|travel(?:s|l?ed|l?ing)?|(?:walk(?:ed|ing|s)?|trek(?:ked|king|s)?|wad(?:ed|ing|es?)|sw[ai]m(?:ming|s)?|board(?:ed|ing)|hik(?:ed|ing)|rode|ride|riding|drive|drives|driving)(?= (?:[\w-]+ ){0,3}?(?:from|to|into|across|through|towards?|back)\b)|marched|drove|driven|evacuat(?:ed|ing)|fled|airlift(?:ed|ing)|repatriat(?:ed|ing|e)|ferr(?:ied|ying)|brought|bused|bussed|return(?:ed|ing)|depart(?:ed|ing)|left|rotat(?:ed|ing)|follow(?:s|ed|ing)?(?= (?:by|from|to|on)\b)|took off|tak(?:e|es|ing) off|turn(?:ed|ing|s)? (?:around|back)|pull(?:ed|ing|s)? (?:out|back)|retreat(?:ed|ing|s)?|f[ae]ll(?:ing)? back|escort(?:ed|ing)|smuggl(?:ed|ing)|deliver(?:ed|ing)")
_HEAD = r"head(?:ed|ing|s)?(?:\s+(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|back|home|straight|inland))?(?:\s+for|\s+to|\s+towards?|\s+there)|[\w-]+-bound|on (?:their|its|his|her) way to|en route to|bound for|advanc(?:ed|ing) (?:on|toward)|march(?:ed|ing)? (?:on|toward)"
_ARRIVE = r"(?:is|are) (?:now |also |then )?(?:expected|due) (?:at|in)(?! \d)|converg(?:e|ed|es|ing) (?=on |in |at |near )|call(?:s|ed|ing)? (?:at|in)|put(?:s|ting)? in (?:at|to)|(?:dropp(?:ed|ing)|drops?|cast|lie at|lay at|lying at) anchor (?=at |in |off )|anchor(?:s|ed|ing)? (?:at|in|off)|moor(?:s|ed|ing)? (?:at|in)|berth(?:ed|ing|s)? (?:at|in|alongside)|set(?:s|ting)? up (?:camp|tents?|base)|(?:sought|seeking|seek|took|taking|find|found) (?:refuge|shelter|safety)|shelter(?:ed|ing)|settl(?:ed|ing)|arriv(?:ed|ing|es?)|reach(?:ed|ing|es)?|enter(?:ed|ing|s)?|land(?:ed|ing|s)? (?:at|in)|(?:will|to|would|can|could) land|landed|dock(?:ed|ing|s)?(?= (?:in|at)\b)|dock(?:ed|ing)|disembark(?:ed|ing)|gather(?:ed|ing|ings)?|concentrat(?:ed|ing|ion)|mass(?:ed|ing)|amass(?:ed|ing)|assembl(?:ed|ing)|spotted|seen(?! as\b)|sighted|filmed|unload(?:ed|ing)|offload(?:ed|ing)|photographed|sightings? (?:[\w-]+ ){0,3}?(?=at |in |near )|disperse[ds]?|dispersed"
_STATION = r"refuel(?:l?ed|l?ing|s)? (?=in|at)|sp(?:ent|ends?|ending) (?:[\w-]+ ){1,3}?(?=in |at )|load(?:ed|ing) (?:[\w-]+ ){0,3}?(?=in |at )|stop(?:ped|ping|s)? (?:over |overnight |briefly |for the night |for [\w-]+ (?:hours?|days?|nights?) )?(?=in|at)|halt(?:ed|ing|s)? (?=in|at)|stopovers? (?=in|at)|(?:drills?|exercis(?:es?|ed|ing)|manoeuvres|maneuvers|war games|patrols?)\s+(?=in|off|near)|patroll(?:ed|ing)|station(?:ed|ing)|based|basing|garrisoned|camp(?:ed|ing)|housed|located|billeted|quartered|training (?:at|in)|trained (?:at|in)|undergoing training (?:at|in)"
_TRIGGER_PATTERN = rf"\b(?:(?P<head>{_HEAD})|(?P<arrive>{_ARRIVE})|(?P<station>{_STATION})|(?P<move>{_MOVE}))\b"
_TRIGGER = re.compile(_TRIGGER_PATTERN, re.I)
_TRIGGER_LOWER = re.compile(_TRIGGER_PATTERN)  # on lower-cased text: the same matches, ~4x faster
_BOUND = r"|[\w-]+-bound"  # the one alternative that does not open with a letter (nor a group of them)


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern``."""
    out, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur, i = cur + pattern[i:i + 2], i + 2
            continue
        if c == "[":
            j = pattern.index("]", i + 1)
            cur, i = cur + pattern[i:j + 1], j + 1
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    return out + [cur]


def _group_end(alt: str) -> int:
    """The index of the parenthesis that closes the group ``alt`` opens with."""
    depth, i = 0, 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = alt.index("]", i + 1) + 1
            continue
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return i
        i += 1
    raise ValueError(alt)


def _first_letters(pattern: str) -> set[str]:
    """The characters a match of ``pattern`` can open with: each alternative must open, after
    any look-around assertions (which match no character), with a lower-case letter or with a
    non-optional group of such alternatives (else ValueError)."""
    out: set[str] = set()
    for alt in _split_alternatives(pattern):
        while alt.startswith(("(?<!", "(?<=", "(?=", "(?!")):
            alt = alt[_group_end(alt) + 1:]
        if alt.startswith("(?:"):
            j = _group_end(alt)
            if alt[j + 1:j + 2] in ("?", "*", "{", "+"):
                raise ValueError(alt)
            out |= _first_letters(alt[3:j])
        elif alt[:1].isalpha() and alt[:1].islower() and alt[1:2] not in ("?", "*", "{"):
            out.add(alt[0])
        else:
            raise ValueError(alt)
    return out


def _letters_search() -> re.Pattern:
    """The same search on lower-cased text without "-bound": every match opens with one of a
    few letters, so a look-ahead for them turns down at once the word boundaries where no verb
    can start, instead of trying each of the ~100 alternatives there (about twice as fast; used
    only when the text holds no "-bound", so the matches are the same). The plain search if the
    pattern's alternatives cannot be read that way."""
    try:
        if not (_TRIGGER_PATTERN.startswith("\\b(?:") and _BOUND in _HEAD):
            raise ValueError(_TRIGGER_PATTERN[:20])
        letters = "".join(sorted(_first_letters("|".join((_HEAD.replace(_BOUND, ""), _ARRIVE, _STATION, _MOVE)))))
    except ValueError:
        return _TRIGGER_LOWER
    return re.compile(rf"\b(?=[{letters}])" + _TRIGGER_PATTERN[2:].replace(_BOUND, "", 1))


_TRIGGER_LETTERS = _letters_search()


def _find_triggers(text: str):
    """The movement verbs of a sentence (matches carry the offsets; only their groups' presence
    is read, not their text). Case-insensitive matching is slow on a ~100-way alternation, so the
    lower-cased text is matched instead, unless lowering would move offsets or change what
    IGNORECASE matches ("İ", "ı", "ſ")."""
    low = text.lower()
    if lowered_matches_alike(text, low):
        return (_TRIGGER_LOWER if "-bound" in low else _TRIGGER_LETTERS).finditer(low)
    return _TRIGGER.finditer(text)

# "Frontex, which is based in Warsaw": a relative clause describing an organisation, not a presence.
_DESCRIBING = re.compile(r"\b(?:which|that)\s+(?:is|are|was|were|has been|have been)\s+(?:also\s+|now\s+)?$|"
                         r"\b(?:think[- ]tanks?|compan(?:y|ies)|firms?|agenc(?:y|ies)|institutes?|organi[sz]ations?|ngos?|"
                         r"charit(?:y|ies)|newspapers?|broadcasters?|universit(?:y|ies)|banks?|consultanc(?:y|ies)|"
                         r"publishers?|outlets?|start-?ups?|manufacturers?|insurers?|airlines?)\s*,?\s*$", re.I)
_EXPECTED = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were) (?:expected |scheduled |set |due |slated |planned |planning |going )?to (?!be (?:seen|found)\b)|expected to|expected (?:at|in)\b|due (?:at|in)\b|scheduled|plans? to|planning to|intends? to|wants? to|hopes? to|hoping to|to be (?:deployed|sent|moved|transferred|taken|flown|shipped|transported|evacuated|relocated)|could|(?-i:may)|might|would)\b",
    re.I,
)
# Words that may stand between a preposition and the place it governs.
_BRIDGE = {
    "the", "a", "an", "areas", "area", "near", "of", "port", "city", "cities", "town", "towns", "village",
    "villages", "region", "regions", "province", "provinces", "called", "named", "bases", "base",
    "military", "facility", "facilities", "camp", "camps", "including", "such", "as", "training",
    "ground", "grounds", "airfield", "airbase", "air", "naval", "harbour", "harbor", "border", "capital",
    "far-eastern", "eastern", "western", "northern", "southern", "central", "north-eastern", "outskirts",
    "vicinity", "frontline", "front", "line", "lines", "island", "coast", "coastal", "occupied", "key",
    "strategic", "russian-occupied", "nearby", "neighboring", "neighbouring", "district", "districts",
    "state", "states", "county", "oblast", "krai", "base,", "site", "sites", "several", "multiple",
    "various", "two", "three", "four", "five", "airport", "station", "railway", "rail", "hub",
    "headquarters", "garrison", "positions", "territory", "part", "parts", "port-city", "my", "his", "her",
    "their", "our", "its", "house", "home", "homes", "refugee", "shelter", "shelters", "school", "hospital",
    "tent", "tents", "city", "camp", "then", "later", "back", "again", "finally", "eventually",
    "beach", "beaches", "shore", "shores", "coastline", "ports", "harbours", "harbors",
    "centre", "center", "centres", "centers", "transit", "reception", "temporary", "depot", "depots",
    "terminal", "barracks", "range", "zone", "compound", "hotel", "hotels", "crossing", "checkpoint",
    "besieged", "embattled", "war-torn", "frontline", "front-line", "disputed", "contested", "remote",
    "tiny", "historic", "industrial", "fishing", "mining", "divided", "devastated", "force", "forces",
    "highway", "motorway", "road", "expressway", "freeway", "entrance", "mouth", "approaches", "end",
    "railhead", "quay", "pier", "jetty", "dock", "docks", "yard", "freight", "container", "navy", "army",
}
_ROLE_PREP = {
    "from": "origin", "out": "origin",
    "to": "destination", "into": "destination", "toward": "destination", "towards": "destination",
    "for": "destination", "reach": "destination", "reached": "destination", "reaches": "destination",
    "reaching": "destination", "entered": "destination", "enters": "destination", "entering": "destination",
    "enter": "destination", "arrives": "destination",
    "in": "presence", "at": "presence", "inside": "presence", "on": "presence", "outside": "presence",
    "via": "via", "around": "via", "through": "transit", "across": "transit",
    # verbs whose direct object is where the movement starts ("fled Kabul", "leaving El Geneina")
    "leaving": "origin", "left": "origin", "leave": "origin", "leaves": "origin", "fled": "origin",
    "fleeing": "origin", "flee": "origin", "departed": "origin", "departing": "origin", "quit": "origin",
    "abandoned": "origin", "evacuating": "origin",
    # verbs whose direct object is passed through ("crossing the Suez Canal", "transited the strait")
    "crossing": "transit", "crossed": "transit", "passed": "transit", "passing": "transit",
    "transited": "transit", "transiting": "transit", "transits": "transit", "traversed": "transit",
    "cleared": "transit",
    "traversing": "transit",
}
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)?|(?:and|or|as well as|&))\s*(?:the\s+)?(?:to\s+|from\s+|in\s+)?$", re.I)
_COVER = re.compile(
    r"\b(disguis\w*|dressed|look(?:ed)? like|pos(?:ing|ed) as|pretend\w*|ID cards?|identity|documents|passports?|residents? of|natives? of|born in|recruits from)\b",
    re.I,
)
_CORRECTED = re.compile(r"\b(?:an? (?:earlier|previous) version of this (?:article|story|report|post)|"
                        r"(?:incorrectly|wrongly|mistakenly|erroneously) (?:said|stated|reported|named|described|gave))\b", re.I)
_EVERY = re.compile(r"\b(?:every|each) (?:year|summer|winter|spring|autumn|month|week|day|morning|evening|night)\b", re.I)
# "does not want to travel to Miami", "have not left Kursk": no movement claimed
_NEGATED = re.compile(r"\b(?:not|never|no longer|n['’]t)\s+(?:[\w-]+\s+){0,2}$", re.I)
# "A separate train was filmed in X in February": told to set another movement apart from this one
_UNRELATED = re.compile(r"\b(?:(?:a|an) (?:separate|unrelated|different|similar)|not (?:a )?part of|(?:the )?(?:original|initial) "
                        r"(?:itinerary|plans?|schedule|route))\b", re.I)
# "an aid worker from Valencia": where a person is from, told right before the place
_HOMETOWN = re.compile(r"\b(?:worker|engineer|teacher|student|farmer|mechanic|nurse|doctor|man|woman|mother|father|"
                       r"grandmother|grandfather|retiree|pensioner|volunteer|driver|fisherman|shopkeeper|trader|lawyer|"
                       r"activist|journalist|year-old)s? from\s+(?:the\s+)?(?:(?:town|city|village|region|province) of\s+)?$", re.I)
# "The group, mostly from Venezuela and Haiti, walked ...": who they are, not where this walk began
_COMING_FROM = re.compile(r"\b(?:mostly|mainly|largely|chiefly|predominantly|primarily|originally|many of them|"
                          r"most of them|all of them) from\b", re.I)
# "We were supposed to take medicines to Sumy", "a charter due to take them to Karachi was cancelled"
_CALLED_OFF = re.compile(r"\b(?:(?:was|were) supposed to|(?:was|were|been|is|are) (?:cancell?ed|called off|scrapped|aborted)|"
                         r"called off|(?:has|have) been closed|remain(?:s|ed)? closed)\b", re.I)
# "Two more flights to Brisbane are planned for Thursday"
_PLANNED_FOR = re.compile(r"\b(?:is|are) (?:planned|scheduled|due|expected|set) for\b", re.I)
# "Moving a tank brigade from the Baikal region is expensive": a movement as a subject, said of any
_GERUND_SUBJECT = re.compile(r"^\W*[A-Z][a-z]+ing\b[^.;:!?]{0,120}?\b(?:is|was|are|were|would be|will be|takes?|took|costs?|requires?)\b")
# "Boats from western Algeria mostly head for Almería": where such journeys usually go
_MOSTLY_GO = re.compile(r"\b(?:mostly|often|usually|frequently|sometimes|generally|typically) (?:head|go|travel|sail|arrive|"
                        r"land|come|leave|cross|move|end up)\w*", re.I)
def _tells_no_claim(sentence: str) -> bool:
    """True for a sentence whose movement verbs tell no claim of this story: a habit ("every
    summer", "boats mostly head for X"), another movement ("a separate train"), a plan called off,
    a movement as a subject ("Moving a brigade from X is expensive")."""
    return bool(_EVERY.search(sentence) or _UNRELATED.search(sentence) or _CALLED_OFF.search(sentence)
                or _GERUND_SUBJECT.match(sentence) or _MOSTLY_GO.search(sentence))


_HABITUAL = re.compile(r"\b(?:normally|usually|typically|generally|routinely|customarily|regularly|tend to|tends to)\b", re.I)
_IN_FROM = re.compile(r"\b(?:flew|flown|came|come|sailed|arrived|moved|brought|ferried|shipped|rolled)\s+in\s+from\b", re.I)
_RELATIVE = re.compile(r",\s+(?:where|which|who|whom|whose|after which|since when)\b", re.I)
_ANAPHOR = re.compile(r"\b(they|them|those|these|it|the (?:troops|soldiers|forces|personnel|units?|fighters|refugees|migrants|ships?|vessels?|group|people|families))\b", re.I)
# "The jets flew non-stop from their home base at X": undated, of the vehicles already arrived
_VEHICLES_BACK = re.compile(r"\bthe (?:jets|aircraft|planes|helicopters|bombers|trains?|trucks|convoys?|boats?|tanks|"
                            r"vehicles|evacuees|crews?)\b", re.I)
_ROUTE_WAY = re.compile(r"^\s*[-–—]\s*$")
_WAY_WORD = re.compile(r"^\s*(highway|motorway|road|freeway|expressway|railway|rail line|railroad|route|corridor|border crossing)\b", re.I)
# Vehicles say how people moved; places and institutions ("the port of X", "navy", "highway")
# only hint at it, so a train leaving a port is rail.
_MODES = [
    ("ship", re.compile(r"\b(ships?|landing ships?|vessels?|ferr(?:y|ies|ied)|boats?|dinghy|dinghies|pirogues?|cayucos?|canoes?|rafts?|skiffs?|dhows?|trawlers?|yachts?|barges?|cutters?|sail(?:ed|ing)?|by sea|frigates?|destroyers?|submarines?|carriers?|corvettes?|tankers?|warships?)\b", re.I)),
    ("rail", re.compile(r"\b(trains?|rail(?:way)?s?|railroad|by rail|wagons?)\b", re.I)),
    ("air", re.compile(r"\b(planes?|aircraft|flights?|fl(?:ew|own|y|ying)|airlift(?:ed)?|by air|helicopters?|jets?)\b", re.I)),
    ("road", re.compile(r"\b(trucks?|lorr(?:y|ies)|kamaz|convoys?|buses|bus|vehicles?|cars?|drove|driven|driving|fire engines?|by road)\b", re.I)),
    ("foot", re.compile(r"\b(on foot|walked|marched|trekked)\b", re.I)),
]
_MODE_SAID = [  # "by rail", "on foot": how, said outright
    ("rail", re.compile(r"\bby (?:rail|train)\b", re.I)),
    ("road", re.compile(r"\bby (?:road|truck|lorry|bus|car)\b", re.I)),
    ("ship", re.compile(r"\bby (?:sea|ship|boat|ferry)\b", re.I)),
    ("air", re.compile(r"\bby (?:air|plane)\b", re.I)),
    ("foot", re.compile(r"\bon foot\b", re.I)),
]
_MODE_HINTS = [
    ("ship", re.compile(r"\b(navy|naval|port|fleet|maritime)\b", re.I)),
    ("air", re.compile(r"\b(airfields?|airports?|air ?bases?)\b", re.I)),
    ("road", re.compile(r"\b(highways?|motorway|roads?)\b", re.I)),
]
_PEOPLE = r"(?:troops|soldiers|forces|personnel|fighters|servicemen|service members|marines|sailors|officers|men|people|refugees|migrants|civilians|workers|recruits|mercenaries|paratroopers|commandos|engineers|advisers|advisors|tanks|vehicles|ships|vessels|aircraft|families|children|residents|evacuees)"
_COUNT = re.compile(
    rf"(?<![-\w])(?:an estimated |estimated |about |around |nearly |some |approximately |roughly |as many as |at least |more than |over |up to )?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s*(?:million|thousand))?)\s+(?:[A-Z][\w'’-]*\s+){{0,3}}(?:[a-z][\w-]*\s+){{0,2}}{_PEOPLE}\b"
)
_ACTOR = re.compile(rf"\b((?:[A-Z][\w'’.-]*\s+){{1,3}}(?:[a-z][\w-]*\s+){{0,2}}{_PEOPLE})\b")


def _words_back(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+|[,;:()]", text)


# Nouns and verbs of reporting: "reports from the U.S.", "citing sources in Kyiv" name where a
# claim comes from, not where anyone moved.
_SOURCE_WORDS = {
    "reports", "report", "reported", "disclosures", "officials", "official", "statement", "statements",
    "sources", "source", "intelligence", "according", "quoted", "data", "information", "evidence", "news",
    "word", "warnings", "claims", "citing", "images", "footage", "photos", "video", "videos", "letter",
    "message", "call", "calls", "envoy", "delegation", "visitors", "experts", "analysts", "journalists",
    "stories", "story", "accounts", "testimonies", "testimony", "reporting", "dispatches", "letters",
    "protest", "protests", "complaint", "complaints", "condemnation", "criticism", "reaction", "response",
}
# Nouns after which "for X" says whom something is for: "aid for Gaza", "weapons for Ukraine".
_CARGO_WORDS = {
    "supplies", "supply", "aid", "food", "fuel", "equipment", "weapons", "arms", "ammunition", "munitions",
    "assistance", "support", "help", "funding", "funds", "money", "relief", "cargo", "goods", "items", "kits",
    "medicine", "medicines", "vaccines", "visas", "visa", "asylum", "package", "packages", "deliveries",
    "shipments", "materiel", "tents", "grain", "water", "parts", "spares", "donations", "loans", "plans",
}
_CLAUSE_BREAK = re.compile(r"\b(that|said|says|say|told|while|whereas|although|but|because|which|who|according)\b|[;:]|,\s*as\s+(?!well\b|part\b|a\b|an\b)", re.I)


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # "from the 33rd Air Base in Powidz"


# "from Kenneth Kaunda International Airport in Lusaka": the facility's name, then its town
_FACILITY_WORDS = {"airport", "airbase", "base", "station", "barracks", "camp", "airfield", "port", "harbour", "harbor"}
_AT_ANCHOR = {"anchor", "anchored", "anchoring", "anchors", "moored", "mooring"}


def _governing_role(between: str) -> str | None:
    """The role a preposition gives a place, looking back over bridge words."""
    words = _words_back(between)
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        lw = w.lower()
        if lw == "off" and k > 0 and words[k - 1].lower() in _AT_ANCHOR:
            return "presence"  # "dropped anchor off Split": a ship's stop, off the town
        if lw in _ROLE_PREP:
            if lw == "from" and k > 0 and words[k - 1].lower() in _SOURCE_WORDS:
                return None
            if lw == "for" and k > 0 and words[k - 1].lower() in _CARGO_WORDS:
                return None  # "supplies for South Sudan": what it is for, not where it goes
            role = _ROLE_PREP[lw]
            if role == "presence" or lw == "around":
                # "from beaches around Sfax": "around" only places the origin
                # "displaced from my house in Gaza City": the place locates the origin
                named_facility = False
                for j in range(k - 1, max(-1, k - 7), -1):
                    lj = words[j].lower()
                    if lj in _ROLE_PREP and _ROLE_PREP[lj] in ("origin", "destination", "transit"):
                        return _ROLE_PREP[lj]
                    nxt = words[j + 1].lower()
                    named_facility = words[j][:1].isupper() and (  # "the Gaslini children's hospital in Genoa"
                        named_facility or nxt in _FACILITY_WORDS or (nxt in _BRIDGE and nxt not in ("the", "a", "an"))
                        or nxt.endswith(("'s", "’s")))
                    if lj in _ROLE_PREP or lj in (",",) or (lj not in _BRIDGE and not _ORDINAL.fullmatch(lj)
                                                            and not lj.endswith(("’s", "'s")) and not named_facility):
                        break
            return role
        if (lw in _BRIDGE or lw in (",",) or w[:1].isupper() or lw.isdigit() or lw.endswith(("’s", "'s"))
                or lw.endswith(("most", "ern", "-eastern", "-western"))):
            continue
        return None
    return None


def _count(sentence: str) -> int | None:
    m = _COUNT.search(sentence)
    if not m:
        return None
    raw = m.group("n").replace(",", "")
    mult = 1
    if "million" in raw:
        mult, raw = 1_000_000, raw.replace("million", "")
    elif "thousand" in raw:
        mult, raw = 1000, raw.replace("thousand", "")
    try:
        value = int(float(raw.strip()) * mult)
    except ValueError:
        return None
    if 1900 <= value <= 2100 and "," not in m.group("n"):
        return None  # a year, not a head count
    return value


def _mode(*texts: str) -> str:
    """The way said outright ("by rail"), else the vehicle named first (in the sentence, then
    its neighbour), else a hint."""
    for text in texts:
        for table in (_MODE_SAID, _MODES, _MODE_HINTS):
            found = [(m.start(), mode) for mode, pattern in table for m in [pattern.search(text)] if m]
            if found:
                return min(found)[1]
    return "unknown"


def _actor(sentence: str) -> str | None:
    m = _ACTOR.search(sentence)
    if not m:
        return None
    words = m.group(1).split()
    while words and words[0].lower() in ("the", "a", "an", "and", "but", "while", "on", "in", "some", "about", "many"):
        words = words[1:]
    return " ".join(words) or None


_REPORTING = re.compile(
    r"\b(said|says|say|told|tells|reported|reports|announced|announces|stated|claimed|confirmed|noted|added|"
    r"published|posted|wrote|according|statement|release|briefing|address|report)\W+(?:\w+\W+){0,2}$", re.I)
_REPORTED_AFTER = re.compile(r"^\W*(?:\w+\W+)?(press release|statement|briefing|report|address|announcement)\b", re.I)
# A wire dateline, "KYIV, Oct 3 (Reuters) -": the date the story was filed, not of the movement.
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z .'’-]+(?:,[ \t]*[A-Z][\w .'’-]*)?,[ \t]*$")
_DATELINE_AFTER = re.compile(r"^[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?[-–—]")


def _dates(timexes: list[Timex], published: date | None, text: str = "") -> tuple[date | None, date | None, int]:
    """The dates a sentence gives its claim: the tightest dated expression, else none.

    Dates of the reporting itself ("said on Friday", "Friday's press release", a dateline) say
    when a claim was made, not when the movement happened, so they are left out."""
    return _tightest(_usable(timexes, text))


def _tightest(usable: list[Timex]) -> tuple[date | None, date | None, int]:
    if not usable:
        return None, None, 3
    best = min(usable, key=lambda t: (t.precision, (t.last - t.first).days))
    return best.first, best.last, best.precision


def _usable(timexes: list[Timex], text: str) -> list[Timex]:
    return [t for t in timexes if t.first and t.last and len(t.value) > 4
            and not (text and (_REPORTING.search(_SENTENCE_TAIL.split(text[max(0, t.start - 40):t.start])[-1])
                               or _REPORTED_AFTER.match(text[t.end:t.end + 30])
                               or (_DATELINE_BEFORE.search(text[max(0, t.start - 60):t.start])
                                   and _DATELINE_AFTER.match(text[t.end:t.end + 45]))))]


_CLOCK = re.compile(r"(?:(?:at|around|about|by)\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|hrs|h))?", re.I)


def _heading_line(text: str, t: Timex) -> bool:
    """True for a day's date standing as a line of its own, a section heading."""
    if not (t.first and t.first == t.last):
        return False
    lo = text.rfind("\n", 0, t.start) + 1
    hi = text.find("\n", t.end)
    line = text[lo:hi if hi >= 0 else len(text)]
    rest = (line[:t.start - lo] + " " + line[t.end - lo:]).lower()
    return len(line.strip()) <= 40 and not re.sub(
        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|[\s*#–—\-:,.|]", "", rest)


def _years_ago(when: date | None, published: date | None) -> bool:
    """ "In the summer of 2018 crews came from Poland", told in 2025: a movement that ended more
    than a year before the story was published is its background."""
    return bool(when and published) and (published - when).days > 365


def _years_before(timexes: list[Timex], published: date | None) -> bool:
    """True if the sentence dates itself by a year before the publication's only ("in 2022")."""
    return published is not None and any(
        len(t.value) == 4 and t.value.isdigit() and int(t.value) < published.year for t in timexes)


def _since_long_ago(usable: list[Timex], text: str, published: date | None) -> bool:
    """ "which has been deployed in Bambari since June 2023": a presence that began months
    before the story, of those already there (background)."""
    return published is not None and any(
        t.last and (published - t.last).days > 60 and text[max(0, t.start - 6):t.start].lower().endswith("since ")
        for t in usable)


_PAST_VERB = re.compile(r"(?:\w+ed|left|went|sent|flew|came|took|brought|drove|fled|withdrew|rode|ran|sailed|"
                        r"reached|arrived|crossed|passed)")


def _status_of(sent: Sentence, triggers, place: Mention | None, status: str) -> str:
    """A sentence planning one movement may tell another as done ("left Cape Town on Monday,
    continuing a cruise that will now take her cadets to Europe"): a past verb governing the
    place, with no modal just before it, is a report."""
    if status != "expected" or place is None:
        return status
    t = _nearest(triggers, place.start - sent.start, place.end - sent.start)
    if _EXPECTED.search(sent.text[max(0, t.start() - 60):t.end() + 1]):
        return status
    return "reported" if _PAST_VERB.fullmatch(t.group(0).split()[0].lower()) else status


def _departure_to_arrival(left, reached, published: date | None):
    """The dates of a movement whose departure and arrival a sentence dates apart. A departure
    on the weekday of publication told before an earlier arrival ("left on Wednesday and reached
    Huaquillas on Friday", published on a Wednesday) was the week before."""
    (l_start, l_end, l_prec), (r_start, r_end, r_prec) = left, reached
    if not (l_start and r_end) or (l_start, l_end) == (r_start, r_end):
        return reached
    if l_start > r_end and l_start == published and l_prec <= 2 and (l_start - r_end).days < 7:
        l_start = l_start - timedelta(days=7)
    if l_start > r_end:
        return reached
    return l_start, r_end, max(l_prec, r_prec)


_SENTENCE_TAIL = re.compile(r"[.!?][\"'”’]?\s+")


def _dates_of_stop(usable: list[Timex], stop: list[Mention], default, besides=None):
    """The dates of one stop of a sentence that gives several ("reached the border on Saturday
    and is expected at Cincu on Tuesday"): of the sentence's usable dates (``_usable``), the one
    told nearest to the stop's places; the sentence's own dates when it gives one only."""
    if not stop or len({(t.first, t.last) for t in usable}) < 2:
        return default
    lo, hi = stop[0].start, stop[-1].end
    if besides is not None and any(t.start >= hi and (t.first, t.last) != tuple(besides[:2]) for t in usable):
        # the departure's date is not the arrival's when the arrival is dated after it is told
        usable = [t for t in usable if (t.first, t.last) != tuple(besides[:2])]
    best = min(usable, key=lambda t: (t.start - hi if t.start >= hi else lo - t.end, t.precision))
    return best.first, best.last, best.precision


def _demonyms() -> list[tuple[re.Pattern, str]]:
    global _DEMONYM_TABLE
    if _DEMONYM_TABLE is None:
        import csv
        from pathlib import Path

        rows = []
        with open(Path(__file__).with_name("data") / "demonyms.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for name in row["demonyms"].split(";"):
                    rows.append((name.strip(), row["country_code"]))
        rows.sort(key=lambda r: -len(r[0]))  # "North Korean" before "Korean"
        _DEMONYM_TABLE = [(re.compile(rf"\b{re.escape(n)}\b"), cc) for n, cc in rows]
    return _DEMONYM_TABLE


_DEMONYM_TABLE = None


def actor_country(actor: str | None) -> str | None:
    """The country a nationality adjective in the actor names ("Russian troops" -> RU)."""
    if not actor:
        return None
    for pattern, cc in _demonyms():
        if pattern.search(actor):
            return cc
    return None


_SEQUENCE = re.compile(r"\b(then|after that|afterwards|later|finally|eventually|next|before (?:going|moving|heading|fleeing|continuing|sailing|proceeding|flying|travell?ing))\b", re.I)


def _stop_before(way: Mention, dests: list[tuple[int, Mention]]) -> bool:
    """A place passed through is a stop when the sentence goes on to a destination after it
    (told after the destination, as in "entered X through Y", its order is unknown). A sea or
    an ocean is not: "through the Black Sea" says little about where; a strait or canal does."""
    p = way.place
    if (p.kind == "water" and p.feature_code not in ("STRT", "CHN", "CNL")) or p.kind == "country":
        return False  # "crossed Bulgaria": a country passed says little about where
    return any(m.start > way.end for _, m in dests)


def _passed_next(way: Mention, dests, triggers, offset: int) -> bool:
    """ "reached the Bosphorus on 12 September and cleared the Dardanelles on 15 September": a
    strait, canal or town passed by a verb of its own after the destinations is the next stop."""
    p = way.place
    if not dests or (p.kind == "water" and p.feature_code not in ("STRT", "CHN", "CNL")):
        return False
    last = max(m.end for _, m in dests)
    return way.start > last and any(last <= offset + t.start() < way.start and t.group("move") for t in triggers)


def _sequence_groups(text: str, dests: list[tuple[int, Mention]], waypoints=frozenset(), triggers=(),
                     offset: int = 0) -> list[list[tuple[int, Mention]]]:
    """ "went to A, then to B", "through A to B", "refuelled in A and landed in B": destinations
    reached one after another."""
    groups: list[list[tuple[int, Mention]]] = []
    for item in dests:
        gap_start, gap_end = (groups[-1][-1][1].end, item[1].start) if groups else (0, 0)
        if groups and (groups[-1][-1][0] in waypoints or item[0] in waypoints
                       or _SEQUENCE.search(text[gap_start:gap_end])
                       or any(gap_start <= offset + t.start() < gap_end and not t.group("station") for t in triggers)):
            groups.append([item])
        elif groups:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def extract_events(
    doc: Document, sentences: list[Sentence], mentions: list[Mention],
    timexes: list[Timex] | Callable[[], list[Timex]], country_place=None,
) -> tuple[list[Event], set[int]]:
    """Events of one document, and the indexes (into ``mentions``) of the places they use.

    ``timexes`` are the document's date expressions, or a function that finds them: it is
    called only if some sentence may hold a claim (most articles hold none, and the dates of
    the others are never read). ``country_place(cc)`` (optional) turns an actor's nationality
    into a country place, used as the origin of last resort ("Russian troops arrived in Belarus")."""
    text = doc.text
    events: list[Event] = []
    used: set[int] = set()
    last_event_sentence = -10
    starts = [m.start for m in mentions]
    if starts != sorted(starts):
        raise ValueError("mentions must come in text order")
    dated: list = []  # the timexes in text order and their starts, once a sentence asks
    headings: list = []  # the dates standing as section headings, once a sentence asks

    def doc_timexes() -> list[Timex]:
        """The document's date expressions in text order, found when a sentence first asks."""
        if not dated:
            found = sorted(timexes() if callable(timexes) else timexes, key=lambda t: t.start)
            dated.extend((found, [t.start for t in found]))
        return dated[0]

    def sentence_timexes(sent: Sentence) -> list[Timex]:
        found, tstarts = doc_timexes(), dated[1]
        return found[bisect_left(tstarts, sent.start):bisect_left(tstarts, sent.end)]

    def heading_date(pos: int):
        """The date of the log or live-blog section ``pos`` is in ("THURSDAY 4 APRIL" on a line of
        its own), if any."""
        if not headings:
            found = [t for t in doc_timexes() if _heading_line(text, t)]
            headings.append(found if len(found) >= 2 else [])  # one is a page's date line, not sections
        before = [t for t in headings[0] if t.end <= pos]
        return (before[-1].first, before[-1].last, before[-1].precision) if before else None

    for si, sent in enumerate(sentences):
        lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
        in_sent = [(i, mentions[i]) for i in range(lo, hi) if mentions[i].place]
        if not in_sent:
            # No place: the sentence can only complete the movement claimed just before it
            # (the pronoun case below), so nothing else need be looked for in it.
            prev = events[-1] if events else None
            if not (prev and si - last_event_sentence <= 2 and prev.relation == "move" and not prev.start):
                continue
        triggers = [t for t in _find_triggers(sent.text)
                    if not (t.group("station") and _DESCRIBING.search(sent.text[max(0, t.start() - 30):t.start()]))
                    and not _NEGATED.search(sent.text[max(0, t.start() - 40):t.start()])]
        if not triggers and len(in_sent) < 2:
            continue
        if zone_at(text, sent.start) or _CORRECTED.search(sent.text):
            continue  # page furniture; what a correction says an earlier version got wrong
        highway = _highway(text, in_sent) if len(in_sent) >= 2 and not _CLOSED_WAY.search(sent.text) else None
        if highway:
            (ia, a), (ib, b), word = highway
            start, end, prec = _dates(sentence_timexes(sent), doc.published, text)
            events.append(Event(doc.id, (a.place,), (b.place,), "transit", "reported", start, end, prec,
                                "rail" if "rail" in word.lower() else "road", _actor(sent.text), _count(sent.text),
                                (Evidence(doc.id, sent.text, sent.start, sent.end),)))
            used.update((ia, ib))
            last_event_sentence = si
            continue
        habit = _HABITUAL.search(sent.text, 0, triggers[-1].start()) if triggers else None
        if habit:
            # "the unit normally garrisoned outside X": where it is based, said of a unit that moves
            describing = [t for t in triggers if t.group("station") and 0 <= t.start() - habit.end() <= 2]
            triggers = [t for t in triggers if t not in describing] if describing else []
        if not triggers or _tells_no_claim(sent.text):
            continue  # "convoys normally take three weeks to reach Juba": how things go, not a claim
        roles = _roles(text, sent, in_sent, triggers)
        _home_bases(text, sent, in_sent, roles, any(t.group("move") for t in triggers))
        origins = [(i, m) for i, m in in_sent if roles.get(i) == "origin"]
        dests = [(i, m) for i, m in in_sent if roles.get(i) == "destination"
                 or (roles.get(i) == "presence" and _placed_by(_nearest(triggers, m.start - sent.start, m.end - sent.start)))]
        stops_first = _stops_before_departure(text, sent, origins, dests, triggers)
        if stops_first:
            # "loaded cargo in Shanghai and left Singapore for Rotterdam": Shanghai, Singapore, Rotterdam
            dests = sorted(dests + origins, key=lambda d: d[1].start)
            departure_points = {i for i, _ in origins}
            origins = []
        else:
            departure_points = set()
        stopovers = _stopovers(text, dests)
        dests, earlier_stops = _told_backwards(text, dests)
        stopovers += earlier_stops
        ways = [(i, m) for i, m in in_sent if roles.get(i) == "transit"]
        if dests and not origins:
            # "entered the Red Sea after crossing the Suez Canal": passed before, told after
            origins = [(i, m) for i, m in ways if m.start > dests[-1][1].end
                       and re.search(r"\bafter\s+\w+ing\b", text[dests[-1][1].end:m.start])]
            ways = [w for w in ways if w not in origins]
        waypoints = [(i, m) for i, m in ways if _stop_before(m, dests)
                     or _passed_next(m, dests, triggers, sent.start)] + stopovers
        if waypoints:
            # "passed through the Skagerrak on its way to the Baltic Sea", "walked across the border
            # near Gevgelija, then ... drove them to Belgrade": a stop on the way
            dests = sorted(set(dests + waypoints), key=lambda d: d[1].start)
        if not dests:
            # "re-route vessels around the Cape of Good Hope", "crossed through X": the way is where they went;
            # "crossed the Rhine at Kehl and passed Munich": one after the other
            dests = [(i, m) for i, m in in_sent if roles.get(i) == "via"] or ways
            if dests is ways:
                waypoints = ways
        relation = _relation(triggers, bool(origins), any(roles.get(i) == "presence" for i, _ in dests[:1]))
        rel = _RELATIVE.search(sent.text, triggers[0].end())

        def claim_dates(sent=sent, rel=rel):
            """The sentence's usable date expressions and the dates they give the claim: looked
            up only for a sentence that makes or completes a claim."""
            stimex = sentence_timexes(sent)
            if rel:  # "left camps in Bangladesh, where 700,000 had fled in August 2017": not this claim's date
                # (the clause ends at its closing comma: "..., where customs cleared it, and ran on to X on 25 May")
                close = sent.text.find(",", rel.end())
                lo, hi = sent.start + rel.start(), (sent.start + close if close >= 0 else sent.end)
                stimex = [t for t in stimex if t.start < lo or t.start >= hi]
            usable = _usable(stimex, text)
            return usable, _tightest(usable), _years_before(stimex, doc.published)

        status = "expected" if (_EXPECTED.search(sent.text[: triggers[-1].end() + 1]) or _PLANNED_FOR.search(sent.text)
                                or _headline_future(text, sent)) else "reported"
        evidence = (Evidence(doc.id, sent.text, sent.start, sent.end),)
        if not origins and not dests:
            # "It said they were transported ... between Oct. 8 and Oct. 13": a sentence without
            # places whose pronoun subject continues the movement claimed just before it.
            prev = events[-1] if events else None
            if (prev and si - last_event_sentence <= 2 and prev.relation == "move" and not prev.start
                    and _ANAPHOR.search(sent.text[: triggers[0].start()])):
                _, (start, end, prec), _ = claim_dates()
                if start or end:
                    events[-1] = replace(
                        prev, start=start, end=end, time_precision=prec,
                        mode=prev.mode if prev.mode != "unknown" else _mode(sent.text),
                        count=prev.count or _count(sent.text), evidence=prev.evidence + evidence,
                    )
                    last_event_sentence = si
            continue
        usable, (start, end, prec), earlier = claim_dates()
        if not (start or end or earlier) or (usable and all(_CLOCK.fullmatch(t.text) for t in usable)):
            # a log's "17:30 - leaves Trapani" under "THURSDAY 4 APRIL": the section's day
            start, end, prec = heading_date(sent.start) or (start, end, prec)
        if (earlier and not (start or end)) or _years_ago(end or start, doc.published) or _since_long_ago(
                [t for t in usable if (t.first, t.last) == (start, end)], text, doc.published):
            continue  # "forces sent to Ukraine before 2022", told in 2025: background, not this story
        origins = _drop_containers(origins, dests)
        dests = _drop_containers(dests, origins)
        neighbour = sentences[si + 1].text if si + 1 < len(sentences) else ""
        actor = _actor(sent.text)
        cc = actor_country(actor)
        origin_country = country_place(cc) if (cc and country_place) else None
        mode = _mode(sent.text, neighbour if relation == "move" else "")
        count = _count(sent.text)
        prior = tuple(m.place for _, m in origins)
        # "they left camps in Bangladesh", "six jets flew in from Aviano": told of those already there
        anaphoric = bool(_ANAPHOR.search(sent.text[: triggers[0].start()]) or _IN_FROM.search(sent.text)
                         or (not start and _VEHICLES_BACK.search(sent.text[: triggers[0].start()])))
        groups = _sequence_groups(text, dests, {i for i, _ in waypoints} | departure_points, triggers, sent.start)
        left_from = [m for _, m in origins]  # the places the first group of stops is left from
        for group in _stopovers_before(groups, stopovers) or [[]]:
            first = (left_from or [m for _, m in group] or [None])[0]
            g_start, g_end, g_prec = _dates_of_stop(usable, [m for _, m in group], (start, end, prec))
            told_between = [t for t in usable if left_from and group and left_from[-1].end <= t.start < group[0][1].start]
            if told_between:
                # "left Quito on Wednesday and reached Huaquillas on Friday": from the one day to the other
                left = (told_between[0].first, told_between[0].last, told_between[0].precision)
                reached = _dates_of_stop(usable, [m for _, m in group], (g_start, g_end, g_prec), besides=left)
                g_start, g_end, g_prec = _departure_to_arrival(left, reached, doc.published)
            left_from = []
            events.append(Event(
                doc.id, prior, tuple(m.place for _, m in group), relation if not prior or relation != "station" else "move",
                _status_of(sent, triggers, first, status), g_start, g_end, g_prec, mode, actor, count, evidence,
                origin_country, anaphoric,
            ))
            prior = tuple(m.place for _, m in group)
            relation = "move"
        used.update(i for i, _ in origins + dests)
        last_event_sentence = si
    return events, used


# Headline English: "Japan to send troops to Darwin" tells of a plan.
_HEADLINE_TO = re.compile(r"\bto\s+(?:send|deploy|move|ship|fly|sail|transfer|station|dispatch|withdraw|pull|evacuate|"
                          r"relocate|airlift|base|return|head|leave|arrive|dock|redeploy|rotate)\b", re.I)


def _is_headline(text: str, sent: Sentence) -> bool:
    """True for the page's first line when it has no closing stop."""
    return not text[:sent.start].strip() and not sent.text.rstrip().endswith((".", "!", "?", '"', "”"))


def _headline_future(text: str, sent: Sentence) -> bool:
    """True for a headline in the infinitive future ("Japan to send troops to Darwin")."""
    return _is_headline(text, sent) and bool(_HEADLINE_TO.search(sent.text))


# "a battalion based in Oberviechtach": a participle describing the unit, no auxiliary before it.
_HOME_BASE = re.compile(r"(?:^|,\s*|\b(?:a|an|the|its|their|his|her|of)\s+)(?:[\w-]+\s+){0,3}(?:based|stationed|garrisoned|headquartered)"
                        r"\s+(?:in|at|near|outside)\s+(?:the\s+)?$", re.I)


def _home_bases(text: str, sent: Sentence, in_sent, roles: dict[int, str], moving: bool) -> None:
    """Where a unit is based, told to describe it while the sentence moves it: where its journey
    starts when nothing else is said to be its origin ("troops based in Kursk were sent to
    Belgorod"), else a mention ("soldiers from a battalion based in X will fly from Nuremberg
    to Vilnius"). Without a movement verb it stays a presence ("troops stationed in Russia")."""
    homes = [i for i, m in in_sent if roles.get(i) == "presence"
             and _HOME_BASE.search(_window_before(text, sent.start, m.start))]
    if not homes or not moving:
        return
    others = any(r == "origin" for i, r in roles.items() if i not in homes)
    for i in homes:
        if others:
            del roles[i]
        else:
            roles[i] = "origin"


# Verbs that put someone somewhere: "deployed in X", "turned around in X" say where they are.
_PLACING = re.compile(r"(?:re-?)?deploy|turn|position")
_AFTER = re.compile(r"\b(?:after|since|before|once|when|which|who|whom|whose|where|that|having|had)\b", re.I)


def _placed_by(trigger) -> bool:
    """True if the verb says where someone is: "arrived in", "stationed at", "deployed in"."""
    return bool(trigger.group("arrive") or trigger.group("station") or _PLACING.match(trigger.group(0).lower()))


def _nearest(triggers, start: int, end: int):
    """The movement verb nearest to a place (offsets in the sentence): the one that governs it."""
    return min(triggers, key=lambda t: start - t.end() if t.end() <= start else max(0, t.start() - end) + 1)


_STOPOVER = re.compile(r"\b(?:with|after|via|including|and)\s+(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?(?:stop|stopover|"
                       r"layover|call)s?\s+(?:in|at)\s+(?:the\s+)?$", re.I)


def _stopovers(text: str, dests):
    """ "will fly to Darwin with a refuelling stop in Guam": the stops on the way told after a
    destination; they come before it (``_stopovers_before``)."""
    return [(i, m) for i, m in dests[1:] if _STOPOVER.search(text[max(0, m.start - 60):m.start])]


_AFTER_CLAUSE = re.compile(r"(?:,\s*|\s)after\s+(?!that\b|which\b|a\b|an\b|\d)", re.I)


def _told_backwards(text: str, dests):
    """ "arrived in Kinshasa on Wednesday, after the charter was diverted to Lubumbashi on
    Tuesday": the stops told in the after-clause came first. Returns the destinations in
    travel order and those moved before the first, which are stops of their own."""
    if len(dests) < 2:
        return dests, []
    first = dests[0][1]
    clause = _AFTER_CLAUSE.search(text, first.end, dests[1][1].start)
    if not clause or "." in text[first.end:clause.start()]:
        return dests, []
    return dests[1:] + dests[:1], dests[1:]


def _stopovers_before(groups, stopovers):
    """Destination groups in travel order: a group of stopovers goes before the group told just before it."""
    if not stopovers:
        return groups
    stop_ids = {i for i, _ in stopovers}
    out = list(groups)
    for k in range(1, len(out)):
        if all(i in stop_ids for i, _ in out[k]) and not all(i in stop_ids for i, _ in out[k - 1]):
            out[k - 1], out[k] = out[k], out[k - 1]
    return out


_TRAVEL_NOUN = re.compile(_TRAVEL_NOUNS + r"\b", re.I)


def _stops_before_departure(text: str, sent: Sentence, origins, dests, triggers) -> bool:
    """True when the places a sentence is at come before the place it then leaves, in the order
    told: "loaded cargo in Shanghai and left Singapore for Rotterdam", "stopped in Kursk, then
    left Voronezh". Not for "arrived in X after leaving Y" (told backwards) or "arrived in X
    from Y" (no verb between)."""
    if not origins or not dests or dests[0][1].start > origins[0][1].start:
        return False
    last_stop = max(m.end for _, m in dests if m.start < origins[0][1].start)
    gap_lo, gap_hi = last_stop - sent.start, origins[0][1].start - sent.start
    verbs = [t for t in triggers if gap_lo <= t.start() < gap_hi and not t.group("station")
             and not _TRAVEL_NOUN.match(t.group(0))]  # "flew into Tallinn on flights from Bristol": told backwards
    return bool(verbs) and not _AFTER.search(sent.text, gap_lo, verbs[0].start() + 1)


def _window_before(text: str, sentence_start: int, pos: int, size: int = 80) -> str:
    """The text before ``pos`` in its sentence, at most ``size`` characters; "^" in a pattern
    matches the sentence start only when the window reaches it."""
    if pos - sentence_start <= size:
        return text[sentence_start:pos]
    return " " + text[pos - size:pos]


def _relation(triggers, has_origins: bool, has_presence: bool) -> str:
    kinds = [k for k in ("move", "head", "arrive", "station") if any(t.group(k) for t in triggers)]
    if has_origins and "move" in kinds:
        return "move"
    if has_presence:
        return "station" if "station" in kinds else "arrive"
    if "head" in kinds:
        return "head"
    return kinds[0] if kinds else "move"


def _roles(text: str, sent: Sentence, in_sent: list[tuple[int, Mention]], triggers) -> dict[int, str]:
    roles: dict[int, str] = {}
    mentions_by_index = dict(in_sent)
    prev_end = sent.start
    prev_idx = None
    for i, m in in_sent:
        between = text[prev_end:m.start]
        before = text[sent.start:m.start]
        after = text[m.end:m.end + 3]
        if re.match(r"-bound\b", text[m.end:m.end + 7]):
            roles[i] = "destination"  # "Red Sea-bound vessels"
            prev_end, prev_idx = m.end, i
            continue
        if (after.startswith(("’s", "'s")) and (_possessed_place(m, in_sent) or _OWNER_OF.match(text, m.end))) \
                or _qualifies(text, m, in_sent) \
                or _modifier(text, m) or _SPOKE_HERE.match(text, m.end) or demonym_key(m.surface):
            prev_end = m.end
            continue  # "Russia's Kursk Oblast", "Ussuriysk, Primorsky Krai": a qualifier, not a stop
        cover = _COVER.search(before[-90:])
        if prev_idx is not None and _LIST_JOIN.fullmatch(between) and prev_idx in roles:
            role = roles[prev_idx]
        else:
            role = _governing_role(text[max(sent.start, m.start - 120):m.start])
        if (cover or _HOMETOWN.search(before)) and role:
            role = None
        coming = _COMING_FROM.search(before[-90:])
        if role and coming and not any(
                max(0, len(before) - 90) + coming.end() <= t.start() < len(before) for t in triggers):
            role = None
        if role and not _same_clause(sent.text, triggers, m.start - sent.start, m.end - sent.start):
            role = None
        if role and _in_relative_clause(text[sent.start:m.start], triggers):
            role = None  # "Djibouti, where France keeps its largest base in Africa"
        if (role == "presence" and prev_idx is not None and roles.get(prev_idx) in ("destination", "transit")
                and _ENTRY_POINT.fullmatch(between)
                and mentions_by_index[prev_idx].place.kind in ("country", "region", "water")):
            # "crossed into Poland at Frankfurt (Oder)", "crossed the Rhine at Kehl": the place
            # where they entered or crossed is the place reached or passed
            role = roles.pop(prev_idx)
        if role == "presence" and _HEADING_ON.match(text, m.end):
            role = "origin"  # "on the M1 near Baranavichy, heading west towards Brest": seen at, going on
        if role:
            roles[i] = role
        prev_end = m.end
        prev_idx = i
    return roles


_HEADING_ON = re.compile(r",?\s+(?:and\s+)?(?:heading|headed|bound for|en route to|on (?:its|their|his|her) way)\b", re.I)


# "India's foreign ministry said", "Russia's defence ministry": the country owns an institution
_OWNER_OF = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:ministry|ministries|minister|government|army|navy|air force|forces|"
                       r"military|president|prime|officials?|authorities|embassy|state|national|coast guard|parliament|"
                       r"leader|spokes\w+|agency|office|police|foreign|defen[cs]e|interior|own)\b", re.I)
# "the foreign ministry in Wellington said": where someone spoke
_SPOKE_HERE = re.compile(r"\s+(?:said|says|told|announced|reported|confirmed|added|stated)\b")


def _possessed_place(m: Mention, in_sent) -> bool:
    """ "Russia's Kursk Oblast": a place follows the possessive, so this one only qualifies it;
    "Nouméa's small Magenta airfield" names no place after it: the stop is Nouméa."""
    return any(0 <= o.start - m.end <= 40 for _, o in in_sent if o is not m)


_ENTRY_POINT = re.compile(r"\s+(?:at|near)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}(?:of\s+)?")


_HEAD_NOUNS = {
    "base", "bases", "forces", "force", "troops", "military", "army", "navy", "embassy", "border", "authorities",
    "officials", "government", "side", "capital", "airbase", "airport", "territory", "soldiers", "units",
    "ships", "vessels", "warships", "command", "ministry", "officers", "personnel", "president", "coast",
}


_WATER_MODIFIES = re.compile(r"\s+(?:river\s+|sea\s+)?(?:ports?|towns?|cities|city|harbou?rs?|grain|deal|corridor|"
                             r"shipping|fleet|delta|region|states?|countries|nations|route|terminals?)\b", re.I)


def _modifier(text: str, m: Mention) -> bool:
    """A country used as an adjective ("the US Ramstein base", "the US base in Germany"), or a
    river or sea naming what lies on it ("the Danube port of Izmail", "the Black Sea grain deal")."""
    if m.place.kind == "water":
        return bool(_WATER_MODIFIES.match(text, m.end))
    if m.place.kind != "country":
        return False
    nxt = re.match(r"\s+([\w'’-]+)", text[m.end:m.end + 40])
    if not nxt:
        return False
    word = nxt.group(1)
    return word.lower() in _HEAD_NOUNS or (word[:1].isupper() and word.lower() not in ("and", "or"))


def _in_relative_clause(before: str, triggers) -> bool:
    """True if the place sits in a ", where/which/who ..." clause that has not closed and holds
    no movement verb of its own (", which was ordered to sail to X" is a claim)."""
    opened = None
    for opened in _RELATIVE.finditer(before):
        pass
    return (opened is not None and "," not in before[opened.end():]
            and not any(opened.end() <= t.start() < len(before) for t in triggers))


def _same_clause(sentence: str, triggers, start: int, end: int) -> bool:
    """True if a movement verb governs the place: no clause break between the place and the
    nearest trigger ("reports from the U.S. that troops are headed to X": the U.S. is not an origin)."""
    best = before = None
    for t in triggers:
        gap = sentence[t.end():start] if t.end() <= start else sentence[end:t.start()]
        dist = len(gap)
        if best is None or dist < best[0]:
            best = (dist, gap)
        if t.end() <= start and (before is None or dist < before[0]):
            before = (dist, gap)
    if best is None:
        return False
    # "taken from A to a centre in Granada, while the minors were moved to ...": the verb before governs
    return not _CLAUSE_BREAK.search(best[1]) or (
        before is not None and before[0] <= 120 and not _CLAUSE_BREAK.search(before[1]))


_NEAR = re.compile(r"(?:,|\s+(?:air ?base|(?:naval |military )?base|airport|airfield|air station|barracks|camp|port))"
                   r"\s+(?:near|outside|close to|not far from)\s+(?:the\s+)?(?:(?:city|town|port|capital)\s+(?:of\s+)?)?")


def _qualifies(text: str, m: Mention, in_sent: list[tuple[int, Mention]]) -> bool:
    """True if ``m`` is an area qualifying the place just before it ("Ussuriysk, Primorsky Krai")."""
    for _, other in in_sent:
        gap = text[other.end:m.start]
        if other.end <= m.start and other.place.kind in ("city", "site") and _NEAR.fullmatch(gap):
            return True  # "the border station of Curtici, near Arad": where it is, not a second stop
        if other.end <= m.start and re.fullmatch(r",\s*|\s+in\s+", gap):
            # "Ramstein, Bavaria": a state of the same country qualifies, even when the writer errs
            return contains(m.place, other.place) or (
                gap.startswith(",") and m.place.feature_code == "ADM1" and other.place.kind in ("city", "site")
                and m.place.country_code == other.place.country_code)
    return False


_CLOSED_WAY = re.compile(r"\b(?:closed|blocked|cut off|shut|impassable|damaged|destroyed|washed away|reopened)\b", re.I)
_LOCATING_WAY = re.compile(r"\s+(?:on|along)\s+the\s+$")
_WAY_BETWEEN = re.compile(r"\b(highway|motorway|road|freeway|expressway|railway|rail line|railroad|route|corridor)\s+"
                          r"(?:that\s+runs\s+|running\s+|linking\s+|connecting\s+)?(?:between|from)\s+$", re.I)


def _highway(text: str, in_sent):
    """ "the Kursk-Voronezh highway", "the road between El Geneina and Adré": a way between two places.
    Not when the way only locates the place told before it ("by train to Mohnyin on the
    Mandalay-Myitkyina railway line")."""
    ends = {m.end for _, m in in_sent}
    for (ia, a), (ib, b) in zip(in_sent, in_sent[1:]):
        if a.place.id == b.place.id:
            continue
        locator = _LOCATING_WAY.search(text, max(0, a.start - 12), a.start)
        if locator and locator.start() in ends:
            continue
        if _ROUTE_WAY.match(text[a.end:b.start]):
            m = _WAY_WORD.match(text[b.end:b.end + 24])
            if m:
                return (ia, a), (ib, b), m.group(1)
        if re.fullmatch(r"\s+(?:and|to)\s+", text[a.end:b.start]):
            m = _WAY_BETWEEN.search(text[max(0, a.start - 60):a.start])
            if m:
                return (ia, a), (ib, b), m.group(1)
    return None


def _macro(place) -> bool:
    """A large area that is neither a country nor an administrative unit ("the Far East", "Siberia"),
    or an ocean: too coarse to be a stop beside a port named with it."""
    return (place.kind == "region" and place.feature_code not in ("ADM1", "ADM2", None)) or (
        place.kind == "water" and place.feature_code == "OCN")


def _drop_containers(items, others):
    """Drop areas that only contain another endpoint ("from Chongjin ... in North Korea") and
    broad regions named beside finer places ("bases in the Far East, including Vladivostok")."""
    everyone = [m.place for _, m in items + others]
    finer = any(p.kind in ("city", "site") or (p.kind == "region" and not _macro(p)) for p in everyone)
    return [(i, m) for i, m in items
            if not any(contains(m.place, p) for p in everyone) and not (finer and _macro(m.place))]
