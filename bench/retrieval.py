"""Retrieval benchmark on the dev set: tracuu against dense-only, BM25-only and plain llama-index.

    python bench/retrieval.py [--dev tests/eval/dev_set.jsonl] [--data-dir DIR] [--k 5]

Builds the dev knowledge base (the bundled corpus plus ../shared/fixtures/binh-son-214-KH-UBND.docx)
in a temporary folder (or in --data-dir, reused when it already holds documents), then prints:

1. one table, side by side, over the answerable questions: hit@1, hit@k, MRR overall and for the
   unaccented and abbreviation subsets, and abstention precision / recall / refused-answerable
   rate (positive = abstained), for
     * tracuu ask     - ``svc.ask``: structural routing, query understanding, hybrid search,
                        abstention (a refused answerable question is a miss);
     * tracuu search  - ``svc.search``: query understanding + hybrid search, no routing;
     * dense only     - ``ClauseIndex`` with dense_weight = 1.0 on the raw question;
     * BM25 only      - dense_weight = 0.0 (folded syllables) on the raw question;
     * llama-index    - SentenceSplitter chunks of each document's source text in a
                        ``VectorStoreIndex`` with the same embedding model, top-k; a chunk hits a
                        clause when it covers >= 50% of the clause's source span.
   The baselines' abstention applies the same ``Thresholds`` to their own best hit (term
   coverage of the raw question, raw cosine);
2. the abstention threshold sweep (coverage x dense) for ``svc.ask``, the current defaults marked;
3. the dense_weight sweep (0.3 ... 0.8) for the pipeline;
4. the targets of the issue, met or not.

No timing is asserted; wall times are printed for information.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from api.evaluation import Abstention, RankStats, abstention_counts, load_dev_set, rank_of, rank_stats  # noqa: E402

DEV_SET = ROOT / "tests" / "eval" / "dev_set.jsonl"
EXTRA = ROOT.parent / "shared" / "fixtures" / "binh-son-214-KH-UBND.docx"
COVERAGE_GRID = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]
DENSE_GRID = [0.76, 0.78, 0.79, 0.80, 0.81, 0.82, 0.83, 0.84, 0.86]
WEIGHTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


# --------------------------------------------------------------------------- per-question records


@dataclass
class Run:
    """One system on every question: 1-based rank (None: miss) and the best hit's abstention
    signals (coverage, cosine); ``signals`` None means always answers (structural answers)."""

    name: str
    ranks: dict[str, int | None] = field(default_factory=dict)
    signals: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    abstains: bool = True  # False: the system has no abstention ("n/a")
    seconds: float = 0.0

    def abstained(self, qid: str, cov_t: float, dense_t: float) -> bool:
        s = self.signals.get(qid)
        if s is None:
            return False
        return not (s[0] >= cov_t and s[1] >= dense_t)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


# --------------------------------------------------------------------------- the knowledge base


def build_kb(data_dir: Path, extra: list[Path]):
    from api.config import Settings
    from api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir))
    if svc.is_empty():
        reports = svc.ingest(None) + (svc.ingest(extra) if extra else [])
        bad = [r for r in reports if r["status"] != "ok"]
        if bad:
            raise SystemExit(f"ingest failed: {bad}")
    return svc


def clause_text(clause) -> str:
    """What abstention reads of a clause (as ``Tracuu._answers`` does)."""
    return " ".join([*clause.heading_chain, clause.text])


# --------------------------------------------------------------------------- systems


def run_ask(svc, questions: list[dict], k: int, name: str = "tracuu ask") -> Run:
    """``svc.ask`` with abstention switched off, recording the signals it would have used.

    ``_answers`` is wrapped on the instance: the wrapper records (coverage, cosine) of the best
    hit, checks that they reproduce the service's own decision at the current thresholds, and
    answers yes, so the ranking is always visible; the sweep then re-applies any thresholds.
    """
    from index.abstain import coverage

    run = Run(name)
    original = svc._answers
    box: list[tuple[float, float]] = []
    mismatches: list[str] = []

    def recorder(best, readings):
        cov = coverage(readings, clause_text(best.clause), svc.index.keyword)
        box.append((cov, float(best.dense)))
        decided = original(best, readings)
        mine = cov >= svc.thresholds.coverage and best.dense >= svc.thresholds.dense
        if decided != mine:
            mismatches.append(best.clause.clause_id)
        return True

    svc._answers = recorder
    t0 = time.perf_counter()
    try:
        for q in questions:
            box.clear()
            ans = svc.ask(q["question"], k=k)
            got = [c["clause_id"] for c in ans.get("citations") or []]
            run.ranks[q["id"]] = rank_of(q["expect"], got)
            run.signals[q["id"]] = box[0] if box else None
    finally:
        del svc._answers  # back to the class method
    run.seconds = time.perf_counter() - t0
    if mismatches:
        print(f"warning: the recorded abstention signals disagree with Tracuu._answers on {mismatches}",
              file=sys.stderr)
    return run


def run_search(svc, questions: list[dict], k: int) -> Run:
    """``svc.search``-equivalent (``svc.scored``: query understanding + hybrid), no routing."""
    from index.abstain import coverage

    run = Run("tracuu search")
    t0 = time.perf_counter()
    for q in questions:
        u, scored = svc.scored(q["question"], k=k)
        run.ranks[q["id"]] = rank_of(q["expect"], [s.clause.clause_id for s in scored])
        readings = [u.text or q["question"], *u.expanded]
        run.signals[q["id"]] = (
            (coverage(readings, clause_text(scored[0].clause), svc.index.keyword), float(scored[0].dense))
            if scored else (0.0, 0.0)
        )
    run.seconds = time.perf_counter() - t0
    return run


def run_index(svc, questions: list[dict], k: int, weight: float, name: str) -> Run:
    """The bare ClauseIndex on the raw question at ``weight`` (no query understanding)."""
    from index.abstain import coverage

    run = Run(name)
    saved = svc.index.dense_weight
    svc.index.dense_weight = weight
    t0 = time.perf_counter()
    try:
        for q in questions:
            scored = svc.index.search(q["question"], k)
            run.ranks[q["id"]] = rank_of(q["expect"], [s.clause.clause_id for s in scored])
            run.signals[q["id"]] = (
                (coverage([q["question"]], clause_text(scored[0].clause), svc.index.keyword), float(scored[0].dense))
                if scored else (0.0, 0.0)
            )
    finally:
        svc.index.dense_weight = saved
    run.seconds = time.perf_counter() - t0
    return run


def run_llama(svc, questions: list[dict], k: int, chunk_size: int, chunk_overlap: int) -> Run:
    """Plain llama-index: split each document's source text, embed, retrieve top-k chunks."""
    from llama_index.core import Document, Settings as LlamaSettings, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from index.abstain import coverage
    from index.embedders import as_llama_embedding, make_embedder

    t0 = time.perf_counter()
    LlamaSettings.llm = None
    embedder = svc.index.embedder if svc.settings.embed_model is None else make_embedder(None)
    embed_model = as_llama_embedding(embedder)
    splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    docs, spans = [], {}
    for doc in svc.index.documents():
        source = svc.index.source(doc.doc_id) or ""
        docs.append(Document(text=source, id_=doc.doc_id, metadata={"doc_id": doc.doc_id}))
        spans[doc.doc_id] = (source, [(c.clause_id, c.span.start, c.span.end) for c in doc.clauses])
    nodes = splitter.get_nodes_from_documents(docs)
    chunk_clauses: dict[str, set[str]] = {}
    for node in nodes:
        source, clauses = spans[node.metadata["doc_id"]]
        s, e = node.start_char_idx, node.end_char_idx
        if s is None or e is None:  # fall back to finding the text
            s = source.find(node.get_content())
            e = s + len(node.get_content()) if s >= 0 else -1
        hit = set()
        for cid, cs, ce in clauses:
            length = max(ce - cs, 1)
            if min(e, ce) - max(s, cs) >= 0.5 * length:
                hit.add(cid)
        chunk_clauses[node.node_id] = hit
    index = VectorStoreIndex(nodes, embed_model=embed_model)
    retriever = index.as_retriever(similarity_top_k=k)
    build = time.perf_counter() - t0
    run = Run(f"llama-index {chunk_size}")
    for q in questions:
        got = retriever.retrieve(q["question"])
        rank = next((i for i, n in enumerate(got, 1) if chunk_clauses.get(n.node.node_id, set()) & set(q["expect"])), None)
        run.ranks[q["id"]] = rank
        run.signals[q["id"]] = (
            (coverage([q["question"]], got[0].node.get_content(), svc.index.keyword), float(got[0].score or 0.0))
            if got else (0.0, 0.0)
        )
    run.seconds = time.perf_counter() - t0
    print(f"[{run.name}: {len(nodes)} chunks, built in {build:.1f}s]")
    return run


