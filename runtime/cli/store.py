"""`ledgerspec store ...`: create, fill, query, verify, checkpoint, export, import and copy a
ledger: a SQLite file, or a schema of a PostgreSQL database named by a `postgresql://` URL (see
`ledgerspec.store.locations`). A thin shell over the library, as sqlite-utils' CLI is: it parses
arguments, reads input files, shows progress and prints what the store returns.

Exit codes as for every command: 0 done, 1 a document or the store refused (nothing of the
failing batch written), 2 usage error (bad option, unreadable input, no such ledger file),
130 interrupted (Ctrl-C; whole batches only were written).
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from .. import default_codec
from ..canonical import jcs
from ..contract import shipped
from ..errors import CorruptionError, InvalidInputError, LedgerspecError, ValidationError
from ..inputs import InputFile, UnreadableInput
from ..jsontext import serialize
from ..store import DEFAULT_BATCH, LedgerStore, Loaded, checkpoint, open_store
from ..store.checkpoint import Mark
from ..store.experience import SHOWN, Found
from ..store.ledgers import DOCUMENT_LEDGERS, EXPERIENCE
from ..store.loading import in_reach
from ..store.locations import MissingExtra, NoLedger, format_version
from .progress import DEFAULT_EVERY, Reporter, reporter

OK, INVALID, USAGE, INTERRUPTED = 0, 1, 2, 130
LEDGER_TYPES = tuple(str(ledger.type_name) for ledger in DOCUMENT_LEDGERS)
EXPERIENCE_TYPE = str(EXPERIENCE.type_name)
DEFAULT_MAX_PROBLEMS = 100
LOCATION = "a SQLite file or a postgresql:// URL"
HEADINGS = {"tenant_id": "tenant", "correlation_id": "correlation", "chain_id": "chain"}
"""Column headings of `query --format table` where they differ from the column names."""

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]
Show = Callable[[Loaded], object]


class UsageError(Exception):
    """A command line the store commands cannot act on (exit 2, nothing written)."""


class Stopped(Exception):
    """A load that stopped before its end: why, and what it had appended (whole batches only)."""

    def __init__(self, loaded: Loaded, why: str, status: int) -> None:
        super().__init__(why)
        self.status = status
        self.lines = [
            f"ledgerspec: {why}\n",
            f"ledgerspec: stopped after appending {loaded.added} document(s) (whole batches only)\n",
        ]


def _bare(exc: LedgerspecError) -> str:
    """The message of `exc` without the batch position the store put in front (the CLI names file and line)."""
    return Exception.__str__(exc)


def _guarded(command: Command) -> Command:
    """`command` with store errors printed as `ledgerspec: <code>: <message>` (exit 1), usage problems
    as exit 2 and Ctrl-C as exit 130, so no store problem ends in a traceback."""

    @functools.wraps(command)
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        try:
            return command(args, out, err)
        except (UsageError, UnreadableInput, NoLedger, MissingExtra) as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
        except LedgerspecError as exc:
            err.write(f"ledgerspec: {exc.code}: {exc}\n")
            return INVALID
        except KeyboardInterrupt:
            err.write("ledgerspec: interrupted\n")
            return INTERRUPTED

    return run


def _existing(location: str) -> LedgerStore:
    """The ledger at `location`, read-only (a missing one is a usage error: reading never creates one)."""
    return open_store(location, readonly=True)


def _format(requested: str | None, out: TextIO) -> str:
    """The output format: as requested, else a table for a terminal and JSON lines for a pipe."""
    return requested or ("table" if out.isatty() else "json")


@contextmanager
def _sink(path: str | None, out: TextIO) -> Iterator[Callable[[bytes], object]]:
    """Where stored documents are written byte for byte: the file `path`, else standard output's byte stream
    (or, for a text-only stream, the bytes decoded: stored documents are UTF-8)."""
    if path is not None:
        try:
            stream = open(path, "wb")  # noqa: SIM115 - closed by the `with` below
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
        with stream:
            yield stream.write
        return
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        yield lambda data: out.write(data.decode("utf-8"))
        return
    out.flush()
    yield buffer.write
    buffer.flush()


# -- init ------------------------------------------------------------------------------------


@_guarded
def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Create or migrate a ledger and say which happened, so scripts can set a store up explicitly."""
    before = format_version(args.path)
    with open_store(args.path) as store:
        pass
    after = format_version(args.path) or 0
    out.write(f"{store.location}: {_init_outcome(before, after)}; ledger format version {after}\n")
    return OK


