"""Retrieval and answer benchmark: tracuu against dense-only, BM25-only and plain llama-index,
on the tuning and the held-out questions side by side.

    python bench/retrieval.py --split tune --data-dir /tmp/kb     # while tuning
    python bench/retrieval.py --data-dir /tmp/kb                  # both splits (the integrator)

The knowledge base is the bundled An Giang plan, the shared Bình Sơn fixture and the 40 real
documents of ``../shared/realdocs/docs`` (built in ``--data-dir`` and reused when it already
holds documents: ingesting 42 documents with e5 takes minutes on a small CPU).

Question sets (see ``api/evaluation.py`` for both formats):
  * tune    - ``tests/eval/dev_set.jsonl`` + ``tests/realdocs/questions.tune.jsonl``
  * heldout - ``tests/realdocs/questions.heldout.jsonl`` (read only here, to measure; never tune
              on it). A missing file gives an empty column.
``--questions SPLIT=PATH`` replaces a split's real-document file (e.g. a labeller's work copy).

Systems:
  * tracuu ask     - ``svc.ask`` (intents, structural routing, abstention; a refusal is a miss),
                     judged by ``api.evaluation.judge``;
  * tracuu search  - ``svc.scored`` (query understanding + hybrid), no routing, no abstention;
  * dense only     - ``ClauseIndex`` with dense_weight = 1.0 on the raw question;
  * BM25 only      - dense_weight = 0.0 (folded syllables) on the raw question;
  * llama-index    - SentenceSplitter chunks of each document's source in a ``VectorStoreIndex``
                     with the same embedding model; a chunk hits when it holds an expected
                     clause (>= 50% of its span) or an anchor.
Baselines abstain with the same ``Thresholds`` applied to their own best hit (term coverage of
the raw question, raw cosine), so "refused" and "unans answered" compare like with like.

No timing is asserted; wall times are printed for information.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tracuu.api.evaluation import (  # noqa: E402
    PLAN,
    QuestionResult,
    anchor_hit,
    judge,
    label_doc_ids,
    load_dev_set,
    rank_of,
    rank_stats,
)

from bench.shared_dir import SHARED  # noqa: E402

DEV_SET = ROOT / "tests" / "eval" / "dev_set.jsonl"
REALDOC_LABELS = ROOT / "tests" / "realdocs"
REALDOCS = SHARED / "realdocs" / "docs"
EXTRA = SHARED / "fixtures" / "binh-son-214-KH-UBND.docx"
SPLITS = ("tune", "heldout")


# --------------------------------------------------------------------------- questions


def questions_of(split: str, override: Path | None = None) -> list[dict[str, Any]]:
    """The split's questions; ids prefixed so the dev set and the labels never collide."""
    out: list[dict[str, Any]] = []
    if split == "tune":
        out += [dict(q, id=f"dev:{q['id']}") for q in load_dev_set(DEV_SET)]
    path = override or REALDOC_LABELS / f"questions.{split}.jsonl"
    if path.exists():
        out += load_dev_set(path)
    return out


# --------------------------------------------------------------------------- the knowledge base


def build_kb(data_dir: Path, realdocs: bool = True):
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir))
    if svc.is_empty():
        groups = [None, [EXTRA] if EXTRA.exists() else []]
        if realdocs and REALDOCS.exists():
            groups.append(sorted(REALDOCS.glob("*.txt")))
        for files in groups:
            if files == []:
                continue
            bad = [r for r in svc.ingest(files) if r.status != "ok"]
            if bad:
                print(f"warning: not ingested: {[(r['path'], r['errors'][:1]) for r in bad]}", file=sys.stderr)
    return svc


# --------------------------------------------------------------------------- per-question records


@dataclass
class Run:
    """One system on every question: 1-based rank (None: miss or refused), refusal, owners."""

    name: str
    results: dict[str, QuestionResult] = field(default_factory=dict)
    abstains: bool = True
    seconds: float = 0.0


