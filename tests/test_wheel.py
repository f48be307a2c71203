"""The wheel built from this checkout installs into a clean virtualenv and works there alone."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_validates_shipped_fixtures(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("ledgerspec-*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    bin_dir = env / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)

    # The fixtures come from inside the installed package, not from this checkout.
    locate = "from ledgerspec.conformance.values import conformance_dir; print(conformance_dir())"
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", locate], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    shipped = Path(where.stdout.strip())
    assert str(shipped).startswith(str(env))
    fixture = shipped / "fixtures" / "values" / "converge" / "ExperienceEventEnvelope.json"
    document = json.loads(fixture.read_text())["valid"][0]["document"]
    (tmp_path / "envelope.json").write_text(json.dumps(document))
    done = subprocess.run(
        [
            str(bin_dir / "ledgerspec"),
            "validate",
            "--type",
            "converge.ExperienceEventEnvelope",
            str(tmp_path / "envelope.json"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lint = subprocess.run(
        [str(bin_dir / "python"), "-m", "ledgerspec.conformance.lint"], capture_output=True, text=True, cwd=tmp_path
    )
    assert lint.returncode == 0, lint.stdout[-2000:]
    assert ", 0 problem(s)" in lint.stdout
    types = subprocess.run([str(bin_dir / "ledgerspec"), "types"], capture_output=True, text=True, check=True)
    assert len(types.stdout.split()) == len(list((REPO / "schemas").glob("*/*.json")))

    # The store commands work from the clean install: init, append, query, verify.
    ledger = tmp_path / "ledger.db"

    def store(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "ledgerspec"), "store", *args], capture_output=True, text=True, cwd=tmp_path
        )

    assert store("init", str(ledger)).returncode == 0
    appended = store("append", str(ledger), str(tmp_path / "envelope.json"))
    assert appended.returncode == 0 and "appended 1 document(s)" in appended.stdout, appended.stderr
    queried = store("query", str(ledger), "--format", "json")
    assert queried.returncode == 0 and json.loads(queried.stdout) == document
    assert store("verify", str(ledger)).returncode == 0
