"""The error types every ledgerspec entry point raises, each with a stable machine code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class LedgerspecError(Exception):
    """Base of every error ledgerspec raises on purpose; `code` is stable for machines."""

    code = "ledgerspec"


class UnknownTypeError(LedgerspecError, KeyError):
    """A qualified type name (or class) that no schema defines."""

    code = "unknown_type"

    def __str__(self) -> str:
        return str(self.args[0])


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


class ValidationError(LedgerspecError, ValueError):
    """A document that breaks its contract; carries every problem found, not just the first."""

    code = "invalid_input"

    def __init__(self, type_name: str, issues: list[Issue]) -> None:
        self.type_name = type_name
        self.issues = tuple(issues)
        lines = [f"{len(self.issues)} problem(s) in {type_name} document:"]
        lines += [f"  {issue.path or '/'}: [{issue.rule}] {issue.message}" for issue in self.issues]
        super().__init__("\n".join(lines))
