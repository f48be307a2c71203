"""Broken experience ledgers: appends, idempotence, batches, queries, transitions and traces."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from ledgerspec import default_codec
from ledgerspec.clock import format_timestamp
from ledgerspec.errors import ConflictError, InvalidInputError, InvalidQueryError
from ledgerspec.store.documents import check_batch
from ledgerspec.store.ledgers import chain_kinds
from ledgerspec.store.stored import parse as parse_stored

from .base import Bug, ExperienceBug, like, stored

ENVELOPE = "converge.ExperienceEventEnvelope"
Envelope = Any


def requery(
    inner: Any, query: Any, keep: Callable[[Envelope], bool], order: Callable[[list[Envelope]], list[Envelope]] = list
) -> list[Envelope]:
    """`query` run without its limit, then `keep`-filtered, reordered by `order` and limited: how
    a store that evaluates some filter in application code answers."""
    found = order([e for e in inner.query_events(replace(query, limit=None)) if keep(e)])
    return found if query.limit is None else found[: query.limit]


# -- appends ----------------------------------------------------------------------------------


class AcceptsConflicts(ExperienceBug):
    """Swallows the conflict of an event_id stored with other content (upstream's in-memory store)."""

    rule = "experience.append-conflict"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError:
            return 0


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


class BatchesInterleave(ExperienceBug):
    """Checks every envelope of a batch first, then commits them one by one, so concurrent batches interleave."""

    rule = "experience.batch-isolated"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        check_batch("envelope", envelopes, self.inner._check)  # the correct ledger's checks, writing nothing
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


class OccurredAtCountsCharacters(ExperienceBug):
    """Measures occurred_at in characters, so 64 characters of which some take several UTF-8 bytes pass."""

    rule = "experience.occurred-at-length"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except InvalidInputError as exc:
            if "occurred_at is" not in str(exc) or not all(
                isinstance(e, dict) and 1 <= len(str(e.get("occurred_at"))) <= 64 for e in envelopes
            ):
                raise
        # every other check as the correct store makes it (on a stand-in timestamp), then the real bytes
        check_batch("envelope", [dict(e, occurred_at="t") for e in envelopes], self.inner._check)
        ledgers = self.store._ledgers
        checked = [(e["event_id"], ledgers.document(ENVELOPE, e)[1]) for e in envelopes]
        with ledgers.lock:
            return self.inner._append(checked)


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


class CorrelationLike(ExperienceBug):
    """Matches correlation_id with SQL LIKE, where '_' matches any character and case is ignored."""

    rule = "experience.query.correlation"
    query_events = _exact_filter("correlation_id", like)


class EmptyKindsMeansNone(ExperienceBug):
    """Reads empty kinds as 'no kind', matching nothing."""

    rule = "experience.query.kinds"

    def query_events(self, query: Any) -> Any:
        return [] if not query.kinds else self.inner.query_events(query)


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
            if e["event"]["type"] in chain_kinds() and like(query.chain_id, e["event"]["data"].get("chain_id"))
        }
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


class TimeRangeComparesUtf16(ExperienceBug):
    """Compares occurred_at with time_range as UTF-16 code units (a JavaScript or Java string compare), not bytes."""

    rule = "experience.query.time-range-string-order"

    def query_events(self, query: Any) -> Any:
        start, end = _window(query)
        if start is None and end is None:
            return self.inner.query_events(query)

        self.inner.query_events(query)  # schema check

        def units(text: str) -> bytes:
            return text.encode("utf-16-be", "surrogatepass")

        def inside(envelope: Any) -> bool:
            at = units(envelope.occurred_at)
            return (start is None or units(start) <= at) and (end is None or at <= units(end))

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


class TransitionIdCountsTransitions(ExperienceBug):
    """Numbers transition ids by a count of transitions, not by the row's position in the ledger."""

    rule = "experience.transition.fresh-id"

    def write_artifact_state_transition(self, artifact_id: str, kind: Any, event: Any) -> None:
        ledgers = self.store._ledgers  # the bug writes the envelope under an id of its own
        codec = ledgers.codec
        data = {"artifact_id": artifact_id, "artifact_kind": codec.dump(kind), "event": codec.dump(event)}
        with ledgers.lock:
            count = sum(parse_stored(d)["event"]["type"] == "ArtifactStateTransitioned" for d in ledgers.envelopes)
            envelope = {
                "event_id": f"artifact-transition:{count + 1}",
                "occurred_at": format_timestamp(ledgers.clock()),
                "tenant_id": self.inner.tenant,
                "correlation_id": None,
                "event": {"type": "ArtifactStateTransitioned", "data": data},
            }
            self.inner._append([self.inner._check(0, envelope)])


def _transitions(inner: Any) -> list[Any]:
    """Every ArtifactStateTransitioned envelope visible to `inner`, in append order."""
    return list(
        inner.query_events(default_codec().build("converge.EventQuery", {"kinds": ["ArtifactStateTransitioned"]}))
    )


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


class ArtifactsNewestFirst(ExperienceBug):
    """Returns query_artifacts' artifacts newest first."""

    rule = "experience.artifacts.order-limit"

    def query_artifacts(self, query: Any) -> Any:
        return self.inner.query_artifacts(replace(query, limit=None))[::-1][: query.limit]


class ArtifactLimitBeforeFilters(ExperienceBug):
    """Applies query_artifacts' limit to the latest transitions before the artifact id, kind and state filters."""

    rule = "experience.artifacts.order-limit"

    def query_artifacts(self, query: Any) -> Any:
        latest = self.inner.query_artifacts(replace(query, artifact_id=None, kind=None, state=None))
        return [e for e in latest if _artifact_filter(query)(e)]


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


class TraceFromAnyVariant(ExperienceBug):
    """Finds a trace link in any envelope whose data holds trace_link_id and trace_link keys."""

    rule = "experience.trace.missing"

    def get_trace_link(self, trace_link_id: str) -> Any:
        exact = self.inner.get_trace_link(trace_link_id)
        if exact is not None:
            return exact
        for envelope in reversed(stored(self.inner)):
            data = envelope["event"]["data"]
            if isinstance(data, dict) and data.get("trace_link_id") == trace_link_id and "trace_link" in data:
                return default_codec().build("converge.ReplayTrace", data["trace_link"])
        return None


BUGS: tuple[type[Bug], ...] = (
    AcceptsConflicts,
    ReappendComparesText,
    HalfBatches,
    BatchesInterleave,
    ColonRefusedInIds,
    IdsUnder256Bytes,
    OccurredAtMustBeTimestamp,
    OccurredAtCountsCharacters,
    NewestFirst,
    SortedByOccurredAt,
    LimitBeforeFilter,
    LimitZeroMeansAll,
    NegativeLimitAccepted,
    AnyFilterMatches,
    TenantCaseInsensitive,
    TenantLike,
    CorrelationLike,
    EmptyKindsMeansNone,
    ForgetsHypothesisChain,
    ChainIdLike,
    ExclusiveTimeEnd,
    TimeRangeAsInstants,
    TimeRangeComparesUtf16,
    TransitionsNotQueryable,
    RepeatedTransitionIgnored,
    TransitionIdCountsTransitions,
    FirstTransitionWins,
    StateFilterOnFromState,
    ArtifactIdLike,
    ArtifactsNewestFirst,
    ArtifactLimitBeforeFilters,
    NegativeArtifactLimitAccepted,
    FirstTraceWins,
    TraceLinkCaseInsensitive,
    TraceFromAnyVariant,
)
"""The experience ledger's bugs (tenant views: `tenancy`; document values: `documents`)."""
