"""The generated syllable inventory and the syllable anatomy helpers."""

from __future__ import annotations

import re

import pytest
from tracuu.index.query.syllables import (
    COMMON_SYLLABLES_FILE,
    all_syllables,
    candidates,
    common_ranks,
    compose,
    is_syllable,
    match_case,
    retone,
    split_syllable,
)
from tracuu.ingest.vntext import fold, nfc

from conftest import BUNDLED_PLAN, shared_fixture

# Tokens of the two training texts that are not Vietnamese syllables: markdown layout words of
# the synthetic fixture and user names in its signature block. Vowel-less abbreviations (UBND is
# not one — it has a u) and roman numerals are recognised by rule below.
KNOWN_NON_SYLLABLES = {
    "ubnd", "ub", "source", "docx", "pdf", "txt", "header", "sign", "section", "landscape", "table",
    "br", "left", "right", "rows", "widths", "split", "pthoanh", "ptmai",
}  # fmt: skip
_ROMAN = re.compile(r"[ivxlc]+")


def test_inventory_size_is_plausible():
    n = len(all_syllables())
    assert 12_000 < n < 25_000, n


@pytest.mark.parametrize(
    ("syllable", "parts"),
    [
        ("hòa", ("h", "oa", 1)),
        ("gìn", ("gi", "in", 1)),
        ("giếng", ("gi", "iêng", 2)),
        ("quốc", ("qu", "ôc", 2)),
        ("quý", ("qu", "y", 2)),
        ("người", ("ng", "ươi", 1)),
        ("yên", ("", "yên", 0)),
        ("của", ("c", "ua", 3)),
    ],
)
def test_split_syllable(syllable, parts):
    assert split_syllable(syllable) == parts
    assert compose(*parts) == syllable


@pytest.mark.parametrize(
    ("typed", "old", "new"),
    [("hoà", "hòa", "hoà"), ("thuỷ", "thủy", "thuỷ"), ("khoẻ", "khỏe", "khoẻ"), ("ngoài", "ngoài", "ngoài"),
     ("ngừơi", "người", "người"), ("khuỷu", "khuỷu", "khuỷu"), ("hoàn", "hoàn", "hoàn"), ("quả", "quả", "quả")],
)  # fmt: skip
def test_tone_placement(typed, old, new):
    assert retone(typed) == old
    assert retone(typed, "new") == new


def test_stop_finals_take_only_sac_and_nang():
    assert set(candidates("quyet")) == {"quyết", "quyệt"}
    assert "tìch" not in all_syllables() and "tích" in all_syllables() and "tịch" in all_syllables()
    assert set(candidates("hoc")) == {"học", "hóc", "hộc", "hốc"}


def test_spelling_rules():
    assert "kê" in all_syllables() and "cê" not in all_syllables()
    assert "ghế" in all_syllables() and "gế" not in all_syllables()
    assert "nghĩ" in all_syllables() and "ngĩ" not in all_syllables()
    assert "ca" in all_syllables() and "ka" not in all_syllables()
    assert is_syllable("Hoà") and is_syllable("UỶ") and not is_syllable("ubnd")


def test_folded_candidates():
    assert "tỷ" in candidates("ty") and "tý" in candidates("ty")
    assert "đường" in candidates("duong") and "dương" in candidates("duong")
    assert candidates("nhcsxh") == ()


def test_match_case():
    assert match_case("Chi", "chí") == "Chí"
    assert match_case("BAO", "báo") == "BÁO"
    assert match_case("bao", "báo") == "báo"


def test_common_list_is_valid_and_loaded():
    assert COMMON_SYLLABLES_FILE.exists()
    ranks = common_ranks()
    assert len(ranks) > 1000
    for line in COMMON_SYLLABLES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for word in line.split():
            assert word == nfc(word) and word in all_syllables(), word
    assert ranks["thời"] == 0 and ranks["không"] == 0


def test_every_syllable_of_the_training_texts_is_in_the_inventory():
    """Sanity check of the phonotactics against real and synthetic text; exceptions are printed."""
    exceptions: dict[str, int] = {}
    for path in (BUNDLED_PLAN, shared_fixture(".md")):
        for word in re.findall(r"[a-zà-ỹđ]+", nfc(path.read_text(encoding="utf-8")).lower()):
            if not is_syllable(word):
                exceptions[word] = exceptions.get(word, 0) + 1
    print("\nnot syllables:", dict(sorted(exceptions.items(), key=lambda kv: -kv[1])))
    unexplained = {
        w
        for w in exceptions
        if w not in KNOWN_NON_SYLLABLES
        and not _ROMAN.fullmatch(w)
        and any(ch in "aăâeêioôơuưy" for ch in fold(w))  # vowel-less tokens are abbreviations
    }
    assert not unexplained, unexplained
