"""Links: references resolved to documents and clauses, and "implements" proposals on a chain.

The chain (tests/fixtures/chain, all synthetic): the invented ministry's Kế hoạch số 9999/KH-BKHTD
(national level, rendered here from bo-khtd-9999-kh.md) and the Hòa Phong decision with its plan
(provincial), whose test manifest says it implements the national plan. For each task clause of
the Hòa Phong plan, hoa-phong-qd-ke-hoach.expected_links.json names the national clause it
implements; we measure how often that clause is ranked first and within the top three, print the
figures and hold them to floors a little under what we measure (93 % / 98 %).

A second lower document, a tiny synthetic .txt plan of the invented "tỉnh Lam Sơn" written here,
is linked to the national plan through its references only (no manifest entry), and cites a
clause of it by path.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tracuu.ingest.links import Catalog, clause_links, document_aliases, document_level, parse_path, path_before
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.references import find_references

from conftest import OUR_FIXTURES

CHAIN = OUR_FIXTURES / "chain"
EXPECTED = json.loads((CHAIN / "hoa-phong-qd-ke-hoach.expected_links.json").read_text(encoding="utf-8"))
LOWER, HIGHER = EXPECTED["lower"], EXPECTED["higher"]
TOP1_FLOOR, TOP3_FLOOR = 0.85, 0.95
KEY = "khoa-thu"

LAM_SON = """ỦY BAN NHÂN DÂN
TỈNH LAM SƠN
Số: 77/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lam Sơn, ngày 05 tháng 9 năm 2025

KẾ HOẠCH
Thực hiện Kế hoạch số 9999/KH-BKHTD ngày 20 tháng 8 năm 2025 của Bộ Kế hoạch Tín dụng trên địa bàn tỉnh Lam Sơn
(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)

