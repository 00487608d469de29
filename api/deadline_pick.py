"""Which of a clause's deadlines a question asks about.

Why: one clause often sets several: "báo cáo … định kỳ hàng tháng (trước ngày 18 hàng tháng), 6
tháng (trước ngày 18/5), tổng kết năm (trước ngày 30/11 hàng năm)". The extractor keeps them all
on the task and names one the main deadline; "báo cáo tổng kết năm trước ngày nào?" asks for the
third. The words just before a deadline in the clause say what it is the deadline of; the
deadline whose words (and the words before it) share most with the question is the one asked.

A clause that states no time of its own may stand under a heading that does ("2. Mục tiêu cụ
thể đến năm 2035" over "c) … Phấn đấu tăng thêm ít nhất 20% …"): the nearest such heading's
time is the clause's (:func:`heading_deadline`).

Pure; answers are always a deadline the extractor finds in the clause or its headings, never a
new one.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from tracuu.index.abstain import content_terms
from tracuu.index.query.figure_ask import asks_day, states_day
from tracuu.ingest.deadlines import find_deadlines, main_deadline
from tracuu.ingest.shapes import Deadline
from tracuu.ingest.vntext import fold

#: At most this many words before a deadline say what it is the deadline of.
WINDOW = 12


def _tokens(text: str) -> list[str]:
    """Folded words, with the commas and semicolons that separate the parts of a clause."""
    return re.findall(r"\w+|[,;]", fold(text or ""))


def _score(question_terms: set[str], clause_tokens: list[str], deadline_text: str) -> int:
    """Question words in the deadline and in the part of the clause just before it (back to the
    previous comma or semicolon: "…, tổng kết năm (trước ngày 30/11 hàng năm)")."""
    target = _tokens(deadline_text)
    if not target:
        return -1
    n = len(target)
    for i in range(len(clause_tokens) - n + 1):
        if clause_tokens[i:i + n] == target:
            start = i
            while start > 0 and i - start < WINDOW and clause_tokens[start - 1] not in (",", ";"):
                start -= 1
            return len(question_terms & set(clause_tokens[start:i + n]))
    return len(question_terms & set(target))


def asked_deadline(question: str, clause_text: str, tasks: list[dict[str, Any]]) -> Deadline | None:
    """The deadline of ``tasks`` (their main and other deadlines) the question is about, as
    ``tasks_view.deadline_out`` gives one; None when no other deadline fits it better than the
    main one."""
    main = next((t["deadline"] for t in tasks if t.get("deadline")), None)
    candidates = [d for t in tasks for d in [t.get("deadline"), *(t.get("deadlines") or [])] if d and d.get("text")]
    if not candidates:
        return None
    terms = set(content_terms(question)) | set(re.findall(r"\d+", fold(question or "")))  # "báo cáo 6 tháng"
    clause_words = _tokens(clause_text)
    day = asks_day(question)

    def rank(d: dict[str, Any]) -> tuple[int, int, int]:
        return (_score(terms, clause_words, d["text"]), int(day and states_day(d["text"])), int(d is main))

    best = max(candidates, key=rank)
    if main is not None and rank(best)[:2] <= rank(main)[:2]:
        return None
    return Deadline.of(best)


def heading_deadline(headings: Iterable[str]) -> Deadline | None:
    """The time the nearest of ``headings`` (the full texts of a clause's enclosing clauses,
    outermost first) states, as the deadline parser reads it; None when none states one. Full
    texts, not the heading chain: the chain cuts a long lead-in with "…", and its date with it
    ("… trước ngày 30 tháng 11 n…")."""
    for heading in reversed(list(headings)):
        found = main_deadline(find_deadlines(heading or ""))
        if found is not None:
            return Deadline.of(found)
    return None
