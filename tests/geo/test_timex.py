"""geo.timex: TIMEX3 extraction and normalisation (TempEval-3 conventions), hand-written cases."""

from datetime import date

import pytest

from geo.timex import extract, number, tempeval, value_interval

FRI = date(2024, 10, 18)   # a Friday
SUN = date(2024, 10, 27)   # a Sunday
WSJ = date(1998, 2, 6)     # a Friday, early in Q1


def one(text, dct):
    found = tempeval(text, dct)
    assert len(found) == 1, found
    t = found[0]
    assert text[t["start"]:t["end"]] == t["text"]
    return t["text"], t["type"], t["value"]


@pytest.mark.parametrize("text,dct,expected", [
    # explicit dates, with and without a year
    ("A truck was stopped on Oct. 27.", SUN, ("Oct. 27", "DATE", "2024-10-27")),
    ("It was signed on October 27, 2024 in Kyiv.", FRI, ("October 27, 2024", "DATE", "2024-10-27")),
    ("Published Fri 18 Oct 2024 in London", SUN, ("Fri 18 Oct 2024", "DATE", "2024-10-18")),
    ("It opened on 2024-10-13 in Kyiv", FRI, ("2024-10-13", "DATE", "2024-10-13")),
    ("filed on 10/13/2024 in court", FRI, ("10/13/2024", "DATE", "2024-10-13")),
    ("He returned in January 2024 to", FRI, ("January 2024", "DATE", "2024-01")),
    ("They first met in 2019, he said", FRI, ("2019", "DATE", "2019")),
    # relative days
    ("The ministry said on Friday that", SUN, ("Friday", "DATE", "2024-10-25")),
    ("The ministry said yesterday that", FRI, ("yesterday", "DATE", "2024-10-17")),
    ("Talks resume tomorrow in Doha", FRI, ("tomorrow", "DATE", "2024-10-19")),
    ("He will speak this Tuesday.", SUN, ("this Tuesday", "DATE", "2024-10-29")),
    ("The envoy will arrive on Monday.", FRI, ("Monday", "DATE", "2024-10-21")),
    ("They met last Friday.", FRI, ("last Friday", "DATE", "2024-10-11")),
    # weeks, months, years around the publication date
    ("the agency said last month that", date(2024, 11, 6), ("last month", "DATE", "2024-10")),
    ("Prices rose this week.", FRI, ("this week", "DATE", "2024-W42")),
    ("It happened last week.", FRI, ("last week", "DATE", "2024-W41")),
    ("Sales will recover next year.", FRI, ("next year", "DATE", "2025")),
    ("Sales fell last year.", FRI, ("last year", "DATE", "2023")),
    ("fighting since early August", date(2024, 11, 6), ("early August", "DATE", "2024-08")),
    ("In late October, officials said", date(2024, 11, 6), ("late October", "DATE", "2024-10")),
    ("could reach 10,000 by December", SUN, ("December", "DATE", "2024-12")),
    ("was arrested in June last year", FRI, ("June last year", "DATE", "2023-06")),
    ("It happened two weeks ago.", FRI, ("two weeks ago", "DATE", "2024-W40")),
    ("It happened three days ago.", FRI, ("three days ago", "DATE", "2024-10-15")),
    ("a year ago", FRI, ("a year ago", "DATE", "2023")),
    # reference values
    ("Now the troops are there.", FRI, ("Now", "DATE", "PRESENT_REF")),
    ("The unit is currently in Kursk.", FRI, ("currently", "DATE", "PRESENT_REF")),
    ("It was recently moved.", FRI, ("recently", "DATE", "PAST_REF")),
    ("Troops gathered in recent weeks.", FRI, ("recent weeks", "DATE", "PAST_REF")),
    ("more attacks in the future", FRI, ("the future", "DATE", "FUTURE_REF")),
    # quarters, halves, seasons, decades, centuries, spelled years
    ("Profit rose in the third quarter.", date(1989, 10, 26), ("the third quarter", "DATE", "1989-Q3")),
    ("third-quarter profit fell", date(1989, 10, 26), ("third-quarter", "DATE", "1989-Q3")),
    ("fourth-quarter profit fell", WSJ, ("fourth-quarter", "DATE", "1997-Q4")),
    ("Sales in fiscal 1989 were flat", date(1989, 10, 26), ("fiscal 1989", "DATE", "1989")),
    ("earnings for the second half of 1989", date(1989, 10, 26), ("the second half of 1989", "DATE", "1989-H2")),
    ("the tests begin this summer", date(1998, 3, 22), ("this summer", "DATE", "1998-SU")),
    ("a strike that began last fall", date(1998, 2, 6), ("last fall", "DATE", "1997-FA")),
    ("the trend of the 1990s", FRI, ("the 1990s", "DATE", "199")),
    ("in the early 1980s", FRI, ("the early 1980s", "DATE", "198")),
    ("the worst war of the 20th century", FRI, ("the 20th century", "DATE", "19")),
    ("the winter of nineteen ninety-four", FRI, ("the winter of nineteen ninety-four", "DATE", "1994-WI")),
    ("by the year two thousand", WSJ, ("the year two thousand", "DATE", "2000")),
    ("They met on Christmas Day.", date(1998, 12, 28), ("Christmas Day", "DATE", "1998-12-25")),
    # times of day
    ("He spoke this morning.", WSJ, ("this morning", "TIME", "1998-02-06TMO")),
    ("He spoke last night.", WSJ, ("last night", "TIME", "1998-02-05TNI")),
    ("It exploded at 10:35 a.m.", WSJ, ("10:35 a.m.", "TIME", "1998-02-06T10:35")),
    # durations and sets
    ("in the past three years", FRI, ("the past three years", "DURATION", "P3Y")),
    ("for three days", FRI, ("three days", "DURATION", "P3D")),
    ("a two-year deal", FRI, ("two-year", "DURATION", "P2Y")),
    ("for several years", FRI, ("several years", "DURATION", "PXY")),
    ("over the past week", FRI, ("the past week", "DATE", "2024-W41")),   # TimeBank: the week before
    ("the company reports quarterly", FRI, ("quarterly", "SET", "P3M")),
    ("flights leave daily", FRI, ("daily", "SET", "P1D")),
    ("the council meets every Thursday", FRI, ("every Thursday", "SET", "XXXX-WXX-4")),
])
def test_tempeval_values(text, dct, expected):
    assert one(text, dct) == expected


