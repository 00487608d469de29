"""Reflow rules on small synthetic texts (all text here is synthetic test text, not a real document)."""

from __future__ import annotations

import pytest
from tracuu.ingest.model import SourceText
from tracuu.ingest.reflow import (
    collapse_with_offsets,
    detect_double_spaced,
    page_number_of,
    paginate,
    reflow,
    starts_paragraph,
    verify_span,
)


def _load(text: str) -> SourceText:
    paged = paginate(text)
    blocks = reflow(paged.lines, double_spaced=paged.double_spaced)
    return SourceText(text=text, kind="txt", page_starts=paged.page_starts, blocks=blocks, dropped=paged.dropped)


def _texts(src: SourceText) -> list[str]:
    return [b.text for b in src.blocks]


def _check_offsets(src: SourceText) -> None:
    for b in src.blocks:
        assert len(b.offsets) == len(b.text)
        assert verify_span(src, b.start, b.end, b.text), b.text
        for ch, off in zip(b.text, b.offsets):
            if ch.isspace():
                assert src.text[off].isspace()
            else:
                assert src.text[off] == ch


def _double(lines: list[str]) -> str:
    """Dump style: every line followed by one blank line, trailing space on each line."""
    return "".join(f"{line} \n\n" for line in lines)


# synthetic test text
SINGLE = (
    "KẾ HOẠCH\n"
    "Thử nghiệm phần mềm tra cứu văn bản\n"
    "\n"
    "I. MỤC ĐÍCH\n"
    "1. Mục đích chung\n"
    "a) Kiểm tra việc nối dòng của đoạn văn khi dòng bị ngắt giữa\n"
    "câu và phải được nối lại bằng một dấu cách.\n"
    "b) Đoạn thứ hai;\n"
    "đ) Đoạn có chữ đ.\n"
    "- Gạch đầu dòng thứ nhất;\n"
    "+ Dấu cộng thứ nhất.\n"
    "Đoạn không đánh số bắt đầu sau dấu chấm.\n"
    "Đoạn thứ ba tách bởi dòng trống\n"
    "\n"
    "vì đây là văn bản giãn dòng đơn.\n"
)


def test_single_spaced_rules():
    src = _load(SINGLE)
    assert _texts(src) == [
        "KẾ HOẠCH",
        "Thử nghiệm phần mềm tra cứu văn bản",
        "I. MỤC ĐÍCH",
        "1. Mục đích chung",
        "a) Kiểm tra việc nối dòng của đoạn văn khi dòng bị ngắt giữa câu và phải được nối lại bằng một dấu cách.",
        "b) Đoạn thứ hai;",
        "đ) Đoạn có chữ đ.",
        "- Gạch đầu dòng thứ nhất;",
        "+ Dấu cộng thứ nhất.",
        "Đoạn không đánh số bắt đầu sau dấu chấm.",
        "Đoạn thứ ba tách bởi dòng trống",
        "vì đây là văn bản giãn dòng đơn.",
    ]
    _check_offsets(src)


def test_double_spaced_one_blank_line_is_not_a_break():
    # synthetic test text
    text = _double(
        [
            "Đoạn thứ nhất được ngắt",
            "thành nhiều dòng       ",
            "và vẫn là một đoạn",
            " ",
            "Đoạn thứ hai sau hai dòng trống",
            "chính trị",
            "- xã hội là phần tiếp của câu, không phải gạch đầu dòng.",
        ]
    )
    src = _load(text)
    assert detect_double_spaced(paginate(text).lines)
    assert _texts(src) == [
        "Đoạn thứ nhất được ngắt thành nhiều dòng và vẫn là một đoạn",
        "Đoạn thứ hai sau hai dòng trống chính trị - xã hội là phần tiếp của câu, không phải gạch đầu dòng.",
    ]
    _check_offsets(src)


def test_case_change_and_signature_lines():
    # synthetic test text
    text = _double(
        [
            "KẾ HOẠCH",
            "Thử nghiệm tiêu đề hai dòng",
            "trên cùng một khối",
            "(Văn bản mẫu tự soạn để kiểm thử phần mềm)",
            "Nơi nhận:",
            "- Lưu: VT.",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn Thử",
        ]
    )
    assert _texts(_load(text)) == [
        "KẾ HOẠCH",
        "Thử nghiệm tiêu đề hai dòng trên cùng một khối",
        "(Văn bản mẫu tự soạn để kiểm thử phần mềm)",
        "Nơi nhận:",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Thử",
    ]


def test_page_number_lines_and_years():
    # synthetic test text: "2 " is the next page number, "2025 " is a year alone in a wrapped cell.
    text = _double(["Đoạn đầu tiên kéo dài sang", "2", "trang sau mà không bị tách.", "Quý IV năm", "2025", "3", "xong."])
    src = _load(text)
    assert _texts(src) == ["Đoạn đầu tiên kéo dài sang trang sau mà không bị tách.", "Quý IV năm 2025 xong."]
    assert len(src.page_starts) == 3
    assert [src.text[a:b].strip() for a, b in src.dropped] == ["2", "3"]
    assert [(b.page, b.page_end) for b in src.blocks] == [(1, 2), (2, 3)]
    _check_offsets(src)


