"""Lint of the golden value fixtures: `python -m ledgerspec.conformance.lint [DIR]`.

Checks that every file matches the fixture format, ids are unique and prefixed by their type,
every type and every union variant and enum value is covered, every valid document validates
(strict exactly when it says so) and round-trips to the serde output it states, and every invalid
document is rejected by both validators with the errors it states. Without DIR it also lints the
store scenarios and their coverage of the rule catalogue (`rules.py`). Exit 1 on any problem.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema

from ledgerspec import Codec, Contract, default_codec
from ledgerspec.validation import Validator

from .rules import problems as rule_problems
from .scenarios import lint as scenario_lint
from .scenarios import load_scenarios
from .values import FixtureFile, InvalidCase, ValidCase, format_schema, load_corpus


def same_json(a: Any, b: Any) -> bool:
    """JSON equality that tells integers from floats and ignores key order."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


class Checker:
    """Checks single cases against the codec and both validator engines."""

    def __init__(self, codec: Codec | None = None) -> None:
        self.codec = codec or default_codec()
        self.engines = {"rust": self.codec.validator, "python": Validator(self.codec.contract, "python")}

    def valid(self, case: ValidCase) -> list[str]:
        """Problems of a valid case: rejected, wrong strictness, or an inexact round trip."""
        problems = []
        for name, engine in self.engines.items():
            issues = engine.issues(case.type, case.document)
            if issues:
                problems.append(f"{name} validator rejects it: {[i.as_dict() for i in issues]}")
            strict_ok = not engine.issues(case.type, case.document, strict=True)
            if strict_ok != case.strict:
                problems.append(f"{name} validator says strict={strict_ok}, fixture says strict={case.strict}")
        if problems:
            return problems
        model = self.codec.load(case.type, case.document)
        dumped = self.codec.dump(model)
        if not same_json(dumped, case.expected):
            problems.append(f"dump(load(document)) is {dumped!r}, serde writes {case.expected!r}")
        elif self.codec.load(case.type, dumped) != model:
            problems.append("load(dump(model)) differs from the model")
        if self.engines["rust"].issues(case.type, dumped, strict=True):
            problems.append("serde's output breaks the strict (writer) contract")
        return problems

    def invalid(self, case: InvalidCase) -> list[str]:
        """Problems of an invalid case: accepted, or reported with other errors than stated."""
        problems = []
        strict = case.mode == "strict"
        reported: dict[str, set[tuple[str, str]]] = {}
        for name, engine in self.engines.items():
            if strict and engine.issues(case.type, case.document):
                problems.append(f"{name} validator rejects it in reader mode; a strict-only case must pass there")
            found = {(i.path, i.rule) for i in engine.issues(case.type, case.document, strict=strict)}
            reported[name] = found
            if not found:
                problems.append(f"{name} validator accepts it")
                continue
            missing = set(case.errors) - found
            if missing:
                problems.append(f"{name} validator does not report {sorted(missing)}; it reports {sorted(found)}")
        if reported.get("rust") != reported.get("python"):
            problems.append(
                f"validators disagree: rust {sorted(reported['rust'])}, python {sorted(reported['python'])}"
            )
        return problems


def file_problems(corpus: list[FixtureFile], contract: Contract) -> list[str]:
    """Files that break the fixture format, are misnamed, or name an unknown type."""
    problems = []
    form = jsonschema.Draft202012Validator(format_schema())
    for file in corpus:
        for error in form.iter_errors(file.raw):
            problems.append(f"{file.path}: format: {error.json_path}: {error.message}")
        if file.type and file.path.stem != file.type.partition(".")[2]:
            problems.append(f"{file.path}: holds type {file.type}; the file must be named after it")
        if file.type and file.type not in contract.entries:
            problems.append(f"{file.path}: unknown type {file.type}")
    return problems


def id_problems(corpus: list[FixtureFile]) -> list[str]:
    """Fixture ids used twice or not prefixed by their type."""
    cases: list[ValidCase | InvalidCase] = [c for f in corpus for c in f.valid]
    cases += [c for f in corpus for c in f.invalid]
    counts = Counter(case.id for case in cases)
    problems = [f"{fixture_id}: id used {count} times" for fixture_id, count in counts.items() if count > 1]
    problems += [f"{c.id}: id must start with {c.type}/" for c in cases if not c.id.startswith(c.type + "/")]
    return problems


def coverage_problems(corpus: list[FixtureFile], contract: Contract) -> list[str]:
    """Types without valid or invalid fixtures, union variants and enum values never shown valid."""
    problems = []
    by_type = {f.type: f for f in corpus}
    for name in sorted(contract.entries):
        file = by_type.get(name)
        if file is None or not file.valid:
            problems.append(f"{name}: no valid fixture")
            continue
        if not file.invalid:
            problems.append(f"{name}: no invalid fixture")
        union = contract.unions.get(name)
        if union is not None:
            seen = {union.identify(case.document) for case in file.valid}
            for index, variant in enumerate(union.variants):
                if index not in seen:
                    problems.append(f"{name}: variant {variant} has no valid fixture")
        values = contract.entry(name).schema.get("enum")
        if values:
            documents = [case.document for case in file.valid]
            problems += [f"{name}: enum value {v!r} has no valid fixture" for v in values if v not in documents]
    return problems


def lint(corpus: list[FixtureFile], checker: Checker) -> list[str]:
    """Every problem of the corpus, each prefixed by the file or fixture id it concerns."""
    contract = checker.codec.contract
    problems = file_problems(corpus, contract)
    if problems:
        return problems
    problems = id_problems(corpus) + coverage_problems(corpus, contract)
    for file in corpus:
        problems += [f"{c.id}: {p}" for c in file.valid for p in checker.valid(c)]
        problems += [f"{c.id}: {p}" for c in file.invalid for p in checker.invalid(c)]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Lint the shipped corpus (or DIR) and print every problem; exit 1 if there is any."""
    args = sys.argv[1:] if argv is None else argv
    corpus = load_corpus(Path(args[0]) if args else None)
    problems = lint(corpus, Checker())
    if not args:
        problems += scenario_problems()
    for problem in problems:
        print(problem)
    cases = sum(len(f.valid) + len(f.invalid) for f in corpus)
    print(f"{len(corpus)} fixture files, {cases} fixtures, {len(problems)} problem(s)")
    return 1 if problems else 0


def scenario_problems() -> list[str]:
    """Problems of the shipped store scenarios: their format, then ids, declared capabilities and
    the rules they name (every rule of the catalogue proved by enough scenarios)."""
    try:
        scenarios = load_scenarios()
    except ValueError as exc:
        return [f"scenarios: {exc}"]
    problems = scenario_lint() + rule_problems(scenarios)
    print(f"{len(scenarios)} store scenarios, {len(problems)} problem(s)")
    return problems


if __name__ == "__main__":
    sys.exit(main())
