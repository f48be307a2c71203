"""`ledgerspec store ...` end to end: each test runs the commands on a fresh ledger file."""

from __future__ import annotations

import copy
import io
import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from ledgerspec.cli import main
from ledgerspec.store import SqliteStore

RUN_A = "67e55044-10b1-426f-9247-bb680e5fe0c8"
RUN_B = "0b0e2f5c-8c2d-4a57-9b7e-3f1d2c4b5a69"


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as standard error is in an interactive shell."""

    def isatty(self) -> bool:
        return True


def run(*argv: str | Path, stdin: str | None = None, err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), err or io.StringIO()
    real = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        code = main([str(arg) for arg in argv], out, err)
    finally:
        sys.stdin = real
    return code, out.getvalue(), err.getvalue()


def envelope(
    event_id: str,
    occurred_at: str,
    tenant: str | None = None,
    correlation: str | None = None,
    chain: str | None = None,
) -> dict[str, Any]:
    """A BudgetExceeded envelope of `chain`, or a FactPromoted one (a kind without a chain) when it is None."""
    if chain is None:
        data: dict[str, Any] = {
            "proposal_id": "p-1",
            "fact_id": "f-1",
            "promoted_by": "agent-0",
            "reason": "validated",
            "requires_human": False,
        }
        event = {"type": "FactPromoted", "data": data}
    else:
        event = {
            "type": "BudgetExceeded",
            "data": {"chain_id": chain, "resource": "Cycles", "limit": "5", "observed": None},
        }
    return {
        "event_id": event_id,
        "occurred_at": occurred_at,
        "tenant_id": tenant,
        "correlation_id": correlation,
        "event": event,
    }


ENVELOPES = [
    envelope("e1", "2026-01-01T00:00:00Z", "t1", "c1", "ch1"),
    envelope("e2", "2026-01-02T00:00:00Z", "t2", "c1", None),
    envelope("e3", "2026-01-03T00:00:00Z", "t1", None, "ch2"),
    envelope("e4", "2026-01-04T00:00:00Z", None, "c2", None),
    envelope("e5", "2026-01-05T00:00:00Z", "t1", "c2", "ch1"),
    envelope("e6", "2026-01-06T00:00:00Z", "t2", None, "ch1"),
]


def run_event(run_id: str, seq: int) -> dict[str, Any]:
    """An mfm StateEntered event of `run_id` at `seq`."""
    entered = {"state_id": f"machine.main.s{seq}", "attempt": 0, "base_snapshot_id": "2" * 64}
    return {"run_id": run_id, "seq": seq, "ts_millis": seq, "event": {"Kernel": {"StateEntered": entered}}}


def journal_record(template: dict[str, Any], seq: int, run_id: str = "run.journal.1") -> dict[str, Any]:
    """The upstream effect-intent record, renumbered to `seq` with its own record id and idempotency key."""
    record = copy.deepcopy(template)
    record.update(journal_seq=seq, record_id=f"journal.record.{seq}", idempotency_key=f"idem.{seq}", run_id=run_id)
    record["event_index"]["run_id"] = run_id
    return record


def jsonl(path: Path, documents: list[Any]) -> Path:
    path.write_text("".join(json.dumps(document) + "\n" for document in documents))
    return path


def exported(db: Path) -> list[dict[str, Any]]:
    code, out, err = run("store", "export", db)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def ids(documents: list[dict[str, Any]]) -> list[str]:
    return [document["event_id"] for document in documents]


@pytest.fixture
def template(upstream: Path) -> dict[str, Any]:
    """agent-sdk's effect-intent journal record (upstream golden data), the model of every record here."""
    document: dict[str, Any] = json.loads((upstream / "agent-sdk-core" / "journal__effect-intent.json").read_text())
    return document


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    assert run("store", "init", path)[0] == 0
    return path


@pytest.fixture
def filled(db: Path, tmp_path: Path) -> Path:
    code, out, err = run("store", "append", db, jsonl(tmp_path / "events.jsonl", ENVELOPES))
    assert code == 0, err
    return db


