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
