"""One connection to a ledger file: pragmas, write transactions, SQLite errors turned into
ledgerspec errors, and the hash chain every ledger table carries."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from sqlite_utils import Database

from ..errors import StorageError
from .schema import LEDGERS, MIGRATIONS, Ledger, file_version, migrate

ROWS_PER_INSERT = 500
"""Rows per INSERT statement (13 columns each stays far below SQLite's 32,766 parameters)."""
CACHE_KIB = 65536
"""Page cache per connection: 64 MiB keeps the indexes of a large ledger's recent rows in memory."""
GENESIS = bytes(32)
"""The `chain` value before a table's first row."""

Synchronous = Literal["FULL", "NORMAL"]
Derived = tuple[tuple[str, ...], Callable[[bytes], tuple[Any, ...]]]
"""A table's metadata columns and how to compute them from a stored document."""


def link(previous: bytes, digest: bytes) -> bytes:
    """The chain value of a row: SHA-256 of the previous row's chain value and the row's hash."""
    return hashlib.sha256(previous + digest).digest()


class Row(NamedTuple):
    """A row to append: its own columns, then the canonical document and its SHA-256."""

    columns: tuple[Any, ...]
    document: bytes
    digest: bytes


@dataclass(frozen=True)
class Break:
    """The first row of a ledger table that fails verification, and why."""

    table: str
    position: int
    key: dict[str, Any]
    reason: str

    def __str__(self) -> str:
        ids = ", ".join(f"{name}={value!r}" for name, value in self.key.items())
        return f"{self.table} row {self.position} ({ids}): {self.reason}"


@dataclass(frozen=True)
class TableReport:
    """What `verify` found in one ledger table."""

    table: str
    rows: int
    head: str
    broken: Break | None


class LedgerFile:
    """A SQLite ledger file opened for one process: WAL mode, a busy timeout, and serialised
    access from this process's threads. Several processes may open the same file; writes take
    SQLite's write lock up front (`BEGIN IMMEDIATE`), so each write sees the latest rows."""

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
                conn = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    isolation_level=None,
                    timeout=busy_timeout,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._storage_error(exc) from None
        self.conn = conn
        self.db = Database(conn)
        try:
            with self.translated():
                conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
                if not readonly:
                    conn.execute("PRAGMA journal_mode=WAL")
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
            state = "is not a ledgerspec ledger" if version == 0 else f"has ledger format version {version}"
            raise StorageError(
                f"{self.path} {state}; open it writable once to migrate it "
                f"(this ledgerspec writes version {len(MIGRATIONS)})"
            )

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

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding SQLite's write lock from its first statement; rolled back
        entirely when the block raises, so a failed write leaves the file as it was."""
        with self.translated():
            if self.readonly:
                raise StorageError(f"{self.path} is opened read-only")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of a query."""
        with self.translated():
            return self.conn.execute(sql, params).fetchall()

    def head(self, ledger: Ledger) -> bytes:
        """The chain value of a table's last row (GENESIS for an empty table)."""
        row = self.conn.execute(f"SELECT chain FROM {ledger.table} ORDER BY {ledger.order} DESC LIMIT 1").fetchone()
        return GENESIS if row is None else bytes(row[0])

    def append_rows(self, ledger: Ledger, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert rows at the end of a table, chaining each to the one before. Call inside `write`."""
        if not rows:
            return
        previous = self.head(ledger)
        values: list[Any] = []
        for row in rows:
            previous = link(previous, row.digest)
            values.extend((*row.columns, row.document, row.digest, previous))
        # Several rows per INSERT statement: SQLite runs the append-only trigger program once per
        # statement, which per-row `executemany` would pay on every row (about half the time).
        width = len(columns) + 3
        names = ", ".join((*columns, "document", "hash", "chain"))
        one = f"({', '.join('?' * width)})"
        step = ROWS_PER_INSERT * width
        for start in range(0, len(values), step):
            part = values[start : start + step]
            marks = ", ".join([one] * (len(part) // width))
            self.conn.execute(f"INSERT INTO {ledger.table} ({names}) VALUES {marks}", part)

    def documents(
        self, ledger: Ledger, where: str = "", params: Sequence[Any] = (), page: int = 1000
    ) -> Iterator[bytes]:
        """Stored documents of a table in chain order, optionally filtered, read a page at a time
        so exporting a large ledger needs little memory."""
        condition = f" AND ({where})" if where else ""
        after = 0
        while True:
            rows = self.read(
                f"SELECT {ledger.order}, document FROM {ledger.table} WHERE {ledger.order} > ?{condition} "
                f"ORDER BY {ledger.order} LIMIT {page}",
                [after, *params],
            )
            for after, document in rows:  # noqa: B007 - `after` is the page's last position
                yield bytes(document)
            if len(rows) < page:
                return

    def verify(self, derived: Mapping[str, Derived]) -> list[TableReport]:
        """Walk every ledger table in chain order, re-hashing each document, re-linking the chain
        and re-deriving the metadata columns queries filter on (`derived`, per table); report
        per table the row count, the head chain value and the first broken row."""
        with self.translated():
            return [self._verify_table(ledger, derived[ledger.table]) for ledger in LEDGERS]

    def _verify_table(self, ledger: Ledger, derived: Derived) -> TableReport:
        columns, derive = derived
        names = ", ".join((ledger.order, *ledger.key, *columns, "document", "hash", "chain"))
        cursor = self.conn.execute(f"SELECT {names} FROM {ledger.table} ORDER BY {ledger.order}")
        keys = len(ledger.key)
        previous, count, broken = GENESIS, 0, None
        for count, row in enumerate(cursor, start=1):  # noqa: B007 - the count is the row total
            document, digest, chain = (bytes(value or b"") for value in row[-3:])
            reason = None
            if hashlib.sha256(document).digest() != digest:
                reason = "document does not match its stored hash (the document was changed)"
            elif chain != link(previous, digest):
                reason = "hash chain broken (a row before it was changed, removed or inserted)"
            elif (stored := tuple(row[1 + keys : -3])) != (expected := derive(document)):
                changed = [name for name, a, b in zip(columns, stored, expected, strict=True) if a != b]
                reason = f"indexed column(s) {', '.join(changed)} no longer match the document"
            if reason is not None and broken is None:
                broken = Break(ledger.table, row[0], dict(zip(ledger.key, row[1 : 1 + keys], strict=True)), reason)
            previous = chain
        return TableReport(ledger.table, count, previous.hex(), broken)