def _rank(q: dict[str, Any], items: list[tuple[str, str, str]], doc_ids: dict[str, str]) -> int | None:
    """Rank of the first (clause_id, doc_id, text) item answering ``q`` (clause ids or anchors)."""
    if q.get("anchors"):
        want = doc_ids.get(q.get("doc") or "")
        return next((i for i, (_, d, t) in enumerate(items, 1)
                     if (not want or d == want) and anchor_hit(q["anchors"], t)), None)
    return rank_of(q.get("expect") or [], [c for c, _, _ in items])


def _result(q: dict[str, Any], rank: int | None, found: bool) -> QuestionResult:
    return QuestionResult(
        id=q["id"], question=q["question"], tags=list(q.get("tags") or []), answerable=bool(q["answerable"]),
        expect=list(q.get("expect") or []), found=found, got=[], rank=rank if found else None,
        doc=q.get("doc") or ((q.get("expect") or [""])[0].split(":", 1)[0] or None),
    )


def run_ask(svc, questions: list[dict], k: int, doc_ids: dict[str, str]) -> Run:
    run = Run("tracuu ask")
    t0 = time.perf_counter()
    for q in questions:
        run.results[q["id"]] = judge(q, svc.ask(q["question"], k=k), doc_ids)
    run.seconds = time.perf_counter() - t0
    return run


def _abstains(svc, question_texts: list[str], clause_text: str, dense: float) -> bool:
    from tracuu.index.abstain import coverage

    cov = coverage(question_texts, clause_text, svc.index.keyword)
    return not (cov >= svc.thresholds.coverage and dense >= svc.thresholds.dense)


def run_search(svc, questions: list[dict], k: int, doc_ids: dict[str, str]) -> Run:
    run = Run("tracuu search", abstains=False)
    t0 = time.perf_counter()
    for q in questions:
        _, scored = svc.scored(q["question"], k=k)
        items = [(s.clause.clause_id, s.clause.doc_id, s.clause.text) for s in scored]
        run.results[q["id"]] = _result(q, _rank(q, items, doc_ids), True)
    run.seconds = time.perf_counter() - t0
    return run


def run_index(svc, questions: list[dict], k: int, weight: float, name: str, doc_ids: dict[str, str]) -> Run:
    run = Run(name)
    saved = svc.index.dense_weight
    svc.index.dense_weight = weight
    t0 = time.perf_counter()
    try:
        for q in questions:
            scored = svc.index.search(q["question"], k)
            items = [(s.clause.clause_id, s.clause.doc_id, s.clause.text) for s in scored]
            found = bool(scored) and not _abstains(svc, [q["question"]], scored[0].clause.text, float(scored[0].dense))
            run.results[q["id"]] = _result(q, _rank(q, items, doc_ids), found)
    finally:
        svc.index.dense_weight = saved
    run.seconds = time.perf_counter() - t0
    return run


