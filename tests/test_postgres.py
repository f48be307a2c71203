"""PostgresStore, the PostgreSQL backend: it passes the conformance suite (in process and through
the stdio harness), and the rules docs/stores.md states for every store hold inside the database
too, whatever SQL a client runs: the ledger tables are append-only, row-level security confines a
tenant role to its tenant's experience rows, and `verify` names every kind of tampering a superuser
can do with the triggers switched off, rows cut from a table's end included (`ledger_heads`).

Expected values come from docs/stores.md, from a hand computation (hashlib and an independent
RFC 8785 implementation) or from SqliteStore given the same calls, never from the store under
test. A rejected write must leave the schema's rows as they were (`pg_ledger_checksum`, read through a
separate psycopg connection).

Every test needs a server ($LEDGERSPEC_PG_URL, see conftest): outside CI they skip without one."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shlex
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import rfc8785
from store_helpers import (
    JOURNAL_RUN,
    LEDGER_TABLES,
    LIFECYCLE,
    OTHER_RUN_ID,
    RUN_ID,
    collect_reports,
    envelope,
    flipped,
    journal_record,
    mfm_event,
    pg_chain_problems,
    pg_connect,
    pg_ledger_checksum,
    pg_race_worker,
    pg_schema_rows,
    row_key,
    seed,
    trace_envelope,
)

from ledgerspec.conformance.harness import HarnessTarget
from ledgerspec.conformance.runner import InProcessTarget, run_suite
from ledgerspec.conformance.scenarios import load_scenarios, scenario_schema
from ledgerspec.conformance.targets import postgres_factory
from ledgerspec.errors import LedgerspecError, StorageError
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import sql

    from ledgerspec.store.postgres import PostgresStore
except ImportError:  # conftest's pg_url fixture skips every test (and fails them in CI)
    psycopg = pg_errors = sql = PostgresStore = None  # type: ignore[assignment]

pytestmark = pytest.mark.usefixtures("pg_url")

SPAWN = multiprocessing.get_context("spawn")
SCENARIOS = load_scenarios()
U64 = 2**64 - 1
HASH_MISMATCH = "document does not match its stored hash"
CHAIN_BROKEN = "hash chain broken"
Q = converge.EventQuery


# -- helpers ------------------------------------------------------------------------------------


def ids(envelopes: list[converge.ExperienceEventEnvelope]) -> list[str]:
    return [e.event_id for e in envelopes]


def user_url(url: str, user: str | None, password: str | None = None, query: str | None = None) -> str:
    """`url` connecting as `user` (with `password` in the authority part), `query` replacing its query."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    login = (user or "") if password is None else f"{user or ''}:{password}"
    return urlunsplit(
        parts._replace(netloc=f"{login}@{host}" if login else host, query=parts.query if query is None else query)
    )


def assert_rejected(url: str, schema: str, code: str, call: Callable[[], Any]) -> LedgerspecError:
    """`call` raises a LedgerspecError with `code` and the schema's rows stay as they were."""
    before = pg_ledger_checksum(url, schema)
    with pytest.raises(LedgerspecError) as caught:
        call()
    assert caught.value.code == code, f"{caught.value.code}: {caught.value}"
    assert pg_ledger_checksum(url, schema) == before, "a rejected write changed the schema"
    return caught.value


def tamper(url: str, schema: str, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement as the superuser with the append-only triggers disabled
    (`session_replication_role = replica`). Strings are sent as the UTF-8 the bytea columns hold."""
    values = tuple(v.encode() if isinstance(v, str) else v for v in params)
    with pg_connect(url, schema, replica=True) as conn:
        conn.execute(statement, values)


def refused(url: str, schema: str, statement: str, params: tuple[Any, ...] = ()) -> psycopg.Error:
    """Run one statement as the superuser, triggers enabled; it must fail inside the database."""
    with pg_connect(url, schema) as conn, pytest.raises(psycopg.Error) as caught:
        conn.execute(statement, params)
    return caught.value


def schema_exists(url: str, name: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name]).fetchone() is not None


def drop_schema(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def seeded(pg_store: PostgresStore) -> tuple[PostgresStore, list[str]]:
    """A scratch store whose four ledgers hold five rows each, and its artifact ids."""
    return pg_store, seed(pg_store)


@pytest.fixture
def fresh_schema(pg_url: str) -> Iterator[str]:
    """The name of a schema that does not exist yet; dropped after the test if something made it."""
    name = f"ledgerspec_test_{uuid.uuid4().hex[:16]}"
    yield name
    drop_schema(pg_url, name)


# == 1. conformance ===============================================================================


def failing(report: Any) -> list[str]:
    return [f"{r.id}: {r.status}: {r.reason}" for r in report.results if r.status != "passed"]


def assert_everything_passed(report: Any) -> None:
    assert failing(report) == []
    tally = report.tally()
    assert tally["passed"] == len(SCENARIOS) >= 191 and tally["skipped"] == 0
    assert report.ok


def test_the_store_declares_every_capability_the_suite_checks() -> None:
    """PostgresStore claims every capability, so no scenario can be skipped for it."""
    assert set(scenario_schema()["$defs"]["capability"]["enum"]) <= PostgresStore.capabilities


@pytest.fixture(scope="module")
def harness_run(pg_url: str) -> Iterator[Future[Any]]:
    """The suite run through the stdio harness (`python -m ledgerspec.conformance.serve <url>`),
    every answer validated against the protocol schema. It starts in a background thread when a
    test first asks for it, so it overlaps the in-process run (both mostly wait for the server)."""

    def run() -> Any:
        command = f"{shlex.quote(sys.executable)} -m ledgerspec.conformance.serve {shlex.quote(pg_url)}"
        target = HarnessTarget(command, validate=True)
        try:
            return run_suite(target, SCENARIOS)
        finally:
            target.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(run)


def test_conformance_suite_passes_in_process(pg_url: str, harness_run: Future[Any]) -> None:
    """Every scenario passes against fresh PostgresStores (postgres_factory), none skipped, and
    each scenario's throwaway schema is dropped again. (`harness_run` starts the harness's run
    beside this one.)"""
    fresh, schemas = postgres_factory(pg_url), []

    def factory() -> Any:
        store = fresh()
        schemas.append(store.schema)
        return store

    report = run_suite(InProcessTarget(factory, "postgres"), SCENARIOS)
    assert_everything_passed(report)
    assert len(schemas) >= len(SCENARIOS)
    assert [name for name in schemas if schema_exists(pg_url, name)] == [], "a scenario's schema survived its store"


def test_conformance_suite_passes_through_the_harness(pg_url: str, harness_run: Future[Any]) -> None:
    """The same suite through the stdio harness: every scenario passes, none skipped."""
    report = harness_run.result(timeout=600)
    assert_everything_passed(report)
    assert report.store["kind"] == "harness" and "PostgresStore" in report.store["name"]


# == 2. row-level security: a tenant role reaches only its tenant's experience rows ==============

ROLE_PASSWORD = "ledgerspec-test"
"""The tenant roles' password (ignored by trust authentication, used by any other)."""


