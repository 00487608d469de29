"""Which signals tell an answerable question from an unanswerable one, measured per part.

Why: abstention rules were tuned on the questions that showed each of them and held far worse on
unseen ones. Here every candidate clause ``ask`` judges is recorded with many signals, ``ask``'s
own decision forced to "no" so that every candidate it would judge (the first ``judge_top`` of its
ranking, then the task it would rescue) is seen; a question's outcome under any decision rule is
then simulated without asking again: answered when one of its candidates passes the rule, or, when
``ask`` answered by a route that does not judge clauses (a named document, an agency's tasks, a
date list), what that route said.

    python bench/abstain_signals.py --data-dir KB --questions tune ftune --rows /tmp/rows.json
    python bench/abstain_signals.py --from-rows /tmp/rows.json [--totals-only PART ...]

Prints, per part, the separation of each signal (its share among the best candidates of answerable
and of unanswerable questions) and the two rates (answerable refused, unanswerable answered) of the
current rule and of the candidate rules of ``RULES``. Check parts should be printed with
``--totals-only`` (no per-question lines). The held-out file is refused. No timing is asserted.

Measured (h11-abstain2, e5 KBs copied from /tmp/s16-kb and /tmp/s16-fkb; rows of tune, check,
calib on the 42-document KB and ftune, fcheck on the 58-document one). Cells: answerable refused /
n, unanswerable answered / n; the rule was chosen on tune + ftune only, check parts totalled.

| decision | tune | ftune | check | fcheck | calib |
| --- | --- | --- | --- | --- | --- |
| coverage .5, dense .8 (before) | 4/138 2/24 | 18/78 7/25 | 2/120 2/21 | 6/75 6/21 | 1/30 7/22 |
| + count checks (``ask`` now) | 4/138 1/24 | 18/78 5/25 | 2/120 2/21 | 6/75 5/21 | 1/30 7/22 |
| + bodies named, never in the document | 4/138 1/24 | 18/78 3/25 | 2/120 2/21 | 7/75 4/21 | 1/30 7/22 |
| + top-1 of dense and BM25 agree, else coverage .6 | 7/138 1/24 | 19/78 4/25 | 4/120 2/21 | 6/75 4/21 | 1/30 6/22 |
| + count checks, coverage .55 | 7/138 1/24 | 18/78 5/25 | 4/120 2/21 | 8/75 4/21 | 2/30 7/22 |
| + count checks, coverage .6 | 7/138 1/24 | 20/78 3/25 | 4/120 2/21 | 8/75 4/21 | 2/30 6/22 |
| + count checks, coverage .65 | 7/138 1/24 | 20/78 2/25 | 6/120 1/21 | 10/75 4/21 | 2/30 6/22 |
| + count checks, coverage .7 | 7/138 1/24 | 21/78 2/25 | 7/120 1/21 | 12/75 4/21 | 2/30 4/22 |

Separation of the chosen candidate's signals (mean, answerable / unanswerable, tune | ftune):
dense .89/.88 | .89/.88 (none: why it is only a floor); margin of the first two fused scores
.21/.11 on ftune but a filter on it refuses more than it catches; dense and BM25 agreeing on the
first clause .52/.24 (ftune) but as a rule it refused 3 more answerable questions on the old tuned
half; unit_missing (index/query/figure_ask.py) .00/.79 | .03/.44, unstated_count .00/.67 | .03/.52
(the two differ on clauses refused anyway). unstated_count, missing_counts and missing_bodies were
added to the rows after collection, from the store, for the same candidates.

Key constraints (h11-nearmiss, index/abstain_keys.py; e5 KBs copied from /tmp/s17-kb and /tmp/s17-fkb;
``--lean`` rows, key signals recomputed from the store with the final code). A near miss asks a day, a year,
a place, the acting agency or a kind of document the clause does not give; a candidate covering at least
``Thresholds.keys`` of the question is trusted over an unmet key. Chosen on tune + ftune (.9 and "always" tie
there; .9 refuses fewer), check parts totalled:

| decision | tune | ftune | check | fcheck | calib |
| --- | --- | --- | --- | --- | --- |
| count checks (``ask`` before) | 4/138 1/24 | 3/78 6/25 | 2/120 2/21 | 6/75 5/21 | 1/30 7/22 |
| + key day only / year only / place only | 4/138 1/24 | 3/78 6/25 | 2/120 2/21 | 6/75 5/21 | 1/30 7/22 |
| + key agency only | 4/138 1/24 | 3/78 4/25 | 2/120 2/21 | 6/75 4/21 | 1/30 7/22 |
| + key document only | 4/138 0/24 | 3/78 5/25 | 2/120 2/21 | 7/75 5/21 | 1/30 7/22 |
| + keys, unless coverage >= .7 | 4/138 1/24 | 3/78 4/25 | 2/120 2/21 | 6/75 5/21 | 1/30 7/22 |
| + keys, unless coverage >= .8 | 4/138 0/24 | 3/78 4/25 | 2/120 2/21 | 6/75 4/21 | 1/30 7/22 |
| **+ keys, unless coverage >= .9 (``ask`` now)** | 4/138 0/24 | 3/78 3/25 | 2/120 2/21 | 6/75 4/21 | 1/30 7/22 |
| + keys always | 4/138 0/24 | 3/78 3/25 | 2/120 2/21 | 7/75 4/21 | 1/30 7/22 |
| (compare: count checks, coverage .6, no keys) | 7/138 1/24 | 3/78 4/25 | 4/120 2/21 | 8/75 4/21 | 2/30 6/22 |

The day and place keys changed no outcome here: the near misses by day are answered by another clause of the
same document that states a day for another task (the yearly report), and places were already cut by
coverage and scoping. Before the passive rule ("Trung tâm … phải được bảo đảm": acted on, not acting) the
agency key refused two answerable questions on ftune.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ask_split import TUNE, part_of  # noqa: E402

FRESH = ROOT / "tests" / "realdocs" / "fresh"
CALIB = ROOT / "tests" / "realdocs" / "questions.calib.jsonl"
PARTS = {
    "tune": (TUNE, lambda q: part_of(q) == "tune"),
    "check": (TUNE, lambda q: part_of(q) == "check"),
    "ftune": (FRESH / "h11-fresh.questions.tune.jsonl", lambda q: True),
    "fcheck": (FRESH / "h11-fresh.questions.check.jsonl", lambda q: True),
    "calib": (CALIB, lambda q: True),
}


def collect(svc: Any, questions: list[tuple[str, dict[str, Any]]], lean: bool = False) -> list[dict[str, Any]]:
    """One row per question: part, answerable, the route's answer (found, intent) and its candidates'
    signals (index/abstain_signals.py: signals), in the order ``ask`` judged them. ``lean``: only the
    signals ``ask``'s decision and :data:`RULES` read (the others read the whole document: minutes more)."""
    from tracuu.api.ask_service import Ask
    from tracuu.api.search_service import Search
    from tracuu.index.abstain_model import document_text
    from tracuu.index.abstain_signals import lean_signals, signals

    rows: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    original, original_scored = Ask._answers, Search.scored

    def scored(self, *a, **kw):
        out = original_scored(self, *a, **kw)
        current["pool"] = out[1]
        return out

    def recorder(self, best, readings, question="", keys=True):
        if not keys:  # ask looking for what to say nearby once nothing answered: already recorded
            return False
        rule = self._coverage(best, readings, question) >= self.thresholds.coverage and best.dense >= self.thresholds.dense
        context = " ".join([self._doc_context().get(best.clause.doc_id, ""), *best.clause.heading_chain])
        if lean:
            x = lean_signals(question, best.clause.text, context, self._tasks_by_clause().get(best.clause.clause_id, []))
        else:
            x = signals(readings, question, best, current.get("pool") or [best], context, self.index.keyword,
                        document_text(self.store().get(best.clause.doc_id)),
                        self._tasks_by_clause().get(best.clause.clause_id, []),
                        lambda t: self._in_document(t, best.clause.doc_id))
        x["rule"] = float(rule)
        x["svc_coverage"] = self._coverage(best, readings, question)
        current["cands"].append({"clause_id": best.clause.clause_id, "x": x})
        return False

    Ask._answers, Search.scored = recorder, scored
    try:
        for part, q in questions:
            current.update(cands=[], pool=None)
            answer = svc.ask(q["question"], 5)
            rows.append({"id": q["id"], "part": part, "answerable": bool(q["answerable"]), "question": q["question"],
                         "route_found": bool(answer.found), "intent": answer.intent, "cands": current["cands"]})
    finally:
        Ask._answers, Search.scored = original, original_scored
    return rows


