"""Answers built from the structured data, by what the question asks (index/query/ask_intent.py).

Why a module of its own: ``Tracuu.ask`` routes; these functions answer. Each one returns an
:class:`~ingest.shapes.Answer` or None, meaning "not this way: fall back to retrieval".

* a named document's facts: its header when it is ingested; the manifest, or the references
  that cite it, when it is only referenced (and the answer says its text is not ingested); never
  another document's facts;
* an agency's tasks, grouped by role, each cited;
* deadlines: every task due on the date the question names;
* which documents a question is scoped to ("Kế hoạch 214", "Quyết định 1560/QĐ-TTg").

Nothing here writes new facts: every sentence is a field extracted at ingest, or a quote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from tracuu.api.answer import lead_names, owner, owners_of
from tracuu.api.citations import DocumentInfo, document_name, format_date
from tracuu.api.doc_parts import (
    ADDRESSED,
    addressee_clause,
    annex_hits,
    header_hit,
    names_recipients_list,
    opening_clause,
    opening_lines,
    period_clause,
    signature,
)
from tracuu.api.tasks_view import ROLES, AgencyQuery, deadline_out, roles_of
from tracuu.index.query.ask_intent import (
    AskIntent,
    DocRef,
    agency_heads,
    agency_spans,
    asks_effect_end,
    basis_kind,
    document_cues,
    document_facts,
    names_kind,
    title_stop,
    title_thresholds,
    title_words,
    with_place_aliases,
)
from tracuu.index.query.places import named_places
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.manifest import number_key
from tracuu.ingest.shapes import Answer, Document, Hit, Owner
from tracuu.ingest.vntext import fold, folded_words

if TYPE_CHECKING:
    from tracuu.api.service import Tracuu

#: Folded abbreviations of document kinds, as officials type them before a number.
KIND_ABBREVIATIONS = {"qd": "quyet dinh", "ct": "chi thi", "kh": "ke hoach", "nq": "nghi quyet", "tb": "thong bao",
                      "cd": "cong dien", "nd": "nghi dinh", "tt": "thong tu", "cv": "cong van"}
_GIVER = re.compile(r"\s*(?:giao|de nghi|yeu cau|chi dao|phan cong)\b")
#: Document-fact cues (index/data/ask_intents.toml [document] facts) that ask when it was issued.
_ASKS_DATE = {"ky ngay", "ky khi nao", "ngay nao", "ngay bao nhieu", "khi nao", "bao gio", "nam nao", "ngay thang",
              "ban hanh"}
TASKS_LISTED = 8  # tasks quoted per role in an agency's answer; the rest are counted and cited
QUOTE_MAX = 220  # characters of a task quoted in a list (the citation holds the full text)
MAX_ELSEWHERE = 5  # documents named where an agency asked about in another document has tasks


def _kind(kind: str) -> str:
    return KIND_ABBREVIATIONS.get(kind, kind)


def _kind_matches(kind: str, doc_type: str | None) -> bool:
    """The kind the question names fits the document's type ("" and "văn bản" fit any)."""
    k = _kind(kind)
    return not k or not doc_type or k in ("van ban", "cong van") or fold(doc_type).startswith(k)


#: "(Về việc) ban hành (kèm theo) Kế hoạch …", "Phê duyệt Đề án …": the title of a decision that issues
#: or approves a document of another kind, which officials name by that kind ("Kế hoạch xuất khẩu của Sơn La").
_ISSUES = re.compile(r"^(?:ve viec\s+)?(?:ban hanh(?:\s+kem theo)?|phe duyet)\s+(?P<kind>[a-z]+\s+[a-z]+)\b")


def _issued_kind(title: str | None) -> str | None:
    """The kind of document a decision's title says it issues or approves (folded: "ke hoach"), or None."""
    m = _ISSUES.match(" ".join(fold(title or "").split()))
    return m.group("kind") if m else None


def _kind_fits(kind: str, doc_type: str | None, title: str | None) -> bool:
    """The kind the question names fits the document's type, or the kind of the document its title
    says it issues (a decision "ban hành Kế hoạch …" is the plan officials name)."""
    issued = _issued_kind(title)
    return _kind_matches(kind, doc_type) or (issued is not None and _kind_matches(kind, issued))


def _number_matches(ref: DocRef, number: str | None) -> bool:
    if not number:
        return False
    key = number_key(number).replace("đ", "d")
    lead = re.match(r"\d+", key)
    if not lead or lead.group(0) != ref.number:
        return False
    return not ref.symbol or key.startswith(ref.symbol) or ref.symbol.startswith(key)


# --------------------------------------------------------------------------- named documents


def ingested_named(svc: "Tracuu", refs: tuple[DocRef, ...]) -> list[str]:
    """Stored doc ids the question names by kind and number (the kind must fit when given, unless
    the full symbol is written)."""
    out = []
    for doc_id, h, file_name in svc.store().headers():  # header rows only: no clause is read
        entry = svc.manifest.by_id(doc_id)
        numbers = [h.number, entry.number if entry else None]
        for ref in refs:
            # a full symbol ("637/TB-VPCP") names the document whatever kind word precedes it
            # ("Thông báo kết luận 637/TB-VPCP" reads as kind "kết luận")
            if any(_number_matches(ref, n) for n in numbers) and (
                    "/" in ref.symbol or _kind_matches(ref.kind, h.doc_type or (entry.doc_type if entry else None))):
                out.append(doc_id)
                break
            if not h.number and _file_names(ref, file_name):
                out.append(doc_id)
                break
    return out


def _file_names(ref: DocRef, file_name: str | None) -> bool:
    """A document whose header gave no number, named by its file: "033-ct21-ttg-….txt" is
    Chỉ thị 21 (staff name files by kind and number)."""
    for kind, number in re.findall(r"(?:^|[-_ ])([a-z]+)(\d+)(?=[-_. ]|$)", fold(file_name or "")):
        if number.lstrip("0") == ref.number.lstrip("0") and (not ref.kind or _kind(kind) == _kind(ref.kind)
                                                              or _kind_matches(ref.kind, _kind(kind))):
            return True
    return False