# --------------------------------------------------------------------------- metrics


def stats(run: Run, questions: list[dict], k: int, tag: str | None = None, exclude: str | None = None,
          thresholds: tuple[float, float] | None = None) -> RankStats:
    """Ranking over answerable questions; with ``thresholds`` a would-abstain question is a miss."""
    ranks = []
    for q in questions:
        if not q["answerable"] or (tag and tag not in q["tags"]) or (exclude and exclude in q["tags"]):
            continue
        r = run.ranks.get(q["id"])
        if thresholds is not None and run.abstained(q["id"], *thresholds):
            r = None
        ranks.append(r)
    return rank_stats(ranks, k)


def abstention(run: Run, questions: list[dict], cov_t: float, dense_t: float) -> Abstention:
    return abstention_counts((q["answerable"], run.abstained(q["id"], cov_t, dense_t)) for q in questions)


def main_table(runs: list[Run], questions: list[dict], k: int, th: tuple[float, float]) -> str:
    rows = []
    for run in runs:
        use_th = th if run.name == "tracuu ask" else None  # ask: a refusal is a miss
        all_, un, ab = (stats(run, questions, k, t, thresholds=use_th) for t in (None, "unaccented", "abbreviation"))
        acc = stats(run, questions, k, exclude="unaccented", thresholds=use_th)
        a = abstention(run, questions, *th) if run.abstains else None
        rows.append([
            run.name, f3(all_.hit1), f3(all_.hitk), f3(all_.mrr),
            f3(acc.hit1), f3(un.hit1), f3(un.hitk), f3(un.mrr), f3(ab.hit1), f3(ab.hitk), f3(ab.mrr),
            f3(a.precision if a else None), f3(a.recall if a else None),
            f3(a.false_abstention_rate if a else None), f"{run.seconds:.1f}s",
        ])
    n_all = sum(q["answerable"] for q in questions)
    n_un = sum(q["answerable"] and "unaccented" in q["tags"] for q in questions)
    n_ab = sum(q["answerable"] and "abbreviation" in q["tags"] for q in questions)
    header = ["system", "hit@1", f"hit@{k}", "MRR", "accented@1", "unacc@1", f"unacc@{k}", "unacc MRR",
              "abbr@1", f"abbr@{k}", "abbr MRR", "abst P", "abst R", "refused", "time"]
    return (f"answerable n={n_all} (unaccented {n_un}, abbreviation {n_ab}); unanswerable "
            f"n={len(questions) - n_all}; thresholds coverage>={th[0]} dense>={th[1]}\n"
            + table(header, rows))


