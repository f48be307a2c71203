"""What a user might write instead of `ledgerspec store append` (the baseline of `bench.cli_append`).

Usage: python bench/baseline_append.py NEW.db INPUT.jsonl. Envelopes go into one table with 3
indexes, 100 per transaction. WAL and `synchronous=FULL` as the store uses by default, so both
sides pay the same fsyncs; nothing is validated, canonicalised or hashed."""

import json
import sqlite3
import sys

conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=FULL")
conn.execute(
    "CREATE TABLE IF NOT EXISTS events (event_id TEXT, kind TEXT, tenant_id TEXT, occurred_at TEXT, document TEXT)"
)
conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (event_id)")
conn.execute("CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant_id, occurred_at)")
conn.execute("CREATE INDEX IF NOT EXISTS events_kind ON events (kind, occurred_at)")
INSERT = "INSERT INTO events VALUES (?, ?, ?, ?, ?)"
rows: list[tuple[str, str, str | None, str, str]] = []
with open(sys.argv[2], encoding="utf-8") as lines:
    for line in lines:
        e = json.loads(line)
        rows.append((e["event_id"], e["event"]["type"], e.get("tenant_id"), e["occurred_at"], line.rstrip("\n")))
        if len(rows) == 100:
            with conn:  # one transaction per batch
                conn.executemany(INSERT, rows)
            rows.clear()
with conn:
    conn.executemany(INSERT, rows)
conn.close()
