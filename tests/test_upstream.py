"""Real upstream golden data must behave exactly as serde treats it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import ledgerspec
from ledgerspec import Codec, DocumentError, ValidationError
from ledgerspec.conformance.lint import same_json

ENVELOPE = "converge.ExperienceEventEnvelope"
ENVELOPE_KEYS = {"event_id", "occurred_at", "tenant_id", "correlation_id", "event"}


def _files(upstream: Path, folder: str, prefix: str) -> list[Path]:
    found = sorted((upstream / folder).glob(prefix + "*"))
    assert found, f"no {prefix}* files in {upstream / folder}"
    return found


def test_converge_ok_envelopes_load_and_dump_as_serde(upstream: Path, codec: Codec) -> None:
    for path in _files(upstream, "converge", "ok__"):
        document = json.loads(path.read_text())
        dumped = codec.dump(codec.load(ENVELOPE, document))
        # serde writes every envelope field (null for absent Options) and drops unknown keys.
        assert set(dumped) == ENVELOPE_KEYS, path.name
        for key in ENVELOPE_KEYS:
            assert same_json(dumped[key], document.get(key)), (path.name, key)


def test_converge_err_envelopes_are_rejected(upstream: Path) -> None:
    for path in _files(upstream, "converge", "err__"):
        with pytest.raises((ValidationError, DocumentError)):
            ledgerspec.loads(ENVELOPE, path.read_bytes())


@pytest.mark.parametrize(
    ("name", "type_name"),
    [
        ("journal__checkpoint.json", "agentsdk.JournalRecord"),
        ("journal__effect-intent.json", "agentsdk.JournalRecord"),
        ("journal__recovery-unsafe-pending.json", "agentsdk.JournalRecord"),
        ("hooks__hook-response-accepted-record.json", "agentsdk.HookRecord"),
        ("hooks__hook-mutation-effect-intent.json", "agentsdk.JournalRecordPayload"),
    ],
)
def test_agentsdk_golden_records_round_trip_exactly(upstream: Path, codec: Codec, name: str, type_name: str) -> None:
    document = json.loads((upstream / "agent-sdk-core" / name).read_text())
    codec.validator.validate(type_name, document, strict=True)
    assert same_json(codec.dump(codec.load(type_name, document)), document)


def test_agentsdk_refs_and_ids(upstream: Path, codec: Codec) -> None:
    refs = json.loads((upstream / "agent-sdk-core" / "ids__refs.json").read_text())
    kinds = {"destination": "DestinationRef", "entity": "EntityRef", "policy": "PolicyRef", "source": "SourceRef"}
    for key, kind in kinds.items():
        assert same_json(codec.dump(codec.load(f"agentsdk.{kind}", refs[key])), refs[key])
    ids = json.loads((upstream / "agent-sdk-core" / "ids__typed-ids.json").read_text())
    id_types = {
        "agent_id": "AgentId",
        "event_cursor": "EventCursorId",
        "event_id": "EventId",
        "journal_cursor": "JournalCursor",
        "run_id": "RunId",
        "trace_id": "TraceId",
    }
    for key, kind in id_types.items():
        assert codec.load(f"agentsdk.{kind}", ids[key]) == ids[key]


def test_agentsdk_class_enums_match_upstream_order(upstream: Path, codec: Codec) -> None:
    classes = json.loads((upstream / "agent-sdk-core" / "ids__privacy-retention-trust.json").read_text())
    for key, kind in {"privacy": "PrivacyClass", "retention": "RetentionClass", "trust": "TrustClass"}.items():
        assert codec.contract.entry(f"agentsdk.{kind}").schema["enum"] == classes[key]


# The two HookSpec serializations of the reference (section 4.5), byte for byte, and their hashes:
# the first hash is the upstream sidecar fixture's content_hash, the second was computed upstream.
SPECS = [
    (
        '{"hook_id":"audit.before_context","point":"before_context_assembly","source":"in_process","ordering":{"phase":"normal","order":100},"execution":{"mode":"non_blocking","queue":{"capacity":64,"terminal_reserve":4},"overflow":"drop_observe_only"},"timeout":{"timeout_ms":250},"failure":"fail_open_observe_only","mutation_rights":{"rights":["observe"]},"privacy":"envelope_and_redacted_summary","policy_ref":{"kind":"runtime_package","id":"policy.hooks.observe"},"executor_ref":"executor.audit.before_context"}',
        None,
    ),
    (
        '{"hook_id":"audit.before_tool","point":"before_tool_call","source":"in_process","ordering":{"phase":"normal","order":100},"execution":{"mode":"blocking"},"timeout":{"timeout_ms":250},"failure":"deny","mutation_rights":{"rights":["observe","deny"]},"privacy":"envelope_and_redacted_summary","policy_ref":{"kind":"runtime_package","id":"policy.hooks.before_tool"},"executor_ref":"executor.audit.before_tool"}',
        "sha256:4a4800aa75c28f06eb3657d099da99a9e7365ae431ce2fefffec065d8f20640a",
    ),
]


@pytest.mark.parametrize(("text", "expected_hash"), SPECS)
def test_hook_spec_dumps_byte_exact_for_spec_hash(upstream: Path, text: str, expected_hash: str | None) -> None:
    if expected_hash is None:
        sidecar = json.loads((upstream / "agent-sdk-core" / "hooks__hook-sidecar.json").read_text())
        expected_hash = sidecar["content_hash"]
    spec = ledgerspec.loads("agentsdk.HookSpec", text)
    dumped = ledgerspec.dumps(spec)
    assert dumped == text
    assert "sha256:" + hashlib.sha256(dumped.encode()).hexdigest() == expected_hash
