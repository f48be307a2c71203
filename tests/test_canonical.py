"""RFC 8785 canonical JSON (`ledgerspec.canonical`).

Expected values come from outside the code under test: the official RFC 8785 test vectors
(tests/data/rfc8785, vendored from cyberphone/json-canonicalization), number vectors computed by
JavaScript itself (tests/data/es-numbers/generate.js -> vectors.csv), the RFC's rules written out
by hand, and the `rfc8785` package (Trail of Bits) as an independent implementation.
"""

from __future__ import annotations

import collections
import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerspec.canonical import (
    JCS,
    STORED,
    CanonicalError,
    es_number,
    jcs,
    jcs_and_floats,
    jcs_text,
    stored_number,
    stored_text_bytes,
    write_exact,
)
from ledgerspec.errors import InvalidInputError

DATA = Path(__file__).parent / "data"
RFC8785 = DATA / "rfc8785"
VECTOR_NAMES = sorted(p.stem for p in (RFC8785 / "input").glob("*.json"))

ENVELOPE = (
    '{"event_id":"evt-1","occurred_at":"2026-01-21T12:00:00Z","tenant_id":"tenant-a","correlation_id":"corr-1",'
    '"event":{"type":"BudgetExceeded","data":{"chain_id":"chain-1","resource":"Tokens","limit":"1024","observed":"2048"}}}'
)
# The same envelope with its keys sorted by hand.
ENVELOPE_JCS = (
    b'{"correlation_id":"corr-1","event":{"data":{"chain_id":"chain-1","limit":"1024","observed":"2048",'
    b'"resource":"Tokens"},"type":"BudgetExceeded"},"event_id":"evt-1","occurred_at":"2026-01-21T12:00:00Z",'
    b'"tenant_id":"tenant-a"}'
)


# --- official RFC 8785 vectors ---------------------------------------------------------------


def test_vendored_vectors_are_all_there() -> None:
    assert VECTOR_NAMES == ["arrays", "french", "structures", "unicode", "values", "weird"]
    for name in VECTOR_NAMES:
        hex_text = (RFC8785 / "outhex" / f"{name}.txt").read_text()
        assert bytes.fromhex(hex_text) == (RFC8785 / "output" / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_rfc8785_vectors(name: str) -> None:
    value = json.loads((RFC8785 / "input" / f"{name}.json").read_bytes())
    expected = (RFC8785 / "output" / f"{name}.json").read_bytes()
    assert jcs(value) == expected
    assert jcs_text(value) == expected.decode()
    assert write_exact(value, JCS)[0].encode() == expected  # the slow path alone agrees too


# --- numbers: vectors computed by JavaScript ---------------------------------------------------


def _es_vectors() -> list[tuple[str, float, str]]:
    rows = []
    for line in (DATA / "es-numbers" / "vectors.csv").read_text().splitlines():
        hex_bits, expected = line.split(",")
        (value,) = struct.unpack(">d", int(hex_bits, 16).to_bytes(8, "big"))
        rows.append((hex_bits, value, expected))
    return rows


def test_es_number_vectors() -> None:
    rows = _es_vectors()
    assert len(rows) > 5000
    wrong = []
    for hex_bits, value, expected in rows:
        got, floats = jcs_and_floats(value)
        # an astral key sends the value down the pure-Python path
        nested = jcs({"\U0001f600": [value]})
        if got != expected.encode() or not floats or nested != f'{{"\U0001f600":[{expected}]}}'.encode():
            wrong.append((hex_bits, expected, got, nested))
    assert not wrong, wrong[:10]


def test_integral_float_against_big_int() -> None:
    assert jcs(1.0) == b"1"
    assert jcs(-0.0) == b"0"
    assert jcs(2**53 + 1) == b"9007199254740993"  # an int keeps its digits
    assert jcs(float(2**53 + 1)) == b"9007199254740992"  # a double cannot hold 2^53 + 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, b"0"),
        (2**53 - 1, b"9007199254740991"),
        (2**53, b"9007199254740992"),
        (2**53 + 1, b"9007199254740993"),
        (2**63 - 1, b"9223372036854775807"),
        (2**63, b"9223372036854775808"),
        (2**64 - 1, b"18446744073709551615"),
        (-(2**63), b"-9223372036854775808"),
        (-(2**53 + 1), b"-9007199254740993"),
        (123456789012345678901234567890, b"123456789012345678901234567890"),
        (-123456789012345678901234567890, b"-123456789012345678901234567890"),
    ],
)
def test_integers_are_written_exactly(value: int, expected: bytes) -> None:
    assert jcs(value) == expected
    assert jcs({"n": [value]}) == b'{"n":[' + expected + b"]}"
    assert jcs({"\U0001f600": value}) == '{"\U0001f600":'.encode() + expected + b"}"


