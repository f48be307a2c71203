"""JSON text in and out, read and written exactly as serde_json reads and writes it.

Python's `json` module is more lenient than serde_json: it reads `NaN`/`Infinity`, lone UTF-16
surrogate escapes, integers of any size and arbitrarily deep nesting (until it crashes), and it
silently keeps the last of a repeated key. `parse_document` rejects each of these with a
`DocumentError` that says where, caps the document size, and returns a `Parsed` document that
also tells what the text held beyond the value: integral float literals, integers serde_json
reads as floats, and every object whose keys repeat (whether serde accepts that depends on the
position, so `ledgerspec.duplicates` judges it against the schemas).

Speed: orjson parses the text and writes it back compact; the two texts answer, in C, what a
Python walk over the value would. When the rewrite equals the text byte for byte (serde_json's
compact output does), orjson read it exactly: a repeated key, a `-0`, an integer beyond 64 bits
or an escape would each have changed the rewrite. Otherwise equal colon counts mean no key repeats, no `.0`/`e+` in the
written numbers means no integral float and no integer beyond 64 bits, no `-0` token means no
negative zero (which orjson reads as the integer 0). Only a document that fails one of these tests
is read again by the exact reader (the `json` module with hooks), which also produces every error
message.
"""

from __future__ import annotations

import codecs
import functools
import json
import math
import re
import struct
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import orjson

from .errors import InvalidInputError

MAX_DEPTH = 127
"""Deepest nesting serde_json reads (its recursion limit of 128 rejects the 128th level)."""
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Default size cap of one document; larger ones are refused before parsing."""
I64_MIN, U64_MAX = -(2**63), 2**64 - 1
"""The integers serde_json reads exactly; it reads every other integer literal as an f64."""
F64_LIMIT = 2**1024 - 2**970
"""The smallest integer magnitude that rounds to infinity as an f64 (f64::MAX plus half an ulp):
serde_json rejects an integer literal from here on ("number out of range")."""

F32_MAX = 3.4028234663852886e38
F32_OVERFLOW = 3.4028235677973366e38
"""f32::MAX plus half an ulp: from here on, Rust's `as f32` gives infinity."""


def _as_f32(value: float) -> float:
    """`value` rounded to the nearest f32 as Rust's `as f32` does (Python's struct refuses the
    values between f32::MAX and F32_OVERFLOW that round down to f32::MAX)."""
    if abs(value) >= F32_OVERFLOW:
        return math.copysign(math.inf, value)
    if abs(value) > F32_MAX:
        return math.copysign(F32_MAX, value)
    stored: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return stored


def f32(value: float) -> float:
    """The f64 that serde prints for `value` stored as an f32 (shortest round-trip digits)."""
    stored = _as_f32(value)
    for digits in range(1, 10):
        shortest = float(f"{stored:.{digits}g}")
        if _as_f32(shortest) == stored:
            return shortest
    return stored


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_RAW_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_DIGITS = b"0" * 19
"""Every integer literal outside i64/u64 has at least 19 digits (18 digits always fit an i64)."""
_ALL_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_INTEGRAL_FRACTION = re.compile(rb"\.0(?=[,\]}]|$)")
"""In orjson's output, an integral float below 1e16 ends in `.0`; from 1e16 on it is `Ne+X`."""
_PLUS, _POINT = ord("+"), ord(".")
"""Rare bytes in JSON outside numbers; an int operand of `in` is one memchr over bytes (a
two-byte operand such as `b".0"` is searched several times slower)."""
_NEGATIVE_ZERO = re.compile(r"-0(?![0-9.eE])(?<![^:\[,\s]-0)")
"""A `-0` token: no digit, point or exponent after it, and the start of the text or a character
that may precede a value before it (so `"tenant-0"` does not match; a cheap literal-led search)."""

Members = list[tuple[str, Any]]
"""The members of one JSON object in the order written, repeated keys included."""


