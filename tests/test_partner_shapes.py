"""Partner lists of two shapes (h15-coord). Every sentence here is SYNTHETIC (made up for the test,
in the wording officials use), never a real document's text.

* a "phối hợp" right after the object of a verb that hands work on ("chỉ đạo X phối hợp với Y",
  "phân công một đơn vị chủ trì, phối hợp với Y") is X's, not the task owner's partners;
* a partner list that goes on past words the gazetteer does not read, to bodies "liên quan":
  the unread words are one partner as written, or the rest of the name "và" joins them to.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import extract_tasks

HEAD = """ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN
Số: 9/KH-UBND
KẾ HOẠCH
Thử nghiệm phối hợp (văn bản mẫu tự soạn để kiểm thử, không phải văn bản thật)
IV. TỔ CHỨC THỰC HIỆN
"""


def _partners(text: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    p = tmp_path / "kh.txt"
    p.write_text(HEAD + "1. " + text + "\n", encoding="utf-8")
    doc = parse_document(load(p), doc_id="d", file_name="kh.txt", content_hash="")
    tasks = [t for t in extract_tasks(doc.clauses, addressees=doc.header.addressees) if t.text == text]
    assert len(tasks) == 1, [t.text for t in tasks]
    return [r.name for r in tasks[0].lead], [r.name for r in tasks[0].coordinators]


def test_partner_of_a_directed_object_is_not_the_owners(tmp_path: Path) -> None:
    lead, partners = _partners("Sở Y tế phối hợp với Sở Nội vụ chỉ đạo các trạm y tế phối hợp với "
                               "các trường tiểu học khám sức khỏe cho học sinh.", tmp_path)
    assert lead == ["Sở Y tế"]
    assert partners == ["Sở Nội vụ"]


def test_partner_of_an_assigned_body_is_not_the_owners(tmp_path: Path) -> None:
    lead, partners = _partners("Khi vụ việc liên quan nhiều lĩnh vực, Văn phòng UBND tỉnh chủ trì tham mưu "
                               "Chủ tịch UBND tỉnh xử lý hoặc phân công một cơ quan, đơn vị chủ trì, phối hợp "
                               "với các cơ quan, đơn vị liên quan đề xuất cách giải quyết.", tmp_path)
    assert lead == ["Văn phòng UBND tỉnh"]
    assert partners == []


def test_directing_verb_opening_the_text_keeps_its_partners(tmp_path: Path) -> None:
    _, partners = _partners("Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Y tế tổ chức tập huấn.", tmp_path)
    assert partners == ["Sở Y tế"]


def test_unread_bodies_before_related_bodies_are_partners(tmp_path: Path) -> None:
    _, partners = _partners("Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành, Ủy ban nhân dân "
                            "các xã, báo, đài và các đơn vị có liên quan tổ chức hội thi.", tmp_path)
    assert partners[-2:] == ["báo, đài", "các đơn vị có liên quan"]


def test_name_that_goes_on_with_va_is_kept_whole(tmp_path: Path) -> None:
    _, partners = _partners("Sở Xây dựng chủ trì, phối hợp Ban Quản lý các khu công nghệ cao và khu công nghiệp; "
                            "các doanh nghiệp viễn thông và các đơn vị liên quan rà soát quy hoạch.", tmp_path)
    assert partners[0] == "Ban Quản lý các khu công nghệ cao và khu công nghiệp"
    assert partners[-1] == "các đơn vị liên quan"
    assert len(partners) == 3


def test_unread_words_with_a_verb_stop_the_list(tmp_path: Path) -> None:
    _, partners = _partners("Sở Y tế chủ trì, phối hợp với Sở Tài chính hướng dẫn các trường và các đơn vị "
                            "liên quan thực hiện.", tmp_path)
    assert partners == ["Sở Tài chính"]
