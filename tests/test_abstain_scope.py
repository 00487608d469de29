"""Refusing what the documents do not say (issue 11, round h16-abstain). Synthetic: the plans below
are made up by the tracuu team (a province "Hòa Vang" that does not exist); no real document's text.

- An agency's tasks asked of a plan the question names by kind and title words: "Kế hoạch nuôi ong mật …
  giao Sở Y tế làm gì?" is refused when that plan gives the Sở no task, though another plan of the same
  province does (the Sở's tasks there were quoted as the answer). Only a document of the kind
  named is named so ("Dự thảo … chương trình phát triển …" names no plan whose title says those words), and
  only among the documents of the place the question names.
- Named by kind and title words with no place (round h18-fask): the agency's tasks of that document answer,
  when it gives the agency any; otherwise (round 25, h27-abstain) refused when the title holds the question's
  topic (``TOPIC_NAMED_PAIRS`` word pairs), else the agency's tasks wherever retrieval finds them, as before.
"""

from __future__ import annotations

import pytest

from tests.synthetic_head import HOA_VANG_HEAD

BEES = HOA_VANG_HEAD + """Số: 41/KH-UBND
Hòa Vang, ngày 02 tháng 3 năm 2026

KẾ HOẠCH

PHÁT TRIỂN NGHỀ NUÔI ONG MẬT TRÊN ĐỊA BÀN TỈNH HÒA VANG

I. TỔ CHỨC THỰC HIỆN

Ủy ban nhân dân tỉnh giao nhiệm vụ cho các sở như sau:

1. Sở Nông nghiệp và Môi trường

- Chủ trì hướng dẫn kỹ thuật nuôi ong mật cho các hợp tác xã.

2. Sở Công Thương

- Chủ trì quảng bá sản phẩm mật ong tại các hội chợ.

Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lý Văn Một
"""

CATTLE = HOA_VANG_HEAD + """Số: 42/KH-UBND
Hòa Vang, ngày 09 tháng 3 năm 2026

KẾ HOẠCH

PHÒNG CHỐNG DỊCH BỆNH TRUYỀN NHIỄM TRÊN ĐỊA BÀN TỈNH HÒA VANG

I. TỔ CHỨC THỰC HIỆN

Ủy ban nhân dân tỉnh giao nhiệm vụ cho các sở như sau:

1. Sở Y tế

- Chủ trì giám sát ca bệnh truyền nhiễm tại các trạm y tế xã.

2. Sở Nông nghiệp và Môi trường

- Phối hợp với Sở Y tế tiêm phòng cho gia súc; giám sát dịch bệnh trong phát triển nghề nuôi ong mật.

Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đinh Thị Hai
"""


@pytest.fixture(scope="module")
def kb_scope(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_abstain_scope", [
        ("41-kh41-hoavang-ong-mat.txt", BEES),
        ("42-kh42-hoavang-dich-benh.txt", CATTLE),
    ])


def test_an_agency_without_a_task_in_the_plan_named_by_title_is_refused(kb_scope):
    answer = kb_scope.ask("Kế hoạch phát triển nghề nuôi ong mật của Hòa Vang giao Sở Y tế làm những việc gì?")
    assert not answer.found, answer.answer
    assert answer.intent == "agency_tasks"


def test_the_plan_named_by_title_still_answers_for_its_own_agencies(kb_scope):
    answer = kb_scope.ask("Kế hoạch phòng chống dịch bệnh truyền nhiễm của Hòa Vang giao Sở Y tế làm những việc gì?")
    assert answer.found, answer.answer
    assert all(c.doc_id == answer.citations[0].doc_id for c in answer.citations)
    assert "ca bệnh truyền nhiễm" in answer.answer


def test_an_agency_asked_without_a_title_keeps_every_document(kb_scope):
    assert kb_scope.ask("Sở Y tế tỉnh Hòa Vang có nhiệm vụ gì?").found
    assert kb_scope.ask("Sở Nông nghiệp và Môi trường có nhiệm vụ gì?").found



def test_only_a_document_of_the_kind_named_is_named_by_title(kb_scope):
    both = [d for d in kb_scope.store().list_ids() if d[:3] in ("41-", "42-")]
    bees = kb_scope._titled_scope("Kế hoạch phát triển nghề nuôi ong mật của Hòa Vang giao Sở Y tế làm gì?", both)
    assert len(bees) == 1 and bees[0].startswith("41-")
    # a programme is no plan: the words of a plan's title after "chương trình" do not name the plan
    assert kb_scope._titled_scope("Dự thảo chương trình phát triển nghề nuôi ong mật của Hòa Vang xong thì Sở Y tế làm gì?",
                                  both) == []
    # no place named: nothing to tell apart, the question is not scoped
    assert kb_scope._titled_scope("Kế hoạch phát triển nghề nuôi ong mật giao Sở Y tế làm gì?", None) == []


def test_a_document_named_by_kind_and_title_without_a_place_scopes_an_agency_question(kb_scope):
    answer = kb_scope.ask("Sở Nông nghiệp và Môi trường có nhiệm vụ gì trong kế hoạch phòng chống dịch bệnh truyền nhiễm?")
    assert answer.found and answer.intent == "agency_tasks", answer.answer
    assert {c.doc_id[:3] for c in answer.citations} == {"42-"}, [c.clause_id for c in answer.citations]
    assert "tiêm phòng cho gia súc" in answer.answer
    # the plan named gives the agency no task: refused, saying where it has tasks (round 25, h27-abstain: its
    # tasks in the bee plan were quoted before; the title holds four topic word pairs, TOPIC_NAMED_PAIRS)
    other = kb_scope.ask("Sở Công Thương có nhiệm vụ gì trong kế hoạch phòng chống dịch bệnh truyền nhiễm?")
    assert not other.found and other.intent == "agency_tasks", other.answer
    assert "Kế hoạch số 41/KH-UBND" in other.answer
    # a title that shares only some of the question's title words does not name the document
    assert kb_scope._titled_scope("Sở Y tế có nhiệm vụ gì trong kế hoạch phát triển nghề nuôi cá cảnh xuất khẩu?",
                                  kb_scope.store().list_ids())
    assert kb_scope._title_named("Sở Y tế có nhiệm vụ gì trong kế hoạch phát triển nghề nuôi cá cảnh xuất khẩu?") == []