class DocumentError(InvalidInputError):
    """Text that is not a JSON document serde_json would read. `rule` is `malformed_json`, or
    `max_bytes` for a document over the size limit."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None, rule: str = "malformed_json"
    ) -> None:
        self.line = line
        self.column = column
        self.rule = rule
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")


class TrailingTextError(DocumentError):
    """A complete JSON document followed by more text (often a second document)."""


class Parsed(NamedTuple):
    """A document read from JSON text: its value as serde_json reads it, and what the text held
    beyond that value.

    `value` keeps the last of a repeated key (serde's maps do) and integers beyond i64/u64 with
    their exact digits (serde_json reads those as f64s: the codec converts them in free JSON
    positions; stores keep the document as received).
    """

    value: Any
    integral_floats: bool = True
    """Some float literal has an integral value (`1.0`, `2e3`, `-0`): unless this is False, an
    integer position may hold a float literal and validators must check for one."""
    wide_integers: bool = False
    """Some integer literal lies outside i64/u64 (serde_json reads it as an f64)."""
    repeats: Mapping[int, Members] | None = None
    """`id(obj)` -> members as written, for every parsed object (in `value` or in a value its
    repeated key overwrote) in which a key repeats; None when no key repeats anywhere."""


def document_too_large(size: int, limit: int) -> DocumentError:
    """The error of a document of `size` bytes over the limit (reported before any parsing)."""
    return DocumentError(f"document is {size} bytes; the limit is {limit} bytes", rule="max_bytes")


def depth(value: Any) -> int:
    """Nesting depth of a parsed value (a scalar is 0, `[]` is 1; a tuple counts as an array)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict):
            current = current.values()
        elif not isinstance(current, list | tuple):
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((item, level) for item in current if isinstance(item, dict | list | tuple))
    return deepest


