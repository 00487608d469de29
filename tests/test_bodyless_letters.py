"""A short letter written in unnumbered paragraphs only: the work it hands out is read.

SYNTHETIC: every letter below is made up for this test (no real document's text).

Why: a công văn with no numbered point ("… Chủ tịch Ủy ban nhân dân tỉnh giao Sở X chủ trì, phối
hợp với … Báo cáo kết quả trước ngày …") is kept by the parser as preamble paragraphs only, and
the preamble is no task: such a letter yielded no task at all. Its paragraphs are now read as
the body's own paragraphs; a recital ("Ủy ban nhân dân tỉnh nhận được Văn bản số …") still
yields none.
"""

from __future__ import annotations

from pathlib import Path

from tests.task_text import names, parse_txt_tasks

HEADER = """ỦY BAN NHÂN DÂN                          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
      TỈNH HÒA BÌNH                                Độc lập - Tự do - Hạnh phúc

      Số: 4321 /UBND-KT                        Hòa Bình, ngày 02 tháng 3 năm 2026
V/v kiểm tra việc sử dụng kho bãi

                       Kính gửi:
                                     - Sở Xây dựng;
                                     - Sở Công Thương.

"""

SIGNATURE = """
Nơi nhận:                                                  KT. CHỦ TỊCH
- Như trên;                                                PHÓ CHỦ TỊCH
- Lưu: VT.

                                                         Trần Văn Bình
"""

BODYLESS = HEADER + (
    "      Ủy ban nhân dân tỉnh nhận được Văn bản số 15/CV-XYZ ngày 20/02/2026 về việc sử dụng kho bãi.\n"
    "       Chủ tịch Ủy ban nhân dân tỉnh giao Sở Xây dựng chủ trì, phối hợp với Sở Công Thương kiểm tra việc"
    " sử dụng kho bãi, xử lý các vi phạm (nếu có). Báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 30/3/2026.\n"
) + SIGNATURE

NUMBERED = HEADER + """      Ủy ban nhân dân tỉnh giao các sở thực hiện một số nội dung sau:
      1. Sở Xây dựng kiểm tra việc sử dụng kho bãi trên địa bàn tỉnh.
      2. Sở Công Thương rà soát các cơ sở kinh doanh có kho bãi.
""" + SIGNATURE


def test_the_work_of_a_letter_without_points_is_a_task(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, BODYLESS)
    assert len(tasks) == 1, [t.text for t in tasks]
    task = tasks[0]
    assert names(task.lead) == ["Sở Xây dựng"]
    assert names(task.coordinators) == ["Sở Công Thương"]
    assert task.deadline is not None and task.deadline.text == "trước ngày 30/3/2026"


def test_a_recital_of_what_was_received_is_no_task(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, BODYLESS)
    assert not any("nhận được" in t.text for t in tasks)


def test_a_letter_with_points_keeps_its_preamble_out(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, NUMBERED)
    assert [names(t.lead) for t in tasks] == [["Sở Xây dựng"], ["Sở Công Thương"]]


ADDRESS_LINE = HEADER + (
    "      Chủ tịch Ủy ban nhân dân các tỉnh: Hòa Bình, Sơn La.\n"
    "      Chủ tịch Ủy ban nhân dân tỉnh Hòa Bình khẩn trương rà soát các kho bãi, báo cáo trước ngày 15/4/2026.\n"
) + SIGNATURE


def test_a_sentence_of_names_only_is_no_task(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, ADDRESS_LINE)
    assert [names(t.lead) for t in tasks] == [["Ủy ban nhân dân tỉnh Hòa Bình"]], [t.text for t in tasks]
