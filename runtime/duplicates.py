"""serde's verdict on repeated object keys, position by position, judged against the schemas.

JSON text may repeat a key within one object; what serde does with it depends on the Rust type
at that position (docs/schema-conventions.md, "Repeated keys", gives the reasoning):

- a **struct** (a schema with `properties`, including the variants of tagged enums): serde's
  derived `Deserialize` rejects a repeated *field* (`duplicate field `event_id``), whether or not
  its values are valid. A repeated key the struct does not declare is skipped unread, every time.
- a **tagged enum** (a `oneOf` with a `discriminator`): a repeated tag is rejected, internal or
  adjacent (serde's tag visitors fail on a second tag), whichever variant it names.
- a **map** (`additionalProperties` with a schema): every value is deserialized, then the last one
  is kept. So each earlier value must be valid too, and repeated keys inside it are judged by the
  map's value type.
- a **`serde_json::Value`** (a schema with annotations only): the last value is kept; nothing in it
  can be invalid once the text has parsed.
- an **opaque payload** (a tagged object whose other keys the contract does not describe) stands
  for an upstream struct: every key repeated anywhere inside it is rejected.

`Parsed.value` already keeps the last value of every repeated key; this module adds the issues
serde would raise. It runs only for documents in which some key repeats.

The writer (strict) contract refuses every repeated key, wherever it sits (`written_repeats`):
serde writes a struct's fields, a map's keys and a `serde_json::Value` object's keys once each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urljoin

from .canonical import json_pointer
from .contract import Contract
from .errors import Issue
from .jsontext import Members, Parsed
from .schemaset import Schema, free_value, opaque_object

RULE = "duplicate_key"
Path = tuple[str | int, ...]
Revalidate = Callable[[Any], list[Issue]]
"""The issues of a whole document of the type being judged (used for documents in which an
earlier value of a map key replaces the last one)."""


def repeated_key_issues(contract: Contract, qualified: str, parsed: Parsed, revalidate: Revalidate) -> list[Issue]:
    """serde's problems with the repeated keys of `parsed` as a `qualified` document (none when no
    key repeats)."""
    if not parsed.repeats:
        return []
    entry = contract.entry(qualified)
    judge = _Judge(contract, parsed.repeats, revalidate)
    judge.visit(entry.schema, entry.uri, parsed.value, (), parsed.value, "")
    unique = {(issue.path, issue.rule, issue.message): issue for issue in reversed(judge.issues)}
    return list(reversed(unique.values()))


def written_repeats(parsed: Parsed) -> list[Issue]:
    """The writer contract's problems with the repeated keys of `parsed`: one per key repeated in
    an object of the document's value. serde writes each key of an object once (a struct's
    fields, a `HashMap`'s or `BTreeMap`'s keys and a `serde_json::Value` object's keys are all
    distinct), so no serde writer produced a document in which a key repeats, even where its
    reader keeps the last value. An object whose keys repeat only inside a value a repeated key
    replaced sits under a repeated key itself, which is reported."""
    if not parsed.repeats:
        return []
    issues = [
        Issue(
            json_pointer(where),
            RULE,
            f"duplicate key `{where[-1]}`: the key appears {count} times; serde writes each key of an "
            f"object once (struct fields, map keys and serde_json::Value keys are distinct)",
        )
        for where, count in _repeated_keys(parsed.value, (), parsed.repeats)
    ]
    return sorted(issues, key=lambda issue: issue.path)


def _repeated_keys(value: Any, path: Path, repeats: Mapping[int, Members]) -> Iterator[tuple[Path, int]]:
    """The path of every key that repeats in an object anywhere inside `value` (at `path`), with
    how many times it appears there."""
    stack: list[tuple[Any, Path]] = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, list):
            stack.extend((item, (*where, index)) for index, item in enumerate(current))
            continue
        if not isinstance(current, dict):
            continue
        for key, count in Counter(key for key, _ in repeats.get(id(current), ())).items():
            if count > 1:
                yield (*where, key), count
        stack.extend((item, (*where, key)) for key, item in current.items())


class _Judge:
    """One walk of a document beside its schema, collecting the issues of repeated keys."""

    def __init__(self, contract: Contract, repeats: Mapping[int, Members], revalidate: Revalidate) -> None:
        self.contract = contract
        self.repeats = repeats
        self.revalidate = revalidate
        self.issues: list[Issue] = []

    def visit(self, node: Schema, base: str, value: Any, path: Path, root: Any, note: str) -> None:
        """Judge `value` (at `path` of the document `root`) and everything inside it against `node`.
        `note` says, for issues inside an earlier value of a map key, which one."""
        if not isinstance(value, (dict, list)):
            return
        applied = list(self._applicable(node, base, value))
        if isinstance(value, list):
            for items, items_base in ((n["items"], b) for n, b, _ in applied if isinstance(n.get("items"), dict)):
                for index, item in enumerate(value):
                    self.visit(items, items_base, item, (*path, index), root, note)
            return
        opaque = next((owner for schema, _, owner in applied if opaque_object(schema)), None)
        if opaque is not None:
            self._opaque(value, path, opaque, note)
            return
        fields: dict[str, list[tuple[Schema, str, str]]] = {}
        rest: list[tuple[Schema, str]] = []
        tags: dict[str, str] = {}
        for schema, schema_base, owner in applied:
            for key, prop in schema.get("properties", {}).items():
                fields.setdefault(key, []).append((prop, schema_base, owner))
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                rest.append((extra, schema_base))
            union = self.contract.unions.get(schema.get("title", ""))
            if union is not None and union.tag is not None:
                tags[union.tag] = union.qualified
        members = self.repeats.get(id(value))
        if members is not None:
            self._repeated(members, fields, tags, rest, path, root, note)
        for key, item in value.items():
            targets = [(prop, prop_base) for prop, prop_base, _ in fields[key]] if key in fields else rest
            for target, target_base in targets:
                self.visit(target, target_base, item, (*path, key), root, note)

    def _opaque(self, value: Any, path: Path, owner: str, note: str) -> None:
        """An opaque payload stands for an upstream struct whose shape is unpublished: serde would
        reject a repeated field of it or of the structs inside it, and the contract cannot tell a
        field from a map key, so every key repeated anywhere inside it is refused."""
        for where, count in _repeated_keys(value, path, self.repeats):
            message = (
                f"duplicate field `{where[-1]}`: the key appears {count} times inside {owner}, an opaque "
                f"payload whose upstream struct serde reads; every repeated key there is refused"
            )
            self.issues.append(Issue(json_pointer(where), RULE, message + note))

    def _repeated(
        self,
        members: Members,
        fields: dict[str, list[tuple[Schema, str, str]]],
        tags: dict[str, str],
        rest: list[tuple[Schema, str]],
        path: Path,
        root: Any,
        note: str,
    ) -> None:
        """The issues of the keys repeated in one object (`members`, as written)."""
        earlier: list[tuple[str, Any, str]] = []
        values: dict[str, list[Any]] = {}
        for key, item in members:
            values.setdefault(key, []).append(item)
        for key, items in values.items():
            count = len(items)
            if count == 1:
                continue
            where = json_pointer((*path, key))
            repeated = f"duplicate field `{key}`: the key appears {count} times; serde rejects a repeated"
            if key in tags:
                self.issues.append(Issue(where, RULE, f"{repeated} tag of {tags[key]}{note}"))
            elif key in fields:
                self.issues.append(Issue(where, RULE, f"{repeated} field of {fields[key][0][2]}{note}"))
            elif rest:
                for position, item in enumerate(items[:-1], 1):
                    inner = f" (in value {position} of {count} of the repeated key `{key}` at {where})"
                    earlier.append((key, item, inner))
        if earlier:
            self._earlier_values(earlier, rest, path, root)

    def _earlier_values(
        self, earlier: list[tuple[str, Any, str]], rest: list[tuple[Schema, str]], path: Path, root: Any
    ) -> None:
        """A map reads every value of a repeated key, so each earlier value must be valid there.
        They are checked in one validation of the document, whose map holds them beside its own
        members under stand-in keys (a map types every key alike; an issue of the map itself,
        such as a stand-in key its key type refuses, is not theirs); then each is walked in the
        last value's place for keys repeated inside it."""
        batch = dict(_at(root, path))
        stand_ins: dict[str, tuple[str, str]] = {}  # stand-in's pointer segment -> (key's pointer, note)
        for key, item, inner in earlier:
            stand_in = f"{key}\u0000{len(stand_ins)}"
            while stand_in in batch:
                stand_in += "\u0000"
            batch[stand_in] = item
            stand_ins[json_pointer((stand_in,))[1:]] = (json_pointer((*path, key)), inner)
        if not all(free_value(schema) for schema, _ in rest):
            prefix = json_pointer(path) + "/"
            for issue in self.revalidate(_replace(root, path, batch)):
                segment, slash, below = issue.path[len(prefix) :].partition("/")
                found = stand_ins.get(segment) if issue.path.startswith(prefix) else None
                if found is not None:
                    pointer = found[0] + slash + below
                    self.issues.append(Issue(pointer, issue.rule, issue.message + found[1], issue.value))
        for key, item, inner in earlier:
            where = (*path, key)
            for schema, schema_base in rest:
                self.visit(schema, schema_base, item, where, _replace(root, where, item), inner)

    def _applicable(self, node: Schema, base: str, value: Any) -> Iterator[tuple[Schema, str, str]]:
        """(schema, base URI, owning type) of every schema that applies to `value` at this position:
        the node, what its `$ref` and `allOf` reach, the non-null member of an Option, the variant
        a union's tag names and the `dependentSchemas` of keys present."""
        owner = self.contract.by_uri(base)
        yield node, base, owner.qualified if owner else base
        ref = node.get("$ref")
        target = self.contract.by_uri(urljoin(base, ref)) if isinstance(ref, str) else None
        if target is not None:
            yield from self._applicable(target.schema, target.uri, value)
        for member in node.get("allOf", ()):
            yield from self._applicable(member, base, value)
        for member in node.get("anyOf", ()):
            if member.get("type") != "null":
                yield from self._applicable(member, base, value)
        union = self.contract.unions.get(node.get("title", "")) if "oneOf" in node else None
        index = union.identify(value) if union is not None else None
        if union is not None and index is not None:
            variant = self.contract.entry(union.variants[index])
            yield from self._applicable(variant.schema, variant.uri, value)
        if isinstance(value, dict):
            for key, dependent in node.get("dependentSchemas", {}).items():
                if key in value:
                    yield from self._applicable(dependent, base, value)


def _at(root: Any, path: Path) -> Any:
    """The value at `path` of `root`."""
    for part in path:
        root = root[part]
    return root


def _replace(root: Any, path: Path, item: Any) -> Any:
    """A copy of `root` with the value at `path` replaced by `item` (containers along the path are
    copied, the rest is shared)."""
    if not path:
        return item
    head, tail = path[0], path[1:]
    copy: Any = dict(root) if isinstance(root, dict) else list(root)
    copy[head] = _replace(root[head], tail, item)
    return copy
