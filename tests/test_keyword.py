"""The BM25 keyword index. Texts are synthetic test sentences, not from any real document."""

from __future__ import annotations

import random
import time

from tracuu.index.keyword import BM25Index, tokens

CLAUSES = [  # synthetic
    ("d:1", "Rà soát hồ sơ vay vốn hằng năm tại các chi nhánh ngân hàng (thử nghiệm)."),
    ("d:2", "Đẩy mạnh công tác tuyên truyền trên báo chí (thử nghiệm)."),
    ("d:3", "Phấn đấu giữ tỷ lệ nợ quá hạn dưới 1% tổng dư nợ (thử nghiệm)."),
    ("d:4", "Hàng hóa nhập về kho được kiểm đếm; ngân sách chi trả theo quý (thử nghiệm)."),
    ("e:1", "Ủy ban kiểm tra việc thực hiện Quyết định số 12/QĐ-TEST (thử nghiệm)."),
]


def _index() -> BM25Index:
    ix = BM25Index()
    ix.add_many(CLAUSES)
    return ix


def test_tokens_are_folded_syllables_and_bigrams() -> None:
    assert tokens("Ngân hàng") == ["ngan", "hang", "ngan_hang"]
    assert tokens("Hằng năm") == tokens("hàng năm") == tokens("hang nam")
    assert tokens("QĐ-TTg") == ["qd", "ttg", "qd_ttg"]
    assert tokens("") == []


def test_memoised_folding_equals_vntext() -> None:
    from tracuu.index.keyword import folded_syllables
    from tracuu.ingest.vntext import syllables

    rnd = random.Random(3)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" \
        "AĂÂĐÊÔƠƯÀÁẠỦỨ0123456789 \t\n\u00a0/-.,;:()%\u0301\u0300"
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        assert folded_syllables(text) == syllables(text), repr(text)


def test_diacritics_optional() -> None:
    ix = _index()
    for q in ("hằng năm", "hàng năm", "hang nam", "HẰNG NĂM"):
        assert ix.search(q, 1)[0][0] == "d:1", q
    for q in ("tỷ lệ nợ quá hạn", "ty le no qua han", "tỉ lệ nợ quá hạn"):
        assert ix.search(q, 1)[0][0] == "d:3", q
    assert ix.search("uy ban", 1)[0][0] == "e:1"
    assert ix.search("12/QĐ-TEST", 1)[0][0] == "e:1"


def test_bigrams_reward_word_order() -> None:
    ix = BM25Index()
    ix.add_many([
        ("a", "ngân hàng thương mại cổ phần (thử nghiệm)"),
        ("b", "hàng hóa và ngân quỹ cổ phần (thử nghiệm)"),  # same syllables, not the word
    ])
    res = ix.search("ngân hàng", 2)
    assert [cid for cid, _ in res] == ["a", "b"]
    assert res[0][1] > res[1][1]


def test_allowed_ids_and_limits() -> None:
    ix = _index()
    res = ix.search("thử nghiệm", 10, allowed_ids={"e:1", "d:2"})
    assert {cid for cid, _ in res} == {"e:1", "d:2"}
    assert len(ix.search("thử nghiệm", 2)) == 2
    assert ix.search("thử nghiệm", 0) == []
    assert ix.search("không có từ này xyzzy", 5) == []
    assert BM25Index().search("gì", 5) == []


def test_score_ids_matches_search() -> None:
    ix = _index()
    full = dict(ix.search("ngân hàng hằng năm", 10))
    exact = ix.score_ids("ngân hàng hằng năm", [c for c, _ in CLAUSES])
    for cid, s in full.items():
        assert abs(exact[cid] - s) < 1e-9
    assert exact["d:2"] == 0.0
    assert ix.score_ids("x", ["not-there"]) == {}


def test_incremental_equals_rebuild() -> None:
    ix = _index()
    ix.remove("d:3")
    ix.add("d:2", "Nội dung mới về tỷ lệ nợ quá hạn (thử nghiệm).")  # replace
    assert "d:3" not in ix and len(ix) == 4
    fresh = BM25Index()
    fresh.rebuild([c for c in CLAUSES if c[0] not in ("d:3", "d:2")]
                  + [("d:2", "Nội dung mới về tỷ lệ nợ quá hạn (thử nghiệm).")])
    q = "tỷ lệ nợ quá hạn ngân hàng"
    a, b = ix.search(q, 10), fresh.search(q, 10)
    assert [c for c, _ in a] == [c for c, _ in b]
    assert all(abs(x[1] - y[1]) < 1e-9 for x, y in zip(a, b))
    assert ix.remove("nope") is False
    assert ix.remove_many(["d:1", "e:1", "nope"]) == 2
    assert ix.search("hồ sơ vay vốn", 5) == []


def test_fast_enough_for_10k_clauses() -> None:
    rnd = random.Random(7)
    vocab = ["ngân", "hàng", "tín", "dụng", "nợ", "quá", "hạn", "tỷ", "lệ", "kế", "hoạch", "tuyên",
             "truyền", "năm", "hằng", "cán", "bộ", "chi", "nhánh", "vốn", "vay", "hộ", "nghèo",
             "quận", "huyện", "xã", "phường", "tỉnh", "thành", "phố"] + [f"x{i}" for i in range(2000)]
    items = [(f"doc{i // 100}:{i}", " ".join(rnd.choice(vocab) for _ in range(rnd.randint(15, 80))))
             for i in range(10_000)]
    t0 = time.perf_counter()
    ix = BM25Index()
    ix.add_many(items)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(20):
        res = ix.search("tỷ lệ nợ quá hạn ngân hàng", 50)
    per_query = (time.perf_counter() - t0) / 20
    assert len(res) == 50
    assert build < 15.0, build
    assert per_query < 0.25, per_query
    t0 = time.perf_counter()
    for i in range(100):  # remove one "document"
        ix.remove(f"doc0:{i}")
    assert time.perf_counter() - t0 < 1.0
