"""Ledger stores: the four contracts (`protocols`) and the reference SQLite store."""

from .experience import SqliteExperienceStore
from .protocols import ArtifactStore, ExperienceStore, JournalStore, RunEventStore
from .sqlite import SqliteStore, VerifyReport

__all__ = [
    "ArtifactStore",
    "ExperienceStore",
    "JournalStore",
    "RunEventStore",
    "SqliteExperienceStore",
    "SqliteStore",
    "VerifyReport",
]
