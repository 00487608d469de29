"""Vietnamese syllables from phonotactics: the fallback vocabulary for diacritic restoration.

Why generate rather than ship a word list: a syllable is onset + rhyme + tone, and which
combinations exist follows a handful of spelling rules (k/gh/ngh before i, e, ê; only sắc and
nặng on rhymes ending in -p -t -c -ch; …). Generating the set from those rules gives every
syllable a query might contain, including ones the ingested corpus never used, with no data
file to keep in sync. The set is a superset (a few never-used combinations slip in); it is only
ever a low prior behind what the corpus itself says.

This module also owns the syllable anatomy the other query modules need: splitting a syllable
into onset / rhyme / tone and placing a tone mark by the old ("hòa", "thủy") or new ("hoà",
"thuỷ") convention. The canonical convention of tracuu is the old one, which is what
Vietnamese administrative documents overwhelmingly use.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tracuu.ingest.vntext import fold, nfc

from . import table_cache

Style = Literal["old", "new"]

log = logging.getLogger(__name__)

#: Hand-written list of syllables in common use, most common reading of a folded form first.
COMMON_SYLLABLES_FILE = Path(__file__).resolve().parent.parent / "data" / "vi_syllables.txt"

#: Combining tone marks, index = tone number (0 = ngang has none).
TONE_MARKS: tuple[str, ...] = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
TONE_NAMES: tuple[str, ...] = ("ngang", "huyền", "sắc", "hỏi", "ngã", "nặng")
_TONE_OF_MARK = {m: i for i, m in enumerate(TONE_MARKS) if m}

VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")  # vowels whose shape already carries a mark: the tone goes there
_STOP_CODAS = ("ch", "c", "p", "t")

ONSETS: tuple[str, ...] = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
_ONSETS_LONGEST_FIRST = sorted((o for o in ONSETS if o), key=len, reverse=True)

# Rhymes without a medial glide, grouped by their first vowel (the spelling rules key on it).
_BASE_RHYMES: dict[str, tuple[str, ...]] = {
    "a": ("a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay"),
    "ă": ("ăc", "ăm", "ăn", "ăng", "ăp", "ăt"),
    "â": ("âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây"),
    "e": ("e", "ec", "em", "en", "eng", "eo", "ep", "et"),
    "ê": ("ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu"),
    "i": ("i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu"),
    "iê": ("iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu"),
    "o": ("o", "oc", "oi", "om", "on", "ong", "op", "ot", "oong", "ooc"),
    "ô": ("ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt"),
    "ơ": ("ơ", "ơi", "ơm", "ơn", "ơp", "ơt"),
    "u": ("u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut"),
    "uô": ("uôc", "uôi", "uôm", "uôn", "uông", "uôt"),
    "ư": ("ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu"),
    "ươ": ("ươc", "ươi", "ươm", "ươn", "ương", "ươp", "ươt", "ươu"),
    "y": ("y",),
}
# Rhymes with the medial glide /w/, written o before a ă e and u before â ê y ơ.
_MEDIAL_RHYMES: tuple[str, ...] = (
    "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay",
    "oăc", "oăm", "oăn", "oăng", "oăt", "oe", "oem", "oen", "oeo", "oet",
    "uy", "uych", "uyn", "uynh", "uyp", "uyt", "uya", "uyu", "uyên", "uyêt",
    "uân", "uâng", "uât", "uây", "uê", "uêch", "uênh", "uơ",
)  # fmt: skip
# After qu the u is the glide, so the rhyme is written without it.
_QU_RHYMES: tuple[str, ...] = (
    _BASE_RHYMES["a"] + _BASE_RHYMES["ă"] + _BASE_RHYMES["â"] + _BASE_RHYMES["e"] + _BASE_RHYMES["ê"]
    + _BASE_RHYMES["ơ"]
    + ("i", "y", "ych", "ynh", "yt", "yp", "yên", "yêt", "yu", "ôc")
)  # fmt: skip

_FRONT = ("i", "e", "ê", "y")  # k, gh, ngh go before these; c, g, ng never do
_NO_MEDIAL = frozenset({"b", "c", "k", "gh", "ngh", "gi", "m", "p", "ph", "qu", "v"})


def _base_rhymes() -> list[str]:
    return [r for group in _BASE_RHYMES.values() for r in group]


def _rhymes_for(onset: str) -> list[str]:
    """The rhymes an onset may take, by the spelling rules of Vietnamese orthography."""
    if onset == "qu":
        return list(_QU_RHYMES)
    base = _base_rhymes()
    front = [r for r in base if r.startswith(_FRONT)]
    if onset in ("k",):
        return front
    if onset in ("gh", "ngh"):
        return [r for r in front if r != "y"]
    if onset in ("c", "g", "ng"):
        out = [r for r in base if not r.startswith(_FRONT)]
    elif onset == "":
        out = ["y" + r[1:] if r.startswith("iê") else r for r in base]  # yên, yêu: no onset writes iê as yê
    else:
        out = base
    if onset not in _NO_MEDIAL:
        out = out + list(_MEDIAL_RHYMES)
    if onset in ("c",):
        out = [r for r in out if not r.startswith(("oa", "oă", "oe", "uy", "uâ", "uê", "uơ"))]
    return out


def _is_stop(rhyme: str) -> bool:
    return rhyme.endswith(_STOP_CODAS)


def tone_position(rhyme: str, style: Style = "old") -> int:
    """Index in ``rhyme`` (toneless) of the vowel that carries the tone mark.

    Rules: a vowel with its own mark (ă â ê ô ơ ư) takes it, the last one if two (ươ -> ơ);
    else with a consonant coda the last vowel (hoàn, huỳnh); else of three vowels the middle
    (ngoài, khuỷu); else of two the first (mùa, hỏi) — except that the new style puts it on the
    second of oa, oe, uy (hoà, khoẻ, thuỷ).
    """
    idx = [i for i, ch in enumerate(rhyme) if ch in VOWELS]
    if not idx:
        return -1
    marked = [i for i in idx if rhyme[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if rhyme[-1] not in VOWELS:
        return idx[-1]
    if len(idx) >= 3:
        return idx[1]
    if len(idx) == 2:
        if style == "new" and rhyme[idx[0] : idx[0] + 2] in ("oa", "oe", "uy"):
            return idx[1]
        return idx[0]
    return idx[0]


def spell(onset: str, rhyme: str) -> tuple[str, int]:
    """Written form of onset + rhyme (toneless) and the offset where the rhyme starts in it.

    gi + a rhyme starting with i drops one i ("gi" + "in" -> "gin", "gi" + "iêng" -> "giêng").
    """
    if onset == "gi" and rhyme.startswith("i"):
        return "g" + rhyme, 1
    return onset + rhyme, len(onset)


def compose(onset: str, rhyme: str, tone: int, style: Style = "old") -> str:
    """The NFC syllable for onset + toneless rhyme + tone (0-5), the mark placed by ``style``."""
    word, start = spell(onset, rhyme)
    if tone == 0:
        return word
    pos = tone_position(rhyme, style)
    if pos < 0:
        return word
    at = start + pos
    return nfc(word[: at + 1] + TONE_MARKS[tone] + word[at + 1 :])


def strip_tone(syllable: str) -> tuple[str, int]:
    """(syllable without its tone mark, tone number). Shape marks (ă â ê ô ơ ư đ) stay."""
    tone = 0
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        t = _TONE_OF_MARK.get(ch)
        if t is None:
            kept.append(ch)
        else:
            tone = t
    return nfc("".join(kept)), tone


def split_syllable(syllable: str) -> tuple[str, str, int] | None:
    """(onset, toneless rhyme, tone) of a lowercase syllable, or None when it has no vowel.

    The parse mirrors :func:`spell`: "gìn" -> ("gi", "in", 1), "quốc" -> ("qu", "ôc", 2).
    """
    bare, tone = strip_tone(syllable)
    onset = ""
    if bare.startswith("gi"):
        rest = bare[2:]
        onset = "gi"
        rhyme = "i" + rest if (not rest or rest[0] not in VOWELS or rest.startswith("ê")) else rest
    elif bare.startswith("qu") and len(bare) > 2 and bare[2] in VOWELS:
        onset, rhyme = "qu", bare[2:]
    else:
        for o in _ONSETS_LONGEST_FIRST:
            if bare.startswith(o):
                onset = o
                break
        rhyme = bare[len(onset) :]
    if not rhyme or rhyme[0] not in VOWELS:
        return None
    return onset, rhyme, tone


def retone(syllable: str, style: Style = "old") -> str:
    """A lowercase syllable with its tone mark moved to where ``style`` puts it ("hoà" -> "hòa")."""
    parts = split_syllable(syllable)
    if parts is None:
        return syllable
    return compose(*parts, style=style)


#: What the generated tables are derived from: this module's rules and the folding of vntext
#: (index/query/table_cache.py keys the stored tables by these files' bytes).
_CODE_SOURCES = (Path(__file__).resolve(), Path(fold.__code__.co_filename).resolve())


@lru_cache(maxsize=1)
def _enumerated() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Every syllable, and the same grouped by folded form (stored between processes by
    :mod:`index.query.table_cache`: building it is ~50 ms of Python at every start)."""
    return table_cache.cached("syllables", _CODE_SOURCES, _build_enumerated, decode=_checked_enumerated)


