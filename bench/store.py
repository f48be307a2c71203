"""Store benchmarks: append throughput of the reference SQLite store against raw sqlite3 and the
eventsourcing library, query latency of every EventQuery filter combination, and append growth.

1. Append: the same envelopes (`corpus.envelopes`) go to ledgerspec's `append_events`, to a raw
   sqlite3 `executemany` into a table with the same columns and indexes (see `store_baselines`)
   and to eventsourcing's `SQLiteApplicationRecorder`, at batch sizes 1, 100 and 10,000, each pass
   on a fresh file. After a short warm-up of each side the sides alternate pass by pass; the table
   gives each side's best rate and the median of the per-pass ratios.
2. Query: one file of M events built by ledgerspec (batches of 10,000), then for each of the 32
   subsets of the EventQuery filters, and for a window with only its start or only its end, K
   queries with values drawn from stored events: latency of `query_documents` (the stored JSON),
   of `query_events` (models) and the query plan.
3. Growth: the append rate over the first and the last 100,000 events of that build (raw sqlite3
   builds the same file alongside, for reference).

Usage: python -m bench.store [--envelopes N] [--query-events M] [--queries K] [--repeat R] [--quick]
                             [--only append|query|profile] [--profile] [--tmp DIR] [--query-file PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.metadata
import io
import itertools
import os
import platform
import pstats
import random
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from ledgerspec.clock import format_timestamp
from ledgerspec.conformance.values import load_corpus
from ledgerspec.models import converge
from ledgerspec.store import SqliteStore
from ledgerspec.store.ledgers import EXPERIENCE

from . import store_baselines as baselines
from .corpus import envelopes

BUILD_BATCH = 10_000
QUERY_LIMIT = 100
TENANTS = 50
CORRELATION_EVENTS = 100
CHAIN_EVENTS = 50
OPEN_CHAINS = 20
"""Chains interleave: OPEN_CHAINS of them take chain events in turn, each until it has CHAIN_EVENTS."""
FILTERS = ("tenant_id", "kinds", "correlation_id", "chain_id", "time_range")


# -- shared helpers -----------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = {
        name: importlib.metadata.version(name) for name in ("ledgerspec", "eventsourcing", "jsonschema-rs", "orjson")
    }
    return (
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"SQLite {sqlite3.sqlite_version}; " + ", ".join(f"{n} {v}" for n, v in versions.items())
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def batched(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- 1. append throughput -----------------------------------------------------------------------

Appender = Callable[[Path, Sequence[Any], int, str], float]
"""(fresh file, envelopes, batch size, synchronous) -> seconds spent appending."""


def ledgerspec_append(path: Path, docs: Sequence[Any], batch: int, synchronous: str) -> float:
    store = SqliteStore(path, synchronous=synchronous)
    try:
        append = store.experience.append_events
        chunks = batched(docs, batch)
        start = time.perf_counter()
        for chunk in chunks:
            append(chunk)
        return time.perf_counter() - start
    finally:
        store.close()


@dataclass
class AppendRow:
    label: str
    count: int
    rates: dict[str, list[float]]

    def best(self, side: str) -> float:
        return max(self.rates[side])

    def ratio(self, other: str, side: str = "ledgerspec") -> float:
        return statistics.median(a / b for a, b in zip(self.rates[side], self.rates[other], strict=True))


def append_race(
    tmp: Path, sides: dict[str, Appender], docs: Sequence[Any], batch: int, synchronous: str, repeat: int, warm: int
) -> dict[str, list[float]]:
    """Rates (docs/s) of every side, `repeat` passes each, alternating; every pass on a new file."""
    serial = itertools.count()

    def one(name: str, items: Sequence[Any]) -> float:
        path = tmp / f"{name}-{next(serial)}.db"
        try:
            return len(items) / sides[name](path, items, batch, synchronous)
        finally:
            remove(path)

    for name in sides:
        one(name, docs[:warm])
    rates: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name in sides:
            rates[name].append(one(name, docs))
    return rates


def append_section(tmp: Path, count: int, repeat: int) -> None:
    docs = envelopes(count)
    sides: dict[str, Appender] = {
        "ledgerspec": ledgerspec_append,
        "raw sqlite3": baselines.raw_appender(),
        "eventsourcing": baselines.eventsourcing_appender(docs),
    }
    size = sum(len(baselines.compact(d)) for d in docs) / len(docs)
    single = max(1, count // 10)
    print("## Append throughput\n")
    print(
        f"{count:,} envelopes of {size:.0f} bytes of JSON on average (batch size 1: the first {single:,}). "
        "Each side writes a fresh file per pass in WAL mode with `synchronous=NORMAL` (one row with `FULL`); "
        f"one warm-up pass per side on at most 5,000 envelopes, then {repeat} alternating passes per side. "
        "Rates are the best pass; ratios the median of per-pass ratios.\n"
    )
    indexes = baselines.index_count()
    print(
        "- ledgerspec: `SqliteStore.experience.append_events(batch)` (validate, RFC 8785, SHA-256 + chain, "
        "duplicate-id lookup, 500-row INSERTs in `BEGIN IMMEDIATE`)\n"
        "- raw sqlite3: `json.dumps` + metadata columns pulled in Python + `executemany` in `BEGIN IMMEDIATE`, "
        f"into `experience_events` as ledgerspec creates it (copied from `sqlite_master`: same columns and {indexes} "
        "indexes, same page cache, "
        "without ledgerspec's append-only triggers); `hash`/`chain` get a 32-byte placeholder, nothing is validated "
        "or hashed\n"
        "- eventsourcing: `SQLiteApplicationRecorder.insert_events([StoredEvent...])` per batch, state = the "
        "compact JSON bytes, one originator UUID per correlation id (its table has 1 index)\n"
        f"- raw / eventsourcing: what the same SQL work with ledgerspec's {indexes} indexes gets against "
        "eventsourcing's 1-index table, the ceiling of ledgerspec / eventsourcing with this schema\n"
    )
    print(
        "| batch size | synchronous | envelopes | ledgerspec (docs/s) | raw sqlite3 (docs/s) | eventsourcing (docs/s) "
        "| ledgerspec / raw | ledgerspec / eventsourcing | raw / eventsourcing | targets (>= 0.9x raw, >= 1.0x es) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for batch, synchronous in ((10_000, "NORMAL"), (100, "NORMAL"), (100, "FULL"), (1, "NORMAL")):
        items = docs if batch > 1 else docs[:single]
        warm = min(len(items), 5_000)
        rates = append_race(tmp, sides, items, batch, synchronous, repeat, warm)
        row = AppendRow(f"{batch:,}", len(items), rates)
        raw, es = row.ratio("raw sqlite3"), row.ratio("eventsourcing")
        verdict = ", ".join([("raw ok" if raw >= 0.9 else "raw MISSED"), ("es ok" if es >= 1.0 else "es MISSED")])
        print(
            f"| {row.label} | {synchronous} | {row.count:,} | {row.best('ledgerspec'):,.0f} "
            f"| {row.best('raw sqlite3'):,.0f} | {row.best('eventsourcing'):,.0f} | {raw:.2f}x | {es:.2f}x "
            f"| {row.ratio('eventsourcing', 'raw sqlite3'):.2f}x "
            f"| {verdict} |",
            flush=True,
        )
    print()


def profile_section(tmp: Path, count: int) -> None:
    """cProfile of `append_events` at batch size 10,000 on a fresh file."""
    docs = envelopes(count)
    path = tmp / "profile.db"
    store = SqliteStore(path, synchronous="NORMAL")
    try:
        store.experience.append_events(docs[:1_000])  # compile validators outside the profile
        chunks = batched(docs[1_000:], BUILD_BATCH)
        profiler = cProfile.Profile()
        profiler.enable()
        for chunk in chunks:
            store.experience.append_events(chunk)
        profiler.disable()
    finally:
        store.close()
        remove(path)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(25)
        text = out.getvalue()
        text = text[text.find("   ncalls") :] if "   ncalls" in text else text
        print(f"### append_events profile, batch 10,000, {count - 1_000:,} envelopes, sorted by {order}\n")
        print("```\n" + text.rstrip() + "\n```\n")


# -- 2. query latency ---------------------------------------------------------------------------


def variant_events() -> list[dict[str, Any]]:
    """Every strict ExperienceEvent of the golden fixtures (each of the 14 variants at least once)."""
    return [
        case.document
        for file in load_corpus()
        if file.type == "converge.ExperienceEvent"
        for case in file.valid
        if case.strict
    ]


def query_corpus(count: int, chunk: int, seed: int = 11) -> Iterator[list[dict[str, Any]]]:
    """`count` envelopes in chunks: the fixture variants in turn, ~50 tenants (one per correlation),
    correlations of 100 consecutive events, interleaved chains of 50 events, one event a second."""
    events = variant_events()
    templates = [orjson.dumps(e) for e in events]
    chained = ["chain_id" in e["data"] for e in events]
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    tenant = ""
    chain_events = 0
    batch: list[dict[str, Any]] = []
    for n in range(count):
        correlation = n // CORRELATION_EVENTS
        if n % CORRELATION_EVENTS == 0:
            tenant = f"tenant-{rng.randrange(TENANTS)}"
        variant = n % len(templates)
        event = orjson.loads(templates[variant])
        if chained[variant]:
            k = chain_events
            event["data"]["chain_id"] = f"chain-{(k // (CHAIN_EVENTS * OPEN_CHAINS)) * OPEN_CHAINS + k % OPEN_CHAINS}"
            chain_events += 1
        batch.append(
            {
                "event_id": f"formation:corr-{correlation}:{n % CORRELATION_EVENTS}",
                "occurred_at": format_timestamp(base + timedelta(seconds=n)),
                "tenant_id": tenant,
                "correlation_id": f"corr-{correlation}",
                "event": event,
            }
        )
        if len(batch) == chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def build_query_file(path: Path, raw_path: Path, count: int) -> tuple[float, list[tuple[int, float, float]]]:
    """Build the query file with ledgerspec (and the raw table alongside); return the ledgerspec
    build's total append time and, per batch, (size, ledgerspec seconds, raw seconds)."""
    warm = path.with_name("warm-up.db")
    with SqliteStore(warm, synchronous="NORMAL") as scratch:  # compile the validators before the timed build
        scratch.experience.append_events(next(query_corpus(1_000, 1_000)))
    remove(warm)
    store = SqliteStore(path, synchronous="NORMAL")
    raw = baselines.RawTable(raw_path, "NORMAL")
    timings = []
    try:
        for batch in query_corpus(count, BUILD_BATCH):
            start = time.perf_counter()
            store.experience.append_events(batch)
            middle = time.perf_counter()
            raw.append(batch)
            timings.append((len(batch), middle - start, time.perf_counter() - middle))
    finally:
        store.close()
        raw.close()
    return sum(t for _, t, _ in timings), timings


