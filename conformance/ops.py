"""Carry out a scenario's calls on an in-process store and report what happened as JSON.

The judge never sees Python objects: results are JSON (models dumped by the codec, bytes base64)
and an error is its machine code. An out-of-process harness reports the same shape, so one judge
serves both paths. Parameters and argument conversions come from the operation catalogue.
"""

from __future__ import annotations

import base64
import dataclasses
import threading
import time
import typing
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledgerspec import Codec, default_codec
from ledgerspec.errors import LedgerspecError
from ledgerspec.store.stored import parse as parse_stored

from .operations import Argument, operations
from .steps import Call, Parallel, Step


@dataclass(frozen=True)
class Outcome:
    """What one call did: its JSON result, or the error code (and message) it raised. A store that
    raises something other than a ledgerspec error gets the code `unexpected`."""

    result: Any = None
    error: str | None = None
    message: str | None = None
    as_stored: bool = True
    """Whether the documents of a read's result are those the store keeps (a harness's answer, or
    what a Python store's raw reader gave); False when the runner had to write models as JSON,
    which cannot hold keys the models do not know."""

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
            target = store.for_tenant(call.tenant) if call.tenant is not None else getattr(store, call.ledger)
            given = self._arguments(call)
            result = getattr(target, call.method)(*given)
            if call.op in RAW_READS and isinstance(result, list) and not all(isinstance(r, dict) for r in result):
                return self._stored(target, call, given, result)
        except LedgerspecError as exc:
            return Outcome(error=exc.code, message=str(exc))
        except Exception as exc:  # a store bug, reported as such rather than crashing the run
            return Outcome(error="unexpected", message=f"{type(exc).__name__}: {exc}")
        return Outcome(result=self._json(result))

    def _stored(self, target: Any, call: Call, given: list[Any], models: list[Any]) -> Outcome:
        """The outcome of a read that returned models: the documents the store keeps, from its raw
        reader (`RAW_READS`) when it has one and they are the documents the models hold; else the
        models as JSON, marked as such (`as_stored=False`). (Under concurrent writes the two reads
        may see different states; the models then stand, judged as they are.)"""
        dumped = [self._json(model) for model in models]
        documents = self._raw(target, call, given, models)
        if documents is None or [self._known(call, document) for document in documents] != dumped:
            return Outcome(result=dumped, as_stored=False)
        return Outcome(result=documents)

    def _known(self, call: Call, document: Any) -> Any:
        type_name = operations()[call.op].result_type
        try:
            return self.codec.dump(self.codec.load(type_name, document))
        except LedgerspecError:
            return document

    def _raw(self, target: Any, call: Call, given: list[Any], models: list[Any]) -> list[Any] | None:
        reader = getattr(target, RAW_READS[call.op], None)
        if callable(reader):
            return [_parsed(item) for item in reader(*given)]
        everything = getattr(target, "stored_documents", None)
        if call.op == "experience.query_events" or not callable(everything):
            return None
        # A ledger that lists every stored document (SqliteStore, PostgresStore): find each model's.
        key = _run_event_key if call.op == "runs.read_range" else _record_key
        stored = {key(document): document for document in (_parsed(data) for _, data in everything())}
        found = [stored.get(key(self.codec.dump(model))) for model in models]
        return None if any(document is None for document in found) else found

    def _json(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode()
        if isinstance(value, list):
            return [self._json(item) for item in value]
        if value is None or isinstance(value, (bool, int, float, str, dict)):
            return value
        return self.codec.dump(value)

    def _arguments(self, call: Call) -> list[Any]:
        given = []
        for argument in operations()[call.op].arguments:
            if argument.name not in call.args:
                break  # trailing arguments a call leaves out keep the store's defaults
            given.append(self._argument(argument, call.args[argument.name]))
        return given

    def _argument(self, argument: Argument, value: Any) -> Any:
        """A JSON argument as the protocols take it: models for queries, kinds and lifecycle
        events (built without validation: a store must itself refuse what is invalid); bytes for
        artifact data; documents stay JSON (stores keep what they receive)."""
        if argument.kind == "model" and argument.type_name is not None:
            return self._model(argument.type_name, value)
        if argument.kind == "bytes":
            return base64.b64decode(value)
        return value

    def _model(self, type_name: str, value: Any) -> Any:
        """`value` as the model of `type_name`, as a caller could build it by hand: a value no
        field's type can hold (an unknown enum name, an object naming no variant) is kept as it
        is, inside the model when the model is a dataclass, else as the argument itself, so the
        store receives it and must refuse it with the code the operation lists."""
        try:
            return self.codec.build(type_name, value)
        except (ValueError, TypeError, KeyError, AttributeError):
            return self._lenient(self.codec.types[self.codec.qualified(type_name)], value)

    def _lenient(self, model: Any, value: Any) -> Any:
        if not (isinstance(model, type) and dataclasses.is_dataclass(model) and isinstance(value, dict)):
            return value
        hints = typing.get_type_hints(model)
        fields = {field.name for field in dataclasses.fields(model)}
        given = {}
        for key, item in value.items():
            if key in fields:
                try:
                    given[key] = self.codec.converter.structure(item, hints[key])
                except (ValueError, TypeError, KeyError, AttributeError):
                    given[key] = self._lenient(hints[key], item)
        try:
            return model(**given)
        except TypeError:  # a required field is missing: no model holds this value
            return value


RAW_READS = {
    "experience.query_events": "query_documents",
    "runs.read_range": "read_documents",
    "journal.read": "read_documents",
}
"""The reads whose documents a Python store may also give as it keeps them (JSON text, bytes or
objects), by the name of that raw reader, which takes the read's arguments. Models cannot hold
keys they do not know, so only the raw reader shows that a store kept them."""


def _parsed(item: Any) -> Any:
    if isinstance(item, (bytes, bytearray, memoryview)):
        return parse_stored(bytes(item))
    if isinstance(item, str):
        return parse_stored(item.encode())
    return item


def _run_event_key(document: Any) -> tuple[str, Any]:
    return str(uuid.UUID(document["run_id"])), document["seq"]


def _record_key(document: Any) -> tuple[Any, Any]:
    return document["run_id"], document["journal_seq"]


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
