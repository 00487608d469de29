"""A collective named by the work this text gave it (round 25, h26-qual, issue #10): "Các cơ quan
được giao nhiệm vụ …" goes on with where the work was given when that is a reference to this text
("… tại khoản 2 Điều này", "… trong Kế hoạch và tại Phụ lục kèm theo"), at most three words of what
was given before it. Without such a reference the name keeps its end.

Every Vietnamese line here is SYNTHETIC, written for these tests; none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.agencies import find_agencies


def _names(text: str) -> list[str]:
    return [m.text for m in find_agencies(text)]


def test_the_reference_to_this_text_is_part_of_the_name() -> None:
    assert _names("c) Thời hạn: Các đơn vị được giao nhiệm vụ thống kê tại khoản 2 Điều này định kỳ gửi số liệu "
                  "về Sở Y tế.") == ["Các đơn vị được giao nhiệm vụ thống kê tại khoản 2 Điều này", "Sở Y tế"]
    assert _names("Các cơ quan, đơn vị được giao nhiệm vụ trong Kế hoạch và tại Phụ lục kèm theo có trách nhiệm "
                  "chủ động thực hiện.") == [
        "Các cơ quan, đơn vị được giao nhiệm vụ trong Kế hoạch và tại Phụ lục kèm theo"]
    assert _names("Các đơn vị được giao tại Quyết định này có trách nhiệm thực hiện.") == [
        "Các đơn vị được giao tại Quyết định này"]


def test_without_a_reference_the_name_keeps_its_end() -> None:
    assert _names("Các cơ quan được giao nhiệm vụ chủ động triển khai.") == ["Các cơ quan được giao nhiệm vụ"]
    # a reference to another text is not where this one gave the work
    assert _names("Các đơn vị được giao nhiệm vụ tại Quyết định số 12/QĐ-UBND tiếp tục thực hiện.")[0] \
        == "Các đơn vị được giao nhiệm vụ"
    # more than three words of what was given: no reading
    assert _names("Các cơ quan được giao chủ trì xây dựng đề án riêng tại khoản 3 Điều này có trách nhiệm báo cáo.")[0] \
        == "Các cơ quan được giao"
