"""The rule ids of the schema diff, with the compatibility directions each one has by default.

`backward`: readers of the head read data written under the base. `forward`: readers of the base
read data written under the head. Directions follow the reader contract (docs/design.md, section 3):
objects are open, unknown keys validate and are ignored, so adding or dropping an optional property
breaks nobody. A change may override a default where the schema around it decides (a property
added to or removed from an object closed with `additionalProperties: false`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .changes import Direction

C: Direction = "compatible"
B: Direction = "breaking"


@dataclass(frozen=True)
class Rule:
    """One kind of change: its stable id, a one-line summary and its default directions."""

    id: str
    summary: str
    backward: Direction
    forward: Direction
    info: bool = False
    """Shown for review only: the accepted data does not change."""


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


def _bounds(name: str, what: str) -> tuple[Rule, Rule]:
    return (
        Rule(f"{name}-tightened", f"{what} tightened: some old data no longer validates", B, C),
        Rule(f"{name}-loosened", f"{what} loosened: new data may fall outside what old readers accept", C, B),
    )


RULES: dict[str, Rule] = _rules(
    # Types of the set
    Rule("type-added", "a new type file: nothing existing reads or writes it yet", C, C),
    Rule("type-removed", "a type file was deleted: data of that type has no schema any more", B, C),
    # Object members
    Rule(
        "property-added-optional",
        "an optional property was added (forward breaking when the base object is closed)",
        C,
        C,
    ),
    Rule(
        "property-added-required",
        "a required property was added: old data lacks it (forward breaking too when the base object is closed)",
        B,
        C,
    ),
    Rule(
        "property-removed",
        "a property was dropped: old readers do not need it, new readers ignore it "
        "(backward breaking when the head object is closed; a required one also gets required-removed)",
        C,
        C,
    ),
    Rule(
        "property-moved",
        "a property is named in other places of the object than before (its own `properties`, an `allOf` "
        "member, a referenced type, a `patternProperties` pattern matching it): all its schemas judged together "
        "(breaking both ways when one is conditional)",
        B,
        B,
    ),
    Rule("required-added", "an existing property became required: old data may omit it", B, C),
    Rule("required-removed", "a property is no longer required: new data may omit it, old readers need it", C, B),
    # Instance types
    Rule("type-widened", "the `type` admits more (a `null`, integer to number, the keyword dropped)", C, B),
    Rule("type-narrowed", "the `type` admits less (null dropped, number to integer, the keyword added)", B, C),
    Rule("type-changed", "the `type` admits different instances, neither set containing the other", B, B),
    # Values
    Rule("enum-value-added", "an `enum` gained a value (or a `const` became an enum including it)", C, B),
    Rule("enum-value-removed", "an `enum` lost a value: old data may hold it", B, C),
    Rule("const-changed", "a `const` changed value", B, B),
    # Unions
    Rule("variant-added", "a `oneOf`/`anyOf` member was added (a union variant, `null` for an Option)", C, B),
    Rule("variant-removed", "a `oneOf`/`anyOf` member was removed: old data may use it", B, C),
    Rule("tag-renamed", "a union variant kept its type but changed its wire tag", B, B),
    Rule(
        "ref-target-changed",
        "a type or `$defs` entry referenced under `not`, `if` or an overlapping `oneOf` changed: its own "
        "changes are judged where it is defined, as if it counted positively, so here it breaks both ways",
        B,
        B,
    ),
    Rule("all-of-member-added", "an `allOf` member was added: one more constraint", B, C),
    Rule("all-of-member-removed", "an `allOf` member was removed: one constraint less", C, B),
    # Strings
    Rule("pattern-added", "a `pattern` was added", B, C),
    Rule("pattern-removed", "a `pattern` was removed", C, B),
    Rule("pattern-changed", "a `pattern` changed (not compared as languages: assumed to break both ways)", B, B),
    Rule("format-added", "a `format` was added (asserted by the ledgerspec validators)", B, C),
    Rule("format-removed", "a `format` was removed", C, B),
    Rule("format-changed", "a `format` changed", B, B),
    # Numbers (`exclusiveMinimum`/`exclusiveMaximum` are folded into the effective bound)
    Rule("minimum-raised", "the lower bound went up (or became exclusive)", B, C),
    Rule("minimum-lowered", "the lower bound went down (or became inclusive, or was dropped)", C, B),
    Rule("maximum-lowered", "the upper bound went down (or became exclusive)", B, C),
    Rule("maximum-raised", "the upper bound went up (or became inclusive, or was dropped)", C, B),
    # Sizes
    *_bounds("min-length", "`minLength`"),
    *_bounds("max-length", "`maxLength`"),
    *_bounds("max-utf8-bytes", "`x-max-utf8-bytes`"),
    *_bounds("min-items", "`minItems`"),
    *_bounds("max-items", "`maxItems`"),
    *_bounds("min-contains", "`minContains`"),
    *_bounds("max-contains", "`maxContains`"),
    *_bounds("min-properties", "`minProperties`"),
    *_bounds("max-properties", "`maxProperties`"),
    # Closed and open
    Rule("additional-properties-closed", "`additionalProperties`/`unevaluatedProperties` became false", B, C),
    Rule("additional-properties-opened", "`additionalProperties`/`unevaluatedProperties` is no longer false", C, B),
    Rule(
        "evaluated-properties-gained",
        "a subschema applied in place (`allOf`, `$ref`, ...) now evaluates keys `unevaluatedProperties` judged "
        "(backward breaking too unless it was false)",
        C,
        B,
    ),
    Rule(
        "evaluated-properties-lost",
        "keys no subschema applied in place evaluates any more fall to `unevaluatedProperties` "
        "(forward compatible only when it is false)",
        B,
        C,
    ),
    Rule(
        "evaluated-items-gained",
        "a subschema applied in place (`allOf`, `$ref`, ...) or a `prefixItems`/`contains` beside it now "
        "evaluates array items `unevaluatedItems` judged (backward breaking too unless it was false)",
        C,
        B,
    ),
    Rule(
        "evaluated-items-lost",
        "array items no subschema evaluates any more fall to `unevaluatedItems` "
        "(forward compatible only when it is false)",
        B,
        C,
    ),
    Rule("schema-closed", "a subschema became `false`: nothing validates there any more", B, C),
    Rule("schema-opened", "a subschema was `false` and now admits values", C, B),
    # References (compared by the qualified name of the target type)
    Rule("ref-added", "a `$ref` was added beside the other keywords: one more constraint", B, C),
    Rule("ref-removed", "a `$ref` was removed: one constraint less", C, B),
    Rule("ref-changed", "a `$ref` points to a different type", B, B),
    # Other assertions
    Rule("constraint-added", "an assertion keyword with no rule of its own appeared (e.g. `enum`, `not`)", B, C),
    Rule("constraint-removed", "an assertion keyword with no rule of its own disappeared", C, B),
    Rule("keyword-changed", "a keyword the diff does not interpret changed: assumed to break both ways", B, B),
    # Serialization (validity unchanged, but what serde writes or assumes changes)
    Rule("default-added", "a `default` was added (serde default: only an absent key is affected)", C, C),
    Rule("default-removed", "a `default` was removed (the field becomes required or an Option)", C, C),
    Rule("default-changed", "a `default` changed: an absent key now means a different value", B, B),
    Rule("canonical-changed", "`x-canonical` changed: values re-emit differently, their hashes change", B, B),
    Rule(
        "skip-serializing-if-changed",
        "`x-skip-serializing-if` changed: writers omit or write the key differently; readers accept both",
        C,
        C,
        info=True,
    ),
    # Annotations
    Rule("description-changed", "a `description` changed", C, C, info=True),
    Rule("title-changed", "a `title` changed", C, C, info=True),
    Rule("annotation-changed", "`$comment`, `examples`, `deprecated` or another annotation changed", C, C, info=True),
    Rule("discriminator-changed", "the `discriminator` hint changed (the tags themselves did not)", C, C, info=True),
    Rule("id-changed", "a `$id` changed (references are compared by qualified name)", C, C, info=True),
    Rule("definition-added", "a `$defs` entry was added (validates nothing until referenced)", C, C, info=True),
    Rule("definition-removed", "a `$defs` entry was removed (a reference to it would change too)", C, C, info=True),
)
