from datetime import date

import pytest

from geo.model import DocumentMeta, Event, Evidence
from geo.route import build_route

PL = {}


@pytest.fixture(autouse=True)
def _places(fake_places):
    PL.update(fake_places)
DOCS = [DocumentMeta("a.txt", published=date(2024, 10, 18)), DocumentMeta("b.txt", published=date(2024, 10, 27))]


def ev(doc, origins, dests, relation="move", start=None, end=None, count=None, status="reported", mode="unknown"):
    return Event(doc, tuple(PL[o] for o in origins), tuple(PL[d] for d in dests), relation, status, start, end,
                 1 if start else 3, mode, None, count, (Evidence(doc, f"{doc} says so", 0, 10),))


def legs(route):
    return [(l.origin.name, l.destination.name, l.status) for l in route.legs]


def test_fragments_from_two_articles_join_into_one_movement():
    e1 = ev("a.txt", ["Chongjin", "Hamhung"], ["Russia"], start=date(2024, 10, 8), end=date(2024, 10, 13), count=1500)
    e2 = ev("b.txt", [], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13), count=1500, mode="ship")
    route = build_route([e1, e2], [], DOCS, {})
    assert sorted(legs(route)) == [("Chongjin", "Portgrad", "reported"), ("Hamhung", "Portgrad", "reported")]
    leg = route.legs[0]
    assert leg.sources == ("a.txt", "b.txt") and leg.source_count == 2 and leg.mode == "ship"


def test_presence_after_arrival_is_inferred_from_previous_stop():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13))
    e2 = ev("a.txt", [], ["Portgrad", "Baseton", "Rivertown"], relation="station")
    route = build_route([e1, e2], [], DOCS, {})
    assert legs(route)[1:] == [("Portgrad", "Baseton", "inferred"), ("Portgrad", "Rivertown", "inferred")]
    assert route.legs[1].start == date(2024, 10, 13) and route.legs[1].end == date(2024, 10, 18)


def test_nothing_is_inferred_without_a_previous_stop():
    route = build_route([ev("a.txt", [], ["Kursk Oblast"], relation="head")], [], DOCS, {})
    assert route.legs == ()


def test_country_containing_the_story_adds_no_leg():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8))
    e2 = ev("b.txt", [], ["Russia"])
    assert legs(build_route([e1, e2], [], DOCS, {})) == [("Chongjin", "Portgrad", "reported")]


def test_sighting_points_toward_where_the_story_ends():
    e1 = ev("a.txt", ["Rivertown"], ["Kursk Oblast"], start=date(2024, 10, 20))
    e2 = ev("b.txt", ["Kursk"], ["Voronezh"], relation="transit", start=date(2024, 10, 27), end=date(2024, 10, 27))
    assert ("Voronezh", "Kursk", "reported") in legs(build_route([e1, e2], [], DOCS, {}))


def test_disagreeing_counts_are_all_kept():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], count=1500, start=date(2024, 10, 8))
    e2 = ev("b.txt", ["Chongjin"], ["Portgrad"], count=3000, start=date(2024, 10, 9))
    (leg,) = build_route([e1, e2], [], DOCS, {}).legs
    assert leg.count == 1500 and leg.count_values == (1500, 3000) and leg.source_count == 2


def test_order_of_documents_does_not_change_the_route():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8))
    e2 = ev("a.txt", [], ["Baseton"], relation="station")
    e3 = ev("b.txt", [], ["Kursk Oblast"], relation="head")
    assert build_route([e1, e2, e3], [], DOCS, {}) == build_route([e3, e2, e1], [], DOCS, {})


def test_actor_country_is_the_origin_of_last_resort():
    from dataclasses import replace

    e = replace(ev("a.txt", [], ["Ukraine"], relation="arrive"), actor_origin=PL["Russia"])
    assert legs(build_route([e], [], DOCS, {})) == [("Russia", "Ukraine", "reported")]
    # ...but never a country-to-itself leg
    e2 = replace(ev("a.txt", [], ["Portgrad"], relation="arrive"), actor_origin=PL["Russia"])
    assert build_route([e2], [], DOCS, {}).legs == ()


