"""What a question asks for, beyond "find the clause": an agency's tasks, a task's owner, a
deadline, or a named document's facts.

Why: these questions have answers in the structured data extracted at ingest (tasks with their
lead, coordinators and parsed deadlines; document headers; the manifest), and similarity search
answers them badly: "NHCSXH có nhiệm vụ gì" ranks a clause *about* the bank above the bank's own
task; "ai phải báo cáo trước 30/9" has several right answers, not one; "Quyết định 1560 do ai
ký" must never be answered with another document's signer.

Detection only (pure, on folded text; cue phrases in ``index/data/ask_intents.toml``). The
answers are built by ``api/intent_answers.py``. Nothing here knows the corpus: agencies are
found with the gazetteer matcher of ``ingest.agencies``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from tracuu.ingest.vntext import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "ask_intents.toml"

# A date in a question: "30/9", "15/12/2025" (not a document number: "1560/QĐ-TTg").
_DATE = re.compile(r"(?<![\w/])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\w/-])")
_DATE_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?\b")


#: Words besides a named document and its "when" cue from which a question asks when a task of
#: the document is due rather than when the document was issued.
DUE_WORDS = 6


@dataclass(frozen=True)
class DocRef:
    """A document the question names: kind (folded, e.g. "quyet dinh"), number, full symbol."""

    kind: str
    number: str  # the leading digits: "1560"
    symbol: str = ""  # folded, spaces removed: "1560/qd-ttg" when written in full
    year: str | None = None
    implemented: bool = False  # named as what another document carries out: "Kế hoạch thực hiện Chỉ thị 39"
    acted_on: bool = False  # the object of carrying out: "báo cáo (tình hình) thực hiện Chỉ thị 39"


@dataclass(frozen=True)
class AskIntent:
    """``kind``: "document" | "agency_tasks" | "owner" | "deadline" | None (plain content)."""

    kind: str | None
    docs: tuple[DocRef, ...] = ()
    this_document: bool = False  # "kế hoạch này": one document meant, none named
    date: tuple[int, int, int | None] | None = None  # (day, month, year) named in the question
    agency_text: str | None = None  # the agency as typed, for agency_tasks / owner
    implemented: tuple[DocRef, ...] = ()  # "Kế hoạch thực hiện Chỉ thị 39": the plan is meant, not 39
    cues: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}


def _phrases(section: str, key: str) -> tuple[str, ...]:
    return tuple(_data().get(section, {}).get(key, ()))


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[\w/&.-]+", fold(text or ""))) + " "


def _has(words: str, phrases: tuple[str, ...]) -> list[str]:
    return [p for p in phrases if f" {p} " in words]


def _alternation(phrases: Iterable[str]) -> str:
    """The phrases as one regex alternation, longest first (so a phrase is not cut by a shorter one it starts with);
    a pattern that matches nothing when there are none (a data file without the key)."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) or "$^"


@lru_cache(maxsize=1)
def _doc_re() -> re.Pattern[str]:
    kinds = sorted(_phrases("document", "kinds"), key=len, reverse=True) or ["quyet dinh"]
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in kinds)
    return re.compile(
        rf"\b(?P<kind>{body})\s*(?:so\s*)?(?P<num>\d{{1,5}})(?P<rest>(?:[/-][a-z0-9]+){{0,3}})(?![\w/])"
    )


_SYMBOL = re.compile(r"\b(?P<num>\d{1,5})(?:/(?P<year>\d{4}))?/(?P<tail>[a-z]{1,4}(?:-[a-z0-9]{1,8})+)\b")
_SYMBOL_DASH = re.compile(r"\b(?P<num>\d{1,5})-(?P<tail>[a-z]{2,4}/[a-z]{2,4})\b")  # 39-CT/TW


# "Kế hoạch thực hiện / triển khai / để thực hiện …" right before a named document: the
# question is about the implementing document, the named one only describes it.
_KIND_WORDS = r"(?:ke hoach|quyet dinh|chuong trinh|de an|van ban|nghi quyet|chi thi|kh|qd)"
_IMPLEMENTING = re.compile(
    rf"\b{_KIND_WORDS}(?:\s+(?:nay|cua\s+\S+(?:\s+\S+){{0,4}}?))?\s+(?:(?:de\s+)?(?:thuc hien|trien khai|thi hanh|cu the hoa)"
    r"(?:\s+thuc hien)?(?:\s+viec)?\s*)?$")


