"""agent-sdk's run journal on any backend: `JournalStore`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ledgerspec.models import agentsdk

from ..errors import ConcurrencyError, ConflictError, InvalidInputError
from . import stored
from .backend import Backend
from .documents import U63, Document, Documents, check_batch, sequence_number, stored_integer
from .protocols import Record
from .tables import JOURNAL

RECORD = "agentsdk.JournalRecord"
COLUMNS = ("run_id", "journal_seq", "record_id", "record_kind", "idempotency_key", "dedupe_key")
SCHEMA_VERSION = 1
"""The only `journal_schema_version` agent-sdk 0.1.0-alpha.4 writes (its file store rejects others)."""


def record_columns(value: dict[str, Any]) -> tuple[Any, ...]:
    """The metadata columns of a valid JournalRecord, in `COLUMNS` order."""
    return tuple(value.get(column) for column in COLUMNS)


def cursor(journal_seq: int) -> str:
    """The cursor returned for a record: `journal.<seq>`, as agent-sdk's journal returns."""
    return f"journal.{journal_seq}"


class JournalLedger:
    """The run journals of one database."""

    def __init__(self, file: Backend, documents: Documents) -> None:
        self._file = file
        self._documents = documents

    def _check(self, given: Record) -> Document:
        document = self._documents.check(RECORD, given)
        value = document.value
        if value["journal_schema_version"] != SCHEMA_VERSION:
            raise InvalidInputError(
                f"journal_schema_version is {value['journal_schema_version']}; "
                f"this store reads version {SCHEMA_VERSION}"
            )
        stored_integer("journal_seq", value["journal_seq"])
        return document

    def append(self, record: Record) -> str:
        return self.append_all([record])[0]

    def append_all(self, records: Sequence[Record]) -> list[str]:
        """Append records in order, all or nothing; return their cursors (see `append`)."""
        documents = check_batch("record", records, lambda _, given: self._check(given))
        return self._file.transact(
            JOURNAL, lambda: check_batch("record", documents, lambda _, document: self._append(document))
        )

    def _append(self, document: Document) -> str:
        value = document.value
        run, seq = value["run_id"], value["journal_seq"]
        one = self._file.one
        found = one(
            f"SELECT journal_seq, hash, id FROM {JOURNAL.table} WHERE run_id = ? AND record_id = ?",
            (run, value["record_id"]),
        )
        if found is not None:
            if stored.bytes_of(found[1], JOURNAL.table, found[2], "hash") != document.digest:
                raise ConflictError(
                    f"record_id {value['record_id']!r} is already journaled for run {run!r} "
                    f"(journal_seq {found[0]}) with different content"
                )
            return cursor(found[0])
        for key in ("idempotency_key", "dedupe_key"):
            if value.get(key) is not None:
                duplicate = one(
                    f"SELECT journal_seq FROM {JOURNAL.table} WHERE run_id = ? AND {key} = ?", (run, value[key])
                )
                if duplicate is not None:
                    return cursor(duplicate[0])
        last = self._file.count(f"SELECT max(journal_seq) FROM {JOURNAL.table} WHERE run_id = ?", (run,))
        if seq <= last:
            raise ConcurrencyError(f"run {run!r}: journal_seq {seq} is already written; the next is {last + 1}")
        if seq != last + 1:
            raise InvalidInputError(f"run {run!r}: journal_seq {seq} leaves a gap; the next is {last + 1}")
        self._file.append_rows(JOURNAL, COLUMNS, [document.row(*record_columns(value))])
        return cursor(seq)

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[agentsdk.JournalRecord]:
        if not isinstance(run_id, str):
            raise InvalidInputError(f"run_id must be a string, got {type(run_id).__name__}")
        low = sequence_number("from_seq", from_seq)
        high = U63 if to_seq is None else sequence_number("to_seq", to_seq)
        rows = self._file.read(
            f"SELECT id, document FROM {JOURNAL.table} "
            "WHERE run_id = ? AND journal_seq BETWEEN ? AND ? ORDER BY journal_seq",
            (run_id, low, high),
        )
        codec = self._documents.codec
        return [stored.model(codec, RECORD, document, JOURNAL.table, position) for position, document in rows]

    def documents(self) -> Iterator[bytes]:
        """Every stored record document, in append order."""
        return (data for _, data in self.stored_documents())

    def stored_documents(self) -> Iterator[tuple[int, bytes]]:
        """Every stored record document with its position, in append order."""
        return self._file.documents(JOURNAL)
