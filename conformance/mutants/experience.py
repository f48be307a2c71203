"""Broken experience ledgers: appends, idempotence, batches, queries, transitions and traces."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from ledgerspec import default_codec
from ledgerspec.errors import ConflictError, InvalidInputError, InvalidQueryError
from ledgerspec.store.memory import CHAIN_KINDS

from .base import Bug, ExperienceBug, like

ENVELOPE = "converge.ExperienceEventEnvelope"
Envelope = Any


def requery(
    inner: Any, query: Any, keep: Callable[[Envelope], bool], order: Callable[[list[Envelope]], list[Envelope]] = list
) -> list[Envelope]:
    """`query` run without its limit, then `keep`-filtered, reordered by `order` and limited: how
    a store that evaluates some filter in application code answers."""
    found = order([e for e in inner.query_events(replace(query, limit=None)) if keep(e)])
    return found if query.limit is None else found[: query.limit]


def stored(inner: Any) -> list[dict[str, Any]]:
    """Every stored envelope as the JSON object received (unknown keys included), in append order."""
    everything = default_codec().build("converge.EventQuery", {"kinds": []})
    return [json.loads(data) for data in inner.query_documents(everything)]


# -- appends ----------------------------------------------------------------------------------


class AcceptsConflicts(ExperienceBug):
    """Swallows the conflict of an event_id stored with other content (upstream's in-memory store)."""

    rule = "experience.append-conflict"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError:
            return 0


class ConflictIgnoresMetadata(ExperienceBug):
    """Compares only the event of a re-appended event_id, so another tenant or occurred_at is a no-op."""

    rule = "experience.append-conflict"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError as exc:
            known = {e["event_id"]: e["event"] for e in stored(self.inner)}
            if all(known.get(e["event_id"], e["event"]) == e["event"] for e in envelopes):
                fresh = [e for e in envelopes if e["event_id"] not in known]
                return self.inner.append_events(fresh)
            raise exc


class FirstDuplicateInBatchWins(ExperienceBug):
    """Inside one batch, a second envelope with an event_id already in the batch is dropped, whatever its content."""

    rule = "experience.append-conflict"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        seen: set[str] = set()
        kept = []
        for envelope in envelopes:
            key = envelope.get("event_id") if isinstance(envelope, dict) else None
            if key is None or key not in seen:
                kept.append(envelope)
            if isinstance(key, str):
                seen.add(key)
        return self.inner.append_events(kept)


class ConflictOnIdenticalReappend(ExperienceBug):
    """Treats any event_id already stored as a conflict, even with the same canonical bytes."""

    rule = "experience.idempotent-append"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        known = {e["event_id"] for e in stored(self.inner)}
        for envelope in envelopes:
            if isinstance(envelope, dict) and envelope.get("event_id") in known:
                raise ConflictError(f"event_id {envelope['event_id']!r} is already stored")
        return self.inner.append_events(envelopes)


class ReappendComparesText(ExperienceBug):
    """Compares re-appended envelopes as JSON text in the order received, not as canonical bytes."""

    rule = "experience.idempotent-append"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        known = {e["event_id"]: e for e in stored(self.inner)}
        for envelope in envelopes:
            if not isinstance(envelope, dict) or envelope.get("event_id") not in known:
                continue
            text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
            if text != json.dumps(known[envelope["event_id"]], ensure_ascii=False, separators=(",", ":")):
                raise ConflictError(f"event_id {envelope['event_id']!r} is already stored with different text")
        return self.inner.append_events(envelopes)


class HalfBatches(ExperienceBug):
    """Appends a batch envelope by envelope, keeping the prefix of a failed batch (upstream's default)."""

    rule = "experience.batch-all-or-nothing"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for envelope in envelopes:
            self.inner.append_events([envelope])


class SkipsBadEnvelopes(ExperienceBug):
    """Appends the valid envelopes of a batch and silently drops the invalid ones."""

    rule = "experience.batch-all-or-nothing"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        written = 0
        for envelope in envelopes:
            try:
                written += self.inner.append_events([envelope])
            except InvalidInputError:
                continue
        return written


class EmptyBatchRefused(ExperienceBug):
    """Refuses an empty batch as invalid_input instead of writing nothing."""

    rule = "experience.batch-all-or-nothing"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        if not envelopes:
            raise InvalidInputError("a batch must hold at least one envelope")
        return self.inner.append_events(envelopes)


class BatchesInterleave(ExperienceBug):
    """Checks a batch whole but commits it envelope by envelope, so concurrent batches interleave."""

    rule = "experience.batch-isolated"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for envelope in envelopes:
            self.inner.append_events([envelope])
            threading.Event().wait(0)  # let another writer in between commits


# -- ids and occurred_at --------------------------------------------------------------------------


def _ids(envelopes: Sequence[Any]) -> list[tuple[str, str]]:
    return [
        (name, e[name])
        for e in envelopes
        if isinstance(e, dict)
        for name in ("event_id", "tenant_id", "correlation_id")
        if isinstance(e.get(name), str)
    ]


class ColonRefusedInIds(ExperienceBug):
    """Checks ids against upstream's set [A-Za-z0-9._-] only, refusing the ':' the contract adds."""

    rule = "experience.id-charset"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for name, value in _ids(envelopes):
            if ":" in value:
                raise InvalidInputError(f"{name} {value!r} holds ':'")
        return self.inner.append_events(envelopes)


class IdsUnder256Bytes(ExperienceBug):
    """Refuses ids of exactly 256 bytes (a `< 256` where the contract says `<= 256`)."""

    rule = "experience.id-length"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for name, value in _ids(envelopes):
            if len(value.encode()) >= 256:
                raise InvalidInputError(f"{name} is {len(value.encode())} bytes; at most 255 are allowed")
        return self.inner.append_events(envelopes)


class OccurredAtMustBeTimestamp(ExperienceBug):
    """Refuses an occurred_at that is not an ISO 8601 timestamp, a format the contract leaves unchecked."""

    rule = "experience.occurred-at-length"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        for envelope in envelopes:
            at = envelope.get("occurred_at") if isinstance(envelope, dict) else None
            if isinstance(at, str) and 1 <= len(at.encode()) <= 64:
                try:
                    datetime.fromisoformat(at)
                except ValueError:
                    raise InvalidInputError(f"occurred_at {at!r} is not a timestamp") from None
        return self.inner.append_events(envelopes)


# -- queries ----------------------------------------------------------------------------------


class NewestFirst(ExperienceBug):
    """Returns query results newest first."""

    rule = "experience.query.append-order"

    def query_events(self, query: Any) -> Any:
        return requery(self.inner, query, lambda e: True, lambda found: found[::-1])


class SortedByOccurredAt(ExperienceBug):
    """Orders query results by occurred_at (ties in append order) instead of append order."""

    rule = "experience.query.append-order"

    def query_events(self, query: Any) -> Any:
        return requery(self.inner, query, lambda e: True, lambda found: sorted(found, key=lambda e: e.occurred_at))


class SortedByEventId(ExperienceBug):
    """Orders query results by event_id (the primary key's order) instead of append order."""

    rule = "experience.query.append-order"

    def query_events(self, query: Any) -> Any:
        return requery(self.inner, query, lambda e: True, lambda found: sorted(found, key=lambda e: e.event_id))


class LimitBeforeFilter(ExperienceBug):
    """Applies limit to the envelopes matching everything but kinds, then filters by kinds."""

    rule = "experience.query.limit"

    def query_events(self, query: Any) -> Any:
        everything = self.inner.query_events(replace(query, kinds=[]))
        wanted = {e.event_id for e in self.inner.query_events(replace(query, limit=None))}
        return [e for e in everything if e.event_id in wanted]


class LimitZeroMeansAll(ExperienceBug):
    """Treats limit 0 as no limit (a falsy check)."""

    rule = "experience.query.limit"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, limit=query.limit or None))


