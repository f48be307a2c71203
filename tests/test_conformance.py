"""The conformance suite: the reference and in-memory stores pass it, every deliberately broken
store fails it, and its verdicts, reports and failure handling are what a store author relies on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from ledgerspec.cli import main
from ledgerspec.conformance.harness import HarnessTarget
from ledgerspec.conformance.mutants import BROKEN
from ledgerspec.conformance.operations import operations
from ledgerspec.conformance.report import as_json, write_junit
from ledgerspec.conformance.runner import InProcessTarget, TargetError, run_suite
from ledgerspec.conformance.scenarios import lint, load_scenarios, scenario_schema
from ledgerspec.conformance.steps import calls
from ledgerspec.conformance.values import conformance_dir
from ledgerspec.store import SqliteStore
from ledgerspec.store.memory import MemoryStore

SCENARIOS = load_scenarios()
RUN = "67e55044-10b1-426f-9247-bb680e5fe0c8"


def sqlite_factory(directory: Path) -> Any:
    return lambda: SqliteStore(directory / f"{uuid.uuid4().hex}.db", synchronous="NORMAL")


def failing(report: Any) -> list[str]:
    return [f"{r.id}: {r.status}: {r.reason}" for r in report.results if r.status != "passed"]


def test_the_corpus_is_well_formed_and_covers_every_operation() -> None:
    assert lint() == []
    used = {call.op for s in SCENARIOS for call in calls(s.steps)}
    schema = scenario_schema()
    assert used == set(schema["$defs"]["operation"]["properties"]["op"]["enum"]) == set(operations())
    capabilities = {c for s in SCENARIOS for c in s.capabilities}
    assert capabilities == set(schema["$defs"]["capability"]["enum"])


def test_the_reference_store_passes_everything(tmp_path: Path) -> None:
    report = run_suite(InProcessTarget(sqlite_factory(tmp_path), "sqlite"), SCENARIOS)
    assert failing(report) == []
    assert report.ok and report.tally()["passed"] == len(SCENARIOS)


def test_the_in_memory_store_passes_everything_it_declares() -> None:
    report = run_suite(InProcessTarget(MemoryStore, "memory"), SCENARIOS)
    assert failing(report) == []


def test_undeclared_capabilities_are_skipped_never_passed() -> None:
    class ExperienceOnly:
        capabilities = frozenset({"experience"})

        def __init__(self) -> None:
            self.experience = MemoryStore().experience

    report = run_suite(InProcessTarget(ExperienceOnly, "experience-only"), SCENARIOS)
    for result in report.results:
        if set(result.capabilities) - {"experience"}:
            assert result.status == "skipped" and "store lacks" in (result.reason or "")
        else:
            assert result.status == "passed", result
    assert report.ok and report.tally()["skipped"] > 0


def _scenario(tmp_path: Path, *steps: dict[str, Any], capabilities: tuple[str, ...] = ("runs",)) -> Path:
    directory = tmp_path / "scenarios"
    directory.mkdir(exist_ok=True)
    body = {
        "area": "t",
        "scenarios": [
            {
                "id": "t/one",
                "description": "d",
                "rules": ["t.rule"],
                "capabilities": list(capabilities),
                "steps": list(steps),
            }
        ],
    }
    (directory / "t.json").write_text(json.dumps(body))
    return directory


HEAD = {"op": "runs.head_seq", "args": {"run_id": RUN}, "expect": {"result": 0}}


def test_expected_failures_are_xfailed_and_stale_entries_xpassed(tmp_path: Path) -> None:
    wrong = _scenario(tmp_path, {**HEAD, "expect": {"result": 7}})
    target = InProcessTarget(MemoryStore, "memory")
    (xfailed,) = run_suite(target, load_scenarios(wrong), expected_failures=frozenset({"t/one"})).results
    assert xfailed.status == "xfailed"
    right = _scenario(tmp_path, HEAD)
    report = run_suite(target, load_scenarios(right), expected_failures=frozenset({"t/one"}))
    assert report.results[0].status == "xpassed" and not report.ok


def test_a_failure_names_the_step_expected_and_actual(tmp_path: Path) -> None:
    append = {"op": "runs.append", "args": {"run_id": RUN, "expected_seq": 3, "events": []}, "expect": {"result": 3}}
    (result,) = run_suite(
        InProcessTarget(MemoryStore, "memory"), load_scenarios(_scenario(tmp_path, HEAD, append))
    ).results
    assert result.status == "failed" and result.failure is not None
    assert (result.failure.step, result.failure.op) == (1, "runs.append")
    assert result.failure.expected == {"result": 3} and result.failure.actual["error"] == "concurrency"
    assert "expected a result, got error concurrency" in result.failure.message


def test_a_hanging_store_is_errored_and_the_run_goes_on(tmp_path: Path) -> None:
    class Hangs:
        capabilities = frozenset({"runs"})

        class runs:  # noqa: N801 - a ledger attribute
            @staticmethod
            def head_seq(run_id: str) -> int:
                time.sleep(5)
                return 0

    scenarios = load_scenarios(_scenario(tmp_path, HEAD)) * 2
    started = time.perf_counter()
    report = run_suite(InProcessTarget(Hangs, "hangs", timeout=0.2), scenarios)
    assert [r.status for r in report.results] == ["errored", "errored"]
    assert "did not return within 0.2 s" in (report.results[0].reason or "")
    assert time.perf_counter() - started < 3


def test_a_factory_that_raises_is_reported(tmp_path: Path) -> None:
    calls = []

    def flaky() -> MemoryStore:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("no database today")
        return MemoryStore()

    report = run_suite(InProcessTarget(flaky, "flaky"), load_scenarios(_scenario(tmp_path, HEAD)))
    assert report.results[0].status == "errored" and "no database today" in (report.results[0].reason or "")

    def broken() -> MemoryStore:
        raise RuntimeError("cannot connect")

    with pytest.raises(TargetError, match="cannot connect"):
        InProcessTarget(broken, "broken")


def test_a_store_raising_a_foreign_exception_fails_with_its_type(tmp_path: Path) -> None:
    class Raises:
        capabilities = frozenset({"runs"})

        class runs:  # noqa: N801
            @staticmethod
            def head_seq(run_id: str) -> int:
                raise KeyError(run_id)

    (result,) = run_suite(InProcessTarget(Raises, "raises"), load_scenarios(_scenario(tmp_path, HEAD))).results
    assert result.status == "failed" and "got error unexpected: KeyError" in (result.reason or "")


def test_json_report_matches_its_schema_and_junit_parses(tmp_path: Path) -> None:
    report = run_suite(InProcessTarget(BROKEN["newest-first"], "newest-first"), SCENARIOS)
    document = as_json(report)
    schema = json.loads((conformance_dir() / "schemas" / "report.json").read_text())
    jsonschema.validate(document, schema)
    assert document["ok"] is False and document["tally"]["failed"] >= 1
    write_junit(report, tmp_path / "junit.xml")
    suite = ElementTree.parse(tmp_path / "junit.xml").getroot()
    assert suite.tag == "testsuite" and int(suite.get("tests")) == len(SCENARIOS)
    assert int(suite.get("failures")) == document["tally"]["failed"]
    assert len(suite.findall("testcase/failure")) == document["tally"]["failed"]


def test_cli_default_store_conforms_and_reports(tmp_path: Path) -> None:
    import io

    out, err = io.StringIO(), io.StringIO()
    code = main(["conformance", "--report", "json", "--junit", str(tmp_path / "j.xml")], out, err)
    document = json.loads(out.getvalue())
    assert code == 0, err.getvalue()
    assert document["store"]["name"] == "ledgerspec SqliteStore" and document["tally"]["failed"] == 0
    assert (tmp_path / "j.xml").exists()


def test_cli_module_factory_and_errors(tmp_path: Path) -> None:
    import io

    out, err = io.StringIO(), io.StringIO()
    assert main(["conformance", "ledgerspec.store.memory:MemoryStore", "--only", "runs/"], out, err) == 0
    assert "The store conforms." in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["conformance", "no.such.module:factory"], out, err) == 2
    assert "no.such.module" in err.getvalue()
    assert main(["conformance", "not-installed"], io.StringIO(), err) == 2
    assert "ledgerspec.stores entry points" in err.getvalue()


def test_pytest_plugin_runs_one_test_per_scenario(tmp_path: Path) -> None:
    directory = _scenario(tmp_path, HEAD, {**HEAD, "expect": {"result": 1}})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--ledgerspec-store=ledgerspec.store.memory:MemoryStore",
            f"--ledgerspec-scenarios={directory}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "1 failed" in done.stdout
        and "t/one" in done.stdout
        and "/: expected 1 (integer), got 0 (integer)" in done.stdout
    )


SERVE = f"{sys.executable} -m ledgerspec.conformance.serve"


def test_the_whole_suite_passes_through_the_example_harness() -> None:
    target = HarnessTarget(SERVE, validate=True)
    try:
        report = run_suite(target, SCENARIOS)
    finally:
        target.close()
    assert failing(report) == []
    assert report.store["kind"] == "harness" and report.store["language"] == "python"


# A harness whose answers go wrong after `start`, in one of several ways, chosen by argv[1].
BAD_HARNESS = """
import json, sys
mode = sys.argv[1]
for line in sys.stdin:
    request = json.loads(line)
    if request["cmd"] == "stop":
        break
    if request["cmd"] == "start":
        print(json.dumps({"version": 2, "store": {"name": "bad", "capabilities": ["runs"]}}), flush=True)
        continue
    if mode == "garbage":
        print("this is not json", flush=True)
    elif mode == "exit":
        sys.exit(3)
    elif mode == "wrong-seq":
        print(json.dumps({"seq": request["seq"] + 100, "outcomes": []}), flush=True)
    elif mode == "silent":
        import time; time.sleep(30)
    elif mode == "skip":
        print(json.dumps({"seq": request["seq"], "skipped": {"reason": "not today"}}), flush=True)
    elif mode == "bad-shape":
        print(json.dumps({"seq": request["seq"], "outcomes": [{"result": 0, "error": "x"}]}), flush=True)
