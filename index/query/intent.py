"""Questions answered from a document's structure rather than by similarity.

"Kế hoạch này do ai ký?", "gửi cho những cơ quan nào?", "số hiệu, ngày ban hành?", "điểm c
khoản 1 Mục II nói gì?": the answer is the signature block, the recipients, the header or one
clause by path. Similarity search ranks these parts poorly (they share few words with the
question), so we detect them on folded text and answer from structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracuu.index.query.ask_intent import asks_sent_to
from tracuu.ingest.vntext import fold

# Folded cue phrases; the first group that matches wins. Order matters: "ai ky" before "ban hanh".
_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signer", ("ai ky", "nguoi ky", "ky ban hanh", "chu ky", "ky ten", "ky ke hoach", "ky quyet dinh", "ky van ban", "nguoi ky",
                "ky thay", "ky thua lenh")),
    ("recipients", ("noi nhan", "gui cho nhung", "gui den nhung", "gui toi nhung", "duoc gui cho", "duoc gui den", "gui nhung co quan", "co quan nao nhan",
                    "gui nhung ai", "gui cho ai", "gui den ai", "gui toi ai", "gui nhung noi", "gui nhung don vi")),
    ("issuer", ("co quan nao ban hanh", "ai ban hanh", "do ai ban hanh", "don vi ban hanh", "co quan ban hanh")),
    ("basis", ("thuc hien quyet dinh nao", "trien khai quyet dinh nao", "thuc hien chi thi nao", "trien khai chi thi nao",
               "thuc hien van ban nao", "trien khai van ban nao", "can cu vao dau", "can cu van ban nao", "can cu nao",
               "dua tren van ban nao")),
    ("number_date", ("so hieu", "so ky hieu", "ngay ban hanh", "ban hanh ngay nao", "ban hanh khi nao", "ban hanh vao ngay")),
)

# "Kế hoạch X có được gửi Báo Y không?": whether a document went to someone is its recipient
# list; "Báo cáo có được gửi về Sở X không?" is a task (the subject is no document).
_SENT_TO = re.compile(r"^(?:\S+\s+){0,2}(?:ke hoach|quyet dinh|van ban|chi thi|cong van|thong bao|nghi quyet|cong dien)"
                      r"\b(?:\s+\S+){0,8}?\s+co duoc gui\b(?!\s+(?:ve|bao cao))")

# "chữ ký số" (a digital signature) is a subject of plans, not a question about who signed.
_NOT_CUES = re.compile(r"\bchu ky (?:so|dien tu)\b")

_ROMAN = r"(?=[ivx])(?:x{0,3}(?:ix|iv|v?i{0,3}))"
_LETTER = r"[a-n]|dd?"
_PATH_RE = re.compile(
    rf"\b(?:diem\s+(?P<diem>{_LETTER})\s+)?(?:khoan\s+(?P<khoan>\d+)\s+)?"
    rf"(?:(?:muc|phan)\s+(?P<muc>{_ROMAN})\b|dieu\s+(?P<dieu>\d+)\b)"
)
_ROW_RE = re.compile(r"\b(?:nhiem vu|dong|muc)\s+(?:so\s+)?(?P<row>\d+)\s+(?:cua\s+|tai\s+|trong\s+)?phu luc\b")


@dataclass(frozen=True)
class StructuralIntent:
    kind: str  # "signer" | "recipients" | "issuer" | "basis" | "number_date" | "clause_path"
    path: str | None = None  # for clause_path: "II.1.c", "D3", "PL.5"


def _letter(folded_letter: str, original: str, start: int) -> str:
    """The point letter as written: "d" folded may be "đ" in the question."""
    if folded_letter in ("d", "dd"):
        written = original[start : start + 1].lower()
        return "đ" if written == "đ" or folded_letter == "dd" else "d"
    return folded_letter


def detect_intent(question: str) -> StructuralIntent | None:
    """The structural question asked, if any (works with or without diacritics)."""
    question = " ".join(question.split())
    folded = fold(question)  # same length as question: offsets carry over
    cued = _NOT_CUES.sub(" ", folded)
    for kind, cues in _CUES:
        if any(re.search(rf"\b{re.escape(c)}\b", cued) for c in cues):
            return StructuralIntent(kind)
    if _SENT_TO.search(" ".join(re.findall(r"\w+", folded))) or asks_sent_to(question):
        return StructuralIntent("recipients")  # "… gửi những tập đoàn nào", "… gửi bộ nào", "… có gửi Bộ X không"
    row = _ROW_RE.search(folded)
    if row:
        return StructuralIntent("clause_path", f"PL.{row.group('row')}")
    m = _PATH_RE.search(folded)
    if m and (m.group("muc") or m.group("dieu")):
        head = m.group("muc").upper() if m.group("muc") else f"D{m.group('dieu')}"
        parts = [head]
        if m.group("khoan"):
            parts.append(m.group("khoan"))
            if m.group("diem"):
                parts.append(_letter(m.group("diem"), question, m.start("diem")))
        elif m.group("diem"):
            return None  # "điểm c Mục II" names no khoản: not a path we can trust
        return StructuralIntent("clause_path", ".".join(parts))
    return None
