"""Cost of the FTS5 keyword index (index/catalog/keyword_fts.py) at 1k and 100k clauses.

    python bench/keyword_fts.py [--sizes 1000 100000] [--queries 40] [--out bench/results/keyword_fts.json]

Clauses come from the synthetic plans of ``bench/synthetic_corpus.py`` (SYNTHETIC TEST MATERIAL),
parsed as ingest parses them (cached under /tmp so a rerun does not parse 100k clauses again).
Each size gets a fresh SQLite file; documents are added one transaction each (as the catalog
writer does) and the add cost per document is measured on the last documents, when the index is
at full size. Then search latency (k=10, warm, median and p90) for:

- rare: queries made of terms held by at most 3 clauses (the case whose cost must not grow with
  the corpus), drawn from the index's own df table;
- questions: the dev-set and real-document questions (tests/eval, tests/realdocs), which on a
  synthetic corpus made of a few phrase pools hit common terms;
- rare_plus_question: one rare term added to each question;
- the in-memory ``BM25Index`` on the same clauses and queries, for reference.

``pool`` is the FTS5 candidate depth the exactness bound needed (median / max).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tracuu.index.catalog.keyword_fts import MIGRATIONS, FtsKeywordIndex  # noqa: E402
from tracuu.index.keyword import BM25Index  # noqa: E402

from bench.synthetic_corpus import make_plan  # noqa: E402
from catalog_testdb import apply_migrations, open_test_db  # noqa: E402

CLAUSES_PER_DOC = 100


def synthetic_docs(n_clauses: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(doc_id, [(clause_id, text)])] totalling at least ``n_clauses``; cached in /tmp."""
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document

    n_docs = -(-n_clauses // CLAUSES_PER_DOC)
    cache = Path(tempfile.gettempdir()) / f"tracuu-bench-kw-{n_docs}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n_docs):
            name, text = make_plan(i, CLAUSES_PER_DOC)
            path = Path(tmp) / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            doc = parse_document(load(path), doc_id=f"syn-{i}", file_name=path.name, content_hash="0" * 64)
            out.append((doc.doc_id, [(c.clause_id, c.text) for c in doc.clauses]))
    cache.write_bytes(pickle.dumps(out))
    return out


def questions() -> list[str]:
    out = []
    for f in [ROOT / "tests/eval/dev_set.jsonl", *sorted((ROOT / "tests/realdocs").glob("questions.*.jsonl"))]:
        out += [json.loads(line)["question"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def timed(fn, queries: list[str]) -> tuple[list[float], list]:
    times, results = [], []
    for q in queries:
        t = time.perf_counter()
        results.append(fn(q))
        times.append(time.perf_counter() - t)
    return times, results


def ms(times: list[float]) -> dict[str, float]:
    s = sorted(times)
    return {"median_ms": round(1000 * statistics.median(s), 3), "p90_ms": round(1000 * s[int(0.9 * (len(s) - 1))], 3)}


def run(size: int, n_queries: int, seed: int) -> dict:
    docs = synthetic_docs(size)
    n_clauses = sum(len(c) for _, c in docs)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_test_db(Path(tmp) / "kw.sqlite")
        apply_migrations(db, MIGRATIONS)
        fts = FtsKeywordIndex(db)
        add_times = []
        t0 = time.perf_counter()
        for doc_id, clauses in docs:
            t = time.perf_counter()
            with db.transaction():
                fts.remove_doc(doc_id)
                fts.add_many([(cid, doc_id, text) for cid, text in clauses])
            add_times.append(time.perf_counter() - t)
        build_s = time.perf_counter() - t0
        # replace the last document again: the per-document cost at full size
        repl = []
        for doc_id, clauses in docs[-5:]:
            t = time.perf_counter()
            with db.transaction():
                fts.remove_doc(doc_id)
                fts.add_many([(cid, doc_id, text) for cid, text in clauses])
            repl.append(time.perf_counter() - t)
        db_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir())

        ref = BM25Index()
        ref.add_many((cid, text) for _, clauses in docs for cid, text in clauses)

        rnd = random.Random(seed)
        rare_terms = [t for (t,) in db.execute("SELECT term FROM kw_term WHERE df <= 3 AND term NOT LIKE '%\\_%' ESCAPE '\\'")]
        rare = [" ".join(rnd.sample(rare_terms, min(len(rare_terms), rnd.randint(1, 2)))) for _ in range(n_queries)]
        qs = questions()
        qs = rnd.sample(qs, min(n_queries, len(qs)))
        mixed = [f"{rnd.choice(rare_terms)} {q}" for q in qs]
        out = {"clauses": n_clauses, "documents": len(docs), "build_s": round(build_s, 2),
               "add_doc_ms_last10pct": ms(add_times[-max(1, len(add_times) // 10):]),
               "replace_doc_ms_full_size": ms(repl), "db_mib": round(db_bytes / 2**20, 1)}
        for name, queries in (("rare", rare), ("questions", qs), ("rare_plus_question", mixed)):
            timed(lambda q: fts.search(q, 10), queries[:3])  # warm the page cache
            depths = []

            def one(q: str, depths: list[int] = depths) -> list[tuple[str, float]]:
                r = fts.search(q, 10)
                depths.append(fts.last_depth)
                return r

            t_fts, r_fts = timed(one, queries)
            t_ref, r_ref = timed(lambda q: ref.search(q, 10), queries)
            same = all([c for c, _ in a] == [c for c, _ in b] for a, b in zip(r_fts, r_ref))
            out[name] = {"fts": ms(t_fts), "bm25index": ms(t_ref), "pool_median": statistics.median(depths),
                         "pool_max": max(depths), "same_top10_as_bm25index": same, "n": len(queries)}
        db.close()
    return out


def main_over_sizes(run_one, description: str, argv: list[str] | None = None) -> int:
    """The command line of a benchmark that runs ``run_one(size, n_queries, seed)`` at each corpus size:
    prints one JSON line a size as it finishes (a 100 000-clause run takes minutes), ``--out`` keeps all."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    results = {}
    for size in args.sizes:
        results[str(size)] = run_one(size, args.queries, args.seed)
        print(json.dumps({size: results[str(size)]}, ensure_ascii=False), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    return main_over_sizes(run, __doc__.split("\n\n")[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
