"""Broken stores an independent probe found certified: each gets past a rule at an edge the first
corpus left open (an empty string read as "no filter", a case-folded artifact filter, a batch
past a chunk size, a bound wrapped to i64, a key namespace shared, a document stored as the model
dumps it). Each is killed by the `<ledger>-edges` scenarios written for it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ledgerspec import default_codec
from ledgerspec.canonical import jcs
from ledgerspec.errors import ConflictError, InvalidInputError, InvalidQueryError, StorageError
from ledgerspec.store.memory import MemoryStore

from .base import ArtifactsBug, BrokenStore, Bug, ExperienceBug, JournalBug, RunsBug, documents, stored
from .documents import _known

ENVELOPE = "converge.ExperienceEventEnvelope"
U64 = 2**64
EMPTY = hashlib.sha256(b"").hexdigest()


def _limited(found: list[Any], limit: int | None) -> list[Any]:
    return found if limit is None else found[:limit]


# -- experience: an empty string read as "no filter" (`if query.x:`) -----------------------------


class TenantEmptyIsNoFilter(ExperienceBug):
    """Tests the tenant filter for truth, so tenant_id "" matches every envelope."""

    rule = "experience.query.tenant"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, tenant_id=query.tenant_id or None))


class CorrelationEmptyIsNoFilter(ExperienceBug):
    """Tests the correlation filter for truth, so correlation_id "" matches every envelope."""

    rule = "experience.query.correlation"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, correlation_id=query.correlation_id or None))


class ChainEmptyIsNoFilter(ExperienceBug):
    """Tests the chain filter for truth, so chain_id "" matches every envelope."""

    rule = "experience.query.chain-id"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, chain_id=query.chain_id or None))


class TimeEndEmptyIsOpen(ExperienceBug):
    """Tests the time range's end for truth, so an end bound "" leaves the range open."""

    rule = "experience.query.time-range-inclusive"

    def query_events(self, query: Any) -> Any:
        window = query.time_range
        if window is not None and window.end == "":
            query = replace(query, time_range=replace(window, end=None))
        return self.inner.query_events(query)


class ArtifactIdEmptyIsNoFilter(ExperienceBug):
    """Tests query_artifacts' artifact_id for truth, so "" finds every artifact."""

    rule = "experience.artifacts.filters"

    def query_artifacts(self, query: Any) -> Any:
        return self.inner.query_artifacts(replace(query, artifact_id=query.artifact_id or None))


# -- experience: query_artifacts ---------------------------------------------------------------------


class ArtifactFilter(ExperienceBug):
    """query_artifacts with one filter evaluated by `keep` in application code."""

    rule = "experience.artifacts.filters"
    field = ""

    def keep(self, envelope: Any, wanted: Any) -> bool:
        raise NotImplementedError

    def query_artifacts(self, query: Any) -> Any:
        wanted = getattr(query, self.field)
        if wanted is None or getattr(self.inner, "tenant", None) is not None:
            return self.inner.query_artifacts(query)
        found = self.inner.query_artifacts(replace(query, **{self.field: None, "limit": None}))
        return _limited([e for e in found if self.keep(e, wanted)], query.limit)


class ArtifactTenantFoldsCase(ArtifactFilter):
    """Compares query_artifacts' tenant without regard to case (COLLATE NOCASE)."""

    field = "tenant_id"

    def keep(self, envelope: Any, wanted: Any) -> bool:
        return bool((envelope.tenant_id or "").lower() == wanted.lower())


class ArtifactTenantPrefix(ArtifactFilter):
    """Matches query_artifacts' tenant as a prefix (LIKE 'tenant%')."""

    field = "tenant_id"

    def keep(self, envelope: Any, wanted: Any) -> bool:
        return envelope.tenant_id is not None and envelope.tenant_id.startswith(wanted)


class ArtifactOtherKindFoldsCase(ArtifactFilter):
    """Compares an Other artifact kind's text without regard to case."""

    field = "kind"

    def keep(self, envelope: Any, wanted: Any) -> bool:
        dump = default_codec().dump
        return json.dumps(dump(envelope.event.data.artifact_kind)).lower() == json.dumps(dump(wanted)).lower()


class ArtifactsOnlyFromTransitionCalls(ExperienceBug):
    """Answers query_artifacts from write_artifact_state_transition's own records, never from appended envelopes."""

    rule = "experience.artifacts.latest"

    def query_artifacts(self, query: Any) -> Any:
        found = self.inner.query_artifacts(replace(query, limit=None))
        return _limited([e for e in found if e.event_id.startswith("artifact-transition:")], query.limit)


