"""Fit the calibrated abstention model (index/abstain_model.py) on labelled questions.

Why: abstention was stacked thresholds tuned by hand on the questions that showed each rule; one
logistic regression over the same signals, fitted on more questions and with its operating point
chosen on the tuned part, generalises better or is not kept.

    python bench/abstain_fit.py --data-dir /tmp/kb [--questions FILE ...] [--features /tmp/f.json]
                                [--from-features /tmp/f.json] [--write]

1. Collect: every question is asked with ``Ask._answers`` replaced by a recorder that computes
   the features of each candidate ``ask`` judges (the first ``judge_top`` of its ranking) and
   refuses, so that all of them are judged. A candidate is labelled 1 when the question is
   answerable and the clause holds one of its anchors in its document, 0 when the question is
   unanswerable; candidates of answerable questions that do not hold an anchor are left out.
2. Fit: L2-regularised logistic regression (numpy, gradient descent on standardised features)
   on the tuned part of questions.tune.jsonl (bench/ask_split.py) plus every other file given
   (the calibration questions, written by us on tune documents).
3. Operating point: the threshold that minimises refused-answerable share + answered-
   unanswerable share on the tuned part (questions: any judged candidate over the threshold).
   Printed beside the current rule (coverage >= 0.5 and dense >= 0.80) on the tuned and the
   checked part. ``--write`` stores the coefficients in index/data/abstain_model.toml.

The held-out file is refused. No timing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.index.abstain_model import FEATURES, MODEL, AbstainModel  # noqa: E402

from bench.ask_split import TUNE, group_of, part_of  # noqa: E402

CALIB = ROOT / "tests" / "realdocs" / "questions.calib.jsonl"
FRESH_TUNE = ROOT / "tests" / "realdocs" / "fresh" / "h11-fresh.questions.tune.jsonl"
FRESH_CHECK = ROOT / "tests" / "realdocs" / "fresh" / "h11-fresh.questions.check.jsonl"
#: The parts fitted on and whose threshold is chosen: the tuned half of the old tune questions
#: and the tune part of the fresh questions (written on 16 documents nobody had asked about).
FIT_PARTS = ("tune", "ftune")


def part_of_file(path: Path, q: dict[str, Any]) -> str:
    """The part a question belongs to: "tune"/"check" (old tune file, bench/ask_split.py),
    "ftune"/"fcheck" (the fresh set, split by document), "calib" for any other file."""
    if path.resolve() == TUNE.resolve():
        return part_of(q)
    if path.resolve() == FRESH_TUNE.resolve():
        return "ftune"
    if path.resolve() == FRESH_CHECK.resolve():
        return "fcheck"
    return "calib"


def hit_context(svc: Any, clause: Any) -> str:
    """What ``Ask._coverage`` reads a clause with: its document's header and its headings."""
    return " ".join([svc._doc_context().get(clause.doc_id, ""), *clause.heading_chain])


def collect(svc: Any, questions: list[dict[str, Any]], part: dict[str, str]) -> list[dict[str, Any]]:
    """One row per judged candidate: question id, part, answerable, anchor hit, features."""
    from tracuu.api.ask_service import Ask
    from tracuu.api.evaluation import anchor_hit, label_doc_ids
    from tracuu.index.abstain_model import document_text, features

    doc_ids = label_doc_ids(svc)
    rows: list[dict[str, Any]] = []
    current: dict[str, Any] = {}

    def recorder(self, best, readings, question=""):
        q = current["q"]
        want_doc = doc_ids.get(q.get("doc") or "", None)
        hit = bool(q["answerable"]) and anchor_hit(q.get("anchors") or [], best.clause.text) and (
            want_doc is None or best.clause.doc_id == want_doc)
        x = features(readings, question, best.clause.text, hit_context(self, best.clause), best.dense, best.score,
                     self.index.keyword, document_text(self.store().get(best.clause.doc_id)))
        rows.append({"id": q["id"], "group": group_of(q), "part": part[q["id"]], "answerable": bool(q["answerable"]), "hit": hit,
                     "clause_id": best.clause.clause_id, "x": x})
        return False

    original = Ask._answers
    Ask._answers = recorder
    try:
        for q in questions:
            current["q"] = q
            svc.ask(q["question"], 5)
    finally:
        Ask._answers = original
    return rows


def _matrix(rows: list[dict[str, Any]]):
    import numpy as np

    return np.array([[r["x"][f] for f in FEATURES] for r in rows], dtype=float)


