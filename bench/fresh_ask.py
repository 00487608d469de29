"""``ask`` on the fresh question set (tests/realdocs/fresh/h11-fresh.questions.<part>.jsonl).

Why: ``ask``'s rules were tuned for six rounds on tests/realdocs/questions.tune.jsonl; on unseen
questions abstention generalises worst. The fresh set was written on 16 documents nobody had
asked about, and split by document before any measurement (tests/realdocs/fresh/README.md):
the tune part may be read while tuning, the check part is only totalled.

    python bench/fresh_ask.py --data-dir /tmp/h11f-kb [--part tune|check|all] [--dump F.json]
                              [--abstain model|rules] [--failures]

The knowledge base must hold the 16 fresh documents (ingested from /work/extra/h10-*/docs); the
script says how many of the questions' documents it lacks. Prints, per part, the report of
``api.evaluation`` (hit@1, owners, refusal rates). No timing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.api.evaluation import label_doc_ids, load_dev_set  # noqa: E402

from bench.ask_split import run_parts, use_abstain_model  # noqa: E402

FRESH = ROOT / "tests" / "realdocs" / "fresh"
ALL = FRESH / "h11-fresh.questions.jsonl"
PARTS = {"tune": FRESH / "h11-fresh.questions.tune.jsonl", "check": FRESH / "h11-fresh.questions.check.jsonl"}
SEED = "20261130-h11-fresh"


def fresh_part_of(q: dict, seed: str = SEED) -> str:
    """"check" when ``int(sha256(seed + ":" + key)[:8], 16) / 16**8 < 1/2``, else "tune"; the key is
    the question's document (its twins and paraphrases go with it), or, for an unanswerable
    question (no document), its own id. Fixed before any measurement."""
    key = q.get("doc") or q["id"]
    h = int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16) / 16**8
    return "check" if h < 0.5 else "tune"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--part", choices=("tune", "check", "all"), default="all")
    p.add_argument("--dump", type=Path)
    p.add_argument("--failures", action="store_true", help="list the failures (tune part only: the check part is totalled)")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--abstain", choices=("model", "rules"), default="rules", help="as bench/ask_split.py")
    args = p.parse_args(argv)
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
    if args.abstain == "model":
        use_abstain_model()
    doc_ids = label_doc_ids(svc)
    parts = {}
    for name, path in PARTS.items():
        if args.part not in ("all", name):
            continue
        parts[name] = load_dev_set(path)
        missing = sorted({q["doc"] for q in parts[name] if q.get("doc") and q["doc"] not in doc_ids})
        if missing:
            print(f"!! {len(missing)} documents of part {name} are not in {args.data_dir}: {', '.join(missing)}")
    run_parts(svc, parts, doc_ids, k=args.k, failures=args.failures, dump=args.dump, title="fresh")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
