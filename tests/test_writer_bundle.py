"""`ledgerspec schema --bundle --strict`: the writer contract as one self-contained document that an
off-the-shelf validator (Python `jsonschema`, no ledgerspec keyword) applies exactly as the golden
value fixtures state, and that can share a registry with the reader bundle."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ledgerspec.cli import main
from ledgerspec.conformance.values import InvalidCase, load_corpus

WRITER_BUNDLE_ID = "https://ledgerspec.dev/schemas/v1/writer/bundle.json"
READER_BUNDLE_ID = "https://ledgerspec.dev/schemas/v1/bundle.json"


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


def beyond_plain_json_schema(case: InvalidCase) -> bool:
    """Whether every error the fixture states is one plain JSON Schema (as Python's `jsonschema`
    runs it) cannot see: the two rules the README lists for bindings to reproduce (a UTF-8 byte
    limit; an integral float literal such as `1.0` at an integer position, which JSON Schema counts
    as an integer) and a `pattern` ending in `$` before a trailing newline, which Python's `re`
    matches and ECMA-262 does not."""

    def hidden(path: str, rule: str) -> bool:
        value = _at(case.document, path)
        if rule == "x-max-utf8-bytes":
            return True
        if rule == "type":
            return isinstance(value, float) and value.is_integer()
        return rule == "pattern" and isinstance(value, str) and value.endswith("\n")

    return all(hidden(path, rule) for path, rule in case.errors)


def test_the_writer_bundle_judges_every_value_fixture_as_stated(registry: Registry[Any]) -> None:
    wrong, skipped, checked = [], 0, 0
    for file in load_corpus():
        check = validator(registry, WRITER_BUNDLE_ID, file.type)
        for valid in file.valid:
            checked += 1
            if check.is_valid(valid.document) != valid.strict:
                wrong.append(f"{valid.id}: strict-{'valid' if valid.strict else 'invalid'} fixture misjudged")
        for invalid in file.invalid:
            if beyond_plain_json_schema(invalid):
                skipped += 1
                continue
            checked += 1
            if check.is_valid(invalid.document):
                wrong.append(f"{invalid.id}: {invalid.mode}-invalid fixture accepted")
    assert not wrong, "\n".join(wrong)
    assert checked > 2_900 and skipped < 100


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
