"""How a report names a document and a clause: the Vietnamese citation string.

"Điểm c khoản 1 Mục II Kế hoạch số 214/KH-UBND ngày 12/9/2025 của Ủy ban nhân dân tỉnh Bình Sơn".
Officials paste these into reports, so the form follows administrative usage: label first,
then the document's type, number, date and issuer.

The functions and the document they name are defined once, in :mod:`ingest.shapes` (the public
shapes every layer shares); this module is where the API's callers have always found them.
``DocumentInfo`` is the old name of :class:`~ingest.shapes.Document`.
"""

from __future__ import annotations

from tracuu.ingest.shapes import Document, clause_citation, document_name, format_date

DocumentInfo = Document

__all__ = ["Document", "DocumentInfo", "clause_citation", "document_name", "format_date"]
