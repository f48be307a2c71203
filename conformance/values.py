"""The golden value fixture corpus: one file per qualified type under `fixtures/values/<ns>/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

_MISSING: Any = object()


@dataclass(frozen=True)
class ValidCase:
    """A document the reader contract accepts, and what serde writes after reading it."""

    id: str
    type: str
    description: str
    document: Any
    expected: Any
    strict: bool


@dataclass(frozen=True)
class InvalidCase:
    """A document that must be rejected, in `mode` ("reader": both contracts; "strict": only the writer's)."""

    id: str
    type: str
    description: str
    document: Any
    mode: str
    errors: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FixtureFile:
    """One fixture file: its raw content (checked against the format schema) and its cases."""

    path: Path
    raw: Any
    type: str
    valid: tuple[ValidCase, ...]
    invalid: tuple[InvalidCase, ...]


def conformance_dir() -> Path:
    """Where the conformance data lives in the installed package."""
    return Path(str(files("ledgerspec.conformance")))


def format_schema() -> dict[str, Any]:
    """The JSON Schema of a value fixture file."""
    schema: dict[str, Any] = json.loads((conformance_dir() / "schemas" / "value-fixtures.json").read_text("utf-8"))
    return schema


def _parse(path: Path, raw: Any) -> FixtureFile:
    type_name = raw.get("type", "") if isinstance(raw, dict) else ""
    valid = tuple(
        ValidCase(c["id"], type_name, c["description"], c["document"], c.get("serde", c["document"]), c["strict"])
        for c in raw.get("valid", ())
    )
    invalid = tuple(
        InvalidCase(
            c["id"],
            type_name,
            c["description"],
            c["document"],
            c.get("mode", "reader"),
            tuple((e["path"], e["rule"]) for e in c["errors"]),
        )
        for c in raw.get("invalid", ())
    )
    return FixtureFile(path, raw, type_name, valid, invalid)


def load_corpus(root: Path | None = None) -> list[FixtureFile]:
    """Every fixture file under `root` (default: the shipped corpus), sorted by path.

    Files that do not parse as JSON raise ValueError naming the file; structural problems are
    left to the lint, which checks each file against the format schema first.
    """
    base = root or conformance_dir() / "fixtures" / "values"
    corpus = []
    for path in sorted(base.glob("*/*.json")):
        try:
            raw = json.loads(path.read_text("utf-8"))
        except ValueError as exc:
            raise ValueError(f"{path}: not JSON: {exc}") from None
        try:
            corpus.append(_parse(path, raw))
        except (KeyError, TypeError, AttributeError):
            corpus.append(FixtureFile(path, raw, "", (), ()))
    return corpus
