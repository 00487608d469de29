"""Key constraints of a question (index/abstain_keys.py), on made-up text."""

from __future__ import annotations

from tracuu.index.abstain_keys import constraints, describe, subject_agency, unmet


def kinds(question: str) -> list[tuple[str, str]]:
    return [(c.kind, c.key) for c in constraints(question)]


def test_a_day_asked_needs_a_day_in_the_clause_or_its_task():
    q = "Bản đồ đường thủy phải số hóa xong trước ngày nào?"
    assert ("day", "day") in kinds(q)
    recurring = {"deadline": {"text": "thường xuyên", "day": None}, "lead": []}
    assert [c.kind for c in unmet(q, "Số hóa bản đồ đường thủy; cập nhật thường xuyên.", "", [recurring])] == ["day"]
    # the day may be in the clause, or only in its extracted task
    assert not unmet(q, "Số hóa bản đồ đường thủy, xong trước ngày 30/9/2026.", "", [])
    dated = {"deadline": {"text": "trước ngày 15 tháng 10", "day": 15}}
    assert not unmet(q, "Số hóa bản đồ đường thủy.", "", [dated])
    # the date of a document the clause cites is no day for the task
    assert unmet(q, "Theo Kế hoạch số 12/KH-UBND ngày 03/5/2025, số hóa bản đồ đường thủy.", "", [])


def test_a_weekday_answers_which_day():
    q = "Các xã báo cáo tiến độ vào ngày nào trong tuần?"
    assert not unmet(q, "Các xã báo cáo tiến độ vào thứ Sáu hằng tuần.", "", [])


def test_a_year_may_lie_in_a_stated_period():
    q = "Đến năm 2027 tỉnh phải hoàn thành việc trồng rừng ven biển chưa?"
    assert ("year", "2027") in kinds(q)
    assert not unmet(q, "Trồng rừng ven biển giai đoạn 2026 - 2030.", "", [])
    assert [c.key for c in unmet(q, "Trồng rừng ven biển năm 2025.", "", [])] == ["2027"]
    period = "Mức hỗ trợ trồng rừng giai đoạn 2026-2030 là bao nhiêu?"
    assert ("year", "2026-2030") in kinds(period)
    assert unmet(period, "Hỗ trợ trồng rừng giai đoạn 2021-2025.", "", [])


def test_a_document_number_is_no_year():
    assert not [c for c in constraints("Nghị định 13/2023/NĐ-CP giao ai chủ trì?") if c.kind == "year"]


def test_a_place_is_met_by_the_header_unaccented_too():
    q = "Ai chủ trì số hóa hạ tầng đường thủy ở tỉnh Vĩnh Long?"
    assert ("place", "vinh long") in kinds(q)
    assert unmet(q, "Sở Xây dựng chủ trì số hóa hạ tầng đường thủy.", "Kế hoạch UBND tỉnh Đồng Tháp", [])
    assert not unmet(q, "Sở Xây dựng chủ trì số hóa hạ tầng đường thủy.", "Kế hoạch UBND tỉnh Vĩnh Long", [])
    plain = "ai chu tri so hoa ha tang duong thuy o vinh long"
    assert not unmet(plain, "Sở Xây dựng chủ trì số hóa hạ tầng đường thủy.", "Kế hoạch UBND tỉnh Vĩnh Long", [])


def test_the_acting_agency_is_the_first_one_named():
    assert subject_agency("Sở Y tế hướng dẫn kiểm kê tài sản nào?").key == "so-y-te"
    assert subject_agency("Theo kế hoạch, Bộ Ngoại giao phải làm gì về bồi dưỡng?").key == "bo-ngoai-giao"
    # the one reported to is not the one that acts
    assert subject_agency("Các xã phải báo cáo Sở Tài chính trước ngày nào?") is None
    # what is acted on is not the one that acts
    assert subject_agency("Sở Y tế phải được cấp bao nhiêu tỷ đồng?") is None
    # a people's committee or a group is named by level: not checked
    assert subject_agency("UBND tỉnh phải làm gì về kiểm kê?") is None
    # named far into the question: not its subject
    assert subject_agency("Việc kiểm kê tài sản kết cấu hạ tầng giao thông do Sở Xây dựng hướng dẫn?") is None


