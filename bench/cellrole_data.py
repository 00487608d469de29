"""Training rows for the cell-role model: every labelled task found in a TABLE, its cells tagged.

    python bench/cellrole_data.py [--out /tmp/cellrole_rows.jsonl]

Why: each table reader decides which cell is the lead, the partners, the deadline from its own
layout's rules; a small model trained on all labelled rows can learn what those cells look like
from their text and place. The rows come from the TUNE material only: the realdocs tune split and
the four fresh tune parts (never a check or held-out part).

For each tune document: loaded, parsed and its tasks extracted as ``bench/realdocs_tasks.py`` does;
each label is matched to its task the same way; a matched task read from a table row (a clause with
``cells``, or a " | " row of the body) gives one training row: the row's cells as the reader split
them, each tagged with the role the label implies, by matching the label to the cell text:
  * content: the cell that holds the label's anchor (the task cell);
  * lead / coord: the cell whose agencies (keys as the scorer compares them) meet the label's lead /
    coordinators and not the other's;
  * deadline: the cell whose time the scorer reads as the label's deadline;
  * other: any other non-empty cell (product, note, level, proposer, STT);
  * None (left out of training): an empty cell, or a cell that meets both lead and partners.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.vntext import fold  # noqa: E402

from bench.realdocs_tasks import (  # noqa: E402
    REALDOCS,
    _heads,
    agency_keys,
    deadline_right,
    load_labels,
    match,
    norm_space,
    scored_tasks,
)

FRESH = ROOT / "tests" / "realdocs" / "fresh"
EXTRA = Path("/work/extra")
FRESH_SETS = ("h10-crawler", "h10-gazette", "h10-hardtables", "h10-plans3")


def tune_sources() -> list[tuple[str, list[dict[str, Any]], Path]]:
    """(source name, labels, documents folder) of the tune material only."""
    out = [("realdocs", load_labels("tune"), REALDOCS)]
    for h in FRESH_SETS:
        path = FRESH / f"{h}.tune.tasks.jsonl"
        if path.exists():
            out.append((h, load_labels("tune", path), EXTRA / h / "docs"))
    return out


def _doc_rows(file: str, docs_dir: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """The document's tasks (as the scorer sees them) and path -> cells of its table rows."""
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document
    from tracuu.ingest.pipetables import body_table_rows

    source = load(docs_dir / file)
    doc = parse_document(source, doc_id="doc", file_name=file, content_hash="")
    cells = {c.path: dict(c.cells) for c in doc.clauses if c.cells}
    cells.update({p: v for p, v in body_table_rows(doc.clauses).items() if p not in cells})
    return scored_tasks(doc), cells


def _cell_keys(text: str, g: Any, heads: list[str]) -> set[str]:
    from tracuu.ingest.tasks import cell_agencies

    return agency_keys([r.name for r in cell_agencies(text, "", g)], g, heads)


def _mentions_names(text: str, names: list[str]) -> bool:
    f = fold(norm_space(text))
    return any(len(n) > 3 and fold(norm_space(n)).strip(" .,;") in f for n in names)


def _anchor_text(anchor: str) -> str:
    """The task-cell part of an anchor: "2 | Phấn đấu mỗi năm" (a row copied with its cells) gives
    its longest cell."""
    parts = [norm_space(p) for p in anchor.split("|")]
    return max(parts, key=len) if parts else ""


def tag_cells(label: dict[str, Any], cells: dict[str, str], g: Any, heads: list[str]) -> list[str | None]:
    """The role each cell of a row has by the label (see the module docstring)."""
    from tracuu.ingest.deadlines import find_deadlines, parse_deadline

    lead = agency_keys(label["lead"], g, heads)
    coord = agency_keys(label["coordinators"], g, heads)
    anchor = _anchor_text(label["anchor"])
    out: list[str | None] = []
    content_done = False
    for text in cells.values():
        t = norm_space(text)
        if not t:
            out.append(None)
            continue
        if not content_done and len(anchor) >= 8 and (anchor in t or (len(t) >= 20 and t in anchor)):
            out.append("content")
            content_done = True
            continue
        keys = _cell_keys(text, g, heads)
        in_lead = bool(keys & lead) or (not keys and _mentions_names(t, label["lead"]))
        in_coord = bool(keys & coord) or (not keys and _mentions_names(t, label["coordinators"]))
        if in_lead and in_coord:
            out.append(None)
            continue
        if in_lead:
            out.append("lead")
            continue
        if in_coord:
            out.append("coord")
            continue
        due = label.get("deadline")
        if due:
            got = parse_deadline(text)
            found = find_deadlines(text, bare=True)
            text_due = got.text if got else (text[found[0].start : found[-1].end] if found else None)
            if text_due and deadline_right(due, text_due):
                out.append("deadline")
                continue
            if fold(norm_space(due)) in fold(t):
                out.append("deadline")
                continue
        out.append("other")
    return out


