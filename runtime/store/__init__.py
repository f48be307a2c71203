"""Ledger stores: the four contracts (`protocols`), the description of each ledger table
(`ledgers`), the ledger code every database shares, the reference SQLite store (`sqlite/`), the
PostgreSQL store (`postgres/`, with the `postgres` extra installed) and `open_store`, which turns
a location (a path or a URL) into the store that holds it."""

from .experience import ExperienceLedger
from .ledger_store import DEFAULT_BATCH, LedgerStore, VerifyReport
from .loading import Loaded
from .locations import open_store
from .protocols import ArtifactStore, ExperienceStore, JournalStore, RunEventStore
from .sqlite import SqliteStore

__all__ = [
    "DEFAULT_BATCH",
    "ArtifactStore",
    "ExperienceLedger",
    "ExperienceStore",
    "JournalStore",
    "LedgerStore",
    "Loaded",
    "RunEventStore",
    "SqliteStore",
    "VerifyReport",
    "open_store",
]
