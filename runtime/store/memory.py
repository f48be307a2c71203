"""`MemoryStore`: the four ledger contracts in memory, written apart from the SQLite store.

It exists to show that the contracts of docs/stores.md (and the conformance suite that checks
them) do not depend on SQLite: every rule is re-derived here from that page in plain Python (lists,
dicts and a filter over parsed documents), sharing no query or rule code with the reference store.
It shares what is not a ledger rule: the door between documents and bytes (`documents` writes
canonical bytes, `stored` reads them back, both through the codec it is given), the argument
checks, the plumbing that names the failing document of a batch, and which event kinds carry a
chain id (`ledgers.chain_kinds`, read from the schemas).
Nothing is persisted. Every store holds one lock around each read and write of its state, so it may
be shared between threads.
"""

from __future__ import annotations

import hashlib
import string
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from ledgerspec.models import agentsdk, converge, mfm

from .. import default_codec
from ..clock import Clock, format_timestamp, utc_now
from ..codec import Codec
from ..errors import (
    ConcurrencyError,
    ConflictError,
    CorruptionError,
    InvalidInputError,
    InvalidQueryError,
    NotFoundError,
    ValidationError,
)
from . import stored as stored_bytes
from .documents import Documents, check_batch, prepare_appends, read_bound, sequence_number, stored_integer
from .ledgers import U63, chain_kinds
from .protocols import Envelope, Record, RunEvent

T = TypeVar("T")
D = TypeVar("D")

ENVELOPE = "converge.ExperienceEventEnvelope"
RUN_EVENT = "mfm.EventEnvelope"
RECORD = "agentsdk.JournalRecord"
ID_CHARS = frozenset(string.ascii_letters + string.digits + "._:-")


def check_id(field_name: str, value: Any) -> None:
    """An envelope id: 1-256 bytes of `[A-Za-z0-9._:-]` (all ASCII, so characters are bytes)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{field_name} must be a string, got {type(value).__name__}")
    if not value:
        raise InvalidInputError(f"{field_name} must not be empty")
    for offset, char in enumerate(value):
        if char not in ID_CHARS:
            raise InvalidInputError(
                f"{field_name} {value[:60]!r} has {char!r} at offset {offset}; only A-Z a-z 0-9 . _ : - are allowed"
            )
    if len(value) > 256:
        raise InvalidInputError(f"{field_name} is {len(value)} bytes long; at most 256 are allowed")


def matches(envelope: dict[str, Any], q: dict[str, Any], tenant: str | None) -> bool:
    """Whether an envelope matches every filter of an EventQuery `q` (serde JSON) and `tenant`:
    ids exact, empty kinds = all, chain among the kinds carrying one, time range inclusive as strings."""
    kind, data, at = envelope["event"]["type"], envelope["event"]["data"], envelope["occurred_at"]
    window = q["time_range"] or {}
    return (
        (tenant is None or envelope.get("tenant_id") == tenant)
        and (q["correlation_id"] is None or envelope.get("correlation_id") == q["correlation_id"])
        and (not q["kinds"] or kind in q["kinds"])
        and (q["chain_id"] is None or (kind in chain_kinds() and data.get("chain_id") == q["chain_id"]))
        and (window.get("start") is None or window["start"] <= at)
        and (window.get("end") is None or at <= window["end"])
    )


class Journaled(NamedTuple):
    """A journal record as stored: its JSON object and its canonical bytes."""

    value: dict[str, Any]
    data: bytes


@dataclass
class Ledgers:
    """The state of one MemoryStore, shared by its ledgers and its tenant views."""

    documents: Documents
    clock: Clock
    lock: threading.Lock = field(default_factory=threading.Lock)
    envelopes: list[bytes] = field(default_factory=list)
    """Canonical bytes of every experience envelope, in append order."""
    event_ids: dict[str, bytes] = field(default_factory=dict)
    runs: dict[str, list[bytes]] = field(default_factory=dict)
    """Canonical run id -> its events' canonical bytes; seqs are 1..n, so event `seq` is at `seq - 1`."""
    artifacts: dict[str, tuple[Any, bytes]] = field(default_factory=dict)
    journals: dict[str, list[Journaled]] = field(default_factory=dict)

    @property
    def codec(self) -> Codec:
        return self.documents.codec

    def document(self, type_name: str, given: Any) -> tuple[dict[str, Any], bytes]:
        """The JSON object of `given` (a model, a JSON object or JSON text) and its canonical
        bytes, checked against the contract (strict if the store is) and the size and nesting caps."""
        checked = self.documents.check(type_name, given)
        return checked.value, checked.data

    def query(self, type_name: str, model: type, query: Any) -> dict[str, Any]:
        """The serde JSON of a query model, checked against its schema (`invalid_query` if not)."""
        if not isinstance(query, model):
            raise InvalidQueryError(f"expected a {type_name}, got {type(query).__name__}")
        value: dict[str, Any] = self.codec.dump(query)
        try:
            self.codec.validator.validate(type_name, value)
        except ValidationError as exc:
            raise InvalidQueryError(str(exc)) from None
        return value


