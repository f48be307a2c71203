"""`EnvelopeObserver`: organism-runtime's formation observer, which wraps each raw experience
event into an envelope and appends it to a store, except that a failed append is never dropped
silently (upstream discards the error, and with it the event)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from dataclasses import is_dataclass
from typing import Any

from ledgerspec.models import converge

from . import default_codec
from .clock import Clock, format_timestamp, utc_now
from .codec import Codec
from .store.protocols import ExperienceStore

ErrorCallback = Callable[[Exception, dict[str, Any]], None]
"""Receives a failed append's exception and the envelope that was not stored."""


class EnvelopeObserver:
    """Wraps events as `{"event_id": "formation:<correlation>:<n>", "occurred_at": <clock>,
    "tenant_id", "correlation_id", "event"}` and appends them to `store`.

    `n` counts from 0 per observer and is taken atomically, so concurrent threads never share an
    id; it advances even when an append fails (as upstream's does). A failed append raises, or,
    when `on_error` is given, is handed to it with the envelope and `on_event` returns normally.
    """

    def __init__(
        self,
        store: ExperienceStore,
        correlation_id: str,
        tenant_id: str | None = None,
        *,
        clock: Clock = utc_now,
        on_error: ErrorCallback | None = None,
        codec: Codec | None = None,
    ) -> None:
        self.store = store
        self.correlation_id = correlation_id
        self.tenant_id = tenant_id
        self._clock = clock
        self._on_error = on_error
        self._codec = codec or default_codec()
        self._sequence = itertools.count()
        self._lock = threading.Lock()

    def next_id(self) -> str:
        """The id of the next envelope (`formation:<correlation>:<n>`), consuming `n`."""
        with self._lock:
            sequence = next(self._sequence)
        return f"formation:{self.correlation_id}:{sequence}"

    def envelope(self, event: converge.ExperienceEvent | Mapping[str, Any]) -> dict[str, Any]:
        """The envelope of one event (a generated model or its JSON object), with a fresh id."""
        body = self._codec.dump(event) if is_dataclass(event) else dict(event)
        return {
            "event_id": self.next_id(),
            "occurred_at": format_timestamp(self._clock()),
            "tenant_id": self.tenant_id,
            "correlation_id": self.correlation_id,
            "event": body,
        }

    def on_event(self, event: converge.ExperienceEvent | Mapping[str, Any]) -> dict[str, Any]:
        """Wrap `event`, append it, and return the envelope."""
        envelope = self.envelope(event)
        try:
            self.store.append_event(envelope)
        except Exception as exc:
            if self._on_error is None:
                raise
            self._on_error(exc, envelope)
        return envelope
