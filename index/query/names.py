"""Proper names a question writes (a project, a wind farm, a person), which a clause answering it
must name too.

Why: "Nhà máy điện gió Tân Phú Đông 1 có công suất bao nhiêu MW?" shares every common word and
the unit with a clause on wind farms in general; the only difference is the name, three common
syllables ("tân", "phú", "đông") that coverage counts as present one by one. A run of two or more
capitalised syllables inside a question ("Tân Phú Đông", "Trần Hồng Hà") is a name; unless it is
an agency, a document or a place (checked elsewhere), the clause or its document must write it.

Only questions typed with capitals carry names this way; an all-lowercase question has none.
"""

from __future__ import annotations

import re

from tracuu.index.query.ask_intent import agency_heads
from tracuu.index.query.places import place_names
from tracuu.ingest.vntext import fold, nfc

# Words a run may start with that make it an agency, a document or a title, not a name.
_NOT_NAMES = {"ke hoach", "quyet dinh", "chi thi", "nghi quyet", "nghi dinh", "thong tu", "luat", "de an",
              "cong dien", "thong bao", "chuong trinh", "quy che", "chien luoc", "phu luc", "muc", "dieu", "khoan",
              "chu tich", "pho chu tich", "thu tuong", "pho thu", "giam doc", "tinh", "thanh pho", "tp", "xa", "phuong",
              "huyen", "quan", "thi xa", "dang", "nha nuoc", "viet nam", "trung uong"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper()


def question_names(question: str) -> list[str]:
    """Folded runs of two or more capitalised words after the question's first word, that do
    not start like an agency, a document or an administrative title."""
    text = nfc(question or "")
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(text)]
    heads = set(agency_heads()) | _NOT_NAMES
    places = {fold(p) for p in place_names()}
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, (_, w) in enumerate(words):
        if _capitalised(w):
            current.append((i, w))
            continue
        runs.append(current)
        current = []
    runs.append(current)
    named: list[list[str]] = []
    for run in runs:
        # the question's first word is capitalised as a sentence start, unless it begins an agency
        if run and run[0][0] == 0 and fold(run[0][1]) not in heads:
            run = run[1:]
        if len(run) >= 2:
            named.append([w for _, w in run])
    out = []
    for run in named:
        folded = [fold(w) for w in run]
        if folded[0] in heads or " ".join(folded[:2]) in heads or " ".join(folded) in places:
            continue  # an agency, a document, a title; a place is checked by places.py
        out.append(" ".join(folded))
    return out


def missing_names(question: str, text: str) -> list[str]:
    """Names of the question that ``text`` (a clause with its document's header) does not write."""
    names = question_names(question)
    if not names:
        return []
    body = " " + " ".join(re.findall(r"\w+", fold(text or ""))) + " "
    return [n for n in names if f" {n} " not in body]
