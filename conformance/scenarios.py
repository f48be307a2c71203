"""The store scenario corpus: loading, `$repeat` expansion and the lint of its files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from .values import conformance_dir

REPEAT = "$repeat"
_INDEX = re.compile(r"\{i\}")


@dataclass(frozen=True)
class Scenario:
    """One scenario: ordered steps on a fresh store, and the capabilities it needs."""

    id: str
    description: str
    capabilities: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    rules: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON form with every `$repeat` expanded: what a harness receives."""
        return {
            "id": self.id,
            "description": self.description,
            "rules": list(self.rules),
            "capabilities": list(self.capabilities),
            "steps": list(self.steps),
        }


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
    schema = scenario_schema()
    scenarios = []
    for path in sorted((directory or scenario_dir()).glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        problems = sorted(jsonschema.Draft202012Validator(schema).iter_errors(raw), key=lambda e: e.json_path)
        if problems:
            raise ValueError(f"{path.name}: {problems[0].json_path}: {problems[0].message}")
        for item in raw["scenarios"]:
            scenarios.append(
                Scenario(
                    id=item["id"],
                    description=item["description"],
                    capabilities=tuple(item["capabilities"]),
                    steps=tuple(expand(item["steps"])),
                    rules=tuple(item["rules"]),
                )
            )
    return scenarios


def lint(directory: Path | None = None) -> list[str]:
    """Problems of the corpus beyond its schema: duplicate ids, ids outside their file's area, and
    steps that need a capability the scenario does not declare."""
    problems = []
    seen: set[str] = set()
    root = directory or scenario_dir()
    for path in sorted(root.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        for item in raw.get("scenarios", []):
            sid = item.get("id", "?")
            if sid in seen:
                problems.append(f"{path.name}: duplicate scenario id {sid}")
            seen.add(sid)
            if not sid.startswith(f"{raw.get('area')}/"):
                problems.append(f"{path.name}: {sid} is not in area {raw.get('area')!r}")
            needed = _needed(item.get("steps", []))
            missing = needed - set(item.get("capabilities", []))
            if missing:
                problems.append(f"{path.name}: {sid} uses {', '.join(sorted(missing))} without declaring it")
    return problems


def _needed(steps: list[dict[str, Any]]) -> set[str]:
    needed: set[str] = set()
    for step in steps:
        if step.get("op") == "parallel":
            needed.add("concurrency")
            for branch in step.get("branches", []):
                needed |= _needed(branch)
            continue
        needed.add(str(step.get("op", "")).split(".", 1)[0])
        if "tenant" in step:
            needed.add("tenancy")
    return needed
