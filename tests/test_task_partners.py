"""Partners of a task under a heading that names partners, and press/national bodies as partners
(h10-plans3). The plan below is SYNTHETIC (made-up province, invented wording in the layout of a
provincial plan's "Tổ chức thực hiện"), never a real document's text.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import extract_tasks

PLAN = """ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN
Số: 7/KH-UBND
KẾ HOẠCH
Thử nghiệm phân công (văn bản mẫu tự soạn để kiểm thử, không phải văn bản thật)
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính chủ trì, phối hợp với các sở, ngành, địa phương:
a) Tổng hợp nhu cầu vốn của các đơn vị, hoàn thành trong quý II năm 2026.
b) Chủ trì, phối hợp với Sở Nội vụ rà soát biên chế các đơn vị sự nghiệp.
c) Hướng dẫn lập dự toán; phối hợp chặt chẽ với Sở Xây dựng thẩm định các dự án.
2. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Báo tỉnh, Đài Phát thanh và Truyền hình tỉnh tuyên truyền kế hoạch.
3. Công an tỉnh phối hợp với Trung tâm dữ liệu quốc gia đồng bộ dữ liệu dân cư.
"""


class _ByStart(dict):
    """Tasks keyed by their text; looked up by the text's opening words."""

    def __getitem__(self, start: str) -> tuple[list[str], list[str]]:
        hits = [v for k, v in self.items() if k.startswith(start)]
        assert len(hits) == 1, (start, list(self))
        return hits[0]


def _tasks(tmp_path: Path) -> _ByStart:
    p = tmp_path / "kh.txt"
    p.write_text(PLAN, encoding="utf-8")
    doc = parse_document(load(p), doc_id="d", file_name="kh.txt", content_hash="")
    out = _ByStart()
    for t in extract_tasks(doc.clauses, addressees=doc.header.addressees):
        out[t.text] = ([r.name for r in t.lead], [r.name for r in t.coordinators])
    return out


def test_points_take_the_headings_partners(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    assert tasks["Tổng hợp nhu cầu vốn của c"] == (["Sở Tài chính"], ["các sở, ngành, địa phương"])


def test_a_point_that_names_its_partners_has_only_those(tmp_path: Path) -> None:
    # "1. X chủ trì, phối hợp với các sở, ngành:" + "b) Chủ trì, phối hợp với Sở Nội vụ …": the
    # point's own partner is its partner (the heading's general ones are for the other points)
    tasks = _tasks(tmp_path)
    assert tasks["Chủ trì, phối hợp với Sở N"] == (["Sở Tài chính"], ["Sở Nội vụ"])
    assert tasks["Hướng dẫn lập dự toán; phố"] == (["Sở Tài chính"], ["Sở Xây dựng"])


def test_the_provinces_paper_and_national_data_centre_are_partners(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    assert tasks["Sở Văn hóa, Thể thao và D"][1] == ["Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh"]
    assert tasks["Công an tỉnh phối hợp với"][1] == ["Trung tâm dữ liệu quốc gia"]


def test_lower_case_paper_is_no_agency() -> None:
    g = load_gazetteer()
    assert [m.text for m in g.find("tin được đăng trên báo tỉnh và đài")] == []


def test_a_shared_head_list_stops_before_the_verb() -> None:
    # "phối hợp với các Sở: Y tế, Công Thương rà soát …": the last name is "Sở Công Thương", the
    # verb after the list is no part of it; a name with "và" in it stays whole
    g = load_gazetteer()
    found = g.find("Sở X phối hợp với các Sở: Y tế, Công Thương rà soát tiêu chuẩn.")
    assert [m.name for m in found if m.matched == "shared"] == ["Sở Y tế", "Sở Công Thương"]
    found = g.find("phối hợp với các Bộ: Y tế, Nông nghiệp và Môi trường rà soát, hoàn thiện quy chuẩn")
    assert [m.name for m in found if m.matched == "shared"] == ["Bộ Y tế", "Bộ Nông nghiệp và Môi trường"]
    found = g.find("phối hợp với các Sở: Ngoại vụ, Dân tộc triển khai kế hoạch")  # names the gazetteer lacks
    assert [m.name for m in found if m.matched == "shared"] == ["Sở Ngoại vụ", "Sở Dân tộc"]