def growth_section(count: int, timings: list[tuple[int, float, float]]) -> None:
    window = min(100_000, max(BUILD_BATCH, count // 10))
    print("## Growth (append rate, batch 10,000, synchronous=NORMAL)\n")
    print(f"| side | first {window:,} events (docs/s) | last {window:,} events (docs/s) | last / first |")
    print("|---|---:|---:|---:|")
    for label, column in (("ledgerspec", 1), ("raw sqlite3 (same table, for reference)", 2)):

        def rate(rows: Sequence[tuple[int, float, float]], column: int = column) -> float:
            return sum(r[0] for r in rows) / sum(r[column] for r in rows)

        batches = max(1, window // BUILD_BATCH)
        first, last = rate(timings[:batches]), rate(timings[-batches:])
        print(f"| {label} | {first:,.0f} | {last:,.0f} | {last / first:.2f}x |")
    print()


@dataclass
class Anchor:
    """A stored event whose metadata a query's filter values are drawn from."""

    kind: str
    tenant_id: str
    correlation_id: str
    chain_id: str | None
    occurred_at: str


def anchors(conn: sqlite3.Connection, count: int, wanted: int, rng: random.Random) -> list[Anchor]:
    found = []
    for seq in rng.sample(range(1, count + 1), min(count, wanted)):
        row = conn.execute(
            f"SELECT kind, tenant_id, correlation_id, chain_id, occurred_at FROM {EXPERIENCE.table} WHERE seq = ?",
            (seq,),
        ).fetchone()
        found.append(Anchor(*row))
    return found


TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


HALF_OPEN = (("since",), ("until",))
"""Two more rows: a time window with only its start (`--since`), and with only its end (`--until`)."""


def make_query(filters: Sequence[str], anchor: Anchor, window: timedelta, rng: random.Random) -> converge.EventQuery:
    time_range = None
    moment = datetime.strptime(anchor.occurred_at, TIME_FORMAT).replace(tzinfo=UTC)
    if "time_range" in filters:
        start = moment - window * rng.random()
        time_range = converge.TimeRange(start=format_timestamp(start), end=format_timestamp(start + window))
    elif "since" in filters:
        time_range = converge.TimeRange(start=format_timestamp(moment))
    elif "until" in filters:
        time_range = converge.TimeRange(end=format_timestamp(moment))
    return converge.EventQuery(
        kinds=[converge.ExperienceEventKind(anchor.kind)] if "kinds" in filters else [],
        tenant_id=anchor.tenant_id if "tenant_id" in filters else None,
        correlation_id=anchor.correlation_id if "correlation_id" in filters else None,
        chain_id=anchor.chain_id if "chain_id" in filters else None,
        time_range=time_range,
        limit=QUERY_LIMIT,
    )


def plan_of(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> str:
    return "; ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


FULL_SCAN = re.compile(rf"\bSCAN {EXPERIENCE.table}\b(?! USING)")


_BOOKKEEPING = re.compile(
    r"^(SCAN (probe|first|walk|CONSTANT ROW|\(subquery-\d+\))|SETUP|RECURSIVE STEP|UNION ALL|"
    r"COMPOUND QUERY|LEFT-MOST SUBQUERY|(CORRELATED )?SCALAR SUBQUERY \d+|LIST SUBQUERY \d+|"
    r"MATERIALIZE \w+|CO-ROUTINE .*|SEARCH experience_events)$"
)
"""Plan steps that read no index or table row worth naming (a window plan's CTEs, min/max lookups)."""


def short_plan(plan: str) -> str:
    steps = [step for step in plan.split("; ") if not _BOOKKEEPING.match(step)]
    return (
        "; ".join(steps)
        .replace(f"{EXPERIENCE.table} ", "")
        .replace("USING INDEX ", "")
        .replace("USING COVERING INDEX ", "")
    )


@dataclass
class Latency:
    """What one filter combination measured."""

    filters: tuple[str, ...]
    plans: set[str]
    models_ms: list[float]
    documents_ms: list[float]
    check_ms: list[float]
    rows: list[int]

    @property
    def name(self) -> str:
        return " + ".join(self.filters) or "(none)"

    @property
    def p95(self) -> float:
        return percentile(self.documents_ms, 0.95)

    def scan(self) -> str:
        if any(FULL_SCAN.search(p) for p in self.plans):
            return "YES" if self.filters else "YES (no filter; stops at the limit)"
        if any("MATERIALIZE walk" in p for p in self.plans):
            return "no; walks from the first row that can match, sorts the window if that falls short"
        return "no; sorts every match" if any("TEMP B-TREE" in p for p in self.plans) else "no"

    def row(self) -> str:
        models, documents = self.models_ms, self.documents_ms
        return (
            f"| {self.name} | {' / '.join(sorted(short_plan(p) for p in self.plans))} | {self.scan()} "
            f"| {len(models)} | {statistics.mean(self.rows):.1f} "
            f"| {percentile(documents, 0.5):.3f} / {self.p95:.3f} / {max(documents):.3f} "
            f"| {percentile(models, 0.5):.3f} / {percentile(models, 0.95):.3f} / {max(models):.3f} "
            f"| {percentile(self.check_ms, 0.5):.3f} | {'ok' if self.p95 <= 1.0 else 'MISSED'} |"
        )


WARM_QUERIES = 5


def measure(
    store: SqliteStore, filters: tuple[str, ...], queries: Sequence[converge.EventQuery], budget: float
) -> Latency:
    """Run each query through `query_events` and `query_documents`, in alternating order; stop early once
    `budget` seconds are spent (slow combinations), keeping at least 20 timed queries."""
    experience, conn = store.experience, store.database.conn
    result = Latency(filters, set(), [], [], [], [])
    deadline = time.perf_counter() + budget
    for index, query in enumerate(queries):
        timed = index >= WARM_QUERIES
        t0 = time.perf_counter()
        sql, params = experience.event_sql(query)
        check = time.perf_counter() - t0
        assert sql is not None
        result.plans.add(plan_of(conn, sql, params))
        for turn in (0, 1) if index % 2 else (1, 0):
            t0 = time.perf_counter()
            if turn == 0:
                rows = len(experience.query_events(query))
                models = time.perf_counter() - t0
            else:
                experience.query_documents(query)
                documents = time.perf_counter() - t0
        if timed:
            result.check_ms.append(check * 1e3)
            result.models_ms.append(models * 1e3)
            result.documents_ms.append(documents * 1e3)
            result.rows.append(rows)
            if len(result.models_ms) >= 20 and time.perf_counter() > deadline:
                break
    return result


def query_section(tmp: Path, count: int, queries: int, budget: float, keep: Path | None) -> None:
    path = keep or tmp / "query.db"
    timings = None
    print("## Query latency\n")
    if keep is not None and keep.exists():
        print(f"Reusing the query file {keep} (no build, no growth figures).\n")
    else:
        raw_path = tmp / "query-raw.db"
        start = time.perf_counter()
        appended, timings = build_query_file(path, raw_path, count)
        built = time.perf_counter() - start
        remove(raw_path)
        size = sum(Path(f"{path}{x}").stat().st_size for x in ("", "-wal") if Path(f"{path}{x}").exists())
        print(
            f"File of {count:,} events built by ledgerspec in batches of {BUILD_BATCH:,} (synchronous=NORMAL): "
            f"{appended:.1f} s of `append_events` ({count / appended:,.0f} docs/s; {built:.1f} s wall with envelope "
            f"generation and the raw-sqlite3 reference build); {size / 2**20:,.0f} MiB. "
            f"About {TENANTS} tenants, correlation ids of {CORRELATION_EVENTS} events, chains of {CHAIN_EVENTS} "
            f"events ({OPEN_CHAINS} open at a time), 14 kinds, one event a second; the store's fixed planner "
            "statistics, no `ANALYZE`.\n"
        )
    print(
        f"Per filter combination: up to {queries} queries (fewer when a combination has spent {budget:g} s; "
        f"column `n`) with `limit={QUERY_LIMIT}`, values drawn from random stored events (a time window is 1% of "
        "the file's time span, placed around the drawn event). `query_documents` returns the stored JSON "
        "documents; `query_events` builds models from them; `event_sql` is the query check and SQL "
        f"building alone. Each query runs both ways, in alternating order, after {WARM_QUERIES} warm-up queries; "
        "OS file cache warm. Target: p95 of `query_documents` <= 1 ms, no full scans.\n"
    )
    store = SqliteStore(path, synchronous="NORMAL")
    conn = store.database.conn
    rng = random.Random(5)
    (stored,) = conn.execute(f"SELECT max(seq) FROM {EXPERIENCE.table}").fetchone()
    pool = anchors(conn, stored, max(2_000, 4 * queries), rng)
    chained = [a for a in pool if a.chain_id is not None]
    first, last = (
        datetime.strptime(conn.execute(f"SELECT {f}(occurred_at) FROM {EXPERIENCE.table}").fetchone()[0], TIME_FORMAT)
        for f in ("min", "max")
    )
    window = (last - first) / 100
    print(
        "| filters | plan | full scan | n | rows (avg) | query_documents p50 / p95 / max (ms) "
        "| query_events p50 / p95 / max (ms) "
        "| event_sql p50 (ms) | p95 <= 1 ms |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    misses = []
    try:
        combinations = [c for size in range(len(FILTERS) + 1) for c in itertools.combinations(FILTERS, size)]
        for filters in [*combinations, *HALF_OPEN]:
            source = chained if "chain_id" in filters else pool
            batch = [make_query(filters, rng.choice(source), window, rng) for _ in range(queries + WARM_QUERIES)]
            latency = measure(store, filters, batch, budget)
            if latency.p95 > 1.0:
                misses.append(latency.name)
            print(latency.row(), flush=True)
    finally:
        store.close()
        if keep is None:
            remove(path)
    rows = 2 ** len(FILTERS) + len(HALF_OPEN)
    print(f"\n{len(misses)} of {rows} rows miss the 1 ms p95 target" + (f": {', '.join(misses)}" if misses else ""))
    print()
    if timings is not None:
        growth_section(count, timings)


# -- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--envelopes", type=int, help="envelopes per append pass (default 100,000; quick 20,000)")
    parser.add_argument("--query-events", type=int, help="events in the query file (default 1,000,000; quick 100,000)")
    parser.add_argument("--queries", type=int, help="queries per filter combination (default 200; quick 100)")
    parser.add_argument("--repeat", type=int, help="alternating append passes per side (default 2)")
    parser.add_argument("--quick", action="store_true", help="smaller defaults for a fast check")
    parser.add_argument("--only", choices=("append", "query", "profile"), help="run one part only")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of append_events (batch 10,000)")
    parser.add_argument("--tmp", type=Path, help="directory for the benchmark files (default: the system temp dir)")
    parser.add_argument(
        "--query-file", type=Path, help="build the query file here and keep it; reuse it when it exists (no growth)"
    )
    parser.add_argument(
        "--combination-seconds", type=float, default=5.0, help="time budget per filter combination (default 5)"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the temporary files when killed
    quick = args.quick
    count = args.envelopes or (20_000 if quick else 100_000)
    query_events = args.query_events or (100_000 if quick else 1_000_000)
    queries = args.queries or (100 if quick else 200)
    repeat = args.repeat or 2

    began = time.perf_counter()
    print("# ledgerspec store benchmark\n")
    print(machine() + "\n")
    with tempfile.TemporaryDirectory(prefix="ledgerspec-bench-", dir=args.tmp) as name:
        tmp = Path(name)
        print(f"Files in {tmp}.\n", flush=True)
        if args.only in (None, "append"):
            append_section(tmp, count, repeat)
        if args.profile or args.only == "profile":
            profile_section(tmp, count)
        if args.only in (None, "query"):
            query_section(tmp, query_events, queries, args.combination_seconds, args.query_file)
    print(f"Total benchmark time: {time.perf_counter() - began:.0f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
