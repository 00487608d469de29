"""Hostile files for the fault and fuzz tests, generated on the fly (nothing is stored).

Why generated: a bomb is a few lines of code but megabytes or gigabytes on disk; each maker
builds the smallest file that still trips the guard under test, and the bench script
(``bench/hostile.py``) builds the full-size ones the issue describes (a 199 MB ``styles.xml``,
290k paragraphs, 100k text operators, 3000 pages). All text in them is made up.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx(path: Path, paragraphs: list[str], *, styles_padding_mb: int = 0, repeat_tail: tuple[str, int] | None = None) -> Path:
    """A minimal Word package. ``styles_padding_mb`` pads styles.xml with that many MB of
    whitespace inside its root element (legal XML, compresses ~1000:1); ``repeat_tail`` =
    (paragraph text, n) appends n copies of one tiny paragraph, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        with zf.open("word/styles.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">'.encode())
            chunk = b" " * (1 << 20)
            for _ in range(styles_padding_mb):
                fh.write(chunk)
            fh.write(b"</w:styles>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            fh.write("".join(_para(p) for p in paragraphs).encode())
            if repeat_tail:
                one = _para(repeat_tail[0]).encode()
                block = one * 1000
                for _ in range(repeat_tail[1] // 1000):
                    fh.write(block)
                fh.write(one * (repeat_tail[1] % 1000))
            fh.write(b"</w:body></w:document>")
    return path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 must be the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(path: Path, pages: int = 1, ops_per_page: int = 10, text: bytes = b"Xin chao") -> Path:
    """``pages`` pages that all draw one shared content stream of ``ops_per_page`` text-showing
    operators (so 3000 pages or 100k operators still make a small file)."""
    lines = [b"BT /F1 10 Tf 40 800 Td 12 TL"]
    for _ in range(max(ops_per_page, 1)):
        lines.append(b"(" + text + b") '")
    lines.append(b"ET")
    content = _stream(b"\n".join(lines))
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        content,
        _FONT,
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                       b"/Resources << /Font << /F1 4 0 R >> >> >>")
    path.write_bytes(_pdf(objects))
    return path


def scanned_pdf(path: Path, pages: int) -> Path:
    """``pages`` pages that each show one full-page image and no text: what OCR would read."""
    image = _stream(b"\x80" * 64, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 ")
    content = _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        content,
        image,
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                       b"/Resources << /XObject << /Im1 4 0 R >> >> >>")
    path.write_bytes(_pdf(objects))
    return path
