from geo.resolve import resolve
from geo.toponyms import recognise


def resolved(text, gz):
    return {m.surface: m.place.id for m in resolve("d", text, recognise(text, gz))}


def test_population_prior_without_context(fake_gazetteer):
    assert resolved("He lived in Blagoveshchensk.", fake_gazetteer)["Blagoveshchensk"] == "t:blag-amur"


def test_qualifier_overrides_population(fake_gazetteer):
    got = resolved("He lived in Blagoveshchensk, Bashkortostan for years.", fake_gazetteer)
    assert got["Blagoveshchensk"] == "t:blag-bash"


def test_nearby_places_pull_ambiguous_ones(fake_gazetteer):
    text = "Troops moved from Portgrad to Baseton and Rivertown, then to Blagoveshchensk."
    assert resolved(text, fake_gazetteer)["Blagoveshchensk"] == "t:blag-amur"


def test_one_sense_per_document(fake_gazetteer):
    text = "Blagoveshchensk, Bashkortostan is small. Later Blagoveshchensk grew."
    spans = recognise(text, fake_gazetteer)
    ms = resolve("d", text, spans)
    assert {m.place.id for m in ms if m.surface == "Blagoveshchensk"} == {"t:blag-bash"}


def test_hamlets_do_not_beat_countries(fake_gazetteer):
    from gazetteer.place import Place

    hamlet = Place(id="t:russia-oh", name="Russia", lat=40.2, lon=-84.4, kind="city", country_code="US",
                   admin1_code="US.OH", population=600, feature_code="PPL")
    gz = type(fake_gazetteer)([(p, ()) for p in fake_gazetteer._places] + [(hamlet, ())])
    text = "Kirby and Canadian are in Texas; New York and Russia talked."
    got = resolved(text, gz)
    assert got["Russia"] == "t:russia"


def test_unknown_spans_fall_back_to_the_nearest_local_place(fake_gazetteer):
    from geo.toponyms import spans_for

    text = "Baseton is near Hillcrest Farm, on the coast."
    spans = spans_for(text, [(0, 7), (16, 30)], fake_gazetteer)
    plain = resolve("d", text, spans)
    assert plain[1].place is None
    guessed = resolve("d", text, spans, fallback=True)
    assert guessed[1].place.lat == guessed[0].place.lat and guessed[1].place.source == "inferred"
    assert guessed[1].score < 0.1
