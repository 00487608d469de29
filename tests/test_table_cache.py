"""The language tables kept between processes (index/query/table_cache.py): the same tables as
built in memory, rebuilt when a source changes or the stored file is damaged, safe when several
processes build and read at once, and never a reason for a query to fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tracuu.index.query import abbreviations, syllables, table_cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path):
    table_cache.configure(tmp_path / "cache")
    yield tmp_path / "cache"
    table_cache.configure(None)


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_without_a_directory_it_builds_and_stores_nothing(tmp_path):
    table_cache.configure(None)
    build, calls = counting({"a": 1})
    assert table_cache.cached("t", [], build) == {"a": 1}
    assert table_cache.cached("t", [], build) == {"a": 1}
    assert len(calls) == 2


def test_stored_once_then_read_without_building(cache, tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("một", encoding="utf-8")
    build, calls = counting({"x": (1, 2), "y": frozenset({"a"})})
    first = table_cache.cached("t", [src], build)
    second = table_cache.cached("t", [src], build)
    assert first == second == {"x": (1, 2), "y": frozenset({"a"})}
    assert len(calls) == 1
    assert (cache / "t.table").is_file()


def test_a_changed_added_or_removed_source_rebuilds(cache, tmp_path):
    src, extra = tmp_path / "src.txt", tmp_path / "extra.txt"
    src.write_text("một", encoding="utf-8")
    built = []
    table_cache.cached("t", [src, extra], lambda: built.append("v1") or "v1")
    src.write_text("hai", encoding="utf-8")  # edited
    assert table_cache.cached("t", [src, extra], lambda: built.append("v2") or "v2") == "v2"
    extra.write_text("ba", encoding="utf-8")  # a missing source appears
    assert table_cache.cached("t", [src, extra], lambda: built.append("v3") or "v3") == "v3"
    extra.unlink()  # and goes again
    assert table_cache.cached("t", [src, extra], lambda: built.append("v4") or "v4") == "v4"
    assert table_cache.cached("t", [src, extra], lambda: built.append("v5") or "v5") == "v4"  # stored
    assert built == ["v1", "v2", "v3", "v4"]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_file_is_rebuilt_and_rewritten(cache, tmp_path, damage):
    value = {"k": list(range(1000))}
    build, calls = counting(value)
    table_cache.cached("t", [], build)
    path = cache / "t.table"
    raw = path.read_bytes()
    path.write_bytes({"truncated": raw[: len(raw) // 2], "flipped": raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:],
                      "empty": b"", "garbage": os.urandom(len(raw))}[damage])
    assert table_cache.cached("t", [], build) == value
    assert len(calls) == 2
    assert path.read_bytes() == raw  # rewritten whole
    assert table_cache.cached("t", [], build) == value and len(calls) == 2


def test_a_stored_value_of_another_shape_is_rebuilt(cache):
    table_cache.cached("t", [], lambda: [1, 2, 3])

    def decode(v):
        if not isinstance(v, dict):
            raise TypeError("not a dict")
        return v

    assert table_cache.cached("t", [], lambda: {"a": 1}, decode=decode) == {"a": 1}


def test_an_unwritable_directory_still_answers(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    table_cache.configure(blocker / "cache")  # mkdir fails: a file is in the way
    try:
        build, calls = counting("v")
        assert table_cache.cached("t", [], build) == "v"
        assert table_cache.cached("t", [], build) == "v"
        assert len(calls) == 2
    finally:
        table_cache.configure(None)


def test_the_real_tables_from_the_cache_equal_the_built_ones(cache):
    """What a query sees is the same whether the tables were built now or read back."""
    for _ in range(2):  # first call stores, second reads
        enumerated = table_cache.cached("syllables", syllables._CODE_SOURCES, syllables._build_enumerated,
                                        decode=syllables._checked_enumerated)
        assert enumerated == syllables._build_enumerated()
        ranks = table_cache.cached("syllable_ranks", (*syllables._CODE_SOURCES, syllables.COMMON_SYLLABLES_FILE),
                                   syllables._build_common_ranks, decode=syllables._checked_ranks)
        assert ranks == syllables._build_common_ranks()
    assert {p.name for p in cache.iterdir()} == {"syllables.table", "syllable_ranks.table"}
    abbreviations.default_table.cache_clear()
    try:
        for _ in range(2):
            abbreviations.default_table.cache_clear()
            table = abbreviations.default_table()
            assert table.entries == abbreviations.load_table().entries
            assert table._by_first == abbreviations.load_table()._by_first
        assert (cache / "abbreviations.table").is_file()
    finally:
        abbreviations.default_table.cache_clear()


_WORKER = """
import sys
from pathlib import Path
from tracuu.index.query import table_cache
table_cache.configure(Path(sys.argv[1]))
want = {str(i): tuple(range(i % 50)) for i in range(3000)}
for round in range(40):
    got = table_cache.cached("shared", [Path(sys.argv[2])], lambda: want)
    assert got == want, "a reader saw a partial or wrong table"
    if round % 5 == 0:  # force rebuilds racing with reads: a damaged file is rebuilt and renamed over
        p = Path(sys.argv[1]) / "shared.table"
        try:
            p.write_bytes(p.read_bytes()[:100])
        except OSError:
            pass
print("ok")
"""


def test_several_processes_building_and_reading_at_once(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("nguồn", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(tmp_path / "cache"), str(src)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and out.strip() == "ok", err[-2000:]
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]  # no temporary file left
    table_cache.configure(tmp_path / "cache")
    try:
        assert table_cache.cached("shared", [src], lambda: None) == {str(i): tuple(range(i % 50)) for i in range(3000)}
    finally:
        table_cache.configure(None)


def test_the_service_keeps_tables_out_of_the_data_dir(tmp_path, monkeypatch):
    """TRACUU_CACHE_DIR (default ~/.cache/tracuu): opening a data dir and querying writes no table into it."""
    from conftest import hash_kb

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    svc = hash_kb(tmp_path / "data")
    try:
        assert table_cache.directory() == tmp_path / "xdg" / "tracuu"
        syllables._enumerated.cache_clear()
        try:
            svc.understand("ubnd tinh bao cao")
        finally:
            syllables._enumerated.cache_clear()
        assert (tmp_path / "xdg" / "tracuu" / "syllables.table").is_file()
        assert not list((tmp_path / "data").rglob("*.table"))
    finally:
        table_cache.configure(None)
