"""Where the two versions come from: a git ref of the repository, or a directory.

A version is its schema set plus, when present, its valid value fixtures (for cross-validation)
and its contract version (`schemas/VERSION`, semver).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..schemaset import SchemaSetError, TypeEntry, by_uri, load_dir, walk

FIXTURES = Path("conformance") / "fixtures" / "values"
VERSION_FILE = "VERSION"


class SourceError(Exception):
    """A version that cannot be read: an unknown ref, a directory without schemas, a bad file."""


@dataclass(frozen=True)
class Version:
    """One side of a comparison."""

    label: str
    schemas: dict[str, TypeEntry]
    fixtures: Path | None
    contract_version: str | None


def repository_root(start: Path) -> Path:
    """The git work tree holding `start`; SourceError outside one."""
    done = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SourceError(f"{start} is not inside a git repository: {done.stderr.strip()}")
    return Path(done.stdout.strip())


def from_directory(path: Path, label: str | None = None) -> Version:
    """A version from a directory: a checkout (with `schemas/`) or a schemas directory itself."""
    if not path.is_dir():
        raise SourceError(f"{path}: no such directory")
    checkout = path if (path / "schemas").is_dir() else None
    schemas = checkout / "schemas" if checkout else path
    try:
        entries = load_dir(schemas)
    except SchemaSetError as exc:
        raise SourceError(str(exc)) from None
    if not entries:
        raise SourceError(f"{schemas}: no schema files (expected <namespace>/<Type>.json)")
    _check(entries)
    fixtures = checkout / FIXTURES if checkout and (checkout / FIXTURES).is_dir() else None
    version_file = schemas / VERSION_FILE
    contract = version_file.read_text("utf-8").strip() if version_file.is_file() else None
    return Version(label or str(path), entries, fixtures, contract)


def _check(entries: dict[str, TypeEntry]) -> None:
    """Refuse a set holding a schema that is not valid JSON Schema or a `$ref` that reaches no type."""
    uris = by_uri(entries)
    for name, entry in entries.items():
        try:
            Draft202012Validator.check_schema(entry.schema)
        except SchemaError as exc:
            raise SourceError(f"{name}: not a valid JSON Schema: {exc.message}") from None
        for node in walk(entry.schema):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#") and urljoin(entry.uri, ref).split("#")[0] not in uris:
                raise SourceError(f"{name}: $ref {ref!r} reaches no schema of the set")


def from_git(repo: Path, ref: str, scratch: Path) -> Version:
    """A version from a git ref of `repo`, extracted (schemas and fixtures only) into `scratch`."""
    check = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise SourceError(f"{ref!r} is not a commit, branch or tag of {repo}")
    paths = [p for p in ("schemas", str(FIXTURES)) if _exists(repo, ref, p)]
    if "schemas" not in paths:
        raise SourceError(f"{ref} has no schemas/ directory")
    archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref, *paths], capture_output=True)
    if archive.returncode != 0:
        raise SourceError(f"git archive {ref} failed: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    return from_directory(scratch, label=ref)


def read_at(repo: Path, ref: str, path: str) -> str | None:
    """The text of `path` at `ref` of `repo`, or None when that version has no such file."""
    done = subprocess.run(["git", "-C", str(repo), "show", f"{ref}:{path}"], capture_output=True)
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def _exists(repo: Path, ref: str, path: str) -> bool:
    done = subprocess.run(["git", "-C", str(repo), "cat-file", "-e", f"{ref}:{path}"], capture_output=True)
    return done.returncode == 0


def resolve(spec: str, repo: Path | None, scratch: Path) -> Version:
    """A `--base`/`--head` argument: an existing directory, else a git ref of `repo`."""
    path = Path(spec)
    if path.is_dir():
        return from_directory(path)
    if repo is None:
        raise SourceError(f"{spec!r} is not a directory, and there is no git repository to read a ref from")
    target = scratch / f"ref-{sum(1 for _ in scratch.iterdir())}"
    target.mkdir()
    return from_git(repo, spec, target)


def tags(repo: Path, pattern: str = "v*") -> list[str]:
    """Release tags of `repo` matching `pattern`, oldest first (for transitive modes)."""
    done = subprocess.run(
        ["git", "-C", str(repo), "tag", "--list", pattern, "--sort=creatordate"], capture_output=True, text=True
    )
    return [line for line in done.stdout.splitlines() if line.strip()]
