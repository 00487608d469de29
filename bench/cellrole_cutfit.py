"""Fit the weights of the scored cut of flattened rows (``ingest/loaders/cellcut.py``) and measure it
leave-one-document-out.

    python bench/cellrole_data.py --out /tmp/cellrole_rows.jsonl --cuts /tmp/cellrole_cuts.jsonl
    python bench/cellrole_cutfit.py --rows /tmp/cellrole_rows.jsonl --cuts /tmp/cellrole_cuts.jsonl [--write]

Why: where a flattened row's cells end decides what the lead, partner and time cells hold; the cut
is chosen by the best score of its cells, and the weights of that score must come from the tune
material alone. Every labelled row of a flattened table in the tune material (``--cuts``) says, for
every cell a cut may make, whether that cell holds the label's lead / partners / deadline; so the
best possible cut (the oracle), the readers' cut and the scored cut can all be checked cell by cell.

Fitting: a latent structured perceptron (averaged): for each row, the scored cut under the current
weights; when it is not one of the best possible cuts, the weights move toward the best possible cut
that scores highest and away from the cut chosen. The text-only cell-role model (the ``model``
feature) is a multinomial logistic regression on the cell-role rows' text features
(``cellrole._text_stats``), refitted without the left-out document in each fold.

Printed per role (rows whose header has that column): right cells of the readers' cut (before), of
the scored cut fitted without the row's document (leave-one-document-out), of the oracle; and, with
``--ablate``, the same with one feature left out at a time (a feature is kept only if leaving it out
loses right cells in two documents or more).
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

import numpy as np  # noqa: E402
from tracuu.ingest import cellrole  # noqa: E402
from tracuu.ingest.loaders import cellcut  # noqa: E402

ROLE_KINDS = ("lead", "coord", "time")
VERSION = "2026-11-30.cut1"


def fit_local(rows: list[dict[str, Any]], C: float = 1.0) -> dict[str, Any]:
    """The text-only cell-role model: P(role | the cell's own text features)."""
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    names: list[str] | None = None
    for r in rows:
        for text, tag in zip(r["texts"], r["tags"]):
            if tag is None:
                continue
            st = cellrole._text_stats(text)
            names = names or sorted(st)
            X.append([st[n] for n in names])
            y.append(tag)
    Xa = np.array(X, dtype=float)
    mean, scale = Xa.mean(axis=0), Xa.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000).fit((Xa - mean) / scale, np.array(y))
    return {"features": names, "roles": [str(c) for c in clf.classes_], "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(), "coef": clf.coef_.round(6).tolist(),
            "intercept": clf.intercept_.round(6).tolist()}


def fit_span(rows: list[dict[str, Any]], C: float = 0.5) -> dict[str, Any]:
    """Per column kind (lead, partners, time): P(a candidate cell is exactly one whole cell of that
    kind), a logistic regression on the candidate cells of the rows (labelled cut known)."""
    from sklearn.linear_model import LogisticRegression

    out: dict[str, Any] = {}
    for kind in ROLE_KINDS:
        X, y = [], []
        names: list[str] | None = None
        for r in rows:
            for sp in r["spans"]:
                if r["kinds"][sp["col"]] != kind or sp["ok"] is None:
                    continue
                v = cellcut.span_vector(r["stats"][f"{sp['s']}:{sp['e']}"], sp["x"])
                names = names or sorted(v)
                X.append([v.get(n, 0.0) for n in names])
                y.append(int(bool(sp["ok"])))
        if not X or len(set(y)) < 2:
            continue
        Xa = np.array(X, dtype=float)
        mean, scale = Xa.mean(axis=0), Xa.std(axis=0)
        scale[scale == 0] = 1.0
        clf = LogisticRegression(C=C, max_iter=2000).fit((Xa - mean) / scale, np.array(y))
        out[kind] = {"features": names, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
                     "coef": clf.coef_[0].round(6).tolist(), "intercept": round(float(clf.intercept_[0]), 6)}
    return out


