"""Ledger integrity on a SQLite file: what raw SQL can do to a ledger behind ledgerspec's back, and
how each is caught. Rows are written through a separate sqlite3 connection, hashed and chained as
a store chains them (so the hash chain alone finds nothing wrong), then:

- a poisoned row (a document typed TEXT, not JSON, JSON that is no envelope, an envelope the
  schema refuses, bytes not in canonical form, a hash typed TEXT) is reported by `verify` with
  its table, position and reason, every table to the end, and every read path raises a
  `CorruptionError` naming it, never a traceback; `store copy` names the row that blocks it;
- skipped positions, dropped, changed or extra triggers are reported by `verify`;
- a checkpoint catches rows cut from the end and a re-chained rewrite, which `verify` alone
  cannot see on SQLite; its HMAC catches a forged checkpoint;
- `init`/`append` leave a SQLite database that is not a ledger byte for byte untouched;
- the read-only commands read a ledger whose directory the reader cannot write.

Expected values are computed here with hashlib, json and sqlite3, never by ledgerspec."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from store_helpers import (
    JOURNAL_RUN,
    LEDGER_TABLES,
    RUN_ID,
    envelope,
    journal_record,
    mfm_event,
    seed,
    trace_envelope,
)
from test_cli_store import run

from ledgerspec.errors import LedgerspecError, StorageError
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore

ALL = converge.EventQuery(kinds=[])


def canonical(value: Any) -> bytes:
    """RFC 8785 bytes of an ASCII, float-free JSON value: sorted keys, no whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def experience_columns(event_id: str) -> dict[str, Any]:
    """The indexed columns of `store_helpers.envelope(event_id)`, written out by hand."""
    return {
        "event_id": event_id,
        "kind": "BudgetExceeded",
        "tenant_id": "tenant-a",
        "correlation_id": "corr-1",
        "chain_id": "chain-1",
        "occurred_at": "2026-01-21T12:00:00Z",
    }


COLUMNS = {
    "experience_events": experience_columns("poison"),
    "run_events": {"run_id": RUN_ID, "seq": 6, "kind": "Kernel.RunStarted", "ts_millis": 6},
    "journal_records": {"run_id": JOURNAL_RUN, "journal_seq": 6, "record_id": "poison", "record_kind": "x"},
}
"""Columns of a row appended after `seed`'s five, one per JSON ledger."""


def raw_append(
    path: Path,
    table: str,
    columns: dict[str, Any],
    document: bytes | str,
    *,
    position: int | None = None,
    digest: Any = None,
) -> int:
    """Insert a row after a table's last one through a separate sqlite3 connection, its hash and
    chain value computed as a store computes them (over the document's UTF-8 when it is text),
    at `position` (the next one by default), with `digest` stored in place of the hash when
    given. Returns the row's position."""
    order = LEDGER_TABLES[table]
    data = document.encode() if isinstance(document, str) else document
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        last = conn.execute(f"SELECT {order}, chain FROM {table} ORDER BY {order} DESC LIMIT 1").fetchone()
        previous, chain = (0, bytes(32)) if last is None else last
        actual = hashlib.sha256(data).digest()
        row = {
            order: previous + 1 if position is None else position,
            **columns,
            "document": document,
            "hash": actual if digest is None else digest,
            "chain": hashlib.sha256(chain + actual).digest(),
        }
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        return int(row[order])


def poisoned_envelope() -> dict[str, Any]:
    """`envelope("poison")` with a resource no schema knows: same columns, invalid document."""
    document = envelope("poison")
    document["event"]["data"]["resource"] = "Bananas"
    return document


