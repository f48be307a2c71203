"""PostgreSQL tenant-role attacks (docs/stores.md, "PostgreSQL: what a tenant role can and cannot
do"): a test connects as a tenant role with plain psycopg and runs the SQL an attacker would (or,
to hold the write lock idle, begins a tenant store's write and never ends it; skipping positions
is tried by the owner too), then checks that the database refused it with a clear error, or that
the ledger stays usable for every other writer: the owner and another tenant still append at the
next positions, and `verify` (and an independent re-walk of the chains) finds nothing wrong.

Rows the attacker inserts are complete: valid envelopes of its own tenant in RFC 8785 bytes
(`rfc8785`, not ledgerspec), their indexed columns, their SHA-256 and the chain value after the
real head (read as the superuser: the attacker is granted the most it could know), so each attack
fails for the reason it tests and no other.

Every test needs a server ($LEDGERSPEC_PG_URL, see conftest): outside CI they skip without one."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import rfc8785
from store_helpers import envelope, pg_chain_problems, pg_connect, pg_ledger_checksum, pg_schema_rows
from test_postgres import ROLE_PASSWORD, experience_head, ids, user_url

from ledgerspec.errors import TransientError
from ledgerspec.models import converge
from ledgerspec.store.ledgers import EXPERIENCE

COLUMNS = EXPERIENCE.names

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import sql

    from ledgerspec.store.postgres import PostgresStore
    from ledgerspec.store.postgres.schema import MIGRATIONS, migrate
except ImportError:  # conftest's pg_url fixture skips every test (and fails them in CI)
    psycopg = pg_errors = sql = PostgresStore = MIGRATIONS = migrate = None  # type: ignore[assignment]

pytestmark = pytest.mark.usefixtures("pg_url")
pytest_plugins = ("test_postgres",)  # its fixtures: tenants (roles granted tenants a and b), fresh_schema

INSERT = (
    f"INSERT INTO experience_events (seq, {', '.join(COLUMNS)}, document, hash, chain) "
    f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 4))})"
)
"""A complete experience row, as an attacker inserts it by hand."""


def experience_row(
    seq: int, document: dict[str, Any] | bytes, after: bytes, columns: dict[str, Any] | None = None
) -> tuple[Any, ...]:
    """The values of `INSERT` for a row at `seq` holding `document` (an envelope, canonicalised,
    or raw bytes), its SHA-256 and the chain value after `after`. The indexed columns are the
    envelope's, with `columns` overriding some (a raw document needs them all named)."""
    data = document if isinstance(document, bytes) else rfc8785.dumps(document)
    named = dict(zip(COLUMNS, EXPERIENCE.derive(document), strict=True)) if isinstance(document, dict) else {}
    named.update(columns or {})
    digest = hashlib.sha256(data).digest()
    values = [named.get(column) for column in COLUMNS]
    return (seq, *(v.encode() if isinstance(v, str) else v for v in values), data, digest, link(after, digest))


def link(previous: bytes, digest: bytes) -> bytes:
    """The chain value of a row with hash `digest` after a row with chain value `previous`."""
    return hashlib.sha256(previous + digest).digest()


def assert_usable(pg_url: str, store: PostgresStore, tenant_url: str, *, tag: str) -> None:
    """Every other writer carries on: the owner and tenant b each append an envelope, which land
    at the next positions; verify and an independent re-walk of every chain find nothing wrong."""
    position, _ = experience_head(pg_url, store.schema)
    store.experience.append_event(envelope(f"owner-{tag}", tenant_id="c"))
    with PostgresStore(tenant_url, schema=store.schema, tenant="b") as tenant:
        tenant.experience.append_event(envelope(f"b-{tag}", tenant_id="b"))
    added = pg_schema_rows(
        pg_url, store.schema, "SELECT event_id, seq FROM experience_events WHERE seq > %s ORDER BY seq", (position,)
    )
    assert [(bytes(event_id).decode(), seq) for event_id, seq in added] == [
        (f"owner-{tag}", position + 1),
        (f"b-{tag}", position + 2),
    ]
    report = store.verify()
    assert report.ok, [t.broken for t in report.tables]
    assert pg_chain_problems(pg_url, store.schema) == []


# == 1. shadowing: a temporary table named like the ledger's ===================================