def implementing(svc: "Tracuu", refs: tuple[DocRef, ...]) -> list[str]:
    """Stored doc ids that cite one of ``refs`` (the documents that carry it out)."""
    out: list[str] = []
    for doc_id, _, number, doc_type in svc.store().references():  # the references table, not every clause
        if (not out or out[-1] != doc_id) and any(
                _number_matches(ref, number) and _kind_matches(ref.kind, doc_type or "") for ref in refs):
            out.append(doc_id)
    return out


def knows_any(svc: "Tracuu", refs: tuple[DocRef, ...]) -> bool:
    """Whether any of ``refs`` is a document we hold: ingested, in the manifest, or cited by an
    ingested one. A question that names only documents we know nothing of ("Quyết định 1850/QĐ-TTg
    giao Bộ Nội vụ những việc gì?") must not be answered from the other documents' clauses."""
    if ingested_named(svc, refs) or implementing(svc, refs):
        return True
    return any(_number_matches(ref, e.number) and _kind_matches(ref.kind, e.doc_type)
               for ref in refs for e in svc.manifest.entries)


def _referenced(svc: "Tracuu", ref: DocRef, stored: set[str],
                ranked: list[str] | None = None, dated: bool = False) -> tuple[DocumentInfo | None, list[Any]]:
    """A document named but not ingested: its manifest entry (if any) and the clauses citing it,
    one per citing document: the one ranked highest for the question (``ranked``: clause ids,
    best first), else the first; the documents in the order of their clause's rank."""
    info = None
    for e in svc.manifest.entries:
        if e.doc_id not in stored and _number_matches(ref, e.number) and _kind_matches(ref.kind, e.doc_type):
            info = svc._info(None, e.doc_id)
            break
    order = {cid: i for i, cid in enumerate(ranked or [])}
    mine: dict[str, list[str]] = {}  # doc_id -> its clauses that cite the document
    for doc_id, clause_id, number, doc_type in svc.store().references():
        if _number_matches(ref, number) and _kind_matches(ref.kind, doc_type or ""):
            mine.setdefault(doc_id, []).append(clause_id)
    # per citing document, the citing clause closest to the question (first in document order
    # otherwise); asked when the document was issued, one that writes its date beside it first
    every = svc.store().clauses_by_ids([c for ids in mine.values() for c in ids]) if dated else {}

    def undated(cid: str) -> bool:
        clause = every.get(cid)
        return not (clause and any(r.date and _number_matches(ref, r.number) for r in clause.references))

    chosen = [min(ids, key=lambda c: (dated and undated(c), order.get(c, len(order)), ids.index(c)))
              for ids in mine.values()]
    found = svc.store().clauses_by_ids(chosen)
    citing = [found[c] for c in chosen if c in found]
    citing.sort(key=lambda c: order.get(c.clause_id, len(order)))
    return info, citing


def _opening(doc) -> list[Any]:
    """The document's first clause (its title and basis, where no header part is recorded)."""
    return [c for c in doc.clauses if c.kind not in ("recipients", "signature")][:1]


def _facts_sentence(doc: Document, date_as_written: str | None = None, signer: str | None = None) -> str:
    # the citation already names the number and date when it has them ("Kế hoạch số 214/KH-UBND
    # ngày 12/9/2025 của …"): they are not said twice
    parts = [doc.citation]
    if doc.number and doc.number not in doc.citation:
        parts.append(f"số {doc.number}")
    written = f" (ghi: «{date_as_written}»)" if date_as_written else ""
    if date_as_written and not doc.date:  # a day the text leaves blank ("Lào Cai, ngày    tháng 8 năm 2026")
        parts.append(f"ghi: «{date_as_written}»")
    if doc.date:
        when = f"ngày {format_date(doc.date) or doc.date}"
        if when in doc.citation:
            parts[0] += written
        else:
            parts.append(when + written)
    text = ", ".join(parts)
    if doc.issuer:
        text += f", do {doc.issuer} ban hành"
    text += "."
    if doc.title:
        text += f" Trích yếu: «{doc.title}»."
    s = doc.signer or {}
    name = s.get("name") or signer
    if name:
        who = ", ".join(x for x in (s.get("capacity"), s.get("position")) if x)
        text += f" Người ký: {name}" + (f" ({who})" if who else "") + "."
    return text


#: What each fact is called when a document does not state it (vi, en).
_FACT_NAMES = {"annexed": ("văn bản mà nó kèm theo", "what document it goes with"),
               "effect": ("ngày có hiệu lực", "when it takes effect"), "basis": ("căn cứ", "its basis"),
               "replaces": ("văn bản được thay thế, bãi bỏ", "what it replaces or repeals"),
               "decides": ("điều quyết định (Điều 1)", "what it decides (Article 1)"),
               "recipients": ("nơi nhận", "its recipients"), "signer": ("người ký", "who signed it"),
               "date": ("ngày ban hành", "its date"), "number": ("số hiệu", "its number"),
               "issuer": ("cơ quan ban hành", "its issuer"), "kind": ("loại văn bản", "its kind"),
               "title": ("trích yếu", "its title"),
               "period": ("thời gian thực hiện", "the period it runs")}


def _sentence_with(text: str, cues: tuple[str, ...]) -> str:
    """The sentence of ``text`` that holds one of ``cues`` (folded), as written; else ``text``."""
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if any(c in fold(sentence) for c in cues):
            return sentence.strip()
    return text


#: A clause of at most this many words that holds an effect cue is an article's title ("Điều 73. Hiệu lực thi
#: hành"), not the sentence that says when: the sentence is its first paragraph.
TITLE_WORDS = 5


def _clauses_saying(doc, cues: tuple[str, ...]) -> list[Any]:
    """The body clauses holding one of ``cues`` (folded), those that are more than an article's title first."""
    found = [c for c in doc.clauses if c.kind not in ("recipients", "signature") and any(k in fold(c.text) for k in cues)]
    return sorted(found, key=lambda c: len(c.text.split()) <= TITLE_WORDS)


