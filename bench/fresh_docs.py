"""Are the fresh sets' documents in place, and restore one from a fetched raw file.

    python bench/fresh_docs.py [--extra /work/extra]
    python bench/fresh_docs.py --raw RAW --doc SET/FILE [--extra /work/extra]

Why: the documents of ``tests/realdocs/fresh/`` are public texts kept OUTSIDE the project
(``<extra>/<set>/docs/<file>``); the project records only where each comes from
(``<set>.sources.json``: repo, path, commit, range, conversion) and, since round 11, the exact cut
(``cut.first_line`` / ``cut.last_line``, after conversion), its length (``chars``) and the
``sha256`` of the UTF-8 file. A new machine starts with none of them; the scorer run on a
missing or different text counts its labels as misses without saying why.

Without ``--raw`` it checks every set: each document is ``ok`` (present, right sha256),
``missing``, ``different`` (present, other sha256) or ``unrecorded`` (no sha256 in the sources);
exit status 1 unless all are ``ok``.

With ``--raw RAW --doc SET/FILE`` it restores one document: RAW is the stored file as
``read_file`` returns it (pages joined exactly; a part of the file is enough when it holds the
kept range). RAW is converted as the entry's ``conversion`` says (``none``: verbatim, NFC;
``hard`` / ``unwrap`` / ``table``: ``bench/tvpl_convert.py``), then cut from a line that starts
with ``cut.first_line`` to a line that starts with ``cut.last_line`` (with its line end). The
recorded lines are prefixes of at most 60 characters (enough to find the line; the sources keep
no more of a real document's text than a label anchor does). A first or last line may occur many
times (page headers, lone spaces): the span kept is the one of ``chars`` characters whose sha256
is the recorded one. Nothing is written when no span matches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.tvpl_convert import convert, convert_table  # noqa: E402

FRESH_DIR = ROOT / "tests" / "realdocs" / "fresh"
MODES = ("none", "hard", "unwrap", "table")


@dataclass
class Entry:
    """One document of a set's sources.json (the fields this script reads)."""

    set_name: str
    file: str
    conversion: str
    sha256: str | None
    chars: int | None
    first_line: str | None
    last_line: str | None


def sha256_text(text: str) -> str:
    """sha256 of the text as the file holds it (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def conversion_mode(field: str | None) -> str:
    """The mode word a ``conversion`` field starts with ("unwrap", "none (verbatim, NFC)", ...);
    the sets that predate the field (h10-gazette) are verbatim copies. A conversion described only
    in words ("mechanical: …", a one-off script) is "manual": its status can be checked by sha256,
    but this script cannot redo it."""
    word = field.split()[0].strip("(:;,").lower() if field and field.strip() else "none"
    return word if word in MODES else "manual"


def documents_of(data: Any) -> list[dict]:
    """The document list of a sources.json: a bare list, or {"documents": [...]}."""
    return data if isinstance(data, list) else data.get("documents", [])


def read_entries(fresh_dir: Path) -> Iterator[Entry]:
    """Every document of every ``<set>.sources.json`` under ``fresh_dir``."""
    for path in sorted(fresh_dir.glob("*.sources.json")):
        set_name = path.name[: -len(".sources.json")]
        for doc in documents_of(json.loads(path.read_text(encoding="utf-8"))):
            cut = doc.get("cut") or {}
            yield Entry(set_name, doc["file"], conversion_mode(doc.get("conversion")), doc.get("sha256"),
                        doc.get("chars"), cut.get("first_line"), cut.get("last_line"))


def status_of(entry: Entry, extra: Path) -> str:
    """ok / missing / different / unrecorded for one document under ``extra``."""
    path = extra / entry.set_name / "docs" / entry.file
    if not path.is_file():
        return "missing"
    if not entry.sha256:
        return "unrecorded"
    return "ok" if sha256_text(path.read_text(encoding="utf-8")) == entry.sha256 else "different"


def converted(raw: str, mode: str) -> str:
    """The raw text as the set's documents are written: NFC, and converted when the mode says."""
    if mode == "none":
        return unicodedata.normalize("NFC", raw)
    if mode == "table":
        return convert_table(raw)
    return convert(raw, mode)


