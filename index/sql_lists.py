"""Bound-parameter lists for ``IN (...)`` and ``VALUES`` clauses, shared by the SQL-backed stores.

Why: SQLite caps the bound variables of one statement (32 766 in recent builds, 999 in old ones) and
PostgreSQL plans long lists badly; every store that looks keys up by the hundred cuts them the same way.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence


def chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``n``."""
    for i in range(0, len(items), n):
        yield items[i : i + n]


def marks(n: int) -> str:
    """``?,?,…`` with ``n`` placeholders."""
    return ",".join("?" * n)
