"""Render the browsable Markdown reference of every schema type (`nox -s docs` writes `docs/reference/`).

One page per namespace plus an index. Each type gets a section with a stable anchor: its
description, its kind and tagging style read from the schema shape (docs/schema-conventions.md),
the field table of a struct, the values of an enum, the variants of a union, and as an example the
first golden value fixture that serde writes exactly. A shape the conventions do not define stops
the run instead of being rendered vaguely. The output is byte-stable, so `nox -s docs_check` can
compare it with the committed copy.

Usage: python -m codegen.reference OUTPUT_DIR [--schemas DIR] [--fixtures DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin

from codegen import ROOT, load_schemaset

Schema = dict[str, Any]

SCHEMASET = load_schemaset()
GROUPS = ("Structs", "Enums and unions", "Scalars and newtypes")
# Keywords that only annotate a schema; everything else must be understood by the renderer.
ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "x-skip-serializing-if", "$comment"}
# Keywords `type_text` renders; a property schema using any other one is refused.
RENDERED = {
    "$ref",
    "anyOf",
    "const",
    "enum",
    "type",
    "items",
    "additionalProperties",
    "propertyNames",
    "pattern",
    "minLength",
    "x-max-utf8-bytes",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "x-canonical",
}
# The keywords each shape of type file may use besides the annotations; any other one is refused.
SHAPE_KEYWORDS = {
    "union": {"oneOf", "discriminator"},
    "enum": {"type", "enum"},
    "opaque": {"type", "required", "additionalProperties", "dependentSchemas"},
    "struct": {"type", "properties", "required", "additionalProperties", "allOf", "x-canonical"},
    "scalar": RENDERED,
}
INTEGERS: dict[tuple[object, object], str] = {
    (0, 65535): "u16",
    (0, 4294967295): "u32",
    (0, 2**64 - 1): "u64",
    (-(2**31), 2**31 - 1): "i32",
    (1, 2**64 - 1): "NonZeroUsize",
}
FLOATS = {"float": "f32", "double": "f64"}
F32_MAX = 3.4028235677973366e38  # the f32 bounds every `"format": "float"` schema carries
CANONICAL = {
    "lowercase": "serde re-emits it in lowercase",
    "uuid": "serde re-emits it hyphenated and lowercase",
    "duration": "serde carries nanos of 1e9 or more into `secs`",
    "set": "serde writes it sorted by `Ord`, without duplicates",
}
SKIPPED = {"is_none": "omitted when null", "is_empty": "omitted when empty"}
STYLES = {"external": "externally tagged", "internal": "internally tagged", "adjacent": "adjacently tagged"}
SCHEMA_LINK = "../../schemas/{namespace}/{stem}.json"  # the pages live in docs/reference/


class RenderError(Exception):
    """A schema the reference cannot describe faithfully: an unknown shape, a dangling reference,
    or a type without a valid fixture to show."""


class Entry(Protocol):
    """The parts of `schemaset.TypeEntry` the renderer reads (the module is loaded by path)."""

    @property
    def namespace(self) -> str: ...
    @property
    def stem(self) -> str: ...
    @property
    def uri(self) -> str: ...
    @property
    def schema(self) -> Schema: ...
    @property
    def qualified(self) -> str: ...


@dataclass(frozen=True)
class Example:
    """A valid golden fixture shown as a type's example; `strict` means serde writes it exactly."""

    id: str
    description: str
    document: Any
    strict: bool


@dataclass(frozen=True)
class Tagging:
    """How a union tells its variants apart: style, tag key and (adjacent only) content key."""

    style: str
    tag: str | None
    content: str | None


@dataclass(frozen=True)
class Variant:
    """One member type of a union with its wire tags (several for an externally tagged `.Unit`)."""

    union: Entry
    member: Entry
    tags: tuple[str, ...]
    tagging: Tagging


