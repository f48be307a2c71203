"""Every golden value fixture, one test each: valid ones round-trip exactly, invalid ones are
rejected by both validator engines with the errors the fixture states."""

from __future__ import annotations

import pytest

from ledgerspec.conformance.lint import Checker, coverage_problems, file_problems, id_problems
from ledgerspec.conformance.values import InvalidCase, ValidCase, load_corpus

CORPUS = load_corpus()
VALID = [case for file in CORPUS for case in file.valid]
INVALID = [case for file in CORPUS for case in file.invalid]


@pytest.mark.parametrize("case", VALID, ids=[c.id for c in VALID])
def test_valid_fixture_round_trips(case: ValidCase, checker: Checker) -> None:
    assert checker.valid(case) == []


@pytest.mark.parametrize("case", INVALID, ids=[c.id for c in INVALID])
def test_invalid_fixture_is_rejected_as_stated(case: InvalidCase, checker: Checker) -> None:
    assert checker.invalid(case) == []


def test_corpus_files_follow_the_fixture_format(checker: Checker) -> None:
    assert file_problems(CORPUS, checker.codec.contract) == []
    assert id_problems(CORPUS) == []


def test_corpus_covers_every_type_variant_and_enum_value(checker: Checker) -> None:
    assert coverage_problems(CORPUS, checker.codec.contract) == []


def test_corpus_is_substantial() -> None:
    assert len(VALID) > 1000 and len(INVALID) > 800
