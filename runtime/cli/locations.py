"""Where a `ledgerspec store` command finds its ledger: a SQLite file path, or a `postgresql://`
URL (its `schema` query parameter names the schema; `ledgerspec` by default)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

from sqlite_utils import Database

from ..errors import StorageError
from ..store import LedgerStore, SqliteStore
from ..store.connection import open_readonly
from ..store.schema import file_version


class UsageError(Exception):
    """A command line the store commands cannot act on (exit 2, nothing written)."""


def is_url(location: str) -> bool:
    """Whether a ledger location names a PostgreSQL database rather than a SQLite file."""
    return location.startswith(("postgresql://", "postgres://"))


def _postgres() -> ModuleType:
    try:
        from ..store import postgres
    except ImportError as exc:
        install = "pip install 'ledgerspec[postgres]'"
        raise UsageError(f"PostgreSQL ledgers need the postgres extra: {install} ({exc})") from None
    return postgres


def open_store(location: str, *, strict: bool = False) -> LedgerStore:
    """The ledger at `location`, opened for writing: created, or migrated to this version's format."""
    if is_url(location):
        store: LedgerStore = _postgres().PostgresStore(location, strict=strict)
        return store
    return SqliteStore(location, strict=strict)


def open_existing(location: str) -> LedgerStore:
    """The ledger at `location` opened read-only; a missing ledger is a usage error, so reading
    never creates one."""
    if format_version(location) is None:
        if is_url(location):
            shown = _postgres().Target.parse(location).redacted()
            raise UsageError(f"{shown}: no ledger in that schema (create one with `ledgerspec store init URL`)")
        raise UsageError(f"{location}: no such ledger file (create one with `ledgerspec store init {location}`)")
    if is_url(location):
        store: LedgerStore = _postgres().PostgresStore(location, readonly=True)
        return store
    return SqliteStore(location, readonly=True)


def format_version(location: str) -> int | None:
    """The format version the ledger at `location` records, before anything opens it (None: no
    such file, or a schema without a ledger; 0: a file that holds no ledger)."""
    if is_url(location):
        version: int = _postgres().format_version(location)
        return version or None
    path = Path(location)
    if not path.is_file():
        return None
    try:
        conn = open_readonly(path)
        try:
            return file_version(Database(conn))
        finally:
            conn.close()
    except (sqlite3.Error, StorageError):
        return 0