I. NHIỆM VỤ
1. Sở Tài chính chủ trì tham mưu Ủy ban nhân dân tỉnh bố trí vốn ngân sách tỉnh ủy thác qua Chi nhánh Ngân hàng Chính sách xã hội tỉnh theo điểm b khoản 2 Mục II của Kế hoạch số 9999/KH-BKHTD; hoàn thành trước ngày 15/11/2025.
2. Công an tỉnh chủ trì kết nối dữ liệu dân cư với hệ thống thông tin khách hàng vay vốn để xác thực người vay; hoàn thành trong Quý I năm 2026.
3. Sở Nội vụ hướng dẫn kiện toàn Ban đại diện Hội đồng quản trị Ngân hàng Chính sách xã hội tỉnh; hoàn thành trong năm 2025.
II. TỔ CHỨC THỰC HIỆN
Các sở, ban, ngành tỉnh báo cáo kết quả thực hiện các nhiệm vụ tại khoản 1 Mục I Kế hoạch này về Sở Tài chính trước ngày 15/12 hằng năm./.
"""


# --- path phrases (no index needed) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, path",
    [
        ("điểm b khoản 2 Mục II", "II.2.b"),
        ("khoản 3 Điều 5", "D5.3"),
        ("điểm a, khoản 2, Điều 3", "D3.2.a"),
        ("Điều 2", "D2"),
        ("mục III", "III"),
        ("khoản 2", "2"),
        ("gạch đầu dòng thứ ba điểm b khoản 1 Mục II", "II.1.b.-3"),
        ("nhiệm vụ số 5 Phụ lục", "PL.5"),
        ("nhiệm vụ số 5 Phụ lục II", "PL2.5"),
        ("Phụ lục II", "PL2"),
        ("Phụ lục", "PL"),
    ],
)
def test_parse_path(phrase, path):
    assert parse_path(phrase) == path


def _clause(text: str, cid: str = "ke-hoach-x:II.1") -> Clause:
    doc_id, path = cid.split(":", 1)
    return Clause(cid, doc_id, path, "khoan", "khoản 1 Mục II", "1.", text, [], "II", 0, Span(0, len(text), 1, 1),
                  references=find_references(text))


def test_clause_link_to_a_path_of_a_numbered_document():
    text = "Thực hiện điểm b khoản 2 Mục II của Kế hoạch số 214/KH-UBND ngày 12/9/2025 của UBND tỉnh Bình Sơn."
    ref = find_references(text)[0]
    assert path_before(text, ref.start) == ("II.2.b", text.index("điểm"))
    (link,) = clause_links(_clause(text), Catalog())
    assert (link.kind, link.doc_id, link.path, link.to, link.status) == (
        "clause", "214-kh-ubnd", "II.2.b", "214-kh-ubnd:II.2.b", "unknown")
    assert link.text == "điểm b khoản 2 Mục II của Kế hoạch số 214/KH-UBND ngày 12/9/2025"
    assert link.clause_found is None  # the document is not ingested: nothing to check


def test_document_link_statuses():
    text = ("Căn cứ Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024 và Kế hoạch số 214/KH-UBND; "
            "Luật số 72/2025/QH15 và Kế hoạch số 45-KH/TU.")
    cat = Catalog(numbers={"39-ct/tw": "ct-39-ct-tw", "214/kh-ubnd": "214-kh-ubnd-binh-son-2025"}, known={"ct-39-ct-tw"},
                  ingested={"214-kh-ubnd-binh-son-2025": {"II.2.b"}})
    links = clause_links(_clause(text), cat)
    assert [(ln.kind, ln.doc_id, ln.status) for ln in links] == [
        ("document", "ct-39-ct-tw", "referenced"),
        ("document", "214-kh-ubnd-binh-son-2025", "ingested"),
        ("document", "72-2025-qh15", "unknown"),
        ("document", "45-kh-tu", "unknown"),
    ]


def test_path_into_an_ingested_document_is_checked():
    cat = Catalog(numbers={"214/kh-ubnd": "214-kh-ubnd-binh-son-2025"}, ingested={"214-kh-ubnd-binh-son-2025": {"II", "II.2", "II.2.b"}})
    ok, = clause_links(_clause("theo khoản 2 Mục II Kế hoạch số 214/KH-UBND"), cat)
    bad, = clause_links(_clause("theo khoản 9 Mục II Kế hoạch số 214/KH-UBND"), cat)
    assert (ok.to, ok.clause_found) == ("214-kh-ubnd-binh-son-2025:II.2", True)
    assert (bad.to, bad.clause_found) == ("214-kh-ubnd-binh-son-2025:II.9", False)


def test_self_and_alias_paths():
    """"Kế hoạch này" is the clause's own document; "(sau đây gọi là Kế hoạch)" names the document
    referenced just before, and a plan attached to a decision is looked up under "KH."."""
    cat = Catalog(numbers={"1234/qđ-ubnd": "qd-1234"}, ingested={"qd-1234": {"D1", "KH.II.2.b"}, "cv": {"1.a"}},
                  types={"qd-1234": "Quyết định"})
    intro = _clause("Thực hiện Quyết định số 1234/QĐ-UBND ban hành Kế hoạch thực hiện (sau đây gọi là Kế hoạch), như sau:",
                    "cv:preamble.1")
    aliases = document_aliases([intro], cat)
    assert aliases == {"ke hoach": ("qd-1234", "Kế hoạch")}
    c = _clause("Chỉ tiêu tại điểm b khoản 2 Mục II Kế hoạch; báo cáo theo điểm a khoản 1 Kế hoạch này.", "cv:1.b")
    links = clause_links(c, cat, own_doc="cv", aliases=aliases)
    assert [(ln.to, ln.via, ln.clause_found) for ln in links] == [
        ("qd-1234:KH.II.2.b", "alias", True),
        ("cv:1.a", "self", True),
    ]
    # the document's own number without a path is no link
    own = _clause("Ban hành kèm theo Quyết định số 1234/QĐ-UBND.", "qd-1234:KH.preamble.1")
    assert clause_links(own, cat, own_doc="qd-1234", own_number="1234/QĐ-UBND") == []


def test_document_level():
    assert document_level(None, "central") == "central"
    assert document_level(None, issuer="Bộ Kế hoạch Tín dụng") == "central"
    assert document_level(None, issuer="Ủy ban nhân dân tỉnh Lam Sơn") == "provincial"
    assert document_level(None, issuer="Ủy ban nhân dân xã Tân Lập") == "local"
    assert document_level(None, number="1560/QĐ-TTg") == "central"
    assert document_level(None, number="214/KH-UBND") == "provincial"
    assert document_level(None) is None


def test_agency_kinds_meet_across_levels():
    from tracuu.api.links import agency_kind

    assert agency_kind("so-tai-chinh") == agency_kind("bo-tai-chinh")
    assert agency_kind("chi-nhanh-nhcsxh-tinh") == agency_kind("ngan-hang-chinh-sach-xa-hoi")
    assert agency_kind("cong-an-tinh") == agency_kind("bo-cong-an")
    assert agency_kind("ubnd-cap-xa") == agency_kind("ubnd-tinh")
    assert agency_kind(None, "Sở Ngoại vụ tỉnh") == agency_kind(None, "Bộ Ngoại vụ")


# --- the chain ---------------------------------------------------------------------------------------


def _render_national(out: Path) -> Path:
    pytest.importorskip("fpdf")  # make_fixtures defines its PDF renderer at import
    sys.path.insert(0, str(OUR_FIXTURES))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(OUR_FIXTURES))
    blocks = make_fixtures.parse_md((CHAIN / "bo-khtd-9999-kh.md").read_text(encoding="utf-8"))
    meta = {
        "title": "Kế hoạch số 9999/KH-BKHTD (văn bản mẫu tự soạn - không phải văn bản thật)",
        "date": dt.datetime(2025, 8, 20, 8, 0, 0, tzinfo=dt.timezone.utc),
        "header_left_mm": 72.0,
    }
    out.write_bytes(make_fixtures.build_docx(blocks, meta))
    return out


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    tmp = tmp_path_factory.mktemp("chain")
    national = _render_national(tmp / "bo-khtd-9999-kh.docx")
    lam_son = tmp / "lam-son-77-kh.txt"
    lam_son.write_text(LAM_SON, encoding="utf-8")
    svc = Tracuu(Settings.from_env(data_dir=tmp / "data", corpus_dir=CHAIN))
    files = [national, OUR_FIXTURES / "hoa-phong-qd-ke-hoach.pdf", OUR_FIXTURES / "hoa-phong-cong-van.pdf", lam_son]
    reports = svc.ingest(files)
    assert [r.status for r in reports] == ["ok"] * 4, reports
    assert [r.doc_id for r in reports] == [HIGHER, LOWER, "2087-stc-ns-hoa-phong-2025", "77-kh-ubnd-lam-son-2025"]
    return svc


@pytest.fixture()
def client(chain, monkeypatch):
    from tracuu.api.http import create_app

    monkeypatch.setenv("TRACUU_API_KEY", KEY)
    return TestClient(create_app(chain))


def _ranks(svc) -> dict[str, list[str]]:
    from tracuu.api.links import LinkService

    st = LinkService.of(svc).state()
    return {cid: [p.to_clause for p in ranked] for cid, ranked in st.ranked.items()}


def test_implements_ranking_on_the_chain(chain):
    ranks = _ranks(chain)
    measured = {k: v for k, v in EXPECTED["links"].items() if v is not None}
    assert {f"{LOWER}:{k}" for k in EXPECTED["links"]} <= set(ranks)  # every task clause is ranked
    top1 = sum(ranks[f"{LOWER}:{k}"][:1] == [f"{HIGHER}:{v}"] for k, v in measured.items()) / len(measured)
    top3 = sum(f"{HIGHER}:{v}" in ranks[f"{LOWER}:{k}"][:3] for k, v in measured.items()) / len(measured)
    print(f"\nimplements on the synthetic chain ({len(measured)} task clauses): top-1 {top1:.3f}, top-3 {top3:.3f}")
    assert top1 >= TOP1_FLOOR and top3 >= TOP3_FLOOR


def test_reference_makes_a_higher_document(chain):
    """Lam Sơn's plan has no manifest entry: citing the (ingested, central) national plan is enough."""
    from tracuu.api.links import LinkService

    st = LinkService.of(chain).state()
    assert st.higher["77-kh-ubnd-lam-son-2025"] == [HIGHER]
    assert st.higher[HIGHER] == []  # the directive it implements is not ingested
    ranks = _ranks(chain)
    assert ranks["77-kh-ubnd-lam-son-2025:I.1"][0] == f"{HIGHER}:II.2.b"
    assert ranks["77-kh-ubnd-lam-son-2025:I.2"][0] == f"{HIGHER}:II.3.đ"
    assert ranks["77-kh-ubnd-lam-son-2025:I.3"][0] == f"{HIGHER}:II.3.c"


