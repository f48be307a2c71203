"""The rules serde enforces that plain JSON Schema does not, as keywords (here for jsonschema-rs;
`python_engine` gives the reference engine the same rules):

- `x-integer-literal`: an integer position rejects a float literal such as `1.0` (JSON Schema
  counts it as an integer; serde does not).
- `x-max-utf8-bytes`: a string's length in UTF-8 bytes (agent-sdk ids are capped at 512 bytes).
"""

from __future__ import annotations

from typing import Any

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
