"""The Markdown type reference (`codegen/reference/`, committed as docs/reference/): every type has
one section, every field its presence as the schema states it, every link a target, every example
a valid golden fixture, and the committed pages match a fresh render."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import ledgerspec

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
FIXTURES = REPO / "conformance" / "fixtures" / "values"
COMMITTED = REPO / "docs" / "reference"

ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
LINK = re.compile(r"\]\(([^)\s]+)\)")
EXAMPLE = re.compile(r"\*\*Example\*\* \(([^)]*)\), fixture `([^`]+)`:.*?\n\n```json\n(.*?)\n```", re.S)


def _renderer() -> ModuleType:
    """codegen/ is not part of the installed package: import it from the checkout."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return importlib.import_module("codegen.reference")


reference = _renderer()


def schema_files(root: Path = SCHEMAS) -> dict[str, dict[str, Any]]:
    """Every schema by qualified name, read straight from the files."""
    return {
        f"{path.parent.name}.{path.name[: -len('.json')]}": json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(root.glob("*/*.json"))
    }


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return reference.render(SCHEMAS, FIXTURES)


@pytest.fixture(scope="module")
def sections(pages: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each type's section text and the page it is on, split at the anchors."""
    found: dict[str, tuple[str, str]] = {}
    for page, text in pages.items():
        marks = list(ANCHOR.finditer(text))
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
            assert mark.group(1) not in found, f"{mark.group(1)} has two sections"
            found[mark.group(1)] = (page, text[mark.start() : end])
    return found


@pytest.fixture(scope="module")
def fixtures() -> dict[str, dict[str, Any]]:
    """The value fixture files by type."""
    return {
        data["type"]: data
        for data in (json.loads(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.glob("*/*.json")))
    }


def table_rows(section: str, header: str) -> dict[str, list[str]]:
    """The rows of the section's table with that header, keyed by the first cell without backticks."""
    lines = section.splitlines()
    start = lines.index(header) + 2
    rows: dict[str, list[str]] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0].strip("`")] = cells
    return rows


def test_every_type_has_exactly_one_section_on_its_namespace_page(sections: dict[str, tuple[str, str]]) -> None:
    names = schema_files()
    assert sorted(sections) == sorted(names)
    for name, (page, text) in sections.items():
        assert page == f"{name.split('.')[0]}.md"
        assert f"\n## {name}\n" in text


def test_index_lists_each_namespace_page_with_its_type_count(pages: dict[str, str]) -> None:
    names = schema_files()
    for namespace in ("converge", "mfm", "agentsdk"):
        count = sum(name.startswith(f"{namespace}.") for name in names)
        assert f"| [{namespace}]({namespace}.md) | {count} |" in pages["README.md"]
        assert len(re.findall(rf"^- \[{namespace}\.", pages[f"{namespace}.md"], re.M)) == count  # contents
    assert "nox -s docs" in pages["README.md"]


def test_every_link_resolves(pages: dict[str, str]) -> None:
    anchors = {page: set(ANCHOR.findall(text)) for page, text in pages.items()}
    for page, text in pages.items():
        for target in LINK.findall(text):
            path, _, fragment = target.partition("#")
            if path.startswith("../"):
                assert (COMMITTED / path).resolve().is_file(), f"{page}: {target}"
                continue
            linked = path or page
            assert linked in pages, f"{page}: {target}"
            assert not fragment or fragment in anchors[linked], f"{page}: {target}"


BINDINGS = re.compile(r"\*\*Bindings:\*\* Python `ledgerspec\.models\.(\w+)\.(\w+)`; TypeScript `(\w+)\.(\w+)`")


def test_every_section_names_bindings_that_exist(sections: dict[str, tuple[str, str]]) -> None:
    typescript = {
        namespace: set(re.findall(r"^export (?:interface|type) (\w+)\b", path.read_text(encoding="utf-8"), re.M))
        for namespace, path in ((p.stem, p) for p in (REPO / "generated" / "typescript").glob("*.ts"))
    }
    for name, (_, section) in sections.items():
        match = BINDINGS.search(section)
        assert match, name
        namespace = name.split(".", 1)[0]
        assert match[1] == match[3] == namespace, name
        module = importlib.import_module(f"ledgerspec.models.{namespace}")
        assert match[2] == match[4] and hasattr(module, match[2]), name
        assert match[4] in typescript[namespace], name


def test_struct_fields_have_the_presence_the_schema_states(sections: dict[str, tuple[str, str]]) -> None:
    for name, schema in schema_files().items():
        if "properties" not in schema:
            continue
        section = sections[name][1]
        rows = table_rows(section, "| field | type | presence | description |")
        assert list(rows) == list(schema["properties"]), name
        required = set(schema.get("required", []))
        for field, prop in schema["properties"].items():
            presence = rows[field][2]
            assert presence.startswith("required") == (field in required), (name, field, presence)
            assert ("default" in presence) == ("default" in prop), (name, field, presence)
            if "default" in prop:
                shown = re.search(r"default `([^`]*)`", presence)
                assert shown and json.loads(shown.group(1)) == prop["default"], (name, field, presence)
            skip = prop.get("x-skip-serializing-if")
            assert ("omitted when null" in presence) == (skip == "is_none"), (name, field, presence)
            assert ("omitted when empty" in presence) == (skip == "is_empty"), (name, field, presence)
        closed = schema.get("additionalProperties") is False
        assert ("Unknown keys are rejected" in section) == closed, name
        assert ("Unknown keys are ignored" in section) == (not closed), name


