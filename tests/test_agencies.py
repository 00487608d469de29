"""The gazetteer: every name and abbreviation is found and expands; folded matching; unknown names.

Test sentences written here are SYNTHETIC (invented wording; "Bình Sơn" is the invented province of
the shared fixtures). The expected full names come from the shared synthetic fixture
binh-son-214-KH-UBND.expected.json.
"""

from __future__ import annotations

import json

import pytest
from tracuu.ingest.agencies import (
    LEVELS,
    Gazetteer,
    GazetteerError,
    expand,
    expand_abbreviations,
    find_agencies,
    load_gazetteer,
)
from tracuu.ingest.vntext import fold

from conftest import shared_available, shared_fixture, shared_or_skip

G = load_gazetteer()


def only(text: str):
    """The single mention that covers ``text`` whole."""
    found = find_agencies(text)
    assert len(found) == 1, [(m.text, m.agency_id) for m in found]
    m = found[0]
    assert (m.start, m.end) == (0, len(text)), m
    return m


# --- the data files ------------------------------------------------------------------------


def test_gazetteer_is_well_formed():
    assert len(G.entries) > 60
    for entry in G.entries.values():
        assert entry.level in LEVELS
        assert entry.id == fold(entry.id).replace(" ", "-")  # a slug
    required = {
        "ban-bi-thu", "bo-chinh-tri", "thu-tuong-chinh-phu", "chinh-phu", "van-phong-chinh-phu", "bo-tai-chinh",
        "bo-noi-vu", "bo-nong-nghiep-va-moi-truong", "bo-khoa-hoc-va-cong-nghe", "ngan-hang-nha-nuoc-viet-nam",
        "ngan-hang-chinh-sach-xa-hoi", "uy-ban-trung-uong-mttq", "kiem-toan-nha-nuoc", "tinh-uy", "hdnd-tinh",
        "ubnd-tinh", "chu-tich-ubnd-tinh", "so-tai-chinh", "so-nong-nghiep-va-moi-truong", "chi-nhanh-nhcsxh-tinh",
        "uy-ban-mttq-tinh", "hoi-lhpn-tinh", "hoi-nong-dan-tinh", "hoi-cuu-chien-binh-tinh", "tinh-doan",
        "bao-va-phat-thanh-truyen-hinh-tinh", "trung-tam-phuc-vu-hcc-tinh", "trung-tam-dich-vu-viec-lam-tinh",
        "ubnd-cap-xa", "uy-ban-mttq-cap-xa", "cac-so-ban-nganh", "ubnd-cac-cap", "to-chuc-ct-xh-nhan-uy-thac",
        "co-quan-don-vi-lien-quan", "cap-uy-to-chuc-dang", "chinh-quyen-dia-phuong",
    }
    assert required <= set(G.entries)


def test_a_spelling_given_to_two_agencies_is_refused():
    data = {"agency": [
        {"id": "a", "name": "Sở Thử nghiệm", "level": "provincial"},
        {"id": "b", "name": "Sở Khác", "abbreviations": ["Sở Thử nghiệm"], "level": "provincial"},
    ]}
    with pytest.raises(GazetteerError):
        Gazetteer(data, {"abbr": []})


def test_bad_level_is_refused():
    with pytest.raises(GazetteerError):
        Gazetteer({"agency": [{"id": "a", "name": "Sở Thử nghiệm", "level": "district"}]}, {"abbr": []})


@pytest.mark.parametrize("entry_id", sorted(load_gazetteer().entries))
def test_every_written_form_is_found_whole_with_its_id(entry_id):
    entry = G.entries[entry_id]
    for form in (entry.name, *entry.variants, *entry.abbreviations):
        form = form.replace("{tinh}", "Bình Sơn").replace("{so}", "9")
        m = only(form)
        assert m.agency_id == entry_id, (form, m)
        assert m.level == entry.level


