"""Shared fixtures: paths to the corpus and fixtures, and one knowledge base per test session.

Why session scope: loading the embedding model and embedding the bundled plan takes seconds;
tests that only read share one ingested data directory. Tests that write make their own.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    from api.config import Settings
    from api.service import Tracuu

    return Tracuu(Settings.from_env(data_dir=data_dir, embed_model="hash", chroma_url=""))


def make_kb(data_dir: Path, extra: list[Path] | None = None):
    """A knowledge base in ``data_dir`` with the bundled corpus (and ``extra`` files) ingested."""
    from api.config import Settings
    from api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir))
    reports = svc.ingest(None) + (svc.ingest(extra) if extra else [])
    assert all(r["status"] == "ok" for r in reports), reports
    return svc


@pytest.fixture(scope="session")
def kb(tmp_path_factory):
    """The main job: the bundled corpus alone, as `tracuu ingest` leaves it."""
    return make_kb(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def kb_all(tmp_path_factory):
    """The bundled corpus plus the shared synthetic plan (.docx)."""
    return make_kb(tmp_path_factory.mktemp("kb_all"), [shared_fixture(".docx")])


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
