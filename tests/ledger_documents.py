"""Builders of valid ledger documents for store tests, from the golden value fixtures."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from ledgerspec.conformance.values import load_corpus

RUN = "67e55044-10b1-426f-9247-bb680e5fe0c8"


@cache
def _valid(type_name: str) -> dict[str, Any]:
    return {case.id.split("/", 1)[1]: case.document for f in load_corpus() if f.type == type_name for case in f.valid}


def event(kind: str) -> dict[str, Any]:
    """A valid ExperienceEvent of `kind` (the wire example of the reference)."""
    return copy.deepcopy(_valid("converge.ExperienceEvent")[f"wire-{kind.lower()}"])


def envelope(
    event_id: str,
    kind: str = "BudgetExceeded",
    *,
    tenant: str | None = "tenant-a",
    correlation: str | None = "corr-1",
    chain: str | None = None,
    at: str = "2026-01-21T12:00:00Z",
    **data: Any,
) -> dict[str, Any]:
    """An envelope of `kind`; `chain` and `data` override fields of the event's data."""
    body = event(kind)
    if chain is not None:
        body["data"]["chain_id"] = chain
    body["data"].update(data)
    return {"event_id": event_id, "occurred_at": at, "tenant_id": tenant, "correlation_id": correlation, "event": body}


def run_event(seq: int, run: str = RUN, name: str = "fact_recorded") -> dict[str, Any]:
    """An mfm EventEnvelope of run `run` at `seq` (a domain event)."""
    return {
        "run_id": run,
        "seq": seq,
        "ts_millis": seq,
        "event": {"Domain": {"name": name, "payload": {"n": seq}, "payload_ref": None}},
    }


def journal_record(seq: int, run: str = "run.journal.1", record_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """agent-sdk's golden effect-intent JournalRecord, moved to `run` at `seq`."""
    record = copy.deepcopy(_valid("agentsdk.JournalRecord")["upstream-golden-effect-intent"])
    record.update(run_id=run, journal_seq=seq, record_id=record_id or f"journal.record.{seq}")
    record.pop("idempotency_key", None)
    record.update(fields)
    return record


def lifecycle(to_state: str = "Active") -> dict[str, Any]:
    """A LifecycleEvent ending in `to_state`."""
    value = copy.deepcopy(_valid("converge.LifecycleEvent")["full"])
    value["to_state"] = to_state
    return value


def trace(name: str = "wire-local") -> dict[str, Any]:
    """A valid ReplayTrace fixture (`wire-local`, `wire-remote`, ...)."""
    return copy.deepcopy(_valid("converge.ReplayTrace")[name])
