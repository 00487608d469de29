"""Owner and deadline questions matched against the extracted tasks' own text.

Why: "Cơ quan nào chủ trì X?" and "X phải hoàn thành khi nào?" are about one task, and the task
extractor already knows each task's words, lead, coordinators and deadline. Retrieval ranks
clauses by similarity to the whole question, so the clause it puts first is often one *about*
X that names nobody (a goal, a heading), or the task of a neighbouring agency. Here each task
of the documents in play is scored by how much of the question's information (IDF-weighted
content syllables, as abstention counts it) its own text holds — the task text, its clause,
the headings above it (a point under "3. Sở Y tế:" is the Sở's) — and the task whose words
best cover the question, helped by retrieval's score of its clause, answers it.

Words of the question that its document's header holds (the place, the plan's title) say
which document is meant, not which task: they are left out of a task's share, so that they do
not make every task of that document look equally good.

Pure functions over task records and an ``idf`` callable (the keyword index's); the caller
(api/ask_service.py) chooses the documents and the clause to cite.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from tracuu.index.abstain import content_terms
from tracuu.index.keyword import folded_syllables
from tracuu.ingest.vntext import fold

INTENTS = Path(__file__).resolve().parents[1] / "index" / "data" / "ask_intents.toml"

#: Weight of retrieval's fused score of a task's clause (in [0, 1]) added to its term share.
RETRIEVAL_WEIGHT = 0.5
#: A task answers only when its words cover at least this share of the question's information
#: that its document's header does not already hold.
MIN_SHARE = 0.6


@dataclass(frozen=True)
class TaskMatch:
    """A task, the share of the question its words cover, and that share plus retrieval's score."""

    task: dict[str, Any]
    share: float
    score: float


@lru_cache(maxsize=1)
def _asking_phrases() -> tuple[str, ...]:
    data = tomllib.loads(INTENTS.read_text(encoding="utf-8"))
    return tuple(sorted(data.get("owner", {}).get("asking", []), key=len, reverse=True))


def question_terms(reading: str, also: Iterable[str] = ()) -> list[str]:
    """The content terms a task is matched on: the question's, less the words that only ask for
    the role ("Ai có trách nhiệm báo cáo …": "trách nhiệm" is in every owner's heading, the task
    is "báo cáo …"), and less the words of the phrases ``also`` (folded) the question holds."""
    folded = " ".join(re.findall(r"\w+", fold(reading or "")))
    asked: set[str] = set()
    for phrase in sorted({*_asking_phrases(), *also}, key=lambda p: (-len(p), p)):
        folded, n = re.subn(r"\b" + re.escape(phrase) + r"\b", " ", folded)
        if n:
            asked.update(phrase.split())
    left = set(folded.split())
    return [t for t in content_terms(reading) if t not in asked or t in left]


@lru_cache(maxsize=1)
def _task_cues() -> tuple[str, ...]:
    data = tomllib.loads(INTENTS.read_text(encoding="utf-8"))
    return tuple(data.get("agency_tasks", {}).get("cues", []))


def agency_phrases(names: Iterable[str]) -> tuple[str, ...]:
    """The phrases of "X có nhiệm vụ gì về Y" that are not Y: the agency's names (as typed, in
    full, as its tasks write it) and the cues that ask for an agency's tasks ("nhiệm vụ gì",
    "phải làm gì": ``[agency_tasks] cues`` of index/data/ask_intents.toml). Every task of X
    names X: they say whose tasks, not which. Folded; dropped as phrases, so that "công nghệ"
    of the question still counts when the agency is the "Sở Khoa học và Công nghệ"."""
    folded = (" ".join(re.findall(r"\w+", fold(n))) for n in names if n)
    return tuple(dict.fromkeys(p for p in (*folded, *_task_cues()) if p))


def task_words(task: dict[str, Any], clause_text: str = "", headings: Iterable[str] = ()) -> set[str]:
    """The folded syllables a task is read with: its text, its clause's, its headings'."""
    return set(folded_syllables(" ".join([task.get("text") or "", clause_text or "", *headings])))


