"""Query clean-up: one tidy NFC string out of whatever was typed or pasted.

Why: queries arrive pasted from Word and PDF viewers (curly quotes, en dashes, non-breaking and
zero-width spaces, decomposed accents, the Icelandic Ð that old font converters left in place of
Đ) or typed on phones ("tình hình ,thực hiện ??"). Every later step — diacritic restoration,
abbreviation matching, embedding — works better on one spelling of these. Document symbols
such as 39-CT/TW, 1560/QĐ-TTg and 214/KH-UBND are kept exactly; no space is ever inserted
around "/" "-" "&" "." inside a word.
"""

from __future__ import annotations

import re
import unicodedata

from tracuu.ingest.vntext import nfc

_TRANSLATE = str.maketrans(
    {
        # quotes
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "`": "'", "\u00b4": "'",
        # dashes and minus signs
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
        # Eth from legacy font conversions standing in for Đ/đ
        "\u00d0": "Đ", "\u00f0": "đ",
        # invisible characters
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
        "\u2026": "...",
    }
)  # fmt: skip

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]}])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")
_REPEATED_PUNCT = re.compile(r"([,;:!?])\1+")
_NO_SPACE_AFTER = re.compile(r"(?<=[A-Za-zÀ-ỹĐđ])([,;])(?=[A-Za-zÀ-ỹĐđ])")
_SPACED_SLASH = re.compile(r"(?<=[0-9A-ZĐ])\s+/\s+(?=[0-9A-ZĐ])")
_EDGE_PUNCT = " \t,;:.!?"


def _fullwidth_to_ascii(ch: str) -> str:
    code = ord(ch)
    return chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else ch


def clean_query(text: str) -> str:
    """The cleaned query: NFC, unified quotes/dashes, tidy spacing, no stray edge punctuation.

    >>> clean_query("  “Chi nhánh”  NHCSXH ,tỉnh – Chỉ thị 39-CT/TW ?? ")
    '"Chi nhánh" NHCSXH, tỉnh - Chỉ thị 39-CT/TW'
    """
    text = nfc(text).translate(_TRANSLATE)
    text = "".join(_fullwidth_to_ascii(ch) for ch in text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zs", "Zl", "Zp") else ch for ch in text)
    text = nfc(text)  # fullwidth letters may now compose with following marks
    text = " ".join(text.split())
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1 ", text)
    text = _SPACED_SLASH.sub("/", text)
    return _strip_edges(text)


def _strip_edges(text: str) -> str:
    """Drop punctuation at the ends: a query is not a sentence, and a trailing "." or "?" only
    adds noise to every retriever. Quotes and brackets stay (they may mark a phrase)."""
    return text.strip(_EDGE_PUNCT)