@dataclass(frozen=True)
class Corpus:
    """Everything a section needs: the types, their examples, union memberships and referrers."""

    entries: dict[str, Entry]
    uris: dict[str, Entry]
    examples: dict[str, Example]
    variants: dict[str, list[Variant]]
    memberships: dict[str, list[Variant]]
    users: dict[str, list[Entry]]

    def target(self, base: Entry, ref: str) -> Entry:
        """The type a relative `$ref` in `base` names, resolved against its `$id`."""
        entry = self.uris.get(urljoin(base.uri, ref))
        if entry is None:
            raise RenderError(f"{base.qualified}: $ref {ref!r} reaches no type")
        return entry


# -- Markdown helpers -----------------------------------------------------------------------------


def code(text: str) -> str:
    """An inline code span."""
    return f"`{text}`"


def literal(value: Any) -> str:
    """A JSON value as compact JSON in a code span."""
    return code(json.dumps(value, ensure_ascii=False))


def prose(text: str) -> str:
    """Schema or fixture text made safe for GitHub Markdown: outside code spans, `<` would start
    an HTML tag and `$` inline math, so both are backslash-escaped."""
    parts = text.split("`")
    for index in range(0, len(parts), 2):
        parts[index] = parts[index].replace("<", "\\<").replace("$", "\\$")
    return "`".join(parts)


def row(*cells: str) -> str:
    """One table row; a `|` inside a cell (code spans included) must be escaped in GFM tables."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def anchor(entry: Entry) -> str:
    """The explicit anchor of a type's section: its qualified name."""
    return entry.qualified


def link(target: Entry, base: Entry) -> str:
    """A link to `target`'s section, labelled by stem within a page and by qualified name across."""
    if target.namespace == base.namespace:
        return f"[{target.stem}](#{anchor(target)})"
    return f"[{target.qualified}]({target.namespace}.md#{anchor(target)})"


def full_link(target: Entry) -> str:
    """A link to `target`'s section on its own page, labelled by qualified name."""
    return f"[{target.qualified}](#{anchor(target)})"


# -- Loading --------------------------------------------------------------------------------------


