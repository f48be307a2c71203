"""The validator's shortcuts give the verdicts of its full checks."""

from __future__ import annotations

import dataclasses
import datetime
import json
import uuid
from typing import Any

import orjson
import pytest

import ledgerspec
from ledgerspec import default_validator
from ledgerspec.canonical import json_pointer
from ledgerspec.conformance.values import load_corpus
from ledgerspec.contract import shipped
from ledgerspec.jsontext import value_at
from ledgerspec.validation import Validator


def _floated(value: Any) -> Any:
    """`value` with every integer written as a float literal (`3` -> `3.0`)."""
    if isinstance(value, dict):
        return {key: _floated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floated(item) for item in value]
    if type(value) is int and abs(value) < 2**53:
        return float(value)
    return value


def _outcome(check: Any, value: Any) -> Any:
    try:
        return check(value)
    except (ValueError, UnicodeEncodeError) as exc:
        return type(exc).__name__


def test_the_value_check_gives_the_integer_literal_checks_verdict() -> None:
    """`value_checker` skips the integer-literal keyword for a value orjson writes without an
    integral float; on every fixture document, as written and with its integers turned into
    float literals, in both forms, it answers as the check that always applies the rule."""
    validator = default_validator()
    refused_floats = 0
    for file in load_corpus():
        for strict in (False, True):
            fast, full = validator.value_checker(file.type, strict), validator.checker(file.type, strict, True)
            for case in [*file.valid, *file.invalid]:
                for value in (case.document, _floated(case.document)):
                    verdict = _outcome(full, value)
                    assert _outcome(fast, value) == verdict, (file.type, strict, value)
                    refused_floats += value is not case.document and verdict is False and case in file.valid
    assert refused_floats > 100  # the float literals put integer positions to the test


def test_a_string_that_looks_like_a_float_costs_only_time() -> None:
    """Text such as `1.0,` or `1e+16` inside a string sends a valid envelope to the full check,
    which passes it; a float literal in an integer position of the same envelope is refused."""
    name = "converge.ExperienceEventEnvelope"
    full = default_validator().checker(name, False, True)
    envelopes = next(file for file in load_corpus() if file.type == name)
    envelope = next(case.document for case in envelopes.valid if full(_floated(case.document)) is False)
    looks_like_floats = {**envelope, "event_id": "e:1.0,", "correlation_id": "x1e+16"}
    check = default_validator().value_checker(name)
    assert check(looks_like_floats) is True
    assert check(_floated(looks_like_floats)) is False


class _Count(int):
    """An int subclass: orjson writes it, jsonschema-rs cannot read it."""


@dataclasses.dataclass
class _Point:
    x: int


@pytest.mark.parametrize(
    "foreign",
    [_Count(1), datetime.date(2020, 1, 1), uuid.UUID(int=1), _Point(1), orjson.Fragment(b"1e999")],
    ids=["int-subclass", "date", "uuid", "dataclass", "fragment"],
)
def test_an_object_no_json_holds_is_refused_in_a_free_position(foreign: Any) -> None:
    """orjson writes these objects, so the value check's float look passes them; the check it
    then runs still reads free JSON positions (where the schema says nothing), and `validate`
    answers TypeError as it does for such an object anywhere (a probe found the shortcut
    passing them before its check read those positions)."""
    name = "agentsdk.JournalRecordPayload.Tool"
    document = {"type": "tool", "anything": foreign}
    validator = default_validator()
    for strict in (False, True):
        full = _outcome(validator.checker(name, strict, True), document)
        assert full is not True  # the full check refuses it or cannot read it
        assert _outcome(validator.value_checker(name, strict), document) == full
    with pytest.raises(TypeError):
        ledgerspec.validate(name, document)


