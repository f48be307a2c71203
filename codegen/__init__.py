"""Generators that turn `schemas/` into other artefacts, each run by a nox session.

- `python`: the Python models in `generated/` (datamodel-code-generator; `nox -s codegen`).
- `typescript`: the TypeScript bindings in `generated/typescript/` (json-schema-to-typescript, pinned
  in `node/`; `nox -s bindings_ts`), and `typescript_fixtures`: their check on every value fixture.
- `reference`: the Markdown type reference in `docs/reference/`, a package of one module per step
  (standard library only; `nox -s docs`).
- `unions`: how a union tells its variants apart on the wire, shared by `reference` and
  `typescript_fixtures`.

They read the schemas through `load_schemaset()`, which imports `runtime/schemaset.py` by path:
the installed package needs the models these scripts make, so it cannot be imported first.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent

Schema = dict[str, Any]


class Entry(Protocol):
    """The parts of `schemaset.TypeEntry` the generators read (the module is loaded by path, so its
    class cannot be named in a type hint)."""

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
    @property
    def class_name(self) -> str: ...


@functools.cache
def load_schemaset() -> ModuleType:
    """Import runtime/schemaset.py (standard library only) without importing the package."""
    spec = importlib.util.spec_from_file_location("schemaset", ROOT / "runtime" / "schemaset.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