def rows(sources: list[tuple[str, list[dict[str, Any]], Path]] | None = None) -> list[dict[str, Any]]:
    """One dict per labelled table row: source, doc, label id, path, cell names, texts, tags, and
    the roles the readers' rules gave (``ingest.tasks.column_roles``), for the baseline."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.tasks import column_roles

    g = load_gazetteer()
    heads = _heads()
    out: list[dict[str, Any]] = []
    for name, labels, docs_dir in sources or tune_sources():
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for lab in labels:
            by_doc.setdefault(lab["doc"], []).append(lab)
        for doc, labs in sorted(by_doc.items()):
            try:
                tasks, cells = _doc_rows(doc, docs_dir)
            except Exception as err:  # a refused document gives no rows
                print(f"{doc}: refused {type(err).__name__}", file=sys.stderr)
                continue
            for lab in labs:
                t = match(lab["anchor"], tasks)
                if t is None or t["pattern"] != "bảng phụ lục" or t["path"] not in cells:
                    continue
                row = cells[t["path"]]
                tags = tag_cells(lab, row, g, heads)
                rules = column_roles(row, g)
                out.append({
                    "source": name, "doc": f"{name}/{doc}", "id": lab["id"], "path": t["path"],
                    "names": list(row), "texts": list(row.values()), "tags": tags,
                    "rules": {v: k for k, v in rules.items()},
                })
    return out


def _record_rows():
    """Wrap the flattened-table reader's row cutter so that every row it cuts is recorded:
    (lines, column kinds, page breaks, the cut it made). Returns (records, undo)."""
    from tracuu.ingest.loaders import flattable

    records: list[dict[str, Any]] = []
    original = flattable._row_cells

    def recording(lines, roles, heads, titles, breaks=()):
        cols = original(lines, roles, heads, titles, breaks)
        records.append({"lines": list(lines), "roles": list(roles), "breaks": list(breaks), "cols": cols})
        return cols

    flattable._row_cells = recording

    def undo() -> None:
        flattable._row_cells = original

    return records, undo


def _checks(label: dict[str, Any], g: Any, heads: list[str], heading_due: Any) -> dict[str, Any]:
    """Per cell text: whether, read as the lead / partner / time cell, it gives the label's value
    (as the scorer compares them)."""
    from tracuu.ingest.deadlines import parse_deadline
    from tracuu.ingest.tasks import cell_agencies

    lead = agency_keys(label["lead"], g, heads)
    coord = agency_keys(label["coordinators"], g, heads)

    def keys(text: str) -> set[str]:
        return agency_keys([r.name for r in cell_agencies(text, "", g)], g, heads) if text.strip() else set()

    def due(text: str) -> bool:
        got = parse_deadline(text) if text.strip() else None
        got = got or heading_due
        return deadline_right(label.get("deadline"), got.text if got else None)

    return {"lead": lambda t: keys(t) == lead, "coord": lambda t: keys(t) == coord, "time": due}


def cut_rows(sources: list[tuple[str, list[dict[str, Any]], Path]] | None = None) -> list[dict[str, Any]]:
    """One dict per labelled row of a FLATTENED table (``ingest/loaders/flattable.py``) of the tune
    material: its first part's fragments, the column kinds, the cut the readers made, and for every
    cell a cut may make (``cellcut.span_table``) its features, its cell-role text features and
    whether it holds the label's lead / partners / deadline (the labelled cut is every cut whose
    lead, partner and time cells all hold the label's). A row cut by a page break keeps its later
    parts as the readers placed them (their text is added to each cell before it is checked)."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.deadlines import heading_deadline
    from tracuu.ingest.loaders import cellcut, load
    from tracuu.ingest.loaders import flatcells as fc
    from tracuu.ingest.parser import parse_document

    g = load_gazetteer()
    heads = _heads()
    cover = fc.agency_cover_with(g)
    name_at = fc.name_at_with(g)
    out: list[dict[str, Any]] = []
    saved = cellcut.cut_weights
    cellcut.cut_weights = lambda: None  # the readers' cut as it was, whatever the model file holds
    try:
        for name, labels, docs_dir in sources or tune_sources():
            by_doc: dict[str, list[dict[str, Any]]] = {}
            for lab in labels:
                by_doc.setdefault(lab["doc"], []).append(lab)
            for doc, labs in sorted(by_doc.items()):
                records, undo = _record_rows()
                try:
                    source = load(docs_dir / doc)
                    parsed = parse_document(source, doc_id="doc", file_name=doc, content_hash="")
                except Exception as err:  # a refused document gives no rows
                    print(f"{doc}: refused {type(err).__name__}", file=sys.stderr)
                    continue
                finally:
                    undo()
                if not records:
                    continue
                tasks = scored_tasks(parsed)
                clauses = {c.path: c for c in parsed.clauses}
                for lab in labs:
                    t = match(lab["anchor"], tasks)
                    if t is None or t["pattern"] != "bảng phụ lục" or t["path"] not in clauses:
                        continue
                    c = clauses[t["path"]]
                    rec = next((r for r in records if r["lines"] and c.span.start <= r["lines"][0].start < c.span.end),
                               None)
                    if rec is None:
                        continue
                    out.append(_cut_row(name, doc, lab, c, rec, g, heads, cover, name_at, heading_deadline))
    finally:
        cellcut.cut_weights = saved
    return out


