"""Repeated keys and free-position numbers get serde's verdict and serde's re-serialization on every
entry point. Expected values are worked out from serde's documented rules (docs/schema-conventions.md,
"Repeated keys" and "Numbers"), never from ledgerspec's output:

- a derived struct rejects a repeated field ("duplicate field `x`") and skips a repeated unknown key;
- a tagged enum rejects a repeated tag (and an adjacent one a repeated content key); an externally
  tagged enum object must hold exactly one key;
- a map (`HashMap`, `BTreeMap`, `serde_json::Value`) deserializes every value of a repeated key and
  keeps the last (`Map::insert` replaces);
- serde_json reads an integer within i64/u64 exactly, another as an f64 (ryu writes it back, with no
  `+` in the exponent), and rejects one that overflows an f64 ("number out of range").
"""

from __future__ import annotations

import io
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledgerspec
from ledgerspec import DocumentError, ValidationError
from ledgerspec.cli import main
from ledgerspec.conformance.values import load_corpus
from ledgerspec.contract import shipped
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore
from ledgerspec.store.memory import MemoryStore

ENVELOPE_TYPE = "converge.ExperienceEventEnvelope"
# serde's output for this envelope (wire-format reference, section 1.3).
ENVELOPE = '{"event_id":"e1","occurred_at":"1970-01-01T00:00:00Z","tenant_id":null,"correlation_id":null,"event":{"type":"BudgetExceeded","data":{"chain_id":"c","resource":"Cycles","limit":"5","observed":null}}}'
OUTCOME = '{"event_id":"e2","occurred_at":"1970-01-01T00:00:00Z","tenant_id":null,"correlation_id":null,"event":{"type":"OutcomeRecorded","data":{"chain_id":"c","step":"Planning","passed":true,"stop_reason":null,"latency_ms":null,"tokens":null,"cost_microdollars":null,"backend":null,"metadata":METADATA}}}'
ROUTING = (
    '{"truth_preferences":{},"risk_tier_backends":TIERS,"data_classification_backends":{},"default_backend":"local"}'
)
WAKE = '{"type":"wake","condition_id":"wake.1","timeout_millis":null}'


def rejected(type_name: str, text: str) -> list[tuple[str, str]]:
    """(pointer, rule) of every problem `loads` reports; the test fails if it accepts."""
    with pytest.raises(ValidationError) as caught:
        ledgerspec.loads(type_name, text)
    return [(issue.path, issue.rule) for issue in caught.value.issues]


def written(type_name: str, text: str) -> str:
    """What `dumps(loads(text))` writes (serde's re-serialization when the contract holds)."""
    return ledgerspec.dumps(ledgerspec.loads(type_name, text))


# -- repeated keys, case by case ---------------------------------------------------------------

REJECTED = [
    # a repeated struct field, even with equal values: the brief's tenant differential
    (ENVELOPE_TYPE, ENVELOPE.replace('"tenant_id":null', '"tenant_id":"a","tenant_id":"b"'), "/tenant_id"),
    (ENVELOPE_TYPE, ENVELOPE.replace('"event_id":"e1"', '"event_id":"e1","event_id":"e1"'), "/event_id"),
    # the adjacent tag and the adjacent content key of ExperienceEvent
    (
        ENVELOPE_TYPE,
        ENVELOPE.replace('"type":"BudgetExceeded"', '"type":"BudgetExceeded","type":"BudgetExceeded"'),
        "/event/type",
    ),
    (ENVELOPE_TYPE, ENVELOPE.replace('"data":{', '"data":{},"data":{'), "/event/data"),
    # a field of the struct variant's fields
    (ENVELOPE_TYPE, ENVELOPE.replace('"limit":"5"', '"limit":"4","limit":"5"'), "/event/data/limit"),
    # an externally tagged variant holds exactly one key
    ("converge.BudgetResource", '{"Other":"a","Other":"b"}', "/Other"),
    (
        "mfm.Event",
        '{"Kernel":{"RunCompleted":{"status":"Failed","final_snapshot_id":null}},"Kernel":{"RunCompleted":{"status":"Failed","final_snapshot_id":null}}}',
        "/Kernel",
    ),
    # Duration's hand-written visitor rejects a repeated secs or nanos
    ("mfm.Duration", '{"secs":1,"nanos":0,"secs":2}', "/secs"),
    # an internally tagged enum: the tag is read before the variant is known (the opaque variant too)
    ("agentsdk.JournalRecordPayload", WAKE.replace('"type":"wake"', '"type":"wake","type":"wake"'), "/type"),
    (
        "converge.ReplayTrace",
        '{"type":"Remote","type":"Remote","provider_name":"p","provider_model_id":"m","request_fingerprint":"f","response_fingerprint":"r","temperature":0.0,"top_p":1.0,"max_tokens":5,"provider_metadata":{},"retried":false,"retry_reasons":[],"vendor_request_id":null}',
        "/type",
    ),
    # an opaque journal payload stands for an upstream struct (fields unpublished): any repeated key
    ("agentsdk.JournalRecordPayload", WAKE.replace('"condition_id":"wake.1"', '"x":1,"x":2'), "/x"),
    ("agentsdk.JournalRecordPayload", WAKE.replace('"condition_id":"wake.1"', '"x":[{"a":1,"a":2}]'), "/x/0/a"),
]


