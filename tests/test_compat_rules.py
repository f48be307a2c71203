"""The schema diff of `ledgerspec compat`: a table of edits to the real schemas and the changes each must yield.

Every edit is applied to a deep copy of `schemas/` (the base, optionally prepared first); the
expected changes were worked out from the edit and the rule table, not recorded from a run.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ledgerspec.compat.changes import Change
from ledgerspec.compat.diff import diff
from ledgerspec.compat.rules import RULES
from ledgerspec.schemaset import ID_BASE, TypeEntry, load_dir

Schemas = dict[str, TypeEntry]
Edit = Callable[[Schemas], None]
Expected = tuple[str, str, str, str, str]
"""rule, type, path, backward, forward"""

C, B = "compatible", "breaking"

ENVELOPE = "converge.ExperienceEventEnvelope"
QUERY = "converge.EventQuery"
MFM_ENVELOPE = "mfm.EventEnvelope"
RUN_ID = "mfm.RunId"
KIND = "converge.ExperienceEventKind"
JOURNAL = "agentsdk.JournalRecord"
EVENT = "converge.ExperienceEvent"
ARTIFACT_KIND = "mfm.ArtifactKind"
CREATED = "converge.ExperienceEvent.ProposalCreated"
OTHER = "mfm.ArtifactKind.Other"
ROUTING = "converge.RoutingPolicy"
UNIT = "mfm.ArtifactKind.Unit"
DURATION = "mfm.Duration"
AGENT_ID = "agentsdk.AgentId"
TIMESTAMP = "converge.Timestamp"
HASH = "converge.ContentHash"
INTERVAL = "converge.UnitInterval"
SAMPLER = "converge.SamplerParams"
ROUTING = "converge.RoutingPolicy"
AGENT_POOL = "agentsdk.JournalRecordPayload.AgentPool"
CHECKPOINT = "agentsdk.JournalRecordPayload.Checkpoint"

F32_MAX = 3.4028235677973366e38


@pytest.fixture(scope="session")
def real_schemas() -> Schemas:
    return load_dir(Path(__file__).parents[1] / "schemas")


# -- edit helpers: JSON pointers into one type's schema ------------------------------------------


def _tokens(pointer: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def _parent(schemas: Schemas, name: str, pointer: str) -> tuple[Any, Any]:
    node: Any = schemas[name].schema
    *path, last = _tokens(pointer)
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, int(last) if isinstance(node, list) else last


def put(name: str, pointer: str, value: Any) -> Edit:
    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        parent[key] = copy.deepcopy(value)

    return edit


def drop(name: str, pointer: str) -> Edit:
    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        del parent[key]

    return edit


def append(name: str, pointer: str, value: Any) -> Edit:
    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        parent[key].append(copy.deepcopy(value))

    return edit


def remove(name: str, pointer: str, value: Any) -> Edit:
    """Remove `value` from the list at `pointer`."""

    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        parent[key].remove(value)

    return edit


def reverse(name: str, pointer: str) -> Edit:
    """Reverse the list or the key order of the object at `pointer`."""

    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        value = parent[key]
        parent[key] = value[::-1] if isinstance(value, list) else dict(reversed(value.items()))

    return edit


def rename_key(name: str, pointer: str, old: str, new: str) -> Edit:
    """Rename a key of the object at `pointer`, keeping its position."""

    def edit(schemas: Schemas) -> None:
        parent, key = _parent(schemas, name, pointer)
        parent[key] = {new if k == old else k: v for k, v in parent[key].items()}

    return edit


def add_type(qualified: str, schema: dict[str, Any]) -> Edit:
    namespace, stem = qualified.split(".", 1)
    uri = f"{ID_BASE}{namespace}/{stem}.json"

    def edit(schemas: Schemas) -> None:
        full = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": uri, "title": qualified, **schema}
        schemas[qualified] = TypeEntry(namespace, stem, uri, copy.deepcopy(full))

    return edit


def copy_type(source: str, qualified: str, *edits: Edit) -> Edit:
    """A new type made from a copy of `source` (then `edits`, which address it by its new name)."""

    def edit(schemas: Schemas) -> None:
        namespace, stem = qualified.split(".", 1)
        uri = f"{ID_BASE}{namespace}/{stem}.json"
        schema = copy.deepcopy(schemas[source].schema) | {"$id": uri, "title": qualified}
        schemas[qualified] = TypeEntry(namespace, stem, uri, schema)
        for more in edits:
            more(schemas)

    return edit


def remove_type(qualified: str) -> Edit:
    def edit(schemas: Schemas) -> None:
        del schemas[qualified]

    return edit


# -- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    edits: tuple[Edit, ...]
    expected: tuple[Expected, ...]
    prepare: tuple[Edit, ...] = ()
    """Applied to the base and the head before `edits` (for shapes the real schemas lack)."""


INLINE_UNION = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"kind": {"const": "a"}, "x": {"type": "string"}},
            "required": ["kind"],
        },
        {"type": "object", "properties": {"kind": {"const": "b"}}, "required": ["kind"]},
    ],
    "discriminator": {"propertyName": "kind"},
    "description": "An inline internally tagged union.",
}
ARRAY_BOUNDS = {"minItems": 1, "maxItems": 16, "contains": {"type": "string"}, "minContains": 2, "maxContains": 4}
TAGS = "/properties/tags"
TOOL_CALLED = "converge.ExperienceEvent.ToolCalled"
PARENT = "mfm.Parent"
CHILD = "mfm.Child"
STRING = {"type": "string"}
SHORT = {"type": "string", "maxLength": 3}
WITH_PARENT = {"type": "object", "allOf": [{"$ref": "Parent.json"}], "properties": {"a": STRING}}
CLOSED_OVER_PARENT = {"type": "object", "allOf": [{"$ref": "Parent.json"}], "unevaluatedProperties": False}
PARENT_TYPE = {"type": "object", "properties": {"x": STRING}}
INTEGER = {"type": "integer"}
ARRAY = {"type": "array"}
CLOSED_ARRAY_OVER_PARENT = {"type": "array", "allOf": [{"$ref": "Parent.json"}], "unevaluatedItems": False}

CASES = [
    # -- no change ------------------------------------------------------------------------------
    Case("identical", (), ()),
    Case("properties-reordered", (reverse(ENVELOPE, "/properties"), reverse(JOURNAL, "/properties")), ()),
    Case("required-reordered", (reverse(JOURNAL, "/required"),), ()),
    Case("enum-reordered", (reverse(KIND, "/enum"),), ()),
    Case("one-of-reordered", (reverse(EVENT, "/oneOf"),), ()),
    Case(
        "refs-rewritten-to-equivalent-paths",
        (
            put(ENVELOPE, "/properties/event_id/$ref", "./EventId.json"),
            put(QUERY, "/properties/kinds/items/$ref", "../converge/ExperienceEventKind.json"),
            put(MFM_ENVELOPE, "/properties/run_id/$ref", "../mfm/RunId.json"),
            put(
                EVENT,
                "/oneOf/0/$ref",
                "https://ledgerspec.dev/schemas/v1/converge/ExperienceEvent.ProposalCreated.json",
            ),
        ),
        (),
    ),
    Case("type-list-equivalent", (put(INTERVAL, "/type", ["number", "integer"]),), ()),
    Case("redundant-exclusive-minimum", (put(INTERVAL, "/exclusiveMinimum", -1),), ()),
    Case("unique-items-false-is-no-constraint", (put(JOURNAL, f"{TAGS}/uniqueItems", False),), ()),
    # -- types of the set -----------------------------------------------------------------------
    Case(
        "type-added",
        (add_type("converge.RetentionPolicy", {"description": "How long events are kept.", "type": "string"}),),
        (("type-added", "converge.RetentionPolicy", "", C, C),),
    ),
    Case("type-removed", (remove_type(ENVELOPE),), (("type-removed", ENVELOPE, "", B, C),)),
    # -- annotations ----------------------------------------------------------------------------
    Case(
        "description-changed",
        (put(ENVELOPE, "/description", "Ledger entry of converge."),),
        (("description-changed", ENVELOPE, "/description", C, C),),
    ),
    Case(
        "property-description-changed",
        (put(MFM_ENVELOPE, "/properties/seq/description", "Sequence number."),),
        (("description-changed", MFM_ENVELOPE, "/properties/seq/description", C, C),),
    ),
    Case(
        "title-added-to-property",
        (put(MFM_ENVELOPE, "/properties/seq/title", "Sequence"),),
        (("title-changed", MFM_ENVELOPE, "/properties/seq/title", C, C),),
    ),
    Case(
        "comment-added",
        (put(RUN_ID, "/$comment", "Kept in step with uuid::Uuid::parse_str."),),
        (("annotation-changed", RUN_ID, "/$comment", C, C),),
    ),
    Case(
        "id-changed",
        (put(RUN_ID, "/$id", "https://ledgerspec.dev/schemas/v2/mfm/RunId.json"),),
        (("id-changed", RUN_ID, "/$id", C, C),),
    ),
    Case(
        "discriminator-removed",
        (drop(EVENT, "/discriminator"),),
        (("discriminator-changed", EVENT, "/discriminator", C, C),),
    ),
    Case(
        "skip-serializing-if-removed",
        (drop(JOURNAL, "/properties/session_id/x-skip-serializing-if"),),
        (("skip-serializing-if-changed", JOURNAL, "/properties/session_id/x-skip-serializing-if", C, C),),
    ),
    Case("canonical-removed", (drop(RUN_ID, "/x-canonical"),), (("canonical-changed", RUN_ID, "/x-canonical", B, B),)),
    Case(
        "definition-added",
        (put(RUN_ID, "/$defs", {"hex": {"type": "string", "pattern": "^[0-9a-f]+$"}}),),
        (("definition-added", RUN_ID, "/$defs/hex", C, C),),
    ),
    Case(
        "definition-removed",
        (drop(RUN_ID, "/$defs/hex"),),
        (("definition-removed", RUN_ID, "/$defs/hex", C, C),),
        prepare=(put(RUN_ID, "/$defs", {"hex": {"type": "string"}}),),
    ),
    # -- object members -------------------------------------------------------------------------
    Case(
        "property-added-optional",
        (put(MFM_ENVELOPE, "/properties/note", {"type": ["string", "null"], "description": "Free text."}),),
        (("property-added-optional", MFM_ENVELOPE, "/properties/note", C, C),),
    ),
    Case(
        "property-added-required",
        (
            put(MFM_ENVELOPE, "/properties/shard", {"type": "integer", "minimum": 0, "description": "Shard."}),
            append(MFM_ENVELOPE, "/required", "shard"),
        ),
        (("property-added-required", MFM_ENVELOPE, "/properties/shard", B, C),),
    ),
    Case(
        "property-removed-optional",
        (drop(MFM_ENVELOPE, "/properties/ts_millis"),),
        (("property-removed", MFM_ENVELOPE, "/properties/ts_millis", C, C),),
    ),
    Case(
        "property-removed-required",
        (drop(JOURNAL, "/properties/record_id"), remove(JOURNAL, "/required", "record_id")),
        (
            ("property-removed", JOURNAL, "/properties/record_id", C, C),
            ("required-removed", JOURNAL, "/required", C, B),
        ),
    ),
    Case("required-added", (append(QUERY, "/required", "limit"),), (("required-added", QUERY, "/required", B, C),)),
    Case("required-removed", (remove(QUERY, "/required", "kinds"),), (("required-removed", QUERY, "/required", C, B),)),
    Case(
        "property-added-to-closed-object",
        (put(OTHER, "/properties/note", {"type": "string"}),),
        (("property-added-optional", OTHER, "/properties/note", C, B),),
    ),
    Case(
        "required-property-removed-from-closed-object",
        (drop(DURATION, "/properties/nanos"), remove(DURATION, "/required", "nanos")),
        (
            ("property-removed", DURATION, "/properties/nanos", B, C),
            ("required-removed", DURATION, "/required", C, B),
        ),
    ),
    Case(
        "property-added-to-a-map",
        (put(ROUTING, "/properties/truth_preferences/properties", {"extra": {"type": "integer"}}),),
        (("property-added-optional", ROUTING, "/properties/truth_preferences/properties/extra", C, B),),
    ),
    Case(
        "property-removed-from-a-map",
        (drop(ROUTING, "/properties/truth_preferences/properties/extra"),),
        (("property-removed", ROUTING, "/properties/truth_preferences/properties/extra", B, C),),
        prepare=(put(ROUTING, "/properties/truth_preferences/properties", {"extra": {"type": "integer"}}),),
    ),
    Case(
        "additional-properties-closed",
        (put(MFM_ENVELOPE, "/additionalProperties", False),),
        (("additional-properties-closed", MFM_ENVELOPE, "/additionalProperties", B, C),),
    ),
    Case(
        "unevaluated-properties-closed",
        (put(ENVELOPE, "/unevaluatedProperties", False),),
        (("additional-properties-closed", ENVELOPE, "/unevaluatedProperties", B, C),),
    ),
    Case(
        "additional-properties-opened",
        (drop(DURATION, "/additionalProperties"),),
        (("additional-properties-opened", DURATION, "/additionalProperties", C, B),),
    ),
    Case(
        "map-value-type-changed",
        (put(ROUTING, "/properties/risk_tier_backends/additionalProperties/items/type", "integer"),),
        (("type-changed", ROUTING, "/properties/risk_tier_backends/additionalProperties/items/type", B, B),),
    ),
    Case(
        "property-schema-closed",
        (put(QUERY, "/properties/chain_id", False),),
        (("schema-closed", QUERY, "/properties/chain_id", B, C),),
    ),
    Case(
        "array-items-opened",
        (drop(JOURNAL, f"{TAGS}/items"),),
        (("schema-opened", JOURNAL, f"{TAGS}/items", C, B),),
        prepare=(put(JOURNAL, f"{TAGS}/items", False),),
    ),
    Case(
        "pattern-property-added",
        (put(QUERY, "/patternProperties", {"^x-": {"type": "string"}}),),
        (("constraint-added", QUERY, "/patternProperties/^x-", B, C),),
    ),
    # -- instance types -------------------------------------------------------------------------
    Case(
        "type-widened-nullable",
        (put(MFM_ENVELOPE, "/properties/seq/type", ["integer", "null"]),),
        (("type-widened", MFM_ENVELOPE, "/properties/seq/type", C, B),),
    ),
    Case(
        "type-widened-integer-to-number",
        (put(JOURNAL, "/properties/journal_seq/type", "number"),),
        (("type-widened", JOURNAL, "/properties/journal_seq/type", C, B),),
    ),
    Case(
        "type-narrowed",
        (put(MFM_ENVELOPE, "/properties/ts_millis/type", "integer"),),
        (("type-narrowed", MFM_ENVELOPE, "/properties/ts_millis/type", B, C),),
    ),
    Case(
        "type-keyword-added",
        (put(CHECKPOINT, "/type", "object"),),
        (("type-narrowed", CHECKPOINT, "/type", B, C),),
    ),
    Case(
        "type-changed",
        (put(JOURNAL, "/properties/record_id/type", "integer"),),
        (("type-changed", JOURNAL, "/properties/record_id/type", B, B),),
    ),
    # -- values ---------------------------------------------------------------------------------
    Case("enum-value-added", (append(KIND, "/enum", "ToolCalled"),), (("enum-value-added", KIND, "/enum", C, B),)),
    Case(
        "enum-value-removed",
        (remove(KIND, "/enum", "GateDecisionRecorded"),),
        (("enum-value-removed", KIND, "/enum", B, C),),
    ),
    Case(
        "enum-value-renamed",
        (put(UNIT, "/enum/4", "UserOutput"),),
        (("enum-value-added", UNIT, "/enum", C, B), ("enum-value-removed", UNIT, "/enum", B, C)),
    ),
    Case("enum-dropped", (drop(KIND, "/enum"),), (("constraint-removed", KIND, "/enum", C, B),)),
    Case(
        "const-changed",
        (put(MFM_ENVELOPE, "/properties/format_version/const", 2),),
        (("const-changed", MFM_ENVELOPE, "/properties/format_version/const", B, B),),
        prepare=(put(MFM_ENVELOPE, "/properties/format_version", {"const": 1}),),
    ),
    Case(
        "default-added",
        (put(QUERY, "/properties/kinds/default", []), remove(QUERY, "/required", "kinds")),
        (("default-added", QUERY, "/properties/kinds/default", C, C), ("required-removed", QUERY, "/required", C, B)),
    ),
    Case(
        "default-removed",
        (drop(JOURNAL, f"{TAGS}/default"),),
        (("default-removed", JOURNAL, f"{TAGS}/default", C, C),),
    ),
    Case(
        "default-changed",
        (put(JOURNAL, f"{TAGS}/default", ["untagged"]),),
        (("default-changed", JOURNAL, f"{TAGS}/default", B, B),),
    ),
    # -- unions ---------------------------------------------------------------------------------
    Case(
        "tag-renamed-adjacent",
        (put(CREATED, "/properties/type/const", "ProposalMade"),),
        (("tag-renamed", CREATED, "/properties/type/const", B, B),),
    ),
    Case(
        "tag-renamed-opaque-internal",
        (put(AGENT_POOL, "/dependentSchemas/type/properties/type/const", "agent_pools"),),
        (("tag-renamed", AGENT_POOL, "/dependentSchemas/type/properties/type/const", B, B),),
    ),
    Case(
        "tag-renamed-internal-newtype",
        (put(CHECKPOINT, "/properties/type/const", "run_checkpoint"),),
        (("tag-renamed", CHECKPOINT, "/properties/type/const", B, B),),
    ),
    Case(
        "tag-renamed-external",
        (rename_key(OTHER, "/properties", "Other", "Custom"), put(OTHER, "/required", ["Custom"])),
        (("tag-renamed", OTHER, "/properties/Custom", B, B),),
    ),
    Case(
        "variant-added",
        (
            append(EVENT, "/oneOf", {"$ref": "ExperienceEvent.ToolCalled.json"}),
            copy_type(CREATED, TOOL_CALLED, put(TOOL_CALLED, "/properties/type/const", "ToolCalled")),
        ),
        (
            ("variant-added", EVENT, "/oneOf/14", C, B),
            ("type-added", TOOL_CALLED, "", C, C),
        ),
    ),
    Case(
        "variant-added-overlapping",
        (append(EVENT, "/oneOf", {"$ref": "ExperienceEvent.ToolCalled.json"}), copy_type(CREATED, TOOL_CALLED)),
        # the copy keeps the tag "ProposalCreated": an old ProposalCreated event matches two members
        # of the oneOf, so the new schema refuses it
        (("variant-added", EVENT, "/oneOf/14", B, B), ("type-added", TOOL_CALLED, "", C, C)),
    ),
    Case("variant-removed", (drop(EVENT, "/oneOf/13"),), (("variant-removed", EVENT, "/oneOf/13", B, C),)),
    Case(
        "variant-removed-with-its-type",
        (drop(ARTIFACT_KIND, "/oneOf/1"), remove_type(OTHER)),
        (("variant-removed", ARTIFACT_KIND, "/oneOf/1", B, C), ("type-removed", OTHER, "", B, C)),
    ),
    Case(
        "field-made-nullable",
        (
            put(
                MFM_ENVELOPE,
                "/properties/run_id",
                {"anyOf": [{"$ref": "RunId.json"}, {"type": "null"}], "description": "Run the event belongs to."},
            ),
            remove(MFM_ENVELOPE, "/required", "run_id"),
        ),
        (
            ("variant-added", MFM_ENVELOPE, "/properties/run_id/anyOf/1", C, B),
            ("required-removed", MFM_ENVELOPE, "/required", C, B),
        ),
    ),
    Case(
        "option-unwrapped",
        (put(QUERY, "/properties/tenant_id", {"$ref": "TenantId.json", "description": "Only events of this tenant."}),),
        (
            ("variant-removed", QUERY, "/properties/tenant_id/anyOf/1", B, C),
            ("description-changed", QUERY, "/properties/tenant_id/description", C, C),
        ),
    ),
    Case(
        "option-target-changed",
        (put(QUERY, "/properties/correlation_id/anyOf/0/$ref", "ChainId.json"),),
        (("ref-changed", QUERY, "/properties/correlation_id/anyOf/0/$ref", B, B),),
    ),
    Case(
        "inline-tag-renamed",
        (put(MFM_ENVELOPE, "/properties/mode/oneOf/1/properties/kind/const", "c"),),
        (("tag-renamed", MFM_ENVELOPE, "/properties/mode/oneOf/1/properties/kind/const", B, B),),
        prepare=(put(MFM_ENVELOPE, "/properties/mode", INLINE_UNION),),
    ),
    Case(
        "inline-variant-added",
        (
            append(
                MFM_ENVELOPE,
                "/properties/mode/oneOf",
                {"type": "object", "properties": {"kind": {"const": "d"}}, "required": ["kind"]},
            ),
        ),
        (("variant-added", MFM_ENVELOPE, "/properties/mode/oneOf/2", C, B),),
        prepare=(put(MFM_ENVELOPE, "/properties/mode", INLINE_UNION),),
    ),
    Case(
        "inline-variants-matched-by-tag",
        (
            reverse(MFM_ENVELOPE, "/properties/mode/oneOf"),
            put(MFM_ENVELOPE, "/properties/mode/oneOf/1/properties/x/type", "integer"),
        ),
        (("type-changed", MFM_ENVELOPE, "/properties/mode/oneOf/1/properties/x/type", B, B),),
        prepare=(put(MFM_ENVELOPE, "/properties/mode", INLINE_UNION),),
    ),
    Case(
        "all-of-member-added",
        (append(CHECKPOINT, "/allOf", {"required": ["run_id"]}),),
        (("all-of-member-added", CHECKPOINT, "/allOf/1", B, C),),
    ),
    Case(
        "all-of-member-removed",
        (drop(DURATION, "/allOf/3"),),
        (
            ("all-of-member-removed", DURATION, "/allOf/3", C, B),
            # `secs` loses the schema its `then` gave it: the same widening, seen from the property
            ("property-moved", DURATION, "/properties/secs", C, B),
        ),
    ),
    Case(
        "all-of-member-changed",
        (put(DURATION, "/allOf/0/then/properties/secs/maximum", 18446744073709551000),),
        (("maximum-lowered", DURATION, "/allOf/0/then/properties/secs/maximum", B, C),),
    ),
    # -- references -----------------------------------------------------------------------------
    Case(
        "ref-changed",
        (put(ENVELOPE, "/properties/event_id/$ref", "ChainId.json"),),
        (("ref-changed", ENVELOPE, "/properties/event_id/$ref", B, B),),
    ),
    Case(
        "items-ref-changed-across-namespaces",
        (put(QUERY, "/properties/kinds/items/$ref", "../mfm/RunId.json"),),
        (("ref-changed", QUERY, "/properties/kinds/items/$ref", B, B),),
    ),
    Case("ref-added", (put(TIMESTAMP, "/$ref", "ContentHash.json"),), (("ref-added", TIMESTAMP, "/$ref", B, C),)),
    Case(
        "ref-inlined",
        (put(ENVELOPE, "/properties/occurred_at", {"type": "string", "description": "When the event occurred."}),),
        (
            ("ref-removed", ENVELOPE, "/properties/occurred_at/$ref", C, B),
            ("type-narrowed", ENVELOPE, "/properties/occurred_at/type", B, C),
        ),
    ),
    # -- strings --------------------------------------------------------------------------------
    Case("pattern-added", (put(TIMESTAMP, "/pattern", "^.+$"),), (("pattern-added", TIMESTAMP, "/pattern", B, C),)),
    Case("pattern-removed", (drop(RUN_ID, "/pattern"),), (("pattern-removed", RUN_ID, "/pattern", C, B),)),
    Case(
        "pattern-changed",
        (put(HASH, "/pattern", "^[0-9a-f]{64}$"),),
        (("pattern-changed", HASH, "/pattern", B, B),),
    ),
    Case("format-added", (put(TIMESTAMP, "/format", "date-time"),), (("format-added", TIMESTAMP, "/format", B, C),)),
    Case("format-removed", (drop(RUN_ID, "/format"),), (("format-removed", RUN_ID, "/format", C, B),)),
    Case("format-changed", (put(INTERVAL, "/format", "float"),), (("format-changed", INTERVAL, "/format", B, B),)),
    Case(
        "string-sizes-tightened",
        (put(AGENT_ID, "/minLength", 2), put(AGENT_ID, "/x-max-utf8-bytes", 256), put(AGENT_ID, "/maxLength", 128)),
        (
            ("max-length-tightened", AGENT_ID, "/maxLength", B, C),
            ("min-length-tightened", AGENT_ID, "/minLength", B, C),
            ("max-utf8-bytes-tightened", AGENT_ID, "/x-max-utf8-bytes", B, C),
        ),
    ),
    Case(
        "string-sizes-loosened",
        (drop(AGENT_ID, "/minLength"), put(AGENT_ID, "/x-max-utf8-bytes", 1024)),
        (
            ("min-length-loosened", AGENT_ID, "/minLength", C, B),
            ("max-utf8-bytes-loosened", AGENT_ID, "/x-max-utf8-bytes", C, B),
        ),
    ),
    Case(
        "max-length-loosened",
        (put(TIMESTAMP, "/maxLength", 128),),
        (("max-length-loosened", TIMESTAMP, "/maxLength", C, B),),
        prepare=(put(TIMESTAMP, "/maxLength", 64),),
    ),
    # -- numbers --------------------------------------------------------------------------------
    Case(
        "minimum-raised",
        (put(MFM_ENVELOPE, "/properties/seq/minimum", 1),),
        (("minimum-raised", MFM_ENVELOPE, "/properties/seq/minimum", B, C),),
    ),
    Case("minimum-lowered", (put(INTERVAL, "/minimum", -1),), (("minimum-lowered", INTERVAL, "/minimum", C, B),)),
    Case(
        "minimum-made-exclusive",
        (drop(INTERVAL, "/minimum"), put(INTERVAL, "/exclusiveMinimum", 0)),
        (("minimum-raised", INTERVAL, "/minimum", B, C),),
    ),
    Case(
        "maximum-lowered",
        (put(JOURNAL, "/properties/journal_schema_version/maximum", 255),),
        (("maximum-lowered", JOURNAL, "/properties/journal_schema_version/maximum", B, C),),
    ),
    Case("maximum-dropped", (drop(INTERVAL, "/maximum"),), (("maximum-raised", INTERVAL, "/maximum", C, B),)),
    Case(
        "exclusive-maximum-made-inclusive",
        (
            drop(SAMPLER, "/properties/temperature/exclusiveMaximum"),
            put(SAMPLER, "/properties/temperature/maximum", F32_MAX),
        ),
        (("maximum-raised", SAMPLER, "/properties/temperature/maximum", C, B),),
    ),
    Case(
        "exclusive-minimum-lowered",
        (put(SAMPLER, "/properties/top_p/exclusiveMinimum", -1e39),),
        (("minimum-lowered", SAMPLER, "/properties/top_p/exclusiveMinimum", C, B),),
    ),
    # -- arrays and objects sizes ---------------------------------------------------------------
    Case(
        "array-sizes-tightened",
        (put(JOURNAL, f"{TAGS}/minItems", 1), put(JOURNAL, f"{TAGS}/maxItems", 16)),
        (
            ("max-items-tightened", JOURNAL, f"{TAGS}/maxItems", B, C),
            ("min-items-tightened", JOURNAL, f"{TAGS}/minItems", B, C),
        ),
    ),
    Case(
        "array-sizes-loosened",
        (
            put(JOURNAL, f"{TAGS}/minItems", 0),
            drop(JOURNAL, f"{TAGS}/maxItems"),
            put(JOURNAL, f"{TAGS}/minContains", 1),
            put(JOURNAL, f"{TAGS}/maxContains", 8),
        ),
        (
            ("max-contains-loosened", JOURNAL, f"{TAGS}/maxContains", C, B),
            ("max-items-loosened", JOURNAL, f"{TAGS}/maxItems", C, B),
            ("min-contains-loosened", JOURNAL, f"{TAGS}/minContains", C, B),
            ("min-items-loosened", JOURNAL, f"{TAGS}/minItems", C, B),
        ),
        prepare=tuple(put(JOURNAL, f"{TAGS}/{key}", value) for key, value in ARRAY_BOUNDS.items()),
    ),
    Case(
        "contains-tightened",
        (put(JOURNAL, f"{TAGS}/minContains", 3), put(JOURNAL, f"{TAGS}/maxContains", 3)),
        (
            ("max-contains-tightened", JOURNAL, f"{TAGS}/maxContains", B, C),
            ("min-contains-tightened", JOURNAL, f"{TAGS}/minContains", B, C),
        ),
        prepare=tuple(put(JOURNAL, f"{TAGS}/{key}", value) for key, value in ARRAY_BOUNDS.items()),
    ),
    Case(
        "contains-narrowed",
        (put(JOURNAL, f"{TAGS}/contains/minLength", 1),),
        # with maxContains 4, ["", "", "", "", "a", "b"] is new data (2 matches) that old readers
        # refuse (6 matches): a narrower `contains` breaks forward too
        (("min-length-tightened", JOURNAL, f"{TAGS}/contains/minLength", B, B),),
        prepare=tuple(put(JOURNAL, f"{TAGS}/{key}", value) for key, value in ARRAY_BOUNDS.items()),
    ),
    Case(
        "unique-items-added",
        (put(JOURNAL, f"{TAGS}/uniqueItems", True),),
        (("constraint-added", JOURNAL, f"{TAGS}/uniqueItems", B, C),),
    ),
    Case(
        "prefix-items-added",
        (put(JOURNAL, f"{TAGS}/prefixItems", [{"const": "first"}]),),
        # judged as the change from `items` to the new position's schema; the structural diff does
        # not see that a const implies its type, so it also calls the forward side breaking (safe)
        (("constraint-added", JOURNAL, f"{TAGS}/prefixItems/0", B, B),),
    ),
    Case(
        "prefix-items-added-where-items-is-false",
        (put(JOURNAL, f"{TAGS}/prefixItems", [{"type": "string"}]),),
        # a position `items: false` refused becomes valid: only old readers break
        (("constraint-added", JOURNAL, f"{TAGS}/prefixItems/0", C, B),),
        prepare=(put(JOURNAL, f"{TAGS}/items", False),),
    ),
    Case(
        "prefix-items-removed-where-items-is-false",
        (drop(JOURNAL, f"{TAGS}/prefixItems"),),
        (("constraint-removed", JOURNAL, f"{TAGS}/prefixItems/0", B, C),),
        prepare=(put(JOURNAL, f"{TAGS}/items", False), put(JOURNAL, f"{TAGS}/prefixItems", [{"type": "string"}])),
    ),
    Case(
        "pattern-added-to-a-closed-object",
        (put(DURATION, "/patternProperties", {"^x-": {}}),),
        (("constraint-added", DURATION, "/patternProperties/^x-", C, B),),
    ),
    Case(
        "object-sizes-tightened",
        (put(QUERY, "/minProperties", 1), put(QUERY, "/maxProperties", 6)),
        (
            ("max-properties-tightened", QUERY, "/maxProperties", B, C),
            ("min-properties-tightened", QUERY, "/minProperties", B, C),
        ),
    ),
    Case(
        "object-sizes-loosened",
        (drop(QUERY, "/minProperties"), put(QUERY, "/maxProperties", 10)),
        (
            ("max-properties-loosened", QUERY, "/maxProperties", C, B),
            ("min-properties-loosened", QUERY, "/minProperties", C, B),
        ),
        prepare=(put(QUERY, "/minProperties", 1), put(QUERY, "/maxProperties", 6)),
    ),
    # -- other assertions -----------------------------------------------------------------------
    Case(
        "not-added",
        (put(RUN_ID, "/not", {"const": "00000000-0000-0000-0000-000000000000"}),),
        (("constraint-added", RUN_ID, "/not", B, C),),
    ),
    Case(
        "dependent-schemas-removed",
        (drop(AGENT_POOL, "/dependentSchemas"),),
        (
            ("constraint-removed", AGENT_POOL, "/dependentSchemas/type", C, B),
            # AgentPool loses its tag, so it matches every other variant's documents too: an old
            # `{"type": "checkpoint", ...}` matches two members of the oneOf and is refused
            ("ref-target-changed", "agentsdk.JournalRecordPayload", "/oneOf/14/$ref", B, B),
        ),
    ),
    Case(
        "unknown-keyword-added",
        (put(RUN_ID, "/x-rust-type", "uuid::Uuid"),),
        (("keyword-changed", RUN_ID, "/x-rust-type", B, B),),
    ),
    Case(
        "dialect-changed",
        (put(RUN_ID, "/$schema", "https://json-schema.org/draft/2019-09/schema"),),
        (("keyword-changed", RUN_ID, "/$schema", B, B),),
    ),
    # -- subschemas applied in place, and positions that turn a change's direction -------------
    Case(
        "property-moved-to-a-parent-and-narrowed",
        (drop(CHILD, "/properties/a"), put(PARENT, "/properties/a", SHORT)),
        # {"a": "long"}: old data the new parent refuses (each half alone looks compatible)
        (
            ("property-added-optional", PARENT, "/properties/a", C, C),
            ("property-moved", CHILD, "/properties/a", B, C),
            ("property-removed", CHILD, "/properties/a", C, C),
        ),
        prepare=(add_type(PARENT, PARENT_TYPE), add_type(CHILD, WITH_PARENT)),
    ),
    Case(
        "property-moved-from-a-parent-and-widened",
        (put(CHILD, "/properties/a", STRING), drop(PARENT, "/properties/a")),
        # {"a": "long"}: new data the old parent refuses
        (
            ("property-added-optional", CHILD, "/properties/a", C, C),
            ("property-moved", CHILD, "/properties/a", C, B),
            ("property-removed", PARENT, "/properties/a", C, C),
        ),
        prepare=(
            add_type(PARENT, PARENT_TYPE | {"properties": {"a": SHORT}}),
            add_type(CHILD, WITH_PARENT | {"properties": {}}),
        ),
    ),
    Case(
        "parent-property-added-under-unevaluated-properties",
        (put(PARENT, "/properties/b", {"type": "integer"}),),
        # {"b": 1}: new data; the old unevaluatedProperties refused the key
        (
            ("property-added-optional", PARENT, "/properties/b", C, C),
            ("evaluated-properties-gained", CHILD, "/unevaluatedProperties", C, B),
        ),
        prepare=(add_type(PARENT, PARENT_TYPE), add_type(CHILD, CLOSED_OVER_PARENT)),
    ),
    Case(
        "parent-property-removed-under-unevaluated-properties",
        (drop(PARENT, "/properties/x"),),
        # {"x": "s"}: old data the new unevaluatedProperties refuses
        (
            ("property-removed", PARENT, "/properties/x", C, C),
            ("evaluated-properties-lost", CHILD, "/unevaluatedProperties", B, C),
        ),
        prepare=(add_type(PARENT, PARENT_TYPE), add_type(CHILD, CLOSED_OVER_PARENT)),
    ),
    Case(
        "pattern-added-under-unevaluated-properties",
        (put(CHILD, "/patternProperties", {"^x-": {}}),),
        # {"x-1": 1}: new data the old unevaluatedProperties refused
        (
            ("constraint-added", CHILD, "/patternProperties/^x-", B, C),
            ("evaluated-properties-gained", CHILD, "/unevaluatedProperties", C, B),
        ),
        prepare=(add_type(PARENT, PARENT_TYPE), add_type(CHILD, CLOSED_OVER_PARENT)),
    ),
    Case(
        "parent-prefix-items-lengthened-under-unevaluated-items",
        (append(PARENT, "/prefixItems", INTEGER),),
        # ["a", 1]: new data; the old unevaluatedItems refused the second item
        (
            ("constraint-added", PARENT, "/prefixItems/1", B, C),
            ("evaluated-items-gained", CHILD, "/unevaluatedItems", C, B),
        ),
        prepare=(add_type(PARENT, ARRAY | {"prefixItems": [STRING]}), add_type(CHILD, CLOSED_ARRAY_OVER_PARENT)),
    ),
    Case(
        "parent-items-removed-under-unevaluated-items",
        (drop(PARENT, "/items"),),
        # ["a"]: old data the new unevaluatedItems refuses
        (
            ("type-widened", PARENT, "/items/type", C, B),
            ("evaluated-items-lost", CHILD, "/unevaluatedItems", B, C),
        ),
        prepare=(add_type(PARENT, ARRAY | {"items": STRING}), add_type(CHILD, CLOSED_ARRAY_OVER_PARENT)),
    ),
    Case(
        "property-left-to-a-union-member-under-unevaluated-properties",
        (drop(CHILD, "/allOf/0/properties/x"),),
        # {"x": 1}: old data; the union member that still names x refuses 1, so x is unevaluated now
        (
            ("property-removed", CHILD, "/allOf/0/properties/x", C, C),
            ("property-moved", CHILD, "/properties/x", C, B),
            ("evaluated-properties-lost", CHILD, "/unevaluatedProperties", B, C),
        ),
        prepare=(
            add_type(
                CHILD,
                {
                    "type": "object",
                    "allOf": [{"properties": {"x": {}}}],
                    "anyOf": [{"properties": {"x": STRING}}, {}],
                    "unevaluatedProperties": False,
                },
            ),
        ),
    ),
    Case(
        "property-added-where-a-pattern-holds-its-key",
        (put(CHILD, "/properties/fz", STRING),),
        # {"fz": 1}: old data, written under the pattern, that the new property refuses
        (
            ("property-added-optional", CHILD, "/properties/fz", C, C),
            ("property-moved", CHILD, "/properties/fz", B, C),
        ),
        prepare=(add_type(CHILD, {"type": "object", "properties": {}, "patternProperties": {"^f": INTEGER}}),),
    ),
    Case(
        "one-of-member-loosened-into-an-overlap",
        (put(CHILD, "/oneOf/0/maxLength", 4),),
        # "abc" matched only the second member; now it matches both and is refused
        (("max-length-loosened", CHILD, "/oneOf/0/maxLength", B, B),),
        prepare=(add_type(CHILD, {"oneOf": [SHORT | {"maxLength": 2}, STRING | {"minLength": 3}]}),),
    ),
    Case(
        "one-of-referenced-member-loosened",
        (put(PARENT, "/maxLength", 4),),
        # the same, the member being another type: its own change looks compatible backward
        (
            ("max-length-loosened", PARENT, "/maxLength", C, B),
            ("ref-target-changed", CHILD, "/oneOf/0/$ref", B, B),
        ),
        prepare=(
            add_type(PARENT, SHORT | {"maxLength": 2}),
            add_type(CHILD, {"oneOf": [{"$ref": "Parent.json"}, STRING | {"minLength": 3}]}),
        ),
    ),
    Case(
        "field-wrapped-in-an-overlapping-one-of",
        (put(CHILD, "/properties/a", {"oneOf": [{"type": ["string", "null"]}, {"type": "null"}]}),),
        # null matches both members now
        (("variant-added", CHILD, "/properties/a/oneOf/1", B, B),),
        prepare=(add_type(CHILD, {"type": "object", "properties": {"a": {"type": ["string", "null"]}}}),),
    ),
    Case(
        "not-narrowed",
        (put(RUN_ID, "/not", {"maxLength": 2}),),
        # "abc": refused by the old `not`, valid now; nothing old is refused
        (("max-length-tightened", RUN_ID, "/not/maxLength", C, B),),
        prepare=(put(RUN_ID, "/not", {"maxLength": 3}),),
    ),
    Case(
        "not-reference-loosened",
        (put(PARENT, "/maxLength", 3),),
        # "abc" was valid (the referenced schema refused it); now `not` refuses it
        (
            ("max-length-loosened", PARENT, "/maxLength", C, B),
            ("ref-target-changed", CHILD, "/not/$ref", B, B),
        ),
        prepare=(add_type(PARENT, {"maxLength": 2}), add_type(CHILD, STRING | {"not": {"$ref": "Parent.json"}})),
    ),
    Case(
        "if-changed",
        (put(CHILD, "/if/maxLength", 2),),
        # "bbb" was refused (its `then` wants ^a); now `if` lets it through
        (("max-length-tightened", CHILD, "/if/maxLength", B, B),),
        prepare=(add_type(CHILD, STRING | {"if": {"maxLength": 3}, "then": {"pattern": "^a"}}),),
    ),
    # -- combined edits -------------------------------------------------------------------------
    Case(
        "new-event-kind-end-to-end",
        (
            append(KIND, "/enum", "ToolCalled"),
            append(EVENT, "/oneOf", {"$ref": "ExperienceEvent.ToolCalled.json"}),
            copy_type(
                CREATED,
                "converge.ExperienceEvent.ToolCalled",
                put("converge.ExperienceEvent.ToolCalled", "/properties/type/const", "ToolCalled"),
            ),
            put(EVENT, "/description", "Typed payload of an experience event (15 variants)."),
        ),
        (
            ("description-changed", EVENT, "/description", C, C),
            ("variant-added", EVENT, "/oneOf/14", C, B),
            ("type-added", "converge.ExperienceEvent.ToolCalled", "", C, C),
            ("enum-value-added", KIND, "/enum", C, B),
        ),
    ),
    Case(
        "envelope-reworked",
        (
            put(MFM_ENVELOPE, "/properties/seq/minimum", 1),
            put(MFM_ENVELOPE, "/properties/seq/description", "1-based sequence number."),
            put(MFM_ENVELOPE, "/properties/note", {"type": "string"}),
            drop(MFM_ENVELOPE, "/properties/ts_millis"),
            put(MFM_ENVELOPE, "/properties/event/$ref", "DomainEvent.json"),
            reverse(MFM_ENVELOPE, "/properties"),
        ),
        (
            ("ref-changed", MFM_ENVELOPE, "/properties/event/$ref", B, B),
            ("property-added-optional", MFM_ENVELOPE, "/properties/note", C, C),
            ("description-changed", MFM_ENVELOPE, "/properties/seq/description", C, C),
            ("minimum-raised", MFM_ENVELOPE, "/properties/seq/minimum", B, C),
            ("property-removed", MFM_ENVELOPE, "/properties/ts_millis", C, C),
        ),
    ),
    Case(
        "journal-tightened-in-several-places",
        (
            append(JOURNAL, "/required", "session_id"),
            put(JOURNAL, "/properties/privacy/$ref", "EffectKind.json"),
            put(AGENT_ID, "/x-max-utf8-bytes", 128),
            remove(UNIT, "/enum", "SecretPayload"),
        ),
        (
            ("max-utf8-bytes-tightened", AGENT_ID, "/x-max-utf8-bytes", B, C),
            ("ref-changed", JOURNAL, "/properties/privacy/$ref", B, B),
            ("required-added", JOURNAL, "/required", B, C),
            ("enum-value-removed", UNIT, "/enum", B, C),
        ),
    ),
]


def _run(real: Schemas, case: Case) -> list[Change]:
    base = copy.deepcopy(real)
    for edit in case.prepare:
        edit(base)
    head = copy.deepcopy(base)
    for edit in case.edits:
        edit(head)
    return diff(base, head)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_edit_yields_expected_changes(real_schemas: Schemas, case: Case) -> None:
    changes = _run(real_schemas, case)
    found = [(c.rule, c.type, c.path, c.backward, c.forward) for c in changes]
    assert sorted(found) == sorted(case.expected)


def test_table_is_large_and_covers_every_rule() -> None:
    assert len({case.id for case in CASES}) == len(CASES) >= 40
    covered = {expected[0] for case in CASES for expected in case.expected}
    assert covered == set(RULES)


def test_expected_directions_are_the_rule_defaults_or_explained() -> None:
    """Only these cases override a rule's default directions, each for the reason beside it."""
    overridden = {
        case.id
        for case in CASES
        for rule, _, _, backward, forward in case.expected
        if (backward, forward) != (RULES[rule].backward, RULES[rule].forward)
    }
    assert overridden == {
        "property-added-to-closed-object",
        "required-property-removed-from-closed-object",
        "property-added-to-a-map",  # a map's value schema holds the key the property named
        "property-removed-from-a-map",
        "prefix-items-added",  # a position moves between `items` and `prefixItems`
        "prefix-items-added-where-items-is-false",
        "prefix-items-removed-where-items-is-false",
        "pattern-added-to-a-closed-object",  # keys move between `additionalProperties` and a pattern
        "variant-added-overlapping",  # a oneOf whose members may overlap: any change breaks both ways
        "one-of-member-loosened-into-an-overlap",
        "field-wrapped-in-an-overlapping-one-of",
        "contains-narrowed",  # bounded by maxContains: more or fewer matches both break
        "not-narrowed",  # under `not`: directions swap
        "if-changed",  # under `if`: both ways
        "all-of-member-removed",  # property-moved is judged from the places that changed
        "property-moved-to-a-parent-and-narrowed",
        "property-moved-from-a-parent-and-widened",
        "property-left-to-a-union-member-under-unevaluated-properties",
        "property-added-where-a-pattern-holds-its-key",  # the pattern's schema still applies: a conjunct added
    }


