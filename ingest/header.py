"""What a document says about itself: the header above the body and the block below it.

Header (Nghị định 30/2020/NĐ-CP layout): issuer and quốc hiệu side by side, the number
("Số: 214/KH-UBND"), place and date, the type line ("KẾ HOẠCH") and the title (trích yếu).
Under the title: notes ("(Ban hành kèm theo ...)") and, in a công văn or tờ trình, the "Kính gửi:"
list (``addressees``, a header fact: its "- " items are not clauses). A công văn has no type
line: its type comes from the "V/v ..." title under the number, or from the "Kính gửi:" list.
Tail: "Nơi nhận:" with its "- ...;" lines, and the signature ("TM. ỦY BAN NHÂN DÂN",
"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", the name).

Why everything here works on *pieces* that it may cut: loaders do not agree on lines. A .docx
layout table gives one line per paragraph, in left-then-right or interleaved order; a PDF or a
.txt may glue "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" or
"KT. CHỦ TỊCH PHÓ CHỦ TỊCH" into one. So facts are found by pattern inside pieces, not by
line position, and what is not found stays None (nothing is invented).
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from tracuu.ingest.appendix import is_appendix_heading
from tracuu.ingest.markers import (
    Pager,
    Piece,
    cut,
    ends_terminal,
    find_marker,
    is_caps,
    is_name_like,
    join_all,
    join_pieces,
    split_at,
)
from tracuu.ingest.model import Signer
from tracuu.ingest.references import find_date, iso_date, normalize_number
from tracuu.ingest.vntext import collapse_spaces, fold

__all__ = [
    "DocType",
    "HeaderInfo",
    "Tail",
    "doc_types",
    "doc_type_heading",
    "issuer_case",
    "scan_header",
    "is_tail_start",
    "parse_tail",
    "is_note",
    "is_header_line",
    "adoption_date",
    "opening_facts",
    "issuer_place",
]


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DocType:
    name: str  # "Kế hoạch"
    codes: tuple[str, ...]  # ("KH",)
    attach_prefix: str  # "KH"
    name_gap: bool = False

    @property
    def caps(self) -> str:
        return self.name.upper()


@lru_cache(maxsize=1)
def _data() -> dict:
    with resources.files("tracuu.ingest").joinpath("data/doc_types.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocType, ...]:
    """Document types from ``ingest/data/doc_types.toml``, longest name first (for matching)."""
    out = []
    for t in _data()["types"]:
        codes = tuple(t.get("codes", ()))
        initials = "".join(w[0] for w in fold(t["name"]).split()).upper()
        prefix = t.get("attach_prefix") or (codes[0] if codes else initials)
        out.append(DocType(t["name"], codes, prefix, bool(t.get("name_gap", False))))
    return tuple(sorted(out, key=lambda d: len(d.name), reverse=True))


def _folded_words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", fold(text))


def doc_type_heading(text: str) -> DocType | None:
    """The type named by an all-caps heading line ("KẾ HOẠCH", "QUYẾT ĐỊNH:"), else None."""
    text = text.strip().rstrip(":.").strip()
    if not is_caps(text):
        return None
    words = _folded_words(text)
    for t in doc_types():
        if words == _folded_words(t.name):
            return t
    return None


def _type_prefix(text: str) -> tuple[DocType, int] | None:
    """A type heading glued to its title: "KẾ HOẠCH Triển khai ..." -> (Kế hoạch, 9)."""
    for t in doc_types():
        n = len(t.caps)
        if text[:n] == t.caps and text[n : n + 1] == " ":
            rest = text[n + 1 :].split()
            first = rest[0] if rest else ""
            if first[:1].isupper() and any(ch.islower() for ch in first):
                return t, n + 1
    return None


def _type_caps_prefix(text: str) -> tuple[DocType, int] | None:
    """A type heading glued to an all-caps title (a loader joined the two capitals lines):
    "KẾ HOẠCH TRIỂN KHAI ..." -> (Kế hoạch, 9). Not "QUYẾT ĐỊNH:" nor a type name alone."""
    for t in doc_types():
        n = len(t.caps)
        if text[:n] == t.caps and text[n : n + 1] == " " and is_caps(text[n + 1 :]) and not is_body_heading(text):
            return t, n + 1
    return None


@lru_cache(maxsize=1)
def _authority_re() -> re.Pattern[str]:
    """The authority line under a decision's title ("THỦ TƯỚNG CHÍNH PHỦ", "CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH ...", "BỘ TRƯỞNG BỘ ..."): a signing position at the start of a capitals run."""
    _, _, positions = _sig_vocab()
    alt = "|".join(re.escape(p) for p in positions)
    return re.compile(rf"(?<=\s)(?:{alt})\s+\S")


def _split_authority(title: Piece, pager: Pager) -> tuple[Piece, list[Piece]]:
    """Cut the authority line that a loader glued to the end of an all-caps title."""
    text = title.text
    if not is_caps(text):
        return title, []
    for m in _authority_re().finditer(text):
        before = text[: m.start()].split()
        if len(before) >= 3 and fold(before[-1]) not in ("cua", "ve", "va", "cho"):
            return cut(title, 0, m.start(), pager), [cut(title, m.start(), None, pager)]
    return title, []


def _flex(line: str) -> re.Pattern[str]:
    """A folded, whitespace- and dash-tolerant pattern for a fixed line (quốc hiệu, tiêu ngữ)."""
    words = _folded_words(line)
    return re.compile(r"[\s\-–—]*".join(re.escape(w) for w in words))


