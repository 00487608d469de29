"""The tuning questions split in two before tuning: a part to tune ``ask`` on, a part only checked.

Why: ``tests/realdocs/questions.tune.jsonl`` is what the abstention and intent rules are tuned
on; tuned on all of it, its figures say nothing about unseen questions. The split is fixed
(seeded hash, not random per run) and by group: a real document's questions stay together (a
rule fitted to one document's wording is checked on other documents), and a question's
unaccented twin goes with it. The held-out file is never read here.

    python bench/ask_split.py --data-dir /tmp/kb [--dump /tmp/ask.json] [--part tune|check|all]

Prints, per part, the report of ``api.evaluation`` (hit@1, owners, refusals ...); ``--dump``
writes each question's answer summary (for reading misses). No timing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.api.evaluation import format_report, judge, label_doc_ids, load_dev_set, report_of  # noqa: E402

TUNE = ROOT / "tests" / "realdocs" / "questions.tune.jsonl"
SEED = "h11-split-23"  # chosen for balance (size, unanswerable, plan, owner) before any run
_TWIN = re.compile(r"twin of (\S+)")


def group_of(q: dict[str, Any]) -> str:
    """The unit that goes to one part: a real document, else the question with its twin."""
    doc = q.get("doc")
    if doc and doc != "plan":
        return f"doc:{doc}"
    twin = _TWIN.search(q.get("note") or "")
    return f"q:{twin.group(1).strip('(),') if twin else q['id']}"


def part_of(q: dict[str, Any], seed: str = SEED) -> str:
    """"tune" or "check", fixed by a hash of the question's group."""
    h = int(hashlib.sha1(f"{seed}:{group_of(q)}".encode()).hexdigest(), 16)
    return "tune" if h % 2 == 0 else "check"


def use_abstain_model() -> None:
    """Let the calibrated model (index/abstain_model.py) decide whether the best hit answers, in place of
    ``Ask``'s default coverage/dense thresholds (see ``Ask.abstain_by_model`` for why it is not the default)."""
    from tracuu.api.ask_service import Ask

    Ask.abstain_by_model = True



def run_parts(svc: Any, parts: dict[str, list[dict[str, Any]]], doc_ids: Any, *, k: int, failures: bool,
              dump: Path | None, title: str) -> None:
    """Ask every question of each part, print the part's report of ``api.evaluation``.

    Failures are listed and answers dumped for the tune part only: a check part is read as totals,
    or it stops being a check (a rule fitted to its misses would be measured on itself)."""
    rows: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for name, qs in parts.items():
        results = []
        for q in qs:
            answer = svc.ask(q["question"], k=k)
            r = judge(q, answer, doc_ids)
            results.append(r)
            if dump and name == "tune":
                rows.append({"part": name, "id": q["id"], "question": q["question"], "answerable": q["answerable"],
                             "tags": q.get("tags"), "doc": q.get("doc"), "anchors": q.get("anchors"),
                             "owners": q.get("owners"), "deadline": q.get("deadline"), "found": r.found,
                             "rank": r.rank, "owners_ok": r.owners_ok, "deadline_ok": r.deadline_ok,
                             "got_owners": r.got_owners, "got_deadline": r.got_deadline, "intent": r.intent,
                             "answer": answer.answer[:600],
                             "top": [{"clause_id": c.clause_id, "text": c.text[:200]} for c in answer.citations[:3]]})
        n_ans = sum(1 for q in qs if q["answerable"])
        print(f"== {title} {name}: {len(qs)} questions ({n_ans} answerable, {len(qs) - n_ans} unanswerable)")
        print(format_report(report_of(results, k), failures=failures and name == "tune"))
        print()
    print(f"({time.perf_counter() - t0:.0f} s)")
    if dump:
        dump.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--questions", type=Path, default=TUNE)
    p.add_argument("--part", choices=("tune", "check", "all"), default="all")
    p.add_argument("--dump", type=Path)
    p.add_argument("--failures", action="store_true")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--abstain", choices=("model", "rules"), default="rules",
                   help="rules: Ask's default coverage/dense thresholds; model: the calibrated model (index/abstain_model.py)")
    args = p.parse_args(argv)
    if "heldout" in args.questions.name:
        p.error("the held-out questions are measured by the integrator (bench/retrieval.py), never here")
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
    if args.abstain == "model":
        use_abstain_model()
    questions = load_dev_set(args.questions)
    doc_ids = label_doc_ids(svc)
    parts = {"tune": [], "check": []}
    for q in questions:
        parts[part_of(q)].append(q)
    run_parts(svc, {n: qs for n, qs in parts.items() if args.part in ("all", n)}, doc_ids, k=args.k,
              failures=args.failures, dump=args.dump, title="part")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