@pytest.fixture
def tenants(pg_url: str, pg_store: PostgresStore) -> Iterator[dict[str, str]]:
    """Two new LOGIN roles granted tenants `a` and `b` of the scratch store's schema, and that
    schema's experience rows: tenant a's, tenant b's (an envelope, a trace, an artifact
    transition), and one without a tenant. Maps each tenant to a URL connecting as its role; the
    roles are dropped after the test."""
    token = uuid.uuid4().hex[:12]
    roles = {tenant: f"ledgerspec_test_{token}_{tenant}" for tenant in ("a", "b")}
    with psycopg.connect(pg_url, autocommit=True) as admin:
        for role in roles.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), ROLE_PASSWORD))
    try:
        for tenant, role in roles.items():
            pg_store.grant_tenant(role, tenant)
        pg_store.experience.append_events(
            [
                envelope("a-1", tenant_id="a"),
                envelope("b-1", tenant_id="b"),
                envelope("none-1", tenant_id=None),
                envelope("a-2", tenant_id="a", chain_id="chain-b"),
                trace_envelope("b-trace", "trace-b", "model-b") | {"tenant_id": "b"},
            ]
        )
        pg_store.for_tenant("b").write_artifact_state_transition(
            "artifact-b", converge.ArtifactKindUnit.Adapter, LIFECYCLE
        )
        yield {tenant: user_url(pg_url, role, ROLE_PASSWORD) for tenant, role in roles.items()}
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            for role in roles.values():
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


TENANT_ROWS = {"a": [b"a-1", b"a-2"], "b": [b"b-1", b"b-trace", b"artifact-transition:6"]}
"""The event ids of each tenant's rows in `tenants`, in append order (the transition is row 6)."""


def experience_insert(
    seq: int, event_id: str, tenant: str | None, after: bytes | None = None
) -> tuple[str, tuple[Any, ...]]:
    """A raw INSERT of a complete experience row whose document is made up: chained after the
    chain value `after` (as the store would chain it at `seq`), else with a chain of zero bytes."""
    document = b'{"event_id":"' + event_id.encode() + b'"}'
    digest = hashlib.sha256(document).digest()
    chain = bytes(32) if after is None else hashlib.sha256(after + digest).digest()
    statement = (
        "INSERT INTO experience_events (seq, event_id, kind, tenant_id, occurred_at, document, hash, chain) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    return statement, (
        seq,
        event_id.encode(),
        b"BudgetExceeded",
        tenant and tenant.encode(),
        b"2026",
        document,
        digest,
        chain,
    )


def experience_head(url: str, schema: str) -> tuple[int, bytes]:
    """The experience table's `ledger_heads` row (read as the superuser)."""
    ((position, chain),) = pg_schema_rows(
        url, schema, "SELECT position, chain FROM ledger_heads WHERE ledger = %s", ("experience_events",)
    )
    return position, bytes(chain)


def test_tenant_role_raw_sql_sees_and_writes_only_its_tenant(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]
) -> None:
    """Connected as tenant a's role with plain psycopg: SELECT returns only tenant a's rows (not
    b's, not the tenant-less one, even when asked for b's); inserting a row of tenant b or of no
    tenant, correctly chained at the next position, is refused by the policy; UPDATE, DELETE and
    TRUNCATE are refused; the other ledgers and `ledger_heads` are not readable at all. Nothing
    changes."""
    schema = pg_store.schema
    before = pg_ledger_checksum(pg_url, schema)
    position, chain = experience_head(pg_url, schema)
    for tenant, url in tenants.items():
        with pg_connect(url, schema) as conn:
            seen = [
                bytes(event_id) for (event_id,) in conn.execute("SELECT event_id FROM experience_events ORDER BY seq")
            ]
            assert seen == TENANT_ROWS[tenant]
            other = b"b" if tenant == "a" else b"a"
            asked = conn.execute(
                "SELECT count(*) FROM experience_events WHERE tenant_id = %s OR tenant_id IS NULL", [other]
            )
            assert asked.fetchone() == (0,)
    with pg_connect(tenants["a"], schema) as conn:
        for tenant in ("b", None):
            statement, values = experience_insert(position + 1, f"forged-{tenant}", tenant, after=chain)
            with pytest.raises(pg_errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(statement, values)
        for statement in (
            "UPDATE experience_events SET occurred_at = occurred_at",
            "DELETE FROM experience_events",
            "TRUNCATE experience_events",
            "SELECT count(*) FROM run_events",
            "SELECT count(*) FROM journal_records",
            "SELECT count(*) FROM artifacts",
            "SELECT position FROM ledger_heads",
            "INSERT INTO run_events (id) VALUES (100)",
        ):
            with pytest.raises(pg_errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(statement)
    assert pg_ledger_checksum(pg_url, schema) == before


def test_tenant_store_reads_only_its_tenant(pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]) -> None:
    """PostgresStore(url of tenant a's role, tenant="a") reads a's envelopes; even a view asking the
    database for tenant b's rows (`for_tenant("b")`) gets none of them, while the owner sees them.
    Its other ledgers are refused with a storage error; opening it for a tenant its role is not
    granted fails with a clear StorageError."""
    schema = pg_store.schema
    everything = Q(kinds=[])
    with PostgresStore(tenants["a"], schema=schema, tenant="a") as store:
        assert store.experience.tenant == "a"
        assert ids(store.experience.query_events(everything)) == ["a-1", "a-2"]
        assert ids(store.experience.query_events(Q(kinds=[], tenant_id="b"))) == []
        assert ids(store.experience.query_events(Q(kinds=[], chain_id="chain-b"))) == ["a-2"]
        database_asked_for_b = store.for_tenant("b")  # its SQL asks for tenant b; the policy answers
        assert ids(database_asked_for_b.query_events(everything)) == []
        assert ids(database_asked_for_b.query_events(Q(kinds=[], tenant_id="b"))) == []
        assert database_asked_for_b.get_trace_link("trace-b") is None
        assert database_asked_for_b.query_artifacts(converge.ArtifactQuery(tenant_id="b")) == []
        assert list(database_asked_for_b.documents()) == []
        for call in (
            lambda: store.runs.head_seq(RUN_ID),
            lambda: store.artifacts.exists("0" * 64),
            lambda: store.journal.read(JOURNAL_RUN),
        ):
            with pytest.raises(StorageError, match="permission denied"):
                call()
    owner_view = pg_store.for_tenant("b")  # the rows exist: the owner is not subject to the policy
    assert ids(owner_view.query_events(everything)) == ["b-1", "b-trace", "artifact-transition:6"]
    assert owner_view.get_trace_link("trace-b") is not None
    for url, tenant in ((tenants["a"], "b"), (tenants["b"], "a")):
        with pytest.raises(StorageError, match=f"not granted tenant '{tenant}'") as caught:
            PostgresStore(url, schema=schema, tenant=tenant)
        assert caught.value.code == "storage"


def test_tenant_store_appends_its_tenant(pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]) -> None:
    """A tenant store appends its tenant's envelopes and artifact transitions (the owner then sees
    them, chained after the other tenants' rows, and verify passes), and the database refuses its
    appends of another tenant's envelopes (storage error), writing nothing."""
    schema = pg_store.schema
    with PostgresStore(tenants["a"], schema=schema, tenant="a") as store:
        assert store.experience.append_events([envelope("a-3", tenant_id="a"), envelope("a-4", tenant_id="a")]) == 2
        store.experience.write_artifact_state_transition("artifact-a", converge.ArtifactKindUnit.Adapter, LIFECYCLE)
        assert ids(store.experience.query_events(Q(kinds=[]))) == ["a-1", "a-2", "a-3", "a-4", "artifact-transition:9"]
        database_asked_for_b = store.for_tenant("b")
        assert_rejected(
            pg_url, schema, "storage", lambda: database_asked_for_b.append_event(envelope("b-2", tenant_id="b"))
        )
    assert ids(pg_store.for_tenant("a").query_events(Q(kinds=[]))) == [
        "a-1",
        "a-2",
        "a-3",
        "a-4",
        "artifact-transition:9",
    ]
    assert pg_store.verify().ok
    assert pg_chain_problems(pg_url, schema) == []