#: Features left out of the fit (coefficient 0): the dense cosine depends on the embedder (e5's
#: answerable and unanswerable hits both lie between 0.80 and 0.90, the fast tier's hash embedder
#: gives other values: a weight fitted on e5 would turn around there) and the fused score is
#: min-max normalised per query (1.0 for every query's best hit). The dense floor of
#: index/abstain.py Thresholds stays in front of the model (index/abstain_model.judge).
LEFT_OUT = ("dense", "fused")


def fit(rows: list[dict[str, Any]], l2: float = 1.0, steps: int = 4000, left_out: tuple[str, ...] = LEFT_OUT) -> AbstainModel:
    """Logistic regression on the labelled candidate rows (see the module doc), threshold 0.5."""
    import numpy as np

    train = [r for r in rows if r["hit"] or not r["answerable"]]
    X = _matrix(train)
    for i, f in enumerate(FEATURES):
        if f in left_out:
            X[:, i] = 0.0
    y = np.array([1.0 if r["hit"] else 0.0 for r in train])
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    Z = (X - mu) / sd
    # classes weighted to balance: there are far more positives than negatives
    w_pos = len(y) / (2 * max(y.sum(), 1))
    w_neg = len(y) / (2 * max((1 - y).sum(), 1))
    sw = np.where(y == 1, w_pos, w_neg)
    beta = np.zeros(Z.shape[1])
    b = 0.0
    lr = 0.1
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ beta + b)))
        g = sw * (p - y)
        beta -= lr * (Z.T @ g / len(y) + l2 * beta / len(y))
        b -= lr * g.mean()
    coef = beta / sd
    intercept = b - float((beta * mu / sd).sum())
    return AbstainModel({f: round(float(c), 6) for f, c in zip(FEATURES, coef)}, round(float(intercept), 6), 0.5)


def question_found(rows: list[dict[str, Any]], decide) -> dict[str, tuple[bool, bool]]:
    """question id -> (answerable, answered: some judged candidate passes ``decide``)."""
    out: dict[str, tuple[bool, bool]] = {}
    for r in rows:
        ans, found = out.get(r["id"], (r["answerable"], False))
        out[r["id"]] = (ans, found or decide(r["x"]))
    return out


def rates(found: dict[str, tuple[bool, bool]]) -> tuple[float, float, int, int]:
    """(answerable refused share, unanswerable answered share, n answerable, n unanswerable)."""
    ans = [f for a, f in found.values() if a]
    una = [f for a, f in found.values() if not a]
    return (sum(not f for f in ans) / max(len(ans), 1), sum(una) / max(len(una), 1), len(ans), len(una))


def rule(x: dict[str, float]) -> bool:
    """The rule the model replaces (api/ask_service.py: Ask._answers with index/abstain.Thresholds)."""
    return x["coverage"] >= 0.5 and x["dense"] >= 0.80


