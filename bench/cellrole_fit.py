"""Fit the cell-role model (multinomial logistic regression) and measure it leave-one-document-out.

    python bench/cellrole_data.py --out /tmp/cellrole_rows.jsonl   # the tagged rows (tune only)
    python bench/cellrole_fit.py --rows /tmp/cellrole_rows.jsonl [--write] [--no-header] [--C 1.0]

Why: the weights in ``ingest/data/cellrole_model.json`` must come from the tune material alone, and
whether the model transfers to a layout it has not seen is what leave-one-document-out shows: fit
on every tune document but one, read the left-out one's rows, for each document in turn.

Uses scikit-learn (in the shared venv, NOT a declared dependency: bench only; the run time reads
the weights in pure Python, see ``ingest/cellrole.py``). Printed per role (cells tagged so), for:
  rules   — the roles ``ingest.tasks.column_roles`` gives from the header's cue words today;
  argmax  — the model's best role per cell;
  joint   — the model's roles chosen per row (``cellrole.assign``: at most one of each);
  policy  — ``cellrole.row_roles``: the rules, the model filling open roles and overriding a named
            role only with confidence >= ``--override``;
and, with ``--blind``, the same on rows whose header names are replaced by "Cột N" (a lost header).
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

RULE_ROLE = {"task": "content", "lead": "lead", "coordinators": "coord", "deadline": "deadline"}
VERSION = "2026-11-30.1"


def shifted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that hold an empty cell (else an "other" cell) after the task's, with that cell dropped and the cells after
    it moved one column left under the same header names (the last name dropped): a row whose
    reader lost an empty cell, so that the header's names no longer line up with the cells. The
    rules' roles stay those of the names."""
    out = []
    for r in rows:
        texts = r["texts"]
        gap = next((k for k in range(2, len(texts)) if not texts[k].strip()), None)
        if gap is None:  # else a product / note cell (tagged other) the reader lost
            gap = next((k for k in range(2, len(texts)) if r["tags"][k] == "other"), None)
        if gap is None or gap == len(texts) - 1:
            continue
        keep = [k for k in range(len(texts)) if k != gap]
        out.append({**r, "names": r["names"][: len(keep)], "texts": [texts[k] for k in keep],
                    "tags": [r["tags"][k] for k in keep]})
    return out


def _features(rows: list[dict[str, Any]], header: bool, blind: bool = False) -> list[list[dict[str, float]]]:
    out = []
    for r in rows:
        names = [f"Cột {k + 1}" for k in range(len(r["names"]))] if blind else r["names"]
        out.append(cellrole.row_features(names, r["texts"], header=header))
    return out


def _matrix(feats: list[list[dict[str, float]]], rows: list[dict[str, Any]], names: list[str]):
    X, y, where = [], [], []
    for i, (fs, r) in enumerate(zip(feats, rows)):
        for k, (x, tag) in enumerate(zip(fs, r["tags"])):
            if tag is None:
                continue
            X.append([x.get(n, 0.0) for n in names])
            y.append(tag)
            where.append((i, k))
    return np.array(X, dtype=float), np.array(y), where


def fit(X: np.ndarray, y: np.ndarray, names: list[str], C: float, header: bool) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mean) / scale, y)
    roles = [str(c) for c in clf.classes_]
    return {"version": VERSION, "header": header, "features": names, "roles": roles,
            "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": clf.coef_.round(6).tolist(), "intercept": clf.intercept_.round(6).tolist()}


def _rules_roles(r: dict[str, Any], blind: bool) -> list[str]:
    if blind:
        return ["other"] * len(r["names"])  # "Cột N" names no role
    return [RULE_ROLE.get(r["rules"].get(n, ""), "other") for n in r["names"]]


def _policy_roles(r: dict[str, Any], model: dict[str, Any], blind: bool) -> list[str]:
    names = [f"Cột {k + 1}" for k in range(len(r["names"]))] if blind else r["names"]
    cells = dict(zip(names, r["texts"]))
    rules = {} if blind else {v: k for k, v in r["rules"].items()}
    rules = {k: v for k, v in rules.items()}
    roles_by_name: dict[str, str] = {}
    with _model_as(model):
        got = cellrole.row_roles(cells, {RULE_ROLE_INV.get(k, k): v for k, v in rules.items()})
    for role, name in got.items():
        roles_by_name[name] = RULE_ROLE.get(role, "other")
    return [roles_by_name.get(n, "other") for n in names]


