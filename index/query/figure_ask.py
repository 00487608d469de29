"""What a figure question measures, and whether a clause states a figure of that kind.

Why: "Sơn La đặt mục tiêu xuất khẩu bao nhiêu tấn sầu riêng?" shares its content words with the
export plan's clauses, and those clauses hold figures (years, percentages) — so word coverage
and "the clause has some figure" both say "answered". What the question asks is a number of
*tonnes*; a clause with no number followed by "tấn" does not answer it. The same holds for
"bao nhiêu tỷ đồng", "mấy lần một năm", "bao nhiêu tiền", "lãi suất … bao nhiêu" (a rate: %).

Pure functions on text; the cue words, units and measures are in ``index/data/figure_units.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.vntext import fold, has_diacritics, nfc

DATA = Path(__file__).resolve().parent.parent / "data" / "figure_units.toml"

# A number as plans write it: digits (1.000, 2,5, 01) or a number word.
_NUMBER = r"(?:\d+(?:[.,]\d+)*|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|tram|nghin|ngan|trieu)"


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}


@dataclass(frozen=True)
class AskedFigure:
    """``unit``: what the figure counts as the question says it ("tan", "ty dong"), "" when it
    does not say; ``forms``: folded ways a clause writes that unit after the number."""

    unit: str
    forms: tuple[str, ...]


def _cue_positions(question: str) -> list[int]:
    """Where in the folded question a figure cue ends. "mấy" is told from "máy" (nhà máy) by its
    marks; typed without any marks, "may" counts unless it follows "nhà"."""
    text = nfc(question or "").lower()
    folded = fold(text)
    plain = not has_diacritics(text)
    out = []
    for m in re.finditer(r"\bbao nhieu\b|\bmay\b", folded):
        if m.group(0) == "may":
            typed = text[m.start():m.end()]
            if typed != "mấy" and not (plain and not folded[: m.start()].rstrip().endswith("nha")):
                continue
        out.append(m.end())
    return out


def asked_figure(question: str) -> AskedFigure | None:
    """The unit a figure question asks in, from the words right after its cue ("bao nhiêu tấn"),
    else from the quantity it measures ("lãi suất … bao nhiêu" -> %); None when it asks none
    or names no unit (then any figure may answer it)."""
    ends = _cue_positions(question)
    if not ends:
        return None
    folded = " ".join(re.findall(r"[\w%]+", fold(question or "")))
    padded = fold(question or "")
    units: dict[str, list[str]] = _data().get("units", {})
    skip = set(_data().get("not_units", {}).get("words", ()))
    dates = set(_data().get("not_units", {}).get("date_words", ()))
    for end in ends:
        words = re.findall(r"\w+", padded[:end])
        before = words[-3:-2] if words[-1:] == ["nhieu"] else words[-2:-1]
        if before and before[0] in dates:  # "trước ngày mấy": which day, not how many
            continue
        after = re.findall(r"[\w%]+", padded[end:])[:3]
        if not after:
            continue
        if len(after) > 1 and re.fullmatch(r"\d{4}", after[1]):  # "bao nhiêu năm 2025": a year, not a unit
            continue
        for n in (3, 2, 1):
            key = " ".join(after[:n])
            if len(after) >= n and key in units:
                return AskedFigure(key, tuple(units[key]))
        if after[0] not in skip and not after[0].isdigit():
            return AskedFigure(after[0], (after[0],))
    measures: dict[str, list[str]] = _data().get("measures", {})
    for name in sorted(measures, key=len, reverse=True):
        if f" {name} " in f" {folded} ":
            return AskedFigure(name, tuple(measures[name]))
    return None


def states_figure(clause_text: str, asked: AskedFigure) -> bool:
    """The clause writes a number followed (within two words) by one of the asked unit's forms."""
    body = " ".join(re.findall(r"[\w%]+", fold(clause_text or "").replace("%", " % ")))
    for form in asked.forms:
        unit = re.escape(form).replace(r"\ ", " ")
        if re.search(rf"\b{_NUMBER}(?: \w+){{0,2}}? {unit}(?!\w)", body):
            return True
        if form == "%" and re.search(r"\d %", body):
            return True
    return False


def answers_figure(clause_text: str, asked: AskedFigure) -> bool:
    """The clause states the asked figure: a number in the asked unit, and, for a measure that
    must be named ("lãi suất", "phụ cấp"), the measure itself next to a number."""
    if asked.unit in _data().get("measures_named", {}).get("names", ()):
        body = " ".join(re.findall(r"[\w%]+", fold(clause_text or "").replace("%", " % ")))
        name = re.escape(asked.unit).replace(r"\ ", " ")
        return bool(re.search(rf"\b{name}\b(?: [\w%]+){{0,8}}? \d", body))
    return states_figure(clause_text, asked)


# The date of a document cited in a clause ("Kế hoạch số 77/KH-UBND ngày 17 tháng 9 năm 2025"):
# when a document was issued, not a day by which something must be done.
_CITED_DATE = re.compile(r"\d+[/-][\w/-]*[a-z][\w/-]*\s+ngay\s+\d{1,2}(?:\s+thang\s+\d{1,2}\s+nam\s+\d{4}|\s*/\s*\d{1,2}\s*/\s*\d{4})")
_DAY = re.compile(r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}(?![\d])|\bngay\s+\d{1,2}\b|\b\d+\s+ngay\b"
                  r"|\bthu\s+(?:hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b|\bhang ngay\b|\bhang tuan\b")


def asks_day(question: str) -> bool:
    """The question asks for a day ("trước ngày nào", "ngày mấy hằng tháng", "thứ mấy")."""
    words = " " + " ".join(re.findall(r"\w+", fold(question or ""))) + " "
    return any(f" {c} " in words for c in _data().get("day", {}).get("cues", ()))


def states_day(text: str) -> bool:
    """``text`` states a day (a date, a day of the month, a weekday, a number of days), not
    counting the dates of the documents it cites."""
    return bool(_DAY.search(_CITED_DATE.sub(" ", fold(text or ""))))
