"""The appendix-table rows a made-up text gives: the shared set-up of the flattened-table tests.

Why one place: each table test writes a synthetic text to a file, parses it as ``tracuu ingest``
would and keeps the tasks read from table rows (pattern "bảng phụ lục"); written out in every
module, the loader and filter drifted apart.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import extract_tasks


def table_tasks(tmp_path: Path, text: str):
    """``(document, its table-row tasks sorted by clause path)`` for ``text`` saved as a .txt file."""
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    tasks = [t for t in extract_tasks(doc.clauses) if t.pattern == "bảng phụ lục"]
    return doc, sorted(tasks, key=lambda t: t.path)


#: A flattened appendix table's caption and header, one cell fragment a line (synthetic).
TASK_TABLE_HEAD = ("Phụ lục\nDANH MỤC NHIỆM VỤ\n"
                   "TT \nTên nhiệm vụ \nCơ quan \nchủ trì \nCơ \nquan \nphối hợp \nKết quả \nThời \nhạn \nhoàn thành \n")


def names(refs) -> list[str]:
    """The names of agency references, in order (what the table tests compare)."""
    return [r.name for r in refs]