class MemoryExperienceStore:
    """converge's experience ledger in memory; with `tenant` set, a view that reads and writes
    only that tenant's envelopes."""

    def __init__(self, ledgers: Ledgers, tenant: str | None = None) -> None:
        self._ledgers = ledgers
        self.tenant = tenant

    def _check(self, _: int, given: Envelope) -> tuple[str, bytes]:
        value, data = self._ledgers.document(ENVELOPE, given)
        for name in ("event_id", "tenant_id", "correlation_id"):
            if value.get(name) is not None:
                check_id(name, value[name])
        size = len(value["occurred_at"].encode("utf-8"))
        if not 1 <= size <= 64:
            raise InvalidInputError(f"occurred_at is {size} bytes long; it must be 1 to 64")
        if self.tenant is not None and value.get("tenant_id") != self.tenant:
            raise InvalidInputError(f"tenant_id is {value.get('tenant_id')!r}; this store is scoped to {self.tenant!r}")
        return value["event_id"], data

    def append_event(self, envelope: Envelope) -> None:
        self.append_events([envelope])

    def append_events(self, envelopes: Sequence[Envelope]) -> int:
        """Append a batch, all or nothing; returns how many envelopes were new."""
        checked = check_batch("envelope", envelopes, self._check)
        with self._ledgers.lock:
            return self._append(checked)

    def _append(self, checked: list[tuple[str, bytes]]) -> int:
        """Store the envelopes not stored yet (lock held); every id is checked before any write."""
        stored, fresh = self._ledgers.event_ids, dict[str, bytes]()
        for index, (event_id, data) in enumerate(checked):
            known = stored.get(event_id, fresh.get(event_id))
            if known is None:
                fresh[event_id] = data
            elif known != data:
                raise ConflictError(f"event_id {event_id!r} is already stored with different content").located(
                    f"envelope {index}", index
                )
        stored.update(fresh)
        self._ledgers.envelopes.extend(fresh.values())
        return len(fresh)

    def write_artifact_state_transition(
        self, artifact_id: str, kind: converge.ArtifactKind, event: converge.LifecycleEvent
    ) -> None:
        codec = self._ledgers.codec
        data = {"artifact_id": artifact_id, "artifact_kind": codec.dump(kind), "event": codec.dump(event)}
        with self._ledgers.lock:
            position = len(self._ledgers.envelopes) + 1
            fresh, suffix = f"artifact-transition:{position}", 0
            while fresh in self._ledgers.event_ids:  # appended by a caller: the first free suffix
                suffix += 1
                fresh = f"artifact-transition:{position}:{suffix}"
            envelope = {
                "event_id": fresh,
                "occurred_at": format_timestamp(self._ledgers.clock()),
                "tenant_id": self.tenant,
                "correlation_id": None,
                "event": {"type": "ArtifactStateTransitioned", "data": data},
            }
            self._append([self._check(0, envelope)])

    def _tenant(self, requested: str | None) -> tuple[bool, str | None]:
        """Whether a query naming `requested` can match anything here, and the tenant to match."""
        if self.tenant is not None and requested is not None and requested != self.tenant:
            return False, None
        return True, self.tenant if self.tenant is not None else requested

    def _snapshot(self) -> list[bytes]:
        """The stored envelopes in append order (a copy: read outside the lock)."""
        with self._ledgers.lock:
            return list(self._ledgers.envelopes)

    def _stored(self) -> list[dict[str, Any]]:
        """The stored envelopes in append order, parsed (`json` keeps integers exact)."""
        return [stored_bytes.parse(data) for data in self._snapshot()]

    def query_documents(self, query: converge.EventQuery) -> list[bytes]:
        """The canonical bytes of the envelopes `query_events` returns."""
        q = self._ledgers.query("converge.EventQuery", converge.EventQuery, query)
        possible, tenant = self._tenant(q["tenant_id"])
        if not possible or q["limit"] == 0:
            return []
        found = []
        for data in self._snapshot():
            if matches(stored_bytes.parse(data), q, tenant):
                found.append(data)
                if len(found) == q["limit"]:
                    break
        return found

    def query_events(self, query: converge.EventQuery) -> list[converge.ExperienceEventEnvelope]:
        build = self._ledgers.codec.build
        return [build(ENVELOPE, stored_bytes.parse(data)) for data in self.query_documents(query)]

    def get_trace_link(self, trace_link_id: str) -> converge.ReplayTrace | None:
        if not isinstance(trace_link_id, str):
            raise InvalidQueryError(f"trace_link_id must be a string, got {type(trace_link_id).__name__}")
        _, tenant = self._tenant(None)
        for value in reversed(self._stored()):
            event = value["event"]
            if (
                event["type"] == "ReplayTraceRecorded"
                and event["data"]["trace_link_id"] == trace_link_id
                and (tenant is None or value.get("tenant_id") == tenant)
            ):
                trace: converge.ReplayTrace = self._ledgers.codec.build(
                    "converge.ReplayTrace", event["data"]["trace_link"]
                )
                return trace
        return None

    def query_artifacts(self, query: converge.ArtifactQuery) -> list[converge.ExperienceEventEnvelope]:
        q = self._ledgers.query("converge.ArtifactQuery", converge.ArtifactQuery, query)
        possible, tenant = self._tenant(q["tenant_id"])
        if not possible or q["limit"] == 0:
            return []
        latest: dict[tuple[str | None, str], tuple[int, dict[str, Any]]] = {}
        for position, value in enumerate(self._stored()):
            if value["event"]["type"] == "ArtifactStateTransitioned":
                latest[(value.get("tenant_id"), value["event"]["data"]["artifact_id"])] = (position, value)
        found = []
        for _, value in sorted(latest.values(), key=lambda item: item[0]):
            data = value["event"]["data"]
            if (
                (tenant is None or value.get("tenant_id") == tenant)
                and (q["artifact_id"] is None or data["artifact_id"] == q["artifact_id"])
                and (q["kind"] is None or data["artifact_kind"] == q["kind"])
                and (q["state"] is None or data["event"]["to_state"] == q["state"])
            ):
                found.append(self._ledgers.codec.build(ENVELOPE, value))
        return found[: q["limit"]]