def test_related_over_http(client):
    r = client.get("/api/clauses/77-kh-ubnd-lam-son-2025:I.1/related")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert set(body) >= {"cites", "cited_by", "implements", "implemented_by"}
    (cite,) = body["cites"]
    assert (cite["kind"], cite["to"], cite["status"], cite["clause_found"]) == ("clause", f"{HIGHER}:II.2.b", "ingested", True)
    assert cite["target"]["label"] == "điểm b khoản 2 Mục II"
    assert len(body["implements"]) == 3 and body["implements"][0]["status"] == "proposed"
    assert body["implements"][0]["to"] == f"{HIGHER}:II.2.b" and body["implements"][0]["score"] > body["implements"][1]["score"]

    # the other way round: the national point is cited by Lam Sơn and implemented by both plans
    back = client.get(f"/api/clauses/{HIGHER}:II.2.b/related").json()
    assert [c["from"] for c in back["cited_by"]] == ["77-kh-ubnd-lam-son-2025:I.1"]
    froms = {i["from"] for i in back["implemented_by"]}
    assert {"77-kh-ubnd-lam-son-2025:I.1", f"{LOWER}:KH.II.2.a", f"{LOWER}:PL.5"} <= froms

    # the công văn's "điểm b khoản 2 Mục II Kế hoạch": the alias of the plan issued by QĐ 1234
    cv = client.get("/api/clauses/2087-stc-ns-hoa-phong-2025:1.b/related").json()
    assert [(c["to"], c["via"]) for c in cv["cites"]] == [(f"{LOWER}:KH.II.2.b", "alias")]
    assert "2087-stc-ns-hoa-phong-2025:1.b" in [c["from"] for c in client.get(f"/api/clauses/{LOWER}:KH.II.2.b/related").json()["cited_by"]]

    # document references keep their status
    pre = client.get(f"/api/clauses/{LOWER}:preamble.3/related").json()
    assert [(c["number"], c["status"]) for c in pre["cites"]] == [("39-CT/TW", "referenced")]

    assert client.get("/api/clauses/khong-co:I.1/related").status_code == 404


