"""`ledgerspec store` against PostgreSQL: every command takes a `postgresql://` URL where it takes a
SQLite path, and `store copy` moves a ledger between the backends byte for byte, both ways.

Expected bytes come from the SQLite side, which `tests/test_cli_store.py` checks against the
wire-format reference; here the claim is that PostgreSQL holds and gives back exactly the same."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from ledger_documents import RUN, envelope, journal_record, run_event
from test_cli_store import run

from ledgerspec.models import mfm
from ledgerspec.store import SqliteStore


@pytest.fixture
def pg_ledger(pg_url: str) -> Iterator[str]:
    """The URL of a schema of its own (created by the test's first write), dropped afterwards."""
    import psycopg

    schema = f"ledgerspec_cli_{uuid.uuid4().hex[:12]}"
    yield f"{pg_url}?schema={schema}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Path:
    """A SQLite ledger holding every kind of document: envelopes of two tenants, interleaved run
    events of two runs, journal records and two artifacts."""
    path = tmp_path / "source.db"
    other_run = "0b0e2f5c-8c2d-4a57-9b7e-3f1d2c4b5a69"
    with SqliteStore(path) as store:
        store.experience.append_events([envelope(f"e{i}", tenant="a" if i % 3 else "b") for i in range(1, 1201)])
        for seq in range(1, 4):
            store.runs.append(RUN, seq - 1, [run_event(seq)])
            store.runs.append(other_run, seq - 1, [run_event(seq, run=other_run)])
        store.journal.append_all([journal_record(seq) for seq in range(1, 5)])
        store.artifacts.put(mfm.ArtifactKindOther(Other="blob"), b"first")
        store.artifacts.put(list(mfm.ArtifactKindUnit)[0], b"second")
    return path


def _export(location: str | Path) -> bytes:
    code, out, err = run("store", "export", location)
    assert code == 0, err
    return out.encode()


def _heads(verify_output: str) -> dict[str, str]:
    return {line.split(":")[0]: line.rsplit("head ", 1)[1].split()[0] for line in verify_output.splitlines()}


def test_every_store_command_takes_a_url(pg_ledger: str, tmp_path: Path) -> None:
    """init, append, query, verify, export, import and stats work on a PostgreSQL schema."""
    code, out, _ = run("store", "init", pg_ledger)
    assert code == 0 and "created" in out and "format version 3" in out
    code, out, _ = run("store", "init", pg_ledger)
    assert code == 0 and "already initialised" in out

    lines = "".join(json.dumps(envelope(f"q{i}", tenant="a" if i % 2 else "b")) + "\n" for i in range(10))
    code, out, err = run("store", "append", pg_ledger, "-", stdin=lines)
    assert code == 0, err
    assert "appended 10 document(s), 0 already present" in out

    code, out, _ = run("store", "query", pg_ledger, "--tenant", "a", "--limit", "3", "--format", "json")
    assert code == 0
    assert [json.loads(line)["event_id"] for line in out.splitlines()] == ["q1", "q3", "q5"]

    code, out, _ = run("store", "verify", pg_ledger)
    assert code == 0 and "experience_events: 10 row(s)" in out

    exported = tmp_path / "export.jsonl"
    assert run("store", "export", pg_ledger, "-o", exported)[0] == 0
    code, out, _ = run("store", "import", pg_ledger, exported)
    assert code == 0 and "appended 0 document(s), 10 already present" in out

    code, out, _ = run("store", "stats", pg_ledger, "--format", "json")
    stats = json.loads(out)
    assert code == 0 and stats["rows"]["experience_events"] == 10 and stats["tenants"] == 2


def test_copy_sqlite_to_postgres_and_back_is_byte_exact(sqlite_ledger: Path, pg_ledger: str, tmp_path: Path) -> None:
    """SQLite -> PostgreSQL -> SQLite: the exports are identical bytes, every table's head chain
    value matches the one computed by hand from the source's documents, and verify passes on all
    three; copying again adds nothing."""
    code, out, err = run("store", "copy", sqlite_ledger, pg_ledger)
    assert code == 0, err
    assert out.count("matches") == 4 and "DIFFERS" not in out
    back = tmp_path / "back.db"
    code, out, err = run("store", "copy", pg_ledger, back)
    assert code == 0, err

    source = _export(sqlite_ledger)
    assert _export(pg_ledger) == source and _export(back) == source

    chain = bytes(32)
    for line in source.splitlines()[:1200]:  # the experience envelopes come first in an export
        chain = hashlib.sha256(chain + hashlib.sha256(line).digest()).digest()
    for location in (sqlite_ledger, pg_ledger, back):
        code, out, _ = run("store", "verify", location)
        assert code == 0
        assert _heads(out)["experience_events"] == chain.hex()
        assert "artifacts: 2 row(s)" in out and "run_events: 6 row(s)" in out

    code, out, _ = run("store", "copy", sqlite_ledger, pg_ledger)
    assert code == 0 and "appended 0 document(s), 1210 already present" in out


def test_copy_into_a_different_ledger_is_refused_as_not_a_copy(sqlite_ledger: Path, pg_ledger: str) -> None:
    """A destination that already holds other documents ends with other heads: exit 1, and the
    message says it is not a copy (nothing of the destination is removed)."""
    other = json.dumps(envelope("elsewhere")) + "\n"
    assert run("store", "append", pg_ledger, "-", stdin=other)[0] == 0
    code, out, err = run("store", "copy", sqlite_ledger, pg_ledger)
    assert code == 1
    assert "DIFFERS" in out and "is not a copy of" in err
    code, out, _ = run("store", "query", pg_ledger, "--limit", "1", "--format", "json")
    assert json.loads(out)["event_id"] == "elsewhere"


def test_reading_a_schema_without_a_ledger_is_a_usage_error(pg_ledger: str) -> None:
    """Read commands never create a schema: a URL naming an empty schema exits 2."""
    for command in ("query", "verify", "export", "stats"):
        code, out, err = run("store", command, pg_ledger)
        assert code == 2 and out == "" and "no ledger in that schema" in err


def test_a_password_never_reaches_the_output(pg_ledger: str) -> None:
    """Messages name the database without the URL's password."""
    parts = urlsplit(pg_ledger)
    with_password = urlunsplit(parts._replace(netloc=f"{parts.username}:s3cret-pw@{parts.hostname}:{parts.port}"))
    code, out, err = run("store", "stats", with_password)
    assert code == 2 and "s3cret-pw" not in out + err and "***" in err
