"""The one description of each ledger table: its columns and how each follows from the stored
document, its indexes, the column that orders its rows (the hash chain runs in that order), the
columns that identify a row, and the numbers that must run gap-free in each stream.

Everything else is derived from it: both backends' DDL (`sqlite.schema`, `postgres.schema`),
`verify`'s check of the indexed columns (`verified`), the in-memory store's filter columns,
the rows an append writes and the SQLite planner's statistics. Adding an indexed column is one
`Column` (and its `Index`) here with the format version that adds it, plus that version's
migration in each backend (docs/design.md shows one).

Every table also has the same tail, stated here once: `document` (the canonical bytes
received), `hash` (their SHA-256) and `chain` (SHA-256 of the previous row's chain value and
this row's hash).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..canonical import jcs
from ..contract import shipped
from ..errors import InvalidInputError

TAIL = ("document", "hash", "chain")
"""The columns every ledger table ends with (all bytes, never NULL)."""
TYPICAL_ROWS = 1_000_000
"""The size of a large ledger table, which `Column.distinct` counts are relative to."""
U63 = 2**63 - 1
"""Largest integer a column holds (both databases' 64-bit signed integers)."""


@dataclass(frozen=True)
class Column:
    """A metadata column: its name, whether it holds text or an integer, whether every row has
    one, whether its strings have a length bound (PostgreSQL indexes unbounded ones by hash: a
    btree entry holds at most 2,704 bytes), how many distinct values a table of TYPICAL_ROWS
    rows has (None: every row its own) and the format version that added it."""

    name: str
    kind: type[str] | type[int]
    required: bool = False
    bounded: bool = True
    distinct: int | None = None
    since: int = 1


@dataclass(frozen=True)
class Index:
    """An index over `columns`: unique or not, named (queries that hint at an index name it) or
    named by the database, and partial (only rows where the column `where_set` is not NULL)."""

    columns: tuple[str, ...]
    name: str | None = None
    unique: bool = False
    where_set: str | None = None
    since: int = 1


@dataclass(frozen=True)
class Running:
    """A column the SQLite store keeps beside a metadata column `of`: the greatest value of `of`
    over its row and every row before it in append order (compared as the database compares
    text: by code point). It never decreases, so a binary search over positions finds the first
    row that reaches a lower bound, and no row before that one can match it: a time window's
    plan starts there (`ExperienceStore.event_sql`). `since` is the SQLite format version that
    added it. PostgreSQL keeps none: it sorts a window's matches instead."""

    name: str
    of: str
    since: int


@dataclass(frozen=True)
class Ledger:
    """One append-only table (see the module docstring). `derive` gives the metadata columns, in
    `columns` order, of a valid document of `type_name` (its JSON value), or for a table of bytes
    (`type_name` None: artifacts) the columns `checked` names from the bytes."""

    table: str
    order: str
    key: tuple[str, ...]
    type_name: str | None
    columns: tuple[Column, ...]
    derive: Callable[[Any], tuple[Any, ...]]
    indexes: tuple[Index, ...] = ()
    numbered: tuple[str, str] | None = None
    """The stream and number columns of a ledger numbered per stream (1, 2, 3, ... in each)."""
    checked: tuple[str, ...] | None = None
    """The columns `derive` gives for a table of bytes (None: all of `columns`)."""
    running: Running | None = None
    sealed: tuple[str, str] | None = None
    """A column no document gives (an artifact's kind) and the JSON type it holds: the chain
    covers it instead, each row linking its hash followed by this column's UTF-8
    (`chain.linked`). Rows written before format 3 (of either backend) link their hash alone,
    and verify says their column is covered by no hash."""

    @property
    def names(self) -> tuple[str, ...]:
        """The metadata column names, in row order."""
        return tuple(column.name for column in self.columns)

    @property
    def derived(self) -> tuple[str, ...]:
        """The columns `derive` gives (and `verify` re-derives)."""
        return self.names if self.checked is None else self.checked

    def column(self, name: str) -> Column:
        """The column called `name` (the ordering column too: an integer unique to each row)."""
        if name == self.order:
            return Column(name, int, required=True)
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.table} has no column {name!r}")


# -- how columns follow from documents -------------------------------------------------------


