"""The schema corpus on disk: one JSON Schema file per qualified type, indexed and bundled.

This module depends on the standard library only, so the codegen script can load it by path
before any generated model exists.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

NAMESPACES = ("converge", "mfm", "agentsdk")
ID_BASE = "https://ledgerspec.dev/schemas/v1/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

# Keywords whose value is one subschema, a list of them, or a map of them (2020-12 applicators).
_ONE = (
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas", "$defs")
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"}
)
"""Keywords that describe a value without constraining it."""


class SchemaSetError(Exception):
    """A schema file is missing, unreadable, or breaks the naming conventions."""


def class_name(stem: str) -> str:
    """Python class name of a type: its stem with dots removed, each segment capitalised."""
    return "".join(part[:1].upper() + part[1:] for part in stem.split("."))


@dataclass(frozen=True)
class TypeEntry:
    """One schema file: the qualified name it defines and where it lives."""

    namespace: str
    stem: str
    uri: str
    schema: Schema

    @property
    def qualified(self) -> str:
        """`<namespace>.<stem>`, the name every CLI command and fixture uses."""
        return f"{self.namespace}.{self.stem}"

    @property
    def class_name(self) -> str:
        """Name of the generated Python class."""
        return class_name(self.stem)


def free_value(schema: Any) -> bool:
    """Whether `schema` admits any JSON value: a `serde_json::Value` position (annotations only)."""
    return isinstance(schema, dict) and ANNOTATIONS.issuperset(schema)


def opaque_object(schema: Any) -> bool:
    """Whether `schema` is an object of free JSON values with no declared property: an opaque
    payload (kept whole, every key preserved)."""
    return isinstance(schema, dict) and "properties" not in schema and free_value(schema.get("additionalProperties"))


def subschemas(schema: Any) -> Iterator[Schema]:
    """Yield the direct subschemas of `schema` (dicts only), keyword-aware."""
    if not isinstance(schema, dict):
        return
    for key in _ONE:
        if isinstance(schema.get(key), dict):
            yield schema[key]
    for key in _LIST:
        for sub in schema.get(key, ()):
            if isinstance(sub, dict):
                yield sub
    for key in _MAP:
        for sub in schema.get(key, {}).values():
            if isinstance(sub, dict):
                yield sub


def walk(schema: Schema) -> Iterator[Schema]:
    """Yield `schema` and every schema nested in it, depth first."""
    stack = [schema]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(subschemas(current))


def load_dir(root: Path) -> dict[str, TypeEntry]:
    """Read `root/<namespace>/*.json` and index the types by qualified name.

    Raises SchemaSetError when a file does not parse or its `$id`/`title` disagree with its path.
    """
    entries: dict[str, TypeEntry] = {}
    found_any = False
    for namespace in NAMESPACES:
        folder = root / namespace
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            found_any = True
            stem = path.name[: -len(".json")]
            try:
                schema = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SchemaSetError(f"{path}: cannot read schema: {exc}") from exc
            entry = TypeEntry(namespace, stem, f"{ID_BASE}{namespace}/{stem}.json", schema)
            if not isinstance(schema, dict):
                raise SchemaSetError(f"{path}: a schema file must hold a JSON object")
            if schema.get("$id") != entry.uri:
                raise SchemaSetError(f"{path}: $id must be {entry.uri!r}, found {schema.get('$id')!r}")
            if schema.get("title") != entry.qualified:
                raise SchemaSetError(f"{path}: title must be {entry.qualified!r}, found {schema.get('title')!r}")
            entries[entry.qualified] = entry
    if not found_any:
        raise SchemaSetError(f"{root}: no schema files under {', '.join(NAMESPACES)}/")
    return entries


def by_uri(entries: Mapping[str, TypeEntry]) -> dict[str, TypeEntry]:
    """Index entries by their absolute `$id`."""
    return {entry.uri: entry for entry in entries.values()}


def rewrite_refs(schema: Schema, base_uri: str, target: Callable[[str], str]) -> Schema:
    """Return a deep copy of `schema` with every `$ref` resolved against `base_uri` and mapped.

    `target` receives the absolute reference and returns the new `$ref` value.
    """
    result = copy.deepcopy(schema)
    for node in walk(result):
        ref = node.get("$ref")
        if isinstance(ref, str):
            node["$ref"] = target(urljoin(base_uri, ref))
    return result


def closure(entries: Mapping[str, TypeEntry], roots: list[str]) -> set[str]:
    """Qualified names of `roots` and of every type they reference, transitively."""
    uris = by_uri(entries)
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        entry = entries[name]
        for node in walk(entry.schema):
            ref = node.get("$ref")
            target = uris.get(urljoin(entry.uri, ref)) if isinstance(ref, str) else None
            if target is not None:
                pending.append(target.qualified)
    return seen


def bundle(
    entries: Mapping[str, TypeEntry],
    key: Callable[[TypeEntry], str] = lambda entry: entry.qualified,
    include: Callable[[TypeEntry], bool] = lambda entry: True,
    uri: str = f"{ID_BASE}bundle.json",
) -> Schema:
    """One self-contained schema with `$id` `uri`: every selected type under `$defs[key(entry)]`,
    refs local.

    Inner `$id`/`$schema` keywords are dropped and references become `#/$defs/<key>`, so tools
    that cannot follow multi-file references read it. A reference to a type outside the selection
    raises SchemaSetError. Bundles of different content need different `uri`s: a registry holding
    two documents under one `$id` resolves references into the wrong one.
    """
    uris = by_uri(entries)
    selected = {entry.uri: entry for entry in entries.values() if include(entry)}

    def local(ref: str) -> str:
        entry = selected.get(ref)
        if entry is None:
            known = "outside the bundle" if ref in uris else "unknown"
            raise SchemaSetError(f"$ref {ref!r} is {known}")
        return f"#/$defs/{key(entry)}"

    defs: Schema = {}
    for entry in sorted(selected.values(), key=key):
        schema = rewrite_refs(entry.schema, entry.uri, local)
        schema.pop("$id", None)
        schema.pop("$schema", None)
        defs[key(entry)] = schema
    return {"$schema": DIALECT, "$id": uri, "$defs": defs}
