"""Benchmark inputs: realistic experience envelopes and the golden fixture documents."""

from __future__ import annotations

import copy
import random
from typing import Any

from ledgerspec.conformance.values import load_corpus

ENVELOPE = "converge.ExperienceEventEnvelope"


def fixture_documents() -> list[tuple[str, Any]]:
    """(type, document) of every valid golden fixture."""
    return [(case.type, case.document) for file in load_corpus() for case in file.valid]


def envelopes(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` envelopes cycling through every ExperienceEvent variant of the golden fixtures,
    with fresh ids, tenants, correlations and timestamps (about 430 bytes of JSON on average)."""
    events = [
        case.document
        for file in load_corpus()
        if file.type == "converge.ExperienceEvent"
        for case in file.valid
        if case.strict
    ]
    rng = random.Random(seed)
    result = []
    for n in range(count):
        event = copy.deepcopy(events[n % len(events)])
        data = event["data"]
        if "chain_id" in data:
            data["chain_id"] = f"chain-{rng.randrange(10_000)}"
        result.append(
            {
                "event_id": f"formation:corr-{n // 100}:{n % 100}",
                "occurred_at": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
                "tenant_id": f"tenant-{rng.randrange(50)}",
                "correlation_id": f"corr-{n // 100}",
                "event": event,
            }
        )
    return result
