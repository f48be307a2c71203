"""`ledgerspec store ...`: create, fill, query, verify, checkpoint, export, import and copy a
ledger: a SQLite file, or a schema of a PostgreSQL database named by a `postgresql://` URL (see
`locations`).

Exit codes as for every command: 0 done, 1 a document or the store refused (nothing of the
failing batch written), 2 usage error (bad option, unreadable input, no such ledger file).
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import orjson
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import default_codec
from ..canonical import jcs
from ..contract import shipped
from ..errors import InvalidInputError, LedgerspecError, ValidationError
from ..jsontext import serialize
from ..store import LedgerStore, checkpoint, stored
from ..store.checkpoint import Mark
from ..store.envelope_rules import envelope_columns
from .inputs import Document, UnreadableInput, read_documents
from .locations import UsageError, format_version, open_existing, open_store

OK, INVALID, USAGE = 0, 1, 2
EXPERIENCE_TYPE = "converge.ExperienceEventEnvelope"
RUN_EVENT_TYPE = "mfm.EventEnvelope"
JOURNAL_TYPE = "agentsdk.JournalRecord"
LEDGER_TYPES = (EXPERIENCE_TYPE, RUN_EVENT_TYPE, JOURNAL_TYPE)
DEFAULT_BATCH = 1000
DEFAULT_MAX_PROBLEMS = 100
LOCATION = "a SQLite file or a postgresql:// URL"
EVENT_COLUMNS = ("event_id", "occurred_at", "tenant", "correlation", "kind", "chain")

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]
Advance = Callable[[int], object]


class Failure(Exception):
    """A batch that could not be written: the error and, when known, the document (`file:line`) it is about."""

    def __init__(self, where: str | None, error: LedgerspecError) -> None:
        super().__init__(where, error)
        self.where = where
        self.error = error


def _bare(exc: LedgerspecError) -> str:
    """The message of `exc` without the batch position the store put in front (the CLI names file and line)."""
    return Exception.__str__(exc)


def _guarded(command: Command) -> Command:
    """`command` with store errors printed as `ledgerspec: <code>: <message>` (exit 1) and usage problems
    as exit 2, so no store problem ends in a traceback."""

    @functools.wraps(command)
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        try:
            return command(args, out, err)
        except UsageError as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
        except LedgerspecError as exc:
            err.write(f"ledgerspec: {exc.code}: {exc}\n")
            return INVALID

    return run


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


# -- append and import -----------------------------------------------------------------------


def _read(path: str) -> Iterator[Document]:
    """The documents of one input (`.json`, `.jsonl`, `.ndjson` or `-`); an unreadable input is a usage error."""
    for doc in read_documents([path]):
        if isinstance(doc, UnreadableInput):
            raise UsageError(str(doc))
        yield doc


def _detected(doc: Document) -> str:
    """The ledger type of an exported document, told by its keys (an export mixes all three ledgers)."""
    value = doc.value
    if isinstance(value, dict):
        if "journal_seq" in value:
            return JOURNAL_TYPE
        if "run_id" in value and "seq" in value:
            return RUN_EVENT_TYPE
        if "event_id" in value:
            return EXPERIENCE_TYPE
    problem = "not a ledger document: no journal_seq (journal record), run_id and seq (run event) or event_id"
    raise Failure(doc.label, InvalidInputError(f"{problem} (experience envelope)"))


def _batches(
    docs: Iterable[Document], size: int, type_of: Callable[[Document], str]
) -> Iterator[tuple[str, list[Document]]]:
    """Consecutive documents of one ledger type, at most `size` at a time; a malformed document raises
    Failure before its batch is handed out, so nothing of that batch is written."""
    pending: list[Document] = []
    current = ""
    for doc in docs:
        if doc.error is not None:
            raise Failure(doc.label, doc.error)
        type_name = type_of(doc)
        if pending and type_name != current:
            yield current, pending
            pending = []
        current = type_name
        pending.append(doc)
        if len(pending) == size:
            yield current, pending
            pending = []
    if pending:
        yield current, pending


def _culprit(docs: list[Document], exc: LedgerspecError) -> str | None:
    """Which document of a batch a store error is about, from the batch position the store gives."""
    return docs[exc.index].label if exc.index is not None and exc.index < len(docs) else None


@dataclass(frozen=True)
class Loader:
    """Appends batches of documents to their ledgers, each batch all or nothing."""

    store: LedgerStore
    strict: bool
    skip_stored: bool
    """Import: run events at or below their run's head are already stored and are skipped."""

    def append(self, type_name: str, docs: list[Document]) -> None:
        """Append one batch of `type_name` documents; raises Failure naming the document at fault."""
        self._judge_repeated_keys(type_name, docs)
        if type_name == RUN_EVENT_TYPE:
            self._append_run_events(docs)
            return
        write: Callable[[list[Any]], object] = (
            self.store.experience.append_events if type_name == EXPERIENCE_TYPE else self.store.journal.append_all
        )
        try:
            write([doc.value for doc in docs])
        except LedgerspecError as exc:
            raise Failure(_culprit(docs, exc), exc) from None

    def _judge_repeated_keys(self, type_name: str, docs: list[Document]) -> None:
        """serde's verdict on the keys that repeat in a document: the store receives its value, in
        which each repeated key already holds its last value, so it could not tell."""
        validator = default_codec().validator
        for doc in docs:
            if doc.parsed is not None and doc.parsed.repeats:
                problems = validator.repeated_key_issues(type_name, doc.parsed, self.strict)
                if problems:
                    raise Failure(doc.label, ValidationError(type_name, problems))

    def _append_run_events(self, docs: list[Document]) -> None:
        """Append a batch of run events in one transaction, one append per stretch of one run."""
        groups = self._run_groups(docs)
        try:
            self.store.runs.append_all([(run, head, [doc.value for doc in group]) for run, head, group in groups])
        except LedgerspecError as exc:
            raise Failure(_culprit([doc for _, _, group in groups for doc in group], exc), exc) from None

    def _run_groups(self, docs: list[Document]) -> list[tuple[str, int, list[Document]]]:
        """The batch split into stretches of one run, each with the head it extends (the store's
        head before the batch, advanced by the stretches before it)."""
        heads: dict[str, int] = {}
        groups: list[tuple[str, int, list[Document]]] = []
        for doc in docs:
            run, seq = self._run_event(doc)
            if run not in heads:
                heads[run] = self.store.runs.head_seq(run)
            if self.skip_stored and seq <= heads[run]:
                continue
            if groups and groups[-1][0] == run:
                groups[-1][2].append(doc)
            else:
                groups.append((run, heads[run], [doc]))
            heads[run] += 1
        return groups

    def _run_event(self, doc: Document) -> tuple[str, int]:
        """The run and seq of a run event, after checking it against the contract."""
        try:
            default_codec().validator.validate(RUN_EVENT_TYPE, doc.value, self.strict)
            return self.store.runs.run_key(doc.value["run_id"]), int(doc.value["seq"])
        except LedgerspecError as exc:
            raise Failure(doc.label, exc) from None


