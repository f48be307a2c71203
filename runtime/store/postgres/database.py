"""The PostgreSQL backend: a psycopg connection pool on one schema, write transactions that lock
their ledger's head row, serialization failures retried, and server errors turned into
ledgerspec errors (one error, at once, when the server is down or goes away)."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import psycopg
from psycopg import errors
from psycopg.adapt import Dumper
from psycopg.copy import LibpqWriter
from psycopg.pq import Format
from psycopg.sql import Composed
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from ...errors import ConflictError, StorageError, TransientError
from .. import stored
from ..chain import Break, Row, TableReport, link, linked
from ..database import Database, Stream, format_error
from ..ledgers import TAIL, Ledger
from ..locations import SCHEMES
from . import definitions
from .schema import HEADS_TABLE, MIGRATIONS, migrate, schema_version

T = TypeVar("T")
Connection = psycopg.Connection[tuple[Any, ...]]
DEFAULT_SCHEMA = "ledgerspec"
DEFAULT_LOCK_TIMEOUT = 5.0
"""Seconds a write waits for a lock (its ledger's head row, held by another writer) by default."""
COPY_ROWS = 64
"""Batches from this size go in with COPY; smaller ones with one multi-row INSERT, which saves
COPY's extra round trips."""
INSERT_ROWS = 1000
"""Rows per INSERT statement where COPY is not used (tenant roles: PostgreSQL refuses COPY under
row-level security). Each statement's trigger checks its rows and moves the head once, so a big
batch takes a few statements, never one per row."""
RETRIED = (errors.SerializationFailure, errors.DeadlockDetected)
"""Failures PostgreSQL asks the client to retry; the transaction was rolled back."""


class Utf8Bytea(Dumper):
    """Sends Python strings as `bytea` holding their UTF-8: every string column of the ledger
    tables is bytea, so comparisons are bytewise and U+0000 is storable."""

    format = Format.BINARY
    oid = psycopg.adapters.types["bytea"].oid

    def dump(self, obj: str) -> bytes:
        return obj.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Target:
    """Where a store lives: the libpq connection string and the schema (namespace) inside it."""

    conninfo: str
    schema: str

    @classmethod
    def parse(cls, url: str, schema: str | None = None) -> Target:
        """A `postgresql://` URL; its `schema` query parameter (not a libpq one) names the
        namespace, unless `schema` is given."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number of 0-65535
        except ValueError as exc:
            raise StorageError(f"not a valid postgresql:// URL: {exc}") from None
        if parts.scheme not in SCHEMES:
            raise StorageError(f"the URL (scheme {parts.scheme!r}) is not a postgresql:// URL")
        query = parse_qsl(parts.query, keep_blank_values=True)
        named = [value for key, value in query if key == "schema"]
        chosen = schema or (named[-1] if named else DEFAULT_SCHEMA)
        if not chosen or "\x00" in chosen:
            raise StorageError(f"{chosen!r} is not a schema name")
        libpq = [(key, value) for key, value in query if key != "schema"]
        return cls(_url(parts.scheme, parts.netloc, parts.path, libpq), chosen)

    @property
    def where(self) -> str:
        """The database and schema, for messages (no password)."""
        return f"{self.redacted()} schema {self.schema}"

    def redacted(self) -> str:
        """The URL without its password (in the authority or a `password` parameter), for messages."""
        parts = urlsplit(self.conninfo)
        netloc = parts.netloc
        if parts.password is not None:
            netloc = f"{parts.username or ''}:***@{netloc.rpartition('@')[2]}"
        query = [(key, "***" if key == "password" else value) for key, value in parse_qsl(parts.query, True)]
        return _url(parts.scheme, netloc, parts.path, query)


def _url(scheme: str, netloc: str, path: str, query: Sequence[tuple[str, str]]) -> str:
    """A URL from its parts, keeping `//` before an empty authority (libpq's `postgresql:///db`)
    and encoding spaces as `%20` (libpq does not read `+` as a space)."""
    rest = urlencode(query, quote_via=quote)
    return f"{scheme}://{netloc}{path}" + (f"?{rest}" if rest else "")


@lru_cache(maxsize=512)
def _native(statement: str) -> bytes:
    """A statement written with `?` placeholders in psycopg's `%s` form."""
    return statement.replace("%", "%%").replace("?", "%s").encode()


def connect(target: Target, timeout: float) -> Connection:
    """A new autocommit connection, opened in the calling thread: a server that cannot be reached
    fails this call at once with libpq's reason (`cannot connect to the server: connection
    refused`), where a pool would only time out while retrying in the background."""
    try:
        return psycopg.connect(target.conninfo, autocommit=True, connect_timeout=libpq_timeout(timeout))
    except psycopg.OperationalError as exc:
        raise TransientError(f"{target.where}: cannot connect to the server: {_unreachable(exc)}") from None
    except psycopg.Error as exc:
        raise translate(exc, target.where) from None


def _unreachable(exc: psycopg.Error) -> str:
    """Why libpq could not connect, without its framing: `connection refused` from `connection
    failed: connection to server at "host", port N failed: Connection refused` (the URL names the
    host and port), the server's message without its `FATAL:` tag; a Unix socket is named, since
    the URL need not show it."""
    line = str(exc).strip().partition("\n")[0] or type(exc).__name__
    for frame in ("connection failed: ", "connection is bad: "):
        line = line.removeprefix(frame)
    place, failed, reason = line.partition(" failed: ")
    if not failed or not place.startswith("connection to server "):
        return line
    reason = reason.removeprefix("FATAL:").strip()
    if reason[:1].isupper() and reason[1:2].islower():  # "Connection refused", not "SSL ..."
        reason = reason[0].lower() + reason[1:]
    socket = place.partition("connection to server on socket ")[2]
    return f"{reason} (socket {socket})" if socket else reason


def translate(exc: Exception, target: str) -> StorageError | ConflictError:
    """The ledgerspec error of a psycopg or pool failure."""
    state = getattr(exc, "sqlstate", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, PoolClosed):
        return StorageError(f"{target}: the store is closed")
    if isinstance(exc, PoolTimeout):
        return TransientError(f"{target}: no connection to the server became free or could be opened: {text}")
    if isinstance(exc, errors.UniqueViolation):
        return ConflictError(f"the row is already stored (a row this connection cannot see holds its key): {text}")
    if isinstance(exc, errors.QueryCanceled):
        return TransientError(f"{target}: statement cancelled ({text}); nothing was written")
    if isinstance(exc, errors.LockNotAvailable):
        return TransientError(f"{target}: lock wait timed out ({text}); nothing was written")
    if isinstance(exc, RETRIED):
        return TransientError(f"{target}: {text} (SQLSTATE {state}) on every attempt; nothing was written")
    if isinstance(exc, errors.InsufficientPrivilege) and text.startswith("ledgerspec:"):
        return StorageError(text)
    if isinstance(exc, psycopg.OperationalError) and (state is None or state.startswith(("08", "57P"))):
        return TransientError(
            f"{target}: the connection to the server failed ({text}); a write in progress was rolled back "
            "unless it was committing, and appending the same documents again is safe"
        )
    if (state or "").startswith(("53", "58")):
        return TransientError(f"{target}: the server could not complete the call ({text}, SQLSTATE {state})")
    return StorageError(f"{target}: {text}" + (f" (SQLSTATE {state})" if state else ""))


class PostgresDatabase(Database):
    """The ledger tables of one schema of a PostgreSQL database, through a connection pool.

    Write transactions run at READ COMMITTED and first lock their ledger's row of `ledger_heads`
    (through `{table}_lock_head()`, which tenant roles may call without any privilege on the
    table), so writers of one ledger queue there and each sees every row committed before it. A
    wait for a lock longer than `lock_timeout` seconds (None: the server's setting) gives up with a
    `TransientError`, so a transaction holding the lock idle cannot stall every writer. A
    serialization failure or deadlock reported by the server is retried (`retries` times, with
    jittered backoff); other failures of the server or the network are `TransientError`.

    A call that finds the server gone raises at once, and its pool is closed rather than left to
    reconnect in the background; later calls connect in their own thread first, so while the
    server is down each fails at once saying why (`cannot connect to the server: connection
    refused`), and once it is back the store works again without reopening.
    """

    same = "IS NOT DISTINCT FROM"

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        readonly: bool = False,
        pool_size: int = 8,
        connect_timeout: float = 10.0,
        statement_timeout: float | None = None,
        lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
        retries: int = 5,
        tenant_role: bool = False,
    ) -> None:
        self.target = Target.parse(url, schema)
        self.readonly = readonly
        self.retries = retries
        self.tenant_role = tenant_role
        """Connected as a tenant's role: row-level security applies, which PostgreSQL's COPY refuses."""
        self.lock_timeout = lock_timeout
        self.connect_timeout = connect_timeout
        self.pool_size = max(pool_size, 1)
        self._begin = "BEGIN ISOLATION LEVEL READ COMMITTED" + (
            f"; SET LOCAL lock_timeout = '{_milliseconds(lock_timeout)}ms'" if lock_timeout is not None else ""
        )
        self._local = threading.local()
        self._settings = {
            "search_path": '"' + self.target.schema.replace('"', '""') + '"',  # one quoted identifier
            "default_transaction_read_only": "on" if readonly else "off",
            "statement_timeout": f"{round(statement_timeout * 1000)}ms" if statement_timeout is not None else None,
            # Plan each query for its own values: a generic plan cannot tell a rare kind from a common one.
            "plan_cache_mode": "force_custom_plan",
        }
        self._pools = threading.Lock()
        """Guards `_pool` and `_closed`, and makes threads that find no pool open one at a time."""
        self._closed = False
        with self._translated(), connect(self.target, connect_timeout) as conn:
            self.version = self._prepare(conn, not (tenant_role or readonly))
        self._pool: ConnectionPool[Connection] | None = self._new_pool()
        """None after a connection was lost (see `_retire`) until a call finds the server again."""

    @property
    def where(self) -> str:
        """The database and schema, for messages (no password)."""
        return self.target.where

    def _new_pool(self) -> ConnectionPool[Connection]:
        """A pool on a server just reached. Its background workers open its connections (the
        first at once, more when calls overlap); one that fails is retried, each attempt logged as
        a warning, for `connect_timeout` seconds (as long as a call waits for a connection) rather
        than psycopg_pool's default five minutes. A server that went away is reported by the call
        that finds it gone, which closes the pool (`_retire`)."""
        return ConnectionPool(
            self.target.conninfo,
            kwargs={"autocommit": True, "connect_timeout": libpq_timeout(self.connect_timeout)},
            min_size=1,
            max_size=self.pool_size,
            configure=self._configure,
            timeout=self.connect_timeout,
            reconnect_timeout=self.connect_timeout,
            open=True,
            name=f"ledgerspec {self.target.schema}",
        )

    def _current_pool(self) -> ConnectionPool[Connection]:
        """The open pool; after `_retire`, a new one, once a connection made in this thread shows
        the server answers again, so a server still down fails the call at once with the reason
        (`cannot connect to the server: connection refused`)."""
        with self._pools:
            if self._closed:
                raise PoolClosed("the store is closed")
            if self._pool is None:
                connect(self.target, self.connect_timeout).close()
                self._pool = self._new_pool()
            return self._pool

    def _retire(self, pool: ConnectionPool[Connection]) -> None:
        """Close `pool` after one of its connections was found lost: the server went away or
        restarted, so its idle connections are lost too. A closed pool stops its workers, so it
        does not reconnect in the background (logging a warning per attempt) for a call that has
        already failed; connections lent from it are closed when given back. The next call opens
        a new pool (`_current_pool`)."""
        with self._pools:
            if self._pool is pool:
                self._pool = None
        pool.close()

    def _give_back(self, pool: ConnectionPool[Connection], conn: Connection) -> None:
        """Return a lent connection to its pool, retiring the pool first when the connection
        was lost (psycopg_pool would log it as a warning, then reconnect in the background)."""
        if conn.closed:
            self._retire(pool)
        pool.putconn(conn)

    def _prepare(self, conn: Connection, writable: bool) -> int:
        """Migrate the schema (or, when not `writable`, check it is current); return its version."""
        if writable:
            return migrate(conn, self.target.schema)
        version = schema_version(conn, self.target.schema)
        if version != len(MIGRATIONS):
            raise format_error(self.where, version, len(MIGRATIONS), empty="holds no ledgerspec ledger")
        return version

    def _configure(self, conn: Connection) -> None:
        for name, value in self._settings.items():
            if value is not None:
                conn.execute("SELECT set_config(%s, %s, false)", [name, value])
        conn.adapters.register_dumper(str, Utf8Bytea)  # after the settings: their names are text
        conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (psycopg.Error, PoolTimeout) as exc:
            raise translate(exc, self.where) from None

    def _borrow(self, first: Callable[[Connection], T]) -> tuple[ConnectionPool[Connection], Connection, T]:
        """A pooled connection, its pool and what `first` (the call's first statements on it)
        gave. Idle connections are not probed before lending (that would cost a round trip per
        call): a connection the server closed meanwhile (a restart) fails in `first`, which marks
        it `_Stale`; its pool is retired and the call tries once more on a new pool, which fails
        at once if the server is down."""
        lost: BaseException | None = None
        for _ in range(2):
            pool = self._current_pool()
            try:
                conn = pool.getconn()
            except PoolClosed as closed:  # retired by another thread while this one waited
                lost = closed
                continue
            try:
                return pool, conn, first(conn)
            except _Stale as stale:
                lost = stale.__cause__
                self._give_back(pool, conn)
            except BaseException:
                self._give_back(pool, conn)
                raise
        assert lost is not None
        raise lost

    def _lent(self, use: Callable[[Connection], T]) -> T:
        """`use` on a pooled connection (see `_borrow`), which goes back to the pool after."""
        pool, conn, result = self._borrow(use)
        self._give_back(pool, conn)
        return result

    @contextmanager
    def _live(self) -> Iterator[Connection]:
        """A pooled connection proved open by a round trip, for calls that hold one a while
        (verify's walk, grants), where `_lent`'s retry of the whole call does not fit."""
        pool, conn, _ = self._borrow(lambda conn: _first(conn, b"SELECT 1"))
        try:
            yield conn
        finally:
            self._give_back(pool, conn)

    def transact(self, ledger: Ledger, work: Callable[[], T]) -> T:
        if self.readonly:
            raise StorageError(f"{self.where} is opened read-only")
        if getattr(self._local, "conn", None) is not None:
            raise StorageError("a ledger write cannot start inside another on the same thread")
        with self._translated():
            for attempt in itertools.count():
                try:
                    return self._lent(lambda conn: self._attempt(conn, ledger, work))
                except errors.LockNotAvailable:
                    waited = "the server's lock_timeout" if self.lock_timeout is None else f"{self.lock_timeout} s"
                    raise TransientError(
                        f"{self.where}: a write to {ledger.table} waited {waited} for a lock another transaction "
                        f"holds (the ledger's write lock, its row of {HEADS_TABLE}, or a row it is inserting) and "
                        "gave up; nothing was written, and calling again is safe"
                    ) from None
                except RETRIED:
                    if attempt >= self.retries:
                        raise
                    time.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _attempt(self, conn: Connection, ledger: Ledger, work: Callable[[], T]) -> T:
        """One try at a write transaction. Its first round trip begins it and locks the ledger's
        head row, so `work` sees every write committed before it and none commits beside it."""
        self._local.conn, self._local.heads = conn, {}
        try:
            cursor = _first(conn, f"{self._begin}; {_lock(ledger)}".encode())
            while cursor.nextset():  # on to the last result: the head row
                pass
            row = cursor.fetchone()
            if row is None:
                raise StorageError(f"{self.where}: {HEADS_TABLE} has no row for {ledger.table}")
            self._local.heads[ledger.table] = [int(row[0]), bytes(row[1])]
            result = work()
            conn.execute(b"COMMIT")
            return result
        except BaseException:
            if not conn.broken:
                conn.execute(b"ROLLBACK")  # also after a failed first statement: it may have begun
            raise
        finally:
            self._local.conn = None

    def _head(self, ledger: Ledger) -> list[Any]:
        """The head (position, chain value) of the ledger the current transaction locked."""
        head: list[Any] = self._local.heads[ledger.table]
        return head

    def last_position(self, ledger: Ledger) -> int:
        return int(self._head(ledger)[0])

    def append_rows(self, ledger: Ledger, rows: Sequence[Row]) -> None:
        if not rows:
            return
        head = self._head(ledger)
        position, previous = head[0], head[1]
        values = []
        for row in rows:
            position += 1
            previous = link(previous, linked(ledger, row))
            values.append((position, *(_utf8(value) for value in row.columns), row.document, row.digest, previous))
        names = (ledger.order, *ledger.names, *TAIL)
        cursor = self._local.conn.cursor()
        # The table's insert trigger checks the rows against the head and moves it.
        if self.tenant_role or len(values) < COPY_ROWS:
            marks = "(" + ", ".join(["%s"] * len(names)) + ")"
            for start in range(0, len(values), INSERT_ROWS):
                chunk = values[start : start + INSERT_ROWS]
                statement = f"INSERT INTO {ledger.table} ({', '.join(names)}) VALUES {', '.join([marks] * len(chunk))}"
                cursor.execute(statement.encode(), [value for row_values in chunk for value in row_values])
        else:
            copy_in = f"COPY {ledger.table} ({', '.join(names)}) FROM STDIN".encode()
            with cursor.copy(copy_in, writer=_CopyWriter(cursor)) as copy:
                for value in values:
                    copy.write_row(value)
        head[:] = [position, previous]

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        current: Connection | None = getattr(self._local, "conn", None)
        with self._translated():
            if current is not None:
                return current.execute(_native(sql), params).fetchall()
            return self._lent(lambda conn: _first(conn, _native(sql), params).fetchall())

    @contextmanager
    def snapshot(self) -> Iterator[Stream]:
        """A REPEATABLE READ transaction: every query in it sees the same committed state."""

        def stream(sql: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
            with conn.cursor(name="ledgerspec_snapshot") as cursor:
                cursor.itersize = 2000
                cursor.execute(_native(sql), params)
                yield from cursor

        with self._translated(), self._live() as conn:
            conn.execute(b"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield stream
            finally:
                if not conn.broken:
                    conn.execute(b"COMMIT")

    def source(self, ledger: Ledger, index: str, alias: str = "") -> str:
        return f"{ledger.table} {alias}".rstrip()  # PostgreSQL takes no index hints; see sorted_order

    def sorted_order(self, column: str) -> str:
        return f"{column} + 0"  # an expression no index is ordered by: the planner filters, then sorts

    def text(self, value: Any) -> Any:
        return bytes(value).decode("utf-8", "surrogatepass") if isinstance(value, (bytes, memoryview)) else value

    def _readable(self, row: Sequence[Any]) -> Sequence[Any]:
        """Also keeps a value that is not UTF-8 as bytes (a raw INSERT can store any bytes),
        which verify then reports as a column not matching its document."""
        return [*(stored.lenient_text(value) for value in row[:-3]), *row[-3:]]

    def _checked_ends(self, reports: list[TableReport], stream: Stream) -> list[TableReport]:
        """Each table's end against its `ledger_heads` row (read in the same snapshot), which
        shows rows removed from the end of a table."""
        heads = {
            str(table): (int(position), bytes(chain).hex())
            for table, position, chain in stream(f"SELECT ledger, position, chain FROM {HEADS_TABLE}", ())
        }
        return [self._against_head(report, heads.get(report.table)) for report in reports]

    @staticmethod
    def _against_head(report: TableReport, head: tuple[int, str] | None) -> TableReport:
        if report.broken is not None or head is None or head[1] == report.head:
            return report
        reason = (
            f"the table ends at chain value {report.head[:16]}…, but {HEADS_TABLE} records position {head[0]} "
            f"with chain value {head[1][:16]}… (rows were removed from its end, or the heads row was changed)"
        )
        return report.with_problem(Break(report.table, head[0], {}, reason))

    def definition_problems(self) -> list[str]:
        schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
        functions = self.read(f"SELECT proname, prosrc FROM pg_proc WHERE pronamespace = {schema}")
        triggers = self.read(
            "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            f"JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = {schema} AND NOT t.tgisinternal"
        )
        return definitions.problems(functions, triggers)

    def administer(self, statements: Sequence[Composed]) -> None:
        """Run statements (role grants and the like) in one transaction of their own."""
        with self._translated(), self._live() as conn:
            conn.execute(b"BEGIN")
            try:
                for statement in statements:
                    conn.execute(statement)
                conn.execute(b"COMMIT")
            except BaseException:
                if not conn.closed:  # a lost connection has nothing to roll back (psycopg's block would log trying)
                    conn.execute(b"ROLLBACK")
                raise

    def close(self) -> None:
        with self._pools:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def _lock(ledger: Ledger) -> str:
    """The statement that locks a ledger's head row for the transaction and reads it."""
    return f"SELECT position, chain FROM {ledger.table}_lock_head()"


def _milliseconds(seconds: float) -> int:
    """A timeout setting's value in whole milliseconds, at least 1 (0 would mean no timeout)."""
    return max(1, round(seconds * 1000))


class _CopyWriter(LibpqWriter):
    """psycopg's writer of COPY data, except that a COPY whose connection was lost is not ended:
    nothing can be sent on it any more, and psycopg would log its failure to as a warning beside
    the error the call raises."""

    def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None and self.connection.closed:
            return
        super().finish(exc)


class _Stale(Exception):
    """A pooled connection found closed by the server on its first statement: nothing was done
    on it, so the call can go on with another connection."""


def _first(conn: Connection, statement: bytes, params: Sequence[Any] = ()) -> psycopg.Cursor[tuple[Any, ...]]:
    """The first statement of a call on a lent connection; raises `_Stale` when the connection
    turns out to be closed."""
    try:
        return conn.execute(statement, params)
    except psycopg.OperationalError as exc:
        if conn.broken:
            raise _Stale from exc
        raise


def libpq_timeout(timeout: float) -> int:
    """libpq's `connect_timeout`: whole seconds, at least 1 (0 would mean wait forever)."""
    return max(1, round(timeout))


def _utf8(value: Any) -> Any:
    """A column value as COPY sends it: strings as the UTF-8 bytes their bytea column holds."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
