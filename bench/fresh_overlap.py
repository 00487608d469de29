"""Is a fresh document a copy of a realdocs document? Text fingerprints, names and shares only.

    python bench/fresh_overlap.py [--extra /work/extra] [--threshold 0.3] [FILE ...]

Why: fresh sets are labelled to measure rules on documents the project has not tuned on, and the
held-out realdocs documents must stay unseen. A public repository may hold the very document a
realdocs file was made from (another copy, another conversion: a gazette PDF text layer where the
realdocs file is hard-wrapped, a page range of it). Taken as a "fresh" document, it leaks the
held-out text into the tuning, or counts a tune document twice. Round 14 took four such copies
(withdrawn before merge); this check finds them before anyone labels.

How: each text is NFC'd, folded (lower case, no diacritics, đ -> d) and cut into words of letters
and digits; a fingerprint is the set of hashes of its runs of ``SHINGLE`` words. Two texts overlap
by the share of the smaller fingerprint found in the other (a page range of a long document
counts whole). Pairs at or above ``--threshold`` are printed as ``fresh file ~ realdocs file
(split) share``; no text is printed, so the check may run over held-out documents. Exit status 1
when any pair is found.

Without FILE it checks every document under ``<extra>/<set>/docs/``; with FILE, those files (a
candidate before it is labelled).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.vntext import fold  # noqa: E402

from bench.shared_dir import SHARED  # noqa: E402

REALDOCS = SHARED / "realdocs" / "docs"
README = ROOT / "tests" / "realdocs" / "README.md"
SHINGLE = 8  # words a run: long enough that two unrelated texts share none by chance


def fingerprint(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of every run of ``size`` folded words of ``text`` (layout, case, marks ignored)."""
    words = re.findall(r"[a-z0-9]+", fold(unicodedata.normalize("NFC", text)).lower())
    out: set[int] = set()
    for k in range(max(0, len(words) - size + 1)):
        digest = hashlib.blake2b(" ".join(words[k : k + size]).encode(), digest_size=8).digest()
        out.add(int.from_bytes(digest, "big"))
    return out


def overlap(a: set[int], b: set[int]) -> float:
    """Share of the smaller fingerprint found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & big) / len(small)


def heldout_prefixes(readme: Path = README) -> set[str]:
    """The file-number prefixes of the held-out split, from the split table of the labels' README."""
    for line in readme.read_text(encoding="utf-8").splitlines() if readme.exists() else []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] == "heldout":
            return set(re.findall(r"\b\d{3}\b", cells[1]))
    return set()


def matches(fresh: Iterable[Path], real: Iterable[Path], threshold: float) -> list[tuple[Path, Path, float]]:
    """(fresh file, realdocs file, share) for every pair at or above ``threshold``."""
    prints = {p: fingerprint(p.read_text(encoding="utf-8", errors="replace")) for p in real}
    out = []
    for f in fresh:
        fp = fingerprint(f.read_text(encoding="utf-8", errors="replace"))
        for r, rp in prints.items():
            share = overlap(fp, rp)
            if share >= threshold:
                out.append((f, r, share))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="candidate files (default: every fresh document)")
    ap.add_argument("--extra", type=Path, default=Path("/work/extra"), help="folder of the fresh sets")
    ap.add_argument("--threshold", type=float, default=0.3, help="share that counts as the same document")
    args = ap.parse_args(argv)
    if not REALDOCS.is_dir():
        print(f"no realdocs folder ({REALDOCS}): nothing to compare with.")
        return 0
    fresh = args.files or sorted(args.extra.glob("*/docs/*.txt"))
    held = heldout_prefixes()
    found = matches(fresh, sorted(REALDOCS.glob("*.txt")), args.threshold)
    for f, r, share in found:
        split = "HELD-OUT" if r.name[:3] in held else "tune"
        name = f"{f.parent.parent.name}/{f.name}" if not args.files else str(f)
        print(f"{name}  ~  realdocs {r.name[:3]} ({split})  {share:.2f}")
    print(f"{len(fresh)} documents checked, {len(found)} pair(s) at or above {args.threshold}.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
