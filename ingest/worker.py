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
costs most of a second per file; the fork server (``python -m tracuu.ingest.worker``, started on first
use) imports them once and forks a clean, single-threaded copy per file (no threads or locks of
the web server are inherited, unlike a plain ``fork`` of the server). POSIX only.

``Reading.isolation == "inline"`` (``TRACUU_INGEST_ISOLATION=inline``, read by ``api.config``)
reads files in the calling process (a debugger, a profiler); the size limits still apply there,
memory and time limits do not. The settings come in as a :class:`~ingest.reading.Reading`; this
module never reads the environment.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from tracuu.ingest import limits, reading
from tracuu.ingest.errors import IngestError
from tracuu.ingest.manifest import Manifest
from tracuu.ingest.pipeline import IngestOutcome, ingest_file

_PRELOAD = (
    "tracuu.ingest.pipeline", "tracuu.ingest.parser", "tracuu.ingest.tasks", "tracuu.ingest.loaders.txt",
    "tracuu.ingest.loaders.pdf", "tracuu.ingest.loaders.docx", "docx", "pdfplumber", "pypdf",
)
_HEAD = struct.Struct("<Q")
_EXIT_MEMORY = 3  # a reader that could not even report: treated as out of memory
_STARTUP_S = 60.0  # time a fresh fork server may take to answer its first request


def _send(fh: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEAD.pack(len(data)) + data)
    fh.flush()


