"""Tasks and agencies as the API shows them: who leads, who coordinates, by when, cited.

Why a module of its own: the task records are extracted at ingest (ingest.tasks); here they
are filtered by agency, document and role, grouped into the agency list, and given the same
citation strings as search hits.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from tracuu.ingest.agencies import expand, find_agencies, load_gazetteer
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.shapes import AgencyRef, Deadline, Task
from tracuu.ingest.vntext import fold

ROLE_NAMES_FILE = Path(__file__).resolve().parent.parent / "index" / "data" / "roles.toml"

# Role codes of the API and how a Vietnamese report names them.
ROLES: dict[str, str] = {
    "lead": "chủ trì",
    "coordinator": "phối hợp",
    "performer": "thực hiện",
    "advised": "nhận tham mưu",
    "reports_to": "nhận báo cáo",
    "via": "đầu mối tiếp nhận (qua)",
}
_TASK_FIELDS = {"lead": "lead", "coordinator": "coordinators", "performer": "performer", "advised": "advises", "reports_to": "reports_to"}


@lru_cache(maxsize=1)
def _role_phrases() -> dict[str, str]:
    """Folded phrase -> role code, from index/data/roles.toml (the codes themselves always work)."""
    table = {fold(code): code for code in ROLES}
    if ROLE_NAMES_FILE.exists():
        data = tomllib.loads(ROLE_NAMES_FILE.read_text(encoding="utf-8"))
        for code, row in data.items():
            if code in ROLES:
                for phrase in row.get("phrases", []):
                    table.setdefault(_words(phrase), code)
    return table


@lru_cache(maxsize=50_000)
def _words(text: str) -> str:
    """Folded words joined by one space (cached: a filter compares every task's agency names)."""
    return " ".join(re.findall(r"\w+", fold(text or "")))


@lru_cache(maxsize=50_000)
def _folded(text: str) -> str:
    return fold(text)


def resolve_role(role: str | None) -> str | None:
    """The role code for what a user typed: "lead", "chủ trì", "chu tri", "Phối hợp" …; None if
    unknown. The codes of ``ROLES`` and their Vietnamese names always resolve."""
    if not role:
        return None
    key = _words(role)
    table = _role_phrases()
    if key in table:
        return table[key]
    return next((code for code, vi in ROLES.items() if _words(vi) == key), None)


def role_names() -> list[str]:
    """What a role filter accepts, for error messages: each code with its Vietnamese name."""
    return [f"{code} ({vi})" for code, vi in ROLES.items()]


def agency_key(ref: dict[str, Any]) -> str:
    """The id of an agency mention: the gazetteer's id, else a slug of its full name."""
    return ref.get("agency_id") or slugify(ref.get("full") or ref.get("name") or "")


def canonical_name(ref: dict[str, Any]) -> str:
    """The gazetteer's name for a known agency ("Ủy ban Mặt trận Tổ quốc Việt Nam" read at
    provincial scope is "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"); else the name with its
    abbreviations written out."""
    if ref.get("agency_id"):
        try:
            return load_gazetteer().entry(ref["agency_id"]).name
        except KeyError:
            pass
    return ref.get("full") or ref.get("name") or ""


def agency_out(ref: dict[str, Any]) -> AgencyRef:
    """A stored agency mention as the API shows it (the one conversion to AgencyRef)."""
    return AgencyRef(
        agency_id=agency_key(ref),
        agency=canonical_name(ref),
        as_written=ref.get("name"),
        level=ref.get("level"),
        known=ref.get("agency_id") is not None,
    )


def roles_of(task: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(role, agency ref) for every agency a task names in a role, the 'qua' channel included."""
    for role, fld in _TASK_FIELDS.items():
        for ref in task.get(fld) or []:
            yield role, ref
            if role == "reports_to" and ref.get("via"):
                yield "via", ref["via"]


def deadline_out(task: dict[str, Any]) -> Deadline | None:
    """A stored task's deadline as the API shows it (the one conversion to Deadline)."""
    d = task.get("deadline")
    if not d:
        return None
    return Deadline.of(d)


def task_out(task: dict[str, Any], citation: str) -> Task:
    """A stored task (ingest.tasks' record) as the API shows it (the one conversion to Task)."""
    refs = lambda fld: [agency_out(r) for r in task.get(fld) or []]  # noqa: E731
    reports = []
    for r in task.get("reports_to") or []:
        out = agency_out(r)
        out.via = agency_out(r["via"]) if r.get("via") else None
        reports.append(out)
    return Task(
        task_id=task["task_id"],
        doc_id=task["doc_id"],
        path=task["path"],
        text=task["text"],
        lead=refs("lead"),
        coordinators=refs("coordinators"),
        performer=refs("performer"),
        advises=refs("advises"),
        reports_to=reports,
        deadline=deadline_out(task),
        recurrence=task.get("recurrence"),
        citation=citation,
        clause_id=task["clause_id"],
    )


@dataclass(frozen=True)
class AgencyQuery:
    """An agency as a user names it (an id, a name or an abbreviation), resolved once.

    Why a class: resolving the name runs the gazetteer matcher; a filter checks every task, so
    the resolution is done once per request, not once per task.
    """

    keys: frozenset[str]
    folded: str
    phrases: tuple[str, ...] = ()  # folded word sequences, as typed and written out in full

    @classmethod
    def of(cls, wanted: str) -> "AgencyQuery":
        """From an id, a name, an abbreviation ("MTTQ", "Sở GD&ĐT") or a name without marks."""
        keys = {wanted, slugify(wanted)} | {m.agency_id for m in find_agencies(wanted) if m.agency_id}
        try:
            full = expand(wanted)
        except Exception:  # the gazetteer must never fail a filter
            full = wanted
        phrases = tuple(p for p in dict.fromkeys((_words(wanted), _words(full))) if p)
        return cls(frozenset(keys), fold(wanted), phrases)

    def names(self, ref: dict[str, Any]) -> bool:
        """Does ``ref`` (an agency mention of a task) name this agency? Its id, its name as
        written or in full, or a name that contains the wanted words ("MTTQ" = "Mặt trận Tổ
        quốc" names "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")."""
        if agency_key(ref) in self.keys:
            return True
        names = [ref.get("full") or "", ref.get("name") or "", canonical_name(ref)]
        if any(_folded(n) == self.folded for n in names if n):
            return True
        padded = [f" {_words(n)} " for n in names if n]
        return any(f" {p} " in n for p in self.phrases for n in padded)

    def roles_in(self, task: dict[str, Any], roles: set[str] | None = None) -> set[str]:
        """The roles in which ``task`` names this agency (restricted to ``roles`` if given)."""
        found = set()
        for role, ref in roles_of(task):
            if roles and role not in roles:
                continue
            if self.names(ref):
                found.add(role)
        return found


def agency_table(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every agency that some task names, with how many tasks it leads, coordinates, …."""
    table: dict[str, dict[str, Any]] = {}
    for task in tasks:
        for role, ref in roles_of(task):
            row = table.setdefault(
                agency_key(ref), {**agency_out(ref).to_json(), "counts": {r: 0 for r in ROLES}, "names_as_written": []}
            )
            row["counts"][role] += 1
            if ref.get("name") not in row["names_as_written"]:
                row["names_as_written"].append(ref.get("name"))
    rows = list(table.values())
    rows.sort(key=lambda r: (-r["counts"]["lead"], -sum(r["counts"].values()), fold(r["agency"] or "")))
    for r in rows:
        r.pop("as_written")
    return rows
