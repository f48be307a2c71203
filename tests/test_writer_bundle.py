"""`ledgerspec schema --bundle --strict`: the writer contract as one self-contained document that
off-the-shelf validators (Python `jsonschema`, ajv; no ledgerspec keyword) apply exactly as the
golden value fixtures state, save for what plain JSON Schema cannot express, and that can share a
registry with the reader bundle."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ledgerspec import default_validator
from ledgerspec.cli import main
from ledgerspec.conformance.values import load_corpus
from ledgerspec.errors import Issue
from ledgerspec.jsontext import I64_MIN, U64_MAX

WRITER_BUNDLE_ID = "https://ledgerspec.dev/schemas/v1/writer/bundle.json"
READER_BUNDLE_ID = "https://ledgerspec.dev/schemas/v1/bundle.json"
NODE_TOOLS = Path(__file__).resolve().parents[1] / "codegen" / "node"


def schema(*argv: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    assert main(["schema", *argv], out, err) == 0, err.getvalue()
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


@pytest.fixture(scope="module")
def registry() -> Registry[Any]:
    """The reader and the writer bundle in one registry, as a binding generator holding both would."""
    documents = [schema("--bundle"), schema("--bundle", "--strict")]
    return Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in documents)


def validator(registry: Registry[Any], bundle_id: str, type_name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{bundle_id}#/$defs/{type_name}"}, registry=registry)


def _at(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


Blind = Callable[[Any, str], bool]
"""Whether a validator cannot see that `value` breaks `rule`."""


def json_schema_blind(value: Any, rule: str) -> bool:
    """The rules the README lists for bindings to reproduce that an invalid fixture can break and
    JSON Schema cannot express: a UTF-8 byte limit, an integral float literal (`1.0`) at an
    integer position, which JSON Schema counts as an integer, and (writer contract) an integer
    beyond i64/u64 in a free JSON position, which serde_json writes as an f64."""
    integral_float = isinstance(value, float) and value.is_integer()
    wide_integer = type(value) is int and not I64_MIN <= value <= U64_MAX
    return rule == "x-max-utf8-bytes" or (rule == "type" and (integral_float or wide_integer))


def writer_only(issue: Issue) -> bool:
    """The writer contract's rules JSON Schema cannot state, which only a reader's document
    breaks: an integer literal at a float position (JSON Schema counts `1` a number; serde
    writes `1.0`; a reader's document breaks no other `type` rule with an integer), an f32's
    digits, and a set's order."""
    return (issue.rule == "type" and type(issue.value) is int) or issue.rule in ("f32", "order")


def python_blind(value: Any, rule: str) -> bool:
    """Python's `jsonschema` also runs patterns with Python's `re`, whose `$` matches before a
    trailing newline (ECMA-262's does not)."""
    trailing_newline = rule == "pattern" and isinstance(value, str) and value.endswith("\n")
    return json_schema_blind(value, rule) or trailing_newline


def javascript_blind(value: Any, rule: str) -> bool:
    """A JavaScript consumer parses with JSON.parse, which rounds an integer above 2**53 to a
    double: one just over the u64 maximum comes out equal to it."""
    rounded = rule == "maximum" and isinstance(value, int) and value > 2**53
    return json_schema_blind(value, rule) or rounded


def misjudged(verdicts: Mapping[str, bool], blind: Blind) -> tuple[list[str], int]:
    """The fixtures whose verdict (fixture id -> valid) contradicts what the fixture states, and
    how many invalid ones were left out because every error they state is one `blind` cannot see."""
    wrong, skipped = [], 0
    for file in load_corpus():
        for valid in file.valid:
            if verdicts[valid.id] != valid.strict:
                # a reader's document the writer contract refuses only by a rule JSON Schema cannot state
                issues = [] if valid.strict else default_validator().issues(file.type, valid.document, strict=True)
                if issues and all(writer_only(issue) for issue in issues):
                    skipped += 1
                    continue
                wrong.append(f"{valid.id}: strict-{'valid' if valid.strict else 'invalid'} fixture misjudged")
        for invalid in file.invalid:
            if all(blind(_at(invalid.document, path), rule) for path, rule in invalid.errors):
                skipped += 1
            elif verdicts[invalid.id]:
                wrong.append(f"{invalid.id}: {invalid.mode}-invalid fixture accepted")
    return wrong, skipped


def test_the_writer_bundle_judges_every_value_fixture_as_stated(registry: Registry[Any]) -> None:
    verdicts = {}
    for file in load_corpus():
        check = validator(registry, WRITER_BUNDLE_ID, file.type)
        for case in (*file.valid, *file.invalid):
            verdicts[case.id] = check.is_valid(case.document)
    wrong, skipped = misjudged(verdicts, python_blind)
    assert not wrong, "\n".join(wrong)
    assert len(verdicts) > 3_000 and skipped < 100


def test_ajv_judges_every_value_fixture_as_stated(tmp_path: Path) -> None:
    """The same with ajv, the pinned npm tool, reading each fixture's JSON text as JavaScript does."""
    node = shutil.which("node")
    if node is None or not (NODE_TOOLS / "node_modules" / "ajv").is_dir():
        message = "ajv is missing: run `npm ci --prefix codegen/node` (nox -s tests does)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    (tmp_path / "bundle.json").write_text(json.dumps(schema("--bundle", "--strict")))
    cases = [
        {"id": case.id, "type": file.type, "text": json.dumps(case.document)}
        for file in load_corpus()
        for case in (*file.valid, *file.invalid)
    ]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    done = subprocess.run(
        [node, str(NODE_TOOLS / "validate-bundle.mjs"), str(tmp_path / "bundle.json"), str(tmp_path / "cases.json")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    verdicts = {line["id"]: line["valid"] for line in map(json.loads, done.stdout.splitlines())}
    assert len(verdicts) == len(cases)
    wrong, skipped = misjudged(verdicts, javascript_blind)
    assert not wrong, "\n".join(wrong)
    assert skipped < 120


def test_reader_and_writer_bundles_share_a_registry_without_shadowing(registry: Registry[Any]) -> None:
    """An unknown key two levels down: the reader contract ignores it, the writer contract rejects
    it; before the writer forms had their own `$id`s only the top level was strict."""
    envelope = {
        "run_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "seq": 6,
        "ts_millis": 6,
        "event": {"Kernel": {"RunCompleted": {"status": "Failed", "final_snapshot_id": None, "unexpected": 1}}},
    }
    assert validator(registry, READER_BUNDLE_ID, "mfm.EventEnvelope").is_valid(envelope)
    assert not validator(registry, WRITER_BUNDLE_ID, "mfm.EventEnvelope").is_valid(envelope)
    del envelope["event"]["Kernel"]["RunCompleted"]["unexpected"]
    assert validator(registry, WRITER_BUNDLE_ID, "mfm.EventEnvelope").is_valid(envelope)


def test_a_type_bundle_is_self_contained_and_named_apart() -> None:
    reader = schema("--bundle", "--type", "mfm.EventEnvelope")
    writer = schema("--bundle", "--type", "mfm.EventEnvelope", "--strict")
    ids = {reader["$id"], writer["$id"], READER_BUNDLE_ID, WRITER_BUNDLE_ID}
    assert len(ids) == 4
    assert writer["$ref"] == "#/$defs/mfm.EventEnvelope" and set(writer["$defs"]) == set(reader["$defs"])
    text = json.dumps(writer)
    refs = text.split('"$ref": ')[1:]
    assert refs and all(ref.startswith('"#/$defs/') for ref in refs)
    assert all("$id" not in definition for definition in writer["$defs"].values())
    check = Draft202012Validator(writer)
    written = {
        "run_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "seq": 6,
        "ts_millis": 6,
        "event": {"Kernel": {"RunCompleted": {"status": "Failed", "final_snapshot_id": None}}},
    }
    assert check.is_valid(written)
    del written["event"]["Kernel"]["RunCompleted"]["final_snapshot_id"]  # serde always writes it
    assert not check.is_valid(written)


def test_a_strict_type_schema_refers_to_strict_forms_only() -> None:
    strict = schema("--type", "mfm.EventEnvelope", "--strict")
    assert strict["$id"] == "https://ledgerspec.dev/schemas/v1/writer/mfm/EventEnvelope.json"
    refs = {node["$ref"] for node in strict["properties"].values() if "$ref" in node}
    assert refs == {
        "https://ledgerspec.dev/schemas/v1/writer/mfm/RunId.json",
        "https://ledgerspec.dev/schemas/v1/writer/mfm/Event.json",
    }
