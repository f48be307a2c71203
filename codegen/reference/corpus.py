"""What the reference describes: the schema types, their example fixtures, the unions they form and
the types that refer to each one."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from codegen import Entry, load_schemaset
from codegen.unions import TaggedUnion, UnionError, Variant, tagged_unions

SCHEMASET = load_schemaset()


class RenderError(Exception):
    """A schema the reference cannot describe faithfully: an unknown shape, a dangling reference,
    or a type without a valid fixture to show."""


@dataclass(frozen=True)
class Example:
    """A valid golden fixture shown as a type's example; `strict` means serde writes it exactly."""

    id: str
    description: str
    document: Any
    strict: bool


@dataclass(frozen=True)
class Corpus:
    """Everything a section needs: the types, their examples, unions, union memberships and referrers."""

    entries: dict[str, Entry]
    uris: dict[str, Entry]
    examples: dict[str, Example]
    unions: dict[str, TaggedUnion]
    memberships: dict[str, list[Variant]]
    users: dict[str, list[Entry]]

    def target(self, base: Entry, ref: str) -> Entry:
        """The type a relative `$ref` in `base` names, resolved against its `$id`."""
        entry = self.uris.get(urljoin(base.uri, ref))
        if entry is None:
            raise RenderError(f"{base.qualified}: $ref {ref!r} reaches no type")
        return entry


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
    try:
        unions = tagged_unions(uris)
    except UnionError as exc:
        raise RenderError(str(exc)) from exc
    memberships: dict[str, list[Variant]] = defaultdict(list)
    for name in sorted(unions):
        for variant in unions[name].variants:
            memberships[variant.member.qualified].append(variant)
    return Corpus(entries, uris, load_examples(fixtures), unions, dict(memberships), referrers(entries, uris))
