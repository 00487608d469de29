"""The questions written for the abstention tally (tests/realdocs/h11-refuse.questions.{tune,check}.jsonl) are
well formed, their parts are the seeded split by document, and every anchor is in its document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.abstain_tally import REFUSE, refuse_part_of
from bench.shared_dir import SHARED

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = SHARED / "realdocs" / "docs"  # TRACUU_SHARED_DIR when set, as the bench reads it
TAGS = {"owner", "deadline", "figure", "content", "structural", "document", "agency_tasks", "unaccented",
        "abbreviation", "paraphrase", "unanswerable"}
HELD_OUT = {"008", "009", "012", "013", "018", "023", "025", "029", "030", "032", "034", "035"}


def _rows(part: str) -> list[dict]:
    return [json.loads(line) for line in REFUSE[part].read_text(encoding="utf-8").splitlines() if line.strip()]


def _doc_of(row: dict) -> str:
    """The document a question is about, or the one an unanswerable question is a near miss of."""
    return row["doc"] or re.search(r"near miss of (\S+)", row["note"]).group(1)


def test_rows_have_the_shape_of_the_other_question_sets():
    ids = []
    for part in REFUSE:
        for r in _rows(part):
            ids.append(r["id"])
            assert set(r["tags"]) <= TAGS and r["id"].startswith("q-r-"), r["id"]
            assert _doc_of(r)[:3] not in HELD_OUT, r["id"]  # no held-out document is asked about
            if r["answerable"]:
                assert r["anchors"] and all(0 < len(a) <= 80 for a in r["anchors"]), r["id"]
            else:
                assert r["doc"] is None and r["anchors"] == [] and "unanswerable" in r["tags"], r["id"]
    assert len(ids) == len(set(ids)) >= 30


def test_parts_are_the_seeded_split_by_document():
    for part in REFUSE:
        assert all(refuse_part_of(_doc_of(r)) == part for r in _rows(part))
    assert refuse_part_of("040-qd798-ttg-kien-toan-bcd-tien-luong.txt") == "tune"
    assert refuse_part_of("017-kh624-hatinh-giao-duc-mam-non.txt") == "check"


def test_anchors_are_in_their_documents():
    if not REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is absent: anchors cannot be checked against the documents")
    for part in REFUSE:
        for r in _rows(part):
            if not r["answerable"]:
                continue
            text = " ".join((REALDOCS / r["doc"]).read_text(encoding="utf-8").split())
            assert all(" ".join(a.split()) in text for a in r["anchors"]), r["id"]
