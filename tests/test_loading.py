"""`LedgerStore.load` gives the same result whether documents are checked in this process or by
a worker process (`workers=1`): the same rows, the same counts and, for a refused document, the
same error at the same index, with the same batches written before it."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from ledger_documents import envelope, journal_record, run_event

from ledgerspec.errors import LedgerspecError
from ledgerspec.store import Loaded, SqliteStore


def text(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


BAD = [
    b'{"event_id": "x"',  # not JSON
    b"[1, 2]",  # no ledger
    text({**envelope("bad id!"), "event_id": "bad id!"}),  # breaks the id rule
    text({**run_event(1), "seq": 1.0}),  # a float literal where serde wants an integer
    b'{"event_id":"dup","event_id":"dup","occurred_at":"2026-01-01T00:00:00Z","event":{}}',  # repeated key
]


def mixed(rng: random.Random, count: int, bad: bool) -> list[bytes]:
    """An export-like input: envelopes, run events and journal records in runs of one ledger,
    with one refused document somewhere when `bad`."""
    documents: list[bytes] = []
    seq = journal = 0
    while len(documents) < count:
        kind = rng.choice(("experience", "runs", "journal"))
        for _ in range(rng.randint(1, 40)):
            if kind == "experience":
                documents.append(text(envelope(f"e{len(documents)}")))
            elif kind == "runs":
                seq += 1
                documents.append(text(run_event(seq)))
            else:
                journal += 1
                documents.append(text(journal_record(journal)))
    documents = documents[:count]
    if bad:
        documents.insert(rng.randrange(len(documents)), rng.choice(BAD))
    return documents


def outcome(path: Path, documents: list[bytes], batch: int, workers: int) -> tuple[Any, ...]:
    """What a load did: the batches' counts, the error (type, code, message, index) and the rows."""
    counts: list[Loaded] = []
    error = None
    with SqliteStore(path) as store:
        try:
            for loaded in store.load(documents, batch=batch, workers=workers):
                counts.append(loaded)
        except LedgerspecError as exc:
            error = (type(exc).__name__, exc.code, str(exc), exc.index)
        exported = list(store.export())
    return counts, error, exported


@pytest.mark.parametrize("seed", range(8))
def test_a_worker_process_loads_exactly_as_this_process_does(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    documents = mixed(rng, rng.randint(300, 1500), bad=seed % 4 != 0)
    batch = rng.choice((1, 7, 100, 1000))
    here = outcome(tmp_path / "here.db", documents, batch, workers=0)
    there = outcome(tmp_path / "there.db", documents, batch, workers=1)
    assert there == here
    counts, error, exported = here
    assert sum(loaded.added for loaded in counts) == len(exported)
    assert (error is None) == (seed % 4 == 0)


def test_loading_again_with_a_worker_finds_everything_present(tmp_path: Path) -> None:
    documents = mixed(random.Random(99), 1200, bad=False)
    path = tmp_path / "ledger.db"
    with SqliteStore(path) as store:
        first = sum(store.load(documents, workers=1), Loaded())
        again = sum(store.load(documents, workers=1), Loaded())
    assert (first.added, first.present) == (1200, 0)
    assert (again.added, again.present) == (0, 1200)


@pytest.mark.parametrize("workers", [0, 1])
def test_a_copy_names_the_stored_row_it_cannot_move(tmp_path: Path, workers: int) -> None:
    """A stored document that is not in canonical form stops a copy with a CorruptionError naming
    its table and row, whether or not a worker read past the batch being written."""
    from test_store_integrity import experience_columns, raw_append

    source = tmp_path / "source.db"
    with SqliteStore(source) as store:
        sum(store.load([text(envelope(f"e{n}")) for n in range(1500)], batch=500), Loaded())
    spaced = json.dumps(envelope("late"), indent=1).replace("\n", " ").encode()  # valid, not canonical
    position = raw_append(source, "experience_events", experience_columns("late"), spaced)
    assert position == 1501
    with SqliteStore(source) as store, SqliteStore(tmp_path / "target.db") as target:
        copied = Loaded()
        with pytest.raises(LedgerspecError) as caught:
            for loaded in store.copy_to(target, batch=100, workers=workers):
                copied += loaded
    assert caught.value.code == "corruption"
    assert str(caught.value).startswith(f"{source} experience_events row 1501: ")
    assert copied == Loaded(1500, 0)
