"""Older Vietnamese 8-bit font encodings (TCVN3 "ABC" and VNI-Windows) turned into Unicode.

Why: documents typed before Unicode was the norm (with .VnTime or VNI-Times fonts) still arrive as
.txt, .doc and .docx files. Read as they are they give "KÕ ho¹ch" or "Keá hoaïch": text that loads
and then matches nothing. The tables live in ``ingest/data/legacy_encodings.toml``; this module
only applies them:

* :func:`decode_run` converts a string in a known encoding (a Word run whose font is .VnTime or
  VNI-Times: :func:`font_encoding` names the encoding from the font name);
* :func:`detect` picks, for a text whose font is unknown (a .txt), the reading with the most
  common Vietnamese syllables, and says which encoding it was, or None when the text already
  reads as Unicode Vietnamese.

A legacy file is converted once on the way in; everything after (offsets, citations) is the
Unicode text, NFC.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tracuu.ingest.vntext import nfc

DATA_FILE = Path(__file__).resolve().parent / "data" / "legacy_encodings.toml"

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_NAMES = {TCVN3: "TCVN3 (.VnTime)", VNI: "VNI (VNI-Times)"}

_MARKS = {
    "grave": "\u0300",
    "acute": "\u0301",
    "hook": "\u0309",
    "tilde": "\u0303",
    "dot": "\u0323",
    "circumflex": "\u0302",
    "breve": "\u0306",
}
_VNI_BASES = frozenset("aeiouyAEIOUYơưƠƯ")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Tables:
    tcvn3: dict[str, str]  # one character (the byte as Windows-1252/Latin-1) -> the letter
    vni_single: dict[str, str]
    vni_marks: dict[str, str]  # the mark character -> combining marks to add
    tcvn3_prefixes: tuple[str, ...]
    tcvn3_upper_suffix: str
    vni_prefixes: tuple[str, ...]
    syllables: frozenset[str]


def _byte_char(hex_code: str) -> str:
    return bytes([int(hex_code, 16)]).decode("latin-1")


@functools.lru_cache(maxsize=1)
def tables() -> _Tables:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    tcvn3 = {_byte_char(k): v for k, v in data["tcvn3"].items()}
    single: dict[str, str] = {}
    for k, v in data["vni"]["single"].items():
        single[_byte_char(k)] = v
        single[bytes([int(k, 16) - 0x20]).decode("latin-1")] = v.upper()
    marks: dict[str, str] = {}
    for k, names in data["vni"]["marks"].items():
        combining = "".join(_MARKS[n] for n in names)
        marks[_byte_char(k)] = combining
        marks[bytes([int(k, 16) - 0x20]).decode("latin-1")] = combining
    fonts = data["fonts"]
    return _Tables(
        tcvn3=tcvn3,
        vni_single=single,
        vni_marks=marks,
        tcvn3_prefixes=tuple(fonts["tcvn3_prefixes"]),
        tcvn3_upper_suffix=fonts["tcvn3_upper_suffix"],
        vni_prefixes=tuple(fonts["vni_prefixes"]),
        syllables=frozenset(nfc(s) for s in data["detect"]["syllables"].split()),
    )


# ---------------------------------------------------------------------- fonts
def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, capitals font) for a legacy font name, None for a Unicode font.

    ".VnTime" -> ("tcvn3", False); ".VnTimeH" -> ("tcvn3", True); "VNI-Times" -> ("vni", False).
    """
    if not font:
        return None
    name = font.strip().lower()
    t = tables()
    if name.startswith(t.tcvn3_prefixes):
        return TCVN3, name.endswith(t.tcvn3_upper_suffix)
    if name.startswith(t.vni_prefixes):
        return VNI, False
    return None


# ---------------------------------------------------------------------- decoding
def _tcvn3(text: str, upper: bool = False) -> str:
    table = tables().tcvn3
    out = "".join(table.get(ch, ch) for ch in text)
    return out.upper() if upper else out


def _tcvn3_guess_case(text: str) -> str:
    """TCVN3 text of unknown font: a line whose plain letters are all capitals was typed in the
    capitals font ("KÕ HO¹CH" -> "KẾ HOẠCH"), so its converted letters become capitals too."""
    out = []
    for line in text.splitlines(keepends=True):
        plain = [c for c in line if c.isascii() and c.isalpha()]
        converted = _tcvn3(line)
        out.append(converted.upper() if len(plain) >= 3 and all(c.isupper() for c in plain) else converted)
    return "".join(out)


def _vni(text: str) -> str:
    t = tables()
    out: list[str] = []
    for ch in text:
        if out and ch in t.vni_marks and out[-1][-1:] in _VNI_BASES:
            out[-1] = unicodedata.normalize("NFC", out[-1] + t.vni_marks[ch])
            continue
        out.append(t.vni_single.get(ch, ch))
    return nfc("".join(out))


def decode_run(text: str, encoding: str, upper: bool = False) -> str:
    """``text`` in ``encoding`` (tcvn3 or vni) as Unicode NFC; ``upper`` for a capitals font."""
    if encoding == TCVN3:
        return nfc(_tcvn3(text, upper))
    if encoding == VNI:
        out = _vni(text)
        return out.upper() if upper else out
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def decode_text(text: str, encoding: str) -> str:
    """A whole text of unknown fonts: TCVN3 guesses capitals word by word, VNI carries its own case."""
    if encoding == TCVN3:
        return nfc(_tcvn3_guess_case(text))
    return decode_run(text, encoding)


def score(text: str) -> int:
    """How many common Vietnamese syllables ``text`` holds: the measure of which reading is right."""
    known = tables().syllables
    return sum(1 for w in _WORD.findall(text.lower()) if w in known)


def detect(text: str) -> str | None:
    """The legacy encoding ``text`` is written in, or None when it already reads as Vietnamese.

    ``text`` is the file's characters as Windows-1252/Latin-1 (or a Unicode text that may hold
    such characters). Each reading is scored by the common syllables it contains; a legacy
    reading must find at least 3 and beat the text as it is by half again.
    """
    if not any("\u00a0" <= ch <= "\u00ff" for ch in text):
        return None
    as_is = score(text)
    best, best_score = None, as_is
    for enc in (TCVN3, VNI):
        s = score(decode_text(text, enc))
        if s >= 3 and s > best_score and s >= 1.5 * as_is:
            best, best_score = enc, s
    return best


__all__ = ["TCVN3", "VNI", "ENCODING_NAMES", "decode_run", "decode_text", "detect", "font_encoding", "score"]
