"""What kind of type a schema file defines: its shape under the conventions (union, enum, opaque,
struct or scalar), and the contents group and short label each page lists it under."""

from __future__ import annotations

from codegen import Entry
from codegen.reference.corpus import Corpus, RenderError
from codegen.reference.notation import ANNOTATIONS, RENDERED, tagging_text, type_text
from codegen.unions import is_string_enum

GROUPS = ("Structs", "Enums and unions", "Scalars and newtypes")
# The keywords each shape of type file may use besides the annotations; any other one is refused.
SHAPE_KEYWORDS = {
    "union": {"oneOf", "discriminator"},
    "enum": {"type", "enum"},
    "opaque": {"type", "required", "additionalProperties", "dependentSchemas"},
    "struct": {"type", "properties", "required", "additionalProperties", "allOf", "x-canonical"},
    "scalar": RENDERED,
}


def shape(entry: Entry) -> str:
    """The conventions' shape of a type file: union, enum, opaque, struct or scalar. A keyword the
    shape does not use is refused: rendering it as if it were absent would misdescribe the type."""
    schema = entry.schema
    if "oneOf" in schema:
        kind = "union"
    elif is_string_enum(schema):
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
        return GROUPS[1], f"union, {tagging_text(corpus.unions[entry.qualified].tagging)}"
    if kind == "enum":
        return GROUPS[1], "string enum"
    if kind == "opaque":
        return GROUPS[1], "opaque variant"
    if kind == "struct":
        label = "closed struct" if schema.get("additionalProperties") is False else "struct"
        return GROUPS[0], f"{label} (`std::time::Duration`)" if schema.get("x-canonical") == "duration" else label
    return GROUPS[2], f"newtype over {type_text(schema, entry, corpus, details=False)}"
