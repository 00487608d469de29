"""Agency identity includes jurisdiction: two provinces' "Sở Tài chính" are two agencies in /agencies.

The two documents are SYNTHETIC, written for this test ("Bình Sơn" and "Hòa Phong" are made-up
provinces); no line is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.api.tasks_view import AgencyQuery, agency_table, find_agency_row
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import extract_tasks, jurisdiction_of

DOC = """ỦY BAN NHÂN DÂN TỈNH {upper}

Số: {num}/KH-UBND

KẾ HOẠCH

Kiểm tra quyết toán ngân sách xã (văn bản mẫu tự soạn để kiểm thử)

I. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ hướng dẫn quyết toán ngân sách xã, hoàn thành trước ngày 30/6/2026.

2. Thanh tra tỉnh kiểm tra việc quyết toán tại 05 xã trong quý III/2026.
"""


def _tasks(tmp_path: Path, upper: str, num: str) -> list[dict]:
    f = tmp_path / f"{num}.txt"
    f.write_text(DOC.format(upper=upper, num=num), encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id=num, file_name=f.name, content_hash="")
    assert doc.header.issuer and upper.lower() in doc.header.issuer.lower()
    return [t.to_dict() for t in extract_tasks(doc.clauses, jurisdiction=jurisdiction_of(doc.header.issuer))]


def test_two_provinces_finance_departments_are_two_agencies(tmp_path):
    tasks = _tasks(tmp_path, "BÌNH SƠN", "11") + _tasks(tmp_path, "HÒA PHONG", "22")
    rows = {r["agency_id"]: r for r in agency_table(tasks)}
    assert rows["so-tai-chinh--binh-son"]["jurisdiction"] == "Bình Sơn"
    assert rows["so-tai-chinh--hoa-phong"]["jurisdiction"] == "Hòa Phong"
    assert rows["so-tai-chinh--binh-son"]["counts"]["lead"] == 1
    assert rows["so-tai-chinh--hoa-phong"]["counts"]["lead"] == 1
    assert "so-tai-chinh" not in rows
    assert rows["so-noi-vu--binh-son"]["counts"]["coordinator"] == 1

    # a scoped id selects one province's tasks; the bare id selects both (old links keep working)
    one = AgencyQuery.of("so-tai-chinh--hoa-phong")
    assert [t["doc_id"] for t in tasks if one.roles_in(t)] == ["22"]
    both = AgencyQuery.of("so-tai-chinh")
    assert sorted(t["doc_id"] for t in tasks if both.roles_in(t)) == ["11", "22"]
    merged = find_agency_row(agency_table(tasks), "so-tai-chinh")
    assert merged is not None and merged["counts"]["lead"] == 2 and merged["jurisdiction"] is None
    assert find_agency_row(agency_table(tasks), "so-tai-chinh--binh-son")["counts"]["lead"] == 1
    assert find_agency_row(agency_table(tasks), "khong-co") is None


def test_national_body_keeps_its_bare_id():
    ref = {"name": "Bộ Tài chính", "full": "Bộ Tài chính", "agency_id": "bo-tai-chinh", "level": "national",
           "jurisdiction": None}
    rows = agency_table([{"lead": [ref], "coordinators": []}])
    assert [r["agency_id"] for r in rows] == ["bo-tai-chinh"]
