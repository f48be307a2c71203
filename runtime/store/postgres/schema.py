"""The PostgreSQL format of the ledger: its tables, indexes, triggers and row-level security, in
versioned migrations applied inside one schema (a PostgreSQL namespace).

The tables and indexes are those `ledgers` describes (as in the SQLite format), with these
differences:

- every string column is `bytea` holding UTF-8, so comparisons and order are bytewise (as Rust's
  `String` compares, whatever the database's collation) and a `\\u0000` in an id is storable;
- the columns whose strings no schema bounds (chain, trace link and artifact ids, journal record
  ids) have hash indexes: a btree entry holds at most 2,704 bytes, and SQLite stores any length;
- `ledger_heads` records each table's last position and chain value. Writers lock its row for
  the table they append to (so appends to one table are serialised and gap-free), and `verify`
  compares it with the table, which shows rows removed from a table's end. Since version 2 only
  the tables' insert trigger moves it, after checking each row against it (the next position,
  its document's SHA-256, the chain value after the head, the table's shape), so raw SQL cannot
  skip positions, take the ones the next appends need, or point the head at a made-up value.

Row-level security scopes `experience_events` to tenants: a role mapped to a tenant in
`ledgerspec_tenant_roles` (see `PostgresStore.grant_tenant`) sees and inserts only that tenant's
rows, whatever SQL it runs, and has no privilege on `ledger_heads`: the head bookkeeping runs as
the owner, in functions whose search path is fixed (no temporary table shadows the ledger's).
The schema's owner is not subject to row-level security.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from ..chain import GENESIS
from ..database import newer_format
from ..ledgers import ARTIFACTS, EXPERIENCE, LEDGERS, TAIL, Index, Ledger

VERSION_TABLE = "ledgerspec_schema"
HEADS_TABLE = "ledger_heads"
TENANT_ROLES = "ledgerspec_tenant_roles"


def tables(ledger: Ledger, version: int) -> str:
    """The DDL of a ledger table and its indexes as `ledgers` describes them at format `version`:
    strings as bytea, integers as bigint, unique indexes as constraints, and an index over a
    column with no length bound as a hash index on that column (see the module docstring)."""
    columns = [column for column in ledger.columns if column.since <= version]
    lines = [f"{ledger.order} bigint PRIMARY KEY"]
    for column in columns:
        kind = "bytea" if column.kind is str else "bigint"
        lines.append(f"{column.name} {kind}{' NOT NULL' if column.required else ''}")
    lines += [f"{name} bytea NOT NULL" for name in TAIL]
    indexes = [index for index in ledger.indexes if index.since <= version]
    lines += [f"UNIQUE ({', '.join(index.columns)})" for index in indexes if index.unique]
    body = ",\n    ".join(lines)
    created = "".join(_index(ledger, index) for index in indexes if not index.unique)
    return f"CREATE TABLE {ledger.table} (\n    {body}\n);\n{created}"


def _index(ledger: Ledger, index: Index) -> str:
    """The CREATE INDEX statement of one index of the description."""
    unbounded = [name for name in index.columns if not ledger.column(name).bounded]
    how = f"USING hash ({unbounded[0]})" if unbounded else f"({', '.join(index.columns)})"
    where = f" WHERE {index.where_set} IS NOT NULL" if index.where_set else ""
    name = f" {index.name}" if index.name else ""
    return f"CREATE INDEX{name} ON {ledger.table} {how}{where};\n"


_GENESIS = f"'\\x{GENESIS.hex()}'::bytea"
_LEDGER_TRIGGERS = "".join(
    f"CREATE TRIGGER {ledger.table}_no_change BEFORE UPDATE OR DELETE ON {ledger.table} "
    "FOR EACH ROW EXECUTE FUNCTION ledgerspec_append_only();\n"
    f"CREATE TRIGGER {ledger.table}_no_truncate BEFORE TRUNCATE ON {ledger.table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledgerspec_append_only();\n"
    for ledger in LEDGERS
)
_WITHIN_HEAD = "".join(
    f"""CREATE FUNCTION {ledger.table}_within_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT max({ledger.order}) FROM inserted) > (SELECT position FROM {HEADS_TABLE} WHERE ledger = '{ledger.table}')
    THEN
        RAISE EXCEPTION 'ledgerspec: rows appended to {ledger.table} past its head (move ledger_heads first)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER {ledger.table}_within_head AFTER INSERT ON {ledger.table} REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION {ledger.table}_within_head();
