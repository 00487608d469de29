"""Hostile and broken HTTP input (issue 13): the server stays up, bounded, and answers in both languages.

Each test is one attack from the issue, run against the app in process. Where it matters how
much of a request body the server *pulled*, the app is called as a bare ASGI application with a
generator body that counts what it handed out (a "4 GB" body is never built: it is produced
lazily, 64 KiB at a time, and the count shows how little of it was read). The slow-client tests
run a real uvicorn server on 127.0.0.1 with the options ``tracuu serve`` uses.

Documents are SYNTHETIC (``bench/synthetic_corpus.py``); the hash embedder keeps them fast.
Re-run: ``python -m pytest tests/test_hostile_http.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import socket
import threading
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from tracuu.api.config import ConfigError, Settings, http_settings
from tracuu.api.http import create_app
from tracuu.api.service import Tracuu

from bench.synthetic_corpus import make_plan

KEY = "bi-mat"
GB4 = 4 * 1024**3
CHUNK = 64 * 1024
MB = 1024 * 1024
BOUNDARY = b"tracuu-boundary"
SECURITY = ("x-content-type-options", "content-security-policy", "x-frame-options", "referrer-policy")


def make_service(tmp_path: Path) -> Tracuu:
    return Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))


@pytest.fixture()
def svc(tmp_path, monkeypatch) -> Tracuu:
    monkeypatch.setenv("TRACUU_API_KEY", KEY)
    for name in ("TRACUU_MAX_UPLOAD_MB", "TRACUU_UPLOAD_IDLE_TIMEOUT_S", "TRACUU_REQUEST_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    return make_service(tmp_path)


# ---------------------------------------------------------------------- a bare ASGI call that counts
class Body:
    """A request body produced lazily; ``pulled`` is how many bytes the server asked for."""

    def __init__(self, parts: Iterator[bytes], stall_after: int | None = None) -> None:
        self.parts = parts
        self.pulled = 0
        self.done = False
        self.stall_after = stall_after  # stop sending (but stay connected) after this many bytes

    async def receive(self) -> dict:
        if self.done:
            await asyncio.sleep(3600)  # nothing more will come; a server that waits must give up itself
        if self.stall_after is not None and self.pulled >= self.stall_after:
            await asyncio.sleep(3600)
        try:
            part = next(self.parts)
        except StopIteration:
            self.done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        self.pulled += len(part)
        return {"type": "http.request", "body": part, "more_body": True}


def file_part(filename: str = "big.txt", field: str = "file") -> bytes:
    return (b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"" + field.encode()
            + b"\"; filename=\"" + filename.encode() + b"\"\r\nContent-Type: text/plain\r\n\r\n")


def field_part(name: str, value: str) -> bytes:
    return (b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\"\r\n\r\n"
            + value.encode() + b"\r\n")


def huge(total: int = GB4, head: bytes = b"") -> Iterator[bytes]:
    """``head`` then ``total`` bytes of text, 64 KiB at a time, never held whole."""
    if head:
        yield head
    block = b"a" * CHUNK
    for _ in range(total // CHUNK):
        yield block


def call(app, path: str, body: Body, headers: dict[str, str] | None = None, method: str = "POST") -> tuple[int, dict, bytes]:
    """Run one request through ``app`` (ASGI) and return (status, headers, body)."""
    hdrs = {"host": "testserver", "content-type": f"multipart/form-data; boundary={BOUNDARY.decode()}",
            "transfer-encoding": "chunked", **(headers or {})}
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in hdrs.items()],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    out: dict = {"status": None, "headers": {}, "body": b""}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    async def run() -> None:
        await asyncio.wait_for(app(scope, body.receive, send), timeout=120)

    asyncio.run(run())
    return out["status"], out["headers"], out["body"]


def bilingual(body: bytes) -> dict:
    data = json.loads(body)
    assert data["message_vi"] and data["message_en"], data
    return data


# ---------------------------------------------------------------------- 1. bounded uploads
def test_4gb_chunked_upload_without_a_key_is_refused_before_any_byte_is_read(svc):
    app = create_app(svc)
    body = Body(huge(head=file_part()))
    status, headers, content = call(app, "/api/documents", body)
    assert status == 401 and bilingual(content)["code"] == "unauthorized"
    assert body.pulled <= MB, f"the server read {body.pulled} bytes of a no-key upload"
    assert body.pulled == 0 and headers.get("connection") == "close"


def test_4gb_upload_with_writes_disabled_reads_nothing(svc, monkeypatch):
    monkeypatch.delenv("TRACUU_API_KEY")
    body = Body(huge(head=file_part()))
    status, _, content = call(create_app(svc), "/api/documents", body, {"x-api-key": "anything"})
    assert status == 403 and "TRACUU_API_KEY" in bilingual(content)["message_en"]
    assert body.pulled == 0


def test_wrong_key_reads_nothing(svc):
    body = Body(huge(head=file_part()))
    status, _, _ = call(create_app(svc), "/api/documents", body, {"authorization": "Bearer sai"})
    assert status == 401 and body.pulled == 0


def test_declared_length_over_the_limit_is_refused_unread(svc):
    body = Body(huge(head=file_part()))
    status, headers, content = call(create_app(svc), "/api/documents", body,
                                    {"x-api-key": KEY, "content-length": str(GB4), "transfer-encoding": "identity"})
    assert status == 413 and bilingual(content)["code"] == "too_large"
    assert body.pulled == 0 and headers.get("connection") == "close"


def test_chunked_upload_with_a_key_stops_at_the_cap(svc, monkeypatch, tmp_path):
    """No Content-Length: the bytes are counted as they come; the upload stops just past the limit."""
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", "1")
    body = Body(huge(head=file_part()))
    status, _, content = call(create_app(svc), "/api/documents", body, {"x-api-key": KEY})
    assert status == 413 and "1 MB" in bilingual(content)["message_en"]
    assert body.pulled <= MB + 64 * 1024 + CHUNK + len(file_part())
    incoming = tmp_path / "data" / "uploads" / ".incoming"
    assert not incoming.exists() or not list(incoming.iterdir()), "a refused upload left its temporary file"


def test_web_form_4gb_without_key_field_before_the_file_is_refused_at_the_file(svc):
    """The form carries its key in a field, which must come before the file part."""
    body = Body(huge(head=file_part()))
    status, headers, content = call(create_app(svc), "/upload", body)
    assert status == 401 and "Khóa API không đúng" in content.decode()
    assert body.pulled <= CHUNK + len(file_part())
    assert "nosniff" == headers["x-content-type-options"]


def test_web_form_wrong_key_field_is_refused_before_the_file(svc):
    body = Body(huge(head=field_part("api_key", "sai") + file_part()))
    status, _, _ = call(create_app(svc), "/upload", body)
    assert status == 401 and body.pulled <= CHUNK + 512


def test_web_form_with_writes_disabled_reads_nothing(svc, monkeypatch):
    monkeypatch.delenv("TRACUU_API_KEY")
    body = Body(huge(head=field_part("api_key", KEY) + file_part()))
    status, _, _ = call(create_app(svc), "/upload", body)
    assert status == 403 and body.pulled == 0


def test_a_stalled_upload_times_out(svc, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACUU_UPLOAD_IDLE_TIMEOUT_S", "1")
    body = Body(huge(10 * MB, head=file_part()), stall_after=256 * 1024)
    status, headers, content = call(create_app(svc), "/api/documents", body, {"x-api-key": KEY})
    assert status == 408 and bilingual(content)["code"] == "too_slow" and headers.get("connection") == "close"
    incoming = tmp_path / "data" / "uploads" / ".incoming"
    assert not incoming.exists() or not list(incoming.iterdir())


def test_not_multipart_is_refused(svc):
    c = TestClient(create_app(svc))
    r = c.post("/api/documents", content=b"plain", headers={"x-api-key": KEY, "content-type": "text/plain"})
    assert r.status_code == 400 and r.json()["code"] == "not_multipart"
    r = c.post("/api/documents", content=b"--x\r\ngarbage", headers={"x-api-key": KEY, "content-type": "multipart/form-data; boundary=x"})
    assert r.status_code in (400, 422) and r.json()["message_vi"]


# ---------------------------------------------------------------------- slow clients on a real server
@pytest.fixture()
def live(svc, monkeypatch):
    """uvicorn on 127.0.0.1:<free port> with the options `tracuu serve` uses (1 s clocks)."""
    import uvicorn
    from tracuu.api.server import uvicorn_options

    monkeypatch.setenv("TRACUU_HEADER_TIMEOUT_S", "1")
    monkeypatch.setenv("TRACUU_REQUEST_TIMEOUT_S", "2")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(svc), log_level="warning", lifespan="off", access_log=False,
                            **uvicorn_options(http_settings()))
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _closed_by_server(conn: socket.socket) -> bool:
    """Wait (up to 20 s, a safety net) for the server to close ``conn``; True if it did."""
    conn.settimeout(20)
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_slow_headers_are_cut_off(live):
    with socket.create_connection(("127.0.0.1", live)) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # ...and the rest never comes
        assert _closed_by_server(conn), "a client that never finished its headers kept the connection"


def test_silent_connection_is_cut_off(live):
    with socket.create_connection(("127.0.0.1", live)) as conn:
        assert _closed_by_server(conn)


def test_trickled_body_is_cut_off(live):
    with socket.create_connection(("127.0.0.1", live)) as conn:
        conn.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        assert _closed_by_server(conn)


def test_4gb_no_key_upload_on_a_real_server_is_answered_and_closed_at_once(live):
    """The answer comes before the body is sent; then the server closes (Connection: close)."""
    with socket.create_connection(("127.0.0.1", live)) as conn:
        conn.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n\r\n")
        conn.settimeout(20)
        head = conn.recv(65536)
        assert head.startswith(b"HTTP/1.1 401") and b"connection: close" in head.lower()
        sent = 0
        block = b"%x\r\n%s\r\n" % (CHUNK, b"a" * CHUNK)
        try:
            while sent < 256 * MB:  # a server still reading would take it all
                conn.sendall(block)
                sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert sent < 256 * MB, "the server kept reading the body of a refused upload"


# ---------------------------------------------------------------------- 2. simultaneous identical uploads
def test_20_simultaneous_identical_uploads(svc, tmp_path):
    name, text = make_plan(7, 30)
    data = text.encode("utf-8")
    app = create_app(svc)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=300) as client:
            return await asyncio.gather(*[
                client.post("/api/documents", files={"file": (name, data, "text/plain")}, headers={"X-API-Key": KEY})
                for _ in range(20)
            ])

    responses = asyncio.run(run())
    statuses = [r.status_code for r in responses]
    assert statuses == [201] * 20, [(r.status_code, r.text[:200]) for r in responses if r.status_code != 201]
    bodies = [r.json() for r in responses]
    assert len({b["doc_id"] for b in bodies}) == 1
    assert sum(not b["unchanged"] for b in bodies) == 1, "exactly one upload indexes; the others find it there"
    assert all(b["file_name"] == name for b in bodies)
    ids = svc.store().list_ids()
    assert ids == [bodies[0]["doc_id"]]
    uploads = tmp_path / "data" / "uploads"
    assert len([p for p in uploads.iterdir() if p.is_file()]) == 1
    assert not list((uploads / ".incoming").iterdir())
    assert svc.search("phấn đấu đạt chỉ tiêu", k=3).results


# ---------------------------------------------------------------------- 3. control characters in exports
@pytest.fixture()
def control_kb(svc, tmp_path):
    """A synthetic plan whose task clauses carry ESC and BEL, as text extracted from a bad source can."""
    name, text = make_plan(4, 40)
    text = text.replace("chủ trì, phối hợp với", "chủ trì\x1b[0m, phối hợp\x07 với")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (rep,) = svc.ingest([path])
    assert rep.status == "ok", rep
    return svc


def _xlsx_texts(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content)).active
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_exports_survive_control_characters(control_kb):
    tasks = control_kb.tasks()
    marked = [t for t in tasks if "\x1b" in t.text]
    assert marked, "the fixture must put control characters into task clauses"
    c = TestClient(create_app(control_kb))
    agency = next(r.agency for t in marked for r in t.lead if r.agency)
    agency_id = next(a.agency_id for a in control_kb.agencies() if a.agency == agency)
    for url in ("/deadlines?format=xlsx", f"/agencies/{quote(agency_id)}?format=xlsx", "/documents?format=xlsx"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        texts = _xlsx_texts(r.content)
        if "documents" not in url:
            shown = [t for t in texts if "chủ trì[0m, phối hợp với" in t]
            assert shown, url
            # only the characters XML cannot hold are gone: the rest is the clause text exactly
            expect = {t.text.replace("\x1b", "").replace("\x07", "") for t in marked}
            assert set(shown) <= expect
    r = c.get("/deadlines?format=csv")
    assert r.status_code == 200
    assert "chủ trì\x1b[0m, phối hợp\x07 với" in r.content.decode("utf-8-sig")  # CSV keeps the text exactly


# ---------------------------------------------------------------------- 4. settings, keys, errors, headers, docs
@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "1e9", ""])
def test_bad_upload_limit_refuses_to_start(svc, monkeypatch, value):
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", value)
    if value == "":  # empty means the default
        assert http_settings().max_upload_bytes == 50 * MB
        return
    with pytest.raises(ConfigError) as err:
        create_app(svc)
    assert "TRACUU_MAX_UPLOAD_MB" in err.value.vi and "TRACUU_MAX_UPLOAD_MB" in err.value.en


def test_serve_refuses_to_start_on_a_bad_setting(monkeypatch, capsys, tmp_path):
    from tracuu.api.cli import main

    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", "abc")
    assert main(["--data-dir", str(tmp_path / "d"), "serve", "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert "Cấu hình sai: TRACUU_MAX_UPLOAD_MB='abc'" in err and "Bad setting: TRACUU_MAX_UPLOAD_MB='abc'" in err
    assert not (tmp_path / "d").exists(), "nothing may be started before the settings are checked"


def test_setting_broken_under_a_running_server_is_a_bilingual_500(svc, monkeypatch):
    c = TestClient(create_app(svc))
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", "abc")
    r = c.post("/api/documents", files={"file": ("a.txt", b"x", "text/plain")}, headers={"X-API-Key": KEY})
    assert r.status_code == 500 and "TRACUU_MAX_UPLOAD_MB" in r.json()["message_en"]


UNICODE_KEY = "khóa-bí-mật đặc biệt"


@pytest.mark.parametrize("header,value", [
    ("x-api-key", UNICODE_KEY.encode("utf-8")),                                   # raw UTF-8, as curl sends it
    ("x-api-key", ("UTF-8''" + quote(UNICODE_KEY, safe="")).encode()),             # RFC 8187 percent-encoding
    ("x-api-key", quote(UNICODE_KEY, safe="").encode()),                           # plain percent-encoding
    ("x-api-key", b"base64:" + base64.b64encode(UNICODE_KEY.encode())),            # base64 of the UTF-8 bytes
    ("authorization", b"Bearer " + ("UTF-8''" + quote(UNICODE_KEY)).encode()),
    ("authorization", b"bearer   " + UNICODE_KEY.encode("utf-8") + b"  "),
])
def test_any_utf8_key_is_usable(svc, monkeypatch, header, value):
    monkeypatch.setenv("TRACUU_API_KEY", f"  {UNICODE_KEY}\n")
    name, text = make_plan(8, 20)
    c = TestClient(create_app(svc))
    r = c.post("/api/documents", files={"file": (name, text.encode(), "text/plain")}, headers={header: value})
    assert r.status_code == 201, r.text


def test_latin1_key_and_spaces(svc, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", " clé ")
    c = TestClient(create_app(svc))
    ok = c.post("/api/documents", files={"file": ("a.txt", b"", "text/plain")}, headers={"x-api-key": "clé".encode("latin-1")})
    assert ok.status_code == 400 and ok.json()["code"] == "empty"  # authenticated: the empty file is the problem
    bad = c.post("/api/documents", files={"file": ("a.txt", b"", "text/plain")}, headers={"x-api-key": b"cle"})
    assert bad.status_code == 401


def test_web_form_accepts_a_unicode_key_field(svc, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", UNICODE_KEY)
    name, text = make_plan(9, 20)
    c = TestClient(create_app(svc))
    r = c.post("/upload", data={"api_key": f" {UNICODE_KEY} "}, files={"file": (name, text.encode(), "text/plain")})
    assert r.status_code == 201, r.text[-500:]


def _broken(svc, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug /internal/secret/path")

    for name in ("search", "ask", "documents"):
        monkeypatch.setattr(svc, name, boom)


def test_an_unexpected_error_is_a_bilingual_500_json_for_api_html_for_pages(svc, monkeypatch):
    _broken(svc, monkeypatch)
    c = TestClient(create_app(svc))
    r = c.get("/api/search", params={"q": "báo cáo"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/json")
    body = bilingual(r.content)
    assert body["code"] == "internal_error" and "secret" not in r.text
    assert all(h in r.headers for h in SECURITY)
    r = c.get("/documents")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "Lỗi máy chủ" in r.text and "Server error" in r.text and "secret" not in r.text
    assert all(h in r.headers for h in SECURITY)


def test_http_errors_are_bilingual_json_for_api_and_pages_for_pages(svc):
    c = TestClient(create_app(svc))
    r = c.get("/api/khong-co")
    assert r.status_code == 404 and bilingual(r.content)
    r = c.put("/api/search")
    assert r.status_code == 405 and bilingual(r.content)
    r = c.get("/trang-khong-co")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'lang="vi"' in r.text and 'lang="en"' in r.text
    r = c.get("/api/search", params={"q": ""})
    assert r.status_code == 422 and bilingual(r.content)


@pytest.mark.parametrize("method,path", [
    ("GET", "/healthz"), ("GET", "/api/documents"), ("GET", "/openapi.json"), ("GET", "/static/style.css"),
    ("GET", "/static/app.js"), ("GET", "/docs"), ("GET", "/docs-assets/swagger-ui-bundle.js"), ("GET", "/"),
    ("GET", "/api/clauses/khong-co"), ("POST", "/api/documents"), ("GET", "/khong-co"),
])
def test_security_headers_on_every_response(svc, method, path):
    r = TestClient(create_app(svc)).request(method, path)
    assert r.status_code < 500
    for h in SECURITY:
        assert h in r.headers, (path, h)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_docs_are_served_from_local_assets(svc):
    c = TestClient(create_app(svc))
    page = c.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text and "cdn" not in page.text.lower()
    import re

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), "inline script would break the CSP"
    for src in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        r = c.get(src)
        assert r.status_code == 200 and r.content, src
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert c.get("/openapi.json").json()["paths"]["/api/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]


def test_error_messages_name_the_users_file_not_the_stored_one(svc, tmp_path):
    c = TestClient(create_app(svc))
    r = c.post("/api/documents", files={"file": ("Báo cáo hỏng.pdf", b"%PDF-1.4\ngarbage", "application/pdf")},
               headers={"X-API-Key": KEY})
    assert r.status_code == 422, r.text
    body = r.json()
    stored = [p.name for p in (tmp_path / "data" / "uploads").glob("*")]
    for msg in (body["message_vi"], body["message_en"]):
        assert "bao-cao-hong" not in msg.lower() and "uploads" not in msg and not any(s in msg for s in stored)


# ---------------------------------------------------------------------- 5. embedding outside the write lock
class GatedEmbedder:
    """The hash embedder, but embedding waits for a gate (so an ingest can be caught mid-embed)."""

    def __init__(self) -> None:
        from tracuu.index.embedders import HashEmbedder

        self.inner = HashEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def embed_passages(self, texts):
        self.entered.set()
        assert self.gate.wait(60), "test gate never opened"
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_a_delete_does_not_wait_for_an_upload_that_is_embedding(tmp_path):
    from tracuu.index.clause_index import ClauseIndex
    from tracuu.ingest.manifest import load_manifest
    from tracuu.ingest.pipeline import ingest_file

    manifest = load_manifest(Path(__file__).resolve().parent.parent / "corpus" / "manifest.toml")
    docs = []
    for i in (1, 2):
        name, text = make_plan(20 + i, 20)
        (tmp_path / name).write_text(text, encoding="utf-8")
        out = ingest_file(tmp_path / name, manifest)
        assert out.ok
        docs.append(out)
    emb = GatedEmbedder()
    index = ClauseIndex(tmp_path / "data", emb)
    index.add_document(docs[0].document, docs[0].source.text)

    emb.gate.clear()
    emb.entered.clear()
    adder = threading.Thread(target=index.add_document, args=(docs[1].document, docs[1].source.text))
    adder.start()
    try:
        assert emb.entered.wait(30)
        deleter = threading.Thread(target=index.delete_document, args=(docs[0].document.doc_id,))
        deleter.start()
        deleter.join(timeout=30)
        assert not deleter.is_alive(), "the delete waited for an unrelated upload's embedding"
        assert index.document(docs[0].document.doc_id) is None
    finally:
        emb.gate.set()
        adder.join(timeout=60)
    assert index.document(docs[1].document.doc_id) is not None
    index.close()


# ---------------------------------------------------------------------- 6. fuzzing the upload parser and the key check
def test_fuzzed_upload_bodies_and_keys_never_make_a_5xx(svc, monkeypatch):
    """Random multipart-ish bodies, boundaries and key headers: always a 4xx (or 201), never a 5xx."""
    import tempfile

    import hypothesis.configuration
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    hypothesis.configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tracuu-hypothesis")
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", "0.05")
    client = TestClient(create_app(svc))
    pieces = st.sampled_from([b"--B\r\n", b"--B--\r\n", b"\r\n", b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n',
                              b'Content-Disposition: form-data; name="api_key"\r\n', b"Content-Type: text/plain\r\n",
                              b"noi dung \xc3\xa1", b"%PDF-1.4\n", b"PK\x03\x04", b"\x00\xff", b"a" * 4096])
    bodies = st.one_of(st.binary(max_size=2048), st.lists(pieces, max_size=30).map(b"".join))
    keys = st.one_of(st.just(KEY), st.binary(max_size=40), st.text(max_size=20).map(lambda t: ("UTF-8''" + t).encode("utf-8")),
                     st.text(max_size=20).map(lambda t: b"base64:" + t.encode("utf-8")))
    boundaries = st.sampled_from(["B", "", "x" * 80, "a;b", '"B"'])

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(body=bodies, key=keys, boundary=boundaries, path=st.sampled_from(["/api/documents", "/upload"]))
    def attack(body: bytes, key: bytes, boundary: str, path: str) -> None:
        r = client.post(path, content=body, headers={
            "content-type": f"multipart/form-data; boundary={boundary}", "x-api-key": key})
        assert r.status_code < 500, (r.status_code, r.text[:300])
        if path.startswith("/api/"):
            assert r.json()["message_vi"] if r.status_code >= 400 else r.json()["doc_id"]

    attack()


def test_half_received_uploads_of_a_killed_server_are_swept_at_start(svc, tmp_path):
    import os

    incoming = tmp_path / "data" / "uploads" / ".incoming"
    incoming.mkdir(parents=True)
    old, fresh = incoming / "upload-old.part", incoming / "upload-fresh.part"
    old.write_bytes(b"x" * 10)
    fresh.write_bytes(b"y")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    create_app(svc)
    assert not old.exists() and fresh.exists()
