"""The system of record: one JSON file per parsed document, plus its source text.

Layout under the data dir::

    documents/<doc_id>.json   the ParsedDocument as a dict, all clauses included
    sources/<doc_id>.txt      the source text the clause offsets point into

Why plain files: they are the truth that Chroma and the keyword index are rebuilt from, they
diff and back up trivially, and a reader needs nothing but ``json``. Each file is written to a
temp file in the same directory, fsynced, then ``os.replace``d, so a crash leaves either the old
or the new file, never half of one. The JSON is replaced last: it is what makes a version
visible.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ingest.model import Clause, DocumentHeader, ParsedDocument, Signer, SourceText

log = logging.getLogger(__name__)


def document_from_dict(d: dict[str, Any]) -> ParsedDocument:
    """Rebuild a :class:`ParsedDocument` from ``dataclasses.asdict`` output."""
    d = dict(d)
    header = dict(d.get("header") or {})
    header["signer"] = Signer(**(header.get("signer") or {}))
    header["recipients"] = list(header.get("recipients") or [])
    d["header"] = DocumentHeader(**header)
    d["clauses"] = [Clause.from_dict(c) for c in d.get("clauses", [])]
    d["warnings"] = list(d.get("warnings") or [])
    d["dropped"] = [tuple(r) for r in d.get("dropped") or []]
    return ParsedDocument(**d)


def _file_stem(doc_id: str) -> str:
    """A file name for any doc_id: percent-encode everything but [A-Za-z0-9._-]."""
    if doc_id in ("", ".", ".."):
        raise ValueError(f"unusable doc_id: {doc_id!r}")
    return quote(doc_id, safe="-_.")


def _write_temp(directory: Path, stem: str, suffix: str, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=suffix + ".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


class DocStore:
    """Parsed documents on disk, with a read cache checked against each file's mtime and size.

    Why a cache that stats: the CLI/API read documents many times per request (one ``get`` per
    hit), and another process (``tracuu ingest``) may rewrite a file meanwhile; a ``stat`` is
    cheap, parsing the JSON again is not.
    """

    def __init__(self, data_dir: Path) -> None:
        self.docs_dir = Path(data_dir) / "documents"
        self.src_dir = Path(data_dir) / "sources"
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        self.src_dir.mkdir(parents=True, exist_ok=True)
        self._cache: dict[str, tuple[tuple[int, int], ParsedDocument]] = {}
        self._lock = threading.Lock()

    def _json_path(self, doc_id: str) -> Path:
        return self.docs_dir / f"{_file_stem(doc_id)}.json"

    def _src_path(self, doc_id: str) -> Path:
        return self.src_dir / f"{_file_stem(doc_id)}.txt"

    def save(self, doc: ParsedDocument, source_text: str) -> None:
        """Write source then JSON, each atomically; both temp files exist before either rename."""
        stem = _file_stem(doc.doc_id)
        payload = json.dumps(asdict(doc), ensure_ascii=False, indent=1).encode("utf-8")
        src_tmp = _write_temp(self.src_dir, stem, ".txt", source_text.encode("utf-8"))
        try:
            json_tmp = _write_temp(self.docs_dir, stem, ".json", payload)
        except BaseException:
            src_tmp.unlink(missing_ok=True)
            raise
        try:
            os.replace(src_tmp, self._src_path(doc.doc_id))
            os.replace(json_tmp, self._json_path(doc.doc_id))
        except BaseException:
            src_tmp.unlink(missing_ok=True)
            json_tmp.unlink(missing_ok=True)
            raise
        st = self._json_path(doc.doc_id).stat()
        with self._lock:
            self._cache[doc.doc_id] = ((st.st_mtime_ns, st.st_size), doc)

    def load(self, doc_id: str) -> ParsedDocument | None:
        """The stored document, or None. Served from the cache while the file is unchanged."""
        p = self._json_path(doc_id)
        try:
            st = p.stat()
        except FileNotFoundError:
            with self._lock:
                self._cache.pop(doc_id, None)
            return None
        key = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(doc_id)
        if hit is not None and hit[0] == key:
            return hit[1]
        doc = document_from_dict(json.loads(p.read_bytes().decode("utf-8")))
        with self._lock:
            self._cache[doc_id] = (key, doc)
        return doc

    get = load  # the name the service layer uses

    def load_all(self) -> dict[str, ParsedDocument]:
        """Every stored document by doc_id (leftover temp files are ignored)."""
        out: dict[str, ParsedDocument] = {}
        for doc_id in self.doc_ids():
            try:
                doc = self.load(doc_id)
            except (ValueError, KeyError, TypeError) as exc:
                # One unreadable file must not take the whole knowledge base down; re-ingesting
                # the document rewrites it.
                log.warning("skipping unreadable document file for %s: %s", doc_id, exc)
                continue
            if doc is not None:
                out[doc.doc_id] = doc
        return out

    def source(self, doc_id: str) -> str | None:
        p = self._src_path(doc_id)
        # Bytes, not read_text: universal-newline translation would shift every offset after a "\r\n".
        return p.read_bytes().decode("utf-8") if p.exists() else None

    def source_text(self, doc_id: str) -> SourceText | None:
        """The source with its page starts and artefact ranges: what citation checks need."""
        doc, text = self.load(doc_id), self.source(doc_id)
        if doc is None or text is None:
            return None
        return SourceText(
            text=text, kind=doc.source_kind, page_starts=list(doc.page_starts) or [0], blocks=[], dropped=list(doc.dropped)
        )

    def clause(self, clause_id: str) -> Clause | None:
        """A clause by id, read from its document's file (clause_id = "<doc_id>:<path>")."""
        pos = clause_id.find(":")
        while pos != -1:
            doc = self.load(clause_id[:pos])
            if doc is not None:
                for c in doc.clauses:
                    if c.clause_id == clause_id:
                        return c
            pos = clause_id.find(":", pos + 1)
        return None

    def doc_ids(self) -> list[str]:
        """Stored doc ids, sorted (leftover ``.*.tmp`` files are not documents)."""
        return sorted(unquote(p.stem) for p in self.docs_dir.glob("*.json") if not p.name.startswith("."))

    list_ids = doc_ids

    def exists(self, doc_id: str) -> bool:
        return self._json_path(doc_id).exists()

    def delete(self, doc_id: str) -> bool:
        """Remove the JSON first (the document stops existing), then the source."""
        p = self._json_path(doc_id)
        existed = p.exists()
        p.unlink(missing_ok=True)
        self._src_path(doc_id).unlink(missing_ok=True)
        with self._lock:
            self._cache.pop(doc_id, None)
        return existed
