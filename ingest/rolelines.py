"""Role lines: "Đơn vị chủ trì: …", "Cơ quan phối hợp: …", "Thời gian thực hiện: …" under a task.

Why a module of its own: many plans do not write "X chủ trì, phối hợp với Y" in the task's
sentence; they list the task ("a) Nhiệm vụ: …" and its bullets, or a numbered heading) and then
give its owner, partners and time on lines of their own, often nested ("b) Cơ quan thực hiện:" over
"- Đơn vị chủ trì: …" and "- Đơn vị phối hợp: …"). Those lines are not tasks; they say who does the
task lines just before them. This module reads one clause text as such a line
(:func:`read_role_line`) and, over a document's clauses in order, decides which clauses each group
of role lines belongs to (:func:`read_role_lines`):

* role lines in a row form a group; the clause that follows them closes it;
* the group belongs to the content clauses since the last heading (a clause with points under it,
  or ending with ":"), e.g. every bullet under "a) Nhiệm vụ:"; with none, to that heading itself
  ("2. Tổ chức tập huấn …" followed directly by "- Cơ quan chủ trì: Bộ Công an.");
* a clause that states its task and then its roles inline ("Tổ chức … . Cơ quan chủ trì: Sở Y tế")
  is its own target;
* a label written as a heading of its own, without a colon, over the lines that name the bodies
  (:func:`_label_blocks`): "2. Cơ quan chủ trì, phối hợp" / "a) Cơ quan chủ trì" / "- Bộ Quốc phòng." /
  "- Bộ Tài chính." / "b) Cơ quan phối hợp" / "- Các bộ, ngành." after a section's items ("1. Nội
  dung, biện pháp" / "a) …" / "b) …"), national plans' way of listing owners after the work. The
  label and its name lines are role lines like "Cơ quan chủ trì: …": each name line is one value.

A label broken by a PDF text layer ("Cơ quan chủ tr ì:", "Th ờ i gian thực hiện:") is still a label:
a single space inside a word is allowed.

The label words are data: [role_lines] in ``ingest/data/agencies.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from tracuu.ingest.agencies import Gazetteer
from tracuu.ingest.model import Clause
from tracuu.ingest.vntext import fold, nfc

__all__ = ["RoleValue", "RoleLine", "RoleLines", "read_role_line", "read_role_lines", "is_role_clause"]

ROLES = ("lead", "coordinators", "deadline", "container", "content")


@dataclass(frozen=True)
class RoleValue:
    """The text after a role label, as written, with its offsets in the clause text."""

    text: str
    start: int
    end: int
    path: str = ""
    more: tuple["RoleValue", ...] = ()  # the further name lines under a label heading, one value each


@dataclass
class RoleLine:
    """What one clause says as role lines: ``content_end`` is where its own task text ends (0
    when the clause is only role lines), ``values`` role -> value."""

    content_end: int
    values: dict[str, RoleValue] = field(default_factory=dict)


def _written(label: str) -> str:
    """A folded label as a pattern: words apart by any space, and one stray space allowed between
    two letters of a word (a PDF text layer's "chủ tr ì")."""
    out: list[str] = []
    for k, ch in enumerate(label):
        if ch == " ":
            out.append(r"\s+")
            continue
        out.append(re.escape(ch))
        if k + 1 < len(label) and ch.isalpha() and label[k + 1].isalpha():
            out.append(r" ?")
    return "".join(out)


def _role_alternatives(g: Gazetteer) -> str:
    """``(?P<lead>…)|(?P<coordinators>…)|…``: the label words of every role, longest first."""
    data = g.role_lines
    alts: list[str] = []
    for role in ROLES:
        keys = sorted({fold(nfc(p)).strip() for p in data.get(role, [])}, key=len, reverse=True)
        if keys:
            body = "|".join(_written(k) for k in keys)
            alts.append(f"(?P<{role}>{body})")
    return "|".join(alts) or r"(?!x)x"


def _label_re(g: Gazetteer) -> re.Pattern[str]:
    body = _role_alternatives(g)
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


_BARE: dict[int, re.Pattern[str]] = {}


def _bare_label_re(g: Gazetteer) -> re.Pattern[str]:
    """A clause that is only a label, no colon or nothing after it: "Cơ quan chủ trì", "a) Cơ quan
    phối hợp:", "2. Cơ quan chủ trì, phối hợp" (a label and ``[role_lines] block_suffix`` words: the
    heading over both lists)."""
    rx = _BARE.get(id(g))
    if rx is None:
        suffix = "|".join(_written(fold(nfc(w)).strip()) for w in g.role_lines.get("block_suffix", [])) or r"(?!x)x"
        rx = _BARE[id(g)] = re.compile(
            r"[ \t]*(?:(?:[a-zđ]|\d{1,2})[.)]\s*|[-+•*]\s*)?(?:" + _role_alternatives(g) + r")"
            r"(?P<both>\s*(?:,|va\b|/)\s*(?:" + suffix + r"))?\s*[:.]?\s*")
    return rx


def _bare_label(c: Clause, g: Gazetteer) -> str | None:
    """The role a label heading gives the lines under it ("both" for a heading over a chủ trì list
    and a phối hợp list); None when the clause says more than a label."""
    m = _bare_label_re(g).fullmatch(fold(nfc(c.text)))
    if m is None or m.group("content") is not None or m.group("container") is not None:
        return None  # "IV. TỔ CHỨC THỰC HIỆN" is a section, not a label over names
    if m.group("both") is not None:
        return "both"
    return next(r for r in ROLES if m.group(r) is not None)


def _label_blocks(clauses: list[Clause], g: Gazetteer) -> dict[str, RoleLine]:
    """Clause path -> the role line it stands for, for the label headings and the name lines under
    them (see the module doc). A lead or partner label counts only with lines under it; its lines
    are its children, each a short list of names (a bracketed remark "(Văn phòng … là cơ quan …)"
    under it is neither a value nor a task); every line must name a body the gazetteer knows, so a
    heading over work ("2. Phối hợp" over sentences) is not read as one. A "both" heading holds the
    two labels."""
    kids: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            kids.setdefault(c.parent, []).append(c)
    out: dict[str, RoleLine] = {}
    for c in clauses:
        role = _bare_label(c, g)
        if role is None or role == "both":
            continue
        lines = [k for k in kids.get(c.path, []) if k.path not in kids]
        values = [k for k in lines if not k.text.lstrip().startswith("(")]
        if not values or len(lines) != len(kids.get(c.path, [])) \
                or not all(_names_line(k.text, g) for k in values):
            continue
        first, *rest = [RoleValue(*_value_span(k.text), path=k.path) for k in values]
        out[c.path] = RoleLine(0, {role: RoleValue(first.text, first.start, first.end, first.path, tuple(rest))})
        for k in lines:
            out[k.path] = RoleLine(0, {})
    for c in clauses:
        if _bare_label(c, g) == "both" and any(k.path in out for k in kids.get(c.path, [])):
            out[c.path] = RoleLine(0, {})
    return out


def _names_line(text: str, g: Gazetteer) -> bool:
    """A short line that names bodies ("Bộ Quốc phòng; Bộ Tài chính.", "Các đơn vị, địa phương.")
    and is no role line of its own nor a body's work ("Sở Y tế: tổ chức …")."""
    return len(text.split()) <= 30 and ":" not in text and read_role_line(text, g) is None and bool(g.find(text))


def _value_span(text: str) -> tuple[str, int, int]:
    """A name line's value: its text without the final "." or ";" (and spaces)."""
    a, b = 0, len(text)
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ".;"):
        b -= 1
    return text[a:b], a, b