def choose_threshold(model: AbstainModel, rows: list[dict[str, Any]]) -> float:
    """The threshold minimising refused + answered shares on ``rows``, summed over their parts
    (each tune part weighs the same; ties: the middle one)."""
    grid = [i / 100 for i in range(5, 96)]
    parts = sorted({r["part"] for r in rows})
    scored = []
    for t in grid:
        total = 0.0
        for name in parts:
            sel = [r for r in rows if r["part"] == name]
            refused, answered, _, _ = rates(question_found(sel, lambda x, t=t: model.probability(x) >= t))
            total += refused + answered
        scored.append((round(total, 6), t))
    best = min(s for s, _ in scored)
    ties = [t for s, t in scored if s == best]
    return ties[len(ties) // 2]


def cross_validated(rows: list[dict[str, Any]], folds: int, l2: float) -> dict[int, float]:
    """Out-of-fold probability of every row (index -> p): a question's rows, and its twin's, are
    held out together (folds by a hash of the question's group, as bench/ask_split.py splits)."""
    import hashlib

    def fold_of(r: dict[str, Any]) -> int:
        key = r.get("group") or r["id"]
        return int(hashlib.sha1(key.encode()).hexdigest(), 16) % folds

    out: dict[int, float] = {}
    for k in range(folds):
        train = [r for r in rows if fold_of(r) != k]
        model = fit(train, l2=l2)
        for i, r in enumerate(rows):
            if fold_of(r) == k:
                out[i] = model.probability(r["x"])
    return out


def oof_threshold(rows: list[dict[str, Any]], probs: dict[int, float], part: str) -> tuple[float, list[str]]:
    """The threshold minimising refused + answered shares of ``part`` on out-of-fold probabilities,
    and the printed curve."""
    idx = [i for i, r in enumerate(rows) if r["part"] == part]
    curve, scored = [], []
    for t in [i / 100 for i in range(5, 96)]:
        found: dict[str, tuple[bool, bool]] = {}
        for i in idx:
            r = rows[i]
            a, f = found.get(r["id"], (r["answerable"], False))
            found[r["id"]] = (a, f or probs[i] >= t)
        refused, answered, _, _ = rates(found)
        scored.append((round(refused + answered, 6), t))
        if round(t * 100) % 5 == 0:
            curve.append(f"  t={t:.2f} refused {refused:.3f} answered {answered:.3f}")
    best = min(sc for sc, _ in scored)
    ties = [t for sc, t in scored if sc == best]
    return ties[len(ties) // 2], curve


def write_model(model: AbstainModel, note: str, path: Path = MODEL) -> None:
    lines = ["# Calibrated abstention (index/abstain_model.py), fitted by bench/abstain_fit.py; do not edit by hand.",
             f"# {note}", f"intercept = {model.intercept}", f"threshold = {model.threshold}", "", "[coef]"]
    lines += [f"{f} = {model.coef[f]}" for f in FEATURES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--questions", type=Path, nargs="*", default=[TUNE, CALIB, FRESH_TUNE, FRESH_CHECK])
    p.add_argument("--features", type=Path, help="write the collected rows here")
    p.add_argument("--from-features", type=Path, nargs="*", help="fit on rows collected before (no knowledge base)")
    p.add_argument("--l2", type=float, default=1.0)
    p.add_argument("--cv", type=int, default=0, help="choose the threshold on K-fold out-of-fold probabilities")
    p.add_argument("--write", action="store_true")
    args = p.parse_args(argv)
    if any("heldout" in q.name for q in args.questions):
        p.error("the held-out questions are never read here")
    if args.from_features:
        rows = [r for f in args.from_features for r in json.loads(f.read_text(encoding="utf-8"))]
        from tracuu.api.evaluation import load_dev_set

        paths = [p for p in (TUNE, CALIB, FRESH_TUNE, FRESH_CHECK) if p.exists()]
        known = {q["id"]: part_of_file(path, q) for path in paths for q in load_dev_set(path)}
        groups = {q["id"]: group_of(q) for path in paths for q in load_dev_set(path)}
        for r in rows:  # the part is fixed by the question (bench/ask_split.py), whatever the rows say
            r["part"] = known.get(r["id"], "calib")
            r["group"] = groups.get(r["id"], r["id"])
    else:
        from tracuu.api.config import Settings
        from tracuu.api.evaluation import load_dev_set
        from tracuu.api.service import Tracuu

        if args.data_dir is None:
            p.error("--data-dir is needed to collect features")
        svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
        questions, part = [], {}
        for path in args.questions:
            if not path.exists():
                continue
            for q in load_dev_set(path):
                questions.append(q)
                part[q["id"]] = part_of_file(path, q)
        rows = collect(svc, questions, part)
        if args.features:
            args.features.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    fit_rows = [r for r in rows if r["part"] in FIT_PARTS]
    model = fit(fit_rows, l2=args.l2)
    tuned = [r for r in rows if r["part"] in FIT_PARTS]
    if args.cv:
        probs = cross_validated(fit_rows, args.cv, args.l2)
        threshold, curve = oof_threshold(fit_rows, probs, "tune")
        print(f"out-of-fold ({args.cv} folds) on the tuned part:", *curve, sep="\n")
        for name in ("calib",):
            _, curve = oof_threshold(fit_rows, probs, name)
            print(f"out-of-fold on the {name} part:", *curve, sep="\n")
        model = AbstainModel(model.coef, model.intercept, threshold)
    else:
        model = AbstainModel(model.coef, model.intercept, choose_threshold(model, tuned))
    print("coefficients:", json.dumps(model.coef), "intercept", model.intercept, "threshold", model.threshold)
    print(f"{'part':6s} {'decision':8s} {'ans refused':>12s} {'unans answered':>15s}")
    for name in ("tune", "ftune", "check", "fcheck", "calib"):
        sel = [r for r in rows if r["part"] == name]
        if not sel:
            continue
        for label, decide in (("rule", rule), ("model", model.answers)):
            refused, answered, n_a, n_u = rates(question_found(sel, decide))
            print(f"{name:6s} {label:8s} {refused:8.3f} /{n_a:<3d} {answered:10.3f} /{n_u:<3d}")
    if args.write:
        how = f"{args.cv}-fold out-of-fold" if args.cv else "in-sample"
        write_model(model, f"fitted on the tuned half of questions.tune + the fresh tune part; l2={args.l2}; threshold {how} on those parts")
        print(f"written: {MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
