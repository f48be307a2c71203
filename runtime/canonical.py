"""Canonical JSON bytes: RFC 8785 (JCS), plus the exact serializer `mfm` shares.

`jcs(value)` writes a Python JSON value (dict with str keys, list/tuple, str, int, float, bool,
None) as RFC 8785 bytes: object keys sorted by UTF-16 code units, no whitespace, UTF-8, strings
escaped as RFC 8785 says (which is also serde_json's escaping), numbers in ECMAScript
`Number.prototype.toString` form.

One documented extension: a Python `int` is written with its exact digits (u64 fields are common
here), where RFC 8785 would route |n| > 2^53-1 through an IEEE-754 double. An integer whose double
would overflow is refused (`CanonicalError`), since JSON readers cannot hold it: serde_json rejects
it as "number out of range". `bool` is not treated as an int.

Stores write a second variant, `float_literals=True` (`stored_number`): a float whose ECMAScript
form reads as an integer (`1`, `-0`, `1e+16` is fine but `10000000000000000` is not) keeps a
fraction (`1.0`, `-0.0`), because serde reads `1` in a free JSON position as an integer and `1.0`
as a float: a stored document must read back as the document received.

Speed: a value of exact built-in types is written by orjson, whose key order (code points),
compact layout and string escaping equal RFC 8785 unless some character is >= U+10000; its floats
are first swapped for `orjson.Fragment`s holding their ECMAScript text. orjson refuses non-str
keys, lone surrogates and integers beyond 64 bits. Everything else (a subclass, an unsupported
type, NaN, an astral character in the output, anything orjson refused) goes through
`write_exact`, a small pure-Python serializer that applies every rule itself and names the JSON
pointer of the first bad value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import orjson

from .errors import InvalidInputError
from .jsontext import F64_LIMIT

__all__ = [
    "CanonicalError",
    "Rules",
    "es_number",
    "jcs",
    "jcs_and_floats",
    "jcs_text",
    "json_pointer",
    "plain_bytes",
    "stored_number",
    "write_exact",
]

_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_UTF8 = re.compile(b"[\xf0-\xf4]")  # lead bytes of 4-byte UTF-8 sequences


class CanonicalError(InvalidInputError):
    """A value with no canonical JSON form; `pointer` is the JSON pointer of the bad value."""

    def __init__(self, pointer: str, problem: str) -> None:
        self.pointer = pointer
        self.problem = problem
        super().__init__(f"{pointer or '/'}: {problem}")


@dataclass(frozen=True)
class Rules:
    """What `write_exact` does where canonical forms differ.

    `utf16_keys`: sort keys by UTF-16 code units (RFC 8785) rather than by code points (Rust
    `String` order). `float_error`: raise this for any float instead of writing it as an
    ECMAScript number. `int_range`: (lowest, highest) integer accepted; others raise `float_error`
    (serde_json holds integers beyond i64/u64 as floats).
    """

    utf16_keys: bool = True
    float_error: type[CanonicalError] | None = None
    int_range: tuple[int, int] | None = None
    float_literals: bool = False
    """Write a float so that it reads back as a float (`stored_number`), not as RFC 8785 does."""


JCS = Rules()
"""RFC 8785 rules (plus exact integers)."""
STORED = Rules(float_literals=True)
"""What stores keep: RFC 8785 (plus exact integers), floats kept floats."""

_PLAIN, _FLOAT, _OTHER = 0, 1, 2
_MAX_FAST_DEPTH = 255  # orjson's own limit; deeper (or self-containing) values go to write_exact


def _scan(value: Any) -> int:
    """_PLAIN if `value` holds only exact dict/list/tuple/str/int/bool/None, _FLOAT if it also
    holds finite exact floats, _OTHER at the first value of any other type (subclasses and
    non-finite floats included) or past orjson's depth."""
    level, floats = [value], False
    for _ in range(_MAX_FAST_DEPTH + 1):
        inner = []
        for item in level:
            kind = type(item)
            if kind is str or kind is int or kind is bool or item is None:
                continue
            if kind is dict:
                inner.extend(item.values())
            elif kind is list or kind is tuple:
                inner.extend(item)
            elif kind is float and item - item == 0.0:  # NaN and infinity give NaN
                floats = True
            else:
                return _OTHER
        if not inner:
            return _FLOAT if floats else _PLAIN
        level = inner
    return _OTHER


