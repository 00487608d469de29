"""Who owns which task: lead, coordinators, advisee, report line, performer and deadline per clause.

Why rules and not a model: plans assign work in a few fixed Vietnamese phrasings, and every role
must be citable (an official asks "who leads II.3, by when?" and pastes the answer into a report).
The phrasings handled, each giving ``Task.pattern``:

* "X chủ trì, phối hợp với A, B và C ..." (chủ trì - phối hợp), "X chủ trì ..." (chủ trì)
* "Giao X ..." (giao ...), "Đề nghị X ..." (đề nghị ...), with "X chỉ đạo Y làm ..." -> Y performs
* a plain subject: "Các sở, ban, ngành tỉnh và UBND các xã, phường tổ chức ..." (chủ ngữ)
* "... do X chủ trì, phối hợp với ... thực hiện" (do ... chủ trì)
* "X có trách nhiệm:" followed by points a) b) c): the points inherit X (có trách nhiệm; the
  ``lead_in`` path says where X is written), as does anything under a heading that is only names
* ", X kịp thời phản ánh về Y (qua Z)" after a condition: a standing instruction (phản ánh)
* appendix rows (bảng phụ lục): the columns are named by cue words, whatever the header says
  ("Cơ quan/Đơn vị chủ trì (thực hiện)", "Cơ quan thực hiện / Phối hợp", "Thời gian dự kiến hoàn
  thành"); a cell lists several agencies separated by commas, semicolons or line breaks, and the
  gazetteer keeps names that contain a comma whole
* role lines under a task ("Đơn vị chủ trì: …", "- Cơ quan phối hợp: …", "Thời gian thực hiện: …",
  nested under "b) Cơ quan thực hiện:"), linked to the task lines before them (dòng vai trò,
  :mod:`ingest.rolelines`)
* heads of agencies stand for their agency: "Giám đốc Sở Y tế", "Chánh Văn phòng UBND tỉnh, Giám
  đốc các sở: Tài chính, Y tế … chịu trách nhiệm thi hành" (Điều 3), "Bộ trưởng Bộ Nội vụ chỉ đạo"
* the subject after an opening phrase ("Để …, các Sở …", "Trường hợp …, thì Văn phòng …")
* a clause that gives work to several subjects ("X làm A; Y làm B") is one task per subject
* points under a heading of names ("2. Sở Y tế", "4. Sở Tài chính (cơ quan chủ trì)") inherit the
  nearest one; a partner heading with no owner ("a) Chủ trì, phối hợp với …:") adds partners

Roles inside the task text: "phối hợp với L" -> coordinators; "tham mưu (cho) L", "giúp L" ->
advises; "báo cáo L", "gửi (báo cáo ...) về L", "phản ánh về L" -> reports_to, where "(qua Z)"
right after makes Z the channel (``AgencyRef.via``), never a coordinator. Other agencies named in
the text are kept in ``mentions``. A provincial or local body carries its province
(``AgencyRef.jurisdiction``: the one written after it, else the issuer's), so Sở Tài chính of one
province is not another's. A clause with no owner (a goal such as "Tỷ lệ nợ quá hạn dưới
1%", a heading) yields no task. Role words and column names are data: [roles] and [columns] in
``ingest/data/agencies.toml``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

from tracuu.ingest.agencies import AgencyMention, Gazetteer, load_gazetteer, tokenize
from tracuu.ingest.cellrole import row_roles
from tracuu.ingest.deadlines import Deadline, ended_before, find_deadlines, heading_deadline, main_deadline, parse_deadline, time_statement
from tracuu.ingest.flatrows import split_flat_row
from tracuu.ingest.grouplead import group_lead
from tracuu.ingest.headnames import heading_name
from tracuu.ingest.kindnames import with_function
from tracuu.ingest.markers import letter_follows
from tracuu.ingest.model import Clause
from tracuu.ingest.noticereader import in_task_section, notice_reader
from tracuu.ingest.pipetables import body_table_rows
from tracuu.ingest.placesubject import with_place_subjects
from tracuu.ingest.rolelines import RoleValue, is_role_clause, read_role_line, read_role_lines
from tracuu.ingest.vntext import fold, mend_split_syllables, nfc

#: The fields of a :class:`Task` that hold agency references, each a list of :class:`AgencyRef`.
REF_FIELDS = ("lead", "coordinators", "advises", "reports_to", "performer", "mentions")

# Clause kinds that are structure, never a task.
NON_TASK_KINDS = frozenset({"muc", "phan", "chuong", "muc_chuong", "appendix_group", "preamble", "recipients", "signature", "title", "header"})

_B = r"(?<![0-9a-z])"
_E = r"(?![0-9a-z])"
_BRACKET = re.compile(r"[ \t]*\([^()\n]{1,80}\)(?=[ \t]*(?:[,;]|va\s|cung\s|hoac\s))")


def _after_bracket(folded: str, end: int) -> int:
    """Past a bracket right after a list item when the list goes on after it: "Sở Tài chính (Chi
    cục Thuế), Công an tỉnh": the bracket says which part of the item, and ends no list."""
    mt = _BRACKET.match(folded, end)
    return mt.end() if mt is not None else end


_SEP = re.compile(r"[ \t]*(?:[,;]\s*(?:va\s+)?|\n\s*|va\s+|cung\s+|hoac\s+)")  # a list may wrap after its separator
_HEADING_OF = re.compile(r"\s*(?:trach nhiem|nhiem vu)(?: cua)?\s+")
_COMMA = re.compile(r"\s*,?\s*")  # what may stand between a name and its verb: "X chủ trì", "X, chủ trì"


# a marker the layout left inside a paragraph's text: "a) ", "2.3. ", "(1) ", "(iii) ", "Điều 3. "
_TEXT_MARKER = re.compile(r"\s*(?:\(?[a-zđ]\)|\(\d+\)|\((?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})\)|\d{1,2}(?:\.\d{1,2})*[.)]|[IVX]+\.|[A-ZĐ]\.|Điều\s+\d+[a-zđ]?\.)\s+")
_OPEN_PAREN = re.compile(r"\s*\(?\s*")  # "báo cáo UBND tỉnh (qua Sở Tài chính)"


def _after_comma(folded: str, pos: int) -> int:
    m = _COMMA.match(folded, pos)
    return m.end() if m else pos


@dataclass(frozen=True)
class AgencyRef:
    """An agency in a role: the name as written, written out in full, and the gazetteer's id.

    ``via`` is set on a report line: "báo cáo UBND tỉnh (qua Sở Tài chính)" reports to UBND tỉnh
    via Sở Tài chính. ``found_in`` is the clause path where the name is written (plus
    "/<column>" for a table cell); ``start``/``end`` are offsets into that clause text or cell.
    """

    name: str
    full: str
    agency_id: str | None
    level: str | None
    found_in: str = ""
    start: int = -1
    end: int = -1
    via: "AgencyRef | None" = None
    jurisdiction: str | None = None  # province of a provincial or local body ("Đồng Tháp"): part of its identity

    @classmethod
    def of(cls, m: AgencyMention, found_in: str) -> "AgencyRef":
        # "các sở: Tài chính, Y tế": the written "Tài chính" is shown as "Sở Tài chính"
        name = m.full if m.matched == "shared" else m.text
        return cls(name, m.full, m.agency_id, m.level, found_in, m.start, m.end)


@dataclass
class Task:
    """One task of a plan: what, who leads, who helps, who is advised or reported to, by when."""

    task_id: str  # clause_id + "#" + n, stable across re-ingests
    clause_id: str
    doc_id: str
    path: str
    text: str  # the clause text (for a table row: the task cell)
    pattern: str  # how the owner was named, see the module docstring
    lead: list[AgencyRef]
    coordinators: list[AgencyRef] = field(default_factory=list)
    advises: list[AgencyRef] = field(default_factory=list)
    reports_to: list[AgencyRef] = field(default_factory=list)
    performer: list[AgencyRef] = field(default_factory=list)
    mentions: list[AgencyRef] = field(default_factory=list)  # named, with no role found
    deadline: Deadline | None = None  # the most specific deadline stated
    deadlines: list[Deadline] = field(default_factory=list)  # every deadline phrase of the text
    recurrence: str | None = None
    lead_in: str | None = None  # path of the clause where the lead is written, when not this one
    product: str | None = None  # appendix "Sản phẩm"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _written_words_re(phrases: Iterable[str], any_space: bool = False) -> re.Pattern[str]:
    """Phrases as written in lower case (not folded: "cơ sở" must not read as the verb "có sở"), each
    a whole word sequence with its spaces exactly as listed (``any_space``: any run of white space
    between its words, a line end too); a pattern that never matches when there are none."""
    keys = sorted({" ".join(nfc(p).lower().split()) for p in phrases if p.strip()}, key=len, reverse=True)
    if not keys:
        return re.compile(r"(?!)")
    space = r"\s+" if any_space else r"\ "
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k).replace(r"\ ", space) for k in keys) + r")(?!\w)")


def _phrase_re(phrases: Iterable[str], homographs: dict[str, list[str]] | None = None) -> re.Pattern[str]:
    """Folded phrases as one regex. ``homographs`` (``[role_homographs]`` of agencies.toml): a phrase whose last
    word folds like another word is not matched where the next word shows it is that other word
    ("chủ trì cùng …" is a partner cue, "Chủ trì cung cấp …" is not: both fold to "cung")."""
    keys = sorted({fold(nfc(p)).strip() for p in phrases if p.strip()}, key=len, reverse=True)
    after = {fold(nfc(w)): [fold(nfc(n)) for n in nexts] for w, nexts in (homographs or {}).items()}
    parts = []
    for k in keys:
        part = re.escape(k).replace(r"\ ", r"\s+")
        nexts = after.get(k.split()[-1])
        if nexts:
            part += r"(?!\s+(?:" + "|".join(re.escape(n) for n in nexts) + r")" + _E + ")"
        parts.append(part)
    body = "|".join(parts) or r"(?!x)x"
    return re.compile(_B + "(?:" + body + ")" + _E)


class _Roles:
    """The [roles] phrases of agencies.toml, compiled for folded text."""

    def __init__(self, g: Gazetteer) -> None:
        r = g.roles
        self.assign = _phrase_re(r.get("assign", []))
        self.request = _phrase_re(r.get("request", []))
        self.lead = _phrase_re(r.get("lead", []))
        self.coordinate = _phrase_re(r.get("coordinate", []), g.role_homographs)
        self.partner_adverb = _phrase_re(r.get("partner_adverbs", []))
        self.partner_verb = re.compile(r",?\s*" + _phrase_re(r.get("partner_verbs", [])).pattern)  # "phối hợp(,) hỗ trợ X"
        self.advise = _phrase_re(r.get("advise", []))
        self.direct = _phrase_re(r.get("direct", []))
        self.handing = _phrase_re(r.get("handing", []))
        self.report = _phrase_re(r.get("report", []))
        self.via = _phrase_re(r.get("via", []))
        self.responsible = _phrase_re(r.get("responsible", []))
        self.standing = _phrase_re(r.get("standing", []))
        self.link = {fold(nfc(w)) for w in r.get("report_link", [])}
        self.opening = _phrase_re(r.get("opening", []))
        self.topic = _phrase_re(r.get("topic_openers", []))
        self.name_tail = _phrase_re(r.get("name_tail", []))
        self.subject_stop = _phrase_re(r.get("subject_stop", []))
        self.generic = _phrase_re(r.get("generic_subjects", []))
        self.role_head = _phrase_re(r.get("role_subject_heads", []))
        self.done = _phrase_re(r.get("done", []))
        self.received = _phrase_re(r.get("received", []))
        self.decision = _phrase_re(r.get("decision_openers", []))
        self.imperative_adverb = _phrase_re(r.get("imperative_adverbs", []))
        self.forwarding = _phrase_re(r.get("forwarding", []))
        self.closing = _phrase_re(r.get("closing", []))
        self.honorific = re.compile(_phrase_re(r.get("honorifics", [])).pattern + r"\s+")
        titles = _phrase_re(g.heads.get("titles", [])).pattern
        # "Bí thư, Chủ tịch Ủy ban nhân dân tỉnh …": a title listed before the title of the body
        self.title_before_title = re.compile(titles + r"[ \t]*,[ \t]*(?=" + titles + r")")
        verbs = [p for k in ("verbs", "lead", "coordinate", "advise", "direct", "report") for p in r.get(k, [])]
        self.verb = _phrase_re(verbs)
        self.written_verb = _written_words_re(verbs)
        self.written_list_stop = _written_words_re(r.get("list_piece_stop", []))


def _agency_of_head(m: AgencyMention, text: str, g: Gazetteer) -> AgencyMention:
    """A name that is a head's title ("Chủ tịch Ủy ban nhân dân tỉnh") as the agency it heads,
    read on in the text ("Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc trung ương" heads
    "Ủy ban nhân dân tỉnh, thành phố trực thuộc trung ương"); any other mention unchanged."""
    toks = tokenize(m.text)
    size = g.title_at(toks, 0) if toks else 0
    if not size or size >= len(toks):
        return m
    rest_at = m.start + toks[size].start
    line_end = text.find("\n", rest_at)
    tail = text[rest_at : line_end if line_end >= 0 else len(text)]
    inner = [x for x in g.find(tail) if x.start == 0 and x.end >= m.end - rest_at]
    if not inner:
        return m
    x = inner[0]
    return replace(x, start=rest_at, end=rest_at + x.end)


_MINISTERS = re.compile(r"(?<!\w)(?:[Cc]ác\s+)?Bộ\s+trưởng(?=\s*(?:,|;|và\s))")


def _bare_ministers(text: str, mentions: list[AgencyMention], g: Gazetteer) -> list[AgencyMention]:
    """"Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …": the title alone, with no ministry after it,
    stands for the ministries (the gazetteer's "các bộ")."""
    if "cac-bo" not in g.entries:
        return []
    entry = g.entries["cac-bo"]
    out = []
    for mt in _MINISTERS.finditer(text):
        if not any(m.start <= mt.start() < m.end for m in mentions):
            # shown as the ministries it stands for ("các bộ"), as a shared head's agency is
            out.append(AgencyMention(mt.group(), mt.start(), mt.end(), entry.id, entry.level, entry.name,
                                     entry.name, "shared"))
    return out


