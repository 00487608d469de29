"""Load a plain-text (.txt) document into a :class:`~ingest.model.SourceText`.

Why so strict about the encoding: Vietnamese text read with the wrong code page (cp1258,
latin-1) turns into mojibake that still "loads" and then poisons search and citations. So the
file must be UTF-8 (a BOM is tolerated and removed), or one of the two old 8-bit font encodings
offices still send (TCVN3 ".VnTime", VNI), which :mod:`ingest.legacy` recognises by the
Vietnamese it reads and converts to Unicode, with a warning that says so. Anything else is
refused with a clear message in Vietnamese and English.

The whole text is NFC-normalised first and ``SourceText.text`` *is* that NFC text, so every
offset indexes it. Lines are turned into paragraph blocks by :mod:`ingest.reflow`. Tables written
one row a line with cells joined by " | " (text exported from web pages) become ``table_row``
blocks with cells (:mod:`ingest.loaders.pipetable`), and so do task tables a PDF text layer wrote
one cell fragment a line (:mod:`ingest.loaders.flattable`); other tables have no structure in a
.txt, so their wrapped rows come out as paragraphs.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from tracuu.ingest.errors import IngestError
from tracuu.ingest.loaders.files import read_source_bytes
from tracuu.ingest.loaders.flattable import FlatTable, flat_blocks, flat_table_runs
from tracuu.ingest.loaders.pipetable import (
    align_two_row_header,
    is_header_line,
    markdown_lines,
    pipe_table_runs,
    row_block,
)
from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.reflow import PagedLines, SourceLine, full_line_length, paginate, reflow
from tracuu.ingest.vntext import nfc

__all__ = ["load_txt", "decode_text", "decode_legacy"]


def _bytes_as_chars(data: bytes) -> str:
    """One character per byte: Windows-1252 where it defines the byte, Latin-1 elsewhere."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def decode_legacy(data: bytes, name: str = "") -> tuple[str, str | None]:
    """(NFC text, legacy encoding or None): UTF-8 as :func:`decode_text`; TCVN3/VNI text converted.

    A UTF-8 file may itself hold TCVN3/VNI characters (text copied out of a .VnTime document);
    it is converted too when that reading is clearly Vietnamese and the text as it is is not.
    """
    from tracuu.ingest.legacy import decode_text as legacy_text
    from tracuu.ingest.legacy import detect

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
    # the "| --- | --- |" rule of a markdown table is no row; a markdown header over a body written one cell
    # a line is given back one column name a line (before the row numbers are restored: that needs the
    # flattened table found)
    paged = _without_markdown_rules(paged)
    paged = _restore_row_numbers(text, paged)
    blocks, tables = _blocks(paged.lines, paged.double_spaced)
    warnings: list[str] = []
    if legacy:
        from tracuu.ingest.legacy import ENCODING_NAMES

        warnings.append(
            f"Tệp gõ bằng bảng mã {ENCODING_NAMES[legacy]}, đã chuyển sang Unicode. / "
            f"The file was typed in {ENCODING_NAMES[legacy]} and was converted to Unicode."
        )
    vi = {"page_number": "dòng số trang", "page_header": "dòng đầu trang công báo", "signature_stamp": "dòng dấu chữ ký số"}
    en = {"page_number": "page-number lines", "page_header": "gazette page-header lines", "signature_stamp": "digital-signature stamp lines"}
    counts: dict[str, int] = {}
    for kind, _, _ in paged.furniture:
        if kind in vi:  # a markdown table's rule line loses nothing: not worth a warning
            counts[kind] = counts.get(kind, 0) + 1
    if counts:
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
        tables=tables,
    )


def _without_markdown_rules(paged: PagedLines) -> PagedLines:
    """``paged`` without the rule lines of markdown tables and with a markdown header over a body
    written one cell a line given back one name a line (:func:`markdown_lines`); what that leaves out
    (the "| --- |" rules, the header's pipes) is recorded as furniture of kind "table_rule", so the
    coverage of the document still accounts for every character."""
    kept = markdown_lines(paged.lines)
    if len(kept) == len(paged.lines) and all(a is b for a, b in zip(kept, paged.lines)):
        return paged
    # kept lines are the original lines or pieces of them, in source order: walk both at once
    gaps: list[tuple[int, int]] = []
    k = 0
    for line in paged.lines:
        start, end = line.start, line.start + len(line.text)
        pos, left = start, []
        while k < len(kept) and kept[k].start < end:
            if kept[k].start > pos:
                left.append((pos, kept[k].start))
            pos = max(pos, kept[k].start + len(kept[k].text))
            k += 1
        if pos < end:
            left.append((pos, end))
        gaps += [(a, b) for a, b in left if line.text[a - start : b - start].strip()]
    paged.lines = kept
    paged.dropped = sorted([*paged.dropped, *gaps])
    paged.furniture = [*paged.furniture, *(["table_rule", a, b] for a, b in gaps)]
    return paged


