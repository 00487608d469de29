"""Load a plain-text (.txt) document into a :class:`~ingest.model.SourceText`.

Why so strict about the encoding: Vietnamese text read with the wrong code page (cp1258,
latin-1) turns into mojibake that still "loads" and then poisons search and citations. So the
file must be UTF-8 (a BOM is tolerated and removed), or one of the two old 8-bit font encodings
offices still send (TCVN3 ".VnTime", VNI), which :mod:`ingest.legacy` recognises by the
Vietnamese it reads and converts to Unicode, with a warning that says so. Anything else is
refused with a clear message in Vietnamese and English.

The whole text is NFC-normalised first and ``SourceText.text`` *is* that NFC text, so every
offset indexes it. Lines are turned into paragraph blocks by :mod:`ingest.reflow`; a .txt has
no table structure, so wrapped table rows simply come out as paragraphs.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.files import read_source_bytes
from ingest.model import SourceText
from ingest.reflow import paginate, reflow
from ingest.vntext import nfc

__all__ = ["load_txt", "decode_text", "decode_legacy"]


def _bytes_as_chars(data: bytes) -> str:
    """One character per byte: Windows-1252 where it defines the byte, Latin-1 elsewhere."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def decode_legacy(data: bytes, name: str = "") -> tuple[str, str | None]:
    """(NFC text, legacy encoding or None): UTF-8 as :func:`decode_text`; TCVN3/VNI text converted.

    A UTF-8 file may itself hold TCVN3/VNI characters (text copied out of a .VnTime document);
    it is converted too when that reading is clearly Vietnamese and the text as it is is not.
    """
    from ingest.legacy import decode_text as legacy_text
    from ingest.legacy import detect

    try:
        text = decode_text(data, name)
    except IngestError as err:
        if err.code != "bad_encoding" or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
            raise
        chars = _bytes_as_chars(data.removeprefix(codecs.BOM_UTF8))
        encoding = detect(chars)
        if encoding is None:
            raise
        return nfc(legacy_text(chars, encoding)), encoding
    encoding = detect(text)
    if encoding is None:
        return text, None
    return nfc(legacy_text(text, encoding)), encoding


def decode_text(data: bytes, name: str = "") -> str:
    """UTF-8 bytes (optional BOM) -> NFC text, or IngestError for anything else."""
    label = f" '{name}'" if name else ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and not data.startswith(codecs.BOM_UTF8):
        raise IngestError(
            f"Tệp văn bản{label} được lưu bằng mã UTF-16/UTF-32; hãy lưu lại với mã UTF-8.",
            f"Text file{label} is saved as UTF-16/UTF-32; please save it as UTF-8.",
            code="bad_encoding",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"Tệp văn bản{label} không phải mã UTF-8 (byte lỗi ở vị trí {err.start}); hãy lưu lại với mã UTF-8.",
            f"Text file{label} is not valid UTF-8 (bad byte at position {err.start}); please save it as UTF-8.",
            code="bad_encoding",
        ) from None
    if "\x00" in text:
        raise IngestError(
            f"Tệp{label} có vẻ là tệp nhị phân, không phải văn bản thuần.",
            f"File{label} looks binary, not plain text.",
            code="bad_encoding",
        )
    return nfc(text)


def load_txt(path: Path) -> SourceText:
    """Read a UTF-8 .txt file and reflow it into paragraph blocks with exact source offsets."""
    path = Path(path)
    data = read_source_bytes(path)
    text, legacy = decode_legacy(data, path.name)
    if not text.strip():
        raise IngestError(
            f"Tệp văn bản '{path.name}' trống, không có nội dung.",
            f"Text file '{path.name}' is empty.",
            code="empty",
        )
    paged = paginate(text)
    blocks = reflow(paged.lines, double_spaced=paged.double_spaced)
    warnings: list[str] = []
    if legacy:
        from ingest.legacy import ENCODING_NAMES

        warnings.append(
            f"Tệp gõ bằng bảng mã {ENCODING_NAMES[legacy]}, đã chuyển sang Unicode. / "
            f"The file was typed in {ENCODING_NAMES[legacy]} and was converted to Unicode."
        )
    if paged.dropped:
        warnings.append(
            f"Đã bỏ {len(paged.dropped)} dòng số trang. / Dropped {len(paged.dropped)} page-number lines."
        )
    return SourceText(
        text=text,
        kind="txt",
        page_starts=paged.page_starts,
        blocks=blocks,
        dropped=paged.dropped,
        warnings=warnings,
    )
