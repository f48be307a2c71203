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


def race(count: int = ENVELOPES, repeat: int = 5, tmp: Path | None = None) -> tuple[float, float, float]:
    """Best docs/s of the ledgerspec command, of the baseline script, and the median ratio of their rates."""
    commands = {
        "ledgerspec": ([console_script(), "store", "append"], EXPERIENCE.table),
        "baseline": ([sys.executable, str(BASELINE)], "events"),
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
            subprocess.run([*command, str(target), str(source)], check=True, stdout=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            try:
                if check and (stored := rows(target, table)) != count:
                    raise RuntimeError(f"{side} stored {stored} of {count} envelopes")
            finally:
                remove(target)
            return count / elapsed

        for side in commands:
            one(side, check=True)
        pairs = [(one("ledgerspec"), one("baseline")) for _ in range(repeat)]
    return max(a for a, _ in pairs), max(b for _, b in pairs), statistics.median(a / b for a, b in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--envelopes", type=int, default=ENVELOPES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    mine, theirs, ratio = race(args.envelopes, args.repeat)
    print("| command | ledgerspec (docs/s) | baseline (docs/s) | ratio (median of pairs) |")
    print("|---|---:|---:|---:|")
    print(f"| store append, {args.envelopes:,} envelopes | {mine:,.0f} | {theirs:,.0f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