def _init_outcome(before: int | None, after: int) -> str:
    """What opening the file did, from its format version before (None: no file) and after."""
    if before is None:
        return "created"
    if before == after:
        return "already initialised"
    return "initialised" if before == 0 else f"migrated from format version {before}"


# -- append, import and copy ----------------------------------------------------------------


def _load(batches: Iterable[Loaded], name: Callable[[LedgerspecError], str | None], shown: Show) -> Loaded:
    """Run a load batch by batch, showing progress; on an error or Ctrl-C raise Stopped saying
    what stopped it (the document at fault by `name`) and how much was appended. Ctrl-C asks to
    stop after the batch being written, so the count is exact (a second Ctrl-C stops at once)."""
    loaded = Loaded()
    with _interruptible() as interrupted:
        try:
            for batch in batches:
                loaded += batch
                shown(loaded)
                if interrupted():
                    raise KeyboardInterrupt
        except LedgerspecError as exc:
            where = name(exc)
            why = f"{where}: {exc.code}: {_bare(exc)}" if where else f"{exc.code}: {exc}"
            raise Stopped(loaded, why, INVALID) from None
        except KeyboardInterrupt:
            raise Stopped(loaded, "interrupted", INTERRUPTED) from None
    return loaded


@contextmanager
def _interruptible() -> Iterator[Callable[[], bool]]:
    """Ctrl-C (SIGINT) noted rather than raised, for a loop that stops at its next safe point;
    a second one raises KeyboardInterrupt at once. Off the main thread, where no handler can be
    set, Ctrl-C keeps its usual effect."""
    pressed: list[bool] = []

    def press(signum: int, frame: object) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(True)

    try:
        previous = signal.signal(signal.SIGINT, press)
    except ValueError:
        yield lambda: False
        return
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _loading(command: Callable[[argparse.Namespace, TextIO, TextIO], Loaded]) -> Command:
    """A load command: prints the summary line of what it appended, or, when it stopped, why and
    how much it appended (exit 1, or 130 on Ctrl-C)."""

    @_guarded
    @functools.wraps(command)
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        try:
            command(args, out, err)
        except Stopped as stopped:
            err.writelines(stopped.lines)
            return stopped.status
        return OK

    return run


def _summary(location: str, loaded: Loaded, out: TextIO) -> None:
    out.write(f"{location}: appended {loaded.added} document(s), {loaded.present} already present\n")


def _load_file(args: argparse.Namespace, err: TextIO, out: TextIO, type_name: str | None, strict: bool) -> Loaded:
    """Load one input file into the ledger at `args.path`, with progress on standard error."""
    source = InputFile(args.file, remember=in_reach(args.batch))
    with (
        open_store(args.path, strict=strict) as store,
        reporter(err, source.size, "bytes", args.progress_every) as shown,
    ):
        batches = store.load(source.texts(), type_name=type_name, batch=args.batch, workers=args.workers)
        loaded = _load(
            batches,
            lambda exc: exc.where if exc.index is None else source.labels.name(exc.index) or exc.where,
            lambda loaded: shown.update(source.read, _note(loaded)),
        )
        _summary(store.location, loaded, out)
        return loaded


def _note(loaded: Loaded) -> str:
    return f"{loaded.documents} document(s) ({loaded.added} appended, {loaded.present} already present)"


@_loading
def cmd_append(args: argparse.Namespace, out: TextIO, err: TextIO) -> Loaded:
    """Append the documents of one input to the ledger of `--type`, a batch at a time."""
    return _load_file(args, err, out, args.type, args.strict)


@_loading
def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> Loaded:
    """Append an export's documents to their ledgers; importing what is already stored changes nothing."""
    return _load_file(args, err, out, None, False)


# -- query -----------------------------------------------------------------------------------


def _event_query(args: argparse.Namespace) -> Any:
    """The converge.EventQuery of the filters given (`--since`/`--until` bound the inclusive time range)."""
    value: dict[str, Any] = {
        "kinds": args.kind or [],
        "tenant_id": args.tenant,
        "correlation_id": args.correlation,
        "chain_id": args.chain,
        "limit": args.limit,
    }
    if args.since is not None or args.until is not None:
        value["time_range"] = {"start": args.since, "end": args.until}
    try:
        return default_codec().load("converge.EventQuery", value)
    except ValidationError as exc:
        raise UsageError(f"invalid query: {_bare(exc)}") from None


