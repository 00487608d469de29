"""The public shapes (ingest/shapes.py): one definition each, returned by every service method
that declares one, the same due dates on every path, and no settings read below api/.

Why: issue 12 ("typed end to end") found the document's metadata written six times and the
task/answer dicts two or three times, drifting apart (``/deadlines`` and ``Deadline.due_before``
disagreed on "quý IV hằng năm"), and settings read from the environment in five places.
"""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from tracuu.api import citations, schemas
from tracuu.api.service import Tracuu
from tracuu.ingest import shapes
from tracuu.ingest.deadlines import Deadline as ParsedDeadline
from tracuu.ingest.deadlines import find_deadlines, main_deadline

ROOT = Path(__file__).resolve().parent.parent
SHAPES = [obj for obj in vars(shapes).values()
          if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == shapes.__name__]


# --------------------------------------------------------------------------- one definition


def _fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


def _every_model_class() -> list[type]:
    """Every pydantic model and dataclass defined in the project's modules."""
    import dataclasses
    import importlib
    import pkgutil

    import tracuu

    found = []
    for pkg in ("ingest", "index", "api"):
        base = importlib.import_module(f"tracuu.{pkg}")
        for info in pkgutil.walk_packages(base.__path__, f"tracuu.{pkg}."):
            if info.name.endswith(("__main__", ".worker")):
                continue
            try:
                mod = importlib.import_module(info.name)
            except ImportError:  # an optional dependency (a loader) missing here
                continue
            for obj in vars(mod).values():
                if inspect.isclass(obj) and obj.__module__ == mod.__name__ and (
                        issubclass(obj, BaseModel) or dataclasses.is_dataclass(obj)):
                    found.append(obj)
    assert tracuu and found
    return found


def test_no_other_class_repeats_a_shape():
    """No model or dataclass outside ingest/shapes.py has the same fields as one of its shapes
    (the old DocumentInfo, DocMeta, DocumentOut, TaskOut, ... are gone or are these)."""
    import dataclasses

    ours = {_fields(m): m.__name__ for m in SHAPES}
    for cls in _every_model_class():
        if cls.__module__ == shapes.__name__:
            continue
        names = frozenset(cls.model_fields) if issubclass(cls, BaseModel) else frozenset(
            f.name for f in dataclasses.fields(cls))
        assert names not in ours, f"{cls.__module__}.{cls.__name__} repeats ingest.shapes.{ours[names]}"


def test_the_api_and_the_citations_use_the_shapes():
    """schemas.py keeps only request and error models; what it names as responses are the shapes."""
    for name in ("Hit", "Document", "DocumentDetail", "Answer", "Task", "AgencyRef", "Deadline", "Health",
                 "SearchResult", "ClauseNode", "Owner", "Agency", "AgencyTasks"):
        assert getattr(schemas, name) is getattr(shapes, name)
    for old, new in (("DocumentOut", "Document"), ("AskResponse", "Answer"), ("TaskOut", "Task"),
                     ("DeadlineOut", "Deadline"), ("AgencyRefOut", "AgencyRef"), ("SearchResponse", "SearchResult"),
                     ("ReferenceOut", "Reference"), ("AgencyOut", "Agency")):
        assert getattr(schemas, old) is getattr(shapes, new)
    assert citations.DocumentInfo is shapes.Document
    own = [obj for obj in vars(schemas).values()
           if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == schemas.__name__]
    assert {c.__name__ for c in own} == {"AskRequest"}
    for name in ("ErrorOut", "IngestReport", "Related", "CiteLink", "ImplementsLink", "LinkedClause"):
        assert getattr(schemas, name) is getattr(shapes, name)
    from tracuu.index import passages

    assert passages.DocMeta is shapes.Document


# --------------------------------------------------------------------------- services return them


def _declared(method) -> object:
    return typing.get_type_hints(method).get("return")  # resolved in the job module that defines it