RULE_ROLE_INV = {"task": "task", "lead": "lead", "coordinators": "coordinators", "deadline": "deadline"}


class _model_as:
    """Use ``model`` as the loaded model inside a with-block (leave-one-out folds)."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.model = model

    def __enter__(self) -> None:
        self.saved = cellrole.load_model
        cellrole.load_model = lambda: self.model  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        cellrole.load_model = self.saved  # type: ignore[assignment]


def _score(rows: list[dict[str, Any]], got: dict[int, list[str]]) -> dict[str, tuple[int, int]]:
    out: dict[str, list[int]] = {r: [0, 0] for r in cellrole.ROLES}
    for i, r in enumerate(rows):
        if i not in got:
            continue
        for tag, role in zip(r["tags"], got[i]):
            if tag is None:
                continue
            out[tag][1] += 1
            out[tag][0] += int(role == tag)
    return {k: (a, b) for k, (a, b) in out.items()}


def _show(title: str, s: dict[str, tuple[int, int]]) -> None:
    cells = "  ".join(f"{k} {a}/{b} {a / b:.3f}" if b else f"{k} -" for k, (a, b) in s.items())
    print(f"{title:<18} {cells}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=Path, default=Path("/tmp/cellrole_rows.jsonl"))
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--no-header", action="store_true", help="header cue words are no feature")
    ap.add_argument("--override", type=float, default=0.9)
    ap.add_argument("--write", action="store_true", help="fit on all rows and write ingest/data/cellrole_model.json")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.rows.read_text(encoding="utf-8").splitlines() if line.strip()]
    header = not args.no_header
    feats = _features(rows, header)
    blind_feats = _features(rows, header, blind=True)
    names = sorted({k for fs in feats for x in fs for k in x})
    docs = sorted({r["doc"] for r in rows})
    print(f"{len(rows)} rows, {len(docs)} documents, {len(names)} features, header features: {header}")
    shifted = shifted_rows(rows)
    shifted_feats = _features(shifted, header)
    for case in ("as read", "LOST (Cột N)", "SHIFTED (a cell lost)"):
        blind = case.startswith("LOST")
        test_rows = shifted if case.startswith("SHIFTED") else rows
        fs_all = shifted_feats if case.startswith("SHIFTED") else (blind_feats if blind else feats)
        got: dict[str, dict[int, list[str]]] = {"rules": {}, "argmax": {}, "joint": {}, "policy": {}}
        for doc in docs:
            train = [i for i, r in enumerate(rows) if r["doc"] != doc]
            test = [i for i, r in enumerate(test_rows) if r["doc"] == doc]
            # train on both the rows as read and the same rows with their header lost
            X1, y1, _ = _matrix([feats[i] for i in train], [rows[i] for i in train], names)
            X2, y2, _ = _matrix([blind_feats[i] for i in train], [rows[i] for i in train], names)
            model = fit(np.vstack([X1, X2]), np.concatenate([y1, y2]), names, args.C, header)
            model["override"] = args.override
            for i in test:
                r = test_rows[i]
                probs = cellrole.cell_probs(fs_all[i], model)
                skip = [not t.strip() or bool(cellrole._NUMBER.match(t)) for t in r["texts"]]
                got["argmax"][i] = [max(p, key=p.get) for p in probs]
                got["joint"][i] = cellrole.assign(probs, skip)
                got["rules"][i] = _rules_roles(r, blind)
                got["policy"][i] = _policy_roles(r, model, blind)
        print(f"-- leave-one-document-out, {len(test_rows)} rows, header {case}")
        for k, v in got.items():
            _show(k, _score(test_rows, v))
    if args.write:
        X1, y1, _ = _matrix(feats, rows, names)
        X2, y2, _ = _matrix(blind_feats, rows, names)
        model = fit(np.vstack([X1, X2]), np.concatenate([y1, y2]), names, args.C, header)
        model["override"] = args.override
        model["trained_on"] = f"{len(rows)} labelled table rows of {len(docs)} tune documents (bench/cellrole_data.py)"
        cellrole.MODEL_FILE.write_text(json.dumps(model, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {cellrole.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
