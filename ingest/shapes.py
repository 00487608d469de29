"""The public shapes of tracuu, defined once: Document, Clause, Hit, Task, AgencyRef, Deadline, Answer.

Why here: the services return these (pydantic v2 models), the HTTP API declares them as its
response models, the CLI and the web pages render them, and ``index`` builds its passages from
:class:`Document`. Data flows one way (ingest -> index -> api), so the one module every layer can
import is at the bottom, next to :mod:`ingest.model` (whose dataclasses stay the parser's and the
store's internal records; :meth:`Document.of` is the one conversion from them).

Why one definition: the document's metadata used to be written six times (the API's document,
the citation's, the passage's, the header, ...) and the task/answer dicts two or three times;
they had drifted apart. A field added here reaches every front end.

Every reader uses attributes (``hit.clause_id``, ``answer.intent``); the models are not dicts.
:meth:`Shape.to_json` gives exactly the JSON the CLI printed before: the fields that were given,
nothing added (``None`` given is printed as null, a field never given is absent), under their
wire names (``from`` for ``from_``).
"""

from __future__ import annotations

from datetime import date as _date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from tracuu.ingest.model import ParsedDocument


class Shape(BaseModel):
    """A public shape (pydantic): built by the services, serialised by the front ends."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """JSON-native dict of the fields that were given (what ``--json`` prints)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


# --------------------------------------------------------------------------- citations


def format_date(iso: str | None) -> str | None:
    """"2025-09-12" -> "12/9/2025" (Vietnamese usage drops leading zeros)."""
    if not iso:
        return None
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return iso
    return f"{d}/{m}/{y}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def document_name(info: "Document") -> str:
    """The document as a report names it: "Kế hoạch số 214/KH-UBND ngày 12/9/2025 của …"."""
    doc_type = info.doc_type or "Văn bản"
    if info.number:
        name = f"{doc_type} số {info.number}"
        date = format_date(info.date)
        if date:
            name += f" ngày {date}"
        if info.issuer:
            name += f" của {info.issuer}"
        return name
    if info.citation_name:
        return info.citation_name
    name = doc_type
    if info.title:
        name += f" {_lower_first(info.title)}"
    if info.issuer:
        name += f" của {info.issuer}"
    return name


def clause_citation(label: str, info: "Document") -> str:
    """"điểm c khoản 1 Mục II" + the document -> "Điểm c khoản 1 Mục II Kế hoạch …"."""
    label = label[:1].upper() + label[1:] if label else ""
    return f"{label} {document_name(info)}".strip()


# --------------------------------------------------------------------------- documents


class Document(Shape):
    """A document, ingested or only referenced (known from the manifest, its text not ingested)."""

    doc_id: str
    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    status: str = Field("ingested", description="ingested | referenced (known, text not ingested)")
    citation: str = Field("", description="How a report names the document")
    level: str | None = None
    implements: list[str] = []
    file_name: str | None = None
    pages: int | None = None
    clauses: int = 0
    tables: int = 0
    signer: dict[str, str | None] | None = None
    recipients: list[str] = []
    # the manifest's name for a document without a number; used for ``citation``, never shown
    citation_name: str | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _cite(self) -> "Document":
        """Its citation; and every field counts as given: a document's JSON has always listed
        them all (referenced ones included), wherever it is nested (an answer's ``documents``)."""
        if not self.citation:
            self.citation = document_name(self)
        object.__setattr__(self, "__pydantic_fields_set__", set(type(self).model_fields))
        return self

    @classmethod
    def of(cls, doc: "ParsedDocument", **more: Any) -> "Document":
        """The public document of a parsed/stored one (the one conversion from ingest.model)."""
        from dataclasses import asdict

        h = doc.header
        return cls(doc_id=doc.doc_id, doc_type=h.doc_type, number=h.number, date=h.date, issuer=h.issuer,
                   title=h.title, status="ingested", file_name=doc.file_name, pages=doc.pages,
                   clauses=len(doc.clauses), tables=doc.tables, signer=asdict(h.signer),
                   recipients=list(h.recipients), **more)


class ClauseNode(Shape):
    clause_id: str
    path: str
    label: str
    kind: str
    marker: str
    text: str
    page: int
    cells: dict[str, str] | None = None
    children: list["ClauseNode"] = []


class DocumentDetail(Document):
    """A document with its clauses as a tree."""

    tree: list[ClauseNode] = []


# --------------------------------------------------------------------------- clauses and hits


class Reference(Shape):
    """A mention of another document inside a clause, as served."""

    text: str = Field(description="The mention as written in the clause")
    doc_type: str
    number: str
    date: str | None
    doc_id: str | None = Field(description="The document it resolves to, if known")
    status: str | None = Field(description="ingested | referenced | unknown")


