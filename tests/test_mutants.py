"""The mutation catalogue: enough broken stores, one rule each, every rule covered; the machinery
under them is itself correct; and its runner fails (naming it) on a broken store that survives."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ledgerspec.conformance.mutants import CATALOGUE, rule_ids
from ledgerspec.conformance.mutants.__main__ import main
from ledgerspec.conformance.mutants.base import BrokenStore, Bug
from ledgerspec.conformance.mutants.matrix import Kills, Matrix
from ledgerspec.conformance.runner import InProcessTarget, run_suite
from ledgerspec.conformance.scenarios import load_scenarios
from ledgerspec.store.memory import MemoryStore


def test_the_catalogue_breaks_every_rule_with_at_least_sixty_named_stores() -> None:
    names = [bug.name() for bug in CATALOGUE]
    assert len(CATALOGUE) >= 60
    assert len(set(names)) == len(names), sorted(n for n in names if names.count(n) > 1)
    rules = rule_ids()
    assert {bug.rule for bug in CATALOGUE} == set(rules)
    for bug in CATALOGUE:
        assert bug.description() and not bug.description().endswith(":"), bug


def test_store_names_are_the_class_names_in_kebab_case() -> None:
    class IdsUnder256Bytes(Bug):
        rule = "experience.id-length"

    class HTTPStyleCursor(Bug):
        rule = "journal.cursor"

    assert IdsUnder256Bytes.name() == "ids-under-256-bytes"
    assert HTTPStyleCursor.name() == "http-style-cursor"


def test_a_store_with_no_bug_conforms() -> None:
    """The wrappers every broken store is built from (forwarding, tenant views, the memo of
    repeated queries) change no answer: without a bug, the whole suite passes."""
    report = run_suite(InProcessTarget(lambda: BrokenStore({}), "no bug"), load_scenarios())
    assert [r.id for r in report.results if r.status != "passed"] == []


class CorrectMemoryStore(Bug):
    """A correct MemoryStore posing as a broken one."""

    rule = "experience.query.limit"

    @classmethod
    def make_store(cls) -> Any:
        return MemoryStore()


def test_a_surviving_store_fails_the_run_and_is_named(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["--json", str(tmp_path / "m.json")], catalogue=[CorrectMemoryStore], out=out) == 1
    text = out.getvalue()
    assert "correct-memory-store (experience.query.limit) survives every scenario" in text
    assert "correct-memory-store [0]: SURVIVES" in text
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["ok"] is False
    assert document["rules"]["experience.query.limit"]["stores"]["correct-memory-store"]["killed_by"] == []


def test_rules_killed_by_fewer_than_two_scenarios_are_problems() -> None:
    stores = [
        Kills("a", "r.one", "d", ("s/1", "s/2")),
        Kills("b", "r.two", "d", ("s/1",)),
        Kills("c", "r.two", "d", ("s/1",)),
        Kills("d", "r.nope", "d", ("s/3",)),
    ]
    problems = Matrix(stores, ["r.one", "r.two", "r.three"]).problems()
    assert problems == [
        "d names the unknown rule r.nope",
        "rule r.three is broken by no store",
        "rule r.two is killed by 1 distinct scenario(s); 2 needed",
    ]
    assert Matrix(stores[:1], ["r.one"]).problems() == []
