"""Ledger integrity on PostgreSQL: rows and definitions a superuser changes behind ledgerspec's back
(the append-only triggers switched off with `session_replication_role = replica`, `ledger_heads`
moved along so its own check finds nothing), and how each is caught:

- a poisoned row (a document that is not JSON, JSON that is no envelope, an envelope the schema
  refuses, a string column that is not UTF-8) is reported by `verify` with its table, position
  and reason, and the owner's reads, `store query` and `store copy` raise a `CorruptionError`
  (exit 1) naming it, never a traceback;
- skipped positions are reported by `verify`;
- a disabled, dropped, changed or extra trigger and a replaced trigger function are reported;
- a checkpoint catches a rewrite re-chained up to the head, which `ledger_heads` cannot.

Every test needs a server ($LEDGERSPEC_PG_URL, see conftest): outside CI they skip without one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from store_helpers import JOURNAL_RUN, LEDGER_TABLES, RUN_ID, envelope, pg_connect, seed
from test_cli_store import run
from test_store_integrity import canonical, experience_columns, poisoned_envelope

from ledgerspec.errors import LedgerspecError
from ledgerspec.models import converge
from ledgerspec.store.postgres.definitions import expected

pytestmark = pytest.mark.usefixtures("pg_url")
pytest_plugins = ("test_postgres",)  # its fixture fresh_schema

ALL = converge.EventQuery(kinds=[])


def pg_raw_append(
    url: str, schema: str, table: str, columns: dict[str, Any], document: bytes, *, position: int | None = None
) -> int:
    """Insert a row after a table's last one as the superuser with the triggers off, hashed and
    chained as a store chains it, at `position` (the next by default), and move `ledger_heads` to
    it. Strings are sent as the UTF-8 the bytea columns hold. Returns the row's position."""
    order = LEDGER_TABLES[table]
    with pg_connect(url, schema, replica=True) as conn, conn.transaction():
        last = conn.execute(f"SELECT {order}, chain FROM {table} ORDER BY {order} DESC LIMIT 1").fetchone()
        previous, chain = (0, bytes(32)) if last is None else (last[0], bytes(last[1]))
        digest = hashlib.sha256(document).digest()
        at = previous + 1 if position is None else position
        values = {name: value.encode() if isinstance(value, str) else value for name, value in columns.items()}
        row = {
            order: at,
            **values,
            "document": document,
            "hash": digest,
            "chain": hashlib.sha256(chain + digest).digest(),
        }
        names = ", ".join(row)
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(row))})", list(row.values()))
        conn.execute("UPDATE ledger_heads SET position = %s, chain = %s WHERE ledger = %s", (at, row["chain"], table))
    return at


def ledger_url(url: str, schema: str) -> str:
    return f"{url}?schema={schema}"


POISON = {
    "not-json": (b"\x00 not json", {}, "document is not JSON"),
    "not-an-envelope": (b'{"a":1}', {}, "not a valid converge.ExperienceEventEnvelope"),
    "schema-invalid": (canonical(poisoned_envelope()), {}, "not a valid converge.ExperienceEventEnvelope"),
    "tenant-not-utf8": (canonical(envelope("poison")), {"tenant_id": b"\xff\xfe"}, "indexed column(s) tenant_id"),
}
"""Poisoned experience rows: the document, columns overriding `experience_columns("poison")`, and
what verify must say."""


@pytest.mark.parametrize("poison", list(POISON))
def test_verify_reports_a_poisoned_row(pg_url: str, pg_store: Any, poison: str) -> None:
    """The poisoned row is named (table, position, key, reason) and only it; the walk reaches
    the rows after it."""
    seed(pg_store)
    document, columns, reason = POISON[poison]
    pg_raw_append(pg_url, pg_store.schema, "experience_events", {**experience_columns("poison"), **columns}, document)
    pg_store.experience.append_event(envelope("after"))
    report = pg_store.verify()
    assert not report.ok and not report.definitions
    (table,) = [t for t in report.tables if t.found]
    assert (table.table, table.rows, table.found) == ("experience_events", 7, 1)
    (broken,) = table.problems
    assert (broken.position, broken.key) == (6, {"event_id": "poison"}) and reason in broken.reason


