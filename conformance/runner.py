"""Run scenarios against a store and judge every step: the core both plug-in paths share."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version
from typing import Any, Protocol

from .judge import verdict
from .ops import Operations, StepOutcome, StepTimeout, run_steps
from .results import FAILING, RunReport, ScenarioResult, Status, StepFailure
from .scenarios import Scenario

CAPABILITIES = ("experience", "runs", "artifacts", "journal", "tenancy", "concurrency")
DEFAULT_TIMEOUT = 10.0
"""Seconds one store call may take before its scenario is reported errored."""


class TargetError(Exception):
    """The store could not run a scenario at all (its factory raised, a call hung, a harness
    broke the protocol): the scenario is reported `errored` and the run goes on."""


class ScenarioSkipped(Exception):
    """A harness declined a scenario; it is reported skipped with the harness's reason."""


class Target(Protocol):
    """Something that runs a scenario's steps on a fresh store and reports each step's outcome."""

    capabilities: frozenset[str]
    metadata: dict[str, Any]

    def run(self, scenario: Scenario) -> list[StepOutcome]: ...

    def close(self) -> None: ...


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
        self.capabilities = declared_capabilities(probe)
        self.metadata = {"name": name, "kind": "in-process", "class": type(probe).__qualname__}
        _close(probe)

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


def _branch_failure(steps: Sequence[dict[str, Any]], outcomes: Sequence[Any]) -> tuple[int, str] | None:
    for index, (step, outcome) in enumerate(zip(steps, outcomes, strict=True)):
        problem = _operation_failure(step, outcome)
        if problem is not None:
            return index, problem
    return None


def _operation_failure(step: dict[str, Any], outcome: Any) -> str | None:
    calls = outcome if "repeat" in step else [outcome]
    for number, call in enumerate(calls):
        problem = verdict(call, step["expect"])
        if problem is not None:
            return problem if "repeat" not in step else f"call {number + 1} of {len(calls)}: {problem}"
    return None


def _first_failure(scenario: Scenario, outcomes: Sequence[StepOutcome]) -> StepFailure | None:
    """The first step whose outcome misses its expectation (None: the scenario passed)."""
    for index, (step, outcome) in enumerate(zip(scenario.steps, outcomes, strict=True)):
        if step["op"] != "parallel":
            problem = _operation_failure(step, outcome)
            if problem is not None:
                return StepFailure(index, step["op"], step["expect"], _shown(outcome), problem)
            continue
        branches = step["branches"]
        orders = itertools.permutations(range(len(branches))) if step.get("any_order") else [range(len(branches))]
        problems = []
        for order in orders:
            found = [_branch_failure(branches[want], outcomes_) for want, outcomes_ in zip(order, outcome, strict=True)]
            if all(problem is None for problem in found):
                break
            problems.append(next((b, p) for b, p in enumerate(found) if p is not None))
        else:
            branch, (at, problem) = problems[0]
            expected = [[s["expect"] for s in b] for b in branches]
            actual = [[_shown(o) for o in b] for b in outcome]
            return StepFailure(index, "parallel", expected, actual, f"branch {branch} step {at}: {problem}", branch)
    return None


def _shown(outcome: Any) -> Any:
    return [o.as_dict() for o in outcome] if isinstance(outcome, list) else outcome.as_dict()


def run_suite(
    target: Target,
    scenarios: Iterable[Scenario],
    *,
    expected_failures: frozenset[str] = frozenset(),
    on_result: Callable[[ScenarioResult], object] = lambda result: None,
    exit_first: bool = False,
) -> RunReport:
    """Run every scenario: skipped when it needs a capability the store does not declare,
    errored when the target cannot run it, else passed or failed step by step; listed expected
    failures become xfailed (or xpassed when they pass). `exit_first` stops at the first
    scenario that fails the run."""
    report = RunReport(suite_version=version("ledgerspec"), store=dict(target.metadata))
    report.store["capabilities"] = sorted(target.capabilities)
    started = time.perf_counter()
    for scenario in scenarios:
        result = _run_one(target, scenario, scenario.id in expected_failures)
        report.results.append(result)
        on_result(result)
        if exit_first and result.status in FAILING:
            break
    report.seconds = time.perf_counter() - started
    return report


def _run_one(target: Target, scenario: Scenario, expected_to_fail: bool) -> ScenarioResult:
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
    failure = _first_failure(scenario, outcomes)
    if failure is None:
        if expected_to_fail:
            return result("xpassed", seconds, "listed as an expected failure but passed")
        return result("passed", seconds)
    return result("xfailed" if expected_to_fail else "failed", seconds, failure.message, failure)