POISON: dict[str, tuple[Any, Any, str]] = {
    "document-as-text": (canonical(envelope("poison")).decode(), None, "document is text, not bytes"),
    "not-json": (b"\x00 not json", None, "document is not JSON"),
    "json-array": (b"[1,2]", None, "not a valid converge.ExperienceEventEnvelope"),
    "not-an-envelope": (b'{"a":1}', None, "not a valid converge.ExperienceEventEnvelope"),
    "schema-invalid": (canonical(poisoned_envelope()), None, "not a valid converge.ExperienceEventEnvelope"),
    "not-canonical": (json.dumps(envelope("poison"), indent=1).encode(), None, "not in the canonical"),
    "hash-as-text": (canonical(envelope("poison")), "0" * 64, "hash is text, not bytes"),
}
"""Poisoned experience rows: the document, the hash stored instead of the real one (None: the
real one) and what verify must say."""
UNREADABLE = ["document-as-text", "not-json", "json-array", "not-an-envelope", "schema-invalid"]
"""The poisons a reader of the row cannot use."""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def seeded(path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(path) as store:
        seed(store)
        yield store


def problems(store: SqliteStore, **options: Any) -> dict[str, list[Any]]:
    """The broken rows verify lists per table, after checking none of its calls raised."""
    report = store.verify(**options)
    return {t.table: list(t.problems) for t in report.tables}


# == poisoned rows ================================================================================


@pytest.mark.parametrize("poison", list(POISON))
def test_verify_reports_a_poisoned_row_and_goes_on(seeded: SqliteStore, path: Path, poison: str) -> None:
    """A poisoned row at position 6, then an intact one: verify names row 6 with its reason
    (and nothing else), checks every table to the end, and does not raise."""
    document, digest, reason = POISON[poison]
    raw_append(path, "experience_events", COLUMNS["experience_events"], document, digest=digest)
    seeded.experience.append_event(envelope("after"))
    report = seeded.verify()
    assert not report.ok
    found = {t.table: t for t in report.tables}
    assert [t.table for t in report.tables if t.found] == ["experience_events"]
    table = found["experience_events"]
    assert table.rows == 7 and table.found == 1
    (broken,) = table.problems
    assert (broken.table, broken.position, broken.key) == ("experience_events", 6, {"event_id": "poison"})
    assert reason in broken.reason
    assert all(found[name].rows == 5 for name in ("run_events", "artifacts", "journal_records"))


def test_a_poisoned_row_with_the_latest_time_is_reported_alone(seeded: SqliteStore, path: Path) -> None:
    """The running maximum of `occurred_at` follows a row whose document is not an envelope by
    the time its row holds: only that row is reported, not every row after it (a probe saw a
    false problem on each later row)."""
    later = {
        **experience_columns("poison"),
        "occurred_at": "2030-01-01T00:00:00Z",
        "max_occurred_at": "2030-01-01T00:00:00Z",
    }
    raw_append(path, "experience_events", later, b"not json")
    seeded.experience.append_event(envelope("after"))
    table = next(t for t in seeded.verify().tables if t.table == "experience_events")
    assert [problem.position for problem in table.problems] == [6], table.problems


def test_verify_tells_canonical_numbers_from_others(seeded: SqliteStore, path: Path) -> None:
    """Floats in a stored document: the store's own canonical bytes (`0.7`, `1` for 1.0) verify;
    the same document with `1.0` and `0.70` written out is reported as not canonical."""
    stored = trace_envelope("trace-1", "link-1", "model")
    stored["event"]["data"]["trace_link"]["temperature"] = 0.7
    seeded.experience.append_event(stored)
    assert seeded.verify().ok
    text = canonical(dict(stored, event_id="trace-2")).replace(b'"temperature":0.7', b'"temperature":0.70')
    assert b'"top_p":1.0' in text and b'"temperature":0.70' in text
    columns = {**experience_columns("trace-2"), "kind": "ReplayTraceRecorded", "chain_id": None}
    columns.update(trace_link_id="link-1", correlation_id=None)
    raw_append(path, "experience_events", columns, text)
    (broken,) = problems(seeded)["experience_events"]
    assert broken.position == 7 and "not in the canonical (RFC 8785) form" in broken.reason


@pytest.mark.parametrize("poison", UNREADABLE)
def test_reads_of_a_poisoned_row_are_corruption_errors(seeded: SqliteStore, path: Path, poison: str) -> None:
    """query_events, query_documents and export of a ledger holding the row raise a
    CorruptionError naming the table and position (export only when the row is not bytes:
    it hands out stored bytes as they are), query_documents with query_events' words."""
    document, _, _ = POISON[poison]
    raw_append(path, "experience_events", COLUMNS["experience_events"], document)
    reads = [lambda: seeded.experience.query_events(ALL), lambda: seeded.experience.query_documents(ALL)]
    if isinstance(document, str):
        reads.append(lambda: list(seeded.export()))
    messages = []
    for read in reads:
        with pytest.raises(LedgerspecError) as caught:
            read()
        assert caught.value.code == "corruption" and "experience_events row 6" in str(caught.value)
        messages.append(str(caught.value))
    assert messages[1] == messages[0]  # query_documents' quick check gives query_events' reason


def test_export_refuses_a_document_that_would_split_its_line(seeded: SqliteStore, path: Path) -> None:
    """Export writes stored bytes as they are, one per line: a stored document holding a line
    break would become two lines, so export (and `store export`) stop there with corruption."""
    raw_append(path, "journal_records", COLUMNS["journal_records"], b'{"a":\n1}')
    code, out, err = run("store", "export", path)
    assert code == 1 and "ledgerspec: corruption: journal_records row 6: document holds a line break" in err
    with pytest.raises(LedgerspecError) as caught:
        list(seeded.export())
    assert caught.value.code == "corruption" and "journal_records row 6" in str(caught.value)


@pytest.mark.parametrize("table", ["run_events", "journal_records"])
@pytest.mark.parametrize("document", [b"\xff\xfe", b'{"a":1}', "[]"], ids=["not-json", "foreign", "text"])
def test_run_and_journal_reads_of_a_poisoned_row(seeded: SqliteStore, path: Path, table: str, document: Any) -> None:
    """read_range and journal.read over a poisoned row raise CorruptionError naming it; verify
    names it too."""
    raw_append(path, table, COLUMNS[table], document)
    read = (
        (lambda: seeded.runs.read_range(RUN_ID, 1))
        if table == "run_events"
        else (lambda: seeded.journal.read(JOURNAL_RUN, 1))
    )
    with pytest.raises(LedgerspecError) as caught:
        read()
    assert caught.value.code == "corruption" and f"{table} row 6" in str(caught.value)
    assert [b.position for b in problems(seeded)[table]] == [6]


@pytest.mark.parametrize("poison", ["content-as-text", "kind-not-json"])
def test_artifact_reads_of_a_poisoned_row(seeded: SqliteStore, path: Path, poison: str) -> None:
    """An artifact row whose bytes are text, or whose kind is not an ArtifactKind's JSON: `get`
    (for the bytes) and `stored` (what copy reads) raise CorruptionError naming the row, and
    verify names it."""
    content = b"forged"
    artifact_id = hashlib.sha256(content).hexdigest()
    kind, stored = ('"Output"', content.decode()) if poison == "content-as-text" else ("{", content)
    raw_append(path, "artifacts", {"artifact_id": artifact_id, "kind": kind, "size": len(content)}, stored)
    reads = [lambda: list(seeded.artifacts.stored())]
    if poison == "content-as-text":
        reads.append(lambda: seeded.artifacts.get(artifact_id))
    assert [b.position for b in problems(seeded)["artifacts"]] == [6]
    for read in reads:
        with pytest.raises(LedgerspecError) as caught:
            read()
        assert caught.value.code == "corruption" and "artifacts row 6" in str(caught.value)


@pytest.mark.parametrize("poison", UNREADABLE)
def test_cli_reads_of_a_poisoned_row(seeded: SqliteStore, path: Path, tmp_path: Path, poison: str) -> None:
    """`store verify`, `query` (both formats) and `copy` exit 1 with a corruption message naming
    the row; copy says which source row stopped it."""
    raw_append(path, "experience_events", COLUMNS["experience_events"], POISON[poison][0])
    code, out, err = run("store", "verify", path)
    assert code == 1 and "BROKEN: experience_events row 6 (event_id='poison')" in out
    assert "ledgerspec: corruption: experience_events row 6" in err
    for form in ("json", "table"):
        code, out, err = run("store", "query", path, "--format", form)
        assert code == 1 and "ledgerspec: corruption: experience_events row 6" in err
    code, out, err = run("store", "copy", path, tmp_path / "copy.db")
    assert (
        code == 1
        and "ledgerspec: corruption: experience_events row 6" in err
        or f"{path} experience_events row 6" in err
    )
    assert "ledgerspec: stopped after appending" in err


def test_copy_names_the_schema_invalid_source_row_that_blocks_it(
    seeded: SqliteStore, path: Path, tmp_path: Path
) -> None:
    """A source row the destination's checks refuse is named by its table and position."""
    raw_append(path, "experience_events", COLUMNS["experience_events"], POISON["schema-invalid"][0])
    code, _, err = run("store", "copy", path, tmp_path / "copy.db")
    assert code == 1 and f"ledgerspec: {path} experience_events row 6: invalid_input: " in err


def test_verify_lists_at_most_max_problems(seeded: SqliteStore, path: Path) -> None:
    """Three poisoned rows: verify counts all three whatever it lists, and the CLI says how many
    it left out."""
    for number in range(3):
        raw_append(path, "experience_events", experience_columns(f"poison-{number}"), b"not json")
    report = seeded.verify(max_problems=2)
    (table,) = [t for t in report.tables if t.found]
    assert table.found == 3 and [b.position for b in table.problems] == [6, 7]
    code, out, err = run("store", "verify", path, "--max-problems", "1")
    assert code == 1 and out.count("BROKEN") == 1 and "... and 2 more broken row(s)" in out
    assert "3 problem(s)" in err


# == positions and triggers =======================================================================


def test_verify_reports_skipped_positions(seeded: SqliteStore, path: Path) -> None:
    """A correctly chained row moved forward to position 9: verify reports the gap once, at that
    row, and rows appended after it are not reported again."""
    raw_append(path, "experience_events", experience_columns("late"), canonical(envelope("late")), position=9)
    seeded.experience.append_event(envelope("after"))
    (broken,) = problems(seeded)["experience_events"]
    assert broken.position == 9 and "position 9 where 6 was expected" in broken.reason


def test_verify_reports_a_run_or_journal_numbered_past_a_gap(seeded: SqliteStore, path: Path) -> None:
    """A valid run event with seq 8 and a journal record with journal_seq 9, each the next row of
    its table (no position skipped) after seqs 1..5: verify reports each number gap."""
    event = mfm_event(RUN_ID, 8)
    raw_append(path, "run_events", {**COLUMNS["run_events"], "seq": 8, "ts_millis": 8}, canonical(event))
    record = journal_record(9)
    names = ("run_id", "journal_seq", "record_id", "record_kind", "idempotency_key", "dedupe_key")
    raw_append(path, "journal_records", {name: record.get(name) for name in names}, canonical(record))
    found = problems(seeded)
    (event_break,) = found["run_events"]
    assert event_break.position == 6 and f"seq 8 of run_id '{RUN_ID}' where 6 was expected" in event_break.reason
    (record_break,) = found["journal_records"]
    assert record_break.position == 6 and "journal_seq 9 of run_id 'run.journal.1' where 6" in record_break.reason


def test_verify_reports_a_row_the_write_rules_refuse(seeded: SqliteStore, path: Path) -> None:
    """A schema-valid, canonical, correctly chained row that ledgerspec's own write rules refuse
    (an event_id outside the id characters, docs/design.md "Envelope ids"; a journal record of a
    journal_schema_version this store does not read) is reported (a probe found both verified)."""
    bad = envelope("bad id!")
    raw_append(
        path,
        "experience_events",
        {**experience_columns("bad id!"), "max_occurred_at": "2026-01-21T12:00:00Z"},
        canonical(bad),
    )
    record = journal_record(6) | {"journal_schema_version": 2}
    names = ("run_id", "journal_seq", "record_id", "record_kind", "idempotency_key", "dedupe_key")
    raw_append(path, "journal_records", {name: record.get(name) for name in names}, canonical(record))
    found = problems(seeded)
    (event,) = found["experience_events"]
    assert event.position == 6 and "event_id 'bad id!' has ' ' at offset 3" in event.reason
    (journal,) = found["journal_records"]
    assert journal.position == 6 and "journal_schema_version is 2" in journal.reason


def artifact_key(number: int) -> dict[str, str]:
    """The key verify names `seed`'s artifact `number` by: the SHA-256 hex of its bytes."""
    return {"artifact_id": hashlib.sha256(f"artifact-{number}".encode()).hexdigest()}


def test_verify_reports_a_changed_artifact_kind(seeded: SqliteStore, path: Path) -> None:
    """An artifact's kind is no document's field: the hash chain covers it (format 3), so a
    valid but different kind written over a stored one is reported at its row (a probe found it
    verified), and `store verify` exits 1."""
    with triggers_dropped(path, "artifacts") as conn:
        conn.execute("""UPDATE artifacts SET kind = '{"Other":"forged"}' WHERE id = 2""")
    (broken,) = problems(seeded)["artifacts"]
    assert (broken.position, broken.key) == (2, artifact_key(2))
    assert (
        broken.reason == "hash chain broken (its kind was changed, or a row before it was changed, removed or inserted)"
    )
    code, out, _ = run("store", "verify", path)
    assert code == 1 and "BROKEN: artifacts row 2" in out


def unsealed_artifact(path: Path, content: bytes) -> None:
    """Append an artifact chained over its hash alone, as every artifact was before format 3."""
    columns = {"artifact_id": hashlib.sha256(content).hexdigest(), "kind": '"Output"', "size": len(content)}
    raw_append(path, "artifacts", columns, content)  # chained as sha256(previous + hash)


def test_an_artifact_chained_without_its_kind_is_not_claimed(path: Path) -> None:
    """Rows chained over their hash alone (as every artifact was before format 3) verify, but
    verify says their kind is covered by no hash rather than claiming it; rows written since
    chain their kind."""
    with SqliteStore(path) as store:
        unsealed_artifact(path, b"written before format 3")
        unsealed_artifact(path, b"also before format 3")
        report = store.verify()
        assert report.ok and {t.table: t.uncovered for t in report.tables}["artifacts"] == 2
        code, out, _ = run("store", "verify", path)
        assert code == 0 and "the kind of 2 row(s) is covered by no hash" in out
        store.artifacts.put("Output", b"after")
        assert store.verify().ok


def test_an_artifact_chained_without_its_kind_after_one_chained_with_it_is_broken(
    seeded: SqliteStore, path: Path
) -> None:
    """Every row written since format 3 chains its kind, so a row chained over its hash alone
    after one that chains its kind was rewritten (its kind changed and its chain value
    recomputed the old way): a broken row, not one verify merely cannot claim."""
    unsealed_artifact(path, b"rewritten the old way")
    (broken,) = problems(seeded)["artifacts"]
    assert broken.position == 6 and "chained as before format 3, after rows that chain theirs" in broken.reason
    assert {t.table: t.uncovered for t in seeded.verify().tables}["artifacts"] == 0
    code, out, _ = run("store", "verify", path)
    assert code == 1 and "BROKEN: artifacts row 6" in out


NOT_UTF8 = {
    "experience_events": ("kind", "seq = 2", 2, {"event_id": "evt-2"}),
    "run_events": ("kind", "id = 3", 3, {"run_id": RUN_ID, "seq": 3}),
    "artifacts": ("kind", "id = 4", 4, artifact_key(4)),
    "journal_records": ("record_kind", "id = 5", 5, {"run_id": JOURNAL_RUN, "journal_seq": 5}),
}
"""A TEXT column of each table, the row made to hold bytes that are not UTF-8, its position and key."""


@pytest.mark.parametrize("table", list(NOT_UTF8))
def test_verify_reports_text_that_is_not_utf8_and_goes_on(seeded: SqliteStore, path: Path, table: str) -> None:
    """A TEXT column holding bytes that are not UTF-8 is a broken row, named by its table,
    position and key; every other row and table is still walked (verify used to stop with a
    storage error naming only the column), and `store verify` exits 1 without a traceback."""
    column, where, position, key = NOT_UTF8[table]
    with triggers_dropped(path, table) as conn:
        conn.execute(f"UPDATE {table} SET {column} = CAST(X'FF41' AS TEXT) WHERE {where}")
    report = seeded.verify()
    assert [(t.table, t.rows) for t in report.tables] == [(name, 5) for name in LEDGER_TABLES]
    (broken,) = [b for t in report.tables for b in t.problems]
    assert (broken.table, broken.position, broken.key) == (table, position, key)
    code, out, err = run("store", "verify", path)
    assert code == 1 and f"BROKEN: {table} row {position}" in out
    assert "storage" not in err and "Traceback" not in err


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


TRIGGER_TAMPERING = {
    "dropped": (["DROP TRIGGER experience_events_no_update"], "trigger experience_events_no_update is missing"),
    "changed": (
        [
            "DROP TRIGGER run_events_no_delete",
            "CREATE TRIGGER run_events_no_delete BEFORE DELETE ON run_events WHEN 0 BEGIN SELECT 1; END",
        ],
        "trigger run_events_no_delete differs",
    ),
    "extra": (
        ["CREATE TRIGGER rewrite AFTER INSERT ON journal_records BEGIN SELECT 1; END"],
        "trigger rewrite is not one ledgerspec creates",
    ),
}


@pytest.mark.parametrize("tampering", list(TRIGGER_TAMPERING))
def test_verify_reports_changed_triggers(seeded: SqliteStore, path: Path, tampering: str) -> None:
    """A dropped, changed or extra trigger on a ledger table is reported (the rows all verify)."""
    statements, message = TRIGGER_TAMPERING[tampering]
    with raw(path) as conn:
        for statement in statements:
            conn.execute(statement)
    report = seeded.verify()
    assert not report.ok and all(t.found == 0 for t in report.tables)
    assert [problem for problem in report.definitions if message in problem]
    code, out, err = run("store", "verify", path)
    assert code == 1 and f"definitions: BROKEN: {message}" in out


INDEX_TAMPERING = {
    "extra": (
        ["CREATE INDEX zz_cover ON experience_events(seq, document)"],
        "index zz_cover is not one ledgerspec creates",
    ),
    "dropped": (["DROP INDEX idx_experience_time"], "index idx_experience_time is missing"),
    "not unique": (
        [
            "DROP INDEX idx_experience_events_event_id",
            "CREATE INDEX idx_experience_events_event_id ON experience_events (event_id)",
        ],
        "index idx_experience_events_event_id differs",
    ),
}


def writable_schema(conn: sqlite3.Connection, name: str, old: str, new: str) -> None:
    """Rewrite the SQL `sqlite_master` records for `name` (`old` replaced by `new`), as
    `PRAGMA writable_schema` lets anyone holding the file do."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
    assert old in sql
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", [sql.replace(old, new), name])
    conn.execute("PRAGMA writable_schema = OFF")


TABLE_TAMPERING = {
    "collation": (
        lambda conn: writable_schema(
            conn, "experience_events", '"kind" TEXT NOT NULL', '"kind" TEXT NOT NULL COLLATE NOCASE'
        ),
        "table experience_events differs",
    ),
    "not null dropped": (
        lambda conn: writable_schema(conn, "run_events", '"run_id" TEXT NOT NULL', '"run_id" TEXT'),
        "table run_events differs",
    ),
    "view": (lambda conn: conn.execute("CREATE VIEW events AS SELECT 1"), "view events is not one ledgerspec creates"),
}


@pytest.mark.parametrize("tampering", list(TABLE_TAMPERING))
def test_verify_reports_changed_tables_and_views(seeded: SqliteStore, path: Path, tampering: str) -> None:
    """A ledger table redeclared through `writable_schema` (a collation that makes `kind = ?`
    match other cases, a NOT NULL dropped) or an object ledgerspec does not create is reported,
    as triggers and indexes are (a probe found each verified)."""
    change, message = TABLE_TAMPERING[tampering]
    with raw(path) as conn:
        change(conn)
    with SqliteStore(path, readonly=True) as reopened:
        report = reopened.verify()
    assert not report.ok and [problem for problem in report.definitions if message in problem], report.definitions


@pytest.mark.parametrize("tampering", list(INDEX_TAMPERING))
def test_verify_reports_changed_indexes(seeded: SqliteStore, path: Path, tampering: str) -> None:
    """An extra index (which could answer a read in place of the table), a dropped one (which
    window queries name) or a changed one (a unique id index made plain) is reported, as the
    triggers are (a probe found each verified)."""
    statements, message = INDEX_TAMPERING[tampering]
    with raw(path) as conn:
        for statement in statements:
            conn.execute(statement)
    report = seeded.verify()
    assert not report.ok and [problem for problem in report.definitions if message in problem], report.definitions


def test_verify_reports_an_index_that_no_longer_holds_its_tables_rows(seeded: SqliteStore, path: Path) -> None:
    """An index whose entries are not its table's rows (made stale through `writable_schema`,
    the table itself left byte for byte as it was) answers queries with rows the table does not
    hold, so verify runs SQLite's integrity check and reports it."""
    table, index = "experience_events", "idx_experience_time"
    with triggers_dropped(path, table) as conn:
        (original,) = conn.execute(f"SELECT occurred_at FROM {table} WHERE seq = 1").fetchone()
        conn.execute(f"UPDATE {table} SET occurred_at = '2030-01-01T00:00:00Z' WHERE seq = 1")
        hidden = conn.execute(
            "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?", [index]
        ).fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = ?", [index])
        conn.execute("PRAGMA writable_schema = OFF")
    with triggers_dropped(path, table) as conn:
        conn.execute(f"UPDATE {table} SET occurred_at = ? WHERE seq = 1", [original])  # the index keeps 2030
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, ?, ?)", hidden)
        conn.execute("PRAGMA writable_schema = OFF")
    with SqliteStore(path, readonly=True) as reopened:
        report = reopened.verify()
    assert all(t.found == 0 for t in report.tables)  # the rows themselves are intact
    assert not report.ok and any(problem.startswith("integrity check:") for problem in report.definitions)


