"""Project automation. `nox` runs the default sessions (everything CI checks); `nox -l` lists all."""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = [
    "codegen_check",
    "bindings_ts_check",
    "docs_check",
    "fixtures_lint",
    "lint",
    "typecheck",
    "tests",
    "mutants",
    "compat",
]

HERE = Path(__file__).parent
PYTHON = "3.11"

# The generator and its formatters are pinned: the same schemas always give the same bytes.
CODEGEN_REQUIREMENTS = ["datamodel-code-generator==0.89.0", "black==26.10.1", "isort==8.0.1"]
CODEGEN_OPTIONS = [
    "--input-file-type",
    "jsonschema",
    "--output-model-type",
    "dataclasses.dataclass",
    "--target-python-version",
    "3.11",
    "--frozen-dataclasses",
    "--keyword-only",
    "--strict-nullable",
    "--use-subclass-enum",
    "--use-one-literal-as-default",
    "--use-schema-description",
    "--use-field-description",
    "--disable-timestamp",
    "--formatters",
    "black",
    "isort",
]
TEST_REQUIREMENTS = [
    "pytest>=8",
    "hypothesis>=6.100,<6.169",  # newer releases break hypothesis-jsonschema
    "hypothesis-jsonschema>=0.23",
    "build>=1.2",
    "rfc8785>=0.1.4",  # an independent RFC 8785 implementation the canonical JSON tests compare with
    "pre-commit>=3",  # the hooks of .pre-commit-hooks.yaml run in a test
]


def _stale(fresh: Path, committed: Path, pattern: str) -> list[str]:
    """The files matching `pattern` where `committed` differs from a fresh render, each named with
    what is wrong (stale, missing or extra), so a check can say what regenerating will change."""
    names = {p.name for p in fresh.glob(pattern)}
    kept = {p.name for p in committed.glob(pattern)}
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, sorted(names & kept), shallow=False)
    problems = dict.fromkeys(mismatch + errors, "stale")
    problems |= dict.fromkeys(names - kept, "missing") | dict.fromkeys(kept - names, "extra")
    return [f"{name} {problems[name]}" for name in sorted(problems)]


def _drift_check(session: nox.Session, render: Callable[[Path], None], committed: Path, pattern: str, fix: str) -> None:
    """Render into a temporary directory and fail, naming each stale, missing or extra file, when
    `committed` differs from it."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        render(fresh)
        stale = _stale(fresh, committed, pattern)
    if stale:
        where = committed.relative_to(HERE)
        session.error(f"{where}/ is stale ({', '.join(stale)}): run `nox -s {fix}`")


def _codegen(session: nox.Session, output: Path) -> None:
    session.install(*CODEGEN_REQUIREMENTS)
    session.run("python", "-m", "codegen.python", str(output), "--", *CODEGEN_OPTIONS)


@nox.session(python=PYTHON)
def codegen(session: nox.Session) -> None:
    """Regenerate generated/ from schemas/."""
    _codegen(session, HERE / "generated")


@nox.session(python=PYTHON)
def codegen_check(session: nox.Session) -> None:
    """Fail when generated/ differs from a fresh run of the generator."""
    _drift_check(session, lambda fresh: _codegen(session, fresh), HERE / "generated", "*.py", "codegen")


# The TypeScript generator and compiler are pinned by codegen/node/package-lock.json.
NODE_TOOLS = HERE / "codegen" / "node"
BINDINGS_TS = HERE / "generated" / "typescript"
NODE_EXAMPLE = HERE / "conformance" / "examples" / "node"


def _node_tools(session: nox.Session) -> Path:
    """Install the pinned json-schema-to-typescript and tsc with `npm ci`; return tsc's path."""
    if not (shutil.which("node") and shutil.which("npm")):
        session.error("the TypeScript bindings need node 18+ and npm on PATH (e.g. `apt-get install nodejs npm`)")
    session.run("npm", "ci", "--prefix", str(NODE_TOOLS), "--no-audit", "--no-fund", "--silent", external=True)
    return NODE_TOOLS / "node_modules" / ".bin" / "tsc"


def _bindings_ts(session: nox.Session, output: Path) -> None:
    """Generate the TypeScript bindings into `output`, then compile every value fixture against
    them with tsc (writing the coverage report beside them)."""
    session.install("jsonschema>=4.23", "referencing>=0.36")
    tsc = _node_tools(session)
    session.run("python", "-m", "codegen.typescript", str(output))
    check = Path(session.create_tmp()) / "typescript-check"
    coverage = ["--coverage", str(output / "COVERAGE.md"), "--tsc", str(tsc)]
    session.run("python", "-m", "codegen.typescript_fixtures", str(output), str(check), *coverage)


@nox.session(python=PYTHON)
def bindings_ts(session: nox.Session) -> None:
    """Regenerate generated/typescript/ from schemas/ and check it on every value fixture with
    `tsc --noEmit --strict`."""
    _bindings_ts(session, BINDINGS_TS)


@nox.session(python=PYTHON)
def bindings_ts_check(session: nox.Session) -> None:
    """Check every value fixture against freshly generated TypeScript bindings, and fail when
    generated/typescript/ differs from them."""
    _drift_check(session, lambda fresh: _bindings_ts(session, fresh), BINDINGS_TS, "*", "bindings_ts")


