"""Helpers for the store fault tests: document builders, an independent view of a ledger file
(a checksum of its ledger rows and a re-walk of every hash chain, both through a separate sqlite3
connection, never through ledgerspec) and the worker functions run in spawned processes (they
live here so a `spawn` child imports this small module, not the test module)."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import ledger_documents as documents

from ledgerspec.models import converge

RUN_ID = "67e55044-10b1-426f-9247-bb680e5fe0c8"
OTHER_RUN_ID = "0d5a1e8c-3b7f-4c2a-9e1d-6f4b2a8c9e01"
JOURNAL_RUN = "run.journal.1"
LIFECYCLE = converge.LifecycleEvent(
    from_state=converge.GovernedArtifactState.Draft,
    to_state=converge.GovernedArtifactState.Approved,
    timestamp="2026-01-21T12:00:00Z",
    actor="ops",
    reason="review",
)
"""A lifecycle event for artifact transitions."""

LEDGER_TABLES = {"experience_events": "seq", "run_events": "id", "artifacts": "id", "journal_records": "id"}
"""Every ledger table and the column its rows (and its hash chain) are ordered by."""


# -- documents ----------------------------------------------------------------------------------


def envelope(
    event_id: str,
    *,
    tenant_id: str | None = "tenant-a",
    correlation_id: str | None = "corr-1",
    chain_id: str = "chain-1",
    occurred_at: str = "2026-01-21T12:00:00Z",
    observed: str = "2048",
) -> dict[str, Any]:
    """A valid converge experience envelope (the reference's BudgetExceeded example)."""
    return documents.envelope(
        event_id, tenant=tenant_id, correlation=correlation_id, chain=chain_id, at=occurred_at, observed=observed
    )


def trace_envelope(event_id: str, trace_link_id: str, model: str) -> dict[str, Any]:
    """A valid ReplayTraceRecorded envelope whose trace is told apart by `provider_model_id`."""
    trace = {
        "type": "Remote",
        "provider_name": "openai",
        "provider_model_id": model,
        "request_fingerprint": "sha256:req",
        "response_fingerprint": "sha256:resp",
        "temperature": 0.0,
        "top_p": 1.0,
        "max_tokens": 1024,
        "provider_metadata": {},
        "retried": False,
        "retry_reasons": [],
        "replayability": "BestEffort",
    }
    return {
        "event_id": event_id,
        "occurred_at": "2026-01-21T12:00:00Z",
        "tenant_id": "tenant-a",
        "correlation_id": None,
        "event": {"type": "ReplayTraceRecorded", "data": {"trace_link_id": trace_link_id, "trace_link": trace}},
    }


def mfm_event(run_id: str, seq: int, op_id: str = "op") -> dict[str, Any]:
    """A valid mfm event envelope (a RunStarted kernel event); `op_id` tells writers apart."""
    return {
        "run_id": run_id,
        "seq": seq,
        "ts_millis": seq,
        "event": {"Kernel": {"RunStarted": {"op_id": op_id, "manifest_id": "0" * 64, "initial_snapshot_id": "1" * 64}}},
    }


def journal_record(seq: int, record_id: str | None = None, run_id: str = "run.journal.1") -> dict[str, Any]:
    """A valid agent-sdk journal record (upstream's golden effect intent) at `seq`."""
    return documents.journal_record(seq, run=run_id, record_id=record_id)


# -- an independent view of the file ------------------------------------------------------------


def ledger_checksum(path: Path, *, schema: bool = True) -> str:
    """SHA-256 over every row of every ledger table (in chain order), read through a separate
    sqlite3 connection; with `schema`, also over the file's schema objects and format version."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        for table, order in LEDGER_TABLES.items():
            digest.update(f"\0table {table}\0".encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(repr(row).encode())
        if schema:
            for row in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"):
                digest.update(repr(row).encode())
            for row in conn.execute("SELECT version FROM ledgerspec_schema ORDER BY version"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def chain_problems(path: Path) -> list[str]:
    """Re-walk every table's hash chain without ledgerspec: each `hash` must be the SHA-256 of
    its `document` and each `chain` the SHA-256 of the previous `chain` and this `hash` (and,
    for an artifact, the UTF-8 of its kind after it: the chain covers the kind, format 3)."""
    problems = []
    with closing(sqlite3.connect(path)) as conn:
        for table, order in LEDGER_TABLES.items():
            previous = bytes(32)
            sealed = "kind" if table == "artifacts" else "''"
            for position, document, digest, chain, kind in conn.execute(
                f"SELECT {order}, document, hash, chain, {sealed} FROM {table} ORDER BY {order}"
            ):
                if hashlib.sha256(document).digest() != digest:
                    problems.append(f"{table} {position}: hash")
                if hashlib.sha256(previous + digest + kind.encode()).digest() != chain:
                    problems.append(f"{table} {position}: chain")
                previous = chain
    return problems


def rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of a query through a separate sqlite3 connection."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


# -- workers run in spawned processes -----------------------------------------------------------


def race_worker(path: str, worker: int, rounds: int, size: int, barrier: Any, results: Any) -> None:
    """Each round, wait for the other racer, then append seqs `round*size+1..` with the same
    expected_seq; report ("ok", head) or (error code, message) for the round."""
    from ledgerspec.errors import LedgerspecError
    from ledgerspec.store import SqliteStore

    with SqliteStore(path) as store:
        for round_ in range(rounds):
            expected = round_ * size
            events = [mfm_event(RUN_ID, expected + i + 1, op_id=f"worker_{worker}") for i in range(size)]
            barrier.wait(timeout=60)
            try:
                head = store.runs.append(RUN_ID, expected, events)
                results.put((round_, worker, "ok", head))
            except LedgerspecError as exc:
                results.put((round_, worker, exc.code, str(exc)))
            except BaseException as exc:  # reported, so the parent fails instead of waiting
                results.put((round_, worker, type(exc).__name__, str(exc)))


def batch_worker(path: str, worker: int, batches: int, size: int, barrier: Any, results: Any) -> None:
    """Open the file together with the other workers, then append `batches` batches of `size`
    envelopes with ids unique to this worker; report "ok" or the error."""
    try:
        from ledgerspec.store import SqliteStore

        barrier.wait(timeout=60)
        with SqliteStore(path) as store:
            for batch in range(batches):
                store.experience.append_events(
                    [envelope(f"w{worker}-b{batch}-e{i}", tenant_id=f"tenant-{worker}") for i in range(size)]
                )
        results.put((worker, "ok"))
    except BaseException as exc:
        results.put((worker, f"{type(exc).__name__}: {exc}"))


KILL_CHILD = """
import sys
from ledgerspec.store import SqliteStore
sys.path.insert(0, sys.argv[3])
from store_helpers import envelope

path, size, padding = sys.argv[1], int(sys.argv[2]), int(sys.argv[4])
store = SqliteStore(path)
batch = [envelope(f"big-{i}", observed="x" * padding) for i in range(size)]
print("appending", flush=True)
store.experience.append_events(batch)
print("done", flush=True)
"""
"""The SIGKILL child: argv = file, batch size, the tests directory, bytes of padding per envelope.
It says `appending` just before its one large `append_events` call and `done` after it."""


# -- an independent view of a PostgreSQL schema --------------------------------------------------

PG_EXTRA_TABLES = {"ledger_heads": "ledger", "ledgerspec_schema": "version"}
"""The PostgreSQL format's bookkeeping tables a rejected write must not change either."""


def pg_rows(url: str, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of a query through a separate psycopg connection (autocommit, no ledgerspec)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query.encode(), params).fetchall()


def pg_ledger_checksum(url: str, schema: str) -> str:
    """SHA-256 over every row of every ledger table (in chain order), `ledger_heads` and the
    format versions of `schema`, read in one REPEATABLE READ snapshot through a separate psycopg
    connection."""
    import psycopg
    from psycopg import sql

    digest = hashlib.sha256()
    with psycopg.connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            for table, order in {**LEDGER_TABLES, **PG_EXTRA_TABLES}.items():
                digest.update(f"\0table {table}\0".encode())
                query = sql.SQL("SELECT * FROM {}.{} ORDER BY {}").format(
                    sql.Identifier(schema), sql.Identifier(table), sql.Identifier(order)
                )
                for row in conn.execute(query):
                    digest.update(repr(row).encode())
    return digest.hexdigest()


def pg_chain_problems(url: str, schema: str) -> list[str]:
    """Re-walk every table's hash chain of `schema` without ledgerspec (as `chain_problems`, the
    kind of an artifact included), and check each table's `ledger_heads` row holds its last
    position and chain value."""
    import psycopg
    from psycopg import sql

    problems = []
    with psycopg.connect(url) as conn, conn.transaction():
        heads = {
            table: (position, bytes(chain))
            for table, position, chain in conn.execute(
                sql.SQL("SELECT ledger, position, chain FROM {}.ledger_heads").format(sql.Identifier(schema))
            )
        }
        for table, order in LEDGER_TABLES.items():
            previous, last, expected_position = bytes(32), 0, 1
            sealed = sql.Identifier("kind") if table == "artifacts" else sql.SQL("''::bytea")
            query = sql.SQL("SELECT {}, document, hash, chain, {} FROM {}.{} ORDER BY {}").format(
                sql.Identifier(order), sealed, sql.Identifier(schema), sql.Identifier(table), sql.Identifier(order)
            )
            for position, document, digest, chain, kind in conn.execute(query):
                if position != expected_position:
                    problems.append(f"{table} {position}: expected position {expected_position}")
                if hashlib.sha256(bytes(document)).digest() != bytes(digest):
                    problems.append(f"{table} {position}: hash")
                if hashlib.sha256(previous + bytes(digest) + bytes(kind)).digest() != bytes(chain):
                    problems.append(f"{table} {position}: chain")
                previous, last, expected_position = bytes(chain), position, position + 1
            if heads.get(table) != (last, previous):
                problems.append(f"{table}: ledger_heads holds {heads.get(table)}, the table ends at {last}")
    return problems


# -- PostgreSQL: raw connections to a schema and the workers of test_postgres's process tests ----


def pg_connect(url: str, schema: str, *, replica: bool = False) -> Any:
    """A separate autocommit psycopg connection (not ledgerspec's) with `schema` on its search path;
    with `replica`, `session_replication_role = replica`, which disables the append-only triggers
    (a superuser tampering with the tables)."""
    import psycopg
    from psycopg import sql

    conn = psycopg.connect(url, autocommit=True)
    conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    if replica:
        conn.execute("SET session_replication_role = replica")
    return conn


def pg_schema_rows(url: str, schema: str, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of a query with `schema` on the search path, through a separate psycopg connection."""
    with pg_connect(url, schema) as conn:
        return conn.execute(query, params).fetchall()


def pg_race_worker(url: str, schema: str, worker: int, plan: dict[str, int], barrier: Any, results: Any) -> None:
    """Once every worker is ready, interleave two kinds of appends to the schema: `plan["appends"]`
    appends of `plan["size"]` events to RUN_ID with the optimistic loop mfm callers use (read
    head_seq, append at it, on `concurrency` read it again), and `plan["batches"]` batches of
    `plan["batch_size"]` envelopes with ids unique to this worker. Report (worker, "ok", retries)
    or (worker, the error, retries)."""
    retries = 0
    try:
        from ledgerspec.errors import ConcurrencyError
        from ledgerspec.store.postgres import PostgresStore

        with PostgresStore(url, schema=schema, pool_size=2) as store:
            barrier.wait(timeout=60)
            for step in range(max(plan["appends"], plan["batches"])):
                if step < plan["batches"]:
                    store.experience.append_events(
                        [
                            envelope(f"w{worker}-b{step}-e{i}", tenant_id=f"tenant-{worker}")
                            for i in range(plan["batch_size"])
                        ]
                    )
                while step < plan["appends"]:
                    head = store.runs.head_seq(RUN_ID)
                    events = [mfm_event(RUN_ID, head + i + 1, op_id=f"worker_{worker}") for i in range(plan["size"])]
                    try:
                        store.runs.append(RUN_ID, head, events)
                        break
                    except ConcurrencyError:
                        retries += 1
        results.put((worker, "ok", retries))
    except BaseException as exc:  # reported, so the parent fails instead of waiting
        results.put((worker, f"{type(exc).__name__}: {exc}", retries))


def stop(processes: list[Any]) -> None:
    """Join spawned processes; kill those still running after the grace period."""
    for process in processes:
        process.join(timeout=60)
        if process.is_alive():
            process.kill()
            process.join()


def collect_reports(processes: list[Any], results: Any) -> list[Any]:
    """Start spawned workers, collect one report from each (sorted), then stop them all."""
    for process in processes:
        process.start()
    try:
        return sorted(results.get(timeout=120) for _ in processes)
    finally:
        stop(processes)


def flipped(document: bytes) -> bytes:
    """The document with one bit of its middle byte flipped."""
    changed = bytearray(document)
    changed[len(changed) // 2] ^= 0x01
    return bytes(changed)


def row_key(table: str, position: int, artifacts: list[str]) -> dict[str, Any]:
    """The key `verify` reports for the row at `position` of a seeded table (strings, not bytes)."""
    return {
        "experience_events": {"event_id": f"evt-{position}"},
        "run_events": {"run_id": RUN_ID, "seq": position},
        "artifacts": {"artifact_id": artifacts[position - 1]},
        "journal_records": {"run_id": JOURNAL_RUN, "journal_seq": position},
    }[table]


def seed(store: Any) -> list[str]:
    """Five rows in each ledger table of any store; returns the artifact ids in append order."""
    store.experience.append_events([envelope(f"evt-{i}") for i in range(1, 6)])
    store.runs.append(RUN_ID, 0, [mfm_event(RUN_ID, seq) for seq in range(1, 6)])
    artifacts = [store.artifacts.put("Output", f"artifact-{i}".encode()) for i in range(1, 6)]
    store.journal.append_all([journal_record(seq) for seq in range(1, 6)])
    return artifacts
