"""Which of a clause's deadlines a question asks about.

Why: one clause often sets several: "báo cáo … định kỳ hàng tháng (trước ngày 18 hàng tháng), 6
tháng (trước ngày 18/5), tổng kết năm (trước ngày 30/11 hàng năm)". The extractor keeps them all
on the task and names one the main deadline; "báo cáo tổng kết năm trước ngày nào?" asks for the
third. The words just before a deadline in the clause say what it is the deadline of; the
deadline whose words (and the words before it) share most with the question is the one asked.
Two more places say it (:func:`_of_words`): a qualifier right after it ("xong trước ngày 01/5
đối với chi phí năm 2023, xong trước ngày 01/8 đối với chi phí năm 2024"), and, for a deadline
stated in a sentence of its own ("… ban hành các văn bản hướng dẫn. Thời hạn hoàn thành chậm
nhất ngày 25/12."), the sentence before it, which says what must be done by then.

A clause that states no time of its own may stand under a heading that does ("2. Mục tiêu cụ
thể đến năm 2035" over "c) … Phấn đấu tăng thêm ít nhất 20% …"): the nearest such heading's
time is the clause's (:func:`heading_deadline`).

Pure; answers are always a deadline the extractor finds in the clause or its headings, never a
new one.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from tracuu.api.task_blocks import labels as block_labels
from tracuu.index.abstain import content_terms
from tracuu.index.query.figure_ask import asks_day, states_day
from tracuu.ingest.deadlines import find_deadlines, main_deadline
from tracuu.ingest.shapes import Deadline
from tracuu.ingest.vntext import fold

#: At most this many words before a deadline say what it is the deadline of.
WINDOW = 12


def _tokens(text: str) -> list[str]:
    """Folded words, with the commas and semicolons that separate the parts of a clause, and a
    "." for each sentence end (a full stop before a space or the end: not "1.700")."""
    return re.findall(r"\w+|[,;]|\.(?=\s|$)", fold(text or ""))


def _of_words(clause_tokens: list[str], i: int, n: int) -> tuple[list[str], list[str]]:
    """The words of the clause that say what the deadline at ``clause_tokens[i:i + n]`` is the
    deadline of: up to ``WINDOW`` words before it, back to the previous comma or semicolon; the
    qualifier after it ("… đối với chi phí năm 2024", to the next comma, semicolon or sentence
    end); and, when all before it in its sentence is a deadline label and nothing more ("Thời hạn
    hoàn thành"), the sentence before. Returned as (all those words, the qualifier's alone)."""
    start, words = i, 0
    while start > 0 and words < WINDOW and clause_tokens[start - 1] not in (",", ";"):
        start -= 1
        words += clause_tokens[start] != "."
    out = clause_tokens[start:i + n]
    end, qualifier = i + n, []
    if clause_tokens[end:end + 2] == ["doi", "voi"]:
        after = end
        while after < len(clause_tokens) and after - end < WINDOW and clause_tokens[after] not in (",", ";", "."):
            after += 1
        qualifier = clause_tokens[end:after]
        out += qualifier
    opening = i
    while opening > 0 and clause_tokens[opening - 1] != ".":
        opening -= 1
    label = " ".join(clause_tokens[opening:i])
    if opening > 0 and label in block_labels()["deadline"]:  # the label alone ("Thời gian báo cáo định kỳ
        # hàng năm tính từ ngày …" says what a period is, not the deadline of the sentence before)
        before = opening - 1
        while before > 0 and clause_tokens[before - 1] != ".":
            before -= 1
        out += clause_tokens[before:opening - 1]
    return [t for t in out if t not in (",", ";", ".")], qualifier


def _score(question_terms: set[str], clause_tokens: list[str], deadline_text: str) -> tuple[int, int]:
    """Question words in the qualifier after the deadline ("… đối với chi phí năm 2024": what tells
    apart deadlines that share the words before them), then in the deadline and all the words of
    the clause that say what it is the deadline of (:func:`_of_words`: "…, tổng kết năm (trước
    ngày 30/11 hàng năm)")."""
    target = [t for t in _tokens(deadline_text) if t != "."]
    if not target:
        return (-1, -1)
    n = len(target)
    for i in range(len(clause_tokens) - n + 1):
        if clause_tokens[i:i + n] == target:
            words, qualifier = _of_words(clause_tokens, i, n)
            return (len(question_terms & set(qualifier)), len(question_terms & set(words)))
    return (0, len(question_terms & set(target)))


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

    def rank(d: dict[str, Any]) -> tuple[int, int, int, int]:
        return (*_score(terms, clause_words, d["text"]), int(day and states_day(d["text"])), int(d is main))

    best = max(candidates, key=rank)
    if main is not None and rank(best)[:3] <= rank(main)[:3]:
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
