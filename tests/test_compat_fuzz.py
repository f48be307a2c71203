"""Mutation fuzzing of the compat diff on the project's own schemas.

Each mutant is the schema set with one random edit of one type (a property added or dropped, a
bound moved, a union member added, a `$ref` retargeted, ...). Wherever the diff calls the mutant
compatible in a direction, documents of the writing version are validated under the reading
one: the valid value fixtures of every type that reaches the edited one, and documents
hypothesis-jsonschema generates from the edited type. One that the writer accepts and the reader
refuses refutes the verdict.

Writers never write a key their schema does not name (README, schema evolution: objects are
open, so an added optional property breaks nobody). A writer's document is therefore one its
version accepts with every object of named keys closed (`unevaluatedProperties: false` where a
value is such an object); keys a schema holds through a map or a free JSON value stay allowed.

`LEDGERSPEC_COMPAT_FUZZ=N` runs N mutants instead of the default 40 (about 20 s);
`LEDGERSPEC_COMPAT_FUZZ_SEED` picks another seed.
"""

from __future__ import annotations

import copy
import os
import random
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import referencing
import referencing.jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import HypothesisException
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ledgerspec.compat.diff import diff
from ledgerspec.conformance.values import load_corpus
from ledgerspec.python_engine import PythonValidator
from ledgerspec.schemaset import TypeEntry, closure, load_dir, rewrite_refs

REPO = Path(__file__).resolve().parents[1]
MUTANTS = int(os.environ.get("LEDGERSPEC_COMPAT_FUZZ", "40"))
SEED = int(os.environ.get("LEDGERSPEC_COMPAT_FUZZ_SEED", "0"))
GENERATED = 12
"""hypothesis documents tried per "compatible" direction of a mutant."""
BUDGET = 1.0
"""Seconds hypothesis may take to make them."""

Schema = dict[str, Any]
Entries = dict[str, TypeEntry]

