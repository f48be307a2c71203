"""mfm-machine's content-addressed artifact store on any backend: `ArtifactStore`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import CorruptionError, InvalidInputError, NotFoundError
from . import stored
from .chain import Row
from .database import Database
from .documents import Documents
from .ledgers import ARTIFACTS, kind_text

if TYPE_CHECKING:
    from ledgerspec.models import mfm

KIND = "mfm.ArtifactKind"


def artifact_key(artifact_id: Any) -> str:
    """An artifact id argument, checked to be a string."""
    if not isinstance(artifact_id, str):
        raise InvalidInputError(f"artifact id must be a string, got {type(artifact_id).__name__}")
    return artifact_id


class ArtifactLedger:
    """The artifacts of one database, keyed by the SHA-256 of their bytes (mfm's rule: the
    kind is not part of the identity; the first kind stored is kept)."""

    def __init__(self, database: Database, documents: Documents) -> None:
        self._db = database
        self._documents = documents

    def put(self, kind: mfm.ArtifactKind, data: bytes) -> str:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidInputError(f"artifact data must be bytes, got {type(data).__name__}")
        codec = self._documents.codec
        value = codec.dump(kind)
        codec.validator.validate(KIND, value)
        content = bytes(data)
        digest = hashlib.sha256(content).digest()
        artifact_id = digest.hex()

        def store() -> str:
            found = self._db.one(f"SELECT id, hash FROM {ARTIFACTS.table} WHERE artifact_id = ?", (artifact_id,))
            if found is not None:
                if stored.bytes_of(found[1], ARTIFACTS.table, found[0], "hash") != digest:
                    raise CorruptionError(f"artifact {artifact_id} is stored with a hash that does not match its id")
                return artifact_id
            row = Row((artifact_id, kind_text(value), len(content)), content, digest)
            self._db.append_rows(ARTIFACTS, [row])
            return artifact_id

        return self._db.transact(ARTIFACTS, store)

    def get(self, artifact_id: str) -> bytes:
        key = artifact_key(artifact_id)
        rows = self._db.read(f"SELECT id, document FROM {ARTIFACTS.table} WHERE artifact_id = ?", (key,))
        if not rows:
            raise NotFoundError(f"artifact {key[:80]!r} is not stored")
        content = stored.bytes_of(rows[0][1], ARTIFACTS.table, rows[0][0])
        if hashlib.sha256(content).hexdigest() != key:
            raise CorruptionError(f"artifact {key}: the stored bytes no longer hash to its id")
        return content

    def stored(self) -> Iterator[tuple[mfm.ArtifactKind, bytes]]:
        """Every artifact's kind and bytes, in the order they were first put."""
        codec = self._documents.codec
        for position, kind, content in self._db.rows(ARTIFACTS, ("kind", "document")):
            # SQLite keeps the kind as text, PostgreSQL as UTF-8 bytea: read both as the JSON's bytes.
            text = kind.encode("utf-8", "surrogatepass") if isinstance(kind, str) else kind
            yield (
                stored.model(codec, KIND, text, ARTIFACTS.table, position, column="kind"),
                stored.bytes_of(content, ARTIFACTS.table, position),
            )

    def exists(self, artifact_id: str) -> bool:
        key = artifact_key(artifact_id)
        return bool(self._db.read(f"SELECT 1 FROM {ARTIFACTS.table} WHERE artifact_id = ?", (key,)))
