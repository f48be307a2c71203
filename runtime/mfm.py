"""mfm-machine's canonical JSON and `ArtifactId`, byte for byte as upstream computes them.

Upstream (`crates/machine/src/hashing.rs`, `secrets.rs`; wire-format reference section 2.12):
`artifact_id_for_json(v) = hex(SHA-256(canonical_json_bytes(v)))`, where the canonical form is
compact JSON with object keys in Rust `String` order (UTF-8 bytes = code points, which is Python's
`str` order, not RFC 8785's UTF-16 order), integers written exactly, strings escaped as serde_json
does (the same escaping as RFC 8785), and

* any float refused (`FloatNotAllowedError`), including an integral one such as `1.0`: upstream
  keeps what was a `1.0` literal as a float. Integers outside i64/u64 are refused too: serde_json
  holds those as floats. (A `-0` literal is a float to serde_json; `ledgerspec.jsontext.parse`
  reads it as -0.0 too, so it is refused here when the value came through that parser.)
* a value refused before any of that when an object key or a string anywhere contains a secret
  marker (ASCII case-insensitively) or looks like a BIP-39 mnemonic (`SecretsNotAllowedError`).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .canonical import CanonicalError, Rules, json_pointer, plain_bytes, write_exact

__all__ = [
    "SECRET_MARKERS",
    "FloatNotAllowedError",
    "SecretsNotAllowedError",
    "artifact_id_for_bytes",
    "mfm_artifact_id",
    "mfm_canonical_bytes",
]


class FloatNotAllowedError(CanonicalError):
    """A float (or an integer beyond i64/u64) in a value mfm hashes; upstream `FloatNotAllowed`."""


class SecretsNotAllowedError(CanonicalError):
    """A key or string that looks secret-bearing; upstream `SecretsNotAllowed`. The message names
    where, never the secret."""


SECRET_MARKERS = (
    "password",
    "passphrase",
    "mnemonic",
    "private_key",
    "privatekey",
    "seed phrase",
    "seed_phrase",
    "seedphrase",
    "api_key",
    "apikey",
    "x-api-key",
    "x_api_key",
    "access_key",
    "accesskey",
    "secret_key",
    "secretkey",
    "aws_access_key_id",
    "aws_secret_access_key",
    "access_token",
    "refresh_token",
    "id_token",
    "authorization",
    "bearer ",
)
"""Upstream `FORBIDDEN_SUBSTRINGS`, matched after Rust's `to_ascii_lowercase` (ASCII only)."""

# Every marker contains one of these, so a text without them holds no marker (and most texts
# have none: checking 8 substrings is several times cheaper than checking 23).
_ANCHORS = ("pass", "mnemonic", "private", "seed", "key", "token", "authorization", "bearer ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Rust `char::is_whitespace` (Unicode White_Space); Python's str.split() also splits at U+001C..U+001F.
_WS = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_MNEMONIC = re.compile(f"{_WS}*[a-z]+(?:{_WS}+[a-z]+){{11,23}}{_WS}*")
_NON_ASCII_WS = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

_MFM = Rules(utf16_keys=False, float_error=FloatNotAllowedError, int_range=(-(2**63), 2**64 - 1))


def _marker_in(text: str) -> str | None:
    """The first secret marker in `text`, compared as Rust's `to_ascii_lowercase` would."""
    lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    if any(map(lowered.__contains__, _ANCHORS)):
        return next((marker for marker in SECRET_MARKERS if marker in lowered), None)
    return None


def _secret_reason(text: str) -> str | None:
    if marker := _marker_in(text):
        return f"contains the secret marker {marker!r}"
    if _MNEMONIC.fullmatch(text):
        return "looks like a BIP-39 mnemonic (12-24 lower-case words)"
    return None


def _may_hold_secret(text: str) -> bool:
    """False only when no key or string in `text`, the compact JSON of a value, can have a
    `_secret_reason`.

    A marker has no character JSON escapes, so it shows verbatim in the text. A mnemonic has 11
    or more whitespace runs, and each whitespace character shows as a space, an escape (with a
    backslash) or itself (a non-ASCII one).
    """
    if _marker_in(text):
        return True
    spaces = text.count(" ") + text.count("\\")
    if spaces < 11 and not text.isascii():
        spaces += len(_NON_ASCII_WS.findall(text))
    return spaces >= 11


def _find_secret(value: Any) -> tuple[list[str | int], str] | None:
    """Path (innermost last, reversed) and reason of the first secret-looking key or string.

    Like upstream, all keys of an object are checked before its values, so a reported path never
    runs through a secret-looking key.
    """
    if isinstance(value, str):
        reason = _secret_reason(value)
        return ([], reason) if reason else None
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and (reason := _secret_reason(key)):
                return [], f"an object key {reason}"
        items: Any = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if found := _find_secret(item):
            found[0].append(key)
            return found
    return None


def mfm_canonical_bytes(value: Any) -> bytes:
    """Upstream `canonical_json_bytes`: the bytes mfm hashes, or an error naming the JSON pointer.

    Raises `SecretsNotAllowedError` first (upstream checks secrets before writing), then
    `FloatNotAllowedError`, or `CanonicalError` for what is no JSON value at all.
    """
    out = plain_bytes(value)  # code-point key order, ints within i64/u64: exactly upstream's form
    if out is None or _may_hold_secret(out.decode()):
        try:
            found = _find_secret(value)
        except RecursionError:
            raise CanonicalError("", "value nests too deeply (or contains itself)") from None
        if found is not None:
            raise SecretsNotAllowedError(json_pointer(reversed(found[0])), found[1])
    return out if out is not None else write_exact(value, _MFM)[0].encode()


def artifact_id_for_bytes(data: bytes) -> str:
    """Upstream `artifact_id_for_bytes`: SHA-256 of `data` as 64 lower-case hex digits, no prefix."""
    return hashlib.sha256(data).hexdigest()


def mfm_artifact_id(value: Any) -> str:
    """Upstream `artifact_id_for_json`: the `ArtifactId` of a structured value."""
    return artifact_id_for_bytes(mfm_canonical_bytes(value))
