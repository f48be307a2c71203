"""Broken mfm artifact stores: content addressing, idempotent puts, exact bytes, lookups."""

from __future__ import annotations

import hashlib
from typing import Any

from ledgerspec.errors import ConflictError, NotFoundError

from .base import ArtifactsBug, Bug

READ_CHUNK = 16_384
"""The buffer a naive blob reader fills once."""


class KindInArtifactId(ArtifactsBug):
    """Mixes the kind into the content address (mfm's rule leaves it out)."""

    rule = "artifacts.content-address"

    def put(self, kind: Any, data: bytes) -> str:
        self.inner.put(kind, data)
        return hashlib.sha256(repr(kind).encode() + data).hexdigest()


class OtherKindConflicts(ArtifactsBug):
    """Refuses bytes already stored under another kind as a conflict (the kind taken as part of the key)."""

    rule = "artifacts.idempotent-put"

    def __init__(self, inner: Any, store: Any) -> None:
        super().__init__(inner, store)
        self.kinds: dict[str, str] = {}

    def put(self, kind: Any, data: bytes) -> str:
        artifact_id = str(self.inner.put(kind, data))
        if self.kinds.setdefault(artifact_id, repr(kind)) != repr(kind):
            raise ConflictError(f"artifact {artifact_id} is stored under another kind")
        return artifact_id


class TruncatesLargeArtifacts(ArtifactsBug):
    """Reads an artifact back with one 16 KiB read, returning only its first chunk."""

    rule = "artifacts.get"

    def get(self, artifact_id: str) -> bytes:
        return bytes(self.inner.get(artifact_id))[:READ_CHUNK]


class ArtifactIdsCaseInsensitive(ArtifactsBug):
    """Looks ids up without regard to case."""

    rule = "artifacts.not-found"

    def get(self, artifact_id: str) -> bytes:
        return bytes(self.inner.get(artifact_id.lower() if isinstance(artifact_id, str) else artifact_id))


class ExistsRaisesNotFound(ArtifactsBug):
    """Raises not_found from exists for a missing id instead of answering false."""

    rule = "artifacts.exists"

    def exists(self, artifact_id: str) -> bool:
        if not self.inner.exists(artifact_id):
            raise NotFoundError(f"artifact {artifact_id!r} is not stored")
        return True


BUGS: tuple[type[Bug], ...] = (
    KindInArtifactId,
    OtherKindConflicts,
    TruncatesLargeArtifacts,
    ArtifactIdsCaseInsensitive,
    ExistsRaisesNotFound,
)
"""The artifact store's bugs."""
