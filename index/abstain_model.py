"""Abstention as one calibrated decision: a logistic model over a few general features of a hit.

Why: the rules of index/abstain.py grew as stacked thresholds and multiplicative penalties, each
tuned on the questions that showed it; they improved the tuning questions far more than unseen
ones. Here the same signals are kept apart as features — how much of the question the clause
covers (IDF-weighted, before and after the penalties), how similar it is (dense cosine, fused
score), and each mismatch the rules detect (a figure in a unit, a day, a place, a name, a figure
the question names) — and weighed by one logistic regression fitted on labelled questions
(bench/abstain_fit.py), whose coefficients and operating point are data
(``index/data/abstain_model.toml``), not code.

The decision is per candidate clause: ``probability(features) >= threshold`` says "this clause
answers the question"; a question is answered when one of the best-ranked candidates does
(``Thresholds.judge_top`` in index/abstain.py, as before).

Status: optional (``Ask.abstain_by_model``; ``bench/ask_split.py --abstain model``). h11-fresh made it
the default, calling :func:`judge` behind the rules' dense floor; the integrator turned it off again: it
refused more answerable questions on both checked parts and the paraphrase of the plan's point h that
issue 11 names (tests/test_ask_intents.py). Features added then are general, not word lists: the question's place and its
key terms (rare in the corpus by document frequency) looked for in the clause's whole document, the
share of the question the document holds, and whether a who / by-when question meets a clause that
names no agency / states no deadline. The cosine and the fused score are left out of the fit (they
depend on the embedder and on the query). Fitted (bench/abstain_fit.py, l2=1 chosen on the tune parts)
on the tuned half of questions.tune.jsonl plus the tune part of the fresh questions
(tests/realdocs/fresh/h11-fresh.questions.tune.jsonl), threshold chosen on those two parts; checked on
the fresh check part, the old checked half and the calibration questions (figures in
tests/realdocs/fresh/README.md). Before: the rules stayed the default because the model of round
h11-gen3 checked worse than them.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracuu.index.abstain import (
    Thresholds,
    _reading_coverage,
    asks_figure,
    content_terms,
    coverage,
    has_figure,
    key_terms,
    missing_asked_things,
    missing_figures,
)
from tracuu.index.keyword import BM25Index, folded_syllables
from tracuu.index.query.ask_intent import asks_who_only, classify
from tracuu.index.query.figure_ask import answers_figure, asked_figure, asks_day, states_day
from tracuu.index.query.names import missing_names
from tracuu.index.query.places import missing_places
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.deadlines import find_deadlines

MODEL = Path(__file__).resolve().parent / "data" / "abstain_model.toml"

#: The features, in the order the coefficients are stored.
FEATURES = (
    "coverage",  # index/abstain.coverage: IDF share of the question in the clause, penalties applied
    "coverage_raw",  # the same share, before any penalty
    "dense",  # cosine of the clause's best dense match
    "fused",  # the fused (min-max normalised) score: 1.0 for the best hit of the query
    "unit_missing",  # asks "bao nhiêu tấn" and the clause states no number in tonnes
    "figure_missing",  # asks "bao nhiêu" and the clause states no figure at all
    "day_missing",  # asks "trước ngày nào" and the clause states no day
    "place_missing",  # names a province the clause and its document do not name
    "name_missing",  # names a person, project or thing the clause does not name
    "number_missing",  # names a figure ("30/9", "2.340.000") the clause does not contain
    "log_terms",  # log(1 + the number of the question's content terms): short questions cover easily
    "rarest_missing",  # the question's rarest content term (highest IDF) is not in the clause nor its context
    "missing_idf",  # the highest IDF among the terms the clause misses, over the highest IDF of the question
    "kb_missing",  # IDF share of the question's terms that no clause of the knowledge base holds
    # the general signals (h11-fresh): what the question is about, looked for in the clause's document
    "place_missing_doc",  # names a province or city the clause's whole document never names
    "key_missing_doc",  # IDF share of the question's key terms (rare in the corpus) its document never holds
    "key_missing_clause",  # the same share, for the clause read with its header and headings
    "coverage_doc",  # IDF share of the question's content terms found anywhere in the document
    "asked_missing",  # asks who / by when and the clause names no agency / states no deadline
)

#: A term no document could hold: its IDF is the one every absent term gets.
_ABSENT = "zzqxjabsentzzqxj"


@lru_cache(maxsize=64)
def _document_terms(document: str) -> frozenset[str]:
    """The folded syllables of a document's text (remembered: every candidate of a question, and
    the next questions, read the same few documents)."""
    return frozenset(folded_syllables(document))


def _key_share(keys: list[str], present: set[str], bm25: BM25Index) -> float:
    """IDF share of ``keys`` not in ``present`` (0 when there are none)."""
    mass = sum(bm25.idf(t) for t in keys)
    return sum(bm25.idf(t) for t in keys if t not in present) / mass if mass > 0 else 0.0


def _asked_missing(question: str, both: str) -> bool:
    """The question asks who does it (or by when) and the clause, read with its header and
    headings, names no agency (states no deadline): it cannot give what is asked."""
    kind = classify(question).kind
    if kind == "deadline" or (kind is None and asks_day(question)):
        return not (find_deadlines(both) or states_day(both))
    if kind == "owner" or asks_who_only(question):
        return not find_agencies(both)
    return False


def features(readings: list[str], question: str, clause_text: str, context: str, dense: float, fused: float,
             bm25: BM25Index, document: str = "") -> dict[str, float]:
    """The features of one candidate clause for a question.

    ``readings``: the question as read (diacritics restored) then its rewrites, as for
    :func:`index.abstain.coverage`; ``question``: as typed; ``context``: the clause's document
    header and headings (what it is read with); ``document``: the text of the clause's whole
    document (every clause), where the question's place and rare terms are looked for: a
    document extracted without its header ("Kính gửi: …" of a Hà Nội letter) names its city in
    its body, not its header. Empty: the clause and its context stand for the document."""
    first = readings[0] if readings else question
    both = f"{context} {clause_text}"
    clause_terms = set(folded_syllables(both))
    base = set(content_terms(first))
    raw = 0.0
    for i, text in enumerate(t for t in readings if t):
        terms = content_terms(text)
        if terms:
            raw = max(raw, _reading_coverage(terms, base if i else set(), clause_terms, bm25))
    idf = {t: bm25.idf(t) for t in base}
    missing = [idf[t] for t in base if t not in clause_terms]
    top = max(idf.values(), default=0.0)
    rarest = max(idf, key=lambda t: (idf[t], t)) if idf else None
    absent = bm25.idf(_ABSENT)
    mass = sum(idf.values())
    doc_terms = clause_terms | _document_terms(document) if document else clause_terms
    key_miss_doc, key_miss_clause = 1.0, 1.0
    for text in (t for t in readings if t):  # the reading that misses fewest ("Sở GD&ĐT" written out)
        keys = key_terms(text, bm25.idf)
        key_miss_doc = min(key_miss_doc, _key_share(keys, doc_terms, bm25))
        key_miss_clause = min(key_miss_clause, _key_share(keys, clause_terms, bm25))
    cov_doc = max((_reading_coverage(content_terms(t), base if i else set(), doc_terms, bm25)
                   for i, t in enumerate(t for t in readings if t) if content_terms(t)), default=0.0)
    asked = asked_figure(first)
    unit_missing = asked is not None and not answers_figure(clause_text, asked)
    figure_missing = asked is None and asks_figure(first) and not has_figure(clause_text)
    return {
        "coverage": coverage(readings, clause_text, bm25, context) if readings else 0.0,
        "coverage_raw": raw,
        "dense": float(dense),
        "fused": float(fused),
        "unit_missing": float(unit_missing),
        "figure_missing": float(figure_missing),
        "day_missing": float(asks_day(first) and not states_day(both)),
        "place_missing": float(bool(missing_places(first, both))),
        "name_missing": float(bool(missing_names(first, both) or missing_asked_things(first, both))),
        "number_missing": float(bool(question and missing_figures(question, both))),
        "log_terms": math.log1p(len(base)),
        "rarest_missing": float(rarest is not None and rarest not in clause_terms),
        "missing_idf": max(missing, default=0.0) / top if top > 0 else 0.0,
        "kb_missing": sum(v for v in idf.values() if v >= absent - 1e-9) / mass if mass > 0 else 0.0,
        "place_missing_doc": float(bool(missing_places(first, f"{both} {document}"))),
        "key_missing_doc": key_miss_doc if readings else 0.0,
        "key_missing_clause": key_miss_clause if readings else 0.0,
        "coverage_doc": cov_doc,
        "asked_missing": float(_asked_missing(first, both)),
    }


@dataclass(frozen=True)
class AbstainModel:
    """Logistic regression: ``sigmoid(intercept + sum(coef[f] * x[f]))``, answered at ``threshold``."""

    coef: dict[str, float]
    intercept: float
    threshold: float

    def probability(self, x: dict[str, float]) -> float:
        z = self.intercept + sum(w * x.get(f, 0.0) for f, w in self.coef.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def answers(self, x: dict[str, float]) -> bool:
        return self.probability(x) >= self.threshold

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AbstainModel:
        coef = {str(k): float(v) for k, v in data["coef"].items()}
        unknown = set(coef) - set(FEATURES)
        if unknown:
            raise ValueError(f"abstain model: unknown features {sorted(unknown)}")
        return cls(coef, float(data["intercept"]), float(data["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> AbstainModel | None:
    """The fitted model of ``index/data/abstain_model.toml``; None when there is none."""
    if not MODEL.exists():
        return None
    return AbstainModel.from_dict(tomllib.loads(MODEL.read_text(encoding="utf-8")))


def document_text(doc: Any) -> str:
    """The text of a stored document (``ingest.shapes.Document``: its clauses), remembered for the
    last few documents by id and clause texts' length (a document ingested again is read again)."""
    if doc is None:
        return ""
    clauses = getattr(doc, "clauses", None) or []
    return _joined(doc.doc_id, sum(len(c.text) for c in clauses), tuple(c.text for c in clauses))


