"""The envelope rules the schema alone does not state (docs/design.md, "Envelope ids"): what an
id and an `occurred_at` may hold. Every store checks them on write."""

from __future__ import annotations

import re
from typing import Any

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
