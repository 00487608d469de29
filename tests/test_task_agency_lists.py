"""How one text is split into agencies (h10-coord): a collective narrowed by plain words up to its
verb, and a shared head that covers every item of its list, in prose and in a table cell. Every
snippet below is SYNTHETIC (invented wording in the style of administrative writing), never a real
document's text.
"""

from __future__ import annotations

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.tasks import _Roles, _Text, cell_agencies


def _partners(text: str) -> list[str]:
    g = load_gazetteer()
    t = _Text(text, "x", g)
    return [m.text for m in t.partners(_Roles(g))]


def _mentions(text: str) -> list[str]:
    return [m.text for m in _Text(text, "x", load_gazetteer()).mentions]


def _cell(text: str) -> list[str]:
    return [r.name for r in cell_agencies(text, "", load_gazetteer())]


def test_a_collective_runs_on_with_plain_words_up_to_its_verb() -> None:
    assert "các tổ chức đoàn thể chính trị" in _mentions(
        "Đề nghị Hội Nông dân tỉnh và các tổ chức đoàn thể chính trị tham gia giám sát việc thu gom rác.")
    assert _partners("Chủ trì, phối hợp với các đơn vị cấp nước thuộc phạm vi quản lý xây dựng phương án dự phòng.") \
        == ["các đơn vị cấp nước thuộc phạm vi quản lý"]


def test_a_collective_does_not_run_on_into_a_verb_it_does_not_know() -> None:
    # "phản hồi" is no verb of the lists, but the word before "về" is one: no run-on
    assert "Các cơ quan, đơn vị, tổ chức, doanh nghiệp" in _mentions(
        "Các cơ quan, đơn vị, tổ chức, doanh nghiệp phản hồi về Ban Chỉ đạo trước ngày 10 hằng tháng.")
    # nothing known ends the words: they are no part of the name
    assert _partners("Phối hợp với các đơn vị tổng hợp số liệu, gửi Sở Tài chính.") == ["các đơn vị"]
    # folded, "củng cố" would read as the verb "có": the words are matched as written
    assert _partners("Phối hợp với UBND các xã, phường củng cố, kiện toàn tổ tự quản.") == ["UBND các xã, phường"]
    # a name closed by "liên quan" takes nothing more
    assert _partners("Phối hợp với các cơ quan liên quan thẩm định hồ sơ.") == ["các cơ quan liên quan"]


def test_a_shared_head_in_a_cell_belongs_to_its_first_name() -> None:
    assert _cell("Các Bộ: NN&MT, Xây dựng, Y tế") == ["Bộ NN&MT", "Bộ Xây dựng", "Bộ Y tế"]
    assert _cell("các sở: Tài chính, Nội vụ") == ["Sở Tài chính", "Sở Nội vụ"]


def test_a_provincial_body_is_shared_by_every_place_of_its_list() -> None:
    got = _cell("UBND thành phố Hà Nội, Thành phố Hồ Chí Minh, Hòa Bình, Cần Thơ, Lâm Đồng")
    assert got[:2] == ["UBND thành phố Hà Nội", "Ủy ban nhân dân Thành phố Hồ Chí Minh"]
    assert [n.split()[-2:] for n in got[2:]] == [["Hòa", "Bình"], ["Cần", "Thơ"], ["Lâm", "Đồng"]]
    assert all(n.startswith("Ủy ban nhân dân") for n in got[2:])
    # "và" joins the last place; a place with its own level word keeps it
    assert _cell("UBND thành phố Hà Nội, Thành phố Hồ Chí Minh, tỉnh Hòa Bình và thành phố Cần Thơ")[2:] \
        == ["Ủy ban nhân dân tỉnh Hòa Bình", "Ủy ban nhân dân thành phố Cần Thơ"]
    # a body that is no place ends the list
    assert _cell("UBND tỉnh Lâm Đồng, Bộ Y tế") == ["UBND tỉnh Lâm Đồng", "Bộ Y tế"]
