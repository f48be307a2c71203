"""The rules serde enforces that plain JSON Schema does not, as keywords (here for jsonschema-rs;
`python_engine` gives the reference engine the same rules):

- `x-integer-literal`: an integer position rejects a float literal such as `1.0` (JSON Schema
  counts it as an integer; serde does not).
- `x-float-literal` (writer contract): a float position holds a float literal, since serde
  writes an f32 or f64 with a fraction or an exponent (`1.0`, never `1`).
- `x-written-integer` (writer contract): a free JSON position holds no integer beyond i64/u64,
  since serde_json holds one as an f64 and writes it as ryu writes an f64.
- `x-f32-form` (writer contract): an f32 position holds a number serde writes for an f32, the
  f32 in its shortest digits (`0.3`, not `0.30000001192092896`).
- `x-set-order` (writer contract): a set's members in the order serde writes them.
- `x-max-utf8-bytes`: a string's length in UTF-8 bytes (agent-sdk ids are capped at 512 bytes).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .contract import F32_FORM, FLOAT_LITERAL, INTEGER_LITERAL, SET_ORDER, WRITTEN_INTEGER
from .jsontext import I64_MIN, U64_MAX, f32, overflows_f64, serde_float

MAX_BYTES = "x-max-utf8-bytes"


def integer_literal_problem(instance: Any) -> str | None:
    """Why `instance` breaks the integer-literal rule, or None."""
    if isinstance(instance, float) and instance.is_integer():
        return f"{instance!r} is a float literal; an integer is required (write it without '.0')"
    return None


def float_literal_problem(instance: Any) -> str | None:
    """Why `instance` breaks the float-literal rule, or None."""
    if isinstance(instance, int) and not isinstance(instance, bool):
        return f"{instance!r} is an integer literal; serde writes a float here (write {instance!r}.0)"
    return None


def written_integer_problem(instance: Any) -> str | None:
    """Why `instance`, in a free JSON position, is no number serde writes there, or None: serde_json
    holds an integer beyond i64/u64 as an f64 and writes it as one (one no f64 holds is refused
    by the f64 bounds instead)."""
    if type(instance) is int and not I64_MIN <= instance <= U64_MAX and not overflows_f64(instance):
        return (
            f"integer of {instance.bit_length()} bits is beyond i64/u64: serde_json holds it as an f64 "
            f"and writes {serde_float(float(instance))}, never these digits"
        )
    return None


def f32_form_problem(instance: Any) -> str | None:
    """Why `instance` is not a number serde writes for an f32 (an f32 in its shortest digits), or None."""
    if isinstance(instance, float) and math.isfinite(instance) and f32(instance) != instance:
        return f"{instance!r} is no f32 as serde writes it (the nearest is {f32(instance)!r})"
    return None


LITERAL_PROBLEMS: dict[str, Callable[[Any], str | None]] = {
    INTEGER_LITERAL: integer_literal_problem,
    FLOAT_LITERAL: float_literal_problem,
    WRITTEN_INTEGER: written_integer_problem,
    F32_FORM: f32_form_problem,
}
"""The literal rules, by keyword: each engine applies these where a schema sets the keyword true."""


def set_order_problem(instance: Any, order: list[Any]) -> str | None:
    """Why the set `instance` is not written as serde writes it (its members in `order`, each
    once), or None."""
    if isinstance(instance, list):
        ranks = [order.index(item) for item in instance if item in order]
        if any(earlier >= later for earlier, later in zip(ranks, ranks[1:], strict=False)):
            return "serde writes a set's members sorted in declaration order, each once"
    return None


def utf8_length_problem(instance: Any, limit: int) -> str | None:
    """Why `instance` is longer than `limit` UTF-8 bytes, or None."""
    if isinstance(instance, str):
        size = len(instance.encode("utf-8", "surrogatepass"))
        if size > limit:
            return f"string is {size} UTF-8 bytes long; at most {limit} are allowed"
    return None


class _Literal:
    """jsonschema-rs keyword for one of `LITERAL_PROBLEMS`."""

    keyword: str

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.problem = LITERAL_PROBLEMS[self.keyword] if value else None

    def validate(self, instance: Any) -> None:
        problem = self.problem(instance) if self.problem else None
        if problem:
            raise ValueError(problem)


class IntegerLiteral(_Literal):
    keyword = INTEGER_LITERAL


class FloatLiteral(_Literal):
    keyword = FLOAT_LITERAL


class WrittenInteger(_Literal):
    keyword = WRITTEN_INTEGER


class F32Form(_Literal):
    keyword = F32_FORM


class SetOrder:
    """jsonschema-rs keyword for `x-set-order`."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.order = list(value)

    def validate(self, instance: Any) -> None:
        problem = set_order_problem(instance, self.order)
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


RUST_KEYWORDS: dict[str, Any] = {
    INTEGER_LITERAL: IntegerLiteral,
    FLOAT_LITERAL: FloatLiteral,
    WRITTEN_INTEGER: WrittenInteger,
    F32_FORM: F32Form,
    SET_ORDER: SetOrder,
    MAX_BYTES: MaxUtf8Bytes,
}