def test_a_temporary_ledger_heads_shadows_nothing(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]
) -> None:
    """Tenant a creates a temporary `ledger_heads` claiming the experience head is 1,000 rows
    further on, then inserts a valid row of its own at the real next position. Temporary tables
    come first on a session's search path, but the ledger's functions run with a fixed one: the
    row goes through the real head (an honest append) and every writer carries on."""
    schema = pg_store.schema
    position, chain = experience_head(pg_url, schema)
    with pg_connect(tenants["a"], schema) as conn:
        conn.execute("CREATE TEMPORARY TABLE ledger_heads (ledger text PRIMARY KEY, position bigint, chain bytea)")
        conn.execute("INSERT INTO ledger_heads VALUES ('experience_events', %s, %s)", (position + 1000, bytes(32)))
        conn.execute(INSERT, experience_row(position + 1, envelope("a-shadow", tenant_id="a"), chain))
    assert experience_head(pg_url, schema)[0] == position + 1
    assert_usable(pg_url, pg_store, tenants["b"], tag="shadow")


def test_a_temporary_ledger_table_cannot_vouch_for_a_made_up_head(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]
) -> None:
    """Tenant a creates a temporary `experience_events` holding a made-up chain value at the head's
    position and points the real head at it. Refused (the role has no privilege on
    `ledger_heads`, and the check would read the real table anyway): the head keeps its value."""
    schema = pg_store.schema
    before = experience_head(pg_url, schema)
    with pg_connect(tenants["a"], schema) as conn:
        conn.execute("CREATE TEMPORARY TABLE experience_events (seq bigint, chain bytea)")
        conn.execute("INSERT INTO experience_events VALUES (%s, %s)", (before[0], b"\x01" * 32))
        with pytest.raises(pg_errors.InsufficientPrivilege, match="permission denied for table ledger_heads"):
            conn.execute("UPDATE ledger_heads SET chain = %s WHERE ledger = 'experience_events'", (b"\x01" * 32,))
    assert experience_head(pg_url, schema) == before
    assert_usable(pg_url, pg_store, tenants["b"], tag="made-up")


# == 2. skipped positions ========================================================================


@pytest.mark.parametrize("who", ["tenant", "owner"])
def test_positions_cannot_be_skipped(pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], who: str) -> None:
    """A writer moving the head 1,000 positions on and inserting a correctly chained row there, in
    one transaction, is refused (a tenant may not touch the head; the owner's direct UPDATE of it
    is refused), and so is the row alone: a row's position is exactly the head's + 1."""
    schema = pg_store.schema
    url = tenants["a"] if who == "tenant" else pg_url
    position, chain = experience_head(pg_url, schema)
    far = experience_row(position + 1000, envelope(f"{who}-far", tenant_id="a"), chain)
    before = pg_ledger_checksum(pg_url, schema)
    with pg_connect(url, schema) as conn:
        with pytest.raises(psycopg.Error) as moved, conn.transaction():
            conn.execute(
                "UPDATE ledger_heads SET position = %s, chain = %s WHERE ledger = 'experience_events'",
                (position + 1000, far[-1]),
            )
            conn.execute(INSERT, far)
        expected = "permission denied" if who == "tenant" else "ledgerspec: ledger_heads moves only with the rows"
        assert expected in str(moved.value)
        with pytest.raises(pg_errors.InsufficientPrivilege, match=f"the next position is {position + 1} "):
            conn.execute(INSERT, far)
    assert pg_ledger_checksum(pg_url, schema) == before
    assert_usable(pg_url, pg_store, tenants["b"], tag="skip")


# == 3. the ledger's shape, checked by the database ==============================================

RAW_COLUMNS = {"event_id": "a-bad", "kind": "BudgetExceeded", "tenant_id": "a", "occurred_at": "2026"}
"""The indexed columns of a raw document's row: those of a BudgetExceeded envelope of tenant a."""
BAD_ROWS = {
    "not-json": (b"not json", RAW_COLUMNS),
    "json-array": (b'["a-bad"]', RAW_COLUMNS),
    "other-event-id": (envelope("a-other", tenant_id="a"), {"event_id": "a-bad"}),
    "other-kind": (envelope("a-bad", tenant_id="a"), {"kind": "ReplayTraceRecorded"}),
    "other-tenant-in-document": (envelope("a-bad", tenant_id="b"), {"tenant_id": "a"}),
}
"""Rows a tenant role might insert (document, indexed columns overriding the envelope's) whose
document is not the envelope its columns say, all of tenant a as far as row-level security sees."""


