"""A snapshot of every search and ask result on every evaluation set, and a diff of two snapshots.

Why: issue 12 rebuilds the storage under search and ask (catalog, keyword index, restorer counts)
and promises the results stay exactly the same. A snapshot taken on a knowledge base built with
the old code, compared with one taken on the same knowledge base opened by the new code, says
so question by question, instead of a recall figure that can stay level while answers move.

    python bench/snapshot_results.py --data-dir /tmp/me-kb --out /tmp/me-snapshot.json
    python bench/snapshot_results.py --compare /work/kb/base-snapshot.json /tmp/me-snapshot.json

Questions (text only; ``api.evaluation.load_dev_set`` reads both formats): ``tests/eval/
dev_set.jsonl`` (ids ``dev:<id>``), ``tests/realdocs/questions.tune.jsonl`` (``tune:<id>``) and
``questions.heldout.jsonl`` (``heldout:<id>``); a missing file contributes nothing. Nothing is
judged here, so reading the held-out questions tunes nothing.

Per question: ``search`` - the ordered ``[clause_id, score]`` hits of ``Tracuu.search(q, k=10)``
(score rounded to 6 places); ``ask`` - ``Tracuu.ask(q)`` (k=5): ``found``, the cited clause ids
in order, ``owners`` and ``deadline`` as the service returns them. A question the service
refuses (a ``BilingualError``) records its error code instead, on either side.

``--compare A B`` prints every difference (missing question, different order, a score off by
more than ``--tol``, a different ask field) and exits 1 if there is any, 0 if none. The default
``--tol`` of 1e-6 absorbs only the rounding to 6 places (two equal floats can round apart across
a boundary); ``--tol 0`` compares the rounded scores exactly. The ``meta`` block (sizes, time,
commit) is shown but never compared.

The data dir is opened, not built: point it at a COPY of /work/kb/base (``cp -a``), since opening
a Chroma store may write to it. The embedder is the environment's (``TRACUU_EMBED_MODEL``; unset:
the bundled e5), which must be the one the knowledge base was built with.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

SETS = {
    "dev": ROOT / "tests" / "eval" / "dev_set.jsonl",
    "tune": ROOT / "tests" / "realdocs" / "questions.tune.jsonl",
    "heldout": ROOT / "tests" / "realdocs" / "questions.heldout.jsonl",
}
SEARCH_K = 10
DIGITS = 6


def questions() -> list[tuple[str, str]]:
    """(snapshot id, question text) of every evaluation set, in file order."""
    from tracuu.api.evaluation import load_dev_set

    out: list[tuple[str, str]] = []
    for name, path in SETS.items():
        if path.exists():
            out += [(f"{name}:{q['id']}", q["question"]) for q in load_dev_set(path)]
    return out


def _error(err: Exception) -> dict[str, Any]:
    return {"error": getattr(err, "code", type(err).__name__)}


def search_record(svc, question: str) -> Any:
    from tracuu.ingest.errors import BilingualError

    try:
        hits = svc.search(question, k=SEARCH_K).results
    except BilingualError as err:
        return _error(err)
    return [[h.clause_id, round(float(h.score), DIGITS)] for h in hits]


def ask_record(svc, question: str) -> dict[str, Any]:
    from tracuu.ingest.errors import BilingualError

    try:
        a = svc.ask(question)
    except BilingualError as err:
        return _error(err)
    return {
        "found": a.found,
        "citations": [c.clause_id for c in a.citations],
        "owners": [o.to_json() for o in a.owners],
        "deadline": a.deadline.to_json() if a.deadline else None,
    }


def _commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def snapshot(data_dir: Path) -> dict[str, Any]:
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir))
    if svc.is_empty():
        raise SystemExit(f"{data_dir}: no documents: build the knowledge base first (bench/retrieval.py builds it)")
    t0 = time.perf_counter()
    results: dict[str, Any] = {}
    for qid, text in questions():
        results[qid] = {"question": text, "search": search_record(svc, text), "ask": ask_record(svc, text)}
    docs = svc.store().list_ids()
    meta = {
        "data_dir": str(data_dir), "documents": len(docs), "questions": len(results), "commit": _commit(),
        "embed_model": os.environ.get("TRACUU_EMBED_MODEL") or "e5 (bundled)",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seconds": round(time.perf_counter() - t0, 1),
    }
    return {"meta": meta, "results": results}


# --------------------------------------------------------------------------- comparing


def _search_diff(a: Any, b: Any, tol: float) -> list[str]:
    if isinstance(a, dict) or isinstance(b, dict):  # an error on at least one side
        return [] if a == b else [f"search: {a!r} != {b!r}"]
    ids_a, ids_b = [h[0] for h in a], [h[0] for h in b]
    if ids_a != ids_b:
        first = next((i for i, (x, y) in enumerate(zip(ids_a, ids_b)) if x != y), min(len(ids_a), len(ids_b)))
        return [f"search: hits differ from rank {first + 1}: {ids_a[first:first + 3]} != {ids_b[first:first + 3]}"
                f" ({len(ids_a)} vs {len(ids_b)} hits)"]
    return [f"search: rank {i} {ca}: score {sa} != {sb}"
            for i, ((ca, sa), (_, sb)) in enumerate(zip(a, b), 1) if abs(sa - sb) > tol + 1e-12]


def _ask_diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    keys = sorted(set(a) | set(b))
    return [f"ask.{k}: {a.get(k)!r} != {b.get(k)!r}" for k in keys if a.get(k) != b.get(k)]


def compare(a: dict[str, Any], b: dict[str, Any], tol: float = 1e-6) -> list[str]:
    """Every difference between two snapshots, one line each ("" when none)."""
    ra, rb = a.get("results", {}), b.get("results", {})
    out: list[str] = []
    for qid in ra.keys() | rb.keys():
        if qid not in rb or qid not in ra:
            out.append(f"{qid}: only in {'A' if qid in ra else 'B'}")
            continue
        lines = _search_diff(ra[qid]["search"], rb[qid]["search"], tol) + _ask_diff(ra[qid]["ask"], rb[qid]["ask"])
        out += [f"{qid}: {line}" for line in lines]
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", type=Path, help="the knowledge base to snapshot (a copy: opening may write)")
    p.add_argument("--out", type=Path, help="where to write the snapshot JSON (default: stdout)")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="diff two snapshots; exit 1 if any")
    p.add_argument("--tol", type=float, default=1e-6, help="largest score difference that is not one (default 1e-6)")
    args = p.parse_args(argv)
    if args.compare:
        a, b = (json.loads(path.read_text(encoding="utf-8")) for path in args.compare)
        for side, snap in (("A", a), ("B", b)):
            print(f"{side}: {snap.get('meta')}")
        diffs = compare(a, b, args.tol)
        for line in diffs:
            print(line)
        n = len(a.get("results", {}))
        print(f"{len(diffs)} difference(s) over {n} question(s)" if diffs else f"identical: {n} question(s)")
        return 1 if diffs else 0
    if not args.data_dir:
        p.error("--data-dir (to snapshot) or --compare A B is required")
    snap = snapshot(args.data_dir)
    text = json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"{args.out}: {snap['meta']}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