def _effect_clauses(doc, end: bool) -> list[Any]:
    """The clause stating when the document takes effect (or, ``end``, when it stops)."""
    return _clauses_saying(doc, document_cues("effect_end" if end else "effect_clause"))[:1]


def _replaced_clauses(doc) -> list[Any]:
    """The clause stating what the document replaces or repeals ("… và thay thế Quyết định số …")."""
    return _clauses_saying(doc, document_cues("replaces_clause"))[:1]


def _basis_clauses(doc) -> list[Any]:
    """The opening clauses that state what the document is based on or carries out."""
    out = []
    for c in doc.clauses:
        if not c.path.startswith("preamble"):
            if out or c.order > 3:
                break
            continue
        if fold(c.text.lstrip(" -–*_")).startswith(document_cues("basis_clause")) or _addressed_basis(c.text):
            out.append(c)  # "*Căn cứ …;*": emphasis marks
    return out


def _addressed_basis(text: str) -> bool:
    """A letter's opening paragraph that names its addressees, then what it carries out: "Kính gửi: Các đồng chí Bộ
    trưởng … Thực hiện Kết luận số …" (the lines joined): a basis cue (``basis_clause``) written with a capital after
    "Kính gửi"."""
    folded = fold(text or "")
    if not ADDRESSED.match(folded) or len(folded) != len(text):
        return False
    return any(text[m.start()].isupper() for cue in document_cues("basis_clause")
               for m in re.finditer(rf"(?<= ){re.escape(cue)}\b", folded))


#: Folded openings of the basis line that names who proposed the document, and the question's words asking it.
_PROPOSER_LINES = ("theo de nghi", "xet de nghi")
_ASKS_PROPOSER = re.compile(r"\b(?:de nghi|to trinh)\b")


def _asks_proposer(question: str) -> bool:
    """The question asks on whose proposal the document was issued ("… theo đề nghị của cơ quan nào?")."""
    return bool(_ASKS_PROPOSER.search(folded_words(question)))


def _asked_first(clauses: list[Any], question: str, header: str) -> list[Any]:
    """``clauses`` with those holding the most of the question's words (less ``[document.titles]
    stop`` and ``basis_generic`` words; the words of the document's header, which say which document rather than which
    basis, count only on a tie) first, in their order otherwise: "… theo đề nghị của sở nào?" cites the "Theo đề nghị
    …" line, "… căn cứ Luật Dữ liệu nào?" the line of that law, not the first "Căn cứ"."""
    named = set(re.findall(r"[a-z0-9]+", with_place_aliases(fold(header))))
    generic = set(document_cues("basis_generic"))
    words = [w for w in re.findall(r"[a-z0-9]+", with_place_aliases(fold(question)))
             if w not in title_stop() and w not in generic and not w.isdigit()]
    if not words or len(clauses) < 2:
        return clauses

    def held(c) -> tuple[int, int]:  # the header's words only break ties ("Luật Năng lượng nguyên tử")
        own = set(folded_words(c.text).split())
        return -sum(1 for w in words if w in own and w not in named), -sum(1 for w in words if w in own)

    kind = basis_kind(question)
    leads = "|".join(re.escape(w) for w in document_cues("basis_clause"))
    cites = re.compile(rf"(?:{leads})\s+(?:vao\s+)?{re.escape(_kind(kind))}\b") if kind and leads else None

    def first_kind(c) -> bool:  # "căn cứ luật nào": a line citing a law first, before a decree that names one
        return bool(cites and cites.match(fold(c.text.lstrip(" -–"))))

    proposed = _asks_proposer(question)

    def proposer(c) -> bool:  # "theo đề nghị của ai": the "Theo đề nghị …" line, whatever words the "Căn cứ" lines share
        return proposed and fold(c.text.lstrip(" -–*_")).startswith(_PROPOSER_LINES)

    keys = [(not proposer(c), not first_kind(c)) + held(c) for c in clauses]
    if not any(k[2] for k in keys) and not any(first_kind(c) or proposer(c) for c in clauses):
        return clauses  # no line holds a word of its own of the question, nor cites the kind asked: their order
    return [c for _, c in sorted(zip(keys, clauses), key=lambda kc: kc[0])]


