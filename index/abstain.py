"""Knowing when the corpus does not answer: term coverage and dense similarity of the best hit.

Why not the fused score: it is min-max normalised per query, so the best hit always scores 1.0
even when nothing relevant exists. Two absolute signals remain: how much of the question's
information (IDF-weighted content syllables) the best clause contains, and the raw cosine of
the best dense match. "Lãi suất cho vay hộ nghèo là bao nhiêu?" against plans that never
mention "lãi suất" fails the first: the rarest, most telling words are absent.

Two refinements of coverage, both measured on the dev set (bench/retrieval.py):

* An abbreviation and its long form are one concept. A reading with "NHCSXH" written out adds
  five common syllables ("ngân hàng chính sách xã hội") that every clause about the bank
  contains; counted at full weight they drown the one word that matters ("Ai là Giám đốc
  Chi nhánh NHCSXH tỉnh?" would look 60% covered). So the terms a reading adds are weighted to
  the mass of the terms it replaced.
* A question asking for a figure ("bao nhiêu", "mức nào", "bao lâu") is only half answered by a
  clause without one: "Tỉnh có bao nhiêu hộ nghèo?" shares every content word with the clause
  on updating the list of poor households, which holds no number.

On 42 documents that was not enough: most unanswerable questions share their words with some
clause of some plan, and differ only in what they ask for. So coverage is also cut when

* the question asks a figure in a unit ("bao nhiêu tấn", "mấy lần", "lãi suất … bao nhiêu") and
  the clause states no number in that unit (index/query/figure_ask.py);
* it asks for a day ("trước ngày nào") and the clause states none (a cited document's date
  does not count);
* it names a province or city that neither the clause nor its document's header names
  (index/query/places.py);

and the words that only say how a question is asked ("bao lâu một lần", "hạn chót", a closing
"không", index/data/question_words.toml) are not counted as its content.

The thresholds are tuned on the dev set (bench/retrieval.py prints the sweep), the rules above
and ``judge_top`` on the tuning half of the real-document questions (bench/ask_split.py). The dense
threshold is kept as a floor only: on the dev set the cosine of e5-small does not separate
answerable from unanswerable questions (both lie between 0.80 and 0.90).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from tracuu.index.abstain_keys import phrasing_syllables
from tracuu.index.keyword import BM25Index, folded_syllables
from tracuu.index.query.ask_intent import with_place_aliases
from tracuu.index.query.figure_ask import answers_figure, asked_figure, asks_day, states_day
from tracuu.index.query.names import missing_names
from tracuu.index.query.places import missing_places
from tracuu.index.query.syllables import candidates
from tracuu.ingest.vntext import fold

QUESTION_WORDS = Path(__file__).resolve().parent / "data" / "question_words.toml"

# Folded question words and function words: they carry no subject matter.
STOPWORDS = frozenset(
    """ai gi nao bao nhieu la co duoc cua va cac nhung thi hien nay the nhu khi o dau voi cho ve trong
    phai do mot nao sao vay hay hoac tai theo den tu de se da dang can muon biet hoi xin vui long
    ra sao the nao noi quy dinh neu tren duoi nay kia day ay ma con nhu""".split()
)

# Folded cues of a question whose answer is a quantity, a rate or a duration.
_ASKS_FIGURE = re.compile(r"\b(bao nhieu|muc nao|bao lau|may phan tram|ty le nao)\b")
# A figure in a clause: a percentage, a decimal, a date, a year, or a number with a unit. Bare
# list markers ("1. Mục tiêu" in a heading) do not count.
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\b\d+[.,]\d+\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d{2}\b"
    r"|\b\d+\s+(?:thang|nam|ngay|trieu|ty|nghin|ngan|dong|ho|nguoi|lan)\b"
)
#: Share of coverage kept when a figure question meets a clause with no figure.
FIGURE_PENALTY = 0.5
#: Share kept when the question asks a figure in a unit ("bao nhiêu tấn", "lãi suất … bao nhiêu")
#: and the clause states no number in that unit (index/query/figure_ask.py).
UNIT_PENALTY = 0.4
#: Share kept when the question asks for a day ("trước ngày nào") and the clause states none.
DAY_PENALTY = 0.5  # a clause that covers all else still answers: the day may be in its task's lines
#: Share kept when the question names a province or city that neither the clause nor its
#: document's header names (index/query/places.py): it asks about another locality.
PLACE_PENALTY = 0.5
#: Share kept when the question writes a proper name ("Tân Phú Đông") or asks for a thing only a
#: clause naming it can give ("số điện thoại", "đường dây nóng") and the clause does not name it.
NAME_PENALTY = 0.4


@dataclass(frozen=True)
class Thresholds:
    coverage: float = 0.5
    dense: float = 0.80
    close: float = 0.03  # fused-score gap under which the runner-up is shown beside the best
    rerank: float = 0.5  # weight of coverage added to the fused score when choosing the answer
    pool: int = 20  # candidates the answer is chosen from
    judge_top: int = 3  # the question is answered when one of this many best-ranked clauses covers it
    # coverage at or above which a clause is trusted over an unmet key constraint (index/abstain_keys.py);
    # chosen on the tune parts (bench/abstain_signals.py: .9 and "never" tie there; .8 answers one more near miss)
    keys: float = 0.9


# Figures a question names: a date (30/9), a percentage, a decimal, a number of two or more
# digits. Document numbers ("Quyết định 1560/QĐ-TTg", "Kế hoạch số 214") are not figures.
_Q_FIGURE = re.compile(r"(?<![\w/.,-])(\d+(?:[.,]\d+)*(?:/\d{1,2}(?:/\d{2,4})?)?)\s*(%|phan tram)?(?![\w/-])")
_DOC_NUMBER = re.compile(r"\b(?:quyet dinh|qd|chi thi|ct|ke hoach|kh|nghi quyet|nq|thong bao|tb|cong dien|cd"
                         r"|luat|nghi dinh|nd|thong tu|tt|de an|cong van|cv|phu luc|muc|khoan|dieu|diem)\s+(?:so\s+)?\d+\S*")


def _figure_keys(fig: str) -> list[str]:
    """How a figure may be written in a clause: 30/9 = 30/09; 1.000 = 1000."""
    out = {fig, fig.replace(".", "").replace(",", "")}
    if "/" in fig:
        parts = fig.split("/")
        out.add("/".join(p.lstrip("0") or "0" for p in parts))
        out.add("/".join(p.zfill(2) if i < 2 else p for i, p in enumerate(parts)))
    return [o for o in out if o]


# A day or a month written in words (folded): "ngày 15 tháng 11 năm 2025", "19 tháng 12 năm 2025",
# "ngày 19 tháng 12", "tháng 11 năm 2025". Read as "15/11/2025", "19/12", "11/2025".
_DAY_WORDS = re.compile(r"\b(?:(?:ngay\s+)(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+((?:19|20)\d{2}))?"
                        r"|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+((?:19|20)\d{2})"
                        r"|thang\s+(\d{1,2})\s+nam\s+((?:19|20)\d{2}))\b")


def _slash_date(m: re.Match) -> str:
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    if d is None:
        return f"thang {m.group(7)}/{m.group(8)}"
    if not (1 <= int(d) <= 31 and 1 <= int(mo) <= 12):
        return m.group(0)
    return f"ngay {d}/{mo}" + (f"/{y}" if y else "")


def dates_as_slashes(folded: str) -> str:
    """Folded text with each day or month written in words written as a date ("ngay 15 thang 11
    nam 2025" -> "ngay 15/11/2025", "thang 11 nam 2025" -> "thang 11/2025"): a question typing
    "15/11/2025" or "19/12" asks the day a clause writes in words, and the reverse."""
    return _DAY_WORDS.sub(_slash_date, folded)


def missing_figures(question: str, clause_text: str) -> list[str]:
    """Figures of the question (dates, percentages, numbers) that the clause does not contain.

    "Mức lương cơ sở 2.340.000 đồng áp dụng từ khi nào?" against a clause without that number
    does not answer it, however many words they share. A date counts however either writes it
    ("19/12" and "ngày 19 tháng 12": :func:`dates_as_slashes`)."""
    # "số 214" is a document number, "cơ sở 2.340.000" is not: told apart before folding
    q = dates_as_slashes(_DOC_NUMBER.sub(" ", fold(re.sub(r"(?i)\bsố\s+\d+\S*", " ", question or ""))))
    figures = [m.group(1) for m in _Q_FIGURE.finditer(q) if len(m.group(1).strip(".,")) >= 2 or m.group(2)]
    if not figures:
        return []
    body = dates_as_slashes(fold(clause_text or ""))
    numbers = set(re.findall(r"\d+(?:[.,/]\d+)*", body))
    flat = {n.replace(".", "").replace(",", "") for n in numbers}
    norm = set()
    for n in numbers:
        if "/" in n:
            norm.update(_figure_keys(n))
            parts = n.split("/")
            if len(parts) == 3:  # "19/12/2025" states the day "19/12" a question may type without its year
                norm.update(_figure_keys("/".join(parts[:2])))
    missing = []
    for fig in figures:
        keys = _figure_keys(fig.strip(".,"))
        if not any(k in numbers or k in flat or k in norm for k in keys):
            missing.append(fig)
    return missing


@lru_cache(maxsize=1)
def _question_data() -> dict:
    return tomllib.loads(QUESTION_WORDS.read_text(encoding="utf-8")) if QUESTION_WORDS.exists() else {}


@lru_cache(maxsize=1)
def _scaffolding() -> tuple[tuple[str, ...], frozenset[str]]:
    row = _question_data().get("scaffolding", {})
    return tuple(sorted(row.get("phrases", ()), key=len, reverse=True)), frozenset(row.get("trailing", ()))


def question_words(text: str) -> str:
    """The question's folded words, with short forms of places written out ("TP.HCM" -> "ho chi
    minh", as documents write it) and the phrases that only say how it is asked removed."""
    folded = with_place_aliases(" ".join(re.findall(r"[\w.]+", fold(text or "")))).replace(".", " ")
    words = " " + " ".join(folded.split()) + " "
    phrases, trailing = _scaffolding()
    for p in phrases:
        words = words.replace(f" {p} ", " ")
    out = words.split()
    while out and out[-1] in trailing:
        out.pop()
    return " ".join(out)


def missing_asked_things(question: str, text: str) -> list[str]:
    """What the question asks for that only a clause naming it can give ("số điện thoại",
    "đường dây nóng": ``[must_name]`` of question_words.toml) and ``text`` does not name."""
    words = " " + " ".join(re.findall(r"\w+", fold(question or ""))) + " "
    asked = [p for p in _question_data().get("must_name", {}).get("phrases", ()) if f" {p} " in words]
    if not asked:
        return []
    body = " " + " ".join(re.findall(r"\w+", fold(text or ""))) + " "
    return [p for p in asked if f" {p} " not in body]


def content_terms(text: str) -> list[str]:
    """Distinct folded content syllables of a question (see :func:`question_words`)."""
    return list(dict.fromkeys(t for t in folded_syllables(question_words(text)) if t not in STOPWORDS
                              and not t.isdigit()))


def asks_figure(question: str) -> bool:
    """The question asks for a quantity ("bao nhiêu", "ở mức nào", "bao lâu")."""
    return bool(_ASKS_FIGURE.search(fold(question or "")))


def has_figure(text: str) -> bool:
    return bool(_FIGURE.search(fold(text or "")))


def _reading_coverage(terms: list[str], base: set[str], clause_terms: set[str], bm25: BM25Index) -> float:
    """IDF-weighted share of ``terms`` in the clause; terms not in ``base`` (the first reading)
    share the weight of the ``base`` terms this reading dropped (an abbreviation and its long
    form count once, at the weight of the form the user typed)."""
    weights = {t: bm25.idf(t) for t in terms}
    if base:
        extra = [t for t in terms if t not in base]
        dropped = sum(bm25.idf(t) for t in base if t not in weights)
        extra_mass = sum(weights[t] for t in extra)
        if extra and extra_mass > 0 and dropped > 0:
            scale = dropped / extra_mass
            for t in extra:
                weights[t] *= scale
    total = sum(weights.values())
    hit = sum(w for t, w in weights.items() if t in clause_terms)
    return hit / total if total else 0.0


def coverage(query_texts: list[str], clause_text: str, bm25: BM25Index, context: str = "") -> float:
    """Share of the question's IDF mass found in the clause (best over the query's readings).

    ``query_texts[0]`` is the question as read (diacritics restored); the others are its
    rewrites (abbreviations expanded or contracted), scored as described in the module doc.
    ``context``: what the clause is read with (its document's title, its headings): its words
    count as covered, but a figure in it (the year in a title) does not answer "bao nhiêu".
    """
    clause_terms = set(folded_syllables(f"{context} {clause_text}"))
    texts = [t for t in query_texts if t]
    if not texts:
        return 0.0
    base = set(content_terms(texts[0]))
    best = 0.0
    for i, text in enumerate(texts):
        terms = content_terms(text)
        if terms:
            best = max(best, _reading_coverage(terms, base if i else set(), clause_terms, bm25))
    asked = asked_figure(texts[0])
    if asked is not None:
        if not answers_figure(clause_text, asked):
            best *= UNIT_PENALTY
    elif asks_figure(texts[0]) and not has_figure(clause_text):
        best *= FIGURE_PENALTY
    if asks_day(texts[0]) and not states_day(f"{context} {clause_text}"):
        best *= DAY_PENALTY
    if missing_places(texts[0], f"{context} {clause_text}"):
        best *= PLACE_PENALTY
    if missing_names(texts[0], f"{context} {clause_text}") or missing_asked_things(texts[0], f"{context} {clause_text}"):
        best *= NAME_PENALTY
    return best


#: A question's term is one of its key terms when at most this share of the clauses of the
#: keyword index hold it (at least one clause's worth: on a small corpus, a term no clause
#: holds): the named things, technical terms and rare nouns that say what the question is
#: about. On 5 700 clauses, about five clauses (an IDF of 7).
KEY_SHARE = 0.001
#: Most letters of an abbreviation told by its shape in a lowercase question (:func:`abbreviation_like`):
#: "nhcsxh" has six; a longer word that is no syllable is a foreign word ("internet", "logistics").
ABBREVIATION_LETTERS = 6
_UNSEEN = "~"  # a term no clause holds (tokens are word characters): its IDF is the index's highest
_CAPS = re.compile(r"\b[^\W\d_]*[A-ZĐ][^\W\d_]*[A-ZĐ][^\W\d_]*\b")


def abbreviation_like(term: str) -> bool:
    """A folded word of at most :data:`ABBREVIATION_LETTERS` letters that no Vietnamese syllable
    folds to ("gdp", "pccc", "ubnd", "nhcsxh"): the letters of an abbreviation typed lowercase."""
    return term.isalpha() and len(term) <= ABBREVIATION_LETTERS and not candidates(term)


def key_terms(text: str, idf) -> list[str]:
    """The question's content syllables rare in the corpus (held by at most :data:`KEY_SHARE`
    of the clauses, and by at least one), rarest first ("gạo", "6G"). Letters of an abbreviation ("BVDLCN", "GD&ĐT") are not key terms: the
    document may write them out, and the readings with abbreviations expanded say what they
    stand for. Typed with capitals, an abbreviation is told by them; in a question typed all
    lowercase (as questions without marks are), by being no Vietnamese syllable
    (:func:`abbreviation_like`), so that "GDP" and "gdp" are read alike (bench/accent_parity.py:
    a question and its folded form got different answers when only one of them was checked for
    the abbreviation). Numbers are figures, checked by :func:`missing_figures`.

    Syllables only: a two-syllable word ("sân bay") cannot be told from two neighbouring words
    ("báo cáo việc") by how rarely the pair occurs, and folding merges "sân" with "sản"."""
    caps = {t for m in _CAPS.finditer(text or "") for t in folded_syllables(m.group(0))}
    if not any(ch.isupper() for ch in text or ""):  # typed all lowercase: capitals cannot tell an abbreviation
        caps |= {t for t in folded_syllables(text) if abbreviation_like(t)}
    phrasing = phrasing_syllables()  # "nhắc tới", "coi … là": how the question is put (index/abstain_keys.py)
    weights = {t: idf(t) for t in content_terms(text) if t not in caps and t not in phrasing and not t.isdigit()}
    least, unseen = key_idf(idf), idf(_UNSEEN)
    # a term no clause holds is not one: a verb of how the question is put ("lo", "làm" on a
    # small corpus), a typo, a word of a paraphrase; the corpus must use it, rarely
    # (least - 1e-9: key_idf recomputes the IDF of its document frequency, equal up to rounding)
    return sorted((t for t, w in weights.items() if least - 1e-9 <= w < unseen), key=lambda t: -weights[t])


def key_idf(idf) -> float:
    """The IDF of a term held by :data:`KEY_SHARE` of the clauses (at least one), from the
    index's own IDF (Lucene's ln(1 + (N - df + 0.5) / (df + 0.5))): the highest IDF, that of a
    term no clause holds, gives N."""
    top = idf(_UNSEEN)
    n = max(0.0, (math.exp(top) - 2.0) / 2.0)
    df = max(1.0, n * KEY_SHARE)
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5)) if n > df else top


