"""Deliberately broken stores: each wraps a correct store (the in-memory one, for speed) and adds
one realistic bug. The conformance suite must fail every one of them (tests/test_conformance.py)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from ledgerspec import default_codec
from ledgerspec.errors import ConcurrencyError, ConflictError, InvalidInputError, LedgerspecError
from ledgerspec.store.memory import MemoryStore


class Ledger:
    """Forwards every call to a real ledger; subclasses override the one method they break."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Broken:
    """A correct store whose ledgers may be replaced by broken wrappers."""

    capabilities = MemoryStore.capabilities

    def __init__(self, **wrappers: Callable[[Any], Any]) -> None:
        self.store = MemoryStore()
        self.wrappers = wrappers
        for name in ("experience", "runs", "artifacts", "journal"):
            ledger = getattr(self.store, name)
            setattr(self, name, wrappers[name](ledger) if name in wrappers else ledger)

    def for_tenant(self, tenant: str) -> Any:
        view = self.store.for_tenant(tenant)
        return self.wrappers["experience"](view) if "experience" in self.wrappers else view

    def close(self) -> None:
        self.store.close()


def _without(query: Any, **changes: Any) -> Any:
    return dataclasses.replace(query, **changes)


class NewestFirst(Ledger):
    def query_events(self, query: Any) -> Any:
        return list(reversed(self.inner.query_events(query)))


class LimitBeforeFilter(Ledger):
    def query_events(self, query: Any) -> Any:
        everything = self.inner.query_events(_without(query, kinds=[], limit=None))
        first = everything[: query.limit] if query.limit is not None else everything
        wanted = {e.event_id for e in self.inner.query_events(_without(query, limit=None))}
        return [e for e in first if e.event_id in wanted]


class TenantCaseInsensitive(Ledger):
    def query_events(self, query: Any) -> Any:
        if query.tenant_id is None:
            return self.inner.query_events(query)
        found = self.inner.query_events(_without(query, tenant_id=None, limit=None))
        matching = [e for e in found if (e.tenant_id or "").lower() == query.tenant_id.lower()]
        return matching[: query.limit] if query.limit is not None else matching


class AcceptsConflicts(Ledger):
    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError:
            return 0

    def append_event(self, envelope: Any) -> None:
        self.append_events([envelope])


class HalfBatches(Ledger):
    """upstream's default `append_events`: one by one, earlier envelopes stay on an error."""

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for envelope in envelopes:
            self.inner.append_event(envelope)


class DropsUnknownKeys(Ledger):
    def append_events(self, envelopes: Sequence[Any]) -> Any:
        codec = default_codec()
        cleaned = []
        for envelope in envelopes:
            try:
                cleaned.append(codec.dump(codec.load("converge.ExperienceEventEnvelope", envelope)))
            except LedgerspecError:
                cleaned.append(envelope)
        return self.inner.append_events(cleaned)

    def append_event(self, envelope: Any) -> None:
        self.append_events([envelope])


class ForgetsHypothesisChain(Ledger):
    def query_events(self, query: Any) -> Any:
        found = self.inner.query_events(query)
        if query.chain_id is None:
            return found
        return [e for e in found if e.event.type != "HypothesisResolved"]


class ExclusiveTimeEnd(Ledger):
    def query_events(self, query: Any) -> Any:
        found = self.inner.query_events(query)
        end = query.time_range.end if query.time_range is not None else None
        return [e for e in found if end is None or e.occurred_at < end]


class EmptyKindsMeansNone(Ledger):
    def query_events(self, query: Any) -> Any:
        return [] if not query.kinds else self.inner.query_events(query)


class FirstTraceWins(Ledger):
    def get_trace_link(self, trace_link_id: str) -> Any:
        codec = default_codec()
        for envelope in self.inner.query_events(codec.load("converge.EventQuery", {"kinds": ["ReplayTraceRecorded"]})):
            if envelope.event.data.trace_link_id == trace_link_id:
                return envelope.event.data.trace_link
        return None


class IgnoresExpectedSeq(Ledger):
    """Renumbers the events after whatever the head is: a stale writer's events still land."""

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        head = self.inner.head_seq(run_id)
        moved = [dict(event, seq=head + i + 1) for i, event in enumerate(events)]
        return int(self.inner.append(run_id, head, moved))


class RangeEndOffByOne(Ledger):
    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return self.inner.read_range(run_id, from_seq, None if to_seq is None else max(to_seq - 1, 0))


class UnclampedRangeStart(Ledger):
    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return [] if from_seq < 1 else self.inner.read_range(run_id, from_seq, to_seq)


class KindInArtifactId(Ledger):
    """Mixes the kind into the content address (mfm's rule leaves it out)."""

    def put(self, kind: Any, data: bytes) -> str:
        self.inner.put(kind, data)
        return hashlib.sha256(repr(kind).encode() + data).hexdigest()


class JournalFillsGaps(Ledger):
    """Renumbers a record that leaves a gap instead of refusing it."""

    def append(self, record: Any) -> str:
        try:
            return str(self.inner.append(record))
        except InvalidInputError:
            run = record["run_id"]
            last = len(self.inner.read(run))
            return str(self.inner.append(dict(record, journal_seq=last + 1)))


class StaleSeqIsInvalid(Ledger):
    """Reports a stale expected_seq with the wrong code."""

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> int:
        try:
            return int(self.inner.append(run_id, expected_seq, events))
        except ConcurrencyError as exc:
            raise InvalidInputError(str(exc)) from None


class LeakyTenantView(Broken):
    """`for_tenant` hands out the whole store."""

    def for_tenant(self, tenant: str) -> Any:
        return self.store.experience


def factory(**wrappers: Callable[[Any], Any]) -> Callable[[], Any]:
    """A factory of fresh broken stores."""
    return lambda: Broken(**wrappers)


BROKEN: dict[str, Callable[[], Any]] = {
    "newest-first": factory(experience=NewestFirst),
    "limit-before-filter": factory(experience=LimitBeforeFilter),
    "tenant-case-insensitive": factory(experience=TenantCaseInsensitive),
    "accepts-conflicts": factory(experience=AcceptsConflicts),
    "half-batches": factory(experience=HalfBatches),
    "drops-unknown-keys": factory(experience=DropsUnknownKeys),
    "forgets-hypothesis-chain": factory(experience=ForgetsHypothesisChain),
    "exclusive-time-end": factory(experience=ExclusiveTimeEnd),
    "empty-kinds-means-none": factory(experience=EmptyKindsMeansNone),
    "first-trace-wins": factory(experience=FirstTraceWins),
    "ignores-expected-seq": factory(runs=IgnoresExpectedSeq),
    "range-end-off-by-one": factory(runs=RangeEndOffByOne),
    "unclamped-range-start": factory(runs=UnclampedRangeStart),
    "kind-in-artifact-id": factory(artifacts=KindInArtifactId),
    "journal-fills-gaps": factory(journal=JournalFillsGaps),
    "stale-seq-is-invalid": factory(runs=StaleSeqIsInvalid),
    "leaky-tenant-view": LeakyTenantView,
}
