"""How well the agency noun-phrase recogniser (ingest/agencyphrase.py) reads names by shape alone.

    python bench/agencyphrase_recall.py [--show N]

Why: the recogniser is meant for names the gazetteer lacks, so it cannot be scored on them
directly; the names the gazetteer DOES know are a test of it: hide the gazetteer and ask the
recogniser to read each known name where a tune document writes it.

Material: the tune documents only (the documents of tests/realdocs/tasks.tune.jsonl in
../shared/realdocs, and those of the four fresh *.tune.tasks.jsonl parts in /work/extra/<set>/docs),
each loaded as ingest loads it (one text per block, so no name crosses a block).

  * recall: of the gazetteer's mentions of single bodies (not collectives, not abbreviations such as
    "UBND tỉnh": the recogniser reads written-out names), the share the recogniser reads with the
    same span when started at the mention; "short"/"long" count spans cut or run on. Also given for the
    mentions that open with a head word in mixed case (not "Chính phủ", "Quốc hội", a head of agency
    or a name in capitals: the recogniser does not read those, by design).
  * precision: of the spans the recogniser alone reads left to right, those that overlap a name the
    gazetteer knows (an entry, collectives included): the share that equals it. Spans overlapping nothing the gazetteer knows are
    counted and listed (--show) for a reader to judge; they are the names it exists for (or its errors).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.agencies import load_gazetteer, tokenize  # noqa: E402
from tracuu.ingest.agencyphrase import _phrase_at, find_phrases, load_words, phrase_end  # noqa: E402

from bench.shared_dir import SHARED  # noqa: E402

REALDOCS = SHARED / "realdocs" / "docs"
EXTRA = Path("/work/extra")
FRESH = ROOT / "tests" / "realdocs" / "fresh"
SETS = ("h10-crawler", "h10-gazette", "h10-hardtables", "h10-plans3")


def tune_documents() -> list[Path]:
    out: list[Path] = []
    docs = sorted({json.loads(x)["doc"] for x in (ROOT / "tests/realdocs/tasks.tune.jsonl").read_text().splitlines() if x})
    out += [REALDOCS / d for d in docs]
    for s in SETS:
        f = FRESH / f"{s}.tune.tasks.jsonl"
        if f.exists():
            docs = sorted({json.loads(x)["doc"] for x in f.read_text().splitlines() if x})
            out += [EXTRA / s / "docs" / d for d in docs]
    return [p for p in out if p.exists()]


def texts(path: Path) -> list[str]:
    from tracuu.ingest.loaders import load

    src = load(path)
    out = []
    for b in src.blocks:
        if b.cells:
            out += [c.text for c in b.cells]
        else:
            out.append(b.text)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", type=int, default=0, help="list this many misses and unknown-name spans")
    args = ap.parse_args(argv)
    docs = tune_documents()
    if not docs:
        print("no tune documents found (../shared/realdocs and /work/extra absent): nothing to measure.")
        return 2
    g = load_gazetteer()
    words = load_words()
    rec = Counter()
    prec = Counter()
    misses: list[str] = []
    unknown: list[str] = []
    for path in docs:
        for text in texts(path):
            mentions = g.find(text)
            toks = tokenize(text)
            start_tok = {t.start: k for k, t in enumerate(toks)}
            for m in mentions:
                if m.agency_id is None or m.level == "group" or m.matched not in ("name", "variant"):
                    continue
                k = start_tok.get(m.start)
                if k is None:
                    continue
                end = phrase_end(toks, k, lambda x, a=k, tk=toks: x < len(tk) and (x == a or not tk[x].newline))
                rec["n"] += 1
                headed = toks[k].text[:1].isupper() and not toks[k].text.isupper() \
                    and _phrase_at(toks, k, words.heads, lambda x: True, spelled=True) > 0
                rec["headed"] += headed
                got = toks[end - 1].end if end else None
                rec["headed_exact"] += headed and got == m.end
                if got == m.end:
                    rec["exact"] += 1
                elif got is None:
                    rec["none"] += 1
                    misses.append(f"none  {m.text!r}")
                elif got < m.end:
                    rec["short"] += 1
                    misses.append(f"short {text[m.start:got]!r} < {m.text!r}")
                else:
                    rec["long"] += 1
                    misses.append(f"long  {text[m.start:got]!r} > {m.text!r}")
            for a, b in find_phrases(text):
                over = [m for m in mentions if m.start < b and m.end > a and m.agency_id is not None]
                if not over:
                    prec["unknown"] += 1
                    unknown.append(text[a:b])
                    continue
                prec["n"] += 1
                if any(m.start == a and m.end == b for m in over):
                    prec["exact"] += 1
                else:
                    prec["differs"] += 1
    n = rec["n"] or 1
    print(f"documents: {len(docs)}")
    print(f"recall on known names ({rec['n']} mentions): exact {rec['exact'] / n:.3f}  "
          f"cut {rec['short'] / n:.3f}  run on {rec['long'] / n:.3f}  not read {rec['none'] / n:.3f}")
    print(f"  of them written with a head word in mixed case ({rec['headed']}, the names the recogniser is for): "
          f"exact {rec['headed_exact'] / (rec['headed'] or 1):.3f}")
    p = prec["n"] or 1
    print(f"precision where the gazetteer knows a name ({prec['n']} spans): same span {prec['exact'] / p:.3f}; "
          f"spans over no known name: {prec['unknown']}")
    if args.show:
        print("-- misses (most frequent first)")
        for s, c in Counter(misses).most_common(args.show):
            print(f"  {c:3d} {s}")
        print("-- spans over no known name (most frequent first)")
        for s, c in Counter(unknown).most_common(args.show):
            print(f"  {c:3d} {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