@pytest.mark.parametrize("bad", sorted(BAD_ROWS))
def test_rows_that_break_the_ledgers_shape_are_refused(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], bad: str
) -> None:
    """Tenant a inserts, at the next position and correctly chained, a row whose document is not
    JSON, not an object, or not the envelope its event_id, kind or tenant_id column names: the
    database refuses it, naming the row, and writes nothing."""
    schema = pg_store.schema
    position, chain = experience_head(pg_url, schema)
    document, columns = BAD_ROWS[bad]
    before = pg_ledger_checksum(pg_url, schema)
    with pg_connect(tenants["a"], schema) as conn, pytest.raises(pg_errors.CheckViolation) as caught:
        conn.execute(INSERT, experience_row(position + 1, document, chain, columns))
    expected = "not a JSON object" if bad == "not-json" else "not the JSON envelope"
    assert f"ledgerspec: experience_events row {position + 1} refused: its document is {expected}" in str(caught.value)
    assert pg_ledger_checksum(pg_url, schema) == before
    assert_usable(pg_url, pg_store, tenants["b"], tag=bad)


@pytest.mark.parametrize("wrong", ["hash", "chain"])
def test_rows_with_a_wrong_hash_or_chain_value_are_refused(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], wrong: str
) -> None:
    """A valid envelope of tenant a at the next position whose hash is not its document's SHA-256
    (chained consistently with that hash), or whose chain value does not follow the head, is
    refused by the database instead of waiting for verify to name it."""
    schema = pg_store.schema
    position, chain = experience_head(pg_url, schema)
    row = list(experience_row(position + 1, envelope("a-wrong", tenant_id="a"), chain))
    if wrong == "hash":
        row[-2] = hashlib.sha256(b"something else").digest()
        row[-1] = link(chain, row[-2])
    else:
        row[-1] = link(bytes(32), row[-2])
    before = pg_ledger_checksum(pg_url, schema)
    with pg_connect(tenants["a"], schema) as conn, pytest.raises(pg_errors.CheckViolation) as caught:
        conn.execute(INSERT, tuple(row))
    reason = "is not the SHA-256 of its document" if wrong == "hash" else "does not follow the row before it"
    assert f"ledgerspec: experience_events row {position + 1} refused: its {wrong}" in str(caught.value)
    assert reason in str(caught.value)
    assert pg_ledger_checksum(pg_url, schema) == before
    assert_usable(pg_url, pg_store, tenants["b"], tag=wrong)


# == 4. stalling: holding the head's lock ========================================================