"""
    for ledger in LEDGERS
)
"""Rows may be inserted only up to their table's head, so a writer that skips `ledger_heads` (a
tenant role with raw SQL) cannot take the positions the next appends need."""
_STORED_AT_HEAD = "\n".join(
    f"    ELSIF NEW.ledger = '{ledger.table}' THEN\n"
    f"        SELECT chain INTO stored FROM {ledger.table} WHERE {ledger.order} = NEW.position;"
    for ledger in LEDGERS
)
_TENANT_MATCH = (
    f"EXISTS (SELECT 1 FROM {TENANT_ROLES} r WHERE r.role_name = current_user "
    f"AND r.tenant_id = {EXPERIENCE.table}.tenant_id)"
)

_VERSION_1 = f"""
{"".join(tables(ledger, 1) for ledger in LEDGERS)}
CREATE TABLE {HEADS_TABLE} (
    ledger text PRIMARY KEY,
    position bigint NOT NULL CHECK (position >= 0),
    chain bytea NOT NULL
);
INSERT INTO {HEADS_TABLE} (ledger, position, chain)
VALUES {", ".join(f"('{ledger.table}', 0, {_GENESIS})" for ledger in LEDGERS)};

CREATE FUNCTION ledgerspec_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledgerspec: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE FUNCTION ledgerspec_heads_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.ledger <> OLD.ledger OR NEW.position < OLD.position THEN
        RAISE EXCEPTION 'ledgerspec: % only moves forward', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
{_LEDGER_TRIGGERS}
CREATE TRIGGER {HEADS_TABLE}_forward BEFORE UPDATE ON {HEADS_TABLE}
    FOR EACH ROW EXECUTE FUNCTION ledgerspec_heads_forward();
CREATE FUNCTION ledgerspec_head_is_stored() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stored bytea;
BEGIN
    IF NEW.position = 0 THEN
        stored := {_GENESIS};
{_STORED_AT_HEAD}
    END IF;
    IF stored IS DISTINCT FROM NEW.chain THEN
        RAISE EXCEPTION 'ledgerspec: % has no row at position % with the chain value ledger_heads names',
            NEW.ledger, NEW.position USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER {HEADS_TABLE}_stored AFTER UPDATE ON {HEADS_TABLE} DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledgerspec_head_is_stored();
{_WITHIN_HEAD}
CREATE TRIGGER {HEADS_TABLE}_no_delete BEFORE DELETE ON {HEADS_TABLE}
    FOR EACH ROW EXECUTE FUNCTION ledgerspec_append_only();
