"""Where a flattened task-table row's cells begin and end: the cut chosen by a score over whole cells.

Why: a PDF text layer writes a row as a run of line fragments; :mod:`ingest.loaders.flatcells`
groups lines into fragments by layout rules and used to place them one fragment at a time. A name
written over two fragments ("Ban Chỉ đạo" / "Phòng thủ dân sự quốc gia", "Sở Nông nghiệp và" /
"Môi trường") then lands half in the lead's cell and half in the partners', whatever role the
cell-role model later gives the cells: a wrong cut makes a wrong role. Here the cut itself is a
decision: every way of cutting the fragments into the header's columns (in column order, a column
may stay empty or hold several fragments) is scored cell by cell, and dynamic programming over the
fragment boundaries finds the best one. A cell's score is a weighted sum of features (``FEATURES``):

  * ``fit``: what the cell's whole text reads as against its column's kind (the layout rule's own
    score, :func:`flatcells.fit`), read on the whole cell; ``fragfit``: the same summed fragment by
    fragment (the old placement);
  * name completeness: a cut right after a word that needs the next one ("… và", "… các", ","), or
    right before a lower-case continuation; an agency cell ending on a bare head word ("Ban Chỉ
    đạo", "Sở"); an agency cell that is whole names the gazetteer knows (``whole_name``); a time
    cell that is a whole deadline form;
  * how many fragments the cell joins (``merges``, ``merges_lead``), names or times joined into a
    cell of another kind;
  * ``model`` / ``spanp``: the cell-role model's log-probability of the column's role from the cell's
    text (``ingest/cellrole.py``), or of "this is a whole cell" (a span model): fitted and measured,
    neither gained a right cell leave-one-document-out, so their weights are zero.

The weights come from the tune material (``bench/cellrole_cutfit.py``: coordinate ascent from the
rule's own weights, leave-one-document-out, a feature kept only when it fixes cells of two tune
documents) and sit in ``ingest/data/cellrole_model.json`` under ``cut``; only features with a weight
are read. Without fitted weights the old fragment-by-fragment placement stays. Cost: a cell joins at
most ``MAX_SPAN`` fragments after the task's (the task cell, always first, any prefix), about
``n * MAX_SPAN`` candidate cells a row of n fragments; a cell of one fragment keeps that fragment's
reading, and a joined cell's names are its fragments' own (``MemoGazetteer.join``: no text is
searched twice, and no joined text at all), so the cut costs little beyond the row's own reading
(``bench/cellrole_cuttime.py`` times it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Sequence

__all__ = ["FEATURES", "KIND_ROLE", "cut_weights", "learned_features", "span_features", "span_table", "cell_scores",
           "best_cut"]

# column kind (flatcells.column_kinds) -> cell role (cellrole.ROLES)
KIND_ROLE = {"task": "content", "lead": "lead", "coord": "coord", "time": "deadline", "level": "other",
             "other": "other"}
FEATURES = ("fit", "fragfit", "model", "spanp", "cut_open", "cut_lower", "head_end", "whole_name", "whole_time",
            "merges", "merges_lead", "weak_merges", "time_merged", "name_merged", "name_in_task")
MAX_SPAN = 4  # fragments one cell after the task's may join (no labelled cell of the tune material holds more)


@lru_cache(maxsize=1)
def cut_weights() -> dict | None:
    """The fitted cut weights (``cut`` of the cell-role model file), or None when not fitted."""
    from tracuu.ingest.cellrole import load_model

    return load_model().get("cut")


def local_probs(stats: Mapping[str, float], local: Mapping) -> dict[str, float]:
    """P(role | the cell's own text), by the text-only model ``local`` (same form as the row model)."""
    v = [(stats.get(f, 0.0) - mu) / sd for f, mu, sd in zip(local["features"], local["mean"], local["scale"])]
    z = [b + sum(w * x for w, x in zip(row, v)) for row, b in zip(local["coef"], local["intercept"])]
    top = max(z)
    e = [math.exp(x - top) for x in z]
    s = sum(e)
    return {r: x / s for r, x in zip(local["roles"], e)}


# what the span model reads besides the cell's text features: the cell's place among the fragments
SPAN_SHAPE = ("fit", "cut_open", "cut_lower", "head_end", "whole_name", "whole_time", "merges", "merges_lead",
              "weak_merges", "time_merged", "name_merged", "name_in_task")


def span_vector(stats: Mapping[str, float], shape: Mapping[str, float]) -> dict[str, float]:
    """The span model's input for one candidate cell: its text features and its shape features."""
    out = {f"t_{k}": v for k, v in stats.items()}
    out.update({f"s_{k}": shape.get(k, 0.0) for k in SPAN_SHAPE})
    return out


def span_prob(vec: Mapping[str, float], model: Mapping) -> float:
    """P(this candidate cell is exactly one whole cell of its column's kind), by the logistic model
    of that kind (``cut.span`` of the model file)."""
    z = model["intercept"] + sum(w * (vec.get(f, 0.0) - mu) / sd
                                 for f, w, mu, sd in zip(model["features"], model["coef"], model["mean"], model["scale"]))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def learned_features(stats: Mapping[str, float] | None, shape: Mapping[str, float], kind: str,
                     local: Mapping | None, span: Mapping | None) -> dict[str, float]:
    """A candidate cell's two learned readings: ``model``, the log-probability of its column's role
    by the text-only model ``local``, and ``spanp``, that it is one whole cell by the span model of
    its column's kind (``span``); 0 where that model is not given (its text features ``stats`` are
    read only then)."""
    model = 0.0
    if local is not None:
        model = math.log(max(local_probs(stats, local).get(KIND_ROLE[kind], 0.0), 1e-4))
    sm = (span or {}).get(kind)
    spanp = math.log(max(span_prob(span_vector(stats, shape), sm), 1e-4)) if sm else 0.0
    return {"model": model, "spanp": spanp}


class MemoGazetteer:
    """The gazetteer with ``find`` remembered per text, for one row: a fragment's text is read for
    its share of names when the row is grouped into fragments and again by the cut, and a candidate
    cell's text for its share of names and for whether it ends on a whole name (one search each).

    A cell that joins several fragments is not searched anew (``join``): its names are its
    fragments' own, moved to where each fragment stands in the joined text. Why: the search of a
    long joined text is the cut's whole cost (a list "Các Bộ: …" is read item by item, each item
    against every end), and :func:`flatcells.fragments` already keeps a known name that runs over
    a line break in one fragment. What is given up: a name guessed from its shape over a fragment
    boundary is not read again; on every first-part row of the tune documents (137) the cut is the
    same either way."""

    def __init__(self, g: object) -> None:
        self._g = g
        self._found: dict[str, list] = {}

    def find(self, text: str):
        got = self._found.get(text)
        if got is None:
            got = self._found[text] = self._g.find(text)
        return got

    def join(self, texts: Sequence[str]) -> str:
        """The text of a cell that joins fragments of ``texts`` (one space between), its names
        remembered as the fragments' own; also for the joined text without its closing
        punctuation (what :func:`flatcells.open_end` searches)."""
        from dataclasses import replace

        from tracuu.ingest.vntext import nfc

        joined = " ".join(texts)
        if joined in self._found or any(nfc(t) != t or not t for t in texts):
            return joined
        found: list = []
        at = 0
        for t in texts:
            found += [replace(m, start=m.start + at, end=m.end + at) for m in self.find(t)]
            at += len(t) + 1
        self._found[joined] = found
        body = joined.rstrip(" .;,")
        if body != joined and body not in self._found:
            self._found[body] = [m for m in found if m.end <= len(body)]
        return joined

    def __getattr__(self, name: str):
        return getattr(self._g, name)


@dataclass(frozen=True)
class Reader:
    """What a cell's text is read with: the gazetteer and the readers flatcells builds on it."""

    g: object
    cover: Callable[[str], float]
    is_time: Callable[[str], bool]
    with_level: bool


def _head_end(text: str, heads: Sequence[tuple[str, ...]]) -> bool:
    """``text`` ends on a bare head word of a name ("… Ban Chỉ đạo", "Sở", "Ủy ban"): the name's
    own words are still to come."""
    words = tuple(w.lower() for w in text.rstrip(" .,;:").split())
    return any(len(h) <= len(words) and words[-len(h):] == h for h in heads)


def _read_joined(merged, first, reader: Reader) -> None:
    """Read a cell of several fragments. What a cell opens with (a time, a product, a level) is
    what its first fragment opens with, when that fragment has three words or more; a cell whose
    first fragment does not open with a name has no share of names (``agency_cover`` reads the
    opening piece first): only the share of names in a cell that opens with one is read anew."""
    from tracuu.ingest.loaders import flatcells as fc

    if len(first.text.split()) < 3:
        fc.read_fragment(merged, reader.cover, reader.is_time, reader.with_level)
        return
    merged.time, merged.product, merged.level = first.time, first.product, first.level
    merged.agency = reader.cover(merged.text) if first.agency > 0 else 0.0


def span_features(frags: Sequence, i: int, j: int, kind: str, reader: Reader,
                  cache: dict[tuple[int, int], dict], need: frozenset[str] | None = None) -> dict[str, float]:
    """The features of the cell that joins fragments ``frags[i:j]`` in a column of ``kind``.
    ``need``: the features whose weight is not zero (None: all, for the bench); the costly readings
    (names and times in the joined text, the cell-role text features) are made only for those. A
    cell of one fragment keeps that fragment's own reading."""
    from tracuu.ingest.loaders import flatcells as fc

    def wanted(*names: str) -> bool:
        return need is None or any(n in need for n in names)

    base = cache.get((i, j))
    if base is None:
        if j == i + 1:
            merged = frags[i]
        else:
            merged = fc.Fragment([x for f in frags[i:j] for x in f.lines])
            if isinstance(reader.g, MemoGazetteer):
                reader.g.join([f.text for f in frags[i:j]])  # its names: the fragments' own
            if wanted("fit", "whole_name", "whole_time"):
                _read_joined(merged, frags[i], reader)
        text = merged.text
        nxt = frags[j].text if j < len(frags) else ""
        base = {
            "frag": merged, "text": text,
            "cut_open": float(j < len(frags) and fc.ends_joining(text)),
            "cut_lower": float(bool(nxt) and nxt[:1].islower()),
            "head_end": float(_head_end(text, reader.g.head_word_tuples())),
            "merges": float(sum(1 for f in frags[i + 1 : j] if not f.weak)),
            "weak_merges": float(sum(1 for f in frags[i + 1 : j] if f.weak)),
            "time_merged": float(sum(1 for f in frags[i + 1 : j] if f.time)),
            "name_merged": float(sum(1 for f in frags[i + 1 : j] if f.agency >= 0.5)),
        }
        if wanted("model", "spanp"):
            from tracuu.ingest.cellrole import _text_stats

            base["stats"] = _text_stats(text)
        cache[(i, j)] = base
    names = kind in ("lead", "coord")
    merged = base["frag"]
    if names and "names" not in base and wanted("whole_name"):
        base["names"] = float(merged.agency >= 0.99 and fc.open_end(base["text"], "lead", reader.g) == 0.0)
    if kind == "time" and "time" not in base and wanted("whole_time"):
        from tracuu.ingest.deadlines import find_deadlines

        found = find_deadlines(base["text"], bare=True) if merged.time else []
        share = sum(d.end - d.start for d in found) / max(1, len(base["text"].strip()))
        base["time"] = float(merged.time and share >= 0.6)
    return {
        "fit": fc.fit(merged, kind) if wanted("fit") else 0.0,
        "fragfit": sum(fc.fit(f, kind) for f in frags[i:j]) if wanted("fragfit") else 0.0,
        "cut_open": base["cut_open"],
        "cut_lower": base["cut_lower"],
        "head_end": base["head_end"] if names else 0.0,
        "whole_name": base.get("names", 0.0) if names else 0.0,
        "whole_time": base.get("time", 0.0) if kind == "time" else 0.0,
        "merges": base["merges"] if kind not in ("task", "lead") else 0.0,
        "merges_lead": base["merges"] if kind == "lead" else 0.0,
        "weak_merges": base["weak_merges"] if kind != "task" else 0.0,
        "time_merged": base["time_merged"] if kind != "time" else 0.0,
        "name_merged": base["name_merged"] if kind in ("time", "other", "level") else 0.0,
        "name_in_task": base["name_merged"] if kind == "task" else 0.0,
    }


def span_table(frags: Sequence, kinds: Sequence[str], reader: Reader, local: Mapping | None = None,
               max_span: int | None = None, cache: dict | None = None, span: Mapping | None = None,
               need: frozenset[str] | None = None) -> dict[tuple[int, int, int], dict[str, float]]:
    """(start, end, column) -> features, for every cell a first-part cut may make: the task column
    (column 0) holds fragments [0, e); any later column [s, e) with 1 <= s, e - s <= ``max_span``.
    ``cache``: (start, end) -> the cell's reading (text, cell-role text features), filled here."""
    n = len(frags)
    max_span = max_span or MAX_SPAN
    cache = {} if cache is None else cache
    out: dict[tuple[int, int, int], dict[str, float]] = {}
    for col, kind in enumerate(kinds):
        spans = [(0, e) for e in range(1, n + 1)] if col == 0 else \
            [(s, e) for s in range(1, n) for e in range(s + 1, min(n, s + max_span) + 1)]
        for s, e in spans:
            x = span_features(frags, s, e, kind, reader, cache, need)
            x.update(learned_features(cache[(s, e)].get("stats"), x, kind, local, span))
            out[(s, e, col)] = x
    return out


def cell_scores(table: Mapping[tuple[int, int, int], Mapping[str, float]],
                weights: Mapping[str, float]) -> dict[tuple[int, int, int], float]:
    """Each candidate cell's score: its features weighted."""
    return {key: sum(weights.get(f, 0.0) * v for f, v in x.items()) for key, x in table.items()}


def best_cut(n: int, kinds: Sequence[str], scores: Mapping[tuple[int, int, int], float],
             empty: Mapping[str, float]) -> list[int]:
    """The column of each of ``n`` fragments in the best-scoring first-part cut: fragment 0 in the
    task column, columns in order, each column empty (cost ``empty[kind]``) or one candidate cell
    [s, e) whose score is ``scores[(s, e, column)]``. Dynamic programming over the fragment
    boundaries: O(n * columns * MAX_SPAN)."""
    m = len(kinds)
    if n == 0 or m == 0:
        return []
    neg = -math.inf
    # best[col][e]: fragments [0, e) placed in columns 0..col; back: where col's cell starts (-1: empty)
    best = [[neg] * (n + 1) for _ in range(m)]
    back = [[-1] * (n + 1) for _ in range(m)]
    for e in range(1, n + 1):
        best[0][e] = scores.get((0, e, 0), neg)
        back[0][e] = 0
    for col in range(1, m):
        cost = -empty.get(kinds[col], 0.3)
        for e in range(1, n + 1):
            cand, arg = best[col - 1][e] + cost, -1
            for s in range(max(1, e - MAX_SPAN), e):
                prev = best[col - 1][s]
                x = scores.get((s, e, col))
                if prev == neg or x is None:
                    continue
                v = prev + x - 0.01 * col  # a tie goes to the earlier column
                if v > cand:
                    cand, arg = v, s
            best[col][e], back[col][e] = cand, arg
    cols = [0] * n
    e = n
    for col in range(m - 1, 0, -1):
        s = back[col][e]
        if s < 0:
            continue
        for k in range(s, e):
            cols[k] = col
        e = s
    return cols
