"""Search: query checks, query understanding (diacritics restored, variants) and the hybrid ranking.

Why a module of its own: search and ask both start here (``scored``), with the same checks on a
query and the same filters (documents, types, an agency's tasks); the diacritic restorer reads
the catalog's persisted counts. One job of the service (:class:`api.service.Tracuu` composes them).
"""

from __future__ import annotations

from typing import Any

from tracuu.api.errors import ApiError
from tracuu.api.tasks_view import AgencyQuery
from tracuu.index.query.restore import question_phrases
from tracuu.ingest.shapes import SearchResult
from tracuu.ingest.vntext import collapse_spaces, nfc

MAX_K = 100
# Question words the corpus never contains, so the diacritic model learns how questions read
# ("bao nhiêu", "ai ký", "khi nào"): index/data/question_phrases.txt (language data, not code).
QUESTION_PHRASES = question_phrases()
MAX_QUERY_CHARS = 2000


class Search:
    """Query checks, understanding and the hybrid search. A part of :class:`api.service.Tracuu`: it uses the root's
    ``store()``, ``index``, ``manifest``, ``settings``, ``thresholds`` and ``_per_generation``."""

    def restorer(self):  # -> restores like DiacriticRestorer.from_texts(every clause text + QUESTION_PHRASES)
        """The diacritic restorer over the catalog's persisted counts (updated at ingest; a query
        reads only the rows it needs). The question phrases are counted when the index opens."""
        return self.index.restorer_counts.restorer()

    def _count_question_phrases(self, index) -> None:
        """Keep the question phrases counted once in the catalog (a write: done at open, not per query)."""
        try:
            with index.store.db.transaction():
                index.restorer_counts.sync_extra(QUESTION_PHRASES)
        except Exception as err:  # a read-only catalog: restore without them rather than fail
            if not index.store.read_only:
                raise
            import logging

            logging.getLogger(__name__).warning("question phrases not counted (read-only catalog): %s", err)

    def understand(self, query: str):  # -> index.query.QueryUnderstanding
        from tracuu.index.query import understand

        return understand(query, self.restorer())

    def _check_query(self, query: str, k: int) -> str:
        q = collapse_spaces(nfc(query or ""))
        if not q:
            raise ApiError("Câu hỏi trống.", "The query is empty.", status=422, code="empty_query")
        if len(q) > MAX_QUERY_CHARS:
            raise ApiError(
                f"Câu hỏi quá dài (tối đa {MAX_QUERY_CHARS} ký tự).",
                f"The query is too long (at most {MAX_QUERY_CHARS} characters).",
                status=422,
                code="query_too_long",
            )
        if not 1 <= k <= MAX_K:
            raise ApiError(
                f"k phải từ 1 đến {MAX_K}.", f"k must be between 1 and {MAX_K}.", status=422, code="bad_k"
            )
        return q

    def _agency_tasks(self, agency: str) -> list[dict[str, Any]]:
        """Tasks that give ``agency`` any role: candidates from the catalog's agency index, each
        checked exactly."""
        query = AgencyQuery.of(agency)
        return [t for t in self.store().tasks_naming(query.keys, query.folded, query.phrases) if query.roles_in(t)]

    def scored(self, query: str, k: int = 10, doc_ids=None, doc_types=None, agency: str | None = None, understood=None,
               clause_ids: set[str] | None = None):
        """(understanding, ScoredClause list): the hybrid search with query understanding.

        ``agency``: only clauses giving it a task; ``clause_ids``: only these clauses."""
        u = understood or self.understand(query)
        docs = doc_ids
        if clause_ids is not None:
            wanted = {cid.split(":", 1)[0] for cid in clause_ids}
            docs = [d for d in (doc_ids or wanted) if d in wanted]
        if agency:  # only clauses that give the agency a task: search those documents wide, keep those
            tasks = self._agency_tasks(agency)
            clause_ids = {t["clause_id"] for t in tasks} & (clause_ids if clause_ids is not None else {t["clause_id"] for t in tasks})
            wanted = {t["doc_id"] for t in tasks}
            docs = [d for d in (doc_ids or wanted) if d in wanted]
        if docs is not None and not docs:
            return u, []
        hits = self.index.search(
            u.cleaned or query,
            k=MAX_K if clause_ids is not None else k,
            doc_ids=docs,
            doc_types=doc_types,
            dense_query=u.search_texts.dense,
            keyword_query=u.search_texts.keyword,
        )
        if clause_ids is not None:
            hits = [h for h in hits if h.clause.clause_id in clause_ids][:k]
        return u, hits

    def search(
        self,
        query: str,
        k: int = 10,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
        agency: str | None = None,
    ) -> SearchResult:
        q = self._check_query(query, k)
        _, scored = self.scored(q, k=k, doc_ids=doc_ids, doc_types=doc_types, agency=agency)
        return SearchResult.model_validate({"query": q, "results": self._hits(scored, {})})
