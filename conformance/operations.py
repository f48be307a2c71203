"""The fourteen store operations as the harness protocol defines them (`$defs/operations` of
`conformance/schemas/harness.json`): each one's arguments, result shape and error codes.

That schema is the single statement of the operations. The in-process executor derives its
parameter order and argument conversions from it, the runner derives how a result is brought to
serde's form before judging, and `docs/conformance.md`'s operation table is rendered from it.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ledgerspec import Codec
from ledgerspec.errors import LedgerspecError

from .values import conformance_dir

TYPE_PREFIX = "https://ledgerspec.dev/schemas/v1/"

ArgumentKind = Literal["json", "document", "documents", "model", "bytes"]
"""How an argument reaches an in-process store: plain JSON, a document (or a list of them) kept as
received, a generated model, or bytes (base64 on the wire)."""

ResultKind = Literal["null", "integer", "string", "boolean", "bytes", "models", "optional-model"]


class ResultError(ValueError):
    """A store's result that does not have the operation's result shape."""


@dataclass(frozen=True)
class Argument:
    """One argument of an operation."""

    name: str
    schema: dict[str, Any]
    required: bool
    kind: ArgumentKind
    type_name: str | None
    """The ledgerspec type of a document or model argument."""


@dataclass(frozen=True)
class Operation:
    """One operation: its arguments in call order, its result and the error codes it may raise."""

    name: str
    description: str
    arguments: tuple[Argument, ...]
    result_kind: ResultKind
    result_type: str | None
    result_schema: dict[str, Any]
    errors: tuple[str, ...]


def _type_name(schema: dict[str, Any]) -> str | None:
    """`converge.EventQuery` for a `$ref` to `.../v1/converge/EventQuery.json`."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith(TYPE_PREFIX):
        return None
    namespace, _, file = ref[len(TYPE_PREFIX) :].partition("/")
    return f"{namespace}.{file.removesuffix('.json')}"


def _argument(name: str, schema: dict[str, Any], required: bool) -> Argument:
    if schema.get("contentEncoding") == "base64":
        return Argument(name, schema, required, "bytes", None)
    items = schema.get("items", {}) if schema.get("type") == "array" else {}
    if items.get("x-document"):
        return Argument(name, schema, required, "documents", _type_name(items))
    type_name = _type_name(schema)
    if type_name is None:
        return Argument(name, schema, required, "json", None)
    return Argument(name, schema, required, "document" if schema.get("x-document") else "model", type_name)


def _result(schema: dict[str, Any]) -> tuple[ResultKind, str | None]:
    if schema.get("contentEncoding") == "base64":
        return "bytes", None
    if schema.get("type") == "array":
        return "models", _type_name(schema["items"])
    if "anyOf" in schema:
        return "optional-model", _type_name(schema["anyOf"][0])
    kind = schema["type"]
    assert kind in ("null", "integer", "string", "boolean"), kind
    return kind, None


@cache
def harness_schema() -> dict[str, Any]:
    """The harness protocol's JSON Schema."""
    schema: dict[str, Any] = json.loads((conformance_dir() / "schemas" / "harness.json").read_text("utf-8"))
    return schema


@cache
def operations() -> dict[str, Operation]:
    """Every operation by name, in the schema's order."""
    found = {}
    for name, spec in harness_schema()["$defs"]["operations"].items():
        args = spec["args"]
        arguments = tuple(_argument(arg, schema, arg in args["required"]) for arg, schema in args["properties"].items())
        kind, type_name = _result(spec["result"])
        found[name] = Operation(
            name, spec["description"], arguments, kind, type_name, spec["result"], tuple(spec["errors"])
        )
    return found


