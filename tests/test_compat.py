"""`ledgerspec compat`: reading versions from git refs and directories, fixture cross-validation,
the policy verdict and exit codes, and clear errors for versions that cannot be read."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from ledgerspec.cli import main
from ledgerspec.compat.crossval import cross_validate
from ledgerspec.compat.diff import diff
from ledgerspec.compat.policy import MODES, judge, protected
from ledgerspec.compat.rules import RULES
from ledgerspec.compat.sources import from_directory
from ledgerspec.schemaset import ID_BASE, TypeEntry

REPO = Path(__file__).resolve().parents[1]


def run(*argv: str, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(["compat", *argv], out, err)
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git repository holding a copy of this project's schemas and value fixtures, committed and
    tagged v1.0.0, with a pyproject.toml setting the mode."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "schemas", root / "schemas", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copytree(REPO / "conformance" / "fixtures" / "values", root / "conformance" / "fixtures" / "values")
    (root / "pyproject.toml").write_text('[tool.ledgerspec.compat]\nmode = "full"\n')
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    subprocess.run([*git, "tag", "v1.0.0"], check=True)
    return root


def edit(root: Path, namespace: str, stem: str, change: dict) -> None:
    path = root / "schemas" / namespace / f"{stem}.json"
    schema = json.loads(path.read_text())
    schema.update(change)
    path.write_text(json.dumps(schema, indent=2))


def test_no_change_is_compatible(checkout: Path) -> None:
    code, out, _ = run("--base", "v1.0.0", cwd=checkout)
    assert code == 0 and "0 change(s), 0 rejected fixture(s): compatible under mode full" in out


def test_a_breaking_change_without_a_major_bump_fails_and_with_one_passes(checkout: Path) -> None:
    edit(checkout, "converge", "EventId", {"maxLength": 3})  # tightened: old ids longer than 3 break
    code, out, _ = run("--base", "v1.0.0", "--format", "json", cwd=checkout)
    report = json.loads(out)
    (comparison,) = report["comparisons"]
    assert code == 1 and not comparison["ok"]
    assert any(c["type"] == "converge.EventId" and c["backward"] == "breaking" for c in comparison["changes"])
    rejected = {r["fixture"] for r in comparison["fixtures"] if r["direction"] == "backward"}
    assert rejected and all(fixture.startswith("converge.") for fixture in rejected)
    (checkout / "schemas" / "VERSION").write_text("2.0.0\n")
    code, out, _ = run("--base", "v1.0.0", cwd=checkout)
    assert code == 0 and "announced by a major version bump" in out


def test_the_mode_decides_which_direction_counts(checkout: Path) -> None:
    edit(
        checkout,
        "converge",
        "ExperienceEventKind",
        {
            "enum": [
                *json.loads((checkout / "schemas" / "converge" / "ExperienceEventKind.json").read_text())["enum"],
                "NewKind",
            ]
        },
    )
    assert run("--base", "v1.0.0", "--mode", "backward", cwd=checkout)[0] == 0  # new readers read old data
    code, out, _ = run("--base", "v1.0.0", "--mode", "forward", cwd=checkout)
    assert code == 1 and "enum-value-added" in out


def test_markdown_is_a_table_ready_for_a_pull_request(checkout: Path) -> None:
    edit(checkout, "mfm", "EventEnvelope", {"description": "Reworded."})
    code, out, _ = run("--base", "v1.0.0", "--format", "markdown", cwd=checkout)
    assert code == 0
    assert out.startswith("### Schema changes: `v1.0.0`")
    assert "| rule | type | path | old | new | backward | forward |" in out and "`description-changed`" in out


def test_transitive_mode_checks_every_release_tag(checkout: Path) -> None:
    edit(checkout, "converge", "EventId", {"maxLength": 300})
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "commit", "-qam", "loosen"], check=True)
    subprocess.run([*git, "tag", "v1.1.0"], check=True)
    edit(checkout, "converge", "EventId", {"maxLength": 200})  # tighter than v1.1.0, looser than v1.0.0
    code, out, _ = run("--base", "v1.1.0", "--mode", "backward-transitive", "--format", "json", cwd=checkout)
    labels = [c["base"]["label"] for c in json.loads(out)["comparisons"]]
    assert labels == ["v1.0.0", "v1.1.0"] and code == 1


@pytest.mark.parametrize(
    ("base", "message"),
    [("no-such-ref", "is not a commit, branch or tag"), ("{empty}", "no schema files")],
)
def test_unreadable_bases_are_usage_errors(checkout: Path, tmp_path: Path, base: str, message: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("--base", base.format(empty=empty), cwd=checkout)
    assert code == 2 and message in err


def test_an_invalid_schema_or_dangling_ref_is_a_usage_error(checkout: Path) -> None:
    edit(checkout, "converge", "EventId", {"type": "strang"})
    code, _, err = run("--base", "v1.0.0", cwd=checkout)
    assert code == 2 and "converge.EventId: not a valid JSON Schema" in err
    edit(checkout, "converge", "EventId", {"type": "string", "$ref": "Missing.json"})
    code, _, err = run("--base", "v1.0.0", cwd=checkout)
    assert code == 2 and "reaches no schema" in err
    # a reference to a definition the file does not hold: no verdict, and no traceback (a probe found one)
    edit(checkout, "converge", "EventId", {"type": "string", "$ref": "#/$defs/Nope"})
    code, _, err = run("--base", "v1.0.0", cwd=checkout)
    assert code == 2 and "cannot judge these schemas, so no verdict" in err and "Traceback" not in err


def test_cross_validation_catches_what_a_misclassifying_diff_lets_through(checkout: Path, tmp_path: Path) -> None:
    """Fixtures are the safety net under the rules: even if every structural change were
    misclassified as compatible, the rejected fixtures alone make the verdict fail."""
    head_dir = tmp_path / "head"
    shutil.copytree(checkout, head_dir, ignore=shutil.ignore_patterns(".git"))
    edit(head_dir, "mfm", "OpId", {"pattern": "^[a-z]{1,3}$"})
    base, head = from_directory(checkout), from_directory(head_dir)
    rejections = cross_validate(base, head)
    backward = [r for r in rejections if r.direction == "backward"]
    assert backward and all(r.rule == "pattern" for r in backward)
    assert any(r.fixture.startswith("mfm.") for r in backward)
    misclassified = [
        dataclasses.replace(c, backward="compatible", forward="compatible") for c in diff(base.schemas, head.schemas)
    ]
    assert misclassified  # the diff did see the pattern change
    verdict = judge("backward", base, head, misclassified, rejections)
    assert not verdict.ok and all(v.startswith("fixture mfm.") for v in verdict.violations)
    assert protected("full-transitive") == {"backward", "forward"} and protected("none") == frozenset()


def test_the_readme_documents_every_rule_and_mode() -> None:
    readme = (REPO / "README.md").read_text()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.backward} | {rule.forward} |" in readme
    assert all(f"`{mode}`" in readme for mode in MODES)


def add_kind(root: Path) -> None:
    """Add an enum value: backward compatible, forward breaking, so only `full` or `forward` fails."""
    path = root / "schemas" / "converge" / "ExperienceEventKind.json"
    edit(root, "converge", "ExperienceEventKind", {"enum": [*json.loads(path.read_text())["enum"], "NewKind"]})


def git_repo(root: Path, pyproject: str) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(pyproject)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    return root


def test_the_verdict_does_not_depend_on_the_current_directory(checkout: Path, tmp_path: Path) -> None:
    """The policy and the base ref come from --head's project, whether compat runs inside it, from
    a directory outside any repository, or from another repository whose policy says `none`."""
    add_kind(checkout)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    lenient = git_repo(tmp_path / "lenient", '[tool.ledgerspec.compat]\nmode = "none"\n')
    verdicts = [
        run("--base", "v1.0.0", "--head", str(checkout), "--format", "json", cwd=where)
        for where in (checkout, outside, lenient)
    ]
    for code, out, err in verdicts:
        report = json.loads(out)
        assert (code, err) == (1, "")
        assert report["policy"] == {"mode": "full", "source": str(checkout / "pyproject.toml")}
        assert report["comparisons"][0]["violations"] == [
            "enum-value-added converge.ExperienceEventKind/enum: forward breaking"
        ]
    code, out, _ = run("--base", "v1.0.0", "--head", str(checkout / "schemas"), cwd=outside)
    assert code == 1 and f"policy: mode full from {checkout / 'pyproject.toml'}" in out


def test_without_a_policy_compat_says_so_unless_given_a_mode(checkout: Path, tmp_path: Path) -> None:
    add_kind(checkout)
    (checkout / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, out, err = run("--base", "v1.0.0", "--head", str(checkout), cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        f"ledgerspec: no compatibility policy: {checkout / 'pyproject.toml'} sets no [tool.ledgerspec.compat] mode; "
        "add [tool.ledgerspec.compat] mode, or give --config FILE or --mode MODE\n"
    )
    (checkout / "pyproject.toml").unlink()
    code, _, err = run("--base", "v1.0.0", cwd=checkout)
    assert code == 2 and f"no compatibility policy: no pyproject.toml at or above {checkout}; add" in err
    code, out, _ = run("--base", "v1.0.0", "--mode", "backward", cwd=checkout)
    assert code == 0 and out.startswith("policy: mode backward from --mode\n")
    config = tmp_path / "policy.toml"
    config.write_text('[tool.ledgerspec.compat]\nmode = "forward"\n')
    code, out, _ = run("--base", "v1.0.0", "--config", str(config), cwd=tmp_path / "repo")
    assert code == 1 and f"policy: mode forward from {config}" in out
    code, _, err = run("--base", "v1.0.0", "--config", str(tmp_path / "missing.toml"), cwd=checkout)
    assert code == 2 and "cannot read" in err and "Traceback" not in err


def test_a_head_ref_is_judged_by_the_policy_committed_with_it(checkout: Path, tmp_path: Path) -> None:
    add_kind(checkout)
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "commit", "-qam", "new kind"], check=True)
    (checkout / "pyproject.toml").write_text('[tool.ledgerspec.compat]\nmode = "backward"\n')  # not committed
    code, out, _ = run("--base", "v1.0.0", "--head", "main", cwd=checkout)
    assert code == 1 and "policy: mode full from main:pyproject.toml" in out


def test_markdown_is_stable_and_renders_values_literally(checkout: Path) -> None:
    edit(checkout, "mfm", "OpId", {"pattern": "^[a-z_*]|`x`$"})
    first = run("--base", "v1.0.0", "--format", "markdown", "--mode", "none", cwd=checkout)
    second = run("--base", "v1.0.0", "--format", "markdown", "--mode", "none", cwd=checkout)
    assert first == second and first[0] == 0
    out = first[1]
    assert "Compared in" not in out and " s._" not in out
    assert "Policy: mode `none` from `--mode`" in out
    row = next(line for line in out.splitlines() if line.startswith("| `pattern-changed`"))
    assert '| ``"^[a-z_*]\\|`x`$"`` |' in row  # code span, its pipe escaped for the table


# -- differential: the diff's "compatible" against documents generated from the schemas ----------

S = {"type": "string"}
S3 = {"type": "string", "maxLength": 3}
OBJ = {"type": "object"}
ARR = {"type": "array"}
INT = {"type": "integer"}
CLOSED = {"type": "object", "allOf": [{"$ref": "Base.json"}], "unevaluatedProperties": False}
BASE = {"type": "object", "properties": {"x": S}}
EDITS: list[tuple[str, dict[str, Any], dict[str, Any], list[Any]]] = [
    # (id, base types, head types, documents to try besides the generated ones)
    (
        "property-moved-to-ref-parent-narrowed",
        {"Root": OBJ | {"allOf": [{"$ref": "Base.json"}], "properties": {"a": S}}, "Base": BASE},
        {"Root": OBJ | {"allOf": [{"$ref": "Base.json"}]}, "Base": BASE | {"properties": {"x": S, "a": S3}}},
        [{"a": "long"}],
    ),
    (
        "property-moved-into-inline-all-of",
        {"Root": OBJ | {"allOf": [{"properties": {"x": S}}], "properties": {"a": S}}},
        {"Root": OBJ | {"allOf": [{"properties": {"x": S, "a": S3}}]}},
        [{"a": "long"}],
    ),
    (
        "unevaluated-parent-gains",
        {"Root": CLOSED, "Base": BASE},
        {"Root": CLOSED, "Base": BASE | {"properties": {"x": S, "b": {"type": "integer"}}}},
        [{"b": 1}],
    ),
    ("unevaluated-parent-loses", {"Root": CLOSED, "Base": BASE}, {"Root": CLOSED, "Base": OBJ}, [{"x": "s"}]),
    (
        "unevaluated-all-of-member-added",
        {"Root": OBJ | {"unevaluatedProperties": False}},
        {"Root": OBJ | {"allOf": [{"properties": {"b": S}}], "unevaluatedProperties": False}},
        [{"b": "s"}],
    ),
    (
        "one-of-overlapping-variant-added",
        {"Root": {"oneOf": [S, {"type": "integer"}]}},
        {"Root": {"oneOf": [S, {"type": "integer"}, S3]}},
        ["a"],
    ),
    (
        "one-of-ref-member-loosened",
        {"Root": {"oneOf": [{"$ref": "A.json"}, S | {"minLength": 3}]}, "A": S | {"maxLength": 2}},
        {"Root": {"oneOf": [{"$ref": "A.json"}, S | {"minLength": 3}]}, "A": S3},
        ["abc"],
    ),
    (
        "one-of-tagged-variant-added",  # disjoint tags: judged as anyOf, backward compatible
        {"Root": {"oneOf": [OBJ | {"properties": {"k": {"const": "a"}}, "required": ["k"]}]}},
        {
            "Root": {
                "oneOf": [
                    OBJ | {"properties": {"k": {"const": "a"}}, "required": ["k"]},
                    OBJ | {"properties": {"k": {"const": "b"}, "v": S}, "required": ["k"]},
                ]
            }
        },
        [{"k": "b"}],
    ),
    ("not-narrowed", {"Root": S | {"not": {"maxLength": 3}}}, {"Root": S | {"not": {"maxLength": 2}}}, ["abc"]),
    (
        "not-local-definition-loosened",
        {"Root": S | {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"maxLength": 2}}}},
        {"Root": S | {"not": {"$ref": "#/$defs/x"}, "$defs": {"x": {"maxLength": 3}}}},
        ["abc"],
    ),
    (
        "if-narrowed",
        {"Root": S | {"if": {"maxLength": 3}, "then": {"pattern": "^a"}}},
        {"Root": S | {"if": {"maxLength": 2}, "then": {"pattern": "^a"}}},
        ["bbb"],
    ),
    (
        "contains-loosened-under-max-contains",
        {"Root": {"type": "array", "contains": S | {"maxLength": 1}, "maxContains": 1}},
        {"Root": {"type": "array", "contains": S, "maxContains": 1}},
        [["a", "bb"]],
    ),
    (
        "pattern-added-under-unevaluated",
        {"Root": OBJ | {"unevaluatedProperties": False}},
        {"Root": OBJ | {"patternProperties": {"^x": {}}, "unevaluatedProperties": False}},
        [{"x1": 1}],
    ),
    ("max-length-loosened", {"Root": S3}, {"Root": S}, ["long"]),
    (
        "property-added-where-a-pattern-holds-its-key",  # writers wrote "fz" under the pattern
        {"Root": OBJ | {"patternProperties": {"^f": INT}}},
        {"Root": OBJ | {"patternProperties": {"^f": INT}, "properties": {"fz": S}}},
        [{"fz": 1}],
    ),
    (
        "property-removed-where-a-pattern-holds-its-key",
        {"Root": OBJ | {"patternProperties": {"^f": {}}, "properties": {"fz": INT}}},
        {"Root": OBJ | {"patternProperties": {"^f": {}}}},
        [{"fz": "s"}],
    ),
    (
        "unevaluated-items-all-of-prefix-lengthened",
        {"Root": ARR | {"allOf": [{"prefixItems": [S]}], "unevaluatedItems": False}},
        {"Root": ARR | {"allOf": [{"prefixItems": [S, INT]}], "unevaluatedItems": False}},
        [["a", 1]],
    ),
    (
        "unevaluated-items-all-of-items-dropped",
        {"Root": ARR | {"allOf": [{"items": S}], "unevaluatedItems": False}},
        {"Root": ARR | {"allOf": [{}], "unevaluatedItems": False}},
        [["a"]],
    ),
    (
        "unevaluated-items-own-prefix-added",
        {"Root": ARR | {"unevaluatedItems": False}},
        {"Root": ARR | {"prefixItems": [S], "unevaluatedItems": False}},
        [["a"]],
    ),
    (
        "unevaluated-items-contains-added",
        {"Root": ARR | {"unevaluatedItems": INT}},
        {"Root": ARR | {"contains": S, "unevaluatedItems": INT}},
        [["a"]],
    ),
    (
        "unevaluated-items-one-of-two-contains-dropped",
        {"Root": ARR | {"allOf": [{"contains": S}, {"contains": INT}], "unevaluatedItems": False}},
        {"Root": ARR | {"allOf": [{"contains": S}, {}], "unevaluatedItems": False}},
        [["a", 1]],
    ),
    (
        "unevaluated-items-left-to-a-union-member",  # the member evaluates item 0 only when it matches
        {
            "Root": ARR
            | {"allOf": [{"prefixItems": [{}]}], "anyOf": [{"prefixItems": [S]}, {}], "unevaluatedItems": False}
        },
        {"Root": ARR | {"allOf": [{}], "anyOf": [{"prefixItems": [S]}, {}], "unevaluatedItems": False}},
        [[1]],
    ),
    (
        "unevaluated-properties-left-to-a-union-member",  # the same for a key
        {
            "Root": OBJ
            | {
                "allOf": [{"properties": {"x": {}}}],
                "anyOf": [{"properties": {"x": S}}, {}],
                "unevaluatedProperties": False,
            }
        },
        {"Root": OBJ | {"allOf": [{}], "anyOf": [{"properties": {"x": S}}, {}], "unevaluatedProperties": False}},
        [{"x": 1}],
    ),
]


def _entries(types: dict[str, Any]) -> dict[str, TypeEntry]:
    return {
        f"mfm.{name}": TypeEntry(
            "mfm", name, f"{ID_BASE}mfm/{name}.json", {"$id": f"{ID_BASE}mfm/{name}.json", **schema}
        )
        for name, schema in types.items()
    }


def _inline(node: Any, uri: str, documents: dict[str, Any]) -> Any:
    """`node` with every `$ref` replaced by an `allOf` of its target, for hypothesis-jsonschema."""
    if isinstance(node, list):
        return [_inline(item, uri, documents) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            document, _, fragment = urljoin(uri, value).partition("#")
            target = documents[document]
            for token in fragment.split("/")[1:]:
                target = target[token]
            out.setdefault("allOf", []).append(_inline(target, document, documents))
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _inline(schema, uri, documents) for name, schema in value.items()}
        elif key == "allOf":
            out.setdefault(key, []).extend(_inline(value, uri, documents))
        elif key in ("anyOf", "oneOf", "not", "if", "then", "else", "contains", "items"):
            out[key] = _inline(value, uri, documents)
        elif key not in ("$id", "$defs"):
            out[key] = value
    return out


def _root(types: dict[str, Any]) -> dict[str, Any]:
    documents = {entry.uri: entry.schema for entry in _entries(types).values()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **_inline(types["Root"], f"{ID_BASE}mfm/Root.json", documents),
    }


def _counterexample(writer: dict[str, Any], reader: dict[str, Any], tried: list[Any]) -> list[Any]:
    """A document `writer` accepts and `reader` refuses, among `tried` and generated ones."""
    accepts, refuses = Draft202012Validator(writer).is_valid, lambda doc: not Draft202012Validator(reader).is_valid(doc)
    found = [doc for doc in tried if accepts(doc) and refuses(doc)]

    @settings(max_examples=40, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(writer))
    def generated(doc: Any) -> None:
        if not found and accepts(doc) and refuses(doc):
            found.append(doc)

    if not found:
        generated()
    return found


@pytest.mark.parametrize(("base", "head", "tried"), [edit[1:] for edit in EDITS], ids=[edit[0] for edit in EDITS])
def test_no_compatible_verdict_has_a_counterexample(
    base: dict[str, Any], head: dict[str, Any], tried: list[Any]
) -> None:
    """A "compatible" direction is refuted by one document valid under one version and invalid under
    the other; each edit names the document that refutes the wrong verdict it once got."""
    changes = diff(_entries(base), _entries(head))
    old, new = _root(base), _root(head)
    for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
        if all(getattr(change, direction) == "compatible" for change in changes):
            assert _counterexample(writer, reader, tried) == [], f"{direction} compatible, but refuted"
