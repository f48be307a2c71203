"""The command line: `python -m codegen.reference OUTPUT_DIR [--schemas DIR] [--fixtures DIR]` writes
the reference pages into OUTPUT_DIR."""

from __future__ import annotations

import argparse
from pathlib import Path

from codegen import ROOT
from codegen.reference import RenderError, render


def main(argv: list[str] | None = None) -> None:
    """Write the reference pages into OUTPUT_DIR."""
    parser = argparse.ArgumentParser(prog="python -m codegen.reference", description="Render docs/reference/.")
    parser.add_argument("output", type=Path, metavar="OUTPUT_DIR")
    parser.add_argument("--schemas", type=Path, default=ROOT / "schemas")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "conformance" / "fixtures" / "values")
    args = parser.parse_args(argv)
    try:
        pages = render(args.schemas, args.fixtures)
    except RenderError as exc:
        raise SystemExit(f"codegen.reference: {exc}") from exc
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (args.output / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
