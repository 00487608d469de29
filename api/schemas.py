"""What the HTTP API takes (request models) and how it refuses (the error shape).

What it returns is defined once, in :mod:`ingest.shapes` (Document, Hit, Answer, Task, ...): the
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
    ClauseDetail,
    ClauseNode,
    Deadline,
    Document,
    DocumentDetail,
    Health,
    HealthReason,
    Hit,
    Owner,
    Reference,
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


class ErrorOut(BaseModel):
    code: str
    message_vi: str
    message_en: str


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="Câu hỏi bằng tiếng Việt")
    k: int = Field(default=5, ge=1, le=100)
    doc: list[str] | None = None
    doc_type: list[str] | None = None
    agency: str | None = Field(default=None, max_length=200)


class IngestReport(BaseModel):
    """What an upload answers (the service's ingest report for one file)."""

    path: str
    status: str
    errors: list[ErrorOut] = []
    doc_id: str | None = None
    title: str | None = None
    clauses: int | None = None
    tables: int | None = None
    pages: int | None = None
    ocr_pages: int | None = None
    warnings: list[str] = []
    embedded_new: int | None = None
    reused: int | None = None
    removed: int | None = None
    unchanged: bool | None = None
    file_name: str | None = None
    timings: dict[str, float] = {}


__all__ = [
    "Agency", "AgencyOut", "AgencyRef", "AgencyRefOut", "AgencyTasks", "Answer", "AskRequest", "AskResponse",
    "ClauseDetail", "ClauseNode", "Deadline", "DeadlineOut", "Document", "DocumentDetail", "DocumentOut", "ErrorOut",
    "Health", "HealthReason", "Hit", "IngestReport", "Owner", "ReferenceOut", "SearchResponse", "SearchResult", "Task",
    "TaskOut",
]