def test_form_feed_and_indented_page_start():
    # synthetic test text
    src = _load("Trang một có một đoạn\ftiếp tục ở trang hai.\n")
    assert _texts(src) == ["Trang một có một đoạn tiếp tục ở trang hai."]
    assert len(src.page_starts) == 2 and src.blocks[0].page_end == 2
    text = _double(["Một", "hai", "ba", "bốn"]) + "câu cuối trang \n tiếp ở trang mới. \n\n"
    src = _load(text)
    assert len(src.page_starts) == 2
    assert src.text[src.page_starts[1] :].startswith(" tiếp ở trang mới.")
    _check_offsets(src)


@pytest.mark.parametrize(
    "prev,cur,expected",
    [
        ("năm", "2030.", False),
        ("Chỉ thị số", "39-CT/TW.", False),
        ("hoàn thành;", "Quý IV", True),
        ("ngày 12", "tháng 9 năm 2025", False),
        ("mục tiêu", "III. TỔ CHỨC THỰC HIỆN", True),
        ("quy định tại", "Điều 5 của Luật", False),
        ("kèm theo.", "Điều 2. Hiệu lực", True),
        ("Căn cứ Luật Tổ chức chính quyền;", "Căn cứ Nghị định số 1/2020;", True),
        # synthetic: a numbered item naming bodies, hard-wrapped after ";": a full line that runs on
        # is still the item (a sibling would carry its own number); a marked or finished line is not
        ("2. Các sở, ban, ngành tỉnh;",
         "Ủy ban nhân dân các xã, phường trên địa bàn tỉnh và các cơ quan chuyên môn có liên quan khẩn", False),
        ("2. Các sở, ban, ngành tỉnh;", "3. Ủy ban nhân dân các xã triển khai", True),
        ("2. Các sở, ban, ngành tỉnh;", "Ủy ban nhân dân các xã triển khai ngay.", True),
    ],
)
def test_starts_paragraph(prev, cur, expected):
    assert starts_paragraph(prev, cur) is expected


def test_page_number_of():
    assert page_number_of("2 ") == 2
    assert page_number_of("- 3 -") == 3
    assert page_number_of("Trang 4") == 4
    assert page_number_of("2025 năm") is None


def test_collapse_with_offsets_points_at_whitespace():
    text, offs = collapse_with_offsets((ch, i) for i, ch in enumerate("  a \n\n b  "))
    assert text == "a b" and offs == (2, 3, 7)


def test_verify_span():
    src = _load(_double(["Câu ngắt", "2", "qua trang."]))
    (b,) = src.blocks
    assert verify_span(src, b.start, b.end, "Câu ngắt\nqua trang.")
    assert not verify_span(src, b.start, b.end, "Câu ngắt qua trang")
    assert not verify_span(src, b.start, len(src.text) + 1, b.text)


def test_one_paragraph_per_line_is_single_spaced():
    # synthetic test text: paragraphs written on one line each, a blank line between them
    text = "Đoạn một không có dấu chấm cuối\n\nĐoạn hai cũng vậy\n\nĐoạn ba\n\nĐoạn bốn\n"
    src = _load(text)
    assert not detect_double_spaced(paginate(text).lines)
    assert _texts(src) == ["Đoạn một không có dấu chấm cuối", "Đoạn hai cũng vậy", "Đoạn ba", "Đoạn bốn"]


def test_short_numbered_heading_ends_its_paragraph():
    # synthetic test text: a khoản heading alone on a short line, then an unnumbered paragraph;
    # a wrapped line that happens to start with a capital stays joined
    text = (
        "1. Yêu cầu\n"
        "Bám sát mục tiêu của kế hoạch thử nghiệm phần mềm tra cứu văn bản hành chính trên địa bàn\n"
        "Đồng Vân, bảo đảm mỗi nhiệm vụ có cơ quan chủ trì và thời hạn hoàn thành cụ thể trong năm.\n"
        "2. Thời hạn gửi báo cáo của các cơ quan, đơn vị về Sở Tài chính tỉnh Đồng Vân theo quy\n"
        "Định hiện hành của tỉnh về chế độ báo cáo định kỳ.\n"
    )
    src = _load(text)
    assert _texts(src) == [
        "1. Yêu cầu",
        "Bám sát mục tiêu của kế hoạch thử nghiệm phần mềm tra cứu văn bản hành chính trên địa bàn "
        "Đồng Vân, bảo đảm mỗi nhiệm vụ có cơ quan chủ trì và thời hạn hoàn thành cụ thể trong năm.",
        "2. Thời hạn gửi báo cáo của các cơ quan, đơn vị về Sở Tài chính tỉnh Đồng Vân theo quy "
        "Định hiện hành của tỉnh về chế độ báo cáo định kỳ.",
    ]
    _check_offsets(src)


def test_cong_van_header_lines():
    # synthetic test text: number, a wrapped V/v title and the place-date line of one column
    text = (
        "Số: 12/STC-NS\n"
        "V/v hướng dẫn lập dự toán\n"
        "ngân sách qua Chi nhánh\n"
        "NHCSXH tỉnh năm 2026\n"
        "Đồng Vân, ngày 14 tháng 10 năm 2025\n"
        "Kính gửi: Các sở, ban, ngành tỉnh.\n"
    )
    src = _load(text)
    assert _texts(src) == [
        "Số: 12/STC-NS",
        "V/v hướng dẫn lập dự toán ngân sách qua Chi nhánh NHCSXH tỉnh năm 2026",
        "Đồng Vân, ngày 14 tháng 10 năm 2025",
        "Kính gửi: Các sở, ban, ngành tỉnh.",
    ]
    _check_offsets(src)