def test_changes_are_sorted_and_carry_old_and_new(real_schemas: Schemas) -> None:
    case = next(case for case in CASES if case.id == "envelope-reworked")
    changes = _run(real_schemas, case)
    assert changes == sorted(changes, key=lambda c: (c.type, c.path, c.rule))
    by_rule = {c.rule: c for c in changes}
    assert (by_rule["minimum-raised"].old, by_rule["minimum-raised"].new) == (0, 1)
    assert (by_rule["ref-changed"].old, by_rule["ref-changed"].new) == ("mfm.Event", "mfm.DomainEvent")
    assert by_rule["property-added-optional"].old is None
    assert by_rule["property-added-optional"].new == {"type": "string"}
    assert by_rule["property-removed"].new is None and by_rule["property-removed"].old["type"] == ["integer", "null"]


def test_enum_and_required_changes_name_the_value(real_schemas: Schemas) -> None:
    case = next(case for case in CASES if case.id == "enum-value-renamed")
    changes = {c.rule: c for c in _run(real_schemas, case)}
    assert (changes["enum-value-added"].old, changes["enum-value-added"].new) == (None, "UserOutput")
    assert (changes["enum-value-removed"].old, changes["enum-value-removed"].new) == ("Output", None)
    case = next(case for case in CASES if case.id == "required-added")
    (change,) = _run(real_schemas, case)
    assert (change.old, change.new) == (None, "limit")


