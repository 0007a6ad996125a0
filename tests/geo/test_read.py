from datetime import date

import pytest

from geo.model import Document, DocumentStatus
from geo.read import check_paths, read_inputs
from movemap.errors import InputError


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_folder_is_read_recursively_in_name_order_with_catalog(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "a.md").write_text("First article.", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "catalog.csv").write_text("file,published,outlet\na.md,2024-10-18,Daily\n", encoding="utf-8")
    docs = read(tmp_path)
    assert [d.id for d in docs] == ["a.md", "b/2.txt"]
    assert docs[0].published == date(2024, 10, 18) and docs[0].outlet == "Daily"
    assert docs[0].published_basis == "catalog" and docs[1].published is None


def test_published_flag_wins_and_dateline_is_the_fallback(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Headline\nby Desk October 27, 2024 7:05 PM\nTroops moved.", encoding="utf-8")
    (doc,) = read(f)
    assert doc.published == date(2024, 10, 27) and doc.published_basis == "text"
    (doc,) = read(f, published=date(2024, 1, 2))
    assert doc.published == date(2024, 1, 2)


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x00\x01\x02binary\x00data" * 10, "binary file"),
])
def test_bad_files_become_error_statuses(tmp_path, content, problem):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    (status,) = read(f)
    assert isinstance(status, DocumentStatus) and status.status == "error"
    assert problem in status.error and "bad.txt" in status.error


def test_latin1_file_is_decoded(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Troops reached Saint-Étienne and Zürich.".encode("latin-1"))
    (doc,) = read(f)
    assert isinstance(doc, Document) and "Zürich" in doc.text


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "1.txt").write_text("Good one.", encoding="utf-8")
    (tmp_path / "2.txt").write_bytes(b"")
    (tmp_path / "3.txt").write_text("Good too.", encoding="utf-8")
    kinds = [type(x).__name__ for x in read(tmp_path)]
    assert kinds == ["Document", "DocumentStatus", "Document"]


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match="input not found: .*nope"):
        check_paths([str(tmp_path / "nope")])


def test_html_main_text_is_extracted(tmp_path):
    html = ("<html><head><title>Troops move</title></head><body><nav>Home | World</nav><article>"
            "<h1>Troops move</h1><p>" + "Soldiers were transported from one city to another by train. " * 5 +
            "</p></article><footer>Copyright</footer></body></html>")
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    (doc,) = read(f)
    assert "transported from one city" in doc.text and "<p>" not in doc.text
    assert doc.title == "Troops move"


def test_stdin(tmp_path):
    import io

    (doc,) = list(read_inputs(["-"], stdin=io.BytesIO(b"Troops moved.")))
    assert doc.id == "stdin" and doc.text == "Troops moved."
