"""Flattened task tables whose lead column comes first: rows rebuilt, the merged lead cell shared.

Why: some gazette appendices put the owner before the task ("STT | Đơn vị | Nhiệm vụ chủ trì |
Đơn vị phối hợp | Thời gian hoàn thành"), one owner over several task rows. The PDF text layer
writes such a merged cell ("1" / "Bộ Thông tin và" / "Truyền thông") once, where its text sits on
the page: in the middle of its rows, or at the top of a page's part of them; the task rows carry no
number at all. Read as a numbered table, no row is found; read as paragraphs, every task takes the
wrong owner. Here a row is a task cell, then its partner cell, then its time cell (whatever each
reads as), and each row gets the owner of its group.

Which group a row belongs to: rows before the first owner label take the first one; rows printed
after label k take owner k, until a row names owner k among its own partners (an owner is never
its own partner) or a second row after label k stands on label k's own page (the text layer
prints a merged cell's text before the last of its rows on the page where the cell begins): from
that row on, the rows are the next group's, whose label is printed lower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from tracuu.ingest.reflow import SourceLine
from tracuu.ingest.vntext import fold

__all__ = ["is_lead_first", "LeadRow", "Label", "read_rows", "assign_groups", "column_slots"]

_PARTNER_ITEM = re.compile(r"^\(\d{1,2}\)\s*\S")  # "(1) Bộ Tư pháp": a numbered partner
_OWNER = ("don vi", "co quan", "chu tri")
_TASK = ("nhiem vu", "noi dung", "cong viec", "giai phap")
_TIME = ("thoi gian", "thoi han", "tien do", "hoan thanh", "lo trinh")


def _f(text: str) -> str:
    return " ".join(fold(text).lower().split())


def column_slots(names: Sequence[str]) -> dict[str, int] | None:
    """For the column names after STT: where the lead, task, partner and time columns are, when
    the lead column comes first and the table has no other column; else None."""
    folded = [_f(n) for n in names]
    if len(folded) < 2 or "phoi hop" in folded[0] or not folded[0].startswith(("don vi", "co quan")) \
            or any(w in folded[0] for w in _TASK):
        return None
    slots: dict[str, int] = {"lead": 0}
    for k, f in enumerate(folded[1:], 1):
        if "phoi hop" in f and "coord" not in slots:
            slots["coord"] = k
        elif any(w in f for w in _TASK) and "task" not in slots:
            slots["task"] = k
        elif any(w in f for w in _TIME) and "time" not in slots:
            slots["time"] = k
        else:
            return None
    return slots if slots.get("task") == 1 else None


def is_lead_first(names: Sequence[str]) -> bool:
    return column_slots(names) is not None


@dataclass
class Label:
    """A merged lead cell: its number line and the lines of its name; ``after`` rows came before it."""

    number: SourceLine
    name: list[SourceLine]
    after: int
    sheet: int = 0  # the page it is printed on, counted by the page furniture met

    @property
    def text(self) -> str:
        return " ".join(x.text.strip() for x in self.name).strip()


@dataclass
class LeadRow:
    task: list[SourceLine] = field(default_factory=list)
    coord: list[SourceLine] = field(default_factory=list)
    time: list[SourceLine] = field(default_factory=list)
    group: int = 0  # index of its Label
    sheet: int = 0  # the page its task starts on, counted by the page furniture met

    @staticmethod
    def join(lines: list[SourceLine]) -> str:
        return " ".join(x.text.strip() for x in lines).strip()


def _split_time(line: SourceLine, is_time: Callable[[str], bool]) -> tuple[SourceLine, SourceLine | None]:
    """A partner cell and a time cell the text layer put on one line ("Bộ Khoa học và Công nghệ
    Theo lộ trình thực"): cut before the first capitalised word from which the rest reads as a
    time; (line, None) when there is none."""
    for m in re.finditer(r"\s(?=[A-ZĐÀ-Ỹ])", line.text):
        rest = line.text[m.end():]
        if line.text[: m.start()].strip() and is_time(rest):
            return (SourceLine(line.start, line.text[: m.start()].rstrip(), line.page),
                    SourceLine(line.start + m.end(), rest, line.page))
    return line, None


def _pair(a: str, b: str, pairs: frozenset[str]) -> bool:
    return f"{a} {b}".strip(" ,;") in pairs


def read_rows(lines: Sequence[SourceLine], cover: Callable[[str], float], is_time: Callable[[str], bool],
              ends_joining: Callable[[str], bool], skip: Callable[[int], bool],
              pairs: frozenset[str] = frozenset()
              ) -> tuple[list[LeadRow], list[Label], list[tuple[int, int]]]:
    """Rows and owner labels of the body ``lines`` of a lead-first table (header excluded).

    ``cover(text)``: share of words in agency names when ``text`` opens with one; ``is_time``:
    the text opens with a time; ``ends_joining``: the text ends on a word that needs the next one;
    ``skip(k)``: ``lines[k]`` is page furniture (running header, page number, repeated header).
    ``pairs``: two words of one place name ("Cần Thơ"), for an owner name cut between them.
    Also gives, per row, the (first, last) line index it spans, for placing page furniture."""
    rows: list[LeadRow] = []
    labels: list[Label] = []
    spans: list[tuple[int, int]] = []
    cur = LeadRow()
    phase = "task"
    first = -1
    label: Label | None = None
    last = 0

    def finish(k: int) -> None:
        nonlocal cur, phase, first
        if cur.task:
            rows.append(cur)
            spans.append((first, k))
        cur, phase, first = LeadRow(), "task", -1

    gap = False  # a blank line came before this one: an empty cell lies between
    sheet = 0
    in_furniture = False
    for k, line in enumerate(lines):
        t = line.text.strip()
        page_no = bool(re.fullmatch(r"\d{1,4}", t)) and int(t) != last + 1  # not the next owner's number
        if skip(k) or page_no:
            if not in_furniture:
                sheet += 1  # a run of page furniture (page number, running header, header again): a new page
            in_furniture = True
            continue
        if not t:
            gap = True
            continue
        in_furniture = False
        after_gap, gap = gap, False
        if label is not None:
            name = label.text
            words = t.split()
            cut_place = (len(words) > 1 and _pair(words[0], words[1], pairs)) or (
                bool(name) and _pair(name.split()[-1], words[0], pairs))
            if (not name and not is_time(t) and (cover(t) > 0 or len(t) <= 25)) or (name and (
                    t[:1].islower() or ends_joining(name) or (
                        len(t) <= 40 and not is_time(t) and (cover(t) > 0 or cut_place)))):
                label.name.append(line)
                continue
            label = None
        if re.fullmatch(r"\d{1,3}\.?", t) and int(t.rstrip(".")) == last + 1:
            finish(k - 1)
            last += 1
            label = Label(line, [], len(rows), sheet)
            labels.append(label)
            continue
        if first < 0:
            first = k
        if phase == "task":
            if not cur.task:
                cur.sheet = sheet
                cur.task.append(line)
            elif _PARTNER_ITEM.match(t) or (t[:1].isupper() and cover(t) > 0
                                             and not ends_joining(LeadRow.join(cur.task))):
                phase = "coord"
                part, due = _split_time(line, is_time)
                cur.coord.append(part)
                if due is not None:
                    phase = "time"
                    cur.time.append(due)
            elif after_gap and t[:1].isupper() and is_time(t):  # the partner cell left empty
                phase = "time"
                cur.time.append(line)
            else:
                cur.task.append(line)
        elif phase == "coord":
            if is_time(t) and not _PARTNER_ITEM.match(t):
                phase = "time"
                cur.time.append(line)
            elif t[:1].islower() or _PARTNER_ITEM.match(t) or ends_joining(LeadRow.join(cur.coord)) or cover(t) > 0:
                part, due = _split_time(line, is_time)
                cur.coord.append(part)
                if due is not None:
                    phase = "time"
                    cur.time.append(due)
            else:
                finish(k - 1)
                first = k
                cur.sheet = sheet
                cur.task.append(line)
        else:  # time
            if t[:1].islower() or ends_joining(LeadRow.join(cur.time)):
                cur.time.append(line)
            else:
                finish(k - 1)
                first = k
                cur.sheet = sheet
                cur.task.append(line)
    finish(len(lines) - 1)
    assign_groups(rows, labels)
    return rows, labels, spans


def assign_groups(rows: list[LeadRow], labels: list[Label]) -> None:
    """Set each row's group (see the module docstring)."""
    if not labels:
        return
    for k, lab in enumerate(labels):
        stop = labels[k + 1].after if k + 1 < len(labels) else len(rows)
        start = 0 if k == 0 else lab.after
        owner = _f(lab.text)
        moved = False
        for r in range(start, stop):
            if k + 1 < len(labels) and owner and owner in _f(LeadRow.join(rows[r].coord)):
                moved = True
            if k + 1 < len(labels) and r > lab.after and rows[r].sheet == lab.sheet:
                moved = True  # owner k is printed before its group's last row on that page
            rows[r].group = k + 1 if moved else k
