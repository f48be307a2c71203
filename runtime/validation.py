"""Validation of documents against the contract, with two interchangeable engines.

`jsonschema-rs` is the fast engine used on hot paths; Python `jsonschema` is the reference engine
the test suite cross-checks it against. Both report raw errors that are normalised here into
`Issue`s: inside a tagged union the errors of the variant the document names are reported (not a
bare "oneOf failed"), so every problem comes with the JSON pointer of the offending value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import jsonschema_rs
import orjson

from .canonical import json_pointer, not_json_number
from .contract import F32_FORM, FLOAT_LITERAL, INTEGER_LITERAL, SET_ORDER, WRITTEN_INTEGER, Contract
from .duplicates import repeated_key_issues, written_repeats
from .errors import Issue, ValidationError
from .jsontext import (
    MAX_DEPTH,
    Parsed,
    depth,
    lone_surrogate_path,
    may_hold_integral_float,
    nests_too_deep,
    overflows_f64,
    path_of,
    value_at,
)
from .keywords import RUST_KEYWORDS, written_integer_problem

Engine = Literal["rust", "python"]
RULE_NAMES = {
    INTEGER_LITERAL: "type",
    FLOAT_LITERAL: "type",
    WRITTEN_INTEGER: "type",
    F32_FORM: "f32",
    SET_ORDER: "order",
}
NUMBER_RANGE = "number_range"
"""The rule of a number no f64 holds (serde_json: "number out of range")."""


@dataclass(frozen=True)
class RawError:
    """An engine's error in engine-neutral form; `branches` holds per-branch errors of a union."""

    path: tuple[str | int, ...]
    keyword: str
    message: str
    instance: Any
    union: str | None
    branches: tuple[tuple[RawError, ...], ...]


class Backend(Protocol):
    """A compiled-validator cache for one engine."""

    def checker(
        self, qualified: str, strict: bool, integer_literals: bool, bounded: bool = False
    ) -> Callable[[Any], bool]: ...

    def errors(self, qualified: str, strict: bool, instance: Any) -> list[RawError]: ...


class RustBackend:
    """Validators compiled by jsonschema-rs, one per (type, mode, form), built on first use."""

    def __init__(self, contract: Contract) -> None:
        self._contract = contract
        self._registries: dict[tuple[bool, bool, bool], Any] = {}
        self._validators: dict[tuple[str, bool, bool, bool], Any] = {}

    def _validator(self, qualified: str, strict: bool, integer_literals: bool = True, bounded: bool = False) -> Any:
        key = (qualified, strict, integer_literals, bounded)
        validator = self._validators.get(key)
        if validator is None:
            form = (strict, integer_literals, bounded)
            if form not in self._registries:
                self._registries[form] = jsonschema_rs.Registry(self._contract.resources(*form))
            reached = self._contract.keys_reached(qualified, *form)
            keywords = {name: keyword for name, keyword in RUST_KEYWORDS.items() if name in reached}
            validator = jsonschema_rs.validator_for(
                self._contract.schema(qualified, *form),
                registry=self._registries[form],
                keywords=keywords or None,  # a validator given Python keywords is slower on every call
                offline=True,
            )
            self._validators[key] = validator
        return validator

    def checker(
        self, qualified: str, strict: bool, integer_literals: bool, bounded: bool = False
    ) -> Callable[[Any], bool]:
        return self._validator(qualified, strict, integer_literals, bounded).is_valid  # type: ignore[no-any-return]

    def errors(self, qualified: str, strict: bool, instance: Any) -> list[RawError]:
        return [self._raw(e, instance) for e in self._validator(qualified, strict).iter_errors(instance)]

    def _raw(self, error: Any, document: Any) -> RawError:
        """`error` of an engine call on `document` in engine-neutral form."""
        keyword = error.schema_path[-1] if error.schema_path else error.kind.name
        union = None
        location = error.absolute_keyword_location or ""
        if keyword == "oneOf" and location.endswith("#/oneOf"):
            entry = self._contract.by_uri(location)
            union = entry.qualified if entry else None
        path = tuple(error.instance_path)
        # the engine shows NaN and infinity as null: a type error carries the value itself
        instance = value_at(document, path) if keyword == "type" else error.instance
        context = getattr(error.kind, "context", None) or ()
        branches = tuple(tuple(self._raw(sub, document) for sub in branch) for branch in context)
        return RawError(path, str(keyword), error.message, instance, union, branches)


