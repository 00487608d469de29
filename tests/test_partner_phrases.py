"""Partners read from more of the ways officials name them (h18-coord). Every sentence here is
SYNTHETIC (made up for the test, in the wording officials use), never a real document's text.

* "X chủ trì, làm việc với A, B …" names whom the lead works with (partners), as "phối hợp với"
  does; "phối với" is "phối hợp với" clipped. A meeting someone chaired ("chủ trì buổi làm việc
  với …") names no partner;
* the airports corporation is a known body under its abbreviation ("ACV").
"""

from __future__ import annotations

from tracuu.ingest.tasks import extract_tasks

from task_text import _clauses, _one, names


def test_whom_the_lead_works_with_are_partners() -> None:
    task = _one("Giao Sở Công Thương chủ trì, làm việc với Ủy ban nhân dân xã Tân An, Sở Xây dựng để "
                "thống nhất phương án đầu tư tuyến đường.")
    assert names(task.lead) == ["Sở Công Thương"]
    assert names(task.coordinators) == ["Ủy ban nhân dân xã Tân An", "Sở Xây dựng"]


def test_a_clipped_phoi_hop_names_partners() -> None:
    task = _one("Giao Sở Y tế chủ trì, phối với Sở Tài chính và các cơ quan liên quan rà soát, đề xuất "
                "phương án xử lý.")
    assert names(task.lead) == ["Sở Y tế"]
    assert names(task.coordinators) == ["Sở Tài chính", "các cơ quan liên quan"]


def test_a_meeting_chaired_names_no_partner() -> None:
    tasks = extract_tasks(_clauses(["Ngày 10/11, Phó Chủ tịch đã chủ trì buổi làm việc với lãnh đạo "
                                    "xã Tân An về tình hình sản xuất."]))
    assert all(not t.coordinators for t in tasks)


def test_the_airports_corporation_is_known_by_its_abbreviation() -> None:
    task = _one("Giao Bộ Xây dựng chủ trì, làm việc với Ủy ban nhân dân tỉnh Bình Sơn, ACV để thống nhất "
                "phương án kết nối cảng hàng không.")
    assert names(task.coordinators) == ["Ủy ban nhân dân tỉnh Bình Sơn", "ACV"]
    assert task.coordinators[1].agency_id == "acv"