def test_bool_is_not_an_int() -> None:
    assert jcs([True, False, None]) == b"[true,false,null]"
    assert jcs({"a": True}) == b'{"a":true}'


# --- strings and key order --------------------------------------------------------------------


def test_string_escaping() -> None:
    # RFC 8785 section 3.2.2.2: these seven use their short forms, other controls \u00xx in lower case
    assert jcs('"\\\b\f\n\r\t') == b'"\\"\\\\\\b\\f\\n\\r\\t"'
    assert jcs("\x00\x01\x1a\x1f") == b'"\\u0000\\u0001\\u001a\\u001f"'
    # everything else is written as is, in UTF-8
    assert jcs("/\x7f\u2028\u2029\u00e9\U0001f600") == '"/\x7f\u2028\u2029\u00e9\U0001f600"'.encode()
    for code in range(0x20):
        short = {0x08: "b", 0x09: "t", 0x0A: "n", 0x0C: "f", 0x0D: "r"}.get(code)
        escaped = f"\\{short}" if short else f"\\u{code:04x}"
        assert jcs({chr(code): chr(code)}) == f'{{"{escaped}":"{escaped}"}}'.encode()


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is D83D DE00 in UTF-16: D83D < E000, so it sorts before U+E000 (code point order says after)
    value = {"\ue000": 1, "\U0001f600": 2, "a": 3}
    expected = '{"a":3,"\U0001f600":2,"\ue000":1}'.encode()
    assert jcs(value) == expected
    assert jcs({"\U0001f600": 2, "a": 3, "\ue000": 1}) == expected
    assert jcs({"\uffff": 0, "\U00010000": 1}) == '{"\U00010000":1,"\uffff":0}'.encode()


def test_subclasses_and_tuples() -> None:
    value = collections.OrderedDict([("b", (1, 2)), ("a", "x")])
    assert jcs(value) == b'{"a":"x","b":[1,2]}'

    class Text(str):
        pass

    class Number(int):
        def __repr__(self) -> str:
            return "Number!"

    assert jcs({Text("k"): [Text("v"), Number(7)]}) == b'{"k":["v",7]}'


def test_envelope_and_float_flag() -> None:
    envelope = json.loads(ENVELOPE)
    assert jcs_and_floats(envelope) == (ENVELOPE_JCS, False)
    envelope["event"]["data"]["score"] = 0.5
    assert jcs_and_floats(envelope) == (
        b'{"correlation_id":"corr-1","event":{"data":{"chain_id":"chain-1","limit":"1024","observed":"2048",'
        b'"resource":"Tokens","score":0.5},"type":"BudgetExceeded"},"event_id":"evt-1",'
        b'"occurred_at":"2026-01-21T12:00:00Z","tenant_id":"tenant-a"}',
        True,
    )
    assert jcs_and_floats([1, "1.5", "e+5", {"k": "0.25"}]) == (b'[1,"1.5","e+5",{"k":"0.25"}]', False)
    assert jcs_and_floats([1, [2.0]]) == (b"[1,[2]]", True)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "pointer", "fragment"),
    [
        ({"event": {"data": {"score": math.nan}}}, "/event/data/score", "NaN is not JSON"),
        ([1, math.inf], "/1", "Infinity is not JSON"),
        ({"a": [-math.inf]}, "/a/0", "-Infinity is not JSON"),
        (math.nan, "", "NaN is not JSON"),
        ({"a": {1: "x"}}, "/a", "object key 1 (int) is not a string"),
        ({"a": {None: "x"}}, "/a", "object key None"),
        ({"s": ["ok", "bad\ud800"]}, "/s/1", "lone UTF-16 surrogate U+D800"),
        ({"k": {"\udfff": 1}}, "/k", "object key holds a lone UTF-16 surrogate U+DFFF"),
        ({"a/b~c": {"x": object()}}, "/a~1b~0c/x", "object is not a JSON value"),
        ({"x": b"bytes"}, "/x", "bytes is not a JSON value"),
        ({"x": {1, 2}}, "/x", "set is not a JSON value"),
        ({"\U0001f600": [math.nan]}, "/\U0001f600/0", "NaN is not JSON"),
    ],
)
def test_errors_name_the_pointer(value: Any, pointer: str, fragment: str) -> None:
    with pytest.raises(CanonicalError) as caught:
        jcs(value)
    assert isinstance(caught.value, InvalidInputError)
    assert caught.value.pointer == pointer
    assert str(caught.value).startswith(f"{pointer or '/'}: ")
    assert fragment in str(caught.value)
    assert caught.value.code == "invalid_input"


