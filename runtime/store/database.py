"""What the four ledgers need from a database, so the same ledger code (its rules, checks and
SQL) runs on SQLite and on PostgreSQL (`sqlite.database`, `postgres.database`).

A database runs SQL written with `?` placeholders, gives write transactions that hold a ledger
table's write lock (so every write sees the rows before it and seqs stay gap-free), appends rows
to the end of a table's hash chain, and streams a table for `verify` and export.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from ..errors import StorageError
from . import stored
from .chain import Derived, Row, TableReport, verified_columns, walk
from .ledgers import LEDGERS, Ledger

T = TypeVar("T")
Stream = Callable[[str, Sequence[Any]], Iterator[Sequence[Any]]]
"""Streams the rows of a query with its parameters."""
PAGE = 1000
"""Documents read per query when streaming a table."""


def definition_differences(
    kind: str, expected: Mapping[str, T], found: Mapping[str, T], show: Mapping[str, str], extras: bool = True
) -> list[str]:
    """How the `found` definitions of `kind` (trigger, function) differ from the `expected` ones,
    both by name: missing, changed (shown as `show` has them) and, with `extras`, ones ledgerspec
    does not create. Both backends' `definition_problems` state their findings through it."""
    problems = []
    for name, definition in expected.items():
        if name not in found:
            problems.append(f"{kind} {name} is missing")
        elif found[name] != definition:
            problems.append(f"{kind} {name} differs from the one ledgerspec creates: {show.get(name, '')}")
    if extras:
        problems += [
            f"{kind} {name} is not one ledgerspec creates: {show.get(name, '')}"
            for name in found.keys() - expected.keys()
        ]
    return problems


def newer_format(where: str, version: int, known: int) -> StorageError:
    """The error for a ledger recording a format `version` newer than the `known` one this code writes."""
    return StorageError(
        f"{where} has ledger format version {version}, newer than this ledgerspec knows ({known}); "
        "upgrade ledgerspec to open it"
    )


def format_error(where: str, version: int, known: int, *, empty: str) -> StorageError:
    """Why a ledger opened read-only, recording format `version`, cannot be read by code that
    writes `known`: it is newer, holds no ledger (`empty` says so), or is older and opening it
    writable would migrate it."""
    if version > known:
        return newer_format(where, version, known)
    state = empty if version == 0 else f"has ledger format version {version}"
    return StorageError(
        f"{where} {state}; open it writable once to migrate it (this ledgerspec writes version {known})"
    )


