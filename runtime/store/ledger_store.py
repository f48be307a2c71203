"""`LedgerStore`: all four ledger contracts over one backend, the part `SqliteStore` and
`PostgresStore` share (tenant views, verify, counts, export)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import default_codec
from ..clock import Clock, format_timestamp, utc_now
from ..codec import Codec
from ..errors import CorruptionError, InvalidInputError, LedgerspecError
from ..inputs import Recent
from ..jsontext import MAX_DOCUMENT_BYTES
from . import checkpoint, loading, stored
from .artifacts import ArtifactLedger
from .chain import Derived, Row, Seal, TableReport
from .checkpoint import Mark
from .database import Database
from .documents import Documents, Given
from .envelope_rules import check_envelope, check_id
from .experience import ExperienceLedger
from .journal import JournalLedger, check_record
from .ledgers import ARTIFACTS, DOCUMENT_LEDGERS, EXPERIENCE, JOURNAL, LEDGERS, RUN_EVENTS, Ledger, of_type
from .loading import Loaded
from .runs import RunLedger

_SCOPES = {EXPERIENCE.table: "experience", RUN_EVENTS.table: "runs", JOURNAL.table: "journal"}
"""The attribute holding each document ledger."""
DEFAULT_BATCH = 1000
"""Documents per all-or-nothing write of `load` by default."""


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


_RULES: dict[str, Callable[[dict[str, Any]], None]] = {EXPERIENCE.table: check_envelope, JOURNAL.table: check_record}
"""The rules beyond its schema a ledger's writes check (raising InvalidInputError), which verify
checks too: a row raw SQL appended is no row of the ledger unless a store could have written it."""


def _contents(codec: Codec) -> dict[str, Derived]:
    """How `verify` checks each table's documents and re-derives its indexed columns, from the
    ledger descriptions: a JSON ledger's document must be a valid document of its type, in
    canonical form, meeting the ledger's write rules (`_RULES`); an artifact's columns follow
    from its bytes, and a sealed column (an artifact's kind) must hold its JSON type in
    canonical form (what `put` stores)."""

    def derive(ledger: Ledger) -> Callable[[bytes], tuple[Any, ...]]:
        if ledger.type_name is None:
            return ledger.derive
        type_name, rules = ledger.type_name, _RULES.get(ledger.table)

        def columns(data: bytes) -> tuple[Any, ...]:
            value = stored.canonical(codec, type_name, data)
            if rules is not None:
                try:
                    rules(value)
                except InvalidInputError as exc:
                    raise stored.Malformed(f"document breaks a rule every write checks: {exc}") from None
            return ledger.derive(value)

        return columns

    def seal(ledger: Ledger) -> Seal | None:
        if ledger.sealed is None:
            return None
        column, type_name = ledger.sealed
        return Seal(column, lambda data: stored.canonical(codec, type_name, data, column))

    return {ledger.table: Derived(ledger.derived, derive(ledger), ledger.numbered, seal(ledger)) for ledger in LEDGERS}


def _noting(rows: Iterable[tuple[int, bytes]], recent: Recent, where: str) -> Iterator[bytes]:
    """The documents of stored rows, each row's name (`where` and its position) noted, so an
    error can name the row."""
    for index, (position, data) in enumerate(rows):
        recent.note(index, f"{where} {position}")
        yield data


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
        database: Database,
        *,
        strict: bool = False,
        clock: Clock = utc_now,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        codec: Codec | None = None,
    ) -> None:
        self._db = database
        self.documents = Documents(codec or default_codec(), strict, max_document_bytes)
        self._contents = _contents(self.documents.codec)
        self._clock = clock
        self.experience = ExperienceLedger(database, self.documents, clock)

    @functools.cached_property
    def runs(self) -> RunLedger:
        """mfm's run event streams (made on first use, as are `artifacts` and `journal`)."""
        return RunLedger(self._db, self.documents)

    @functools.cached_property
    def artifacts(self) -> ArtifactLedger:
        return ArtifactLedger(self._db, self.documents)

    @functools.cached_property
    def journal(self) -> JournalLedger:
        return JournalLedger(self._db, self.documents)

    def for_tenant(self, tenant_id: str) -> ExperienceLedger:
        """An ExperienceStore that reads and writes only `tenant_id`'s envelopes."""
        check_id("tenant_id", tenant_id)
        return ExperienceLedger(self._db, self.documents, self._clock, tenant=tenant_id)

    # -- loading and copying ------------------------------------------------------------------

    def load(
        self,
        documents: Iterable[Given],
        *,
        type_name: str | None = None,
        batch: int = DEFAULT_BATCH,
        exact: bool = False,
        workers: int = 0,
    ) -> Iterator[Loaded]:
        """Append documents (JSON text, JSON objects or models) to their ledgers, `batch` at a
        time, each batch all or nothing, yielding what each batch did as it is written.

        With `type_name` every document must be of that ledger type; without it each goes to the
        ledger its keys name (an `export` mixes all three). Loading is idempotent: a document
        already stored with the same bytes (an envelope's event_id, a run event's (run, seq), a
        journal record's record_id or dedupe keys) is counted as present, so an interrupted load
        can be run again. A document that cannot be stored raises its LedgerspecError with
        `index` counting documents from the first (nothing of its batch written; the batches
        before it stay written). With `exact` the documents are stored bytes (a copy's) that
        must be stored unchanged: bytes other than the canonical form are a CorruptionError.
        With `workers` (1 is enough: writing is the other half of the work) a worker process
        checks the next documents while this one writes (see `loading`); the result is the same."""
        if batch < 1:
            raise InvalidInputError(f"batch must be at least 1, got {batch}")
        fixed = None if type_name is None else of_type(type_name)
        pending: list[Row] = []
        ledger: Ledger | None = None
        start = 0
        for index, found, row in loading.checked(self, documents, fixed, exact, workers):
            if found is not None and pending and found is not ledger:
                yield self._write(ledger, pending, start)
                pending, start = [], index
            if not isinstance(row, Row):
                raise row
            ledger = found
            pending.append(row)
            if len(pending) == batch:
                yield self._write(ledger, pending, start)
                pending, start = [], index + 1
        if pending:
            yield self._write(ledger, pending, start)

    def scope(self, ledger: Ledger) -> ExperienceLedger | RunLedger | JournalLedger:
        """The object holding `ledger`'s documents (its `check` and `load`)."""
        scope: ExperienceLedger | RunLedger | JournalLedger = getattr(self, _SCOPES[ledger.table])
        return scope

    def _write(self, ledger: Ledger | None, rows: list[Row], start: int) -> Loaded:
        """Write one checked batch in one transaction; errors are located from `start`."""
        assert ledger is not None
        try:
            added = self.scope(ledger).load(rows)
        except LedgerspecError as exc:
            index = None if exc.index is None else start + exc.index
            raise exc.located(f"document {index}" if index is not None else "", index) from None
        return Loaded(added, len(rows) - added)

    def copy_to(self, target: LedgerStore, *, batch: int = DEFAULT_BATCH, workers: int = 0) -> Iterator[Loaded]:
        """Copy every stored document and artifact into `target`, yielding what each batch did.
        The stored bytes move as they are: the target checks each document (contract and rules)
        and must store exactly those bytes, so the copy's chains equal the original's (`compare`
        proves it); a stored document that is not in canonical form is a CorruptionError naming
        its row. Copying into an earlier copy adds only what is new; `workers` as for `load`."""
        for ledger in DOCUMENT_LEDGERS:
            rows = Recent(loading.in_reach(batch))
            documents = _noting(self._db.documents(ledger), rows, f"{self.location} {ledger.table} row")
            try:
                yield from target.load(documents, type_name=ledger.type_name, batch=batch, exact=True, workers=workers)
            except LedgerspecError as exc:
                where = rows.name(exc.index)
                if where is None:
                    raise
                raise exc.located(where, exc.index) from None
        for kind, content in self.artifacts.stored():
            target.artifacts.put(kind, content)

    def compare(self, other: LedgerStore) -> list[tuple[TableReport, TableReport]]:
        """Both stores' verify reports, table by table: equal heads and row counts mean the same
        documents (bytes) in the same order."""
        return list(zip(self.verify().tables, other.verify().tables, strict=True))

    def verify(
        self,
        *,
        max_problems: int | None = None,
        checkpoints: Sequence[Mark] = (),
        progress: Callable[[int], object] | None = None,
    ) -> VerifyReport:
        """Check every row of every table (see `chain.walk`: positions 1..n, documents valid and
        matching their hashes, chains linked, indexed columns derived from the documents), the
        append-only triggers, and that the ledger still extends every checkpoint mark. Lists at
        most `max_problems` broken rows per table (all by default) and counts every one;
        `progress` is told how many rows were walked, every thousand."""
        marks: dict[str, set[int]] = {}
        for mark in checkpoints:
            marks.setdefault(mark.table, set()).add(mark.position)
        tables = self._db.verify(self._contents, limit=max_problems, marks=marks, progress=progress)
        return VerifyReport(tables, self._db.definition_problems(), checkpoint.problems(tables, checkpoints))

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
        for ledger in DOCUMENT_LEDGERS:
            for position, data in self._db.documents(ledger):
                yield ledger.table, position, data

    def counts(self) -> dict[str, int]:
        """Row count of each ledger table."""
        return {ledger.table: self._db.count(f"SELECT count(*) FROM {ledger.table}") for ledger in LEDGERS}

    def stats(self) -> dict[str, Any]:
        """Where the ledger is, row counts per ledger, distinct tenants and runs, artifact bytes
        and envelopes per kind (backends add their format version and size)."""
        one = self._db.count
        kinds = self._db.read(f"SELECT kind, count(*) FROM {EXPERIENCE.table} GROUP BY kind ORDER BY kind")
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
            return str(self._db.text(kind))
        except UnicodeDecodeError:
            problem = f"a kind column holds {bytes(kind)!r}, which is not UTF-8"
            raise CorruptionError(f"{EXPERIENCE.table}: {problem}; {stored.REMEDY}") from None

    def export(self) -> Iterator[bytes]:
        """Every stored document, byte for byte as stored: experience envelopes, then run events,
        then journal records, each in append order (artifacts are bytes, not documents)."""
        return (data for _, _, data in self.stored_documents())

    def close(self) -> None:
        """Close the database connection(s)."""
        self._db.close()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
