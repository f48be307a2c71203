"""The store scenario corpus: loading, `$repeat` expansion and the lint of its files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .steps import Step, needed_capabilities, parse_step
from .values import conformance_dir

REPEAT = "$repeat"
_INDEX = re.compile(r"\{i\}")


@dataclass(frozen=True)
class Scenario:
    """One scenario: ordered steps on a fresh store, and the capabilities it needs."""

    id: str
    description: str
    capabilities: tuple[str, ...]
    steps: tuple[Step, ...]
    rules: tuple[str, ...] = ()


def expand(value: Any) -> Any:
    """`value` with every `{"$repeat": {"count": n, "item": T}}` replaced by n copies of T, `{i}`
    in their strings replaced by the copy's index."""
    if isinstance(value, dict):
        if set(value) == {REPEAT}:
            spec = value[REPEAT]
            return [_indexed(expand(spec["item"]), str(index)) for index in range(spec["count"])]
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


def _indexed(value: Any, index: str) -> Any:
    if isinstance(value, str):
        return _INDEX.sub(index, value)
    if isinstance(value, dict):
        return {key: _indexed(item, index) for key, item in value.items()}
    if isinstance(value, list):
        return [_indexed(item, index) for item in value]
    return value


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    schema: dict[str, Any] = json.loads((conformance_dir() / "schemas" / "scenarios.json").read_text("utf-8"))
    return schema


def scenario_dir() -> Path:
    """Where the shipped scenario files live."""
    return conformance_dir() / "fixtures" / "scenarios"


def load_scenarios(directory: Path | None = None) -> list[Scenario]:
    """Every scenario of the corpus (the shipped one by default), file by file, with `$repeat`s
    expanded; raises ValueError naming the file when one breaks the format."""
    return [s for path in sorted((directory or scenario_dir()).glob("*.json")) for s in load_scenarios_from(path)]


def load_scenarios_from(path: Path) -> list[Scenario]:
    """The scenarios of one file; ValueError naming the file when it breaks the format."""
    raw = json.loads(path.read_text("utf-8"))
    problems = sorted(_validator().iter_errors(raw), key=lambda e: e.json_path)
    if problems:
        raise ValueError(f"{path.name}: {problems[0].json_path}: {problems[0].message}")
    return [
        Scenario(
            id=item["id"],
            description=item["description"],
            capabilities=tuple(item["capabilities"]),
            steps=tuple(parse_step(step) for step in expand(item["steps"])),
            rules=tuple(item["rules"]),
        )
        for item in raw["scenarios"]
    ]


@cache
def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(scenario_schema())


def lint(directory: Path | None = None) -> list[str]:
    """Problems of the corpus beyond its schema: duplicate ids, ids outside their file's area, and
    steps that need a capability the scenario does not declare."""
    problems = []
    seen: set[str] = set()
    root = directory or scenario_dir()
    for path in sorted(root.glob("*.json")):
        area = json.loads(path.read_text("utf-8")).get("area")
        for scenario in load_scenarios_from(path):
            if scenario.id in seen:
                problems.append(f"{path.name}: duplicate scenario id {scenario.id}")
            seen.add(scenario.id)
            if not scenario.id.startswith(f"{area}/"):
                problems.append(f"{path.name}: {scenario.id} is not in area {area!r}")
            missing = needed_capabilities(scenario.steps) - set(scenario.capabilities)
            if missing:
                problems.append(f"{path.name}: {scenario.id} uses {', '.join(sorted(missing))} without declaring it")
    return problems
