"""Run scenarios against a store and judge every step: the core both plug-in paths share."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version
from typing import Any, Protocol

from ledgerspec import Codec, default_codec

from .judge import Judge
from .ops import Operations, StepOutcome, StepTimeout, run_steps
from .results import FAILING, RunReport, ScenarioResult, Status, StepFailure
from .scenarios import Scenario
from .steps import Call, Parallel

CAPABILITIES = ("experience", "runs", "artifacts", "journal", "tenancy", "concurrency")
DEFAULT_TIMEOUT = 10.0
"""Seconds one store call may take before its scenario is reported errored."""


class TargetError(Exception):
    """The store could not run a scenario at all (its factory raised, a call hung, a harness
    broke the protocol): the scenario is reported `errored` and the run goes on."""


class UsageError(Exception):
    """A run that could not prove anything as asked: an unknown capability, an `--only` that
    matches no scenario, an expected failure naming no scenario. The CLI exits 2."""


class ScenarioSkipped(Exception):
    """A harness declined a scenario; it is reported skipped with the harness's reason."""


class Target(Protocol):
    """Something that runs a scenario's steps on a fresh store and reports each step's outcome."""

    capabilities: frozenset[str]
    metadata: dict[str, Any]

    def run(self, scenario: Scenario) -> list[StepOutcome]: ...

    def close(self) -> None: ...


def known_capabilities(declared: Iterable[str], who: str) -> frozenset[str]:
    """`declared` as a set, or UsageError naming every capability the suite does not know (a
    misspelled one would otherwise leave its ledger silently untested)."""
    found = frozenset(declared)
    unknown = sorted(found - set(CAPABILITIES))
    if unknown:
        raise UsageError(f"{who} names unknown capabilities {', '.join(unknown)} (known: {', '.join(CAPABILITIES)})")
    return found


def declared_capabilities(store: Any) -> frozenset[str]:
    """A store's `capabilities` attribute, or, without one, one capability per ledger attribute it
    has (`tenancy` and `concurrency` are never assumed)."""
    declared = getattr(store, "capabilities", None)
    if declared is not None:
        return frozenset(declared)
    return frozenset(name for name in CAPABILITIES[:4] if getattr(store, name, None) is not None)


def _close(store: Any) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


