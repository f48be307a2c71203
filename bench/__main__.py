"""Run every benchmark in one process and print a markdown table of throughputs and ratios.

Each figure is the best of several timed passes over the same inputs (documents per second).
Usage: python -m bench [--envelopes N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable, Sequence
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
import referencing.jsonschema
from pydantic import TypeAdapter

import ledgerspec
from ledgerspec.contract import shipped

from . import pydantic_models
from .corpus import ENVELOPE, envelopes, fixture_documents


def rate(items: Sequence[Any], work: Callable[[Any], object], repeat: int) -> float:
    """Best documents-per-second of `repeat` passes of `work` over `items`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, str, float, float]] = []

    docs = envelopes(args.envelopes)
    texts = [json.dumps(d, separators=(",", ":"), ensure_ascii=False) for d in docs]
    size = sum(map(len, texts)) / len(texts)
    fixtures = fixture_documents()
    rs, py = bare_validators()
    ledgerspec.validate(ENVELOPE, docs[0])  # compile outside the timings
    py_ours = ledgerspec.Validator(shipped(), "python")

    def compare(name: str, baseline: str, mine: float, theirs: float) -> None:
        rows.append((name, baseline, mine, theirs))

    subset = docs[: max(1, len(docs) // 20)]
    bare_rs = rate(docs, rs[ENVELOPE].is_valid, args.repeat)
    compare(
        "validate envelopes (JSON value)",
        "jsonschema-rs",
        rate(docs, lambda d: ledgerspec.validate(ENVELOPE, d), args.repeat),
        bare_rs,
    )
    compare(
        "validate envelopes (JSON text)",
        "json.loads + jsonschema-rs",
        rate(texts, lambda t: ledgerspec.validate_json(ENVELOPE, t), args.repeat),
        rate(texts, lambda t: rs[ENVELOPE].is_valid(json.loads(t)), args.repeat),
    )
    compare(
        "validate envelopes (JSON value)",
        "jsonschema (Python)",
        rate(subset, lambda d: ledgerspec.validate(ENVELOPE, d), args.repeat),
        rate(subset, py[ENVELOPE].is_valid, 1),
    )
    compare(
        "validate envelopes, reference engine",
        "jsonschema (Python)",
        rate(subset, lambda d: py_ours.validate(ENVELOPE, d), 1),
        rate(subset, py[ENVELOPE].is_valid, 1),
    )
    compare(
        "validate fixture corpus (JSON value)",
        "jsonschema-rs",
        rate(fixtures, lambda td: ledgerspec.validate(td[0], td[1]), args.repeat),
        rate(fixtures, lambda td: rs[td[0]].is_valid(td[1]), args.repeat),
    )

    adapter = TypeAdapter(pydantic_models.generate().ExperienceEventEnvelope)
    models = [ledgerspec.loads(ENVELOPE, t) for t in texts]
    theirs = [adapter.validate_json(t) for t in texts]
    compare(
        "loads (JSON text to model)",
        "pydantic validate_json",
        rate(texts, lambda t: ledgerspec.loads(ENVELOPE, t), args.repeat),
        rate(texts, adapter.validate_json, args.repeat),
    )
    compare(
        "dumps (model to JSON text)",
        "pydantic dump_json",
        rate(models, ledgerspec.dumps, args.repeat),
        rate(theirs, lambda m: adapter.dump_json(m, by_alias=True), args.repeat),
    )

    print(
        f"{len(docs)} envelopes of {size:.0f} bytes on average, {len(fixtures)} fixture documents; "
        f"Python {platform.python_version()}, best of {args.repeat}\n"
    )
    print("| operation | baseline | ledgerspec (docs/s) | baseline (docs/s) | ratio |")
    print("|---|---|---:|---:|---:|")
    for name, baseline, mine, theirs in rows:
        print(f"| {name} | {baseline} | {mine:,.0f} | {theirs:,.0f} | {mine / theirs:.2f}x |")


if __name__ == "__main__":
    main()
