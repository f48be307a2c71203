"""mfm-machine's run event streams on any backend: `RunEventStore`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from ledgerspec.models import mfm

from ..errors import ConcurrencyError, InvalidInputError
from . import stored
from .backend import Backend
from .documents import U63, Document, Documents, check_batch, prepare_appends, sequence_number, stored_integer
from .protocols import RunEvent
from .tables import RUN_EVENTS

EVENT = "mfm.EventEnvelope"
COLUMNS = ("run_id", "seq", "kind", "ts_millis")
Pending = tuple[str, int, list[Document]]
"""A checked append: the canonical run id, the expected head and the events' documents."""


def canonical_run(run_id: str) -> str:
    """A valid `mfm.RunId` in the form serde writes (lowercase hyphenated), whatever form it came in."""
    return str(uuid.UUID(run_id))


def event_columns(value: dict[str, Any]) -> tuple[Any, ...]:
    """The metadata columns of a valid EventEnvelope, in `COLUMNS` order."""
    millis = value.get("ts_millis")
    return (
        canonical_run(value["run_id"]),
        value["seq"],
        event_kind(value["event"]),
        None if millis is None else min(millis, U63),
    )


def event_kind(event: dict[str, Any]) -> str:
    """The column form of an mfm Event: `Kernel.<variant>` or `Domain.<name>`."""
    if "Kernel" in event:
        kernel = event["Kernel"]
        return f"Kernel.{next(iter(kernel))}" if isinstance(kernel, dict) else f"Kernel.{kernel}"
    return f"Domain.{event['Domain']['name']}"


class RunLedger:
    """The run event streams of one database."""

    def __init__(self, file: Backend, documents: Documents) -> None:
        self._file = file
        self._documents = documents

    def run_key(self, run_id: Any) -> str:
        """A run id (any form serde reads: `mfm.RunId`) in the form serde writes, lowercase
        hyphenated, so every form of one UUID names the same run."""
        if not isinstance(run_id, str) or self._documents.codec.validator.issues("mfm.RunId", run_id):
            raise InvalidInputError(f"run_id {str(run_id)[:60]!r} is not a UUID in a form serde reads")
        return canonical_run(run_id)

    def _head(self, run: str) -> int:
        return self._file.count(f"SELECT max(seq) FROM {RUN_EVENTS.table} WHERE run_id = ?", (run,))

    def head_seq(self, run_id: str) -> int:
        return self._head(self.run_key(run_id))

    def _check(self, run: str, expected_seq: int, index: int, given: RunEvent) -> Document:
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
                self._file.append_rows(RUN_EVENTS, COLUMNS, [d.row(*event_columns(d.value)) for d in documents])
                heads.append(expected + len(documents))
            return heads

        return self._file.transact(RUN_EVENTS, write)

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[mfm.EventEnvelope]:
        run = self.run_key(run_id)
        low = max(sequence_number("from_seq", from_seq), 1)
        high = U63 if to_seq is None else sequence_number("to_seq", to_seq)
        rows = self._file.read(
            f"SELECT id, document FROM {RUN_EVENTS.table} WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (run, low, high),
        )
        codec = self._documents.codec
        return [stored.model(codec, EVENT, document, RUN_EVENTS.table, position) for position, document in rows]

    def documents(self) -> Iterator[bytes]:
        """Every stored event document, in append order."""
        return (data for _, data in self.stored_documents())

    def stored_documents(self) -> Iterator[tuple[int, bytes]]:
        """Every stored event document with its position, in append order."""
        return self._file.documents(RUN_EVENTS)
