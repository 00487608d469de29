"""A province or city named as the one who acts stands for its People's Committee.

Why: the Government and its Office write to provinces by their names. A notice of conclusions says
"Các tỉnh A, B, C khẩn trương hoàn thiện …", "Thành phố X và các tỉnh
Y, Z đẩy nhanh …", "Để …, tỉnh A cần tiếp tục thực hiện …" (shapes; the tests use made-up provinces), and calls the
province it worked with "Tỉnh" ("Tỉnh căn cứ …"). The one who acts is the
province's People's Committee, as a head of agency stands for the agency ("Giám đốc Sở Y tế" is
"Sở Y tế"). The gazetteer reads no body in a bare place, so these subjects were lost.

Only a place that opens a subject is read: at the start of the text or of a sentence or clause
(after "." ";" ":" or a comma), after the words that hand out work ("giao", "yêu cầu", "đề nghị"),
or as the next item of such a list (", tỉnh B", "và các tỉnh C"); and only when the list
is followed by a lower-case word that is no place phrase and no report of what was done ("của",
"trên", "đã", "là" …: ``[place_subjects].not_after`` in ``ingest/data/place_subjects.toml``). So
"kiến nghị của tỉnh A", "trên địa bàn tỉnh", "Tỉnh A (mới) có quy mô …" and "Tỉnh đã
hoàn thành …" stay places. A mention is shown as the committee it stands for ("Ủy ban nhân dân
tỉnh A"; a bare "Tỉnh": "Ủy ban nhân dân tỉnh"), as a shared head's agency is.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.agencies import AgencyMention, Gazetteer
from tracuu.ingest.vntext import fold, nfc

_DATA = Path(__file__).resolve().parent / "data" / "place_subjects.toml"
_COMMITTEE = "ubnd-tinh"


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(_DATA.read_text(encoding="utf-8")).get("place_subjects", {})


@lru_cache(maxsize=1)
def _words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = _data()

    def folded(key: str) -> tuple[str, ...]:
        return tuple(sorted({fold(nfc(w)).strip() for w in data.get(key, []) if w.strip()}, key=lambda w: (-len(w), w)))

    return folded("hand_out"), folded("not_after"), folded("not_before")


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """The centrally-run cities (``[place_subjects].cities``): one named bare in a list is a
    "thành phố", not a "tỉnh" ("Ủy ban nhân dân các tỉnh, thành phố: A, Hải Phòng")."""
    return frozenset(fold(nfc(c)).strip() for c in _data().get("cities", []))


# "Ủy ban nhân dân các tỉnh:", "UBND các tỉnh, thành phố:", "Chủ tịch Ủy ban nhân dân các tỉnh, thành
# phố trực thuộc Trung ương:" -- a collective of provinces whose colon opens the list of those meant
_PROVINCES_COLLECTIVE = re.compile(r"\bcac (?:tinh|thanh pho)(?:\s*,\s*thanh pho)?(?: truc thuoc trung uong)?$")


def _names_the_list(m: AgencyMention, text: str, first: int) -> bool:
    """Whether ``m``, a collective of provinces, is written just before a colon that opens the
    list of places starting at ``first``: the places it names are the ones who act, not all."""
    return m.end <= first and re.fullmatch(r"\s*:\s*", text[m.end:first]) is not None \
        and _PROVINCES_COLLECTIVE.search(fold(m.text).strip()) is not None


@lru_cache(maxsize=4)
def _place_re(places: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    # "tỉnh Đắk Lắk", "Thành phố Hà Nội", "các tỉnh Bắc Ninh", "Các tỉnh Nghệ An", "Thành phố Hồ Chí Minh"
    return re.compile(r"(?:(?:[Cc]ác\s+)?(?:[Tt]ỉnh|[Tt]hành phố)\s+)?(?:" + names + r")(?!\w)")


_BARE = re.compile(r"Tỉnh(?=\s+[a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ])")
_LIST_SEP = re.compile(r"\s*,\s*|\s+và\s+")


def _opens_subject(text: str, at: int, hand_out: tuple[str, ...]) -> bool:
    """Whether a subject may begin at ``at``: the text's start (after a marker such as "3. " or
    "a) "), after a sentence or clause mark, or after the words that hand out work."""
    before = text[:at].rstrip()
    if not before or re.fullmatch(r"\s*(?:\(?[a-zđ0-9]{1,3}[.)]|-|\+|•)", before):
        return True
    if before[-1] in ".;:,":
        return True
    f = fold(before)
    return any(f.endswith(" " + w) or f == w for w in hand_out)


def _acts_after(text: str, at: int, not_after: tuple[str, ...]) -> bool:
    """Whether a lower-case word follows at ``at`` that is no place phrase ("của", "trên") and no
    report of what was done ("đã", "là")."""
    m = re.match(r"\s+(\S+(?:\s+\S+)?)", text[at:])
    if m is None or not m.group(1)[:1].islower():
        return False
    f = fold(m.group(1))
    return not any(f == w or f.startswith(w + " ") for w in not_after)


def _bare_collective(m: AgencyMention) -> bool:
    """"các tỉnh" read by the gazetteer as a guessed collective: before a list of places it is
    the level word of that list ("các tỉnh Bắc Ninh, Gia Lai")."""
    return m.matched == "guess" and m.agency_id is None and fold(m.text) in ("cac tinh", "cac thanh pho")


def with_place_subjects(text: str, mentions: list[AgencyMention], g: Gazetteer) -> list[AgencyMention]:
    """``mentions`` with the provinces ``text`` names as the ones who act, each read as its
    People's Committee (a guessed "các tỉnh" before the places gives way to them); none overlaps
    another name the gazetteer read."""
    entry = g.entries.get(_COMMITTEE)
    if entry is None:
        return mentions
    hand_out, not_after, not_before = _words()
    taken = [(m.start, m.end) for m in mentions if not _bare_collective(m)]

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    def mention(written: str, start: int, place: str | None, level: str = "tỉnh") -> AgencyMention:
        if place is None:
            full = "Ủy ban nhân dân tỉnh"
        elif place.startswith("Thành phố"):
            full = f"Ủy ban nhân dân {place}"
        else:
            full = f"Ủy ban nhân dân {level} {place}"
        return AgencyMention(written, start, start + len(written), entry.id, entry.level, entry.name, full,
                             "shared", place)

    places = _place_re(tuple(g.province_names))
    level_re = re.compile(r"(?:[Cc]ác\s+)?([Tt]ỉnh|[Tt]hành phố)\s+")
    out: list[AgencyMention] = []
    pos = 0
    while (m := places.search(text, pos)) is not None:
        pos = m.end()
        if not free(m.start(), m.end()) or not _opens_subject(text, m.start(), hand_out):
            continue
        if any(fold(text[: m.start()].rstrip()).endswith(" " + w) for w in not_before):
            continue
        items = [m]
        end = m.end()
        while (sep := _LIST_SEP.match(text, end)) is not None:
            nxt = places.match(text, sep.end())
            if nxt is None or not free(nxt.start(), nxt.end()):
                break
            items.append(nxt)
            end = nxt.end()
        first_level = level_re.match(m.group())
        if not (first_level or len(items) > 1) or not _acts_after(text, end, not_after):
            continue  # a bare place name alone ("Nghệ An khẩn trương …") is too weak a signal
        level = first_level.group(1).lower() if first_level else "tỉnh"
        for it in items:
            own = level_re.match(it.group())
            if own is not None:
                level = own.group(1).lower()
            place = it.group()[own.end():] if own is not None else it.group()
            # a city named bare in a list ("các tỉnh, thành phố: A, Hải Phòng") is a city
            its_level = "thành phố" if own is None and fold(place).strip() in _cities() else level
            out.append(mention(it.group(), it.start(), place, its_level))
            taken.append((it.start(), it.end()))
        pos = end
    for b in _BARE.finditer(text):
        if free(b.start(), b.end()) and _opens_subject(text, b.start(), hand_out) \
                and not re.match(r"\s+(?:ủy|uỷ|đoàn)\b", text[b.end():]) and _acts_after(text, b.end(), not_after):
            out.append(mention(b.group(), b.start(), None))
            taken.append((b.start(), b.end()))
    if not out:
        return mentions
    # "Ủy ban nhân dân các tỉnh: A, B, C đẩy nhanh …": the colon list says which provinces; the
    # collective before it gives way to their committees
    kept = [m for m in mentions if not (_bare_collective(m) and any(o.start <= m.start < o.end for o in out))
            and not any(_names_the_list(m, text, o.start) for o in out)]
    return sorted(kept + out, key=lambda x: x.start)
