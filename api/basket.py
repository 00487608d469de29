"""The report basket (giỏ trích dẫn): clauses an official gathers for a report, then takes away.

Why it is held by the browser and not the server: a basket belongs to one person writing one
report, needs no account, and must work without JavaScript. So it lives in a cookie (an ordered
list of clause ids with the official's notes), which plain HTML forms update; with JavaScript the
same list is mirrored in localStorage, so it survives a cleared cookie or a reload.

Items hold clause ids (``doc_id:path``), never text: the quote and its citation are read from the
store when the basket is shown or exported, so they are always the exact source text. A clause id
stays valid when the same document is ingested again (its doc id comes from its number or the
manifest, its path from its structure); an id that no longer resolves is shown as such, not lost.

Exports: .docx (Times New Roman 13, each quote with its full citation, as a bracket after the quote
or as a footnote, and a "Căn cứ" list of the documents cited) and plain text.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from tracuu.api.errors import ApiError

COOKIE = "tracuu_gio"
MAX_ITEMS = 40
MAX_NOTE = 400
MAX_COOKIE_CHARS = 3800  # browsers keep at least 4096 bytes per cookie, name and attributes included
STYLES = {"ngoac": "trích dẫn trong ngoặc sau mỗi đoạn", "chu-thich": "chú thích cuối trang"}
FORMATS = ("docx", "txt")


@dataclass
class Item:
    clause_id: str
    note: str = ""


# ---------------------------------------------------------------------- the cookie
def decode(raw: str | None) -> list[Item]:
    """The basket from its cookie value; a damaged or foreign value is an empty basket."""
    if not raw:
        return []
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error):
        return []
    return parse_items(data)


def parse_items(data: Any) -> list[Item]:
    """Items from JSON ``[[clause_id, note], ...]`` (the cookie and localStorage share it)."""
    items: list[Item] = []
    seen: set[str] = set()
    if not isinstance(data, list):
        return []
    for entry in data[:MAX_ITEMS]:
        if isinstance(entry, str):
            entry = [entry, ""]
        if not isinstance(entry, list) or not entry or not isinstance(entry[0], str):
            continue
        cid = entry[0].strip()[:300]
        note = entry[1] if len(entry) > 1 and isinstance(entry[1], str) else ""
        if cid and cid not in seen:
            seen.add(cid)
            items.append(Item(cid, note.strip()[:MAX_NOTE]))
    return items


def to_json(items: list[Item]) -> list[list[str]]:
    return [[i.clause_id, i.note] for i in items]


def encode(items: list[Item]) -> str:
    raw = json.dumps(to_json(items), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    value = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    if len(value) > MAX_COOKIE_CHARS:
        raise ApiError(
            "Giỏ trích dẫn đã đầy: hãy xuất văn bản, bớt điều khoản hoặc rút ngắn ghi chú.",
            "The report basket is full: export it, remove clauses or shorten the notes.",
            status=413,
            code="basket_full",
        )
    return value


# ---------------------------------------------------------------------- editing
def add(items: list[Item], clause_id: str) -> list[Item]:
    if any(i.clause_id == clause_id for i in items):
        return items
    if len(items) >= MAX_ITEMS:
        raise ApiError(
            f"Giỏ trích dẫn chỉ chứa tối đa {MAX_ITEMS} điều khoản.",
            f"The report basket holds at most {MAX_ITEMS} clauses.",
            status=413,
            code="basket_full",
        )
    return [*items, Item(clause_id)]


def apply(items: list[Item], op: str) -> list[Item]:
    """``op`` is "up:N", "down:N", "remove:N" (N the 0-based position), "clear" or "save"."""
    items = list(items)
    name, _, pos = op.partition(":")
    if name == "clear":
        return []
    if name in ("up", "down", "remove"):
        try:
            n = int(pos)
        except ValueError:
            n = -1
        if not 0 <= n < len(items):
            return items
        if name == "remove":
            del items[n]
        elif name == "up" and n > 0:
            items[n - 1], items[n] = items[n], items[n - 1]
        elif name == "down" and n < len(items) - 1:
            items[n + 1], items[n] = items[n], items[n + 1]
    return items


# ---------------------------------------------------------------------- resolving and exporting
def resolve(service: Any, items: list[Item]) -> list[dict[str, Any]]:
    """Each item with its clause (text, citation, document) or ``missing`` when it no longer resolves."""
    out = []
    for i in items:
        try:
            clause = service.clause(i.clause_id)
        except ApiError:
            out.append({"clause_id": i.clause_id, "note": i.note, "missing": True})
            continue
        out.append({**clause.model_dump(), "note": i.note, "missing": False})
    return out


def cited_documents(service: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The documents the quotes come from, in order of first use, as their full citation."""
    from tracuu.api.citations import document_name

    seen: list[str] = []
    for r in rows:
        if not r["missing"] and r["doc_id"] not in seen:
            seen.append(r["doc_id"])
    return [document_name(service.doc_info(d)) for d in seen]


