"""JSON text is read exactly as serde_json reads it, and everything else is refused clearly."""

from __future__ import annotations

import math

import pytest

import ledgerspec
from ledgerspec import ValidationError
from ledgerspec.jsontext import MAX_DEPTH, DocumentError, depth, parse, parse_document, serialize
from ledgerspec.mfm import FloatNotAllowedError, mfm_canonical_bytes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "NaN is not valid JSON"),
        ("[Infinity]", "Infinity is not valid JSON"),
        ("[-Infinity]", "-Infinity is not valid JSON"),
        ("[1e400]", "out of range"),
        ('{"a": "\\ud800"}', "lone UTF-16 surrogate"),
        ('{"a": "\\udc00x"}', "lone UTF-16 surrogate"),
        ('{"a": 1,}', "malformed JSON"),
        ('{"a": 1} {"b": 2}', "malformed JSON: more text after the end of the document"),
        ("", "malformed JSON"),
    ],
)
def test_rejects_what_serde_json_rejects(text: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse(text)


def test_surrogate_pairs_are_fine() -> None:
    assert parse('"\\ud83d\\ude00"') == "\U0001f600"


def test_error_has_line_and_column() -> None:
    with pytest.raises(DocumentError) as caught:
        parse('{\n  "a": tru\n}')
    assert (caught.value.line, caught.value.column) == (2, 8)


def test_depth_limit_matches_serde_json() -> None:
    assert depth(parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == 127
    with pytest.raises(DocumentError, match="deeper than 127"):
        parse("[" * 128 + "]" * 128)
    with pytest.raises(DocumentError, match="deeper than 127"):
        parse('{"a":' * 10_000 + "1" + "}" * 10_000)


def test_size_limit() -> None:
    with pytest.raises(DocumentError, match="limit is 10"):
        parse(b'"' + b"x" * 20 + b'"', max_bytes=10)


def test_invalid_utf8_bytes() -> None:
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        parse(b'"\xff"')


def test_u64_integers_stay_exact() -> None:
    assert parse("18446744073709551615") == 18446744073709551615
    assert serialize([18446744073709551615, 1.0, "é\n"]) == '[18446744073709551615,1.0,"é\\n"]'
    assert serialize({"big": 2**70}) == '{"big":1180591620717411303424}'


@pytest.mark.parametrize(
    ("text", "integral"), [("[1, 2.5]", False), ("[1.0]", True), ("[2e3]", True), ('"1.0"', False)]
)
def test_parse_document_reports_integral_float_literals(text: str, integral: bool) -> None:
    assert parse_document(text).integral_floats is integral


def test_negative_zero_is_a_float_as_serde_json_reads_it() -> None:
    """serde_json parses `-0` as the float -0.0, so an integer position refuses it and mfm's
    canonical JSON (which forbids floats) rejects it."""
    parsed = parse_document('{"a": -0, "b": 0, "c": "-0"}')
    value = parsed.value
    assert math.copysign(1.0, value["a"]) == -1.0 and isinstance(value["a"], float)
    assert value["b"] == 0 and isinstance(value["b"], int) and value["c"] == "-0"
    assert parsed.integral_floats
    event = '{"run_id":"67e55044-10b1-426f-9247-bb680e5fe0c8","seq":-0,"ts_millis":null,"event":{"Kernel":{"RunCompleted":{"status":"Failed","final_snapshot_id":null}}}}'
    with pytest.raises(ValidationError, match="/seq"):
        ledgerspec.validate_json("mfm.EventEnvelope", event)
    with pytest.raises(FloatNotAllowedError):
        mfm_canonical_bytes(parse('{"x": -0}'))