def serde_form(codec: Codec, operation: Operation, result: Any) -> Any:
    """A store's result in the form serde writes it, so stores are judged on values, not on how
    they spell them: documents are read under the reader contract and re-serialized (unknown keys
    dropped, defaults filled, canonical UUIDs), bytes re-encoded as padded base64. Writes' results
    are ignored (the contract leaves them open). ResultError when the result has the wrong shape."""
    kind = operation.result_kind
    if kind == "null":
        return None
    if kind == "bytes":
        if not isinstance(result, str):
            raise ResultError(f"expected base64 text, got {describe(result)}")
        try:
            return base64.b64encode(base64.b64decode(result, validate=True)).decode()
        except (binascii.Error, ValueError) as exc:
            raise ResultError(f"not base64: {exc}") from None
    if kind == "integer":
        if type(result) is not int or result < 0:
            raise ResultError(f"expected a non-negative integer, got {describe(result)}")
        return result
    if kind in ("string", "boolean"):
        if type(result) is not (str if kind == "string" else bool):
            raise ResultError(f"expected a {kind}, got {describe(result)}")
        return result
    assert operation.result_type is not None
    if kind == "optional-model":
        return None if result is None else _document(codec, operation.result_type, result, "")
    if not isinstance(result, list):
        raise ResultError(f"expected an array of {operation.result_type}, got {describe(result)}")
    return [_document(codec, operation.result_type, item, f"/{index}") for index, item in enumerate(result)]


def _document(codec: Codec, type_name: str, value: Any, where: str) -> Any:
    try:
        return codec.dump(codec.load(type_name, value))
    except LedgerspecError as exc:
        raise ResultError(f"{where or '/'}: not a valid {type_name}: {exc}") from None


def describe(value: Any, ascii: bool = False) -> str:
    """A value with its JSON type, for messages: `0 (integer)`, `0.0 (float)`; `ascii` escapes
    every non-ASCII character."""
    return f"{json.dumps(value, ensure_ascii=ascii)} ({json_type(value)})"


def json_type(value: Any) -> str:
    """The JSON type of a parsed value, telling integers from floats as serde does."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def markdown_table() -> str:
    """The operation reference of `docs/conformance.md`: one row per operation."""
    rows = [
        "| operation | what it does | arguments | result | error codes |",
        "|---|---|---|---|---|",
    ]
    for operation in operations().values():
        arguments = "<br>".join(_argument_cell(arg) for arg in operation.arguments)
        result = _schema_text(operation.result_schema)
        errors = ", ".join(f"`{code}`" for code in operation.errors)
        rows.append(f"| `{operation.name}` | {operation.description} | {arguments} | {result} | {errors} |")
    return "\n".join(rows) + "\n"


TABLE_START = "<!-- operations: generated from conformance/schemas/harness.json -->"
TABLE_END = "<!-- end of operations -->"


def with_table(document: str) -> str:
    """`document` with the text between its table markers replaced by the current table."""
    head, start, rest = document.partition(TABLE_START)
    _, end, tail = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError(f"the document lacks the markers {TABLE_START!r} ... {TABLE_END!r}")
    return f"{head}{TABLE_START}\n{markdown_table()}{TABLE_END}{tail}"


def main(argv: list[str]) -> int:
    """`python -m ledgerspec.conformance.operations [--write FILE]`: print the operation table,
    or refresh it in FILE between its markers."""
    if argv[:1] == ["--write"] and len(argv) == 2:
        path = Path(argv[1])
        path.write_text(with_table(path.read_text("utf-8")), "utf-8")
        return 0
    if argv:
        print("usage: python -m ledgerspec.conformance.operations [--write FILE]", file=sys.stderr)
        return 2
    print(markdown_table(), end="")
    return 0


def _argument_cell(argument: Argument) -> str:
    presence = "" if argument.required else " (optional)"
    kept = " — keep as received" if argument.kind in ("document", "documents") else ""
    return f"`{argument.name}`: {_schema_text(argument.schema)}{presence}{kept}"


def _schema_text(schema: dict[str, Any]) -> str:
    """A short JSON-type description of an argument or result schema."""
    if schema.get("contentEncoding") == "base64":
        return "string (bytes, base64)"
    type_name = _type_name(schema)
    if type_name is not None:
        return f"`{type_name}`"
    if "anyOf" in schema:
        return " or ".join(_schema_text(member) for member in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_schema_text(schema['items'])}"
    if schema.get("type") == "integer":
        return "integer ≥ 0 (exact, may exceed 2^53)"
    return str(schema.get("type"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
