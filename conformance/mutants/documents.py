"""Broken stores that mishandle documents themselves, in any ledger: what they keep, how values
come back, and the schema checks serde makes that plain JSON Schema does not."""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Sequence
from typing import Any

from ledgerspec import default_codec
from ledgerspec.errors import ConflictError, InvalidInputError, Issue, LedgerspecError
from ledgerspec.store.stored import parse as parse_stored

from .base import Bug, ExperienceBug, JournalBug, RunsBug, ValidationBug, documents, rewrite, stored, strings

ENVELOPE = "converge.ExperienceEventEnvelope"
RECORD = "agentsdk.JournalRecord"


def _known(type_name: str, document: Any) -> Any:
    """What the generated model keeps of a JSON document: serde's form, unknown keys dropped
    (the document itself when it does not load)."""
    codec = default_codec()
    try:
        return codec.dump(codec.load(type_name, document))
    except LedgerspecError:
        return document


# -- unknown keys -------------------------------------------------------------------------------


class DropsUnknownKeys(ExperienceBug):
    """Stores the envelope as the model dumps it, so keys from a newer writer are lost."""

    rule = "documents.kept-as-received"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        return self.inner.append_events(documents(envelopes, lambda e: _known(ENVELOPE, e)))


class IdempotenceIgnoresUnknownKeys(ExperienceBug):
    """Compares a re-appended envelope with the stored one through the model: an unknown key differing is a no-op."""

    rule = "documents.kept-as-received"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        try:
            return self.inner.append_events(envelopes)
        except ConflictError:
            known = {e["event_id"]: _known(ENVELOPE, e) for e in stored(self.inner)}
            if any(known.get(e["event_id"], _known(ENVELOPE, e)) != _known(ENVELOPE, e) for e in envelopes):
                raise
            return self.inner.append_events([e for e in envelopes if e["event_id"] not in known])


class JournalConflictIgnoresUnknownKeys(JournalBug):
    """Compares a record_id's records through the model, so one differing only in an unknown key is deduplicated."""

    rule = "documents.kept-as-received"

    def append(self, record: Any) -> Any:
        try:
            return self.inner.append(record)
        except ConflictError:
            for stored in self.inner.read(record["run_id"]):
                if stored.record_id == record["record_id"] and default_codec().dump(stored) == _known(RECORD, record):
                    return f"journal.{stored.journal_seq}"
            raise


# -- whole documents -------------------------------------------------------------------------------


class RebuildsEnvelopesFromColumns(ExperienceBug):
    """Rebuilds each envelope from its indexed columns and the event, so a correlation id kept
    only inside the document is lost on the way back."""

    rule = "documents.read-back"

    def query_events(self, query: Any) -> Any:
        return [
            {**_known(ENVELOPE, parse_stored(data)), "correlation_id": None}
            for data in self.inner.query_documents(query)
        ]


class DropsRunEventTimestamps(RunsBug):
    """Keeps `ts_millis` in a column it never reads back, so every event returns without it."""

    rule = "documents.read-back"

    def read_range(self, run_id: str, from_seq: int, to_seq: int | None = None) -> Any:
        return [
            {**default_codec().dump(event), "ts_millis": None}
            for event in self.inner.read_range(run_id, from_seq, to_seq)
        ]


# -- values ------------------------------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _double(value: Any) -> Any:
    """An integer as a JavaScript-style double holds it (exact only up to 2^53)."""
    return int(float(value)) if isinstance(value, int) and not isinstance(value, bool) else value


def _single(value: Any) -> Any:
    """A float as a 4-byte REAL column holds it."""
    return struct.unpack("<f", struct.pack("<f", value))[0] if isinstance(value, float) else value


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _positive_zero(value: Any) -> Any:
    """-0.0 as a store that normalises the sign of zero keeps it."""
    return 0.0 if isinstance(value, float) and value == 0.0 else value


class NormalisesUnicode(ExperienceBug):
    """NFC-normalises every string of an envelope before storing it."""

    rule = "documents.values-exact"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        return self.inner.append_events(documents(envelopes, lambda e: rewrite(e, _nfc)))


class NumbersAsDoubles(ExperienceBug):
    """Parses envelope numbers as doubles, so integers past 2^53 are rounded."""

    rule = "documents.values-exact"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        return self.inner.append_events(documents(envelopes, lambda e: rewrite(e, _double)))


class MinusZeroFolded(ExperienceBug):
    """Stores a float -0.0 as 0.0, so the sign bit is lost (and re-appending 0.0 is taken as the same envelope)."""

    rule = "documents.values-exact"

    def append_events(self, envelopes: Sequence[Any]) -> Any:
        return self.inner.append_events(documents(envelopes, lambda e: rewrite(e, _positive_zero)))


class RunNumbersAsDoubles(RunsBug):
    """Parses run event numbers as doubles, so integers past 2^53 (ts_millis, payloads) are rounded."""

    rule = "documents.values-exact"

    def append(self, run_id: str, expected_seq: int, events: Sequence[Any]) -> Any:
        return self.inner.append(run_id, expected_seq, documents(events, lambda e: rewrite(e, _double)))


class JournalNumbersAsDoubles(JournalBug):
    """Parses journal record numbers as doubles, so integers past 2^53 are rounded."""

    rule = "documents.values-exact"

    def append(self, record: Any) -> Any:
        return self.inner.append(rewrite(record, _double))


# -- schema checks ------------------------------------------------------------------------------------


class ChecksTopLevelOnly(ValidationBug):
    """Validates only a document's top-level keys, not what is nested inside them."""

    rule = "validation.schema"

    @staticmethod
    def forgive(issue: Issue) -> bool:
        return issue.path.count("/") > 1


class AcceptsIntegralFloats(ValidationBug):
    """Validates with plain JSON Schema, where 1.0 counts as an integer."""

    rule = "validation.integer-literal"

    @staticmethod
    def forgive(issue: Issue) -> bool:
        return isinstance(issue.value, float) and issue.value.is_integer() and "float literal" in issue.message


class CountsCharactersNotBytes(ValidationBug):
    """Checks x-max-utf8-bytes against the string's length in characters."""

    rule = "validation.max-utf8-bytes"

    @staticmethod
    def forgive(issue: Issue) -> bool:
        limit = re.search(r"at most (\d+)", issue.message)
        return (
            issue.rule == "x-max-utf8-bytes"
            and limit is not None
            and isinstance(issue.value, str)
            and len(issue.value) <= int(limit.group(1))
        )


class MaxBytesExclusive(JournalBug):
    """Refuses a journal string of exactly its x-max-utf8-bytes limit (512), taking the limit as exclusive."""

    rule = "validation.max-utf8-bytes"

    def append(self, record: Any) -> Any:
        if any(len(text.encode()) == 512 for text in strings(record)):
            raise InvalidInputError("a string is 512 UTF-8 bytes long; it must be shorter")
        return self.inner.append(record)


BUGS: tuple[type[Bug], ...] = (
    DropsUnknownKeys,
    IdempotenceIgnoresUnknownKeys,
    JournalConflictIgnoresUnknownKeys,
    RebuildsEnvelopesFromColumns,
    DropsRunEventTimestamps,
    NormalisesUnicode,
    NumbersAsDoubles,
    MinusZeroFolded,
    RunNumbersAsDoubles,
    JournalNumbersAsDoubles,
    ChecksTopLevelOnly,
    AcceptsIntegralFloats,
    CountsCharactersNotBytes,
    MaxBytesExclusive,
)
"""Bugs in how documents are kept, returned and checked."""