class MemoryRunEventStore:
    """mfm-machine's run event streams in memory: 1-based, gap-free seqs per run."""

    def __init__(self, ledgers: Ledgers) -> None:
        self._ledgers = ledgers

    def run_key(self, run_id: Any) -> str:
        """A run id in any form serde reads, as one canonical UUID string."""
        if not isinstance(run_id, str) or self._ledgers.codec.validator.issues("mfm.RunId", run_id):
            raise InvalidInputError(f"run_id {str(run_id)[:60]!r} is not a UUID in a form serde reads")
        return str(uuid.UUID(run_id))

    def head_seq(self, run_id: str) -> int:
        run = self.run_key(run_id)
        with self._ledgers.lock:
            return len(self._ledgers.runs.get(run, ()))

    def _prepare(self, run_id: str, expected_seq: int, events: Sequence[RunEvent]) -> tuple[str, int, list[bytes]]:
        """Check an append's run, expected head and every event, before anything is written."""
        run, expected = self.run_key(run_id), sequence_number("expected_seq", expected_seq)

        def check(index: int, given: RunEvent) -> bytes:
            value, data = self._ledgers.document(RUN_EVENT, given)
            if self.run_key(value["run_id"]) != run:
                raise InvalidInputError(f"run_id is {value['run_id']!r}; this append is for run {run}")
            if value["seq"] != expected + index + 1:
                raise InvalidInputError(f"seq is {value['seq']}; expected {expected + index + 1}")
            stored_integer("seq", value["seq"])
            return data

        return run, expected, check_batch("event", events, check)

    def append(self, run_id: str, expected_seq: int, events: Sequence[RunEvent]) -> int:
        return self._write([self._prepare(run_id, expected_seq, events)])[0]

    def append_all(self, appends: Sequence[tuple[str, int, Sequence[RunEvent]]]) -> list[int]:
        """Several appends, to one run or many, all or nothing; returns each one's new head. An
        error names the append and event (`append 1, event 3`); `index` counts across appends."""
        return self._write(prepare_appends(appends, self._prepare))

    def _write(self, pending: list[tuple[str, int, list[bytes]]]) -> list[int]:
        with self._ledgers.lock:
            heads: dict[str, int] = {}
            for run, expected, documents in pending:
                head = heads.get(run, len(self._ledgers.runs.get(run, ())))
                if head != expected:
                    raise ConcurrencyError(f"run {run}: head seq is {head}, not the expected {expected}")
                heads[run] = expected + len(documents)
            for run, _, documents in pending:
                if documents:
                    self._ledgers.runs.setdefault(run, []).extend(documents)
        return [expected + len(documents) for _, expected, documents in pending]

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[mfm.EventEnvelope]:
        return [
            self._ledgers.codec.build(RUN_EVENT, stored_bytes.parse(data))
            for data in self.read_documents(run_id, from_seq, to_seq)
        ]

    def read_documents(self, run_id: str, from_seq: int, to_seq: int | None = None) -> list[bytes]:
        """The stored documents `read_range` would return, as kept (unknown keys and all)."""
        run = self.run_key(run_id)
        low = max(read_bound("from_seq", from_seq), 1)
        high = None if to_seq is None else read_bound("to_seq", to_seq)
        with self._ledgers.lock:
            return self._ledgers.runs.get(run, [])[low - 1 : high]


