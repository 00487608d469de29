"""Mentions of other documents inside a clause: "Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024".

Why the number/symbol is the anchor: the type word is often missing or far away ("... tại
39-CT/TW"), but a symbol such as 39-CT/TW, 1560/QĐ-TTg or 30/2020/NĐ-CP is unambiguous and is
what a manifest can resolve. So every symbol found is a reference; the type word just before it
(or before "số") names its type, and a date right after it ("ngày 30 tháng 10 năm 2024",
"ngày 30/10/2024", even the typo "ngày 30 ngày 10 năm 2024") dates it.

The document's own number is reported like any other; the caller filters it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date as _date
from functools import lru_cache

from tracuu.ingest.model import Reference
from tracuu.ingest.vntext import fold, nfc

__all__ = ["find_references", "resolve", "number_key", "normalize_number", "find_date", "iso_date"]

_PART = r"[A-ZĐÐ][A-Za-zĐđÐ0-9&]*"
SYMBOL_RE = re.compile(rf"(?<![\w/.-])\d{{1,5}}(?:/\d{{4}})?(?:[/-]{_PART})+(?![\w/-])")

# "ngày 30 tháng 10 năm 2024", "ngày 30 ngày 10 năm 2024" (typo), "ngày 30/10/2024", "ngày 30-10-2024".
DATE_RE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*(?:"
    r"(?:tháng|ngày)\s+(?P<m>\d{1,2})\s*,?\s*năm\s+(?P<y>\d{4})"
    r"|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_DATE_AFTER_RE = re.compile(r"\s*,?\s*(?:ban hành\s+)?(?=ngày\s)", re.IGNORECASE)


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    """"2024-10-30", or None for an impossible date (a typo must not become a wrong date)."""
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_date(text: str, pos: int = 0, *, anchored: bool = False) -> tuple[str | None, re.Match[str]] | None:
    """The first Vietnamese date at/after ``pos``: (ISO or None if impossible, the match)."""
    m = DATE_RE.match(text, pos) if anchored else DATE_RE.search(text, pos)
    if not m:
        return None
    if m.group("m") is not None:
        return iso_date(m.group("d"), m.group("m"), m.group("y")), m
    return iso_date(m.group("d"), m.group("m2"), m.group("y2")), m


def normalize_number(number: str) -> str:
    """NFC, no spaces, Icelandic Ð (a PDF look-alike) read as Đ. Letters stay as written."""
    return nfc(number).replace("Ð", "Đ").replace(" ", "")


def number_key(number: str) -> str:
    """Matching key for a number/symbol: "1560/QĐ-TTg" -> "1560/qd-ttg"."""
    return fold(normalize_number(number))


@lru_cache(maxsize=1)
def _type_patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None, dict[str, str]]:
    from tracuu.ingest.header import doc_types

    types = doc_types()
    canon = {fold(t.name): t.name for t in types}
    names = sorted((t.name for t in types), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    direct = re.compile(rf"(?:^|(?<=[\s(“\"']))(?P<type>{alt})\s+(?:số\s*:?\s*)?$", re.IGNORECASE)
    gap_names = sorted((t.name for t in types if t.name_gap), key=len, reverse=True)
    gap = None
    if gap_names:
        galt = "|".join(re.escape(n) for n in gap_names)
        gap = re.compile(
            rf"(?:^|(?<=[\s(“\"']))(?P<type>{galt})\s+[^\d,;:()]{{1,80}}?\s+số\s*:?\s*$", re.IGNORECASE
        )
    return direct, gap, canon


def _type_before(text: str, start: int) -> tuple[str, int]:
    """The document type written just before a symbol, and where it starts ("", start if none)."""
    direct, gap, canon = _type_patterns()
    window_start = max(0, start - 140)
    window = text[window_start:start]
    for rx in (direct, gap):
        if rx is None:
            continue
        m = rx.search(window)
        if m:
            written = m.group("type")
            return canon.get(fold(written), written), window_start + m.start("type")
    return "", start


def find_references(text: str) -> list[Reference]:
    """Every document number/symbol in ``text``, with its type and date when written beside it."""
    refs: list[Reference] = []
    for m in SYMBOL_RE.finditer(text):
        number = normalize_number(m.group(0))
        if not any(ch.isalpha() for ch in number):
            continue
        doc_type, start = _type_before(text, m.start())
        end = m.end()
        iso: str | None = None
        after = _DATE_AFTER_RE.match(text, end)
        if after:
            found = find_date(text, after.end(), anchored=True)
            if found and found[0]:
                iso, dm = found
                end = dm.end()
        refs.append(
            Reference(text=text[start:end], doc_type=doc_type, number=number, date=iso, start=start, end=end)
        )
    return refs


def resolve(refs: list[Reference], index: dict[str, str]) -> list[Reference]:
    """Fill ``doc_id`` from ``index`` (number key -> doc_id); keys are normalised here too."""
    keyed = {number_key(k): v for k, v in index.items()}
    return [replace(r, doc_id=keyed.get(number_key(r.number), r.doc_id)) for r in refs]
