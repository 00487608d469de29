"""The agency noun-phrase recogniser (ingest/agencyphrase.py) and where the gazetteer uses it.

Every sentence here is SYNTHETIC (invented wording and bodies; "Bình Sơn" is the invented province
of the shared fixtures). The recogniser reads names by their shape, so the bodies named here are
deliberately ones the gazetteer does not list.
"""

from __future__ import annotations

import pytest
from tracuu.ingest.agencies import find_agencies, tokenize
from tracuu.ingest.agencyphrase import find_phrases, load_words, phrase_end
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.tasks import extract_tasks


def _clauses(rows: list[tuple[str, str | None, str]]) -> list[Clause]:
    """(path, parent path, text) -> clauses in that order."""
    return [
        Clause(clause_id=f"t:{p}", doc_id="t", path=p, kind="diem", label=p, marker="", text=t,
               heading_chain=[], parent=parent, order=i, span=Span(0, len(t), 1, 1))
        for i, (p, parent, t) in enumerate(rows)
    ]


def phrases(text: str) -> list[str]:
    return [text[a:b] for a, b in find_phrases(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an open head goes on in lower case up to a capitalised place
        ("Ban quản lý Khu kinh tế Bình Sơn có trách nhiệm rà soát", "Ban quản lý Khu kinh tế Bình Sơn"),
        # "các" inside a name, before a capitalised word; a level ends it
        ("Ban Quản lý các Khu công nghiệp tỉnh chủ trì", "Ban Quản lý các Khu công nghiệp tỉnh"),
        # a complete head alone, and with lower-case words up to a function word
        ("Tổ công tác liên ngành của tỉnh có trách nhiệm", "Tổ công tác liên ngành"),
        # a group named by what it carries out
        ("Tổ công tác triển khai Đề án 12 theo dõi", "Tổ công tác triển khai Đề án 12"),
        # a standing body of a committee; "Tỉnh ủy" is a name's word, not the level "tỉnh"
        ("Thường trực Tỉnh ủy chỉ đạo", "Thường trực Tỉnh ủy"),
        # one "và" and a list of fields joined by commas inside a name
        ("Sở Văn hóa, Nghệ thuật và Lễ hội phối hợp", "Sở Văn hóa, Nghệ thuật và Lễ hội"),
        # the syllable after a capitalised one is its word even when it reads as a verb elsewhere
        ("Cục Quốc phòng Biên giới thực hiện", "Cục Quốc phòng Biên giới"),
        # a press body with an open head, ending at its level
        ("Đài truyền hình Bình Sơn đưa tin", "Đài truyền hình Bình Sơn"),
        # levels chain, then a place
        ("Ủy ban Hòa giải Việt Nam tỉnh Bình Sơn tham gia", "Ủy ban Hòa giải Việt Nam tỉnh Bình Sơn"),
    ],
)
def test_reads_a_name_by_its_shape(text: str, name: str) -> None:
    assert phrases(text)[0] == name


def test_a_list_gives_one_name_each() -> None:
    text = "Sở Ngoại vụ, Ban quản lý Khu kinh tế Bình Sơn và Cục Quản lý chợ tỉnh phối hợp"
    assert phrases(text) == ["Sở Ngoại vụ", "Ban quản lý Khu kinh tế Bình Sơn", "Cục Quản lý chợ tỉnh"]


def test_a_second_và_or_a_head_of_agency_ends_the_name() -> None:
    assert phrases("Sở Khoa học và Sáng tạo và Công an tỉnh")[0] == "Sở Khoa học và Sáng tạo"
    assert phrases("Sở Ngoại vụ, Giám đốc Sở Y tế")[0] == "Sở Ngoại vụ"


@pytest.mark.parametrize(
    "text",
    [
        "Tổ chức tuyên truyền sâu rộng",  # "Tổ" of the verb "tổ chức"
        "Quy chế này áp dụng",  # "Quy" is not "Quỹ"
        "Thường trực theo dõi",  # "Thường trực" alone is no body
        "các sở, ban, ngành thực hiện",  # lower case: a collective, not a name
        "TỔ CHỨC THỰC HIỆN",  # a heading in capitals
        "Báo cáo kết quả",  # "Báo" of the verb "báo cáo"
    ],
)
def test_reads_no_name_where_there_is_none(text: str) -> None:
    assert phrases(text) == []


def test_cuts_lower_case_words_that_do_not_visibly_end() -> None:
    # an unknown verb after the name: the words after the name's last capitalised word are dropped
    toks = tokenize("Sở Ngoại vụ khảo sát nhu cầu lao động ngoài nước thời vụ mới nhất")
    end = phrase_end(toks, 0, lambda k: k < len(toks))
    assert end is not None and toks[end - 1].text == "vụ"