def test_error_message_example() -> None:
    with pytest.raises(CanonicalError, match="^/event/data/score: NaN is not JSON$"):
        jcs({"event": {"data": {"score": float("nan")}}})


def test_self_containing_value() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(CanonicalError, match="nests too deeply"):
        jcs(loop)


def test_deep_nesting_beyond_orjson_limit() -> None:
    deep: Any = "x"
    for _ in range(300):
        deep = [deep]
    assert jcs(deep) == b"[" * 300 + b'"x"' + b"]" * 300


# --- cross-check with the rfc8785 package (Trail of Bits) --------------------------------------

_keys = st.one_of(
    st.text(max_size=6),
    st.text(
        alphabet=st.sampled_from(["a", "\ue000", "\uffff", "\U00010000", "\U0001f600", "\x1f", "\u00e9"]), max_size=3
    ),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0xD000, exclude_categories=("Cs",))),  # astral, U+E000..U+FFFF
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_matches_rfc8785_package(value: Any) -> None:
    expected = rfc8785.dumps(value)
    assert jcs(value) == expected
    assert write_exact(value, JCS)[0].encode() == expected


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_stored_text_bytes_are_the_canonical_bytes_when_given(value: Any) -> None:
    """The cheap path stores and verify take for values read from text gives either nothing or
    exactly the stores' canonical bytes, as the pure-Python writer writes them (and, for a value
    without floats, as the rfc8785 package does)."""
    parsed = json.loads(json.dumps(value))  # what a value read from text looks like
    fast = stored_text_bytes(parsed)
    exact = write_exact(parsed, STORED)[0].encode()
    assert jcs(parsed, float_literals=True) == exact
    if fast is not None:
        assert fast == exact
    if not any(isinstance(item, float) for item in _leaves(parsed)):
        assert exact == rfc8785.dumps(parsed)
        assert fast is not None or _needs_care(parsed)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _needs_care(value: Any) -> bool:
    """Why a float-free value may still be left to the careful path: a string that looks like a
    number with a fraction or exponent, or a character beyond U+FFFF."""
    text = json.dumps(value, ensure_ascii=False)
    return any(c.isdigit() and n in ".eE" for c, n in zip(text, text[1:], strict=False)) or any(
        ord(c) > 0xFFFF for c in text
    )


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (1.0, "1.0"),
        (-0.0, "-0.0"),
        (0.0, "0.0"),
        (100.0, "100.0"),
        (1e16, "10000000000000000.0"),  # ECMAScript writes integer digits below 1e21
        (1e21, "1e+21"),  # already a float literal
        (0.5, "0.5"),
        (-2.5e-07, "-2.5e-7"),
    ],
)
def test_stores_keep_a_float_literal_a_float(value: float, stored: str) -> None:
    """serde_json reads `1` in a free JSON position as an integer and `1.0` as a float: the stores'
    canonical form writes every float so that it reads back as a float of the same value."""
    assert stored_number(value) == stored
    assert jcs({"x": value}, float_literals=True) == f'{{"x":{stored}}}'.encode()
    text = stored_number(value)
    assert any(c in text for c in ".e") and float(text) == value
    assert math.copysign(1.0, float(text)) == math.copysign(1.0, value)
    assert jcs({"x": value}) == f'{{"x":{es_number(value)}}}'.encode()  # plain RFC 8785 is unchanged


def test_the_stored_form_agrees_on_the_fast_and_exact_paths() -> None:
    """The orjson path and the pure-Python writer give the same stored bytes (an astral key forces
    the exact path)."""
    value = {"a": [1.0, 2, -0.0, 1e16], "b": {"c": 3.0}}
    fast = jcs(value, float_literals=True)
    exact = jcs({**value, "\U0001f600": 1.0}, float_literals=True)
    assert fast == b'{"a":[1.0,2,-0.0,10000000000000000.0],"b":{"c":3.0}}'
    assert exact == b'{"a":[1.0,2,-0.0,10000000000000000.0],"b":{"c":3.0},"\xf0\x9f\x98\x80":1.0}'
