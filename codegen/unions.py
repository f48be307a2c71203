"""How a union (a type with `oneOf`) tells its variants apart on the wire, read from the variant shapes
of docs/schema-conventions.md: its tagging style and keys, and the wire tags each variant answers to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from codegen import Entry, Schema

Style = Literal["external", "internal", "adjacent"]


class UnionError(Exception):
    """A union the conventions do not define: a member that is not a `$ref` to a type, or a variant
    whose wire tag is not where its tagging style puts it."""


@dataclass(frozen=True)
class Tagging:
    """How a union tells its variants apart: style, tag key and (adjacent only) content key."""

    style: Style
    tag: str | None
    content: str | None


@dataclass(frozen=True)
class Variant:
    """One member type of a union with its wire tags (several for an externally tagged `.Unit`)."""

    union: Entry
    member: Entry
    tags: tuple[str, ...]
    tagging: Tagging

    @property
    def unit(self) -> bool:
        """Whether this is the string enum of an externally tagged union's unit variants (bare strings)."""
        return self.tagging.style == "external" and is_string_enum(self.member.schema)


@dataclass(frozen=True)
class TaggedUnion:
    """A union type, its tagging and its variants in declaration order."""

    entry: Entry
    tagging: Tagging
    variants: tuple[Variant, ...]


def tagged_unions(uris: Mapping[str, Entry]) -> dict[str, TaggedUnion]:
    """Every union among the types (indexed by `$id`), by qualified name."""
    return {union.qualified: tagged_union(union, uris) for union in uris.values() if "oneOf" in union.schema}


def tagged_union(union: Entry, uris: Mapping[str, Entry]) -> TaggedUnion:
    """One union's tagging and its members in declaration order, with their wire tags."""
    members = []
    for ref in union.schema["oneOf"]:
        member = uris.get(urljoin(union.uri, ref.get("$ref", "")))
        if member is None or set(ref) != {"$ref"}:
            raise UnionError(f"{union.qualified}: every oneOf member must be a $ref to a type")
        members.append(member)
    tagging = tagging_of(union, members)
    variants = tuple(Variant(union, member, wire_tags(member, tagging), tagging) for member in members)
    return TaggedUnion(union, tagging, variants)


def tagging_of(union: Entry, members: list[Entry]) -> Tagging:
    """The tagging style of a union: no discriminator is serde's default (external); with one,
    variants that all hold exactly the tag and one shared content key are adjacent, else internal."""
    discriminator = union.schema.get("discriminator")
    if discriminator is None:
        return Tagging("external", None, None)
    tag = discriminator["propertyName"]
    contents = {adjacent_content(member.schema, tag) for member in members}
    if len(contents) == 1 and None not in contents:
        return Tagging("adjacent", tag, contents.pop())
    return Tagging("internal", tag, None)


def adjacent_content(schema: Schema, tag: str) -> str | None:
    """The content key of an adjacently tagged variant shape (`{tag, content}`, both required)."""
    keys: list[str] = list(schema.get("properties", {}))
    if "allOf" in schema or len(keys) != 2 or tag not in keys or sorted(schema.get("required", [])) != sorted(keys):
        return None
    return next(key for key in keys if key != tag)


def wire_tags(member: Entry, tagging: Tagging) -> tuple[str, ...]:
    """The wire names a union member answers to: the values of an externally tagged `.Unit` enum, the
    one key of another externally tagged variant, else the `const` of the tag property, stated in
    `properties` (beside an `allOf` for a newtype variant) or in `dependentSchemas` (an opaque variant).
    A member of no conventional variant shape is refused."""
    schema = member.schema
    if tagging.tag is None:  # externally tagged
        if is_string_enum(schema):
            return tuple(schema["enum"])
        keys = list(schema.get("properties", {}))
        if schema.get("additionalProperties") is False and len(keys) == 1 and schema.get("required") == keys:
            return (keys[0],)
        raise UnionError(f"{member.qualified}: not an externally tagged variant shape")
    tag_schema = schema.get("properties", {}).get(tagging.tag)
    if tag_schema is None:
        tag_schema = schema.get("dependentSchemas", {}).get(tagging.tag, {}).get("properties", {}).get(tagging.tag)
    if not isinstance(tag_schema, dict) or "const" not in tag_schema:
        raise UnionError(f"{member.qualified}: no const {tagging.tag!r} tag")
    return (tag_schema["const"],)


def is_string_enum(schema: Schema) -> bool:
    """Whether a schema is a string enum (a Rust enum of unit variants only)."""
    return schema.get("type") == "string" and "enum" in schema
