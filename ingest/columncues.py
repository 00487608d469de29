"""The cue words that name a task table's columns, read once from ``ingest/data/agencies.toml``.

Why a module of its own: three readers must agree on which column holds the task and which holds
nothing to read — the appendix parser (which cell is a row's text), the flattened-table loader
(which kind each column is, so a row's lines are cut into the right cells) and the task reader
(``ingest.tasks.column_roles``). They all read [column_cues]; this module gives the first two the
same words, folded, without loading the whole gazetteer.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Sequence

from tracuu.ingest.vntext import fold

__all__ = ["all_cue_words", "cue_words", "task_column", "verb_phrases"]


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    from tracuu.ingest.agencies import AGENCIES_FILE

    data = tomllib.loads(AGENCIES_FILE.read_text(encoding="utf-8")).get("column_cues", {})
    return {k: tuple(fold(w).lower() for w in v) for k, v in data.items() if isinstance(v, list)}


def cue_words(role: str) -> tuple[str, ...]:
    """Folded, lower-case cue words of one role of [column_cues] ("task", "lead", "skip" …)."""
    return _cues().get(role, ())


@lru_cache(maxsize=1)
def all_cue_words() -> tuple[str, ...]:
    """Every cue word of [column_cues], of any role, folded and lower case: a header line holding
    none of them names no column of its own."""
    return tuple(w for words in _cues().values() for w in words)


def task_column(names: Sequence[str], first_words: Sequence[str] = ()) -> int | None:
    """The index of the task column among ``names``: the first named by one of ``first_words``, else
    the first named by a task cue of [column_cues]; a column named by a skip cue ("Tỉnh kiến nghị":
    who proposed, not what) is never the task. None when no column is named so."""
    skip = cue_words("skip")
    for words in (tuple(first_words), cue_words("task")):
        for k, name in enumerate(names):
            f = fold(name).lower()
            if any(w in f for w in words) and not any(w in f for w in skip):
                return k
    return None


@lru_cache(maxsize=1)
def verb_phrases() -> tuple[str, ...]:
    """The phrases of two words or more of [matching].name_stop_words (lower case, NFC, diacritics
    kept): the verbs that end a name ("ban hành", "tổ chức", "triển khai"), so that a cell opening
    with one ("Ban hành hướng dẫn …") is read as a task, not as a body whose head word is "Ban"."""
    from tracuu.ingest.agencies import AGENCIES_FILE
    from tracuu.ingest.vntext import nfc

    words = tomllib.loads(AGENCIES_FILE.read_text(encoding="utf-8")).get("matching", {}).get("name_stop_words", [])
    return tuple(sorted({nfc(w).lower() for w in words if len(w.split()) > 1}, key=lambda w: (-len(w), w)))
