"""The harness protocol's messages (`conformance/schemas/harness.json`) and their validation."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import referencing

from .ops import Outcome, StepOutcome
from .scenarios import scenario_schema
from .values import conformance_dir

VERSION = 1


@cache
def _validators() -> dict[str, jsonschema.protocols.Validator]:
    harness = json.loads((conformance_dir() / "schemas" / "harness.json").read_text("utf-8"))
    scenarios = scenario_schema()
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        [
            (harness["$id"], referencing.jsonschema.DRAFT202012.create_resource(harness)),
            (scenarios["$id"], referencing.jsonschema.DRAFT202012.create_resource(scenarios)),
        ]
    )
    return {
        kind: jsonschema.Draft202012Validator({"$ref": f"{harness['$id']}#/$defs/{kind}"}, registry=registry)
        for kind in ("request", "response")
    }


def problem(kind: str, message: Any) -> str | None:
    """Why `message` is not a valid protocol `request` or `response`, or None."""
    error = jsonschema.exceptions.best_match(_validators()[kind].iter_errors(message))
    return None if error is None else f"{error.json_path}: {error.message}"


def outcomes_from_json(steps: list[dict[str, Any]], outcomes: list[Any]) -> list[StepOutcome]:
    """A harness's per-step outcomes as the judge takes them (Outcome objects, nested as the
    steps are); ValueError when their shape does not follow the steps."""
    if len(outcomes) != len(steps):
        raise ValueError(f"{len(outcomes)} outcomes for {len(steps)} steps")
    return [_step(step, outcome) for step, outcome in zip(steps, outcomes, strict=True)]


def _step(step: dict[str, Any], outcome: Any) -> StepOutcome:
    if step["op"] == "parallel":
        branches = step["branches"]
        if not isinstance(outcome, list) or len(outcome) != len(branches):
            raise ValueError("a parallel step needs one outcome list per branch")
        return [outcomes_from_json(branch, list(found)) for branch, found in zip(branches, outcome, strict=True)]
    if "repeat" in step:
        if not isinstance(outcome, list) or len(outcome) != step["repeat"]:
            raise ValueError(f"a step repeated {step['repeat']} times needs as many outcomes")
        return [_outcome(item) for item in outcome]
    return _outcome(outcome)


def _outcome(value: Any) -> Outcome:
    if not isinstance(value, dict) or ("result" in value) == ("error" in value):
        raise ValueError(f"an outcome is {{'result': ...}} or {{'error': code}}, not {json.dumps(value)[:200]}")
    if "error" in value:
        return Outcome(error=str(value["error"]), message=str(value.get("message", "")))
    return Outcome(result=value["result"])


def outcomes_to_json(outcomes: list[StepOutcome]) -> list[Any]:
    """The JSON form of in-process outcomes (what the example harness prints)."""
    return [_to_json(outcome) for outcome in outcomes]


def _to_json(outcome: Any) -> Any:
    if isinstance(outcome, Outcome):
        return outcome.as_dict()
    return [_to_json(item) for item in outcome]
