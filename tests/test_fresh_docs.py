"""bench/fresh_docs.py: status of the fresh sets' documents and restoring one from a raw file.

All texts here are SYNTHETIC (placeholder agencies "tỉnh A", "Sở X"); no real document is used.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.fresh_docs import conversion_mode, main, sha256_text

# A gazette-like raw text: the page header and the lone-space line occur more than once, so the
# cut's first and last lines alone do not say which span was kept (the sha256 does).
GAZETTE_RAW = (
    "CÔNG BÁO/Số 1/Ngày 01-01-2026 \n10\n \n"
    "Điều 1. Tỉnh A ban hành kế hoạch mẫu. \n \n"
    "CÔNG BÁO/Số 1/Ngày 01-01-2026 \n11\n \n"
    "Điều 2. Sở X chủ trì, phối hợp với Sở Y thực hiện trước ngày 01/6/2026. \n"
    " \n"
    "Nguyễn Văn A \n"
    " \n"
)
GAZETTE_DOC = (
    "CÔNG BÁO/Số 1/Ngày 01-01-2026 \n11\n \n"
    "Điều 2. Sở X chủ trì, phối hợp với Sở Y thực hiện trước ngày 01/6/2026. \n"
    " \n"
    "Nguyễn Văn A \n"
    " \n"
)

# A crawler-like Markdown raw text (MODE unwrap): a bold heading over two lines, wrapped paragraphs.
CRAWLER_RAW = (
    "**I. MỤC ĐÍCH**\n\nNội dung\nmẫu.\n\n"
    "**II. TỔ CHỨC\nTHỰC HIỆN**\n\n"
    "1. Sở X chủ trì\ntriển khai kế hoạch.\n\n"
    "2. UBND cấp xã phối hợp\nthực hiện./.\n\n"
    "|\nNơi nhận:\n|\n"
)
CRAWLER_DOC = "II. TỔ CHỨC THỰC HIỆN\n\n1. Sở X chủ trì triển khai kế hoạch.\n\n2. UBND cấp xã phối hợp thực hiện./.\n"


def entry(file: str, doc: str, conversion: str | None) -> dict:
    lines = doc.split("\n")[:-1]
    out = {"file": file, "repo": "owner/repo", "path": "x.txt", "commit": "0" * 40, "range": "synthetic",
           "sha256": sha256_text(doc), "chars": len(doc), "cut": {"first_line": lines[0], "last_line": lines[-1]}}
    if conversion is not None:
        out["conversion"] = conversion
    return out


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    d = tmp_path / "fresh"
    d.mkdir()
    (d / "set-g.sources.json").write_text(json.dumps({"documents": [entry("01-g.txt", GAZETTE_DOC, None)]}), encoding="utf-8")
    (d / "set-c.sources.json").write_text(json.dumps([entry("01-c.txt", CRAWLER_DOC, "unwrap")]), encoding="utf-8")
    return d


def run(fresh: Path, extra: Path, *args: str) -> int:
    return main(["--extra", str(extra), "--fresh-dir", str(fresh), *args])


@pytest.mark.parametrize(("raw_text", "doc", "expected"), [
    (GAZETTE_RAW, "set-g/01-g.txt", GAZETTE_DOC),  # verbatim: the span with the recorded sha256
    (CRAWLER_RAW, "set-c/01-c.txt", CRAWLER_DOC),  # unwrap: converted, then cut
])
def test_restore_writes_the_recorded_document(fresh: Path, tmp_path: Path, raw_text: str, doc: str,
                                              expected: str) -> None:
    raw = tmp_path / "doc.raw"
    raw.write_text(raw_text, encoding="utf-8")
    extra = tmp_path / "extra"
    assert run(fresh, extra, "--raw", str(raw), "--doc", doc) == 0
    set_name, _, file = doc.partition("/")
    assert (extra / set_name / "docs" / file).read_text(encoding="utf-8") == expected


def test_restore_writes_nothing_when_a_character_differs(fresh: Path, tmp_path: Path) -> None:
    raw = tmp_path / "g.raw"
    raw.write_text(GAZETTE_RAW.replace("01/6/2026", "02/6/2026"), encoding="utf-8")
    extra = tmp_path / "extra"
    assert run(fresh, extra, "--raw", str(raw), "--doc", "set-g/01-g.txt") == 1
    assert not (extra / "set-g" / "docs" / "01-g.txt").exists()


def test_status_ok_missing_different(fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "extra"
    assert run(fresh, extra) == 1
    assert "set-g: 1 missing" in capsys.readouterr().out
    for name, file, text in (("set-g", "01-g.txt", GAZETTE_DOC), ("set-c", "01-c.txt", CRAWLER_DOC)):
        (extra / name / "docs").mkdir(parents=True)
        (extra / name / "docs" / file).write_text(text, encoding="utf-8")
    assert run(fresh, extra) == 0
    (extra / "set-c" / "docs" / "01-c.txt").write_text(CRAWLER_DOC + "\n", encoding="utf-8")
    assert run(fresh, extra) == 1
    out = capsys.readouterr().out
    assert "set-g: 1 ok" in out and "different: 01-c.txt" in out


def test_conversion_field_forms() -> None:
    assert conversion_mode(None) == "none"
    assert conversion_mode("none (verbatim, NFC; line ends, trailing spaces kept)") == "none"
    assert conversion_mode("hard (bench/tvpl_convert.py RAW hard OUT)") == "hard"
    assert conversion_mode("unwrap") == "unwrap"
    # described in words only: the status report still checks it by sha256, restore says to convert by hand
    assert conversion_mode("mechanical: heading markers dropped; NFC") == "manual"
