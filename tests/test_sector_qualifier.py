"""A collective narrowed by the sector it manages (round 20, h20-gztables): "các bộ quản lý ngành,
lĩnh vực", "các bộ, ngành quản lý lĩnh vực" is one body, the comma inside its qualifier included.

Every Vietnamese line here is SYNTHETIC, written for these tests; none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.tasks import cell_agencies

from table_rows import names


def test_the_sector_a_collective_manages_is_part_of_its_name():
    assert names(cell_agencies("Các bộ quản lý ngành, lĩnh vực")) == ["Các bộ quản lý ngành, lĩnh vực"]
    assert names(cell_agencies("Sở Nội vụ, các bộ, ngành quản lý lĩnh vực")) == [
        "Sở Nội vụ", "các bộ, ngành quản lý lĩnh vực"]
    assert names(cell_agencies("Các sở quản lý ngành; Sở Tài chính")) == ["Các sở quản lý ngành", "Sở Tài chính"]


def test_a_list_after_the_qualifier_goes_on():
    assert names(cell_agencies("Bộ Y tế, các bộ quản lý ngành, lĩnh vực, Sở Y tế")) == [
        "Bộ Y tế", "các bộ quản lý ngành, lĩnh vực", "Sở Y tế"]


def test_a_named_body_is_not_qualified():
    # only a collective takes the qualifier: "Bộ Tài chính quản lý ngành …" is a sentence
    got = names(cell_agencies("Bộ Tài chính quản lý ngành, lĩnh vực"))
    assert "Bộ Tài chính quản lý ngành, lĩnh vực" not in got
