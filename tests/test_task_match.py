"""Owner and deadline questions matched against tasks' own words, and key terms a document
lacks (api/task_match.py, index/abstain.py: missing_key_terms). Made-up text, no knowledge base."""

from __future__ import annotations

from tracuu.api.task_match import best_task, rank_tasks, share, task_words
from tracuu.index.abstain import key_terms, missing_key_terms
from tracuu.index.keyword import BM25Index, folded_syllables

TASKS = [
    {"task_id": "d:1#1", "clause_id": "d:1", "doc_id": "d", "text": "Chủ trì tổ chức diễn tập phòng cháy tại chợ đầu mối.",
     "lead": [{"name": "Sở Công Thương"}], "deadline": {"text": "quý II năm 2027"}},
    {"task_id": "d:2#1", "clause_id": "d:2", "doc_id": "d", "text": "Tuyên truyền về phòng cháy trong trường học.",
     "lead": [{"name": "Sở Giáo dục và Đào tạo"}], "deadline": None},
    {"task_id": "d:3#1", "clause_id": "d:3", "doc_id": "d", "text": "Kiểm tra an toàn thực phẩm tại chợ đầu mối.",
     "lead": [{"name": "Sở Y tế"}], "deadline": {"text": "hằng quý"}},
]
HEADER = "Kế hoạch phòng cháy chữa cháy năm 2026 tỉnh Hòa Lạc"
CORPUS = [*(t["text"] for t in TASKS), HEADER, "Chợ đầu mối nông sản mở cửa hằng ngày.",
          "Trường học tổ chức ngoại khóa.", "Cấp nước sinh hoạt cho khu dân cư.", "Sửa chữa đường giao thông nông thôn."]


def _bm25() -> BM25Index:
    bm25 = BM25Index()
    for i, text in enumerate(CORPUS):
        bm25.add(f"c{i}", text)
    return bm25


def _rank(question: str, retrieval: dict[str, float] | None = None):
    bm25 = _bm25()
    header = set(folded_syllables(HEADER))
    return rank_tasks([question], TASKS, lambda t: task_words(t), lambda _doc: header, bm25.idf, retrieval)


def test_the_task_whose_words_answer_the_question_comes_first():
    ranked = _rank("Cơ quan nào chủ trì diễn tập phòng cháy ở chợ đầu mối?")
    assert ranked[0].task["task_id"] == "d:1#1"
    assert best_task(ranked) is ranked[0]
    # "phòng cháy" is in the plan's title: it says which document, not which task
    assert ranked[0].share > ranked[1].share


def test_retrieval_breaks_what_the_words_leave_open():
    # two tasks hold "đầu mối"; retrieval's preference decides between them
    words_only = _rank("Việc ở chợ đầu mối do ai lo?")
    helped = _rank("Việc ở chợ đầu mối do ai lo?", {"d:3": 1.0})
    assert helped[0].task["task_id"] == "d:3#1"
    assert {m.task["task_id"] for m in words_only[:2]} == {"d:1#1", "d:3#1"}


def test_no_task_covers_a_question_about_something_else():
    ranked = _rank("Ai chủ trì sửa chữa đường giao thông nông thôn?")
    assert best_task(ranked) is None


def test_share_leaves_out_the_words_of_the_document_header():
    idf = _bm25().idf
    terms = ["phong", "chay", "cho"]
    assert share(terms, {"cho"}, {"phong", "chay"}, idf) == 1.0
    assert share(terms, {"cho"}, set(), idf) < 1.0
    assert share(["phong"], set(), {"phong"}, idf) == 0.0  # nothing left to cover