def with_model(row: dict[str, Any], local: dict[str, Any] | None,
               span: dict[str, Any] | None = None) -> dict[tuple[int, int, int], dict[str, float]]:
    """The row's span table, its ``model`` feature read by ``local``, its ``spanp`` by ``span``."""
    out = {}
    for sp in row["spans"]:
        x = dict(sp["x"])
        x.update(cellcut.learned_features(row["stats"][f"{sp['s']}:{sp['e']}"], sp["x"], row["kinds"][sp["col"]],
                                          local, span))
        out[(sp["s"], sp["e"], sp["col"])] = x
    return out


def cells_of(cols: list[int], m: int) -> dict[int, tuple[int, int]]:
    """column -> [s, e) of the fragments a cut puts there."""
    out: dict[int, list[int]] = {}
    for k, c in enumerate(cols):
        out.setdefault(c, []).append(k)
    return {c: (ks[0], ks[-1] + 1) for c, ks in out.items()}


def judge(row: dict[str, Any], cols: list[int]) -> dict[str, int | None]:
    """Per role: 1 when the cut's cell of that kind holds the label's value, 0 when not, None when
    the header has no column of that kind."""
    ok = {(sp["s"], sp["e"], sp["col"]): sp["ok"] for sp in row["spans"]}
    cells = cells_of(cols, len(row["kinds"]))
    out: dict[str, int | None] = {}
    for kind in ROLE_KINDS:
        if kind not in row["kinds"]:
            out[kind] = None
            continue
        col = row["kinds"].index(kind)
        if col in cells:
            s, e = cells[col]
            out[kind] = int(bool(ok.get((s, e, col), False)))
        else:
            out[kind] = int(bool(row["empty_ok"][str(col)]))
    return out


def decode(row: dict[str, Any], table, w: dict[str, float]) -> list[int]:
    empty = {k: w.get(f"empty_{k}", 0.3) for k in set(row["kinds"])}
    return cellcut.best_cut(len(row["frags"]), row["kinds"], cellcut.cell_scores(table, w), empty)


def oracle_cut(row: dict[str, Any]) -> list[int]:
    """A best possible cut: the most cells that hold the label's value."""
    scores = {(sp["s"], sp["e"], sp["col"]): float(bool(sp["ok"])) for sp in row["spans"]}
    empty = {k: (-1.0 if (k in ROLE_KINDS and row["empty_ok"][str(c)]) else 0.0) for c, k in enumerate(row["kinds"])}
    return cellcut.best_cut(len(row["frags"]), row["kinds"], scores, empty)


def right(row: dict[str, Any], cols: list[int]) -> int:
    return sum(v or 0 for v in judge(row, cols).values())


# the layout rule's own placement, as weights: each fragment's fit summed, a second fragment in the
# lead's cell 1.0, in another cell after the task's 0.4, an empty lead 2.0, time 0.5, other 0.3
START = {"fragfit": 1.0, "merges": -0.4, "merges_lead": -1.0, "empty_lead": 2.0, "empty_time": 0.5,
         "empty_coord": 0.3, "empty_other": 0.3, "empty_level": 0.3}
STEPS = (-1.0, -0.5, -0.25, 0.25, 0.5, 1.0)
FINE = {"model": (-0.2, -0.1, -0.05, 0.05, 0.1, 0.2), "spanp": (-0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.5, 1.0)}  # a log-probability runs to -9: smaller steps


class Prepared:
    """A row's candidate cells as a matrix (rows: cells, columns: features), scored by a dot product."""

    def __init__(self, row: dict[str, Any], table, feats: tuple[str, ...]) -> None:
        self.row = row
        self.keys = list(table)
        self.feats = tuple(dict.fromkeys(f for f in (*feats, *START) if not f.startswith("empty_")))
        self.X = np.array([[table[k].get(f, 0.0) for f in self.feats] for k in self.keys], dtype=float)

    def decode(self, w: dict[str, float]) -> list[int]:
        v = self.X @ np.array([w.get(f, 0.0) for f in self.feats]) if len(self.keys) else []
        scores = dict(zip(self.keys, (float(x) for x in v)))
        empty = {k: w.get(f"empty_{k}", 0.3) for k in set(self.row["kinds"])}
        return cellcut.best_cut(len(self.row["frags"]), self.row["kinds"], scores, empty)


