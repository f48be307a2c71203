"""The `ledgerspec` command line: list types, validate documents, round-trip them, print schemas.

Exit codes: 0 everything valid, 1 some document is invalid, 2 usage error (unknown type or
option, unreadable file).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
from collections.abc import Iterator, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO

from .. import default_codec, type_names
from ..contract import WRITER_BASE, shipped
from ..errors import UnknownTypeError, ValidationError
from ..inputs import Document, UnreadableInput, read_documents
from ..jsontext import MAX_DOCUMENT_BYTES, serialize
from ..schemaset import ID_BASE, NAMESPACES, bundle, closure

OK, INVALID, USAGE = 0, 1, 2
SUBCOMMANDS = ("store", "conformance", "compat")
"""Commands whose modules (and what they import: the stores, the conformance suite, the compat
checker, tenths of a second together) are imported only to run that command or to list them all;
each module `ledgerspec.cli.<name>` has `add_<name>_command`."""


class Reporter:
    """Writes one result per document, as text for people or JSON lines for machines."""

    def __init__(self, fmt: str, out: TextIO, err: TextIO) -> None:
        self.fmt, self.out, self.err = fmt, out, err
        self.counts = {"valid": 0, "invalid": 0}

    def result(self, doc: Document, errors: list[dict[str, Any]], output: Any = None) -> None:
        valid = not errors
        self.counts["valid" if valid else "invalid"] += 1
        if self.fmt == "json":
            record: dict[str, Any] = {"index": doc.index, "source": doc.source, "line": doc.line, "valid": valid}
            record["errors"] = errors
            self.out.write(serialize(record) + "\n")
            return
        self.out.write(f"{'ok' if valid else 'INVALID'}  {doc.label}\n")
        for error in errors:
            where = error["path"] or "/"
            self.out.write(f"    {where}: [{error['rule']}] {error['message']}\n")

    def summary(self) -> None:
        if self.fmt == "text":
            total = sum(self.counts.values())
            self.err.write(f"{total} document(s): {self.counts['valid']} valid, {self.counts['invalid']} invalid\n")


def _readable(args: argparse.Namespace, err: TextIO, usage: list[str]) -> Iterator[Document]:
    """The documents of the command's inputs; an unreadable input is reported and noted in `usage`."""
    for doc in read_documents(args.files, args.max_bytes):
        if isinstance(doc, UnreadableInput):
            err.write(f"ledgerspec: {doc}\n")
            usage.append(str(doc))
        else:
            yield doc


def _unparsed(doc: Document) -> list[dict[str, Any]]:
    """The error of a document that is not JSON serde would read (empty when it parsed)."""
    if doc.error is None:
        return []
    return [{"path": "", "rule": doc.error.rule, "message": str(doc.error)}]