class InProcessTarget:
    """A Python store made by `factory` (called once per scenario, so each starts empty)."""

    def __init__(self, factory: Callable[[], Any], name: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.factory = factory
        self.timeout = timeout
        self.operations = Operations()
        try:
            probe = factory()
        except Exception as exc:
            raise TargetError(f"the store factory {name} raised {type(exc).__name__}: {exc}") from exc
        try:
            self.capabilities = known_capabilities(declared_capabilities(probe), f"the store {name}")
        finally:
            _close(probe)
        self.metadata = {"name": name, "kind": "in-process", "class": type(probe).__qualname__}

    def run(self, scenario: Scenario) -> list[StepOutcome]:
        try:
            store = self.factory()
        except Exception as exc:
            raise TargetError(f"the store factory raised {type(exc).__name__}: {exc}") from exc
        try:
            return run_steps(self.operations, store, scenario.steps, self.timeout)
        except StepTimeout as exc:
            raise TargetError(str(exc)) from None
        finally:
            _close(store)

    def close(self) -> None:
        """Nothing to release: every store is closed after its scenario."""


def select(
    scenarios: Sequence[Scenario], only: Sequence[str] = (), expected_failures: frozenset[str] = frozenset()
) -> list[Scenario]:
    """The scenarios whose id starts with one of `only` (all without it); UsageError when a prefix
    matches nothing or an expected failure names no scenario of the corpus."""
    known = {s.id for s in scenarios}
    stale = sorted(expected_failures - known)
    if stale:
        raise UsageError(f"--expected-failures names scenarios that do not exist: {', '.join(stale)}")
    if not only:
        return list(scenarios)
    idle = [prefix for prefix in only if not any(s.id.startswith(prefix) for s in scenarios)]
    if idle:
        raise UsageError(f"--only {', '.join(idle)} matches no scenario")
    return [s for s in scenarios if any(s.id.startswith(prefix) for prefix in only)]


class _Judging:
    """Finds the first step of a scenario whose outcome misses its expectation."""

    def __init__(self, judge: Judge) -> None:
        self.judge = judge

    def call_failure(self, call: Call, outcome: Any) -> str | None:
        outcomes = outcome if call.repeat is not None else [outcome]
        for number, each in enumerate(outcomes):
            problem = self.judge.verdict(call, each)
            if problem is not None:
                return problem if call.repeat is None else f"call {number + 1} of {len(outcomes)}: {problem}"
        return None

    def branch_failure(self, branch: Sequence[Call], outcomes: Sequence[Any]) -> tuple[int, str] | None:
        for index, (call, outcome) in enumerate(zip(branch, outcomes, strict=True)):
            problem = self.call_failure(call, outcome)
            if problem is not None:
                return index, problem
        return None

    def first_failure(self, scenario: Scenario, outcomes: Sequence[StepOutcome]) -> StepFailure | None:
        """The first step whose outcome misses its expectation (None: the scenario passed)."""
        for index, (step, outcome) in enumerate(zip(scenario.steps, outcomes, strict=True)):
            if isinstance(step, Call):
                problem = self.call_failure(step, outcome)
                if problem is not None:
                    return StepFailure(index, step.op, _expected(step), _shown(outcome), problem)
                continue
            failure = self._parallel_failure(step, outcome)
            if failure is not None:
                branch, at, problem = failure
                expected = [[_expected(call) for call in b] for b in step.branches]
                actual = [[_shown(o) for o in b] for b in outcome]
                return StepFailure(index, "parallel", expected, actual, f"branch {branch} step {at}: {problem}", branch)
        return None

    def _parallel_failure(self, step: Parallel, outcome: Any) -> tuple[int, int, str] | None:
        branches = step.branches
        orders = itertools.permutations(range(len(branches))) if step.any_order else [range(len(branches))]
        first: tuple[int, int, str] | None = None
        for order in orders:
            found = [self.branch_failure(branches[want], got) for want, got in zip(order, outcome, strict=True)]
            failed = next(((b, p) for b, p in enumerate(found) if p is not None), None)
            if failed is None:
                return None
            first = first or (failed[0], *failed[1])
        return first


def _expected(call: Call) -> Any:
    return None if call.expect is None else call.expect.as_dict()


def _shown(outcome: Any) -> Any:
    return [o.as_dict() for o in outcome] if isinstance(outcome, list) else outcome.as_dict()


def run_suite(
    target: Target,
    scenarios: Iterable[Scenario],
    *,
    expected_failures: frozenset[str] = frozenset(),
    required: frozenset[str] = frozenset(),
    on_result: Callable[[ScenarioResult], object] = lambda result: None,
    exit_first: bool = False,
    codec: Codec | None = None,
) -> RunReport:
    """Run every scenario: skipped when it needs a capability the store does not declare,
    errored when the target cannot run it, else passed or failed step by step; listed expected
    failures become xfailed (or xpassed when they pass). `exit_first` stops at the first
    scenario that fails the run. Results are judged in serde's form, read through `codec`."""
    report = RunReport(
        suite_version=version("ledgerspec"),
        store=dict(target.metadata),
        declared=target.capabilities,
        required=known_capabilities(required, "--require"),
    )
    report.store["capabilities"] = sorted(target.capabilities)
    judging = _Judging(Judge(codec or default_codec()))
    started = time.perf_counter()
    for scenario in scenarios:
        result = _run_one(target, judging, scenario, scenario.id in expected_failures)
        report.results.append(result)
        on_result(result)
        if exit_first and result.status in FAILING:
            break
    report.seconds = time.perf_counter() - started
    return report


def _run_one(target: Target, judging: _Judging, scenario: Scenario, expected_to_fail: bool) -> ScenarioResult:
    def result(
        status: Status, seconds: float, reason: str | None = None, failure: StepFailure | None = None
    ) -> ScenarioResult:
        return ScenarioResult(
            scenario.id, scenario.description, scenario.capabilities, status, seconds, reason, failure
        )

    missing = sorted(set(scenario.capabilities) - target.capabilities)
    if missing:
        return result("skipped", 0.0, f"store lacks {', '.join(missing)}")
    started = time.perf_counter()
    try:
        outcomes = target.run(scenario)
    except ScenarioSkipped as exc:
        return result("skipped", time.perf_counter() - started, str(exc))
    except TargetError as exc:
        return result("errored", time.perf_counter() - started, str(exc))
    seconds = time.perf_counter() - started
    failure = judging.first_failure(scenario, outcomes)
    if failure is None:
        if expected_to_fail:
            return result("xpassed", seconds, "listed as an expected failure but passed")
        return result("passed", seconds)
    return result("xfailed" if expected_to_fail else "failed", seconds, failure.message, failure)
