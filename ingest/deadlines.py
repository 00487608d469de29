"""When a task is due: deadlines and recurrences as written, and what they mean.

Why a small grammar and not a date parser: plans state time in a handful of fixed phrasings
("trước ngày 30/9 hàng năm", "Quý IV năm 2025", "định kỳ 6 tháng (trước ngày 10/6) và hằng năm
(trước ngày 10/12)", "thường xuyên"), and an official needs both the words as written (to cite)
and their meaning (to ask "what is due before 30/9"). A bare date is *not* a deadline in prose:
"Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024" dates a document. In prose a date counts only
after a word such as "trước"/"chậm nhất"; in a table's deadline column (``bare=True``) the cell
is a deadline by position, so "Năm 2025" or "31/12/2025" count too.

Matching runs on :func:`ingest.vntext.fold` of the text, which keeps offsets, so "hằng năm",
"hàng năm" and "hang nam" are one phrase and ``text`` is always a substring of the source.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from tracuu.ingest.vntext import fold, nfc

Kind = Literal["date", "yearly_date", "month", "quarter", "year", "period", "relative", "recurring", "continuous",
               "unknown"]
Recurrence = Literal["yearly", "half-yearly", "quarterly", "monthly", "weekly", "daily", "periodic", "continuous"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_B = r"(?<![0-9a-z])"  # word start on folded text
_E = r"(?![0-9a-z])"  # word end

# "trước" and its kin: what makes a date in prose a deadline.
_PRE = r"(?:truoc|cham nhat(?: la)?(?: truoc)?|den het|den|han chot(?: la)?|khong qua|trong)"
_DMY = r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?"
_DMY_WORDS = r"(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})(?:\s*,?\s*nam\s+(?P<y2>\d{4}))?"
_EVERY = r"(?P<every>(?:hang|moi|tung)\s+(?:nam|quy|thang|tuan|ngay))"
_YEARLY_SUFFIX = r"(?:\s+(?P<suf>(?:hang|moi)\s+nam))?"

# "khởi công dự án … vào ngày 19 tháng 12 năm 2025": the day set for the work ("vào" needs "ngày")
_DATE_PROSE = re.compile(_B + rf"(?P<pre>{_PRE}|vao(?=\s+ngay\s))\s+(?:ngay\s+)?(?:{_DMY}|{_DMY_WORDS}){_YEARLY_SUFFIX}" + _E)
_DATE_BARE = re.compile(_B + rf"(?:(?P<pre>{_PRE}|vao)\s+)?(?:ngay\s+)?(?:{_DMY}|{_DMY_WORDS}){_YEARLY_SUFFIX}" + _E)
_MONTH_PROSE = re.compile(_B + rf"(?P<pre>{_PRE})\s+thang\s+(?P<m>\d{{1,2}})\s*(?:/\s*|nam\s+)(?P<y>\d{{4}})" + _E)
_MONTH_BARE = re.compile(_B + r"(?:(?P<pre>" + _PRE + r")\s+)?thang\s+(?P<m>\d{1,2})\s*(?:/\s*|nam\s+)(?P<y>\d{4})" + _E)
# "trong Quý II/2025", "trong quý II năm 2026": the "trong" before a quarter is part of the deadline as written
_QUARTER = re.compile(
    _B + r"(?:trong\s+)?qu[yi]\s+(?P<q>iv|iii|ii|i|[1-4])" + _E
    + r"(?:\s*(?:nam\s+|[/-]\s*)(?P<y>\d{4})|\s+(?P<suf>(?:hang|moi)\s+nam))?" + _E
)
# "năm 2025 - 2026", "giai đoạn 2026-2030", "năm học 2025 - 2026" (a period: due at its end)
_PERIOD_WORDS = r"(?:nam hoc|nien khoa|nam|giai doan(?: tu nam)?|tu nam)"
_PERIOD_PROSE = re.compile(_B + r"(?P<pre>trong|den het|den)\s+" + _PERIOD_WORDS
                           + r"\s+(?P<y1>\d{4})\s*(?:-|–|den(?: nam)?)\s*(?P<y>\d{4})" + _E
                           + r"|" + _B + r"nam hoc\s+(?P<y1b>\d{4})\s*[-–]\s*(?P<yb>\d{4})" + _E
                           # "thực hiện năm 2025-2030", "từ năm 2026 đến năm 2030": a span of years is a period
                           + r"|" + _B + r"(?:tu\s+)?nam\s+(?P<y1c>\d{4})\s*(?:[-–]|den(?: nam)?)\s*(?P<yc>\d{4})" + _E)
# "6 tháng đầu năm 2026", "6 tháng cuối năm 2026": due at the end of that half
_HALF_YEAR = re.compile(_B + r"(?:trong\s+|truoc\s+)?(?:6|sau)\s+thang\s+(?P<half>dau|cuoi)\s+nam\s+(?P<y>\d{4})" + _E)
_PERIOD_BARE = re.compile(_B + r"(?:(?:trong|den het|den)\s+)?(?:" + _PERIOD_WORDS + r"\s+)?(?P<y1>\d{4})\s*"
                          r"(?:-|–|den(?: nam)?)\s*(?P<y>\d{4})" + _E)
# "trước ngày 15 hằng tháng": a day of every month
_MONTHLY_DAY = re.compile(_B + rf"(?:(?P<pre>{_PRE}|vao)\s+)?ngay\s+(?P<d>\d{{1,2}})\s+(?:hang|moi)\s+thang" + _E)
# "02 lần/năm", "tối thiểu 01 lần/năm", "mỗi năm 2 lần"
_TIMES = re.compile(_B + r"(?:(?:toi thieu|it nhat|khong qua|tu)\s+)?(?P<n>\d{1,2}|mot|hai|ba|bon)\s+lan\s*"
                    r"(?:/|trong(?: mot)?|moi|mot)\s*(?P<unit>nam|quy|thang|tuan|ngay)" + _E)
# "trong 03 ngày làm việc, kể từ ngày nhận được kiến nghị", "chậm nhất 05 ngày kể từ ..."
# ("chậm nhất trong 20 ngày làm việc, kể từ …", "trong thời hạn tối đa là 15 ngày, kể từ …")
_RELATIVE = re.compile(_B + r"(?:trong(?:\s+thoi\s+han)?|cham nhat(?: la)?(?:\s+trong(?:\s+thoi\s+han)?)?|khong qua|sau)"
                       r"(?:\s+(?:toi da|khong qua|it nhat|la)){0,2}\s+(?P<n>\d{1,3})\s+"
                       r"(?:(?P<work>ngay lam viec)|(?:ngay|thang|tuan|gio)" + _E
                       + r"(?=\s*,?\s*(?:ke tu|tinh tu|truoc ngay)))"
                       + r"(?:\s*,?\s*(?:ke tu|tinh tu)\s+(?:(?!\s(?:thi|phai)\s)[^,;.()]){3,80})?")
# "vào thứ Sáu hằng tuần", "định kỳ thứ Hai hàng tuần"
_WEEKDAY_WORD = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat)"
_WEEKDAYS = re.compile(_WEEKDAY_WORD + r"(?:\s*(?:,|-|va|hoac)\s*" + _WEEKDAY_WORD + r")*")
# "vào thứ Sáu hằng tuần", "định kỳ thứ Hai hàng tuần", "vào ngày thứ Bảy hoặc Chủ nhật hàng tuần",
# "vào 15:00 ngày Chủ nhật hàng tuần": one or more days of the week (an hour of it before)
_CLOCK = r"\d{1,2}\s*(?::\s*\d{2}|h(?:\s*\d{2})?|gio(?:\s*\d{2})?)"
_WEEKDAY = re.compile(_B + r"(?:(?:dinh ky|vao|truoc)\s+)?(?:" + _CLOCK + r"\s+)?(?:ngay\s+)?" + _WEEKDAYS.pattern
                      + r"\s+(?:hang|moi)\s+tuan" + _E)
# "trước năm 2027", "chậm nhất (vào / trong) năm 2027" as well: a year after a word of "trước"'s kin
_YEAR_PROSE = re.compile(_B + r"(?P<pre>den het nam|den nam|trong nam|cuoi nam|truoc nam"
                         r"|cham nhat(?: la)?(?: (?:vao|trong))?(?: cuoi)? nam)\s+(?P<y>\d{4})" + _E)
_YEAR_BARE = re.compile(_B + r"(?:(?P<pre>den het|den|trong|cuoi)\s+)?nam\s+(?P<y>\d{4})" + _E + r"|" + _B + r"(?P<y2>\d{4})" + _E)
_PERIODIC_N = re.compile(_B + r"dinh ky\s+(?P<n>\d{1,2}|sau|ba|mot)\s+(?:\([a-z ]{1,8}\)\s*)?thang(?:\s+(?:mot lan|/\s*lan))?" + _E)
# "6 tháng một lần", "06 tháng/lần", "03 tháng/lần", "12 tháng một lần": every N months
_HALF = re.compile(_B + r"(?P<n>\d{1,2}|sau|ba|mot)\s+thang\s*(?:mot lan|/\s*lan)" + _E)
_ROMAN_Q = r"(?:iv|iii|ii|i)"
# "Quý I, II/2026", "quý III và quý IV năm 2026", "Quý III-IV/2026": several quarters of one year
_QUARTER_LIST = re.compile(_B + r"(?:trong\s+)?qu[yi]\s+(?P<qs>" + _ROMAN_Q + r"(?:\s*(?:,|-|–|va)\s*(?:qu[yi]\s+)?" + _ROMAN_Q
                           + r")+)" + _E + r"\s*(?:nam\s+|/\s*)(?P<y>\d{4})" + _E)
# "tháng 10-12/2025", "Tháng 6 - 12/2026", "từ tháng 3 đến tháng 6 năm 2026": a span of months, due at its end
_MONTH_SPAN = re.compile(_B + r"(?:(?P<pre>" + _PRE + r"|tu)\s+)?thang\s+(?P<m1>\d{1,2})\s*(?:-|–|den(?:\s+het)?)\s*"
                         r"(?:thang\s+)?(?P<m>\d{1,2})\s*(?:/\s*|nam\s+)(?P<y>\d{4})" + _E)
_EVERY_RE = re.compile(_B + _EVERY + _E)
_PERIODIC = re.compile(_B + r"dinh ky" + _E)
_CONTINUOUS = re.compile(_B + r"thuong xuyen" + _E)
_PAREN = re.compile(r"\s*\(\s*(?P<inner>[^()]{1,60}?)\s*\)")
_AND = re.compile(r"\s*(?:,\s*)?va\s+")
# "định kỳ, đột xuất", "định kỳ hoặc đột xuất", "định kỳ; kiểm tra đột xuất"
_SURPRISE_AFTER = re.compile(r"\s*(?:[,;]\s*|hoac\s+|hay\s+|va\s+)(?:[a-z]+\s+){0,2}?dot xuat" + r"(?![0-9a-z])")
# "Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)": stages of one task, each with its own time
_STAGE_SEP = re.compile(r"\s*[;,]\s*(?:va\s+)?")

_EVERY_MAP: dict[str, str] = {"nam": "yearly", "quy": "quarterly", "thang": "monthly", "tuan": "weekly", "ngay": "daily"}
_N_MONTHS: dict[str, int] = {"sau": 6, "ba": 3, "mot": 1}
_MONTHS_TO_RECURRENCE: dict[int, str] = {12: "yearly", 6: "half-yearly", 3: "quarterly", 1: "monthly"}

# How specific a deadline is; the task's deadline is the most specific one it states.
_RANK: dict[str, int] = {"date": 0, "relative": 1, "yearly_date": 1, "month": 2, "quarter": 3, "recurring": 6,
                         "year": 5, "period": 5, "continuous": 8, "unknown": 9}


@dataclass(frozen=True)
class Deadline:
    """A deadline or recurrence as written (``text`` is a substring of the source) and parsed.

    ``date`` is the ISO day the task is due when the text fixes one (a quarter is due on its last
    day, a year on 31/12); ``day``/``month`` are set for a day of the year even without a year
    ("trước ngày 30/9 hàng năm"). ``parts`` holds the pieces of a compound deadline such as
    "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12)".
    """

    text: str
    start: int
    end: int
    kind: str  # Kind
    date: str | None = None
    recurrence: str | None = None  # Recurrence
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    parts: tuple["Deadline", ...] = field(default_factory=tuple)

    @property
    def rank(self) -> int:
        """Lower is more specific (a fixed date beats "hằng năm", which beats "thường xuyên")."""
        own = _RANK.get(self.kind, 9)
        if self.kind == "recurring" and self.day is not None:
            own = 4
        if self.kind == "recurring" and self.recurrence == "periodic":
            own = 7
        return min([own] + [p.rank for p in self.parts])

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Deadline | None":
        """A deadline back from its stored form (``dataclasses.asdict``, or the API's subset of
        its fields); None for no deadline. The API and the web pages compute due dates through
        this, so that "what is due before 30/9" has one answer everywhere."""
        if not d:
            return None
        known = {f.name for f in fields(cls)} - {"parts"}
        values = {k: d.get(k) for k in known if k != "date"}
        values.update(text=d.get("text") or "", start=d.get("start") or 0, end=d.get("end") or 0,
                      kind=d.get("kind") or "unknown", date=d.get("date"))
        parts = tuple(p for p in (cls.from_dict(x) for x in d.get("parts") or []) if p is not None)
        return cls(**values, parts=parts)

    def due_dates(self) -> list[tuple[int | None, int, int]]:
        """(year or None, month, day) of every point in time this deadline names.

        A quarter or a month without a day is due on its last day: "Quý IV hằng năm" is due on
        31/12 of every year, "Quý III năm 2025" on 30/9/2025.
        """
        out: list[tuple[int | None, int, int]] = []
        if self.month is not None and self.day is not None:
            out.append((self.year, self.month, self.day))
        elif self.date is not None:
            d = date.fromisoformat(self.date)
            out.append((d.year, d.month, d.day))
        elif self.quarter is not None and 1 <= self.quarter <= 4:
            out.append((self.year, 3 * self.quarter, _last_day(self.year, 3 * self.quarter)))
        elif self.month is not None and 1 <= self.month <= 12:
            out.append((self.year, self.month, _last_day(self.year, self.month)))
        for part in self.parts:
            out.extend(p for p in part.due_dates() if p not in out)
        return out

    def first_due(self) -> tuple[tuple[int, int] | None, date | None]:
        """((month, day), full date or None) of the earliest point of the year this deadline
        names, or (None, None) when it names none ("thường xuyên", "hằng năm"): the sort key and
        the "Mốc thời hạn" of the deadline pages."""
        points = sorted(self.due_dates(), key=lambda p: (p[1], p[2], p[0] or 0))
        if not points:
            return None, None
        y, m, d = points[0]
        return (m, d), (date(y, m, d) if y is not None else None)

    def due_before(self, day: int, month: int, year: int | None = None) -> bool:
        """True when some due date of this deadline falls on or before day/month (of ``year``).

        Vietnamese order: ``due_before(30, 9)`` asks "is it due by 30/9?". Without ``year`` only
        day and month are compared, so a yearly "trước ngày 15/9 hàng năm" and a dated
        "trước ngày 31/8/2025" both answer True. With ``year``, a dated deadline is compared as a
        date and a yearly one still by day and month. Deadlines without a day ("thường xuyên",
        "hằng năm") answer False: they do not say. A quarter is due on its last day.
        """
        for y, m, d in self.due_dates():
            if year is not None and y is not None:
                if date(y, m, d) <= date(year, month, day):
                    return True
            elif (m, d) <= (month, day):
                return True
        return False


def _last_day(year: int | None, month: int) -> int:
    """The last day of ``month`` (of ``year``; without one, of a common year: 28/2)."""
    return calendar.monthrange(year or 2001, month)[1]


def _iso(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _valid_dm(d: int, m: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= 31


def _dm_deadline(text: str, mt: re.Match[str]) -> Deadline | None:
    d = int(mt.group("d") or mt.group("d2"))
    m = int(mt.group("m") or mt.group("m2"))
    y_s = mt.group("y") or mt.group("y2")
    if not _valid_dm(d, m):
        return None
    y = int(y_s) if y_s else None
    recurrence = "yearly" if mt.group("suf") else None
    kind = "date" if y is not None else "yearly_date"
    return Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), kind, _iso(y, m, d), recurrence, y, m, d)


def _opens_sentence(folded: str, at: int) -> bool:
    """"Vào ngày 15/3/2025, Sở … đã họp": a day that opens its sentence tells when something
    happened; "khởi công … vào ngày 19/12/2025" (after the work) sets the day of the work."""
    before = folded[:at].rstrip(" (")
    return not before or before.endswith((".", ":", ";", "-"))


def _atoms(text: str, folded: str, bare: bool) -> list[Deadline]:
    """Every single deadline phrase, overlapping ones included."""
    out: list[Deadline] = []
    for mt in (_DATE_BARE if bare else _DATE_PROSE).finditer(folded):
        dl = _dm_deadline(text, mt)
        if dl is not None and not (not bare and mt.group("pre") == "vao" and _opens_sentence(folded, mt.start())):
            out.append(dl)
    for mt in (_MONTH_BARE if bare else _MONTH_PROSE).finditer(folded):
        m, y = int(mt.group("m")), int(mt.group("y"))
        if 1 <= m <= 12:
            last = calendar.monthrange(y, m)[1]
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "month", _iso(y, m, last),
                                None, y, m, None))
    for mt in _QUARTER.finditer(folded):
        q = _ROMAN.get(mt.group("q")) or int(mt.group("q"))
        y = int(mt.group("y")) if mt.group("y") else None
        due = _iso(y, 3 * q, calendar.monthrange(y, 3 * q)[1]) if y else None
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "quarter", due,
                            "yearly" if mt.group("suf") else None, y, None, None, q))
    for mt in (_YEAR_BARE if bare else _YEAR_PROSE).finditer(folded):
        y = int(mt.group("y") or mt.group("y2"))
        if 1900 <= y <= 2200:
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "year", _iso(y, 12, 31),
                                None, y))
    for mt in (_PERIOD_BARE if bare else _PERIOD_PROSE).finditer(folded):
        y1 = int(mt.group("y1") or mt.group("y1b") or mt.group("y1c") if not bare else mt.group("y1"))
        y = int(mt.group("y") or mt.group("yb") or mt.group("yc") if not bare else mt.group("y"))
        if 1900 <= y1 < y <= 2200:
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "period", _iso(y, 12, 31),
                                None, y))
    for mt in _HALF_YEAR.finditer(folded):
        y, m = int(mt.group("y")), (6 if mt.group("half") == "dau" else 12)
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "month", _iso(y, m, _last_day(y, m)),
                            None, y, m))
    for mt in _MONTHLY_DAY.finditer(folded):
        d = int(mt.group("d"))
        if 1 <= d <= 31:
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None, "monthly",
                                day=d))
    for mt in _TIMES.finditer(folded):
        rec = _EVERY_MAP[mt.group("unit")]
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None, rec))
    for mt in _WEEKDAY.finditer(folded):
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None, "weekly"))
    for mt in _RELATIVE.finditer(folded):
        out.append(Deadline(text[mt.start() : mt.end()].rstrip(), mt.start(), mt.start() + len(text[mt.start() : mt.end()].rstrip()),
                            "relative"))
    for mt in _PERIODIC_N.finditer(folded):
        n_s = mt.group("n")
        n = int(n_s) if n_s.isdigit() else _N_MONTHS[n_s]
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None,
                            _MONTHS_TO_RECURRENCE.get(n, "periodic")))
    for mt in _HALF.finditer(folded):
        n_s = mt.group("n")
        n = int(n_s) if n_s.isdigit() else _N_MONTHS[n_s]
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None,
                            _MONTHS_TO_RECURRENCE.get(n, "periodic")))
    for mt in _QUARTER_LIST.finditer(folded):
        qs = [_ROMAN[q] for q in re.findall(_ROMAN_Q, re.sub(r"qu[yi]", " ", mt.group("qs")))]
        y = int(mt.group("y"))
        if qs == sorted(qs) and 1900 <= y <= 2200:
            q = qs[-1]
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "quarter",
                                _iso(y, 3 * q, _last_day(y, 3 * q)), None, y, None, None, q))
    for mt in _MONTH_SPAN.finditer(folded):
        m1, m, y = int(mt.group("m1")), int(mt.group("m")), int(mt.group("y"))
        if (bare or mt.group("pre")) and 1 <= m1 < m <= 12 and 1900 <= y <= 2200:
            out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "month",
                                _iso(y, m, _last_day(y, m)), None, y, m))
    for mt in _EVERY_RE.finditer(folded):
        if _in_day_window(folded, mt.start()):
            continue
        rec = _EVERY_MAP[mt.group("every").split()[-1]]
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None, rec))
    for mt in _PERIODIC.finditer(folded):
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "recurring", None, "periodic"))
    for mt in _CONTINUOUS.finditer(folded):
        out.append(Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "continuous", None, "continuous"))
    return out


# "(đêm và sáng sớm, trước 6h sáng hàng ngày)": an hour of the day, then "hằng ngày", in brackets
_CLOCK_BEFORE = re.compile(r"(?<![0-9a-z])\d{1,2}\s*(?:h|gio)(?:\s*\d{2})?(?:\s+(?:sang|trua|chieu|toi|dem))?\s+$")


def _in_day_window(folded: str, at: int) -> bool:
    """"hằng ngày" right after an hour of the day inside brackets says at what hour of each day
    the work is done (a window that explains the sentence), not how often the task recurs."""
    if not _CLOCK_BEFORE.search(folded[max(0, at - 30) : at]):
        return False
    before = folded[:at]
    return before.rfind("(") > before.rfind(")")


def _attach_paren(text: str, folded: str, dl: Deadline) -> Deadline:
    """"hằng năm (trước ngày 10/12)": a recurrence whose day is given in brackets after it."""
    if dl.kind != "recurring":
        return dl
    mt = _PAREN.match(folded, dl.end)
    if mt is None:
        return dl
    if dl.recurrence == "weekly" and _WEEKDAYS.fullmatch(mt.group("inner")):
        # "định kỳ hàng tuần (Thứ 7, Chủ nhật)": the days of the week it falls on belong to it
        return replace(dl, text=text[dl.start : mt.end()], end=mt.end())
    inner_start = mt.start("inner")
    inner = [a for a in _atoms(text[: mt.end("inner")], folded[: mt.end("inner")], True)
             if a.start >= inner_start and a.kind in ("date", "yearly_date")]
    if not inner:
        return dl
    part = max(inner, key=lambda a: a.end - a.start)
    kind = "yearly_date" if dl.recurrence == "yearly" and part.year is None else dl.kind
    return replace(dl, text=text[dl.start : mt.end()], end=mt.end(), kind=kind, year=part.year,
                   month=part.month, day=part.day, date=part.date)


def _select(atoms: list[Deadline]) -> list[Deadline]:
    """Leftmost, then longest; drop what overlaps an already chosen phrase."""
    chosen: list[Deadline] = []
    for dl in sorted(atoms, key=lambda a: (a.start, -(a.end - a.start))):
        if chosen and dl.start < chosen[-1].end:
            continue
        chosen.append(dl)
    return chosen


_STAGED_KINDS = ("date", "month", "quarter", "year", "period")


def _staged_next(folded: str, end: int, items: list[Deadline]) -> tuple[Deadline, int] | None:
    """After a dated phrase: "(sơ kết); <next dated phrase> (tổng kết)" -- two stages of one task,
    each named in brackets. Returns the next phrase and where its bracket ends, else None."""
    own = _PAREN.match(folded, end)
    if own is None or re.search(r"\d", own.group("inner")):
        return None
    sep = _STAGE_SEP.match(folded, own.end())
    if sep is None:
        return None
    nxt = next((x for x in items if x.start == sep.end() and x.kind in _STAGED_KINDS), None)
    if nxt is None:
        return None
    theirs = _PAREN.match(folded, nxt.end)
    if theirs is None or re.search(r"\d", theirs.group("inner")):
        return None
    return nxt, theirs.end()


def _compound(text: str, folded: str, items: list[Deadline]) -> list[Deadline]:
    """Join "A và B" ("Quý IV năm 2027 và năm 2030") into one deadline with two parts.

    B may be a phrase that only counts as a deadline because it follows A ("năm 2030").
    """
    out: list[Deadline] = []
    i = 0
    while i < len(items):
        first = items[i]
        group = [first]
        end = first.end
        while True:
            staged = _staged_next(folded, end, items) if group[-1].kind in _STAGED_KINDS else None
            if staged is not None:  # "Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)"
                nxt, end = staged
                group.append(replace(nxt, end=end))
                continue
            mt = _AND.match(folded, end)
            if mt is None:
                break
            nxt = next((x for x in items if x.start == mt.end()), None)
            if nxt is None:
                tail = [_attach_paren(text, folded, a) for a in _atoms(text, folded, True) if a.start == mt.end()]
                tail = [a for a in tail if a.kind in ("year", "quarter", "date", "yearly_date", "month")]
                nxt = max(tail, key=lambda a: a.end) if tail else None
            if nxt is None:
                break
            group.append(nxt)
            end = nxt.end
        if len(group) == 1:
            out.append(first)
        else:
            dated = [g.date for g in group if g.date]
            out.append(replace(first, text=text[first.start : end], end=end, parts=tuple(group),
                               date=min(dated) if dated else None))
        i += 1
        while i < len(items) and items[i].start < end:
            i += 1
    return out


_DATA = Path(__file__).resolve().parent / "data" / "deadlines.toml"


@lru_cache(maxsize=1)
def _context_words() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8")) if _DATA.is_file() else {}
    return {k: tuple(sorted((" ".join(fold(nfc(w)).split()) for w in v), key=len, reverse=True))
            for k, v in data.items() if isinstance(v, list)}


_OPENERS = re.compile(r"[(\[“\"‘]")
# "giai đoạn năm 2018-2022", "thời kỳ 2021-2030": words that name a span before its years
_SPAN_WORDS = re.compile(r"(?:\s(?:giai doan|thoi ky|trong))+$")


def _assigned_in(before: str, words: dict[str, tuple[str, ...]]) -> bool:
    """"các nhiệm vụ được giao trong năm 2025", "dự toán được giao giai đoạn năm 2018-2022": a time
    right after "giao" says when something was assigned (a participle), not when the task is due."""
    bare = _SPAN_WORDS.sub("", " " + before).strip()
    return any(bare == w or bare.endswith(" " + w) for w in words.get("dated_not_after", ()))


def _in_context(text: str, folded: str, dl: Deadline) -> bool:
    """Whether the words around a phrase of prose make it no deadline ([data/deadlines.toml]):
    "chi thường xuyên", "tầm nhìn đến năm 2050", a year in the title of a named plan."""
    words = _context_words()
    # an opening bracket or quote does not part a word from the phrase it stands before:
    # "(chi thường xuyên và chi đầu tư)" is "chi thường xuyên" as much as without the bracket
    before = " ".join(_OPENERS.sub(" ", folded[max(0, dl.start - 200) : dl.start]).split())
    if dl.kind in ("year", "period", "month", "quarter") and _assigned_in(before, words):
        return True
    if dl.kind == "continuous":
        return any(before == w or before.endswith(" " + w) for w in words.get("continuous_not_after", ()))
    if dl.kind == "recurring" and dl.recurrence == "periodic" and folded[dl.start : dl.end] == "dinh ky":
        # "kiểm tra định kỳ, đột xuất": a kind of inspection, not a recurrence
        kind_of = any(before == w or before.endswith(" " + w) for w in words.get("periodic_kind_after", ()))
        if kind_of and _SURPRISE_AFTER.match(folded, dl.end):
            return True
    if dl.kind == "recurring" and dl.recurrence == "yearly" and dl.day is None:
        bare = before.rstrip(" ,")
        if any(bare == w or bare.endswith(" " + w) for w in words.get("yearly_not_after", ())):
            return True
    if dl.kind not in ("year", "period"):
        return False
    if any(before == w or before.endswith(" " + w) for w in words.get("horizon_before", ())):
        return True
    if folded.startswith(("truoc", "cham nhat"), dl.start):
        return False  # "trình Đề án … trước năm 2027": no title names its year with "trước"
    lo = max(0, dl.start - 200)
    cut = [m.end() for m in re.finditer(r"[;:()]|\.(?=\s)", folded[lo : dl.start])]
    lo = lo + cut[-1] if cut else lo
    stretch = folded[lo : dl.start]
    starts = []
    for w in words.get("title_words", ()):
        for m in re.finditer(_B + re.escape(w).replace(r"\ ", r"\s+") + _E, stretch):
            horizon = w in words.get("horizon_before", ())
            if horizon or text[lo + m.start()].isupper():  # a named document: "Chiến lược …", "Đề án …"
                starts.append(m.start())
    if not starts:
        return False
    after_title = stretch[max(starts):]
    if len(after_title.split()) > 30:  # the title word is too far back to name what this year dates
        return False
    return not any(re.search(_B + re.escape(w).replace(r"\ ", r"\s+") + _E, after_title)
                   for w in words.get("title_breakers", ()))


def find_deadlines(text: str, bare: bool = False) -> list[Deadline]:
    """Every deadline or recurrence stated in ``text``, in order.

    ``bare``: the text is a deadline cell of a table, so dates and years count without
    "trước"/"đến". Offsets are into ``nfc(text)``.
    """
    text = nfc(text)
    folded = fold(text)
    atoms = [_attach_paren(text, folded, a) for a in _atoms(text, folded, bare)
             if bare or not _in_context(text, folded, a)]
    found = _compound(text, folded, _schedules(text, folded, _day_of_recurrence(
        text, folded, _recurrence_runs(text, folded, _select(atoms)))))
    return [_with_on_request(text, folded, _with_range_start(text, folded, d)) for d in found]


# "định kỳ hoặc đột xuất (theo yêu cầu)", "Hằng năm hoặc đột xuất", "… tổng kết năm (trước ngày 20/11 hàng
# năm) hoặc khi có yêu cầu", "định kỳ hằng năm và khi có yêu cầu", "(hoặc đột xuất khi có yêu cầu)": the
# reports asked for besides a schedule are part of it as written (its due day stays the schedule's)
_ON_REQUEST = re.compile(
    r"\s*(?P<open>\(\s*)?(?:hoac|va)\s+(?:khi\s+co\s+yeu\s+cau(?:\s+(?:bao\s+cao\s+)?dot\s+xuat)?"
    r"|dot\s+xuat(?:\s+(?:theo|khi\s+co)\s+yeu\s+cau)?)(?(open)\s*\))" + _E)


def _with_on_request(text: str, folded: str, d: Deadline) -> Deadline:
    """A recurring deadline with the on-request reports written right after it (:data:`_ON_REQUEST`)."""
    if d.kind not in ("recurring", "yearly_date", "continuous"):
        return d
    m = _ON_REQUEST.match(folded, d.end)
    if m is None:
        return d
    return replace(d, text=text[d.start : m.end()], end=m.end())


# "(từ) ngày 15 đến ngày 31 tháng 12 năm 2025", "từ ngày 01/01/2026 đến ngày 31/3/2026": the start of
# a range written right before its end "đến ngày …" is part of the phrase as written (the due date
# stays the end)
_RANGE_START = re.compile(r"(?:tu\s+)?ngay\s+\d{1,2}(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)?\s+$")


def _with_range_start(text: str, folded: str, d: Deadline) -> Deadline:
    if d.kind not in ("date", "yearly_date") or not folded.startswith("den ngay", d.start):
        return d
    m = _RANGE_START.search(folded, max(0, d.start - 30), d.start)
    if m is None:
        return d
    return replace(d, text=text[m.start() : d.end], start=m.start())


_RUN_GAP = re.compile(r"\s*(?:,\s*|\s(?:va|hoac)\s+|\s+)")


def _recurrence_runs(text: str, folded: str, items: list[Deadline]) -> list[Deadline]:
    """"Định kỳ 6 tháng, hằng năm", "định kỳ hằng quý và hằng năm", "Thường xuyên, hằng năm",
    "định kỳ hàng năm": recurrences written side by side (a comma, "và", "hoặc" or a space between
    them) are one deadline as written, each kept in ``parts``; its meaning is the first one that says
    how often ("định kỳ" alone does not), a recurrence before "thường xuyên" (the most specific)."""
    out: list[Deadline] = []
    k = 0
    while k < len(items):
        group = [items[k]]
        while (k + len(group) < len(items) and group[-1].kind in ("recurring", "continuous")
               and items[k + len(group)].kind in ("recurring", "continuous")
               and items[k + len(group)].recurrence != "periodic"  # "hằng năm và định kỳ báo cáo": a new phrase
               and _RUN_GAP.fullmatch(folded[group[-1].end : items[k + len(group)].start])):
            group.append(items[k + len(group)])
        k += len(group)
        if len(group) == 1:
            out.append(group[0])
            continue
        how = next((d for d in group if d.kind == "recurring" and d.recurrence not in (None, "periodic")),
                   next((d for d in group if d.recurrence not in (None, "periodic")), group[0]))
        out.append(replace(how, text=text[group[0].start : group[-1].end], start=group[0].start,
                           end=group[-1].end, parts=tuple(group)))
    return out


def _same_stretch(gap: str) -> bool:
    """The words between a recurrence and a day: a comma, or a few words of the same sentence
    ("hằng năm báo cáo kết quả về Sở Tài chính chậm nhất ngày 17 tháng 12")."""
    if re.match(r"\s*,?\s*(?:va|hoac)\s", gap):
        return False  # "kế hoạch hằng năm và định kỳ báo cáo …": the recurrence ends its own phrase
    return not re.search(r"[.;:()]", gap) and len(gap.split()) <= 16


def _day_of_recurrence(text: str, folded: str, items: list[Deadline]) -> list[Deadline]:
    """"định kỳ hằng năm, chậm nhất ngày 17 tháng 12", "hằng năm báo cáo … trước ngày 15/11": a
    recurrence followed in the same sentence by a day with no year is one deadline, that day of
    every year (or month)."""
    out: list[Deadline] = []
    k = 0
    while k < len(items):
        dl = items[k]
        nxt = items[k + 1] if k + 1 < len(items) else None
        if dl.kind == "recurring" and dl.recurrence == "periodic" and dl.day is None and nxt is not None \
                and nxt.kind in ("date", "yearly_date", "recurring") and nxt.day is not None and nxt.year is None \
                and re.fullmatch(r"\s+", folded[dl.end : nxt.start]):
            # "định kỳ trước ngày 01 tháng 12 hằng năm", "Định kỳ hằng năm (trước ngày 30 tháng 11)": the
            # "định kỳ" right before a due day of every year is part of it as written; the day is its meaning
            out.append(replace(nxt, text=text[dl.start : nxt.end], start=dl.start))
            k += 2
            continue
        if dl.kind == "recurring" and dl.day is None and dl.recurrence in ("yearly", "monthly", "periodic") \
                and nxt is not None and nxt.kind in ("date", "yearly_date") and nxt.year is None \
                and (_same_stretch(folded[dl.end : nxt.start]) if dl.recurrence != "periodic"
                     else re.fullmatch(r"\s*,\s*", folded[dl.end : nxt.start])):
            kind = "yearly_date" if dl.recurrence in ("yearly", "periodic") else "recurring"
            rec = "yearly" if dl.recurrence == "periodic" else dl.recurrence
            out.append(replace(dl, text=text[dl.start : nxt.end], end=nxt.end, kind=kind, recurrence=rec,
                               day=nxt.day, month=nxt.month, date=nxt.date))
            k += 2
            continue
        out.append(dl)
        k += 1
    return out


def _day_every_period(d: Deadline) -> bool:
    """A day of every year or month with no year of its own ("trước ngày 16/6", "trước ngày 20/11
    hằng năm", "trước ngày 16 hằng tháng"): one due day of a reporting schedule."""
    return d.day is not None and d.year is None and d.kind in ("yearly_date", "recurring")


def _schedule_gap(gap: str) -> bool:
    """Between two due days of one schedule: the same sentence (no ";", ":" or full stop), brackets
    and commas allowed ("…), 6 tháng (…"), a few words at most; not the two ends of a range ("từ ngày
    15/11 đến ngày 15/12" is one span, due at its end)."""
    return not re.search(r"[;:]|\.(?=\s|$)", gap) and len(gap.split()) <= 16 \
        and not re.fullmatch(r"\s*(?:-|–)?\s*", gap)


def _schedules(text: str, folded: str, items: list[Deadline]) -> list[Deadline]:
    """"Định kỳ hàng tháng (trước ngày 16 hàng tháng), 6 tháng (trước ngày 16/6), tổng kết năm
    (trước ngày 20/11 hàng năm)", "trước ngày 10 tháng 01 hàng năm báo cáo … và trước ngày 10 tháng 6
    hàng năm": a sentence that gives a report schedule, a due day for each period, states one
    deadline made of them all (each kept in ``parts``), not only its most specific day. Only days
    without a year join: two dated times ("hoàn thành trước ngày 15/12/2025, báo cáo trước ngày
    20/12/2025") stay two deadlines."""
    out: list[Deadline] = []
    k = 0
    while k < len(items):
        j = k
        while _day_every_period(items[k]) and j + 1 < len(items) and _day_every_period(items[j + 1]) \
                and not folded.startswith(("den ", "toi "), items[j + 1].start) \
                and _schedule_gap(folded[items[j].end : items[j + 1].start]):
            j += 1
        if j == k:
            out.append(items[k])
            k += 1
            continue
        days = items[k : j + 1]
        start, end = days[0].start, days[-1].end
        parts = list(days)
        before = out[-1] if out else None
        if before is not None and before.kind == "recurring" and before.day is None \
                and re.fullmatch(r"\s*\(?\s*", folded[before.end : start]):
            out.pop()  # "Định kỳ hàng tháng (trước ngày 16 hàng tháng), …": the period named before its day
            start, parts = before.start, [before] + parts
        closing = re.match(r"\s*\)", folded[end:])
        if closing and folded.count("(", start, end) > folded.count(")", start, end):
            end += closing.end()
        # its meaning is its first day, as for "A và B" (:func:`_compound`); every day stays in parts
        out.append(replace(days[0], text=text[start:end], start=start, end=end, parts=tuple(parts)))
        k = j + 1
    return out


_TITLE_YEAR = re.compile(_B + r"(?:(?:den het|den|trong)\s+)?nam\s+(?P<y>\d{4})\s*$")


def time_statement(text: str) -> Deadline | None:
    """The time of a sentence that only states a time ("Thời gian hoàn thành trước ngày 31 tháng 12
    năm 2025.", "Đảm bảo hoàn thành trong quý I/2026."), or None when it says anything else.

    Why: in hard-wrapped text such a sentence often stands on a line of its own after the work it
    times; it is that work's deadline, not a task. Its words beside the time phrases must all be
    [time_statement_words] of data/deadlines.toml."""
    text = nfc(text).strip()
    found = find_deadlines(text)
    main = main_deadline(found)
    if main is None:
        return None
    folded = fold(text)
    for d in sorted(found, key=lambda d: d.start, reverse=True):
        folded = folded[: d.start] + " " + folded[d.end :]
    rest = " " + " ".join(re.findall(r"[a-z]+", folded)) + " "
    for w in _context_words().get("time_statement_words", ()):
        rest = re.sub(r"(?<= )" + re.escape(w) + r"(?= )", " ", rest)
    return main if not rest.strip() else None


def heading_deadline(text: str) -> Deadline | None:
    """The time a heading or an appendix title sets for everything under it: "PHÂN CÔNG THỰC
    HIỆN CÁC CHỈ TIÊU … ĐẾN NĂM 2030", "DANH MỤC NHIỆM VỤ NĂM 2026" (a year closing the title).

    Only a year counts: a period ("GIAI ĐOẠN 2026 - 2030") is the plan's span, not a due date, and
    a year in the name of a document the title names ("… THỰC HIỆN ĐỀ ÁN … ĐẾN NĂM 2030") dates
    that document (the same context rules as prose, [data/deadlines.toml])."""
    text = nfc(text)
    years = [d for d in find_deadlines(text) if d.kind == "year"]
    if years:
        return years[-1]
    folded = fold(text)
    body = folded.rstrip(" .:;")
    mt = _TITLE_YEAR.search(body)
    if mt is None:
        return None
    y = int(mt.group("y"))
    dl = Deadline(text[mt.start() : mt.end()], mt.start(), mt.end(), "year", _iso(y, 12, 31), None, y)
    if not 1900 <= y <= 2200 or re.search(r"thang\s+\d{1,2}\s*,?\s*$", folded[: mt.start()]) \
            or _in_context(text, folded, dl):
        return None  # "ngày 24 tháng 11 năm 2025" dates something; a named plan's year is its own
    return dl


def parse_deadline(text: str) -> Deadline | None:
    """The deadline of a table cell or a role line ("Quý IV năm 2025", "Thường xuyên", "Trước ngày
    15/12 hàng năm", "Thường xuyên, hằng năm").

    The whole cell is the deadline as written (``text``, a final "." dropped); its meaning is that
    of the most specific phrase in it, the others kept in ``parts``. When the cell says something
    these rules do not read, its text is kept with kind "unknown"; an empty cell gives None.
    """
    text = nfc(text).strip()
    if not text:
        return None
    found = find_deadlines(text, bare=True)
    shown = text.rstrip(" .;,")  # the cell is the deadline: "Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)"
    if not found:
        return Deadline(shown, 0, len(shown), "unknown")
    main = main_deadline(found)
    assert main is not None
    if len(found) > 1:
        main = replace(main, parts=tuple(found))
    return replace(main, text=shown, start=0, end=len(shown))


def ended_before(dl: Deadline, year: int) -> bool:
    """A year or a span of years that ended before ``year`` (the year the document was issued):
    "người tham gia kháng chiến trong giai đoạn 1974 - 1975", "chi phí vượt tổng mức thanh toán
    giai đoạn năm 2019-2022" in a document of 2025 say what the work is about, never when it is due."""
    if dl.kind not in ("year", "period") or dl.year is None:
        return False
    return dl.year < year and all(ended_before(p, year) for p in dl.parts)


def main_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The deadline a task is held to: the most specific one stated, the first among equals.

    Why: "phấn đấu đến năm 2030 ...; hoàn thành ... trước ngày 30/11/2025" is due 30/11/2025,
    and "sinh hoạt định kỳ ... trước ngày 15 tháng 12 hàng năm" is due 15/12 each year.
    """
    if not deadlines:
        return None
    return min(deadlines, key=lambda d: (d.rank, d.start))


def parse_day_month(value: str) -> tuple[int, int]:
    """"30/9" -> (30, 9): the way officials write a day of the year."""
    d, m = (int(x) for x in value.strip().split("/")[:2])
    if not _valid_dm(d, m):
        raise ValueError(f"not a day/month: {value!r}")
    return d, m


def due_before(deadlines: list[Deadline], day_month: str, year: int | None = None) -> list[Deadline]:
    """The deadlines due on or before ``day_month`` ("30/9"), e.g. over every task of a plan."""
    d, m = parse_day_month(day_month)
    return [dl for dl in deadlines if dl.due_before(d, m, year)]
