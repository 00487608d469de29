"""The tune questions' split into a tuned and a checked half is fixed and keeps groups together."""

from __future__ import annotations

from bench.ask_split import group_of, part_of


def test_a_documents_questions_and_a_questions_twin_go_to_one_part():
    a = {"id": "q-1", "doc": "010-kh308-hanoi.txt", "question": "…"}
    b = {"id": "q-2", "doc": "010-kh308-hanoi.txt", "question": "…"}
    twin = {"id": "q-p-02", "doc": "plan", "note": "unaccented twin of q-p-01", "question": "…"}
    first = {"id": "q-p-01", "doc": "plan", "question": "…"}
    assert group_of(a) == group_of(b) == "doc:010-kh308-hanoi.txt"
    assert group_of(twin) == group_of(first) == "q:q-p-01"
    assert part_of(a) == part_of(b) and part_of(twin) == part_of(first)
    assert part_of(a) in ("tune", "check") and part_of(a, "other-seed") in ("tune", "check")
