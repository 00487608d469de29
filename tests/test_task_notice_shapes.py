"""Shapes of conclusion notices and Công điện read in round 14 (issue 10, h14-notice): a Deputy
Prime Minister handed the work ("Giao Phó Thủ tướng Chính phủ … trực tiếp chỉ đạo"), written with
the person's name when the text gives it.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
people "Nguyễn Văn A" and the meetings do not exist); none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.agencies import load_gazetteer

from tests.task_text import _one, names


def test_deputy_prime_minister_is_read_whole_not_as_the_prime_minister() -> None:
    g = load_gazetteer()
    text = "Giao các Phó Thủ tướng Chính phủ theo nhiệm vụ được phân công kiểm tra, đôn đốc."
    found = [(text[m.start:m.end], m.agency_id) for m in g.find(text)]
    assert found == [("các Phó Thủ tướng Chính phủ", "pho-thu-tuong-chinh-phu")]
    text = "Thủ tướng Chính phủ yêu cầu Bộ Tài chính khẩn trương bố trí kinh phí."
    assert [m.agency_id for m in g.find(text)][0] == "thu-tuong-chinh-phu"


def test_deputy_prime_minister_keeps_the_name_written_after_the_title() -> None:
    g = load_gazetteer()
    text = "Giao Phó Thủ tướng Chính phủ Nguyễn Văn A trực tiếp chỉ đạo công tác chuẩn bị."
    [m] = g.find(text)
    assert (text[m.start:m.end], m.agency_id) == ("Phó Thủ tướng Chính phủ Nguyễn Văn A", None)
    # one capitalised word after the title is no name ("… Chính phủ Chỉ đạo …" of a flattened row)
    text = "Phó Thủ tướng Chính phủ Chỉ đạo các bộ."
    assert [m.agency_id for m in g.find(text)][0] == "pho-thu-tuong-chinh-phu"


def test_giao_deputy_prime_minister_is_a_task() -> None:
    task = _one("5. Giao Phó Thủ tướng Chính phủ Nguyễn Văn A trực tiếp chỉ đạo công tác chuẩn bị lễ khánh thành.")
    assert names(task.lead) == ["Phó Thủ tướng Chính phủ Nguyễn Văn A"]
    task = _one("10. Giao các Phó Thủ tướng Chính phủ theo nhiệm vụ được phân công kiểm tra, đôn đốc các Bộ, "
                "cơ quan, địa phương triển khai thực hiện Công điện này.")
    assert names(task.lead) == ["các Phó Thủ tướng Chính phủ"]



def test_communal_level_written_as_its_kinds_runs_on_over_more_unit_words() -> None:
    g = load_gazetteer()

    def read(text: str) -> list[tuple[str, str | None]]:
        return [(text[m.start:m.end], m.agency_id) for m in g.find(text)]

    assert read("Chủ tịch Ủy ban nhân dân xã, phường và đặc khu xem xét, quyết định.") == [
        ("Ủy ban nhân dân xã, phường và đặc khu", "ubnd-cap-xa")]
    assert read("phối hợp với Công an phường, xã, đặc khu rà soát địa chỉ.") == [
        ("Công an phường, xã, đặc khu", "cong-an-cap-xa")]
    assert read("Ủy ban nhân dân cấp xã, phường, đặc khu chịu trách nhiệm.") == [
        ("Ủy ban nhân dân cấp xã, phường, đặc khu", "ubnd-cap-xa")]
    # a unit word that names a place goes on as before; "và" + another body is no unit
    assert read("Ủy ban nhân dân các xã, phường, đặc khu Bình Sơn thực hiện.")[0][0] == \
        "Ủy ban nhân dân các xã, phường, đặc khu Bình Sơn"
    assert [t for t, _ in read("Sở Y tế, Ủy ban nhân dân các xã, phường và các đơn vị liên quan thực hiện.")][1] == \
        "Ủy ban nhân dân các xã, phường"