def test_a_tampered_version_1_file_migrates_and_verify_names_the_tampering(seeded: SqliteStore, path: Path) -> None:
    """Opening a version-1 file whose UPDATE trigger was dropped, or that holds an index of
    someone else's, migrates it without a traceback (it used to crash), and verify then
    reports both."""
    seeded.close()
    with raw(path) as conn:
        conn.execute("ALTER TABLE experience_events DROP COLUMN max_occurred_at")
        conn.execute("DELETE FROM ledgerspec_schema WHERE version >= 2")
        conn.execute("DROP TRIGGER experience_events_no_update")
        conn.execute("CREATE INDEX zz_documents ON experience_events(document)")
    with SqliteStore(path) as migrated:
        report = migrated.verify()
    assert all(t.found == 0 for t in report.tables)
    assert "trigger experience_events_no_update is missing" in report.definitions
    assert [problem for problem in report.definitions if "index zz_documents is not one ledgerspec creates" in problem]


# == checkpoints ==================================================================================


@contextmanager
def triggers_dropped(path: Path, table: str) -> Iterator[sqlite3.Connection]:
    """A raw connection with `table`'s triggers dropped, recreated as they were afterwards (a
    careful tamperer, whom only the hash chain and checkpoints can catch)."""
    with raw(path) as conn:
        saved = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
        for name, _ in saved:
            conn.execute(f"DROP TRIGGER {name}")
        yield conn
        for _, sql in saved:
            conn.execute(sql)