def test_a_tenant_batch_spanning_several_inserts_lands_in_order(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tenant store (which cannot COPY) sends a batch as INSERT statements of at most
    `INSERT_ROWS` rows, each checked against the head its predecessor moved: seven envelopes in
    statements of three land gap-free, in order, and verify passes."""
    monkeypatch.setattr("ledgerspec.store.postgres.database.INSERT_ROWS", 3)
    batch = [envelope(f"a-batch-{i}", tenant_id="a") for i in range(7)]
    with PostgresStore(tenants["a"], schema=pg_store.schema, tenant="a") as store:
        assert store.experience.append_events(batch) == 7
        assert ids(store.experience.query_events(Q(kinds=[])))[-7:] == [e["event_id"] for e in batch]
    assert experience_head(pg_url, pg_store.schema)[0] == 6 + 7
    assert pg_store.verify().ok
    assert pg_chain_problems(pg_url, pg_store.schema) == []


def test_a_forged_tenant_row_is_named_by_verify(pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]) -> None:
    """docs/stores.md: a tenant role can append a row with a wrong hash through raw SQL, and
    verify names it (its table, position and event id). (Should the database come to refuse such
    rows, so much the better: it must never hold one unnoticed.)"""
    statement, values = experience_insert(1000, "forged-a", "a")
    try:
        with pg_connect(tenants["a"], pg_store.schema) as conn:
            conn.execute(statement, values[:-2] + (hashlib.sha256(b"other").digest(), bytes(32)))
    except psycopg.Error:
        assert pg_store.verify().ok
        return
    found = breaks(pg_store)["experience_events"]
    assert found is not None
    assert (found.position, found.key) == (1000, {"event_id": "forged-a"})
    assert HASH_MISMATCH in found.reason


def test_a_forged_tenant_row_does_not_stop_other_writers(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]
) -> None:
    """A row a tenant role inserts by hand at the next position is refused, or at least leaves the
    other writers appending (gap-free, after the rows the heads record) with verify naming only it."""
    statement, values = experience_insert(pg_store.counts()["experience_events"] + 1, "forged-a", "a")
    try:
        with pg_connect(tenants["a"], pg_store.schema) as conn:
            conn.execute(statement, values)
        forged = True
    except psycopg.Error:
        forged = False
    pg_store.experience.append_event(envelope("after", tenant_id="c"))
    assert ids(pg_store.for_tenant("c").query_events(Q(kinds=[]))) == ["after"]
    broken = [t.broken.key for t in pg_store.verify().tables if t.broken is not None]
    assert broken == ([{"event_id": "forged-a"}] if forged else [])


@pytest.mark.parametrize(
    "statement",
    ["UPDATE ledger_heads SET chain = %s", "UPDATE ledger_heads SET position = position + 1000"],
    ids=["rewrite-chain", "skip-ahead"],
)
def test_a_tenant_role_cannot_move_the_shared_head(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], statement: str
) -> None:
    """The experience head every tenant's rows chain to is not the tenant role's to set: a raw
    UPDATE of it is refused and the schema stays as it was."""
    before = pg_ledger_checksum(pg_url, pg_store.schema)
    with pg_connect(tenants["a"], pg_store.schema) as conn, pytest.raises(psycopg.Error):
        conn.execute(statement, (bytes(32),) if "%s" in statement else ())
    assert pg_ledger_checksum(pg_url, pg_store.schema) == before


# == 3. append-only inside the database ==========================================================

CHANGES = [
    "UPDATE {table} SET document = document WHERE {order} = 2",
    "UPDATE {table} SET {order} = {order} + 100 WHERE {order} = 5",
    "DELETE FROM {table} WHERE {order} = 2",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "TRUNCATE {table} CASCADE",
]


def test_ledger_tables_refuse_update_delete_truncate(pg_url: str, seeded: tuple[PostgresStore, list[str]]) -> None:
    """Raw UPDATE, DELETE and TRUNCATE of every ledger table fail inside PostgreSQL, even for the
    superuser, with the append-only error; every row stays as it was."""
    store, _ = seeded
    before = pg_ledger_checksum(pg_url, store.schema)
    for table, order in LEDGER_TABLES.items():
        for statement in CHANGES:
            error = refused(pg_url, store.schema, statement.format(table=table, order=order))
            assert f"ledgerspec: {table} is append-only" in str(error), statement.format(table=table, order=order)
    assert pg_ledger_checksum(pg_url, store.schema) == before
    assert store.verify().ok


HEAD_CHANGES = [
    "UPDATE ledger_heads SET position = position - 1 WHERE ledger = '{table}'",
    "UPDATE ledger_heads SET position = 0, chain = '\\x{genesis}' WHERE ledger = '{table}'",
    "UPDATE ledger_heads SET ledger = 'elsewhere' WHERE ledger = '{table}'",
    "DELETE FROM ledger_heads WHERE ledger = '{table}'",
    "TRUNCATE ledger_heads",
]


def test_ledger_heads_never_move_backwards_or_vanish(pg_url: str, seeded: tuple[PostgresStore, list[str]]) -> None:
    """No table's `ledger_heads` row can be moved back (to an earlier position, or to the empty
    table's genesis), renamed, deleted or truncated; the schema stays as it was and appends go on."""
    store, _ = seeded
    before = pg_ledger_checksum(pg_url, store.schema)
    for table in LEDGER_TABLES:
        for statement in HEAD_CHANGES:
            error = refused(pg_url, store.schema, statement.format(table=table, genesis="00" * 32))
            assert "ledgerspec: ledger_heads" in str(error), statement.format(table=table, genesis="00" * 32)
    assert pg_ledger_checksum(pg_url, store.schema) == before
    store.runs.append(RUN_ID, 5, [mfm_event(RUN_ID, 6)])
    assert store.verify().ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_heads SET chain = '\\x{zeros}' WHERE ledger = 'run_events'",
        "UPDATE ledger_heads SET position = position + 1000 WHERE ledger = 'run_events'",
    ],
    ids=["rewrite-chain", "skip-ahead"],
)
def test_ledger_heads_only_point_at_a_stored_row(
    pg_url: str, seeded: tuple[PostgresStore, list[str]], statement: str
) -> None:
    """A head that names no stored row (another chain value at the same position, a position past
    the table's end) is refused inside the database: it would make verify fail for good, or leave
    a gap of positions, without any row being written."""
    store, _ = seeded
    before = pg_ledger_checksum(pg_url, store.schema)
    refused(pg_url, store.schema, statement.format(zeros="00" * 32))
    assert pg_ledger_checksum(pg_url, store.schema) == before