class Validator:
    """Validates documents of any qualified type in reader or strict mode with one engine."""

    def __init__(self, contract: Contract, engine: Engine = "rust") -> None:
        self.contract = contract
        self.engine = engine
        if engine == "rust":
            self._backend: Backend = RustBackend(contract)
        else:  # the reference engine's libraries are imported only for it
            from .python_engine import PythonBackend

            self._backend = PythonBackend(contract)
        self._checks: dict[tuple[str, bool, bool, bool], Callable[[Any], bool]] = {}
        self._value_checks: dict[tuple[str, bool], Callable[[Any], bool]] = {}

    def checker(
        self, qualified: str, strict: bool = False, integer_literals: bool = True, bounded: bool = False
    ) -> Callable[[Any], bool]:
        """The compiled yes/no check of one type and form (see `Contract.schema`), for hot paths
        that need no reasons when a document is valid. It may raise ValueError or
        UnicodeEncodeError on a value the engine cannot read; `issues` says why a document fails."""
        return self._checks.get((qualified, strict, integer_literals, bounded)) or self._check(
            qualified, strict, integer_literals, bounded
        )

    def value_checker(self, qualified: str, strict: bool = False) -> Callable[[Any], bool]:
        """The compiled yes/no check of a JSON value (see `checker`), which pays for the
        integer-literal rule only when the value may hold an integral float: orjson writes the
        value (in C) and the check looks at its numbers; a value orjson cannot write gets the
        full check. Without the keyword the check is otherwise the full one (`bounded`): it still
        reads every value in a free JSON position, so an object no JSON holds (a date, a UUID, an
        int subclass, which orjson writes) is refused there as the full check refuses it."""
        key = (qualified, strict)
        found = self._value_checks.get(key)
        if found is not None:
            return found
        literal, plain = self.checker(qualified, strict, True), self.checker(qualified, strict, False, bounded=True)
        dumps, error = orjson.dumps, orjson.JSONEncodeError

        def check(value: Any) -> bool:
            try:
                written = dumps(value)
            except error:  # orjson writes no lone surrogate (nor nests past 255): the engine reads both
                return literal(value) and beyond_serde(value) is None
            if nests_too_deep(written, value):
                return False
            return (literal if may_hold_integral_float(written) else plain)(value)

        self._value_checks[key] = check
        return check

    def passes(self, qualified: str, parsed: Parsed, strict: bool = False) -> bool:
        """Whether a document read from text is valid, at the cost of one engine call when no key
        repeats in it (False sends the caller to `validate_parsed` for the reasons)."""
        if parsed.repeats or (strict and parsed.wide_integers):  # see `issues`
            return False
        try:
            return self.checker(qualified, strict, parsed.integral_floats)(parsed.value)
        except (UnicodeEncodeError, ValueError):
            return False

    def _check(self, qualified: str, strict: bool, integer_literals: bool, bounded: bool) -> Callable[[Any], bool]:
        """The compiled yes/no check of one type and form (UnknownTypeError for a bad name)."""
        self.contract.entry(qualified)
        check = self._backend.checker(qualified, strict, integer_literals, bounded)
        self._checks[(qualified, strict, integer_literals, bounded)] = check
        return check

    def issues(self, qualified: str, instance: Any, strict: bool = False, integer_literals: bool = True) -> list[Issue]:
        """Every problem of `instance` as a `qualified` document; empty when it is valid.

        `integer_literals=False` says the instance was parsed from text holding no integral float
        literal (see `jsontext.Parsed.integral_floats`), so the checks may skip the number rules:
        no integer position can hold a float literal, and the parser has refused every number an
        f64 cannot hold.
        """
        check = self.value_checker(qualified, strict) if integer_literals else self.checker(qualified, strict, False)
        try:
            if check(instance):
                # the form without the number rules lacks the writer's integer rule: check it apart
                wide = written_integer(instance) if strict and not integer_literals else None
                return [wide] if wide else []
            raw = self._backend.errors(qualified, strict, instance)
        except (UnicodeEncodeError, ValueError) as exc:
            return [_unreadable(instance, exc)]
        found: dict[tuple[str, str, str], Issue] = {}
        beyond = beyond_serde(instance) if integer_literals else None  # text was read by the exact reader
        if beyond is not None:
            found[(beyond.path, beyond.rule, beyond.message)] = beyond
        for error in raw:
            for issue in self._normalise(error):
                found.setdefault((issue.path, issue.rule, issue.message), issue)
        return list(found.values())

    def validate_json_value(
        self, qualified: str, instance: Any, strict: bool, integral_floats: bool, bounded: bool
    ) -> None:
        """`validate` of a value the caller has already written as JSON text within the nesting
        limit (a store's canonical bytes), and so knows whether it may hold an integral float:
        one engine call when it is valid, without the rewrite `value_checker` makes of it.
        `bounded` as for `checker` (False only for a value read from text). When the call fails,
        the full check of `validate` says why."""
        # the form without the number rules lacks the writer's integer rule (see `issues`)
        unmarked_strict = strict and not (integral_floats or bounded)
        try:
            if self.checker(qualified, strict, integral_floats, bounded)(instance) and not (
                unmarked_strict and written_integer(instance)
            ):
                return
        except (UnicodeEncodeError, ValueError):
            pass
        self.validate(qualified, instance, strict)
        raise ValidationError(qualified, [Issue("", "schema", "the document is not valid", instance)])

    def validate(self, qualified: str, instance: Any, strict: bool = False, integer_literals: bool = True) -> None:
        """Raise ValidationError listing every problem unless `instance` is valid."""
        problems = self.issues(qualified, instance, strict, integer_literals)
        if problems:
            raise ValidationError(qualified, problems)

    def repeated_key_issues(self, qualified: str, parsed: Parsed, strict: bool = False) -> list[Issue]:
        """serde's problems with the keys that repeat in a document read from text (see
        `ledgerspec.duplicates`); empty when no key repeats or serde keeps the last value of each.
        The strict (writer) contract also refuses every other repeated key: serde writes none."""
        if not parsed.repeats:
            return []
        found = repeated_key_issues(
            self.contract, qualified, parsed, lambda document: self.issues(qualified, document, strict)
        )
        if strict:  # no serde writer repeats a key, even where its reader keeps the last value
            reported = {issue.path for issue in found if issue.rule == "duplicate_key"}
            found += [issue for issue in written_repeats(parsed) if issue.path not in reported]
        return found

    def parsed_issues(self, qualified: str, parsed: Parsed, strict: bool = False) -> list[Issue]:
        """Every problem of a document read from JSON text: serde's verdict on its repeated keys
        first, then the problems of its value."""
        problems = self.issues(qualified, parsed.value, strict, parsed.integral_floats)
        repeated = self.repeated_key_issues(qualified, parsed, strict)
        return repeated + [issue for issue in problems if issue not in repeated] if repeated else problems

    def validate_parsed(self, qualified: str, parsed: Parsed, strict: bool = False) -> None:
        """Raise ValidationError listing every problem unless the parsed document is valid."""
        problems = self.parsed_issues(qualified, parsed, strict)
        if problems:
            raise ValidationError(qualified, problems)

    def _normalise(self, error: RawError) -> Iterator[Issue]:
        where = json_pointer(error.path)
        if error.keyword == "oneOf" and error.union is not None:
            union = self.contract.unions[error.union]
            index = union.identify(error.instance)
            if index is not None and index < len(error.branches) and error.branches[index]:
                for sub in error.branches[index]:
                    yield from self._normalise(sub)
                return
            names = ", ".join(union.names)
            how = f"a {union.tag!r} of" if union.tag else "one of"
            yield Issue(where, "oneOf", f"not a valid {union.qualified}: expected {how} {names}", error.instance)
            return
        if error.keyword == "anyOf" and error.branches:
            informative = [
                branch
                for branch in error.branches
                if not (len(branch) == 1 and branch[0].keyword == "type" and branch[0].path == error.path)
            ]
            if len(informative) == 1:
                for sub in informative[0]:
                    yield from self._normalise(sub)
                return
            if not informative:
                yield Issue(where, "type", f"{error.instance!r} has none of the allowed types", error.instance)
                return
        if error.keyword == "type" and isinstance(error.instance, float) and not math.isfinite(error.instance):
            yield Issue(where, "type", not_json_number(error.instance), error.instance)
            return
        if error.keyword == "not":  # the strict form's only `not`: a key serde skips holding what it skips
            shown = orjson.dumps(error.instance).decode()
            yield Issue(where, "skipped", f"serde never writes {shown} here: it leaves the key out", error.instance)
            return
        if error.keyword in _BOUNDS and overflows_f64(error.instance):
            yield _out_of_range(where, error.instance)
            return
        rule = RULE_NAMES.get(error.keyword, error.keyword)
        yield Issue(where, rule, error.message, error.instance)