def _objects(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """The path of every object inside `value` (itself included)."""
    if isinstance(value, dict):
        yield path
        for key, item in value.items():
            yield from _objects(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, (*path, index))


def _with_key(value: Any, path: tuple[Any, ...], key: str, item: Any) -> Any:
    """A copy of `value` whose object at `path` also holds `key`: `item`."""
    if not path:
        return {**value, key: item}
    copied = list(value) if isinstance(value, list) else dict(value)
    copied[path[0]] = _with_key(value[path[0]], path[1:], key, item)
    return copied


@pytest.mark.parametrize(
    ("foreign", "answer"),
    [({1}, TypeError), (datetime.date(2020, 1, 1), TypeError), (float("nan"), ledgerspec.ValidationError)],
    ids=["set", "date", "nan"],
)
def test_no_object_position_passes_what_no_json_holds(foreign: Any, answer: type[Exception]) -> None:
    """Every object of every valid fixture document, given one more key holding a value no JSON
    text can (a set, a date, NaN), makes the document fail in both contracts: under a key a
    struct does not name, which the reader contract otherwise lets through, the value is still
    read (a review found `validate` passing such values there). The reader contract refuses the
    value (TypeError, or NaN's issue at the key's pointer) or, for a type that takes no unknown
    key, the key; the strict one may refuse the key first."""
    key = "zz-no-such-key"
    tried = 0
    for file in load_corpus():
        for case in file.valid:
            for path in _objects(case.document):
                document = _with_key(case.document, path, key, foreign)
                with pytest.raises((TypeError, ledgerspec.ValidationError)):
                    ledgerspec.validate(file.type, document, strict=True)
                with pytest.raises(answer) as raised:
                    ledgerspec.validate(file.type, document)
                if answer is ledgerspec.ValidationError:  # NaN at the key, or the key where none may be
                    assert any(issue.path.endswith(f"/{key}") or key in issue.message for issue in raised.value.issues)
                else:  # the message points at the value
                    assert f"{json_pointer((*path, key))} holds a {type(foreign).__name__}" in str(raised.value)
                tried += 1
    assert tried > 1000


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_in_a_free_position_by_both_engines(number: float) -> None:
    """JSON text has no NaN or infinity, so neither is a valid free JSON value; jsonschema-rs
    shows them as null in its errors, and the issue names the value instead."""
    name = "agentsdk.JournalRecordPayload.Tool"
    document = {"type": "tool", "anything": [1, number]}
    name_of = "NaN" if number != number else ("Infinity" if number > 0 else "-Infinity")
    for validator in (default_validator(), Validator(shipped(), "python")):
        (issue,) = validator.issues(name, document)
        assert (issue.path, issue.rule, issue.message) == ("/anything/1", "type", f"{name_of} is not JSON")


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """The path of every string value inside `value`."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], item: Any) -> Any:
    """A copy of `value` holding `item` at `path`."""
    if not path:
        return item
    copied = list(value) if isinstance(value, list) else dict(value)
    copied[path[0]] = _replaced(value[path[0]], path[1:], item)
    return copied


def test_no_string_position_passes_a_lone_surrogate() -> None:
    """Every string of every valid fixture document, given a lone surrogate, makes the document
    fail in both contracts with the string's pointer (JSON text can only spell one as an escape,
    which serde_json refuses; a review found plain and free string positions passing it), and
    so does a key holding one, under an object the struct does not name."""
    tried = 0
    for file in load_corpus():
        for case in file.valid:
            documents = [
                (path, _replaced(case.document, path, f"{value_at(case.document, path)}\ud800"))
                for path in _strings(case.document)
            ]
            documents += [(path, _with_key(case.document, path, "k\udfff", 1)) for path in _objects(case.document)]
            for path, document in documents:
                for strict in (False, True):
                    with pytest.raises(ledgerspec.ValidationError) as raised:
                        ledgerspec.validate(file.type, document, strict)
                    assert any(
                        issue.rule == "unicode" and issue.path == json_pointer(path) for issue in raised.value.issues
                    )
                tried += 1
    assert tried > 5000


@pytest.mark.parametrize("levels", [126, 127, 128, 200, 300])
def test_a_value_nests_as_deep_as_text_may(levels: int) -> None:
    """A JSON value gets the verdict its text gets: serde_json reads 127 levels of nesting and no
    more, whether the levels sit in a free position or not (orjson writes up to 255)."""
    payload: Any = 0
    for _ in range(levels - 1):  # the document object is the first level
        payload = [payload]
    document = {"name": "n", "payload": payload, "payload_ref": None}
    text = json.dumps(document)
    verdicts = []
    for check in (
        lambda: ledgerspec.validate_json("mfm.DomainEvent", text),
        lambda: ledgerspec.validate("mfm.DomainEvent", document),
    ):
        try:
            check()
            verdicts.append(True)
        except (ledgerspec.ValidationError, ledgerspec.DocumentError):
            verdicts.append(False)
    assert verdicts == [levels <= 127] * 2


@pytest.mark.parametrize(
    ("name", "document", "pointer"),
    [
        ("agentsdk.PolicyRef", {"kind": "host", "id": "p", "version": None}, "/version"),
        (
            "agentsdk.SourceRef",
            {"kind": "hook", "id": "a", "trust": "host_provided", "privacy": "content_refs_only", "correlation": []},
            "/correlation",
        ),
    ],
)
def test_the_writer_contract_refuses_a_value_serde_skips_writing(name: str, document: Any, pointer: str) -> None:
    """A key marked `skip_serializing_if = "Option::is_none"` (or `is_empty`) is left out when it
    would hold null (or an empty collection), so the writer contract refuses that value there;
    the reader contract accepts it, as serde reads it."""
    ledgerspec.validate(name, document)
    with pytest.raises(ledgerspec.ValidationError) as raised:
        ledgerspec.validate(name, document, strict=True)
    (issue,) = raised.value.issues
    assert (issue.path, issue.rule) == (pointer, "skipped")


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("converge.ContentHash", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"),
        ("mfm.RunId", "{67e55044-10b1-426f-9247-bb680e5fe0c8}"),
        ("mfm.Duration", {"secs": 0, "nanos": 1_000_000_000}),
        ("agentsdk.HookMutationRights", {"rights": ["observe", "observe"]}),
    ],
)
def test_the_writer_contract_holds_a_value_to_the_form_serde_writes(name: str, document: Any) -> None:
    """serde reads these forms (upper-case hex, a braced UUID, nanos to carry, a repeated set
    member) but writes only one form of each value, which the writer contract demands; the
    codec writes that form (a model's; a bare string type loads as the string)."""
    ledgerspec.validate(name, document)
    with pytest.raises(ledgerspec.ValidationError):
        ledgerspec.validate(name, document, strict=True)
    if isinstance(document, dict):
        ledgerspec.validate(name, ledgerspec.dump(ledgerspec.load(name, document)), strict=True)


def test_the_writer_contract_orders_a_set_as_serde_writes_it() -> None:
    """serde reads a `BTreeSet` in any order and writes it sorted by `Ord` (an enum's declaration
    order), which the writer contract demands of every engine; the codec writes that order."""
    name, document = "agentsdk.HookMutationRights", {"rights": ["stop_run", "observe"]}
    for validator in (default_validator(), Validator(shipped(), "python")):
        assert validator.issues(name, document) == []
        assert [issue.rule for issue in validator.issues(name, document, strict=True)] == ["order"]
    assert ledgerspec.dump(ledgerspec.load(name, document)) == {"rights": ["observe", "stop_run"]}


@pytest.mark.parametrize("top_p", ["0.30000001192092896", "0.123456789123", "1e-50"])
def test_the_writer_contract_holds_an_f32_to_the_digits_serde_writes(top_p: str) -> None:
    """serde reads any number into an f32 but writes the f32 in its shortest digits (`0.3`), so
    the writer contract refuses text no f32 prints as; the reader contract reads it."""
    text = f'{{"temperature":0.7,"top_p":{top_p},"top_k":1}}'
    ledgerspec.validate_json("converge.SamplerParams", text)
    with pytest.raises(ledgerspec.ValidationError) as raised:
        ledgerspec.validate_json("converge.SamplerParams", text, strict=True)
    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [("/top_p", "f32")]
    ledgerspec.validate_json("converge.SamplerParams", '{"temperature":0.7,"top_p":0.3,"top_k":1}', strict=True)
