"""How a schema is written in words: its type with links to named types and Rust scalar names, the
rules it adds, a field's presence and a union's tagging."""

from __future__ import annotations

from codegen import Entry, Schema
from codegen.reference.corpus import Corpus, RenderError
from codegen.reference.markdown import code, link, literal
from codegen.unions import Tagging

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


def tagging_text(tagging: Tagging) -> str:
    """`externally tagged`, `internally tagged on "t"` or `adjacently tagged on "t"/"c"`."""
    if tagging.style == "external":
        return STYLES["external"]
    keys = "/".join(literal(key) for key in (tagging.tag, tagging.content) if key is not None)
    return f"{STYLES[tagging.style]} on {keys}"