def share(terms: list[str], words: set[str], header: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of ``terms`` found in ``words``, not counting terms of ``header``."""
    weights = {t: idf(t) for t in terms if t not in header}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in words) / total if total else 0.0


def rank_tasks(
    readings: list[str],
    tasks: list[dict[str, Any]],
    words_of: Callable[[dict[str, Any]], set[str]],
    header_of: Callable[[str], set[str]],
    idf: Callable[[str], float],
    retrieval: dict[str, float] | None = None,
    retrieval_weight: float = RETRIEVAL_WEIGHT,
    asked: Iterable[str] = (),
) -> list[TaskMatch]:
    """``tasks`` by how well their words cover the question (best over its ``readings``: as
    read, abbreviations written out), plus ``retrieval_weight`` x the fused score of their clause
    (``retrieval``: clause_id -> score; absent clauses score 0), best first.
    ``asked``: folded phrases that say what is asked, not what about (:func:`agency_phrases`).

    Ties are broken by the share the task's own text covers (:func:`own_share`), then keep order:
    the tasks of one clause are read with the same words (the clause's), so a clause holding two
    numbered items, each with its agencies and its day (one task each), scored them alike and the
    first answered a question about the second."""
    term_sets = [t for t in (question_terms(r, asked) for r in readings if r) if t]
    if not term_sets:
        return []
    retrieval = retrieval or {}
    out = []
    for task in tasks:
        words = words_of(task)
        header = header_of(task["doc_id"])
        best = max(share(terms, words, header, idf) for terms in term_sets)
        out.append(TaskMatch(task, best, best + retrieval_weight * retrieval.get(task["clause_id"], 0.0)))
    # tied tasks of one clause stand where the first of them stood, in the order of their own share
    first: dict[tuple[str, float], int] = {}
    size: dict[tuple[str, float], int] = {}
    for i, m in enumerate(out):
        key = (m.task["clause_id"], m.score)
        first.setdefault(key, i)
        size[key] = size.get(key, 0) + 1
    own = [own_share(term_sets, m.task, header_of(m.task["doc_id"]), idf)
           if size[(m.task["clause_id"], m.score)] > 1 else 0.0 for m in out]
    order = sorted(range(len(out)), key=lambda i: (-out[i].score, first[(out[i].task["clause_id"], out[i].score)],
                                                   -own[i], i))
    return [out[i] for i in order]


def own_share(term_sets: list[list[str]], task: dict[str, Any], header: set[str], idf: Callable[[str], float]) -> float:
    """The best share of the question's terms (over its readings) that the task's own text holds,
    without its clause's and headings' words: which of the tasks of one clause is asked about."""
    words = set(folded_syllables(task.get("text") or ""))
    return max(share(terms, words, header, idf) for terms in term_sets)


def best_task(matches: list[TaskMatch], min_share: float = MIN_SHARE) -> TaskMatch | None:
    """The first match whose words cover enough of the question, None when none does."""
    return next((m for m in matches if m.share >= min_share), None)


#: A duty shared word for word by several tasks is at least this many words long (shorter
#: parts, "thực hiện", "báo cáo kết quả", are common to unrelated tasks).
DUTY_WORDS = 8
_PARTS = re.compile(r"[;.]\s+|[;.]$")


def _duty_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text or "")))


def asked_duty(reading: str, task_text: str, header: set[str], idf: Callable[[str], float],
               min_share: float = MIN_SHARE, also: Iterable[str] = ()) -> str | None:
    """The part of ``task_text`` (between ";" or ".") that holds most of the question's terms
    (those its document's header does not), folded, when it holds at least ``min_share`` of
    them and is at least ``DUTY_WORDS`` words long; None otherwise."""
    terms = question_terms(reading, also)
    best, best_share = None, 0.0
    for part in _PARTS.split(task_text or ""):
        key = _duty_key(part)
        if len(key.split()) < DUTY_WORDS:
            continue
        got = share(terms, set(folded_syllables(part)), header, idf)
        if got > best_share:
            best, best_share = key, got
    return best if best_share >= min_share else None


def sharing_duty(duty: str, tasks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tasks whose text holds ``duty`` (folded, a part found by :func:`asked_duty`) word
    for word: "Các sở …; báo cáo … trước ngày 30/9 hằng năm" and "Đề nghị Ủy ban MTTQ …; báo cáo
    … trước ngày 30/9 hằng năm" both give the asked report."""
    return [t for t in tasks if f" {duty} " in f" {_duty_key(t.get('text') or '')} "]
