from geo.definite import with_definite_references
from geo.model import Mention
from gazetteer.place import Place

CANAL = Place(id="t:suez", name="Suez Canal", lat=30.5, lon=32.3, kind="water", feature_code="CNL")
DOVER = Place(id="t:dover", name="Strait of Dover", lat=51.0, lon=1.4, kind="water", feature_code="STRT")


def mention(text, surface, place):
    start = text.index(surface)
    return Mention("d", start, start + len(surface), surface, place, 1.0)


def test_the_canal_refers_to_the_canal_named_before():
    text = "The group crossed the Suez Canal. It transited the canal on Saturday."
    out = with_definite_references(text, [mention(text, "Suez Canal", CANAL)])
    assert [(m.surface, m.place.name) for m in out] == [("Suez Canal", "Suez Canal"), ("the canal", "Suez Canal")]
    assert text[out[1].start:out[1].end] == "the canal"


def test_no_reference_without_a_waterway_of_that_kind_before_it():
    text = "It transited the canal on Saturday, then the Strait of Dover. Later it left the strait."
    out = with_definite_references(text, [mention(text, "Strait of Dover", DOVER)])
    assert [m.surface for m in out] == ["Strait of Dover", "the strait"]
    assert out[1].start > text.index("Dover")


def test_a_name_that_starts_with_the_head_noun_is_not_a_reference():
    text = "They crossed the Suez Canal and then the Channel Islands."
    assert len(with_definite_references(text, [mention(text, "Suez Canal", CANAL)])) == 1


KURSK = Place(id="t:kursk", name="Kursk", lat=51.7, lon=36.2, kind="city", country_code="RU")
TUMBES = Place(id="t:tumbes", name="Tumbes", lat=-3.57, lon=-80.45, kind="city", country_code="PE")


def test_the_town_refers_to_a_town_named_just_before():
    text = "Most had lived in Kursk for years. They left the city by bus on June 28."
    out = with_definite_references(text, [mention(text, "Kursk", KURSK)])
    assert [(m.surface, m.place.name) for m in out] == [("Kursk", "Kursk"), ("the city", "Kursk")]
    far = "Most had lived in Kursk. " + "Nothing happened. " * 20 + "They left the city."
    assert len(with_definite_references(far, [mention(far, "Kursk", KURSK)])) == 1
    assert len(with_definite_references("Kursk is big. The city of Orel is not.",
                                        [mention("Kursk is big. The city of Orel is not.", "Kursk", KURSK)])) == 1


def test_this_city_in_a_wire_story_is_its_dateline_city():
    text = "TUMBES, Peru, July 12 (ADW) - The group that reached this Peruvian border city on Saturday was tired."
    out = with_definite_references(text, [mention(text, "TUMBES", TUMBES)])
    assert [(m.surface, m.place.name) for m in out][1] == ("this Peruvian border city", "Tumbes")


def test_a_town_name_followed_by_region_is_no_antecedent():
    text = "Troops left the town of Indaw in Kursk region overnight. They left the town in trucks."
    indaw = Place(id="t:indaw", name="Indaw", lat=24.2, lon=96.1, kind="city")
    out = with_definite_references(text, [mention(text, "Indaw", indaw), mention(text, "Kursk", KURSK)])
    assert [(m.surface, m.place.name) for m in out][-1] == ("the town", "Indaw")
