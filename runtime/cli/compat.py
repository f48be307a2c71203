"""`ledgerspec compat --base REF_OR_DIR`: what changed in the schemas, who it breaks, and whether
the project's compatibility mode allows it. The mode comes from the pyproject.toml owning --head
(or --config FILE, or --mode); --base refs are resolved in --head's repository. Exit 0: allowed;
1: a protected direction breaks without a major version bump; 2: a version cannot be read, or no
policy is found and no --mode given."""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..compat.changes import Change
from ..compat.crossval import Rejection, cross_validate
from ..compat.diff import diff
from ..compat.policy import (
    CONFIG_FILE,
    MODES,
    TABLE,
    Mode,
    Policy,
    PolicyError,
    Verdict,
    judge,
    owning_config,
    read_policy,
)
from ..compat.sources import SourceError, Version, from_directory, read_at, repository_root, resolve, tags

OK, BREAKING, USAGE = 0, 1, 2


def add_compat_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `compat` on the top-level parser."""
    sub = commands.add_parser(
        "compat",
        help="compare two versions of the schemas: every change, its directions, and the policy verdict",
        description=__doc__,
    )
    sub.add_argument(
        "--base",
        required=True,
        metavar="REF_OR_DIR",
        help="a directory, or a git ref of the head's repository (tag, branch, commit)",
    )
    sub.add_argument(
        "--head",
        metavar="REF_OR_DIR",
        help="a directory (a checkout or a schemas/ directory) or a git ref; default: the schemas/ of the "
        "git work tree holding the current directory",
    )
    sub.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    policy = sub.add_mutually_exclusive_group()
    policy.add_argument(
        "--config",
        metavar="FILE",
        help=f"read {TABLE} mode from FILE instead of the {CONFIG_FILE} that owns --head",
    )
    policy.add_argument("--mode", choices=MODES, help=f"judge under MODE, whatever {TABLE} says")
    sub.set_defaults(run=cmd_compat)


Comparison = tuple[Version, list[Change], list[Rejection], Verdict]


@dataclass(frozen=True)
class Head:
    """The version under test and where it lives: refs and the policy are read there, never from
    the shell's current directory."""

    version: Version
    repo: Path | None
    """The git work tree the head belongs to: `--base` refs and release tags are resolved in it."""
    checkout: Path | None
    """The head's directory on disk (None when the head is a git ref)."""
    ref: str | None


def cmd_compat(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare, judge and print; see the module docstring for the exit codes."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ledgerspec-compat-") as scratch_dir:
        scratch = Path(scratch_dir)
        try:
            head = _head(args.head, scratch)
            policy = _policy(args, head)
            bases = [resolve(args.base, head.repo, scratch)]
            if policy.mode.endswith("-transitive") and head.repo is not None:
                bases = [resolve(tag, head.repo, scratch) for tag in tags(head.repo) if tag != args.base] + bases
            comparisons = [_compare(base, head.version, policy.mode) for base in bases]
        except (SourceError, PolicyError) as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
        except (KeyError, ValueError) as exc:  # a schema the checks cannot use (a dangling $defs ref, ...)
            err.write(f"ledgerspec: cannot judge these schemas, so no verdict: {type(exc).__name__}: {exc}\n")
            return USAGE
    seconds = time.perf_counter() - started
    render = {"text": _text, "json": _json, "markdown": _markdown}[args.format]
    out.write(render(head.version, policy, comparisons, seconds))
    return OK if all(verdict.ok for *_, verdict in comparisons) else BREAKING


def _repository(path: Path) -> Path | None:
    try:
        return repository_root(path)
    except SourceError:
        return None


def _head(spec: str | None, scratch: Path) -> Head:
    """The `--head` version: a directory, else a ref of the current directory's repository (the
    only repository a bare ref can name), by default that repository's working tree."""
    if spec is not None and Path(spec).is_dir():
        checkout = Path(spec).resolve()
        return Head(from_directory(checkout, label=spec), _repository(checkout), checkout, None)
    repo = _repository(Path.cwd())
    if spec is not None:
        return Head(resolve(spec, repo, scratch), repo, None, spec)
    root = repo or Path.cwd()
    if not (root / "schemas").is_dir():
        raise SourceError(f"{root} has no schemas/ directory; give --head")
    return Head(from_directory(root, label="working tree"), repo, root, None)