class LimitOffByOne(ExperienceBug):
    """Returns one envelope more than the limit (the loop stops after the count passes it)."""

    rule = "experience.query.limit"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, limit=None if query.limit is None else query.limit + 1))


class NegativeLimitAccepted(ExperienceBug):
    """Answers a query that breaks the EventQuery schema with [] instead of invalid_query."""

    rule = "experience.query.schema"

    def query_events(self, query: Any) -> Any:
        try:
            return self.inner.query_events(query)
        except InvalidQueryError:
            return []


class AnyFilterMatches(ExperienceBug):
    """Joins the tenant, correlation and kinds filters with OR instead of AND."""

    rule = "experience.query.and"

    def query_events(self, query: Any) -> Any:
        parts = [
            replace(query, correlation_id=None, kinds=[]) if query.tenant_id else None,
            replace(query, tenant_id=None, kinds=[]) if query.correlation_id else None,
            replace(query, tenant_id=None, correlation_id=None) if query.kinds else None,
        ]
        given = [part for part in parts if part is not None]
        if len(given) < 2:
            return self.inner.query_events(query)
        ids = {e.event_id for part in given for e in self.inner.query_events(replace(part, limit=None))}
        every = replace(query, tenant_id=None, correlation_id=None, kinds=[])
        return requery(self.inner, every, lambda e: e.event_id in ids)