def test_init_creates_then_reports_an_initialised_file(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    code, out, _ = run("store", "init", path)
    assert code == 0 and out == f"{path}: created; ledger format version 3\n" and path.is_file()
    assert run("store", "init", path)[1] == f"{path}: already initialised; ledger format version 3\n"


def test_append_is_idempotent_and_summarised(filled: Path, tmp_path: Path) -> None:
    assert ids(exported(filled)) == ["e1", "e2", "e3", "e4", "e5", "e6"]
    code, out, _ = run("store", "append", filled, tmp_path / "events.jsonl")
    assert code == 0 and out == f"{filled}: appended 0 document(s), 6 already present\n"
    assert len(exported(filled)) == 6


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), ["e1", "e2", "e3", "e4", "e5", "e6"]),
        (("--tenant", "t1"), ["e1", "e3", "e5"]),
        (("--kind", "FactPromoted"), ["e2", "e4"]),
        (("--kind", "FactPromoted", "--kind", "BudgetExceeded"), ["e1", "e2", "e3", "e4", "e5", "e6"]),
        (("--correlation", "c2"), ["e4", "e5"]),
        (("--chain", "ch1"), ["e1", "e5", "e6"]),
        (("--since", "2026-01-04T00:00:00Z"), ["e4", "e5", "e6"]),
        (("--until", "2026-01-02T00:00:00Z"), ["e1", "e2"]),
        (("--since", "2026-01-02T00:00:00Z", "--until", "2026-01-04T00:00:00Z"), ["e2", "e3", "e4"]),
        (("--limit", "2"), ["e1", "e2"]),
        (("--limit", "0"), []),
        (("--tenant", "t2", "--chain", "ch1"), ["e6"]),
        (("--tenant", "t1", "--kind", "BudgetExceeded", "--correlation", "c2", "--limit", "5"), ["e5"]),
        (("--tenant", "nobody"), []),
    ],
)
def test_query_filters(filled: Path, filters: tuple[str, ...], expected: list[str]) -> None:
    code, out, err = run("store", "query", filled, *filters)
    assert code == 0, err
    assert ids([json.loads(line) for line in out.splitlines()]) == expected


def test_query_prints_documents_as_stored(filled: Path) -> None:
    _, out, _ = run("store", "query", filled, "--chain", "ch1")
    _, export, _ = run("store", "export", filled)
    stored = export.splitlines()
    assert out.splitlines() == [stored[0], stored[4], stored[5]]
    assert json.loads(out.splitlines()[0]) == ENVELOPES[0]


def test_query_table_format(filled: Path) -> None:
    code, out, _ = run("store", "query", filled, "--tenant", "t2", "--format", "table")
    assert code == 0 and "2 event(s)" in out
    for header in ("event_id", "occurred_at", "tenant", "correlation", "kind", "chain"):
        assert header in out
    assert "e2" in out and "e6" in out and "FactPromoted" in out and "e1 " not in out


def test_invalid_kind_is_a_usage_error_listing_the_kinds(filled: Path) -> None:
    code, out, err = run("store", "query", filled, "--kind", "Nope")
    assert code == 2 and out == ""
    assert "invalid choice" in err and "Nope" in err and "BudgetExceeded" in err and "GateDecisionRecorded" in err


@pytest.mark.parametrize(("batch", "kept"), [("1", ["e1", "e2"]), ("2", ["e1", "e2"]), ("10", [])])
def test_invalid_document_stops_at_its_batch(db: Path, tmp_path: Path, batch: str, kept: list[str]) -> None:
    documents: list[Any] = [*ENVELOPES[:2], {"event_id": "e3", "occurred_at": 5}, *ENVELOPES[3:5]]
    source = jsonl(tmp_path / "bad.jsonl", documents)
    code, out, err = run("store", "append", db, "--batch", batch, source)
    assert code == 1 and out == ""
    assert f"{source}:3: invalid_input: " in err
    assert "/occurred_at: [type]" in err and "/: [required]" in err
    assert f"stopped after appending {len(kept)} document(s)" in err
    assert ids(exported(db)) == kept


