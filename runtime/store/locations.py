"""Where a ledger lives, and the store that opens it: a SQLite file path, or a `postgresql://`
URL (its `schema` query parameter names the schema; `ledgerspec` by default). The one place a
location becomes a store, for the CLI, the conformance runner and library users alike."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from ..errors import StorageError
from .ledger_store import LedgerStore
from .sqlite import SqliteStore
from .sqlite import format_version as file_format_version

SCHEMES = ("postgresql", "postgres")
"""URL schemes that name a PostgreSQL database (libpq reads both)."""
INSTALL = "pip install 'ledgerspec[postgres]'"


class MissingExtra(StorageError):
    """A PostgreSQL location on an installation without the `postgres` extra."""


class NoLedger(StorageError):
    """A location that holds no ledger, where one was expected to exist."""


def is_url(location: str) -> bool:
    """Whether a ledger location names a PostgreSQL database rather than a SQLite file."""
    return location.partition("://")[0] in SCHEMES and "://" in location


def postgres() -> ModuleType:
    """The PostgreSQL store package; MissingExtra naming what to install when psycopg is missing."""
    try:  # by name, so an installation that lost psycopg is seen even after an earlier import
        package = importlib.import_module(f"{__package__}.postgres")
    except ImportError as exc:
        raise MissingExtra(f"PostgreSQL ledgers need the postgres extra: {INSTALL} ({exc})") from None
    return package


def shown(location: str) -> str:
    """A location as messages show it (a URL without its password)."""
    return str(postgres().Target.parse(location).redacted()) if is_url(location) else location


def format_version(location: str) -> int | None:
    """The format version the ledger at `location` records, read without creating or migrating
    anything (None: no such file, or a schema without a ledger; 0: a file that holds no ledger)."""
    if is_url(location):
        version: int = postgres().format_version(location)
        return version or None
    return file_format_version(location)


def open_store(location: str, *, readonly: bool = False, **options: Any) -> LedgerStore:
    """The store of the ledger at `location`. Writable, it is created (or migrated) when needed;
    read-only, a location holding no ledger is NoLedger (reading never creates one). `options`
    go to the store's constructor (`strict`, `codec`, `pool_size`, ...)."""
    if readonly and format_version(location) is None:
        if is_url(location):
            raise NoLedger(f"{shown(location)}: no ledger in that schema (create one with `ledgerspec store init URL`)")
        raise NoLedger(f"{location}: no such ledger file (create one with `ledgerspec store init {location}`)")
    if is_url(location):
        store: LedgerStore = postgres().PostgresStore(location, readonly=readonly, **options)
        return store
    return SqliteStore(location, readonly=readonly, **options)
