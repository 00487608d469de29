"""Links between clauses: citations, and "implements" proposals users confirm or reject.

Two kinds of relation are served for a clause (``Tracuu.related``):

* **cites / cited_by**: what its text references (:mod:`ingest.links`: a document, or one of its
  clauses when a path is written), and which clauses reference it.
* **implements / implemented_by**: a task of a lower-level plan carries out a clause of a higher
  one (a provincial plan's task -> the point of the ministry's plan it implements). Nobody writes
  that down clause by clause, so it is *proposed*: for each task clause of a lower document, the
  clauses of its higher documents are scored and the best three are proposed with their scores.
  A user confirms or rejects a proposal; the decision is kept in the catalog (``link_decisions``,
  one row per (from clause_id, to clause_id), written in a transaction: two processes deciding at
  once lose nothing; an older ``links.json`` is imported once), so it survives re-ingesting either document (clause ids are
  stable). A rejected pair is never proposed again; a confirmed one is always listed first.

Which documents are "higher": those the lower document's manifest entry names in ``implements``,
and those its clauses reference, when they are ingested and of a higher level (central >
provincial > local; the manifest's ``level``, else read from the issuer or the number, see
:func:`ingest.links.document_level`).

Which clauses are tasks: every clause with a task (``ParsedDocument.tasks``) and every appendix
row (the appendix is the task list).

The score (:func:`score_pairs`), each part in [0, 1]:

* ``embedding``: cosine similarity of the two texts' embeddings (the service's embedder, through
  the embedding cache), rescaled over the candidates of the same task (min -> 0, max -> 1), since
  a sentence embedder puts all clauses of one policy area close together;
* ``agency``: the task's lead agency does at its level what the candidate's lead does at its own
  (Sở Tài chính / Bộ Tài chính, Chi nhánh NHCSXH tỉnh / Ngân hàng Chính sách xã hội, UBND các xã /
  UBND các tỉnh): 1 for the leads, 0.5 when a lead meets a coordinator;
* ``keywords``: tf-idf cosine of the content syllables and syllable pairs the two texts share
  (agency names and function words left out).

``score = 0.4 embedding + 0.3 agency + 0.3 keywords``. Measured on the synthetic chain in
tests/fixtures/chain (43 task clauses of the Hòa Phong plan with a known parent, tests/test_links.py):
expected parent ranked first 93 % (top 3: 98 %); each part alone: embedding 81 % (91 %), keywords
88 % (93 %), agency 35 % (65 %). The chain's national plan was written with the provincial one in
view, so read these as an upper bound for real documents.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tracuu.api.errors import ApiError, not_found
from tracuu.index.errors import StoreUnwritable
from tracuu.ingest.links import LEVEL_RANK, Catalog, Link, clause_links, document_aliases, document_level
from tracuu.ingest.model import Clause, ParsedDocument
from tracuu.ingest.shapes import CiteLink, ImplementsLink, LinkedClause, Related
from tracuu.ingest.vntext import fold

__all__ = ["LinkService", "link_id", "agency_kind", "WEIGHTS", "TOP_K"]

WEIGHTS = {"embedding": 0.40, "agency": 0.30, "keywords": 0.30}
TOP_K = 3
KEEP = 10  # ranked candidates kept per task (a user may confirm one below the top three)

_NOT_CANDIDATES = frozenset({"preamble", "recipients", "signature", "muc", "appendix_group"})
_STOP = frozenset(
    """va cua cac cho voi trong theo ve de duoc co la nhung nay do tai tu den tren duoi hang nam
    thuc hien phoi hop chu tri giao de nghi cac nhung mot moi sau nhu khi thi ma ra vao lam
    tinh xa phuong so ban nganh bo uy nhan dan ubnd truoc ngay thang quy dinh ky tong
    chi nhanh nhcsxh ngan hang chinh sach xa hoi""".split()
)


def link_id(from_clause: str, to_clause: str) -> str:
    """A short stable id for a (from, to) pair, usable in a URL."""
    return hashlib.sha1(f"{from_clause}\n{to_clause}".encode("utf-8")).hexdigest()[:16]


# --- agencies ---------------------------------------------------------------------------------------

# agency ids that do the same job at different levels share a kind
_KINDS = {
    "ngan-hang-chinh-sach-xa-hoi": "nhcsxh", "chi-nhanh-nhcsxh-tinh": "nhcsxh", "hdqt-nhcsxh": "nhcsxh",
    "ban-dai-dien-hdqt-nhcsxh-tinh": "nhcsxh", "to-tiet-kiem-va-vay-von": "nhcsxh",
    "thanh-tra-chinh-phu": "thanh-tra", "thanh-tra-tinh": "thanh-tra",
    "bo-cong-an": "cong-an", "cong-an-tinh": "cong-an",
    "uy-ban-trung-uong-mttq": "mttq", "uy-ban-mttq-tinh": "mttq", "uy-ban-mttq-cap-xa": "mttq",
    "uy-ban-mttq-cac-cap": "mttq", "uy-ban-mttq": "mttq", "mat-tran-to-quoc": "mttq",
    "to-chuc-ct-xh-nhan-uy-thac": "ct-xh", "to-chuc-ct-xh": "ct-xh", "hoi-lhpn-tinh": "ct-xh",
    "hoi-nong-dan-tinh": "ct-xh", "hoi-cuu-chien-binh-tinh": "ct-xh", "tinh-doan": "ct-xh",
    "trung-uong-hoi-lhpn": "ct-xh", "trung-uong-hoi-nong-dan": "ct-xh", "trung-uong-hoi-ccb": "ct-xh",
    "trung-uong-doan": "ct-xh",
    "ubnd-tinh": "chinh-quyen", "ubnd-cac-cap": "chinh-quyen", "ubnd-cap-xa": "chinh-quyen",
    "chinh-quyen-dia-phuong": "chinh-quyen", "chu-tich-ubnd-tinh": "chinh-quyen",
    "cac-so-ban-nganh": "nganh", "cac-cap-cac-nganh": "nganh", "cac-bo": "nganh", "cac-bo-nganh-trung-uong": "nganh",
    "cac-bo-co-quan-ngang-bo": "nganh", "cac-bo-co-quan-ngang-bo-co-quan-thuoc-cp": "nganh",
    "co-quan-ngang-bo": "nganh", "co-quan-thuoc-chinh-phu": "nganh", "ubnd-cac-tinh-thanh-pho": "chinh-quyen",
    "van-phong-hdnd-ubnd-cap-xa": "van-phong",
    "van-phong-chinh-phu": "van-phong", "van-phong-ubnd-tinh": "van-phong",
    "hdnd-tinh": "hdnd", "quoc-hoi": "hdnd",
}
_TEXT_KINDS = (  # collective names the gazetteer does not list, read from the text (folded)
    (re.compile(r"\b(?:uy ban nhan dan|ubnd) cac (?:tinh|cap)\b|\bchinh quyen (?:dia phuong|cap xa)\b"), "chinh-quyen"),
    (re.compile(r"\bcac bo,? (?:nganh|co quan)\b"), "nganh"),
)


def agency_kind(agency_id: str | None, name: str = "") -> str:
    """The job an agency does, whatever its level: "so-tai-chinh" and "bo-tai-chinh" -> "tai-chinh"."""
    if agency_id:
        if agency_id in _KINDS:
            return _KINDS[agency_id]
        kind = re.sub(r"^(?:bo|so)-", "", agency_id)
        return re.sub(r"-tinh$", "", kind)
    f = re.sub(r"^(?:bo|so) ", "", fold(name).strip())
    return re.sub(r" tinh$", "", f).replace(" ", "-")


@dataclass
class _Roles:
    lead: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)


def _roles(clause: Clause, tasks: list[dict[str, Any]]) -> _Roles:
    out = _Roles()
    for t in tasks:
        out.lead |= {agency_kind(a.get("agency_id"), a.get("name", "")) for a in t.get("lead", [])}
        for role in ("coordinators", "performer"):
            out.others |= {agency_kind(a.get("agency_id"), a.get("name", "")) for a in t.get(role, [])}
    if not out.lead:  # no task found: the agencies named first in the text lead
        from tracuu.ingest.agencies import find_agencies

        head = clause.text[:160]
        mentions = find_agencies(head)
        if mentions:
            out.lead.add(agency_kind(mentions[0].agency_id, mentions[0].name))
        folded = fold(head)
        out.lead |= {kind for rx, kind in _TEXT_KINDS if rx.search(folded)}
    cells = clause.cells or {}
    for name, value in cells.items():  # an appendix row: its lead column
        if "chu tri" in fold(name) and value:
            from tracuu.ingest.agencies import find_agencies

            out.lead |= {agency_kind(m.agency_id, m.name) for m in find_agencies(value)}
    return out


def _agency_score(low: _Roles, high: _Roles) -> float:
    if low.lead & high.lead:
        return 1.0
    if (low.lead & high.others) or (low.others & high.lead):
        return 0.5
    return 0.0


# --- keywords ---------------------------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    from tracuu.ingest.agencies import find_agencies

    for m in sorted(find_agencies(text), key=lambda m: m.start, reverse=True):  # names are not topics
        text = text[: m.start] + " , " + text[m.end :]
    words = re.findall(r"[0-9a-z]+|[,;.:()]", fold(text))
    out: list[str] = []
    prev: str | None = None
    for w in words:
        if not w.isalnum() or w in _STOP or w.isdigit():
            prev = None
            continue
        out.append(w)
        if prev:
            out.append(f"{prev}_{w}")
        prev = w
    return out


def _tfidf(docs: list[list[str]]) -> list[dict[str, float]]:
    df = Counter(t for d in docs for t in set(d))
    n = len(docs)
    out = []
    for d in docs:
        tf = Counter(d)
        vec = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


# --- scoring ----------------------------------------------------------------------------------------


def embed_text(clause: Clause) -> str:
    """What is embedded for a clause: its text, after its parent's heading for a bullet (a bullet
    such as "Giao Sở X thực hiện các nội dung trên" means nothing without it)."""
    if clause.kind in ("gach_dau_dong", "dau_cong") and clause.heading_chain:
        return f"{clause.heading_chain[-1]} {clause.text}"
    return clause.text


@dataclass
class Proposal:
    from_clause: str
    to_clause: str
    score: float
    parts: dict[str, float]


def score_pairs(
    tasks: list[Clause],
    candidates: list[Clause],
    vectors: dict[str, list[float]],
    roles: dict[str, _Roles],
    weights: dict[str, float] | None = None,
) -> dict[str, list[Proposal]]:
    """For each task clause, every candidate scored (best first). ``vectors`` by clause_id."""
    import numpy as np

    weights = weights or WEIGHTS
    if not tasks or not candidates:
        return {}
    terms = _tfidf([_terms(c.text) for c in tasks] + [_terms(c.text) for c in candidates])
    low_terms, high_terms = terms[: len(tasks)], terms[len(tasks) :]
    H = np.array([vectors[c.clause_id] for c in candidates], dtype=np.float64)
    H /= np.linalg.norm(H, axis=1, keepdims=True) + 1e-12
    out: dict[str, list[Proposal]] = {}
    for i, task in enumerate(tasks):
        v = np.asarray(vectors[task.clause_id], dtype=np.float64)
        cos = H @ (v / (np.linalg.norm(v) + 1e-12))
        lo, hi = float(cos.min()), float(cos.max())
        scaled = (cos - lo) / (hi - lo) if hi > lo else np.ones_like(cos)
        ranked = []
        for j, cand in enumerate(candidates):
            parts = {
                "embedding": round(float(scaled[j]), 4),
                "agency": _agency_score(roles[task.clause_id], roles[cand.clause_id]),
                "keywords": round(_dot(low_terms[i], high_terms[j]), 4),
                "cosine": round(float(cos[j]), 4),
            }
            score = sum(weights[k] * parts[k] for k in weights)
            ranked.append(Proposal(task.clause_id, cand.clause_id, round(score, 4), parts))
        ranked.sort(key=lambda p: (-p.score, p.to_clause))
        out[task.clause_id] = ranked
    return out


# --- the service ------------------------------------------------------------------------------------


def _cite(link: Link, **end: LinkedClause) -> CiteLink:
    """A citation as served: the link, and the clause at its other end (``target`` or ``source``) when known."""
    return CiteLink.model_validate({**link.to_dict(), **end})


@dataclass
class _State:
    key: tuple
    clauses: dict[str, Clause]
    doc_of: dict[str, str]
    cites: dict[str, list[Link]]
    cited_by: dict[str, list[Link]]
    ranked: dict[str, list[Proposal]]  # task clause_id -> candidates, best first (KEEP kept)
    higher: dict[str, list[str]]  # doc_id -> its higher documents (ingested)


class LinkService:
    """Computes links for the documents in the store and keeps users' decisions in the catalog."""

    def __init__(self, svc: Any) -> None:
        self.svc = svc
        self._lock = threading.RLock()
        self._state: _State | None = None

    @classmethod
    def of(cls, svc: Any) -> "LinkService":
        """The service's link service (one per Tracuu instance)."""
        found = getattr(svc, "_link_service", None)
        if found is None:
            found = cls(svc)
            svc._link_service = found
        return found

    # -- decisions (the catalog's link_decisions table)
    def decisions(self) -> dict[tuple[str, str], dict[str, Any]]:
        return self.svc.store().decisions()

    # -- computed state
    def _documents(self) -> dict[str, ParsedDocument]:
        store = self.svc.store()
        docs = {}
        for doc_id in store.list_ids():
            doc = store.get(doc_id)
            if doc is not None:
                docs[doc_id] = doc
        return docs

    def state(self) -> _State:
        """The computed links, recomputed only when the catalog changed (its generation moved):
        a request reads one counter, not every document."""
        key = (self.svc.store().generation(),)
        with self._lock:
            if self._state is None or self._state.key != key:
                self._state = self._compute(key, self._documents())
            return self._state

    def _catalog(self, docs: dict[str, ParsedDocument]) -> Catalog:
        manifest = self.svc.manifest
        cat = Catalog(numbers=dict(manifest.number_index()), known={e.doc_id for e in manifest.entries})
        for doc in docs.values():
            cat.add_document(doc)
        return cat

    def level(self, doc_id: str, docs: dict[str, ParsedDocument]) -> str | None:
        entry = self.svc.manifest.by_id(doc_id)
        return document_level(docs.get(doc_id), entry.level if entry else None,
                              issuer=entry.issuer if entry else None, number=entry.number if entry else None)

    def _compute(self, key: tuple, docs: dict[str, ParsedDocument]) -> _State:
        cat = self._catalog(docs)
        clauses: dict[str, Clause] = {}
        doc_of: dict[str, str] = {}
        cites: dict[str, list[Link]] = {}
        cited_by: dict[str, list[Link]] = {}
        referenced: dict[str, set[str]] = {}
        for doc in docs.values():
            aliases = document_aliases(doc.clauses, cat)
            for c in doc.clauses:
                clauses[c.clause_id] = c
                doc_of[c.clause_id] = doc.doc_id
                links = clause_links(c, cat, own_doc=doc.doc_id, own_number=doc.header.number, aliases=aliases)
                if links:
                    cites[c.clause_id] = links
                for link in links:
                    if link.to and link.to != c.clause_id:
                        cited_by.setdefault(link.to, []).append(link)
                    if link.doc_id and link.doc_id != doc.doc_id:
                        referenced.setdefault(doc.doc_id, set()).add(link.doc_id)
        higher = {d: self._higher(d, docs, referenced.get(d, set())) for d in docs}
        ranked = self._rank(docs, higher)
        return _State(key, clauses, doc_of, cites, cited_by, ranked, higher)

    def _higher(self, doc_id: str, docs: dict[str, ParsedDocument], referenced: set[str]) -> list[str]:
        entry = self.svc.manifest.by_id(doc_id)
        named = [d for d in (entry.implements if entry else ()) if d in docs and d != doc_id]
        mine = LEVEL_RANK.get(self.level(doc_id, docs) or "", None)
        for d in sorted(referenced):
            if d in docs and d not in named and mine is not None:
                theirs = LEVEL_RANK.get(self.level(d, docs) or "", None)
                if theirs is not None and theirs < mine:
                    named.append(d)
        return named

    @staticmethod
    def task_clauses(doc: ParsedDocument) -> list[Clause]:
        with_task = {t["clause_id"] for t in doc.tasks}
        return [
            c for c in doc.clauses
            if (c.clause_id in with_task or c.kind == "appendix_row") and c.kind not in _NOT_CANDIDATES
        ]

    def _rank(self, docs: dict[str, ParsedDocument], higher: dict[str, list[str]]) -> dict[str, list[Proposal]]:
        jobs = [(docs[d], [docs[h] for h in hs]) for d, hs in higher.items() if hs]
        if not jobs:
            return {}
        texts: dict[str, str] = {}
        roles: dict[str, _Roles] = {}
        plan = []
        for low, highs in jobs:
            tasks = self.task_clauses(low)
            cands = [c for h in highs for c in h.clauses if c.kind not in _NOT_CANDIDATES and c.text.strip()]
            if not tasks or not cands:
                continue
            for doc, group in ((low, tasks), *((h, [c for c in cands if c.doc_id == h.doc_id]) for h in highs)):
                by_clause: dict[str, list[dict[str, Any]]] = {}
                for t in doc.tasks:
                    by_clause.setdefault(t["clause_id"], []).append(t)
                for c in group:
                    texts[c.clause_id] = embed_text(c)
                    roles[c.clause_id] = _roles(c, by_clause.get(c.clause_id, []))
            plan.append((tasks, cands))
        if not plan:
            return {}
        ids = list(texts)
        index = self.svc.index
        vecs, _ = index.cache.get_or_embed(index.embedder, [texts[i] for i in ids])
        vectors = dict(zip(ids, vecs))
        out: dict[str, list[Proposal]] = {}
        for tasks, cands in plan:
            for cid, ranked in score_pairs(tasks, cands, vectors, roles).items():
                out[cid] = ranked[:KEEP]
        return out

    # -- reading
    def _clause_out(self, clause_id: str, st: _State) -> LinkedClause:
        c = st.clauses.get(clause_id)
        if c is None:
            return LinkedClause(clause_id=clause_id, found=False)
        info = self.svc.doc_info(c.doc_id)
        from tracuu.api.citations import clause_citation

        return LinkedClause(clause_id=c.clause_id, doc_id=c.doc_id, path=c.path, label=c.label,
                            citation=clause_citation(c.label, info), text=c.text, found=True)

    @staticmethod
    def _choices(clause_id: str, st: _State, decisions: dict[tuple[str, str], dict[str, Any]]) -> list[tuple[str, Proposal | None, str]]:
        """What a task clause implements: (to, proposal, status), confirmed ones first, then the best
        three proposals that were not rejected."""
        ranked = st.ranked.get(clause_id, [])
        scored = {p.to_clause: p for p in ranked}
        confirmed = [to for (frm, to), d in decisions.items() if frm == clause_id and d.get("status") == "confirmed"]
        rejected = {to for (frm, to), d in decisions.items() if frm == clause_id and d.get("status") == "rejected"}
        out: list[tuple[str, Proposal | None, str]] = [(to, scored.get(to), "confirmed") for to in confirmed]
        proposed = [p for p in ranked if p.to_clause not in rejected and p.to_clause not in confirmed]
        out += [(p.to_clause, p, "proposed") for p in proposed[:TOP_K]]
        return out

    def _implements_out(self, frm: str, to: str, p: Proposal | None, status: str,
                        decisions: dict[tuple[str, str], dict[str, Any]], st: _State) -> ImplementsLink:
        d = decisions.get((frm, to), {})
        return ImplementsLink(
            link_id=link_id(frm, to), relation="implements", from_=frm, to=to, status=status,
            score=p.score if p else d.get("score"), parts=dict(p.parts) if p else None,
            decided_at=d.get("decided_at"), target=self._clause_out(to, st), source=self._clause_out(frm, st),
        )

    def related(self, clause_id: str) -> Related:
        st = self.state()
        if clause_id not in st.clauses:
            raise not_found("điều khoản", "clause", clause_id)
        decisions = self.decisions()
        # a cite names its target only when it is a clause of the store (no null target otherwise)
        cites = [_cite(link, target=self._clause_out(link.to, st)) if link.kind == "clause" and link.to in st.clauses
                 else _cite(link) for link in st.cites.get(clause_id, [])]
        cited_by = [_cite(link, source=self._clause_out(link.from_clause, st)) for link in st.cited_by.get(clause_id, [])]
        implements = [self._implements_out(clause_id, to, p, status, decisions, st)
                      for to, p, status in self._choices(clause_id, st, decisions)]
        implemented_by = []
        lower = set(st.ranked) | {frm for (frm, to), d in decisions.items() if to == clause_id and frm in st.clauses}
        for frm in sorted(lower, key=lambda f: (st.doc_of.get(f, ""), st.clauses[f].order if f in st.clauses else 0)):
            for to, p, status in self._choices(frm, st, decisions):
                if to == clause_id:
                    implemented_by.append(self._implements_out(frm, to, p, status, decisions, st))
        return Related(clause_id=clause_id, cites=cites, cited_by=cited_by, implements=implements,
                       implemented_by=implemented_by)

    # -- deciding
    def find(self, lid: str) -> tuple[str, str, float | None]:
        """(from, to, score) of a link id among the current proposals and the stored decisions."""
        st = self.state()
        for frm, ranked in st.ranked.items():
            for p in ranked:
                if link_id(frm, p.to_clause) == lid:
                    return frm, p.to_clause, p.score
        for (frm, to), d in self.decisions().items():
            if link_id(frm, to) == lid:
                return frm, to, d.get("score")
        raise not_found("liên kết", "link", lid)

    def decide(self, lid: str, status: str) -> ImplementsLink:
        """Confirm or reject a proposed "implements" link; kept in the catalog."""
        if status not in ("confirmed", "rejected"):
            raise ApiError("Trạng thái không hợp lệ.", "Invalid status.", status=422, code="bad_status")
        frm, to, score = self.find(lid)
        with self._lock:
            decision = {
                "link_id": lid,
                "relation": "implements",
                "from": frm,
                "to": to,
                "status": status,
                "score": score,
                "decided_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            try:
                self.svc.store().put_decision(decision)
            except StoreUnwritable as err:  # a read-only or full data dir
                raise ApiError(err.vi, err.en, status=503, code=err.code) from None
            decisions = self.decisions()
        st = self.state()
        p = next((p for p in st.ranked.get(frm, []) if p.to_clause == to), None)
        return self._implements_out(frm, to, p, status, decisions, st)
