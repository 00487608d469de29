"""Helpers shared by the task-rule tests: made-up text turned into clauses and read for tasks.

Why a module: the notice rules and the general rules are tested the same way (one paragraph in,
its one task out), and two copies of these helpers drifted apart before.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import Task, extract_tasks


def _clauses(texts: list[str]) -> list[Clause]:
    return [
        Clause(clause_id=f"t:{i}", doc_id="t", path=str(i), kind="diem", label=str(i), marker="", text=t,
               heading_chain=[], parent=None, order=i, span=Span(0, len(t), 1, 1))
        for i, t in enumerate(texts)
    ]


def _one(text: str) -> Task:
    tasks = extract_tasks(_clauses([text]))
    assert len(tasks) == 1, [t.text for t in tasks]
    return tasks[0]


def names(refs) -> list[str]:
    return [r.name for r in refs]


def parse_txt_tasks(tmp_path: Path, text: str) -> list[Task]:
    """The tasks of a whole made-up document, parsed as ``tracuu ingest`` parses a .txt file."""
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    return extract_tasks(doc.clauses)


def holding(tasks: list[Task], anchor: str) -> Task:
    """The shortest task whose text holds ``anchor`` (fails, listing the tasks, when none does)."""
    hits = [t for t in tasks if anchor in t.text]
    assert hits, f"no task holds {anchor!r}: {[t.text[:40] for t in tasks]}"
    return min(hits, key=lambda t: len(t.text))
