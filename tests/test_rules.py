"""The rule catalogue: every rule is cited in docs/stores.md and proved by at least two scenarios,
docs/rules.md is the current table, the lint reports each kind of gap, and every scenario has a
step a trivial store would fail."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from ledgerspec.conformance import lint
from ledgerspec.conformance.rules import MIN_SCENARIOS, RULE_ID, Rule, load_rules, main, problems, table
from ledgerspec.conformance.scenarios import Scenario, load_scenarios

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
SCENARIOS = load_scenarios()


def cited_rule_ids(markdown: str, areas: set[str]) -> set[str]:
    """Code spans of `markdown` that look like rule ids of one of `areas` (so module paths such as
    `ledgerspec.errors` are not mistaken for rules)."""
    spans = re.findall(r"`([^`\n]+)`", markdown)
    return {s for s in spans if RULE_ID.fullmatch(s) and s.split(".", 1)[0] in areas}


def test_the_shipped_catalogue_and_scenarios_have_no_gaps() -> None:
    assert problems(SCENARIOS) == []
    assert 40 <= len(RULES) <= 80


def test_every_rule_is_cited_in_docs_stores_and_every_citation_is_a_rule() -> None:
    text = (ROOT / "docs" / "stores.md").read_text("utf-8")
    ids = {rule.id for rule in RULES}
    cited = cited_rule_ids(text, {rule.area for rule in RULES})
    assert ids - cited == set(), "rules missing from docs/stores.md"
    assert cited - ids == set(), "docs/stores.md cites ids that are not in conformance/rules.json"
    assert "DESIGN.md" not in text


def test_docs_rules_md_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == table(SCENARIOS, RULES), "docs/rules.md is stale: python -m ledgerspec.conformance.rules"


def test_the_module_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0
    out = capsys.readouterr().out
    assert out == table(SCENARIOS, RULES)
    assert "| `journal.cursor` | journal |" in out


def with_one_scenario_naming(rule_id: str) -> list[Scenario]:
    """The corpus with `rule_id` struck from every scenario naming it but the first."""
    naming = [s for s in SCENARIOS if rule_id in s.rules]
    assert len(naming) >= 2, "the test needs a rule several scenarios name"
    later = {s.id for s in naming[1:]}
    return [replace(s, rules=tuple(r for r in s.rules if r != rule_id)) if s.id in later else s for s in SCENARIOS]


def test_a_rule_named_by_one_scenario_is_reported() -> None:
    assert problems(with_one_scenario_naming("journal.cursor")) == [
        f"journal.cursor: 1 scenario(s) name it; at least {MIN_SCENARIOS} must"
    ]


def test_a_rule_no_scenario_names_is_reported() -> None:
    extra = Rule(id="journal.made-up", ledger="journal", statement="A rule nobody tests.")
    assert problems(SCENARIOS, [*RULES, extra]) == [
        f"journal.made-up: 0 scenario(s) name it; at least {MIN_SCENARIOS} must"
    ]


def test_an_unknown_rule_id_is_reported() -> None:
    changed = [
        replace(s, rules=(*s.rules, "journal.no-such-rule")) if s.id == "journal/seq-gap" else s for s in SCENARIOS
    ]
    assert problems(changed) == ["journal/seq-gap: unknown rule journal.no-such-rule"]


def test_duplicate_malformed_and_misfiled_rules_are_reported() -> None:
    first = RULES[0]
    found = problems(
        SCENARIOS,
        [
            *RULES,
            first,
            Rule(id="Runs.Head", ledger="runs", statement="x"),
            Rule(id="runs.x", ledger="mfm", statement=" "),
        ],
    )
    assert f"rules.json: rule id {first.id} is used 2 times" in found
    assert "rules.json: 'Runs.Head' is not a rule id (<area>.<slug>, lowercase)" in found
    assert "rules.json: runs.x names ledger 'mfm', not one of all, experience, runs, artifacts, journal" in found
    assert "rules.json: runs.x has no statement" in found


def test_a_scenario_naming_no_rule_is_reported() -> None:
    changed = [replace(s, rules=()) if s.id == "runs/head-of-unknown-run" else s for s in SCENARIOS]
    assert "runs/head-of-unknown-run: names no rule" in problems(changed)


def test_the_fixture_lint_reports_rule_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lint, "load_scenarios", lambda: with_one_scenario_naming("journal.cursor"))
    assert f"journal.cursor: 1 scenario(s) name it; at least {MIN_SCENARIOS} must" in lint.scenario_problems()
