"""Security headers on every response, and no request ever answered by a bare traceback.

Why one ASGI middleware around the whole app: pages, JSON, static files, the API docs and the
error responses of every layer all pass through it, so none can forget the headers
(``X-Content-Type-Options: nosniff``, a Content-Security-Policy with ``frame-ancestors 'none'``,
``X-Frame-Options``, ``Referrer-Policy``). It also catches whatever an endpoint did not: the
client gets a 500 in the same bilingual shape as every other error (JSON under ``/api``, an
HTML page elsewhere), and the traceback goes to the log, not to the client.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any, Awaitable, Callable

log = logging.getLogger("tracuu.http")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Pages load only what the app serves; no inline script or style.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
# Swagger UI sets inline style attributes on its elements; its scripts are still files of ours.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json")

INTERNAL_VI = "Lỗi máy chủ: yêu cầu không xử lý được. Lỗi đã được ghi lại; vui lòng thử lại sau."
INTERNAL_EN = "Server error: the request could not be handled. It has been logged; please try again later."


def wants_json(path: str) -> bool:
    """Is ``path`` part of the JSON API (errors as JSON) rather than a page (errors as HTML)?"""
    return path == "/api" or path.startswith(JSON_PREFIXES)


def csp_for(path: str) -> str:
    return DOCS_CSP if path == "/docs" or path.startswith("/docs-assets/") else PAGE_CSP


def security_headers(path: str) -> dict[str, str]:
    return {**COMMON_HEADERS, "content-security-policy": csp_for(path)}


def bilingual_page(status: int, vi: str, en: str) -> str:
    """A minimal HTML error page (used where the templates cannot be, e.g. a failing 500)."""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi '
        f"{status}</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main>"
        f'<section class="error-box" role="alert" data-status="{status}"><h1>Lỗi {status}</h1>'
        f'<p class="msg-vi" lang="vi">{html.escape(vi)}</p><p class="msg-en" lang="en">{html.escape(en)}</p>'
        '<p><a href="/">Về trang hỏi đáp</a></p></section></main></body></html>'
    )


class HardeningMiddleware:
    """Add the security headers to every HTTP response; turn an unhandled error into a bilingual 500."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = security_headers(path)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), path)
            if started:  # too late for an error response: the client sees a cut-off body
                raise
            await self._internal_error(path, send_with_headers)

    @staticmethod
    async def _internal_error(path: str, send: Send) -> None:
        if wants_json(path):
            body = json.dumps({"code": "internal_error", "message_vi": INTERNAL_VI, "message_en": INTERNAL_EN},
                              ensure_ascii=False).encode("utf-8")
            ctype = b"application/json"
        else:
            body = bilingual_page(500, INTERNAL_VI, INTERNAL_EN).encode("utf-8")
            ctype = b"text/html; charset=utf-8"
        await send({
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
