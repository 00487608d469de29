"""The catalog side of ingesting one more document, at any catalog size, without Chroma.

    python bench/catalog_write.py DATA_DIR [DATA_DIR ...] [--docs 7] [--clauses 100]

Why: ``bench/perf.py`` times the whole index side (catalog transaction + Chroma upsert) on a full
data dir; at 1M clauses that needs a copy of an 8 GB directory. This times only the catalog's
part - the one transaction :meth:`index.index_writer.IndexWriter._save_record` commits (document,
clauses, tasks, source, keyword postings with their statistics, restorer counts, the marker's
removal) - so a copy of ``catalog.sqlite3`` alone is enough. Run it on a COPY: it commits
``--docs`` synthetic 100-clause plans (``bench/synthetic_corpus.make_plan``, the documents
``perf.py`` adds), then deletes them again (the content is back as it was; the file is not
byte-identical). The plans are parsed in this process first, outside the timings.

Prints, per data dir, the wall and process CPU of each commit and their medians (the first
write of a process also pays one-time loads and a cold page cache: shown, and in the median),
the WAL bytes each commit wrote, and the same for the deletes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.synthetic_corpus import make_plan  # noqa: E402


def parsed_plans(n: int, clauses: int) -> list[tuple[object, str]]:
    """(ParsedDocument with passage hashes, source text) of ``n`` synthetic plans, parsed here."""
    from tracuu.index.index_writer import with_hashes
    from tracuu.ingest.manifest import load_manifest
    from tracuu.ingest.pipeline import ingest_file

    manifest = load_manifest(ROOT / "corpus" / "manifest.toml")
    out = []
    with tempfile.TemporaryDirectory(prefix="catalog-write-") as tmp:
        for j in range(n):
            name, text = make_plan(50_000 + j, clauses, seed=99)
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            o = ingest_file(path, manifest)
            if not o.ok or o.document is None or o.source is None:
                raise SystemExit(f"synthetic plan not parsed: {o.errors}")
            doc, _ = with_hashes(o.document)
            out.append((doc, o.source.text))
    return out


def wal_bytes(data_dir: Path) -> int:
    wal = data_dir / "catalog.sqlite3-wal"
    return wal.stat().st_size if wal.exists() else 0


def measure(data_dir: Path, docs: list[tuple[object, str]]) -> dict[str, list[tuple[float, float, int]]]:
    from tracuu.index.clause_index import ClauseIndex
    from tracuu.index.embedders import HashEmbedder
    from tracuu.index.vector_access import MARK_PREFIX

    index = ClauseIndex(data_dir, HashEmbedder(384))
    store, writer = index.store, index.writer
    db = store.db
    out: dict[str, list[tuple[float, float, int]]] = {"save": [], "delete": []}
    for what in ("save", "delete"):
        for doc, text in docs:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # each commit's WAL bytes start from 0
            before = wal_bytes(data_dir)
            t0, c0 = time.perf_counter(), time.process_time()
            with writer.locked():
                if what == "save":
                    writer._save_record(doc, text, "bench")  # type: ignore[arg-type]
                else:
                    writer._delete_record(doc.doc_id)  # type: ignore[attr-defined]
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            out[what].append((wall, cpu, wal_bytes(data_dir) - before))
            if what == "delete":  # no vectors were written: the delete's marker has nothing to repair
                with db.transaction():
                    db.execute("DELETE FROM catalog_meta WHERE key = ?", (MARK_PREFIX + doc.doc_id,))  # type: ignore[attr-defined]
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dirs", nargs="+", type=Path, help="COPIES of data dirs (catalog.sqlite3 is enough)")
    ap.add_argument("--docs", type=int, default=7)
    ap.add_argument("--clauses", type=int, default=100, help="clauses per synthetic plan")
    args = ap.parse_args(argv)
    docs = parsed_plans(args.docs, args.clauses)
    for data_dir in args.data_dirs:
        if not (data_dir / "catalog.sqlite3").exists():
            raise SystemExit(f"no catalog.sqlite3 in {data_dir}")
        from tracuu.index.catalog.store import CatalogStore

        probe = CatalogStore(data_dir, import_legacy=False)
        n_clauses = probe.db.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
        probe.close()
        print(f"{data_dir}: {n_clauses} clauses, load {os.getloadavg()[0]:.1f}", flush=True)
        res = measure(data_dir, docs)
        for what, rows in res.items():
            walls = " ".join(f"{w * 1000:.0f}" for w, _, _ in rows)
            cpus = " ".join(f"{c * 1000:.0f}" for _, c, _ in rows)
            print(f"  {what}: wall median {statistics.median(w for w, _, _ in rows) * 1000:.0f} ms [{walls}]"
                  f"  CPU median {statistics.median(c for _, c, _ in rows) * 1000:.0f} ms [{cpus}]"
                  f"  WAL MB median {statistics.median(b for _, _, b in rows) / 1e6:.2f}"
                  f" [{' '.join(f'{b / 1e6:.1f}' for _, _, b in rows)}]", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
