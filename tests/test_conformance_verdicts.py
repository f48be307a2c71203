"""The conformance verdict never errs in the passing direction: a harness cannot echo its way to a
pass, a run that tests nothing does not conform, usage mistakes are refused, and results are
judged on serde's form of what a store returned, with failures that point at the difference."""

from __future__ import annotations

import inspect
import io
import json
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from ledgerspec.cli import main
from ledgerspec.conformance import protocol
from ledgerspec.conformance.harness import HarnessTarget
from ledgerspec.conformance.judge import first_difference
from ledgerspec.conformance.operations import operations, with_table
from ledgerspec.conformance.runner import InProcessTarget, UsageError, run_suite
from ledgerspec.conformance.scenarios import load_scenarios
from ledgerspec.store.memory import MemoryStore
from ledgerspec.store.protocols import ArtifactStore, ExperienceStore, JournalStore, RunEventStore

SCENARIOS = load_scenarios()

# A harness that answers every call without a store, in the way argv[1] names; it also checks that
# each request is valid under the protocol schema and carries nothing a harness could echo.
TRIVIAL_HARNESS = """
import json, sys
mode = sys.argv[1]
capabilities = json.loads(sys.argv[2])
FORBIDDEN = {"expect", "description", "rules", "rule", "any_order", "capabilities"}

def keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)

def answer(call):
    if mode == "null":
        return {"result": None}
    if mode == "error":
        return {"error": "invalid_input", "message": "no"}
    if mode == "args":
        return {"result": call["args"]}
    if mode == "empty":
        return {"result": []}
    if mode == "first-arg":
        return {"result": next(iter(call["args"].values()), None)}
    raise SystemExit(mode)

def outcome(step):
    if step["op"] == "parallel":
        return [[outcome(call) for call in branch] for branch in step["branches"]]
    return [answer(step)] * step["repeat"] if "repeat" in step else answer(step)

for line in sys.stdin:
    request = json.loads(line)
    if request["cmd"] == "stop":
        break
    if request["cmd"] == "start":
        print(json.dumps({"version": 2, "store": {"name": mode, "capabilities": capabilities}}), flush=True)
        continue
    leaked = sorted(set(keys(request["scenario"]["steps"])) & FORBIDDEN)
    if leaked or set(request["scenario"]) != {"id", "steps"}:
        raise SystemExit(f"the runner sent {leaked or sorted(request['scenario'])}")
    if mode == "skip":
        print(json.dumps({"seq": request["seq"], "skipped": {"reason": "not implemented"}}), flush=True)
        continue
    steps = request["scenario"]["steps"]
    print(json.dumps({"seq": request["seq"], "outcomes": [outcome(s) for s in steps]}), flush=True)
"""

ALL = ["experience", "runs", "artifacts", "journal", "tenancy", "concurrency"]


def _trivial(tmp_path: Path, mode: str, capabilities: list[str] = ALL) -> str:
    script = tmp_path / "trivial.py"
    script.write_text(TRIVIAL_HARNESS)
    return f"{sys.executable} {script} {mode} '{json.dumps(capabilities)}'"


@pytest.mark.parametrize("mode", ["null", "error", "empty", "args", "first-arg"])
def test_a_harness_that_answers_without_a_store_passes_no_scenario(tmp_path: Path, mode: str) -> None:
    target = HarnessTarget(_trivial(tmp_path, mode), timeout=5, validate=True)
    try:
        report = run_suite(target, SCENARIOS)
    finally:
        target.close()
    assert report.tally()["errored"] == 0, [r.reason for r in report.results if r.status == "errored"][:3]
    passed = [r.id for r in report.results if r.status == "passed"]
    assert passed == [] and not report.ok


