"""The JavaScript example store (conformance/examples/node/) passes the whole conformance suite
through the harness protocol with every capability declared: the contract proven in a second
language, exactly as CI's command runs it. Needs node 20+ and npm (its one dependency, Ajv, is
installed from the lockfile with `npm ci`); without them the test skips, except under CI."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ledgerspec.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "conformance" / "examples" / "node"
CAPABILITIES = {"experience", "runs", "artifacts", "journal", "tenancy", "concurrency"}


@pytest.fixture(scope="module")
def harness() -> str:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        message = f"the node example store needs {' and '.join(missing)} on PATH (node 20+)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    subprocess.run(
        ["npm", "ci", "--prefix", str(EXAMPLE), "--no-audit", "--no-fund", "--silent"], check=True, timeout=300
    )
    return f"node {shlex.quote(str(EXAMPLE / 'harness.js'))}"


def test_the_node_store_passes_every_scenario_with_every_capability(harness: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    every = ",".join(sorted(CAPABILITIES))
    argv = ["conformance", "--harness", harness, "--validate-protocol", "--require", every, "--report", "json"]
    code = main(argv, out, err)
    assert out.getvalue(), err.getvalue()  # a harness that cannot start leaves no report
    report = json.loads(out.getvalue())
    failed = [f"{r['id']}: {r['status']}: {r.get('reason')}" for r in report["results"] if r["status"] != "passed"]
    assert failed == [], err.getvalue()
    assert code == 0 and report["ok"] is True
    assert set(report["capabilities"]["declared"]) == set(report["capabilities"]["certified"]) == CAPABILITIES
    assert report["store"]["kind"] == "harness" and report["store"]["language"] == "javascript"
