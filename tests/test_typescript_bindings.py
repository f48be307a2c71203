"""The TypeScript bindings: the type-level reduction behind them, the u64 notes in them, and the
fixture check's power to fail when the bindings are wrong. The check itself (every fixture
against the committed bindings) runs in `nox -s bindings_ts_check`; the tests here that need tsc
use the pinned one `npm ci` installs in codegen/node/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the generators live in codegen/, beside the package

from codegen.typescript import SCHEMASET, ProjectionError, type_level  # noqa: E402
from codegen.typescript_fixtures import claims  # noqa: E402

BINDINGS = REPO / "generated" / "typescript"
FIXTURES = REPO / "conformance" / "fixtures" / "values"
TSC = REPO / "codegen" / "node" / "node_modules" / ".bin" / "tsc"
U64_MAX = 2**64 - 1


@pytest.fixture(scope="module")
def tsc() -> Path:
    if not TSC.exists():
        message = "the pinned tsc is missing: run `npm ci --prefix codegen/node` (nox -s bindings_ts does)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return TSC


@pytest.fixture(scope="module")
def fixture_claims() -> dict[str, Any]:
    entries = SCHEMASET.load_dir(REPO / "schemas")
    return {claim.fixture: claim for claim in claims(entries, FIXTURES)}


# -- the type-level reduction ---------------------------------------------------------------


def test_value_rules_are_dropped_and_integers_read_as_numbers() -> None:
    schema = {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": U64_MAX,
        "x-max-utf8-bytes": 512,
        "description": "kept",
    }
    assert type_level(schema) == {"type": ["number", "null"], "description": "kept"}
    assert type_level({"type": "string", "pattern": "^a$", "minLength": 1, "format": "uuid"}) == {"type": "string"}


def test_closed_objects_open_but_typed_maps_keep_their_values() -> None:
    closed = {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False}
    assert type_level(closed) == {"type": "object", "properties": {"a": {"type": "number"}}}
    mapping = {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}
    assert type_level(mapping) == {"type": "object", "additionalProperties": {"type": "string"}}


def test_one_of_reads_as_any_of_and_if_then_members_vanish() -> None:
    union = {"oneOf": [{"$ref": "A.json"}, {"$ref": "B.json"}], "discriminator": {"propertyName": "t"}}
    assert type_level(union) == {"anyOf": [{"$ref": "A.json"}, {"$ref": "B.json"}]}
    duration = SCHEMASET.load_dir(REPO / "schemas")["mfm.Duration"].schema
    reduced = type_level(duration)
    assert "allOf" not in reduced and "if" not in json.dumps(reduced)
    assert reduced["required"] == ["secs", "nanos"]


def test_a_required_tags_dependent_schema_becomes_a_property() -> None:
    opaque = {
        "type": "object",
        "required": ["type"],
        "additionalProperties": {},
        "dependentSchemas": {"type": {"properties": {"type": {"const": "tool"}}}},
    }
    assert type_level(opaque)["properties"] == {"type": {"const": "tool"}}
    optional = {"type": "object", "dependentSchemas": {"type": {"properties": {"type": {"const": "tool"}}}}}
    with pytest.raises(ProjectionError, match="required"):
        type_level(optional)


def test_properties_beside_all_of_become_one_more_member() -> None:
    variant = {
        "description": "d",
        "allOf": [{"$ref": "RunCheckpoint.json"}],
        "properties": {"type": {"const": "checkpoint"}},
        "required": ["type"],
    }
    assert type_level(variant) == {
        "description": "d",
        "allOf": [
            {"$ref": "RunCheckpoint.json"},
            {"properties": {"type": {"const": "checkpoint"}}, "required": ["type"]},
        ],
    }


def test_an_unknown_keyword_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ProjectionError, match="patternProperties"):
        type_level({"type": "object", "patternProperties": {"^a": {"type": "string"}}})


# -- which fixtures are type-level: cases read by hand -------------------------------------


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("converge.ExperienceEventEnvelope/full", "typed"),  # strict: what serde writes
        ("converge.ExperienceEventEnvelope/unknown-keys", "reader"),  # extra keys serde ignores
        ("converge.ExperienceEventEnvelope/missing-event_id", "rejected"),  # a required field absent
        ("converge.ExperienceEventEnvelope/union-wrong-json-type", "rejected"),  # event is a number
        ("converge.ExperienceEvent/unknown-type", "rejected"),  # no variant has this tag
        ("converge.ExperienceEvent/data-missing-field", "rejected"),  # FactPromoted data without fact_id
        ("converge.ContentHash/number", "rejected"),  # a number for a string
        ("mfm.Duration/null-nanos", "rejected"),  # null for a required u32
        ("converge.ContentHash/too-short", "accepted"),  # 63 hex digits: a pattern
        ("mfm.Duration/unknown-key", "accepted"),  # a closed object: TypeScript types are open
        ("mfm.Duration/float-secs", "accepted"),  # 1.0 for an integer: one number type
        ("mfm.Duration/secs-over-u64", "accepted"),  # a range
        ("agentsdk.HookQueueConfig/zero-capacity", "accepted"),  # NonZeroUsize: a range
        ("converge.ExperienceEvent/strict-unknown-key", "accepted"),  # writer contract only
        ("converge.ExperienceEvent/strict-missing-option", "accepted"),  # writer contract only
    ],
)
def test_fixture_classification(fixture_claims: dict[str, Any], fixture: str, kind: str) -> None:
    assert fixture_claims[fixture].kind == kind


def _fixture_counts() -> tuple[int, int]:
    """How many valid and invalid value fixtures the corpus holds, read from the files."""
    valid = invalid = 0
    for path in FIXTURES.glob("*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        valid += len(data["valid"])
        invalid += len(data["invalid"])
    return valid, invalid


def test_every_fixture_is_claimed_once(fixture_claims: dict[str, Any]) -> None:
    valid, invalid = _fixture_counts()
    kinds = [claim.kind for claim in fixture_claims.values()]
    assert len(kinds) == valid + invalid
    assert kinds.count("typed") + kinds.count("reader") == valid


# -- the committed bindings ----------------------------------------------------------------


def _interfaces(text: str) -> dict[str, dict[str, str]]:
    """Each exported interface (or intersection's object part) of a generated module: its
    properties and the doc comment above each."""
    found: dict[str, dict[str, str]] = {}
    pattern = r"export (?:interface (\w+) \{|type (\w+) = \w+ & \{)\n(.*?)\n\}"
    for match in re.finditer(pattern, text, re.S):
        members = re.findall(r"(  /\*\*.*?\*/\n)?  (\w+)\??: ", match[3], re.S)
        found[match[1] or match[2]] = {name: doc for doc, name in members}
    return found


def _u64_properties() -> set[tuple[str, str, str]]:
    """(namespace, class, property) for every property whose schema admits u64 values, read
    straight from the schema files."""
    found = set()
    for entry in SCHEMASET.load_dir(REPO / "schemas").values():
        for name, prop in entry.schema.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            if any(option.get("maximum", 0) >= 2**63 for option in options):
                found.add((entry.namespace, entry.class_name, name))
    return found


def test_every_u64_field_warns_about_max_safe_integer() -> None:
    expected = _u64_properties()
    assert len(expected) > 30  # sequence numbers, limits, latencies, ...
    noted = set()
    for namespace in SCHEMASET.NAMESPACES:
        text = (BINDINGS / f"{namespace}.ts").read_text(encoding="utf-8")
        for name, members in _interfaces(text).items():
            noted |= {(namespace, name, prop) for prop, doc in members.items() if "MAX_SAFE_INTEGER" in doc}
    assert noted == expected


def test_tagged_variants_carry_their_literal_tag() -> None:
    text = (BINDINGS / "converge.ts").read_text(encoding="utf-8")
    budget = _interfaces(text)["ExperienceEventBudgetExceeded"]
    assert set(budget) == {"type", "data"}
    assert re.search(r'export interface ExperienceEventBudgetExceeded \{.*?\n  type: "BudgetExceeded";', text, re.S)
    agentsdk = (BINDINGS / "agentsdk.ts").read_text(encoding="utf-8")
    assert "export type JournalRecordPayloadCheckpoint = RunCheckpoint & {" in agentsdk
    assert re.search(r'interface JournalRecordPayloadAgentPool \{.*?  type: "agent_pool";', agentsdk, re.S)


# -- the check fails when the bindings are wrong -------------------------------------------


def _check(bindings: Path, tmp_path: Path, tsc: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codegen.typescript_fixtures", str(bindings), str(tmp_path / "check")]
    command += ["--coverage", str(tmp_path / "COVERAGE.md"), "--tsc", str(tsc)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def _broken(tmp_path: Path, namespace: str, old: str, new: str) -> Path:
    """A copy of the committed bindings with one edit in one module."""
    bindings = tmp_path / "bindings"
    shutil.copytree(BINDINGS, bindings)
    module = bindings / f"{namespace}.ts"
    text = module.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    module.write_text(text.replace(old, new), encoding="utf-8")
    return bindings


def test_the_committed_bindings_pass(tmp_path: Path, tsc: Path) -> None:
    result = _check(BINDINGS, tmp_path, tsc)
    assert result.returncode == 0, result.stderr
    assert f"{_fixture_counts()[0]:,} valid fixtures compile" in result.stdout


def test_an_optional_required_field_lets_a_missing_field_through(tmp_path: Path, tsc: Path) -> None:
    bindings = _broken(
        tmp_path, "converge", "  event_id: EventId;\n  /**\n   * When", "  event_id?: EventId;\n  /**\n   * When"
    )
    result = _check(bindings, tmp_path, tsc)
    assert result.returncode != 0
    claim = "converge.ExperienceEventEnvelope/missing-event_id (rejected): tsc accepted a fixture it must reject"
    for configuration in ("strict", "strictest"):  # every claim is judged under both compiler settings
        assert f"[{configuration}] {claim}" in result.stderr


def test_a_merged_tag_fails_narrowing_and_the_wrong_tag_fixtures(tmp_path: Path, tsc: Path) -> None:
    bindings = _broken(tmp_path, "converge", '  type: "BudgetExceeded";', "  type: string;")
    result = _check(bindings, tmp_path, tsc)
    assert result.returncode != 0
    assert re.search(r"unions\.ts\(\d+,\d+\): error", result.stderr)
    assert "converge.ExperienceEvent.BudgetExceeded/wrong-tag (rejected): tsc accepted a fixture it must reject" in (
        result.stderr
    )


def test_a_wrong_field_type_rejects_valid_fixtures(tmp_path: Path, tsc: Path) -> None:
    old = "export interface ExperienceEventBudgetExceededFields {\n  /**\n   * Chain or run whose budget was exceeded.\n   */\n  chain_id: ChainId;"
    bindings = _broken(tmp_path, "converge", old, old.replace("chain_id: ChainId;", "chain_id: number;"))
    result = _check(bindings, tmp_path, tsc)
    assert result.returncode != 0
    assert "converge.ExperienceEventEnvelope/full (typed): tsc rejected it: TS2322" in result.stderr
    assert "converge.ExperienceEventEnvelope/unknown-keys (reader): tsc rejected it" in result.stderr