def test_a_story_opening_at_its_destination_links_from_its_first_origin():
    e1 = ev("a.txt", [], ["Baseton", "Rivertown"], relation="arrive")
    e2 = ev("a.txt", ["Portgrad"], ["Russia"])
    got = legs(build_route([e1, e2], [], DOCS, {}))
    assert ("Portgrad", "Baseton", "inferred") in got and ("Portgrad", "Rivertown", "inferred") in got


def test_one_ended_retreat_keeps_its_origin_on_the_route():
    e = ev("a.txt", ["Kursk"], [], start=date(2024, 11, 11))
    route = build_route([e], [], DOCS, {})
    assert route.legs == ()
    assert [(p.place.name, p.role) for p in route.places] == [("Kursk", "route")]


def test_disagreeing_dates_are_all_kept():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13))
    e2 = ev("b.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 20), end=date(2024, 10, 20))
    (leg,) = build_route([e1, e2], [], DOCS, {}).legs
    assert (leg.start, leg.end) == (date(2024, 10, 8), date(2024, 10, 20))
    assert leg.date_values == ((date(2024, 10, 8), date(2024, 10, 13)), (date(2024, 10, 20), date(2024, 10, 20)))
    # one source, or sources that agree: nothing to show
    (same,) = build_route([e1, ev("b.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13))],
                          [], DOCS, {}).legs
    assert same.date_values == () and same.source_count == 2


def test_fragments_joined_by_count_keep_each_sources_dates():
    e1 = ev("a.txt", ["Chongjin"], ["Russia"], start=date(2024, 10, 8), end=date(2024, 10, 13), count=1500)
    e2 = ev("b.txt", [], ["Portgrad"], start=date(2024, 10, 16), end=date(2024, 10, 16), count=1500)
    (leg,) = build_route([e1, e2], [], DOCS, {}).legs
    assert leg.date_values == ((date(2024, 10, 8), date(2024, 10, 13)), (date(2024, 10, 16), date(2024, 10, 16)))


def test_a_lone_destination_is_a_route_place():
    route = build_route([ev("a.txt", [], ["Portgrad"], relation="arrive", status="expected")], [], DOCS, {})
    assert route.legs == ()
    assert [(p.place.name, p.role) for p in route.places] == [("Portgrad", "route")]


def test_undated_events_follow_the_dated_one_told_before_them():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 8))
    e2 = ev("a.txt", [], ["Baseton"])  # "two nights later they went on to Baseton"
    e3 = ev("a.txt", [], ["Rivertown"], start=date(2024, 10, 14), end=date(2024, 10, 14))
    assert sorted(legs(build_route([e1, e2, e3], [], DOCS, {}))) == [
        ("Baseton", "Rivertown", "inferred"), ("Chongjin", "Portgrad", "reported"), ("Portgrad", "Baseton", "inferred")]


def test_a_country_origin_is_the_one_place_the_story_leaves_from_in_it():
    e1 = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8))
    e2 = ev("a.txt", ["North Korea"], ["Rivertown"], start=date(2024, 10, 9))
    assert sorted(legs(build_route([e1, e2], [], DOCS, {}))) == [
        ("Chongjin", "Portgrad", "reported"), ("Chongjin", "Rivertown", "reported")]
    # two candidates in that country: the country stays
    e3 = ev("a.txt", ["Hamhung"], ["Baseton"], start=date(2024, 10, 10))
    assert ("North Korea", "Rivertown", "reported") in legs(build_route([e1, e2, e3], [], DOCS, {}))


def test_sighting_points_toward_the_stop_reached_last():
    e1 = ev("a.txt", ["Kyiv"], ["Kursk"], start=date(2024, 10, 6))
    e2 = ev("a.txt", ["Kursk"], ["Voronezh"], relation="transit", start=date(2024, 10, 8), end=date(2024, 10, 8))
    e3 = ev("a.txt", [], ["Vladimir"], relation="arrive", start=date(2024, 10, 9))
    assert ("Kursk", "Voronezh", "reported") in legs(build_route([e1, e2, e3], [], DOCS, {}))