@contextmanager
def _progress(err: TextIO) -> Iterator[Advance]:
    """A progress bar on a terminal's standard error (nothing otherwise); yields how to advance it."""
    if not err.isatty():
        yield lambda count: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.completed} document(s) appended"), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=err), transient=True) as bar:
        task = bar.add_task("append", total=None)
        yield lambda count: bar.update(task, advance=count)


def _rows(store: LedgerStore) -> int:
    """How many rows the ledgers hold, compared before and after a load to count what it appended."""
    return sum(store.counts().values())


def _load(
    loader: Loader, docs: Iterable[Document], size: int, type_of: Callable[[Document], str], out: TextIO, err: TextIO
) -> int:
    """Append `docs` batch by batch and print a summary; on the first failing batch stop, name the
    document at fault and say how many documents were appended before it (when the store can still count)."""
    store = loader.store
    before, read = _rows(store), 0
    try:
        with _progress(err) as advance:
            for type_name, batch in _batches(docs, size, type_of):
                loader.append(type_name, batch)
                read += len(batch)
                advance(len(batch))
    except (Failure, LedgerspecError) as exc:
        failure = exc if isinstance(exc, Failure) else Failure(None, exc)
        where = f"{failure.where}: " if failure.where else ""
        err.write(f"ledgerspec: {where}{failure.error.code}: {_bare(failure.error)}\n")
        with suppress(LedgerspecError):  # a store that cannot count (its server went away): the error says why
            err.write(f"ledgerspec: stopped after appending {_rows(store) - before} document(s)\n")
        return INVALID
    appended = _rows(store) - before
    out.write(f"{store.location}: appended {appended} document(s), {read - appended} already present\n")
    return OK