@lru_cache(maxsize=1)
def _national_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(_flex(line) for line in _data()["header"]["national_lines"])


@lru_cache(maxsize=1)
def _body_heading_words() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_folded_words(h)) for h in _data()["header"]["body_headings"])


def is_body_heading(text: str) -> bool:
    """"QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" that opens the articles of a decision or resolution."""
    return is_caps(text) and tuple(_folded_words(text)) in _body_heading_words()


# ---------------------------------------------------------------------------- issuer casing


@lru_cache(maxsize=1)
def _issuer_vocab() -> tuple[list[tuple[list[str], str]], list[list[str]], list[list[str]]]:
    iss = _data()["issuer"]
    phrases = sorted(
        ((_folded_words(k), v) for k, v in iss["phrases"].items()), key=lambda kv: len(kv[0]), reverse=True
    )
    places = sorted((_folded_words(w) for w in iss["place_words"]), key=len, reverse=True)
    agencies = sorted((_folded_words(w) for w in iss["agency_words"]), key=len, reverse=True)
    return phrases, places, agencies


def _match_at(folded: list[str], i: int, options: list[list[str]]) -> int:
    for opt in options:
        if folded[i : i + len(opt)] == opt:
            return len(opt)
    return 0


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def issuer_case(caps: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN" -> "Ủy ban nhân dân tỉnh Bình Sơn" (rules in doc_types.toml)."""
    phrases, places, agencies = _issuer_vocab()
    words = caps.split()
    folded = [" ".join(_folded_words(w)) for w in words]
    exact = [w.strip(",;.").upper() for w in words]
    exact_places = _issuer_words_exact()[0]
    out: list[str] = []
    i = 0
    mode = "name"  # how to case an unmatched word: "name" (title case) or "agency" (lower case)
    cap_next = False
    while i < len(words):
        n = _match_at(folded, i, [p for p, _ in phrases])
        if n:
            out.append(next(v for p, v in phrases if p == folded[i : i + n]))
            i, mode, cap_next = i + n, "name", False
            continue
        n = _match_at(exact, i, exact_places)  # exact: "TĨNH" (Hà Tĩnh) folds like "TỈNH"
        if n:
            out.extend(w.lower() for w in words[i : i + n])
            i, mode, cap_next = i + n, "name", False
            continue
        n = _match_at(folded, i, agencies) if mode != "agency" else 0
        if n:
            out.append(_title(words[i]))
            out.extend(w.lower() for w in words[i + 1 : i + n])
            i, mode, cap_next = i + n, "agency", True
            continue
        w = words[i]
        if mode == "agency":
            if folded[i] == "va":
                out.append("và")
                cap_next = True
            else:
                out.append(_title(w) if cap_next else w.lower())
                cap_next = w.endswith(",")
        else:
            out.append(_title(w))
        i += 1
    text = " ".join(out)
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def _issuer_words_exact() -> tuple[list[list[str]], list[list[str]]]:
    """Place words and body starters (agency words, fixed names) as written, in capitals.

    Why not folded: folding makes "PHONG" (a place name) equal "PHÒNG" (an agency word)."""
    iss = _data()["issuer"]
    places = sorted((w.upper().split() for w in iss["place_words"]), key=len, reverse=True)
    starters = [w.upper().split() for w in iss["agency_words"]] + [k.upper().split() for k in iss["phrases"]]
    return places, sorted(starters, key=len, reverse=True)


def _split_issuer_line(line: str) -> list[str]:
    """Cut an issuer line that a loader glued from two ("UBND TỈNH HÒA PHONG SỞ TÀI CHÍNH"): an
    agency word ("SỞ", "PHÒNG", ...) or a fixed body name that comes after a place name
    ("TỈNH HÒA PHONG") starts the next line. Without a place before it nothing is cut
    ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH")."""
    places, starters = _issuer_words_exact()
    words = line.split()
    exact = [w.strip(",;.").upper() for w in words]
    cuts: list[int] = []
    place_at: int | None = None
    k = 0
    while k < len(words):
        n = _match_at(exact, k, places)
        if n:
            place_at = k + n  # the place name starts here
            k += n
            continue
        n = _match_at(exact, k, starters)
        if n and place_at is not None and k > place_at:
            cuts.append(k)
            place_at = None
        k += max(n, 1)
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]


def _names_an_authority(lines: list[str]) -> bool:
    """Do the all-caps lines above the body name an authority at all? A text kept without its header
    (an appendix, a section of a document) opens with caps lines too ("PHỤ LỤC II", a table's header
    row); read as an issuer they would be shown as "Cơ quan ban hành". An issuer holds a known
    phrase, administrative unit or agency word (doc_types.toml [issuer]) at the start of a line."""
    phrases, places, agencies = _issuer_vocab()
    words = [w for opts in ([p for p, _ in phrases], places, agencies, _authority_words()) for w in opts]
    # at the start of a line: inside one, "vụ" of "NHIỆM VỤ" is no agency
    return any(_match_at(_folded_words(part), 0, words) for raw in lines for part in _split_issuer_line(raw))


@lru_cache(maxsize=1)
def _authority_words() -> list[list[str]]:
    return [_folded_words(w) for w in _data()["issuer"].get("authority_words", [])]