def path_of(value: Any, test: Callable[[Any], bool]) -> tuple[str | int, ...] | None:
    """Path of the first key or value inside `value` (itself included) that passes `test`, or
    None; a key's path is the path of its object."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        current, where = stack.pop()
        if test(current):
            return where
        if isinstance(current, dict):
            for key, item in current.items():
                stack.append((key, where))
                stack.append((item, (*where, key)))
        elif isinstance(current, list):
            stack.extend((item, (*where, index)) for index, item in enumerate(current))
    return None


def value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    """The value at `path` inside `value` (a path `path_of` or an engine gave)."""
    return functools.reduce(lambda inner, part: inner[part], path, value)


def lone_surrogate_path(value: Any) -> tuple[str | int, ...] | None:
    """Path of the first string (key or value) holding a lone UTF-16 surrogate, or None."""
    return path_of(value, lambda item: isinstance(item, str) and _RAW_SURROGATE.search(item) is not None)


def overflows_f64(value: Any) -> bool:
    """Whether `value` is an integer no f64 holds (serde_json: "number out of range")."""
    return type(value) is int and not -F64_LIMIT < value < F64_LIMIT


JSON_WHITESPACE = b" \t\r\n"
"""The whitespace JSON text (and serde_json) allows between tokens; no other character is."""


def parse(text: str | bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """The value of one JSON document as serde_json reads it, or DocumentError. A repeated key
    keeps its last value here; use `parse_document` to learn where keys repeat."""
    return parse_document(text, max_bytes).value


def parse_document(text: str | bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> Parsed:
    """Parse one JSON document as serde_json would, or raise DocumentError (see `Parsed`)."""
    size = len(text)
    if isinstance(text, str) and 4 * size > max_bytes:  # the limit is in UTF-8 bytes: 1 to 4 a character
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise document_too_large(size, max_bytes)
    try:
        value = orjson.loads(text)  # bytes that are not UTF-8 are refused
        written = orjson.dumps(value)
        if written == (text.encode() if isinstance(text, str) else text) and not nests_too_deep(written, value):
            return Parsed(value, may_hold_integral_float(written))  # read as serde_json reads it
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if nests_too_deep(text, value) or ("-0" in text and _NEGATIVE_ZERO.search(text)):
            return _ExactReader().read(text)
    except (UnicodeDecodeError, orjson.JSONDecodeError, orjson.JSONEncodeError):
        return _ExactReader().read(text)
    if written.count(b":") != text.count(":") or "\\u003" in text:
        return _ExactReader().read(text)  # a key repeats (or a colon is escaped, and one may)
    if not may_hold_integral_float(written):
        return Parsed(value, integral_floats=False)
    if _LONG_DIGITS in text.encode().translate(_ALL_DIGITS_TO_ZERO):
        return _ExactReader().read(text)  # orjson may have read an integer beyond i64/u64 as a float
    return Parsed(value)


def nests_too_deep(text: str | bytes, value: Any) -> bool:
    """Whether `value`, read from `text`, nests deeper than serde_json reads (orjson and the
    `json` module read deeper): `depth` walks the value only when the text holds more openers
    than `MAX_DEPTH`, which two counts tell, and only a text long enough to nest that deep."""
    if len(text) <= 2 * MAX_DEPTH:
        return False
    openers = text.count("[") + text.count("{") if isinstance(text, str) else text.count(b"[") + text.count(b"{")
    return openers > MAX_DEPTH and depth(value) > MAX_DEPTH


def may_hold_integral_float(written: bytes) -> bool:
    """Whether orjson's output may hold an integral float (`1.0`, or `1e+16` and beyond: orjson
    writes every float with a point or an exponent). A string that looks like one only costs a
    slower check; a float is never missed."""
    return (_PLUS in written and b"e+" in written) or (_POINT in written and bool(_INTEGRAL_FRACTION.search(written)))


_NEGATIVE_ZERO_BYTES = re.compile(_NEGATIVE_ZERO.pattern.encode())
"""`_NEGATIVE_ZERO` over UTF-8 bytes: a `-0` token is preceded by an ASCII byte either way."""
_DIGITS_AND_OPENERS = bytes.maketrans(b"123456789{", b"000000000[")
"""Digits to `0` (runs of 19 show as `_LONG_DIGITS`) and `{` to `[` (one count of both openers)."""
_LONG_NUMBER = re.compile(rb"(?:^|[:\[,\s])-?[0-9]{19}")
"""A number token with 19 digits or more before any point: every integer literal outside
i64/u64 is one (a run of digits inside a string, such as a hash, is not)."""


def parse_value(data: bytes) -> Any:
    """`parse_document(data, len(data)).value`, the same value or the same DocumentError, in one
    orjson call for the usual document: the read path of stored documents, which needs the value
    only (not what `Parsed` tells beyond it) and reads a hundred per query.

    Why the shortcut is exact: orjson refuses what the exact reader refuses (invalid UTF-8, a
    BOM, lone surrogates, control characters, non-finite numbers, trailing text) and reads
    everything else to the same value (the last of a repeated key, in its first position, as
    `dict(members)` keeps it), except three things, which go to `parse_document`: a `-0` token
    (orjson reads the integer 0, serde the float -0.0), an integer literal beyond i64/u64 (a
    token of 19 digits or more: orjson reads a float, the exact reader keeps the digits) and
    nesting deeper than 127 levels (orjson reads up to 1024). `parse_document`'s compact re-write only finds
    repeated keys and integral float literals, which this value does not depend on.
    `test_jsontext` checks the equality on generated texts."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return parse_document(data, len(data)).value  # the exact reader's error (or a value it reads)
    folded = data.translate(_DIGITS_AND_OPENERS)
    if (
        folded.count(b"[") > MAX_DEPTH
        or (_LONG_DIGITS in folded and _LONG_NUMBER.search(data))
        or _NEGATIVE_ZERO_BYTES.search(data)
    ):
        return parse_document(data, len(data)).value
    return value


