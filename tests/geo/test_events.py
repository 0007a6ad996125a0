import pytest
from datetime import date

from geo.dates import find_timexes
from geo.events import extract_events
from geo.model import Document
from geo.resolve import resolve
from geo.text import split_sentences
from geo.toponyms import recognise


def events_of(text, gz, published=date(2024, 10, 18)):
    doc = Document("d.txt", text, published)
    mentions = resolve(doc.id, text, recognise(text, gz))
    events, used = extract_events(doc, split_sentences(text), mentions, find_timexes(text, published))
    return events, [mentions[i].surface for i in sorted(used)]


def names(places):
    return [p.name for p in places]


def test_from_list_to_destination_with_dates_mode_count(fake_gazetteer):
    text = ("Navy ships transported 1,500 North Korean special forces from the areas near Chongjin and "
            "Hamhung to the port city of Portgrad between Oct. 8 and Oct. 13.")
    (ev,), _ = events_of(text, fake_gazetteer)
    assert names(ev.origins) == ["Chongjin", "Hamhung"]
    assert names(ev.destinations) == ["Portgrad"]
    assert (ev.start, ev.end) == (date(2024, 10, 8), date(2024, 10, 13))
    assert ev.mode == "ship" and ev.count == 1500 and ev.status == "reported"
    assert ev.evidence[0].sentence == text


def test_stationed_at_bases_is_a_presence(fake_gazetteer):
    text = "The soldiers are currently stationed at military bases in the Far East, including Portgrad, Baseton and Rivertown."
    (ev,), used = events_of(text, fake_gazetteer)
    assert ev.relation == "station" and names(ev.destinations) == ["Portgrad", "Baseton", "Rivertown"]


def test_expected_status(fake_gazetteer):
    (ev,), _ = events_of("More troops are expected to be sent to Kursk Oblast soon.", fake_gazetteer)
    assert ev.status == "expected" and names(ev.destinations) == ["Kursk Oblast"]


def test_statement_places_are_mentions(fake_gazetteer):
    events, used = events_of("This is the first step, he told reporters in Brussels.", fake_gazetteer)
    assert events == [] and used == []


def test_cover_identity_is_not_an_origin(fake_gazetteer):
    text = "Troops stationed alongside Russian forces were disguised as recruits from Rivertown."
    events, used = events_of(text, fake_gazetteer)
    assert "Rivertown" not in used


def test_caption_is_not_a_claim(fake_gazetteer):
    text = "Soldiers march in Portgrad, December 17, 2018.\nJOHN DOE/AFP via Getty Images\n"
    events, _ = events_of(text, fake_gazetteer)
    assert events == []


def test_highway_sighting_links_both_ends(fake_gazetteer):
    text = "Police on Oct. 17 stopped a truck with soldiers on the Kursk-Voronezh highway."
    (ev,), _ = events_of(text, fake_gazetteer)
    assert ev.relation == "transit" and ev.mode == "road"
    assert {ev.origins[0].name, ev.destinations[0].name} == {"Kursk", "Voronezh"}
    assert ev.start == date(2024, 10, 17)


def test_followup_sentence_completes_previous_claim(fake_gazetteer):
    text = ("Those deployed consisted of 1,500 special forces from the areas near Chongjin and Hamhung.\n"
            "It said they were transported by four landing ships between Oct. 8 and Oct. 13.")
    (ev,), _ = events_of(text, fake_gazetteer)
    assert names(ev.origins) == ["Chongjin", "Hamhung"]
    assert (ev.start, ev.end, ev.mode) == (date(2024, 10, 8), date(2024, 10, 13), "ship")
    assert len(ev.evidence) == 2


def test_reporting_date_is_not_the_movement_date(fake_gazetteer):
    (ev,), _ = events_of("The agency said on Friday that troops were moved to Portgrad.", fake_gazetteer)
    assert ev.start is None and ev.end is None


def test_leaving_a_place_makes_it_the_origin(fake_gazetteer):
    (ev,), _ = events_of("Militias stopped people from leaving Rivertown and transporting them to Baseton.", fake_gazetteer)
    assert names(ev.origins) == ["Rivertown"] and names(ev.destinations) == ["Baseton"]


