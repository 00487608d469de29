"""Where a clause lies in the source (its spans), and how much of the source is accounted for.

Why spans: a clause is assembled from pieces that are not always adjacent in the source (the
paragraphs of an article on both sides of a gazette page header, a signature block that a
"Nơi nhận" column interrupts, an appendix row on both sides of a repeated table header). One
[start, end) range over all of them would cite text that is not the clause's. So a clause gets
one span per run of characters that lie together in the source: a run breaks where the source
between two consecutive characters holds anything but whitespace or a dropped artefact (a page
number, a page header), or where the order goes backwards.

Why coverage: nothing may be lost silently. Every non-space character of the source must belong
to a clause (its text, its marker "a)", its table row's other cells) or to a recorded non-clause
part (header, headings, signature, recipients, page furniture, appendix headings). What belongs
to neither is reported with the document: count, percentage and where.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any, Iterable, Sequence

from tracuu.ingest.model import SourceText, Span

__all__ = ["SourceMap", "spans_of", "measure", "UNCOVERED_SHOWN"]

UNCOVERED_SHOWN = 10  # how many uncovered ranges the coverage record lists


class SourceMap:
    """Prefix counts over the source that answer "is there real text between a and b?" in O(1)."""

    def __init__(self, source: SourceText) -> None:
        text = source.text
        self.n = len(text)
        dropped = bytearray(self.n + 1)
        for a, b in source.dropped:
            a, b = max(0, a), min(self.n, b)
            if b > a:
                dropped[a:b] = b"\x01" * (b - a)
        self.dropped = dropped
        sig = (0 if (ch.isspace() or dropped[i]) else 1 for i, ch in enumerate(text))
        self._sig = [0, *accumulate(sig)]  # _sig[i] = significant characters in text[:i]
        self.starts = list(source.page_starts or [0])

    def significant(self, a: int, b: int) -> int:
        """Non-space characters outside dropped ranges in ``text[a:b]``."""
        a, b = max(0, min(a, self.n)), max(0, min(b, self.n))
        return self._sig[b] - self._sig[a] if b > a else 0

    def adjacent(self, a: int, b: int) -> bool:
        """Can the character at ``b`` follow the one at ``a`` inside one span?"""
        return b > a and self.significant(a + 1, b) == 0

    def page(self, offset: int) -> int:
        from bisect import bisect_right

        return max(1, bisect_right(self.starts, offset))


def spans_of(chars: Iterable[tuple[str, int | None]], smap: SourceMap, lo: int = 1, hi: int | None = None) -> list[Span]:
    """The spans of a text given as (character, source offset) pairs, in text order.

    Only non-space characters place a span (a space stands for a line end or a joint and may
    carry the offset of what it replaced); pages are kept inside [lo, hi], the clause's pages.
    """
    runs: list[list[int]] = []
    prev: int | None = None
    for ch, off in chars:
        if off is None or ch.isspace():
            continue
        if prev is None or not smap.adjacent(prev, off):
            runs.append([off, off + 1])
        else:
            runs[-1][1] = off + 1
        prev = off
    out = []
    for a, b in runs:
        p, q = smap.page(a), smap.page(b - 1)
        if hi is not None:
            p, q = min(p, hi), min(q, hi)
        out.append(Span(a, b, max(p, lo), max(q, lo)))
    return out


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def measure(
    source: SourceText,
    smap: SourceMap,
    clause_ranges: Sequence[tuple[int, int]],
    parts: Sequence[tuple[str, int, int]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Recorded non-clause parts (merged, JSON-native) and the coverage record of a document.

    ``clause_ranges``: source ranges that belong to clauses (the pieces they were made of, markers
    and cells included). ``parts``: (kind, start, end) of recorded non-clause parts. The dropped
    artefacts of the loader (page numbers, gazette headers and stamps) are parts too.
    """
    kinds = {(int(a), int(b)): str(k) for k, a, b in source.furniture}
    all_parts = list(parts) + [(kinds.get((a, b), "page_number"), a, b) for a, b in source.dropped]
    other: list[dict[str, Any]] = []
    for kind, a, b in sorted(all_parts, key=lambda p: (p[1], p[2])):
        if b <= a or not source.text[a:b].strip():
            continue
        if other and other[-1]["kind"] == kind and smap.significant(other[-1]["end"], a) == 0:
            other[-1]["end"] = max(other[-1]["end"], b)
            continue
        other.append({"kind": kind, "start": a, "end": b, "page": smap.page(a)})
    covered = _merge([*clause_ranges, *((p["start"], p["end"]) for p in other)])
    total = smap.significant(0, smap.n)
    got = sum(smap.significant(a, b) for a, b in covered)
    # what no clause and no part holds (dropped artefacts do not count as text anyway)
    gaps: list[tuple[int, int]] = []
    pos = 0
    for a, b in covered + [(smap.n, smap.n)]:
        if a > pos and smap.significant(pos, a):
            gaps.append((pos, a))
        pos = max(pos, b)
    shown = []
    for a, b in gaps[:UNCOVERED_SHOWN]:
        text = " ".join(source.text[a:b].split())
        shown.append({"start": a, "end": b, "page": smap.page(a), "text": text[:80]})
    record = {
        "chars": total,
        "covered": got,
        "percent": round(100.0 * got / total, 2) if total else 100.0,
        "uncovered_ranges": len(gaps),
        "uncovered": shown,
    }
    return other, record
