"""Documents read from files: `.json` files hold one; `.jsonl` and `.ndjson` files and `-`
(standard input) hold one per line. A line is read at most `max_bytes` (plus one) at a time, so an
oversized line is reported without ever being held whole. The command line reads its inputs here,
and hands `InputFile.texts` to the store's load as they are: no command-line code runs while a
store loads."""

from __future__ import annotations

import collections
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .jsontext import (
    JSON_WHITESPACE,
    MAX_DOCUMENT_BYTES,
    DocumentError,
    Parsed,
    TrailingTextError,
    document_too_large,
    parse_document,
)

JSON_LINES = (".jsonl", ".ndjson")
"""File suffixes read as JSON lines (one document per line)."""
SKIP = 1 << 20
"""Bytes read at a time while skipping the rest of an oversized line."""


@dataclass(frozen=True)
class Text:
    """The text of one document of the input and where it came from, or why it cannot be read."""

    index: int
    source: str
    line: int | None
    data: bytes = b""
    error: DocumentError | None = None

    @property
    def label(self) -> str:
        """`file` or `file:line`, how messages name the document."""
        return self.source if self.line is None else f"{self.source}:{self.line}"


@dataclass(frozen=True)
class Document:
    """One document of the input: where it came from, and what it parsed to or why it did not."""

    text: Text
    parsed: Parsed | None = None
    error: DocumentError | None = None

    @property
    def index(self) -> int:
        return self.text.index

    @property
    def source(self) -> str:
        return self.text.source

    @property
    def line(self) -> int | None:
        return self.text.line

    @property
    def label(self) -> str:
        return self.text.label

    @property
    def value(self) -> Any:
        """The parsed JSON value (None for a document that did not parse)."""
        return None if self.parsed is None else self.parsed.value


class UnreadableInput(Exception):
    """A named input that cannot be opened (a usage error, reported without stopping the run)."""


def _lines(stream: BinaryIO, source: str, start: int, max_bytes: int) -> Iterator[Text]:
    """The non-blank lines of a stream; a line over `max_bytes` is an error, skipped in pieces."""
    index, number = start, 0
    while raw := stream.readline(max_bytes + 1):
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(SKIP)
                size += len(raw)
            yield Text(index, source, number, error=document_too_large(size - raw.endswith(b"\n"), max_bytes))
            index += 1
            continue
        if raw.strip(JSON_WHITESPACE):  # a form feed or a vertical tab is no blank line: serde refuses it
            yield Text(index, source, number, raw)
            index += 1


def _whole_file(file: Path, source: str, index: int, max_bytes: int) -> Text:
    """The one document of a `.json` file (its size checked before it is read)."""
    size = file.stat().st_size
    if size > max_bytes:
        return Text(index, source, None, error=document_too_large(size, max_bytes))
    return Text(index, source, None, file.read_bytes())


def read_texts(
    paths: list[str], max_bytes: int = MAX_DOCUMENT_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Text | UnreadableInput]:
    """Yield the text of every document of `paths` in order (`-` or no path: standard input, one
    per line), unparsed."""
    index = 0
    for path in paths or ["-"]:
        if path == "-":
            for text in _lines(stdin or sys.stdin.buffer, "<stdin>", index, max_bytes):
                index = text.index + 1
                yield text
            continue
        file = Path(path)
        try:
            if path.endswith(JSON_LINES):
                with file.open("rb") as stream:
                    for text in _lines(stream, path, index, max_bytes):
                        index = text.index + 1
                        yield text
                continue
            yield _whole_file(file, path, index, max_bytes)
            index += 1
        except OSError as exc:
            yield UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}")


def parse(text: Text, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """The document a text holds; more text after a whole file's document gets a hint about JSON lines."""
    if text.error is not None:
        return Document(text, error=text.error)
    try:
        return Document(text, parse_document(text.data, max_bytes))
    except TrailingTextError as exc:
        if text.line is not None:
            return Document(text, error=exc)
        hint = DocumentError(f"{exc}; several documents? use .jsonl or -")
        hint.line, hint.column = exc.line, exc.column
        return Document(text, error=hint)
    except DocumentError as exc:
        return Document(text, error=exc)


def read_documents(
    paths: list[str], max_bytes: int = MAX_DOCUMENT_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Document | UnreadableInput]:
    """Yield every document of `paths` in order, parsed (see `read_texts`)."""
    for text in read_texts(paths, max_bytes, stdin):
        yield text if isinstance(text, UnreadableInput) else parse(text, max_bytes)


class Recent:
    """The names of the last `remember` documents handed to a load (its batch and those read
    ahead of it), so an error's document index can be told by name: `file:line`, or a stored
    row."""

    def __init__(self, remember: int) -> None:
        self._names: collections.deque[tuple[int, str]] = collections.deque(maxlen=remember)

    def note(self, index: int, name: str) -> None:
        """Remember that the document at `index` is called `name`."""
        self._names.append((index, name))

    def name(self, index: int | None) -> str | None:
        """The name of the document at `index`, when it is one of those remembered."""
        return next((name for at, name in self._names if at == index), None)


class InputFile:
    """The document texts of one input (`read_texts`), remembering how many bytes were read and
    the labels (`file:line`) of the last `remember` documents, those a load may still name in an
    error (the batch being written and the documents read ahead of it)."""

    def __init__(self, path: str, remember: int, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else None
        """The input's size in bytes, when it is a file."""
        self.read = 0
        """Bytes of documents read so far."""
        self.labels = Recent(remember)

    def texts(self) -> Iterator[bytes]:
        """The document texts, in order; an unreadable input raises UnreadableInput, an oversized
        document its DocumentError (located at its label and index)."""
        for text in read_texts([self.path], self.max_bytes):
            if isinstance(text, UnreadableInput):
                raise text
            self.labels.note(text.index, text.label)
            if text.error is not None:
                raise text.error.located(text.label, text.index)
            self.read += len(text.data)
            yield text.data
