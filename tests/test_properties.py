"""Property-based round trips: documents generated from each root type's own schema.

hypothesis-jsonschema draws documents the schema accepts; for every one the ledgerspec validator
also accepts (it adds the integer-literal and ECMA-pattern rules), the model must round-trip:
`load(dump(m)) == m`, `dump` is a fixed point, and serde's output satisfies the strict contract.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from ledgerspec import Codec, default_codec
from ledgerspec.contract import shipped
from ledgerspec.schemaset import bundle, closure, rewrite_refs, walk

ROOTS = [
    "converge.ExperienceEventEnvelope",
    "converge.ExperienceEvent",
    "converge.EventQuery",
    "converge.ArtifactQuery",
    "converge.TimeRange",
    "converge.PolicySnapshot",
    "converge.StopReason",
    "mfm.EventEnvelope",
    "mfm.RunManifest",
    "mfm.RunResult",
    "mfm.RunError",
    "mfm.IoCall",
    "mfm.StateMeta",
    "mfm.PlanValidationError",
    "agentsdk.HookRecord",
    "agentsdk.JournalRecord",
    "agentsdk.JournalRecordBase",
    "agentsdk.HookSpec",
    "agentsdk.EffectIntent",
    "agentsdk.EffectResult",
    "agentsdk.EntityRef",
]
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


@cache
def documents(type_name: str) -> st.SearchStrategy[Any]:
    """Documents of one type. A struct is drawn field by field (hypothesis-jsonschema is slow on
    big nested schemas); any other type is drawn by hypothesis-jsonschema from a bundle of just the
    types it reaches."""
    entries = shipped().entries
    entry = entries[type_name]
    properties = entry.schema.get("properties")
    if entry.schema.get("type") == "object" and properties and "allOf" not in entry.schema:
        required = set(entry.schema.get("required", ()))
        fields = {key: _field(entry.uri, prop) for key, prop in properties.items()}
        return st.fixed_dictionaries(
            {k: v for k, v in fields.items() if k in required},
            optional={k: v for k, v in fields.items() if k not in required},
        )
    reachable = closure(entries, [type_name])
    defs = bundle(entries, include=lambda e: e.qualified in reachable)["$defs"]
    return from_schema(_ecma_anchors({"$ref": f"#/$defs/{type_name}", "$defs": defs}))


def _field(base: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of one property: a referenced type through `documents`, anything else directly."""
    members = schema.get("anyOf", [])
    if len(members) == 2 and {"type": "null"} in members:
        (inner,) = [m for m in members if m != {"type": "null"}]
        return st.none() | _field(base, inner)
    target = (
        shipped().by_uri(urljoin(base, schema["$ref"]))
        if set(schema) <= {"$ref", "description"} and "$ref" in schema
        else None
    )
    if target is not None:
        return documents(target.qualified)
    entries = shipped().entries
    refs = {shipped().by_uri(urljoin(base, n["$ref"])).qualified for n in walk(schema) if "$ref" in n}  # type: ignore[union-attr]
    reachable = closure(entries, sorted(refs))
    local = rewrite_refs(schema, base, lambda ref: f"#/$defs/{shipped().by_uri(ref).qualified}")  # type: ignore[union-attr]
    local["$defs"] = bundle(entries, include=lambda e: e.qualified in reachable)["$defs"]
    return from_schema(_ecma_anchors(local))


def _ecma_anchors(schema: dict[str, Any]) -> dict[str, Any]:
    """hypothesis-jsonschema reads patterns as Python regexes, whose final `$` also matches before
    a trailing newline; end them with `\\Z` so it draws only strings the schemas (ECMA-262) accept."""
    for node in walk(schema):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern.endswith("$"):
            node["pattern"] = pattern[:-1] + "\\Z"
    return schema


def check_round_trip(codec: Codec, type_name: str, document: Any) -> None:
    assume(not codec.validator.issues(type_name, document))
    model = codec.load(type_name, document)
    dumped = codec.dump(model)
    assert codec.validator.issues(type_name, dumped, strict=True) == []
    again = codec.load(type_name, dumped)
    assert again == model
    assert codec.dump(again) == dumped


@pytest.mark.parametrize("type_name", ROOTS)
def test_generated_documents_round_trip(type_name: str) -> None:
    codec = default_codec()

    @SETTINGS
    @given(documents(type_name))
    def run(document: Any) -> None:
        check_round_trip(codec, type_name, document)

    run()