def sweep_thresholds(run: Run, questions: list[dict], k: int, chosen: tuple[float, float]) -> tuple[str, tuple[float, float]]:
    """Every grid point: abstention recall, refused-answerable rate, accuracy, and hit@1 with
    refusals counted as misses. The recommended point: most unanswerable refused with at most 5%
    of answerable refused; ties to the highest hit@1, then the most central point."""
    cov_grid = sorted(set(COVERAGE_GRID) | {chosen[0]})
    dense_grid = sorted(set(DENSE_GRID) | {chosen[1]})
    rows, scored = [], []
    for c in cov_grid:
        for d in dense_grid:
            a = abstention(run, questions, c, d)
            h = stats(run, questions, k, thresholds=(c, d))
            rows.append((c, d, a, h))
            if a.false_abstention_rate <= 0.05:
                scored.append(((a.recall, h.hit1, a.accuracy), (c, d)))
    best = None
    if scored:
        top = max(s for s, _ in scored)
        ties = [p for s, p in scored if s == top]
        best = chosen if chosen in ties else ties[len(ties) // 2]
    # compact grid: one row per coverage, one cell per dense threshold: "R/refused"
    header = ["cov \\ dense"] + [f"{d:.2f}" for d in dense_grid]
    grid = []
    for c in cov_grid:
        cells = [f"{c:.2f}"]
        for d in dense_grid:
            a, h = next((a, h) for cc, dd, a, h in rows if cc == c and dd == d)
            mark = "*" if (c, d) == chosen else ("+" if (c, d) == best else "")
            cells.append(f"{a.recall:.2f}/{a.false_abstention_rate:.2f}/{h.hit1:.2f}{mark}")
        grid.append(cells)
    text = ("abstention sweep (svc.ask): cell = unanswerable abstained (recall) / answerable refused / "
            "hit@1 with refusals as misses;\n* = current Thresholds, + = recommended "
            "(max recall with refused <= 0.05, then hit@1)\n" + table(header, grid))
    return text, best or chosen


def signals_table(run: Run, questions: list[dict]) -> str:
    """Each question's abstention signals, lowest-coverage answerable and highest unanswerable first."""
    rows = []
    for q in questions:
        s = run.signals.get(q["id"])
        if s is None:
            continue
        rows.append((q["answerable"], s[0], s[1], q["id"], q["question"]))
    rows.sort(key=lambda r: (r[0], -r[1] if not r[0] else r[1]))
    out = [[("ans" if a else "UNANS"), f"{c:.3f}", f"{d:.3f}", i, t[:70]] for a, c, d, i, t in rows]
    unans = [r for r in out if r[0] == "UNANS"]
    ans = [r for r in out if r[0] == "ans"]
    return table(["kind", "coverage", "dense", "id", "question"], unans + ans[:12])


def sweep_weights(svc, questions: list[dict], k: int, th: tuple[float, float]) -> str:
    saved = svc.index.dense_weight
    rows = []
    try:
        for w in WEIGHTS:
            svc.index.dense_weight = w
            ask = run_ask(svc, questions, k, name=f"ask w={w}")
            srch = run_search(svc, questions, k)
            a_all = stats(ask, questions, k, thresholds=th)
            a_raw = stats(ask, questions, k)
            a_un = stats(ask, questions, k, "unaccented", thresholds=th)
            s_all = stats(srch, questions, k)
            ab = abstention(ask, questions, *th)
            mark = " *" if abs(w - saved) < 1e-9 else ""
            rows.append([f"{w:.1f}{mark}", f3(a_all.hit1), f3(a_all.hitk), f3(a_all.mrr), f3(a_raw.hit1),
                         f3(a_un.hit1), f3(s_all.hit1), f3(s_all.hitk), f3(s_all.mrr), f3(ab.recall),
                         f3(ab.false_abstention_rate)])
    finally:
        svc.index.dense_weight = saved
    return ("dense_weight sweep (* = current): ask counts refusals as misses; 'ask no-abst' ignores "
            "abstention\n" + table(["weight", "ask@1", f"ask@{k}", "ask MRR", "ask no-abst@1", "unacc@1",
                                     "search@1", f"search@{k}", "search MRR", "abst R", "refused"], rows))


def targets(runs: dict[str, Run], questions: list[dict], k: int, th: tuple[float, float]) -> str:
    ask = runs["tracuu ask"]
    s = stats(ask, questions, k, thresholds=th)
    acc = stats(ask, questions, k, exclude="unaccented", thresholds=th)
    un = stats(ask, questions, k, "unaccented", thresholds=th)
    a = abstention(ask, questions, *th)
    llama = max((r for n, r in runs.items() if n.startswith("llama")), key=lambda r: stats(r, questions, k).hit1,
                default=None)
    lh = stats(llama, questions, k).hit1 if llama else None
    checks = [
        ("hit@1 >= 0.95", s.hit1 >= 0.95, f"{s.hit1:.3f}"),
        (f"hit@{k} = 1.0", s.hitk >= 1.0, f"{s.hitk:.3f}"),
        ("unaccented hit@1 within 0.05 of accented", acc.hit1 - un.hit1 <= 0.05, f"{un.hit1:.3f} vs {acc.hit1:.3f}"),
        ("beats llama-index by >= 0.15 hit@1", lh is not None and s.hit1 - lh >= 0.15,
         f"{s.hit1:.3f} vs {f3(lh)} ({llama.name if llama else '-'})"),
        (">= 90% unanswerable abstained", a.recall >= 0.9, f"{a.recall:.3f}"),
        ("<= 5% answerable abstained", a.false_abstention_rate <= 0.05, f"{a.false_abstention_rate:.3f}"),
    ]
    return "targets\n" + table(["target", "met", "measured"], [[n, "yes" if ok else "NO", m] for n, ok, m in checks])


def misses(run: Run, questions: list[dict], k: int, th: tuple[float, float] | None) -> str:
    rows = []
    for q in questions:
        if not q["answerable"]:
            continue
        r = run.ranks.get(q["id"])
        refused = th is not None and run.abstained(q["id"], *th)
        if r == 1 and not refused:
            continue
        why = "abstained" if refused else (f"rank {r}" if r else f"miss@{k}")
        rows.append([q["id"], why, ",".join(q["tags"]), q["question"][:70]])
    return table(["id", "why", "tags", "question"], rows) if rows else "(none)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV_SET)
    ap.add_argument("--extra", type=Path, nargs="*", default=[EXTRA], help="files ingested after the bundled corpus")
    ap.add_argument("--data-dir", type=Path, help="reuse this data dir (default: a temporary one)")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--no-llama", action="store_true", help="skip the llama-index baseline")
    ap.add_argument("--no-sweeps", action="store_true")
    args = ap.parse_args(argv)

    questions = load_dev_set(args.dev)
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-") as tmp:
        t0 = time.perf_counter()
        svc = build_kb(args.data_dir or Path(tmp), [p for p in args.extra if p])
        print(f"[knowledge base: {len(svc.index)} clauses in {len(svc.index.documents())} documents, "
              f"{time.perf_counter() - t0:.1f}s; dense_weight={svc.index.dense_weight}]")
        th = (svc.thresholds.coverage, svc.thresholds.dense)
        svc.understand("khởi động")  # train the diacritic model before timing
        runs: dict[str, Run] = {}
        for run in (
            run_ask(svc, questions, args.k),
            run_search(svc, questions, args.k),
            run_index(svc, questions, args.k, 1.0, "dense only"),
            run_index(svc, questions, args.k, 0.0, "BM25 only"),
        ):
            runs[run.name] = run
        if not args.no_llama:
            for size, overlap in ((256, 32), (1024, 200)):
                run = run_llama(svc, questions, args.k, size, overlap)
                runs[run.name] = run
        print()
        print(main_table(list(runs.values()), questions, args.k, th))
        print()
        print("tracuu ask, answerable questions not at rank 1:")
        print(misses(runs["tracuu ask"], questions, args.k, th))
        if not args.no_sweeps:
            print()
            text, best = sweep_thresholds(runs["tracuu ask"], questions, args.k, th)
            print(text)
            print(f"recommended Thresholds(coverage={best[0]}, dense={best[1]})")
            print()
            print("abstention signals of the best hit (tracuu ask; unanswerable, then the 12 lowest answerable)")
            print(signals_table(runs["tracuu ask"], questions))
            print()
            print(sweep_weights(svc, questions, args.k, th))
        print()
        print(targets(runs, questions, args.k, th))
        svc.index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
