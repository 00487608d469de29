"""The HTTP API (FastAPI) over the same service layer as the CLI.

Errors are answered as 4xx with a Vietnamese and an English message, so an official reading a
failed request in a browser understands it, and so does the engineer reading the log.
"""

from __future__ import annotations

from typing import Annotated

import os

from fastapi import FastAPI, File, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiError
from api.schemas import (
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
    IngestReport,
    SearchResponse,
    TaskOut,
)
from api.service import MAX_K, MAX_QUERY_CHARS, Tracuu
from api.uploads import check_key, ingest_upload, max_upload_bytes
from api.web import mount_web
from ingest.errors import IngestError

ERRORS = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def create_app(service: Tracuu) -> FastAPI:
    app = FastAPI(
        title="tracuu",
        description="Tra cứu văn bản chính sách: tìm điều khoản và trích dẫn chính xác.",
        version="0.1.0",
    )
    app.state.service = service

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, err: ApiError) -> JSONResponse:
        return JSONResponse(status_code=err.status, content=err.to_dict())

    @app.exception_handler(IngestError)
    async def _ingest_error(_: Request, err: IngestError) -> JSONResponse:
        return JSONResponse(status_code=400, content=err.to_dict())

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, err: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + f": {e.get('msg')}" for e in err.errors())
        return JSONResponse(
            status_code=422,
            content={
                "code": "invalid_request",
                "message_vi": f"Yêu cầu không hợp lệ ({where}).",
                "message_en": f"Invalid request ({where}).",
            },
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        # What Starlette/FastAPI raise themselves (a body that is not JSON or not multipart, an
        # unknown path or method): the same bilingual shape as every other error.
        vi = {400: "Không đọc được nội dung yêu cầu", 404: "Không tìm thấy đường dẫn",
              405: "Phương thức không được hỗ trợ"}.get(err.status_code, "Yêu cầu bị từ chối")
        return JSONResponse(
            status_code=err.status_code,
            content={"code": f"http_{err.status_code}", "message_vi": f"{vi} ({err.detail}).",
                     "message_en": str(err.detail)},
            headers=getattr(err, "headers", None),
        )

    @app.get("/healthz", response_model=Health)
    def healthz() -> dict:
        return service.health()

    @app.get("/api/search", response_model=SearchResponse, responses=ERRORS)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Câu hỏi / query")],
        k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
        doc: Annotated[list[str] | None, Query(description="doc_id filter")] = None,
        doc_type: Annotated[list[str] | None, Query(description="document type filter, e.g. Kế hoạch")] = None,
        agency: Annotated[str | None, Query(max_length=200, description="agency id or name")] = None,
    ) -> dict:
        return service.search(q, k=k, doc_ids=doc, doc_types=doc_type, agency=agency)

    @app.post("/api/ask", response_model=AskResponse, responses=ERRORS)
    def ask(body: AskRequest) -> dict:
        return service.ask(body.question, k=body.k, doc_ids=body.doc, doc_types=body.doc_type, agency=body.agency)

    @app.get("/api/agencies", response_model=list[AgencyOut])
    def agencies() -> list[dict]:
        return service.agencies()

    @app.get("/api/agencies/{agency_id}/tasks", response_model=AgencyTasks, responses=ERRORS)
    def agency_tasks(agency_id: str) -> dict:
        return service.agency_tasks(agency_id)

    @app.get("/api/tasks", response_model=list[TaskOut], responses=ERRORS)
    def tasks(
        agency: Annotated[str | None, Query(max_length=200)] = None,
        doc: Annotated[str | None, Query(max_length=200)] = None,
        role: Annotated[str | None, Query(max_length=40, description="lead | coordinator | performer | advised | reports_to | via")] = None,
    ) -> list[dict]:
        return service.tasks(agency=agency, doc=doc, role=role)

    def require_key(authorization: str | None, x_api_key: str | None) -> None:
        check_key(os.environ.get("TRACUU_API_KEY") or None, authorization, x_api_key)

    @app.post("/api/documents", status_code=201, response_model=IngestReport, responses={**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut}, 415: {"model": ErrorOut}})
    async def upload(
        file: Annotated[UploadFile, File(description="PDF, DOCX hoặc TXT")],
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> dict:
        require_key(authorization, x_api_key)
        data = await file.read(max_upload_bytes() + 1)
        return await run_in_threadpool(ingest_upload, service, data, file.filename)

    @app.delete("/api/documents/{doc_id}", status_code=204, responses={**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}})
    def delete_document(
        doc_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> None:
        require_key(authorization, x_api_key)
        service.delete(doc_id)

    @app.get("/api/documents", response_model=list[DocumentOut])
    def documents() -> list[dict]:
        return service.documents()

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail, responses=ERRORS)
    def document(doc_id: str) -> dict:
        return service.document(doc_id)

    @app.get("/api/clauses/{clause_id}", response_model=Hit, responses=ERRORS)
    def clause(clause_id: str) -> dict:
        return service.clause(clause_id)

    @app.get("/api/clauses/{clause_id}/related", responses=ERRORS)
    def related(clause_id: str) -> dict:
        """What a clause cites and is cited by; the clauses it implements and is implemented by."""
        return service.related(clause_id)

    def decide(link_id: str, status: str, authorization: str | None, x_api_key: str | None) -> dict:
        from api.links import LinkService

        require_key(authorization, x_api_key)
        return LinkService.of(service).decide(link_id, status)

    WRITE_ERRORS = {**ERRORS, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}}

    @app.post("/api/links/{link_id}/confirm", responses=WRITE_ERRORS)
    def confirm_link(
        link_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> dict:
        """Confirm a proposed "implements" link (kept in links.json across re-ingests)."""
        return decide(link_id, "confirmed", authorization, x_api_key)

    @app.post("/api/links/{link_id}/reject", responses=WRITE_ERRORS)
    def reject_link(
        link_id: str,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> dict:
        """Reject a proposed "implements" link: it is not proposed again."""
        return decide(link_id, "rejected", authorization, x_api_key)

    mount_web(app, service)
    return app


__all__ = ["create_app", "ClauseNode"]
