"""Streaming inputs: JSON Lines and CSV archives, lazy sorted folder walks, sources for workers."""

import csv
import gzip
import json
import pickle
from datetime import date
from pathlib import Path

import pytest

from geo.model import Document, DocumentStatus
from geo.read import Source, _files, check_paths, count_sources, iter_sources, load_source, read_inputs
from movemap.errors import InputError


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def write_jsonl(path, records, gz=False):
    data = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


RECORDS = [
    {"doc_id": "n1", "text": "Troops moved from Kursk to Voronezh.", "published": "2024-10-27", "title": "One",
     "outlet": "Desk", "url": "https://example.org/1"},
    {"doc_id": "n2", "text": "Headline\nOctober 20, 2024\nShips sailed."},
    {"text": "No id here."},
]


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_records_become_documents(tmp_path, gz):
    f = write_jsonl(tmp_path / ("news.jsonl.gz" if gz else "news.jsonl"), RECORDS, gz)
    docs = read(f)
    assert [d.id for d in docs] == ["n1", "n2", f"{f.name}:3"]
    assert all(isinstance(d, Document) for d in docs)
    assert docs[0].published == date(2024, 10, 27) and docs[0].published_basis == "record"
    assert (docs[0].title, docs[0].outlet, docs[0].url) == ("One", "Desk", "https://example.org/1")
    assert docs[0].path == f"{f}:1"
    assert docs[1].published == date(2024, 10, 20) and docs[1].published_basis == "text"
    assert docs[2].title == "No id here."
    (doc,) = read(write_jsonl(tmp_path / "one.jsonl", RECORDS[:1]), published=date(2024, 1, 2))
    assert doc.published == date(2024, 1, 2) and doc.published_basis == "--published"


def test_bad_records_are_error_statuses_and_the_rest_is_read(tmp_path):
    f = write_jsonl(tmp_path / "bad.jsonl", [
        RECORDS[0], "{not json", "[1, 2]", {"doc_id": "nt"}, {"doc_id": "n1", "text": "again"},
        {"doc_id": "d", "text": "x", "published": "2024-13-45"}, {"doc_id": "e", "text": "   "},
        {"doc_id": "num", "text": 5}, "", RECORDS[1],
    ])
    out = read(f)
    kinds = [(type(x).__name__, x.id) for x in out]
    assert kinds[0] == ("Document", "n1") and kinds[-1] == ("Document", "n2")
    errors = {x.id: x.error for x in out if isinstance(x, DocumentStatus)}
    assert "not a JSON object" in errors["bad.jsonl:2"] and "bad.jsonl:2" in errors["bad.jsonl:2"]
    assert "not a JSON object" in errors["bad.jsonl:3"]
    assert "no text" in errors["nt"]
    assert "duplicate doc_id 'n1'" in errors["bad.jsonl:5"]
    assert "not a date" in errors["d"]
    assert "empty" in errors["e"]
    assert "not a string" in errors["num"]
    assert len(out) == 9


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path):
    data = gzip.compress(b"".join(json.dumps({"doc_id": f"d{i}", "text": "Troops moved. " * 50}).encode() + b"\n"
                                  for i in range(50)))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(data[: len(data) // 2])
    out = read(f)
    assert isinstance(out[0], Document) and isinstance(out[-1], DocumentStatus)
    assert "cannot read further" in out[-1].error and "cut.jsonl.gz" in out[-1].error


@pytest.mark.parametrize("name", ["news.csv", "news.csv.gz"])
def test_csv_with_a_text_column(tmp_path, name):
    rows = [["id", "Title", "TEXT", "date", "outlet"],
            ["c1", "First", "Troops moved from Kursk,\nthen to Voronezh.", "2024-10-27", "Desk"],
            ["", "", "", "", ""],
            ["c2", "", "Ships sailed. " * 20000, "", ""]]
    path = tmp_path / name
    with (gzip.open(path, "wt", newline="", encoding="utf-8") if name.endswith(".gz")
          else open(path, "w", newline="", encoding="utf-8")) as fh:
        csv.writer(fh).writerows(rows)
    docs = read(path)
    assert [d.id for d in docs] == ["c1", "c2"]
    assert docs[0].text == "Troops moved from Kursk,\nthen to Voronezh." and docs[0].title == "First"
    assert docs[0].published == date(2024, 10, 27) and docs[0].outlet == "Desk"
    assert len(docs[1].text) > 200_000  # beyond csv's default field limit
    assert count_sources([str(path)]) == 3


def test_csv_without_a_text_column_is_a_usage_error(tmp_path):
    f = tmp_path / "meta.csv"
    f.write_text("file,published\na.txt,2024-10-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column"):
        check_paths([str(f)])


def test_folder_walk_is_lazy_and_in_sorted_relative_path_order(tmp_path):
    names = ["a-b.txt", "a/b.txt", "a/c/d.md", "ab.txt", "a.txt", "b/x.html", "B.txt", "z/.hidden/x.txt",
             ".git/y.txt", "a/b c.txt", "a0/q.txt", "notes.json", "arch/news.jsonl"]
    for n in names:
        p = tmp_path / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    expected = sorted((p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                       if p.is_file() and not any(s.startswith(".") for s in p.relative_to(tmp_path).parts)
                       and p.suffix in (".txt", ".md", ".html", ".jsonl")))
    walk = _files(tmp_path)
    assert iter(walk) is walk  # a generator: one directory in memory at a time
    assert [p.relative_to(tmp_path).as_posix() for p in walk] == expected


def test_jsonl_inside_a_folder_is_read_record_by_record(tmp_path):
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", RECORDS[:2])
    assert [d.id for d in read(tmp_path)] == ["a.txt", "n1", "n2"]
    assert count_sources([str(tmp_path)]) == 3


def test_sources_are_small_picklable_and_load_like_read_inputs(tmp_path):
    (tmp_path / "catalog.csv").write_text("file,published,title\na.txt,2024-10-18,Cat title\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Troops moved.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    write_jsonl(tmp_path / "c.jsonl", RECORDS[:1])
    sources = list(iter_sources([str(tmp_path)]))
    assert all(isinstance(s, Source) for s in sources)
    assert sources[0].data is None and sources[0].text is None  # a file is read by the worker
    shipped = [pickle.loads(pickle.dumps(s.with_data())) for s in sources]
    assert shipped[0].data == b"Troops moved."
    assert [load_source(s) for s in sources] == [load_source(s) for s in shipped] == read(tmp_path)
    assert read(tmp_path)[0].title == "Cat title" and read(tmp_path)[0].published_basis == "catalog"


def test_count_sources(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    write_jsonl(tmp_path / "n.jsonl.gz", RECORDS, gz=True)
    f = tmp_path / "no-final-newline.jsonl"
    f.write_text('{"text": "a"}\n{"text": "b"}', encoding="utf-8")
    assert count_sources([str(tmp_path)]) == 1 + 3 + 2
    assert count_sources([str(f), "-"]) == 3