def test_both_bound_keywords_changing_are_reported_once(real_schemas: Schemas) -> None:
    case = next(case for case in CASES if case.id == "minimum-made-exclusive")
    (change,) = _run(real_schemas, case)
    assert (change.old, change.new) == ({"minimum": 0}, {"exclusiveMinimum": 0})


def test_unexpected_shapes_do_not_crash(real_schemas: Schemas) -> None:
    base = copy.deepcopy(real_schemas)
    head = copy.deepcopy(real_schemas)
    weird = head[RUN_ID].schema
    weird["type"] = 7
    weird["enum"] = "not a list"
    weird["minLength"] = "one"
    weird["properties"] = ["a"]
    weird["oneOf"] = {"not": "a list"}
    weird["minimum"] = True
    changes = diff(base, head)
    assert {c.rule for c in changes} == {"keyword-changed", "constraint-added"}
    assert all(c.type == RUN_ID for c in changes)


def test_whole_set_against_itself_is_fast_and_empty(real_schemas: Schemas) -> None:
    head = copy.deepcopy(real_schemas)
    start = time.perf_counter()
    changes = diff(real_schemas, head)
    elapsed = time.perf_counter() - start
    print(f"diff of {len(real_schemas)} types against themselves: {elapsed * 1000:.1f} ms")
    assert changes == []
    assert elapsed < 5


def test_whole_set_against_a_rewritten_copy_is_fast(real_schemas: Schemas) -> None:
    """Every description changed: every type is walked to the leaves, still well under a second."""
    head = copy.deepcopy(real_schemas)
    for entry in head.values():
        for node in _nodes(entry.schema):
            if isinstance(node.get("description"), str):
                node["description"] += " (revised)"
    start = time.perf_counter()
    changes = diff(real_schemas, head)
    elapsed = time.perf_counter() - start
    print(f"diff of {len(real_schemas)} types, {len(changes)} description changes: {elapsed * 1000:.1f} ms")
    assert changes and {c.rule for c in changes} == {"description-changed"}
    assert elapsed < 5


def _nodes(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += _nodes(item)
    elif isinstance(value, list):
        for item in value:
            found += _nodes(item)
    return found
