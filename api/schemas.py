"""The JSON shapes of the API, shared by the CLI's ``--json`` and HTTP.

One shape for a hit everywhere, so a script written against the CLI works against HTTP.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReferenceOut(BaseModel):
    text: str = Field(description="The mention as written in the clause")
    doc_type: str
    number: str
    date: str | None
    doc_id: str | None = Field(description="The document it resolves to, if known")
    status: str | None = Field(description="ingested | referenced | unknown")


class Hit(BaseModel):
    clause_id: str
    doc_id: str
    path: str
    label: str
    text: str = Field(description="Exact source text of the clause")
    score: float
    citation: str = Field(description="Vietnamese citation a report would use")
    page: int
    start: int
    end: int
    references: list[ReferenceOut]
    kind: str
    heading_chain: list[str]
    page_end: int
    integrity: str = Field(
        default="ok",
        description="ok | text_changed (edited inside the store) | source_missing | source_changed | "
        "source_unreadable | unverified (stored before hashes)",
    )
    exact: bool = Field(default=True, description="False: never present this text as an exact quotation")
    spans: list[dict[str, int]] = Field(default_factory=list, description="Source ranges of the text, in text order: {start, end, page}")


class SearchResponse(BaseModel):
    query: str
    results: list[Hit]


class ClauseNode(BaseModel):
    clause_id: str
    path: str
    label: str
    kind: str
    marker: str
    text: str
    page: int
    cells: dict[str, str] | None = None
    children: list["ClauseNode"] = []


class DocumentOut(BaseModel):
    doc_id: str
    doc_type: str | None
    number: str | None
    date: str | None
    issuer: str | None
    title: str | None
    status: str = Field(description="ingested | referenced (known, text not ingested)")
    citation: str = Field(description="How a report names the document")
    level: str | None = None
    implements: list[str] = []
    file_name: str | None = None
    pages: int | None = None
    clauses: int = 0
    tables: int = 0
    signer: dict[str, str | None] | None = None
    recipients: list[str] = []


class DocumentDetail(DocumentOut):
    tree: list[ClauseNode]


class ErrorOut(BaseModel):
    code: str
    message_vi: str
    message_en: str


class HealthReason(BaseModel):
    code: str
    file: str | None = None
    message_vi: str
    message_en: str


class Health(BaseModel):
    status: str = Field(description="ok | degraded (see reasons)")
    documents: int
    clauses: int
    embed_model: str
    reasons: list[HealthReason] = []
    writable: bool = True
    vector_index: str = Field(default="ok", description="ok | rebuilt | unavailable (keyword search only) | not_open")


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="Câu hỏi bằng tiếng Việt")
    k: int = Field(default=5, ge=1, le=100)
    doc: list[str] | None = None
    doc_type: list[str] | None = None
    agency: str | None = Field(default=None, max_length=200)


class Owner(BaseModel):
    agency: str
    as_written: str
    role: str = Field(description="lead | coordinator | performer | advised | reports_to | via")
    role_vi: str


class DeadlineOut(BaseModel):
    text: str = Field(description="As written in the clause")
    kind: str | None = None
    date: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    recurrence: str | None = None


class AskResponse(BaseModel):
    question: str
    answer: str
    found: bool
    owners: list[Owner]
    deadline: DeadlineOut | None
    citations: list[Hit]
    intent: str | None = None


class AgencyRefOut(BaseModel):
    agency_id: str
    agency: str | None
    as_written: str | None
    level: str | None
    known: bool
    via: "AgencyRefOut | None" = None


class TaskOut(BaseModel):
    task_id: str
    doc_id: str
    path: str
    text: str
    lead: list[AgencyRefOut]
    coordinators: list[AgencyRefOut]
    performer: list[AgencyRefOut]
    advises: list[AgencyRefOut]
    reports_to: list[AgencyRefOut]
    deadline: DeadlineOut | None
    recurrence: str | None
    citation: str
    clause_id: str
    roles: list[str] | None = None


class AgencyOut(BaseModel):
    agency_id: str
    agency: str | None
    level: str | None
    jurisdiction: str | None = None  # province of a provincial or local body: part of its id
    known: bool
    counts: dict[str, int]
    names_as_written: list[str | None]


class AgencyTasks(BaseModel):
    agency: AgencyOut
    tasks: list[TaskOut]


class IngestReport(BaseModel):
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
