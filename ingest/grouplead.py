"""The owner a task-table row takes from its group row when the table has no owner column.

Why: lists of tasks that a notice gives ministries one by one (overdue tasks, tasks still under
way) are often grouped by owner instead of naming it in a column: a group row "I | BỘ NỘI VỤ" and
under it rows "1 | task | assigning text | deadline | status". Each row is a task of that body, as
the items under an agency heading in prose are; without this, a table with no owner column gives
no task at all. A group title counts only when it is nothing but names the gazetteer knows ("BỘ
TÀI CHÍNH", "Bộ Công an (15 nhiệm vụ)"): a topic title ("Hoàn thiện thể chế") gives no owner.
"""

from __future__ import annotations

import re
from typing import Sequence

from tracuu.ingest.agencies import Gazetteer

__all__ = ["group_lead"]

# the group's own number before its title: "I ", "II. ", "1.2) ", "A. "
_NUMERAL = re.compile(r"^\s*(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2})*|[A-ZĐ])\s*[.:)]?\s+")
# a count or note in brackets after the names: "(15 nhiệm vụ)"
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_APPENDIX = re.compile(r"^\s*ph[ụu]\s+l[ụu]c\b", re.IGNORECASE)
_GLUE = re.compile(r"^[\s,;]*(?:và|cùng)?[\s,;]*$", re.IGNORECASE)


def group_lead(heading_chain: Sequence[str], g: Gazetteer, found_in: str = "") -> list:
    """The agencies (``AgencyRef``) the nearest group title of the appendix is made of, or [] when
    none inside the appendix is a title of names only."""
    from tracuu.ingest.tasks import cell_agencies

    for heading in reversed(heading_chain):
        if _APPENDIX.match(heading):
            break  # above the appendix: the document's own headings, not a group of its table
        title = _NOTE.sub("", _NUMERAL.sub("", heading, count=1)).strip(" .:;")
        if not title:
            continue
        refs = cell_agencies(title, found_in, g)
        if not refs or any(r.agency_id is None for r in refs):
            continue
        rest, pos = [], 0
        for r in sorted(refs, key=lambda r: r.start):
            rest.append(title[pos : r.start])
            pos = max(pos, r.end)
        rest.append(title[pos:])
        if all(_GLUE.match(piece) for piece in rest):
            return refs
    return []
