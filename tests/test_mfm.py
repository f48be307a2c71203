"""mfm-machine's canonical JSON and ArtifactId (`ledgerspec.mfm`).

Expected values are copied from the wire-format reference, section 2.12 (upstream
`crates/machine/src/hashing.rs` and `secrets.rs` tests and the worked RunManifest example), and
every digest is also checked with hashlib on the literal canonical text the reference gives.
"""

from __future__ import annotations

import collections
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerspec.canonical import CanonicalError
from ledgerspec.errors import InvalidInputError
from ledgerspec.mfm import (
    SECRET_MARKERS,
    FloatNotAllowedError,
    SecretsNotAllowedError,
    artifact_id_for_bytes,
    mfm_artifact_id,
    mfm_canonical_bytes,
)

# Reference section 2.2: the RunManifest example, as serde writes it (declaration order).
MANIFEST_JSON = '{"op_id":"portfolio_snapshot","op_version":"1","input_params":{"chain_id":1,"wallets":["0xabc"]},"run_config":{"io_mode":"Live","retry_policy":{"max_attempts":3,"backoff":{"Fixed":{"delay":{"secs":1,"nanos":0}}}},"event_profile":"Normal","execution_mode":"Sequential","context_checkpointing":"AfterEveryState","replay_missing_fact_retryable":false,"skip_tags":[],"nix_flake_allowlist":["github:willyrgf/mfm"]},"build":{"git_commit":null,"cargo_lock_hash":null,"flake_lock_hash":null,"rustc_version":null,"target_triple":null,"env_allowlist":[]}}'
# Reference section 2.12: its canonical form and ArtifactId.
MANIFEST_CANONICAL = b'{"build":{"cargo_lock_hash":null,"env_allowlist":[],"flake_lock_hash":null,"git_commit":null,"rustc_version":null,"target_triple":null},"input_params":{"chain_id":1,"wallets":["0xabc"]},"op_id":"portfolio_snapshot","op_version":"1","run_config":{"context_checkpointing":"AfterEveryState","event_profile":"Normal","execution_mode":"Sequential","io_mode":"Live","nix_flake_allowlist":["github:willyrgf/mfm"],"replay_missing_fact_retryable":false,"retry_policy":{"backoff":{"Fixed":{"delay":{"nanos":0,"secs":1}}},"max_attempts":3},"skip_tags":[]}}'
MANIFEST_ID = "4d7007a01391673a7d80d0f8c5a83955b4ed4b2a35a81944bd65c205c86a1f55"
EMPTY_ID = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
HELLO_ID = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
MNEMONIC_12 = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"


def test_artifact_id_for_bytes() -> None:
    assert hashlib.sha256(b"hello").hexdigest() == HELLO_ID
    assert artifact_id_for_bytes(b"hello") == HELLO_ID


def test_run_manifest_worked_example() -> None:
    assert hashlib.sha256(MANIFEST_CANONICAL).hexdigest() == MANIFEST_ID
    manifest = json.loads(MANIFEST_JSON)
    assert mfm_canonical_bytes(manifest) == MANIFEST_CANONICAL
    assert mfm_artifact_id(manifest) == MANIFEST_ID
    assert mfm_artifact_id(json.loads(MANIFEST_CANONICAL)) == MANIFEST_ID


def test_empty_context_snapshot() -> None:
    assert hashlib.sha256(b"{}").hexdigest() == EMPTY_ID
    assert mfm_canonical_bytes({}) == b"{}"
    assert mfm_artifact_id({}) == EMPTY_ID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"b":1,"a":2}', b'{"a":2,"b":1}'),
        ('{"arr":[true,null,3],"obj":{"y":2,"x":1}}', b'{"arr":[true,null,3],"obj":{"x":1,"y":2}}'),
        ('{"s":"a\\nb"}', b'{"s":"a\\nb"}'),
    ],
)
def test_upstream_hashing_vectors(text: str, expected: bytes) -> None:
    assert mfm_canonical_bytes(json.loads(text)) == expected
    assert mfm_artifact_id(json.loads(text)) == hashlib.sha256(expected).hexdigest()


