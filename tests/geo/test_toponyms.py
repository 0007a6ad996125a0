from geo.toponyms import recognise


def surfaces(text, gz):
    return [s.surface for s in recognise(text, gz)]


def test_finds_places_in_lists(fake_gazetteer):
    text = "Troops from the areas near Chongjin, Hamhung, and Portgrad were moved."
    assert surfaces(text, fake_gazetteer) == ["Chongjin", "Hamhung", "Portgrad"]


def test_longest_match_wins_and_region_word_joins(fake_gazetteer):
    spans = recognise("They headed to Kursk Oblast and later the Kursk region.", fake_gazetteer)
    assert [(s.surface, s.candidates[0].kind) for s in spans] == [("Kursk Oblast", "region"), ("Kursk region", "region")]


def test_places_inside_longer_names_are_dropped(fake_gazetteer):
    text = ("The Kyiv Independent reported it. President Vladimir Putin spoke. John Kirby said so. "
            "The New York Times wrote. Kim Jong-Un visited.")
    assert surfaces(text, fake_gazetteer) == []


def test_calendar_words_and_acronyms_are_not_places(fake_gazetteer):
    text = "On Sunday the NIS said the UN met. It happened Sunday or Monday."
    assert surfaces(text, fake_gazetteer) == []


def test_country_acronyms_are_places(fake_gazetteer):
    assert surfaces("Officials in the U.S. and the DPRK disagreed.", fake_gazetteer) == ["U.S.", "DPRK"]


def test_hyphenated_pairs_split_into_places(fake_gazetteer):
    assert surfaces("A truck on the Kursk-Voronezh highway.", fake_gazetteer) == ["Kursk", "Voronezh"]


def test_possessive_breaks_a_name_run(fake_gazetteer):
    assert surfaces("Troops are headed to Russia's Kursk Oblast now.", fake_gazetteer) == ["Russia", "Kursk Oblast"]
    assert surfaces("Troops are headed to Russia’s Kursk Oblast now.", fake_gazetteer) == ["Russia", "Kursk Oblast"]


def test_demonyms_are_not_places(fake_gazetteer):
    assert surfaces("The Canadian frigate sailed.", fake_gazetteer) == []


def test_title_after_country_keeps_country(fake_gazetteer):
    assert surfaces("U.S. President Biden spoke.", fake_gazetteer) == ["U.S."]


def test_offsets_point_into_text(fake_gazetteer):
    text = "Ships reached Portgrad."
    (span,) = recognise(text, fake_gazetteer)
    assert text[span.start:span.end] == "Portgrad"


def test_demonyms_only_when_asked(fake_gazetteer):
    text = "North Korean and Russian troops left Portgrad."
    assert surfaces(text, fake_gazetteer) == ["Portgrad"]
    spans = recognise(text, fake_gazetteer, demonyms=True)
    dem = {s.surface: s for s in spans if s.demonym}
    assert set(dem) == {"North Korean", "Russian"}
    assert dem["North Korean"].candidates[0].id == "t:korea-n" and dem["Russian"].candidates[0].id == "t:russia"


def test_demonym_not_a_language_or_a_person(fake_gazetteer):
    spans = recognise("She spoke only Russian. Monica Russian said so.", fake_gazetteer, demonyms=True,
                      modifiers=True)
    assert [s.surface for s in spans if s.demonym] == []


def test_key_variants_for_given_spans():
    from geo.toponyms import key_variants

    assert key_variants("St. Petersburg")[:2] == ["st petersburg", "saint petersburg"]
    assert "laurel county" in key_variants("Laurel Co.")
    assert key_variants("the Kursk region")[:2] == ["the kursk region", "kursk region"]


def test_spans_for_given_offsets(fake_gazetteer):
    from geo.toponyms import spans_for

    text = "Russian ships reached Portgrad and Nowhere."
    spans = spans_for(text, [(0, 7), (22, 30), (35, 42)], fake_gazetteer)
    assert spans[0].demonym and spans[0].candidates[0].id == "t:russia"
    assert spans[1].candidates[0].id == "t:portcity"
    assert spans[2].candidates == ()


def test_arabic_article_forms(real_gazetteer):
    text = "I went from Gaza City to Al-Nuseirat refugee camp, then to Deir al-Balah and Sharm el-Sheikh."
    spans = recognise(text, real_gazetteer)
    assert [s.surface for s in spans] == ["Gaza City", "Al-Nuseirat", "Deir al-Balah", "Sharm el-Sheikh"]
    assert all(s.candidates[0].country_code in ("PS", "EG") for s in spans)