# "… (báo cáo tình hình) thực hiện / triển khai Chỉ thị 39": the question is about carrying the
# document out (what the documents implementing it ask), not about the document's own facts.
_ACTED_ON = re.compile(r"\b(?:thuc hien|trien khai|thi hanh|quan triet|so ket|tong ket)(?:\s+(?:viec|tot|noi dung))?\s*$")


def named_documents(question: str) -> tuple[DocRef, ...]:
    """Documents named by kind and number ("Quyết định 1560", "KH số 214/KH-UBND", "39-CT/TW")."""
    folded = fold(question or "").replace("đ", "d")
    refs: dict[str, DocRef] = {}
    for m in _doc_re().finditer(folded):
        kind = " ".join(m.group("kind").split())
        rest = "".join(m.group("rest").split())
        year = re.match(r"/(\d{4})", rest)
        implemented = bool(_IMPLEMENTING.search(folded[: m.start()]))
        acted_on = bool(_ACTED_ON.search(folded[: m.start()]))
        refs.setdefault(m.group("num"), DocRef(kind, m.group("num"), (m.group("num") + rest) if rest else "",
                                              year.group(1) if year else None, implemented, acted_on))
    for rx in (_SYMBOL, _SYMBOL_DASH):
        for m in rx.finditer(folded):
            num = m.group("num")
            if num not in refs:
                refs[num] = DocRef("", num, "".join(m.group(0).split()), m.groupdict().get("year"),
                                   bool(_IMPLEMENTING.search(folded[: m.start()])),
                                   bool(_ACTED_ON.search(folded[: m.start()])))
            elif not refs[num].symbol:
                r = refs[num]
                refs[num] = DocRef(r.kind, num, "".join(m.group(0).split()), r.year, r.implemented, r.acted_on)
    return tuple(refs.values())


def named_date(question: str) -> tuple[int, int, int | None] | None:
    """The first plausible day/month (/year) the question names."""
    folded = fold(question or "")
    for rx in (_DATE, _DATE_WORDS):
        for m in rx.finditer(folded):
            day, month = int(m.group(1)), int(m.group(2))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return day, month, int(m.group(3)) if m.group(3) else None
    return None


def _strip_refs(words: str, docs: tuple[DocRef, ...]) -> str:
    for d in docs:
        words = re.sub(rf"\b{re.escape(d.kind)}\s+(?:so\s+)?{d.number}\S*", " ", words) if d.kind else words
        words = words.replace(f" {d.number} ", " ")
    return words


def classify(question: str, agency_text: str | None = None) -> AskIntent:
    """The intent of ``question``. ``agency_text``: an agency the caller found in it (as typed),
    needed for agency_tasks and used by owner questions."""
    words = _words(question)
    refs = named_documents(question)
    docs = tuple(r for r in refs if not r.implemented)
    implemented = tuple(r for r in refs if r.implemented)
    date = named_date(question)
    this_doc = bool(_has(words, _phrases("document", "this_document")))
    who = _has(words, _phrases("owner", "who"))
    roles = _has(words, _phrases("owner", "roles"))
    deadline = _has(words, _phrases("deadline", "cues"))
    tasks_cues = _has(words, _phrases("agency_tasks", "cues"))
    base = dict(docs=docs, this_document=this_doc, date=date, agency_text=agency_text, implemented=implemented)
    if docs and not all(d.acted_on for d in docs):
        facts = _has(words, _phrases("document", "facts"))
        asked = document_facts(question)
        if "period" in asked:  # "… thực hiện đến năm nào": the time its text states, not the day it was issued
            facts = [f for f in facts if f not in _phrases("document", "date_facts")]
        facts += [f"asks:{f}" for f in asked
                  if f in ("annexed", "effect", "replaces", "decides", "basis", "recipients", "period")]
        # "do ai ký", "cơ quan nào ban hành" ask who made the document, not who does a task
        own = _has(words, _phrases("document", "about_the_document"))
        rest = [w for w in _strip_refs(words, docs).split() if len(w) > 1]
        when_only = bool(facts) and set(facts) <= {*_phrases("document", "date_facts"), "asks:period"}
        if when_only and deadline and len(rest) - sum(len(f.split()) for f in facts) >= DUE_WORDS:
            facts = []  # "… báo cáo … chậm nhất ngày nào theo Công điện 224": a task's deadline
        if own or (facts and not (who and roles)) or len(rest) <= 2:
            return AskIntent("document", cues=tuple(dict.fromkeys(facts + own)), **base)
    if agency_text and tasks_cues and not who:
        return AskIntent("agency_tasks", cues=tuple(tasks_cues), **base)
    if deadline and not (who and not date and "khi nao" not in deadline and "bao gio" not in deadline):
        return AskIntent("deadline", cues=tuple(deadline), **base)
    if date and who:
        return AskIntent("deadline", cues=("date",), **base)
    if who and roles:
        return AskIntent("owner", cues=tuple(who + roles), **base)
    return AskIntent(None, **base)


