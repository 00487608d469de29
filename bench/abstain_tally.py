"""Which gate decided each wrong abstention: answerable questions refused, unanswerable ones answered.

Why: the rates alone (bench/ask_split.py, bench/fresh_ask.py) do not say where the line between
answerable and unanswerable is drawn wrong. Here ``ask`` runs unchanged; its judging of candidate
clauses (``Ask._answers``) and its routes (a named document, an agency's tasks) are watched, and
for every wrong outcome of a TUNE part the script prints the route that answered, and for each
candidate judged (and, for a refused answerable question, the answering clause when retrieval
ranked it) the gates it failed: a figure of the question missing, a rare key term nowhere in the
document, coverage under the threshold (with the penalties applied), the dense floor, a count not
stated, an unmet key constraint (index/abstain_keys.py).

    python bench/abstain_tally.py --data-dir KB --part tune        # questions.tune, tuned half
    python bench/abstain_tally.py --data-dir FKB --part ftune      # the fresh tune part
    python bench/abstain_tally.py --data-dir KB --questions tests/realdocs/h11-refuse.questions.tune.jsonl
    python bench/abstain_tally.py --data-dir KB --questions FILE --totals   # a check part: totals only

Check parts are only totalled (``--totals``): their failures are never printed.
No timing is asserted.

Tally (h11-refuse, e5 KBs copied from /tmp/s18-kb and /tmp/s18-fkb, main at 529a021): 9 wrong outcomes on
the tune parts (tuned half 2 of 162, fresh tune 6 of 103, the 18 questions written here 1), each from another
cause, no cause on two documents:

| outcome | question | gate that decided | why |
| --- | --- | --- | --- |
| refused | q-t-plan-19 | retrieval: answer not in the pool of 20; coverage .30 | paraphrase ("gửi phản ánh cho ai" for "phản ánh về") |
| refused | q-t-003-03 | retrieval: not in the pool; coverage .42 (no figure) | no deadline cue: its twin says "thời hạn", it "trong bao lâu" |
| refused | q-f-c01-06 | document route (named_but_unknown); the clause ranks 4th and passes | "kết luận 637/TB-VPCP" not matched to the notice |
| refused | q-f-c01-07 | coverage .44, no-figure penalty; the answering clause ranks 1st | "bao lâu một lần" answered by "hằng tuần": a frequency is no figure |
| refused | q-f-c03-09 | agency route (agency_without_tasks) | the agency taken is "Thủ tướng", not "UBND TP Đà Nẵng" |
| answered | q-f-c04-u2 | retrieval: the closing clause passes, coverage .89 | a day for the yearly report; "số hóa" folds into "sở", "đồ" a stopword |
| answered | q-f-g05-u2 | retrieval: coverage .91 (keys waived), the task's deadline meets the day | "vận hành" folds into "văn" of the header |
| answered | q-f-g06-u1 | retrieval: coverage .61 | a table row with a % elsewhere; "bội chi", "GDP" absent |
| answered | q-r-006-06 | agency route: Sở Y tế's tasks in another plan of the city | the plan named by subject is not the one quoted |
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ask_split import TUNE, part_of  # noqa: E402

FRESH_TUNE = ROOT / "tests" / "realdocs" / "fresh" / "h11-fresh.questions.tune.jsonl"
#: Questions written for this tally (tests/realdocs/h11-refuse.questions.<part>.jsonl): on 8 documents drawn
#: from the tune and unlabelled realdocs (sha256 of ``PICK_SEED:file`` smallest first; 015 got none), split by
#: document with :func:`refuse_part_of` before ``ask`` was run on any of them.
REFUSE = {part: ROOT / "tests" / "realdocs" / f"h11-refuse.questions.{part}.jsonl" for part in ("tune", "check")}
PICK_SEED = "h11-refuse-20261130"
SPLIT_SEED = "h11-refuse-split"


def refuse_part_of(doc: str, seed: str = SPLIT_SEED) -> str:
    """"check" when ``int(sha256(seed + ":" + doc)[:8], 16) / 16**8 < 1/2``, else "tune" (``doc``: the
    realdocs file a question is about; an unanswerable question goes with the document it is a near miss of)."""
    h = int(hashlib.sha256(f"{seed}:{doc}".encode()).hexdigest()[:8], 16) / 16**8
    return "check" if h < 0.5 else "tune"


def gates(svc: Any, best: Any, readings: list[str], question: str) -> list[str]:
    """The gates of ``Ask._answers`` that ``best`` fails, each with why (empty: it answers)."""
    from tracuu.index.abstain import asks_figure, coverage, has_figure, missing_asked_things, missing_figures
    from tracuu.index.abstain_figures import figure_not_stated
    from tracuu.index.query.figure_ask import answers_figure, asked_figure, asks_day, states_day
    from tracuu.index.query.names import missing_names
    from tracuu.index.query.places import missing_places

    clause = best.clause
    ctx = svc._clause_context(clause)
    seen = f"{ctx} {clause.text}"
    out = []
    mf = missing_figures(question, seen)
    if mf:
        out.append(f"figure-missing:{','.join(mf)}")
    mk = svc._missing_key_terms(readings, clause, ctx)
    if mk:
        out.append(f"keyterm-not-in-doc:{','.join(mk)}")
    cov = coverage(readings, clause.text, svc.index.keyword, ctx)
    if cov < svc.thresholds.coverage:
        pen = []
        asked = asked_figure(readings[0])
        if asked is not None and not answers_figure(clause.text, asked):
            pen.append("unit")
        elif asked is None and asks_figure(readings[0]) and not has_figure(clause.text):
            pen.append("nofigure")
        if asks_day(readings[0]) and not states_day(seen):
            pen.append("day")
        if missing_places(readings[0], seen):
            pen.append("place")
        if missing_names(readings[0], seen) or missing_asked_things(readings[0], seen):
            pen.append("name")
        out.append(f"coverage={cov:.2f}" + (f"[{'+'.join(pen)}]" if pen else ""))
    if best.dense < svc.thresholds.dense:
        out.append(f"dense={best.dense:.2f}")
    if figure_not_stated(question, clause.text, seen):
        out.append("count-not-stated")
    full = svc._coverage(best, readings, question)
    if full < svc.thresholds.keys:
        keys = svc._unmet_keys(best, question, ctx)
        if keys:
            out.append("keys:" + ",".join(f"{c.kind}={c.key}" for c in keys))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--part", choices=("tune", "ftune"), default="tune")
    p.add_argument("--questions", type=Path, help="a question file of its own (all its questions)")
    p.add_argument("--totals", action="store_true", help="only the report's totals (for a check part)")
    args = p.parse_args(argv)
    if args.questions is not None and "heldout" in args.questions.name:
        p.error("the held-out questions are never read here")
    from tracuu.api import intent_answers
    from tracuu.api.ask_service import Ask
    from tracuu.api.config import Settings
    from tracuu.api.evaluation import anchor_hit, format_report, judge, label_doc_ids, load_dev_set, report_of
    from tracuu.api.search_service import Search
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
    doc_ids = label_doc_ids(svc)
    if args.questions is not None:
        qs = load_dev_set(args.questions)
    elif args.part == "tune":
        qs = [q for q in load_dev_set(TUNE) if part_of(q) == "tune"]
    else:
        qs = load_dev_set(FRESH_TUNE)
    cur: dict[str, Any] = {}
    orig_answers, orig_scored = Ask._answers, Search.scored
    orig_routes = {n: getattr(intent_answers, n) for n in ("agency_without_tasks", "named_but_unknown")}

    def answers(self, best, readings, question="", keys=True):
        ok = orig_answers(self, best, readings, question, keys)
        if keys:
            cur["judged"].append((best, ok))
        cur["readings"] = readings
        return ok

    def scored(self, *a, **kw):
        out = orig_scored(self, *a, **kw)
        cur["pool"] = out[1]
        return out

    def route(name):
        def f(*a, **kw):
            cur["route"].append(name)
            return orig_routes[name](*a, **kw)
        return f

    Ask._answers, Search.scored = answers, scored
    for n in orig_routes:
        setattr(intent_answers, n, route(n))
    tally: Counter[str] = Counter()
    results = []
    try:
        for q in qs:
            cur.update(judged=[], pool=[], route=[], readings=None)
            answer = svc.ask(q["question"], 5)
            r = judge(q, answer, doc_ids)
            results.append(r)
            if args.totals:
                continue
            wrong = ("refused" if q["answerable"] and not r.found else
                     "answered" if not q["answerable"] and r.found else None)
            if wrong is None:
                continue
            readings = cur["readings"] or [q["question"]]
            how = cur["route"][-1] if cur["route"] else f"intent={answer.intent}"
            print(f"\n[{wrong}] {q['id']} ({q.get('doc')}) {q['question']}\n  route: {how}")
            for best, ok in cur["judged"][:4]:
                g = gates(svc, best, readings, q["question"]) if not ok else []
                print(f"  judged {best.clause.clause_id} ok={ok} {' '.join(g)} | {best.clause.text[:90]!r}")
            reason = "route:" + how
            if wrong == "refused" and q.get("anchors"):
                gold = next(((i, s) for i, s in enumerate(cur["pool"])
                             if anchor_hit(q["anchors"], s.clause.text)), None)
                if gold is None:
                    print("  gold: not in the last pool")
                    reason += " gold-not-retrieved"
                else:
                    g = gates(svc, gold[1], readings, q["question"])
                    print(f"  gold rank {gold[0] + 1}: {' '.join(g) or 'passes'}")
                    reason += f" gold@{gold[0] + 1}:" + (g[0].split(":")[0].split("=")[0].split("[")[0] if g else "passes")
            elif cur["judged"]:
                reason += " passed-by-retrieval"
            tally[f"{wrong} {reason}"] += 1
    finally:
        Ask._answers, Search.scored = orig_answers, orig_scored
        for n, f in orig_routes.items():
            setattr(intent_answers, n, f)
    print(format_report(report_of(results, 5), failures=False))
    if args.totals:
        return 0
    print("\n== tally")
    for k, v in tally.most_common():
        print(f"{v:3d} {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
