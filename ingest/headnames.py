"""A heading that is one collective name with what narrows it, over the points that are its work.

Why: notices, dispatches and the "Tổ chức thực hiện" sections of plans give work to kinds of
bodies the gazetteer cannot list, named by a heading whose name runs on with a relative phrase:
"7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông … trên địa bàn Tỉnh",
"9.1. Đối với các cơ sở sản xuất có lưu lượng xả bụi, khí thải lưu lượng lớn …:", "9.2. Đối với
các đơn vị thực hiện dịch vụ, thu gom … (theo danh sách gửi kèm tại Phụ lục):". The bullets under
it say only what to do ("- Rà soát …", "+ Tăng cường …"); their owner is the whole phrase. The
gazetteer reads only the start ("Các doanh nghiệp", or a run-on to the first verb-like word), and
the words after it look like a sentence, so the heading was taken for a task of its own and its
points for owner-less text.

"1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:" names its owner after a duty opener
(duty_openers in the data file) and closes with a colon: there any short noun phrase is the name,
collective or not (a law's article title "Trách nhiệm của …" has no colon: its clauses name theirs).

The rule is narrow on purpose: the heading has points under it (the caller says so), it opens
with a collective name ("các"/"những" + a kind of bodies: [matching].collective_openers and the
gazetteer), an optional opener of scope before it ("Đối với"), and it
holds no role phrase (chủ trì, phối hợp, có trách nhiệm), no sentence end inside
and no more than max_words words (ingest/data/heading_names.toml, with the openers). The name kept is the text as written, less the
opener, a trailing bracket and the closing ":" or ".".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.agencies import Gazetteer
from tracuu.ingest.vntext import fold, nfc


@dataclass(frozen=True)
class HeadingName:
    """The collective name a heading gives its points: as written, and its offsets in the text."""

    name: str
    start: int
    end: int


_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=8)
def _settings(g: Gazetteer) -> tuple[re.Pattern[str], int, tuple[str, ...], re.Pattern[str], re.Pattern[str]]:
    data = tomllib.loads((_DATA / "heading_names.toml").read_text(encoding="utf-8"))
    agencies = tomllib.loads((_DATA / "agencies.toml").read_text(encoding="utf-8"))
    keys = sorted({fold(nfc(o)) for o in data.get("openers", [])}, key=len, reverse=True)
    opener = re.compile(r"(?:" + "|".join(re.escape(k) for k in keys) + r")\s+") if keys else re.compile(r"(?!x)x")
    collective = tuple(fold(nfc(w)) + " " for w in agencies.get("matching", {}).get("collective_openers", []))
    r = g.roles
    # "Giao"/"Đề nghị" only hand work when they open a sentence, which a collective name never does
    words = r.get("lead", []) + r.get("coordinate", []) + r.get("responsible", [])
    role_keys = sorted({fold(nfc(w)) for w in words if w.strip()}, key=len, reverse=True)
    role = re.compile(r"(?<![0-9a-z])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in role_keys)
                      + r")(?![0-9a-z])")
    dkeys = sorted({fold(nfc(o)) for o in data.get("duty_openers", [])}, key=len, reverse=True)
    duty = re.compile(r"(?:" + "|".join(re.escape(k) for k in dkeys) + r")\s+") if dkeys else re.compile(r"(?!x)x")
    return opener, int(data.get("max_words", 40)), collective, role, duty


def heading_name(text: str, g: Gazetteer) -> HeadingName | None:
    """The collective name ``text`` (a heading's text, its marker already apart) is, or None."""
    opener, max_words, collective, role, duty = _settings(g)
    text = nfc(text)
    folded = fold(text)
    start = len(text) - len(text.lstrip())
    duty_at = duty.match(folded, start)
    mt = opener.match(folded, start)
    if duty_at is not None:
        start = duty_at.end()  # "Trách nhiệm của đối tượng thực hiện kiểm kê:": any noun phrase
    elif mt is not None:
        start = mt.end()
    if duty_at is None and not folded.startswith(collective, start):
        return None
    end = len(text.rstrip(" \t\n:.;"))
    bracket = re.search(r"\s*\([^()]*\)\s*$", text[:end])
    if bracket is not None:
        end = bracket.start()
    body = text[start:end]
    if not body or len(body.split()) > max_words or re.search(r"[;:!?]|\.\s", body) or "\n" in body:
        return None
    if role.search(fold(body)):
        return None
    if duty_at is not None:
        # "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:" over its points; a law's article title
        # ("Điều 27. Trách nhiệm của doanh nghiệp trong trường hợp …") has no colon and its clauses
        # name their own subjects
        if not text.rstrip().endswith(":") or len(body.split()) > 12 or re.search(r"[,;]", body):
            return None
        return HeadingName(body, start, end)
    found = [m for m in g.find(body) if m.start == 0]
    if not found:
        return None
    first = found[0]
    if first.agency_id is not None and g.entries[first.agency_id].level != "group":
        return None
    return HeadingName(body, start, end)