@lru_cache(maxsize=1)
def agency_task_cue_words() -> frozenset[str]:
    """The folded syllables of the ``[agency_tasks] cues`` ("nhiệm vụ gì", "được giao", "phải làm gì")."""
    return frozenset(w for p in _phrases("agency_tasks", "cues") for w in p.split())


def asks_who_only(question: str) -> bool:
    """The question asks who ("ai", "cơ quan nào" … of ``[owner] who``) without a role word that
    would make it an owner question ("Ai đưa nội dung … vào lớp bồi dưỡng?")."""
    words = _words(question)
    return bool(_has(words, _phrases("owner", "who"))) and not _has(words, _phrases("document", "about_the_document"))


def agency_heads() -> tuple[str, ...]:
    """Folded words an agency's name starts with (``[agency] heads`` of the data file)."""
    return _phrases("agency", "heads")


def agency_spans(question: str, max_words: int = 9) -> list[tuple[int, int]]:
    """Character spans of the question's word runs that start with an agency head word, longest
    first: the candidates to try against known agency names."""
    folded = fold(question or "")
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w&]+", folded)]
    heads = set(agency_heads())
    out = []
    for i in range(len(words)):
        first = words[i][2]
        pair = f"{first} {words[i + 1][2]}" if i + 1 < len(words) else ""
        if first not in heads and pair not in heads:
            continue
        for j in range(min(len(words), i + max_words), i + 1, -1):
            out.append((words[i][0], words[j - 1][1]))
    return out


def place_aliases() -> dict[str, str]:
    """Folded short forms of places -> the folded place ("tphcm" -> "ho chi minh")."""
    return dict(_data().get("places", {}).get("aliases", {}))


def with_place_aliases(folded: str) -> str:
    """Folded text with short forms of places written out, for matching against documents."""
    out = f" {folded} "
    for short, full in sorted(place_aliases().items(), key=lambda kv: -len(kv[0])):
        out = out.replace(f" {short} ", f" {full} ")
    return out.strip()


def asks_outline(question: str) -> str | None:
    """What outline the question asks for ("Kế hoạch X gồm những phần lớn nào?"): "appendix"
    (its appendices' groups), "chapters" (its chapters) or "parts" (its highest headings); None
    when it asks no outline (``[outline]`` of the data file)."""
    words = _words(question).replace(" phan tram ", " % ")  # "bao nhiêu phần trăm" asks a figure
    cues = _has(words, _phrases("outline", "cues"))
    appendix = bool(_has(words, _phrases("outline", "appendix")))
    if appendix and _has(words, _phrases("outline", "group_cues")):
        return "appendix"
    if not cues:
        return None
    if appendix:
        return "appendix"
    if _has(words, _phrases("outline", "chapters")):
        return "chapters"
    return "parts"


