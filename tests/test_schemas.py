"""The schema files themselves: valid 2020-12, named by convention, documented, self-contained."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urljoin

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from ledgerspec import Codec, Validator
from ledgerspec.conformance.values import load_corpus
from ledgerspec.contract import shipped
from ledgerspec.keywords import MAX_BYTES, RUST_KEYWORDS
from ledgerspec.schemaset import ID_BASE, NAMESPACES, walk

ENTRIES = sorted(shipped().entries.values(), key=lambda e: e.qualified)
PATTERN_SAFE = re.compile(r"\\[dwsDWS]|\(\?<[=!]")


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.qualified for e in ENTRIES])
def test_schema_follows_the_conventions(entry) -> None:  # type: ignore[no-untyped-def]
    schema = entry.schema
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{ID_BASE}{entry.namespace}/{entry.stem}.json"
    assert schema["title"] == entry.qualified
    description = schema.get("description", "")
    assert len(description) > 15 and not description.startswith("The ")
    for member in schema.get("oneOf", []):
        assert set(member) == {"$ref"}, "union members are bare $refs"
    for node in walk(schema):
        ref = node.get("$ref")
        if ref is not None:
            assert shipped().by_uri(urljoin(entry.uri, ref)) is not None, f"unresolved $ref {ref}"
        documented = node.get("properties", {}) if node.get("type") == "object" else {}
        for prop in documented.values():
            assert "description" in prop or "const" in prop, "every property is documented"
        pattern = node.get("pattern")
        if pattern is not None:
            assert not PATTERN_SAFE.search(pattern), "pattern must mean the same in ECMA-262 and Python"


def test_every_namespace_is_populated() -> None:
    counts = {ns: sum(e.namespace == ns for e in ENTRIES) for ns in NAMESPACES}
    assert all(count > 50 for count in counts.values()), counts


def test_design_roots_exist() -> None:
    names = shipped().entries
    roots = [
        "converge.ExperienceEventEnvelope",
        "converge.ExperienceEvent",
        "converge.ExperienceEventKind",
        "converge.EventQuery",
        "converge.ArtifactQuery",
        "converge.TimeRange",
        "converge.StopReason",
        "converge.recall.StopReason",
        "mfm.EventEnvelope",
        "mfm.Event",
        "mfm.KernelEvent",
        "mfm.DomainEvent",
        "mfm.RunManifest",
        "mfm.RunConfig",
        "mfm.ErrorInfo",
        "mfm.FactRecorded",
        "mfm.ArtifactWritten",
        "mfm.OpBoundary",
        "mfm.ChildRunSpawned",
        "mfm.ChildRunCompleted",
        "agentsdk.HookRecord",
        "agentsdk.HookRecordPayload",
        "agentsdk.HookResponseDecision",
        "agentsdk.HookMutationJournalPlan",
        "agentsdk.JournalRecord",
        "agentsdk.JournalRecordBase",
        "agentsdk.JournalCursor",
        "agentsdk.HookSpec",
    ]
    assert [r for r in roots if r not in names] == []
    events = shipped().unions["converge.ExperienceEvent"]
    assert len(events.variants) == 14
    assert len(shipped().unions["agentsdk.JournalRecordPayload"].variants) == 24
    assert len(shipped().unions["agentsdk.HookRecordPayload"].variants) == 7


def test_every_type_has_a_generated_model(codec: Codec) -> None:
    assert set(codec.types) == set(shipped().entries)
    assert all(model is not None for model in codec.types.values())


def test_strict_form_closes_objects_and_requires_written_keys() -> None:
    strict = shipped().schema("converge.ExperienceEventEnvelope", strict=True)
    assert strict["unevaluatedProperties"] is False
    assert set(strict["required"]) == {"event_id", "occurred_at", "tenant_id", "correlation_id", "event"}
    reader = shipped().entry("converge.ExperienceEventEnvelope").schema
    assert set(reader["required"]) == {"event_id", "occurred_at", "event"}
    assert "unevaluatedProperties" not in reader


@pytest.mark.parametrize(("strict", "integer_literals", "bounded"), list(itertools.product([False, True], repeat=3)))
def test_keys_reached_hold_every_keyword_the_engine_compiles(
    strict: bool, integer_literals: bool, bounded: bool
) -> None:
    """A type's jsonschema-rs validator is built without ledgerspec's Python keywords when
    `keys_reached` finds none of them (those validators are faster); jsonschema-rs itself,
    compiling every type with keywords that record their use, must then meet none."""
    contract = shipped()
    registry = jsonschema_rs.Registry(contract.resources(strict, integer_literals, bounded))
    met: list[str] = []

    def recording(name: str) -> type:
        class Recording:
            def __init__(self, parent: object, value: object, path: object) -> None:
                met.append(name)

            def validate(self, instance: object) -> None:
                pass

        return Recording

    keywords = {name: recording(name) for name in RUST_KEYWORDS}
    using = 0
    for name in contract.entries:
        met.clear()
        jsonschema_rs.validator_for(
            contract.schema(name, strict, integer_literals, bounded), registry=registry, keywords=keywords, offline=True
        )
        assert set(met) <= contract.keys_reached(name, strict, integer_literals, bounded), name
        using += bool(met)
    assert 0 < using < len(contract.entries)  # both kinds of validator are built


def test_an_id_over_its_byte_cap_is_refused_through_a_reference() -> None:
    """The byte cap of `agentsdk.EffectId` holds where another type refers to it (its validator
    must be built with the keyword), in both engines."""
    intent = next(
        case.document for file in load_corpus() if file.type == "agentsdk.EffectIntent" for case in file.valid
    )
    too_long = {**intent, "effect_id": "é" * 257}  # 257 characters, 514 UTF-8 bytes
    for engine in ("rust", "python"):
        problems = Validator(shipped(), engine).issues("agentsdk.EffectIntent", too_long)
        assert [(p.path, p.rule) for p in problems] == [("/effect_id", MAX_BYTES)], engine