@pytest.mark.parametrize("poison", ["not-json", "not-an-envelope", "schema-invalid"])
def test_reads_of_a_poisoned_row_are_corruption_errors(pg_url: str, pg_store: Any, tmp_path: Path, poison: str) -> None:
    """The owner's query_events and query_documents, `store query` and `store copy` (to SQLite)
    report the row as corruption, naming it."""
    seed(pg_store)
    pg_raw_append(pg_url, pg_store.schema, "experience_events", experience_columns("poison"), POISON[poison][0])
    for read in (lambda: pg_store.experience.query_events(ALL), lambda: pg_store.experience.query_documents(ALL)):
        with pytest.raises(LedgerspecError) as caught:
            read()
        assert caught.value.code == "corruption" and "experience_events row 6" in str(caught.value)
    url = ledger_url(pg_url, pg_store.schema)
    code, _, err = run("store", "query", url)
    assert code == 1 and "ledgerspec: corruption: experience_events row 6" in err
    code, _, err = run("store", "copy", url, tmp_path / "copy.db")
    assert code == 1 and "experience_events row 6" in err and "stopped after appending" in err


@pytest.mark.parametrize("table", ["run_events", "journal_records"])
def test_run_and_journal_reads_of_a_poisoned_row(pg_url: str, pg_store: Any, table: str) -> None:
    seed(pg_store)
    columns = {
        "run_events": {"run_id": RUN_ID, "seq": 6, "kind": "Kernel.RunStarted", "ts_millis": 6},
        "journal_records": {"run_id": JOURNAL_RUN, "journal_seq": 6, "record_id": "poison", "record_kind": "x"},
    }[table]
    pg_raw_append(pg_url, pg_store.schema, table, columns, b'{"a":1}')
    read = (
        (lambda: pg_store.runs.read_range(RUN_ID, 1))
        if table == "run_events"
        else (lambda: pg_store.journal.read(JOURNAL_RUN, 1))
    )
    with pytest.raises(LedgerspecError) as caught:
        read()
    assert caught.value.code == "corruption" and f"{table} row 6" in str(caught.value)
    assert [b.position for t in pg_store.verify().tables for b in t.problems] == [6]


def test_verify_reports_skipped_positions(pg_url: str, pg_store: Any) -> None:
    """A correctly chained row at position 9 (the head moved with it): verify reports the gap."""
    seed(pg_store)
    late = canonical(envelope("late"))
    pg_raw_append(pg_url, pg_store.schema, "experience_events", experience_columns("late"), late, position=9)
    report = pg_store.verify()
    (broken,) = [b for t in report.tables for b in t.problems]
    assert broken.position == 9 and "position 9 where 6 was expected" in broken.reason


DEFINITION_TAMPERING = {
    "disabled": (
        ["ALTER TABLE experience_events DISABLE TRIGGER experience_events_no_change"],
        "trigger experience_events_no_change is disabled",
    ),
    "replica-only": (
        ["ALTER TABLE artifacts ENABLE REPLICA TRIGGER artifacts_no_change"],
        "trigger artifacts_no_change is disabled or fires only in replication",
    ),
    "dropped": (["DROP TRIGGER run_events_no_truncate ON run_events"], "trigger run_events_no_truncate is missing"),
    "changed": (
        [
            "DROP TRIGGER journal_records_no_change ON journal_records",
            "CREATE TRIGGER journal_records_no_change BEFORE UPDATE ON journal_records "
            "FOR EACH ROW EXECUTE FUNCTION ledgerspec_append_only()",
        ],
        "trigger journal_records_no_change differs",
    ),
    "extra": (
        [
            "CREATE FUNCTION sneaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER sneaky BEFORE INSERT ON experience_events FOR EACH ROW EXECUTE FUNCTION sneaky()",
        ],
        "trigger sneaky is not one ledgerspec creates",
    ),
    "function-replaced": (
        [
            "CREATE OR REPLACE FUNCTION ledgerspec_append_only() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN OLD; END $$"
        ],
        "function ledgerspec_append_only differs",
    ),
    "function-dropped": (
        ["DROP FUNCTION ledgerspec_head_follows_rows() CASCADE"],
        "function ledgerspec_head_follows_rows is missing",
    ),
}


