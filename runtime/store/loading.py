"""Bulk loads: the per-document work of `LedgerStore.load` (read the text exactly, tell its
ledger, check it against the contract and the ledger's rules, write its canonical bytes and
hash them), done in this process or, for long inputs, in a worker process that checks the next
documents while this one writes the current batch, so both cores work. Every check is the same
either way: the worker runs the store's own `check` methods (it is a fork of this process), and
a document it refuses is checked again here, so the error raised is exactly the one an
in-process load raises."""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..errors import CorruptionError, InvalidInputError, LedgerspecError, StorageError
from ..jsontext import Parsed
from .chain import Row
from .ledgers import DETECTED, DOCUMENT_LEDGERS, Ledger, detect

if TYPE_CHECKING:
    from .ledger_store import LedgerStore

CHUNK = 250
"""Documents a worker checks per task: large enough that sending them costs little, small
enough that the writer never waits long for the first."""
AHEAD = 4
"""Chunks sent to the worker ahead of the one being written."""
READ_AHEAD = CHUNK * AHEAD
"""How many documents past the batch being written a load with a worker may have read."""


def in_reach(batch: int) -> int:
    """How many of the latest documents handed to a load of `batch`-sized batches an error it
    raises may be about: the batch being written, those read ahead of it, and the one that
    ended the batch."""
    return batch + READ_AHEAD + 1


BY_TABLE = {ledger.table: ledger for ledger in DOCUMENT_LEDGERS}


@dataclass(frozen=True)
class Loaded:
    """What one or more batches of a `load` did: documents added, and documents found already
    stored (the same bytes at the same key), which an interrupted load run again skips."""

    added: int = 0
    present: int = 0

    def __add__(self, other: Loaded) -> Loaded:
        return Loaded(self.added + other.added, self.present + other.present)

    @property
    def documents(self) -> int:
        """How many documents these batches held."""
        return self.added + self.present


Checked = tuple[int, Ledger | None, Row | LedgerspecError]
"""A document's index, its ledger (None when it names none) and its row, or why it cannot be stored."""


def check(store: LedgerStore, index: int, given: Any, fixed: Ledger | None, exact: bool) -> Checked:
    """One document of a load checked for its ledger (`fixed`, or the one its keys name); with
    `exact`, its canonical bytes must be the bytes given (a copy moves stored bytes)."""
    try:
        read = store.documents.read(given)
        ledger = fixed or detect(read.value if isinstance(read, Parsed) else read)
        if ledger is None:
            raise InvalidInputError(DETECTED)
    except LedgerspecError as exc:
        return index, None, exc.located(f"document {index}", index)
    try:
        row = store.scope(ledger).check(read)
        if exact and row.document != given:
            raise CorruptionError("the stored document is not in the canonical form ledgerspec stores")
    except LedgerspecError as exc:
        return index, ledger, exc.located(f"document {index}", index)
    return index, ledger, row


def checked(
    store: LedgerStore, documents: Iterable[Any], fixed: Ledger | None, exact: bool, workers: int
) -> Iterator[Checked]:
    """Every document checked, in order; with `workers` > 0, by a worker process, `AHEAD`
    chunks ahead of the caller."""
    if workers <= 0:
        for index, given in enumerate(documents):
            yield check(store, index, given, fixed, exact)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_install, initargs=(store,)) as pool:
        items = iter(documents)
        sent: deque[tuple[int, list[Any], Future[list[tuple[str, Row] | None]]]] = deque()
        start = 0
        unread: list[Exception] = []
        """What stopped reading the input (raised once every document before it is yielded, as
        an in-process load would)."""

        def send() -> bool:
            nonlocal start
            chunk: list[Any] = []
            if not unread:
                try:
                    chunk.extend(islice(items, CHUNK))
                except Exception as exc:  # noqa: BLE001 - re-raised in order, below
                    unread.append(exc)
            if not chunk:
                return False
            table = None if fixed is None else fixed.table
            sent.append((start, chunk, pool.submit(_check_chunk, start, chunk, table, exact)))
            start += len(chunk)
            return True

        while len(sent) < AHEAD and send():
            pass
        while sent:
            first, chunk, future = sent.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                raise StorageError(
                    "the worker process checking documents stopped unexpectedly (killed, or out of memory); "
                    "the batches before it are written, and loading again skips them"
                ) from None
            send()
            for offset, result in enumerate(results):
                if result is None:  # refused there: check it here, for the exact error
                    yield check(store, first + offset, chunk[offset], fixed, exact)
                    return
                yield first + offset, BY_TABLE[result[0]], result[1]
        if unread:
            raise unread[0]


_STORE: LedgerStore | None = None
"""The store whose load a worker process checks for (inherited from the parent, which forked it)."""


def _install(store: LedgerStore) -> None:
    """Set a worker up: its store, and Ctrl-C left to the parent, which stops the load after
    whole batches and then the worker."""
    global _STORE
    _STORE = store
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_chunk(start: int, chunk: list[Any], table: str | None, exact: bool) -> list[tuple[str, Row] | None]:
    """A worker's answer for one chunk: each document's table and row, up to and including a
    None for the first one it refuses."""
    assert _STORE is not None
    fixed = None if table is None else BY_TABLE[table]
    results: list[tuple[str, Row] | None] = []
    for offset, given in enumerate(chunk):
        _, ledger, row = check(_STORE, start + offset, given, fixed, exact)
        if ledger is None or not isinstance(row, Row):
            results.append(None)
            break
        results.append((ledger.table, row))
    return results
