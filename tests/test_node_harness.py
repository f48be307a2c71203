"""The JavaScript example store (conformance/examples/node/) passes the whole conformance suite
through the harness protocol with every capability declared: the contract proven in a second
language, exactly as CI's command runs it. Its validator (Ajv plus the integer-literal and UTF-8
byte rules) also agrees with every golden value fixture. Needs node 20+ and npm (its one
dependency, Ajv, is installed from the lockfile with `npm ci`); without them the tests skip,
except under CI."""

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

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "conformance" / "examples" / "node"
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


# Every reader-mode fixture through the example's own checks (canonical text, then the schema):
# valid documents must pass and invalid ones fail. Prints the ids that disagree, then a count.
FIXTURE_CHECK = """
const fs = require("node:fs"), path = require("node:path");
const json = require("./json"), { problem } = require("./schemas");
const root = process.argv[1];
const check = (type, doc) => { try { json.canonical(doc); } catch (e) { return e.message; } return problem(type, doc); };
let agreed = 0;
for (const file of fs.readdirSync(root, { recursive: true }).filter((f) => f.endsWith(".json"))) {
  const { type, valid, invalid } = json.parse(fs.readFileSync(path.join(root, file), "utf8"));
  const name = type.replace(".", "/");
  for (const f of valid) check(name, f.document) ? console.log("rejects valid", f.id) : agreed++;
  for (const f of invalid.filter((f) => (f.mode ?? "reader") === "reader"))
    check(name, f.document) ? agreed++ : console.log("accepts invalid", f.id);
}
console.log(agreed);
"""


def test_the_node_validator_agrees_with_every_value_fixture(harness: str) -> None:
    fixtures = REPO / "conformance" / "fixtures" / "values"
    done = subprocess.run(
        ["node", "-e", FIXTURE_CHECK, str(fixtures)], cwd=EXAMPLE, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    *disagreements, agreed = done.stdout.splitlines()
    assert disagreements == [] and int(agreed) > 2000
