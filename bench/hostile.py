"""Full-size hostile files of issue 13 against the ingest guards: time, peak memory, verdict.

    python bench/hostile.py [--out bench/results/hostile.json]

Each attack is built in a temporary folder (``tests/hostile_files.py``) and read in a fresh
child process (``TRACUU_INGEST_ISOLATION=inline`` inside it, so its peak resident memory is the
reader's own), the way the service's worker would read it. The linear-time check reads .docx
files of n and 4n one-letter paragraphs under "Nơi nhận" with the ratio guard lifted, so the
parser itself is timed: 4x the lines should cost about 4x the time, not 16x.

Timings are for this machine and its load; the tests assert verdicts, never times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import hostile_files as H  # noqa: E402

READ = (
    "import json, sys; from pathlib import Path; from tracuu.ingest.manifest import Manifest;"
    "from tracuu.ingest.worker import ingest_untrusted;"
    "o = ingest_untrusted(Path(sys.argv[1]), Manifest(folder=Path(sys.argv[1]).parent));"
    "print(json.dumps({'status': o.status, 'code': o.errors[0]['code'] if o.errors else None,"
    " 'message_en': o.errors[0]['message_en'][:160] if o.errors else None,"
    " 'clauses': len(o.document.clauses) if o.document else 0}))"
)


def read(path: Path, env: dict[str, str] | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", READ, str(path)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "TRACUU_INGEST_ISOLATION": "inline", **(env or {})},
                         timeout=3600)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        result = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        result = {"status": "crashed", "returncode": out.returncode, "stderr": out.stderr[-300:]}
    result.update(file_kb=round(path.stat().st_size / 1024, 1), seconds=round(wall, 2),
                  peak_rss_mb=round(peak / 1024) if peak > before else "<= earlier peak")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--paragraphs", type=int, default=290_000)
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        attacks = {
            "docx: 199 MB styles.xml (zip bomb)": lambda: H.docx(d / "styles.docx", ["x"], styles_padding_mb=199),
            f"docx: {args.paragraphs} one-letter paragraphs (ratio guard on)": lambda: H.docx(
                d / "paras.docx", ["KẾ HOẠCH", "Thử", "Nơi nhận:", "- Sở Thử"], repeat_tail=("a", args.paragraphs)),
            "pdf: one page, 100k text operators": lambda: H.text_pdf(d / "ops.pdf", 1, 100_000),
            "pdf: 3000 pages": lambda: H.text_pdf(d / "pages.pdf", 3000, 20),
            "pdf: 200 scanned pages (OCR)": lambda: H.scanned_pdf(d / "scan.pdf", 200),
        }
        for name, make in attacks.items():
            path = make()
            results[name] = read(path)
            print(f"{name}: {results[name]}", flush=True)
        lifted = {"TRACUU_DOCX_MAX_RATIO": "1000000", "TRACUU_DOCX_MAX_UNPACKED_MB": "1000",
                  "TRACUU_DOCX_MAX_PART_MB": "1000", "TRACUU_MAX_CLAUSES": "10000000"}
        for n in (args.paragraphs // 4, args.paragraphs):
            path = H.docx(d / f"lin{n}.docx", ["KẾ HOẠCH", "Thử", "I. MỤC TIÊU", "1. Việc.", "Nơi nhận:", "- Sở Thử"],
                          repeat_tail=("a", n))
            name = f"linear: {n} wrapped recipient lines, guards lifted"
            results[name] = read(path, lifted)
            print(f"{name}: {results[name]}", flush=True)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
