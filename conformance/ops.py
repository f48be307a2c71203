"""Carry out one scenario operation on an in-process store and report what happened as JSON.

The judge never sees Python objects: results are serde JSON (models dumped by the codec), bytes
are base64, and an error is its machine code. An out-of-process harness reports the same shape,
so one judge serves both paths.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ledgerspec import Codec, default_codec
from ledgerspec.errors import LedgerspecError

WRITES = frozenset(
    {"experience.append_event", "experience.append_events", "experience.write_artifact_state_transition"}
)
"""Operations whose return value the contract leaves open (upstream returns nothing): reported as null."""

PARAMETERS: dict[str, tuple[str, ...]] = {
    "experience.append_event": ("envelope",),
    "experience.append_events": ("envelopes",),
    "experience.query_events": ("query",),
    "experience.write_artifact_state_transition": ("artifact_id", "kind", "event"),
    "experience.get_trace_link": ("trace_link_id",),
    "experience.query_artifacts": ("query",),
    "runs.head_seq": ("run_id",),
    "runs.append": ("run_id", "expected_seq", "events"),
    "runs.read_range": ("run_id", "from_seq", "to_seq"),
    "artifacts.put": ("kind", "data"),
    "artifacts.get": ("artifact_id",),
    "artifacts.exists": ("artifact_id",),
    "journal.append": ("record",),
    "journal.read": ("run_id", "from_seq", "to_seq"),
}
"""Each operation's parameters in protocol order: stores are called positionally, so their own
parameter names do not matter. Trailing parameters a step leaves out keep the store's defaults."""


@dataclass(frozen=True)
class Outcome:
    """What one call did: its JSON result, or the error code (and message) it raised. A store that
    raises something other than a ledgerspec error gets the code `unexpected`."""

    result: Any = None
    error: str | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form, as the harness protocol carries it."""
        if self.error is None:
            return {"result": self.result}
        return {"error": self.error, "message": self.message or ""}


class Operations:
    """The fourteen protocol operations, each a function from JSON args to a JSON result."""

    def __init__(self, codec: Codec | None = None) -> None:
        self.codec = codec or default_codec()

    def model(self, type_name: str, value: Any) -> Any:
        """A model built from JSON without validation: a store must itself refuse what is invalid."""
        return self.codec.build(type_name, value)

    def call(self, store: Any, op: str, args: dict[str, Any], tenant: str | None = None) -> Outcome:
        """Run `op` with `args` on `store` (or its view of `tenant`) and report the outcome."""
        try:
            result = self._dispatch(store, op, args, tenant)
        except LedgerspecError as exc:
            return Outcome(error=exc.code, message=str(exc))
        except Exception as exc:  # a store bug, reported as such rather than crashing the run
            return Outcome(error="unexpected", message=f"{type(exc).__name__}: {exc}")
        return Outcome(result=None if op in WRITES else self._json(result))

    def _json(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode()
        if isinstance(value, list):
            return [self._json(item) for item in value]
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        return self.codec.dump(value)

    def _dispatch(self, store: Any, op: str, args: dict[str, Any], tenant: str | None) -> Any:
        ledger, method = op.split(".", 1)
        target = store.for_tenant(tenant) if tenant is not None else getattr(store, ledger)
        call: Callable[..., Any] = getattr(target, method)
        given = itertools.takewhile(lambda name: name in args, PARAMETERS[op])
        return call(*(self._argument(op, name, args[name]) for name in given))

    def _argument(self, op: str, name: str, value: Any) -> Any:
        """A JSON argument as the protocols take it: models for queries, kinds and lifecycle
        events; bytes for artifact data; documents stay JSON (stores keep what they receive)."""
        match op, name:
            case "experience.query_events", "query":
                return self.model("converge.EventQuery", value)
            case "experience.query_artifacts", "query":
                return self.model("converge.ArtifactQuery", value)
            case "experience.write_artifact_state_transition", "kind":
                return self.model("converge.ArtifactKind", value)
            case "experience.write_artifact_state_transition", "event":
                return self.model("converge.LifecycleEvent", value)
            case "artifacts.put", "kind":
                return self.model("mfm.ArtifactKind", value)
            case "artifacts.put", "data":
                return base64.b64decode(value)
        return value


class StepTimeout(Exception):
    """A store call that did not return within the per-step timeout."""


StepOutcome = Any
"""An operation step's Outcome, a list of them (a step with `repeat`), or for a parallel step one
list per branch of its operations' outcomes."""


def run_steps(operations: Operations, store: Any, steps: Sequence[dict[str, Any]], timeout: float) -> list[StepOutcome]:
    """Carry out every step in order on `store`; a call running past `timeout` seconds raises
    StepTimeout (the call's thread is left behind: a hung store cannot be interrupted)."""
    return [_run_step(operations, store, step, timeout) for step in steps]


def _run_step(operations: Operations, store: Any, step: dict[str, Any], timeout: float) -> StepOutcome:
    if step["op"] == "parallel":
        return _parallel(operations, store, step["branches"], timeout)
    calls = [_timed(operations, store, step, timeout) for _ in range(step.get("repeat", 1))]
    return calls if "repeat" in step else calls[0]


def _timed(operations: Operations, store: Any, step: dict[str, Any], timeout: float) -> Outcome:
    box: list[Outcome] = []
    worker = threading.Thread(
        target=lambda: box.append(operations.call(store, step["op"], step["args"], step.get("tenant"))), daemon=True
    )
    worker.start()
    worker.join(timeout)
    if not box:
        raise StepTimeout(f"{step['op']} did not return within {timeout:g} s")
    return box[0]


def _parallel(operations: Operations, store: Any, branches: list[list[dict[str, Any]]], timeout: float) -> StepOutcome:
    """Run the branches at once (released together by a barrier), each branch's steps in order."""
    barrier = threading.Barrier(len(branches))
    results: list[list[Any] | None] = [None] * len(branches)

    def branch(index: int) -> None:
        barrier.wait()
        results[index] = [_run_step(operations, store, step, timeout) for step in branches[index]]

    workers = [threading.Thread(target=branch, args=(i,), daemon=True) for i in range(len(branches))]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout * max(len(b) for b in branches)
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(result is None for result in results):
        raise StepTimeout(f"a parallel branch did not finish within {timeout:g} s per step")
    return results
