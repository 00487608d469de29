"""A docx converted to markdown writes the header block and the signature block as pipe tables:
"| BỘ X ------- | CỘNG HÒA … |", "| --- | --- |", "| Số: 12/QĐ-BX | *Hà Nội, ngày …* |" on top and
"| *Nơi nhận:* … | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Nguyễn Văn A |" at the end (session 30; four of the
seven h20-sctq documents). At main the header was a table: no number, date, issuer or signer.

Every Vietnamese line here is SYNTHETIC, written for these tests (the "Bộ Thử nghiệm" and the people
named do not exist); none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.loaders import load
from tracuu.ingest.loaders.pipetable import layout_cell_lines, markdown_lines
from tracuu.ingest.parser import parse_document
from tracuu.ingest.reflow import SourceLine

TEXT = (
    "| BỘ THỬ NGHIỆM ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  --------------- |\n"
    "| --- | --- |\n"
    "| Số: 12/QĐ-BTN | *Hà Nội, ngày 03 tháng 02 năm 2025* |\n"
    "QUYẾT ĐỊNH\n"
    "BAN HÀNH KẾ HOẠCH THỬ NGHIỆM BẢNG\n"
    "BỘ TRƯỞNG BỘ THỬ NGHIỆM\n"
    "*Căn cứ Nghị định số 1/2020/NĐ-CP ngày 01 tháng 01 năm 2020 của Chính phủ;*\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thử nghiệm bảng.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "| *Nơi nhận:* - Như Điều 2; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Nguyễn Văn Thử |\n"
    "| --- | --- |\n"
)


def _parsed(tmp_path, text: str = TEXT):
    f = tmp_path / "qd12.txt"
    f.write_text(text, encoding="utf-8")
    return parse_document(load(f), doc_id="t", file_name=f.name, content_hash="")


def test_layout_cells_lose_stars_and_dash_rules():
    line = SourceLine(100, "| Số: 12/QĐ-BTN | *Hà Nội, ngày 03 tháng 02 năm 2025* |", 1)
    cells = layout_cell_lines(line)
    assert [c.text for c in cells] == ["Số: 12/QĐ-BTN", "Hà Nội, ngày 03 tháng 02 năm 2025"]
    for c in cells:  # offsets point at the source text
        assert line.text[c.start - 100 : c.start - 100 + len(c.text)] == c.text
    motto = SourceLine(0, "| BỘ THỬ NGHIỆM ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  ----- |", 1)
    assert [c.text for c in layout_cell_lines(motto)] == [
        "BỘ THỬ NGHIỆM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"]


def test_header_table_read_as_header(tmp_path):
    doc = _parsed(tmp_path)
    h = doc.header
    assert (h.number, h.date, h.issuer, h.doc_type) == ("12/QĐ-BTN", "2025-02-03", "Bộ Thử nghiệm", "Quyết định")
    assert h.signer.name == "Nguyễn Văn Thử"
    assert [" ".join(c.text.split()) for c in doc.clauses if c.kind == "recipients"] == ["- Như Điều 2; - Lưu: VT."]
    assert not any(c.kind == "table_row" for c in doc.clauses)


def test_a_task_table_is_no_layout_table():
    rows = [SourceLine(0, "| TT | Nhiệm vụ | Chủ trì |", 1), SourceLine(30, "| --- | --- | --- |", 1),
            SourceLine(60, "| 1 | Làm thử | Cục Thử nghiệm |", 1)]
    assert [r.text for r in markdown_lines(rows)] == ["| TT | Nhiệm vụ | Chủ trì |", "| 1 | Làm thử | Cục Thử nghiệm |"]


def test_number_with_a_space_before_the_slash(tmp_path):
    text = ("BỘ THỬ NGHIỆM\nSố: 3556 /QĐ-BTN\nHà Nội, ngày 03 tháng 02 năm 2025\nQUYẾT ĐỊNH\nVề việc thử\n"
            "Điều 1. Làm thử.\n")
    assert _parsed(tmp_path, text).header.number == "3556/QĐ-BTN"
