"""The top-level Python API: what `validate` accepts, `dump`/`dumps` refusing models that break the
writer contract unless told not to check, and `dir(ledgerspec)` listing the API only."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest

import ledgerspec
from ledgerspec import ValidationError
from ledgerspec.models import converge, mfm

ENVELOPE = '{"event_id":"e1","occurred_at":"1970-01-01T00:00:00Z","tenant_id":null,"correlation_id":null,"event":{"type":"BudgetExceeded","data":{"chain_id":"c","resource":"Cycles","limit":"5","observed":null}}}'


@pytest.fixture
def envelope() -> converge.ExperienceEventEnvelope:
    model: converge.ExperienceEventEnvelope = ledgerspec.loads("converge.ExperienceEventEnvelope", ENVELOPE)
    return model


def test_validate_accepts_a_model(envelope: converge.ExperienceEventEnvelope) -> None:
    ledgerspec.validate("converge.ExperienceEventEnvelope", envelope, strict=True)
    ledgerspec.validate("converge.ExperienceEvent", envelope.event)  # a variant model checked as its union
    with pytest.raises(ValidationError) as caught:
        ledgerspec.validate("converge.ExperienceEventEnvelope", dataclasses.replace(envelope, event_id=123))
    assert [(i.path, i.rule) for i in caught.value.issues] == [("/event_id", "type")]


@pytest.mark.parametrize("data", [{1, 2}, object(), {"event_id": object()}, [uuid.uuid4()]])
def test_validate_of_something_not_json_says_what_to_pass(data: object) -> None:
    with pytest.raises(TypeError, match="JSON value .*ledgerspec.models instance"):
        ledgerspec.validate("converge.ExperienceEventEnvelope", data)


def test_dump_refuses_a_model_that_breaks_the_contract(envelope: converge.ExperienceEventEnvelope) -> None:
    broken = dataclasses.replace(envelope, event_id=123)
    for dump in (ledgerspec.dump, ledgerspec.dumps):
        with pytest.raises(ValidationError) as caught:
            dump(broken)
        assert caught.value.type_name == "converge.ExperienceEventEnvelope"
        assert [(i.path, i.rule) for i in caught.value.issues] == [("/event_id", "type")]
    assert json.loads(ledgerspec.dumps(broken, validate=False))["event_id"] == 123  # the explicit opt-out
    assert ledgerspec.dumps(envelope) == ENVELOPE


def test_dump_checks_nested_values_and_values_no_hook_can_write() -> None:
    run = ledgerspec.load(
        "mfm.EventEnvelope",
        {
            "run_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "seq": 6,
            "ts_millis": 6,
            "event": {"Kernel": {"RunCompleted": {"status": "Failed", "final_snapshot_id": None}}},
        },
    )
    assert isinstance(run, mfm.EventEnvelope)
    with pytest.raises(ValidationError, match=r"/seq: \[minimum\]"):
        ledgerspec.dump(dataclasses.replace(run, seq=-1))
    with pytest.raises(ValidationError, match="cannot be written as JSON"):
        ledgerspec.dump(dataclasses.replace(run, run_id=123))  # a UUID field: canonicalising it fails


def test_dump_of_something_else_says_what_to_pass() -> None:
    with pytest.raises(TypeError, match=r"ledgerspec.models instance, got dict \(validate=False"):
        ledgerspec.dump({"event_id": "e1"})
    assert ledgerspec.dump({"event_id": "e1"}, validate=False) == {"event_id": "e1"}


def test_dir_shows_the_api_only() -> None:
    names = dir(ledgerspec)
    assert names == sorted(ledgerspec.__all__)
    assert {"load", "loads", "dump", "dumps", "validate", "validate_json", "ValidationError"} <= set(names)
    assert not {"annotations", "cache", "Any", "codec", "jsontext", "serialize", "shipped"} & set(names)
