"""PostgreSQL store benchmarks: append throughput of `PostgresStore` with concurrent writers against
raw psycopg COPY and executemany into the same table and against `SqliteStore`, and query latency
of every EventQuery filter combination on a large ledger next to SqliteStore's.

1. Append: for each batch size and writer count, every side appends the same envelopes (split
   evenly between the writers) into a fresh schema (a fresh file for SQLite). Writers are
   separate processes, each with its own store or connection, released together by a barrier;
   the rate is all envelopes over the time from the first writer's start to the last one's end.
   - PostgresStore: `experience.append_events(batch)` (validate, RFC 8785, SHA-256 + chain,
     duplicate-id lookup, lock of the ledger's `ledger_heads` row, COPY) in one transaction;
   - COPY / executemany: raw psycopg into `experience_events` of a schema the store created (same
     DDL: columns, 10 indexes, triggers but the insert-time head check), rows built once up front
     with the store's own bytes
     (canonical document, hash, chain, UTF-8 bytea columns, seq assigned); nothing is validated,
     hashed or locked, one transaction per batch;
   - SqliteStore: `experience.append_events(batch)`, every writer its own SqliteStore on one
     shared file in WAL mode with `synchronous=NORMAL`.
   After one warm-up pass per side the sides alternate pass by pass (`--repeat`); the table gives
   each side's best rate and the median of the per-pass ratios.
2. Query: one ledger of N events (`bench.store`'s query corpus) loaded by PostgresStore and by
   SqliteStore in batches of 10,000, `ANALYZE` on PostgreSQL; then for each of the 32 subsets of
   the EventQuery filters, K queries (`limit=100`, values drawn from stored events) through
   `query_documents` on both stores, alternating; p50/p95/max, PostgreSQL's plan, and
   `EXPLAIN (ANALYZE, BUFFERS)` of the slowest query of every combination whose p95 exceeds 5 ms.

Needs a server: `--url` or $LEDGERSPEC_PG_URL (`.ci/postgres start DIR` starts a throwaway one).
The benchmark creates schemas named `ledgerspec_bench_*` in that database and drops them after.

Usage: python -m bench.postgres [--url URL] [--writers 1,4,16] [--batches 1,100,10000] [--repeat R]
                                [--events N] [--queries K] [--combination-seconds S] [--skip-append]
                                [--skip-query] [--quick] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import multiprocessing
import os
import queue
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import psycopg
    from psycopg import sql

    from ledgerspec.store.postgres import PostgresStore, Target
except ImportError as exc:  # pragma: no cover - depends on the environment
    sys.exit(f"bench.postgres needs psycopg: pip install 'ledgerspec[postgres]' ({exc})")

from ledgerspec.canonical import jcs
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore
from ledgerspec.store.chain import GENESIS, link
from ledgerspec.store.ledgers import EXPERIENCE

from .corpus import envelopes
from .store import (
    BUILD_BATCH,
    FILTERS,
    QUERY_LIMIT,
    TIME_FORMAT,
    WARM_QUERIES,
    Anchor,
    batched,
    machine,
    make_query,
    percentile,
    query_corpus,
    remove,
)

SIDES = ("PostgresStore", "COPY", "executemany", "SqliteStore")
STORES = ("PostgresStore", "SqliteStore")
SCHEMA_PREFIX = "ledgerspec_bench_"
TABLE = EXPERIENCE.table
ROW_COLUMNS = (EXPERIENCE.order, *EXPERIENCE.names, "document", "hash", "chain")
COPY_SQL = f"COPY {TABLE} ({', '.join(ROW_COLUMNS)}) FROM STDIN"
INSERT_SQL = f"INSERT INTO {TABLE} ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ROW_COLUMNS))})"
SLOW_MS = 5.0
"""Combinations whose PostgreSQL p95 exceeds this get an EXPLAIN (ANALYZE, BUFFERS)."""
SETTINGS = (
    "server_version",
    "synchronous_commit",
    "fsync",
    "full_page_writes",
    "wal_level",
    "wal_compression",
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "max_wal_size",
    "checkpoint_timeout",
    "random_page_cost",
    "jit",
    "plan_cache_mode",
    "autovacuum",
)
BARRIER_SECONDS = 300.0
PASS_SECONDS = 3600.0


def cell_size(batch: int, quick: bool) -> int:
    """Envelopes per append cell before rounding to whole batches per writer."""
    if batch == 1:
        return 200 if quick else 2_000
    return max(2_000 if quick else 20_000, 4 * batch)


# -- the server ---------------------------------------------------------------------------------


@dataclass
class Server:
    """The database the benchmark runs against, and the schemas it created there."""

    url: str
    target: Target
    created: list[str] = field(default_factory=list)
    can_checkpoint: bool = True
    serial: Iterator[int] = field(default_factory=itertools.count)

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.target.conninfo, autocommit=True, connect_timeout=10)

    def settings(self) -> dict[str, str]:
        with self.connect() as conn:
            return {name: str(conn.execute(f"SHOW {name}").fetchone()[0]) for name in SETTINGS}  # type: ignore[index]

    def new_schema(self) -> str:
        """A fresh schema holding the store's tables (created by opening a PostgresStore on it)."""
        name = f"{SCHEMA_PREFIX}{os.getpid()}_{next(self.serial)}"
        self.created.append(name)
        PostgresStore(self.url, schema=name, pool_size=1).close()
        return name

    def drop(self, schema: str) -> None:
        with self.connect() as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        if schema in self.created:
            self.created.remove(schema)

    def drop_all(self) -> None:
        for schema in list(self.created):
            try:
                self.drop(schema)
            except psycopg.Error as exc:
                print(f"could not drop schema {schema}: {exc}", file=sys.stderr)

    def checkpoint(self) -> None:
        """Flush the server's dirty pages, so a pass does not pay for the one before it."""
        if not self.can_checkpoint:
            return
        try:
            with self.connect() as conn:
                conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            self.can_checkpoint = False

    def count(self, schema: str) -> int:
        with self.connect() as conn:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(TABLE))
            return int(conn.execute(query).fetchone()[0])  # type: ignore[index]


