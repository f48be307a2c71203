"""`ledgerspec compat --base REF_OR_DIR`: what changed in the schemas, who it breaks, and whether
the project's compatibility mode allows it. Exit 0: allowed; 1: a protected direction breaks
without a major version bump; 2: a version cannot be read."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from ..compat.changes import Change
from ..compat.crossval import Rejection, cross_validate
from ..compat.diff import diff
from ..compat.policy import MODES, Mode, PolicyError, Verdict, configured_mode, judge
from ..compat.sources import SourceError, Version, from_directory, repository_root, resolve, tags

OK, BREAKING, USAGE = 0, 1, 2


def add_compat_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `compat` on the top-level parser."""
    sub = commands.add_parser(
        "compat",
        help="compare two versions of the schemas: every change, its directions, and the policy verdict",
        description=__doc__,
    )
    sub.add_argument("--base", required=True, metavar="REF_OR_DIR", help="a git ref of this repository or a directory")
    sub.add_argument("--head", metavar="REF_OR_DIR", help="default: the working tree's schemas/")
    sub.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    sub.add_argument("--mode", choices=MODES, help="override [tool.ledgerspec.compat] mode of pyproject.toml")
    sub.set_defaults(run=cmd_compat)


Comparison = tuple[Version, list[Change], list[Rejection], Verdict]


def cmd_compat(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compare, judge and print; see the module docstring for the exit codes."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ledgerspec-compat-") as scratch_dir:
        scratch = Path(scratch_dir)
        try:
            repo = _repository()
            head = resolve(args.head, repo, scratch) if args.head else _working_tree(repo)
            mode: Mode = args.mode or configured_mode(repo)
            bases = [resolve(args.base, repo, scratch)]
            if mode.endswith("-transitive") and repo is not None:
                bases = [resolve(tag, repo, scratch) for tag in tags(repo) if tag != args.base] + bases
            comparisons = [_compare(base, head, mode) for base in bases]
        except (SourceError, PolicyError) as exc:
            err.write(f"ledgerspec: {exc}\n")
            return USAGE
    seconds = time.perf_counter() - started
    render = {"text": _text, "json": _json, "markdown": _markdown}[args.format]
    out.write(render(head, mode, comparisons, seconds))
    return OK if all(verdict.ok for *_, verdict in comparisons) else BREAKING


def _repository() -> Path | None:
    try:
        return repository_root(Path.cwd())
    except SourceError:
        return None


def _working_tree(repo: Path | None) -> Version:
    root = repo or Path.cwd()
    if not (root / "schemas").is_dir():
        raise SourceError(f"{root} has no schemas/ directory; give --head")
    return from_directory(root, label="working tree")


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


def _text(head: Version, mode: str, comparisons: list[Comparison], seconds: float) -> str:
    lines = []
    for base, changes, rejections, verdict in comparisons:
        lines.append(f"{base.label} ({base.contract_version}) -> {head.label} ({head.contract_version})")
        for c in changes:
            lines.append(f"  [{c.rule}] {c.type}{c.path}: backward {c.backward}, forward {c.forward}")
        for r in rejections:
            lines.append(f"  [fixture] {r.fixture} rejected {r.direction}: {r.path or '/'}: [{r.rule}] {r.message}")
        lines.append(
            f"  {len(changes)} change(s), {len(rejections)} rejected fixture(s): {_verdict_line(verdict, mode)}"
        )
    lines.append(f"compared in {seconds:.2f} s")
    return "\n".join(lines) + "\n"


def _json(head: Version, mode: str, comparisons: list[Comparison], seconds: float) -> str:
    document: dict[str, Any] = {
        "head": {"label": head.label, "version": head.contract_version},
        "mode": mode,
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


def _cell(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else ""
    return (text if len(text) <= 60 else text[:57] + "...").replace("|", "\\|")


def _markdown_row(c: Change) -> str:
    cells = [f"`{c.rule}`", f"`{c.type}`", f"`{c.path or '/'}`", _cell(c.old), _cell(c.new), c.backward, c.forward]
    return "| " + " | ".join(cells) + " |"


def _markdown(head: Version, mode: str, comparisons: list[Comparison], seconds: float) -> str:
    lines = []
    for base, changes, rejections, verdict in comparisons:
        title = f"### Schema changes: `{base.label}` ({base.contract_version}) → {head.label} ({head.contract_version})"
        lines += [title, "", f"**{_verdict_line(verdict, mode)}**", ""]
        if changes:
            lines += ["| rule | type | path | old | new | backward | forward |", "|---|---|---|---|---|---|---|"]
            lines += [_markdown_row(c) for c in changes]
        else:
            lines.append("No schema changes.")
        if rejections:
            lines += ["", "| fixture | rejected | where | rule |", "|---|---|---|---|"]
            lines += [f"| `{r.fixture}` | {r.direction} | `{r.path or '/'}` | {r.rule} |" for r in rejections]
        lines.append("")
    lines.append(f"_Compared in {seconds:.2f} s._")
    return "\n".join(lines) + "\n"