def found(row: dict[str, Any], decide: Callable[[dict[str, float]], bool]) -> bool:
    """The question's outcome under ``decide`` (see the module doc)."""
    if not row["cands"]:
        return row["route_found"]
    return any(decide(c["x"]) for c in row["cands"])


def rates(rows: list[dict[str, Any]], decide) -> tuple[int, int, int, int]:
    """(answerable refused, n answerable, unanswerable answered, n unanswerable)."""
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    return (sum(not found(r, decide) for r in ans), len(ans), sum(found(r, decide) for r in una), len(una))


def _rule(x: dict[str, float]) -> bool:
    """The coverage and dense thresholds (index/abstain.py Thresholds), the decision before h11-abstain2."""
    return x["rule"] > 0


def _figures(x: dict[str, float]) -> bool:
    """``ask``'s decision now: the thresholds and the count checks of index/abstain_figures.py."""
    return _rule(x) and not x["unstated_count"] and not x["missing_counts"]


def _coverage_at(t: float) -> Callable[[dict[str, float]], bool]:
    return lambda x: _figures(x) and x["svc_coverage"] >= t


KEY_KINDS = ("day", "year", "place", "agency", "document")


def _keys(kinds: tuple[str, ...] = KEY_KINDS, below: float = 9.0) -> Callable[[dict[str, float]], bool]:
    """The count checks, and the key constraints of ``kinds`` (index/abstain_keys.py) met, for a candidate
    whose coverage is under ``below`` (a candidate covering more is trusted: the threshold traded off)."""
    return lambda x: _figures(x) and (x["svc_coverage"] >= below or not any(x.get(f"key_{k}", 0.0) for k in kinds))