def quote_line(row: dict[str, Any]) -> str:
    return f"“{row['text']}”"


def to_docx(service: Any, rows: list[dict[str, Any]], style: str, title: str = "") -> bytes:
    from tracuu.api import docx_writer as w

    doc = w.new_document()
    w.heading(doc, title or "TỔNG HỢP TRÍCH DẪN VĂN BẢN", upper=True)
    rows = [r for r in rows if not r["missing"]]
    docs = cited_documents(service, rows)
    if docs:
        w.paragraph(doc, "Căn cứ:", bold=True)
        for k, name in enumerate(docs):
            w.paragraph(doc, f"- {name}" + (";" if k < len(docs) - 1 else "."), italic=True)
    for n, r in enumerate(rows, start=1):
        head = w.paragraph(doc, justify=False)
        run = head.add_run(f"{n}. {r['citation']}")
        run.bold = True
        if r.get("page"):
            head.add_run(f" (trang {r['page']})")
        p = w.paragraph(doc, quote_line(r), indent=True)
        if style == "chu-thich":
            w.add_footnote(doc, p, r["citation"] + ".")
        else:
            p.add_run(f" [{r['citation']}]")
        if r["note"]:
            w.paragraph(doc, f"Ghi chú: {r['note']}", italic=True)
    return w.to_bytes(doc)


def to_text(service: Any, rows: list[dict[str, Any]], style: str, title: str = "") -> str:
    rows = [r for r in rows if not r["missing"]]
    lines = [(title or "TỔNG HỢP TRÍCH DẪN VĂN BẢN").upper(), ""]
    docs = cited_documents(service, rows)
    if docs:
        lines.append("Căn cứ:")
        lines += [f"- {name}" + (";" if k < len(docs) - 1 else ".") for k, name in enumerate(docs)]
        lines.append("")
    for n, r in enumerate(rows, start=1):
        lines.append(f"{n}. {r['citation']}" + (f" (trang {r['page']})" if r.get("page") else ""))
        lines.append(quote_line(r) + (f" [{n}]" if style == "chu-thich" else f" [{r['citation']}]"))
        if r["note"]:
            lines.append(f"Ghi chú: {r['note']}")
        lines.append("")
    if style == "chu-thich" and rows:
        lines.append("Chú thích:")
        lines += [f"[{n}] {r['citation']}." for n, r in enumerate(rows, start=1)]
    return "\n".join(lines).rstrip() + "\n"


def check_choice(fmt: str, style: str) -> None:
    if fmt not in FORMATS:
        raise ApiError(
            f"Định dạng xuất không hỗ trợ '{fmt}': chọn docx hoặc txt.",
            f"Unsupported export format '{fmt}': choose docx or txt.",
            status=422,
            code="bad_format",
        )
    if style not in STYLES:
        raise ApiError(
            f"Kiểu trích dẫn không hỗ trợ '{style}': chọn ngoac hoặc chu-thich.",
            f"Unsupported citation style '{style}': choose ngoac (brackets) or chu-thich (footnotes).",
            status=422,
            code="bad_style",
        )


__all__ = ["COOKIE", "Item", "decode", "encode", "parse_items", "add", "apply", "resolve", "to_docx", "to_text"]