def test_the_acting_agency_must_act_in_the_clause():
    q = "Sở Y tế hướng dẫn kiểm kê loại tài sản nào?"
    clause = "Hướng dẫn kiểm kê tài sản kết cấu hạ tầng thủy lợi."
    lead = {"lead": [{"name": "Sở Nông nghiệp và Môi trường", "agency_id": "so-nong-nghiep-va-moi-truong"}]}
    assert [c.kind for c in unmet(q, clause, "", [lead])] == ["agency"]
    mine = {"lead": [{"name": "Sở Y tế", "agency_id": "so-y-te"}]}
    assert not unmet(q, clause, "", [mine])
    # a heading naming it, or its abbreviation written out in the clause, count too
    assert not unmet(q, clause, "IV. Tổ chức thực hiện 3. Sở Y tế", [])
    abbreviated = "Sở GD&ĐT phải tổ chức thi thử vào lớp 10 khi nào?"
    assert not unmet(abbreviated, "Sở Giáo dục và Đào tạo tổ chức thi thử vào lớp 10.", "", [])


def test_a_group_of_its_kind_holds_the_agency():
    q = "Sở Y tế phải báo cáo kết quả kiểm kê trước ngày nào?"
    assert not [c for c in unmet(q, "Các sở, ban, ngành báo cáo kết quả kiểm kê trước ngày 30/9.", "", [])]
    group = {"lead": [{"name": "Các sở, ban, ngành tỉnh", "agency_id": "cac-so-ban-nganh", "level": "group"}]}
    assert not unmet(q, "Báo cáo kết quả kiểm kê trước ngày 30/9.", "", [group])
    # a group of another kind does not
    assert [c.kind for c in unmet(q, "Các bộ, ngành báo cáo kết quả kiểm kê trước ngày 30/9.", "", [])] == ["agency"]


def test_a_kind_of_document_named_without_a_number():
    q = "Thông tư hướng dẫn luật đo đạc phải ban hành khi nào?"
    assert ("document", "thong tu") in kinds(q)
    assert unmet(q, "Xây dựng nghị định hướng dẫn luật đo đạc, ban hành năm 2026.", "Quyết định Thủ tướng", [])
    assert not unmet(q, "Xây dựng thông tư hướng dẫn luật đo đạc.", "", [])
    # named by its number: scoping by name answers it, not this check
    assert not [c for c in constraints("Đề án số 06 giao ai chủ trì?") if c.kind == "document"]
    assert not [c for c in constraints("Nghị định 13/2023/NĐ-CP giao ai chủ trì?") if c.kind == "document"]


def test_no_constraint_no_refusal():
    q = "Ai chủ trì số hóa bản đồ đường thủy?"
    assert constraints(q) == []
    assert unmet(q, "Không liên quan.", "", []) == []


def test_describe_says_what_is_not_said():
    q = "Sở Y tế phải báo cáo trước ngày nào?"
    said = describe(unmet(q, "Các sở báo cáo thường xuyên.", "", []))
    assert "ngày cụ thể" in said and "Sở Y tế" in said


def test_words_of_how_a_question_refers_to_the_document_are_no_key_terms():
    from tracuu.index.abstain import key_terms

    # every syllable rare (IDF 7.0, above the key share of a 10 000-clause index): all key terms but the phrasing
    def idf(term: str) -> float:
        return 9.9 if term == "~" else 7.0

    terms = key_terms("Kế hoạch có coi thủy lợi là nhiệm vụ mà văn bản nhắc tới không?", idf)
    assert "thuy" in terms and "coi" not in terms and "nhac" not in terms
