"""Property tests (hypothesis): arbitrary Unicode into folding, reflow and the parser.

For any input: no exception other than ``IngestError``; every block and clause offset lies
inside the source; every block and every clause passes ``verify_span`` (its text is exactly
what its source span says, whitespace aside); pages are in range. Inputs mix fully arbitrary
text with lines shaped like a Vietnamese plan (markers, headings, page numbers, form feeds,
table rows, odd line ends), which is what reaches the deep branches of the parser. All of it
is generated, i.e. SYNTHETIC test text.

Kept fast: modest ``max_examples``, ``deadline=None`` (the 2-core CI box is noisy).
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from tracuu.ingest.errors import IngestError  # noqa: E402
from tracuu.ingest.model import SourceText  # noqa: E402
from tracuu.ingest.parser import parse_document  # noqa: E402
from tracuu.ingest.reflow import clause_matches_source, paginate, reflow, verify_span  # noqa: E402
from tracuu.ingest.vntext import collapse_spaces, fold, nfc  # noqa: E402

from parser_blocks import source_from_paragraphs  # noqa: E402

# hypothesis keeps a cache under ./.hypothesis by default: keep the checkout clean.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tracuu-hypothesis")
FAST = settings(max_examples=int(os.environ.get("TRACUU_PROPERTY_EXAMPLES", "60")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VI_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VI_LETTERS = VI_LOWER + VI_LOWER.upper()

# Synthetic line shapes a plan is made of (made up here; not text of any real document).
SHAPES = [
    "I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ THỬ NGHIỆM", "III. TỔ CHỨC THỰC HIỆN", "IV.", "XL. SAI",
    "1. Mục đích", "2.", "12) Nội dung", "1.2. Chi tiết", "a) Rà soát hồ sơ thử nghiệm;", "đ) Điểm đ;", "k)",
    "- Gạch đầu dòng", "+ Dấu cộng", "– Gạch dài", "Điều 1. Phạm vi", "Điều 2.", "Chương II",
    "Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "PHỤ LỤC", "PHỤ LỤC II",
    "STT Nhiệm vụ Cơ quan chủ trì Thời gian", "1 Xây dựng kế hoạch Sở Tài chính Quý IV năm 2031", "2 ", "2031",
    "Số: 12/KH-UBND", "Số:", "V/v thử nghiệm", "Kính gửi: Sở Tài chính", "Căn cứ Luật thử nghiệm;",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hòa Phong, ngày 1 tháng 2 năm 2031",
    "ỦY BAN NHÂN DÂN", "TỈNH HÒA PHONG", "KẾ HOẠCH", "QUYẾT ĐỊNH:", "(Văn bản mẫu tự soạn để kiểm thử phần mềm)",
    "(Kèm theo Kế hoạch số 12/KH-UBND)", "Trang 2", "- 3 -", "3", "", " ", "  thụt lề", "\t", "./.",
    "tiếp theo dòng trước, chữ thường", "Chỉ thị số 39-CT/TW ngày 30/10/2024", "Quyết định số 1/QĐ-TEST",
    "CÔNG BÁO/Số 901 + 902/Ngày 03-02-2031", "Ký bởi: CÔNG BÁO THỬ", "Cơ quan: VĂN PHÒNG THỬ", "Ngày ký: 2031-02-03",
    "Chương I", "CHƯƠNG II. TỔ CHỨC", "Mục 1", "PHẦN THỨ NHẤT", "1.1. Tiểu mục", "1.2.1. Cấp sâu", "Luật số: 9/2031/QH99",
    "QUYẾT ĐỊNH PHÊ DUYỆT ĐỀ ÁN THỬ THỦ TƯỚNG CHÍNH PHỦ", "Điều 1. Phê duyệt với các nội dung sau:",
]

line_text = st.one_of(
    st.sampled_from(SHAPES),
    st.text(max_size=40),
    st.text(alphabet=VI_LETTERS + " .,;:()-/0123456789", max_size=60),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(SHAPES), st.text(alphabet=VI_LETTERS + " ,.", max_size=30)),
)
line_end = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\n\n", "\f", "\n\f\n", "\u2028", "\x85"])


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(line_text, max_size=40))
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(line_end))
    return "".join(out)


any_text = st.one_of(st.text(max_size=300), documents())


# --------------------------------------------------------------------------- fold


@FAST
@given(st.text(max_size=200))
def test_fold_never_crashes_and_is_idempotent(text: str) -> None:
    f = fold(text)
    assert isinstance(f, str)
    assert fold(f) == f


@FAST
@given(st.text(alphabet=VI_LETTERS + " 0123456789.,;:-/()", max_size=200))
def test_fold_of_vietnamese_is_ascii_and_keeps_length(text: str) -> None:
    f = fold(text)
    assert len(f) == len(nfc(text))  # offsets computed on folded text stay valid
    assert f.isascii() and f == f.lower()
    assert fold(text.upper()) == f


# --------------------------------------------------------------------------- reflow


def _check_blocks(src: SourceText) -> None:
    n = len(src.text)
    assert src.page_starts and src.page_starts[0] == 0
    assert src.page_starts == sorted(src.page_starts) and all(0 <= s <= n for s in src.page_starts)
    assert all(0 <= a <= b <= n for a, b in src.dropped)
    pages = len(src.page_starts)
    for b in src.blocks:
        assert len(b.offsets) == len(b.text) and b.text == b.text.strip()
        assert all(0 <= o < n for o in b.offsets)
        assert list(b.offsets) == sorted(set(b.offsets))  # strictly increasing
        for ch, o in zip(b.text, b.offsets):
            if ch == " ":
                assert src.text[o].isspace() or o == n, (ch, o)
            else:
                assert src.text[o] == ch
        assert 1 <= b.page <= b.page_end <= pages
        assert verify_span(src, b.start, b.end, b.text), b.text


@FAST
@given(any_text)
def test_paginate_and_reflow_keep_every_offset(text: str) -> None:
    text = nfc(text)
    paged = paginate(text)
    blocks = reflow(paged.lines, double_spaced=paged.double_spaced)
    src = SourceText(text=text, kind="txt", page_starts=paged.page_starts, blocks=blocks, dropped=paged.dropped)
    _check_blocks(src)
    # nothing but whitespace and dropped page numbers is lost
    kept = collapse_spaces(" ".join(b.text for b in blocks))
    dropped = "".join(text[a:b] for a, b in paged.dropped)
    assert len(kept.replace(" ", "")) + len(collapse_spaces(dropped).replace(" ", "")) == len(collapse_spaces(text).replace(" ", ""))


# --------------------------------------------------------------------------- parser


def _check_document(src: SourceText, doc) -> None:
    n = len(src.text)
    ids = [c.clause_id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    for c in doc.clauses:
        assert 0 <= c.span.start <= c.span.end <= n, c.clause_id
        assert 1 <= c.span.page <= c.span.page_end <= max(doc.pages, 1), c.clause_id
        assert c.clause_id == f"{doc.doc_id}:{c.path}"
        # every piece of the clause is exactly what its source span says (a clause assembled from
        # blocks that are not adjacent has several spans), and the envelope holds them all
        assert clause_matches_source(src, c), (c.clause_id, c.text, [(s.start, s.end) for s in c.spans])
        assert c.exact
        assert all(c.span.start <= s.start < s.end <= c.span.end for s in c.spans), c.clause_id


def _parse(src: SourceText):
    try:
        return parse_document(src, doc_id="prop", file_name="prop.txt", content_hash="0" * 64)
    except IngestError as err:
        assert err.vi and err.en
        return None


@FAST
@given(any_text)
def test_txt_loader_and_parser_on_arbitrary_text(tmp_path_factory, text: str) -> None:
    from tracuu.ingest.loaders.txt import load_txt

    path = Path(tmp_path_factory.mktemp("prop")) / "van-ban-thu.txt"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        src = load_txt(path)
    except IngestError:
        return
    assert src.text == nfc(src.text)
    _check_blocks(src)
    doc = _parse(src)
    if doc is not None:
        _check_document(src, doc)


paragraph = st.one_of(line_text, st.lists(st.text(alphabet=VI_LETTERS + " ;,.\n", max_size=25), min_size=1, max_size=5))


@FAST
@given(st.lists(st.one_of(paragraph, st.just("\f")), max_size=30), st.sampled_from(["docx", "pdf", "txt"]))
def test_parser_on_arbitrary_blocks(items, kind) -> None:
    items = [i for i in items if not isinstance(i, str) or i == "\f" or "\f" not in i]
    src = source_from_paragraphs(items, kind=kind)
    doc = _parse(src)
    if doc is not None:
        _check_document(src, doc)


def test_nfd_input_is_normalised_once() -> None:
    """A decomposed (NFD) file loads as NFC and offsets index the NFC text (a fixed example)."""
    text = unicodedata.normalize("NFD", "I. MỤC TIÊU THỬ NGHIỆM\n1. Nội dung thử nghiệm hằng năm.\n")
    src = SourceText(text=nfc(text), kind="txt", page_starts=[0], blocks=[])
    paged = paginate(src.text)
    src.blocks = reflow(paged.lines)
    _check_blocks(src)


@pytest.mark.parametrize("items,kind", [
    (["Điều 1. Phạm vi", "Nơi nhận:", "abc"], "txt"),  # D1 = "Phạm vi\nabc"
    (["KT.A", "Nơi nhậnAAAA"], "txt"),  # signature = "KT.A\nAAAA"
    (["Điều 1;", "KT. A", "0"], "txt"),  # D1 = ";\n0"
    (["KT.A", "-", "I. MỤC ĐÍCH, YÊU CẦU"], "docx"),  # signature skips the lone "-"
    (["Nơi nhận:", "- Gạch đầu dòng", "I. MỤC ĐÍCH, YÊU CẦU", "IV."], "pdf"),  # recipients skip a heading
    (["I. MỤC ĐÍCH, YÊU CẦU", "PHỤ LỤC", "I. MỤC ĐÍCH, YÊU CẦU", "1 0", "STT Nhiệm vụ Cơ quan chủ trì Thời gian",
      "I. MỤC ĐÍCH, YÊU CẦU"], "txt"),  # appendix row PL.1 skips the repeated table header
], ids=["dieu-paragraphs", "signature-noi-nhan", "dieu-signature", "signature-dash", "recipients-heading", "appendix-header"])
def test_known_span_mismatches(items, kind) -> None:
    """Minimal inputs found by hypothesis where a clause is assembled from blocks that are not
    adjacent (an article's further paragraphs, the signature, the recipients, an appendix row):
    one span over the blocks it skipped would cite text that is not the clause's, so the clause
    gets one span per run and each is verified."""
    src = source_from_paragraphs(items, kind=kind)
    doc = _parse(src)
    assert doc is not None
    assert any(len(c.spans) > 1 for c in doc.clauses)
    for c in doc.clauses:
        assert clause_matches_source(src, c), c.clause_id
        assert c.exact
