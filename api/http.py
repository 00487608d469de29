"""The HTTP API (FastAPI) over the same service layer as the CLI.

Errors are answered in one bilingual shape (``code``, ``message_vi``, ``message_en``): JSON under
``/api`` (and ``/healthz``, ``/openapi.json``), an HTML page for the staff pages, 500s included
(:mod:`api.hardening`), so an official reading a failed request in a browser understands it,
and so does the engineer reading the log. Every response carries the security headers.

The settings are validated when the app is built (:func:`api.config.http_settings`): a bad
``TRACUU_MAX_UPLOAD_MB`` stops the server at start, not at the first upload. ``/docs`` serves
Swagger UI from files installed with the app (``fastapi-offline``), never from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from tracuu.api.config import ConfigError, http_settings
from tracuu.api.errors import ApiError
from tracuu.api.hardening import HardeningMiddleware, bilingual_page, wants_json
from tracuu.api.schemas import (
    AgencyOut,
    AgencyTasks,
    AskRequest,
    AskResponse,
    ClauseNode,
    DocumentDetail,
    DocumentOut,
    ErrorOut,
    Health,
    Hit,
    ImplementsLink,
    IngestReport,
    Related,
    SearchResponse,
    TaskOut,
)
from tracuu.api.service import MAX_K, MAX_QUERY_CHARS, Tracuu
from tracuu.api.uploads import ClientGone, accept_upload, check_key, sweep_incoming
from tracuu.api.web import make_templates, mount_web
from tracuu.ingest.errors import BilingualError, IngestError

ERRORS = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def _docs_assets() -> Path | None:
    """Swagger UI's files as installed by the ``fastapi-offline`` package (None if missing)."""
    try:
        import fastapi_offline
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    folder = Path(fastapi_offline.__file__).resolve().parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tracuu API</title>
<link rel="icon" href="/static/favicon.svg"><link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>
"""

HTTP_VI = {400: "Không đọc được nội dung yêu cầu", 404: "Không tìm thấy đường dẫn",
           405: "Phương thức không được hỗ trợ", 413: "Yêu cầu quá lớn"}


#: What an upload's answer has always left out of the report (the CLI's report shows them).
UPLOAD_LEAVES_OUT = {"replaced_id", "replaced", "coverage", "unverified"}


def upload_json(report: IngestReport) -> dict[str, Any]:
    """An upload's answer: the report with every other field (null when not given), its timings last,
    as it has always been answered."""
    body = report.model_dump(mode="json", exclude=UPLOAD_LEAVES_OUT)
    body["timings"] = body.pop("timings")
    return body


def create_app(service: Tracuu) -> FastAPI:
    http_settings()  # refuse to start on a bad setting (ConfigError names it), not at the first request
    app = FastAPI(
        title="tracuu",
        description="Tra cứu văn bản chính sách: tìm điều khoản và trích dẫn chính xác.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    sweep_incoming(service.settings.data_dir / "uploads")  # what a killed server left half-received
    templates = make_templates()

    def error_response(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        """JSON for the API, an HTML page for the staff pages; the same bilingual fields in both."""
        if wants_json(request.url.path):
            return JSONResponse(status_code=status, content=body, headers=headers)
        try:
            return templates.TemplateResponse(
                request, "error.html", {"error": body, "status": status, "nav": ""}, status_code=status, headers=headers
            )
        except Exception:  # the page template itself failing must not hide the error
            return HTMLResponse(bilingual_page(status, body["message_vi"], body["message_en"]), status, headers=headers)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError) -> Response:
        return error_response(request, err.status, err.to_dict(), err.headers or None)

    @app.exception_handler(IngestError)
    async def _ingest_error(request: Request, err: IngestError) -> Response:
        return error_response(request, 400, err.to_dict())

    @app.exception_handler(ConfigError)
    async def _config_error(request: Request, err: ConfigError) -> Response:
        # A setting changed under a running server: the operator's problem, said in both languages.
        return error_response(request, 500, err.to_dict())

    @app.exception_handler(BilingualError)
    async def _bilingual_error(request: Request, err: BilingualError) -> Response:
        return error_response(request, 400, err.to_dict())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError) -> Response:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + f": {e.get('msg')}" for e in err.errors())
        return error_response(request, 422, {
            "code": "invalid_request",
            "message_vi": f"Yêu cầu không hợp lệ ({where}).",
            "message_en": f"Invalid request ({where}).",
        })

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> Response:
        # What Starlette/FastAPI raise themselves (a body that is not JSON or not multipart, an
        # unknown path or method): the same bilingual shape as every other error.
        vi = HTTP_VI.get(err.status_code, "Yêu cầu bị từ chối")
        return error_response(
            request, err.status_code,
            {"code": f"http_{err.status_code}", "message_vi": f"{vi} ({err.detail}).", "message_en": str(err.detail)},
            getattr(err, "headers", None),
        )

    assets = _docs_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=str(assets)), name="docs-assets")

        @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
        def docs() -> HTMLResponse:
            """Swagger UI from local files; its start-up script is /static/docs.js (no inline script)."""
            return HTMLResponse(DOCS_PAGE)

    @app.get("/healthz", response_model=Health)
    def healthz() -> Health:
        return service.health()

    @app.get("/api/search", response_model=SearchResponse, responses=ERRORS)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Câu hỏi / query")],
        k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
        doc: Annotated[list[str] | None, Query(description="doc_id filter")] = None,
        doc_type: Annotated[list[str] | None, Query(description="document type filter, e.g. Kế hoạch")] = None,
        agency: Annotated[str | None, Query(max_length=200, description="agency id or name")] = None,
    ) -> SearchResponse:
        return service.search(q, k=k, doc_ids=doc, doc_types=doc_type, agency=agency)

    # The HTTP answer has always carried these seven fields; the close calls, the documents a
    # question may mean and the per-role task ids are the web page's and the CLI's.
    @app.post("/api/ask", response_model=AskResponse, responses=ERRORS,
              response_model_exclude={"alternatives", "uncertain", "clarify", "documents", "tasks_by_role"})
    def ask(body: AskRequest) -> AskResponse:
        return service.ask(body.question, k=body.k, doc_ids=body.doc, doc_types=body.doc_type, agency=body.agency)

    @app.get("/api/agencies", response_model=list[AgencyOut])
    def agencies() -> list[AgencyOut]:
        return service.agencies()

    @app.get("/api/agencies/{agency_id}/tasks", response_model=AgencyTasks, responses=ERRORS)
    def agency_tasks(agency_id: str) -> AgencyTasks:
        return service.agency_tasks(agency_id)

    @app.get("/api/tasks", response_model=list[TaskOut], responses=ERRORS)
    def tasks(
        agency: Annotated[str | None, Query(max_length=200)] = None,
        doc: Annotated[str | None, Query(max_length=200)] = None,
        role: Annotated[str | None, Query(max_length=40, description="lead | coordinator | performer | advised | reports_to | via")] = None,
    ) -> list[TaskOut]:
        return service.tasks(agency=agency, doc=doc, role=role)

    def require_key(authorization: str | None, x_api_key: str | None) -> None:
        check_key(http_settings().api_key, authorization, x_api_key)

    upload_body = {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary", "description": "PDF, DOCX hoặc TXT"}},
        }}},
    }

    @app.post(
        "/api/documents", status_code=201, response_model=IngestReport,
        responses={**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 408: {"model": ErrorOut},
                   413: {"model": ErrorOut}, 415: {"model": ErrorOut}},
        openapi_extra={"requestBody": upload_body},
    )
    async def upload(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> IngestReport | Response:
        """Upload one document (multipart field ``file``). The key (header) and the declared size
        are checked before the body is read; the body is streamed to disk with a hard cap."""
        try:
            report = await accept_upload(request, service, authorization=authorization, x_api_key=x_api_key)
        except ClientGone:
            return Response(status_code=400, headers={"Connection": "close"})
        return JSONResponse(upload_json(report), status_code=201)

    @app.delete("/api/documents/{doc_id}", status_code=204, responses={**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}})
    def delete_document(
        doc_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> None:
        require_key(authorization, x_api_key)
        service.delete(doc_id)

    @app.get("/api/documents", response_model=list[DocumentOut])
    def documents() -> list[DocumentOut]:
        return service.documents()

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail, responses=ERRORS)
    def document(doc_id: str) -> DocumentDetail:
        return service.document(doc_id)

    @app.get("/api/clauses/{clause_id}", response_model=Hit, responses=ERRORS)
    def clause(clause_id: str) -> Hit:
        return service.clause(clause_id)

    # exclude_unset: a cite without a target, a clause gone from the store, have always been
    # answered without the fields they lack (not with nulls)
    @app.get("/api/clauses/{clause_id}/related", response_model=Related, response_model_exclude_unset=True,
             responses=ERRORS)
    def related(clause_id: str) -> Related:
        """What a clause cites and is cited by; the clauses it implements and is implemented by."""
        return service.related(clause_id)

    def decide(link_id: str, status: str, authorization: str | None, x_api_key: str | None) -> ImplementsLink:
        from tracuu.api.links import LinkService

        require_key(authorization, x_api_key)
        return LinkService.of(service).decide(link_id, status)

    WRITE_ERRORS = {**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}}

    @app.post("/api/links/{link_id}/confirm", response_model=ImplementsLink, response_model_exclude_unset=True,
              responses=WRITE_ERRORS)
    def confirm_link(
        link_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> ImplementsLink:
        """Confirm a proposed "implements" link (kept in links.json across re-ingests)."""
        return decide(link_id, "confirmed", authorization, x_api_key)

    @app.post("/api/links/{link_id}/reject", response_model=ImplementsLink, response_model_exclude_unset=True,
              responses=WRITE_ERRORS)
    def reject_link(
        link_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> ImplementsLink:
        """Reject a proposed "implements" link: it is not proposed again."""
        return decide(link_id, "rejected", authorization, x_api_key)

    mount_web(app, service)
    app.add_middleware(HardeningMiddleware)
    return app


__all__ = ["create_app", "ClauseNode"]