def rechain(path: Path, table: str, position: int, document: bytes, columns: dict[str, Any]) -> None:
    """Rewrite one row (document and columns) and recompute the hash and chain of it and every
    row after it, the triggers dropped: a table consistent with itself, but not the one written."""
    order = LEDGER_TABLES[table]
    with triggers_dropped(path, table) as conn:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        conn.execute(
            f"UPDATE {table} SET document = ?, {assignments} WHERE {order} = ?",
            [document, *columns.values(), position],
        )
        previous = conn.execute(f"SELECT chain FROM {table} WHERE {order} = ?", (position - 1,)).fetchone()
        chain = previous[0] if previous else bytes(32)
        rows = conn.execute(f"SELECT {order}, document FROM {table} WHERE {order} >= ? ORDER BY {order}", (position,))
        for at, data in rows.fetchall():
            digest = hashlib.sha256(data).digest()
            chain = hashlib.sha256(chain + digest).digest()
            conn.execute(f"UPDATE {table} SET hash = ?, chain = ? WHERE {order} = ?", (digest, chain, at))


def take_checkpoint(path: Path, tmp_path: Path, *key: str | Path) -> Path:
    target = tmp_path / "checkpoint.json"
    code, out, err = run("store", "checkpoint", path, "-o", target, *key)
    assert code == 0, err
    return target


