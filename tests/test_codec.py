"""The codec: byte-exact serde output, canonical forms, round trips and error reporting."""

from __future__ import annotations

import dataclasses

import pytest

import ledgerspec
from ledgerspec import Codec, UnknownTypeError, ValidationError
from ledgerspec.jsontext import f32
from ledgerspec.models import agentsdk, converge, mfm

# serde_json output copied from the wire-format reference (sections 1.3, 1.10, 2.5, 4.6, 4.7);
# `dumps(loads(text))` must reproduce each byte for byte, key order included.
SERDE_TEXTS = [
    (
        "converge.ExperienceEventEnvelope",
        '{"event_id":"e1","occurred_at":"1970-01-01T00:00:00Z","tenant_id":null,"correlation_id":null,"event":{"type":"BudgetExceeded","data":{"chain_id":"c","resource":"Cycles","limit":"5","observed":null}}}',
    ),
    (
        "converge.ReplayTrace",
        '{"type":"Local","base_model_hash":"abc123","adapter":{"adapter_id":"lora-7","adapter_hash":"h7","merged":false},"tokenizer_hash":"tok123","seed":42,"sampler":{"temperature":0.0,"top_p":1.0,"top_k":40},"prompt_version":"v1","recall":{"corpus_fingerprint":"corpus:v3","candidate_ids":["c1","c2"],"candidate_scores":[0.91,0.77],"injected_count":2},"weights_mutated":false,"execution_env":{"device":"cpu","backend":"ndarray","precision":"f32"}}',
    ),
    (
        "converge.ExperienceEvent",
        '{"type":"OutcomeRecorded","data":{"chain_id":"intent-1","step":"Planning","passed":true,"stop_reason":"Converged","latency_ms":null,"tokens":null,"cost_microdollars":null,"backend":"converge-engine"}}',
    ),
    (
        "converge.ExperienceEvent",
        '{"type":"HypothesisResolved","data":{"chain_id":"c-1","fact_id":"f-1","domain":"market","claim":"price will increase","confidence":0.2,"outcome":"Falsified","contradiction_id":"tension-1","formed_cycle":1,"resolved_cycle":4}}',
    ),
    (
        "mfm.EventEnvelope",
        '{"run_id":"67e55044-10b1-426f-9247-bb680e5fe0c8","seq":5,"ts_millis":5,"event":{"Kernel":{"StateFailed":{"state_id":"machine.main.report","error":{"state_id":"machine.main.report","info":{"code":"render_failed","category":"Unknown","retryable":true,"message":"render failed","details":null}},"failure_snapshot_id":null}}}}',
    ),
    (
        "mfm.RunManifest",
        '{"op_id":"portfolio_snapshot","op_version":"1","input_params":{"chain_id":1,"wallets":["0xabc"]},"run_config":{"io_mode":"Live","retry_policy":{"max_attempts":3,"backoff":{"Fixed":{"delay":{"secs":1,"nanos":0}}}},"event_profile":"Normal","execution_mode":"Sequential","context_checkpointing":"AfterEveryState","replay_missing_fact_retryable":false,"skip_tags":[],"nix_flake_allowlist":["github:willyrgf/mfm"]},"build":{"git_commit":null,"cargo_lock_hash":null,"flake_lock_hash":null,"rustc_version":null,"target_triple":null,"env_allowlist":[]}}',
    ),
    (
        "agentsdk.HookRecord",
        '{"schema_version":1,"hook_id":"audit.before_tool","point":"before_tool_call","payload":{"type":"response_decision","invocation_id":"hook.invocation.1","decision":"accepted_journaled_before_apply","response_class":"deny","mutation_right_decision":"checked_against_point_and_spec_rights","target_domain_refs":[{"kind":"hook","id":"audit.before_tool","privacy":"content_refs_only"}]}}',
    ),
    (
        "agentsdk.HookRecordPayload",
        '{"type":"timed_out","invocation_id":"hook.invocation.1","elapsed_ms":250,"failure_policy":"Deny"}',
    ),
]


