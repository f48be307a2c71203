"""Checkpoints: a small record of each ledger table's position and chain value at one moment,
kept away from the ledger, that `verify` holds the ledger to later.

An unkeyed hash chain proves a table consistent with itself, not that it is the table that was
written: whoever can write the database can rewrite a row and re-chain every row after it,
cut rows from the end, or append forgeries. A checkpoint taken earlier catches the first two,
whatever was appended since: the ledger must still hold, at the checkpoint's position, the chain
value the checkpoint recorded, and that value is recomputed from the documents alone.

A checkpoint holds no secret (chain values are hashes of what the ledger stores). Optionally it
carries an HMAC-SHA256 under a user's key, so that a checkpoint kept beside the ledger cannot be
forged by whoever rewrites the ledger without the key.

The file is one JSON object::

    {"format": "ledgerspec-checkpoint", "version": 1, "location": "...", "taken_at": "...",
     "tables": [{"table": "experience_events", "position": 12, "chain": "<64 hex>", "rows": 12}, ...],
     "hmac": "<64 hex>"}

`hmac` (present only when signed) is HMAC-SHA256 of the RFC 8785 bytes of the object without it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import orjson

from ..canonical import jcs
from ..errors import InvalidInputError
from .chain import TableReport
from .ledgers import LEDGERS

FORMAT = "ledgerspec-checkpoint"
VERSION = 1
_HEX = re.compile(r"[0-9a-f]{64}")
_TABLES = {ledger.table for ledger in LEDGERS}


@dataclass(frozen=True)
class Mark:
    """One table's entry of a checkpoint: at `position` (when it held `rows` rows) its chain
    value was `chain` (hex)."""

    table: str
    position: int
    chain: str
    rows: int
    source: str = ""
    """Where the mark was read from (a file name), for messages."""


def record(tables: Sequence[TableReport], location: str, taken_at: str, key: bytes | None = None) -> dict[str, Any]:
    """The checkpoint of a verified ledger (one entry per table: its last position, head chain
    value and row count), signed with `key` when given."""
    value: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "location": location,
        "taken_at": taken_at,
        "tables": [{"table": t.table, "position": t.rows, "chain": t.head, "rows": t.rows} for t in tables],
    }
    if key is not None:
        value["hmac"] = _mac(key, value)
    return value


def _mac(key: bytes, value: Mapping[str, Any]) -> str:
    unsigned = {name: item for name, item in value.items() if name != "hmac"}
    return hmac.new(key, jcs(unsigned), hashlib.sha256).hexdigest()


def load(data: bytes, source: str, key: bytes | None = None) -> list[Mark]:
    """The marks of a checkpoint file's bytes; InvalidInputError (naming `source`) when it is not
    a checkpoint this version reads, or, with `key`, when its HMAC is missing or wrong."""

    def refuse(problem: str) -> InvalidInputError:
        return InvalidInputError(f"{source}: {problem}")

    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise refuse(f"not JSON ({exc})") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise refuse(f'not a ledgerspec checkpoint (no "format": "{FORMAT}")')
    if value.get("version") != VERSION:
        raise refuse(f"checkpoint version {value.get('version')!r}; this ledgerspec reads version {VERSION}")
    if key is not None:
        signature = value.get("hmac")
        if not isinstance(signature, str):
            raise refuse("the checkpoint carries no HMAC, but a key was given")
        if not hmac.compare_digest(signature, _mac(key, value)):
            raise refuse("the checkpoint's HMAC does not match the key (the checkpoint was changed or forged)")
    tables = value.get("tables")
    if not isinstance(tables, list):
        raise refuse('"tables" must be a list')
    return [_mark(entry, refuse, source) for entry in tables]


def _mark(entry: Any, refuse: Callable[[str], InvalidInputError], source: str) -> Mark:
    """One table entry of a checkpoint, checked."""
    if not isinstance(entry, dict) or entry.get("table") not in _TABLES:
        raise refuse(f"a table entry must name one of {', '.join(sorted(_TABLES))}: {entry!r}")
    position, rows, chain = entry.get("position"), entry.get("rows"), entry.get("chain")
    if not (_count(position) and _count(rows) and isinstance(chain, str) and _HEX.fullmatch(chain)):
        raise refuse(f"{entry['table']}: position and rows must be counts, chain 64 lowercase hex digits")
    return Mark(entry["table"], position, chain, rows, source)


def _count(value: Any) -> TypeGuard[int]:
    return type(value) is int and value >= 0


def problems(tables: Sequence[TableReport], marks: Sequence[Mark]) -> list[str]:
    """Each mark the walked tables (walked with the marks' positions) no longer extend."""
    found = []
    reports = {t.table: t for t in tables}
    for mark in marks:
        report = reports[mark.table]
        where = f"{mark.source}: " if mark.source else ""
        if mark.position == 0:
            continue  # an empty table: every ledger extends it
        chain = report.chains.get(mark.position)
        if chain is None:
            found.append(
                f"{where}{mark.table} has no row at position {mark.position} (it holds {report.rows} row(s)): "
                "rows were removed since the checkpoint"
            )
        elif chain != mark.chain:
            found.append(
                f"{where}{mark.table} row {mark.position} has chain value {chain[:16]}…, the checkpoint "
                f"records {mark.chain[:16]}…: rows up to it were rewritten or re-chained since the checkpoint"
            )
    return found
