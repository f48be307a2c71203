"""The load path (`ledgerspec store append|import|copy`) end to end, pinned from its specification:
exact summaries (also under concurrent writers), re-runnable run events, failure and Ctrl-C
reports that count whole batches, progress lines when standard error is not a terminal, and a
copy that keeps the stored bytes. Every command is the installed console script in a subprocess,
on real SQLite files."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from ledger_documents import RUN, envelope, journal_record, run_event

from ledgerspec.canonical import jcs
from ledgerspec.store import SqliteStore

LEDGERSPEC = shutil.which("ledgerspec", path=str(Path(sys.executable).parent)) or shutil.which("ledgerspec")
EXPERIENCE = "converge.ExperienceEventEnvelope"
RUN_EVENTS = "mfm.EventEnvelope"
JOURNAL = "agentsdk.JournalRecord"
RUN_A = RUN
RUN_B = "0b0e2f5c-8c2d-4a57-9b7e-3f1d2c4b5a69"
SUMMARY = re.compile(r"(?P<path>.+): appended (?P<appended>-?\d+) document\(s\), (?P<present>-?\d+) already present")
PROGRESS = "ledgerspec: progress: "
TIMEOUT = 120

pytestmark = pytest.mark.skipif(LEDGERSPEC is None, reason="the ledgerspec console script is not installed")


# -- running the console script ---------------------------------------------------------------


def ledgerspec(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script and wait for it."""
    assert LEDGERSPEC is not None
    return subprocess.run([LEDGERSPEC, *map(str, argv)], capture_output=True, text=True, check=False, timeout=TIMEOUT)


@contextmanager
def write_lock(db: Path) -> Iterator[None]:
    """Hold SQLite's write lock on the ledger file `db`, as a writer in the middle of a transaction does."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has the file `path` open (Linux: its /proc/PID/fd links)."""
    wanted = str(path.resolve())
    try:
        links = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for link in links:
        with suppress(OSError):
            if os.readlink(link) == wanted:
                return True
    return False


