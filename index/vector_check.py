"""Is the embedded Chroma store on disk sound enough to open? Checked before Chroma touches it.

Why before: Chroma's HNSW reader is C++/Rust code that trusts its files. Garbage in
``data_level0.bin`` crashes the whole process with a segmentation fault on the first query;
garbage in ``header.bin`` makes every query raise. A crash cannot be caught, so the files are
checked here, in Python, against the invariants of the hnswlib format they use (a 4-byte version,
then hnswlib's header; ``data_level0.bin`` = one fixed-size record per element holding its
neighbour list, its vector and its label; ``length.bin`` = each vector's norm). Every neighbour id
must name an existing element, every count must fit its list, every vector and norm must be
finite, and the sizes must agree. A failure names
the file and what is wrong; :class:`index.vector_access.VectorAccess` reports it (keyword search
only, writes refused) and `tracuu reindex` moves the store aside and rebuilds it from the catalog
and the embedding cache. When it runs (not at every open): see :mod:`index.vector_access`.

``chroma.sqlite3`` is checked with SQLite's own ``PRAGMA quick_check`` (SQLite reports damage,
it does not crash on it), opened read-only.

The checks are vectorised with numpy: a few milliseconds for 10k vectors, about a second (and a
transient copy of ``data_level0.bin`` in memory) at 100k - why it is not run at every open.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_HEADER = struct.Struct("<I6QiI3QdQ")  # version, then hnswlib's saveIndex header
_CHECK_BYTES = 16 * 2**20  # records checked per slice of data_level0.bin


def check_sqlite(path: Path) -> str | None:
    """None when SQLite finds the database sound, else what it says."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return f"{path.name}: {exc}"
    if rows != [("ok",)]:
        return f"{path.name}: " + "; ".join(str(r[0]) for r in rows[:3])
    return None


