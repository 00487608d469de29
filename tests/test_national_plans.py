"""National plans and Government resolutions (h12-ttgplan). The sentences are SYNTHETIC (invented
wording in the style of a Nghị quyết of the Government or a Công điện of the Prime Minister), never a
real document's text; the bodies named are real central bodies (names, not text)."""

from __future__ import annotations

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.tasks import _Roles, _Text


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _partners(text: str, g) -> list[str]:
    return [m.text for m in _Text(text, "x", g).partners(_Roles(g))]


def test_chu_tri_cung_cap_is_no_partner_cue(g) -> None:
    # "cung cấp" folds like "cùng": "Chủ trì cung cấp …" names no partner, "chủ trì cùng X" does
    assert _partners("Chủ trì cung cấp thông tin liên quan đến hồ sơ tồn đọng.", g) == []
    assert _partners("Sở Y tế chủ trì cùng Sở Tài chính kiểm tra.", g) == ["Sở Tài chính"]
    assert _partners("Bộ Công an phối hợp cung ứng vật tư cho địa phương.", g) == []
