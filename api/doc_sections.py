"""The part of a named document a question asks for, by its heading.

Why: "Kế hoạch 160/KH-UBND có yêu cầu gì?", "KH 310 đặt mục tiêu gì đến năm 2030?", "… kinh phí
lấy từ đâu?" name a document and a part of it. Retrieval ranks first the lines that echo the
document's name (the preamble's "Căn cứ …", "Ủy ban nhân dân … ban hành Kế hoạch …", Điều 1's
"Ban hành kèm theo Quyết định này Kế hoạch …"): they share the question's many naming words,
while the section that answers ("2. Yêu cầu", "IV. KINH PHÍ THỰC HIỆN") shares one or two. An
official reads the document's headings: the heading naming what is asked, then its points.

Pure functions over a document's clauses and folded words; the word lists are in
``index/data/ask_intents.toml`` (``[section]``). :class:`api.ask_service.Ask` decides when a
question is about a named document's part and orders the citations.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from tracuu.api.phrases import adjacent_pairs
from tracuu.api.task_blocks import HEADING_WORDS
from tracuu.index.keyword import folded_syllables
from tracuu.index.query.ask_intent import DATA as ASK_INTENTS
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.model import Clause

#: Clauses that never head a part of the document's body.
NOT_PARTS = ("preamble", "recipients", "signature")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class SectionWords:
    """The ``[section]`` lists of the data file, as sets."""

    stop: frozenset[str]
    ask: frozenset[str]
    min_words: int
    share: float
    rest_words: int
    title_words: int


@lru_cache(maxsize=1)
def words() -> SectionWords:
    data = tomllib.loads(ASK_INTENTS.read_text(encoding="utf-8")).get("section", {}) if ASK_INTENTS.exists() else {}
    return SectionWords(frozenset(data.get("stop", ())), frozenset(data.get("ask", ())), int(data.get("min_words", 2)),
                        float(data.get("share", 0.5)), int(data.get("rest_words", 2)), int(data.get("title_words", 4)))


@dataclass(frozen=True)
class AskedSection:
    """A heading the question names: ``heading``, its points (direct children, in order), how
    much of the heading the question says (``share``, ``said``: syllables not naming the
    document), and whether the question asks more than the part (``specific``)."""

    heading: Clause
    points: tuple[Clause, ...]
    share: float
    said: int
    specific: bool


def _sequence(text: str, stop: frozenset[str] = frozenset()) -> list[str]:
    """Folded syllables of ``text`` in order, without ``stop`` syllables."""
    return [s for s in folded_syllables(text or "") if s not in stop]


def _short(text: str) -> bool:
    """Names a part rather than says something: no closing full stop or semicolon, and short
    (``task_blocks.HEADING_WORDS``) or written in capitals ("III. GIẢI PHÁP THỰC HIỆN KẾ HOẠCH
    XUẤT KHẨU … GIAI ĐOẠN 2021 - 2025")."""
    return bool(text) and text[-1] not in ".;" and (len(text.split()) <= HEADING_WORDS or text == text.upper())


def title_of(clause: Clause, kids: list[Clause]) -> str | None:
    """The words that name the part ``clause`` heads: its text, when it heads points and names
    a part; an article's title, the first line of an article whose body follows it ("Phạm vi
    điều chỉnh\nLuật này quy định …"); None otherwise."""
    text = (clause.text or "").strip()
    if clause.kind in NOT_PARTS or not text:
        return None
    if kids and _short(text):
        return text
    first, _, body = text.partition("\n")
    if clause.kind == "dieu" and body.strip() and _short(first.strip()):
        return first.strip()
    return None


def headings(clauses: Iterable[Clause]) -> list[tuple[Clause, str, list[Clause]]]:
    """The document's headings of a part, with their titles and points (direct children, in
    order), less an agency's name ("3. Sở Y tế": whose tasks, asked as an agency's tasks)."""
    clauses = list(clauses)
    children: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            children.setdefault(c.parent, []).append(c)
    out = []
    for c in clauses:
        kids = sorted(children.get(c.path, ()), key=lambda x: x.order)
        title = title_of(c, kids)
        if title is None or any(m.start <= 2 for m in find_agencies(title)):
            continue
        out.append((c, title, kids))
    return out


def asked_section(clauses: Iterable[Clause], question: str, naming: str) -> AskedSection | None:
    """The heading of the document (``clauses``) the question names, best first by the share of
    its words said, then by how many (a year said: "Mục tiêu đến năm 2030" before "MỤC TIÊU");
    None when none qualifies. A heading qualifies when the
    question says, side by side, a pair of its words that does not name the document (``naming``:
    its kind, number, issuer, title and places: "quản lý" of a title does not make "quan điểm"
    said), at least ``min_words`` such words, and ``share`` of the heading's words (a word naming
    the document counts only when the question says it)."""
    w = words()
    asked_seq = _sequence(question, w.stop)
    asked, asked_pairs = set(asked_seq), adjacent_pairs(asked_seq)
    naming_seq = _sequence(naming, w.stop)
    named, named_pairs = set(naming_seq), adjacent_pairs(naming_seq)
    best: tuple[tuple[float, int, int, int], AskedSection] | None = None
    for heading, title, points in headings(clauses):
        seq = _sequence(title, w.stop)
        own = set(seq)
        numbers = {s for s in own if _DIGITS.match(s)}
        key = {s for pair in (adjacent_pairs(seq) & asked_pairs) - named_pairs for s in pair}
        counted = own - ((named | numbers) - asked)  # a year or a naming word counts when the question says it
        said = own & asked
        share = len(said) / len(counted) if counted else 0.0
        if len(key) < w.min_words or share < w.share:
            continue
        rest = {s for s in asked - named - w.ask - own if not _DIGITS.match(s)}
        found = AskedSection(heading, tuple(points), share, len(key), len(rest) > w.rest_words)
        rank = (share, len(said), len(key), -heading.order)
        if best is None or rank > best[0]:
            best = (rank, found)
    return best[1] if best else None


def point_asked(section: AskedSection, question: str, naming: str) -> Clause | None:
    """The one point of ``section`` the question asks about beyond the part itself ("Sơn La đặt mục
    tiêu giá trị xuất khẩu đến năm 2030 là bao nhiêu": the point on that value, not the heading "MỤC
    TIÊU"): the point whose words hold the most of the question's own words (neither the heading's,
    nor the document's naming words ``naming``, nor asking words; with the numbers it says), when one point alone
    holds the most; None when the question says nothing beyond the part ("… có mục tiêu gì?")."""
    w = words()
    asked = set(_sequence(question, w.stop))
    rest = asked - set(_sequence(naming, w.stop)) - w.ask - set(_sequence(section.heading.text, w.stop))
    if not rest:
        return None
    rest |= {s for s in asked if _DIGITS.match(s)}  # a year the title also says ("2026 - 2030") still tells points apart
    held = sorted(((len(rest & set(folded_syllables(p.text or ""))), -p.order, p) for p in section.points),
                  key=lambda x: (x[0], x[1]), reverse=True)
    if not held or held[0][0] == 0 or (len(held) > 1 and held[1][0] == held[0][0]):
        return None
    return held[0][2]
