"""The rules serde enforces that plain JSON Schema does not, as keywords for both validators.

- `x-integer-literal`: an integer position rejects a float literal such as `1.0` (JSON Schema
  counts it as an integer; serde does not).
- `x-max-utf8-bytes`: a string's length in UTF-8 bytes (agent-sdk ids are capped at 512 bytes).
- `pattern` with ECMA-262 semantics in the Python validator: `$` matches only at the very end
  (Python's `$` also matches before a trailing newline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from .contract import INTEGER_LITERAL

MAX_BYTES = "x-max-utf8-bytes"


def integer_literal_problem(instance: Any) -> str | None:
    """Why `instance` breaks the integer-literal rule, or None."""
    if isinstance(instance, float) and instance.is_integer():
        return f"{instance!r} is a float literal; an integer is required (write it without '.0')"
    return None


def utf8_length_problem(instance: Any, limit: int) -> str | None:
    """Why `instance` is longer than `limit` UTF-8 bytes, or None."""
    if isinstance(instance, str):
        size = len(instance.encode("utf-8", "surrogatepass"))
        if size > limit:
            return f"string is {size} UTF-8 bytes long; at most {limit} are allowed"
    return None


class IntegerLiteral:
    """jsonschema-rs keyword for `x-integer-literal`."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.enabled = bool(value)

    def validate(self, instance: Any) -> None:
        problem = integer_literal_problem(instance) if self.enabled else None
        if problem:
            raise ValueError(problem)


class MaxUtf8Bytes:
    """jsonschema-rs keyword for `x-max-utf8-bytes`."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.limit = int(value)

    def validate(self, instance: Any) -> None:
        problem = utf8_length_problem(instance, self.limit)
        if problem:
            raise ValueError(problem)


RUST_KEYWORDS: dict[str, Any] = {INTEGER_LITERAL: IntegerLiteral, MAX_BYTES: MaxUtf8Bytes}


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """Compile a schema pattern so a final `$` means end of input, as in ECMA-262."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if isinstance(instance, str) and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _integer_literal(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
    problem = integer_literal_problem(instance) if value else None
    if problem:
        yield jsonschema.ValidationError(problem)


def _max_bytes(validator: Any, limit: int, instance: Any, schema: Any) -> Iterator[Any]:
    problem = utf8_length_problem(instance, limit)
    if problem:
        yield jsonschema.ValidationError(problem)


PythonValidator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={"pattern": _pattern, INTEGER_LITERAL: _integer_literal, MAX_BYTES: _max_bytes},
)
