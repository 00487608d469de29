"""The command line in plain Vietnamese: help (argparse's own words too), summaries, progress, no tracebacks."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest
from tracuu.api.cli import build_parser, format_ingest_report, main, role_code
from tracuu.ingest.shapes import IngestReport

from conftest import ROOT


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _parsers():
    p = build_parser()
    yield "tracuu", p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


ENGLISH_ONLY = ("usage:", "positional arguments:", "\noptions:", "show this help message and exit\n")


@pytest.mark.parametrize("name,parser", list(_parsers()), ids=lambda x: x if isinstance(x, str) else "")
def test_help_is_vietnamese_and_documents_every_option(name, parser):
    text = parser.format_help()
    assert text.startswith("Cách dùng (usage): ")
    for english in ENGLISH_ONLY:
        assert english not in text, (name, english)
    assert "tùy chọn (options):" in text
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        assert "(" in action.help and ")" in action.help, (name, action.dest, "English in brackets")


def test_argparse_errors_are_translated(capsys):
    with pytest.raises(SystemExit) as info:
        main(["search"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "lỗi (error): thiếu tham số bắt buộc" in err and "Cách dùng (usage)" in err
    with pytest.raises(SystemExit):
        main(["search", "nợ", "-k", "nhiều"])
    assert "không phải số hợp lệ" in capsys.readouterr().err


def test_roles_in_vietnamese():
    assert role_code("chủ trì") == "lead" and role_code("chu-tri") == "lead" and role_code("Phối hợp") == "coordinator"
    assert role_code("nhận báo cáo") == "reports_to" and role_code("lead") == "lead" and role_code(None) is None


def test_tasks_role_in_vietnamese(kb, capsys):
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "tasks", "--role", "chủ trì", "--json")
    assert code == 0
    assert json.loads(out) == [t.to_json() for t in kb.tasks(role="lead")]  # the CLI prints the Task shapes


@pytest.mark.parametrize("content", [None, "{không phải json\n", '{"khong": 1}\n', ""])
def test_eval_on_missing_or_malformed_file_has_no_traceback(kb, capsys, tmp_path, content):
    path = tmp_path / "cau-hoi.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "eval", str(path))
    assert code == 1
    assert "Lỗi:" in err and "Error:" in err and "Traceback" not in err


def test_eval_totals_leaves_out_the_failure_list(kb, capsys, tmp_path):
    """A held-out set is run with --totals: its figures, never its failing questions, are shown."""
    path = tmp_path / "giu-lai.jsonl"
    question = {"id": "q-x-01", "question": "Tỷ lệ nợ quá hạn là bao nhiêu?", "answerable": True,
                "anchors": ["không câu nào chứa chuỗi này"]}
    path.write_text(json.dumps(question, ensure_ascii=False) + "\n", encoding="utf-8")
    base = ("--data-dir", str(kb.settings.data_dir), "eval", str(path))
    code, full, _ = run_cli(capsys, *base)
    assert code == 0 and "failures (1)" in full and "q-x-01" in full
    code, totals, _ = run_cli(capsys, *base, "--totals")
    assert code == 0 and "hit@1" in totals and "answerable refused" in totals
    assert "failures" not in totals and "q-x-01" not in totals


def test_tasks_into_head_is_quiet(kb):
    """`tracuu tasks | head -1`: the reader stops early; no BrokenPipeError traceback."""
    cmd = f"{sys.executable} -m tracuu.api.cli --data-dir {kb.settings.data_dir} tasks | head -1"
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.stdout.count("\n") == 1
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr


def test_ingest_summary_in_plain_words_with_progress(tmp_path, capsys):
    from conftest import BUNDLED_PLAN

    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "d"), "ingest", str(BUNDLED_PLAN))
    assert code == 0
    assert "33 điều khoản, 3 trang; đã lập chỉ mục 33 đoạn mới." in out
    assert "Tổng cộng (total): đã nạp 1 tệp" in out
    assert "Đang nạp tệp 1/1" in err and "đoạn đã lập chỉ mục" in err  # progress, on stderr
    assert "đã đọc 3 trang, 33 điều khoản; đang lập chỉ mục" in err
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "d"), "ingest", "-q", str(BUNDLED_PLAN))
    assert "không có gì thay đổi" in out and err == ""


def test_report_words():
    r = IngestReport(status="ok", path="a.txt", doc_id="a", clauses=5, tables=0, pages=2, ocr_pages=1,
                     embedded_new=2, reused=3, removed=1, unchanged=False, warnings=[])
    line = format_ingest_report(r)
    assert "5 điều khoản, 2 trang (trong đó 1 trang quét, đọc bằng OCR)" in line
    assert "đã lập chỉ mục 2 đoạn mới, giữ nguyên 3 đoạn không đổi, bỏ 1 đoạn không còn trong văn bản" in line
