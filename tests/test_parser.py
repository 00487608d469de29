"""The structure parser: header, clause tree, recipients, signature, appendix.

Three kinds of input:
* the bundled An Giang plan (a real document: the test checks structure and a few short
  facts, it does not copy its text), cut into paragraphs by the crude splitter in
  tests/parser_blocks.py until the txt loader is swapped in;
* the shared synthetic fixture (../shared/fixtures/binh-son-214-KH-UBND.*), checked against
  its expected.json;
* small SYNTHETIC snippets written here: every province, number, date and name in them is
  invented for the test ("tỉnh Đồng Vân" does not exist).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tracuu.ingest.errors import IngestError  # noqa: E402
from tracuu.ingest.model import ParsedDocument, SourceText  # noqa: E402
from tracuu.ingest.parser import KINDS, parse_document  # noqa: E402
from tracuu.ingest.vntext import collapse_spaces  # noqa: E402

from parser_blocks import Para, Row, fixture_md_items, source_from_paragraphs, source_from_txt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AN_GIANG = ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt"
from conftest import SHARED_FIXTURES as FIXTURES  # noqa: E402

BINH_SON = "binh-son-214-KH-UBND"


def parse(src: SourceText, doc_id: str = "t") -> ParsedDocument:
    return parse_document(src, doc_id=doc_id, file_name=f"{doc_id}.txt", content_hash="0" * 64)


def parse_items(items, doc_id: str = "t") -> tuple[ParsedDocument, SourceText]:
    src = source_from_paragraphs(items)
    return parse(src, doc_id), src


def by_path(doc: ParsedDocument) -> dict:
    return {c.path: c for c in doc.clauses}


def assert_spans_cite_source(doc: ParsedDocument, src: SourceText) -> None:
    """Every clause's span holds its text (whitespace aside): the citation contract."""
    for c in doc.clauses:
        assert c.kind in KINDS, c.kind
        assert collapse_spaces(src.text[c.span.start : c.span.end]) == collapse_spaces(c.text), c.path
        assert c.clause_id == f"{doc.doc_id}:{c.path}"
        assert 1 <= c.span.page <= c.span.page_end
    assert [c.order for c in doc.clauses] == list(range(len(doc.clauses)))
    assert len({c.path for c in doc.clauses}) == len(doc.clauses)


# ------------------------------------------------------------------ the An Giang plan

AN_GIANG_PATHS = (
    ["preamble.1", "I", "I.1", "I.1.a", "I.1.b", "I.1.c", "I.2", "I.2.a", "I.2.b", "I.2.c"]
    + ["II", "II.1"] + [f"II.1.{x}" for x in "a b c d đ e g h".split()]
    + ["II.2", "II.2.a", "II.2.b", "II.2.c", "II.2.d", "II.2.p1"]
    + ["III", "III.1", "III.2", "III.3", "III.p1", "recipients", "signature"]
)


@pytest.fixture(scope="module")
def an_giang() -> tuple[ParsedDocument, SourceText]:
    src = source_from_txt(AN_GIANG.read_text(encoding="utf-8"))
    return parse(src, "kh-an-giang-ct-39"), src


def test_an_giang_paths_in_order(an_giang) -> None:
    doc, src = an_giang
    assert [c.path for c in doc.clauses] == AN_GIANG_PATHS
    assert_spans_cite_source(doc, src)


def test_an_giang_labels_kinds_parents(an_giang) -> None:
    doc, _ = an_giang
    c = by_path(doc)
    assert c["II.1.đ"].label == "điểm đ khoản 1 Mục II"
    assert c["II.1.đ"].marker == "đ)" and c["II.1.đ"].kind == "diem" and c["II.1.đ"].parent == "II.1"
    assert c["II.2.p1"].label == "đoạn không đánh số thứ nhất khoản 2 Mục II"
    assert c["II.2.p1"].parent == "II.2" and c["II.2.p1"].kind == "doan_khong_danh_so"
    assert c["II.2.p1"].text.startswith("(Nhiệm vụ và giải pháp cụ thể tại Phụ lục")
    assert c["III.p1"].label == "đoạn không đánh số thứ nhất Mục III" and c["III.p1"].parent == "III"
    assert c["III.p1"].text.startswith("Trong quá trình triển khai thực hiện")
    assert c["preamble.1"].label == "đoạn 1 phần mở đầu" and c["preamble.1"].kind == "preamble"
    assert (c["I"].kind, c["I"].label, c["I"].marker, c["I"].text) == ("muc", "Mục I", "I.", "MỤC ĐÍCH, YÊU CẦU")
    assert c["III.2"].label == "khoản 2 Mục III"
    assert c["II.1.c"].text == "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ."
    assert c["II.1.c"].heading_chain == ["II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP", "1. Mục tiêu"]
    assert c["recipients"].label == "Nơi nhận" and c["recipients"].kind == "recipients"


