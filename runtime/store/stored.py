"""Reading stored rows back. A row may have been written behind ledgerspec's back (raw SQL on a
SQLite file, a tenant role's INSERT on PostgreSQL): its document may be text instead of bytes,
NULL, not JSON, or JSON that is not a document of its ledger. Every read path checks what it
decodes, so such a row is a `CorruptionError` naming its table and position, never a traceback,
and `verify` reports the same reasons for every such row."""

from __future__ import annotations

from typing import Any

from ..canonical import jcs, stored_text_bytes
from ..codec import Codec
from ..errors import CorruptionError, LedgerspecError
from ..jsontext import DocumentError, parse_value

REMEDY = "the row was written behind ledgerspec's back (`ledgerspec store verify` lists every such row)"


class Malformed(Exception):
    """Why a stored value is not what its column must hold (the message says it)."""


def sql_kind(value: Any) -> str:
    """How a database value that should be bytes reads back, for messages."""
    if value is None:
        return "NULL"
    return {str: "text", int: "an integer", float: "a real number"}.get(type(value), type(value).__name__)


def lenient_text(value: Any) -> Any:
    """A string column's value as text, or as the bytes it holds when they are not UTF-8 (raw SQL
    can store any bytes in one), which verify then reports as a column not matching its row."""
    try:
        return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value
    except UnicodeDecodeError:
        return value


def as_bytes(value: Any, column: str = "document") -> bytes:
    """A bytes column's value; raises Malformed when the row holds something else (SQLite stores
    whatever type an INSERT gives, whatever the column's declared type)."""
    if isinstance(value, (bytes, memoryview)):
        return bytes(value)
    raise Malformed(f"{column} is {sql_kind(value)}, not bytes")


def parse(data: bytes, column: str = "document") -> Any:
    """The JSON value a stored document (or another JSON `column`) holds, read exactly as
    serde_json reads it (integers beyond 64 bits keep their digits, as they were received);
    raises Malformed when it is not JSON."""
    try:
        return parse_value(data)
    except DocumentError as exc:
        raise Malformed(f"{column} is not JSON ({exc})") from None


def checked(codec: Codec, type_name: str, data: bytes, column: str = "document") -> Any:
    """The JSON value of a stored document (or `column`), checked to be a `type_name` value
    under the reader contract; raises Malformed naming the first problems."""
    value = parse(data, column)
    issues = codec.validator.issues(type_name, value)
    if issues:
        shown = "; ".join(f"{issue.path or '/'}: {issue.message}" for issue in issues[:3])
        more = f" (and {len(issues) - 3} more)" if len(issues) > 3 else ""
        raise Malformed(f"{column} is not a valid {type_name}: {shown}{more}")
    return value


def canonical(codec: Codec, type_name: str, data: bytes, column: str = "document") -> Any:
    """`checked`, and the bytes must be the canonical form a store writes (RFC 8785, integers
    exact, float literals kept floats; other bytes would make a copy's chain differ from the
    original's)."""
    value = checked(codec, type_name, data, column)
    if not _canonical(value, data):
        raise Malformed(f"{column} is valid JSON but not in the canonical (RFC 8785) form ledgerspec stores")
    return value


def _canonical(value: Any, data: bytes) -> bool:
    """Whether `data` are the stored canonical bytes of `value` (parsed from them)."""
    fast = stored_text_bytes(value)
    if fast is not None:
        return fast == data
    try:
        return jcs(value, float_literals=True) == data
    except LedgerspecError as exc:  # a value RFC 8785 cannot write (jcs names why)
        raise Malformed(f"document has no canonical form: {exc}") from None


def corrupt(table: str, position: Any, problem: str) -> CorruptionError:
    """The error a read path raises for a malformed row."""
    return CorruptionError(f"{table} row {position}: {problem}; {REMEDY}")


def bytes_of(value: Any, table: str, position: Any, column: str = "document") -> bytes:
    """A row's bytes column (its document, hash or chain value) as bytes, or CorruptionError."""
    try:
        return as_bytes(value, column)
    except Malformed as exc:
        raise corrupt(table, position, str(exc)) from None


def value_of(codec: Codec, type_name: str, value: Any, table: str, position: Any, column: str = "document") -> Any:
    """The JSON value a row's `column` holds, checked to be a valid `type_name` document, or
    CorruptionError."""
    try:
        return checked(codec, type_name, as_bytes(value, column))
    except Malformed as exc:
        raise corrupt(table, position, str(exc)) from None


def document_of(codec: Codec, type_name: str, value: Any, table: str, position: Any) -> bytes:
    """A row's document as bytes once `value_of` would accept it, or the CorruptionError it would
    raise: the read path of queries that hand out stored bytes, a hundred rows a query. A valid
    document is judged by the validator's compiled check of its value alone (`issues` is empty
    exactly when that check passes); anything else goes through `value_of`, which says why."""
    if type(value) is bytes:
        try:
            if codec.validator.checker(type_name)(parse_value(value)):
                return value
        except (DocumentError, UnicodeEncodeError, ValueError):
            pass  # value_of reads it again and reports the same problem
    value_of(codec, type_name, value, table, position)
    return bytes_of(value, table, position)


def model(codec: Codec, type_name: str, value: Any, table: str, position: Any, column: str = "document") -> Any:
    """The generated model of the JSON a row's `column` holds, or CorruptionError when it is not
    a valid `type_name` document."""
    return codec.build(type_name, value_of(codec, type_name, value, table, position, column))