def missing_key_terms(readings: list[str], seen: str, in_document, idf) -> list[str]:
    """Key terms of the question (:func:`key_terms`) that neither ``seen`` (the clause read with
    its document's header and headings) nor the clause's document (``in_document(term)``) holds,
    for the reading that misses fewest ("Sở GD&ĐT" read as "Sở Giáo dục và Đào tạo" misses
    nothing the document writes out).

    Why: an unanswerable question usually shares most of its words with some clause of some
    plan and differs in one thing it asks about ("sản lượng gạo", "tuổi nghỉ hưu", "trạm 6G"),
    a word the corpus rarely uses; if that word is nowhere in the document quoted, the document
    does not answer it, however well the other words match. A paraphrase keeps the subject's
    words or uses common ones, which this does not look at."""
    words = set(folded_syllables(seen or ""))
    best: list[str] | None = None
    for text in readings:
        if not text:
            continue
        missing = [t for t in key_terms(text, idf) if t not in words and not in_document(t)]
        if best is None or len(missing) < len(best):
            best = missing
        if not best:
            break
    return best or []


def rerank(scored: list, covers: list[float], weight: float) -> list:
    """``scored`` re-ordered by fused score + ``weight`` x coverage (the new ``score``; the gaps
    between scores keep the scale of the fused score, so margins tuned on it still apply).

    Why: the fused score ranks what is *similar* to the question; an answer must also *contain*
    what the question asks about. "Chỉ tiêu nợ quá hạn của NHCSXH là bao nhiêu?" is similar to
    every clause naming the bank (five common syllables once NHCSXH is written out), but only
    the clause holding "nợ quá hạn" and a figure answers it. Coverage (IDF-weighted, with the
    abbreviation and figure rules above) is the signal abstention already trusts; choosing by
    it too means the clause abstention judges is the clause most likely to answer.
    """
    if not scored:
        return []
    pairs = [(s.score + weight * c, i, s) for i, (s, c) in enumerate(zip(scored, covers))]
    pairs.sort(key=lambda p: (-p[0], p[1]))
    return [replace(s, score=v) for v, _, s in pairs]
