"""Who is named: find agency names in Vietnamese text and write abbreviations out in full.

Why a gazetteer and not a model: the set of bodies a provincial plan can name is small, changes by
decree (2025 renamed most ministries and departments) and must be correctable by an official, so
it lives in ``ingest/data/agencies.toml`` and ``ingest/data/abbreviations.toml``; this module only
knows how to match it.

Matching works on tokens whose key is :func:`ingest.vntext.fold` of the word, so "UBND tinh",
"uỷ ban" and "Ủy ban" meet, and offsets stay those of the NFC text. A name with a comma or "và"
inside ("Sở Văn hóa, Thể thao và Du lịch", "Báo và Phát thanh, Truyền hình Bình Sơn") is one
pattern of tokens, so it is matched whole; the longest name starting leftmost wins. A line break
never continues a name: table cells put one agency per line.

Public API: :func:`find_agencies`, :func:`expand`, :func:`expand_abbreviations`,
:func:`load_gazetteer` and the :class:`Gazetteer` it returns (scope resolution, roles, columns).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from tracuu.ingest.vntext import collapse_spaces, fold, has_diacritics, nfc

DATA_DIR = Path(__file__).resolve().parent / "data"
AGENCIES_FILE = DATA_DIR / "agencies.toml"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.toml"

Level = Literal["central", "provincial", "local", "group"]
LEVELS: tuple[str, ...] = ("central", "provincial", "local", "group")
MatchKind = Literal["name", "variant", "abbreviation", "guess", "shared"]  # shared: "các sở: Tài chính, Y tế"

PROVINCE = "{tinh}"  # placeholder for a province name in a pattern
NUMBER = "{so}"  # placeholder for a number (Khu vực 5, Khu vực IX)

_TOKEN_RE = re.compile(r"\{tinh\}|\{so\}|[0-9A-Za-zÀ-ỹĐđ]+|\S")
_ROMAN_RE = re.compile(r"[IVXLC]+")
_PAREN_ACRONYM_RE = re.compile(r"\s*\(\s*[A-ZĐ][A-ZĐ&\-]+\s*\)")


class GazetteerError(ValueError):
    """The data files contradict themselves (a spelling given to two agencies, a bad level...)."""


# --------------------------------------------------------------------------------------------
# tokens


@dataclass(frozen=True)
class Token:
    """One word or one punctuation mark, with the whitespace that precedes it."""

    text: str
    key: str  # folded
    start: int
    end: int
    space: bool  # whitespace between the previous token and this one
    newline: bool  # that whitespace holds a line break

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def capitalised(self) -> bool:
        """Title case ("Bình") or all capitals ("AN", "UBND")."""
        t = self.text
        return t[0].isupper() and (t[1:].islower() or t[1:].isupper() or len(t) == 1)

    @property
    def lower(self) -> bool:
        return self.text.islower()


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` (already NFC); placeholders {tinh}/{so} are kept as single tokens."""
    out: list[Token] = []
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        gap = text[prev_end : m.start()]
        word = m.group()
        key = word if word in (PROVINCE, NUMBER) else fold(word)
        out.append(Token(word, key, m.start(), m.end(), bool(gap), "\n" in gap))
        prev_end = m.end()
    return out


def _keys(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(nfc(text)))


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class Abbreviation:
    """One row of abbreviations.toml."""

    short: str
    full: str
    kind: str  # agency | term | symbol | title
    expand: bool
    generate: bool
    note: str = ""


