"""The web pages for staff: ask, browse documents, agencies and deadlines, export, upload.

Why server-rendered pages on the same FastAPI app: an official opens one address in any browser,
with or without JavaScript, and gets the same answer the JSON API and the CLI give, because every
page calls the same service layer. No build step and no CDN: the templates, the stylesheet and the
small script are files of this package, served by the app itself (the network may be closed).

What is quoted is always the clause's source text. Highlighting only wraps slices of it in
<mark> (matched on folded syllables, so "ty le no qua han" highlights "Tỷ lệ nợ quá hạn");
the characters shown are the characters stored.
"""

from __future__ import annotations

import csv
import functools
import inspect
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from tracuu.api import basket
from tracuu.api.citations import clause_citation, format_date
from tracuu.api.config import http_settings
from tracuu.api.errors import ApiError
from tracuu.api.progress import index_words
from tracuu.api.tasks_view import ROLES
from tracuu.api.uploads import ClientGone, accept_upload
from tracuu.index.abstain import STOPWORDS
from tracuu.index.query.variants import canonical_spelling
from tracuu.ingest.errors import IngestError
from tracuu.ingest.shapes import Agency, AgencyRef, ClauseNode, Deadline, Document, Task
from tracuu.ingest.vntext import fold

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

STATUS_VI = {"ingested": "đã nạp", "referenced": "được dẫn chiếu, chưa nạp văn bản"}
LEVEL_VI = {"central": "trung ương", "provincial": "tỉnh", "local": "cấp xã", "group": "nhóm cơ quan"}
RECURRENCE_VI = {
    "yearly": "hằng năm",
    "half-yearly": "(định kỳ 6 tháng)",
    "quarterly": "(hằng quý)",
    "monthly": "(hằng tháng)",
    "weekly": "(hằng tuần)",
    "daily": "(hằng ngày)",
    "periodic": "(định kỳ)",
}
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Pages only load what the app serves; no inline script or style.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

_SYLLABLE = re.compile(r"[0-9a-z]+")
# Question and function words as typed with their marks; not highlighted ("báo" is, "bao nhiêu" is not).
_MARKED_STOPWORDS = frozenset(
    canonical_spelling(w)
    for w in """gì nào nhiêu là có được của và các những thì thế như khi ở đâu với về trong phải một vậy
    hoặc tại đến từ để sẽ đã đang cần muốn biết hỏi vui lòng nói nếu này kia đây ấy mà còn""".split()
)
_ANCHOR_UNSAFE = re.compile(r"[\s%#]")


# ---------------------------------------------------------------------- anchors and links
def clause_anchor(path: str) -> str:
    """The element id of a clause: its path as is ("II.1.đ"), whitespace, % and # percent-encoded."""
    return _ANCHOR_UNSAFE.sub(lambda m: quote(m.group(), safe=""), path) or "clause"


def clause_fragment(path: str) -> str:
    """The URL fragment that selects :func:`clause_anchor` ("II.1.đ" -> "II.1.%C4%91")."""
    return quote(clause_anchor(path), safe=".-_~!$&'()*+,;=:@/?")


def document_href(doc_id: str) -> str:
    return f"/documents/{quote(doc_id, safe='')}"


def clause_href(doc_id: str, path: str) -> str:
    """The clause inside its document page: /documents/{doc_id}#{path}."""
    return f"{document_href(doc_id)}#{clause_fragment(path)}"


def clause_url(clause_id: str) -> str:
    """The clause's own URL, which redirects to :func:`clause_href`."""
    return f"/clauses/{quote(clause_id, safe=':')}"


def agency_href(agency_id: str) -> str:
    return f"/agencies/{quote(agency_id, safe='')}"


def here(request: Request) -> str:
    """The page's own path and query, where a form sends the official back to."""
    q = request.url.query
    return request.url.path + (f"?{q}" if q else "")


def safe_next(target: str | None, default: str = "/basket") -> str:
    """A same-site path to go back to; anything else (another host, a scheme) is ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def export_href(path: str, query: dict[str, Any] | None, fmt: str) -> str:
    """``path`` with the page's filters and ``format=fmt``."""
    params = {k: v for k, v in (query or {}).items() if v}
    params["format"] = fmt
    return f"{path}?{urlencode(params)}"


# ---------------------------------------------------------------------- highlighting and citing
def _fold_chars(text: str) -> str:
    """``text`` folded one character for one character, so offsets into it are offsets into ``text``."""
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f[0] if len(f) == 1 else ch)
    return "".join(out)