def _read_exact(fd: int, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = os.read(fd, min(n - len(out), 1 << 20))
        if not chunk:
            raise EOFError("fork server closed its pipe")
        out += chunk
    return bytes(out)


def _recv(fd: int) -> Any:
    (n,) = _HEAD.unpack(_read_exact(fd, _HEAD.size))
    return pickle.loads(_read_exact(fd, n))


class _ForkServer:
    """A child interpreter (``python -m tracuu.ingest.worker``) that imported the loaders once and
    forks one grandchild per file. Requests are serialised: one file is read at a time.

    Why not :mod:`multiprocessing`: its fork server re-runs the caller's main script in every
    child (a test runner, ``python -c``, an embedding application...), which breaks or does
    surprising work; this one knows nothing of the caller.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("OMP_THREAD_LIMIT", "1")
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        return subprocess.Popen([sys.executable, "-m", "tracuu.ingest.worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env, close_fds=True)

    def run(self, path: Path, manifest: Manifest, how: reading.Reading) -> tuple[bytes | None, tuple[int, int] | None]:
        """(pickled outcome or None, (the grandchild's wait status, its peak resident bytes)), or
        a None status when it was killed for time."""
        with self.lock:
            for attempt in range(2):
                if self.proc is None or self.proc.poll() is not None:
                    self.proc = self._start()
                proc = self.proc
                assert proc.stdin is not None and proc.stdout is not None
                try:
                    _send(proc.stdin, (str(path), manifest, how))
                    fd = proc.stdout.fileno()
                    if not _wait_readable(fd, _STARTUP_S):
                        raise EOFError("fork server did not answer")
                    kind, pid = _recv(fd)
                    timed_out = not _wait_readable(fd, how.limits.timeout_s)
                    if timed_out:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                    kind, data, status = _recv(fd)
                    return (None if timed_out else data), (None if timed_out else status)
                except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                    self._stop()
                    if attempt:
                        raise
        raise EOFError("unreachable")  # pragma: no cover

    def _stop(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self.proc = None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _wait_readable(fd: int, timeout: float) -> bool:
    ready, _, _ = select.select([fd], [], [], timeout)
    return bool(ready)


_server = _ForkServer()


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


def _child(path: str, manifest: Manifest, how: reading.Reading) -> IngestOutcome:
    """In the grandchild: cap memory and CPU time, read the file (never raises)."""
    lim = how.limits
    try:
        import resource

        cap = _mapped_bytes() + lim.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = lim.timeout_s + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass
    reading.use(how)
    started = time.perf_counter()
    try:
        outcome = _check_size(ingest_file(Path(path), manifest), lim)
        if outcome.source is not None:  # the caller needs the text only; blocks are large
            outcome.source = replace(outcome.source, blocks=[])
        return outcome
    except MemoryError:
        return _memory_error(Path(path), lim, started)
    except Exception as exc:  # a bug in a loader: report it, the service stays up
        err = IngestError(f"Lỗi khi đọc tệp ({type(exc).__name__}).",
                          f"Reading the file failed ({type(exc).__name__}: {str(exc)[:200]}).",
                          code="ingest_failed")
        return _failed(Path(path), err, started)


def serve() -> None:
    """The fork server's loop (``python -m tracuu.ingest.worker``): one request, one forked reader."""
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional loader missing: its files fail in the child instead
            pass
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    fd_in = stdin.fileno()
    while True:
        try:
            path, manifest, how = _recv(fd_in)
        except EOFError:
            return
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the reader: its own limits, one file, one answer
            os.close(r)
            # Made before the limits bite: out of memory, there may be no room left to build it.
            fallback = pickle.dumps(_memory_error(Path(path), how.limits, time.perf_counter()))
            code = 0
            try:
                outcome = _child(path, manifest, how)
                try:
                    payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                except MemoryError:
                    payload = fallback
                del outcome
                _write_all(w, payload)
            except MemoryError:
                try:
                    os.write(w, fallback)
                except OSError:
                    code = _EXIT_MEMORY
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                code = _EXIT_MEMORY
            finally:
                os._exit(code)
        os.close(w)
        _send(stdout, ("pid", pid))
        chunks = []
        with os.fdopen(r, "rb") as inp:
            while True:
                chunk = inp.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status, usage = os.wait4(pid, 0)
        _send(stdout, ("done", b"".join(chunks), (status, usage.ru_maxrss * 1024)))


def _memory_error(path: Path, lim: limits.Limits, started: float) -> IngestOutcome:
    return _failed(path, limits.limit_error(
        "memory_mb", f"{lim.memory_mb} MB", "hơn / more than that",
        f"Tệp '{path.name}': bộ nhớ cần để đọc tệp", f"File '{path.name}': memory needed to read it",
    ), started)


def ingest_untrusted(path: Path, manifest: Manifest, lim: limits.Limits | None = None,
                     how: reading.Reading | None = None) -> IngestOutcome:
    """Load and parse ``path`` within the limits; every failure is an error outcome, never a raise.

    ``how``: the reading settings (the caller's, read once from ``api.config.Settings``; None:
    the ones in force in this process); ``lim`` replaces its limits."""
    started = time.perf_counter()
    path = Path(path)
    how = how or reading.current()
    if lim is not None:
        how = replace(how, limits=lim)
    lim = how.limits
    if how.isolation == "inline":
        previous = reading.current()
        reading.use(how)
        try:
            return _check_size(ingest_file(path, manifest), lim)
        finally:
            reading.use(previous)
    try:
        data, status = _server.run(path, manifest, how)
    except (EOFError, OSError, pickle.UnpicklingError, ValueError) as exc:
        return _failed(path, IngestError(
            f"Không khởi động được tiến trình đọc tệp ({type(exc).__name__}).",
            f"The file reader process could not run ({type(exc).__name__}: {exc}).",
            code="ingest_crashed",
        ), started)
    if status is None:  # killed for time
        return _failed(path, limits.limit_error(
            "timeout_s", f"{lim.timeout_s} s", "hơn / more than that",
            f"Tệp '{path.name}': thời gian đọc tệp", f"File '{path.name}': time to read it",
        ), started)
    if data:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a truncated answer: judged by the exit status below
            pass
    status, peak = status
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    # Out of address space, CPython may abort (SIGABRT), a C library may crash (SIGSEGV/SIGBUS)
    # and the kernel's OOM killer sends SIGKILL: with a peak near the cap, that was memory.
    exited = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 0
    if sig == signal.SIGKILL or exited == _EXIT_MEMORY or (sig and peak >= lim.memory_mb * 2**20 // 2):
        return _memory_error(path, lim, started)
    if sig == signal.SIGXCPU:
        return _failed(path, limits.limit_error(
            "timeout_s", f"{lim.timeout_s} s", "hơn / more than that",
            f"Tệp '{path.name}': thời gian đọc tệp", f"File '{path.name}': time to read it"), started)
    return _failed(path, IngestError(
        f"Tiến trình đọc tệp '{path.name}' bị dừng bất thường (tín hiệu {sig}, mã {exited}); tệp có thể bị hỏng.",
        f"The process reading '{path.name}' stopped abnormally (signal {sig}, exit code {exited}); the file may be corrupt.",
        code="ingest_crashed",
    ), started)


if __name__ == "__main__":
    serve()