# -- 1. append throughput -----------------------------------------------------------------------


def raw_rows(docs: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows PostgresStore would write for `docs` appended in order: seq, the metadata columns as
    UTF-8 bytes, the canonical document, its SHA-256 and the chain value."""
    rows, previous = [], GENESIS
    for seq, doc in enumerate(docs, start=1):
        data = jcs(doc)
        digest = hashlib.sha256(data).digest()
        previous = link(previous, digest)
        columns = (v.encode() if isinstance(v, str) else v for v in EXPERIENCE.derive(doc))
        rows.append((seq, *columns, data, digest, previous))
    return rows


@dataclass(frozen=True)
class Pass:
    """One timed pass: a side, a batch size and a writer count, on a fresh schema or file."""

    side: str
    batch: int
    writers: int
    per_writer: int

    @property
    def total(self) -> int:
        return self.writers * self.per_writer


class Writer:
    """One writer process's side: opens its store or connection, appends chunks, closes."""

    def __init__(self, side: str, server: Server, schema: str, path: Path) -> None:
        self.side = side
        self.closers: list[Callable[[], None]] = []
        if side in ("PostgresStore", "SqliteStore"):
            store: PostgresStore | SqliteStore
            if side == "PostgresStore":
                store = PostgresStore(server.url, schema=schema, pool_size=1)
                backend: Any = store.database
            else:
                store = SqliteStore(path, synchronous="NORMAL")
                backend = store.database
            self.closers.append(store.close)
            self.append: Callable[[Any], Any] = store.experience.append_events
            # the same first read on every side: the table and its event_id index are loaded
            backend.read(f"SELECT seq FROM {TABLE} WHERE event_id = ?", ["warm-up"])
        else:
            conn = server.connect()
            self.closers.append(conn.close)
            conn.execute("SELECT set_config('search_path', %s, false)", [schema])
            conn.execute(f"SELECT seq FROM {TABLE} WHERE event_id = %s", [b"warm-up"])
            # Raw writers assign seqs up front and never lock `ledger_heads`, so the store's check
            # of inserted rows against the head (its only insert-time trigger) is off for them.
            conn.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_extends_head")
            cursor = conn.cursor()

            def copy(rows: Sequence[tuple[Any, ...]]) -> None:
                with conn.transaction(), cursor.copy(COPY_SQL) as stream:
                    for row in rows:
                        stream.write_row(row)

            def executemany(rows: Sequence[tuple[Any, ...]]) -> None:
                with conn.transaction():
                    cursor.executemany(INSERT_SQL, rows)

            self.append = copy if side == "COPY" else executemany

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def write(
    run: Pass,
    server: Server,
    schema: str,
    path: Path,
    chunks: Sequence[Sequence[Any]],
    barrier: Any,
    results: Any,
) -> None:
    """A writer process: open, wait for the others, append every chunk, report (start, end)."""
    writer = None
    try:
        writer = Writer(run.side, server, schema, path)
        append = writer.append
        barrier.wait(BARRIER_SECONDS)
        start = time.perf_counter()
        for chunk in chunks:
            append(chunk)
        results.put((start, time.perf_counter()))
    except BaseException:
        barrier.abort()
        results.put(traceback.format_exc())
    finally:
        if writer is not None:
            writer.close()


def run_pass(run: Pass, server: Server, tmp: Path, docs: Sequence[Any], rows: Sequence[Any]) -> float:
    """Envelopes per second of one pass, over the wall time of all its writers."""
    items = docs if run.side in STORES else rows
    schema, path = "", tmp / f"append-{next(server.serial)}.db"
    if run.side == "SqliteStore":
        SqliteStore(path, synchronous="NORMAL").close()
    else:
        schema = server.new_schema()
    try:
        server.checkpoint()
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(run.writers), context.Queue()
        processes = []
        for w in range(run.writers):
            mine = items[w * run.per_writer : (w + 1) * run.per_writer]
            chunks = batched(mine, run.batch)
            processes.append(
                context.Process(target=write, args=(run, server, schema, path, chunks, barrier, results), daemon=True)
            )
        for process in processes:
            process.start()
        spans = collect(results, processes)
        for process in processes:
            process.join()
        stored = server.count(schema) if schema else sqlite_count(path)
        if stored != run.total:
            raise RuntimeError(f"{run}: {stored} rows stored, {run.total} appended")
        return run.total / (max(end for _, end in spans) - min(start for start, _ in spans))
    finally:
        if schema:
            server.drop(schema)
        remove(path)


def collect(results: Any, processes: Sequence[Any]) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    deadline = time.monotonic() + PASS_SECONDS
    while len(spans) < len(processes):
        try:
            got = results.get(timeout=1.0)
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                for process in processes:
                    process.kill()
                raise RuntimeError(f"a writer died (exit codes {dead}) or the pass timed out") from None
            continue
        if isinstance(got, str):
            failures = [got]
            with suppress(queue.Empty):  # the other writers' reports: one is the cause, the rest broken barriers
                while len(failures) < len(processes):
                    failures.append(results.get(timeout=2.0))
            for process in processes:
                process.kill()
            cause = [f for f in failures if isinstance(f, str) and "BrokenBarrierError" not in f] or failures
            raise RuntimeError(f"a writer failed:\n{cause[0]}")
        spans.append(got)
    return spans


def sqlite_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])
    finally:
        conn.close()


