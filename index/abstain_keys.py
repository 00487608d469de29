"""Key constraints: what a question pins its answer to, which the clause quoted must satisfy.

Why: what is left of unanswerable questions answered are near misses. The question asks a day,
a year, a place, an agency or a kind of document that the documents state for ANOTHER task,
another year, another place or another document; the clause retrieved shares most of its words,
not the one that matters, so word coverage (index/abstain.py) passes it:

* "Sở Xây dựng Đồng Tháp phải số hóa xong bản đồ … trước ngày nào?" — the digitising task says
  "thường xuyên"; only the yearly report has a day;
* "Sở Y tế Quảng Ngãi hướng dẫn kiểm kê …" — the task is the Sở Tài chính's;
* "Thông tư hướng dẫn Luật Bảo vệ dữ liệu cá nhân … trước ngày nào?" — the plan assigns decrees
  and a decision, never a Thông tư;
* "… ở tỉnh Vĩnh Long?" — the plan is Đồng Tháp's.

So the constraint words of the question — a day it asks for, a year it names, a province or city,
the agency that must act (its subject), a kind of document named without a number — are taken
out, and each must be satisfied by the clause, its extracted tasks (their agencies and
deadlines), its headings or its document's header, with the equivalences a reader allows:
abbreviations and full names of agencies (the agency gazetteer), folded and unaccented forms,
a year inside a stated period ("2027" in "giai đoạn 2026-2030"), a day written "30/9", "30
tháng 9" or as a weekday. A constraint that is not met means the documents do not say it:
``ask`` answers ``found: false`` and says what they do say nearby.

Pure functions on text; cue words in ``index/data/abstain_keys.toml``; the day cues are those of
``index/data/figure_units.toml`` (index/query/figure_ask.py), the places those of
index/query/places.py.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from tracuu.index.query.figure_ask import asks_day, states_day
from tracuu.index.query.places import named_places
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.vntext import fold

DATA = Path(__file__).resolve().parent / "data" / "abstain_keys.toml"
#: Roles of a task that make an agency one that acts on it.
ACTING = ("lead", "coordinators", "performer")
_YEAR = re.compile(r"(?<![\d/.,])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\d/])")


@dataclass(frozen=True)
class Constraint:
    """One thing the answer must satisfy. ``kind``: "day", "year", "place", "agency" or
    "document"; ``key``: folded, what is looked for; ``shown``: as the question writes it."""

    kind: str
    key: str
    shown: str


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}


def _words(text: str) -> str:
    """Folded words of ``text`` joined by single spaces, padded with a space each side."""
    return " " + " ".join(re.findall(r"\w+", fold(text or ""))) + " "


def _years(text: str) -> list[tuple[int, int]]:
    """Each year or period ("2026-2030") ``text`` writes, as (first, last)."""
    out = []
    for m in _YEAR.finditer(fold(text or "")):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        out.append((first, max(first, last)))
    return out


@lru_cache(maxsize=1)
def phrasing_syllables() -> frozenset[str]:
    """Folded syllables of how a question refers to what a document says ("nhắc tới", "coi … là"): never key
    terms of the question (``[phrasing]`` of abstain_keys.toml)."""
    return frozenset(_data().get("phrasing", {}).get("syllables", ()))


def _as_typed(question: str, key: str) -> str:
    """The words of ``question`` that fold to ``key`` ("Vĩnh Long" for "vinh long"), else ``key``."""
    words = re.findall(r"\w+", question or "")
    n = len(key.split())
    for i in range(len(words) - n + 1):
        if " ".join(fold(w) for w in words[i:i + n]) == key:
            return " ".join(words[i:i + n])
    return key


def _document_kinds(question: str) -> list[Constraint]:
    data = _data().get("document", {})
    words = _words(question)
    numbered = set(data.get("numbered", ()))
    out = []
    for kind in sorted(data.get("kinds", ()), key=len, reverse=True):
        for m in re.finditer(rf" {re.escape(kind)} ", words):
            after = words[m.end():].split()[:1]
            if after and (after[0] in numbered or after[0][:1].isdigit()):
                continue  # a document named by its number: scoped by name elsewhere
            if not any(c.key == kind or kind in c.key for c in out):
                out.append(Constraint("document", kind, _as_typed(question, kind)))
            break
    return out


def subject_agency(question: str) -> Constraint | None:
    """The specific agency the question makes the one that acts: a ministry, a department or a
    named body the gazetteer knows (not guessed from a head word, not a people's committee or a
    group), named in the question's first words and not right after a word that makes it the one
    reported to ("báo cáo Bộ Tài chính", "cho Bộ Công an")."""
    data = _data().get("agency", {})
    levels = set(data.get("levels", ()))
    skip = tuple(data.get("skip_id_prefixes", ()))
    not_subject = [f" {w} " for w in data.get("not_subject", ())]
    limit = int(data.get("max_start_words", 4))
    for m in find_agencies(question or ""):
        before = _words(question[: m.start])
        if len(before.split()) > limit:
            break
        if any(before.endswith(w) for w in not_subject):
            continue
        after = _words(question[m.end:])
        if any(after.startswith(f" {w} ") for w in data.get("passive", ())):
            return None  # what is acted on ("… phải được bảo đảm"): no agency acts in the question
        if m.agency_id and m.matched != "guess" and m.level in levels and not m.agency_id.startswith(skip):
            return Constraint("agency", m.agency_id, m.text)
        return None  # the first agency is the subject; it is not one checked here
    return None


def constraints(question: str) -> list[Constraint]:
    """The key constraints of ``question`` (see the module doc), in a fixed order."""
    out: list[Constraint] = []
    if asks_day(question):
        out.append(Constraint("day", "day", "ngày"))
    for first, last in dict.fromkeys(_years(question)):
        shown = str(first) if first == last else f"{first}-{last}"
        out.append(Constraint("year", shown, shown))
    out += [Constraint("place", p, _as_typed(question, p)) for p in named_places(question)]
    agency = subject_agency(question)
    if agency is not None:
        out.append(agency)
    out += _document_kinds(question)
    return out


def _task_refs(tasks: Iterable[dict[str, Any]], roles: Iterable[str]) -> list[dict[str, Any]]:
    return [ref for t in tasks for role in roles for ref in (t.get(role) or []) if isinstance(ref, dict)]


def _deadline_texts(tasks: Iterable[dict[str, Any]]) -> list[str]:
    out = []
    for t in tasks:
        for d in [t.get("deadline"), *(t.get("deadlines") or [])]:
            if isinstance(d, dict) and d.get("text"):
                out.append(str(d["text"]))
    return out


def _year_met(first: int, last: int, seen: str) -> bool:
    """Every year of the asked period is written, or lies in a period written ("2027" in "2026-2030")."""
    stated = _years(seen)
    return all(any(a <= y <= b for a, b in stated) for y in (first, last))


def _head(agency_id: str) -> str:
    """The kind of body an agency id names: its first word ("so" of "so-y-te", "bo" of "bo-ngoai-giao")."""
    return agency_id.split("-", 1)[0]


def _agency_met(c: Constraint, seen: str, tasks: list[dict[str, Any]]) -> bool:
    """The agency acts in a task of the clause, or the clause (with headings and header) names it, or names a
    group of its kind ("các sở, ban, ngành" holds every Sở; "các Bộ, cơ quan ngang Bộ" every Bộ)."""
    refs = _task_refs(tasks, ACTING)
    mentions = find_agencies(seen)
    if c.key in {ref.get("agency_id") for ref in refs} | {m.agency_id for m in mentions if m.agency_id}:
        return True
    head = f" {_head(c.key)} "
    groups = [ref.get("name") or "" for ref in refs if ref.get("level") == "group"]
    groups += [m.name for m in mentions if m.level == "group"]
    if any(head in _words(g) for g in groups):
        return True
    words = _words(seen)
    names = {c.shown, *(ref.get("name") or "" for ref in refs if ref.get("agency_id") == c.key)}
    return any(_words(n).strip() and _words(n) in words for n in names)


def _document_met(c: Constraint, seen: str) -> bool:
    words = _words(seen)
    aliases = _data().get("document", {}).get("aliases", {}).get(c.key, ())
    return any(f" {k} " in words for k in (c.key, *aliases))


def unmet(question: str, clause_text: str, context: str = "", tasks: list[dict[str, Any]] | None = None) -> list[Constraint]:
    """The key constraints of ``question`` that the clause does not satisfy. ``context``: its
    document's header (type, number, issuer, title, places) and its headings; ``tasks``: the
    tasks extracted from it (their acting agencies and deadlines count)."""
    wanted = constraints(question)
    if not wanted:
        return []
    tasks = list(tasks or [])
    deadlines = " ; ".join(_deadline_texts(tasks))
    seen = f"{context} {clause_text}"
    out = []
    for c in wanted:
        if c.kind == "day":
            ok = states_day(f"{seen} ; {deadlines}") or any(
                isinstance(t.get("deadline"), dict) and t["deadline"].get("day") for t in tasks)
        elif c.kind == "year":
            first, _, last = c.key.partition("-")
            ok = _year_met(int(first), int(last or first), f"{seen} ; {deadlines}")
        elif c.kind == "place":
            ok = f" {c.key} " in _words(seen)
        elif c.kind == "agency":
            ok = _agency_met(c, seen, tasks)
        else:
            ok = _document_met(c, seen)
        if not ok:
            out.append(c)
    return out


def describe(missing: list[Constraint]) -> str:
    """What the documents do not say, in Vietnamese, for the answer's first sentence ("ngày cụ
    thể", "năm 2027", "Vĩnh Long", "việc do Sở Y tế thực hiện", "một thông tư")."""
    parts = []
    for c in missing:
        if c.kind == "day":
            parts.append("ngày cụ thể")
        elif c.kind == "year":
            parts.append(f"năm {c.shown}")
        elif c.kind == "place":
            parts.append(f"địa phương «{c.shown}»")
        elif c.kind == "agency":
            parts.append(f"việc giao cho «{c.shown}»")
        else:
            parts.append(f"văn bản loại «{c.shown}»")
    return ", ".join(dict.fromkeys(parts))
