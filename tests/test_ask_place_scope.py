"""A place named in a question narrows the search; it does not rule out the national documents (round 24, h24-dlq).

Synthetic: the texts below are made up by the tracuu team (the provinces, the plan, the notice, the ministry and the
road do not exist as written here). "Bộ Xây dựng phải khởi công đường ven biển Đông Lam vào ngày nào?" names the
province where the work is done; the task is assigned by a Government notice about no place. Scoped to the
province's own plan (the only document about Đông Lam), the question was refused; the national notice answers it.
Another province's plan still does not answer a question about Đông Lam.
"""

from __future__ import annotations

import pytest


def _plan(place: str, number: str, dated: str, title: str, tasks: str, signer: str) -> str:
    """A made-up provincial plan: the header both plans share, their own lines between."""
    return f"""ỦY BAN NHÂN DÂN TỈNH {place.upper()}
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: {number}/KH-UBND
{place}, ngày {dated}
KẾ HOẠCH
{title}
I. NHIỆM VỤ
{tasks}
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
{signer}
"""


PROVINCE = _plan("Đông Lam", "81", "02 tháng 3 năm 2027", "TRỒNG RỪNG PHÒNG HỘ VEN BIỂN TỈNH ĐÔNG LAM",
                 "1. Sở Nông nghiệp và Môi trường chủ trì trồng rừng phòng hộ ven biển, hoàn thành trước ngày 30 tháng 11"
                 " năm 2027.\n2. Ủy ban nhân dân các xã ven biển bảo vệ rừng mới trồng hằng năm.", "Đỗ Văn Mẫu")

OTHER_PROVINCE = _plan("Tây Lam", "44", "09 tháng 4 năm 2027", "NẠO VÉT KÊNH THỦY LỢI TỈNH TÂY LAM",
                       "1. Sở Nông nghiệp và Môi trường chủ trì nạo vét kênh thủy lợi nội đồng, hoàn thành trước ngày 15"
                       " tháng 8 năm 2027.", "Lê Văn Mẫu")

NOTICE = """VĂN PHÒNG CHÍNH PHỦ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 901/TB-VPCP
Hà Nội, ngày 10 tháng 2 năm 2027
THÔNG BÁO
KẾT LUẬN VỀ CÁC DỰ ÁN ĐƯỜNG VEN BIỂN TRỌNG ĐIỂM
Các bộ, ngành đẩy nhanh các dự án đường ven biển trọng điểm theo kế hoạch đã giao.
1. Bộ Xây dựng khẩn trương hoàn thiện hồ sơ và khởi công dự án đường ven biển Đông Lam - Mũi Sậy vào ngày 15 tháng 3 năm 2027.
2. Bộ Tài chính bố trí vốn cho các dự án đường ven biển trong năm 2027.
Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.
"""


@pytest.fixture(scope="module")
def kb_places(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_places", [("71-kh81-dong-lam-rung-ven-bien.txt", PROVINCE),
                                                         ("72-kh44-tay-lam-kenh-thuy-loi.txt", OTHER_PROVINCE),
                                                         ("73-tb901-vpcp-duong-ven-bien.txt", NOTICE)])


def _fake_retrieval(monkeypatch, kb, answering: str):
    """Retrieval stubbed (the hash embedder's scores are no test of scoping): an answer citing
    ``answering`` when it is among the documents searched, else "not found"; the scopes searched are kept."""
    from tracuu.ingest.shapes import Answer

    searched: list = []

    def fake(self, q, u, intent, k, docs, doc_types, agency, named=True):
        searched.append(list(docs) if docs is not None else None)
        found = docs is None or answering in docs
        return Answer(question=q, found=found, answer="…" if found else "Không tìm thấy", owners=[], deadline=None,
                      citations=[], intent=intent.kind)

    monkeypatch.setattr(type(kb), "_retrieve_answer", fake)
    return searched


def _doc(kb, number: str) -> str:
    return next(d for d in kb.store().list_ids() if d.startswith(number))


def test_the_places_and_the_national_notice(kb_places):
    places = kb_places._doc_places()
    assert places[_doc(kb_places, "81-")] == {"dong lam"} and places[_doc(kb_places, "44-")] == {"tay lam"}
    assert not places[_doc(kb_places, "901-")]


def test_a_national_notice_answers_a_question_naming_where_the_work_is(kb_places, monkeypatch):
    notice, province, other = _doc(kb_places, "901-"), _doc(kb_places, "81-"), _doc(kb_places, "44-")
    searched = _fake_retrieval(monkeypatch, kb_places, notice)
    a = kb_places.ask("Bộ Xây dựng phải khởi công dự án đường ven biển Đông Lam - Mũi Sậy vào ngày nào?")
    assert a.found
    assert searched[0] == [province]  # the named province's documents first
    assert notice in searched[1] and province not in searched[1] and other not in searched[1]


def test_the_named_provinces_own_plan_answers_without_widening(kb_places, monkeypatch):
    province = _doc(kb_places, "81-")
    searched = _fake_retrieval(monkeypatch, kb_places, province)
    assert kb_places.ask("Ở Đông Lam, trồng rừng phòng hộ ven biển phải hoàn thành trước ngày nào?").found
    assert searched == [[province]]


def test_another_provinces_plan_does_not_answer_for_the_named_one(kb_places, monkeypatch):
    other = _doc(kb_places, "44-")
    searched = _fake_retrieval(monkeypatch, kb_places, other)
    assert not kb_places.ask("Ở Đông Lam, nạo vét kênh thủy lợi nội đồng phải hoàn thành trước ngày nào?").found
    assert all(other not in s for s in searched)
