"""Structure of real documents: identity, multi-span clauses, coverage, gazette furniture, headings.

Two halves:

* The 40 real documents of ``../shared/realdocs`` (read in place, never copied; the tests skip,
  saying so, where it is absent): none refused, every character accounted for, every clause
  verified, header facts right against ``manifest.json``, every document its own id.
* Small parser tests that read like the document: a few lines in, paths and facts out, one per
  structure rule. Their lines are SYNTHETIC (made up here: "tỉnh Hòa Phong", "Bộ Thử nghiệm"
  and their numbers do not exist), never copied from a real document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tracuu.ingest.manifest import Manifest, number_key
from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.reflow import clause_matches_source

from conftest import REALDOCS

SYNTHETIC = "(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)"


# ---------------------------------------------------------------------------- the real documents


@pytest.fixture(scope="module")
def realdocs() -> list[tuple[Path, dict, object]]:
    docs = REALDOCS / "docs"
    if not docs.is_dir():
        pytest.skip(f"../shared absent (fresh clone): {docs} not found; CI, which has it, runs these tests")
    manifest = {e["file"]: e for e in json.loads((REALDOCS / "manifest.json").read_text(encoding="utf-8"))}
    out = []
    for path in sorted(docs.glob("*.txt")):
        out.append((path, manifest[path.name], ingest_file(path, Manifest(folder=path.parent))))
    assert len(out) == 40
    return out


def test_no_real_document_is_refused(realdocs):
    refused = {p.name: o.errors for p, _, o in realdocs if not o.ok}
    assert refused == {}


def test_every_character_of_a_real_document_is_accounted_for(realdocs):
    for path, _, outcome in realdocs:
        cov = outcome.document.coverage
        assert cov["percent"] >= 99.5, (path.name, cov["uncovered"])


def test_every_clause_of_a_real_document_is_verified_against_its_source(realdocs):
    for path, _, outcome in realdocs:
        doc = outcome.document
        bad = [c.path for c in doc.clauses if not (c.exact and clause_matches_source(outcome.source, c))]
        assert bad == [], path.name
        for c in doc.clauses:
            text = c.text
            assert "CÔNG BÁO/Số" not in text and not re.search(r"(?m)^(Ký bởi|Người ký):", text), (path.name, c.path)


def _date_forms(iso: str) -> list[str]:
    y, m, d = iso.split("-")
    out = []
    for dd in {d, str(int(d))}:
        for mm in {m, str(int(m))}:
            out += [f"ngày {dd} tháng {mm} năm {y}", f"{dd}/{mm}/{y}"]
    return out


def test_header_facts_of_real_documents(realdocs):
    """Number and type for every document; the date wherever the header states one (a law states
    its date at the end, not in its header); the issuer."""
    for path, entry, outcome in realdocs:
        h = outcome.document.header
        assert number_key(h.number or "") == number_key(entry["number"]), path.name
        d, m, y = entry["date"].split("/")
        iso = f"{y}-{int(m):02d}-{int(d):02d}"
        head = " ".join(path.read_text(encoding="utf-8")[:1500].split())
        if any(form in head for form in _date_forms(iso)):
            assert h.date == iso, path.name
        kind = re.split(r"\s*[+(]", entry["kind"])[0].strip()
        assert h.doc_type and kind.startswith(h.doc_type), (path.name, h.doc_type, kind)
        assert h.issuer and h.issuer.split()[-1] == entry["issuer"].split()[-1], (path.name, h.issuer)


def test_every_real_document_gets_its_own_id(realdocs):
    ids = [o.document.doc_id for _, _, o in realdocs]
    assert len(set(ids)) == len(ids)
    assert "141-kh-ubnd-bac-ninh-2025" in ids and "844-qd-ttg-2026" in ids


# ---------------------------------------------------------------------------- synthetic documents


def ingest_text(tmp_path: Path, text: str, name: str = "van-ban.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = ingest_file(path, Manifest(folder=tmp_path))
    assert outcome.ok, outcome.errors
    return outcome


def by_path(doc) -> dict:
    return {c.path: c for c in doc.clauses}


GAZETTE = f"""CÔNG BÁO/Số 901 + 902/Ngày 03-02-2031
7

BỘ THỬ NGHIỆM
Số: 12/QĐ-BTN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 20 tháng 01 năm 2031

QUYẾT ĐỊNH
Về việc thử nghiệm phần mềm tra cứu
{SYNTHETIC}

BỘ TRƯỞNG BỘ THỬ NGHIỆM

