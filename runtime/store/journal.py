"""agent-sdk's run journal on any backend: `JournalStore`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ConcurrencyError, ConflictError, InvalidInputError
from . import stored
from .chain import Row
from .database import Database
from .documents import Checked, Documents, Given, check_batch, read_bound, stored_integer
from .ledgers import JOURNAL, U63
from .protocols import Record

if TYPE_CHECKING:
    from ledgerspec.models import agentsdk

RECORD = str(JOURNAL.type_name)
SCHEMA_VERSION = 1
"""The only `journal_schema_version` agent-sdk 0.1.0-alpha.4 writes (its file store rejects others)."""


def cursor(journal_seq: int) -> str:
    """The cursor returned for a record: `journal.<seq>`, as agent-sdk's journal returns."""
    return f"journal.{journal_seq}"


def check_record(value: dict[str, Any]) -> None:
    """Raise InvalidInputError unless a schema-valid record meets the journal's rules: the
    schema version this store reads, a journal_seq its column holds."""
    if value["journal_schema_version"] != SCHEMA_VERSION:
        raise InvalidInputError(
            f"journal_schema_version is {value['journal_schema_version']}; this store reads version {SCHEMA_VERSION}"
        )
    stored_integer("journal_seq", value["journal_seq"])


class JournalLedger:
    """The run journals of one database."""

    def __init__(self, database: Database, documents: Documents) -> None:
        self._db = database
        self._documents = documents

    def check(self, given: Given) -> Row:
        """The row of a record checked against the contract and the journal's schema version (no
        database is read here)."""
        document = self._check(given)
        return document.row(JOURNAL)

    def _check(self, given: Record) -> Checked:
        document = self._documents.check(RECORD, given)
        check_record(document.value)
        return document

    def append(self, record: Record) -> str:
        return self.append_all([record])[0]

    def append_all(self, records: Sequence[Record]) -> list[str]:
        """Append records in order, all or nothing; return their cursors (see `append`)."""
        rows = check_batch("record", records, lambda _, given: self.check(given))
        return [cursor(seq) for seq, _ in self._write(rows)]

    def load(self, rows: Sequence[Row]) -> int:
        """Append checked records (see `check`) in one transaction (see `append`); returns how
        many were new (the others were deduplicated against records already journaled)."""
        return sum(added for _, added in self._write(rows))

    def _write(self, rows: Sequence[Row]) -> list[tuple[int, bool]]:
        """Each record's journal_seq (its own, or the stored duplicate's) and whether it was new."""
        return self._db.transact(JOURNAL, lambda: check_batch("record", rows, lambda _, row: self._append(row)))

    def _append(self, row: Row) -> tuple[int, bool]:
        value = dict(zip(JOURNAL.names, row.columns, strict=True))
        run, seq = value["run_id"], value["journal_seq"]
        one = self._db.one
        found = one(
            f"SELECT journal_seq, hash, id FROM {JOURNAL.table} WHERE run_id = ? AND record_id = ?",
            (run, value["record_id"]),
        )
        if found is not None:
            if stored.bytes_of(found[1], JOURNAL.table, found[2], "hash") != row.digest:
                raise ConflictError(
                    f"record_id {value['record_id']!r} is already journaled for run {run!r} "
                    f"(journal_seq {found[0]}) with different content"
                )
            return int(found[0]), False
        for key in ("idempotency_key", "dedupe_key"):
            if value.get(key) is not None:
                duplicate = one(
                    f"SELECT journal_seq FROM {JOURNAL.table} WHERE run_id = ? AND {key} = ?", (run, value[key])
                )
                if duplicate is not None:
                    return int(duplicate[0]), False
        last = self._db.count(f"SELECT max(journal_seq) FROM {JOURNAL.table} WHERE run_id = ?", (run,))
        if seq <= last:
            raise ConcurrencyError(f"run {run!r}: journal_seq {seq} is already written; the next is {last + 1}")
        if seq != last + 1:
            raise InvalidInputError(f"run {run!r}: journal_seq {seq} leaves a gap; the next is {last + 1}")
        self._db.append_rows(JOURNAL, [row])
        return seq, True

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[agentsdk.JournalRecord]:
        codec = self._documents.codec
        rows = self._range(run_id, from_seq, to_seq)
        return [stored.model(codec, RECORD, document, JOURNAL.table, position) for position, document in rows]

    def read_documents(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[bytes]:
        """The stored documents (canonical bytes, unknown keys and all) `read` would return,
        without building models."""
        codec = self._documents.codec
        rows = self._range(run_id, from_seq, to_seq)
        return [stored.document_of(codec, RECORD, document, JOURNAL.table, position) for position, document in rows]

    def _range(self, run_id: str, from_seq: int, to_seq: int | None) -> list[tuple[Any, ...]]:
        """The (position, document) rows of a run's records from `from_seq` to `to_seq`, in order."""
        if not isinstance(run_id, str):
            raise InvalidInputError(f"run_id must be a string, got {type(run_id).__name__}")
        low = read_bound("from_seq", from_seq)
        high = U63 if to_seq is None else min(read_bound("to_seq", to_seq), U63)
        if low > U63:
            return []
        return self._db.read(
            f"SELECT id, document FROM {JOURNAL.table} "
            "WHERE run_id = ? AND journal_seq BETWEEN ? AND ? ORDER BY journal_seq",
            (run_id, low, high),
        )

    def documents(self) -> Iterator[bytes]:
        """Every stored record document, in append order."""
        return (data for _, data in self.stored_documents())

    def stored_documents(self) -> Iterator[tuple[int, bytes]]:
        """Every stored record document with its position, in append order."""
        return self._db.documents(JOURNAL)
