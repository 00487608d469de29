"""How long the scored cut of a flattened row takes on ingest's hot path (``ingest/loaders/cellcut.py``).

    python bench/cellrole_cuttime.py [--fragments 30] [--repeat 5] [--doc PATH]

Why: the cut scores every candidate cell of a row (about n * MAX_SPAN texts, each read for names and
times); a long row must stay cheap. The row is synthetic (made-up words, marked so): ``--fragments``
fragments, one line each, spread over a task, lead, partner, product and time column. Printed: the
fragment-by-fragment placement (the layout rule alone), the scored cut from a cold start (every text
searched), and the scored cut as ingest runs it (the row's fragments already read through the row's
memo of searches, which the cut reuses; a joined cell's names are its fragments' own), per row.
``--doc``: also
the load and parse time of one document (a tune document: a gazette text with flattened tables)
with the scored cut and with the rule alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# synthetic fragments (not from any document): task lines, names, products, times
_TASK = ["Rà soát quy định về hạ tầng", "Xây dựng cơ sở dữ liệu dùng chung", "Tổ chức đánh giá kết quả thực hiện",
         "Hoàn thiện hướng dẫn nghiệp vụ", "Tăng cường kiểm tra việc thực hiện"]
_NAMES = ["Bộ Tài chính", "Bộ Xây dựng", "Bộ Y tế", "Bộ Công Thương", "Bộ Nội vụ", "Bộ Tư pháp"]
_PRODUCT = ["Báo cáo kết quả", "Quyết định ban hành"]
_TIME = ["Năm 2026", "Quý IV/2027"]


def synthetic_row(n: int):
    from tracuu.ingest.reflow import SourceLine

    texts: list[str] = []
    share = max(1, n // 3)
    texts += [_TASK[k % len(_TASK)] for k in range(share)]
    texts += [_NAMES[0]]
    texts += [_NAMES[1 + k % (len(_NAMES) - 1)] for k in range(n - share - 3)]
    texts += [_PRODUCT[0], _TIME[0]]
    lines, pos = [], 0
    for t in texts[:n]:
        lines.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fragments", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--doc", type=Path, default=None, help="also time loading and parsing this document")
    args = ap.parse_args(argv)
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import cellcut, flattable
    from tracuu.ingest.loaders import flatcells as fc

    g = load_gazetteer()
    cover = fc.agency_cover_with(g)
    name_at = fc.name_at_with(g)
    kinds = ["task", "lead", "coord", "other", "time"]
    lines = synthetic_row(args.fragments)
    frags = [fc.read_fragment(f, cover, flattable._opens_with_time, False) for f in fc.fragments(lines, name_at)]
    print(f"synthetic row: {len(lines)} lines, {len(frags)} fragments, columns {kinds}")
    fc.place_fragments(frags, kinds)  # warm the caches
    w = cellcut.cut_weights()
    def as_ingest():
        """The row as flattable._row_cells reads it: one memo of searches for the row, the
        fragments read through it (not timed), then the cut (timed)."""
        memo = cellcut.MemoGazetteer(g)
        got = [fc.read_fragment(f, fc.agency_cover_with(memo), flattable._opens_with_time, False)
               for f in fc.fragments(lines, fc.name_at_with(memo))]
        t0 = time.perf_counter()
        cols = flattable.cut_first_part(got, kinds, memo, fc.agency_cover_with(memo), False, w)
        return cols, time.perf_counter() - t0

    def timed(run):
        def go():
            t0 = time.perf_counter()
            cols = run()
            return cols, time.perf_counter() - t0
        return go

    for title, run in (("fragment by fragment (rule)", timed(lambda: fc.place_fragments(frags, kinds))),
                       ("scored cut (cellcut)", timed(lambda: flattable.cut_first_part(frags, kinds, g, cover,
                                                                                       False, w))),
                       ("scored cut, as ingest", as_ingest)):
        best = float("inf")
        for _ in range(args.repeat):
            cols, took = run()
            best = min(best, took)
        print(f"{title:<30} {best * 1000:8.1f} ms a row (best of {args.repeat}); columns {cols}")
    if not w:
        print("(no cut weights in the model file: the scored cut fell back to the rule)")
    if args.doc is not None:
        from tracuu.ingest.loaders import load
        from tracuu.ingest.parser import parse_document

        saved = cellcut.cut_weights
        for title, weights in (("document, scored cut", saved), ("document, rule alone", lambda: None)):
            cellcut.cut_weights = weights
            t0 = time.perf_counter()
            parse_document(load(args.doc), doc_id="t", file_name=args.doc.name, content_hash="")
            print(f"{title:<30} {(time.perf_counter() - t0) * 1000:8.0f} ms ({args.doc.name})")
        cellcut.cut_weights = saved
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
