"""Keyword index on PostgreSQL (index/catalog/keyword_pg.py): add cost and search latency, 1k vs 100k clauses.

    python bench/keyword_pg.py [--clauses 1000,100000] [--url postgresql://... [--reuse]] [--queries 40]

Why: the postings-table design must keep a rare-term query's cost independent of the corpus (it
reads only its own terms' postings), and a document's add (postings, df upserts, totals) cheap
enough for ingest. Measured on SYNTHETIC plans (bench/synthetic_corpus.py; every file says it is
test material), one "clause" per non-empty line, 100 clauses a document.

Without ``--url`` a private throwaway PostgreSQL is started (tests/servers.py, durability off as in
the tests: absolute numbers are lower than on a server that fsyncs; the 1k/100k ratio is the point).
For each size: the table is filled document by document (one transaction each, as ingest does);
then 10 more documents are added and removed (per-document cost at that size); then search p50/p95
for rare-term queries (a number and a place only a few clauses hold), common-term queries (words in
most clauses) and the evaluation set's questions: "cold" (the process holds no postings, as after
any worker's write: the query's postings are read from PostgreSQL) and "warm" (held: numpy only). Every search result is checked against the
in-memory BM25Index on the same clauses (a mismatch stops the run). Nothing is asserted about
time; it prints a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracuu.index.keyword import BM25Index  # noqa: E402

from bench.synthetic_corpus import make_plan  # noqa: E402

PER_DOC = 100
RARE = ["Lạc Sơn Mẫu 2031", "mã số 48217", "Phú Khảo quý IV/2029", "Tân Nghiệm 1.775"]
COMMON = ["tổ chức thực hiện", "Sở Tài chính", "báo cáo kết quả", "triển khai nhiệm vụ hằng năm"]


def clauses(doc_index: int) -> list[tuple[str, str, str]]:
    _, text = make_plan(doc_index, PER_DOC)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return [(f"syn{doc_index}:{j:04d}", f"syn{doc_index}", ln) for j, ln in enumerate(lines)]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clauses", default="1000,100000")
    ap.add_argument("--url", help="an existing PostgreSQL server's admin URL (a database per size is made on it)")
    ap.add_argument("--queries", type=int, default=40, help="evaluation questions to time")
    ap.add_argument("--reuse", action="store_true",
                    help="with --url: keep each size's database after the run and reuse a filled one next time")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.clauses.split(",")]

    from tracuu.index.catalog.keyword_pg import MIGRATIONS, PgKeywordIndex
    from tracuu.index.catalog.migrations import migrate
    from tracuu.index.catalog.pg import open_db

    from tests.servers import create_database, drop_database, postgres_server

    evalq = [json.loads(line)["question"] for line in
             (ROOT / "tests" / "eval" / "dev_set.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    evalq = evalq[: args.queries]
    rows_out = []
    with ExitStack() as stack:
        admin = args.url or stack.enter_context(postgres_server())
        for size in sizes:
            name = f"bench_kw_{size}"
            reuse = args.reuse and args.url
            db = open_db(admin.rsplit("/", 1)[0] + f"/{name}") if reuse else None
            try:
                filled = db is not None and db.execute("SELECT n FROM kw_pg_totals").fetchone()[0] > 0
            except Exception:  # no such database (or table) yet
                filled = False
            if not filled:
                drop_database(admin, name)
                db = open_db(create_database(admin, name))
                migrate(db, MIGRATIONS)
            kw = PgKeywordIndex(db)
            ref = BM25Index()
            docs = max(1, size // PER_DOC)
            t0 = time.perf_counter()
            n_clauses = 0
            for i in range(1, docs + 1):
                rows = clauses(i)
                if not filled:
                    with db.transaction():
                        kw.add_many(rows)
                ref.add_many((c, t) for c, _, t in rows)
                n_clauses += len(rows)
            fill_s = time.perf_counter() - t0 if not filled else float("nan")
            db.execute("VACUUM ANALYZE")  # as autovacuum leaves a table at rest: index-only scans

            add_ms, remove_ms = [], []
            for i in range(docs + 1, docs + 11):
                rows = clauses(i)
                t = time.perf_counter()
                with db.transaction():
                    kw.add_many(rows)
                add_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                with db.transaction():
                    kw.remove_doc(f"syn{i}")
                remove_ms.append((time.perf_counter() - t) * 1000)

            for label, queries in (("rare", RARE), ("common", COMMON), ("eval", evalq)):
                cold, warm = [], []
                for q in queries:
                    kw._reset(None)  # as after another worker's write: this query's postings are read
                    t = time.perf_counter()
                    got = kw.search(q, 10)
                    cold.append((time.perf_counter() - t) * 1000)
                    if got != ref.search(q, 10):
                        raise SystemExit(f"MISMATCH with BM25Index at {size}: {q!r}")
                    for _ in range(2):
                        t = time.perf_counter()
                        kw.search(q, 10)
                        warm.append((time.perf_counter() - t) * 1000)
                rows_out.append((n_clauses, label, len(queries), pct(cold, 50), pct(cold, 95), pct(warm, 50), pct(warm, 95)))
            postings = db.execute("SELECT count(*) FROM kw_pg_postings").fetchone()[0]
            size_mb = db.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
            fill = "reused" if filled else f"fill {fill_s:.1f}s ({fill_s / docs * 1000:.0f} ms/doc)"
            print(f"{n_clauses:>7} clauses ({docs} docs): {fill}, "
                  f"add doc p50 {statistics.median(add_ms):.0f} ms, remove doc p50 {statistics.median(remove_ms):.0f} ms, "
                  f"{postings} postings, database {size_mb:.0f} MiB", flush=True)
            db.close()
            if args.url and not args.reuse:
                drop_database(admin, name)
    print()
    print(f"{'clauses':>8} {'queries':<7} {'n':>3} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9}  (ms)")
    for n, label, count, c50, c95, w50, w95 in rows_out:
        print(f"{n:>8} {label:<7} {count:>3} {c50:>9.2f} {c95:>9.2f} {w50:>9.2f} {w95:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
