"""The staff pages in a real browser: Playwright (sync API) driving Debian's Chromium.

A uvicorn server on 127.0.0.1 (a free port, in a thread) serves the app over the bundled corpus
plus the shared synthetic plan. Screenshots of the main pages, at 1366×768 and at phone size,
go to tests/output/screenshots/ (ignored by git).

Skipped, with the reason, only where the playwright package or /usr/bin/chromium is missing
(`pip install -e '.[test]'`; `bash .ci/browser-deps`). Never `playwright install`: the browser
comes from Debian, the network may be closed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import socket
import threading
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')"
)

from conftest import ROOT  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is missing at /usr/bin/chromium (run: bash .ci/browser-deps)"
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "tests" / "output" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000

AN_GIANG = "kh-an-giang-ct-39"
WHO_REPORTS = "Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?"
AGENCY = "chi-nhanh-nhcsxh-tinh"


@contextlib.contextmanager
def serve(service):
    """The app over ``service`` on 127.0.0.1:<free port>, uvicorn in a thread; stopped on exit."""
    import uvicorn
    from tracuu.api.http import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(service), log_level="warning", lifespan="off", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True, name="tracuu-uvicorn")
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not srv.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the uvicorn test server did not start within 30 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def server(kb_all):
    with serve(kb_all) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000)
    except Exception:
        pw.stop()
        raise
    try:
        yield b
    finally:
        b.close()
        pw.stop()


class Page:
    """A page plus the errors its scripts and CSP reported, checked when the test ends."""

    def __init__(self, context, base: str):
        self.context = context
        self.base = base
        self.page = context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.set_default_navigation_timeout(WAIT_MS)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        # a 4xx the page asked for on purpose (a wrong key) is logged too; assets are checked in _response
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type in ("stylesheet", "script", "image", "font"):
            self.errors.append(f"asset {response.url}: {response.status}")

    def goto(self, path: str):
        resp = self.page.goto(self.base + path, wait_until="load")
        assert resp is not None and resp.ok, f"{path}: {resp.status if resp else 'no response'}"
        return self.page

    def shot(self, name: str, full_page: bool = True) -> Path:
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 1000
        return path

    def fits_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture()
def desktop(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = Page(context, server)
    yield page
    context.close()
    assert not page.errors, page.errors


@pytest.fixture()
def phone(browser, server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    page = Page(context, server)
    yield page
    context.close()
    assert not page.errors, page.errors


def test_ask_shows_owner_and_citation(desktop, kb_all):
    expected = kb_all.ask(WHO_REPORTS)
    top = expected.citations[0]
    page = desktop.goto("/")
    desktop.shot("home-desktop")
    page.fill("#tracuu-q", WHO_REPORTS)
    page.press("#tracuu-q", "Enter")
    answer = page.locator("section.answer")
    answer.wait_for(state="visible")
    text = answer.inner_text()
    assert answer.get_attribute("data-found") == "true"
    assert "Chi nhánh NHCSXH tỉnh" in text and "Chủ trì" in text
    assert top.citation in text and top.citation.startswith("Khoản 2 Mục III")
    assert page.locator("section.answer blockquote mark").count() > 0
    assert desktop.fits_width()
    desktop.shot("ask-answer-desktop")


def test_copy_citation_to_clipboard(desktop, kb_all):
    top = kb_all.ask(WHO_REPORTS).citations[0]
    page = desktop.goto("/?q=" + WHO_REPORTS)
    box = page.locator("section.answer [data-copy]")
    assert not box.locator("textarea").is_visible()  # with JavaScript: a button, not the raw text
    expected = box.locator("textarea").input_value()
    assert expected.startswith("Theo khoản 2 Mục III") and top.text in expected
    box.get_by_role("button", name="Sao chép trích dẫn").click()
    page.wait_for_selector("section.answer [data-copy].copied, section.answer [data-copy].copy-failed")
    status = box.locator("[data-copy-status]").inner_text()
    if "copied" in (box.get_attribute("class") or ""):
        assert "Đã sao chép" in status
        assert page.evaluate("navigator.clipboard.readText()") == expected
    else:  # the fallback: the text is shown, selected, for Ctrl+C
        assert box.locator("textarea").is_visible()
        assert page.evaluate("document.activeElement.value") == expected


def test_without_javascript_the_citation_is_visible_to_select(browser, server):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = Page(context, server).goto("/?q=" + WHO_REPORTS)
        box = page.locator("section.answer [data-copy]")
        assert box.locator("textarea").is_visible()
        assert box.locator("textarea").input_value().startswith("Theo khoản 2 Mục III")
        assert not box.locator("button").is_visible()
    finally:
        context.close()


def test_clause_link_opens_highlighted(desktop):
    page = desktop.goto("/?q=" + WHO_REPORTS)
    page.locator("section.answer").get_by_role("link", name="Xem điều khoản trong văn bản").click()
    page.wait_for_url(f"**/documents/{AN_GIANG}#III.2")
    target = page.locator('[id="III.2"]')
    target.wait_for(state="visible")
    assert "is-target" in (target.get_attribute("class") or "")
    # a point inside a collapsed clause: its URL redirects to the document, the <details> open
    page = desktop.goto(f"/clauses/{AN_GIANG}:II.1.đ")
    assert page.url.endswith(f"/documents/{AN_GIANG}#II.1.%C4%91")
    target = page.locator('[id="II.1.đ"]')
    target.wait_for(state="visible")
    assert target.evaluate("el => el.matches(':target') && el.classList.contains('is-target')")
    assert target.evaluate("el => el.closest('details').open")
    box = target.bounding_box()
    assert box and 0 <= box["y"] < DESKTOP["height"], box  # scrolled into view
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background
    desktop.shot("document-clause-desktop", full_page=False)
    page.get_by_role("button", name="Thu gọn").click()
    assert not target.is_visible()
    page.get_by_role("button", name="Mở tất cả").click()
    assert target.is_visible()


def test_export_agency_tasks(desktop, kb_all, tmp_path):
    tasks = kb_all.tasks(agency=AGENCY)
    page = desktop.goto(f"/agencies/{AGENCY}")
    assert page.locator("tr[data-clause-id]").count() == len(tasks)
    desktop.shot("agency-desktop")
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("link", name="Tải CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(rows) == len(tasks) + 1 and "Trích dẫn" in rows[0]
    assert sorted(r[rows[0].index("Trích dẫn")] for r in rows[1:]) == sorted(t.citation for t in tasks)
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    xpath = tmp_path / download.suggested_filename
    download.save_as(str(xpath))
    from openpyxl import load_workbook

    ws = load_workbook(xpath).active
    assert ws.max_row == len(tasks) + 1 and [c.value for c in ws[1]] == rows[0]


def test_upload_with_javascript_shows_the_bilingual_error(desktop, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", "khoa-dung")  # the server thread reads it per request
    page = desktop.goto("/upload")
    page.set_input_files("#tracuu-file", files=[{"name": "thu.txt", "mimeType": "text/plain", "buffer": "Tài liệu thử.".encode()}])
    page.fill("#tracuu-key", "khoa-sai")
    with page.expect_response(lambda r: r.url.endswith("/api/documents")) as info:
        page.get_by_role("button", name="Tải lên và nạp").click()
    assert info.value.status == 401
    result = page.locator("[data-upload-result][data-source=xhr] .error-box")
    result.wait_for(state="visible")
    assert "Khóa API không đúng" in result.inner_text() and "wrong API key" in result.inner_text()
    assert page.url.endswith("/upload")
    desktop.shot("upload-error-desktop")


def test_upload_with_javascript_shows_progress_and_report(browser, tmp_path, monkeypatch):
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    from conftest import shared_fixture

    monkeypatch.setenv("TRACUU_API_KEY", "khoa-dung")
    with serve(Tracuu(Settings.from_env(data_dir=tmp_path / "data"))) as base:
        context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        try:
            tab = Page(context, base)
            page = tab.goto("/upload")
            page.set_input_files("#tracuu-file", str(shared_fixture(".docx")))
            page.fill("#tracuu-key", "khoa-dung")
            with page.expect_response(lambda r: r.url.endswith("/api/documents"), timeout=120_000) as info:
                page.get_by_role("button", name="Tải lên và nạp").click()
            assert info.value.status == 201
            report = page.locator("[data-upload-result][data-source=xhr] .ok-box")
            report.wait_for(state="visible")
            assert report.get_attribute("data-doc-id") == "214-kh-ubnd-binh-son-2025" and "Đã nạp" in report.inner_text()
            assert page.locator("[data-progress-bar]").evaluate("el => el.value") == 100  # upload events fired
            assert page.url.endswith("/upload")
            tab.shot("upload-done-desktop")
            report.get_by_role("link", name="Xem văn bản").click()
            page.wait_for_url("**/documents/214-kh-ubnd-binh-son-2025")
            assert "đã nạp" in page.locator("main").inner_text()
            assert not tab.errors, tab.errors
        finally:
            context.close()


@pytest.mark.parametrize(
    "name,path",
    [
        ("documents", "/documents"),
        ("document", f"/documents/{AN_GIANG}"),
        ("agencies", "/agencies"),
        ("deadlines", "/deadlines?before=30/9"),
        ("not-found", "/?q=Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?"),
        ("upload", "/upload"),
    ],
)
def test_main_pages_fit_the_desktop(desktop, name, path):
    page = desktop.goto(path)
    assert page.locator("main h1, main h2").first.is_visible()
    assert desktop.fits_width(), f"{path} scrolls sideways at 1366 px"
    desktop.shot(f"{name}-desktop")


@pytest.mark.parametrize(
    "name,path",
    [
        ("ask-answer", "/?q=" + WHO_REPORTS),
        ("document", f"/clauses/{AN_GIANG}:II.1.đ"),
        ("agency", f"/agencies/{AGENCY}"),
        ("deadlines", "/deadlines?before=30/9"),
        ("upload", "/upload"),
    ],
)
def test_phone_viewport(phone, name, path):
    page = phone.goto(path)
    assert phone.fits_width(), f"{path} scrolls sideways on a phone"
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.is_visible() and nav.get_by_role("link", name="Hỏi đáp").is_visible()
    if name == "ask-answer":
        answer = page.locator("section.answer")
        assert "Chi nhánh NHCSXH tỉnh" in answer.inner_text()
        field = page.locator("#tracuu-q").bounding_box()
        assert field and field["x"] >= 0 and field["x"] + field["width"] <= PHONE["width"]
    phone.shot(f"{name}-phone", full_page=name != "document")


BASKET_QUESTIONS = [WHO_REPORTS, "ty le no qua han phai duoi bao nhieu", "MTTQ va cac to chuc CT-XH co vai tro gi"]


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_basket_from_three_answers_to_docx(desktop, kb_all, tmp_path):
    tops = [kb_all.ask(q).citations[0] for q in BASKET_QUESTIONS]
    assert len({t.clause_id for t in tops}) == 3, [t.clause_id for t in tops]
    page = desktop.page
    for q in BASKET_QUESTIONS:
        desktop.goto("/?q=" + q)
        button = page.locator("section.answer form[data-basket-add] button")
        button.click()
        page.wait_for_selector("section.answer form[data-basket-add] button[data-in-basket]")
        assert page.url.split("?")[0].endswith("/")  # added without leaving the answer
    assert page.locator("header [data-basket-count]").inner_text() == "3"
    stored = page.evaluate("JSON.parse(localStorage.getItem('tracuu-gio'))")
    assert [s[0] for s in stored] == [t.clause_id for t in tops]
    # a reload, and a lost cookie: the basket comes back from localStorage
    desktop.context.clear_cookies()
    desktop.goto("/basket")
    page.wait_for_selector("li.basket-item >> nth=2")
    assert page.locator("li.basket-item").count() == 3
    page.reload()
    assert page.locator("li.basket-item").count() == 3
    page.fill("#ghi-chu-1", "Dùng ở phần đánh giá")
    desktop.shot("basket-desktop")
    assert desktop.fits_width()
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("button", name="Tải Word (.docx)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    text = _docx_text(path)
    for t in tops:
        assert f"“{t.text}” [{t.citation}]" in text, t.citation
    assert "Căn cứ:" in text and "Ghi chú: Dùng ở phần đánh giá" in text


def test_basket_without_javascript(browser, server, kb_all, tmp_path):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False, accept_downloads=True)
    try:
        tab = Page(context, server)
        page = tab.goto(f"/documents/{AN_GIANG}")
        target = page.locator('[id="III.2"] > .clause-tools form.basket-add button')
        target.click()
        page.wait_for_url(f"**/documents/{AN_GIANG}#III.2")
        assert target.inner_text().startswith("Đã có trong giỏ")
        page = tab.goto(f"/agencies/{AGENCY}")
        page.locator("tr[data-clause-id] form.basket-add button").first.click()
        page = tab.goto("/basket")
        assert page.locator("li.basket-item").count() == 2
        first, second = (page.locator("li.basket-item").nth(k).get_attribute("data-clause-id") for k in (0, 1))
        page.get_by_role("button", name="Chuyển mục 2 lên").click()
        assert page.locator("li.basket-item").first.get_attribute("data-clause-id") == second
        page.check("input[name=style][value=chu-thich]")
        with page.expect_download(timeout=WAIT_MS) as info:
            page.get_by_role("button", name="Tải Word (.docx)").click()
        path = tmp_path / "gio.docx"
        info.value.save_as(str(path))
        import docx
        from tracuu.api.docx_writer import footnote_texts

        notes = footnote_texts(docx.Document(str(path)))
        assert sorted(notes.values()) == sorted(kb_all.clause(c).citation + "." for c in (first, second))
        assert not tab.errors, tab.errors
    finally:
        context.close()


# ---------------------------------------------------------------------- every page, both widths
EVERY_PAGE = [
    ("home", "/"),
    ("ask-answer", "/?q=" + WHO_REPORTS),
    ("ask-not-found", "/?q=Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?"),
    ("documents", "/documents"),
    ("document", f"/documents/{AN_GIANG}"),
    ("document-binh-son", "/documents/214-kh-ubnd-binh-son-2025"),
    ("document-referenced", "/documents/ct-39-ct-tw"),
    ("related", f"/related/{AN_GIANG}:III.2"),
    ("agencies", "/agencies"),
    ("agency", f"/agencies/{AGENCY}"),
    ("agency-brief", f"/agencies/{AGENCY}/brief"),
    ("deadlines", "/deadlines"),
    ("deadlines-before", "/deadlines?before=30/9"),
    ("basket-empty", "/basket"),
    ("upload", "/upload"),
    ("error-404", "/khong-co-trang-nay"),
]
# English words a Vietnamese page must not show outside its [lang=en] parts (kept to words that
# are not also Vietnamese syllables).
ENGLISH_UI = re.compile(
    r"\b(the|and|of|for|with|is|are|not|found|error|search|submit|download|upload|loading|copy|click|"
    r"home|back|next|previous|document|documents|clause|clauses|agency|agencies|file|files|page|pages|"
    r"results?|skip|menu|close|open|save|delete|remove|basket|deadline|deadlines|print|export)\b",
    re.IGNORECASE,
)
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang=en], code, script, style, [hidden], .copy-text-wrap').forEach(el => el.remove());
  return copy.innerText;
}"""


