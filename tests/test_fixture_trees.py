"""Each synthetic fixture, in each rendering, parses into exactly the tree its expected.json gives.

Through the whole ingest path (``ingest.pipeline.ingest_file`` with an empty manifest, which also
checks every clause against its source span), for:

* ``binh-son-214-KH-UBND`` (shared fixture, ../shared/fixtures): .docx, .pdf, and the .txt for the
  body clauses (its appendix table lost its columns, so there the ``PL.*`` rows are only checked to
  exist, with their kind and parent);
* ``hoa-phong-qd-ke-hoach`` (a Quyết định with an attached Kế hoạch and its Phụ lục table):
  .docx and .pdf;
* ``hoa-phong-cong-van`` (a Công văn: no type line, "V/v" title, "Kính gửi:" list): .docx and .pdf.

Compared: the clause paths in document order (recipients/signature blocks aside), and per clause
its label, kind, parent, marker and text; the appendix cells; for the .pdf the page where each
clause starts and ends. Header facts: type, number, date, place, issuer, title, signer, recipients
(and the "Kính gửi" addressees where the fixture has them).

What the expected.json leave out is not compared: pages of a .docx or .txt (a .docx has no fixed
pages), the tasks (tests of ingest.tasks), the abbreviations.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from tests.conftest import OUR_FIXTURES, shared_fixture

BINH_SON = "binh-son-214-KH-UBND"
HOA_PHONG = ("hoa-phong-qd-ke-hoach", "hoa-phong-cong-van")

# (fixture, suffix): every rendering the parser must read exactly
CASES = [(BINH_SON, ".docx"), (BINH_SON, ".pdf"), (BINH_SON, ".txt")] + [
    (name, suffix) for name in HOA_PHONG for suffix in (".docx", ".pdf")
]
IDS = [f"{name}{suffix}" for name, suffix in CASES]

# clauses that are blocks of the tail, not of the tree the expected.json lists
TAIL_KINDS = {"recipients", "signature"}


def fixture_path(name: str, suffix: str) -> Path:
    if name == BINH_SON:
        return shared_fixture(suffix)
    return OUR_FIXTURES / f"{name}{suffix}"


@lru_cache(maxsize=None)
def expected(name: str) -> dict:
    path = fixture_path(name, ".expected.json")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def ingested(name: str, suffix: str):
    from tracuu.ingest.manifest import Manifest
    from tracuu.ingest.pipeline import ingest_file

    path = fixture_path(name, suffix)
    outcome = ingest_file(path, Manifest(folder=path.parent))
    return outcome


def only_rows_exist(name: str, suffix: str, clause: dict) -> bool:
    """The .txt of binh-son keeps the appendix rows but not their columns."""
    return suffix == ".txt" and clause["path"].startswith("PL.")


# Renderings whose appendix keeps its columns (the .txt loses them; the công văn has no table),
# and renderings with fixed pages (only the .pdf).
TABLE_CASES = [(n, s) for n, s in CASES if s != ".txt" and n != "hoa-phong-cong-van"]
PDF_CASES = [(n, s) for n, s in CASES if s == ".pdf"]


def _load(name: str, suffix: str):
    outcome = ingested(name, suffix)
    assert outcome.ok, outcome.errors
    return name, suffix, outcome.document, expected(name)


@pytest.fixture(params=CASES, ids=IDS)
def case(request):
    return _load(*request.param)


@pytest.fixture(params=TABLE_CASES, ids=[f"{n}{s}" for n, s in TABLE_CASES])
def table_case(request):
    return _load(*request.param)


@pytest.fixture(params=PDF_CASES, ids=[f"{n}{s}" for n, s in PDF_CASES])
def pdf_case(request):
    return _load(*request.param)


# ---------------------------------------------------------------- the clause tree


def test_every_clause_cites_its_source(case):
    """Every clause's text is exactly what its source spans say (ingest_file flags any that is not)."""
    from tracuu.ingest.reflow import clause_matches_source

    name, suffix, doc, _ = case
    outcome = ingested(name, suffix)
    bad = [c.path for c in doc.clauses if not clause_matches_source(outcome.source, c)]
    assert bad == []
    assert all(c.exact for c in doc.clauses)