# == 4. verify names every tampering a superuser can do with the triggers disabled ===============


def breaks(store: PostgresStore) -> dict[str, Any]:
    """The break verify reports for each table (None where it verifies)."""
    report = store.verify()
    found = {t.table: t.broken for t in report.tables}
    assert report.ok is all(b is None for b in found.values())
    return found


ROW_TAMPERING = ["document", "hash", "document-and-hash", "chain", "delete-middle"]


@pytest.mark.parametrize("change", ROW_TAMPERING)
def test_verify_names_a_changed_or_deleted_row(
    pg_url: str, seeded: tuple[PostgresStore, list[str]], change: str
) -> None:
    """Row 3 of every table changed (one document bit, its hash, both consistently, its chain
    value) or deleted: verify names each table, the first broken row, its key and why."""
    store, artifacts = seeded
    expected = {}
    for table, order in LEDGER_TABLES.items():
        ((document,),) = pg_schema_rows(pg_url, store.schema, f"SELECT document FROM {table} WHERE {order} = 3")
        where = f"WHERE {order} = 3"
        if change == "document":
            tamper(pg_url, store.schema, f"UPDATE {table} SET document = %s {where}", (flipped(document),))
            expected[table] = (3, HASH_MISMATCH)
        elif change == "hash":
            tamper(pg_url, store.schema, f"UPDATE {table} SET hash = %s {where}", (hashlib.sha256(b"x").digest(),))
            expected[table] = (3, HASH_MISMATCH)
        elif change == "document-and-hash":
            changed = flipped(document)
            tamper(
                pg_url,
                store.schema,
                f"UPDATE {table} SET document = %s, hash = %s {where}",
                (changed, hashlib.sha256(changed).digest()),
            )
            expected[table] = (3, CHAIN_BROKEN)
        elif change == "chain":
            tamper(pg_url, store.schema, f"UPDATE {table} SET chain = %s {where}", (bytes(32),))
            expected[table] = (3, CHAIN_BROKEN)
        else:
            tamper(pg_url, store.schema, f"DELETE FROM {table} {where}")
            expected[table] = (4, CHAIN_BROKEN)
    for table, found in breaks(store).items():
        position, reason = expected[table]
        assert found is not None, table
        assert (found.table, found.position, found.key) == (table, position, row_key(table, position, artifacts))
        assert reason in found.reason
    if change in ("document", "document-and-hash"):  # get re-hashes the bytes, whatever the row says
        with pytest.raises(LedgerspecError) as caught:
            store.artifacts.get(artifacts[2])
        assert caught.value.code == "corruption"


COLUMN_TAMPERING = [
    {
        "experience_events": ("tenant_id", "tenant-b"),
        "run_events": ("run_id", OTHER_RUN_ID),
        "artifacts": ("artifact_id", "0" * 64),
        "journal_records": ("run_id", "run.journal.2"),
    },
    {
        "experience_events": ("event_id", "evt-forged"),
        "run_events": ("seq", 99),
        "artifacts": ("size", 1),
        "journal_records": ("journal_seq", 99),
    },
    {
        "experience_events": ("chain_id", "chain\x002"),
        "run_events": ("kind", "Kernel.RunCompleted"),
        "journal_records": ("record_id", "journal.record.forged"),
    },
    {"experience_events": ("kind", "OutcomeRecorded"), "run_events": ("ts_millis", 1000)},
    {"experience_events": ("occurred_at", "2030-01-01T00:00:00Z")},
]


@pytest.mark.parametrize("columns", COLUMN_TAMPERING, ids=lambda c: "+".join(f"{t}.{n}" for t, (n, _) in c.items()))
def test_verify_names_a_changed_indexed_column(
    pg_url: str, seeded: tuple[PostgresStore, list[str]], columns: dict[str, tuple[str, Any]]
) -> None:
    """An indexed column of row 3 no longer matching its document (moved to another tenant or
    run, renumbered, ...): verify reports that row and names the column; untouched tables verify."""
    store, _ = seeded
    for table, (column, value) in columns.items():
        tamper(pg_url, store.schema, f"UPDATE {table} SET {column} = %s WHERE {LEDGER_TABLES[table]} = 3", (value,))
    for table, found in breaks(store).items():
        if table not in columns:
            assert found is None, table
            continue
        assert found is not None and found.position == 3, table
        assert f"indexed column(s) {columns[table][0]} no longer match" in found.reason


@pytest.mark.parametrize("keep", [3, 0], ids=["last-two-rows", "every-row"])
def test_verify_names_rows_cut_from_the_end(pg_url: str, seeded: tuple[PostgresStore, list[str]], keep: int) -> None:
    """Rows deleted from the end of a table leave an intact but shorter chain; verify still names
    each table, because its end no longer matches the position and chain `ledger_heads` records."""
    store, _ = seeded
    for table, order in LEDGER_TABLES.items():
        tamper(pg_url, store.schema, f"DELETE FROM {table} WHERE {order} > %s", (keep,))
    for table, found in breaks(store).items():
        assert found is not None, table
        assert (found.table, found.position) == (table, 5)
        assert "ledger_heads records position 5" in found.reason and "removed from its end" in found.reason


def canonical(document: dict[str, Any]) -> bytes:
    """RFC 8785 bytes from an implementation independent of ledgerspec's."""
    return rfc8785.dumps(document)


def chain_head(documents: list[bytes], sealed: bytes = b"") -> str:
    """A table's head chain value, by hand: fold sha256(previous chain + sha256(document) +
    `sealed`, the UTF-8 of an artifact's kind) from 32 zero bytes."""
    chain = bytes(32)
    for document in documents:
        chain = hashlib.sha256(chain + hashlib.sha256(document).digest() + sealed).digest()
    return chain.hex()


