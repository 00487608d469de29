"""Errors of the index layer, with a message in Vietnamese and in English.

Why not :class:`ingest.errors.IngestError`: that one means "bad input" (a 4xx); what goes wrong
here is mostly configuration (an optional extra not installed, a model missing on disk), which is
the operator's problem, not the uploader's. The shape (``vi``, ``en``, ``code``, ``to_dict``) is
the same so the CLI and the HTTP layer can print both alike.
"""

from __future__ import annotations

from tracuu.ingest.errors import BilingualError


class TracuuIndexError(BilingualError, RuntimeError):
    """Base class: something the index cannot do, said in both languages."""

    default_code = "index_error"


class EmbedderUnavailable(TracuuIndexError):
    """The requested embedder cannot be built (extra not installed, model not on disk)."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi, en, code="embedder_unavailable")


class EmbedderMismatch(TracuuIndexError):
    """The vector collection was built with another embedder (or dimension) than the one asked
    for: refused, never dropped; `tracuu reindex` rebuilds it on purpose."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi, en, code="embedder_mismatch")


class BadDocument(TracuuIndexError):
    """A ParsedDocument the index refuses (duplicate clause ids, clauses of another doc_id...)."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi, en, code="bad_document")


class StoreUnwritable(TracuuIndexError):
    """The data directory cannot take a write (read-only, full disk, vector index unavailable):
    reads keep working, this write is refused and nothing was changed."""

    def __init__(self, vi: str, en: str, code: str = "read_only") -> None:
        super().__init__(vi, en, code=code)
