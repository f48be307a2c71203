"""Time as ledgerspec writes it: an injectable clock and the `occurred_at` format of the
timestamps a store or observer assigns itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current time; stores and observers take one so tests can fix it."""


def utc_now() -> datetime:
    """The default clock: the current time in UTC."""
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a `Z` suffix (`2026-11-22T10:00:00.000Z`): one fixed
    width, so string order (how queries compare `occurred_at`) is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