def _check_page(tab: Page, name: str, path: str, width: str) -> None:
    resp = tab.page.goto(tab.base + path, wait_until="load")
    assert resp is not None and (resp.ok or name.startswith("error")), (path, resp and resp.status)
    assert tab.fits_width(), f"{path} scrolls sideways at {width} width"
    english = sorted({m.group().lower() for m in ENGLISH_UI.finditer(tab.page.evaluate(VISIBLE_TEXT))})
    assert not english, f"{path} ({width}) shows English UI words: {english}"
    tab.shot(f"page-{name}-{width}", full_page=True)


@pytest.mark.parametrize("name,path", EVERY_PAGE, ids=[n for n, _ in EVERY_PAGE])
def test_every_page_desktop_and_phone(browser, server, name, path):
    for width, options in (("desktop", {"viewport": DESKTOP}), ("phone", {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True})):
        context = browser.new_context(locale="vi-VN", **options)
        try:
            tab = Page(context, server)
            _check_page(tab, name, path, width)
            assert not [e for e in tab.errors if "404" not in e], tab.errors
        finally:
            context.close()


def test_basket_filled_and_brief_print_layout(browser, server, kb_all):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    try:
        tab = Page(context, server)
        page = tab.goto(f"/agencies/{AGENCY}")
        page.locator("tr[data-clause-id] form.basket-add button").first.click()
        page.wait_for_selector("tr[data-clause-id] form.basket-add button[data-in-basket]")
        _check_page(tab, "basket-filled", "/basket", "phone")
        page = tab.goto(f"/agencies/{AGENCY}/brief")
        page.emulate_media(media="print")
        assert not page.locator("header.site").is_visible()
        assert page.locator(".brief-section").first.is_visible()
        font = page.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
        assert "Times New Roman" in font
        tab.shot("page-agency-brief-print", full_page=True)
        page.emulate_media(media="screen")
        assert not tab.errors, tab.errors
    finally:
        context.close()
