"""One call that turns a typed query into what each retriever should search with.

Why a single entry point: the steps depend on each other in a fixed order — clean first (so
restoration and matching see one spelling of quotes, dashes and accents), restore diacritics
next (so abbreviation long forms and the dense retriever see real Vietnamese), then expand
abbreviations and list spelling variants. Retrievers should not each redo this differently.

What each retriever gets (:class:`SearchTexts`):
  * dense: the best reading (restored if needed) with long forms of abbreviations in brackets
    ("nhcsxh (ngân hàng chính sách xã hội) tỉnh") — embeddings need the words, not the letters —
    in lowercase, so that the case a question is typed in does not change what it finds.
  * keyword: every distinct reading — as typed, restored, abbreviations expanded and contracted,
    i/y variants — since the keyword index folds, only readings that fold differently are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracuu.index.query.synonyms import annotate_synonyms, synonym_readings
from tracuu.ingest.vntext import fold, has_diacritics

from .abbreviations import AbbreviationMatch, AbbreviationTable, default_table
from .clean import clean_query
from .variants import canonical_spelling, variant_forms

if TYPE_CHECKING:
    from .restore import DiacriticRestorer

#: The most characters any one retriever is sent, after abbreviations are written out: a query of
#: 2 000 characters of abbreviations grows five-fold when expanded, and BM25 and the embedder pay
#: for every one of them. Readings beyond the budget are dropped (the first is kept, cut).
MAX_KEYWORD_CHARS = 4000


#: A query whose words carry marks at least this often was typed with diacritics: the words it
#: leaves plain ("Sơn La", "gửi qua", "cử tri", "ma túy") are plain on purpose, and restoring them
#: only does harm ("Sơn Là", "gửi quả"). Accented Vietnamese leaves 10-40% of its syllables
#: unmarked; a query with marks on only some words ("báo cao tinh hinh thực hiện") is restored.
ACCENTED_SHARE = 0.55
_WORD = re.compile(r"[^\W\d_]+")


def typed_with_diacritics(text: str) -> bool:
    """At least :data:`ACCENTED_SHARE` of the query's words (not ALL-CAPS abbreviations) carry marks."""
    words = [w for w in _WORD.findall(text or "") if not (len(w) > 1 and w.isupper())]
    if not words:
        return False
    return sum(has_diacritics(w) for w in words) / len(words) >= ACCENTED_SHARE


def _bounded(texts: list[str], budget: int = MAX_KEYWORD_CHARS) -> tuple[str, ...]:
    """The first texts whose " | "-joined length fits ``budget``; the first one is cut to fit."""
    out: list[str] = []
    used = 0
    for t in texts:
        room = budget - used - (3 if out else 0)
        if room <= 0:
            break
        if len(t) > room:
            if out:
                break
            t = t[:room]
        out.append(t)
        used += len(t) + (3 if len(out) > 1 else 0)
    return tuple(out)


@dataclass(frozen=True)
class SearchTexts:
    """The strings to hand to the retrievers."""

    dense: str
    keyword: str  # the readings of ``keyword_variants`` joined by " | " (the keyword index dedupes terms)
    keyword_variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryUnderstanding:
    """Everything learned about one query; ``text`` is the reading to show and embed."""

    original: str
    cleaned: str
    restored: str | None  # the restored reading, None when nothing was restored
    text: str  # restored if there is one, else cleaned
    expanded: tuple[str, ...]  # ``text`` with abbreviations expanded / contracted (``text`` itself excluded)
    canonical: str  # ``text`` in canonical spelling, for matching against canonicalised passages
    search_texts: SearchTexts
    had_diacritics: bool  # the cleaned query had at least one mark
    was_restored: bool  # restoration changed at least one syllable
    abbreviations: tuple[AbbreviationMatch, ...] = field(default=())

    @property
    def abbreviations_found(self) -> list[str]:
        """The short or long forms found in the query, as typed."""
        return [m.surface for m in self.abbreviations]

    @property
    def flags(self) -> dict[str, bool]:
        return {
            "had_diacritics": self.had_diacritics,
            "restored": self.was_restored,
            "abbreviations": bool(self.abbreviations),
        }


def understand(
    query: str,
    restorer: DiacriticRestorer | None = None,
    table: AbbreviationTable | None = None,
) -> QueryUnderstanding:
    """Clean, restore, expand and normalise ``query``.

    ``restorer`` is trained on the deployment's corpus (None: no restoration, e.g. an empty
    knowledge base); ``table`` defaults to the shared abbreviation table.
    """
    table = table or default_table()
    cleaned = clean_query(query)
    restorable = restorer is not None and cleaned and not typed_with_diacritics(cleaned)
    restored_text = restorer.restore(cleaned) if restorable else cleaned
    was_restored = restored_text != cleaned
    text = restored_text if was_restored else cleaned
    matches = tuple(table.find(text))
    expansions = table.expand(text) if matches else [text]
    synonyms = synonym_readings(text)
    expanded = tuple(e[:MAX_KEYWORD_CHARS] for e in dict.fromkeys(e for e in [*expansions, *synonyms] if e != text))
    # lowercase: e5 reads "Quyết định"/"quyết định", "NHCSXH"/"nhcsxh" as different tokens, and a
    # question typed without marks is typed without capitals too; cased, the same question read
    # two ways ranked differently (bench/accent_parity.py: 0.913 -> 0.963 same answer, hit@1 on
    # the tune questions 0.647 -> 0.643, accented/unaccented gap 0.053 -> 0.027)
    dense = annotate_synonyms(table.annotate(text) if matches else text)[:MAX_KEYWORD_CHARS].lower()
    keyword_variants = _bounded(list(_distinct_by_fold([text, cleaned, *expanded, *variant_forms(text)[1:]])))
    return QueryUnderstanding(
        original=query,
        cleaned=cleaned,
        restored=restored_text if was_restored else None,
        text=text,
        expanded=expanded,
        canonical=canonical_spelling(text),
        search_texts=SearchTexts(dense=dense, keyword=" | ".join(keyword_variants), keyword_variants=keyword_variants),
        had_diacritics=has_diacritics(cleaned),
        was_restored=was_restored,
        abbreviations=matches,
    )


def _distinct_by_fold(texts: list[str]) -> tuple[str, ...]:
    """Texts whose folded forms differ (the keyword index folds, so the rest add nothing)."""
    seen: set[str] = set()
    out = []
    for t in texts:
        key = " ".join(fold(t).split())
        if t and key not in seen:
            seen.add(key)
            out.append(t)
    return tuple(out)
