"""Run every benchmark in one process and print a markdown table of throughputs and ratios.

Each side runs a warm-up pass, then the two sides alternate pass by pass; the table gives each
side's best rate (documents per second) and the median of the per-pair ratios.
Usage: python -m bench [--envelopes N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
import referencing.jsonschema
import rfc8785
from pydantic import TypeAdapter

import ledgerspec
from ledgerspec import canonical
from ledgerspec.contract import shipped

from . import pydantic_models
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--envelopes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    docs = envelopes(args.envelopes)
    texts = [json.dumps(d, separators=(",", ":"), ensure_ascii=False) for d in docs]
    size = sum(map(len, texts)) / len(texts)
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

    def unchecked_dumps(model: Any) -> str:
        return ledgerspec.dumps(model, validate=False)

    cases: list[tuple[str, str, Side, Side, int]] = [
        ("validate envelopes (JSON value)", "jsonschema-rs", (docs, ours_value), (docs, envelope_rs), args.repeat),
        (
            "validate envelopes (JSON text)",
            "json.loads + jsonschema-rs",
            (texts, lambda t: ledgerspec.validate_json(ENVELOPE, t)),
            (texts, lambda t: envelope_rs(json.loads(t))),
            args.repeat,
        ),
        (
            "validate envelopes (JSON value)",
            "jsonschema (Python)",
            (subset, ours_value),
            (subset, py[ENVELOPE].is_valid),
            1,
        ),
        (
            "validate envelopes, reference engine",
            "jsonschema (Python)",
            (subset, lambda d: py_ours.validate(ENVELOPE, d)),
            (subset, py[ENVELOPE].is_valid),
            1,
        ),
        (
            "validate fixture corpus (JSON value)",
            "jsonschema-rs",
            (fixtures, lambda td: ledgerspec.validate(td[0], td[1])),
            (fixtures, lambda td: rs[td[0]].is_valid(td[1])),
            args.repeat,
        ),
        (
            "jcs (RFC 8785 canonical bytes)",
            "rfc8785 package",
            (docs, canonical.jcs),
            (docs, rfc8785.dumps),
            args.repeat,
        ),
        (
            "jcs (RFC 8785 canonical bytes)",
            "json.dumps(sort_keys=True), not canonical",
            (docs, canonical.jcs),
            (docs, lambda d: json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()),
            args.repeat,
        ),
        (
            "loads (JSON text to model)",
            "pydantic validate_json",
            (texts, lambda t: ledgerspec.loads(ENVELOPE, t)),
            (texts, adapter.validate_json),
            args.repeat,
        ),
        (
            "dumps, validate=False (model to JSON text)",
            "pydantic dump_json",
            (models, unchecked_dumps),
            (theirs, lambda m: adapter.dump_json(m, by_alias=True)),
            args.repeat,
        ),
        (
            "dumps, writer contract checked (the default)",
            "dumps, validate=False",
            (models, ledgerspec.dumps),
            (models, unchecked_dumps),
            args.repeat,
        ),
    ]
    print(
        f"{len(docs)} envelopes of {size:.0f} bytes on average, {len(fixtures)} fixture documents; "
        f"Python {platform.python_version()}; {args.repeat} alternating passes per side after a warm-up\n"
    )
    print("| operation | baseline | ledgerspec (docs/s) | baseline (docs/s) | ratio (median of pairs) |")
    print("|---|---|---:|---:|---:|")
    for name, baseline, mine, other, repeat in cases:
        best_mine, best_other, ratio = race(mine, other, repeat)
        print(f"| {name} | {baseline} | {best_mine:,.0f} | {best_other:,.0f} | {ratio:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
