"""Broken mfm artifact stores: content addressing, idempotent puts, exact bytes, lookups."""

from __future__ import annotations

import hashlib
from typing import Any

from ledgerspec.errors import ConflictError, NotFoundError

from .base import ArtifactsBug, Bug

BLOB_BYTES = 65_535
"""What a MySQL BLOB column holds."""


class KindInArtifactId(ArtifactsBug):
    """Mixes the kind into the content address (mfm's rule leaves it out)."""

    rule = "artifacts.content-address"

    def put(self, kind: Any, data: bytes) -> str:
        self.inner.put(kind, data)
        return hashlib.sha256(repr(kind).encode() + data).hexdigest()


class UppercaseArtifactIds(ArtifactsBug):
    """Returns the SHA-256 hex in uppercase."""

    rule = "artifacts.content-address"

    def put(self, kind: Any, data: bytes) -> str:
        return str(self.inner.put(kind, data)).upper()


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
    """Keeps at most 65,535 bytes of an artifact (a BLOB column), under the id of the whole."""

    rule = "artifacts.get"

    def get(self, artifact_id: str) -> bytes:
        return bytes(self.inner.get(artifact_id))[:BLOB_BYTES]


class StopsAtNul(ArtifactsBug):
    """Returns an artifact's bytes up to its first NUL byte (a C string)."""

    rule = "artifacts.get"

    def get(self, artifact_id: str) -> bytes:
        return bytes(self.inner.get(artifact_id)).split(b"\x00", 1)[0]


class ArtifactIdsCaseInsensitive(ArtifactsBug):
    """Looks ids up without regard to case."""

    rule = "artifacts.not-found"

    def get(self, artifact_id: str) -> bytes:
        return bytes(self.inner.get(artifact_id.lower() if isinstance(artifact_id, str) else artifact_id))


class ArtifactPrefixLookup(ArtifactsBug):
    """Finds an artifact by any prefix of its id (LIKE 'x%')."""

    rule = "artifacts.not-found"

    def get(self, artifact_id: str) -> bytes:
        try:
            return bytes(self.inner.get(artifact_id))
        except NotFoundError:
            known = self.store._ledgers.artifacts  # noqa: SLF001 - the index the bug scans
            found = [key for key in known if isinstance(artifact_id, str) and artifact_id and key.startswith(artifact_id)]
            if not found:
                raise
            return bytes(self.inner.get(found[0]))


class ExistsRaisesNotFound(ArtifactsBug):
    """Raises not_found from exists for a missing id instead of answering false."""

    rule = "artifacts.exists"

    def exists(self, artifact_id: str) -> bool:
        if not self.inner.exists(artifact_id):
            raise NotFoundError(f"artifact {artifact_id!r} is not stored")
        return True


class ExistsCaseInsensitive(ArtifactsBug):
    """Answers exists without regard to the id's case."""

    rule = "artifacts.exists"

    def exists(self, artifact_id: str) -> bool:
        return bool(self.inner.exists(artifact_id.lower() if isinstance(artifact_id, str) else artifact_id))


BUGS: tuple[type[Bug], ...] = (
    KindInArtifactId,
    UppercaseArtifactIds,
    OtherKindConflicts,
    TruncatesLargeArtifacts,
    StopsAtNul,
    ArtifactIdsCaseInsensitive,
    ArtifactPrefixLookup,
    ExistsRaisesNotFound,
    ExistsCaseInsensitive,
)
"""The artifact store's bugs."""
