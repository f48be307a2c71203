"""An example harness: serves a Python store over the JSON-lines harness protocol.

`python -m ledgerspec.conformance.serve [module:factory]` (default: the reference SqliteStore in a
temporary directory). Run the suite through it with
`ledgerspec conformance --harness "python -m ledgerspec.conformance.serve"`; a harness in another
language does the same with its own store (`conformance/examples/node/` is one in JavaScript).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from . import protocol
from .ops import Operations, StepTimeout, run_steps
from .runner import DEFAULT_TIMEOUT, declared_capabilities
from .steps import parse_step
from .targets import resolve


def serve(spec: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """Answer requests until `stop` or the end of input."""
    with tempfile.TemporaryDirectory(prefix="ledgerspec-harness-") as scratch:
        factory, name = resolve(spec, Path(scratch))
        operations = Operations()
        for line in stdin:
            request = json.loads(line)
            if request["cmd"] == "stop":
                return 0
            if request["cmd"] == "start":
                probe = factory()
                capabilities = sorted(declared_capabilities(probe))
                getattr(probe, "close", lambda: None)()
                answer: dict[str, Any] = {
                    "version": protocol.VERSION,
                    "store": {"name": name, "language": "python", "capabilities": capabilities},
                }
            else:
                answer = _run(factory, operations, request)
            stdout.write(json.dumps(answer) + "\n")
            stdout.flush()
    return 0


def _run(factory: Any, operations: Operations, request: dict[str, Any]) -> dict[str, Any]:
    seq = request["seq"]
    try:
        store = factory()
    except Exception as exc:
        return {"seq": seq, "errored": {"context": {"factory": f"{type(exc).__name__}: {exc}"}}}
    steps = [parse_step(step) for step in request["scenario"]["steps"]]
    try:
        outcomes = run_steps(operations, store, steps, DEFAULT_TIMEOUT)
    except StepTimeout as exc:
        return {"seq": seq, "errored": {"context": {"timeout": str(exc)}}}
    finally:
        getattr(store, "close", lambda: None)()
    return {"seq": seq, "outcomes": protocol.outcomes_to_json(outcomes)}


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1] if len(sys.argv) > 1 else None, sys.stdin, sys.stdout))
