from geo.text import split_sentences, zone_at


def test_sentences_keep_offsets_and_abbreviations():
    text = "Troops moved on Oct. 8 to the U.S. base. They arrived.\nNew line"
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["Troops moved on Oct. 8 to the U.S. base.", "They arrived.", "New line"]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_zones_mark_captions_and_feeds():
    text = ("Story sentence here.\nSoldiers march in a square.\nJANE DOE/AFP via Getty Images\n"
            "More story.\nNews Feed\nUnrelated item about somewhere.\n")
    assert zone_at(text, 0) is None
    assert zone_at(text, text.index("Soldiers")) == "caption"
    assert zone_at(text, text.index("More story")) is None
    assert zone_at(text, text.index("Unrelated")) == "feed"


def test_bullets_that_are_sentences_are_story_text():
    text = ("Here is what is known so far:\n\n"
            "* An Indian Navy landing ship took 412 people out of Aden on Sunday and docked in Djibouti on Monday.\n\n"
            "Related:\n- Fighting closes Aden airport\n- Five things to know about Yemen\n")
    assert zone_at(text, text.index("An Indian")) is None
    assert zone_at(text, text.index("Fighting closes")) == "list"
    assert zone_at(text, text.index("Five things")) == "list"