@dataclass
class Cell:
    batch: int
    writers: int
    total: int
    rates: dict[str, list[float]]

    def best(self, side: str) -> float:
        return max(self.rates[side])

    def ratio(self, other: str, side: str = "PostgresStore") -> float:
        return statistics.median(a / b for a, b in zip(self.rates[side], self.rates[other], strict=True))


def compile_validators(tmp: Path) -> None:
    """Compile the validators and codec hooks once, before the writers are forked (they inherit them)."""
    path = tmp / "warm-up.db"
    with SqliteStore(path, synchronous="NORMAL") as scratch:
        scratch.experience.append_events(envelopes(100, seed=99))
    remove(path)


def append_section(
    server: Server, tmp: Path, batches: Sequence[int], writers: Sequence[int], repeat: int, quick: bool
) -> list[Cell]:
    plans = []
    for batch in batches:
        for count in writers:
            per_writer = -(-cell_size(batch, quick) // count // batch) * batch
            plans.append((batch, count, per_writer))
    need = max(count * per_writer for _, count, per_writer in plans)
    began = time.perf_counter()
    docs = envelopes(need)
    rows = raw_rows(docs)
    prepared = time.perf_counter() - began
    compile_validators(tmp)
    size = sum(len(row[-3]) for row in rows) / len(rows)
    warm = 200 if quick else 1_000

    print("## Append throughput\n")
    print(
        f"Envelopes from `bench.corpus.envelopes` ({need:,} generated; {size:.0f} bytes canonical JSON on average; "
        f"the raw rows built from them once up front in {prepared:.1f} s), the same ones for every side. "
        "Each writer is a process with its own store or connection, released by a barrier; a writer appends its "
        "share (the cell's envelopes split evenly, whole batches each, so a cell holds at least writers x batch "
        "envelopes) batch by batch, one transaction per batch. Rate = all envelopes / (last writer's end - first "
        "writer's start). Every pass on a fresh schema (fresh file for SQLite), after a `CHECKPOINT`; one warm-up "
        f"pass per side ({warm:,} envelopes, batch 100, 1 writer), then {repeat} alternating pass(es) per side "
        "and cell. Rates are the best pass; ratios the median of per-pass ratios.\n"
    )
    print(
        "- PostgresStore: `PostgresStore.experience.append_events(batch)`: validation, RFC 8785, SHA-256 + chain, "
        "duplicate-id lookup, lock of the experience row of `ledger_heads`, text COPY (small batches: one INSERT), "
        "the insert trigger's check of every row (position, SHA-256, chain, envelope columns) and head update\n"
        f"- COPY: psycopg `cursor.copy(COPY {TABLE} (...) FROM STDIN)` + `write_row` (text format, as the store "
        f"does), into `{TABLE}` of a schema the store created (its own DDL: same columns, 10 indexes, "
        "triggers but the insert-time head check), "
        "rows prebuilt with the store's bytes (bytea UTF-8 columns, canonical document, hash, chain, seq); no "
        "validation, no hashing, no head lock\n"
        "- executemany: psycopg `cursor.executemany(INSERT ...)` (pipeline mode) of the same rows into the same "
        "table\n"
        "- SqliteStore: `SqliteStore.experience.append_events(batch)`, every writer its own SqliteStore on one "
        "shared file (WAL, `synchronous=NORMAL`, busy timeout 30 s)\n"
        "\nWriters of one ledger queue on its `ledger_heads` row in PostgresStore (the hash chain needs one order; "
        "SQLite's write lock does the same), so more writers can only overlap the work done before the lock "
        "(validation, canonical JSON, hashing) and the commit's fsync with other writers' work; "
        "the raw sides take no lock and their seqs are assigned up front.\n"
    )
    for side in SIDES:
        run_pass(Pass(side, 100, 1, warm), server, tmp, docs, rows)
    header = (
        "| batch | writers | envelopes | PostgresStore (env/s) | COPY (env/s) | executemany (env/s) "
        "| SqliteStore (env/s) | PostgresStore / COPY | PostgresStore / executemany | PostgresStore / SqliteStore |"
    )
    print(header)
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    cells = []
    for batch, count, per_writer in plans:
        rates: dict[str, list[float]] = {side: [] for side in SIDES}
        for turn in range(repeat):
            order = SIDES[turn % len(SIDES) :] + SIDES[: turn % len(SIDES)]
            for side in order:
                rates[side].append(run_pass(Pass(side, batch, count, per_writer), server, tmp, docs, rows))
        cell = Cell(batch, count, count * per_writer, rates)
        cells.append(cell)
        print(
            f"| {batch:,} | {count} | {cell.total:,} | "
            + " | ".join(f"{cell.best(side):,.0f}" for side in SIDES)
            + f" | {cell.ratio('COPY'):.2f}x | {cell.ratio('executemany'):.2f}x | {cell.ratio('SqliteStore'):.2f}x |",
            flush=True,
        )
    print()
    scaling(cells, writers)
    return cells


def scaling(cells: Sequence[Cell], writers: Sequence[int]) -> None:
    """Each side's best rate with W writers over its rate with the fewest writers."""
    base = min(writers)
    others = [w for w in writers if w != base]
    if not others:
        return
    print(f"Scaling with writers (best rate with W writers / with {base}):\n")
    print("| batch | " + " | ".join(f"{side} {w}/{base}" for side in SIDES for w in others) + " |")
    print("|---:|" + "---:|" * (len(SIDES) * len(others)))
    by = {(c.batch, c.writers): c for c in cells}
    for batch in dict.fromkeys(c.batch for c in cells):
        first = by[(batch, base)]
        values = [by[(batch, w)].best(side) / first.best(side) for side in SIDES for w in others]
        print(f"| {batch:,} | " + " | ".join(f"{v:.2f}x" for v in values) + " |")
    print()


# -- 2. query latency ---------------------------------------------------------------------------


def load(
    pg: PostgresStore, lite: SqliteStore, count: int
) -> tuple[dict[str, float], dict[str, tuple[float, float]], int]:
    """Append `count` query-corpus events to both stores in batches, alternating; total seconds of
    each store, each store's rate over the first and the last tenth, and the batches."""
    spent: dict[str, list[float]] = {side: [] for side in STORES}
    sizes = []
    stores = {"PostgresStore": pg, "SqliteStore": lite}
    for number, batch in enumerate(query_corpus(count, BUILD_BATCH)):
        sizes.append(len(batch))
        for side in STORES if number % 2 else reversed(STORES):
            start = time.perf_counter()
            stores[side].experience.append_events(batch)
            spent[side].append(time.perf_counter() - start)
    tenth = max(1, len(sizes) // 10)

    def rate(times: list[float], part: slice) -> float:
        return sum(sizes[part]) / sum(times[part])

    growth = {side: (rate(t, slice(None, tenth)), rate(t, slice(-tenth, None))) for side, t in spent.items()}
    return {side: sum(t) for side, t in spent.items()}, growth, len(sizes)


def pg_anchors(pg: PostgresStore, count: int, wanted: int, rng: Any) -> list[Anchor]:
    database = pg.database
    found = []
    for seq in rng.sample(range(1, count + 1), min(count, wanted)):
        row = database.one(
            f"SELECT kind, tenant_id, correlation_id, chain_id, occurred_at FROM {TABLE} WHERE seq = ?", [seq]
        )
        assert row is not None
        found.append(Anchor(*(database.text(value) for value in row)))
    return found


def plan_shape(node: dict[str, Any]) -> str:
    """A one-line outline of a JSON plan: node types and index names."""
    name = node["Node Type"]
    if "Index Name" in node:
        name += " " + node["Index Name"].removeprefix(f"{TABLE}_")
    elif node["Node Type"] == "Seq Scan":
        name = "**Seq Scan**"
    children = [plan_shape(child) for child in node.get("Plans", [])]
    if not children:
        return name
    if len(children) == 1:
        return f"{name} > {children[0]}"
    if len(set(children)) == 1:
        return f"{name} > {len(children)}x {children[0]}"
    return f"{name} > [{'; '.join(children)}]"


@dataclass
class Latency:
    filters: tuple[str, ...]
    plan: str
    ms: dict[str, list[float]]
    rows: list[int]
    slowest: tuple[float, converge.EventQuery | None] = (0.0, None)

    @property
    def name(self) -> str:
        return " + ".join(self.filters) or "(none)"

    def p(self, side: str, fraction: float) -> float:
        return percentile(self.ms[side], fraction)

    def row(self) -> str:
        cells = [f"{self.p(side, 0.5):.3f} / {self.p(side, 0.95):.3f} / {max(self.ms[side]):.3f}" for side in STORES]
        ratio = self.p("PostgresStore", 0.95) / self.p("SqliteStore", 0.95)
        return (
            f"| {self.name} | {self.plan} | {len(self.rows)} | {statistics.mean(self.rows):.1f} "
            f"| {cells[0]} | {cells[1]} | {ratio:.1f}x |"
        )


def measure(
    pg: PostgresStore,
    lite: SqliteStore,
    filters: tuple[str, ...],
    queries: Sequence[converge.EventQuery],
    budget: float,
) -> Latency:
    """Each query on both stores through `query_documents`, in alternating order, after WARM_QUERIES
    untimed ones; stop once `budget` seconds are spent, keeping at least 20 timed queries."""
    sql_text, params = pg.experience.event_sql(queries[0])
    assert sql_text is not None
    ((plan,),) = pg.database.read(f"EXPLAIN (FORMAT JSON) {sql_text}", params)
    result = Latency(filters, plan_shape((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]), {}, [])
    result.ms = {side: [] for side in STORES}
    ledgers = {"PostgresStore": pg.experience, "SqliteStore": lite.experience}
    deadline = time.perf_counter() + budget
    for index, query in enumerate(queries):
        got = {}
        for side in STORES if index % 2 else reversed(STORES):
            start = time.perf_counter()
            found = ledgers[side].query_documents(query)
            got[side] = (time.perf_counter() - start) * 1e3, len(found)
        if got["PostgresStore"][1] != got["SqliteStore"][1]:
            counts = {side: n for side, (_, n) in got.items()}
            raise RuntimeError(f"{query}: the stores returned different row counts {counts}")
        if index < WARM_QUERIES:
            continue
        for side in STORES:
            result.ms[side].append(got[side][0])
        result.rows.append(got["PostgresStore"][1])
        if got["PostgresStore"][0] > result.slowest[0]:
            result.slowest = (got["PostgresStore"][0], query)
        if len(result.rows) >= 20 and time.perf_counter() > deadline:
            break
    return result


def round_trips(pg: PostgresStore, lite: SqliteStore, count: int = 200) -> dict[str, list[float]]:
    """Milliseconds of `SELECT 1` through each store's backend, alternating, after 20 untimed."""
    backends = {"PostgresStore": pg.database, "SqliteStore": lite.database}
    ms: dict[str, list[float]] = {side: [] for side in STORES}
    for index in range(count + 20):
        for side in STORES if index % 2 else reversed(STORES):
            start = time.perf_counter()
            backends[side].read("SELECT 1")
            if index >= 20:
                ms[side].append((time.perf_counter() - start) * 1e3)
    return ms


def explain(pg: PostgresStore, query: converge.EventQuery) -> str:
    sql_text, params = pg.experience.event_sql(query)
    assert sql_text is not None
    rows = pg.database.read(f"EXPLAIN (ANALYZE, BUFFERS) {sql_text}", params)
    return "\n".join(str(row[0]) for row in rows)


def query_section(server: Server, tmp: Path, count: int, queries: int, budget: float) -> list[Latency]:
    print("## Query latency\n", flush=True)
    compile_validators(tmp)
    schema = server.new_schema()
    path = tmp / "query.db"
    pg = PostgresStore(server.url, schema=schema, pool_size=2)
    lite = SqliteStore(path, synchronous="NORMAL")
    results = []
    try:
        began = time.perf_counter()
        spent, growth, loads = load(pg, lite, count)
        wall = time.perf_counter() - began
        start = time.perf_counter()
        with server.connect() as conn:
            conn.execute(sql.SQL("ANALYZE {}.{}").format(sql.Identifier(schema), sql.Identifier(TABLE)))
            size = conn.execute("SELECT pg_total_relation_size(%s::regclass)", [f"{schema}.{TABLE}"]).fetchone()[0]  # type: ignore[index]
        analyzed = time.perf_counter() - start
        file_size = sum(Path(f"{path}{x}").stat().st_size for x in ("", "-wal") if Path(f"{path}{x}").exists())
        print(
            f"{count:,} events of `bench.store`'s query corpus (about 50 tenants, correlation ids of 100 events, "
            "interleaved chains of 50, 14 kinds, one event a second) appended to a PostgresStore and a "
            f"SqliteStore (`synchronous=NORMAL`) in {loads:,} batches of {BUILD_BATCH:,}, the two alternating "
            f"({wall:.0f} s wall in all):\n"
        )
        print("| store | append_events total (s) | env/s | env/s, first tenth | env/s, last tenth | size (MiB) |")
        print("|---|---:|---:|---:|---:|---:|")
        for side, bytes_ in (("PostgresStore", size), ("SqliteStore", file_size)):
            first, last = growth[side]
            print(
                f"| {side} | {spent[side]:.1f} | {count / spent[side]:,.0f} | {first:,.0f} | {last:,.0f} "
                f"| {bytes_ / 2**20:,.0f} |"
            )
        print(
            f"\nThen `ANALYZE` on PostgreSQL ({analyzed:.1f} s); SQLite keeps the store's fixed planner statistics. "
            f"Per filter combination: up to {queries} queries (fewer once a combination has spent {budget:g} s; "
            f"column `n`) with `limit={QUERY_LIMIT}` and values drawn from random stored events (a time window is 1% "
            f"of the ledger's time span around the drawn event), each through `query_documents` on both stores in "
            f"alternating order after {WARM_QUERIES} warm-up queries; the data were just written, so the OS file "
            "cache is warm (`shared_buffers` above may hold only part of it). "
            "The plan is PostgreSQL's `EXPLAIN` of the first query with its values (the store sets "
            "`plan_cache_mode=force_custom_plan`, so prepared statements are still planned for their values). "
            "Each PostgresStore call borrows a pool connection (not probed first): one round trip per query.\n",
            flush=True,
        )
        rng = random.Random(5)
        (stored,) = pg.database.one(f"SELECT max(seq) FROM {TABLE}") or (0,)
        pool = pg_anchors(pg, int(stored), max(2_000, 4 * queries), rng)
        chained = [a for a in pool if a.chain_id is not None]
        first, last = (
            datetime.strptime(
                pg.database.text(
                    pg.database.read(f"SELECT occurred_at FROM {TABLE} ORDER BY occurred_at {way} LIMIT 1")[0][0]
                ),
                TIME_FORMAT,
            ).replace(tzinfo=UTC)
            for way in ("ASC", "DESC")
        )
        window = (last - first) / 100
        floors = round_trips(pg, lite)
        print(
            "Floor: the store's backend running `SELECT 1` (PostgreSQL: a pool borrow and one query) takes "
            + "; ".join(
                f"{side} p50 {percentile(ms, 0.5):.3f} / p95 {percentile(ms, 0.95):.3f} ms"
                for side, ms in floors.items()
            )
            + ".\n",
            flush=True,
        )
        print(
            "| filters | PostgreSQL plan | n | rows (avg) | PostgresStore p50 / p95 / max (ms) "
            "| SqliteStore p50 / p95 / max (ms) | p95 PG / SQLite |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for width in range(len(FILTERS) + 1):
            for filters in itertools.combinations(FILTERS, width):
                source = chained if "chain_id" in filters else pool
                batch = [make_query(filters, rng.choice(source), window, rng) for _ in range(queries + WARM_QUERIES)]
                latency = measure(pg, lite, filters, batch, budget)
                results.append(latency)
                print(latency.row(), flush=True)
        slow = [r for r in results if r.p("PostgresStore", 0.95) > SLOW_MS]
        print(
            f"\n{len(slow)} of {len(results)} combinations have a PostgreSQL p95 above {SLOW_MS:g} ms"
            + (f": {', '.join(r.name for r in slow)}" if slow else "")
            + "\n"
        )
        if slow:
            print(
                "The plans' `Execution Time` is the server's alone; the timed latency adds the pool's check query, "
                "the round trips, fetching the documents and the client (and whatever else the machine runs).\n"
            )
        for latency in slow:
            ms, query = latency.slowest
            assert query is not None
            print(f"### EXPLAIN (ANALYZE, BUFFERS): {latency.name} (its slowest query, {ms:.1f} ms when timed)\n")
            print("```\n" + explain(pg, query) + "\n```\n", flush=True)
    finally:
        pg.close()
        lite.close()
        server.drop(schema)
        remove(path)
    return results


# -- main ---------------------------------------------------------------------------------------


def numbers(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of integers") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive integers")
    return values


@contextmanager
def cleanup(server: Server) -> Iterator[None]:
    try:
        yield
    finally:
        server.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="postgresql:// URL of the database (default: $LEDGERSPEC_PG_URL)")
    parser.add_argument("--writers", type=numbers, help="concurrent writer counts (default 1,4,16; quick 1,4)")
    parser.add_argument("--batches", type=numbers, help="batch sizes (default 1,100,10000; quick 1,100,1000)")
    parser.add_argument("--repeat", type=int, default=1, help="alternating timed passes per side and cell (default 1)")
    parser.add_argument("--events", type=int, help="events in the query ledger (default 1,000,000; quick 20,000)")
    parser.add_argument("--queries", type=int, help="queries per filter combination (default 200; quick 30)")
    parser.add_argument(
        "--combination-seconds", type=float, default=5.0, help="time budget per filter combination (default 5)"
    )
    parser.add_argument("--skip-append", action="store_true", help="leave out the append benchmark")
    parser.add_argument("--skip-query", action="store_true", help="leave out the query benchmark")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run (under a minute)")
    parser.add_argument("--tmp", type=Path, help="directory for the SQLite files (default: the system temp dir)")
    args = parser.parse_args()
    url = args.url or os.environ.get("LEDGERSPEC_PG_URL")
    if not url:
        sys.exit(
            "bench.postgres needs a PostgreSQL database: pass --url postgresql://... or set LEDGERSPEC_PG_URL "
            "(`.ci/postgres start DIR && set -a && . DIR/env && set +a` starts a throwaway server)"
        )
    quick = args.quick
    writers = args.writers or ([1, 4] if quick else [1, 4, 16])
    batches = args.batches or ([1, 100, 1_000] if quick else [1, 100, 10_000])
    events = args.events or (20_000 if quick else 1_000_000)
    queries = args.queries or (30 if quick else 200)
    server = Server(url, Target.parse(url))
    try:
        settings = server.settings()
    except psycopg.Error as exc:
        sys.exit(f"bench.postgres cannot reach {server.target.redacted()}: {exc}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # drop the schemas and files when killed

    began = time.perf_counter()
    print("# ledgerspec PostgreSQL store benchmark\n")
    print(machine() + f"; psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {psycopg.pq.version()})\n")
    print(f"Server {server.target.redacted()}: " + ", ".join(f"{k}={v}" for k, v in settings.items()) + "\n")
    print(
        "Both PostgreSQL sides use the server's settings as they are (the same `synchronous_commit`); "
        "SQLite runs in WAL mode with `synchronous=NORMAL`, which does not fsync each commit (with "
        "`synchronous_commit=on` PostgreSQL does), so PostgresStore / SqliteStore at small batches is largely "
        "that difference in durability.\n",
        flush=True,
    )
    with cleanup(server), tempfile.TemporaryDirectory(prefix="ledgerspec-bench-pg-", dir=args.tmp) as name:
        tmp = Path(name)
        if not args.skip_append:
            start = time.perf_counter()
            append_section(server, tmp, batches, writers, max(1, args.repeat), quick)
            if not server.can_checkpoint:
                print("(`CHECKPOINT` was refused: this role may not run it; passes ran without one.)\n")
            print(f"Append benchmark time: {time.perf_counter() - start:.0f} s\n", flush=True)
        if not args.skip_query:
            start = time.perf_counter()
            query_section(server, tmp, events, queries, args.combination_seconds)
            print(f"Query benchmark time: {time.perf_counter() - start:.0f} s\n")
    print(f"Total benchmark time: {time.perf_counter() - began:.0f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
