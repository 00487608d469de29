"""A document's outline: "Kế hoạch X gồm những phần lớn nào?", "Quy chế có mấy chương?".

Why: the answer is no one clause but the document's highest headings, in order ("I. MỤC ĐÍCH,
YÊU CẦU; II. …; III. TỔ CHỨC THỰC HIỆN"), which similarity search cannot rank (a question
about the structure shares no words with the headings). A decision that issues a plan holds
two parts (the decision's articles, the plan's sections, each path prefixed "KH."): the part
with the most headings of the highest kind is the one asked about; "phụ lục" asks for the
appendices' groups, "chương" for the chapters.

Pure functions over a document's clauses; the cue words are in index/data/ask_intents.toml.
"""

from __future__ import annotations

from typing import Iterable

from tracuu.ingest.model import Clause

#: Heading kinds, highest first (ingest.parser.KINDS), for "parts".
PART_KINDS = ("phan", "chuong", "muc", "muc_chuong", "dieu")
APPENDIX_KINDS = ("appendix_group",)


def _part(path: str) -> str:
    """The part of a document a path lies in: "" (the body), "KH", "QC", "PL1" …"""
    return path.rsplit(".", 1)[0] if "." in path else ""


def outline(clauses: Iterable[Clause], asked: str) -> list[Clause]:
    """The top-level headings ``asked`` for ("parts", "chapters", "appendix"), in document
    order; empty when the document has none of that kind."""
    tops = [c for c in clauses if c.parent is None]
    if asked == "appendix":
        kinds: tuple[str, ...] = APPENDIX_KINDS
    elif asked == "chapters":
        kinds = ("chuong",)
    else:
        kinds = PART_KINDS
    for kind in kinds:
        found = [c for c in tops if c.kind == kind]
        if not found:
            continue
        if asked == "appendix":
            return sorted(found, key=lambda c: c.order)
        parts: dict[str, list[Clause]] = {}
        for c in found:
            parts.setdefault(_part(c.path), []).append(c)
        best = max(parts.values(), key=len)  # the part with the most headings of that kind
        return sorted(best, key=lambda c: c.order)
    return []


def _as_written(h: Clause) -> str:
    return " ".join(x for x in ((h.marker or "").strip(), " ".join((h.text or "").split())) if x)


def outline_sentence(name: str, headings: list[Clause], asked: str) -> str:
    """"<document> gồm 3 phần: I. …; II. …; III. …" — every heading as written (marker and
    text); the appendices by their titles (the heading above their groups), each with its groups."""
    if asked == "appendix":
        by_title: dict[str, list[Clause]] = {}
        for h in headings:
            title = h.heading_chain[0] if h.heading_chain else ""
            by_title.setdefault(" ".join(title.split()), []).append(h)
        if all(by_title):
            items = "; ".join(f"{t} ({', '.join(_as_written(h) for h in hs)})" for t, hs in by_title.items())
            return f"{name} có {len(by_title)} phụ lục: {items}."
    what = {"appendix": "nhóm nội dung trong phụ lục", "chapters": "chương"}.get(asked, "phần")
    return f"{name} gồm {len(headings)} {what}: {'; '.join(_as_written(h) for h in headings)}."
