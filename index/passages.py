"""What an embedder sees for a clause, and the llama-index node that carries it.

Why a "passage" and not just the clause text: a clause such as "b) Phấn đấu đạt 95%." means
nothing alone. Prefixing the short document title and the heading chain gives the embedder the
context a reader has; the prototype measured better retrieval with it. The label ("điểm b khoản 2
Mục II") goes in too because users quote labels.

The passage's sha256 is ``Clause.text_hash``: change a heading or the title and every passage
under it gets a new hash, hence a new vector - which is right, since the text the model saw did
change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from tracuu.index.embedding_cache import text_hash
from tracuu.ingest.model import Clause, ParsedDocument
from tracuu.ingest.shapes import Document
from tracuu.ingest.vntext import collapse_spaces, nfc

TITLE_MAX = 120  # characters of the trích yếu kept in a passage
HEADING_MAX = 160  # characters kept of each enclosing heading
LIST_SEP = " | "  # how list values are flattened into Chroma metadata
# multilingual-e5-small reads 512 tokens; Vietnamese runs about 4 characters a token in its
# tokenizer, so a passage longer than this is cut (at a word) before it reaches the model. A 60 KB
# clause otherwise costs over a minute of CPU for a vector of its first 512 tokens anyway.
PASSAGE_MAX_CHARS = 1800


# The document-level facts a passage and a node need are the public Document's (one definition,
# ingest/shapes.py); ``DocMeta.of(parsed)`` is ``Document.of(parsed)``.
DocMeta = Document


def _short(text: str, limit: int, keep_lines: bool = False) -> str:
    """Cut at a word boundary and mark the cut: long headings drown the clause's own words."""
    if not keep_lines:
        text = collapse_spaces(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def short_title(meta: DocMeta) -> str:
    """E.g. "Kế hoạch 214/KH-UBND: Triển khai ..." (only the parts that are known)."""
    head = " ".join(p for p in (meta.doc_type, meta.number) if p)
    title = _short(meta.title, TITLE_MAX) if meta.title else ""
    if head and title:
        return f"{head}: {title}"
    return head or title


def passage_text(clause: Clause, meta: DocMeta | ParsedDocument) -> str:
    """The exact text embedded for ``clause``: title line, heading chain, label and text."""
    if isinstance(meta, ParsedDocument):
        meta = DocMeta.of(meta)
    lines = []
    title = short_title(meta)
    if title:
        lines.append(title)
    chain = [_short(h, HEADING_MAX) for h in clause.heading_chain if h and h.strip()]
    if chain:
        lines.append(" > ".join(chain))
    body = collapse_spaces(clause.text)
    label = collapse_spaces(clause.label)
    if label and body:
        lines.append(f"{label}: {body}")
    else:
        lines.append(label or body)
    return _short(nfc("\n".join(line for line in lines if line)), PASSAGE_MAX_CHARS, keep_lines=True)


def keyword_text(clause: Clause) -> str:
    """What the BM25 index sees: the clause's own words only.

    Headings are left out on purpose: they would make every child of "Mục II. Tuyên truyền"
    a keyword hit for "tuyên truyền"; the dense side already carries that context.
    """
    return clause.text


MetaValue = Union[str, int, float, bool]


def node_metadata(clause: Clause, meta: DocMeta, passage_hash: str) -> dict[str, MetaValue]:
    """Flat metadata, as Chroma demands: str/int/float/bool only, never None, never nested."""
    refs = [r.number for r in clause.references if r.number]
    md: dict[str, MetaValue] = {
        "doc_id": clause.doc_id,
        "clause_id": clause.clause_id,
        "path": clause.path,
        "label": clause.label or "",
        "kind": clause.kind or "",
        "order": int(clause.order),
        "page": int(clause.span.page),
        "page_end": int(clause.span.page_end),
        "start": int(clause.span.start),
        "end": int(clause.span.end),
        "doc_type": meta.doc_type or "",
        "doc_number": meta.number or "",
        "parent": clause.parent or "",
        "headings": LIST_SEP.join(clause.heading_chain),
        "references": LIST_SEP.join(refs),
        "text_hash": passage_hash,
    }
    return md


@dataclass(frozen=True)
class Passage:
    """What the index writes to Chroma for one clause: the same id, text and metadata as
    :func:`to_node`'s ``TextNode``, without importing llama-index (its import alone costs about a
    second, which a ``tracuu ingest`` of one file should not pay)."""

    node_id: str
    text: str
    metadata: dict[str, MetaValue]


def passage(clause: Clause, doc_meta: DocMeta | ParsedDocument) -> Passage:
    """The clause's passage record: id = clause_id, text = the passage, flat metadata."""
    meta = DocMeta.of(doc_meta) if isinstance(doc_meta, ParsedDocument) else doc_meta
    text = passage_text(clause, meta)
    return Passage(clause.clause_id, text, node_metadata(clause, meta, text_hash(text)))


def to_node(clause: Clause, doc_meta: DocMeta | ParsedDocument):  # -> TextNode
    """A llama-index ``TextNode`` for the clause: id = clause_id, text = the passage.

    Metadata is excluded from the embed/LLM views so that ``node.get_content(MetadataMode.EMBED)``
    is exactly the passage we hashed and embedded.
    """
    from llama_index.core.schema import TextNode

    p = passage(clause, doc_meta)
    text, md = p.text, dict(p.metadata)
    return TextNode(
        id_=clause.clause_id,
        text=text,
        metadata=md,
        excluded_embed_metadata_keys=list(md),
        excluded_llm_metadata_keys=list(md),
    )