def test_a_run_request_carries_calls_only() -> None:
    scenario = next(s for s in SCENARIOS if s.id == "runs/first-append")
    request = protocol.run(7, scenario)
    assert protocol.problem("request", request) is None
    assert set(request["scenario"]) == {"id", "steps"}
    assert set(request["scenario"]["steps"][0]) == {"op", "args"}
    assert '"expect"' not in json.dumps(request)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["conformance", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_harness_that_skips_everything_does_not_conform(tmp_path: Path) -> None:
    code, out, _ = _cli("--harness", _trivial(tmp_path, "skip"), "--only", "runs/")
    assert code == 1
    assert "no scenario passed" in out and "capability runs went untested" in out
    assert "does not conform" in out


def test_a_store_declaring_nothing_does_not_conform(tmp_path: Path) -> None:
    code, out, _ = _cli("--harness", _trivial(tmp_path, "null", []))
    assert code == 1 and "no scenario passed" in out and "Certified: none" in out


def test_a_misspelled_capability_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _cli("--harness", _trivial(tmp_path, "null", ["journals", "runs"]))
    assert code == 2 and "unknown capabilities journals" in err

    class Misspelled:
        capabilities = frozenset({"runs", "tennancy"})

    with pytest.raises(UsageError, match="tennancy"):
        InProcessTarget(Misspelled, "misspelled")


def test_only_matching_nothing_and_stale_expected_failures_are_usage_errors(tmp_path: Path) -> None:
    code, _, err = _cli("--only", "run/")
    assert code == 2 and "--only run/ matches no scenario" in err
    listed = tmp_path / "xfail.txt"
    listed.write_text("runs/first-append\nruns/no-such-scenario  # typo\n")
    code, _, err = _cli("--expected-failures", str(listed), "--only", "runs/")
    assert code == 2 and "runs/no-such-scenario" in err and "runs/first-append" not in err


def test_require_demands_certification_and_reports_it(tmp_path: Path) -> None:
    code, out, _ = _cli("ledgerspec.store.memory:MemoryStore", "--only", "runs/", "--require", "runs")
    assert code == 0 and "Certified: runs." in out

    class RunsOnly:
        capabilities = frozenset({"runs"})

        def __init__(self) -> None:
            self.runs = MemoryStore().runs

    target = InProcessTarget(RunsOnly, "runs-only")
    report = run_suite(target, [s for s in SCENARIOS if s.id.startswith("runs/")], required=frozenset({"journal"}))
    assert not report.ok and "required capability journal is not declared by the store" in report.problems()

    junit = tmp_path / "j.xml"
    code, out, _ = _cli(
        "ledgerspec.store.memory:MemoryStore", "--only", "runs/", "--require", "runs,journal", "--report", "json",
        "--junit", str(junit),
    )  # fmt: skip
    document = json.loads(out)
    assert code == 1 and document["ok"] is False
    assert document["capabilities"]["certified"] == ["runs"]
    assert document["capabilities"]["required"] == ["journal", "runs"]
    assert document["capabilities"]["untested"] == ["journal"]
    properties = {p.get("name"): p.get("value") for p in ElementTree.parse(junit).getroot().iter("property")}
    assert properties["capabilities.certified"] == "runs"


def test_an_expected_failure_keeps_its_capability_from_certification() -> None:
    class WrongHead:
        capabilities = frozenset({"runs"})

        def __init__(self) -> None:
            self.runs = _HeadOffByOne(MemoryStore().runs)

    report = run_suite(
        InProcessTarget(WrongHead, "wrong-head"),
        [s for s in SCENARIOS if s.id == "runs/first-append"],
        expected_failures=frozenset({"runs/first-append"}),
    )
    assert report.results[0].status == "xfailed"
    assert report.certified() == [] and report.capability_status("runs") == "untested"
    assert not report.ok


class _HeadOffByOne:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def head_seq(self, run_id: str) -> int:
        return int(self.inner.head_seq(run_id)) + 1


@pytest.mark.parametrize(
    ("expected", "actual", "message"),
    [
        (
            [{"event": {"data": {"sampler": {"temperature": 0.0}}}}],
            [{"event": {"data": {"sampler": {"temperature": 0}}}}],
            "/0/event/data/sampler/temperature: expected 0.0 (float), got 0 (integer)",
        ),
        ({"a": 1}, {"a": 1, "b/c": None}, "/b~1c: expected no such key, got null (null)"),
        ({"a": 1, "b": 2}, {"a": 1}, "/b: expected 2 (integer), got no such key"),
        ([1, 2, 3], [1, 2], "/: expected 3 items, got 2"),
        ("\u00e9", "e\u0301", '/: expected "\\u00e9" (string), got "e\\u0301" (string)'),
        (True, 1, "/: expected true (boolean), got 1 (integer)"),
        ({"x": -0.0}, {"x": 0.0}, "/x: expected -0.0 (float), got 0.0 (float)"),
    ],
)
def test_a_failure_points_at_the_first_difference(expected: Any, actual: Any, message: str) -> None:
    assert first_difference(expected, actual) == message


def test_match_compares_only_the_keys_given() -> None:
    assert first_difference({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3}, partial=True) is None
    assert (
        first_difference({"a": {"b": 1}}, {"a": {"b": 2}}, partial=True)
        == "/a/b: expected 1 (integer), got 2 (integer)"
    )


class RawDocuments:
    """Returns stored envelopes as the raw JSON objects it received, unknown keys and all: the
    runner must judge them in serde's form, so this conforms like a store returning models."""

    capabilities = frozenset({"experience"})

    def __init__(self) -> None:
        self.experience = _Raw(MemoryStore().experience)


class _Raw:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.received: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def append_event(self, envelope: Any) -> None:
        self.append_events([envelope])

    def append_events(self, envelopes: Any) -> None:
        self.inner.append_events(envelopes)
        for envelope in envelopes:
            self.received.setdefault(envelope["event_id"], envelope)

    def query_events(self, query: Any) -> Any:
        return [self.received[m.event_id] for m in self.inner.query_events(query)]


def test_results_are_judged_in_serde_form() -> None:
    unknown = [s for s in SCENARIOS if s.id == "experience-append/unknown-top-level-keys"]
    report = run_suite(InProcessTarget(RawDocuments, "raw"), unknown)
    assert [r.status for r in report.results] == ["passed"], report.results[0].reason


def test_a_result_of_the_wrong_shape_fails_with_the_reason() -> None:
    class StringHead:
        capabilities = frozenset({"runs"})

        def __init__(self) -> None:
            self.runs = _StringHead(MemoryStore().runs)

    (result,) = run_suite(
        InProcessTarget(StringHead, "string-head"), [s for s in SCENARIOS if s.id == "runs/head-of-unknown-run"]
    ).results
    assert result.status == "failed"
    assert 'is not what runs.head_seq returns: expected a non-negative integer, got "0" (string)' in (
        result.reason or ""
    )


class _StringHead(_HeadOffByOne):
    def head_seq(self, run_id: str) -> int:
        return str(self.inner.head_seq(run_id))  # type: ignore[return-value]


def test_the_operation_table_in_the_docs_is_generated_from_the_protocol_schema() -> None:
    document = (Path(__file__).parent.parent / "docs" / "conformance.md").read_text("utf-8")
    assert with_table(document) == document, (
        "run: python -m ledgerspec.conformance.operations --write docs/conformance.md"
    )
    for name in operations():
        assert f"| `{name}` |" in document


def test_the_operation_catalogue_agrees_with_the_python_protocols() -> None:
    """The harness schema states each operation's arguments in call order; the typed protocols of
    ledgerspec.store.protocols are a second statement of the same signatures."""
    ledgers = {
        "experience": ExperienceStore,
        "runs": RunEventStore,
        "artifacts": ArtifactStore,
        "journal": JournalStore,
    }
    for name, operation in operations().items():
        ledger, method = name.split(".")
        parameters = list(inspect.signature(getattr(ledgers[ledger], method)).parameters.values())[1:]
        assert [a.name for a in operation.arguments] == [p.name for p in parameters], name
        assert [a.required for a in operation.arguments] == [p.default is inspect.Parameter.empty for p in parameters]


def test_a_python_store_whose_kept_documents_cannot_be_shown_is_not_certified() -> None:
    """Models hold no unknown key, so a store that reads back only models cannot show that it
    kept them: without a raw reader (`read_documents`), the scenarios reading back unknown keys
    fail, even for a store that kept them, and a store that drops them is never certified."""

    class ModelsOnly:
        """MemoryStore's run ledger, offering its reads as models only."""

        def __init__(self, ledger: Any) -> None:
            self.append = ledger.append
            self.head_seq = ledger.head_seq
            self.read_range = ledger.read_range

    class RunsWithoutRawReader:
        capabilities = frozenset({"runs"})

        def __init__(self) -> None:
            self.runs = ModelsOnly(MemoryStore().runs)

    scenarios = [s for s in SCENARIOS if s.id.startswith("runs")]
    assert run_suite(InProcessTarget(lambda: MemoryStore(), "memory"), scenarios).ok
    report = run_suite(InProcessTarget(RunsWithoutRawReader, "models-only"), scenarios)
    assert not report.ok and report.problems() == ["runs-edges/unknown-keys-read-back-as-stored failed"]