def test_ranges_give_both_ends():
    text = "They were moved between 8 and 13 October."
    assert [(t["text"], t["value"]) for t in tempeval(text, FRI)] == [("8", "2024-10-08"), ("13 October", "2024-10-13")]
    text = "transported between Oct. 8 and Oct. 13."
    assert [t["value"] for t in tempeval(text, FRI)] == ["2024-10-08", "2024-10-13"]


def test_weekday_pair():
    text = "They were expected in combat zones Sunday or Monday."
    assert [t["value"] for t in tempeval(text, date(2024, 10, 28))] == ["2024-10-27", "2024-10-28"]


@pytest.mark.parametrize("text", [
    "more than 2m rounds and 1,500 troops",
    "He paid $1990 for 2000 shares.",
    "She may go; they march on.",
    "a quarter of the troops",
    "the fall of Kabul",
])
def test_not_dates(text):
    assert [t for t in tempeval(text, FRI) if t["type"] == "DATE"] == []


def test_tense_decides_the_weekday_and_month():
    past = tempeval("The minister said on Tuesday that", FRI)[0]["value"]
    future = tempeval("The minister will travel on Tuesday.", FRI)[0]["value"]
    assert (past, future) == ("2024-10-15", "2024-10-22")
    assert tempeval("A summit is scheduled for March.", FRI)[0]["value"] == "2025-03"
    assert tempeval("A summit was held in March.", FRI)[0]["value"] == "2024-03"


def test_quarter_reference_follows_the_report():
    text = ("Profit rose in the third quarter. The latest quarter included a gain. "
            "A year earlier, the company lost money.")
    values = [t["value"] for t in tempeval(text, date(1989, 10, 26))]
    assert values == ["1989-Q3", "1989-Q3", "1988-Q3"]


def test_anaphoric_year():
    text = "He was made a general in 1995, and the following year he became attache."
    assert [t["value"] for t in tempeval(text, date(1998, 4, 18))] == ["1995", "1996"]


def test_without_publication_date_relative_values_keep_placeholders():
    values = [(t["text"], t["value"]) for t in tempeval("on Friday, in March and in 2019", None)]
    assert values == [("Friday", "XXXX-WXX-5"), ("March", "XXXX-03"), ("2019", "2019")]


def test_days_covered_and_precision():
    (h,) = extract("in early August", date(2024, 11, 6))
    assert (h.first, h.last, h.precision) == (date(2024, 8, 1), date(2024, 8, 10), 3)
    (h,) = extract("last week", FRI)
    assert (h.first, h.last, h.precision) == (date(2024, 10, 7), date(2024, 10, 13), 2)


