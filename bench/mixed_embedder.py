"""e5 for queries, 384-dim hash vectors for passages: an index of 100k clauses without embedding them.

Why: embedding 100k passages with e5 takes hours on two cores, and the scaling benchmark measures
the index, not the model. Queries are still embedded by the real e5, so a query's cost includes
the model's; passages get the hash embedder's vectors, so rankings are meaningless (timings are
not). Named like ``HashEmbedder(384)`` because its stored vectors are that. Each query is
embedded afresh (the e5 wrapper's recent-query cache is emptied first): a query costs the model.

``install()`` teaches ``index.embedders.make_embedder`` the spec ``bench-mixed`` (the bench sets
``TRACUU_EMBED_MODEL=bench-mixed``), so a service, a ``tracuu search`` child or a ``tracuu serve``
child builds it through the normal settings path. Bench code only: nothing in the product knows it.
"""

from __future__ import annotations

import time
from typing import Any

SPEC = "bench-mixed"


class MixedEmbedder:
    """e5 for queries, hash-384 for passages; counts the seconds (wall and CPU) spent embedding passages."""

    def __init__(self) -> None:
        from tracuu.index.embedders import E5Embedder, HashEmbedder

        self.passages = HashEmbedder(384)
        self.queries = E5Embedder()
        assert self.queries.dim == 384
        self.name, self.dim = self.passages.name, 384
        self.passage_seconds = 0.0
        self.passage_cpu = 0.0  # process CPU seconds while embedding passages

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return self.passages.embed_passages(texts)
        finally:
            self.passage_seconds += time.perf_counter() - t0
            self.passage_cpu += time.process_time() - c0

    def embed_query(self, text: str) -> list[float]:
        # Every query pays the model: the e5 wrapper's cache of recent queries would otherwise
        # answer the bench's repeated questions (an ask right after a search of the same text).
        recent, lock = getattr(self.queries, "_recent", None), getattr(self.queries, "_recent_lock", None)
        if isinstance(recent, dict) and lock is not None:
            with lock:
                recent.clear()
        return self.queries.embed_query(text)


_SHARED: dict[str, MixedEmbedder] = {}


def shared() -> MixedEmbedder:
    """One per process (e5 loads once)."""
    if "m" not in _SHARED:
        _SHARED["m"] = MixedEmbedder()
    return _SHARED["m"]


def install() -> None:
    """Make ``make_embedder("bench-mixed")`` return the shared :class:`MixedEmbedder`."""
    import tracuu.index.embedders as embedders
    original = embedders.make_embedder
    if getattr(original, "_bench_mixed", False):
        return

    def make_embedder(spec: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if (spec or "").strip() == SPEC:
            return shared()
        return original(spec, *args, **kwargs)

    make_embedder._bench_mixed = True  # type: ignore[attr-defined]
    embedders.make_embedder = make_embedder