def _event_table(found: Iterable[Found], out: TextIO) -> None:
    """Print envelopes as a table of the columns the store indexes them by."""
    from rich.console import Console  # only the commands that print a table import rich
    from rich.table import Table

    table = Table(*(HEADINGS.get(name, name) for name in SHOWN))
    for column in table.columns:
        column.overflow = "fold"
    for envelope in found:
        table.add_row(*("" if envelope.columns[name] is None else str(envelope.columns[name]) for name in SHOWN))
    table.title = f"{table.row_count} event(s)"
    Console(file=out).print(table)


@_guarded
def cmd_query(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the envelopes an EventQuery matches, as stored (JSON lines, streamed) or as a table."""
    query = _event_query(args)
    with _existing(args.path) as store:
        table = _format(args.format, out) == "table"
        found = store.experience.stream(query, shown=table)
        if table:
            _event_table(found, out)
            return OK
        with _sink(None, out) as write:
            for envelope in found:
                write(envelope.document + b"\n")
    return OK


# -- verify, export, stats -------------------------------------------------------------------


def _file_bytes(path: str, what: str) -> bytes:
    """The bytes of a file the command line names; a usage error when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None


def _key(path: str | None) -> bytes | None:
    """The HMAC key in a `--key-file`: its bytes, without a final newline; a usage error when
    it cannot be read or is empty."""
    if path is None:
        return None
    key = _file_bytes(path, "key").removesuffix(b"\n").removesuffix(b"\r")
    if not key:
        raise UsageError(f"{path}: the key file is empty")
    return key


def _marks(paths: list[str], key: bytes | None) -> list[Mark]:
    """The marks of every `--checkpoint` file; an unreadable or invalid one is a usage error."""
    marks = []
    for path in paths:
        try:
            marks += checkpoint.load(_file_bytes(path, "checkpoint"), path, key)
        except InvalidInputError as exc:
            raise UsageError(str(exc)) from None
    return marks


@_guarded
def cmd_verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check every row, the append-only triggers and any checkpoints; print each table's rows and
    head, then every problem (at most `--max-problems` rows), and exit 1 when there is one."""
    if args.key_file is not None and not args.checkpoint:
        raise UsageError("--key-file checks checkpoints: give them with --checkpoint FILE")
    marks = _marks(args.checkpoint, _key(args.key_file))
    with _existing(args.path) as store:
        total = sum(store.counts().values())
        with reporter(err, total, "rows", args.progress_every) as walked:
            progress = functools.partial(_rows_walked, walked)
            report = store.verify(max_problems=args.max_problems, checkpoints=marks, progress=progress)
    problems: list[str] = []
    for table in report.tables:
        out.write(f"{table.table}: {table.rows} row(s), head {table.head}\n")
        if table.uncovered:
            out.write(
                f"  NOT VERIFIED: the kind of {table.uncovered} row(s) is covered by no hash (written before "
                "ledger format 3), so verify cannot tell whether it was changed\n"
            )
        shown = [str(broken) for broken in table.problems[: max(args.max_problems - len(problems), 0)]]
        out.writelines(f"  BROKEN: {line}\n" for line in shown)
        if table.found > len(shown):
            out.write(f"  ... and {table.found - len(shown)} more broken row(s) (--max-problems {args.max_problems})\n")
        problems += shown
    for kind, lines in (("definitions", report.definitions), ("checkpoint", report.checkpoints)):
        out.writelines(f"{kind}: BROKEN: {line}\n" for line in lines)
        problems += lines
    if args.checkpoint and not report.checkpoints:
        out.write(f"checkpoints: the ledger extends all {len(args.checkpoint)} checkpoint file(s)\n")
    err.writelines(f"ledgerspec: corruption: {line}\n" for line in problems)
    if not report.ok:
        found = sum(table.found for table in report.tables) + len(report.definitions) + len(report.checkpoints)
        err.write(f"ledgerspec: {store.location} does not verify: {found} problem(s)\n")
    return OK if report.ok else INVALID


def _rows_walked(shown: Reporter, rows: int) -> None:
    shown.update(rows, f"{rows} document(s) verified")


@_guarded
def cmd_checkpoint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Verify the ledger, then print (or write to `-o`) a checkpoint of it: each table's last
    position, chain value and row count, with an HMAC when `--key-file` is given."""
    key = _key(args.key_file)
    with _existing(args.path) as store:
        value = store.checkpoint(key)
    with _sink(args.output, out) as write:
        write(jcs(value) + b"\n")
    return OK


@_guarded
def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write every stored document as JSON lines, byte for byte as stored (experience, runs, journal)."""
    with _existing(args.path) as store, _sink(args.output, out) as write:
        for document in store.export():
            write(document + b"\n")
    return OK


@_loading
def cmd_copy(args: argparse.Namespace, out: TextIO, err: TextIO) -> Loaded:
    """Copy a ledger between locations (SQLite and PostgreSQL, either way): the stored bytes of
    every document in append order through the destination's checks, then the artifacts; then
    compare both ends' verified heads (equal heads: the same bytes in the same order). Copying
    again adds nothing."""
    with _existing(args.source) as source, open_store(args.target) as target:
        total = sum(source.counts()[ledger.table] for ledger in DOCUMENT_LEDGERS)
        with reporter(err, total, "documents", args.progress_every) as shown:
            loaded = _load(
                source.copy_to(target, batch=args.batch, workers=args.workers),
                lambda exc: exc.where,
                lambda loaded: shown.update(loaded.documents, _note(loaded)),
            )
        _summary(target.location, loaded, out)
        differ = 0
        for mine, theirs in source.compare(target):
            same = mine.head == theirs.head and mine.rows == theirs.rows and not (mine.broken or theirs.broken)
            out.write(f"{mine.table}: {theirs.rows} row(s), head {theirs.head} {'matches' if same else 'DIFFERS'}\n")
            err.writelines(f"ledgerspec: corruption: {b}\n" for b in (mine.broken, theirs.broken) if b is not None)
            differ += not same
        if differ:
            raise CorruptionError(f"{target.location} is not a copy of {source.location} ({differ} table(s) differ)")
        return loaded


def _flat(value: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """The leaves of nested stats as dotted keys (`rows.experience_events`), for a two-column table."""
    for key, item in value.items():
        if isinstance(item, dict):
            yield from _flat(item, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", item


@_guarded
def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print row counts, runs, tenants, kinds and sizes of a ledger file."""
    with _existing(args.path) as store:
        stats = store.stats()
    if _format(args.format, out) == "json":
        out.write(serialize(stats) + "\n")
        return OK
    from rich.console import Console
    from rich.table import Table

    table = Table("statistic", "value", title=str(stats["location"]))
    for key, value in _flat(stats):
        table.add_row(key, str(value))
    Console(file=out).print(table)
    return OK


# -- the parser ------------------------------------------------------------------------------


def _count(minimum: int) -> Callable[[str], int]:
    """An argparse type for an integer of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    return parse


def _event_kinds() -> list[str]:
    """The ExperienceEvent kinds a query can filter on, from the shipped schema."""
    kinds: list[str] = shipped().entry("converge.ExperienceEventKind").schema["enum"]
    return kinds


def _add_loading(sub: argparse.ArgumentParser) -> None:
    """The path, input and `--batch` options append and import share."""
    sub.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION} (created when missing)")
    sub.add_argument("file", metavar="FILE", help=".json (one document), .jsonl, .ndjson or - (one per line)")
    _add_batch(sub)


def _add_progress(sub: argparse.ArgumentParser) -> None:
    """The `--progress-every` option of the long commands."""
    sub.add_argument(
        "--progress-every",
        type=_seconds,
        default=DEFAULT_EVERY,
        metavar="S",
        help=f"when standard error is not a terminal, a progress line every S seconds (default {DEFAULT_EVERY:g}; "
        "0: none)",
    )


def _seconds(text: str) -> float:
    """An argparse type for a number of seconds (0 or more)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} is less than 0")
    return value