@pytest.mark.parametrize(("type_name", "text"), SERDE_TEXTS)
def test_dumps_reproduces_serde_bytes(type_name: str, text: str) -> None:
    assert ledgerspec.dumps(ledgerspec.loads(type_name, text)) == text


@pytest.mark.parametrize(
    ("value", "printed"),
    [(0.7, 0.7), (0.1, 0.1), (0.123456789, 0.12345679), (16777217.0, 16777216.0), (1e-45, 1e-45), (0.0, 0.0)],
)
def test_f32_rounds_like_serde(value: float, printed: float) -> None:
    # serde stores an f32 and prints its shortest round-trip digits (ryu).
    assert f32(value) == printed


def test_f32_fields_are_rounded_on_load() -> None:
    sampler = ledgerspec.load("converge.SamplerParams", {"temperature": 0.123456789, "top_p": 1, "top_k": None})
    assert ledgerspec.dumps(sampler) == '{"temperature":0.12345679,"top_p":1.0,"top_k":null}'


def test_canonical_forms_are_reemitted() -> None:
    assert (
        ledgerspec.load("mfm.RunId", "{67E55044-10B1-426F-9247-BB680E5FE0C8}") == "67e55044-10b1-426f-9247-bb680e5fe0c8"
    )
    assert ledgerspec.load("mfm.RunId", "67e5504410b1426f9247bb680e5fe0c8") == "67e55044-10b1-426f-9247-bb680e5fe0c8"
    assert ledgerspec.load("converge.ContentHash", "AB" * 32) == "ab" * 32
    assert ledgerspec.dump(ledgerspec.load("mfm.Duration", {"secs": 1, "nanos": 2_500_000_000})) == {
        "secs": 3,
        "nanos": 500_000_000,
    }


def test_skip_serializing_if_omits_empty_and_none() -> None:
    text = (
        '{"kind":"tool","id":"d","privacy":"internal","retention":"durable","correlation":[],"redacted_summary":null}'
    )
    assert ledgerspec.dumps(ledgerspec.loads("agentsdk.DestinationRef", text)) == (
        '{"kind":"tool","id":"d","privacy":"internal","retention":"durable"}'
    )


def test_defaults_fill_absent_fields() -> None:
    config = ledgerspec.dump(
        ledgerspec.load(
            "mfm.RunConfig",
            {
                "io_mode": "Replay",
                "retry_policy": {"max_attempts": 1, "backoff": {"Fixed": {"delay": {"secs": 0, "nanos": 0}}}},
                "event_profile": {"Custom": "x"},
                "execution_mode": {"FanOutJoin": {"max_concurrency": 4}},
                "context_checkpointing": "AfterEveryState",
                "replay_missing_fact_retryable": True,
                "skip_tags": ["report"],
            },
        )
    )
    assert config["nix_flake_allowlist"] == ["github:willyrgf/mfm"]


def test_models_built_in_python_round_trip() -> None:
    envelope = mfm.EventEnvelope(
        run_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        seq=18446744073709551615,
        ts_millis=None,
        event=mfm.EventDomain(
            Domain=mfm.DomainEvent(name="op_boundary", payload={"phase": "started"}, payload_ref=None)
        ),
    )
    data = ledgerspec.dump(envelope)
    assert data == {
        "run_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "seq": 18446744073709551615,
        "ts_millis": None,
        "event": {"Domain": {"name": "op_boundary", "payload": {"phase": "started"}, "payload_ref": None}},
    }
    assert ledgerspec.load(mfm.EventEnvelope, data) == envelope
    assert dataclasses.is_dataclass(envelope) and envelope.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_internal_tag_is_written_first() -> None:
    payload = agentsdk.HookRecordPayloadCancelled(invocation_id="i")
    assert list(ledgerspec.dump(payload)) == ["type", "invocation_id"]


