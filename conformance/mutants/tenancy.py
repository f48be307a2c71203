"""Broken tenant views: what `for_tenant(t)` lets through, in either direction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledgerspec.errors import ConflictError

from .base import Bug, ViewBug, stored


class LeakyTenantView(ViewBug):
    """`for_tenant` hands out the whole store."""

    rule = "tenancy.queries"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store.experience, name)

    def append_event(self, envelope: Any) -> None:
        self.store.experience.append_event(envelope)


class ForeignTenantAccepted(ViewBug):
    """Accepts envelopes of any tenant, checking only that they carry one."""

    rule = "tenancy.refuses-foreign"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        if all(isinstance(e, dict) and e.get("tenant_id") is not None for e in envelopes):
            return self.store.experience.append_events(envelopes)
        return self.inner.append_events(envelopes)


class IdsScopedPerTenant(ViewBug):
    """Treats an event_id used by another tenant as free, answering success without writing."""

    rule = "tenancy.ids-global"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError:
            own = {e["event_id"] for e in stored(self.inner)}
            if any(isinstance(e, dict) and e.get("event_id") in own for e in envelopes):
                raise
            return 0


class ArtifactsUnscoped(ViewBug):
    """Answers a view's query_artifacts over every tenant."""

    rule = "tenancy.artifacts"

    def query_artifacts(self, query: Any) -> Any:
        return self.store.experience.query_artifacts(query)


class TraceLinksUnscoped(ViewBug):
    """Answers a view's get_trace_link over every tenant."""

    rule = "tenancy.trace-links"

    def get_trace_link(self, trace_link_id: str) -> Any:
        return self.store.experience.get_trace_link(trace_link_id)


class TransitionWithoutTenant(ViewBug):
    """Writes a view's transitions without the view's tenant."""

    rule = "experience.transition.tenant"

    def write_artifact_state_transition(self, artifact_id: str, kind: Any, event: Any) -> None:
        self.store.experience.write_artifact_state_transition(artifact_id, kind, event)


BUGS: tuple[type[Bug], ...] = (
    LeakyTenantView,
    ForeignTenantAccepted,
    IdsScopedPerTenant,
    ArtifactsUnscoped,
    TraceLinksUnscoped,
    TransitionWithoutTenant,
)
"""The tenant views' bugs."""