def test_head_chain_values_match_a_hand_computation_and_sqlite(
    pg_url: str, pg_store: PostgresStore, tmp_path: Path
) -> None:
    """Each table's head chain value (verify's report and the `ledger_heads` row) is the one
    computed by hand from the documents, and the one SqliteStore reaches with the same appends."""
    envelopes = [envelope(f"evt-{i}", tenant_id=None if i % 3 == 0 else f"t{i % 2}") for i in range(1, 8)]
    envelopes.append(envelope("evt-u", occurred_at="2026-01-21T12:00:00Z\x00é") | {"zz_future": [1.5, "ü"]})
    events = [mfm_event(RUN_ID, seq) for seq in range(1, 5)]
    contents = [b"first", b"", bytes(range(256))]
    records = [journal_record(seq) for seq in range(1, 4)]
    expected = {
        "experience_events": chain_head([canonical(e) for e in envelopes]),
        "run_events": chain_head([canonical(e) for e in events]),
        "artifacts": chain_head(contents, b'"Output"'),
        "journal_records": chain_head([canonical(r) for r in records]),
    }
    with SqliteStore(tmp_path / "same.db") as sqlite:
        for store in (pg_store, sqlite):
            store.experience.append_events(envelopes[:4])
            store.experience.append_events(envelopes[4:])
            store.runs.append(RUN_ID, 0, events)
            for content in contents:
                store.artifacts.put("Output", content)
            store.journal.append_all(records)
        sqlite_heads = {t.table: t.head for t in sqlite.verify().tables}
    postgres_heads = {t.table: t.head for t in pg_store.verify().tables}
    recorded = {
        table: bytes(chain).hex()
        for table, chain in pg_schema_rows(pg_url, pg_store.schema, "SELECT ledger, chain FROM ledger_heads")
    }
    assert postgres_heads == expected
    assert recorded == expected
    assert sqlite_heads == expected


# == 5. migrations ===============================================================================


def test_newer_format_is_refused_and_left_alone(pg_url: str, seeded: tuple[PostgresStore, list[str]]) -> None:
    """A schema recording a format version newer than this code knows is refused, writable or
    read-only, with a storage error naming the version; nothing in it changes."""
    store, _ = seeded
    with pg_connect(pg_url, store.schema) as conn:
        (known,) = conn.execute("SELECT max(version) FROM ledgerspec_schema").fetchone()
        conn.execute("INSERT INTO ledgerspec_schema (version) VALUES (%s)", [known + 1])
    before = pg_ledger_checksum(pg_url, store.schema)
    with pytest.raises(StorageError, match=f"version {known + 1}, newer than this ledgerspec knows"):
        PostgresStore(pg_url, schema=store.schema)
    with pytest.raises(StorageError, match=f"version {known + 1}"):
        PostgresStore(pg_url, schema=store.schema, readonly=True)
    assert pg_ledger_checksum(pg_url, store.schema) == before


def test_stores_opening_a_fresh_schema_together_migrate_it_once(pg_url: str, fresh_schema: str) -> None:
    """Four stores (threads, each with its own connections) opening the same new schema at the
    same moment all succeed; the schema is created and migrated once: one row per version, one of
    each table, one head per ledger."""
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def open_store() -> None:
        try:
            barrier.wait(timeout=30)
            with PostgresStore(pg_url, schema=fresh_schema, pool_size=1) as store:
                outcomes.append(f"version {store.database.version}")
        except BaseException as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["version 3"] * 4
    versions = pg_schema_rows(pg_url, fresh_schema, "SELECT version FROM ledgerspec_schema ORDER BY version")
    assert versions == [(1,), (2,), (3,)]
    tables = pg_schema_rows(
        pg_url, fresh_schema, "SELECT tablename FROM pg_tables WHERE schemaname = %s", (fresh_schema,)
    )
    assert sorted(name for (name,) in tables) == sorted(
        [*LEDGER_TABLES, "ledger_heads", "ledgerspec_schema", "ledgerspec_tenant_roles"]
    )
    heads = pg_schema_rows(pg_url, fresh_schema, "SELECT ledger, position, chain FROM ledger_heads ORDER BY ledger")
    assert heads == [(table, 0, bytes(32)) for table in sorted(LEDGER_TABLES)]


def test_readonly_open_of_a_fresh_schema_fails_and_creates_nothing(pg_url: str, fresh_schema: str) -> None:
    """readonly=True on a schema that does not exist is a storage error saying it holds no ledger,
    and leaves no schema behind."""
    with pytest.raises(StorageError, match="holds no ledgerspec ledger") as caught:
        PostgresStore(pg_url, schema=fresh_schema, readonly=True)
    assert caught.value.code == "storage"
    assert not schema_exists(pg_url, fresh_schema)


# == 6. concurrency across processes =============================================================


RACE = {"workers": 4, "appends": 8, "size": 3, "batches": 10, "batch_size": 50}
"""The process race: each of 4 workers makes 8 optimistic appends of 3 events to one run,
interleaved with 10 batches of 50 envelopes."""


@pytest.fixture(scope="module")
def raced(pg_url: str) -> Iterator[tuple[PostgresStore, list[Any]]]:
    """A scratch store after RACE's spawned processes appended to it all at once (both tests below
    check it: starting four interpreters is the slow part), and each worker's report."""
    store = postgres_factory(pg_url)()
    workers = RACE["workers"]
    barrier, results = SPAWN.Barrier(workers), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=pg_race_worker, args=(pg_url, store.schema, worker, RACE, barrier, results))
        for worker in range(workers)
    ]
    try:
        yield store, collect_reports(processes, results)
    finally:
        store.close()


def test_optimistic_appends_from_four_processes_leave_a_gap_free_run(
    pg_url: str, raced: tuple[PostgresStore, list[Any]]
) -> None:
    """Four processes appending to one run, each looping head_seq -> append(head) -> retry on
    `concurrency`: every append lands exactly once, the run is 1..N without a gap, each append's
    events are adjacent, and the chains verify."""
    store, outcomes = raced
    assert [o[:2] for o in outcomes] == [(w, "ok") for w in range(RACE["workers"])]
    size, total = RACE["size"], RACE["workers"] * RACE["appends"] * RACE["size"]
    assert store.runs.head_seq(RUN_ID) == total
    assert [e.seq for e in store.runs.read_range(RUN_ID, 1)] == list(range(1, total + 1))
    stored = pg_schema_rows(pg_url, store.schema, "SELECT seq, document FROM run_events ORDER BY id")
    assert [seq for seq, _ in stored] == list(range(1, total + 1))
    writers = [json.loads(document)["event"]["Kernel"]["RunStarted"]["op_id"] for _, document in stored]
    chunks = [writers[start : start + size] for start in range(0, total, size)]
    assert all(len(set(chunk)) == 1 for chunk in chunks), "an append's events were interleaved"
    assert sorted(chunk[0] for chunk in chunks) == sorted(
        f"worker_{w}" for w in range(RACE["workers"]) for _ in range(RACE["appends"])
    )
    assert store.verify().ok
    assert pg_chain_problems(pg_url, store.schema) == []


def test_experience_batches_from_four_processes_all_land(pg_url: str, raced: tuple[PostgresStore, list[Any]]) -> None:
    """Four processes appending envelope batches at once: every envelope is stored once, seqs are
    1..N, each batch's rows are adjacent and in order, each process's batches keep its order, and
    the chain verifies."""
    store, outcomes = raced
    workers, batches, size = RACE["workers"], RACE["batches"], RACE["batch_size"]
    assert [o[:2] for o in outcomes] == [(w, "ok") for w in range(workers)]
    stored = pg_schema_rows(pg_url, store.schema, "SELECT seq, event_id FROM experience_events ORDER BY seq")
    event_ids = [bytes(event_id).decode() for _, event_id in stored]
    assert [seq for seq, _ in stored] == list(range(1, workers * batches * size + 1))
    assert len(set(event_ids)) == len(event_ids)
    for start in range(0, len(event_ids), size):
        chunk = event_ids[start : start + size]
        prefix = chunk[0].rsplit("-e", 1)[0]
        assert chunk == [f"{prefix}-e{i}" for i in range(size)]
    for worker in range(workers):
        mine = [i.rsplit("-e", 1)[0] for i in event_ids if i.startswith(f"w{worker}-") and i.endswith("-e0")]
        assert mine == [f"w{worker}-b{b}" for b in range(batches)]
    assert store.verify().ok
    assert pg_chain_problems(pg_url, store.schema) == []


