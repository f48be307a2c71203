"""What a conformance run produces: one verdict per scenario, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "skipped", "errored", "xfailed", "xpassed"]
"""`xfailed`: failed as the expected-failures file says; `xpassed`: listed there but passed
(reported, and fails the run, so the file never goes stale)."""

FAILING: frozenset[Status] = frozenset({"failed", "errored", "xpassed"})


@dataclass(frozen=True)
class StepFailure:
    """Where a scenario went wrong: the step (0-based; `branch` inside a parallel step), what it
    called, what was expected and what came back."""

    step: int
    op: str
    expected: Any
    actual: Any
    message: str
    branch: int | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """The verdict on one scenario."""

    id: str
    description: str
    capabilities: tuple[str, ...]
    status: Status
    seconds: float
    reason: str | None = None
    """Why it was skipped or errored, or the failure message."""
    failure: StepFailure | None = None


@dataclass
class RunReport:
    """A whole run: the store, the suite and every scenario's verdict, in order."""

    suite_version: str
    store: dict[str, Any]
    results: list[ScenarioResult] = field(default_factory=list)
    seconds: float = 0.0

    def tally(self) -> dict[str, int]:
        """How many scenarios ended in each status."""
        counts = dict.fromkeys(("passed", "failed", "skipped", "errored", "xfailed", "xpassed"), 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    @property
    def ok(self) -> bool:
        """True when nothing failed, errored or passed unexpectedly (the exit code is 0)."""
        return not any(result.status in FAILING for result in self.results)
