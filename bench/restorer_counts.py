"""Cost of the persisted restorer counts (index/catalog/restorer_counts.py) at 1k and 100k clauses.

    python bench/restorer_counts.py [--sizes 1000 100000] [--queries 40] [--out FILE]

Clauses: the synthetic plans of ``bench/synthetic_corpus.py`` (SYNTHETIC TEST MATERIAL), parsed
and cached exactly as ``bench/keyword_fts.py`` does. Documents are counted one transaction each;
the add cost per document is taken on the last tenth, and the replace cost (subtract the old
clauses, add them again) at full size. Restore latency (median, p90) over the evaluation
questions folded (no marks), against ``DiacriticRestorer.from_texts`` in memory, with a check
that both give the same strings.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from keyword_fts import main_over_sizes, ms, questions, synthetic_docs  # noqa: E402
from tracuu.api.service import QUESTION_PHRASES  # noqa: E402
from tracuu.index.catalog.restorer_counts import MIGRATIONS, RestorerCounts  # noqa: E402
from tracuu.index.query import DiacriticRestorer  # noqa: E402
from tracuu.ingest.vntext import fold  # noqa: E402

from catalog_testdb import apply_migrations, open_test_db  # noqa: E402


def run(size: int, n_queries: int, seed: int) -> dict:
    docs = synthetic_docs(size)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_test_db(Path(tmp) / "r.sqlite")
        apply_migrations(db, MIGRATIONS)
        counts = RestorerCounts(db)
        with db.transaction():
            counts.sync_extra(QUESTION_PHRASES)
        add = []
        t0 = time.perf_counter()
        for _, clauses in docs:
            t = time.perf_counter()
            with db.transaction():
                counts.add_texts([text for _, text in clauses])
            add.append(time.perf_counter() - t)
        build_s = time.perf_counter() - t0
        repl = []
        for _, clauses in docs[-5:]:
            t = time.perf_counter()
            with db.transaction():
                counts.remove_texts([text for _, text in clauses])
                counts.add_texts([text for _, text in clauses])
            repl.append(time.perf_counter() - t)
        db_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir())
        t = time.perf_counter()
        ref = DiacriticRestorer.from_texts([text for _, cs in docs for _, text in cs] + QUESTION_PHRASES)
        ref_build_s = time.perf_counter() - t
        qs = [fold(q) for q in random.Random(seed).sample(questions(), n_queries)]
        ours = counts.restorer()
        for q in qs[:3]:
            ours.restore(q)
        t_ours, t_ref, same = [], [], True
        for q in qs:
            t = time.perf_counter()
            a = ours.restore(q)
            t_ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            b = ref.restore(q)
            t_ref.append(time.perf_counter() - t)
            same &= a == b
        db.close()
    return {"clauses": sum(len(c) for _, c in docs), "count_build_s": round(build_s, 2),
            "memory_from_texts_s": round(ref_build_s, 2), "db_mib": round(db_bytes / 2**20, 1),
            "add_doc_ms_last10pct": ms(add[-max(1, len(add) // 10):]), "replace_doc_ms_full_size": ms(repl),
            "restore_catalog": ms(t_ours), "restore_memory": ms(t_ref), "same_output": same, "n": len(qs)}


def main(argv: list[str] | None = None) -> int:
    return main_over_sizes(run, __doc__.split("\n\n")[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
