"""Task extraction measured on the hand labels of ``../shared/realdocs`` (no embedding, no index).

    python bench/realdocs_tasks.py [--split tune|heldout|both] [--misses] [--doc PREFIX] [--units]

For each labelled document the file is loaded, parsed and its tasks extracted exactly as
``tracuu ingest`` does (``ingest_loaders.load`` -> ``ingest.parser.parse_document`` ->
``ingest.tasks.extract_tasks``). A document the parser refuses counts all its labels as missed.
Then each label of ``tests/realdocs/tasks.<split>.jsonl`` is matched to one extracted task and
scored. Printed per split and per document: recall, lead right, coordinators right, deadline right,
fully right (lead + coordinators + deadline), each as a share of *all* labels of that split.

Matching a label to a task (why: the anchor is the label's only pointer into the text):
  * texts are NFC and whitespace-collapsed; a task's candidate texts are its own text, its clause's
    text (with its marker, "a) ..." / "1. ...", in front: anchors copy what the page shows), and for
    a table row the row's cells joined by " | " in column order (the crawler form the anchors of
    table rows are copied from, e.g. "2 | Triển khai ...");
  * the task matches when one candidate contains the anchor; among several, the shortest wins (the
    innermost clause). No anchor found in any task: a miss (recall).

Comparing agencies (a set of names against a set of names, order free):
  * each name is NFC'd and stripped of "(...)" acronyms and edge punctuation; a head of agency
    ("Giám đốc Sở Y tế", "Chủ tịch UBND cấp xã", "Bộ trưởng Bộ Nội vụ") is read as the agency, with
    the title words of ``[heads]`` in ingest/data/agencies.toml;
  * abbreviations are written out with the gazetteer; when the whole name is one gazetteer agency,
    its id is the key (so "Sở KH&CN" = "Sở Khoa học và Công nghệ" = "Sở Khoa học và Công nghệ tỉnh",
    and "Các Sở, ban, ngành" = "các sở, ban, ngành Thành phố": one collective entry);
  * otherwise the key is the folded name (lower case, no diacritics) with punctuation collapsed and
    a trailing jurisdiction word of the document's own level dropped ("tỉnh", "thành phố",
    "cấp tỉnh", "Thành phố" — both sides come from the same document, so its jurisdiction is shared);
  * lead right: the two key sets are equal. Coordinators right: equal sets (both empty counts).
    Nothing else is forgiven: a missing or extra agency is wrong.
  * ``--units`` is a second reading, never the reported figure: each entry that is not one
    gazetteer agency is cut into the bodies it lists (the gazetteer's names inside it, the words
    between them cut at "," ";" "và"), so a list the label wrote as one entry ("Viện, Trường")
    equals the same bodies written as several. It says how much of a miss is only grouping.

Comparing deadlines: both null is right; one null is wrong. Otherwise both are folded and reduced to
a signature: the numbers they contain (leading zeros dropped; a Roman quarter "Quý IV" is 4, and so is
each quarter of a list "Quý III, IV/2026"; "hai lần" is "2 lần", "thứ Sáu" is "thứ 6") and the
recurrence words (thường xuyên/liên tục -> continuous, hằng/hàng/mỗi/từng năm or "lần/năm" -> yearly,
hằng tháng -> monthly, hằng quý -> quarterly, "6 tháng" as a span (not the month of a date such as
"ngày 16 tháng 12") -> half-yearly, định kỳ -> periodic, dropped when a more precise
recurrence is there). Right when the signatures are equal and non-empty, or, for two texts with no
number and no recurrence word, when one folded text contains the other. So "Hoàn thành trong năm
2025" = "năm 2025", but "Thường xuyên, hằng năm" != "Thường xuyên" and "Quý IV/2026; Quý IV/2027"
!= "Quý IV/2026".

The held-out split is for the final measurement only: tune on ``--split tune``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.agencies import Gazetteer, load_gazetteer  # noqa: E402
from tracuu.ingest.vntext import fold, nfc  # noqa: E402

from bench.shared_dir import SHARED  # noqa: E402

REALDOCS = SHARED / "realdocs" / "docs"
LABELS = ROOT / "tests" / "realdocs"
SPLITS = ("tune", "heldout")


def norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", nfc(text)).strip()


# --------------------------------------------------------------------------- agencies


_TRAILING_LEVEL = re.compile(r"(?:\s+(?:cap tinh|tinh|thanh pho|cap thanh pho))+$")


def _heads() -> list[str]:
    data = tomllib.loads((ROOT / "ingest" / "data" / "agencies.toml").read_text(encoding="utf-8"))
    heads = data.get("heads", {}).get("titles", [])
    return sorted((fold(nfc(h)) for h in heads), key=len, reverse=True)


def _bare_name(name: str, heads: list[str]) -> str:
    """The name without "(...)", edge punctuation and a head-of-agency title in front."""
    s = norm_space(name)
    s = re.sub(r"\s*\([^)]*\)", "", s).strip(" .,;:-+")
    f = fold(s)
    for h in heads:
        if f.startswith(h + " ") and len(f) > len(h) + 1:
            return s[len(h) + 1 :].strip()
    return s


def agency_key(name: str, g: Gazetteer, heads: list[str]) -> str:
    """The comparison key of one agency name (see the module docstring)."""
    s = _bare_name(name, heads)
    full = g.expand(s)
    hits = g.find(full)
    if len(hits) == 1 and hits[0].agency_id and hits[0].start == 0 and hits[0].end == len(full):
        return "id:" + hits[0].agency_id
    hits = g.find(s)
    if len(hits) == 1 and hits[0].agency_id and hits[0].start == 0 and hits[0].end == len(s):
        return "id:" + hits[0].agency_id
    key = re.sub(r"[^a-z0-9]+", " ", fold(full)).strip()
    key = _TRAILING_LEVEL.sub("", key)
    return "name:" + key


def agency_keys(names: list[str], g: Gazetteer, heads: list[str], units: bool = False) -> set[str]:
    if units:
        return {k for n in names if norm_space(n) for k in agency_units(n, g, heads)}
    return {agency_key(n, g, heads) for n in names if norm_space(n)}


_UNIT_SEP = re.compile(r"\s*[,;]\s*(?:và\s+)?|\s+và\s+", re.IGNORECASE)


def agency_units(name: str, g: Gazetteer, heads: list[str]) -> set[str]:
    """``--units``: the keys of the bodies one written entry names, so that a list written as one
    entry ("Viện, Trường"; "các cơ quan, đơn vị và các doanh nghiệp, hợp tác xã có liên quan")
    equals the same bodies written as several entries. A name the gazetteer reads whole keeps its
    one key; otherwise each name the gazetteer reads inside it is one unit and the words between
    them are cut at commas, semicolons and "và" into units of their own."""
    key = agency_key(name, g, heads)
    if key.startswith("id:"):
        return {key}
    s = _bare_name(name, heads)
    out: set[str] = set()

    def loose(piece: str) -> None:
        for part in _UNIT_SEP.split(piece):
            part = part.strip(" .,;:-+")
            if part and fold(part) not in ("cac", "nhung"):
                out.add(agency_key(part, g, heads))

    pos = 0
    for h in g.find(s):
        if h.start < pos:
            continue
        loose(s[pos : h.start])
        out.add(agency_key(s[h.start : h.end], g, heads))
        pos = h.end
    loose(s[pos:])
    return out or {key}


# --------------------------------------------------------------------------- deadlines


_REC = [
    (re.compile(r"thuong xuyen|lien tuc"), "continuous"),
    (re.compile(r"(?:hang|moi|tung)\s+nam|lan\s*/\s*nam|/\s*nam\b"), "yearly"),
    (re.compile(r"(?:hang|moi)\s+thang|lan\s*/\s*thang"), "monthly"),
    (re.compile(r"(?:hang|moi)\s+quy|lan\s*/\s*quy"), "quarterly"),
    (re.compile(r"(?:hang|moi)\s+tuan"), "weekly"),
    # "6 tháng" as a span of time, not the month of a date: "ngày 16 tháng 12", "ngày 6 tháng 8"
    (re.compile(r"(?<![0-9])(?<!ngay )(?:0?6|sau)\s+thang\b(?!\s*\d)|nua nam"), "half-yearly"),
    (re.compile(r"dinh ky"), "periodic"),
]
# "Quý IV", "quý I, II/2026", "Quý III và IV năm 2026": every Roman numeral of the list is a quarter
_QUARTER = re.compile(r"\bqu[yi]\s*(?:(?:iv|iii|ii|i)\b(?:\s*(?:,|-|va|&)\s*(?:iv|iii|ii|i)\b)*)")
_ROMAN_TOKEN = re.compile(r"\b(iv|iii|ii|i)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "hai lần/năm" = "02 lần/năm"; "thứ Sáu hằng tuần" = "thứ 6 hằng tuần"
_COUNT_WORD = re.compile(r"\b(mot|hai|ba|bon)(?=\s+lan\b)")
_COUNTS = {"mot": "1", "hai": "2", "ba": "3", "bon": "4"}
_WEEKDAY_WORD = re.compile(r"\bthu\s+(hai|ba|tu|nam|sau|bay)\b(?=\s*(?:,|-|va\b|hoac\b|hang tuan|moi tuan|\(|$))")
_WEEKDAYS = {"hai": "2", "ba": "3", "tu": "4", "nam": "5", "sau": "6", "bay": "7"}


def deadline_signature(text: str) -> tuple[tuple[int, ...], frozenset[str]]:
    f = fold(norm_space(text))
    f = _QUARTER.sub(lambda m: _ROMAN_TOKEN.sub(lambda r: str(_ROMAN[r.group(1)]), m.group(0)), f)
    f = _COUNT_WORD.sub(lambda m: _COUNTS[m.group(1)], f)
    f = _WEEKDAY_WORD.sub(lambda m: "thu " + _WEEKDAYS[m.group(1)], f)
    numbers = tuple(sorted(int(n) for n in re.findall(r"\d+", f)))
    recs = {name for rx, name in _REC if rx.search(f)}
    if len(recs) > 1:
        recs.discard("periodic")
    return numbers, frozenset(recs)


def deadline_right(label: str | None, got: str | None) -> bool:
    if not label or not label.strip():
        return not got
    if not got:
        return False
    a, b = deadline_signature(label), deadline_signature(got)
    if a[0] or a[1] or b[0] or b[1]:
        return a == b
    fa, fb = fold(norm_space(label)), fold(norm_space(got))
    return fa in fb or fb in fa


# --------------------------------------------------------------------------- extraction


@dataclass
class DocRun:
    file: str
    tasks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def scored_tasks(doc: Any) -> list[dict[str, Any]]:
    """The parsed document's tasks as the scorer matches them: each task's dict plus the text of its
    clause (marker first) and of its table row, the two forms a label's anchor may quote."""
    from tracuu.ingest.tasks import extract_tasks

    by_id = {c.clause_id: c for c in doc.clauses}
    out = []
    for t in extract_tasks(doc.clauses, addressees=doc.header.addressees, issued=doc.header.date):
        d = t.to_dict()
        c = by_id.get(t.clause_id)
        d["_clause_text"] = (c.marker + " " + c.text) if c and c.marker else (c.text if c else "")
        d["_row"] = (c.marker.rstrip(".") + " | " + " | ".join(c.cells.values())) if c and c.cells else ""
        d["_row2"] = " | ".join(c.cells.values()) if c and c.cells else ""
        out.append(d)
    return out