#: The facts of a document a question may ask, in the order their parts are cited
#: (``[document.asks]`` of the data file).
DOCUMENT_FACTS = ("annexed", "effect", "replaces", "decides", "basis", "recipients", "period", "signer", "date", "number",
                  "issuer", "kind", "title")


def _asks() -> dict:
    return _data().get("document", {}).get("asks", {})


#: "gửi (cho) những tập đoàn nào", "gửi bộ nào", "có gửi Bộ Tư pháp không": whom a document is sent to, asked by the
#: kind of addressee or by one name (``[document.asks] recipients_nouns``); a verb after "gửi" ("gửi báo cáo về sở
#: nào") asks a task's. Built once: every question is read with it (document facts, structural intent).
@lru_cache(maxsize=1)
def _sent_to_re() -> re.Pattern[str]:
    nouns = _alternation(_asks().get("recipients_nouns", ()))
    heads = _alternation(_phrases("agency", "heads"))
    # "có gửi Bộ Tư pháp không": an agency's name after "gửi" ("gửi về Sở …", "gửi kinh phí", "gửi báo cáo": a task's)
    return re.compile(rf" gui (?:cho |den |toi )?(?:nhung |cac )?(?:{nouns})(?: \S+)? nao "
                      rf"| co (?:duoc )?gui (?:cho |den |toi )?(?!bao cao )(?:{heads})(?: \S+){{0,5}} khong ")


def asks_sent_to(question: str) -> bool:
    """The question asks whom the document is sent to by the kind of addressee or one name (:func:`_sent_to_re`)."""
    return _sent_to_re().search(_words(question)) is not None


def _span() -> dict:
    return _data().get("document", {}).get("span", {})


@lru_cache(maxsize=1)
def _span_re() -> re.Pattern[str]:
    bounds, whens = _alternation(_span().get("bounds", ())), _alternation(_span().get("whens", ()))
    return re.compile(rf" (?:{bounds}) (?:{whens}) ")


def asks_span(question: str) -> bool:
    """The question asks until or from when something runs ("thực hiện đến năm nào", "bắt đầu từ năm nào", "trong
    thời gian nào"), a time the text of a document states (its "Thời gian thực hiện: …" line), not the day it was
    issued or signed (``[document.span]``); when it takes effect ("có hiệu lực đến khi nào") or is issued or signed
    ("ban hành từ năm nào") is still asked of the document."""
    words = _words(question)
    if _has(words, tuple(_span().get("not_with", ()))):
        return False
    return _span_re().search(words) is not None


@lru_cache(maxsize=1)
def _carried_re() -> re.Pattern[str]:
    leads = _alternation(_asks().get("basis_carry_leads", ()))
    kinds = _alternation(_phrases("document", "kinds"))
    return re.compile(rf" (?:{leads}) (?:nhung |cac )?(?:{kinds}) nao ")


def carried_phrases(question: str) -> list[str]:
    """The phrases "thực hiện / triển khai <kind of document> nào" of ``question`` (folded, ``basis_carry_leads``):
    it asks what the document carries out, whatever the kind ("thông tri", "kết luận", "công văn" …)."""
    return [m.group(0).strip() for m in _carried_re().finditer(_words(question))]


def document_facts(question: str) -> tuple[str, ...]:
    """The facts of a document the question asks ("signer", "date" …, ``DOCUMENT_FACTS`` order);
    asked when it takes effect, its "when" cue asks that, not the day it was issued; asked until or from when it runs
    (:func:`asks_span`), its "period" (the "Thời gian thực hiện: …" line), not the day it was issued either."""
    words = _words(question)
    leads = "|".join(re.escape(w) for w in _asks().get("basis_lead", ()))
    basis_led = bool(leads) and re.search(rf" (?:{leads})(?: \S+){{0,4}} nao ", words) is not None
    basis_led = basis_led or bool(carried_phrases(question))
    asked = tuple(f for f in DOCUMENT_FACTS if _has(words, tuple(_asks().get(f, ()))) or (f == "basis" and basis_led)
                  or (f == "recipients" and asks_sent_to(question)))
    if "effect" not in asked and asks_span(question):  # "thực hiện đến năm nào": the period its text states
        asked = tuple(f for f in DOCUMENT_FACTS if f in asked or f == "period")
    if "effect" in asked or "period" in asked:
        asked = tuple(f for f in asked if f != "date")
    if "annexed" in asked:  # "… ban hành kèm theo quyết định nào": which decision issues it, not what it decides
        asked = tuple(f for f in asked if f != "decides")
    return asked


