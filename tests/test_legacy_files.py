"""Every file staff receive: .doc and .odt (LibreOffice), TCVN3 and VNI text, folders with other files.

All documents here are made in the test from a short synthetic plan written for it (it says so
in its own text); nothing is a real document. The TCVN3/VNI bytes are produced from the Unicode
text with the inverse of the loader's table, and a few hand-typed strings anchor that table.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tracuu.ingest.legacy import TCVN3, VNI, decode_run, decode_text, detect, font_encoding, tables
from tracuu.ingest.loaders import load
from tracuu.ingest.manifest import Manifest
from tracuu.ingest.pipeline import ingest_file, skipped_files

TITLE = "KẾ HOẠCH"
LINES = [
    "Thử nghiệm chuyển mã phông chữ (văn bản tổng hợp cho kiểm thử, không phải văn bản thật)",
    "I. MỤC TIÊU",
    "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành rà soát kinh phí hằng năm.",
    "2. Các huyện báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Đơn vị được giao nhiệm vụ chịu trách nhiệm về tiến độ và chất lượng.",
]
TEXT = "\n".join([TITLE, *LINES]) + "\n"
SOFFICE = shutil.which("soffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (Debian libreoffice-writer-nogui: bash .ci/office-deps)"
)


# ---------------------------------------------------------------------- encoders for the tests
def to_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 characters (capitals as their small letter: the capitals font draws them)."""
    inverse = {v: k for k, v in tables().tcvn3.items()}
    out = []
    for ch in text:
        if ch in inverse:
            out.append(inverse[ch])
        elif ch.lower() in inverse and ch.lower() != ch:
            out.append(inverse[ch.lower()])  # a capital typed in the .VnTimeH font
        else:
            out.append(ch)
    return "".join(out)


def to_vni(text: str) -> str:
    import unicodedata

    t = tables()
    singles = {v: k for k, v in t.vni_single.items()}
    marks = {}
    for k, combining in t.vni_marks.items():
        marks.setdefault(combining, []).append(k)
    out = []
    for ch in text:
        if ch in singles:
            out.append(singles[ch])
            continue
        d = unicodedata.normalize("NFD", ch)
        base, comb = d[0], d[1:]
        if base in "oO" and "\u031b" in comb:  # ơ: a single byte that takes tone marks
            base, comb = unicodedata.normalize("NFC", base + "\u031b"), comb.replace("\u031b", "")
            base = singles[base]
        elif base in "uU" and "\u031b" in comb:
            base, comb = unicodedata.normalize("NFC", base + "\u031b"), comb.replace("\u031b", "")
            base = singles[base]
        if not comb:
            out.append(base)
            continue
        key = "".join(c for c in comb if c in "\u0302\u0306") + "".join(c for c in comb if c not in "\u0302\u0306")
        options = marks[key]
        small = max(options, key=ord)  # the small-letter mark byte; capitals use the one 0x20 lower
        out.append(base + (small if base.islower() or not base.isalpha() else chr(ord(small) - 0x20)))
    return "".join(out)


def test_table_anchors():
    """Strings typed by hand in each encoding read as expected (the tables' independent check)."""
    assert decode_text("KÕ HO¹CH", TCVN3) == "KẾ HOẠCH"
    assert decode_run("Së Tµi chÝnh phèi hîp", TCVN3) == "Sở Tài chính phối hợp"
    assert decode_run("n¨m", TCVN3) == "năm" and decode_run("®¬n vÞ", TCVN3) == "đơn vị"
    assert decode_run("th\xad", TCVN3) == "thư"
    assert decode_run("Keá hoaïch", VNI) == "Kế hoạch"
    assert decode_run("Sôû Taøi chính phoái hôïp", VNI) == "Sở Tài chính phối hợp"
    assert decode_run("ñôn vò, naêm", VNI) == "đơn vị, năm"
    assert decode_run("KEÁ HOAÏCH", VNI) == "KẾ HOẠCH"
    assert decode_run("kÕ ho¹ch", TCVN3, upper=True) == "KẾ HOẠCH"
    assert font_encoding(".VnTime") == (TCVN3, False) and font_encoding(".VnTimeH") == (TCVN3, True)
    assert font_encoding("VNI-Times") == (VNI, False) and font_encoding("Times New Roman") is None


def test_encoders_round_trip():
    assert decode_text(to_tcvn3(TEXT), TCVN3) == TEXT
    assert decode_text(to_vni(TEXT), VNI) == TEXT
    assert detect(to_tcvn3(TEXT)) == TCVN3 and detect(to_vni(TEXT)) == VNI and detect(TEXT) is None


def _check_source(source, expect_warning: str | None = None):
    text = source.text
    for line in [TITLE, *LINES]:
        assert line in text, (line, text[:500])
    if expect_warning:
        assert any(expect_warning in w for w in source.warnings), source.warnings