def test_checkpoint_record_names_each_table(seeded: SqliteStore, path: Path) -> None:
    """The checkpoint is one JSON object: per table its last position, row count and head chain
    value (the one verify prints), and no secret."""
    code, out, _ = run("store", "checkpoint", path)
    value = json.loads(out)
    assert code == 0 and value["format"] == "ledgerspec-checkpoint" and value["version"] == 1 and "hmac" not in value
    with raw(path) as conn:
        heads = {
            table: conn.execute(f"SELECT chain FROM {table} ORDER BY {order} DESC LIMIT 1").fetchone()[0].hex()
            for table, order in LEDGER_TABLES.items()
        }
    assert {t["table"]: (t["position"], t["rows"], t["chain"]) for t in value["tables"]} == {
        table: (5, 5, head) for table, head in heads.items()
    }


def test_a_checkpoint_holds_while_the_ledger_grows(seeded: SqliteStore, path: Path, tmp_path: Path) -> None:
    checkpoint = take_checkpoint(path, tmp_path)
    seeded.experience.append_events([envelope(f"later-{i}") for i in range(3)])
    seeded.runs.append(RUN_ID, 5, [mfm_event(RUN_ID, 6)])
    code, out, err = run("store", "verify", path, "--checkpoint", checkpoint, checkpoint)
    assert code == 0 and "the ledger extends all 2 checkpoint file(s)" in out, err


