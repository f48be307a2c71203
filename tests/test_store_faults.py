"""The reference SQLite store's fault behaviour: every rule of docs/stores.md (and the
upstream store semantics it extends) about what a store refuses, how it fails and what it leaves
behind, each proved by a test that fails if the rule breaks.

A "rejected" write must raise the right error code and leave the file's ledger rows byte for byte
as they were (`ledger_checksum`, read through a separate sqlite3 connection)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from store_helpers import (
    KILL_CHILD,
    LEDGER_TABLES,
    LIFECYCLE,
    OTHER_RUN_ID,
    RUN_ID,
    batch_worker,
    chain_problems,
    collect_reports,
    envelope,
    flipped,
    journal_record,
    ledger_checksum,
    mfm_event,
    race_worker,
    row_key,
    rows,
    seed,
    stop,
    trace_envelope,
)

from ledgerspec.errors import LedgerspecError, StorageError
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore
from ledgerspec.store.sqlite.schema import MIGRATIONS, file_version, migrate

TESTS = Path(__file__).resolve().parent
SPAWN = multiprocessing.get_context("spawn")


# -- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def store(path: Path) -> Iterator[SqliteStore]:
    """A store whose four ledgers hold five rows each."""
    with SqliteStore(path) as opened:
        seed(opened)
        yield opened


def assert_rejected(path: Path, code: str, call: Callable[[], Any]) -> LedgerspecError:
    """`call` raises a LedgerspecError with `code` and the ledger rows stay as they were."""
    before = ledger_checksum(path)
    with pytest.raises(LedgerspecError) as caught:
        call()
    assert caught.value.code == code, f"{caught.value.code}: {caught.value}"
    assert ledger_checksum(path) == before, "a rejected write changed the file"
    return caught.value


def write_lock_taken(probe: sqlite3.Connection) -> bool:
    """Whether another connection holds the file's write lock (probed without waiting)."""
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    probe.execute("ROLLBACK")
    return False


def wal_size(path: Path) -> int:
    """The size of the file's write-ahead log (0 when there is none)."""
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


# == 1. every write path rejects invalid input and leaves the file unchanged =====================


def test_experience_duplicate_ids_in_one_batch_conflict(store: SqliteStore, path: Path) -> None:
    """One batch holding the same event_id with two contents is a conflict and writes nothing."""
    batch = [envelope("evt-new"), envelope("evt-other"), envelope("evt-new", observed="4096")]
    error = assert_rejected(path, "conflict", lambda: store.experience.append_events(batch))
    assert error.where == "envelope 2"
    assert "evt-new" in str(error)
    store.experience.append_events([envelope("evt-new"), envelope("evt-new")])  # same bytes: stored once
    assert rows(path, "SELECT count(*) FROM experience_events WHERE event_id = 'evt-new'") == [(1,)]


def test_experience_stored_id_with_other_content_conflicts(store: SqliteStore, path: Path) -> None:
    """An event_id already stored with other bytes is a conflict; the batch around it writes nothing."""
    batch = [envelope("evt-fresh"), envelope("evt-3", observed="9999")]
    error = assert_rejected(path, "conflict", lambda: store.experience.append_events(batch))
    assert error.where == "envelope 1"
    store.experience.append_events([envelope("evt-fresh"), envelope("evt-3")])  # the stored bytes: a no-op
    assert rows(path, "SELECT count(*) FROM experience_events") == [(6,)]


def test_experience_invalid_last_of_1000_writes_none(store: SqliteStore, path: Path) -> None:
    """A 1000-envelope batch whose envelope 999 breaks the schema is invalid_input, located, all or nothing."""
    batch = [envelope(f"bulk-{i}") for i in range(1000)]
    batch[999]["event"]["data"]["resource"] = {"NotAResource": 1}
    error = assert_rejected(path, "invalid_input", lambda: store.experience.append_events(batch))
    assert error.where == "envelope 999"
    assert "envelope 999" in str(error)
    assert rows(path, "SELECT count(*) FROM experience_events WHERE event_id LIKE 'bulk-%'") == [(0,)]


@pytest.mark.parametrize("field", ["event_id", "tenant_id", "correlation_id"])
@pytest.mark.parametrize("value", ["evt 1", "a" * 257, ""], ids=["space", "257-bytes", "empty"])
def test_experience_bad_ids_rejected(store: SqliteStore, path: Path, field: str, value: str) -> None:
    """Ids outside 1-256 bytes of [A-Za-z0-9._:-] are invalid_input naming the field; the batch writes nothing."""
    bad = envelope("evt-bad")
    bad[field] = value
    error = assert_rejected(path, "invalid_input", lambda: store.experience.append_events([envelope("evt-ok"), bad]))
    assert error.where == "envelope 1"
    assert field in str(error)


@pytest.mark.parametrize("value", ["2" * 65, ""], ids=["65-bytes", "empty"])
def test_experience_bad_occurred_at_rejected(store: SqliteStore, path: Path, value: str) -> None:
    """occurred_at outside 1-64 bytes is invalid_input naming the field."""
    error = assert_rejected(
        path, "invalid_input", lambda: store.experience.append_event(envelope("evt-time", occurred_at=value))
    )
    assert "occurred_at" in str(error)


