"""The write side shared by every store: turn what a caller hands a store (a generated model, a
JSON object, or JSON text) into a checked document and its canonical bytes. With `stored.py` (the
read side) this is the only door between stored bytes and anything else.

A store keeps the document it received, canonicalised (RFC 8785, float literals kept floats), so
keys from a newer writer survive and two writers of the same content produce the same hash. Text
is read exactly as serde_json reads it (`jsontext.parse_document`), repeated keys included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, is_dataclass
from typing import Any, TypeAlias, TypeVar

from ..canonical import jcs_and_floats, stored_text_bytes
from ..codec import Codec
from ..errors import InvalidInputError, LedgerspecError, ValidationError
from ..jsontext import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    U64_MAX,
    Parsed,
    may_hold_integral_float,
    nests_too_deep,
    parse_document,
)
from .chain import Row
from .ledgers import U63, Ledger

T = TypeVar("T")
D = TypeVar("D")
P = TypeVar("P")
Given: TypeAlias = Any
"""What a store accepts as a document: a generated model, a JSON object (`Mapping`), JSON text
(`bytes` or `str`) or a `Parsed` document."""
TEXT = (bytes, bytearray, memoryview, str)


@dataclass(frozen=True)
class Checked:
    """A checked document: the JSON object, its canonical bytes and their SHA-256."""

    value: dict[str, Any]
    data: bytes
    digest: bytes

    def row(self, ledger: Ledger) -> Row:
        """The row of this document in `ledger`: its metadata columns, as the ledger derives them."""
        return Row(ledger.derive(self.value), self.data, self.digest)


class Documents:
    """Checks documents of the ledger types against the contract (reader or strict form)."""

    def __init__(self, codec: Codec, strict: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
        self.codec = codec
        self.strict = strict
        self.max_bytes = max_bytes

    def read(self, given: Given) -> Parsed | dict[str, Any]:
        """JSON text read exactly (raises DocumentError, an InvalidInputError, when it is not one
        JSON document within the size limit); anything else as given."""
        if isinstance(given, TEXT):
            return parse_document(bytes(given) if isinstance(given, (bytearray, memoryview)) else given, self.max_bytes)
        return given  # type: ignore[no-any-return]

    def check(self, type_name: str, given: Given) -> Checked:
        """The checked document of `given` (a model, a JSON object, or text already `read`: the
        ledgers' own methods take no text); raises InvalidInputError
        (ValidationError for schema problems, including serde's verdict on repeated keys in
        text) naming what is wrong."""
        parsed = given
        if isinstance(parsed, Parsed):
            if not isinstance(parsed.value, dict):
                raise InvalidInputError(f"expected a {type_name} (a JSON object), got JSON {_json_type(parsed.value)}")
            value = parsed.value
        elif is_dataclass(parsed) and not isinstance(parsed, type):
            value = self.codec.dump(parsed)
        elif isinstance(parsed, Mapping):
            value = parsed if isinstance(parsed, dict) else dict(parsed)
        else:
            raise InvalidInputError(f"expected a {type_name} model or a JSON object, got {type(parsed).__name__}")
        fast = stored_text_bytes(value) if isinstance(parsed, Parsed) else None
        try:
            data, floats = (fast, True) if fast is not None else jcs_and_floats(value, float_literals=True)
        except RecursionError:
            raise InvalidInputError(f"document nests deeper than {MAX_DEPTH} levels") from None
        if len(data) > self.max_bytes:
            raise InvalidInputError(f"document is {len(data)} bytes canonical; the limit is {self.max_bytes} bytes")
        if nests_too_deep(data, value):
            raise InvalidInputError(f"document nests deeper than {MAX_DEPTH} levels")
        validator = self.codec.validator
        if isinstance(parsed, Parsed) and parsed.repeats:
            problems = validator.parsed_issues(type_name, parsed, self.strict)
            if problems:
                raise ValidationError(type_name, problems)
        else:
            # The value is JSON within the nesting limit (its canonical bytes are written), and
            # whether it may hold an integral float is known: the text reader tells for text,
            # and the canonical bytes write every float as a float literal.
            if isinstance(parsed, Parsed):
                validator.validate_json_value(type_name, value, self.strict, parsed.integral_floats, bounded=False)
            else:
                integral = floats and may_hold_integral_float(data)
                validator.validate_json_value(type_name, value, self.strict, integral, bounded=True)
        return Checked(value, data, hashlib.sha256(data).digest())


def _json_type(value: Any) -> str:
    """The JSON type of a parsed value, for messages."""
    if value is None:
        return "null"
    return {bool: "boolean", str: "string", list: "array", dict: "object"}.get(type(value), "number")


def check_batch(label: str, items: Sequence[T], check: Callable[[int, T], D]) -> list[D]:
    """`check(index, item)` of every item of a batch, before anything is written; an error says
    which item it is about (`<label> <index>`, and `error.index`)."""
    checked = []
    for index, item in enumerate(items):
        try:
            checked.append(check(index, item))
        except LedgerspecError as exc:
            raise exc.located(f"{label} {index}", index) from None
    return checked


def prepare_appends(
    appends: Sequence[tuple[str, int, Sequence[Any]]], prepare: Callable[[str, int, Sequence[Any]], P]
) -> list[P]:
    """`prepare(run_id, expected_seq, events)` of every append of a multi-run batch; an error
    names the append and the event (`append 1, event 3`) and its `index` counts events across
    the appends, as if they were one batch."""
    prepared, offset = [], 0
    for number, (run_id, expected_seq, events) in enumerate(appends):
        try:
            prepared.append(prepare(run_id, expected_seq, events))
        except LedgerspecError as exc:
            where = f"append {number}, {exc.where}" if exc.where else f"append {number}"
            raise exc.located(where, None if exc.index is None else offset + exc.index) from None
        offset += len(events)
    return prepared


def sequence_number(name: str, value: Any, minimum: int = 0) -> int:
    """An integer argument such as `expected_seq`, checked to fit the store."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be an integer, got {value!r}")
    if not minimum <= value <= U63:
        raise InvalidInputError(f"{name} is {value}; it must be between {minimum} and {U63}")
    return value


def read_bound(name: str, value: Any) -> int:
    """A read's `from_seq` or `to_seq`: any u64, as upstream takes it. No stored seq passes
    U63, so a bound past it comes back as U63 + 1: beyond every row, never wrapped (as binding
    `u64::MAX` as a signed 64-bit integer would wrap it to -1 and read nothing)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be an integer, got {value!r}")
    if not 0 <= value <= U64_MAX:
        raise InvalidInputError(f"{name} is {value}; it must be a u64 (0 to {U64_MAX})")
    return min(value, U63 + 1)


def stored_integer(name: str, value: int) -> int:
    """An integer from a document that becomes a column, refused beyond SQLite's range."""
    if value > U63:
        raise InvalidInputError(f"{name} is {value}; this store holds at most {U63}")
    return value