class CorrelationIgnoredWithTenant(ExperienceBug):
    """Drops the correlation filter when a tenant filter is given (one index per query)."""

    rule = "experience.query.and"

    def query_events(self, query: Any) -> Any:
        if query.tenant_id is not None:
            query = replace(query, correlation_id=None)
        return self.inner.query_events(query)


def _exact_filter(name: str, matcher: Callable[[str, str | None], bool]) -> Callable[[Any, Any], Any]:
    """A query_events that evaluates the `name` filter with `matcher(wanted, stored)`."""

    def query_events(self: ExperienceBug, query: Any) -> Any:
        wanted = getattr(query, name)
        if wanted is None:
            return self.inner.query_events(query)
        cleared = replace(query, **{name: None})
        return requery(self.inner, cleared, lambda e: matcher(wanted, getattr(e, name)))

    return query_events


class TenantCaseInsensitive(ExperienceBug):
    """Matches tenant_id without regard to case."""

    rule = "experience.query.tenant"
    query_events = _exact_filter("tenant_id", lambda want, got: got is not None and got.lower() == want.lower())


class TenantLike(ExperienceBug):
    """Matches tenant_id with SQL LIKE, where '_' matches any character and case is ignored."""

    rule = "experience.query.tenant"
    query_events = _exact_filter("tenant_id", like)


class TenantPrefix(ExperienceBug):
    """Matches every tenant_id starting with the one asked for (LIKE 'x%')."""

    rule = "experience.query.tenant"
    query_events = _exact_filter("tenant_id", lambda want, got: got is not None and got.startswith(want))


class UntenantedMatchesEveryTenant(ExperienceBug):
    """Lets envelopes without a tenant match any tenant filter (NULL read as 'shared')."""

    rule = "experience.query.tenant"
    query_events = _exact_filter("tenant_id", lambda want, got: got is None or got == want)


class CorrelationLike(ExperienceBug):
    """Matches correlation_id with SQL LIKE, where '_' matches any character and case is ignored."""

    rule = "experience.query.correlation"
    query_events = _exact_filter("correlation_id", like)


class CorrelationPrefix(ExperienceBug):
    """Matches every correlation_id starting with the one asked for."""

    rule = "experience.query.correlation"
    query_events = _exact_filter("correlation_id", lambda want, got: got is not None and got.startswith(want))


class EmptyKindsMeansNone(ExperienceBug):
    """Reads empty kinds as 'no kind', matching nothing."""

    rule = "experience.query.kinds"

    def query_events(self, query: Any) -> Any:
        return [] if not query.kinds else self.inner.query_events(query)


class FirstKindOnly(ExperienceBug):
    """Matches only the first of several kinds."""

    rule = "experience.query.kinds"

    def query_events(self, query: Any) -> Any:
        return self.inner.query_events(replace(query, kinds=list(query.kinds[:1])))


class ForgetsHypothesisChain(ExperienceBug):
    """Leaves HypothesisResolved out of chain_id matches, as upstream does."""

    rule = "experience.query.chain-id"

    def query_events(self, query: Any) -> Any:
        if query.chain_id is None:
            return self.inner.query_events(query)
        return requery(self.inner, query, lambda e: e.event.type != "HypothesisResolved")


