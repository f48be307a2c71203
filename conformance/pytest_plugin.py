"""pytest plugin: `pytest --ledgerspec-store=module:factory` runs every conformance scenario as
one test, named by its scenario id (installed with ledgerspec through the `pytest11` entry point,
so no conftest is needed).

Scenarios needing a capability the store does not declare are skipped, never passed. The plugin
loads in every pytest run where ledgerspec is installed, so it imports the suite only when the
option is given.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .results import ScenarioResult
    from .runner import InProcessTarget
    from .scenarios import Scenario


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ledgerspec", "ledgerspec store conformance")
    group.addoption(
        "--ledgerspec-store",
        metavar="STORE",
        help="run the conformance scenarios against STORE: module:factory, an installed store's name, "
        "or `sqlite` for the reference SqliteStore",
    )
    group.addoption("--ledgerspec-scenarios", metavar="DIR", help="scenario files to run (default: the shipped ones)")
    group.addoption("--ledgerspec-timeout", type=float, help="seconds one store call may take (default 10)")


class ScenarioCollection(pytest.Collector):
    """The parent of the scenario items, so their ids read `ledgerspec-conformance::<scenario id>`."""

    def collect(self) -> list[pytest.Item]:
        return []


class ScenarioItem(pytest.Item):
    """One scenario run against the configured store."""

    def __init__(self, *, scenario: Scenario, target: InProcessTarget, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.target = target
        self.add_marker(pytest.mark.ledgerspec_conformance)

    def runtest(self) -> None:
        from .runner import run_suite

        (result,) = run_suite(self.target, [self.scenario]).results
        if result.status == "skipped":
            pytest.skip(result.reason or "skipped")
        if result.status != "passed":
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return excinfo.value.explain()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.scenario.id}"


class ScenarioFailed(Exception):
    """A scenario that failed or errored, with its readable explanation."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.id)
        self.result = result

    def explain(self) -> str:
        failure = self.result.failure
        lines = [f"{self.result.status}: {self.result.description}", self.result.reason or ""]
        if failure is not None:
            lines.insert(1, f"step {failure.step} ({failure.op})")
        return "\n".join(lines)


_scratch: list[tempfile.TemporaryDirectory[str]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ledgerspec_conformance: a ledgerspec store conformance scenario")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("--ledgerspec-store")
    if not spec:
        return
    from .runner import DEFAULT_TIMEOUT, InProcessTarget
    from .scenarios import load_scenarios
    from .targets import resolve

    scratch = tempfile.TemporaryDirectory(prefix="ledgerspec-conformance-")
    _scratch.append(scratch)
    factory, name = resolve(None if spec == "sqlite" else spec, Path(scratch.name))
    target = InProcessTarget(factory, name, config.getoption("--ledgerspec-timeout") or DEFAULT_TIMEOUT)
    directory = config.getoption("--ledgerspec-scenarios")
    parent = ScenarioCollection.from_parent(session, name="ledgerspec-conformance")
    for scenario in load_scenarios(Path(directory) if directory else None):
        items.append(ScenarioItem.from_parent(parent, name=scenario.id, scenario=scenario, target=target))


def pytest_unconfigure(config: pytest.Config) -> None:
    while _scratch:
        _scratch.pop().cleanup()