def test_a_tenant_role_cannot_lock_the_head_row_itself(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]
) -> None:
    """`SELECT ... FOR UPDATE` of the experience head, or locking another ledger's head through
    its lock function, is refused to a tenant role: it locks the head only to append."""
    with pg_connect(tenants["a"], pg_store.schema) as conn:
        for statement in (
            "SELECT position FROM ledger_heads WHERE ledger = 'experience_events' FOR UPDATE",
            "SELECT position FROM run_events_lock_head()",
            "SELECT position FROM journal_records_lock_head()",
            "SELECT position FROM artifacts_lock_head()",
        ):
            with pytest.raises(pg_errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(statement)


@pytest.fixture
def stalled(pg_store: PostgresStore, tenants: dict[str, str]) -> Iterator[threading.Event]:
    """Tenant a holds the experience ledger's write lock in a write it leaves idle (what any role
    allowed to append can do: begin an append, then never end it), until the event yielded is
    set (after the test at the latest)."""
    release, holding = threading.Event(), threading.Event()

    def hold() -> None:
        holding.set()
        release.wait(60)

    with PostgresStore(tenants["a"], schema=pg_store.schema, tenant="a") as tenant, ThreadPoolExecutor(1) as pool:
        held = pool.submit(tenant.database.transact, EXPERIENCE, hold)
        assert holding.wait(10), held.exception(timeout=10)
        try:
            yield release
        finally:
            release.set()


@pytest.mark.parametrize("timeout", [None, 0.5], ids=["default", "configured"])
def test_an_idle_lock_holder_stalls_writers_only_for_the_lock_timeout(
    pg_url: str, pg_store: PostgresStore, tenants: dict[str, str], stalled: Any, timeout: float | None
) -> None:
    """While tenant a idles holding the experience lock, an owner's append waits `lock_timeout`
    (5 s by default, or as configured), then fails with a retryable storage error naming the
    ledger and the lock, having written nothing; once the holder is gone, appends go on."""
    options = {} if timeout is None else {"lock_timeout": timeout}
    bound = 5.0 if timeout is None else timeout
    with PostgresStore(pg_url, schema=pg_store.schema, **options) as store, ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        waiting = pool.submit(store.experience.append_event, envelope("owner-waits", tenant_id="c"))
        try:
            with pytest.raises(TransientError) as caught:
                waiting.result(timeout=bound + 10)
        finally:
            stalled.set()  # an append no timeout stopped goes on, so the pool can shut down
        waited = time.monotonic() - started
    assert bound <= waited < bound + 5
    assert caught.value.code == "storage" and caught.value.retryable
    assert "experience_events" in str(caught.value) and "lock" in str(caught.value)
    assert ids(pg_store.experience.query_events(converge.EventQuery(kinds=[], tenant_id="c"))) == []
    assert_usable(pg_url, pg_store, tenants["b"], tag="stalled")


# == 5. the side channel: what a tenant may know =================================================


def test_a_tenant_role_reads_no_head(pg_url: str, pg_store: PostgresStore, tenants: dict[str, str]) -> None:
    """A tenant role cannot read `ledger_heads` (the global position and chain value, so the other
    tenants' volume) at will; the position its next row takes is what it learns by appending."""
    with pg_connect(tenants["a"], pg_store.schema) as conn:
        for statement in ("SELECT position, chain FROM ledger_heads", "SELECT count(*) FROM ledger_heads"):
            with pytest.raises(pg_errors.InsufficientPrivilege, match="permission denied for table ledger_heads"):
                conn.execute(statement)


# == the migration: an existing schema is hardened ================================================


def test_a_version_1_schema_migrates_and_is_hardened(pg_url: str, fresh_schema: str) -> None:
    """A schema at format version 1 with a tenant granted by that version (SELECT and UPDATE on
    `ledger_heads`) and rows in it: opening it migrates it; then the tenant has no privilege on
    `ledger_heads` but still appends, every function runs with a fixed search path ending in
    `pg_temp` and none is executable by PUBLIC (so no role can hang the owner's trigger on a table
    of its own), and verify is clean."""
    schema, role = fresh_schema, f"{fresh_schema}_tenant"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        migrate(admin, schema, MIGRATIONS[:1])
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), ROLE_PASSWORD))
    try:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            admin.execute("INSERT INTO ledgerspec_tenant_roles VALUES (%s, 'a')", [role])
            admin.execute(
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), sql.Identifier(role))
            )
            for grant in (
                "GRANT SELECT, INSERT ON experience_events TO {}",
                "GRANT SELECT ON ledgerspec_tenant_roles, ledgerspec_schema TO {}",
                "GRANT SELECT, UPDATE ON ledger_heads TO {}",
            ):
                admin.execute(sql.SQL(grant).format(sql.Identifier(role)))
            with admin.transaction():  # an append as version 1 made it: head first, then the row
                first = experience_row(1, envelope("v1-1", tenant_id="a"), bytes(32))
                admin.execute(
                    "UPDATE ledger_heads SET position = 1, chain = %s WHERE ledger = 'experience_events'", [first[-1]]
                )
                admin.execute(INSERT, first)
        with PostgresStore(pg_url, schema=schema) as owner:
            assert owner.database.version == len(MIGRATIONS) == 3
            owner.experience.append_event(envelope("owner-1", tenant_id="c"))
            tenant_url = user_url(pg_url, role, ROLE_PASSWORD)
            with PostgresStore(tenant_url, schema=schema, tenant="a") as tenant:
                tenant.experience.append_event(envelope("a-1", tenant_id="a"))
                assert ids(tenant.experience.query_events(converge.EventQuery(kinds=[]))) == ["v1-1", "a-1"]
            with pg_connect(tenant_url, schema) as conn, pytest.raises(pg_errors.InsufficientPrivilege):
                conn.execute("SELECT position FROM ledger_heads")
            functions = pg_schema_rows(
                pg_url,
                schema,
                "SELECT proname, proconfig, proacl::text[] FROM pg_proc WHERE pronamespace = %s::regnamespace",
                (schema,),
            )
            assert functions and all(config == [f"search_path={schema}, pg_temp"] for _, config, _ in functions)
            assert all(acl is not None and not any(grant.startswith("=") for grant in acl) for *_, acl in functions)
            assert owner.verify().ok
            assert pg_chain_problems(pg_url, schema) == []
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
