"""Render the browsable Markdown reference of every schema type (`nox -s docs` writes `docs/reference/`).

One page per namespace plus an index. Each type gets a section with a stable anchor: its
description, its kind and tagging style read from the schema shape (docs/schema-conventions.md),
the field table of a struct, the values of an enum, the variants of a union, and as an example the
first golden value fixture that serde writes exactly. A shape the conventions do not define stops
the run instead of being rendered vaguely. The output is byte-stable, so `nox -s docs_check` can
compare it with the committed copy.

Modules, in the order they build on each other: `corpus` (schemas, fixtures, unions, referrers),
`markdown` (code spans, links, table rows), `notation` (a schema's type and rules in words), `kinds`
(a type's shape and kind), `sections` (one type's section), `pages` (the pages), `__main__` (the CLI).

Usage: python -m codegen.reference OUTPUT_DIR [--schemas DIR] [--fixtures DIR]
"""

from __future__ import annotations

from codegen.reference.corpus import RenderError
from codegen.reference.pages import render

__all__ = ["RenderError", "render"]
