"""Documents read from the command line: `.json` files hold one; `.jsonl` and `.ndjson` files and `-`
hold one per line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..jsontext import MAX_DOCUMENT_BYTES, DocumentError, Parsed, TrailingTextError, document_too_large, parse_document

JSON_LINES = (".jsonl", ".ndjson")
"""File suffixes read as JSON lines (one document per line)."""


@dataclass(frozen=True)
class Document:
    """One document of the input: where it came from, and what it parsed to or why it did not."""

    index: int
    source: str
    line: int | None
    parsed: Parsed | None = None
    error: DocumentError | None = None

    @property
    def value(self) -> Any:
        """The parsed JSON value (None for a document that did not parse)."""
        return None if self.parsed is None else self.parsed.value

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
            yield Document(index, source, number, parse_document(raw, max_bytes))
        except DocumentError as exc:
            yield Document(index, source, number, error=exc)
        index += 1


def _whole_file(file: Path, source: str, index: int, max_bytes: int) -> Document:
    """The one document of a `.json` file; more text after it gets a hint about JSON lines."""
    size = file.stat().st_size
    if size > max_bytes:
        return Document(index, source, None, error=document_too_large(size, max_bytes))
    try:
        return Document(index, source, None, parse_document(file.read_bytes(), max_bytes))
    except TrailingTextError as exc:
        hint = DocumentError(f"{exc}; several documents? use .jsonl or -")
        hint.line, hint.column = exc.line, exc.column
        return Document(index, source, None, error=hint)
    except DocumentError as exc:
        return Document(index, source, None, error=exc)


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
            if path.endswith(JSON_LINES):
                with file.open("rb") as stream:
                    for doc in _lines(stream, path, index, max_bytes):
                        index = doc.index + 1
                        yield doc
                continue
            yield _whole_file(file, path, index, max_bytes)
            index += 1
        except OSError as exc:
            yield UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}")