"""


@pytest.mark.parametrize(
    ("mode", "status", "reason"),
    [
        ("garbage", "errored", "not JSON"),
        ("exit", "errored", "exited (code 3)"),
        ("wrong-seq", "errored", "answered seq"),
        ("silent", "errored", "sent nothing within"),
        ("skip", "skipped", "not today"),
        ("bad-shape", "errored", "do not follow the steps"),
    ],
)
def test_a_misbehaving_harness_is_reported_and_the_run_goes_on(
    tmp_path: Path, mode: str, status: str, reason: str
) -> None:
    script = tmp_path / "bad.py"
    script.write_text(BAD_HARNESS)
    target = HarnessTarget(f"{sys.executable} {script} {mode}", timeout=0.5)
    scenarios = load_scenarios(_scenario(tmp_path, HEAD)) * 2
    try:
        report = run_suite(target, scenarios)
    finally:
        target.close()
    assert [r.status for r in report.results] == [status, status]
    assert reason in (report.results[0].reason or "")


def test_protocol_validation_catches_a_malformed_answer(tmp_path: Path) -> None:
    script = tmp_path / "bad.py"
    script.write_text(BAD_HARNESS)
    target = HarnessTarget(f"{sys.executable} {script} bad-shape", timeout=2, validate=True)
    try:
        (result,) = run_suite(target, load_scenarios(_scenario(tmp_path, HEAD))).results
    finally:
        target.close()
    assert result.status == "errored" and "breaks the protocol" in (result.reason or "")


def test_a_harness_that_cannot_start_is_a_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="cannot start harness"):
        HarnessTarget("/nonexistent/harness --flag")


def test_an_installed_store_is_found_by_its_entry_point_name(tmp_path: Path) -> None:
    """A distribution on the path registering `ledgerspec.stores = memory-copy` (the real entry
    point machinery, through a dist-info directory) is run by name."""
    dist = tmp_path / "site" / "fakestore-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fakestore\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ledgerspec.stores]\nmemory-copy = ledgerspec.store.memory:MemoryStore\n")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ledgerspec.cli import main; sys.exit(main())",
            "conformance",
            "memory-copy",
            "--only",
            "artifacts/",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "memory-copy" in done.stdout and "The store conforms." in done.stdout