CREATE TRIGGER {HEADS_TABLE}_no_truncate BEFORE TRUNCATE ON {HEADS_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION ledgerspec_append_only();

CREATE TABLE {TENANT_ROLES} (role_name name PRIMARY KEY, tenant_id bytea NOT NULL);
ALTER TABLE {TENANT_ROLES} ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_role ON {TENANT_ROLES} FOR SELECT USING (role_name = current_user);
ALTER TABLE {EXPERIENCE.table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON {EXPERIENCE.table} USING ({_TENANT_MATCH}) WITH CHECK ({_TENANT_MATCH});
ALTER TABLE {HEADS_TABLE} ENABLE ROW LEVEL SECURITY;
CREATE POLICY experience_head ON {HEADS_TABLE} USING (ledger = '{EXPERIENCE.table}');
"""
"""Version 1: the four ledgers, their indexes, the heads, append-only triggers and tenant security."""

_HEAD_FOLLOWS_ROWS = f"""CREATE FUNCTION ledgerspec_head_follows_rows() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION 'ledgerspec: % moves only with the rows appended to its ledger (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER {HEADS_TABLE}_follows_rows BEFORE UPDATE ON {HEADS_TABLE}
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION ledgerspec_head_follows_rows();
"""
"""Only an append moves a head (the UPDATE inside `{table}_extends_head`, a trigger): a direct
UPDATE of `ledger_heads`, even the owner's, is refused, so the head always names the table's
last appended row and the next position is always the head's + 1."""

_ENVELOPE = """
            -- Extracting a field decodes every string, and PostgreSQL decodes no U+0000: read
            -- them as U+0001 (the columns checked are ids, which hold neither).
            parsed := replace(convert_from(r.document, 'UTF8'), E'\\\\u0000', E'\\\\u0001')::json;
            IF json_typeof(parsed) <> 'object'
                OR convert_to(parsed ->> 'event_id', 'UTF8') IS DISTINCT FROM r.event_id
                OR convert_to(parsed -> 'event' ->> 'type', 'UTF8') IS DISTINCT FROM r.kind
                OR convert_to(parsed ->> 'tenant_id', 'UTF8') IS DISTINCT FROM r.tenant_id
            THEN
                RAISE EXCEPTION 'ledgerspec: experience_events row % refused: its document is not the JSON envelope '
                    'its event_id, kind and tenant_id columns name', r.position USING ERRCODE = 'check_violation';
            END IF;"""
_JSON_OBJECT = """
        IF checked AND json_typeof(convert_from(r.document, 'UTF8')::json) <> 'object' THEN
            RAISE EXCEPTION 'ledgerspec: % row % refused: its document is not a JSON object', TG_TABLE_NAME, r.position
                USING ERRCODE = 'check_violation';
        END IF;"""
_UNPARSED = """
EXCEPTION WHEN invalid_text_representation OR character_not_in_repertoire OR untranslatable_character THEN
    RAISE EXCEPTION 'ledgerspec: % row % refused: its document is not a JSON object (%)', TG_TABLE_NAME, r.position,
        SQLERRM USING ERRCODE = 'check_violation';"""
"""Where a table's rows are parsed as JSON, a document that does not parse (or decode) is refused
in the same words: the handler covers the whole loop, so one block (a subtransaction) per
statement, not per row."""
_ARTIFACT = """
        IF checked AND (
            r.artifact_id IS DISTINCT FROM convert_to(encode(r.hash, 'hex'), 'UTF8')
            OR r.size IS DISTINCT FROM octet_length(r.document)
        ) THEN
            RAISE EXCEPTION 'ledgerspec: artifacts row % refused: its artifact_id and size are not its content''s',
                r.position USING ERRCODE = 'check_violation';
        END IF;"""


_SHAPE = {EXPERIENCE.table: f"\n        IF checked THEN{_ENVELOPE}\n        END IF;", ARTIFACTS.table: _ARTIFACT}
"""What each table's rows must hold beyond their position, hash and chain value: experience
documents parse as a JSON object whose id, kind and tenant are the row's indexed columns (the
tenant is what row-level security judges); an artifact's id and size are its content's; run and
journal rows (the default) hold a JSON object."""
_NOT_OWNER = "NOT pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'USAGE')"
"""True when the session inserting is not the table's owner (nor a member of it, nor a superuser)."""
_CHECKED = f"""
    checked boolean := {_NOT_OWNER} AND getdatabaseencoding() = 'UTF8';"""
_DECLARATIONS = {
    EXPERIENCE.table: _CHECKED + "\n    parsed json;",
    ARTIFACTS.table: f"\n    checked boolean := {_NOT_OWNER};",
}
"""Whether a statement's rows get the shape check, and the variables it uses (`_CHECKED` unless
named). Only sessions other than the owner's are checked: the owner writes through ledgerspec,
which validated every document, and could switch the triggers off anyway, while the checks cost
about 10 µs of server time per row (a third to a half more for bulk appends). The JSON checks
need a UTF-8 database to read the documents as text; elsewhere they are skipped."""


def _extends_head(ledger: Ledger, linked: str = "r.hash", create: str = "CREATE") -> str:
    """The `{table}_extends_head()` trigger function of `_EXTENDS_HEAD` (see there), each row
    linking `linked` into the chain after the previous row's chain value."""
    return f"""{create} FUNCTION {ledger.table}_extends_head() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    head_position bigint;
    previous bytea;
    r record;{_DECLARATIONS.get(ledger.table, _CHECKED)}
BEGIN
    IF TG_RELID <> '{ledger.table}'::regclass THEN
        RAISE EXCEPTION 'ledgerspec: % is not {ledger.table}', TG_RELID::regclass
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT h.position, h.chain INTO head_position, previous FROM {HEADS_TABLE} h
        WHERE h.ledger = '{ledger.table}' FOR UPDATE;
    FOR r IN SELECT i.*, i.{ledger.order} AS position FROM inserted i ORDER BY i.{ledger.order} LOOP
        head_position := head_position + 1;
        IF r.position <> head_position THEN
            RAISE EXCEPTION 'ledgerspec: {ledger.table} row % refused: the next position is % '
                '(positions are contiguous)', r.position, head_position USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF r.hash <> sha256(r.document) THEN
            RAISE EXCEPTION 'ledgerspec: {ledger.table} row % refused: its hash is not the SHA-256 of its document',
                r.position USING ERRCODE = 'check_violation';
        END IF;
        previous := sha256(previous || {linked});
        IF r.chain <> previous THEN
            RAISE EXCEPTION 'ledgerspec: {ledger.table} row % refused: its chain value does not follow the row '
                'before it', r.position USING ERRCODE = 'check_violation';
        END IF;{_SHAPE.get(ledger.table, _JSON_OBJECT)}
    END LOOP;
    IF FOUND THEN
        UPDATE {HEADS_TABLE} SET position = head_position, chain = previous WHERE ledger = '{ledger.table}';
    END IF;
    RETURN NULL;{"" if ledger == ARTIFACTS else _UNPARSED}
END
$$;
"""


_EXTENDS_HEAD = "".join(
    f"""DROP TRIGGER {ledger.table}_within_head ON {ledger.table};
DROP FUNCTION {ledger.table}_within_head();
CREATE FUNCTION {ledger.table}_lock_head() RETURNS SETOF {HEADS_TABLE} LANGUAGE sql
    SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT * FROM {HEADS_TABLE} WHERE ledger = '{ledger.table}' FOR UPDATE $$;
{_extends_head(ledger)}\
CREATE TRIGGER {ledger.table}_extends_head AFTER INSERT ON {ledger.table} REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION {ledger.table}_extends_head();
REVOKE EXECUTE ON FUNCTION {ledger.table}_lock_head(), {ledger.table}_extends_head() FROM PUBLIC;
"""
    for ledger in LEDGERS
)
"""Each insert statement into a ledger table locks the table's head (its writers queue there),
checks every row it inserted in position order against the head (the next position, the SHA-256
of its document, the chain value following the row before, the table's shape) and moves the head
to the last one. `{table}_lock_head()` is how writers take that lock first and read the head;
both run as the schema's owner, so a tenant role appends with no privilege on `ledger_heads`."""

_VERSION_2 = f"""
ALTER FUNCTION ledgerspec_append_only() SET search_path FROM CURRENT;
REVOKE EXECUTE ON FUNCTION ledgerspec_append_only() FROM PUBLIC;
DROP TRIGGER {HEADS_TABLE}_forward ON {HEADS_TABLE};
DROP FUNCTION ledgerspec_heads_forward();
DROP TRIGGER {HEADS_TABLE}_stored ON {HEADS_TABLE};
DROP FUNCTION ledgerspec_head_is_stored();
DROP POLICY experience_head ON {HEADS_TABLE};
{_HEAD_FOLLOWS_ROWS}REVOKE EXECUTE ON FUNCTION ledgerspec_head_follows_rows() FROM PUBLIC;
{_EXTENDS_HEAD}
DO $$
DECLARE
    tenant name;
BEGIN
    FOR tenant IN SELECT t.role_name FROM {TENANT_ROLES} t JOIN pg_roles r ON r.rolname = t.role_name LOOP
        EXECUTE format('REVOKE ALL ON {HEADS_TABLE} FROM %I', tenant);
        EXECUTE format('GRANT EXECUTE ON FUNCTION {EXPERIENCE.table}_lock_head() TO %I', tenant);
    END LOOP;
END
$$;
"""
"""Version 2, against tenant roles: every function runs with a fixed search path (the schema, then
`pg_temp` last, `pg_catalog` implicitly first), so no temporary table or function shadows the
ledger's; heads move only with appended rows, which must take the next position, carry their
document's hash and chain value and have the table's shape; the head bookkeeping runs as the
owner, and tenant roles lose every privilege on `ledger_heads` (they lock it through
`experience_events_lock_head()`)."""

_VERSION_3 = "".join(
    _extends_head(ledger, f"r.hash || r.{ledger.sealed[0]}", "CREATE OR REPLACE")
    for ledger in LEDGERS
    if ledger.sealed is not None
)
"""Version 3: a ledger's sealed column (an artifact's kind, which no document gives) is chained
after its hash, as the stores now append it (`chain.linked`), so it cannot change unseen."""

MIGRATIONS: tuple[str, ...] = (_VERSION_1, _VERSION_2, _VERSION_3)
"""Migration `i` brings a schema from version `i` to `i + 1`; the current version is their count.
Each runs with the schema, then `pg_temp`, as its search path: the path `SET search_path FROM
CURRENT` gives a function."""


Connection = psycopg.Connection[tuple[Any, ...]]


def _version_table(schema: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(VERSION_TABLE))


def schema_version(conn: Connection, schema: str) -> int:
    """The format version a schema records (0 when ledgerspec never initialised it)."""
    found = conn.execute("SELECT to_regclass(%s)", [_version_table(schema).as_string(conn)])
    if found.fetchone() == (None,):
        return 0
    value = conn.execute(sql.SQL("SELECT max(version) FROM {}").format(_version_table(schema))).fetchone()
    return int(value[0]) if value and value[0] is not None else 0


def migrate(conn: Connection, schema: str, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Bring `schema` to the newest version, one transaction per step, each under an advisory
    lock (so servers' clients opening an old schema together migrate it once); return the version.
    `conn` must be in autocommit mode."""
    name = sql.Identifier(schema)
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ledgerspec migrate {schema}"])
            current = schema_version(conn, schema)
            if current > len(migrations):
                raise newer_format(f"schema {schema!r}", current, len(migrations))
            if current == len(migrations):
                return current
            if current == 0:
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
                columns = "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()"
                conn.execute(sql.SQL("CREATE TABLE {} (" + columns + ")").format(_version_table(schema)))
            conn.execute(sql.SQL("SET LOCAL search_path TO {}, pg_temp").format(name))
            conn.execute(migrations[current].encode())
            conn.execute(sql.SQL("INSERT INTO {} (version) VALUES (%s)").format(_version_table(schema)), [current + 1])
