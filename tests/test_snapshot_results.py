"""bench/snapshot_results.py: a snapshot records what search and ask return, and --compare
finds every kind of difference (and none between two snapshots of the same knowledge base)."""

from __future__ import annotations

import json

import pytest

from bench import snapshot_results as snap
from conftest import hash_kb


def _snapshot(results: dict) -> dict:
    return {"meta": {"documents": 1}, "results": results}


BASE = {
    "dev:q1": {"question": "a", "search": [["d:1", 0.9], ["d:2", 0.5]],
               "ask": {"found": True, "citations": ["d:1"], "owners": [{"agency": "Sở Tài chính"}], "deadline": None}},
    "tune:q2": {"question": "b", "search": {"error": "empty_query"}, "ask": {"error": "empty_query"}},
}


def _changed(qid: str, **fields) -> dict:
    results = json.loads(json.dumps(BASE))
    for key, value in fields.items():
        if key == "search":
            results[qid]["search"] = value
        else:
            results[qid]["ask"][key] = value
    return _snapshot(results)


def test_identical_snapshots_have_no_difference():
    assert snap.compare(_snapshot(BASE), _snapshot(json.loads(json.dumps(BASE)))) == []


@pytest.mark.parametrize("change, expect", [
    ({"search": [["d:2", 0.9], ["d:1", 0.5]]}, "hits differ from rank 1"),
    ({"search": [["d:1", 0.9]]}, "2 vs 1 hits"),
    ({"search": [["d:1", 0.9], ["d:2", 0.51]]}, "rank 2 d:2: score 0.5 != 0.51"),
    ({"found": False}, "ask.found"),
    ({"citations": ["d:2"]}, "ask.citations"),
    ({"owners": []}, "ask.owners"),
    ({"deadline": {"text": "Quý I"}}, "ask.deadline"),
])
def test_each_kind_of_difference_is_reported(change, expect):
    diffs = snap.compare(_snapshot(BASE), _changed("dev:q1", **change))
    assert len(diffs) == 1 and diffs[0].startswith("dev:q1: ") and expect in diffs[0], diffs


def test_score_rounding_is_within_the_default_tolerance_only():
    nudged = _changed("dev:q1", search=[["d:1", 0.900001], ["d:2", 0.5]])
    assert snap.compare(_snapshot(BASE), nudged) == []
    assert snap.compare(_snapshot(BASE), nudged, tol=0) == ["dev:q1: search: rank 1 d:1: score 0.9 != 0.900001"]


def test_a_question_on_one_side_only_and_an_error_change_are_reported():
    other = json.loads(json.dumps(BASE))
    del other["dev:q1"]
    other["tune:q2"]["search"] = [["d:1", 1.0]]
    diffs = snap.compare(_snapshot(BASE), _snapshot(other))
    assert diffs[0] == "dev:q1: only in A"
    assert diffs[1].startswith("tune:q2: search: {'error': 'empty_query'} != [['d:1', 1.0]]")


def test_snapshot_of_a_knowledge_base_and_compare_exit_codes(tmp_path, monkeypatch, capsys):
    """End to end on the hash embedder with three questions (one the service refuses)."""
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"id": i, "question": q}, ensure_ascii=False) for i, q in [
        ("q1", "Tỷ lệ nợ quá hạn phải dưới bao nhiêu?"),
        ("q2", "Ai chủ trì rà soát danh sách hộ nghèo?"),
        ("q3", "?" * 5000),
    ]), encoding="utf-8")
    monkeypatch.setattr(snap, "SETS", {"dev": questions, "none": tmp_path / "absent.jsonl"})
    monkeypatch.setenv("TRACUU_EMBED_MODEL", "hash")
    monkeypatch.setenv("TRACUU_CHROMA_URL", "")
    data = tmp_path / "kb"
    assert all(r.status == "ok" for r in hash_kb(data).ingest(None))

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert snap.main(["--data-dir", str(data), "--out", str(a)]) == 0
    assert snap.main(["--data-dir", str(data), "--out", str(b)]) == 0
    got = json.loads(a.read_text(encoding="utf-8"))
    assert list(got["results"]) == ["dev:q1", "dev:q2", "dev:q3"]
    q1 = got["results"]["dev:q1"]
    assert 0 < len(q1["search"]) <= 10 and all(cid.startswith("kh-an-giang") for cid, _ in q1["search"])
    assert [s for _, s in q1["search"]] == sorted((s for _, s in q1["search"]), reverse=True)
    assert set(q1["ask"]) == {"found", "citations", "owners", "deadline"}
    assert q1["ask"]["found"] == bool(q1["ask"]["citations"])
    assert "error" in got["results"]["dev:q3"]["search"]
    assert got["meta"]["documents"] == 1 and got["meta"]["questions"] == 3

    capsys.readouterr()
    assert snap.main(["--compare", str(a), str(b)]) == 0
    assert "identical: 3 question(s)" in capsys.readouterr().out
    changed = json.loads(b.read_text(encoding="utf-8"))
    changed["results"]["dev:q1"]["search"].reverse()
    b.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert snap.main(["--compare", str(a), str(b)]) == 1
    assert "dev:q1: search: hits differ from rank 1" in capsys.readouterr().out
