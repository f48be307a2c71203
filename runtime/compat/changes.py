"""One change between two versions of the schemas, with its two compatibility directions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["compatible", "breaking"]


@dataclass(frozen=True)
class Change:
    """A change found by the structural diff.

    `backward`: can readers of the head still read data written under the base?
    `forward`: can readers of the base still read data written under the head?
    `info` changes (descriptions, titles) are compatible both ways and shown for review only.
    """

    rule: str
    """Stable rule id, e.g. `property-added-required` (see `RULES`)."""
    type: str
    """Qualified name of the type whose schema changed."""
    path: str
    """JSON pointer inside that type's schema (`/properties/seq/minimum`)."""
    old: Any
    new: Any
    backward: Direction
    forward: Direction

    @property
    def breaking(self) -> bool:
        """Whether the change breaks either direction."""
        return "breaking" in (self.backward, self.forward)

    def as_dict(self) -> dict[str, Any]:
        """JSON form, as `compat --format json` prints it."""
        return dataclasses.asdict(self)