@_guarded
def cmd_append(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Append the documents of one input to the ledger of `--type`, a batch at a time."""
    with open_store(args.path, strict=args.strict) as store:
        loader = Loader(store, args.strict, skip_stored=False)
        return _load(loader, _read(args.file), args.batch, lambda doc: str(args.type), out, err)


@_guarded
def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Append an export's documents to their ledgers; importing what is already stored changes nothing."""
    with open_store(args.path) as store:
        loader = Loader(store, strict=False, skip_stored=True)
        return _load(loader, _read(args.file), args.batch, _detected, out, err)


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


def _event_table(documents: list[bytes], out: TextIO) -> None:
    """Print envelopes as a table of the columns the store indexes them by."""
    table = Table(*EVENT_COLUMNS, title=f"{len(documents)} event(s)")
    for column in table.columns:
        column.overflow = "fold"
    for document in documents:
        event_id, kind, tenant, correlation, chain, occurred_at, *_ = envelope_columns(orjson.loads(document))
        cells = (event_id, occurred_at, tenant, correlation, kind, chain)
        table.add_row(*("" if cell is None else str(cell) for cell in cells))
    Console(file=out).print(table)


@_guarded
def cmd_query(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the envelopes an EventQuery matches, as stored (JSON lines) or as a table."""
    query = _event_query(args)
    with open_existing(args.path) as store:
        documents = store.experience.query_documents(query)
    if _format(args.format, out) == "table":
        _event_table(documents, out)
        return OK
    with _sink(None, out) as write:
        for document in documents:
            write(document + b"\n")
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
    with open_existing(args.path) as store:
        report = store.verify(max_problems=args.max_problems, checkpoints=marks)
    problems: list[str] = []
    for table in report.tables:
        out.write(f"{table.table}: {table.rows} row(s), head {table.head}\n")
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


@_guarded
def cmd_checkpoint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Verify the ledger, then print (or write to `-o`) a checkpoint of it: each table's last
    position, chain value and row count, with an HMAC when `--key-file` is given."""
    key = _key(args.key_file)
    with open_existing(args.path) as store:
        value = store.checkpoint(key)
    with _sink(args.output, out) as write:
        write(jcs(value) + b"\n")
    return OK


@_guarded
def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write every stored document as JSON lines, byte for byte as stored (experience, runs, journal)."""
    with open_existing(args.path) as store, _sink(args.output, out) as write:
        for document in store.export():
            write(document + b"\n")
    return OK


def _exported(store: LedgerStore) -> Iterator[Document]:
    """A store's export as input documents, each labelled by its table and position (so a row
    the destination refuses is named where it is stored), read exactly (an integer beyond 64 bits
    keeps its digits, so the copy keeps its bytes); a stored row that is not JSON is a
    CorruptionError naming it."""
    for index, (table, position, data) in enumerate(store.stored_documents()):
        try:
            parsed = stored.parse(data)
        except stored.Malformed as exc:
            raise stored.corrupt(table, position, str(exc)) from None
        yield Document(index, f"{store.location} {table} row {position}", None, parsed)


@_guarded
def cmd_copy(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Copy a ledger between locations (SQLite and PostgreSQL, either way): the documents in
    append order through the destination's checks, then the artifacts. Documents are stored as
    their canonical bytes, so the copy holds the same bytes in the same order, which the two
    `verify` heads prove; copying again adds nothing."""
    with open_existing(args.source) as source, open_store(args.target) as target:
        loader = Loader(target, strict=False, skip_stored=True)
        status = _load(loader, _exported(source), args.batch, _detected, out, err)
        if status != OK:
            return status
        for kind, content in source.artifacts.stored():
            target.artifacts.put(kind, content)
        return _compare_heads(source, target, out, err)


def _compare_heads(source: LedgerStore, target: LedgerStore, out: TextIO, err: TextIO) -> int:
    """Verify both ends and compare each table's head chain value: equal heads mean the same
    documents (bytes) in the same order."""
    differ = 0
    for mine, theirs in zip(source.verify().tables, target.verify().tables, strict=True):
        same = mine.head == theirs.head and mine.rows == theirs.rows and not (mine.broken or theirs.broken)
        out.write(f"{mine.table}: {theirs.rows} row(s), head {theirs.head} {'matches' if same else 'DIFFERS'}\n")
        for broken in (mine.broken, theirs.broken):
            if broken is not None:
                err.write(f"ledgerspec: corruption: {broken}\n")
        if not same:
            differ += 1
    if differ:
        err.write(f"ledgerspec: {target.location} is not a copy of {source.location} ({differ} table(s) differ)\n")
        return INVALID
    return OK


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
    with open_existing(args.path) as store:
        stats = store.stats()
    if _format(args.format, out) == "json":
        out.write(serialize(stats) + "\n")
        return OK
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


def _add_batch(sub: argparse.ArgumentParser) -> None:
    """The `--batch` option of the commands that load documents."""
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