class Span(Shape):
    """One source range of a clause's text: [start, end) offsets into the source, its page."""

    start: int
    end: int
    page: int


class Clause(Shape):
    """A clause as served: exact source text, where it lies (offsets, pages, spans), its citation."""

    clause_id: str
    doc_id: str
    path: str
    label: str
    text: str = Field(description="Exact source text of the clause")
    citation: str = Field(description="Vietnamese citation a report would use")
    page: int
    start: int
    end: int
    references: list[Reference]
    kind: str
    heading_chain: list[str]
    page_end: int
    integrity: str = Field(
        default="ok",
        description="ok | text_changed (edited inside the store) | source_missing | source_changed | "
        "source_unreadable | unverified (stored before hashes)",
    )
    exact: bool = Field(default=True, description="False: never present this text as an exact quotation")
    spans: list[Span] = Field(default_factory=list, description="Source ranges of the text, in text order: {start, end, page}")


class Hit(Clause):
    """A clause found for a query, with its score."""

    score: float


class ClauseDetail(Hit):
    """One clause looked up by id: a hit (score 1) with its table cells, parent path and marker."""

    cells: dict[str, str] | None = None
    parent: str | None = None
    marker: str | None = None


class SearchResult(Shape):
    query: str
    results: list[Hit]


# --------------------------------------------------------------------------- tasks and agencies


class Deadline(Shape):
    """A deadline as the API shows it. Due dates are computed by ingest.deadlines.Deadline (one
    code path for the /deadlines page, the filters and the answers)."""

    text: str = Field(description="As written in the clause")
    kind: str | None = None
    date: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    recurrence: str | None = None

    @classmethod
    def of(cls, parsed: Any) -> "Deadline":
        """The API's deadline of one ingest.deadlines.Deadline, or of its stored dict (one conversion)."""
        get = parsed.get if isinstance(parsed, dict) else (lambda k: getattr(parsed, k, None))
        return cls.model_validate({k: get(k) for k in cls.model_fields})

    def _parsed(self):  # -> ingest.deadlines.Deadline
        from tracuu.ingest.deadlines import Deadline as Parsed

        return Parsed.from_dict(self.model_dump())

    def due_before(self, day: int, month: int, year: int | None = None) -> bool:
        """Is it due by day/month (of year)? ``ingest.deadlines.Deadline.due_before``."""
        return self._parsed().due_before(day, month, year)

    def first_due(self) -> tuple[tuple[int, int] | None, _date | None]:
        """((month, day), full date or None): ``ingest.deadlines.Deadline.first_due``."""
        return self._parsed().first_due()


class AgencyRef(Shape):
    """An agency a task names, as the gazetteer knows it (``known``) or as written."""

    agency_id: str  # scoped by province for a provincial or local body: "so-tai-chinh--dong-thap"
    agency: str | None
    as_written: str | None
    level: str | None
    known: bool
    via: "AgencyRef | None" = None
    jurisdiction: str | None = None  # province of a provincial or local body: part of its identity


class Task(Shape):
    task_id: str
    doc_id: str
    path: str
    text: str
    lead: list[AgencyRef]
    coordinators: list[AgencyRef]
    performer: list[AgencyRef]
    advises: list[AgencyRef]
    reports_to: list[AgencyRef]
    deadline: Deadline | None
    recurrence: str | None
    citation: str
    clause_id: str
    roles: list[str] | None = None


class Agency(Shape):
    """An agency with how many tasks name it in each role."""

    agency_id: str
    agency: str | None
    level: str | None
    known: bool
    counts: dict[str, int]
    names_as_written: list[str | None]
    jurisdiction: str | None = None  # province of a provincial or local body: part of its id


class AgencyTasks(Shape):
    agency: Agency
    tasks: list[Task]


# --------------------------------------------------------------------------- answers


class Owner(Shape):
    agency: str
    as_written: str
    role: str = Field(description="lead | coordinator | performer | advised | reports_to | via")
    role_vi: str


class Answer(Shape):
    """An extractive answer: the quoted clauses (``citations``), who owns it, by when."""

    question: str
    answer: str
    found: bool
    owners: list[Owner]
    deadline: Deadline | None
    citations: list[Hit]
    intent: str | None = None
    alternatives: list[Hit] = Field(default_factory=list, description="Close calls shown with the answer")
    uncertain: bool | None = None
    clarify: list[str] | None = Field(None, description="The documents the question may mean, when it does not say")
    documents: list[Document] | None = None
    tasks_by_role: dict[str, list[str]] | None = None


# --------------------------------------------------------------------------- links


class LinkedClause(Shape):
    """The clause at one end of a link; only ``clause_id`` and ``found: false`` when it is gone."""

    clause_id: str
    doc_id: str | None = None
    path: str | None = None
    label: str | None = None
    citation: str | None = None
    text: str | None = None
    found: bool