def _syllables(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, folded, canonical) for each syllable of ``text``, offsets into ``text``.

    ``canonical`` is the lowercase syllable with its marks, in canonical spelling ("uỷ" and "ủy"
    meet, so do "hàng năm" and "hằng năm"); ``folded`` drops every mark.
    """
    folded = _fold_chars(text)
    canon = canonical_spelling(text).lower()
    if len(canon) != len(text):  # text not in NFC: compare marks as written
        canon = text.lower() if len(text.lower()) == len(text) else folded
    return [(m.start(), m.end(), m.group(), canon[m.start() : m.end()]) for m in _SYLLABLE.finditer(folded)]


# Syllables never highlighted on their own (only inside a phrase of the question, "hằng năm"):
# calendar words and the commonest words of administrative text.
_LONE_STOPWORDS = frozenset(
    canonical_spelling(w)
    for w in "năm ngày tháng quý tuần lần số điều khoản mục điểm các những việc người cấp".split()
)
_LONE_FOLDED = frozenset(fold(w) for w in _LONE_STOPWORDS)
# A document number or code stays on one line: "1560/QĐ-TTg", "39-CT/TW", "2021-2030".
_NUMBER_TOKEN = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+(?:[/\-][0-9A-Za-zÀ-ỹĐđ]+)+")
_JOINERS = frozenset({"", "-", "/"})

Key = tuple[str, str]  # ("f", folded) typed without marks, ("c", canonical) typed with them


@dataclass(frozen=True)
class Terms:
    """What to highlight: phrases of the question (two syllables in a row, as typed), and the
    syllables the question uses as words of their own.

    Why phrases: Vietnamese words are one to three syllables, so the syllable "chỉ" of "Chỉ thị 39"
    must not light up "chỉ tiêu"; a pair of syllables in the question's order does not. A syllable
    typed without marks matches any marks; typed with marks, those marks.
    """

    pairs: frozenset[tuple[Key, Key]] = frozenset()
    singles: frozenset[Key] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.pairs or self.singles)

    @staticmethod
    def keys(folded: str, canonical: str) -> tuple[Key, Key]:
        return ("f", folded), ("c", canonical)

    def single(self, folded: str, canonical: str) -> bool:
        return any(k in self.singles for k in self.keys(folded, canonical))

    def pair(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        return any((ka, kb) in self.pairs for ka in self.keys(*a) for kb in self.keys(*b))


def _is_stop(f: str, canon: str, marked: bool) -> bool:
    return (f in STOPWORDS and not marked) or canon in _MARKED_STOPWORDS


def query_terms(question: str, readings: list[str] | tuple[str, ...] = ()) -> Terms:
    """Phrases and lone words of the question and of its readings (diacritics restored, abbreviations expanded)."""
    pairs: set[tuple[Key, Key]] = set()
    singles: set[Key] = set()
    for text in (question, *readings):
        text = text or ""
        syl = _syllables(text)
        for i, (start, end, f, canon) in enumerate(syl):
            marked = text[start:end].lower() != f
            key: Key = ("c", canon) if marked else ("f", f)
            if _is_stop(f, canon, marked):
                continue
            nxt = syl[i + 1] if i + 1 < len(syl) else None
            prv = syl[i - 1] if i > 0 else None
            joined_next = nxt is not None and text[end : nxt[0]].strip() in _JOINERS and not _is_stop(
                nxt[2], nxt[3], text[nxt[0] : nxt[1]].lower() != nxt[2]
            )
            joined_prev = prv is not None and text[prv[1] : start].strip() in _JOINERS and not _is_stop(
                prv[2], prv[3], text[prv[0] : prv[1]].lower() != prv[2]
            )
            if joined_next:
                n_marked = text[nxt[0] : nxt[1]].lower() != nxt[2]
                pairs.add((key, ("c", nxt[3]) if n_marked else ("f", nxt[2])))
            lone = not joined_next and not joined_prev or (f.isdigit() and len(f) >= 2)
            upper = text[start:end].isupper() and len(f) >= 2  # an abbreviation: NHCSXH, MTTQ
            if (lone or upper) and canon not in _LONE_STOPWORDS and (marked or f not in _LONE_FOLDED):
                if f.isdigit() and len(f) < 2:
                    continue
                singles.add(key)
    return Terms(frozenset(pairs), frozenset(singles))


def _nowrap_spans(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in _NUMBER_TOKEN.finditer(text)
        if "/" in m.group() or all(any(c.isdigit() or c.isupper() for c in part) for part in re.split(r"[/-]", m.group()))
    ]


def highlight(text: str, terms: Terms) -> Markup:
    """``text`` escaped, its matching phrases and words wrapped in <mark>, document numbers kept on one line.

    Neighbouring matches separated only by spaces share one <mark>; a match inside a document
    number ("39" of "39-CT/TW") marks the whole number. Removing the tags gives back ``text`` exactly.
    """
    if not text:
        return Markup("")
    syl = _syllables(text)
    hit = [False] * len(syl)
    if terms:
        for i, (_start, end, f, canon) in enumerate(syl):
            if terms.single(f, canon):
                hit[i] = True
            if i + 1 < len(syl) and text[end : syl[i + 1][0]].strip() in _JOINERS:
                if terms.pair((f, canon), (syl[i + 1][2], syl[i + 1][3])):
                    hit[i] = hit[i + 1] = True
    tokens = _nowrap_spans(text)
    spans: list[list[int]] = []
    for i, (start, end, _f, _c) in enumerate(syl):
        if not hit[i]:
            continue
        for ts, te in tokens:  # a mark never cuts a document number in two
            if ts < end and start < te:
                start, end = min(start, ts), max(end, te)
        if spans and (start <= spans[-1][1] or text[spans[-1][1] : start].strip() in _JOINERS):
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])

    def piece(a: int, b: int) -> str:
        out, last = [], a
        for ts, te in tokens:
            if ts >= a and te <= b:
                out.append(str(escape(text[last:ts])))
                out.append('<span class="nowrap">' + str(escape(text[ts:te])) + "</span>")
                last = te
        out.append(str(escape(text[last:b])))
        return "".join(out)

    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(piece(last, start))
        out.append("<mark>" + piece(start, end) + "</mark>")
        last = end
    out.append(piece(last, len(text)))
    return Markup("".join(out))


def nowrap(text: str | None) -> Markup:
    """``text`` escaped with its document numbers kept on one line (for citations and titles)."""
    return highlight(text or "", Terms())


def report_citation(label: str, citation: str, text: str, exact: bool = True) -> str:
    """How a report quotes a clause: 'Theo điểm c khoản 1 Mục II Kế hoạch …: "…"'.

    The label keeps its own case after "Theo" ("Mục II" stays capitalised, "điểm c" does not).
    A clause that could not be verified against its source is never put in quotation marks.
    """
    if label and citation[: len(label)].lower() == label.lower():
        cited = label + citation[len(label) :]
    else:
        cited = citation[:1].lower() + citation[1:]
    if not exact:
        return f"Theo {cited} (chưa đối chiếu được với văn bản nguồn, không trích nguyên văn): {text}"
    return f'Theo {cited}: "{text}"'


_ABBREVIATION = re.compile(r"\b[A-ZĐ]{2,}[A-ZĐa-z]*\b")


def explains_abbreviation(as_written: str | None, full: str | None) -> bool:
    """Show the full name beside the name as written only when it spells out an abbreviation
    ("Chi nhánh NHCSXH tỉnh" -> "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"); two wordings of
    the same name ("các cơ quan, đơn vị, tổ chức có liên quan" / "các cơ quan, đơn vị có liên
    quan") are not listed twice."""
    if not as_written or not full or fold(as_written) == fold(full):
        return False
    return any(m.group() not in full for m in _ABBREVIATION.finditer(as_written))


def agency_names(refs: list[AgencyRef] | None) -> str:
    return ", ".join((r.as_written or r.agency or "") for r in refs or [])


# ---------------------------------------------------------------------- deadlines
def deadline_due(d: Deadline | dict[str, Any] | None) -> tuple[tuple[int, int] | None, date | None]:
    """(month, day) the deadline falls on each cycle, and its full date when it has a year: what
    :meth:`ingest.deadlines.Deadline.first_due` says of it (one definition; a stored deadline
    dict is read through the same code)."""
    if isinstance(d, dict):
        d = Deadline.model_validate({"text": "", **d})
    return d.first_due() if d is not None else (None, None)


def due_label(key: tuple[int, int] | None, full: date | None, d: Deadline | None) -> str:
    if full is not None:
        return f"{full.day}/{full.month}/{full.year}"
    if key is None:
        return ""
    label = f"{key[1]}/{key[0]}"
    recurrence = RECURRENCE_VI.get((d.recurrence if d else None) or "")
    return f"{label} {recurrence}" if recurrence else label


_BEFORE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_before(text: str) -> tuple[int, int, int | None]:
    """"30/9" -> (30, 9, None); "30/9/2025" or "2025-09-30" -> (30, 9, 2025). 422 otherwise."""
    m = _BEFORE.match(text or "")
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    elif _ISO.match(text or ""):
        y, mo, d = _ISO.match(text).groups()  # type: ignore[union-attr]
        day, month, year = int(d), int(mo), int(y)
    else:
        day = month = 0
        year = None
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29/2 is a valid day/month
    except ValueError:
        raise ApiError(
            f"Ngày không hợp lệ '{text}': nhập ngày/tháng, ví dụ 30/9 hoặc 30/9/2025.",
            f"Invalid date '{text}': use day/month, e.g. 30/9 or 30/9/2025.",
            status=422,
            code="bad_date",
        ) from None
    return day, month, year


# ---------------------------------------------------------------------- tables and exports
Column = tuple[str, str]  # (header, key)

TASK_COLUMNS: list[Column] = [
    ("Nhiệm vụ", "text"),
    ("Chủ trì", "lead"),
    ("Phối hợp", "coordinators"),
    ("Thực hiện", "performer"),
    ("Báo cáo về", "reports_to"),
    ("Thời hạn", "deadline"),
    ("Mốc thời hạn", "due"),
    ("Trích dẫn", "citation"),
    ("Liên kết", "link"),
]
AGENCY_COLUMNS: list[Column] = [
    ("Mã", "agency_id"),
    ("Cơ quan", "agency"),
    ("Tên viết trong văn bản", "names"),
    ("Cấp", "level"),
    *[(ROLES[r][:1].upper() + ROLES[r][1:], f"count_{r}") for r in ROLES],
    ("Liên kết", "link"),
]
DOCUMENT_COLUMNS: list[Column] = [
    ("Mã", "doc_id"),
    ("Loại", "doc_type"),
    ("Số", "number"),
    ("Ngày", "date"),
    ("Cơ quan ban hành", "issuer"),
    ("Trích yếu", "title"),
    ("Trạng thái", "status_vi"),
    ("Số điều khoản", "clauses"),
    ("Trích dẫn", "citation"),
    ("Liên kết", "link"),
]


def _short_text(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def task_row(task: Task, agency_id: str | None = None) -> dict[str, Any]:
    """A task as a table row: the Task's fields, rendered (due dates from its Deadline)."""
    d = task.deadline
    key, full = deadline_due(d)
    row = {
        "task_id": task.task_id,
        "clause_id": task.clause_id,
        "doc_id": task.doc_id,
        "path": task.path,
        "text": task.text,
        "lead": agency_names(task.lead),
        "coordinators": agency_names(task.coordinators),
        "performer": agency_names(task.performer),
        "reports_to": agency_names(task.reports_to),
        "deadline": (d.text if d else "") or "",
        "due": due_label(key, full, d),
        "due_key": key,
        "due_full": full,
        "citation": task.citation,
        "href": clause_href(task.doc_id, task.path),
        "link": clause_url(task.clause_id),
        "roles": [r for r in ROLES if r in (task.roles or [])],
        "advises": agency_names(task.advises),
        "short": _short_text(task.text),
        "task": task,
    }
    row["roles_vi"] = ", ".join(ROLES[r] for r in row["roles"])
    return row


def agency_row(a: Agency) -> dict[str, Any]:
    row = {
        "agency_id": a.agency_id,
        "agency": a.agency or a.agency_id,
        "names": "; ".join(n for n in a.names_as_written or [] if n),
        "level": LEVEL_VI.get(a.level or "", a.level or ""),
        "counts": a.counts or {},
        "href": agency_href(a.agency_id),
        "link": agency_href(a.agency_id),
    }
    for r in ROLES:
        row[f"count_{r}"] = row["counts"].get(r, 0)
    return row


def document_row(d: Document) -> dict[str, Any]:
    """A document as a table row: its fields, with the date and status as a reader writes them."""
    return {
        **d.model_dump(),
        "date": format_date(d.date) or "",
        "status_vi": STATUS_VI.get(d.status, d.status),
        "href": document_href(d.doc_id),
        "link": document_href(d.doc_id),
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _absolute(request: Request, value: Any, key: str) -> Any:
    if key == "link" and isinstance(value, str) and value.startswith("/"):
        return str(request.base_url).rstrip("/") + value
    return value


def _csv_safe(value: Any) -> Any:
    """Spreadsheets run a cell starting with = + - @ as a formula: such text gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_response(request: Request, fmt: str, title: str, columns: list[Column], rows: list[dict[str, Any]], filename: str) -> Response:
    """The table as .csv (UTF-8 with BOM, so Excel shows Vietnamese) or .xlsx (openpyxl)."""
    headers = [h for h, _ in columns]
    data = [[_cell(_absolute(request, row.get(k), k)) for _, k in columns] for row in rows]
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "bang"
    disposition = f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{quote(ascii_name)}.{fmt}"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(headers)
        writer.writerows([[_csv_safe(v) for v in r] for r in data])
        body = ("\ufeff" + buf.getvalue()).encode("utf-8")
        return Response(body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition})
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    # XML 1.0 cannot hold most C0 control characters (ESC, BEL... left in a clause by a scanned or
    # pasted source) and openpyxl refuses them: drop just those; every other character stays.
    data = [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r] for r in data]

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Bang"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, values in enumerate(data, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if columns[c - 1][1] == "link" and value:
                cell.hyperlink = value
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c, (_, key) in enumerate(columns, start=1):
        width = {"text": 70, "citation": 50, "title": 60, "agency": 40, "link": 40, "names": 40}.get(key, 18)
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return Response(out.getvalue(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})


def _check_format(fmt: str | None) -> str | None:
    if fmt in (None, "", "html"):
        return None
    if fmt not in EXPORT_FORMATS:
        raise ApiError(
            f"Định dạng xuất không hỗ trợ '{fmt}': chọn csv hoặc xlsx.",
            f"Unsupported export format '{fmt}': choose csv or xlsx.",
            status=422,
            code="bad_format",
        )
    return fmt


# ---------------------------------------------------------------------- the router
def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters["nowrap"] = nowrap
    env.globals.update(
        ROLES=ROLES,
        STATUS_VI=STATUS_VI,
        clause_anchor=clause_anchor,
        clause_href=clause_href,
        clause_url=clause_url,
        document_href=document_href,
        agency_href=agency_href,
        export_href=export_href,
        report_citation=report_citation,
        index_words=index_words,
        highlight=highlight,
        nowrap=nowrap,
        agency_names=agency_names,
        format_date=format_date,
    )
    return templates


_NOT_PAGES = ("/api/", "/static/", "/openapi.json", "/docs", "/redoc", "/healthz")


def is_page_request(request: Request) -> bool:
    """A person's browser asking for a page (not the JSON API, an asset, or a client asking for JSON)."""
    path = request.url.path
    if path.startswith(_NOT_PAGES) or path in ("/openapi.json", "/healthz"):
        return False
    accept = request.headers.get("accept") or ""
    return "application/json" not in accept or "text/html" in accept


def mount_web(app: FastAPI, service: Any) -> None:
    """Serve the staff pages and their static files on ``app`` (called from create_app).

    Also answers an unknown page, a wrong method or a server error on a page with an HTML page
    in the site's style; the API's paths keep their JSON errors (the handlers set up before).
    """
    from starlette.exceptions import HTTPException as StarletteHTTPException

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(make_router(service))
    templates = make_templates()
    json_http_error = app.exception_handlers.get(StarletteHTTPException)
    json_server_error = app.exception_handlers.get(Exception) or app.exception_handlers.get(500)

    def html_error(request: Request, status: int, vi: str, en: str, code: str) -> HTMLResponse:
        context = {
            "error": {"code": code, "message_vi": vi, "message_en": en},
            "status": status,
            "nav": "",
            "basket_ids": {i.clause_id for i in basket.decode(request.cookies.get(basket.COOKIE))},
            "basket_json": "",
            "here": here(request),
        }
        return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=SECURITY_HEADERS)

    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if not is_page_request(request) and json_http_error is not None:
            out = json_http_error(request, err)
            return await out if inspect.isawaitable(out) else out
        if err.status_code == 404:
            return html_error(
                request, 404,
                f"Không có trang '{request.url.path}'. Đường dẫn có thể gõ sai hoặc trang đã được chuyển.",
                f"There is no page '{request.url.path}'. The address may be mistyped or the page has moved.",
                "http_404",
            )
        if err.status_code == 405:
            return html_error(request, 405, "Trang này không nhận thao tác đó.", "This page does not accept that request method.", "http_405")
        return html_error(request, err.status_code, f"Yêu cầu bị từ chối ({err.detail}).", str(err.detail), f"http_{err.status_code}")

    async def server_error(request: Request, err: Exception) -> Response:
        vi = "Máy chủ gặp lỗi không mong đợi khi tạo trang này. Hãy thử lại; nếu vẫn lỗi, báo cho quản trị viên."
        en = "The server hit an unexpected error while making this page. Try again; if it persists, tell the administrator."
        if not is_page_request(request):
            if json_server_error is not None:  # the API's own handler, when it has one
                out = json_server_error(request, err)
                return await out if inspect.isawaitable(out) else out
            return JSONResponse({"code": "server_error", "message_vi": vi, "message_en": en}, status_code=500)
        return html_error(request, 500, vi, en, "server_error")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)


def make_router(service: Any) -> APIRouter:  # service: api.service.Tracuu
    templates = make_templates()
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        context.setdefault("nav", "")
        raw = request.cookies.get(basket.COOKIE)
        items = basket.decode(raw)
        context.setdefault("basket_ids", {i.clause_id for i in items})
        context.setdefault("basket_json", json.dumps(basket.to_json(items), ensure_ascii=False) if raw is not None else "")
        context.setdefault("here", here(request))
        return templates.TemplateResponse(request, name, context, status_code=status, headers=SECURITY_HEADERS)

    def error_page(request: Request, err: ApiError | IngestError, status: int | None = None) -> HTMLResponse:
        code = status or getattr(err, "status", 400)
        return page(request, "error.html", {"error": err.to_dict(), "status": code}, status=code)

    def web_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
        """Answer a user's mistake with an HTML page (the JSON handler is for /api)."""

        @functools.wraps(fn)
        def wrapper(request: Request, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(request, *args, **kwargs)
            except ApiError as err:
                return error_page(request, err)

        return wrapper

    # ------------------------------------------------------------------ ask
    @router.get("/")
    @web_errors
    def home(request: Request, q: str | None = None) -> Response:
        context: dict[str, Any] = {"q": q or "", "nav": "ask"}
        if q is None or not q.strip():
            return page(request, "index.html", context)
        result = service.ask(q)
        try:
            u = service.understand(result.question)
            readings = [u.text, *u.expanded]
            understood = u.text if u.was_restored else None
        except Exception:  # highlighting is a help, never a reason to fail the page
            readings, understood = [], None
        agency_ids = {fold(a.agency or ""): a.agency_id for a in service.agencies()}
        owners_by_role = []
        for role, role_vi in ROLES.items():
            owners, seen = [], set()
            for o in result.owners:
                key = agency_ids.get(fold(o.agency)) or fold(o.agency)
                if o.role != role or key in seen:
                    continue  # one agency once per role, however many ways the text names it
                seen.add(key)
                owners.append({**o.model_dump(), "agency_id": agency_ids.get(fold(o.agency)),
                               "explain": explains_abbreviation(o.as_written, o.agency)})
            if owners:
                owners_by_role.append((role_vi, owners))
        referenced = [document_row(d) for d in service.documents() if d.status == "referenced"]
        not_found_text = result.answer.split(" Các văn bản được dẫn chiếu")[0] if not result.found else ""
        context.update(
            result=result,
            terms=query_terms(result.question, readings),
            understood=understood,
            owners_by_role=owners_by_role,
            referenced=referenced,
            not_found_text=not_found_text,
        )
        return page(request, "index.html", context)

    # ------------------------------------------------------------------ documents and clauses
    @router.get("/documents")
    @web_errors
    def documents(request: Request, format: str | None = None) -> Response:
        fmt = _check_format(format)
        rows = [document_row(d) for d in service.documents()]
        if fmt:
            return export_response(request, fmt, "Văn bản", DOCUMENT_COLUMNS, rows, "van-ban")
        return page(request, "documents.html", {"rows": rows, "nav": "documents"})

    @router.get("/documents/{doc_id}")
    @web_errors
    def document(request: Request, doc_id: str) -> Response:
        doc = service.document(doc_id)
        info = service.doc_info(doc_id)
        citations: dict[str, str] = {}

        def cite(node: ClauseNode) -> str:
            if node.path not in citations:
                citations[node.path] = clause_citation(node.label, info)
            return citations[node.path]

        known = {d.doc_id: d for d in service.documents()} if doc.implements else {}
        implements = [
            {"doc_id": other, "citation": known[other].citation if other in known else other, "known": other in known}
            for other in doc.implements
        ]
        tasks_here = {t["clause_id"] for t in service.store().tasks(doc_id)}
        return page(
            request,
            "document.html",
            {"doc": document_row(doc), "tree": doc.tree, "cite": cite, "implements": implements, "task_clauses": tasks_here, "nav": "documents"},
        )

    @router.get("/related/{clause_id:path}")
    @web_errors
    def related(request: Request, clause_id: str) -> Response:
        """A clause with what it cites, what cites it, and its "căn cứ" (implements) links."""
        c = service.clause(clause_id)
        rel = service.related(clause_id)
        return page(request, "related.html", {"clause": c, "rel": rel, "nav": "documents"})

    @router.get("/clauses/{clause_id:path}")
    @web_errors
    def clause(request: Request, clause_id: str) -> Response:
        c = service.clause(clause_id)
        return RedirectResponse(clause_href(c.doc_id, c.path), status_code=303)

    # ------------------------------------------------------------------ agencies and tasks
    @router.get("/agencies")
    @web_errors
    def agencies(request: Request, format: str | None = None) -> Response:
        fmt = _check_format(format)
        rows = [agency_row(a) for a in service.agencies()]
        if fmt:
            return export_response(request, fmt, "Cơ quan", AGENCY_COLUMNS, rows, "co-quan")
        return page(request, "agencies.html", {"rows": rows, "nav": "agencies"})

    @router.get("/agencies/{agency_id}")
    @web_errors
    def agency(request: Request, agency_id: str, role: str | None = None, format: str | None = None) -> Response:
        fmt = _check_format(format)
        found = service.agency_tasks(agency_id)  # 404 for an unknown agency
        tasks = service.tasks(agency=agency_id, role=role) if role else found.tasks
        rows = [task_row(t) for t in tasks]
        agency_info = agency_row(found.agency)
        columns = [("Vai trò", "roles_vi"), *TASK_COLUMNS]
        if fmt:
            name = f"nhiem-vu-{agency_id}" + (f"-{role}" if role else "")
            return export_response(request, fmt, "Nhiệm vụ", columns, rows, name)
        return page(
            request,
            "agency.html",
            {"agency": agency_info, "rows": rows, "role": role, "nav": "agencies", "query": {"role": role} if role else {}},
        )

    @router.get("/agencies/{agency_id}/brief")
    @web_errors
    def agency_brief(request: Request, agency_id: str, format: str | None = None) -> Response:
        """What a new official of this agency must know, across every document: page, print, .docx."""
        from tracuu.api import brief as briefs

        if format not in (None, "", "html", "docx"):
            raise ApiError(
                f"Định dạng không hỗ trợ '{format}': chọn docx hoặc bỏ trống.",
                f"Unsupported format '{format}': choose docx or leave it out.",
                status=422,
                code="bad_format",
            )
        content = briefs.build(service, agency_id, task_row)
        if format == "docx":
            from tracuu.api.docx_writer import DOCX_TYPE

            name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"tom-tat-{agency_id}")
            return Response(briefs.to_docx(content), media_type=DOCX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}.docx"'})
        return page(request, "brief.html", {"brief": content, "summary": briefs.summary_line(content),
                                            "agency": agency_row(content["agency"]), "nav": "agencies"})

    def ics_response(request: Request, tasks: list[Task], name: str, filename: str) -> Response:
        from tracuu.api.calendar_feed import feed

        dates = {d.doc_id: d.date for d in service.documents()}
        body = feed(tasks, dates, name, str(request.base_url), clause_url)
        return Response(body, media_type="text/calendar; charset=utf-8", headers={"Content-Disposition": f'inline; filename="{filename}.ics"'})

    @router.get("/calendar.ics")
    @web_errors
    def calendar_all(request: Request) -> Response:
        return ics_response(request, service.tasks(), "Thời hạn nhiệm vụ (tất cả văn bản)", "thoi-han")

    @router.get("/agencies/{agency_id}/calendar.ics")
    @web_errors
    def calendar_agency(request: Request, agency_id: str) -> Response:
        found = service.agency_tasks(agency_id)
        name = f"Thời hạn nhiệm vụ — {found.agency.agency or agency_id}"
        return ics_response(request, found.tasks, name, re.sub(r"[^A-Za-z0-9._-]+", "-", f"thoi-han-{agency_id}"))

    @router.get("/deadlines")
    @web_errors
    def deadlines(request: Request, before: str | None = None, format: str | None = None) -> Response:
        fmt = _check_format(format)
        limit = parse_before(before) if before and before.strip() else None
        dated, undated = [], []
        for t in service.tasks():
            row = task_row(t)
            if row["due_key"] is None and row["due_full"] is None:
                if t.deadline:
                    undated.append(row)
                continue
            # the same code path as every other "due before" (ingest.deadlines.Deadline.due_before)
            if limit is None or (t.deadline is not None and t.deadline.due_before(*limit)):
                dated.append(row)
        dated.sort(key=lambda r: (r["due_key"] or (13, 32), r["due_full"] or date.max, r["citation"]))
        if fmt:
            name = "thoi-han" + (f"-truoc-{limit[0]}-{limit[1]}" + (f"-{limit[2]}" if limit[2] else "") if limit else "")
            return export_response(request, fmt, "Thời hạn", TASK_COLUMNS, dated, name)
        return page(
            request,
            "deadlines.html",
            {
                "rows": dated,
                "undated": undated if limit is None else [],
                "undated_count": len(undated),
                "before": (before or "").strip(),
                "limit": limit,
                "nav": "deadlines",
                "query": {"before": before.strip()} if limit else {},
            },
        )

    # ------------------------------------------------------------------ report basket
    def with_basket(response: Response, items: list[basket.Item]) -> Response:
        response.set_cookie(basket.COOKIE, basket.encode(items), max_age=365 * 24 * 3600, path="/", samesite="lax")
        return response

    def wants_json(request: Request) -> bool:
        return "application/json" in (request.headers.get("accept") or "")

    def basket_json(items: list[basket.Item]) -> dict[str, Any]:
        return {"items": basket.to_json(items), "count": len(items)}

    def form_items(form: Any) -> list[basket.Item]:
        """The basket as the basket page's form sends it (ids in order, each with its note)."""
        ids = [v for v in form.getlist("clause_id") if isinstance(v, str)]
        notes = [v for v in form.getlist("note") if isinstance(v, str)]
        return basket.parse_items([[cid, notes[k] if k < len(notes) else ""] for k, cid in enumerate(ids)])

    async def read_form(request: Request) -> Any:
        try:
            return await request.form(max_files=0, max_fields=4 * basket.MAX_ITEMS + 10)
        except Exception:
            raise ApiError("Không đọc được biểu mẫu.", "Could not read the form.", status=400, code="bad_form") from None

    @router.get("/basket")
    def basket_page(request: Request) -> Response:
        items = basket.decode(request.cookies.get(basket.COOKIE))
        rows = basket.resolve(service, items)
        docs = basket.cited_documents(service, rows)
        return page(request, "basket.html", {"rows": rows, "docs": docs, "styles": basket.STYLES, "nav": "basket"})

    @router.post("/basket/add")
    async def basket_add(request: Request) -> Response:
        items = basket.decode(request.cookies.get(basket.COOKIE))
        try:
            form = await read_form(request)
            cid = form.get("clause_id")
            if not isinstance(cid, str) or not cid.strip():
                raise ApiError("Chưa chọn điều khoản.", "No clause was chosen.", status=400, code="no_clause")
            service.clause(cid.strip())  # 404 for an unknown clause
            items = basket.add(items, cid.strip())
            basket.encode(items)  # 413 when full
        except ApiError as err:
            if wants_json(request):
                return JSONResponse(err.to_dict(), status_code=err.status)
            return error_page(request, err)
        if wants_json(request):
            return with_basket(JSONResponse(basket_json(items)), items)
        nxt = form.get("next")
        return with_basket(RedirectResponse(safe_next(nxt if isinstance(nxt, str) else None), status_code=303), items)

    @router.post("/basket/update")
    async def basket_update(request: Request) -> Response:
        try:
            form = await read_form(request)
            items = basket.apply(form_items(form), str(form.get("op") or "save"))
            basket.encode(items)
        except ApiError as err:
            return error_page(request, err)
        return with_basket(RedirectResponse("/basket", status_code=303), items)

    @router.post("/basket/restore")
    async def basket_restore(request: Request) -> Response:
        """JavaScript hands back the basket it kept in localStorage when the cookie is gone."""
        try:
            items = basket.parse_items(await request.json())
            basket.encode(items)
        except ApiError as err:
            return JSONResponse(err.to_dict(), status_code=err.status)
        except ValueError:
            err = ApiError("Giỏ trích dẫn không hợp lệ.", "Invalid basket.", status=400, code="bad_basket")
            return JSONResponse(err.to_dict(), status_code=400)
        return with_basket(JSONResponse(basket_json(items)), items)

    def basket_file(items: list[basket.Item], fmt: str, style: str, title: str) -> Response:
        basket.check_choice(fmt, style)
        rows = basket.resolve(service, items)
        if not any(not r["missing"] for r in rows):
            raise ApiError("Giỏ trích dẫn đang trống.", "The report basket is empty.", status=400, code="basket_empty")
        name = "trich-dan"
        if fmt == "docx":
            from tracuu.api.docx_writer import DOCX_TYPE

            body, media = basket.to_docx(service, rows, style, title), DOCX_TYPE
        else:
            body, media = basket.to_text(service, rows, style, title).encode("utf-8"), "text/plain; charset=utf-8"
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})

    @router.post("/basket/export")
    async def basket_export(request: Request) -> Response:
        """The basket page's export buttons: the items and notes as the form holds them, unsaved edits too."""
        try:
            form = await read_form(request)
            items = form_items(form) if form.getlist("clause_id") else basket.decode(request.cookies.get(basket.COOKIE))
            return basket_file(items, str(form.get("format") or "docx"), str(form.get("style") or "ngoac"), str(form.get("title") or "")[:200])
        except ApiError as err:
            return error_page(request, err)

    @router.get("/basket/export")
    @web_errors
    def basket_export_get(request: Request, format: str = "docx", style: str = "ngoac") -> Response:
        return basket_file(basket.decode(request.cookies.get(basket.COOKIE)), format, style, "")

    # ------------------------------------------------------------------ upload
    def upload_context(**extra: Any) -> dict[str, Any]:
        settings = http_settings()
        return {
            "nav": "upload",
            "writes_enabled": bool(settings.api_key),
            "max_mb": f"{settings.max_upload_mb:g}",
            **extra,
        }

    @router.get("/upload")
    def upload_page(request: Request) -> Response:
        return page(request, "upload.html", upload_context())

    @router.post("/upload")
    async def upload_form(request: Request) -> Response:
        """The no-JavaScript path: the same checks and the same ingest as POST /api/documents
        (api.uploads.accept_upload); the key comes in the form field api_key, before the file."""
        try:
            report = await accept_upload(
                request, service, authorization=request.headers.get("authorization"),
                x_api_key=request.headers.get("x-api-key"), key_field="api_key",
            )
        except ClientGone:
            return Response(status_code=400, headers={"Connection": "close"})
        except (ApiError, IngestError) as err:
            status = getattr(err, "status", 400)
            headers = {**SECURITY_HEADERS, **(getattr(err, "headers", None) or {})}
            ctx = upload_context(error=err.to_dict(), status=status)
            ctx.update(basket_ids=set(), basket_json="", here=here(request))
            return templates.TemplateResponse(request, "upload.html", ctx, status_code=status, headers=headers)
        return page(request, "upload.html", upload_context(report=report), status=201)

    return router


__all__ = ["mount_web", "make_router", "clause_anchor", "clause_fragment", "clause_href", "highlight", "report_citation"]