def _checked_enumerated(value: object) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    syllables, index = value  # type: ignore[misc]
    if not isinstance(syllables, frozenset) or not isinstance(index, dict):
        raise TypeError("not a syllable table")
    return syllables, index


def _build_enumerated() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Every syllable, and the same grouped by folded form, in one pass over onset x rhyme x tone.

    Why one pass: folding 16k syllables one by one cost a third of a second at every start (the
    abbreviation table asks for the index); a syllable's folded form is its toneless spelling's,
    so it is folded once per onset + rhyme.
    """
    out: set[str] = set()
    index: dict[str, set[str]] = {}
    for onset in ONSETS:
        for rhyme in _rhymes_for(onset):
            forms = index.setdefault(fold(spell(onset, rhyme)[0]), set())
            tones = (2, 5) if _is_stop(rhyme) else range(6)
            for tone in tones:
                syl = compose(onset, rhyme, tone)
                out.add(syl)
                forms.add(syl)
    return frozenset(out), {k: tuple(sorted(v)) for k, v in index.items() if v}


def all_syllables() -> frozenset[str]:
    """Every valid lowercase NFC syllable, tone marks placed in the old (canonical) style."""
    return _enumerated()[0]


def folded_index() -> dict[str, tuple[str, ...]]:
    """Folded syllable -> its valid accented forms, sorted: "quyet" -> ("quyết", "quyệt")."""
    return _enumerated()[1]


@lru_cache(maxsize=1)
def common_ranks() -> dict[str, int]:
    """Syllable -> its rank among the common readings of its folded form (0 = most common).

    Read from ``index/data/vi_syllables.txt`` (the ranks are stored between processes by
    :mod:`index.query.table_cache`, keyed by that file and this module)."""
    return table_cache.cached("syllable_ranks", (*_CODE_SOURCES, COMMON_SYLLABLES_FILE), _build_common_ranks,
                              decode=_checked_ranks)


def _checked_ranks(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise TypeError("not a rank table")
    return value


def _build_common_ranks() -> dict[str, int]:
    """The ranks from ``index/data/vi_syllables.txt``; syllables not listed are simply not "common".
    Entries that are not valid syllables are skipped with a warning (a typo must not poison
    the prior). A missing file leaves the prior to the corpus statistics alone.
    """
    try:
        text = COMMON_SYLLABLES_FILE.read_text(encoding="utf-8")
    except OSError:
        log.warning("common syllable list %s not found: restoration prior uses the corpus only", COMMON_SYLLABLES_FILE)
        return {}
    valid = all_syllables()
    ranks: dict[str, int] = {}
    seen_per_fold: dict[str, int] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for word in line.split():
            syl = retone(nfc(word).lower())
            if syl not in valid:
                log.warning("vi_syllables.txt: %r is not a Vietnamese syllable, skipped", word)
                continue
            if syl in ranks:
                continue
            key = fold(syl)
            ranks[syl] = seen_per_fold.get(key, 0)
            seen_per_fold[key] = ranks[syl] + 1
    return ranks


def candidates(folded: str) -> tuple[str, ...]:
    """Accented forms a folded syllable may stand for (empty when it is not Vietnamese)."""
    return folded_index().get(folded, ())


def is_syllable(word: str) -> bool:
    """True for a valid Vietnamese syllable, whichever tone placement it was typed with."""
    low = nfc(word).lower()
    return retone(low) in all_syllables()


def match_case(template: str, word: str) -> str:
    """``word`` (lowercase) cased like ``template``: "Chi" + "chí" -> "Chí", "BAO" -> "BÁO"."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
