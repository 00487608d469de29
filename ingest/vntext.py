"""Vietnamese text helpers: NFC at the door, folding only for matching.

What is shown or cited is always the source text; :func:`fold` exists so that "hằng năm",
"hàng năm", "hang nam", "uỷ"/"ủy" and "Đ"/"D" all meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+(?:[/&.-][0-9A-Za-zÀ-ỹĐđ]+)*", re.UNICODE)
_SYLLABLE_RE = re.compile(r"[0-9a-z]+")


def nfc(text: str) -> str:
    """Unicode NFC: the form every string takes on its way in."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase, strip every diacritic, map đ to d. For matching keys only, never for display.

    The result has the same length as ``nfc(text)`` for Vietnamese text, which keeps offsets usable.
    """
    out = []
    for ch in nfc(text).lower():
        if ch == "đ":
            out.append("d")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def folded_words(text: str) -> str:
    """The folded ASCII words of ``text`` (letters and digits) joined by one space: what a cue phrase is
    looked for in (" noi nhan " in f" {folded_words(q)} "), so punctuation and line breaks do not matter."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def words(text: str) -> list[str]:
    """Words as written (symbols like 39-CT/TW and 1560/QĐ-TTg kept whole)."""
    return _WORD_RE.findall(nfc(text))


def syllables(text: str) -> list[str]:
    """Folded syllables: the matching units of the keyword index ("QĐ-TTg" -> ["qd", "ttg"])."""
    return _SYLLABLE_RE.findall(fold(text))


def has_diacritics(text: str) -> bool:
    """True when any letter carries a Vietnamese mark (or is đ)."""
    return fold(text) != nfc(text).lower()


def collapse_spaces(text: str) -> str:
    """One space for every whitespace run, ends stripped."""
    return " ".join(text.split())


def opens_with(text: str, words: tuple[str, ...]) -> bool:
    """``text`` opens with one of ``words`` as whole words (both already in the form the caller
    matches in: folded, or lower case with diacritics kept, where "nam" is no "năm")."""
    return any(text.startswith(w) and not text[len(w) : len(w) + 1].isalnum() for w in words)


# the consonants a Vietnamese syllable can open with (folded): a token made of one of them alone is
# no word, it is the head of a syllable a PDF text layer cut in two ("Bộ Y t ế", "thành ph ố")
_ONSETS = frozenset("b c ch d g gh gi h k kh l m n ng ngh nh p ph q qu r s t th tr v x".split())
_VOWELS = frozenset("aeiouy")


def mend_split_syllables(text: str) -> str:
    """``text`` with each syllable a PDF text layer cut after its opening consonants joined again:
    "Bộ Y t ế" -> "Bộ Y tế", "Ban Chuyên tr ách" -> "Ban Chuyên trách". Only a lower-case token of
    opening consonants alone followed by a token that opens with a vowel is joined, so names and
    abbreviations ("Sở KH&CN", "TP Huế") stay as they are. For names shown to a reader, never for
    a quoted source text."""
    tokens = text.split(" ")
    out: list[str] = []
    for tok in tokens:
        if out and tok and out[-1].islower() and fold(out[-1]) in _ONSETS and fold(tok[0]) in _VOWELS:
            out[-1] += tok
        else:
            out.append(tok)
    return " ".join(out)

