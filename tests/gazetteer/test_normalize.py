import pytest

from gazetteer import name_key
from gazetteer.normalize import is_indexable_name


@pytest.mark.parametrize(
    "raw, key",
    [
        ("Ch'ŏngjin", "chongjin"),
        ("U.S.", "us"),
        ("St. Petersburg", "st petersburg"),
        ("Хабаровск", "khabarovsk"),
        ("Władywostok", "wladywostok"),
        ("  New-York_City ", "new york city"),
        ("Côte d’Ivoire", "cote divoire"),
        ("Leningradskaya Oblast'", "leningradskaya oblast"),
        ("Ch\u02bcŏngjin", "chongjin"),
        ("Washington, D.C.", "washington dc"),
        ("KURSK", "kursk"),
        ("Тверь", "tver"),
        ("", ""),
        ("...", ""),
        ("'-'", ""),
    ],
)
def test_name_key(raw, key):
    assert name_key(raw) == key


def test_name_key_decomposed_equals_precomposed():
    import unicodedata

    s = "Ch'ŏngjin"
    assert name_key(unicodedata.normalize("NFD", s)) == name_key(s) == "chongjin"


def test_name_key_is_idempotent():
    for s in ["Ch'ŏngjin", "U.S.", "Санкт-Петербург", "Île-de-France"]:
        assert name_key(name_key(s)) == name_key(s)


@pytest.mark.parametrize("s, ok", [("Kursk", True), ("Курск", True), ("Βλαδιβοστόκ", True),
                                   ("海参崴", False), ("فلاديفوستوك", False), ("", False)])
def test_indexable_scripts(s, ok):
    assert is_indexable_name(s) is ok
