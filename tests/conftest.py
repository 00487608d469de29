"""Shared fixtures: paths to the corpus and fixtures, one knowledge base per test session, and
the two test tiers.

Why tiers: embedding the corpus with multilingual-e5 takes most of a run's time, and most tests
check plumbing (pages, exports, CLI words, faults) that any embedder serves. So:

* the **fast tier** (plain ``pytest``) runs on :class:`index.embedders.HashEmbedder` - instant,
  deterministic, lexical only: ``kb``/``kb_all`` are built with it and ``TRACUU_EMBED_MODEL=hash``
  is set for the process and each test, so a CLI call or a child process opens the same index with
  the same embedder;
* ``integration`` tests measure retrieval quality (ranking, ask answers, eval figures) and need e5:
  every test of a module in :data:`INTEGRATION_MODULES` that uses a knowledge base (there ``kb`` and
  ``kb_all`` are the e5 ones), and every test that asks for ``kb_e5``, ``kb_all_e5`` or ``e5``. An
  answer test in another module asks for ``kb_e5``/``kb_all_e5`` (``TRACUU_EMBED_MODEL`` is then
  e5 for that test);
* ``browser`` tests drive Chromium (:data:`BROWSER_MODULES`), on e5 too.

``pytest -m "integration or browser"`` runs the two slow tiers (pyproject's addopts deselects them
by default). Why session scope: tests that only read share one ingested data directory per
embedder; tests that write make their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BUNDLED_PLAN = CORPUS / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt"
# ../shared beside the checkout (CI has it; a fresh clone does not). TRACUU_SHARED_DIR points
# elsewhere, e.g. at a folder that does not exist to check that a fresh clone's tests skip.
SHARED = Path(os.environ.get("TRACUU_SHARED_DIR") or ROOT.parent / "shared")
SHARED_FIXTURES = SHARED / "fixtures"
REALDOCS = SHARED / "realdocs"
OUR_FIXTURES = ROOT / "tests" / "fixtures"
BINH_SON = "binh-son-214-KH-UBND"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Every test's knowledge base has its own catalog (SQLite in its data dir, or a database a fixture
# made): a TRACUU_DATABASE_URL in the caller's environment would make them all share one.
os.environ.pop("TRACUU_DATABASE_URL", None)
#: The embedder the slow tiers use: what the environment names (a sentence-transformers model), else e5.
E5_MODEL = os.environ.get("TRACUU_EMBED_MODEL") or "e5"
# The fast tier's embedder for everything this process and its children open, module and session
# fixtures included (they are set up before a test's own fixtures); slow-tier tests switch to E5_MODEL.
os.environ["TRACUU_EMBED_MODEL"] = "hash"

# Test modules that measure retrieval quality with e5 (``integration``: those of their tests that
# use a knowledge base; their pure unit tests stay in the fast tier) or drive Chromium (``browser``).
INTEGRATION_MODULES = frozenset({
    "test_ask",
    "test_ask_intents",
    "test_retrieval",
})
#: The knowledge bases: in an integration module, ``kb`` and ``kb_all`` are the e5 ones.
KB_FIXTURES = frozenset({"kb", "kb_all"})
BROWSER_MODULES = frozenset({"test_browser", "test_docs_browser"})
#: Fixtures that load e5: a test asking for one is an integration test.
E5_FIXTURES = frozenset({"kb_e5", "kb_all_e5", "e5"})


def _tier(module_name: str) -> str | None:
    name = module_name.rsplit(".", 1)[-1]
    if name in BROWSER_MODULES:
        return "browser"
    if name in INTEGRATION_MODULES:
        return "integration"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    """Mark each test with its tier: by module, or by the e5 fixtures it uses."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        tier = _tier(item.module.__name__) if getattr(item, "module", None) else None
        if tier == "integration" and not (KB_FIXTURES | E5_FIXTURES) & used:
            tier = None  # a unit test beside the ranking ones: fast
        if tier is None and E5_FIXTURES & used:
            tier = "integration"
        if tier is not None and item.get_closest_marker(tier) is None:
            item.add_marker(getattr(pytest.mark, tier))


def slow_tier(item_or_node) -> bool:
    return item_or_node.get_closest_marker("integration") is not None or item_or_node.get_closest_marker("browser") is not None


@pytest.fixture
def monkeypatch(monkeypatch):
    """pytest's monkeypatch, and the process's settings read again (``get_settings`` is cached: the
    environment does not change under a running service) when a test sets or removes a variable."""
    from tracuu.api.config import get_settings

    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def _setenv(name, value, prepend=None):
        setenv(name, value, prepend)
        get_settings.cache_clear()

    def _delenv(name, raising=True):
        delenv(name, raising)
        get_settings.cache_clear()

    monkeypatch.setenv, monkeypatch.delenv = _setenv, _delenv
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _tier_environment(request, monkeypatch):
    """The embedder a CLI call or child process of this test opens the knowledge bases with; and a
    fresh read of the settings (``api.config.get_settings``) for each test."""
    if slow_tier(request.node):
        monkeypatch.setenv("TRACUU_EMBED_MODEL", E5_MODEL)
    else:
        monkeypatch.setenv("TRACUU_EMBED_MODEL", "hash")
    from tracuu.api.config import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


NO_SHARED_REASON = "../shared absent (fresh clone): these tests read ../shared; CI, which has it, runs them"


def shared_available() -> bool:
    return (SHARED_FIXTURES / f"{BINH_SON}.expected.json").exists()


