"""National plans and Government resolutions (h12-ttgplan). The sentences are SYNTHETIC (invented
wording in the style of a Nghị quyết of the Government or a Công điện of the Prime Minister), never a
real document's text; the bodies named are real central bodies (names, not text)."""

from __future__ import annotations

import pytest
from tracuu.ingest.agencies import find_agencies, load_gazetteer
from tracuu.ingest.tasks import _Roles, _Text, extract_tasks

from task_text import names


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _partners(text: str, g) -> list[str]:
    return [m.text for m in _Text(text, "x", g).partners(_Roles(g))]


def test_chu_tri_cung_cap_is_no_partner_cue(g) -> None:
    # "cung cấp" folds like "cùng": "Chủ trì cung cấp …" names no partner, "chủ trì cùng X" does
    assert _partners("Chủ trì cung cấp thông tin liên quan đến hồ sơ tồn đọng.", g) == []
    assert _partners("Sở Y tế chủ trì cùng Sở Tài chính kiểm tra.", g) == ["Sở Tài chính"]
    assert _partners("Bộ Công an phối hợp cung ứng vật tư cho địa phương.", g) == []


@pytest.mark.parametrize("text, name", [
    ("Ủy ban thường vụ Quốc hội yêu cầu Chính phủ báo cáo.", "Ủy ban thường vụ Quốc hội"),
    ("phối hợp với Ủy ban Công tác về các tổ chức PCPNN", "Ủy ban Công tác về các tổ chức PCPNN"),
    ("Đề nghị Trung ương Mặt trận Tổ quốc Việt Nam", "Trung ương Mặt trận Tổ quốc Việt Nam"),
    ("Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia theo dõi sát tình hình",
     "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"),
    ("Hội đồng Dân tộc và các Ủy ban của Quốc hội phối hợp thẩm tra", "các Ủy ban của Quốc hội"),
])
def test_central_bodies_are_read_whole(text: str, name: str) -> None:
    assert name in [m.text for m in find_agencies(text)]


def test_the_requested_government_owns_the_points_of_a_standing_committee_resolution() -> None:
    # "X yêu cầu Chính phủ, Thủ tướng Chính phủ … sau đây:" + numbered points: the requested own them
    tasks = extract_tasks(_points())
    assert tasks and all(names(t.lead) == ["Chính phủ", "Thủ tướng Chính phủ"] for t in tasks)


def _points():
    from tracuu.ingest.model import Clause, Span
    head = "Ủy ban thường vụ Quốc hội yêu cầu Chính phủ, Thủ tướng Chính phủ tập trung thực hiện các nhiệm vụ sau:"
    pts = ["Rà soát chính sách hỗ trợ nhà ở cho hộ gia đình A.", "Hướng dẫn giải quyết hồ sơ tồn đọng."]
    out = [Clause(clause_id="t:D2", doc_id="t", path="D2", kind="dieu", label="Điều 2", marker="", text=head,
                  heading_chain=[], parent=None, order=0, span=Span(0, len(head), 1, 1))]
    for i, p in enumerate(pts, 1):
        out.append(Clause(clause_id=f"t:D2.{i}", doc_id="t", path=f"D2.{i}", kind="khoan", label=str(i),
                          marker=f"{i}.", text=p, heading_chain=[head], parent="D2", order=i,
                          span=Span(0, len(p), 1, 1)))
    return out


@pytest.mark.parametrize("text, name", [
    ("12. Các cơ quan báo chí, truyền thông tiếp tục đưa tin về phong trào.", "Các cơ quan báo chí, truyền thông"),
    ("- Bộ Giáo dục và Đào tạo và các cơ sở giáo dục, đào tạo lồng ghép nội dung A.",
     "các cơ sở giáo dục, đào tạo"),
])
def test_a_kind_of_bodies_over_two_fields_is_one_collective(text: str, name: str) -> None:
    assert name in [m.text for m in find_agencies(text)]


def test_two_fields_do_not_swallow_a_named_body() -> None:
    assert [m.text for m in find_agencies("phối hợp với các cơ quan báo chí, Đài Phát thanh tỉnh")][0] \
        == "các cơ quan báo chí"


def test_a_title_listed_before_the_title_of_the_body_is_skipped(g) -> None:
    # "Bí thư, Chủ tịch Ủy ban nhân dân …": the subject is the body of the last title
    from tracuu.ingest.tasks import _owner
    t = _Text("Các đồng chí Bí thư, Chủ tịch Ủy ban nhân dân các tỉnh A, B tiếp tục chỉ đạo khắc phục hậu quả.",
              "x", g)
    owner = _owner(t, _Roles(g))
    assert owner is not None and [r.name for r in owner.lead][0].startswith("Ủy ban nhân dân các tỉnh")
