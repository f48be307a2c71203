"""`LedgerStore`: all four ledger contracts over one backend, the part `SqliteStore` and
`PostgresStore` share (tenant views, verify, counts, export)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from .. import default_codec
from ..clock import Clock, utc_now
from ..codec import Codec
from ..jsontext import MAX_DOCUMENT_BYTES
from . import artifacts, envelope_rules, journal, runs
from .artifacts import ArtifactLedger
from .backend import Backend
from .chain import Derived, TableReport
from .documents import Documents
from .envelope_rules import check_id
from .experience import ExperienceLedger
from .journal import JournalLedger
from .runs import RunLedger
from .tables import ARTIFACTS, EXPERIENCE, JOURNAL, LEDGERS, RUN_EVENTS


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `verify`: one report per ledger table."""

    tables: list[TableReport]

    @property
    def ok(self) -> bool:
        """Whether every table verified."""
        return all(table.broken is None for table in self.tables)


def _from_json(columns: Callable[[dict[str, Any]], tuple[Any, ...]]) -> Callable[[bytes], tuple[Any, ...]]:
    return lambda document: columns(orjson.loads(document))


DERIVED: dict[str, Derived] = {
    EXPERIENCE.table: (envelope_rules.COLUMNS, _from_json(envelope_rules.envelope_columns)),
    RUN_EVENTS.table: (runs.COLUMNS, _from_json(runs.event_columns)),
    ARTIFACTS.table: (artifacts.CHECKED_COLUMNS, artifacts.artifact_columns),
    JOURNAL.table: (journal.COLUMNS, _from_json(journal.record_columns)),
}
"""How `verify` re-derives each table's indexed columns from its documents."""


class LedgerStore:
    """All four ledgers of one database, sharing its connection(s):

    - `experience`: converge's `ExperienceStore` (`for_tenant(t)` gives a tenant-scoped view);
    - `runs`: mfm's `RunEventStore`;
    - `artifacts`: mfm's `ArtifactStore`;
    - `journal`: agent-sdk's `JournalStore`.

    Every document is validated on write against the reader contract, or the strict (writer)
    contract with `strict=True`; `clock` gives the timestamps the store assigns itself.
    """

    capabilities = frozenset({"experience", "runs", "artifacts", "journal", "tenancy", "concurrency"})
    """What the conformance suite may check: all four ledgers, tenant views, concurrent callers."""
    location: str
    """Where the ledger lives, as messages name it (a file path; a URL, without password, and schema)."""

    def __init__(
        self,
        backend: Backend,
        *,
        strict: bool = False,
        clock: Clock = utc_now,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        codec: Codec | None = None,
    ) -> None:
        self._backend = backend
        self._documents = Documents(codec or default_codec(), strict, max_document_bytes)
        self._clock = clock
        self.experience = ExperienceLedger(backend, self._documents, clock)
        self.runs = RunLedger(backend, self._documents)
        self.artifacts = ArtifactLedger(backend, self._documents)
        self.journal = JournalLedger(backend, self._documents)

    def for_tenant(self, tenant_id: str) -> ExperienceLedger:
        """An ExperienceStore that reads and writes only `tenant_id`'s envelopes."""
        check_id("tenant_id", tenant_id)
        return ExperienceLedger(self._backend, self._documents, self._clock, tenant=tenant_id)

    def verify(self) -> VerifyReport:
        """Re-hash every stored document and re-link every hash chain; the report names the
        first broken row of each table."""
        return VerifyReport(self._backend.verify(DERIVED))

    def counts(self) -> dict[str, int]:
        """Row count of each ledger table."""
        return {ledger.table: self._backend.count(f"SELECT count(*) FROM {ledger.table}") for ledger in LEDGERS}

    def stats(self) -> dict[str, Any]:
        """Where the ledger is, row counts per ledger, distinct tenants and runs, artifact bytes
        and envelopes per kind (backends add their format version and size)."""
        one = self._backend.count
        kinds = self._backend.read(f"SELECT kind, count(*) FROM {EXPERIENCE.table} GROUP BY kind ORDER BY kind")
        return {
            "location": self.location,
            "rows": self.counts(),
            "tenants": one(f"SELECT count(DISTINCT tenant_id) FROM {EXPERIENCE.table}"),
            "runs": one(f"SELECT count(DISTINCT run_id) FROM {RUN_EVENTS.table}"),
            "journal_runs": one(f"SELECT count(DISTINCT run_id) FROM {JOURNAL.table}"),
            "artifact_bytes": one(f"SELECT coalesce(sum(size), 0) FROM {ARTIFACTS.table}"),
            "kinds": {self._backend.text(kind): count for kind, count in kinds},
        }

    def export(self) -> Iterator[bytes]:
        """Every stored document, byte for byte as stored: experience envelopes, then run events,
        then journal records, each in append order (artifacts are bytes, not documents)."""
        yield from self.experience.documents()
        yield from self.runs.documents()
        yield from self.journal.documents()

    def close(self) -> None:
        """Close the database connection(s)."""
        self._backend.close()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
