"""What a PDF will cost to read, counted before pdfplumber and pypdf parse it.

Why: pdfplumber keeps a Python dict for every character it lays out, so a 28 KB PDF whose one
page holds 100k text operators (a compressed content stream repeating ``(x) Tj``) grows to
gigabytes, and a 3000-page PDF takes many minutes. Both are cheap to see beforehand: the page
count is in the page tree, and the drawing operators can be counted in each page's decompressed
content stream (and in the form XObjects it draws, times the number of times it draws them)
with one regular expression, without building any object. A file over a limit of
:mod:`ingest.limits` is refused with a message naming the limit.

The count is an estimate (string and hex-string contents are blanked out first; inline image
data may add a few spurious tokens); it only needs to be right within a small factor.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.ingest import limits
from tracuu.ingest.errors import IngestError

# A string literal (one level of nested parentheses), a hex string, or a comment: blanked first.
_STRINGS = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>|%[^\r\n]*", re.S)
# An operator: a bare word of 1-3 characters that is not part of a name (/F1), a number or a
# longer keyword (true, false, null). ' and " are the two quote operators.
_OPERATOR = re.compile(rb"(?<![A-Za-z0-9/#.*'\"_-])(?:[A-Za-z][A-Za-z0-9*]{0,2}|'|\")(?![A-Za-z0-9*#_])")
_DO = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s+Do\b")
_MAX_FORM_DEPTH = 8


def count_operators(content: bytes) -> int:
    """Operators in a content stream (an estimate good to a small factor)."""
    return len(_OPERATOR.findall(_STRINGS.sub(b" ", content)))


def _stream_bytes(obj: Any, budget: int) -> bytes:
    """The decompressed bytes of a content stream or an array of them, at most ``budget``."""
    from pypdf.generic import ArrayObject

    obj = obj.get_object() if obj is not None else None
    if obj is None:
        return b""
    parts = obj if isinstance(obj, ArrayObject) else [obj]
    out = bytearray()
    for part in parts:
        part = part.get_object()
        data = part.get_data() if hasattr(part, "get_data") else b""
        out += data + b"\n"
        if len(out) > budget:
            break
    return bytes(out)


class _Counter:
    def __init__(self, name: str, lim: limits.Limits) -> None:
        self.name = name
        self.lim = lim
        self.byte_cap = lim.pdf_max_page_content_mb * 2**20
        self.forms: dict[int, int] = {}  # id of a form XObject -> operators it draws (memo)

    def _too_big(self, pageno: int, size: int) -> IngestError:
        return limits.limit_error(
            "pdf_max_page_content_mb", f"{self.lim.pdf_max_page_content_mb} MB", f"{size / 2**20:.0f} MB",
            f"Tệp PDF '{self.name}', trang {pageno}: nội dung trang khi giải nén",
            f"PDF file '{self.name}', page {pageno}: the page's decompressed content",
        )

    def ops(self, content: bytes, resources: Any, pageno: int, depth: int = 0) -> int:
        """Operators drawn by ``content``, forms included (each use of a form counts its operators)."""
        if len(content) > self.byte_cap:
            raise self._too_big(pageno, len(content))
        n = count_operators(content)
        if depth >= _MAX_FORM_DEPTH or b"Do" not in content:
            return n
        xobjects = _dict_get(resources, "/XObject")
        if xobjects is None:
            return n
        uses: dict[bytes, int] = {}
        for m in _DO.finditer(content):
            uses[m.group(1)] = uses.get(m.group(1), 0) + 1
        for raw_name, times in uses.items():
            form = _dict_get(xobjects, "/" + raw_name.decode("latin-1"))
            if form is None or _dict_get(form, "/Subtype") != "/Form":
                continue
            key = id(form)
            if key not in self.forms:
                self.forms[key] = 0  # a form that draws itself counts once, not forever
                data = form.get_data() if hasattr(form, "get_data") else b""
                self.forms[key] = self.ops(data, _dict_get(form, "/Resources"), pageno, depth + 1)
            n += self.forms[key] * times
        return n


def _dict_get(obj: Any, key: str) -> Any:
    """``obj[key]`` resolved, or None for anything that is not a dictionary holding it."""
    try:
        obj = obj.get_object() if obj is not None else None
        value = obj.get(key) if obj is not None and hasattr(obj, "get") else None
        return value.get_object() if value is not None else None
    except Exception:  # a broken reference: the parsers report the file as corrupt later
        return None


def check_pdf_budget(reader: Any, name: str, lim: limits.Limits) -> None:
    """Refuse a PDF with too many pages, or too many drawing operators on a page or in all.

    Pages whose content cannot be read are left to the loader (it reports them itself).
    """
    pages = len(reader.pages)
    if pages > lim.pdf_max_pages:
        raise limits.limit_error(
            "pdf_max_pages", lim.pdf_max_pages, pages,
            f"Tệp PDF '{name}': số trang", f"PDF file '{name}': number of pages",
        )
    counter = _Counter(name, lim)
    total = 0
    for pageno, page in enumerate(reader.pages, start=1):
        try:
            content = _stream_bytes(page.get("/Contents"), counter.byte_cap)
        except IngestError:
            raise
        except Exception:  # undecodable content: pdfplumber/pypdf decide what to do with it
            continue
        n = counter.ops(content, _dict_get(page, "/Resources"), pageno)
        if n > lim.pdf_max_page_operators:
            raise limits.limit_error(
                "pdf_max_page_operators", lim.pdf_max_page_operators, n,
                f"Tệp PDF '{name}', trang {pageno}: số lệnh vẽ", f"PDF file '{name}', page {pageno}: drawing operators",
            )
        total += n
        if total > lim.pdf_max_operators:
            raise limits.limit_error(
                "pdf_max_operators", lim.pdf_max_operators, f"{total}+",
                f"Tệp PDF '{name}': tổng số lệnh vẽ", f"PDF file '{name}': drawing operators in all",
            )
