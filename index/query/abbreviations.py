"""Abbreviations in queries, expanded in both directions.

Why: documents write "Ngân hàng Chính sách xã hội" in one place and "NHCSXH" in the next; an
official types whichever comes to mind, often lowercase ("nhcsxh", "ubnd"). A query with either
form should reach passages with the other, so each query is also searched with the short forms
replaced by the long ones and the long ones by the short ones.

The table is data (``index/data/query_abbreviations.toml``), extended at load time with the
agency gazetteer (``ingest/data/agencies.toml``, ``ingest/data/abbreviations.toml``) when those
files exist. Matching is on folded tokens and blind to separators, so "CT-XH", "ct xh" and
"Ngan hang chinh sach xa hoi" all match; a short form that is itself a Vietnamese word ("TU"
for Tỉnh ủy) matches only in capitals, so the syllable "tu" in a query is left alone.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Literal

from tracuu.ingest.vntext import fold, nfc

from . import table_cache
from .syllables import candidates

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parent.parent.parent
QUERY_ABBREVIATIONS_FILE = _ROOT / "index" / "data" / "query_abbreviations.toml"
#: Files of the agency gazetteer, read when present (another module owns them; never required).
GAZETTEER_FILES = (_ROOT / "ingest" / "data" / "agencies.toml", _ROOT / "ingest" / "data" / "abbreviations.toml")

_TOKEN_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+")
_JOINERS = "-/&."
_SYMBOL_CHAR_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ/&.\-]")

Kind = Literal["short", "long"]


@dataclass(frozen=True)
class Abbreviation:
    """One abbreviation: its short forms and long forms, first of each = preferred."""

    short: tuple[str, ...]
    long: tuple[str, ...]
    source: str = "query_abbreviations.toml"


@dataclass(frozen=True)
class AbbreviationMatch:
    """Where a short or long form occurs in a query."""

    start: int
    end: int
    surface: str
    kind: Kind
    entry: Abbreviation
    embedded: bool = False  # a short form inside a document symbol: 39-CT/TW, 214/KH-UBND

    @property
    def other_forms(self) -> tuple[str, ...]:
        """The forms to search with besides the one typed."""
        return self.entry.long if self.kind == "short" else self.entry.short


@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[str, ...]
    entry: Abbreviation
    kind: Kind
    caps_only: bool


def _key(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in _TOKEN_RE.findall(nfc(text)))


class AbbreviationTable:
    """Short <-> long forms with folded, longest-first matching."""

    def __init__(self, entries: Iterable[Abbreviation]) -> None:
        self.entries: list[Abbreviation] = []
        self._by_first: dict[str, list[_Pattern]] = {}
        seen: set[tuple[tuple[str, ...], Kind]] = set()
        for entry in entries:
            self.entries.append(entry)
            for kind, forms in (("short", entry.short), ("long", entry.long)):
                keys = [_key(f) for f in forms]
                if kind == "short":  # "CT-XH" is also typed "CTXH"
                    keys += [("".join(k),) for k in keys if len(k) > 1]
                for key in keys:
                    if not key or (key, kind) in seen:
                        continue
                    seen.add((key, kind))  # type: ignore[arg-type]
                    caps_only = kind == "short" and all(candidates(t) for t in key)
                    self._by_first.setdefault(key[0], []).append(_Pattern(key, entry, kind, caps_only))  # type: ignore[arg-type]
        for pats in self._by_first.values():
            pats.sort(key=lambda p: -len(p.tokens))

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, query: str) -> list[AbbreviationMatch]:
        """Non-overlapping matches, leftmost-longest, in query order."""
        text = nfc(query)
        toks = [(m.start(), m.end(), m.group(0), fold(m.group(0))) for m in _TOKEN_RE.finditer(text)]
        out: list[AbbreviationMatch] = []
        i = 0
        while i < len(toks):
            hit = None
            for pat in self._by_first.get(toks[i][3], ()):
                n = len(pat.tokens)
                if tuple(t[3] for t in toks[i : i + n]) != pat.tokens:
                    continue
                if pat.caps_only and not all(t[2].isupper() for t in toks[i : i + n]):
                    continue
                hit = pat
                break
            if hit is None:
                i += 1
                continue
            n = len(hit.tokens)
            start, end = toks[i][0], toks[i + n - 1][1]
            embedded = hit.kind == "short" and _is_embedded(text, start, end)
            out.append(AbbreviationMatch(start, end, text[start:end], hit.kind, hit.entry, embedded))
            i += n
        return out

    def expand(self, query: str) -> list[str]:
        """``query``, then with short forms spelled out, then with long forms abbreviated.

        Distinct strings only: a query without abbreviations gives ``[query]``.
        """
        text = nfc(query)
        matches = self.find(text)
        if not matches:
            return [text]
        longer = _rewrite(text, matches, "short", lambda m: m.entry.long[0])
        shorter = _rewrite(text, matches, "long", lambda m: m.entry.short[0])
        return list(dict.fromkeys([text, longer, shorter]))

    def annotate(self, query: str) -> str:
        """``query`` with each short form followed by its long form in brackets.

        For the dense retriever: it sees both the abbreviation the passages may use and the
        words that carry its meaning. "NHCSXH tỉnh" -> "NHCSXH (Ngân hàng Chính sách xã hội) tỉnh".
        """
        text = nfc(query)
        inserts: dict[int, list[str]] = {}
        for m in self.find(text):
            if m.kind != "short":
                continue
            at = _symbol_end(text, m.end) if m.embedded else m.end
            inserts.setdefault(at, []).append(m.entry.long[0])
        return _insert(text, inserts)


def _is_embedded(text: str, start: int, end: int) -> bool:
    before = start >= 2 and text[start - 1] in _JOINERS and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] in _JOINERS and text[end + 1].isalnum()
    return before or after


def _symbol_end(text: str, pos: int) -> int:
    while pos < len(text) and _SYMBOL_CHAR_RE.match(text[pos]) and not (
        text[pos] in _JOINERS and (pos + 1 >= len(text) or not text[pos + 1].isalnum())
    ):
        pos += 1
    return pos


def _insert(text: str, inserts: dict[int, list[str]]) -> str:
    out, last = [], 0
    for at in sorted(inserts):
        out.append(text[last:at])
        out.append(" (" + "; ".join(dict.fromkeys(inserts[at])) + ")")
        last = at
    out.append(text[last:])
    return "".join(out)


def _rewrite(text: str, matches: list[AbbreviationMatch], kind: Kind, repl: Any) -> str:
    """Replace matches of ``kind``; embedded short forms are annotated after their symbol instead."""
    out, last = [], 0
    inserts: dict[int, list[str]] = {}
    for m in matches:
        if m.kind != kind:
            continue
        if m.embedded:
            inserts.setdefault(_symbol_end(text, m.end), []).append(repl(m))
            continue
        out.append(text[last : m.start])
        out.append(repl(m))
        last = m.end
    out.append(text[last:])
    rewritten = "".join(out)
    if not inserts:
        return rewritten
    # embedded matches never overlap replaced ones (a symbol holds only short forms), so shift
    # their positions by the length change of the replacements made before them
    shifted: dict[int, list[str]] = {}
    for at, forms in inserts.items():
        delta = sum(len(repl(m)) - (m.end - m.start) for m in matches if m.kind == kind and not m.embedded and m.end <= at)
        shifted[at + delta] = forms
    return _insert(rewritten, shifted)


# ---------------------------------------------------------------------- loading


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


_SHORT_KEYS = ("short", "abbreviations", "abbreviation", "abbr", "abbrs", "viet_tat")
_LONG_KEYS = ("long", "full", "name", "canonical", "ten")


def entries_from_toml(data: dict[str, Any], source: str) -> list[Abbreviation]:
    """Abbreviations from a parsed TOML file of any reasonable shape.

    Accepts tables/arrays of tables with a short-form key (short, abbreviations, abbr, …) and a
    long-form key (long, full, name, …) — the shape of this module's file, of
    ingest/data/abbreviations.toml and of the agency gazetteer — and flat
    ``"UBND" = "Ủy ban nhân dân"`` tables. Entries of ``kind = "title"`` (signature words such
    as "CT" = Chủ tịch, ambiguous in a query) and forms with ``{placeholders}`` are skipped.
    """
    out: list[Abbreviation] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, dict):
            short = next((_as_list(node[k]) for k in _SHORT_KEYS if k in node and _as_list(node[k])), [])
            long = next((_as_list(node[k]) for k in _LONG_KEYS if k in node and _as_list(node[k])), [])
            if short and long:
                if node.get("kind") == "title":  # CT, KT., TT.: ambiguous out of a signature block
                    return
                short = [nfc(s) for s in short if "{" not in s]  # {tinh} placeholders: not for queries
                long = [nfc(s) for s in long if "{" not in s]
                if short and long:
                    out.append(Abbreviation(tuple(short), tuple(long), source))
                return
            flat = {k: v for k, v in node.items() if isinstance(v, str)}
            if flat and len(flat) == len(node) and all(k.isupper() or "/" in k or "-" in k for k in flat):
                out.extend(Abbreviation((nfc(k),), (nfc(v),), source) for k, v in flat.items())
                return
            for v in node.values():
                walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node:
                walk(v, depth + 1)

    walk(data, 0)
    return out


def load_table(paths: Iterable[Path] | None = None) -> AbbreviationTable:
    """The table from ``paths`` (default: this module's file, then the gazetteer files if present).

    A missing or broken gazetteer is logged and skipped: query expansion must never fail a search.
    """
    if paths is None:
        paths = (QUERY_ABBREVIATIONS_FILE, *GAZETTEER_FILES)
    entries: list[Abbreviation] = []
    for path in paths:
        if not path.exists():
            if path == QUERY_ABBREVIATIONS_FILE:
                log.warning("abbreviation table %s not found: no query expansion", path)
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            log.warning("cannot read abbreviations from %s: %s", path, exc)
            continue
        entries.extend(entries_from_toml(data, path.name))
    return AbbreviationTable(entries)


def _entries_plain(entries: list[Abbreviation]) -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    return [(e.short, e.long, e.source) for e in entries]


def _entries_of(plain: Any) -> list[Abbreviation]:
    return [Abbreviation(tuple(short), tuple(long), str(source)) for short, long, source in plain]


@lru_cache(maxsize=1)
def default_table() -> AbbreviationTable:
    """The shared table, loaded once per process; its entries (read from this module's file and
    the gazetteer's) are stored between processes by :mod:`index.query.table_cache`, keyed by
    those files and the code that reads them."""
    entries = table_cache.cached(
        "abbreviations",
        (Path(__file__).resolve(), Path(nfc.__code__.co_filename).resolve(), QUERY_ABBREVIATIONS_FILE, *GAZETTEER_FILES),
        lambda: load_table().entries, encode=_entries_plain, decode=_entries_of)
    return AbbreviationTable(entries)


def find_abbreviations(query: str, table: AbbreviationTable | None = None) -> list[AbbreviationMatch]:
    """Short and long forms found in ``query``."""
    return (table or default_table()).find(query)


def expand_query(query: str, table: AbbreviationTable | None = None) -> list[str]:
    """``query`` and its variants with abbreviations expanded / contracted (see :meth:`AbbreviationTable.expand`)."""
    return (table or default_table()).expand(query)


def annotate(query: str, table: AbbreviationTable | None = None) -> str:
    """``query`` with long forms in brackets after short ones (see :meth:`AbbreviationTable.annotate`)."""
    return (table or default_table()).annotate(query)
