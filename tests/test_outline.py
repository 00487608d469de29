"""A document's outline asked for ("gồm những phần lớn nào", "có mấy chương", "những phụ lục nào"):
made-up clauses, no knowledge base (api/outline.py, index/query/ask_intent.py: asks_outline)."""

from __future__ import annotations

from tracuu.api.outline import outline, outline_sentence
from tracuu.index.query.ask_intent import asks_outline
from tracuu.ingest.model import Clause, Span


def _c(path: str, kind: str, text: str, order: int, parent: str | None = None, marker: str = "",
       chain: list[str] | None = None) -> Clause:
    return Clause(clause_id=f"d:{path}", doc_id="d", path=path, kind=kind, label=path, marker=marker, text=text,
                  heading_chain=chain or [], parent=parent, order=order, span=Span(0, 1, 1, 1))


# a decision (articles) issuing a plan (sections "KH.") with one appendix of two groups
DOC = [
    _c("preamble.1", "preamble", "Căn cứ Luật Cấp nước sạch (synthetic);", 0),
    _c("D1", "dieu", "Ban hành kèm theo Quyết định này Kế hoạch cấp nước.", 1, marker="Điều 1."),
    _c("D2", "dieu", "Quyết định này có hiệu lực kể từ ngày ký.", 2, marker="Điều 2."),
    _c("KH.I", "muc", "MỤC ĐÍCH, YÊU CẦU", 3, marker="I."),
    _c("KH.I.1", "khoan", "Bảo đảm nước sạch cho khu dân cư.", 4, parent="KH.I", marker="1."),
    _c("KH.II", "muc", "NHIỆM VỤ", 5, marker="II."),
    _c("KH.III", "muc", "TỔ CHỨC THỰC HIỆN", 6, marker="III."),
    _c("PL.I", "appendix_group", "Công trình đầu mối", 7, chain=["PHỤ LỤC DANH MỤC CÔNG TRÌNH"]),
    _c("PL.II", "appendix_group", "Mạng đường ống", 8, chain=["PHỤ LỤC DANH MỤC CÔNG TRÌNH"]),
    _c("signature", "signature", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A", 9),
]


def test_the_outline_asked_is_told_from_the_question():
    assert asks_outline("Kế hoạch cấp nước gồm những phần lớn nào?") == "parts"
    assert asks_outline("quy che nay co may chuong") == "chapters"
    assert asks_outline("Kế hoạch có những phụ lục nào?") == "appendix"
    assert asks_outline("Phụ lục chia nhiệm vụ thành những nhóm nào?") == "appendix"
    assert asks_outline("Sở Xây dựng có nhiệm vụ gì về cấp nước?") is None
    assert asks_outline("Hộ dùng nước được chia thành những nhóm nào?") is None  # not an appendix


def test_the_part_with_most_headings_of_the_highest_kind_is_outlined():
    parts = outline(DOC, "parts")
    assert [c.path for c in parts] == ["KH.I", "KH.II", "KH.III"]  # the plan's sections, not the articles
    text = outline_sentence("Quyết định số 1/QĐ-UBND", parts, "parts")
    assert text == "Quyết định số 1/QĐ-UBND gồm 3 phần: I. MỤC ĐÍCH, YÊU CẦU; II. NHIỆM VỤ; III. TỔ CHỨC THỰC HIỆN."
    articles_only = [c for c in DOC if not c.path.startswith(("KH", "PL"))]
    assert [c.path for c in outline(articles_only, "parts")] == ["D1", "D2"]
    assert outline(DOC, "chapters") == []  # no chapter: retrieval answers instead


def test_appendices_are_named_by_their_titles_with_their_groups():
    groups = outline(DOC, "appendix")
    assert [c.path for c in groups] == ["PL.I", "PL.II"]
    text = outline_sentence("Kế hoạch X", groups, "appendix")
    assert text == "Kế hoạch X có 1 phụ lục: PHỤ LỤC DANH MỤC CÔNG TRÌNH (Công trình đầu mối, Mạng đường ống)."


def test_whether_a_document_was_sent_to_someone_is_its_recipient_list():
    from tracuu.index.query.intent import detect_intent

    assert detect_intent("Kế hoạch số 5 có được gửi Báo Hòa Lạc không?").kind == "recipients"
    assert detect_intent("ke hoach nay co duoc gui ubnd cac xa khong").kind == "recipients"
    assert detect_intent("Báo cáo có được gửi về Sở Tài chính không?") is None  # a task, not a document
    assert detect_intent("Các sở thực hiện kế hoạch có được gửi kinh phí không?") is None


def test_a_share_asked_in_parts_per_hundred_is_no_outline():
    assert asks_outline("Kinh tế số chiếm bao nhiêu phần trăm GRDP?") is None
    assert asks_outline("co may phan tram doanh nghiep") is None
    assert asks_outline("Kế hoạch có mấy phần?") == "parts"