@pytest.mark.parametrize(("type_name", "text", "pointer"), REJECTED)
def test_serde_rejects_a_repeated_field_or_tag(type_name: str, text: str, pointer: str) -> None:
    assert (pointer, "duplicate_key") in rejected(type_name, text)


ACCEPTED = [
    # a repeated unknown key of a struct is skipped unread, both times: serde writes the envelope alone
    (ENVELOPE_TYPE, ENVELOPE.replace('"event_id":"e1"', '"x":1,"event_id":"e1","x":{"y":2,"y":3}'), ENVELOPE),
    # a map keeps the last value
    (
        ENVELOPE_TYPE,
        OUTCOME.replace("METADATA", '{"k":"a","j":"c","k":"b"}'),
        OUTCOME.replace("METADATA", '{"k":"b","j":"c"}'),
    ),
    (
        "converge.RoutingPolicy",
        ROUTING.replace("TIERS", '{"High":["a"],"High":["b"]}'),
        ROUTING.replace("TIERS", '{"High":["b"]}'),
    ),
    # serde_json::Value keeps the last value at every depth
    (
        "mfm.DomainEvent",
        '{"name":"n","payload":{"a":1,"b":{"c":1,"c":[2]},"a":3},"payload_ref":null}',
        '{"name":"n","payload":{"a":3,"b":{"c":[2]}},"payload_ref":null}',
    ),
]


@pytest.mark.parametrize(("type_name", "text", "serde"), ACCEPTED)
def test_serde_accepts_where_the_last_value_wins_or_the_key_is_skipped(type_name: str, text: str, serde: str) -> None:
    assert json.loads(written(type_name, text)) == json.loads(serde)
    ledgerspec.validate_json(type_name, text)


@pytest.mark.parametrize(
    ("metadata", "problems"),
    [
        # every value of a map key is read: an earlier one of the wrong type fails
        ('{"k":1,"k":"b"}', [("/event/data/metadata/k", "type")]),
        ('{"k":"a","k":2}', [("/event/data/metadata/k", "type")]),
        # several keys at once, an object among the earlier values, a key needing pointer escapes
        (
            '{"k":{"a":1},"k":"x","r/s":"y","r/s":1,"r/s":"z"}',
            [("/event/data/metadata/k", "type"), ("/event/data/metadata/r~1s", "type")],
        ),
    ],
)
def test_every_value_of_a_repeated_map_key_must_be_valid(metadata: str, problems: list[tuple[str, str]]) -> None:
    assert rejected(ENVELOPE_TYPE, OUTCOME.replace("METADATA", metadata)) == problems


def test_earlier_map_values_are_judged_against_the_maps_value_type() -> None:
    text = ROUTING.replace("TIERS", '{"High":"not an array","High":["b"]}')
    assert rejected("converge.RoutingPolicy", text) == [("/risk_tier_backends/High", "type")]


# -- repeated keys over a space of documents ----------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