def test_integers_exact_within_i64_u64() -> None:
    value = {"max_u64": 18446744073709551615, "min_i64": -9223372036854775808, "big": 9007199254740993}
    assert (
        mfm_canonical_bytes(value)
        == b'{"big":9007199254740993,"max_u64":18446744073709551615,"min_i64":-9223372036854775808}'
    )


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ('{"x":1.5}', "/x"),
        ("[1.0,2]", "/0"),
        ('{"a":{"b":[1,2,3e2]}}', "/a/b/2"),
        ('{"n":18446744073709551616}', "/n"),  # beyond u64: serde_json holds it as a float
        ('{"n":-9223372036854775809}', "/n"),  # below i64
    ],
)
def test_floats_are_refused(text: str, pointer: str) -> None:
    with pytest.raises(FloatNotAllowedError) as caught:
        mfm_canonical_bytes(json.loads(text))
    assert isinstance(caught.value, InvalidInputError)
    assert caught.value.pointer == pointer
    assert str(caught.value).startswith(f"{pointer}: ")


@pytest.mark.parametrize(
    ("value", "pointer"),
    [
        ({"mnemonic": MNEMONIC_12}, ""),  # upstream's own test
        ({"note": MNEMONIC_12}, "/note"),
        ({"a": [{"ok": 1}, " ".join(["zoo"] * 24)]}, "/a/1"),
        ({"a": "\u3000".join(["word"] * 12)}, "/a"),  # U+3000 is White_Space for Rust
        ({"X-Api-Key": "k-123"}, ""),
        ({"headers": {"Authorization": "x"}}, "/headers"),
        ({"h": ["Bearer eyJhbGciOi"]}, "/h/0"),
        ({"password=123": 1}, ""),
        ({"v": "MNEMONIC"}, "/v"),
        ({"v": "private_key"}, "/v"),
        ({"v": "seed phrase: ..."}, "/v"),
        ({"v": "AWS_SECRET_ACCESS_KEY=..."}, "/v"),
        ({"x": 1.5, "nested": {"Refresh_Token": 1}}, "/nested"),  # secrets are checked before floats
    ],
)
def test_secrets_are_refused(value: Any, pointer: str) -> None:
    with pytest.raises(SecretsNotAllowedError) as caught:
        mfm_canonical_bytes(value)
    assert isinstance(caught.value, InvalidInputError)
    assert isinstance(caught.value, CanonicalError)
    assert caught.value.pointer == pointer