def test_paths_in_order(case):
    name, suffix, doc, exp = case
    got = [c.path for c in doc.clauses if c.kind not in TAIL_KINDS]
    assert got == [c["path"] for c in exp["clauses"]]


def test_label_kind_parent_marker(case):
    name, suffix, doc, exp = case
    got = {c.path: c for c in doc.clauses}
    diffs = []
    for e in exp["clauses"]:
        c = got.get(e["path"])
        if c is None:
            diffs.append((e["path"], "missing"))
            continue
        fields = ("kind", "parent") if only_rows_exist(name, suffix, e) else ("label", "kind", "parent", "marker")
        for field in fields:
            if getattr(c, field) != e[field]:
                diffs.append((e["path"], field, getattr(c, field), e[field]))
    assert diffs == []


def test_texts(case):
    name, suffix, doc, exp = case
    got = {c.path: c for c in doc.clauses}
    diffs = [
        (e["path"], got[e["path"]].text if e["path"] in got else None, e["text"])
        for e in exp["clauses"]
        if not only_rows_exist(name, suffix, e) and (e["path"] not in got or got[e["path"]].text != e["text"])
    ]
    assert diffs == []


def test_appendix_cells(table_case):
    name, suffix, doc, exp = table_case
    got = {c.path: c for c in doc.clauses}
    with_cells = [e for e in exp["clauses"] if e.get("cells")]
    assert with_cells
    diffs = [(e["path"], got[e["path"]].cells, e["cells"]) for e in with_cells if got[e["path"]].cells != e["cells"]]
    assert diffs == []


def test_pdf_pages(pdf_case):
    name, suffix, doc, exp = pdf_case
    got = {c.path: c for c in doc.clauses}
    diffs = []
    for e in exp["clauses"]:
        span = got[e["path"]].span
        want = (e["page"], e.get("page_end", e["page"]))
        if (span.page, span.page_end) != want:
            diffs.append((e["path"], (span.page, span.page_end), want))
    assert diffs == []
    assert doc.pages == exp["document"]["pdf_pages"]


# ---------------------------------------------------------------- header facts


def test_header_facts(case):
    name, suffix, doc, exp = case
    d = exp["document"]
    h = doc.header
    got = {
        "type": h.doc_type,
        "number": h.number,
        "date": h.date,
        "date_as_written": h.date_as_written,
        "place": h.place,
        "issuer": h.issuer,
        "title": h.title,
    }
    want = {
        "type": d["type"],
        "number": d["number"],
        "date": d["date"],
        "date_as_written": d["date_as_written"],
        "place": d["place"],
        "issuer": d["issuer"],
        "title": d.get("title") or d["title_as_written"],
    }
    assert got == want


def test_signer_and_recipients(case):
    name, suffix, doc, exp = case
    h = doc.header
    signer = exp["document"]["signer"]
    assert (h.signer.authority, h.signer.capacity, h.signer.position, h.signer.name) == (
        signer["authority"],
        signer["capacity"],
        signer["position"],
        signer["name"],
    )
    assert h.recipients == exp["recipients"]
    assert h.addressees == exp.get("addressees", [])
    blocks = {c.path: c for c in doc.clauses if c.kind in TAIL_KINDS}
    assert blocks["signature"].text.split("\n") == exp["signature"]
    assert blocks["recipients"].text.split("\n") == exp["recipients_as_written"]


def test_attached_plan_keeps_the_decision_header():
    """The plan attached to the decision has its own header block (issuer, quốc hiệu), type line
    and title, but no number, date, recipients or signature: the decision's facts stand, and the
    plan's header block is neither a clause nor part of the decision's signature or Điều 3."""
    outcome = ingested("hoa-phong-qd-ke-hoach", ".docx")
    assert outcome.ok, outcome.errors
    doc = outcome.document
    assert [c.path for c in doc.clauses if c.kind in TAIL_KINDS] == ["recipients", "signature"]
    assert not any("CỘNG HÒA" in c.text or "Độc lập" in c.text for c in doc.clauses)