def test_confirm_and_reject_survive_reingest(chain, client):
    frm = f"{LOWER}:KH.II.1.h"
    first = client.get(f"/api/clauses/{frm}/related").json()["implements"]
    top, second = first[0], first[1]

    # writes need the key
    assert client.post(f"/api/links/{top['link_id']}/reject").status_code == 401
    assert client.post(f"/api/links/{top['link_id']}/reject", headers={"X-API-Key": "sai"}).status_code == 401
    assert client.post("/api/links/0000000000000000/confirm", headers={"X-API-Key": KEY}).status_code == 404

    r = client.post(f"/api/links/{top['link_id']}/reject", headers={"X-API-Key": KEY})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    r = client.post(f"/api/links/{second['link_id']}/confirm", headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"

    def check():
        now = client.get(f"/api/clauses/{frm}/related").json()["implements"]
        assert now[0]["to"] == second["to"] and now[0]["status"] == "confirmed"
        assert top["to"] not in [i["to"] for i in now]  # rejected: never proposed again
        assert [i["status"] for i in now[1:]] == ["proposed"] * 3
        target = client.get(f"/api/clauses/{second['to']}/related").json()["implemented_by"]
        assert any(i["from"] == frm and i["status"] == "confirmed" for i in target)

    check()
    stored = chain.store().decisions().values()  # kept in the catalog (was links.json)
    assert {(d["from"], d["to"], d["status"]) for d in stored} >= {
        (frm, top["to"], "rejected"), (frm, second["to"], "confirmed")}

    # re-ingest the lower plan (delete and add it back): the decisions still hold
    chain.delete(LOWER)
    assert client.get(f"/api/clauses/{frm}/related").status_code == 404
    (report,) = chain.ingest([OUR_FIXTURES / "hoa-phong-qd-ke-hoach.pdf"])
    assert report.status == "ok" and report.doc_id == LOWER
    check()


def test_writes_refused_without_configured_key(chain, monkeypatch):
    from tracuu.api.http import create_app

    monkeypatch.delenv("TRACUU_API_KEY", raising=False)
    c = TestClient(create_app(chain))
    lid = c.get(f"/api/clauses/{LOWER}:KH.II.3.a/related").json()["implements"][0]["link_id"]
    assert c.post(f"/api/links/{lid}/confirm").status_code == 403


def test_chain_fixture_is_marked_synthetic():
    lines = (CHAIN / "bo-khtd-9999-kh.md").read_text(encoding="utf-8").splitlines()
    title = lines.index("# KẾ HOẠCH")
    assert lines[title + 2] == "> (Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)"
