"""Time spent waiting for Python locks, per lock, installed by a benchmark around a live service.

Why a wrapper the bench installs: issue 12 asks what share of a query's latency, at 16 concurrent
clients, is spent waiting for locks (readers should take no global lock). Putting timers in the
product would cost every request; instead :func:`instrument` walks the service's object graph
(and the project's modules) once, before the clients start, and replaces each
``threading.Lock``/``RLock`` it finds with a :class:`TimedLock` that measures how long each
``acquire`` blocked. The code under test is unchanged, so the same bench measures the old
in-memory index and the new catalog alike: whatever locks a version has are found and timed.

What it cannot see: locks inside C extensions (SQLite's own busy waits, Chroma's Rust side), a
lock held in a closure or a local variable, and the GIL. Their waits stay in the latency, in the
"not lock waits" remainder.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from typing import Any, Iterator

LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))
OUR_PACKAGES = ("api", "index", "ingest")
_REPLACED: list[tuple[Any, str, Any]] = []  # (owner, attribute, original lock), for restore()


class WaitLog:
    """Per-thread sums of blocked seconds by lock name (no shared counter to contend on)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[dict[str, float]] = []
        self._guard = threading.Lock()

    def _mine(self) -> dict[str, float]:
        d = getattr(self._local, "d", None)
        if d is None:
            d = self._local.d = defaultdict(float)
            with self._guard:
                self._all.append(d)
        return d

    def add(self, name: str, seconds: float) -> None:
        self._mine()[name] += seconds

    def thread_total(self) -> float:
        """Seconds this thread has waited so far, all locks together."""
        return sum(self._mine().values())

    def totals(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for d in list(self._all):
            for k, v in list(d.items()):
                out[k] += v
        return dict(out)

    def reset(self) -> None:
        for d in list(self._all):
            d.clear()


class TimedLock:
    """A Lock/RLock stand-in that records how long each blocking ``acquire`` waited."""

    def __init__(self, inner: Any, name: str, log: WaitLog) -> None:
        self._inner, self.name, self._log = inner, name, log

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._inner.acquire(False):  # uncontended: no clock read worth recording
            return True
        if not blocking:
            return False
        t0 = time.perf_counter()
        got = self._inner.acquire(True, timeout)
        self._log.add(self.name, time.perf_counter() - t0)
        return got

    def release(self) -> None:
        self._inner.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def locked(self) -> bool:
        return self._inner.locked() if hasattr(self._inner, "locked") else False

    def __getattr__(self, name: str) -> Any:  # _is_owned, _release_save... for Condition users
        return getattr(self._inner, name)


def _ours(obj: Any) -> bool:
    parts = (type(obj).__module__ or "").split(".")
    if parts[0] == "tracuu":  # the installed names: tracuu.api, tracuu.index, tracuu.ingest
        parts = parts[1:]
    return bool(parts) and parts[0] in OUR_PACKAGES


def _children(obj: Any, most: int = 64) -> Iterator[Any]:
    """Attribute values, and the items of small containers (a map of 100k clauses holds no lock)."""
    values = list(vars(obj).values()) if hasattr(obj, "__dict__") else []
    for v in values:
        if isinstance(v, dict):
            if len(v) <= most:
                yield from v.values()
        elif isinstance(v, (list, tuple)):
            if len(v) <= most:
                yield from v
        else:
            yield v


def instrument(root: Any, log: WaitLog, depth: int = 4) -> list[str]:
    """Replace every lock reachable from ``root`` through the project's own objects (and the
    module-level locks of loaded ``api``/``index``/``ingest`` modules) with a :class:`TimedLock`.
    Returns the names of the locks wrapped. Call it before the concurrent clients start."""
    wrapped: list[str] = []
    seen: set[int] = set()

    def visit(obj: Any, level: int) -> None:
        if id(obj) in seen or level > depth or not _ours(obj) or not hasattr(obj, "__dict__"):
            return
        seen.add(id(obj))
        for name, value in list(vars(obj).items()):
            if isinstance(value, LOCK_TYPES):
                label = f"{type(obj).__name__}.{name}"
                _REPLACED.append((obj, name, value))
                setattr(obj, name, TimedLock(value, label, log))
                wrapped.append(label)
        for child in _children(obj):
            visit(child, level + 1)

    visit(root, 0)
    for modname, module in list(sys.modules.items()):
        if module is None or modname.split(".", 1)[0] not in OUR_PACKAGES:
            continue
        for name, value in list(vars(module).items()):
            if isinstance(value, LOCK_TYPES):
                label = f"{modname}.{name}"
                _REPLACED.append((module, name, value))
                setattr(module, name, TimedLock(value, label, log))
                wrapped.append(label)
    return wrapped


def restore() -> None:
    """Put back every lock :func:`instrument` replaced (call only once no thread holds one)."""
    while _REPLACED:
        owner, name, original = _REPLACED.pop()
        setattr(owner, name, original)