class MemoryArtifactStore:
    """mfm-machine's content-addressed artifacts in memory: id = SHA-256 hex of the bytes."""

    def __init__(self, ledgers: Ledgers) -> None:
        self._ledgers = ledgers

    def put(self, kind: mfm.ArtifactKind, data: bytes) -> str:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidInputError(f"artifact data must be bytes, got {type(data).__name__}")
        value = self._ledgers.codec.dump(kind)
        self._ledgers.codec.validator.validate("mfm.ArtifactKind", value)
        content = bytes(data)
        artifact_id = hashlib.sha256(content).hexdigest()
        with self._ledgers.lock:
            self._ledgers.artifacts.setdefault(artifact_id, (value, content))  # the first kind is kept
        return artifact_id

    @staticmethod
    def _key(artifact_id: Any) -> str:
        if not isinstance(artifact_id, str):
            raise InvalidInputError(f"artifact id must be a string, got {type(artifact_id).__name__}")
        return artifact_id

    def get(self, artifact_id: str) -> bytes:
        key = self._key(artifact_id)
        with self._ledgers.lock:
            stored = self._ledgers.artifacts.get(key)
        if stored is None:
            raise NotFoundError(f"artifact {key[:80]!r} is not stored")
        if hashlib.sha256(stored[1]).hexdigest() != key:
            raise CorruptionError(f"artifact {key}: the stored bytes no longer hash to its id")
        return stored[1]

    def exists(self, artifact_id: str) -> bool:
        key = self._key(artifact_id)
        with self._ledgers.lock:
            return key in self._ledgers.artifacts


