"""A question asking for a count is answered only by a clause that states one in the asked unit.

Why: the unit check of index/query/figure_ask.py reads folded text word by word, so two things
pass it that state no figure: a number word that is also a common word ("hằng năm cử cán bộ":
folded "nam" is "five" as well as "year"; "sau" is "six" and "after") and a number and a unit
from two sentences ("Hệ thống 751. Đồng thời" reads "751 đồng"). On the tuning questions
(bench/abstain_signals.py) both let unanswerable figure questions through ("bao nhiêu cán bộ …
được cử đi bồi dưỡng", "mức xử phạt … là bao nhiêu") and refused no answerable one. Here a
count is digits, or a number word written with its marks ("một lần/năm"), followed by the unit
within the same sentence, with only multipliers ("nghìn", "tỷ") between.

The other check: a count the question itself states with a unit ("sơ kết 5 năm", "02 lộ
điện") that the clause, read with its headings and document header, does not state is not what
the clause is about (``missing_figures`` of index/abstain.py checks only numbers of two or more
digits and dates, so "5 năm" was never looked for).

Both are used by ``Ask._answers`` (api/ask_service.py), beside the coverage and dense thresholds.
Language data (number words, multipliers, cues) in ``index/data/abstain_figures.toml``; the
units are those of ``index/data/figure_units.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from tracuu.index.abstain import _DOC_NUMBER
from tracuu.index.query.figure_ask import AskedFigure, asked_figure
from tracuu.ingest.vntext import fold, nfc

DATA = Path(__file__).resolve().parent / "data" / "abstain_figures.toml"
UNITS = Path(__file__).resolve().parent / "data" / "figure_units.toml"


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(UNITS.read_text(encoding="utf-8")) if UNITS.exists() else {}
    return {k: tuple(v) for k, v in data.get("units", {}).items()}


@lru_cache(maxsize=1)
def _number_words() -> re.Pattern[str] | None:
    words = _data().get("numbers", {}).get("words", ())
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None


@lru_cache(maxsize=1)
def _multipliers() -> str:
    words = _data().get("numbers", {}).get("multipliers", ())
    return r"(?:(?:" + "|".join(map(re.escape, words)) + r")\s+)*" if words else ""


def asks_count(question: str) -> bool:
    """The question asks "bao nhiêu …", or "mấy …" typed with its marks."""
    cues = _data().get("cues", {})
    folded = " " + " ".join(re.findall(r"\w+", fold(question or ""))) + " "
    marked = " " + " ".join(re.findall(r"\w+", nfc(question or "").lower())) + " "
    return any(f" {c} " in folded for c in cues.get("folded", ())) or any(f" {c} " in marked for c in cues.get("marked", ()))


def count_text(text: str) -> str:
    """``text`` as the count check reads it: lowercase, folded, a marked number word written "1",
    thousands separators dropped, every other punctuation mark a boundary "|"."""
    t = nfc(text or "").lower()
    words = _number_words()
    if words is not None:
        t = words.sub(" 1 ", t)
    t = re.sub(r"(?<=\d)[.,](?=\d)", "", t)
    t = fold(t).replace("%", " % ")
    t = re.sub(r"[^\w%\s]+", " | ", t)
    return " ".join(t.split())


def _unit(form: str) -> str:
    return re.escape(form).replace(r"\ ", " ")


def states_count(clause_text: str, asked: AskedFigure) -> bool:
    """The clause writes a number followed, in the same sentence, by one of the asked unit's forms
    (only multipliers between: "12.000 tấn", "500 nghìn tỷ đồng", "một lần/năm", "80 %")."""
    body = count_text(clause_text)
    mult = _multipliers()
    return any(re.search(rf"\d\s*{mult}{_unit(form)}(?!\w)", body) for form in asked.forms)


def unstated_count(question: str, clause_text: str) -> bool:
    """The question asks for a count in a unit (:func:`asks_count`, ``asked_figure``) and the
    clause states none (:func:`states_count`)."""
    if not asks_count(question):
        return False
    asked = asked_figure(question)
    return asked is not None and not states_count(clause_text, asked)


def question_counts(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(number, unit forms) of each count the question states with a unit of figure_units.toml
    ("sơ kết 5 năm" -> ("5", ("nam",))); document numbers ("Chỉ thị 39", "Kế hoạch số 214") are
    not counts."""
    folded = _DOC_NUMBER.sub(" ", fold(re.sub(r"(?i)\bsố\s+\d+\S*", " ", question or "")))
    folded = " ".join(re.findall(r"[\w%]+", folded))
    units = _units()
    out = []
    for m in re.finditer(r"(?<![\w/.,-])(\d+)\s+(\w+(?: \w+)?)", folded):
        after = m.group(2).split()
        for n in (2, 1):
            key = " ".join(after[:n])
            if len(after) >= n and key in units:
                out.append((m.group(1).lstrip("0") or "0", units[key]))
                break
    return out


def missing_counts(question: str, seen: str) -> list[str]:
    """The counts the question states (:func:`question_counts`) that ``seen`` (the clause with its
    headings and document header) does not state ("5 năm" against "định kỳ sơ kết, tổng kết")."""
    counts = question_counts(question)
    if not counts:
        return []
    body = " ".join(re.findall(r"[\w%]+", fold(seen or "")))
    missing = []
    for number, forms in counts:
        if not any(re.search(rf"(?<![\d.,/])0*{number}\s+{_unit(form)}\b", body) for form in forms):
            missing.append(f"{number} {forms[0]}")
    return missing


def figure_not_stated(question: str, clause_text: str, seen: str) -> bool:
    """Either check fails: the clause states no count in the asked unit, or misses a count the
    question states."""
    return bool(question) and (unstated_count(question, clause_text) or bool(missing_counts(question, seen)))
