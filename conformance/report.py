"""Reports of a conformance run: a terminal summary, a versioned JSON document and JUnit XML."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any, TextIO
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

from .results import RunReport, ScenarioResult

REPORT_VERSION = 2
"""Version 2 added `capabilities` (declared, required, certified, untested) and `problems`."""
STYLES = {
    "passed": "green",
    "failed": "bold red",
    "errored": "bold magenta",
    "skipped": "yellow",
    "xfailed": "cyan",
    "xpassed": "bold red",
}


def as_json(report: RunReport) -> dict[str, Any]:
    """The report as described by `conformance/schemas/report.json`."""
    return {
        "report_version": REPORT_VERSION,
        "suite_version": report.suite_version,
        "store": report.store,
        "seconds": round(report.seconds, 3),
        "ok": report.ok,
        "problems": report.problems(),
        "capabilities": capabilities(report),
        "tally": report.tally(),
        "results": [{**dataclasses.asdict(r), "capabilities": list(r.capabilities)} for r in report.results],
    }


def capabilities(report: RunReport) -> dict[str, list[str]]:
    """What the run proved, capability by capability."""
    requested = sorted(report.requested)
    return {
        "declared": sorted(report.declared),
        "required": sorted(report.required),
        "requested": requested,
        "certified": report.certified(),
        "known_gaps": [c for c in requested if report.capability_status(c) == "known-gaps"],
        "untested": [c for c in requested if report.capability_status(c) == "untested"],
    }


def write_junit(report: RunReport, path: Path) -> None:
    """JUnit XML, one test case per scenario (classname = its area), for CI dashboards."""
    tally = report.tally()
    suite = ElementTree.Element(
        "testsuite",
        name=f"ledgerspec conformance ({report.store.get('name', 'store')})",
        tests=str(len(report.results)),
        failures=str(tally["failed"] + tally["xpassed"]),
        errors=str(tally["errored"]),
        skipped=str(tally["skipped"] + tally["xfailed"]),
        time=f"{report.seconds:.3f}",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for key, names in capabilities(report).items():
        ElementTree.SubElement(properties, "property", name=f"capabilities.{key}", value=",".join(names))
    for result in report.results:
        area, _, name = result.id.partition("/")
        case = ElementTree.SubElement(suite, "testcase", classname=area, name=name, time=f"{result.seconds:.3f}")
        if result.status in ("failed", "xpassed"):
            ElementTree.SubElement(case, "failure", message=result.reason or result.status).text = _detail(result)
        elif result.status == "errored":
            ElementTree.SubElement(case, "error", message=result.reason or "errored")
        elif result.status in ("skipped", "xfailed"):
            ElementTree.SubElement(case, "skipped", message=f"{result.status}: {result.reason or ''}")
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def _detail(result: ScenarioResult) -> str:
    failure = result.failure
    if failure is None:
        return result.reason or ""
    where = f"step {failure.step} ({failure.op})" + (f", branch {failure.branch}" if failure.branch is not None else "")
    return f"{where}: {failure.message}"


def print_summary(report: RunReport, out: TextIO) -> None:
    """Per-capability tallies, then every failure and error in full, then the verdict."""
    console = Console(file=out, highlight=False, soft_wrap=True)
    by_capability: dict[str, Counter[str]] = {}
    for result in report.results:
        for capability in result.capabilities:
            by_capability.setdefault(capability, Counter())[result.status] += 1
    table = Table(title=f"ledgerspec conformance: {report.store.get('name')}", show_edge=False)
    table.add_column("capability")
    for status in STYLES:
        table.add_column(status, justify="right", style=STYLES[status])
    for capability in sorted(by_capability):
        counts = by_capability[capability]
        table.add_row(capability, *(str(counts[status]) for status in STYLES))
    console.print(table)
    for result in report.results:
        if result.status in ("failed", "errored", "xpassed"):
            console.print(f"\n[{STYLES[result.status]}]{result.status.upper()}[/] {result.id}: {result.description}")
            console.print(_detail(result), markup=False)
    problems = report.problems()
    if problems:
        console.print("\n[bold red]Not certified:[/]", markup=True)
        for problem in problems:
            console.print(f"  {problem}", markup=False)
    tally = report.tally()
    summary = ", ".join(f"{count} {status}" for status, count in tally.items() if count) or "nothing ran"
    certified = ", ".join(report.certified()) or "none"
    verdict = "[green]conforms[/]" if report.ok else "[bold red]does not conform[/]"
    console.print(
        f"\n{len(report.results)} scenarios in {report.seconds:.1f} s: {summary}. "
        f"Certified: {certified}. The store {verdict}."
    )
