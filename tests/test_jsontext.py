"""JSON text is read exactly as serde_json reads it, and everything else is refused clearly."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledgerspec
from ledgerspec import ValidationError
from ledgerspec.jsontext import (
    MAX_DEPTH,
    DocumentError,
    _ExactReader,
    depth,
    parse,
    parse_document,
    parse_value,
    serialize,
)
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


def test_the_size_limit_counts_utf8_bytes_of_text_too() -> None:
    """A str is measured in UTF-8 bytes, as the same document in bytes is: 6 characters of
    `é` are 12 bytes (plus the quotes)."""
    text = '"' + "é" * 6 + '"'
    assert parse(text, max_bytes=14) == "é" * 6
    for document in (text, text.encode()):
        with pytest.raises(DocumentError, match="document is 14 bytes; the limit is 13"):
            parse(document, max_bytes=13)


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


def _typed(value: Any) -> Any:
    """`value` with every number tagged by its type and float sign, for exact comparison."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, float):
        return ("float", value, math.copysign(1.0, value))
    return (type(value).__name__, value)


def _outcome(read: Any, text: str) -> Any:
    try:
        parsed = read(text)
    except DocumentError:
        return "error"
    return _typed(parsed.value), parsed.wide_integers, parsed.repeats is not None, parsed.integral_floats


_NUMBERS = st.sampled_from(
    ["-0", "0", "1.0", "2e3", "1e+16", "18446744073709551616", "-9223372036854775809", "1" + "0" * 400]
)
_TOKENS = (
    st.sampled_from(['"a"', '"b"', '"x-0"', '"\\u003a"', '"12:30.0,"', "1", "true", "null", "0.5"])
    | st.sampled_from(['"00000000000000000000"', '"a:12345678901234567890"', "12345678901234567890.5", "-0.0"])
    | st.sampled_from(
        ['"\\u00e9"', '"é"', '"\\n"', '"\\/"', "1E2", "1.50", "18446744073709551615", "-9223372036854775808"]
    )
    | _NUMBERS
)


@st.composite
def _json_texts(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON(-like) text: objects whose keys may repeat, arrays, and the tokens the fast path must not misread."""
    kind = draw(st.sampled_from(["token", "object", "array"] if depth < 3 else ["token"]))
    if kind == "token":
        return draw(_TOKENS)
    items = draw(st.lists(_json_texts(depth + 1), max_size=4))
    space = draw(st.sampled_from(["", " ", "\n"]))
    if kind == "array":
        return "[" + f",{space}".join(items) + "]"
    keys = draw(
        st.lists(st.sampled_from(['"a"', '"b"', '"c:d"', '"\\u0061"']), min_size=len(items), max_size=len(items))
    )
    return "{" + f",{space}".join(f"{key}:{space}{item}" for key, item in zip(keys, items, strict=True)) + "}"


@settings(max_examples=800, deadline=None)
@given(_json_texts() | st.text(max_size=20), st.sampled_from([0, 1, MAX_DEPTH - 1, MAX_DEPTH, 200]))
def test_the_fast_path_reads_every_text_as_the_exact_reader_does(text: str, nesting: int) -> None:
    """orjson and the text comparisons stand in for the exact reader only where they agree with it
    (integral floats may be reported where there are none: that only costs a slower validation).
    Compact texts (which orjson writes back byte for byte) take the shortest path; nesting them
    past serde_json's limit must still be refused."""
    text = "[" * nesting + text + "]" * nesting
    fast, exact = _outcome(parse_document, text), _outcome(lambda t: _ExactReader().read(t), text)
    if fast == "error" or exact == "error":
        assert fast == exact
    else:
        assert fast[:3] == exact[:3] and fast[3] >= exact[3]


def _ordered(value: Any) -> Any:
    """`_typed`, with each object's keys in order (a value read another way may order them otherwise)."""
    if isinstance(value, dict):
        return [(key, _ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return _typed(value)


def _value_or_error(read: Any, data: bytes) -> Any:
    try:
        return _ordered(read(data))
    except DocumentError as exc:
        return ("error", str(exc))


_AROUND = st.sampled_from([b"", b" ", b"\xef\xbb\xbf", b"\xff", b"\x01", b"\n", '"\u00a0-0"'.encode(), b"x"])


@settings(max_examples=1000, deadline=None)
@given(
    (_json_texts() | st.text(max_size=20)).map(str.encode),
    _AROUND,
    _AROUND,
    st.sampled_from([0, 1, MAX_DEPTH - 2, MAX_DEPTH, 200]),
)
def test_the_stored_document_reader_gives_the_exact_readers_value_or_error(
    text: bytes, before: bytes, after: bytes, nesting: int
) -> None:
    """`parse_value` (one orjson call for the usual stored document) gives exactly what
    `parse_document` gives: the same value, numbers' types and keys' order included, or the same
    error, for JSON texts with repeated keys, `-0`, wide integers and deep nesting, and with bytes
    no JSON text holds around them."""
    data = b"[" * nesting + before + text + after + b"]" * nesting
    assert _value_or_error(parse_value, data) == _value_or_error(lambda d: parse_document(d, len(d)).value, data)


def test_the_stored_document_reader_reads_the_corpus_as_the_exact_reader_does() -> None:
    """Every document of the golden fixtures, as stored (compact), reads to the exact reader's value."""
    from ledgerspec.conformance.values import load_corpus

    for file in load_corpus():
        for case in file.valid:
            data = serialize(case.document).encode()
            assert _ordered(parse_value(data)) == _ordered(parse_document(data).value)


def test_parsed_documents_tell_repeated_keys_and_wide_integers() -> None:
    parsed = parse_document('{"a": 1, "b": {"c": 2, "c": 3}, "a": [18446744073709551616]}')
    assert parsed.value == {"a": [18446744073709551616], "b": {"c": 3}}  # the last value, exact digits
    assert parsed.wide_integers and parsed.repeats is not None
    assert sorted(len(members) for members in parsed.repeats.values()) == [2, 3]
    plain = parse_document('{"a": [18446744073709551615, -9223372036854775808], "b": "x-0"}')
    assert (plain.wide_integers, plain.repeats, plain.integral_floats) == (False, None, False)


@pytest.mark.parametrize("digits", [400, 4300, 4301, 5000, 100_000])
def test_integer_literals_too_large_for_an_f64_are_refused_without_a_traceback(digits: int) -> None:
    with pytest.raises(DocumentError, match=rf"\({digits} characters\) is out of range"):
        parse("[" + "7" * digits + "]")
