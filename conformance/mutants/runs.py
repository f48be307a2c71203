"""Broken mfm run event ledgers: heads, seqs, optimistic concurrency, run ids and ranged reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from ledgerspec.errors import ConcurrencyError, InvalidInputError, NotFoundError
from ledgerspec.store.ledgers import U63

from .base import Bug, RunsBug, documents


class HeadIsNextSeq(RunsBug):
    """Returns the next seq to write (head + 1) from head_seq."""

    rule = "runs.head"

    def head_seq(self, run_id: str) -> int:
        return int(self.inner.head_seq(run_id)) + 1


class SeqsRenumbered(RunsBug):
    """Renumbers the events of an append from expected_seq + 1 instead of checking their seqs."""

    rule = "runs.contiguous-seqs"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        numbered = [dict(e, seq=expected_seq + i + 1) if isinstance(e, dict) else e for i, e in enumerate(events)]
        return int(self.inner.append(run_id, expected_seq, numbered))


class ReturnsEventCount(RunsBug):
    """Returns how many events an append wrote instead of the new head."""

    rule = "runs.append-returns-head"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        self.inner.append(run_id, expected_seq, events)
        return len(events)


class IgnoresExpectedSeq(RunsBug):
    """Renumbers the events after whatever the head is: a stale writer's events still land."""

    rule = "runs.expected-seq"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        head = self.inner.head_seq(run_id)
        moved = [dict(event, seq=head + i + 1) for i, event in enumerate(events)]
        return int(self.inner.append(run_id, head, moved))


class StaleSeqIsInvalid(RunsBug):
    """Reports a stale expected_seq as invalid_input instead of concurrency."""

    rule = "runs.expected-seq"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        try:
            return int(self.inner.append(run_id, expected_seq, events))
        except ConcurrencyError as exc:
            raise InvalidInputError(str(exc)) from None


class HeadCheckedFirst(RunsBug):
    """Compares the head with expected_seq before checking the events."""

    rule = "runs.checks-before-head"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        if isinstance(expected_seq, int) and self.inner.head_seq(run_id) != expected_seq:
            raise ConcurrencyError(f"run {run_id}: the head is not {expected_seq}")
        return int(self.inner.append(run_id, expected_seq, events))


class ForeignEventsAdopted(RunsBug):
    """Rewrites the run_id of events of another run to the run appended to instead of refusing them."""

    rule = "runs.run-id-match"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        return int(self.inner.append(run_id, expected_seq, documents(events, lambda e: dict(e, run_id=run_id))))


class RunIdFormsAreDistinct(RunsBug):
    """Keys runs by the run id's text, so the uppercase, simple, braced and urn forms name different runs."""

    rule = "runs.run-id-forms"

    @staticmethod
    def _as_text(run_id: Any) -> Any:
        if not isinstance(run_id, str):
            return run_id
        try:
            canonical = str(uuid.UUID(run_id))
        except ValueError:
            return run_id
        return canonical if canonical == run_id else str(uuid.uuid5(uuid.NAMESPACE_URL, run_id))

    def head_seq(self, run_id: str) -> int:
        return int(self.inner.head_seq(self._as_text(run_id)))

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        key = self._as_text(run_id)
        moved = documents(events, lambda e: dict(e, run_id=self._as_text(e.get("run_id"))))
        return int(self.inner.append(key, expected_seq, moved))

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(self._as_text(run_id), from_seq, to_seq)


class HeadOfLastRunWritten(RunsBug):
    """Answers head_seq from a cache of the last run written, whatever run is asked for."""

    rule = "runs.independent"

    last: str | None = None

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        head = int(self.inner.append(run_id, expected_seq, events))
        self.last = run_id
        return head

    def head_seq(self, run_id: str) -> int:
        return int(self.inner.head_seq(self.last or run_id))


class SeqRangeUnchecked(RunsBug):
    """Never checks that seqs fit 63 bits, so a seq past 2^63-1 reaches the head comparison."""

    rule = "runs.seq-limit"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        if any(isinstance(e, dict) and isinstance(e.get("seq"), int) and e["seq"] > U63 for e in events):
            raise ConcurrencyError(f"run {run_id}: the head is not {expected_seq}")
        return int(self.inner.append(run_id, expected_seq, events))


class RangeEndOffByOne(RunsBug):
    """Reads to_seq exclusive."""

    rule = "runs.read-range.inclusive"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(run_id, from_seq, None if to_seq is None else max(to_seq - 1, 0))


class ZeroEndReadsToHead(RunsBug):
    """Reads to_seq 0 as 'no end' (a falsy check), so read_range(1, 0) returns everything."""

    rule = "runs.read-range.inclusive"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(run_id, from_seq, to_seq or None)


class UnclampedRangeStart(RunsBug):
    """Returns nothing for from_seq 0 instead of clamping it to 1."""

    rule = "runs.read-range.from-clamped"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return [] if from_seq < 1 else self.inner.read_range(run_id, from_seq, to_seq)


class OpenEndReadsOne(RunsBug):
    """Reads to_seq None as to_seq = from_seq (a point read)."""

    rule = "runs.read-range.open-end"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(run_id, from_seq, max(from_seq, 1) if to_seq is None else to_seq)


def unsigned(bound: int | None) -> int | None:
    """A sequence bound clamped at 0, as a store reading it into an unsigned column does."""
    return None if bound is None else max(bound, 0)


class NegativeBoundsClamped(RunsBug):
    """Clamps negative read_range bounds to 0 instead of refusing them."""

    rule = "validation.seq-arguments"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(run_id, unsigned(from_seq), unsigned(to_seq))


class UnknownRunNotFound(RunsBug):
    """Reports a read_range of a run without events as not_found."""

    rule = "runs.read-range.unknown-run"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        if self.inner.head_seq(run_id) == 0:
            raise NotFoundError(f"run {run_id} has no events")
        return self.inner.read_range(run_id, from_seq, to_seq)


BUGS: tuple[type[Bug], ...] = (
    HeadIsNextSeq,
    SeqsRenumbered,
    ReturnsEventCount,
    IgnoresExpectedSeq,
    StaleSeqIsInvalid,
    HeadCheckedFirst,
    ForeignEventsAdopted,
    RunIdFormsAreDistinct,
    HeadOfLastRunWritten,
    SeqRangeUnchecked,
    RangeEndOffByOne,
    ZeroEndReadsToHead,
    UnclampedRangeStart,
    OpenEndReadsOne,
    NegativeBoundsClamped,
    UnknownRunNotFound,
)
"""The run event ledger's bugs."""