# Subschema keywords, by where their subschemas apply: to the same instance (in place) or to a value in it.
_IN_PLACE = {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"}
_ONE = ("items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "contains")
_ONE += ("not", "if", "then", "else")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas", "$defs")
_TURNING = {"not", "if", "contains", "propertyNames"}
"""Below these, closing an object can let more documents through (or count differently): left as is."""


@dataclass(frozen=True)
class Position:
    """A subschema of a type's schema: its JSON pointer, the node, and how it applies."""

    pointer: str
    node: Schema
    in_place: bool
    turned: bool


def positions(schema: Any, pointer: str = "", in_place: bool = False, turned: bool = False) -> Iterator[Position]:
    """Every subschema of `schema` (itself first), keyword-aware."""
    if not isinstance(schema, dict):
        return
    yield Position(pointer, schema, in_place, turned)
    for key, value in schema.items():
        here = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        inner = key in _IN_PLACE, turned or key in _TURNING
        if key in _ONE:
            yield from positions(value, here, *inner)
        elif key in _LIST and isinstance(value, list):
            for index, member in enumerate(value):
                yield from positions(member, f"{here}/{index}", *inner)
        elif key in _MAP and isinstance(value, dict):
            for name, member in value.items():
                yield from positions(member, f"{here}/{name.replace('~', '~0').replace('/', '~1')}", *inner)


# -- the two sides: validators of writers' documents and of readers ------------------------------


def _resolve(ref: str, documents: dict[str, Schema]) -> Any:
    """The subschema an absolute reference reaches (None when it reaches nothing)."""
    document, _, fragment = ref.partition("#")
    node: Any = documents.get(document)
    for token in fragment.split("/")[1:]:
        node = node.get(token.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
    return node


def _names_keys(node: Any, uri: str, documents: dict[str, Schema], seen: frozenset[str] = frozenset()) -> bool:
    """Whether `node` or a subschema applied in place (references followed) names a property."""
    if not isinstance(node, dict):
        return False
    if isinstance(node.get("properties"), dict):
        return True
    ref = node.get("$ref")
    if isinstance(ref, str) and urljoin(uri, ref) not in seen:
        absolute = urljoin(uri, ref)
        if _names_keys(_resolve(absolute, documents), absolute.partition("#")[0], documents, seen | {absolute}):
            return True
    members = [value for key, value in node.items() if key in ("not", "if", "then", "else")]
    members += [m for key in ("allOf", "anyOf", "oneOf") for m in node.get(key, []) if isinstance(node.get(key), list)]
    return any(_names_keys(member, uri, documents, seen) for member in members)


class Side:
    """One version of the set: its reader validators, and its writer validators (objects of
    named keys closed)."""

    def __init__(self, entries: Entries) -> None:
        self.entries = entries
        self.documents = {entry.uri: entry.schema for entry in entries.values()}
        spec = referencing.jsonschema.DRAFT202012
        self.registries = {
            writer: referencing.Registry().with_resources(
                (entry.uri, spec.create_resource(self._form(entry, writer))) for entry in entries.values()
            )
            for writer in (False, True)
        }
        self._validators: dict[tuple[str, bool], Any] = {}

    def _form(self, entry: TypeEntry, writer: bool) -> Schema:
        form = {key: value for key, value in copy.deepcopy(entry.schema).items() if key != "$schema"}
        if writer:
            for at in list(positions(form)):
                if at.pointer and not at.in_place and not at.turned and _names_keys(at.node, entry.uri, self.documents):
                    at.node.setdefault("unevaluatedProperties", False)
        return form

    def accepts(self, type_name: str, document: Any, writer: bool) -> bool:
        """Whether this version's reader (or writer) accepts `document` as a `type_name`."""
        key = (type_name, writer)
        if key not in self._validators:
            uri = self.entries[type_name].uri
            root: Schema = {"$ref": uri}
            if writer and _names_keys(root, uri, self.documents):
                root["unevaluatedProperties"] = False
            self._validators[key] = PythonValidator(
                root, registry=self.registries[writer], format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return bool(self._validators[key].is_valid(document))

    def generation_schema(self, type_name: str) -> Schema:
        """The type with its references inlined and its objects of named keys closed by
        `additionalProperties` where that means the same, for hypothesis-jsonschema (which
        ignores `unevaluatedProperties`); what it generates is still checked by `accepts`."""
        entry = self.entries[type_name]
        inlined = _inline(rewrite_refs(entry.schema, entry.uri, lambda ref: ref), self.documents, 0)
        for at in list(positions(inlined)):
            node = at.node
            applied = {"allOf", "anyOf", "oneOf", "if", "dependentSchemas", "patternProperties", "additionalProperties"}
            if not at.in_place and not at.turned and "properties" in node and not applied & node.keys():
                node["additionalProperties"] = False
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **inlined}


def _inline(node: Any, documents: dict[str, Schema], depth: int) -> Any:
    """`node` (references absolute) with each `$ref` replaced by its target's keywords, merged in
    when they do not collide, else as an `allOf` member; deeper than 8 references, by `{}`."""
    if isinstance(node, list):
        return [_inline(item, documents, depth) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: value if key in ("const", "enum", "default", "examples") else _inline(value, documents, depth)
        for key, value in node.items()
        if key not in ("$ref", "$id", "$schema", "$defs", "$comment", "description", "title", "discriminator")
    }
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _resolve(ref, documents) if depth < 8 else {}
        absolute = rewrite_refs(target, ref.partition("#")[0], lambda r: r) if isinstance(target, dict) else {}
        inlined = _inline(absolute, documents, depth + 1)
        if inlined.keys() & out.keys():
            out.setdefault("allOf", []).append(inlined)
        else:
            out.update(inlined)
    return out


# -- mutations -----------------------------------------------------------------------------------

LEAVES: list[Schema] = [
    {"type": "string"},
    {"type": "string", "maxLength": 3},
    {"type": "integer", "minimum": 0},
    {"type": "null"},
    {"type": "boolean"},
    {},
    {"enum": ["a", "b"]},
    {"const": 1},
    {"type": "array", "items": {"type": "string"}},
    {"type": "object", "properties": {"k": {"type": "string"}}, "required": ["k"]},
]
TYPES = ["string", "integer", "number", "boolean", "null", "object", "array"]
PATTERNS = ["^[a-z]*$", "^.{0,8}$", "^[0-9a-f-]+$", "^x"]
FORMATS = ["uuid", "date-time", "email", "float", "double"]

Mutation = Callable[[random.Random, Schema, "Context"], str | None]
"""Edits a node in place and says how, or returns None (and leaves it) when it does not apply."""


@dataclass(frozen=True)
class Context:
    """What a mutation may point a `$ref` at, relative to the mutated type."""

    namespace: str
    types: list[TypeEntry]

    def ref(self, rng: random.Random) -> tuple[str, str]:
        target = rng.choice(self.types)
        same = target.namespace == self.namespace
        return target.qualified, f"{target.stem}.json" if same else f"../{target.namespace}/{target.stem}.json"


def _leaf(rng: random.Random) -> Schema:
    return copy.deepcopy(rng.choice(LEAVES))


def add_property(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if not isinstance(node.get("properties"), dict):
        return None
    name = f"fz{rng.randrange(100)}"
    node["properties"][name] = _leaf(rng) if rng.random() < 0.7 else {"$ref": ctx.ref(rng)[1]}
    if rng.random() < 0.4:
        node["required"] = [*node.get("required", []), name]
        return f"required property {name} added"
    return f"optional property {name} added"


def remove_property(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    properties = node.get("properties")
    if not isinstance(properties, dict) or not properties:
        return None
    name = rng.choice(sorted(properties))
    del properties[name]
    if name in node.get("required", []):
        node["required"] = [n for n in node["required"] if n != name]
    return f"property {name} removed"


def toggle_required(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    properties = node.get("properties")
    if not isinstance(properties, dict) or not properties:
        return None
    name = rng.choice(sorted(properties))
    required = node.get("required", [])
    node["required"] = [n for n in required if n != name] if name in required else [*required, name]
    return f"{name} required toggled"


def change_type(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "type" not in node:
        return None
    before = node["type"]
    names = [before] if isinstance(before, str) else list(before)
    choice = rng.random()
    if choice < 0.4 and len(names) > 1:
        names.remove(rng.choice(names))
    elif choice < 0.7:
        names.append(rng.choice([t for t in TYPES if t not in names]))
    else:
        names = [rng.choice(TYPES)]
    node["type"] = names[0] if len(names) == 1 else names
    return f"type {before} -> {node['type']}"


def move_bound(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    keys = {"string": ("minLength", "maxLength", "x-max-utf8-bytes"), "array": ("minItems", "maxItems")}
    kinds = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    candidates = [k for kind in kinds for k in keys.get(str(kind), ())]
    numeric = {"integer", "number"} & set(map(str, kinds))
    candidates += ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] if numeric else []
    candidates += [k for k in ("minProperties", "maxProperties") if "object" in kinds]
    if not candidates:
        return None
    keyword = rng.choice(candidates)
    before = node.get(keyword)
    if before is not None and rng.random() < 0.3:
        del node[keyword]
    else:
        base = before if isinstance(before, int | float) and not isinstance(before, bool) else rng.choice([0, 1, 3, 8])
        value = base + rng.choice([-2, -1, 1, 2, 5])
        node[keyword] = value if keyword in ("minimum", "maximum") or keyword.startswith("exclusive") else max(0, value)
    return f"{keyword} {before} -> {node.get(keyword)}"


def change_pattern(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "pattern" not in node and node.get("type") != "string":
        return None
    before = node.get("pattern")
    if before is not None and rng.random() < 0.4:
        del node["pattern"]
    else:
        node["pattern"] = rng.choice([p for p in PATTERNS if p != before])
    return f"pattern {before} -> {node.get('pattern')}"


def change_format(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "format" not in node and node.get("type") not in ("string", "number"):
        return None
    before = node.get("format")
    if before is not None and rng.random() < 0.5:
        del node["format"]
    else:
        node["format"] = rng.choice([f for f in FORMATS if f != before])
    return f"format {before} -> {node.get('format')}"


def change_values(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if isinstance(node.get("enum"), list) and node["enum"]:
        values = node["enum"]
        choice = rng.random()
        if choice < 0.4 and len(values) > 1:
            values.remove(rng.choice(values))
        elif choice < 0.8:
            values.append(f"fz{rng.randrange(100)}")
        else:
            node["const"] = node.pop("enum")[0]
        return "enum changed"
    if "const" in node:
        before = node["const"]
        if rng.random() < 0.5:
            node["enum"] = [node.pop("const"), "fz"]
        else:
            node["const"] = f"{before}x" if isinstance(before, str) else "fz"
        return f"const {before} changed"
    return None


def change_union(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    keyword = next((k for k in ("oneOf", "anyOf", "allOf") if isinstance(node.get(k), list)), None)
    if keyword is None:
        return None
    members = node[keyword]
    if rng.random() < 0.5 and len(members) > 1:
        members.pop(rng.randrange(len(members)))
        return f"{keyword} member removed"
    members.append(_leaf(rng) if rng.random() < 0.5 else {"$ref": ctx.ref(rng)[1]})
    return f"{keyword} member added: {members[-1]}"


def close_or_open(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "properties" not in node and node.get("type") != "object" and "additionalProperties" not in node:
        return None
    keyword = rng.choice(["additionalProperties", "unevaluatedProperties"])
    before = node.get(keyword)
    options = [False, True, {"type": "string"}, None]
    after = rng.choice([o for o in options if o != before])
    if after is None:
        node.pop(keyword, None)
    else:
        node[keyword] = after
    return f"{keyword} {before} -> {after}"


def change_items(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if node.get("type") != "array" and "items" not in node:
        return None
    choice = rng.random()
    if choice < 0.3:
        node["items"] = _leaf(rng)
    elif choice < 0.5:
        node["prefixItems"] = [_leaf(rng)]
    elif choice < 0.7:
        node["uniqueItems"] = not node.get("uniqueItems", False)
    elif choice < 0.85:
        node["contains"] = _leaf(rng)
    else:
        node["unevaluatedItems"] = rng.choice([False, {"type": "string"}])
    return "array keywords changed"


def wrap_nullable(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "anyOf" in node and {"type": "null"} in node["anyOf"]:
        node["anyOf"].remove({"type": "null"})
        return "null variant removed"
    inner = {key: node.pop(key) for key in list(node) if key not in ("description", "title", "$id", "$schema")}
    node["anyOf"] = [inner, {"type": "null"}]
    return "wrapped in anyOf with null"


def retarget_ref(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if not isinstance(node.get("$ref"), str):
        return None
    before = node["$ref"]
    name, node["$ref"] = ctx.ref(rng)
    return f"$ref {before} -> {name}"


def add_negation(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "not" in node:
        del node["not"]
        return "not removed"
    node["not"] = rng.choice([{"type": "null"}, {"const": ""}, {"maxLength": 2}, {"const": 0}, {"required": ["fz"]}])
    return f"not {node['not']} added"


def add_condition(rng: random.Random, node: Schema, ctx: Context) -> str | None:
    if "if" in node:
        node["if"] = {"not": node["if"]}
        return "if negated"
    node["if"] = rng.choice([{"type": "string"}, {"required": ["type"]}, {"type": "object"}])
    node["then"] = rng.choice([{"maxLength": 4}, {"required": ["fz"]}, {"minProperties": 2}])
    return f"if {node['if']} then {node['then']} added"


MUTATIONS: list[Mutation] = [
    add_property,
    remove_property,
    toggle_required,
    change_type,
    move_bound,
    change_pattern,
    change_format,
    change_values,
    change_union,
    close_or_open,
    change_items,
    wrap_nullable,
    retarget_ref,
    add_negation,
    add_condition,
]


@dataclass(frozen=True)
class Mutant:
    """The set with one edit: which type, where, what."""

    entries: Entries
    type: str
    pointer: str
    what: str


def mutate(base: Entries, rng: random.Random) -> Mutant:
    """A mutant of `base` that is still a valid schema set."""
    context_types = list(base.values())
    while True:
        name = rng.choice(sorted(base))
        mutation = rng.choice(MUTATIONS)
        entry = base[name]
        schema = copy.deepcopy(entry.schema)
        at = rng.choice(list(positions(schema)))
        what = mutation(rng, at.node, Context(entry.namespace, context_types))
        if what is None:
            continue
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError:
            continue
        head = dict(base) | {name: TypeEntry(entry.namespace, entry.stem, entry.uri, schema)}
        return Mutant(head, name, at.pointer, f"{mutation.__name__}: {what}")


# -- the search ----------------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Generation ran past its budget (a BaseException, so hypothesis does not take it for a failing example)."""


def _out_of_time(signum: int, frame: Any) -> None:
    raise _OutOfTime


def _generated(side: Side, type_name: str) -> list[Any]:
    """Documents hypothesis-jsonschema makes from `type_name` of `side` within `BUDGET` seconds
    (some schemas make it search for minutes); none when it cannot handle the schema."""
    found: list[Any] = []

    @settings(
        max_examples=GENERATED,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(side.generation_schema(type_name)))
    def collect(document: Any) -> None:
        found.append(document)

    previous = signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, BUDGET, 0.1)  # again every 0.1 s, should one land where it is swallowed
    try:
        collect()
    except (HypothesisException, ValueError, AssertionError, RecursionError, _OutOfTime):  # its own limits
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return found


@dataclass
class Search:
    """Counterexamples found, and how much was tried."""

    refuted: list[str]
    verdicts: int = 0
    documents: int = 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a budget alarm in a gc callback
def test_no_compatible_verdict_on_a_mutant_has_a_counterexample() -> None:
    base_entries = load_dir(REPO / "schemas")
    base = Side(base_entries)
    fixtures: dict[str, list[Any]] = {}
    for file in load_corpus(REPO / "conformance" / "fixtures" / "values"):
        fixtures.setdefault(file.type, []).extend(case.document for case in file.valid)
    reaching = {name: closure(base_entries, [name]) for name in base_entries}
    rng = random.Random(SEED)
    search = Search([])
    for _ in range(MUTANTS):
        mutant = mutate(base_entries, rng)
        head = Side(mutant.entries)
        changes = diff(base_entries, mutant.entries)
        users = [name for name, reached in reaching.items() if mutant.type in reached]
        for direction, writer, reader in (("backward", base, head), ("forward", head, base)):
            if any(getattr(change, direction) == "breaking" for change in changes):
                continue
            search.verdicts += 1
            tried = [(name, doc) for name in users for doc in fixtures.get(name, [])]
            tried += [(mutant.type, doc) for doc in _generated(writer, mutant.type)]
            for name, document in tried:
                if not writer.accepts(name, document, writer=True):
                    continue
                search.documents += 1
                if not reader.accepts(name, document, writer=False):
                    search.refuted.append(
                        f"{mutant.type}{mutant.pointer} {mutant.what}: {direction} compatible, "
                        f"but {name} {document!r} is refused"
                    )
                    break
    print(f"{MUTANTS} mutants, {search.verdicts} compatible verdicts, {search.documents} writer documents tried")
    assert not search.refuted, "\n".join(search.refuted)
    assert search.documents > MUTANTS
