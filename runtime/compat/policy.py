"""The compatibility policy: which directions a project protects, and when a break is allowed.

The mode lives in the `pyproject.toml` of the project whose schemas are checked
(`[tool.ledgerspec.compat] mode = "..."`): `backward` (new readers must read old data), `forward`
(old readers must read new data), `full` (both), `none`, or their `-transitive` forms, which hold
the head to every release tag, not only to the base. A break in a protected direction is allowed
only when the contract version (`schemas/VERSION`) bumps its major.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .changes import Change
from .crossval import Rejection
from .sources import Version

Mode = Literal["backward", "forward", "full", "none", "backward-transitive", "forward-transitive", "full-transitive"]
MODES: tuple[Mode, ...] = (
    "backward",
    "forward",
    "full",
    "none",
    "backward-transitive",
    "forward-transitive",
    "full-transitive",
)
_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:[-+].*)?")
CONFIG_FILE = "pyproject.toml"
TABLE = "[tool.ledgerspec.compat]"


class PolicyError(Exception):
    """A mode or version that cannot be understood, or no policy where one is needed."""


@dataclass(frozen=True)
class Policy:
    """The mode a comparison is judged under and where it came from (printed with the verdict)."""

    mode: Mode
    source: str
    """A policy file (`pyproject.toml`, `v1.0.0:pyproject.toml`) or `--mode`."""


def read_policy(text: str, source: str) -> Policy | None:
    """The policy of one TOML file's `[tool.ledgerspec.compat]` table, or None when it sets no mode."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from None
    table = document.get("tool", {}).get("ledgerspec", {}).get("compat", {})
    if "mode" not in table:
        return None
    mode = table["mode"]
    if mode not in MODES:
        raise PolicyError(f"{source}: {TABLE} mode {mode!r} is not one of {', '.join(MODES)}")
    return Policy(mode, source)


def owning_config(start: Path, top: Path | None) -> Path | None:
    """The `pyproject.toml` nearest above `start` (itself included), not looking above `top`
    (the repository root) when given: the project the schemas at `start` belong to."""
    for folder in [start, *start.parents]:
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
        if top is not None and folder == top:
            break
    return None


def protected(mode: Mode) -> frozenset[str]:
    """The directions a mode protects."""
    base = mode.removesuffix("-transitive")
    return frozenset({"full": {"backward", "forward"}, "none": set()}.get(base, {base}))


def major(version: str | None) -> int | None:
    """The major number of a semver string (None when absent or not semver)."""
    match = _SEMVER.fullmatch(version or "")
    return int(match[1]) if match else None


@dataclass(frozen=True)
class Verdict:
    """Whether the head may ship against one base under the mode, and what stands in the way."""

    base: str
    announced: bool
    """The head bumps the major version over this base, so breaks are allowed."""
    violations: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.announced or not self.violations


def judge(mode: Mode, base: Version, head: Version, changes: list[Change], rejections: list[Rejection]) -> Verdict:
    """The violations of `mode` between `base` and `head`: breaking changes and rejected fixtures
    in a protected direction, unless the major version went up."""
    directions = protected(mode)
    violations = [
        f"{c.rule} {c.type}{c.path}: {direction} breaking"
        for c in changes
        for direction in ("backward", "forward")
        if direction in directions and getattr(c, direction) == "breaking"
    ]
    violations += [
        f"fixture {r.fixture} rejected {r.direction} ({r.path or '/'}: [{r.rule}] {r.message})"
        for r in rejections
        if r.direction in directions
    ]
    old, new = major(base.contract_version), major(head.contract_version)
    announced = old is not None and new is not None and new > old
    return Verdict(base.label, announced, tuple(violations))