def test_then_makes_a_sequence_of_moves(fake_gazetteer):
    evs, _ = events_of("I was displaced from my house in Portgrad to Baseton. Later I went to Rivertown, then to Voronezh.",
                       fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Baseton"]), ([], ["Rivertown"]), (["Rivertown"], ["Voronezh"])]


def test_road_between_two_places_is_a_way(fake_gazetteer):
    (ev,), _ = events_of("Hundreds of corpses line the road between Kursk and Voronezh, witnesses said.", fake_gazetteer)
    assert ev.relation == "transit" and {ev.origins[0].name, ev.destinations[0].name} == {"Kursk", "Voronezh"}


def test_flights_from_to_is_a_movement(fake_gazetteer):
    (ev,), _ = events_of("The general said the first flights from Portgrad to Rivertown will land on Friday.", fake_gazetteer)
    assert names(ev.origins) == ["Portgrad"] and names(ev.destinations) == ["Rivertown"]
    assert ev.status == "expected" and ev.mode == "air"


def test_country_as_adjective_is_not_a_destination(fake_gazetteer):
    (ev,), _ = events_of("Some planes will land at the US base in Rivertown.", fake_gazetteer)
    assert names(ev.destinations) == ["Rivertown"]


def test_actor_nationality_is_recorded(fake_gazetteer):
    from geo.events import actor_country

    assert actor_country("North Korean special forces") == "KP"
    assert actor_country("Russian troops") == "RU"
    assert actor_country("the refugees") is None


def test_origin_only_retreat(fake_gazetteer):
    (ev,), _ = events_of("Russian forces withdrew from Kursk on Oct. 11, the ministry said.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and ev.destinations == () and ev.start == date(2024, 10, 11)


def test_exercises_at_sea_place_the_actor_there(fake_gazetteer):
    text = "The frigate and the submarine carried out missile firing drills in Portgrad on Tuesday."
    (ev,), _ = events_of(text, fake_gazetteer)
    assert ev.relation == "station" and ev.origins == ()


def test_dateline_date_is_not_the_movements(fake_gazetteer):
    text = "KYIV, Oct 3 (Reuters) - Ukrainian units have been pulled back from the town of Kursk, the army said."
    (ev,), _ = events_of(text, fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and ev.destinations == () and ev.start is None


def test_organisation_seat_is_not_a_presence(fake_gazetteer):
    text = "Arrivals picked up again, according to the agency, which is based in Brussels."
    events, used = events_of(text, fake_gazetteer)
    assert events == [] and used == []


def test_a_crossing_followed_by_then_is_a_stop(fake_gazetteer):
    text = "Two nights later they walked across the border near Voronezh, then a smuggler drove them north to Kursk."
    (a, b), _ = events_of(text, fake_gazetteer)
    assert names(a.destinations) == ["Voronezh"] and names(b.origins) == ["Voronezh"] and names(b.destinations) == ["Kursk"]


def test_a_place_passed_through_on_the_way_is_a_stop(fake_gazetteer):
    text = "The frigate sailed from Portgrad on Monday and passed through Baseton on its way to Rivertown."
    evs, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Baseton"]), (["Baseton"], ["Rivertown"])]


def test_port_call_and_relative_clause(fake_gazetteer):
    text = ("The carrier is expected to call at Portgrad later this week, where Russia keeps a base near Kursk, "
            "before continuing to Rivertown.")
    evs, used = events_of(text, fake_gazetteer)
    assert [names(e.destinations) for e in evs] == [["Portgrad"], ["Rivertown"]]
    assert all(e.status == "expected" for e in evs) and "Kursk" not in used


def test_took_off_refuelled_and_landed_is_a_sequence(fake_gazetteer):
    text = ("Two C-130 Hercules aircraft took off from the 33rd Air Base in Portgrad on Wednesday, "
            "refuelled in Baseton, and landed in Rivertown the same evening.")
    evs, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Baseton"]), (["Baseton"], ["Rivertown"])]
    assert all(e.count is None and e.mode == "air" for e in evs)  # "C-130" is a type, not a head count


def test_home_base_is_the_origin_only_when_no_other_is_told(fake_gazetteer):
    text = "The soldiers, from a battalion based in Baseton, will fly from Portgrad to Rivertown on Tuesday."
    (ev,), used = events_of(text, fake_gazetteer)
    assert names(ev.origins) == ["Portgrad"] and names(ev.destinations) == ["Rivertown"] and "Baseton" not in used
    (ev,), _ = events_of("Troops from a brigade based in Baseton were sent to Rivertown.", fake_gazetteer)
    assert names(ev.origins) == ["Baseton"] and names(ev.destinations) == ["Rivertown"]
    (ev,), _ = events_of("The number of troops stationed in Baseton could reach 10,000.", fake_gazetteer)
    assert ev.origins == () and names(ev.destinations) == ["Baseton"]


def test_origins_around_a_place_and_following_by_rail(fake_gazetteer):
    (ev,), _ = events_of("Most boats set off from beaches around Portgrad and Baseton.", fake_gazetteer)
    assert names(ev.origins) == ["Portgrad", "Baseton"]
    (ev,), _ = events_of("About 90 vehicles are to follow by rail from Kursk to Voronezh.", fake_gazetteer)
    assert (names(ev.origins), names(ev.destinations), ev.mode, ev.status) == (["Kursk"], ["Voronezh"], "rail", "expected")


def test_flew_in_from_continues_the_story(fake_gazetteer):
    evs, _ = events_of("Six jets arrived at Portgrad on Thursday. Six jets flew in from Baseton.", fake_gazetteer)
    assert evs[-1].anaphoric and names(evs[-1].origins) == ["Baseton"]


def test_a_state_after_a_city_qualifies_it_even_when_wrong(fake_gazetteer):
    (ev,), _ = events_of("The first flights from Kyiv to Portgrad, Amur Oblast, will land on Friday.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"]


@pytest.mark.parametrize("sentence,mode", [
    ("The train, loaded with 40 tanks, left the port of Kursk for Voronezh.", "rail"),
    ("About 90 vehicles are to follow by rail from Kursk to Voronezh.", "rail"),
    ("Navy ships transported troops from Kursk to Voronezh.", "ship"),
    ("A Kamaz truck drove from Kursk to Voronezh along the highway.", "road"),
    ("Troops moved from Kursk to the Voronezh airfield.", "air"),
])
def test_mode_from_the_vehicle_before_hints(fake_gazetteer, sentence, mode):
    (ev,), _ = events_of(sentence, fake_gazetteer)
    assert ev.mode == mode


@pytest.mark.parametrize("sentence", [
    "Troops were MOVED from Kursk and Arrived in Voronezh.",
    "The ship sailed from İstanbul and docked in Odesa.",
    "Gemi ılık suda sailed to Batumi; they ſailed back.",
    "Straße: the convoy headed to Kharkiv.",
])
def test_trigger_search_on_lowered_text_matches_case_insensitive_search(sentence):
    from geo.events import _TRIGGER, _find_triggers

    spans = lambda ms: [(m.start(), m.end(), m.lastgroup) for m in ms]  # noqa: E731
    assert spans(_find_triggers(sentence)) == spans(_TRIGGER.finditer(sentence))


def test_trigger_search_with_the_first_letter_look_ahead_matches_the_plain_search():
    """``_TRIGGER_LETTERS`` (the fast search, for lower-cased text without "-bound") finds what
    the plain pattern finds: every verb of every form the pattern lists, in running text."""
    import re

    from geo import events

    assert events._TRIGGER_LETTERS is not events._TRIGGER_LOWER  # the pattern's alternatives were read
    # every literal word of the pattern, as the start of a sentence, after a space and glued to text
    words = sorted(set(re.findall(r"[a-z]{2,}", events._TRIGGER_PATTERN)) - {"bound"})
    texts = [" ".join(words), ", ".join(w + " to from in at" for w in words), "x" + "-x".join(words), "-".join(words),
             "the 3 troops (sent) to kursk; 12-sailed, off-shore, withdrawn. flights from riga, re-routed 4x"]
    found = 0
    for text in texts:
        assert "-bound" not in text
        plain = [(m.start(), m.end(), m.lastgroup) for m in events._TRIGGER_LOWER.finditer(text)]
        fast = [(m.start(), m.end(), m.lastgroup) for m in events._TRIGGER_LETTERS.finditer(text)]
        assert fast == plain
        found += len(plain)
    assert found > 100


def test_an_organisations_seat_is_not_a_presence(fake_gazetteer):
    events, used = events_of("The report, published by a think tank based in Brussels, runs to 80 pages.", fake_gazetteer)
    assert events == [] and used == []
    (ev,), _ = events_of("Soldiers stationed in Baseton were sent to Rivertown.", fake_gazetteer)
    assert (names(ev.origins), names(ev.destinations)) == (["Baseton"], ["Rivertown"])


def test_a_stop_told_before_the_place_left_comes_first(fake_gazetteer):
    text = "The convoy stopped in Kursk and then left Voronezh for Portgrad on Tuesday."
    events, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [
        ([], ["Kursk"]), (["Kursk"], ["Voronezh"]), (["Voronezh"], ["Portgrad"])]


@pytest.mark.parametrize("text", [
    "The battalion arrived in Portgrad on Monday after leaving Baseton.",
    "The soldiers reached Portgrad aboard ships, most of which set off from Baseton.",
])
def test_a_departure_told_afterwards_is_still_the_origin(fake_gazetteer, text):
    events, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [(["Baseton"], ["Portgrad"])]


@pytest.mark.parametrize("text, first", [
    ("Troops were deployed in Portgrad on Monday.", ["Portgrad"]),
    ("The ship turned around in Portgrad on Sunday and is now sailing towards Baseton.", ["Portgrad"]),
])
def test_placing_verbs_say_where_they_are(fake_gazetteer, text, first):
    events, _ = events_of(text, fake_gazetteer)
    assert names(events[0].destinations) == first and not events[0].origins
    assert [names(e.destinations) for e in events[1:]] == ([["Baseton"]] if "Baseton" in text else [])


def test_the_place_a_country_is_entered_at_is_the_place_reached(fake_gazetteer):
    events, _ = events_of("The train crossed into Russia at Kursk late on Tuesday.", fake_gazetteer)
    assert [names(e.destinations) for e in events] == [["Kursk"]]


def test_a_waterway_crossed_before_is_the_origin_even_told_after(fake_gazetteer):
    events, _ = events_of("The convoy entered Portgrad after crossing Baseton on Sunday.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [(["Baseton"], ["Portgrad"])]


def test_a_base_described_with_a_possessive_is_still_the_place_left(fake_gazetteer):
    events, _ = events_of("The train left the regiment's base at Portgrad on March 3.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [(["Portgrad"], [])]


def test_places_crossed_and_passed_are_stops_in_order(fake_gazetteer):
    events, _ = events_of("It crossed the border at Baseton the next day and passed Portgrad on Thursday.",
                          fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [([], ["Baseton"]), (["Baseton"], ["Portgrad"])]


def test_a_place_near_the_stop_only_says_where_it_is(fake_gazetteer):
    events, _ = events_of("It arrived at the border station of Baseton, near Portgrad, on Saturday.", fake_gazetteer)
    assert [names(e.destinations) for e in events] == [["Baseton"]]
    assert events[0].start == date(2024, 10, 12)


def test_expected_at_is_an_expected_arrival(fake_gazetteer):
    events, _ = events_of("The train reached the border on Saturday and is expected at Portgrad on Tuesday.",
                          fake_gazetteer)
    assert [(names(e.destinations), e.status) for e in events] == [(["Portgrad"], "expected")]


def test_what_cargo_is_for_is_not_where_it_goes(fake_gazetteer):
    events, _ = events_of("A plane carrying supplies for Russia landed at Portgrad on Sunday.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [([], ["Portgrad"])]


def test_carried_from_to_is_a_movement(fake_gazetteer):
    events, _ = events_of("Three flights carried the supplies from Portgrad to Baseton on Monday.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [(["Portgrad"], ["Baseton"])]


def test_what_usually_happens_is_not_a_claim(fake_gazetteer):
    events, _ = events_of("Convoys from Portgrad normally take three weeks to reach Baseton.", fake_gazetteer)
    assert events == []


def test_a_place_is_a_stop_only_for_the_verb_that_governs_it(fake_gazetteer):
    text = "A ship that was attacked in Baseton has been diverted to Portgrad, where it docked on Thursday."
    events, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in events] == [([], ["Portgrad"])]


@pytest.mark.parametrize("text", [
    "The buses took the evacuees to Portgrad on Tuesday.",
    "The vehicles will be loaded onto trains in Baseton and taken to Portgrad.",
    "In March the battalion is expected to move on to Portgrad for an exercise.",
])
def test_taking_loading_and_moving_on(fake_gazetteer, text):
    events, _ = events_of(text, fake_gazetteer)
    assert names(events[-1].destinations) == ["Portgrad"]


def test_a_may_dateline_is_no_modal(fake_gazetteer):
    events, _ = events_of("WASHINGTON, May 30 (MDP) - Jets arrived at Portgrad on Thursday.", fake_gazetteer)
    assert [e.status for e in events] == ["reported"]


def test_the_move_is_a_noun(fake_gazetteer):
    events, _ = events_of("The ministry announced the move from its headquarters at Portgrad.", fake_gazetteer)
    assert events == []


def test_each_stop_takes_the_date_told_nearest_to_it(fake_gazetteer):
    text = "The train reached the border on Saturday and is expected at Portgrad on Tuesday."
    (e,) = events_of(text, fake_gazetteer)[0]
    assert (e.start, e.status) == (date(2024, 10, 22), "expected")


def test_ships_converging_on_a_place_arrive_there(fake_gazetteer):
    events, _ = events_of("Five warships have converged on Portgrad for an exercise.", fake_gazetteer)
    assert [(names(e.destinations), e.relation) for e in events] == [(["Portgrad"], "arrive")]


def test_a_besieged_city_is_still_the_place_reached(fake_gazetteer):
    events, _ = events_of("A convoy of 16 trucks reached the besieged Russian city of Portgrad on Tuesday.", fake_gazetteer)
    assert [names(e.destinations) for e in events] == [["Portgrad"]]


def test_days_spent_in_a_port_are_a_stop(fake_gazetteer):
    events, _ = events_of("It spent five days in Portgrad from May 1.", fake_gazetteer)
    assert [names(e.destinations) for e in events] == [["Portgrad"]]


@pytest.mark.parametrize("text", [
    "The train was seen rolling slowly through Portgrad on the Volga.",
    "The fishing boat limped into the port of Portgrad on Wednesday.",
    "The next sighting came overnight at Portgrad.",
])
def test_rolling_limping_and_sightings(fake_gazetteer, text):
    events, _ = events_of(text, fake_gazetteer)
    assert [names(e.destinations) for e in events] == [["Portgrad"]]


def test_undated_vehicles_flying_in_from_a_base_are_those_already_there(fake_gazetteer):
    text = "Four jets landed at Portgrad on Monday. The jets flew non-stop from their home base at Baseton."
    events, _ = events_of(text, fake_gazetteer)
    assert events[-1].anaphoric and names(events[-1].origins) == ["Baseton"]
    dated = "Four jets landed at Portgrad on Monday. The jets left their home base at Baseton on Sunday."
    assert not events_of(dated, fake_gazetteer)[0][-1].anaphoric


def test_heading_towards_from_a_sighting(fake_gazetteer):
    text = "A video shows a column of 40 trucks on the M1 highway near Kursk, heading west towards Voronezh."
    (ev,), _ = events_of(text, fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]
    assert ev.relation == "head" and ev.mode == "road"


def test_stopover_told_after_the_destination_comes_first(fake_gazetteer):
    text = "The jets will fly from Portgrad to Rivertown in early April with a refuelling stop in Baseton."
    evs, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Baseton"]), (["Baseton"], ["Rivertown"])]
    assert all(e.status == "expected" for e in evs)


def test_headline_infinitive_is_a_plan(fake_gazetteer):
    (ev,), _ = events_of("Russia to send troops to Kursk next spring\n\nThe ministry said so on Friday.", fake_gazetteer)
    assert ev.status == "expected"
    (ev,), _ = events_of("Russia sent troops to Kursk.\n\nThe ministry said so on Friday.", fake_gazetteer)
    assert ev.status == "reported"


def test_regular_training_is_no_claim(fake_gazetteer):
    evs, _ = events_of("The brigade has trained regularly with Marines in Portgrad and took part in exercises in Kursk.",
                       fake_gazetteer)
    assert evs == []


def test_shifted_halt_and_noun_compounds(fake_gazetteer):
    evs, _ = events_of("The helicopters left Portgrad last week and made a refuelling and night halt at Baseton "
                       "before flying on to Rivertown.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Baseton"]), (["Baseton"], ["Rivertown"])]
    (ev,), _ = events_of("Six helicopters have been shifted from Kursk to Voronezh.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]
    for text in ("The air force operates fighters from Kursk and transport aircraft from Voronezh.",
                 "The redeployment is being seen as a signal to Kursk."):
        assert events_of(text, fake_gazetteer)[0] == []


def test_a_correction_tells_no_claim(fake_gazetteer):
    text = ("An earlier version of this article said troops had withdrawn from Kursk to Voronezh. "
            "They withdrew to Baseton.")
    (ev,), _ = events_of(text, fake_gazetteer)
    assert names(ev.destinations) == ["Baseton"] and not ev.origins


def test_a_railway_line_naming_places_only_locates_the_destination(fake_gazetteer):
    (ev,), _ = events_of("Some 2,000 residents fled Portgrad by train north to Baseton on the Kursk-Voronezh "
                         "railway line.", fake_gazetteer)
    assert names(ev.origins) == ["Portgrad"] and names(ev.destinations) == ["Baseton"] and ev.mode == "rail"
    (ev,), _ = events_of("A Kamaz truck stopped on the Kursk-Voronezh highway on Oct. 27.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]


@pytest.mark.parametrize("text, origins, dests", [
    ("The battalion will travel by road from its garrison in Kursk to Voronezh.", ["Kursk"], ["Voronezh"]),
    ("They walked from Kursk to Voronezh over three days.", ["Kursk"], ["Voronezh"]),
])
def test_base_forms_of_travel_verbs(fake_gazetteer, text, origins, dests):
    (ev,), _ = events_of(text, fake_gazetteer)
    assert (names(ev.origins), names(ev.destinations)) == (origins, dests)


@pytest.mark.parametrize("text", [
    "The families drive to Kursk every summer.",
    "He walked out of the talks in Portgrad.",
    "More than 200 vessels sheltered there in March 2021, prompting a protest from Kursk.",
    "The country also maintains a garrison on Baseton, about 130 kilometres north of Portgrad.",
    "He does not want to travel to Kursk.",
    "The troops have not left Kursk yet.",
])
def test_no_movement_claimed(fake_gazetteer, text):
    evs, _ = events_of(text, fake_gazetteer)
    assert all(not e.origins and not e.destinations for e in evs) or evs == []


def test_where_a_spokesperson_spoke_is_no_stop(fake_gazetteer):
    (ev,), _ = events_of("The ship arrived at Portgrad on Wednesday, according to a spokesperson in Kursk.",
                         fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"]


def test_wading_across_a_river_into_a_town(fake_gazetteer):
    (ev,), _ = events_of("About 1,900 people waded from Kursk into Voronezh overnight.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]


def test_a_unit_normally_garrisoned_somewhere_still_moves(fake_gazetteer):
    (ev,), _ = events_of("Soldiers of the brigade, normally garrisoned outside Kursk, have been moved west to Voronezh.",
                         fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]


def test_sightings_on_video_and_unloading_place_the_actor(fake_gazetteer):
    (ev,), _ = events_of("A video filmed on 7 October at the freight yard in Kursk shows a train carrying tanks.",
                         fake_gazetteer)
    assert names(ev.destinations) == ["Kursk"] and ev.start == date(2024, 10, 7)
    (ev,), _ = events_of("Satellite images show armoured vehicles being unloaded at the station in Voronezh.",
                         fake_gazetteer)
    assert names(ev.destinations) == ["Voronezh"]


@pytest.mark.parametrize("text", [
    "A separate train was filmed unloading armoured vehicles in Kursk in February.",
    "Most of the forces based in Kursk before 2022 were sent to Voronezh.",
])
def test_other_movements_and_earlier_years_are_background(fake_gazetteer, text):
    assert events_of(text, fake_gazetteer)[0] == []


def test_dropping_anchor_off_a_town_is_a_stop(fake_gazetteer):
    (ev,), _ = events_of("The carrier dropped anchor off Portgrad on Tuesday.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"] and ev.relation == "arrive" and ev.mode == "ship"
    assert events_of("The destroyer is forward-deployed at Kursk and is not part of the current deployment.",
                     fake_gazetteer)[0] == []


def test_an_airport_named_before_its_town_and_a_repatriation(fake_gazetteer):
    (ev,), _ = events_of("The contingent was airlifted from Kenneth Kaunda International Airport in Kursk to Voronezh.",
                         fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"] and ev.mode == "air"
    evs, _ = events_of("The outgoing contingent will travel by road to Kursk and will be repatriated to Portgrad "
                       "on flights scheduled for 24 October.", fake_gazetteer)
    assert [names(e.destinations) for e in evs] == [["Kursk"], ["Portgrad"]]
    assert evs[1].origins == evs[0].destinations and all(e.status == "expected" for e in evs)


def test_a_presence_since_months_before_is_background(fake_gazetteer):
    assert events_of("The battalion, which has been deployed in Kursk since June 2023, takes over.",
                     fake_gazetteer)[0] == []
    (ev,), _ = events_of("The jets that had flown the mission since April left Kursk on Tuesday.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"]


def test_the_air_base_outside_a_city_is_not_the_city(fake_gazetteer):
    (ev,), _ = events_of("The plane has landed at the Baseton air base outside Portgrad.", fake_gazetteer)
    assert names(ev.destinations) == ["Baseton"]
    (ev,), _ = events_of("Troops moved from Kursk to bases near Voronezh.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"]


def test_berthing_and_clearing_a_strait(fake_gazetteer):
    (ev,), _ = events_of("The bulk carrier berthed in Portgrad on Sunday.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"] and ev.relation == "arrive"
    evs, _ = events_of("The ship reached the northern entrance of Portgrad on 12 October and cleared the port of Baseton "
                       "on 15 October.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations), e.start) for e in evs] == [
        ([], ["Portgrad"], date(2024, 10, 12)), (["Portgrad"], ["Baseton"], date(2024, 10, 15))]


def test_departure_and_arrival_dates_span_the_movement(fake_gazetteer):
    (ev,), _ = events_of("The train left Kursk on 29 September and reached Voronezh on 3 October.", fake_gazetteer)
    assert (ev.start, ev.end) == (date(2024, 9, 29), date(2024, 10, 3))
    # published on a Friday: "on Friday" told before an earlier arrival was the week before
    (ev,), _ = events_of("They left Kursk on Friday and reached Voronezh, near the border, on Monday.", fake_gazetteer)
    assert (ev.start, ev.end) == (date(2024, 10, 11), date(2024, 10, 14))
    (ev,), _ = events_of("The jets left Kursk on Tuesday and landed in Voronezh the same evening.", fake_gazetteer)
    assert ev.start == ev.end == date(2024, 10, 15)


def test_a_relative_clause_hides_only_its_own_dates(fake_gazetteer):
    evs, _ = events_of("It reached Kursk on 9 October, where customs cleared the cargo, and ran on to Voronezh, "
                       "arriving on 15 October.", fake_gazetteer)
    assert [(names(e.destinations), e.start) for e in evs] == [(["Kursk"], date(2024, 10, 9)),
                                                               (["Voronezh"], date(2024, 10, 15))]


def test_wanting_to_travel_is_a_plan(fake_gazetteer):
    (ev,), _ = events_of("Most want to travel on to Kursk, and hope to leave by bus by the end of the week.",
                         fake_gazetteer)
    assert ev.status == "expected"


def test_a_past_verb_in_a_sentence_of_plans_is_a_report(fake_gazetteer):
    evs, _ = events_of("The ship left Kursk on Monday, continuing a cruise that will now take her cadets to Voronezh.",
                       fake_gazetteer)
    assert evs[0].status == "reported" and names(evs[0].origins) == ["Kursk"]
    (ev,), _ = events_of("The ship is due in Portgrad on 1 November.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"] and ev.status == "expected"
    assert events_of("The original itinerary had the ship calling at Kursk and Voronezh.", fake_gazetteer)[0] == []


def test_a_logs_day_headings_date_its_entries(fake_gazetteer):
    text = ("THURSDAY 10 OCTOBER\n\n17:30 - The ship leaves Kursk, heading south.\n\n"
            "SUNDAY 13 OCTOBER\n\n08:20 - The ship moors in Voronezh.\n")
    evs, _ = events_of(text, fake_gazetteer)
    assert [(names(e.origins), names(e.destinations), e.start) for e in evs] == [
        (["Kursk"], [], date(2024, 10, 10)), ([], ["Voronezh"], date(2024, 10, 13))]


def test_a_column_stopping_for_the_night_after_crossing_a_country(fake_gazetteer):
    evs, _ = events_of("A column of 12 fire engines left Kursk on Tuesday morning, crossed Russia and stopped for "
                       "the night in Baseton before driving on to Voronezh.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Kursk"], ["Baseton"]), (["Baseton"], ["Voronezh"])]
    assert all(e.mode == "road" for e in evs)
    assert events_of("Ukraine had offered two planes but withdrew the offer after a blaze broke out near Kursk.",
                     fake_gazetteer)[0] == []


def test_stops_told_in_an_after_clause_came_first(fake_gazetteer):
    evs, _ = events_of("The team finally arrived in Voronezh on Wednesday afternoon, after the charter carrying the "
                       "squad from Portgrad was diverted to Kursk on Tuesday night.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations), e.start) for e in evs] == [
        (["Portgrad"], ["Kursk"], date(2024, 10, 15)), (["Kursk"], ["Voronezh"], date(2024, 10, 16))]


def test_where_a_group_comes_from_is_no_origin_of_its_walk(fake_gazetteer):
    (ev,), _ = events_of("The group, mostly from Russia and Ukraine, walked along the highway and reached the town "
                         "of Voronezh on Monday night.", fake_gazetteer)
    assert not ev.origins and names(ev.destinations) == ["Voronezh"]


def test_docking_and_being_taken_north(fake_gazetteer):
    (ev,), _ = events_of("The ship was expected to dock in Portgrad late on Thursday.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"] and ev.status == "expected"
    (ev,), _ = events_of("Hundreds of buses have taken families north from Kursk to Voronezh since Sunday.",
                         fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and names(ev.destinations) == ["Voronezh"] and ev.mode == "road"


@pytest.mark.parametrize("text", [
    "We were supposed to take medicines to Kursk as well, but the administration asked us not to come.",
    "A charter flight that was due to take 180 people from Kursk to Voronezh on Tuesday was cancelled.",
    "The road between Kursk and Voronezh remained closed for a third day.",
])
def test_plans_called_off_and_closed_roads_are_no_movements(fake_gazetteer, text):
    assert events_of(text, fake_gazetteer)[0] == []


def test_take_people_from_to_and_an_as_clause(fake_gazetteer):
    (ev,), _ = events_of("A third train is scheduled to take another 1,200 people from Kursk to Voronezh on Saturday.",
                         fake_gazetteer)
    assert (names(ev.origins), names(ev.destinations), ev.status) == (["Kursk"], ["Voronezh"], "expected")
    (ev,), _ = events_of("Two trains reached Portgrad early on Thursday, as the Baseton authorities warned of floods.",
                         fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"]
    (ev,), _ = events_of("17 of the children were taken by ambulance to the Gaslini children's hospital in Voronezh.",
                         fake_gazetteer)
    assert names(ev.destinations) == ["Voronezh"]


def test_flights_from_an_origin_told_after_the_arrival(fake_gazetteer):
    evs, _ = events_of("About 850 soldiers flew into Kursk on charter flights from Portgrad between 14 and 20 October "
                       "and were taken by bus to Voronezh.", fake_gazetteer)
    assert [(names(e.origins), names(e.destinations)) for e in evs] == [
        (["Portgrad"], ["Kursk"]), (["Kursk"], ["Voronezh"])]


def test_possessives_spokespeople_and_demonyms(fake_gazetteer):
    (ev,), _ = events_of("The planes landed at Portgrad's small Magenta airfield in the late morning.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"]
    (ev,), _ = events_of("A ship docked in Portgrad on Monday, Russia's foreign ministry said.", fake_gazetteer)
    assert names(ev.destinations) == ["Portgrad"]
    (ev,), _ = events_of("A plane left Kursk and brought 52 people back to Kursk, the ministry in Voronezh said.",
                         fake_gazetteer)
    assert "Voronezh" not in names(ev.destinations)
    (ev,), _ = events_of("Two more flights to Kursk are planned for Thursday and Friday.", fake_gazetteer)
    assert ev.status == "expected"
    assert events_of("The airport at Kursk has been closed to commercial flights since Friday.", fake_gazetteer)[0] == []


def test_leaving_the_railhead_at_a_town(fake_gazetteer):
    evs, _ = events_of("The train left the railhead at Kursk on Monday night and passed through Portgrad early on "
                       "Tuesday.", fake_gazetteer)
    assert names(evs[0].origins) == ["Kursk"]


def test_a_pages_date_line_is_no_section_heading_and_said_ends_a_sentence(fake_gazetteer):
    text = ("Tanks head south\n\nThursday 17 October 2024\n\nA column left Kursk on Sunday night, two residents "
            "said. Early on Monday it was filmed passing through Voronezh.")
    evs, _ = events_of(text, fake_gazetteer)
    assert [(names(e.destinations), e.start) for e in evs if e.destinations] == [(["Voronezh"], date(2024, 10, 14))]


def test_a_departure_date_told_in_another_clause_is_not_the_movements(fake_gazetteer):
    (ev,), _ = events_of("The outgoing soldiers, who arrived in May, will be flown from Kursk to Voronezh on Thursday.",
                         fake_gazetteer)
    assert ev.start == ev.end == date(2024, 10, 24)


def test_a_verb_before_governs_across_a_while_clause_and_hometowns_are_no_origins(fake_gazetteer):
    evs, _ = events_of("On Wednesday, 34 adults were taken by bus from Kursk to a reception centre in Voronezh, while "
                       "the minors were moved to a child-protection centre in Portgrad.", fake_gazetteer)
    assert names(evs[0].origins) == ["Kursk"] and "Voronezh" in names(evs[0].destinations)
    (ev,), _ = events_of("Among those who arrived on Wednesday was an aid worker from Kursk who had spent two years "
                         "in Voronezh.", fake_gazetteer)
    assert "Kursk" not in names(ev.origins)
    assert events_of("Boats from Kursk mostly head for Voronezh and Portgrad.", fake_gazetteer)[0] == []


def test_a_similar_operation_is_background(fake_gazetteer):
    assert events_of("India carried out a similar operation in June, when students were flown from Kursk to Voronezh.",
                     fake_gazetteer)[0] == []


def test_a_movement_more_than_a_year_before_the_story_is_background(fake_gazetteer):
    assert events_of("In the summer of 2018, crews and aircraft came from Kursk to Voronezh.", fake_gazetteer)[0] == []
    (ev,), _ = events_of("In September, crews came from Kursk to Voronezh.", fake_gazetteer)
    assert names(ev.destinations) == ["Voronezh"]


def test_a_river_naming_its_port_is_no_stop(real_gazetteer):
    (ev,), _ = events_of("A convoy of 64 grain trucks rolled into the Danube port of Izmail on Wednesday.",
                         real_gazetteer)
    assert [p.name for p in ev.destinations] == ["Izmayil"]


def test_a_movement_as_a_subject_is_said_of_any(fake_gazetteer):
    for text in ('"Moving a tank brigade from Kursk is expensive and slow," an analyst said.',
                 '"Crossing to Voronezh with a ready force is the job."'):
        assert events_of(text, fake_gazetteer)[0] == []
    (ev,), _ = events_of("Moving fast, the brigade crossed from Kursk into Voronezh on Monday.", fake_gazetteer)
    assert names(ev.destinations) == ["Voronezh"]


def test_the_places_left_are_used_places_too(fake_gazetteer):
    # their sentence is the evidence of the origin place on the map
    (ev,), used = events_of("The ship left Kursk on Monday and will sail to Voronezh.", fake_gazetteer)
    assert names(ev.origins) == ["Kursk"] and used == ["Kursk", "Voronezh"]
