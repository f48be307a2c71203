"""Which store a conformance run tests: a `module:factory`, an installed store registered under
the `ledgerspec.stores` entry-point group, a `postgresql://` URL (PostgresStores in throwaway
schemas of that database), or (by default) the reference SqliteStore."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ledgerspec.store import SqliteStore, locations

ENTRY_POINT_GROUP = "ledgerspec.stores"

Factory = Callable[[], Any]


class UnknownTarget(LookupError):
    """A store argument that names no importable factory and no installed store."""


def sqlite_factory(directory: Path) -> Factory:
    """Fresh SqliteStores, each in its own file under `directory`."""
    return lambda: SqliteStore(directory / f"{uuid.uuid4().hex}.db", synchronous="NORMAL")


def postgres_factory(url: str) -> Factory:
    """Fresh PostgresStores, each in a new schema of the database at `url` that is dropped when
    the store is closed. Without the postgres extra: UnknownTarget naming the extra to install,
    as `ledgerspec store` says it."""
    try:
        locations.postgres()
    except locations.MissingExtra as exc:
        raise UnknownTarget(f"testing a PostgreSQL store: {exc}") from None
    from psycopg import sql

    from ledgerspec.store.postgres import PostgresStore

    class ScratchStore(PostgresStore):
        def close(self) -> None:
            try:
                self.database.administer([sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.schema))])
            finally:
                super().close()

    return lambda: ScratchStore(url, schema=f"ledgerspec_scratch_{uuid.uuid4().hex[:16]}", pool_size=4)


def resolve(spec: str | None, scratch: Path) -> tuple[Factory, str]:
    """The factory and display name of a store argument (None: the reference SqliteStore, its
    files in the directory `scratch`)."""
    if spec is None:
        return sqlite_factory(scratch), "ledgerspec SqliteStore"
    if locations.is_url(spec):
        factory = postgres_factory(spec)  # first: it names the extra to install when psycopg is missing
        return factory, f"ledgerspec PostgresStore at {locations.shown(spec)}"
    if ":" in spec:
        module_name, _, attribute = spec.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise UnknownTarget(f"{spec}: {exc}") from None
    else:
        found = entry_points(group=ENTRY_POINT_GROUP, name=spec)
        if not found:
            names = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
            known = ", ".join(names) if names else "none installed"
            raise UnknownTarget(f"no store named {spec!r} in the {ENTRY_POINT_GROUP} entry points ({known})")
        factory = next(iter(found)).load()
    if not callable(factory):
        raise UnknownTarget(f"{spec} is not callable: it must return a fresh store")
    return factory, spec
