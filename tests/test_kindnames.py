"""A vague kind of bodies narrowed by its function ("các tổ chức cung cấp dịch vụ chi trả") is one
partner or subject, up to the sentence's verb (ingest/kindnames.py). The sentences and the plan
below are SYNTHETIC (invented wording in the style of a provincial plan), never a real document's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import _Text, extract_tasks


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _names(text: str, g) -> list[str]:
    return [m.text for m in _Text(text, "x", g).mentions]


@pytest.mark.parametrize("text, name", [
    # the function verb and its object, up to the task's own verb
    ("Chủ động phối hợp với các tổ chức cung cấp dịch vụ thanh toán thực hiện mở tài khoản.",
     "các tổ chức cung cấp dịch vụ thanh toán"),
    # an acronym in the object, up to a word of scope
    ("Phối hợp với các cơ quan quản lý NTTS trong việc cảnh báo sớm.", "các cơ quan quản lý NTTS"),
    # the verb alone when a word of scope follows it
    ("Huy động các tổ chức hỗ trợ trong và ngoài tỉnh tham gia.", "các tổ chức hỗ trợ"),
    # up to punctuation
    ("Phối hợp với các đơn vị cung ứng vật tư y tế, bảo đảm đủ thuốc.", "các đơn vị cung ứng vật tư y tế"),
])
def test_function_narrows_the_kind(g, text: str, name: str) -> None:
    assert name in _names(text, g)


@pytest.mark.parametrize("text, name", [
    # a kind already closed by its tail does not grow
    ("Phối hợp với các cơ quan, đơn vị liên quan thực hiện kế hoạch.", "các cơ quan, đơn vị liên quan"),
    # a kind that is not vague takes no verb: "tổ chức tập huấn" is the work
    ("Phối hợp với các sở, ngành tổ chức tập huấn cho cán bộ.", "các sở, ngành"),
])
def test_closed_or_specific_kinds_stay(g, text: str, name: str) -> None:
    assert name in _names(text, g)


def test_no_visible_end_swallows_nothing(g) -> None:
    # six lower-case words after the function and no end in sight: the object is not taken
    names = _names("Phối hợp với các tổ chức cung cấp dịch vụ công trực tuyến mức độ cao nhất hiện nay", g)
    assert not any(n.startswith("các tổ chức cung cấp dịch vụ") for n in names)


def test_verb_tổ_chức_without_opener_is_no_body(g) -> None:
    assert _names("Phối hợp tổ chức đào tạo nghề cho lao động nông thôn.", g) == []


PLAN = """ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN
Số: 9/KH-UBND
KẾ HOẠCH
Thử nghiệm phân công (văn bản mẫu tự soạn để kiểm thử, không phải văn bản thật)
V. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân các xã, phường
a) Phối hợp với các tổ chức cung cấp dịch vụ thanh toán thực hiện mở tài khoản cho người hưởng trợ cấp.
b) Phối hợp chặt chẽ với các cơ quan quản lý NTTS trong quan trắc môi trường vùng nuôi.
2. Các đoàn thể, tổ chức xã hội
Vận động hội viên tham gia bảo vệ môi trường.
"""


def test_partners_and_subject_in_a_plan(tmp_path: Path) -> None:
    p = tmp_path / "kh.txt"
    p.write_text(PLAN, encoding="utf-8")
    doc = parse_document(load(p), doc_id="d", file_name="kh.txt", content_hash="")
    tasks = {t.text[:30]: t for t in extract_tasks(doc.clauses, addressees=doc.header.addressees)}
    a = next(t for k, t in tasks.items() if "cung cấp dịch vụ" in t.text)
    assert [r.name for r in a.coordinators] == ["các tổ chức cung cấp dịch vụ thanh toán"]
    b = next(t for k, t in tasks.items() if "NTTS" in t.text)
    assert [r.name for r in b.coordinators] == ["các cơ quan quản lý NTTS"]
    c = next(t for k, t in tasks.items() if t.text.startswith("Vận động hội viên"))
    assert [r.name for r in c.lead] == ["Các đoàn thể, tổ chức xã hội"]


@pytest.mark.parametrize("text, partners, ids", [
    # the police named as a force is a partner, also when the adverb phrase holds "lực lượng"
    ("Phối hợp chặt chẽ lực lượng Công an và các lực lượng liên quan thực hiện chương trình.",
     ["lực lượng Công an", "các lực lượng liên quan"], ["luc-luong-cong-an", None]),
    # the force of a named level is that level's police
    ("Chỉ đạo các đơn vị phối hợp chặt chẽ lực lượng Công an thành phố triển khai.",
     ["lực lượng Công an thành phố"], ["cong-an-tinh"]),
    ("Phối hợp với lực lượng Công an cấp xã, phường kiểm tra địa bàn.",
     ["lực lượng Công an cấp xã, phường"], ["cong-an-cap-xa"]),
])
def test_police_named_as_a_force(g, text: str, partners: list[str], ids: list[str | None]) -> None:
    from tracuu.ingest.tasks import _Roles

    got = _Text(text, "x", g).partners(_Roles(g))
    assert [m.text for m in got] == partners
    assert [m.agency_id for m in got] == ids
