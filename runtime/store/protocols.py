"""The four ledger contracts as typed protocols: what any store (SQLite, PostgreSQL, a store in
another language behind the conformance harness) must do, method by method.

Arguments and results are the generated models. Documents may also be given as the JSON object
a writer produced (a `Mapping` as parsed from JSON text): a store keeps what it received, so keys
from a newer writer survive even though the models here do not know them.

Every method raises only `LedgerspecError` subclasses, whose `code` is stable:
`invalid_input`, `invalid_query`, `storage`, `not_found`, `concurrency`, `conflict`, `corruption`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:  # the models are imported where they are used, not by every store's import
    from ledgerspec.models import agentsdk, converge, mfm

JsonObject: TypeAlias = Mapping[str, Any]
"""A JSON object as parsed from text (for example by `ledgerspec.jsontext.parse`)."""

Envelope: TypeAlias = "converge.ExperienceEventEnvelope | JsonObject"
RunEvent: TypeAlias = "mfm.EventEnvelope | JsonObject"
Record: TypeAlias = "agentsdk.JournalRecord | JsonObject"


@runtime_checkable
class ExperienceStore(Protocol):
    """converge's experience ledger: envelopes in append order, queried by their metadata."""

    def append_event(self, envelope: Envelope) -> None:
        """Append one envelope. Appending the same `event_id` with the same canonical bytes again
        is a no-op; with different bytes it is a `conflict`. Invalid envelopes (schema, or the id
        rules: ids of 1-256 bytes of `[A-Za-z0-9._:-]`, `occurred_at` of 1-64 bytes) are
        `invalid_input`."""
        ...

    def append_events(self, envelopes: Sequence[Envelope]) -> None:
        """Append a batch, all or nothing: one bad envelope (or a conflict) writes none of them."""
        ...

    def query_events(self, query: converge.EventQuery) -> list[converge.ExperienceEventEnvelope]:
        """Envelopes matching every filter of `query`, in append order.

        Tenant and correlation match exactly (None = no filter); empty `kinds` = every kind;
        `chain_id` matches every variant that carries one; `time_range` is inclusive at both ends
        and compares `occurred_at` as strings; `limit` applies after filtering (`0` gives none).
        A query that breaks the `converge.EventQuery` schema is `invalid_query`."""
        ...

    def write_artifact_state_transition(
        self, artifact_id: str, kind: converge.ArtifactKind, event: converge.LifecycleEvent
    ) -> None:
        """Record that a governed artifact changed state, as an `ArtifactStateTransitioned` event
        (queryable like any other); the store assigns its id and `occurred_at`."""
        ...

    def get_trace_link(self, trace_link_id: str) -> converge.ReplayTrace | None:
        """The trace of the latest `ReplayTraceRecorded` event with this id, or None."""
        ...

    def query_artifacts(self, query: converge.ArtifactQuery) -> list[converge.ExperienceEventEnvelope]:
        """The current state of each governed artifact: its latest `ArtifactStateTransitioned`
        envelope, filtered by tenant, artifact id, kind and current state (`to_state`), ordered by
        when that transition was appended, `limit` applied last."""
        ...


@runtime_checkable
class RunEventStore(Protocol):
    """mfm-machine's per-run event streams: 1-based, gap-free sequence numbers."""

    def head_seq(self, run_id: str) -> int:
        """Sequence number of the run's last event; 0 for a run with no events."""
        ...

    def append(self, run_id: str, expected_seq: int, events: Sequence[RunEvent]) -> int:
        """Append events carrying `run_id` and seqs `expected_seq+1, expected_seq+2, ...`; return
        the new head. A head other than `expected_seq` is `concurrency` with nothing written;
        events of another run or out of sequence are `invalid_input`."""
        ...

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[mfm.EventEnvelope]:
        """Events with `from_seq <= seq <= to_seq` in seq order (`from_seq` clamped to 1, `to_seq`
        None = the head); an unknown run gives an empty list."""
        ...


@runtime_checkable
class ArtifactStore(Protocol):
    """mfm-machine's content-addressed artifact store."""

    def put(self, kind: mfm.ArtifactKind, data: bytes) -> str:
        """Store bytes; return their id (lowercase SHA-256 hex). Idempotent, whatever the kind."""
        ...

    def get(self, artifact_id: str) -> bytes:
        """The bytes stored under `artifact_id`, re-verified against it (`corruption` when they no
        longer hash to it); `not_found` when absent."""
        ...

    def exists(self, artifact_id: str) -> bool:
        """Whether bytes are stored under `artifact_id`."""
        ...


@runtime_checkable
class JournalStore(Protocol):
    """agent-sdk's run journal: per-run records with strictly increasing `journal_seq`."""

    def append(self, record: Record) -> str:
        """Append a record whose `journal_seq` is the run's last + 1 (the first is 1); return its
        cursor `journal.<seq>`. A record whose `record_id`, `idempotency_key` or `dedupe_key` is
        already in the run is deduplicated: the stored record's cursor is returned and nothing is
        written (the same `record_id` with different content is a `conflict`). A seq already
        taken is `concurrency`; a gap is `invalid_input`."""
        ...

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[agentsdk.JournalRecord]:
        """Records of a run with `from_seq <= journal_seq <= to_seq`, in order."""
        ...
