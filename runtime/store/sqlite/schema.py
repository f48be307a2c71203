"""The SQLite file format of the reference store: its tables, indexes and triggers, created and
migrated with sqlite-utils.

A file records its format version in `ledgerspec_schema`. Opening a file applies the migrations it
lacks, in order, each in its own transaction; a file written by a newer ledgerspec (a version this
code does not know) is refused rather than guessed at.

The tables and indexes are those `ledgers` describes; a migration that adds a column or index
creates the ones the description marks with its version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import sqlite_utils

from ...errors import StorageError
from .. import stored
from ..database import newer_format
from ..ledgers import LEDGERS, TAIL, TYPICAL_ROWS, Index, Ledger, Running, index_name

VERSION_TABLE = "ledgerspec_schema"


def _create(db: sqlite_utils.Database, ledger: Ledger, version: int) -> None:
    """Create a ledger table as `ledgers` describes it at format `version`: its position column,
    metadata columns and tail, and its indexes (named by sqlite-utils unless the description
    names them)."""
    columns = [column for column in ledger.columns if column.since <= version]
    table = db.table(ledger.table)
    table.create(
        {ledger.order: int, **{column.name: column.kind for column in columns}, **dict.fromkeys(TAIL, bytes)},
        pk=ledger.order,
        not_null={*(column.name for column in columns if column.required), *TAIL},
    )
    for index in ledger.indexes:
        if index.since <= version:
            _create_index(db, ledger, index)


def _create_index(db: sqlite_utils.Database, ledger: Ledger, index: Index) -> None:
    """One index of the description (a partial one in SQL: sqlite-utils writes no WHERE clause)."""
    if index.where_set is None:
        db.table(ledger.table).create_index(list(index.columns), index_name=index.name, unique=index.unique)
        return
    name = index.name or f"idx_{ledger.table}_{'_'.join(index.columns)}"
    unique = "UNIQUE " if index.unique else ""
    db.execute(
        f"CREATE {unique}INDEX {name} ON {ledger.table}({', '.join(index.columns)}) WHERE {index.where_set} IS NOT NULL"
    )


def _append_only(db: sqlite_utils.Database) -> None:
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


def _planner_statistics(db: sqlite_utils.Database, ledgers: Sequence[Ledger] = LEDGERS) -> None:
    """Fixed `sqlite_stat1` rows describing a typical large ledger, so SQLite picks the selective
    index from the first row on (without statistics it would walk the 14-valued `kind` index
    before the correlation index) and plans never change with when ANALYZE last ran."""
    db.execute("ANALYZE")
    db.execute("DELETE FROM sqlite_stat1")
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for ledger in ledgers:
        # the described indexes only: one someone else added is verify's finding, not a statistic
        for index in [index_name(ledger, described) for described in ledger.indexes]:
            if index not in present:
                continue
            columns = [row[2] for row in db.execute(f"PRAGMA index_info({index})").fetchall()]
            stat, distinct = [TYPICAL_ROWS], 1
            for name in columns:
                distinct = min(TYPICAL_ROWS, distinct * (ledger.column(name).distinct or TYPICAL_ROWS))
                stat.append(-(-TYPICAL_ROWS // distinct))
            db.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                (ledger.table, index, " ".join(map(str, stat))),
            )
    db.execute("ANALYZE sqlite_schema")


def _version_1(db: sqlite_utils.Database) -> None:
    """The four ledgers, their indexes, the append-only triggers and the planner statistics."""
    for ledger in LEDGERS:
        _create(db, ledger, 1)
    _append_only(db)
    _planner_statistics(db)


def added_in(version: int, ledgers: Sequence[Ledger] = LEDGERS) -> Migration:
    """The migration to format `version` of a description that grew: it adds the columns and
    indexes `ledgers` marks `since=version`, fills each new column of every row from the row's
    document (`Ledger.derive`, read through `stored`) and each new running column from the rows
    before it, with the table's UPDATE trigger lifted for that transaction only, and refreshes
    the planner statistics. A column added after version 1 may be NULL (rows written before it
    have a document, not necessarily a value)."""

    def migration(db: sqlite_utils.Database) -> None:
        for ledger in ledgers:
            columns = [column for column in ledger.columns if column.since == version]
            for column in columns:
                kind = "TEXT" if column.kind is str else "INTEGER"
                db.execute(f"ALTER TABLE {ledger.table} ADD COLUMN {column.name} {kind}")
            if columns:
                with _updatable(db, ledger):
                    _fill(db, ledger, [column.name for column in columns])
            running = ledger.running
            if running is not None and running.since == version:
                db.execute(f"ALTER TABLE {ledger.table} ADD COLUMN {running.name} TEXT")
                with _updatable(db, ledger):
                    _fill_running(db, ledger, running)
            for index in ledger.indexes:
                if index.since == version:
                    _create_index(db, ledger, index)
        _planner_statistics(db, ledgers)

    return migration


@contextmanager
def _updatable(db: sqlite_utils.Database, ledger: Ledger) -> Iterator[None]:
    """The table's UPDATE trigger lifted for the block (inside the migration's transaction)."""
    guard = f"{ledger.table}_no_update"
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [guard]).fetchone()
    if found is None:  # someone dropped it: the migration leaves that for verify to report
        yield
        return
    db.execute(f"DROP TRIGGER {guard}")
    yield
    db.execute(found[0])


def _fill(db: sqlite_utils.Database, ledger: Ledger, names: list[str]) -> None:
    """Set the new columns `names` of every row of a table from its document."""
    at = [ledger.derived.index(name) for name in names]
    assignments = ", ".join(f"{name} = ?" for name in names)
    order = ledger.order
    page = f"SELECT {order}, document FROM {ledger.table} WHERE {order} > ? ORDER BY {order} LIMIT 1000"
    update = f"UPDATE {ledger.table} SET {assignments} WHERE {ledger.order} = ?"
    after = 0
    while rows := db.execute(page, [after]).fetchall():
        for position, data in rows:
            values = ledger.derive(data if ledger.type_name is None else stored.parse(data))
            db.execute(update, [*(values[i] for i in at), position])
        after = rows[-1][0]


def _fill_running(db: sqlite_utils.Database, ledger: Ledger, running: Running) -> None:
    """Set a new running column of every row (see `ledgers.Running`) in one statement."""
    order, table = ledger.order, ledger.table
    reach = f"SELECT {order} AS position, max({running.of}) OVER (ORDER BY {order}) AS value FROM {table}"
    db.execute(f"UPDATE {table} SET {running.name} = reach.value FROM ({reach}) AS reach WHERE {order} = position")


def _version_3(db: sqlite_utils.Database) -> None:
    """Rows appended from now on chain their sealed column too (`Ledger.sealed`: an artifact's
    kind); no table changes, but a ledgerspec that does not know it would read the new chain
    values as broken."""


Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: tuple[Migration, ...] = (_version_1, added_in(2), _version_3)
"""Migration `i` brings a file from version `i` to `i + 1`; the current version is their count."""


def file_version(db: sqlite_utils.Database) -> int:
    """The format version a file records (0 for a file ledgerspec never initialised)."""
    if not db.table(VERSION_TABLE).exists():
        return 0
    row = db.execute(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()
    return int(row[0] or 0)


def refuse_foreign(db: sqlite_utils.Database) -> None:
    """Raise StorageError when the file is a SQLite database holding something other than a
    ledger: ledgerspec only ever turns an empty file into a ledger, so someone else's database
    is left byte for byte as it was."""
    objects = [str(name) for (name,) in db.execute("SELECT name FROM sqlite_master ORDER BY name")]
    if objects and VERSION_TABLE not in objects:  # one statement: one snapshot, whoever commits meanwhile
        shown = ", ".join(objects[:5]) + (", ..." if len(objects) > 5 else "")
        raise StorageError(
            f"{_name(db)} is a SQLite database that is not a ledgerspec ledger (it holds {shown}); "
            "left untouched: a ledger needs a new or empty file"
        )


def migrate(db: sqlite_utils.Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
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


def _name(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2] or "the ledger file")