class ChainIdLike(ExperienceBug):
    """Matches chain_id with SQL LIKE ('_' and '%' are wildcards, case ignored)."""

    rule = "experience.query.chain-id"

    def query_events(self, query: Any) -> Any:
        if query.chain_id is None:
            return self.inner.query_events(query)
        chained = {
            e["event_id"]
            for e in stored(self.inner)
            if e["event"]["type"] in CHAIN_KINDS and like(query.chain_id, e["event"]["data"].get("chain_id"))
        }
        return requery(self.inner, replace(query, chain_id=None), lambda e: e.event_id in chained)


class UnknownChainKeyCounts(ExperienceBug):
    """Matches chain_id against any variant's data, so an unknown chain_id key of another variant matches."""

    rule = "experience.query.chain-id"

    def query_events(self, query: Any) -> Any:
        if query.chain_id is None:
            return self.inner.query_events(query)
        chained = {e["event_id"] for e in stored(self.inner) if e["event"].get("data", {}).get("chain_id") == query.chain_id}
        return requery(self.inner, replace(query, chain_id=None), lambda e: e.event_id in chained)


def _window(query: Any) -> tuple[str | None, str | None]:
    window = query.time_range
    return (None, None) if window is None else (window.start, window.end)


class ExclusiveTimeEnd(ExperienceBug):
    """Treats time_range's end as exclusive."""

    rule = "experience.query.time-range-inclusive"

    def query_events(self, query: Any) -> Any:
        end = _window(query)[1]
        return requery(self.inner, query, lambda e: end is None or e.occurred_at < end)


class ExclusiveTimeStart(ExperienceBug):
    """Treats time_range's start as exclusive."""

    rule = "experience.query.time-range-inclusive"

    def query_events(self, query: Any) -> Any:
        start = _window(query)[0]
        return requery(self.inner, query, lambda e: start is None or e.occurred_at > start)


class ReversedRangeSwapped(ExperienceBug):
    """Swaps a time_range whose start is after its end instead of matching nothing."""

    rule = "experience.query.time-range-inclusive"

    def query_events(self, query: Any) -> Any:
        start, end = _window(query)
        if start is not None and end is not None and start > end:
            query = replace(query, time_range=replace(query.time_range, start=end, end=start))
        return self.inner.query_events(query)


