"""A kind of bodies named by what they do: "các tổ chức cung cấp dịch vụ chi trả", "các cơ quan
quản lý NTTS", "cơ quan quản lý nhà nước", "các tổ chức hỗ trợ".

Why: partner lists and subjects often name no body but a kind of them, and officials narrow a
vague kind ("các tổ chức", "các cơ quan", "đơn vị") by the work those bodies do: a verb that,
after such a noun, names a function ("quản lý", "cung cấp", "sản xuất", "nghiên cứu", "hỗ trợ")
and its object. The gazetteer reads the kind alone, or stops inside the function ("các tổ chức
cung cấp"), so the partner "các tổ chức cung cấp dịch vụ chi trả" came out as "các tổ chức cung
cấp" and "các cơ quan quản lý NTTS" as "các cơ quan": another body than the one written.

The rule: a collective mention whose last kind noun is a vague one ([kinds].heads) and that is
followed, on the same line, by a function verb ([kinds].verbs) takes that verb and its object:
at most [kinds].max_object_words words in lower case (or an acronym in capitals: "NTTS"), and
the name must visibly end after them: punctuation, the line's end, a verb or role word of the
sentence (the task's own work: "… chi trả thực hiện mở tài khoản"), or a word of scope
("trong", "tại", "về" …). Otherwise nothing changes, so an unknown verb is never swallowed.
"tổ chức" without "các"/"những" is left alone: it is as often the verb ("tổ chức đào tạo").
Word lists in ``ingest/data/agency_phrases.toml`` ([kinds]).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.agencies import AgencyMention, Gazetteer
from tracuu.ingest.vntext import fold, nfc

DATA_FILE = Path(__file__).resolve().parent / "data" / "agency_phrases.toml"

__all__ = ["with_function"]


def _phrase_re(phrases: list[str]) -> str:
    keys = sorted({" ".join(nfc(p).lower().split()) for p in phrases if p.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + ")"


@lru_cache(maxsize=2)
def _words(path: Path = DATA_FILE) -> tuple[re.Pattern[str], re.Pattern[str], int, frozenset[str]]:
    """(kind head + function verb at the end of a name or right after it, what ends the object,
    most object words, heads that need an opener)."""
    d = tomllib.loads(path.read_text(encoding="utf-8")).get("kinds", {})
    heads = _phrase_re(list(d.get("heads", [])))
    verbs = _phrase_re(list(d.get("verbs", [])))
    head_verb = re.compile(r"(?<!\w)(?P<head>" + heads + r")(?:\s+(?P<verb>" + verbs + r"))?(?!\w)")
    stops = re.compile(r"(?<!\w)" + _phrase_re(list(d.get("object_stop", []))) + r"(?!\w)")
    needs_opener = frozenset(fold(w) for w in d.get("heads_need_opener", []))
    return head_verb, stops, int(d.get("max_object_words", 5)), needs_opener


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def _is_collective(m: AgencyMention, g: Gazetteer) -> bool:
    if m.agency_id is None:
        return True
    entry = g.entries.get(m.agency_id)
    return entry is not None and entry.level == "group"


def with_function(m: AgencyMention, text: str, mentions: list[AgencyMention], g: Gazetteer,
                  stop: re.Pattern[str]) -> AgencyMention:
    """``m`` grown by the function its vague kind is narrowed by (see the module doc); ``stop`` is
    the sentence's verbs and role words, written in lower case. ``m`` itself when nothing grows."""
    if not _is_collective(m, g):
        return m
    head_verb, object_stop, most, needs_opener = _words()
    lower = text.lower()
    # the last vague kind noun of the name, and the function verb after it (inside the name or right after)
    last = None
    for mt in head_verb.finditer(lower, m.start, min(len(lower), m.end + 40)):
        if mt.start() >= m.end:
            break
        last = mt
    if last is None:
        return m
    head_end = last.end("head")
    if text[last.start("head") : head_end].strip() and lower[head_end : m.end].strip() and last.group("verb") is None:
        return m  # the name goes on past its kind noun with words of its own ("các cơ quan, đơn vị liên quan")
    if fold(last.group("head")) in needs_opener \
            and not re.search(r"(?<!\w)(?:cac|nhung)\s", fold(text[m.start : last.start("head")])):
        return m  # "tổ chức" alone is as often the verb
    if last.group("verb") is None:
        return m
    pos = last.end("verb")
    if pos < m.end:
        if lower[pos : m.end].strip():
            return m  # the name already holds more than the verb: the gazetteer's own reading stands
    starts = {o.start for o in mentions if o is not m}
    end = pos
    k = pos
    for n in range(most + 1):
        gap = re.match(r"[ \t]+", text[k:])
        if gap is None:
            break  # punctuation or the line's end: the name visibly ends here
        at = k + gap.end()
        if stop.match(lower, at) or object_stop.match(lower, at) or at in starts:
            break
        w = _WORD.match(text, at)
        if w is None or n == most:
            return m  # a number or too long a run: no visible end, nothing swallowed
        word = w.group()
        if not (word.islower() or (len(word) > 1 and word.isupper())):
            return m  # a capitalised word: another name, or a sentence going on
        end = k = w.end()
    if end <= m.end:
        return m
    written = text[m.start : end]
    return replace(m, text=written, end=end, full=g.expand_abbreviations(written))
