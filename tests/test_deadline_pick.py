"""Which of a clause's deadlines a question asks about (synthetic clause and task)."""

from __future__ import annotations

from tracuu.api.deadline_pick import asked_deadline

CLAUSE = ("Sở Công nghiệp tổng hợp báo cáo tình hình thực hiện Kế hoạch định kỳ hàng tháng (trước ngày 20 hàng "
          "tháng), 6 tháng (trước ngày 20/6), tổng kết năm (trước ngày 25/11 hàng năm).")
TASK = {"deadline": {"text": "trước ngày 20/6", "kind": "yearly_date"},
        "deadlines": [{"text": "hàng tháng", "kind": "recurring"},
                      {"text": "trước ngày 20 hàng tháng", "kind": "recurring"},
                      {"text": "trước ngày 20/6", "kind": "yearly_date"},
                      {"text": "trước ngày 25/11 hàng năm", "kind": "yearly_date"}]}


def test_the_deadline_of_what_the_question_names_is_chosen():
    got = asked_deadline("Báo cáo tổng kết năm phải gửi trước ngày nào?", CLAUSE, [TASK])
    assert got.text == "trước ngày 25/11 hàng năm"
    got = asked_deadline("bao cao hang thang gui truoc ngay nao", CLAUSE, [TASK])
    assert got.text == "trước ngày 20 hàng tháng"


def test_the_main_deadline_stays_when_nothing_fits_better():
    assert asked_deadline("Báo cáo 6 tháng gửi trước ngày nào?", CLAUSE, [TASK]) is None
    assert asked_deadline("Ai tổng hợp báo cáo?", CLAUSE, [{"deadline": None}]) is None


def test_a_clause_without_a_time_takes_its_nearest_heading_that_states_one():
    from tracuu.api.deadline_pick import heading_deadline

    got = heading_deadline(["II. MỤC TIÊU", "2. Mục tiêu cụ thể đến năm 2032", "b) Đối với vùng ven biển"])
    assert got is not None and got.text == "đến năm 2032" and got.year == 2032
    assert heading_deadline(["II. MỤC TIÊU", "2. Mục tiêu cụ thể"]) is None
    # a lead-in over its points is read whole, its year with it
    lead_in = ("2. Để bảo đảm chất lượng và tiến độ của hai công trình, phấn đấu hoàn thành xây dựng trước ngày "
               "30 tháng 11 năm 2027, các cơ quan thực hiện các việc sau:")
    assert heading_deadline(["I. MỤC TIÊU ĐẾN NĂM 2030", lead_in]).year == 2027
    assert heading_deadline([]) is None


def test_a_qualifier_after_a_deadline_says_what_it_is_the_deadline_of():
    """Synthetic: two deadlines in one sentence, each followed by "đối với …"."""
    clause = ("Đối với chi phí mua sắm năm 2023, 2024, yêu cầu Sở Công nghiệp hoàn thành thanh toán xong trước "
              "ngày 10 tháng 3 năm 2026 đối với chi phí năm 2023, xong trước ngày 20 tháng 6 năm 2026 đối với chi "
              "phí năm 2024.")
    task = {"deadline": {"text": "trước ngày 10 tháng 3 năm 2026", "kind": "date"},
            "deadlines": [{"text": "trước ngày 10 tháng 3 năm 2026", "kind": "date"},
                          {"text": "trước ngày 20 tháng 6 năm 2026", "kind": "date"}]}
    got = asked_deadline("Chi phí năm 2024 phải thanh toán xong trước ngày nào?", clause, [task])
    assert got is not None and got.text == "trước ngày 20 tháng 6 năm 2026"
    assert asked_deadline("Chi phí năm 2023 phải thanh toán xong trước ngày nào?", clause, [task]) is None


def test_a_deadline_in_a_sentence_of_its_own_is_the_deadline_of_the_sentence_before():
    """Synthetic: "… ban hành văn bản hướng dẫn. Thời hạn hoàn thành …. 2. Đối với … trước ngày …"."""
    clause = ("Đối với 12 nhiệm vụ cần hướng dẫn, các sở khẩn trương ban hành văn bản hướng dẫn thủ tục cấp phép "
              "xây dựng, bảo đảm thống nhất. Thời hạn hoàn thành chậm nhất ngày 20/12/2025. 2. Đối với 4 nhiệm "
              "vụ cần điều chỉnh, yêu cầu Sở Tài chính xây dựng phương án, báo cáo Ban Chỉ đạo trước ngày 10/12/2025.")
    task = {"deadline": {"text": "trước ngày 10/12/2025", "kind": "date"},
            "deadlines": [{"text": "chậm nhất ngày 20/12/2025", "kind": "date"},
                          {"text": "trước ngày 10/12/2025", "kind": "date"}]}
    got = asked_deadline("Các sở phải ban hành văn bản hướng dẫn thủ tục cấp phép xây dựng khi nào?", clause, [task])
    assert got is not None and got.text == "chậm nhất ngày 20/12/2025"
    assert asked_deadline("Sở Tài chính báo cáo phương án điều chỉnh khi nào?", clause, [task]) is None


def test_a_sentence_that_only_opens_with_a_label_word_is_no_deadline_label():
    """Synthetic: "Thời gian báo cáo định kỳ …" says what a period is; the sentence before keeps its deadline."""
    clause = ("Các phòng báo cáo kết quả về Sở Công nghiệp chậm nhất ngày 17 tháng 12. Thời gian báo cáo định kỳ hàng "
              "năm tính từ ngày 15 tháng 12 năm trước kỳ báo cáo đến ngày 14 tháng 12.")
    period = "định kỳ hàng năm tính từ ngày 15 tháng 12 năm trước kỳ báo cáo đến ngày 14 tháng 12"
    task = {"deadline": {"text": "chậm nhất ngày 17 tháng 12", "kind": "yearly_date"},
            "deadlines": [{"text": "chậm nhất ngày 17 tháng 12", "kind": "yearly_date"},
                          {"text": period, "kind": "yearly_date"}]}
    assert asked_deadline("Hằng năm các phòng báo cáo kết quả về Sở Công nghiệp chậm nhất ngày nào?", clause,
                          [task]) is None
