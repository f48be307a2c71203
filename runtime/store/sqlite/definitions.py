"""What `verify` compares a SQLite file's tables, views, triggers and indexes with: those
`schema.MIGRATIONS` creates in an empty in-memory database, so the expectation follows the
migrations rather than a copy of them; and SQLite's own check that every index holds exactly its
table's rows."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import cache

import sqlite_utils

from ..database import definition_differences
from .schema import migrate

KINDS = ("table", "view", "trigger", "index")
INTEGRITY_LINES = 20
"""How many of SQLite's integrity findings a report quotes."""


@cache
def expected_definitions(kind: str) -> dict[str, str]:
    """The triggers or indexes (name and SQL) a file of this version holds: what `MIGRATIONS`
    creates in an empty in-memory database, so the expectation follows the migrations rather
    than a copy."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        db = sqlite_utils.Database(conn)
        migrate(db)
        return _definitions(db, kind)


def expected_triggers() -> dict[str, str]:
    """The triggers a file of this version holds (see `expected_definitions`)."""
    return expected_definitions("trigger")


def _definitions(db: sqlite_utils.Database, kind: str) -> dict[str, str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", [kind])
    return {str(name): str(sql) for name, sql in rows}


def problems(db: sqlite_utils.Database) -> list[str]:
    """How a file's tables, views, triggers and indexes differ from those this version creates
    (a table redeclared through `writable_schema` can change what queries match, a collation on
    `kind` for one; a missing or changed trigger no longer keeps its table append-only; an extra
    index can answer a read in place of the table, a missing or changed one makes queries miss
    or misplace rows), and
    whatever SQLite's integrity check finds (an index whose entries are not its table's rows
    answers queries with rows the table does not hold)."""
    found = []
    for kind in KINDS:
        present = _definitions(db, kind)
        shown = {name: repr(sql) for name, sql in present.items()}
        found += definition_differences(kind, expected_definitions(kind), present, shown)
    checked = [str(line) for (line,) in db.execute(f"PRAGMA integrity_check({INTEGRITY_LINES})")]
    return found if checked == ["ok"] else [*found, *(f"integrity check: {line}" for line in checked)]