def test_experience_limits_are_inclusive(store: SqliteStore, path: Path) -> None:
    """The limits the rejections above test are the right ones: 256-byte ids and 64-byte occurred_at are stored."""
    longest = envelope("e" * 256, tenant_id="t" * 256, correlation_id="c:" * 128, occurred_at="2" * 64)
    store.experience.append_event(longest)
    assert rows(path, "SELECT count(*) FROM experience_events WHERE event_id = ?", ("e" * 256,)) == [(1,)]


def test_tenant_view_refuses_other_tenants(store: SqliteStore, path: Path) -> None:
    """A tenant-scoped view refuses an envelope of another tenant (or none) with invalid_input; the batch writes nothing."""
    view = store.for_tenant("tenant-a")
    for other in ("tenant-b", None):
        batch = [envelope("evt-mine"), envelope("evt-theirs", tenant_id=other)]
        error = assert_rejected(path, "invalid_input", lambda b=batch: view.append_events(b))
        assert error.where == "envelope 1"
        assert "tenant" in str(error)


TRANSITION_REJECTIONS: dict[str, tuple[Any, Any, Any]] = {
    "artifact-id-not-a-string": (5, converge.ArtifactKindUnit.Adapter, LIFECYCLE),
    "unknown-kind": ("adapter-1", "Bogus", LIFECYCLE),
    "kind-not-json": ("adapter-1", b"Adapter", LIFECYCLE),
    "incomplete-event": ("adapter-1", converge.ArtifactKindUnit.Adapter, {"from_state": "Draft"}),
    "no-event": ("adapter-1", converge.ArtifactKindUnit.Adapter, None),
}


@pytest.mark.parametrize("case", list(TRANSITION_REJECTIONS))
def test_artifact_transition_rejections(store: SqliteStore, path: Path, case: str) -> None:
    """write_artifact_state_transition with an invalid id, kind or event is invalid_input; its open transaction rolls back."""
    artifact_id, kind, event = TRANSITION_REJECTIONS[case]
    assert_rejected(
        path, "invalid_input", lambda: store.experience.write_artifact_state_transition(artifact_id, kind, event)
    )
    store.experience.write_artifact_state_transition("adapter-1", converge.ArtifactKindUnit.Adapter, LIFECYCLE)
    assert rows(path, "SELECT event_id FROM experience_events ORDER BY seq DESC LIMIT 1") == [
        ("artifact-transition:6",)
    ]


RUN_REJECTIONS = {
    "other-run-in-batch": (RUN_ID, 5, [mfm_event(RUN_ID, 6), mfm_event(OTHER_RUN_ID, 7)], "invalid_input", "event 1"),
    "seq-gap": (RUN_ID, 5, [mfm_event(RUN_ID, 6), mfm_event(RUN_ID, 8)], "invalid_input", "event 1"),
    "seq-not-after-expected": (RUN_ID, 5, [mfm_event(RUN_ID, 5)], "invalid_input", "event 0"),
    "stale-expected-seq": (RUN_ID, 3, [mfm_event(RUN_ID, 4)], "concurrency", None),
    "expected-seq-ahead": (RUN_ID, 7, [mfm_event(RUN_ID, 8)], "concurrency", None),
    "empty-run-stale": (OTHER_RUN_ID, 1, [mfm_event(OTHER_RUN_ID, 2)], "concurrency", None),
    "stale-empty-batch": (RUN_ID, 4, [], "concurrency", None),
    "malformed-run-id": ("run-1", 5, [mfm_event(RUN_ID, 6)], "invalid_input", None),
}


@pytest.mark.parametrize("case", list(RUN_REJECTIONS))
def test_runs_append_rejections(store: SqliteStore, path: Path, case: str) -> None:
    """mfm append: another run or a seq gap is invalid_input (located), a stale expected_seq is concurrency; nothing written."""
    run_id, expected, events, code, where = RUN_REJECTIONS[case]
    error = assert_rejected(path, code, lambda: store.runs.append(run_id, expected, events))
    assert error.where == where
    assert store.runs.head_seq(RUN_ID) == 5
    assert store.runs.append(RUN_ID, 5, [mfm_event(RUN_ID, 6)]) == 6  # the right call still works


JOURNAL_REJECTIONS = {
    "gap": ([journal_record(7)], "invalid_input", "record 0"),
    "seq-taken": ([journal_record(5, "journal.record.new")], "concurrency", "record 0"),
    "older-seq-taken": ([journal_record(1, "journal.record.other")], "concurrency", "record 0"),
    "record-id-other-content": ([journal_record(6, "journal.record.2")], "conflict", "record 0"),
    "gap-after-valid": ([journal_record(6), journal_record(8)], "invalid_input", "record 1"),
    "conflict-after-valid": ([journal_record(6), journal_record(7, "journal.record.1")], "conflict", "record 1"),
}


@pytest.mark.parametrize("case", list(JOURNAL_REJECTIONS))
def test_journal_append_rejections(store: SqliteStore, path: Path, case: str) -> None:
    """Journal: a gap is invalid_input, a taken seq concurrency, a reused record_id with other content conflict; all or nothing."""
    records, code, where = JOURNAL_REJECTIONS[case]
    error = assert_rejected(path, code, lambda: store.journal.append_all(records))
    assert error.where == where
    assert store.journal.append(journal_record(6)) == "journal.6"  # the right call still works


def test_journal_unknown_schema_version_rejected(store: SqliteStore, path: Path) -> None:
    """A journal record of another journal_schema_version is invalid_input."""
    record = journal_record(6)
    record["journal_schema_version"] = 2
    error = assert_rejected(path, "invalid_input", lambda: store.journal.append(record))
    assert "journal_schema_version" in str(error)


