"""DESIGN.md's envelope rules, which the schema alone does not state, and the metadata columns a
store indexes an envelope by."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..canonical import jcs
from ..contract import shipped
from ..errors import InvalidInputError

ID_FIELDS = ("event_id", "tenant_id", "correlation_id")
MAX_ID_BYTES = 256
MAX_OCCURRED_AT_BYTES = 64
_ID_CHARS = re.compile(r"[A-Za-z0-9._:-]*")
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,256}")


def check_id(field: str, value: str) -> None:
    """An envelope id: 1-256 bytes of `[A-Za-z0-9._:-]` (upstream's set plus `:`, so the
    observer's `formation:<corr>:<n>` ids are storable)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{field} must be a string, got {type(value).__name__}")
    if _VALID_ID.fullmatch(value):
        return
    if not value:
        raise InvalidInputError(f"{field} must not be empty")
    match = _ID_CHARS.match(value)
    end = match.end() if match else 0
    if end < len(value):
        raise InvalidInputError(
            f"{field} {value[:60]!r} has {value[end]!r} at offset {end}; only A-Z a-z 0-9 . _ : - are allowed"
        )
    if len(value) > MAX_ID_BYTES:
        raise InvalidInputError(f"{field} is {len(value)} bytes long; at most {MAX_ID_BYTES} are allowed")


def check_envelope(envelope: dict[str, Any]) -> None:
    """Raise InvalidInputError unless a schema-valid envelope also meets the id rules."""
    for field in ID_FIELDS:
        value = envelope.get(field)
        if value is not None:
            check_id(field, value)
    occurred_at = envelope["occurred_at"]
    size = len(occurred_at.encode("utf-8"))
    if size == 0:
        raise InvalidInputError("occurred_at must not be empty")
    if size > MAX_OCCURRED_AT_BYTES:
        raise InvalidInputError(f"occurred_at is {size} bytes long; at most {MAX_OCCURRED_AT_BYTES} are allowed")


@cache
def chain_kinds() -> frozenset[str]:
    """The ExperienceEvent variants whose fields include `chain_id`, read from the schemas (so a
    chain filter matches every one of them, `HypothesisResolved` included)."""
    contract = shipped()
    union = contract.unions["converge.ExperienceEvent"]
    kinds = set()
    for variant in union.variants:
        fields = contract.entry(f"{variant}.Fields").schema
        if "chain_id" in fields.get("properties", {}):
            kinds.add(variant.rsplit(".", 1)[-1])
    return frozenset(kinds)


def kind_text(kind: Any) -> str:
    """The column form of an artifact kind: its canonical JSON (`"Adapter"`, `{"Other":"x"}`)."""
    return jcs(kind).decode()


def envelope_columns(envelope: dict[str, Any]) -> tuple[Any, ...]:
    """The metadata columns of a valid envelope, in `COLUMNS` order."""
    event = envelope["event"]
    kind, data = event["type"], event["data"]
    chain = data.get("chain_id") if kind in chain_kinds() else None
    trace = data.get("trace_link_id") if kind == "ReplayTraceRecorded" else None
    artifact = artifact_kind = state = None
    if kind == "ArtifactStateTransitioned":
        artifact, artifact_kind, state = (
            data["artifact_id"],
            kind_text(data["artifact_kind"]),
            data["event"]["to_state"],
        )
    return (
        envelope["event_id"],
        kind,
        envelope.get("tenant_id"),
        envelope.get("correlation_id"),
        chain,
        envelope["occurred_at"],
        trace,
        artifact,
        artifact_kind,
        state,
    )


COLUMNS = (
    "event_id",
    "kind",
    "tenant_id",
    "correlation_id",
    "chain_id",
    "occurred_at",
    "trace_link_id",
    "artifact_id",
    "artifact_kind",
    "artifact_state",
)
