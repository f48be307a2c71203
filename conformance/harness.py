"""Out-of-process stores: run a harness command and talk the JSON-lines protocol with it.

A harness that breaks the protocol (prints garbage, exits, answers the wrong seq, goes silent)
gets the scenario reported `errored` with what it did; it is then restarted for the next one.
"""

from __future__ import annotations

import json
import queue
import shlex
import subprocess
import threading
from collections import deque
from typing import IO, Any

from ledgerspec.jsontext import DocumentError, parse

from . import protocol
from .ops import StepOutcome
from .runner import DEFAULT_TIMEOUT, ScenarioSkipped, TargetError, known_capabilities
from .scenarios import Scenario
from .steps import longest_path

STDERR_TAIL = 20
MAX_LINE_BYTES = 1 << 30
"""Longest answer line read from a harness (results may hold many large documents)."""


class HarnessTarget:
    """A store served by `command` over the harness protocol."""

    def __init__(self, command: str, timeout: float = DEFAULT_TIMEOUT, validate: bool = False) -> None:
        self.command = command
        self.argv = shlex.split(command)
        self.timeout = timeout
        self.validate = validate
        self.seq = 0
        self._process: subprocess.Popen[bytes] | None = None
        started = self._start()
        store = started.get("store")
        if not isinstance(store, dict) or not isinstance(store.get("capabilities"), list):
            self.close()
            raise TargetError(f"harness answered start without a store and its capabilities: {started}")
        try:
            self.capabilities = known_capabilities(store["capabilities"], f"harness {command!r}")
        except Exception:
            self.close()
            raise
        self.metadata = {"name": store.get("name", command), "kind": "harness", "command": command}
        if "language" in store:
            self.metadata["language"] = store["language"]

    # -- process ------------------------------------------------------------------------------

    def _start(self) -> dict[str, Any]:
        try:
            process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise TargetError(f"cannot start harness {self.command!r}: {exc}") from None
        self._process = process
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=STDERR_TAIL)
        assert process.stdout is not None and process.stderr is not None
        # Each process gets its own queue and buffer: a killed harness's reader threads may still
        # be finishing, and must not feed the next harness's answers.
        threading.Thread(target=_pump, args=(process.stdout, self._lines), daemon=True).start()
        threading.Thread(target=_drain, args=(process.stderr, self._stderr), daemon=True).start()
        self._send(protocol.start())
        answer = self._receive(self.timeout)
        if answer.get("version") != protocol.VERSION:
            raise TargetError(f"harness speaks protocol version {answer.get('version')!r}, not {protocol.VERSION}")
        return answer

    def _context(self) -> str:
        tail = "\n".join(self._stderr)
        return f"\n  harness stderr (last lines):\n  {tail}" if tail else ""

    def _send(self, message: protocol.Request) -> None:
        if self.validate and (problem := protocol.problem("request", message)):
            raise TargetError(f"the runner built an invalid request ({problem})")
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(message).encode() + b"\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise TargetError(f"harness exited (code {self._process.poll()}){self._context()}") from None

    def _receive(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TargetError(f"harness sent nothing within {timeout:g} s{self._context()}") from None
        if line is None:
            code = self._process.wait(timeout=5) if self._process else None
            raise TargetError(f"harness exited (code {code}) without answering{self._context()}")
        try:
            message = parse(line, max_bytes=MAX_LINE_BYTES)
        except DocumentError as exc:
            raise TargetError(
                f"harness printed a line that is not JSON ({exc}): {line[:200]!r}{self._context()}"
            ) from None
        if not isinstance(message, dict):
            raise TargetError(f"harness printed {line[:200]!r}, not a JSON object")
        if self.validate and (problem := protocol.problem("response", message)):
            raise TargetError(f"harness response breaks the protocol ({problem}): {line[:200]!r}")
        return message

    def _restart(self) -> None:
        """Kill a harness that broke the protocol (it gets no grace) and start a fresh one."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        try:
            self._start()
        except TargetError:
            self._process = None

    # -- Target -------------------------------------------------------------------------------

    def run(self, scenario: Scenario) -> list[StepOutcome]:
        if self._process is None:
            self._restart()
            if self._process is None:
                raise TargetError("harness could not be restarted")
        self.seq += 1
        seq = self.seq
        try:
            self._send(protocol.run(seq, scenario))
            answer = self._receive(self.timeout * max(1, longest_path(scenario.steps)))
            if answer.get("seq") != seq:
                raise TargetError(f"harness answered seq {answer.get('seq')!r} to run seq {seq}")
        except TargetError:
            self._restart()
            raise
        if "skipped" in answer:
            raise ScenarioSkipped(str(answer["skipped"].get("reason", "skipped by the harness")))
        if "errored" in answer:
            raise TargetError(f"harness errored: {json.dumps(answer['errored'].get('context'))[:500]}")
        try:
            return protocol.outcomes_from_json(list(scenario.steps), list(answer.get("outcomes") or []))
        except (TypeError, ValueError) as exc:
            raise TargetError(f"harness outcomes do not follow the steps: {exc}") from None

    def close(self) -> None:
        """Send `stop` and wait for the harness to exit (killing it if it does not)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.write(json.dumps(protocol.stop()).encode() + b"\n")
                process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    """Move a harness's output lines to `lines`; None marks its end."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _drain(stream: IO[bytes], tail: deque[str]) -> None:
    """Keep the last lines a harness wrote to standard error, for error messages."""
    for line in stream:
        tail.append(line.decode("utf-8", "replace").rstrip())