def _blocks(lines: list[SourceLine], double_spaced: bool) -> tuple[list[Block], int]:
    """Paragraph blocks from :func:`reflow`, and table rows for the tables among the lines: pipe
    tables (one row a line) and tables a PDF text layer flattened (one cell fragment a line)."""
    runs: list[tuple[int, int, str, FlatTable | None]] = [(i, j, "pipe", None) for i, j in pipe_table_runs(lines)]
    for ft in flat_table_runs(lines):
        if not any(i < ft.end and ft.start < j for i, j, _, _ in runs):
            runs.append((ft.start, ft.end, "flat", ft))
    if not runs:
        return reflow(lines, double_spaced=double_spaced), 0
    runs.sort(key=lambda r: r[0])
    full = full_line_length(lines)
    heads, titles = _name_words()
    out: list[Block] = []
    pos = 0
    for n, (i, j, _kind, ft) in enumerate(runs):
        if i > pos:
            out += reflow(lines[pos:i], double_spaced=double_spaced, full_length=full)
        if ft is not None:
            out += flat_blocks(lines, ft, n, heads, titles)
        else:
            header = True
            rows: list[Block] = []
            for k in range(i, j):
                header = header and is_header_line(lines[k], first=k == i) and k - i < 2
                rows.append(row_block(lines[k], n, header))
            out += align_two_row_header(rows)
        pos = j
    if pos < len(lines):
        out += reflow(lines[pos:], double_spaced=double_spaced, full_length=full)
    return out, len(runs)


def _restore_row_numbers(text: str, paged: PagedLines) -> PagedLines:
    """Give back the row numbers of flattened tables that :func:`paginate` took for page numbers.

    Why: in a table flattened one cell a line, "2", "3" ... alone on their lines number the rows,
    and the first of them can look like the next page's number. A lone number dropped inside a
    flattened table that continues the row sequence ("1", then 2, 3 ...) is a row number: it goes
    back among the lines, and the page break it made is undone.
    """
    if not paged.dropped:
        return paged
    runs = flat_table_runs(paged.lines)
    if not runs:
        return paged
    restored: list[SourceLine] = []
    for ft in runs:
        lo = paged.lines[ft.header[1]].start
        hi = paged.lines[ft.end - 1].end if ft.end > 0 else lo
        kept = {ln.start: ln.text.strip() for ln in paged.lines[ft.header[1] : ft.end]}
        numbers = sorted(
            [(a, text[a:b].strip(), True) for a, b in paged.dropped if lo < a < hi and text[a:b].strip().isdigit()]
            + [(a, t, False) for a, t in kept.items() if t.isdigit() and len(t) <= 3]
        )
        expected = 1
        for a, t, dropped in numbers:
            if int(t) == expected:
                if dropped:
                    restored.append(SourceLine(a, text[a : a + len(text[a:].split("\n", 1)[0].rstrip("\r"))], 0))
                expected += 1
            elif int(t) == expected - 1:
                continue
    if not restored:
        return paged
    starts = {ln.start for ln in restored}
    page_starts = [p for p in paged.page_starts if p not in starts]
    dropped = [(a, b) for a, b in paged.dropped if a not in starts]
    import bisect

    lines = sorted(list(paged.lines) + restored, key=lambda ln: ln.start)
    lines = [SourceLine(ln.start, ln.text, max(1, bisect.bisect_right(page_starts, ln.start))) for ln in lines]
    furniture = [f for f in paged.furniture if f[1] not in starts]
    return PagedLines(
        lines=lines, page_starts=page_starts, dropped=dropped, double_spaced=paged.double_spaced, furniture=furniture
    )


def _name_words() -> tuple[list[str], list[str]]:
    """Folded words that open an agency name and head-of-agency titles (ingest/data/agencies.toml)."""
    import tomllib

    from tracuu.ingest.agencies import AGENCIES_FILE
    from tracuu.ingest.vntext import fold

    data = tomllib.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    heads = [fold(h) for h in data.get("matching", {}).get("head_words", [])]
    titles = [fold(t) for t in data.get("heads", {}).get("titles", [])]
    return sorted(set(heads), key=len, reverse=True), sorted(set(titles), key=len, reverse=True)