def _add_batch(sub: argparse.ArgumentParser) -> None:
    """The `--batch`, `--workers` and `--progress-every` options of the commands that load documents."""
    _add_progress(sub)
    workers = 1 if (os.cpu_count() or 1) > 1 else 0
    sub.add_argument(
        "--workers",
        type=_count(0),
        default=workers,
        metavar="N",
        help="processes checking documents while this one writes (default 1 on a multi-core machine, else 0)",
    )
    sub.add_argument(
        "--batch",
        type=_count(1),
        default=DEFAULT_BATCH,
        metavar="N",
        help=f"documents per all-or-nothing write (default {DEFAULT_BATCH})",
    )


def _add_key_file(sub: argparse.ArgumentParser, purpose: str) -> None:
    """The `--key-file` option of the checkpoint commands."""
    sub.add_argument("--key-file", metavar="FILE", help=f"{purpose} (the file's bytes, without a final newline)")


def _add_query(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `store query` and its filters."""
    query = subs.add_parser("query", help="print the experience envelopes matching every filter given")
    query.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    query.add_argument("--tenant", metavar="T", help="only this tenant's envelopes")
    query.add_argument(
        "--kind", action="append", choices=_event_kinds(), metavar="K", help="only this kind (repeatable)"
    )
    query.add_argument("--correlation", metavar="C", help="only this correlation id")
    query.add_argument("--chain", metavar="C", help="only this chain id")
    query.add_argument("--since", metavar="TS", help="only envelopes with occurred_at >= TS")
    query.add_argument("--until", metavar="TS", help="only envelopes with occurred_at <= TS")
    query.add_argument("--limit", type=_count(0), metavar="N", help="at most N envelopes")
    query.add_argument(
        "--format", choices=["json", "table"], help="json: one stored document per line (default when piped)"
    )
    query.set_defaults(run=cmd_query)


def add_store_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `store` and its subcommands on the top-level command list."""
    store = commands.add_parser(
        "store", help="create, fill, query, verify, checkpoint, export, import and copy a ledger (SQLite or PostgreSQL)"
    )
    subs = store.add_subparsers(dest="store_command", required=True, metavar="SUBCOMMAND")

    init = subs.add_parser("init", help="create the ledger, or migrate it to this version's format")
    init.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    init.set_defaults(run=cmd_init)

    append = subs.add_parser("append", help="append documents to one ledger, a batch at a time")
    append.add_argument(
        "--type",
        choices=LEDGER_TYPES,
        default=EXPERIENCE_TYPE,
        metavar="T",
        help=f"document type: {', '.join(LEDGER_TYPES)} (default {EXPERIENCE_TYPE})",
    )
    append.add_argument("--strict", action="store_true", help="check documents against the strict (writer) contract")
    _add_loading(append)
    append.set_defaults(run=cmd_append)

    _add_query(subs)

    verify = subs.add_parser(
        "verify", help="check every row, hash chain and append-only trigger, and that the ledger extends checkpoints"
    )
    verify.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    verify.add_argument(
        "--checkpoint",
        nargs="+",
        default=[],
        metavar="FILE",
        help="checkpoint file(s) (`store checkpoint`): the ledger must hold the same chain value at their positions",
    )
    verify.add_argument(
        "--max-problems",
        type=_count(1),
        default=DEFAULT_MAX_PROBLEMS,
        metavar="N",
        help=f"list at most N broken rows (all are counted; default {DEFAULT_MAX_PROBLEMS})",
    )
    _add_key_file(verify, "check each checkpoint's HMAC with this key")
    _add_progress(verify)
    verify.set_defaults(run=cmd_verify)

    point = subs.add_parser("checkpoint", help="verify, then print each table's position and chain value")
    point.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    point.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _add_key_file(point, "sign the checkpoint with HMAC-SHA256 under this key")
    point.set_defaults(run=cmd_checkpoint)

    export = subs.add_parser("export", help="write every stored document as JSON lines, byte for byte")
    export.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    export.set_defaults(run=cmd_export)

    imported = subs.add_parser("import", help="append an export's documents to their ledgers (idempotent)")
    _add_loading(imported)
    imported.set_defaults(run=cmd_import)

    copy = subs.add_parser("copy", help="copy every ledger and artifact of SRC into DST, byte for byte")
    copy.add_argument("source", metavar="SRC", help=f"the ledger to copy: {LOCATION}")
    copy.add_argument("target", metavar="DST", help="where to copy it (created when missing; empty or an earlier copy)")
    _add_batch(copy)
    copy.set_defaults(run=cmd_copy)

    stats = subs.add_parser("stats", help="row counts, runs, tenants, kinds and sizes")
    stats.add_argument("path", metavar="PATH", help=f"the ledger: {LOCATION}")
    stats.add_argument("--format", choices=["json", "table"], help="json: one line (default when piped)")
    stats.set_defaults(run=cmd_stats)
