"""Cue phrases are taken out of a question whatever order they come in (the order of a set
changes with each process, PYTHONHASHSEED): two overlapping cues of the same length left a
different word behind, and the same question named another document from one run to the next.

The phrases below are made up for the test (folded Vietnamese words), not taken from a document.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

from tracuu.index.query.ask_intent import _without_phrases


def test_overlapping_cues_leave_the_same_words_in_any_order():
    spaced = " de an thu nghiem co hieu luc tu ngay nao "
    cues = ["co hieu luc tu", "hieu luc tu ngay", "ngay nao"]
    results = {" ".join(_without_phrases(spaced, list(order)).split()) for order in itertools.permutations(cues)}
    assert results == {"de an thu nghiem"}


def test_a_cue_inside_a_word_is_not_taken():
    assert " ".join(_without_phrases(" hieu luc tuan ", ["hieu luc tu"]).split()) == "hieu luc tuan"


def test_title_words_do_not_depend_on_the_hash_seed():
    code = ("from tracuu.index.query.ask_intent import title_words;"
            "print(title_words('nghi quyet de an thu nghiem co hieu luc tu ngay nao'))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in range(4)}
    assert len(outs) == 1