def objective(prepared: list[Prepared], w: dict[str, float]) -> int:
    return sum(right(p.row, p.decode(w)) for p in prepared)


def train(prepared: list[Prepared], feats: tuple[str, ...], passes: int = 12,
          steepest: bool = False) -> dict[str, float]:
    """Coordinate ascent from the layout rule's own weights (START): a weight moves only when the
    training rows get strictly more right cells, so without a gain the old placement stays. First
    improvement (features in the order named, ``passes`` sweeps) or, with ``steepest``, each round
    the single move that gains most (at most ``passes`` moves)."""
    w = dict(START)  # the rule's weights stay unless named in ``feats`` and moved
    params = list(feats)
    best = objective(prepared, w)
    for _ in range(passes):
        move, gain = None, best
        for f in params:
            for step in FINE.get(f, STEPS):
                trial = {**w, f: round(w.get(f, 0.0) + step, 4)}
                got = objective(prepared, trial)
                if got > gain:
                    move, gain = trial, got
                    if not steepest:
                        w, best = move, gain
        if move is None:
            break
        w, best = move, gain
    return w


def evaluate(rows, got_cols) -> dict[str, list[int]]:
    out = {k: [0, 0] for k in (*ROLE_KINDS, "all three")}
    for r, cols in zip(rows, got_cols):
        j = judge(r, cols)
        for k, v in j.items():
            if v is not None:
                out[k][0] += v
                out[k][1] += 1
        out["all three"][0] += int(all(v in (1, None) for v in j.values()))
        out["all three"][1] += 1
    return out


def show(title: str, s: dict[str, list[int]]) -> None:
    print(f"{title:<26} " + "  ".join(f"{k} {a}/{b} {a / b:.3f}" if b else f"{k} -" for k, (a, b) in s.items()))