def test_a_checkpoint_catches_rows_cut_from_the_end(seeded: SqliteStore, path: Path, tmp_path: Path) -> None:
    """Rows removed from a table's end leave a shorter, intact chain that verify alone accepts;
    the checkpoint's position is gone, and verify with it says so."""
    checkpoint = take_checkpoint(path, tmp_path)
    with triggers_dropped(path, "journal_records") as conn:
        conn.execute("DELETE FROM journal_records WHERE id > 3")
    assert run("store", "verify", path)[0] == 0  # what an unkeyed chain cannot see by itself
    code, out, err = run("store", "verify", path, "--checkpoint", checkpoint)
    assert code == 1 and "journal_records has no row at position 5 (it holds 3 row(s))" in out
    assert "rows were removed since the checkpoint" in err


def test_a_checkpoint_catches_a_rewrite_rechained(seeded: SqliteStore, path: Path, tmp_path: Path) -> None:
    """Row 2 rewritten and every chain value after it recomputed (then more appended): verify
    alone finds a consistent table; with the checkpoint the chain value at its position differs."""
    checkpoint = take_checkpoint(path, tmp_path)
    rechain(path, "experience_events", 2, canonical(envelope("evt-2", tenant_id="tenant-z")), {"tenant_id": "tenant-z"})
    seeded.experience.append_event(envelope("after"))
    assert run("store", "verify", path)[0] == 0
    code, out, _ = run("store", "verify", path, "--checkpoint", checkpoint)
    assert code == 1 and "experience_events row 5 has chain value" in out and "rewritten or re-chained" in out


