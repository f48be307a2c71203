"""Structural diff of two versions of the schema set, type by type, with a rule id per change.

Each type present in both versions is compared on its own, keyword by keyword, recursing through
its subschemas with JSON-pointer paths. A `$ref` is compared by the qualified name of the type it
resolves to, so changes inside a referenced type are reported under that type and a reference
rewritten to an equivalent relative path is no change. Union members are matched by their `$ref`
target or, inline, by their tag `const`; reordering members or `properties` is no change. Every
keyword the diff does not interpret is still compared (`keyword-changed`), so nothing is missed.

A rule's directions hold where a subschema counts positively (accepting more means the whole
accepts more). Under `not` they swap; under `if`, a `oneOf` whose members may overlap, or a
`contains` bounded by `maxContains`, a change can move documents either way, so it breaks both.
A subschema is settled only when it is identical in both versions and nothing it references
changed: a referenced type's changes are judged in that type, positively, so a reference in
another position is reported where it sits (`ref-target-changed`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urldefrag, urljoin

from ..schemaset import TypeEntry, free_value, rewrite_refs
from .changes import Change, Direction
from .rules import RULES

Schema = dict[str, Any]


class _Missing(enum.Enum):
    """An absent keyword, distinct from a JSON `null`."""

    MISSING = enum.auto()


MISSING = _Missing.MISSING

Polarity = Literal["positive", "negative", "both"]
"""How a subschema's accepted set counts for the whole: as is, inverted (`not`), or either way."""

_ANNOTATIONS = {
    "description": "description-changed",
    "title": "title-changed",
    "$comment": "annotation-changed",
    "examples": "annotation-changed",
    "deprecated": "annotation-changed",
    "readOnly": "annotation-changed",
    "writeOnly": "annotation-changed",
    "contentMediaType": "annotation-changed",
    "contentEncoding": "annotation-changed",
    "contentSchema": "annotation-changed",
    "discriminator": "discriminator-changed",
    "$id": "id-changed",
    "x-skip-serializing-if": "skip-serializing-if-changed",
    "x-canonical": "canonical-changed",
}
_SIZES: dict[str, tuple[str, bool]] = {
    "minLength": ("min-length", True),
    "maxLength": ("max-length", False),
    "x-max-utf8-bytes": ("max-utf8-bytes", False),
    "minItems": ("min-items", True),
    "maxItems": ("max-items", False),
    "minContains": ("min-contains", True),
    "maxContains": ("max-contains", False),
    "minProperties": ("min-properties", True),
    "maxProperties": ("max-properties", False),
}
_LOWER = ("minimum", "exclusiveMinimum")
_UPPER = ("maximum", "exclusiveMaximum")
_OPEN_BY_DEFAULT = ("items", "unevaluatedItems", "propertyNames", "then", "else")
"""Subschema keywords whose absence means `{}`: appearing is a change inside `{}`."""
_CLOSABLE = ("additionalProperties", "unevaluatedProperties")
_UNIONS = ("anyOf", "oneOf")
_MAPS = {
    "patternProperties": ("constraint-added", "constraint-removed"),
    "dependentSchemas": ("constraint-added", "constraint-removed"),
    "$defs": ("definition-added", "definition-removed"),
}
_EVALUATED = {
    "unevaluatedProperties": ("evaluated-properties-gained", "evaluated-properties-lost"),
    "unevaluatedItems": ("evaluated-items-gained", "evaluated-items-lost"),
}
"""The rules of a key or array position moving to or from an `unevaluated*` keyword."""
_EVERY = {"unevaluatedProperties": "every key", "unevaluatedItems": "every item"}
"""What a subschema evaluating all keys or all items (`additionalProperties`, `items`) evaluates."""
_GENERIC = ("multipleOf", "dependentRequired", "uniqueItems")
_TURNING: dict[str, Polarity] = {"not": "negative", "if": "both", "contains": "positive"}
"""Subschema keywords compared in place when present in both versions, with the polarity their
subschema has (`contains` is `both` when `maxContains` bounds it: more matches can exceed it)."""
_UNKNOWN = ("keyword-changed", "keyword-changed", "keyword-changed")
_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
_HANDLED = frozenset(
    {
        *_ANNOTATIONS,
        *_SIZES,
        *_LOWER,
        *_UPPER,
        *_OPEN_BY_DEFAULT,
        *_CLOSABLE,
        *_MAPS,
        *_GENERIC,
        *_TURNING,
        "type",
        "enum",
        "const",
        "pattern",
        "format",
        "default",
        "required",
        "properties",
        "allOf",
        "anyOf",
        "oneOf",
        "prefixItems",
        "$ref",
    }
)


class Judged(NamedTuple):
    """Directions a change is given beyond its rule's defaults (None: the rule's own)."""

    backward: Direction | None = None
    forward: Direction | None = None


def diff(base: Mapping[str, TypeEntry], head: Mapping[str, TypeEntry]) -> list[Change]:
    """Every change from `base` to `head`, sorted by type, path and rule."""
    names = {entry.uri: name for entries in (base, head) for name, entry in entries.items()}
    variants = _variants(base, names)
    for name, variant in _variants(head, names).items():
        variants.setdefault(name, _Variant()).merge(variant)
    changes = [_change("type-removed", name, "", name, None) for name in sorted(base.keys() - head.keys())]
    changes += [_change("type-added", name, "", None, name) for name in sorted(head.keys() - base.keys())]
    versions = _Versions(base, head)
    for name in sorted(base.keys() & head.keys()):
        old, new = base[name], head[name]
        walker = _Walker(name, old.uri, new.uri, names, variants.get(name, _Variant()), versions)
        walker.compare(old.schema, new.schema, "")
        changes += walker.changes
    return sorted(changes, key=lambda change: (change.type, change.path, change.rule))


def _change(
    rule: str,
    type_name: str,
    path: str,
    old: Any,
    new: Any,
    backward: Direction | None = None,
    forward: Direction | None = None,
) -> Change:
    default = RULES[rule]
    return Change(
        rule,
        type_name,
        path,
        None if old is MISSING else old,
        None if new is MISSING else new,
        backward or default.backward,
        forward or default.forward,
    )


@dataclass
class _Variant:
    """How a type is used as a union variant: its tag properties, or externally tagged."""

    tags: set[str] = field(default_factory=set)
    external: bool = False

    def merge(self, other: _Variant) -> None:
        self.tags |= other.tags
        self.external = self.external or other.external


