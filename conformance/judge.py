"""Decide whether a call's outcome meets its expectation, and say why not.

Results are judged in serde's form (`operations.serde_form`), so a store is held to the values it
returns, never to how it spells them. A failure names the JSON pointer of the first difference
and both values with their JSON types, then the whole values.
"""

from __future__ import annotations

import itertools
import json
import math
import unicodedata
from typing import Any

from ledgerspec import Codec

from .operations import ResultError, describe, operations, serde_form
from .ops import RAW_READS, Outcome
from .steps import Call


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def first_difference(expected: Any, actual: Any, partial: bool = False, where: str = "") -> str | None:
    """`<pointer>: expected X (type), got Y (type)` for the first place `actual` differs from
    `expected`, or None when they are equal. Integers and floats differ (`1` is not `1.0`), as on
    the wire. With `partial`, objects compare only the keys `expected` has (`match`)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key not in actual:
                return f"{where}/{_escape(key)}: expected {describe(value)}, got no such key"
            found = first_difference(value, actual[key], partial, f"{where}/{_escape(key)}")
            if found is not None:
                return found
        if not partial:
            extra = next((key for key in actual if key not in expected), None)
            if extra is not None:
                return f"{where}/{_escape(extra)}: expected no such key, got {describe(actual[extra])}"
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(want, got, partial, f"{where}/{index}")
            if found is not None:
                return found
        if len(expected) != len(actual):
            return f"{where or '/'}: expected {len(expected)} items, got {len(actual)}"
        return None
    if type(expected) is type(actual) and expected == actual and _same_sign(expected, actual):
        return None
    shown = describe(expected), describe(actual)
    if unicodedata.normalize("NFKC", shown[0]) == unicodedata.normalize("NFKC", shown[1]):
        # Values that print alike (NFC and NFD forms of one text): show their code points.
        shown = describe(expected, ascii=True), describe(actual, ascii=True)
    return f"{where or '/'}: expected {shown[0]}, got {shown[1]}"


def _same_sign(expected: Any, actual: Any) -> bool:
    """False only for 0.0 against -0.0, which `==` calls equal but serde writes apart."""
    return not isinstance(expected, float) or math.copysign(1.0, expected) == math.copysign(1.0, actual)


def _event_ids(result: Any) -> list[Any] | None:
    if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
        return None
    return [item.get("event_id") for item in result]


def _in_blocks(ids: list[Any], blocks: list[list[str]]) -> bool:
    """Whether `ids` is the blocks concatenated in some order (each block kept contiguous)."""
    return any(ids == [i for block in order for i in block] for order in itertools.permutations(blocks))


class Judge:
    """Judges outcomes against expectations, reading results through `codec`."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec

    def verdict(self, call: Call, outcome: Outcome) -> str | None:
        """None when the outcome meets the call's expectation, else a readable explanation."""
        assert call.expect is not None, "a step read from the protocol has nothing to judge"
        kind, wanted = call.expect.kind, call.expect.value
        if outcome.error is not None:
            if kind == "error" and outcome.error == wanted:
                return None
            expected = f"error {wanted}" if kind == "error" else "a result"
            return f"expected {expected}, got error {outcome.error}: {outcome.message}"
        operation = operations()[call.op]
        try:
            result = serde_form(self.codec, operation, outcome.result)
        except ResultError as exc:
            return f"the result is not what {call.op} returns: {exc}\n  got: {_show(outcome.result)}"
        if kind == "error":
            return f"expected error {wanted}, got a result: {_show(result)}"
        if kind == "stored":
            if not outcome.as_stored:  # models hold no unknown key: they cannot show what was kept
                return (
                    f"the store gave models, not the documents it keeps: give it a raw reader "
                    f"({RAW_READS[call.op]}) so kept unknown keys can be shown"
                )
            difference = first_difference(wanted, outcome.result)
            if difference is None:
                return None
            return f"{difference}\n  expected: {_show(wanted)}\n  got:      {_show(outcome.result)}"
        if kind in ("result", "match"):
            difference = first_difference(wanted, result, partial=kind == "match")
            if difference is None:
                return None
            return f"{difference}\n  expected: {_show(wanted)}\n  got:      {_show(result)}"
        if kind == "count_in":
            size = len(result) if isinstance(result, list) else None
            return None if size in wanted else f"expected a list of length in {wanted}, got length {size}"
        ids = _event_ids(result)
        if ids is None:
            return f"expected a list of envelopes, got {_show(result)}"
        if kind == "ids":
            difference = first_difference(wanted, ids)
            return None if difference is None else f"event ids {difference}\n  expected: {wanted}\n  got:      {ids}"
        assert kind == "blocks"
        return None if _in_blocks(ids, wanted) else f"expected {len(wanted)} contiguous blocks of ids, got {ids}"