@lru_cache(maxsize=64)
def _joined(doc_id: str, size: int, texts: tuple[str, ...]) -> str:
    return " ".join(texts)


def answers(hit: Any, readings: list[str], question: str, context: str, bm25: BM25Index,
            model: AbstainModel | None = None, document: str = "") -> bool:
    """Does ``hit`` (a ScoredClause: ``clause``, ``score``, ``dense``) answer the question?

    ``document``: the text of the hit's document (:func:`document_text`). The call site in
    api/ask_service.py (``Ask._answers``) is one line."""
    model = model or default_model()
    if model is None:
        raise FileNotFoundError(MODEL)
    x = features(readings, question, hit.clause.text, context, hit.dense, hit.score, bm25, document)
    return model.answers(x)


def judge(hit: Any, readings: list[str], question: str, headers: dict[str, str], bm25: BM25Index, get_document: Any) -> bool:
    """:func:`answers` for ``hit`` read with its document's header (``headers[doc_id]``: type,
    number, issuer, title), its headings and its whole text (``get_document(doc_id)``: the stored
    ``Document``, see :func:`document_text`). What ``Ask._answers`` in api/ask_service.py calls
    (one line)."""
    if hit.dense < Thresholds().dense:  # the floor of the rules (the model leaves the cosine out)
        return False
    doc_id = hit.clause.doc_id
    context = " ".join([headers.get(doc_id, ""), *getattr(hit.clause, "heading_chain", ())])
    return answers(hit, readings, question, context, bm25, document=document_text(get_document(doc_id)))
