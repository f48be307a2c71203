"""converge's experience ledger on any backend: `ExperienceStore`, optionally scoped to one tenant."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..clock import Clock, format_timestamp
from ..errors import ConflictError, InvalidInputError, InvalidQueryError
from . import stored
from .chain import Row
from .database import Database
from .documents import Checked, Documents, Given, check_batch
from .envelope_rules import check_envelope
from .ledgers import ARTIFACT_INDEX, EXPERIENCE, TIME_INDEX, U63, WINDOW_INDEXES, Running, kind_text
from .protocols import Envelope

if TYPE_CHECKING:
    from ledgerspec.models import converge

ENVELOPE = str(EXPERIENCE.type_name)
TRANSITION_PREFIX = "artifact-transition:"
"""Event ids the store assigns to the transitions it records: `artifact-transition:<seq>`, or
`artifact-transition:<seq>:<n>` with the first `n` free when a caller appended that id itself."""
_LOOKUP_CHUNK = 500
_EVENT_ID = EXPERIENCE.names.index("event_id")


class ExperienceLedger:
    """The experience ledger of one database. With `tenant` set, a view that reads and writes
    only that tenant's envelopes, whatever query or envelope it is given."""

    def __init__(self, database: Database, documents: Documents, clock: Clock, tenant: str | None = None) -> None:
        self._db = database
        self._documents = documents
        self._clock = clock
        self.tenant = tenant

    # -- writing ----------------------------------------------------------------------------

    def check(self, given: Given) -> Row:
        """The row of an envelope checked against the contract, the id rules and this view's
        tenant (no database is read: bulk loads check in another process)."""
        document = self._check(given)
        return document.row(EXPERIENCE)

    def _check(self, given: Envelope) -> Checked:
        document = self._documents.check(ENVELOPE, given)
        check_envelope(document.value)
        if self.tenant is not None and document.value.get("tenant_id") != self.tenant:
            raise InvalidInputError(
                f"tenant_id is {document.value.get('tenant_id')!r}; this store is scoped to tenant {self.tenant!r}"
            )
        return document

    def append_event(self, envelope: Envelope) -> None:
        self.append_events([envelope])

    def append_events(self, envelopes: Sequence[Envelope]) -> int:
        """See `ExperienceStore.append_events`; returns how many envelopes were new (the others
        were already stored with the same bytes)."""
        rows = check_batch("envelope", envelopes, lambda _, given: self.check(given))
        return self.load(rows)

    def load(self, rows: Sequence[Row]) -> int:
        """Append checked envelopes (see `check`) in one transaction; returns how many were new."""
        return self._db.transact(EXPERIENCE, lambda: self._append(rows))

    def _append(self, rows: Sequence[Row]) -> int:
        """Insert the rows not stored yet; an id stored with other bytes is a conflict."""
        ids = [row.columns[_EVENT_ID] for row in rows]
        known = self._stored_hashes(ids)
        fresh: list[Row] = []
        for index, (event_id, row) in enumerate(zip(ids, rows, strict=True)):
            digest = known.get(event_id)
            if digest is None:
                known[event_id] = row.digest
                fresh.append(row)
            elif digest != row.digest:
                raise ConflictError(
                    f"event_id {event_id!r} is already stored with different content; the ledger keeps the first"
                ).located(f"envelope {index}", index)
        self._db.append_rows(EXPERIENCE, fresh)
        return len(fresh)

    def _stored_hashes(self, ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.read(
                f"SELECT seq, event_id, hash FROM {EXPERIENCE.table} WHERE event_id IN ({marks})", chunk
            )
            found.update(
                (self._db.text(event_id), stored.bytes_of(digest, EXPERIENCE.table, seq, "hash"))
                for seq, event_id, digest in rows
            )
        return found

    def write_artifact_state_transition(
        self, artifact_id: str, kind: converge.ArtifactKind, event: converge.LifecycleEvent
    ) -> None:
        codec = self._documents.codec
        data = {"artifact_id": artifact_id, "artifact_kind": codec.dump(kind), "event": codec.dump(event)}

        def record() -> None:
            position = self._db.last_position(EXPERIENCE) + 1
            event_id, taken = f"{TRANSITION_PREFIX}{position}", 0
            while self._stored_hashes([event_id]):  # a caller appended that id: the next suffix is fresh
                taken += 1
                event_id = f"{TRANSITION_PREFIX}{position}:{taken}"
            envelope = {
                "event_id": event_id,
                "occurred_at": format_timestamp(self._clock()),
                "tenant_id": self.tenant,
                "correlation_id": None,
                "event": {"type": "ArtifactStateTransitioned", "data": data},
            }
            self._append([self.check(envelope)])

        self._db.transact(EXPERIENCE, record)

    # -- reading ----------------------------------------------------------------------------

    def _envelopes(self, sql: str, params: Sequence[Any]) -> list[converge.ExperienceEventEnvelope]:
        """The envelopes of a query selecting `document, seq`, each checked (see `stored`)."""
        codec = self._documents.codec
        return [stored.model(codec, ENVELOPE, data, EXPERIENCE.table, seq) for data, seq in self._db.read(sql, params)]

    def _tenant_clause(self, requested: str | None) -> tuple[list[str], list[Any]] | None:
        """The tenant condition of a query; None when the view's tenant excludes every row."""
        if self.tenant is not None and requested is not None and requested != self.tenant:
            return None
        tenant = self.tenant if self.tenant is not None else requested
        return (["tenant_id = ?"], [tenant]) if tenant is not None else ([], [])

    def _checked(self, type_name: str, query: Any) -> dict[str, Any]:
        codec = self._documents.codec
        if not isinstance(query, codec.types[type_name]):
            raise InvalidQueryError(f"expected a {type_name}, got {type(query).__name__}")
        value: dict[str, Any] = codec.dump(query)
        issues = codec.validator.issues(type_name, value)
        if issues:
            detail = "; ".join(f"{issue.path or '/'}: {issue.message}" for issue in issues)
            raise InvalidQueryError(f"invalid {type_name}: {detail}")
        return value

    def query_events(self, query: converge.EventQuery) -> list[converge.ExperienceEventEnvelope]:
        sql, params = self.event_sql(query)
        return [] if sql is None else self._envelopes(sql, params)

    def _scoped(self, type_name: str, query: Any) -> tuple[dict[str, Any], list[str], list[Any]] | None:
        """A checked query with the tenant condition it starts from, or None when it can match
        nothing (it names another tenant than the view's, or its limit is 0)."""
        value = self._checked(type_name, query)
        tenant = self._tenant_clause(value.get("tenant_id"))
        if tenant is None or value.get("limit") == 0:
            return None
        return value, *tenant

    def query_documents(self, query: converge.EventQuery) -> list[bytes]:
        """The stored documents (canonical bytes, unknown keys and all) `query_events` would
        return, without building models: the fast path for readers that want JSON."""
        sql, params = self.event_sql(query)
        if sql is None:
            return []
        return [self._document(data, seq) for data, seq in self._db.read(sql, params)]

    def _document(self, data: Any, seq: int) -> bytes:
        """A matched row's stored bytes, checked to be an envelope (never hand out a row that is not)."""
        return stored.document_of(self._documents.codec, ENVELOPE, data, EXPERIENCE.table, seq)

    def stream(self, query: converge.EventQuery, shown: bool = False) -> Iterator[Found]:
        """The envelopes `query_events` would return, one at a time from one consistent view of
        the ledger (the database connection is held until the iteration ends), each as its
        stored bytes and, with `shown`, the `SHOWN` columns of its row: a reader of a million
        matches needs the memory of one."""
        columns = SHOWN if shown else ()
        sql, params = self.event_sql(query, columns)
        if sql is None:
            return
        text = self._db.text
        with self._db.snapshot() as rows:
            for data, seq, *values in rows(sql, params):
                found = {name: text(value) for name, value in zip(columns, values, strict=True)}
                yield Found(self._document(data, seq), found)

    def event_sql(self, query: converge.EventQuery, columns: Sequence[str] = ()) -> tuple[str | None, list[Any]]:
        """The SQL of an EventQuery, selecting `document`, `seq` and `columns` in append order
        (None when it can match nothing), for `query_events` and for `EXPLAIN QUERY PLAN` checks."""
        scoped = self._scoped("converge.EventQuery", query)
        if scoped is None:
            return None, []
        value, clauses, params = scoped
        tenant = bool(clauses)
        for column in ("correlation_id", "chain_id"):
            if value.get(column) is not None:
                clauses.append(f"{column} = ?")
                params.append(value[column])
        small = len(clauses) > tenant  # a correlation or chain: its index holds a few rows
        window = value.get("time_range") or {}
        for bound, operator in (("start", ">="), ("end", "<=")):
            if window.get(bound) is not None:
                clauses.append(f"occurred_at {operator} ?")
                params.append(window[bound])
        kinds = list(dict.fromkeys(value.get("kinds") or ()))
        limit = value.get("limit")
        windowed = len(clauses) > tenant and not small
        if windowed and self._db.indexes_hold_order:
            leading = "tenant_id" if tenant else None
            return self._window_sql(clauses, params, kinds, leading, limit, columns, window.get("start"))
        if kinds:
            # One ordered index walk per kind, merged by seq (SQLite merges the arms of a
            # compound SELECT that each come in order), so a limit stops every walk early.
            arms = [_select([*clauses, "kind = ?"], EXPERIENCE.table, columns) for _ in kinds]
            sql = " UNION ALL ".join(arms)
            params = [param for kind in kinds for param in (*params, kind)]
            return _limited(f"{sql} ORDER BY seq", params, limit)
        # With only a time window a planner would rather walk the whole table in seq order than
        # sort the window's rows; the window is the smaller set, so its index is asked for.
        only_time = windowed and not tenant
        sql = _select(clauses, self._db.source(EXPERIENCE, TIME_INDEX) if only_time else EXPERIENCE.table, columns)
        order = self._db.sorted_order("seq") if only_time else "seq"
        return _limited(f"{sql} ORDER BY {order}", params, limit)

    def _window_sql(
        self,
        clauses: list[str],
        params: list[Any],
        kinds: list[str],
        leading: str | None,
        limit: int | None,
        columns: Sequence[str],
        start: str | None,
    ) -> tuple[str, list[Any]]:
        """The SQL of a query with a time window and no correlation or chain filter (whose
        indexes hold a few rows each), on a database whose index entries hold their row's seq
        (`Database.indexes_hold_order`). A planner would rather walk a seq-ordered index and test
        the window on each row, which in a ledger appended in time order reads every row before
        the window; instead the window's range of the index led by the tenant, else the kind
        (`WINDOW_INDEXES`), gives the seqs of the matching rows (which the index holds: no row is
        read but to test a kind the index lacks), sorted and cut at the limit, and only those
        rows are read. Where the database keeps the running maximum of `occurred_at`, a limited
        query first walks in seq order from the first row that can match (`_walked`)."""
        if kinds:  # `=` for one kind: SQLite reads `IN` through a list even of one
            clauses = [*clauses, "kind = ?" if len(kinds) == 1 else f"kind IN ({', '.join('?' * len(kinds))})"]
            params = [*params, *kinds]
        where = " AND ".join(clauses)
        source = self._db.source(EXPERIENCE, WINDOW_INDEXES[leading or ("kind" if kinds else None)])
        matches = f"SELECT seq FROM {source} WHERE {where} ORDER BY {self._db.sorted_order('seq')}"
        running = EXPERIENCE.running
        if limit is None or running is None or not self._db.keeps_running:
            inner, params = _limited(matches, params, limit)
            return f"{_select([f'seq IN ({inner})'], EXPERIENCE.table, columns)} ORDER BY seq", params
        return _walked(running, where, params, matches, min(limit, U63), columns, start)

    def get_trace_link(self, trace_link_id: str) -> converge.ReplayTrace | None:
        if not isinstance(trace_link_id, str):
            raise InvalidQueryError(f"trace_link_id must be a string, got {type(trace_link_id).__name__}")
        tenant = self._tenant_clause(None)
        assert tenant is not None
        clauses, params = tenant
        where = " AND ".join(["trace_link_id = ?", *clauses])
        rows = self._db.read(
            f"SELECT document, seq FROM {EXPERIENCE.table} WHERE {where} ORDER BY seq DESC LIMIT 1",
            [trace_link_id, *params],
        )
        if not rows:
            return None
        codec = self._documents.codec
        event = stored.value_of(codec, ENVELOPE, rows[0][0], EXPERIENCE.table, rows[0][1])["event"]
        if event["type"] != "ReplayTraceRecorded":
            problem = f"its trace_link_id column is set, but its document is a {event['type']}"
            raise stored.corrupt(EXPERIENCE.table, rows[0][1], problem)
        return codec.build("converge.ReplayTrace", event["data"]["trace_link"])  # type: ignore[no-any-return]

    def query_artifacts(self, query: converge.ArtifactQuery) -> list[converge.ExperienceEventEnvelope]:
        sql, params = self.artifact_sql(query)
        return [] if sql is None else self._envelopes(sql, params)

    def artifact_sql(self, query: converge.ArtifactQuery) -> tuple[str | None, list[Any]]:
        """The SQL of an ArtifactQuery: the latest transition per (tenant, artifact), filtered."""
        scoped = self._scoped("converge.ArtifactQuery", query)
        if scoped is None:
            return None, []
        value, tenant_clauses, params = scoped
        clauses = ["e.artifact_id IS NOT NULL", *(f"e.{c}" for c in tenant_clauses)]

        # Transitions are a small share of the ledger: walk their partial index, never the table.
        def transitions(alias: str) -> str:
            return self._db.source(EXPERIENCE, ARTIFACT_INDEX, alias)

        if value.get("artifact_id") is not None:
            clauses.append("e.artifact_id = ?")
            params.append(value["artifact_id"])
        clauses.append(
            f"e.seq = (SELECT max(x.seq) FROM {transitions('x')} "
            f"WHERE x.artifact_id = e.artifact_id AND x.tenant_id {self._db.same} e.tenant_id)"
        )
        if value.get("kind") is not None:
            clauses.append("e.artifact_kind = ?")
            params.append(kind_text(value["kind"]))
        if value.get("state") is not None:
            clauses.append("e.artifact_state = ?")
            params.append(value["state"])
        sql = f"SELECT e.document, e.seq FROM {transitions('e')} WHERE {' AND '.join(clauses)} ORDER BY e.seq"
        return _limited(sql, params, value.get("limit"))

    def documents(self) -> Iterator[bytes]:
        """Every stored document (canonical bytes) in this store's scope, in append order."""
        return (data for _, data in self.stored_documents())

    def stored_documents(self) -> Iterator[tuple[int, bytes]]:
        """Every stored document in this store's scope with its position, in append order."""
        tenant = self._tenant_clause(None)
        assert tenant is not None
        clauses, params = tenant
        return self._db.documents(EXPERIENCE, " AND ".join(clauses), params)


SHOWN = ("event_id", "occurred_at", "tenant_id", "correlation_id", "kind", "chain_id")
"""The indexed columns `stream` gives with each envelope (what a listing shows)."""


class Found(NamedTuple):
    """An envelope a query matched: its stored bytes and the `SHOWN` columns of its row (when asked for)."""

    document: bytes
    columns: dict[str, Any]


def _select(clauses: list[str], source: str, columns: Sequence[str]) -> str:
    """One SELECT of the documents, seqs and `columns` of `source` matching every clause."""
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT {', '.join(('document', 'seq', *columns))} FROM {source}{where}"


WALK_ROWS = 16
"""How many positions per row asked for a window's walk reads, from the first row that can
match, before it falls back to sorting the window's matches."""


def _walked(
    running: Running,
    where: str,
    params: list[Any],
    matches: str,
    limit: int,
    columns: Sequence[str],
    start: str | None,
) -> tuple[str, list[Any]]:
    """The SQL of a limited time-window query (`where`) on a table keeping the running maximum
    of `occurred_at` (`ledgers.Running`). No row before the first one whose running maximum
    reaches the window's start can match, and a binary search over seq finds that row in a
    few lookups (the table's first row, without a start). From it the rows are walked in seq
    order, through at most `WALK_ROWS` positions per row asked for: when the walk finds `limit`
    matches they are the first ones. Otherwise (a sparse window, or rows appended far out of
    time order) the window's matches, sorted (`matches`), give them; the walk's count, as that
    query's limit, skips its work when the walk sufficed."""
    table, name = EXPERIENCE.table, running.name
    if start is None:
        first, first_params = f"first(seq) AS (SELECT min(seq) FROM {table})", []
    else:
        probe = f"(SELECT {name} FROM {table} WHERE seq >= (lo + hi) / 2 ORDER BY seq LIMIT 1) >= ?"
        first = (
            f"probe(lo, hi) AS (SELECT (SELECT min(seq) FROM {table}), (SELECT max(seq) FROM {table}) + 1 UNION ALL "
            f"SELECT CASE WHEN {probe} THEN lo ELSE (lo + hi) / 2 + 1 END, "
            f"CASE WHEN {probe} THEN (lo + hi) / 2 ELSE hi END "
            "FROM probe WHERE lo < hi), first(seq) AS (SELECT lo FROM probe WHERE lo >= hi)"
        )
        first_params = [start, start]
    walk = (
        f"walk(seq) AS (SELECT seq FROM {table} WHERE seq >= (SELECT seq FROM first) "
        f"AND seq < (SELECT seq FROM first) + ? AND {where} ORDER BY seq LIMIT ?)"
    )
    sorted_rest = f"SELECT seq FROM ({matches} LIMIT CASE WHEN (SELECT count(*) FROM walk) < ? THEN ? ELSE 0 END)"
    found = f"seq IN (SELECT seq FROM walk UNION ALL {sorted_rest})"
    sql = f"WITH RECURSIVE {first}, {walk} {_select([found], table, columns)} ORDER BY seq LIMIT ?"
    steps = min(limit * WALK_ROWS, U63)
    return sql, [*first_params, steps, *params, limit, *params, limit, limit, limit]


def _limited(sql: str, params: list[Any], limit: int | None) -> tuple[str, list[Any]]:
    """The query with its `limit` applied (usize values beyond SQLite's range mean no limit)."""
    if limit is None:
        return sql, params
    return f"{sql} LIMIT ?", [*params, min(limit, U63)]
