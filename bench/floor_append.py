"""The floor of the command row: the baseline script's loop (one `json.loads` per line) writing
into the store's own experience table, with its 11 indexes, its append-only triggers, its pragmas
and its batch size, and nothing checked, canonicalised or hashed. What `ledgerspec store append`
would take if its checks cost nothing.

Usage: python -m bench.floor_append NEW.db INPUT.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ledgerspec.store import DEFAULT_BATCH

from .store_baselines import RawTable


def main() -> None:
    target, source = Path(sys.argv[1]), Path(sys.argv[2])
    table = RawTable(target, "FULL", triggers=True)  # the store's default synchronous
    try:
        with source.open("rb") as lines:
            batch = []
            for line in lines:
                batch.append(json.loads(line))
                if len(batch) == DEFAULT_BATCH:
                    table.append(batch)
                    batch.clear()
            if batch:
                table.append(batch)
    finally:
        table.close()


if __name__ == "__main__":
    main()