def test_secret_values_are_not_echoed() -> None:
    with pytest.raises(SecretsNotAllowedError) as caught:
        mfm_canonical_bytes({"a": {"b": ["fine", "my password is hunter2"]}})
    assert caught.value.pointer == "/a/b/1"
    assert "hunter2" not in str(caught.value)
    with pytest.raises(SecretsNotAllowedError) as caught:
        mfm_canonical_bytes({"aws_access_key_id_AKIAEXAMPLE": 1})
    assert "AKIAEXAMPLE" not in str(caught.value)
    with pytest.raises(SecretsNotAllowedError) as caught:
        mfm_canonical_bytes({"m": MNEMONIC_12})
    assert "abandon" not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        {"note": " ".join(["abandon"] * 11)},  # 11 words: too few
        {"note": " ".join(["the"] * 25)},  # 25 words: too many
        {"note": "Abandon " + " ".join(["abandon"] * 11)},  # a capital letter
        {"note": "\x1c".join(["abandon"] * 12)},  # U+001C is not White_Space for Rust
        {"note": "abandon1 " + " ".join(["abandon"] * 11)},
        {"event": "artifact_written", "op": "seeding_database"},  # upstream's negative examples
        {"scheme": "bearer"},  # the marker is "bearer " with a space
        {"k": "API_\u212aEY"},  # KELVIN SIGN is not ASCII "k": Rust lower-cases ASCII only
        {"tokens": 5, "key": "id", "secret": "s"},
    ],
)
def test_not_secrets(value: Any) -> None:
    assert (
        mfm_canonical_bytes(value)
        == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_key_order_is_code_point_order() -> None:
    # Rust String order: U+E000 (EE 80 80) before U+1F600 (F0 9F 98 80); RFC 8785 has the opposite.
    value = {"\U0001f600": 2, "\ue000": 1}
    expected = '{"\ue000":1,"\U0001f600":2}'.encode()
    assert mfm_canonical_bytes(value) == expected
    assert mfm_artifact_id(value) == hashlib.sha256(expected).hexdigest()


def test_slow_path_agrees() -> None:
    value = collections.OrderedDict([("b", (1, "\x00")), ("a", {"\U0001f600": None, "\ue000": True})])
    assert mfm_canonical_bytes(value) == '{"a":{"\ue000":true,"\U0001f600":null},"b":[1,"\\u0000"]}'.encode()


@pytest.mark.parametrize(
    ("value", "pointer"),
    [({"a": {1: 2}}, "/a"), ({"a": ["\ud800"]}, "/a/0"), ({"a": object()}, "/a")],
)
def test_not_json(value: Any, pointer: str) -> None:
    with pytest.raises(CanonicalError) as caught:
        mfm_canonical_bytes(value)
    assert not isinstance(caught.value, (FloatNotAllowedError, SecretsNotAllowedError))
    assert caught.value.pointer == pointer


# --- the secrets gate against a literal transcription of upstream `secrets.rs` -----------------

# Reference section 2.12, in its order.
REFERENCE_MARKERS = [
    "password", "passphrase", "mnemonic", "private_key", "privatekey", "seed phrase", "seed_phrase", "seedphrase",
    "api_key", "apikey", "x-api-key", "x_api_key", "access_key", "accesskey", "secret_key", "secretkey",
    "aws_access_key_id", "aws_secret_access_key", "access_token", "refresh_token", "id_token", "authorization",
    "bearer ",
]  # fmt: skip
# Unicode White_Space, which Rust's `split_whitespace` splits at.
RUST_WHITESPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def test_marker_list_is_the_reference_list() -> None:
    assert list(SECRET_MARKERS) == REFERENCE_MARKERS


def upstream_string_contains_secrets(text: str) -> bool:
    lower = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)  # to_ascii_lowercase
    if any(marker in lower for marker in REFERENCE_MARKERS):
        return True
    words, word = [], ""
    for char in text + " ":
        if char in RUST_WHITESPACE:
            if word:
                words.append(word)
            word = ""
        else:
            word += char
    return 12 <= len(words) <= 24 and all("a" <= c <= "z" for w in words for c in w)


def upstream_json_contains_secrets(value: Any) -> bool:
    if isinstance(value, str):
        return upstream_string_contains_secrets(value)
    if isinstance(value, list):
        return any(upstream_json_contains_secrets(v) for v in value)
    if isinstance(value, dict):
        return any(map(upstream_string_contains_secrets, value)) or any(
            map(upstream_json_contains_secrets, value.values())
        )
    return False


_pieces = st.sampled_from(
    ["abandon", "zoo", "Word", "pass", "PassWord", "x-API-key", "apikey", "bearer", "Bearer", "token", "id_", "seed",
     "phrase", "_", "-", "k", "\u212a", "\u00e9", "1", '"', "\\", " ", " ", " ", "\t", "\n", "\u3000", "\u2009",
     "\x1c", "\xa0", "\u200b"]
)  # fmt: skip
_phrases = st.builds(  # 10 to 26 words, maybe one capitalised, between one kind of separator
    lambda words, gap, capital: gap.join(words[:-1] + [words[-1].title() if capital else words[-1]]),
    st.lists(st.sampled_from(["abandon", "zoo", "q"]), min_size=10, max_size=26),
    st.sampled_from([" ", " \t ", "\n", "\u3000", "\xa0", "\u2009", "\x1c", "\u200b", "-"]),
    st.booleans(),
)
_texts = st.lists(_pieces, max_size=30).map("".join) | _phrases
_values = st.recursive(
    st.none() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | _texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_texts, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_secrets_gate_matches_upstream_rule(value: Any) -> None:
    if upstream_json_contains_secrets(value):
        with pytest.raises(SecretsNotAllowedError):
            mfm_canonical_bytes(value)
    else:
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert mfm_canonical_bytes(value) == expected