def test_an_giang_texts_have_no_hard_wraps(an_giang) -> None:
    doc, _ = an_giang
    for c in doc.clauses:
        if c.kind in ("recipients", "signature"):
            continue
        assert "\n" not in c.text, c.path
        assert "  " not in c.text, c.path
    # a symbol split over two source lines is whole again
    assert "Chỉ thị số 39-CT/TW." in by_path(doc)["III.2"].text


def test_an_giang_header_and_signature(an_giang) -> None:
    doc, _ = an_giang
    h = doc.header
    assert h.doc_type == "Kế hoạch"
    assert h.title is not None and h.title.startswith("Triển khai thực hiện Chỉ thị số 39-CT/TW ngày 30 ngày 10")
    assert h.title.endswith("trong giai đoạn mới")
    assert (h.issuer, h.number, h.date, h.place) == (None, None, None, None)  # the text has none
    assert (h.signer.authority, h.signer.capacity, h.signer.position, h.signer.name) == (
        None,
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Trung Hồ",
    )
    assert by_path(doc)["signature"].text == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Trung Hồ"
    assert h.recipients[0] == "TT. Tỉnh ủy" and h.recipients[-1] == "Lưu: VT, pthoanh"


def test_an_giang_preamble_references(an_giang) -> None:
    doc, _ = an_giang
    refs = {(r.number, r.date) for r in by_path(doc)["preamble.1"].references}
    assert refs == {("1560/QĐ-TTg", "2025-07-18"), ("39-CT/TW", "2024-10-30")}
    qd = by_path(doc)["preamble.1"].references[0]
    assert (qd.doc_type, qd.number) == ("Quyết định", "1560/QĐ-TTg")


# ------------------------------------------------------------------ the shared synthetic fixture