def lines_with_ends(text: str) -> list[str]:
    """Lines cut at "\\n" only (str.splitlines would also cut at form feeds and the like)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def cut_text(text: str, entry: Entry) -> str | None:
    """The span of ``text`` from a line starting with ``first_line`` to one starting with ``last_line`` whose length is
    ``chars`` and whose sha256 is the recorded one; None when there is none."""
    lines = lines_with_ends(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    bare = [line[:-1] if line.endswith("\n") else line for line in lines]
    firsts = [i for i, b in enumerate(bare) if b.startswith(entry.first_line)]
    lasts = [j for j, b in enumerate(bare) if b.startswith(entry.last_line)]
    for i in firsts:
        for j in lasts:
            if j < i:
                continue
            span = text[starts[i]:starts[j + 1]]
            if entry.conversion != "none" and not span.endswith("\n"):
                span += "\n"
            if len(span) == entry.chars and sha256_text(span) == entry.sha256:
                return span
    return None


def find_entry(fresh_dir: Path, doc: str) -> Entry:
    """The entry named ``SET/FILE``."""
    set_name, _, file = doc.partition("/")
    for entry in read_entries(fresh_dir):
        if entry.set_name == set_name and entry.file == file:
            return entry
    raise SystemExit(f"no document {doc!r} in {fresh_dir}/*.sources.json")


def restore(raw_path: Path, doc: str, extra: Path, fresh_dir: Path) -> int:
    """Write ``<extra>/<set>/docs/<file>`` from a fetched raw file; 0 when written."""
    entry = find_entry(fresh_dir, doc)
    if not (entry.sha256 and entry.chars and entry.first_line is not None and entry.last_line is not None):
        print(f"{doc}: its sources entry has no sha256 / chars / cut to restore by")
        return 1
    if entry.conversion == "manual":
        print(f"{doc}: its conversion is described in words in the sources entry; convert it by hand, "
              f"then check it with this script's status report (sha256)")
        return 1
    text = cut_text(converted(raw_path.read_text(encoding="utf-8"), entry.conversion), entry)
    if text is None:
        print(f"{doc}: no span of {entry.chars} characters from {entry.first_line!r} to {entry.last_line!r} "
              f"has the recorded sha256 (wrong raw, a page join lost or added a character, or the range is not in it)")
        return 1
    out = extra / entry.set_name / "docs" / entry.file
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"{doc}: written ({entry.chars} characters, sha256 ok) -> {out}")
    return 0


def report(extra: Path, fresh_dir: Path) -> int:
    """Print each set's documents by status; 1 unless every one is ok."""
    by_set: dict[str, dict[str, list[str]]] = {}
    for entry in read_entries(fresh_dir):
        by_set.setdefault(entry.set_name, {}).setdefault(status_of(entry, extra), []).append(entry.file)
    bad = 0
    for set_name, groups in by_set.items():
        counts = ", ".join(f"{len(files)} {status}" for status, files in sorted(groups.items()))
        print(f"{set_name}: {counts}")
        for status, files in sorted(groups.items()):
            if status != "ok":
                bad += len(files)
                for file in files:
                    print(f"  {status}: {file}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extra", type=Path, default=Path("/work/extra"), help="where <set>/docs/<file> live")
    ap.add_argument("--fresh-dir", type=Path, default=FRESH_DIR, help="where the <set>.sources.json are")
    ap.add_argument("--raw", type=Path, help="a raw file fetched with read_file (pages joined exactly)")
    ap.add_argument("--doc", help="SET/FILE to restore from --raw")
    args = ap.parse_args(argv)
    if bool(args.raw) != bool(args.doc):
        ap.error("--raw and --doc go together")
    if args.raw:
        return restore(args.raw, args.doc, args.extra, args.fresh_dir)
    return report(args.extra, args.fresh_dir)


if __name__ == "__main__":
    sys.exit(main())
