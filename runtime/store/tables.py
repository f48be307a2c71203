"""The ledger tables every backend holds: their names, the column that orders their rows (the
hash chain runs in that order) and the names of the indexes queries name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ledger:
    """One append-only table: its name, the column that orders its rows (the hash chain runs in
    that order) and the columns that identify a row in errors and `verify` reports."""

    table: str
    order: str
    key: tuple[str, ...]


EXPERIENCE = Ledger("experience_events", "seq", ("event_id",))
RUN_EVENTS = Ledger("run_events", "id", ("run_id", "seq"))
ARTIFACTS = Ledger("artifacts", "id", ("artifact_id",))
JOURNAL = Ledger("journal_records", "id", ("run_id", "journal_seq"))
LEDGERS = (EXPERIENCE, RUN_EVENTS, ARTIFACTS, JOURNAL)

TIME_INDEX = "idx_experience_time"
ARTIFACT_INDEX = "idx_experience_artifact"
TRACE_INDEX = "idx_experience_trace"