def test_a_rare_word_the_document_never_writes_is_a_missing_key_term():
    bm25 = BM25Index()
    for i, text in enumerate([*CORPUS, *[f"Báo cáo kết quả thực hiện kế hoạch số {n}." for n in range(300)],
                              "Xuất khẩu gạo sang thị trường mới.",
                              "Sản lượng lúa tăng.", "Sản lượng cá giảm."]):
        bm25.add(f"c{i}", text)
    document = set(folded_syllables(" ".join(t["text"] for t in TASKS)))
    in_document = document.__contains__
    # "gạo" is rare in the corpus and not in the fire-safety plan: the plan does not answer
    assert "gao" in key_terms("Sản lượng gạo của tỉnh là bao nhiêu?", bm25.idf)
    assert missing_key_terms(["Sản lượng gạo của tỉnh là bao nhiêu?"], HEADER, in_document, bm25.idf) == ["gao"]
    # the same question about what the plan does write is not refused this way
    assert missing_key_terms(["Diễn tập phòng cháy ở chợ đầu mối do ai chủ trì?"], HEADER, in_document, bm25.idf) == []
    # common words ("báo cáo", "kết quả") are never key terms, written in the document or not
    assert missing_key_terms(["Báo cáo kết quả thế nào?"], HEADER, in_document, bm25.idf) == []


def test_an_abbreviation_is_judged_by_the_reading_that_writes_it_out():
    bm25 = _bm25()
    bm25.add("pccc", "Lực lượng PCCC cơ sở.")
    assert "pccc" not in key_terms("PCCC ở chợ do ai lo?", bm25.idf)
    words = set(folded_syllables(" ".join(t["text"] for t in TASKS)))
    # a reading with the abbreviation written out misses nothing: the fewest missing wins
    readings = ["Diễn tập ở chợ đầu mối nông sản do ai chủ trì?", "Diễn tập ở chợ đầu mối do ai chủ trì?"]
    assert missing_key_terms(readings, "", words.__contains__, bm25.idf) == []
    assert missing_key_terms(readings[:1], "", words.__contains__, bm25.idf) == ["san"]  # "nông" is in 2 clauses


def test_a_word_no_clause_holds_is_not_a_key_term():
    # on a small corpus every word of how a question is put ("lo") is absent from the corpus:
    # absence from the whole corpus says nothing about the document quoted
    bm25 = _bm25()
    assert "lo" not in key_terms("Việc ở chợ đầu mối do ai lo?", bm25.idf)
    assert "lo" not in missing_key_terms(["Việc ở chợ đầu mối do ai lo?"], "", set().__contains__, bm25.idf)


class _FakeService:
    """What agency_without_tasks and without_place read: the tasks naming an agency, a document's name."""

    def __init__(self, tasks_by_agency: dict[str, list[dict]]):
        self.tasks_by_agency = tasks_by_agency

    def _agency_tasks(self, agency: str) -> list[dict]:
        return self.tasks_by_agency.get(agency, [])

    def doc_info(self, doc_id: str):
        from tracuu.ingest.shapes import Document

        return Document(doc_id=doc_id, title=f"Kế hoạch {doc_id}", citation=f"Kế hoạch {doc_id}")


def test_an_agency_with_no_task_in_the_document_asked_about_is_not_answered_with_others_tasks():
    from tracuu.api.intent_answers import agency_without_tasks

    svc = _FakeService({"Sở Du lịch": [{"doc_id": "kh-2", "clause_id": "kh-2:1"}]})
    answer = agency_without_tasks(svc, "Sở Du lịch có nhiệm vụ gì trong kế hoạch 1?", "Sở Du lịch", ["kh-1"])
    assert not answer.found and not answer.citations and not answer.owners
    assert "Không tìm thấy nhiệm vụ nào giao cho «Sở Du lịch»" in answer.answer
    assert "No task of the documents asked about is given to «Sở Du lịch»" in answer.answer
    assert "kh-2" in answer.answer  # where it does have tasks
    nowhere = agency_without_tasks(svc, "Sở Hàng hải có nhiệm vụ gì?", "Sở Hàng hải", None)
    assert not nowhere.found and "the ingested documents" in nowhere.answer


