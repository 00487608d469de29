"""Spelling variants of Vietnamese: one canonical form for matching, and the list of alternatives.

Why: the same word is written several ways and all of them are correct somewhere —
tone placement "hòa"/"hoà", "ủy"/"uỷ", "khỏe"/"khoẻ" (old vs new convention); i/y after a
consonant "kỹ"/"kĩ", "lý"/"lí", "quy"/"qui"; and the word pair "hằng năm"/"hàng năm". A query
typed one way must meet a passage written the other. ``canonical_spelling`` is applied to both
sides when comparing accented text; ``variant_forms`` lists the spellings to search with where
the other side cannot be canonicalised (a keyword index built from the source text).

Canonical choices: old tone placement (hòa, thủy — the usual one in administrative documents),
i after a consonant (kĩ, lí — never creates a wrong word, whereas y would turn "vi phạm" into
"vy phạm"), "hằng" before a period word (the dictionary form of "every").
"""

from __future__ import annotations

import re

from tracuu.ingest.vntext import fold, nfc

from .syllables import Style, compose, match_case, split_syllable

_LETTERS_RE = re.compile(r"[A-Za-zÀ-ỹĐđ]+")
#: Onsets after which y is written as an alternative of i (kỹ/kĩ, lý/lí, tỷ/tỉ, quy/qui, hy/hi);
#: after others it is not ("vi phạm" has no "vy phạm").
_Y_ONSETS = frozenset({"h", "k", "l", "m", "s", "t", "qu"})

#: "hằng"/"hàng" + a period word: "every year" either way. Folded keys, canonical first form.
PERIOD_WORDS = ("năm", "tháng", "quý", "quí", "tuần", "ngày", "giờ", "kỳ", "kì", "đêm")
_HANG_RE = re.compile(
    r"\b(h[ằà]ng)(\s+)(" + "|".join(PERIOD_WORDS) + r")\b",
    re.IGNORECASE,
)


def _respell_syllable(word: str, style: Style, iy: str | None) -> str:
    """One syllable re-spelled: tone placed by ``style``; a bare "i"/"y" rhyme after an onset set to ``iy``.

    i is allowed after every onset, y only after those in ``_Y_ONSETS``.
    """
    low = word.lower()
    parts = split_syllable(low)
    if parts is None:
        return word
    onset, rhyme, tone = parts
    if rhyme in ("i", "y") and (iy == "i" and onset not in ("", "gi") or iy == "y" and onset in _Y_ONSETS):
        rhyme = iy
    out = compose(onset, rhyme, tone, style=style)
    return word if out == low else match_case(word, out)


def _respell(text: str, style: Style, iy: str | None) -> str:
    return _LETTERS_RE.sub(lambda m: _respell_syllable(m.group(0), style, iy), nfc(text))


def _hang(text: str, to: str) -> str:
    """Rewrite "hằng/hàng + period word" to ``to`` ("hằng" or "hàng"), keeping case."""

    def sub(m: re.Match[str]) -> str:
        return match_case(m.group(1), to) + m.group(2) + m.group(3)

    return _HANG_RE.sub(sub, text)


def canonical_syllable(word: str) -> str:
    """One syllable in canonical spelling: "hoà" -> "hòa", "Uỷ" -> "Ủy", "kỹ" -> "kĩ"."""
    return _respell_syllable(nfc(word), "old", "i")


def canonical_spelling(text: str) -> str:
    """Text with every syllable in canonical spelling; for matching, never for display.

    Length and non-letter characters are kept ("39-CT/TW", numbers and spacing are untouched),
    so offsets computed on the result apply to the input.
    """
    return _respell(_hang(nfc(text), "hằng"), "old", "i")


def variant_forms(text: str) -> list[str]:
    """``text`` first, then its other spellings: old/new tone placement, i/y, hằng/hàng.

    Each axis is switched for the whole text at once (not every combination), which keeps
    the list short: at most a handful of strings whatever the length of the query.
    """
    text = nfc(text)
    forms = [text]
    for style in ("old", "new"):
        for iy in (None, "i", "y"):
            forms.append(_respell(text, style, iy))  # type: ignore[arg-type]
    more = []
    for f in forms:
        more.append(_hang(f, "hằng"))
        more.append(_hang(f, "hàng"))
    return list(dict.fromkeys(forms + more))


def same_spelling(a: str, b: str) -> bool:
    """True when two texts differ only by spelling variants (for tests and de-duplication)."""
    return canonical_spelling(a).lower() == canonical_spelling(b).lower()


def folded_variants(text: str) -> list[str]:
    """Distinct folded keys of :func:`variant_forms` ("kỹ thuật" -> ["ky thuat", "ki thuat"])."""
    return list(dict.fromkeys(fold(f) for f in variant_forms(text)))
