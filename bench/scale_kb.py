"""Build a knowledge base of N synthetic clauses through ``Tracuu.ingest``, fast enough for 100k.

Why: the performance benchmark (``bench/perf.py``) measures the index at 1k and 100k clauses
(1M on request). The normal ingest path parses every file in a child process, and parsing (task
extraction above all) costs ~15 ms per clause on a shared 2-core machine: 100k distinct clauses
take 25+ minutes before the index sees one. That cost does not depend on the index size, which
is what is being measured, so past ``distinct`` clauses the builder parses nothing new: it
ingests *copies* of already-parsed plans, each rebased to a fresh document id
(``<template id>-copy-<n>``). Everything after the parse is the normal path - ``Tracuu.ingest``,
``_ingest_one``, the index's ``add_document`` (embedding, vectors, record, keyword postings) -
only the parse child is replaced, by :class:`ParseMemo`, which the bench installs on
``api.service.ingest_untrusted`` for copy files alone. Copies repeat their template's clause
texts (so posting lists are longer and the vocabulary smaller than in 100k distinct clauses).

Plans come from ``bench/synthetic_corpus.py`` (SYNTHETIC TEST MATERIAL, marked as such). Passage
vectors come from whichever embedder the service has (the bench gives it hash vectors).
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bench.synthetic_corpus import make_plan

SEED = 23
COPY_NAME = re.compile(r"^synthetic-copy-(\d+)-of-(\d+)\.txt$")


@dataclass
class BuildStats:
    clauses: int = 0
    documents: int = 0
    parsed_docs: int = 0  # parsed for real, in the worker child
    copied_docs: int = 0  # ingested from a memoised parse
    seconds: float = 0.0
    parse_seconds: float = 0.0  # in the real parses (the child's own total)
    notes: list[str] = field(default_factory=list)


class ParseMemo:
    """Stands in for ``ingest_untrusted``: real parse for plan files (remembered), a rebased deep
    copy of the remembered template for ``synthetic-copy-<n>-of-<t>.txt`` files."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.templates: dict[str, Any] = {}  # template file name -> its IngestOutcome

    def __call__(self, path: Path, manifest: Any, *args: Any, **kwargs: Any) -> Any:
        from tracuu.ingest.pipeline import rebase

        m = COPY_NAME.match(Path(path).name)
        if m is None:
            outcome = self.real(path, manifest, *args, **kwargs)
            if outcome.ok:
                self.templates[Path(path).name] = outcome
            return outcome
        n, t = int(m.group(1)), int(m.group(2))
        template = self.templates.get(f"synthetic-plan-{t:04d}.txt")
        if template is None:  # not parsed in this process (a reused folder): parse the template once
            template = self(Path(path).with_name(f"synthetic-plan-{t:04d}.txt"), manifest, *args, **kwargs)
        outcome = copy.deepcopy(template)
        outcome.path = str(path)
        outcome.timings = {k: 0.0 for k in template.timings}
        doc = outcome.document
        rebase(doc, f"{doc.doc_id}-copy-{n}")
        doc.file_name = Path(path).name
        return outcome


def install_memo() -> ParseMemo | None:
    """Put a :class:`ParseMemo` in front of the service's parse step; None if it has none."""
    import tracuu.api.service as service_module
    real = getattr(service_module, "ingest_untrusted", None)
    if real is None:
        return None
    if isinstance(real, ParseMemo):
        return real
    memo = ParseMemo(real)
    service_module.ingest_untrusted = memo
    return memo


def _count(svc) -> tuple[int, int]:
    docs = svc.store().list_ids()
    return len(docs), sum(len(d.clauses) for d in svc.stored_documents())


def build(svc, src: Path, target: int, plan_clauses: int = 1000, distinct: int = 10_000,
          progress: Callable[[str], None] | None = None) -> BuildStats:
    """Ingest plans into ``svc`` until it holds at least ``target`` clauses (a folder that already
    does is left as it is). Up to ``distinct`` clauses come from distinct plans parsed for real;
    the rest are copies of those plans (see the module docstring)."""
    src.mkdir(parents=True, exist_ok=True)
    stats = BuildStats()
    t0 = time.perf_counter()
    docs, have = _count(svc)
    memo = install_memo() if target > distinct else None
    if target > distinct and memo is None:
        stats.notes.append("no parse step to memoise: every plan parsed for real")
    templates = max(1, -(-min(target, distinct) // plan_clauses))
    i = docs  # the next plan/copy number (a reused folder continues where it stopped)
    while have < target:
        t = i % templates if memo is not None else i
        if memo is None:  # all distinct: the last plan only as long as what is missing
            name, text = make_plan(t, max(20, min(plan_clauses, target - have)), seed=SEED)
        elif i < templates:
            name, text = make_plan(t, plan_clauses, seed=SEED)
        else:
            name, text = f"synthetic-copy-{i:05d}-of-{t:04d}.txt", make_plan(t, plan_clauses, seed=SEED)[1]
            plan = src / f"synthetic-plan-{t:04d}.txt"
            if not plan.exists():
                plan.write_text(text, encoding="utf-8")
        path = src / name
        path.write_text(text, encoding="utf-8")
        (report,) = svc.ingest([path])
        if report.status != "ok":
            raise RuntimeError(f"synthetic plan not ingested: {report}")
        if COPY_NAME.match(name):
            stats.copied_docs += 1
        else:
            stats.parsed_docs += 1
            stats.parse_seconds += float(report.timings.get("total_s", 0.0))
        have += int(report.clauses or 0)
        i += 1
        if progress and i % 10 == 0:
            progress(f"  built {have} clauses in {i} documents ({time.perf_counter() - t0:.0f} s)")
    stats.documents, stats.clauses = _count(svc)
    stats.seconds = time.perf_counter() - t0
    return stats