def _check(value, declared) -> None:
    origin = typing.get_origin(declared)
    if origin is list:
        (item,) = typing.get_args(declared)
        assert isinstance(value, list) and value, value
        for v in value:
            assert type(v) is item, (type(v), item)
    else:
        assert type(value) is declared, (type(value), declared)


def test_every_service_method_returns_the_shape_it_declares(kb):
    from conftest import BUNDLED_PLAN

    doc_id = "kh-an-giang-ct-39"
    agency = kb.agencies()[0].agency_id
    calls = {
        "search": lambda: kb.search("báo cáo kết quả thực hiện", k=3),
        "ask": lambda: kb.ask("Ai chủ trì tổ chức thực hiện Chỉ thị 39?"),
        "documents": kb.documents,
        "document": lambda: kb.document(doc_id),
        "clause": lambda: kb.clause(f"{doc_id}:II.1.đ"),
        "tasks": kb.tasks,
        "agencies": kb.agencies,
        "agency_tasks": lambda: kb.agency_tasks(agency),
        "health": kb.health,
        "doc_info": lambda: kb.doc_info(doc_id),
        "hit": lambda: kb.hit(kb.store().clause(f"{doc_id}:II.1.đ"), 0.5),
        "related": lambda: kb.related(f"{doc_id}:II.1.đ"),
        "ingest": lambda: kb.ingest([BUNDLED_PLAN]),  # already stored: reported unchanged, nothing written
        "reindex": kb.reindex,
    }
    for name, call in calls.items():
        declared = _declared(getattr(Tracuu, name))
        _check(call(), declared)
    # and every public method that declares a shape is among those checked
    def is_shape(t) -> bool:
        return t in SHAPES or (typing.get_origin(t) is list and typing.get_args(t)[0] in SHAPES)

    shaped = {n for n, m in inspect.getmembers(Tracuu, inspect.isfunction)
              if not n.startswith("_") and is_shape(_declared(m))}
    assert shaped <= set(calls), shaped - set(calls)


def test_to_json_prints_what_was_given(kb):
    """An answer's JSON lists the fields its composer gave: no null for a field it never set."""
    answer = kb.ask("Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?")
    assert set(answer.to_json()) <= set(shapes.Answer.model_fields)
    assert "question" in answer.to_json() and "tasks_by_role" not in answer.to_json()


# --------------------------------------------------------------------------- one code path for due dates


@pytest.mark.parametrize("text,before,due", [
    ("Báo cáo kết quả thực hiện trong Quý IV hằng năm.", (30, 9), False),
    ("Báo cáo kết quả thực hiện trong Quý IV hằng năm.", (31, 12), True),
    ("Hoàn thành trước ngày 15/9 hằng năm.", (30, 9), True),
    ("Hoàn thành trong Quý III năm 2025.", (30, 9), True),
])
def test_deadline_due_before_is_one_code_path(text, before, due):
    """The API's Deadline (what /deadlines filters on) and ingest's agree, through one function."""
    parsed = main_deadline(find_deadlines(text))
    assert parsed is not None
    shown = shapes.Deadline.of(parsed)
    assert parsed.due_before(*before) is due
    assert shown.due_before(*before) is due
    assert shown.first_due() == parsed.first_due()
    assert ParsedDeadline.from_dict(shown.model_dump()).due_dates() == parsed.due_dates()


