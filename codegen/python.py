"""Regenerate `generated/` from `schemas/` with datamodel-code-generator.

Run through `nox -s codegen` (which pins the generator and formatters and passes the generator
options). For each namespace it bundles that namespace's schema files into one document whose
`$defs` are keyed by Python class name, runs the generator on it, and writes
`generated/<namespace>.py`. The only post-processing is dropping the alias the generator emits for
the bundle's own root, which is not a type.

Usage: python -m codegen.python OUTPUT_DIR -- GENERATOR_OPTIONS...
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from codegen import ROOT, load_schemaset

ROOT_ALIAS = "Bundle: TypeAlias = Any\n"
PACKAGE_INIT = '''"""Models generated from `schemas/` by datamodel-code-generator. Do not edit: run `nox -s codegen`.

One module per namespace; each class is the qualified type with the namespace dropped
(`converge.ExperienceEventEnvelope` is `ledgerspec.models.converge.ExperienceEventEnvelope`).
"""
'''


def generate(namespace: str, bundle: dict[str, object], options: list[str], workdir: Path) -> str:
    """Run the generator on one namespace bundle and return the module text."""
    source = workdir / f"{namespace}.json"
    target = workdir / f"{namespace}.py"
    source.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    subprocess.run(
        ["datamodel-codegen", "--input", str(source), "--output", str(target), *options],
        check=True,
    )
    text = target.read_text(encoding="utf-8")
    if ROOT_ALIAS not in text:
        raise SystemExit(f"codegen: expected the bundle root alias in the {namespace} output")
    return re.sub(r"\n{4,}", "\n\n\n", text.replace(ROOT_ALIAS, "", 1))


def main(argv: list[str]) -> None:
    if "--" not in argv or argv.index("--") != 1:
        raise SystemExit(__doc__)
    output = Path(argv[0])
    options = argv[2:]
    schemaset = load_schemaset()
    entries = schemaset.load_dir(ROOT / "schemas")
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for namespace in schemaset.NAMESPACES:
            bundle = schemaset.bundle(
                entries,
                key=lambda entry: entry.class_name,
                include=lambda entry, ns=namespace: entry.namespace == ns,
            )
            bundle["title"] = "bundle"
            text = generate(namespace, bundle, options, Path(tmp))
            (output / f"{namespace}.py").write_text(text, encoding="utf-8")
    (output / "__init__.py").write_text(PACKAGE_INIT, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
