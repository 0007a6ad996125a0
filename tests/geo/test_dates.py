from datetime import date

import pytest

from geo.dates import dateline, find_timexes

PUB = date(2024, 10, 18)  # a Friday


@pytest.mark.parametrize("text,pub,value", [
    ("transferred between 8 and 13 October to the port", PUB, "2024-10-08/2024-10-13"),
    ("transported between Oct. 8 and Oct. 13.", PUB, "2024-10-08/2024-10-13"),
    ("stopped a truck on Oct. 27.", date(2024, 10, 27), "2024-10-27"),
    ("the agency said on Friday that", PUB, "2024-10-18"),
    ("they were expected in combat zones Sunday or Monday.", date(2024, 10, 28), "2024-10-27/2024-10-28"),
    ("the agency said last month that", date(2024, 11, 6), "2024-10"),
    ("fighting since early August", date(2024, 11, 6), "2024-08"),
    ("In late October, officials said", date(2024, 11, 6), "2024-10"),
    ("could reach 10,000 by December", date(2024, 10, 27), "2024-12"),
    ("gatherings in the past week in", PUB, "2024-10-11/2024-10-18"),
    ("it happened yesterday", PUB, "2024-10-17"),
    ("first met in 2019, they", PUB, "2019"),
    ("on 2024-10-13 they", PUB, "2024-10-13"),
    ("the plan for Oct. 27-28 stands", date(2024, 10, 27), "2024-10-27/2024-10-28"),
])
def test_normalises_against_publication_date(text, pub, value):
    values = [t.value for t in find_timexes(text, pub)]
    assert values == [value]


def test_amounts_are_not_dates():
    assert find_timexes("more than 2m rounds and 1,500 troops", PUB) == []


def test_offsets_and_interval_days():
    text = "moved between Oct. 8 and Oct. 13."
    (t,) = find_timexes(text, PUB)
    assert text[t.start:t.end] == t.text
    assert (t.first, t.last) == (date(2024, 10, 8), date(2024, 10, 13))


def test_relative_dates_need_a_publication_date():
    assert find_timexes("on Friday and last month", None) == []


@pytest.mark.parametrize("head,expected", [
    ("Pjotr SauerFri 18 Oct 2024 12.35 EDTFirst published", date(2024, 10, 18)),
    ("by Desk October 27, 2024 7:05 PM 2 min read", date(2024, 10, 27)),
    ("URL: x\nPUBLISHED: 2022-10-16\n", date(2022, 10, 16)),
    ("no date here", None),
])
def test_dateline(head, expected):
    assert dateline(head) == expected


@pytest.mark.parametrize("text,pub,value,first,last,precision", [
    # ranges become one interval; durations anchored at the publication date become days
    ("moved Oct. 8-13 by sea", PUB, "2024-10-08/2024-10-13", date(2024, 10, 8), date(2024, 10, 13), 2),
    ("they left Sunday or Monday.", date(2024, 10, 28), "2024-10-27/2024-10-28", date(2024, 10, 27), date(2024, 10, 28), 2),
    ("troops gathered in recent weeks", PUB, "2024-09-27/2024-10-18", date(2024, 9, 27), date(2024, 10, 18), 3),
    ("He will speak this Tuesday.", date(2024, 10, 27), "2024-10-29", date(2024, 10, 29), date(2024, 10, 29), 1),
    ("In late October, officials said", date(2024, 11, 6), "2024-10", date(2024, 10, 21), date(2024, 10, 31), 3),
    ("It happened last week.", PUB, "2024-W41", date(2024, 10, 7), date(2024, 10, 13), 2),
])
def test_route_intervals(text, pub, value, first, last, precision):
    (t,) = find_timexes(text, pub)
    assert (t.value, t.first, t.last, t.precision) == (value, first, last, precision)
    assert text[t.start:t.end] == t.text


def test_route_leaves_out_what_covers_no_days():
    assert find_timexes("for three days, daily, now and in the future", PUB) == []


def test_part_of_a_day_is_that_day():
    (t,) = find_timexes("They left on Friday night.", PUB)
    assert (t.type, t.value, t.first, t.last, t.precision) == ("TIME", "2024-10-18TNI", PUB, PUB, 1)


def test_the_past_year_covers_the_days_up_to_publication():
    # TIMEX3 calls it the year before (2023); a route needs the days it spans
    (t,) = find_timexes("Troops massed there over the past year.", PUB)
    assert (t.value, t.first, t.last) == ("2023-10-19/2024-10-18", date(2023, 10, 19), PUB)


@pytest.mark.parametrize("text,first,last", [
    ("They evacuated residents earlier this week.", date(2024, 10, 14), PUB),
    ("They will move later this week.", PUB, date(2024, 10, 20)),
    ("They left early this month.", date(2024, 10, 1), date(2024, 10, 10)),
])
def test_earlier_and_later_this_unit_stop_at_the_publication_date(text, first, last):
    (t,) = find_timexes(text, PUB)
    assert (t.first, t.last) == (first, last)


def test_the_last_n_days_reach_the_publication_date():
    (t,) = find_timexes("Almost 1,000 refugees have arrived in the last six days.", date(2023, 11, 20))
    assert (t.first, t.last) == (date(2023, 11, 14), date(2023, 11, 20))
    (t,) = find_timexes("They came over the past two weeks.", date(2023, 11, 20))
    assert (t.first, t.last) == (date(2023, 11, 6), date(2023, 11, 20))
