"""What `verify` compares a SQLite file's append-only triggers with: the triggers
`schema.MIGRATIONS` creates in an empty in-memory database, so the expectation follows the
migrations rather than a copy of them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import cache

import sqlite_utils

from ..database import definition_differences
from .schema import migrate


@cache
def expected_triggers() -> dict[str, str]:
    """The triggers (name and SQL) a file of this version holds: what `MIGRATIONS` creates in an
    empty in-memory database, so the expectation follows the migrations rather than a copy."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        db = sqlite_utils.Database(conn)
        migrate(db)
        return _triggers(db)


def _triggers(db: sqlite_utils.Database) -> dict[str, str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    return {str(name): str(sql) for name, sql in rows}


def problems(db: sqlite_utils.Database) -> list[str]:
    """How a file's triggers differ from those this version creates (see `expected_triggers`):
    a missing or changed trigger no longer keeps its table append-only."""
    found = _triggers(db)
    return definition_differences(
        "trigger", expected_triggers(), found, {name: repr(sql) for name, sql in found.items()}
    )
