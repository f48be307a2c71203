"""EnvelopeObserver: organism-runtime's formation observer (wire-format reference section 3),
except that failed appends are reported, never dropped."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ledger_documents import event

from ledgerspec.errors import InvalidInputError
from ledgerspec.models import converge
from ledgerspec.observer import EnvelopeObserver
from ledgerspec.store import SqliteStore

CLOCK = datetime(2026, 1, 21, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    with SqliteStore(tmp_path / "ledger.db") as opened:
        yield opened


def test_envelopes_carry_tenant_correlation_and_sequenced_ids(store: SqliteStore) -> None:
    observer = EnvelopeObserver(store.experience, "corr-1", "tenant-a", clock=lambda: CLOCK)
    budget = {
        "type": "BudgetExceeded",
        "data": {"chain_id": "chain-1", "resource": "Tokens", "limit": "100", "observed": "120"},
    }
    first = observer.on_event(budget)
    observer.on_event(event("FactPromoted"))
    # The reference's example envelope, but with the injected clock instead of the epoch.
    assert first == {
        "event_id": "formation:corr-1:0",
        "occurred_at": "2026-01-21T12:00:00.000Z",
        "tenant_id": "tenant-a",
        "correlation_id": "corr-1",
        "event": budget,
    }
    stored = store.experience.query_events(converge.EventQuery(kinds=[]))
    assert [e.event_id for e in stored] == ["formation:corr-1:0", "formation:corr-1:1"]
    assert all(e.tenant_id == "tenant-a" and e.correlation_id == "corr-1" for e in stored)


def test_without_a_tenant_the_envelope_has_none(store: SqliteStore, codec) -> None:
    observer = EnvelopeObserver(store.experience, "corr-2")
    model = codec.load("converge.ExperienceEvent", event("BudgetExceeded"))
    envelope = observer.on_event(model)
    assert envelope["tenant_id"] is None and envelope["event_id"] == "formation:corr-2:0"
    assert envelope["event"] == event("BudgetExceeded")


def test_ids_are_unique_across_threads(store: SqliteStore) -> None:
    observer = EnvelopeObserver(store.experience, "corr-t", "tenant-a")
    body = event("BudgetExceeded")

    def emit() -> None:
        for _ in range(100):
            observer.on_event(body)

    threads = [threading.Thread(target=emit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = store.experience.query_events(converge.EventQuery(kinds=[]))
    assert sorted(e.event_id for e in stored) == sorted(f"formation:corr-t:{n}" for n in range(800))


def test_a_failed_append_raises_by_default(store: SqliteStore) -> None:
    observer = EnvelopeObserver(store.experience, "corr with space")
    with pytest.raises(InvalidInputError, match="event_id 'formation:corr with space:0' has ' '"):
        observer.on_event(event("BudgetExceeded"))
    assert list(store.experience.documents()) == []


def test_a_failed_append_goes_to_the_callback_with_its_envelope(store: SqliteStore) -> None:
    failures: list[tuple[Exception, dict[str, Any]]] = []
    view = store.for_tenant("tenant-a")
    observer = EnvelopeObserver(view, "corr-3", "tenant-b", on_error=lambda exc, env: failures.append((exc, env)))
    returned = observer.on_event(event("BudgetExceeded"))
    observer.on_event(event("BudgetExceeded"))
    assert [env["event_id"] for _, env in failures] == ["formation:corr-3:0", "formation:corr-3:1"]
    assert failures[0][1] == returned
    assert all(isinstance(exc, InvalidInputError) and "scoped to tenant" in str(exc) for exc, _ in failures)


def test_any_experience_store_will_do() -> None:
    class ListStore:
        """A minimal third-party sink: just `append_event`."""

        def __init__(self) -> None:
            self.envelopes: list[Any] = []

        def append_event(self, envelope: Any) -> None:
            self.envelopes.append(envelope)

    sink = ListStore()
    observer = EnvelopeObserver(sink, "c", clock=lambda: CLOCK)  # type: ignore[arg-type]
    observer.on_event(event("BudgetExceeded"))
    assert sink.envelopes[0]["event_id"] == "formation:c:0"
