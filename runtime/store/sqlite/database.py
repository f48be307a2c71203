"""The SQLite database of a store: one connection to a ledger file with its pragmas, write transactions,
and SQLite errors turned into ledgerspec errors."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlite_utils

from ...errors import StorageError
from .. import stored
from ..chain import GENESIS, Row, link, linked
from ..database import Database, Stream, format_error
from ..ledgers import TAIL, Ledger, Running
from . import definitions
from .schema import MIGRATIONS, file_version, migrate, refuse_foreign

T = TypeVar("T")

ROWS_PER_INSERT = 500
"""Rows per INSERT statement (13 columns each stays far below SQLite's 32,766 parameters)."""
CACHE_KIB = 65536
"""Page cache per connection: 64 MiB keeps the indexes of a large ledger's recent rows in memory."""

Synchronous = Literal["FULL", "NORMAL"]


def open_readonly(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """A read-only connection to a ledger file. A WAL-mode file is read through its `-shm`
    index, which SQLite creates beside the file when it is missing; where it cannot (a directory
    the reader may not write: someone else's ledger, read-only media) the file is opened as
    immutable instead, which is exact when no write-ahead log holds commits not yet in the file
    (there is none: no writer can have created one in that directory)."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" not in str(exc):  # a busy or locked file is not read as immutable
            raise
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StorageError(
                f"{path}: cannot read it: its directory is not writable and its write-ahead log {wal.name} "
                "holds commits not yet in the file (open it once where it can be written to fold them in)"
            ) from None
    return sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=timeout, check_same_thread=False
    )


def _write_ahead_log(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Put the file in WAL mode. Switching needs the file to itself, and when several processes
    open a new file together SQLite answers "locked" at once instead of waiting (each holds a
    read lock the others need gone), so the switch is retried until `busy_timeout` has passed."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.001, 0.01))


class SqliteDatabase(Database):
    """A SQLite ledger file opened for one process: WAL mode, a busy timeout, and serialised
    access from this process's threads. Several processes may open the same file; writes take
    SQLite's write lock up front (`BEGIN IMMEDIATE`), so each write sees the latest rows."""

    indexes_hold_order = True  # an index entry ends in its row's rowid: the table's `order` column
    keeps_running = True

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        busy_timeout: float = 30.0,
        synchronous: Synchronous = "FULL",
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout = busy_timeout
        self.lock = threading.RLock()
        if readonly and not self.path.exists():
            raise StorageError(f"{self.path} does not exist")
        try:
            if readonly:
                conn = open_readonly(self.path, busy_timeout)
            else:
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._storage_error(exc) from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        try:
            with self.translated():
                conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
                # The append-only trigger makes every INSERT keep a statement journal (to undo
                # the statement alone if the trigger aborts it), a temporary file by default:
                # about a quarter of an append's time. Kept in memory, as are sorts.
                conn.execute("PRAGMA temp_store=MEMORY")
                if not readonly:
                    refuse_foreign(self.db)  # before the WAL pragma, which would rewrite its header
                    _write_ahead_log(conn, busy_timeout)
                    conn.execute(f"PRAGMA synchronous={synchronous}")
                    migrate(self.db)
                else:
                    self._check_readable()
        except BaseException:
            conn.close()  # a failed open must not keep the file open (or locked) behind the error
            raise

    def _check_readable(self) -> None:
        version = file_version(self.db)
        if version != len(MIGRATIONS):
            raise format_error(str(self.path), version, len(MIGRATIONS), empty="is not a ledgerspec ledger")

    def close(self) -> None:
        """Close the connection (further calls fail with a storage error)."""
        with self.lock:
            self.conn.close()

    def _storage_error(self, exc: sqlite3.Error) -> StorageError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StorageError(f"{self.path} is locked by another writer (waited {self.busy_timeout:g}s): {text}")
        if "readonly" in text or "read-only" in text:
            return StorageError(f"{self.path} is read-only: {text}")
        if "append-only" in text:
            return StorageError(text)
        return StorageError(f"{self.path}: {text}")

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Run a block with this process's lock held, turning SQLite errors into StorageError."""
        with self.lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise self._storage_error(exc) from None

    def transact(self, ledger: Ledger, work: Callable[[], T]) -> T:
        """Run `work` in a transaction holding SQLite's write lock from its first statement (the
        whole file's: `ledger` needs no lock of its own); rolled back entirely when it raises, so
        a failed write leaves the file as it was."""
        with self.translated():
            if self.readonly:
                raise StorageError(f"{self.path} is opened read-only")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.translated():
            return self.conn.execute(sql, params).fetchall()

    @contextmanager
    def snapshot(self) -> Iterator[Stream]:
        """A read transaction: in WAL mode it sees the file as of its first read."""
        with self.translated():
            self.conn.execute("BEGIN")

            def stream(sql: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
                return self.conn.execute(sql, params)

            try:
                yield stream
            finally:
                self.conn.execute("COMMIT")

    @contextmanager
    def verify_snapshot(self) -> Iterator[Stream]:
        """`snapshot`, reading TEXT that is not UTF-8 (raw SQL stores any bytes as TEXT) as the
        bytes it holds, where sqlite3 would stop the whole walk at it: verify reports the row and
        goes on. The connection's lock is held throughout, so no other read sees the change."""
        with self.snapshot() as stream:
            self.conn.text_factory = stored.lenient_text
            try:
                yield stream
            finally:
                self.conn.text_factory = str

    def source(self, ledger: Ledger, index: str, alias: str = "") -> str:
        named = f"{ledger.table} {alias}" if alias else ledger.table
        return f"{named} INDEXED BY {index}"

    def rows_of(self, ledger: Ledger) -> str:
        return f"{ledger.table} NOT INDEXED"  # the table's own b-tree, in rowid (order column) order

    def last_position(self, ledger: Ledger) -> int:
        return self.count(f"SELECT max({ledger.order}) FROM {ledger.table}")

    def _head(self, ledger: Ledger) -> bytes:
        """The chain value of a table's last row (GENESIS for an empty table)."""
        row = self.conn.execute(
            f"SELECT {ledger.order}, chain FROM {ledger.table} ORDER BY {ledger.order} DESC LIMIT 1"
        ).fetchone()
        return GENESIS if row is None else stored.bytes_of(row[1], ledger.table, row[0], "chain")

    def _reach(self, running: Running, ledger: Ledger) -> Any:
        """The running column's value after a table's last row: the greatest value of the column
        it follows (read from that column's index, not from the last row's stored value)."""
        return self.conn.execute(f"SELECT max({running.of}) FROM {ledger.table}").fetchone()[0]

    def definition_problems(self) -> list[str]:
        with self.translated():
            return definitions.problems(self.db)

    def append_rows(self, ledger: Ledger, rows: Sequence[Row]) -> None:
        if not rows:
            return
        previous = self._head(ledger)
        values: list[Any] = []
        running = ledger.running
        if running is None:
            for row in rows:
                previous = link(previous, linked(ledger, row))
                values.extend((*row.columns, row.document, row.digest, previous))
        else:
            at, reach = ledger.names.index(running.of), self._reach(running, ledger)
            for row in rows:
                previous = link(previous, linked(ledger, row))
                value = row.columns[at]
                reach = value if reach is None or value > reach else reach
                values.extend((*row.columns, reach, row.document, row.digest, previous))
        # Several rows per INSERT statement: one statement journal per statement, where a
        # per-row `executemany` would open one per row.
        kept = ledger.names if running is None else (*ledger.names, running.name)
        width = len(kept) + len(TAIL)
        names = ", ".join((*kept, *TAIL))
        one = f"({', '.join('?' * width)})"
        step = ROWS_PER_INSERT * width
        for start in range(0, len(values), step):
            part = values[start : start + step]
            marks = ", ".join([one] * (len(part) // width))
            self.conn.execute(f"INSERT INTO {ledger.table} ({names}) VALUES {marks}", part)
