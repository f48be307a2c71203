"""The error types every ledgerspec entry point raises, each with a stable machine code.

Codes are part of the contract (the conformance suite and the CLI's JSON output carry them):
`invalid_input`, `invalid_query`, `storage`, `not_found`, `concurrency`, `conflict`,
`corruption`, plus `unknown_type` for a qualified name no schema defines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self


class LedgerspecError(Exception):
    """Base of every error ledgerspec raises on purpose; `code` is stable for machines."""

    code = "ledgerspec"
    where: str | None = None
    """Which document of a batch or input the error is about (`envelope 3`, `events.jsonl:7`)."""
    index: int | None = None
    """The position in the batch of the document the error is about, when it is one of a batch."""

    def located(self, where: str, index: int | None = None) -> Self:
        """The same error, saying which document (and which position of its batch) it is about."""
        self.where = where
        self.index = index
        return self

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.where}: {message}" if self.where else message

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the machine code, the message and, when known, the document."""
        found = {"code": self.code, "message": str(self)}
        return found if self.where is None else {**found, "where": self.where}


class UnknownTypeError(LedgerspecError, KeyError):
    """A qualified type name (or class) that no schema defines."""

    code = "unknown_type"

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidInputError(LedgerspecError, ValueError):
    """A document or argument that breaks a rule; nothing was written."""

    code = "invalid_input"


class InvalidQueryError(LedgerspecError, ValueError):
    """A query that cannot be answered as asked (a bad filter or range)."""

    code = "invalid_query"


class StorageError(LedgerspecError):
    """The storage engine failed (I/O, a locked or read-only file, a newer file format)."""

    code = "storage"
    retryable = False
    """Whether the same call may succeed if made again (see `TransientError`)."""


class TransientError(StorageError):
    """A storage failure that may pass: the database server went away or restarted, a
    serialization failure outlasted the store's retries, a statement or lock wait timed out. The
    failed call's transaction was rolled back, unless the connection was lost while it committed;
    appends are idempotent, so calling again is safe either way. The code stays `storage`."""

    retryable = True


class NotFoundError(LedgerspecError, LookupError):
    """Something asked for by id is not stored."""

    code = "not_found"


class ConcurrencyError(LedgerspecError):
    """Another writer got there first (a stale expected sequence number); nothing was written."""

    code = "concurrency"


class ConflictError(LedgerspecError):
    """An id already stored with different content; the ledger keeps the first one."""

    code = "conflict"


class CorruptionError(LedgerspecError):
    """Stored bytes no longer match their hash: the ledger was changed outside ledgerspec."""

    code = "corruption"


@dataclass(frozen=True)
class Issue:
    """One problem in a document: where (JSON pointer), which rule, what was found."""

    path: str
    rule: str
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as `validate --format json` prints it."""
        return {"path": self.path, "rule": self.rule, "message": self.message}


class ValidationError(InvalidInputError):
    """A document that breaks its contract; carries every problem found, not just the first."""

    def __init__(self, type_name: str, issues: list[Issue]) -> None:
        self.type_name = type_name
        self.issues = tuple(issues)
        lines = [f"{len(self.issues)} problem(s) in {type_name} document:"]
        lines += [f"  {issue.path or '/'}: [{issue.rule}] {issue.message}" for issue in self.issues]
        super().__init__("\n".join(lines))

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "type": self.type_name, "issues": [i.as_dict() for i in self.issues]}