def run_llama(svc, questions: list[dict], k: int, chunk_size: int, chunk_overlap: int, doc_ids: dict[str, str]) -> Run:
    """Plain llama-index: split each document's source text, embed, retrieve top-k chunks."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.node_parser import SentenceSplitter
    from tracuu.index.embedders import as_llama_embedding

    t0 = time.perf_counter()
    LlamaSettings.llm = None
    embed_model = as_llama_embedding(svc.index.embedder)
    splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    docs, spans = [], {}
    for doc in svc.index.documents():
        source = svc.index.source(doc.doc_id) or ""
        docs.append(Document(text=source, id_=doc.doc_id, metadata={"doc_id": doc.doc_id}))
        spans[doc.doc_id] = [(c.clause_id, c.span.start, c.span.end) for c in doc.clauses]
    nodes = splitter.get_nodes_from_documents(docs)
    covered: dict[str, str] = {}
    for node in nodes:
        s, e = node.start_char_idx, node.end_char_idx
        hit = []
        for cid, cs, ce in spans[node.metadata["doc_id"]]:
            if s is not None and e is not None and min(e, ce) - max(s, cs) >= 0.5 * max(ce - cs, 1):
                hit.append(cid)
        covered[node.node_id] = " ".join(hit)
    index = VectorStoreIndex(nodes, embed_model=embed_model)
    retriever = index.as_retriever(similarity_top_k=k)
    build = time.perf_counter() - t0
    run = Run(f"llama-index {chunk_size}")
    for q in questions:
        got = retriever.retrieve(q["question"])
        rank = None
        for i, n in enumerate(got, 1):
            doc = n.node.metadata.get("doc_id")
            if q.get("anchors"):
                want = doc_ids.get(q.get("doc") or "")
                ok = (not want or doc == want) and anchor_hit(q["anchors"], n.node.get_content())
            else:
                ok = bool(set(covered.get(n.node.node_id, "").split()) & set(q.get("expect") or []))
            if ok:
                rank = i
                break
        found = bool(got) and not _abstains(svc, [q["question"]], got[0].node.get_content(), float(got[0].score or 0))
        run.results[q["id"]] = _result(q, rank, found)
    run.seconds = time.perf_counter() - t0
    print(f"[{run.name}: {len(nodes)} chunks, built in {build:.1f}s]")
    return run


# --------------------------------------------------------------------------- metrics and tables


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _is_plan(r: QuestionResult, plan_id: str) -> bool:
    return r.doc in (PLAN, plan_id)


def metrics(run: Run, questions: list[dict], k: int, plan_id: str) -> dict[str, float | None]:
    rs = [run.results[q["id"]] for q in questions if q["id"] in run.results]
    ans = [r for r in rs if r.answerable]
    unans = [r for r in rs if not r.answerable]

    def hit1(sel: list[QuestionResult]) -> float | None:
        return rank_stats([r.rank for r in sel], k).hit1 if sel else None

    overall = rank_stats([r.rank for r in ans], k)
    owners = [r.owners_ok for r in rs if r.owners_ok is not None]
    return {
        "n": len(rs),
        "hit@1": overall.hit1 if ans else None,
        f"hit@{k}": overall.hitk if ans else None,
        "MRR": overall.mrr if ans else None,
        "plan@1": hit1([r for r in ans if _is_plan(r, plan_id)]),
        "accented@1": hit1([r for r in ans if "unaccented" not in r.tags]),
        "unacc@1": hit1([r for r in ans if "unaccented" in r.tags]),
        "owners": (sum(owners) / len(owners)) if owners else None,
        "refused": (sum(not r.found for r in ans) / len(ans)) if ans and run.abstains else None,
        "unans answered": (sum(r.found for r in unans) / len(unans)) if unans and run.abstains else None,
    }


COLUMNS = ("hit@1", "hit@K", "MRR", "plan@1", "accented@1", "unacc@1", "owners", "refused", "unans answered")


def side_by_side(runs: list[Run], sets: dict[str, list[dict]], k: int, plan_id: str) -> str:
    cols = [c.replace("K", str(k)) for c in COLUMNS]
    header = ["system"] + [f"{split}:{c}" for c in cols for split in sets]
    rows = []
    for run in runs:
        per = {split: metrics(run, qs, k, plan_id) for split, qs in sets.items()}
        rows.append([run.name] + [f3(per[split][c]) for c in cols for split in sets])
    counts = "; ".join(
        f"{split}: {len(qs)} questions ({sum(q['answerable'] for q in qs)} answerable, "
        f"{sum(not q['answerable'] for q in qs)} unanswerable, "
        f"{sum(q['answerable'] and (q.get('doc') == PLAN or any(e.startswith(plan_id) for e in q.get('expect') or [])) for q in qs)} on the plan)"
        for split, qs in sets.items()
    )
    return counts + "\n" + table(header, rows)


def misses(run: Run, questions: list[dict]) -> str:
    rows = []
    for q in questions:
        r = run.results.get(q["id"])
        if r is None:
            continue
        why = []
        if r.answerable and not r.found:
            why.append("refused")
        elif r.answerable and r.rank != 1:
            why.append(f"rank {r.rank}" if r.rank else "miss")
        if not r.answerable and r.found:
            why.append("answered unanswerable")
        if r.owners_ok is False:
            why.append(f"owners {r.got_owners[:3]}")
        if r.deadline_ok is False:
            why.append(f"deadline {r.got_deadline!r}")
        if r.contains_ok is False:
            why.append("answer text")
        if why:
            rows.append([q["id"], "; ".join(why), ",".join(q.get("tags") or []), q["question"][:80]])
    return table(["id", "why", "tags", "question"], rows) if rows else "(none)"


def targets(run: Run, questions: list[dict], k: int, plan_id: str) -> str:
    m = metrics(run, questions, k, plan_id)
    acc, un = m["accented@1"], m["unacc@1"]
    checks = [
        ("ask hit@1 >= 0.9", m["hit@1"], 0.9, True),
        ("plan hit@1 >= 0.95", m["plan@1"], 0.95, True),
        ("owners right >= 0.9", m["owners"], 0.9, True),
        ("answerable refused <= 0.05", m["refused"], 0.05, False),
        ("unanswerable answered <= 0.10", m["unans answered"], 0.10, False),
    ]
    rows = []
    for name, value, bound, at_least in checks:
        met = value is not None and (value >= bound if at_least else value <= bound)
        rows.append([name, "yes" if met else "NO", f3(value)])
    gap = abs(acc - un) if acc is not None and un is not None else None
    rows.append(["accented vs unaccented within 0.03", "yes" if gap is not None and gap <= 0.03 else "NO",
                 f"{f3(un)} vs {f3(acc)}"])
    return table(["target", "met", "measured"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    ap.add_argument("--questions", action="append", default=[], metavar="SPLIT=PATH",
                    help="use PATH as the split's real-document questions")
    ap.add_argument("--data-dir", type=Path, help="build the knowledge base here, reuse it when it exists")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--no-llama", action="store_true", help="skip the llama-index baseline")
    ap.add_argument("--no-baselines", action="store_true", help="only tracuu ask and search")
    ap.add_argument("--misses", action="store_true", help="list what tracuu ask got wrong, per question")
    ap.add_argument("--json", type=Path, help="also write every tracuu ask result here")
    args = ap.parse_args(argv)

    overrides = dict(o.split("=", 1) for o in args.questions)
    splits = SPLITS if args.split == "both" else (args.split,)
    sets = {s: questions_of(s, Path(overrides[s]) if s in overrides else None) for s in splits}
    everything = [q for qs in sets.values() for q in qs]
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-") as tmp:
        t0 = time.perf_counter()
        svc = build_kb(args.data_dir or Path(tmp))
        doc_ids = label_doc_ids(svc)
        plan_id = doc_ids.get(PLAN, "kh-an-giang-ct-39")
        print(f"[knowledge base: {len(svc.index)} clauses in {len(svc.index.documents())} documents, "
              f"{time.perf_counter() - t0:.1f}s; dense_weight={svc.index.dense_weight}]")
        svc.understand("khởi động")  # train the diacritic model before timing
        runs = [run_ask(svc, everything, args.k, doc_ids), run_search(svc, everything, args.k, doc_ids)]
        if not args.no_baselines:
            runs += [run_index(svc, everything, args.k, 1.0, "dense only", doc_ids),
                     run_index(svc, everything, args.k, 0.0, "BM25 only", doc_ids)]
            if not args.no_llama:
                runs += [run_llama(svc, everything, args.k, 1024, 200, doc_ids)]
        print()
        print(side_by_side(runs, sets, args.k, plan_id))
        print("\n(times: " + ", ".join(f"{r.name} {r.seconds:.1f}s" for r in runs) + ")")
        for split, qs in sets.items():
            if qs:
                print(f"\ntargets on {split} (tracuu ask)")
                print(targets(runs[0], qs, args.k, plan_id))
        if args.misses:
            for split, qs in sets.items():
                print(f"\ntracuu ask on {split}: what went wrong")
                print(misses(runs[0], qs))
        if args.json:
            args.json.write_text(json.dumps({i: vars(r) for i, r in runs[0].results.items()}, ensure_ascii=False,
                                            indent=1), encoding="utf-8")
        svc.index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
