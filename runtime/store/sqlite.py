"""`SqliteStore`: the reference store, all four ledger contracts on one SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .. import default_codec
from ..clock import Clock, utc_now
from ..codec import Codec
from ..jsontext import MAX_DOCUMENT_BYTES
from . import artifacts, envelope_rules, journal, runs
from .artifacts import SqliteArtifactStore
from .connection import Derived, LedgerFile, Synchronous, TableReport
from .documents import Documents
from .envelope_rules import check_id
from .experience import SqliteExperienceStore
from .journal import SqliteJournalStore
from .runs import SqliteRunEventStore
from .schema import ARTIFACTS, EXPERIENCE, JOURNAL, LEDGERS, RUN_EVENTS, file_version


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `SqliteStore.verify`: one report per ledger table."""

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


class SqliteStore:
    """All four ledgers of one SQLite file, sharing one connection:

    - `experience`: converge's `ExperienceStore` (`for_tenant(t)` gives a tenant-scoped view);
    - `runs`: mfm's `RunEventStore`;
    - `artifacts`: mfm's `ArtifactStore`;
    - `journal`: agent-sdk's `JournalStore`.

    Opening creates the file (or migrates an older one). Every document is validated on write
    against the reader contract, or the strict (writer) contract with `strict=True`; `clock`
    gives the timestamps the store assigns itself. Safe to share between threads, and between
    processes opening the same file.
    """

    capabilities = frozenset({"experience", "runs", "artifacts", "journal", "tenancy", "concurrency"})
    """What the conformance suite may check: all four ledgers, tenant views, concurrent callers."""

    def __init__(
        self,
        path: str | Path,
        *,
        strict: bool = False,
        clock: Clock = utc_now,
        readonly: bool = False,
        busy_timeout: float = 30.0,
        synchronous: Synchronous = "FULL",
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        codec: Codec | None = None,
    ) -> None:
        codec = codec or default_codec()
        self.file = LedgerFile(path, readonly=readonly, busy_timeout=busy_timeout, synchronous=synchronous)
        self._documents = Documents(codec, strict, max_document_bytes)
        self._clock = clock
        self.experience = SqliteExperienceStore(self.file, self._documents, clock)
        self.runs = SqliteRunEventStore(self.file, self._documents)
        self.artifacts = SqliteArtifactStore(self.file, self._documents)
        self.journal = SqliteJournalStore(self.file, self._documents)

    @property
    def path(self) -> Path:
        return self.file.path

    def for_tenant(self, tenant_id: str) -> SqliteExperienceStore:
        """An ExperienceStore that reads and writes only `tenant_id`'s envelopes."""
        check_id("tenant_id", tenant_id)
        return SqliteExperienceStore(self.file, self._documents, self._clock, tenant=tenant_id)

    def verify(self) -> VerifyReport:
        """Re-hash every stored document and re-link every hash chain; the report names the
        first broken row of each table."""
        return VerifyReport(self.file.verify(DERIVED))

    def counts(self) -> dict[str, int]:
        """Row count of each ledger table."""
        return {ledger.table: self.file.read(f"SELECT count(*) FROM {ledger.table}")[0][0] for ledger in LEDGERS}

    def stats(self) -> dict[str, Any]:
        """Row counts per ledger, distinct runs and tenants, the file size and format version."""

        def one(sql: str) -> Any:
            return self.file.read(sql)[0][0]

        return {
            "path": str(self.path),
            "format_version": file_version(self.file.db),
            "rows": self.counts(),
            "tenants": one(f"SELECT count(DISTINCT tenant_id) FROM {EXPERIENCE.table}"),
            "runs": one(f"SELECT count(DISTINCT run_id) FROM {RUN_EVENTS.table}"),
            "journal_runs": one(f"SELECT count(DISTINCT run_id) FROM {JOURNAL.table}"),
            "artifact_bytes": one(f"SELECT coalesce(sum(size), 0) FROM {ARTIFACTS.table}"),
            "kinds": dict(self.file.read(f"SELECT kind, count(*) FROM {EXPERIENCE.table} GROUP BY kind ORDER BY kind")),
            "file_bytes": self.path.stat().st_size,
        }

    def export(self) -> Iterator[bytes]:
        """Every stored document, byte for byte as stored: experience envelopes, then run events,
        then journal records, each in append order (artifacts are bytes, not documents)."""
        yield from self.experience.documents()
        yield from self.runs.documents()
        yield from self.journal.documents()

    def close(self) -> None:
        """Close the file."""
        self.file.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
