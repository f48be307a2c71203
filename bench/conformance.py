"""How long the conformance suite takes: against the reference SqliteStore in process, through
the example harness, against the in-memory store (target: SqliteStore under 20 s) and, when
$LEDGERSPEC_PG_URL names a server, against PostgresStore in process and through the harness.

Usage: python -m bench.conformance [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ledgerspec.conformance.harness import HarnessTarget
from ledgerspec.conformance.runner import InProcessTarget, Target, run_suite
from ledgerspec.conformance.scenarios import load_scenarios
from ledgerspec.conformance.targets import postgres_factory, sqlite_factory
from ledgerspec.store.memory import MemoryStore


def timed(make: Callable[[], Target], repeat: int) -> tuple[list[float], int]:
    """Wall seconds of each full run (target set-up included) and the scenario count."""
    scenarios = load_scenarios()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        target = make()
        try:
            report = run_suite(target, scenarios)
        finally:
            target.close()
        times.append(time.perf_counter() - start)
        assert report.ok, [r.id for r in report.results if r.status != "passed"]
    return times, len(scenarios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sides: dict[str, Callable[[], Target]] = {
            "SqliteStore, in process": lambda: InProcessTarget(sqlite_factory(Path(scratch)), "sqlite"),
            "SqliteStore, example harness": lambda: HarnessTarget(f"{sys.executable} -m ledgerspec.conformance.serve"),
            "MemoryStore, in process": lambda: InProcessTarget(MemoryStore, "memory"),
        }
        node = Path(__file__).resolve().parent.parent / "conformance" / "examples" / "node"
        if shutil.which("node") and (node / "node_modules").is_dir():  # after `npm ci --prefix` there
            sides["node example store, harness"] = lambda: HarnessTarget(f"node {node / 'harness.js'}")
        url = os.environ.get("LEDGERSPEC_PG_URL")
        if url:
            serve = f"{sys.executable} -m ledgerspec.conformance.serve {url}"
            sides["PostgresStore, in process"] = lambda: InProcessTarget(postgres_factory(url), "postgres")
            sides["PostgresStore, example harness"] = lambda: HarnessTarget(serve)
        print("| store | scenarios | median (s) | best (s) | target |")
        print("|---|---:|---:|---:|---|")
        for name, make in sides.items():
            times, count = timed(make, args.repeat)
            verdict = ("ok" if min(times) < 20 else "MISSED") if name.startswith("SqliteStore, in") else ""
            print(f"| {name} | {count} | {statistics.median(times):.1f} | {min(times):.1f} | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
