"""Carry out a scenario's calls on an in-process store and report what happened as JSON.

The judge never sees Python objects: results are JSON (models dumped by the codec, bytes base64)
and an error is its machine code. An out-of-process harness reports the same shape, so one judge
serves both paths. Parameters and argument conversions come from the operation catalogue.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ledgerspec import Codec, default_codec
from ledgerspec.errors import LedgerspecError

from .operations import Argument, operations
from .steps import Call, Parallel, Step


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


StepOutcome = Any
"""A call's Outcome, a list of them (a call with `repeat`), or for a parallel step one list per
branch of its calls' outcomes."""


class Operations:
    """The protocol operations on a Python store: JSON arguments in, JSON outcome out."""

    def __init__(self, codec: Codec | None = None) -> None:
        self.codec = codec or default_codec()

    def call(self, store: Any, call: Call) -> Outcome:
        """Make `call` on `store` (or its view of the call's tenant) and report the outcome."""
        try:
            result = self._dispatch(store, call)
        except LedgerspecError as exc:
            return Outcome(error=exc.code, message=str(exc))
        except Exception as exc:  # a store bug, reported as such rather than crashing the run
            return Outcome(error="unexpected", message=f"{type(exc).__name__}: {exc}")
        return Outcome(result=self._json(result))

    def _json(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode()
        if isinstance(value, list):
            return [self._json(item) for item in value]
        if value is None or isinstance(value, (bool, int, float, str, dict)):
            return value
        return self.codec.dump(value)

    def _dispatch(self, store: Any, call: Call) -> Any:
        target = store.for_tenant(call.tenant) if call.tenant is not None else getattr(store, call.ledger)
        method: Callable[..., Any] = getattr(target, call.method)
        given = []
        for argument in operations()[call.op].arguments:
            if argument.name not in call.args:
                break  # trailing arguments a call leaves out keep the store's defaults
            given.append(self._argument(argument, call.args[argument.name]))
        return method(*given)

    def _argument(self, argument: Argument, value: Any) -> Any:
        """A JSON argument as the protocols take it: models for queries, kinds and lifecycle
        events (built without validation: a store must itself refuse what is invalid); bytes for
        artifact data; documents stay JSON (stores keep what they receive)."""
        if argument.kind == "model" and argument.type_name is not None:
            return self.codec.build(argument.type_name, value)
        if argument.kind == "bytes":
            return base64.b64decode(value)
        return value


class StepTimeout(Exception):
    """A store call that did not return within the per-step timeout."""


def run_steps(operations_: Operations, store: Any, steps: Sequence[Step], timeout: float) -> list[StepOutcome]:
    """Carry out every step in order on `store`; a call running past `timeout` seconds raises
    StepTimeout (the call's thread is left behind: a hung store cannot be interrupted)."""
    return [_run_step(operations_, store, step, timeout) for step in steps]


def _run_step(operations_: Operations, store: Any, step: Step, timeout: float) -> StepOutcome:
    if isinstance(step, Parallel):
        return _parallel(operations_, store, step, timeout)
    outcomes = [_timed(operations_, store, step, timeout) for _ in range(step.calls)]
    return outcomes if step.repeat is not None else outcomes[0]


def _timed(operations_: Operations, store: Any, call: Call, timeout: float) -> Outcome:
    box: list[Outcome] = []
    worker = threading.Thread(target=lambda: box.append(operations_.call(store, call)), daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise StepTimeout(f"{call.op} did not return within {timeout:g} s")
    return box[0]


def _parallel(operations_: Operations, store: Any, step: Parallel, timeout: float) -> StepOutcome:
    """Run the branches at once (released together by a barrier), each branch's calls in order."""
    barrier = threading.Barrier(len(step.branches))
    results: list[list[Any] | None] = [None] * len(step.branches)

    def branch(index: int) -> None:
        barrier.wait()
        results[index] = [_run_step(operations_, store, call, timeout) for call in step.branches[index]]

    workers = [threading.Thread(target=branch, args=(i,), daemon=True) for i in range(len(step.branches))]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout * max(len(b) for b in step.branches)
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(result is None for result in results):
        raise StepTimeout(f"a parallel branch did not finish within {timeout:g} s per step")
    return results
