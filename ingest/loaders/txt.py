"""Load a plain-text (.txt) document into a :class:`~ingest.model.SourceText`.

Why so strict about the encoding: Vietnamese text read with the wrong code page (cp1258,
latin-1) turns into mojibake that still "loads" and then poisons search and citations. So the
file must be UTF-8 (a BOM is tolerated and removed); anything else is refused with a clear
message in Vietnamese and English.

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

__all__ = ["load_txt", "decode_text"]


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
    text = decode_text(data, path.name)
    if not text.strip():
        raise IngestError(
            f"Tệp văn bản '{path.name}' trống, không có nội dung.",
            f"Text file '{path.name}' is empty.",
            code="empty",
        )
    paged = paginate(text)
    blocks = reflow(paged.lines, double_spaced=paged.double_spaced)
    warnings: list[str] = []
    if paged.dropped:
        counts: dict[str, int] = {}
        for kind, _, _ in paged.furniture:
            counts[kind] = counts.get(kind, 0) + 1
        vi = {"page_number": "dòng số trang", "page_header": "dòng đầu trang công báo", "signature_stamp": "dòng dấu chữ ký số"}
        en = {"page_number": "page-number lines", "page_header": "gazette page-header lines", "signature_stamp": "digital-signature stamp lines"}
        warnings.append(
            "Đã bỏ " + ", ".join(f"{n} {vi[k]}" for k, n in counts.items()) + ". / Dropped "
            + ", ".join(f"{n} {en[k]}" for k, n in counts.items()) + "."
        )
    return SourceText(
        text=text,
        kind="txt",
        page_starts=paged.page_starts,
        blocks=blocks,
        dropped=paged.dropped,
        warnings=warnings,
        furniture=paged.furniture,
    )
