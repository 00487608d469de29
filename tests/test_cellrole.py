"""The learned cell roles of a task-table row (ingest/cellrole.py). All rows here are SYNTHETIC:
written for these tests, in the style of a provincial plan's task table, not copied from any document."""

from __future__ import annotations

import json

from tracuu.ingest import cellrole
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.tasks import extract_tasks

TASK = "Xây dựng và triển khai hệ thống theo dõi việc thực hiện các nhiệm vụ chuyển đổi số của tỉnh"
LEAD = "Sở Khoa học và Công nghệ"
PARTNERS = "Sở Tài chính, Sở Nội vụ và các cơ quan, đơn vị liên quan"
TIME = "Quý IV/2026"
HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def _row_clause(cells: dict[str, str]) -> Clause:
    text = TASK
    return Clause(clause_id="d:PL.1", doc_id="d", path="PL.1", kind="appendix_row", label="PL.1", marker="1",
                  text=text, heading_chain=[], parent=None, order=1, span=Span(0, len(text), 1, 1), cells=cells)


def test_model_file_is_complete() -> None:
    m = json.loads(cellrole.MODEL_FILE.read_text(encoding="utf-8"))
    assert set(m["roles"]) == set(cellrole.ROLES)
    assert len(m["coef"]) == len(m["roles"]) and all(len(r) == len(m["features"]) for r in m["coef"])
    assert len(m["mean"]) == len(m["scale"]) == len(m["features"])
    assert m["version"] and 0.5 <= m["override"] <= 1.0


def test_model_reads_a_row_with_no_header() -> None:
    names = [f"Cột {k + 1}" for k in range(5)]
    got = cellrole.model_roles(names, ["1", TASK, LEAD, PARTNERS, TIME])
    assert got == ["other", "content", "lead", "coord", "deadline"]


def test_assign_gives_each_role_once() -> None:
    probs = [{"lead": 0.8, "other": 0.2}, {"lead": 0.7, "coord": 0.2, "other": 0.1},
             {"deadline": 0.6, "other": 0.4}, {"deadline": 0.9, "other": 0.1}]
    got = cellrole.assign(probs)
    assert got.count("lead") == 1 and got.count("deadline") == 1
    assert got == ["lead", "coord", "other", "deadline"]
    assert cellrole.assign(probs, skip=[True, False, False, False])[0] == "other"


def test_header_roles_stay_when_the_cells_agree() -> None:
    cells = dict(zip(HEADER, ["1", TASK, LEAD, PARTNERS, TIME]))
    rules = {"task": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "coordinators": "Cơ quan phối hợp",
             "deadline": "Thời gian hoàn thành"}
    assert cellrole.row_roles(cells, rules) == rules


def test_a_lost_header_is_read_from_the_cells() -> None:
    """A row with more cells than header names ("Cột 6"): the names do not line up with the cells."""
    cells = {"STT": "1", "Nhiệm vụ": TASK, "Cơ quan chủ trì": "", "Cơ quan phối hợp": LEAD,
             "Thời gian hoàn thành": PARTNERS, "Cột 6": TIME}
    rules = {"task": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "coordinators": "Cơ quan phối hợp",
             "deadline": "Thời gian hoàn thành"}
    got = cellrole.row_roles(cells, rules)
    assert got["lead"] == "Cơ quan phối hợp" and got["coordinators"] == "Thời gian hoàn thành"
    assert got["deadline"] == "Cột 6"


def test_a_shifted_row_is_read_from_the_cells() -> None:
    """The reader lost the empty partners' cell: the time sits under "Cơ quan phối hợp"."""
    cells = {"STT": "1", "Nhiệm vụ": TASK, "Cơ quan chủ trì": LEAD, "Cơ quan phối hợp": TIME,
             "Thời gian hoàn thành": "Báo cáo kết quả thực hiện"}
    rules = {"task": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "coordinators": "Cơ quan phối hợp",
             "deadline": "Thời gian hoàn thành"}
    got = cellrole.row_roles(cells, rules)
    assert got["lead"] == "Cơ quan chủ trì" and got["deadline"] == "Cơ quan phối hợp"
    assert "coordinators" not in got


def test_two_lead_columns_the_cells_decide() -> None:
    """Two columns both named by a lead cue word: the one whose cell reads as a lead is the lead."""
    cells = {"STT": "1", "Đơn vị": "", "Nhiệm vụ chủ trì": TASK, "Trách nhiệm chủ trì": LEAD,
             "Đơn vị phối hợp": PARTNERS, "Thời gian hoàn thành": TIME}
    rules = {"lead": "Đơn vị", "coordinators": "Đơn vị phối hợp", "deadline": "Thời gian hoàn thành"}
    got = cellrole.row_roles(cells, rules)
    assert got["lead"] == "Trách nhiệm chủ trì"
    assert got["coordinators"] == "Đơn vị phối hợp" and got["deadline"] == "Thời gian hoàn thành"


