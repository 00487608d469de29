"""Import a data dir's JSON document store (tracuu before issue 12) into the catalog, once.

Why automatic: a data dir made by an older tracuu must keep working after an upgrade without a
manual step. Opening the catalog finds ``documents/*.json`` (and ``links.json``), reads them with
the old reader (:class:`index.doc_store.DocStore`, which verifies each source by its sha256 and
reports damaged files instead of failing), writes everything in ONE transaction, and only then
moves the old files aside (``documents.migrated/``, ``sources.migrated/``,
``links.json.migrated``): they are kept, never deleted. A crash before the commit imports nothing
(the next open tries again); a crash after it leaves the old files in place, and the catalog's
``legacy_import`` mark stops a second import.

What could not be imported (a damaged file, a source edited since ingest) is listed in the
catalog (``legacy_import_problems``) and shown by ``/healthz`` until the document is ingested again.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracuu.index.catalog.store import CatalogStore

log = logging.getLogger(__name__)

MARK = "legacy_import"
MOVED = {"documents": "documents.migrated", "sources": "sources.migrated", "links.json": "links.json.migrated"}


def has_legacy_store(data_dir: Path) -> bool:
    docs = data_dir / "documents"
    links = data_dir / "links.json"
    try:
        return links.is_file() or (docs.is_dir() and any(p.suffix == ".json" for p in docs.iterdir()))
    except OSError:
        return False


def import_json_store(store: "CatalogStore") -> dict[str, Any] | None:
    """Import the JSON store beside the catalog, if there is one and it was not imported yet.
    Returns what was done ({"documents", "decisions", "problems", "moved"}) or None."""
    data_dir = store.data_dir
    if not has_legacy_store(data_dir):
        return None
    if store.meta(MARK) is not None:
        log.warning("catalog: %s still holds a JSON document store already imported on %s; it is not read",
                    data_dir, store.meta(MARK))
        return None
    from tracuu.index.doc_store import DocStore

    t0 = time.perf_counter()
    old = DocStore(data_dir) if (data_dir / "documents").is_dir() else None
    decisions = _read_decisions(data_dir / "links.json")
    n_docs = 0
    with store.db.transaction():
        if store.meta(MARK) is not None:  # another process imported it while we waited for the lock
            return None
        for doc_id in (old.doc_ids() if old else []):
            doc = old.load(doc_id)
            if doc is None:
                continue
            text, status = old._read_source(doc_id, want_text=True)
            if status != "ok":
                text = None
            store.save(doc, text if text is not None else "", parser_version="")
            if text is None:  # keep the record, say its source is gone (as the JSON store did)
                store.db.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
            n_docs += 1
        for d in decisions:
            store.put_decision(d)
        problems = [{**p, "file": _moved_name(p["file"])} for p in (old.problems() if old else [])]
        store.set_meta("legacy_import_problems", json.dumps(problems, ensure_ascii=False))
        store.set_meta(MARK, time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    moved = []
    for src, dst in MOVED.items():
        p = data_dir / src
        if p.exists():
            target = data_dir / dst
            if target.exists():
                target = data_dir / f"{dst}-{time.strftime('%Y%m%d-%H%M%S')}"
            try:
                os.replace(p, target)
                moved.append(target.name)
            except OSError as exc:
                log.warning("catalog: imported %s but could not move it aside (%s); it is no longer read", p, exc)
    (data_dir / "generation").unlink(missing_ok=True)
    log.warning("catalog: imported the JSON document store of %s (%d documents, %d link decisions, %d problems)"
                " in %.1f s; the old files are kept in %s", data_dir, n_docs, len(decisions), len(problems),
                time.perf_counter() - t0, ", ".join(moved) or "place")
    return {"documents": n_docs, "decisions": len(decisions), "problems": problems, "moved": moved}


def _read_decisions(path: Path) -> list[dict[str, Any]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("catalog: %s cannot be read (%s); link decisions not imported", path, exc)
        return []
    return [d for d in raw.get("links", []) if isinstance(d, dict) and d.get("from") and d.get("to")
            and d.get("status") and d.get("link_id")]


def _moved_name(rel: str) -> str:
    """Where a problem file of the JSON store is once the store was moved aside."""
    head, sep, tail = rel.partition("/")
    return f"{MOVED[head]}/{tail}" if sep and head in MOVED else rel
