"""Long partner lists (h10-coord). The sentences are SYNTHETIC (invented wording in the style of a
provincial plan), never a real document's text."""

from __future__ import annotations

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.tasks import _Roles, _Text


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _partners(text: str, g) -> list[str]:
    return [m.full if m.matched == "shared" else m.text for m in _Text(text, "x", g).partners(_Roles(g))]


def test_shared_head_list_ends_at_a_name_of_its_own(g) -> None:
    # "các Sở: A, B và <a full name>": the full name is not one more "Sở …"
    assert _partners("Công an tỉnh chủ trì, phối hợp với các Sở: Tư pháp, Y tế và Ủy ban nhân dân các xã, "
                     "phường kiểm tra.", g) == ["Sở Tư pháp", "Sở Y tế", "Ủy ban nhân dân các xã, phường"]


def test_shared_head_list_still_reads_long_names(g) -> None:
    assert _partners("Sở Nội vụ chủ trì, phối hợp với các Sở: Văn hóa, Thể thao và Du lịch, Tư pháp rà soát.",
                     g) == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp"]


def test_long_list_with_collectives_and_a_wrapped_line(g) -> None:
    text = ("Sở Công Thương chủ trì, phối hợp với Sở Khoa học và Công nghệ,\nSở Văn hóa, Thể thao và Du lịch, "
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và\ncác tổ chức chính trị - xã hội xây dựng sàn giao dịch.")
    assert _partners(text, g) == ["Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch",
                                  "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"]


def test_a_bracket_after_an_item_ends_no_list(g) -> None:
    assert _partners("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính (Chi cục Thuế), Công an tỉnh "
                     "và Bộ Chỉ huy Quân sự tỉnh kiểm tra.", g) == ["Sở Tài chính", "Công an tỉnh",
                                                                   "Bộ Chỉ huy Quân sự tỉnh"]


def test_collective_with_a_colon_list_names_each_department(g) -> None:
    assert _partners("Sở Tư pháp chủ trì, phối hợp với các sở, ngành: Tài chính, Nội vụ, Y tế rà soát văn bản.",
                     g) == ["Sở Tài chính", "Sở Nội vụ", "Sở Y tế"]
