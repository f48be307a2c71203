"""Broken agent-sdk journals: seq rules, cursors, deduplication, conflicts and ranged reads."""

from __future__ import annotations

from typing import Any

from ledgerspec.errors import ConcurrencyError, ConflictError, InvalidInputError
from ledgerspec.store.ledgers import U63
from ledgerspec.store.memory import Journaled

from .base import Bug, JournalBug
from .runs import unsigned

RECORD = "agentsdk.JournalRecord"


def _last(inner: Any, run_id: Any) -> int:
    """The run's last journal_seq (0 for none)."""
    records = inner.read(run_id) if isinstance(run_id, str) else []
    return int(records[-1].journal_seq) if records else 0


class FirstRecordAnySeq(JournalBug):
    """Takes a new run's first record at whatever journal_seq it carries, renumbered to 1."""

    rule = "journal.seq-next"

    def append(self, record: Any) -> str:
        if isinstance(record, dict) and _last(self.inner, record.get("run_id")) == 0:
            record = dict(record, journal_seq=1)
        return str(self.inner.append(record))


class JournalFillsGaps(JournalBug):
    """Renumbers a record that leaves a gap instead of refusing it."""

    rule = "journal.seq-gap"

    def append(self, record: Any) -> str:
        try:
            return str(self.inner.append(record))
        except InvalidInputError:
            last = _last(self.inner, record["run_id"])
            return str(self.inner.append(dict(record, journal_seq=last + 1)))


class TakenSeqIsInvalid(JournalBug):
    """Reports a journal_seq already taken as invalid_input instead of concurrency."""

    rule = "journal.seq-taken"

    def append(self, record: Any) -> str:
        try:
            return str(self.inner.append(record))
        except ConcurrencyError as exc:
            raise InvalidInputError(str(exc)) from None


class BareSeqCursor(JournalBug):
    """Returns the bare journal_seq as the cursor, without the `journal.` prefix."""

    rule = "journal.cursor"

    def append(self, record: Any) -> str:
        return str(self.inner.append(record)).removeprefix("journal.")


class RepeatIsConcurrency(JournalBug):
    """Checks the seq before the record_id, so an unchanged repeat of a record is concurrency."""

    rule = "journal.dedupe.record-id"

    def append(self, record: Any) -> str:
        seq = record.get("journal_seq") if isinstance(record, dict) else None
        if isinstance(seq, int) and seq <= _last(self.inner, record.get("run_id")):
            raise ConcurrencyError(f"journal_seq {seq} is already written")
        return str(self.inner.append(record))


def _write_anyway(bug: JournalBug, record: Any, cursor: str, ignored: str) -> str:
    """What a store whose dedupe lookup leaves out the `ignored` key does with `record`, which the
    correct store answered with `cursor`: it writes a record deduplicated on that key alone."""
    seq = record.get("journal_seq") if isinstance(record, dict) else None
    if not isinstance(seq, int) or cursor == f"journal.{seq}":
        return cursor
    stored = bug.inner.read(record["run_id"])
    others = [key for key in ("record_id", "idempotency_key", "dedupe_key") if key != ignored]
    if any(getattr(r, key) is not None and getattr(r, key) == record.get(key) for r in stored for key in others):
        return cursor
    ledgers = bug.store._ledgers  # the bug writes past the dedupe the correct store does
    value, data = ledgers.document(RECORD, record)
    with ledgers.lock:
        ledgers.journals.setdefault(record["run_id"], []).append(Journaled(value, data))
    return f"journal.{seq}"


class IgnoresIdempotencyKey(JournalBug):
    """Deduplicates on record_id and dedupe_key only, writing a record whose idempotency_key is taken."""

    rule = "journal.dedupe.idempotency-key"

    def append(self, record: Any) -> str:
        return _write_anyway(self, record, str(self.inner.append(record)), "idempotency_key")


class IgnoresDedupeKey(JournalBug):
    """Deduplicates on record_id and idempotency_key only, writing a record whose dedupe_key is taken."""

    rule = "journal.dedupe.dedupe-key"

    def append(self, record: Any) -> str:
        return _write_anyway(self, record, str(self.inner.append(record)), "dedupe_key")


class DedupeAcrossRuns(JournalBug):
    """Deduplicates idempotency and dedupe keys across every run, not per run."""

    rule = "journal.dedupe.per-run"

    def append(self, record: Any) -> str:
        if isinstance(record, dict):
            keys = {record.get("idempotency_key"), record.get("dedupe_key")} - {None}
            for run in self.store._ledgers.journals.values():  # the global index the bug uses
                for stored in run:
                    if stored.value["run_id"] != record.get("run_id") and keys & {
                        stored.value.get("idempotency_key"),
                        stored.value.get("dedupe_key"),
                    }:
                        return f"journal.{stored.value['journal_seq']}"
        return str(self.inner.append(record))


