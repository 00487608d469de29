"""The restorer's persisted counts give DiacriticRestorer's exact output (issue 12).

Texts: the bundled An Giang plan and the project's synthetic fixtures (parsed as ingest does),
the service's question phrases, and random sentences made up here from a pool of syllables.
Queries: every evaluation question, folded (no marks), as typed, and in capitals.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tracuu.api.service import QUESTION_PHRASES
from tracuu.index.catalog.restorer_counts import MIGRATIONS, RestorerCounts
from tracuu.index.query.restore import DiacriticRestorer
from tracuu.ingest.vntext import fold

from catalog_testdb import apply_migrations, open_test_db

ROOT = Path(__file__).resolve().parent.parent
AN_GIANG = ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt"
TABLES = ("restorer_uni", "restorer_ngram", "restorer_ctx", "restorer_agg", "restorer_extra")

POOL = ("báo cáo tình hình thực hiện chỉ thị ngân hàng chính sách xã hội vốn vay hộ nghèo tỷ lệ tỉ "
        "nợ quá hạn hằng năm hàng năm ủy ban nhân dân tỉnh sở tài chính phối hợp chủ trì hoà hòa "
        "kiểm tra giám sát 39-CT/TW 12 , . ; UBND Chi nhánh").split()


def _db(tmp_path: Path, name: str = "r.sqlite"):
    db = open_test_db(tmp_path / name)
    apply_migrations(db, MIGRATIONS)
    return db


def _doc_texts(path: Path) -> list[str]:
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document

    doc = parse_document(load(path), doc_id="t", file_name=path.name, content_hash="0" * 64)
    return [c.text for c in doc.clauses]


def _questions() -> list[str]:
    out = []
    for f in [ROOT / "tests/eval/dev_set.jsonl", *sorted((ROOT / "tests/realdocs").glob("questions.*.jsonl"))]:
        out += [json.loads(line)["question"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _dump(db) -> list:
    return [db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES]


def _sentence(rnd: random.Random, lo: int = 1, hi: int = 25) -> str:
    return " ".join(rnd.choice(POOL) for _ in range(rnd.randint(lo, hi)))


def _same_restore(db, texts: list[str], queries: list[str]) -> int:
    ref = DiacriticRestorer.from_texts(texts + QUESTION_PHRASES)
    ours = RestorerCounts(db).restorer()
    assert len(ours) == len(ref)
    changed = 0
    for q in queries:
        want = ref.restore(q)
        assert ours.restore(q) == want, q
        changed += want != q
    return changed


def test_migrations_apply_once(tmp_path: Path) -> None:
    db = open_test_db(tmp_path / "m.sqlite")
    assert apply_migrations(db, MIGRATIONS) == [m.name for m in MIGRATIONS]
    assert apply_migrations(db, MIGRATIONS) == []
    assert all(m.name.startswith("restorer_") for m in MIGRATIONS)
    assert RestorerCounts(db).restorer().restore("bao cao") == DiacriticRestorer.from_texts([]).restore("bao cao")


def test_corpus_and_eval_questions_restore_identically(tmp_path: Path) -> None:
    db = _db(tmp_path)
    counts = RestorerCounts(db)
    plan = _doc_texts(AN_GIANG)
    fixtures = [t for name in ("hoa-phong-qd-ke-hoach", "hoa-phong-cong-van")
                for t in _doc_texts(ROOT / "tests/fixtures" / f"{name}.docx")]
    with db.transaction():
        counts.sync_extra(QUESTION_PHRASES)
        counts.add_texts(plan)
        counts.add_texts(fixtures)
    qs = _questions()
    queries = [fold(q) for q in qs] + qs[::3] + [fold(q).upper() for q in qs[::7]] + [fold(q).title() for q in qs[::11]]
    changed = _same_restore(db, plan + fixtures, queries)
    assert changed > len(qs) // 2  # the folded questions really were restored, not passed through
    # a document deleted: its counts go, exactly
    with db.transaction():
        counts.remove_texts(fixtures)
    _same_restore(db, plan, queries[::4])
    fresh = _db(tmp_path, "fresh.sqlite")
    with fresh.transaction():
        RestorerCounts(fresh).add_texts(plan)
        RestorerCounts(fresh).sync_extra(QUESTION_PHRASES)
    assert _dump(db) == _dump(fresh)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_random_adds_and_removes_equal_a_fresh_count(tmp_path_factory, seed: int) -> None:
    rnd = random.Random(seed)
    tmp = tmp_path_factory.mktemp("rc")
    db = _db(tmp)
    counts = RestorerCounts(db)
    docs: dict[int, list[str]] = {}
    with db.transaction():
        counts.sync_extra(QUESTION_PHRASES)
    for _ in range(rnd.randint(1, 8)):
        d = rnd.randrange(4)
        with db.transaction():
            if d in docs:  # replace (or delete) the document: subtract what it added
                counts.remove_texts(docs.pop(d))
            if rnd.random() < 0.8:
                docs[d] = [_sentence(rnd) for _ in range(rnd.randint(0, 6))]
                counts.add_texts(docs[d])
    texts = [t for d in sorted(docs) for t in docs[d]]
    fresh = _db(tmp, "fresh.sqlite")
    with fresh.transaction():
        RestorerCounts(fresh).add_texts(texts)
        RestorerCounts(fresh).sync_extra(QUESTION_PHRASES)
    assert _dump(db) == _dump(fresh)
    queries = [fold(_sentence(rnd, 1, 8)) for _ in range(8)] + [_sentence(rnd, 1, 5) for _ in range(2)]
    _same_restore(db, texts, queries)


def test_failed_transaction_leaves_tables_unchanged(tmp_path: Path) -> None:
    db = _db(tmp_path)
    counts = RestorerCounts(db)
    rnd = random.Random(4)
    first = [_sentence(rnd) for _ in range(20)]
    with db.transaction():
        counts.add_texts(first)
    before = _dump(db)
    with pytest.raises(RuntimeError):
        with db.transaction():
            counts.remove_texts(first[:10])
            counts.add_texts([_sentence(rnd) for _ in range(10)])
            raise RuntimeError("ingest failed half-way")
    assert _dump(db) == before
    with pytest.raises(ValueError):  # subtracting text never counted is refused, and rolls back
        with db.transaction():
            counts.remove_texts(["Đây là câu chưa từng được đếm xyzzy"])
    assert _dump(db) == before


def test_sync_extra_replaces_the_fixed_phrases(tmp_path: Path) -> None:
    db = _db(tmp_path)
    counts = RestorerCounts(db)
    with db.transaction():
        assert counts.sync_extra(["báo cáo hằng năm", "ai chủ trì"])
        assert not counts.sync_extra(["báo cáo hằng năm", "ai chủ trì"])
        assert counts.sync_extra(["ai phối hợp"])
    fresh = _db(tmp_path, "fresh.sqlite")
    with fresh.transaction():
        RestorerCounts(fresh).sync_extra(["ai phối hợp"])
    assert _dump(db) == _dump(fresh)