@lru_cache(maxsize=4)
def _place_after_re(places: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    return re.compile(r"\s*,\s*((?:[Tt]hành phố|[Tt]ỉnh)\s+)?(?:" + names + r")(?![\w])")


def _shared_head_places(mentions: list[AgencyMention], text: str, g: Gazetteer) -> list[AgencyMention]:
    """"UBND thành phố Hà Nội, Thành phố Hồ Chí Minh và …": a bare place after a provincial body
    that names its own place shares that body's head - it is the other city's UBND."""
    out = list(mentions)
    taken = [(m.start, m.end) for m in mentions]
    for m in mentions:
        if m.agency_id is None or m.level != "provincial" or not m.province:
            continue
        entry = g.entries[m.agency_id]
        head = m.text[: m.text.rfind(m.province)].rstrip()
        end = m.end
        # every place of the list shares it: "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh, Hòa Bình
        # và Cần Thơ"; after a known province, a place the list lacks (a former province) too
        while (hit := _next_place(text, end, g, end > m.end)) is not None:
            start, stop = hit
            if any(a < stop and start < b for a, b in taken):
                break
            written = text[start:stop]
            place = re.sub(r"^(?:[Tt]hành phố|[Tt]ỉnh)\s+", "", written)
            own = head
            if written != place:  # "Thành phố Hồ Chí Minh" carries its own level word
                own = re.sub(r"\s+(?:[Tt]hành phố|[Tt]ỉnh)$", "", head)
            name = f"{own} {written}" if own else written
            out.append(AgencyMention(written, start, stop, m.agency_id, m.level, entry.canonical(place),
                                     g.expand_abbreviations(name), "shared", place))
            taken.append((start, stop))
            end = stop
    return sorted(out, key=lambda x: x.start)


def _next_place(text: str, pos: int, g: Gazetteer, any_place: bool) -> tuple[int, int] | None:
    """The next place of a list of places at ``pos`` (", Cần Thơ", ", tỉnh Hòa Bình", " và thành
    phố Cần Thơ"): a known province, or with ``any_place`` one to three capitalised words that
    end the list or are followed by another item. None when no place follows."""
    sep = re.match(r"\s*,\s*|\s+và\s+", text[pos:])
    if sep is None:
        return None
    start = pos + sep.end()
    level = re.match(r"(?:[Tt]hành phố|[Tt]ỉnh)\s+", text[start:])
    at = start + (level.end() if level else 0)
    for p in sorted(g.province_names, key=len, reverse=True):
        if text.startswith(p, at) and not re.match(r"\w", text[at + len(p) : at + len(p) + 1]):
            return start, at + len(p)
    if not any_place:
        return None
    end = _place_at(text, at)
    if end < 0 or len(text[at:end].split()) > 3 or not re.match(r"\s*(?:[,;.)]|\s+và\s|$)", text[end:]):
        return None
    return start, end


def _split_capital_suffix(mentions: list[AgencyMention], text: str, g: Gazetteer) -> list[AgencyMention]:
    """"Sở Khoa học và Công nghệ Tỉnh đoàn" (two cells of a flattened row): the level word "tỉnh"
    read onto the first name is, written with a capital, the start of the next one ("Tỉnh đoàn")."""
    out: list[AgencyMention] = []
    for m in mentions:
        mt = re.search(r"\s(Tỉnh|Thành phố)$", m.text)
        nxt = g.find(text[m.start + mt.start(1) :]) if mt is not None else []
        if mt is None or not nxt or nxt[0].start != 0 or nxt[0].end <= len(mt.group(1)):
            out.append(m)
            continue
        cut = m.start + mt.start()
        head = [h for h in g.find(text[m.start : cut]) if h.start == 0 and h.end == cut - m.start]
        if not head:
            out.append(m)
            continue
        second = nxt[0]
        base = m.start + mt.start(1)
        if any(o is not m and base <= o.start < base + second.end for o in mentions):
            out.append(m)  # the next name is read already: leave the reading as it is
            continue
        out.append(replace(head[0], start=m.start, end=cut))
        out.append(replace(second, start=base + second.start, end=base + second.end))
    return sorted(out, key=lambda x: x.start)


@lru_cache(maxsize=4)
def _qualifier_res(g: Gazetteer) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    r = g.roles
    closed = _phrase_re(r.get("qualifiers_closed", []))
    open_ = _phrase_re(r.get("qualifiers_open", []))
    stop = _phrase_re(r.get("verbs", []) + r.get("lead", []) + r.get("coordinate", []) + r.get("responsible", [])
                      + r.get("subject_stop", []) + r.get("report", []) + r.get("advise", []) + ["va", "cua"])
    return closed, open_, stop


@lru_cache(maxsize=4)
def _competence_re(g: Gazetteer) -> re.Pattern[str]:
    return re.compile(r" " + _phrase_re(g.roles.get("competence_tails", [])).pattern)


def _qualified(m: AgencyMention, text: str, folded: str, mentions: list[AgencyMention], g: Gazetteer) -> AgencyMention:
    """A collective name goes on with what narrows it ([roles].qualifiers_*): "UBND các xã vùng khó
    khăn", "các bộ, ngành địa phương liên quan". Only a collective ("các …" or a group entry)."""
    is_group = m.agency_id is not None and m.agency_id in g.entries and g.entries[m.agency_id].level == "group"
    if not (is_group or re.search(r"(?<![a-z])cac\s", fold(m.text))):
        return m
    closed, open_, stop = _qualifier_res(g)
    pos = m.end
    if not folded.startswith(" ", pos):
        return m
    pos += 1
    if any(o.start == pos for o in mentions):
        return m
    end = -1
    mt = closed.match(folded, pos)
    if mt is not None:
        end = mt.end()
        if "," in text[pos:end] and not re.search(r"[,;.:()]", text[m.end : pos]):
            # "các bộ quản lý ngành, lĩnh vực": the comma is the qualifier's own
            written = text[m.start : end]
            return replace(m, text=written, end=end, full=g.expand_abbreviations(written))
    else:
        mt = open_.match(folded, pos)
        if mt is not None:
            end = mt.end()
            for _ in range(2):
                w = re.match(r" ([^\W\d_]+)(?![\w/])", folded[end:])
                if w is None or stop.match(folded, end + 1) or any(o.start == end + 1 for o in mentions):
                    break
                end += w.end()
            if end == mt.end() and len(folded[mt.start() : mt.end()].split()) == 1:
                return m  # a one-word qualifier alone ("vùng", "thuộc") names nothing
    if end < 0 and not re.search(r"(?:lien quan|khac|\bnay|kem theo)$", fold(m.text)):  # "… tại khoản 1 Điều này": closed
        end = _run_on(pos, text, folded, mentions, g)
    if end < 0 or re.search(r"[,;.:()]", text[m.end : end]):
        return m
    written = text[m.start : end]
    return replace(m, text=written, end=end, full=g.expand_abbreviations(written))


def _run_on(pos: int, text: str, folded: str, mentions: list[AgencyMention], g: Gazetteer) -> int:
    """A collective whose kind is narrowed by plain lower-case words the gazetteer lacks, up to the
    verb of its sentence: "các tổ chức đoàn thể chính trị tham gia …", "các đơn vị cấp nước
    thuộc phạm vi quản lý xây dựng …". ``pos`` is where the first such word starts. At most
    ``_RUN_ON_WORDS`` words, none a name the gazetteer reads, ending at a verb, a role word or an
    adverb of instruction, or with a closing qualifier ("… thuộc phạm vi quản lý"). A word the
    lists do not know may be a verb ("… tổng hợp, báo cáo", "… phản hồi về Ban Chỉ đạo"), so
    punctuation, "và", "của" or a word that opens a phrase of scope end nothing: -1, no run-on."""
    closed = _qualifier_res(g)[0]
    stop, scope = _run_on_res(g)
    lower = text.lower()  # matched as written: folded, "củng cố" would read as "có"
    most = _RUN_ON_WORDS
    starts = {o.start for o in mentions}
    k, end = pos, -1
    for n in range(most + 1):
        if scope.match(lower, k):
            return -1  # "… doanh nghiệp phản hồi về Ban Chỉ đạo": the word before "về" is a verb
        if stop.match(lower, k):
            return end
        tail = closed.match(folded, k)
        if tail is not None and end >= 0:
            return tail.end()
        if n == most or k in starts:
            return -1
        w = _PLACE_WORD.match(text, k)
        if w is None or not w.group()[0].islower():
            return -1
        end = w.end()
        if not text.startswith(" ", end):
            return -1
        k = end + 1
    return -1


_RUN_ON_WORDS = 2


@lru_cache(maxsize=4)
def _run_on_res(g: Gazetteer) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What ends a run-on name (verbs, role words, adverbs of instruction) and what forbids one
    (words of scope, "và", "của"), as written in lower case (not folded)."""
    r = g.roles
    ends = [k for k in ("verbs", "lead", "coordinate", "responsible", "subject_stop", "report", "advise",
                        "run_on_stop", "imperative_adverbs", "assign", "request")]
    return (_written_words_re([p for k in ends for p in r.get(k, [])], any_space=True),
            _written_words_re(r.get("list_piece_stop", []) + ["và", "của"], any_space=True))


_PLACE_WORD = re.compile(r"[^\W\d_]+")


def _place_at(text: str, pos: int) -> int:
    """End of a place name at ``pos``: one to four capitalised words ("Cần Thơ", "Hồ Chí Minh",
    "Hòa Bình"), or -1."""
    end = -1
    k = pos
    for _ in range(4):
        w = _PLACE_WORD.match(text, k)
        if w is None or not w.group()[0].isupper() or (len(w.group()) > 1 and w.group().isupper()):
            break
        end = w.end()
        if not text.startswith(" ", end):
            break
        k = end + 1
    return end


def _with_places(m: AgencyMention, text: str, g: Gazetteer) -> AgencyMention:
    """"Ủy ban nhân dân các tỉnh, thành phố Hà Nội, Cần Thơ và Lâm Đồng": a collective of provinces
    named one by one is one body with its places (the list ends at the first item that is no
    place name: "… và các địa phương có liên quan" is another body)."""
    if not fold(m.text).endswith(("cac tinh, thanh pho", "cac tinh", "cac thanh pho")):
        return m
    end = m.end
    first = True
    while True:
        sep = re.match(r" " if first else r",\s*|\s+và\s+", text[end:])
        if sep is None:
            break
        p = _place_at(text, end + sep.end())
        if p < 0:
            break
        end, first = p, False
    if end == m.end:
        return m
    written = text[m.start : end]
    return replace(m, text=written, end=end, full=g.expand_abbreviations(written))


class _Text:
    """One text (a clause or a cell) with its folded form and the agencies it names."""

    def __init__(self, text: str, where: str, g: Gazetteer) -> None:
        self.text = nfc(text)
        self.folded = fold(self.text)
        self.where = where
        self.g = g
        found = [_agency_of_head(m, self.text, g) for m in g.find(self.text)]
        # a head's agency read on may cover the names after it: keep the longer reading
        self.mentions = [m for m in found if not any(o is not m and o.start <= m.start and m.end <= o.end
                                                     and (o.end - o.start) > (m.end - m.start) for o in found)]
        self.mentions = sorted(self.mentions + _bare_ministers(self.text, self.mentions, g), key=lambda m: m.start)
        # "Các tỉnh A, B khẩn trương …", "Tỉnh căn cứ …": the province's committee acts
        self.mentions = with_place_subjects(self.text, self.mentions, g)
        self.mentions = _split_capital_suffix(self.mentions, self.text, g)
        self.mentions = _shared_head_places(self.mentions, self.text, g)
        self.mentions = [_qualified(m, self.text, self.folded, self.mentions, g) for m in self.mentions]
        self.mentions = [_with_places(m, self.text, g) for m in self.mentions]
        # "các tổ chức cung cấp dịch vụ chi trả": a vague kind narrowed by its function (ingest/kindnames.py)
        self.mentions = [with_function(m, self.text, self.mentions, g, _run_on_res(g)[0]) for m in self.mentions]
        self.by_start = {m.start: m for m in self.mentions}
        # a head of agency stands for the agency: "Giám đốc Sở Y tế", "Chủ tịch UBND cấp xã"
        toks = tokenize(self.text)
        tok_at = {tk.start: k for k, tk in enumerate(toks)}
        anchors = [(m.start, m) for m in self.mentions]
        for mt in g.shared_head_re.finditer(self.text):  # "Giám đốc các sở: Tài chính, Y tế"
            if mt.end() in self.by_start:
                self.by_start.setdefault(mt.start(), self.by_start[mt.end()])
                anchors.append((mt.start(), self.by_start[mt.end()]))
        for start, m in anchors:
            k = tok_at.get(start)
            if k is None:
                continue
            for size in (3, 2, 1):  # the longest title first: "Thủ trưởng", not "trưởng"
                if k - size >= 0 and g.title_at(toks, k - size) >= size:
                    self.by_start.setdefault(toks[k - size].start, m)
                    break
        self.used: set[int] = set()

    def skip_space(self, pos: int) -> int:
        while pos < len(self.folded) and self.folded[pos].isspace():
            pos += 1
        return pos

    def list_at(self, pos: int) -> tuple[list[AgencyMention], int]:
        """The agencies listed from ``pos`` on ("A, B và C", "A; B"), with a trailing level word
        spread over the list ("Ủy ban MTTQ Việt Nam và các tổ chức CT-XH cấp tỉnh")."""
        pos = self.skip_space(pos)
        first = self.by_start.get(pos)
        if first is None:
            return [], pos
        items = [first]
        end = first.end
        while (sep := _SEP.match(self.folded, _after_bracket(self.folded, end))) is not None \
                and sep.end() in self.by_start:
            nxt = self.by_start[sep.end()]
            items.append(nxt)
            end = nxt.end
        if len(items) > 1:
            scope = self.g.scope_of(items[-1])
            items = [self.g.scoped(m, scope) for m in items[:-1]] + [items[-1]]
        return items, end

    def refs(self, items: list[AgencyMention]) -> list[AgencyRef]:
        for m in items:
            self.used.add(m.start)
        return [AgencyRef.of(m, self.where) for m in items]

    def lists_after(self, phrase: re.Pattern[str]) -> list[AgencyMention]:
        """Every agency list that directly follows ``phrase``."""
        out: list[AgencyMention] = []
        for mt in phrase.finditer(self.folded):
            items, _ = self.list_at(mt.end())
            out.extend(items)
        return out

    def partners(self, roles: "_Roles") -> list[AgencyMention]:
        """The partners of every "phối hợp" phrase, in the ways officials write them: right after
        it ("phối hợp với Sở Y tế, Sở Tài chính", "phối hợp Sở Y tế"), after an adverb
        ("phối hợp chặt chẽ lực lượng Công an"), after a second verb ("phối hợp, hỗ trợ Bộ Y tế",
        "phối hợp, cung cấp thông tin với các sở"), and a kind of bodies written without "các"
        ("phối hợp với cơ quan thông tấn, báo chí trên địa bàn", "phối hợp cơ quan chuyên môn")."""
        out: list[AgencyMention] = []
        for mt in roles.coordinate.finditer(self.folded):
            if self._handed_on(mt.start(), roles):
                continue
            out.extend(self._partners_at(mt.end(), roles))
        # "X chủ trì …; Y phối hợp bố trí kinh phí", "X chủ trì, Y phối hợp": a later subject that only helps
        after_lead = [m.end() for m in roles.lead.finditer(self.folded)]
        for mt in re.finditer(r";\s*|,\s*", self.folded):
            if mt.group().startswith(",") and not any(re.fullmatch(r"\s*", self.folded[e : mt.start()]) for e in after_lead):
                continue
            items, end = self.list_at(mt.end())
            if items and roles.coordinate.match(self.folded, _after_comma(self.folded, end)):
                out.extend(m for m in items if m not in out)
        return out

    def _handed_on(self, pos: int, roles: "_Roles") -> bool:
        """Whether the "phối hợp" at ``pos`` belongs to the object of a verb that hands work on
        ([roles].handing): "… chỉ đạo hệ thống y tế cơ sở phối hợp với các trường …", "… hoặc phân
        công một cơ quan, đơn vị chủ trì, phối hợp với các cơ quan liên quan …". The object is a
        few words right before it (no verb, no break of the sentence; "chủ trì," may close it),
        and the verb is not what opens the text (there its object is the one given the work)."""
        f = self.folded
        lo = max((m.end() for m in re.finditer(r"[;:.\n]", f[:pos])), default=0)
        for mt in roles.handing.finditer(f, lo, pos):
            if not f[lo : mt.start()].strip():
                continue  # "Chỉ đạo các đơn vị phối hợp với …" opens the text: its own reading
            # the written words (folded, "cơ sở" would read as the verb "có")
            between = re.sub(r"(?:,\s*)?chủ trì\s*,?\s*$", "", self.text[mt.end() : pos].lower()).strip(" ,")
            words = between.split()
            if 1 <= len(words) <= 10 and roles.written_verb.search(between) is None:
                return True
        return False

    def _partners_at(self, pos: int, roles: "_Roles") -> list[AgencyMention]:
        f = self.folded
        tries = [pos]
        adverb = roles.partner_adverb.match(f, self.skip_space(pos))
        if adverb is not None:
            # a name that starts inside the adverb phrase ("chặt chẽ lực lượng" + "lực lượng Công an")
            tries.extend(s for s in sorted(self.by_start) if adverb.start() < s < adverb.end())
            link = re.match(r"\s+(?:voi|cung)" + _E, f[adverb.end():])
            tries.append(adverb.end() + (link.end() if link else 0))
        verb = re.match(r",\s*((?:[^\W\d_]+\s+){1,4}?)voi\s", f[pos:])
        if verb is not None and not re.search(r"[A-ZĐ]", self.text[pos : pos + verb.end()]):
            tries.append(pos + verb.end())  # "phối hợp, cung cấp thông tin với …"
        second = roles.partner_verb.match(f, pos)
        if second is not None:
            tries.append(second.end())  # "phối hợp, hỗ trợ Bộ …"
        for at in tries:
            items, end = self.list_at(at)
            if items:
                items, end = self._through_unknown(items, end, roles)
                # "UBND các phường, xã và lực lượng chức năng": a kind of bodies written without
                # "các" may close the list
                sep = re.compile(r"[ \t]*(?:,[ \t]*)?(?:va|hoac)[ \t]+").match(f, end)
                more = self._kinds_at(sep.end()) if sep is not None else None
                return items + [more] if more is not None else items
        for at in tries:
            bare = self._kinds_at(at)
            if bare is not None:
                return [bare]
        return []

    def _through_unknown(self, items: list[AgencyMention], end: int,
                         roles: "_Roles") -> tuple[list[AgencyMention], int]:
        """A partner list that goes on past words the gazetteer does not read, to a list that closes
        with the related bodies: "phối hợp với các sở, ngành, báo, đài và các đơn vị có liên quan",
        "phối hợp Ban Quản lý các khu công nghệ cao và khu công nghiệp; các doanh nghiệp viễn thông
        và các đơn vị liên quan". The unread words are one partner as written ("báo, đài"), or, when
        "và" joins them to the name before with no mark between ("… cao và khu công nghiệp;"), the
        rest of that name. Nothing changes when the words hold a verb or a stop word, run longer
        than a few words, or the list after them does not end with bodies "liên quan"."""
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        nxt = min((s for s in self.by_start if end < s <= line_end), default=None)
        if nxt is None:
            return items, end
        gap = self.text[end:nxt]
        lower = gap.lower()
        if not re.search(r"(?:[,;]|\svà)\s*$", gap) or re.search(r"[.:()\n]", gap) or len(gap.split()) > 8:
            return items, end
        if roles.written_verb.search(lower) or roles.written_list_stop.search(lower):
            return items, end
        more, more_end = self.list_at(nxt)
        if not more or "lien quan" not in fold(more[-1].text).lower():
            return items, end
        body = re.match(r"^\s*(?:[,;]\s*(?:và\s+)?)?(.*?)\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+)$", gap, re.S)
        if body is None or not body.group(1).strip(" ,;"):
            return items, end
        words = body.group(1)
        at = end + body.start(1)
        out = list(items)
        joined = re.match(r"\s+và\s+", gap)
        if joined is not None and not re.search(r"[,;]", gap[: joined.end()]):
            tail = re.match(r"[^,;]*", gap[joined.end():]).group()
            if tail and tail[0].islower():  # "… cao và khu công nghiệp": the name goes on
                last = out[-1]
                grown = self.text[last.start : end + joined.end() + len(tail.rstrip())]
                out[-1] = AgencyMention(grown, last.start, last.start + len(grown), None, last.level, grown,
                                        self.g.expand_abbreviations(grown), "guess", last.province)
                rest = gap[joined.end() + len(tail):]
                words = re.sub(r"^\s*[,;]\s*(?:và\s+)?", "", rest)
                words = re.sub(r"\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+)$", "", words)
                at = nxt - len(rest) + (len(rest) - len(rest.lstrip(" ,;")))
        words = words.strip(" ,;")
        if words:
            if not words[0].islower() and not words[0].isupper():
                return items, end
            at = self.text.find(words, at)
            out.append(AgencyMention(words, at, at + len(words), None, None, words,
                                     self.g.expand_abbreviations(words), "guess"))
        return out + more, more_end

    def _kinds_at(self, pos: int) -> AgencyMention | None:
        """A kind of bodies written without "các" ("cơ quan thông tấn, báo chí trên địa bàn Thành
        phố", "đơn vị chuyên môn"), read by the gazetteer's collective names as if "các" stood
        before it. The name is what is written; None when no kind of bodies starts at ``pos``."""
        pos = self.skip_space(pos)
        if pos >= len(self.text) or not self.text[pos].islower():
            return None
        verbs = {" ".join(nfc(w).lower().split()) for w in self.g.roles.get("verbs", [])}
        if any(re.match(re.escape(v) + r"(?!\w)", self.text[pos:].lower()) for v in verbs):
            return None  # "phối hợp tổ chức tập huấn": "tổ chức" is what is done, not who
        line_end = self.text.find("\n", pos)
        rest = self.text[pos : line_end if line_end >= 0 else len(self.text)]
        lead_in = "các "
        found = [m for m in self.g.find(lead_in + rest) if m.start == 0 and m.end > len(lead_in) + 1]
        if not found:
            return None
        m = found[0]
        if m.agency_id is not None and self.g.entries[m.agency_id].level != "group":
            return None
        written = rest[: m.end - len(lead_in)].rstrip(" ,")
        competent = _competence_re(self.g).match(fold(rest), len(written))
        if competent is not None:
            written = rest[: competent.end()]  # "cơ quan có thẩm quyền": not cut to "cơ quan"
        start = pos
        mention = AgencyMention(written, start, start + len(written), m.agency_id, m.level, m.name,
                                self.g.expand_abbreviations(written), m.matched)
        self.by_start.setdefault(start, mention)
        return mention


@dataclass
class _Owner:
    lead: list[AgencyRef]
    pattern: str
    end: int  # offset in the owner's text just after the lead list
    coordinators: list[AgencyRef] = field(default_factory=list)


def _enumerated(t: _Text, refs: list[AgencyRef], end: int) -> tuple[list[AgencyRef], int] | None:
    """"Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý Khu kinh tế tỉnh):" - a collective
    subject whose members are named in brackets right after it: the members own the task. The
    collective may run on in lower case before the bracket; the bracket must hold only names."""
    if not refs or refs[-1].agency_id is not None and not fold(refs[-1].name).startswith(("cac ", "nhung ")):
        return None
    m = re.compile(r"((?:\s+[^\s(),;:.]+){0,8}?)\s*\(([^()]+)\)").match(t.text, end)
    if m is None or any(not w[:1].islower() for w in m.group(1).split()):
        return None
    inner_at = m.start(2)
    members = cell_agencies(m.group(2), t.where, t.g)
    if not members or any(not r.name[:1].isupper() for r in members):
        return None
    covered = sum(r.end - r.start for r in members)
    if covered < 0.7 * len(m.group(2).strip()):
        return None  # "(trừ các dự án …)": a bracket of words, not of names
    return refs[:-1] + _shift(members, inner_at), m.end()


def _subject_to_duty(t: _Text, roles: _Roles, refs: list[AgencyRef],
                     end: int) -> tuple[list[AgencyRef], int] | None:
    """A collective subject the gazetteer reads only in part, up to "có/chịu trách nhiệm": "Các
    đơn vị cấp nước sạch trên địa bàn có trách nhiệm", "Các cơ quan quản lý nhà nước, tổ chức, cá
    nhân liên quan có trách nhiệm …": the last name runs on to the duty phrase. Only when the words
    between hold no verb, no punctuation but commas, and do not open a phrase of scope ("trong
    phạm vi …", [roles].subject_stop). None when the subject needs no growing."""
    if not refs or refs[-1].start < 0:
        return None
    duty = roles.responsible.search(t.folded, end)
    if duty is None or duty.start() == t.skip_space(end):
        return None
    last = refs[-1]
    gap = t.folded[end : duty.start()]
    if re.search(r"[;.:()\[\]\"“”]", gap) or len(gap.split()) > 20:
        return None
    relative = fold(last.name).endswith(tuple(fold(w) for w in t.g.roles.get("relative_tails", [])))
    if not relative and any(w[:1].isupper() for w in t.text[end : duty.start()].split()):
        return None  # another name the gazetteer does not read: not a run-on of this one
    if not (last.agency_id is None or fold(last.name).startswith(("cac ", "nhung "))):
        return None  # "Sở Y tế trong phạm vi …": a known body does not grow
    if roles.subject_stop.match(gap.lstrip(" ,")) or (
            not relative and roles.verb.search(roles.name_tail.sub(" ", gap))):
        return None  # after "được giao"/"được phân công" the words are what was given: no verb of its own
    stop = duty.start()
    name = t.text[last.start:stop].rstrip(" ,")
    grown = AgencyRef(name, t.g.expand_abbreviations(name), None, last.level, last.found_in, last.start,
                      last.start + len(name))
    return refs[:-1] + [grown], last.start + len(name)


def _generic_subject(t: _Text, roles: _Roles, start: int, heading: bool = False) -> _Owner | None:
    """A body named by its part in a procedure ([roles].generic_subjects): "Cơ quan phối hợp có
    trách nhiệm trả lời …", "Cơ quan đăng ký đầu tư có trách nhiệm …"; with ``heading``, a heading
    that is only such a name ("3. Cơ quan chủ trì giải quyết thủ tục"). The name runs, in lower
    case, up to the duty phrase (or the end of the heading)."""
    if not t.text[start : start + 1].isupper():
        return None
    f = t.folded
    if roles.generic.match(f, start) is None:
        return None if heading else _role_noun_subject(t, roles, start)
    if heading:
        if ":" in t.text:
            return None  # "Cơ quan chủ trì:" is a role label over its lines, not a heading of a name
        stop = len(t.text.rstrip(" ."))
    else:
        duty = roles.responsible.search(f, start)
        if duty is None:
            return None
        stop = duty.start()
    span = t.text[start:stop].rstrip(" ,")
    words = span.split()
    if not words or len(words) > 10 or re.search(r"[;.:()]", span) or any(w[:1].isupper() for w in words[1:]):
        return None
    ref = AgencyRef(span, span, None, None, t.where, start, start + len(span))
    return _Owner([ref], "có trách nhiệm", start + len(span))


def _role_noun_subject(t: _Text, roles: _Roles, start: int) -> _Owner | None:
    """A role noun as the subject of a duty: a head noun of [roles].role_subject_heads, capitalised
    where the sentence starts, and the lower-case words that narrow it, up to the duty phrase:
    "Cơ quan có thẩm quyền có trách nhiệm: …", "Nhà đầu tư có trách nhiệm: …", "Cơ quan, tổ chức,
    doanh nghiệp có trách nhiệm phối hợp …"; a place may close it ("… doanh nghiệp Việt Nam"). The
    role noun is the owner as written. None when the words before the duty phrase are more than a
    name: a verb's scope or condition ([roles].subject_stop: "Cơ quan … được giao", "… khi …"), a
    capitalised word before the place (another name), a list ending in "và"/"hoặc", punctuation
    other than commas, or more than ten words."""
    f = t.folded
    if roles.role_head.match(f, start) is None:
        return None
    duty = roles.responsible.search(f, start)
    if duty is None:
        return None
    span = t.text[start : duty.start()].rstrip(" ,")
    words = span.split()
    if not words or len(words) > 10 or re.search(r"[;.:()\[\]\"“”]", span):
        return None
    caps = len(words)
    while caps > 1 and words[caps - 1][:1].isupper() and len(words) - caps < 3:
        caps -= 1  # "Cơ quan, tổ chức, doanh nghiệp Việt Nam": a place closes the name
    if any(w[:1].isupper() for w in words[1:caps]) or fold(words[caps - 1]) in ("va", "hoac"):
        return None
    if any(roles.subject_stop.match(f, start + m.start()) for m in re.finditer(r"(?<=\s)\S", span)):
        return None
    ref = AgencyRef(span, span, None, None, t.where, start, start + len(span))
    return _Owner([ref], "có trách nhiệm", start + len(span))


def _owner(t: _Text, roles: _Roles) -> _Owner | None:
    """Who the text itself names as owner, and in which phrasing."""
    f = t.folded
    start = t.skip_space(0)
    marker = _TEXT_MARKER.match(t.text, start) if not t.by_start.get(start) else None
    if marker is not None:
        start = marker.end()  # "2. Giao Công an tỉnh …" written as a paragraph: the marker is no subject
    honour = roles.honorific.match(f, start)
    if honour is not None and not t.by_start.get(start):
        start = honour.end()  # "Đồng chí Bộ trưởng Bộ Y tế …": the title is the subject
    listed = roles.title_before_title.match(f, start) if not t.by_start.get(start) else None
    if listed is not None:
        start = listed.end()  # "Các đồng chí Bí thư, Chủ tịch UBND tỉnh …": the body of the last title owns it
    prefix = None
    items: list[AgencyMention] = []
    end = start
    for word, label in ((roles.assign, "giao"), (roles.request, "đề nghị")):
        mt = word.match(f, start)
        if mt is not None:
            pos = mt.end()
            honour = roles.honorific.match(f, t.skip_space(pos))
            if honour is not None:
                pos = honour.end()  # "Đề nghị các đồng chí Bộ trưởng, Thủ trưởng …"
            cho = re.match(r"\s*:|\s+cho" + _E, f[pos:])
            items, end = t.list_at(pos + (cho.end() if cho else 0))
            prefix = label if items else None
            break
    if not items:
        items, end = t.list_at(start)
        for word, label in ((roles.assign, "giao"), (roles.request, "đề nghị")):
            # "UBND tỉnh giao Sở Y tế …", "Ủy ban nhân dân Thành phố yêu cầu các sở …": the one
            # given the work owns it, not the one who gives it
            mt = word.match(f, _after_comma(f, end)) if items else None
            if mt is not None:
                cho = re.match(r"\s*:|\s+cho" + _E, f[mt.end():])
                given, given_end = t.list_at(mt.end() + (cho.end() if cho else 0))
                if given:
                    items, end, prefix = given, given_end, label
                break
    if items:
        parts = [prefix] if prefix else []
        refs = t.refs(items)
        listed = _enumerated(t, refs, end)
        if listed is not None:
            refs, end = listed
        grown = _subject_to_duty(t, roles, refs, end) if listed is None else None
        if grown is not None:
            refs, end = grown
            return _Owner(refs, " - ".join(parts + ["có trách nhiệm"]), end)
        lead = roles.lead.match(f, _after_comma(f, end))
        if lead is not None:
            parts.append("chủ trì")
            if roles.coordinate.match(f, _after_comma(f, lead.end())):
                parts.append("phối hợp")
        return _Owner(refs, " - ".join(parts) or "chủ ngữ", end)
    generic = _generic_subject(t, roles, start)
    if generic is not None:
        return generic
    for mt in re.finditer(_B + r"do\s+", f):
        items, end = t.list_at(mt.end())
        if items and roles.lead.match(f, _after_comma(f, end)):
            return _Owner(t.refs(items), "do ... chủ trì", end)
    for mt in re.finditer(r"(?:" + roles.request.pattern + r"|,)\s+", f):
        items, end = t.list_at(mt.end())
        if items and roles.standing.match(f, t.skip_space(end)):
            return _Owner(t.refs(items), "phản ánh", end)
    return _after_title(t, roles) or _after_opening(t, roles)


def _after_title(t: _Text, roles: _Roles) -> _Owner | None:
    """The subject after a task's own title and a colon or an opening bracket: "Thu hút chuyên
    gia về tỉnh: Sở Nội vụ chủ trì tham mưu; …", "Rà soát thủ tục: giao Sở Tư pháp …", "Hỗ trợ
    vay vốn (Chi nhánh NHCSXH tỉnh chủ trì, phối hợp với …)". The title is short (one phrase,
    no sentence end before the colon); the owner is the list right after the colon, followed by
    a role word ("chủ trì", a duty) or handed the work ("giao", "đề nghị")."""
    f = t.folded
    mark = _TEXT_MARKER.match(t.text)  # "(iii) Về thủ tục …: Giao Bộ Xây dựng …": the marker is no bracket
    begin = mark.end() if mark is not None else 0
    if roles.topic.match(f, t.skip_space(begin)):
        topic = _after_topic(t, roles, begin)
        if topic is not None:
            return topic
    sep = re.compile(r"[:(]").search(f, begin)
    colon = sep.start() if sep is not None else -1
    if colon < 0 or re.search(r"[.;]\s", f[begin:colon]) or len(f[begin:colon].split()) > 25 \
            or any(m.start < colon for m in t.mentions):
        return None  # a title names no body: "Báo cáo UBND tỉnh (qua Sở Tài chính)" is no title
    if sep.group() == "(" and (roles.report.search(f, 0, colon) or roles.advise.search(f, 0, colon)):
        return None  # "… báo cáo cấp thẩm quyền (UBND tỉnh, các Bộ chủ trì dự án …)": who is reported to
    return _owner_after(t, roles, colon, sep.group() == ":")


def _owner_after(t: _Text, roles: _Roles, colon: int, is_colon: bool) -> _Owner | None:
    """The owner written right after a title's colon (or opening bracket) at ``colon``: the list
    handed the work ("giao", "đề nghị"), or a list followed by a role word, a verb or a duty."""
    f = t.folded
    pos = t.skip_space(colon + 1)
    for word, label in ((roles.assign, "giao"), (roles.request, "đề nghị")):
        mt = word.match(f, pos)
        if mt is not None:
            items, end = t.list_at(t.skip_space(mt.end()))
            return _Owner(t.refs(items), label, end) if items else None
    items, end = t.list_at(pos)
    if not items:
        return None
    nxt = _after_comma(f, end)
    if roles.lead.match(f, nxt):
        return _Owner(t.refs(items), "chủ trì", end)
    if roles.verb.match(f, nxt) or roles.responsible.match(f, nxt):
        return _Owner(t.refs(items), "chủ ngữ", end)
    if re.match(r"[^\W\d_]+\s", t.text[nxt:nxt + 12]) and t.text[nxt:nxt + 1].islower() and is_colon:
        return _Owner(t.refs(items), "chủ ngữ", end)  # "Về việc …: UBND Thành phố xử lý dứt điểm …"
    return None


def _after_topic(t: _Text, roles: _Roles, begin: int) -> _Owner | None:
    """The owner after a topic ([roles].topic_openers): "1. Về hỗ trợ kinh phí … tại các cơ sở y tế
    (trong đó …): Giao Bộ Tài chính chủ trì …", "8. Về hoạt động của mô hình …: tăng số lượng cấp
    phó …: giao Bộ Nội vụ chủ trì …". A notice of conclusions restates the province's request as
    the topic, so the topic may name bodies, hold brackets and a "; " and run long; it ends at the
    first colon outside brackets that the owner follows (no sentence ends before it)."""
    f = t.folded
    depth = 0
    for k in range(begin, len(f)):
        ch = f[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0 and f[k + 1 : k + 2].isspace():
            return None  # the sentence ended: the topic holds no colon
        elif ch == ":" and depth == 0:
            owner = _owner_after(t, roles, k, True)
            if owner is not None:
                return owner
    return None


def _after_opening(t: _Text, roles: _Roles) -> _Owner | None:
    """The subject after an opening phrase: "Để triển khai hiệu quả, đồng bộ, các Sở … tổ chức …",
    "Trên cơ sở Kế hoạch này, Sở Y tế chủ động …": the first agency list that follows a comma and
    is followed by a word (not by more names), in a text that starts with an opening word of
    [roles].opening."""
    f = t.folded
    start = t.skip_space(0)
    marker = _TEXT_MARKER.match(t.text, start) if not t.by_start.get(start) else None
    if marker is not None:
        start = marker.end()  # "(4) Sau khi được Quốc hội thông qua, các Bộ …": the marker opens nothing
    if roles.opening.match(f, start) is None:
        return None
    inside = {k for m in t.mentions for k in range(m.start, m.end)}  # "các Bộ, cơ quan liên quan": one name
    # "Trường hợp …, thì X …": the subject after "thì" is the one, whatever commas come before it
    for mt in re.finditer(r"(?:,\s*|\s)thi\s+", f):
        if re.search(r"[.;:]\s", f[start : mt.start()]):
            break
        items, end = t.list_at(mt.end())
        if items and re.match(r"\s+[^\W\d_]", f[end:]):
            parts = ["chủ trì"] if roles.lead.match(f, _after_comma(f, end)) else ["chủ ngữ"]
            return _Owner(t.refs(items), " - ".join(parts), end)
    depth = 0
    verb_seen = False
    for k, ch in enumerate(f):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ".;:" and depth == 0 and k > start:
            if ch != "." or (k + 1 < len(f) and f[k + 1].isspace()):
                return None  # the opening ended with the sentence: no subject after it
        elif depth == 0 and (ch == "," or (f.startswith(" thi ", k) and k > start)) and k not in inside:
            after = k + (4 if ch == " " else 1)
            for word, label in ((roles.assign, "giao"), (roles.request, "đề nghị")):
                # "Đối với …, giao Bảo hiểm xã hội Việt Nam tổ chức …", "…, yêu cầu Bộ Tài chính, …"
                mt = word.match(f, t.skip_space(after))
                given, given_end = t.list_at(mt.end()) if mt is not None else ([], 0)
                if given:
                    return _Owner(t.refs(given), label, given_end)
            if roles.verb.match(f, t.skip_space(after)) or roles.report.match(f, t.skip_space(after)):
                # "Trong 02 ngày …, gửi kết quả đến …": the subject is not written here - unless a
                # list of bodies still follows ("Để tăng cường đánh giá, kiểm tra …, các Sở, UBND
                # cấp xã … triển khai"), which a single name after a verb never is
                verb_seen = True
                continue
            items, end = t.list_at(after)
            if items and verb_seen and len(items) < 2 and not fold(items[0].text).startswith(("cac ", "nhung ")):
                continue
            if items and verb_seen and ch == "," and any(m.end == k for m in t.mentions):
                continue  # "…, chỉ đạo các trường A, các trường B lồng ghép …": the verb's objects go on

            if items and re.match(r"\s+[^\W\d_]", f[end:]) and not re.match(r"\s*,", f[end:]):
                parts = ["chủ ngữ"]
                if roles.lead.match(f, _after_comma(f, end)):
                    parts = ["chủ trì"]
                return _Owner(t.refs(items), " - ".join(parts), end)
    return None


def _name_tail(t: _Text, owner: _Owner, rest_at: int) -> _Owner:
    """A heading of names whose end the gazetteer did not read: ", Hiệp hội doanh nghiệp tỉnh" (a
    capital after the comma: more names) or ", thương mại và du lịch" (lower case: the last name
    goes on, "Trung tâm Xúc tiến đầu tư, thương mại và du lịch")."""
    rest = t.text[rest_at:]
    body = rest.strip(" :.;")
    if not body:
        return owner
    lead = list(owner.lead)
    m = re.match(r"\s*(?:,|và\b)\s*", rest)
    after = rest[m.end():] if m else rest
    if m and after[:1].isupper():
        more = cell_agencies(after.rstrip(" :.;"), t.where, t.g)
        base = rest_at + m.end()
        lead += _shift([r for r in more if r.start >= 0], base)
    elif lead:
        last = lead[-1]
        end = rest_at + len(rest.rstrip(" :.;"))
        name = t.text[last.start:end]
        lead[-1] = AgencyRef(name, t.g.expand_abbreviations(name), None, last.level, last.found_in, last.start, end)
    return _Owner(lead, owner.pattern, len(t.text), owner.coordinators)


def _carrier(t: _Text, roles: _Roles, has_children: bool = False) -> _Owner | None:
    """The owner a clause with points hands down to them (:func:`_named_carrier`), or, for a
    heading over points that is one collective name with what narrows it ("Các doanh nghiệp hoạt
    động trong lĩnh vực …", "Đối với các cơ sở sản xuất có …:"), that whole name
    (:mod:`ingest.headnames`)."""
    owner = _named_carrier(t, roles, has_children)
    if owner is None and has_children:
        named = heading_name(t.text, t.g)
        if named is not None:
            ref = AgencyRef(named.name, t.g.expand_abbreviations(named.name), None, None, t.where, named.start,
                            named.end)
            owner = _Owner([ref], "có trách nhiệm", named.end)
    if owner is not None and has_children:
        members = _bracket_members(t)
        if members:  # "Các cơ quan tham mưu … (gồm các Sở: Xây dựng, Công Thương, …)": the members own it
            return _Owner(members, owner.pattern, owner.end, owner.coordinators)
    return owner


_MEMBERS = re.compile(r"\(((?:gồm|bao gồm|gồm có)\s+[^()]+)\)\s*[:.]?\s*$", re.IGNORECASE)


def _bracket_members(t: _Text) -> list[AgencyRef]:
    """The bodies a heading lists in a closing bracket "(gồm các Sở: Xây dựng, Tài chính, …)"."""
    m = _MEMBERS.search(t.text)
    if m is None:
        return []
    found = [r for r in cell_agencies(m.group(1), t.where, t.g) if r.start >= 0 and r.agency_id]
    return _shift(found, m.start(1)) if len(found) >= 2 else []


def _named_carrier(t: _Text, roles: _Roles, has_children: bool = False) -> _Owner | None:
    """The owner a clause with points hands down to them: "X có trách nhiệm:" (any clause that
    ends with a colon after naming its owner, or says "có trách nhiệm"/"thực hiện các nhiệm vụ
    sau"), a heading that is only a name ("1. Sở Tài chính"), or "Trách nhiệm của X".

    A clause with points under it that names owners and then no verb is a heading of names too,
    even when the gazetteer reads only its first names (see :func:`_name_tail`)."""
    stripped = t.folded.rstrip()
    heading = _HEADING_OF.match(t.folded)
    if heading is not None:
        items, end = t.list_at(heading.end())
        if items and not t.folded[end:].strip(" :."):
            return _Owner(t.refs(items), "có trách nhiệm", end)
        # a name the gazetteer lacks, read only in part ("Tổ công tác số 9" of "Tổ công tác số 9 triển
        # khai Đề án"): the heading's whole phrase is the name
        unknown = not items or all(m.agency_id is None for m in items)
        named = _heading_body(t, roles, heading.end()) if unknown and has_children else None
        if named is not None:
            return named
    owner = _owner(t, roles)
    if owner is None and has_children and not t.text.rstrip().endswith("."):
        return _generic_subject(t, roles, t.skip_space(0), heading=True)
    if owner is None:
        return None
    says_so = roles.responsible.search(t.folded, owner.end) is not None
    rest = re.sub(r"^\s*\([^()]*\)", "", t.folded[owner.end :])  # "Sở Tài chính (cơ quan chủ trì)"
    if stripped.endswith(":") or says_so or not rest.strip(" :.;"):
        owner.pattern = "có trách nhiệm"
        owner.coordinators = t.refs(t.partners(roles))
        return owner
    if has_children and re.match(r"\s*[-–]\s+[A-ZĐ]", t.text[owner.end:]) and "." not in t.text[owner.end:].strip(" ."):
        owner.pattern = "có trách nhiệm"  # "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": a role in apposition
        return owner
    lower_words = [w for w in t.text[owner.end :].split() if w[:1].islower()]
    if has_children and len(lower_words) <= 10 and len(rest.split()) <= 20 \
            and not roles.verb.search(roles.name_tail.sub(" ", rest)) \
            and "." not in rest.strip(" ."):
        owner.pattern = "có trách nhiệm"
        return _name_tail(t, owner, owner.end)
    return None


def _heading_body(t: _Text, roles: _Roles, at: int) -> _Owner | None:
    """"1. Trách nhiệm Tổ công tác triển khai Đề án 06:" with points under it: the heading says
    whose duties follow, so what it names is a body even when the gazetteer lacks it and its name
    holds a verb ("triển khai"): capitalised, at most twelve words, one phrase (no sentence end,
    no "chủ trì"/"phối hợp"), nothing after it but ":"."""
    name = t.text[at:].strip()
    body = name.rstrip(" :.")
    f = fold(body)
    if not body or not body[0].isupper() or len(body.split()) > 12 or re.search(r"[.;]", body) \
            or roles.lead.search(f) or roles.coordinate.search(f):
        return None
    start = t.text.index(body, at)
    ref = AgencyRef(body, t.g.expand_abbreviations(body), None, None, t.where, start, start + len(body))
    return _Owner([ref], "có trách nhiệm", start + len(body))


_HANDS_OUT = re.compile(r"(?:nhiem vu|noi dung|giai phap|viec)[^.;:]{0,40}\s(?:nhu\s+)?sau\s*:\s*$")


def _lead_in(t: _Text, roles: _Roles) -> _Owner | None:
    """An unnumbered paragraph that hands out the numbered points after it: "…, Thủ tướng Chính
    phủ yêu cầu Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, … thực hiện một số nhiệm vụ trọng tâm
    sau:", "Đề nghị Thường trực Tỉnh ủy tập trung … lưu ý một số nội dung trọng tâm sau:". It ends
    with ":" and names the one handed the work ("giao", "yêu cầu", "đề nghị": at its start, or
    inside its last sentence after the issuer's name), or one that "có trách nhiệm"; a plain
    subject ("Các sở đã thực hiện:") hands out nothing."""
    if not t.text.rstrip().endswith(":"):
        return None
    f = t.folded
    last = max(f.rfind(". "), f.rfind("; "))
    for word, label in ((roles.assign, "giao"), (roles.request, "đề nghị")):
        for mt in word.finditer(f, last + 1):
            pos = t.skip_space(mt.end())
            honour = roles.honorific.match(f, pos)
            items, end = t.list_at(honour.end() if honour is not None else pos)
            if items:  # "…, Thủ tướng Chính phủ yêu cầu X …": X is handed the points, not the issuer
                return _Owner(t.refs(items), label, end)
    owner = _owner(t, roles)
    if owner is not None:
        if owner.pattern.split(" - ")[0] in ("giao", "đề nghị", "có trách nhiệm"):
            return owner
        # "Để …, tỉnh A cần tiếp tục thực hiện …, trong đó lưu ý … một số nội dung trọng
        # tâm sau:": a subject given the points that follow (not "Các sở đã thực hiện như sau:")
        if _HANDS_OUT.search(f) and not roles.done.match(f, t.skip_space(owner.end)):
            return owner
    return None


def _dedupe(refs: list[AgencyRef], exclude: Iterable[AgencyRef] = ()) -> list[AgencyRef]:
    def key(r: AgencyRef) -> str:
        return r.agency_id or fold(r.full)

    seen = {key(r) for r in exclude}
    out: list[AgencyRef] = []
    for r in refs:
        if key(r) not in seen:
            seen.add(key(r))
            out.append(r)
    return out


def _reports(t: _Text, roles: _Roles) -> list[AgencyRef]:
    """"báo cáo X", "gửi báo cáo kết quả về X", "phản ánh về X (qua Y)" -> X, via Y."""
    out: list[AgencyRef] = []
    f = t.folded
    for mt in roles.report.finditer(f):
        target = next((m for m in t.mentions if m.start >= mt.end()), None)
        if target is None:
            continue
        gap = f[mt.end() : target.start]
        words = gap.split()
        if words and (re.search(r"[;.:()]", gap) or len(words) > 8 or words[-1] not in roles.link):
            continue
        items, end = t.list_at(target.start)
        via_ref = None
        vm = roles.via.match(f, _OPEN_PAREN.match(f, end).end())
        if vm is not None:
            via_items, _ = t.list_at(vm.end())
            if via_items:
                via_ref = t.refs(via_items[:1])[0]
        for ref in t.refs(items):
            out.append(AgencyRef(ref.name, ref.full, ref.agency_id, ref.level, ref.found_in, ref.start, ref.end,
                                 via_ref))
    return out


def _mentions(t: _Text) -> list[AgencyRef]:
    return [AgencyRef.of(m, t.where) for m in t.mentions if m.start not in t.used]


@lru_cache(maxsize=4)
def _deadline_label_re(g: Gazetteer) -> re.Pattern[str]:
    return re.compile(_phrase_re(g.role_lines.get("deadline", [])).pattern + r"\s*:\s*")


def _labelled_deadlines(text: str, g: Gazetteer) -> list[Deadline]:
    """"…; thời gian: tháng 9/2027": a time after a deadline label inside a sentence is read like a
    deadline cell (a bare month or year counts), up to the end of its phrase."""
    folded = fold(nfc(text))
    out: list[Deadline] = []
    for mt in _deadline_label_re(g).finditer(folded):
        stop = re.search(r"[;.](?:\s|$)|\)", folded[mt.end():])
        end = mt.end() + (stop.start() if stop else len(folded) - mt.end())
        found = find_deadlines(nfc(text)[mt.end():end], bare=True)
        out.extend(replace(d, start=d.start + mt.end(), end=d.end + mt.end()) for d in found)
    return out


def _timing(text: str, g: Gazetteer | None = None) -> tuple[Deadline | None, list[Deadline], str | None]:
    found = find_deadlines(text)
    if not found and g is not None:
        found = _labelled_deadlines(text, g)
    main = main_deadline(found)
    recurrence = main.recurrence if main is not None else None
    if recurrence is None:
        recurrence = next((d.recurrence for d in found if d.recurrence and d.kind in ("recurring", "continuous")), None)
    return main, found, recurrence


def column_roles(names: Iterable[str], g: Gazetteer) -> dict[str, str]:
    """Which column of a task table holds what: role (task, lead, coordinators, deadline, product,
    note) -> column name. An exact name of [columns] wins; otherwise the cue words of [column_cues]
    decide, role by role in their order, so "Thời gian dự kiến hoàn thành" is the deadline and
    "Cơ quan thực hiện / Phối hợp" (a merged two-row header) the coordinators."""
    names = list(names)
    out: dict[str, str] = {}
    exact = {fold(nfc(n)).strip(): role for role, ns in g.columns.items() for n in ns}
    for name in names:
        role = exact.get(fold(nfc(name)).strip())
        if role and role not in out:
            out[role] = name
    cues = g.column_cues
    order = cues.get("order", [])
    prefer = [fold(nfc(w)) for w in cues.get("deadline_prefer", [])]
    for name in names:
        if name in out.values():
            continue
        f = fold(nfc(name))
        for role in order:
            if any(fold(nfc(w)) in f for w in cues.get(role, [])):
                if role not in out or (role == "deadline" and any(w in f for w in prefer)
                                       and not any(w in fold(out[role]) for w in prefer)):
                    out[role] = name
                break
    return out


def cell_agencies(cell: str, found_in: str = "", g: Gazetteer | None = None) -> list[AgencyRef]:
    """The agencies of one table cell (or of a role line), in order.

    The cell is cut at semicolons, line breaks, commas and "và" that lie outside the names the
    gazetteer reads ("Các sở, ban, ngành tỉnh" stays whole). Each piece is then one agency: the
    name the gazetteer reads when it covers the piece; the whole piece as one name the gazetteer
    lacks when it holds no verb ("Ban Quản lý các khu công nghệ cao và khu công nghiệp", "Liên
    hiệp các Hội Khoa học và Kỹ thuật"); only the names it reads when the piece goes on into a
    sentence ("Sở KH&CN chủ trì hướng dẫn, tổng hợp"), whose other words are no agency.
    """
    g = g or load_gazetteer()
    roles = _Roles(g)
    t = _Text(cell, found_in, g)
    mentions = t.mentions
    if len(mentions) > 1:
        scope = g.scope_of(mentions[-1])
        mentions = [g.scoped(m, scope) for m in mentions[:-1]] + [mentions[-1]]
    inside = [(m.start, m.end) for m in mentions]

    def free(k: int) -> bool:
        return not any(a <= k < b for a, b in inside)

    cuts: list[tuple[int, int]] = []
    starts = {m.start for m in mentions}
    for mt in re.finditer(r"\s*[;\n]\s*|\s*,\s*(?:và\s+)?|\s+(?:và|cùng|cùng với)\s+", t.text):
        if not (free(mt.start()) and free(max(mt.start(), mt.end() - 1))):
            continue
        if "," not in mt.group() and not re.search(r"[;\n]", mt.group()):
            # "và" joins two names only when a name starts after it ("… cao và khu công nghiệp" goes on)
            nxt = t.text[mt.end() : mt.end() + 1]
            if mt.end() not in starts and not nxt.isupper():
                continue
        cuts.append((mt.start(), mt.end()))
    out: list[AgencyRef] = []
    pos = 0
    for a, b in cuts + [(len(t.text), len(t.text))]:
        _cell_piece(t, pos, a, mentions, roles, found_in, g, out)
        pos = b
    return out


def _opens_with_head(s: str, g: Gazetteer) -> bool:
    """Whether ``s`` begins with a head word of an agency name ("Ban Quản lý", "Sở", "Trung tâm")."""
    words = tuple(w.lower() for w in s.split())
    return any(words[: len(h)] == h for h in g.head_word_tuples())


# in one piece of an agency cell, a word that ties what follows to the name before it
_LINKED_NAME = re.compile(r"^\S*(?:\s+\S+)*?\s+(?:về|trong|tại|thuộc|của)\s", re.IGNORECASE)


def _cell_piece(t: _Text, a: int, b: int, mentions: list[AgencyMention], roles: _Roles, found_in: str,
                g: Gazetteer, out: list[AgencyRef]) -> None:
    raw = t.text[a:b]
    s = re.sub(r"^(?:và|cùng)(?:\s+|$)|(?:^|\s+)(?:và|cùng)$", "", raw.strip(), flags=re.IGNORECASE).strip(" .:-–+")
    if not s:
        return
    start = a + raw.index(s)
    end = start + len(s)
    inner = [m for m in mentions if m.start >= start and m.end <= end]
    head = g.shared_head_re.match(s)
    if head is not None and inner and inner[0].matched == "shared" and inner[0].start == start + head.end():
        # "Các Bộ: NN&MT, Xây dựng": the shared head is written before the first name only; it is
        # that name's ("Bộ NN&MT"), not a body of its own
        s, start = s[head.end() :], start + head.end()
    folded = fold(s)
    rest = "".join(" " if any(m.start <= start + k < m.end for m in inner) else ch for k, ch in enumerate(folded))
    has_verb = roles.verb.search(rest) is not None or roles.lead.search(rest) is not None
    if not inner and has_verb and s[:1].isupper() and _opens_with_head(s, g) and len(s.split()) <= 12 \
            and roles.lead.search(rest) is None and roles.coordinate.search(rest) is None:
        has_verb = False  # "Ban Quản lý các khu công nghiệp tỉnh": a name, "quản lý" is part of it
    if len(inner) == 1 and (inner[0].start, inner[0].end) == (start, end):
        out.append(AgencyRef.of(inner[0], found_in))
    elif len(inner) == 1 and inner[0].agency_id is not None and inner[0].start == start:
        out.append(AgencyRef.of(inner[0], found_in))  # "Sở Khoa học và Công nghệ thúc đẩy, theo dõi"
    elif not has_verb and len(inner) >= 2 and inner[0].start == start and s[0].isupper() \
            and _LINKED_NAME.search(s[inner[0].end - start :]):
        # "Ủy ban Công tác về các tổ chức PCPNN", "Các cơ quan đại diện Việt Nam tại nước ngoài": one
        # body named after what it is for or where it sits, not two bodies
        out.append(AgencyRef(s, g.expand_abbreviations(s), None, inner[0].level, found_in, start, end))
    elif not has_verb and len(inner) <= 1 and (s[0].isupper() or folded.startswith(("cac ", "nhung "))):
        out.append(AgencyRef(s, g.expand_abbreviations(s), None, inner[0].level if inner else None,
                             found_in, start, end))
    else:
        out.extend(AgencyRef.of(m, found_in) for m in inner)
        if not inner and not has_verb and s[0].isupper():
            out.append(AgencyRef(s, g.expand_abbreviations(s), None, None, found_in, start, end))


def _row_task(clause: Clause, g: Gazetteer, n: int) -> Task | None:
    cells = clause.cells or {}
    roles = row_roles(cells, column_roles(cells, g))  # the cells' text decides where the header does not (ingest/cellrole.py)
    lead_cell = cells.get(roles.get("lead", ""), "")
    inherited = group_lead(clause.heading_chain, g, clause.path + "/nhóm") if "lead" not in roles else []
    if not lead_cell.strip(" \t\n|") and not inherited:
        return None  # a group row ("1 | Nhóm nhiệm vụ về thể chế | | |"): no owner, no task of its own
    coord_cell = cells.get(roles.get("coordinators", ""), "")
    due_cell = cells.get(roles.get("deadline", ""), "")
    text = cells.get(roles.get("task", ""), "") or clause.text
    where = clause.path + "/"
    t = _Text(text, clause.path, g)
    lead = cell_agencies(lead_cell, where + roles.get("lead", ""), g) if lead_cell.strip(" \t\n|") else inherited
    coordinators = cell_agencies(coord_cell, where + roles.get("coordinators", ""), g)
    marked = _marked_lead(lead_cell, lead, g)  # "Cơ quan thực hiện": "Sở Y tế (chủ trì), Sở Tài chính"
    if marked is not None:
        lead, coordinators = marked[0], marked[1] + coordinators
    return _table_task(clause, n, text, lead, coordinators, parse_deadline(due_cell), mentions=_mentions(t),
                       product=cells.get(roles["product"]) if "product" in roles else None)


def _table_task(clause: Clause, n: int, text: str, lead: list[AgencyRef], coordinators: list[AgencyRef],
                deadline: Deadline | None, **extra: Any) -> Task:
    """The Task of one task-table row, however its cells were found (a real table or a flattened
    row); a row with no time of its own takes the one its appendix or group title sets."""
    if deadline is None:
        deadline = next((d for h in reversed(clause.heading_chain) if (d := heading_deadline(h)) is not None), None)
    return _made_task(clause, n, text, "bảng phụ lục", lead, coordinators, deadline, **extra)


def _made_task(clause: Clause, n: int, text: str, pattern: str, lead: list[AgencyRef],
               coordinators: list[AgencyRef], deadline: Deadline | None, **extra: Any) -> Task:
    """Task ``n`` of ``clause``: its id and place come from the clause, written here once for every
    kind of task. ``deadlines`` defaults to the one deadline, ``recurrence`` to that deadline's."""
    extra.setdefault("deadlines", [deadline] if deadline else [])
    extra.setdefault("recurrence", deadline.recurrence if deadline else None)
    return Task(task_id=f"{clause.clause_id}#{n}", clause_id=clause.clause_id, doc_id=clause.doc_id,
                path=clause.path, text=text, pattern=pattern, lead=lead, coordinators=coordinators,
                deadline=deadline, **extra)


def _flat_row_task(clause: Clause, g: Gazetteer, n: int) -> Task | None:
    """A task-table row whose columns the text layer ran together (:mod:`ingest.flatrows`): the
    lead and partner cells cut out at the agency names, the time read from what follows them."""
    t = _Text(clause.text, clause.path, g)
    row = split_flat_row(t.text, [(m.start, m.end) for m in t.mentions])
    if row is None:
        return None
    where = clause.path + "/"
    lead = cell_agencies(row.lead, where + "chủ trì", g)
    if not lead:
        return None
    found = find_deadlines(row.rest, bare=True)
    deadline = parse_deadline(row.rest[found[0].start : found[-1].end]) if found else None
    text = row.task
    if deadline is None:  # a time column before the agency columns: the time ends the task cell
        tail = [d for d in find_deadlines(text, bare=True) if d.end == len(text.rstrip(" .;,"))]
        if tail:
            deadline = parse_deadline(text[tail[0].start :])
            text = text[: tail[0].start].rstrip(" ,;")
    coordinators = cell_agencies(row.coordinators, where + "phối hợp", g) if row.coordinators else []
    return _table_task(clause, n, text, lead, coordinators, deadline)


def _segments(text: str) -> list[tuple[int, int]]:
    """[start, end) of the parts of a clause text cut at "; " and at sentence ends (". " before a
    capital), never inside brackets or quotes."""
    out: list[tuple[int, int]] = []
    depth = 0
    quote = False
    start = 0
    n = len(text)
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in "\"“”":
            quote = not quote if ch == '"' else ch == "“"
        elif depth == 0 and not quote and k + 1 < n and text[k + 1].isspace():
            cut = ch == ";" or (ch == "." and k + 2 < n and text[k + 2].isupper() and k - start > 2
                                and not re.search(r"(?:\b[A-ZĐ]|(?<![\d/])\d{1,2})$", text[start:k]))
            if cut:
                out.append((start, k + 1))
                start = k + 2
    if start < n and text[start:].strip():
        out.append((start, n))
    return [(a, b) for a, b in out if text[a:b].strip()] or [(0, n)]


# a group of :func:`_groups` that is a task of its own with the owner of the group before it
_SAME = _Owner([], "same", -1)
# the same, cut off at a role phrase of its own ("…; phối hợp với B …"): the sentence's time is both's
_SAME_PARTNERS = _Owner([], "same partners", -1)


# times too loose to tell two pieces of work apart: a year or a period is often the scope of the
# work ("báo cáo … trong năm 2025"), "thường xuyên" its manner, a bare "định kỳ" a kind of meeting
_LOOSE_TIMES = frozenset({"year", "period", "continuous", "unknown"})


def _own_time(before: str, part: str) -> bool:
    """The part states a time of its own for work of its own, and the text before it states
    another: "Kết thúc … trước ngày 31/5/2026. Khẩn trương xây dựng … trước ngày 30/6/2026";
    "… xong trong tháng 12/2025. Định kỳ báo cáo … hằng năm (trước ngày 15/11)". A part that is
    only a time ("Thời hạn hoàn thành chậm nhất ngày 25/12/2025.") belongs to the work before it."""
    found = find_deadlines(part)
    mine = main_deadline(found)
    theirs = main_deadline(find_deadlines(before))
    if mine is None or theirs is None or fold(mine.text) == fold(theirs.text):
        return False
    if any(d.kind in _LOOSE_TIMES or d.recurrence == "periodic" for d in (mine, theirs)):
        return False  # "trong năm 2025", "thường xuyên", "sinh hoạt định kỳ": often what the work is about
    rest = part
    for d in sorted(found, key=lambda d: d.start, reverse=True):
        rest = rest[: d.start] + " " + rest[d.end :]
    return len(re.findall(r"[^\W\d_]+", rest)) > 4


def _own_partners(before: str, sub: "_Text", roles: _Roles, g: Gazetteer) -> bool:
    """The part opens with a role phrase naming partners of its own ("phối hợp với B …", "chủ trì,
    phối hợp với C …") and the work before it, which the owner leads, already named its partners:
    another piece of work of the same owner, with other partners."""
    pos = sub.skip_space(0)
    lead = roles.lead.match(sub.folded, pos)
    if lead is not None:
        pos = sub.skip_space(_after_comma(sub.folded, lead.end()))
    if roles.coordinate.match(sub.folded, pos) is None or not sub.partners(roles):
        return False
    # only after work the owner leads ("X chủ trì, phối hợp với A …"): an owner that only helps
    # ("X phối hợp với A làm …; phối hợp với B làm …") helps in one task with all its partners
    prior = _Text(before, sub.where, g)
    return roles.lead.search(prior.folded) is not None and bool(prior.partners(roles))


def _sentence_start(text: str, lo: int, at: int) -> int:
    """Where the sentence holding the part that starts at ``at`` begins (not before ``lo``): the
    last part start after a full stop (:func:`_segments` cuts at "; " too)."""
    if text[:at].rstrip().endswith("."):
        return at
    starts = [lo + a for a, _b in _segments(text[lo:at]) if a > 0 and text[: lo + a].rstrip().endswith(".")]
    return max(starts, default=at)


def _groups(t: _Text, roles: _Roles, g: Gazetteer) -> list[tuple[int, int, _Owner | None]]:
    """The clause cut into tasks: a part that names its own owner ("…; UBND cấp xã xây dựng …")
    starts a task; any other part continues the task before it ("…; hoàn thành trong Quý IV năm
    2025", "…; định kỳ báo cáo …": the clause's owner reports, in the same task), except after two
    parts with subjects of their own: then it is the subjects' joint task ("X làm A; Y làm B;
    định kỳ báo cáo …", owner None here). The owner list at the start is never cut ("Các sở, ban,
    ngành tỉnh; UBND các xã, phường căn cứ …"). Each group: start, end, its own owner or None."""
    head = _owner(t, roles)
    parts = _segments(t.text)
    if head is not None:
        while len(parts) > 1 and parts[0][1] <= head.end:
            parts = [(parts[0][0], parts[1][1])] + parts[2:]
    # a partner list is never cut either ("phối hợp với các sở, ngành; UBND các xã; các doanh
    # nghiệp … triển khai"): its names after a semicolon are partners, not subjects
    lists: list[tuple[int, int]] = []
    for mt in roles.coordinate.finditer(t.folded):
        items, end = t.list_at(mt.end())
        if items:  # read on past unread words as the partners are ("…; các doanh nghiệp … và các đơn vị liên quan")
            items, end = t._through_unknown(items, end, roles)
        if len(items) > 1:
            lists.append((mt.end(), end))
    out: list[list[Any]] = []
    for a, b in parts:
        if not out:
            out.append([a, b, None])
            continue
        if any(lo < a < hi for lo, hi in lists):
            out[-1][1] = b
            continue
        sub = _Text(t.text[a:b], t.where, g)
        own = _owner(sub, roles)
        leads = [o for o in [head, *(grp[2] for grp in out)] if o is not None and "chủ trì" in o.pattern]
        if own is not None and leads and roles.coordinate.match(sub.folded, _after_comma(sub.folded, own.end)):
            out[-1][1] = b  # "X chủ trì …; Y phối hợp …": Y helps X in X's task (see _Text.partners)
        elif own is not None:
            out.append([a, b, own])
        elif _own_partners(t.text[out[-1][0]:out[-1][1]], sub, roles, g):
            # "X chủ trì, phối hợp với A rà soát …; phối hợp với B xây dựng …": two tasks of X,
            # each with its own partners
            out.append([a, b, _SAME_PARTNERS])
        elif _own_time(t.text[out[-1][0]:(at := _sentence_start(t.text, out[-1][0], a))], t.text[at:b]):
            # "X làm A trước ngày …. Làm B …; bảo đảm … trước ngày …": two tasks of X, cut where
            # the sentence that states the second time begins
            out[-1][1] = at
            out.append([at, b, _SAME])
        elif len(out) >= 2 and out[-1][2] is not None and out[-1][2] not in (_SAME, _SAME_PARTNERS):
            out.append([a, b, None])  # after two subjects, a part with none is theirs together
        else:
            out[-1][1] = b
    return [(a, b, o) for a, b, o in out]


def _task_of(clause: Clause, n: int, text: str, lead: list[AgencyRef], pattern: str,
             inherited_coordinators: list[AgencyRef], lead_in: str | None, lead_end: int,
             g: Gazetteer, roles: _Roles) -> Task:
    """One task from a part of a clause text; ``lead_end`` is where its written owner ends in
    ``text`` (-1 when the owner is not written in it)."""
    t = _Text(text, clause.path, g)
    performer: list[AgencyRef] = []
    if lead_end >= 0:
        direct = roles.direct.match(t.folded, _after_comma(t.folded, lead_end))
        if direct is not None:
            performer = t.refs(t.list_at(direct.end())[0])
    written = {(r.name, r.start) for r in lead}
    for m in t.mentions:  # the owner written in this text is no mere mention
        if (m.text, m.start) in written or m.end <= max(lead_end, 0):
            t.used.add(m.start)
    reports = _reports(t, roles)
    vias = [r.via for r in reports if r.via is not None]
    # partners the item names itself replace the ones its heading gave ("1. X chủ trì, phối hợp
    # với các cơ quan:" + "c) Phối hợp với Bộ Y rà soát …": Bộ Y is c)'s partner, as officials read it)
    own = t.refs(t.partners(roles))
    coordinators = _dedupe(own or inherited_coordinators, lead + vias)
    advises = _dedupe(t.refs(t.lists_after(roles.advise)), lead)
    main, found, recurrence = _timing(t.text, g)
    return _made_task(clause, n, text, pattern, lead, coordinators, main, advises=advises,
                      reports_to=_dedupe(reports), performer=performer, mentions=_mentions(t),
                      deadlines=found, recurrence=recurrence, lead_in=lead_in)


def _shift(refs: list[AgencyRef], offset: int) -> list[AgencyRef]:
    return [replace(r, start=r.start + offset, end=r.end + offset) if r.start >= 0 else r for r in refs]


# an item marker the layout left inside a clause text, where a sentence, a heading or a line ends
_INLINE_LETTER = re.compile(r"(?:^|(?<=[.:;]\s)|(?<=\n))\s*([a-zđ])\)\s+(?=\S)")
_INLINE_NUMBER = re.compile(r"(?:(?<=[.:;]\s)|(?<=\n))\s*(\d{1,2}(?:\.\d{1,2})+)\.\s+(?=\S)")


def _inline_items(text: str, path: str) -> list[int]:
    """Where the second, third … item of a list written inside one clause text begins: "Bộ Xây
    dựng: a) … . b) …", a prose appendix row "3. Bộ X chủ trì, phối hợp với …:" + "a) …" / "b) …"
    on lines of their own, "1.1. … . 1.2. Đối với …" (the next point run into this one's line).
    Letters count only as a run in order from "a)", numbers only as the next siblings of the
    clause's own "1.1". Empty when the text holds no such list."""
    letters = [(m.start(1), m.group(1)) for m in _INLINE_LETTER.finditer(text)]
    run: list[int] = []
    prev: str | None = None
    for at, ch in letters:
        if letter_follows(prev, ch) and (prev is not None or not run):
            run.append(at)
            prev = ch
    if len(run) >= 2:
        return run[1:]
    own = re.fullmatch(r"(?:.*\.)?(\d{1,2})\.(\d{1,2})", path)
    if own is None:
        return []
    major, minor = own.group(1), int(own.group(2))
    cuts: list[int] = []
    for m in _INLINE_NUMBER.finditer(text):
        if m.group(1) == f"{major}.{minor + 1 + len(cuts)}":
            cuts.append(m.start(1))
    return cuts


def _head_owner(clause: Clause, first_item: int, g: Gazetteer, roles: _Roles) -> _Owner | None:
    """The owner a clause's inline items share: the one its text names before (or in) its first
    item, with the partners its head names ("Bộ X chủ trì, phối hợp với Y:" + "a) …")."""
    t = _Text(clause.text, clause.path, g)
    owner = _owner(t, roles)
    if owner is None:
        return None
    head = _Text(clause.text[:first_item], clause.path, g)
    partners = head.refs(head.partners(roles)) if first_item > owner.end else []
    return _Owner(owner.lead, owner.pattern, owner.end, _dedupe(partners, owner.lead))


def _item_tasks(clause: Clause, cuts: list[int], inherited: tuple[str, _Owner] | None, g: Gazetteer,
                roles: _Roles) -> list[Task]:
    """The tasks of a clause whose text holds a list of items (:func:`_inline_items`): each item is
    read as a point of its own; an item naming no owner takes the clause's (or the one the clause
    inherits), and the partners its head names unless it names its own. Offsets stay those of the
    whole clause text."""
    bounds = [0, *cuts, len(clause.text)]
    first_item = _INLINE_LETTER.search(clause.text)  # "a)" of a run of letters, before its "b)"
    head_end = first_item.start(1) if first_item is not None and first_item.start(1) < cuts[0] else cuts[0]
    head = _head_owner(clause, head_end, g, roles)
    carrier = (clause.path, head) if head is not None else inherited
    out: list[Task] = []
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        part = replace(clause, text=clause.text[a:b])
        tasks = _clause_tasks(part, inherited if k == 0 else carrier, g, roles, items=False)
        for task in tasks:
            if a:
                _shift_task(task, a, keep=carrier[1] if carrier else None)
            if k and carrier is not None and carrier[0] == clause.path:
                task.lead_in = None  # the owner is written in this very clause
        out.extend(tasks)
    for n, task in enumerate(out, 1):
        task.task_id = f"{clause.clause_id}#{n}"
    return out


def _shift_task(task: Task, offset: int, keep: _Owner | None) -> None:
    """Move the offsets of what ``task`` found in a part of its clause text (from ``offset`` on)
    back to the whole text; names it inherited (``keep``) are already there."""
    kept = {id(r) for r in ([*keep.lead, *keep.coordinators] if keep is not None else [])}
    for fld in REF_FIELDS:
        setattr(task, fld, [r if id(r) in kept else _shift([r], offset)[0] for r in getattr(task, fld)])
    task.deadlines = [replace(d, start=d.start + offset, end=d.end + offset) for d in task.deadlines]
    if task.deadline is not None:
        task.deadline = replace(task.deadline, start=task.deadline.start + offset, end=task.deadline.end + offset)


def _clause_tasks(clause: Clause, inherited: tuple[str, _Owner] | None, g: Gazetteer,
                  roles: _Roles, items: bool = True) -> list[Task]:
    """The tasks of one clause: its owner is the subject it names (or the one it inherits), and a
    clause that assigns work to several subjects ("X làm A; Y làm B") gives one task each; a list
    of items written inside the clause text gives one task (or more) per item."""
    if items and not clause.cells:
        cuts = _inline_items(clause.text, clause.path)
        if cuts:
            return _item_tasks(clause, cuts, inherited, g, roles)
    t = _Text(clause.text, clause.path, g)
    owner = _owner(t, roles)
    if owner is None and inherited is None and "\n" in clause.text:
        titled = _titled_body_tasks(clause, g, roles)
        if titled:
            return titled
    if owner is None and inherited is None:
        found = _later_paragraph_tasks(clause, g, roles)
        if not found and clause.kind != "appendix_row":  # a flattened row is read by its columns
            found = _later_sentence_tasks(clause, g, roles)
        return found
    if owner is not None and owner.pattern == "chủ ngữ" and _reports_only(t, roles, owner.end):
        return []
    out: list[Task] = []
    for k, (a, b, own) in enumerate(_groups(t, roles, g)):
        raw = clause.text[a:b]
        text = raw.strip()
        if k == 0 and owner is not None:
            task = _task_of(clause, k + 1, text, owner.lead, owner.pattern, [], None, owner.end, g, roles)
        elif k == 0:
            assert inherited is not None
            lead_in, carrier = inherited
            task = _task_of(clause, k + 1, text, carrier.lead, carrier.pattern, carrier.coordinators, lead_in,
                            -1, g, roles)
        elif own is _SAME or own is _SAME_PARTNERS:  # the previous task's owner, for other work
            prev = out[-1]
            carried = inherited[1].coordinators if owner is None and inherited is not None else []
            task = _task_of(clause, k + 1, text, prev.lead, prev.pattern, carried, prev.lead_in, -1, g, roles)
            if own is _SAME_PARTNERS and prev.deadline is None and task.deadline is not None:
                # "X chủ trì, phối hợp với A làm …; phối hợp với B làm …, trước ngày …": one time
                # stated once for the sentence holds for both pieces of its work
                prev.deadline, prev.recurrence = task.deadline, task.recurrence
        elif own is not None:
            offset = a + len(raw) - len(raw.lstrip())
            task = _task_of(clause, k + 1, text, _shift(own.lead, offset), own.pattern, [], None, own.end, g, roles)
        else:  # "X làm A; Y làm B; định kỳ báo cáo …": the subjects before it, together
            label = _deadline_label_re(g).match(fold(nfc(text)))
            shared = _labelled_deadlines(text, g) if label is not None else []
            if shared and len(out) >= 2:
                # "X làm A. Y làm B. Thời hạn hoàn thành: trước ngày …": the time of both tasks
                for prev in out:
                    if prev.deadline is None:
                        prev.deadline = shared[0]
                        prev.deadlines = list(prev.deadlines) + shared
                continue
            together = _dedupe([r for prev in out for r in prev.lead])
            task = _task_of(clause, k + 1, text, together, "chủ ngữ", [], None, -1, g, roles)
        out.append(task)
    return out


def _titled_body_tasks(clause: Clause, g: Gazetteer, roles: _Roles) -> list[Task]:
    """"Điều 7. Trách nhiệm của UBND các xã, phường" + its body in one clause: the title names the
    owner (a heading of names, "Trách nhiệm của X"), the paragraphs under it are X's work."""
    first, rest = clause.text.split("\n", 1)
    if not rest.strip():
        return []
    head = _carrier(_Text(first, clause.path, g), roles, has_children=True)
    if head is None or not head.lead:
        return []
    offset = len(first) + 1
    body = replace(clause, text=rest)
    out = _clause_tasks(body, (clause.path, head), g, roles)
    for task in out:
        for fld in ("coordinators", "advises", "reports_to", "performer", "mentions"):
            setattr(task, fld, [_shift([r], offset)[0] if r.found_in == clause.path else r for r in getattr(task, fld)])
        task.deadlines = [replace(d, start=d.start + offset, end=d.end + offset) for d in task.deadlines]
        if task.deadline is not None:
            task.deadline = replace(task.deadline, start=task.deadline.start + offset, end=task.deadline.end + offset)
        task.lead_in = None
    return out


def _reports_only(t: _Text, roles: _Roles, end: int) -> bool:
    """The subject is given no work: it is said to have done something ("Các đơn vị đã hoàn
    thành …") or it only sends the document on ("Văn phòng UBND tỉnh thông báo để … biết")."""
    pos = t.skip_space(_after_comma(t.folded, end))
    if roles.forwarding.match(t.folded, pos) or roles.received.match(t.folded, pos):
        return True
    # "đã"/"đang" written with their marks: the folded "da" is also "đa" ("đa dạng hóa") and
    # "dang" also "đăng" ("đăng ký"), which are work
    return roles.done.match(t.folded, pos) is not None and re.match(r"(?:đã|đang)(?!\w)", t.text[pos:].lower()) is not None


def _later_paragraph_tasks(clause: Clause, g: Gazetteer, roles: _Roles) -> list[Task]:
    """A clause of several paragraphs whose first names no owner ("Điều 3. Quyết định này có hiệu
    lực …" / "Chánh Văn phòng …, Giám đốc Sở … chịu trách nhiệm thi hành"): the tasks start at the
    first later paragraph that names its owner. Offsets stay those of the whole clause text."""
    at = 0
    while (nl := clause.text.find("\n", at)) >= 0:
        at = nl + 1
        rest = clause.text[at:]
        if not rest.strip() or _owner(_Text(rest, clause.path, g), roles) is None:
            continue
        return _tasks_from(clause, at, g, roles)
    return []


def _tasks_from(clause: Clause, at: int, g: Gazetteer, roles: _Roles) -> list[Task]:
    """The tasks of ``clause`` read from offset ``at`` on, their agency offsets shifted back to
    the whole clause text (a later paragraph or sentence is where the owner is named)."""
    tasks = _clause_tasks(replace(clause, text=clause.text[at:]), None, g, roles)
    for task in tasks:
        for fld in REF_FIELDS:
            setattr(task, fld, _shift(getattr(task, fld), at))
    return tasks


def _later_sentence_tasks(clause: Clause, g: Gazetteer, roles: _Roles) -> list[Task]:
    """A paragraph whose first sentence names no owner and a later one does: "Trên đây là Kế
    hoạch …. Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện. Định kỳ hằng năm …
    báo cáo …": the tasks start at that sentence (the sentences after it are read as usual).
    Offsets stay those of the whole clause text. Also "Trên đây là Chỉ thị …, yêu cầu Giám đốc
    sở, … có trách nhiệm …": work handed ("giao", "yêu cầu", "đề nghị") after a comma of the
    first sentence."""
    f = fold(clause.text)
    # sentence starts only: a part after "; " is a list item ("…; Quỹ Hỗ trợ việc làm; chính sách …")
    starts = [a for a, _b in _segments(clause.text)[1:] if clause.text[:a].rstrip().endswith(".")]
    first_end = _segments(clause.text)[0][1]
    handed = None
    for mt in re.finditer(r",\s*(?=(?:" + roles.assign.pattern + "|" + roles.request.pattern + r")\s)", f[:first_end]):
        handed = mt.end()
        starts = [handed] + starts
        break
    for a in starts:
        rest = clause.text[a:]
        if _owner(_Text(rest, clause.path, g), roles) is None:
            if a == handed:
                task = _handed_to_heads(clause, a, g, roles)
                if task is not None:
                    return [task]
            continue
        return _tasks_from(clause, a, g, roles)
    return []


def _handed_to_heads(clause: Clause, at: int, g: Gazetteer, roles: _Roles) -> Task | None:
    """"…, yêu cầu Giám đốc sở, Thủ trưởng cơ quan, ban, ngành thành phố, Chủ tịch Ủy ban nhân
    dân xã, phường và các tổ chức, cá nhân có liên quan có trách nhiệm tổ chức …": heads named by
    their office, no body written after the title, up to the duty phrase - read as a cell is."""
    f = fold(clause.text)
    word = roles.assign.match(f, at) or roles.request.match(f, at)
    if word is None:
        return None
    duty = roles.responsible.search(f, word.end())
    stop = re.search(r"[.;]\s", f[word.end():])
    if duty is None or (stop is not None and word.end() + stop.start() < duty.start()):
        return None
    names = [r for r in cell_agencies(clause.text[word.end() : duty.start()], clause.path, g) if r.start >= 0]
    if not names:
        return None
    lead = _shift(names, word.end())
    text = clause.text[at:].strip()
    return _task_of(clause, 1, text, lead, "giao - có trách nhiệm", [], None, -1, g, roles)


def _written_verb(t: _Text, roles: _Roles, g: Gazetteer, pos: int) -> "re.Match[str] | None":
    """The first verb of [roles] at or after ``pos`` written with its own diacritics: folding
    makes "cơ quan" read as "có", which is no verb."""
    r = g.roles
    written = {" ".join(nfc(w).lower().split()) for key in ("verbs", "lead", "coordinate", "advise", "direct", "report")
               for w in r.get(key, [])}
    for m in roles.verb.finditer(t.folded, pos):
        if " ".join(t.text[m.start() : m.end()].lower().split()) in written:
            return m
    return None


def _value_sentence(value: RoleValue, g: Gazetteer,
                    roles: _Roles) -> tuple[list[AgencyRef], list[AgencyRef], list[AgencyRef]] | None:
    """A role line whose value is itself a sentence: "Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp
    với các sở, ngành …", "… : Sở A chủ trì tham mưu UBND tỉnh …; Sở B và UBND cấp xã chủ động …".
    The value is read as a clause (its subjects are the lead, "phối hợp với" gives partners,
    "tham mưu" the advisee), not as a list of names. None when the value holds no role word (a
    plain list "Sở A, Sở B."): then it is a cell of names."""
    t = _Text(value.text, value.path, g)
    f = t.folded
    groups = _groups(t, roles, g)
    if not (roles.lead.search(f) or roles.coordinate.search(f) or roles.advise.search(f)
            or sum(1 for _, _, own in groups[1:] if own is not None) >= 1):
        return None  # "X làm A; Y làm B" is a sentence too
    lead: list[AgencyRef] = []
    coords: list[AgencyRef] = []
    advises: list[AgencyRef] = []
    for k, (a, b, own) in enumerate(groups):
        if k == 0:
            own = _owner(t, roles)
            sub, offset = t, 0
        else:
            sub, offset = _Text(value.text[a:b], value.path, g), a
        if own is None:
            continue
        own_lead = own.lead
        verb = _written_verb(sub, roles, g, own.end)
        gap = sub.folded[own.end : verb.start()] if verb else ""
        if verb and re.match(r"\s*(?:,|va\s)", gap) and any(own.end <= m.start < verb.start() for m in sub.mentions):
            # the subject list goes on past a name the gazetteer lacks, up to the verb
            own_lead = cell_agencies(sub.text[: verb.start()], value.path, g)
        lead += _shift(own_lead, value.start + offset)
        coords += _shift(sub.refs(sub.partners(roles)), value.start + offset)
        advises += _shift(sub.refs(sub.lists_after(roles.advise)), value.start + offset)
    if not lead:
        return None
    lead = _dedupe(lead)
    return lead, _dedupe(coords, lead), _dedupe(advises, lead)


@lru_cache(maxsize=4)
def _lead_mark_re(g: Gazetteer) -> re.Pattern[str]:
    """"(chủ trì)" after a name, with the words of [roles].lead_marks."""
    inner = _phrase_re(g.roles.get("lead_marks", [])).pattern
    return re.compile(r"\s*\(\s*" + inner + r"\s*\)")


def _marked_lead(text: str, refs: list[AgencyRef], g: Gazetteer) -> tuple[list[AgencyRef], list[AgencyRef]] | None:
    """"Sở Xây dựng (chủ trì), Sở Tài chính, UBND các xã": one cell or line naming everyone who
    does the task, the lead marked "(chủ trì)"; the others are its partners. ``refs`` are the
    cell's agencies with offsets into ``text``. None when no name (or every name) is so marked."""
    folded = fold(text)
    mark = _lead_mark_re(g)
    marked = [r for r in refs if r.end >= 0 and mark.match(folded, r.end)]
    if not marked or len(marked) == len(refs):
        return None
    return marked, [r for r in refs if r not in marked]


def _role_task(clause: Clause, values: dict[str, RoleValue], g: Gazetteer, roles: _Roles) -> Task:
    """A task whose owner, partners and time are given on role lines (:mod:`ingest.rolelines`)."""
    lead_v = values["lead"]
    coord_v = values.get("coordinators")
    due_v = values.get("deadline")
    said = _value_sentence(lead_v, g, roles)
    marked = _marked_lead(lead_v.text, cell_agencies(lead_v.text, lead_v.path, g), g)
    if marked is not None:
        lead, coords, value_advises = _shift(marked[0], lead_v.start), _shift(marked[1], lead_v.start), []
    elif said is not None:
        lead, coords, value_advises = said
    else:
        lead, coords, value_advises = _shift(cell_agencies(lead_v.text, lead_v.path, g), lead_v.start), [], []
    for v in lead_v.more:  # the further name lines under a "Cơ quan chủ trì" heading
        lead = lead + _shift(cell_agencies(v.text, v.path, g), v.start)
    for v in (coord_v, *coord_v.more) if coord_v else ():
        coords = coords + _shift(cell_agencies(v.text, v.path, g), v.start)
    text = clause.text
    line = read_role_line(text, g)
    if line is not None and line.content_end > 0:
        text = text[: line.content_end].rstrip()
    t = _Text(text, clause.path, g)
    deadline = parse_deadline(due_v.text) if due_v else None
    if deadline is not None and due_v is not None:
        deadline = replace(deadline, start=due_v.start + deadline.start, end=due_v.start + deadline.end)
    own_times: list[Deadline] = []
    if deadline is None:  # no time line: the time its own sentence states ("Nội dung: … (từ ngày 15/11 đến ngày 15/12)")
        deadline, own_times, _ = _timing(text, g)
    reports = _reports(t, roles)
    return _made_task(clause, 1, text, "dòng vai trò", lead, _dedupe(coords, lead), deadline,
                      advises=_dedupe(value_advises + t.refs(t.lists_after(roles.advise)), lead),
                      reports_to=_dedupe(reports), mentions=_mentions(t),
                      deadlines=own_times or ([deadline] if deadline else []),
                      lead_in=lead_v.path if lead_v.path != clause.path else None)


_PROVINCE_OF = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|Thành phố|TỈNH|THÀNH PHỐ)\s+(?P<name>[^\s,;].*?)\s*$")


def jurisdiction_of(issuer: str | None) -> str | None:
    """The province a local issuer governs: "Ủy ban nhân dân tỉnh Đồng Tháp" -> "Đồng Tháp",
    "UBND Thành phố Hồ Chí Minh" -> "Hồ Chí Minh"; None for a national issuer."""
    if not issuer:
        return None
    m = _PROVINCE_OF.search(nfc(issuer).strip())
    if m is None:
        return None
    name = m.group("name").strip(" .")
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split()) if name.isupper() else name


def _with_jurisdiction(tasks: list[Task], jurisdiction: str | None) -> None:
    """Sở Tài chính of Đồng Tháp is not Sở Tài chính of Cần Thơ: every provincial or local body
    a task names gets the province it belongs to (written after its name, else the issuer's)."""
    def scoped(r: AgencyRef) -> AgencyRef:
        via = scoped(r.via) if r.via is not None else None
        place = r.jurisdiction
        if place is None and r.level in ("provincial", "local"):
            place = _written_province(r) or jurisdiction
        return replace(r, via=via, jurisdiction=place)

    for t in tasks:
        for fld in REF_FIELDS:
            setattr(t, fld, [scoped(r) for r in getattr(t, fld)])


def _written_province(r: AgencyRef) -> str | None:
    m = _PROVINCE_OF.search(r.name)
    if m is None:
        return None
    name = m.group("name")
    return name if name[:1].isupper() and not fold(name).startswith(("cap ", "truc thuoc")) else None


def _addressee(addressees: list[str] | None, g: Gazetteer) -> list[AgencyRef]:
    """The one agency a công văn is written to ("Kính gửi: Sở Y tế."), or none."""
    if not addressees or len(addressees) != 1:
        return []
    refs = cell_agencies(addressees[0].strip(" .;"), "kính gửi", g)
    return refs if len(refs) == 1 and refs[0].level is not None else []


def _imperative(text: str, roles: _Roles) -> bool:
    """A point that tells its reader what to do ("Khẩn trương xây dựng kế hoạch …", "Rà soát …"),
    not the issuer's own decision ("Thống nhất chủ trương …", "Đồng ý …")."""
    f = fold(nfc(text)).lstrip()
    if roles.decision.match(f):
        return False
    adverb = roles.imperative_adverb.match(f)
    pos = adverb.end() if adverb else 0
    pos += len(f[pos:]) - len(f[pos:].lstrip(" ,"))
    return roles.verb.match(f, pos) is not None and text.strip()[:1].isupper()


def extract_tasks(clauses: list[Clause], gazetteer: Gazetteer | None = None,
                  jurisdiction: str | None = None, addressees: list[str] | None = None,
                  issued: str | None = None) -> list[Task]:
    """The tasks of a document's clauses, in clause order.

    ``clauses`` should hold a whole document (points need their parent to inherit its owner);
    a clause whose parent is missing is read on its own. ``jurisdiction``: the province of the
    issuer (:func:`jurisdiction_of`), given to the provincial and local bodies the tasks name.
    ``addressees``: the "Kính gửi:" list of a công văn; when it names one agency, a point that
    tells its reader what to do and names no owner is that agency's task. ``issued``: the ISO
    date of the document (:func:`_issued_year`); a year or span of years that ended before it is
    no task's deadline.
    """
    g = gazetteer or load_gazetteer()
    roles = _Roles(g)
    clauses = _bodyless_letter(clauses, g)
    reader = _addressee(addressees, g)
    notice = _addressee([w] if (w := notice_reader(clauses)) else None, g)  # "… thông báo để X … biết, thực hiện"
    by_path = {c.path: c for c in clauses}
    has_children = {c.parent for c in clauses if c.parent}
    carriers: dict[str, _Owner | None] = {}

    def carrier_of(path: str) -> _Owner | None:
        if path not in carriers:
            c = by_path[path]
            carriers[path] = (_carrier(_Text(c.text, c.path, g), roles, path in has_children)
                              if c.kind not in NON_TASK_KINDS else None)
        return carriers[path]

    def partners_of(path: str) -> list[AgencyRef] | None:
        """A heading with no owner of its own that names partners: "a) Chủ trì, phối hợp với các
        sở, ngành:", "b) Phối hợp với UBND các xã:" - its points take the owner from above and
        these partners."""
        c = by_path[path]
        if c.kind in NON_TASK_KINDS:
            return None
        t = _Text(c.text, c.path, g)
        if not (roles.lead.match(t.folded, t.skip_space(0)) or roles.coordinate.match(t.folded, t.skip_space(0))):
            return None
        found = t.refs(t.partners(roles))
        return found or None

    ordered_all = sorted(clauses, key=lambda c: c.order)
    position = {c.path: k for k, c in enumerate(ordered_all)}

    def intro_of(c: Clause) -> Clause | None:
        """An unnumbered paragraph ending with ":" right before a run of bullets of the same
        parent introduces them ("Chủ trì, phối hợp với …:" / "- …" / "- …")."""
        if not c.marker or c.marker[:1] not in "-+•":
            return None
        k = position.get(c.path, 0) - 1
        while k >= 0:
            prev = ordered_all[k]
            if prev.parent == c.parent and prev.marker == c.marker:
                k -= 1
                continue
            if prev.parent == c.parent and not prev.marker and prev.text.rstrip().endswith(":"):
                return prev
            return None
        return None

    lead_ins: dict[str, _Owner | None] = {}  # a lead-in paragraph's reading, by its path

    def lead_in_reading(prev: Clause) -> _Owner | None:
        """:func:`_lead_in` of a paragraph, read once for all the points it hands out."""
        if prev.path not in lead_ins:
            lead_ins[prev.path] = _lead_in(_Text(prev.text, prev.path, g), roles)
        return lead_ins[prev.path]

    def is_point(x: Clause, c: Clause) -> bool:
        return x.parent == c.parent and bool(x.marker) and x.marker[:1] not in "-+•"

    def lead_in_of(c: Clause) -> tuple[str, _Owner] | None:
        """A numbered point with no points of its own after an unnumbered paragraph that hands
        out the points (:func:`_lead_in`), over the earlier points of the run: the Công điện's
        "… yêu cầu X thực hiện các nhiệm vụ sau:" (a preamble paragraph over top-level points),
        a notice's "Đề nghị X tập trung … sau:" over its section's points, a heading of names
        "Ủy ban nhân dân các tỉnh, thành phố:" over its points. A paragraph that goes on with the
        point before it ("1. Chỉ đạo …" / "Việc … phải gắn với …" / "2. …") does not end the run."""
        if not c.marker or c.marker[:1] in "-+•" or c.path in has_children:
            return None
        k = position.get(c.path, 0) - 1
        run: list[str] = []
        while k >= 0:
            prev = ordered_all[k]
            if any(prev.path.startswith(p + ".") for p in run):
                k -= 1
                continue  # an earlier point's own sub-points
            if is_point(prev, c):
                run.append(prev.path)
                k -= 1
                continue
            if prev.marker or prev.path in has_children or not (
                    prev.parent == c.parent or (c.parent is None and prev.kind == "preamble")):
                return None
            if k > 0 and is_point(ordered_all[k - 1], c) and not prev.text.rstrip().endswith(":") \
                    and prev.kind not in NON_TASK_KINDS and paragraph_heading(prev) is None \
                    and lead_in_reading(prev) is None:
                k -= 1
                continue  # the point before it goes on in a paragraph of its own
            owner = lead_in_reading(prev)
            if owner is None and run and prev.text.rstrip().endswith(":"):
                owner = paragraph_heading(prev)  # "Ủy ban nhân dân các tỉnh, thành phố:" over a), b)
            return (prev.path, owner) if owner is not None else None
        return None

    def paragraph_heading(c: Clause) -> _Owner | None:
        """An unnumbered paragraph that is a heading of names, its marker left in the text by the
        layout ("a) Sở Xây dựng", "2.3. Công an tỉnh", or just "Sở Y tế") over the lines after it."""
        if c.marker or c.kind in NON_TASK_KINDS or c.text.rstrip().endswith("."):
            return None
        m = _TEXT_MARKER.match(c.text)
        body = c.text[m.end():] if m else c.text
        if len(body.split()) > 20:
            return None
        return _carrier(_Text(body, c.path, g), roles, True)

    def sibling_heading(c: Clause) -> tuple[str, _Owner] | None:
        """The nearest paragraph heading of names before ``c`` under the same parent, over
        bullets and plain paragraphs only: a numbered point or a numbered paragraph that names
        no one ("2.2. Trách nhiệm cụ thể") ends the search."""
        k = position.get(c.path, 0) - 1
        while k >= 0:
            prev = ordered_all[k]
            if prev.parent != c.parent:
                if prev.parent is None or not prev.path.startswith((c.parent or "") + "."):
                    return None
                k -= 1
                continue  # a bullet's own sub-bullets
            if (prev.marker and prev.marker[:1] not in "-+•") or prev.path in has_children:
                return None  # a point, or a heading with points of its own: a scope of its own
            if not prev.marker:
                own = paragraph_heading(prev)
                if own is not None:
                    return prev.path, own
                if _TEXT_MARKER.match(prev.text) and len(prev.text.split()) <= 12 \
                        and not prev.text.rstrip().endswith((".", ";")):
                    return None  # "2.2. Trách nhiệm cụ thể": a heading that names no one
            k -= 1
        return None

    def inherited(c: Clause) -> tuple[str, _Owner] | None:
        near = sibling_heading(c)
        if near is not None:
            return near
        handed = lead_in_of(c)
        if handed is not None:
            return handed
        intro = intro_of(c)
        if intro is not None and intro.path not in has_children:
            owner = carrier_of(intro.path) if _owner(_Text(intro.text, intro.path, g), roles) else None
            if owner is not None:
                return intro.path, owner
            found = partners_of(intro.path)
            if found:
                above = inherited(intro)
                if above is not None:
                    return above[0], _Owner(above[1].lead, above[1].pattern, above[1].end, found)
        parent = c.parent
        partners: list[AgencyRef] | None = None
        while parent is not None and parent in by_path:
            owner = carrier_of(parent)
            if owner is not None:
                if partners is not None:
                    owner = _Owner(owner.lead, owner.pattern, owner.end, partners)
                return parent, owner
            if partners is None:
                partners = partners_of(parent)
            parent = by_path[parent].parent
        if c.path in has_children:
            return None  # "1. Yêu cầu chung:" is a heading, its points are the work
        top = c
        while top.parent is not None and top.parent in by_path:
            top = by_path[top.parent]
        return letter_lead_in(top) if top is not c else None

    def letter_lead_in(top: Clause) -> tuple[str, _Owner] | None:
        """A letter's last preamble paragraph that hands out what follows ("UBND Thành phố yêu cầu
        các sở, ban, ngành, UBND các xã, phường … thực hiện một số nội dung sau:"), over the points
        of every top-level section after it that name no owner of their own ("1. Yêu cầu chung:" /
        "1.2. Đối với …:" / "- Lựa chọn tư vấn …")."""
        k = position.get(top.path, 0) - 1
        while k >= 0:
            prev = ordered_all[k]
            if prev.parent is not None or prev.marker:
                k -= 1
                continue  # an earlier section, or a point of one
            if prev.kind != "preamble" or prev.path in has_children:
                return None
            owner = lead_in_reading(prev)
            # only work handed to others ("yêu cầu X", "đề nghị X", "giao X"): a plan's "UBND tỉnh ban
            # hành Kế hoạch … như sau:" names its issuer, whose sections are aims, scope and content
            if owner is None or owner.pattern not in ("giao", "đề nghị"):
                return None
            return prev.path, owner
        return None

    ordered = sorted(clauses, key=lambda c: c.order)
    table_rows = body_table_rows(ordered)  # a task table in the body, kept as " | " paragraphs
    skip = {c.path for c in ordered if c.kind in NON_TASK_KINDS or c.cells or c.path in table_rows}
    role_lines = read_role_lines(ordered, g, skip)  # read once: owners, own-line times, label blocks
    by_roles, by_time, role_blocks = role_lines.by_task, role_lines.times, role_lines.block_paths
    heads_of_siblings: set[str] = set()
    handing_out: set[str] = set()  # "… thực hiện một số nội dung trọng tâm sau:": its points are the tasks
    for clause in ordered:
        near = sibling_heading(clause) if clause.kind not in NON_TASK_KINDS else None
        if near is not None:
            heads_of_siblings.add(near[0])
        handed = lead_in_of(clause) if clause.kind not in NON_TASK_KINDS else None
        if handed is not None:
            handing_out.add(handed[0])
    tasks: list[Task] = []
    for k, clause in enumerate(ordered):
        if clause.kind in NON_TASK_KINDS:
            continue
        if clause.cells or clause.path in table_rows:
            task = _row_task(clause if clause.cells else replace(clause, cells=table_rows[clause.path]), g, 1)
            if task is not None:
                tasks.append(task)
                continue
        if clause.path in by_roles:
            tasks.append(_role_task(clause, by_roles[clause.path], g, roles))
            continue
        if is_role_clause(clause, g) or clause.path in role_blocks:
            continue  # "- Đơn vị chủ trì: Sở Tư pháp." says who does the task above it
        if _times_work_before(clause, ordered[k - 1] if k else None, tasks):
            continue  # "Thời gian hoàn thành trước ngày …." on a line of its own: the time of the work above
        if clause.path in has_children and carrier_of(clause.path) is not None:
            continue  # "X có trách nhiệm:" - its points are the tasks
        if not clause.marker and _TEXT_MARKER.match(clause.text) and len(clause.text.split()) <= 12 \
                and not clause.text.rstrip().endswith((".", ";")) and not _Text(clause.text, clause.path, g).mentions:
            continue  # "IV. TỔ CHỨC THỰC HIỆN", "2.1. Trách nhiệm chung" left as paragraphs: headings
        if clause.path in heads_of_siblings or clause.path in handing_out:
            continue  # "a) Sở Xây dựng" written as a paragraph, or a lead-in: the lines after it are the tasks
        above = inherited(clause)
        if above is not None and not clause.marker and roles.closing.match(fold(clause.text).lstrip()):
            above = None  # "Trên đây là Kế hoạch …": the document's closing, under the last heading only by layout
        found = _clause_tasks(clause, above, g, roles)
        if not found and reader and above is None and clause.path not in has_children \
                and clause.kind not in ("appendix_row", "doan_khong_danh_so") and _imperative(clause.text, roles):
            found = [_task_of(clause, 1, clause.text, reader, "kính gửi", [], None, -1, g, roles)]
        if not found and notice and above is None and clause.marker and clause.path not in has_children \
                and clause.path not in handing_out and in_task_section(clause, by_path):
            found = [_task_of(clause, 1, clause.text, notice, "thông báo để", [], None, -1, g, roles)]
        if clause.kind == "appendix_row" and not any(t.lead for t in found):
            flat = _flat_row_task(clause, g, 1)
            found = [flat] if flat is not None else found
        timed = by_time.get(clause.path)
        if timed is not None:
            for task in found:
                if task.deadline is None and (due := parse_deadline(timed.text)) is not None:
                    task.deadline = replace(due, start=timed.start + due.start, end=timed.start + due.end)
                    task.deadlines = list(task.deadlines) + [task.deadline]
                    task.recurrence = task.recurrence or due.recurrence
        tasks.extend(found)
    _complete_names(tasks, by_path)
    _mend_names(tasks, g)
    _with_jurisdiction(tasks, jurisdiction)
    year = _issued_year(issued, clauses)
    if year is not None:
        _drop_past_times(tasks, year)
    return tasks


def _bodyless_letter(clauses: list[Clause], g: Gazetteer) -> list[Clause]:
    """A text with no point, section or article the parser recognises: a short letter written in
    unnumbered paragraphs only ("… Chủ tịch Ủy ban nhân dân tỉnh giao Sở X chủ trì, phối hợp với …
    Báo cáo kết quả trước ngày …"), or a part of a document whose headings the parser did not
    read. The parser keeps every paragraph as the preamble, which holds no task, so the whole text
    yielded none; the work it hands out is in those paragraphs, which are read here as the
    body's own unnumbered paragraphs (a recital that names no one doing anything, or "X nhận
    được Văn bản số …", still yields no task). A sentence of names only ("Chủ tịch Ủy ban nhân dân
    các tỉnh: A, B, C.", the address line the header did not take) stays in the preamble. A
    document with any body clause is unchanged."""
    if not any(c.kind == "preamble" for c in clauses) or any(c.kind not in NON_TASK_KINDS for c in clauses):
        return clauses
    return [replace(c, kind="doan_khong_danh_so") if c.kind == "preamble" and not _names_sentence(c.text, g) else c
            for c in clauses]


def _names_sentence(text: str, g: Gazetteer) -> bool:
    """``text`` is one sentence ending with "." that only names bodies: besides the agencies the
    gazetteer reads, each run of words between them and the list separators opens with a capital
    (a place "Hưng Yên", a title "Chủ tịch") or is "và"."""
    body = nfc(text).strip()
    if not body.endswith(".") or ". " in body or len(body.split()) > 40:
        return False
    found = g.find(body)
    if not found:
        return False
    rest = "".join("|" if any(m.start <= k < m.end for m in found) else ch for k, ch in enumerate(body))
    runs = [r.split() for r in re.split(r"[|,;:.]", rest)]
    return all(not run or run == ["và"] or (run[0][:1].isupper() and len(run) <= 4) for run in runs)


def _issued_year(issued: str | None, clauses: list[Clause]) -> int | None:
    """The year the document was issued: its header's date, else the latest year of a document it
    cites with a date ("Chỉ thị số 14-CT/TW ngày 19 tháng 7 năm 2017"; a document cites only what
    was issued before it, so this year is never later than its own)."""
    if issued and issued[:4].isdigit():
        return int(issued[:4])
    years = [int(r.date[:4]) for c in clauses for r in c.references if r.date and r.date[:4].isdigit()]
    return max(years, default=None)


def _drop_past_times(tasks: list[Task], year: int) -> None:
    """Years and spans of years that ended before the document's year are what the work is
    about ("thanh toán chi phí giai đoạn năm 2019-2022"), not when it is due: the task is held to
    the most specific time it states otherwise, or none."""
    for task in tasks:
        kept = [d for d in task.deadlines if not ended_before(d, year)]
        if task.deadline is not None and ended_before(task.deadline, year):
            task.deadline = main_deadline(kept)
            task.recurrence = task.deadline.recurrence if task.deadline is not None else None
        task.deadlines = kept


def _mend_names(tasks: list[Task], g: Gazetteer) -> None:
    """A name whose syllable a PDF text layer cut in two ("Bộ Y t ế", "Ban Chỉ đạo các tỉnh, thành
    ph ố …") is shown whole (:func:`~ingest.vntext.mend_split_syllables`), and is the gazetteer's
    agency when the mended name is one ("Bộ Y tế"). Its offsets still point at the source."""
    def mended(r: AgencyRef) -> AgencyRef:
        name = mend_split_syllables(r.name)
        if name == r.name:
            return r
        whole = [m for m in g.find(name) if m.start == 0 and m.end == len(name)]
        if r.agency_id is None and whole:
            m = whole[0]
            return replace(r, name=name, full=m.full, agency_id=m.agency_id, level=m.level)
        return replace(r, name=name, full=mend_split_syllables(r.full))

    for t in tasks:
        for fld in REF_FIELDS:
            setattr(t, fld, [mended(r) for r in getattr(t, fld)])


def _times_work_before(clause: Clause, before: Clause | None, tasks: list[Task]) -> bool:
    """An unnumbered paragraph that only states a time ("Thời gian hoàn thành trước ngày 31 tháng
    12 năm 2025.", "Đảm bảo hoàn thành trong quý I/2026.") right after a clause of the same point
    that holds tasks: the layout cut the sentence off the work it times. Its time goes to those
    tasks that state none; True when it did so (the paragraph is then no task of its own)."""
    if clause.marker or before is None or not _same_scope(clause, before):
        return False
    theirs = [t for t in tasks if t.clause_id == before.clause_id]
    due = time_statement(clause.text) if theirs else None  # the deadline parser only where there is work to time
    if due is None:
        return False
    for task in theirs:
        if task.deadline is None:
            task.deadline = due
            task.deadlines = list(task.deadlines) + [due]
            task.recurrence = task.recurrence or due.recurrence
    return True


def _same_scope(clause: Clause, before: Clause) -> bool:
    """``before`` is the point ``clause`` belongs to, or another piece of the same point."""
    if clause.parent is None:
        return before.parent is None
    return before.path == clause.parent or before.path.startswith(clause.parent + ".")


def _complete_names(tasks: list[Task], by_path: dict[str, Clause]) -> None:
    """A name the gazetteer lacks, read whole once in a document (a heading "1. Ban Quản lý các
    khu công nghệ cao và khu công nghiệp"), is the same name where the reader stopped early
    elsewhere ("phối hợp với Ban Quản lý các khu công nghệ cao và khu công nghiệp …" read as
    "Ban Quản lý các khu công nghệ"): the shorter reading is grown to the whole name when the text
    there goes on with it."""
    learned = sorted({r.name for t in tasks for fld in REF_FIELDS for r in getattr(t, fld)
                      if r.agency_id is None and len(r.name.split()) >= 4 and r.name[:1].isupper()},
                     key=len, reverse=True)
    if not learned:
        return

    def grown(r: AgencyRef) -> AgencyRef:
        clause = by_path.get(r.found_in)
        if clause is None or r.start < 0 or not r.name[:1].isupper():
            return r
        for name in learned:
            if len(name) > len(r.name) and name.startswith(r.name) \
                    and clause.text.startswith(name, r.start) \
                    and not clause.text[r.start + len(name) : r.start + len(name) + 1].isalnum():
                return replace(r, name=name, full=name, end=r.start + len(name))
        return r

    for t in tasks:
        for fld in REF_FIELDS:
            setattr(t, fld, [grown(r) for r in getattr(t, fld)])