@pytest.mark.parametrize("entry_id", sorted(load_gazetteer().entries))
def test_every_abbreviation_expands(entry_id):
    entry = G.entries[entry_id]
    expandable = {fold(a.short) for a in G.abbreviations if a.expand}
    for abbr in entry.abbreviations:
        abbr = abbr.replace("{so}", "9")
        full = expand(abbr)
        assert not any(w in expandable for w in fold(full).replace(",", " ").split()), (abbr, full)
        assert only(full).agency_id in (entry_id, *entry.scoped.values()), (abbr, full)


def test_every_expandable_short_form_expands_alone():
    for a in G.abbreviations:
        if a.expand:
            assert expand_abbreviations(a.short) == a.full, a


def test_abbreviation_table_has_both_directions():
    pairs = dict(G.abbreviation_pairs())
    assert pairs["TDCSXH"] == "tín dụng chính sách xã hội"
    assert pairs["KT-XH"] == "kinh tế - xã hội"
    assert pairs["NN&MT"] == "Nông nghiệp và Môi trường"
    assert pairs["QĐ-TTg"].startswith("Quyết định")
    for short in ("UBND", "HĐND", "NHCSXH", "MTTQ", "CT-XH", "KH&CN", "VH,TT&DL", "CT/TW", "TT.", "CT", "PCT", "LĐVP"):
        assert short in pairs, short
    by_full = {fold(full): short for short, full in G.abbreviation_pairs()}
    assert by_full[fold("Ủy ban nhân dân")] == "UBND"


# --- expansion, against the fixture's *_full values -------------------------------------------


def fixture_pairs():
    if not shared_available():
        return []
    data = json.loads(shared_fixture(".expected.json").read_text(encoding="utf-8"))
    pairs = set()
    for task in data["tasks"]:
        for role in ("lead", "coordinators", "performer"):
            for written, full in zip(task.get(role, []), task.get(role + "_full", [])):
                pairs.add((written, full))
    return sorted(pairs)


@pytest.mark.parametrize("written,full", **shared_or_skip(fixture_pairs(), n=2))
def test_expand_matches_the_fixture(written, full):
    assert expand(written) == full


