"""How much of the knowledge base the dense model never reads: clauses cut at the passage limit.

Why: a passage is cut to ``PASSAGE_MAX_CHARS`` (index/passages.py) before it is embedded, so the
end of a long clause is invisible to the dense retriever (BM25 still reads all of it). Embedding
long clauses as several windows would recover it, at the cost of re-embedding them; this counts
what is at stake before anyone pays for that: the clauses cut, the characters never embedded, and
the tune questions whose anchor lies (wholly) beyond the cut.

    python bench/long_clauses.py --data-dir /tmp/kb

Reads the catalog only (no model); the held-out file is not read. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TUNE = ROOT / "tests" / "realdocs" / "questions.tune.jsonl"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--questions", type=Path, default=TUNE)
    args = p.parse_args(argv)
    if "heldout" in args.questions.name:
        p.error("the held-out questions are never read here")
    from tracuu.api.config import Settings
    from tracuu.api.evaluation import label_doc_ids, load_dev_set
    from tracuu.api.service import Tracuu
    from tracuu.index.passages import PASSAGE_MAX_CHARS, passage_text
    from tracuu.ingest.vntext import collapse_spaces

    svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
    store = svc.store()
    n = cut = lost = 0
    by_clause: dict[str, tuple[int, str]] = {}  # clause id -> (characters of its text embedded, text)
    for doc_id in store.list_ids():
        doc = store.get(doc_id)
        if doc is None:
            continue
        meta = svc.doc_info(doc_id) if hasattr(svc, "doc_info") else doc
        for c in doc.clauses:
            n += 1
            body = collapse_spaces(c.text)
            embedded = passage_text(c, meta)
            kept = len(body)
            if not embedded.endswith(body):  # cut: the passage ends with a prefix of the body, then "…"
                tail = embedded.rstrip("…")[-60:]
                at = body.find(tail) if len(tail) == 60 else -1
                kept = at + 60 if at >= 0 else min(len(body), PASSAGE_MAX_CHARS)
                cut += 1
                lost += len(body) - kept
            by_clause[c.clause_id] = (kept, body)
    print(f"{n} clauses; {cut} cut at the passage limit ({PASSAGE_MAX_CHARS} characters), "
          f"{lost} characters of clause text never embedded")
    doc_ids = label_doc_ids(svc)
    beyond = []
    for q in load_dev_set(args.questions):
        if not q.get("answerable") or not q.get("anchors"):
            continue
        want = doc_ids.get(q.get("doc") or "")
        for cid, (kept, body) in by_clause.items():
            if want and not cid.startswith(f"{want}:"):
                continue
            anchors = [collapse_spaces(a) for a in q["anchors"]]
            spots = [body.find(a) for a in anchors if a in body]
            if spots and min(spots) >= kept:
                beyond.append((q["id"], cid))
                break
    print(f"{len(beyond)} answerable tune questions whose anchor lies beyond the cut: "
          + ", ".join(f"{qid} ({cid})" for qid, cid in beyond[:20]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