def shared_or_skip(params: list, ids: list[str] | None = None, n: int = 1) -> dict:
    """Arguments for ``pytest.mark.parametrize`` over data read from ../shared: one skipped case,
    saying why, when it is absent (parametrize runs at collection, where skip is not allowed)."""
    if params:
        return {"argvalues": params, "ids": ids}
    return {"argvalues": [pytest.param(*([None] * n), marks=pytest.mark.skip(reason=NO_SHARED_REASON))], "ids": ["no-shared"]}


def shared_fixture(suffix: str) -> Path:
    """A file of the shared synthetic fixture; the test skips, saying so, where ../shared is absent."""
    path = SHARED_FIXTURES / f"{BINH_SON}{suffix}"
    if not path.exists():
        pytest.skip(f"../shared absent (fresh clone): missing shared fixture {path}; CI, which has it, runs this test")
    return path


def hash_kb(data_dir: Path):
    """A knowledge base in ``data_dir`` on the hash embedder, embedded store: fast, for tests of writes and faults."""
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    return Tracuu(Settings.from_env(data_dir=data_dir, embed_model="hash", chroma_url=""))


def make_kb(data_dir: Path, extra: list[Path] | None = None, embed_model: str = "hash"):
    """A knowledge base in ``data_dir`` with the bundled corpus (and ``extra`` files) ingested,
    embedded store; ``embed_model`` "hash" (fast tier) or :data:`E5_MODEL` (slow tiers)."""
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir, embed_model=embed_model, chroma_url=""))
    reports = svc.ingest(None) + (svc.ingest(extra) if extra else [])
    assert all(r.status == "ok" for r in reports), reports
    return svc


def make_texts_kb(tmp_path_factory, name: str, texts: Sequence[tuple[str, str]]):
    """A hash-embedder knowledge base of the bundled corpus plus made-up texts, each ``(file_name,
    body)`` saved under its name (the file name is part of what a headerless text is matched by)."""
    src = Path(tmp_path_factory.mktemp(f"{name}_src"))
    paths = []
    for file_name, body in texts:
        path = src / file_name
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return make_kb(tmp_path_factory.mktemp(name), paths)


def make_text_kb(tmp_path_factory, name: str, file_name: str, body: str):
    """:func:`make_texts_kb` with one text."""
    return make_texts_kb(tmp_path_factory, name, [(file_name, body)])


@pytest.fixture(scope="session")
def kb_hash(tmp_path_factory):
    """The main job: the bundled corpus alone, as `tracuu ingest` leaves it, on the hash embedder."""
    return make_kb(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def kb_all_hash(tmp_path_factory):
    """The bundled corpus plus the shared synthetic plan (.docx), on the hash embedder."""
    return make_kb(tmp_path_factory.mktemp("kb_all"), [shared_fixture(".docx")])


@pytest.fixture(scope="session")
def kb_e5(tmp_path_factory):
    """The bundled corpus alone, on e5 (an integration test)."""
    return make_kb(tmp_path_factory.mktemp("kb_e5"), embed_model=E5_MODEL)


@pytest.fixture(scope="session")
def kb_all_e5(tmp_path_factory):
    """The bundled corpus plus the shared synthetic plan (.docx), on e5 (an integration test)."""
    return make_kb(tmp_path_factory.mktemp("kb_all_e5"), [shared_fixture(".docx")], embed_model=E5_MODEL)


def _module_is_slow(request) -> bool:
    return _tier(request.module.__name__) is not None


@pytest.fixture(scope="module")
def kb(request):
    """The bundled corpus: on e5 in an integration or browser module, else on the hash embedder."""
    return request.getfixturevalue("kb_e5" if _module_is_slow(request) else "kb_hash")


@pytest.fixture(scope="module")
def kb_all(request):
    """The bundled corpus plus the shared synthetic plan: e5 in a slow module, else hash."""
    return request.getfixturevalue("kb_all_e5" if _module_is_slow(request) else "kb_all_hash")


@pytest.fixture(scope="session")
def e5():
    """The default embedder itself (an integration test)."""
    from tracuu.index.embedders import E5Embedder

    return E5Embedder()


# --------------------------------------------------------------------------- servers (tests/servers.py)
# Started once per session, only when a test asks for them (tests that do carry the `servers` marker);
# each skips, saying which package is missing, where the binaries are not installed.


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """URL of a private Chroma server (``chroma run``) shared by the session."""
    from tests.servers import chroma_server

    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture(scope="session")
def pg_server():
    """Admin URL of a private PostgreSQL cluster shared by the session."""
    from tests.servers import postgres_server

    with postgres_server() as url:
        yield url


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server):
    """URL of a fresh, empty database on the session's PostgreSQL server, dropped after the test."""
    from tests.servers import create_database, drop_database

    name = f"t{os.getpid()}_{next(_pg_databases)}"
    url = create_database(pg_server, name)
    yield url
    drop_database(pg_server, name)


@pytest.fixture(scope="session")
def parsed_plan():
    """The bundled plan parsed, with each clause's text hash set as the index stores it, and its source text:
    what the catalog tests save."""
    from dataclasses import replace

    from tracuu.index.catalog.store import sha256_text
    from tracuu.ingest.manifest import load_manifest
    from tracuu.ingest.pipeline import ingest_file

    out = ingest_file(BUNDLED_PLAN, load_manifest(CORPUS / "manifest.toml"))
    assert out.ok, out.errors
    doc = out.document
    doc.clauses = [replace(c, text_sha256=sha256_text(c.text)) for c in doc.clauses]
    return doc, out.source.text