def test_unions_list_every_variant_with_its_tagging(sections: dict[str, tuple[str, str]]) -> None:
    for name, schema in schema_files().items():
        if "oneOf" not in schema:
            continue
        section = sections[name][1]
        namespace = name.split(".")[0]
        for member in schema["oneOf"]:
            assert f"(#{namespace}.{member['$ref'][: -len('.json')]})" in section, (name, member)
        discriminator = schema.get("discriminator")
        if discriminator is None:
            assert "**Kind:** union, externally tagged" in section, name
        else:
            assert f'tagged on `"{discriminator["propertyName"]}"`' in section, name


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("converge.ExperienceEvent", 'union, adjacently tagged on `"type"`/`"data"`'),
        ("converge.PolicySnapshot", 'union, adjacently tagged on `"type"`/`"policy"`'),
        ("converge.ReplayTrace", 'union, internally tagged on `"type"`'),
        ("agentsdk.JournalRecordPayload", 'union, internally tagged on `"type"`'),
        ("agentsdk.HookExecutionMode", 'union, internally tagged on `"mode"`'),
        ("mfm.KernelEvent", "union, externally tagged"),
        (
            "converge.StopReason",
            '| `"Converged"` | [StopReason.Unit](#converge.StopReason.Unit) | nothing: a bare string |',
        ),
        ("agentsdk.JournalRecordPayload.AgentPool", 'opaque variant: any JSON object whose `"type"` is `"agent_pool"`'),
        ("agentsdk.JournalRecordPayload.Checkpoint", "every field of [RunCheckpoint](#agentsdk.RunCheckpoint)"),
        (
            "converge.ExperienceEvent.BudgetExceeded",
            "**Variant of** [converge.ExperienceEvent](#converge.ExperienceEvent)",
        ),
        ("mfm.Duration", "closed struct (`std::time::Duration`)"),
        ("mfm.Duration", "| `secs` | u64 | required |"),
        ("mfm.RunId", "format `uuid`"),
        ("agentsdk.RunId", "at least 1 character; at most 512 UTF-8 bytes"),
        ("converge.UnitInterval", "newtype over f64 (minimum 0; maximum 1)"),
        ("converge.ExperienceEventEnvelope", "| `tenant_id` | [TenantId](#converge.TenantId) or null | optional |"),
        ("agentsdk.HookMutationRights", "set of [HookMutationRight](#agentsdk.HookMutationRight)"),
        ("agentsdk.HookQueueConfig", "| `capacity` | NonZeroUsize | required |"),
    ],
)
def test_kind_and_types_read_from_the_shape(sections: dict[str, tuple[str, str]], name: str, phrase: str) -> None:
    assert phrase in sections[name][1]


def test_each_example_is_the_first_serde_exact_fixture_and_valid(
    sections: dict[str, tuple[str, str]], fixtures: dict[str, dict[str, Any]]
) -> None:
    for name, (_, section) in sections.items():
        examples = EXAMPLE.findall(section)
        assert len(examples) == 1 and section.count("```json") == 1, name
        how, fixture_id, text = examples[0]
        valid = fixtures[name]["valid"]
        expected = next((case for case in valid if case.get("strict")), valid[0])
        assert fixture_id == expected["id"], name
        assert (how == "exactly what serde writes") == bool(expected.get("strict")), name
        document = json.loads(text)
        assert document == expected["document"], name
        assert json.dumps(document) == json.dumps(expected["document"]), f"{name}: key order"
        ledgerspec.validate(name, document, strict=bool(expected.get("strict")))


def test_changing_one_schema_changes_exactly_its_page(pages: dict[str, str], tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    duration = schemas / "mfm" / "Duration.json"
    data = json.loads(duration.read_text(encoding="utf-8"))
    data["description"] = "Changed for the test: a span of time."
    duration.write_text(json.dumps(data), encoding="utf-8")
    envelope = schemas / "converge" / "ExperienceEventEnvelope.json"
    data = json.loads(envelope.read_text(encoding="utf-8"))
    data["properties"]["trace_note"] = {"type": ["string", "null"], "description": "Added for the test."}
    envelope.write_text(json.dumps(data), encoding="utf-8")

    changed = reference.render(schemas, FIXTURES)
    assert sorted(page for page in pages if changed[page] != pages[page]) == ["converge.md", "mfm.md"]
    assert "Changed for the test: a span of time." in changed["mfm.md"]
    assert "| `trace_note` | string or null | optional | Added for the test. |" in changed["converge.md"]
    old_lines, new_lines = pages["mfm.md"].splitlines(), changed["mfm.md"].splitlines()
    assert len(old_lines) == len(new_lines)
    assert [new for old, new in zip(old_lines, new_lines, strict=True) if old != new] == [
        "Changed for the test: a span of time."
    ]


def test_a_shape_the_conventions_do_not_define_is_refused(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    op_id = schemas / "mfm" / "OpId.json"
    data = json.loads(op_id.read_text(encoding="utf-8"))
    data["not"] = {"const": "reserved"}
    op_id.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(reference.RenderError, match="mfm.OpId"):
        reference.render(schemas, FIXTURES)


def test_pages_are_plain_unix_text(pages: dict[str, str]) -> None:
    for page, text in pages.items():
        assert text.endswith("\n") and not text.endswith("\n\n"), page
        assert "\r" not in text, page
        assert not [line for line in text.splitlines() if line != line.rstrip()], page


def test_committed_reference_matches_a_fresh_render(pages: dict[str, str]) -> None:
    committed = {path.name: path.read_text(encoding="utf-8") for path in sorted(COMMITTED.glob("*.md"))}
    assert sorted(committed) == sorted(pages), "docs/reference/ has missing or extra pages: run `nox -s docs`"
    stale = [name for name in pages if committed[name] != pages[name]]
    assert not stale, f"docs/reference/ is stale ({', '.join(stale)}): run `nox -s docs`"
