"""The places a stored document is about, from everything known of it, not its header alone.

Why: a question naming a locality ("… ở Nghệ An", "Hà Nội …") is scoped to the documents about
that locality, and a clause answers it only when its document names the place. The header's
issuer ("Ủy ban nhân dân tỉnh Nghệ An") says so for a document kept whole; a text kept from its
body (a crawler's excerpt, an appendix) has no header, and its place is only in what else is
known of it: its file name or id ("05-kh987-nghean-…", "ha-noi"), its title, its first lines
("Hà Nội, ngày …", "UBND tỉnh Nghệ An"). Read with the header alone, such a document is never
searched when a place is named, and its clauses are judged not to answer a question naming the
place it is about.

Central bodies (Thủ tướng, Chính phủ, Bộ …) sign in Hà Nội: the place of their signature line is
not what their documents are about, so it is not read for them.

Pure; place names from index/query/places.py (folded, matched as whole words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from tracuu.index.query.places import named_places, place_names
from tracuu.ingest.vntext import fold

#: Folded openings of a central issuer: its signature place is the capital, not its subject.
CENTRAL = ("thu tuong", "chinh phu", "bo ", "van phong chinh phu", "quoc hoi", "ban ")
#: Characters of a document's opening read for its place ("Hà Nội, ngày …", "UBND tỉnh X").
FIRST_CHARS = 400
_ID_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _id_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(folded place, pattern finding it in a folded file name or id, its syllables joined or
    separated by - _ . or a space: "nghean", "nghe-an", "ha_noi")."""
    out = []
    for name in place_names():
        syllables = _ID_WORD.findall(fold(name))
        if not syllables:
            continue
        body = r"[-_. ]?".join(re.escape(s) for s in syllables)
        out.append((" ".join(syllables), re.compile(rf"(?<![a-z0-9]){body}(?![a-z])")))
    return tuple(out)


def id_places(*names: str | None) -> set[str]:
    """Folded places a file name or doc id spells ("05-kh987-nghean-5g" -> {"nghe an"})."""
    found: set[str] = set()
    for name in names:
        text = fold(name or "")
        if not text:
            continue
        for place, rx in _id_patterns():
            if rx.search(text) and not any(place in f for f in found):
                found.add(place)
    return found


def is_central(issuer: str | None) -> bool:
    """The issuer is a central body (its documents are not about the place it signs in)."""
    return fold(issuer or "").startswith(CENTRAL)


def local_place(issuer: str | None) -> str | None:
    """The locality of a local authority issuer, folded: the last two words of "Ủy ban nhân dân
    tỉnh Bình Sơn" ("binh son"), a place the gazetteer may not list."""
    folded = " ".join(_ID_WORD.findall(fold(issuer or "")))
    if folded.startswith(("uy ban nhan dan", "ubnd")) and len(folded.split()) >= 5:
        return " ".join(folded.split()[-2:])
    return None


def document_places(issuer: str | None = None, written_places: tuple[str | None, ...] = (),
                    title: str | None = None, names: tuple[str | None, ...] = (),
                    opening: Callable[[], str | None] | None = None) -> set[str]:
    """Folded places a document is about: the locality of a local issuer, the places its header
    writes (signature place, "Hà Nội, ngày …"), its title and its file name or id; when none of
    them names a place, its opening lines (``opening``: read only then). For a central issuer
    only its title and names count (it signs in the capital)."""
    places: set[str] = set()
    central = is_central(issuer)
    own = local_place(issuer)
    if own:
        places.add(own)
    texts = [title] if central else [issuer, title]
    for text in texts:
        if text:
            places.update(named_places(text))
    if not central:
        for written in written_places:
            words = _ID_WORD.findall(fold(written or ""))
            if len(words) >= 2 and "ngay" not in words:  # "Hà Nội", not a lone "Minh" or a date
                places.update(named_places(written or "") or {" ".join(words[-3:] if words[0] in ("thanh", "tinh")
                                                                        else words)})
    places |= id_places(*names)
    if not places and opening is not None and not central:
        places.update(named_places((opening() or "")[:FIRST_CHARS]))
    return {p for p in places if p}


def name_words(*names: str | None) -> str:
    """The words of a file name or doc id, folded, without its numbers and codes
    ("05-kh987-nghean-5g-iot-kcn.txt" -> "nghean 5g iot kcn"): what whoever saved a text kept
    without its header wrote about it, read as its title. Tokens carrying digits other than a
    leading one ("kh987", "2025") are numbers, not words; "5g" is a word. The extension goes."""
    out: list[str] = []
    for name in names:
        stem = re.sub(r"\.[a-z0-9]{2,4}$", "", fold(name or ""))
        for token in _ID_WORD.findall(stem):
            if token.isdigit() or re.search(r"[a-z]\d|\d{2,}", token) or token in out:
                continue
            out.append(token)
    return " ".join(out)