def test_a_name_never_crosses_a_line_break() -> None:
    text = "Ban quản lý Khu kinh tế\nBình Sơn"
    assert phrases(text) == ["Ban quản lý Khu kinh tế"]


def test_word_lists_come_from_the_data_file() -> None:
    w = load_words()
    assert ("ban", "quản", "lý") in w.open_heads
    assert any(b == ("chủ", "trì") for b in w.boundaries)  # agencies.toml's stop words are included


def test_the_gazetteer_falls_back_on_the_recogniser() -> None:
    found = find_agencies("Sở Y tế, Ban quản lý Khu kinh tế Bình Sơn và Tổ công tác liên ngành phối hợp")
    got = [(m.text, m.agency_id) for m in found]
    assert got[0] == ("Sở Y tế", "so-y-te")
    assert ("Ban quản lý Khu kinh tế Bình Sơn", None) in got
    assert ("Tổ công tác liên ngành", None) in got
    assert all(m.matched == "guess" for m in found[1:])


def test_a_task_led_by_an_unknown_body() -> None:
    (task,) = extract_tasks(_clauses([
        ("1", None, "Ban quản lý Khu kinh tế Bình Sơn chủ trì, phối hợp với Sở Tài chính rà soát quỹ đất."),
    ]))
    assert [r.name for r in task.lead] == ["Ban quản lý Khu kinh tế Bình Sơn"]
    assert [r.name for r in task.coordinators] == ["Sở Tài chính"]


# ---------------------------------------------------------------------- a kind of body opening a point


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Doanh nghiệp bưu chính chủ động mở rộng mạng lưới", "Doanh nghiệp bưu chính"),
        ("- Doanh nghiệp vận tải, hợp tác xã bảo đảm an toàn", "Doanh nghiệp vận tải, hợp tác xã"),
        ("a) Hợp tác xã nông nghiệp tham gia liên kết", "Hợp tác xã nông nghiệp"),
    ],
)
def test_a_kind_of_body_opening_a_point_is_read(text: str, name: str) -> None:
    assert [m.text for m in find_agencies(text)] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Doanh nghiệp được hưởng ưu đãi theo quy định",  # described, given no work
        "Hỗ trợ doanh nghiệp bưu chính chủ động",  # not at the start of the point
        "Doanh nghiệp bưu chính ưu tiên đầu tư",  # no verb of the stop list ends it visibly
        "Tổ chức tuyên truyền cho doanh nghiệp",  # "tổ chức" is left out: it is a verb as often
    ],
)
def test_a_kind_of_body_is_not_read_without_a_visible_subject(text: str) -> None:
    assert not [m for m in find_agencies(text) if m.start == 0]


def test_a_point_with_its_own_kind_of_body_is_its_task() -> None:
    tasks = {t.path: t for t in extract_tasks(_clauses([
        ("5", None, "Các doanh nghiệp, tổ chức có liên quan"),
        ("5.a", "5", "Doanh nghiệp bưu chính chủ động mở rộng mạng lưới điểm phục vụ."),
        ("5.b", "5", "Tuân thủ các quy định về cấp phép xây dựng công trình."),
    ]))}
    assert [r.name for r in tasks["5.a"].lead] == ["Doanh nghiệp bưu chính"]
    assert [r.name for r in tasks["5.b"].lead] == ["Các doanh nghiệp, tổ chức có liên quan"]


# ---------------------------------------------------------------------- a kind of body between two names


def test_a_kind_of_body_between_two_names_of_a_list_is_one_more_item() -> None:
    text = "Sở Y tế, Đài Phát thanh Bình Sơn, cơ quan báo chí địa phương và Ủy ban nhân dân cấp xã tham gia"
    assert [m.text for m in find_agencies(text)] == [
        "Sở Y tế", "Đài Phát thanh Bình Sơn", "cơ quan báo chí địa phương", "Ủy ban nhân dân cấp xã"]
    text = "Hội Nông dân tỉnh, tổ chức đại diện của người nuôi trồng thủy sản và các hợp tác xã tham gia"
    assert "tổ chức đại diện của người nuôi trồng thủy sản" in [m.text for m in find_agencies(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Sở Y tế, đơn vị thực hiện kiểm tra và Sở Tài chính",  # a verb inside: not a name
        "Sở Y tế, cơ quan báo chí theo dõi và Sở Tài chính",  # a verb of the stop list inside
        "Sở Y tế, cơ quan báo chí",  # not between two names
    ],
)
def test_no_item_is_made_of_words_that_are_not_a_kind_of_body(text: str) -> None:
    got = [m.text for m in find_agencies(text)]
    assert all(n in ("Sở Y tế", "Sở Tài chính") for n in got)
