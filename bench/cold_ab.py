"""Cold ``tracuu search`` of several checkouts, interleaved: wall and CPU, best and median.

Why: on a shared two-core machine the load moves by the minute, so two checkouts timed one after
the other compare the load, not the code. This runs one cold search of each checkout in turn,
round after round, on the same data dir (as ``bench/perf.py``'s ``cold_search`` does: the console
script's launch, ``bench-mixed`` = hash passages, e5 queries), and prints per checkout the best
and median wall time and CPU time (user + sys of the child, all its threads). Round 0 is a warm-up
that compiles each checkout's bytecode (kept in a private PYTHONPYCACHEPREFIX per checkout) and is
not counted. Nothing is asserted.

    python bench/cold_ab.py --data /tmp/kb/scale-100000 --rounds 6 main=/work/main mine=/work/wt/me \\
        main-1t=/work/main,OMP_NUM_THREADS=1

A checkout is ``NAME=PATH[,VAR=VALUE...]``: extra environment for its children.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import perf  # noqa: E402


def parse_checkout(spec: str) -> tuple[str, Path, dict[str, str]]:
    name, _, rest = spec.partition("=")
    path, *env = rest.split(",")
    if not name or not path:
        raise SystemExit(f"not NAME=PATH[,VAR=VALUE...]: {spec!r}")
    return name, Path(path), dict(e.split("=", 1) for e in env)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="a built data dir (bench/perf.py --keep)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--query", default="ty le no qua han")
    ap.add_argument("checkouts", nargs="+", metavar="NAME=PATH[,VAR=VALUE...]")
    args = ap.parse_args(argv)
    checkouts = [parse_checkout(s) for s in args.checkouts]
    pycache = Path(tempfile.mkdtemp(prefix="tracuu-cold-ab-"))
    walls: dict[str, list[float]] = {n: [] for n, _, _ in checkouts}
    cpus: dict[str, list[float]] = {n: [] for n, _, _ in checkouts}
    load0 = os.getloadavg()[0]
    for r in range(args.rounds + 1):
        for name, path, extra in checkouts:
            env = perf.child_env(args.data, perf.MIXED, **extra)
            env["PYTHONPATH"] = str(path)
            env["PYTHONPYCACHEPREFIX"] = str(pycache / name)
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", perf._LAUNCH, "search", args.query, "-k", "3"], env=env,
                                  capture_output=True, text=True, cwd=path, timeout=1800)
            wall = time.perf_counter() - t0
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise SystemExit(f"{name}: tracuu search failed: {done.stderr[-2000:]}")
            if r:  # round 0 compiles the bytecode
                walls[name].append(wall)
                cpus[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    print(f"cold `tracuu search` at {args.data} ({args.rounds} rounds; load {load0:.1f} -> {os.getloadavg()[0]:.1f})")
    for name, _, _ in checkouts:
        w, c = walls[name], cpus[name]
        print(f"  {name:12s} wall best {min(w):.2f} s, median {statistics.median(w):.2f} s | "
              f"CPU best {min(c):.2f} s, median {statistics.median(c):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
