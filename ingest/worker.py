"""Read one untrusted file (load + parse) in a child process with memory, time and size limits.

Why a process: the loaders run large C libraries (lxml, pdfminer's Python objects, Pillow,
Tesseract) on bytes anyone may upload. A file crafted to blow up memory or loop for minutes must
cost the server one child process, never the service: the child gets an address-space limit
(``RLIMIT_AS``, :attr:`~ingest.limits.Limits.memory_mb` above what it already maps), is killed
when it runs past :attr:`~ingest.limits.Limits.timeout_s`, and the page, operator and OCR limits
of :mod:`ingest.limits` apply inside it. A child that runs out of memory, is killed or crashes
becomes an ordinary :class:`~ingest.pipeline.IngestOutcome` with a bilingual error naming the
limit, so the index is never touched.

Why a fork server: spawning a fresh interpreter and importing pdfplumber, lxml and the parser
costs a second or two per file; the fork server imports them once and forks a clean,
single-threaded copy per file (no threads or locks of the web server are inherited, unlike a
plain ``fork``). Where fork servers do not exist (Windows), ``spawn`` is used.

``TRACUU_INGEST_ISOLATION=inline`` reads files in the calling process (a debugger, a profiler);
the size limits still apply there, memory and time limits do not.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest import limits
from ingest.errors import IngestError
from ingest.manifest import Manifest
from ingest.pipeline import IngestOutcome, ingest_file

_PRELOAD = [
    "ingest.pipeline", "ingest.parser", "ingest.tasks", "ingest.loaders.txt",
    "ingest.loaders.pdf", "ingest.loaders.docx", "docx", "pdfplumber", "pypdf",
]
_ctx_lock = threading.Lock()
_ctx: Any = None


def _context() -> Any:
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(_PRELOAD)
            else:  # pragma: no cover - Windows
                ctx = multiprocessing.get_context("spawn")
            _ctx = ctx
        return _ctx


def isolation() -> str:
    """"process" (default) or "inline", from ``TRACUU_INGEST_ISOLATION``."""
    mode = (os.environ.get("TRACUU_INGEST_ISOLATION") or "process").strip().lower()
    if mode not in ("process", "inline"):
        raise limits.LimitSettingError(
            f"Cấu hình sai: TRACUU_INGEST_ISOLATION={mode!r} phải là 'process' hoặc 'inline'.",
            f"Bad setting: TRACUU_INGEST_ISOLATION={mode!r} must be 'process' or 'inline'.",
        )
    return mode


def _failed(path: Path, err: IngestError, started: float) -> IngestOutcome:
    return IngestOutcome(path=str(path), status="error", errors=[err.to_dict()],
                         timings={"total_s": time.perf_counter() - started})


def _check_size(outcome: IngestOutcome, lim: limits.Limits) -> IngestOutcome:
    """The clause cap: past it a document costs too much to embed and index."""
    doc = outcome.document
    if outcome.ok and doc is not None and len(doc.clauses) > lim.max_clauses:
        err = limits.limit_error("max_clauses", lim.max_clauses, len(doc.clauses),
                                 f"Tệp '{Path(outcome.path).name}': số điều khoản",
                                 f"File '{Path(outcome.path).name}': number of clauses")
        return IngestOutcome(path=outcome.path, status="error", errors=[err.to_dict()], timings=outcome.timings)
    return outcome


def _mapped_bytes() -> int:
    """The address space this process already maps (VmSize), 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _child(conn: Any, path: str, manifest: Manifest, lim: limits.Limits) -> None:
    """In the child: cap memory, read the file, send the outcome back (never raises)."""
    try:
        import resource

        cap = _mapped_bytes() + lim.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = lim.timeout_s + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass
    limits.use(lim)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        outcome = _check_size(ingest_file(Path(path), manifest), lim)
        if outcome.source is not None:  # the caller needs the text only; blocks are large
            outcome.source = replace(outcome.source, blocks=[])
        conn.send(outcome)
    except MemoryError:
        conn.send(_memory_error(Path(path), lim, time.perf_counter()))
    except BaseException as exc:  # a bug in a loader: report it, the service stays up
        err = IngestError(f"Lỗi khi đọc tệp ({type(exc).__name__}).",
                          f"Reading the file failed ({type(exc).__name__}: {str(exc)[:200]}).",
                          code="ingest_failed")
        conn.send(_failed(Path(path), err, time.perf_counter()))
    finally:
        conn.close()


def _memory_error(path: Path, lim: limits.Limits, started: float) -> IngestOutcome:
    return _failed(path, limits.limit_error(
        "memory_mb", f"{lim.memory_mb} MB", "hơn / more than that",
        f"Tệp '{path.name}': bộ nhớ cần để đọc tệp", f"File '{path.name}': memory needed to read it",
    ), started)


def ingest_untrusted(path: Path, manifest: Manifest, lim: limits.Limits | None = None) -> IngestOutcome:
    """Load and parse ``path`` within the limits; every failure is an error outcome, never a raise."""
    started = time.perf_counter()
    path = Path(path)
    try:
        lim = lim or limits.Limits.from_env()
        mode = isolation()
    except limits.LimitSettingError as err:
        return _failed(path, err, started)
    if mode == "inline":
        previous = limits.current()
        limits.use(lim)
        try:
            return _check_size(ingest_file(path, manifest), lim)
        finally:
            limits.use(previous)
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(path), manifest, lim), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(lim.timeout_s):
            try:
                return parent.recv()
            except (EOFError, OSError):
                pass  # the child died before or while sending: see how below
        else:
            proc.kill()
            proc.join(5)
            return _failed(path, limits.limit_error(
                "timeout_s", f"{lim.timeout_s} s", "hơn / more than that",
                f"Tệp '{path.name}': thời gian đọc tệp", f"File '{path.name}': time to read it",
            ), started)
    finally:
        parent.close()
    proc.join(5)
    code = proc.exitcode
    if code is not None and code < 0 and -code in (9, 24):  # SIGKILL (the OOM killer), SIGXCPU
        return _memory_error(path, lim, started) if -code == 9 else _failed(path, limits.limit_error(
            "timeout_s", f"{lim.timeout_s} s", "hơn / more than that",
            f"Tệp '{path.name}': thời gian đọc tệp", f"File '{path.name}': time to read it"), started)
    return _failed(path, IngestError(
        f"Tiến trình đọc tệp '{path.name}' bị dừng bất thường (mã {code}); tệp có thể bị hỏng.",
        f"The process reading '{path.name}' stopped abnormally (exit code {code}); the file may be corrupt.",
        code="ingest_crashed",
    ), started)