@pytest.mark.parametrize("value,interval", [
    ("2024-10-13", (date(2024, 10, 13), date(2024, 10, 13))),
    ("2024-W42", (date(2024, 10, 14), date(2024, 10, 20))),
    ("2024-Q3", (date(2024, 7, 1), date(2024, 9, 30))),
    ("2024-WI", (date(2024, 12, 1), date(2025, 2, 28))),
    ("199", (date(1990, 1, 1), date(1999, 12, 31))),
    ("P3D", None),
])
def test_value_interval(value, interval):
    assert value_interval(value) == interval


@pytest.mark.parametrize("token,value", [
    ("24", 24), ("twenty-four", 24), ("twenty four", 24), ("a", 1), ("two and a half", 2.5), ("several", None),
])
def test_number(token, value):
    assert number(token) == value


# ---------------------------------------------------------------- TimeML conventions

@pytest.mark.parametrize("text,dct,expected", [
    # a part of a named day is a TIME with its part-of-day code
    ("Lawmakers rejected the plan on Tuesday night.", FRI, ("Tuesday night", "TIME", "2024-10-15TNI")),
    ("The president spoke on Thursday afternoon.", FRI, ("Thursday afternoon", "TIME", "2024-10-17TAF")),
    # modifiers belong to the extent (TIMEX3 mod), prepositions do not
    ("the banks must wait at least 30 days before closing", FRI, ("at least 30 days", "DURATION", "P30D")),
    ("a tour likely to last over a week", FRI, ("over a week", "DURATION", "P1W")),
    ("He was shot around 7:15 p.m. outside the store.", FRI, ("around 7:15 p.m.", "TIME", "2024-10-18T19:15")),
    ("Talks went on over the weekend.", SUN, ("the weekend", "DATE", "2024-W43-WE")),
    # an adjective's determiner belongs to its noun
    ("the end of the eight-year war with Iran", FRI, ("eight-year", "DURATION", "P8Y")),
    ("Citadel posted a third-quarter net loss.", date(1989, 11, 2), ("third-quarter", "DATE", "1989-Q3")),
    ("Ralston attributed its fourth-quarter slump to costs.", date(1989, 11, 2), ("fourth-quarter", "DATE", "1989-Q4")),
    ("Profit rose in the third quarter.", date(1989, 10, 26), ("the third quarter", "DATE", "1989-Q3")),
    # numbers
    ("it will not change for a couple of years", FRI, ("a couple of years", "DURATION", "P2Y")),
    ("after ten years of boom", FRI, ("ten years", "DURATION", "P10Y")),
    ("they lived in camps for 2 1/2 years", FRI, ("2 1/2 years", "DURATION", "P2Y6M")),
    ("a stop of 5 1/2 hours in Nairobi", FRI, ("5 1/2 hours", "DURATION", "PT5H30M")),
    ("the siege lasted a year and a half", FRI, ("a year and a half", "DURATION", "P1Y6M")),
    # a rule that turns its match down leaves the span to the others
    ("Iraq must withdraw within a week, he said.", FRI, ("a week", "DURATION", "P1W")),
    ("The cuts would save $500 million a year.", FRI, ("a year", "SET", "P1Y")),
    # "the past year" is the year before (TimeBank), like "last year"
    ("Hate groups grew over the past year.", date(1998, 3, 3), ("the past year", "DATE", "1997")),
    ("wages lost to inflation in the last decade", date(1998, 2, 6), ("the last decade", "DATE", "198")),
    # "5am." at the end of a sentence: the full stop is the sentence's
    ("The boats left at about 5am. Then the wind rose.", FRI, ("about 5am", "TIME", "2024-10-18T05:00")),
])
def test_timeml_conventions(text, dct, expected):
    assert one(text, dct) == expected


@pytest.mark.parametrize("text", [
    "Mr. Reupke, 52 years old, resigned.",
    "a 6-year-old boy was rescued",
    "Iraq imports about three-quarters of its food.",
    "accounting for more than a quarter of the market",
    "Magna cut its quarterly dividend in half.",
    "The Sunday Times reported the deal.",
])
def test_not_timexes(text):
    assert tempeval(text, FRI) == []


def test_ago_before_another_expression():
    values = [(t["text"], t["value"]) for t in tempeval("The war ended 10 years ago this week.", date(2013, 3, 22))]
    assert values == [("10 years ago", "2003"), ("this week", "2013-W12")]


