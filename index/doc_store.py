"""The JSON document store of tracuu before issue 12, kept to READ (and, in tests, write) data dirs
made by older versions: :mod:`index.catalog.legacy_import` imports them into the catalog once.
The system of record is now :mod:`index.catalog.store`. What follows describes the old layout.

Layout under the data dir::

    documents/<doc_id>.json          the ParsedDocument as a dict, all clauses included, plus
                                     "source_sha256": which source version its offsets index
    sources/<doc_id>@<sha16>.txt     that source text, named by its content (immutable)
    sources/<doc_id>.txt             a hard link to (or copy of) the current version, for people
    generation                       rewritten after every save/delete: other processes stat it
                                     to notice that the store changed

Why plain files: they are the truth that Chroma and the keyword index are rebuilt from, they
diff and back up trivially, and a reader needs nothing but ``json``. Each file is written to a
temp file in the same directory, fsynced, then ``os.replace``d, so a crash leaves either the old
or the new file, never half of one.

Why the source is named by its content: the JSON and its source must change together, and two
files cannot be replaced in one atomic step. So the new source is written under a new name
first (the old JSON still points at the old one), then the JSON is replaced: that single rename
makes the new version - document *and* source - visible. A crash before it leaves the old pair
intact plus an unused file; a crash after it leaves the new pair plus an old file. Either way
:meth:`DocStore.sweep` removes the leftovers. Stores written before this layout (no
"source_sha256") are read from ``<doc_id>.txt`` as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from tracuu.index import faults
from tracuu.index.document_codec import document_from_dict
from tracuu.ingest.model import Clause, ParsedDocument, SourceText

log = logging.getLogger(__name__)

SOURCE_KEY = "source_sha256"  # the extra JSON key naming the source version
FileKey = tuple[int, int, int]  # (inode, mtime_ns, size): a replaced file always gets a new inode


# Longest encoded stem: the longest file made of it ("<stem>@<16 hex>.txt", ".<stem>.<random>.json.tmp")
# must stay under the usual 255-byte file-name limit.
MAX_STEM = 230


def _file_stem(doc_id: str) -> str:
    """A file name for any doc_id: percent-encode everything but [A-Za-z0-9._-]."""
    if doc_id in ("", ".", ".."):
        raise ValueError(f"unusable doc_id: {doc_id!r}")
    stem = quote(doc_id, safe="-_.")
    if len(stem) > MAX_STEM:
        raise ValueError(f"doc_id too long for a file name ({len(stem)} > {MAX_STEM} characters encoded)")
    return stem


def usable_doc_id(doc_id: str) -> bool:
    """Can this doc_id name a stored document? (Reads of any other id simply find nothing.)"""
    try:
        _file_stem(doc_id)
    except ValueError:
        return False
    return True


def _source_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(st: os.stat_result) -> FileKey:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


FILE_MODE = 0o644  # mkstemp makes 0600: another user (the server, the CLI) could not read it


def _write_temp(directory: Path, stem: str, suffix: str, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=suffix + ".tmp", dir=directory)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


class DocStore:
    """Parsed documents on disk, with a read cache checked against each file's inode, mtime and size.

    Why a cache that stats: the CLI/API read documents many times per request (one ``get`` per
    hit), and another process (``tracuu ingest``) may rewrite a file meanwhile; a ``stat`` is
    cheap, parsing the JSON again is not. Every write replaces the file, so the inode changes
    even when two writes land in the same clock tick with the same size.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.docs_dir = self.data_dir / "documents"
        self.src_dir = self.data_dir / "sources"
        self.gen_path = self.data_dir / "generation"
        for d in (self.docs_dir, self.src_dir):
            try:
                d.mkdir(parents=True, exist_ok=True)
            except OSError:  # a read-only data dir: reads still work, writes are refused later
                if not d.is_dir():
                    raise
        self._cache: dict[str, tuple[FileKey, ParsedDocument, str | None]] = {}
        self._problems: dict[str, dict[str, Any]] = {}  # path -> what is wrong with it (see problems())
        self._src_ok: dict[str, tuple[FileKey, bool]] = {}  # source path -> (key, hash verified)
        self._lock = threading.Lock()

    def _json_path(self, doc_id: str) -> Path:
        return self.docs_dir / f"{_file_stem(doc_id)}.json"

    def _src_path(self, doc_id: str) -> Path:
        return self.src_dir / f"{_file_stem(doc_id)}.txt"

    def _version_path(self, doc_id: str, sha: str) -> Path:
        return self.src_dir / f"{_file_stem(doc_id)}@{sha[:16]}.txt"

    # ------------------------------------------------------------------ writes

    def save(self, doc: ParsedDocument, source_text: str) -> None:
        """Write the source under its content name, then replace the JSON (the switch), then tidy."""
        stem = _file_stem(doc.doc_id)
        sha = _source_sha(source_text)
        record = asdict(doc)
        record[SOURCE_KEY] = sha
        payload = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
        version = self._version_path(doc.doc_id, sha)
        created = not version.exists()
        if created:
            src_tmp = _write_temp(self.src_dir, stem, ".txt", source_text.encode("utf-8"))
            try:
                os.replace(src_tmp, version)
            except BaseException:
                src_tmp.unlink(missing_ok=True)
                raise
        try:
            faults.hit("source_written")
            json_tmp = _write_temp(self.docs_dir, stem, ".json", payload)
            try:
                os.replace(json_tmp, self._json_path(doc.doc_id))  # the switch
            except BaseException:
                json_tmp.unlink(missing_ok=True)
                raise
        except BaseException:
            if created and self.source_sha(doc.doc_id) != sha:
                version.unlink(missing_ok=True)  # the old JSON still rules: drop the unused source
            raise
        st = self._json_path(doc.doc_id).stat()
        with self._lock:
            self._cache[doc.doc_id] = (_key(st), doc, sha)
        # After the switch nothing may fail the save: the new version is already the record.
        try:
            self.bump()
        except OSError as exc:
            log.warning("could not bump %s (other processes notice the change later): %s", self.gen_path, exc)
        faults.hit("stored")
        self._link_current(doc.doc_id, version)
        try:
            self._drop_versions(doc.doc_id, keep=version)
        except OSError as exc:
            log.warning("could not remove old source versions of %s (swept later): %s", doc.doc_id, exc)

    def _link_current(self, doc_id: str, version: Path) -> None:
        """``<doc_id>.txt`` := the current version (hard link, or a copy where links fail)."""
        stem = _file_stem(doc_id)
        tmp = self.src_dir / f".{stem}.{os.getpid()}.{threading.get_ident()}.link.tmp"
        tmp.unlink(missing_ok=True)
        try:
            try:
                os.link(version, tmp)
            except OSError:
                tmp.write_bytes(version.read_bytes())
            os.replace(tmp, self._src_path(doc_id))
        except OSError as exc:  # the record is already right; only the convenience name is stale
            tmp.unlink(missing_ok=True)
            log.warning("could not update %s: %s", self._src_path(doc_id), exc)

    def _versions(self, doc_id: str) -> list[Path]:
        stem = _file_stem(doc_id)
        return [p for p in self.src_dir.glob(f"{stem}@*.txt") if p.name[: len(stem) + 1] == f"{stem}@"]

    def _drop_versions(self, doc_id: str, keep: Path | None) -> None:
        for p in self._versions(doc_id):
            if keep is None or p.name != keep.name:
                p.unlink(missing_ok=True)

    def delete(self, doc_id: str) -> bool:
        """Remove the JSON first (the document stops existing), then every source file."""
        if not usable_doc_id(doc_id):
            return False
        p = self._json_path(doc_id)
        existed = p.exists()
        p.unlink(missing_ok=True)
        self._src_path(doc_id).unlink(missing_ok=True)
        self._drop_versions(doc_id, keep=None)
        with self._lock:
            self._cache.pop(doc_id, None)
        if existed:
            self.bump()
        return existed

    def bump(self) -> None:
        """Tell other processes the store changed: replace ``generation`` (new inode each time)."""
        body = f"{time.time_ns()} {os.getpid()}\n".encode()
        fd, tmp = tempfile.mkstemp(prefix=".generation.", suffix=".tmp", dir=self.data_dir)
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, self.gen_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def sweep(self) -> int:
        """Remove what interrupted writes left: temp files and source versions no JSON names.

        Only safe while no other writer is mid-save (the index calls it under its write lock).
        Returns how many files were removed.
        """
        removed = 0
        leftovers = [*self.docs_dir.glob(".*.tmp"), *self.src_dir.glob(".*.tmp"),
                     *self.data_dir.glob(".generation.*.tmp"), *self.data_dir.glob(".reconciled.*.tmp")]
        for p in leftovers:
            p.unlink(missing_ok=True)
            removed += 1
        wanted: dict[str, str | None] = {}
        for doc_id in self.doc_ids():
            if not usable_doc_id(doc_id):
                continue
            try:
                wanted[_file_stem(doc_id)] = self.source_sha(doc_id)
            except (ValueError, KeyError, TypeError):
                wanted[_file_stem(doc_id)] = None
        for p in self.src_dir.glob("*@*.txt"):
            stem, _, rest = p.name.rpartition("@")
            sha = wanted.get(stem)
            if sha is None or rest != f"{sha[:16]}.txt":
                if stem in wanted and sha is None:
                    continue  # unreadable JSON: leave its files for a human
                p.unlink(missing_ok=True)
                removed += 1
        return removed

    # ------------------------------------------------------------------ reads

    def file_key(self, doc_id: str) -> FileKey | None:
        """(inode, mtime, size) of the document's JSON, or None when it does not exist."""
        if not usable_doc_id(doc_id):
            return None
        try:
            return _key(self._json_path(doc_id).stat())
        except OSError:
            return None

    def _own_files(self) -> list[tuple[str, Path]]:
        """(doc_id, path) of every JSON file this store could have written.

        Anything else in ``documents/`` ("x (copy).json" from a file manager, a name that does not
        decode to a usable id) is not a document: it is reported as a problem and never listed.
        """
        out: list[tuple[str, Path]] = []
        try:
            paths = list(self.docs_dir.glob("*.json"))
        except OSError as exc:
            self._problem(self.docs_dir, None, "unreadable", *_unreadable(self._rel(self.docs_dir), exc))
            return out
        for p in paths:
            if p.name.startswith("."):
                continue
            doc_id = unquote(p.stem)
            if not usable_doc_id(doc_id) or _file_stem(doc_id) != p.stem:
                rel = self._rel(p)
                self._problem(p, None, "foreign_file",
                              f"Tệp lạ '{rel}' trong kho tài liệu (không phải tệp tracuu tạo ra); bị bỏ qua.",
                              f"Foreign file '{rel}' in the document store (not one tracuu wrote); skipped.")
                continue
            out.append((doc_id, p))
        return out

    def scan(self) -> dict[str, FileKey]:
        """Every stored doc_id with its JSON's file key: what a process compares to notice changes."""
        out: dict[str, FileKey] = {}
        for doc_id, p in self._own_files():
            try:
                out[doc_id] = _key(p.stat())
            except OSError:  # deleted between glob and stat, or not ours to stat
                continue
        return out

    def generation(self) -> FileKey | None:
        """The ``generation`` file's key; it changes after every save or delete, by any process."""
        try:
            return _key(self.gen_path.stat())
        except OSError:
            return None

    # ------------------------------------------------------------------ problems (health)

    def _source_key(self, doc_id: str) -> Path:
        """Where a document's source problem is filed: beside its JSON, gone when the JSON is."""
        return Path(f"{self._json_path(doc_id)}#source")

    def _rel(self, p: Path) -> str:
        try:
            return str(p.relative_to(self.data_dir))
        except ValueError:
            return p.name

    def _problem(self, p: Path, key: FileKey | None, code: str, vi: str, en: str) -> None:
        with self._lock:
            old = self._problems.get(str(p))
            self._problems[str(p)] = {"key": key, "code": code, "file": self._rel(p).split("#")[0],
                                      "message_vi": vi, "message_en": en}
        if old is None or old["code"] != code or old["key"] != key:
            log.warning("document store: %s", en)

    def _clear(self, p: Path) -> None:
        with self._lock:
            self._problems.pop(str(p), None)

    def _known_problem(self, p: Path, key: FileKey) -> bool:
        """True when this exact file version was already found bad (not parsed again)."""
        with self._lock:
            hit = self._problems.get(str(p))
        return hit is not None and hit["key"] == key

    def problems(self) -> list[dict[str, str]]:
        """What the store skipped, as {"code", "file", "message_vi", "message_en"}, by file.

        Only what reads have met so far; :meth:`check` looks at every file.
        """
        with self._lock:
            items = list(self._problems.items())
        out = []
        for path, prob in items:
            if not os.path.lexists(path.split("#")[0]):  # the bad file was removed since
                self._clear(Path(path))
                continue
            out.append({k: v for k, v in prob.items() if k != "key"})
        return sorted(out, key=lambda d: (d["file"], d["code"]))

    def check(self) -> list[dict[str, str]]:
        """Read every document file and verify every source: the problems, for ``/healthz``.

        Cheap when nothing changed: documents come from the cache (one stat each) and a source is
        hashed again only when its file changed.
        """
        for doc_id, _ in self._own_files():
            if self._load_entry(doc_id) is not None:
                self.source_status(doc_id)
        return self.problems()

    # ------------------------------------------------------------------ documents

    def _load_entry(self, doc_id: str) -> tuple[ParsedDocument, str | None] | None:
        """The document and its source sha, or None: absent, or unreadable/damaged (then the file
        is listed in :meth:`problems` and skipped; it is parsed again once it changes)."""
        if not usable_doc_id(doc_id):  # e.g. "" from clause id ":", or an id too long: never stored
            return None
        p = self._json_path(doc_id)
        rel = self._rel(p)
        try:
            st = p.stat()
        except FileNotFoundError:
            with self._lock:
                self._cache.pop(doc_id, None)
            self._clear(p)
            return None
        except OSError as exc:
            self._problem(p, None, "unreadable", *_unreadable(rel, exc))
            return None
        key = _key(st)
        with self._lock:
            hit = self._cache.get(doc_id)
        if hit is not None and hit[0] == key:
            return hit[1], hit[2]
        if self._known_problem(p, key):
            return None
        try:
            data = p.read_bytes()
        except FileNotFoundError:  # replaced or deleted between stat and read: look again
            return self._load_entry(doc_id)
        except OSError as exc:
            self._problem(p, key, "unreadable", *_unreadable(rel, exc))
            return None
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            self._problem(p, key, "damaged_file",
                          f"Tệp '{rel}' bị cắt cụt hoặc không phải JSON ({type(exc).__name__}); tài liệu bị bỏ qua, "
                          "hãy nạp lại tài liệu.",
                          f"'{rel}' is truncated or not JSON ({type(exc).__name__}); the document is skipped, "
                          "ingest it again.")
            return None
        try:
            if not isinstance(raw, dict):
                raise TypeError(f"a JSON {type(raw).__name__}, not an object")
            doc = document_from_dict(raw)
            sha = raw.get(SOURCE_KEY)
            if sha is not None and not isinstance(sha, str):
                raise TypeError(f"{SOURCE_KEY} is not a string")
            if doc.doc_id != doc_id or any(c.doc_id != doc_id for c in doc.clauses):
                raise ValueError(f"it holds document {str(doc.doc_id)[:80]!r}, not {doc_id!r}")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            detail = str(exc)[:200] or type(exc).__name__
            self._problem(p, key, "wrong_shape",
                          f"Tệp '{rel}' không có dạng một tài liệu đã lưu ({detail}); tài liệu bị bỏ qua.",
                          f"'{rel}' is not a stored document ({detail}); the document is skipped.")
            return None
        self._clear(p)
        with self._lock:
            self._cache[doc_id] = (key, doc, sha)
        return doc, sha

    def load(self, doc_id: str) -> ParsedDocument | None:
        """The stored document, or None. Served from the cache while the file is unchanged."""
        entry = self._load_entry(doc_id)
        return entry[0] if entry else None

    get = load  # the name the service layer uses

    def source_sha(self, doc_id: str) -> str | None:
        """sha256 of the source version the stored JSON points at (None: old layout or no doc)."""
        entry = self._load_entry(doc_id)
        return entry[1] if entry else None

    def load_all(self) -> dict[str, ParsedDocument]:
        """Every readable stored document by doc_id (problem files are skipped and reported)."""
        out: dict[str, ParsedDocument] = {}
        for doc_id in self.doc_ids():
            doc = self.load(doc_id)
            if doc is not None:
                out[doc.doc_id] = doc
        return out

    # ------------------------------------------------------------------ sources

    def _source_paths(self, doc_id: str, sha: str | None) -> list[Path]:
        return [self._version_path(doc_id, sha), self._src_path(doc_id)] if sha else [self._src_path(doc_id)]

    def _read_source(self, doc_id: str, want_text: bool) -> tuple[str | None, str]:
        """(text or None, status): status "ok", "missing", "changed", "unreadable" or "no_document".

        A source file whose (inode, mtime, size) was already verified is not hashed again unless
        its text is wanted; one that changed is read and hashed once.
        """
        entry = self._load_entry(doc_id)
        if entry is None:
            return None, "no_document"
        sha = entry[1]
        good_text: str | None = None
        verified = False
        bad: str | None = None  # "changed" or "unreadable": any copy that exists and fails
        for p in self._source_paths(doc_id, sha):
            if verified and bad is None:
                # The version file the JSON names is intact: the "<doc_id>.txt" convenience copy
                # is not what is served (and lags the version file for a moment during a save).
                break
            try:
                key = _key(p.stat())
            except FileNotFoundError:
                continue
            except OSError:
                bad = bad or "unreadable"
                continue
            with self._lock:
                known = self._src_ok.get(str(p))
            if known is not None and known[0] == key and (not want_text or verified):
                verified = verified or known[1]
                bad = bad if known[1] else (bad or "changed")
                continue
            try:
                data = p.read_bytes()
            except FileNotFoundError:
                continue
            except OSError:
                bad = bad or "unreadable"
                continue
            try:
                # Bytes, not read_text: universal-newline translation would shift every offset after a "\r\n".
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            good = text is not None and (sha is None or _source_sha(text) == sha)
            with self._lock:
                self._src_ok[str(p)] = (key, good)
            if good:
                verified = True
                good_text = good_text if good_text is not None else text
            else:
                bad = bad or "changed"
        status = bad or ("ok" if verified else "missing")
        if status == "ok":
            self._clear(self._source_key(doc_id))
            return good_text, "ok"
        rel = self._rel(self._source_paths(doc_id, sha)[0])
        vi, en = {
            "missing": ("đã bị xóa", "was deleted"),
            "changed": ("đã bị sửa sau khi nạp", "was edited after ingest"),
            "unreadable": ("không đọc được", "cannot be read"),
        }[status]
        self._problem(self._source_key(doc_id), None, f"source_{status}",
                      f"Văn bản nguồn của '{doc_id}' ({rel}) {vi}: trích dẫn của tài liệu này không được coi là "
                      "chính xác cho tới khi nạp lại.",
                      f"The source text of '{doc_id}' ({rel}) {en}: its citations are not presented as exact "
                      "until it is ingested again.")
        return good_text, status

    def source(self, doc_id: str) -> str | None:
        """The source text the stored clause offsets index (the version the JSON names)."""
        return self._read_source(doc_id, want_text=True)[0]

    def source_status(self, doc_id: str) -> str:
        """"ok", "missing", "changed", "unreadable" or "no_document": cheap when unchanged."""
        return self._read_source(doc_id, want_text=False)[1]

    def integrity(self, clause: Clause) -> str:
        """Can this clause be cited as exact? "ok"; "text_changed" (its text no longer matches the
        hash taken when it was stored: edited inside the store); "unverified" (stored before
        hashes); or "source_missing" / "source_changed" / "source_unreadable"."""
        want = getattr(clause, "text_sha256", "")
        if not want:
            return "unverified"
        if _source_sha(clause.text) != want:
            return "text_changed"
        status = self.source_status(clause.doc_id)
        return "ok" if status == "ok" else f"source_{status}" if status != "no_document" else "ok"

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
        """Stored doc ids, sorted (leftover ``.*.tmp`` files and foreign files are not documents)."""
        return sorted(doc_id for doc_id, _ in self._own_files())

    list_ids = doc_ids

    def exists(self, doc_id: str) -> bool:
        return usable_doc_id(doc_id) and self._json_path(doc_id).exists()


def _unreadable(rel: str, exc: OSError) -> tuple[str, str]:
    why = exc.strerror or type(exc).__name__
    return (f"Không đọc được tệp '{rel}' ({why}); tài liệu bị bỏ qua. Kiểm tra quyền đọc của tệp.",
            f"Cannot read '{rel}' ({why}); the document is skipped. Check the file's permissions.")