def test_every_problem_is_reported_with_its_pointer() -> None:
    with pytest.raises(ValidationError) as caught:
        ledgerspec.load(
            "mfm.EventEnvelope", {"run_id": "nope", "seq": -1, "event": {"Kernel": {"RunStarted": {"op_id": "Bad"}}}}
        )
    found = {(i.path, i.rule) for i in caught.value.issues}
    assert found == {
        ("/run_id", "pattern"),
        ("/seq", "minimum"),
        ("/event/Kernel/RunStarted/op_id", "pattern"),
        ("/event/Kernel/RunStarted", "required"),
    }
    assert "/event/Kernel/RunStarted/op_id" in str(caught.value)


def test_float_literal_is_not_an_integer() -> None:
    with pytest.raises(ValidationError) as caught:
        ledgerspec.load(
            "mfm.EventEnvelope",
            {
                "run_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                "seq": 1.0,
                "ts_millis": None,
                "event": {"Kernel": {"RunCompleted": {"status": "Completed", "final_snapshot_id": None}}},
            },
        )
    assert [(i.path, i.rule) for i in caught.value.issues] == [("/seq", "type")]


def test_unknown_tag_names_the_union() -> None:
    with pytest.raises(ValidationError) as caught:
        ledgerspec.load("converge.ExperienceEvent", {"type": "Nope", "data": {}})
    (issue,) = caught.value.issues
    assert (issue.path, issue.rule) == ("", "oneOf")
    assert "BudgetExceeded" in issue.message


def test_strict_mode_rejects_unknown_keys() -> None:
    document = {"from": "m.main.a", "to": "m.main.b", "extra": 1}
    assert ledgerspec.dump(ledgerspec.load("mfm.DependencyEdge", document)) == {"from": "m.main.a", "to": "m.main.b"}
    with pytest.raises(ValidationError) as caught:
        ledgerspec.load("mfm.DependencyEdge", document, strict=True)
    assert [(i.path, i.rule) for i in caught.value.issues] == [("", "unevaluatedProperties")]


def test_unknown_type_suggests_close_names(codec: Codec) -> None:
    with pytest.raises(UnknownTypeError, match="converge.ExperienceEventEnvelope"):
        ledgerspec.load("converge.ExperienceEventEnvelop", {})
    with pytest.raises(UnknownTypeError):
        codec.qualified(dict)


def test_keyword_field_names_map_to_wire_keys() -> None:
    edge = ledgerspec.load("mfm.DependencyEdge", {"from": "m.main.a", "to": "m.main.b"})
    assert edge.from_ == "m.main.a"


def test_text_path_keeps_the_integer_literal_rule() -> None:
    # No integral float literal: the fast check may skip the rule; with one, it must not.
    good = '{"run_id":"0f8fad5b-d9cb-469f-a165-70867728950e","seq":1,"ts_millis":null,"event":{"Domain":{"name":"n","payload":1.5,"payload_ref":null}}}'
    ledgerspec.validate_json("mfm.EventEnvelope", good)
    with pytest.raises(ValidationError) as caught:
        ledgerspec.validate_json("mfm.EventEnvelope", good.replace('"seq":1', '"seq":1.0'))
    assert [(i.path, i.rule) for i in caught.value.issues] == [("/seq", "type")]
    with pytest.raises(ValidationError):
        ledgerspec.loads("mfm.EventEnvelope", good.replace('"seq":1', '"seq":1e0'))


def test_lone_surrogate_in_a_python_value_is_reported_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        ledgerspec.validate("mfm.DependencyEdge", {"from": "m.main.a", "to": "bad\ud800"})
    assert [(i.path, i.rule) for i in caught.value.issues] == [("/to", "unicode")]


def test_a_float_field_given_an_integer_is_written_as_serde_writes_an_f64() -> None:
    """A Rust f64 holds no integer, so serde writes `1.0`; a model built with `1` dumps the same,
    and the writer contract (which `dumps` checks) refuses the integer literal itself."""
    assert ledgerspec.dumps(converge.CandidateScore(id="a", score=1)) == '{"id":"a","score":1.0}'
    with pytest.raises(ledgerspec.ValidationError, match="integer literal"):
        ledgerspec.validate_json("converge.CandidateScore", '{"id":"a","score":1}', strict=True)
