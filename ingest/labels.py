"""Vietnamese labels for clauses: "điểm đ khoản 1 Mục II", "đoạn không đánh số thứ nhất Mục III".

Why labels are built from parts: a label names the item and then every enclosing item, inner
to outer, the way Vietnamese drafting cites them ("điểm a khoản 1 Điều 3"). Each node keeps its
own part; the full label is the chain of parts, plus a suffix for an attached document
("... Kế hoạch ban hành kèm theo").
"""

from __future__ import annotations

ORDINALS: tuple[str, ...] = (
    "thứ nhất",
    "thứ hai",
    "thứ ba",
    "thứ tư",
    "thứ năm",
    "thứ sáu",
    "thứ bảy",
    "thứ tám",
    "thứ chín",
    "thứ mười",
)

HEADING_MAX = 120


def ordinal(n: int) -> str:
    """1 -> "thứ nhất" ... 10 -> "thứ mười"; beyond ten "thứ 11" (what drafters write)."""
    return ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else f"thứ {n}"


_PARTS = {
    "phan": "Phần {}",
    "chuong": "Chương {}",
    "muc_chuong": "Mục {}",
    "tieu_muc": "tiểu mục {}",
    "muc": "Mục {}",
    "dieu": "Điều {}",
    "khoan": "khoản {}",
    "diem": "điểm {}",
    "gach_dau_dong": "gạch đầu dòng thứ {}",
    "dau_cong": "dấu cộng thứ {}",
}


def own_part(kind: str, value: str) -> str:
    """The label of one node without its ancestors."""
    if kind in _PARTS:
        return _PARTS[kind].format(value)
    if kind == "doan_khong_danh_so":
        return f"đoạn không đánh số {ordinal(int(value))}"
    raise ValueError(f"no label part for kind {kind!r}")


def full_label(parts: list[str], suffix: str = "") -> str:
    """Join own parts, innermost first: ["điểm a", "khoản 1", "Mục I"] -> "điểm a khoản 1 Mục I"."""
    label = " ".join(p for p in parts if p)
    return f"{label} {suffix}".strip() if suffix else label


def preamble_label(n: int, suffix: str = "") -> str:
    return full_label([f"đoạn {n} phần mở đầu"], suffix)


def appendix_suffix(numeral: str | None) -> str:
    """"Phụ lục" for the only appendix, "Phụ lục II" when there are several."""
    return f"Phụ lục {numeral}" if numeral else "Phụ lục"


def appendix_group_label(numeral: str, appendix: str) -> str:
    return f"nhóm {numeral} {appendix}"


def appendix_row_label(number: str, appendix: str, group: str | None = None) -> str:
    """"nhiệm vụ số 5 Phụ lục"; with ``group`` when numbering restarts in each group."""
    within = f" nhóm {group}" if group else ""
    return f"nhiệm vụ số {number}{within} {appendix}"


def appendix_para_label(n: int, appendix: str) -> str:
    return f"đoạn không đánh số {ordinal(n)} {appendix}"


def heading_text(marker: str, text: str) -> str:
    """A heading for ``heading_chain``: marker and first line, cut to about 120 characters."""
    first = text.split("\n", 1)[0]
    full = f"{marker} {first}".strip() if marker else first
    if len(full) <= HEADING_MAX:
        return full
    return full[: HEADING_MAX - 1].rstrip() + "…"