_BOUNDS = frozenset({"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"})


def _out_of_range(where: str, value: int) -> Issue:
    message = f"integer of {value.bit_length()} bits is out of range: serde_json reads it as an f64, which it overflows"
    return Issue(where, NUMBER_RANGE, message, value)


SURROGATE = "string holds a lone UTF-16 surrogate, which is not valid Unicode"


def beyond_serde(instance: Any) -> Issue | None:
    """The problem of a Python value that no JSON text serde_json reads can hold, which the
    engines read all the same: a string or key holding a lone surrogate (JSON text escapes one
    as `\\ud800`, which serde_json refuses), or nesting deeper than `MAX_DEPTH`."""
    surrogate = lone_surrogate_path(instance)
    if surrogate is not None:
        return Issue(json_pointer(surrogate), "unicode", SURROGATE)
    if depth(instance) > MAX_DEPTH:
        return Issue("", "depth", f"document nests deeper than {MAX_DEPTH} levels, the most serde_json reads")
    return None


def written_integer(instance: Any) -> Issue | None:
    """The writer contract's `x-written-integer` problem of `instance` in a free JSON position, for
    the validation form without the number rules (an integer beyond i64/u64 elsewhere breaks its
    position's range or the float-literal rule, and the strict form has no unknown key). orjson,
    which writes no integer beyond 64 bits, tells cheaply that `instance` holds none."""
    try:
        orjson.dumps(instance)
        return None
    except orjson.JSONEncodeError:
        pass
    where = path_of(instance, lambda item: written_integer_problem(item) is not None)
    if where is None:
        return None
    value = value_at(instance, where)
    return Issue(json_pointer(where), "type", str(written_integer_problem(value)), value)


def _unreadable(instance: Any, error: Exception) -> Issue:
    """The problem of a Python value an engine cannot read at all: a string with a lone surrogate
    (no UTF-8 form), or an integer too long for Python to print (always out of range)."""
    surrogate = lone_surrogate_path(instance)
    if surrogate is not None or isinstance(error, UnicodeEncodeError):
        return Issue(json_pointer(surrogate or ()), "unicode", SURROGATE)
    huge = path_of(instance, overflows_f64)
    if huge is None:
        raise error
    return _out_of_range(json_pointer(huge), value_at(instance, huge))
