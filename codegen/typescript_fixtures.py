"""Check the TypeScript bindings against every value fixture with `tsc --noEmit --strict` (and
again with the strictest flags a project may add).

Run by `nox -s bindings_ts` after the bindings are generated. It writes a TypeScript program that
states one claim per fixture and has tsc judge all of them:

- a valid fixture that serde writes as it is (`strict: true`) is a typed constant,
  `const x: T = <document>`;
- a valid fixture only a reader accepts (unknown keys, missing optional fields) goes through
  `wire<T>()(<document>)`, which checks it the way a value read from JSON is checked:
  structurally, unknown keys allowed;
- an invalid fixture whose fault is at the type level (missing field, wrong tag, wrong JSON type)
  goes through `wire` under `// @ts-expect-error`, so tsc must reject it;
- an invalid fixture whose fault TypeScript cannot state (a pattern, a range, a closed object,
  the writer contract) goes through `wire` without the directive, so tsc must accept it: the
  coverage report lists each one with the rule it breaks.

Which invalid fixtures are type-level is decided independently of tsc, by validating the
document against the type-level reduction of its schema (`codegen.typescript.type_level`).
Every union also gets a function that narrows it exhaustively by its tags, read by `codegen.unions`.

Usage: python -m codegen.typescript_fixtures BINDINGS_DIR CHECK_DIR --coverage FILE --tsc TSC
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from codegen import ROOT, Entry
from codegen.typescript import SCHEMASET, type_level
from codegen.unions import TaggedUnion, UnionError, tagged_unions

FIXTURES = ROOT / "conformance" / "fixtures" / "values"
WIRE = """\
/** Checks `value` against T as a value read from JSON is checked: structurally, with unknown keys allowed. */
function wire<T>(): <V extends T>(value: V) => V {
  return (value) => value;
}
"""
# Why an invalid fixture that breaks this rule is still a well-typed TypeScript value.
REASONS = {
    "pattern": "a string pattern",
    "minLength": "a minimum string length",
    "x-max-utf8-bytes": "a UTF-8 byte limit",
    "minimum": "a number range",
    "maximum": "a number range",
    "exclusiveMinimum": "a number range",
    "exclusiveMaximum": "a number range",
    "type": "an integer given a fraction (TypeScript has one number type)",
    "additionalProperties": "a closed object given an extra key (TypeScript object types admit extra keys)",
}
# The same for fixtures invalid only under the writer contract (`"mode": "strict"`): the bindings
# type what a reader accepts.
STRICT_REASONS = {
    "unevaluatedProperties": "the writer contract: an unknown key",
    "required": "the writer contract: a field serde always writes (null included) left out",
}
# The compiler settings every claim must hold under: `--strict` as a plain project compiles, and
# the strictest flags a project may add on top (exact optional properties, isolated modules).
CONFIGURATIONS = {
    "strict": ["--strict", "--target", "es2022", "--module", "nodenext"],
    "strictest": [
        "--strict",
        "--target",
        "es2022",
        "--module",
        "esnext",
        "--moduleResolution",
        "bundler",
        "--exactOptionalPropertyTypes",
        "--noUncheckedIndexedAccess",
        "--noPropertyAccessFromIndexSignature",
        "--isolatedModules",
        "--verbatimModuleSyntax",
    ],
}
TSC_LINE = re.compile(r"^(?P<file>[^(]+)\((?P<line>\d+),\d+\): error (?P<code>TS\d+): (?P<message>.*)$")


# typed: a valid fixture as `const x: T = ...`; reader: a valid one through `wire`; rejected: an
# invalid one under `@ts-expect-error`; accepted: an invalid one TypeScript cannot reject.
Kind = Literal["typed", "reader", "rejected", "accepted"]


@dataclass(frozen=True)
class Claim:
    """One fixture as a line of the check program, and what tsc must say about it."""

    fixture: str
    type_name: str
    document: Any
    kind: Kind
    reason: str = ""

    def statement(self, index: int) -> str:
        """The TypeScript lines for this claim; the document sits on the last one."""
        literal = json.dumps(self.document, ensure_ascii=True)
        if self.kind == "typed":
            return f"export const fixture{index}: {self.type_name} = {literal};"
        call = f"export const fixture{index} = wire<{self.type_name}>()({literal});"
        return f"// @ts-expect-error\n{call}" if self.kind == "rejected" else call


def projected_registry(entries: Mapping[str, Any]) -> Registry[Any]:
    """A registry of the type-level reductions of every schema, under their own `$id`s."""
    resources = [(entry.uri, DRAFT202012.create_resource(type_level(entry.schema))) for entry in entries.values()]
    return Registry().with_resources(resources)


def claims(entries: Mapping[str, Any], fixtures_dir: Path) -> Iterator[Claim]:
    """Every fixture's claim, in file order."""
    registry = projected_registry(entries)
    for path in sorted(fixtures_dir.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = entries[data["type"]]
        type_name = _type_name(entry)
        validator = Draft202012Validator({"$ref": entry.uri}, registry=registry)
        for case in data["valid"]:
            yield Claim(case["id"], type_name, case["document"], "typed" if case["strict"] else "reader")
        for case in data["invalid"]:
            if validator.is_valid(case["document"]):
                yield Claim(case["id"], type_name, case["document"], "accepted", reason_for(case))
            else:
                yield Claim(case["id"], type_name, case["document"], "rejected")


def reason_for(case: Mapping[str, Any]) -> str:
    """The rule an invalid fixture breaks that TypeScript cannot state, in words."""
    reasons = STRICT_REASONS if case.get("mode") == "strict" else REASONS
    rules = sorted({error["rule"] for error in case["errors"]})
    return "; ".join(f"`{rule}`: {reasons.get(rule, 'not a type-level rule')}" for rule in rules)


def program(claims: list[Claim], bindings: Path, check_dir: Path) -> tuple[str, dict[int, str]]:
    """The fixture program's text and, for each line of it, the fixture that line states."""
    lines = [*_imports(bindings, check_dir), "", *WIRE.splitlines(), ""]
    owners: dict[int, str] = {}
    for index, claim in enumerate(claims):
        lines.append(f"// {claim.fixture}")
        for statement_line in claim.statement(index).splitlines():
            lines.append(statement_line)
            owners[len(lines)] = claim.fixture
    return "\n".join(lines) + "\n", owners


def union_checks(entries: Mapping[str, Any], bindings: Path, check_dir: Path) -> str:
    """One function per tagged union that narrows it by its tag, exhaustively: it compiles only
    if every variant carries its own tag (a discriminated union, not one merged object)."""
    lines = _imports(bindings, check_dir)
    unions = tagged_unions(SCHEMASET.by_uri(entries))
    for name in sorted(unions):
        union = unions[name]
        entry = union.entry
        body = _in_checks(union) if union.tagging.style == "external" else _switch(union)
        lines += [
            "",
            f"export function narrow_{entry.namespace}_{entry.class_name}(value: {_type_name(entry)}): void {{",
            *body,
            "}",
        ]
    return "\n".join(lines) + "\n"


def _switch(union: TaggedUnion) -> list[str]:
    """Internally or adjacently tagged: a `switch` on the tag property."""
    lines = [f"  switch (value.{union.tagging.tag}) {{"]
    for variant in union.variants:
        (tag,) = variant.tags
        lines.append(f"    case {json.dumps(tag)}: {{")
        lines.append(f"      const variant: {_type_name(variant.member)} = value;")
        lines.append("      return;")
        lines.append("    }")
    lines += ["  }", "  const unreachable: never = value;"]
    return lines


def _in_checks(union: TaggedUnion) -> list[str]:
    """Externally tagged: unit variants are strings, every other variant an object whose one key
    is its name."""
    lines = []
    for variant in union.variants:
        if variant.unit:
            test = 'typeof value === "string"'
        else:
            test = f'typeof value === "object" && {json.dumps(variant.tags[0])} in value'
        lines += [
            f"  if ({test}) {{",
            f"    const variant: {_type_name(variant.member)} = value;",
            "    return;",
            "  }",
        ]
    lines.append("  const unreachable: never = value;")
    return lines


def _imports(bindings: Path, check_dir: Path) -> list[str]:
    """Import every namespace module of the bindings into a check program in `check_dir`."""
    relative = os.path.relpath(bindings, check_dir).replace(os.sep, "/")
    return [f'import * as {ns} from "{relative}/{ns}.js";' for ns in SCHEMASET.NAMESPACES]


def _type_name(entry: Entry) -> str:
    """The TypeScript name of a type: `<namespace>.<class name>`."""
    return f"{entry.namespace}.{entry.class_name}"


def coverage(claims: list[Claim]) -> str:
    """The coverage report: how many fixtures each check covers, and every invalid fixture
    TypeScript cannot reject, grouped by the rule it breaks."""
    counts = Counter(claim.kind for claim in claims)
    accepted: defaultdict[str, list[str]] = defaultdict(list)
    for claim in claims:
        if claim.kind == "accepted":
            accepted[claim.reason].append(claim.fixture)
    valid = counts["typed"] + counts["reader"]
    invalid = counts["rejected"] + counts["accepted"]
    lines = [
        "# TypeScript bindings: value fixture coverage",
        "",
        "Generated by `nox -s bindings_ts` (`codegen/typescript_fixtures.py`). Do not edit. Every value",
        "fixture of `conformance/fixtures/values/` is one line of a program that `tsc --noEmit --strict`",
        "compiles against these bindings, once as is and once with `--exactOptionalPropertyTypes",
        "--noUncheckedIndexedAccess --noPropertyAccessFromIndexSignature --isolatedModules",
        "--verbatimModuleSyntax`; every claim must hold under both.",
        "",
        "| fixtures | count | claim tsc checks |",
        "|---|---:|---|",
        f"| valid, written by serde (`strict`) | {counts['typed']:,} | compiles: `const x: T = <document>` |",
        f"| valid, reader only | {counts['reader']:,} | compiles: `wire<T>()(<document>)`, unknown keys allowed |",
        f"| invalid at the type level | {counts['rejected']:,} | rejected: the same under `// @ts-expect-error` |",
        f"| invalid by a rule TypeScript cannot state | {counts['accepted']:,} | compiles through `wire`; see below |",
        "",
        f"All {valid:,} valid fixtures compile; {counts['rejected']:,} of the {invalid:,} invalid ones are rejected",
        "by the type checker. The other invalid ones break a rule only the JSON Schemas (and the ledgerspec",
        "validators) enforce. A fixture counts as type-level when its document is invalid against the type-level",
        "reduction of its schema (`codegen/typescript.py`: no patterns, ranges, byte limits or closed objects,",
        "`integer` read as `number`), judged by `jsonschema`, not by tsc.",
        "",
        "## Invalid fixtures TypeScript cannot reject",
    ]
    for reason in sorted(accepted, key=lambda reason: (-len(accepted[reason]), reason)):
        fixtures = accepted[reason]
        lines += ["", f"### {reason} ({len(fixtures)})", ""]
        lines += [f"- `{fixture}`" for fixture in fixtures]
    return "\n".join(lines) + "\n"


def run_tsc(tsc: str, check_dir: Path, owners: Mapping[int, str], claims: Mapping[str, Claim]) -> list[str]:
    """Compile the check program under each compiler configuration and return one message per
    broken claim (none when all hold)."""
    problems = []
    for name, options in CONFIGURATIONS.items():
        command = [tsc, "--noEmit", "--pretty", "false", *options, "fixtures.ts", "unions.ts"]
        result = subprocess.run(command, cwd=check_dir, capture_output=True, text=True, check=False)
        found = [f"[{name}] {problem}" for problem in _claim_problems(result.stdout, owners, claims)]
        if result.returncode != 0 and not found:
            found.append(f"[{name}] tsc failed:\n{result.stdout}{result.stderr}")
        problems += found
    return problems


def _claim_problems(output: str, owners: Mapping[int, str], claims: Mapping[str, Claim]) -> Iterator[str]:
    """tsc's errors as broken claims, each named by its fixture (other errors verbatim)."""
    for line in output.splitlines():
        match = TSC_LINE.match(line)
        if match is None:
            continue
        fixture = owners.get(int(match["line"])) if match["file"].endswith("fixtures.ts") else None
        if fixture is None:
            yield line
            continue
        verdict = "tsc accepted a fixture it must reject" if match["code"] == "TS2578" else "tsc rejected it"
        yield f"{fixture} ({claims[fixture].kind}): {verdict}: {match['code']} {match['message']}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bindings", type=Path, help="the generated bindings (generated/typescript)")
    parser.add_argument("check_dir", type=Path, help="where the check program is written")
    parser.add_argument("--coverage", type=Path, required=True, help="where the coverage report is written")
    parser.add_argument("--tsc", required=True, help="the pinned tsc executable")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args(argv)
    entries = SCHEMASET.load_dir(ROOT / "schemas")
    all_claims = list(claims(entries, args.fixtures))
    args.check_dir.mkdir(parents=True, exist_ok=True)
    text, owners = program(all_claims, args.bindings.resolve(), args.check_dir.resolve())
    (args.check_dir / "fixtures.ts").write_text(text, encoding="utf-8")
    try:
        unions = union_checks(entries, args.bindings.resolve(), args.check_dir.resolve())
    except UnionError as exc:
        raise SystemExit(f"codegen.typescript_fixtures: {exc}") from exc
    (args.check_dir / "unions.ts").write_text(unions, encoding="utf-8")
    args.coverage.write_text(coverage(all_claims), encoding="utf-8")
    tsc = os.path.abspath(shutil.which(args.tsc) or args.tsc)
    problems = run_tsc(tsc, args.check_dir, owners, {claim.fixture: claim for claim in all_claims})
    counts = Counter(claim.kind for claim in all_claims)
    print(
        f"TypeScript fixture check: {counts['typed'] + counts['reader']:,} valid fixtures compile "
        f"({counts['typed']:,} as typed constants, {counts['reader']:,} reader-only through wire<T>); "
        f"{counts['rejected']:,} type-level invalid fixtures rejected; {counts['accepted']:,} invalid fixtures "
        f"TypeScript cannot express listed in {args.coverage}; {unions.count('export function'):,} tagged unions "
        f"narrow exhaustively; under {' and '.join(CONFIGURATIONS)} compiler settings."
    )
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} fixture claim(s) failed; the program is in {args.check_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