def _issuer_from_lines(lines: list[str]) -> str | None:
    """Issuer from its all-caps lines. A line that starts with an administrative unit ("TỈNH
    BÌNH SƠN") continues the previous one; another line is a subordinate body ("UBND TỈNH X" /
    "SỞ TÀI CHÍNH"), which is the real issuer: "Sở Tài chính tỉnh X"."""
    if not lines or not _names_an_authority(lines):
        return None
    _, places, _ = _issuer_vocab()
    phrases = [p for p, _ in _issuer_vocab()[0]]
    groups: list[list[str]] = []
    for line in (part for raw in lines for part in _split_issuer_line(raw)):
        f = _folded_words(line)
        continues = groups and _match_at(f, 0, places) and not _match_at(f, 0, phrases)
        if continues:
            groups[-1].append(line)
        else:
            groups.append([line])
    own = issuer_case(" ".join(groups[-1]))
    if len(groups) > 1 and not any(_match_at(_folded_words(line), 0, places) for line in groups[-1][1:]):
        parent = " ".join(groups[-2])
        pf = _folded_words(parent)
        for k in range(len(pf)):
            if _match_at(pf, k, places):
                place = issuer_case(" ".join(parent.split()[k:]))
                return f"{own} {place[:1].lower()}{place[1:]}"
    return own


def issuer_place(issuer: str | None) -> str | None:
    """The place an issuer belongs to, for a document's id: "Ủy ban nhân dân tỉnh Bắc Ninh" ->
    "Bắc Ninh", "Sở Tài chính tỉnh Hòa Phong" -> "Hòa Phong"; None for a national body ("Thủ
    tướng Chính phủ", "Bộ Xây dựng"). The words after the last administrative unit word."""
    if not issuer:
        return None
    words = issuer.split()
    exact = [w.strip(",;.").upper() for w in words]
    places = _issuer_words_exact()[0]
    found: int | None = None
    for k in range(len(words)):
        n = _match_at(exact, k, places)
        if n and k + n < len(words):
            found = k + n
    return " ".join(words[found:]) if found is not None else None


# ---------------------------------------------------------------------------- header


@dataclass
class HeaderInfo:
    """Facts read from the header; None where the text does not say."""

    doc_type: DocType | None = None
    type_as_written: str | None = None
    number: str | None = None
    date: str | None = None
    date_as_written: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    title: str | None = None
    notes: list[str] = field(default_factory=list)  # "(Ban hành kèm theo ...)", "(Văn bản mẫu ...)"
    addressees: list[str] = field(default_factory=list)  # the "Kính gửi:" list, without "- " and ";"

    @property
    def issuer(self) -> str | None:
        return _issuer_from_lines(self.issuer_lines)


# "Số: 3556 /QĐ-UBND": a space the typist left before the slash is still one number
_NUMBER_RE = re.compile(r"(?:(?<=\s)|^)(?:Số|SỐ|số)\s*:?\s*(?P<num>[^\s,;]+(?:[ \t]+/[^\s,;]+)?)")
_RULE_RE = re.compile(r"^[\s\-–—_*=.~•]+$")
_NOTE_STARTS = ("(Ban hành kèm theo", "(Kèm theo", "(Văn bản mẫu", "(kèm theo", "(ban hành kèm theo")
_VV_RE = re.compile(r"^(?:V/v|V/V|v/v)\b\.?\s*")
_PLACE_DATE_RE = re.compile(r"^[^,]{2,60},\s*ngày\b", re.IGNORECASE)


def _typed_number(text: str) -> bool:
    """"Luật số: 69/2020/QH14": a number line that names the type first (laws, ordinances)."""
    m = re.match(r"^(\w+(?:\s+\w+){0,2})\s+số\s*:\s*\d", text)
    return bool(m) and any(_folded_words(m.group(1)) == _folded_words(t.name) for t in doc_types())


def adoption_date(texts: list[str]) -> tuple[str, str] | None:
    """(ISO date, as written) of "... thông qua ngày 13 tháng 11 năm 2020" in the last of ``texts``
    that says it: the date of a law or an ordinance, whose header states none."""
    cues = tuple(_data()["header"].get("adoption_cues", ()))
    for text in reversed(texts):
        for cue in cues:
            k = text.rfind(cue)
            if k < 0:
                continue
            at = k + len(cue) - len("ngày")
            found = find_date(text, at, anchored=True)
            if found and found[0]:
                return found[0], found[1].group(0)
    return None


# --------------------------------------------------------------------------- a header written in the opening lines
#
# A header block the scan above reads nothing from, whose facts the document's first lines still write: a Party
# text layer whose header leaves number and day blank ("TỈNH UỶ … * Số -CTr/TU", "…, ngày   tháng 8 năm 2026")
# and falls to the body's opening clauses, a plan kept with its "(Kèm theo Quyết định số … Ngày … của …)" line
# under a repository's note line. :func:`opening_facts` reads them from those clauses (``preamble.*``).

