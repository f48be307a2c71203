"""`LedgerStore`: all four ledger contracts over one backend, the part `SqliteStore` and
`PostgresStore` share (tenant views, verify, counts, export)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import default_codec
from ..clock import Clock, format_timestamp, utc_now
from ..codec import Codec
from ..errors import CorruptionError
from ..jsontext import MAX_DOCUMENT_BYTES
from . import artifacts, checkpoint, envelope_rules, journal, runs, stored
from .artifacts import ArtifactLedger
from .backend import Backend
from .chain import Derived, TableReport
from .checkpoint import Mark
from .documents import Documents
from .envelope_rules import check_id
from .experience import ENVELOPE, ExperienceLedger
from .journal import JournalLedger
from .runs import RunLedger
from .tables import ARTIFACTS, EXPERIENCE, JOURNAL, LEDGERS, RUN_EVENTS


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `verify`: one report per ledger table, how the database's append-only
    triggers and functions differ from this version's (`definitions`), and each checkpoint
    the ledger no longer extends (`checkpoints`)."""

    tables: list[TableReport]
    definitions: list[str] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every table verified, the triggers are intact and every checkpoint holds."""
        return all(table.found == 0 for table in self.tables) and not self.definitions and not self.checkpoints


def _contents(codec: Codec) -> dict[str, Derived]:
    """How `verify` checks each table's documents and re-derives its indexed columns (a JSON
    ledger's document must be a valid document of its type, in canonical form), and which
    numbers must run without gaps in each run."""

    def columns_of(type_name: str, columns: Callable[[Any], tuple[Any, ...]]) -> Callable[[bytes], tuple[Any, ...]]:
        return lambda data: columns(stored.canonical(codec, type_name, data))

    return {
        EXPERIENCE.table: Derived(envelope_rules.COLUMNS, columns_of(ENVELOPE, envelope_rules.envelope_columns)),
        RUN_EVENTS.table: Derived(runs.COLUMNS, columns_of(runs.EVENT, runs.event_columns), ("run_id", "seq")),
        ARTIFACTS.table: Derived(artifacts.CHECKED_COLUMNS, artifacts.artifact_columns),
        JOURNAL.table: Derived(
            journal.COLUMNS, columns_of(journal.RECORD, journal.record_columns), ("run_id", "journal_seq")
        ),
    }


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
        self._contents = _contents(self._documents.codec)
        self._clock = clock
        self.experience = ExperienceLedger(backend, self._documents, clock)
        self.runs = RunLedger(backend, self._documents)
        self.artifacts = ArtifactLedger(backend, self._documents)
        self.journal = JournalLedger(backend, self._documents)

    def for_tenant(self, tenant_id: str) -> ExperienceLedger:
        """An ExperienceStore that reads and writes only `tenant_id`'s envelopes."""
        check_id("tenant_id", tenant_id)
        return ExperienceLedger(self._backend, self._documents, self._clock, tenant=tenant_id)

    def verify(self, *, max_problems: int | None = None, checkpoints: Sequence[Mark] = ()) -> VerifyReport:
        """Check every row of every table (see `chain.walk`: positions 1..n, documents valid and
        matching their hashes, chains linked, indexed columns derived from the documents), the
        append-only triggers, and that the ledger still extends every checkpoint mark. Lists at
        most `max_problems` broken rows per table (all by default) and counts every one."""
        marks: dict[str, set[int]] = {}
        for mark in checkpoints:
            marks.setdefault(mark.table, set()).add(mark.position)
        tables = self._backend.verify(self._contents, limit=max_problems, marks=marks)
        return VerifyReport(tables, self._backend.definition_problems(), checkpoint.problems(tables, checkpoints))

    def checkpoint(self, key: bytes | None = None) -> dict[str, Any]:
        """A checkpoint of the ledger as it is now (see `checkpoint`), signed with `key` when
        given; CorruptionError when the ledger does not verify (a checkpoint must record a
        ledger worth holding others to)."""
        report = self.verify(max_problems=1)
        if not report.ok:
            first = next(iter([*(str(t.broken) for t in report.tables if t.broken), *report.definitions]), "")
            raise CorruptionError(f"{self.location} does not verify, so no checkpoint was taken: {first}")
        return checkpoint.record(report.tables, self.location, format_timestamp(self._clock()), key)

    def stored_documents(self) -> Iterator[tuple[str, int, bytes]]:
        """Every stored document with its table and position, in `export` order."""
        for ledger, scope in ((EXPERIENCE, self.experience), (RUN_EVENTS, self.runs), (JOURNAL, self.journal)):
            for position, data in scope.stored_documents():
                yield ledger.table, position, data

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
            "kinds": {self._kind_name(kind): count for kind, count in kinds},
        }

    def _kind_name(self, kind: Any) -> str:
        """An experience kind column's value as text; CorruptionError when a raw INSERT stored
        one that is not UTF-8 (PostgreSQL's bytea takes any bytes)."""
        try:
            return str(self._backend.text(kind))
        except UnicodeDecodeError:
            problem = f"a kind column holds {bytes(kind)!r}, which is not UTF-8"
            raise CorruptionError(f"{EXPERIENCE.table}: {problem}; {stored.REMEDY}") from None

    def export(self) -> Iterator[bytes]:
        """Every stored document, byte for byte as stored: experience envelopes, then run events,
        then journal records, each in append order (artifacts are bytes, not documents)."""
        return (data for _, _, data in self.stored_documents())

    def close(self) -> None:
        """Close the database connection(s)."""
        self._backend.close()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
