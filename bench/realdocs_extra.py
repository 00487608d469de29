"""Extra tasks: what the extractor reads as a task where no label points (a precision check).

    python bench/realdocs_extra.py --labels tests/realdocs/fresh/<set>.<part>.tasks.jsonl \
        --docs-dir /work/extra/<set>/docs [--list]
    python bench/realdocs_extra.py --split tune [--list]

Why: a rule that reads more prose as tasks can buy recall with noise (a meeting report's "Bộ X
báo cáo …" read as a task). ``realdocs_tasks.py`` scores only the labelled tasks; this counts, per
labelled document, the extracted tasks that no label's anchor matched (with the same matching as
``realdocs_tasks.match``). Only meaningful for documents whose labels cover all their tasks (the
fresh sets are labelled whole; some realdocs tune documents are labelled in part), so read it as a
change between two runs, not as a precision figure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from realdocs_tasks import REALDOCS, extract, load_labels, match  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("tune",), default="tune")
    ap.add_argument("--labels", type=Path, default=None)
    ap.add_argument("--docs-dir", type=Path, default=None)
    ap.add_argument("--list", action="store_true", help="print each extra task's opening words")
    args = ap.parse_args(argv)
    docs_dir = args.docs_dir or REALDOCS
    if not docs_dir.is_dir():
        print(f"the documents folder is absent ({docs_dir}): nothing to measure.")
        return 2
    labels = load_labels(args.split, args.labels)
    by_doc: dict[str, list[str]] = {}
    for lab in labels:
        by_doc.setdefault(lab["doc"], []).append(lab["anchor"])
    total_tasks = total_extra = 0
    for doc, anchors in sorted(by_doc.items()):
        run = extract(doc, docs_dir)
        hit = {id(t) for a in anchors if (t := match(a, run.tasks)) is not None}
        extra = [t for t in run.tasks if id(t) not in hit]
        total_tasks += len(run.tasks)
        total_extra += len(extra)
        print(f"{doc[:46]:<46} tasks {len(run.tasks):>4}  labels {len(anchors):>4}  extra {len(extra):>4}")
        if args.list:
            for t in extra:
                lead = ", ".join(r["name"] for r in t["lead"])
                print(f"    [{t['path']}] {lead or '-'} :: {' '.join(t['text'].split())[:90]}")
    print(f"{'ALL':<46} tasks {total_tasks:>4}  labels {len(labels):>4}  extra {total_extra:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
