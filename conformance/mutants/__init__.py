"""The mutation catalogue: broken stores, each breaking one rule of `conformance/rules.json` in a
way a real implementer might, that the conformance suite must fail.

`python -m ledgerspec.conformance.mutants` runs the whole suite against every one of them and
prints which scenarios kill which store (`matrix.py`); a store no scenario kills is a scenario
the corpus is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..rules import load_rules
from . import artifacts, documents, edges, experience, journal, runs, tenancy
from .base import Bug

CATALOGUE: tuple[type[Bug], ...] = (
    *documents.BUGS,
    *experience.BUGS,
    *tenancy.BUGS,
    *runs.BUGS,
    *artifacts.BUGS,
    *journal.BUGS,
    *edges.BUGS,
)
"""Every broken store, by ledger."""

BROKEN: dict[str, Callable[[], Any]] = {bug.name(): bug.make_store for bug in CATALOGUE}
"""Factory of each broken store, by name."""


def rule_ids() -> list[str]:
    """The ids of the rules of the shipped catalogue (`conformance/rules.json`), in file order."""
    return [rule.id for rule in load_rules()]
