"""The hash chain every ledger table carries, whatever database holds it: each row stores the
SHA-256 of its document (`hash`) and SHA-256 of the previous row's chain value and its own hash
(`chain`), so one walk in append order proves a table untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .ledgers import Ledger, Running
from .stored import Malformed, as_bytes, sql_kind

GENESIS = bytes(32)
"""The `chain` value before a table's first row."""


class Seal(NamedTuple):
    """A table's sealed column (`Ledger.sealed`) and how to check its UTF-8 (raising
    `stored.Malformed` for a value the column must not hold)."""

    column: str
    check: Callable[[bytes], object]


class Derived(NamedTuple):
    """What a table's rows must hold beyond the chain: its metadata columns, how to compute them
    from a stored document (raising `stored.Malformed` for a document that is not one of the
    table's ledger), for a ledger whose documents are numbered per stream (the seq of a run's
    events, the journal_seq of a run's records) the two of those columns naming the stream and
    the number, which must run 1, 2, 3, ... in each stream, and its sealed column, if any."""

    columns: tuple[str, ...]
    derive: Callable[[bytes], tuple[Any, ...]]
    numbered: tuple[str, str] | None = None
    seal: Seal | None = None


def link(previous: bytes, digest: bytes) -> bytes:
    """The chain value of a row: SHA-256 of the previous row's chain value and the row's hash."""
    return hashlib.sha256(previous + digest).digest()


class Row(NamedTuple):
    """A row to append: its own columns, then the canonical document and its SHA-256."""

    columns: tuple[Any, ...]
    document: bytes
    digest: bytes


def linked(ledger: Ledger, row: Row) -> bytes:
    """What a row links into its table's chain (`link`): its hash, followed by the UTF-8 of its
    sealed column where the ledger has one (`Ledger.sealed`), so that column cannot change
    unseen either."""
    if ledger.sealed is None:
        return row.digest
    value: str = row.columns[ledger.names.index(ledger.sealed[0])]
    return row.digest + value.encode()


@dataclass(frozen=True)
class Break:
    """A row of a ledger table that fails verification, and why."""

    table: str
    position: Any
    key: dict[str, Any]
    reason: str

    def __str__(self) -> str:
        ids = ", ".join(f"{name}={value!r}" for name, value in self.key.items())
        return f"{self.table} row {self.position}" + (f" ({ids})" if ids else "") + f": {self.reason}"


@dataclass(frozen=True)
class TableReport:
    """What `verify` found in one ledger table: its row count, its head (the last row's stored
    chain value), the problems listed (the first `limit` broken rows), how many were found in
    all, the chain value recomputed from the documents alone at each position asked for (what a
    checkpoint of that position recorded, if the ledger still extends it), and how many rows'
    sealed column no hash covers."""

    table: str
    rows: int
    head: str
    problems: tuple[Break, ...] = ()
    found: int = 0
    chains: Mapping[int, str] = field(default_factory=dict)
    uncovered: int = 0
    """Rows chained over their hash alone, written before their sealed column was chained
    (`Ledger.sealed`): verify cannot tell whether that column was changed."""

    @property
    def broken(self) -> Break | None:
        """The first broken row, or None when the table verified."""
        return self.problems[0] if self.problems else None

    def with_problem(self, problem: Break) -> TableReport:
        """The report with one more problem found (a backend's check of the table's end)."""
        return replace(self, problems=(*self.problems, problem), found=self.found + 1)


def verified_columns(ledger: Ledger, derived: Derived, running: Running | None = None) -> str:
    """The select list `walk` expects: position, key columns, metadata columns, the running
    column (when the backend keeps one), the sealed column (when the ledger has one), document,
    hash, chain."""
    kept = () if running is None else (running.name,)
    sealed = () if derived.seal is None else (derived.seal.column,)
    return ", ".join((ledger.order, *ledger.key, *derived.columns, *kept, *sealed, "document", "hash", "chain"))


