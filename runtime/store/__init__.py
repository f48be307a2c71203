"""Ledger stores: the four contracts (`protocols`), the ledger code every backend shares, and the
reference SQLite store (the PostgreSQL store is `ledgerspec.store.postgres`, with the `postgres`
extra installed)."""

from .experience import ExperienceLedger
from .ledger_store import LedgerStore, VerifyReport
from .protocols import ArtifactStore, ExperienceStore, JournalStore, RunEventStore
from .sqlite import SqliteStore

__all__ = [
    "ArtifactStore",
    "ExperienceLedger",
    "ExperienceStore",
    "JournalStore",
    "LedgerStore",
    "RunEventStore",
    "SqliteStore",
    "VerifyReport",
]