def test_malformed_line_is_an_error_and_its_batch_is_not_written(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "broken.jsonl"
    source.write_text(json.dumps(ENVELOPES[0]) + "\n" + json.dumps(ENVELOPES[1]) + "\n{not json\n")
    code, _, err = run("store", "append", db, "--batch", "2", source)
    assert code == 1 and f"{source}:3: invalid_input: malformed JSON" in err and "Traceback" not in err
    assert ids(exported(db)) == ["e1", "e2"]
    code, _, err = run("store", "append", db, source)
    assert code == 1 and "stopped after appending 0 document(s)" in err


def test_conflicting_envelope_names_its_line(filled: Path, tmp_path: Path) -> None:
    changed = envelope("e2", "2030-01-01T00:00:00Z")
    source = jsonl(tmp_path / "conflict.jsonl", [envelope("e7", "2026-02-01T00:00:00Z"), changed])
    code, _, err = run("store", "append", filled, source)
    assert code == 1 and f"{source}:2: conflict: event_id 'e2' is already stored" in err
    assert len(exported(filled)) == 6


def test_strict_append_refuses_unknown_keys(db: Path) -> None:
    document = json.dumps({**ENVELOPES[0], "extra": 1})
    code, _, err = run("store", "append", db, "--strict", "-", stdin=document)
    assert code == 1 and "<stdin>:1: invalid_input: " in err and "unevaluatedProperties" in err
    assert run("store", "append", db, "-", stdin=document)[0] == 0


def test_run_events_of_two_runs_interleaved(db: Path, tmp_path: Path) -> None:
    events = [run_event(RUN_A, 1), run_event(RUN_B, 1), run_event(RUN_A, 2), run_event(RUN_A, 3), run_event(RUN_B, 2)]
    source = jsonl(tmp_path / "runs.jsonl", events)
    code, out, err = run("store", "append", db, "--type", "mfm.EventEnvelope", "--batch", "4", source)
    assert code == 0 and "appended 5 document(s)" in out, err
    assert [(e["run_id"], e["seq"]) for e in exported(db)] == [(e["run_id"], e["seq"]) for e in events]
    with SqliteStore(db, readonly=True) as store:
        assert (store.runs.head_seq(RUN_A), store.runs.head_seq(RUN_B)) == (3, 2)


def test_run_event_out_of_sequence_writes_none_of_its_batch(db: Path, tmp_path: Path) -> None:
    events = [run_event(RUN_A, 1), run_event(RUN_B, 1), run_event(RUN_A, 2), run_event(RUN_B, 5)]
    source = jsonl(tmp_path / "runs.jsonl", events)
    code, _, err = run("store", "append", db, "--type", "mfm.EventEnvelope", source)
    assert code == 1 and f"{source}:4: invalid_input: run {RUN_B}: seq is 5; expected 2" in err
    assert exported(db) == []
    code, _, err = run("store", "append", db, "--type", "mfm.EventEnvelope", "--batch", "2", source)
    assert code == 1 and "stopped after appending 2 document(s)" in err
    assert [(e["run_id"], e["seq"]) for e in exported(db)] == [(RUN_A, 1), (RUN_B, 1)]


def test_journal_records(db: Path, tmp_path: Path, template: dict[str, Any]) -> None:
    records = [journal_record(template, 1), journal_record(template, 2), journal_record(template, 1, "run.journal.2")]
    source = jsonl(tmp_path / "journal.jsonl", records)
    code, out, err = run("store", "append", db, "--type", "agentsdk.JournalRecord", source)
    assert code == 0 and "appended 3 document(s), 0 already present" in out, err
    code, out, _ = run("store", "append", db, "--type", "agentsdk.JournalRecord", source)
    assert code == 0 and "appended 0 document(s), 3 already present" in out
    gap = jsonl(tmp_path / "gap.jsonl", [journal_record(template, 3), journal_record(template, 5)])
    code, _, err = run("store", "append", db, "--type", "agentsdk.JournalRecord", gap)
    assert code == 1 and f"{gap}:2: invalid_input: " in err and "leaves a gap" in err
    assert [r["journal_seq"] for r in exported(db)] == [1, 2, 1]


def fill_every_ledger(db: Path, tmp_path: Path, template: dict[str, Any]) -> None:
    for type_name, documents in (
        ("converge.ExperienceEventEnvelope", ENVELOPES),
        ("mfm.EventEnvelope", [run_event(RUN_A, 1), run_event(RUN_B, 1), run_event(RUN_A, 2)]),
        ("agentsdk.JournalRecord", [journal_record(template, 1), journal_record(template, 2)]),
    ):
        code, _, err = run("store", "append", db, "--type", type_name, jsonl(tmp_path / "in.jsonl", documents))
        assert code == 0, err


def test_export_import_export_is_byte_exact_and_import_is_idempotent(
    db: Path, tmp_path: Path, template: dict[str, Any]
) -> None:
    fill_every_ledger(db, tmp_path, template)
    first, copy_db, second = tmp_path / "first.jsonl", tmp_path / "copy.db", tmp_path / "second.jsonl"
    assert run("store", "export", db, "-o", first)[0] == 0
    code, out, err = run("store", "import", copy_db, "--batch", "4", first)
    assert code == 0 and "appended 11 document(s), 0 already present" in out, err
    assert run("store", "export", copy_db, "-o", second)[0] == 0
    assert second.read_bytes() == first.read_bytes() and len(first.read_bytes().splitlines()) == 11
    for target in (copy_db, db):
        code, out, _ = run("store", "import", target, first)
        assert code == 0 and "appended 0 document(s), 11 already present" in out
        assert run("store", "export", target, "-o", second)[0] == 0
        assert second.read_bytes() == first.read_bytes()


def test_import_names_a_document_of_no_ledger(db: Path, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "mixed.jsonl", [ENVELOPES[0], {"x": 1}])
    code, _, err = run("store", "import", db, source)
    assert code == 1 and f"{source}:2: invalid_input: not a ledger document" in err
    assert exported(db) == []


def test_verify_ok_then_tampered(filled: Path) -> None:
    code, out, _ = run("store", "verify", filled)
    assert code == 0 and "experience_events: 6 row(s), head " in out and "journal_records: 0 row(s)" in out
    with sqlite3.connect(filled) as conn:
        conn.execute("DROP TRIGGER experience_events_no_update")
        conn.execute("UPDATE experience_events SET document = ? WHERE event_id = 'e2'", (b'{"forged":true}',))
    conn.close()
    code, out, err = run("store", "verify", filled)
    assert code == 1
    assert "BROKEN: experience_events row 2 (event_id='e2'): document does not match its stored hash" in out
    assert "ledgerspec: corruption: experience_events row 2" in err


def test_stats(filled: Path) -> None:
    code, out, _ = run("store", "stats", filled)
    stats = json.loads(out)
    assert code == 0 and stats["rows"]["experience_events"] == 6 and stats["tenants"] == 2
    assert stats["kinds"] == {"BudgetExceeded": 4, "FactPromoted": 2} and stats["format_version"] == 3
    code, out, _ = run("store", "stats", filled, "--format", "table")
    assert code == 0 and "rows.experience_events" in out and "kinds.FactPromoted" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_is_a_storage_error(filled: Path, tmp_path: Path) -> None:
    for path in filled.parent.glob(filled.name + "*"):
        path.chmod(0o444)
    code, _, err = run("store", "append", filled, jsonl(tmp_path / "more.jsonl", [envelope("e9", "2027")]))
    assert code == 1 and "ledgerspec: storage: " in err and "Traceback" not in err


def test_newer_file_format_is_a_storage_error(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("INSERT INTO ledgerspec_schema(version) VALUES (99)")
    conn.close()
    code, _, err = run("store", "append", filled, "-", stdin=json.dumps(ENVELOPES[0]))
    assert code == 1 and "ledgerspec: storage: " in err and "newer than this ledgerspec knows" in err
    code, _, err = run("store", "query", filled)
    assert code == 1 and "ledgerspec: storage: " in err and "format version 99" in err


def test_file_that_is_not_a_ledger_is_a_storage_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just words " * 100)
    for command in ("query", "verify", "export", "stats"):
        code, _, err = run("store", command, text)
        assert code == 1 and err.startswith("ledgerspec: storage: ") and "Traceback" not in err


@pytest.mark.parametrize("command", ["query", "verify", "export", "stats"])
def test_missing_ledger_is_a_usage_error_and_is_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "missing.db"
    code, out, err = run("store", command, missing)
    assert code == 2 and out == "" and f"{missing}: no such ledger file" in err
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    code, _, err = run("store", "append", db, tmp_path / "absent.jsonl")
    assert code == 2 and "absent.jsonl: cannot read" in err


def test_progress_bar_only_on_a_terminal(db: Path, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "events.jsonl", ENVELOPES)
    terminal = Terminal()
    code, out, err = run("store", "append", db, "--batch", "2", source, err=terminal)
    assert code == 0 and "appended 6 document(s)" in out and "100%" in err and "bytes/s" in err
    code, _, err = run("store", "append", db, source)
    assert code == 0 and err == ""


def test_help_of_every_store_command() -> None:
    for command in ("init", "append", "query", "verify", "export", "import", "stats"):
        code, out, _ = run("store", command, "--help")
        assert code == 0 and f"usage: ledgerspec store {command}" in out


def test_console_script_round_trip(tmp_path: Path) -> None:
    script = str(Path(sys.executable).parent / "ledgerspec")
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    accented = envelope("e7", "2026-02-01T00:00:00Z")
    accented["event"]["data"]["reason"] = "valid\u00e9 \u2713"
    lines = "".join(json.dumps(document, ensure_ascii=False) + "\n" for document in [*ENVELOPES, accented])

    def ledgerspec(*argv: str | Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([script, *map(str, argv)], input=stdin, capture_output=True, check=False)

    done = ledgerspec("store", "append", first, "-", stdin=lines.encode())
    assert done.returncode == 0, done.stderr
    export = ledgerspec("store", "export", first).stdout
    assert ledgerspec("store", "import", second, "-", stdin=export).returncode == 0
    assert ledgerspec("store", "export", second).stdout == export and len(export.splitlines()) == 7
    query = ledgerspec("store", "query", first, "--tenant", "t1")
    assert query.returncode == 0 and query.stdout.splitlines() == [export.splitlines()[i] for i in (0, 2, 4)]
    missing = ledgerspec("store", "verify", tmp_path / "missing.db")
    assert missing.returncode == 2 and b"no such ledger file" in missing.stderr and b"Traceback" not in missing.stderr


def test_an_oversized_line_is_refused_without_being_read_whole(db: Path, tmp_path: Path) -> None:
    """A line over the 16 MiB document limit is named (file:line, its size, the limit) and
    skipped in pieces: reading a 64 MiB line holds about the limit (twice, with the file's
    buffer) in memory, never the line."""
    source = tmp_path / "big.jsonl"
    line = b'{"event_id":"' + b"x" * (64 * 1024 * 1024) + b'"}\n'
    first, last = (json.dumps(envelope).encode() for envelope in ENVELOPES[:2])
    source.write_bytes(first + b"\n" + line + last + b"\n")
    del line
    tracemalloc.start()
    code, out, err = run("store", "append", db, "--batch", "1", source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1 and out == ""
    assert f"{source}:2: invalid_input: document is {64 * 1024 * 1024 + 15} bytes; the limit is 16777216 bytes" in err
    assert "stopped after appending 1 document(s) (whole batches only)" in err
    assert peak < 40 * 1024 * 1024, peak