def run_together(db: Path, commands: Sequence[Sequence[str | Path]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command on the ledger `db` at once and wait for all of them. They start while this
    test holds the ledger's write lock, which it releases once every process has the file open (and a
    moment more to reach its first write), so their writes begin together and interleave."""
    assert LEDGERSPEC is not None
    with write_lock(db):
        started = [
            subprocess.Popen([LEDGERSPEC, *map(str, argv)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for argv in commands
        ]
        if Path("/proc/self/fd").is_dir():
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not all(
                process.poll() is not None or has_open(process.pid, db) for process in started
            ):
                time.sleep(0.02)
            time.sleep(0.3)
        else:
            time.sleep(2)
    done = []
    for argv, process in zip(commands, started, strict=True):
        out, err = process.communicate(timeout=TIMEOUT)
        done.append(subprocess.CompletedProcess(list(argv), process.returncode, out, err))
    return done


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """`done`, which must have exited 0."""
    assert done.returncode == 0, f"{done.args} exited {done.returncode}: {done.stderr}"
    return done


# -- documents and ledgers --------------------------------------------------------------------


def line(document: Any) -> bytes:
    """One canonical JSON document (the form a store writes) and its newline."""
    return jcs(document, float_literals=True) + b"\n"


def jsonl(path: Path, documents: Sequence[Any]) -> Path:
    path.write_bytes(b"".join(line(document) for document in documents))
    return path


def envelopes(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [envelope(f"e{number:06d}") for number in range(start, start + count)]


def interleaved_runs(per_run: int) -> list[dict[str, Any]]:
    """Run events of two runs, seqs 1..per_run each, alternating A1, B1, A2, B2, ..."""
    return [run_event(seq, run=run) for seq in range(1, per_run + 1) for run in (RUN_A, RUN_B)]


def journal(count: int) -> list[dict[str, Any]]:
    """Records of one run with journal_seq 1..count."""
    return [journal_record(seq, record_id=f"journal.record.{seq}") for seq in range(1, count + 1)]


def rows(db: Path) -> dict[str, int]:
    """The row count of each ledger, as `store stats --format json` reports them."""
    counts: dict[str, int] = json.loads(ok(ledgerspec("store", "stats", db, "--format", "json")).stdout)["rows"]
    return counts


def verifies(db: Path) -> None:
    done = ledgerspec("store", "verify", db)
    assert done.returncode == 0, f"verify exited {done.returncode}: {done.stdout}{done.stderr}"


def exported(db: Path, target: Path) -> bytes:
    ok(ledgerspec("store", "export", db, "-o", target))
    return target.read_bytes()


def summary(path: Path, appended: int, present: int) -> str:
    return f"{path}: appended {appended} document(s), {present} already present\n"


def counts(done: subprocess.CompletedProcess[str], path: Path) -> tuple[int, int]:
    """(appended, already present) of a command whose whole standard output is one summary line about `path`."""
    match = SUMMARY.fullmatch(done.stdout.removesuffix("\n"))
    assert match is not None and done.stdout.count("\n") == 1, f"not one summary line: {done.stdout!r}"
    assert match["path"] == str(path)
    return int(match["appended"]), int(match["present"])


def copy_counts(done: subprocess.CompletedProcess[str], target: Path) -> tuple[int, int]:
    """(appended, already present) of `store copy`: its standard output holds the summary line exactly once."""
    found = [match for text in done.stdout.splitlines() if (match := SUMMARY.fullmatch(text))]
    assert len(found) == 1, f"not exactly one summary line: {done.stdout!r}"
    assert found[0]["path"] == str(target)
    return int(found[0]["appended"]), int(found[0]["present"])


def stopped_line(appended: int) -> str:
    return f"ledgerspec: stopped after appending {appended} document(s) (whole batches only)"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where a test's ledger goes (the first command that writes creates it)."""
    return tmp_path / "ledger.db"


@pytest.fixture
def initialised(db: Path) -> Path:
    """The test's ledger, created beforehand (so concurrent writers do not race to create it)."""
    SqliteStore(db).close()
    return db


# -- 1. the summary ---------------------------------------------------------------------------


def test_summary_is_one_line_of_appended_and_already_present(db: Path, tmp_path: Path) -> None:
    """Stdout is exactly `{PATH}: appended A document(s), P already present`, A + P the input's count."""
    first = jsonl(tmp_path / "first.jsonl", envelopes(5))
    done = ok(ledgerspec("store", "append", db, first))
    assert done.stdout == summary(db, 5, 0)
    longer = jsonl(tmp_path / "longer.jsonl", envelopes(8))
    done = ok(ledgerspec("store", "append", db, "--batch", "3", longer))
    assert done.stdout == summary(db, 3, 5)
    assert rows(db)["experience_events"] == 8


# -- 2. concurrent writers --------------------------------------------------------------------


def append_together(db: Path, type_name: str, inputs: list[list[dict[str, Any]]], tmp_path: Path) -> None:
    """Start one `store append` per input at once (alternately `--batch 1` and `--batch 3`), then check
    that each exited 0 with A + P == its input count and A, P >= 0, that together they appended
    exactly what the ledger holds (every distinct document of the inputs), and that it verifies."""
    files = [jsonl(tmp_path / f"in{index}.jsonl", documents) for index, documents in enumerate(inputs)]
    done = run_together(
        db,
        [
            ("store", "append", db, "--type", type_name, "--batch", "1" if index % 2 == 0 else "3", file)
            for index, file in enumerate(files)
        ],
    )
    for result in done:
        assert result.returncode == 0, f"{result.args} exited {result.returncode}: {result.stderr}"
        assert "Traceback" not in result.stderr
    reported = [counts(result, db) for result in done]
    shown = "; ".join(
        f"{appended} appended + {present} present of {len(documents)}"
        for (appended, present), documents in zip(reported, inputs, strict=True)
    )
    for (appended, present), documents in zip(reported, inputs, strict=True):
        assert appended >= 0 and present >= 0 and appended + present == len(documents), f"impossible: {shown}"
    table = {EXPERIENCE: "experience_events", RUN_EVENTS: "run_events", JOURNAL: "journal_records"}[type_name]
    held = rows(db)[table]
    distinct = len({line(document) for documents in inputs for document in documents})
    assert held == distinct, f"{table} holds {held} rows; the inputs hold {distinct} distinct documents"
    assert sum(appended for appended, _ in reported) == held, f"{held} rows appended in all, yet: {shown}"
    verifies(db)


def test_concurrent_envelope_appends_report_exact_summaries(initialised: Path, tmp_path: Path) -> None:
    """Six processes append overlapping envelope inputs to one file at once: every summary is exact
    and their appended counts add up to the rows stored. Inputs come in pairs of the same 120
    envelopes, each pair's starting 40 envelopes after the previous pair's."""
    inputs = [envelopes(120, start=40 * (index // 2)) for index in range(6)]
    append_together(initialised, EXPERIENCE, inputs, tmp_path)


PREFIXES = (60, 120, 80, 120, 100, 120)
"""How many documents of one sequence each concurrent writer appends."""


def test_concurrent_journal_appends_report_exact_summaries(initialised: Path, tmp_path: Path) -> None:
    """Six processes append prefixes of one run's journal (journal_seq 1..n) at once: every summary
    is exact and their appended counts add up to the rows stored."""
    records = journal(max(PREFIXES))
    append_together(initialised, JOURNAL, [records[:length] for length in PREFIXES], tmp_path)


def test_concurrent_run_event_appends_report_exact_summaries(initialised: Path, tmp_path: Path) -> None:
    """Six processes append prefixes of one interleaved stream of two runs at once: run events are
    re-runnable, so every process succeeds with an exact summary."""
    events = interleaved_runs(max(PREFIXES) // 2)
    append_together(initialised, RUN_EVENTS, [events[:length] for length in PREFIXES], tmp_path)


# -- 3. run events are re-runnable ------------------------------------------------------------


def test_run_event_append_run_twice_appends_nothing_the_second_time(db: Path, tmp_path: Path) -> None:
    """The same run-event append again exits 0 and reports every event as already present."""
    source = jsonl(tmp_path / "runs.jsonl", interleaved_runs(4))
    assert ok(ledgerspec("store", "append", db, "--type", RUN_EVENTS, source)).stdout == summary(db, 8, 0)
    assert ok(ledgerspec("store", "append", db, "--type", RUN_EVENTS, source)).stdout == summary(db, 0, 8)
    assert rows(db)["run_events"] == 8


@pytest.mark.parametrize("batch", ["4", "1000"])
def test_run_event_longer_file_appends_only_its_new_events(db: Path, tmp_path: Path, batch: str) -> None:
    """A file whose first lines are an earlier, stored file: its stored events count as already
    present and only the rest are appended (also when a batch holds both)."""
    old = interleaved_runs(3)
    ok(ledgerspec("store", "append", db, "--type", RUN_EVENTS, jsonl(tmp_path / "old.jsonl", old)))
    longer = jsonl(
        tmp_path / "longer.jsonl", [*old, run_event(4, run=RUN_A), run_event(4, run=RUN_B), run_event(5, run=RUN_A)]
    )
    done = ok(ledgerspec("store", "append", db, "--type", RUN_EVENTS, "--batch", batch, longer))
    assert done.stdout == summary(db, 3, 6)
    assert rows(db)["run_events"] == 9


@pytest.mark.parametrize(("batch", "kept"), [("1000", 0), ("1", 1)])
def test_run_event_with_other_content_at_a_stored_position_is_a_conflict(
    db: Path, tmp_path: Path, batch: str, kept: int
) -> None:
    """An event at a stored (run, seq) with different content: exit 1, `FILE:LINE: conflict`, and
    nothing of its batch written."""
    ok(ledgerspec("store", "append", db, "--type", RUN_EVENTS, jsonl(tmp_path / "old.jsonl", interleaved_runs(3))))
    altered = run_event(2, run=RUN_B, name="something_else")
    source = jsonl(tmp_path / "altered.jsonl", [run_event(4, run=RUN_A), altered, run_event(4, run=RUN_B)])
    done = ledgerspec("store", "append", db, "--type", RUN_EVENTS, "--batch", batch, source)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"ledgerspec: {source}:2: conflict: " in done.stderr, done.stderr
    assert stopped_line(kept) in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert rows(db)["run_events"] == 6 + kept


FILLED = {"experience_events": 3, "run_events": 6, "artifacts": 0, "journal_records": 3}


def fill_every_ledger(db: Path, tmp_path: Path) -> int:
    """Three envelopes, run events of two runs (seqs 1..3) and three journal records in `db`, imported
    in one command from a file in an export's order; returns how many documents."""
    mixed = jsonl(tmp_path / "fill.jsonl", [*envelopes(3), *interleaved_runs(3), *journal(3)])
    ok(ledgerspec("store", "import", db, mixed))
    return sum(FILLED.values())


def test_import_of_an_export_twice_appends_nothing_the_second_time(db: Path, tmp_path: Path) -> None:
    """Importing an export, then importing it again: the second import appends 0 and reports all present."""
    total = fill_every_ledger(db, tmp_path)
    exported(db, tmp_path / "export.jsonl")
    target = tmp_path / "target.db"
    assert ok(ledgerspec("store", "import", target, tmp_path / "export.jsonl")).stdout == summary(target, total, 0)
    assert ok(ledgerspec("store", "import", target, tmp_path / "export.jsonl")).stdout == summary(target, 0, total)


def test_import_of_an_export_with_an_altered_run_event_is_a_conflict(db: Path, tmp_path: Path) -> None:
    """An export where one stored run event was altered is refused (`conflict` at its line), not skipped."""
    fill_every_ledger(db, tmp_path)
    lines = exported(db, tmp_path / "export.jsonl").splitlines(keepends=True)
    number = next(
        index
        for index, text in enumerate(lines, 1)
        if (value := json.loads(text)).get("run_id") == RUN_B and value.get("seq") == 2
    )
    altered = json.loads(lines[number - 1])
    altered["event"]["Domain"]["payload"] = {"n": 999}
    lines[number - 1] = line(altered)
    source = tmp_path / "altered.jsonl"
    source.write_bytes(b"".join(lines))
    done = ledgerspec("store", "import", db, source)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"ledgerspec: {source}:{number}: conflict: " in done.stderr, done.stderr
    assert stopped_line(0) in done.stderr.splitlines()
    assert rows(db) == FILLED


# -- 4. failure output ------------------------------------------------------------------------


def with_bad_line(tmp_path: Path) -> Path:
    """Ten envelopes, the eighth not a valid envelope."""
    documents: list[Any] = envelopes(10)
    documents[7] = {"event_id": "bad", "occurred_at": 5}
    return jsonl(tmp_path / "bad.jsonl", documents)


def test_bad_document_names_its_line_and_the_whole_batches_appended(db: Path, tmp_path: Path) -> None:
    """Exit 1, `FILE:LINE: code: message`, then `stopped after appending A document(s) (whole
    batches only)` with A the rows the earlier, good batches added."""
    source = with_bad_line(tmp_path)
    done = ledgerspec("store", "append", db, "--batch", "3", source)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = done.stderr.splitlines()
    located = [
        index for index, text in enumerate(errors) if text.startswith(f"ledgerspec: {source}:8: invalid_input: ")
    ]
    assert located, done.stderr
    assert stopped_line(6) in errors[located[0] + 1 :], done.stderr
    assert "Traceback" not in done.stderr
    assert rows(db)["experience_events"] == 6


def test_stopped_after_counts_rows_added_not_documents_read(db: Path, tmp_path: Path) -> None:
    """With part of the input already stored, the stop line counts only the rows this command added."""
    ok(ledgerspec("store", "append", db, jsonl(tmp_path / "two.jsonl", envelopes(2))))
    done = ledgerspec("store", "append", db, "--batch", "3", with_bad_line(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert stopped_line(4) in done.stderr.splitlines(), done.stderr
    assert rows(db)["experience_events"] == 6


# -- 5. Ctrl-C --------------------------------------------------------------------------------


def big_envelope_file(path: Path, count: int) -> Path:
    """`count` distinct canonical envelopes (one template, renumbered), quickly."""
    template = line(envelope("@ID@"))
    with path.open("wb") as stream:
        for start in range(0, count, 10_000):
            stream.write(
                b"".join(template.replace(b"@ID@", b"e%08d" % n) for n in range(start, min(start + 10_000, count)))
            )
    return path


def test_ctrl_c_stops_after_whole_batches_and_says_so(db: Path, tmp_path: Path) -> None:
    """SIGINT during an append: exit 130, `interrupted` and the whole batches appended, no traceback;
    the ledger holds exactly those rows and verifies."""
    assert LEDGERSPEC is not None
    source = big_envelope_file(tmp_path / "big.jsonl", 100_000)
    argv = [LEDGERSPEC, "store", "append", str(db), "--batch", "100", "--progress-every", "0.1", str(source)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stderr is not None
        for text in process.stderr:
            lines.put(text)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while True:
            try:
                text = lines.get(timeout=60)
            except queue.Empty:
                pytest.fail(f"no progress line within 60 s: {''.join(seen)}")
            assert text is not None, f"exited {process.wait()} without a progress line: {''.join(seen)}"
            seen.append(text)
            if text.startswith(PROGRESS):
                break
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    while not lines.empty():
        rest = lines.get_nowait()
        if rest is not None:
            seen.append(rest)
    err = "".join(seen)
    assert code == 130, f"exit {code}: {err}"
    assert "Traceback" not in err
    assert "ledgerspec: interrupted" in err.splitlines(), err
    stopped = re.search(r"^ledgerspec: stopped after appending (\d+) document\(s\) \(whole batches only\)$", err, re.M)
    assert stopped is not None, err
    appended = int(stopped[1])
    assert appended % 100 == 0 and appended < 100_000
    assert rows(db)["experience_events"] == appended
    verifies(db)


# -- 6. progress when standard error is not a terminal ---------------------------------------


BIG = 30_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """BIG envelopes (enough for each command to run over a second): as an input file, appended to a
    ledger, and that ledger's export."""
    directory = tmp_path_factory.mktemp("big")
    source = big_envelope_file(directory / "big.jsonl", BIG)
    ledger = directory / "big.db"
    ok(ledgerspec("store", "append", ledger, source))
    ok(ledgerspec("store", "export", ledger, "-o", directory / "export.jsonl"))
    return {"input": source, "ledger": ledger, "export": directory / "export.jsonl"}


def progress_lines(err: str) -> list[str]:
    return [text for text in err.splitlines() if text.startswith(PROGRESS)]


@pytest.mark.parametrize("command", ["append", "import", "copy", "verify"])
def test_progress_lines_on_a_pipe(big: dict[str, Path], tmp_path: Path, command: str) -> None:
    """`--progress-every 0.1`: `ledgerspec: progress: ` lines naming a never decreasing `N document(s)`
    (and `p%` of the input's bytes for append and import); stdout stays the summary alone."""
    target = tmp_path / "target.db"
    argv: dict[str, tuple[str | Path, ...]] = {
        "append": ("append", target, big["input"]),
        "import": ("import", target, big["export"]),
        "copy": ("copy", big["ledger"], target),
        "verify": ("verify", big["ledger"]),
    }
    done = ok(ledgerspec("store", *argv[command], "--progress-every", "0.1"))
    found = progress_lines(done.stderr)
    assert len(found) >= 2, done.stderr
    documents = []
    for text in found:
        count = re.search(r"(\d+) document\(s\)", text)
        assert count is not None, text
        documents.append(int(count[1]))
        if command in ("append", "import"):
            percent = re.search(r"(\d+(?:\.\d+)?)%", text)
            assert percent is not None and 0 <= float(percent[1]) <= 100, text
    assert documents == sorted(documents), found
    if command in ("append", "import"):
        assert done.stdout == summary(target, BIG, 0)
    elif command == "copy":
        assert copy_counts(done, target) == (BIG, 0)


def test_progress_every_zero_prints_no_progress(db: Path, tmp_path: Path) -> None:
    """`--progress-every 0` turns progress lines off, however many batches there are; stdout is the
    summary alone."""
    source = big_envelope_file(tmp_path / "five-thousand.jsonl", 5_000)
    done = ok(ledgerspec("store", "append", db, source, "--batch", "100", "--progress-every", "0"))
    assert progress_lines(done.stderr) == [], done.stderr
    assert done.stdout == summary(db, 5_000, 0)


# -- 7. copy moves stored bytes ---------------------------------------------------------------

NUMBERS = [
    "1.0",
    "-0.0",
    "1e2",
    "1E+2",
    "1.5e-7",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "-9223372036854775808",
]
"""Number spellings serde_json reads, in free JSON positions."""


def with_payload(document: dict[str, Any], place: list[str], raw: str) -> bytes:
    """`document` as a canonical line whose value at `place` is the JSON text `raw`, spelled as given."""
    target = document
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = "@@RAW@@"
    return line(document).replace(b'"@@RAW@@"', raw.encode())


def test_copy_keeps_the_stored_bytes_of_every_number_spelling(tmp_path: Path) -> None:
    """Free JSON numbers in every spelling serde accepts: `copy` exits 0, the two exports are byte
    identical, and copying again appends nothing."""
    proposal = ["event", "data", "proposal", "structured_payload"]
    every = "[" + ",".join(NUMBERS) + "]"
    keyed = "{" + ",".join(f'"k{index}":{number}' for index, number in enumerate(NUMBERS)) + "}"
    lines = [
        with_payload(envelope("numbers-array", "ProposalCreated"), proposal, every),
        with_payload(envelope("numbers-object", "ProposalCreated"), proposal, keyed),
        *(with_payload(envelope(f"number-{index}", "ProposalCreated"), proposal, n) for index, n in enumerate(NUMBERS)),
    ]
    lines.append(with_payload(run_event(1, run=RUN_A), ["event", "Domain", "payload"], every))
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    (tmp_path / "numbers.jsonl").write_bytes(b"".join(lines))
    ok(ledgerspec("store", "import", source, tmp_path / "numbers.jsonl"))
    total = len(lines)

    assert copy_counts(ok(ledgerspec("store", "copy", source, target)), target) == (total, 0)
    original = exported(source, tmp_path / "source.jsonl")
    assert exported(target, tmp_path / "target.jsonl") == original and len(original.splitlines()) == total
    assert copy_counts(ok(ledgerspec("store", "copy", source, target)), target) == (0, total)