def test_a_signed_checkpoint_cannot_be_forged(seeded: SqliteStore, path: Path, tmp_path: Path) -> None:
    """With --key-file the checkpoint carries an HMAC: verify with the key accepts it, and refuses
    one whose chain value was changed to match a rewritten ledger, or one without an HMAC."""
    key = tmp_path / "key"
    key.write_bytes(b"a user's secret\n")
    checkpoint = take_checkpoint(path, tmp_path, "--key-file", key)
    value = json.loads(checkpoint.read_text())
    assert len(value["hmac"]) == 64 and b"a user's secret" not in checkpoint.read_bytes()
    assert run("store", "verify", path, "--checkpoint", checkpoint, "--key-file", key)[0] == 0
    rechain(path, "experience_events", 2, canonical(envelope("evt-2", tenant_id="tenant-z")), {"tenant_id": "tenant-z"})
    code, out, _ = run("store", "verify", path)
    forged = dict(
        value,
        tables=[
            dict(t, chain=out.split("head ")[1].split()[0]) if t["table"] == "experience_events" else t
            for t in value["tables"]
        ],
    )
    checkpoint.write_text(json.dumps(forged))
    code, _, err = run("store", "verify", path, "--checkpoint", checkpoint, "--key-file", key)
    assert code == 2 and "HMAC does not match" in err
    checkpoint.write_text(json.dumps({k: v for k, v in forged.items() if k != "hmac"}))
    code, _, err = run("store", "verify", path, "--checkpoint", checkpoint, "--key-file", key)
    assert code == 2 and "carries no HMAC" in err


