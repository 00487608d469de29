"""Administrative synonyms: "nợ xấu" is what the plan calls "nợ quá hạn".

Why: paraphrase is the retrieval miss that neither diacritic restoration nor abbreviation
expansion fixes. The groups are data (index/data/query_synonyms.toml) an official can extend.
Matching is on folded text, so an unaccented question finds its synonyms too.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from tracuu.ingest.vntext import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "query_synonyms.toml"


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    if not DATA.exists():
        return ()
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return tuple(tuple(g["phrases"]) for g in data.get("group", []))


def synonym_readings(text: str) -> list[str]:
    """The question re-written with each synonym of each phrase it contains (original excluded)."""
    folded = fold(text)  # same length as text: spans carry over
    readings: list[str] = []
    for group in synonym_groups():
        for phrase in group:
            m = re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", folded)
            if not m:
                continue
            for other in group:
                if other != phrase:
                    readings.append(text[: m.start()] + other + text[m.end() :])
            break
    combined = text
    for group in synonym_groups():  # every phrase swapped at once: "nợ quá hạn … kiểm soát"
        for phrase in group:
            m = re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", fold(combined))
            if m:
                other = next(o for o in group if o != phrase)
                combined = combined[: m.start()] + other + combined[m.end() :]
                break
    if combined != text and combined not in readings:
        readings.append(combined)
    return readings


def annotate_synonyms(text: str) -> str:
    """The question with its synonyms in brackets, for the embedder: "nợ xấu (nợ quá hạn)"."""
    folded = fold(text)
    extra = []
    for group in synonym_groups():
        present = [p for p in group if re.search(rf"(?<!\w){re.escape(fold(p))}(?!\w)", folded)]
        if present:
            extra += [p for p in group if p not in present]
    return f"{text} ({'; '.join(extra)})" if extra else text