def _cut_row(name, doc, lab, clause, rec, g, heads, cover, name_at, heading_deadline) -> dict[str, Any]:
    from tracuu.ingest.loaders import cellcut, flattable
    from tracuu.ingest.loaders import flatcells as fc

    lines, roles = rec["lines"], rec["roles"]
    parts = flattable.row_parts(lines, rec["breaks"])
    a, b = parts[0]
    with_level = "level" in roles
    frags = [fc.read_fragment(f, cover, flattable._opens_with_time, with_level)
             for f in fc.fragments(lines[a:b], name_at, None)]
    first = {id(x) for x in lines[a:b]}
    where = {id(x): k for k, col in enumerate(rec["cols"]) for x in col}
    current = [where.get(id(f.lines[0]), 0) for f in frags]
    tails = [" ".join(x.text.strip() for x in col if id(x) not in first) for col in rec["cols"]]
    due = next((d for h in reversed(clause.heading_chain) if (d := heading_deadline(h)) is not None), None)
    checks = _checks(lab, g, heads, due)
    reader = cellcut.Reader(g, cover, flattable._opens_with_time, with_level)
    cache: dict = {}
    table = cellcut.span_table(frags, roles, reader, None, cache=cache)
    spans = []
    for (s, e, col), x in table.items():
        kind = roles[col]
        text = " ".join(t for t in (cache[(s, e)]["text"], tails[col]) if t)
        ok = checks[kind](text) if kind in checks else None
        spans.append({"s": s, "e": e, "col": col, "x": x, "ok": ok})
    empty_ok = {str(col): (checks[k](tails[col]) if k in checks else None) for col, k in enumerate(roles)}
    stats = {f"{s}:{e}": v["stats"] for (s, e), v in cache.items()}
    return {"source": name, "doc": f"{name}/{doc}", "id": lab["id"], "kinds": roles,
            "frags": [f.text for f in frags], "weak": [f.weak for f in frags], "parts": len(parts),
            "current": current, "spans": spans, "empty_ok": empty_ok, "stats": stats}