def _struct_fixtures() -> list[tuple[str, dict[str, Any], Any, list[str]]]:
    """(type, document, serde output, declared keys present) of every valid fixture of a struct type
    whose top-level properties the document uses and whose object is open."""
    entries = shipped().entries
    found = []
    for file in load_corpus():
        schema = entries[file.type].schema
        properties = schema.get("properties", {})
        if not properties or "allOf" in schema or schema.get("additionalProperties") is not None:
            continue
        for case in file.valid:
            if isinstance(case.document, dict) and (keys := [k for k in case.document if k in properties]):
                found.append((file.type, case.document, case.expected, keys))
    return found


STRUCTS = _struct_fixtures()


def _with_members_first(document: dict[str, Any], members: list[tuple[str, Any]]) -> str:
    """The document's JSON text with `members` written before its own (so its own come last)."""
    head = "".join(f"{json.dumps(key)}:{json.dumps(value)}," for key, value in members)
    body = json.dumps(document, separators=(",", ":"))
    return "{" + head + body[1:] if body != "{}" else "{" + head[:-1] + "}"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(STRUCTS), st.data())
def test_any_repeated_struct_field_is_rejected_whatever_the_values(fixture: Any, data: st.DataObject) -> None:
    type_name, document, _, keys = fixture
    key = data.draw(st.sampled_from(keys))
    earlier = data.draw(JSON_VALUES)
    assert (f"/{key}", "duplicate_key") in rejected(type_name, _with_members_first(document, [(key, earlier)]))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(STRUCTS), JSON_VALUES, JSON_VALUES)
def test_a_repeated_unknown_key_is_skipped(fixture: Any, first: Any, second: Any) -> None:
    type_name, document, serde, _ = fixture
    text = _with_members_first(document, [("zz-unknown", first), ("zz-unknown", second)])
    assert json.loads(written(type_name, text)) == serde


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), JSON_VALUES), max_size=8))
def test_a_value_object_keeps_the_last_value_of_each_key(members: list[tuple[str, Any]]) -> None:
    payload = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in members) + "}"
    text = '{"name":"n","payload":' + payload + ',"payload_ref":null}'
    assert json.loads(written("mfm.DomainEvent", text))["payload"] == dict(members)


def strict_rejected(type_name: str, text: str) -> list[tuple[str, str]]:
    """(pointer, rule) of every problem the strict (writer) contract reports for `text`; the test
    fails if it accepts. The reader contract must accept the same text."""
    ledgerspec.validate_json(type_name, text)
    with pytest.raises(ValidationError) as caught:
        ledgerspec.validate_json(type_name, text, strict=True)
    return [(issue.path, issue.rule) for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("type_name", "text", "pointer"),
    [
        # a HashMap<String, String>, a HashMap keyed by an enum, a serde_json::Value at two depths
        (ENVELOPE_TYPE, OUTCOME.replace("METADATA", '{"k":"a","k":"a"}'), "/event/data/metadata/k"),
        ("converge.RoutingPolicy", ROUTING.replace("TIERS", '{"High":["a"],"High":["b"]}'), "/risk_tier_backends/High"),
        ("mfm.DomainEvent", '{"name":"n","payload":{"a":1,"a":1},"payload_ref":null}', "/payload/a"),
        ("mfm.DomainEvent", '{"name":"n","payload":[{"b":{"c":1,"c":[2]}}],"payload_ref":null}', "/payload/0/b/c"),
    ],
)
def test_the_writer_contract_refuses_a_key_serdes_reader_lets_repeat(type_name: str, text: str, pointer: str) -> None:
    """serde's readers keep the last value of a repeated map or `Value` key, but its writers write
    each key of an object once (map and `serde_json::Map` keys are distinct), so no serde writer
    produced the text: the strict contract refuses it, with the key's pointer."""
    assert strict_rejected(type_name, text) == [(pointer, "duplicate_key")]


def test_a_repeated_key_inside_a_replaced_value_is_refused_through_its_repeated_parent() -> None:
    text = '{"name":"n","payload":{"a":{"x":1,"x":2},"a":3},"payload_ref":null}'
    assert strict_rejected("mfm.DomainEvent", text) == [("/payload/a", "duplicate_key")]


