"""The reference's pages: one per namespace (contents grouped by kind, then every section) and the
index with its page counts and notation legend."""

from __future__ import annotations

from pathlib import Path

from codegen.reference.corpus import SCHEMASET, Corpus, build_corpus
from codegen.reference.kinds import GROUPS, kind_label
from codegen.reference.markdown import full_link, row
from codegen.reference.sections import section


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
        f"Generated from `schemas/{namespace}/` by `nox -s docs` (`codegen/reference/`): do not edit by hand. "
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
`codegen/reference/`: run `nox -s docs` after a schema or fixture change and never edit them by
hand; `nox -s docs_check` (part of `nox`) fails when they are out of date. How each serde construct
becomes a schema is in [`docs/schema-conventions.md`](../schema-conventions.md). Each type also
names its generated bindings: the Python class in `ledgerspec.models` and the TypeScript type in
[`generated/typescript/`](../../generated/typescript/index.ts).
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
