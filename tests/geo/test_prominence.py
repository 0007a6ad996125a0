from gazetteer.place import Place
from geo.model import Mention
from geo.prominence import prefer_prominent
from geo.toponyms import Span


def P(pid, name, cc, pop, kind="city", fc="PPL", adm=None, lat=0.0, lon=0.0):
    return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, country_code=cc, admin1_code=adm,
                 population=pop, feature_code=fc)


GERMANY = P("de", "Germany", "DE", 83_000_000, "country", "PCLI")
HANNOVER = P("h-de", "Hannover", "DE", 515_000, adm="DE.06", lat=52.37, lon=9.73)
HANOVER_US = P("h-us", "Hanover", "US", 38_000, adm="US.MD", lat=39.2, lon=-76.7)
MARYLAND = P("md", "Maryland", "US", 6_000_000, "region", "ADM1", adm="US.MD", lat=39.0, lon=-76.8)
SEGOU_REGION = P("s-r", "Ségou", "ML", 636_000, "region", "ADM1", adm="ML.08")
SEGOU_CITY = P("s-c", "Ségou", "ML", 206_000, adm="ML.08")


def run(text, items):
    """items: (surface, chosen place, candidates) in text order."""
    spans, mentions, pos = [], [], 0
    for surface, chosen, cands in items:
        s = text.index(surface, pos)
        e = s + len(surface)
        pos = e
        spans.append(Span(s, e, surface, surface.lower().replace("é", "e"), tuple(cands)))
        mentions.append(Mention("d", s, e, surface, chosen))
    return [m.place.id for m in prefer_prominent(text, mentions, spans)]


def test_far_bigger_namesake_in_a_named_country_wins():
    text = "The train left Germany and passed through Hanover."
    assert run(text, [("Germany", GERMANY, [GERMANY]), ("Hanover", HANOVER_US, [HANOVER_US, HANNOVER])]) == ["de", "h-de"]


def test_not_when_the_country_is_not_named_or_a_qualifier_says_so():
    assert run("They passed through Hanover.", [("Hanover", HANOVER_US, [HANOVER_US, HANNOVER])]) == ["h-us"]
    text = "Germany sent them to Hanover, Maryland."
    assert run(text, [("Germany", GERMANY, [GERMANY]), ("Hanover", HANOVER_US, [HANOVER_US, HANNOVER]),
                      ("Maryland", MARYLAND, [MARYLAND])]) == ["de", "h-us", "md"]


def test_a_province_gives_way_to_the_city_it_is_named_after():
    text = "The convoy passed through Segou."
    spans = [Span(26, 31, "Segou", "segou", (SEGOU_CITY, SEGOU_REGION))]
    got = prefer_prominent(text, [Mention("d", 26, 31, "Segou", SEGOU_REGION)], spans)
    assert got[0].place == SEGOU_CITY


def test_a_country_named_like_its_capital_is_mapped_at_the_city():
    country = P("dj", "Djibouti", "DJ", 958_000, "country", "PCLI")
    city = P("dj-c", "Djibouti", "DJ", 626_000)
    kuwait = P("kw", "Kuwait", "KW", 4_000_000, "country", "PCLI")
    kuwait_city = P("kw-c", "Kuwait City", "KW", 60_000)
    assert run("It will call at Djibouti.", [("Djibouti", country, [country, city])]) == ["dj-c"]
    assert run("It will call at Kuwait.", [("Kuwait", kuwait, [kuwait, kuwait_city])]) == ["kw"]


def test_a_city_called_by_its_own_name_beats_a_namesake_matched_by_a_foreign_name():
    romania = P("ro", "Romania", "RO", 19_000_000, "country", "PCLI")
    constanta = P("ro-c", "Constanta", "RO", 317_000)
    konstanz = P("de-k", "Konstanz", "DE", 81_000)  # "Constanta" is one of its alternate names
    text = "Ships leave Constanta for Romania's ports."
    assert run(text, [("Constanta", konstanz, [constanta, konstanz]), ("Romania", romania, [romania])]) == ["ro-c", "ro"]
    assert run("Ships leave Constanta.", [("Constanta", konstanz, [constanta, konstanz])]) == ["de-k"]


