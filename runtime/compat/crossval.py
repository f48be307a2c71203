"""Fixture cross-validation: every valid value fixture of one version checked against the other
version's schemas. It catches what a structural diff misclassifies, since it runs real documents
through real validators."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from ledgerspec.conformance.values import load_corpus

from ..contract import Contract
from ..validation import Validator
from .sources import Version


@dataclass(frozen=True)
class Rejection:
    """A fixture of one version that the other version's schemas reject."""

    direction: Literal["backward", "forward"]
    fixture: str
    type: str
    path: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form, as `compat --format json` prints it."""
        return dataclasses.asdict(self)


def cross_validate(base: Version, head: Version) -> list[Rejection]:
    """Base fixtures under head schemas (backward) and head fixtures under base schemas (forward).
    Fixtures of a type the other version lacks are skipped: the diff reports the type itself."""
    found = []
    if base.fixtures is not None:
        found += _check(base, head, "backward")
    if head.fixtures is not None:
        found += _check(head, base, "forward")
    return found


def _check(writer: Version, reader: Version, direction: Literal["backward", "forward"]) -> list[Rejection]:
    assert writer.fixtures is not None
    validator = Validator(Contract(dict(reader.schemas)))
    rejections = []
    for file in load_corpus(writer.fixtures):
        if file.type not in reader.schemas:
            continue
        for case in file.valid:
            for issue in validator.issues(case.type, case.document):
                rejections.append(Rejection(direction, case.id, case.type, issue.path, issue.rule, issue.message))
    return rejections
