"""Documents read from the command line: `.json` files hold one, `.jsonl` files and `-` hold one per line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..jsontext import MAX_DOCUMENT_BYTES, DocumentError, parse


@dataclass(frozen=True)
class Document:
    """One document of the input: where it came from, and its value or why it has none."""

    index: int
    source: str
    line: int | None
    value: Any = None
    error: DocumentError | None = None

    @property
    def label(self) -> str:
        """`file` or `file:line`, how messages name the document."""
        return self.source if self.line is None else f"{self.source}:{self.line}"


class UnreadableInput(Exception):
    """A named input that cannot be opened (a usage error, reported without stopping the run)."""


def _lines(stream: BinaryIO, source: str, start: int, max_bytes: int) -> Iterator[Document]:
    index = start
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            yield Document(index, source, number, parse(raw, max_bytes))
        except DocumentError as exc:
            yield Document(index, source, number, error=exc)
        index += 1


def read_documents(
    paths: list[str], max_bytes: int = MAX_DOCUMENT_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Document | UnreadableInput]:
    """Yield every document of `paths` in order (`-` or no path: standard input, one per line)."""
    index = 0
    for path in paths or ["-"]:
        if path == "-":
            for doc in _lines(stdin or sys.stdin.buffer, "<stdin>", index, max_bytes):
                index = doc.index + 1
                yield doc
            continue
        file = Path(path)
        try:
            if path.endswith(".jsonl"):
                with file.open("rb") as stream:
                    for doc in _lines(stream, path, index, max_bytes):
                        index = doc.index + 1
                        yield doc
                continue
            size = file.stat().st_size
            if size > max_bytes:
                error = DocumentError(f"document is {size} bytes; the limit is {max_bytes} bytes")
                yield Document(index, path, None, error=error)
            else:
                try:
                    yield Document(index, path, None, parse(file.read_bytes(), max_bytes))
                except DocumentError as exc:
                    yield Document(index, path, None, error=exc)
            index += 1
        except OSError as exc:
            yield UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}")
