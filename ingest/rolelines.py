"""Role lines: "Đơn vị chủ trì: …", "Cơ quan phối hợp: …", "Thời gian thực hiện: …" under a task.

Why a module of its own: many plans do not write "X chủ trì, phối hợp với Y" in the task's
sentence; they list the task ("a) Nhiệm vụ: …" and its bullets, or a numbered heading) and then
give its owner, partners and time on lines of their own, often nested ("b) Cơ quan thực hiện:" over
"- Đơn vị chủ trì: …" and "- Đơn vị phối hợp: …"). Those lines are not tasks; they say who does the
task lines just before them. This module reads one clause text as such a line
(:func:`read_role_line`) and, over a document's clauses in order, decides which clauses each group
of role lines belongs to (:func:`assign_role_lines`):

* role lines in a row form a group; the clause that follows them closes it;
* the group belongs to the content clauses since the last heading (a clause with points under it,
  or ending with ":"), e.g. every bullet under "a) Nhiệm vụ:"; with none, to that heading itself
  ("2. Tổ chức tập huấn …" followed directly by "- Cơ quan chủ trì: Bộ Công an.");
* a clause that states its task and then its roles inline ("Tổ chức … . Cơ quan chủ trì: Sở Y tế")
  is its own target.

The label words are data: [role_lines] in ``ingest/data/agencies.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from tracuu.ingest.agencies import Gazetteer
from tracuu.ingest.model import Clause
from tracuu.ingest.vntext import fold, nfc

__all__ = ["RoleValue", "RoleLine", "read_role_line", "assign_role_lines", "assign_time_lines", "is_role_clause"]

ROLES = ("lead", "coordinators", "deadline", "container", "content")


@dataclass(frozen=True)
class RoleValue:
    """The text after a role label, as written, with its offsets in the clause text."""

    text: str
    start: int
    end: int
    path: str = ""


@dataclass
class RoleLine:
    """What one clause says as role lines: ``content_end`` is where its own task text ends (0
    when the clause is only role lines), ``values`` role -> value."""

    content_end: int
    values: dict[str, RoleValue] = field(default_factory=dict)


def _label_re(g: Gazetteer) -> re.Pattern[str]:
    data = g.role_lines
    alts: list[str] = []
    for role in ROLES:
        keys = sorted({fold(nfc(p)).strip() for p in data.get(role, [])}, key=len, reverse=True)
        if keys:
            body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
            alts.append(f"(?P<{role}>{body})")
    body = "|".join(alts) or r"(?!x)x"
    # at the start of the text or of a line/sentence, after an optional point letter or bullet
    return re.compile(
        r"(?:^|(?<=[.;:!?])\s+|\n)[ \t]*(?:[a-zđ]\)\s*|[-+•*]\s*)?(?:" + body + r")\s*(?:\([^)]{0,40}\)\s*)?:[ \t]*"
    )


_CACHE: dict[int, re.Pattern[str]] = {}


def read_role_line(text: str, g: Gazetteer) -> RoleLine | None:
    """The role labels written in ``text`` (None when there is none).

    A label counts at the start of the text or after a sentence end or line break; its value runs
    to the next label or the end (a final "." dropped). A lead or coordinator label with nothing
    after it ("b) Cơ quan thực hiện:") is a container: the lines under it give the roles.
    """
    rx = _CACHE.get(id(g))
    if rx is None:
        rx = _CACHE[id(g)] = _label_re(g)
    text = nfc(text)
    folded = fold(text)
    hits = list(rx.finditer(folded))
    if not hits:
        return None
    out = RoleLine(content_end=hits[0].start())
    for k, mt in enumerate(hits):
        role = next(r for r in ROLES if mt.group(r) is not None)
        end = hits[k + 1].start() if k + 1 < len(hits) else len(text)
        a, b = mt.end(), end
        while b > a and (text[b - 1].isspace() or text[b - 1] in ".;"):
            b -= 1
        if role == "content" or (role == "container" and a >= b):
            continue
        if role == "container":
            role = "lead"
        if role not in out.values and a < b:
            out.values[role] = RoleValue(text[a:b], a, b)
    if out.content_end == 0 and not out.values:
        # only a container or content label: "a) Nhiệm vụ:" is a heading, "b) Cơ quan thực hiện:" a container
        first = next(r for r in ROLES if hits[0].group(r) is not None)
        if first == "content":
            return None
    return out


def _is_heading(c: Clause, parents: set[str]) -> bool:
    return c.path in parents or c.text.rstrip().endswith(":")


def _role_groups(clauses: Iterable[Clause], g: Gazetteer,
                 skip: set[str]) -> list[tuple[list[Clause], dict[str, RoleValue], Clause | None]]:
    """Each group of role lines in a row with the clauses it belongs to (see the module doc); an
    inline "task. Cơ quan chủ trì: …" clause is its own group, with itself as target."""
    ordered = [c for c in clauses]
    parents = {c.parent for c in ordered if c.parent}
    found: list[tuple[list[Clause], dict[str, RoleValue], Clause | None]] = []
    pending: list[Clause] = []
    heading: Clause | None = None
    group: dict[str, RoleValue] = {}

    def close() -> None:
        nonlocal group, pending, heading
        targets = pending or ([heading] if heading is not None and _has_content(heading, g) else [])
        if group and targets:
            found.append((list(targets), dict(group), heading if pending else None))
        group = {}
        pending = []
        heading = None

    for c in ordered:
        if c.path in skip:
            continue
        line = read_role_line(c.text, g)
        if line is not None and line.content_end == 0:
            for role, v in line.values.items():
                group.setdefault(role, RoleValue(v.text, v.start, v.end, c.path))
            continue
        if group:
            close()
        if line is not None and line.values:
            found.append(([c], {r: RoleValue(v.text, v.start, v.end, c.path) for r, v in line.values.items()}, None))
            pending, heading = [], None
            continue
        if _is_heading(c, parents):
            heading, pending = c, []
        else:
            pending.append(c)
    close()
    return found


def assign_role_lines(clauses: Iterable[Clause], g: Gazetteer, skip: set[str]) -> dict[str, dict[str, RoleValue]]:
    """Clause path -> the role values (lead, coordinators, deadline) its role lines give it.

    ``clauses`` in document order; ``skip`` holds paths that are never tasks nor role lines
    (headers, signatures, table rows). The role clauses themselves are not in the result: ask
    :func:`is_role_clause`. A group of role lines that names no lead is left out here (a time alone
    says nothing about who): :func:`assign_time_lines` gives those.
    """
    out: dict[str, dict[str, RoleValue]] = {}
    for targets, group, _above in _role_groups(clauses, g, skip):
        if group.get("lead") is not None:
            for c in targets:
                out[c.path] = dict(group)
    return out


def assign_time_lines(clauses: Iterable[Clause], g: Gazetteer, skip: set[str]) -> dict[str, RoleValue]:
    """Clause path -> the time a role line of its own gives it when no owner is written there:
    "- Thành lập Ban Chỉ đạo cấp xã …" / "Thời gian hoàn thành: Trước ngày 15/11/2025." under a
    heading of names - the bullet's owner comes from the heading, its time from the line after it."""
    out: dict[str, RoleValue] = {}
    for targets, group, above in _role_groups(clauses, g, skip):
        if group.get("lead") is None and group.get("deadline") is not None:
            # a time after a point's sub-items ("- Phối hợp hướng dẫn …: / + Sở A: … / + Sở B: … /
            # Thời gian thực hiện: …") is the point's time as well as its items'
            for c in targets + ([above] if above is not None and _has_content(above, g) else []):
                out[c.path] = group["deadline"]
    return out


def _has_content(c: Clause, g: Gazetteer) -> bool:
    """A heading that says something beyond a label ("Nhiệm vụ:" alone is not a task)."""
    text = c.text.strip().rstrip(":").strip()
    line = read_role_line(c.text, g)
    return bool(text) and not (line is not None and line.content_end == 0)


def is_role_clause(c: Clause, g: Gazetteer) -> bool:
    """The clause is only role lines (or a container such as "b) Cơ quan thực hiện:")."""
    line = read_role_line(c.text, g)
    return line is not None and line.content_end == 0
