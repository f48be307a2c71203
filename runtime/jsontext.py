"""JSON text in and out, accepting exactly what serde_json accepts.

Python's `json` module is more lenient than serde_json: it reads `NaN`/`Infinity`, lone UTF-16
surrogate escapes and arbitrarily deep nesting (until it crashes). `parse` rejects each of these
with a `DocumentError` that says where, and caps the document size.
"""

from __future__ import annotations

import json
import math
import re
import threading
from typing import Any

import orjson

from .errors import InvalidInputError

MAX_DEPTH = 127
"""Deepest nesting serde_json reads (its recursion limit of 128 rejects the 128th level)."""
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Default size cap of one document; larger ones are refused before parsing."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_RAW_SURROGATE = re.compile("[\ud800-\udfff]")


class DocumentError(InvalidInputError):
    """Text that is not a JSON document serde_json would read."""

    rule = "malformed_json"

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")


def _reject_constant(name: str) -> Any:
    raise DocumentError(f"{name} is not valid JSON (serde_json rejects non-finite numbers)")


_SEEN = threading.local()


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise DocumentError(f"number {text[:40]} is out of range for a 64-bit float")
    if value.is_integer():
        _SEEN.integral_float = True
    return value


def _parse_int(text: str) -> int | float:
    if text == "-0":  # serde_json reads `-0` as the float -0.0, not as an integer
        _SEEN.integral_float = True
        return -0.0
    return int(text)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float)
_NEGATIVE_ZERO_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int
)
"""Used only for text holding `-0`, since a Python `parse_int` hook slows every integer down."""


def depth(value: Any) -> int:
    """Nesting depth of a parsed value (a scalar is 0, `[]` is 1)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict):
            current = current.values()
        elif not isinstance(current, list):
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((item, level) for item in current if isinstance(item, (dict, list)))
    return deepest


def lone_surrogate_path(value: Any) -> tuple[str | int, ...] | None:
    """Path of the first string (key or value) holding a lone UTF-16 surrogate, or None."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            if _RAW_SURROGATE.search(current):
                return where
        elif isinstance(current, dict):
            for key, item in current.items():
                stack.append((key, where))
                stack.append((item, (*where, key)))
        elif isinstance(current, list):
            stack.extend((item, (*where, index)) for index, item in enumerate(current))
    return None


def parse(text: str | bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Parse one JSON document as serde_json would, or raise DocumentError."""
    return parse_document(text, max_bytes)[0]


def parse_document(text: str | bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> tuple[Any, bool]:
    """Parse like `parse`; also tell whether any float literal has an integral value (`1.0`,
    `2e3`). Without one, no integer position can hold a float literal, and validators may skip
    that rule."""
    _SEEN.integral_float = False
    size = len(text)
    if size > max_bytes:
        raise DocumentError(f"document is {size} bytes; the limit is {max_bytes} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"document is not valid UTF-8 (byte {exc.start})") from None
    elif not text.isascii() and _RAW_SURROGATE.search(text):
        raise DocumentError("document holds a lone UTF-16 surrogate, which is not valid Unicode")
    try:
        value = (_NEGATIVE_ZERO_DECODER if "-0" in text else _DECODER).decode(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"malformed JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise DocumentError(f"document nests deeper than {MAX_DEPTH} levels") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(value) > MAX_DEPTH:
        raise DocumentError(f"document nests deeper than {MAX_DEPTH} levels")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and lone_surrogate_path(value) is not None:
        raise DocumentError("document holds a lone UTF-16 surrogate escape, which is not valid Unicode")
    return value, bool(_SEEN.integral_float)


def serialize(value: Any) -> str:
    """Compact JSON text, non-ASCII kept as is (the form serde_json writes).

    orjson writes it several times faster than `json`; an integer beyond 64 bits (possible only
    inside an arbitrary `serde_json::Value` payload) falls back to `json`.
    """
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
