"""One type's section of a namespace page: anchor, description, union membership, the part its shape
calls for (field table, enum values, variant table), schema link, referrers and example."""

from __future__ import annotations

import json

from codegen import Entry
from codegen.reference.corpus import Corpus, RenderError
from codegen.reference.kinds import plain_kind, shape
from codegen.reference.markdown import anchor, code, full_link, link, literal, prose, row
from codegen.reference.notation import CANONICAL, presence, tagging_text, type_text
from codegen.unions import Variant

SCHEMA_LINK = "../../schemas/{namespace}/{stem}.json"  # the pages live in docs/reference/


def merged_types(entry: Entry, corpus: Corpus) -> list[Entry]:
    """The types whose fields a struct takes over through `allOf` (an internally tagged newtype variant)."""
    return [corpus.target(entry, member["$ref"]) for member in entry.schema.get("allOf", []) if set(member) == {"$ref"}]


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
    """Kind paragraph of an opaque variant: only its tag is known (and, for an adjacently tagged
    inner enum, that the key naming its variant is a string)."""
    known = {name: holder["properties"][name] for name, holder in entry.schema["dependentSchemas"].items()}
    (tag,) = (name for name, schema in known.items() if "const" in schema)
    named = [f"{literal(tag)} is {literal(known[tag]['const'])}"]
    named += [f"{literal(name)} is a {schema['type']}" for name, schema in known.items() if name != tag]
    return [
        f"**Kind:** opaque variant: any JSON object whose {' and whose '.join(named)}; every other key "
        "is accepted and kept unchanged."
    ]


def union_lines(entry: Entry, corpus: Corpus) -> list[str]:
    """Kind paragraph and variant table of a union."""
    union = corpus.unions[entry.qualified]
    tagging = union.tagging
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
    for variant in union.variants:
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
        if variant.unit:
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
        if variant.unit:
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
    lines += [where + ".", "", bindings_line(entry), ""]
    return lines + example_lines(entry, corpus) + [""]


def bindings_line(entry: Entry) -> str:
    """Where the generated bindings hold the type: the Python class and the TypeScript type."""
    python = code(f"ledgerspec.models.{entry.namespace}.{entry.class_name}")
    typescript = code(f"{entry.namespace}.{entry.class_name}")
    module = f"../../generated/typescript/{entry.namespace}.ts"
    return f"**Bindings:** Python {python}; TypeScript {typescript} ([`{entry.namespace}.ts`]({module}))."