def plain_bytes(value: Any) -> bytes | None:
    """Compact JSON of a plain, float-free value with keys in code-point order, or None.

    None when `value` holds a float or anything but exact dict/list/tuple/str/int/bool/None, or
    when orjson refuses it (a non-str key, a lone surrogate, an integer beyond i64/u64, deep
    nesting). Callers then use `write_exact`, which gives the answer or the precise error.
    """
    if _scan(value) != _PLAIN:
        return None
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None


class _NotPlain(Exception):
    """A value `_with_fragments` leaves to `write_exact`."""


def _with_fragments(value: Any, number: Callable[[float], str]) -> Any:
    """Copy of a value with every float replaced by its text (`number`) as an orjson.Fragment."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) is str else _with_fragments(item, number) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) is str else _with_fragments(item, number) for item in value]
    if kind is float and math.isfinite(value):
        return orjson.Fragment(number(value))
    if kind is int or kind is bool or value is None:
        return value
    raise _NotPlain


def _exponent_written(out: bytes) -> bool:
    """Whether orjson's output may hold a number written with an exponent, which orjson always
    signs (`1e-7`, `1e+16`); a string holding `e-` or `e+` only costs the slower path. (Two
    substring searches: a regular expression led by a character class costs several times
    more than all the rest of a document's canonical form.)"""
    return b"e-" in out or b"e+" in out


def stored_text_bytes(value: Any) -> bytes | None:
    """The stores' canonical bytes (`jcs(value, float_literals=True)`) of a value read from JSON
    text, when a cheap C-speed look shows they are orjson's compact key-sorted output: no number
    written with an exponent (orjson then writes a float in the shortest digits, as ECMAScript
    does, and keeps the `.0` of an integral one, as the stores' variant does), no character
    beyond U+FFFF (where UTF-16 key order may differ) and no integer beyond i64/u64. None
    otherwise: the caller then uses `jcs_and_floats`. Only for values parsed from text
    (`jsontext.parse_document` or `orjson.loads`), which hold no NaN, infinity or subclass that
    orjson would write loosely."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None
    if _exponent_written(out) or (not out.isascii() and _ASTRAL_UTF8.search(out)):
        return None
    return out


def jcs_and_floats(value: Any, float_literals: bool = False) -> tuple[bytes, bool]:
    """RFC 8785 bytes of `value`, and whether it held any float at all (then validators that
    look for floats in integer positions can be skipped when it is False). `float_literals`
    writes the stores' variant (see the module docstring).

    The flag is free: the fast path looks at every value's type anyway. Raises `CanonicalError`
    (naming the JSON pointer) for NaN/infinity, non-str keys, lone surrogates and unsupported types.
    """
    kind = _scan(value)
    if kind != _OTHER:
        number = stored_number if float_literals else es_number
        try:
            if kind == _FLOAT and not float_literals:  # RFC 8785 writes `1.0` as `1`
                out = orjson.dumps(_with_fragments(value, number), option=orjson.OPT_SORT_KEYS)
            else:
                out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
                if kind == _FLOAT and _exponent_written(out):  # else orjson wrote the stored floats
                    out = orjson.dumps(_with_fragments(value, number), option=orjson.OPT_SORT_KEYS)
        except (orjson.JSONEncodeError, _NotPlain, RecursionError):
            pass
        else:
            if out.isascii() or not _ASTRAL_UTF8.search(out):  # else key order may differ from UTF-16 order
                return out, kind == _FLOAT
    text, floats = write_exact(value, STORED if float_literals else JCS)
    return text.encode(), floats


def jcs(value: Any, float_literals: bool = False) -> bytes:
    """RFC 8785 (JCS) bytes of a JSON value; see the module docstring for the int extension and
    the stores' `float_literals` variant."""
    return jcs_and_floats(value, float_literals)[0]


def jcs_text(value: Any) -> str:
    """RFC 8785 canonical form of `value` as a str (`jcs(value)` decoded)."""
    return jcs_and_floats(value)[0].decode()


def es_number(number: float) -> str:
    """A finite float as ECMAScript `Number.prototype.toString` writes it (RFC 8785 section 3.2.2.3).

    Python's `repr` and ECMAScript both pick the shortest digit string that reads back as the same
    double; only the layout differs: ECMAScript uses exponent form from `1e+21` up and below
    `1e-6`, writes integral values without `.0`, and writes -0 as `0`.
    """
    if not math.isfinite(number):
        raise ValueError(f"{number!r} is not a finite number")
    if number == 0:
        return "0"
    text = repr(number)
    if "e" not in text:  # repr is positional for 1e-4 <= |number| < 1e16, as ECMAScript is there
        return text[:-2] if text.endswith(".0") else text
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).rstrip("0")
    point = len(whole) + int(exponent)  # |number| = 0.<digits> * 10**point; repr has one digit before "."
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    head = digits[0] if len(digits) == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{head}e{'+' if point > 1 else '-'}{abs(point - 1)}"


