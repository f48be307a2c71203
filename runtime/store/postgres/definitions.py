"""What `verify` compares a schema's append-only triggers and their functions with: the
definitions `schema.MIGRATIONS` creates, read from that SQL when verify runs (so the check
follows the migrations, never a copy of them).

A function is compared by its body (PostgreSQL keeps `prosrc` verbatim). A trigger is compared by
its shape (table, timing, events, level, transition table or deferral, function), parsed the
same way from the migration's `CREATE TRIGGER` and from `pg_get_triggerdef`, which writes the
events in its own order and its own spacing; it must also be enabled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from ..database import definition_differences
from .schema import MIGRATIONS

_FUNCTION = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\s*\([^)]*\)\s+RETURNS\s+(?:TABLE\s*\([^)]*\)|\w+)"
    r"[^$]*?\bAS\s+\$(\w*)\$(.*?)\$\2\$",  # LANGUAGE, SECURITY DEFINER, SET ... in any order before AS
    re.DOTALL | re.IGNORECASE,
)
_STATEMENT = re.compile(
    r"\x00(\d+)\x00"  # a function, taken out of the text first (its body may hold anything)
    r"|(CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+(\w+)\b[^;]*)"
    r"|DROP\s+(FUNCTION|TRIGGER)\s+(?:IF\s+EXISTS\s+)?(\w+)",
    re.IGNORECASE,
)
_SCHEMA = r'(?:"(?:[^"]|"")*"\.|\w+\.)?'
"""A schema qualifier, which `pg_get_triggerdef` writes before the table (and before a function
not on the search path)."""
_SHAPE = re.compile(
    rf"CREATE (CONSTRAINT )?TRIGGER (\w+) (BEFORE|AFTER|INSTEAD OF) (.+?) ON {_SCHEMA}(\w+) (.*?)"
    rf"FOR EACH (ROW|STATEMENT) (?:WHEN (.+) )?EXECUTE (?:FUNCTION|PROCEDURE) {_SCHEMA}(\w+)\(\)",
    re.IGNORECASE,
)
Shape = tuple[object, ...]


@cache
def expected(migrations: Sequence[str] = MIGRATIONS) -> tuple[dict[str, str], dict[str, Shape]]:
    """The functions (name → body) and triggers (name → shape) the migrations leave, applied in
    order: a later `CREATE OR REPLACE` wins, a `DROP` removes."""
    functions: dict[str, str] = {}
    triggers: dict[str, Shape] = {}
    for migration in migrations:
        found, rest = _functions_out(migration)
        for statement in _STATEMENT.finditer(rest):
            number, trigger, trigger_name, dropped, dropped_name = statement.groups()
            if number is not None:
                function = found[int(number)]
                functions[function.group(1)] = function.group(3)
            elif trigger is not None:
                triggers[trigger_name] = shape(trigger)
            elif dropped.upper() == "FUNCTION":
                functions.pop(dropped_name, None)
            else:
                triggers.pop(dropped_name, None)
    return functions, triggers


def _functions_out(migration: str) -> tuple[list[re.Match[str]], str]:
    """The migration's function definitions, and its text with each replaced by its number."""
    found = list(_FUNCTION.finditer(migration))
    starts = {match.start(): number for number, match in enumerate(found)}
    return found, _FUNCTION.sub(lambda match: f"\x00{starts[match.start()]}\x00", migration)


def shape(definition: str) -> Shape:
    """What a `CREATE TRIGGER` statement says, whatever its spacing and event order; the text
    itself (spacing collapsed) when it has a form this parser does not know."""
    text = " ".join(definition.split())
    match = _SHAPE.fullmatch(text)
    if match is None:
        return (text,)
    constraint, name, timing, events, table, middle, level, when, function = match.groups()
    parts = frozenset(event.strip().upper() for event in events.split(" OR "))
    condition = _condition(when) if when else None
    return (bool(constraint), name, timing.upper(), parts, table, middle.strip(), level.upper(), condition, function)


def _condition(when: str) -> str:
    """A trigger's WHEN condition without spaces and without the redundant outer parentheses
    `pg_get_triggerdef` adds, so the migration's and the catalog's spellings compare equal."""
    text = "".join(when.split())
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def problems(functions: Iterable[tuple[str, str]], triggers: Iterable[tuple[str, str, str]]) -> list[str]:
    """How a schema's functions (name, body) and triggers (name, `tgenabled`, definition) differ
    from what the migrations create: missing, changed, disabled or extra."""
    want_functions, want_triggers = expected()
    found = definition_differences("function", want_functions, dict(functions), {}, extras=False)
    triggers = list(triggers)
    shapes = {name: shape(definition) for name, _, definition in triggers}
    found += definition_differences("trigger", want_triggers, shapes, {name: d for name, _, d in triggers})
    found += [
        f"trigger {name} is disabled or fires only in replication (tgenabled {enabled!r})"
        for name, enabled, _ in triggers
        if enabled != "O" and shapes[name] == want_triggers.get(name)
    ]
    return found