def _policy(args: argparse.Namespace, head: Head) -> Policy:
    """`--mode`, else the mode of `--config`, else of the pyproject.toml owning the head; PolicyError
    saying where it looked when none of them sets a mode."""
    if args.mode is not None:
        return Policy(args.mode, "--mode")
    text: str | None
    if args.config is not None:
        source, text = str(Path(args.config).resolve()), _read(Path(args.config))
    elif head.checkout is not None:
        config = owning_config(head.checkout, head.repo)
        source = str(config) if config else f"no {CONFIG_FILE} at or above {head.checkout}"
        text = _read(config) if config else None
    else:
        assert head.repo is not None and head.ref is not None  # a ref head was resolved in a repository
        text = read_at(head.repo, head.ref, CONFIG_FILE)
        source = f"{head.ref}:{CONFIG_FILE}" if text is not None else f"{head.ref} has no {CONFIG_FILE}"
    found = read_policy(text, source) if text is not None else None
    if found is None:
        why = f"{source} sets no {TABLE} mode" if text is not None else source
        raise PolicyError(f"no compatibility policy: {why}; add {TABLE} mode, or give --config FILE or --mode MODE")
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read {path}: {exc}") from None


def _compare(base: Version, head: Version, mode: Mode) -> Comparison:
    changes = diff(base.schemas, head.schemas)
    rejections = cross_validate(base, head)
    return base, changes, rejections, judge(mode, base, head, changes, rejections)


def _verdict_line(verdict: Verdict, mode: str) -> str:
    if not verdict.violations:
        return f"compatible under mode {mode}"
    if verdict.announced:
        return f"{len(verdict.violations)} break(s) under mode {mode}, announced by a major version bump"
    return f"{len(verdict.violations)} break(s) under mode {mode} without a major version bump: NOT ALLOWED"


def _policy_line(policy: Policy) -> str:
    return f"mode {policy.mode} from {policy.source}"


def _text(head: Version, policy: Policy, comparisons: list[Comparison], seconds: float) -> str:
    lines = [f"policy: {_policy_line(policy)}"]
    for base, changes, rejections, verdict in comparisons:
        lines.append(f"{base.label} ({base.contract_version}) -> {head.label} ({head.contract_version})")
        for c in changes:
            lines.append(f"  [{c.rule}] {c.type}{c.path}: backward {c.backward}, forward {c.forward}")
        for r in rejections:
            lines.append(f"  [fixture] {r.fixture} rejected {r.direction}: {r.path or '/'}: [{r.rule}] {r.message}")
        lines.append(
            f"  {len(changes)} change(s), {len(rejections)} rejected fixture(s): {_verdict_line(verdict, policy.mode)}"
        )
    lines.append(f"compared in {seconds:.2f} s")
    return "\n".join(lines) + "\n"


def _json(head: Version, policy: Policy, comparisons: list[Comparison], seconds: float) -> str:
    document: dict[str, Any] = {
        "head": {"label": head.label, "version": head.contract_version},
        "mode": policy.mode,
        "policy": {"mode": policy.mode, "source": policy.source},
        "seconds": round(seconds, 3),
        "comparisons": [
            {
                "base": {"label": base.label, "version": base.contract_version},
                "changes": [c.as_dict() for c in changes],
                "fixtures": [r.as_dict() for r in rejections],
                "announced": verdict.announced,
                "violations": list(verdict.violations),
                "ok": verdict.ok,
            }
            for base, changes, rejections, verdict in comparisons
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def code(text: str) -> str:
    """`text` as a markdown code span inside a table cell, so `*`, `_`, `<` and pattern syntax
    render literally: fenced by one more backtick than its longest run of backticks, padded when
    it starts or ends with one, pipes escaped (GitHub tables split cells on them even in code)."""
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def _value(value: Any) -> str:
    """A changed schema value in compact JSON, shortened to 60 characters."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return code(text if len(text) <= 60 else text[:57] + "...")


def _markdown_row(c: Change) -> str:
    cells = [code(c.rule), code(c.type), code(c.path or "/"), _value(c.old), _value(c.new), c.backward, c.forward]
    return "| " + " | ".join(cells) + " |"


def _markdown(head: Version, policy: Policy, comparisons: list[Comparison], seconds: float) -> str:
    """A report for a sticky pull-request comment: nothing in it changes between two runs on the
    same versions (no timing), and every value sits in a code span."""
    lines = []
    for base, changes, rejections, verdict in comparisons:
        versions = f"{code(base.label)} ({base.contract_version}) → {code(head.label)} ({head.contract_version})"
        lines += [f"### Schema changes: {versions}", "", f"**{_verdict_line(verdict, policy.mode)}**", ""]
        lines += [f"Policy: mode {code(policy.mode)} from {code(policy.source)}", ""]
        if changes:
            lines += ["| rule | type | path | old | new | backward | forward |", "|---|---|---|---|---|---|---|"]
            lines += [_markdown_row(c) for c in changes]
        else:
            lines.append("No schema changes.")
        if rejections:
            lines += ["", "| fixture | rejected | where | rule |", "|---|---|---|---|"]
            lines += [
                f"| {code(r.fixture)} | {r.direction} | {code(r.path or '/')} | {code(r.rule)} |" for r in rejections
            ]
        lines.append("")
    return "\n".join(lines)
