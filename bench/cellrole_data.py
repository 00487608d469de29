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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/cellrole_rows.jsonl"))
    args = ap.parse_args(argv)
    got = rows()
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