def _own_facts(svc: "Tracuu", doc, info: Document, question: str) -> tuple[str, list[Hit], bool]:
    """(the answer's sentence, its citations: the parts stating what is asked first, whether the
    document states any fact asked) for an ingested document."""
    facts = document_facts(question)
    head = header_hit(svc, doc)
    sign, name = signature(svc, doc)
    annexes = annex_hits(svc, doc)
    written = doc.header.date_as_written
    opening = opening_lines(doc) if head is None else None
    if opening:  # a header read from the opening lines (no header block): the clauses that write it
        annexes = annexes or [(svc.hit(c, 1.0), line) for c, line in opening.annexed]
    # a text kept from its annex on has no header: the annex's "(Kèm theo Nghị quyết số … ngày …)" says whose it is
    about = [head] if head is not None else [h for h, _ in annexes[:1]] or (
        [svc.hit(c, 1.0) for c in opening.clauses] if opening else []) or [svc.hit(c, 1.0) for c in _opening(doc)]
    found: dict[str, list[Hit]] = {}
    extra: list[str] = []
    annexed = head is None and bool(annexes)
    stated: dict[str, bool] = {"signer": bool(name), "date": bool(info.date or written),
                               "number": bool(info.number), "issuer": bool(info.issuer),
                               "kind": bool(info.doc_type), "title": bool(info.title)}
    if annexed:  # the annex line states the number and date of the document it goes with
        line = annexes[0][1]
        stated.update(date=stated["date"] or bool(re.search(r"\b[Nn]gày\s+\d", line)),
                      number=stated["number"] or bool(re.search(r"\d+/", line)), issuer=stated["issuer"] or " của " in line)
        if "annexed" not in facts:
            extra.append(f"Phụ lục: «{line}».")
    for fact in facts:
        if fact == "annexed":
            found[fact] = ([head] if head is not None else []) + [h for h, _ in annexes]
            stated[fact] = bool(found[fact])
            extra += [f"Kèm theo: «{line}»." for _, line in annexes[:2]]
        elif fact == "effect":
            clauses = _effect_clauses(doc, asks_effect_end(question))
            stated[fact] = bool(clauses)
            found[fact] = [svc.hit(c, 1.0, info) for c in clauses]
            extra += [f"Hiệu lực: «{_sentence_with(c.text, document_cues('effect_clause') + ('het hieu luc',))}» "
                      f"({c.label})." for c in clauses]
        elif fact == "replaces":
            clauses = _replaced_clauses(doc)
            stated[fact] = bool(clauses)
            found[fact] = [svc.hit(c, 1.0, info) for c in clauses]
            extra += [f"Thay thế / bãi bỏ: «{_sentence_with(c.text, document_cues('replaces_clause'))}» ({c.label})."
                      for c in clauses if c.clause_id not in {h.clause_id for h in found.get("effect", [])}]
        elif fact == "decides":
            clauses = [c for c in doc.clauses if c.path == "D1"][:1]  # Điều 1 of a decision
            stated[fact] = bool(clauses)
            found[fact] = [svc.hit(c, 1.0, info) for c in clauses]
            extra += [f"{c.label}: «{_short(c.text)}»." for c in clauses]
        elif fact == "basis":
            in_order = _basis_clauses(doc)
            clauses = _asked_first(in_order, question, svc._doc_context().get(doc.doc_id, ""))
            stated[fact] = bool(clauses)
            found[fact] = [svc.hit(c, 1.0, info) for c in clauses]
            if clauses:
                refs = [r.text for c in clauses for r in c.references]
                extra.append("Căn cứ / thực hiện: " + ("; ".join(dict.fromkeys(refs)) if refs else
                                                       " ".join(f"«{_short(c.text)}»" for c in clauses)) + ".")
                if clauses[0] is not in_order[0]:  # the line the question asks about, quoted
                    extra.append(f"{clauses[0].label[:1].upper()}{clauses[0].label[1:]}: «{_short(clauses[0].text)}».")
        elif fact == "recipients":
            clauses = [c for c in doc.clauses if c.kind == "recipients"][:1]
            if not names_recipients_list(question):  # "gửi những ai": whom it is addressed to, then its "Nơi nhận"
                clauses = [c for c in (addressee_clause(svc, doc),) if c is not None] + clauses
            stated[fact] = bool(clauses or doc.header.recipients or doc.header.addressees)
            found[fact] = [svc.hit(c, 1.0, info) for c in clauses]
            names = list(doc.header.addressees or []) + list(doc.header.recipients or [])
            if names:
                extra.append("Nơi nhận: " + "; ".join(names) + ".")
        elif fact == "period":  # "thực hiện đến năm nào": its "Thời gian thực hiện: …" line, then the header (its title
            clause = period_clause(doc)  # may name the year: "… ĐẾN NĂM 2035")
            found[fact] = [svc.hit(clause, 1.0, info)] if clause is not None else []
            stated[fact] = clause is not None or bool(re.search(r"\bnăm \d{4}", (info.title or "").lower()))
            if clause is not None:
                extra.append(f"Thời gian: «{_short(clause.text)}» ({clause.label}).")
        elif fact == "signer":
            found[fact] = [sign] if sign is not None else []
        elif opening and (first := opening_clause(opening, fact)) is not None:  # the clause that writes it, first
            found[fact] = [svc.hit(first, 1.0)] + [a for a in about if a.clause_id != first.clause_id]
        else:
            found[fact] = about
    text = _facts_sentence(info, written, name)
    if extra:
        text += " " + " ".join(extra)
    missing = [f for f in facts if not stated.get(f, True)]
    if missing and not (facts and "effect" in facts and asks_effect_end(question)):
        vi = ", ".join(_FACT_NAMES[f][0] for f in missing)
        en = ", ".join(_FACT_NAMES[f][1] for f in missing)
        text += f" Văn bản không ghi {vi} (trong phần đã nạp). / The document does not state {en} (in the text ingested)."
    elif missing:
        text += (" Văn bản không ghi thời điểm hết hiệu lực (trong phần đã nạp). / The document does not state when it "
                 "stops being in force (in the text ingested).")
    hits = [h for f in facts for h in found.get(f, [])] + about + ([sign] if sign is not None else [])
    return text, hits, not facts or len(missing) < len(facts)


def _title_scores(svc: "Tracuu", question: str, docs: list[str] | None = None,
                  issued: bool = False) -> list[tuple[float, int, int, str]]:
    """(share of the question's title words that a document's title, issuer, kind and place hold,
    how many of them, the place's words aside, its title alone holds, how many in all, doc_id) for each stored document of the
    kind the question names and of the place it names, if any; ``docs``: only these; ``issued``: a decision
    issuing or approving a document of that kind counts as of that kind (``_kind_fits``). Empty when the
    question names no kind or has no title words."""
    kind = names_kind(question)
    words = title_words(question) if kind else []
    if not words:
        return []
    places = named_places(question)  # a place named is the document's own ("Nghệ An" is not "An Giang")
    place_words = {w for p in places for w in p.split()}
    context = svc._doc_context()
    out = []
    for doc_id, h, file_name in svc.store().headers():
        if docs and doc_id not in docs:
            continue
        doc_kind = h.doc_type or _file_kind(file_name)
        if not (_kind_fits(kind, doc_kind, h.title) if issued else _kind_matches(kind, doc_kind)):
            continue
        # a text kept without its header: its file name's words and places stand for its title
        bare = context.get(doc_id, "") if not (h.issuer or h.title) else ""
        spaced = " " + " ".join(re.findall(r"[a-z0-9]+", with_place_aliases(fold(" ".join(
            x or "" for x in (h.title, h.issuer, h.doc_type, h.place, bare)))))) + " "
        if places and not any(f" {p} " in spaced for p in places):
            continue
        own = set(spaced.split())
        here = place_words | set(re.findall(r"[a-z0-9]+", with_place_aliases(fold(h.place or ""))))
        title = set(folded_words(h.title or bare).split()) - here  # "… trên địa bàn Cần Thơ"
        hit = sum(1 for w in words if w in own)
        out.append((hit / len(words), sum(1 for w in words if w in title), hit, doc_id))
    return out