def test_task_from_a_row_with_no_header() -> None:
    """End to end: an appendix row whose cells no header names gives its lead, partners and time."""
    cells = {f"Cột {k + 1}": v for k, v in enumerate(["1", TASK, LEAD, PARTNERS, TIME])}
    (task,) = extract_tasks([_row_clause(cells)])
    assert [r.name for r in task.lead] == [LEAD]
    assert [r.name for r in task.coordinators][:2] == ["Sở Tài chính", "Sở Nội vụ"]
    assert task.deadline is not None and task.deadline.text == TIME


def test_a_sentence_in_a_second_content_column_is_no_owner() -> None:
    """"Nội dung chính" opening with an agency that leads a sentence: the header's lead column stays."""
    cells = {"STT": "2", "Tên nhiệm vụ": TASK,
             "Nội dung chính": f"- {LEAD} chủ trì nghiên cứu, ban hành hướng dẫn và tổ chức thí điểm tại một số địa phương",
             "Cơ quan chủ trì": f"- {LEAD}; - UBND các huyện", "Cơ quan phối hợp": "Các cơ quan liên quan",
             "Thời gian thực hiện": "Năm 2026"}
    rules = {"task": "Tên nhiệm vụ", "lead": "Cơ quan chủ trì", "coordinators": "Cơ quan phối hợp",
             "deadline": "Thời gian thực hiện"}
    assert cellrole.row_roles(cells, rules) == rules


def test_a_level_column_is_no_owner() -> None:
    """"Cấp trình" holds the body a text goes to (UBND tỉnh): it never takes the lead from the header."""
    cells = {"TT": "1", "Nội dung": TASK, "Cơ quan chủ trì": "Các sở, ban, ngành, Ủy ban nhân dân các xã",
             "Cơ quan phối hợp": "Sở Tư pháp, Sở Nội vụ", "Cấp trình": "Ủy ban nhân dân tỉnh",
             "Sản phẩm": "Quyết định của UBND tỉnh", "Thời hạn hoàn thành": TIME}
    rules = {"task": "Nội dung", "lead": "Cơ quan chủ trì", "coordinators": "Cơ quan phối hợp",
             "product": "Sản phẩm", "deadline": "Thời hạn hoàn thành"}
    assert cellrole.row_roles(cells, rules) == rules


def test_training_tags_follow_the_label() -> None:
    """bench/cellrole_data.py tags each cell with the role the label implies (synthetic label)."""
    from tracuu.ingest.agencies import load_gazetteer

    from bench.cellrole_data import tag_cells
    from bench.realdocs_tasks import _heads

    label = {"anchor": "1 | Xây dựng và triển khai hệ thống theo dõi", "lead": [LEAD],
             "coordinators": ["Sở Tài chính", "Sở Nội vụ", "các cơ quan, đơn vị liên quan"], "deadline": TIME}
    cells = dict(zip(HEADER, ["1", TASK, LEAD, PARTNERS, TIME]))
    got = tag_cells(label, cells, load_gazetteer(), _heads())
    assert got == ["other", "content", "lead", "coord", "deadline"]


def test_assign_equals_every_assignment_tried() -> None:
    """assign tries only each role's 4 best cells; on made-up rows (ties included) it picks what
    trying every assignment picks."""
    import itertools
    import math
    import random

    def brute(probs: list[dict[str, float]]) -> list[str]:
        def lp(k: int, r: str) -> float:
            return math.log(max(probs[k].get(r, 0.0), 1e-9))

        roles = ("content", "lead", "coord", "deadline")
        best, out = -math.inf, ["other"] * len(probs)
        for pick in itertools.product([None, *range(len(probs))], repeat=4):
            used = [k for k in pick if k is not None]
            if len(set(used)) != len(used):
                continue
            score = sum(lp(k, "other") for k in range(len(probs)))
            score += sum(lp(k, r) - lp(k, "other") for k, r in zip(pick, roles) if k is not None)
            if score > best + 1e-12:
                best, out = score, ["other"] * len(probs)
                for k, r in zip(pick, roles):
                    if k is not None:
                        out[k] = r
        return out

    rnd = random.Random(20261130)
    names = ("content", "lead", "coord", "deadline", "other")
    for _ in range(200):
        n = rnd.randint(1, 9)
        if rnd.random() < 0.5:  # distinct values, so the best assignment is unique
            probs = [{r: rnd.random() for r in names} for _ in range(n)]
            assert cellrole.assign(probs) == brute(probs)
        else:  # ties: the same best score
            vals = (0.1, 0.3, 0.6)
            probs = [{r: rnd.choice(vals) for r in names} for _ in range(n)]
            got, scored = cellrole.assign(probs), brute(probs)
            totals = [sum(math.log(probs[k][r]) for k, r in enumerate(roles)) for roles in (got, scored)]
            assert math.isclose(*totals)