def _raw(value: Any, column: str, reasons: list[str]) -> bytes:
    """A bytes column's value as bytes whatever the row holds (text as its UTF-8, NULL as no
    bytes), noting in `reasons` when it is not bytes."""
    if type(value) is bytes:  # the common case, without a call
        return value
    try:
        return as_bytes(value, column)
    except Malformed as exc:
        reasons.append(str(exc))
        return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value or "").encode()


class _Checked(NamedTuple):
    """One row as `_row_problems` found it: why it fails verification (nothing when intact),
    what its document links into the chain (its SHA-256, and its sealed column), its stored
    chain value as bytes, the columns its document gives (None when it gives none) and how it
    links its sealed column: True when its chain value covers it, False when it is chained over
    its hash alone (the column covered by no hash), None for a table without one or a chain
    value that links neither way."""

    reasons: list[str]
    linked: bytes
    chain: bytes
    values: tuple[Any, ...] | None
    sealing: bool | None


def _sealed(value: Any, seal: Seal, reasons: list[str]) -> bytes:
    """A sealed column's UTF-8 as the chain links it, noting in `reasons` when the column holds
    no text (bytes that are not UTF-8 are kept as they are) or text its check refuses."""
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        try:
            seal.check(data)
        except Malformed as exc:
            reasons.append(str(exc))
        return data
    reasons.append(
        f"{seal.column} is {'bytes that are not UTF-8 text' if isinstance(value, bytes) else sql_kind(value)}"
    )
    return value if isinstance(value, bytes) else b""


UNSEALED_LATE = (
    "hash chain broken (its kind is chained as before format 3, after rows that chain theirs: the row was rewritten)"
)
"""Why a row chained over its hash alone after a row that chains its sealed column is broken:
every row written since a ledger's format 3 chains it, and no earlier row follows one."""


def _row_problems(row: Sequence[Any], expected: int, previous: bytes, derived: Derived, keys: int) -> _Checked:
    """How one row verifies (see `_Checked`). `expected` is the position it must have (the
    previous row's plus one) and `previous` the stored chain value of the row before it."""
    reasons: list[str] = []
    position = row[0]
    if isinstance(position, bool) or position != expected:
        reasons.append(f"position {position!r} where {expected} was expected (positions run 1, 2, 3, ... without gaps)")
    document = _raw(row[-3], "document", reasons)
    digest = _raw(row[-2], "hash", reasons)
    chain = _raw(row[-1], "chain", reasons)
    actual = hashlib.sha256(document).digest()
    if actual != digest:
        reasons.append("document does not match its stored hash (the document was changed)")
    seal, sealed = derived.seal, b""
    sealing: bool | None = None if seal is None else True
    if seal is not None:
        sealed = _sealed(row[-4], seal, reasons)
    if chain != link(previous, digest + sealed):
        if seal is not None and chain == link(previous, digest):
            sealing = False  # written before the chain covered the sealed column
        else:
            sealing = None
            own = f"its {seal.column} was changed, or " if seal is not None else ""
            reasons.append(f"hash chain broken ({own}a row before it was changed, removed or inserted)")
    links = actual if sealing is False else actual + sealed
    try:
        values = derived.derive(document)
    except Malformed as exc:
        reasons.append(str(exc))
        return _Checked(reasons, links, chain, None, sealing)
    stored = tuple(row[1 + keys : 1 + keys + len(derived.columns)])
    changed = [name for name, a, b in zip(derived.columns, stored, values, strict=True) if a != b]
    if changed:
        reasons.append(f"indexed column(s) {', '.join(changed)} no longer match the document")
    return _Checked(reasons, links, chain, values, sealing)