class ArtifactsKeepFirstEnvelopeId(ExperienceBug):
    """Upserts each artifact's state, so query_artifacts returns the first transition's event_id and occurred_at."""

    rule = "experience.artifacts.latest"

    def query_artifacts(self, query: Any) -> Any:
        first: dict[Any, Any] = {}
        for e in stored(self.inner):
            if e["event"]["type"] == "ArtifactStateTransitioned":
                first.setdefault((e.get("tenant_id"), e["event"]["data"]["artifact_id"]), e)
        found = []
        for e in self.inner.query_artifacts(query):
            was = first[(e.tenant_id, e.event.data.artifact_id)]
            found.append(replace(e, event_id=was["event_id"], occurred_at=was["occurred_at"]))
        return found


class TraceLatestByTime(ExperienceBug):
    """Returns the ReplayTraceRecorded with the greatest occurred_at, not the last appended."""

    rule = "experience.trace.latest"

    def get_trace_link(self, trace_link_id: Any) -> Any:
        newest = self.inner.get_trace_link(trace_link_id)
        traces = [
            e
            for e in stored(self.inner)
            if e["event"]["type"] == "ReplayTraceRecorded" and e["event"]["data"]["trace_link_id"] == trace_link_id
        ]
        if not traces:
            return newest
        latest = max(reversed(traces), key=lambda e: e["occurred_at"])  # ties: the last appended
        return default_codec().build("converge.ReplayTrace", latest["event"]["data"]["trace_link"])


class UnknownKindMatchesNothing(ExperienceBug):
    """Answers a query naming an unknown event kind with no envelopes instead of invalid_query."""

    rule = "experience.query.schema"

    def query_events(self, query: Any) -> Any:
        try:
            return self.inner.query_events(query)
        except InvalidQueryError:
            if any(not hasattr(kind, "value") for kind in query.kinds):  # a name no enum member holds
                return []
            raise


class TransitionSwallowsInvalid(ExperienceBug):
    """Answers an invalid transition (an unknown state or kind) with success, writing nothing."""

    rule = "validation.schema"

    def write_artifact_state_transition(self, artifact_id: Any, kind: Any, event: Any) -> Any:
        try:
            return self.inner.write_artifact_state_transition(artifact_id, kind, event)
        except InvalidInputError:
            return None


class BatchTailLostPast1000(ExperienceBug):
    """Inserts a batch in chunks of 1,000 rows and commits only the first chunk."""

    rule = "experience.batch-all-or-nothing"
    chunk = 1000

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        return self.inner.append_events(list(envelopes)[: self.chunk])


class BatchTailLostPast16(BatchTailLostPast1000):
    """Keeps the first 16 envelopes of a batch, in a store that does not claim thread safety."""

    chunk = 16

    @classmethod
    def make_store(cls) -> BrokenStore:
        store = super().make_store()
        store.capabilities = MemoryStore.capabilities - {"concurrency"}
        return store


class DeepDocumentsRefused(ExperienceBug):
    """Keeps documents in a JSON column that refuses nesting deeper than 16 levels (the contract allows 127)."""

    rule = "documents.read-back"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        if any(_depth(e) > 16 for e in envelopes):
            raise StorageError("document nested too deeply for the JSON column")
        return self.inner.append_events(envelopes)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


class LargeDocumentsRefused(ExperienceBug):
    """Keeps documents in a column of at most 64 KiB (the contract allows 16 MiB)."""

    rule = "documents.read-back"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        if any(isinstance(e, dict) and len(json.dumps(e)) > 65536 for e in envelopes):
            raise StorageError("document too large for its column")
        return self.inner.append_events(envelopes)


class StoresModelDumpHashesReceived(ExperienceBug):
    """Stores envelopes as the model dumps them, but decides re-appends by a hash of what it received."""

    rule = "documents.kept-as-received"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        hashes: dict[str, bytes] = self.store.__dict__.setdefault("received_hashes", {})
        scratch = MemoryStore()  # the checks, on a throwaway store
        tenant = getattr(self.inner, "tenant", None)
        (scratch.experience if tenant is None else scratch.for_tenant(tenant)).append_events(envelopes)
        fresh: dict[str, bytes] = {}
        for envelope in envelopes:
            digest = hashlib.sha256(jcs(envelope, float_literals=True)).digest()
            if hashes.get(envelope["event_id"], fresh.get(envelope["event_id"], digest)) != digest:
                raise ConflictError(f"event_id {envelope['event_id']!r} is stored with other content")
            fresh[envelope["event_id"]] = digest
        self.inner.append_events([_known(ENVELOPE, e) for e in envelopes if e["event_id"] not in hashes])
        hashes.update(fresh)


# -- runs ------------------------------------------------------------------------------------------


class RunAppendTailLostPast20(RunsBug):
    """Writes the first 20 events of a longer append and returns the head it meant to write."""

    rule = "runs.append-returns-head"

    def append(self, run_id: Any, expected_seq: Any, events: Any) -> Any:
        if isinstance(events, list) and len(events) > 20:
            self.inner.append(run_id, expected_seq, events[:20])
            return expected_seq + len(events)
        return self.inner.append(run_id, expected_seq, events)


