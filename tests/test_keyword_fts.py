"""The FTS5 keyword index gives BM25Index's exact results (issue 12).

Texts: the bundled An Giang plan (parsed, as ingest does), the project's synthetic fixtures, and
random sentences drawn from a small pool of Vietnamese syllables (made up here). The pools are
deliberately small so that most terms are common: that is where FTS5's own bm25() ranks
differently from ours and the exactness bound has to deepen the pool.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tracuu.index.catalog.keyword_fts import MIGRATIONS, FtsKeywordIndex, _bound
from tracuu.index.keyword import BM25Index

from catalog_testdb import apply_migrations, open_test_db

ROOT = Path(__file__).resolve().parent.parent
AN_GIANG = ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt"

SYLLABLES = ("báo cáo tình hình thực hiện chỉ thị ngân hàng chính sách xã hội vốn vay hộ nghèo "
             "tỷ lệ nợ quá hạn hằng năm hàng năm ủy ban nhân dân tỉnh sở tài chính phối hợp chủ trì "
             "kiểm tra giám sát 39 ct tw qđ ttg").split()


def _db(tmp_path: Path, name: str = "kw.sqlite"):
    db = open_test_db(tmp_path / name)
    apply_migrations(db, MIGRATIONS)
    return db


def _sentence(rnd: random.Random, lo: int = 1, hi: int = 30) -> str:
    return " ".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(lo, hi)))


def _parsed_clauses(path: Path, doc_id: str) -> list[tuple[str, str, str]]:
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document

    doc = parse_document(load(path), doc_id=doc_id, file_name=path.name, content_hash="0" * 64)
    return [(c.clause_id, doc.doc_id, c.text) for c in doc.clauses]


def _plan_clauses() -> list[tuple[str, str, str]]:
    return _parsed_clauses(AN_GIANG, "kh-an-giang-ct-39")


def _questions() -> list[str]:
    import json

    out = []
    for f in [ROOT / "tests/eval/dev_set.jsonl", *sorted((ROOT / "tests/realdocs").glob("questions.*.jsonl"))]:
        out += [json.loads(line)["question"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


class Pair:
    """The reference BM25Index and the FTS5 index, fed the same changes."""

    def __init__(self, db) -> None:
        self.ref = BM25Index()
        self.fts = FtsKeywordIndex(db)
        self.db = db
        self.docs: dict[str, list[str]] = {}

    def put_doc(self, doc_id: str, clauses: list[tuple[str, str]]) -> None:
        """Add or replace a whole document, as the catalog writer does."""
        self.remove_doc(doc_id)
        with self.db.transaction():
            self.fts.remove_doc(doc_id)
            self.fts.add_many([(cid, doc_id, text) for cid, text in clauses])
        for cid, text in clauses:
            self.ref.add(cid, text)
        self.docs[doc_id] = [cid for cid, _ in clauses]

    def remove_doc(self, doc_id: str) -> None:
        with self.db.transaction():
            self.fts.remove_doc(doc_id)
        self.ref.remove_many(self.docs.pop(doc_id, []))

    def check(self, queries: list[str], ks=(1, 5, 20), doc_sets=(None,)) -> int:
        compared = 0
        assert len(self.fts) == len(self.ref)
        for q in queries:
            for k in ks:
                for docs in doc_sets:
                    allowed = None if docs is None else {c for d in docs for c in self.docs.get(d, [])}
                    want = self.ref.search(q, k, allowed)
                    got = self.fts.search(q, k, docs)
                    assert [c for c, _ in got] == [c for c, _ in want], (q, k, docs)
                    for (_, s1), (_, s2) in zip(got, want):
                        assert s1 == pytest.approx(s2, rel=1e-9, abs=1e-9)
                    compared += 1
            ids = [c for cs in self.docs.values() for c in cs][::3] + ["nope:1"]
            got_ids = self.fts.score_ids(q, ids)
            want_ids = self.ref.score_ids(q, ids)
            assert got_ids.keys() == want_ids.keys()
            for c in want_ids:
                assert got_ids[c] == pytest.approx(want_ids[c], rel=1e-9, abs=1e-12)
        for term in ["ngan", "ngan_hang", "xyzzy", "bao_cao"]:
            assert self.fts.idf(term) == pytest.approx(self.ref.idf(term), rel=1e-12)
        return compared


def test_migrations_apply_once(tmp_path: Path) -> None:
    db = open_test_db(tmp_path / "m.sqlite")
    assert apply_migrations(db, MIGRATIONS) == [m.name for m in MIGRATIONS]
    assert apply_migrations(db, MIGRATIONS) == []
    assert all(m.name.startswith("kw_") for m in MIGRATIONS)
    assert len(FtsKeywordIndex(db)) == 0
    assert FtsKeywordIndex(db).search("ngân hàng", 5) == []


def test_bundled_plan_and_questions_match_bm25index(tmp_path: Path) -> None:
    db = _db(tmp_path)
    pair = Pair(db)
    plan = _plan_clauses()
    assert len(plan) > 30
    pair.put_doc("kh-an-giang-ct-39", [(c, t) for c, _, t in plan])
    for name in ("hoa-phong-qd-ke-hoach", "hoa-phong-cong-van"):  # the project's synthetic fixtures
        pair.put_doc(name, [(c, t) for c, _, t in _parsed_clauses(ROOT / "tests/fixtures" / f"{name}.docx", name)])
    assert len(pair.ref) > 60
    rnd = random.Random(5)
    for i in range(3):  # a few synthetic documents around it, so doc filters mean something
        pair.put_doc(f"synthetic-{i}", [(f"synthetic-{i}:{j}", _sentence(rnd)) for j in range(40)])
    questions = _questions()
    assert len(questions) > 50
    n = pair.check(questions, ks=(10,)) + pair.check(questions[::3], ks=(1, 50))
    assert n == len(questions) + 2 * len(questions[::3])
    pair.fts.postings_budget = 50  # FTS5 starts from the rarest terms only
    pair.check(questions[::5], ks=(1, 10), doc_sets=(None, ["kh-an-giang-ct-39"], ["synthetic-1", "synthetic-2"]))
    # replace the plan by its second half, then remove a synthetic document: still identical
    pair.put_doc("kh-an-giang-ct-39", [(c, t) for c, _, t in plan[len(plan) // 2 :]])
    pair.remove_doc("synthetic-0")
    pair.check(questions[::4], ks=(5, 50))


@settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), n_docs=st.integers(1, 6), depth=st.sampled_from([1, 3, 400]),
       budget=st.sampled_from([1, 40, 20_000]))
def test_random_corpora_with_replaces_and_removes(tmp_path_factory, seed: int, n_docs: int, depth: int,
                                                  budget: int) -> None:
    rnd = random.Random(seed)
    db = _db(tmp_path_factory.mktemp("kwr"))
    pair = Pair(db)
    pair.fts.depth_min = pair.fts.rescore_min = depth  # shallow pools force the bound and the deepening to work
    pair.fts.postings_budget = budget  # a small one: FTS5 first matches only the rarest term(s)
    for d in range(n_docs):
        pair.put_doc(f"d{d}", [(f"d{d}:{j}", _sentence(rnd)) for j in range(rnd.randint(0, 25))])
    queries = [_sentence(rnd, 1, 6) for _ in range(6)] + ["", "xyzzy", "39-CT/TW"]
    pair.check(queries, ks=(1, 3, 10), doc_sets=(None, ["d0"], ["d0", "nope"], []))
    for _ in range(3):
        d = f"d{rnd.randrange(n_docs + 1)}"
        if rnd.random() < 0.3:
            pair.remove_doc(d)
        else:
            pair.put_doc(d, [(f"{d}:{j}", _sentence(rnd)) for j in range(rnd.randint(1, 25))])
        pair.check(queries, ks=(1, 10), doc_sets=(None, [d]))


def test_fts5_rank_is_bm25_with_its_own_idf(tmp_path: Path) -> None:
    """The bound relies on FTS5 seeing our tokens, lengths and average length exactly."""
    import math

    db = _db(tmp_path)
    fts = FtsKeywordIndex(db)
    rnd = random.Random(1)
    texts = {f"x:{i}": _sentence(rnd) for i in range(60)}
    with db.transaction():
        fts.add_many([(c, "x", t) for c, t in texts.items()])
    ref = BM25Index()
    ref.add_many(texts.items())
    n = len(texts)
    total = sum(ref._len.values())
    for q in ["ngân hàng", "báo cáo tình hình", "tỷ"]:
        terms = list(dict.fromkeys(fts._query_terms(q)))
        match = " OR ".join(f'"{t}"' for t in terms if t in ref._postings)
        for rowid, rank in fts._fts_pool(match, 1000, None):
            cid, toks = db.execute("SELECT clause_id, tokens FROM kw_clause WHERE id = ?", (rowid,)).fetchone()
            toks = toks.split()
            want = 0.0
            for t in terms:
                tf = toks.count(t)
                if tf:
                    df = len(ref._postings[t])
                    idf = max(math.log((n - df + 0.5) / (df + 0.5)), 0.0) or 1e-6
                    want += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(toks) / (total / n)))
            assert -rank == pytest.approx(want, rel=1e-9, abs=1e-12), (q, cid)


def test_bound_is_a_bound() -> None:
    rnd = random.Random(2)
    for _ in range(2000):
        terms = [(rnd.uniform(0, 3), rnd.choice([1e-6, rnd.uniform(1e-6, 3)])) for _ in range(rnd.randint(1, 5))]
        terms = [(a, min(a, c) if rnd.random() < 0.8 else c) for a, c in terms]
        g = [rnd.uniform(0, 2.2) for _ in terms]
        fts_score = sum(c * x for (_, c), x in zip(terms, g))
        exact = sum(a * x for (a, _), x in zip(terms, g))
        assert exact <= _bound(fts_score, terms) + 1e-9


def test_failed_transaction_leaves_tables_unchanged(tmp_path: Path) -> None:
    db = _db(tmp_path)
    fts = FtsKeywordIndex(db)
    rnd = random.Random(3)
    with db.transaction():
        fts.add_many([(f"a:{i}", "a", _sentence(rnd)) for i in range(30)])

    def dump():
        return [db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("kw_clause", "kw_term", "kw_stat")] + [
            fts.search("báo cáo ngân hàng", 50)
        ]

    before = dump()
    with pytest.raises(RuntimeError):
        with db.transaction():
            fts.remove_doc("a")
            fts.add_many([(f"a:{i}", "a", _sentence(rnd)) for i in range(10)])
            fts.add("b:1", "b", "ngân hàng báo cáo")
            raise RuntimeError("ingest failed half-way")
    assert dump() == before
    db.execute("INSERT INTO kw_fts(kw_fts) VALUES ('integrity-check')")  # FTS5 agrees with its content table


def test_add_replaces_and_remove(tmp_path: Path) -> None:
    db = _db(tmp_path)
    fts = FtsKeywordIndex(db)
    with db.transaction():
        fts.add("a:1", "a", "ngân hàng chính sách")
        fts.add("a:1", "a", "hộ nghèo vay vốn")
        fts.add_many([("a:2", "a", "ngân hàng"), ("a:2", "a", "tỷ lệ nợ")])
    assert len(fts) == 2
    assert fts.search("ngân hàng", 5) == []
    assert [c for c, _ in fts.search("vay vốn", 5)] == ["a:1"]
    assert [c for c, _ in fts.search("ty le", 5)] == ["a:2"]
    with db.transaction():
        assert fts.remove("a:1")
        assert not fts.remove("a:1")
    assert len(fts) == 1 and "a:2" in fts and "a:1" not in fts
    with db.transaction():
        assert fts.remove_doc("a") == 1
    assert len(fts) == 0
    assert db.execute("SELECT COUNT(*) FROM kw_term").fetchone()[0] == 0
    assert dict(db.execute("SELECT name, value FROM kw_stat").fetchall()) == {"clauses": 0, "tokens": 0}


def test_doc_filter_over_many_documents(tmp_path: Path) -> None:
    """More documents than one IN (...) list holds: the per-chunk pools merge into the global one."""
    db = _db(tmp_path)
    pair = Pair(db)
    rnd = random.Random(9)
    with db.transaction():
        for d in range(620):
            text = _sentence(rnd, 1, 8)
            pair.fts.add_many([(f"m{d}:1", f"m{d}", text)])
            pair.ref.add(f"m{d}:1", text)
            pair.docs[f"m{d}"] = [f"m{d}:1"]
    pair.fts.depth_min = pair.fts.rescore_min = 2
    docs = [f"m{d}" for d in range(620) if d % 7]
    pair.check(["ngân hàng báo cáo", "tỷ lệ nợ quá hạn", "39"], ks=(1, 10, 40), doc_sets=(None, docs))
    assert pair.fts.idfs(["ngan", "zzz"]) == {"ngan": pair.ref.idf("ngan"), "zzz": pair.ref.idf("zzz")}


def test_terms_at_fts5s_idf_floor_are_matched_last_and_together(tmp_path: Path) -> None:
    """Terms held by half the clauses or more (FTS5 ranks them at its IDF floor) are left out of
    the first FTS5 match and come in all at once when the rarer terms cannot settle the top k;
    the results stay BM25Index's, copies (equal scores, ties by clause id) included."""
    from tracuu.index.catalog.keyword_fts import _fts_blind

    db = _db(tmp_path)
    pair = Pair(db)
    rnd = random.Random(5)
    common = ["tỷ lệ", "nợ quá", "hạn mức", "vốn vay"]  # each in most clauses
    for d in range(30):
        clauses = []
        for j in range(8):
            words = [w for w in common if rnd.random() < 0.8] + [_sentence(rnd, 0, 4)]
            if rnd.random() < 0.1:
                words.append("thẩm định")  # the one rare term
            clauses.append((f"c{d}:{j}", " ".join(words)))
        pair.put_doc(f"c{d}", clauses)
        if d % 3 == 0:  # re-identified copies: equal scores at the k-th place
            pair.put_doc(f"copy{d}", [(f"copy{d}:{j}", text) for j, (_, text) in enumerate(clauses)])
    n = len(pair.fts)
    dfs = pair.fts._dfs(["ty", "le", "ty_le", "no", "tham", "tham_dinh"])
    assert _fts_blind(n, dfs["ty_le"]) and _fts_blind(n, dfs["no"]) and not _fts_blind(n, dfs["tham_dinh"])
    for depth in (2, 50, 2000):
        pair.fts.depth_min = pair.fts.rescore_min = depth
        pair.check(["thẩm định tỷ lệ nợ quá hạn mức vốn vay", "tỷ lệ nợ quá hạn", "thẩm định hạn mức",
                    "vốn vay thẩm định tỷ lệ"], ks=(1, 5, 20, 60), doc_sets=(None, ["c1", "copy3"]))