class RecordIdConflictIsDedupe(JournalBug):
    """Deduplicates a record_id already journaled even when its content differs."""

    rule = "journal.record-id-conflict"

    def append(self, record: Any) -> str:
        try:
            return str(self.inner.append(record))
        except ConflictError:
            stored = [r for r in self.inner.read(record["run_id"]) if r.record_id == record["record_id"]]
            return f"journal.{stored[0].journal_seq}"


class AnySchemaVersion(JournalBug):
    """Accepts any journal_schema_version, storing the record as version 1."""

    rule = "journal.schema-version"

    def append(self, record: Any) -> str:
        if isinstance(record, dict) and isinstance(record.get("journal_schema_version"), int):
            record = dict(record, journal_schema_version=1)
        return str(self.inner.append(record))


class RunIdsFolded(JournalBug):
    """Compares journal run ids without regard to case, so runs `Run.A` and `run.a` share one journal."""

    rule = "journal.independent"

    def append(self, record: Any) -> str:
        if isinstance(record, dict) and isinstance(record.get("run_id"), str):
            for stored in list(self.store._ledgers.journals):  # the index the bug keys
                if stored.lower() == record["run_id"].lower() and stored != record["run_id"]:
                    last = _last(self.inner, stored)
                    if record.get("journal_seq") != last + 1:
                        raise ConcurrencyError(f"run {stored!r}: journal_seq {record.get('journal_seq')} is taken")
        return str(self.inner.append(record))


class JournalSeqWraps(JournalBug):
    """Keeps journal_seq in a signed 64-bit column, so 2^63 wraps negative and looks taken."""

    rule = "journal.seq-limit"

    def append(self, record: Any) -> str:
        seq = record.get("journal_seq") if isinstance(record, dict) else None
        if isinstance(seq, int) and U63 < seq < 2**64:
            raise ConcurrencyError(f"journal_seq {seq - 2**64} is already written")
        return str(self.inner.append(record))


class SeqLimitOnlyOnWrite(JournalBug):
    """Checks the journal_seq limit only on write: a record past 2^63-1 whose key is journaled is deduplicated."""

    rule = "journal.seq-limit"

    def append(self, record: Any) -> str:
        seq = record.get("journal_seq") if isinstance(record, dict) else None
        if isinstance(seq, int) and seq > U63:
            for stored in self.inner.read(record["run_id"]):
                for key in ("record_id", "idempotency_key", "dedupe_key"):
                    if record.get(key) is not None and getattr(stored, key) == record[key]:
                        return f"journal.{stored.journal_seq}"
        return str(self.inner.append(record))


class FirstSeqZeroAccepted(JournalBug):
    """Takes journal_seq 0 as an empty run's first record (counting from 0, as an index would)."""

    rule = "journal.seq-taken"

    def append(self, record: Any) -> str:
        if isinstance(record, dict) and record.get("journal_seq") == 0 and not self.inner.read(record["run_id"]):
            return "journal.0"
        return str(self.inner.append(record))


class ReadEndExclusive(JournalBug):
    """Reads to_seq exclusive."""

    rule = "journal.read.inclusive"

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> Any:
        return [r for r in self.inner.read(run_id, from_seq, to_seq) if to_seq is None or r.journal_seq < to_seq]


class ZeroEndReadsAll(JournalBug):
    """Reads to_seq 0 as 'no end' (a falsy check)."""

    rule = "journal.read.inclusive"

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> Any:
        return self.inner.read(run_id, from_seq, to_seq or None)


class JournalNegativeBoundsClamped(JournalBug):
    """Clamps negative read bounds to 0 instead of refusing them."""

    rule = "validation.seq-arguments"

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> Any:
        return self.inner.read(run_id, unsigned(from_seq), unsigned(to_seq))


class JournalOpenEndReadsOne(JournalBug):
    """Reads to_seq None as to_seq = from_seq (a point read)."""

    rule = "journal.read.open-end"

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> Any:
        return self.inner.read(run_id, from_seq, from_seq if to_seq is None else to_seq)


BUGS: tuple[type[Bug], ...] = (
    FirstRecordAnySeq,
    JournalFillsGaps,
    TakenSeqIsInvalid,
    BareSeqCursor,
    RepeatIsConcurrency,
    IgnoresIdempotencyKey,
    IgnoresDedupeKey,
    DedupeAcrossRuns,
    RecordIdConflictIsDedupe,
    AnySchemaVersion,
    RunIdsFolded,
    JournalSeqWraps,
    SeqLimitOnlyOnWrite,
    FirstSeqZeroAccepted,
    ReadEndExclusive,
    ZeroEndReadsAll,
    JournalNegativeBoundsClamped,
    JournalOpenEndReadsOne,
)
"""The journal's bugs."""