# == 7. wire details: bytea strings, U+0000, bytewise order, u64 limits, as SqliteStore answers ==


FIXED = datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
def both(pg_url: str, pg_store: PostgresStore, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A PostgresStore on the scratch schema and a SqliteStore, both with the same fixed clock, to
    be given the same calls."""
    with (
        PostgresStore(pg_url, schema=pg_store.schema, clock=lambda: FIXED, pool_size=2) as postgres,
        SqliteStore(tmp_path / "reference.db", synchronous="NORMAL", clock=lambda: FIXED) as sqlite,
    ):
        yield {"postgres": postgres, "sqlite": sqlite}


def outcome(call: Callable[[Any], Any], store: Any) -> tuple[str, Any]:
    """("ok", what the call returned, event ids or seqs for lists of models) or (error code, None)."""
    try:
        result = call(store)
    except LedgerspecError as exc:
        return exc.code, None
    if isinstance(result, list):
        result = [next((getattr(item, a) for a in ("event_id", "seq") if hasattr(item, a)), item) for item in result]
    return "ok", result


def test_string_columns_are_bytea(pg_url: str, pg_store: PostgresStore) -> None:
    """Every metadata string column is bytea (so order is bytewise and U+0000 storable, whatever
    the database's collation and encoding); positions and sizes are bigint."""
    columns = pg_schema_rows(
        pg_url,
        pg_store.schema,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = ANY(%s)",
        (pg_store.schema, list(LEDGER_TABLES)),
    )
    integers = {"seq", "id", "size", "ts_millis", "journal_seq"}
    assert len(columns) == 14 + 8 + 7 + 10
    for table, column, kind in columns:
        assert kind == ("bigint" if column in integers else "bytea"), (table, column)


NUL_VALUES = ["\x00", "chain\x00", "chain\x00x", "é\x00", "\x00' OR 1=1 --"]
NUL_NEIGHBOURS = ["chain", "chain\x00y", "", "é"]
"""Values that only a NUL tells apart from the stored ones: C-string truncation would match them."""


def test_nul_in_metadata_is_stored_and_found_exactly(both: dict[str, Any]) -> None:
    """A U+0000 in chain_id, occurred_at, trace_link_id, an artifact id and kind or a journal
    record_id is stored and found by exactly that value (never by its prefix before the NUL), as
    SqliteStore finds it, and the stored documents are byte for byte SqliteStore's."""
    for store in both.values():
        experience = store.experience
        experience.append_events([envelope(f"chain-{i}", chain_id=v) for i, v in enumerate(NUL_VALUES)])
        experience.append_events([envelope(f"time-{i}", occurred_at=v) for i, v in enumerate(NUL_VALUES)])
        experience.append_events([trace_envelope(f"trace-{i}", v, f"model-{i}") for i, v in enumerate(NUL_VALUES)])
        for value in NUL_VALUES:
            kind = converge.ArtifactKindOther(Other=value)
            experience.write_artifact_state_transition(value, kind, LIFECYCLE)
    cursors = {  # a record_id differing only after a NUL is another record; the same one is deduplicated
        label: [
            store.journal.append(journal_record(1, record_id="journal\x00a")),
            store.journal.append(journal_record(2, record_id="journal")),
            store.journal.append(journal_record(3, record_id="journal\x00")),
            store.journal.append(journal_record(1, record_id="journal\x00a")),
        ]
        for label, store in both.items()
    }
    assert cursors["postgres"] == cursors["sqlite"] == ["journal.1", "journal.2", "journal.3", "journal.1"]
    calls: dict[str, Callable[[Any], Any]] = {}
    for value in NUL_VALUES + NUL_NEIGHBOURS:
        calls[f"chain {value!r}"] = lambda s, v=value: s.experience.query_events(Q(kinds=[], chain_id=v))
        calls[f"at {value!r}"] = lambda s, v=value: s.experience.query_events(
            Q(kinds=[], time_range=converge.TimeRange(start=v, end=v))
        )
        calls[f"trace {value!r}"] = lambda s, v=value: getattr(
            s.experience.get_trace_link(v), "provider_model_id", None
        )
        calls[f"artifact {value!r}"] = lambda s, v=value: [
            (e.event.data.artifact_id, e.event.data.artifact_kind.Other)
            for e in s.experience.query_artifacts(
                converge.ArtifactQuery(artifact_id=v, kind=converge.ArtifactKindOther(Other=v))
            )
        ]
    answers = {name: {label: outcome(call, store) for label, store in both.items()} for name, call in calls.items()}
    for name, answer in answers.items():
        assert answer["postgres"] == answer["sqlite"], name
    for i, value in enumerate(NUL_VALUES):  # and they are the right answers, not two equal wrong ones
        assert answers[f"chain {value!r}"]["postgres"] == ("ok", [f"chain-{i}"])
        assert answers[f"at {value!r}"]["postgres"] == ("ok", [f"time-{i}"])
        assert answers[f"trace {value!r}"]["postgres"] == ("ok", f"model-{i}")
        assert answers[f"artifact {value!r}"]["postgres"] == ("ok", [(value, value)])
    for value in NUL_NEIGHBOURS:
        assert answers[f"chain {value!r}"]["postgres"] == ("ok", [])
        assert answers[f"trace {value!r}"]["postgres"] == ("ok", None)
    assert [r.record_id for r in both["postgres"].journal.read(JOURNAL_RUN)] == [
        "journal\x00a",
        "journal",
        "journal\x00",
    ]
    assert list(both["postgres"].export()) == list(both["sqlite"].export())
    assert both["postgres"].verify().ok


TIMES = [
    "2026-01-01T00:00:00Z",
    "2026-01-01t00:00:00z",  # lowercase sorts after every uppercase letter and digit, bytewise
    "2026-01-01T00:00:00",
    "2026-01-01T00:00:00Z\x00",
    "2026-01-01T00:00:00Zé",  # U+00E9: 0xC3 0xA9
    "2026-01-01T00:00:00Z\uffff",  # 0xEF 0xBF 0xBF sorts before
    "2026-01-01T00:00:00Z\U0001f600",  # 0xF0 ...: UTF-16 order would put it before U+FFFF
    "2026-01-01 00:00:00Z",
    "2026-01-02",
    "lamport:7",
    "E",
    "e",
    "É",
]
BOUNDS = [*TIMES, "2026-01-01T", "2026-01-01T00:00:00Z\x00\x00", "\x00", "\U0001f600", "é", "2026-01-01T00:00:00Zz"]


def test_time_ranges_compare_bytewise_as_sqlite_does(both: dict[str, Any]) -> None:
    """occurred_at ranges (inclusive, compared as strings) give SqliteStore's answer for every
    pair of bounds drawn from timestamps that differ in case, a trailing NUL, non-ASCII and
    astral characters; that answer is the UTF-8 byte order Python's str comparison gives."""
    for store in both.values():
        store.experience.append_events([envelope(f"t{i}", occurred_at=t) for i, t in enumerate(TIMES)])
    ranges = [{"start": b} for b in BOUNDS] + [{"end": b} for b in BOUNDS]
    ranges += [{"start": low, "end": high} for low in BOUNDS for high in BOUNDS if low <= high]
    for bounds in ranges:
        query = Q(kinds=[], time_range=converge.TimeRange(**bounds))
        expected = [
            f"t{i}"
            for i, at in enumerate(TIMES)
            if bounds.get("start", at).encode() <= at.encode() <= bounds.get("end", at).encode()
        ]
        assert ids(both["sqlite"].experience.query_events(query)) == expected, bounds
        assert ids(both["postgres"].experience.query_events(query)) == expected, bounds
        tenant = both["postgres"].for_tenant("tenant-a")  # the tenant-leading index answers the same
        assert ids(tenant.query_events(query)) == expected, bounds


def event_at(seq: int, ts_millis: int) -> dict[str, Any]:
    return mfm_event(RUN_ID, seq) | {"ts_millis": ts_millis}


U64_CALLS: dict[str, Callable[[Any], Any]] = {
    "expected_seq 2^63": lambda s: s.runs.append(RUN_ID, 2**63, []),
    "expected_seq u64 max": lambda s: s.runs.append(RUN_ID, U64, []),
    "event seq 2^63": lambda s: s.runs.append(RUN_ID, 2**63 - 1, [event_at(2**63, 1)]),
    "event seq u64 max": lambda s: s.runs.append(RUN_ID, 0, [event_at(U64, 1)]),
    "ts_millis u64 max": lambda s: s.runs.append(RUN_ID, 0, [event_at(1, U64)]),
    "ts_millis u64 max + 1": lambda s: s.runs.append(RUN_ID, 1, [event_at(2, U64 + 1)]),
    "read_range from u64 max": lambda s: s.runs.read_range(RUN_ID, U64),
    "read_range to 2^63": lambda s: s.runs.read_range(RUN_ID, 1, 2**63),
    "read_range to u64 max + 1": lambda s: s.runs.read_range(RUN_ID, 1, U64 + 1),
    "read_range 2^63-1": lambda s: s.runs.read_range(RUN_ID, 2**63 - 1, 2**63 - 1),
    "read_range to 2^63-1": lambda s: s.runs.read_range(RUN_ID, 1, 2**63 - 1),
    "journal_seq 2^63": lambda s: s.journal.append(journal_record(2**63)),
    "journal_seq u64 max": lambda s: s.journal.append(journal_record(U64)),
    "journal read from u64 max": lambda s: s.journal.read(JOURNAL_RUN, U64),
    "journal read to 2^63-1": lambda s: s.journal.read(JOURNAL_RUN, 1, 2**63 - 1),
    "event limit u64 max": lambda s: s.experience.query_events(Q(kinds=[], limit=U64)),
    "event limit 2^63": lambda s: s.experience.query_events(Q(kinds=[], limit=2**63)),
    "event limit u64 max + 1": lambda s: s.experience.query_events(Q(kinds=[], limit=U64 + 1)),
    "artifact limit u64 max": lambda s: s.experience.query_artifacts(converge.ArtifactQuery(limit=U64)),
}
U64_EXPECTED: dict[str, tuple[str, Any]] = {
    "expected_seq 2^63": ("invalid_input", None),
    "expected_seq u64 max": ("invalid_input", None),
    "event seq 2^63": ("invalid_input", None),
    "event seq u64 max": ("invalid_input", None),
    "ts_millis u64 max": ("ok", 1),
    "ts_millis u64 max + 1": ("invalid_input", None),
    "read_range from u64 max": ("ok", []),
    "read_range to 2^63": ("ok", [1]),
    "read_range to u64 max + 1": ("invalid_input", None),
    "read_range 2^63-1": ("ok", []),
    "read_range to 2^63-1": ("ok", [1]),
    "journal_seq 2^63": ("invalid_input", None),
    "journal_seq u64 max": ("invalid_input", None),
    "journal read from u64 max": ("ok", []),
    "event limit u64 max": ("ok", ["e1", "e2"]),
    "event limit 2^63": ("ok", ["e1", "e2"]),
    "event limit u64 max + 1": ("invalid_query", None),
    "artifact limit u64 max": ("ok", []),
}
"""docs/stores.md: sequence numbers up to 2^63-1 are stored, larger values (serde's u64 allows
2^64-1) refused with invalid_input rather than wrapped; a read's bound past 2^63-1 lies beyond
every stored seq (upstream's u64), past u64 it is invalid_input; a limit past 2^63-1 returns everything (as
SqliteStore does, test_store); a value past u64 breaks the schema (invalid_input, invalid_query)."""


def test_u64_values_are_refused_as_sqlite_refuses_them(pg_url: str, both: dict[str, Any]) -> None:
    """Values past 2^63-1 in every integer argument and column: the same error code (or the same
    answer) from both stores, the one docs/stores.md gives; a refused call writes nothing."""
    for store in both.values():
        store.experience.append_events([envelope("e1"), envelope("e2")])
        store.journal.append(journal_record(1))
    for name, call in U64_CALLS.items():
        before = pg_ledger_checksum(pg_url, both["postgres"].schema)
        postgres, sqlite = outcome(call, both["postgres"]), outcome(call, both["sqlite"])
        assert postgres == sqlite, name
        if name in U64_EXPECTED:
            assert postgres == U64_EXPECTED[name], name
        else:
            assert postgres[0] == "ok", name
        if postgres[0] != "ok":
            assert pg_ledger_checksum(pg_url, both["postgres"].schema) == before, name
    assert both["postgres"].runs.read_range(RUN_ID, 1, 2**63 - 1)[0].ts_millis == U64  # the document keeps u64
    assert both["postgres"].verify().ok


# == 8. read-only stores, stats, the URL and the schema name =====================================

WRITES: dict[str, Callable[[Any], Any]] = {
    "experience": lambda s: s.experience.append_event(envelope("evt-late")),
    "transition": lambda s: s.experience.write_artifact_state_transition(
        "adapter-1", converge.ArtifactKindUnit.Adapter, LIFECYCLE
    ),
    "runs": lambda s: s.runs.append(RUN_ID, 5, [mfm_event(RUN_ID, 6)]),
    "runs-append-all": lambda s: s.runs.append_all([(OTHER_RUN_ID, 0, [mfm_event(OTHER_RUN_ID, 1)])]),
    "artifacts": lambda s: s.artifacts.put("Output", b"late"),
    "journal": lambda s: s.journal.append(journal_record(6)),
}


def test_readonly_store_refuses_every_write_and_reads(pg_url: str, seeded: tuple[PostgresStore, list[str]]) -> None:
    """A store opened readonly=True refuses every write path with a storage error saying it is
    read-only, and writes nothing; the server refuses its connections' writes too. It reads,
    verifies, exports and reports stats."""
    store, artifacts = seeded
    with PostgresStore(pg_url, schema=store.schema, readonly=True) as readonly:
        for name, write in WRITES.items():
            error = assert_rejected(pg_url, store.schema, "storage", lambda w=write: w(readonly))
            assert "read-only" in str(error), name
        with pytest.raises(StorageError, match="read-only transaction"):
            readonly.database.read("INSERT INTO ledgerspec_schema (version) VALUES (99)")
        assert readonly.runs.head_seq(RUN_ID) == 5
        assert ids(readonly.experience.query_events(Q(kinds=[]))) == [f"evt-{i}" for i in range(1, 6)]
        assert readonly.artifacts.get(artifacts[0]) == b"artifact-1"
        assert [r.journal_seq for r in readonly.journal.read(JOURNAL_RUN)] == [1, 2, 3, 4, 5]
        assert readonly.verify().ok
        assert list(readonly.export()) == list(store.export())
        assert readonly.stats()["rows"] == store.stats()["rows"]


def test_stats_count_what_was_appended(pg_url: str, pg_store: PostgresStore) -> None:
    """stats(): rows per ledger, distinct tenants (no tenant is not one), runs, journal runs,
    artifact bytes and experience kinds count exactly what was appended; duplicates and rejected
    writes count nothing; the location names the database (no password) and the schema."""
    store = pg_store
    store.experience.append_events(
        [envelope("e1", tenant_id="a"), envelope("e2", tenant_id="b"), envelope("e3", tenant_id=None)]
    )
    store.experience.append_events([envelope("e1", tenant_id="a")])  # the same bytes: a no-op
    store.experience.append_event(trace_envelope("t1", "trace-1", "model-1"))
    store.experience.write_artifact_state_transition("adapter-1", converge.ArtifactKindUnit.Adapter, LIFECYCLE)
    store.runs.append(RUN_ID, 0, [mfm_event(RUN_ID, 1), mfm_event(RUN_ID, 2)])
    store.runs.append(OTHER_RUN_ID, 0, [mfm_event(OTHER_RUN_ID, 1)])
    with pytest.raises(LedgerspecError):
        store.runs.append(RUN_ID, 0, [mfm_event(RUN_ID, 1)])  # stale: nothing written
    for content in (b"abc", b"defgh", b"abc"):  # the second b"abc" is the same artifact
        store.artifacts.put("Output", content)
    store.journal.append_all([journal_record(1), journal_record(2)])
    store.journal.append(journal_record(1, run_id="run.journal.2"))
    store.journal.append(journal_record(1))  # deduplicated by record_id
    stats = store.stats()
    assert stats["rows"] == {"experience_events": 5, "run_events": 3, "artifacts": 2, "journal_records": 3}
    assert stats["rows"] == store.counts()
    assert (stats["tenants"], stats["runs"], stats["journal_runs"], stats["artifact_bytes"]) == (3, 2, 2, 8)
    assert stats["kinds"] == {"ArtifactStateTransitioned": 1, "BudgetExceeded": 3, "ReplayTraceRecorded": 1}
    parts = urlsplit(pg_url)
    shown = user_url(pg_url, parts.username, "***") if parts.password else pg_url
    assert (stats["location"], stats["format_version"]) == (f"{shown} schema {store.schema}", 3)
    assert stats["database_bytes"] > 0
    for table, count in stats["rows"].items():
        assert pg_schema_rows(pg_url, store.schema, f"SELECT count(*) FROM {table}") == [(count,)]


def test_a_password_in_the_url_authority_is_never_shown(pg_url: str, pg_store: PostgresStore) -> None:
    """stats() and error messages name the database without the password of `user:password@`."""
    parts = urlsplit(pg_url)
    password = parts.password or "not-shown-anywhere"  # trust authentication ignores a made-up one
    with PostgresStore(user_url(pg_url, parts.username, password), schema=pg_store.schema, readonly=True) as store:
        assert password not in store.location and password not in repr(store.stats())
        assert ":***@" in store.stats()["location"]
        with pytest.raises(StorageError) as caught:
            store.runs.append(RUN_ID, 0, [])
        assert password not in str(caught.value)


def test_a_password_in_the_url_query_is_never_shown(pg_url: str, pg_store: PostgresStore) -> None:
    """The same for a password given as libpq's `?password=` URL parameter (Target.redacted once
    masked only the authority's password, showing this one in every message)."""
    parts = urlsplit(pg_url)
    password = parts.password or "not-shown-anywhere"  # trust authentication ignores a made-up one
    query = "&".join(filter(None, [parts.query, urlencode([("password", password), ("schema", pg_store.schema)])]))
    with PostgresStore(user_url(pg_url, parts.username, query=query), readonly=True) as store:
        with pytest.raises(StorageError) as caught:
            store.runs.append(RUN_ID, 0, [])
        assert password not in str(caught.value)
        assert password not in store.location
        assert password not in repr(store.stats())


def test_a_schema_name_that_needs_quoting_is_the_schema_used(pg_url: str, pg_store: PostgresStore) -> None:
    """A store on schema "LEDGERSPEC_scratch_..." (the scratch schema's name with capitals) keeps
    its rows there, not in the lowercase scratch schema beside it."""
    upper = pg_store.schema.replace("ledgerspec", "LEDGERSPEC", 1)
    try:
        with PostgresStore(pg_url, schema=upper, pool_size=1) as store:
            store.experience.append_event(envelope("mine"))
            mine = pg_schema_rows(pg_url, upper, "SELECT event_id FROM experience_events")
            beside = pg_schema_rows(pg_url, pg_store.schema, "SELECT event_id FROM experience_events")
            assert (mine, beside) == ([(b"mine",)], [])
    finally:
        drop_schema(pg_url, upper)


def test_verify_during_appends_reports_no_tampering(pg_url: str, pg_store: PostgresStore) -> None:
    """verify() run while another store appends (nothing tampered with) reports every table intact."""
    pg_store.experience.append_events([envelope(f"pre-{i}") for i in range(100)])
    appending, done, appended, errors = threading.Event(), threading.Event(), [], []

    def append() -> None:
        try:
            with PostgresStore(pg_url, schema=pg_store.schema, pool_size=1) as writer:
                while not done.is_set():
                    writer.experience.append_event(envelope(f"during-{len(appended)}"))
                    appended.append(1)
                    appending.set()
        except BaseException as exc:
            errors.append(exc)
            appending.set()

    thread = threading.Thread(target=append)
    thread.start()
    try:
        appending.wait(timeout=30)
        false_alarms = [str(t.broken) for _ in range(20) for t in pg_store.verify().tables if t.broken]
    finally:
        done.set()
        thread.join(timeout=30)
    if errors or len(appended) < 2:  # not an AssertionError: a broken writer is no sign of the bug
        pytest.fail(f"the writer did not keep appending: {len(appended)} appends, {errors}")
    assert false_alarms == []
    assert pg_store.verify().ok  # once the writer stops, the same rows verify
