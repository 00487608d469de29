"""The agency onboarding brief (page, print layout, .docx) and the deadlines calendar (.ics).

Both are parsed back with their own libraries (python-docx, icalendar); expected rows come from
the service's tasks, so the tests check that the brief and the feed carry what the knowledge base
says. The recurrence rules are also checked on synthetic deadlines made here.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from tracuu.api.calendar_feed import feed, schedule
from tracuu.api.http import create_app
from tracuu.ingest.shapes import AgencyRef, Deadline, Task

AGENCY = "chi-nhanh-nhcsxh-tinh"


@pytest.fixture(scope="module")
def client(kb_all):
    return TestClient(create_app(kb_all))


def test_brief_page_lists_every_task_by_role(client, kb_all):
    tasks = kb_all.tasks(agency=AGENCY)
    r = client.get(f"/agencies/{AGENCY}/brief")
    assert r.status_code == 200
    page = r.text
    for t in tasks:
        assert t.citation in page
    assert "Nhiệm vụ chủ trì" in page and "Căn cứ" in page
    assert "Tóm tắt cho cán bộ mới" in client.get(f"/agencies/{AGENCY}").text
    lead = [t for t in tasks if "lead" in t.roles]
    assert f"Chủ trì {len(lead)} nhiệm vụ" in page


def test_brief_docx(client, kb_all):
    import docx

    r = client.get(f"/agencies/{AGENCY}/brief", params={"format": "docx"})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    d = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "TÓM TẮT NHIỆM VỤ" in text and kb_all.agency_tasks(AGENCY).agency.agency in text
    for t in kb_all.tasks(agency=AGENCY):
        assert t.text in text and f"[{t.citation}]" in text
    assert d.styles["Normal"].font.name == "Times New Roman"
    assert client.get(f"/agencies/{AGENCY}/brief", params={"format": "pdf"}).status_code == 422
    assert client.get("/agencies/khong-co/brief").status_code == 404


def test_print_stylesheet_hides_the_chrome():
    from tracuu.api.web import STATIC_DIR

    css = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
    print_css = css[css.index("@media print") :]
    assert "@page" in print_css and "size: A4" in print_css and "header.site" in print_css and "Times New Roman" in print_css


def _parse(body: bytes):
    from icalendar import Calendar

    return Calendar.from_ical(body)


def test_ics_feed_for_all_parses_with_rrules(client, kb_all):
    r = client.get("/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = _parse(r.content)
    events = list(cal.walk("VEVENT"))
    dates = {d.doc_id: d.date for d in kb_all.documents()}
    expected = [t for t in kb_all.tasks() if schedule(t.deadline, dates.get(t.doc_id)) is not None]
    assert len(events) == len(expected) > 0
    assert len({str(e["UID"]) for e in events}) == len(events)
    by_url = {}
    for e in events:
        by_url.setdefault(str(e["URL"]).split("/clauses/")[1], []).append(e)
    for t in expected:
        assert t.clause_id in by_url
        ev = by_url[t.clause_id][0]
        assert t.citation in str(ev["DESCRIPTION"])
    yearly = [e for e in events if "RRULE" in e and e["RRULE"]["FREQ"] == ["YEARLY"]]
    assert yearly, "the plans' 'hằng năm' deadlines become yearly events"
    for e in events:
        assert isinstance(e.decoded("DTSTART"), date)


def test_ics_feed_per_agency(client, kb_all):
    r = client.get(f"/agencies/{AGENCY}/calendar.ics")
    assert r.status_code == 200
    cal = _parse(r.content)
    assert "NHCSXH" in str(cal["X-WR-CALNAME"]) or "Ngân hàng" in str(cal["X-WR-CALNAME"])
    urls = {str(e["URL"]).split("/clauses/")[1] for e in cal.walk("VEVENT")}
    mine = {t.clause_id for t in kb_all.tasks(agency=AGENCY)}
    assert urls and urls <= mine
    assert client.get("/agencies/khong-co/calendar.ics").status_code == 404


@pytest.mark.parametrize(
    "deadline,first,rule,period_end",
    [
        ({"text": "trước ngày 30/9 hằng năm", "month": 9, "day": 30, "recurrence": "yearly"}, date(2025, 9, 30), {"FREQ": ["YEARLY"]}, False),
        ({"text": "hằng quý", "recurrence": "quarterly"}, date(2025, 3, 31), {"FREQ": ["MONTHLY"], "INTERVAL": [3], "BYMONTHDAY": [-1]}, True),
        ({"text": "ngày 20 hằng tháng", "day": 20, "recurrence": "monthly"}, date(2025, 1, 20), {"FREQ": ["MONTHLY"], "BYMONTHDAY": [20]}, False),
        ({"text": "định kỳ 6 tháng", "recurrence": "half-yearly"}, date(2025, 6, 30), {"FREQ": ["MONTHLY"], "INTERVAL": [6], "BYMONTHDAY": [-1]}, True),
        ({"text": "trước ngày 15/12/2025", "date": "2025-12-15", "year": 2025, "month": 12, "day": 15}, date(2025, 12, 15), None, False),
    ],
)
def test_recurrences_become_rrules(deadline, first, rule, period_end):
    lead = AgencyRef(agency_id="so-thu", agency="Sở Thử", as_written="Sở Thử", level=None, known=False)
    task = Task(task_id="thu:I.1#1", doc_id="thu", path="I.1", clause_id="thu:I.1", text="Nhiệm vụ thử (tổng hợp cho kiểm thử).",
                lead=[lead], coordinators=[], performer=[], advises=[], reports_to=[], deadline=Deadline(**deadline),
                recurrence=deadline.get("recurrence"), citation="Khoản 1 Mục I Văn bản thử")
    cal = _parse(feed([task], {"thu": "2025-01-05"}, "Thử", "http://x/", lambda c: f"/clauses/{c}"))
    [ev] = list(cal.walk("VEVENT"))
    assert ev.decoded("DTSTART") == first
    if rule is None:
        assert "RRULE" not in ev
    else:
        assert {k: list(v) for k, v in ev["RRULE"].items()} == rule
    assert ("không ghi ngày cụ thể" in str(ev["DESCRIPTION"])) == period_end
    assert str(ev["URL"]) == "http://x/clauses/thu:I.1"


def test_undated_yearly_and_continuous_are_not_put_on_a_date():
    assert schedule(Deadline(text="hằng năm", recurrence="yearly"), "2025-01-01") is None
    assert schedule(Deadline(text="thường xuyên", kind="continuous", recurrence="continuous"), None) is None
    assert schedule(None, None) is None