def loo(rows, cellrows, feats, passes=12, steepest=False, drop=()):
    """Leave-one-document-out: per document, the weights (and the text model) fitted on the others.
    Gives the cuts and each fold's weights."""
    docs = sorted({r["doc"] for r in rows})
    got: list[list[int] | None] = [None] * len(rows)
    weights: dict[str, dict[str, float]] = {}
    for doc in docs:
        local = fit_local([r for r in cellrows if r["doc"] != doc]) if "model" in feats else None
        span = fit_span([r for r in rows if r["doc"] != doc]) if "spanp" in feats else None
        prepared = [Prepared(r, with_model(r, local, span), feats) for r in rows]
        w = train([p for p in prepared if p.row["doc"] != doc], feats, passes, steepest)
        w.update({f: START.get(f, 0.0) for f in drop})
        weights[doc] = w
        for i, p in enumerate(prepared):
            if p.row["doc"] == doc:
                got[i] = p.decode(w)
        print(f"   fold {doc.split('/')[-1][:30]}: {w}", file=sys.stderr)
    return got, weights


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=Path, default=Path("/tmp/cellrole_rows.jsonl"))
    ap.add_argument("--cuts", type=Path, nargs="+", default=[Path("/tmp/cellrole_cuts.jsonl"),
                                                             Path("/tmp/cellrole_wrapped.jsonl")])
    ap.add_argument("--passes", type=int, default=12, help="at most this many sweeps (moves with --steepest)")
    ap.add_argument("--steepest", action="store_true", help="steepest coordinate ascent, not first improvement")
    ap.add_argument("--features", default=",".join(cellcut.FEATURES))
    ap.add_argument("--ablate", action="store_true")
    ap.add_argument("--write", action="store_true", help="fit on all rows, write the cut weights to the model file")
    ap.add_argument("--drop", default="", help="weights set back to the rule's value after fitting, in every fold "
                    "and with --write (features that failed the two-documents test of --ablate)")
    args = ap.parse_args(argv)
    read = lambda p: [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]  # noqa: E731
    rows = [r for p in args.cuts for r in read(p)]
    cellrows = read(args.rows)
    feats = tuple(f for f in args.features.split(",") if f)
    docs = sorted({r["doc"] for r in rows})
    sources = sorted({r["source"] for r in rows} - {"wrapped"}) and ["flattened", "wrapped"]
    print(f"{len(rows)} rows ({sum(r['source'] != 'wrapped' for r in rows)} flattened by a real text layer), "
          f"{len(docs)} documents; features {feats}")

    def part(which: str) -> list[int]:
        return [i for i, r in enumerate(rows) if (r["source"] == "wrapped") == (which == "wrapped")]

    oracle = [oracle_cut(r) for r in rows]
    start = [Prepared(r, with_model(r, None), feats).decode(START) for r in rows]
    drop = tuple(x for x in args.drop.split(",") if x)
    got, fold_w = loo(rows, cellrows, feats, args.passes, args.steepest, drop)
    for which in sources:
        idx = part(which)
        sub = [rows[i] for i in idx]
        print(f"-- {which} rows ({len(idx)})")
        show("readers' cut (before)", evaluate(sub, [r["current"] for r in sub]))
        show("best possible (oracle)", evaluate(sub, [oracle[i] for i in idx]))
        show("start weights (= rule)", evaluate(sub, [start[i] for i in idx]))
        show("scored cut, LOO", evaluate(sub, [got[i] for i in idx]))
        for doc in docs:
            di = [i for i in idx if rows[i]["doc"] == doc]
            if not di:
                continue
            before = sum(right(rows[i], rows[i]["current"]) for i in di)
            after = sum(right(rows[i], got[i]) for i in di)
            print(f"   {doc:<60} rows {len(di):>3}  right cells {before} -> {after}")
    if args.ablate:
        # each feature's share: the fold's weights with that feature's weight set to zero (no refit)
        base = {doc: sum(right(rows[i], got[i]) for i, r in enumerate(rows) if r["doc"] == doc) for doc in docs}
        local_by_doc = {doc: fit_local([r for r in cellrows if r["doc"] != doc]) for doc in docs} \
            if "model" in feats else {}
        span_by_doc = {doc: fit_span([r for r in rows if r["doc"] != doc]) for doc in docs} \
            if "spanp" in feats else {}
        prepared = {doc: [(i, Prepared(r, with_model(r, local_by_doc.get(doc), span_by_doc.get(doc)), feats))
                          for i, r in enumerate(rows) if r["doc"] == doc] for doc in docs}
        for f in feats:
            per = {doc: sum(right(p.row, p.decode({**fold_w[doc], f: START.get(f, 0.0)})) for _, p in prepared[doc])
                   for doc in docs}
            lost = [d.split("/")[-1][:12] for d in docs if per[d] < base[d]]
            won = [d.split("/")[-1][:12] for d in docs if per[d] > base[d]]
            print(f"   {f:<14} at its start value: fewer right cells in {len(lost)} docs {lost}; more in {won}")
    if args.write:
        local = fit_local(cellrows) if "model" in feats else None
        span = fit_span(rows) if "spanp" in feats else None
        w = train([Prepared(r, with_model(r, local, span), feats) for r in rows], feats, args.passes, args.steepest)
        for f in (x for x in args.drop.split(",") if x):
            w[f] = START.get(f, 0.0)
        empty = {k[len("empty_"):]: v for k, v in w.items() if k.startswith("empty_")}
        weights = {k: v for k, v in w.items() if not k.startswith("empty_") and v}
        model = cellrole.load_model()
        model["cut"] = {"version": VERSION, "weights": weights, "empty": empty,
                        "local": local if weights.get("model") else None,
                        "span": span if weights.get("spanp") else None,
                        "trained_on": f"{len(rows)} labelled rows of {len(docs)} tune documents, "
                                      f"{sum(r['source'] != 'wrapped' for r in rows)} of them flattened by a "
                                      "real text layer, the others written out as one (bench/cellrole_data.py)"}
        cellrole.MODEL_FILE.write_text(json.dumps(model, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote cut weights {weights} empty {empty} -> {cellrole.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