def test_a_place_after_an_agency_is_dropped_only_when_the_shorter_name_has_tasks():
    from tracuu.api.intent_answers import without_place

    svc = _FakeService({"Sở Ngoại vụ": [{"doc_id": "d", "clause_id": "d:1"}]})
    assert without_place(svc, "Sở Ngoại vụ Sơn La") == "Sở Ngoại vụ"
    assert without_place(svc, "Sở Ngoại vụ tỉnh Sơn La") == "Sở Ngoại vụ"
    assert without_place(svc, "Sở Nội vụ Sơn La") == "Sở Nội vụ Sơn La"  # nothing shorter has tasks either
    assert without_place(svc, "Sở Ngoại vụ") == "Sở Ngoại vụ"



def test_words_that_only_ask_for_the_role_are_not_matched():
    # synthetic: "có trách nhiệm" asks who; "báo cáo hằng năm" is what the task must hold
    from tracuu.api.task_match import question_terms

    terms = question_terms("Ai có trách nhiệm báo cáo hằng năm tình hình thực hiện?")
    assert "trach" not in terms and "nhiem" not in terms
    assert {"hang", "nam", "tinh", "hinh"} <= set(terms)
    assert "moi" in question_terms("Việc ở chợ đầu mối do ai lo?")  # a thing, not a role


def test_an_agencys_name_and_the_words_asking_for_its_tasks_are_not_what_is_asked_about():
    # synthetic: "Sở Khoa học và Công nghệ có nhiệm vụ gì về công nghệ số?" asks about "công nghệ số"
    from tracuu.api.task_match import agency_phrases, question_terms

    asked = agency_phrases(["Sở KH&CN", "sở khoa học và công nghệ"])
    terms = question_terms("Sở Khoa học và Công nghệ có nhiệm vụ gì về công nghệ số?", asked)
    assert {"cong", "nghe", "so"} <= set(terms)  # the subject's words, though the name holds them too
    assert "khoa" not in terms and "hoc" not in terms and "nhiem" not in terms


def test_an_agencys_tasks_are_ordered_by_what_the_question_asks_within_each_document():
    from tracuu.api.intent_answers import agency_tasks_answer

    tasks = [
        {"task_id": "a:1#1", "clause_id": "a:1", "doc_id": "a", "text": "Tuyên truyền về an toàn giao thông.",
         "lead": [{"name": "Sở Y tế"}]},
        {"task_id": "a:2#1", "clause_id": "a:2", "doc_id": "a", "text": "Kiểm tra an toàn thực phẩm ở chợ.",
         "lead": [{"name": "Sở Y tế"}]},
        {"task_id": "b:1#1", "clause_id": "b:1", "doc_id": "b", "text": "Kiểm tra an toàn thực phẩm ở trường.",
         "lead": [{"name": "Sở Y tế"}]},
    ]
    svc = _AgencyService(tasks)
    ranked = ["a:1", "b:1", "a:2"]  # retrieval: document a first
    relevance = {"a:2#1": 1.0, "b:1#1": 1.0, "a:1#1": 0.1}
    answer = agency_tasks_answer(svc, "Sở Y tế làm gì về an toàn thực phẩm?", "Sở Y tế", None, ranked,
                                 lambda mine: {t["task_id"]: relevance[t["task_id"]] for t in mine})
    # document a stays first (retrieval chose it); in it, the task about food safety leads
    assert [c.clause_id for c in answer.citations] == ["a:2", "a:1", "b:1"]
    plain = agency_tasks_answer(svc, "Sở Y tế làm gì?", "Sở Y tế", None, ranked, lambda mine: {})
    assert [c.clause_id for c in plain.citations] == ranked  # nothing more asked: retrieval's order


