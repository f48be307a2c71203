"""The SQLite file format of the reference store: its tables, indexes and triggers, created and
migrated with sqlite-utils.

A file records its format version in `ledgerspec_schema`. Opening a file applies the migrations it
lacks, in order, each in its own transaction; a file written by a newer ledgerspec (a version this
code does not know) is refused rather than guessed at.

Every ledger table has the same tail: `document` (the canonical bytes received), `hash` (their
SHA-256) and `chain` (SHA-256 of the previous row's `chain` and this row's `hash`), so one walk
proves a table untouched (`SqliteStore.verify`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import cache

from sqlite_utils import Database

from ..errors import StorageError
from .backend import definition_differences, newer_format
from .tables import ARTIFACT_INDEX, ARTIFACTS, EXPERIENCE, JOURNAL, LEDGERS, RUN_EVENTS, TIME_INDEX, TRACE_INDEX

VERSION_TABLE = "ledgerspec_schema"


_TAIL = {"document": bytes, "hash": bytes, "chain": bytes}
_TAIL_NOT_NULL = set(_TAIL)


def _create_experience(db: Database) -> None:
    table = db.table(EXPERIENCE.table)
    table.create(
        {
            "seq": int,
            "event_id": str,
            "kind": str,
            "tenant_id": str,
            "correlation_id": str,
            "chain_id": str,
            "occurred_at": str,
            "trace_link_id": str,
            "artifact_id": str,
            "artifact_kind": str,
            "artifact_state": str,
            **_TAIL,
        },
        pk="seq",
        not_null={"event_id", "kind", "occurred_at", *_TAIL_NOT_NULL},
    )
    table.create_index(["event_id"], unique=True)
    # One index per filter, each ending in `seq`, so a filtered query reads matches in append
    # order and stops at its limit; tenant-scoped views get tenant-leading pairs.
    for columns in (
        ["tenant_id", "seq"],
        ["tenant_id", "kind", "seq"],
        ["tenant_id", "occurred_at"],
        ["kind", "occurred_at"],
        ["correlation_id", "seq"],
        ["chain_id", "seq"],
        ["kind", "seq"],
    ):
        table.create_index(columns)
    table.create_index(["occurred_at"], index_name=TIME_INDEX)
    for name, column in ((TRACE_INDEX, "trace_link_id"), (ARTIFACT_INDEX, "artifact_id")):
        db.execute(f"CREATE INDEX {name} ON {EXPERIENCE.table}({column}, seq) WHERE {column} IS NOT NULL")


def _create_run_events(db: Database) -> None:
    table = db.table(RUN_EVENTS.table)
    table.create(
        {"id": int, "run_id": str, "seq": int, "kind": str, "ts_millis": int, **_TAIL},
        pk="id",
        not_null={"run_id", "seq", "kind", *_TAIL_NOT_NULL},
    )
    table.create_index(["run_id", "seq"], unique=True)


def _create_artifacts(db: Database) -> None:
    table = db.table(ARTIFACTS.table)
    table.create(
        {"id": int, "artifact_id": str, "kind": str, "size": int, **_TAIL},
        pk="id",
        not_null={"artifact_id", "kind", "size", *_TAIL_NOT_NULL},
    )
    table.create_index(["artifact_id"], unique=True)


def _create_journal(db: Database) -> None:
    table = db.table(JOURNAL.table)
    table.create(
        {
            "id": int,
            "run_id": str,
            "journal_seq": int,
            "record_id": str,
            "record_kind": str,
            "idempotency_key": str,
            "dedupe_key": str,
            **_TAIL,
        },
        pk="id",
        not_null={"run_id", "journal_seq", "record_id", "record_kind", *_TAIL_NOT_NULL},
    )
    table.create_index(["run_id", "journal_seq"], unique=True)
    table.create_index(["run_id", "record_id"])
    db.execute(
        f"CREATE INDEX idx_journal_idempotency ON {JOURNAL.table}(run_id, idempotency_key) "
        "WHERE idempotency_key IS NOT NULL"
    )
    db.execute(f"CREATE INDEX idx_journal_dedupe ON {JOURNAL.table}(run_id, dedupe_key) WHERE dedupe_key IS NOT NULL")


def _append_only(db: Database) -> None:
    """Triggers that make every ledger table append-only inside the database itself: no UPDATE, no
    DELETE, and no INSERT over an existing row (`INSERT OR REPLACE` deletes the old row without
    firing DELETE triggers unless the connection turned recursive triggers on)."""
    for ledger in LEDGERS:
        refuse = "BEGIN SELECT RAISE(ABORT, 'ledgerspec: {table} is append-only ({what} refused)'); END"
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {ledger.table}_no_{action.lower()} BEFORE {action} ON {ledger.table} "
                + refuse.format(table=ledger.table, what=action)
            )
        taken = " AND ".join(f"{column} = NEW.{column}" for column in ledger.key)
        db.execute(
            f"CREATE TRIGGER {ledger.table}_no_replace BEFORE INSERT ON {ledger.table} "
            f"WHEN EXISTS (SELECT 1 FROM {ledger.table} WHERE {ledger.order} = NEW.{ledger.order}) "
            f"OR EXISTS (SELECT 1 FROM {ledger.table} WHERE {taken}) "
            + refuse.format(table=ledger.table, what="INSERT over an existing row")
        )


PLANNED_ROWS = 1_000_000
RUNS = PLANNED_ROWS // 1000
DISTINCT = {
    EXPERIENCE.table: {
        "tenant_id": 50,
        "kind": 14,
        "correlation_id": PLANNED_ROWS // 100,
        "chain_id": PLANNED_ROWS // 50,
        "occurred_at": PLANNED_ROWS // 2,
        "trace_link_id": PLANNED_ROWS // 2,
        "artifact_id": PLANNED_ROWS // 20,
    },
    RUN_EVENTS.table: {"run_id": RUNS},
    JOURNAL.table: {"run_id": RUNS},
}
"""Distinct values per column in a typical table of PLANNED_ROWS rows; other columns are unique."""


def _planner_statistics(db: Database) -> None:
    """Fixed `sqlite_stat1` rows describing a typical large ledger, so SQLite picks the selective
    index from the first row on (without statistics it would walk the 14-valued `kind` index
    before the correlation index) and plans never change with when ANALYZE last ran."""
    db.execute("ANALYZE")
    db.execute("DELETE FROM sqlite_stat1")
    for ledger in LEDGERS:
        for (index,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (ledger.table,)
        ).fetchall():
            columns = [row[2] for row in db.execute(f"PRAGMA index_info({index})").fetchall()]
            stat, distinct = [PLANNED_ROWS], 1
            for column in columns:
                distinct = min(PLANNED_ROWS, distinct * DISTINCT.get(ledger.table, {}).get(column, PLANNED_ROWS))
                stat.append(-(-PLANNED_ROWS // distinct))
            db.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                (ledger.table, index, " ".join(map(str, stat))),
            )
    db.execute("ANALYZE sqlite_schema")


def _version_1(db: Database) -> None:
    """The four ledgers, their indexes, the append-only triggers and the planner statistics."""
    _create_experience(db)
    _create_run_events(db)
    _create_artifacts(db)
    _create_journal(db)
    _append_only(db)
    _planner_statistics(db)


Migration = Callable[[Database], None]
MIGRATIONS: tuple[Migration, ...] = (_version_1,)
"""Migration `i` brings a file from version `i` to `i + 1`; the current version is their count."""


def file_version(db: Database) -> int:
    """The format version a file records (0 for a file ledgerspec never initialised)."""
    if not db.table(VERSION_TABLE).exists():
        return 0
    row = db.execute(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()
    return int(row[0] or 0)


def refuse_foreign(db: Database) -> None:
    """Raise StorageError when the file is a SQLite database holding something other than a
    ledger: ledgerspec only ever turns an empty file into a ledger, so someone else's database
    is left byte for byte as it was."""
    if file_version(db) != 0:
        return
    objects = [str(name) for (name,) in db.execute("SELECT name FROM sqlite_master ORDER BY name")]
    if objects:
        shown = ", ".join(objects[:5]) + (", ..." if len(objects) > 5 else "")
        raise StorageError(
            f"{_name(db)} is a SQLite database that is not a ledgerspec ledger (it holds {shown}); "
            "left untouched: a ledger needs a new or empty file"
        )


def migrate(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the file to the newest version, one transaction per step; return that version.

    The version is re-read under the write lock, so processes opening an old file together
    migrate it once."""
    conn = db.conn
    while True:
        current = file_version(db)
        if current > len(migrations):
            raise newer_format(_name(db), current, len(migrations))
        if current == len(migrations):
            return current
        conn.execute("BEGIN IMMEDIATE")
        try:
            if file_version(db) == current:
                if current == 0:
                    refuse_foreign(db)  # again under the write lock: another process may have written it
                    db.table(VERSION_TABLE).create({"version": int}, pk="version")
                migrations[current](db)
                conn.execute(f"INSERT INTO {VERSION_TABLE}(version) VALUES (?)", (current + 1,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@cache
def expected_triggers() -> dict[str, str]:
    """The triggers (name and SQL) a file of this version holds: what `MIGRATIONS` creates in an
    empty in-memory database, so the expectation follows the migrations rather than a copy."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        db = Database(conn)
        migrate(db)
        return _triggers(db)


def _triggers(db: Database) -> dict[str, str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    return {str(name): str(sql) for name, sql in rows}


def trigger_problems(db: Database) -> list[str]:
    """How a file's triggers differ from those this version creates (see `expected_triggers`):
    a missing or changed trigger no longer keeps its table append-only."""
    found = _triggers(db)
    return definition_differences(
        "trigger", expected_triggers(), found, {name: repr(sql) for name, sql in found.items()}
    )


def _name(db: Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2] or "the ledger file")