def test_origins_told_after_an_arrival_lead_to_it_and_the_story_goes_on_from_the_arrival():
    import dataclasses
    e1 = ev("a.txt", [], ["Kursk"], relation="arrive", start=date(2024, 10, 17))
    e2 = dataclasses.replace(ev("a.txt", ["Portgrad", "Baseton", "Rivertown"], []), anaphoric=True)
    e3 = ev("a.txt", [], ["Voronezh"], status="expected", start=date(2024, 10, 25))
    got = {(o, d) for o, d, _ in legs(build_route([e1, e2, e3], [], DOCS, {}))}
    assert {("Portgrad", "Kursk"), ("Baseton", "Kursk"), ("Rivertown", "Kursk"), ("Kursk", "Voronezh")} == got


def test_an_origin_joins_the_first_stop_its_article_tells_not_one_further_on():
    e1 = ev("a.txt", ["Kursk"], [], start=date(2024, 10, 17), end=date(2024, 10, 18), count=240)
    e2 = ev("a.txt", [], ["Baseton"])
    e3 = ev("a.txt", [], ["Portgrad"], start=date(2024, 10, 18))
    got = {(o, d) for o, d, _ in legs(build_route([e1, e2, e3], [], DOCS, {}))}
    assert got == {("Kursk", "Baseton"), ("Baseton", "Portgrad")}


def test_background_months_before_a_journey_is_not_linked_from_its_start():
    e1 = ev("a.txt", [], ["Baseton"], relation="station", start=date(2023, 9, 1), end=date(2023, 11, 30))
    e2 = ev("a.txt", ["Portgrad"], ["Rivertown"], start=date(2024, 3, 3))
    got = {(o, d) for o, d, _ in legs(build_route([e1, e2], [], DOCS, {}))}
    assert got == {("Portgrad", "Rivertown")}


def test_departures_told_together_all_lead_to_the_next_stop():
    def told(e, at):
        import dataclasses
        return dataclasses.replace(e, evidence=(Evidence(e.document, "s", at, at + 50),))
    e1 = told(ev("a.txt", ["Portgrad", "Baseton"], [], start=date(2024, 10, 14)), 100)
    e2 = told(ev("a.txt", ["Rivertown"], [], start=date(2024, 10, 15)), 200)
    e3 = told(ev("a.txt", [], ["Kursk"], relation="arrive", start=date(2024, 10, 17)), 300)
    got = {(o, d) for o, d, _ in legs(build_route([e1, e2, e3], [], DOCS, {}))}
    assert got == {("Portgrad", "Kursk"), ("Baseton", "Kursk"), ("Rivertown", "Kursk")}
    far = told(ev("a.txt", ["Rivertown"], [], start=date(2024, 10, 15)), 5000)
    got = {(o, d) for o, d, _ in legs(build_route([e1, far, e3], [], DOCS, {}))}
    assert got == {("Rivertown", "Kursk")}


def test_a_country_left_is_the_one_place_reached_in_it():
    e1 = ev("a.txt", ["Hamhung"], ["Kursk"], start=date(2024, 10, 15))
    e2 = ev("a.txt", ["Russia"], ["Kyiv"], status="expected", start=date(2024, 10, 27))
    assert ("Kursk", "Kyiv", "expected") in legs(build_route([e1, e2], [], DOCS, {}))


def test_a_plan_for_other_dates_is_another_leg():
    done = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13))
    plan = ev("a.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 11, 11), end=date(2024, 11, 20), status="expected")
    route = build_route([done, plan], [], DOCS, {})
    assert legs(route) == [("Chongjin", "Portgrad", "reported"), ("Chongjin", "Portgrad", "expected")]
    assert route.legs[1].start == date(2024, 11, 11)
    # undated, or told for the same days: the plan was this movement
    for same in (ev("b.txt", ["Chongjin"], ["Portgrad"], status="expected"),
                 ev("b.txt", ["Chongjin"], ["Portgrad"], start=date(2024, 10, 12), end=date(2024, 10, 12), status="expected")):
        route = build_route([done, same], [], DOCS, {})
        assert legs(route) == [("Chongjin", "Portgrad", "reported")] and route.legs[0].source_count == 2
