"""Load a plain-text (.txt) document into a :class:`~ingest.model.SourceText`.

Why so strict about the encoding: Vietnamese text read with the wrong code page (cp1258,
latin-1) turns into mojibake that still "loads" and then poisons search and citations. So the
file must be UTF-8 (a BOM is tolerated and removed); anything else is refused with a clear
message in Vietnamese and English.

The whole text is NFC-normalised first and ``SourceText.text`` *is* that NFC text, so every
offset indexes it. Lines are turned into paragraph blocks by :mod:`ingest.reflow`. Tables written
one row a line with cells joined by " | " (text exported from web pages) become ``table_row``
blocks with cells (:mod:`ingest.loaders.pipetable`); other tables have no structure in a .txt, so
their wrapped rows come out as paragraphs.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.files import read_source_bytes
from ingest.model import SourceText
from ingest.loaders.pipetable import is_header_line, pipe_table_runs, row_block
from ingest.model import Block
from ingest.reflow import SourceLine, full_line_length, paginate, reflow
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
    blocks, tables = _blocks(paged.lines, paged.double_spaced)
    warnings: list[str] = []
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
        tables=tables,
    )


def _blocks(lines: list[SourceLine], double_spaced: bool) -> tuple[list[Block], int]:
    """Paragraph blocks from :func:`reflow`, and table rows for the pipe tables among the lines."""
    runs = pipe_table_runs(lines)
    if not runs:
        return reflow(lines, double_spaced=double_spaced), 0
    full = full_line_length(lines)
    out: list[Block] = []
    pos = 0
    for n, (i, j) in enumerate(runs):
        if i > pos:
            out += reflow(lines[pos:i], double_spaced=double_spaced, full_length=full)
        header = True
        for k in range(i, j):
            header = header and is_header_line(lines[k], first=k == i) and k - i < 2
            out.append(row_block(lines[k], n, header))
        pos = j
    if pos < len(lines):
        out += reflow(lines[pos:], double_spaced=double_spaced, full_length=full)
    return out, len(runs)
