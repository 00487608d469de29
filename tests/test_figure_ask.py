"""What a figure question measures, and whether a clause states such a figure (synthetic text)."""

from __future__ import annotations

from tracuu.index.query.figure_ask import answers_figure, asked_figure, states_figure


def test_the_unit_after_the_cue_is_what_the_figure_counts():
    assert asked_figure("Tỉnh X xuất khẩu bao nhiêu tấn lúa?").unit == "tan"
    assert asked_figure("Đề án cần bao nhiêu tỷ đồng?").unit == "ty dong"
    assert asked_figure("Họp mấy lần một năm?").unit == "lan"
    assert asked_figure("Xây bao nhiêu trạm quan trắc?").unit == "tram"  # not listed: matched as written
    assert asked_figure("xay bao nhieu tram quan trac").unit == "tram"


def test_a_measure_gives_the_unit_when_the_cue_names_none():
    assert asked_figure("Lãi suất cho vay hộ nghèo là bao nhiêu?").unit == "lai suat"
    assert asked_figure("Chỉ tiêu nợ quá hạn là bao nhiêu?") is None  # any figure may answer


def test_which_day_and_the_machine_are_not_figure_cues():
    assert asked_figure("Báo cáo trước ngày mấy hằng tháng?") is None
    assert asked_figure("Nhà máy nước của xã do ai quản lý?") is None
    assert asked_figure("nha may nuoc do ai quan ly") is None
    assert asked_figure("Đến bao nhiêu năm 2030 thì xong?") is None  # a year follows: not a unit


def test_a_clause_states_the_asked_figure_only_with_that_unit():
    tonnes = asked_figure("Tỉnh X xuất khẩu bao nhiêu tấn lúa?")
    assert states_figure("Phấn đấu đến năm 2030 xuất khẩu 12.000 tấn lúa.", tonnes)
    assert not states_figure("Phấn đấu đến năm 2030 tăng 15% giá trị xuất khẩu lúa.", tonnes)
    times = asked_figure("Diễn tập mấy lần một năm?")
    assert states_figure("Tổ chức diễn tập tối thiểu 01 lần/năm.", times)
    assert states_figure("Tổ chức diễn tập ít nhất hai lần mỗi năm.", times)


def test_a_rate_needs_a_percentage_or_the_measure_beside_a_number():
    rate = asked_figure("Lãi suất cho vay là bao nhiêu?")
    assert states_figure("Cho vay với lãi suất 6,6%/năm.", rate)
    assert not states_figure("Ưu tiên cho vay hộ nghèo trong năm 2026.", rate)


def test_counting_a_documents_own_parts_is_not_a_figure_question():
    assert asked_figure("Quy chế này có mấy chương?") is None
    assert asked_figure("Kế hoạch đặt ra mấy mục tiêu?") is None
    assert asked_figure("Chiếm bao nhiêu phần trăm GRDP?").unit == "phan tram"  # "phần" begins a unit here


def test_a_sum_of_money_is_answered_by_money_not_by_a_percentage():
    """"Bao nhiêu tiền", "thù lao … bao nhiêu": a share of people or of anything else is no sum of money."""
    money = asked_figure("Giáo viên trường tư ở tỉnh A được hỗ trợ bao nhiêu tiền mỗi tháng?")
    assert states_figure("Mức hỗ trợ 800.000 đồng/người/tháng.", money)
    assert not states_figure("Phấn đấu 100% giáo viên ở tỉnh A được bồi dưỡng.", money)
    fee = asked_figure("Tỉnh A trả thù lao bao nhiêu cho chuyên gia?")
    assert fee is not None and fee.unit == "thu lao"
    assert answers_figure("Mức thù lao chuyên gia là 2 triệu đồng mỗi buổi.", fee)
    assert not answers_figure("Áp dụng chế độ thù lao, cộng tác viên để thu hút chuyên gia tham gia.", fee)
    assert not answers_figure("Phấn đấu có ít nhất 10% cán bộ từ nguồn thu hút chuyên gia.", fee)
