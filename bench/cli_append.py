"""The whole-command row: `ledgerspec store append NEW.db INPUT.jsonl` (the installed console
script, default batch) against `python bench/baseline_append.py NEW.db INPUT.jsonl`, each a fresh
process on a fresh SQLite file, so interpreter start-up, imports and schema compilation count as
they do for a user.

One warm-up pass per side (which also checks that both stored every envelope), then the sides
alternate pass by pass; each side's best rate and the median of the per-pair ratios.
Usage: python -m bench.cli_append [--envelopes N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ledgerspec.store.ledgers import EXPERIENCE

from .corpus import envelopes

ENVELOPES = 20_000
BASELINE = Path(__file__).with_name("baseline_append.py")


def console_script() -> str:
    """The `ledgerspec` console script installed beside this interpreter."""
    script = Path(sysconfig.get_path("scripts")) / "ledgerspec"
    if not script.exists():
        raise SystemExit(f"{script} is missing: install ledgerspec into this environment first")
    return str(script)


def write_input(path: Path, docs: Sequence[dict[str, Any]]) -> None:
    """One compact JSON envelope per line, as a user's export would hold them."""
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n")


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def rows(path: Path, table: str) -> int:
    """How many rows `table` of the file at `path` holds."""
    conn = sqlite3.connect(path)
    try:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(count)
    finally:
        conn.close()


ROOT = Path(__file__).parent.parent
"""The checkout, from which `python -m bench.floor_append` runs."""


def race(count: int = ENVELOPES, repeat: int = 5, tmp: Path | None = None) -> dict[str, list[float]]:
    """Rates (docs/s) of each command, `repeat` alternating passes each: the ledgerspec command,
    the baseline script and the floor (`bench.floor_append`)."""
    commands = {
        "ledgerspec": ([console_script(), "store", "append"], EXPERIENCE.table),
        "baseline": ([sys.executable, str(BASELINE)], "events"),
        "floor": ([sys.executable, "-m", "bench.floor_append"], EXPERIENCE.table),
    }
    with tempfile.TemporaryDirectory(prefix="ledgerspec-cli-", dir=tmp) as name:
        where = Path(name)
        source = where / "envelopes.jsonl"
        write_input(source, envelopes(count))

        def one(side: str, check: bool = False) -> float:
            command, table = commands[side]
            target = where / f"{side}.db"
            remove(target)
            start = time.perf_counter()
            subprocess.run([*command, str(target), str(source)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            elapsed = time.perf_counter() - start
            try:
                if check and (stored := rows(target, table)) != count:
                    raise RuntimeError(f"{side} stored {stored} of {count} envelopes")
            finally:
                remove(target)
            return count / elapsed

        for side in commands:
            one(side, check=True)
        rates: dict[str, list[float]] = {side: [] for side in commands}
        for _ in range(repeat):
            for side in commands:
                rates[side].append(one(side))
    return rates


def ratio(rates: dict[str, list[float]], side: str, other: str = "baseline") -> float:
    """The median of the per-pass ratios of `side` to `other`."""
    return statistics.median(a / b for a, b in zip(rates[side], rates[other], strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--envelopes", type=int, default=ENVELOPES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rates = race(args.envelopes, args.repeat)
    print("| command | ledgerspec (docs/s) | baseline (docs/s) | floor (docs/s) | ratio | floor's ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| store append, {args.envelopes:,} envelopes | {max(rates['ledgerspec']):,.0f} "
        f"| {max(rates['baseline']):,.0f} | {max(rates['floor']):,.0f} | {ratio(rates, 'ledgerspec'):.2f}x "
        f"| {ratio(rates, 'floor'):.2f}x |"
    )


if __name__ == "__main__":
    main()
