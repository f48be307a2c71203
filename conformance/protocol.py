"""The harness protocol's messages (`conformance/schemas/harness.json`): building the requests,
validating messages against their schema, and reading a harness's outcomes back into the shape of
the steps they answer."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal, TypedDict

import jsonschema
import referencing
import referencing.jsonschema

from ledgerspec import default_codec

from .operations import harness_schema
from .ops import Outcome, StepOutcome
from .scenarios import Scenario
from .steps import Call, Parallel, Step

VERSION = 2
"""Version 2 sends a scenario's calls without their expectations (version 1 sent whole
scenarios, so a harness could echo what the runner expected)."""


class StartRequest(TypedDict):
    """`$defs/start`: the first request, naming the protocol version."""

    cmd: Literal["start"]
    version: int


class WireScenario(TypedDict):
    """What a `run` carries of a scenario: its id and its steps' calls (`Step.wire()`)."""

    id: str
    steps: list[dict[str, Any]]


class RunRequest(TypedDict):
    """`$defs/run`: run one scenario on a fresh store."""

    cmd: Literal["run"]
    seq: int
    scenario: WireScenario


class StopRequest(TypedDict):
    """`$defs/stop`: exit; no answer."""

    cmd: Literal["stop"]


Request = StartRequest | RunRequest | StopRequest
"""Every request the runner sends (`$defs/request`). Responses come from a program the runner does
not trust, so they stay plain JSON until checked (`problem`, `outcomes_from_json`)."""


def start() -> StartRequest:
    """The first request."""
    return {"cmd": "start", "version": VERSION}


def run(seq: int, scenario: Scenario) -> RunRequest:
    """The request to run `scenario` on a fresh store: its id and calls, nothing to echo."""
    steps = [step.wire() for step in scenario.steps]
    return {"cmd": "run", "seq": seq, "scenario": {"id": scenario.id, "steps": steps}}


def stop() -> StopRequest:
    """The last request."""
    return {"cmd": "stop"}


@cache
def _validators() -> dict[str, jsonschema.protocols.Validator]:
    harness = harness_schema()
    spec = referencing.jsonschema.DRAFT202012
    types = [(uri, spec.create_resource(schema)) for uri, schema in default_codec().contract.resources(False, False)]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        [(harness["$id"], spec.create_resource(harness)), *types]
    )
    return {
        kind: jsonschema.Draft202012Validator({"$ref": f"{harness['$id']}#/$defs/{kind}"}, registry=registry)
        for kind in ("request", "response")
    }


def problem(kind: str, message: Any) -> str | None:
    """Why `message` is not a valid protocol `request` or `response`, or None."""
    error = jsonschema.exceptions.best_match(_validators()[kind].iter_errors(message))
    return None if error is None else f"{error.json_path}: {error.message}"


def outcomes_from_json(steps: tuple[Step, ...] | list[Step], outcomes: list[Any]) -> list[StepOutcome]:
    """A harness's per-step outcomes as the judge takes them (Outcome objects, nested as the
    steps are); ValueError when their shape does not follow the steps."""
    if len(outcomes) != len(steps):
        raise ValueError(f"{len(outcomes)} outcomes for {len(steps)} steps")
    return [_step(step, outcome) for step, outcome in zip(steps, outcomes, strict=True)]


def _step(step: Step, outcome: Any) -> StepOutcome:
    if isinstance(step, Parallel):
        if not isinstance(outcome, list) or len(outcome) != len(step.branches):
            raise ValueError("a parallel step needs one outcome list per branch")
        return [
            outcomes_from_json(list(branch), list(found)) for branch, found in zip(step.branches, outcome, strict=True)
        ]
    return _call(step, outcome)


def _call(call: Call, outcome: Any) -> StepOutcome:
    if call.repeat is None:
        return _outcome(outcome)
    if not isinstance(outcome, list) or len(outcome) != call.repeat:
        raise ValueError(f"a call repeated {call.repeat} times needs as many outcomes")
    return [_outcome(item) for item in outcome]


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
