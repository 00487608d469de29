"""Do document questions hold up when officials word them differently? A phrasing probe, no labels.

    python bench/doc_phrasings.py --data-dir /tmp/kb [--json OUT]

Why: labelled document questions ("Kế hoạch 160/KH-UBND do ai ký?") use a few wordings; officials use
many ("Ai ký …", "Người ký … là ai?", "… được ban hành vào ngày nào?", the number without its symbol,
no diacritics). For every document of the KB with a number and a type in its header, except the
held-out realdocs (the split table of ``tests/realdocs/README.md``), it asks four wordings of "who
signed" (when the header names the signer) and four of "when was it issued", each accented and
unaccented, and checks that the FIRST citation holds the signer's name or the date as the document
writes it ("ngày 19 tháng 11 năm 2025"). Prints one line per miss and the totals. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.vntext import fold  # noqa: E402

from bench.realdocs_structure import splits  # noqa: E402

WORDINGS = {
    "signer": ("{kind} {number} do ai ký?", "Ai ký {kind} số {number}?", "Người ký {kind} {number} là ai?",
               "{kind} {short} do ai ký?"),
    "date": ("{kind} {number} ban hành ngày nào?", "{kind} số {number} được ban hành vào ngày nào?",
             "Ngày ban hành của {kind} {number}?", "{kind} {short} ký ngày nào?"),
}
_WRITTEN_DATE = re.compile(r"ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}")


def _spaced(text: str) -> str:
    return fold(re.sub(r"\s+", " ", text or ""))


def _wanted(header, fact: str) -> str | None:
    """What the first citation must hold: the signer's name, or the date as the document writes it."""
    if fact == "signer":
        return header.signer.name
    written = header.date_as_written or ""
    m = _WRITTEN_DATE.search(written)
    return m.group(0) if m else (written or None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True, help="an ingested KB (the plan and the realdocs, or more)")
    ap.add_argument("--json", help="write every question's result here")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from tracuu.api.cli import build_parser, cli_settings
    from tracuu.api.service import Tracuu

    held = {prefix for prefix, part in splits().items() if part == "heldout"}
    svc = Tracuu(cli_settings(build_parser().parse_args(["--data-dir", args.data_dir, "agencies"])))
    store = svc.store()
    rows = []
    for doc_id in store.list_ids():
        doc = store.get(doc_id)
        name = (doc.file_name or "").split("--")[-1]
        if name[:3] in held or not (doc.header.number and doc.header.doc_type):
            continue
        h = doc.header
        for fact, wordings in WORDINGS.items():
            want = _wanted(h, fact)
            if not want:
                continue
            for wording in wordings:
                q = wording.format(kind=h.doc_type, number=h.number, short=h.number.split("/")[0])
                for question in (q, fold(q)):
                    answer = svc.ask(question)
                    first = answer.citations[0] if answer.citations else None
                    ok = first is not None and _spaced(want) in _spaced(first.text)
                    rows.append({"doc": doc.file_name, "fact": fact, "question": question, "ok": ok,
                                 "first": first.clause_id if first else None})
                    if not ok:
                        print(f"MISS {doc.file_name} | {question} | first: {rows[-1]['first']}")
    docs = len({r["doc"] for r in rows})
    for fact in WORDINGS:
        part = [r for r in rows if r["fact"] == fact]
        print(f"{fact:7} {sum(r['ok'] for r in part)}/{len(part)} first citations hold it")
    print(f"all     {sum(r['ok'] for r in rows)}/{len(rows)} over {docs} documents (held-out realdocs skipped)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