#: The line of a plan or an annex that says which document it goes with, as written: "(Kèm theo Quyết định số
#: 2530/QĐ-TTg ngày 19 tháng 11 năm 2025 của Thủ tướng Chính phủ)", "(Ban hành kèm theo …)".
ANNEXED_TO = re.compile(r"\(?\s*(?:[Bb]an hành\s+)?[Kk]èm\s+theo\s+[^()]*?(?:\)|$)")
#: "Số: 1803/QĐ-TTg", "Số 12/KH-UBND": a number written as the document's number (capital "Số", digits, a slash)
_NUMBER_WRITTEN = re.compile(r"\bSố\s*:?\s*(\d+[^\s/|*]*/[^\s|*,;()]+)")
#: "Hà Nội, ngày 22 tháng 10 năm 2015", "Lào Cai, ngày tháng 8 năm 2026" (a text layer leaves the day blank)
_DATE_WRITTEN = re.compile(r"\b(?:(?:[A-ZĐ][^\W\d_A-ZĐ]*\s+){0,3}[A-ZĐ][^\W\d_A-ZĐ]*),\s*ngày\s+"
                           r"(?:(\d{1,2})\s+)?tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
#: the date of the decision an issued plan goes with: "(Kèm theo Quyết định số … Ngày 19 tháng 11 năm 2024 của …)"
_ANNEX_DATE = re.compile(r"\b[Nn]gày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
#: what ends the issuer's capitals at the top left: the national motto's column, a number, a rule
_ISSUER_END = re.compile(r"\s(?:CỘNG\s+H(?:ÒA|OÀ)|ĐẢNG\s+CỘNG\s+SẢN|Số\b)|\s[-_*]{1,}(?:\s|$)")
OPENING_CLAUSES = 4  # the opening clauses a header-less document's facts are read from
ISSUER_CLAUSES = 2  # the issuer stands at the start of one of the first two


def plain_line(text: str) -> str:
    """``text`` with a pipe table's bars and emphasis marks taken out and its spaces collapsed: the form the
    opening facts are read (and, by the answerer, found) in."""
    return " ".join(text.replace("|", " ").replace("*", " ").split())


def _put_date(out: dict[str, str], as_written: str, day: str | None, month: str, year: str) -> None:
    """The date as written, and its ISO form only when the day is written and the date exists (``iso_date``)."""
    out["date_as_written"] = as_written
    iso = iso_date(day, month, year) if day else None
    if iso:
        out["date"] = iso


def opening_facts(texts: list[str]) -> dict[str, str]:
    """Number, date (ISO, only when the day is written), date as written and issuer that the opening clauses
    ``texts`` (the first :data:`OPENING_CLAUSES` of the body's ``preamble.*``, in order) write, for a document
    whose header block gave none of them. Guards: a number only where it is written as a document number ("Số:
    12/KH-X"); an issuer only from a line in capitals that opens one of the first :data:`ISSUER_CLAUSES`
    clauses (up to the national motto's column, the number or a rule); a date from a "Place, ngày … tháng …
    năm …" line, else from the "(Kèm theo Quyết định số … ngày …)" line: a plan issued with a decision is
    dated by it. A blank day gives the date as written and no ISO date: nothing is made up.

    Why the lines stay clauses and the header records no span of its own: the text of these lines is what
    clauses were cut from (moving it to a header part would renumber and re-cut the clauses cited), and the
    values are kept as written, spaces collapsed (:func:`plain_line`), so the answerer finds the clause that
    writes each one from the header's value (``api.doc_parts.opening_clause``) and cites that line."""
    out: dict[str, str] = {}
    annexed = False
    for i, raw in enumerate(texts[:OPENING_CLAUSES]):
        text = plain_line(raw)
        m = _NUMBER_WRITTEN.search(text)
        if m and "number" not in out:
            out["number"] = normalize_number(m.group(1).rstrip("."))
        m = _DATE_WRITTEN.search(text)
        if m and "date_as_written" not in out:
            _put_date(out, m.group(0), m.group(1), m.group(2), m.group(3))
        if "issuer" not in out and i < ISSUER_CLAUSES:
            top = _ISSUER_END.split(" " + text.strip(" -_") + " ", maxsplit=1)[0].strip(" -_")
            if len(top.split()) >= 2 and is_caps(top):
                out["issuer"] = issuer_case(top)
        m = ANNEXED_TO.search(text) if not annexed else None
        if m and re.search(r"\d", m.group(0)):  # the first line saying which document the text goes with
            annexed = True
            d = _ANNEX_DATE.search(m.group(0))
            if d and "date_as_written" not in out:  # the plan's date is its decision's
                _put_date(out, d.group(0), d.group(1), d.group(2), d.group(3))
    return out


def is_note(text: str) -> bool:
    """A parenthesised line under a title: "(Ban hành kèm theo Quyết định số ...)"."""
    t = text.strip()
    return t.startswith("(") and t.rstrip(".").endswith(")")


def is_header_line(p: Piece) -> bool:
    """A line of the header block above the type heading: issuer, quốc hiệu, number, place/date, V/v."""
    t = p.text
    if p.is_row:
        return False
    if p.layout or _RULE_RE.match(t) or _VV_RE.match(t):
        return True
    if find_marker(t) is not None and find_marker(t).kind not in ("dash",):
        return False
    folded = fold(t)
    if any(rx.search(folded) for rx in _national_patterns()):
        return True
    if _NUMBER_RE.match(t) or _PLACE_DATE_RE.match(t) or _typed_number(t):
        return True
    return is_caps(t) and len(t) <= 160 and doc_type_heading(t) is None


def _place_lead(text: str) -> bool:
    """Is ``text`` the start of a place name a loader left at the end of the number's line ("Số: 172/KH-UBND
    Thành phố Hồ Chí" above "Minh, ngày 18 tháng 11 năm 2025")? Up to six capitalised words ("phố" aside)."""
    words = text.split()
    return 0 < len(words) <= 6 and not is_caps(text) and all(
        w.isalpha() and (w[0].isupper() or w == "phố") for w in words)


def _read_header_piece(p: Piece, info: HeaderInfo, lead: str | None = None) -> str | None:
    """Take number, place/date, V/v title and issuer lines out of one header piece.

    ``lead``: the start of the place name the previous piece ended with (what this function returned for it).
    Why: a two-column header's text layer breaks a long place name ("Thành phố Hồ Chí Minh") over two
    lines, and the loader joins its first half to the number's line; read alone, the date line gave the
    place "Minh" and the date as written "Minh, ngày …". Returns such a start when this piece ends with one.
    """
    text = p.text
    vv = _VV_RE.match(text)
    if vv:  # "V/v ..." is a công văn's title; a number or date inside it is not the document's
        if info.title is None:
            info.title = text[vv.end() :].strip() or None
        if info.doc_type is None:
            info.doc_type = next((t for t in doc_types() if t.name == "Công văn"), None)
            info.type_as_written = None
        return
    taken: list[tuple[int, int]] = []
    folded = fold(text)
    for rx in _national_patterns():
        for m in rx.finditer(folded):
            taken.append((m.start(), m.end()))
    num_end = 0
    m = _NUMBER_RE.search(text)
    if m and (m.start() == 0 or m.group("num")[:1].isdigit()):
        num = normalize_number(re.sub(r"\s+/", "/", m.group("num")).rstrip("."))
        if any(ch.isdigit() for ch in num) and info.number is None:
            info.number = num
        taken.append((m.start(), m.end()))
        num_end = m.end()
    found = find_date(text, num_end)
    if found and info.date_as_written is None:
        iso, dm = found
        # the place is what precedes ", ngày" (after the number or a quốc hiệu glued before it)
        start = max([num_end] + [b for a, b in taken if b <= dm.start()])
        before = text[start : dm.start()]
        place = before.strip().rstrip(",").strip()
        if len(place) <= 60 and (not place or before.rstrip().endswith(",")) and not is_caps(place):
            first = text.find(place, start) if place else dm.start()
            written = text[first : dm.end()].strip()
            if lead and place and start == 0:  # the place name began on the number's line
                place, written = f"{lead} {place}", f"{lead} {written}"
            info.place = place or None
            info.date = iso
            info.date_as_written = written
            taken.append((first, dm.end()))
    # what is left: issuer lines (all caps), in reading order
    taken.sort()
    pos = 0
    rest: list[str] = []
    for a, b in taken + [(len(text), len(text))]:
        if a > pos:
            rest.append(text[pos:a])
        pos = max(pos, b)
    for chunk in rest:
        chunk = collapse_spaces(re.sub(r"[-–—_*=~•]{2,}|^\s*[*•]\s*$", " ", chunk))
        if chunk and is_caps(chunk) and not _RULE_RE.match(chunk):
            info.issuer_lines.append(chunk)
    tail = text[num_end:].strip()
    if num_end and not found and _place_lead(tail):
        return tail
    return None


@lru_cache(maxsize=1)
def _preamble_starts() -> tuple[str, ...]:
    return tuple(_data()["header"]["preamble_starts"])


def _looks_like_title(p: Piece) -> bool:
    t = p.text
    return not (
        p.is_row
        or find_marker(t) is not None
        or is_caps(t)
        or t.startswith("(")
        or t.endswith(":")
        or fold(t).startswith("can cu")
        or len(t) > 700
    )


def _caps_title(p: Piece) -> bool:
    """An all-caps trích yếu under the type heading ("VỀ VIỆC ...", "PHÊ DUYỆT ĐỀ ÁN ..."): not a
    body heading ("QUYẾT ĐỊNH:"), not the authority line alone, not a marker or an appendix."""
    t = p.text.strip()
    if p.is_row or not is_caps(t) or find_marker(t) is not None or t.endswith(":") or is_body_heading(t):
        return False
    if doc_type_heading(t) is not None or is_appendix_heading(t) or _authority_re().match(" " + t):
        return False
    return len(t.split()) >= 3


#: a rule drawn under a title (a run of underscores, dashes or equals signs) that a loader joined to it
_TITLE_RULE_RE = re.compile(r"\s[_\-–—=*]{3,}(?=\s|$)")


def _split_rule(title: Piece, pager: Pager) -> tuple[Piece, list[Piece]]:
    """Cut the rule drawn under the title, and what a loader joined after it, off the title.

    Why: a gazette text layer writes the rule on the line under the last title line with no blank
    line between, so the loader makes one paragraph of both ("… tổ dân phố ______________"); the
    rule ends the header, it is not part of the trích yếu that answers and lists show. Text after
    the rule (the authority line "CHÍNH PHỦ" of a resolution) goes back to the body.
    """
    m = _TITLE_RULE_RE.search(title.text)
    if m is None or not title.text[: m.start()].strip():
        return title, []
    rest = cut(title, m.end(), None, pager)
    return cut(title, 0, m.start(), pager), [rest] if rest.text else []


def _split_merged_title(title: Piece, pager: Pager) -> tuple[Piece, list[Piece]]:
    """Cut a note or a first body paragraph that a loader glued to the title."""
    text = title.text
    extra: list[Piece] = []
    for start in _NOTE_STARTS:
        k = text.find(" " + start)
        if k > 0:
            note_end = text.find(")", k)
            note_end = len(text) if note_end < 0 else note_end + 1
            body = cut(title, note_end, None, pager)
            extra = [cut(title, k, note_end, pager)] + ([body] if body.text else [])
            title = cut(title, 0, k, pager)
            text = title.text
            break
    if len(text) > 300 or text.endswith(":"):
        best = None
        for word in _preamble_starts():
            for m in re.finditer(rf"(?<=\s){re.escape(word)}\s", text):
                if m.start() > 20 and text[m.start() - 2] not in ",;(" and (best is None or m.start() < best):
                    best = m.start()
        if best is not None:
            extra = [cut(title, best, None, pager)] + extra
            title = cut(title, 0, best, pager)
    return title, extra


def scan_header(pieces: list[Piece], start: int, pager: Pager) -> tuple[HeaderInfo, int, list[Piece]]:
    """Read the header from ``pieces[start:]``.

    Returns the facts, the index where the body starts, and the piece list (a loader's glued
    title/first paragraph may have been cut in two, which inserts a piece).
    """
    info = HeaderInfo()
    i = start
    limit = min(len(pieces), start + 30)
    type_piece: Piece | None = None
    title_rest: Piece | None = None
    lead: str | None = None  # the start of a place name left at the end of the number's line
    while i < limit:
        p = pieces[i]
        t = doc_type_heading(p.text)
        if t is not None and not p.is_row:
            info.doc_type, info.type_as_written, type_piece = t, p.text.strip(), p
            i += 1
            break
        glued = _type_prefix(p.text) or _type_caps_prefix(p.text)
        if glued is not None and not p.layout:
            info.doc_type, type_piece = glued[0], p
            info.type_as_written = p.text[: glued[1]].strip()
            title_rest = cut(p, glued[1], None, pager)
            i += 1
            break
        if is_header_line(p):
            lead = _read_header_piece(p, info, lead)
            i += 1
            continue
        break
    if type_piece is None:
        if info.number or info.date or info.issuer_lines:  # a header without a type line (công văn)
            i = _read_under_title(pieces, i, info, pager)
            if info.doc_type is None and info.addressees:
                info.doc_type = next((t for t in doc_types() if t.name == "Công văn"), None)
        return info, i, pieces
    # title: the next piece, plus pieces that continue its sentence in lower case
    title_parts: list[Piece] = []
    if title_rest is not None and title_rest.text:
        title_parts.append(title_rest)
    elif i < len(pieces) and (_looks_like_title(pieces[i]) or _caps_title(pieces[i])):
        title_parts.append(pieces[i])
        i += 1
    while title_parts and i < len(pieces):
        nxt = pieces[i]
        prev = title_parts[-1].text
        if ends_terminal(prev) or prev.endswith(":") or not nxt.text[:1].islower() or find_marker(nxt.text):
            break
        title_parts.append(nxt)
        i += 1
    if title_parts:
        title = join_all(title_parts)
        title, after_rule = _split_rule(title, pager)
        title, extra = _split_merged_title(title, pager)
        title, authority = _split_authority(title, pager)
        extra = authority + extra + after_rule
        info.title = title.text or None
        if extra:
            pieces = pieces[:i] + extra + pieces[i:]
    i = _read_under_title(pieces, i, info, pager)
    return info, i, pieces


_KINH_GUI_RE = re.compile(r"^Kính\s+gửi\s*:?\s*", re.IGNORECASE)


def _read_under_title(pieces: list[Piece], i: int, info: HeaderInfo, pager: Pager) -> int:
    """Notes, rule lines and the "Kính gửi:" block under the title; returns where the body starts."""
    while i < len(pieces) and not pieces[i].is_row:
        t = pieces[i].text
        if is_note(t) or _RULE_RE.match(t):
            if is_note(t):
                info.notes.append(t)
            i += 1
            continue
        if _KINH_GUI_RE.match(t) and not info.addressees:
            i = _read_addressees(pieces, i, info, pager)
            continue
        break
    return i


def _read_addressees(pieces: list[Piece], i: int, info: HeaderInfo, pager: Pager) -> int:
    """The "Kính gửi:" block of a công văn or tờ trình: one addressee on the same line, or "- "
    items on it and the following lines. The list ends with an item that ends in "." or at the
    first line that is not an item (nor the lower-case rest of a wrapped one)."""
    head = pieces[i]
    m = _KINH_GUI_RE.match(head.text)
    assert m is not None
    items: list[Piece] = []
    rest = cut(head, m.end(), None, pager)
    if rest.text:
        items.append(rest)
    i += 1
    while i < len(pieces) and not (items and items[-1].text.rstrip().endswith(".")):
        q = pieces[i]
        if q.is_row or (head.layout and not q.layout):
            break
        mk = find_marker(q.text)
        if mk is not None and mk.kind in ("dash", "plus"):
            items.append(q)
        elif items and not ends_terminal(items[-1].text) and q.text[:1].islower():
            items[-1] = join_pieces(items[-1], q)
        else:
            break
        i += 1
    for item in items:
        cuts = [mm.start() + 1 for mm in re.finditer(r"[;.]\s+[-–]\s", item.text)]  # "- A; - B;" on one line
        for part in split_at(item, cuts, pager):
            name = re.sub(r"[;.,]+$", "", _ITEM_RE.sub("", part.text)).strip()
            if name:
                info.addressees.append(name)
    return i


# ---------------------------------------------------------------------------- tail


@lru_cache(maxsize=1)
def _sig_vocab() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    s = _data()["signature"]
    positions = tuple(sorted(s["positions"], key=len, reverse=True))
    return tuple(s["authority_prefixes"]), tuple(s["capacity_prefixes"]), positions


_RECIPIENTS_RE = re.compile(r"^n[ơo]i\s+nh[ậa]n\s*:?", re.IGNORECASE)
_ITEM_RE = re.compile(r"^[-–—+•]\s*")
_SIGNED_RE = re.compile(r"^\((?:đã ký|Đã ký|ký|Ký|ĐÃ KÝ)[^)]*\)$")
# a line wholly in brackets under a recipient item, "(Giao UBND các xã thông tin và gửi)": a note on
# how that item is delivered, part of the recipients block, never a sentence of the body
_RECIPIENT_NOTE_RE = re.compile(r"^\([^()]*\)\s*[;.,]?$")


def _is_recipients_heading(text: str) -> bool:
    return bool(_RECIPIENTS_RE.match(fold(text)) or _RECIPIENTS_RE.match(text))


@lru_cache(maxsize=1)
def _sig_prefix_re() -> re.Pattern[str]:
    authorities, capacities, _ = _sig_vocab()
    alt = "|".join(re.escape(p) for p in sorted(authorities + capacities, key=len, reverse=True))
    return re.compile(rf"(?:(?<=\s)|^)(?:{alt})\s*(?=\w)")


def _sig_prefixes(text: str) -> list[re.Match[str]]:
    """"TM.", "KT.", "TL.", "TUQ.", "Q." followed by a word in capitals ("KT. CHỦ TỊCH")."""
    out = []
    for m in _sig_prefix_re().finditer(text):
        word = text[m.end() :].split(maxsplit=1)
        if word and word[0].isupper():
            out.append(m)
    return out


def _is_sig_prefixed(text: str) -> bool:
    """"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH ..." at the start of a line."""
    found = _sig_prefixes(text)
    return bool(found) and found[0].start() == 0


def _is_position(text: str) -> bool:
    _, _, positions = _sig_vocab()
    return is_caps(text) and any(fold(text) == fold(p) for p in positions)


def is_tail_start(pieces: list[Piece], i: int) -> bool:
    """Does the recipients/signature block start at ``pieces[i]``?

    "Nơi nhận" counts when the line holds nothing else but list items or a signature
    (a sentence "Nơi nhận hồ sơ là ..." does not end the body)."""
    t = pieces[i].text
    if pieces[i].is_row:
        return False
    if _is_recipients_heading(t):
        m = _RECIPIENTS_RE.match(fold(t))
        rest = t[m.end() :].strip() if m else t
        if not rest or _ITEM_RE.match(rest) or _is_sig_prefixed(rest) or pieces[i].layout:
            return True
    if _is_sig_prefixed(t):
        return True
    if _is_position(t) or (is_caps(t) and len(t) < 60 and find_marker(t) is None and pieces[i].layout):
        for nxt in pieces[i + 1 : i + 4]:
            if is_name_like(nxt.text):
                return True
            if not (_SIGNED_RE.match(nxt.text) or is_caps(nxt.text)):
                break
    return False


def _split_signature(p: Piece, pager: Pager) -> list[Piece]:
    """Cut glued signature lines: "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Trung Hồ"."""
    text = p.text
    cuts = [m.start() for m in _sig_prefixes(text) if m.start() > 0]
    # caps -> name: the first word with a lower-case letter after caps words
    words = list(re.finditer(r"\S+", text))
    for k, w in enumerate(words):
        if k > 0 and any(ch.islower() for ch in w.group()) and is_caps(text[: w.start()]):
            if is_name_like(text[w.start() :]):
                cuts.append(w.start())
            break
    parts = split_at(p, cuts, pager)
    out: list[Piece] = []
    _, capacities, positions = _sig_vocab()
    for part in parts:
        t = part.text
        m = _sig_prefix_re().match(t)
        if not m or not is_caps(t):
            out.append(part)
            continue
        rest = t[m.end() :]
        is_capacity = t.startswith(capacities)
        cut_at = None
        if is_capacity:
            # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH": the superior's position, then the signer's
            for pos in positions:
                if rest.startswith(pos + " ") and is_caps(rest[len(pos) + 1 :]):
                    cut_at = m.end() + len(pos) + 1
                    break
        else:
            # "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH": the body, then the signer's position
            for pos in positions:
                if rest.endswith(" " + pos) and len(rest) > len(pos) + 1:
                    cut_at = m.end() + len(rest) - len(pos)
                    break
        out.extend(split_at(part, [cut_at], pager) if cut_at else [part])
    return out


@dataclass
class Tail:
    """The recipients and signature of one document (pieces as cut, in reading order)."""

    recipients_heading: Piece | None = None
    recipients: list[Piece] = field(default_factory=list)  # one piece per "- ...;" item
    signature: list[Piece] = field(default_factory=list)
    leftover: list[Piece] = field(default_factory=list)  # glued text that was neither

    def recipient_names(self) -> list[str]:
        """Items without "- " and without the trailing ";" or "." (DocumentHeader.recipients)."""
        out = []
        for p in self.recipients:
            t = _ITEM_RE.sub("", p.text).strip()
            t = re.sub(r"[;.,]+$", "", t).strip()
            if t:
                out.append(t)
        return out

    def signer(self) -> Signer:
        return signer_of_lines([p.text for p in self.signature])


def signer_of_lines(lines: list[str]) -> Signer:
    """The signer of a signature block's lines ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")."""
    authorities, capacities, _ = _sig_vocab()
    s = Signer()
    for t in lines:
        if t.startswith(authorities):
            s.authority = s.authority or t
        elif t.startswith(capacities):
            s.capacity = s.capacity or t
        elif is_name_like(t):
            s.name = t
        elif is_caps(t) and s.position is None:
            s.position = t
    return s


# Marks a text layer leaves between the signer's position and name: "[daky]", "[đã ký]",
# "(Đã ký)", or a lone bracket of a signature image.
_SIGN_MARK = re.compile(r"^(?:\[\s*(?:đã\s*ký|daky|ký)?\s*\]?|\((?:đã\s*ký|ký)[^)]*\))$", re.IGNORECASE)
# A footnote opening where a layout glued the notes right under the signature: "[1] Thông báo …".
_FOOTNOTE_START = re.compile(r"\s\[\d{1,2}\]\s")
NAME_LOOKAHEAD = 4  # lines after a signature block searched for the signer's name


def signer_name_after(text: str, start: int) -> tuple[int, int] | None:
    """[a, b) of the signer's name written on the lines right after ``text[start:]``'s beginning
    (the end of a signature block that lost its name), or None.

    Why: text layers put marks between the position and the name ("[daky]", a lone "["), or a
    footnote straight after the name ("Nguyễn Văn A" / "[1] Nghị quyết …"), so the block
    read at ingest stops before the name. Blank lines, marks and capitals lines (a position)
    are skipped; a name is the
    line's words up to a footnote marker, when they are a person's name (markers.is_name_like).
    """
    pos, seen = start, 0
    while pos < len(text) and seen < NAME_LOOKAHEAD:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end]
        body = line.strip()
        if body and not _SIGN_MARK.match(body):
            seen += 1
            cut = _FOOTNOTE_START.search(" " + body + " ")
            name = body[: cut.start()].strip() if cut else body
            if is_name_like(name):
                a = pos + line.index(name)
                return a, a + len(name)
            if not is_caps(body):  # a position line ("PHÓ THỦ TƯỚNG") may come first; text ends the search
                return None
        pos = end + 1
    return None


def _continues_signature(text: str) -> bool:
    """After the signer's name, what a layout line may still add to the signature block: a second
    signer ("TM. ...", a name) or a "(Đã ký)" mark. A plain capitals line there ("ỦY BAN NHÂN DÂN",
    the quốc hiệu) is the header block of the next document (a plan attached to a decision), which
    a .docx also lays out in a borderless table."""
    return bool(_is_sig_prefixed(text) or _SIGNED_RE.match(text) or is_name_like(text))


def parse_tail(pieces: list[Piece], i: int, pager: Pager) -> tuple[Tail, int]:
    """Read "Nơi nhận" and the signature from ``pieces[i:]``, in either order or interleaved
    (a .docx layout table). Stops at the first piece that is neither, after the signer's name
    unless layout lines continue, or at an appendix/attached-document heading."""
    tail = Tail()
    queue: deque[Piece] = deque()
    saw_name = False
    wraps: list[Piece] = []  # wrapped lines of the last recipient, joined once (linear time)

    def flush() -> None:
        if wraps:
            tail.recipients[-1] = join_all([tail.recipients[-1], *wraps])
            wraps.clear()

    j = i
    while queue or j < len(pieces):
        from_queue = bool(queue)
        p = queue.popleft() if from_queue else pieces[j]
        t = p.text
        if not from_queue:
            if p.is_row or is_appendix_heading(t) or doc_type_heading(t):
                break
            j += 1
        if _is_recipients_heading(t):
            m = _RECIPIENTS_RE.match(fold(t))
            assert m is not None
            tail.recipients_heading = cut(p, 0, m.end(), pager)
            rest = cut(p, m.end(), None, pager)
            if rest.text:
                queue.appendleft(rest)
            continue
        glued_sig = [m.start() for m in _sig_prefixes(t) if m.start() > 0]
        if _ITEM_RE.match(t) and not _SIGNED_RE.match(t):
            if glued_sig:  # "- Lưu: VT. KT. CHỦ TỊCH": two columns on one line
                queue.appendleft(cut(p, glued_sig[0], None, pager))
                p = cut(p, 0, glued_sig[0], pager)
                t = p.text
            # "- A; - B;" glued on one line: cut before each "- " that follows ; or .
            cuts = [m.start() + 1 for m in re.finditer(r"[;.]\s+[-–]\s", t)]
            flush()
            tail.recipients.extend(split_at(p, cuts, pager))
            continue
        sig_like = _is_sig_prefixed(t) or is_caps(t) or _SIGNED_RE.match(t) or is_name_like(t)
        has_sig_prefix = bool(glued_sig)
        if tail.recipients and not saw_name and _RECIPIENT_NOTE_RE.match(t) and not _SIGNED_RE.match(t):
            wraps.append(p)  # a bracketed note on the last recipient: stays in the recipients block
            continue
        last = wraps[-1].text if wraps else (tail.recipients[-1].text if tail.recipients else "")
        if tail.recipients and not ends_terminal(last) and not sig_like and not has_sig_prefix:
            if p.text:
                wraps.append(p)  # a wrapped recipient line
            continue
        if has_sig_prefix and not sig_like:
            # "- Lưu: VT. TM. ỦY BAN NHÂN DÂN" glued across the two columns
            k = glued_sig[0]
            queue.appendleft(cut(p, k, None, pager))
            queue.appendleft(cut(p, 0, k, pager))
            continue
        if sig_like and (not saw_name or (p.layout and _continues_signature(t))):
            if _SIGNED_RE.match(t):
                continue  # "(Đã ký)" is a mark, not a line of the signature block
            for part in _split_signature(p, pager):
                tail.signature.append(part)
                if is_name_like(part.text):
                    saw_name = True
            continue
        if from_queue:
            tail.leftover.append(p)
            continue
        j -= 1
        break
    flush()
    return tail, j
