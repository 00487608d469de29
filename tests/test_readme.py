"""README's two commands are what CI runs: keep them in step."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.startswith("python3.11 -m venv")]
    assert len(commands) == 2
    for command in commands:
        assert command in readme
