"""Do the catalog's keyword index and restorer counts give today's results on the real corpus?

    python bench/catalog_equivalence.py [--data-dir DIR] [--out FILE]

Clauses: with ``--data-dir``, the stored documents of a knowledge base (``DIR/documents/*.json``,
read only; e.g. a copy of /work/kb/base); without it, the bundled plan, the Bình Sơn fixture
and the 40 real documents of ``../shared`` parsed here as ingest parses them (the command says
so and stops when ../shared is absent). Nothing of them is written anywhere but a temporary
SQLite file.

Compared, for every question of tests/eval/dev_set.jsonl and tests/realdocs/questions.*.jsonl,
as asked and as the service sends it to BM25 (``understand(...).search_texts.keyword``):

- ``FtsKeywordIndex.search`` against ``BM25Index.search`` (k 10 and 50, and k 10 restricted to
  one document): same ids in the same order, scores within 1e-9;
- ``RestorerCounts(...).restorer().restore`` against
  ``DiacriticRestorer.from_texts(clause texts + QUESTION_PHRASES).restore`` on each question as
  typed and folded: identical strings.

Prints (and writes with --out) the counts of comparisons, mismatches, and the median latency of
each side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tracuu.api.service import QUESTION_PHRASES  # noqa: E402
from tracuu.index.catalog import keyword_fts, restorer_counts  # noqa: E402
from tracuu.index.keyword import BM25Index  # noqa: E402
from tracuu.index.query import DiacriticRestorer, understand  # noqa: E402
from tracuu.ingest.vntext import fold  # noqa: E402

from bench.shared_dir import SHARED  # noqa: E402
from catalog_testdb import apply_migrations, open_test_db  # noqa: E402


def stored_clauses(data_dir: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for f in sorted((data_dir / "documents").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        out.append((d["doc_id"], [(c["clause_id"], c["text"]) for c in d["clauses"]]))
    return out


def parsed_clauses() -> list[tuple[str, list[tuple[str, str]]]]:
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document

    files = [ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt",
             SHARED / "fixtures" / "binh-son-214-KH-UBND.docx", *sorted((SHARED / "realdocs" / "docs").glob("*.txt"))]
    missing = [f for f in files if not f.exists()]
    if missing or len(files) < 42:
        sys.exit(f"../shared absent or incomplete (missing {missing[:3]}); pass --data-dir instead")
    out = []
    for i, f in enumerate(files):
        doc = parse_document(load(f), doc_id=f"{i:03d}-{f.stem}", file_name=f.name, content_hash="0" * 64)
        out.append((doc.doc_id, [(c.clause_id, c.text) for c in doc.clauses]))
    return out


def questions() -> list[str]:
    out = []
    for f in [ROOT / "tests/eval/dev_set.jsonl", *sorted((ROOT / "tests/realdocs").glob("questions.*.jsonl"))]:
        out += [json.loads(line)["question"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    docs = stored_clauses(args.data_dir) if args.data_dir else parsed_clauses()
    texts = [t for _, cs in docs for _, t in cs]
    report: dict = {"documents": len(docs), "clauses": len(texts)}

    with tempfile.TemporaryDirectory() as tmp:
        db = open_test_db(Path(tmp) / "catalog.sqlite")
        apply_migrations(db, keyword_fts.MIGRATIONS + restorer_counts.MIGRATIONS)
        fts = keyword_fts.FtsKeywordIndex(db)
        counts = restorer_counts.RestorerCounts(db)
        t = time.perf_counter()
        with db.transaction():
            counts.sync_extra(QUESTION_PHRASES)
        for doc_id, cs in docs:
            with db.transaction():
                fts.add_many([(cid, doc_id, text) for cid, text in cs])
                counts.add_texts([text for _, text in cs])
        report["catalog_build_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        ref = BM25Index()
        ref.add_many((cid, text) for _, cs in docs for cid, text in cs)
        restorer = DiacriticRestorer.from_texts(texts + QUESTION_PHRASES)
        report["memory_build_s"] = round(time.perf_counter() - t, 2)
        ours = counts.restorer()
        by_doc = {d: {c for c, _ in cs} for d, cs in docs}

        qs = questions()
        r_mis, r_n, r_t_ref, r_t_ours = [], 0, [], []
        for q in qs:
            for text in (q, fold(q)):
                t0 = time.perf_counter()
                want = restorer.restore(text)
                t1 = time.perf_counter()
                got = ours.restore(text)
                t2 = time.perf_counter()
                r_t_ref.append(t1 - t0)
                r_t_ours.append(t2 - t1)
                r_n += 1
                if got != want:
                    r_mis.append({"query": text, "memory": want, "catalog": got})
        k_mis, k_n, k_t_ref, k_t_ours = [], 0, [], []
        first_doc = docs[0][0]
        for q in qs:
            readings = [q, *understand(q, restorer).search_texts.keyword]
            for text in dict.fromkeys(readings):
                for k, doc in ((10, None), (50, None), (10, first_doc)):
                    t0 = time.perf_counter()
                    want = ref.search(text, k, None if doc is None else by_doc[doc])
                    t1 = time.perf_counter()
                    got = fts.search(text, k, None if doc is None else [doc])
                    t2 = time.perf_counter()
                    k_t_ref.append(t1 - t0)
                    k_t_ours.append(t2 - t1)
                    k_n += 1
                    same = [c for c, _ in got] == [c for c, _ in want] and all(
                        abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(got, want))
                    if not same:
                        k_mis.append({"query": text, "k": k, "doc": doc, "memory": want[:5], "catalog": got[:5]})
        med = lambda xs: round(1000 * statistics.median(xs), 3)  # noqa: E731
        report["restore"] = {"compared": r_n, "mismatches": len(r_mis), "examples": r_mis[:5],
                             "memory_median_ms": med(r_t_ref), "catalog_median_ms": med(r_t_ours)}
        report["keyword"] = {"compared": k_n, "mismatches": len(k_mis), "examples": k_mis[:5],
                             "memory_median_ms": med(k_t_ref), "catalog_median_ms": med(k_t_ours)}
        db.close()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if report["restore"]["mismatches"] or report["keyword"]["mismatches"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