def _variants(entries: Mapping[str, TypeEntry], names: Mapping[str, str]) -> dict[str, _Variant]:
    """The variant types of every `oneOf` of `$ref`s at the top of a type, by qualified name."""
    found: dict[str, _Variant] = {}
    for entry in entries.values():
        members = entry.schema.get("oneOf")
        if not isinstance(members, list):
            continue
        tag = _discriminator(entry.schema)
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            if not isinstance(ref, str):
                continue
            target = names.get(urljoin(entry.uri, ref))
            if target is None:
                continue
            variant = found.setdefault(target, _Variant())
            if tag is None:
                variant.external = True
            else:
                variant.tags.add(tag)
    return found


def _discriminator(schema: Schema) -> str | None:
    hint = schema.get("discriminator")
    name = hint.get("propertyName") if isinstance(hint, dict) else None
    return name if isinstance(name, str) else None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _same(a: Any, b: Any) -> bool:
    """JSON equality: `true` is not `1`, `1` is `1.0`, object key order is irrelevant."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _type_set(value: Any) -> frozenset[str] | None:
    """The instance types a `type` keyword admits (integers inside numbers); None when malformed."""
    if value is MISSING:
        return _ALL_TYPES
    if isinstance(value, str):
        names = {value}
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        names = set(value)
    else:
        return None
    return frozenset(names | {"integer"} if "number" in names else names)


def _closed(schema: Any) -> bool:
    return schema is False or (isinstance(schema, dict) and schema.keys() == {"not"} and _same(schema["not"], {}))


def _closed_object(schema: Schema) -> bool:
    """Whether the object holds a key it does not name to anything: refuses it (`false`) or
    checks it against a schema that can refuse some value (a map's value schema). Adding or
    removing a named property then changes what that key may hold, for one side or the other."""
    return any(
        keyword in schema and (_closed(schema[keyword]) or not (schema[keyword] is True or free_value(schema[keyword])))
        for keyword in _CLOSABLE
    )


def _allowed(schema: Schema) -> tuple[str, list[Any]] | None:
    """The values an `enum` or `const` restricts the instance to, with the keyword used."""
    if "enum" in schema:
        return "enum", schema["enum"]
    if "const" in schema:
        return "const", [schema["const"]]
    return None


def _bound(schema: Schema, keywords: tuple[str, str], lower: bool) -> tuple[Any, int] | None:
    """The effective bound of `minimum`/`exclusiveMinimum` (or the maximum pair) as a sortable key.

    A larger lower key and a smaller upper key are tighter; None is unbounded. Raises ValueError
    when a bound is not a number.
    """
    best: tuple[Any, int] | None = None
    for keyword, exclusive in zip(keywords, (False, True), strict=True):
        value = schema.get(keyword, MISSING)
        if value is MISSING:
            continue
        if not _is_number(value):
            raise ValueError(keyword)
        key = (value, int(exclusive) if lower else int(not exclusive))
        best = key if best is None else (max if lower else min)(best, key)
    return best


def _strip_tag(schema: Any, tag: str) -> Any:
    """`schema` without the `const` of its tag property (to recognise a renamed inline variant)."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not isinstance(properties.get(tag), dict):
        return schema
    stripped = {key: value for key, value in properties[tag].items() if key != "const"}
    return {**schema, "properties": {**properties, tag: stripped}}


def _turned(change: Change, polarity: Polarity) -> Change:
    """`change` where its subschema counts at `polarity`: swapped under `not`, breaking both ways
    where either way is possible. A compatible-both-ways rule that is no annotation (an optional
    property added: compatible only because writers never wrote it) breaks both ways there."""
    if polarity == "both" or (change.backward, change.forward) == ("compatible", "compatible"):
        return dataclasses.replace(change, backward="breaking", forward="breaking")
    return dataclasses.replace(change, backward=change.forward, forward=change.backward)


def _open(schema: Any) -> bool:
    """Whether an `unevaluatedProperties`/`unevaluatedItems` value judges nothing (absent, `true`
    or annotations only)."""
    return schema is MISSING or schema is True or free_value(schema)


def _unless(safe: bool) -> Direction:
    return "compatible" if safe else "breaking"


def _compose(outer: Polarity, inner: Polarity) -> Polarity:
    """The polarity of a subschema at `inner` inside a position of polarity `outer`."""
    if "both" in (outer, inner):
        return "both"
    return "positive" if outer == inner else "negative"


def _refs(value: Any, uri: str) -> Iterator[str]:
    """The absolute references anywhere in `value` (a schema, a list or map of them), resolved
    against `uri`. Any `"$ref"` string counts, even inside a `const`: one too many only costs a
    closer look."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            yield urljoin(uri, ref)
        for item in value.values():
            yield from _refs(item, uri)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item, uri)


def _absolute(schema: Any, uri: str) -> Any:
    """`schema` with its references made absolute, to compare subschemas taken from different files."""
    return rewrite_refs(schema, uri, lambda ref: ref) if isinstance(schema, dict) else schema


class _Side:
    """One version's schema files, to follow an absolute reference to the subschema it reaches."""

    def __init__(self, entries: Mapping[str, TypeEntry]) -> None:
        self.documents = {entry.uri: entry.schema for entry in entries.values()}

    def resolve(self, absolute: str) -> Any:
        """The subschema `absolute` reaches (a file, or a JSON pointer into one), or MISSING."""
        document, fragment = urldefrag(absolute)
        node: Any = self.documents.get(document, MISSING)
        if fragment and not fragment.startswith("/"):
            return MISSING
        for token in fragment.split("/")[1:]:
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return MISSING
        return node


class _Versions:
    """Both versions, and which references reach something that changed between them."""

    def __init__(self, base: Mapping[str, TypeEntry], head: Mapping[str, TypeEntry]) -> None:
        self.base, self.head = _Side(base), _Side(head)
        self._changed: dict[str, bool] = {}

    def changed(self, absolute: str) -> bool:
        """Whether what `absolute` reaches differs, itself or through the references it holds
        (a reference cycle adds nothing: while one is followed, it counts as unchanged)."""
        if absolute not in self._changed:
            self._changed[absolute] = False
            old, new = self.base.resolve(absolute), self.head.resolve(absolute)
            document = urldefrag(absolute)[0]
            self._changed[absolute] = (
                old is MISSING
                or new is MISSING
                or not _same(old, new)
                or any(self.changed(ref) for ref in _refs(old, document))
            )
        return self._changed[absolute]


# -- what a union member surely requires (to prove `oneOf` members disjoint) ----------------------


@dataclass
class _Facts:
    """Necessary conditions on every instance a schema accepts, enough to prove two union
    members disjoint: its possible types, its allowed values, and for objects the keys it
    requires, the values it allows a key (a tag) and the only keys it allows (when closed)."""

    types: frozenset[str] = _ALL_TYPES
    values: list[Any] | None = None
    required: set[str] = field(default_factory=set)
    tags: dict[str, list[Any]] = field(default_factory=dict)
    keys: frozenset[str] | None = None


def _value_types(value: Any) -> frozenset[str]:
    """The `type` names a JSON value satisfies (an integral number is an integer and a number)."""
    if value is None:
        return frozenset({"null"})
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if _is_number(value):
        return frozenset({"integer", "number"}) if float(value).is_integer() else frozenset({"number"})
    return frozenset({"string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"})


def _facts(schema: Any, uri: str, side: _Side, depth: int = 0) -> _Facts:
    """What `schema` surely requires, gathered from it and from its `allOf` members and `$ref`
    (conjuncts: each adds conditions). Whatever cannot be read adds nothing."""
    facts = _Facts()
    if not isinstance(schema, dict) or depth > 16:
        return facts
    types = _type_set(schema.get("type", MISSING))
    allowed = _allowed(schema)
    if allowed is not None and isinstance(allowed[1], list):
        facts.values = allowed[1]
        types = (types or _ALL_TYPES) & frozenset().union(*map(_value_types, allowed[1]))
    facts.types = types if types is not None else _ALL_TYPES
    required = schema.get("required")
    facts.required = {name for name in required if isinstance(name, str)} if isinstance(required, list) else set()
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    dependent = schema.get("dependentSchemas")
    for key in properties.keys() | (dependent.keys() if isinstance(dependent, dict) else set()):
        for holder in (schema, dependent.get(key) if isinstance(dependent, dict) else None):
            tag = holder.get("properties", {}).get(key) if isinstance(holder, dict) else None
            values = _allowed(tag) if isinstance(tag, dict) else None
            if values is not None and isinstance(values[1], list):
                facts.tags[key] = values[1]
    if _closed(schema.get("additionalProperties")) and "patternProperties" not in schema:
        facts.keys = frozenset(properties)
    members = schema.get("allOf")
    conjuncts = [(member, uri) for member in members if isinstance(member, dict)] if isinstance(members, list) else []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        absolute = urljoin(uri, ref)
        conjuncts.append((side.resolve(absolute), urldefrag(absolute)[0]))
    for member, member_uri in conjuncts:
        facts = _conjoin(facts, _facts(member, member_uri, side, depth + 1))
    return facts


def _apart(members: list[Any], indices: list[int], side: _Side) -> bool:
    """Whether each member at `indices` is disjoint from every other member (references absolute)."""
    if not indices:
        return True
    facts = [_facts(member, "", side) for member in members]
    return all(_disjoint(facts[i], other) for i in indices for j, other in enumerate(facts) if j != i)


def _conjoin(a: _Facts, b: _Facts) -> _Facts:
    """The facts of an instance both `a` and `b` accept."""
    keys = a.keys if b.keys is None else b.keys if a.keys is None else a.keys & b.keys
    values = a.values if b.values is None else b.values if a.values is None else _common(a.values, b.values)
    return _Facts(a.types & b.types, values, a.required | b.required, {**b.tags, **a.tags}, keys)


def _common(a: list[Any], b: list[Any]) -> list[Any]:
    return [value for value in a if any(_same(value, other) for other in b)]


def _disjoint(a: _Facts, b: _Facts) -> bool:
    """Whether no instance can satisfy both: no type or value in common, or an object key one
    requires that the other refuses (another tag value, or a closed object not naming it)."""
    if not a.types & b.types:
        return True
    if a.values is not None and b.values is not None and not _common(a.values, b.values):
        return True
    return _refuses(a, b) or _refuses(b, a)


def _refuses(a: _Facts, b: _Facts) -> bool:
    """Whether `b` refuses every object `a` accepts, `a` accepting only objects."""
    if not a.types <= {"object"}:
        return False
    return any(
        (b.keys is not None and key not in b.keys)
        or (key in a.tags and key in b.tags and not _common(a.tags[key], b.tags[key]))
        for key in a.required
    )


# -- what subschemas applied in place evaluate (for moved properties, `unevaluated*`) -----------

Placement = Literal["always", "conditional", "member", "negated", "condition"]
"""Where a property's schema applies: to every instance; under `then`/`else`/`dependentSchemas`;
inside a union member (the union's rules judge members); under `not`; in an `if`, where it
constrains no value. Later ones win when nested."""
_PLACEMENTS: tuple[Placement, ...] = ("always", "conditional", "member", "negated", "condition")
_APPLIED: dict[str, Placement] = {
    "allOf": "always",
    "anyOf": "member",
    "oneOf": "member",
    "not": "negated",
    "if": "condition",
}


_NARROWS: dict[Placement, Judged] = {
    "conditional": Judged("breaking", "compatible"),
    "negated": Judged("compatible", "breaking"),
}
"""The directions of a property's schema appearing at a place of this kind (swapped: disappearing)."""


class _Place(NamedTuple):
    """One schema a property has among the subschemas applied to its object."""

    location: str
    kind: Placement
    schema: Any
    uri: str
    """What the schema's references resolve against."""
    home: str
    """The reference through which it was reached first ("" when inline): that subschema's own
    comparison sees the same places."""
    route: str
    """The applicators and references followed from the compared schema to this one
    (`/anyOf/0/$ref/allOf/1`): which subschema evaluates, when not every instance applies it."""


@dataclass
class _InPlace:
    """The object keys a schema and the subschemas it applies in place to the same instance
    (`allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `not`, `dependentSchemas`, `$ref`) name.

    `named` maps a property to the places of its schemas; `keys` and `items` are what an
    `unevaluatedProperties` or `unevaluatedItems` beside the schema no longer judges. What only
    some instances evaluate (a union member, a `then`, a `contains`) is qualified by its route:
    another subschema evaluating the same key does not stand in for it.
    """

    named: dict[str, list[_Place]] = field(default_factory=dict)
    patterns: list[tuple[str, _Place]] = field(default_factory=list)
    """`patternProperties` entries, by pattern: a key one matches is named there too."""
    keys: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    unknown: bool = False
    """A reference could not be followed: nothing can be said."""

    def places(self, name: str) -> list[_Place]:
        """Every place `name` is named: its properties and the patterns that may match it."""
        return self.named.get(name, []) + [place for pattern, place in self.patterns if _may_match(pattern, name)]


def _may_match(pattern: str, name: str) -> bool:
    """Whether `pattern` may match `name` (a pattern Python cannot read may)."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True


def _evaluation(schema: Any, uri: str, side: _Side) -> _InPlace:
    """What `schema` (at `uri`) and its in-place subschemas name and evaluate."""
    found = _InPlace()
    _gather(schema, uri, side, found, _Place("", "always", None, uri, "", ""), set())
    return found


def _gather(schema: Any, uri: str, side: _Side, found: _InPlace, at: _Place, seen: set[str]) -> None:
    """Add what `schema`, applied in place at `at` (its location, kind and home), names and evaluates."""
    if not isinstance(schema, dict):
        return
    where, placement, top = at.location, at.kind, not at.location
    properties = schema.get("properties")
    for name, value in properties.items() if isinstance(properties, dict) else ():
        if placement != "condition":
            place = _Place(f"{where}/properties/{_escape(name)}", placement, value, uri, at.home, at.route)
            found.named.setdefault(name, []).append(place)
    patterns = schema.get("patternProperties")
    for pattern, value in patterns.items() if isinstance(patterns, dict) and placement != "condition" else ():
        place = _Place(f"{where}/patternProperties/{_escape(pattern)}", placement, value, uri, at.home, at.route)
        found.patterns.append((pattern, place))
    if placement != "negated":  # `not` keeps no annotations
        _evaluates(schema, at, top, found)
    for keyword, members in _applied_in_place(schema):
        inner = max(placement, _APPLIED.get(keyword, "conditional"), key=_PLACEMENTS.index)
        for token, member in members:
            step = f"/{keyword}{token}"
            _gather(
                member, uri, side, found, at._replace(location=where + step, kind=inner, route=at.route + step), seen
            )
    ref = schema.get("$ref")
    if isinstance(ref, str):
        absolute = urljoin(uri, ref)
        target = side.resolve(absolute)
        if target is MISSING:
            found.unknown = True
        elif absolute not in seen:
            home = at.home or absolute
            _gather(
                target,
                urldefrag(absolute)[0],
                side,
                found,
                at._replace(location=absolute, home=home, route=f"{at.route}/$ref"),
                seen | {absolute},
            )


def _evaluates(schema: Schema, at: _Place, top: bool, found: _InPlace) -> None:
    """Add the keys and array positions `schema`, applied at `at`, evaluates: its properties and
    patterns, `prefixItems` positions, every key or item (`additionalProperties`, `items`, an inner
    `unevaluated*`), and the items its `contains` matches (which ones depends on its schema)."""

    def qualified(what: str) -> str:
        return what if at.kind == "always" else f"{what} at #{at.route}"

    properties = schema.get("properties")
    patterns = schema.get("patternProperties")
    prefix = schema.get("prefixItems")
    found.keys |= {qualified(f"property {name}") for name in properties} if isinstance(properties, dict) else set()
    found.keys |= {qualified(f"pattern {pattern}") for pattern in patterns} if isinstance(patterns, dict) else set()
    found.items |= {qualified(f"item {index}") for index in range(len(prefix))} if isinstance(prefix, list) else set()
    if "additionalProperties" in schema or (not top and "unevaluatedProperties" in schema):
        found.keys.add(qualified(_EVERY["unevaluatedProperties"]))
    if "items" in schema or (not top and "unevaluatedItems" in schema):
        found.items.add(qualified(_EVERY["unevaluatedItems"]))
    if "contains" in schema:
        found.items.add(f"contains at #{at.route}")


def _applied_in_place(schema: Schema) -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    """The in-place applicator keywords of `schema`, each with its subschemas and their pointer tokens."""
    for keyword in ("allOf", "anyOf", "oneOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            yield keyword, [(f"/{index}", member) for index, member in enumerate(members)]
    for keyword in ("if", "then", "else", "not"):
        if keyword in schema:
            yield keyword, [("", schema[keyword])]
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        yield "dependentSchemas", [(f"/{_escape(key)}", value) for key, value in dependent.items()]


class _Walker:
    """Compares the two versions of one type and collects the changes."""

    def __init__(
        self,
        type_name: str,
        base_uri: str,
        head_uri: str,
        names: Mapping[str, str],
        variant: _Variant,
        versions: _Versions,
    ):
        self.type = type_name
        self.base_uri = base_uri
        self.head_uri = head_uri
        self.names = names
        self.versions = versions
        self.polarity: Polarity = "positive"
        self.external = variant.external
        self.tag_paths: set[str] = set()
        for tag in variant.tags:
            self._add_tag_paths("", tag)
        self.changes: list[Change] = []

    def emit(
        self,
        rule: str,
        path: str,
        old: Any,
        new: Any,
        backward: Direction | None = None,
        forward: Direction | None = None,
    ) -> None:
        change = _change(rule, self.type, path, old, new, backward, forward)
        if self.polarity != "positive" and not RULES[rule].info:
            change = _turned(change, self.polarity)
        self.changes.append(change)

    def _within(self, polarity: Polarity) -> contextlib.AbstractContextManager[None]:
        """Compare (and emit) inside a position of `polarity` relative to the current one."""
        return self._at(_compose(self.polarity, polarity))

    @contextlib.contextmanager
    def _at(self, polarity: Polarity) -> Iterator[None]:
        outer, self.polarity = self.polarity, polarity
        try:
            yield
        finally:
            self.polarity = outer

    def settled(self, old: Any, new: Any) -> bool:
        """Whether two subschemas accept the same instances for the same reasons: identical, and
        no reference in them reaches anything that changed."""
        return _same(old, new) and not any(self.versions.changed(ref) for ref in _refs(old, self.base_uri))

    def _add_tag_paths(self, path: str, tag: str) -> None:
        token = _escape(tag)
        self.tag_paths.add(f"{path}/properties/{token}")
        self.tag_paths.add(f"{path}/dependentSchemas/{token}/properties/{token}")

    def target(self, ref: str, uri: str) -> str:
        """Qualified name of the type a `$ref` reaches (its absolute URI when outside the set)."""
        absolute = urljoin(uri, ref)
        return self.names.get(absolute, absolute)

    # -- schemas -------------------------------------------------------------------------------

    def compare(self, old: Any, new: Any, path: str) -> None:
        """Compare two subschemas at `path`."""
        if self.settled(old, new):
            return
        old = {} if old is True else old
        new = {} if new is True else new
        if old is False or new is False:
            self.emit("schema-opened" if old is False else "schema-closed", path, old, new)
            return
        if not isinstance(old, dict) or not isinstance(new, dict):
            self.emit("keyword-changed", path, old, new)
            return
        self._in_place(old, new, path)
        old, new = self._unwrap(old, new, path)
        for check in self._checks():
            check(old, new, path)
        for keyword in sorted((old.keys() | new.keys()) - _HANDLED):
            self._keyword(old, new, path, keyword, _UNKNOWN)

    def _checks(self) -> Iterable[Callable[[Schema, Schema, str], None]]:
        return (
            self._annotations,
            self._type,
            self._values,
            self._strings,
            self._bounds,
            self._sizes,
            self._object,
            self._closable,
            self._subschemas,
            self._combinators,
            self._prefix_items,
            self._maps,
            self._ref,
            self._turning,
            self._generic,
        )

    def _keyword(
        self,
        old: Schema,
        new: Schema,
        path: str,
        keyword: str,
        rules: tuple[str, str, str] = ("constraint-added", "constraint-removed", "keyword-changed"),
    ) -> None:
        """Report a keyword that appeared, disappeared or changed value, with `rules` in that order."""
        before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
        if not _same(before, after):
            rule = rules[0] if before is MISSING else rules[1] if after is MISSING else rules[2]
            self.emit(rule, f"{path}/{_escape(keyword)}", before, after)

    # -- annotations -----------------------------------------------------------------------------

    def _annotations(self, old: Schema, new: Schema, path: str) -> None:
        for keyword, rule in _ANNOTATIONS.items():
            self._keyword(old, new, path, keyword, (rule, rule, rule))
        self._keyword(old, new, path, "default", ("default-added", "default-removed", "default-changed"))

    # -- scalars ---------------------------------------------------------------------------------

    def _type(self, old: Schema, new: Schema, path: str) -> None:
        before, after = old.get("type", MISSING), new.get("type", MISSING)
        if _same(before, after):
            return
        was, now = _type_set(before), _type_set(after)
        if was is None or now is None:
            self.emit("keyword-changed", f"{path}/type", before, after)
        elif was != now:
            rule = "type-widened" if was < now else "type-narrowed" if now < was else "type-changed"
            self.emit(rule, f"{path}/type", before, after)

    def _values(self, old: Schema, new: Schema, path: str) -> None:
        if all(_same(old.get(key, MISSING), new.get(key, MISSING)) for key in ("enum", "const")):
            return
        was, now = _allowed(old), _allowed(new)
        both = any({"enum", "const"} <= schema.keys() for schema in (old, new))
        if both or was is None or now is None or not isinstance(was[1], list) or not isinstance(now[1], list):
            for keyword in ("enum", "const"):
                self._keyword(old, new, path, keyword)
        elif was[0] == now[0] == "const":
            rule = "tag-renamed" if path in self.tag_paths else "const-changed"
            self.emit(rule, f"{path}/const", old["const"], new["const"])
        else:
            self._enum_values(was, now, path)

    def _enum_values(self, was: tuple[str, list[Any]], now: tuple[str, list[Any]], path: str) -> None:
        before = {_value_key(value) for value in was[1]}
        after = {_value_key(value) for value in now[1]}
        for value in now[1]:
            if _value_key(value) not in before:
                self.emit("enum-value-added", f"{path}/{now[0]}", None, value)
        for value in was[1]:
            if _value_key(value) not in after:
                self.emit("enum-value-removed", f"{path}/{was[0]}", value, None)

    def _strings(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in ("pattern", "format"):
            self._keyword(old, new, path, keyword, (f"{keyword}-added", f"{keyword}-removed", f"{keyword}-changed"))

    def _bounds(self, old: Schema, new: Schema, path: str) -> None:
        for keywords, lower in ((_LOWER, True), (_UPPER, False)):
            changed = [key for key in keywords if not _same(old.get(key, MISSING), new.get(key, MISSING))]
            if changed:
                self._bound_change(old, new, path, keywords, lower, changed)

    def _bound_change(
        self, old: Schema, new: Schema, path: str, keywords: tuple[str, str], lower: bool, changed: list[str]
    ) -> None:
        try:
            was, now = _bound(old, keywords, lower), _bound(new, keywords, lower)
        except ValueError:
            for keyword in changed:
                self.emit("keyword-changed", f"{path}/{keyword}", old.get(keyword), new.get(keyword))
            return
        if was == now:
            return
        if lower:
            tighter = now is not None and (was is None or now > was)
            rule = "minimum-raised" if tighter else "minimum-lowered"
        else:
            tighter = now is not None and (was is None or now < was)
            rule = "maximum-lowered" if tighter else "maximum-raised"
        if len(changed) == 1:
            self.emit(rule, f"{path}/{changed[0]}", old.get(changed[0], MISSING), new.get(changed[0], MISSING))
        else:
            before = {key: old[key] for key in keywords if key in old}
            after = {key: new[key] for key in keywords if key in new}
            self.emit(rule, f"{path}/{keywords[0]}", before, after)

    def _sizes(self, old: Schema, new: Schema, path: str) -> None:
        for keyword, (name, minimum) in _SIZES.items():
            before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
            if _same(before, after):
                continue
            if any(value is not MISSING and not _is_number(value) for value in (before, after)):
                self.emit("keyword-changed", f"{path}/{keyword}", before, after)
                continue
            absent = (1 if keyword == "minContains" else 0) if minimum else float("inf")
            was = absent if before is MISSING else before
            now = absent if after is MISSING else after
            if was != now:
                tighter = now > was if minimum else now < was
                self.emit(f"{name}-{'tightened' if tighter else 'loosened'}", f"{path}/{keyword}", before, after)

    # -- objects ---------------------------------------------------------------------------------

    def _object(self, old: Schema, new: Schema, path: str) -> None:
        props = old.get("properties", {}), new.get("properties", {})
        required = old.get("required", []), new.get("required", [])
        if not all(isinstance(value, dict) for value in props) or not all(
            isinstance(value, list) and all(isinstance(name, str) for name in value) for value in required
        ):
            for keyword in ("properties", "required"):
                self._keyword(old, new, path, keyword, _UNKNOWN)
            return
        if self.settled(props[0], props[1]) and _same(required[0], required[1]):
            return
        self._properties(old, new, path, props, required)

    def _properties(
        self,
        old: Schema,
        new: Schema,
        path: str,
        props: tuple[Schema, Schema],
        required: tuple[list[str], list[str]],
    ) -> None:
        was, now = props
        added = [name for name in now if name not in was]
        removed = [name for name in was if name not in now]
        handled = self._external_rename(path, added, removed, props, required)
        for name in added:
            if name not in handled:
                self._property_added(old, path, name, now[name], name in required[1])
        for name in removed:
            if name not in handled:
                closed = _closed_object(new)
                self.emit(
                    "property-removed", self._prop_path(path, name), was[name], None, "breaking" if closed else None
                )
        for name in now:
            if name in was:
                self.compare(was[name], now[name], self._prop_path(path, name))
        for name in required[1]:
            if name not in required[0] and name not in handled and name not in added:
                self.emit("required-added", f"{path}/required", None, name)
        for name in required[0]:
            if name not in required[1] and name not in handled:
                self.emit("required-removed", f"{path}/required", name, None)

    @staticmethod
    def _prop_path(path: str, name: str) -> str:
        return f"{path}/properties/{_escape(name)}"

    def _property_added(self, old: Schema, path: str, name: str, schema: Any, required: bool) -> None:
        rule = "property-added-required" if required else "property-added-optional"
        forward: Direction | None = "breaking" if _closed_object(old) else None
        self.emit(rule, self._prop_path(path, name), None, schema, forward=forward)

    def _external_rename(
        self,
        path: str,
        added: list[str],
        removed: list[str],
        props: tuple[Schema, Schema],
        required: tuple[list[str], list[str]],
    ) -> set[str]:
        """An externally tagged variant (`{"Name": X}`, closed) whose one key changed: a renamed tag."""
        if path or not self.external or len(added) != 1 or len(removed) != 1:
            return set()
        (before,), (after,) = removed, added
        if before not in required[0] or after not in required[1]:
            return set()
        self.emit("tag-renamed", self._prop_path(path, after), before, after)
        self.compare(props[0][before], props[1][after], self._prop_path(path, after))
        return {before, after}

    def _closable(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _CLOSABLE:
            before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
            if self.settled(before, after):
                continue
            was, now = _closed(before), _closed(after)
            if was and not now:
                self.emit("additional-properties-opened", f"{path}/{keyword}", before, after)
            elif now and not was:
                self.emit("additional-properties-closed", f"{path}/{keyword}", before, after)
            elif not was:
                self.compare(
                    {} if before is MISSING else before, {} if after is MISSING else after, f"{path}/{keyword}"
                )

    def _in_place(self, old: Schema, new: Schema, path: str) -> None:
        """What the subschemas applied to the same instance name and evaluate, compared as a whole:
        a property whose schemas moved among them, and the keys and items `unevaluated*` judges."""
        was = _evaluation(old, self.base_uri, self.versions.base)
        now = _evaluation(new, self.head_uri, self.versions.head)
        for name in sorted(was.named.keys() | now.named.keys()):
            before, after = was.places(name), now.places(name)
            if before and after:
                self._property_moved(before, after, self._prop_path(path, name))
        unknown = was.unknown or now.unknown
        own = [
            {f"property {n}" for n in s["properties"]} if isinstance(s.get("properties"), dict) else set()
            for s in (old, new)
        ]
        keys = was.keys - (own[0] - own[1]), now.keys - (own[1] - own[0])
        self._unevaluated(old, new, path, "unevaluatedProperties", keys, unknown)
        self._unevaluated(old, new, path, "unevaluatedItems", (was.items, now.items), unknown)

    def _property_moved(self, was: list[_Place], now: list[_Place], where: str) -> None:
        """A property named in both versions, in other places than before (its own `properties`, an
        `allOf` member, a referenced type, a `then`, a `patternProperties` pattern matching it): the
        per-place rules call a property added or removed compatible because writers never wrote a
        key named nowhere else, which is not so here. Its unconditional schemas are judged
        together, as one `allOf`; a conditional one added narrows and removed widens (the other way
        under `not`). Places inside union members are left to the union's rules, and places inside
        one referenced subschema to its own comparison."""
        was = [place for place in was if place.kind != "member"]
        now = [place for place in now if place.kind != "member"]
        gone = {place.location for place in was} - {place.location for place in now}
        came = {place.location for place in now} - {place.location for place in was}
        homes = {place.home for place in was + now if place.location in gone | came}
        if not gone | came or (homes != {""} and len(homes) == 1 and all(p.home in homes for p in was + now)):
            return
        always = [[_absolute(p.schema, p.uri) for p in side if p.kind == "always"] for side in (was, now)]
        judged = [self._judged({"allOf": always[0]}, {"allOf": always[1]}, where)]
        judged += [Judged(*_NARROWS[p.kind][::-1]) for p in was if p.location in gone and p.kind != "always"]
        judged += [_NARROWS[p.kind] for p in now if p.location in came and p.kind != "always"]
        backward: Direction = "breaking" if any(j.backward == "breaking" for j in judged) else "compatible"
        forward: Direction = "breaking" if any(j.forward == "breaking" for j in judged) else "compatible"
        before, after = sorted(p.location for p in was), sorted(p.location for p in now)
        self.emit("property-moved", where, before, after, backward, forward)

    def _unevaluated(
        self, old: Schema, new: Schema, path: str, keyword: str, evaluated: tuple[set[str], set[str]], unknown: bool
    ) -> None:
        """Keys or items (`keyword`) that in-place subschemas started or stopped evaluating, which
        moves them from (or to) `keyword`. `evaluated` leaves out own properties added or removed:
        they are judged as properties (against `unevaluatedProperties` too). Own `prefixItems`
        positions stay in, being judged against `items` alone. Nothing moves when every key (item)
        is evaluated in both versions."""
        before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
        if _open(before) and _open(after):
            return
        where = f"{path}/{keyword}"
        gain, loss = _EVALUATED[keyword]
        if unknown:
            self.emit(gain, where, None, None, "breaking", "breaking")
            return
        was, now = evaluated
        if _EVERY[keyword] in was & now:
            return
        if now - was:
            self.emit(gain, where, None, sorted(now - was), _unless(_closed(before)), _unless(_open(before)))
        if was - now:
            self.emit(loss, where, sorted(was - now), None, _unless(_open(after)), _unless(_closed(after)))

    def _subschemas(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _OPEN_BY_DEFAULT:
            before, after = old.get(keyword, {}), new.get(keyword, {})
            self.compare(before, after, f"{path}/{keyword}")

    def _maps(self, old: Schema, new: Schema, path: str) -> None:
        for keyword, (added, removed) in _MAPS.items():
            was, now = old.get(keyword, {}), new.get(keyword, {})
            if self.settled(was, now):
                continue
            if not isinstance(was, dict) or not isinstance(now, dict):
                self.emit("keyword-changed", f"{path}/{keyword}", old.get(keyword), new.get(keyword))
                continue
            rest = "additionalProperties" if keyword == "patternProperties" else None
            for name in now:
                where = f"{path}/{keyword}/{_escape(name)}"
                if name in was:
                    self.compare(was[name], now[name], where)
                else:
                    self.emit(added, where, None, now[name], *self._from_the_rest(old, now[name], rest, where))
            for name in was:
                if name not in now:
                    where = f"{path}/{keyword}/{_escape(name)}"
                    self.emit(removed, where, was[name], None, *self._to_the_rest(was[name], new, rest, where))

    def _prefix_items(self, old: Schema, new: Schema, path: str) -> None:
        was, now = old.get("prefixItems", []), new.get("prefixItems", [])
        if self.settled(was, now):
            return
        if not isinstance(was, list) or not isinstance(now, list):
            self.emit("keyword-changed", f"{path}/prefixItems", old.get("prefixItems"), new.get("prefixItems"))
            return
        for index in range(max(len(was), len(now))):
            where = f"{path}/prefixItems/{index}"
            if index >= len(was):
                judged = self._from_the_rest(old, now[index], "items", where)
                self.emit("constraint-added", where, None, now[index], *judged)
            elif index >= len(now):
                judged = self._to_the_rest(was[index], new, "items", where)
                self.emit("constraint-removed", where, was[index], None, *judged)
            else:
                self.compare(was[index], now[index], where)

    def _from_the_rest(self, old: Schema, schema: Any, rest: str | None, where: str) -> Judged:
        """The directions of giving `schema` a position (or pattern) that `old`'s `rest` keyword
        (`items`, `additionalProperties`) governed: what changes from that schema to this one."""
        return Judged() if rest is None or rest not in old else self._judged(old[rest], schema, where)

    def _to_the_rest(self, schema: Any, new: Schema, rest: str | None, where: str) -> Judged:
        """The directions of handing a position (or pattern) `schema` governed to `new`'s `rest`."""
        return Judged() if rest is None or rest not in new else self._judged(schema, new[rest], where)

    def _judged(self, before: Any, after: Any, where: str) -> Judged:
        """How readers and writers fare when a value's schema changes from `before` to `after`, as
        this diff judges the changes between them (`false` refuses every value)."""
        if _closed(before) or _closed(after):
            if _closed(before) and _closed(after):
                return Judged("compatible", "compatible")
            return Judged("compatible", "breaking") if _closed(before) else Judged("breaking", "compatible")
        mark = len(self.changes)
        with self._at("positive"):
            self.compare(before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, where)
        found, self.changes[mark:] = self.changes[mark:], []
        backward: Direction = "breaking" if any(change.backward == "breaking" for change in found) else "compatible"
        forward: Direction = "breaking" if any(change.forward == "breaking" for change in found) else "compatible"
        return Judged(backward, forward)

    def _turning(self, old: Schema, new: Schema, path: str) -> None:
        """`not`, `if` and `contains`: compared in place, at their polarity, when in both versions."""
        for keyword, polarity in _TURNING.items():
            before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
            if before is MISSING or after is MISSING or not all(isinstance(s, dict | bool) for s in (before, after)):
                self._keyword(old, new, path, keyword)
                continue
            if keyword == "contains" and ("maxContains" in old or "maxContains" in new):
                polarity = "both"
            with self._within(polarity):
                self.compare(before, after, f"{path}/{keyword}")

    def _generic(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _GENERIC:
            if keyword == "uniqueItems":
                unique = [{k: v for k, v in s.items() if k != keyword or v is not False} for s in (old, new)]
                self._keyword(unique[0], unique[1], path, keyword)
            else:
                self._keyword(old, new, path, keyword)

    # -- references ------------------------------------------------------------------------------

    def _ref(self, old: Schema, new: Schema, path: str) -> None:
        before, after = old.get("$ref", MISSING), new.get("$ref", MISSING)
        if before is MISSING and after is MISSING:
            return
        if any(value is not MISSING and not isinstance(value, str) for value in (before, after)):
            self._keyword(old, new, path, "$ref", _UNKNOWN)
            return
        was = before if before is MISSING else self.target(before, self.base_uri)
        now = after if after is MISSING else self.target(after, self.head_uri)
        if was != now:
            rule = "ref-added" if was is MISSING else "ref-removed" if now is MISSING else "ref-changed"
            self.emit(rule, f"{path}/$ref", was, now)
        elif self.polarity != "positive" and self.versions.changed(urljoin(self.base_uri, str(before))):
            self.emit("ref-target-changed", f"{path}/$ref", was, now)

    # -- unions and conjunctions -----------------------------------------------------------------

    def _combinators(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in ("allOf", *_UNIONS):
            before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
            if self.settled(before, after):
                continue
            if keyword == "allOf":
                before, after = ([] if v is MISSING else v for v in (before, after))
            if before is MISSING or after is MISSING:
                self._keyword(old, new, path, keyword)
            elif not isinstance(before, list) or not isinstance(after, list):
                self.emit("keyword-changed", f"{path}/{keyword}", before, after)
            else:
                tag = _discriminator(new) or _discriminator(old) if keyword != "allOf" else None
                self._members(before, after, f"{path}/{keyword}", keyword, tag)

    def _members(self, was: list[Any], now: list[Any], path: str, keyword: str, tag: str | None) -> None:
        pairs, removed, added = self._match(was, now, keyword, tag)
        with self._within(self._union_polarity(keyword, was, now)):
            for before, after in pairs:
                if tag is not None:
                    self._add_tag_paths(f"{path}/{after}", tag)
                self.compare(was[before], now[after], f"{path}/{after}")
            union = keyword in _UNIONS
            for index in removed:
                self.emit("variant-removed" if union else "all-of-member-removed", f"{path}/{index}", was[index], None)
            for index in added:
                self.emit("variant-added" if union else "all-of-member-added", f"{path}/{index}", None, now[index])

    def _union_polarity(self, keyword: str, was: list[Any], now: list[Any]) -> Polarity:
        """`both` for a `oneOf` that may not stay exclusive: a document matching two members is
        refused, so a member added, removed or changed can refuse old data or admit new data
        whatever it does alone. Unless every member that is not settled (reordering is no
        change) is provably disjoint from the others of its version: then `oneOf` is `anyOf`."""
        if keyword != "oneOf":
            return "positive"
        old = [_absolute(member, self.base_uri) for member in was]
        new = [_absolute(member, self.head_uri) for member in now]
        unsettled_old = [i for i, member in enumerate(old) if not any(self.settled(member, m) for m in new)]
        unsettled_new = [i for i, member in enumerate(new) if not any(self.settled(m, member) for m in old)]
        exclusive = _apart(old, unsettled_old, self.versions.base) and _apart(new, unsettled_new, self.versions.head)
        return "positive" if exclusive else "both"

    def member_key(self, member: Any, tag: str | None, uri: str) -> str | None:
        """What identifies a union member across versions: its `$ref` target, else its tag value."""
        if not isinstance(member, dict):
            return None
        ref = member.get("$ref")
        if isinstance(ref, str):
            return "$ref " + self.target(ref, uri)
        properties = member.get("properties")
        tag_schema = properties.get(tag) if tag is not None and isinstance(properties, dict) else None
        if isinstance(tag_schema, dict) and "const" in tag_schema:
            return "tag " + _value_key(tag_schema["const"])
        return None

    def _match(
        self, was: list[Any], now: list[Any], keyword: str, tag: str | None
    ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Pair members by key, then equal ones, renamed tags and members of the same `type`."""
        old_keys = [self.member_key(member, tag, self.base_uri) for member in was]
        new_keys = [self.member_key(member, tag, self.head_uri) for member in now]
        by_key: dict[str, int] = {}
        for index, key in reversed(list(enumerate(new_keys))):
            if key is not None:
                by_key[key] = index
        pairs: list[tuple[int, int]] = []
        left_new = set(range(len(now)))
        left_old: list[int] = []
        for index, key in enumerate(old_keys):
            partner = by_key.get(key) if key is not None else None
            if partner is not None and partner in left_new:
                pairs.append((index, partner))
                left_new.discard(partner)
            else:
                left_old.append(index)

        def renamed(i: int, j: int) -> bool:
            tagged = tag is not None and all(k is not None and k.startswith("tag ") for k in (old_keys[i], new_keys[j]))
            return tagged and _same(_strip_tag(was[i], tag or ""), _strip_tag(now[j], tag or ""))

        def same_type(i: int, j: int) -> bool:
            plain = (
                old_keys[i] is None and new_keys[j] is None and isinstance(was[i], dict) and isinstance(now[j], dict)
            )
            return plain and _same(was[i].get("type", MISSING), now[j].get("type", MISSING))

        for fits in (lambda i, j: _same(was[i], now[j]), renamed, same_type):
            left_old = self._pair(left_old, left_new, pairs, fits)
        if keyword == "anyOf" and len(left_old) == 1 and len(left_new) == 1:
            pairs.append((left_old.pop(), left_new.pop()))
        return pairs, left_old, sorted(left_new)

    @staticmethod
    def _pair(
        left_old: list[int], left_new: set[int], pairs: list[tuple[int, int]], fits: Callable[[int, int], bool]
    ) -> list[int]:
        unpaired = []
        for i in left_old:
            partner = next((j for j in sorted(left_new) if fits(i, j)), None)
            if partner is None:
                unpaired.append(i)
            else:
                pairs.append((i, partner))
                left_new.discard(partner)
        return unpaired

    def _unwrap(self, old: Schema, new: Schema, path: str) -> tuple[Schema, Schema]:
        """A schema moved into (or out of) a union, as when a field becomes an Option.

        `{"$ref": "X.json"}` to `{"anyOf": [{"$ref": "X.json"}, {"type": "null"}]}` compares the
        moved keywords with their member and reports the other members as added variants.
        """
        for keyword in _UNIONS:
            if isinstance(new.get(keyword), list) and keyword not in old:
                moved = self._moved(old, new, keyword, path, wrap=True)
                if moved:
                    return _without(old, moved), _without(new, {keyword})
            if isinstance(old.get(keyword), list) and keyword not in new:
                moved = self._moved(new, old, keyword, path, wrap=False)
                if moved:
                    return _without(old, {keyword}), _without(new, moved)
        return old, new

    def _moved(self, plain: Schema, union: Schema, keyword: str, path: str, wrap: bool) -> set[str]:
        """The keywords of `plain` that became a member of `union[keyword]`, compared with it."""
        moved = {k: v for k, v in plain.items() if k not in union and k not in _ANNOTATIONS and k != "default"}
        members: list[Any] = union[keyword]
        plain_uri, union_uri = (self.base_uri, self.head_uri) if wrap else (self.head_uri, self.base_uri)
        index = self._moved_into(moved, members, plain_uri, union_uri)
        if index is None:
            return set()
        with self._within(self._union_polarity(keyword, *(([moved], members) if wrap else (members, [moved])))):
            if wrap:
                self.compare(moved, members[index], f"{path}/{keyword}/{index}")
            else:
                self.compare(members[index], moved, path)
            for other, member in enumerate(members):
                if other != index and wrap:
                    self.emit("variant-added", f"{path}/{keyword}/{other}", None, member)
                elif other != index:
                    self.emit("variant-removed", f"{path}/{keyword}/{other}", member, None)
        return set(moved)

    def _moved_into(self, moved: Schema, members: list[Any], plain_uri: str, union_uri: str) -> int | None:
        """Which member `moved` matches: the same `$ref` target, an equal schema, or the same `type`."""
        if not moved:
            return None
        key = self.member_key(moved, None, plain_uri)
        tests: list[Callable[[Any], bool]] = [
            lambda member: key is not None and self.member_key(member, None, union_uri) == key,
            lambda member: _same(member, moved),
            lambda member: "type" in moved and isinstance(member, dict) and _same(member.get("type"), moved["type"]),
        ]
        for test in tests:
            index = next((i for i, member in enumerate(members) if test(member)), None)
            if index is not None:
                return index
        return None


def _without(schema: Schema, keywords: Iterable[str]) -> Schema:
    drop = set(keywords)
    return {key: value for key, value in schema.items() if key not in drop}
