"""Deadline forms of round h20-fdeadline: a schedule as written, with the "định kỳ" before it and the
on-request reports after it.

Every sentence below is SYNTHETIC test wording (invented, in the phrasings officials use; "tỉnh A",
"Sở X" are placeholders); none is copied from a real document.
"""

from __future__ import annotations

import pytest
from tracuu.ingest.deadlines import find_deadlines, main_deadline


def main_of(sentence: str):
    found = main_deadline(find_deadlines(sentence))
    assert found is not None
    return found


# --- "định kỳ" right before a due day of every year -------------------------------------------------


@pytest.mark.parametrize("sentence, expected, day, month", [
    ("Sở X gửi báo cáo định kỳ trước ngày 05 tháng 12 hằng năm về tỉnh A.",
     "định kỳ trước ngày 05 tháng 12 hằng năm", 5, 12),
    ("Các huyện tổng hợp kết quả, báo cáo Định kỳ hằng năm (trước ngày 20 tháng 11) về Sở X.",
     "Định kỳ hằng năm (trước ngày 20 tháng 11)", 20, 11),
    ("Sở X báo cáo định kỳ trước ngày 10/6 và 10/12 hằng năm.", "định kỳ trước ngày 10/6 và 10/12 hằng năm", 10, 6),
])
def test_periodic_before_a_yearly_day_is_part_of_it(sentence: str, expected: str, day: int, month: int) -> None:
    found = main_of(sentence)
    assert (found.text, found.day, found.month) == (expected, day, month)


def test_periodic_with_words_between_stays_apart() -> None:
    # "định kỳ" followed by other words first is not joined by this reading
    texts = [d.text for d in find_deadlines("Sở X định kỳ tổng hợp, báo cáo tỉnh A trước ngày 15/12/2026.")]
    assert "trước ngày 15/12/2026" in texts and not any(t.startswith("định kỳ trước") for t in texts)


# --- "hoặc đột xuất", "hoặc / và khi có yêu cầu" after a schedule --------------------------------------


@pytest.mark.parametrize("sentence, expected", [
    ("Sở X báo cáo tỉnh A định kỳ hoặc đột xuất theo yêu cầu.", "định kỳ hoặc đột xuất theo yêu cầu"),
    ("Kết quả được tổng hợp Hằng năm hoặc đột xuất gửi Sở X.", "Hằng năm hoặc đột xuất"),
    ("Sở X báo cáo định kỳ hằng năm và khi có yêu cầu.", "định kỳ hằng năm và khi có yêu cầu"),
    ("Sở X báo cáo định kỳ 06 tháng hoặc đột xuất, gửi tỉnh A.", "định kỳ 06 tháng hoặc đột xuất"),
    ("Sở X báo cáo định kỳ trước ngày 10/6 và 10/12 hằng năm (hoặc đột xuất khi có yêu cầu).",
     "định kỳ trước ngày 10/6 và 10/12 hằng năm (hoặc đột xuất khi có yêu cầu)"),
    ("Sở X báo cáo Định kỳ hàng tháng (trước ngày 12 hàng tháng), 6 tháng (trước ngày 12/6), tổng kết năm "
     "(trước ngày 25/11 hàng năm) hoặc khi có yêu cầu báo cáo đột xuất.",
     "Định kỳ hàng tháng (trước ngày 12 hàng tháng), 6 tháng (trước ngày 12/6), tổng kết năm "
     "(trước ngày 25/11 hàng năm) hoặc khi có yêu cầu báo cáo đột xuất"),
])
def test_on_request_reports_are_part_of_the_schedule(sentence: str, expected: str) -> None:
    assert main_of(sentence).text == expected


def test_on_request_keeps_the_due_day() -> None:
    found = main_of("Sở X báo cáo hằng năm (trước ngày 25/11) hoặc đột xuất khi có yêu cầu.")
    assert found.text == "hằng năm (trước ngày 25/11) hoặc đột xuất khi có yêu cầu"
    assert (found.day, found.month) == (25, 11)


@pytest.mark.parametrize("sentence, expected", [
    # a dated deadline is no schedule: what follows it is another matter
    ("Sở X hoàn thành trước ngày 15/12/2026 hoặc đột xuất khi tỉnh A yêu cầu.", "trước ngày 15/12/2026"),
    # an inspection "định kỳ hoặc đột xuất" names kinds of inspection, no time (as before)
    ("Sở X kiểm tra định kỳ hoặc đột xuất các cơ sở; hoàn thành trước ngày 30/6/2026.", "trước ngày 30/6/2026"),
])
def test_on_request_only_after_a_schedule(sentence: str, expected: str) -> None:
    assert main_of(sentence).text == expected


def test_a_verb_after_the_request_is_not_part_of_it() -> None:
    # "… hoặc khi có yêu cầu báo cáo về Sở X": "báo cáo" opens what is done, the deadline ends before it
    found = main_of("Sở Y tổng hợp định kỳ hằng năm hoặc khi có yêu cầu báo cáo về Sở X.")
    assert found.text == "định kỳ hằng năm hoặc khi có yêu cầu"
