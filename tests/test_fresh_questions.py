"""The fresh question set (tests/realdocs/fresh/h11-fresh.questions*.jsonl) is well formed and its
two parts are the seeded split of the whole, by document.

The documents themselves lie outside the project (tests/realdocs/fresh/README.md), so anchors are
checked for form here and against the text by bench/fresh_ask.py's run on a knowledge base."""

from __future__ import annotations

import json
from collections import Counter

from bench.fresh_ask import ALL, PARTS, fresh_part_of

TAGS = {"owner", "deadline", "figure", "content", "structural", "document", "agency_tasks", "unaccented",
        "abbreviation", "paraphrase", "unanswerable"}


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_fresh_set_has_the_promised_shape():
    rows = _rows(ALL)
    assert 160 <= len(rows) <= 200
    assert len({r["id"] for r in rows}) == len(rows) and all(r["id"].startswith("q-f-") for r in rows)
    unanswerable = [r for r in rows if not r["answerable"]]
    assert len(unanswerable) >= 45
    for r in rows:
        assert set(r["tags"]) <= TAGS, r["id"]
        if r["answerable"]:
            assert r["doc"] and r["anchors"] and "unanswerable" not in r["tags"], r["id"]
            assert all(0 < len(a) <= 80 for a in r["anchors"]), r["id"]
        else:
            assert r["doc"] is None and r["anchors"] == [] and "unanswerable" in r["tags"], r["id"]
            assert r["note"], r["id"]  # says what was searched


def test_unaccented_twins_point_at_an_accented_question_of_the_same_document():
    rows = {r["id"]: r for r in _rows(ALL)}
    twins = [r for r in rows.values() if r["note"].startswith("unaccented twin of ")]
    assert len(twins) >= 10
    for t in twins:
        src = rows[t["note"].split()[-1]]
        assert (src["doc"], src["anchors"]) == (t["doc"], t["anchors"])
        assert t["question"].isascii() and not src["question"].isascii()


def test_the_two_parts_are_the_seeded_split_by_document():
    rows = _rows(ALL)
    parts = {name: _rows(path) for name, path in PARTS.items()}
    assert sorted(r["id"] for p in parts.values() for r in p) == sorted(r["id"] for r in rows)
    for name, part in parts.items():
        assert all(fresh_part_of(r) == name for r in part)
    docs = {name: {r["doc"] for r in part if r["doc"]} for name, part in parts.items()}
    assert not docs["tune"] & docs["check"]  # no document in both parts
    counts = Counter(fresh_part_of(r) for r in rows if not r["answerable"])
    assert counts["tune"] >= 15 and counts["check"] >= 15