def _wraps(value: Any) -> bool:
    """Whether a bound bound as a signed 64-bit integer turns negative."""
    return isinstance(value, int) and 2**63 <= value < U64


class RunReadBoundsWrap(RunsBug):
    """Binds read_range's bounds as signed 64-bit integers: u64::MAX becomes -1 and the read is empty."""

    rule = "validation.seq-arguments"

    def read_range(self, run_id: Any, from_seq: Any, to_seq: Any = None) -> Any:
        if _wraps(from_seq) or _wraps(to_seq):
            self.inner.head_seq(run_id)
            return []
        return self.inner.read_range(run_id, from_seq, to_seq)


class HeadSeqAnyRunId(RunsBug):
    """Answers head_seq and read_range of a run id that is not a UUID with 0 and [] (an unknown run)."""

    rule = "runs.run-id-forms"

    def head_seq(self, run_id: Any) -> Any:
        try:
            return self.inner.head_seq(run_id)
        except InvalidInputError:
            return 0

    def read_range(self, run_id: Any, from_seq: Any, to_seq: Any = None) -> Any:
        try:
            return self.inner.read_range(run_id, from_seq, to_seq)
        except InvalidInputError:
            self.inner.read_range("00000000-0000-0000-0000-000000000000", from_seq, to_seq)  # a bound's error stands
            return []


class RunEventsDropUnknownKeys(RunsBug):
    """Stores each run event as the model dumps it, so keys from a newer writer are lost."""

    rule = "documents.kept-as-received"

    def append(self, run_id: Any, expected_seq: Any, events: Any) -> Any:
        return self.inner.append(run_id, expected_seq, documents(events, lambda e: _known("mfm.EventEnvelope", e)))


# -- artifacts ---------------------------------------------------------------------------------------


class PutIgnoresKind(ArtifactsBug):
    """Never looks at put's kind (it is not part of the id), so an invalid kind is stored."""

    rule = "artifacts.kind-schema"

    def put(self, kind: Any, data: Any) -> Any:
        try:
            return self.inner.put(kind, data)
        except InvalidInputError:
            return self.inner.put(default_codec().build("mfm.ArtifactKind", "Manifest"), data)


class EmptyArtifactAlwaysPresent(ArtifactsBug):
    """Special-cases empty bytes: their id exists and reads back whether or not they were put."""

    rule = "artifacts.exists"

    def get(self, artifact_id: Any) -> Any:
        return b"" if artifact_id == EMPTY else self.inner.get(artifact_id)

    def exists(self, artifact_id: Any) -> Any:
        return artifact_id == EMPTY or self.inner.exists(artifact_id)


# -- journal -----------------------------------------------------------------------------------------


class JournalReadBoundsWrap(JournalBug):
    """Binds journal.read's bounds as signed 64-bit integers: u64::MAX becomes -1 and the read is empty."""

    rule = "validation.seq-arguments"

    def read(self, run_id: Any, from_seq: Any = 1, to_seq: Any = None) -> Any:
        return [] if _wraps(from_seq) or _wraps(to_seq) else self.inner.read(run_id, from_seq, to_seq)


class JournalKeysOneNamespace(JournalBug):
    """Keeps idempotency_key and dedupe_key in one unique index, so one deduplicates against the other."""

    rule = "journal.dedupe.idempotency-key"

    def append(self, record: Any) -> Any:
        if isinstance(record, dict) and isinstance(record.get("run_id"), str):
            keys = {record.get("idempotency_key"), record.get("dedupe_key")} - {None}
            for kept in self.inner.read(record["run_id"]):
                if keys & {kept.idempotency_key, kept.dedupe_key}:
                    return f"journal.{kept.journal_seq}"
        return self.inner.append(record)


BUGS: tuple[type[Bug], ...] = (
    TenantEmptyIsNoFilter,
    CorrelationEmptyIsNoFilter,
    ChainEmptyIsNoFilter,
    TimeEndEmptyIsOpen,
    ArtifactIdEmptyIsNoFilter,
    ArtifactTenantFoldsCase,
    ArtifactTenantPrefix,
    ArtifactOtherKindFoldsCase,
    ArtifactsOnlyFromTransitionCalls,
    ArtifactsKeepFirstEnvelopeId,
    TraceLatestByTime,
    UnknownKindMatchesNothing,
    TransitionSwallowsInvalid,
    BatchTailLostPast1000,
    BatchTailLostPast16,
    DeepDocumentsRefused,
    LargeDocumentsRefused,
    StoresModelDumpHashesReceived,
    RunAppendTailLostPast20,
    RunReadBoundsWrap,
    HeadSeqAnyRunId,
    RunEventsDropUnknownKeys,
    PutIgnoresKind,
    EmptyArtifactAlwaysPresent,
    JournalReadBoundsWrap,
    JournalKeysOneNamespace,
)