Căn cứ Luật Thử nghiệm ngày 01 tháng 01 năm 2030;

QUYẾT ĐỊNH:

Điều 1. Giao Vụ Kiểm thử chủ trì rà soát quy trình thử nghiệm và báo cáo
Ký bởi: CÔNG BÁO THỬ NGHIỆM
Cơ quan: VĂN PHÒNG THỬ NGHIỆM
Ngày ký: 2031-02-03 08:00:00 +07:00

8
CÔNG BÁO/Số 901 + 902/Ngày 03-02-2031

kết quả trước ngày 30 tháng 6 năm 2031.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_gazette_page_header_number_and_stamp_are_page_furniture(tmp_path):
    out = ingest_text(tmp_path, GAZETTE)
    doc = out.document
    h = doc.header
    assert (h.doc_type, h.number, h.date, h.issuer) == ("Quyết định", "12/QĐ-BTN", "2031-01-20", "Bộ Thử nghiệm")
    assert h.title == "Về việc thử nghiệm phần mềm tra cứu"
    d1 = by_path(doc)["D1"]
    # the article runs on over the stamp and the page break, and its text is only its own
    assert d1.text == (
        "Giao Vụ Kiểm thử chủ trì rà soát quy trình thử nghiệm và báo cáo "
        "kết quả trước ngày 30 tháng 6 năm 2031."
    )
    assert d1.exact and clause_matches_source(out.source, d1)
    assert (d1.span.page, d1.span.page_end) == (1, 2)
    kinds = {p["kind"] for p in doc.other_parts}
    assert {"page_header", "page_number", "signature_stamp", "header"} <= kinds
    assert doc.coverage["percent"] == 100.0
    assert not any("CÔNG BÁO" in c.text or "Ký bởi" in c.text for c in doc.clauses)


def test_a_lone_number_or_a_role_line_is_not_furniture(tmp_path):
    text = f"""ỦY BAN NHÂN DÂN
TỈNH HÒA PHONG
Số: 5/KH-UBND
Hòa Phong, ngày 02 tháng 3 năm 2031

KẾ HOẠCH
Thử nghiệm dòng vai trò
{SYNTHETIC}

1. Rà soát danh mục thử nghiệm.
Cơ quan: Sở Thử nghiệm.
54
"""
    doc = ingest_text(tmp_path, text).document
    assert not [p for p in doc.other_parts if p["kind"] in ("page_header", "signature_stamp")]
    assert "Cơ quan: Sở Thử nghiệm." in " ".join(c.text for c in doc.clauses)


LAW = f"""QUỐC HỘI
Luật số: 99/2031/QH99
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

LUẬT
THỬ NGHIỆM PHẦN MỀM
{SYNTHETIC}

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định việc thử nghiệm phần mềm.
Điều 2. Đối tượng áp dụng
1. Cơ quan thử nghiệm.
2. Tổ chức, cá nhân có liên quan.

Chương II
TỔ CHỨC THỬ NGHIỆM

Mục 1
THỬ NGHIỆM TRONG NƯỚC

Điều 3. Thử nghiệm định kỳ
1. Thử nghiệm được tổ chức hằng năm.
2. Kết quả được công bố công khai.

Mục 2
THỬ NGHIỆM Ở NƯỚC NGOÀI

Điều 4. Hợp tác thử nghiệm
Việc hợp tác do Chính phủ quy định.

Luật này được Quốc hội Thử nghiệm khóa IX, kỳ họp thứ 2 thông qua ngày 15 tháng 11 năm 2031.
"""


def test_chuong_and_muc_are_headings_above_dieu(tmp_path):
    doc = ingest_text(tmp_path, LAW).document
    h = doc.header
    assert (h.doc_type, h.number, h.issuer, h.title) == ("Luật", "99/2031/QH99", "Quốc hội", "THỬ NGHIỆM PHẦN MỀM")
    assert h.date == "2031-11-15"  # a law's date is the day it was adopted, said at its end
    c = by_path(doc)
    assert [k for k in c if k.startswith(("C", "D"))] == [
        "C1", "D1", "D2", "D2.1", "D2.2", "C2", "C2.M1", "D3", "D3.1", "D3.2", "C2.M2", "D4",
    ]
    assert (c["C1"].kind, c["C1"].label, c["C1"].text) == ("chuong", "Chương I", "NHỮNG QUY ĐỊNH CHUNG")
    assert (c["C2.M1"].kind, c["C2.M1"].label, c["C2.M1"].parent) == ("muc_chuong", "Mục 1 Chương II", "C2")
    # an article keeps its short citation; its chapter and section are in its heading chain
    assert (c["D3"].label, c["D3"].parent) == ("Điều 3", "C2.M1")
    assert c["D3.1"].label == "khoản 1 Điều 3"
    assert c["D3"].heading_chain == ["Chương II TỔ CHỨC THỬ NGHIỆM", "Mục 1 THỬ NGHIỆM TRONG NƯỚC"]
    # "Chương II" is not a paragraph of Điều 2, nor "Mục 2" of Điều 3
    assert "Chương" not in c["D2.2"].text and "Mục" not in c["D3.2"].text
    assert c["D1"].text.startswith("Phạm vi điều chỉnh") and c["D1"].text.endswith("thử nghiệm phần mềm.")


