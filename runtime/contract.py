"""The shipped contract: every schema, its reader and strict (writer) forms, and its unions.

The reader contract is the schema files as written (open content, as serde reads). The strict
contract is derived here, never written by hand: struct schemas reject unknown keys and require
every key serde always writes. Both forms also carry the number rules JSON Schema lacks: an integer
position rejects `1.0` (`x-integer-literal`), and no number may overflow an f64 (serde_json reads
an integer beyond i64/u64 as an f64 and rejects one that overflows it): unbounded `number`
positions get f64 bounds, and free JSON positions check every number inside them through a
recursive `$defs` entry. The forms that check a Python value (the number rules marked) also
read what the reader contract lets through unnamed: every value under a key a struct does not
name is checked as a free JSON value, so an object no JSON holds (a set, a date, NaN) is refused
wherever it sits, as serde could never have read it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from .errors import UnknownTypeError
from .jsontext import F64_LIMIT
from .schemaset import ID_BASE, Schema, TypeEntry, by_uri, free_value, load_dir, rewrite_refs, walk

SKIP = "x-skip-serializing-if"
INTEGER_LITERAL = "x-integer-literal"
FLOAT_LITERAL = "x-float-literal"
F32_FORM = "x-f32-form"
WRITTEN_INTEGER = "x-written-integer"
"""The writer contract's rule for a free JSON position: no integer beyond i64/u64 (serde_json
holds one as an f64 and writes it as one)."""
SET_ORDER = "x-set-order"
"""The writer contract's order of a set's members (serde writes a `BTreeSet` sorted by `Ord`)."""
PRIVATE = (FLOAT_LITERAL, F32_FORM, SET_ORDER, WRITTEN_INTEGER)
"""The keywords of the writer forms that the published writer contract leaves out."""
WRITER_BASE = f"{ID_BASE}writer/"
SERDE_VALUE = "x-serde-value"
"""The `$defs` entry of a validation form that bounds every number of a free JSON value."""
_SERDE_VALUE_SCHEMA: Schema = {
    "type": ["null", "boolean", "number", "string", "array", "object"],
    "exclusiveMaximum": F64_LIMIT,
    "exclusiveMinimum": -F64_LIMIT,
    "items": {"$ref": f"#/$defs/{SERDE_VALUE}"},
    "additionalProperties": {"$ref": f"#/$defs/{SERDE_VALUE}"},
}


def writer_uri(uri: str) -> str:
    """The `$id` of the writer (strict) form of the schema whose reader `$id` is `uri`: the same
    path under `writer/`, so both forms can sit in one registry without shadowing each other."""
    return WRITER_BASE + uri.removeprefix(ID_BASE)


@dataclass(frozen=True)
class Union:
    """A `oneOf` type and how a value names its variant (by tag property or external key)."""

    qualified: str
    variants: tuple[str, ...]
    tag: str | None
    by_value: Mapping[str, int]
    """Tag values (tagged) or external keys (externally tagged) to variant index."""
    by_unit: Mapping[str, int]
    """Unit variant names of an externally tagged enum (written as bare strings)."""

    def identify(self, instance: Any) -> int | None:
        """Index of the variant `instance` names, or None when it names none."""
        if isinstance(instance, str):
            return self.by_unit.get(instance)
        if not isinstance(instance, dict):
            return None
        if self.tag is not None:
            value = instance.get(self.tag)
            return self.by_value.get(value) if isinstance(value, str) else None
        named = [self.by_value[key] for key in instance if key in self.by_value]
        return named[0] if len(named) == 1 else None

    @property
    def names(self) -> list[str]:
        """Every tag value, external key and unit name, sorted (for messages)."""
        return sorted({*self.by_value, *self.by_unit})


def _tag_value(schema: Schema, tag: str) -> str | None:
    """The const a variant schema pins its tag property to (direct or opaque form)."""
    for holder in (schema, schema.get("dependentSchemas", {}).get(tag, {})):
        const = holder.get("properties", {}).get(tag, {}).get("const")
        if isinstance(const, str):
            return const
    return None


def _union(entry: TypeEntry, uris: Mapping[str, TypeEntry]) -> Union:
    variants = tuple(uris[urljoin(entry.uri, member["$ref"])] for member in entry.schema["oneOf"])
    tag = entry.schema.get("discriminator", {}).get("propertyName")
    by_value: dict[str, int] = {}
    by_unit: dict[str, int] = {}
    for index, variant in enumerate(variants):
        target = by_value
        if tag is not None:
            names = [_tag_value(variant.schema, tag)]
        elif "enum" in variant.schema:
            names, target = list(variant.schema["enum"]), by_unit
        else:
            names = list(variant.schema.get("required", []))
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"{entry.qualified}: variant {variant.qualified} has no tag value")
            target[name] = index
    return Union(entry.qualified, tuple(v.qualified for v in variants), tag, by_value, by_unit)


def _mark_numbers(schema: Schema, integer_literals: bool = True, strict: bool = False) -> None:
    """Add the number rules to one validation form in place (see the module docstring); the
    integer-literal keyword only with `integer_literals`. A reader form also checks every value
    under a key no struct names; a strict form instead holds a free JSON position's integers to
    what serde writes (`x-written-integer`). The check of unnamed keys is never in a strict form:
    there a struct inlined into a newtype variant stays open for the variant's
    `unevaluatedProperties: false`, which a key its `additionalProperties` had read would no
    longer reach."""
    read_unknown = not strict
    free = False
    for node in walk(schema):
        if read_unknown and _open_struct(node):
            node["additionalProperties"] = {"$ref": f"#/$defs/{SERDE_VALUE}"}
            free = True
        kinds = _kinds(node)
        if "integer" in kinds and integer_literals:
            node[INTEGER_LITERAL] = True
        if "number" in kinds:
            if "maximum" not in node and "exclusiveMaximum" not in node:
                node["exclusiveMaximum"] = F64_LIMIT
            if "minimum" not in node and "exclusiveMinimum" not in node:
                node["exclusiveMinimum"] = -F64_LIMIT
        if free_value(node):
            node["$ref"] = f"#/$defs/{SERDE_VALUE}"
            free = True
    if free:
        value = schema.setdefault("$defs", {})[SERDE_VALUE] = copy.deepcopy(_SERDE_VALUE_SCHEMA)
        if strict:
            value[WRITTEN_INTEGER] = True


def _kinds(node: Schema) -> list[Any]:
    """The JSON types a node's `type` keyword names (one or a list; `[None]` without one)."""
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind]