@pytest.mark.parametrize(
    "written,full",
    [
        ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
        ("Chi nhánh NHCSXH tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
        ("NHCSXH tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
        ("CN NHCSXH tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
        ("Ủy ban MTTQ các xã, phường", "Ủy ban Mặt trận Tổ quốc các xã, phường"),
        ("UB MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("TT. HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh"),
        ("UBND tỉnh Bình Sơn", "Ủy ban nhân dân tỉnh Bình Sơn"),
        ("Ủy ban nhân dân (UBND) tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Sở Ngoại vụ", "Sở Ngoại vụ"),  # unknown: kept as written
    ],
)
def test_expand(written, full):
    assert expand(written) == full


# --- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written,agency_id",
    [
        ("ubnd tinh", "ubnd-tinh"),
        ("UBND tinh", "ubnd-tinh"),
        ("so tai chinh", "so-tai-chinh"),
        ("uỷ ban nhân dân tỉnh", "ubnd-tinh"),
        ("Ủy ban nhân dân tỉnh", "ubnd-tinh"),
        ("ỦY BAN NHÂN DÂN TỈNH", "ubnd-tinh"),
        ("chi nhanh nhcsxh tinh", "chi-nhanh-nhcsxh-tinh"),
        ("So Van hoa, The thao va Du lich", "so-van-hoa-the-thao-va-du-lich"),
        ("Sở Văn hoá, Thể thao và Du lịch", "so-van-hoa-the-thao-va-du-lich"),
        ("Sở Tài chính tỉnh", "so-tai-chinh"),
        ("Các tổ chức CT-XH nhận ủy thác", "to-chuc-ct-xh-nhan-uy-thac"),
        ("Ủy ban nhân dân các xã, phường, đặc khu", "ubnd-cap-xa"),
        ("UBND các xã, phường, đặc khu", "ubnd-cap-xa"),
        ("Báo và Phát thanh - Truyền hình An Giang", "bao-va-phat-thanh-truyen-hinh-tinh"),
        ("Ngân hàng Nhà nước Khu vực 9", "nhnn-khu-vuc"),
        ("Ban Thường vụ Tỉnh ủy Bình Sơn", "ban-thuong-vu-tinh-uy"),
    ],
)
def test_folded_and_variant_spellings(written, agency_id):
    assert only(written).agency_id == agency_id


def test_longest_name_wins_and_names_with_commas_stay_whole():
    # SYNTHETIC sentence
    text = ("Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Báo và Phát thanh, Truyền hình Bình Sơn, "
            "Văn phòng UBND tỉnh, Chi nhánh NHCSXH tỉnh và Sở Nông nghiệp và Môi trường thực hiện.")
    found = find_agencies(text)
    assert [m.text for m in found] == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Báo và Phát thanh, Truyền hình Bình Sơn",
        "Văn phòng UBND tỉnh",
        "Chi nhánh NHCSXH tỉnh",
        "Sở Nông nghiệp và Môi trường",
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[1].province == "Bình Sơn"
    assert found[1].name == "Báo và Phát thanh, Truyền hình Bình Sơn"
    assert found[2].agency_id == "van-phong-ubnd-tinh"
    assert found[2].full == "Văn phòng Ủy ban nhân dân tỉnh"


def test_province_after_tinh_is_part_of_the_name():
    m = only("Ủy ban nhân dân tỉnh An Giang")
    assert (m.agency_id, m.province, m.name) == ("ubnd-tinh", "An Giang", "Ủy ban nhân dân tỉnh An Giang")


def test_a_line_break_separates_names():
    cell = "Báo và Phát thanh, Truyền hình Bình Sơn\nChi nhánh NHCSXH tỉnh"
    assert [m.agency_id for m in find_agencies(cell)] == ["bao-va-phat-thanh-truyen-hinh-tinh", "chi-nhanh-nhcsxh-tinh"]


@pytest.mark.parametrize(
    "text,name,level",
    [
        ("Sở Ngoại vụ tỉnh phối hợp thực hiện", "Sở Ngoại vụ tỉnh", "provincial"),  # SYNTHETIC
        ("Ban Dân tộc tỉnh chủ trì", "Ban Dân tộc tỉnh", "provincial"),  # SYNTHETIC
        ("giao Trung tâm Khuyến nông tỉnh Bình Sơn thực hiện", "Trung tâm Khuyến nông tỉnh Bình Sơn", "provincial"),
        ("Chi nhánh Ngân hàng Phát triển Khu vực Bình Sơn có trách nhiệm", "Chi nhánh Ngân hàng Phát triển Khu vực Bình Sơn", None),
        ("Sở Ngoại vụ", "Sở Ngoại vụ", None),
    ],
)
def test_unknown_but_well_formed_names_are_recognised(text, name, level):
    found = [m for m in find_agencies(text) if m.agency_id is None]
    assert [m.text for m in found] == [name]
    assert found[0].matched == "guess"
    assert found[0].level == level


@pytest.mark.parametrize(
    "text",
    [
        "Thời gian hoàn thành: Quý IV năm 2025.",  # a quarter, not a "Quỹ"
        "Ban hành kèm theo Kế hoạch số 214/KH-UBND",  # a symbol, and "Ban" as a verb
        "Hội nghị quán triệt; báo cáo kết quả",
        "Sở dĩ phải làm ngay",
        "tinh thần đoàn kết của tỉnh đoàn kết",
        "II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
    ],
)
def test_no_agency_in_ordinary_words(text):
    assert find_agencies(text) == []


def test_a_level_word_after_a_list_scopes_a_levelless_name():
    # The wording of An Giang III.3 / II.1.đ: "Ủy ban MTTQ Việt Nam và các tổ chức CT-XH ... tỉnh".
    bare = only("Ủy ban Mặt trận Tổ quốc Việt Nam")
    assert bare.agency_id == "uy-ban-mttq" and bare.level == "group"
    tail = find_agencies("và các tổ chức chính trị - xã hội cấp tỉnh")[0]
    scoped = G.scoped(bare, G.scope_of(tail))
    assert (scoped.agency_id, scoped.level) == ("uy-ban-mttq-tinh", "provincial")
    assert scoped.text == "Ủy ban Mặt trận Tổ quốc Việt Nam"
