"""Deadlines as an iCalendar (.ics) feed, one per agency and one for all, with the icalendar package.

Why a feed: officials live in their calendar (Outlook, Google, Thunderbird), not in our pages.
Subscribing to /calendar.ics or /agencies/{id}/calendar.ics puts every dated deadline there, and a
recurring one ("trước ngày 30/9 hằng năm", "hằng quý", "hằng tháng") becomes one event with a
recurrence rule instead of a list of copies.

What is put on a date and what is not:
* a full date (15/12/2025): one all-day event;
* a day and month with "hằng năm": yearly from the document's year (this year when undated);
* "hằng quý" / "6 tháng" / "hằng tháng" with a day: that day each quarter/half/month; without a day,
  the last day of each period, and the description says the document names no day;
* "hằng năm" without a day and month, weekly, daily and "định kỳ": not put on a date (the pages
  list them under "không ghi ngày cụ thể").
Each event says the task, the owners, the deadline as written and the citation, and links to the
clause. UIDs are derived from the task id, so a re-ingest updates events instead of duplicating.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from typing import Any

from tracuu.api.tasks_view import ROLES
from tracuu.ingest.shapes import AgencyRef, Deadline, Task

RRULES = {
    "yearly": {"FREQ": "YEARLY"},
    "half-yearly": {"FREQ": "MONTHLY", "INTERVAL": 6},
    "quarterly": {"FREQ": "MONTHLY", "INTERVAL": 3},
    "monthly": {"FREQ": "MONTHLY"},
}
_PERIOD_END_MONTH = {"yearly": 12, "half-yearly": 6, "quarterly": 3, "monthly": 1}


def _start_year(doc_date: str | None) -> int:
    if doc_date:
        try:
            return int(doc_date[:4])
        except ValueError:
            pass
    return date.today().year


def _last_day(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def schedule(deadline: Deadline | None, doc_date: str | None) -> tuple[date, dict[str, Any] | None, bool] | None:
    """(first date, RRULE or None, whether the day is the period's end because none is written)."""
    if not deadline:
        return None
    rec = deadline.recurrence
    year = deadline.year or _start_year(doc_date)
    month, day = deadline.month, deadline.day
    if deadline.date:
        try:
            first = date.fromisoformat(deadline.date)
        except ValueError:
            return None
        return first, (dict(RRULES[rec]) if rec in RRULES else None), False
    if rec == "yearly" or (month and day and not rec):
        if not (month and day):
            return None  # "hằng năm" with no day: nothing to put on a date
        try:
            return date(year, month, day), {"FREQ": "YEARLY"}, False
        except ValueError:
            return None
    if rec in ("half-yearly", "quarterly", "monthly"):
        end_month = _PERIOD_END_MONTH[rec]
        if day:
            return date(year, month or end_month, min(day, _last_day(year, month or end_month))), {**RRULES[rec], "BYMONTHDAY": day}, False
        return date(year, end_month, _last_day(year, end_month)), {**RRULES[rec], "BYMONTHDAY": -1}, True
    if deadline.quarter and not rec:
        m = 3 * int(deadline.quarter)
        return date(year, m, _last_day(year, m)), None, True
    if month and not day and not rec:
        return date(year, month, _last_day(year, month)), None, True
    return None


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _names(refs: list[AgencyRef]) -> str:
    return ", ".join((r.as_written or r.agency or "") for r in refs)


def feed(tasks: list[Task], doc_dates: dict[str, str | None], name: str, base_url: str, clause_path) -> bytes:
    """The .ics bytes for ``tasks`` (each as the service returns it)."""
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("prodid", "-//tracuu//Thoi han nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for t in tasks:
        when = schedule(t.deadline, doc_dates.get(t.doc_id))
        if when is None:
            continue
        first, rule, period_end = when
        ev = Event()
        ev.add("uid", hashlib.sha1(t.task_id.encode("utf-8")).hexdigest() + "@tracuu")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", first)
        ev.add("summary", "Hạn: " + _short(t.text))
        lines = [t.text, ""]
        for label, refs in (("Chủ trì", t.lead), ("Phối hợp", t.coordinators), ("Thực hiện", t.performer),
                            ("Báo cáo về", t.reports_to)):
            if refs:
                lines.append(f"{label}: {_names(refs)}")
        if t.roles:
            lines.append("Vai trò của cơ quan: " + ", ".join(ROLES[r] for r in t.roles if r in ROLES))
        assert t.deadline is not None  # scheduled: it has one
        lines.append(f"Thời hạn ghi trong văn bản: {t.deadline.text}")
        if period_end:
            lines.append("Văn bản không ghi ngày cụ thể; lịch đặt vào ngày cuối kỳ.")
        lines.append(f"Căn cứ: {t.citation}")
        ev.add("description", "\n".join(lines))
        url = base_url.rstrip("/") + clause_path(t.clause_id)
        ev.add("url", url)
        if rule:
            ev.add("rrule", vRecur(rule))
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()


__all__ = ["feed", "schedule", "RRULES"]