def _instant(text: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo is not None else text


class TimeRangeAsInstants(ExperienceBug):
    """Compares occurred_at with time_range as parsed instants (offsets and fractions applied), not as strings."""

    rule = "experience.query.time-range-string-order"

    def query_events(self, query: Any) -> Any:
        start, end = _window(query)
        if start is None and end is None:
            return self.inner.query_events(query)

        def inside(envelope: Any) -> bool:
            at = _instant(envelope.occurred_at)
            try:
                return (start is None or _instant(start) <= at) and (end is None or at <= _instant(end))  # type: ignore[operator]
            except TypeError:  # one side did not parse: compare the text
                return (start is None or start <= envelope.occurred_at) and (end is None or envelope.occurred_at <= end)

        return requery(self.inner, replace(query, time_range=None), inside)


# -- transitions, artifacts and traces ---------------------------------------------------------


class TransitionsNotQueryable(ExperienceBug):
    """Keeps artifact transitions in their own table: query_events never returns them."""

    rule = "experience.transition.envelope"

    def query_events(self, query: Any) -> Any:
        return requery(self.inner, query, lambda e: not e.event_id.startswith("artifact-transition:"))


class RepeatedTransitionIgnored(ExperienceBug):
    """Records a transition call identical to an earlier one only once."""

    rule = "experience.transition.fresh-id"

    def write_artifact_state_transition(self, artifact_id: str, kind: Any, event: Any) -> None:
        codec = default_codec()
        data = {"artifact_id": artifact_id, "artifact_kind": codec.dump(kind), "event": codec.dump(event)}
        if all(codec.dump(e.event.data) != data for e in _transitions(self.inner)):
            self.inner.write_artifact_state_transition(artifact_id, kind, event)


class TransitionTenantFromEvent(ExperienceBug):
    """Gives a transition written on the store itself the lifecycle event's tenant_id."""

    rule = "experience.transition.tenant"

    def write_artifact_state_transition(self, artifact_id: str, kind: Any, event: Any) -> None:
        target = self.inner
        if self.inner.tenant is None and event.tenant_id is not None:
            target = self.store.for_tenant(event.tenant_id)
        target.write_artifact_state_transition(artifact_id, kind, event)


def _transitions(inner: Any) -> list[Any]:
    """Every ArtifactStateTransitioned envelope visible to `inner`, in append order."""
    return list(inner.query_events(default_codec().build("converge.EventQuery", {"kinds": ["ArtifactStateTransitioned"]})))


def _artifact_filter(query: Any) -> Callable[[Any], bool]:
    """Whether a transition envelope passes an ArtifactQuery's filters (the correct ones)."""
    codec = default_codec()

    def keep(envelope: Any) -> bool:
        data = envelope.event.data
        return (
            (query.tenant_id is None or envelope.tenant_id == query.tenant_id)
            and (query.artifact_id is None or data.artifact_id == query.artifact_id)
            and (query.kind is None or codec.dump(data.artifact_kind) == codec.dump(query.kind))
            and (query.state is None or data.event.to_state == query.state)
        )

    return keep


class FirstTransitionWins(ExperienceBug):
    """Answers query_artifacts from each artifact's first transition instead of its latest."""

    rule = "experience.artifacts.latest"

    def query_artifacts(self, query: Any) -> Any:
        self.inner.query_artifacts(query)  # schema check
        first: dict[tuple[Any, str], Any] = {}
        for envelope in _transitions(self.inner):
            first.setdefault((envelope.tenant_id, envelope.event.data.artifact_id), envelope)
        found = [e for e in first.values() if _artifact_filter(query)(e)]
        return found[: query.limit]


class EveryTransitionListed(ExperienceBug):
    """Returns every transition of an artifact from query_artifacts, not only the latest."""

    rule = "experience.artifacts.latest"

    def query_artifacts(self, query: Any) -> Any:
        self.inner.query_artifacts(query)
        found = [e for e in _transitions(self.inner) if _artifact_filter(query)(e)]
        return found[: query.limit]


class StateFilterOnFromState(ExperienceBug):
    """Filters query_artifacts' state on the transition's from_state instead of its to_state."""

    rule = "experience.artifacts.filters"

    def query_artifacts(self, query: Any) -> Any:
        if query.state is None:
            return self.inner.query_artifacts(query)
        latest = self.inner.query_artifacts(replace(query, state=None, limit=None))
        return [e for e in latest if e.event.data.event.from_state == query.state][: query.limit]


class ArtifactIdLike(ExperienceBug):
    """Matches query_artifacts' artifact_id with SQL LIKE ('_' and '%' wildcards, case ignored)."""

    rule = "experience.artifacts.filters"

    def query_artifacts(self, query: Any) -> Any:
        if query.artifact_id is None:
            return self.inner.query_artifacts(query)
        latest = self.inner.query_artifacts(replace(query, artifact_id=None, limit=None))
        return [e for e in latest if like(query.artifact_id, e.event.data.artifact_id)][: query.limit]


class ArtifactKindIgnored(ExperienceBug):
    """Ignores query_artifacts' kind filter."""

    rule = "experience.artifacts.filters"

    def query_artifacts(self, query: Any) -> Any:
        return self.inner.query_artifacts(replace(query, kind=None))


class ArtifactsNewestFirst(ExperienceBug):
    """Returns query_artifacts' artifacts newest first."""

    rule = "experience.artifacts.order-limit"

    def query_artifacts(self, query: Any) -> Any:
        return self.inner.query_artifacts(replace(query, limit=None))[::-1][: query.limit]


class ArtifactLimitZeroMeansAll(ExperienceBug):
    """Treats query_artifacts' limit 0 as no limit."""

    rule = "experience.artifacts.order-limit"

    def query_artifacts(self, query: Any) -> Any:
        return self.inner.query_artifacts(replace(query, limit=query.limit or None))


class NegativeArtifactLimitAccepted(ExperienceBug):
    """Answers an ArtifactQuery that breaks its schema with [] instead of invalid_query."""

    rule = "experience.artifacts.schema"

    def query_artifacts(self, query: Any) -> Any:
        try:
            return self.inner.query_artifacts(query)
        except InvalidQueryError:
            return []


def _traces(inner: Any) -> list[Any]:
    return list(inner.query_events(default_codec().build("converge.EventQuery", {"kinds": ["ReplayTraceRecorded"]})))


class FirstTraceWins(ExperienceBug):
    """Returns the first trace recorded under an id instead of the latest."""

    rule = "experience.trace.latest"

    def get_trace_link(self, trace_link_id: str) -> Any:
        self.inner.get_trace_link(trace_link_id)
        found = [e for e in _traces(self.inner) if e.event.data.trace_link_id == trace_link_id]
        return found[0].event.data.trace_link if found else None


class LatestTraceByOccurredAt(ExperienceBug):
    """Picks the trace with the greatest occurred_at instead of the one appended last."""

    rule = "experience.trace.latest"

    def get_trace_link(self, trace_link_id: str) -> Any:
        self.inner.get_trace_link(trace_link_id)
        found = [e for e in _traces(self.inner) if e.event.data.trace_link_id == trace_link_id]
        return max(found, key=lambda e: e.occurred_at).event.data.trace_link if found else None


class TraceLinkMatching(ExperienceBug):
    """Looks trace links up with `matches(asked, stored)` when no id is equal."""

    rule = "experience.trace.missing"

    @staticmethod
    def matches(asked: str, stored: str) -> bool:
        """Whether the buggy lookup takes the stored id for the one asked for."""
        raise NotImplementedError

    def get_trace_link(self, trace_link_id: str) -> Any:
        exact = self.inner.get_trace_link(trace_link_id)
        if exact is not None:
            return exact
        found = [e for e in _traces(self.inner) if self.matches(trace_link_id, e.event.data.trace_link_id)]
        return found[-1].event.data.trace_link if found else None


class TraceLinkCaseInsensitive(TraceLinkMatching):
    """Finds a trace link whose id differs only in case."""

    @staticmethod
    def matches(asked: str, stored: str) -> bool:
        return asked.lower() == stored.lower()


class TraceLinkLike(TraceLinkMatching):
    """Looks trace links up with SQL LIKE ('_' and '%' wildcards, case ignored)."""

    @staticmethod
    def matches(asked: str, stored: str) -> bool:
        return like(asked, stored)


BUGS: tuple[type[Bug], ...] = (
    AcceptsConflicts,
    ConflictIgnoresMetadata,
    FirstDuplicateInBatchWins,
    ConflictOnIdenticalReappend,
    ReappendComparesText,
    HalfBatches,
    SkipsBadEnvelopes,
    EmptyBatchRefused,
    BatchesInterleave,
    ColonRefusedInIds,
    IdsUnder256Bytes,
    OccurredAtMustBeTimestamp,
    NewestFirst,
    SortedByOccurredAt,
    SortedByEventId,
    LimitBeforeFilter,
    LimitZeroMeansAll,
    LimitOffByOne,
    NegativeLimitAccepted,
    AnyFilterMatches,
    CorrelationIgnoredWithTenant,
    TenantCaseInsensitive,
    TenantLike,
    TenantPrefix,
    UntenantedMatchesEveryTenant,
    CorrelationLike,
    CorrelationPrefix,
    EmptyKindsMeansNone,
    FirstKindOnly,
    ForgetsHypothesisChain,
    ChainIdLike,
    UnknownChainKeyCounts,
    ExclusiveTimeEnd,
    ExclusiveTimeStart,
    ReversedRangeSwapped,
    TimeRangeAsInstants,
    TransitionsNotQueryable,
    RepeatedTransitionIgnored,
    TransitionTenantFromEvent,
    FirstTransitionWins,
    EveryTransitionListed,
    StateFilterOnFromState,
    ArtifactIdLike,
    ArtifactKindIgnored,
    ArtifactsNewestFirst,
    ArtifactLimitZeroMeansAll,
    NegativeArtifactLimitAccepted,
    FirstTraceWins,
    LatestTraceByOccurredAt,
    TraceLinkCaseInsensitive,
    TraceLinkLike,
)
"""The experience ledger's bugs (tenant views: `tenancy`; document values: `documents`)."""
