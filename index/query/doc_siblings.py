"""Documents of the same kind: two provinces' plans carrying out the same directive.

Why: every province issues its own plan for one Chỉ thị, with the same title but for its place,
and often the same clauses. A question naming no place, number or issuer ("Cơ quan nào tham
mưu UBND tỉnh theo dõi việc thực hiện kế hoạch tín dụng chính sách xã hội?") is then asked of
all of them alike: the clause retrieval ranks first is one coin toss among equally good
answers, and quoting it alone silently answers for one province. Such documents are told here,
so that the answer can be given per document, each clearly named (api/ask_service.py).

Two documents are of the same kind when they have the same type and the shorter title's words,
places left out, are nearly all in the longer one ("Kế hoạch triển khai Chỉ thị 39 … " and
"Kế hoạch triển khai Chỉ thị 39 và Quyết định 1560 … trên địa bàn tỉnh Bình Sơn"). Plans of one
province on different subjects share the generic words ("triển khai thực hiện", "nâng cao hiệu
quả") but not enough of them: on the 58 documents of the tune and fresh sets the share falls
from 0.95 (the same-subject pairs) to 0.76 and below.

Pure; place names from index/query/places.py.
"""

from __future__ import annotations

from typing import Iterable

from tracuu.index.keyword import folded_syllables
from tracuu.index.query.places import named_places
from tracuu.ingest.vntext import fold

#: Share of the shorter title's words the longer one must hold.
MIN_SHARE = 0.9
#: A title shorter than this (in words, places left out) says too little to match on.
MIN_WORDS = 8


def title_words(title: str | None) -> frozenset[str]:
    """The folded syllables of a title, without the places it names (its province is what
    tells same-kind documents apart, not what makes them alike)."""
    words = set(folded_syllables(title or ""))
    for place in named_places(title or ""):
        words -= set(place.split())
    return frozenset(words)


def same_kind(a: tuple[str | None, str | None], b: tuple[str | None, str | None],
              min_share: float = MIN_SHARE, min_words: int = MIN_WORDS) -> bool:
    """Are documents ``a`` and ``b`` (each (type, title)) of the same kind?"""
    (type_a, title_a), (type_b, title_b) = a, b
    if not type_a or fold(type_a).strip() != fold(type_b or "").strip():
        return False
    return _alike(title_words(title_a), title_words(title_b), min_share, min_words)


def _alike(wa: frozenset[str], wb: frozenset[str], min_share: float = MIN_SHARE, min_words: int = MIN_WORDS) -> bool:
    """Do two titles' words (:func:`title_words`) make their documents of one kind?"""
    small = min(len(wa), len(wb))
    return small >= min_words and len(wa & wb) / small >= min_share


def siblings(documents: Iterable[tuple[str, str | None, str | None]]) -> dict[str, frozenset[str]]:
    """doc_id -> the other documents of its kind, from (doc_id, type, title) rows; documents
    without any are left out."""
    by_type: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for row in documents:  # only documents of one type are compared
        by_type.setdefault(fold(row[1] or "").strip(), []).append(row)
    out: dict[str, set[str]] = {}
    for kind, rows in by_type.items():
        words = [title_words(title) for _, _, title in rows] if kind else []  # once per document
        for i, (a, _, _) in enumerate(rows if kind else ()):
            for (b, _, _), wb in zip(rows[i + 1:], words[i + 1:]):
                if a != b and _alike(words[i], wb):
                    out.setdefault(a, set()).add(b)
                    out.setdefault(b, set()).add(a)
    return {d: frozenset(s) for d, s in out.items()}
