"""The ``tracuu`` command line, in-process (fast) and once as the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tracuu.api.cli import main

PLAN = "kh-an-giang-ct-39"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_returns_point_c_first(kb, capsys):
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "search", "tỷ lệ nợ quá hạn", "--json")
    assert code == 0
    top = json.loads(out)["results"][0]
    assert top["path"] == "II.1.c"
    assert top["text"] == "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ."


def test_search_plain_output_names_the_citation(kb, capsys):
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "search", "nợ quá hạn", "-k", "2")
    assert code == 0
    assert "Điểm c khoản 1 Mục II Kế hoạch" in out


def test_documents_and_show(kb, capsys):
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "documents")
    assert code == 0
    assert "39-CT/TW" in out and "chưa nạp" in out
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "show", f"{PLAN}:II.1.đ", "--json")
    assert code == 0
    assert json.loads(out)["label"] == "điểm đ khoản 1 Mục II"


def test_show_unknown_clause_fails_clearly(kb, capsys):
    code, _, err = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "show", "khong:co")
    assert code != 0
    assert "Không tìm thấy" in err and "No clause" in err


def test_reingest_embeds_nothing(kb, capsys):
    code, out, _ = run_cli(capsys, "--data-dir", str(kb.settings.data_dir), "ingest", "--json")
    assert code == 0
    (report,) = json.loads(out)
    assert report["unchanged"] is True and report["embedded_new"] == 0


def test_ingest_reports_each_file_and_fails_on_bad_one(tmp_path, capsys):
    bad = tmp_path / "rong.txt"
    bad.write_text("   \n")
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "ingest", str(bad))
    assert code == 1
    assert "LỖI" in out and "rong.txt" in out


def test_console_script_is_installed(kb):
    """README installs the project with pip, which puts `tracuu` beside the interpreter."""
    exe = os.path.join(os.path.dirname(sys.executable), "tracuu")
    r = subprocess.run(
        [exe, "--data-dir", str(kb.settings.data_dir), "documents", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert any(d["doc_id"] == PLAN for d in json.loads(r.stdout))


def test_serve_ingests_the_bundled_corpus_into_an_empty_data_dir(tmp_path, capsys, monkeypatch):
    """`tracuu serve` on a fresh machine: install + serve is the main job."""
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "serve", "--port", "8765")
    assert code == 0
    assert "kh-an-giang-ct-39" in out
    assert served["port"] == 8765 and served["app"].state.service.is_empty() is False


def test_a_missing_model_is_said_in_both_languages(tmp_path, capsys):
    code, _, err = run_cli(capsys, "--data-dir", str(tmp_path / "d"), "--model", str(tmp_path / "khong-co"), "search", "nợ")
    assert code == 1
    assert "Lỗi:" in err and "Error:" in err
