"""ledgerspec: the schema-first contract of append-only agent ledgers.

The functions here use the contract shipped inside the package:

- `load(type, data)` / `loads(type, text)`: validate a JSON value (or text) and build its model;
- `dump(model)` / `dumps(model)`: the JSON value (or compact text) serde writes for a model;
- `validate(type, data, strict=False)`: raise `ValidationError` listing every problem.

`type` is a qualified name such as `"converge.ExperienceEventEnvelope"` or a generated class from
`ledgerspec.models.<namespace>`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .codec import Codec
from .contract import Contract, shipped
from .errors import Issue, LedgerspecError, UnknownTypeError, ValidationError
from .jsontext import DocumentError, parse_document, serialize
from .validation import Validator

__all__ = [
    "Codec",
    "Contract",
    "DocumentError",
    "Issue",
    "LedgerspecError",
    "UnknownTypeError",
    "ValidationError",
    "Validator",
    "default_codec",
    "default_validator",
    "dump",
    "dumps",
    "load",
    "loads",
    "type_names",
    "validate",
    "validate_json",
]


@cache
def default_validator() -> Validator:
    """The fast (jsonschema-rs) validator over the shipped contract, built once on first use."""
    return Validator(shipped())


@cache
def default_codec() -> Codec:
    """The codec over the shipped contract, built once on first use."""
    return Codec(shipped(), default_validator())


def type_names(namespace: str | None = None) -> list[str]:
    """Qualified names of every shipped type, sorted, optionally of one namespace."""
    names = shipped().entries
    return sorted(n for n in names if namespace is None or n.startswith(f"{namespace}."))


def validate(type_name: str, data: Any, strict: bool = False) -> None:
    """Raise ValidationError unless `data` is a valid `type_name` document (reader or strict)."""
    default_validator().validate(type_name, data, strict)


def validate_json(type_name: str, text: str | bytes, strict: bool = False) -> None:
    """Parse JSON text as serde_json would and validate it; DocumentError or ValidationError
    (which also gives serde's verdict on every repeated key)."""
    default_validator().validate_parsed(type_name, parse_document(text), strict)


def load(type_: Any, data: Any, strict: bool = False) -> Any:
    """Validate `data` and build the model of `type_` (qualified name or generated class)."""
    return default_codec().load(type_, data, strict)


def loads(type_: Any, text: str | bytes, strict: bool = False) -> Any:
    """Parse JSON text as serde_json would, then `load` it (a repeated key is judged as serde
    judges it; where serde accepts one, its last value is kept)."""
    return default_codec().load_parsed(type_, parse_document(text), strict)


def dump(obj: Any) -> Any:
    """The JSON value serde writes for a model."""
    return default_codec().dump(obj)


def dumps(obj: Any) -> str:
    """Compact JSON text of `dump(obj)`, as serde_json writes it."""
    return serialize(default_codec().dump(obj))
