"""What a conformance run produces: one verdict per scenario, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "skipped", "errored", "xfailed", "xpassed"]
"""`xfailed`: failed as the expected-failures file says; `xpassed`: listed there but passed
(reported, and fails the run, so the file never goes stale)."""

FAILING: frozenset[Status] = frozenset({"failed", "errored", "xpassed"})

CapabilityStatus = Literal["certified", "known-gaps", "failing", "untested"]


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
    """A whole run: the store, the suite and every scenario's verdict, in order.

    `requested` are the capabilities the run must prove: those the store declares that the chosen
    scenarios exercise, plus every `--require`d one. A capability is *certified* when at least one
    of its scenarios passed and every other one passed too; *untested* when none passed or the
    harness declined one (skipped it although the store declares what it needs)."""

    suite_version: str
    store: dict[str, Any]
    results: list[ScenarioResult] = field(default_factory=list)
    seconds: float = 0.0
    declared: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()

    def tally(self) -> dict[str, int]:
        """How many scenarios ended in each status."""
        counts = dict.fromkeys(("passed", "failed", "skipped", "errored", "xfailed", "xpassed"), 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    def _runnable(self, capability: str) -> list[ScenarioResult]:
        """The results of the scenarios needing `capability` that the store could run."""
        return [r for r in self.results if capability in r.capabilities and set(r.capabilities) <= self.declared]

    @property
    def requested(self) -> frozenset[str]:
        """What this run must prove (see the class docstring)."""
        exercised = {c for r in self.results for c in r.capabilities}
        return (self.declared & exercised) | self.required

    def capability_status(self, capability: str) -> CapabilityStatus:
        """`certified`, `known-gaps` (passed except for expected failures), `failing` or `untested`."""
        statuses = {r.status for r in self._runnable(capability)} if capability in self.declared else set()
        if statuses & FAILING:
            return "failing"
        if "passed" not in statuses or "skipped" in statuses:
            return "untested"
        return "known-gaps" if "xfailed" in statuses else "certified"

    def certified(self) -> list[str]:
        """The capabilities this run certifies, sorted."""
        return sorted(c for c in self.declared if self.capability_status(c) == "certified")

    def problems(self) -> list[str]:
        """Why the run does not certify the store (empty: it does)."""
        found = [f"{r.id} {r.status}" for r in self.results if r.status in FAILING]
        if not any(r.status == "passed" for r in self.results):
            found.append("no scenario passed")
        for capability in sorted(self.requested):
            status = self.capability_status(capability)
            if capability not in self.declared:
                found.append(f"required capability {capability} is not declared by the store")
            elif status == "untested":
                found.append(f"capability {capability} went untested (no scenario of it passed, or one was skipped)")
            elif status == "known-gaps" and capability in self.required:
                found.append(f"required capability {capability} has expected failures")
        return found

    @property
    def ok(self) -> bool:
        """True when the store conforms: nothing failed, errored or passed unexpectedly, at least
        one scenario passed and every requested capability was tested (the exit code is 0)."""
        return not self.problems()