@dataclass(frozen=True)
class AgencyEntry:
    """One [[agency]] of agencies.toml."""

    id: str
    name: str
    level: str
    abbreviations: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    scoped: dict[str, str] = field(default_factory=dict)
    strict_case: bool = False
    person: bool = False  # a person's title ("Phó Thủ tướng Chính phủ"): a name written after it is part of it

    def canonical(self, province: str | None = None) -> str:
        """The name, with the province filled in when the text named one."""
        if PROVINCE in self.name:
            return self.name.replace(PROVINCE, province or "tỉnh")
        if province and fold(self.name).endswith(" tinh"):
            return f"{self.name} {province}"
        return self.name


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in a text: where, as written, and which gazetteer entry it is.

    ``agency_id`` is None for a well-formed name the gazetteer does not know ("Sở Ngoại vụ");
    ``matched`` says how it was recognised (its written form was the entry's name, one of its
    variants, an abbreviation, or a guess from a head word such as "Sở"/"Ban").
    """

    text: str  # as written, a substring of the searched text
    start: int
    end: int
    agency_id: str | None
    level: str | None
    name: str  # canonical name (the written text when unknown)
    full: str  # the written text with abbreviations expanded (see expand())
    matched: str  # MatchKind
    province: str | None = None


@dataclass(frozen=True)
class _Pattern:
    entry_id: str
    kind: str  # name | variant | abbreviation
    rank: int  # 0 written in the data, 1 abbreviated by generation, 2 with a level suffix


class _Node:
    __slots__ = ("children", "pattern")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.pattern: _Pattern | None = None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _replace_seq(seq: tuple[str, ...], old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    n = len(old)
    while i < len(seq):
        if seq[i : i + n] == old:
            out.extend(new)
            i += n
        else:
            out.append(seq[i])
            i += 1
    return tuple(out)


class Gazetteer:
    """The loaded data files and the matcher built from them."""

    def __init__(self, agencies: dict[str, Any], abbreviations: dict[str, Any]) -> None:
        self.abbreviations: list[Abbreviation] = [self._abbr(row) for row in abbreviations.get("abbr", [])]
        matching = agencies.get("matching", {})
        self.roles: dict[str, list[str]] = {k: _as_list(v) for k, v in agencies.get("roles", {}).items()}
        self.role_homographs: dict[str, list[str]] = {
            k: _as_list(v) for k, v in agencies.get("role_homographs", {}).items()}
        self.columns: dict[str, list[str]] = {k: _as_list(v) for k, v in agencies.get("columns", {}).items()}
        self.column_cues: dict[str, list[str]] = {k: _as_list(v) for k, v in agencies.get("column_cues", {}).items()}
        self.heads: dict[str, list[str]] = {k: _as_list(v) for k, v in agencies.get("heads", {}).items()}
        self.role_lines: dict[str, list[str]] = {k: _as_list(v) for k, v in agencies.get("role_lines", {}).items()}
        self._provinces = sorted({_keys(p) for p in _as_list(matching.get("provinces"))}, key=len, reverse=True)
        self.province_names: list[str] = [nfc(p) for p in _as_list(matching.get("provinces"))]
        # heads keep their spelling: folding would make "Quý IV" (a quarter) look like "Quỹ ..."
        self._heads = sorted(
            {tuple(t.text.lower() for t in tokenize(nfc(h))) for h in _as_list(matching.get("head_words"))},
            key=len, reverse=True,
        )
        self._titles = sorted(
            {tuple(t.text.lower() for t in tokenize(nfc(h))) for h in _as_list(agencies.get("heads", {}).get("titles"))},
            key=len, reverse=True,
        )
        self._stop = [tuple(t.text.lower() for t in tokenize(nfc(w))) for w in _as_list(matching.get("name_stop_words"))]
        self._collective = sorted(
            {_keys(w) for w in _as_list(matching.get("collective_nouns"))}, key=len, reverse=True
        )
        self._collective_tails = sorted(
            {_keys(w) for w in _as_list(matching.get("collective_tails"))}, key=len, reverse=True
        )
        self._collective_openers = {fold(w) for w in _as_list(matching.get("collective_openers"))}
        # "Các cơ quan được giao nhiệm vụ tại khoản 1 Điều này": where the assignment was made
        refs = matching.get("assignment_refs", {})
        self._assigned_tails = {_keys(w) for w in _as_list(refs.get("tails"))}
        self._ref_links = {nfc(w).lower() for w in _as_list(refs.get("links"))}
        self._ref_parts = sorted({tuple(nfc(w).lower().split()) for w in _as_list(refs.get("parts"))},
                                 key=len, reverse=True)
        self._ref_ends = sorted({tuple(nfc(w).lower().split()) for w in _as_list(refs.get("ends"))},
                                key=len, reverse=True)
        self._bare_not_before = {fold(w) for w in _as_list(matching.get("bare_collective_not_before"))}
        self._bare_collective = sorted(
            {_keys(w) for w in _as_list(matching.get("bare_collective_nouns"))}, key=len, reverse=True
        )
        # "các sở: Tài chính, Y tế": the word before the colon -> the head word each name takes
        self._shared_heads_map = {nfc(k).lower(): nfc(v) for k, v in matching.get("shared_heads", {}).items()}
        heads_alt = "|".join(re.escape(k) for k in sorted(self._shared_heads_map, key=len, reverse=True)) or "(?!x)x"
        self.shared_head_re = re.compile(r"\b(?:các|những)\s+(?P<head>" + heads_alt + r")\s*:\s*", re.IGNORECASE)
        self._part_of = sorted({_keys(w) for w in _as_list(matching.get("part_of"))}, key=len, reverse=True)
        self._unit_heads = sorted(
            {tuple(t.text.lower() for t in tokenize(nfc(h))) for h in _as_list(matching.get("unit_heads"))},
            key=len, reverse=True,
        )
        self._place_units = sorted({_keys(w) for w in _as_list(matching.get("place_units"))}, key=len, reverse=True)
        self._unit_tails = sorted({_keys(w) for w in _as_list(matching.get("unit_tails"))}, key=len, reverse=True)
        suffixes = matching.get("suffixes", {})
        self._suffixes = {k: [_keys(s) for s in _as_list(v)] for k, v in suffixes.items()}
        self.entries: dict[str, AgencyEntry] = {}
        for row in agencies.get("agency", []):
            entry = self._entry(row)
            if entry.id in self.entries:
                raise GazetteerError(f"agency id {entry.id!r} is used twice")
            self.entries[entry.id] = entry
        for entry in self.entries.values():
            for target in entry.scoped.values():
                if target not in self.entries:
                    raise GazetteerError(f"{entry.id}: scoped target {target!r} is not an agency id")
        self._short_keys = {_keys(a.short) for a in self.abbreviations}
        self._expanders = sorted(
            ((_keys(a.short), a) for a in self.abbreviations if a.expand), key=lambda p: len(p[0]), reverse=True
        )
        self._root = _Node()
        self._seen: dict[tuple[str, ...], _Pattern] = {}
        self._build()

    # -- loading ----------------------------------------------------------------------------

    @staticmethod
    def _abbr(row: dict[str, Any]) -> Abbreviation:
        kind = row.get("kind", "term")
        default_expand = kind in ("agency", "term")
        return Abbreviation(
            short=nfc(row["short"]),
            full=nfc(row["full"]),
            kind=kind,
            expand=bool(row.get("expand", default_expand)),
            generate=bool(row.get("generate", False)),
            note=row.get("note", ""),
        )

    @staticmethod
    def _entry(row: dict[str, Any]) -> AgencyEntry:
        for key in ("id", "name", "level"):
            if key not in row:
                raise GazetteerError(f"agency {row!r} lacks {key!r}")
        if row["level"] not in LEVELS:
            raise GazetteerError(f"agency {row['id']!r}: level {row['level']!r} is not one of {LEVELS}")
        return AgencyEntry(
            id=row["id"],
            name=nfc(row["name"]),
            level=row["level"],
            abbreviations=tuple(nfc(a) for a in _as_list(row.get("abbreviations"))),
            variants=tuple(nfc(v) for v in _as_list(row.get("variants"))),
            scoped=dict(row.get("scoped", {})),
            strict_case=bool(row.get("strict_case", False)),
            person=bool(row.get("person", False)),
        )

    def _add(self, keys: tuple[str, ...], pattern: _Pattern) -> None:
        if not keys:
            return
        known = self._seen.get(keys)
        if known is not None:
            if pattern.rank == 0 and known.rank == 0 and known.entry_id != pattern.entry_id:
                raise GazetteerError(
                    f"{' '.join(keys)!r} is written for both {known.entry_id!r} and {pattern.entry_id!r}"
                )
            return
        self._seen[keys] = pattern
        node = self._root
        for k in keys:
            node = node.children.setdefault(k, _Node())
        node.pattern = pattern

    def _generated(self, keys: tuple[str, ...]) -> set[tuple[str, ...]]:
        """Every way of writing ``keys`` with the generate=true short forms."""
        forms = {keys}
        for abbr in self.abbreviations:
            if not abbr.generate:
                continue
            full, short = _keys(abbr.full), _keys(abbr.short)
            for form in list(forms):
                if any(form[i : i + len(full)] == full for i in range(len(form))):
                    forms.add(_replace_seq(form, full, short))
        forms.discard(keys)
        return forms

    def _with_suffixes(self, entry: AgencyEntry, keys: tuple[str, ...]) -> list[tuple[str, ...]]:
        if PROVINCE in keys or entry.scoped:
            return []
        if keys[-1] == "tinh" or (keys[-2:] == ("thanh", "pho") and entry.level == "provincial"):
            # "UBND tỉnh An Giang", and a city's "UBND thành phố Đà Nẵng" / "Thành phố Hồ Chí Minh"
            return [keys + s for s in self._suffixes.get("after_tinh", [])]
        if entry.level == "provincial":
            return [keys + s for s in self._suffixes.get("provincial", [])]
        if entry.level == "group":
            return [keys + s for s in self._suffixes.get("group", [])]
        return []

    def _build(self) -> None:
        written: list[tuple[AgencyEntry, str, tuple[str, ...]]] = []
        for entry in self.entries.values():
            written.append((entry, "name", _keys(entry.name)))
            written += [(entry, "variant", _keys(v)) for v in entry.variants]
            written += [(entry, "abbreviation", _keys(a)) for a in entry.abbreviations]
        for entry, kind, keys in written:
            self._add(keys, _Pattern(entry.id, kind, 0))
        # a centrally-run city writes "thành phố" where a province writes "tỉnh":
        # "Ủy ban nhân dân Thành phố", "Công an thành phố", "Sở Tài chính thành phố"
        for entry, kind, keys in list(written):
            if keys and keys[-1] == "tinh" and PROVINCE not in keys:
                city = keys[:-1] + ("thanh", "pho")
                written.append((entry, kind, city))
                self._add(city, _Pattern(entry.id, kind, 1))
        generated: list[tuple[AgencyEntry, str, tuple[str, ...]]] = []
        for entry, _kind, keys in written:
            for form in sorted(self._generated(keys)):
                generated.append((entry, "abbreviation", form))
                self._add(form, _Pattern(entry.id, "abbreviation", 1))
        for entry, kind, keys in written + generated:
            for form in self._with_suffixes(entry, keys):
                self._add(form, _Pattern(entry.id, kind, 2))

    # -- matching ---------------------------------------------------------------------------

    def _province_ends(self, toks: list[Token], j: int) -> list[int]:
        """Token indexes where a province name starting at ``j`` may end."""
        ends: list[int] = []
        for prov in self._provinces:
            k = j + len(prov)
            if k <= len(toks) and tuple(t.key for t in toks[j:k]) == prov and not any(t.newline for t in toks[j:k]):
                ends.append(k)
        if j + 2 <= len(toks):
            a, b = toks[j], toks[j + 1]
            if (
                a.is_word and b.is_word and a.capitalised and b.capitalised and not a.newline and not b.newline
                and b.space and not a.key.isdigit() and not b.key.isdigit()
                and not self._head_at(toks, j) and not self._head_at(toks, j + 1)
                and (a.key,) not in self._short_keys and (b.key,) not in self._short_keys
                and not (a.text.isupper() and len(a.text) > 1 and not b.text.isupper())
            ):
                ends.append(j + 2)
        return ends

    def _head_at(self, toks: list[Token], j: int) -> int:
        """Length of the head word ("Sở", "Chi nhánh") at ``j``, 0 when there is none."""
        for head in self._heads:
            got = toks[j : j + len(head)]
            if len(got) == len(head) and all(_same_word(t, h) for t, h in zip(got, head)):
                return len(head)
        return 0

    def _longest_at(self, toks: list[Token], i: int) -> tuple[int, _Pattern, tuple[int, int] | None] | None:
        """Longest gazetteer pattern starting at token ``i``: (end token, pattern, province tokens)."""
        if i > 0 and toks[i - 1].text in "-/" and not toks[i].space and i > 1 and toks[i - 2].is_word:
            return None  # inside a document symbol such as 214/KH-UBND
        best: tuple[int, _Pattern, tuple[int, int] | None] | None = None
        stack: list[tuple[_Node, int, tuple[int, int] | None]] = [(self._root, i, None)]
        n = len(toks)
        while stack:
            node, j, prov = stack.pop()
            if node.pattern is not None and j > i:
                cand = (j, node.pattern, prov)
                if best is None or toks[j - 1].end > toks[best[0] - 1].end or (
                    toks[j - 1].end == toks[best[0] - 1].end and node.pattern.rank < best[1].rank
                ):
                    best = cand
            if j >= n or (j > i and toks[j].newline):
                continue
            tok = toks[j]
            child = node.children.get(tok.key)
            if child is not None:
                stack.append((child, j + 1, prov))
            if j > i and tok.text == "(" and j + 2 < n and toks[j + 2].text == ")":
                inner = toks[j + 1].text
                if len(inner) >= 2 and inner.isupper():
                    stack.append((node, j + 3, prov))  # "Ủy ban nhân dân (UBND) tỉnh"
            place = node.children.get(PROVINCE)
            if place is not None:
                for k in self._province_ends(toks, j):
                    stack.append((place, k, (j, k)))
            num = node.children.get(NUMBER)
            if num is not None and (tok.key.isdigit() or _ROMAN_RE.fullmatch(tok.text)):
                stack.append((num, j + 1, prov))
        if best is not None:
            entry = self.entries[best[1].entry_id]
            if entry.strict_case and not toks[i].text[0].isupper():
                return None
        return best

    def title_at(self, toks: list[Token], j: int) -> int:
        """Length of the head-of-agency title ("Giám đốc", "Chủ tịch") at ``j``, 0 when none."""
        for title in self._titles:
            got = toks[j : j + len(title)]
            if len(got) == len(title) and all(_same_word(t, h) for t, h in zip(got, title)):
                return len(title)
        return 0

    def _proper_soon(self, toks: list[Token], j: int, free: "Callable[[int], bool]") -> bool:
        """A capitalised word (a place: "Cần Thơ", "Thành phố") within three lower-case words from
        ``j``, before any stop phrase: "… và công nghiệp Cần Thơ" is still the name, "… và vùng
        chuyên canh kết nối" is not."""
        for k in range(j, min(j + 4, len(toks))):
            if not free(k) or not toks[k].is_word:
                return False
            if toks[k].capitalised:
                return True
            if self._stop_at(toks, k):
                return False
        return False

    def _stop_at(self, toks: list[Token], j: int) -> bool:
        """A stop phrase ("chủ trì", "là") starts at ``j``: the unknown name ends before it."""
        for phrase in self._stop:
            got = toks[j : j + len(phrase)]
            if len(got) == len(phrase) and all(_same_word(t, w) for t, w in zip(got, phrase)):
                return True
        return False

    def _lower_tail_to_list_end(self, toks: list[Token], j: int, free: "Callable[[int], bool]") -> int | None:
        """End of an unknown name that goes on after "và" in lower case up to the end of its list
        item: at most six lower-case words, none a stop phrase or an opener, then "," or ";"
        before a capitalised word (the next name or a head's title). None otherwise."""
        k = j
        while k < len(toks) and k - j < 7 and free(k) and toks[k].is_word and toks[k].lower \
                and not self._stop_at(toks, k) and toks[k].key not in self._collective_openers:
            k += 1
        if k == j or k - j > 6 or k + 1 >= len(toks) or toks[k].text not in ",;":
            return None
        nxt = toks[k + 1]
        return k if (nxt.is_word and nxt.capitalised and not nxt.newline) else None

    def _guess_at(self, toks: list[Token], i: int, taken: list[bool]) -> int | None:
        """End token of an unknown agency name starting at ``i``: a capitalised head word
        ("Sở", "Ban", "Chi nhánh"...) and a capitalised word, then the rest of the name."""
        first = toks[i].text
        if not first[0].isupper() or (len(first) > 1 and first.isupper()):
            return None  # lower case, or an all-caps heading ("NHIỆM VỤ VÀ GIẢI PHÁP")
        h = self._head_at(toks, i)
        if not h:
            return None
        j = i + h
        n = len(toks)

        def free(k: int) -> bool:
            return k < n and not taken[k] and not toks[k].newline

        if not (free(j) and toks[j].is_word and toks[j].capitalised and not toks[j].key.isdigit()):
            return None
        j += 1
        lower_run = 0
        limit = 12  # words of one unknown name; a second place of its own kind adds its joining words
        while j < n and free(j) and j - i < limit:
            tok = toks[j]
            if tok.is_word and tok.lower:
                if tok.key == "va":
                    k = j + 2 if free(j + 1) and toks[j + 1].key in self._collective_openers else j + 1
                    if free(k) and toks[k].is_word and toks[k].capitalised and not self._head_at(toks, k) \
                            and toks[k].key in {t.key for t in toks[i + h : j] if t.is_word and t.capitalised}:
                        limit += k + 1 - j
                        j = k + 1  # "Ban Quản lý Khu kinh tế X và các Khu công nghiệp Y": a second place of its own kind
                        continue
                    if free(j + 1) and toks[j + 1].capitalised and not self._head_at(toks, j + 1):
                        j += 2
                        continue
                    if free(j + 1) and toks[j + 1].is_word and toks[j + 1].lower and not self._stop_at(toks, j + 1) \
                            and toks[j + 1].key not in self._collective_openers \
                            and self._proper_soon(toks, j + 2, free):
                        j += 2  # "Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ": the name goes on
                        lower_run = 1
                        continue
                    end = self._lower_tail_to_list_end(toks, j + 1, free)
                    if end is not None:
                        return end  # "Cục Quản lý nhà và thị trường bất động sản, Thủ trưởng …"
                    break
                if self._stop_at(toks, j):
                    break
                if tok.key == "tinh":
                    j += 1
                    ends = self._province_ends(toks, j) if free(j) else []
                    return max(ends) if ends else j
                lower_run += 1
                if lower_run > 6:
                    break
                j += 1
            elif tok.is_word and tok.capitalised:
                if self._head_at(toks, j):
                    break
                lower_run = 0
                j += 1
            elif tok.text in ",-" and free(j + 1) and toks[j + 1].is_word and toks[j + 1].capitalised:
                if self._head_at(toks, j + 1) or self.title_at(toks, j + 1):
                    break  # "Sở Ngoại vụ, Ban Dân tộc": a list, not one name
                j += 2  # "Phòng Văn hóa - Xã hội", "Sở Văn hóa, Thể thao ..."
            else:
                break
        return j

    def _scan(self, text: str) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None, list[Token]]]:
        from tracuu.ingest.agencyphrase import phrase_end

        toks = tokenize(text)
        found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]] = []
        taken = [False] * len(toks)
        i = 0
        while i < len(toks):
            hit = self._longest_at(toks, i)
            if hit is None:
                i += 1
                continue
            end, pattern, prov = hit
            found.append((i, end, pattern, prov))
            for k in range(i, end):
                taken[k] = True
            i = end
        i = 0
        while i < len(toks):
            if taken[i]:
                i += 1
                continue
            end = self._guess_at(toks, i, taken)
            # a name the gazetteer lacks, read by its shape (ingest/agencyphrase.py): where the
            # head-word guess reads nothing or less ("Ban Chỉ đạo" of "Ban Chỉ đạo thực hiện Chương trình …")
            shape = phrase_end(toks, i, lambda k, a=i: k < len(toks) and not taken[k] and (k == a or not toks[k].newline))
            if shape is not None and (end is None or shape > end):
                end = shape
            if end is None:
                i += 1
                continue
            found.append((i, end, None, None))
            for k in range(i, end):
                taken[k] = True
            i = end
        i = 0
        while i < len(toks):
            end = None if taken[i] else self._collective_at(toks, i, taken)
            if end is None:
                i += 1
                continue
            found.append((i, end, None, None))
            for k in range(i, end):
                taken[k] = True
            i = end
        found.sort()
        found = self._units_of(toks, found, taken)
        found = self._unit_tail_lists(toks, found)
        found = self._named_places(toks, found, taken)
        found = self._named_persons(toks, found, taken)
        found = self._merge_part_of(toks, found)
        found = self._between_items(toks, found)
        return [(a, b, p, prov, toks) for a, b, p, prov in found]

    def _between_items(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]
                       ) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """"Sở Tư pháp, Đài Phát thanh …, cơ quan thông tấn báo chí và Ủy ban nhân dân xã …": words
        between two names of one list, each side joined by "," or "và", are one more item of it when
        they name a kind of body ([matching].collective_nouns, written in lower case without "các")
        and hold no verb: the kind, what narrows it (at most eight words), and "của" + whose
        ("tổ chức đại diện của người sử dụng lao động")."""
        out = list(found)
        for (_a1, b1, _p1, _v1), (a2, _b2, _p2, _v2) in zip(found, found[1:]):
            if not (b1 < a2 and (toks[b1].text == "," or toks[b1].key == "va")):
                continue
            j = b1 + 1
            k = a2 - 1
            if k <= j or not (toks[k].text == "," or toks[k].key == "va") or any(t.newline for t in toks[b1 : a2 + 1]):
                continue
            n = self._seq_at(toks, j, self._collective)
            if not n or not toks[j].lower:
                continue
            words = toks[j + n : k]
            if len(words) > 8 or any(not t.is_word or not t.lower or t.key.isdigit() for t in words):
                continue
            if any(self._stop_at(toks, x) and toks[x].key != "cua" for x in range(j + n, k)):
                continue
            out.append((j, k, None, None))
        out.sort()
        return out

    def _units_of(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]],
                  taken: list[bool]) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """"Văn phòng UBND cấp xã", "Thanh tra Sở Xây dựng": a unit word of [matching].unit_heads,
        capitalised, right before a known agency is a unit of that agency, one name the gazetteer
        lacks (not the agency itself)."""
        out = []
        for a, b, p, prov in found:
            if p is not None and self.entries[p.entry_id].level != "group":
                for head in self._unit_heads:
                    k = a - len(head)
                    got = toks[k:a] if k >= 0 else []
                    if got and got[0].text[:1].isupper() and not any(taken[x] for x in range(k, a)) \
                            and not any(t.newline for t in toks[k + 1 : a + 1]) \
                            and all(_same_word(t, h) for t, h in zip(got, head)):
                        a, p, prov = k, None, None
                        break
            out.append((a, b, p, prov))
        return out

    def _unit_tail_lists(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]
                         ) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """"Ủy ban nhân dân xã, phường và đặc khu", "Công an phường, xã, đặc khu", "UBND các xã/phường":
        a known name that ends in a kind of local unit ([matching].unit_tails) goes on over the further
        units written after it ("," "và" "/"): since 2025 officials list the units of the commune level
        in any order and any number, and the list is the one body the name already is (its entry is
        kept). A unit followed by a capitalised word names a place ("… và đặc khu Lý Sơn") and ends the
        list before it. What was read inside the grown name (the lone "đặc khu") is dropped."""
        grown: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]] = []
        for a, b, p, prov in found:
            if p is not None and any(b - len(u) >= a and tuple(t.key for t in toks[b - len(u) : b]) == u
                                     for u in self._unit_tails):
                k = b
                while k < len(toks) and not toks[k].newline and (toks[k].text in (",", "/") or toks[k].key == "va"):
                    n = self._seq_at(toks, k + 1, self._unit_tails)
                    nxt = k + 1 + n
                    if not n or toks[k + 1].newline or (nxt < len(toks) and not toks[nxt].newline
                                                        and toks[nxt].is_word and toks[nxt].capitalised):
                        break
                    k = nxt
                b = k
            grown.append((a, b, p, prov))
        return [f for f in grown if not any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0]
                                            for o in grown)]

    def _named_places(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]],
                      taken: list[bool]) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """"Ủy ban nhân dân các xã, phường, đặc khu Lý Sơn": a known name ending in a unit word of
        [matching].place_units, then two to four capitalised words (same line, none a head or a
        title) that visibly end, names that place; the name read so far would drop it. The whole is a name the
        gazetteer lacks (no entry id). The place must visibly end: punctuation, the line's end, "và" or a
        stop phrase ("UBND các xã, phường Triển khai ..." is a name and a capitalised verb)."""
        return self._grown_by_name(
            toks, found, taken,
            lambda a, b, p: any(b - len(u) >= a and tuple(t.key for t in toks[b - len(u) : b]) == u
                                for u in self._place_units),
            lambda k: self._stop_at(toks, k))

    def _named_persons(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]],
                       taken: list[bool]) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """"Giao Phó Thủ tướng Chính phủ Trần Hồng Hà trực tiếp chỉ đạo": a person's title (an entry
        marked ``person``) then two to four capitalised words on the same line that visibly end (as
        :meth:`_named_places` reads a place, or before a lower-case word) is one person, written with
        the name; the whole is a name the gazetteer lacks (no entry id), so two Deputy Prime Ministers
        stay two."""
        return self._grown_by_name(toks, found, taken, lambda a, b, p: self.entries[p.entry_id].person,
                                   lambda k: not toks[k].capitalised)

    def _grown_by_name(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]],
                       taken: list[bool], grows: Callable[[int, int, _Pattern], bool], ends_at: Callable[[int], bool]
                       ) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """Each known name (``grows`` says which) followed by a run of two to four capitalised words
        (:meth:`_capitalised_run`) that visibly ends (the text's or the line's end, punctuation, "và",
        or ``ends_at`` the word after it) takes the run in: a name the gazetteer lacks (no entry id).
        One word is not enough: one capitalised word after a name is as often the next cell of a
        flattened row ("… phường Hằng tháng")."""
        out = []
        for a, b, p, prov in found:
            if p is not None and grows(a, b, p):
                k = self._capitalised_run(toks, b, taken)
                ends = k >= len(toks) or toks[k].newline or not toks[k].is_word or toks[k].key == "va" or ends_at(k)
                if k - b >= 2 and ends:
                    for x in range(b, k):
                        taken[x] = True
                    b, p, prov = k, None, None
            out.append((a, b, p, prov))
        return out

    def _capitalised_run(self, toks: list[Token], b: int, taken: list[bool]) -> int:
        """End of up to four capitalised words from ``b`` on one line, none read yet, a number, a
        head or a title: the words a place ("Lý Sơn") or a person's name may be written in after a
        known name. The caller decides whether the run visibly ends."""
        k = b
        while k < len(toks) and k - b < 4 and not taken[k] and not toks[k].newline and toks[k].is_word \
                and toks[k].capitalised and not toks[k].key.isdigit() and not self._head_at(toks, k) \
                and not self.title_at(toks, k):
            k += 1
        return k

    def _seq_at(self, toks: list[Token], j: int, seqs: list[tuple[str, ...]]) -> int:
        """Length of the first of ``seqs`` (folded keys) written at token ``j`` on one line, else 0."""
        for seq in seqs:
            got = toks[j : j + len(seq)]
            if len(got) == len(seq) and tuple(t.key for t in got) == seq and not any(t.newline for t in got[1:]):
                return len(seq)
        return 0

    def _tail_at(self, toks: list[Token], j: int) -> int:
        """Length of a collective tail at ``j`` ("có liên quan", "thuộc Bộ"); 0 when a tail that ends
        in a capitalised word runs on into a name ("trực thuộc Sở Y tế": the agency it belongs to)."""
        n = self._seq_at(toks, j, self._collective_tails)
        if n and toks[j + n - 1].capitalised and j + n < len(toks) and not toks[j + n].newline \
                and toks[j + n].is_word and toks[j + n].capitalised:
            return 0
        return n

    def _collective_at(self, toks: list[Token], i: int, taken: list[bool]) -> int | None:
        """End token of a collective name the gazetteer lacks: "các" + kinds of bodies joined by
        commas or "và" ("các Sở", "các bộ, cơ quan ngang bộ", "các doanh nghiệp viễn thông" is not:
        only the nouns of [matching].collective_nouns), then an optional tail ("có liên quan",
        "trên địa bàn", "tỉnh", "thành phố")."""
        bare = False
        if toks[i].key in self._collective_openers:
            j = i + 1
        elif i == self._opening_word(toks) and toks[i].capitalised and not toks[i].text.isupper() \
                and self._seq_at(toks, i, self._bare_collective):
            j, bare = i, True  # "a) Doanh nghiệp công nghệ số chủ động …": a kind of body opening a point
        else:
            return None
        n = self._seq_at(toks, j, self._collective)
        if not n or any(taken[k] for k in range(j, j + n)):
            return None
        j += n

        def more_kinds(j: int) -> int:
            while j < len(toks) and not toks[j].newline:
                if toks[j].text == "," or toks[j].key == "va":
                    n = self._seq_at(toks, j + 1, self._collective)
                    if n and not toks[j + 1].newline and not any(taken[k] for k in range(j + 1, j + 1 + n)):
                        j += 1 + n
                        continue
                break
            return j

        j = more_kinds(j)
        q = self._qualifier_at(toks, j, taken)
        j += q
        if q:
            j += self._second_field(toks, j, taken)
        if bare and q:
            j = more_kinds(j)  # "Doanh nghiệp viễn thông, tổ chức bảo đảm …"
        if j < len(toks) and not toks[j].newline:
            t = self._tail_at(toks, j)
            if t and tuple(x.key for x in toks[j : j + t]) in self._assigned_tails:
                t = self._assignment_ref(toks, j + t, taken) - j
            j += t
        if bare and not (j < len(toks) and not toks[j].newline and toks[j].is_word and toks[j].lower
                         and self._stop_at(toks, j) and toks[j].key not in self._bare_not_before):
            return None  # with no "các", only a subject that visibly ends at its verb
        return j

    @staticmethod
    def _opening_word(toks: list[Token]) -> int:
        """Index of the first word of a text after a list marker ("a)", "1.2.", "-", "+"), -1 when
        the text has none on its first line."""
        k = 0
        while k < len(toks) and not toks[k].newline:
            t = toks[k]
            if not t.is_word:
                k += 1
                continue
            nxt = toks[k + 1].text if k + 1 < len(toks) else ""
            if (t.key.isdigit() or len(t.text) == 1) and nxt in (")", "."):
                k += 2  # "a)", "1.", "2.1."
                continue
            return k
        return -1

    def _qualifier_at(self, toks: list[Token], j: int, taken: list[bool]) -> int:
        """Length of the lower-case words that say which bodies of a kind ("các doanh nghiệp viễn
        thông", "cơ quan bảo hiểm xã hội"): at most four words, none a stop phrase, a
        tail or an opener, and the name must visibly end after them (a stop phrase, a tail,
        punctuation, the line's end), so a verb the stop list lacks is never swallowed."""
        n = len(toks)
        k = j
        while k < n and k - j < 5 and not toks[k].newline and not taken[k]:
            tok = toks[k]
            if tok.text == "-" and k > j and k + 1 < n and toks[k + 1].is_word and toks[k + 1].lower:
                k += 1
                continue
            if not (tok.is_word and tok.lower) or tok.key.isdigit() or tok.key in self._collective_openers \
                    or self._stop_at(toks, k) or self._seq_at(toks, k, self._collective_tails):
                break
            k += 1
        if k == j or k - j > 4:
            return 0
        if k < n and not toks[k].newline and toks[k].is_word and not (
                self._stop_at(toks, k) or self._seq_at(toks, k, self._collective_tails)):
            return 0
        if k + 1 < n and toks[k].text == "," and not toks[k + 1].newline:
            nxt = toks[k + 1]  # "… viễn thông, tổ chức, cá nhân": a list of bodies goes on; "cập nhật, kiểm tra" is verbs
            if not (nxt.capitalised or nxt.key in self._collective_openers or self._seq_at(toks, k + 1, self._collective)
                    or self._second_field(toks, k, taken)):
                return 0
        return k - j

    def _assignment_ref(self, toks: list[Token], j: int, taken: list[bool]) -> int:
        """End of where the bodies were given their work, after "được giao (nhiệm vụ)": "Các cơ
        quan được giao nhiệm vụ báo cáo tại khoản 1 Điều này", "… được giao nhiệm vụ trong Kế hoạch
        và tại Phụ lục kèm theo": at most three lower-case words of what was given, then one or more
        references ([matching.assignment_refs]: a link, a part of a text and its number) that end
        by pointing at this text ("này", "kèm theo"). ``j`` when there is none: a plain "được
        giao" keeps its end."""
        n = len(toks)

        def seq(k: int, options: list[tuple[str, ...]]) -> int:
            for o in options:
                got = toks[k : k + len(o)]
                if len(got) == len(o) and all(t.text.lower() == w for t, w in zip(got, o)) \
                        and not any(t.newline or taken[k + i] for i, t in enumerate(got)):
                    return len(o)
            return 0

        for lead in range(4):
            k = j + lead
            if k >= n or any(taken[x] or toks[x].newline or not (toks[x].is_word and toks[x].lower) for x in range(j, k)):
                return j
            ends_at = None
            while k < n and not toks[k].newline and toks[k].text.lower() in self._ref_links:
                k += 1
                parts = 0
                while k < n:
                    m = seq(k, self._ref_parts)
                    if not m:
                        break
                    k += m
                    parts += 1
                    while k < n and not toks[k].newline and toks[k].is_word and (
                            toks[k].key.isdigit() or len(toks[k].text) == 1 or _ROMAN_RE.fullmatch(toks[k].text)):
                        k += 1  # "khoản 1", "điểm a", "mục II"
                if not parts:
                    break
                e = seq(k, self._ref_ends)
                if e:
                    k += e
                    ends_at = k
                if k < n and toks[k].key == "va" and k + 1 < n and toks[k + 1].text.lower() in self._ref_links:
                    k += 1  # "trong Kế hoạch và tại Phụ lục kèm theo"
                    continue
                break
            if ends_at is not None:
                return ends_at
        return j

    def _second_field(self, toks: list[Token], j: int, taken: list[bool]) -> int:
        """Length of ", truyền thông" in "Các cơ quan thông tin, truyền thông của tỉnh:" and of ", NTTS
        thương phẩm" in "Các cơ sở sản xuất giống, NTTS thương phẩm:": after the words that say which
        bodies of a kind, a comma and a second field of the same kind (lower-case words, or an acronym
        and lower-case words; at most four) that visibly ends the name (a colon or ";" or ".", the
        line's end, a tail, a stop phrase). The kind is written once for both fields, so the two are
        one collective; a verb after the comma ("cập nhật, kiểm tra") is a stop phrase or does not
        visibly end, and a second kind of bodies is read by the list of kinds. 0 when none."""
        n = len(toks)
        if not (j + 1 < n and toks[j].text == "," and not toks[j + 1].newline and not taken[j + 1]):
            return 0
        k = j + 1
        first = toks[k]
        acronym = first.text.isupper() and 2 <= len(first.text) <= 6 and first.text.isalpha()
        if not first.is_word or not (first.lower or acronym) or first.key in self._collective_openers \
                or self._stop_at(toks, k) or self._seq_at(toks, k, self._collective) \
                or self._seq_at(toks, k, self._collective_tails):
            return 0
        k += 1
        while k < n and k - j <= 4 and not toks[k].newline and not taken[k] and toks[k].is_word and toks[k].lower \
                and toks[k].key not in self._collective_openers and not self._stop_at(toks, k) \
                and not self._seq_at(toks, k, self._collective_tails):
            k += 1
        if k - j > 4:
            return 0
        ends = k >= n or toks[k].newline or toks[k].text in (":", ";", ".") \
            or bool(self._seq_at(toks, k, self._collective_tails)) \
            or (toks[k].is_word and toks[k].lower and self._stop_at(toks, k))
        return k - j if ends else 0

    def _merge_part_of(self, toks: list[Token], found: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]
                       ) -> list[tuple[int, int, _Pattern | None, tuple[int, int] | None]]:
        """Collective names run on: "các sở, ngành, địa phương có liên quan" (a group name, more
        kinds of bodies after commas or "và", a tail), "các cơ quan, đơn vị trực thuộc Ủy ban nhân
        dân tỉnh" (a group or unknown name, a linking word of [matching].part_of, the agency it
        belongs to). A name that grew by more kinds of bodies is no longer the gazetteer's entry
        (agency id None); one that only took a tail ("các sở ngành liên quan") still is."""
        out: list[tuple[int, int, _Pattern | None, tuple[int, int] | None]] = []
        starts = {f[0]: f for f in found}
        n_toks = len(toks)

        def is_group(p: _Pattern | None) -> bool:
            return p is None or self.entries[p.entry_id].level == "group"

        consumed: set[int] = set()
        covered = [False] * n_toks  # the words of every name read: a reference runs over none
        for fa, fb, _p, _v in found:
            for x in range(fa, fb):
                covered[x] = True
        for a, b, p, prov in found:
            if a in consumed:
                continue
            if not is_group(p):
                out.append((a, b, p, prov))
                continue
            if p is not None or toks[a].key in self._collective_openers:
                grew = False
                while b < n_toks and not toks[b].newline and (toks[b].text == "," or toks[b].key == "va"):
                    nxt = b + 1
                    rel = 0 if grew or p is None or nxt in starts else self._related_after_group(toks, a, b, nxt)
                    if rel:
                        # "Các bộ, cơ quan ngang bộ và cơ quan, tổ chức liên quan": the related bodies
                        # after a group the gazetteer names are a body of their own
                        consumed.update(f[0] for f in found if nxt <= f[0] < rel)
                        out.append((nxt, rel, None, None))
                        break
                    if toks[b].text == "," and nxt in starts and is_group(starts[nxt][2]) \
                            and toks[nxt].key not in self._collective_openers \
                            and starts[nxt][2] is not None and not toks[nxt].text[0].isupper():
                        # a group name inside a run of kinds of bodies ("…, đơn vị, tổ chức chính
                        # trị - xã hội, hội, đoàn thể") is part of it; at the end of a list it is its own
                        e = starts[nxt][1]
                        more = e + 1 < n_toks and toks[e].text == "," and e + 1 not in starts \
                            and self._seq_at(toks, e + 1, self._collective) > 0
                        shared_tail = tuple(t.key for t in toks[max(nxt, e - 2) : e])[-2:] == ("lien", "quan")
                        if more or shared_tail:  # "các sở, ngành, đơn vị có liên quan": the tail is the list's
                            consumed.add(nxt)
                            b, grew = e, True
                            continue
                        break
                    n = self._seq_at(toks, nxt, self._collective) if nxt < n_toks and not toks[nxt].newline else 0
                    if n and nxt not in starts and not toks[nxt].text[0].isupper():
                        b, grew = nxt + n, True
                        continue
                    break
                for _ in range(2):
                    tail = self._tail_at(toks, b) if b < n_toks and not toks[b].newline else 0
                    if not tail or b in starts:
                        break
                    if tuple(x.key for x in toks[b : b + tail]) in self._assigned_tails:
                        tail = self._assignment_ref(toks, b + tail, covered) - b
                    b += tail
                if grew:
                    p = None
            n = self._seq_at(toks, b, self._part_of) if b < n_toks and not toks[b].newline else 0
            if n and (b + n) in starts:
                nxt = starts[b + n]
                consumed.add(nxt[0])
                out.append((a, nxt[1], None, None))
                continue
            out.append((a, b, p, prov))
        return out

    def _related_after_group(self, toks: list[Token], a: int, b: int, j: int) -> int:
        """End token of the related bodies written after a group the gazetteer names ("Ủy ban nhân
        dân các tỉnh, thành phố trực thuộc trung ương, cơ quan, tổ chức khác có liên quan", "Các bộ,
        cơ quan ngang bộ và cơ quan, tổ chức liên quan"): two or more kinds of bodies at ``j`` joined
        by commas or "và", "khác" at most, and a tail that says "liên quan". Such a phrase names the
        bodies concerned, not more kinds of the group, so the group does not grow by it. Only after
        a group of three words or more ("các bộ, cơ quan, tổ chức liên quan" is one run of kinds);
        0 when none."""
        if sum(1 for t in toks[a:b] if t.is_word) < 3:
            return 0
        n_toks = len(toks)
        n = self._seq_at(toks, j, self._collective)
        if not n or toks[j].text[0].isupper():
            return 0
        k, kinds = j + n, 1
        while k + 1 < n_toks and not toks[k].newline and (toks[k].text == "," or toks[k].key == "va"):
            m = self._seq_at(toks, k + 1, self._collective)
            if not m or toks[k + 1].newline:
                break
            k, kinds = k + 1 + m, kinds + 1
        if kinds < 2:
            return 0
        if k < n_toks and not toks[k].newline and toks[k].key == "khac":
            k += 1
        t = self._tail_at(toks, k) if k < n_toks and not toks[k].newline else 0
        if not t or tuple(x.key for x in toks[k : k + t])[-2:] != ("lien", "quan"):
            return 0
        return k + t

    def _mention(self, text: str, toks: list[Token], a: int, b: int, pattern: _Pattern | None,
                 prov_toks: tuple[int, int] | None, with_full: bool) -> AgencyMention:
        start, end = toks[a].start, toks[b - 1].end
        written = text[start:end]
        prov = text[toks[prov_toks[0]].start : toks[prov_toks[1] - 1].end] if prov_toks else None
        if pattern is None:
            folded = fold(written)
            level = None
            if re.search(r"\btinh\b|\bthanh pho\b", folded):
                level = "provincial"
            elif re.search(r"\bxa\b|\bphuong\b|\bdac khu\b", folded):
                level = "local"
            elif toks[a].key in ("bo", "cuc", "vu", "tong"):
                level = "central"
            return AgencyMention(written, start, end, None, level, written,
                                 self.expand_abbreviations(written), "guess", prov)
        entry = self.entries[pattern.entry_id]
        full = self.expand(written) if with_full else written
        return AgencyMention(written, start, end, entry.id, entry.level, entry.canonical(prov), full,
                             pattern.kind, prov)

    def find(self, text: str) -> list[AgencyMention]:
        """Every agency named in ``text`` (NFC-normalised first; offsets are into nfc(text))."""
        text = nfc(text)
        found = [self._mention(text, toks, a, b, p, prov, True) for a, b, p, prov, toks in self._scan(text)]
        shared = self._shared_heads(text)
        if shared:  # "các sở: Tài chính, Y tế" replaces what was read over the same words
            lo = min(a for _, (a, _b) in shared)
            hi = max(m.end for m, _ in shared)
            found = [m for m in found if m.end <= lo or m.start >= hi] + [m for m, _ in shared]
            found.sort(key=lambda m: m.start)
        return found

    def _shared_heads(self, text: str) -> list[tuple[AgencyMention, tuple[int, int]]]:
        """"các sở: Tài chính, Y tế và Nội vụ" names three agencies: each name after the colon is
        read with the head word in front ("Sở Tài chính"), the longest reading the gazetteer knows
        winning ("Sở Văn hóa, Thể thao và Du lịch" is one). Each mention covers the written name."""
        out: list[tuple[AgencyMention, tuple[int, int]]] = []
        for mt in self.shared_head_re.finditer(text):
            word = self._shared_heads_map[mt.group("head").lower()]
            pos = mt.end()
            stop = re.search(r"[;.:\n]|\s(?:chủ trì|phối hợp|thực hiện|có trách nhiệm|chịu trách nhiệm)\b", text[pos:])
            limit = pos + (stop.start() if stop else len(text) - pos)
            while pos < limit and text[pos : pos + 1].isupper():
                seps = [m.start() + pos for m in re.finditer(r",\s*|\s+và\s+", text[pos:limit])] + [limit]
                # the last name may run into the verb after the list ("các Sở: Y tế, Công Thương rà
                # soát …"): a known name may also end at a word boundary before the next separator
                words = [m.start() + pos for m in re.finditer(r"\s+", text[pos:limit])]
                best = None
                for end in sorted(set(seps) | set(words), reverse=True):
                    name = text[pos:end].strip()
                    whole = self._whole(f"{word} {name}") if name else None
                    if whole is not None and whole.agency_id is not None:
                        best = (end, whole)
                        break
                if best is None and self._known_at(text[pos:limit]):
                    break  # "các Sở: Tư pháp, Y tế và Ủy ban nhân dân các xã": a name of its own ends the list
                end = best[0] if best else self._before_stop(text, pos, seps[0])
                name = text[pos:end].strip()
                if not name:
                    break
                full = f"{word} {name}"
                entry = best[1] if best else None
                out.append((AgencyMention(name, pos, pos + len(name), entry.agency_id if entry else None,
                                          entry.level if entry else "provincial" if word == "Sở" else None,
                                          entry.name if entry else full, full,
                                          "shared"), (mt.start(), end)))
                sep = re.match(r",\s*|\s+và\s+", text[end:limit])
                if not sep:
                    break
                pos = end + sep.end()
        return out

    def _known_at(self, text: str) -> bool:
        """``text`` opens with a name the gazetteer knows as written (its own head word included)."""
        hits = self._scan(text)
        return bool(hits) and hits[0][2] is not None and hits[0][4][hits[0][0]].start == 0

    def _before_stop(self, text: str, pos: int, end: int) -> int:
        """Where an unknown name after a shared head ends: before the first stop phrase (a verb,
        "chủ trì" ...) after its first word, else at ``end``."""
        toks = tokenize(text[pos:end])
        for k in range(1, len(toks)):
            if toks[k].is_word and toks[k].lower and self._stop_at(toks, k):
                return pos + toks[k - 1].end
        return end

    def _whole(self, text: str) -> AgencyMention | None:
        """The mention when ``text`` is exactly one agency name, else None."""
        hits = self._scan(text)
        if len(hits) != 1:
            return None
        a, b, p, prov, toks = hits[0]
        if toks[a].start != 0 or toks[b - 1].end != len(text):
            return None
        return self._mention(text, toks, a, b, p, prov, False)

    # -- expansion --------------------------------------------------------------------------

    def expand_abbreviations(self, text: str) -> str:
        """Replace every expandable short form (abbreviations.toml, expand = true) by its full form.

        Two-letter short forms ("UB", "VN", "VP") must be written in capitals to count.
        """
        text = nfc(text)
        toks = tokenize(text)
        out: list[str] = []
        pos = 0
        i = 0
        while i < len(toks):
            for keys, abbr in self._expanders:
                k = i + len(keys)
                if tuple(t.key for t in toks[i:k]) != keys or any(t.newline for t in toks[i + 1 : k]):
                    continue
                if i > 0 and toks[i - 1].text in "-/" and not toks[i].space:
                    continue
                written = text[toks[i].start : toks[k - 1].end]
                if len(abbr.short) <= 2 and written != abbr.short:
                    continue
                out.append(text[pos : toks[i].start])
                out.append(abbr.full)
                pos = toks[k - 1].end
                i = k
                break
            else:
                i += 1
        out.append(text[pos:])
        return "".join(out)

    def expand(self, name: str) -> str:
        """The full name for a name as written.

        Why two steps: the abbreviations are first written out ("UBND các xã, phường" ->
        "Ủy ban nhân dân các xã, phường"); when that is a complete name the gazetteer knows (the
        entry's name or a variant), it is kept as written. Otherwise, when the written name is an
        abbreviation that drops words ("NHCSXH tỉnh"), the entry's canonical name is returned
        ("Chi nhánh Ngân hàng Chính sách xã hội tỉnh"). Unknown names are only written out.
        """
        s = _PAREN_ACRONYM_RE.sub("", collapse_spaces(nfc(name)))
        t = self.expand_abbreviations(s)
        whole_t = self._whole(t)
        if whole_t is not None and whole_t.matched in ("name", "variant"):
            return t
        whole = self._whole(s)
        if whole is not None and whole.agency_id is not None:
            return self.entries[whole.agency_id].canonical(whole.province)
        return t

    # -- scopes, lookups ----------------------------------------------------------------------

    def head_word_tuples(self) -> list[tuple[str, ...]]:
        """The head words of agency names ([matching].head_words), lower case, as word tuples."""
        return self._heads

    def scope_of(self, mention: AgencyMention) -> str | None:
        """The level word a name ends with: "tinh" (tỉnh, cấp tỉnh, a province) or "xa"."""
        folded = fold(mention.text)
        if mention.province or re.search(r"(?:\btinh|\bthanh pho)$", folded):
            return "tinh"
        if re.search(r"(?:cap xa|xa, phuong|dac khu|cac xa)$", folded):
            return "xa"
        return None

    def scoped(self, mention: AgencyMention, scope: str | None) -> AgencyMention:
        """``mention`` read at ``scope`` when its entry has a level-less name ("Ủy ban Mặt trận Tổ
        quốc Việt Nam" followed by "... tỉnh" is the provincial committee); unchanged otherwise."""
        if scope is None or mention.agency_id is None:
            return mention
        target = self.entries[mention.agency_id].scoped.get(scope)
        if target is None:
            return mention
        entry = self.entries[target]
        return replace(mention, agency_id=entry.id, level=entry.level, name=entry.canonical(mention.province))

    def entry(self, agency_id: str) -> AgencyEntry:
        return self.entries[agency_id]

    def abbreviation_pairs(self, kinds: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(short, full) pairs, for search to use in both directions."""
        wanted = set(kinds) if kinds is not None else None
        return [(a.short, a.full) for a in self.abbreviations if wanted is None or a.kind in wanted]


def _same_word(tok: Token, spelled: str) -> bool:
    """``tok`` is the word ``spelled`` (lower case): by spelling when the text carries diacritics
    (tone placement aside: "Uỷ" = "Ủy", but "Quý" != "Quỹ"), by folded key when it is written
    without them ("So Tai chinh")."""
    if not has_diacritics(tok.text):
        return tok.key == fold(spelled)
    return _tone_free(tok.text.lower()) == _tone_free(spelled)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _tone_free(word: str) -> tuple[str, tuple[str, ...]]:
    """A word as (letters without tone marks, tone marks): the old and new tone placements
    ("hoá"/"hóa", "uỷ"/"ủy") give the same pair."""
    nfd = unicodedata.normalize("NFD", word)
    return "".join(c for c in nfd if c not in _TONES), tuple(c for c in nfd if c in _TONES)


@lru_cache(maxsize=4)
def load_gazetteer(agencies_path: Path | None = None, abbreviations_path: Path | None = None) -> Gazetteer:
    """The gazetteer from the data files (cached: the files are read once per process)."""
    a = tomllib.loads((agencies_path or AGENCIES_FILE).read_text(encoding="utf-8"))
    b = tomllib.loads((abbreviations_path or ABBREVIATIONS_FILE).read_text(encoding="utf-8"))
    return Gazetteer(a, b)


def find_agencies(text: str) -> list[AgencyMention]:
    """Every agency named in ``text``, in order, longest name first at each place."""
    return load_gazetteer().find(text)


def expand(name: str) -> str:
    """The full name of an agency name as written (see :meth:`Gazetteer.expand`)."""
    return load_gazetteer().expand(name)


def expand_abbreviations(text: str) -> str:
    """``text`` with its unambiguous abbreviations written out."""
    return load_gazetteer().expand_abbreviations(text)
