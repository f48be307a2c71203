"""ledgerspec: the schema-first contract of append-only agent ledgers.

The functions here use the contract shipped inside the package:

- `load(type, data)` / `loads(type, text)`: validate a JSON value (or text) and build its model;
- `dump(model)` / `dumps(model)`: the JSON value (or compact text) serde writes for a model,
  checked against the writer contract first (`validate=False` skips the check);
- `validate(type, data, strict=False)`: raise `ValidationError` listing every problem (`data` is a
  JSON value or a model).

`type` is a qualified name such as `"converge.ExperienceEventEnvelope"` or a generated class from
`ledgerspec.models.<namespace>`.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any

from .canonical import json_pointer
from .codec import Codec
from .contract import Contract, shipped
from .errors import Issue, LedgerspecError, UnknownTypeError, ValidationError
from .jsontext import DocumentError, parse_document, path_of, serialize, value_at
from .validation import Validator

_JSON_TYPES = (dict, list, str, int, float, bool, type(None))
_ENGINE_TYPES = frozenset({dict, list, tuple, str, int, float, bool, type(None)})
"""The exact types the engine reads as JSON."""

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


def _json_value(data: Any) -> Any:
    """`data` itself, or the JSON value of a generated model; TypeError for any other object."""
    if isinstance(data, _JSON_TYPES) and not isinstance(data, Enum):
        return data
    codec = default_codec()
    try:
        codec.qualified(type(data))
    except UnknownTypeError:
        raise TypeError(
            f"expected a JSON value (dict, list, str, int, float, bool or None) or a ledgerspec.models "
            f"instance, got {type(data).__name__}"
        ) from None
    return codec.dump(data)


def validate(type_name: str, data: Any, strict: bool = False) -> None:
    """Raise ValidationError unless `data` is a valid `type_name` document (reader or strict).

    `data` is a JSON value or a generated model (checked as the JSON value it dumps to); a value
    holding anything else, at any depth, raises TypeError."""
    validator = default_validator()
    if type(data) is dict:  # the common case: one engine call when valid
        try:
            if validator.value_checker(type_name, strict)(data):
                return
        except (UnicodeEncodeError, ValueError):
            pass  # the full check below says why
    try:
        validator.validate(type_name, _json_value(data), strict)
    except LedgerspecError:
        raise
    except ValueError as exc:  # the engine met a non-JSON object inside a dict or list
        where = path_of(data, _foreign)
        if where is not None:
            exc = ValueError(f"{json_pointer(where) or '/'} holds a {type(value_at(data, where)).__name__}, {exc}")
        raise TypeError(f"expected a JSON value or a ledgerspec.models instance: {exc}") from None


def _foreign(value: Any) -> bool:
    """Whether the engine reads `value` as no JSON value (it takes tuples as arrays, dict
    subclasses as objects and enum members as their values)."""
    return not (type(value) in _ENGINE_TYPES or isinstance(value, dict | Enum))


def validate_json(type_name: str, text: str | bytes, strict: bool = False) -> None:
    """Parse JSON text as serde_json would and validate it; DocumentError or ValidationError
    (which also gives serde's verdict on every repeated key)."""
    parsed = parse_document(text)
    validator = default_validator()
    if not validator.passes(type_name, parsed, strict):
        validator.validate_parsed(type_name, parsed, strict)


def load(type_: Any, data: Any, strict: bool = False) -> Any:
    """Validate `data` and build the model of `type_` (qualified name or generated class)."""
    return default_codec().load(type_, data, strict)


def loads(type_: Any, text: str | bytes, strict: bool = False) -> Any:
    """Parse JSON text as serde_json would, then `load` it (a repeated key is judged as serde
    judges it; where serde accepts one, its last value is kept)."""
    return default_codec().load_parsed(type_, parse_document(text), strict)


def dump(model: Any, validate: bool = True) -> Any:
    """The JSON value serde writes for a generated model.

    By default the value is checked against the writer contract of the model's type and a model
    that breaks it (`event_id=123`) raises ValidationError rather than producing JSON no reader
    accepts. `validate=False` skips the check (measured by `python -m bench`) for models known to
    be valid, e.g. built by `load`; it also dumps values other than a single model."""
    try:
        return default_codec().dump(model, validate)
    except UnknownTypeError:
        raise TypeError(
            f"dump() takes a ledgerspec.models instance, got {type(model).__name__} "
            "(validate=False dumps other values unchecked)"
        ) from None


def dumps(model: Any, validate: bool = True) -> str:
    """Compact JSON text of `dump(model, validate)`, as serde_json writes it."""
    return serialize(dump(model, validate))


def __dir__() -> list[str]:
    """The public API only, not the modules and helpers the package imports (PEP 562)."""
    return sorted(__all__)
