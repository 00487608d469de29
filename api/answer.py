"""Extractive answers: who / what / by when, built only from the cited clauses.

Nothing here writes new facts. The answer quotes the clause, names the owners and deadline that
the task extractor found in that same clause, and cites it. When retrieval finds nothing that
covers the question, the answer says so instead of quoting the nearest clause.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.api.tasks_view import ROLES, canonical_name, roles_of
from tracuu.ingest.shapes import Deadline, Document, Hit, Owner
from tracuu.ingest.vntext import fold

_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|ban nao|nganh nao|chu tri|phu trach|chiu trach nhiem|trach nhiem)\b")
_WHEN = re.compile(r"\b(khi nao|bao gio|ngay nao|thoi han|han chot|han|thoi gian|truoc ngay|luc nao|nam nao|quy nao)\b")


def asks_who(question: str) -> bool:
    return bool(_WHO.search(fold(question)))


def asks_when(question: str) -> bool:
    return bool(_WHEN.search(fold(question)))


def owner(ref: dict[str, Any], role: str) -> Owner:
    """The owner of an answer: a stored task's agency mention in one role (its gazetteer name, as written)."""
    name = canonical_name(ref)
    return Owner(agency=name, as_written=ref.get("name") or name, role=role, role_vi=ROLES[role])


def owners_of(tasks: list[dict[str, Any]]) -> list[Owner]:
    """The agencies the tasks name, in the order the clause names them, each (agency, role) once."""
    out: list[Owner] = []
    seen = set()
    for task in tasks:
        for role, ref in roles_of(task):
            found = owner(ref, role)
            if (found.agency, role) not in seen:
                seen.add((found.agency, role))
                out.append(found)
    return out


def lead_names(owners: list[Owner], role: str = "lead") -> str:
    """The owners in one role, as written, comma separated."""
    return ", ".join(o.as_written for o in owners if o.role == role)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def quote(hit: Hit) -> str:
    """«exact text»; a clause that could not be verified against its source is never shown as a quote."""
    if hit.exact:
        return f"«{hit.text}»"
    return f"(chưa đối chiếu được với văn bản nguồn, không phải trích dẫn nguyên văn / not verified against the source) {hit.text}"


def compose(question: str, hit: Hit, owners: list[Owner], deadline: Deadline | None) -> str:
    """The answer sentence(s): owners and deadline first when asked, then the quote and its citation."""
    parts: list[str] = []
    lead = lead_names(owners)
    if lead and (asks_who(question) or not asks_when(question)):
        parts.append(f"Cơ quan chủ trì: {lead}.")
        for role, words in (("coordinator", "Phối hợp"), ("performer", "Thực hiện"), ("advised", "Tham mưu cho"), ("reports_to", "Báo cáo về"), ("via", "Qua")):
            names = lead_names(owners, role)
            if names:
                parts.append(f"{words}: {names}.")
    if deadline:
        parts.insert(0 if asks_when(question) else len(parts), f"Thời hạn: {deadline.text}.")
    parts.append(f"Theo {lower_first(hit.citation)}: {quote(hit)}")
    return " ".join(parts)


def section_text(heading: Hit, points: list[Hit], more: int = 0) -> str:
    """A part of a document asked for as a whole ("Kế hoạch 160 có yêu cầu gì?"): its heading
    quoted and cited, then each of its cited points quoted with its label, one a line, and how
    many more it has."""
    lines = [f"Theo {lower_first(heading.citation)}: {quote(heading)}"]
    lines += [f"- {p.label}: {quote(p)}" for p in points]
    if more > 0:
        lines.append(f"(và {more} điểm khác của phần này)")
    return "\n".join(lines)


def not_found_answer(referenced: list[str]) -> str:
    text = "Không tìm thấy nội dung trả lời câu hỏi này trong các văn bản đã nạp."
    if referenced:
        text += " Các văn bản được dẫn chiếu nhưng chưa nạp toàn văn: " + "; ".join(referenced) + "."
    return text


def structural_answer(kind: str, hits: list[Hit], docs: dict[str, Document]) -> str:
    """Signer / recipients / issuer / number and date / a clause by path, one sentence per document."""
    parts = []
    for hit in hits:
        doc = docs[hit.doc_id]
        name = doc.citation
        if kind == "signer":
            s = doc.signer or {}
            who = ", ".join(x for x in (s.get("authority"), s.get("capacity"), s.get("position")) if x)
            parts.append(f"{name} do {s.get('name') or 'không rõ'} ({who}) ký.")
        elif kind == "recipients":
            parts.append(f"{name} gửi: {'; '.join(doc.recipients)}.")
        elif kind == "issuer":
            parts.append(f"{name} do {doc.issuer or 'không rõ'} ban hành.")
        elif kind == "basis":
            refs = "; ".join(r.text for r in hit.references) or "không nêu"
            parts.append(f"{name} căn cứ / thực hiện: {refs}. Trích {lower_first(hit.citation)}: {quote(hit)}")
        elif kind == "number_date":
            parts.append(f"{name}: số {doc.number or 'không ghi số'}, ngày {doc.date or 'không ghi ngày'}.")
        else:
            parts.append(f"{hit.citation}: {quote(hit)}")
    if len(parts) > 1:  # one document per line, clearly separated
        return "\n".join(f"— {p}" for p in parts)
    return " ".join(parts)


# --------------------------------------------------------------------------- choosing and close calls

#: How far below the best fused score a clause whose task names the owner / deadline may sit and
#: still be preferred for a "who" / "by when" question (fused scores lie in [0, 1]).
PREFER_MARGIN = 0.15
PREFER_WITHIN = 3


def prefer(scored: list, wanted, within: int = PREFER_WITHIN, margin: float = PREFER_MARGIN) -> list:
    """``scored`` with the first of its top ``within`` hits satisfying ``wanted`` moved to the front,
    when it scores within ``margin`` of the best (a who-question answered by a clause that names
    nobody is a worse answer than the runner-up that names the owner)."""
    if not scored or wanted(scored[0]):
        return scored
    for i, s in enumerate(scored[1:within], 1):
        if wanted(s) and scored[0].score - s.score <= margin:
            return [s, *scored[:i], *scored[i + 1 :]]
    return scored


def _related(a, b) -> bool:
    """One clause contains the other (a point and its khoản say the same thing)."""
    pa, pb = a.clause.path, b.clause.path
    return a.clause.doc_id == b.clause.doc_id and (pa.startswith(pb + ".") or pb.startswith(pa + "."))


def close_calls(scored: list, margin: float) -> list[int]:
    """Indices of the hits after the first whose fused score is within ``margin`` of it: answers
    the system cannot tell apart, to be shown beside the first. At most one, so that an
    official sees "this, or perhaps that", not a list."""
    if len(scored) < 2 or margin <= 0:
        return []
    best = scored[0]
    for i, s in enumerate(scored[1:3], 1):
        if best.score - s.score <= margin and not _related(best, s) and s.clause.text != best.clause.text:
            return [i]
    return []


def alternatives_text(alternatives: list[Hit]) -> str:
    """The close runner-up, quoted and cited, said plainly to be a second possibility."""
    return "".join(f" Chưa chắc chắn: một điều khoản khác cũng sát câu hỏi — theo {lower_first(hit.citation)}: «{hit.text}»"
                   for hit in alternatives)
