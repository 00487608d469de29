"""tracuu: ingest/loaders. One entry point, :func:`load`, that picks a loader by file extension.

Why lazy imports: each loader pulls in a heavy library (pypdf/pdfplumber, python-docx/lxml); a
caller that only reads .txt files should not pay for them, and a broken optional dependency only
breaks its own format.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.errors import IngestError
from tracuu.ingest.model import SourceText

__all__ = ["load", "SUPPORTED"]

SUPPORTED = (".txt", ".pdf", ".docx", ".doc", ".odt")  # .doc/.odt through LibreOffice (loaders/office.py)


def load(path: Path) -> SourceText:
    """Load a .txt, .pdf, .docx, .doc or .odt file into a SourceText; anything else is an IngestError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint_vi = " Hãy lưu thành .docx." if suffix in (".rtf", ".docm", ".dot", ".dotx", ".wpd") else ""
        hint_en = " Please save it as .docx." if hint_vi else ""
        raise IngestError(
            f"Không hỗ trợ loại tệp '{suffix or path.name}'. Chỉ nhận .txt, .pdf, .docx, .doc, .odt.{hint_vi}",
            f"Unsupported file type '{suffix or path.name}'. Only .txt, .pdf, .docx, .doc and .odt are accepted.{hint_en}",
            code="unsupported_type",
        )
    if not path.is_file():
        raise IngestError(f"Không tìm thấy tệp: {path}", f"File not found: {path}", code="not_found")
    if suffix == ".txt":
        from tracuu.ingest.loaders.txt import load_txt

        return load_txt(path)
    if suffix == ".pdf":
        from tracuu.ingest.loaders.pdf import load_pdf

        return load_pdf(path)
    if suffix in (".doc", ".odt"):
        from tracuu.ingest.loaders.office import load_office

        return load_office(path)
    from tracuu.ingest.loaders.docx import load_docx

    return load_docx(path)