@pytest.mark.parametrize("data", ["text", None, 5, [1, 2], {"a": 1}], ids=repr)
def test_artifact_put_non_bytes_rejected(store: SqliteStore, path: Path, data: Any) -> None:
    """artifacts.put with anything but bytes is invalid_input."""
    assert_rejected(path, "invalid_input", lambda: store.artifacts.put("Output", data))


def test_artifact_put_bad_kind_rejected(store: SqliteStore, path: Path) -> None:
    """artifacts.put with a kind outside mfm.ArtifactKind is invalid_input; bytes-likes are accepted."""
    assert_rejected(path, "invalid_input", lambda: store.artifacts.put("Snapshot", b"x"))
    assert store.artifacts.put("Output", bytearray(b"x")) == store.artifacts.put({"Other": "y"}, memoryview(b"x"))


# == 2. two processes racing the same expected_seq ==============================================


def test_runs_race_one_winner_per_round(path: Path) -> None:
    """Two processes appending with the same expected_seq: exactly one wins each round, the other gets concurrency."""
    rounds, size = 5, 50
    SqliteStore(path).close()
    barrier, results = SPAWN.Barrier(2), SPAWN.Queue()
    racers = [SPAWN.Process(target=race_worker, args=(str(path), w, rounds, size, barrier, results)) for w in (0, 1)]
    for racer in racers:
        racer.start()
    try:
        outcomes = [results.get(timeout=90) for _ in range(2 * rounds)]
    finally:
        stop(racers)
    winners = {}
    for round_ in range(rounds):
        this = sorted((o for o in outcomes if o[0] == round_), key=lambda o: o[2])
        assert [o[2] for o in this] == ["concurrency", "ok"], this
        assert this[1][3] == (round_ + 1) * size
        winners[round_] = this[1][1]
    with SqliteStore(path) as store:
        assert store.runs.head_seq(RUN_ID) == rounds * size
        events = store.runs.read_range(RUN_ID, 1)
        assert store.verify().ok
    assert [e.seq for e in events] == list(range(1, rounds * size + 1))
    stored = rows(path, "SELECT seq, document FROM run_events ORDER BY id")
    assert [seq for seq, _ in stored] == list(range(1, rounds * size + 1))
    for seq, document in stored:  # every event of a round is the winner's
        op_id = json.loads(document)["event"]["Kernel"]["RunStarted"]["op_id"]
        assert op_id == f"worker_{winners[(seq - 1) // size]}"
    assert chain_problems(path) == []


# == 3. several processes appending disjoint batches =============================================


def test_concurrent_batches_from_four_processes(path: Path) -> None:
    """Four processes opening a fresh file together and appending batches: every envelope lands, each batch contiguous, chain intact."""
    workers, batches, size = 4, 20, 100
    barrier, results = SPAWN.Barrier(workers), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=batch_worker, args=(str(path), w, batches, size, barrier, results)) for w in range(workers)
    ]
    assert collect_reports(processes, results) == [(w, "ok") for w in range(workers)]
    ids = [event_id for (event_id,) in rows(path, "SELECT event_id FROM experience_events ORDER BY seq")]
    assert len(ids) == len(set(ids)) == workers * batches * size
    assert rows(path, "SELECT min(seq), max(seq) FROM experience_events") == [(1, len(ids))]
    for start in range(0, len(ids), size):  # batches are atomic: each one's rows are adjacent and in order
        chunk = ids[start : start + size]
        prefix = chunk[0].rsplit("-e", 1)[0]
        assert chunk == [f"{prefix}-e{i}" for i in range(size)]
    for worker in range(workers):  # and each process's batches keep its order
        mine = [i.rsplit("-e", 1)[0] for i in ids if i.startswith(f"w{worker}-") and i.endswith("-e0")]
        assert mine == [f"w{worker}-b{b}" for b in range(batches)]
    with SqliteStore(path) as store:
        assert store.verify().ok
        assert file_version(store.database.db) == len(MIGRATIONS)
    assert rows(path, "SELECT count(*) FROM ledgerspec_schema") == [(len(MIGRATIONS),)]
    assert chain_problems(path) == []


FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else SPAWN


def open_and_close(path: str, barrier: Any, results: Any) -> None:
    """Open a store on `path` the moment every sibling is ready, and report how it went."""
    barrier.wait()
    try:
        SqliteStore(path).close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_one_file_together(tmp_path: Path) -> None:
    """Four processes opening the same new file at once all get the ledger, round after round.

    Two races lived here (each seen in about one round in fifteen): a process that listed the
    file's tables in two reads took a ledger created between them for someone else's database,
    and the switch to WAL mode answered "locked" at once when two processes tried it together."""
    processes = 4
    for round_ in range(100):
        path = tmp_path / f"ledger-{round_}.db"
        barrier, results = FORK.Barrier(processes), FORK.Queue()
        workers = [FORK.Process(target=open_and_close, args=(str(path), barrier, results)) for _ in range(processes)]
        assert collect_reports(workers, results) == ["ok"] * processes, f"round {round_}"
        assert rows(path, "SELECT count(*) FROM ledgerspec_schema") == [(len(MIGRATIONS),)]


# == 4. SIGKILL in the middle of a large batch ===================================================