def titled_documents(svc: "Tracuu", question: str, docs: list[str] | None = None) -> list[str]:
    """The stored documents a question asking a document's facts names by kind, place and title
    words without a number ("Kế hoạch chuyển đổi số doanh nghiệp của Đồng Tháp do ai ký?"): those
    whose title, issuer, kind and place hold the largest share of the question's own words, when
    that share and count pass ``[document.titles]``, and that are of the place it names, if any;
    on a tie, those whose title alone holds the most of them (the issuer "Ủy ban nhân dân" holds
    "dân" of "Kế hoạch về dân số" for every plan of the place); at most two (else none: not told
    apart). ``docs``: the documents the question is already scoped to, if any. A decision that issues or
    approves a document of the kind named ("Về việc ban hành Kế hoạch xuất khẩu …") is taken only when no
    document of that kind qualifies."""
    if not document_facts(question):
        return []
    share, least = title_thresholds()
    scored: list[tuple[float, int, str]] = []
    for issued in (False, True):  # a decision issuing a plan stands for "Kế hoạch …" only when no plan is meant
        scored = [(s, t) + (d,) for s, t, hit, d in _title_scores(svc, question, docs, issued)
                  if hit >= least and s >= share]
        if scored:
            break
    if not scored:
        return []
    best = max((s, t) for s, t, _ in scored)
    top = [d for s, t, d in scored if (s, t) == best]
    return top if len(top) <= 2 else []


#: Documents retrieval ranks first that :func:`annex_scope` reads, and the share of the question's own words the one
#: it takes must hold in its annex headings, header title or file name.
ANNEX_CANDIDATES = 8
ANNEX_SHARE = 0.5


def asks_by_annex(question: str) -> bool:
    """The question asks which document an annex or plan goes with, or another fact of a document it calls an annex."""
    facts = document_facts(question)
    return "annexed" in facts or bool(facts) and " phu luc " in f" {folded_words(question)} "


def annex_scope(svc: "Tracuu", question: str, retrieved: list[str]) -> list[str]:
    """The document a question asking a document's facts means by an annex or an issued plan it describes without
    naming it by number ("Phụ lục nhiệm vụ trọng tâm thực hiện Kết luận 213 kèm theo nghị quyết nào?", "Đề án đào tạo
    nhân lực … ban hành theo quyết định nào?", "Phụ lục I … ban hành ngày nào?"): among the first
    ``ANNEX_CANDIDATES`` documents of ``retrieved`` (doc ids, closest first) that have an annex heading naming the
    document it goes with (or, asked which document it goes with, a header), the one whose annex headings, header
    title and file name hold the largest share of the question's own words (``title_words``), at least
    ``ANNEX_SHARE``; on a tie the closest. Empty when the question asks no such fact or none qualifies."""
    if not asks_by_annex(question):
        return []
    asks_annex = "annexed" in document_facts(question)
    words = title_words(question)
    context = svc._doc_context()
    best: tuple[float, int, str] | None = None
    for rank, doc_id in enumerate(list(dict.fromkeys(retrieved))[:ANNEX_CANDIDATES]):
        doc = svc.store().get(doc_id)
        if doc is None:
            continue
        annexes = annex_hits(svc, doc)
        head = header_hit(svc, doc) if asks_annex and not annexes else None
        if not annexes and head is None:
            continue
        text = " ".join([h.text or "" for h, _ in annexes] + [doc.header.title or "", context.get(doc_id, "")])
        own = set(re.findall(r"[a-z0-9]+", with_place_aliases(fold(text))))
        share = sum(1 for w in words if w in own) / len(words) if words else 1.0
        if best is None or share > best[0]:
            best = (share, rank, doc_id)
    return [best[2]] if best is not None and best[0] >= ANNEX_SHARE else []


def scoped_by_title(svc: "Tracuu", question: str, docs: list[str], retrieved: list[str]) -> tuple[list[str], bool]:
    """(the documents ``docs`` (those of the place a question asking a document's facts names) in
    the order the question tells them apart, whether it tells the first from the second). Order: of
    the kind it names first (the others only when none is), then by the share of its title words
    each holds (``_title_scores``), then by ``retrieved`` (doc ids, closest to the question first).
    Told apart: the first holds more of the question's title words than the second, by share or, on
    a tie, in its title alone (one document alone is told apart). "Kế hoạch về dân số của Cần Thơ
    do ai ký?" is one of four Cần Thơ documents: answered in the order they were stored, the one
    meant came last."""
    scores = {d: (s, t) for s, t, _, d in _title_scores(svc, question, docs)}
    rank = {d: i for i, d in enumerate(retrieved)}
    ordered = sorted(docs, key=lambda d: (d not in scores, tuple(-x for x in scores.get(d, (0.0, 0))),
                                          rank.get(d, len(rank))))
    if len(ordered) < 2:
        return ordered, bool(ordered)
    first, second = (scores.get(d, (0.0, 0)) for d in ordered[:2])
    return ordered, first > second


#: A kind-and-number token of a file name ("ct21" in "033-ct21-ttg-….txt"), folded.
_NAME_KIND = re.compile(r"(?:^|[-_ ])([a-z]+)\d+(?=[-_. ]|$)")


def _name_kinds(file_name: str | None) -> list[str | None]:
    """Each kind-and-number token of a file name in order, as the kind it abbreviates, or None for a token that is no
    kind ("h10" of "h10-hardtables--01-cv174-….txt")."""
    return [_kind(k) if k in KIND_ABBREVIATIONS else None for k in _NAME_KIND.findall(fold(file_name or ""))]


def _file_kind(file_name: str | None) -> str | None:
    """The kind a file name gives ("033-ct21-ttg-….txt": chỉ thị), for documents without a header: its first
    kind-and-number token's."""
    return next(iter(_name_kinds(file_name)), None)