class CiteLink(Shape):
    """A clause citing a document or one of its clauses (ingest.links.Link, as served)."""

    text: str = Field(description="The phrase as written in the citing clause")
    start: int
    end: int
    number: str | None
    doc_id: str | None = Field(description="The document cited, when it can be told")
    path: str | None = Field(description="The clause path cited, when written")
    to: str | None = Field(description='"doc_id:path" for a clause link, doc_id for a document link')
    kind: str = Field(description="clause | document")
    status: str = Field(description="ingested | referenced | unknown")
    clause_found: bool | None = None
    via: str = Field("number", description="How the document was named: number | self | alias")
    from_: str = Field(alias="from", description="The citing clause")
    target: LinkedClause | None = Field(None, description="The clause cited (a clause link into an ingested document)")
    source: LinkedClause | None = Field(None, description="The citing clause (in cited_by)")


class ImplementsLink(Shape):
    """A task clause carrying out a clause of a higher document: proposed, confirmed or rejected."""

    link_id: str
    relation: str = "implements"
    from_: str = Field(alias="from")
    to: str
    status: str = Field(description="proposed | confirmed | rejected")
    score: float | None
    parts: dict[str, float] | None = Field(description="embedding, agency, keywords, cosine (a proposal)")
    decided_at: str | None
    target: LinkedClause
    source: LinkedClause


class Related(Shape):
    """What a clause cites and is cited by, what it implements and is implemented by."""

    clause_id: str
    cites: list[CiteLink]
    cited_by: list[CiteLink]
    implements: list[ImplementsLink]
    implemented_by: list[ImplementsLink]


# --------------------------------------------------------------------------- ingesting


class ErrorOut(Shape):
    """A refusal or a failure, said in both languages (every API error; a failed file's errors)."""

    code: str
    message_vi: str
    message_en: str


class IngestReport(Shape):
    """What became of one file: one report per file, whatever happened to it.

    ``status``: "ok" (stored; ``unchanged`` when the same bytes were already stored, ``replaced``
    when an earlier version was), "error" (failed: ``errors`` says why, in both languages; the
    index is as it was) or "skipped" (not a file tracuu reads). :attr:`outcome` names the five.
    """

    path: str
    status: str = Field(description="ok | error | skipped")
    errors: list[ErrorOut] = []
    timings: dict[str, float] = {}
    replaced_id: str | None = Field(None, description="The copy under an older id that this one replaced")
    doc_id: str | None = None
    title: str | None = None
    clauses: int | None = None
    tables: int | None = None
    pages: int | None = None
    ocr_pages: int | None = None
    warnings: list[str] = []
    replaced: bool | None = None
    coverage: float | None = Field(None, description="Percent of the source text the clauses hold")
    unverified: list[str] | None = Field(None, description="Paths of clauses not verified against the source")
    embedded_new: int | None = None
    reused: int | None = None
    removed: int | None = None
    unchanged: bool | None = None
    file_name: str | None = None

    @property
    def outcome(self) -> str:
        """ok | unchanged | replaced | failed | skipped."""
        if self.status == "skipped":
            return "skipped"
        if self.status != "ok":
            return "failed"
        return "unchanged" if self.unchanged else "replaced" if self.replaced else "ok"


class IngestEvent(Shape):
    """What ``ingest(progress=...)`` is told: a file starts (``file``), is read and parsed
    (``parsed``), is done (``done``, with its report)."""

    event: str = Field(description="file | parsed | done")
    path: str | None = None
    index: int | None = None
    total: int = 0
    pages: int | None = None
    ocr_pages: int | None = None
    clauses: int | None = None
    report: IngestReport | None = None


class ReindexReport(Shape):
    """What ``tracuu reindex`` did: the vector index rebuilt from the stored clauses."""

    clauses: int
    upserted: int
    embedded_new: int
    removed: int
    vector_index: str


# --------------------------------------------------------------------------- the store


class HealthReason(Shape):
    code: str
    file: str | None = None
    message_vi: str
    message_en: str


class Health(Shape):
    status: str = Field(description="ok | degraded (see reasons)")
    documents: int
    clauses: int
    embed_model: str
    reasons: list[HealthReason] = []
    writable: bool = True
    vector_index: str = Field(default="ok", description="ok | rebuilt | unavailable (keyword search only) | not_open")


__all__ = [
    "Agency", "AgencyRef", "AgencyTasks", "Answer", "CiteLink", "Clause", "ClauseDetail", "ClauseNode", "Deadline",
    "Document", "DocumentDetail", "ErrorOut", "Health", "HealthReason", "Hit", "ImplementsLink", "IngestEvent",
    "IngestReport", "LinkedClause", "Owner", "Reference", "ReindexReport", "Related", "SearchResult", "Shape", "Span",
    "Task", "clause_citation", "document_name", "format_date",
]
