"""find_references / resolve: document mentions inside clause text.

All sentences here are synthetic (invented for tests). The real documents 39-CT/TW and
1560/QĐ-TTg appear only by number and date, as the knowledge base cites them.
"""

from __future__ import annotations

from tracuu.ingest.references import find_date, find_references, number_key, resolve


def one(text: str):
    refs = find_references(text)
    assert len(refs) == 1, refs
    r = refs[0]
    assert text[r.start : r.end] == r.text
    return r


def test_full_mentions_with_type_and_date() -> None:
    # synthetic sentences
    r = one("Thực hiện Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024 của cấp trên, tỉnh làm như sau.")
    assert (r.doc_type, r.number, r.date) == ("Chỉ thị", "39-CT/TW", "2024-10-30")
    assert r.text == "Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024"

    r = one("theo Quyết định số 1560/QĐ-TTg ngày 18 tháng 7 năm 2025;")
    assert (r.doc_type, r.number, r.date) == ("Quyết định", "1560/QĐ-TTg", "2025-07-18")

    r = one("và Kế hoạch số 87-KH/TU ngày 20 tháng 8 năm 2025 của Ban Thường vụ (hư cấu).")
    assert (r.doc_type, r.number, r.date) == ("Kế hoạch", "87-KH/TU", "2025-08-20")


def test_type_without_so_and_lower_case_type() -> None:
    r = one("quy định tại Nghị định 30/2020/NĐ-CP về công tác văn thư")
    assert (r.doc_type, r.number, r.date) == ("Nghị định", "30/2020/NĐ-CP", None)
    r = one("căn cứ kế hoạch số 5/KH-UBND ngày 2/1/2026 của xã Đồng Vân (hư cấu)")
    assert (r.doc_type, r.number, r.date) == ("Kế hoạch", "5/KH-UBND", "2026-01-02")


def test_slash_dates_and_typo_dates() -> None:
    r = one("Chỉ thị số 39-CT/TW ngày 30/10/2024")
    assert r.date == "2024-10-30"
    r = one("Chỉ thị số 39-CT/TW ngày 30 ngày 10 năm 2024 (lỗi đánh máy hư cấu)")
    assert r.date == "2024-10-30"
    assert r.text.endswith("năm 2024")
    r = one("Quyết định số 9/QĐ-UBND ngày 31 tháng 2 năm 2025")  # impossible date: no date at all
    assert r.date is None and r.text == "Quyết định số 9/QĐ-UBND"


def test_symbol_at_sentence_end_and_bare_symbol() -> None:
    r = one("báo cáo tình hình thực hiện Chỉ thị số 39-CT/TW. Và sau đó")
    assert r.doc_type == "Chỉ thị"
    r = one("việc thực hiện 39-CT/TW tại tỉnh")
    assert (r.doc_type, r.number) == ("", "39-CT/TW")


def test_not_references() -> None:
    text = (
        "Chỉ thị 39 nêu rõ; trước ngày 10/6 và 30/11/2025; giai đoạn 2021-2030; KT-XH; "
        "dưới 1%/tổng dư nợ; Sở NN&MT; 15-20% tăng trưởng; COVID-19."
    )
    assert find_references(text) == []


def test_party_and_law_symbols() -> None:
    # invented numbers
    r = one("Luật Thí điểm Vườn ươm số 99/2099/QH99 ngày 1 tháng 1 năm 2099")
    assert (r.doc_type, r.number, r.date) == ("Luật", "99/2099/QH99", "2099-01-01")
    r = one("Quy định số 77-QĐi/TW của Ban Bí thư (hư cấu)")
    assert (r.doc_type, r.number) == ("Quy định", "77-QĐi/TW")


def test_pdf_lookalike_eth_is_normalised() -> None:
    r = one("Quyết định số 1560/QÐ-TTg")  # U+00D0 as some PDFs write Đ
    assert r.number == "1560/QĐ-TTg"


def test_several_mentions_keep_order_and_offsets() -> None:
    text = "Căn cứ Chỉ thị số 39-CT/TW và Quyết định số 1560/QĐ-TTg ngày 18/7/2025; Kế hoạch số 214/KH-UBND."
    refs = find_references(text)
    assert [r.number for r in refs] == ["39-CT/TW", "1560/QĐ-TTg", "214/KH-UBND"]
    assert [r.date for r in refs] == [None, "2025-07-18", None]
    for r in refs:
        assert text[r.start : r.end] == r.text


def test_number_key_and_resolve() -> None:
    assert number_key("1560/QĐ-TTg") == "1560/qd-ttg"
    assert number_key("39-CT/TW") == "39-ct/tw"
    refs = find_references("Chỉ thị số 39-CT/TW và Kế hoạch số 1/KH-XYZ")
    out = resolve(refs, {"39-ct/tw": "ct-39-ct-tw", "1560/QĐ-TTg": "qd-1560"})
    assert [r.doc_id for r in out] == ["ct-39-ct-tw", None]
    assert resolve(find_references("Quyết định số 1560/QÐ-TTg"), {"1560/QĐ-TTg": "qd-1560"})[0].doc_id == "qd-1560"


def test_find_date_forms() -> None:
    assert find_date("Bình Sơn, ngày 12 tháng 9 năm 2025")[0] == "2025-09-12"
    assert find_date("Bình Sơn, ngày 12/9/2025")[0] == "2025-09-12"
    assert find_date("không có ngày tháng") is None
