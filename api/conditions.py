"""A clause that opens with a condition the question does not state answers a special case.

Why: rules are written as a general clause and its exceptions, side by side: "Chậm nhất trong 20
ngày làm việc … phải trả lời" and "Đối với kiến nghị có tính cấp bách, …" / "Đối với kiến nghị
có nội dung phức tạp, … 30 ngày". All three hold every word of "Thời hạn trả lời kiến nghị cử
tri là bao lâu?", and similarity may put an exception first. Unless the question states the
exception's condition ("kiến nghị cần giải quyết gấp"), the general clause answers it.

Pure functions; the openers ("đối với", "trường hợp" …) are in index/data/ask_intents.toml
``[condition] openers``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from tracuu.api.task_match import INTENTS
from tracuu.ingest.vntext import fold, nfc

#: At most this many words after the opener are read as the condition.
CONDITION_WORDS = 20


@lru_cache(maxsize=1)
def _openers() -> tuple[str, ...]:
    data = tomllib.loads(INTENTS.read_text(encoding="utf-8"))
    return tuple(sorted(data.get("condition", {}).get("openers", []), key=len, reverse=True))


def condition_of(text: str) -> str | None:
    """The condition a clause opens with ("Đối với kiến nghị có tính cấp bách, cần giải quyết
    ngay"), up to the "thì" that closes it, else the first comma or colon, without its opener,
    lowercased with its marks; None when it opens with none."""
    first = re.split(r"[.;:]", text or "", maxsplit=1)[0]
    then = re.search(r"\bthì\b", first, flags=re.IGNORECASE)
    head = first[:then.start()] if then else first.split(",", 1)[0]
    written = _syllables(head)
    words = [fold(w) for w in written]
    for opener in _openers():
        n = len(opener.split())
        if words[:n] == opener.split() and len(words) > n:
            return " ".join(written[n:n + CONDITION_WORDS])
    return None


def _syllables(text: str) -> list[str]:
    """Lowercased syllables with their marks: "bao nhiêu" is not "nhiều", "ngày" not "ngay"."""
    return re.findall(r"\w+", nfc(text or "").lower())


def unstated(text: str, general: str, readings: list[str]) -> bool:
    """The clause ``text`` opens with a condition the question (any of its ``readings``) does not
    state: the question holds no word of the condition that the ``general`` clause (read with
    its headings) lacks. "Kiến nghị cần giải quyết gấp …" states "Đối với kiến nghị có tính cấp
    bách, cần giải quyết ngay" by "cần", which the general clause does not say."""
    condition = condition_of(text)
    if condition is None:
        return False
    asked = set(_syllables(" ".join(r for r in readings if r)))
    own = set(condition.split()) - set(_syllables(general))
    return not (own & asked)


def general_first(texts: list[str], covers: list[float], readings: list[str], contexts: list[str] | None = None) -> int:
    """The index of the candidate to quote first: 0, unless the first opens with a condition the
    question does not state and a later one, covering as much of the question, opens with none.
    ``contexts``: what each candidate is read with besides its text (its headings)."""
    contexts = contexts or [""] * len(texts)
    if not texts or condition_of(texts[0]) is None:
        return 0
    return next((i for i in range(1, len(texts)) if covers[i] >= covers[0] and condition_of(texts[i]) is None
                 and unstated(texts[0], f"{contexts[i]} {texts[i]}", readings)), 0)
