"""/docs in a real browser: Swagger UI renders from local files under the app's CSP, offline.

Every request the page makes outside the app is aborted (the network may be closed), and any
Content-Security-Policy violation or script error fails the test. Skips, saying so, where
Chromium or Playwright is missing (as tests/test_browser.py does).
Re-run: ``python -m pytest tests/test_docs_browser.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')"
)

from tracuu.api.config import Settings  # noqa: E402
from tracuu.api.service import Tracuu  # noqa: E402

from test_browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is missing at /usr/bin/chromium (run: bash .ci/browser-deps)"
)


def test_swagger_ui_renders_offline_under_the_csp(tmp_path):
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))
    problems: list[str] = []
    outside: list[str] = []
    with serve(svc) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()

            def route(r):
                if r.request.url.startswith(base):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            response = page.goto(base + "/docs")
            assert response.status == 200
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
            assert "tracuu" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector("[data-path=\"/api/documents\"]", timeout=30_000)
        finally:
            browser.close()
    assert not outside, f"/docs tried to load from outside the app: {outside}"
    assert not problems, problems