def document_answer(svc: "Tracuu", question: str, intent: AskIntent,
                    ranked: list[str] | None = None, named: list[str] | None = None) -> Answer | None:
    """The facts of the documents the question names; None when it names none we know of.
    ``ranked``: clause ids by relevance to the question, to choose which citing clauses to show
    for a document that is only referenced. ``named``: stored documents the question names by
    title (``titled_documents``), answered in place of ``intent.docs``."""
    stored = set(svc.store().list_ids())
    sentences: list[str] = []
    citations: list[Hit] = []
    documents: list[Document] = []
    stated_any = False
    groups = [(None, list(named))] if named else [(ref, _kind_named_first(svc, ref, ingested_named(svc, (ref,))))
                                                  for ref in intent.docs]
    leads: list[Hit] = []  # each document's part that states what is asked, before any document's other parts
    for ref, ids in groups:
        for doc_id in ids:
            doc = svc.store().get(doc_id)
            if doc is None:
                continue
            out = svc._info(doc, doc_id)
            documents.append(out)
            text, hits, stated = _own_facts(svc, doc, out, question)
            sentences.append(text)
            leads += hits[:1]
            citations += hits[1:]
            stated_any = stated_any or stated
        if ids or ref is None:
            continue
        info, citing = _referenced(svc, ref, stored, ranked, dated=bool(_ASKS_DATE & set(intent.cues)))
        if info is not None:
            documents.append(info)
            # how the citing document writes it ("Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024 …"), quoted
            written = next((r.text for c in citing for r in c.references if _number_matches(ref, r.number)), None)
            sentences.append(_facts_sentence(info) + (f" Văn bản đã nạp ghi: «{written}»." if written else "")
                             + " Văn bản này chỉ được dẫn chiếu: toàn văn chưa được nạp"
                             " vào cơ sở dữ liệu, nên không có nội dung hay người ký của nó.")
        elif citing:
            quotes = "; ".join(
                f"«{r.text}»" for c in citing for r in c.references if _number_matches(ref, r.number)
            )
            sentences.append(f"Văn bản này chưa được nạp; các văn bản đã nạp chỉ nhắc đến nó: {quotes}.")
        citations += [svc.hit(c, 0.5) for c in citing]
        stated_any = stated_any or info is not None or bool(citing)
    if not sentences:
        return None
    return Answer(question=question, found=stated_any, answer=" ".join(sentences), owners=[], deadline=None,
                  citations=_dedupe(leads + citations), intent="document", documents=documents)


def _kind_named_first(svc: "Tracuu", ref: DocRef, ids: list[str]) -> list[str]:
    """``ids`` (the stored documents ``ref`` names by number) with those of the very kind it names first: "Công văn
    174 của Ban Chỉ đạo …" is the công văn numbered 174 (its type, or for a text kept without its header its file
    name's kind), before a Kế hoạch numbered 174 that "công văn", which fits any type, also names. In their order
    otherwise; a generic kind ("văn bản") or none prefers no document."""
    kind = _kind(ref.kind)
    if len(ids) < 2 or not kind or kind == "van ban":
        return ids
    rows = {doc_id: (h.doc_type, file_name) for doc_id, h, file_name in svc.store().headers() if doc_id in ids}

    def exact(doc_id: str) -> bool:
        doc_type, file_name = rows.get(doc_id, (None, None))
        if doc_type:
            return fold(doc_type).startswith(kind)
        return kind in _name_kinds(file_name)  # any token: "h10-hardtables--01-cv174-….txt" ("h10" is none)

    return sorted(ids, key=lambda d: not exact(d))


def named_but_unknown(svc: "Tracuu", question: str, intent: AskIntent) -> Answer:
    """A document asked about that is neither ingested, nor in the manifest, nor cited."""
    names = ", ".join(f"{_kind(r.kind) or 'văn bản'} {r.symbol or r.number}" for r in intent.docs)
    return Answer(question=question, found=False, owners=[], deadline=None, citations=[], intent="document",
                  answer=f"Không có văn bản nào khớp với «{names}» trong cơ sở dữ liệu (chưa nạp, không có trong danh"
                         " mục, không văn bản nào dẫn chiếu).")


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for h in hits:
        if h.clause_id not in seen:
            seen.add(h.clause_id)
            out.append(h)
    return out


# --------------------------------------------------------------------------- agencies


def agency_in(svc: "Tracuu", question: str, *readings: str) -> str | None:
    """The agency a question names, as written. ``readings``: the question as typed, then with
    its abbreviations written out ("HND tỉnh" -> "Hội Nông dân tỉnh"), tried in order.

    First the gazetteer's first mention that gives some ingested task a role; else the longest
    run of words starting with an agency head word ("Công an Thành phố Hà Nội") that begins the
    name of an agency of the ingested tasks; else the gazetteer's first mention (an agency the
    documents give no task: the answer says so). "Liên hiệp các Hội KH&KT tỉnh" is found by the
    gazetteer as "Hội KH&KT tỉnh", which no task names; the run "Liên hiệp các Hội Khoa học và
    Kỹ thuật" of the written-out reading names the agency of the tasks.

    A run must begin a known name or a part of it after a head word ("Mặt trận Tổ quốc" of "Ủy ban
    Mặt trận Tổ quốc …"), not sit inside a word group: "cơ sở dữ liệu" holds the head word "sở",
    and "sở dữ liệu" lies inside "Trung tâm … cơ sở dữ liệu …", but no agency is called "Sở dữ
    liệu"; nor "sở hữu công nghiệp" (of "quyền sở hữu công nghiệp") an agency."""
    texts = [t for t in (question, *readings) if t]
    first = None
    for text in texts:
        folded = fold(text)
        # "Thủ tướng giao Bộ Tài chính …": the one giving the task is not the one asked about
        mentions = [m for m in find_agencies(text) if (m.agency_id or len(m.text.split()) >= 2)
                    and not _GIVER.match(folded[m.end:])]
        if mentions:
            first = first or mentions[0].text
            if svc._agency_tasks(without_place(svc, mentions[0].text)):
                return mentions[0].text
    names = known_agency_names(svc)
    for text in texts:
        for start, end in agency_spans(text):
            phrase = " ".join(re.findall(r"[\w&]+", fold(text[start:end])))
            if len(phrase.split()) >= 2 and any(_begins_name(phrase, n) for n in names):
                return text[start:end]
    return first


