"""The `ledgerspec` command line, in process and as the installed console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ledgerspec.cli import main

ENVELOPE = '{"event_id":"e1","occurred_at":"1970-01-01T00:00:00Z","tenant_id":null,"correlation_id":null,"event":{"type":"BudgetExceeded","data":{"chain_id":"c","resource":"Cycles","limit":"5","observed":null}}}'


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        real = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
        try:
            code = main(list(argv), out, err)
        finally:
            sys.stdin = real
    else:
        code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_types_lists_qualified_names() -> None:
    code, out, _ = run("types", "--namespace", "converge")
    names = out.split()
    assert code == 0 and "converge.ExperienceEventEnvelope" in names and "converge.recall.StopReason" in names
    assert all(name.startswith("converge.") for name in names)


def test_validate_jsonl_reports_every_document(tmp_path: Path) -> None:
    lines = [ENVELOPE, '{"event_id": 5}', "not json", "", "[1, NaN]", ENVELOPE]
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n")
    code, out, _ = run(
        "validate", "--type", "converge.ExperienceEventEnvelope", "--format", "json", str(tmp_path / "events.jsonl")
    )
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["line"], r["valid"]) for r in results] == [(1, True), (2, False), (3, False), (5, False), (6, True)]
    assert {"path": "/event_id", "rule": "type"}.items() <= results[1]["errors"][0].items() or any(
        e["path"] == "/event_id" and e["rule"] == "type" for e in results[1]["errors"]
    )
    assert results[2]["errors"][0]["rule"] == "malformed_json"
    assert "NaN" in results[3]["errors"][0]["message"]


def test_a_line_of_whitespace_json_does_not_allow_is_a_document(tmp_path: Path) -> None:
    """JSON's whitespace is space, tab, CR and LF: a line of a form feed or a vertical tab is
    an invalid document (serde refuses it), not a blank line to skip."""
    (tmp_path / "events.jsonl").write_bytes(ENVELOPE.encode() + b"\n \t\r\n\x0c\n\x0b\n")
    code, out, _ = run(
        "validate", "--type", "converge.ExperienceEventEnvelope", "--format", "json", str(tmp_path / "events.jsonl")
    )
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["line"], r["valid"]) for r in results] == [(1, True), (3, False), (4, False)]


def test_validate_text_output_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(ENVELOPE + "\n" + '{"event_id": "x"}\n')
    code, out, err = run("validate", "--type", "converge.ExperienceEventEnvelope", str(tmp_path / "a.jsonl"))
    assert code == 1
    assert f"INVALID  {tmp_path / 'a.jsonl'}:2" in out
    assert "[required]" in out and "2 document(s): 1 valid, 1 invalid" in err


def test_validate_strict_flag() -> None:
    document = ENVELOPE[:-1] + ',"extra":1}'
    assert run("validate", "--type", "converge.ExperienceEventEnvelope", "-", stdin=document)[0] == 0
    code, out, _ = run("validate", "--type", "converge.ExperienceEventEnvelope", "--strict", "-", stdin=document)
    assert code == 1 and "unevaluatedProperties" in out


def test_unknown_type_is_a_usage_error() -> None:
    code, _, err = run("validate", "--type", "converge.Nope", "-", stdin="{}")
    assert code == 2 and "unknown type 'converge.Nope'" in err


def test_missing_file_is_a_usage_error_but_others_are_checked(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(ENVELOPE)
    code, out, err = run(
        "validate",
        "--type",
        "converge.ExperienceEventEnvelope",
        str(tmp_path / "missing.json"),
        str(tmp_path / "ok.json"),
    )
    assert code == 2 and "cannot read" in err and "ok  " in out


def test_oversized_document_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text('{"event_id": "' + "x" * 2000 + '"}')
    code, out, _ = run(
        "validate",
        "--type",
        "converge.ExperienceEventEnvelope",
        "--max-bytes",
        "1000",
        "--format",
        "json",
        str(tmp_path / "big.json"),
    )
    assert code == 1 and "limit is 1000 bytes" in json.loads(out)["errors"][0]["message"]


def test_roundtrip_prints_serde_output_and_error_lines() -> None:
    sparse = '{"event_id":"e1","occurred_at":"1970-01-01T00:00:00Z","event":{"type":"BudgetExceeded","data":{"chain_id":"c","resource":"Cycles","limit":"5","observed":null}},"unknown":true}'
    code, out, _ = run("roundtrip", "--type", "converge.ExperienceEventEnvelope", "-", stdin=sparse + "\n{}\n")
    first, second = out.splitlines()
    assert code == 1
    assert first == ENVELOPE
    assert json.loads(second)["errors"][0]["rule"] == "required"


def test_schema_prints_type_strict_form_and_bundle() -> None:
    code, out, _ = run("schema", "--type", "mfm.DependencyEdge")
    assert code == 0 and json.loads(out)["title"] == "mfm.DependencyEdge"
    strict = json.loads(run("schema", "--type", "mfm.DependencyEdge", "--strict")[1])
    assert strict["unevaluatedProperties"] is False
    bundle = json.loads(run("schema", "--bundle")[1])
    assert "mfm.DependencyEdge" in bundle["$defs"]
    refs = [v for v in json.dumps(bundle).split('"$ref": ')[1:]]
    assert refs and all(ref.startswith('"#/$defs/') for ref in refs)


def test_help_on_every_command() -> None:
    for command in ("types", "validate", "roundtrip", "schema"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "usage: ledgerspec" in out


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("ledgerspec")
    done = subprocess.run(
        [str(script), "validate", "--type", "converge.ExperienceEventEnvelope", "-"],
        input=ENVELOPE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_hostile_documents_get_errors_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    deep = '{"a":' * 10_000 + "1" + "}" * 10_000
    huge = '{"event_id":"' + "x" * (17 * 1024 * 1024) + '"}'
    lines = [ENVELOPE, deep, "[1, 2]", huge, '{"seq": 18446744073709551616}', '{"x": "\\udc00"}', ENVELOPE]
    (tmp_path / "hostile.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "big.json").write_text('"' + "y" * (50 * 1024 * 1024) + '"')
    code, out, err = run(
        "validate",
        "--type",
        "converge.ExperienceEventEnvelope",
        "--format",
        "json",
        str(tmp_path / "hostile.jsonl"),
        str(tmp_path / "big.json"),
    )
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "Traceback" not in out + err
    assert [(r["line"], r["valid"]) for r in results] == [
        (1, True),
        (2, False),
        (3, False),
        (4, False),
        (5, False),
        (6, False),
        (7, True),
        (None, False),
    ]
    messages = [r["errors"][0]["message"] for r in results if not r["valid"]]
    assert "deeper than 127 levels" in messages[0]
    assert results[2]["errors"][0] == {"path": "", "rule": "type", "message": results[2]["errors"][0]["message"]}
    assert "limit is 16777216 bytes" in messages[2]
    assert "lone UTF-16 surrogate" in messages[4]
    assert results[7]["source"].endswith("big.json") and "limit is 16777216 bytes" in messages[5]


def test_fixtures_help_says_what_dir_is() -> None:
    code, out, _ = run("fixtures", "--help")
    assert code == 0 and "DIR/<namespace>/<Type>.json" in out


def test_fixtures_refuses_a_wrong_or_missing_directory_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "fixtures" / "values" / "mfm").mkdir(parents=True)
    (tmp_path / "fixtures" / "values" / "mfm" / "OpId.json").write_text("{}")
    for where, expected in [
        (tmp_path / "missing", f"ledgerspec: {tmp_path / 'missing'}: no such directory"),
        (tmp_path, f"ledgerspec: {tmp_path}: no value fixture files; expected DIR/<namespace>/<Type>.json"),
    ]:
        code, out, err = run("fixtures", str(where))
        assert (code, out) == (2, "")
        assert err.startswith(expected) and err.count("\n") == 1
    assert err.endswith(f"did you mean {tmp_path / 'fixtures' / 'values'}?\n")


def test_fixtures_reports_a_file_that_is_not_json(tmp_path: Path) -> None:
    (tmp_path / "mfm").mkdir()
    (tmp_path / "mfm" / "OpId.json").write_text("{not json")
    code, _, err = run("fixtures", str(tmp_path))
    assert (
        code == 1
        and err.startswith(f"ledgerspec: {tmp_path / 'mfm' / 'OpId.json'}: not JSON")
        and "Traceback" not in err
    )


def test_fixtures_reports_a_type_without_a_namespace(tmp_path: Path) -> None:
    (tmp_path / "converge").mkdir()
    (tmp_path / "converge" / "x.json").write_text('{"type": "nodot", "valid": [], "invalid": []}')
    code, out, err = run("fixtures", str(tmp_path))
    assert code == 1 and "x.json: unknown type nodot" in out and "Traceback" not in out + err


def test_conformance_against_postgresql_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "psycopg" or n.startswith(("psycopg.", "ledgerspec.store.postgres"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an install without the extra looks like to import
    code, out, err = run("conformance", "postgresql://app@localhost/ledgers")
    assert (code, out) == (2, "")
    assert err.startswith(
        "ledgerspec: testing a PostgreSQL store: PostgreSQL ledgers need the postgres extra: "
        "pip install 'ledgerspec[postgres]' ("
    )
    assert err.count("\n") == 1


def test_commands_import_only_what_they_run(tmp_path: Path) -> None:
    """Start-up: `validate` imports no store, `store append` no conformance suite or compat
    checker, and neither a generated model module (tenths of a second together); `roundtrip`
    still loads the models in the same process."""
    from ledgerspec.conformance.values import load_corpus

    envelopes = next(file for file in load_corpus() if file.type == "converge.ExperienceEventEnvelope")
    document = tmp_path / "envelope.json"
    document.write_text(json.dumps(envelopes.valid[0].document), "utf-8")
    ledger = tmp_path / "ledger.db"
    script = f"""
import contextlib, io, sys
from ledgerspec.cli import main
watched = ("ledgerspec.models", "ledgerspec.store", "ledgerspec.conformance.runner", "ledgerspec.compat.diff")
def imported():
    return sorted({{w for w in watched for name in sys.modules if name == w or name.startswith(w + ".")}})
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    codes = [main(["validate", "--type", "converge.ExperienceEventEnvelope", {str(document)!r}])]
    after_validate = imported()
    codes.append(main(["store", "append", {str(ledger)!r}, {str(document)!r}]))
    after_append = imported()
    codes.append(main(["roundtrip", "--type", "converge.ExperienceEventEnvelope", {str(document)!r}]))
print(codes, after_validate, after_append)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[0, 0, 0] [] ['ledgerspec.store']", result.stderr