@pytest.mark.parametrize(
    "literal", ["18446744073709551616", "18446744073709551617", "-9223372036854775809", "1" + "0" * 30]
)
def test_the_writer_contract_refuses_an_integer_serde_json_holds_as_an_f64(literal: str) -> None:
    """serde_json holds an integer beyond i64/u64 in a `serde_json::Value` as an f64 and writes
    it as ryu writes an f64 (`1.8446744073709552e19`), never as these digits; the reader reads it."""
    text = '{"name":"n","payload":{"a":[' + literal + '],"b":1},"payload_ref":null}'
    assert strict_rejected("mfm.DomainEvent", text) == [("/payload/a/0", "type")]
    value = json.loads(text)
    ledgerspec.validate("mfm.DomainEvent", value)
    with pytest.raises(ValidationError) as caught:
        ledgerspec.validate("mfm.DomainEvent", value, strict=True)
    assert [(i.path, i.rule) for i in caught.value.issues] == [("/payload/a/0", "type")]
    run_event = RUN_EVENT.replace("PAYLOAD", "[" + literal + "]")
    with MemoryStore(strict=True) as store, pytest.raises(ValidationError):
        store.runs.append(RUN_ID, 0, [json.loads(run_event)])
    with (
        SqliteStore(":memory:", strict=True) as sqlite,
        pytest.raises(ValidationError, match="/event/Domain/payload/0"),
    ):
        list(sqlite.load([run_event], type_name="mfm.EventEnvelope"))  # the text path of a store
    ledgerspec.validate_json("mfm.DomainEvent", text.replace(literal, ryu(float(int(literal)))), strict=True)


# -- numbers in free positions -----------------------------------------------------------------


def ryu(value: float) -> str:
    """How serde_json (ryu) writes a finite f64: shortest round-trip digits d1..dn with the value
    0.d1..dn x 10^kk; positional when 0 < kk <= 16 (at least one decimal) or -5 < kk <= 0, else
    d1.d2..dn e(kk-1) with no `+`."""
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    shortest = Decimal(repr(abs(value)))  # Python's repr is the shortest round-trip decimal too
    digits = "".join(map(str, shortest.as_tuple().digits)).rstrip("0")
    kk = shortest.adjusted() + 1
    if 0 < kk <= 16:
        whole, fraction = (digits + "0" * kk)[:kk], digits[kk:]
        return f"{sign}{whole}.{fraction or '0'}"
    if -5 < kk <= 0:
        return f"{sign}0.{'0' * -kk}{digits}"
    head = digits[0] if len(digits) == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{head}e{kk - 1}"


def payload_written(literal: str) -> str:
    """The text serde writes for a number literal read into a `serde_json::Value`."""
    out = written("mfm.DomainEvent", '{"name":"n","payload":[' + literal + '],"payload_ref":null}')
    return out[len('{"name":"n","payload":[') : -len('],"payload_ref":null}')]


@pytest.mark.parametrize(
    ("literal", "serde"),
    [
        ("18446744073709551615", "18446744073709551615"),  # u64::MAX: exact
        ("-9223372036854775808", "-9223372036854775808"),  # i64::MIN: exact
        ("18446744073709551616", "1.8446744073709552e19"),  # the brief's example
        ("-9223372036854775809", "-9.223372036854776e18"),
        ("100000000000000000000", "1e20"),
        ("123456789012345678901234567890", "1.2345678901234568e29"),
        ("1" + "0" * 308, "1e308"),
        ("1e16", "1e16"),
        ("0.00001", "0.00001"),
        ("0.000001", "1e-6"),
        ("1.5e300", "1.5e300"),
        ("-0", "-0.0"),
        ("-0.0", "-0.0"),
    ],
)
def test_free_numbers_are_read_and_written_as_serde_json_does(literal: str, serde: str) -> None:
    assert payload_written(literal) == serde


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(2**1100), max_value=2**1100))
def test_any_integer_literal_in_a_free_position(number: int) -> None:
    literal = str(number)
    if not -(2**1024) < number < 2**1024 or not math.isfinite(float(literal)):
        with pytest.raises(DocumentError, match="out of range"):
            payload_written(literal)
    elif -(2**63) <= number <= 2**64 - 1:
        assert payload_written(literal) == literal
    else:
        assert payload_written(literal) == ryu(float(number))


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_is_written_as_ryu_writes_it(number: float) -> None:
    assert payload_written(repr(number)) == ryu(number)