def load_examples(fixtures: Path) -> dict[str, Example]:
    """The example of each type: its first strict valid fixture, else its first valid one."""
    examples: dict[str, Example] = {}
    for path in sorted(fixtures.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        valid = data["valid"]
        chosen = next((case for case in valid if case.get("strict")), valid[0] if valid else None)
        if chosen is not None:
            examples[data["type"]] = Example(
                chosen["id"], chosen["description"], chosen["document"], bool(chosen.get("strict"))
            )
    return examples


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
    """The wire names a union member answers to; a member of no conventional variant shape is refused."""
    schema = member.schema
    if tagging.tag is None:  # externally tagged
        if schema.get("type") == "string" and "enum" in schema:
            return tuple(schema["enum"])
        keys = list(schema.get("properties", {}))
        if schema.get("additionalProperties") is False and len(keys) == 1 and schema.get("required") == keys:
            return (keys[0],)
        raise RenderError(f"{member.qualified}: not an externally tagged variant shape")
    tag_schema = schema.get("properties", {}).get(tagging.tag)
    if tag_schema is None:
        tag_schema = schema.get("dependentSchemas", {}).get(tagging.tag, {}).get("properties", {}).get(tagging.tag)
    if not isinstance(tag_schema, dict) or "const" not in tag_schema:
        raise RenderError(f"{member.qualified}: no const {tagging.tag!r} tag")
    return (tag_schema["const"],)


def union_variants(union: Entry, corpus_uris: dict[str, Entry]) -> list[Variant]:
    """The members of a union in declaration order, with their wire tags."""
    members = []
    for ref in union.schema["oneOf"]:
        member = corpus_uris.get(urljoin(union.uri, ref.get("$ref", "")))
        if member is None or set(ref) != {"$ref"}:
            raise RenderError(f"{union.qualified}: every oneOf member must be a $ref to a type")
        members.append(member)
    tagging = tagging_of(union, members)
    return [Variant(union, member, wire_tags(member, tagging), tagging) for member in members]


def referrers(entries: dict[str, Entry], uris: dict[str, Entry]) -> dict[str, list[Entry]]:
    """For each type, the types whose fields or items reference it (union membership excluded:
    a variant's section names its union already)."""
    users: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in entries.values():
        members = {id(member) for member in entry.schema.get("oneOf", [])}
        for node in SCHEMASET.walk(entry.schema):
            target = uris.get(urljoin(entry.uri, node["$ref"])) if "$ref" in node else None
            if target is not None and id(node) not in members and target is not entry:
                users[target.qualified][entry.qualified] = entry
    return {name: [found[key] for key in sorted(found)] for name, found in users.items()}


def build_corpus(schemas: Path, fixtures: Path) -> Corpus:
    """Load the schemas and fixtures and index unions, memberships and referrers."""
    entries: dict[str, Entry] = SCHEMASET.load_dir(schemas)
    uris: dict[str, Entry] = SCHEMASET.by_uri(entries)
    variants = {name: union_variants(entry, uris) for name, entry in entries.items() if "oneOf" in entry.schema}
    memberships: dict[str, list[Variant]] = defaultdict(list)
    for name in sorted(variants):
        for variant in variants[name]:
            memberships[variant.member.qualified].append(variant)
    return Corpus(entries, uris, load_examples(fixtures), variants, dict(memberships), referrers(entries, uris))


# -- Shapes and types -----------------------------------------------------------------------------


def shape(entry: Entry) -> str:
    """The conventions' shape of a type file: union, enum, opaque, struct or scalar. A keyword the
    shape does not use is refused: rendering it as if it were absent would misdescribe the type."""
    schema = entry.schema
    if "oneOf" in schema:
        kind = "union"
    elif schema.get("type") == "string" and "enum" in schema:
        kind = "enum"
    elif schema.get("type") == "object" and schema.get("additionalProperties") == {} and "dependentSchemas" in schema:
        kind = "opaque"
    elif "properties" in schema:
        kind = "struct"
    else:
        kind = "scalar"
    unknown = set(schema) - ANNOTATIONS - SHAPE_KEYWORDS[kind]
    if kind == "struct" and schema.get("additionalProperties", False) is not False:
        unknown.add("additionalProperties")
    if unknown:
        raise RenderError(f"{entry.qualified}: no rendering for a {kind} schema using {sorted(unknown)}")
    return kind


def kind_label(entry: Entry, corpus: Corpus) -> tuple[str, str]:
    """The table-of-contents group and short kind of a type, naming the union a variant belongs to."""
    group, label = plain_kind(entry, corpus)
    unions = [variant.union.qualified for variant in corpus.memberships.get(entry.qualified, [])]
    return group, ", ".join([label, *(f"variant of {name}" for name in unions)])


def plain_kind(entry: Entry, corpus: Corpus) -> tuple[str, str]:
    """The group and kind of a type from its own shape."""
    schema = entry.schema
    kind = shape(entry)
    if kind == "union":
        return GROUPS[1], f"union, {tagging_text(corpus.variants[entry.qualified][0].tagging)}"
    if kind == "enum":
        return GROUPS[1], "string enum"
    if kind == "opaque":
        return GROUPS[1], "opaque variant"
    if kind == "struct":
        label = "closed struct" if schema.get("additionalProperties") is False else "struct"
        return GROUPS[0], f"{label} (`std::time::Duration`)" if schema.get("x-canonical") == "duration" else label
    return GROUPS[2], f"newtype over {type_text(schema, entry, corpus, details=False)}"


def tagging_text(tagging: Tagging) -> str:
    """`externally tagged`, `internally tagged on "t"` or `adjacently tagged on "t"/"c"`."""
    if tagging.style == "external":
        return STYLES["external"]
    keys = "/".join(literal(key) for key in (tagging.tag, tagging.content) if key is not None)
    return f"{STYLES[tagging.style]} on {keys}"


def type_text(schema: Schema, base: Entry, corpus: Corpus, details: bool = True) -> str:
    """A readable rendering of a (property) schema with links to named types and, with `details`,
    its constraints."""
    unknown = set(schema) - ANNOTATIONS - RENDERED
    if unknown:
        raise RenderError(f"{base.qualified}: cannot render a schema using {sorted(unknown)}")
    if "$ref" in schema:
        return link(corpus.target(base, schema["$ref"]), base)
    if "anyOf" in schema:
        return nullable(schema["anyOf"], base, corpus)
    if "const" in schema:
        return literal(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(literal(value) for value in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        if len(kind) != 2 or kind[1] != "null":
            raise RenderError(f"{base.qualified}: cannot render type {kind}")
        return f"{type_text({**schema, 'type': kind[0]}, base, corpus, details)} or null"
    phrases = constraints(schema) if details else []
    text = base_type(schema, base, corpus)
    return f"{text} ({'; '.join(phrases)})" if phrases else text


def nullable(members: list[Schema], base: Entry, corpus: Corpus) -> str:
    """`X or null` for an Option written as `anyOf [X, null]`."""
    if len(members) != 2 or members[1] != {"type": "null"}:
        raise RenderError(f"{base.qualified}: an anyOf other than [X, null]")
    return f"{type_text(members[0], base, corpus)} or null"


def base_type(schema: Schema, base: Entry, corpus: Corpus) -> str:
    """The type name of a schema without its constraints: Rust scalar names for known ranges."""
    kind = schema.get("type")
    if kind == "array":
        noun = "set" if schema.get("x-canonical") == "set" else "array"
        return f"{noun} of {type_text(schema['items'], base, corpus)}"
    if kind == "object":
        key = type_text(schema["propertyNames"], base, corpus) if "propertyNames" in schema else "string"
        return f"map of {key} to {type_text(schema['additionalProperties'], base, corpus)}"
    if kind == "integer":
        return integer_name(schema) or "integer"
    if kind == "number":
        return FLOATS.get(schema.get("format", ""), "number")
    if kind in ("string", "boolean"):
        return str(kind)
    if kind is None and not set(schema) - ANNOTATIONS:
        return "any JSON"
    raise RenderError(f"{base.qualified}: cannot render type {kind!r}")


def integer_name(schema: Schema) -> str | None:
    """The Rust integer type whose exact range an integer schema states (u64, i32, ...), if any."""
    return INTEGERS.get((schema.get("minimum"), schema.get("maximum")))


def constraints(schema: Schema) -> list[str]:
    """The validation a scalar carries beyond its type name, in words."""
    phrases = []
    if "pattern" in schema:
        phrases.append(f"pattern {code(schema['pattern'])}")
    if "minLength" in schema:
        count = schema["minLength"]
        phrases.append(f"at least {count} character{'' if count == 1 else 's'}")
    if "x-max-utf8-bytes" in schema:
        phrases.append(f"at most {schema['x-max-utf8-bytes']} UTF-8 bytes")
    if schema.get("format") not in (None, *FLOATS):
        phrases.append(f"format {code(schema['format'])}")
    phrases.extend(bounds(schema))
    if schema.get("x-canonical") in CANONICAL:
        phrases.append(CANONICAL[schema["x-canonical"]])
    return phrases


def bounds(schema: Schema) -> list[str]:
    """Numeric bounds not already said by the type name (u64, f32, ...)."""
    if schema.get("type") == "integer" and integer_name(schema):
        return []
    f32 = schema.get("format") == "float"
    words = {"minimum": "minimum", "maximum": "maximum", "exclusiveMinimum": "above", "exclusiveMaximum": "below"}
    return [
        f"{word} {schema[key]}"
        for key, word in words.items()
        if key in schema and not (f32 and key.startswith("exclusive") and abs(schema[key]) == F32_MAX)
    ]


# -- Sections -------------------------------------------------------------------------------------


def merged_types(entry: Entry, corpus: Corpus) -> list[Entry]:
    """The types whose fields a struct takes over through `allOf` (an internally tagged newtype variant)."""
    return [corpus.target(entry, member["$ref"]) for member in entry.schema.get("allOf", []) if set(member) == {"$ref"}]


def presence(name: str, prop: Schema, required: set[str]) -> str:
    """Required, optional or optional with a default, plus when serde leaves the key out."""
    if name in required:
        text = "required"
    elif "default" in prop:
        text = f"optional, default {literal(prop['default'])}"
    else:
        text = "optional"
    skip = prop.get("x-skip-serializing-if")
    return f"{text}; {SKIPPED[skip]}" if skip else text


def struct_lines(entry: Entry, corpus: Corpus) -> list[str]:
    """Kind paragraph and field table of a struct (including variant structs and Duration)."""
    schema = entry.schema
    merged = merged_types(entry, corpus)
    closed = schema.get("additionalProperties") is False
    kind = plain_kind(entry, corpus)[1]
    if merged:
        kind += ": every field of " + ", ".join(link(target, entry) for target in merged) + ", plus the fields below"
    sentences = [
        f"**Kind:** {kind}.",
        "Unknown keys are rejected (`additionalProperties: false`)."
        if closed
        else "Unknown keys are ignored (the strict contract rejects them).",
    ]
    if schema.get("x-canonical") in CANONICAL:
        sentences.append(f"On output {CANONICAL[schema['x-canonical']]} (`x-canonical: {schema['x-canonical']}`).")
    if len(merged) < len(schema.get("allOf", [])):
        sentences.append("Further conditions between fields apply (`allOf`, see the schema file).")
    lines = [" ".join(sentences)]
    required = set(schema.get("required", []))
    lines += ["", row("field", "type", "presence", "description"), "|---|---|---|---|"]
    for name, prop in schema["properties"].items():
        lines.append(
            row(
                code(name),
                type_text(prop, entry, corpus),
                presence(name, prop, required),
                prose(prop.get("description", "")),
            )
        )
    return lines


def enum_lines(entry: Entry) -> list[str]:
    """Kind paragraph and wire values of a string enum."""
    values = ", ".join(literal(value) for value in entry.schema["enum"])
    return ["**Kind:** string enum, written as one of these strings.", "", f"**Values:** {values}"]


def opaque_lines(entry: Entry) -> list[str]:
    """Kind paragraph of an opaque variant: only its tag is known."""
    (tag,) = entry.schema["dependentSchemas"]
    value = entry.schema["dependentSchemas"][tag]["properties"][tag]["const"]
    return [
        f"**Kind:** opaque variant: any JSON object whose {literal(tag)} is {literal(value)}; every other key "
        "is accepted and kept unchanged."
    ]


def union_lines(entry: Entry, corpus: Corpus) -> list[str]:
    """Kind paragraph and variant table of a union."""
    variants = corpus.variants[entry.qualified]
    tagging = variants[0].tagging
    if tagging.style == "external":
        how = "a unit variant is a bare string, any other variant an object whose one key is its name"
    elif tagging.style == "internal":
        how = "the tag sits beside the variant's own fields"
    else:
        how = f"written `{{{json.dumps(tagging.tag)}: <wire tag>, {json.dumps(tagging.content)}: <content>}}`"
    lines = [
        f"**Kind:** union, {tagging_text(tagging)}: {how}.",
        "",
        row("wire tag", "variant", "carries"),
        "|---|---|---|",
    ]
    for variant in variants:
        carries = carried(variant, corpus)
        lines += [row(literal(tag), link(variant.member, entry), carries) for tag in variant.tags]
    return lines


def carried(variant: Variant, corpus: Corpus) -> str:
    """What a variant holds besides its tag, for the union's variant table."""
    member, tagging = variant.member, variant.tagging
    schema = member.schema
    if tagging.style == "adjacent":
        return type_text(schema["properties"][tagging.content], member, corpus)
    if tagging.style == "external":
        if "enum" in schema:
            return "nothing: a bare string"
        return type_text(schema["properties"][variant.tags[0]], member, corpus)
    if shape(member) == "opaque":
        return "any keys (opaque)"
    merged = merged_types(member, corpus)
    if merged:
        return "every field of " + ", ".join(link(target, variant.union) for target in merged)
    fields = [code(name) for name in schema["properties"] if name != tagging.tag]
    return "fields " + ", ".join(fields) if fields else "nothing: the tag only"


def membership_line(variant: Variant) -> str:
    """How a variant type sits in its union, with the JSON it is written as."""
    union = full_link(variant.union)
    tagging = variant.tagging
    tag, wire = json.dumps(tagging.tag), json.dumps(variant.tags[0])
    if tagging.style == "external":
        if variant.member.schema.get("type") == "string":
            return f"**Variant of** {union}: its unit variants, written as bare strings."
        return f"**Variant of** {union}, externally tagged: written `{{{wire}: …}}`."
    if tagging.style == "internal":
        return f"**Variant of** {union}, internally tagged: `{tag}: {wire}` beside its fields."
    return f"**Variant of** {union}, adjacently tagged: written `{{{tag}: {wire}, {json.dumps(tagging.content)}: …}}`."


def example_lines(entry: Entry, corpus: Corpus) -> list[str]:
    """The type's example fixture as an indented JSON block, keys in the fixture's order."""
    example = corpus.examples.get(entry.qualified)
    if example is None:
        raise RenderError(f"{entry.qualified}: no valid value fixture to show as its example")
    how = (
        "exactly what serde writes"
        if example.strict
        else "reader-only: valid input, but not byte for byte what serde writes"
    )
    return [
        f"**Example** ({how}), fixture {code(example.id)}: {prose(example.description)}",
        "",
        "```json",
        json.dumps(example.document, indent=2, ensure_ascii=False),
        "```",
    ]


def body_lines(entry: Entry, corpus: Corpus) -> list[str]:
    """The shape-specific part of a section."""
    kind = shape(entry)
    if kind == "union":
        return union_lines(entry, corpus)
    if kind == "enum":
        return enum_lines(entry)
    if kind == "opaque":
        return opaque_lines(entry)
    if kind == "struct":
        return struct_lines(entry, corpus)
    return [f"**Kind:** newtype over {type_text(entry.schema, entry, corpus)}."]


def section(entry: Entry, corpus: Corpus) -> list[str]:
    """One type's section: anchor, heading, description, kind, details, references and example."""
    schema = entry.schema
    lines = [f'<a id="{anchor(entry)}"></a>', "", f"## {entry.qualified}", ""]
    if schema.get("description"):
        lines += [prose(schema["description"]), ""]
    for variant in corpus.memberships.get(entry.qualified, []):
        lines += [membership_line(variant), ""]
    lines += body_lines(entry, corpus) + [""]
    if "$comment" in schema:
        lines += [f"**Note:** {prose(schema['$comment'])}", ""]
    source = SCHEMA_LINK.format(namespace=entry.namespace, stem=entry.stem)
    where = f"**Schema:** [{code(f'schemas/{entry.namespace}/{entry.stem}.json')}]({source})"
    users = corpus.users.get(entry.qualified, [])
    if users:
        where += ". **Used by:** " + ", ".join(link(user, entry) for user in users)
    lines += [where + ".", ""]
    return lines + example_lines(entry, corpus) + [""]


# -- Pages ----------------------------------------------------------------------------------------


def namespace_page(namespace: str, corpus: Corpus) -> str:
    """The page of one namespace: header, contents grouped by kind, then every type's section."""
    entries = [corpus.entries[name] for name in sorted(corpus.entries) if name.startswith(f"{namespace}.")]
    grouped: dict[str, list[str]] = {group: [] for group in GROUPS}
    for entry in entries:
        group, label = kind_label(entry, corpus)
        grouped[group].append(f"- {full_link(entry)}: {label}")
    lines = [
        f"# {namespace} types",
        "",
        f"Generated from `schemas/{namespace}/` by `nox -s docs` (`codegen/reference.py`): do not edit by hand. "
        "The [index](README.md) explains the notation.",
        "",
        f"{len(entries)} types: " + ", ".join(f"{len(grouped[g])} {g.lower()}" for g in GROUPS) + ".",
        "",
        "## Contents",
        "",
    ]
    for group in GROUPS:
        lines += [f"### {group}", "", *(grouped[group] or ["None."]), ""]
    for entry in entries:
        lines += section(entry, corpus)
    return "\n".join(lines).rstrip("\n") + "\n"


INDEX_HEAD = """# Schema reference

Every type of the ledgerspec contract, one page per namespace: its description, its kind and
tagging style, its fields, and a real example taken from the golden value fixtures
(`conformance/fixtures/values/`). The pages are generated from `schemas/` by
`codegen/reference.py`: run `nox -s docs` after a schema or fixture change and never edit them by
hand; `nox -s docs_check` (part of `nox`) fails when they are out of date. How each serde construct
becomes a schema is in [`docs/schema-conventions.md`](../schema-conventions.md).
"""

INDEX_LEGEND = """## Notation

- **Presence** of a struct field: **required** (the key must be present), **optional** (the key
  may be absent; an absent `Option` reads as `null`) or **optional, default `v`** (an absent key
  reads as `v`). **omitted when null** / **omitted when empty** (`x-skip-serializing-if`): serde
  leaves the key out when the value is null / an empty array or map. Every other field is always
  written, so the strict (writer) contract requires it.
- **Unknown keys**: a struct ignores them (the reader contract; the strict contract rejects them)
  unless it is closed (`additionalProperties: false`), which rejects them always.
- **Types**: `X or null` is an `Option<X>`; `array of X`; `set of X` (a `BTreeSet`: serde writes it
  sorted, without duplicates); `map of K to V` (an object; keys are strings unless `K` names a
  string enum); a `"literal"` is a constant, such as a variant tag. `u16`, `u32`, `u64`, `i32`
  and `NonZeroUsize` are integers in that Rust type's range (`u64`: 0 to 18446744073709551615,
  `NonZeroUsize`: 1 to the same); a float literal such as `1.0` is rejected there. `f64` is a
  double, `f32` any number that rounds to a finite `f32`. **any JSON** is a `serde_json::Value`.
- **Unions** (Rust enums with data), by serde tagging style:
  - **externally tagged**: a unit variant is a bare string (`"Converged"`), any other variant an
    object with one key, its name (`{"CriteriaMet": {...}}`);
  - **internally tagged on `"t"`**: the variant's fields with `"t": "<wire tag>"` beside them;
  - **adjacently tagged on `"t"`/`"c"`**: `{"t": "<wire tag>", "c": <content>}`;
  - an **opaque variant** is only known by its tag; every other key is kept unchanged.
  A **string enum** is a Rust enum whose variants are all units: one of its wire names.
- **Examples** are the first valid fixture of the type that serde writes exactly (`"strict":
  true`); a reader-only example is marked as such.
"""


def index_page(corpus: Corpus, namespaces: tuple[str, ...]) -> str:
    """The index: what the reference is, one row per namespace page with counts, the notation."""
    lines = [
        INDEX_HEAD,
        "| page | types | structs | enums and unions | scalars and newtypes |",
        "|---|---:|---:|---:|---:|",
    ]
    for namespace in namespaces:
        names = [name for name in corpus.entries if name.startswith(f"{namespace}.")]
        if not names:
            continue
        counts = {group: 0 for group in GROUPS}
        for name in names:
            counts[kind_label(corpus.entries[name], corpus)[0]] += 1
        cells = [f"[{namespace}]({namespace}.md)", str(len(names)), *(str(counts[g]) for g in GROUPS)]
        lines.append(row(*cells))
    return "\n".join([*lines, "", INDEX_LEGEND]).rstrip("\n") + "\n"


def render(schemas: Path, fixtures: Path) -> dict[str, str]:
    """Every page of the reference, by file name: README.md and one `<namespace>.md` each."""
    corpus = build_corpus(schemas, fixtures)
    namespaces: tuple[str, ...] = SCHEMASET.NAMESPACES
    pages = {"README.md": index_page(corpus, namespaces)}
    for namespace in namespaces:
        if any(name.startswith(f"{namespace}.") for name in corpus.entries):
            pages[f"{namespace}.md"] = namespace_page(namespace, corpus)
    return pages


def main(argv: list[str] | None = None) -> None:
    """Write the reference pages into OUTPUT_DIR."""
    parser = argparse.ArgumentParser(prog="python -m codegen.reference", description="Render docs/reference/.")
    parser.add_argument("output", type=Path, metavar="OUTPUT_DIR")
    parser.add_argument("--schemas", type=Path, default=ROOT / "schemas")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "conformance" / "fixtures" / "values")
    args = parser.parse_args(argv)
    try:
        pages = render(args.schemas, args.fixtures)
    except RenderError as exc:
        raise SystemExit(f"codegen.reference: {exc}") from exc
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (args.output / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