class _AgencyService:
    """The few service calls agency_tasks_answer makes, over made-up tasks."""

    def __init__(self, tasks):
        self.tasks = tasks

    def _agency_tasks(self, agency):
        return self.tasks

    def _task_out(self, task, infos):
        from types import SimpleNamespace

        return SimpleNamespace(citation=task["clause_id"])

    def store(self):
        from types import SimpleNamespace

        clauses = {t["clause_id"]: SimpleNamespace(clause_id=t["clause_id"], doc_id=t["doc_id"], text=t["text"])
                   for t in self.tasks}
        return SimpleNamespace(clause=clauses.get)

    def hit(self, clause, score, info=None):
        from tracuu.ingest.shapes import Hit

        return Hit(clause_id=clause.clause_id, doc_id=clause.doc_id, path="1", label="1", text=clause.text,
                   citation=clause.clause_id, page=1, start=0, end=1, references=[], kind="diem",
                   heading_chain=[], page_end=1, score=score)


# Made-up clause holding two tasks (its text is read for both): the one whose own words answer comes first.
_CLAUSE = ("Đối với 40 thủ tục cần đơn giản hóa, các sở rà soát, trình tỉnh phương án, xong trước ngày 20/10/2026. "
           "Đối với 6 thủ tục cần bãi bỏ, Sở Tư pháp dự thảo quyết định bãi bỏ, trình tỉnh trước ngày 05/11/2026.")
_SHARED = [
    {"task_id": "e:1#1", "clause_id": "e:1", "doc_id": "e", "lead": [{"name": "Các sở"}],
     "text": "Đối với 40 thủ tục cần đơn giản hóa, các sở rà soát, trình tỉnh phương án, xong trước ngày 20/10/2026."},
    {"task_id": "e:1#2", "clause_id": "e:1", "doc_id": "e", "lead": [{"name": "Sở Tư pháp"}],
     "text": "Đối với 6 thủ tục cần bãi bỏ, Sở Tư pháp dự thảo quyết định bãi bỏ, trình tỉnh trước ngày 05/11/2026."},
    {"task_id": "e:2#1", "clause_id": "e:2", "doc_id": "e", "lead": [{"name": "Sở Nội vụ"}],
     "text": "Sở Nội vụ rà soát thủ tục cần bãi bỏ trong lĩnh vực công vụ."},
]


def _rank_shared(question: str, tasks=_SHARED):
    bm25 = BM25Index()
    for i, text in enumerate([_CLAUSE, *(t["text"] for t in tasks), "Cấp nước sinh hoạt cho khu dân cư."]):
        bm25.add(f"c{i}", text)
    return rank_tasks([question], tasks, lambda t: task_words(t, _CLAUSE if t["clause_id"] == "e:1" else ""),
                      lambda _doc: set(), bm25.idf, {"e:1": 1.0, "e:2": 0.2})


def test_of_the_tasks_of_one_clause_its_own_words_decide():
    # both tasks of e:1 are read with the whole clause and tie; the second one's own text is the one asked
    ranked = _rank_shared("Ai dự thảo quyết định bãi bỏ 6 thủ tục, trước ngày nào?")
    assert [m.task["task_id"] for m in ranked[:2]] == ["e:1#2", "e:1#1"]
    assert ranked[0].score == ranked[1].score
    ranked = _rank_shared("Ai rà soát 40 thủ tục cần đơn giản hóa, trình phương án?")
    assert ranked[0].task["task_id"] == "e:1#1"


def test_tied_tasks_of_other_clauses_keep_their_order():
    # a tie between clauses is not broken by the own-text share: the earlier task stays first
    tasks = [{**_SHARED[2], "clause_id": "e:3"}, _SHARED[0], _SHARED[1]]
    bm25 = BM25Index()
    for i, text in enumerate([t["text"] for t in tasks]):
        bm25.add(f"c{i}", text)
    ranked = rank_tasks(["thủ tục"], tasks, lambda t: {"thu", "tuc"}, lambda _doc: set(), bm25.idf, {})
    assert [m.task["task_id"] for m in ranked] == ["e:2#1", "e:1#1", "e:1#2"]