@pytest.mark.parametrize("literal", ["1" + "0" * 400, "-" + "9" * 5000, "1e309", "2" + "0" * 308])
def test_numbers_an_f64_cannot_hold_are_refused_on_every_text_entry_point(literal: str) -> None:
    text = '{"name":"n","payload":' + literal + ',"payload_ref":null}'
    for entry in (ledgerspec.loads, ledgerspec.validate_json):
        with pytest.raises(DocumentError, match="out of range"):
            entry("mfm.DomainEvent", text)


def test_python_values_follow_the_same_number_rules() -> None:
    event = {"name": "n", "payload": {"a": [2**64]}, "payload_ref": None}
    ledgerspec.validate("mfm.DomainEvent", event)
    assert ledgerspec.dump(ledgerspec.load("mfm.DomainEvent", event))["payload"] == {"a": [1.8446744073709552e19]}
    event["payload"] = {"a": [10**400]}
    for entry in (ledgerspec.validate, ledgerspec.load):
        with pytest.raises(ValidationError) as caught:
            entry("mfm.DomainEvent", event)
        assert [(i.path, i.rule) for i in caught.value.issues] == [("/payload/a/0", "number_range")]
    sampler = {"temperature": 10**400, "top_p": 1.0, "top_k": None}  # an f64 field
    with pytest.raises(ValidationError, match="number_range"):
        ledgerspec.validate("converge.SamplerParams", sampler)


# -- stores: the document as received, repeated keys judged ------------------------------------

RUN_ID = "67e55044-10b1-426f-9247-bb680e5fe0c8"
RUN_EVENT = '{"run_id":"67e55044-10b1-426f-9247-bb680e5fe0c8","seq":1,"ts_millis":null,"event":{"Domain":{"name":"n","payload":PAYLOAD,"payload_ref":null}}}'


@pytest.mark.parametrize("store_type", [SqliteStore, MemoryStore])
def test_stores_keep_free_integers_as_received(store_type: Any) -> None:
    """A store keeps the document it received (as RFC 8785 bytes with exact integers), not serde's reading."""
    value = ledgerspec.jsontext.parse(RUN_EVENT.replace("PAYLOAD", '{"big":18446744073709551616}'))
    store = store_type(":memory:") if store_type is SqliteStore else store_type()
    with store:
        store.runs.append("67e55044-10b1-426f-9247-bb680e5fe0c8", 0, [value])
        (stored,) = store.runs.read_range("67e55044-10b1-426f-9247-bb680e5fe0c8", 1, None)
    assert ledgerspec.dump(stored)["event"]["Domain"]["payload"] == {"big": 1.8446744073709552e19}


