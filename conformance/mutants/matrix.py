"""The kill matrix: which scenarios fail each broken store, and what that says about the corpus."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..runner import InProcessTarget, run_suite
from ..scenarios import Scenario, load_scenarios
from .base import Bug

KILLING = frozenset({"failed", "errored"})
"""Verdicts that catch a broken store."""
STEP_TIMEOUT = 60.0
"""Seconds a step may take: generous, so that a loaded machine never turns a slow step into a
spurious `errored` kill (no store of the catalogue hangs)."""


@dataclass(frozen=True)
class Kills:
    """One broken store and the ids of the scenarios that caught it."""

    name: str
    rule: str
    description: str
    scenarios: tuple[str, ...]


@dataclass
class Matrix:
    """Every broken store's kills, and the rules the catalogue was checked against."""

    stores: list[Kills]
    rules: list[str]
    min_scenarios: int = 2
    notes: list[str] = field(default_factory=list)

    def survivors(self) -> list[Kills]:
        """Broken stores no scenario caught."""
        return [kills for kills in self.stores if not kills.scenarios]

    def by_rule(self) -> dict[str, set[str]]:
        """Each rule id and the distinct scenarios that kill some store breaking it."""
        found: dict[str, set[str]] = {rule: set() for rule in self.rules}
        for kills in self.stores:
            found.setdefault(kills.rule, set()).update(kills.scenarios)
        return found

    def problems(self) -> list[str]:
        """Why the corpus is not good enough: surviving stores, rules no store breaks, rules
        killed by fewer than `min_scenarios` distinct scenarios, stores naming unknown rules."""
        found = [f"{k.name} ({k.rule}) survives every scenario: {k.description}" for k in self.survivors()]
        known = set(self.rules)
        found += [f"{k.name} names the unknown rule {k.rule}" for k in self.stores if k.rule not in known]
        broken = {k.rule for k in self.stores}
        found += [f"rule {rule} is broken by no store" for rule in self.rules if rule not in broken]
        killers = self.by_rule()
        for rule in self.rules:
            if rule in broken and len(killers[rule]) < self.min_scenarios:
                found.append(
                    f"rule {rule} is killed by {len(killers[rule])} distinct scenario(s); {self.min_scenarios} needed"
                )
        return found

    def as_json(self) -> dict[str, Any]:
        """The matrix as a JSON document: rule -> store -> killing scenarios, and the problems."""
        rules: dict[str, dict[str, Any]] = {rule: {"stores": {}, "scenarios": []} for rule in self.rules}
        for kills in self.stores:
            entry = rules.setdefault(kills.rule, {"stores": {}, "scenarios": []})
            entry["stores"][kills.name] = {"description": kills.description, "killed_by": list(kills.scenarios)}
        for rule, scenarios in self.by_rule().items():
            rules[rule]["scenarios"] = sorted(scenarios)
        return {"rules": rules, "problems": self.problems(), "ok": not self.problems()}


def kill(bug: type[Bug], scenarios: Sequence[Scenario] | None = None) -> Kills:
    """Run every scenario (no early exit) against a fresh broken store of `bug` each time."""
    target = InProcessTarget(bug.make_store, bug.name(), timeout=STEP_TIMEOUT)
    report = run_suite(target, scenarios or load_scenarios())
    killers = tuple(result.id for result in report.results if result.status in KILLING)
    return Kills(bug.name(), bug.rule, bug.description(), killers)


def _kill_by_name(name: str) -> Kills:
    from . import CATALOGUE

    return kill(next(bug for bug in CATALOGUE if bug.name() == name))


def build(bugs: Sequence[type[Bug]], rules: Sequence[str], workers: int | None = None) -> Matrix:
    """The matrix of `bugs` against the shipped scenarios, run in `workers` processes (one per
    CPU by default; 1 runs in this process, which is what a catalogue not importable by name
    needs)."""
    count = workers or os.cpu_count() or 1
    if count == 1:
        scenarios = load_scenarios()
        stores = [kill(bug, scenarios) for bug in bugs]
    else:
        with ProcessPoolExecutor(count) as pool:
            stores = list(pool.map(_kill_by_name, [bug.name() for bug in bugs]))
    return Matrix(stores, list(rules))