def stored_number(number: float) -> str:
    """A finite float as stores keep it: its ECMAScript form, with `.0` added where that form would
    read back as an integer (`1.0`, `-0.0`, `10000000000000000.0`), so serde reads a float again."""
    text = es_number(number)
    if "." in text or "e" in text:
        return text
    return "-0.0" if number == 0 and math.copysign(1.0, number) < 0 else f"{text}.0"


class _Bad(Exception):
    """Raised inside the writer; collects the path on the way out."""

    def __init__(self, error: type[CanonicalError], problem: str) -> None:
        self.error = error
        self.problem = problem
        self.path: list[str | int] = []

    def to_error(self) -> CanonicalError:
        return self.error(json_pointer(reversed(self.path)), self.problem)


def not_json_number(value: float) -> str:
    """Why a non-finite float is no JSON value (JSON text has no NaN or infinity)."""
    name = "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    return f"{name} is not JSON"


def json_pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 pointer of a path (`~` and `/` escaped; lone surrogates shown as `\\udxxx`)."""
    text = "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in path)
    return text.encode("utf-8", "backslashreplace").decode()


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")  # a lone surrogate is reported by _quote


def _quote(text: str, what: str = "string") -> str:
    if not text.isascii() and (bad := _SURROGATE.search(text)):
        raise _Bad(CanonicalError, f"{what} holds a lone UTF-16 surrogate U+{ord(bad.group()):04X}")
    return encode_basestring(text)


def write_exact(value: Any, rules: Rules) -> tuple[str, bool]:
    """Canonical JSON text of `value` under `rules`, and whether it held a float (slow, exact).

    Raises `CanonicalError` (or `rules.float_error`) naming the JSON pointer of the bad value.
    """
    out: list[str] = []
    floats = False

    def write(item: Any) -> None:
        nonlocal floats
        kind = type(item)
        if kind is str:
            out.append(_quote(item))
        elif item is None or kind is bool:
            out.append("null" if item is None else "true" if item else "false")
        elif isinstance(item, dict):
            for key in item:
                if not isinstance(key, str):
                    raise _Bad(CanonicalError, f"object key {key!r} ({type(key).__name__}) is not a string")
            keys = sorted(item)
            if rules.utf16_keys and _ASTRAL.search("".join(keys)):
                keys.sort(key=_utf16)
            separator = "{"
            for key in keys:
                out.append(f"{separator}{_quote(key, 'object key')}:")
                separator = ","
                member = item[key]
                if type(member) is str:
                    try:
                        out.append(_quote(member))
                    except _Bad as bad:
                        bad.path.append(key)
                        raise
                    continue
                try:
                    write(member)
                except _Bad as bad:
                    bad.path.append(key)
                    raise
            out.append("}" if keys else "{}")  # "{" went out with the first key, if any
        elif isinstance(item, (list, tuple)):
            separator = "["
            for index, element in enumerate(item):
                out.append(separator)
                separator = ","
                try:
                    write(element)
                except _Bad as bad:
                    bad.path.append(index)
                    raise
            out.append("]" if item else "[]")  # likewise "["
        elif isinstance(item, str):
            out.append(_quote(item))
        elif isinstance(item, int):
            if rules.int_range and not rules.int_range[0] <= item <= rules.int_range[1]:
                problem = f"integer of {item.bit_length()} bits is out of range (serde_json holds it as a float)"
                raise _Bad(rules.float_error or CanonicalError, problem)
            if not -F64_LIMIT < item < F64_LIMIT:  # also keeps int.__repr__ within Python's digit limit
                problem = f"integer of {item.bit_length()} bits is out of range (a 64-bit float overflows)"
                raise _Bad(CanonicalError, problem)
            out.append(int.__repr__(item))
        elif isinstance(item, float):
            floats = True
            if rules.float_error is not None:
                raise _Bad(rules.float_error, f"float {item!r} is not allowed")
            if not math.isfinite(item):
                raise _Bad(CanonicalError, not_json_number(item))
            out.append(stored_number(item) if rules.float_literals else es_number(item))
        else:
            raise _Bad(CanonicalError, f"{type(item).__name__} is not a JSON value")

    try:
        write(value)
    except _Bad as bad:
        raise bad.to_error() from None
    except RecursionError:
        raise CanonicalError("", "value nests too deeply (or contains itself)") from None
    return "".join(out), floats
