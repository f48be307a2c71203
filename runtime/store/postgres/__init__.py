"""`PostgresStore`: all four ledger contracts in one schema of a PostgreSQL database (install
`ledgerspec[postgres]`). Same rules and semantics as `SqliteStore`, proved by the same
conformance suite; see `schema` for the table format and tenant security."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from ...clock import Clock, utc_now
from ...codec import Codec
from ...errors import StorageError
from ...jsontext import MAX_DOCUMENT_BYTES
from ..envelope_rules import check_id
from ..ledger_store import LedgerStore
from ..ledgers import EXPERIENCE
from .database import DEFAULT_LOCK_TIMEOUT, DEFAULT_SCHEMA, PostgresDatabase, Target, connect, translate
from .schema import TENANT_ROLES, VERSION_TABLE, schema_version

__all__ = ["DEFAULT_SCHEMA", "PostgresStore", "Target", "format_version"]


def format_version(url: str, schema: str | None = None, connect_timeout: float = 10.0) -> int:
    """The ledger format version the schema at `url` records (0 when it holds no ledger), read
    without creating or migrating anything."""
    target = Target.parse(url, schema)
    with connect(target, connect_timeout) as conn:
        try:
            return schema_version(conn, target.schema)
        except psycopg.Error as exc:
            raise translate(exc, target.where) from None


class PostgresStore(LedgerStore):
    """All four ledgers (see `LedgerStore`) in one schema of a PostgreSQL database.

    `url` is a `postgresql://` URL; its `schema` query parameter (or the `schema` argument) names
    the schema, `ledgerspec` by default. Opening creates the schema or migrates it. Safe to share
    between threads (`pool_size` connections) and between processes and machines. While the
    server is down, opening and every call fail at once with a retryable `TransientError`
    (`cannot connect to the server: connection refused`); once it is back, the same store works.

    With `tenant` set, the store connects as a role `grant_tenant` mapped to that tenant: row-level
    security limits the role to that tenant's experience rows whatever SQL it runs, and
    `experience` is that tenant's view (the other ledgers are not granted to tenant roles).

    A write waits at most `lock_timeout` seconds for its ledger's lock (held by another writer, or
    by a transaction left idle while holding it), then raises a retryable `TransientError`; None
    leaves the server's `lock_timeout` (by default, wait for ever).
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        tenant: str | None = None,
        strict: bool = False,
        clock: Clock = utc_now,
        readonly: bool = False,
        pool_size: int = 8,
        connect_timeout: float = 10.0,
        statement_timeout: float | None = None,
        lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
        retries: int = 5,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        codec: Codec | None = None,
    ) -> None:
        if tenant is not None:
            check_id("tenant_id", tenant)
        self.database = PostgresDatabase(
            url,
            schema=schema,
            readonly=readonly,
            pool_size=pool_size,
            connect_timeout=connect_timeout,
            statement_timeout=statement_timeout,
            lock_timeout=lock_timeout,
            retries=retries,
            tenant_role=tenant is not None,
        )
        super().__init__(self.database, strict=strict, clock=clock, max_document_bytes=max_document_bytes, codec=codec)
        self.location = self.database.where
        if tenant is not None:
            self._check_tenant_role(tenant)
            self.experience = self.for_tenant(tenant)

    @property
    def schema(self) -> str:
        return self.database.target.schema

    def _check_tenant_role(self, tenant: str) -> None:
        row = self.database.one(f"SELECT tenant_id FROM {TENANT_ROLES} WHERE role_name = current_user")
        if row is None or self.database.text(row[0]) != tenant:
            self.close()
            raise StorageError(
                f"{self.database.where}: the connecting role is not granted tenant {tenant!r} "
                "(an owner grants it with PostgresStore.grant_tenant)"
            )

    def grant_tenant(self, role: str, tenant_id: str) -> None:
        """Let the existing database role `role` read and append `tenant_id`'s experience events,
        and nothing else: row-level security hides every other tenant's rows from it, and refuses
        its inserts of them. It appends through `experience_events_lock_head()` and the insert
        trigger, both run as the owner: it gets no privilege on `ledger_heads`. Run by the
        schema's owner."""
        check_id("tenant_id", tenant_id)
        name, schema = sql.Identifier(role), sql.Identifier(self.schema)
        self.database.administer(
            [
                sql.SQL("INSERT INTO {} (role_name, tenant_id) VALUES ({}, {})").format(
                    sql.Identifier(TENANT_ROLES), sql.Literal(role), sql.Literal(tenant_id.encode())
                ),
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, name),
                sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(EXPERIENCE.table), name),
                sql.SQL("GRANT SELECT ON {}, {} TO {}").format(
                    sql.Identifier(TENANT_ROLES), sql.Identifier(VERSION_TABLE), name
                ),
                sql.SQL("GRANT EXECUTE ON FUNCTION {}() TO {}").format(
                    sql.Identifier(f"{EXPERIENCE.table}_lock_head"), name
                ),
            ]
        )

    def stats(self) -> dict[str, Any]:
        """`LedgerStore.stats`, the schema's format version and the size of its tables."""
        size = self.database.count(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )
        return {**super().stats(), "format_version": self.database.version, "database_bytes": size}

    def __enter__(self) -> PostgresStore:
        return self