def test_a_small_town_named_like_its_country_is_not_the_country():
    country = P("mz", "Mozambique", "MZ", 29_000_000, "country", "PCLI")
    town = P("mz-t", "Mozambique", "MZ", 56_000)
    assert run("They withdrew to northern Mozambique.", [("Mozambique", country, [country, town])]) == ["mz"]


def test_a_base_named_like_a_far_town_is_no_mention_of_it(real_gazetteer):
    from geo.pipeline import geoparse
    text = "They flew to Beirut and reached Camp Shamrock, near the village of Tebnine, on Thursday."
    assert [m.surface for m in geoparse("d", text, real_gazetteer)] == ["Beirut", "Tebnine"]
    text = "The Canadians will move from Riga in Latvia by road to Camp Adazi."
    assert "Adazi" in [m.surface for m in geoparse("d", text, real_gazetteer)]


def test_a_namesake_near_the_town_told_with_it_wins():
    tripoli_ly = P("ly", "Tripoli", "LY", 1_150_000, lat=32.9, lon=13.2)
    tripoli_lb = P("lb", "Tripoli", "LB", 230_000, lat=34.4, lon=35.8)
    beirut = P("beirut", "Beirut", "LB", 1_900_000, lat=33.9, lon=35.5)
    text = "Buses took them from Beirut to Tripoli. Later the ferry left Tripoli."
    got = run(text, [("Beirut", beirut, [beirut]), ("Tripoli", tripoli_ly, [tripoli_ly, tripoli_lb]),
                     ("Tripoli", tripoli_ly, [tripoli_ly, tripoli_lb])])
    assert got == ["beirut", "lb", "lb"]
    assert run("The ferry left Tripoli.", [("Tripoli", tripoli_ly, [tripoli_ly, tripoli_lb])]) == ["ly"]


def test_a_far_hamlet_matched_by_another_name_is_dropped():
    chad = P("td", "Chad", "TD", 17_000_000, "country", "PCLI", lat=15.0, lon=19.0)
    abeche = P("abeche", "Abeche", "TD", 150_000, lat=13.8, lon=20.8)
    tigne = P("tigne", "Tigne", "FR", 770, lat=47.2, lon=-0.4)  # "Tine" is one of its other names
    text = "The trucks left Abeche in Chad and reached Tine."
    spans = [Span(16, 22, "Abeche", "abeche", (abeche,)), Span(26, 30, "Chad", "chad", (chad,)),
             Span(43, 47, "Tine", "tine", (tigne,))]
    mentions = [Mention("d", s.start, s.end, s.surface, s.candidates[0]) for s in spans]
    assert [m.surface for m in prefer_prominent(text, mentions, spans)] == ["Abeche", "Chad"]
    own = [Span(43, 47, "Tine", "tigne", (tigne,))]  # called by its own name: kept
    assert len(prefer_prominent(text, mentions[:2] + [Mention("d", 43, 47, "Tine", tigne)], spans[:2] + own)) == 3


def test_a_far_bigger_city_of_the_very_name_beats_a_town_matched_by_an_alias():
    denver = P("dv", "Denver", "US", 729_000, adm="US.CO")
    denver_city = P("dc", "Denver City", "US", 4_800, adm="US.TX")
    texas = P("tx", "Texas", "US", 29_000_000, "region", "ADM1", adm="US.TX")
    text = "A bus left for Denver, while Texas officials watched."
    assert run(text, [("Denver", denver_city, [denver, denver_city]), ("Texas", texas, [texas])]) == ["dv", "tx"]
    # not for a town of its own name, nor for a city not far bigger
    assert run(text, [("Denver", P("dc2", "Denver", "US", 4_800), [denver, P("dc2", "Denver", "US", 4_800)]),
                      ("Texas", texas, [texas])]) == ["dc2", "tx"]
    small = P("dv2", "Denver", "US", 40_000)
    assert run(text, [("Denver", denver_city, [small, denver_city]), ("Texas", texas, [texas])]) == ["dc", "tx"]
