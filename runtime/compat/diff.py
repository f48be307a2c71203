"""Structural diff of two versions of the schema set, type by type, with a rule id per change.

Each type present in both versions is compared on its own, keyword by keyword, recursing through
its subschemas with JSON-pointer paths. A `$ref` is compared by the qualified name of the type it
resolves to, so changes inside a referenced type are reported under that type and a reference
rewritten to an equivalent relative path is no change. Union members are matched by their `$ref`
target or, inline, by their tag `const`; reordering members or `properties` is no change. Every
keyword the diff does not interpret is still compared (`keyword-changed`), so nothing is missed.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urljoin

from ..schemaset import TypeEntry, free_value
from .changes import Change, Direction
from .rules import RULES

Schema = dict[str, Any]


class _Missing(enum.Enum):
    """An absent keyword, distinct from a JSON `null`."""

    MISSING = enum.auto()


MISSING = _Missing.MISSING

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
_GENERIC = ("multipleOf", "not", "if", "contains", "dependentRequired", "uniqueItems")
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
    for name in sorted(base.keys() & head.keys()):
        old, new = base[name], head[name]
        walker = _Walker(name, old.uri, new.uri, names, variants.get(name, _Variant()))
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


class _Walker:
    """Compares the two versions of one type and collects the changes."""

    def __init__(self, type_name: str, base_uri: str, head_uri: str, names: Mapping[str, str], variant: _Variant):
        self.type = type_name
        self.base_uri = base_uri
        self.head_uri = head_uri
        self.names = names
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
        self.changes.append(_change(rule, self.type, path, old, new, backward, forward))

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
        if _same(old, new):
            return
        old = {} if old is True else old
        new = {} if new is True else new
        if old is False or new is False:
            self.emit("schema-opened" if old is False else "schema-closed", path, old, new)
            return
        if not isinstance(old, dict) or not isinstance(new, dict):
            self.emit("keyword-changed", path, old, new)
            return
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
        if _same(props[0], props[1]) and _same(required[0], required[1]):
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
            if _same(before, after):
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

    def _subschemas(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _OPEN_BY_DEFAULT:
            before, after = old.get(keyword, {}), new.get(keyword, {})
            self.compare(before, after, f"{path}/{keyword}")

    def _maps(self, old: Schema, new: Schema, path: str) -> None:
        for keyword, (added, removed) in _MAPS.items():
            was, now = old.get(keyword, {}), new.get(keyword, {})
            if _same(was, now):
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
        if _same(was, now):
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
        self.compare(before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, where)
        found, self.changes[mark:] = self.changes[mark:], []
        backward: Direction = "breaking" if any(change.backward == "breaking" for change in found) else "compatible"
        forward: Direction = "breaking" if any(change.forward == "breaking" for change in found) else "compatible"
        return Judged(backward, forward)

    def _generic(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _GENERIC:
            if keyword == "contains" and isinstance(old.get(keyword), dict) and isinstance(new.get(keyword), dict):
                self.compare(old[keyword], new[keyword], f"{path}/contains")
            elif keyword == "uniqueItems":
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

    # -- unions and conjunctions -----------------------------------------------------------------

    def _combinators(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in ("allOf", *_UNIONS):
            before, after = old.get(keyword, MISSING), new.get(keyword, MISSING)
            if _same(before, after):
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
        for before, after in pairs:
            if tag is not None:
                self._add_tag_paths(f"{path}/{after}", tag)
            self.compare(was[before], now[after], f"{path}/{after}")
        union = keyword in _UNIONS
        for index in removed:
            self.emit("variant-removed" if union else "all-of-member-removed", f"{path}/{index}", was[index], None)
        for index in added:
            self.emit("variant-added" if union else "all-of-member-added", f"{path}/{index}", None, now[index])

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
