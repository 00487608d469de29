"""PLACEHOLDER until h12-catalog's index/catalog/migrations.py is merged (it replaces this file whole).

Why it exists on branch h12-pg: keyword_pg.py's MIGRATIONS need the contract's ``Migration`` type and
the tests need its runner; this is the contract's runner, nothing more (issue 12's shared contract:
``_migrations(name TEXT PRIMARY KEY, applied_at TEXT)``, missing ones applied in order, one transaction each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Any], None]


def migrate(db: Any, migrations: list[Migration]) -> list[str]:
    """Apply the missing migrations in order, one transaction each; returns the names applied."""
    with db.transaction():
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    out = []
    for m in migrations:
        with db.transaction():
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (m.name,)).fetchone():
                continue
            m.apply(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                       (m.name, dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")))
        out.append(m.name)
    return out