KILL_BATCH, KILL_PADDING = 40_000, 2_000
"""The killed batch: 40,000 envelopes of about 2.2 KB (30,000 once committed within 0.6 s in CI, so
the kill missed the transaction). Measured with 30,000 on a 2-CPU machine: validation takes
about 1 s, then the rows go in for about 1.4 s (the WAL grows to about 130 MB) and the commit takes
0.7 s (200,000 small envelopes took 12 s per case, 50,000 of 1.2 KB 5 s). The delays below count
from the first uncommitted page in the WAL, so each kill lands while rows are going in (checked: the
write lock is still held when the child is stopped, just before it is killed)."""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(signal, "SIGSTOP"), reason="needs SIGKILL")
@pytest.mark.parametrize("delay", [0.02, 0.2, 0.45])
def test_sigkill_mid_batch_is_all_or_nothing(path: Path, delay: float) -> None:
    """A process killed while appending one large batch leaves a file that opens, verifies and holds none or all of it."""
    with SqliteStore(path) as store:
        store.experience.append_events([envelope(f"pre-{i}") for i in range(10)])
    before = ledger_checksum(path)
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_CHILD, str(path), str(KILL_BATCH), str(TESTS), str(KILL_PADDING)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "appending", child.stderr.read() if child.stderr else ""
        with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as probe:
            deadline = time.monotonic() + 60
            while not write_lock_taken(probe):  # the batch is validated; its transaction starts now
                assert child.poll() is None, "the child ended before its transaction started"
                assert time.monotonic() < deadline
                time.sleep(0.002)
            wal_at_start = wal_size(path)
            while wal_size(path) <= wal_at_start:  # its first uncommitted pages reach the WAL: rows are going in
                assert child.poll() is None and time.monotonic() < deadline
                time.sleep(0.002)
            time.sleep(delay * random.uniform(0.8, 1.2))
            os.kill(child.pid, signal.SIGSTOP)
            mid_transaction = write_lock_taken(probe)
            wal_at_kill = wal_size(path)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert mid_transaction, f"the batch committed within {delay}s: raise KILL_BATCH so the kill lands mid-transaction"
    with SqliteStore(path) as store:
        assert store.verify().ok
        assert rows(path, "SELECT count(*) FROM experience_events WHERE event_id LIKE 'pre-%'") == [(10,)]
        (landed,) = rows(path, "SELECT count(*) FROM experience_events WHERE event_id LIKE 'big-%'")[0]
        assert landed in (0, KILL_BATCH), f"{landed} of {KILL_BATCH} envelopes of the killed batch are stored"
        if landed == 0:
            assert ledger_checksum(path) == before
        store.experience.append_event(envelope("after-kill"))  # the lock died with the child
        assert store.verify().ok
    assert chain_problems(path) == []
    assert wal_at_kill > wal_at_start  # the kill left uncommitted pages in the WAL for recovery to discard


# == 5. tampering is detected; the triggers refuse UPDATE and DELETE =============================


