"""Run the benchmarks of the issue's table, and the codec's other comparisons, and print the table.

Every row races ledgerspec against what a user would use instead, in the same run: each side runs
a warm-up pass, then the two sides alternate pass by pass, so drift in the shared machine's speed
hits both alike. A row gives each side's best rate (documents per second) and the median of the
per-pair ratios (ledgerspec / baseline; above 1 ledgerspec is faster).

The output starts with the summary of the issue's seven rows (operation, both rates, ratio, goal,
met?, and the ratio the row's floor allows), then the floors (what the rules take from the
engines alone), then every row measured. Progress goes to standard error.
Usage: python -m bench [--envelopes N] [--repeat R] [--quick] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import orjson
import referencing
import referencing.jsonschema
import rfc8785
from pydantic import TypeAdapter

import ledgerspec
from ledgerspec import canonical
from ledgerspec.contract import shipped
from ledgerspec.jsontext import may_hold_integral_float

from . import cli_append, pydantic_models, store
from . import store_baselines as baselines
from .corpus import ENVELOPE, envelopes, fixture_documents


def seconds(items: Sequence[Any], work: Callable[[Any], object]) -> float:
    """Wall time of one pass of `work` over `items`."""
    start = time.perf_counter()
    for item in items:
        work(item)
    return time.perf_counter() - start


Side = tuple[Sequence[Any], Callable[[Any], object]]


def race(mine: Side, theirs: Side, repeat: int) -> tuple[float, float, float]:
    """Best documents-per-second of each side and the median ratio of their rates.

    Each side first runs one untimed pass (validators and codec hooks compile on first use); then
    the two alternate pass by pass, so drift in the machine's speed hits both alike."""
    seconds(*mine), seconds(*theirs)
    pairs = [(len(mine[0]) / seconds(*mine), len(theirs[0]) / seconds(*theirs)) for _ in range(repeat)]
    return max(a for a, _ in pairs), max(b for _, b in pairs), statistics.median(a / b for a, b in pairs)


def bare_validators() -> tuple[dict[str, Any], dict[str, Any]]:
    """jsonschema-rs and jsonschema validators compiled straight from the schema files (no
    ledgerspec keywords, no error normalisation): the baselines."""
    contract = shipped()
    resources = [(e.uri, e.schema) for e in contract.entries.values()]
    rs_registry = jsonschema_rs.Registry(resources)
    spec = referencing.jsonschema.DRAFT202012
    py_registry = referencing.Registry().with_resources([(u, spec.create_resource(s)) for u, s in resources])
    rs = {n: jsonschema_rs.validator_for(e.schema, registry=rs_registry) for n, e in contract.entries.items()}
    py = {n: jsonschema.Draft202012Validator(e.schema, registry=py_registry) for n, e in contract.entries.items()}
    return rs, py


@dataclass(frozen=True)
class Row:
    """One measured comparison."""

    operation: str
    baseline: str
    mine: float
    theirs: float
    ratio: float

    def line(self) -> str:
        return f"| {self.operation} | {self.baseline} | {self.mine:,.0f} | {self.theirs:,.0f} | {self.ratio:.2f}x |"


@dataclass(frozen=True)
class Case:
    """A codec or validation race; `key` names the summary row it fills, if any."""

    key: str | None
    operation: str
    baseline: str
    mine: Side
    theirs: Side
    repeat: int


def progress(what: str) -> None:
    print(f"bench: {what}", file=sys.stderr, flush=True)


