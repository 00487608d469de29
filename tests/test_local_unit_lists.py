"""Provincial plans (h14-khcoord): names of the commune level written as a list of units, and other
name shapes of coordinators. The sentences are SYNTHETIC (invented wording in the style of a
provincial plan of tỉnh A), never a real document's text."""

from __future__ import annotations

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.tasks import _Roles, _Text


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _names(text: str, g) -> list[str]:
    return [m.text for m in _Text(text, "x", g).mentions]


def _partners(text: str, g) -> list[str]:
    return [m.full if m.matched == "shared" else m.text for m in _Text(text, "x", g).partners(_Roles(g))]


@pytest.mark.parametrize("name", ["Ủy ban nhân dân xã, phường và đặc khu", "Công an phường, xã, đặc khu",
                                  "UBND các xã/phường", "Ủy ban nhân dân các xã, phường, thị trấn, đặc khu"])
def test_a_list_of_local_units_is_one_body(g, name: str) -> None:
    got = [m for m in _Text(f"{name} chủ động rà soát hồ sơ.", "x", g).mentions if m.start == 0]
    assert [m.text for m in got] == [name]
    assert got[0].agency_id is not None  # still the collective the gazetteer knows


def test_a_unit_before_a_place_name_is_that_place(g) -> None:
    # "… và đặc khu Cồn Đảo": the special zone named, not one more unit of the list
    assert "UBND các xã, phường" in _names("Sở Tài chính phối hợp với UBND các xã, phường và đặc khu Cồn Đảo "
                                           "kiểm tra.", g)


def test_partner_list_goes_on_after_a_unit_list(g) -> None:
    assert _partners("Sở Y tế chủ trì, phối hợp với Công an phường, xã, đặc khu và các đơn vị có liên quan "
                     "kiểm tra.", g) == ["Công an phường, xã, đặc khu", "các đơn vị có liên quan"]


@pytest.mark.parametrize("name", ["Các cơ quan thông tin, truyền thông của tỉnh", "Các cơ sở sản xuất giống, NTTS thương phẩm"])
def test_two_fields_of_one_kind_are_one_collective(g, name: str) -> None:
    assert _names(f"4. {name}: Xây dựng kế hoạch tuyên truyền.", g) == [name]


def test_a_verb_after_the_comma_is_no_second_field(g) -> None:
    for text in ("Các cơ quan thông tin, kiểm tra việc thực hiện.", "Các cơ quan thông tin, rà soát hồ sơ."):
        names = _names(text, g)
        assert names and "," not in names[0]