def test_chuong_inside_an_attached_quy_che(tmp_path):
    text = f"""ỦY BAN NHÂN DÂN
TỈNH HÒA PHONG
Số: 7/2031/QĐ-UBND
Hòa Phong, ngày 05 tháng 4 năm 2031

QUYẾT ĐỊNH
Ban hành Quy chế thử nghiệm
{SYNTHETIC}

Điều 1. Ban hành kèm theo Quyết định này Quy chế thử nghiệm.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

QUY CHẾ
Thử nghiệm phần mềm
(Ban hành kèm theo Quyết định số 7/2031/QĐ-UBND ngày 05 tháng 4 năm 2031)

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi
Quy chế này quy định việc thử nghiệm.

Chương II
TRÁCH NHIỆM

Điều 2. Sở Thử nghiệm
1. Chủ trì tổ chức thử nghiệm.
"""
    c = by_path(ingest_text(tmp_path, text).document)
    assert ["QC.C1", "QC.D1", "QC.C2", "QC.D2", "QC.D2.1"] == [k for k in c if k.startswith("QC.")]
    assert c["QC.D2.1"].label == "khoản 1 Điều 2 Quy chế ban hành kèm theo"
    assert c["QC.D1"].text == "Phạm vi\nQuy chế này quy định việc thử nghiệm."


PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH HÒA PHONG
Số: 9/KH-UBND
Hòa Phong, ngày 06 tháng 5 năm 2031

KẾ HOẠCH
Thử nghiệm các cấp đánh số
{SYNTHETIC}

I. NHIỆM VỤ
1. Nhiệm vụ chung
1.1. Rà soát quy trình thử nghiệm.
1.2. Cập nhật tài liệu thử nghiệm:
1.2.1. Tài liệu hướng dẫn.
1.2.2. Tài liệu kỹ thuật.
a) Bản tiếng Việt;
b) Bản tiếng Anh.
2. Nhiệm vụ cụ thể
2.1. Tổ chức thử nghiệm định kỳ.
1.5 lần mỗi năm là tần suất tối thiểu.
II. TỔ CHỨC THỰC HIỆN
Sở Thử nghiệm chủ trì thực hiện.
"""


def test_dotted_numbers_are_levels_under_khoan(tmp_path):
    c = by_path(ingest_text(tmp_path, PLAN).document)
    assert [k for k in c if k.startswith("I.")] == [
        "I.1", "I.1.1", "I.1.2", "I.1.2.1", "I.1.2.2", "I.1.2.2.a", "I.1.2.2.b", "I.2", "I.2.1", "I.2.p1",
    ]
    assert (c["I.1.2"].kind, c["I.1.2"].label, c["I.1.2"].marker) == ("tieu_muc", "tiểu mục 1.2 khoản 1 Mục I", "1.2.")
    assert c["I.1.2.1"].label == "tiểu mục 1.2.1 tiểu mục 1.2 khoản 1 Mục I"
    assert c["I.1.2.1"].parent == "I.1.2"
    # "1.5 lần ..." is not 1.5 under khoản 2: it is a paragraph
    assert c["I.2.p1"].text.startswith("1.5 lần")


DECISION_WITH_LIST = f"""THỦ TƯỚNG CHÍNH PHỦ
Số: 33/QĐ-TTg
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 07 tháng 6 năm 2031

QUYẾT ĐỊNH
PHÊ DUYỆT ĐỀ ÁN THỬ NGHIỆM PHẦN MỀM TRA CỨU
THỦ TƯỚNG CHÍNH PHỦ
{SYNTHETIC}

Căn cứ Luật Thử nghiệm ngày 01 tháng 01 năm 2030;

QUYẾT ĐỊNH:

