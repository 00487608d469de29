"""The restorer counts' tests (tests/test_restorer_counts.py) again, on PostgreSQL.

Every test there runs here a second time with its database opener pointed at PostgreSQL: each
path a test opens becomes its own fresh schema on the session's private server (tests/servers.py),
so restorer_counts.py's SQL is checked on both dialects by the same assertions (identical
``restore()`` to the in-memory restorer, exact subtraction, rollback). Skipped, saying why, where
the PostgreSQL binaries or psycopg are missing.
"""

from __future__ import annotations

import itertools

import pytest

import test_restorer_counts as base

pytestmark = pytest.mark.servers

for _name in dir(base):
    if _name.startswith("test_"):
        globals()[_name] = getattr(base, _name)

_names = itertools.count(1)


@pytest.fixture(scope="module")
def restorer_database(pg_server):
    from tests.servers import create_database, drop_database

    url = create_database(pg_server, "restorer_counts")
    yield url
    drop_database(pg_server, "restorer_counts")


@pytest.fixture(autouse=True)
def on_postgres(restorer_database, monkeypatch):
    """Each distinct path opened during the test is a fresh PostgreSQL schema (cheaper than a
    database: the hypothesis test opens two per example), dropped afterwards."""
    import psycopg
    from tracuu.index.catalog.pg import open_db

    made: dict[str, tuple[str, object]] = {}

    def open_pg(path):
        key = str(path)
        if key not in made:
            schema = f"s{next(_names)}"
            with psycopg.connect(restorer_database, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            made[key] = (schema, open_db(f"{restorer_database}?options=-csearch_path%3D{schema}"))
        return made[key][1]

    monkeypatch.setattr(base, "open_test_db", open_pg)
    yield
    with psycopg.connect(restorer_database, autocommit=True) as conn:
        for schema, db in made.values():
            db.close()
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_the_tables_are_on_postgres(tmp_path):
    db = base._db(tmp_path)
    other = base._db(tmp_path, "other.sqlite")
    assert db.dialect == "postgresql"
    assert db.execute("SELECT current_schema()").fetchone()[0] != other.execute("SELECT current_schema()").fetchone()[0]
    assert db.execute("SELECT count(*) FROM restorer_uni").fetchone()[0] == 0