class Database(ABC):
    """A database holding the ledger tables (`ledgers` describes them)."""

    readonly: bool
    same = "IS"
    """The SQL operator for `=` that also holds between two NULLs."""
    indexes_hold_order = False
    """Whether every index entry holds its row's ordering column (SQLite's do: the rowid), so the
    range of an index gives the matching rows' positions without reading a row. Where it does not
    (PostgreSQL's heap), a query sorting a time window's matches reads the rows anyway."""
    keeps_running = False
    """Whether the tables have the running columns `ledgers` describes (`Ledger.running`)."""

    @abstractmethod
    def transact(self, ledger: Ledger, work: Callable[[], T]) -> T:
        """Run `work` in one write transaction holding `ledger`'s write lock; commit what it wrote
        when it returns, roll everything back when it raises."""

    @abstractmethod
    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query; inside `transact`, on the transaction's connection."""

    @abstractmethod
    def last_position(self, ledger: Ledger) -> int:
        """The ordering value of a table's last row (0 when empty). Call inside `transact`."""

    @abstractmethod
    def append_rows(self, ledger: Ledger, rows: Sequence[Row]) -> None:
        """Insert rows (their columns in `ledger.names` order) at the end of a table, chaining
        each to the one before. Call inside `transact`."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[Stream]:
        """One consistent view of every table, for `verify`: a function streaming a query's rows
        a few at a time, all from the same moment whatever writers do meanwhile."""

    @abstractmethod
    def source(self, ledger: Ledger, index: str, alias: str = "") -> str:
        """The FROM item reading `ledger` (as `alias`) through `index`, where the database takes
        index hints."""

    def rows_of(self, ledger: Ledger) -> str:
        """The FROM item reading `ledger`'s rows from the table itself, never through an index
        (`verify` must read what the table holds, not what an index says it holds)."""
        return ledger.table

    def sorted_order(self, column: str) -> str:
        """An ORDER BY term for `column` that the database sorts rather than reads from an index
        in that order: with `source`, how a query asks for a filter's index to be used instead."""
        return column

    @abstractmethod
    def close(self) -> None:
        """Release the database connection(s); later calls fail with a storage error."""

    def text(self, value: Any) -> Any:
        """A string column's value as Python reads it back (a backend storing strings as bytes
        decodes them here)."""
        return value

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        rows = self.read(sql, params)
        return rows[0] if rows else None

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """The integer a query such as `SELECT coalesce(max(seq), 0) ...` gives."""
        row = self.one(sql, params)
        return int(row[0]) if row and row[0] is not None else 0

    def documents(self, ledger: Ledger, where: str = "", params: Sequence[Any] = ()) -> Iterator[tuple[int, bytes]]:
        """Stored documents of a table in chain order, optionally filtered, each with its
        position; a row whose document is not bytes, or holds a line break (which would split an
        export's line, and no canonical document holds), is a CorruptionError naming it."""
        for position, value in self.rows(ledger, ("document",), where, params):
            data = stored.bytes_of(value, ledger.table, position)
            if b"\n" in data:
                raise stored.corrupt(
                    ledger.table, position, "document holds a line break, which no stored document does"
                )
            yield position, data

    def rows(
        self, ledger: Ledger, columns: Sequence[str], where: str = "", params: Sequence[Any] = ()
    ) -> Iterator[tuple[Any, ...]]:
        """The position and `columns` of a table's rows in chain order, optionally filtered, read
        a page at a time so exporting a large ledger needs little memory."""
        condition = f" AND ({where})" if where else ""
        after = 0
        while True:
            page = self.read(
                f"SELECT {ledger.order}, {', '.join(columns)} FROM {ledger.table} WHERE {ledger.order} > ?{condition} "
                f"ORDER BY {ledger.order} LIMIT {PAGE}",
                [after, *params],
            )
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1][0]

    def verify(
        self,
        derived: Mapping[str, Derived],
        *,
        limit: int | None = None,
        marks: Mapping[str, Collection[int]] | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> list[TableReport]:
        """Walk every ledger table in chain order (see `chain.walk`: at most `limit` broken rows
        listed per table, chain values recomputed at the positions `marks` names) in one
        snapshot, one report per table; `progress` is told the rows walked so far, every
        PAGE rows."""
        walked = 0
        with self.verify_snapshot() as stream:
            reports = []
            for ledger in LEDGERS:
                how, running = derived[ledger.table], ledger.running if self.keeps_running else None
                selected = verified_columns(ledger, how, running)
                rows = stream(f"SELECT {selected} FROM {self.rows_of(ledger)} ORDER BY {ledger.order}", ())
                readable: Iterator[Sequence[Any]] = (self._readable(row) for row in rows)
                if progress is not None:
                    readable = _counted(readable, walked, progress)
                at = (marks or {}).get(ledger.table, ())
                reports.append(walk(ledger, how, readable, limit=limit, marks=at, running=running))
                walked += reports[-1].rows
            return self._checked_ends(reports, stream)

    def verify_snapshot(self) -> AbstractContextManager[Stream]:
        """The snapshot `verify` walks the tables in: `snapshot`, unless the backend must read
        stored values differently to report every one (SQLite's TEXT that is not UTF-8)."""
        return self.snapshot()

    @abstractmethod
    def definition_problems(self) -> list[str]:
        """How the database's append-only triggers (and the functions they run) differ from
        those this version's schema module creates: missing, changed, disabled or extra ones."""

    def _checked_ends(self, reports: list[TableReport], stream: Stream) -> list[TableReport]:
        """The reports, with whatever the backend records of each table's end compared (nothing
        by default)."""
        return reports

    def _readable(self, row: Sequence[Any]) -> Sequence[Any]:
        """A verified row with its string columns as Python reads them (the tail stays bytes)."""
        return row


def _counted(rows: Iterator[T], before: int, progress: Callable[[int], object]) -> Iterator[T]:
    """The rows, telling `progress` the count so far (from `before`) every PAGE rows."""
    for count, row in enumerate(rows, start=1):
        if count % PAGE == 0:
            progress(before + count)
        yield row