def _parse(path: Path):
    outcome = ingest_file(path, Manifest(folder=Path(".")))
    assert outcome.ok, outcome.errors
    doc = outcome.document
    texts = [c.text for c in doc.clauses]
    assert any("Sở Tài chính chủ trì" in t for t in texts), texts
    assert any("hằng năm" in t for t in texts)
    return outcome


@pytest.mark.parametrize("encoding,encode", [(TCVN3, to_tcvn3), (VNI, to_vni)])
def test_legacy_txt_is_converted(tmp_path, encoding, encode):
    path = tmp_path / f"ke-hoach-{encoding}.txt"
    path.write_bytes(encode(TEXT).encode("cp1252"))  # the 8-bit file as the old editors saved it
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    source = load(path)
    _check_source(source, "đã chuyển sang Unicode")
    _parse(path)


def test_legacy_characters_inside_utf8_txt_are_converted(tmp_path):
    """Text copied out of a .VnTime document and saved as UTF-8 still holds the TCVN3 characters."""
    path = tmp_path / "dan-tu-vntime.txt"
    path.write_text(to_tcvn3(TEXT), encoding="utf-8")
    _check_source(load(path), "TCVN3")


def test_unicode_txt_is_left_alone(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_text(TEXT + "Giá trị: ¼ và ½ (ký hiệu Latin-1 trong văn bản Unicode).\n", encoding="utf-8")
    source = load(path)
    assert source.text.startswith(TEXT) and not source.warnings


def test_garbage_8bit_txt_is_still_refused(tmp_path):
    path = tmp_path / "rac.txt"
    path.write_bytes(bytes(range(0xA0, 0x100)) * 3)
    from tracuu.ingest.errors import IngestError

    with pytest.raises(IngestError) as info:
        load(path)
    assert info.value.code == "bad_encoding" and "UTF-8" in info.value.vi


def _docx(path: Path, font: str, encode, capitals_font: str | None = None) -> Path:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    title = d.add_paragraph()
    run = title.add_run(encode(TITLE.lower()) if capitals_font else encode(TITLE))
    run.font.name = capitals_font or font
    for line in LINES:
        p = d.add_paragraph()
        caps = capitals_font and line.upper() == line  # headings typed in the capitals font
        run = p.add_run(encode(line.lower()) if caps else encode(line))
        run.font.name = capitals_font if caps else font
        run._element.rPr.rFonts.set(qn("w:hAnsi"), run.font.name)
    d.save(str(path))
    return path


def test_tcvn3_docx_runs_are_converted(tmp_path):
    path = _docx(tmp_path / "vntime.docx", ".VnTime", to_tcvn3, capitals_font=".VnTimeH")
    _check_source(load(path), "TCVN3")
    _parse(path)


def test_vni_docx_runs_are_converted(tmp_path):
    path = _docx(tmp_path / "vni.docx", "VNI-Times", to_vni)
    _check_source(load(path), "VNI")
    _parse(path)


def test_unicode_runs_under_a_vntime_style_are_untouched(tmp_path):
    """A document converted to Unicode whose Normal style still names .VnTime: its text is kept."""
    import docx

    d = docx.Document()
    d.styles["Normal"].font.name = ".VnTime"
    d.add_paragraph(TITLE)
    for line in LINES:
        d.add_paragraph(line)
    for short in ("Tài chính", "Hà Nội", "Nơi nhận:"):  # runs with only Latin-1 letters, or none at all
        d.add_paragraph(short)
    path = tmp_path / "da-chuyen.docx"
    d.save(str(path))
    source = load(path)
    _check_source(source)
    assert "Tài chính\nHà Nội" in source.text
    assert not any("Unicode" in w for w in source.warnings)


def test_latin1_only_unicode_under_a_vntime_font_is_untouched(tmp_path):
    """Unicode text whose letters all lie in Latin-1 ("các", "và", "chính") cannot be told from
    TCVN3 by its characters; it reads as Vietnamese as it is, so it is kept."""
    import docx

    d = docx.Document()
    for line in ("Các tài chính và các", "Là có các tài chính"):
        run = d.add_paragraph().add_run(line)
        run.font.name = ".VnTime"
    path = tmp_path / "latin1.docx"
    d.save(str(path))
    source = load(path)
    assert source.text.startswith("Các tài chính và các\nLà có các") and not source.warnings


def test_unicode_docx_with_latin1_marks_is_untouched(tmp_path):
    path = _docx(tmp_path / "unicode.docx", "Times New Roman", lambda s: s)
    source = load(path)
    _check_source(source)
    assert not any("Unicode" in w for w in source.warnings)


def _soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    profile = (outdir / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.is_file(), list(outdir.iterdir())
    return out


@needs_office
def test_doc_in_tcvn3_fonts_ingests_as_unicode(tmp_path):
    made = _docx(tmp_path / "cu.docx", ".VnTime", to_tcvn3, capitals_font=".VnTimeH")
    doc = _soffice_convert(made, "doc", tmp_path / "doc")
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real Word 97-2003 file
    source = load(doc)
    _check_source(source, "LibreOffice")
    assert any("TCVN3" in w for w in source.warnings)
    _parse(doc)


@needs_office
def test_odt_ingests(tmp_path):
    made = _docx(tmp_path / "mo.docx", "Liberation Serif", lambda s: s)
    odt = _soffice_convert(made, "odt", tmp_path / "odt")
    source = load(odt)
    _check_source(source, "LibreOffice")
    _parse(odt)


def test_doc_without_libreoffice_says_which_package_and_save_as_docx(tmp_path, monkeypatch):
    from tracuu.ingest import reading
    from tracuu.ingest.errors import IngestError

    monkeypatch.setattr(reading, "_current", reading.Reading(soffice=""))  # no LibreOffice
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(IngestError) as info:
        load(path)
    err = info.value
    assert err.code == "missing_dependency"
    assert "libreoffice-writer-nogui" in err.vi and "lưu thành .docx" in err.vi and "save the file as .docx" in err.en.lower()


def test_a_doc_that_is_not_a_doc_is_refused(tmp_path):
    from tracuu.ingest.errors import IngestError

    path = tmp_path / "gia.doc"
    path.write_text("không phải tệp Word", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load(path)
    assert info.value.code == "corrupt" and ".docx" in info.value.vi


def test_folder_lists_every_skipped_file_with_its_reason(tmp_path):
    folder = tmp_path / "nhan-ve"
    (folder / "con").mkdir(parents=True)
    (folder / "ke-hoach.txt").write_bytes(to_tcvn3(TEXT).encode("cp1252"))
    (folder / "phu-luc.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "con" / "anh-chup.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "cu.rtf").write_text("{\\rtf1}", encoding="ascii")
    (folder / "~$ke-hoach.docx").write_bytes(b"lock")
    (folder / "ghi-chu.xyz").write_text("?", encoding="utf-8")
    skipped = {p.name: r for p, r in skipped_files([folder])}
    assert set(skipped) == {"phu-luc.xlsx", "anh-chup.jpg", "cu.rtf", "~$ke-hoach.docx", "ghi-chu.xyz"}
    assert "bảng tính" in skipped["phu-luc.xlsx"]["vi"] and "spreadsheet" in skipped["phu-luc.xlsx"]["en"]
    assert "ảnh" in skipped["anh-chup.jpg"]["vi"] and "PDF" in skipped["anh-chup.jpg"]["vi"]
    assert "lưu thành .docx" in skipped["cu.rtf"]["vi"]
    assert "khóa tạm" in skipped["~$ke-hoach.docx"]["vi"]
    assert ".txt, .pdf, .docx, .doc, .odt" in skipped["ghi-chu.xyz"]["vi"]


def test_folder_ingest_reports_skipped_files(tmp_path):

    folder = tmp_path / "nhan-ve"
    folder.mkdir()
    (folder / "ke-hoach.txt").write_bytes(to_tcvn3(TEXT).encode("cp1252"))
    (folder / "phu-luc.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "so-do.png").write_bytes(b"\x89PNG")
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data"))
    reports = svc.ingest([folder])
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["ke-hoach.txt"].status == "ok", by_name["ke-hoach.txt"]
    assert by_name["phu-luc.xlsx"].status == "skipped" and by_name["so-do.png"].status == "skipped"
    assert "bảng tính" in by_name["phu-luc.xlsx"].errors[0].message_vi
    clause = svc.search("Sở Tài chính rà soát kinh phí", k=1).results[0]
    assert "Sở Tài chính chủ trì" in clause.text


def test_upload_recognises_doc_odt_and_legacy_text(tmp_path):
    from tracuu.api.uploads import sniff_suffix

    assert sniff_suffix(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == ".doc"
    assert sniff_suffix(to_tcvn3(TEXT).encode("cp1252")) == ".txt"
    assert sniff_suffix(to_vni(TEXT).encode("cp1252")) == ".txt"
    if SOFFICE:
        made = _docx(tmp_path / "mo.docx", "Liberation Serif", lambda s: s)
        odt = _soffice_convert(made, "odt", tmp_path / "odt")
        assert sniff_suffix(odt.read_bytes()) == ".odt"
    assert sniff_suffix(made.read_bytes() if SOFFICE else b"PK\x03\x04rest") == ".docx"


@needs_office
def test_doc_ingests_through_the_service_worker(tmp_path):
    """The service reads files in a limited worker process; LibreOffice runs inside its limits."""
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    made = _docx(tmp_path / "cu.docx", ".VnTime", to_tcvn3, capitals_font=".VnTimeH")
    doc = _soffice_convert(made, "doc", tmp_path / "doc")
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data"))
    [report] = svc.ingest([doc])
    assert report.status == "ok", report
    assert any("LibreOffice" in w for w in report.warnings) and any("TCVN3" in w for w in report.warnings)
    texts = [c.text for c in svc.store().get(report.doc_id).clauses]
    assert any("Sở Tài chính chủ trì" in t for t in texts), texts