def tamper(path: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement on the file through a raw connection, the append-only triggers dropped."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for table in LEDGER_TABLES:
            for action in ("update", "delete"):
                conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        conn.execute(sql, params)


def broken(store: SqliteStore, table: str) -> Any:
    """The break `verify` reports for `table`; every other table must verify."""
    report = store.verify()
    assert not report.ok
    found = {t.table: t.broken for t in report.tables}
    assert [name for name, b in found.items() if b is not None] == [table]
    return found[table]


@pytest.fixture
def seeded(path: Path) -> Iterator[tuple[SqliteStore, list[str]]]:
    with SqliteStore(path) as store:
        yield store, seed(store)


HASH_MISMATCH = "document does not match its stored hash"
CHAIN_BROKEN = "hash chain broken"


@pytest.mark.parametrize("table", list(LEDGER_TABLES))
@pytest.mark.parametrize("position", [3, 5], ids=["middle", "last"])
def test_verify_finds_a_changed_document_byte(
    seeded: tuple[SqliteStore, list[str]], path: Path, table: str, position: int
) -> None:
    """One document byte changed: verify names the table, the row's position and key, and why."""
    store, artifacts = seeded
    order = LEDGER_TABLES[table]
    (document,) = rows(path, f"SELECT document FROM {table} WHERE {order} = ?", (position,))[0]
    tamper(path, f"UPDATE {table} SET document = ? WHERE {order} = ?", (flipped(document), position))
    found = broken(store, table)
    assert (found.table, found.position, found.key) == (table, position, row_key(table, position, artifacts))
    assert HASH_MISMATCH in found.reason
    assert str(position) in str(found) and table in str(found)
    if table == "artifacts":
        with pytest.raises(LedgerspecError) as caught:
            store.artifacts.get(artifacts[position - 1])
        assert caught.value.code == "corruption"


@pytest.mark.parametrize("table", list(LEDGER_TABLES))
def test_verify_finds_a_deleted_row(seeded: tuple[SqliteStore, list[str]], path: Path, table: str) -> None:
    """A middle row deleted: verify reports the chain broken at the row after it."""
    store, artifacts = seeded
    tamper(path, f"DELETE FROM {table} WHERE {LEDGER_TABLES[table]} = 3")
    found = broken(store, table)
    assert (found.position, found.key) == (4, row_key(table, 4, artifacts))
    assert CHAIN_BROKEN in found.reason


@pytest.mark.parametrize("table", list(LEDGER_TABLES))
@pytest.mark.parametrize("change", ["hash", "document-and-hash", "chain"])
def test_verify_finds_changed_hashes(
    seeded: tuple[SqliteStore, list[str]], path: Path, table: str, change: str
) -> None:
    """A changed hash, a document re-hashed to match, or a changed chain value: verify reports that row."""
    store, artifacts = seeded
    order = LEDGER_TABLES[table]
    (document,) = rows(path, f"SELECT document FROM {table} WHERE {order} = 3")[0]
    if change == "hash":
        tamper(path, f"UPDATE {table} SET hash = ? WHERE {order} = 3", (hashlib.sha256(b"other").digest(),))
        reason = HASH_MISMATCH
    elif change == "document-and-hash":
        changed = flipped(document)
        tamper(
            path,
            f"UPDATE {table} SET document = ?, hash = ? WHERE {order} = 3",
            (changed, hashlib.sha256(changed).digest()),
        )
        reason = CHAIN_BROKEN
    else:
        tamper(path, f"UPDATE {table} SET chain = ? WHERE {order} = 3", (bytes(32),))
        reason = CHAIN_BROKEN
    found = broken(store, table)
    assert (found.position, found.key) == (3, row_key(table, 3, artifacts))
    assert reason in found.reason


COLUMN_TAMPERING = [
    ("experience_events", "tenant_id", "tenant-b"),
    ("experience_events", "event_id", "evt-forged"),
    ("experience_events", "chain_id", "chain-2"),
    ("experience_events", "kind", "OutcomeRecorded"),
    ("experience_events", "occurred_at", "2030-01-01T00:00:00Z"),
    ("run_events", "run_id", OTHER_RUN_ID),
    ("run_events", "seq", 99),
    ("run_events", "kind", "Kernel.RunCompleted"),
    ("artifacts", "artifact_id", "0" * 64),
    ("artifacts", "size", 1),
    ("journal_records", "run_id", "run.journal.2"),
    ("journal_records", "journal_seq", 99),
    ("journal_records", "record_id", "journal.record.forged"),
]


@pytest.mark.parametrize(
    ("table", "column", "value"), COLUMN_TAMPERING, ids=[f"{t}.{c}" for t, c, _ in COLUMN_TAMPERING]
)
def test_verify_finds_a_changed_indexed_column(
    seeded: tuple[SqliteStore, list[str]], path: Path, table: str, column: str, value: Any
) -> None:
    """A row whose indexed column no longer matches its document (e.g. moved to another tenant) is reported by verify."""
    store, _ = seeded
    tamper(path, f"UPDATE {table} SET {column} = ? WHERE {LEDGER_TABLES[table]} = 3", (value,))
    found = broken(store, table)
    assert found.position == 3
    assert column in found.reason


@pytest.mark.parametrize("table", list(LEDGER_TABLES))
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET document = document WHERE {order} = 2",
        "DELETE FROM {table} WHERE {order} = 2",
        "DELETE FROM {table}",
    ],
)
def test_triggers_refuse_update_and_delete(
    seeded: tuple[SqliteStore, list[str]], path: Path, table: str, statement: str
) -> None:
    """A raw UPDATE or DELETE on any ledger table fails inside SQLite with an append-only error."""
    before = ledger_checksum(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn, pytest.raises(sqlite3.Error) as caught:
        conn.execute(statement.format(table=table, order=LEDGER_TABLES[table]))
    assert "append-only" in str(caught.value)
    assert ledger_checksum(path) == before


@pytest.mark.parametrize("table", list(LEDGER_TABLES))
@pytest.mark.parametrize("clash", ["position", "key"])
def test_triggers_refuse_insert_or_replace(
    seeded: tuple[SqliteStore, list[str]], path: Path, table: str, clash: str
) -> None:
    """A raw INSERT OR REPLACE over an existing row (same position, or same key at a new position) fails as append-only."""
    order = LEDGER_TABLES[table]
    before = ledger_checksum(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        names = [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
        row = list(conn.execute(f"SELECT * FROM {table} WHERE {order} = 2").fetchone())
        if clash == "key":
            row[names.index(order)] = 100
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute(
                f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", row
            )
    assert "append-only" in str(caught.value)
    assert ledger_checksum(path) == before


# == 6. SQL metacharacters and 1 MB strings in every filter ======================================

HOSTILE = [
    "' OR 1=1 --",
    '"; DROP TABLE experience_events; --',
    "%",
    "_",
    "\x00",
    "chain-1\x00' OR 1=1 --",
    "x" * 1_000_000,
]
HOSTILE_IDS = ["quote-or", "drop-table", "percent", "underscore", "nul", "nul-truncation", "1mb"]
UNSTORED = "_"
"""The one hostile value no stored row carries (so a LIKE-style match of `_` would show)."""


class Hostile:
    """A ledger whose payload fields (chain ids, occurred_at, trace ids, artifact ids and kinds)
    hold the hostile values, besides ordinary rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = SqliteStore(path)
        experience = self.store.experience
        experience.append_events([envelope(f"plain-{i}") for i in range(3)])
        stored = [v for v in HOSTILE if v != UNSTORED]
        experience.append_events([envelope(f"chain-{i}", chain_id=v) for i, v in enumerate(stored)])
        experience.append_events(
            [envelope(f"time-{i}", occurred_at=v) for i, v in enumerate(stored) if len(v.encode()) <= 64]
        )
        experience.append_events([trace_envelope(f"trace-{i}", v, f"model-{i}") for i, v in enumerate(stored)])
        self.models = {v: f"model-{i}" for i, v in enumerate(stored)}
        for value in stored:
            kind = converge.ArtifactKindOther(Other=value)
            for before, after in (("Draft", "Approved"), ("Approved", "Active")):
                event = converge.LifecycleEvent(
                    from_state=converge.GovernedArtifactState(before),
                    to_state=converge.GovernedArtifactState(after),
                    timestamp="2026-01-21T12:00:00Z",
                    actor="ops",
                    reason="rollout",
                )
                experience.write_artifact_state_transition(value, kind, event)
        self.store.journal.append(journal_record(1))
        self.documents = [json.loads(d) for (d,) in rows(path, "SELECT document FROM experience_events ORDER BY seq")]
        self.checksum = ledger_checksum(path)

    def intact(self) -> None:
        assert ledger_checksum(self.path) == self.checksum
        assert self.store.verify().ok


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    ledger = Hostile(tmp_path_factory.mktemp("hostile") / "ledger.db")
    yield ledger
    ledger.store.close()


def reference_ids(documents: list[dict[str, Any]], test: Callable[[dict[str, Any]], bool]) -> list[str]:
    return [d["event_id"] for d in documents if test(d)]


QUERY_FIELDS: dict[str, Callable[[str], tuple[converge.EventQuery, Callable[[dict[str, Any]], bool]]]] = {
    "tenant_id": lambda v: (converge.EventQuery(kinds=[], tenant_id=v), lambda d: d.get("tenant_id") == v),
    "correlation_id": lambda v: (
        converge.EventQuery(kinds=[], correlation_id=v),
        lambda d: d.get("correlation_id") == v,
    ),
    "chain_id": lambda v: (
        converge.EventQuery(kinds=[], chain_id=v),
        lambda d: d["event"]["data"].get("chain_id") == v,
    ),
    "start": lambda v: (
        converge.EventQuery(kinds=[], time_range=converge.TimeRange(start=v)),
        lambda d: d["occurred_at"] >= v,
    ),
    "end": lambda v: (
        converge.EventQuery(kinds=[], time_range=converge.TimeRange(end=v)),
        lambda d: d["occurred_at"] <= v,
    ),
    "start-and-end": lambda v: (
        converge.EventQuery(kinds=[], time_range=converge.TimeRange(start=v, end=v)),
        lambda d: d["occurred_at"] == v,
    ),
}


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
def test_query_events_filters_are_data(hostile: Hostile, value: str) -> None:
    """query_events binds every filter as data: exactly the envelopes matching it (by Python's reading), table intact."""
    for field, make in QUERY_FIELDS.items():
        query, test = make(value)
        try:
            found = [e.event_id for e in hostile.store.experience.query_events(query)]
        except LedgerspecError as exc:
            assert exc.code == "invalid_query", (field, exc)
        else:
            assert found == reference_ids(hostile.documents, test), field
    hostile.intact()


def test_query_events_hostile_filters_match_something(hostile: Hostile) -> None:
    """The hostile queries above are not vacuous: stored hostile chain ids and times are found, one each."""
    for value in HOSTILE:
        if value != UNSTORED:
            found = hostile.store.experience.query_events(converge.EventQuery(kinds=[], chain_id=value))
            assert [e.event.data.chain_id for e in found] == [value]
    found = hostile.store.experience.query_events(
        converge.EventQuery(kinds=[], time_range=converge.TimeRange(start="%", end="%"))
    )
    assert [e.occurred_at for e in found] == ["%"]


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
def test_get_trace_link_is_exact(hostile: Hostile, value: str) -> None:
    """get_trace_link returns only the trace stored under exactly that id, else None."""
    trace = hostile.store.experience.get_trace_link(value)
    if value == UNSTORED:
        assert trace is None
    else:
        assert trace is not None and trace.provider_model_id == hostile.models[value]
    hostile.intact()


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
def test_query_artifacts_is_exact(hostile: Hostile, value: str) -> None:
    """query_artifacts matches artifact id and kind exactly and state against the latest transition only."""
    experience = hostile.store.experience
    expected = [] if value == UNSTORED else [value]

    def ids(**filters: Any) -> list[str]:
        return [e.event.data.artifact_id for e in experience.query_artifacts(converge.ArtifactQuery(**filters))]

    assert ids(artifact_id=value) == expected
    assert ids(artifact_id=value, kind=converge.ArtifactKindOther(Other=value)) == expected
    assert ids(kind=converge.ArtifactKindOther(Other=value)) == expected
    assert ids(artifact_id=value, state=converge.GovernedArtifactState.Active) == expected
    for state in converge.GovernedArtifactState:
        if state is not converge.GovernedArtifactState.Active:
            assert ids(artifact_id=value, state=state) == []
    for unit in converge.ArtifactKindUnit:
        assert ids(artifact_id=value, kind=unit) == []
    hostile.intact()


@pytest.mark.parametrize("value", [*HOSTILE, "", f"{RUN_ID}\n", f" {RUN_ID}", f"{RUN_ID}\x00"], ids=repr)
def test_run_reads_refuse_malformed_run_ids(hostile: Hostile, value: str) -> None:
    """runs.head_seq and runs.read_range refuse a run id that is not a UUID with invalid_input."""
    for call in (lambda: hostile.store.runs.head_seq(value), lambda: hostile.store.runs.read_range(value, 1)):
        with pytest.raises(LedgerspecError) as caught:
            call()
        assert caught.value.code == "invalid_input"
    hostile.intact()


@pytest.mark.parametrize(
    "value", [b"run", bytearray(b"run"), {1}, object()], ids=["bytes", "bytearray", "set", "object"]
)
def test_run_calls_refuse_non_string_run_ids(hostile: Hostile, value: Any) -> None:
    """head_seq, read_range and append refuse a run id of a non-JSON type with invalid_input."""
    for call in (
        lambda: hostile.store.runs.head_seq(value),
        lambda: hostile.store.runs.read_range(value, 1),
        lambda: hostile.store.runs.append(value, 0, []),
    ):
        with pytest.raises(LedgerspecError) as caught:
            call()
        assert caught.value.code == "invalid_input"


@pytest.mark.parametrize("value", [None, 5, b"tenant-a"], ids=repr)
def test_for_tenant_refuses_non_string_tenant(hostile: Hostile, value: Any) -> None:
    """for_tenant with a tenant that is not a string is invalid_input."""
    with pytest.raises(LedgerspecError) as caught:
        hostile.store.for_tenant(value)
    assert caught.value.code == "invalid_input"


@pytest.mark.parametrize("value", [*HOSTILE, ""], ids=[*HOSTILE_IDS, "empty"])
def test_artifact_and_journal_reads_with_hostile_ids(hostile: Hostile, value: str) -> None:
    """artifacts.get of a hostile id is not_found, exists is False, journal.read of such a run is empty."""
    with pytest.raises(LedgerspecError) as caught:
        hostile.store.artifacts.get(value)
    assert caught.value.code == "not_found"
    assert hostile.store.artifacts.exists(value) is False
    assert hostile.store.journal.read(value) == []
    hostile.intact()


def test_hostile_for_tenant_is_refused(hostile: Hostile) -> None:
    """A tenant-scoped view refuses hostile tenant ids (invalid_input); `_`, a valid id, scopes to no rows."""
    for value in HOSTILE:
        if value == "_":
            view = hostile.store.for_tenant(value)
            assert view.query_events(converge.EventQuery(kinds=[])) == []
            assert view.query_artifacts(converge.ArtifactQuery()) == []
            assert view.get_trace_link("%") is None
            continue
        with pytest.raises(LedgerspecError) as caught:
            hostile.store.for_tenant(value)
        assert caught.value.code == "invalid_input"
    hostile.intact()


# == 7. read-only, locked, missing and foreign files =============================================

WRITES: dict[str, Callable[[SqliteStore], Any]] = {
    "experience": lambda s: s.experience.append_event(envelope("evt-late")),
    "transition": lambda s: s.experience.write_artifact_state_transition(
        "adapter-1", converge.ArtifactKindUnit.Adapter, LIFECYCLE
    ),
    "runs": lambda s: s.runs.append(RUN_ID, 5, [mfm_event(RUN_ID, 6)]),
    "artifacts": lambda s: s.artifacts.put("Output", b"late"),
    "journal": lambda s: s.journal.append(journal_record(6)),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_readonly_store_refuses_writes(store: SqliteStore, path: Path, write: str) -> None:
    """A store opened readonly=True refuses every write path with a storage error; reads still work."""
    with SqliteStore(path, readonly=True) as readonly:
        error = assert_rejected(path, "storage", lambda: WRITES[write](readonly))
        assert "read-only" in str(error)
        assert readonly.runs.head_seq(RUN_ID) == 5
        assert readonly.verify().ok


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_file_is_a_storage_error(store: SqliteStore, path: Path) -> None:
    """A file the process may not write gives a storage error (on open or on write), never a bare sqlite3 error."""
    store.close()
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        if path.with_name(name).exists():
            path.with_name(name).chmod(0o444)
    try:
        with pytest.raises(StorageError), SqliteStore(path) as opened:
            WRITES["experience"](opened)
    finally:
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            if path.with_name(name).exists():
                path.with_name(name).chmod(0o644)


@pytest.mark.parametrize("write", list(WRITES))
def test_locked_file_times_out_then_recovers(store: SqliteStore, path: Path, write: str) -> None:
    """A write while another connection holds BEGIN IMMEDIATE fails after busy_timeout with a storage error saying locked; it succeeds once released."""
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with SqliteStore(path, busy_timeout=0.2) as waiting:
            started = time.monotonic()
            error = assert_rejected(path, "storage", lambda: WRITES[write](waiting))
            waited = time.monotonic() - started
            assert "locked" in str(error)
            assert 0.15 <= waited < 5, waited
            assert waiting.runs.head_seq(RUN_ID) == 5  # readers are not blocked (WAL)
            holder.execute("ROLLBACK")
            WRITES[write](waiting)
            assert waiting.verify().ok


@pytest.mark.parametrize("readonly", [False, True], ids=["writable", "readonly"])
def test_missing_directory_is_a_storage_error(tmp_path: Path, readonly: bool) -> None:
    """Opening a path in a directory that does not exist is a storage error and creates nothing."""
    target = tmp_path / "no" / "such" / "dir" / "ledger.db"
    with pytest.raises(StorageError):
        SqliteStore(target, readonly=readonly)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("readonly", [False, True], ids=["writable", "readonly"])
@pytest.mark.parametrize(
    "content", [os.urandom(8192), b"SQLite format 3\x00" + os.urandom(4080)], ids=["random", "fake-header"]
)
def test_foreign_file_is_a_storage_error(tmp_path: Path, readonly: bool, content: bytes) -> None:
    """Opening a file that is not a SQLite database is a storage error and leaves its bytes alone."""
    target = tmp_path / "ledger.db"
    target.write_bytes(content)
    with pytest.raises(StorageError):
        SqliteStore(target, readonly=readonly)
    assert target.read_bytes() == content


def test_readonly_open_of_missing_or_empty_file(tmp_path: Path) -> None:
    """readonly=True on a missing file or a file ledgerspec never initialised is a storage error."""
    with pytest.raises(StorageError, match="does not exist"):
        SqliteStore(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(StorageError, match="not a ledgerspec ledger"):
        SqliteStore(tmp_path / "empty.db", readonly=True)


# == 8. migrations ===============================================================================


def raw_database(path: Path) -> Database:
    """The file through sqlite-utils, connected as the store connects (autocommit, explicit BEGIN)."""
    return Database(sqlite3.connect(path, isolation_level=None))


def index_names(path: Path) -> set[str]:
    return {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'index'")}


@pytest.mark.parametrize("readonly", [False, True], ids=["writable", "readonly"])
def test_newer_format_is_refused_untouched(store: SqliteStore, path: Path, readonly: bool) -> None:
    """A file at a format version newer than MIGRATIONS is refused with a storage error naming it, and not modified."""
    store.close()
    newer = len(MIGRATIONS) + 1
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO ledgerspec_schema(version) VALUES (?)", (newer,))
    image, checksum = path.read_bytes(), ledger_checksum(path)
    with pytest.raises(StorageError) as caught:
        SqliteStore(path, readonly=readonly)
    assert f"version {newer}" in str(caught.value)
    assert path.read_bytes() == image
    assert ledger_checksum(path) == checksum


def test_failed_open_releases_the_file(store: SqliteStore, path: Path) -> None:
    """A refused open closes its connection at once, even while the caller still holds the error."""
    store.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO ledgerspec_schema(version) VALUES (?)", (len(MIGRATIONS) + 1,))
    with pytest.raises(StorageError) as caught:
        SqliteStore(path)
    assert caught.value.code == "storage"  # the error (and its traceback) is still alive, as in a caller logging it
    with closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as probe:
        # leaving WAL mode needs every other connection closed
        assert probe.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)


def test_extra_migration_keeps_data_and_bumps_version(store: SqliteStore, path: Path) -> None:
    """An added migration runs once on an existing file with data: rows intact, version bumped, then refused by older code."""
    store.close()
    before = ledger_checksum(path, schema=False)

    def add_index(db: Database) -> None:
        db["experience_events"].create_index(["kind", "occurred_at"], index_name="idx_test_extra")  # type: ignore[union-attr]

    db = raw_database(path)
    try:
        assert migrate(db, [*MIGRATIONS, add_index]) == len(MIGRATIONS) + 1
        assert migrate(db, [*MIGRATIONS, add_index]) == len(MIGRATIONS) + 1  # applied once
        assert file_version(db) == len(MIGRATIONS) + 1
    finally:
        db.conn.close()
    assert "idx_test_extra" in index_names(path)
    assert ledger_checksum(path, schema=False) == before
    assert chain_problems(path) == []
    with pytest.raises(StorageError, match=f"version {len(MIGRATIONS) + 1}"):
        SqliteStore(path)


def _fail_after_sqlite_utils_work(db: Database) -> None:
    db["scratch"].create({"id": int, "name": str}, pk="id")  # type: ignore[union-attr]
    db["scratch"].insert_all([{"id": i, "name": f"n{i}"} for i in range(3)])  # type: ignore[union-attr]
    db.execute("CREATE TABLE raw_scratch (a)")
    if db["experience_events"].exists():
        db["experience_events"].create_index(["kind", "occurred_at"], index_name="idx_scratch")  # type: ignore[union-attr]
    raise RuntimeError("migration failed halfway")


def _fail_on_sql_error(db: Database) -> None:
    db["scratch"].create({"id": int}, pk="id")  # type: ignore[union-attr]
    db.execute("CREATE TABLE ledgerspec_schema (version INTEGER)")  # exists: sqlite3.OperationalError


@pytest.mark.parametrize("failing", [_fail_after_sqlite_utils_work, _fail_on_sql_error], ids=["raises", "sql-error"])
@pytest.mark.parametrize("start", ["v1-with-data", "fresh"])
def test_failing_migration_leaves_the_old_version(path: Path, start: str, failing: Callable[[Database], None]) -> None:
    """A migration that fails halfway is rolled back whole: old version, no partial tables or indexes, data intact."""
    if start == "fresh":
        steps, version = [failing], 0
        sqlite3.connect(path).close()
    else:
        with SqliteStore(path) as opened:
            seed(opened)
        steps, version = [*MIGRATIONS, failing], len(MIGRATIONS)
    tables_before = {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    checksum = ledger_checksum(path) if start != "fresh" else None
    db = raw_database(path)
    try:
        with pytest.raises((RuntimeError, sqlite3.OperationalError)) as caught:
            migrate(db, steps)
        assert "migration failed halfway" in str(caught.value) or "already exists" in str(caught.value)
        assert not db.conn.in_transaction
        assert file_version(db) == version
    finally:
        db.conn.close()
    tables_after = {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables_after == tables_before
    assert not {"scratch", "raw_scratch"} & tables_after
    assert "idx_scratch" not in index_names(path)
    if checksum is not None:
        assert ledger_checksum(path) == checksum
        with SqliteStore(path) as reopened:
            assert reopened.verify().ok
