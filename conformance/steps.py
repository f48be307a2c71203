"""A scenario's steps as typed values: parsed once from the scenario file, then walked by the
in-process executor, the harness target, the judge and the lint alike.

A step is a `Call` (one operation, perhaps repeated or on a tenant's view) or a `Parallel` step
(branches of calls released together). Only the runner sees a call's `Expectation`; what a harness
receives is `wire()`, the operations and their arguments alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

ExpectationKind = Literal["result", "match", "error", "ids", "blocks", "count_in", "stored"]
EXPECTATION_KINDS: tuple[ExpectationKind, ...] = ("result", "match", "error", "ids", "blocks", "count_in", "stored")


@dataclass(frozen=True)
class Expectation:
    """What a call must give: one `kind` (see the scenario format) and its `value`."""

    kind: ExpectationKind
    value: Any

    def as_dict(self) -> dict[str, Any]:
        """The scenario-file form, `{kind: value}`."""
        return {self.kind: self.value}


@dataclass(frozen=True)
class Call:
    """One call of a protocol operation. `repeat` (None: once, one outcome) makes it that many
    times, one outcome each; `tenant` makes it on that tenant's view."""

    op: str
    args: Mapping[str, Any]
    expect: Expectation | None
    """None in a step read from the protocol, which never carries expectations."""
    tenant: str | None = None
    repeat: int | None = None

    @property
    def ledger(self) -> str:
        """The ledger attribute the operation belongs to (`experience`, `runs`, ...)."""
        return self.op.split(".", 1)[0]

    @property
    def method(self) -> str:
        """The method name on that ledger."""
        return self.op.split(".", 1)[1]

    @property
    def calls(self) -> int:
        """How many times the operation is called."""
        return self.repeat or 1

    def wire(self) -> dict[str, Any]:
        """The call as a harness receives it: no expectation."""
        message: dict[str, Any] = {"op": self.op, "args": dict(self.args)}
        if self.tenant is not None:
            message["tenant"] = self.tenant
        if self.repeat is not None:
            message["repeat"] = self.repeat
        return message


@dataclass(frozen=True)
class Parallel:
    """Branches of calls run at the same time, each branch in order; with `any_order`, the
    branches' outcomes may match the expected branches in any order."""

    branches: tuple[tuple[Call, ...], ...]
    any_order: bool = False

    op = "parallel"

    def wire(self) -> dict[str, Any]:
        """The step as a harness receives it: no expectations, no judging hints."""
        return {"op": "parallel", "branches": [[call.wire() for call in branch] for branch in self.branches]}


Step: TypeAlias = Call | Parallel


def parse_step(raw: Mapping[str, Any]) -> Step:
    """A step from its scenario-file form (already checked against the scenario schema) or its
    protocol form (no expectations)."""
    if raw["op"] == "parallel":
        branches = tuple(tuple(_call(item) for item in branch) for branch in raw["branches"])
        return Parallel(branches, bool(raw.get("any_order", False)))
    return _call(raw)


def _call(raw: Mapping[str, Any]) -> Call:
    expect = None
    if "expect" in raw:
        ((kind, value),) = raw["expect"].items()
        expect = Expectation(kind, value)
    return Call(raw["op"], raw["args"], expect, raw.get("tenant"), raw.get("repeat"))


def calls(steps: tuple[Step, ...] | list[Step]) -> Iterator[Call]:
    """Every call of `steps`, branches included, in file order."""
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                yield from branch
        else:
            yield step


def longest_path(steps: tuple[Step, ...] | list[Step]) -> int:
    """The most calls one thread makes in sequence (a parallel step counts its longest branch):
    what bounds a scenario's running time."""
    total = 0
    for step in steps:
        if isinstance(step, Parallel):
            total += max(sum(call.calls for call in branch) for branch in step.branches)
        else:
            total += step.calls
    return total


def needed_capabilities(steps: tuple[Step, ...] | list[Step]) -> set[str]:
    """The capabilities the steps use: each call's ledger, `tenancy` for a tenant's view and
    `concurrency` for a parallel step."""
    needed = {"concurrency"} if any(isinstance(step, Parallel) for step in steps) else set()
    for call in calls(steps):
        needed.add(call.ledger)
        if call.tenant is not None:
            needed.add("tenancy")
    return needed
