"""Which agency a question names (api/intent_answers.py ``agency_in``) and whom an agency's
tasks answer names (``agency_tasks_answer``). The text is made up by the tracuu team (synthetic,
placeholder province); no real document's wording.

- A common noun that holds an agency head word is not an agency: "cơ sở dữ liệu" holds "sở", and
  "sở dữ liệu" lies inside the name "Trung tâm Cơ sở dữ liệu tỉnh"; the question "Cần làm gì để
  xây dựng cơ sở dữ liệu …" was answered "no task is given to «sở dữ liệu»".
- A name typed without its opening words still names the agency ("Mặt trận Tổ quốc tỉnh" of
  "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh").
- Abbreviations officials type ("HND", "LMHTX", "CA") reach the agency written out.
- The bodies a task names to lead together are all its owners.
"""

from __future__ import annotations

import pytest
from tracuu.api import intent_answers
from tracuu.ingest.vntext import fold

# Made-up body of a provincial plan (no header).
BODY = """IV. TỔ CHỨC THỰC HIỆN
1. Trung tâm Cơ sở dữ liệu tỉnh
- Vận hành hệ thống lưu trữ bản đồ số của tỉnh; bảo đảm an toàn máy chủ hằng quý.
2. Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
- Vận động Nhân dân tham gia góp ý bản đồ số của tỉnh.
3. Liên đoàn Lao động, Hội Nông dân, Liên minh Hợp tác xã
- Xây dựng kế hoạch hành động, chỉ đạo hệ thống tổ chức thành viên tham gia số hóa bản đồ thửa ruộng.
4. Công an tỉnh
- Bảo đảm an ninh mạng cho hệ thống bản đồ số.
"""


@pytest.fixture(scope="module")
def kb_named(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_named", "14-kh77-tinha-ban-do-so.txt", BODY)


def _agency(kb, question: str) -> str | None:
    u = kb.understand(question)
    return intent_answers.agency_in(kb, u.text or question, question, *u.expanded)


def test_a_common_noun_holding_a_head_word_is_no_agency(kb_named):
    assert any("co so du lieu" in n for n in intent_answers.known_agency_names(kb_named))
    assert _agency(kb_named, "Cần làm gì để xây dựng cơ sở dữ liệu bản đồ số?") is None
    assert _agency(kb_named, "Ai xác lập quyền sở hữu dữ liệu bản đồ số?") is None


def test_a_name_typed_without_its_opening_words_names_the_agency(kb_named):
    assert fold(_agency(kb_named, "Mặt trận Tổ quốc tỉnh có nhiệm vụ gì về bản đồ số?") or "").startswith("mat tran to quoc")


@pytest.mark.parametrize("question, name", [
    ("HND tỉnh phải làm gì về bản đồ thửa ruộng?", "hoi nong dan"),
    ("CA tỉnh có nhiệm vụ gì với hệ thống bản đồ số?", "cong an"),
])
def test_an_abbreviated_agency_is_found_written_out(kb_named, question, name):
    assert _agency(kb_named, question)
    answer = kb_named.ask(question)
    assert answer.found and answer.intent == "agency_tasks"
    assert any(name in fold(o.agency) for o in answer.owners if o.role == "lead")


def test_the_bodies_named_to_lead_together_are_all_owners(kb_named):
    answer = kb_named.ask("LĐLĐ, HND và LMHTX tỉnh phải làm gì để số hóa bản đồ thửa ruộng?")
    leads = {fold(o.agency) for o in answer.owners if o.role == "lead"}
    assert {"lien doan lao dong", "hoi nong dan", "lien minh hop tac xa"} <= leads
