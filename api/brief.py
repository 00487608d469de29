"""The onboarding brief of one agency: everything the documents ask of it, in one place to print.

Why: a newly appointed official needs to know, across every ingested document, what their agency
leads, where it only coordinates, whom it advises and reports to, and by when, with the clause
behind each line. The agency page is a table to filter; the brief is a reading order (deadlines
first, then role by role) with the same rows, as a page with a print layout and as a .docx.

Every line is a task the knowledge base extracted; texts and citations are the source's.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from tracuu.api.tasks_view import ROLES
from tracuu.ingest.shapes import Task

# Sections in reading order: (key, title, which rows). "advises" and "reports" are the agency's
# own duties read from the tasks it leads or performs (whom it advises, where it reports).
SECTIONS: list[tuple[str, str, str]] = [
    ("lead", "Nhiệm vụ chủ trì", "Cơ quan chủ trì thực hiện, chịu trách nhiệm về kết quả."),
    ("performer", "Nhiệm vụ trực tiếp thực hiện", "Văn bản giao cơ quan trực tiếp thực hiện."),
    ("coordinator", "Nhiệm vụ phối hợp", "Cơ quan khác chủ trì; cơ quan tham gia phối hợp."),
    ("advises", "Tham mưu", "Cơ quan chủ trì và tham mưu cho cấp trên."),
    ("reports", "Báo cáo phải gửi", "Cơ quan chủ trì hoặc thực hiện và báo cáo kết quả."),
    ("advised", "Được cơ quan khác tham mưu", "Cơ quan khác chủ trì và tham mưu cho cơ quan này."),
    ("reports_to", "Nhận báo cáo", "Cơ quan khác gửi báo cáo về cơ quan này."),
    ("via", "Đầu mối tiếp nhận", "Báo cáo gửi qua cơ quan này."),
]


def _section_keys(task: Task) -> list[str]:
    roles = set(task.roles or [])
    keys = [r for r in ("lead", "performer", "coordinator", "advised", "reports_to", "via") if r in roles]
    own = roles & {"lead", "performer"}
    if own and task.advises:
        keys.append("advises")
    if own and task.reports_to:
        keys.append("reports")
    return keys


def build(service: Any, agency_id: str, row: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """The brief's content: the agency, counts, upcoming dated deadlines, sections, documents."""
    found = service.agency_tasks(agency_id)  # 404 for an unknown agency
    rows = [row(t) for t in found.tasks]
    sections = []
    for key, title, explain in SECTIONS:
        these = [r for r in rows if key in _section_keys(r["task"])]
        if these:
            sections.append({"key": key, "title": title, "explain": explain, "rows": these})
    dated = sorted(
        (r for r in rows if r["due_key"] is not None or r["due_full"] is not None),
        key=lambda r: (r["due_key"] or (13, 32), r["due_full"] or date.max),
    )
    docs: list[str] = []
    for r in rows:
        if r["doc_id"] not in docs:
            docs.append(r["doc_id"])
    known = {d.doc_id: d for d in service.documents()}
    return {
        "agency": found.agency,
        "rows": rows,
        "sections": sections,
        "dated": dated,
        "documents": [known[d] for d in docs if d in known],
        "counts": {k: len(s["rows"]) for k, s in ((s["key"], s) for s in sections)},
    }


def summary_line(brief: dict[str, Any]) -> str:
    """"Chủ trì 3 nhiệm vụ, phối hợp 2 nhiệm vụ, trong 2 văn bản." in plain words."""
    parts = []
    words = {"lead": "chủ trì", "performer": "trực tiếp thực hiện", "coordinator": "phối hợp", "reports_to": "nhận báo cáo của"}
    for key, word in words.items():
        n = brief["counts"].get(key)
        if n:
            parts.append(f"{word} {n} nhiệm vụ")
    docs = len(brief["documents"])
    text = ", ".join(parts) if parts else "không có nhiệm vụ nào"
    return f"{text[:1].upper()}{text[1:]}, trong {docs} văn bản." if docs else f"{text[:1].upper()}{text[1:]}."


def to_docx(brief: dict[str, Any]) -> bytes:
    from tracuu.api import docx_writer as w

    doc = w.new_document()
    name = brief["agency"].agency
    w.heading(doc, "TÓM TẮT NHIỆM VỤ", upper=True)
    w.heading(doc, name, size=w.BODY_PT)
    w.paragraph(doc, summary_line(brief), italic=True)
    if brief["documents"]:
        w.paragraph(doc, "Căn cứ:", bold=True)
        for k, d in enumerate(brief["documents"]):
            w.paragraph(doc, f"- {d.citation}" + (";" if k < len(brief["documents"]) - 1 else "."), italic=True)
    if brief["dated"]:
        w.heading(doc, "Thời hạn", size=w.BODY_PT, center=False)
        for r in brief["dated"]:
            w.paragraph(doc, f"- {r['due']}: {r['short']} [{r['citation']}]")
    for n, s in enumerate(brief["sections"], start=1):
        w.heading(doc, f"{_roman(n)}. {s['title']} ({len(s['rows'])})", size=w.BODY_PT, center=False)
        w.paragraph(doc, s["explain"], italic=True)
        for k, r in enumerate(s["rows"], start=1):
            p = w.paragraph(doc, indent=True)
            p.add_run(f"{k}. ").bold = True
            p.add_run(r["text"])
            labels = (("Chủ trì", "lead"), ("Phối hợp", "coordinators"), ("Tham mưu cho", "advises"),
                      ("Báo cáo về", "reports_to"), ("Thời hạn", "deadline"))
            details = [f"{label}: {r[key]}" for label, key in labels if r.get(key)]
            if details:
                w.paragraph(doc, "; ".join(details) + ".", italic=True)
            w.paragraph(doc, f"[{r['citation']}]")
    return w.to_bytes(doc)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


__all__ = ["SECTIONS", "build", "summary_line", "to_docx", "ROLES"]