@pytest.mark.parametrize("store_type", [SqliteStore, MemoryStore])
def test_stores_refuse_an_integer_no_f64_holds_even_under_an_unknown_key(store_type: Any) -> None:
    envelope = {**json.loads(ENVELOPE), "unknown": 10**400}
    store = store_type(":memory:") if store_type is SqliteStore else store_type()
    with store, pytest.raises(ledgerspec.errors.InvalidInputError, match="out of range"):
        store.experience.append_events([envelope])


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_store_append_judges_repeated_keys_and_keeps_free_numbers_as_received(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    lines = [
        RUN_EVENT.replace("PAYLOAD", '{"a":1,"a":18446744073709551616}'),
        RUN_EVENT.replace('"seq":1', '"seq":2,"seq":2').replace("PAYLOAD", "null"),
    ]
    (tmp_path / "events.ndjson").write_text("\n".join(lines) + "\n")
    code, _, err = cli(
        "store", "append", db, "--type", "mfm.EventEnvelope", "--batch", "1", str(tmp_path / "events.ndjson")
    )
    assert code == 1 and "events.ndjson:2" in err and "duplicate field `seq`" in err and "Traceback" not in err
    code, out, _ = cli("store", "export", db)
    assert code == 0
    assert json.loads(out)["event"]["Domain"]["payload"] == {"a": 18446744073709551616}  # as received, last value


def test_store_append_does_not_crash_on_a_5000_digit_number(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text(ENVELOPE.replace('"limit":"5"', '"limit":"5","x":' + "9" * 5000) + "\n")
    code, _, err = cli("store", "append", str(tmp_path / "l.db"), str(tmp_path / "e.jsonl"))
    assert code == 1 and "e.jsonl:1" in err and "out of range" in err and "Traceback" not in err


def test_validate_and_roundtrip_commands_give_serde_verdicts(tmp_path: Path) -> None:
    lines = [
        ENVELOPE.replace('"event_id":"e1"', '"event_id":"e1","event_id":"e2"'),
        RUN_EVENT.replace("PAYLOAD", '{"a":18446744073709551616,"a":1}'),
        '{"a":' + "9" * 5000 + "}",
    ]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n")
    code, out, _ = cli("validate", "--type", ENVELOPE_TYPE, "--format", "json", str(tmp_path / "docs.jsonl"))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and len(results) == 3
    assert results[0]["errors"][0]["path"] == "/event_id" and results[0]["errors"][0]["rule"] == "duplicate_key"
    assert "out of range" in results[2]["errors"][0]["message"]
    code, out, _ = cli("roundtrip", "--type", "mfm.EventEnvelope", str(tmp_path / "docs.jsonl"))
    written_lines = out.splitlines()
    assert code == 1 and len(written_lines) == 3
    assert '"payload":{"a":1}' in written_lines[1]


# -- the edges of input ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [b"\xef\xbb\xbf" + ENVELOPE.encode(), "\ufeff" + ENVELOPE])
def test_a_byte_order_mark_is_named(text: str | bytes) -> None:
    with pytest.raises(DocumentError, match=r"byte order mark \(BOM\)"):
        ledgerspec.validate_json(ENVELOPE_TYPE, text)


def test_file_edges(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + ENVELOPE.encode())
    (tmp_path / "two.json").write_text(ENVELOPE + "\n" + ENVELOPE + "\n")
    (tmp_path / "lines.ndjson").write_text(ENVELOPE + "\n" + ENVELOPE + "\n")
    (tmp_path / "big.jsonl").write_text(ENVELOPE + "\n")
    files = [str(tmp_path / name) for name in ("bom.json", "two.json", "lines.ndjson")]
    code, out, _ = cli("validate", "--type", ENVELOPE_TYPE, "--format", "json", *files)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [(r["source"].rsplit("/", 1)[1], r["line"], r["valid"]) for r in results] == [
        ("bom.json", None, False),
        ("two.json", None, False),
        ("lines.ndjson", 1, True),
        ("lines.ndjson", 2, True),
    ]
    assert "BOM" in results[0]["errors"][0]["message"]
    assert "several documents? use .jsonl or -" in results[1]["errors"][0]["message"]
    for name in ("two.json", "big.jsonl"):
        code, out, _ = cli(
            "validate", "--type", ENVELOPE_TYPE, "--format", "json", "--max-bytes", "50", str(tmp_path / name)
        )
        assert [e["rule"] for e in json.loads(out.splitlines()[0])["errors"]] == ["max_bytes"]


@pytest.mark.parametrize("store_type", [SqliteStore, MemoryStore])
def test_event_query_takes_plain_strings_for_kinds(store_type: Any) -> None:
    store = store_type(":memory:") if store_type is SqliteStore else store_type()
    with store:
        store.experience.append_events([json.loads(ENVELOPE)])
        found = store.experience.query_events(converge.EventQuery(kinds=["BudgetExceeded"]))  # type: ignore[list-item]
        assert [envelope.event_id for envelope in found] == ["e1"]
        with pytest.raises(ledgerspec.errors.InvalidQueryError, match="/kinds/0"):
            store.experience.query_events(converge.EventQuery(kinds=["Budget"]))  # type: ignore[list-item]


def test_store_copy_keeps_the_digits_of_wide_integers(tmp_path: Path) -> None:
    """`copy` re-reads the source's export: a free integer beyond u64 must come out as it went in,
    or the two ledgers' head chain values differ."""
    source, target = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    (tmp_path / "e.jsonl").write_text(RUN_EVENT.replace("PAYLOAD", "[18446744073709551616,-1e-7]") + "\n")
    assert cli("store", "append", source, "--type", "mfm.EventEnvelope", str(tmp_path / "e.jsonl"))[0] == 0
    code, _, err = cli("store", "copy", source, target)
    assert code == 0, err
    assert cli("store", "export", target)[1] == cli("store", "export", source)[1]
    assert "18446744073709551616" in cli("store", "export", target)[1]
