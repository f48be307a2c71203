"""The GitHub Markdown pieces the pages are made of: code spans, escaped prose, table rows and links
to type sections."""

from __future__ import annotations

import json
from typing import Any

from codegen import Entry


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