def _begins_name(phrase: str, name: str) -> bool:
    """``phrase`` (folded words) begins ``name`` (folded, space-padded) or a part of it that an
    agency head word opens: "mat tran to quoc" in "uy ban mat tran to quoc viet nam" (after the
    head "uy ban"), not "so du lieu" in "trung tam co so du lieu" (after "co")."""
    at = name.find(f" {phrase} ")
    heads = agency_heads()
    while at >= 0:
        before = name[:at].split()
        if not before or any(before[-len(h.split()):] == h.split() for h in heads):
            return True
        at = name.find(f" {phrase} ", at + 1)
    return False


#: Words before a place that say what kind of place it is ("tỉnh Sơn La", "TP. Cần Thơ"), folded.
_PLACE_KINDS = ("tinh", "thanh pho", "tp")


def without_place(svc: "Tracuu", agency: str) -> str:
    """``agency`` as the tasks name it: "Sở Ngoại vụ Sơn La" is the Sở Ngoại vụ of the Sơn La
    documents (the tasks write "Sở Ngoại vụ"), so a trailing place (with "tỉnh", "thành phố"
    before it) is dropped when the name as typed gives no task and the shorter one does."""
    if svc._agency_tasks(agency):
        return agency
    words = agency.split()
    folded = [fold(w).strip(".,") for w in words]
    for place in named_places(agency):
        n = len(place.split())
        if len(words) > n + 1 and " ".join(folded[-n:]) == place:
            cut = len(words) - n
            while cut > 1 and any(" ".join(folded[cut - len(k.split()):cut]) == k for k in _PLACE_KINDS):
                cut -= len(next(k for k in _PLACE_KINDS if " ".join(folded[cut - len(k.split()):cut]) == k).split())
            shorter = " ".join(words[:cut]).rstrip(" ,")
            if len(shorter.split()) >= 2 and svc._agency_tasks(shorter):
                return shorter
    return agency


def known_agency_names(svc: "Tracuu") -> list[str]:
    """Folded, space-padded names of every agency the ingested tasks name (per store generation)."""

    def build() -> list[str]:
        out = set()
        for row in svc.agencies():
            for name in [row.agency or "", *row.names_as_written]:
                if name:
                    out.add(" " + " ".join(re.findall(r"[\w&]+", fold(name))) + " ")
        return sorted(out)

    return svc._per_generation("agency_names", build)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX].rsplit(" ", 1)[0] + "…"


def agency_tasks_answer(svc: "Tracuu", question: str, agency: str, docs: list[str] | None,
                        ranked_clauses: list[str],
                        relevance: Callable[[list[dict[str, Any]]], dict[str, float]] | None = None,
                        topic: dict[str, int] | None = None) -> Answer | None:
    """The tasks that give ``agency`` a role, grouped by role, most relevant first: by
    ``relevance`` (task_id -> score, computed on the agency's tasks) when it scores them, else
    by their clause's rank in ``ranked_clauses``; the documents whose title holds more of the
    question's topic words (``topic``: doc_id -> how many) before the others, when the agency has
    tasks in one of them (it has tasks in several plans of a city; the question's topic names one)."""
    query = AgencyQuery.of(agency)
    tasks = [t for t in svc._agency_tasks(agency) if (not docs or t["doc_id"] in docs)]  # by the agency index
    roles_by_task = {t["task_id"]: query.roles_in(t) for t in tasks}
    mine = [t for t in tasks if roles_by_task[t["task_id"]]]
    if not mine:
        return None
    order = {cid: i for i, cid in enumerate(ranked_clauses)}
    score = relevance(mine) if relevance is not None else {}
    if score:
        # the documents in the order retrieval ranks the clauses of the tasks the agency leads
        # (which are listed first), then its other tasks (the words that name a plan's subject
        # are in its header, which a task's share leaves out); within one document, the clauses
        # by their best task
        leads = {t["clause_id"] for t in mine if "lead" in roles_by_task[t["task_id"]]}
        doc_rank: dict[str, int] = {}
        for cid in [c for c in ranked_clauses if c in leads] + ranked_clauses:
            doc_rank.setdefault(cid.split(":", 1)[0], len(doc_rank))
        best: dict[str, float] = {}
        for t in mine:
            best[t["clause_id"]] = max(best.get(t["clause_id"], float("-inf")), score.get(t["task_id"], float("-inf")))
        ranked_clauses = sorted(best, key=lambda c: (doc_rank.get(c.split(":", 1)[0], len(doc_rank)), -best[c],
                                                     order.get(c, len(order))))
        order = {cid: i for i, cid in enumerate(ranked_clauses)}
    given = {t["doc_id"] for t in mine}
    topic = {d: n for d, n in (topic or {}).items() if d in given}
    if topic:
        ranked_clauses = sorted(dict.fromkeys([*ranked_clauses, *(t["clause_id"] for t in mine)]),
                                key=lambda c: (-topic.get(c.split(":", 1)[0], 0), order.get(c, len(order))))
        order = {cid: i for i, cid in enumerate(ranked_clauses)}
    by_role: dict[str, list[dict[str, Any]]] = {}
    for t in mine:
        for role in ROLES:
            if role in roles_by_task[t["task_id"]]:
                by_role.setdefault(role, []).append(t)
                break  # a task is listed once, under its strongest role
    for role in by_role:
        by_role[role].sort(key=lambda t: order.get(t["clause_id"], len(order)))
    infos: dict[str, DocumentInfo] = {}
    name = agency
    lines = []
    citations = []
    for role, items in by_role.items():
        shown = items[:TASKS_LISTED]
        quoted = []
        for t in shown:
            quoted.append(f"«{_short(t['text'])}» ({svc._task_out(t, infos).citation})")
        more = f" và {len(items) - len(shown)} nhiệm vụ khác" if len(items) > len(shown) else ""
        lines.append(f"{ROLES[role].capitalize()} ({len(items)}): " + "; ".join(quoted) + more + ".")
        for t in items:
            clause = svc.store().clause(t["clause_id"])
            if clause is not None:
                citations.append(svc.hit(clause, 1.0 if role == "lead" else 0.5, infos.get(t["doc_id"])))
    # citations: the tasks the agency leads first (its own work), each group most relevant first
    citations.sort(key=lambda h: (h.score < 1.0, order.get(h.clause_id, len(order))))
    citations = _dedupe(citations)
    top = min(mine, key=lambda t: order.get(t["clause_id"], len(order)))
    # the owner asked about is the agency itself, in the roles the tasks give it, and the bodies
    # its first task names to lead with it ("Đề nghị Ủy ban MTTQ tỉnh và các Đoàn thể tỉnh …",
    # "15. Liên đoàn Lao động, Hội Nông dân, Liên minh Hợp tác xã"): they do that work together
    owners: list[Owner] = [owner(ref, role) for role, ref in roles_of(top) if query.names(ref)]
    if any(o.role == "lead" for o in owners):
        owners += [owner(ref, role) for role, ref in roles_of(top) if role == "lead" and not query.names(ref)]
    if "lead" in by_role and not any(o.role == "lead" for o in owners):
        ref = next(r for t in by_role["lead"][:1] for role, r in roles_of(t) if role == "lead" and query.names(r))
        owners.append(owner(ref, "lead"))
    return Answer(question=question, found=True, owners=owners, deadline=deadline_out(top),
                  answer=f"Nhiệm vụ của {name} ({len(mine)}): " + " ".join(lines), citations=citations,
                  intent="agency_tasks", tasks_by_role={r: [t["task_id"] for t in items] for r, items in by_role.items()})


