"""Agency names the gazetteer does not know, recognised by how Vietnamese bodies are named.

Why: every document brings bodies no list holds (a unit of another province or ministry, a
paper, a corporation, "Tổ công tác …", "Ban quản lý Khu kinh tế …", "Thường trực …"). A name
list grows one document at a time; the SHAPE of a name does not change: a head that says what kind
of body it is ("Sở", "Cục", "Ban Quản lý", "Tổ công tác"), written with a capital, then the name
proper, which ends where the sentence goes on: at a verb or a role word, a list separator, a
clause boundary or the end of the line. This module reads that shape, with its word lists in
``ingest/data/agency_phrases.toml``; the gazetteer (``ingest/agencies.py``) calls it only where
neither its names nor its own head-word guess read anything.

A lower-case word is part of a name only after an "open" head ("Ủy ban nhân dân tỉnh", "Ban quản
lý dự án …") and only when the name visibly ends after it (punctuation, a stop word, a level word,
the next name, the line's end), so a verb the lists lack is cut off rather than swallowed.

Public API: :func:`phrase_end` (where a name starting at a token ends) and :func:`find_phrases`
(every such name in a text, the recogniser alone: used to measure it against the gazetteer).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from tracuu.ingest.vntext import fold, nfc

DATA_FILE = Path(__file__).resolve().parent / "data" / "agency_phrases.toml"
AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "agencies.toml"

__all__ = ["PhraseWords", "load_words", "phrase_end", "find_phrases"]


@dataclass(frozen=True)
class PhraseWords:
    """The word lists, each phrase as a tuple of lower-case words (spelling kept, see ``same``)."""

    heads: tuple[tuple[str, ...], ...]
    open_heads: tuple[tuple[str, ...], ...]
    complete_heads: frozenset[tuple[str, ...]]
    capital_breaks: tuple[tuple[str, ...], ...]
    name_words: tuple[tuple[str, ...], ...]
    boundaries: tuple[tuple[str, ...], ...]
    inner_openers: frozenset[str]
    purpose_verbs: tuple[tuple[str, ...], ...]
    function_words: frozenset[str]  # folded
    levels: tuple[tuple[str, ...], ...]  # folded
    level_caps: tuple[bool, ...]  # each level: written with a capital in the list
    place_levels: frozenset[tuple[str, ...]]  # folded
    max_lower_words: int
    max_words: int


def _words(phrase: str) -> tuple[str, ...]:
    from tracuu.ingest.agencies import tokenize

    return tuple(t.text.lower() for t in tokenize(nfc(phrase)))


def _longest_first(phrases: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({_words(p) for p in phrases}, key=len, reverse=True))


@lru_cache(maxsize=2)
def load_words(path: Path | None = None, agencies_path: Path | None = None) -> PhraseWords:
    """The recogniser's words: agency_phrases.toml, plus agencies.toml's name_stop_words and head
    titles ("Giám đốc" opens the next item of a list, not more of a name)."""
    d = tomllib.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    a = tomllib.loads((agencies_path or AGENCIES_FILE).read_text(encoding="utf-8"))
    roles = a.get("roles", {})
    stops = list(a.get("matching", {}).get("name_stop_words", [])) + list(d.get("boundaries", [])) \
        + list(roles.get("verbs", [])) + list(roles.get("run_on_stop", []))
    levels = sorted({nfc(p) for p in d.get("levels", [])}, key=lambda p: len(_words(p)), reverse=True)
    titles = list(a.get("heads", {}).get("titles", [])) + list(d.get("capital_breaks", []))
    return PhraseWords(
        heads=_longest_first(list(d["heads"]) + list(d["open_heads"])),
        open_heads=_longest_first(d["open_heads"]),
        complete_heads=frozenset(_words(p) for p in d.get("complete_heads", [])),
        capital_breaks=_longest_first(titles),
        name_words=_longest_first(d.get("name_words", [])),
        boundaries=_longest_first(stops),
        inner_openers=frozenset(fold(w) for w in d.get("inner_openers", [])),
        purpose_verbs=_longest_first(d.get("purpose_verbs", [])),
        function_words=frozenset(fold(w) for w in d.get("function_words", [])),
        levels=tuple(tuple(fold(x) for x in _words(p)) for p in levels),
        level_caps=tuple(p[0].isupper() for p in levels),
        place_levels=frozenset(tuple(fold(w) for w in _words(p)) for p in d.get("place_levels", [])),
        max_lower_words=int(d.get("max_lower_words", 6)),
        max_words=int(d.get("max_words", 16)),
    )


def _phrase_at(toks: Sequence, j: int, phrases: Sequence[tuple[str, ...]], free: Callable[[int], bool],
               spelled: bool = False) -> int:
    """Length of the first of ``phrases`` (longest first) written at token ``j`` on one line.
    ``spelled``: compare with diacritics always (a head: "Quy" of "Quy chế" is not "Quỹ")."""
    from tracuu.ingest.agencies import _same_word, _tone_free

    for p in phrases:
        k = j + len(p)
        if k <= len(toks) and all(free(x) for x in range(j, k)) and all(
                (_tone_free(t.text.lower()) == _tone_free(w)) if spelled else _same_word(t, w)
                for t, w in zip(toks[j:k], p)):
            return len(p)
    return 0


def _level_at(toks: Sequence, j: int, w: PhraseWords, free: Callable[[int], bool]) -> int:
    """Length of a level word at ``j`` ("tỉnh", "cấp xã", "Trung ương"), compared folded; a level
    written with a capital counts only where the list writes it so ("Thành phố", "Trung ương"),
    so "Xã hội" of "Thương binh và Xã hội" is no level."""
    for p, cap in zip(w.levels, w.level_caps):
        k = j + len(p)
        if k <= len(toks) and all(free(x) for x in range(j, k)) and tuple(t.key for t in toks[j:k]) == p \
                and (cap or toks[j].text[0].islower()):
            return len(p)
    return 0


def _place_after(toks: Sequence, j: int, free: Callable[[int], bool]) -> int:
    """Length of a place name at ``j``: one to four capitalised words ("Bình Sơn", "Hồ Chí Minh")."""
    k = j
    while k < len(toks) and k - j < 4 and free(k) and toks[k].is_word and toks[k].capitalised \
            and not toks[k].key.isdigit():
        k += 1
    return k - j


def phrase_end(toks: Sequence, i: int, free: Callable[[int], bool], w: PhraseWords | None = None) -> int | None:
    """End token of an agency name that starts at token ``i`` by its shape, None when none does.

    ``toks`` are ``ingest.agencies.tokenize`` tokens; ``free(k)`` says whether token ``k`` may be
    part of the name (not read already, not after a line break)."""
    w = w or load_words()
    n = len(toks)
    first = toks[i]
    if not first.is_word or not first.text[0].isupper():
        return None  # lower case: a common noun ("các sở", "ban hành")
    if len(first.text) > 1 and first.text.isupper():
        return None  # all capitals: a heading ("TỔ CHỨC THỰC HIỆN") as often as a name; the gazetteer reads those
    open_len = _phrase_at(toks, i, w.open_heads, lambda k: k == i or free(k), spelled=True)
    head_len = _phrase_at(toks, i, w.heads, lambda k: k == i or free(k), spelled=True)
    hlen = max(open_len, head_len)
    if not hlen:
        return None
    is_open = open_len == hlen
    head = tuple(t.text.lower() for t in toks[i : i + hlen])
    j = i + hlen
    complete = is_open and any(len(c) == hlen and all(_same_word_text(a, b) for a, b in zip(head, c))
                               for c in w.complete_heads)

    def is_boundary(k: int) -> bool:  # a verb or a role word: written in lower case
        if not (toks[k].is_word and toks[k].text[0].islower()):
            return False
        m = _phrase_at(toks, k, w.boundaries, free)
        # the syllable right after a capitalised one belongs to its word: "Bộ Quốc phòng", "Bộ Ngoại giao"
        if m == 1 and k > i and toks[k - 1].is_word and toks[k - 1].capitalised and toks[k].space \
                and toks[k].key not in w.function_words:
            return False
        return bool(m)

    def and_field_ahead(k: int) -> bool:
        """A comma inside a name lists its fields up to a "và": "Sở Văn hóa, Thể thao và Du lịch"."""
        x = k
        while x < n and x - k < 6 and free(x) and toks[x].is_word and not is_boundary(x):
            x += 1
        return x < n and free(x) and toks[x].key == "va" and x + 1 < n and free(x + 1) \
            and toks[x + 1].is_word and toks[x + 1].capitalised and not starts_next_name(x + 1)

    def starts_next_name(k: int) -> bool:
        t = toks[k]
        return t.is_word and t.text[0].isupper() and bool(
            _phrase_at(toks, k, w.heads, free, spelled=True) or _phrase_at(toks, k, w.capital_breaks, free))

    def inner_opener(k: int) -> bool:  # "các" before a capitalised word: "Ban Quản lý các Khu công nghiệp"
        return toks[k].key in w.inner_openers and free(k + 1) and toks[k + 1].is_word \
            and toks[k + 1].capitalised and not starts_next_name(k + 1)

    # the word right after the head: a capitalised word, a level word, or (open heads) a lower-case one
    if not free(j) or not toks[j].is_word or toks[j].key.isdigit():
        return j if complete else None
    purpose = _phrase_at(toks, j, w.purpose_verbs, free) if complete else 0
    if purpose and free(j + purpose) and j + purpose < n and toks[j + purpose].is_word \
            and toks[j + purpose].capitalised and not toks[j + purpose].text.isupper():
        # "Tổ công tác triển khai Đề án 06", "Ban Chỉ đạo thực hiện Chương trình …": a group named by
        # the document it carries out; the name goes on with that document's name
        j += purpose
    nxt = toks[j]
    if not (nxt.capitalised or _level_at(toks, j, w, free)
            or (is_open and nxt.lower and (inner_opener(j) or not is_boundary(j)))):
        return j if complete else None

    last_solid = j if complete else i  # the end after the last capitalised word or level
    lower_run = 0
    joined = False  # a "và" was read inside the name already
    caps_in_row = 0  # capitalised words in a row just before last_solid (2+: a place or a proper name)
    while j < n and free(j) and j - i < w.max_words:
        tok = toks[j]
        if tok.is_word:
            word = _phrase_at(toks, j, w.name_words, free, spelled=True)
            if word:  # "Tỉnh ủy", "Thành đoàn": a capitalised level word that is a name's own word
                j += word
                lower_run = 0
                last_solid = j
                continue
            lvl = _level_at(toks, j, w, free)
            capital_goes_on = tok.capitalised and free(j + lvl) and j + lvl < n and toks[j + lvl].is_word \
                and toks[j + lvl].capitalised
            if lvl and not capital_goes_on:  # "Ủy ban Trung ương Mặt trận …": a capitalised level inside
                while lvl:  # "… Việt Nam tỉnh Bình Sơn": levels, then a place, end the name
                    j += lvl
                    if tuple(t.key for t in toks[j - lvl : j]) in w.place_levels:
                        j += _place_after(toks, j, free)
                        break
                    lvl = _level_at(toks, j, w, free) if j < n and free(j) else 0
                return j
            if inner_opener(j):
                j += 1
                lower_run += 1
                continue
            if is_boundary(j):
                if tok.key == "va" and not joined and free(j + 1) and toks[j + 1].is_word \
                        and toks[j + 1].capitalised and not toks[j + 1].text.isupper() \
                        and not starts_next_name(j + 1):
                    j += 1  # "Sở Khoa học và Công nghệ" (one "và" a name)
                    joined = True
                    continue
                break
            if tok.key in w.inner_openers:
                break  # "Sở Tài chính Các sở …": a collective opens the next item
            if tok.lower:
                lower_run += 1
                if lower_run > w.max_lower_words:
                    break
                j += 1
                continue
            caps_in_row = caps_in_row + 1 if lower_run == 0 and last_solid == j else 1
            lower_run = 0
            j += 1
            last_solid = j
            continue
        if tok.text in "-&" and free(j + 1) and toks[j + 1].is_word and not starts_next_name(j + 1):
            j += 1  # "Văn hóa - Xã hội", "Khoa học & Công nghệ"
            continue
        if tok.text == "," and not joined and free(j + 1) and toks[j + 1].is_word and toks[j + 1].capitalised \
                and not starts_next_name(j + 1) and and_field_ahead(j + 1):
            j += 1  # "Sở Văn hóa, Thể thao và Du lịch"
            continue
        break
    # the name must visibly end: otherwise the lower-case words at its end may be a verb
    ends = j >= n or not free(j) or not toks[j].is_word or is_boundary(j) or starts_next_name(j)
    if caps_in_row >= 2 and last_solid < j and not (lower_run == 1 and ends):
        # a place ("… Bình Sơn") ends a name: lower-case words after it are the sentence's, but for
        # one syllable before a visible end ("Khu Nông nghiệp" of "… Khu Nông nghiệp ứng dụng …")
        j = last_solid
    elif not ends or lower_run > w.max_lower_words:
        # keep the syllable after the last capitalised word ("Sở Ngoại vụ"), drop the rest
        k = last_solid + 1 if last_solid > i and last_solid < j and toks[last_solid].lower else last_solid
        j = k
    if toks[j - 1].text in ",-&":
        j -= 1
    if j <= i + hlen:
        return i + hlen if complete else None
    return j


def _same_word_text(a: str, b: str) -> bool:
    from tracuu.ingest.agencies import _tone_free

    return _tone_free(a) == _tone_free(b)


def find_phrases(text: str) -> list[tuple[int, int]]:
    """Every agency name of ``text`` (NFC) read by shape alone, as (start, end) character offsets,
    left to right without overlap. For measuring the recogniser; the gazetteer uses :func:`phrase_end`."""
    from tracuu.ingest.agencies import tokenize

    toks = tokenize(nfc(text))
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        end = phrase_end(toks, i, lambda k, a=i: k < len(toks) and (k == a or not toks[k].newline))
        if end is None or end <= i:
            i += 1
            continue
        out.append((toks[i].start, toks[end - 1].end))
        i = end
    return out
