"""Shared test fixtures: the codec over the installed contract and the upstream golden data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ledgerspec import Codec, default_codec
from ledgerspec.conformance.lint import Checker

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def codec() -> Codec:
    return default_codec()


@pytest.fixture(scope="session")
def checker(codec: Codec) -> Checker:
    return Checker(codec)


def upstream_dir() -> Path | None:
    """Upstream golden data: $LEDGERSPEC_UPSTREAM_FIXTURES, else ../shared beside the checkout."""
    configured = os.environ.get("LEDGERSPEC_UPSTREAM_FIXTURES")
    path = Path(configured) if configured else REPO.parent / "shared" / "reference" / "upstream-fixtures"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def upstream() -> Path:
    path = upstream_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("upstream fixtures not found: set LEDGERSPEC_UPSTREAM_FIXTURES")
        pytest.skip("upstream fixtures (../shared/reference/upstream-fixtures) not present")
    return path
