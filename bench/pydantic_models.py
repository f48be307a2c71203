"""Pydantic v2 models generated from the same converge schemas, for a like-for-like baseline."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from ledgerspec.contract import shipped
from ledgerspec.schemaset import bundle


def generate(namespace: str = "converge") -> ModuleType:
    """Run datamodel-code-generator (pydantic v2 output, constraints kept) and import the module."""
    document = bundle(shipped().entries, key=lambda e: e.class_name, include=lambda e: e.namespace == namespace)
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / f"{namespace}.json", Path(tmp) / f"pyd_{namespace}.py"
        source.write_text(json.dumps(document))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                str(source),
                "--output",
                str(target),
                "--input-file-type",
                "jsonschema",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--target-python-version",
                "3.11",
                "--field-constraints",
                "--use-one-literal-as-default",
                "--disable-timestamp",
                "--formatters",
                "builtin",
            ],
            check=True,
            capture_output=True,
        )
        spec = importlib.util.spec_from_file_location(f"pyd_{namespace}", target)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module