def canonical_run(run_id: str) -> str:
    """A valid `mfm.RunId` in the form serde writes (lowercase hyphenated), whatever form it came in."""
    return str(uuid.UUID(run_id))


def kind_text(kind: Any) -> str:
    """The column form of an artifact kind: its canonical JSON (`"Adapter"`, `{"Other":"x"}`)."""
    return jcs(kind).decode()


@cache
def chain_kinds() -> frozenset[str]:
    """The ExperienceEvent variants whose fields include `chain_id`, read from the schemas (so a
    chain filter matches every one of them, `HypothesisResolved` included)."""
    contract = shipped()
    kinds = set()
    for variant in contract.unions["converge.ExperienceEvent"].variants:
        if "chain_id" in contract.entry(f"{variant}.Fields").schema.get("properties", {}):
            kinds.add(variant.rsplit(".", 1)[-1])
    return frozenset(kinds)


def _envelope_columns(envelope: Mapping[str, Any]) -> tuple[Any, ...]:
    event = envelope["event"]
    kind, data = event["type"], event["data"]
    chain = data.get("chain_id") if kind in chain_kinds() else None
    trace = data.get("trace_link_id") if kind == "ReplayTraceRecorded" else None
    artifact = artifact_kind = state = None
    if kind == "ArtifactStateTransitioned":
        artifact, artifact_kind, state = (
            data["artifact_id"],
            kind_text(data["artifact_kind"]),
            data["event"]["to_state"],
        )
    return (
        envelope["event_id"],
        kind,
        envelope.get("tenant_id"),
        envelope.get("correlation_id"),
        chain,
        envelope["occurred_at"],
        trace,
        artifact,
        artifact_kind,
        state,
    )


def event_kind(event: Mapping[str, Any]) -> str:
    """The column form of an mfm Event: `Kernel.<variant>` or `Domain.<name>`."""
    if "Kernel" in event:
        kernel = event["Kernel"]
        return f"Kernel.{next(iter(kernel))}" if isinstance(kernel, dict) else f"Kernel.{kernel}"
    return f"Domain.{event['Domain']['name']}"


def _event_columns(value: Mapping[str, Any]) -> tuple[Any, ...]:
    millis = value.get("ts_millis")
    return (
        canonical_run(value["run_id"]),
        value["seq"],
        event_kind(value["event"]),
        None if millis is None else min(millis, U63),
    )