class _ExactReader:
    """One exact read of a document with the `json` module: every integer and float literal and
    every object passes through a hook, which records what `Parsed` reports."""

    def __init__(self) -> None:
        self.integral_floats = False
        self.wide_integers = False
        self.repeats: dict[int, Members] = {}
        self.decoder = json.JSONDecoder(
            object_pairs_hook=self._object,
            parse_float=self._float,
            parse_int=self._int,
            parse_constant=self._constant,
        )

    def read(self, text: str | bytes) -> Parsed:
        """Parse `text` (see `parse_document`); raises DocumentError naming the problem."""
        if isinstance(text, bytes):
            if text.startswith(codecs.BOM_UTF8):
                raise _bom()
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DocumentError(f"document is not valid UTF-8 (byte {exc.start})") from None
        elif text.startswith("\ufeff"):
            raise _bom()
        elif not text.isascii() and _RAW_SURROGATE.search(text):
            raise DocumentError("document holds a lone UTF-16 surrogate, which is not valid Unicode")
        try:
            value = self.decoder.decode(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":
                raise TrailingTextError(
                    "malformed JSON: more text after the end of the document", exc.lineno, exc.colno
                ) from None
            raise DocumentError(f"malformed JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise DocumentError(f"document nests deeper than {MAX_DEPTH} levels") from None
        if nests_too_deep(text, value):
            raise DocumentError(f"document nests deeper than {MAX_DEPTH} levels")
        if "\\u" in text and _SURROGATE_ESCAPE.search(text) and lone_surrogate_path(value) is not None:
            raise DocumentError("document holds a lone UTF-16 surrogate escape, which is not valid Unicode")
        return Parsed(value, self.integral_floats, self.wide_integers, self.repeats or None)

    def _object(self, members: Members) -> dict[str, Any]:
        obj = dict(members)
        if len(obj) != len(members):
            self.repeats[id(obj)] = members
        return obj

    def _float(self, literal: str) -> float:
        value = float(literal)
        if math.isinf(value):
            raise _out_of_range(literal)
        if value.is_integer():
            self.integral_floats = True
        return value

    def _int(self, literal: str) -> int | float:
        if literal == "-0":  # serde_json reads `-0` as the float -0.0, not as an integer
            self.integral_floats = True
            return -0.0
        if len(literal) < 19:  # fits an i64 (also: int() of a huge literal would raise)
            return int(literal)
        if math.isinf(float(literal)):
            raise _out_of_range(literal)
        value = int(literal)  # at most 309 digits now, well within Python's int-string limit
        if not I64_MIN <= value <= U64_MAX:
            self.wide_integers = True
        return value

    @staticmethod
    def _constant(name: str) -> Any:
        raise DocumentError(f"{name} is not valid JSON (serde_json rejects non-finite numbers)")


def _bom() -> DocumentError:
    return DocumentError(
        "document starts with a UTF-8 byte order mark (BOM), which serde_json rejects; save it as UTF-8 without a BOM",
        1,
        1,
    )


def _out_of_range(literal: str) -> DocumentError:
    digits = len(literal.lstrip("-"))
    shown = literal if digits <= 40 else f"{literal[:20]}... ({digits} characters)"
    return DocumentError(f"number {shown} is out of range: it overflows a 64-bit float, so serde_json rejects it")


def serde_float(value: float) -> str:
    """A finite float as serde_json writes it (ryu): shortest round-trip digits, positional from
    1e-5 up to below 1e16 with at least one decimal (`1.0`), exponent form otherwise without a
    `+` (`1e16`, `1.8446744073709552e19`, `1e-7`)."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    text = repr(value)
    if "e" not in text:  # 1e-4 <= |value| < 1e16: repr is positional, as ryu is
        return text
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    if exponent == "-05":  # ryu is positional from 1e-5 on, repr only from 1e-4 on
        return f"{sign}0.0000{mantissa.replace('.', '')}"
    return f"{sign}{mantissa}e{int(exponent)}"


def _with_serde_floats(value: Any) -> Any:
    """A copy of `value` with every float as an orjson Fragment of serde_json's text."""
    kind = type(value)
    if kind is dict:
        return {key: _with_serde_floats(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_with_serde_floats(item) for item in value]
    if kind is float and math.isfinite(value):
        return orjson.Fragment(serde_float(value))
    if kind is int and not I64_MIN <= value <= U64_MAX:
        return orjson.Fragment(int.__repr__(value))
    return value


def serialize(value: Any) -> str:
    """Compact JSON text, non-ASCII kept as is: the text serde_json writes.

    orjson writes it several times faster than `json`, with serde_json's float digits but a `+`
    in positive exponents (`1e+16`); only such a text (and a value orjson refuses, such as an
    integer beyond 64 bits) is written again with each float's serde_json text.
    """
    try:
        written = orjson.dumps(value)
    except orjson.JSONEncodeError:
        written = orjson.dumps(_with_serde_floats(value))
    else:
        if _PLUS in written and b"e+" in written:
            written = orjson.dumps(_with_serde_floats(value))
    return written.decode()
