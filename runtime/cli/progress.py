"""Progress of a long store command on standard error: a bar with total, rate and ETA on a
terminal, and one line every `every` seconds otherwise (a log or a CI job), so a long load is
never silent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

DEFAULT_EVERY = 10.0
"""Seconds between progress lines when standard error is not a terminal."""


class Reporter:
    """Takes the work done so far (`done` of `total`, in the unit the command counts) and a
    short note (documents appended, rows verified), and shows it."""

    def __init__(self, err: TextIO, total: int | None, unit: str, every: float) -> None:
        self.err, self.total, self.unit, self.every = err, total, unit, every
        self.started = self.last = time.monotonic()
        self.update = self._line if every > 0 else self._nothing

    def _nothing(self, done: int, note: str) -> None:
        """No progress is shown (`--progress-every 0`)."""

    def _line(self, done: int, note: str) -> None:
        """A progress line, at most every `every` seconds."""
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        share = f", {100 * done / self.total:.0f}% of {self.total:,} {self.unit}" if self.total else ""
        self.err.write(f"ledgerspec: progress: {note}{share}, {rate:,.0f} {self.unit}/s\n")
        self.err.flush()


@contextmanager
def reporter(err: TextIO, total: int | None, unit: str, every: float = DEFAULT_EVERY) -> Iterator[Reporter]:
    """A Reporter for a command's work: a transient bar on a terminal, lines otherwise."""
    if not err.isatty() or every <= 0:
        yield Reporter(err, total, unit, every)
        return
    # rich is imported for a terminal only: a piped or logged command starts without it
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(file=err), transient=True) as bar:
        task = bar.add_task("", total=total, rate="")
        shown = Reporter(err, total, unit, every)

        def update(done: int, note: str) -> None:
            rate = done / max(time.monotonic() - shown.started, 1e-9)
            bar.update(task, completed=done, description=note, rate=f"{rate:,.0f} {unit}/s")

        shown.update = update
        yield shown