@pytest.fixture(scope="module")
def expected() -> dict:
    path = FIXTURES / f"{BINH_SON}.expected.json"
    if not path.exists():
        pytest.skip(f"../shared absent (fresh clone): missing shared fixture {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def _shared_md() -> str:
    path = FIXTURES / f"{BINH_SON}.md"
    if not path.exists():
        pytest.skip(f"../shared absent (fresh clone): missing shared fixture {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def md_items() -> list:
    return fixture_md_items(_shared_md())


def check_fixture_header(doc: ParsedDocument, expected: dict) -> None:
    d = expected["document"]
    h = doc.header
    assert h.doc_type == d["type"]
    assert h.number == d["number"]
    assert h.date == d["date"]
    assert h.date_as_written == d["date_as_written"]
    assert h.place == d["place"]
    assert h.issuer == d["issuer"]
    assert h.title == d["title_as_written"]
    assert h.recipients == expected["recipients"]
    assert vars(h.signer) == d["signer"]


def test_fixture_header_recipients_signature(md_items, expected) -> None:
    doc, src = parse_items(md_items, BINH_SON)
    check_fixture_header(doc, expected)
    c = by_path(doc)
    assert c["signature"].text == "\n".join(expected["signature"])
    assert c["recipients"].text == "\n".join(expected["recipients_as_written"])
    assert_spans_cite_source(doc, src)


def test_fixture_clause_tree(md_items, expected) -> None:
    doc, _ = parse_items(md_items, BINH_SON)
    got = [c for c in doc.clauses if c.kind not in ("recipients", "signature")]
    assert [c.path for c in got] == [e["path"] for e in expected["clauses"]]
    for c, e in zip(got, expected["clauses"]):
        assert (c.label, c.kind, c.parent, c.marker, c.text) == (
            e["label"],
            e["kind"],
            e["parent"],
            e["marker"],
            e["text"],
        ), c.path
        assert c.cells == e.get("cells"), c.path
    pl5 = by_path(doc)["PL.5"]
    # the appendix title is the outermost heading of its rows (what it says of all rows, each row says)
    assert pl5.heading_chain == ["PHỤ LỤC NHIỆM VỤ CỤ THỂ", "II. HUY ĐỘNG, BỐ TRÍ NGUỒN LỰC"]
    refs = {r.number for r in by_path(doc)["preamble.1"].references}
    assert refs == set(expected["document"]["cites"])


def test_fixture_layout_lines_interleaved(expected) -> None:
    """A .docx layout table read row by row: left and right lines alternate."""
    items = fixture_md_items(_shared_md(), interleave=True)
    doc, src = parse_items(items, BINH_SON)
    check_fixture_header(doc, expected)
    assert by_path(doc)["signature"].text == "\n".join(expected["signature"])
    assert [c.path for c in doc.clauses if c.kind not in ("recipients", "signature")] == [
        e["path"] for e in expected["clauses"]
    ]


def test_fixture_signature_before_recipients(md_items, expected) -> None:
    """The right column (signature) read before the left one (recipients)."""
    sign = [k for k, it in enumerate(md_items) if isinstance(it, Para) and it.layout and k > 10]
    left = [md_items[k] for k in sign if md_items[k].text.startswith(("Nơi nhận", "- "))]
    right = [md_items[k] for k in sign if md_items[k] not in left]
    items = md_items[: sign[0]] + right + left + md_items[sign[-1] + 1 :]
    doc, _ = parse_items(items, BINH_SON)
    check_fixture_header(doc, expected)
    assert by_path(doc)["signature"].text == "\n".join(expected["signature"])


def test_fixture_header_lines_merged(md_items, expected) -> None:
    """A loader that glued the header lines (issuer + quốc hiệu, number + place/date)."""
    start = next(k for k, it in enumerate(md_items) if it == "KẾ HOẠCH")
    merged = [
        "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 214/KH-UBND Bình Sơn, ngày 12 tháng 9 năm 2025",
    ]
    doc, _ = parse_items(merged + md_items[start:], BINH_SON)
    check_fixture_header(doc, expected)


# ------------------------------------------------------------------ synthetic snippets

# SYNTHETIC: an invented decision of an invented province with an attached plan.
DECISION = [
    Para("ỦY BAN NHÂN DÂN", layout=True),
    Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", layout=True),
    Para("TỈNH ĐỒNG VÂN", layout=True),
    Para("Độc lập - Tự do - Hạnh phúc", layout=True),
    Para("Số: 77/QĐ-UBND", layout=True),
    Para("Đồng Vân, ngày 5/3/2026", layout=True),
    "QUYẾT ĐỊNH",
    "Về việc ban hành Kế hoạch thí điểm vườn ươm cây dược liệu năm 2026",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG VÂN",
    "Căn cứ Luật Thí điểm Vườn ươm số 99/2099/QH99;",
    "Căn cứ Kế hoạch số 12-KH/TU ngày 20 tháng 1 năm 2026 của Ban Thường vụ Tỉnh ủy Đồng Vân;",
    "Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thí điểm vườn ươm cây dược liệu năm 2026.",
    "Điều 2. Tổ chức thực hiện",
    "Giao Sở Nông nghiệp và Môi trường theo dõi việc thực hiện Kế hoạch.",
    "Điều 3. Trách nhiệm thi hành",
    "1. Sở Tài chính bố trí kinh phí:",
    "a) Kinh phí năm 2026;",
    "b) Kinh phí các năm tiếp theo.",
    "2. Quyết định này có hiệu lực từ ngày ký./.",
    Para("Nơi nhận:", layout=True),
    Para("KT. CHỦ TỊCH", layout=True),
    Para("- Như Điều 3;", layout=True),
    Para("PHÓ CHỦ TỊCH", layout=True),
    Para("- Lưu: VT.", layout=True),
    Para("Trần Văn Khải", layout=True),
    "\f",
    "KẾ HOẠCH",
    "Thí điểm vườn ươm cây dược liệu năm 2026",
    "(Ban hành kèm theo Quyết định số 77/QĐ-UBND ngày 05/3/2026 của Ủy ban nhân dân tỉnh Đồng Vân)",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Thử nghiệm mô hình vườn ươm tại 3 xã.",
    "II. NHIỆM VỤ",
    "1. Xây dựng vườn ươm",
    "a) Chọn địa điểm trước ngày 30/4/2026.",
    "b) Cung cấp giống cây.",
]


def test_decision_with_attached_plan() -> None:
    doc, src = parse_items(DECISION, "qd-77")
    assert [c.path for c in doc.clauses] == [
        "preamble.1", "preamble.2", "preamble.3",
        "D1", "D2", "D3", "D3.1", "D3.1.a", "D3.1.b", "D3.2",
        "recipients", "signature",
        "KH.I", "KH.I.1", "KH.II", "KH.II.1", "KH.II.1.a", "KH.II.1.b",
    ]  # fmt: skip
    c = by_path(doc)
    assert (c["D1"].kind, c["D1"].label, c["D1"].marker) == ("dieu", "Điều 1", "Điều 1.")
    assert c["D2"].text == "Tổ chức thực hiện\nGiao Sở Nông nghiệp và Môi trường theo dõi việc thực hiện Kế hoạch."
    assert c["D3.1"].label == "khoản 1 Điều 3" and c["D3.1"].parent == "D3"
    assert c["D3.1.a"].label == "điểm a khoản 1 Điều 3"
    assert c["D3.1.a"].heading_chain == ["Điều 3. Trách nhiệm thi hành", "1. Sở Tài chính bố trí kinh phí:"]
    assert c["KH.II.1.a"].label == "điểm a khoản 1 Mục II Kế hoạch ban hành kèm theo"
    assert c["KH.II.1.a"].parent == "KH.II.1"
    assert c["KH.II.1.a"].span.page == 2
    assert c["preamble.1"].text.startswith("Căn cứ Luật")
    assert [r.number for r in c["preamble.2"].references] == ["12-KH/TU"]
    assert c["recipients"].text == "- Như Điều 3;\n- Lưu: VT."
    h = doc.header
    assert (h.doc_type, h.number, h.date, h.place) == ("Quyết định", "77/QĐ-UBND", "2026-03-05", "Đồng Vân")
    assert h.issuer == "Ủy ban nhân dân tỉnh Đồng Vân"
    assert h.title == "Về việc ban hành Kế hoạch thí điểm vườn ươm cây dược liệu năm 2026"
    assert (h.signer.capacity, h.signer.position, h.signer.name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Khải")
    assert h.recipients == ["Như Điều 3", "Lưu: VT"]


# SYNTHETIC: an invented plan with bullets, long point sequences and traps.
BULLETS = [
    "KẾ HOẠCH",
    "Phát triển đàn ong mật tỉnh Đồng Vân năm 2026",
    "I. NHIỆM VỤ",
    "1. Hỗ trợ hộ nuôi ong",
    "a) Tập huấn kỹ thuật:",
    "- Tổ chức 5 lớp tập huấn;",
    "- Biên soạn tài liệu gồm:",
    "+ Sổ tay nuôi ong;",
    "+ Tờ rơi phòng bệnh.",
    "- Tổng kết lớp học.",
    "b) Hỗ trợ giống ong.",
    "c) Hỗ trợ thùng nuôi.",
    "d) Hỗ trợ tiêu thụ.",
    "đ) Xây dựng nhãn hiệu.",
    "e) Kết nối thị trường.",
    "g) Kiểm tra chất lượng.",
    "h) Tổng hợp số liệu.",
    "i) Báo cáo quý.",
    "k) Báo cáo năm.",
    "2. Thông tin tuyên truyền",
    "c) Dòng này mở bằng c) nhưng sai thứ tự nên không phải điểm.",
    "a) Đăng tin trên cổng thông tin tỉnh.",
    "Một đoạn văn có a) ở giữa câu thì không phải điểm.",
]


def test_bullets_points_and_traps() -> None:
    doc, src = parse_items(BULLETS)
    paths = [c.path for c in doc.clauses]
    assert paths == [
        "I", "I.1", "I.1.a", "I.1.a.-1", "I.1.a.-2", "I.1.a.-2.+1", "I.1.a.-2.+2", "I.1.a.-3",
        "I.1.b", "I.1.c", "I.1.d", "I.1.đ", "I.1.e", "I.1.g", "I.1.h", "I.1.i", "I.1.k",
        "I.2", "I.2.p1", "I.2.a", "I.2.p2",
    ]  # fmt: skip
    c = by_path(doc)
    assert c["I.1.a.-2"].label == "gạch đầu dòng thứ 2 điểm a khoản 1 Mục I"
    assert c["I.1.a.-2"].kind == "gach_dau_dong" and c["I.1.a.-2"].marker == "-"
    assert c["I.1.a.-2"].text == "Biên soạn tài liệu gồm:"
    assert c["I.1.a.-2.+1"].label == "dấu cộng thứ 1 gạch đầu dòng thứ 2 điểm a khoản 1 Mục I"
    assert c["I.1.a.-2.+1"].kind == "dau_cong" and c["I.1.a.-2.+1"].parent == "I.1.a.-2"
    assert c["I.1.k"].label == "điểm k khoản 1 Mục I"
    assert c["I.2.p1"].label == "đoạn không đánh số thứ nhất khoản 2 Mục I"
    assert c["I.2.p1"].text.startswith("c) Dòng này")  # marker kept: it is not a point
    assert c["I.2.p2"].label == "đoạn không đánh số thứ hai khoản 2 Mục I"
    assert c["I.1.a.-2.+1"].heading_chain == [
        "I. NHIỆM VỤ",
        "1. Hỗ trợ hộ nuôi ong",
        "a) Tập huấn kỹ thuật:",
        "- Biên soạn tài liệu gồm:",
    ]
    assert_spans_cite_source(doc, src)


# SYNTHETIC: an invented directive without Roman parts; header lines glued by the loader.
DIRECTIVE = [
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG VÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 03/CT-UBND Đồng Vân, ngày 12/9/2025",
    "CHỈ THỊ",
    "Về tăng cường phòng cháy rừng mùa khô năm 2025",
    "Mùa khô năm nay được dự báo kéo dài hơn mọi năm.",
    "Để chủ động phòng cháy, Chủ tịch Ủy ban nhân dân tỉnh chỉ thị:",
    "1. Sở Nông nghiệp và Môi trường có trách nhiệm:",
    "a) Kiểm tra các khu rừng trọng điểm.",
    "b) Báo cáo trước ngày 15/10/2025.",
    "2. Ủy ban nhân dân các xã tổ chức tuần tra.",
    "3. Các cơ quan báo chí tăng cường tuyên truyền.",
    "Chỉ thị này có hiệu lực kể từ ngày ký.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
    "Nguyễn Thị Lan",
]


def test_document_without_roman_parts() -> None:
    doc, src = parse_items(DIRECTIVE, "ct-03")
    assert [c.path for c in doc.clauses] == [
        "preamble.1", "preamble.2", "1", "1.a", "1.b", "2", "3", "p1", "recipients", "signature",
    ]  # fmt: skip
    c = by_path(doc)
    assert c["1"].label == "khoản 1" and c["1"].parent is None
    assert c["1.a"].label == "điểm a khoản 1" and c["1.a"].parent == "1"
    assert c["p1"].label == "đoạn không đánh số thứ nhất" and c["p1"].parent is None
    h = doc.header
    assert (h.doc_type, h.number, h.date, h.place) == ("Chỉ thị", "03/CT-UBND", "2025-09-12", "Đồng Vân")
    assert h.issuer == "Ủy ban nhân dân tỉnh Đồng Vân"
    assert (h.signer.authority, h.signer.position, h.signer.name) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Thị Lan")
    assert c["signature"].text == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Thị Lan"
    assert_spans_cite_source(doc, src)


def test_glued_type_title_and_preamble() -> None:
    """SYNTHETIC: a loader glued the type line, the title and the first body paragraph."""
    items = [
        "KẾ HOẠCH Thí điểm chợ phiên nông sản tỉnh Đồng Vân năm 2026 Thực hiện Kết luận số 5-KL/TU "
        "ngày 2 tháng 2 năm 2026 của Tỉnh ủy Đồng Vân, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH",
        "1. Tiêu thụ nông sản cho nông dân.",
    ]
    doc, src = parse_items(items)
    assert doc.header.doc_type == "Kế hoạch"
    assert doc.header.title == "Thí điểm chợ phiên nông sản tỉnh Đồng Vân năm 2026"
    pre = by_path(doc)["preamble.1"]
    assert pre.text.startswith("Thực hiện Kết luận số 5-KL/TU")
    assert [(r.doc_type, r.number) for r in pre.references] == [("Kết luận", "5-KL/TU")]
    assert_spans_cite_source(doc, src)


def test_signature_glued_on_one_line() -> None:
    """SYNTHETIC: the whole signature block as one block."""
    items = [
        "1. Nội dung thứ nhất.",
        "Nơi nhận: - Như trên; - Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đỗ Minh Quân",
    ]
    doc, src = parse_items(items)
    s = doc.header.signer
    assert (s.authority, s.capacity, s.position, s.name) == (
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đỗ Minh Quân",
    )
    assert doc.header.recipients == ["Như trên", "Lưu: VT"]
    assert by_path(doc)["signature"].text == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐỗ Minh Quân"
    assert_spans_cite_source(doc, src)


def test_two_appendices_and_restarting_numbers() -> None:
    """SYNTHETIC appendices: PL1/PL2 paths; STT restarting per group -> PL2.II.1."""
    items = [
        "1. Nội dung kế hoạch.",
        "PHỤ LỤC I",
        "DANH MỤC VƯỜN ƯƠM",
        "(Kèm theo Kế hoạch số 9/KH-UBND của UBND tỉnh Đồng Vân)",
        Row(["STT", "Nội dung", "Đơn vị chủ trì"], header=True),
        ["1", "Vườn ươm xã Đông", "UBND xã Đông"],
        ["2", "Vườn ươm xã Tây", "UBND xã Tây"],
        "PHỤ LỤC II",
        Row(["TT", "Nhiệm vụ", "Thời gian"]),
        ["I", "NHÓM CHUẨN BỊ", ""],
        ["1", "Khảo sát", "Quý I"],
        ["2", "Lập dự toán", "Quý II"],
        ["II.", "NHÓM TRIỂN KHAI", ""],
        Row(["TT", "Nhiệm vụ", "Thời gian"], header=True),  # header repeated on a new page
        ["1", "Trồng cây", "Quý III"],
    ]
    doc, src = parse_items(items)
    paths = [c.path for c in doc.clauses]
    assert paths == ["1", "PL1.1", "PL1.2", "PL2.I", "PL2.I.1", "PL2.I.2", "PL2.II", "PL2.II.1"]
    c = by_path(doc)
    assert c["PL1.2"].label == "nhiệm vụ số 2 Phụ lục I"
    assert c["PL1.2"].cells == {"STT": "2", "Nội dung": "Vườn ươm xã Tây", "Đơn vị chủ trì": "UBND xã Tây"}
    assert c["PL1.2"].text == "Vườn ươm xã Tây" and c["PL1.2"].parent is None
    assert c["PL2.II"].label == "nhóm II Phụ lục II" and c["PL2.II"].text == "NHÓM TRIỂN KHAI"
    assert c["PL2.II.1"].label == "nhiệm vụ số 1 nhóm II Phụ lục II"
    assert c["PL2.II.1"].parent == "PL2.II" and c["PL2.II.1"].text == "Trồng cây"
    assert_spans_cite_source(doc, src)


def test_appendix_as_paragraphs_only() -> None:
    """SYNTHETIC: a .txt whose table lost its columns: rows from the STT number, no cells."""
    items = [
        "1. Nội dung kế hoạch.",
        "PHỤ LỤC",
        "NHIỆM VỤ CỤ THỂ",
        "STT Nhiệm vụ Cơ quan chủ trì",
        "I. CÔNG TÁC CHUẨN BỊ",
        "1 Khảo sát địa điểm Sở Xây dựng",
        "2026",  # a year that wrapped onto its own line: not row 2026
        "2 Lập dự toán Sở Tài chính",
    ]
    doc, src = parse_items(items)
    assert [c.path for c in doc.clauses] == ["1", "PL.I", "PL.1", "PL.2"]
    c = by_path(doc)
    assert c["PL.1"].text == "Khảo sát địa điểm Sở Xây dựng 2026"
    assert c["PL.1"].cells is None and c["PL.1"].parent == "PL.I" and c["PL.1"].marker == "1"
    assert_spans_cite_source(doc, src)


def test_zero_clauses_raise() -> None:
    with pytest.raises(IngestError) as err:
        parse(SourceText(text="", kind="txt", page_starts=[0], blocks=[]))
    assert err.value.code == "no_clauses"
    assert "điều khoản" in err.value.vi and "clauses" in err.value.en
    with pytest.raises(IngestError):
        header_only = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH", "Tên kế hoạch"]
        parse(source_from_paragraphs(header_only))


def test_cong_van_header_and_body_end() -> None:
    """SYNTHETIC công văn: V/v title (its number and date are not the document's), the "Kính gửi"
    line read as addressees (a header fact, not a clause), and a sentence starting "Nơi nhận hồ sơ"
    that must not end the body."""
    items = [
        Para("ỦY BAN NHÂN DÂN", layout=True),
        Para("TỈNH ĐỒNG VÂN", layout=True),
        Para("Số: 456/UBND-KT", layout=True),
        Para("V/v triển khai Kế hoạch số 5/KH-UBND ngày 2/2/2026", layout=True),
        Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", layout=True),
        Para("Độc lập - Tự do - Hạnh phúc", layout=True),
        Para("Đồng Vân, ngày 10 tháng 3 năm 2026", layout=True),
        "Kính gửi: Các sở, ban, ngành tỉnh.",
        "Ủy ban nhân dân tỉnh đề nghị các cơ quan thực hiện tốt Kế hoạch số 5/KH-UBND.",
        "Nơi nhận hồ sơ: Văn phòng Ủy ban nhân dân tỉnh, trước ngày 20/3/2026.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Vũ Hoàng Nam",
    ]
    doc, src = parse_items(items)
    h = doc.header
    assert (h.doc_type, h.number, h.date, h.place) == ("Công văn", "456/UBND-KT", "2026-03-10", "Đồng Vân")
    assert h.title == "triển khai Kế hoạch số 5/KH-UBND ngày 2/2/2026"
    assert h.issuer == "Ủy ban nhân dân tỉnh Đồng Vân"
    assert h.addressees == ["Các sở, ban, ngành tỉnh"]
    assert [c.path for c in doc.clauses] == ["preamble.1", "preamble.2", "recipients", "signature"]
    assert by_path(doc)["preamble.2"].text.startswith("Nơi nhận hồ sơ")
    assert h.signer.name == "Vũ Hoàng Nam"
    assert_spans_cite_source(doc, src)


def test_heading_chain_is_cut_and_ordinals() -> None:
    """SYNTHETIC: a very long Mục heading; eleven unnumbered paragraphs."""
    long_heading = "I. " + "NHIỆM VỤ TRỌNG TÂM VỀ PHÁT TRIỂN VƯỜN ƯƠM " * 5
    items = [long_heading.strip(), "1. Nội dung thứ nhất."] + [f"Đoạn văn số {k}." for k in range(1, 12)]
    doc, _ = parse_items(items)
    c = by_path(doc)
    chain = c["I.1"].heading_chain
    assert len(chain) == 1 and len(chain[0]) <= 120 and chain[0].endswith("…")
    assert c["I.p1"].label == "đoạn không đánh số thứ nhất Mục I"
    assert c["I.p10"].label == "đoạn không đánh số thứ mười Mục I"
    assert c["I.p11"].label == "đoạn không đánh số thứ 11 Mục I"


def test_issuer_lines_glued_by_a_loader() -> None:
    """SYNTHETIC: a PDF reads "UBND TỈNH X" and "SỞ TÀI CHÍNH" as one line; the issuer is the Sở.
    A place name that folds like an agency word ("PHONG" / "PHÒNG") is not cut."""
    from tracuu.ingest.header import HeaderInfo

    assert HeaderInfo(issuer_lines=["UBND TỈNH ĐỒNG VÂN SỞ TÀI CHÍNH"]).issuer == "Sở Tài chính tỉnh Đồng Vân"
    assert HeaderInfo(issuer_lines=["UBND TỈNH ĐỒNG VÂN", "SỞ TÀI CHÍNH"]).issuer == "Sở Tài chính tỉnh Đồng Vân"
    assert HeaderInfo(issuer_lines=["ỦY BAN NHÂN DÂN TỈNH ĐÔNG PHONG"]).issuer == "Ủy ban nhân dân tỉnh Đông Phong"
    assert HeaderInfo(issuer_lines=["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"]).issuer == "Sở Nông nghiệp và Môi trường"


def test_caps_lines_that_name_no_authority_are_no_issuer() -> None:
    """SYNTHETIC: a text kept without its header opens with caps lines ("PHỤ LỤC II", a table's
    header row); they name no authority, so the document has no issuer rather than a wrong one."""
    from tracuu.ingest.header import HeaderInfo

    assert HeaderInfo(issuer_lines=["PHỤ LỤC II"]).issuer is None
    assert HeaderInfo(issuer_lines=["TT NHIỆM VỤ CỤ THỂ CƠ QUAN CHỦ TRÌ CƠ QUAN PHỐI HỢP"]).issuer is None
    assert HeaderInfo(issuer_lines=["BAN CHỈ ĐẠO"]).issuer == "Ban Chỉ đạo"
    assert HeaderInfo(issuer_lines=["THỦ TƯỚNG CHÍNH PHỦ"]).issuer == "Thủ tướng Chính phủ"
    assert HeaderInfo(issuer_lines=["TỔNG CÔNG TY ĐIỆN LỰC ĐỒNG VÂN"]).issuer is not None


def test_cong_van_without_type_line() -> None:
    """SYNTHETIC công văn: no type line; a "(...)" note and a "Kính gửi:" list of "- " items under
    the header are header facts, not preamble clauses; the type comes from "V/v"."""
    items = [
        Para("UBND TỈNH ĐỒNG VÂN", layout=True),
        Para("SỞ TÀI CHÍNH", layout=True),
        Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", layout=True),
        Para("Độc lập - Tự do - Hạnh phúc", layout=True),
        Para("Số: 88/STC-NS", layout=True),
        Para("V/v lập dự toán năm 2026", layout=True),
        Para("Đồng Vân, ngày 02 tháng 3 năm 2026", layout=True),
        "(Văn bản thử nghiệm)",
        Para("Kính gửi:", layout=True),
        Para("- Các sở, ban, ngành tỉnh;", layout=True),
        Para("- UBND các xã, phường.", layout=True),
        "Sở Tài chính hướng dẫn như sau:",
        "1. Các đơn vị gửi dự toán trước ngày 30/3/2026.",
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Sở Tài chính./.",
    ]
    doc, src = parse_items(items)
    h = doc.header
    assert (h.doc_type, h.number, h.issuer, h.title) == (
        "Công văn", "88/STC-NS", "Sở Tài chính tỉnh Đồng Vân", "lập dự toán năm 2026"
    )  # fmt: skip
    assert h.addressees == ["Các sở, ban, ngành tỉnh", "UBND các xã, phường"]
    assert [c.path for c in doc.clauses] == ["preamble.1", "1", "p1"]
    assert_spans_cite_source(doc, src)
    # the same list glued to "Kính gửi:" on one line, as a PDF reads it, without layout
    glued = items[:8] + ["Kính gửi: - Các sở, ban, ngành tỉnh;", "- UBND các xã, phường."] + items[11:]
    doc, src = parse_items(glued)
    assert doc.header.addressees == ["Các sở, ban, ngành tỉnh", "UBND các xã, phường"]
    assert [c.path for c in doc.clauses] == ["preamble.1", "1", "p1"]


def test_attached_plan_with_its_own_header_block() -> None:
    """SYNTHETIC: after the decision's signature, the attached plan repeats the issuer and the
    quốc hiệu (a .docx layout table) before "KẾ HOẠCH": they neither join the signature nor
    continue the last Điều."""
    items = [
        Para("ỦY BAN NHÂN DÂN", layout=True),
        Para("TỈNH ĐỒNG VÂN", layout=True),
        Para("Số: 9/QĐ-UBND", layout=True),
        Para("Đồng Vân, ngày 05 tháng 3 năm 2026", layout=True),
        "QUYẾT ĐỊNH",
        "Ban hành Kế hoạch thử nghiệm",
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thử nghiệm.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Các cơ quan có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        Para("Nơi nhận:", layout=True),
        Para("- Như Điều 2;", layout=True),
        Para("- Lưu: VT.", layout=True),
        Para("KT. CHỦ TỊCH", layout=True),
        Para("PHÓ CHỦ TỊCH", layout=True),
        Para("Trần Văn Khải", layout=True),
        "\f",
        Para("ỦY BAN NHÂN DÂN", layout=True),
        Para("TỈNH ĐỒNG VÂN", layout=True),
        Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", layout=True),
        Para("Độc lập - Tự do - Hạnh phúc", layout=True),
        "KẾ HOẠCH",
        "Thử nghiệm",
        "(Ban hành kèm theo Quyết định số 9/QĐ-UBND ngày 05 tháng 3 năm 2026)",
        "I. NHIỆM VỤ",
        "1. Thử nghiệm phần mềm.",
    ]
    for layout in (True, False):  # a .docx layout table, or a PDF's plain lines
        its = [Para(i.text) if isinstance(i, Para) and not layout else i for i in items]
        doc, src = parse_items(its)
        c = by_path(doc)
        assert [x.path for x in doc.clauses] == [
            "preamble.1", "D1", "D2", "recipients", "signature", "KH.I", "KH.I.1"
        ]  # fmt: skip
        assert c["D2"].text.endswith("thi hành Quyết định này./.")
        assert c["signature"].text == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Khải"
        assert (doc.header.number, doc.header.date) == ("9/QĐ-UBND", "2026-03-05")
        assert_spans_cite_source(doc, src)


def test_two_row_appendix_header_names_columns() -> None:
    """SYNTHETIC: "Thời gian" merged over "Bắt đầu | Hoàn thành", "STT" merged down both rows."""
    from tracuu.ingest.appendix import column_names
    from tracuu.ingest.model import Cell

    def row(*cells):
        return [Cell(t, tuple(range(len(t))), span) for t, span in cells]

    upper = row(("STT", 1), ("Nhiệm vụ", 1), ("Thời gian", 2), ("Sản phẩm", 1))
    lower = row(("", 1), ("", 1), ("Bắt đầu", 1), ("Hoàn thành", 1), ("", 1))
    assert column_names([upper, lower]) == [
        "STT", "Nhiệm vụ", "Thời gian / Bắt đầu", "Thời gian / Hoàn thành", "Sản phẩm"
    ]  # fmt: skip
    assert column_names([upper]) == ["STT", "Nhiệm vụ", "Thời gian", "Thời gian (2)", "Sản phẩm"]


def test_bracketed_note_under_a_recipient_stays_in_the_recipients() -> None:
    """SYNTHETIC: a note "(Giao ... gửi)" under one recipient item; the items after it are still
    recipients, not body paragraphs (nor tasks)."""
    items = [
        "1. Sở Xây dựng kiểm tra các công trình.",
        "Nơi nhận:",
        "- Như trên;",
        "- Các hộ kinh doanh trên địa bàn;",
        "(Giao UBND các xã thông báo và gửi)",
        "- VP UBND: CVP, các PCVP;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đỗ Minh Quân",
    ]
    doc, src = parse_items(items)
    assert [c.path for c in doc.clauses] == ["1", "recipients", "signature"]
    assert doc.header.recipients == [
        "Như trên",
        "Các hộ kinh doanh trên địa bàn; (Giao UBND các xã thông báo và gửi)",
        "VP UBND: CVP, các PCVP",
        "Lưu: VT",
    ]
    assert doc.header.signer.name == "Đỗ Minh Quân"
    assert_spans_cite_source(doc, src)
