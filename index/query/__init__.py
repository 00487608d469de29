"""Query understanding: clean, restore diacritics, expand abbreviations, normalise spelling.

Each step is its own small module so that it can be tested and replaced alone; ``understand``
runs them in order and tells the retrievers which strings to search with:

    restorer = DiacriticRestorer.from_texts(clause_texts)   # once, from the ingested corpus
    u = understand("nhcsxh tinh bao cao", restorer)
    u.text                  # -> "nhcsxh tỉnh báo cáo" (restored)
    u.search_texts.dense    # -> the text with long forms of abbreviations in brackets
    u.search_texts.keyword  # -> every reading that folds differently, for the BM25 index
"""

from .abbreviations import AbbreviationTable, annotate, expand_query, find_abbreviations
from .clean import clean_query
from .restore import DiacriticRestorer
from .understand import QueryUnderstanding, SearchTexts, understand
from .variants import canonical_spelling, variant_forms

__all__ = [
    "AbbreviationTable",
    "DiacriticRestorer",
    "QueryUnderstanding",
    "SearchTexts",
    "annotate",
    "canonical_spelling",
    "clean_query",
    "expand_query",
    "find_abbreviations",
    "understand",
    "variant_forms",
]
