"""Diacritic restoration for queries typed without (or with only some) Vietnamese marks.

Why: officials often type "bao cao tinh hinh thuc hien chi thi". The keyword index folds, so it
does not care, but the dense retriever does: unaccented Vietnamese embeds far from the accented
passages and hybrid recall collapses. Restoring the marks first with a syllable n-gram model and
Viterbi decoding recovers almost all of it.

The model is trained on the ingested corpus itself, so it speaks the deployment's language
("tín dụng chính sách xã hội", "Chi nhánh", "tỷ lệ nợ quá hạn") and stays small: syllable
unigram/bigram/trigram counts with Witten-Bell interpolation. Candidates for a folded syllable
are the accented forms seen in the corpus plus every valid Vietnamese syllable with that
folding (:mod:`.syllables`), the latter at a low prior estimated from the corpus' rhymes and
tones, so that words the corpus never saw still get their most likely marks.

Rules of the road: only syllables the user typed without any mark are restored (what they did
accent stays as typed); case is kept ("Chi nhanh" -> "Chi nhánh"); all-caps abbreviations
(UBND, CT/TW), numbers and symbols are never touched; an accented query comes back unchanged.

Two things the corpus counts cannot teach, given as data:

* how questions read (``index/data/question_phrases.txt``, counted beside the corpus by the
  service): "bao lâu", "mấy lần", "mỗi năm" never occur in plans, so without them they come back
  as "báo lâu", "máy lần", "mới năm";
* the names of provinces and cities (a gazetteer, :func:`place_lexicon`): a name typed without
  marks ("ha noi", "da nang", "ha tinh") is a name whatever the n-grams around it prefer. The
  n-gram model sees "hà nội" followed by a question word ("làm gì") only rarely and, with
  Witten-Bell backoff, then prefers a rare form whose context it never saw ("hà nôi", a typo
  counted once); a place misread that way is also lost to the place check of abstention
  (index/query/places.py), so a question typed without marks was answered where its accented
  twin was refused.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from tracuu.ingest.vntext import fold, has_diacritics, nfc

from .syllables import all_syllables, candidates, common_ranks, match_case, retone, split_syllable

T = TypeVar("T")

_LETTER = "A-Za-zÀ-ỹĐđ"
_TOKEN_RE = re.compile(rf"[0-9{_LETTER}]+(?:[/&.\-][0-9{_LETTER}]+)*|[.,;:!?()\[\]{{}}\"|<>…]")
_NUM_RE = re.compile(r"[0-9]+(?:[/.\-][0-9]+)*")
_PLAIN_WORD_RE = re.compile(rf"[{_LETTER}]+")

QUESTION_PHRASES = Path(__file__).resolve().parent.parent / "data" / "question_phrases.txt"
PLACES = Path(__file__).resolve().parent.parent / "data" / "places.toml"
PROVINCES = Path(__file__).resolve().parents[2] / "ingest" / "data" / "agencies.toml"

NUM = "<num>"
SYM = "<sym>"
_MODEL_VERSION = 1


@dataclass(frozen=True)
class _Token:
    """One piece of the input: a model token plus what decoding may do with it."""

    start: int
    end: int
    surface: str
    model: str | None  # None = boundary (punctuation): the n-gram history restarts
    restorable: bool = False


class DiacriticRestorer:
    """Syllable trigram model over accented lowercase text, decoded with pruned Viterbi.

    Build with :meth:`from_texts` (or :meth:`add_texts` on an empty one); save with
    :meth:`to_dict` and load with :meth:`from_dict`.
    """

    def __init__(self, beam: int = 32, max_candidates: int = 8, prior_weight: float = 0.5) -> None:
        self.beam = beam
        self.max_candidates = max_candidates
        self.prior_weight = prior_weight  # pseudo-count of the general syllable prior
        self._uni: Counter[str] = Counter()
        self._bi: dict[str, dict[str, int]] = {}
        self._tri: dict[tuple[str, str], dict[str, int]] = {}
        self._total = 0
        self._derived: _Derived | None = None
        self._canon_cache: dict[str, str] = {}

    # ------------------------------------------------------------------ training

    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs: Any) -> DiacriticRestorer:
        """A restorer trained on ``texts`` (clause texts, whole documents: any accented text)."""
        model = cls(**kwargs)
        model.add_texts(texts)
        model.warm()
        return model

    def warm(self) -> None:
        """Build the derived tables and the syllable list now, so the first query is as fast as the rest."""
        self._d()
        self._d().prior("a")

    def add_texts(self, texts: Iterable[str]) -> None:
        """Count the n-grams of more text (call again as documents are ingested)."""
        for text in texts:
            for seq in self._sequences(text):
                self._count(seq)
        self._derived = None

    def _count(self, seq: list[str]) -> None:
        uni, bi, tri = self._uni, self._bi, self._tri
        for i, w in enumerate(seq):
            uni[w] += 1
            if i >= 1:
                d = bi.setdefault(seq[i - 1], {})
                d[w] = d.get(w, 0) + 1
            if i >= 2:
                d = tri.setdefault((seq[i - 2], seq[i - 1]), {})
                d[w] = d.get(w, 0) + 1
        self._total += len(seq)

    def _sequences(self, text: str) -> list[list[str]]:
        """Runs of model tokens between punctuation: the units n-grams do not cross."""
        return _runs([self._model_token(m.group(0)) for m in _TOKEN_RE.finditer(nfc(text))], lambda t: t is not None)

    def _model_token(self, surface: str) -> str | None:
        if not surface[0].isalnum():
            return None
        if _NUM_RE.fullmatch(surface):
            return NUM
        if not _PLAIN_WORD_RE.fullmatch(surface):
            return SYM  # 39-CT/TW, QĐ-TTg, NN&MT: one opaque symbol
        return self._canon(surface)

    def _canon(self, word: str) -> str:
        """Lowercase, tone mark placed the canonical way (cached: the same words recur).

        Only tone placement is unified ("hoà" -> "hòa"); i/y is kept as written so that the
        corpus decides between "tỷ" and "tỉ".
        """
        got = self._canon_cache.get(word)
        if got is None:
            low = word.lower()
            got = self._canon_cache[word] = retone(low) if has_diacritics(low) else low
        return got

    # ------------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able counts; everything else is derived again on load."""
        return {
            "version": _MODEL_VERSION,
            "params": {"beam": self.beam, "max_candidates": self.max_candidates, "prior_weight": self.prior_weight},
            "uni": dict(self._uni),
            "bi": {f"{v}\t{w}": c for v, d in self._bi.items() for w, c in d.items()},
            "tri": {f"{u}\t{v}\t{w}": c for (u, v), d in self._tri.items() for w, c in d.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiacriticRestorer:
        if data.get("version") != _MODEL_VERSION:
            raise ValueError(f"unsupported restorer model version {data.get('version')!r}")
        model = cls(**data.get("params", {}))
        model._uni = Counter(data["uni"])
        model._total = sum(model._uni.values())
        for key, c in data["bi"].items():
            v, w = key.split("\t")
            model._bi.setdefault(v, {})[w] = c
        for key, c in data["tri"].items():
            u, v, w = key.split("\t")
            model._tri.setdefault((u, v), {})[w] = c
        model.warm()
        return model

    def __len__(self) -> int:
        """Number of syllable tokens trained on."""
        return self._total

    # ------------------------------------------------------------------ scoring

    def _d(self) -> _Derived:
        if self._derived is None:
            self._derived = _Derived.from_unigrams(self._uni)
        return self._derived

    def _p1(self, w: str) -> float:
        d = self._d()
        return (self._uni.get(w, 0) + self.prior_weight * d.prior(w)) / (self._total + self.prior_weight)

    def _p2(self, v: str | None, w: str) -> float:
        p1 = self._p1(w)
        if v is None:
            return p1
        follow = self._follow2(v)
        if follow is None:
            return p1
        d, n, t = follow
        return (d.get(w, 0) + t * p1) / (n + t)

    def _p3(self, u: str | None, v: str | None, w: str) -> float:
        p2 = self._p2(v, w)
        if u is None or v is None:
            return p2
        follow = self._follow3(u, v)
        if follow is None:
            return p2
        d, n, t = follow
        return (d.get(w, 0) + t * p2) / (n + t)

    # The statistics of a context, behind two methods so that another counts source (the
    # catalog's SQL tables, :mod:`index.catalog.restorer_counts`) can serve them without
    # holding every n-gram: (followers' counts -- at least those asked for --, their total n,
    # how many distinct followers t), or None when the context was never followed.

    def _follow2(self, v: str) -> tuple[dict[str, int], int, int] | None:
        d = self._bi.get(v)
        if not d:
            return None
        n, t = self._d().bi_stats(v, d)
        return d, n, t

    def _follow3(self, u: str, v: str) -> tuple[dict[str, int], int, int] | None:
        d = self._tri.get((u, v))
        if not d:
            return None
        n, t = self._d().tri_stats((u, v), d)
        return d, n, t

    def candidates_for(self, folded: str) -> list[str]:
        """Lowercase accented candidates of a folded syllable, best unigram first (pruned)."""
        d = self._d()
        pool = set(d.forms.get(folded, ())) | set(candidates(folded))
        if not pool:
            return [folded]
        ranked = sorted(pool, key=lambda w: (-self._p1(w), w))
        return ranked[: self.max_candidates]

    # ------------------------------------------------------------------ decoding

    def restore(self, query: str) -> str:
        """``query`` with marks restored on the syllables typed without any.

        "bao cao tinh hình 39-CT/TW" -> "báo cáo tình hình 39-CT/TW" (given a corpus that says
        so): the typed "hình", the symbol and the spacing come back exactly as they were.
        """
        text = nfc(query)
        tokens = self._tokens(text)
        if not any(t.restorable for t in tokens):
            return text
        forced = lexicon_forms(tokens)
        out: list[str] = []
        pos = 0
        for segment in _segments(tokens):
            choice = self._decode(segment, forced)
            for tok, best in zip(segment, choice):
                if not tok.restorable or best == tok.surface.lower():
                    continue
                out.append(text[pos : tok.start])
                out.append(match_case(tok.surface, best))
                pos = tok.end
        out.append(text[pos:])
        return "".join(out)

    def _tokens(self, text: str) -> list[_Token]:
        has_lower = any(ch.islower() for ch in text)
        toks = []
        for m in _TOKEN_RE.finditer(text):
            s = m.group(0)
            model = self._model_token(s)
            restorable = model is not None and model not in (NUM, SYM) and _restorable(s, has_lower)
            toks.append(_Token(m.start(), m.end(), s, model, restorable))
        return toks

    def _decode(self, segment: list[_Token], forced: dict[int, str] | None = None) -> list[str]:
        """Best candidate per token of one punctuation-free run (trigram Viterbi with a beam).
        ``forced``: token start -> the one form a gazetteer name gives it."""
        forced = forced or {}
        cands = [[forced[t.start]] if t.start in forced else self.candidates_for(fold(t.surface)) if t.restorable
                 else [t.model or ""] for t in segment]
        # state (previous, current) -> (log score, index of the state it came from in the last layer)
        layers: list[list[tuple[tuple[str | None, str], float, int]]] = []
        prev: list[tuple[tuple[str | None, str], float, int]] = [((None, ""), 0.0, -1)]
        first = True
        for options in cands:
            best: dict[tuple[str | None, str], tuple[float, int]] = {}
            for j, ((u, v), score, _) in enumerate(prev):
                for w in options:
                    p = self._p3(u, v, w) if not first else self._p1(w)
                    s = score + math.log(p) if p > 0 else score - 50.0
                    key = (v if not first else None, w)
                    if key not in best or s > best[key][0]:
                        best[key] = (s, j)
            first = False
            layer = sorted(((k, s, j) for k, (s, j) in best.items()), key=lambda x: -x[1])[: self.beam]
            layers.append(layer)
            prev = layer
        # backtrack
        i = max(range(len(prev)), key=lambda k: prev[k][1])
        path = []
        for layer in reversed(layers):
            (_, w), _, j = layer[i]
            path.append(w)
            i = j
        return path[::-1]


def question_phrases(path: Path = QUESTION_PHRASES) -> list[str]:
    """The question phrases counted beside the corpus (one a line; ``#`` comments skipped)."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [nfc(line) for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def place_lexicon() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded syllables -> accented lowercase syllables of every province and city name of two
    syllables or more (``ingest/data/agencies.toml`` provinces, ``index/data/places.toml``
    former provinces); a folding two names share is left out (the n-grams decide it)."""
    names: set[str] = set()
    if PROVINCES.exists():
        names.update(tomllib.loads(PROVINCES.read_text(encoding="utf-8")).get("matching", {}).get("provinces", ()))
    if PLACES.exists():
        names.update(tomllib.loads(PLACES.read_text(encoding="utf-8")).get("former_provinces", {}).get("names", ()))
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    clash: set[tuple[str, ...]] = set()
    for name in names:
        words = tuple(retone(w) for w in _PLAIN_WORD_RE.findall(nfc(name).lower()))
        if len(words) < 2:
            continue
        key = tuple(fold(w) for w in words)
        if key in out and out[key] != words:
            clash.add(key)
        out[key] = words
    return {k: v for k, v in out.items() if k not in clash}


def lexicon_forms(tokens: list[_Token], lexicon: dict[tuple[str, ...], tuple[str, ...]] | None = None) -> dict[int, str]:
    """token start -> form, for every run of restorable tokens inside one segment that spells a
    gazetteer name typed without marks ("ha noi" -> "hà", "nội"); longest names first."""
    lexicon = place_lexicon() if lexicon is None else lexicon
    if not lexicon:
        return {}
    longest = max(len(k) for k in lexicon)
    forced: dict[int, str] = {}
    for segment in _segments(tokens):
        i = 0
        while i < len(segment):
            for n in range(min(longest, len(segment) - i), 1, -1):
                run = segment[i : i + n]
                if not all(t.restorable for t in run):
                    continue
                form = lexicon.get(tuple(fold(t.surface) for t in run))
                if form is not None:
                    forced.update({t.start: w for t, w in zip(run, form)})
                    i += n - 1
                    break
            i += 1
    return forced


def _runs(items: list[T], keep: Callable[[T], bool]) -> list[list[T]]:
    """Maximal runs of consecutive items that ``keep`` accepts; the others only separate runs."""
    runs: list[list[T]] = []
    cur: list[T] = []
    for item in items:
        if keep(item):
            cur.append(item)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _segments(tokens: list[_Token]) -> list[list[_Token]]:
    return _runs(tokens, lambda t: t.model is not None)


def syllable_parts(w: str) -> tuple[str, str, int] | None:
    """(onset, rhyme, tone) of a model token that is a valid syllable, else None: what the
    general-syllable prior counts (a persisted counts source keeps the same sums)."""
    if w in (NUM, SYM) or w not in all_syllables():
        return None
    return split_syllable(w)


def _restorable(word: str, query_has_lowercase: bool) -> bool:
    """Typed without any mark, and cased like a word, not like an abbreviation.

    lower ("nhanh") and Title ("Chi") restore; ALL-CAPS of two letters or more ("UBND", "TW")
    and single capitals ("I", "A") stay as typed — unless the whole query is in capitals
    ("BAO CAO TINH HINH"), where valid syllables are restored and non-syllables kept.
    """
    if has_diacritics(word):
        return False
    if word.islower():
        return True
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return len(word) > 1
    if word.isupper() and not query_has_lowercase:
        return bool(candidates(word.lower()))
    return False


class _Derived:
    """Tables derived from the unigram counts: forms per folding and the general-syllable prior."""

    #: Weight of the hand-written common-syllable list against the corpus' rhyme/tone statistics.
    common_share = 0.85

    def __init__(
        self,
        forms: dict[str, list[str]],
        rhyme: dict[tuple[str, int], int],
        onset: dict[str, int],
        tone: dict[int, int],
    ) -> None:
        """From the tables themselves: ``rhyme`` and ``onset`` need only hold the keys that the
        syllables to be scored ask for; ``tone`` must be complete (it is normalised)."""
        self.forms = forms
        self._rhyme = rhyme
        self._onset = onset
        self._tone = tone
        n_tone = sum(self._tone.values()) or 1
        self._tone_p = {t: (self._tone.get(t, 0) + 1) / (n_tone + 6) for t in range(6)}
        self._prior_cache: dict[str, float] = {}
        self._bi_cache: dict[str, tuple[int, int]] = {}
        self._tri_cache: dict[tuple[str, str], tuple[int, int]] = {}

    @classmethod
    def from_unigrams(cls, uni: Counter[str]) -> _Derived:
        forms: dict[str, list[str]] = {}
        rhyme: Counter[tuple[str, int]] = Counter()
        onset: Counter[str] = Counter()
        tone: Counter[int] = Counter()
        for w, c in uni.items():
            if w in (NUM, SYM):
                continue
            forms.setdefault(fold(w), []).append(w)
            parts = syllable_parts(w)
            if parts:
                o, r, t = parts
                rhyme[(r, t)] += c
                onset[o] += c
                tone[t] += c
        return cls(forms, rhyme, onset, tone)

    def bi_stats(self, v: str, d: dict[str, int]) -> tuple[int, int]:
        got = self._bi_cache.get(v)
        if got is None:
            got = self._bi_cache[v] = (sum(d.values()), len(d))
        return got

    def tri_stats(self, uv: tuple[str, str], d: dict[str, int]) -> tuple[int, int]:
        got = self._tri_cache.get(uv)
        if got is None:
            got = self._tri_cache[uv] = (sum(d.values()), len(d))
        return got

    def prior(self, w: str) -> float:
        """P(w | fold(w)) for a valid syllable; 0 for non-syllables.

        Mixes the hand-written list of common readings (:func:`.syllables.common_ranks`: "thoi"
        is mostly "thời") with rhyme, tone and onset statistics of the corpus ("uong" is far
        more often "ương" than "uông"), so a syllable the corpus never contained still gets a
        likely reading.
        """
        got = self._prior_cache.get(w)
        if got is not None:
            return got
        f = fold(w)
        pool = candidates(f)
        if w not in pool:
            self._prior_cache[w] = 0.0
            return 0.0
        raw = {c: self._raw(c) for c in pool}
        total = sum(raw.values()) or 1.0
        ranks = common_ranks()
        listed = {c: 1.0 / (1 + ranks[c]) for c in pool if c in ranks}
        listed_total = sum(listed.values())
        for c in pool:
            q = raw[c] / total
            if listed_total:
                q = self.common_share * listed.get(c, 0.0) / listed_total + (1 - self.common_share) * q
            self._prior_cache[c] = q
        return self._prior_cache[w]

    def _raw(self, w: str) -> float:
        parts = split_syllable(w)
        if parts is None:
            return 0.0
        onset, rhyme, tone = parts
        return (self._rhyme.get((rhyme, tone), 0) + self._tone_p[tone]) * (self._onset.get(onset, 0) + 1)