def test_several_quarters_is_a_duration():
    assert one("it became profitable after several quarters of losses", FRI) == (
        "several quarters", "DURATION", "PXQ")


# ---------------------------------------------------------------- fast candidate search

_FAST_TEXTS = [
    "The minister said on Friday that talks would resume next week, 3 days after the vote.",
    "for that additional the better part of twenty-seven and a half consecutive - years",
    "the better part of twenty-seven and a half years ago; well over 100 years or so ago",
    "next year's every corresponding year-earlier fiscal 1998's year-earlier fourth-quarter",
    "Wednesday , the 31st of October 1998; Tues. the 3rd of Sept., '98; FridayOct. 13; 5 Oct1998",
    "between 31st 1998 through 2nd November, from 5 October 1998 until 7 October 1998",
    "the second half of this coming January of the following year; the beginning of-March, of 1998",
    "the last half of the fiscal 1998 period 1999; FY1998; the early nineteen-nineties; the mid-1980's",
    "THE EARLY 1980S, The Late 1940s, '90s, the early-21st century, the twenty-first century",
    "earlier the day before yesterday morning; mid-afternoon Monday; shortly before 10:30 p.m. EST",
    "this coming Martin Luther King Jr. Day; last New Year's Eve; this past Good Friday",
    "the immediate future, as soon as possible, a later date, these days, someday, right now",
    "every twelve hours, every other week, semiannually, biweekly, twice a month, per year.",
    "every 123456789 hours; for 12345678901234567890.5 consecutive years; the past 999999999 weeks",
    "the  past \n\n three  years;  some\t\tfifty   years  ago;  the better - - part of two decades",
    "1998-10-13T10:35, 10/13/98, June nineteen eighty-four, Sept. two thousand, a fortnight ago",
    "THE MINISTER SAID ON FRIDAY THAT TALKS WOULD RESUME NEXT WEEK, 3 DAYS AFTER THE VOTE.",
    "the minister said on friday that talks would resume next week, in mid-march or may 2024.",
    "Ümit said on Friday (ſoon) that the İstanbul talks would resume in ٢٠٢٤ or next week.",
]


@pytest.mark.parametrize("text", _FAST_TEXTS)
def test_fast_candidates_are_the_full_scan(text):
    from geo.timex import _candidates, _candidates_full

    def key(cands):
        return sorted((s, e, prio) for s, e, prio, _, _ in cands)

    assert key(_candidates(text)) == key(_candidates_full(text))


def test_every_rule_has_triggers():
    """A new rule needs its entry in geo.timex._TRIGGERS (else it is scanned in full: slow)."""
    from geo.timex import _TRIGGERS, RULES

    assert [name for name, _, _ in RULES if name not in _TRIGGERS] == []


def test_the_first_half_of_a_month_is_its_start():
    from geo.dates import find_timexes
    (t,) = find_timexes("They will travel there in the first half of February.", date(2025, 1, 22))
    assert (t.value, t.first, t.last) == ("2025-02", date(2025, 2, 1), date(2025, 2, 10))


def test_a_season_used_as_a_kind_is_no_date():
    from geo.dates import find_timexes
    assert [t.text for t in find_timexes("They move on for a winter exercise in March.", date(2025, 1, 22))] == ["March"]


def test_the_night_of_a_date_is_that_date():
    from geo.dates import find_timexes
    text = "They arrived on Sunday. The boat left on the night of 12 October."
    assert [(t.text, t.value) for t in find_timexes(text, date(2023, 10, 24))][-1] == ("12 October", "2023-10-12")
    assert "the night" not in [t.text for t in find_timexes(text, date(2023, 10, 24))]


def test_a_passive_future_looks_ahead():
    from geo.dates import find_timexes
    (t,) = find_timexes("The tanks will be loaded onto a ship in October.", date(2025, 3, 12))
    assert t.value == "2025-10"


def test_a_date_never_runs_across_a_blank_line():
    text = "THURSDAY 4 APRIL\n\n17:30 - The ship leaves."
    hits = [(text[h.start:h.end], h.value) for h in extract(text, FRI)]
    assert hits[0] == ("4 APRIL", "2025-04-04")  # the coming 4 April, from 18 October 2024
    assert all("\n" not in text for text, _ in hits)


def test_since_a_month_is_a_month_already_begun():
    text = "More than 25,000 people have arrived since January."
    assert [h.value for h in extract(text, date(2024, 9, 12))] == ["2024-01"]
    assert [h.value for h in extract("They have waited since October.", date(2024, 9, 12))] == ["2023-10"]
