"""A PostgreSQL outage, end to end: a server that is down before a command starts, one stopped in
the middle of a long `ledgerspec store append`, and the Python API on both. Each gives one clear
error, once, at once (`ledgerspec: storage: URL schema S: cannot connect to the server: connection
refused`, exit 1), with no psycopg or psycopg_pool log line; a ledger cut by the outage holds
whole batches and verifies once the server is back.

The tests that stop a server start a throwaway cluster of their own (`.ci/postgres start DIR`,
about a second), so the server every other test uses stays up."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ledger_documents import envelope

from ledgerspec.errors import TransientError

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "ledgerspec"
REFUSED = "cannot connect to the server: connection refused"
SHUTTING_DOWN = "cannot connect to the server: the database system is shutting down"
"""libpq's reason for a connection made while the server stops (seen under load in CI)."""
LOST = "the connection to the server failed"
BATCH = 1000
DOCUMENTS = 50_000
"""Envelopes of the append the outage cuts: some seconds of work (validation dominates), of which
the test lets two batches commit before it stops the server."""


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ledgerspec(*argv: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """The console script run to its end, and how long it took."""
    started = time.monotonic()
    done = subprocess.run([str(SCRIPT), *argv], capture_output=True, text=True, timeout=60, check=False)
    return done, time.monotonic() - started


def assert_one_error(code: int, stderr: str, *expected: str) -> str:
    """Exit 1 and a standard error of exactly one `ledgerspec: storage:` line holding `expected`
    (no log line, no second error); the line."""
    lines = stderr.splitlines()
    assert code == 1, stderr
    assert len(lines) == 1 and lines[0].startswith("ledgerspec: storage: "), lines
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def psycopg_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What psycopg and psycopg_pool logged at WARNING or above while the test ran."""
    return [record.getMessage() for record in caplog.records if record.name.startswith("psycopg")]


def pool_threads(schema: str) -> list[str]:
    """The live threads of a store's connection pool (psycopg_pool names them after the pool)."""
    return [thread.name for thread in threading.enumerate() if thread.name.startswith(f"ledgerspec {schema}-")]


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster the test may stop and start again."""

    directory: Path
    url: str

    def ci(self, command: str, check: bool = True) -> None:
        # `restart` also starts a stopped server (pg_ctl says so on stderr, hence capture_output).
        subprocess.run([str(REPO / ".ci" / "postgres"), command, str(self.directory)], check=check, capture_output=True)

    def stop(self, check: bool = True) -> None:
        self.ci("stop", check)

    def start(self) -> None:
        self.ci("restart")

    def rows(self, schema: str) -> int:
        """The experience rows of `schema`, through a connection of the test's own (0 before the
        table exists)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".experience_events']).fetchone()
            if exists != (True,):
                return 0
            counted = conn.execute(f'SELECT count(*) FROM "{schema}".experience_events'.encode()).fetchone()
            return int(counted[0]) if counted else 0