def test_no_checkpoint_of_a_broken_ledger(seeded: SqliteStore, path: Path, tmp_path: Path) -> None:
    raw_append(path, "experience_events", COLUMNS["experience_events"], b"not json")
    code, out, err = run("store", "checkpoint", path)
    assert code == 1 and out == "" and "does not verify, so no checkpoint was taken" in err


@pytest.mark.parametrize("content", [b"{}", b"not json", b'{"format": "ledgerspec-checkpoint", "version": 9}'])
def test_a_file_that_is_no_checkpoint_is_a_usage_error(
    seeded: SqliteStore, path: Path, tmp_path: Path, content: bytes
) -> None:
    other = tmp_path / "other.json"
    other.write_bytes(content)
    code, _, err = run("store", "verify", path, "--checkpoint", other)
    assert code == 2 and f"ledgerspec: {other}: " in err


# == a database that is not a ledger ==============================================================


def foreign_database(path: Path) -> bytes:
    """Someone else's SQLite database (a table, an index, planner statistics); its bytes."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE INDEX notes_body ON notes (body)")
        conn.executemany("INSERT INTO notes (body) VALUES (?)", [(f"note {i}",) for i in range(50)])
        conn.execute("ANALYZE")
        conn.commit()
    return path.read_bytes()


@pytest.mark.parametrize("command", ["init", "append"])
def test_a_database_that_is_not_a_ledger_is_left_untouched(tmp_path: Path, command: str) -> None:
    path = tmp_path / "app.db"
    before = foreign_database(path)
    extra = ["-"] if command == "append" else []
    code, _, err = run("store", command, path, *extra, stdin=json.dumps(envelope("e1")))
    assert code == 1 and "is a SQLite database that is not a ledgerspec ledger" in err and "notes" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]
    with pytest.raises(StorageError):
        SqliteStore(path)
    assert path.read_bytes() == before


def test_init_takes_over_a_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, out, _ = run("store", "init", path)
    assert code == 0 and "initialised; ledger format version 3" in out


# == a ledger in a directory the reader cannot write ==============================================


@contextmanager
def unwritable(directory: Path) -> Iterator[None]:
    """`directory` made unwritable: `chattr +i` as root (who ignores permission bits), mode 0555
    otherwise; skips the test when neither holds."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is not available here: {made.stderr.decode().strip()}")
        undo = ["chattr", "-i", str(directory)]
    else:
        directory.chmod(0o555)
        undo = ["chmod", "755", str(directory)]
    try:
        if os.access(directory, os.W_OK):
            pytest.skip(f"{directory} stays writable")
        yield
    finally:
        subprocess.run(undo, check=True)


def test_read_only_commands_work_in_an_unwritable_directory(tmp_path: Path) -> None:
    """verify, export, stats and query read a ledger whose directory they cannot write (SQLite
    cannot create the WAL index beside it), as the API's read-only store does."""
    directory = tmp_path / "theirs"
    directory.mkdir()
    path = directory / "ledger.db"
    with SqliteStore(path) as store:
        seed(store)
    assert sorted(p.name for p in directory.iterdir()) == ["ledger.db"]  # no -wal or -shm left
    with unwritable(directory):
        code, out, err = run("store", "verify", path)
        assert code == 0 and "experience_events: 5 row(s)" in out, err
        code, out, err = run("store", "export", path)
        assert code == 0 and len(out.splitlines()) == 15, err
        code, out, err = run("store", "stats", path)
        assert code == 0 and json.loads(out)["rows"]["journal_records"] == 5, err
        code, out, err = run("store", "query", path, "--format", "json")
        assert code == 0 and len(out.splitlines()) == 5, err
        with SqliteStore(path, readonly=True) as store:
            assert store.verify().ok and len(store.journal.read(JOURNAL_RUN)) == 5
