"""bench/fresh_overlap.py: a fresh document that is a copy of a realdocs document is found, whatever
its layout, and unrelated texts are not.

All texts here are SYNTHETIC (placeholder agencies "tỉnh A", "Sở X"); no real document is used.
"""

from __future__ import annotations

from pathlib import Path

from bench.fresh_overlap import fingerprint, heldout_prefixes, matches, overlap

PLAN = (
    "Kế hoạch mẫu của Ủy ban nhân dân tỉnh A về chuyển đổi số năm 2026. "
    "1. Sở X chủ trì, phối hợp với Sở Y xây dựng cơ sở dữ liệu dùng chung của tỉnh, hoàn thành trong quý III/2026. "
    "2. Sở Y chủ trì tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã, thực hiện hằng năm. "
    "3. Ủy ban nhân dân các xã, phường triển khai nền tảng số tại bộ phận một cửa, báo cáo trước ngày 15/12 hằng năm."
)
OTHER = (
    "Kế hoạch mẫu của Ủy ban nhân dân tỉnh B về phòng, chống thiên tai. "
    "1. Sở Z chủ trì kiểm tra hồ chứa trước mùa mưa lũ, hoàn thành trong tháng 5/2026. "
    "2. Ban Chỉ huy tỉnh B phối hợp các huyện diễn tập ứng phó, thực hiện hằng năm."
)


def _rewrap(text: str, width: int) -> str:
    """The same words, another layout: a PDF text layer's short lines, capitals kept."""
    words = text.split()
    return "\n".join(" ".join(words[k : k + width]) for k in range(0, len(words), width))


def test_same_text_in_another_layout_and_case_is_found() -> None:
    gazette = _rewrap(PLAN, 5).upper()
    assert overlap(fingerprint(PLAN), fingerprint(gazette)) == 1.0


def test_a_page_range_of_a_document_counts_whole() -> None:
    words = PLAN.split()
    part = " ".join(words[20:60])
    assert overlap(fingerprint(part), fingerprint(PLAN)) == 1.0


def test_unrelated_plans_of_the_same_shape_do_not_overlap() -> None:
    assert overlap(fingerprint(PLAN), fingerprint(OTHER)) < 0.1


def test_text_without_diacritics_is_the_same_text() -> None:
    from tracuu.ingest.vntext import fold

    assert overlap(fingerprint(fold(PLAN)), fingerprint(PLAN)) == 1.0


def test_matches_names_only_the_copy(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "901-kh-mau-tinh-a.txt").write_text(PLAN, encoding="utf-8")
    (real / "902-kh-mau-tinh-b.txt").write_text(OTHER, encoding="utf-8")
    fresh = tmp_path / "01-candidate.txt"
    fresh.write_text(_rewrap(PLAN, 7), encoding="utf-8")
    found = matches([fresh], sorted(real.glob("*.txt")), 0.3)
    assert [(f.name, r.name[:3]) for f, r, _ in found] == [("01-candidate.txt", "901")]


def test_heldout_prefixes_read_from_the_split_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("| split | documents |\n| --- | --- |\n| tune | 901 902 |\n| heldout | 903 904 |\n",
                      encoding="utf-8")
    assert heldout_prefixes(readme) == {"903", "904"}
