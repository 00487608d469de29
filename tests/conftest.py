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
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
OUR_FIXTURES = ROOT / "tests" / "fixtures"
BINH_SON = "binh-son-214-KH-UBND"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def shared_fixture(suffix: str) -> Path:
    path = SHARED_FIXTURES / f"{BINH_SON}{suffix}"
    if not path.exists():
        pytest.fail(f"missing shared fixture {path}: the tests expect ../shared/fixtures beside the checkout")
    return path


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