# A synthetic plan written for this test (not the text of any real document).
QUARTER_PLAN = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 901/KH-UBND
Thử Nghiệm, ngày 5 tháng 3 năm 2031
KẾ HOẠCH
Thử nghiệm về thời hạn theo quý (văn bản tổng hợp cho kiểm thử)
I. MỤC ĐÍCH
1. Kiểm tra cách đọc thời hạn theo quý.
II. NHIỆM VỤ
1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tổng hợp báo cáo thử nghiệm gửi Ủy ban nhân dân tỉnh; thời gian thực hiện: Quý IV hằng năm.
2. Sở Nội vụ chủ trì rà soát hồ sơ thử nghiệm, hoàn thành trước ngày 15/9 hằng năm.
Nơi nhận:
- Sở Tài chính;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Người Thử
"""


def test_quarter_iv_every_year_on_the_deadlines_page(tmp_path):
    """"Quý IV hằng năm" is due on 31/12 every year: the /deadlines page lists it before 31/12 and
    not before 30/9, exactly as Deadline.due_before says (the disagreement issue 12 found)."""
    from fastapi.testclient import TestClient
    from tracuu.api.http import create_app

    from conftest import hash_kb

    plan = tmp_path / "ke-hoach-thu-quy.txt"
    plan.write_text(QUARTER_PLAN, encoding="utf-8")
    svc = hash_kb(tmp_path / "data")
    assert [r.status for r in svc.ingest([plan])] == ["ok"]
    by_text = {t.deadline.text: t for t in svc.tasks() if t.deadline}
    q4, sept = by_text["Quý IV hằng năm"], by_text["trước ngày 15/9 hằng năm"]
    assert (q4.deadline.quarter, q4.deadline.recurrence) == (4, "yearly")
    assert q4.deadline.due_before(31, 12) and not q4.deadline.due_before(30, 9)
    assert sept.deadline.due_before(30, 9)
    client = TestClient(create_app(svc))
    for before, listed in (("31/12", {q4.task_id, sept.task_id}), ("30/9", {sept.task_id})):
        page = client.get("/deadlines", params={"before": before})
        assert page.status_code == 200
        for t in (q4, sept):
            assert (f'data-clause-id="{t.clause_id}"' in page.text) is (t.task_id in listed), (before, t.deadline.text)
        assert {t.task_id for t in (q4, sept) if t.deadline.due_before(*parse(before))} == listed


def parse(before: str) -> tuple[int, int]:
    day, month = before.split("/")
    return int(day), int(month)


# --------------------------------------------------------------------------- settings read once


def test_no_module_below_api_reads_the_environment():
    """Settings are read once (api/config.py) and passed down: ingest/ and index/ never read
    os.environ / os.getenv (passing the environment on to a child process is not reading it)."""
    reads = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[")
    offenders = []
    for folder in ("ingest", "index"):
        for path in (ROOT / folder).rglob("*.py"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if reads.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, offenders


def test_env_names_still_reach_the_lower_layers(monkeypatch, tmp_path):
    from tracuu.api.config import Settings

    for var, value in (("TRACUU_TESSERACT", "/opt/tess"), ("TRACUU_SOFFICE", ""), ("TRACUU_INGEST_ISOLATION", "inline"),
                       ("TRACUU_OCR_MAX_PAGES", "3"), ("TRACUU_MIN_FREE_MB", "7"), ("TRACUU_VECTOR_PROBE", "subprocess")):
        monkeypatch.setenv(var, value)
    s = Settings.from_env(data_dir=tmp_path)
    r = s.reading
    assert (r.tesseract, r.soffice, r.isolation, r.limits.ocr_max_pages) == ("/opt/tess", "", "inline", 3)
    assert (s.min_free_mb, s.vector_probe) == (7, "subprocess")


def test_the_service_passes_its_settings_down(tmp_path, monkeypatch):
    """The file reader gets the service's reading settings, the index its disk floor and probe."""
    import tracuu.api.service as service
    from tracuu.api.config import Settings

    from conftest import BUNDLED_PLAN

    monkeypatch.setenv("TRACUU_OCR_MAX_PAGES", "5")
    monkeypatch.setenv("TRACUU_MIN_FREE_MB", "1")
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))
    seen = []
    real = service.ingest_untrusted

    def spy(path, manifest, lim=None, how=None):
        seen.append(how)
        return real(path, manifest, lim, how=how)

    monkeypatch.setattr(service, "ingest_untrusted", spy)
    (report,) = svc.ingest([BUNDLED_PLAN])
    assert report.status == "ok"
    assert seen == [svc.settings.reading] and seen[0].limits.ocr_max_pages == 5
    assert svc.index.min_free_mb == 1 and svc.index._vector_probe == "files"
