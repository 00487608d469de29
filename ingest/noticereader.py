"""Who a notice of conclusions is written to: the body its closing line names.

Why: a Thông báo kết luận of a meeting with one province lists that province's work as points
with no subject (under a heading such as "II. NHIỆM VỤ, GIẢI PHÁP", points "2. Rà soát …",
"3. Đẩy nhanh …") and says at its end who is to carry it out, in the closing formula "Văn phòng
… thông báo để <the reader> và các Bộ, cơ quan liên quan biết, thực hiện" (synthetic shape; the
tests use the made-up province "Bình Sơn"). That closing line is the notice's "Kính gửi": the
one body it names besides the collectives ("các Bộ, cơ quan liên quan") is the reader, and a
point of a task section that names no owner is its work
(``ingest.tasks.extract_tasks``). The phrases are data: ``ingest/data/notice_reader.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.model import Clause
from tracuu.ingest.vntext import fold, nfc

_DATA = Path(__file__).resolve().parent / "data" / "notice_reader.toml"


@lru_cache(maxsize=1)
def _data() -> tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8")).get("notice_reader", {})

    def alt(key: str) -> str:
        keys = sorted({fold(nfc(w)).strip() for w in data.get(key, [])}, key=lambda w: (-len(w), w))
        return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) or r"(?!x)x"

    closing = re.compile(r"(?:" + alt("sends") + r")\s+(?P<who>.+?)\s*(?:" + alt("ends") + r")")
    collective = tuple(fold(nfc(w)) for w in data.get("collective_openers", []))
    sections = tuple(fold(nfc(w)) for w in data.get("task_sections", []))
    return closing, collective, sections


def notice_reader(clauses: list[Clause]) -> str | None:
    """The one body the document's closing line "… thông báo để X (và các … liên quan) biết,
    thực hiện" names besides collectives, as written; None when it names none or several."""
    closing, collective, _ = _data()
    for c in sorted(clauses, key=lambda c: c.order, reverse=True):
        text = nfc(c.text)
        m = closing.search(fold(text))
        if m is None:
            continue
        who = text[m.start("who") : m.end("who")]
        parts = [p.strip(" ,.;") for p in re.split(r",|\s+và\s+", who) if p.strip(" ,.;")]
        own = [p for p in parts if not fold(p).startswith(collective)]
        # "các Bộ, cơ quan liên quan" split at its comma leaves "cơ quan liên quan": a collective too
        own = [p for p in own if p[:1].isupper()]
        return own[0] if len(own) == 1 else None
    return None


def in_task_section(clause: Clause, by_path: dict[str, Clause]) -> bool:
    """Whether a heading above ``clause`` names work ("MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN
    TỚI", "NHIỆM VỤ TRỌNG TÂM"), not an assessment ("ĐÁNH GIÁ CHUNG")."""
    _, _, sections = _data()
    parent = clause.parent
    while parent is not None and parent in by_path:
        head = by_path[parent]
        if any(s in fold(head.text) for s in sections):
            return True
        parent = head.parent
    return False
