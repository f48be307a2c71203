"""Drop-in CI: the pre-commit hooks this repository offers (`.pre-commit-hooks.yaml`) run in another
project (`pre-commit try-repo` installs them from this checkout, offline: a pip-installable
`language: python` hook, no clone from a server), and the README's GitHub Actions job and hook
config use commands and hook ids that exist."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ledgerspec.cli import build_parser

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_hooks_run_in_another_project(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("pre-commit installs hooks from a git repository; this copy is not one")
    project = tmp_path / "project"
    shutil.copytree(REPO / "schemas", project / "schemas", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copytree(REPO / "conformance" / "fixtures" / "values", project / "conformance" / "fixtures" / "values")
    (project / "pyproject.toml").write_text('[tool.ledgerspec.compat]\nmode = "full"\n')
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    subprocess.run([*git, "update-ref", "refs/remotes/origin/main", "HEAD"], check=True)  # the hook's default base
    kinds = project / "schemas" / "converge" / "ExperienceEventKind.json"
    schema = json.loads(kinds.read_text())
    schema["enum"].append("NewKind")  # forward breaking: old readers reject the new value
    kinds.write_text(json.dumps(schema, indent=2))

    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "--all-files"],
        cwd=project,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    compat = output[output.index("ledgerspec compat...") : output.index("ledgerspec fixtures...")]
    assert compat.splitlines()[0].endswith("Failed"), output
    assert f"policy: mode full from {project / 'pyproject.toml'}" in compat
    assert "[enum-value-added] converge.ExperienceEventKind/enum: backward compatible, forward breaking" in compat
    assert "without a major version bump: NOT ALLOWED" in compat
    fixtures = output[output.index("ledgerspec fixtures...") :]
    assert fixtures.splitlines()[0].endswith("Passed"), output


def readme_blocks(marker: str) -> list[object]:
    """The YAML code blocks of the README whose first line is the comment `marker`."""
    text = (REPO / "README.md").read_text()
    blocks = [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]
    return [yaml.safe_load(block) for block in blocks if block.startswith(f"# {marker}\n")]


def test_the_readme_github_actions_job_runs_compat_and_conformance() -> None:
    (workflow,) = readme_blocks(".github/workflows/ledgerspec.yml")
    assert isinstance(workflow, dict)
    (job,) = workflow["jobs"].values()
    commands = [line.strip() for step in job["steps"] for line in str(step.get("run", "")).splitlines()]
    compat = next(c for c in commands if c.startswith("ledgerspec compat"))
    conformance = next(c for c in commands if c.startswith("ledgerspec conformance"))
    assert compat.split(">")[0].split() == ["ledgerspec", "compat", "--base", "origin/main", "--format", "markdown"]
    for command in (compat.split(">")[0], conformance):
        args = build_parser().parse_args(command.split()[1:])  # every documented option exists
        assert args.command in ("compat", "conformance")
    assert str(build_parser().parse_args(conformance.split()[1:]).junit) == "conformance.xml"


def test_the_readme_hook_config_names_the_offered_hooks() -> None:
    (config,) = readme_blocks(".pre-commit-config.yaml")
    assert isinstance(config, dict)
    documented = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    offered = [hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())]
    assert documented == offered == ["ledgerspec-compat", "ledgerspec-fixtures"]
