"""Tasks written as blocks: a heading clause, then one line each for what, who and by when.

Why: "- Nghị định quy định chi tiết Luật …" followed by "Nội dung: …", "Cơ quan chủ trì: Bộ Công
an.", "Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026." is one task spread over five clauses.
Retrieval finds the heading or the "Nội dung" line; the extractor hangs the task (lead,
coordinators, deadline) on one of the lines. So:

* the owners and deadline of a heading clause with no task of its own are those of the tasks of
  its lines (its children), when the lines name them; of a clause repeated word for word as a
  row of the appendix table, those of the row;
* "cơ quan nào chủ trì …", when retrieval found a line of the block ("Nội dung thực hiện: …"),
  cites next to it the line that says who ("Cơ quan chủ trì: …"); "thời hạn …" the line that
  gives the time. The content line stays first: it says what the task is.
* a bare heading ("Mục đích", "Chi nhánh X có trách nhiệm:") says where an answer is, not what
  it is: its points are the answer (:func:`bare_heading`). A task block's heading is not bare:
  it names the task, its labelled lines only say who and by when.

Pure functions over a document's clauses; the labels are in ``index/data/ask_intents.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from typing import Any, Callable, Iterable

from tracuu.index.query.ask_intent import DATA as ASK_INTENTS
from tracuu.ingest.model import Clause
from tracuu.ingest.vntext import fold


@lru_cache(maxsize=1)
def labels() -> dict[str, tuple[str, ...]]:
    """Folded labels of a task block's lines, by kind ("owner", "deadline"), longest first."""
    data = tomllib.loads(ASK_INTENTS.read_text(encoding="utf-8")) if ASK_INTENTS.exists() else {}
    row = data.get("task_block", {})
    return {k: tuple(sorted(row.get(k, ()), key=len, reverse=True)) for k in ("owner", "deadline")}


def line_kind(text: str) -> str | None:
    """"owner" / "deadline" when the clause is a labelled line of a task block ("Cơ quan chủ trì:
    …", "Thời gian thực hiện: …"): a label from the data file, then a colon."""
    head = " ".join(re.findall(r"\w+", fold((text or "").split(":", 1)[0])))
    if ":" not in (text or "") or len(head.split()) > 6:
        return None
    for kind, names in labels().items():
        if any(head == lab or head.startswith(lab + " ") for lab in names):
            return kind
    return None


def labelled_line(clauses: Iterable[Clause], clause: Clause, kind: str) -> Clause | None:
    """The sibling line of ``clause`` that states its ``kind`` ("owner" or "deadline"), when
    ``clause`` is a line of a task block ("Nội dung thực hiện: …") and not that line itself. A
    heading with lines below it names the task itself and stays first; a list of ordinary
    points has no labelled lines and is left alone."""
    clauses = list(clauses)
    if line_kind(clause.text) == kind or clause.parent is None:
        return None
    if any(c.parent == clause.path and c.doc_id == clause.doc_id for c in clauses):
        return None
    siblings = sorted((c for c in clauses if c.parent == clause.parent and c.doc_id == clause.doc_id),
                      key=lambda c: c.order)
    return next((c for c in siblings if c.path != clause.path and line_kind(c.text) == kind), None)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text or "")))


def children_tasks(clauses: Iterable[Clause], clause: Clause,
                   tasks_of: Callable[[str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The tasks hung on ``clause``'s children (a heading's block lines), in document order."""
    children = sorted((c for c in clauses if c.parent == clause.path and c.doc_id == clause.doc_id),
                      key=lambda c: c.order)
    return [t for c in children for t in tasks_of(c.clause_id)]


def says(clauses: Iterable[Clause], clause: Clause, tasks_of: Callable[[str], list[dict[str, Any]]],
         field: str) -> bool:
    """Do ``clause``'s tasks give ``field`` ("lead", "deadline"), or, for the heading of a task
    block ("- Nghị định quy định chi tiết …"), the tasks of its lines? A "who / by when"
    question prefers such a clause to a neighbour whose own task names someone or some date."""
    if any(t.get(field) for t in tasks_of(clause.clause_id)):
        return True
    return any(t.get(field) for t in children_tasks(clauses, clause, tasks_of))


def related_tasks(clauses: Iterable[Clause], clause: Clause,
                  tasks_of: Callable[[str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Tasks that say who does what ``clause`` says, when it has none of its own: those of its
    block lines (children), then those of another clause of the document with the same text —
    an indicator of the plan's body repeated as a row of its appendix table, whose "Chủ trì"
    column names the owner ("Kinh tế số chiếm 45% GRDP tỉnh." … | Chủ trì: Sở Tài chính)."""
    clauses = list(clauses)
    out = children_tasks(clauses, clause, tasks_of)
    key = _key(clause.text)
    if len(key.split()) >= 4:
        for c in clauses:
            if (c.path != clause.path and c.doc_id == clause.doc_id and abs(len(c.text) - len(clause.text)) <= 4
                    and _key(c.text) == key):  # lengths first: folding every clause of a long document costs
                out += tasks_of(c.clause_id)
    return out


#: A heading that only names a part ("Mục đích", "Chỉ tiêu cụ thể", "Sở Y tế có trách nhiệm:")
#: has at most this many words.
HEADING_WORDS = 10
_LABEL = re.compile(r"^\s*(?:[^\W\d_]+\s+){0,4}[^\W\d_]+\s*:\s")  # "Nội dung thực hiện: "


def bare_heading(clause: Clause, children: list[Clause]) -> bool:
    """``clause`` is a heading over ``children`` that states nothing itself: short, not a
    sentence (no closing full stop or semicolon), and not the heading of a task block (whose
    lines open with a label: "Nội dung: …", "Cơ quan chủ trì: …")."""
    text = (clause.text or "").strip()
    if not children or not text or len(text.split()) > HEADING_WORDS or text[-1] in ".;":
        return False
    return not any(_LABEL.match(c.text or "") or line_kind(c.text) for c in children)
