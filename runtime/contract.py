"""The shipped contract: every schema, its reader and strict (writer) forms, and its unions.

The reader contract is the schema files as written (open content, as serde reads). The strict
contract is derived here, never written by hand: struct schemas reject unknown keys and require
every key serde always writes. Both forms also carry `x-integer-literal`, the rule JSON Schema lacks
(an integer position rejects `1.0`).
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
from .schemaset import ID_BASE, Schema, TypeEntry, by_uri, load_dir, rewrite_refs, walk

SKIP = "x-skip-serializing-if"
INTEGER_LITERAL = "x-integer-literal"
WRITER_BASE = f"{ID_BASE}writer/"


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


def _mark_integers(schema: Schema) -> None:
    for node in walk(schema):
        kind = node.get("type")
        if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
            node[INTEGER_LITERAL] = True


def _strictify(node: Schema, *, close: bool = True) -> None:
    """Make one struct schema strict in place: writer keys required, unknown keys rejected."""
    properties = node.get("properties")
    if not isinstance(properties, dict) or not (node.get("type") == "object" or "allOf" in node):
        return
    written = [name for name, prop in properties.items() if SKIP not in prop]
    node["required"] = list(dict.fromkeys([*node.get("required", []), *written]))
    if close and "additionalProperties" not in node and "unevaluatedProperties" not in node:
        node["unevaluatedProperties"] = False


@dataclass
class Contract:
    """All schemas of one corpus, indexed by qualified name, URI and class name."""

    entries: dict[str, TypeEntry]
    _uris: dict[str, TypeEntry] = field(init=False)
    _forms: dict[tuple[str, bool, bool], Schema] = field(init=False, default_factory=dict)
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

    def schema(self, qualified: str, strict: bool = False, integer_literals: bool = True) -> Schema:
        """The validation form of a type's schema: reader (open) or strict (writer), with the
        integer-literal rule marked (the default) or left out (for documents known to hold no
        integral float literal)."""
        key = (qualified, strict, integer_literals)
        if key not in self._forms:
            entry = self.entry(qualified)
            form = self._strict_form(entry) if strict else copy.deepcopy(entry.schema)
            if integer_literals:
                _mark_integers(form)
            self._forms[key] = form
        return self._forms[key]

    def resources(self, strict: bool, integer_literals: bool = True) -> list[tuple[str, Schema]]:
        """(URI, schema) pairs of every type in one form, for a validator registry."""
        return [(e.uri, self.schema(name, strict, integer_literals)) for name, e in self.entries.items()]

    def writer_entries(self) -> dict[str, TypeEntry]:
        """The writer contract as a schema set of its own: every type's strict form under its
        writer `$id`, its references rewritten to reach the strict forms of the types it uses (the
        validator's strict registry does the same by swapping every form, which a multi-file or
        bundled document cannot). The integer-literal marker is left out: it is the validators'
        private keyword, and plain JSON Schema tools ignore it anyway."""
        writer = {}
        for name, entry in self.entries.items():
            form = rewrite_refs(self.schema(name, strict=True, integer_literals=False), entry.uri, writer_uri)
            form["$id"] = writer_uri(entry.uri)
            writer[name] = TypeEntry(entry.namespace, entry.stem, form["$id"], form)
        return writer

    def _strict_form(self, entry: TypeEntry) -> Schema:
        form = copy.deepcopy(entry.schema)
        for node in walk(form):
            _strictify(node)
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