class _Reach:
    """The value a running column (`ledgers.Running`) must hold at each row: the greatest value
    of the column it follows so far, as the documents give that column (as the row holds it, for
    a row whose document gives none: that row is reported itself, not the rows after it)."""

    def __init__(self, derived: Derived, running: Running | None, keys: int) -> None:
        self.running = running
        self.of = 0 if running is None else derived.columns.index(running.of)
        self.column = 1 + keys + self.of
        self.stored = 1 + keys + len(derived.columns)
        self.value: str | None = None

    def problem(self, row: Sequence[Any], values: tuple[Any, ...] | None) -> str | None:
        """Why the row's running column is not the greatest value so far (None when it is, or
        when the backend keeps none)."""
        if self.running is None:
            return None
        value = row[self.column] if values is None else values[self.of]
        if isinstance(value, str) and (self.value is None or value > self.value):
            self.value = value
        if row[self.stored] == self.value:
            return None
        name, of = self.running.name, self.running.of
        return f"{name} {row[self.stored]!r} where {self.value!r} was expected (the greatest {of} so far)"


class _Streams:
    """The last number of each stream of a numbered table (see `Derived.numbered`), as the
    documents give them (a changed column is reported by itself, not as a gap after it)."""

    def __init__(self, derived: Derived) -> None:
        self.numbered = derived.numbered
        self.at = (0, 0) if self.numbered is None else tuple(map(derived.columns.index, self.numbered))
        self.last: dict[Any, int] = {}

    def problem(self, values: tuple[Any, ...] | None) -> str | None:
        """Why a document's number does not follow its stream's last one (None when it does, or
        when the table is not numbered or the document gave no columns)."""
        if self.numbered is None or values is None:
            return None
        stream, number = values[self.at[0]], values[self.at[1]]
        expected = self.last.get(stream, 0) + 1
        self.last[stream] = number
        if number == expected:
            return None
        name, counter = self.numbered
        return f"{counter} {number} of {name} {stream!r} where {expected} was expected (gap-free from 1 in each)"


def walk(
    ledger: Ledger,
    derived: Derived,
    rows: Iterable[Sequence[Any]],
    *,
    limit: int | None = None,
    marks: Collection[int] = (),
    running: Running | None = None,
) -> TableReport:
    """Verify a table's rows (selected as `verified_columns` says, in append order): positions
    must run 1..n, each document must match its hash and be a valid document of the ledger (in
    canonical form), the chain must link and the metadata columns must be those the document
    gives (and a ledger's sealed column must be valid and chained). Every row is checked
    whatever the rows before it hold; the report lists the first
    `limit` broken rows (all with None) and counts every one, and gives the chain value
    recomputed from the documents alone at each position in `marks`. A backend that keeps the
    ledger's `running` column selects it too, and it must hold the greatest value so far."""
    keys = len(ledger.key)
    previous = computed = GENESIS
    count = found = before = uncovered = 0
    sealed = False  # a row chaining its sealed column was seen: every later one must too
    problems: list[Break] = []
    chains: dict[int, str] = {}
    streams, reach = _Streams(derived), _Reach(derived, running, keys)
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the row total
        checked = _row_problems(row, before + 1, previous, derived, keys)
        reasons, previous, values = checked.reasons, checked.chain, checked.values
        if checked.sealing is False and sealed:
            reasons.append(UNSEALED_LATE)
        uncovered += checked.sealing is False and not sealed
        sealed = sealed or checked.sealing is True
        for problem in (streams.problem(values), reach.problem(row, values)):
            if problem is not None:
                reasons.append(problem)
        # A gap is reported once, at the row after it; the rows after that follow on from it.
        before = row[0] if type(row[0]) is int else before + 1
        computed = link(computed, checked.linked)
        if row[0] in marks:
            chains[row[0]] = computed.hex()
        if reasons:
            found += 1
            if limit is None or len(problems) < limit:
                key = dict(zip(ledger.key, row[1 : 1 + keys], strict=True))
                problems.append(Break(ledger.table, row[0], key, "; ".join(reasons)))
    return TableReport(ledger.table, count, previous.hex(), tuple(problems), found, chains, uncovered)
