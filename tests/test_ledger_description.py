"""The ledger descriptions (`ledgerspec.store.ledgers`) are the one statement of each table's
shape: both databases' DDL follows them, and a column added to a description reaches an existing
SQLite file through one migration, filled from the stored documents."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from ledger_documents import envelope
from sqlite_utils import Database

from ledgerspec.models import converge
from ledgerspec.store import SqliteStore
from ledgerspec.store.ledgers import EXPERIENCE, LEDGERS, Column, Index, Ledger
from ledgerspec.store.postgres.schema import tables
from ledgerspec.store.sqlite import definitions
from ledgerspec.store.sqlite.schema import MIGRATIONS, added_in, file_version, migrate

NEXT = len(MIGRATIONS) + 1
"""The format version after this code's."""


def _with_source(ledger: Ledger) -> Ledger:
    """The experience description grown by one indexed column at the next format version: the
    envelope's `correlation_id` again, under a new name (any value the document gives will do)."""

    def derive(value: Any) -> tuple[Any, ...]:
        return (*ledger.derive(value), value.get("correlation_id"))

    return dataclasses.replace(
        ledger,
        columns=(*ledger.columns, Column("source", str, since=NEXT)),
        indexes=(*ledger.indexes, Index(("source", "seq"), since=NEXT)),
        derive=derive,
    )


def test_an_added_column_is_one_description_change_and_one_migration(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    with SqliteStore(path) as store:
        store.experience.append_events(
            [envelope("e1", correlation="c1"), envelope("e2", correlation=None), envelope("e3", correlation="c3")]
        )
    grown = [_with_source(ledger) if ledger is EXPERIENCE else ledger for ledger in LEDGERS]
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        db = Database(conn)
        assert migrate(db, (*MIGRATIONS, added_in(NEXT, grown))) == NEXT
        rows = conn.execute(f"SELECT event_id, source FROM {EXPERIENCE.table} ORDER BY seq").fetchall()
        assert rows == [("e1", "c1"), ("e2", None), ("e3", "c3")]
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert f"idx_{EXPERIENCE.table}_source_seq" in indexes
        plan = " ".join(
            row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN SELECT seq FROM {EXPERIENCE.table} WHERE source = 'c1'")
        )
        assert f"idx_{EXPERIENCE.table}_source_seq" in plan
        # The UPDATE trigger lifted for the fill is back, as it was.
        assert [problem for problem in definitions.problems(db) if problem.startswith("trigger")] == []
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(f"UPDATE {EXPERIENCE.table} SET source = 'x'")
        assert file_version(db) == NEXT


def test_a_file_of_version_1_gains_the_running_maximum_of_its_times(tmp_path: Path) -> None:
    """Opening a version-1 file (no `max_occurred_at`) migrates it: every row gets the greatest
    `occurred_at` of the rows up to it, out-of-order times included, the file verifies, and a
    window query walks from the right row."""
    path = tmp_path / "ledger.db"
    times = ["2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-02T12:00:00Z"]
    with SqliteStore(path) as store:
        store.experience.append_events([envelope(f"e{n}", at=at) for n, at in enumerate(times)])
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:  # the file as version 1 wrote it
        conn.execute(f"ALTER TABLE {EXPERIENCE.table} DROP COLUMN max_occurred_at")
        conn.execute("DELETE FROM ledgerspec_schema WHERE version >= 2")
        assert file_version(Database(conn)) == 1
    with SqliteStore(path) as store:
        rows = store.database.read(f"SELECT max_occurred_at FROM {EXPERIENCE.table} ORDER BY seq")
        assert [value for (value,) in rows] == [times[0], times[0], times[2], times[2]]
        assert store.verify().ok
        window = converge.TimeRange(start="2026-01-02T00:00:00Z", end="2026-01-02T23:00:00Z")
        found = store.experience.query_events(converge.EventQuery(kinds=[], limit=1, time_range=window))
        assert [event.event_id for event in found] == ["e0"]


def test_postgres_ddl_follows_the_description() -> None:
    """Every described column and index appears in the PostgreSQL DDL, in the description's
    order, and a column added later is absent from version 1's tables."""
    for ledger in LEDGERS:
        ddl = tables(ledger, 1)
        positions = [ddl.index(f"\n    {column.name} ") for column in ledger.columns]
        assert positions == sorted(positions)
        for column in ledger.columns:
            kind = "bytea" if column.kind is str else "bigint"
            assert f"{column.name} {kind}{' NOT NULL' if column.required else ''}," in ddl
    grown = _with_source(EXPERIENCE)
    assert "source" not in tables(grown, 1)
    assert "source bytea," in tables(grown, NEXT)