def basis_kind(question: str) -> str | None:
    """The kind of document a basis question asks for, folded as written ("căn cứ luật nào" -> "luat",
    "thực hiện QĐ nào của Thủ tướng" -> "qd"); None when it names none right after a basis lead word."""
    leads = "|".join(re.escape(w) for w in sorted(_asks().get("basis_kind_leads", ()), key=len, reverse=True))
    kinds = "|".join(re.escape(k) for k in sorted(_phrases("document", "kinds"), key=len, reverse=True)
                     if k not in ("van ban", "cong van"))
    if not leads or not kinds:
        return None
    m = re.search(rf" (?:{leads}) (?:nhung |cac )?({kinds})(?: \S+){{0,4}} (?:nao|gi) ", _words(question))
    return m.group(1) if m else None


def asks_effect_end(question: str) -> bool:
    """"… hết hiệu lực khi nào": the end of validity is asked, not the start."""
    return bool(_has(_words(question), tuple(_asks().get("effect_end", ()))))


def document_cues(section_key: str) -> tuple[str, ...]:
    """Folded openings of a document's clauses of one kind (``effect_clause``, ``basis_clause``)."""
    return tuple(_asks().get(section_key, ()))


def names_kind(question: str) -> str | None:
    """The kind of document the question names without a number ("kế hoạch", "quyết định" …;
    folded, abbreviations as written: "kh", "qd"), the first one; None when it names none."""
    words = _words(question)
    kinds = sorted(_phrases("document", "kinds"), key=len, reverse=True)
    found = [(words.find(f" {k} "), k) for k in kinds if f" {k} " in words and k not in ("van ban", "cong van")]
    found += [(words.find(f" {k} "), k) for k in ("cong van",) if f" {k} " in words]
    return min(found)[1] if found else None


def title_words(question: str) -> list[str]:
    """The question's own words for which document it means: folded syllables, without the cue
    phrases of ``[document]`` and ``[document.asks]``, the kind it names first, numbers and
    ``[document.titles] stop``."""
    words = with_place_aliases(_words(question).strip())
    words = f" {words} "
    cues = [c for f in DOCUMENT_FACTS for c in _asks().get(f, ())] + carried_phrases(question)
    cues += list(_phrases("document", "facts")) + list(_phrases("document", "about_the_document"))
    words = _without_phrases(words, cues)
    kind = names_kind(question)
    if kind:
        words = words.replace(f" {kind} ", " ", 1)  # the kind asked about; other kind words are title words
    stop = title_stop()
    return [w for w in re.findall(r"[a-z0-9]+", words) if w not in stop and not w.isdigit()]


def _without_phrases(spaced: str, phrases: list[str]) -> str:
    """``spaced`` (" word word … ") without every word that lies in an occurrence of one of ``phrases``.

    Why spans and not one replace after another: two cues of the same length that overlap ("co hieu
    luc tu" / "hieu luc tu ngay") left a different word behind depending on which went first, and a
    set's order changes with each process (PYTHONHASHSEED), so the same question named another
    document from one run to the next."""
    covered = [False] * len(spaced)
    for phrase in set(phrases):
        for m in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", spaced):
            covered[m.start():m.end()] = [True] * (m.end() - m.start())
    return "".join(" " if hide else ch for ch, hide in zip(spaced, covered))


def title_stop() -> frozenset[str]:
    """Folded syllables that say nothing of which document (or which of its clauses) is meant
    (``[document.titles] stop``)."""
    return frozenset(_data().get("document", {}).get("titles", {}).get("stop", ()))


def title_thresholds() -> tuple[float, int]:
    """(share of the question's words, fewest words) a title must hold (``[document.titles]``)."""
    t = _data().get("document", {}).get("titles", {})
    return float(t.get("share", 0.75)), int(t.get("min_words", 2))
