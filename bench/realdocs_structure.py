"""Structure of the real documents: refused or not, clauses, coverage, unverified clauses, header facts.

    python bench/realdocs_structure.py [--docs ../shared/realdocs/docs] [--json]

Parses (no embedding, no index) every file of ``../shared/realdocs/docs`` with ``ingest_file``
and prints one line per document: its split (tune / heldout / unlabelled, from
``tests/realdocs/README.md``), whether it was refused, the clause count, the coverage (% of the
source's non-space characters that belong to a clause or to a recorded non-clause part), how many
clauses could not be verified against their source spans, and the header facts the parser read
(number, date, issuer, type) against ``manifest.json`` (metadata, used as truth): ``ok``, ``WRONG``
or ``-`` (not found). Totals per split at the end. Nothing is asserted; it prints a table.
The documents are read in place and never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracuu.ingest.manifest import Manifest, number_key  # noqa: E402
from tracuu.ingest.pipeline import ingest_file  # noqa: E402
from tracuu.ingest.vntext import fold  # noqa: E402

from bench.shared_dir import SHARED  # noqa: E402

REALDOCS = SHARED / "realdocs"
SPLIT_README = ROOT / "tests" / "realdocs" / "README.md"
FACTS = ("number", "date", "issuer", "type")


def splits(readme: Path = SPLIT_README) -> dict[str, str]:
    """File number prefix -> "tune" | "heldout" (others are unlabelled), from the split table."""
    out: dict[str, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*(tune|heldout)\s*\|\s*([\d\s]+)\|", line)
        if m:
            for prefix in m.group(2).split():
                out[prefix] = m.group(1)
    return out


def _iso(date: str | None) -> str | None:
    """"20/11/2025" -> "2025-11-20"."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", (date or "").strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def _issuer_key(issuer: str | None) -> str:
    f = " ".join(fold(issuer or "").lower().split())
    return re.sub(r"^ubnd\b", "uy ban nhan dan", f)


def judge(entry: dict[str, Any], header: Any) -> dict[str, str]:
    """ok / WRONG / - for each header fact against the manifest entry."""
    kind = re.split(r"\s*[+(]", entry.get("kind", ""))[0].strip()
    pairs = {
        "number": (number_key(header.number) if header.number else None, number_key(entry["number"])),
        "date": (header.date, _iso(entry.get("date"))),
        "issuer": (_issuer_key(header.issuer) if header.issuer else None, _issuer_key(entry.get("issuer"))),
        "type": (fold(header.doc_type).lower() if header.doc_type else None, fold(kind).lower()),
    }
    out = {}
    for fact, (got, want) in pairs.items():
        if got is None:
            out[fact] = "-"
        elif fact == "type":
            out[fact] = "ok" if want.startswith(got) else "WRONG"
        else:
            out[fact] = "ok" if got == want else "WRONG"
    return out


def measure(docs: Path) -> list[dict[str, Any]]:
    manifest_rows = {e["file"]: e for e in json.loads((docs.parent / "manifest.json").read_text(encoding="utf-8"))}
    split_of = splits()
    rows = []
    for path in sorted(docs.glob("*.txt")):
        entry = manifest_rows.get(path.name, {})
        t0 = time.perf_counter()
        outcome = ingest_file(path, Manifest(folder=path.parent))
        row: dict[str, Any] = {
            "file": path.name,
            "split": split_of.get(path.name[:3], "unlabelled"),
            "refused": not outcome.ok,
            "seconds": round(time.perf_counter() - t0, 2),
        }
        if outcome.ok and outcome.document is not None:
            doc = outcome.document
            row.update(
                doc_id=doc.doc_id,
                clauses=len(doc.clauses),
                multi_span=sum(len(c.spans) > 1 for c in doc.clauses),
                coverage=doc.coverage.get("percent"),
                unverified=sum(not c.exact for c in doc.clauses),
                facts=judge(entry, doc.header) if entry else {},
            )
        else:
            row["errors"] = [e.get("message_en") for e in outcome.errors]
        rows.append(row)
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'file':44} {'split':10} {'ok':4} {'clauses':>7} {'multi':>5} {'cover%':>7} {'unver':>5}  "
        + " ".join(f"{f:6}" for f in FACTS)
    ]
    for r in rows:
        if r["refused"]:
            lines.append(f"{r['file'][:44]:44} {r['split']:10} REFUSED {r.get('errors')}")
            continue
        facts = r.get("facts", {})
        lines.append(
            f"{r['file'][:44]:44} {r['split']:10} {'yes':4} {r['clauses']:>7} {r['multi_span']:>5} "
            f"{r['coverage']:>7.2f} {r['unverified']:>5}  " + " ".join(f"{facts.get(f, '?'):6}" for f in FACTS)
        )
    lines.append("")
    for split in ("tune", "heldout", "unlabelled", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        if not part:
            continue
        ok = [r for r in part if not r["refused"]]
        covs = [r["coverage"] for r in ok]
        fact_counts = []
        for f in FACTS:
            right = sum(r["facts"].get(f) == "ok" for r in ok)
            wrong = sum(r["facts"].get(f) == "WRONG" for r in ok)
            fact_counts.append(f"{f} {right}/{len(part)} right, {wrong} wrong")
        lines.append(
            f"{split:10} docs {len(part)}, refused {len(part) - len(ok)}, clauses {sum(r['clauses'] for r in ok)}, "
            f"unverified {sum(r['unverified'] for r in ok)}, coverage min {min(covs, default=0):.2f}% "
            f"mean {sum(covs) / max(len(covs), 1):.2f}%; " + "; ".join(fact_counts)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--docs", type=Path, default=REALDOCS / "docs")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.docs.is_dir():
        print(f"{args.docs} not found: this benchmark needs ../shared/realdocs beside the checkout.")
        return 2
    rows = measure(args.docs)
    print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
