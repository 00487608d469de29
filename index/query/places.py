"""The provinces and cities a question names, and whether a text names them too.

Why: "Ai chủ trì xây dựng cơ sở dữ liệu quy hoạch của thành phố Đà Nẵng?" reads like a question
the Hồ Chí Minh City plan answers word for word — only the place differs, and the place is one
or two syllables of a long question, so word coverage barely moves. A question that names a
locality is answered only by a document about that locality (its title, issuer or text name it).

Names: the 34 provinces of ``ingest/data/agencies.toml`` and the former provinces and large
cities of ``index/data/places.toml``; short forms ("TP.HCM") from ``index/data/ask_intents.toml``.
Matched with diacritics when the question has them, folded when it was typed without.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from tracuu.index.query.ask_intent import with_place_aliases
from tracuu.ingest.vntext import fold, has_diacritics, nfc

DATA = Path(__file__).resolve().parent.parent / "data" / "places.toml"
PROVINCES = Path(__file__).resolve().parents[2] / "ingest" / "data" / "agencies.toml"


def _spaced(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text)) + " "


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    """Every place name, lowercase NFC, longest first."""
    names: set[str] = set()
    if PROVINCES.exists():
        names.update(tomllib.loads(PROVINCES.read_text(encoding="utf-8")).get("matching", {}).get("provinces", ()))
    if DATA.exists():
        names.update(tomllib.loads(DATA.read_text(encoding="utf-8")).get("former_provinces", {}).get("names", ()))
    cleaned = {" ".join(re.findall(r"\w+", nfc(n).lower())) for n in names}
    cleaned.discard("thành phố hồ chí minh")  # "Hồ Chí Minh" covers it
    return tuple(sorted((n for n in cleaned if n), key=len, reverse=True))


def named_places(question: str) -> list[str]:
    """The places ``question`` names, folded ("da nang"), each once, in no particular order."""
    text = nfc(question or "").lower()
    accented = has_diacritics(text)
    body = _spaced(text) if accented else " " + with_place_aliases(" ".join(re.findall(r"\w+", fold(text)))) + " "
    if accented:  # short forms are written without marks: "TP.HCM", "tphcm"
        body += with_place_aliases(" ".join(re.findall(r"[\w.]+", fold(text)))) + " "
    found: list[str] = []
    for name in place_names():
        key = name if accented else fold(name)
        if f" {key} " in body or (accented and f" {fold(name)} " in body and fold(name) in _aliased(text)):
            folded = fold(name)
            if not any(folded in f for f in found):
                found.append(folded)
    return found


def _aliased(text: str) -> str:
    """The places a question writes in short form ("TP.HCM" -> "ho chi minh"), folded."""
    raw = " ".join(re.findall(r"[\w.]+", fold(text)))
    spelled = with_place_aliases(raw)
    return spelled if spelled != raw else ""


def missing_places(question: str, text: str) -> list[str]:
    """Places the question names that ``text`` (a clause read with its document's header) does not."""
    places = named_places(question)
    if not places:
        return []
    body = _spaced(fold(text or ""))
    return [p for p in places if f" {p} " not in body]
