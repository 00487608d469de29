"""Language tables derived from data files, kept on disk between processes.

Why: query understanding needs tables computed from data files and the code that reads them -
every Vietnamese syllable grouped by its folded form (``syllables._enumerated``), the common
readings' ranks (``index/data/vi_syllables.txt``) and the abbreviation entries (three TOML
files). Building them is tens of milliseconds of Python at every start, which a one-shot
``tracuu search`` pays every time. Stored once, they load in a few milliseconds.

How it stays right:

* **keyed by its sources**: a table is stored with the sha256 of every file it is derived from -
  the data files and the modules whose code builds it - and of the Python version. A file edited,
  added or removed, or a new tracuu, gives another key: the table is built again and replaces
  the stored one. Nothing has to be cleared by hand.
* **checked when read**: the stored bytes carry their own sha256; a truncated or damaged file is
  rebuilt (and rewritten), never half-read.
* **safe under several processes**: written to a unique temporary file, then renamed over the old
  one (atomic), so a reader sees the old table or the new one, whole. Two processes building at
  once both write a correct table; the last rename wins.
* **optional**: without a directory (:func:`configure` not called, e.g. in a library use or a
  test) or when it cannot be written (a read-only data dir, a full disk), the tables are built in
  memory as before; a failure here never fails a query.

Only plain values (str, int, tuple, list, dict, frozenset) are stored, with :mod:`marshal`: no
pickle, no code. The service points this at ``TRACUU_CACHE_DIR`` (default ``~/.cache/tracuu``,
``api/config.py``): the tables depend on the installed tracuu, not on a knowledge base, so they
are kept out of the data dir (opening a data dir leaves it exactly as it was).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import secrets
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_MAGIC = b"tracuu-table-1\n"
_DIGEST = 64  # hex characters of a sha256
_dir: Path | None = None
_lock = threading.Lock()


def configure(directory: Path | None) -> None:
    """Where tables are kept (None: nowhere, build in memory). Called by the service at start."""
    global _dir
    with _lock:
        _dir = Path(directory) if directory is not None else None


def directory() -> Path | None:
    return _dir


def sources_key(name: str, sources: Iterable[Path]) -> str:
    """The sha256 of the table's name, the Python version and every source file (a missing one
    counts as missing, so adding it later changes the key)."""
    h = hashlib.sha256()
    h.update(f"{name}\0{sys.version}\0{marshal.version}\0".encode())
    for path in sources:
        h.update(str(path.name).encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def _read(path: Path, key: str) -> tuple[bool, Any]:
    try:
        raw = path.read_bytes()
    except OSError:
        return False, None
    head = len(_MAGIC) + 2 * _DIGEST
    if len(raw) < head or not raw.startswith(_MAGIC):
        return False, None
    stored_key = raw[len(_MAGIC):len(_MAGIC) + _DIGEST].decode("ascii", "replace")
    digest = raw[len(_MAGIC) + _DIGEST:head].decode("ascii", "replace")
    payload = raw[head:]
    if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
        return False, None  # another version of the sources, or damaged: built again
    try:
        return True, marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return False, None


def _write(path: Path, key: str, value: Any) -> None:
    payload = marshal.dumps(value)
    data = _MAGIC + key.encode("ascii") + hashlib.sha256(payload).hexdigest().encode("ascii") + payload
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:  # read-only or full: the next process builds it again, that is all
        log.info("language table %s not stored: %s", path, exc)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def cached(name: str, sources: Iterable[Path], build: Callable[[], T],
           encode: Callable[[T], Any] = lambda v: v, decode: Callable[[Any], T] = lambda v: v) -> T:
    """The table ``name``: read from the cache directory when stored from the same ``sources``,
    else ``build()`` (and stored). ``encode``/``decode`` turn it into plain values and back; a
    stored value ``decode`` rejects (any exception) is built again."""
    folder = _dir
    if folder is None:
        return build()
    key = sources_key(name, list(sources))
    path = folder / f"{name}.table"
    found, plain = _read(path, key)
    if found:
        try:
            return decode(plain)
        except Exception as exc:  # a stored value of another shape: rebuilt below
            log.info("language table %s unreadable (%s): rebuilt", path, exc)
    value = build()
    try:
        _write(path, key, encode(value))
    except (ValueError, TypeError) as exc:  # a value marshal cannot store: keep it in memory only
        log.info("language table %s not stored: %s", name, exc)
    return value