def _docs(session: nox.Session, output: Path) -> None:
    """Render the type reference into `output`; the renderer needs the standard library only."""
    session.run("python", "-m", "codegen.reference", str(output))


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Regenerate the Markdown type reference docs/reference/ from schemas/ and the value fixtures."""
    _docs(session, HERE / "docs" / "reference")


@nox.session(python=PYTHON)
def docs_check(session: nox.Session) -> None:
    """Fail when docs/reference/ differs from a fresh render of the type reference."""
    _drift_check(session, lambda fresh: _docs(session, fresh), HERE / "docs" / "reference", "*.md", "docs")


@nox.session(python=PYTHON)
def fixtures_lint(session: nox.Session) -> None:
    """Check the golden fixture corpus: format, ids, coverage, round trips, both validators."""
    session.install(".")
    session.run("python", "-m", "ledgerspec.conformance.lint")


@nox.session(python=PYTHON)
def mutants(session: nox.Session) -> None:
    """Run the conformance suite against every broken store of the mutation catalogue: each must
    be caught, and every rule by two scenarios (`--json FILE` writes the kill matrix)."""
    session.install(".")
    session.run("python", "-m", "ledgerspec.conformance.mutants", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Style, import and formatting checks on the hand-written code."""
    session.install("ruff==0.17.6")
    paths = ["runtime", "conformance", "tests", "bench", "codegen", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on runtime/, conformance/ and the generators in codegen/."""
    session.install(".[postgres]", "mypy==2.4.1", "types-jsonschema", "pytest>=8")  # pytest: the conformance plugin
    session.run("mypy", "--strict", "runtime", "conformance", "codegen")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole test suite against an installed copy of the package. The PostgreSQL store's tests
    need a server ($LEDGERSPEC_PG_URL, see `.ci/postgres`); without one they skip, except in CI.
    The TypeScript bindings' tests need node and npm."""
    session.install(".[postgres]", *TEST_REQUIREMENTS)
    _node_tools(session)  # the TypeScript bindings' tests run the pinned tsc
    session.run("pytest", *session.posargs)


def _compat_base(session: nox.Session) -> str:
    """The last release tag, else `main`, else HEAD: what the working tree is compared with."""
    for command in (
        ["git", "describe", "--tags", "--abbrev=0", "--match", "v*"],
        ["git", "rev-parse", "--verify", "main"],
    ):
        found = session.run(*command, external=True, silent=True, success_codes=[0, 1, 128])
        if isinstance(found, str) and found.strip() and "fatal" not in found:
            return found.strip() if command[1] == "describe" else "main"
    return "HEAD"


@nox.session(python=PYTHON)
def compat(session: nox.Session) -> None:
    """Schema compatibility of the working tree against the last release (markdown for a PR)."""
    session.install(".")
    session.run("ledgerspec", "compat", "--base", _compat_base(session), "--format", "markdown")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """`python -m bench` first: the issue's table (validation against jsonschema-rs, loads and dumps
    against pydantic, append_events against raw sqlite3, the whole `ledgerspec store append`
    command against a 20-line sqlite3 script), each ratio with its goal, then every codec row; the
    store benchmark (append vs raw sqlite3 and eventsourcing, query latency, growth), the
    PostgreSQL store benchmark (append vs raw COPY/executemany and SqliteStore with 1-16 writers,
    query latency at 1M events) and the conformance suite's running time; ~30 minutes in all.

    The PostgreSQL parts use $LEDGERSPEC_PG_URL, else a throwaway server `.ci/postgres` starts.
    Arguments before a second `--` go to `python -m bench`, those after it to `python -m
    bench.store`, those after a third to `python -m bench.postgres`:
    `nox -s bench -- --envelopes 20000 -- --quick -- --quick`."""
    session.install(
        ".[postgres]",
        "pydantic==2.14.3",
        "datamodel-code-generator==0.89.0",
        "eventsourcing>=9.3,<10",
        "rfc8785>=0.1.4",
    )
    groups: list[list[str]] = [[]]
    for arg in session.posargs:
        if arg == "--" and len(groups) < 3:
            groups.append([])
        else:
            groups[-1].append(arg)
    groups += [[] for _ in range(3 - len(groups))]
    session.run("python", "-m", "bench", *groups[0])
    session.run("python", "-m", "bench.store", *groups[1])
    with _postgres_server(session) as env:
        session.run("python", "-m", "bench.postgres", *groups[2], env=env)
        if shutil.which("npm"):  # the node example store's row needs its one dependency
            session.run(
                "npm", "ci", "--prefix", str(NODE_EXAMPLE), "--no-audit", "--no-fund", "--silent", external=True
            )
        session.run("python", "-m", "bench.conformance", env=env)


@contextlib.contextmanager
def _postgres_server(session: nox.Session) -> Iterator[dict[str, str]]:
    """The environment naming a PostgreSQL server: $LEDGERSPEC_PG_URL's, else a throwaway cluster
    started by `.ci/postgres` for the block and stopped after it."""
    if os.environ.get("LEDGERSPEC_PG_URL"):
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="ledgerspec-pg-") as tmp:
        cluster = Path(tmp)  # the directory itself: the server's user cannot enter a root-only parent
        script = str(HERE / ".ci" / "postgres")
        session.run(script, "start", str(cluster), external=True)
        try:
            lines = (cluster / "env").read_text().splitlines()
            yield dict(line.split("=", 1) for line in lines if "=" in line)
        finally:
            session.run(script, "stop", str(cluster), external=True)
