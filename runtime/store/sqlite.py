"""`SqliteStore`: the reference store, all four ledger contracts on one SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..clock import Clock, utc_now
from ..codec import Codec
from ..jsontext import MAX_DOCUMENT_BYTES
from .connection import LedgerFile, Synchronous
from .ledger_store import LedgerStore
from .schema import file_version


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
        self.file = LedgerFile(path, readonly=readonly, busy_timeout=busy_timeout, synchronous=synchronous)
        super().__init__(self.file, strict=strict, clock=clock, max_document_bytes=max_document_bytes, codec=codec)
        self.location = str(self.file.path)

    @property
    def path(self) -> Path:
        return self.file.path

    def stats(self) -> dict[str, Any]:
        """`LedgerStore.stats`, the file's format version and its size."""
        return {
            **super().stats(),
            "format_version": file_version(self.file.db),
            "file_bytes": self.path.stat().st_size,
        }

    def __enter__(self) -> SqliteStore:
        return self
