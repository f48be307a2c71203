"""The reference engine: validators of the Python `jsonschema` library over a local `referencing`
registry, with ledgerspec's keywords, which the test suite cross-checks jsonschema-rs against.
Imported only when a `Validator(engine="python")` is made (its libraries take tens of
milliseconds to import).

`pattern` gets ECMA-262 semantics here: `$` matches only at the very end (Python's `$` also
matches before a trailing newline).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema
from jsonschema import Draft202012Validator

from .contract import SET_ORDER, Contract
from .keywords import LITERAL_PROBLEMS, MAX_BYTES, set_order_problem, utf8_length_problem
from .validation import RawError


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """Compile a schema pattern so a final `$` means end of input, as in ECMA-262."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if isinstance(instance, str) and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _literal(keyword: str) -> Callable[[Any, Any, Any, Any], Iterator[Any]]:
    """The jsonschema validator function of one of `LITERAL_PROBLEMS`."""
    problem_of = LITERAL_PROBLEMS[keyword]

    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        problem = problem_of(instance) if value else None
        if problem:
            yield jsonschema.ValidationError(problem)

    return check


def _set_order(validator: Any, order: list[Any], instance: Any, schema: Any) -> Iterator[Any]:
    problem = set_order_problem(instance, order)
    if problem:
        yield jsonschema.ValidationError(problem)


def _max_bytes(validator: Any, limit: int, instance: Any, schema: Any) -> Iterator[Any]:
    problem = utf8_length_problem(instance, limit)
    if problem:
        yield jsonschema.ValidationError(problem)


def _json_number(checker: Any, instance: Any) -> bool:
    """A JSON number: no bool, and no NaN or infinity (which no JSON text holds)."""
    if isinstance(instance, float):
        return math.isfinite(instance)
    return isinstance(instance, int) and not isinstance(instance, bool)


PythonValidator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={
        "pattern": _pattern,
        MAX_BYTES: _max_bytes,
        SET_ORDER: _set_order,
        **{name: _literal(name) for name in LITERAL_PROBLEMS},
    },
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("number", _json_number),
)


def _without_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without `$schema`: jsonschema would otherwise switch a `$ref` target back to
    its stock 2020-12 validator, dropping the ledgerspec keywords."""
    return {key: value for key, value in schema.items() if key != "$schema"}


class PythonBackend:
    """Validators of the Python `jsonschema` library over a local `referencing` registry."""

    def __init__(self, contract: Contract) -> None:
        self._contract = contract
        self._registries: dict[bool, referencing.Registry[Any]] = {}
        self._validators: dict[tuple[str, bool], Any] = {}

    def _validator(self, qualified: str, strict: bool) -> Any:
        key = (qualified, strict)
        validator = self._validators.get(key)
        if validator is None:
            if strict not in self._registries:
                spec = referencing.jsonschema.DRAFT202012
                resources = [
                    (uri, spec.create_resource(_without_dialect(schema)))
                    for uri, schema in self._contract.resources(strict)
                ]
                self._registries[strict] = referencing.Registry().with_resources(resources)
            schema = _without_dialect(self._contract.schema(qualified, strict))
            validator = PythonValidator(schema, registry=self._registries[strict])
            self._validators[key] = validator
        return validator

    def checker(
        self, qualified: str, strict: bool, integer_literals: bool, bounded: bool = False
    ) -> Callable[[Any], bool]:
        return self._validator(qualified, strict).is_valid  # type: ignore[no-any-return]

    def errors(self, qualified: str, strict: bool, instance: Any) -> list[RawError]:
        return [self._raw(e) for e in self._validator(qualified, strict).iter_errors(instance)]

    def _raw(self, error: Any) -> RawError:
        keyword = str(error.validator)
        union = None
        branches: tuple[tuple[RawError, ...], ...] = ()
        if keyword in ("oneOf", "anyOf"):
            title = error.schema.get("title") if isinstance(error.schema, dict) else None
            union = title if keyword == "oneOf" and title in self._contract.unions else None
            count = len(error.validator_value)
            grouped: list[list[RawError]] = [[] for _ in range(count)]
            for sub in error.context or ():
                grouped[sub.relative_schema_path[0]].append(self._raw(sub))
            branches = tuple(tuple(group) for group in grouped)
        return RawError(tuple(error.absolute_path), keyword, error.message, error.instance, union, branches)
