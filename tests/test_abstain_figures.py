"""Count checks of abstention on made-up text (index/abstain_figures.py, index/abstain_signals.py)."""

from __future__ import annotations

from tracuu.index.abstain_figures import asks_count, count_text, figure_not_stated, missing_counts, question_counts, unstated_count
from tracuu.index.abstain_signals import missing_bodies

ASKS_OFFICIALS = "Mỗi năm có bao nhiêu cán bộ được cử đi tập huấn ở tỉnh bạn?"


def test_a_number_word_that_is_also_a_common_word_is_no_count():
    # folded, "hằng năm cử cán bộ" reads "five officials"; the clause states no number of officials
    assert unstated_count(ASKS_OFFICIALS, "Bố trí kinh phí hằng năm cử cán bộ đi tập huấn.")
    assert unstated_count(ASKS_OFFICIALS, "Sau khi tập huấn, cán bộ báo cáo kết quả.")
    assert not unstated_count(ASKS_OFFICIALS, "Mỗi năm cử 200 cán bộ đi tập huấn.")
    assert not unstated_count(ASKS_OFFICIALS, "Mỗi năm cử hai mươi cán bộ đi tập huấn.")  # a marked number word


def test_a_number_and_a_unit_of_two_sentences_are_no_figure():
    q = "Mức phạt đơn vị chậm nhập dữ liệu lên Hệ thống 123 là bao nhiêu?"
    assert unstated_count(q, "Hệ thống 123 mới ghi nhận 40/90 dự án. Đồng thời, các bộ phải rà soát lại.")
    assert not unstated_count(q, "Phạt tiền từ 5 triệu đồng đến 10 triệu đồng.")
    assert not unstated_count(q, "Phạt tiền 2.500.000 đồng.")


def test_a_count_written_in_words_or_digits_answers_how_many_times():
    q = "Diễn tập ứng phó sự cố phải tổ chức tối thiểu mấy lần một năm?"
    assert asks_count(q)
    assert not unstated_count(q, "Tổ chức diễn tập phương án ứng phó sự cố tối thiểu một lần/năm.")
    assert not unstated_count(q, "Tổ chức diễn tập 02 lần mỗi năm.")
    assert unstated_count(q, "Tổ chức diễn tập định kỳ.")


def test_only_a_marked_may_or_bao_nhieu_asks_a_count():
    assert not asks_count("ai quy dinh chuc nang nhiem vu to chuc bo may trung tam")  # "bộ máy", not "mấy"
    assert not unstated_count("ai quy dinh to chuc bo may cua trung tam", "Bộ Nội vụ quy định tổ chức bộ máy.")
    assert asks_count("kinh phi bao nhieu ty dong")
    assert not asks_count("Ai chủ trì xây dựng kế hoạch?")


def test_thousands_separators_are_dropped_and_punctuation_is_a_boundary():
    assert count_text("Xuất khẩu 12.000 tấn xoài.") == "xuat khau 12000 tan xoai |"
    assert "751 | dong" in count_text("Hệ thống 751. Đồng thời")


def test_a_count_the_question_states_must_be_in_the_clause():
    q = "Hạn chót sơ kết 5 năm thực hiện Chỉ thị 12 ở tỉnh là ngày nào?"
    assert question_counts(q) == [("5", ("nam",))]  # "Chỉ thị 12" is a document, not a count
    assert missing_counts(q, "Định kỳ sơ kết, tổng kết việc thực hiện; báo cáo hằng năm.") == ["5 nam"]
    assert missing_counts(q, "Tổ chức sơ kết 05 năm thực hiện Chỉ thị.") == []
    assert question_counts("Kế hoạch số 214 năm 2025 giao ai chủ trì?") == []
    assert question_counts("Cơ sở 2 Bệnh viện phải xong khi nào?") == []  # "Bệnh" is no unit


def test_figure_not_stated_needs_a_question_and_joins_both_checks():
    assert not figure_not_stated("", "Không có số.", "Không có số.")
    assert figure_not_stated(ASKS_OFFICIALS, "Cử cán bộ đi tập huấn.", "Kế hoạch 5 năm. Cử cán bộ đi tập huấn.")
    assert not figure_not_stated("Ai chủ trì tập huấn cán bộ?", "Sở Nội vụ chủ trì.", "Sở Nội vụ chủ trì.")


def test_a_body_the_document_never_names_is_missing_but_a_committee_by_level_is_not():
    doc = "Sở Xây dựng chủ trì kiểm kê đường bộ. Sở Tài chính tổng hợp. Ủy ban nhân dân các xã phối hợp."
    assert missing_bodies("Sở Y tế hướng dẫn kiểm kê loại tài sản nào?", "Sở Xây dựng chủ trì kiểm kê.", doc) == ["Sở Y tế"]
    assert missing_bodies("Sở Xây dựng kiểm kê loại tài sản nào?", "", doc) == []
    assert missing_bodies("UBND tỉnh phải kiểm kê xong trước ngày nào?", "", doc) == []  # named by level
    assert missing_bodies("Các cơ quan kiểm kê tài sản nào?", "", doc) == []  # a guess from a head word
