"""The hash chain every ledger table carries, whatever database holds it: each row stores the
SHA-256 of its document (`hash`) and SHA-256 of the previous row's chain value and its own hash
(`chain`), so one walk in append order proves a table untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .tables import Ledger

GENESIS = bytes(32)
"""The `chain` value before a table's first row."""

Derived = tuple[tuple[str, ...], Callable[[bytes], tuple[Any, ...]]]
"""A table's metadata columns and how to compute them from a stored document."""


def link(previous: bytes, digest: bytes) -> bytes:
    """The chain value of a row: SHA-256 of the previous row's chain value and the row's hash."""
    return hashlib.sha256(previous + digest).digest()


class Row(NamedTuple):
    """A row to append: its own columns, then the canonical document and its SHA-256."""

    columns: tuple[Any, ...]
    document: bytes
    digest: bytes


@dataclass(frozen=True)
class Break:
    """The first row of a ledger table that fails verification, and why."""

    table: str
    position: int
    key: dict[str, Any]
    reason: str

    def __str__(self) -> str:
        ids = ", ".join(f"{name}={value!r}" for name, value in self.key.items())
        return f"{self.table} row {self.position} ({ids}): {self.reason}"


@dataclass(frozen=True)
class TableReport:
    """What `verify` found in one ledger table."""

    table: str
    rows: int
    head: str
    broken: Break | None


def verified_columns(ledger: Ledger, derived: Derived) -> str:
    """The select list `walk` expects: position, key columns, metadata columns, document, hash, chain."""
    return ", ".join((ledger.order, *ledger.key, *derived[0], "document", "hash", "chain"))


def walk(ledger: Ledger, derived: Derived, rows: Iterable[Sequence[Any]]) -> TableReport:
    """Verify a table's rows (selected as `verified_columns` says, in append order): re-hash each
    document, re-link the chain and re-derive the metadata columns; report the row count, the
    head chain value and the first broken row."""
    columns, derive = derived
    keys = len(ledger.key)
    previous, count, broken = GENESIS, 0, None
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the row total
        document, digest, chain = (bytes(value or b"") for value in row[-3:])
        reason = None
        if hashlib.sha256(document).digest() != digest:
            reason = "document does not match its stored hash (the document was changed)"
        elif chain != link(previous, digest):
            reason = "hash chain broken (a row before it was changed, removed or inserted)"
        elif (stored := tuple(row[1 + keys : -3])) != (expected := derive(document)):
            changed = [name for name, a, b in zip(columns, stored, expected, strict=True) if a != b]
            reason = f"indexed column(s) {', '.join(changed)} no longer match the document"
        if reason is not None and broken is None:
            broken = Break(ledger.table, row[0], dict(zip(ledger.key, row[1 : 1 + keys], strict=True)), reason)
        previous = chain
    return TableReport(ledger.table, count, previous.hex(), broken)
