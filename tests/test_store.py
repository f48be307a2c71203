"""The reference SQLite store against the store rules of docs/stores.md (docs/design.md, section 5)
and the upstream store semantics they extend: one test per rule."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_documents import RUN, envelope, journal_record, lifecycle, run_event, trace

from ledgerspec import ValidationError
from ledgerspec.errors import (
    ConcurrencyError,
    ConflictError,
    CorruptionError,
    InvalidInputError,
    InvalidQueryError,
    NotFoundError,
)
from ledgerspec.models import converge
from ledgerspec.store import ArtifactStore, ExperienceStore, JournalStore, RunEventStore, SqliteStore, experience
from ledgerspec.store.experience import ExperienceLedger
from ledgerspec.store.ledgers import EXPERIENCE, WINDOW_INDEXES
from ledgerspec.store.memory import MemoryStore

Q = converge.EventQuery
K = converge.ExperienceEventKind


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    fixed = datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC)
    with SqliteStore(tmp_path / "ledger.db", clock=lambda: fixed) as opened:
        yield opened


def ids(envelopes: list[converge.ExperienceEventEnvelope]) -> list[str]:
    return [e.event_id for e in envelopes]


def test_sqlite_store_implements_the_four_protocols(store: SqliteStore) -> None:
    assert isinstance(store.experience, ExperienceStore)
    assert isinstance(store.for_tenant("t"), ExperienceStore)
    assert isinstance(store.runs, RunEventStore)
    assert isinstance(store.artifacts, ArtifactStore)
    assert isinstance(store.journal, JournalStore)


# -- experience: appends ----------------------------------------------------------------------


def test_unknown_keys_survive_in_the_stored_canonical_bytes(store: SqliteStore) -> None:
    doc = envelope("e1") | {"zz_future": {"b": 1, "a": [1.5, "x"]}}
    store.experience.append_event(doc)
    (stored,) = list(store.experience.documents())
    # RFC 8785 by hand: keys sorted, no whitespace, 1.5 as ECMAScript prints it.
    assert stored.endswith(b',"tenant_id":"tenant-a","zz_future":{"a":[1.5,"x"],"b":1}}')
    assert stored.startswith(b'{"correlation_id":"corr-1","event":{"data":{"chain_id":"chain-1",')


def test_same_id_same_content_is_a_no_op_and_different_content_a_conflict(store: SqliteStore) -> None:
    store.experience.append_event(envelope("e1"))
    store.experience.append_event(envelope("e1"))
    reordered = dict(reversed(list(envelope("e1").items())))  # same canonical bytes
    store.experience.append_events([reordered, envelope("e2")])
    assert ids(store.experience.query_events(Q(kinds=[]))) == ["e1", "e2"]
    with pytest.raises(ConflictError, match="event_id 'e1'") as caught:
        store.experience.append_events([envelope("e3"), envelope("e1", at="2026-01-21T12:00:01Z")])
    assert caught.value.code == "conflict" and caught.value.where == "envelope 1"
    assert ids(store.experience.query_events(Q(kinds=[]))) == ["e1", "e2"]


def test_a_model_and_its_json_object_store_the_same_bytes(store: SqliteStore, codec) -> None:
    model = codec.load("converge.ExperienceEventEnvelope", envelope("e1"))
    store.experience.append_event(model)
    store.experience.append_event(envelope("e1"))  # no conflict: the same canonical document


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("event_id", "", "event_id must not be empty"),
        ("event_id", "has space", "'has space' has ' ' at offset 3"),
        ("event_id", "x" * 257, "257 bytes long; at most 256"),
        ("tenant_id", "tenant/a", "tenant_id 'tenant/a' has '/'"),
        ("correlation_id", "é", "correlation_id 'é' has 'é'"),
        ("occurred_at", "", "occurred_at must not be empty"),
        ("occurred_at", "9" * 65, "occurred_at is 65 bytes long; at most 64"),
    ],
)
def test_envelope_id_rules(store: SqliteStore, field: str, value: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        store.experience.append_event(envelope("e1") | {field: value})
    assert caught.value.code == "invalid_input"
    assert list(store.experience.documents()) == []


def test_ids_allow_the_colon_of_formation_ids_and_256_bytes(store: SqliteStore) -> None:
    store.experience.append_event(envelope("formation:corr-2:0"))
    store.experience.append_event(envelope("a" * 256, tenant="T.a_b-c:1"))
    assert len(list(store.experience.documents())) == 2


def test_schema_invalid_envelope_reports_the_pointer(store: SqliteStore) -> None:
    bad = envelope("e1")
    bad["event"]["data"]["resource"] = "Bananas"
    with pytest.raises(ValidationError) as caught:
        store.experience.append_events([envelope("e0"), bad])
    assert caught.value.where == "envelope 1"
    assert [issue.path for issue in caught.value.issues] == ["/event/data/resource"]
    assert list(store.experience.documents()) == []


def test_strict_store_rejects_unknown_keys(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "strict.db", strict=True) as strict:
        with pytest.raises(ValidationError, match="zz"):
            strict.experience.append_event(envelope("e1") | {"zz": 1})
        strict.experience.append_event(envelope("e1"))


@pytest.mark.parametrize("literal", ["1.0", "-0.0", "1e16", "1.0e+16", "2E3"])
@pytest.mark.parametrize("given", ["value", "text"])
def test_float_literal_in_an_integer_position_is_refused(store: SqliteStore, literal: str, given: str) -> None:
    """serde reads no float literal into an integer, whatever its spelling (as a Python value:
    whatever float it makes), beside floats elsewhere in the document or not."""
    doc = envelope("e1", "HypothesisResolved")
    doc["event"]["data"]["formed_cycle"] = 0
    text = json.dumps(doc).replace('"formed_cycle": 0', f'"formed_cycle": {literal}')
    with pytest.raises(ValidationError, match="formed_cycle"):
        if given == "value":
            store.experience.append_event(json.loads(text))
        else:
            list(store.load([text]))
    assert store.counts()["experience_events"] == 0


def test_not_a_document(store: SqliteStore) -> None:
    with pytest.raises(InvalidInputError, match="got list"):
        store.experience.append_event([1, 2])  # type: ignore[arg-type]


# -- experience: queries ----------------------------------------------------------------------


WIDE = converge.TimeRange(start="2026-01-01T00:00:00Z", end="m")
"""A window holding every event of `populated` (`lamport:7` included: "l" < "m")."""


@pytest.fixture
def populated(store: SqliteStore) -> SqliteStore:
    store.experience.append_events(
        [
            envelope("e1", "BudgetExceeded", tenant="a", correlation="c1", chain="ch1", at="2026-01-01T00:00:00Z"),
            envelope("e2", "HypothesisResolved", tenant="b", correlation="c1", chain="ch1", at="2026-01-02T00:00:00Z"),
            envelope("e3", "OutcomeRecorded", tenant="a", correlation="c2", chain="ch2", at="2026-01-03T00:00:00Z"),
            envelope("e4", "FactPromoted", tenant=None, correlation=None, at="2026-01-04T00:00:00Z"),
            envelope("e5", "ProposalValidated", tenant="a", correlation="c1", chain="ch1", at="2026-01-02T00:00:00Z"),
            envelope("e6", "BackendInvoked", tenant="a", correlation="c1", at="lamport:7"),
        ]
    )
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Q(kinds=[]), ["e1", "e2", "e3", "e4", "e5", "e6"]),  # append order, not time order
        (Q(kinds=[], tenant_id="a"), ["e1", "e3", "e5", "e6"]),
        (Q(kinds=[], tenant_id="A"), []),  # exact, case-sensitive
        (Q(kinds=[], correlation_id="c1"), ["e1", "e2", "e5", "e6"]),
        (Q(kinds=[K.BudgetExceeded, K.OutcomeRecorded]), ["e1", "e3"]),
        (Q(kinds=[K.GateDecisionRecorded]), []),
        # HypothesisResolved carries a chain_id: upstream forgets it, docs/stores.md does not.
        (Q(kinds=[], chain_id="ch1"), ["e1", "e2", "e5"]),
        (
            Q(kinds=[], time_range=converge.TimeRange(start="2026-01-02T00:00:00Z", end="2026-01-02T00:00:00Z")),
            ["e2", "e5"],
        ),
        (
            Q(kinds=[], time_range=converge.TimeRange(start="2026-01-03T00:00:00Z")),
            ["e3", "e4", "e6"],
        ),  # strings: "l" > "2"
        (Q(kinds=[], time_range=converge.TimeRange(end="2026-01-01T00:00:00Z")), ["e1"]),
        (Q(kinds=[], time_range=converge.TimeRange()), ["e1", "e2", "e3", "e4", "e5", "e6"]),
        (Q(kinds=[], tenant_id="a", correlation_id="c1", chain_id="ch1"), ["e1", "e5"]),
        (Q(kinds=[], limit=2, tenant_id="a"), ["e1", "e3"]),  # limit after filtering
        (Q(kinds=[], limit=0), []),
        (Q(kinds=[], limit=2**64 - 1), ["e1", "e2", "e3", "e4", "e5", "e6"]),
        # A window's matches come in append order, cut at the limit after filtering, however
        # their times run (e5 is older than e3 and e4, e6's time sorts after every date).
        (Q(kinds=[], limit=2, time_range=converge.TimeRange(start="2026-01-02T00:00:00Z")), ["e2", "e3"]),
        (Q(kinds=[], limit=3, time_range=converge.TimeRange(start="2026-01-02T00:00:00Z")), ["e2", "e3", "e4"]),
        (Q(kinds=[], limit=1, time_range=converge.TimeRange(end="2026-01-02T00:00:00Z")), ["e1"]),
        (
            Q(kinds=[K.ProposalValidated, K.BackendInvoked, K.OutcomeRecorded], limit=2, time_range=WIDE),
            ["e3", "e5"],
        ),
        (Q(kinds=[K.BackendInvoked, K.ProposalValidated], tenant_id="a", time_range=WIDE), ["e5", "e6"]),
        (Q(kinds=[], tenant_id="a", limit=3, time_range=WIDE), ["e1", "e3", "e5"]),
        (Q(kinds=[], tenant_id="b", time_range=converge.TimeRange(start="2026-01-03T00:00:00Z")), []),
    ],
)
def test_query_filters(populated: SqliteStore, query: converge.EventQuery, expected: list[str]) -> None:
    assert ids(populated.experience.query_events(query)) == expected


def test_query_returns_models_equal_to_what_was_appended(populated: SqliteStore, codec) -> None:
    (found,) = populated.experience.query_events(Q(kinds=[K.HypothesisResolved]))
    want = envelope("e2", "HypothesisResolved", tenant="b", correlation="c1", chain="ch1", at="2026-01-02T00:00:00Z")
    assert found == codec.load("converge.ExperienceEventEnvelope", want)


def test_invalid_query_is_invalid_query(store: SqliteStore) -> None:
    with pytest.raises(InvalidQueryError, match="limit"):
        store.experience.query_events(Q(kinds=[], limit=-1))
    with pytest.raises(InvalidQueryError, match="expected a converge.EventQuery"):
        store.experience.query_events({"kinds": []})  # type: ignore[arg-type]


def test_tenant_view_cannot_read_or_write_other_tenants(populated: SqliteStore) -> None:
    view = populated.for_tenant("a")
    assert ids(view.query_events(Q(kinds=[]))) == ["e1", "e3", "e5", "e6"]
    assert ids(view.query_events(Q(kinds=[], tenant_id="b"))) == []
    assert ids(view.query_events(Q(kinds=[], correlation_id="c1"))) == ["e1", "e5", "e6"]
    for tenant in ("b", None):
        with pytest.raises(InvalidInputError, match="scoped to tenant 'a'"):
            view.append_event(envelope("x1", tenant=tenant))
    view.append_event(envelope("x2", tenant="a"))
    assert ids(populated.for_tenant("b").query_events(Q(kinds=[]))) == ["e2"]
    with pytest.raises(InvalidInputError):
        populated.for_tenant("bad tenant")


def test_trace_links_return_the_latest_trace(store: SqliteStore, codec) -> None:
    first = envelope("t1", "ReplayTraceRecorded")
    second = envelope("t2", "ReplayTraceRecorded", tenant="b")
    second["event"]["data"]["trace_link"] = trace("wire-local")
    store.experience.append_events([first, second])
    latest = store.experience.get_trace_link("trace-1")
    assert latest == codec.load("converge.ReplayTrace", second["event"]["data"]["trace_link"])
    assert store.for_tenant("tenant-a").get_trace_link("trace-1") == codec.load(
        "converge.ReplayTrace", first["event"]["data"]["trace_link"]
    )
    assert store.experience.get_trace_link("trace-unknown") is None
    assert store.for_tenant("c").get_trace_link("trace-1") is None


def test_artifact_transitions_and_current_state(store: SqliteStore, codec) -> None:
    kind = codec.load("converge.ArtifactKind", "Adapter")
    other = codec.load("converge.ArtifactKind", {"Other": "lora"})
    exp = store.experience
    exp.write_artifact_state_transition("adapter-7", kind, codec.load("converge.LifecycleEvent", lifecycle("Approved")))
    exp.write_artifact_state_transition("lora-1", other, codec.load("converge.LifecycleEvent", lifecycle("Active")))
    exp.write_artifact_state_transition("adapter-7", kind, codec.load("converge.LifecycleEvent", lifecycle("Active")))
    store.for_tenant("t2").write_artifact_state_transition(
        "adapter-7", kind, codec.load("converge.LifecycleEvent", lifecycle("Quarantined"))
    )
    transitions = exp.query_events(Q(kinds=[K.ArtifactStateTransitioned]))
    assert ids(transitions) == [f"artifact-transition:{n}" for n in (1, 2, 3, 4)]
    assert transitions[0].occurred_at == "2026-11-22T10:00:00.123Z"  # the injected clock
    assert transitions[3].tenant_id == "t2" and transitions[0].tenant_id is None

    def current(**filters: object) -> list[tuple[str, str | None, str]]:
        found = exp.query_artifacts(converge.ArtifactQuery(**filters))
        return [(e.event.data.artifact_id, e.tenant_id, e.event.data.event.to_state.value) for e in found]

    assert current() == [("lora-1", None, "Active"), ("adapter-7", None, "Active"), ("adapter-7", "t2", "Quarantined")]
    assert current(state=converge.GovernedArtifactState.Active) == [
        ("lora-1", None, "Active"),
        ("adapter-7", None, "Active"),
    ]
    assert current(kind=other) == [("lora-1", None, "Active")]
    assert current(artifact_id="adapter-7", tenant_id="t2") == [("adapter-7", "t2", "Quarantined")]
    assert current(limit=1) == [("lora-1", None, "Active")]
    assert store.for_tenant("t2").query_artifacts(converge.ArtifactQuery()) == exp.query_artifacts(
        converge.ArtifactQuery(tenant_id="t2")
    )


QUERY_SHAPES = [
    {"tenant_id": "a"},
    {"correlation_id": "c"},
    {"chain_id": "ch"},
    {"kinds": ["OutcomeRecorded"]},
    {"kinds": ["OutcomeRecorded", "BudgetExceeded"]},
    {"time_range": {"start": "2026", "end": "2027"}},
    {"time_range": {"start": "2026"}},
    {"tenant_id": "a", "kinds": ["OutcomeRecorded"]},
    {"tenant_id": "a", "time_range": {"start": "2026", "end": "2027"}},
    {"tenant_id": "a", "correlation_id": "c", "chain_id": "ch", "kinds": ["OutcomeRecorded"]},
]


@pytest.mark.parametrize("shape", QUERY_SHAPES, ids=lambda s: "+".join(s))
@pytest.mark.parametrize("scoped", [False, True], ids=["store", "tenant-view"])
def test_every_query_shape_uses_an_index(populated: SqliteStore, codec, shape: dict, scoped: bool) -> None:
    exp: ExperienceLedger = populated.for_tenant("a") if scoped else populated.experience
    query = codec.load("converge.EventQuery", {"kinds": [], **shape, "limit": 10})
    sql, params = exp.event_sql(query)
    assert sql is not None
    plan = [row[3] for row in populated.database.read(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [step for step in plan if step.startswith(f"SCAN {EXPERIENCE.table}")], plan


WINDOW = {"time_range": {"start": "2026", "end": "2027"}}
WINDOW_SHAPES = [
    (WINDOW, None),
    ({"time_range": {"start": "2026"}}, None),
    ({"kinds": ["OutcomeRecorded"], **WINDOW}, "kind"),
    ({"kinds": ["OutcomeRecorded", "BudgetExceeded"], **WINDOW}, "kind"),
    ({"tenant_id": "a", **WINDOW}, "tenant_id"),
    ({"tenant_id": "a", "kinds": ["OutcomeRecorded"], **WINDOW}, "tenant_id"),
]


@pytest.mark.parametrize(("shape", "leading"), WINDOW_SHAPES, ids=["+".join(shape) for shape, _ in WINDOW_SHAPES])
@pytest.mark.parametrize("scoped", [False, True], ids=["store", "tenant-view"])
def test_a_time_window_is_walked_from_its_first_possible_row_then_read_from_its_index(
    populated: SqliteStore, codec, shape: dict, leading: str | None, scoped: bool
) -> None:
    """The plan the window queries' latency rests on. A binary search over seq finds the first
    row whose running maximum of `occurred_at` reaches the window's start (rowid lookups); the
    walk from there reads a bounded range of seqs, through the tenant's (or one kind's) seq
    index or the table itself; and when it falls short, the window's matches come from the
    index led by the tenant (a tenant view's included), else the kind, else the time index,
    whose entries hold their seqs, and only those seqs are sorted. No step scans the table."""
    exp: ExperienceLedger = populated.for_tenant("a") if scoped else populated.experience
    query = codec.load("converge.EventQuery", {"kinds": [], **shape, "limit": 10})
    sql, params = exp.event_sql(query)
    assert sql is not None
    plan = [row[3] for row in populated.database.read(f"EXPLAIN QUERY PLAN {sql}", params)]
    leading = "tenant_id" if scoped else leading
    table, index = EXPERIENCE.table, WINDOW_INDEXES[leading]
    walks = [f"{table} USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"]
    if leading is not None or shape.get("kinds") == ["OutcomeRecorded"]:
        walks.append(f"{table} USING INDEX idx_{table}_{leading or 'kind'}")
    reads = [step.removeprefix("SEARCH ") for step in plan if step.startswith(f"SEARCH {table} USING")]
    assert reads[0] == f"{table} USING INTEGER PRIMARY KEY (rowid=?)", plan  # the rows found, by seq
    assert reads[1].startswith(tuple(walks)) and "seq>? AND seq<?" in reads[1] or reads[1] == walks[0], plan
    assert reads[2:4] == [f"{table} USING INTEGER PRIMARY KEY (rowid>?)"] * 2, plan  # the search's steps
    assert reads[4].split(" (")[0].endswith(f"INDEX {index}"), plan  # the window's matches
    assert plan[plan.index(f"SEARCH {reads[4]}") + 1] == "USE TEMP B-TREE FOR ORDER BY", plan
    assert not [step for step in plan if step.startswith(f"SCAN {table}")], plan


_TIMES = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00.5Z", "2026-01-03T00:00:00Z", "lamport:7"]
_BOUNDS = st.sampled_from(["2026-01-02T00:00:00Z", "2026-01-02T00:00:00.5Z", "2026-01-03", "m"])
_KINDS = ["BudgetExceeded", "OutcomeRecorded", "FactPromoted"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(_KINDS), st.sampled_from(["a", "b", None]), st.sampled_from(_TIMES)),
        min_size=8,
        max_size=30,
    ),
    kinds=st.sampled_from([[], [], _KINDS[:1], _KINDS[:2]]),
    tenant=st.sampled_from([None, None, "a"]),
    view=st.sampled_from([None, None, "a"]),
    start=st.none() | _BOUNDS,
    end=st.none() | _BOUNDS,
    limit=st.sampled_from([None, 0, 1, 2, 3, 5]),
    cuts=st.lists(st.integers(1, 29), max_size=3),
    walk=st.sampled_from([1, 2, experience.WALK_ROWS]),
)
def test_window_queries_match_the_memory_store(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str | None, str]],
    kinds: list[str],
    tenant: str | None,
    view: str | None,
    start: str | None,
    end: str | None,
    limit: int | None,
    cuts: list[int],
    walk: int,
) -> None:
    """Whatever order the times run in, a query's answer is the memory store's (a filter over
    the envelopes in append order, cut at the limit): the window plans read the right rows,
    whether the walk from the first possible row finds them or the sorted window does (a
    shorter walk falls back more often), and the running maximum they start from carries
    across appends."""
    envelopes = [
        envelope(f"e{n}", kind, tenant=owner, correlation=None, at=at) for n, (kind, owner, at) in enumerate(rows)
    ]
    batches = [envelopes[a:b] for a, b in itertools.pairwise([0, *sorted(cuts), len(envelopes)])]
    query = Q(kinds=kinds, tenant_id=tenant, limit=limit, time_range=converge.TimeRange(start=start, end=end))
    answers = []
    with (
        SqliteStore(tmp_path_factory.mktemp("window") / "ledger.db") as sqlite,
        patch.object(experience, "WALK_ROWS", walk),
    ):
        for store in (sqlite, MemoryStore()):
            for batch in batches:
                store.experience.append_events(batch)
            view_of = store.experience if view is None else store.for_tenant(view)
            answers.append(ids(view_of.query_events(query)))
        assert sqlite.verify().ok
    assert answers[0] == answers[1]


@pytest.mark.parametrize("shape", [{"artifact_id": "x"}, {"state": "Active"}, {"tenant_id": "t"}, {}])
def test_artifact_queries_use_an_index(populated: SqliteStore, codec, shape: dict) -> None:
    sql, params = populated.experience.artifact_sql(codec.load("converge.ArtifactQuery", shape))
    assert sql is not None
    plan = [row[3] for row in populated.database.read(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert all("USING" in step for step in plan if step.startswith(("SCAN", "SEARCH"))), plan


# -- mfm runs ---------------------------------------------------------------------------------


def test_run_heads_appends_and_ranges(store: SqliteStore, codec) -> None:
    runs = store.runs
    assert runs.head_seq(RUN) == 0
    assert runs.append(RUN, 0, [run_event(1)]) == 1
    assert [e.seq for e in runs.read_range(RUN, 1)] == [1]
    assert runs.append(RUN, 1, [run_event(2), run_event(3)]) == 3
    assert runs.append(RUN, 3, []) == 3
    assert [e.seq for e in runs.read_range(RUN, 2, 2)] == [2]
    assert [e.seq for e in runs.read_range(RUN, 0)] == [1, 2, 3]  # from clamped to 1
    assert runs.read_range(RUN, 3, 2) == []
    assert runs.read_range("0f8fad5b-d9cb-469f-a165-70867728950e", 1) == []
    assert runs.read_range(RUN, 1)[0] == codec.load("mfm.EventEnvelope", run_event(1))
    # Every form serde reads names the same run.
    assert runs.head_seq(RUN.upper()) == 3
    assert runs.head_seq("urn:uuid:" + RUN) == 3
    assert runs.head_seq(RUN.replace("-", "")) == 3


def test_run_append_rules(store: SqliteStore) -> None:
    runs = store.runs
    runs.append(RUN, 0, [run_event(1)])
    with pytest.raises(ConcurrencyError, match="head seq is 1, not the expected 0") as stale:
        runs.append(RUN, 0, [run_event(1)])
    assert stale.value.code == "concurrency"
    with pytest.raises(ConcurrencyError):
        runs.append(RUN, 0, [])
    with pytest.raises(InvalidInputError, match="seq is 3; expected 2") as gap:
        runs.append(RUN, 1, [run_event(3)])
    assert gap.value.where == "event 0"
    other = "0f8fad5b-d9cb-469f-a165-70867728950e"
    with pytest.raises(InvalidInputError, match="this append is for run") as wrong:
        runs.append(RUN, 1, [run_event(2), run_event(3, run=other)])
    assert wrong.value.where == "event 1"
    with pytest.raises(InvalidInputError, match="not a UUID"):
        runs.head_seq("not-a-uuid")
    with pytest.raises(InvalidInputError, match="expected_seq"):
        runs.append(RUN, -1, [])
    assert runs.head_seq(RUN) == 1


def test_run_event_in_another_uuid_form_is_the_same_run(store: SqliteStore) -> None:
    store.runs.append(RUN.upper(), 0, [run_event(1, run="{" + RUN + "}")])
    assert store.runs.head_seq(RUN) == 1


# -- mfm artifacts ----------------------------------------------------------------------------


def test_artifacts_are_content_addressed(store: SqliteStore, codec) -> None:
    arts = store.artifacts
    hello = arts.put(codec.load("mfm.ArtifactKind", "Output"), b"hello")
    # The reference's vector (hashing.rs): sha256(b"hello").
    assert hello == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert arts.put(codec.load("mfm.ArtifactKind", {"Other": "x"}), b"hello") == hello
    assert arts.get(hello) == b"hello" and arts.exists(hello)
    zeros = "0" * 64
    assert not arts.exists(zeros)
    with pytest.raises(NotFoundError) as missing:
        arts.get(zeros)
    assert missing.value.code == "not_found"
    assert store.stats()["rows"]["artifacts"] == 1


def test_artifact_bytes_are_reverified_on_get(store: SqliteStore, codec) -> None:
    artifact = store.artifacts.put(codec.load("mfm.ArtifactKind", "Output"), b"hello")
    raw = sqlite3.connect(store.path)
    raw.execute("DROP TRIGGER artifacts_no_update")
    raw.execute("UPDATE artifacts SET document = ? WHERE artifact_id = ?", (b"jello", artifact))
    raw.commit()
    with pytest.raises(CorruptionError, match="no longer hash") as caught:
        store.artifacts.get(artifact)
    assert caught.value.code == "corruption"
    assert hashlib.sha256(b"jello").hexdigest() != artifact


# -- agent-sdk journal ------------------------------------------------------------------------


def test_journal_sequence_and_cursors(store: SqliteStore, codec) -> None:
    journal = store.journal
    assert journal.append(journal_record(1)) == "journal.1"
    assert journal.append(journal_record(2)) == "journal.2"
    assert journal.append(journal_record(1, run="run.other")) == "journal.1"
    with pytest.raises(ConcurrencyError, match="journal_seq 2 is already written; the next is 3"):
        journal.append(journal_record(2, record_id="journal.record.new"))
    with pytest.raises(InvalidInputError, match="journal_seq 5 leaves a gap; the next is 3"):
        journal.append(journal_record(5))
    assert [r.journal_seq for r in journal.read("run.journal.1")] == [1, 2]
    assert [r.journal_seq for r in journal.read("run.journal.1", 2, 2)] == [2]
    assert journal.read("run.journal.1", 1)[0] == codec.load("agentsdk.JournalRecord", journal_record(1))


def test_journal_dedupes_by_record_id_and_keys(store: SqliteStore) -> None:
    journal = store.journal
    journal.append(journal_record(1, idempotency_key="idem.1"))
    journal.append(journal_record(2, dedupe_key="dedupe.2"))
    assert journal.append(journal_record(1, idempotency_key="idem.1")) == "journal.1"  # exact retry
    assert journal.append(journal_record(3, record_id="journal.record.x", idempotency_key="idem.1")) == "journal.1"
    assert journal.append(journal_record(3, record_id="journal.record.y", dedupe_key="dedupe.2")) == "journal.2"
    with pytest.raises(ConflictError, match="record_id 'journal.record.1'"):
        journal.append(journal_record(3, record_id="journal.record.1"))
    assert [r.record_id for r in journal.read("run.journal.1")] == ["journal.record.1", "journal.record.2"]
    assert journal.append(journal_record(3)) == "journal.3"


def test_journal_schema_version_other_than_1_is_refused(store: SqliteStore) -> None:
    with pytest.raises(InvalidInputError, match="journal_schema_version is 2"):
        store.journal.append(journal_record(1, journal_schema_version=2))


def test_journal_batch_is_all_or_nothing(store: SqliteStore) -> None:
    with pytest.raises(InvalidInputError) as caught:
        store.journal.append_all([journal_record(1), journal_record(2), journal_record(4)])
    assert caught.value.where == "record 2"
    assert store.journal.read("run.journal.1") == []


# -- the file ---------------------------------------------------------------------------------


def test_verify_reports_rows_and_heads(store: SqliteStore, codec) -> None:
    store.experience.append_events([envelope("e1"), envelope("e2")])
    store.runs.append(RUN, 0, [run_event(1)])
    store.artifacts.put(codec.load("mfm.ArtifactKind", "Output"), b"x")
    store.journal.append(journal_record(1))
    report = store.verify()
    assert report.ok
    assert {t.table: t.rows for t in report.tables} == {
        "experience_events": 2,
        "run_events": 1,
        "artifacts": 1,
        "journal_records": 1,
    }
    # The head of a one-row chain is sha256(32 zero bytes + sha256(document)), computed here by hand.
    (document,) = list(store.runs.documents())
    head = hashlib.sha256(bytes(32) + hashlib.sha256(document).digest()).hexdigest()
    assert next(t for t in report.tables if t.table == "run_events").head == head


def test_ledger_tables_are_append_only_in_the_database(store: SqliteStore) -> None:
    store.experience.append_event(envelope("e1"))
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE experience_events SET tenant_id = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM experience_events")


def test_export_is_every_document_in_order(store: SqliteStore) -> None:
    store.journal.append(journal_record(1))
    store.runs.append(RUN, 0, [run_event(1)])
    store.experience.append_events([envelope("e2"), envelope("e1")])
    exported = list(store.export())
    assert [d.split(b'"event_id":"')[1][:2] for d in exported[:2]] == [b"e2", b"e1"]
    assert b'"seq":1' in exported[2] and b'"journal_seq":1' in exported[3]
    assert len(exported) == 4


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    with SqliteStore(path) as first:
        first.experience.append_event(envelope("e1"))
    with SqliteStore(path) as second:
        assert ids(second.experience.query_events(Q(kinds=[]))) == ["e1"]
        assert second.verify().ok


def test_run_appends_to_several_runs_are_one_transaction(store: SqliteStore) -> None:
    other = "0f8fad5b-d9cb-469f-a165-70867728950e"
    runs = store.runs
    assert runs.append_all([(RUN, 0, [run_event(1), run_event(2)]), (other, 0, [run_event(1, run=other)])]) == [2, 1]
    with pytest.raises(ConcurrencyError):
        runs.append_all([(RUN, 2, [run_event(3)]), (other, 0, [run_event(1, run=other)])])
    with pytest.raises(InvalidInputError) as caught:
        runs.append_all([(RUN, 2, [run_event(3)]), (other, 1, [run_event(2, run=other), run_event(4, run=other)])])
    assert (caught.value.where, caught.value.index) == ("append 1, event 1", 2)
    assert (runs.head_seq(RUN), runs.head_seq(other)) == (2, 1)


def test_experience_batches_say_how_many_were_new_and_which_failed(store: SqliteStore) -> None:
    assert store.experience.append_events([envelope("e1"), envelope("e2")]) == 2
    assert store.experience.append_events([envelope("e2"), envelope("e3"), envelope("e3")]) == 1
    with pytest.raises(InvalidInputError) as caught:
        store.experience.append_events([envelope("e4"), envelope("e5"), envelope("bad id")])
    assert caught.value.index == 2 and caught.value.as_dict()["where"] == "envelope 2"
    assert store.counts()["experience_events"] == 3


def test_query_documents_returns_the_stored_bytes(store: SqliteStore) -> None:
    store.experience.append_events([envelope("e1") | {"zz": [1]}, envelope("e2", "FactPromoted")])
    found = store.experience.query_documents(Q(kinds=[K.FactPromoted, K.BudgetExceeded]))
    assert found == list(store.experience.documents())
    assert found[0].endswith(b',"tenant_id":"tenant-a","zz":[1]}')