def _is_heading(c: Clause, parents: set[str]) -> bool:
    return c.path in parents or c.text.rstrip().endswith(":")


def _role_groups(ordered: list[Clause], g: Gazetteer, skip: set[str],
                 blocks: dict[str, RoleLine]) -> list[tuple[list[Clause], dict[str, RoleValue], Clause | None]]:
    """Each group of role lines in a row with the clauses it belongs to (see the module doc); an
    inline "task. Cơ quan chủ trì: …" clause is its own group, with itself as target. ``blocks``:
    :func:`_label_blocks` of the same clauses."""
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
        line = blocks.get(c.path) or read_role_line(c.text, g)
        if line is not None and line.content_end == 0:
            for role, v in line.values.items():
                group.setdefault(role, RoleValue(v.text, v.start, v.end, v.path or c.path, v.more))
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


@dataclass
class RoleLines:
    """What a document's role lines say, read once for the whole document.

    ``by_task``: clause path -> the role values (lead, coordinators, deadline) its role lines give
    it; a group that names no lead is left out (a time alone says nothing about who). ``times``:
    clause path -> the time a role line of its own gives it when no owner is written there ("- Thành
    lập Ban Chỉ đạo cấp xã …" / "Thời gian hoàn thành: Trước ngày 15/11/2025." under a heading of
    names: the bullet's owner comes from the heading, its time from the line after it).
    ``block_paths``: the label headings and name lines of :func:`_label_blocks`, role lines and never
    tasks. The role clauses themselves are in neither map: ask :func:`is_role_clause`."""

    by_task: dict[str, dict[str, RoleValue]]
    times: dict[str, RoleValue]
    block_paths: set[str]


def read_role_lines(clauses: Iterable[Clause], g: Gazetteer, skip: set[str]) -> RoleLines:
    """The role lines of ``clauses`` (document order); ``skip`` holds paths that are never tasks nor
    role lines (headers, signatures, table rows)."""
    ordered = list(clauses)
    blocks = _label_blocks(ordered, g)
    by_task: dict[str, dict[str, RoleValue]] = {}
    times: dict[str, RoleValue] = {}
    for targets, group, above in _role_groups(ordered, g, skip, blocks):
        if group.get("lead") is not None:
            for c in targets:
                by_task[c.path] = dict(group)
        elif group.get("deadline") is not None:
            # a time after a point's sub-items ("- Phối hợp hướng dẫn …: / + Sở A: … / + Sở B: … /
            # Thời gian thực hiện: …") is the point's time as well as its items'
            for c in targets + ([above] if above is not None and _has_content(above, g) else []):
                times[c.path] = group["deadline"]
    return RoleLines(by_task, times, set(blocks))


def _has_content(c: Clause, g: Gazetteer) -> bool:
    """A heading that says something beyond a label ("Nhiệm vụ:" alone is not a task)."""
    text = c.text.strip().rstrip(":").strip()
    line = read_role_line(c.text, g)
    return bool(text) and not (line is not None and line.content_end == 0)


def is_role_clause(c: Clause, g: Gazetteer) -> bool:
    """The clause is only role lines (or a container such as "b) Cơ quan thực hiện:")."""
    line = read_role_line(c.text, g)
    return line is not None and line.content_end == 0