Điều 1. Phê duyệt Đề án thử nghiệm với các nội dung sau:
I. MỤC TIÊU
1. Hoàn thành thử nghiệm trong năm 2031.
II. NHIỆM VỤ
1. Bộ Thử nghiệm chủ trì xây dựng bộ dữ liệu thử nghiệm.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_roman_mục_inside_an_article_that_leads_in_to_a_list(tmp_path):
    doc = ingest_text(tmp_path, DECISION_WITH_LIST).document
    h = doc.header
    # an all-caps title under the type line; the authority line under it is not the title
    assert (h.doc_type, h.number, h.title) == ("Quyết định", "33/QĐ-TTg", "PHÊ DUYỆT ĐỀ ÁN THỬ NGHIỆM PHẦN MỀM TRA CỨU")
    c = by_path(doc)
    assert [k for k in c if k.startswith("D")] == ["D1", "D1.I", "D1.I.1", "D1.II", "D1.II.1", "D2"]
    assert c["D1.II.1"].label == "khoản 1 Mục II Điều 1"
    assert doc.coverage["percent"] == 100.0


def test_a_clause_that_cannot_be_verified_is_kept_flagged_and_the_document_ingested(tmp_path, monkeypatch):
    """A loader that got an offset wrong must not sink the document nor be quoted as exact."""
    from tracuu.ingest import loaders as ingest_loaders
    real_load = ingest_loaders.load

    def bad_load(path):
        src = real_load(path)
        blocks = list(src.blocks)
        k = next(i for i, b in enumerate(blocks) if b.text.startswith("1.1."))
        b = blocks[k]
        shifted = tuple(o + 1 for o in b.offsets)  # every character one place off
        blocks[k] = Block(kind=b.kind, text=b.text, offsets=shifted, page=b.page, page_end=b.page_end)
        return SourceText(text=src.text, kind=src.kind, page_starts=src.page_starts, blocks=blocks,
                          dropped=src.dropped, warnings=src.warnings, furniture=src.furniture)

    monkeypatch.setattr(ingest_loaders, "load", bad_load)
    out = ingest_text(tmp_path, PLAN)
    c = by_path(out.document)
    assert c["I.1.1"].exact is False and c["I.1.1"].text == "Rà soát quy trình thử nghiệm."
    assert all(x.exact for p, x in c.items() if p != "I.1.1")
    assert any("I.1.1" in w and "not quoted" not in w and "never quoted as exact" in w for w in out.document.warnings)


def test_ids_carry_the_issuers_place_and_the_year(tmp_path):
    a = ingest_text(tmp_path, PLAN, "a.txt").document
    assert a.doc_id == "9-kh-ubnd-hoa-phong-2031"
    other_province = PLAN.replace("TỈNH HÒA PHONG", "TỈNH LAM SƠN").replace("Hòa Phong, ngày", "Lam Sơn, ngày")
    assert ingest_text(tmp_path, other_province, "b.txt").document.doc_id == "9-kh-ubnd-lam-son-2031"
    next_year = PLAN.replace("năm 2031", "năm 2032")
    assert ingest_text(tmp_path, next_year, "c.txt").document.doc_id == "9-kh-ubnd-hoa-phong-2032"
    national = ingest_text(tmp_path, DECISION_WITH_LIST, "d.txt").document
    assert national.doc_id == "33-qd-ttg-2031"


