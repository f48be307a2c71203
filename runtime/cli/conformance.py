"""`ledgerspec conformance [STORE]`: run the store scenarios against a store and report."""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ledgerspec.conformance.harness import HarnessTarget
from ledgerspec.conformance.report import as_json, print_summary, write_junit
from ledgerspec.conformance.results import ScenarioResult
from ledgerspec.conformance.runner import (
    CAPABILITIES,
    DEFAULT_TIMEOUT,
    InProcessTarget,
    Target,
    TargetError,
    UsageError,
    run_suite,
    select,
)
from ledgerspec.conformance.scenarios import Scenario, load_scenarios
from ledgerspec.conformance.targets import ENTRY_POINT_GROUP, UnknownTarget, resolve

OK, FAILED, USAGE = 0, 1, 2


def add_conformance_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `conformance` on the top-level parser."""
    sub = commands.add_parser(
        "conformance",
        help="run the store conformance scenarios (default store: the reference SqliteStore)",
        description="Run the store scenarios against a store: `module:factory` (called once per scenario for "
        f"a fresh store), the name of a store installed under the `{ENTRY_POINT_GROUP}` entry points, or, "
        "with no argument, the reference SqliteStore in a temporary directory. Exit 0 only when the store "
        "conforms: nothing failed or errored, at least one scenario passed, and every capability the store "
        "declares (and every --require'd one) was tested; 1 when it does not; 2 for a usage error.",
    )
    sub.add_argument("store", nargs="?", help="module:factory or an installed store's name")
    sub.add_argument(
        "--harness",
        metavar="COMMAND",
        help="run a store in any language: COMMAND speaks the JSON-lines harness protocol on stdin/stdout",
    )
    sub.add_argument(
        "--validate-protocol", action="store_true", help="check every harness message against the protocol schema"
    )
    sub.add_argument("--scenarios", type=Path, help="a directory of scenario files (default: the shipped ones)")
    sub.add_argument("--only", metavar="PREFIX", action="append", help="run only scenarios whose id starts so")
    sub.add_argument(
        "--expected-failures", type=Path, metavar="FILE", help="scenario ids (one per line, # comments) known to fail"
    )
    sub.add_argument(
        "--require",
        metavar="CAP[,CAP...]",
        action="append",
        default=[],
        help=f"capabilities the store must certify (any of {', '.join(CAPABILITIES)}); repeatable",
    )
    sub.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failing scenario")
    sub.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds one store call may take")
    sub.add_argument("--report", choices=["text", "json"], default="text", help="json: the versioned report")
    sub.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML here")
    sub.set_defaults(run=cmd_conformance)


def _expected_failures(path: Path | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(line for line in lines if line)


@contextlib.contextmanager
def _progress(err: TextIO, total: int) -> Iterator[Callable[[ScenarioResult], object]]:
    """A progress bar on a terminal's standard error; elsewhere nothing."""
    if not err.isatty():
        yield lambda result: None
        return
    columns = (TextColumn("conformance"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=Console(file=err), transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(result: ScenarioResult) -> None:
            bar.update(task, advance=1, description=result.id)

        yield advance


def cmd_conformance(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the suite and print the requested report; the exit code says whether the store conforms."""
    try:
        scenarios: list[Scenario] = load_scenarios(args.scenarios)
        expected = _expected_failures(args.expected_failures)
    except (OSError, ValueError) as exc:
        err.write(f"ledgerspec: {exc}\n")
        return USAGE
    if args.store and args.harness:
        err.write("ledgerspec: give a STORE or --harness, not both\n")
        return USAGE
    required = frozenset(cap.strip() for value in args.require for cap in value.split(",") if cap.strip())
    try:
        scenarios = select(scenarios, args.only or (), expected)
    except UsageError as exc:
        err.write(f"ledgerspec: {exc}\n")
        return USAGE
    with tempfile.TemporaryDirectory(prefix="ledgerspec-conformance-") as scratch:
        try:
            target: Target
            if args.harness:
                target = HarnessTarget(args.harness, args.timeout, validate=args.validate_protocol)
            else:
                factory, name = resolve(args.store, Path(scratch))
                target = InProcessTarget(factory, name, args.timeout)
        except (UnknownTarget, TargetError, UsageError) as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
        try:
            with _progress(err, len(scenarios)) as advance:
                report = run_suite(
                    target,
                    scenarios,
                    expected_failures=expected,
                    required=required,
                    on_result=advance,
                    exit_first=args.exitfirst,
                )
        except UsageError as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
        finally:
            target.close()
    if args.junit:
        write_junit(report, args.junit)
    if args.report == "json":
        out.write(json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n")
    else:
        print_summary(report, out)
    return OK if report.ok else FAILED