# how wide a gazette column is, in characters, by column kind: (narrowest, widest)
_WIDTHS = {"task": (34, 52), "lead": (16, 28), "coord": (16, 30), "time": (10, 18), "level": (14, 24),
           "other": (16, 28)}


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def wrapped_rows(cellrows: list[dict[str, Any]], seed: int = 20261130) -> list[dict[str, Any]]:
    """The labelled table rows of the tune material (``rows()``: cells as a real table or a " | "
    row gave them) written out as a PDF text layer writes them: each cell after the STT number
    wrapped to the width of a narrow gazette column (a width drawn per column kind, seeded by the
    row's id), empty cells gone, cell after cell. The labelled cut is known: each line's cell. So a
    cut is checked cell by cell: a lead / partner / time cell is right when it holds exactly the
    lines of that cell (an empty column: when the cell was empty)."""
    import random

    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import cellcut, flattable
    from tracuu.ingest.loaders import flatcells as fc
    from tracuu.ingest.reflow import SourceLine

    g = load_gazetteer()
    cover = fc.agency_cover_with(g)
    name_at = fc.name_at_with(g)
    out: list[dict[str, Any]] = []
    for r in cellrows:
        names, texts = r["names"], r["texts"]
        if len(names) < 3 or not cellrole_number(texts[0]):
            continue
        kinds = fc.column_kinds(names[1:])
        if "lead" not in kinds or kinds[0] != "task":
            continue
        rng = random.Random(f"{seed}:{r['id']}")
        lines: list[SourceLine] = []
        gold: list[int] = []
        pos = 0
        for col, (kind, text) in enumerate(zip(kinds, texts[1:])):
            lo, hi = _WIDTHS[kind]
            for piece in _wrap(" ".join(text.split()), rng.randint(lo, hi)):
                lines.append(SourceLine(pos, piece, 1))
                gold.append(col)
                pos += len(piece) + 1
        if not lines or gold[0] != 0:
            continue
        with_level = "level" in kinds
        frags = [fc.read_fragment(f, cover, flattable._opens_with_time, with_level)
                 for f in fc.fragments(lines, name_at, None)]
        at = {id(x): k for k, x in enumerate(lines)}
        span_of = [(at[id(f.lines[0])], at[id(f.lines[-1])] + 1) for f in frags]
        own = {col: {k for k, c in enumerate(gold) if c == col} for col in range(len(kinds))}
        reader = cellcut.Reader(g, cover, flattable._opens_with_time, with_level)
        cache: dict = {}
        table = cellcut.span_table(frags, kinds, reader, None, cache=cache)
        spans = []
        for (a, b, col), x in table.items():
            held = {k for f in range(a, b) for k in range(*span_of[f])}
            ok = (held == own[col]) if kinds[col] in ("lead", "coord", "time") else None
            spans.append({"s": a, "e": b, "col": col, "x": x, "ok": ok})
        current = fc.place_fragments(frags, kinds, first_part=True)
        out.append({"source": "wrapped", "doc": r["doc"], "id": r["id"], "kinds": kinds,
                    "frags": [f.text for f in frags], "weak": [f.weak for f in frags], "parts": 1,
                    "current": current, "spans": spans,
                    "empty_ok": {str(col): not own[col] for col in range(len(kinds))},
                    "stats": {f"{a}:{b}": v["stats"] for (a, b), v in cache.items()}})
    return out


def cellrole_number(text: str) -> bool:
    from tracuu.ingest.cellrole import _NUMBER

    return bool(_NUMBER.match(text or ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/cellrole_rows.jsonl"))
    ap.add_argument("--cuts", type=Path, default=None,
                    help="also write the flattened-table rows with their fragments and labelled cut here")
    ap.add_argument("--wrapped", type=Path, default=None,
                    help="also write the labelled table rows wrapped as a PDF text layer, with their cut, here")
    args = ap.parse_args(argv)
    if args.cuts is not None:
        cuts = cut_rows()
        with args.cuts.open("w", encoding="utf-8") as fh:
            for r in cuts:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{len(cuts)} flattened rows from {len({r['doc'] for r in cuts})} documents -> {args.cuts}")
    got = rows()
    if args.wrapped is not None:
        wrapped = wrapped_rows(got)
        with args.wrapped.open("w", encoding="utf-8") as fh:
            for r in wrapped:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{len(wrapped)} table rows written out as a text layer -> {args.wrapped}")
    with args.out.open("w", encoding="utf-8") as fh:
        for r in got:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in got:
        for tag in r["tags"]:
            counts[str(tag)] = counts.get(str(tag), 0) + 1
    docs = len({r["doc"] for r in got})
    print(f"{len(got)} rows from {docs} documents -> {args.out}; cells by role: {counts}")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
