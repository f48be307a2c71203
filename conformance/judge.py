"""Decide whether an operation's outcome meets its expectation, and say why not."""

from __future__ import annotations

import itertools
import json
from typing import Any

from .ops import Outcome


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 400 else text[:400] + "..."


def matches(actual: Any, pattern: Any) -> bool:
    """`match` semantics: objects compare only the pattern's keys, arrays element by element
    (same length), anything else by equality (`1` and `1.0` differ, as on the wire)."""
    if isinstance(pattern, dict):
        return isinstance(actual, dict) and all(k in actual and matches(actual[k], v) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(actual, list) and len(actual) == len(pattern) and all(map(matches, actual, pattern))
    return type(actual) is type(pattern) and actual == pattern


def _event_ids(result: Any) -> list[Any] | None:
    if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
        return None
    return [item.get("event_id") for item in result]


def _in_blocks(ids: list[Any], blocks: list[list[str]]) -> bool:
    """Whether `ids` is the blocks concatenated in some order (each block kept contiguous)."""
    return any(ids == [i for block in order for i in block] for order in itertools.permutations(blocks))


def verdict(outcome: Outcome, expect: dict[str, Any]) -> str | None:
    """None when the outcome meets the expectation, else a readable explanation."""
    ((kind, wanted),) = expect.items()
    if outcome.error is not None and kind != "error":
        return f"raised {outcome.error}: {outcome.message}"
    if kind == "error":
        if outcome.error == wanted:
            return None
        if outcome.error is None:
            return f"expected error {wanted}, got result {_show(outcome.result)}"
        return f"expected error {wanted}, got error {outcome.error}: {outcome.message}"
    result = outcome.result
    if kind == "result":
        same = json.dumps(result, sort_keys=True) == json.dumps(wanted, sort_keys=True)
        return None if same else f"expected result {_show(wanted)}\n     got result {_show(result)}"
    if kind == "match":
        return (
            None if matches(result, wanted) else f"expected a result matching {_show(wanted)}\n     got {_show(result)}"
        )
    if kind == "count_in":
        size = len(result) if isinstance(result, list) else None
        return None if size in wanted else f"expected a list of length in {wanted}, got length {size}"
    ids = _event_ids(result)
    if ids is None:
        return f"expected a list of envelopes, got {_show(result)}"
    if kind == "ids":
        return None if ids == wanted else f"expected event ids {_show(wanted)}\n     got event ids {_show(ids)}"
    if kind == "blocks":
        shown = f"{len(ids)} ids starting {_show(ids[:5])}"
        return None if _in_blocks(ids, wanted) else f"expected {len(wanted)} contiguous blocks, got {shown}"
    raise ValueError(f"unknown expectation {kind!r}")