def _record_columns(value: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(value.get(column.name) for column in JOURNAL.columns)


def _artifact_columns(content: bytes) -> tuple[Any, ...]:
    return hashlib.sha256(content).hexdigest(), len(content)


# -- the four ledgers ------------------------------------------------------------------------

RUNS = TYPICAL_ROWS // 1000
TIME_INDEX = "idx_experience_time"
ARTIFACT_INDEX = "idx_experience_artifact"
TRACE_INDEX = "idx_experience_trace"

EXPERIENCE = Ledger(
    "experience_events",
    "seq",
    ("event_id",),
    "converge.ExperienceEventEnvelope",
    (
        Column("event_id", str, required=True),
        Column("kind", str, required=True, distinct=14),
        Column("tenant_id", str, distinct=50),
        Column("correlation_id", str, distinct=TYPICAL_ROWS // 100),
        Column("chain_id", str, bounded=False, distinct=TYPICAL_ROWS // 50),
        Column("occurred_at", str, required=True, distinct=TYPICAL_ROWS // 2),
        Column("trace_link_id", str, bounded=False, distinct=TYPICAL_ROWS // 2),
        Column("artifact_id", str, bounded=False, distinct=TYPICAL_ROWS // 20),
        Column("artifact_kind", str),
        Column("artifact_state", str),
    ),
    _envelope_columns,
    # One index per filter, each ending in `seq`, so a filtered query reads matches in append
    # order and stops at its limit; tenant-scoped views get tenant-leading pairs.
    (
        Index(("event_id",), unique=True),
        Index(("tenant_id", "seq")),
        Index(("tenant_id", "kind", "seq")),
        Index(("tenant_id", "occurred_at")),
        Index(("kind", "occurred_at")),
        Index(("correlation_id", "seq")),
        Index(("chain_id", "seq")),
        Index(("kind", "seq")),
        Index(("occurred_at",), name=TIME_INDEX),
        Index(("trace_link_id", "seq"), name=TRACE_INDEX, where_set="trace_link_id"),
        Index(("artifact_id", "seq"), name=ARTIFACT_INDEX, where_set="artifact_id"),
    ),
    running=Running("max_occurred_at", "occurred_at", since=2),
)
RUN_EVENTS = Ledger(
    "run_events",
    "id",
    ("run_id", "seq"),
    "mfm.EventEnvelope",
    (
        Column("run_id", str, required=True, distinct=RUNS),
        Column("seq", int, required=True),
        Column("kind", str, required=True),
        Column("ts_millis", int),
    ),
    _event_columns,
    (Index(("run_id", "seq"), unique=True),),
    numbered=("run_id", "seq"),
)
ARTIFACTS = Ledger(
    "artifacts",
    "id",
    ("artifact_id",),
    None,
    (Column("artifact_id", str, required=True), Column("kind", str, required=True), Column("size", int, required=True)),
    _artifact_columns,
    (Index(("artifact_id",), unique=True),),
    checked=("artifact_id", "size"),
    sealed=("kind", "mfm.ArtifactKind"),
)
JOURNAL = Ledger(
    "journal_records",
    "id",
    ("run_id", "journal_seq"),
    "agentsdk.JournalRecord",
    (
        Column("run_id", str, required=True, distinct=RUNS),
        Column("journal_seq", int, required=True),
        Column("record_id", str, required=True, bounded=False),
        Column("record_kind", str, required=True),
        Column("idempotency_key", str),
        Column("dedupe_key", str),
    ),
    _record_columns,
    (
        Index(("run_id", "journal_seq"), unique=True),
        Index(("run_id", "record_id")),
        Index(("run_id", "idempotency_key"), name="idx_journal_idempotency", where_set="idempotency_key"),
        Index(("run_id", "dedupe_key"), name="idx_journal_dedupe", where_set="dedupe_key"),
    ),
    numbered=("run_id", "journal_seq"),
)


def index_name(ledger: Ledger, index: Index) -> str:
    """An index's name in SQLite: the description's, or the one sqlite-utils gives it
    (`idx_<table>_<columns>`), which is what queries hinting at it name."""
    return index.name or f"idx_{ledger.table}_{'_'.join(index.columns)}"


def _window_index(*leading: str) -> str:
    """The SQLite name of the experience index over `leading` then `occurred_at`."""
    wanted = (*leading, "occurred_at")
    (index,) = (index for index in EXPERIENCE.indexes if index.columns[: len(wanted)] == wanted)
    return index_name(EXPERIENCE, index)


WINDOW_INDEXES: dict[str | None, str] = {
    "tenant_id": _window_index("tenant_id"),
    "kind": _window_index("kind"),
    None: _window_index(),
}
"""The index a query with a time window (and no correlation or chain) reads its matches from: the
one led by its tenant, else by its kinds, else the time index."""

LEDGERS = (EXPERIENCE, RUN_EVENTS, ARTIFACTS, JOURNAL)
DOCUMENT_LEDGERS = (EXPERIENCE, RUN_EVENTS, JOURNAL)
"""The ledgers of JSON documents, in `export` order."""


def of_type(type_name: str) -> Ledger:
    """The ledger holding documents of `type_name`; InvalidInputError for a type no ledger holds."""
    for ledger in DOCUMENT_LEDGERS:
        if ledger.type_name == type_name:
            return ledger
    names = ", ".join(str(ledger.type_name) for ledger in DOCUMENT_LEDGERS)
    raise InvalidInputError(f"{type_name} is not a ledger type ({names})")


def detect(value: Any) -> Ledger | None:
    """The ledger a document of an export belongs to, told by its keys (an export mixes all
    three), or None when it has none of them."""
    if isinstance(value, dict):
        if "journal_seq" in value:
            return JOURNAL
        if "run_id" in value and "seq" in value:
            return RUN_EVENTS
        if "event_id" in value:
            return EXPERIENCE
    return None


DETECTED = (
    "not a ledger document: no journal_seq (journal record), run_id and seq (run event) or event_id "
    "(experience envelope)"
)
"""Why `detect` found no ledger, for messages."""
