"""movemap timex: JSON Lines in, JSON Lines out, one line per line, same order, errors inline."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from movemap.cli_timex import timex

ROOT = Path(__file__).resolve().parents[2]


def lines_of(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_one_line_out_per_line_in_same_order():
    docs = [
        {"doc_id": "a", "text": "The ships left on Friday, Oct. 11.", "published": "2024-10-18"},
        {"doc_id": "b", "text": "Nothing temporal here.", "published": "2024-10-18"},
        {"doc_id": 3, "text": "Sales rose in the third quarter and will rise next year.", "published": "1989-10-26"},
    ]
    res = CliRunner().invoke(timex, ["-"], input="".join(json.dumps(d) + "\n" for d in docs))
    assert res.exit_code == 0, res.output
    out = lines_of(res.output)
    assert [o["doc_id"] for o in out] == ["a", "b", 3]
    assert out[0]["timexes"] == [{"start": 18, "end": 33, "text": "Friday, Oct. 11", "type": "DATE", "value": "2024-10-11"}]
    assert out[1]["timexes"] == []
    assert [(t["text"], t["value"]) for t in out[2]["timexes"]] == [("the third quarter", "1989-Q3"), ("next year", "1990")]


def test_malformed_lines_get_an_error_object_and_the_run_goes_on():
    lines = [
        '{"doc_id": "ok1", "text": "yesterday", "published": "2024-10-18"}',
        '{"doc_id": "broken", "text": "unterminated',
        '[1, 2]',
        '{"doc_id": "notext"}',
        '{"doc_id": "baddate", "text": "today", "published": "18/10/2024"}',
        '',
        '{"doc_id": "ok2", "text": "today", "published": "2024-10-18"}',
    ]
    res = CliRunner().invoke(timex, ["-"], input="\n".join(lines) + "\n")
    assert res.exit_code == 1
    out = lines_of(res.stdout)
    assert len(out) == len(lines)
    assert [o["doc_id"] for o in out] == ["ok1", "broken", None, "notext", "baddate", None, "ok2"]
    assert [("error" in o) for o in out] == [False, True, True, True, True, True, False]
    assert all(o["timexes"] == [] for o in out if "error" in o)
    assert out[0]["timexes"][0]["value"] == "2024-10-17"
    assert out[-1]["timexes"][0]["value"] == "2024-10-18"
    assert "5 line(s)" in res.stderr


def test_without_published_relative_values_keep_placeholders():
    res = CliRunner().invoke(timex, ["-"], input=json.dumps({"doc_id": "x", "text": "on Friday in 2019"}) + "\n")
    assert res.exit_code == 0
    assert [t["value"] for t in lines_of(res.output)[0]["timexes"]] == ["XXXX-WXX-5", "2019"]


def test_reads_a_file_and_rejects_a_missing_one(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"doc_id": "f", "text": "last month", "published": "2024-11-06"}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(timex, [str(f)])
    assert res.exit_code == 0
    assert lines_of(res.output)[0]["timexes"][0]["value"] == "2024-10"
    res = CliRunner().invoke(timex, [str(tmp_path / "missing.jsonl")])
    assert res.exit_code == 2


def test_streams_each_line_as_it_arrives():
    """Through the real entry point: the answer to a line comes before the next line is sent."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "movemap.cli", "timex", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        answers = []
        for i, text in enumerate(["yesterday", "tomorrow"]):
            proc.stdin.write(json.dumps({"doc_id": i, "text": text, "published": "2024-10-18"}) + "\n")
            proc.stdin.flush()
            answers.append(json.loads(proc.stdout.readline()))
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [a["timexes"][0]["value"] for a in answers] == ["2024-10-17", "2024-10-19"]


def test_help_and_light_imports():
    res = subprocess.run([sys.executable, "-c", "import sys, movemap.cli_timex; "
                          "print(sorted(m for m in ('dateparser', 'geopandas', 'folium', 'pandas') if m in sys.modules))"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert res.stdout.strip() == "[]"
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "timex", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and "TIMEX3" in res.stdout
    assert time.perf_counter() - t0 < 10