@pytest.mark.parametrize("tampering", list(DEFINITION_TAMPERING))
def test_verify_reports_changed_triggers_and_functions(pg_url: str, pg_store: Any, tampering: str) -> None:
    """Each change to the append-only machinery is reported (every row still verifies), by the
    API and by `store verify`."""
    seed(pg_store)
    statements, message = DEFINITION_TAMPERING[tampering]
    with pg_connect(pg_url, pg_store.schema) as conn:
        for statement in statements:
            conn.execute(statement)
    report = pg_store.verify()
    assert not report.ok and all(t.found == 0 for t in report.tables)
    assert [problem for problem in report.definitions if message in problem], report.definitions
    code, out, _ = run("store", "verify", ledger_url(pg_url, pg_store.schema))
    assert code == 1 and f"definitions: BROKEN: {message}" in out


def test_the_expected_definitions_are_every_function_and_trigger_a_fresh_schema_has(pg_url: str, pg_store: Any) -> None:
    """verify's expectations, read from the migrations' SQL, name every function and trigger a
    freshly migrated schema really has: none is silently left unchecked."""
    functions, triggers = expected()
    with pg_connect(pg_url, pg_store.schema) as conn:
        have_functions = {row[0] for row in conn.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace", (pg_store.schema,)
        )}  # fmt: skip
        have_triggers = {row[0] for row in conn.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal", (pg_store.schema,)
        )}  # fmt: skip
    assert set(functions) == have_functions
    assert set(triggers) == have_triggers


def test_a_checkpoint_catches_a_rewrite_rechained_to_the_head(pg_url: str, pg_store: Any, tmp_path: Path) -> None:
    """Row 2 rewritten, every chain value after it recomputed and `ledger_heads` moved to the new
    head: verify alone (heads included) finds nothing; verify with a checkpoint taken before does."""
    seed(pg_store)
    url = ledger_url(pg_url, pg_store.schema)
    checkpoint = tmp_path / "checkpoint.json"
    assert run("store", "checkpoint", url, "-o", checkpoint)[0] == 0
    rewritten = canonical(envelope("evt-2", tenant_id="tenant-z"))
    with pg_connect(pg_url, pg_store.schema, replica=True) as conn, conn.transaction():
        conn.execute(
            "UPDATE experience_events SET document = %s, tenant_id = %s WHERE seq = 2", (rewritten, b"tenant-z")
        )
        chain = bytes(conn.execute("SELECT chain FROM experience_events WHERE seq = 1").fetchone()[0])
        for seq, document in conn.execute(
            "SELECT seq, document FROM experience_events WHERE seq >= 2 ORDER BY seq"
        ).fetchall():
            digest = hashlib.sha256(bytes(document)).digest()
            chain = hashlib.sha256(chain + digest).digest()
            conn.execute("UPDATE experience_events SET hash = %s, chain = %s WHERE seq = %s", (digest, chain, seq))
        conn.execute("UPDATE ledger_heads SET chain = %s WHERE ledger = 'experience_events'", (chain,))
    assert pg_store.verify().ok
    code, out, _ = run("store", "verify", url, "--checkpoint", checkpoint)
    assert code == 1 and "experience_events row 5 has chain value" in out
    assert json.loads(checkpoint.read_text())["location"].endswith(f"schema {pg_store.schema}")


