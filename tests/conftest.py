"""Shared test fixtures: the codec over the installed contract, the upstream golden data and the
PostgreSQL server the PostgreSQL store's tests use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# -- PostgreSQL ------------------------------------------------------------------------------
# Tests marked `postgres` need a server: $LEDGERSPEC_PG_URL (`.ci/postgres start DIR` starts a
# throwaway one and writes the variables to DIR/env). Outside CI they skip without one; in CI
# (CI set) a missing server fails them, so the PostgreSQL store is never silently untested.


def _need_postgres(what: str) -> None:
    message = f"{what} (start a throwaway server with `.ci/postgres start DIR` and `set -a; . DIR/env`)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must test PostgreSQL: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The URL of the PostgreSQL database the PostgreSQL store's tests use."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _need_postgres("psycopg is not installed: pip install 'ledgerspec[postgres]'")
    url = os.environ.get("LEDGERSPEC_PG_URL")
    if not url:
        _need_postgres("no PostgreSQL server: LEDGERSPEC_PG_URL is not set")
    assert url is not None
    return url


@pytest.fixture(scope="session")
def pg_cluster(pg_url: str) -> Path:
    """The directory of the throwaway cluster `.ci/postgres` started (for tests that restart it)."""
    directory = os.environ.get("LEDGERSPEC_PG_CLUSTER")
    if not directory:
        _need_postgres("LEDGERSPEC_PG_CLUSTER is not set: restarting the server needs the cluster .ci/postgres made")
    assert directory is not None
    return Path(directory)


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Any]:
    """A PostgresStore in a fresh schema, dropped after the test."""
    from ledgerspec.conformance.targets import postgres_factory

    store = postgres_factory(pg_url)()
    yield store
    store.close()