class MemoryJournalStore:
    """agent-sdk's run journals in memory: per run, `journal_seq` 1, 2, 3, ..."""

    def __init__(self, ledgers: Ledgers) -> None:
        self._ledgers = ledgers

    def _check(self, _: int, given: Record) -> Journaled:
        value, data = self._ledgers.document(RECORD, given)
        if value["journal_schema_version"] != 1:
            raise InvalidInputError(f"journal_schema_version is {value['journal_schema_version']}; only 1 is read")
        stored_integer("journal_seq", value["journal_seq"])
        return Journaled(value, data)

    def append(self, record: Record) -> str:
        return self.append_all([record])[0]

    def append_all(self, records: Sequence[Record]) -> list[str]:
        """Append records in order, all or nothing; returns their cursors (see `append`)."""
        checked = check_batch("record", records, self._check)
        with self._ledgers.lock:
            staged: dict[str, list[Journaled]] = {}  # copies of the runs touched, committed at the end
            cursors = check_batch("record", checked, lambda _, record: self._stage(staged, record))
            self._ledgers.journals.update(staged)
        return cursors

    def _stage(self, staged: dict[str, list[Journaled]], record: Journaled) -> str:
        value, run = record.value, record.value["run_id"]
        journal = staged.setdefault(run, list(self._ledgers.journals.get(run, [])))
        for stored in journal:
            if stored.value["record_id"] == value["record_id"]:
                if stored.data != record.data:
                    raise ConflictError(
                        f"record_id {value['record_id']!r} is already journaled for run {run!r} with different content"
                    )
                return f"journal.{stored.value['journal_seq']}"
        for key in ("idempotency_key", "dedupe_key"):
            duplicate = next(
                (s for s in journal if value.get(key) is not None and s.value.get(key) == value[key]), None
            )
            if duplicate is not None:
                return f"journal.{duplicate.value['journal_seq']}"
        last, seq = (journal[-1].value["journal_seq"] if journal else 0), value["journal_seq"]
        if seq <= last:
            raise ConcurrencyError(f"run {run!r}: journal_seq {seq} is already written; the next is {last + 1}")
        if seq != last + 1:
            raise InvalidInputError(f"run {run!r}: journal_seq {seq} leaves a gap; the next is {last + 1}")
        journal.append(record)
        return f"journal.{seq}"

    def read(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[agentsdk.JournalRecord]:
        build = self._ledgers.codec.build
        return [build(RECORD, stored_bytes.parse(data)) for data in self.read_documents(run_id, from_seq, to_seq)]

    def read_documents(self, run_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[bytes]:
        """The stored documents `read` would return, as kept (unknown keys and all)."""
        if not isinstance(run_id, str):
            raise InvalidInputError(f"run_id must be a string, got {type(run_id).__name__}")
        low = read_bound("from_seq", from_seq)
        high = U63 if to_seq is None else read_bound("to_seq", to_seq)
        with self._ledgers.lock:
            journal = list(self._ledgers.journals.get(run_id, []))
        return [r.data for r in journal if low <= r.value["journal_seq"] <= high]


class MemoryStore:
    """All four ledgers in memory: `experience` (with `for_tenant`), `runs`, `artifacts` and
    `journal`. Documents are validated on write against the reader contract, or the strict
    (writer) contract with `strict=True`; `clock` gives the timestamps the store assigns."""

    capabilities = frozenset({"experience", "runs", "artifacts", "journal", "tenancy", "concurrency"})

    def __init__(self, strict: bool = False, clock: Clock = utc_now, codec: Codec | None = None) -> None:
        self._ledgers = Ledgers(Documents(codec or default_codec(), strict), clock)
        self.strict = strict
        self.experience = MemoryExperienceStore(self._ledgers)
        self.runs = MemoryRunEventStore(self._ledgers)
        self.artifacts = MemoryArtifactStore(self._ledgers)
        self.journal = MemoryJournalStore(self._ledgers)

    def for_tenant(self, tenant_id: str) -> MemoryExperienceStore:
        """An ExperienceStore that reads and writes only `tenant_id`'s envelopes."""
        check_id("tenant_id", tenant_id)
        return MemoryExperienceStore(self._ledgers, tenant_id)

    def close(self) -> None:
        """Nothing to release; here so a harness can treat every store alike."""

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