def test_stats_of_a_kind_that_is_not_utf8(pg_url: str, pg_store: Any) -> None:
    """A kind column holding bytes that are not UTF-8: `store stats` reports corruption (exit 1),
    verify names the row's kind column."""
    seed(pg_store)
    columns = {**experience_columns("poison"), "kind": b"\xff"}
    pg_raw_append(pg_url, pg_store.schema, "experience_events", columns, canonical(envelope("poison")))
    code, out, err = run("store", "stats", ledger_url(pg_url, pg_store.schema))
    assert code == 1 and out == "" and "ledgerspec: corruption: experience_events: a kind column holds" in err
    (broken,) = [b for t in pg_store.verify().tables for b in t.problems]
    assert broken.position == 6 and "indexed column(s) kind no longer match" in broken.reason


def test_verify_reports_a_changed_artifact_kind(pg_url: str, pg_store: Any) -> None:
    """An artifact's kind, which no document gives, is chained after its hash (format 3): a valid
    but different kind written over a stored one is reported at its row (a probe found it
    verified), though `ledger_heads` still matches the table's end."""
    artifacts = seed(pg_store)
    with pg_connect(pg_url, pg_store.schema, replica=True) as conn:
        conn.execute("UPDATE artifacts SET kind = %s WHERE id = 2", [b'{"Other":"forged"}'])
    (broken,) = [b for t in pg_store.verify().tables for b in t.problems]
    assert (broken.table, broken.position, broken.key) == ("artifacts", 2, {"artifact_id": artifacts[1]})
    assert broken.reason.startswith("hash chain broken (its kind was changed")


def test_the_insert_trigger_refuses_an_artifact_chained_without_its_kind(pg_url: str, pg_store: Any) -> None:
    """Since format 3 the insert trigger checks the chain value over the hash and the kind, so a
    row chained the old way (over its hash alone) is refused, even for the owner."""
    import psycopg

    seed(pg_store)
    content = b"chained the old way"
    digest = hashlib.sha256(content).digest()
    with pg_connect(pg_url, pg_store.schema) as conn, pytest.raises(psycopg.errors.CheckViolation):
        head = bytes(conn.execute("SELECT chain FROM ledger_heads WHERE ledger = 'artifacts'").fetchone()[0])
        conn.execute(
            "INSERT INTO artifacts (id, artifact_id, kind, size, document, hash, chain) VALUES (6, %s, %s, %s, %s, %s, %s)",
            [digest.hex().encode(), b'"Output"', len(content), content, digest, hashlib.sha256(head + digest).digest()],
        )


def test_artifacts_put_before_format_3_verify_but_their_kind_is_not_claimed(pg_url: str, fresh_schema: str) -> None:
    """A schema at format 2 holding artifacts (chained over their hash alone, as that version's
    trigger requires) migrates to 3: verify passes and counts those rows as covered by no hash
    (`store verify` says so); artifacts put afterwards are chained with their kind."""
    import psycopg

    from ledgerspec.store.postgres import PostgresStore
    from ledgerspec.store.postgres.schema import MIGRATIONS, migrate

    schema = fresh_schema
    with psycopg.connect(pg_url, autocommit=True) as admin:
        migrate(admin, schema, MIGRATIONS[:2])
    content = b"put by format 2"
    digest = hashlib.sha256(content).digest()
    with pg_connect(pg_url, schema) as conn:
        conn.execute(
            "INSERT INTO artifacts (id, artifact_id, kind, size, document, hash, chain) VALUES (1, %s, %s, %s, %s, %s, %s)",
            [
                digest.hex().encode(),
                b'"Output"',
                len(content),
                content,
                digest,
                hashlib.sha256(bytes(32) + digest).digest(),
            ],
        )
    with PostgresStore(pg_url, schema=schema) as store:
        store.artifacts.put("Manifest", b"put by format 3")
        report = store.verify()
        assert report.ok and {t.table: t.uncovered for t in report.tables}["artifacts"] == 1
    code, out, _ = run("store", "verify", ledger_url(pg_url, schema))
    assert code == 0 and "the kind of 1 row(s) is covered by no hash" in out