def check_segment(seg: Path) -> str | None:
    """None when the HNSW files of one segment directory hang together, else the first problem."""
    import numpy as np

    header = seg / "header.bin"
    if not header.exists():
        return None  # nothing persisted yet (Chroma keeps small collections in SQLite)
    raw = header.read_bytes()
    if len(raw) < _HEADER.size:
        return f"{seg.name}/header.bin: {len(raw)} bytes, expected {_HEADER.size}"
    (_, off0, max_el, cur, size_rec, label_off, off_data, max_level, entry, max_m, max_m0, m, _mult,
     _ef) = _HEADER.unpack_from(raw)
    where = f"{seg.name}/header.bin"
    if off0 != 0 or not 0 < max_m <= 4096 or not 0 < max_m0 <= 8192 or not 0 < m <= 4096:
        return f"{where}: implausible parameters (M={m}, maxM={max_m}, maxM0={max_m0})"
    if cur == 0:  # an empty index: hnswlib writes level -1 and no entry point
        return None
    if cur > max_el or not 0 <= max_level < 64 or entry >= cur:
        return f"{where}: implausible counts (elements {cur} of {max_el}, level {max_level}, entry {entry})"
    if off_data != 4 + 4 * max_m0 or label_off <= off_data or (label_off - off_data) % 4 or size_rec != label_off + 8:
        return f"{where}: inconsistent record layout"
    dim = (label_off - off_data) // 4
    level0 = seg / "data_level0.bin"
    size = level0.stat().st_size if level0.exists() else -1
    if size < cur * size_rec:
        return f"{seg.name}/data_level0.bin: {size} bytes, {cur} records of {size_rec} need {cur * size_rec}"
    if cur == 0:
        return None
    # Read and checked a slice of records at a time: at 1M vectors the file is 1.9 GB, and all of
    # it in memory (twice, with the copies) would multiply a serving process's peak for a check.
    step = max(1, _CHECK_BYTES // size_rec)
    with level0.open("rb") as fh:
        for lo in range(0, cur, step):
            n = min(step, cur - lo)
            recs = np.fromfile(fh, dtype=np.uint8, count=n * size_rec).reshape(n, size_rec)
            problem = _check_records(seg.name, recs, cur, max_m0, off_data, label_off, dim)
            if problem:
                return problem
    return _check_upper(seg, cur, max_m, max_level)


def _check_records(name: str, recs: "np.ndarray", cur: int, max_m0: int, off_data: int, label_off: int,
                   dim: int) -> str | None:
    """One slice of ``data_level0.bin``: neighbour counts and ids in range, vectors finite."""
    import numpy as np

    links = np.ascontiguousarray(recs[:, :off_data]).view("<u4")  # count word, then maxM0 ids
    counts = links[:, 0] & 0xFFFF
    if int(counts.max()) > max_m0:
        return f"{name}/data_level0.bin: a neighbour list longer than {max_m0}"
    used = np.arange(max_m0)[None, :] < counts[:, None]
    if used.any() and int(links[:, 1:][used].max()) >= cur:
        return f"{name}/data_level0.bin: a neighbour id beyond the {cur} elements"
    vectors = np.ascontiguousarray(recs[:, off_data:label_off]).view("<f4")
    if vectors.shape[1] != dim or not np.isfinite(vectors).all():
        return f"{name}/data_level0.bin: vectors that are not finite numbers"
    return None


def _check_upper(seg: Path, cur: int, max_m: int, max_level: int) -> str | None:  # noqa: ARG001
    """``length.bin``: one float32 per element (its vector's norm), all finite and positive-or-zero.

    ``link_lists.bin`` (the upper levels) is Chroma's own layout and is not checked here; garbage
    there was not seen to crash a query (it only degrades the graph).
    """
    import numpy as np

    length = seg / "length.bin"
    if not length.exists():
        return None
    if length.stat().st_size < 4 * cur:
        return f"{seg.name}/length.bin: shorter than {cur} entries"
    norms = np.fromfile(length, dtype="<f4", count=cur)
    if not np.isfinite(norms).all() or (norms < 0).any():
        return f"{seg.name}/length.bin: norms that are not finite, non-negative numbers"
    return None


def check_store(chroma_dir: Path, sqlite: bool = True) -> str | None:
    """None when the embedded store looks sound (or does not exist yet), else the first problem.

    ``sqlite=False``: the HNSW files only (what could crash the process); SQLite reports damage
    in ``chroma.sqlite3`` itself, and its ``quick_check`` reads the whole file (seconds at 100k)."""
    if not chroma_dir.is_dir():
        return None
    problem = check_sqlite(chroma_dir / "chroma.sqlite3") if sqlite else None
    if problem:
        return problem
    for seg in sorted(p for p in chroma_dir.iterdir() if p.is_dir()):
        try:
            problem = check_segment(seg)
        except (OSError, ValueError, struct.error) as exc:
            problem = f"{seg.name}: {type(exc).__name__}: {exc}"
        if problem:
            return problem
    return None


_PROBE = r"""
import sys, chromadb
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
for col in client.list_collections():
    col = client.get_collection(col.name if hasattr(col, "name") else col)
    n = col.count()
    dim = int((col.metadata or {}).get("dim") or 0)
    if n and dim:
        col.query(query_embeddings=[[1.0] * dim], n_results=min(n, 10), include=["distances"])
        col.get(limit=10, include=["embeddings"])
print("ok")
"""


def probe_store(chroma_dir: Path, timeout: float = 300.0) -> str | None:
    """Open the store and run one query in a child process: None when it survives, else why.

    Why a child: what the Python-side checks cannot see (a bug or damage deeper in Chroma's
    native code) may crash the process that opens it; a child that dies says so without taking
    the service with it. It costs a second or two (importing chromadb), so it runs only where
    asked: ``TRACUU_VECTOR_PROBE=subprocess`` (at the first open of the store) or ``tracuu reindex --check``.
    """
    import os
    import signal
    import subprocess
    import sys

    if not (chroma_dir / "chroma.sqlite3").exists():
        return None
    try:
        out = subprocess.run([sys.executable, "-c", _PROBE, str(chroma_dir)], capture_output=True, text=True,
                             timeout=timeout, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    except subprocess.TimeoutExpired:
        return f"opening the vector store took more than {timeout:.0f} s"
    if out.returncode == 0 and out.stdout.strip().endswith("ok"):
        return None
    if out.returncode < 0:
        try:
            name = signal.Signals(-out.returncode).name
        except ValueError:
            name = str(-out.returncode)
        return f"opening the vector store killed a test process ({name})"
    tail = (out.stderr.strip().splitlines() or ["exit code %d" % out.returncode])[-1]
    return f"opening the vector store failed: {tail[:300]}"
