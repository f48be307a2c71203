"""`SqliteStore`: the reference store, all four ledger contracts on one SQLite file
(`database`: the connection; `schema`: the file format and its migrations; `definitions`: the
triggers `verify` expects)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from ...clock import Clock, utc_now
from ...codec import Codec
from ...errors import StorageError
from ...jsontext import MAX_DOCUMENT_BYTES
from ..ledger_store import LedgerStore
from .database import SqliteDatabase, Synchronous, open_readonly
from .schema import file_version

__all__ = ["SqliteStore", "Synchronous", "format_version"]


class SqliteStore(LedgerStore):
    """All four ledgers (see `LedgerStore`) in one SQLite file, sharing one connection.

    Opening creates the file (or migrates an older one). Safe to share between threads, and
    between processes opening the same file.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        strict: bool = False,
        clock: Clock = utc_now,
        readonly: bool = False,
        busy_timeout: float = 30.0,
        synchronous: Synchronous = "FULL",
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        codec: Codec | None = None,
    ) -> None:
        self.database = SqliteDatabase(path, readonly=readonly, busy_timeout=busy_timeout, synchronous=synchronous)
        super().__init__(self.database, strict=strict, clock=clock, max_document_bytes=max_document_bytes, codec=codec)
        self.location = str(self.database.path)

    @property
    def path(self) -> Path:
        return self.database.path

    def stats(self) -> dict[str, Any]:
        """`LedgerStore.stats`, the file's format version and its size."""
        return {
            **super().stats(),
            "format_version": file_version(self.database.db),
            "file_bytes": self.path.stat().st_size,
        }

    def __enter__(self) -> SqliteStore:
        return self


def format_version(path: str | Path) -> int | None:
    """The format version the file at `path` records, read without creating or migrating
    anything (None: no such file; 0: a file that holds no ledger)."""
    file = Path(path)
    if not file.is_file():
        return None
    try:
        conn = open_readonly(file)
        try:
            return file_version(sqlite_utils.Database(conn))
        finally:
            conn.close()
    except (sqlite3.Error, StorageError):
        return 0
