"""The signals of one candidate clause that may tell an answered question from an unanswered one.

Why: abstention is a decision on what a clause holds of the question; its rules were tuned where
they showed and held worse elsewhere. This module only measures: the features of the calibrated
model (index/abstain_model.py) plus the margin of the ranking, the agreement of its dense and
keyword halves, the agencies the question names, and whether the clause's extracted tasks give
what a who / by-when question asks. bench/abstain_signals.py records them for every candidate
``ask`` judges and reports which separate the tuning parts' answerable questions from their
unanswerable ones, and whether that holds on the check parts.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from tracuu.index.abstain import key_terms
from tracuu.index.abstain_figures import asks_count, missing_counts, unstated_count
from tracuu.index.abstain_keys import unmet
from tracuu.index.abstain_model import features
from tracuu.index.keyword import BM25Index, folded_syllables
from tracuu.index.query.ask_intent import asks_who_only, classify
from tracuu.index.query.figure_ask import asks_day, states_day
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.deadlines import find_deadlines
from tracuu.ingest.vntext import fold


def _agency_keys(text: str) -> set[str]:
    """Folded canonical names of the agencies ``text`` names."""
    return {fold(m.name) for m in find_agencies(text or "")}


def asked_agencies(question: str) -> set[str]:
    """Folded canonical names of the agencies a question names (unknown ones as written)."""
    return _agency_keys(question)


def _spaced(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(text or ""))) + " "


#: Levels of the agencies :func:`missing_bodies` looks for. People's committees and groups ("UBND
#: tỉnh", "các bộ, ngành") are named by level, in words documents vary ("Ủy ban nhân dân các tỉnh,
#: thành phố trực thuộc trung ương"); a ministry or a department is named by its name.
BODY_LEVELS = ("central", "provincial")
_BY_LEVEL = ("ubnd", "hdnd")


def missing_bodies(question: str, seen: str, document: str) -> list[str]:
    """The specific bodies the question names (a ministry, a department, a named body the agency
    gazetteer knows, not guessed from a head word) that neither ``seen`` (the clause with its
    headings and header) nor its whole ``document`` names, by any form (as typed, canonical,
    written out) or by the gazetteer's reading of the document.

    Why measured: "Sở Y tế Quảng Ngãi hướng dẫn kiểm kê …" against the Quảng Ngãi plan, in which the
    Sở Y tế has no task, is answered from the departments that have one. Not in ``ask``'s decision:
    on the fresh check part it refused an answerable question for each unanswerable one it caught
    (bench/abstain_signals.py)."""
    asked = [m for m in find_agencies(question or "") if m.agency_id and m.matched != "guess"
             and m.level in BODY_LEVELS and not m.agency_id.startswith(_BY_LEVEL)]
    if not asked:
        return []
    text = f"{seen} {document}"
    words = _spaced(text)
    ids = {m.agency_id for m in find_agencies(text) if m.agency_id}
    return [m.text for m in asked if m.agency_id not in ids
            and not any(f" {k.strip()} " in words for k in (_spaced(m.text), _spaced(m.name), _spaced(m.full)) if k.strip())]


def lean_signals(question: str, clause_text: str, context: str, tasks: list[dict[str, Any]]) -> dict[str, float]:
    """Only the signals of ``ask``'s own decision beyond its thresholds: the count checks
    (index/abstain_figures.py) and the key constraints unmet, per kind (index/abstain_keys.py)."""
    both = f"{context} {clause_text}"
    x = {"unstated_count": float(unstated_count(question, clause_text)),
         "missing_counts": float(bool(missing_counts(question, both))), "asks_count": float(asks_count(question))}
    kinds = {c.kind for c in unmet(question, clause_text, context, tasks)}
    for kind in ("day", "year", "place", "agency", "document"):
        x[f"key_{kind}"] = float(kind in kinds)
    return x


def signals(readings: list[str], question: str, hit: Any, pool: list[Any], context: str, bm25: BM25Index,
            document: str, tasks: list[dict[str, Any]], in_document: Callable[[str], bool]) -> dict[str, float]:
    """Every signal of ``hit`` (a ScoredClause) for the question; ``pool``: the ranking it was taken
    from; ``tasks``: its clause's extracted tasks; ``in_document(term)``: does its document hold the
    folded term."""
    first = readings[0] if readings else question
    both = f"{context} {hit.clause.text}"
    x = features(readings, question, hit.clause.text, context, hit.dense, hit.score, bm25, document)
    scores = sorted((s.score for s in pool), reverse=True)
    x["margin"] = scores[0] - scores[1] if len(scores) > 1 else 1.0
    ids = [s.clause.clause_id for s in pool]
    cid = hit.clause.clause_id
    by_dense = [s.clause.clause_id for s in sorted(pool, key=lambda s: -s.dense)]
    by_kw = [s.clause.clause_id for s in sorted(pool, key=lambda s: -s.keyword)]
    x["rank"] = float(ids.index(cid)) if cid in ids else float(len(ids))
    x["dense_rank"] = float(by_dense.index(cid)) if cid in by_dense else float(len(ids))
    x["kw_rank"] = float(by_kw.index(cid)) if cid in by_kw else float(len(ids))
    x["agree"] = float(bool(by_dense) and by_dense[0] == by_kw[0])
    top_kw = max((s.keyword for s in pool), default=0.0)
    x["kw_ratio"] = hit.keyword / top_kw if top_kw > 0 else 0.0
    named = asked_agencies(question)
    in_clause = _agency_keys(both) | {fold(ref.get("name") or "") for t in tasks for f in
                                      ("lead", "coordinators", "performer", "advises", "reports_to") for ref in (t.get(f) or [])
                                      if isinstance(ref, dict)}
    x["agency_missing"] = float(bool(named - in_clause))
    x["agency_missing_doc"] = float(bool(named - in_clause - _agency_keys(document[:200_000])))
    kind = classify(first).kind
    if kind == "deadline" or (kind is None and asks_day(first)):
        has = any(t.get("deadline") for t in tasks) or bool(find_deadlines(hit.clause.text)) or states_day(both)
        x["task_lacks"] = float(not has)
    elif kind == "owner" or asks_who_only(first):
        x["task_lacks"] = float(not (any(t.get("lead") for t in tasks) or find_agencies(both)))
    else:
        x["task_lacks"] = 0.0
    words = set(folded_syllables(both))
    keys = key_terms(first, bm25.idf)
    x["n_keys"] = float(len(keys))
    x["keys_missing_clause"] = float(sum(1 for t in keys if t not in words))
    x["keys_missing_doc"] = float(sum(1 for t in keys if t not in words and not in_document(t)))
    x["missing_bodies"] = float(bool(missing_bodies(question, both, document)))
    x.update(lean_signals(question, hit.clause.text, context, tasks))
    return x
