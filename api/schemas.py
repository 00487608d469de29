"""What the HTTP API takes (request models).

What it returns, and how it refuses (``ErrorOut``), is defined once, in :mod:`ingest.shapes` (Document, Hit, Answer, Task, ...): the
services return those models, FastAPI declares and serialises them, the CLI prints the same JSON.
They are re-exported here under the names the API has always used, for scripts that import them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from tracuu.ingest.shapes import (
    Agency,
    AgencyRef,
    AgencyTasks,
    Answer,
    CiteLink,
    ClauseDetail,
    ClauseNode,
    Deadline,
    Document,
    DocumentDetail,
    ErrorOut,
    Health,
    HealthReason,
    Hit,
    ImplementsLink,
    IngestReport,
    LinkedClause,
    Owner,
    Reference,
    Related,
    SearchResult,
    Task,
)

# The API's former names for the shapes (one definition each, in ingest.shapes).
ReferenceOut = Reference
SearchResponse = SearchResult
DocumentOut = Document
DeadlineOut = Deadline
AskResponse = Answer
AgencyRefOut = AgencyRef
TaskOut = Task
AgencyOut = Agency


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="Câu hỏi bằng tiếng Việt")
    k: int = Field(default=5, ge=1, le=100)
    doc: list[str] | None = None
    doc_type: list[str] | None = None
    agency: str | None = Field(default=None, max_length=200)


__all__ = [
    "Agency", "AgencyOut", "AgencyRef", "AgencyRefOut", "AgencyTasks", "Answer", "AskRequest", "AskResponse",
    "CiteLink", "ClauseDetail", "ClauseNode", "Deadline", "DeadlineOut", "Document", "DocumentDetail", "DocumentOut",
    "ErrorOut", "Health", "HealthReason", "Hit", "ImplementsLink", "IngestReport", "LinkedClause", "Owner",
    "ReferenceOut", "Related", "SearchResponse", "SearchResult", "Task", "TaskOut",
]
