"""Ask: an extractive answer with owners, deadline and citations, or an honest "not found".

Why a module of its own: answering routes a question by what it asks (a named document, an
agency's tasks, a date, a document's structure, else retrieval), chooses the clause to quote and
abstains when none covers the question; the composers of api/intent_answers.py and api/answer.py
build on it. One job of the service (:class:`api.service.Tracuu` composes them).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tracuu.api import deadline_pick, doc_parts, doc_sections, intent_answers, outline, phrases, task_blocks, task_match
from tracuu.api.answer import alternatives_text, close_calls, compose, lower_first, not_found_answer, owners_of, prefer, section_text, structural_answer
from tracuu.api.citations import document_name
from tracuu.api.search_service import MAX_K
from tracuu.api.tasks_view import ROLES, AgencyQuery, deadline_out, roles_of
from tracuu.index import abstain_model
from tracuu.index.abstain import coverage, missing_asked_things, missing_figures, missing_key_terms, rerank
from tracuu.index.abstain_figures import figure_not_stated
from tracuu.index.abstain_keys import describe, unmet
from tracuu.index.keyword import folded_syllables
from tracuu.index.query import doc_places, doc_siblings
from tracuu.index.query.ask_intent import (
    agency_task_cue_words,
    asks_outline,
    asks_span,
    asks_who_only,
    basis_kind,
    classify,
    document_cues,
    document_facts,
    names_kind,
    title_stop,
    title_words,
    with_place_aliases,
)
from tracuu.index.query.intent import detect_intent
from tracuu.index.query.places import named_places
from tracuu.index.retriever import ScoredClause
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.deadlines import find_deadlines, main_deadline
from tracuu.ingest.shapes import Answer, Deadline, Document, Hit, Owner
from tracuu.ingest.vntext import fold

#: A question about "this document" is answered per document for at most this many documents;
#: beyond that the answer asks which one is meant.
MAX_PER_DOCUMENT = 3
#: The roles of an agency that does a task (not one that is reported to or advised).
DOERS = frozenset({"lead", "performer"})
#: An agency-task question names a document by its title alone when the title holds this share of its title words.
TITLE_SHARE = 0.8
TOPIC_TITLE_PAIRS = 2  # an agency-task question's topic word pairs a document's title must hold to be put first
#: Topic word pairs of an agency-task question a title must hold for the question to name that document's matter
#: ("… trong sắp xếp thôn, tổ dân phố": five); an agency with no task there is not answered with its tasks
#: elsewhere. Fewer pairs ("… trong Đề án xây dựng Trung tâm dữ liệu quốc gia" against an excerpt read by its
#: file name, or two words a conclusion's title shares) only put a document first.
TOPIC_NAMED_PAIRS = 4
#: A task of the agency a question opens with answers in place of a clause that does not give it
#: a doer's role when its words cover at least this share of the question (half of what
#: ``task_match.MIN_SHARE`` asks of any task: the agency named already says whose task).
SUBJECT_SHARE = task_match.MIN_SHARE / 2
#: How many of that agency's best tasks a deadline question tries for one that gives a time.
SUBJECT_DEADLINE_TRIES = 3
#: (term, document) answers of the keyword index kept between questions (bounded memory).
TERMS_REMEMBERED = 20_000
#: Weight of the share of the question's word pairs a clause holds side by side (api/phrases.py),
#: added to its coverage when choosing the clause to quote.
PHRASE_WEIGHT = 0.5
_NAME_WORDS = re.compile(r"[\w/-]+")
#: The enacting line of a preamble ("Ủy ban nhân dân Thành phố ban hành Kế hoạch … với các nội dung
#: sau:", "Thủ tướng Chính phủ ban hành Quyết định quy định …"), folded.
_ENACTS = re.compile(r"\bban hanh (?:kem theo )?(?:ke hoach|quyet dinh|chi thi|nghi quyet|thong tu|nghi dinh|"
                     r"quy che|quy dinh|de an|chuong trinh|phuong an)\b")


class Ask:
    """Question answering over search, tasks and the catalog. A part of :class:`api.service.Tracuu`: it uses the root's
    ``store()``, ``index``, ``manifest``, ``settings``, ``thresholds`` and ``_per_generation``."""

    #: Whether the calibrated model of index/abstain_model.py decides if the best hit answers, instead of the coverage
    #: and dense thresholds. Off: on the checked parts the model traded refusals of answerable questions (old checked
    #: half 2 -> 5, fresh check 6 -> 8) for fewer answered unanswerables, and it refused the paraphrase of the plan's
    #: point h that issue 11 names (tests/test_ask_intents.py). ``bench/ask_split.py --abstain model`` measures it.
    abstain_by_model: bool = False

    def ask(
        self,
        question: str,
        k: int = 5,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
        agency: str | None = None,
    ) -> Answer:
        """An extractive answer with owners, deadline and citations, or ``found: false``; the
        composers below and in api/intent_answers.py build the Answer.

        Routed by what the question asks (index/query/ask_intent.py): a named document's facts,
        an agency's tasks, every task due on a date, the structure of a document (signer,
        recipients, a clause by path); otherwise retrieval, preferring for "who" and "by when"
        questions a clause whose extracted task says so, and abstaining when the best clause
        does not cover the question.
        """
        q = self._check_query(question, k)
        u = self.understand(q)
        text = u.text or q
        asked_agency = agency or intent_answers.agency_in(self, text, q, *u.expanded)
        intent = classify(text, asked_agency)
        docs = doc_ids or self._scope(q, intent)
        # a document named by its full symbol, not as what another carries out ("Kế hoạch thực hiện
        # Kết luận 210-KL/TW"), that we know nothing of: say so rather than answer from the others
        symbols = tuple(r for r in intent.docs if "/" in r.symbol and not (r.implemented or r.acted_on))
        if symbols and not doc_ids and not intent_answers.knows_any(self, symbols):
            return _with_intent(intent_answers.named_but_unknown(self, q, intent), intent.kind)
        if intent.kind == "document" and not doc_ids and docs and not document_facts(text) and any(
                self._asked_section(text, d) is not None for d in docs[:MAX_PER_DOCUMENT]):
            intent = replace(intent, kind=None)  # "Kế hoạch ban hành kèm Quyết định 2820 có những nhiệm vụ trọng tâm nào?"
        if not doc_ids and not (intent.docs and intent_answers.ingested_named(self, intent.docs)):
            # "Phụ lục … kèm theo nghị quyết nào?", "Đề án … ban hành theo quyết định nào?": the document an annex or
            # an issued plan named by its words (a document it carries out aside) goes with
            annexed = self._annexed(q, text, intent, doc_types, u)
            if annexed is not None:
                return annexed
        if intent.kind == "document" and not doc_ids:
            _, near = self.scored(q, k=30, doc_types=doc_types, understood=u)
            answer = intent_answers.document_answer(self, q, intent, [s.clause.clause_id for s in near])
            return answer or intent_answers.named_but_unknown(self, q, intent)
        # "Kế hoạch <title words> của <place> do ai ký?"; among the documents it names by number, if any
        # ("KH 172 TPHCM …" is not the decision of that city whose title holds more of its words)
        titled = [] if doc_ids or intent.kind == "document" else intent_answers.titled_documents(
            self, text, docs if intent.implemented or intent.docs else None)
        if titled:
            return intent_answers.document_answer(self, q, intent, named=titled)
        asked_outline = asks_outline(text)
        if asked_outline is not None:
            answer = self._outline(q, asked_outline, docs, doc_types, u)
            if answer is not None:
                return answer
        structural = detect_intent(text)
        structured = structural is not None and structural.kind != "clause_path"
        if docs and not doc_ids and (structured and len(docs) > 1 or {"basis", "decides"} & set(document_facts(text))):
            answer = self._scoped_document(q, text, intent, docs, doc_types, u)
            if answer is not None:
                return answer
        if structural is not None:
            clarify = None
            if docs is None and structural.kind != "clause_path" and len(self.store().list_ids()) > MAX_PER_DOCUMENT:
                # "kế hoạch này do ai ký?" over many documents: answer for the few the question
                # is closest to, and ask which one is meant
                _, near = self.scored(q, k=30, doc_types=doc_types, understood=u)
                ranked = list(dict.fromkeys(s.clause.doc_id for s in near))
                clarify = ranked or self.store().list_ids()
                docs = clarify[:MAX_PER_DOCUMENT]
            answer = self._structural(q, structural, docs)
            if answer is not None:
                if clarify:
                    answer.clarify = [document_name(self.doc_info(d)) for d in clarify[:MAX_PER_DOCUMENT]]
                    answer.answer = (
                        f"Câu hỏi không nói rõ văn bản nào ({len(self.store().list_ids())} văn bản đã nạp); "
                        "hãy nêu số hiệu hoặc địa phương của văn bản. Trả lời cho các văn bản gần nhất với câu "
                        "hỏi:\n" + answer.answer)
                return answer
        if intent.kind == "agency_tasks" and asked_agency:
            asked_agency = intent_answers.without_place(self, asked_agency)
            answer = None
            topic = self._topic_in_title(text, asked_agency)  # doc_id -> topic word pairs its title holds
            # "NHNN được giao nhiệm vụ gì trong công điện về ổn định kinh tế vĩ mô, thúc đẩy xuất khẩu?": no number
            # or place, but a kind of document and its title words: that document's tasks of the agency, when it
            # gives it any (else, as before, the agency's tasks wherever retrieval finds them)
            for scope in ([self._title_named(text)] if docs is None else []) + [docs]:
                if scope == []:
                    continue
                _, ranked = self.scored(q, k=MAX_K, doc_ids=scope, doc_types=doc_types, agency=asked_agency,
                                        understood=u)
                ranked = ranked if doc_ids else self._own_first(ranked)
                answer = intent_answers.agency_tasks_answer(
                    self, q, asked_agency, scope, [s.clause.clause_id for s in ranked],
                    lambda tasks, ranked=ranked: self._agency_task_relevance([u.text or q, *u.expanded], asked_agency,
                                                                             tasks, ranked),
                    topic)
                if answer is not None:
                    break
            named = [d for d, n in topic.items() if n >= TOPIC_NAMED_PAIRS] if docs is None and answer is not None else []
            if named and intent_answers.agency_tasks_answer(self, q, asked_agency, named, []) is None:
                # "Bộ Ngoại giao được giao những việc gì trong sắp xếp thôn, tổ dân phố?": the plan whose title says
                # so gives it no task; its tasks in plans on other matters are not what is asked
                return intent_answers.agency_without_tasks(self, q, asked_agency, named)
            titled = [] if doc_ids or answer is None else self._titled_scope(text, docs)
            if titled and intent_answers.agency_tasks_answer(self, q, asked_agency, titled, [s.clause.clause_id for s in ranked]) is None:
                # "Kế hoạch giám sát giảm nghèo của Cần Thơ giao Sở Y tế làm gì?": the plan it names gives the Sở no
                # task; another plan of the city does, which is not what is asked
                return intent_answers.agency_without_tasks(self, q, asked_agency, titled)
            if answer is not None:
                first = self.store().clause(answer.citations[0].clause_id) if answer.citations else None
                if first is not None and self._missing_key_terms([u.text or q, *u.expanded], first):
                    return self._not_found(q, intent)  # "Sở X có nhiệm vụ gì về <what its documents never name>"
                return answer
            # the agency has no task in the documents asked about (or in any): say so, rather
            # than quote another agency's tasks
            return intent_answers.agency_without_tasks(self, q, asked_agency, docs)
        if intent.date is not None and intent.kind == "deadline":
            due = intent_answers.tasks_due(self, intent.date, docs)
            if due:
                _, ranked = self.scored(q, k=MAX_K, doc_ids=docs, doc_types=doc_types, understood=u,
                                        clause_ids={t["clause_id"] for t in due})  # stored task records
                return intent_answers.deadline_list_answer(self, q, due, [s.clause.clause_id for s in ranked],
                                                           intent.date)
        answer = self._retrieve_answer(q, u, intent, k, docs, doc_types, agency)
        if not answer.found and docs and not doc_ids and not intent.docs and not intent.implemented:
            # the documents "about" a place the question names, and none answers: the place may be
            # where the work is done, not whose document assigns it ("khởi công cao tốc TP.HCM - Trung
            # Lương …" in a Government notice; "vùng phát thải thấp ở Hà Nội và TP HCM" in a national
            # decision): the documents about no place (national ones) may answer; another place's may not
            national = [d for d, places in self._doc_places().items() if not places and d not in docs]
            wider = self._retrieve_answer(q, u, intent, k, national, doc_types, agency) if national else None
            if wider is not None and wider.found:
                answer, docs = wider, national
        return answer if doc_ids else self._per_document(answer, q, u, intent, k, docs, doc_types, agency)

    def _per_document(self, answer: Answer, q: str, u, intent, k: int, docs: list[str] | None, doc_types,
                      agency) -> Answer:
        """``answer``, or, when its document has others of its kind (index/query/doc_siblings.py:
        two provinces' plans for one directive) that the question does not tell apart from it
        (it names none of them, or several), the answer of each such document that answers it,
        clearly separated, and ``clarify`` naming them: the clause retrieval ranks first among
        equally good ones would otherwise answer for one province silently. The deployment's own
        documents (corpus/manifest.toml gives their file) come first, then the one retrieval chose."""
        if not answer.found or not answer.citations:
            return answer
        top = answer.citations[0].doc_id
        group = [top, *sorted(self._siblings().get(top, ()))]
        if docs:
            group = [d for d in group if d in docs]
        if len(group) < 2:
            return answer
        home = self._home_docs()
        group.sort(key=lambda d: (d not in home, d != top))
        sections = []
        for doc_id in group[:MAX_PER_DOCUMENT]:
            mine = answer if doc_id == top else self._retrieve_answer(q, u, intent, k, [doc_id], doc_types, agency,
                                                                      named=bool(docs))
            if mine.found and any(c.doc_id == doc_id for c in mine.citations):
                sections.append((doc_id, mine))
        if len(sections) < 2:
            return sections[0][1] if sections else answer
        first = sections[0][1]
        names = [document_name(self.doc_info(d)) for d, _ in sections]
        text = (f"Câu hỏi không nói rõ văn bản nào; {len(sections)} văn bản cùng loại cùng trả lời được (hãy nêu "
                "số hiệu hoặc địa phương để chỉ hỏi một văn bản):\n"
                + "\n".join(f"- {name}: {a.answer}" for name, (_, a) in zip(names, sections)))
        own = [[c for c in a.citations if c.doc_id == d] for d, a in sections]
        citations = [c for hits in own for c in hits[:1]] + [c for hits in own for c in hits[1:]]
        merged = first.model_copy(update={"answer": text, "citations": citations[:max(k, len(sections))],
                                          "clarify": names})
        return merged

    def _own_first(self, ranked: list) -> list:
        """``ranked`` with, where the deployment's own document and others of its kind are both
        ranked, their clauses together at the rank of the first of them, the own document's first
        (as :meth:`_per_document` orders its sections); the rest keep their order."""
        home, kin = self._home_docs(), self._siblings()
        first: dict[str, int] = {}
        for i, s in enumerate(ranked):
            first.setdefault(s.clause.doc_id, i)

        def key(item: tuple[int, Any]) -> tuple[int, bool, int]:
            i, s = item
            group = [d for d in (s.clause.doc_id, *kin.get(s.clause.doc_id, ())) if d in first]
            if len(group) < 2 or not home.intersection(group):
                return (i, False, i)
            return (min(first[d] for d in group), s.clause.doc_id not in home, i)

        return [s for _, s in sorted(enumerate(ranked), key=key)]

    def _siblings(self) -> dict[str, frozenset[str]]:
        """doc_id -> the stored documents of its kind (index/query/doc_siblings.py), per store generation."""
        return self._per_generation("doc_siblings", lambda: doc_siblings.siblings(
            (doc_id, h.doc_type, h.title) for doc_id, h, _ in self.store().headers()))

    def _home_docs(self) -> set[str]:
        """The deployment's own documents: those corpus/manifest.toml gives a file for."""
        return {e.doc_id for e in self.manifest.entries if e.file}

    def _scoped_document(self, q: str, text: str, intent, docs: list[str], doc_types, u) -> Answer | None:
        """"Kế hoạch về dân số của Cần Thơ do ai ký?", "Quyết định … triển khai Quyết định 06 căn cứ
        Luật nào?": a question asking a document's facts that names its kind and place (or a
        document it carries out) and a few title words, not enough to pass ``titled_documents``: the
        facts (api/intent_answers.py: the header, the signature …) of the documents of that place
        in the order the question tells them apart (``scoped_by_title``): the first alone when its
        title holds more of the question's words than any other, else the first few, the answer
        saying it could not tell them apart. None when the question names no kind of document."""
        if not names_kind(text) or not document_facts(text):
            return None
        _, near = self.scored(q, k=30, doc_ids=docs, doc_types=doc_types, understood=u)
        ordered, told = intent_answers.scoped_by_title(self, text, docs, list(dict.fromkeys(s.clause.doc_id for s in near)))
        answer = intent_answers.document_answer(self, q, intent, named=ordered[:1 if told else MAX_PER_DOCUMENT])
        if answer is not None and not told:
            names = [document_name(d) for d in answer.documents]
            answer.clarify = names
            answer.answer = ("Câu hỏi không nói rõ văn bản nào trong " + str(len(docs)) + " văn bản cùng địa phương; hãy "
                             "nêu số hiệu. Trả lời cho các văn bản gần nhất với câu hỏi:\n" + answer.answer)
        return answer

    def _annexed(self, q: str, text: str, intent, doc_types, u) -> Answer | None:
        """The facts of the document a question means by an annex or an issued plan it describes
        (``intent_answers.annex_scope`` over the documents retrieval ranks first); None when it asks no such fact or
        no document qualifies."""
        if not intent_answers.asks_by_annex(text):
            return None
        _, near = self.scored(q, k=30, doc_types=doc_types, understood=u)
        named = intent_answers.annex_scope(self, text, [s.clause.doc_id for s in near])
        return intent_answers.document_answer(self, q, intent, named=named) if named else None

    def _outline(self, q: str, asked: str, docs: list[str] | None, doc_types, u) -> Answer | None:
        """"Kế hoạch X gồm những phần lớn nào?": the top-level headings of the documents the
        question names (else of the one retrieval ranks first), cited in order (api/outline.py);
        None when they have no such headings (retrieval answers then)."""
        if not docs or len(docs) > 1:  # none named, or several by place: the one retrieval ranks first
            _, near = self.scored(q, k=10, doc_ids=docs, doc_types=doc_types, understood=u)
            docs = list(dict.fromkeys(s.clause.doc_id for s in near))[:1]
        sentences, hits = [], []
        for doc_id in docs[:MAX_PER_DOCUMENT]:
            doc = self.store().get(doc_id)
            headings = outline.outline(doc.clauses, asked) if doc is not None else []
            if not headings:
                continue
            info = self._info(doc, doc_id)
            sentences.append(outline.outline_sentence(info.citation, headings, asked))
            hits += [self.hit(c, 1.0, info) for c in headings]
        if not hits:
            return None
        return Answer(question=q, found=True, answer="\n".join(sentences), owners=[], deadline=None, citations=hits,
                      intent="outline")

    def _scope(self, question: str, intent) -> list[str] | None:
        """The documents a question is about: those it names by number, or the ones carrying out
        a document it names ("Kế hoạch thực hiện Chỉ thị 39"), narrowed by the place it names."""
        named = intent_answers.ingested_named(self, intent.docs) if intent.docs else []
        # "Kế hoạch thực hiện Chỉ thị 39", or "báo cáo thực hiện Chỉ thị 39" when 39 itself is not
        # ingested: the documents carrying it out are meant
        carried_out = intent.implemented + (tuple(d for d in intent.docs if d.acted_on) if not named else ())
        if not named and carried_out:
            named = intent_answers.implementing(self, carried_out)
        places = self._docs_named_in(question, None)
        if named and places:
            return [d for d in named if d in places] or named
        return named or places

    def _retrieve_answer(self, q: str, u, intent, k: int, docs, doc_types, agency, named: bool = True) -> Answer:
        """Retrieval, a task-aware choice of the best clause, abstention, and close calls shown.
        ``named``: ``docs`` are the documents the question (or the caller) names; False when they
        only narrow the search to one of several alike documents (:meth:`_per_document`), which
        does not make the question ask for a part of that document."""
        pool = max(k + 8, self.thresholds.pool)
        _, scored = self.scored(q, k=pool, doc_ids=docs, doc_types=doc_types, agency=agency, understood=u)
        # Recipients and signature answer structural questions only (routed above); as content
        # hits they are noise ("các sở, ban, ngành" is in every recipient list).
        scored = [s for s in scored if s.clause.kind not in ("recipients", "signature")]
        retrieved = scored  # the similarity ranking, before any re-ordering
        readings = [u.text or q, *u.expanded]
        by_clause = self._tasks_by_clause()
        by_clause.prefetch([s.clause.clause_id for s in scored])
        field = {"owner": "lead", "deadline": "deadline"}.get(intent.kind or "")

        docs_read: dict[str, Any] = {}

        def says(s, wanted: str | None = None) -> bool:  # its tasks, or its block lines' tasks, say who / by when
            wanted = wanted or field  # (api/task_blocks.py)
            if any(t.get(wanted) for t in by_clause.get(s.clause.clause_id, [])):
                return True  # no document read
            doc_id = s.clause.doc_id
            if doc_id not in docs_read:
                docs_read[doc_id] = self.store().get(doc_id)
            doc = docs_read[doc_id]
            return doc is not None and task_blocks.says(doc.clauses, s.clause, lambda c: by_clause.get(c, []), wanted)

        def preferred(hits: list) -> list:
            return prefer(hits, says) if field else hits

        # Whether to answer is judged on the similarity ranking (as tuned: a candidate pool of 20
        # always holds some clause covering half an unanswerable question's words); which clause
        # to quote is then chosen by what it covers of the question too (index/abstain.py: rerank).
        fused = preferred(scored[: k + 8])
        # judged on the first ``judge_top`` of that ranking (index/abstain.py: Thresholds)
        judged = next((s for s in fused[: self.thresholds.judge_top] if self._answers(s, readings, q)), None)
        found = judged is not None
        if found:
            context = self._doc_context()
            scored = preferred(rerank(scored, [self._coverage(s, readings, q) + PHRASE_WEIGHT * phrases.pair_share(
                readings[0], " ".join([*s.clause.heading_chain, s.clause.text]), self.index.keyword.idf,
                context.get(s.clause.doc_id, "")) for s in scored], self.thresholds.rerank))
            if not self._answers(scored[0], readings, q, keys=False):  # the keys judged whether; this is which
                scored = [judged, *(s for s in fused if s is not judged)]
        if found and not document_facts(u.text or q) and basis_kind(u.text or q) is None:
            scored = preferred(_formulas_last(scored))  # "thực hiện kết luận nào" asks a formula line
        matched = None
        # the task whose own words answer it, first; "Ai đưa … vào …" asks who as an owner question does
        asked = intent.kind if intent.kind in ("owner", "deadline") else "owner" if asks_who_only(u.text or q) else None
        named_agency = intent_answers.agency_in(self, u.text or q, q, *u.expanded) if asked else None
        if not found and asked and retrieved:
            # no clause judged: a task retrieval ranked lower may still say who / by when, and is
            # judged by the same rule (coverage and similarity of its clause)
            rescued = self._matched_task(readings, asked, docs, retrieved, "", named_agency)
            mine = next((s for s in retrieved if rescued and s.clause.clause_id == rescued["clause_id"]), None)
            if mine is not None and self._answers(mine, readings, q):
                found, scored = True, [mine, *(s for s in scored if s is not mine)]
        if found and asked:
            # a clause whose answer would name nobody (a preamble, a goal: no task of its own, of its
            # block or above it, no agency heading) does not answer who: a task whose words cover the
            # question then answers instead of it. Only for an owner question ("cho ai vay" asks who
            # benefits); not for "by when" (a fresh checked deadline question fell with it)
            mute = intent.kind == asked == "owner" and not says(scored[0], "lead" if asked == "owner" else "deadline") and not self._owners_and_deadline(
                scored[0].clause, by_clause.get(scored[0].clause.clause_id, []), by_clause)[0 if asked == "owner" else 1]
            matched = self._matched_task(readings, asked, docs, retrieved, scored[0].clause.clause_id, named_agency,
                                         chosen_says=not mute)
            if matched is not None:
                scored = self._first(matched["clause_id"], scored)
            acting = self._subject_task(readings, asked, named_agency, q, docs, retrieved, scored[0].clause,
                                        matched if matched is not None and matched["clause_id"] == scored[0].clause.clause_id
                                        else None, by_clause)
            if acting is not None:
                matched, scored = acting, self._first(acting["clause_id"], scored)
        if found and intent.kind == "deadline" and named_agency is None and asks_span(u.text or q) and names_kind(u.text or q):
            # "Chương trình REDD+ thực hiện đến năm nào?": until when the work of the document found runs as a whole,
            # its one "Thời gian thực hiện: …" line (doc_parts.period_clause), not the deadline of one of its tasks
            doc = self.store().get(scored[0].clause.doc_id)
            period = doc_parts.period_clause(doc) if doc is not None else None
            if period is not None:
                matched, scored = None, self._first(period.clause_id, scored)
        # a part of the document the question names ("Kế hoạch 160 có yêu cầu gì?"): its heading, then its points;
        # asked as a whole, the document says it, whatever the similarity of its few words to the question
        # not when an agency is asked ("nhiệm vụ báo cáo" of the NHCSXH branch asks its task, not the part "Nhiệm vụ")
        part_of = scored[0].clause.doc_id if intent.kind is None and scored and agency is None else None
        if part_of is not None and not (docs and named) and not self._named_by_title(u.text or q, part_of):
            part_of = None  # a document named by number or place (``docs``), or by its kind and title words
        section = self._asked_section(u.text or q, part_of) if part_of is not None else None
        if section is not None and not found:
            # a part asked as a whole still gives no figure or contact it does not write ("Đến năm 2030 … phải có bao
            # nhiêu doanh nghiệp công nghệ số?" of a part "Doanh nghiệp số"; "số điện thoại … của Văn phòng UBND tỉnh"
            # of a part "Trách nhiệm Văn phòng UBND tỉnh"): the checks a clause answering passes (:meth:`_answers`)
            said = " ".join(c.text for c in (section.heading, *section.points))
            seen = f"{self._clause_context(section.heading)} {said}"
            if figure_not_stated(q, said, seen) or missing_asked_things(q, seen):
                section = None
        found = found or section is not None
        if not found:  # a clause that passes all but the key constraints: say what the documents do say
            near = next((s for s in fused[: self.thresholds.judge_top] if self._answers(s, readings, q, keys=False)), None)
            return self._not_found(q, intent, near, self._unmet_keys(near, q) if near is not None else [])
        scored = (self._section_first(section, scored, u.text or q) if section is not None
                  else self._points_first(scored, readings, q))[:k]
        infos: dict[str, Document] = {}
        hits = self._hits(scored, infos)
        top = hits[0]
        if intent.kind in ("owner", "deadline"):  # the line of a task block that says who / by when, next
            doc = self.store().get(top.doc_id)
            line = task_blocks.labelled_line(doc.clauses, scored[0].clause, intent.kind) if doc else None
            if line is not None:
                hits = [top, self.hit(line, scored[0].score, infos.get(top.doc_id)),
                        *[h for h in hits[1:] if h.clause_id != line.clause_id]][:k]
        tasks = by_clause.get(top.clause_id, [])
        if matched is not None and matched["clause_id"] == top.clause_id:
            tasks = [matched, *(t for t in tasks if t["task_id"] != matched["task_id"])]
        owners, deadline = self._owners_and_deadline(scored[0].clause, tasks, by_clause)
        if asked and owners:  # the same duty written for other agencies too ("… báo cáo … trước ngày 30/9")
            sharing = self._sharing_duty(readings, [t for t in tasks if t.get("lead")][:1])
            names = {o.agency for o in owners if o.role == "lead"}
            owners = [*owners, *(o for o in owners_of(sharing) if o.role == "lead" and o.agency not in names)]
            for t in sharing:
                clause = self.store().clause(t["clause_id"])
                if clause is not None and all(h.clause_id != clause.clause_id for h in hits):
                    hits = [*hits[:1], self.hit(clause, scored[0].score, infos.get(top.doc_id)), *hits[1:]][:k]
        if intent.kind == "deadline" and tasks:  # of the clause's deadlines, the one asked about
            deadline = deadline_pick.asked_deadline(q, scored[0].clause.text, tasks) or deadline
        if section is not None:
            cited = {h.clause_id for h in hits}
            heading = next((h for h in hits if h.clause_id == section.heading.clause_id), top)
            text = section_text(heading, [h for h in hits if h is not heading and h.doc_id == heading.doc_id
                                          and h.clause_id in {c.clause_id for c in section.points}],
                                sum(1 for c in section.points if c.clause_id not in cited))
        else:
            text = compose(q, top, owners, deadline)
        if top.integrity not in ("ok", "unverified"):  # tampering detected, not merely an old record
            text += (" (Lưu ý: nội dung trích dẫn không khớp bản đã lưu khi nạp; hãy đối chiếu văn bản gốc."
                     " / Note: the quoted text no longer matches what was stored at ingest; check the original.)")
        if intent.kind == "deadline":
            shared = [t for task in tasks[:1] for t in intent_answers.same_deadline(self, task)]
            if shared:
                text += " Cùng thời hạn này: " + "; ".join(self._task_out(t, infos).citation for t in shared[:8]) + "."
        close = close_calls(scored, self.thresholds.close)
        alternatives = [hits[i] for i in close if i < len(hits)]
        answer = Answer(question=q, found=True, owners=owners, deadline=deadline, citations=hits,
                        answer=text + alternatives_text(alternatives), uncertain=bool(close))
        if close:  # given only when there is a close call (the JSON has no empty list otherwise)
            answer.alternatives = alternatives
        return _with_intent(answer, intent.kind)

    def _matched_task(self, readings: list[str], kind: str, docs: list[str] | None, pool: list,
                      chosen: str, agency: str | None = None, chosen_says: bool = True) -> dict[str, Any] | None:
        """The task of the documents in play (those the question names, else those of
        retrieval's three best clauses) whose own words best answer an owner or deadline
        question (api/task_match.py), when they answer it better than the tasks of ``chosen``
        (the clause retrieval would quote); None otherwise. A question naming an agency ("Sở
        X phải báo cáo … khi nào") is about a task giving that agency a role, when one of those
        covers enough of the question; when none does, the agency is not the one asked about
        (the body advised or reported to: "Ai tham mưu UBND tỉnh bố trí kinh phí …"; a name read
        in a thing's name: "… từ Quỹ bảo hiểm thất nghiệp"), and every task of the document of
        ``chosen`` is matched.
        ``chosen_says``: whether ``chosen`` (its tasks, or its block's) says who / by when; when it
        does not, the best task answers whenever it covers enough of the question."""
        in_play = list(docs or dict.fromkeys(s.clause.doc_id for s in pool[:3]))
        field = "lead" if kind == "owner" else "deadline"
        tasks = [t for d in in_play[:MAX_PER_DOCUMENT * 2] for t in self.store().tasks(d) if t.get(field)]
        if not tasks:
            return None
        retrieval = {s.clause.clause_id: s.score for s in pool}
        query = AgencyQuery.of(agency) if agency else None  # built once: it reads the gazetteer
        mine = [t for t in tasks if query.roles_in(t) & DOERS] if query is not None else []
        ranked = self._task_ranking(readings, mine, retrieval) if mine else []
        best = task_match.best_task(ranked)
        if best is None:
            if mine:  # the agency named is not the one asked about: the tasks of the document of
                # retrieval's clause, not another document's ("… ngân hàng chính sách … cho ai vay")
                home = self.store().clause(chosen)
                tasks = [t for t in tasks if home is not None and t["doc_id"] == home.doc_id]
            ranked = self._task_ranking(readings, tasks, retrieval)
            best = task_match.best_task(ranked)
        if best is None or best.task["clause_id"] == chosen or not chosen_says:
            return best.task if best is not None else None
        # retrieval's clause stays first unless the task's words answer strictly more of it
        clause = self.store().clause(chosen)
        own = [m.share for m in ranked if m.task["clause_id"] == chosen]
        if clause is not None:
            pseudo = {"clause_id": chosen, "doc_id": clause.doc_id, "text": ""}
            own += [m.share for m in self._task_ranking(readings, [pseudo], {})]
        return best.task if best.share > max(own, default=0.0) else None

    def _subject_task(self, readings: list[str], kind: str, agency: str | None, question: str,
                      docs: list[str] | None, pool: list, clause, matched: dict[str, Any] | None,
                      by_clause) -> dict[str, Any] | None:
        """"Sở Tài chính … báo cáo UBND Thành phố … bao lâu một lần?": the question opens with the
        agency that acts. When the clause chosen to answer does not give that agency a doer's role
        (it is only reported to there: "… gửi Sở Tài chính để tổng hợp", or not named at all),
        the agency's own task whose words best cover the question (at least ``SUBJECT_SHARE``)
        answers instead (for a deadline question, the first of its best few that gives a time, its
        own or its clause's: :meth:`_owners_and_deadline`); None otherwise (the chosen clause stands)."""
        if not agency or not fold(question).lstrip(" -:,.").startswith(fold(agency)):
            return None
        query = AgencyQuery.of(agency)
        tasks = [matched] if matched is not None else by_clause.get(clause.clause_id, [])
        owners, _ = self._owners_and_deadline(clause, tasks, by_clause)
        if any(o.role == "lead" and query.names({"full": o.agency, "name": o.as_written}) for o in owners):
            return None
        if any(query.roles_in(t) & DOERS for t in tasks):
            return None
        in_play = list(docs or dict.fromkeys(s.clause.doc_id for s in pool[:3]))
        mine = [t for d in in_play[:MAX_PER_DOCUMENT * 2] for t in self.store().tasks(d) if query.roles_in(t) & DOERS]
        ranked = [m for m in self._task_ranking(readings, mine, {s.clause.clause_id: s.score for s in pool})
                  if m.share >= SUBJECT_SHARE]
        if kind == "deadline":  # "… báo cáo … bao lâu một lần?": the first of them that gives a time
            for m in ranked[:SUBJECT_DEADLINE_TRIES]:
                own = self.store().clause(m.task["clause_id"])
                if own is not None and self._owners_and_deadline(own, [m.task], by_clause)[1] is not None:
                    return m.task
        return ranked[0].task if ranked else None

    def _agency_task_relevance(self, readings: list[str], agency: str, tasks: list[dict[str, Any]],
                               ranked: list) -> dict[str, float]:
        """task_id -> how well each of an agency's tasks answers "X có nhiệm vụ gì về Y": the
        share of the question's words after the agency's name and the words that only ask for
        its tasks ("nhiệm vụ gì", "phải làm gì") that the task's words hold, plus retrieval's
        score of its clause (api/task_match.py); empty when the question says nothing more.
        Only the tasks of the clauses retrieval ranked (at most ``MAX_K``) are read: the cost
        stays bounded for an agency with hundreds of tasks; the others follow in their order."""
        seen = {s.clause.clause_id for s in ranked}
        tasks = [t for t in tasks if t["clause_id"] in seen]
        query = AgencyQuery.of(agency)
        named = {ref.get("name") or "" for t in tasks for _, ref in roles_of(t) if query.names(ref)}
        asked = task_match.agency_phrases([agency, *query.phrases, *named])
        ranking = self._task_ranking(readings, tasks, {s.clause.clause_id: s.score for s in ranked}, asked)
        if ranking and not any(m.share for m in ranking):
            # nothing asked beyond the agency and what its document is about ("Sở X có nhiệm vụ gì
            # trong phát triển kinh tế số" of the plan on kinh tế số): its tasks in the document's order
            order = {cid: c.order for cid, c in self.store().clauses_by_ids({t["clause_id"] for t in tasks}).items()}
            return {t["task_id"]: -float(order.get(t["clause_id"], 0)) for t in tasks}
        return {m.task["task_id"]: m.score for m in ranking}

    def _sharing_duty(self, readings: list[str], duty_of: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The other tasks of its document that give, word for word, the part of the task in
        ``duty_of`` (at most one) that answers the question (api/task_match.py): an owner
        question is answered by every agency the same duty is given to."""
        if not duty_of:
            return []
        task = duty_of[0]
        header = set(folded_syllables(self._doc_context().get(task["doc_id"], "")))
        duty = task_match.asked_duty(readings[0], task.get("text") or "", header, self.index.keyword.idf)
        if duty is None:
            return []
        others = [t for t in self.store().tasks(task["doc_id"]) if t["task_id"] != task["task_id"] and t.get("lead")
                  and t["clause_id"] != task["clause_id"]]
        return task_match.sharing_duty(duty, others)

    def _task_ranking(self, readings: list[str], tasks: list[dict[str, Any]],
                      retrieval: dict[str, float], asked: tuple[str, ...] = ()) -> list[task_match.TaskMatch]:
        """``tasks`` ranked by how much of the question their own words (task, clause, headings)
        cover, plus retrieval's score of their clause (api/task_match.py)."""
        if not tasks:
            return []
        clauses = self.store().clauses_by_ids({t["clause_id"] for t in tasks})
        context = self._doc_context()
        headers: dict[str, set[str]] = {}

        def words_of(task: dict[str, Any]) -> set[str]:
            c = clauses.get(task["clause_id"])
            return task_match.task_words(task, c.text if c else "", c.heading_chain if c else ())

        def header_of(doc_id: str) -> set[str]:
            if doc_id not in headers:
                headers[doc_id] = set(folded_syllables(context.get(doc_id, "")))
            return headers[doc_id]

        return task_match.rank_tasks(readings, tasks, words_of, header_of, self.index.keyword.idf, retrieval,
                                     asked=asked)

    def _points_first(self, scored: list, readings: list[str], question: str) -> list:
        """``scored`` with a bare heading chosen first ("Mục đích", "Chi nhánh X có trách nhiệm:",
        api/task_blocks.py) replaced by its point that covers most of the question (the first
        point on a tie), the heading right after it: the quote is then what the heading heads."""
        top = scored[0].clause if scored else None
        doc = self.store().get(top.doc_id) if top is not None else None
        if doc is None:
            return scored
        children = sorted((c for c in doc.clauses if c.parent == top.path), key=lambda c: c.order)
        if not task_blocks.bare_heading(top, children):
            return scored
        best = max(children, key=lambda c: (self._coverage(ScoredClause(c, 0.0, 0.0, 0.0), readings, question),
                                             -c.order))
        ranked = self._first(best.clause_id, scored)
        heading = [s for s in ranked if s.clause.clause_id == top.clause_id]
        return [ranked[0], *heading, *(s for s in ranked[1:] if s.clause.clause_id != top.clause_id)]

    def _asked_section(self, question: str, doc_id: str) -> doc_sections.AskedSection | None:
        """The part of ``doc_id`` the question asks for as a whole (api/doc_sections.py), the
        document named by its header's words and places (:meth:`_doc_context`); None when it asks
        none, or asks more than a part ("Mục tiêu … về tỷ lệ trẻ em đi học": one point of it, which
        retrieval finds as for any question)."""
        doc = self.store().get(doc_id)
        if doc is None:
            return None
        found = doc_sections.asked_section(doc.clauses, question, self._doc_context().get(doc_id, ""))
        return found if found is not None and not found.specific else None

    def _titled_scope(self, question: str, docs: list[str] | None) -> list[str]:
        """Of ``docs`` (the documents of the place the question names), those it names by kind and title words
        (:meth:`_named_by_title`), the ones whose title, its places aside, holds most of its words, the words of the
        agencies and places it names aside; [] when it names none so, or names no place. A document is of the kind
        named when its type is, or its title says it ("Quyết định ban hành Kế hoạch …" is asked as "kế hoạch …").

        Why: "Kế hoạch thi hành Luật Việc làm của TP.HCM giao Sở Y tế làm gì?" was answered with the Sở Y tế's tasks
        in another plan of the city (the place scopes the question to four plans, the Sở has tasks in one of them),
        though the plan it names gives the Sở none: the documents of the question's place are not the document it
        names."""
        kind = names_kind(question)
        if not kind or not docs or len(docs) < 2:
            return []
        asked = {w for m in find_agencies(question) for w in folded_syllables(f"{m.text} {m.name}")}
        asked |= {w for p in named_places(question) for w in p.split()}
        said = set(title_words(question)) - asked
        named: dict[str, int] = {}
        for d, h, f in self.store().headers():
            if d not in docs or not self._named_by_title(question, d):
                continue
            dtype = h.doc_type or intent_answers._file_kind(f)
            of_kind = bool(dtype) and intent_answers._kind_matches(kind, dtype)
            if not of_kind and f" {fold(kind)} " not in " " + " ".join(folded_syllables(h.title or "")) + " ":
                continue  # of another kind than the one named
            named[d] = len(said & doc_siblings.title_words(h.title or ""))
        best = max(named.values(), default=0)
        return [d for d in docs if d in named and named[d] == best] if best else []

    def _topic_in_title(self, question: str, agency: str) -> dict[str, int]:
        """doc_id -> how many of an agency-task question's topic word pairs its title holds, for the documents
        whose title holds at least ``TOPIC_TITLE_PAIRS`` of them: the pairs of adjacent syllables of the question
        that neither the ``agency`` asked about (as written), the places it names, the words asking for tasks
        nor stop words break ("công tác bình đẳng giới": "bình đẳng", "đẳng giới"; single syllables match
        across unrelated words, "dữ liệu" in "dự án … vật liệu"). "Sở Y tế Thành phố có nhiệm vụ gì trong công
        tác bình đẳng giới?" is about the plan whose title says "bình đẳng giới", not the city's population plan
        retrieval ranks first because the Sở has more tasks there; {} when the question names no topic so. A
        text kept without its header is read by its file name's words."""
        words = doc_sections.words()
        breaks = set(folded_syllables(agency)) | agency_task_cue_words() | words.stop | title_stop()
        breaks |= {w for p in named_places(question) for w in p.split()}
        syllables = [None if w in breaks or w.isdigit() else w for w in folded_syllables(question)]
        asked = {p for p in phrases.adjacent_pairs(syllables) if None not in p}
        if len(asked) < TOPIC_TITLE_PAIRS:
            return {}
        titles = self._per_generation("doc_topic_pairs", lambda: {
            d: phrases.adjacent_pairs(folded_syllables((h.title or "") if (h.issuer or h.title)
                                                       else doc_places.name_words(f, d)))
            for d, h, f in self.store().headers()})
        hits = {d: len(asked & t) for d, t in titles.items()}
        return {d: n for d, n in hits.items() if n >= TOPIC_TITLE_PAIRS}

    def _title_named(self, question: str) -> list[str]:
        """The documents an agency-task question names by kind and title words alone, with no number or place
        (:meth:`_titled_scope` over every document), when their title holds at least ``TITLE_SHARE`` of the
        question's own title words (the agencies, the words asking for tasks and the stop words aside): "NHNN được
        giao nhiệm vụ gì trong công điện về ổn định kinh tế vĩ mô, thúc đẩy xuất khẩu?" names the Công điện of that
        title; "… trong Đề án bồi dưỡng năng lực cho cán bộ làm công tác đối ngoại" does not name another Đề án whose
        title shares "bồi dưỡng … năng lực" (the one meant may have no title stored). [] otherwise."""
        scope = self._titled_scope(question, self.store().list_ids())
        if not scope:
            return []
        words = doc_sections.words()
        asked = {w for m in find_agencies(question) for w in folded_syllables(f"{m.text} {m.name}")}
        said = set(title_words(question)) - asked - agency_task_cue_words() - words.stop - words.ask
        titles = {d: doc_siblings.title_words(h.title or "") for d, h, _ in self.store().headers() if d in scope}
        return [d for d in scope if said and len(said & titles.get(d, frozenset())) >= TITLE_SHARE * len(said)]

    def _named_by_title(self, question: str, doc_id: str) -> bool:
        """Does the question name ``doc_id`` by its kind and title words, without its number ("Đề án
        năng lượng nguyên tử … đối tượng đào tạo là những ai", "Luật người lao động Việt Nam đi làm
        việc ở nước ngoài … áp dụng với đối tượng nào"): a kind of document and at least
        ``[section] title_words`` syllables of its title."""
        if not names_kind(question):
            return False
        titles = self._per_generation("doc_title_syllables", lambda: {
            d: frozenset(folded_syllables(h.title or "")) for d, h, _ in self.store().headers()})
        said = set(folded_syllables(question)) & titles.get(doc_id, frozenset())
        return len(said - doc_sections.words().stop) >= doc_sections.words().title_words

    def _section_first(self, section: doc_sections.AskedSection, scored: list, question: str = "") -> list:
        """``scored`` with the section asked for first: its heading, then its points in the
        document's order; the point the question asks about beyond the part, when one does
        (``doc_sections.point_asked``), before the heading. The rest keep their order."""
        top = scored[0]
        own = {s.clause.clause_id: s for s in scored}

        def at(clause) -> ScoredClause:
            return own.get(clause.clause_id) or ScoredClause(clause, top.score, top.dense, 0.0)

        point = doc_sections.point_asked(section, question, self._doc_context().get(section.heading.doc_id, ""))
        order = [*([at(point)] if point is not None else []), at(section.heading), *(at(c) for c in section.points)]
        seen: set[str] = set()
        out = []
        for s in [*order, *scored]:
            if s.clause.clause_id not in seen:
                seen.add(s.clause.clause_id)
                out.append(replace(s, score=max(s.score, top.score)) if len(out) == 0 else s)
        return out

    def _first(self, clause_id: str, scored: list) -> list:
        """``scored`` with the clause ``clause_id`` first (taken from the store when retrieval
        did not rank it), at the best score."""
        mine = next((s for s in scored if s.clause.clause_id == clause_id), None)
        if mine is None:
            clause = self.store().clause(clause_id)
            if clause is None or not scored:
                return scored
            mine = ScoredClause(clause, scored[0].score, scored[0].dense, 0.0)
        return [replace(mine, score=max(mine.score, scored[0].score)),
                *(s for s in scored if s.clause.clause_id != clause_id)]

    def _not_found(self, q: str, intent, near=None, missing: list | None = None) -> Answer:
        """found=false, naming the documents referenced but not ingested; with ``near`` (a hit that met all but the
        key constraints ``missing``), what the documents do not say and what they say nearby, quoted and cited."""
        stored = set(self.store().list_ids())
        referenced = [
            document_name(self._info(None, e.doc_id)) for e in self.manifest.entries if e.doc_id not in stored
        ]
        text = not_found_answer(referenced)
        if near is not None and missing:
            hit = self.hit(near.clause, near.score)
            text += (f" Các văn bản đã nạp không nêu {describe(missing)} như câu hỏi; điều khoản gần nhất với câu hỏi"
                     f" — theo {lower_first(hit.citation)}: «{hit.text}»")
        answer = Answer(question=q, found=False, owners=[], deadline=None, answer=text, citations=[])
        return _with_intent(answer, intent.kind)

    def _owners_and_deadline(self, clause, tasks: list[dict[str, Any]], by_clause) -> tuple[list[Owner], Deadline | None]:
        """Owners and deadline of a clause: its own tasks', else those of the nearest enclosing
        clause that has them (a point under "3. Sở Y tế:" is the Sở's), else an agency heading
        of its chain; the deadline, else the one its own text states."""
        owners = owners_of(tasks)
        deadline = next((deadline_out(t) for t in tasks if t.get("deadline")), None)
        doc = self.store().get(clause.doc_id) if not owners or not deadline else None
        if doc is not None:
            above = _enclosing(clause, {c.path: c for c in doc.clauses})
            for parent in above:
                if owners and deadline:
                    break
                up = by_clause.get(parent.clause_id, [])
                if not owners and any(t.get("lead") for t in up):
                    owners = owners_of(up)
                if not deadline:
                    deadline = next((deadline_out(t) for t in up if t.get("deadline")), None)
            if not owners or not deadline:  # a block's heading, an indicator repeated in the appendix
                below = task_blocks.related_tasks(doc.clauses, clause, lambda cid: by_clause.get(cid, []))
                if not owners and any(t.get("lead") for t in below):
                    owners = owners_of([t for t in below if t.get("lead")][:1])
                if not deadline:
                    deadline = next((deadline_out(t) for t in below if t.get("deadline")), None)
            if not owners:
                for heading in reversed(clause.heading_chain):
                    found = [m for m in find_agencies(heading) if m.start <= 12]
                    if found:
                        owners = [Owner(agency=m.name, as_written=m.text, role="lead", role_vi=ROLES["lead"])
                                  for m in found[:1]]
                        break
            if not deadline:
                own = main_deadline(find_deadlines(clause.text))
                if own is not None:
                    deadline = Deadline.of(own)
            if not deadline:  # "2. Mục tiêu cụ thể đến năm 2035" over the point quoted: the nearest heading's time
                deadline = deadline_pick.heading_deadline([p.text for p in reversed(above)])
        return owners, deadline

    def _answers(self, best, readings: list[str], question: str = "", keys: bool = True) -> bool:
        """Does the best hit answer? Term coverage and dense similarity above tuned thresholds, every figure the
        question names is in the clause, and a count it asks or states is written there (index/abstain_figures.py);
        or, with ``abstain_by_model``, the calibrated model of index/abstain_model.py (the hit read with its
        document's header, headings and whole text). ``keys``: a hit covering less than ``thresholds.keys`` must
        also meet the question's key constraints (:meth:`_unmet_keys`)."""
        if self.abstain_by_model:
            return abstain_model.judge(best, readings, question, self._doc_context(), self.index.keyword,
                                       self.store().get)
        covered = self._coverage(best, readings, question)
        if covered < self.thresholds.coverage or best.dense < self.thresholds.dense:
            return False
        context = self._clause_context(best.clause)
        if figure_not_stated(question, best.clause.text, f"{context} {best.clause.text}"):  # index/abstain_figures.py
            return False
        return not keys or covered >= self.thresholds.keys or not self._unmet_keys(best, question, context)

    def _clause_context(self, clause) -> str:
        """What a clause is read with when judging whether it answers: its document's header
        (type, number, issuer, title, places) and its headings."""
        return " ".join([self._doc_context().get(clause.doc_id, ""), *clause.heading_chain])

    def _unmet_keys(self, best, question: str, context: str | None = None) -> list:
        """The key constraints of the question (a day, a year, a place, the acting agency, a kind of document:
        index/abstain_keys.py) that the hit, read with its tasks, headings and document header, does not satisfy."""
        if context is None:
            context = self._clause_context(best.clause)
        return unmet(question, best.clause.text, context, self._tasks_by_clause().get(best.clause.clause_id, []))

    def _coverage(self, hit, readings: list[str], question: str = "") -> float:
        """How much of the question a hit covers (index/abstain.py), 0 when it lacks a figure the
        question names. A clause is read in its document: the place and title a question names
        to say which plan it means ("… giảm nghèo ở Cần Thơ") are in the header, not the clause."""
        clause = hit.clause
        context = self._clause_context(clause)
        if question and missing_figures(question, f"{context} {clause.text}"):
            return 0.0
        if question and self._missing_key_terms(readings, clause, context):
            return 0.0  # the rare word the question is about is nowhere in the clause's document
        return coverage(readings, clause.text, self.index.keyword, context)

    def _missing_key_terms(self, readings: list[str], clause, context: str | None = None) -> list[str]:
        """The question's key terms (index/abstain.py) that neither ``clause``, read with its
        document's header and headings, nor any other clause of its document holds."""
        if context is None:
            context = self._clause_context(clause)
        return missing_key_terms(readings, f"{context} {clause.text}",
                                 lambda term: self._in_document(term, clause.doc_id), self.index.keyword.idf)

    def _in_document(self, term: str, doc_id: str) -> bool:
        """Does any clause of ``doc_id`` hold the folded ``term``? (the keyword index, restricted
        to the document; remembered per store generation, at most ``TERMS_REMEMBERED`` answers)"""
        seen: dict[tuple[str, str], bool] = self._per_generation("term_in_document", dict)
        key = (term, doc_id)
        if key not in seen:
            if len(seen) >= TERMS_REMEMBERED:
                seen.clear()
            seen[key] = bool(self.index.keyword.search(term, k=1, doc_ids=[doc_id]))
        return seen[key]

    def _doc_context(self) -> dict[str, str]:
        """doc_id -> its type, number, issuer and title (what a question may name it by), and the
        places it is about that these do not write (index/query/doc_places.py: a text kept
        without its header is about the place its file name or opening names, and its file
        name's words stand for its title)."""

        def build() -> dict[str, str]:
            out = {}
            places = self._doc_places()
            for doc_id, h, file_name in self.store().headers():
                text = " ".join(x for x in (h.doc_type, h.number, h.issuer, h.title) if x)
                if not (h.issuer or h.title):  # a text kept without its header: its file name is its title
                    text = " ".join(x for x in (text, doc_places.name_words(file_name, doc_id)) if x)
                folded = f" {' '.join(_NAME_WORDS.findall(fold(text)))} "
                extra = [p for p in sorted(places.get(doc_id, ())) if f" {p} " not in folded]
                out[doc_id] = " ".join([text, *extra]).strip()
            return out

        return self._per_generation("doc_context", build)

    def _doc_places(self) -> dict[str, frozenset[str]]:
        """doc_id -> the folded places it is about, from its header, manifest entry, title, file
        name, id and (when these name none) its opening lines; rebuilt when the store changes."""

        def build() -> dict[str, frozenset[str]]:
            out = {}
            store = self.store()
            for doc_id, h, file_name in store.headers():
                entry = self.manifest.by_id(doc_id)
                issuer = h.issuer or (entry.issuer if entry else None)
                written = (h.place, (h.date_as_written or "").split(",")[0] if h.date_as_written else None)
                out[doc_id] = frozenset(doc_places.document_places(
                    issuer, written, h.title or (entry.title if entry else None),
                    (file_name, doc_id, entry.file if entry else None),
                    opening=lambda d=doc_id: store.source(d)))
            return out

        return self._per_generation("doc_places", build)

    def _docs_named_in(self, question: str, doc_ids: list[str] | None) -> list[str] | None:
        """Documents the question names by number ("214/KH-UBND") or by place ("Bình Sơn")."""
        if doc_ids:
            return doc_ids
        folded = " " + with_place_aliases(" ".join(_NAME_WORDS.findall(fold(question)))) + " "
        named = [doc_id for doc_id, keys in self._doc_name_keys().items() if any(k and k in folded for k in keys)]
        return named or None

    def _doc_name_keys(self) -> dict[str, tuple[str, ...]]:
        """doc_id -> (folded number, folded places it is about), rebuilt when the store changes."""

        def build() -> dict[str, tuple[str, ...]]:
            places = self._doc_places()
            return {doc_id: (fold(h.number or ""), *sorted(f" {p} " for p in places.get(doc_id, ())))
                    for doc_id, h, _ in self.store().headers()}

        return self._per_generation("doc_name_keys", build)

    def _structural(self, question: str, intent, docs: list[str] | None) -> Answer | None:
        """Answer "who signed / who receives / issuer / number and date / clause X" from structure."""
        store = self.store()
        doc_ids = docs or store.list_ids()
        wanted = {"signer": "signature", "recipients": "recipients", "issuer": "signature", "number_date": "preamble.1", "basis": "preamble.1"}
        hits, out_docs = [], {}
        addressed: dict[str, list[Hit]] = {}
        said: dict[str, list[str]] = {}  # the addressee lines, as written, without their "- " and ";"
        unstated: list[str] = []  # documents asked whom they are sent to that name no one (a text layer without "Nơi nhận")
        for doc_id in doc_ids:
            doc = store.get(doc_id)
            if doc is None:
                continue
            path = intent.path if intent.kind == "clause_path" else wanted[intent.kind]
            clause = next((c for c in doc.clauses if c.path == path), None)
            # a header read from the opening lines (a text layer leaving number and day blank): the clause that writes it
            opening = doc_parts.opening_lines(doc) if intent.kind != "clause_path" else None
            if opening:
                clause = doc_parts.opening_clause(opening, intent.kind) or clause
            if clause is None and intent.kind == "recipients" and not _lists_recipients(doc):
                unstated.append(self._info(doc, doc_id).citation)  # not the first clause as if it were the list
                continue
            if clause is None and intent.kind != "clause_path":
                clause = doc.clauses[0] if doc.clauses else None
            if clause is None:
                continue
            hits.append(self.hit(clause, 1.0))
            out_docs[doc_id] = self._info(doc, doc_id)
            if intent.kind == "recipients" and not doc_parts.names_recipients_list(question):
                # "gửi những ai": a letter's "Kính gửi" lines, a công điện's list after "… điện:", before its "Nơi nhận"
                lines = doc_parts.addressee_clauses(doc)
                if lines:
                    addressed[doc_id] = [self.hit(doc_parts.addressee_clause(self, doc) or lines[0], 1.0)]
                    said[doc_id] = [c.text.strip(" -;.") for c in lines]
        if not hits and not unstated:
            return None
        none_said = "; ".join(f"{name}: văn bản không ghi nơi nhận (trong phần đã nạp)" for name in unstated)
        if not hits:  # say plainly that the text does not say, rather than cite its first clause
            return Answer(question=question, found=False, owners=[], deadline=None, citations=[], intent=intent.kind,
                          answer=f"{none_said}. / The document does not state its recipients (in the text ingested).")
        text = structural_answer(intent.kind, hits, out_docs)
        if unstated:
            text += f"\n— {none_said}."
        if said and len(hits) == 1:
            text = "Kính gửi: " + "; ".join(x for xs in said.values() for x in xs) + ". " + text
        cited = [c for h in hits for c in addressed.get(h.doc_id, []) + [h]]
        return Answer(question=question, found=True, answer=text, owners=[],
                      deadline=None, citations=cited, intent=intent.kind)


def _lists_recipients(doc) -> bool:
    """Does the document name whom it is sent to: a "Nơi nhận" list, or "Kính gửi" lines?"""
    return bool(doc.header.recipients or doc.header.addressees or doc_parts.addressee_clauses(doc)
                or any(c.kind == "recipients" for c in doc.clauses))


def _enclosing(clause, by_path: dict[str, Any]) -> list[Any]:
    """The clauses ``clause`` stands in (its parent, the parent's parent …), nearest first."""
    out = []
    up = by_path.get(clause.parent) if clause.parent else None
    while up is not None:
        out.append(up)
        up = by_path.get(up.parent) if up.parent else None
    return out


def formula(clause) -> bool:
    """Is ``clause`` a line of its document's preamble that only says what the document is based on,
    carries out or enacts ("Căn cứ Luật …", "Thực hiện Nghị quyết …", "Theo đề nghị của …", "UBND
    Thành phố ban hành Kế hoạch … với các nội dung sau:")? It repeats the document's title words, so
    it ranks high for any question about the document's subject, yet it answers only a question
    about the document's own facts (index/query/ask_intent.py ``document_facts``, ``basis_kind``)."""
    if clause.kind != "preamble":
        return False
    folded = " ".join(re.findall(r"\w+", fold(clause.text or "")))
    return folded.startswith(document_cues("basis_clause")) or _ENACTS.search(folded) is not None


def _formulas_last(scored: list) -> list:
    """``scored`` with the preamble's formula lines (:func:`formula`) after every other clause, when
    any other is ranked: a content question is answered by what the document says, not by the line
    that names its basis. The rest keep their order."""
    lines = [formula(s.clause) for s in scored]
    rest = [s for s, line in zip(scored, lines) if not line]
    return [*rest, *(s for s, line in zip(scored, lines) if line)] if rest else scored


def _with_intent(answer: Answer, kind: str | None) -> Answer:
    """The question's intent on a retrieval answer, when it has one (no null ``intent`` otherwise)."""
    if kind:
        answer.intent = kind
    return answer