def cmd_types(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for name in type_names(args.namespace):
        out.write(name + "\n")
    return OK


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    validator = default_codec().validator
    reporter = Reporter(args.format, out, err)
    usage: list[str] = []
    for doc in _readable(args, err, usage):
        if doc.parsed is None:
            reporter.result(doc, _unparsed(doc))
        else:
            reporter.result(doc, [i.as_dict() for i in validator.parsed_issues(args.type, doc.parsed, args.strict)])
    reporter.summary()
    return USAGE if usage else (INVALID if reporter.counts["invalid"] else OK)


def cmd_roundtrip(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    codec = default_codec()
    usage: list[str] = []
    status = OK
    for doc in _readable(args, err, usage):
        problems = _unparsed(doc)
        if doc.parsed is not None:
            try:
                out.write(serialize(codec.dump(codec.load_parsed(args.type, doc.parsed, args.strict))) + "\n")
                continue
            except ValidationError as exc:
                problems = [issue.as_dict() for issue in exc.issues]
        out.write(serialize({"index": doc.index, "source": doc.source, "line": doc.line, "errors": problems}) + "\n")
        status = INVALID
    return USAGE if usage else status


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    contract = shipped()
    entries = contract.writer_entries() if args.strict else contract.entries
    base = WRITER_BASE if args.strict else ID_BASE
    if args.bundle:
        names = closure(entries, [args.type]) if args.type else set(entries)
        uri = f"{base}bundle/{args.type}.json" if args.type else f"{base}bundle.json"
        document = bundle(entries, include=lambda entry: entry.qualified in names, uri=uri)
        if args.type:
            document["$ref"] = f"#/$defs/{args.type}"
    else:
        document = entries[args.type].schema
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return OK


FIXTURE_LAYOUT = "DIR/<namespace>/<Type>.json, as conformance/fixtures/values/ is"


def cmd_fixtures(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.dir is not None:
        problem = _not_a_fixture_dir(Path(args.dir))
        if problem:
            err.write(f"ledgerspec: {problem}\n")
            return USAGE
    from ledgerspec.conformance.lint import main as lint_main  # the fixture checker: imported to run it

    try:
        with contextlib.redirect_stdout(out):
            return INVALID if lint_main([args.dir] if args.dir else []) else OK
    except ValueError as exc:  # a fixture file that is not JSON
        err.write(f"ledgerspec: {exc}\n")
        return INVALID


def _holds_fixtures(path: Path) -> bool:
    return any(any((path / namespace).glob("*.json")) for namespace in NAMESPACES)


def _not_a_fixture_dir(path: Path) -> str | None:
    """Why `path` cannot be a value fixture directory, or None when it holds fixture files."""
    if not path.is_dir():
        return f"{path}: no such directory (DIR holds value fixtures: {FIXTURE_LAYOUT})"
    if _holds_fixtures(path):
        return None
    nested = next((path / sub for sub in ("values", "fixtures/values") if _holds_fixtures(path / sub)), None)
    hint = f"; did you mean {nested}?" if nested else ""
    return f"{path}: no value fixture files; expected {FIXTURE_LAYOUT}{hint}"


def _known_type(name: str) -> str:
    shipped().entry(name)
    return name


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command (each has its own --help); given the `command` about
    to run, of the built-in commands and that one (see `SUBCOMMANDS`). An unknown command gets
    them all, so argparse's error lists every choice."""
    parser = argparse.ArgumentParser(prog="ledgerspec", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"ledgerspec {version('ledgerspec')}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    types = commands.add_parser("types", help="list the qualified type names, one per line")
    types.add_argument("--namespace", choices=NAMESPACES, help="only this namespace")
    types.set_defaults(run=cmd_types)

    def documents(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--type", required=True, metavar="T", help="qualified type name, e.g. converge.ExperienceEventEnvelope"
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            help="apply the strict (writer) contract: no unknown keys, every always-written key present",
        )
        sub.add_argument(
            "--max-bytes",
            type=int,
            default=MAX_DOCUMENT_BYTES,
            help=f"size limit of one document (default {MAX_DOCUMENT_BYTES})",
        )
        sub.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help=".json (one document), .jsonl, .ndjson or - (one per line); default: standard input",
        )

    validate = commands.add_parser("validate", help="check documents against a type's schema")
    documents(validate)
    validate.add_argument(
        "--format", choices=["text", "json"], default="text", help="text for people, json: one JSON line per document"
    )
    validate.set_defaults(run=cmd_validate)

    roundtrip = commands.add_parser(
        "roundtrip", help="load each document into its model and print serde's re-serialization"
    )
    documents(roundtrip)
    roundtrip.set_defaults(run=cmd_roundtrip)

    schema = commands.add_parser(
        "schema",
        help="print a type's schema, or one self-contained bundle of all",
        description="Print the reader contract (the schema files as written) or, with --strict, the writer contract.",
    )
    schema.add_argument("--type", metavar="T", help="qualified type name")
    schema.add_argument(
        "--bundle",
        action="store_true",
        help="one self-contained document with local references: of --type and every type it reaches, or of all types",
    )
    schema.add_argument(
        "--strict",
        action="store_true",
        help="the strict (writer) forms: unknown keys rejected, every always-written key required; "
        f"$ids under {WRITER_BASE}, so they never collide with the reader forms",
    )
    schema.set_defaults(run=cmd_schema)

    fixtures = commands.add_parser(
        "fixtures",
        help="check the golden value fixtures (shipped ones by default)",
        description="Lint value fixtures: each file against the fixture format, each valid document against its "
        "type and its stated serde output, each invalid one against the errors it states; without DIR, the "
        "shipped fixtures and store scenarios. Exit 0: no problem; 1: some problem; 2: DIR is not a fixture "
        "directory.",
    )
    fixtures.add_argument(
        "dir",
        nargs="?",
        metavar="DIR",
        help=f"a directory of value fixture files, one per type: {FIXTURE_LAYOUT} (default: the shipped ones)",
    )
    fixtures.set_defaults(run=cmd_fixtures)

    every = command is None or command not in (*commands.choices, *SUBCOMMANDS)
    for name in SUBCOMMANDS:
        if every or command == name:
            getattr(importlib.import_module(f"{__name__}.{name}"), f"add_{name}_command")(commands)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command `argv` names (its first word that is not an option), if any; None after a
    `--`, which leaves argparse to judge the words."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; returns the exit code (the console script exits with it)."""
    out, err = out or sys.stdout, err or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
        if getattr(args, "type", None) is not None:
            _known_type(args.type)
        if args.command == "schema" and not (args.type or args.bundle):
            parser.error("schema needs --type T, --bundle, or both")
        return int(args.run(args, out, err))
    except UnknownTypeError as exc:
        err.write(f"ledgerspec: {exc}\n")
        return USAGE
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else USAGE
    except BrokenPipeError:
        return OK
