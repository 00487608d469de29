"""The scored cut of a flattened task-table row (ingest/loaders/cellcut.py): exact dynamic programming,
the fallback to the layout rule, and a name written over two fragments kept in one cell.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn" and the
boards named here do not exist); none is copied from a real document.
"""

from __future__ import annotations

import itertools
import random

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders import cellcut, flattable
from tracuu.ingest.loaders import flatcells as fc
from tracuu.ingest.reflow import SourceLine


def _brute(n: int, kinds: list[str], scores: dict, empty: dict) -> float:
    """The best score over every monotone cut, tried one by one."""
    m = len(kinds)
    best = float("-inf")
    for cols in itertools.product(range(m), repeat=n):
        if cols[0] != 0 or any(b < a for a, b in zip(cols, cols[1:])):
            continue
        total = 0.0
        ok = True
        for col in range(m):
            ks = [k for k, c in enumerate(cols) if c == col]
            if not ks:
                if col:
                    total -= empty[kinds[col]]
                continue
            key = (ks[0], ks[-1] + 1, col)
            if key not in scores:
                ok = False
                break
            total += scores[key] - (0.01 * col if col else 0.0)
        if ok:
            best = max(best, total)
    return best


def _score_of(cols: list[int], kinds: list[str], scores: dict, empty: dict) -> float:
    total = 0.0
    for col in range(len(kinds)):
        ks = [k for k, c in enumerate(cols) if c == col]
        if not ks:
            total -= empty[kinds[col]] if col else 0.0
            continue
        total += scores[(ks[0], ks[-1] + 1, col)] - (0.01 * col if col else 0.0)
    return total


def test_best_cut_is_the_best_monotone_cut():
    rng = random.Random(7)
    kinds = ["task", "lead", "coord", "other", "time"]
    for _ in range(200):
        n = rng.randint(1, 6)
        scores = {(0, e, 0): rng.uniform(-2, 2) for e in range(1, n + 1)}
        for col in range(1, len(kinds)):
            for s in range(1, n):
                for e in range(s + 1, min(n, s + cellcut.MAX_SPAN) + 1):
                    scores[(s, e, col)] = rng.uniform(-2, 2)
        empty = {k: rng.uniform(0, 2) for k in kinds}
        cols = cellcut.best_cut(n, kinds, scores, empty)
        assert cols[0] == 0 and all(b >= a for a, b in zip(cols, cols[1:]))
        assert abs(_score_of(cols, kinds, scores, empty) - _brute(n, kinds, scores, empty)) < 1e-9


def _frags(texts: list[str]):
    g = load_gazetteer()
    cover = fc.agency_cover_with(g)
    lines, pos = [], 0
    for t in texts:
        lines.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    frags = [fc.read_fragment(f, cover, flattable._opens_with_time, False)
             for f in fc.fragments(lines, fc.name_at_with(g))]
    return g, cover, frags


def test_without_fitted_weights_the_layout_rule_places_the_fragments():
    g, cover, frags = _frags(["Rà soát quy chế phối hợp", "Sở Tư pháp", "Sở Nội vụ", "Năm 2026"])
    kinds = ["task", "lead", "coord", "time"]
    assert flattable.cut_first_part(frags, kinds, g, cover, False, weights={}) == \
        fc.place_fragments(frags, kinds, first_part=True)


def test_a_board_name_over_two_fragments_stays_in_the_lead_cell():
    # synthetic: "Ban Chỉ đạo" / "Chuyển đổi số tỉnh" is one board; the partners come after it
    g, cover, frags = _frags(["Kiện toàn tổ giúp việc về chuyển đổi số", "Ban Chỉ đạo", "Chuyển đổi số tỉnh",
                              "Sở Nội vụ, Sở Tài chính", "Năm 2026"])
    kinds = ["task", "lead", "coord", "time"]
    weights = cellcut.cut_weights()
    assert weights, "the model file holds fitted cut weights (bench/cellrole_cutfit.py --write)"
    cols = flattable.cut_first_part(frags, kinds, g, cover, False)
    texts = {c: " ".join(f.text for f, k in zip(frags, cols) if k == c) for c in set(cols)}
    assert texts[1] == "Ban Chỉ đạo Chuyển đổi số tỉnh"
    assert texts[2] == "Sở Nội vụ, Sở Tài chính"
    assert texts[3] == "Năm 2026"


def test_the_remembering_gazetteer_finds_what_the_gazetteer_finds():
    g = load_gazetteer()
    memo = cellcut.MemoGazetteer(g)
    text = "Sở Nội vụ, Sở Tài chính và Ủy ban nhân dân tỉnh Bình Sơn"  # synthetic
    first = memo.find(text)
    assert [(m.start, m.end) for m in first] == [(m.start, m.end) for m in g.find(text)]
    assert memo.find(text) is first  # searched once
    assert memo.head_word_tuples() == g.head_word_tuples()


def test_a_joined_cell_reads_its_fragments_own_names():
    # synthetic: a partner cell over two fragments; no name runs over the boundary between them
    g = load_gazetteer()
    memo = cellcut.MemoGazetteer(g)
    parts = ["Sở Nội vụ, Sở Tài chính", "Ủy ban nhân dân tỉnh Bình Sơn."]
    joined = memo.join(parts)
    assert joined == " ".join(parts)
    at = len(parts[0]) + 1
    want = [(m.start, m.end, m.agency_id) for m in g.find(parts[0])] + \
        [(m.start + at, m.end + at, m.agency_id) for m in g.find(parts[1])]
    assert [(m.start, m.end, m.agency_id) for m in memo.find(joined)] == want
    assert [(m.start, m.end, m.agency_id) for m in g.find(joined)] == want  # what a search would read
    body = joined.rstrip(" .;,")  # what flatcells.open_end searches: remembered too
    assert [(m.start, m.end) for m in memo.find(body)] == [(m.start, m.end) for m in g.find(body)]


class _Searching(cellcut.MemoGazetteer):
    """The memo without joined readings: every candidate cell's text searched anew."""

    def join(self, texts):
        return " ".join(texts)


def test_the_cut_with_joined_readings_is_the_cut_with_searches():
    # synthetic row: a long list of ministries in the lead cell, partners, a product and a time
    rows = [["Rà soát quy định về phòng, chống thiên tai", "Các Bộ: Xây dựng, Y tế, Giáo dục và Đào tạo",
             "Bộ Tài chính, các bộ, cơ quan, địa phương", "Báo cáo kết quả", "Năm 2026"],
            ["Kiện toàn tổ giúp việc về chuyển đổi số", "Ban Chỉ đạo", "Chuyển đổi số tỉnh",
             "Sở Nội vụ, Sở Tài chính", "Năm 2026"]]
    kinds = ["task", "lead", "coord", "other", "time"]
    for texts in rows:
        g, cover, frags = _frags(texts)
        memo = _Counting(g)
        joined = flattable.cut_first_part(frags, kinds, memo, cover, False)
        searched = flattable.cut_first_part(frags, kinds, _Searching(g), cover, False)
        assert memo.joins > 0  # the joined cells were read from their fragments
        assert joined == searched


class _Counting(cellcut.MemoGazetteer):
    joins = 0

    def join(self, texts):
        self.joins += 1
        return super().join(texts)