def test_accented_city_that_looks_like_a_demonym(real_gazetteer):
    # "Thessaloniki" ends like "Iraqi"; the gazetteer spells it "Thessaloníki"
    spans = recognise("The men set off from Thessaloniki on Aug. 28.", real_gazetteer)
    assert [(s.surface, s.candidates[0].country_code) for s in spans] == [("Thessaloniki", "GR")]


def test_people_and_sentence_initial_words_matched_by_small_places_aliases(real_gazetteer):
    text = ("Alone among his brothers, Manuel Gonzalez believes the boy should go back. "
            "They flew to Paris and then to Fort Worth.")
    assert [s.surface for s in recognise(text, real_gazetteer)] == ["Paris", "Fort Worth"]


def test_a_bracketed_qualifier_belongs_to_the_name_when_the_gazetteer_knows_the_whole(real_gazetteer):
    spans = recognise("The train crossed at Frankfurt (Oder) while Frankfurt (AP) reported it.", real_gazetteer)
    assert [s.surface for s in spans][:1] == ["Frankfurt (Oder)"]
    assert "Frankfurt (AP)" not in [s.surface for s in spans]


def test_place_names_ending_in_i_are_places_but_known_nationality_words_are_not(real_gazetteer):
    text = "They reached Curtici, near Arad, on Saturday. Pakistani officials said so."
    assert [s.surface for s in recognise(text, real_gazetteer)] == ["Curtici", "Arad"]


def test_a_common_word_inside_a_longer_name_is_not_a_place_of_its_own(real_gazetteer):
    text = "The destroyer docked at Subic Bay after crossing the Darién Gap, between Ségou and San."
    surfaces = [s.surface for s in recognise(text, real_gazetteer)]
    assert "Bay" not in surfaces and "Gap" not in surfaces
    assert "San" in surfaces




def test_number_words_and_the_red_cross_are_not_places(real_gazetteer):
    text = "Four days later Red Cross volunteers reached Tenerife."
    assert [s.surface for s in recognise(text, real_gazetteer)] == ["Tenerife"]


def test_lowercase_vocabulary_is_the_set_of_lowercase_prose_words():
    """The vocabulary answers ``key in`` as the set of every ``_LOWER_WORD`` match would."""
    import re

    from geo.toponyms import _LOWER_WORD, _URL_HINT, _URLISH, _lowercase_vocabulary

    texts = [
        "The close of trade in Kursk. Just a close call; re-close, x/close, close-up, .close and close/ closes",
        "See www.close.com/kursk or mail close@kursk.ru, then close it: café close éclose closé Close",
        "ab a b-ab ab_ ab1 1ab (ab) 'ab' “ab” ab. ab, ab\nab",
    ]
    for text in texts:
        clean = _URLISH.sub(" ", text) if _URL_HINT.search(text) else text
        words = frozenset(_LOWER_WORD.findall(clean))
        vocabulary = _lowercase_vocabulary(text)
        keys = set(re.findall(r"\w+", text.lower())) | {"", "a", "clos", "kursk", "café", "x y"}
        for key in sorted(keys):
            assert (key in vocabulary) == (key in words), (text, key)


def test_a_nationality_before_a_region_or_big_city_is_not_part_of_its_name(real_gazetteer):
    assert surfaces("They moved west to Russian Karelia and to Turkish Cyprus.", real_gazetteer) == ["Karelia", "Cyprus"]
    # a small namesake behind a nationality adjective is a name of something else
    assert surfaces("The Japanese Osprey crashed.", real_gazetteer) == []


def test_an_airport_named_after_its_town(real_gazetteer):
    assert surfaces("They landed at Bangui M'Poko International Airport.", real_gazetteer) == ["Bangui"]
    # not a person's name that some town has as an alternate name
    assert "Kenneth" not in surfaces("They left from Kenneth Kaunda International Airport.", real_gazetteer)


def test_a_prefix_before_a_hyphen_makes_no_place(real_gazetteer):
    assert surfaces("The fastest run on the Trans-Caspian route and a pan-European plan.", real_gazetteer) == []


def test_two_towns_joined_by_and_are_no_persons_name(real_gazetteer):
    assert surfaces("The boats set off from Granville and Cherbourg at dawn.", real_gazetteer) == ["Granville", "Cherbourg"]
    assert surfaces("Granville Smith said so.", real_gazetteer) == []
