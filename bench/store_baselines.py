"""The baselines of the store benchmark: a raw sqlite3 table shaped exactly like ledgerspec's
`experience_events`, and eventsourcing's `SQLiteApplicationRecorder`."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from ledgerspec.store import SqliteStore
from ledgerspec.store.ledgers import EXPERIENCE, TAIL
from ledgerspec.store.sqlite.database import CACHE_KIB

PLACEHOLDER = bytes(32)
"""What the raw table stores in `hash` and `chain` (NOT NULL there): rows as wide as ledgerspec's."""

COLUMNS = (*EXPERIENCE.names, *TAIL)
INSERT = f"INSERT INTO {EXPERIENCE.table} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def compact(envelope: Any) -> bytes:
    """The JSON bytes both baselines store: `json.dumps`, compact, UTF-8."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


@cache
def experience_schema(triggers: bool = False) -> tuple[str, ...]:
    """CREATE TABLE and CREATE INDEX statements of `experience_events`, read from the sqlite_master
    of a freshly created ledgerspec file (with its append-only triggers if asked for), so the
    baseline cannot drift."""
    kinds = ("table", "index", "trigger") if triggers else ("table", "index")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schema.db"
        SqliteStore(path).close()
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(
                f"SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ({', '.join('?' * len(kinds))}) "
                "AND sql IS NOT NULL ORDER BY type = 'trigger', type DESC, rowid",
                (EXPERIENCE.table, *kinds),
            ).fetchall()
        finally:
            conn.close()
    return tuple(sql for (sql,) in rows)


def index_count() -> int:
    """How many indexes `experience_events` has."""
    return sum(1 for sql in experience_schema() if sql.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")))


def raw_row(envelope: dict[str, Any]) -> tuple[Any, ...]:
    """The row of one envelope: the metadata columns pulled by hand, the JSON text, placeholders."""
    event = envelope["event"]
    kind, data = event["type"], event["data"]
    trace = data.get("trace_link_id") if kind == "ReplayTraceRecorded" else None
    artifact = artifact_kind = state = None
    if kind == "ArtifactStateTransitioned":
        artifact, state = data["artifact_id"], data["event"]["to_state"]
        artifact_kind = json.dumps(data["artifact_kind"], separators=(",", ":"), sort_keys=True)
    return (
        envelope["event_id"],
        kind,
        envelope.get("tenant_id"),
        envelope.get("correlation_id"),
        data.get("chain_id"),
        envelope["occurred_at"],
        trace,
        artifact,
        artifact_kind,
        state,
        compact(envelope),
        PLACEHOLDER,
        PLACEHOLDER,
    )


class RawTable:
    """A sqlite3 file holding ledgerspec's experience table and indexes (and its append-only
    triggers, if asked for), written with `executemany`."""

    def __init__(self, path: Path, synchronous: str, triggers: bool = False) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # the store's page cache
        self.conn.execute("PRAGMA temp_store=MEMORY")  # the store's statement journals
        for statement in experience_schema(triggers):
            self.conn.execute(statement)

    def append(self, batch: Sequence[dict[str, Any]]) -> None:
        """One transaction per batch, like ledgerspec's."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(INSERT, [raw_row(envelope) for envelope in batch])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()


Appender = Callable[[Path, Sequence[Any], int, str], float]


def raw_appender(triggers: bool = False) -> Appender:
    """Appends to a `RawTable`: the SQL work alone, or with the append-only triggers every
    ledgerspec table carries (the floor of `append_events`: the checks left out)."""
    experience_schema(triggers)  # outside the timed passes

    def run(path: Path, docs: Sequence[Any], batch: int, synchronous: str) -> float:
        table = RawTable(path, synchronous, triggers)
        try:
            chunks = [docs[start : start + batch] for start in range(0, len(docs), batch)]
            start = time.perf_counter()
            for chunk in chunks:
                table.append(chunk)
            return time.perf_counter() - start
        finally:
            table.close()

    return run


SYNCHRONOUS = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}


def eventsourcing_appender(docs: Sequence[dict[str, Any]]) -> Appender:
    """Inserts through `SQLiteApplicationRecorder`: originator = one UUID per correlation id, its
    version counting that correlation's events. Ids and versions are the application's own state
    (computed once); the timed part builds each `StoredEvent` (JSON included) and inserts."""
    versions: dict[str, int] = {}
    identities: dict[int, tuple[uuid.UUID, int]] = {}
    for envelope in docs:
        correlation = envelope.get("correlation_id") or envelope["event_id"]
        version = versions[correlation] = versions.get(correlation, 0) + 1
        identities[id(envelope)] = (uuid.uuid5(uuid.NAMESPACE_URL, correlation), version)

    def run(path: Path, items: Sequence[Any], batch: int, synchronous: str) -> float:
        datastore = SQLiteDatastore(db_name=str(path))
        pool = datastore.pool
        create = pool._create_connection

        def connect() -> Any:  # the recorder has no synchronous option: set it on each new connection
            connection = create()
            connection._sqlite_conn.execute(f"PRAGMA synchronous={synchronous}")
            return connection

        pool._create_connection = connect  # type: ignore[method-assign]
        try:
            recorder = SQLiteApplicationRecorder(datastore)
            recorder.create_table()
            chunks = [items[start : start + batch] for start in range(0, len(items), batch)]
            start = time.perf_counter()
            for chunk in chunks:
                recorder.insert_events(
                    [
                        StoredEvent(
                            originator_id=identities[id(envelope)][0],
                            originator_version=identities[id(envelope)][1],
                            topic=envelope["event"]["type"],
                            state=compact(envelope),
                        )
                        for envelope in chunk
                    ]
                )
            elapsed = time.perf_counter() - start
            with datastore.get_connection(commit=False) as connection:
                (level,) = connection._sqlite_conn.execute("PRAGMA synchronous").fetchone()
            if level != SYNCHRONOUS[synchronous]:
                raise RuntimeError(f"eventsourcing ran with synchronous={level}, not {synchronous}")
            return elapsed
        finally:
            datastore.close()

    return run