#: Decision rules compared (name -> candidate signals -> answers?).
RULES: dict[str, Callable[[dict[str, float]], bool]] = {
    "rule (coverage .5, dense .8)": _rule,
    "+ count checks (before keys)": _figures,
    **{f"+ key {k} only": _keys((k,)) for k in KEY_KINDS},
    **{f"+ keys, unless coverage >= {t}": _keys(below=t) for t in (0.7, 0.8)},
    "+ keys, unless coverage >= 0.9 (ask now)": _keys(below=0.9),
    "+ keys always": _keys(),
    "+ count checks + bodies": lambda x: _figures(x) and not x["missing_bodies"],
    "+ count checks, top-1 of dense and BM25 agree or coverage .6": lambda x: _figures(x) and (
        x["agree"] > 0 or x["svc_coverage"] >= 0.6),
    **{f"+ count checks, coverage {t}": _coverage_at(t) for t in (0.55, 0.6, 0.65, 0.7)},
}


def chosen(row: dict[str, Any]) -> dict[str, float] | None:
    """The signals of the candidate ``ask``'s rule answers with (its first passing one), else of its first."""
    if not row["cands"]:
        return None
    return next((c["x"] for c in row["cands"] if c["x"]["rule"] > 0), row["cands"][0]["x"])


def separation(rows: list[dict[str, Any]], parts: list[str]) -> None:
    """Mean of every signal of the chosen candidate, answerable vs unanswerable, per part."""
    names = sorted({k for r in rows for c in r["cands"] for k in c["x"]})
    print(f"{'signal':22s} " + " ".join(f"{p + ' ans/una':>17s}" for p in parts))
    for name in names:
        cells = []
        for part in parts:
            xs = [(r["answerable"], chosen(r)) for r in rows if r["part"] == part and chosen(r) is not None]
            a = [x[name] for ok, x in xs if ok]
            u = [x[name] for ok, x in xs if not ok]
            cells.append(f"{sum(a) / max(len(a), 1):7.2f}/{sum(u) / max(len(u), 1):<7.2f}")
        print(f"{name:22s} " + " ".join(f"{c:>17s}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--questions", nargs="*", default=["tune", "ftune"], choices=sorted(PARTS))
    p.add_argument("--rows", type=Path, help="write the collected rows here")
    p.add_argument("--from-rows", type=Path, nargs="*")
    p.add_argument("--totals-only", nargs="*", default=["check", "fcheck", "calib"],
                   help="parts whose questions are never listed")
    p.add_argument("--lean", action="store_true", help="collect only the signals the rules read (faster)")
    p.add_argument("--list", action="store_true", help="list the tune parts' questions each rule gets wrong")
    args = p.parse_args(argv)
    if args.from_rows:
        rows = [r for f in args.from_rows for r in json.loads(f.read_text(encoding="utf-8"))]
    else:
        from tracuu.api.config import Settings
        from tracuu.api.evaluation import load_dev_set
        from tracuu.api.service import Tracuu

        if args.data_dir is None:
            p.error("--data-dir or --from-rows")
        svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
        qs = [(name, q) for name in args.questions for q in load_dev_set(PARTS[name][0]) if PARTS[name][1](q)]
        rows = collect(svc, qs, lean=args.lean)
        if args.rows:
            args.rows.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    parts = list(dict.fromkeys(r["part"] for r in rows))
    separation(rows, parts)
    routed = {p: (sum(1 for r in rows if r["part"] == p and not r["cands"] and r["answerable"]),
                  sum(1 for r in rows if r["part"] == p and not r["cands"] and not r["answerable"]),
                  sum(1 for r in rows if r["part"] == p and not r["cands"] and not r["answerable"] and r["route_found"]))
              for p in parts}
    print("questions answered by a route that judges no clause (answerable, unanswerable, unanswerable found):", routed)
    print(f"{'rule':34s} " + " ".join(f"{p:>17s}" for p in parts))
    for name, decide in RULES.items():
        cells = []
        try:
            for part in parts:
                a, na, u, nu = rates([r for r in rows if r["part"] == part], decide)
                cells.append(f"{a:3d}/{na:<3d} {u:3d}/{nu:<3d}")
        except KeyError:  # a signal lean rows do not hold
            continue
        print(f"{name:34s} " + " ".join(f"{c:>17s}" for c in cells))
    if args.list:
        base = _figures  # ask's decision before the key constraints
        for name, decide in RULES.items():
            for r in rows:
                if r["part"] in args.totals_only:
                    continue
                try:
                    changed = found(r, decide) != found(r, base)
                except KeyError:
                    break
                if changed:
                    print(f"  {name}: {r['id']} ans={r['answerable']} {found(r, base)}->{found(r, decide)} {r['question']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