def extract(file: str, docs_dir: Path | None = None) -> DocRun:
    """Load, parse and extract the tasks of one realdocs file (or of a file in ``docs_dir``)."""
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document

    run = DocRun(file)
    try:
        source = load((docs_dir or REALDOCS) / file)
        doc = parse_document(source, doc_id="doc", file_name=file, content_hash="")
        run.tasks.extend(scored_tasks(doc))
    except Exception as err:  # a refused document: every label missed, and say why
        run.error = f"{type(err).__name__}: {err}"
    return run


def match(anchor: str, tasks: list[dict[str, Any]]) -> dict[str, Any] | None:
    a = norm_space(anchor)
    best: tuple[int, dict[str, Any]] | None = None
    for t in tasks:
        for cand in (t["text"], t["_clause_text"], t["_row"], t["_row2"]):
            c = norm_space(cand)
            if c and a in c:
                if best is None or len(c) < best[0]:
                    best = (len(c), t)
                break
    return best[1] if best else None


def names(refs: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in refs]


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    n: int = 0
    found: int = 0
    lead: int = 0
    coord: int = 0
    deadline: int = 0
    full: int = 0

    def add(self, other: "Score") -> None:
        for k in ("n", "found", "lead", "coord", "deadline", "full"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def row(self, title: str) -> str:
        def p(x: int) -> str:
            return f"{x / self.n:6.3f}" if self.n else "   -  "

        return (f"{title:<46} {self.n:>4} {p(self.found)} {p(self.lead)} {p(self.coord)} "
                f"{p(self.deadline)} {p(self.full)}")


def load_labels(split: str, path: Path | None = None) -> list[dict[str, Any]]:
    p = path or LABELS / f"tasks.{split}.jsonl"
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_split(labels: list[dict[str, Any]], show_misses: bool = False,
                docs_dir: Path | None = None, units: bool = False) -> tuple[Score, dict[str, Score], list[str]]:
    g = load_gazetteer()
    heads = _heads()
    runs: dict[str, DocRun] = {}
    total = Score()
    per_doc: dict[str, Score] = {}
    notes: list[str] = []
    for lab in labels:
        doc = lab["doc"]
        if doc not in runs:
            runs[doc] = extract(doc, docs_dir)
            if runs[doc].error:
                notes.append(f"{doc}: REFUSED {runs[doc].error[:200]}")
        s = Score(n=1)
        t = match(lab["anchor"], runs[doc].tasks)
        why: list[str] = []
        if t is None:
            why.append("not found")
        else:
            s.found = 1
            lead_ok = agency_keys(lab["lead"], g, heads, units) == agency_keys(names(t["lead"]), g, heads, units)
            coord_ok = (agency_keys(lab["coordinators"], g, heads, units)
                        == agency_keys(names(t["coordinators"]), g, heads, units))
            got_dl = t["deadline"]["text"] if t.get("deadline") else None
            dl_ok = deadline_right(lab.get("deadline"), got_dl)
            s.lead, s.coord, s.deadline = int(lead_ok), int(coord_ok), int(dl_ok)
            s.full = int(lead_ok and coord_ok and dl_ok)
            if not lead_ok:
                why.append(f"lead {lab['lead']} got {names(t['lead'])}")
            if not coord_ok:
                why.append(f"coord {lab['coordinators']} got {names(t['coordinators'])}")
            if not dl_ok:
                why.append(f"deadline {lab.get('deadline')!r} got {got_dl!r}")
        if why and show_misses:
            notes.append(f"{lab['id']} [{lab['anchor'][:50]}] " + "; ".join(why)
                         + (f"  (task {t['path']} {t['pattern']})" if t else ""))
        total.add(s)
        per_doc.setdefault(doc, Score()).add(s)
    return total, per_doc, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("tune", "heldout", "both"), default="tune")
    ap.add_argument("--labels", type=Path, default=None, help="a label file instead of tests/realdocs/tasks.<split>.jsonl")
    ap.add_argument("--misses", action="store_true", help="list every label not fully right, and why")
    ap.add_argument("--doc", default=None, help="only documents whose file name starts with this")
    ap.add_argument("--docs-dir", type=Path, default=None,
                    help="read the labelled documents from this folder instead of ../shared/realdocs/docs "
                         "(with --labels: documents labelled outside the realdocs set)")
    ap.add_argument("--units", action="store_true",
                    help="compare agencies body by body (a list written as one entry equals the same "
                         "bodies written as several); a second reading, not the reported figure")
    args = ap.parse_args(argv)
    docs_dir = args.docs_dir or REALDOCS
    if not docs_dir.is_dir():
        print(f"the documents folder is absent ({docs_dir}): nothing to measure.")
        return 2
    splits = SPLITS if args.split == "both" else (args.split,)
    header = f"{'':<46} {'n':>4} {'recall':>6} {'lead':>6} {'coord':>6} {'dline':>6} {'full':>6}"
    for split in splits:
        labels = load_labels(split, args.labels)
        if args.doc:
            labels = [lab for lab in labels if lab["doc"].startswith(args.doc)]
        total, per_doc, notes = score_split(labels, args.misses, docs_dir, args.units)
        print(f"== {split} ({len(labels)} labels)")
        print(header)
        for doc, s in sorted(per_doc.items()):
            print(s.row(doc[:46]))
        print(total.row("ALL"))
        for n in notes:
            print("  " + n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