@pytest.fixture(scope="module")
def cluster(pg_url: str) -> Iterator[Cluster]:
    """A cluster of this module's own (in a directory under /tmp, which the server's user can
    reach), stopped and removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="ledgerspec-outage-"))
    try:
        subprocess.run([str(REPO / ".ci" / "postgres"), "start", str(directory)], check=True, capture_output=True)
        env = dict(line.split("=", 1) for line in (directory / "env").read_text().splitlines() if "=" in line)
        found = Cluster(directory, env["LEDGERSPEC_PG_URL"])
        yield found
        found.stop(check=False)  # already stopped if a test failed before starting it again
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def refused_url(pg_url: str) -> str:
    """A URL, with a password, of a loopback port nothing listens on: a server that is down."""
    return f"postgresql://ledgerspec:s3cret@127.0.0.1:{closed_port()}/ledgerspec?schema=outage"


# == the server is down before the command starts ================================================


@pytest.mark.parametrize("command", ["stats", "verify", "append", "init"])
def test_command_on_a_down_server_prints_one_error_at_once(refused_url: str, tmp_path: Path, command: str) -> None:
    """Every store command names the redacted URL and says the connection was refused, in one
    line, well within a second or two (no pool timeout waited out)."""
    documents = tmp_path / "events.jsonl"
    documents.write_text(json.dumps(envelope("evt-1")) + "\n")
    done, took = ledgerspec("store", command, refused_url, *([str(documents)] if command == "append" else []))
    port = urlsplit(refused_url).port
    line = assert_one_error(done.returncode, done.stderr, f"postgresql://ledgerspec:***@127.0.0.1:{port}/", REFUSED)
    assert "s3cret" not in line
    assert took < 5, took


def test_opening_a_store_on_a_down_server_raises_at_once(refused_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """`PostgresStore(url)` raises a retryable TransientError saying the connection was refused,
    at once and with nothing logged."""
    from ledgerspec.store.postgres import PostgresStore

    caplog.set_level(logging.WARNING, logger="psycopg")
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        PostgresStore(refused_url)
    assert time.monotonic() - started < 2
    assert caught.value.retryable and REFUSED in str(caught.value)
    assert psycopg_logs(caplog) == []


# == the server goes away under an open store ====================================================


def test_calls_after_the_server_went_away_fail_at_once_then_recover(
    cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    """On a store whose server was stopped, each call (the first finds its pooled connection cut)
    raises a retryable TransientError saying the connection is refused, at once; the pool is
    closed rather than left reconnecting in the background, and nothing is logged. Once the
    server is back the same store object works again."""
    from ledgerspec.store.postgres import PostgresStore

    caplog.set_level(logging.WARNING, logger="psycopg")
    schema = f"outage_{uuid.uuid4().hex[:12]}"
    store = PostgresStore(cluster.url, schema=schema)
    try:
        store.experience.append_events([envelope("before-1"), envelope("before-2")])
        cluster.stop()
        try:
            for call in (store.counts, lambda: store.experience.append_events([envelope("during")]), store.verify):
                started = time.monotonic()
                with pytest.raises(TransientError) as caught:
                    call()
                assert time.monotonic() - started < 2
                assert caught.value.retryable and REFUSED in str(caught.value), str(caught.value)
                assert pool_threads(schema) == []  # no pool left retrying in the background
        finally:
            cluster.start()
        assert store.counts()["experience_events"] == 2
        assert store.experience.append_events([envelope("after")]) == 1
        assert store.verify().ok
    finally:
        store.close()
    assert psycopg_logs(caplog) == []


def test_append_cut_by_an_outage_prints_one_error_and_keeps_whole_batches(cluster: Cluster, tmp_path: Path) -> None:
    """`ledgerspec store append` of 50,000 envelopes, the server stopped once two batches have
    committed: the command ends within seconds of the stop with exit 1 and one error line (the
    write in progress lost its connection, or the next one could not connect: refused, or made
    while the server was shutting down), nothing else. After
    a restart the ledger holds a whole number of batches and `store verify` passes."""
    schema = f"outage_{uuid.uuid4().hex[:12]}"
    url = f"{cluster.url}?schema={schema}"
    documents = tmp_path / "events.jsonl"
    documents.write_text("".join(json.dumps(envelope(f"evt-{i}")) + "\n" for i in range(DOCUMENTS)))
    command = [str(SCRIPT), "store", "append", url, str(documents), "--batch", str(BATCH)]
    append = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while cluster.rows(schema) < 2 * BATCH:
            assert append.poll() is None, append.communicate()
            assert time.monotonic() < deadline, "the append did not commit two batches"
            time.sleep(0.01)
        stopped = time.monotonic()
        cluster.stop()
        _, stderr = append.communicate(timeout=60)
        took = time.monotonic() - stopped
    finally:
        if append.poll() is None:
            append.kill()
        cluster.start()
    # One error, then the load's own account of what it wrote (whole batches only), and nothing else.
    *error, account = stderr.splitlines()
    line = assert_one_error(append.returncode, "\n".join(error), f"{cluster.url} schema {schema}: ")
    assert LOST in line or REFUSED in line or SHUTTING_DOWN in line, line
    assert took < 5, took

    rows = cluster.rows(schema)
    assert 2 * BATCH <= rows < DOCUMENTS and rows % BATCH == 0, rows
    assert account == f"ledgerspec: stopped after appending {rows} document(s) (whole batches only)", account
    done, _ = ledgerspec("store", "verify", url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"experience_events: {rows} row(s)" in done.stdout
