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