def test_same_id_another_document_kept_apart_and_reingest_replaces(tmp_path):
    """Two documents whose readable ids meet (same number, issuer and year, another date) are both
    kept; ingesting one again replaces it, and the report says so."""
    from tracuu.api.cli import format_ingest_report
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data"))
    first = tmp_path / "first.txt"
    first.write_text(PLAN, encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text(PLAN.replace("ngày 06 tháng 5 năm 2031", "ngày 20 tháng 9 năm 2031"), encoding="utf-8")
    r1, r2 = svc.ingest([first, second])
    assert r1.status == r2.status == "ok"
    assert r1.doc_id == "9-kh-ubnd-hoa-phong-2031"
    assert r2.doc_id.startswith("9-kh-ubnd-hoa-phong-2031-") and r2.doc_id != r1.doc_id
    assert not r1.replaced and not r2.replaced
    assert {d for d in svc.store().list_ids()} == {r1.doc_id, r2.doc_id}
    # the second one, edited and ingested again, replaces itself, not the first
    second.write_text(second.read_text(encoding="utf-8").replace("định kỳ", "hằng quý"), encoding="utf-8")
    (r3,) = svc.ingest([second])
    assert r3.doc_id == r2.doc_id and r3.replaced is True
    assert "thay thế bản trước (replaced)" in format_ingest_report(r3)
    assert r3.coverage == 100.0 and r3.unverified == []
    assert svc.store().get(r1.doc_id).header.date == "2031-05-06"


def test_phan_headings_restart_roman_numbering(tmp_path):
    text = f"""ỦY BAN NHÂN DÂN
TỈNH HÒA PHONG
Số: 11/BC-UBND
Hòa Phong, ngày 08 tháng 7 năm 2031

BÁO CÁO
Kết quả thử nghiệm
{SYNTHETIC}

PHẦN THỨ NHẤT
KẾT QUẢ THỰC HIỆN
I. CÔNG TÁC CHỈ ĐẠO
1. Ban hành văn bản hướng dẫn thử nghiệm.
II. KẾT QUẢ CỤ THỂ
1. Hoàn thành thử nghiệm đợt một.
PHẦN THỨ HAI
NHIỆM VỤ THỜI GIAN TỚI
I. NHIỆM VỤ TRỌNG TÂM
1. Tổng kết thử nghiệm.
"""
    c = by_path(ingest_text(tmp_path, text).document)
    assert [k for k in c if k.startswith("P")] == ["P1", "P1.I", "P1.I.1", "P1.II", "P1.II.1", "P2", "P2.I", "P2.I.1"]
    assert (c["P1"].kind, c["P1"].label, c["P1"].text) == ("phan", "Phần thứ nhất", "KẾT QUẢ THỰC HIỆN")
    assert c["P2.I.1"].label == "khoản 1 Mục I Phần thứ hai"


def test_a_store_written_with_number_only_ids_is_migrated_on_reingest(tmp_path):
    """A document stored under its old id (the number alone) is replaced by the new id, not doubled."""
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu
    from tracuu.ingest.pipeline import rebase

    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data"))
    out = ingest_text(tmp_path, PLAN, "plan.txt")
    old = out.document
    rebase(old, "9-kh-ubnd")
    svc.index.add_document(old, out.source.text)
    (r,) = svc.ingest([tmp_path / "plan.txt"])
    assert r.doc_id == "9-kh-ubnd-hoa-phong-2031" and r.replaced and r.replaced_id == "9-kh-ubnd"
    assert svc.store().list_ids() == ["9-kh-ubnd-hoa-phong-2031"]


def test_text_no_clause_takes_is_reported_in_the_coverage():
    """A line glued into the signature block that is neither signature nor recipient is warned
    about and counted as not covered: nothing is lost silently."""
    from tracuu.ingest.parser import parse_document

    from parser_blocks import source_from_paragraphs

    src = source_from_paragraphs([
        "ỦY BAN NHÂN DÂN TỈNH HÒA PHONG", "Số: 3/KH-UBND", "KẾ HOẠCH", "Thử nghiệm độ phủ",
        "I. NHIỆM VỤ", "1. Rà soát quy trình thử nghiệm.", "Nơi nhận:", "- Như trên;",
        "ghi chú lạc chỗ TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thử",
    ], kind="txt")
    doc = parse_document(src, doc_id="t", file_name="t.txt", content_hash="0" * 64)
    assert any("Skipped unclear text" in w for w in doc.warnings)
    cov = doc.coverage
    assert cov["chars"] - cov["covered"] == len("ghichúlạcchỗ")
    assert cov["uncovered"][0]["text"] == "ghi chú lạc chỗ"
    assert any("characters belong to no clause" in w for w in doc.warnings)


def test_signature_then_a_gazette_page_then_phu_luc(tmp_path):
    """The page furniture between the signer's name and "Phụ lục" is dropped; the name still ends
    the signature and "Phụ lục" still opens the appendix (not paragraphs of the last article)."""
    text = GAZETTE + """
KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Nguyễn Văn Thử




CÔNG BÁO/Số 901 + 902/Ngày 03-02-2031
9


Phụ lục
DANH MỤC NHIỆM VỤ THỬ NGHIỆM
STT
Nhiệm vụ
Cơ quan chủ trì
1
Rà soát quy trình thử nghiệm
Vụ Kiểm thử
"""
    doc = ingest_text(tmp_path, text).document
    c = by_path(doc)
    assert c["signature"].text.endswith("Nguyễn Văn Thử")
    assert "Phụ lục" not in c["D2"].text and "Rà soát" not in c["D2"].text
    assert any(p.startswith("PL") for p in c)
