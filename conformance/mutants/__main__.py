"""`python -m ledgerspec.conformance.mutants [--json FILE] [--workers N]`: run the conformance
suite against every broken store of the catalogue and print the kill matrix; exit 1 when a store
survives or a rule is killed by fewer than two distinct scenarios."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import CATALOGUE, rule_ids
from .base import Bug
from .matrix import Matrix, build


def render(matrix: Matrix, out: TextIO) -> None:
    """The matrix as text: per rule, each store and the scenarios killing it; then a summary."""
    stores_by_rule: dict[str, list[str]] = {}
    for kills in matrix.stores:
        stores_by_rule.setdefault(kills.rule, []).append(kills.name)
    by_name = {kills.name: kills for kills in matrix.stores}
    for rule, scenarios in matrix.by_rule().items():
        print(f"{rule}  ({len(scenarios)} distinct killing scenarios)", file=out)
        for name in stores_by_rule.get(rule, []):
            kills = by_name[name]
            shown = ", ".join(kills.scenarios) if kills.scenarios else "SURVIVES"
            print(f"  {name} [{len(kills.scenarios)}]: {shown}", file=out)
    per_store = [len(k.scenarios) for k in matrix.stores]
    per_rule = [len(s) for r, s in matrix.by_rule().items() if r in stores_by_rule]
    print(
        f"\n{len(matrix.stores)} broken stores over {len(stores_by_rule)} of {len(matrix.rules)} rules; "
        f"killing scenarios per store: min {min(per_store)}, median {statistics.median(per_store):g}; "
        f"per rule: min {min(per_rule)}, median {statistics.median(per_rule):g}",
        file=out,
    )
    problems = matrix.problems()
    for problem in problems:
        print(f"PROBLEM: {problem}", file=out)
    print("Every broken store is caught." if not problems else f"{len(problems)} problem(s).", file=out)


def main(
    argv: Sequence[str] | None = None, catalogue: Sequence[type[Bug]] = CATALOGUE, out: TextIO = sys.stdout
) -> int:
    """Run the catalogue (`catalogue` lets a test add a store); 0 when every store is caught."""
    parser = argparse.ArgumentParser(prog="python -m ledgerspec.conformance.mutants", description=__doc__)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the matrix as JSON to FILE")
    parser.add_argument("--workers", type=int, default=None, help="processes to run stores in (default: one per CPU)")
    args = parser.parse_args(argv)
    workers = args.workers if catalogue is CATALOGUE else 1
    matrix = build(catalogue, rule_ids(), workers)
    render(matrix, out)
    if args.json is not None:
        args.json.write_text(json.dumps(matrix.as_json(), indent=2) + "\n", "utf-8")
    return 1 if matrix.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