def _open_struct(node: Schema) -> bool:
    """Whether `node` is an object schema that lets keys it does not name through (serde ignores them)."""
    is_object = "properties" in node or "object" in _kinds(node)
    return is_object and "additionalProperties" not in node and "unevaluatedProperties" not in node


CANONICAL = "x-canonical"
WRITTEN: dict[str, Schema] = {
    "lowercase": {"pattern": "^[0-9a-f]*$"},
    "uuid": {"pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
    "duration": {"properties": {"nanos": {"maximum": 999_999_999}}},
    "set": {"uniqueItems": True},
}
"""What the strict form adds to a type serde re-emits in one form (`x-canonical`): the form it
writes. A set's order (serde writes it sorted), which JSON Schema cannot state, is `SET_ORDER`."""
SKIPPED: dict[str, Any] = {"is_none": None, "is_empty": [[], {}, ""]}
"""The values serde skips writing, by `x-skip-serializing-if`: a key it writes never holds them."""


def _strictify(node: Schema, *, close: bool = True) -> None:
    """Make one struct schema strict in place: writer keys required, unknown keys rejected, and a
    key serde skips when its value is none or empty never holding that value."""
    properties = node.get("properties")
    if not isinstance(properties, dict) or not (node.get("type") == "object" or "allOf" in node):
        return
    written = [name for name, prop in properties.items() if SKIP not in prop]
    node["required"] = list(dict.fromkeys([*node.get("required", []), *written]))
    for name, prop in properties.items():
        if isinstance(prop, dict) and SKIP in prop:
            skipped = SKIPPED[prop[SKIP]]
            never = {"not": {"enum": skipped}} if isinstance(skipped, list) else {"not": {"const": skipped}}
            properties[name] = {"allOf": [prop, never]}
    if close and "additionalProperties" not in node and "unevaluatedProperties" not in node:
        node["unevaluatedProperties"] = False


@dataclass
class Contract:
    """All schemas of one corpus, indexed by qualified name, URI and class name."""

    entries: dict[str, TypeEntry]
    _uris: dict[str, TypeEntry] = field(init=False)
    _forms: dict[tuple[str, bool, bool, bool], Schema] = field(init=False, default_factory=dict)
    unions: dict[str, Union] = field(init=False)

    def __post_init__(self) -> None:
        self._uris = by_uri(self.entries)
        self.unions = {
            name: _union(entry, self._uris) for name, entry in self.entries.items() if "oneOf" in entry.schema
        }

    def entry(self, qualified: str) -> TypeEntry:
        """The schema file of `qualified`; UnknownTypeError names the closest known types."""
        try:
            return self.entries[qualified]
        except KeyError:
            raise UnknownTypeError(self._unknown(qualified)) from None

    def _unknown(self, name: str) -> str:
        tail = name.rsplit(".", 1)[-1].lower()
        close = sorted(q for q in self.entries if tail and tail in q.lower())[:5]
        hint = f"; did you mean {', '.join(close)}?" if close else "; `ledgerspec types` lists them"
        return f"unknown type {name!r}{hint}"

    def by_uri(self, uri: str) -> TypeEntry | None:
        """The entry whose `$id` is `uri` (fragment ignored)."""
        return self._uris.get(uri.split("#", 1)[0])

    def schema(
        self, qualified: str, strict: bool = False, integer_literals: bool = True, bounded: bool = False
    ) -> Schema:
        """The validation form of a type's schema: reader (open) or strict (writer), with the
        number rules marked (the default) or left out (for documents parsed from text holding no
        integral float literal: the parser has already refused every number an f64 cannot hold).
        `bounded` keeps the f64 bounds (and so the check of every value in a free JSON position)
        without the integer-literal keyword: for JSON values shown to hold no integral float,
        which may still hold a number or an object no JSON text can."""
        key = (qualified, strict, integer_literals, bounded)
        if key not in self._forms:
            entry = self.entry(qualified)
            form = self._strict_form(entry) if strict else copy.deepcopy(entry.schema)
            if integer_literals or bounded:
                _mark_numbers(form, integer_literals, strict)
            self._forms[key] = form
        return self._forms[key]

    def resources(self, strict: bool, integer_literals: bool = True, bounded: bool = False) -> list[tuple[str, Schema]]:
        """(URI, schema) pairs of every type in one form, for a validator registry."""
        return [(e.uri, self.schema(name, strict, integer_literals, bounded)) for name, e in self.entries.items()]

    def keys_reached(
        self, qualified: str, strict: bool = False, integer_literals: bool = True, bounded: bool = False
    ) -> frozenset[str]:
        """Every object key in the validation form of `qualified` and of each type it references,
        transitively: a superset of the keywords validating it can meet. Found by a plain walk
        of the JSON (not keyword-aware), so no applicator can hide a keyword or a `$ref` from it;
        a key inside a `const` or `enum` value only adds to the superset."""
        keys: set[str] = set()
        seen: set[str] = set()
        pending = [qualified]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            uri = self.entry(name).uri
            stack: list[Any] = [self.schema(name, strict, integer_literals, bounded)]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    keys.update(node)
                    ref = node.get("$ref")
                    target = self.by_uri(urljoin(uri, ref)) if isinstance(ref, str) else None
                    if target is not None:
                        pending.append(target.qualified)
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
        return frozenset(keys)

    def writer_entries(self) -> dict[str, TypeEntry]:
        """The writer contract as a schema set of its own: every type's strict form under its
        writer `$id`, its references rewritten to reach the strict forms of the types it uses (the
        validator's strict registry does the same by swapping every form, which a multi-file or
        bundled document cannot). The literal markers (integer and float) are left out: they are
        the validators' private keywords, and plain JSON Schema tools ignore them anyway."""
        writer = {}
        for name, entry in self.entries.items():
            form = rewrite_refs(self.schema(name, strict=True, integer_literals=False), entry.uri, writer_uri)
            for node in walk(form):
                for keyword in PRIVATE:
                    node.pop(keyword, None)
            form["$id"] = writer_uri(entry.uri)
            writer[name] = TypeEntry(entry.namespace, entry.stem, form["$id"], form)
        return writer

    def enum_values(self, schema: Schema, base: str) -> list[Any] | None:
        """The values of the enum `schema` is or references (from the file at `base`), in
        declaration order, which is Rust's `Ord` order for them; None when it is no enum."""
        target = self.by_uri(urljoin(base, schema["$ref"])) if "$ref" in schema else None
        values = (target.schema if target else schema).get("enum")
        return values if isinstance(values, list) else None

    def _member_order(self, items: Schema, base: str) -> list[Any]:
        """The members of a set's item type in `Ord` order: an enum's values (the only sets the
        contract has); ValueError for any other item type."""
        values = self.enum_values(items, base)
        if values is None:
            raise ValueError(f"{base}: a set of {items} has no order the writer contract can state")
        return values

    def _strict_form(self, entry: TypeEntry) -> Schema:
        form = copy.deepcopy(entry.schema)
        for node in walk(form):
            _strictify(node)
            if CANONICAL in node:
                node.setdefault("allOf", []).append(copy.deepcopy(WRITTEN[node[CANONICAL]]))
            if node.get(CANONICAL) == "set":
                node[SET_ORDER] = self._member_order(node["items"], entry.uri)
            kinds = _kinds(node)
            if "number" in kinds and "integer" not in kinds:  # serde writes an f32/f64 as `1.0`
                node[FLOAT_LITERAL] = True
                if node.get("format") == "float":  # and an f32 in its shortest digits
                    node[F32_FORM] = True
        # A newtype variant of an internally tagged enum extends its inner struct through
        # `allOf: [{$ref}]`; the inner struct is inlined open so the variant can close over both.
        for node in walk(form):
            for index, member in enumerate(node.get("allOf", [])):
                ref = member.get("$ref")
                target = self.by_uri(urljoin(entry.uri, ref)) if isinstance(ref, str) else None
                if target is not None and "properties" in target.schema:
                    inlined = rewrite_refs(target.schema, target.uri, lambda ref: ref)
                    inlined.pop("$id", None)
                    inlined.pop("$schema", None)
                    for inner in walk(inlined):
                        _strictify(inner, close=inner is not inlined)
                    node["allOf"][index] = inlined
        return form


@cache
def shipped() -> Contract:
    """The contract shipped inside the installed package."""
    return Contract(load_dir(Path(str(files("ledgerspec.schemas")))))
