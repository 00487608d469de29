"""Evaluation on a question set: ranking, owners, deadlines and abstention, from ``svc.ask``.

Why ``ask`` and not ``search``: ``ask`` is what an official gets — structural questions ("ai
ký?") are answered from the document structure, and a question the corpus does not answer must
be refused. A question the system abstained on therefore counts as a miss, however well the
clause would have ranked.

The question file is JSON Lines in one of two formats:

* the dev set (``tests/eval/README.md``): ``expect`` = clause ids, any of them answers;
* the real-document labels (``tests/realdocs/README.md``): ``doc`` (a file name, ``"plan"`` for
  the bundled plan, or null) and ``anchors`` = exact substrings of the answering clause; a cited
  clause hits when it lies in that document and its text contains an anchor (compared with
  spaces collapsed, since PDF text layers wrap lines), which keeps the labels valid across
  re-parses that renumber clauses.

Both carry ``answerable``, ``tags``, and optionally ``owners`` (expected lead agencies, compared
folded with abbreviations written out; ``owner_role`` names another role, e.g. ``"reports_to"``
for "phản ánh về đâu", or ``"any"``), ``deadline`` (as written) and ``answer_contains`` (strings
the answer text must contain, folded).

Everything here but :func:`evaluate` is pure arithmetic on plain data, so the metrics can be
checked without a knowledge base.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol

from tracuu.ingest.shapes import Answer, Hit, Owner
from tracuu.ingest.vntext import fold

SUBSETS = ("unaccented", "abbreviation", "paraphrase", "structural", "owner", "deadline", "figure", "document",
           "agency_tasks")
#: The bundled plan's document as the real-document labels name it.
PLAN = "plan"


class Asker(Protocol):
    def ask(self, question: str, k: int = 5) -> Answer: ...


# --------------------------------------------------------------------------- loading


def load_dev_set(path: str | Path) -> list[dict[str, Any]]:
    """The questions of a JSON Lines file (blank lines and ``#`` comments skipped).

    Each gets defaults for the optional fields, and an ``id`` (``q<line>``) when it has none.
    """
    out: list[dict[str, Any]] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{n}: not JSON: {err}") from err
        if not isinstance(row, dict) or not str(row.get("question") or "").strip():
            raise ValueError(f"{path}:{n}: a question needs a non-empty 'question'")
        row.setdefault("id", f"q{n:03d}")
        row.setdefault("expect", [])
        row.setdefault("anchors", [])
        row.setdefault("answerable", bool(row["expect"] or row["anchors"]))
        row.setdefault("tags", [])
        out.append(row)
    return out


# --------------------------------------------------------------------------- comparisons


def _norm(text: str) -> str:
    """Folded, punctuation-insensitive, one space: how names are compared."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text or "")).split())


def _expand(name: str) -> str:
    try:
        from tracuu.ingest.agencies import expand
    except Exception:  # pragma: no cover - the gazetteer data is part of the package
        return name
    try:
        return expand(name)
    except Exception:  # pragma: no cover
        return name


def _name_keys(name: str) -> set[str]:
    """The forms a name may be matched under: as written and written out in full."""
    return {k for k in (_norm(name), _norm(_expand(name))) if k}


def owner_matches(expected: str, owners: Iterable[Owner]) -> bool:
    """``expected`` is among ``owners`` (each with ``agency`` = canonical, ``as_written``)."""
    want = _name_keys(expected)
    for o in owners:
        got = set()
        for name in (o.agency, o.as_written):
            if name:
                got |= _name_keys(name)
        if want & got:
            return True
    return False


def owners_correct(expected: list[str], answer: Answer, role: str = "lead") -> bool:
    """The answer's owners in ``role`` (default: the lead; ``"any"``: every role) include every
    expected owner."""
    named = [o for o in answer.owners if role == "any" or o.role == role]
    return bool(expected) and all(owner_matches(e, named) for e in expected)


def _squash(text: str) -> str:
    return "".join(fold(text or "").split())


def deadline_correct(expected: str, answer: Answer, exact: bool = False) -> bool:
    """The answer's deadline reads as ``expected`` (folded, whitespace-insensitive).

    Unless ``exact``, a deadline that contains the expected one also counts: a clause setting
    "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12)" answers "báo cáo 6
    tháng trước ngày nào" with "trước ngày 10/6" in it.
    """
    got = _squash(answer.deadline.text if answer.deadline else "")
    want = _squash(expected)
    return bool(got and want) and (got == want or (not exact and want in got))


# --------------------------------------------------------------------------- results


@dataclass
class QuestionResult:
    """What the system did on one question."""

    id: str
    question: str
    tags: list[str]
    answerable: bool
    expect: list[str]
    found: bool  # False: the system abstained
    got: list[str]  # cited clause ids, best first
    rank: int | None = None  # 1-based rank of the first expected clause; None: miss or abstained
    owners_ok: bool | None = None  # None: the question names no owners
    deadline_ok: bool | None = None  # None: the question names no deadline
    deadline_exact: bool | None = None  # the deadline read exactly as expected (not only contained)
    got_owners: list[str] = field(default_factory=list)
    got_deadline: str | None = None
    intent: str | None = None
    contains_ok: bool | None = None  # None: the question lists no answer_contains
    doc: str | None = None  # the question's document (label ``doc``, or the first expected clause's)

    @property
    def abstained(self) -> bool:
        return not self.found


def rank_of(expect: Iterable[str], got: list[str]) -> int | None:
    """1-based rank of the first id of ``got`` in ``expect``."""
    wanted = set(expect)
    return next((i for i, cid in enumerate(got, 1) if cid in wanted), None)


def _spaced(text: str) -> str:
    return " ".join((text or "").split())


# A list marker at the start of an anchor: "c) ", "đ) ", "2. ", "1.1. ", "III. ", "- ", "+ ", or
# a table row's number cell as the page shows the row ("6 | ", "III | ").
_LEADING_MARKER = re.compile(r"^(?:(?:[IVXLC]+|\d+(?:\.\d+)*)\s*\|(?=\s)|[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•*])\s+")


def _anchor_forms(anchor: str) -> list[str]:
    """The anchor, and the anchor without its leading list marker.

    Why: labellers copy a point's opening words as the page shows them ("c) Tỷ lệ nợ quá hạn …"),
    and an appendix row with its number cell ("6 | Tỷ lệ người dân …"), while a clause's text
    starts after its marker ("Tỷ lệ nợ quá hạn …"); the marker is part of the clause's path, not
    of its text.
    """
    spaced = _spaced(anchor)
    bare = _LEADING_MARKER.sub("", spaced, count=1)
    return [spaced] if bare == spaced or not bare else [spaced, bare]


def anchor_hit(anchors: Iterable[str], text: str) -> bool:
    """The clause text contains one of the anchors, with or without its list marker (spaces collapsed)."""
    body = _spaced(text)
    return any(form in body for a in anchors if a for form in _anchor_forms(a))


def anchor_rank(q: dict[str, Any], citations: list[Hit], doc_ids: dict[str, str] | None = None) -> int | None:
    """1-based rank of the first citation in the question's document whose text holds an anchor.

    ``doc_ids`` maps the label's ``doc`` (a file name or ``"plan"``) to the stored doc id; a
    ``doc`` it does not know is matched on the anchor alone.
    """
    want_doc = (doc_ids or {}).get(q.get("doc") or "")
    for i, c in enumerate(citations, 1):
        if want_doc and c.doc_id != want_doc:
            continue
        if anchor_hit(q.get("anchors") or [], c.text or ""):
            return i
    return None


def expected_ids(q: dict[str, Any]) -> list[str]:
    """What a failure line shows as expected: the clause ids, else the anchors."""
    return list(q.get("expect") or []) or [f"«{a[:30]}»" for a in q.get("anchors") or []]


def contains_correct(expected: list[str], answer: Answer) -> bool:
    """Every expected string is in the answer text (folded, spaces collapsed)."""
    text = _squash(answer.answer or "")
    return all(_squash(e) in text for e in expected)


def judge(q: dict[str, Any], answer: Answer, doc_ids: dict[str, str] | None = None) -> QuestionResult:
    """Score one ``ask`` answer against one question (``doc_ids``: see :func:`anchor_rank`)."""
    found = answer.found
    citations = answer.citations if found else []
    got = [c.clause_id for c in citations]
    if q.get("anchors"):
        rank = anchor_rank(q, citations, doc_ids)
    else:
        rank = rank_of(q.get("expect") or [], got) if found else None
    res = QuestionResult(
        id=str(q.get("id", "")),
        question=q["question"],
        tags=list(q.get("tags") or []),
        answerable=bool(q.get("answerable", True)),
        expect=expected_ids(q),
        found=found,
        got=got,
        rank=rank,
        doc=q.get("doc") or _doc_of(q.get("expect") or []),
        got_owners=[o.as_written or o.agency for o in answer.owners if q.get("owner_role", "lead") in ("any", o.role)],
        got_deadline=answer.deadline.text if answer.deadline else None,
        intent=answer.intent,
    )
    if q.get("owners"):
        res.owners_ok = found and owners_correct(list(q["owners"]), answer, q.get("owner_role", "lead"))
    if q.get("deadline"):
        res.deadline_ok = found and deadline_correct(q["deadline"], answer)
        res.deadline_exact = found and deadline_correct(q["deadline"], answer, exact=True)
    if q.get("answer_contains"):
        res.contains_ok = found and contains_correct(list(q["answer_contains"]), answer)
    return res


def _doc_of(expect: list[str]) -> str | None:
    """The document of a dev-set question: the doc id of its first expected clause."""
    return expect[0].split(":", 1)[0] if expect else None


# --------------------------------------------------------------------------- metrics


@dataclass
class RankStats:
    """hit@1, hit@k and MRR over ``n`` answerable questions (``k`` = the cutoff asked for)."""

    n: int = 0
    hit1: float = 0.0
    hitk: float = 0.0
    mrr: float = 0.0


def rank_stats(ranks: list[int | None], k: int = 5) -> RankStats:
    """From 1-based ranks (None = miss); a rank beyond ``k`` is a miss for hit@k and MRR."""
    n = len(ranks)
    if not n:
        return RankStats()
    within = [r for r in ranks if r is not None and r <= k]
    return RankStats(
        n=n,
        hit1=sum(1 for r in within if r == 1) / n,
        hitk=len(within) / n,
        mrr=sum(1.0 / r for r in within) / n,
    )


@dataclass
class Accuracy:
    n: int = 0
    correct: int = 0
    exact: int | None = None  # deadlines: how many of the correct ones read exactly as expected

    @property
    def value(self) -> float:
        return self.correct / self.n if self.n else 0.0


@dataclass
class Abstention:
    """Confusion counts with positive = abstained (unanswerable questions should be positive)."""

    tp: int = 0  # unanswerable, abstained
    fp: int = 0  # answerable, abstained
    fn: int = 0  # unanswerable, answered
    tn: int = 0  # answerable, answered

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        n = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / n if n else 0.0

    @property
    def false_abstention_rate(self) -> float:
        """Share of answerable questions the system refused."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


def abstention_counts(pairs: Iterable[tuple[bool, bool]]) -> Abstention:
    """From (answerable, abstained) pairs."""
    a = Abstention()
    for answerable, abstained in pairs:
        if answerable:
            a.tn += not abstained
            a.fp += abstained
        else:
            a.tp += abstained
            a.fn += not abstained
    return a


@dataclass
class Failure:
    id: str
    question: str
    expected: list[str]
    got: list[str]  # top 3 cited clause ids
    found: bool
    reasons: list[str]
    rank: int | None = None


@dataclass
class EvalReport:
    k: int
    questions: int
    overall: RankStats
    subsets: dict[str, RankStats]
    owners: Accuracy
    deadlines: Accuracy
    abstention: Abstention
    failures: list[Failure]
    results: list[QuestionResult] = field(default_factory=list)
    contains: Accuracy = field(default_factory=Accuracy)
    groups: dict[str, RankStats] = field(default_factory=dict)  # plan / other documents / accented

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["abstention"].update(
            precision=self.abstention.precision,
            recall=self.abstention.recall,
            accuracy=self.abstention.accuracy,
            false_abstention_rate=self.abstention.false_abstention_rate,
        )
        out["owners"]["accuracy"] = self.owners.value
        out["deadlines"]["accuracy"] = self.deadlines.value
        out["contains"]["accuracy"] = self.contains.value
        return out


def failure_of(r: QuestionResult, k: int) -> Failure | None:
    reasons: list[str] = []
    if r.answerable:
        if r.abstained:
            reasons.append("abstained")
        elif r.rank is None or r.rank > k:
            reasons.append(f"miss@{k}")
        elif r.rank > 1:
            reasons.append(f"rank {r.rank}")
    elif r.found:
        reasons.append("answered unanswerable")
    if r.owners_ok is False:
        reasons.append("owner")
    if r.deadline_ok is False:
        reasons.append("deadline")
    if r.contains_ok is False:
        reasons.append("answer text")
    if not reasons:
        return None
    return Failure(r.id, r.question, r.expect, r.got[:3], r.found, reasons, r.rank)


def report_of(results: list[QuestionResult], k: int = 5, plan_id: str = "kh-an-giang-ct-39") -> EvalReport:
    """The metrics of already-judged questions (pure: no service needed).

    ``plan_id``: the bundled plan's doc id, for the plan-only figures of dev-set questions."""
    answerable = [r for r in results if r.answerable]
    subsets = {
        tag: rank_stats([r.rank for r in answerable if tag in r.tags], k) for tag in SUBSETS
    }
    owners = [r.owners_ok for r in results if r.owners_ok is not None]
    deadlines = [r.deadline_ok for r in results if r.deadline_ok is not None]
    contains = [r.contains_ok for r in results if r.contains_ok is not None]
    groups = {
        "plan": rank_stats([r.rank for r in answerable if r.doc in (PLAN, plan_id)], k),
        "other documents": rank_stats([r.rank for r in answerable if r.doc not in (PLAN, plan_id)], k),
        "accented": rank_stats([r.rank for r in answerable if "unaccented" not in r.tags], k),
    }
    return EvalReport(
        contains=Accuracy(len(contains), sum(contains)),
        groups=groups,
        k=k,
        questions=len(results),
        overall=rank_stats([r.rank for r in answerable], k),
        subsets=subsets,
        owners=Accuracy(len(owners), sum(owners)),
        deadlines=Accuracy(len(deadlines), sum(deadlines),
                           sum(bool(r.deadline_exact) for r in results if r.deadline_ok is not None)),
        abstention=abstention_counts((r.answerable, r.abstained) for r in results),
        failures=[f for f in (failure_of(r, k) for r in results) if f is not None],
        results=results,
    )


def label_doc_ids(svc: Any) -> dict[str, str]:
    """Label ``doc`` -> stored doc id: each stored document by its file name, and ``"plan"`` for
    the bundled plan (the manifest entry with a file); {} for a service without a store."""
    out: dict[str, str] = {}
    try:
        docs = svc.stored_documents()
    except AttributeError:
        return out
    for d in docs:
        if d.file_name:
            out[d.file_name] = d.doc_id
    entries = getattr(getattr(svc, "manifest", None), "entries", [])
    plan = next((e for e in entries if e.file), None)  # the bundled document with a file
    if plan is not None:
        out[PLAN] = plan.doc_id
    return out


def evaluate(svc: Asker, questions: list[dict[str, Any]], k: int = 5) -> EvalReport:
    """Ask every question (``svc.ask(question, k=k)``) and score the answers."""
    doc_ids = label_doc_ids(svc)
    return report_of([judge(q, svc.ask(q["question"], k=k), doc_ids) for q in questions], k,
                     plan_id=doc_ids.get(PLAN, "kh-an-giang-ct-39"))


# --------------------------------------------------------------------------- printing


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_report(report: EvalReport, failures: bool = True) -> str:
    k = report.k
    rows = [["answerable", str(report.overall.n), f"{report.overall.hit1:.3f}", f"{report.overall.hitk:.3f}",
             f"{report.overall.mrr:.3f}"]]
    for tag, s in [*report.groups.items(), *report.subsets.items()]:
        if s.n:
            rows.append([f"  {tag}", str(s.n), f"{s.hit1:.3f}", f"{s.hitk:.3f}", f"{s.mrr:.3f}"])
    parts = [f"{report.questions} questions", _table(["set", "n", "hit@1", f"hit@{k}", "MRR"], rows), ""]
    a = report.abstention
    parts.append(_table(
        ["check", "n", "value", "detail"],
        [
            ["owners", str(report.owners.n), f"{report.owners.value:.3f}",
             f"{report.owners.correct}/{report.owners.n} correct"],
            ["deadline", str(report.deadlines.n), f"{report.deadlines.value:.3f}",
             f"{report.deadlines.correct}/{report.deadlines.n} correct ({report.deadlines.exact or 0} exact)"],
            ["answer text", str(report.contains.n), f"{report.contains.value:.3f}",
             f"{report.contains.correct}/{report.contains.n} contain what is expected"],
            ["abstention precision", str(a.tp + a.fp), f"{a.precision:.3f}", f"tp={a.tp} fp={a.fp}"],
            ["abstention recall", str(a.tp + a.fn), f"{a.recall:.3f}", f"tp={a.tp} fn={a.fn}"],
            ["abstention accuracy", str(a.tp + a.fp + a.fn + a.tn), f"{a.accuracy:.3f}", f"tn={a.tn}"],
            ["answerable refused", str(a.fp + a.tn), f"{a.false_abstention_rate:.3f}", f"{a.fp}/{a.fp + a.tn}"],
            ["unanswerable answered", str(a.tp + a.fn), f"{1 - a.recall if a.tp + a.fn else 0:.3f}",
             f"{a.fn}/{a.tp + a.fn}"],
        ],
    ))
    if failures and report.failures:
        parts += ["", f"failures ({len(report.failures)})"]
        by_id = {r.id: r for r in report.results}
        rows = []
        for f in report.failures:
            r = by_id.get(f.id)
            extra = ""
            if r is not None and "owner" in f.reasons:
                extra += f" owners={r.got_owners}"
            if r is not None and "deadline" in f.reasons:
                extra += f" deadline={r.got_deadline!r}"
            rows.append([f.id, ",".join(f.reasons), "yes" if f.found else "no", f.question[:60],
                         " ".join(f.got) or "-", " ".join(f.expected[:3]) + extra])
        parts.append(_table(["id", "why", "found", "question", "got top-3", "expected"], rows))
    return "\n".join(parts)
