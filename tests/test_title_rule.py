"""The rule drawn under a title is not part of the title (synthetic documents, no real text).

A gazette text layer writes the rule on the line right under the last title line, with no blank
line between, so the loader joins them into one paragraph; the trích yếu that lists and answers
show must stop before the rule, and what follows the rule stays in the body.
"""

from __future__ import annotations

from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document

#: Synthetic: a made-up decision of a made-up "Bộ Thủy lợi miền núi".
DECISION = """BỘ THỦY LỢI MIỀN NÚI
_____________

Số: 77/QĐ-BTLMN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
_______________________________________
Hà Nội, ngày 12 tháng 3 năm 2026

QUYẾT ĐỊNH
Phê duyệt Đề án “Nâng cấp hồ chứa nước nhỏ
ở các xã vùng cao giai đoạn 2026 - 2030”
______________

BỘ TRƯỞNG BỘ THỦY LỢI MIỀN NÚI

Căn cứ Quyết định số 12/QĐ-BTLMN ngày 02 tháng 01 năm 2026 về tổ chức của Bộ;

QUYẾT ĐỊNH:

Điều 1. Phê duyệt Đề án nâng cấp hồ chứa nước nhỏ ở các xã vùng cao.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""

#: Synthetic: a made-up resolution whose authority line the loader joined after the rule.
RESOLUTION = """CHÍNH PHỦ ĐẢO NGỌC
_______

Số: 5/NQ-CPĐN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
_______________________________________
Hà Nội, ngày 04 tháng 2 năm 2026

NGHỊ QUYẾT
Về chương trình trồng rừng ven biển năm 2026 _____________ CHÍNH PHỦ

Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;

QUYẾT NGHỊ:

Điều 1. Thông qua chương trình trồng rừng ven biển năm 2026.
"""


def _parsed(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return parse_document(load(path), doc_id="t", file_name=path.name, content_hash="")


def test_the_rule_under_the_title_is_cut_off(tmp_path):
    doc = _parsed(tmp_path, DECISION)
    assert doc.header.title == "Phê duyệt Đề án “Nâng cấp hồ chứa nước nhỏ ở các xã vùng cao giai đoạn 2026 - 2030”"


def test_a_range_with_one_dash_stays_in_the_title(tmp_path):
    doc = _parsed(tmp_path, DECISION)
    assert "2026 - 2030" in doc.header.title


def test_what_follows_the_rule_is_not_title(tmp_path):
    doc = _parsed(tmp_path, RESOLUTION)
    assert doc.header.title == "Về chương trình trồng rừng ven biển năm 2026"
    assert any("Căn cứ Luật Tổ chức Chính phủ" in c.text for c in doc.clauses)
