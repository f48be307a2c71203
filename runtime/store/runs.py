"""mfm-machine's run event streams on any backend: `RunEventStore`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from ..errors import ConcurrencyError, ConflictError, InvalidInputError
from . import stored
from .chain import Row
from .database import Database
from .documents import (
    Checked,
    Documents,
    Given,
    check_batch,
    prepare_appends,
    read_bound,
    sequence_number,
    stored_integer,
)
from .ledgers import RUN_EVENTS, U63, canonical_run
from .protocols import RunEvent

if TYPE_CHECKING:
    from ledgerspec.models import mfm

EVENT = str(RUN_EVENTS.type_name)
_RUN, _SEQ = RUN_EVENTS.names.index("run_id"), RUN_EVENTS.names.index("seq")
Pending = tuple[str, int, list[Checked]]
"""A checked append: the canonical run id, the expected head and the events' documents."""


class RunLedger:
    """The run event streams of one database."""

    def __init__(self, database: Database, documents: Documents) -> None:
        self._db = database
        self._documents = documents

    def run_key(self, run_id: Any) -> str:
        """A run id (any form serde reads: `mfm.RunId`) in the form serde writes, lowercase
        hyphenated, so every form of one UUID names the same run."""
        if not isinstance(run_id, str) or self._documents.codec.validator.issues("mfm.RunId", run_id):
            raise InvalidInputError(f"run_id {str(run_id)[:60]!r} is not a UUID in a form serde reads")
        return canonical_run(run_id)

    def _head(self, run: str) -> int:
        return self._db.count(f"SELECT max(seq) FROM {RUN_EVENTS.table} WHERE run_id = ?", (run,))

    def head_seq(self, run_id: str) -> int:
        return self._head(self.run_key(run_id))

    def check(self, given: Given) -> Row:
        """The row of an event checked against the contract (its run and seq are checked when it
        is written; no database is read here)."""
        document = self._documents.check(EVENT, given)
        stored_integer("seq", document.value["seq"])
        return document.row(RUN_EVENTS)

    def _check(self, run: str, expected_seq: int, index: int, given: RunEvent) -> Checked:
        """An event checked to belong to `run` at seq `expected_seq + index + 1`."""
        document = self._documents.check(EVENT, given)
        value = document.value
        if canonical_run(value["run_id"]) != run:  # the document is valid: no second schema check
            raise InvalidInputError(f"run_id is {value['run_id']!r}; this append is for run {run!r}")
        want = expected_seq + index + 1
        if value["seq"] != want:
            raise InvalidInputError(
                f"run {run}: seq is {value['seq']}; expected {want} (expected_seq {expected_seq} + {index + 1})"
            )
        stored_integer("seq", value["seq"])
        return document

    def _prepare(self, run_id: str, expected_seq: int, events: Sequence[RunEvent]) -> Pending:
        run = self.run_key(run_id)
        expected = sequence_number("expected_seq", expected_seq)
        return run, expected, check_batch("event", events, partial(self._check, run, expected))

    def append(self, run_id: str, expected_seq: int, events: Sequence[RunEvent]) -> int:
        return self._write([self._prepare(run_id, expected_seq, events)])[0]

    def append_all(self, appends: Sequence[tuple[str, int, Sequence[RunEvent]]]) -> list[int]:
        """Several `append`s, to one run or many, in one transaction: all are written or none.
        Returns each append's new head. Errors name the append and the event (`append 1, event
        3`); their `index` counts events across all the appends."""
        return self._write(prepare_appends(appends, self._prepare))

    def _write(self, pending: Sequence[Pending]) -> list[int]:
        """Write checked appends in one transaction, each only if its run's head is as expected."""

        def write() -> list[int]:
            heads = []
            for run, expected, documents in pending:
                head = self._head(run)
                if head != expected:
                    raise ConcurrencyError(
                        f"run {run}: head seq is {head}, not the expected {expected}; nothing was written"
                    )
                self._db.append_rows(RUN_EVENTS, [d.row(RUN_EVENTS) for d in documents])
                heads.append(expected + len(documents))
            return heads

        return self._db.transact(RUN_EVENTS, write)

    def load(self, rows: Sequence[Row]) -> int:
        """Append checked events of any runs in one transaction, each at its own seq: an event
        stored at its (run, seq) with the same bytes is already present (so an interrupted load
        can simply be run again), with other bytes a `conflict`; an event past its run's head + 1
        is `invalid_input`. Returns how many were new; errors name the event (`event <i>`)."""

        def write() -> int:
            heads: dict[str, int] = {}
            fresh: list[Row] = []
            known = self._stored_hashes(rows)
            for index, row in enumerate(rows):
                run, seq = row.columns[_RUN], row.columns[_SEQ]
                head = heads[run] if run in heads else self._head(run)
                if seq <= head:
                    if known.get((run, seq)) != row.digest:
                        raise ConflictError(
                            f"run {run}: seq {seq} is already stored with different content; the ledger keeps the first"
                        ).located(f"event {index}", index)
                    heads[run] = head
                    continue
                if seq != head + 1:
                    raise InvalidInputError(f"run {run}: seq is {seq}; expected {head + 1}").located(
                        f"event {index}", index
                    )
                heads[run] = seq
                known[(run, seq)] = row.digest
                fresh.append(row)
            self._db.append_rows(RUN_EVENTS, fresh)
            return len(fresh)

        return self._db.transact(RUN_EVENTS, write)

    def _stored_hashes(self, rows: Sequence[Row]) -> dict[tuple[str, int], bytes]:
        """The stored hash of every (run, seq) in the seq ranges the rows span, per run."""
        spans: dict[str, tuple[int, int]] = {}
        for row in rows:
            run, seq = row.columns[_RUN], row.columns[_SEQ]
            low, high = spans.get(run, (seq, seq))
            spans[run] = (min(low, seq), max(high, seq))
        found: dict[tuple[str, int], bytes] = {}
        for run, (low, high) in spans.items():
            held = self._db.read(
                f"SELECT id, seq, hash FROM {RUN_EVENTS.table} WHERE run_id = ? AND seq BETWEEN ? AND ?",
                (run, low, high),
            )
            found.update(((run, at), stored.bytes_of(digest, RUN_EVENTS.table, i, "hash")) for i, at, digest in held)
        return found

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[mfm.EventEnvelope]:
        codec = self._documents.codec
        rows = self._range(run_id, from_seq, to_seq)
        return [stored.model(codec, EVENT, document, RUN_EVENTS.table, position) for position, document in rows]

    def read_documents(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[bytes]:
        """The stored documents (canonical bytes, unknown keys and all) `read_range` would
        return, without building models."""
        codec = self._documents.codec
        rows = self._range(run_id, from_seq, to_seq)
        return [stored.document_of(codec, EVENT, document, RUN_EVENTS.table, position) for position, document in rows]

    def _range(self, run_id: str, from_seq: int, to_seq: int | None) -> list[tuple[Any, ...]]:
        """The (position, document) rows of a run's events from `from_seq` to `to_seq`, in order."""
        run = self.run_key(run_id)
        low = max(read_bound("from_seq", from_seq), 1)
        high = U63 if to_seq is None else min(read_bound("to_seq", to_seq), U63)
        if low > U63:
            return []
        return self._db.read(
            f"SELECT id, document FROM {RUN_EVENTS.table} WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (run, low, high),
        )

    def documents(self) -> Iterator[bytes]:
        """Every stored event document, in append order."""
        return (data for _, data in self.stored_documents())

    def stored_documents(self) -> Iterator[tuple[int, bytes]]:
        """Every stored event document with its position, in append order."""
        return self._db.documents(RUN_EVENTS)