def agency_without_tasks(svc: "Tracuu", question: str, agency: str, docs: list[str] | None) -> Answer:
    """found=false for "X có nhiệm vụ gì" when no task of the documents asked about (``docs``;
    None: every document) gives X a role, said in both languages; the documents that do give
    it tasks are named, when there are some."""
    where_vi = "các văn bản được hỏi" if docs else "các văn bản đã nạp"
    where_en = "the documents asked about" if docs else "the ingested documents"
    elsewhere = sorted({t["doc_id"] for t in svc._agency_tasks(agency)} - set(docs or ())) if docs else []
    text = (f"Không tìm thấy nhiệm vụ nào giao cho «{agency}» trong {where_vi}. / "
            f"No task of {where_en} is given to «{agency}».")
    if elsewhere:
        names = "; ".join(document_list(svc, elsewhere[:MAX_ELSEWHERE]))
        text += f" Cơ quan này có nhiệm vụ trong: {names}. / It has tasks in: {names}."
    return Answer(question=question, found=False, owners=[], deadline=None, citations=[], answer=text,
                  intent="agency_tasks")


# --------------------------------------------------------------------------- deadlines


def _due_on(task: dict[str, Any], day: int, month: int, year: int | None) -> bool:
    for d in [task.get("deadline") or {}, *(task.get("deadlines") or [])]:
        parts = [d, *(d.get("parts") or [])] if d else []
        for p in parts:
            if p.get("day") == day and p.get("month") == month and (year is None or p.get("year") in (None, year)):
                return True
    return False


def tasks_due(svc: "Tracuu", date: tuple[int, int, int | None], docs: list[str] | None) -> list[dict[str, Any]]:
    day, month, year = date
    tasks = [t for d in sorted(set(docs)) for t in svc.store().tasks(d)] if docs else svc.all_tasks()
    return [t for t in tasks if _due_on(t, day, month, year)]


def deadline_list_answer(svc: "Tracuu", question: str, due: list[dict[str, Any]], ranked_clauses: list[str],
                         date: tuple[int, int, int | None]) -> Answer:
    """Every task due on the date the question names, the most relevant first."""
    order = {cid: i for i, cid in enumerate(ranked_clauses)}
    due = sorted(due, key=lambda t: order.get(t["clause_id"], len(order)))
    infos: dict[str, DocumentInfo] = {}
    lines, citations = [], []
    for t in due[:TASKS_LISTED]:
        who = lead_names(owners_of([t])) or "không nêu cơ quan"
        lines.append(f"{who}: «{_short(t['text'])}» (thời hạn: {t['deadline']['text'] if t.get('deadline') else '—'}; "
                     f"{svc._task_out(t, infos).citation})")
    for t in due:
        clause = svc.store().clause(t["clause_id"])
        if clause is not None:
            citations.append(svc.hit(clause, 1.0, infos.get(t["doc_id"])))
    day, month, year = date
    when = f"{day}/{month}" + (f"/{year}" if year else "")
    more = f" (và {len(due) - TASKS_LISTED} nhiệm vụ khác)" if len(due) > TASKS_LISTED else ""
    top = due[0]
    return Answer(question=question, found=True, owners=owners_of([top]), deadline=deadline_out(top),
                  answer=f"Các nhiệm vụ có thời hạn ngày {when} ({len(due)}){more}: " + " ".join(f"- {x}" for x in lines),
                  citations=_dedupe(citations), intent="deadline")


def same_deadline(svc: "Tracuu", task: dict[str, Any]) -> list[dict[str, Any]]:
    """Other tasks of the same document sharing ``task``'s deadline (same text, folded)."""
    d = task.get("deadline") or {}
    key = " ".join(fold(d.get("text") or "").split())
    if not key or d.get("kind") in ("continuous", "unknown"):
        return []
    return [t for t in svc.store().tasks(task["doc_id"])
            if t["doc_id"] == task["doc_id"] and t["task_id"] != task["task_id"] and t.get("deadline")
            and " ".join(fold(t["deadline"].get("text") or "").split()) == key]


def role_names_of(task: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for role, ref in roles_of(task):
        out.setdefault(role, []).append(ref.get("name") or "")
    return out


def document_list(svc: "Tracuu", doc_ids: list[str]) -> list[str]:
    return [document_name(svc.doc_info(d)) for d in doc_ids]