def codec_rows(docs: Sequence[dict[str, Any]], repeat: int) -> dict[str, Row]:
    """The validation and codec races on `docs` (and the fixture corpus), keyed by summary key or operation."""
    texts = [json.dumps(d, separators=(",", ":"), ensure_ascii=False) for d in docs]
    fixtures = fixture_documents()
    subset = docs[: max(1, len(docs) // 20)]
    rs, py = bare_validators()
    py_ours = ledgerspec.Validator(shipped(), "python")
    adapter = TypeAdapter(pydantic_models.generate().ExperienceEventEnvelope)
    models = [ledgerspec.loads(ENVELOPE, t) for t in texts]
    theirs = [adapter.validate_json(t) for t in texts]
    envelope_rs = rs[ENVELOPE].is_valid

    def ours_value(d: Any) -> None:
        ledgerspec.validate(ENVELOPE, d)

    def ours_text(t: str) -> None:
        ledgerspec.validate_json(ENVELOPE, t)

    def unchecked_dumps(model: Any) -> str:
        return ledgerspec.dumps(model, validate=False)

    cases = [
        Case(
            "value",
            "validate envelopes (JSON value)",
            "jsonschema-rs is_valid",
            (docs, ours_value),
            (docs, envelope_rs),
            repeat,
        ),
        Case(
            "text",
            "validate envelopes (JSON text)",
            "orjson.loads + jsonschema-rs is_valid",
            (texts, ours_text),
            (texts, lambda t: envelope_rs(orjson.loads(t))),
            repeat,
        ),
        Case(
            None,
            "validate envelopes (JSON text)",
            "json.loads + jsonschema-rs is_valid",
            (texts, ours_text),
            (texts, lambda t: envelope_rs(json.loads(t))),
            repeat,
        ),
        Case(
            None,
            "validate envelopes (JSON value)",
            "jsonschema (Python)",
            (subset, ours_value),
            (subset, py[ENVELOPE].is_valid),
            1,
        ),
        Case(
            None,
            "validate envelopes, reference engine",
            "jsonschema (Python)",
            (subset, lambda d: py_ours.validate(ENVELOPE, d)),
            (subset, py[ENVELOPE].is_valid),
            1,
        ),
        Case(
            None,
            "validate fixture corpus (JSON value)",
            "jsonschema-rs is_valid",
            (fixtures, lambda td: ledgerspec.validate(td[0], td[1])),
            (fixtures, lambda td: rs[td[0]].is_valid(td[1])),
            repeat,
        ),
        Case(
            None,
            "jcs (RFC 8785 canonical bytes)",
            "rfc8785 package",
            (docs, canonical.jcs),
            (docs, rfc8785.dumps),
            repeat,
        ),
        Case(
            None,
            "jcs (RFC 8785 canonical bytes)",
            "json.dumps(sort_keys=True), not canonical",
            (docs, canonical.jcs),
            (docs, lambda d: json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()),
            repeat,
        ),
        Case(
            "loads",
            "loads (JSON text to model)",
            "pydantic TypeAdapter.validate_json",
            (texts, lambda t: ledgerspec.loads(ENVELOPE, t)),
            (texts, adapter.validate_json),
            repeat,
        ),
        Case(
            "dumps",
            "dumps, validate=False (model to JSON text)",
            "pydantic dump_json",
            (models, unchecked_dumps),
            (theirs, lambda m: adapter.dump_json(m, by_alias=True)),
            repeat,
        ),
        Case(
            None,
            "dumps, writer contract checked (the default)",
            "pydantic dump_json",
            (models, ledgerspec.dumps),
            (theirs, lambda m: adapter.dump_json(m, by_alias=True)),
            repeat,
        ),
        Case(
            None,
            "dumps, writer contract checked (the default)",
            "dumps, validate=False",
            (models, ledgerspec.dumps),
            (models, unchecked_dumps),
            repeat,
        ),
    ]
    rows: dict[str, Row] = {}
    for index, case in enumerate(cases):
        progress(f"{case.operation} vs {case.baseline}")
        rows[case.key or f"{index}"] = Row(case.operation, case.baseline, *race(case.mine, case.theirs, case.repeat))
    return rows


@dataclass(frozen=True)
class Floor:
    """The least work a summary row's rules take from the engines ledgerspec is built on, each
    piece timed alone in this run (µs a document, best pass): the ratio their sum allows
    (`ceiling`, against the row's baseline) bounds what any code around them can reach."""

    key: str
    baseline: float
    pieces: tuple[tuple[str, float], ...]

    @property
    def ceiling(self) -> float:
        return self.baseline / sum(micros for _, micros in self.pieces)


def micros(items: Sequence[Any], work: Callable[[Any], object], repeat: int) -> float:
    """µs a document of `work` over `items`: the best of `repeat` passes after a warm-up."""
    seconds(items, work)
    return min(seconds(items, work) for _ in range(repeat)) / len(items) * 1e6


def floors(docs: Sequence[dict[str, Any]], repeat: int) -> list[Floor]:
    """The floors of the value, text and `loads` rows. Every exact check of a document has to
    run the schema engine (the reader form, which reads the values under unknown keys, with the
    integer-literal keyword where a float literal is integral), see each number's literal
    (`orjson.dumps`, the one C pass that shows a float as a float) and count the openers
    (serde_json reads 128 levels; orjson deeper). Text adds the parse and the round trip that
    proves orjson read what serde_json reads (no repeated key, no other number or escape form);
    `loads` adds building the models (cattrs, frozen dataclasses)."""
    validator, codec = ledgerspec.default_validator(), ledgerspec.default_codec()
    reader = validator.checker(ENVELOPE, False, False, bounded=True)
    literal = validator.checker(ENVELOPE, False, True)
    written = [orjson.dumps(d) for d in docs]
    checks = [partial(literal if may_hold_integral_float(w) else reader, d) for w, d in zip(written, docs, strict=True)]
    rs = bare_validators()[0][ENVELOPE].is_valid
    adapter = TypeAdapter(pydantic_models.generate().ExperienceEventEnvelope)
    engine = (
        "jsonschema-rs, reader form (integer-literal keyword if needed)",
        micros(checks, lambda check: check(), repeat),
    )
    literals = ("orjson.dumps of the value (float literals)", micros(docs, orjson.dumps, repeat))
    openers = ("opener count (nesting)", micros(written, lambda w: w.count(b"[") + w.count(b"{"), repeat))
    parse = ("orjson.loads", micros(written, orjson.loads, repeat))
    round_trip = (
        "orjson.dumps == text (exact reading)",
        micros(written, lambda w: orjson.dumps(orjson.loads(w)) == w, repeat),
    )
    text = (parse, (round_trip[0], round_trip[1] - parse[1]), openers, engine)
    build = ("build the models (codec.build)", micros(docs, lambda d: codec.build(ENVELOPE, d), repeat))
    return [
        Floor("value", micros(docs, rs, repeat), (engine, literals, openers)),
        Floor("text", micros(written, lambda w: rs(orjson.loads(w)), repeat), text),
        Floor("loads", micros(written, adapter.validate_json, repeat), (*text, build)),
    ]


def print_floors(found: Sequence[Floor], rows: dict[str, Row]) -> None:
    """One table per floor: its pieces, their sum, the baseline and the ratios."""
    for floor in found:
        print(f"\n`{floor.key}` row (baseline {floor.baseline:.2f} µs a document):\n")
        print("| piece | µs a document |\n|---|---:|")
        for label, cost in floor.pieces:
            print(f"| {label} | {cost:.2f} |")
        total = sum(cost for _, cost in floor.pieces)
        print(
            f"| **sum: the floor** | **{total:.2f}** |\n\nCeiling {floor.ceiling:.2f}x; "
            f"measured {rows[floor.key].ratio:.2f}x."
        )


TRIGGERED = "raw sqlite3 + triggers"


def append_rows(docs: Sequence[dict[str, Any]], repeat: int, tmp: Path) -> dict[str, Row]:
    """`append_events` against raw sqlite3 on the store's own table, batch 100 and 10,000, with
    `bench.store`'s race (a fresh file per pass, WAL, synchronous=NORMAL on every side); a
    third side adds the store's append-only triggers to the raw table: the floor of the row."""
    sides: dict[str, store.Appender] = {
        "ledgerspec": store.ledgerspec_append,
        "raw sqlite3": baselines.raw_appender(),
        TRIGGERED: baselines.raw_appender(triggers=True),
    }
    indexes = baselines.index_count()
    rows = {}
    for batch in (100, 10_000):
        progress(f"append_events, batch {batch:,}, vs raw sqlite3")
        rates = store.append_race(tmp, sides, docs, batch, "NORMAL", repeat, min(len(docs), 5_000))
        row = store.AppendRow(f"{batch:,}", len(docs), rates)
        rows[f"append {batch}"] = Row(
            f"append_events, batch {batch:,} (synchronous=NORMAL)",
            f"raw sqlite3 executemany, same table and {indexes} indexes",
            row.best("ledgerspec"),
            row.best("raw sqlite3"),
            row.ratio("raw sqlite3"),
        )
        rows[f"append {batch} floor"] = Row(
            f"append_events, batch {batch:,}: its floor (the triggers, no checks)",
            "raw sqlite3 executemany, no triggers",
            row.best(TRIGGERED),
            row.best("raw sqlite3"),
            row.ratio("raw sqlite3", TRIGGERED),
        )
    return rows


def cli_rows(count: int, repeat: int, tmp: Path) -> dict[str, Row]:
    """The whole `ledgerspec store append` command against the 20-line sqlite3 script, and its
    floor (the script's loop into the store's table, `bench.floor_append`), all fresh processes."""
    progress(f"ledgerspec store append of {count:,} envelopes vs bench/baseline_append.py")
    rates = cli_append.race(count, repeat, tmp)

    def row(operation: str, side: str) -> Row:
        baseline = "bench/baseline_append.py (json.loads, 3 indexes, batches of 100)"
        return Row(operation, baseline, max(rates[side]), max(rates["baseline"]), cli_append.ratio(rates, side))

    return {
        "cli": row(f"ledgerspec store append, {count:,} envelopes (whole process)", "ledgerspec"),
        "cli floor": row(
            f"store append's floor: the script's loop into the store's table and triggers, {count:,} envelopes", "floor"
        ),
    }


SUMMARY: tuple[tuple[str, str, float], ...] = (
    ("value", "validate a JSON value (envelopes)", 0.8),
    ("text", "validate JSON text", 0.8),
    ("loads", "`loads` (text → model)", 1.0),
    ("dumps", "`dumps` (validate=False)", 1.0),
    ("append 100", "`append_events`, batch 100", 0.9),
    ("append 10000", "`append_events`, batch 10,000", 0.9),
    ("cli", "`ledgerspec store append` of {count} envelopes (whole command, a fresh process)", 0.6),
)
"""The issue's rows: key of the measured row, operation, goal (the least acceptable ratio)."""


def ceilings(found: Sequence[Floor], rows: dict[str, Row]) -> dict[str, float]:
    """The ratio each summary row's floor allows: a codec row's `Floor.ceiling`, or the measured
    ratio of the floor row beside an append or command row."""
    return {floor.key: floor.ceiling for floor in found} | {
        key: rows[f"{key} floor"].ratio for key, _, _ in SUMMARY if f"{key} floor" in rows
    }


def summary(rows: dict[str, Row], cli_count: int, ceiling: dict[str, float]) -> None:
    """The issue's table: one line per row with both rates, the ratio, the goal, whether it is
    met, and the ratio the row's floor allows (see "Floors")."""
    print("| operation | ledgerspec | baseline | ratio | goal | met? | floor's ratio |")
    print("|---|---:|---|---:|---:|---|---:|")
    for key, operation, goal in SUMMARY:
        row = rows[key]
        label = operation.format(count=f"{cli_count:,}")
        bound = f"{ceiling[key]:.2f}x" if key in ceiling else "–"
        print(
            f"| {label} | {row.mine:,.0f} docs/s | {row.baseline}: {row.theirs:,.0f} docs/s | {row.ratio:.2f}x "
            f"| ≥ {goal:.1f}x | {'yes' if row.ratio >= goal else 'no'} | {bound} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--envelopes", type=int, help="envelopes per codec and append pass (default 100,000; quick 10,000)"
    )
    parser.add_argument("--repeat", type=int, help="alternating timed passes per side (default 5; quick 2)")
    parser.add_argument("--quick", action="store_true", help="smaller defaults for a fast check")
    parser.add_argument("--tmp", type=Path, help="directory for the SQLite files (default: the system temp dir)")
    args = parser.parse_args()
    count = args.envelopes or (10_000 if args.quick else 100_000)
    repeat = args.repeat or (2 if args.quick else 5)
    cli_count = cli_append.ENVELOPES

    began = time.perf_counter()
    docs = envelopes(count)
    rows = codec_rows(docs, repeat)
    progress("floors: the engines' share of each codec row")
    found = floors(docs, repeat)
    with tempfile.TemporaryDirectory(prefix="ledgerspec-bench-", dir=args.tmp) as name:
        rows |= append_rows(docs, repeat, Path(name))
        rows |= cli_rows(cli_count, repeat, Path(name))
    size = sum(len(json.dumps(d, separators=(",", ":"), ensure_ascii=False)) for d in docs) / len(docs)

    print("# ledgerspec benchmark\n")
    print(store.machine() + "\n")
    print(
        f"{count:,} envelopes of {size:.0f} bytes on average ({cli_count:,} for the command row), "
        f"{len(fixture_documents())} fixture documents; Python {platform.python_version()}; one warm-up pass, "
        f"then {repeat} alternating passes per side (the jsonschema (Python) rows: 1, on {max(1, count // 20):,} "
        "envelopes). Rates are each side's best pass, ratios (ledgerspec / baseline) the median of the pairs.\n"
    )
    print("## Summary\n")
    summary(rows, cli_count, ceilings(found, rows))
    print("\n## Floors\n")
    print(
        "What a row's rules take from the engines alone, each piece timed by itself on the same "
        "envelopes; the ceiling is the ratio a row would have if nothing else ran. For "
        "`append_events` the floor is a row of its own below: the raw table with the store's "
        "append-only triggers, which make SQLite keep a statement journal for every INSERT. For "
        "the command it is the baseline script's loop writing the store's table (11 indexes, the "
        "triggers, batches of 1,000), nothing checked (`bench/floor_append.py`)."
    )
    print_floors(found, rows)
    print("\n## Every row\n")
    print("| operation | baseline | ledgerspec (docs/s) | baseline (docs/s) | ratio (median of pairs) |")
    print("|---|---|---:|---:|---:|")
    for row in rows.values():
        print(row.line())
    print(f"\nTotal benchmark time: {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
