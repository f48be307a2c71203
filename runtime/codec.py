"""The wire-exact codec: one cattrs Converter whose hooks are derived from the schemas.

Nothing here names a contract type. Every hook comes from what the schemas say:
- struct properties give the wire keys, their order and which keys serde omits
  (`x-skip-serializing-if`);
- `oneOf` unions give the tag (a `discriminator` property or the external key) that picks a
  variant class;
- `format: float` marks f32 values, rounded the way serde stores them;
- `x-canonical` marks values serde re-emits in a canonical form (lowercase hex, hyphenated UUID,
  a `Duration` whose nanos carried into secs, a `BTreeSet` sorted and deduplicated);
- free JSON positions (`serde_json::Value`, opaque objects) hold an integer beyond i64/u64 as the
  f64 serde_json reads it as.
Input is validated against the schema before it is structured, so structuring never guesses.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import keyword
import uuid
from collections.abc import Callable
from functools import cached_property
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin, get_type_hints
from urllib.parse import urljoin

import orjson

from .contract import SKIP, Contract
from .errors import Issue, UnknownTypeError, ValidationError
from .jsontext import I64_MIN, U64_MAX, Parsed, f32
from .schemaset import NAMESPACES, Schema, TypeEntry, free_value, opaque_object
from .validation import Validator

if TYPE_CHECKING:
    import cattrs

Hook = Callable[[Any], Any]
NANOS_PER_SEC = 1_000_000_000


def _or_none(hook: Hook) -> Hook:
    """`hook` for a value that may also be null."""
    return lambda value: None if value is None else hook(value)


def canonical_uuid(value: str) -> str:
    """The lowercase hyphenated form `uuid` serializes any accepted UUID spelling to."""
    return str(uuid.UUID(value))


def carry_duration(value: Any) -> Any:
    """A Duration with nanos >= 1e9 carried into secs, as serde normalises it."""
    if value.nanos < NANOS_PER_SEC:
        return value
    extra, nanos = divmod(value.nanos, NANOS_PER_SEC)
    return dataclasses.replace(value, secs=value.secs + extra, nanos=nanos)


SCALAR_CANONICAL: dict[str, Hook] = {"lowercase": str.lower, "uuid": canonical_uuid}


def serde_value(value: Any) -> Any:
    """A free JSON value as `serde_json::Value` holds it: an integer beyond i64/u64 becomes the f64
    serde_json reads it as (and writes back, `18446744073709551616` -> `1.8446744073709552e19`).

    orjson refuses exactly those integers, so a value it writes is returned as it is, unwalked."""
    kind = type(value)
    if kind is int:
        return value if I64_MIN <= value <= U64_MAX else float(value)
    if kind is not dict and kind is not list:
        return value
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        if kind is dict:
            return {key: serde_value(item) for key, item in value.items()}
        return [serde_value(item) for item in value]
    return value


def _opaque_object(value: Any) -> Any:
    """An opaque object (every key kept, each a free JSON value), copied."""
    return dict(serde_value(value))


def _enum_value(member: Any) -> Any:
    """The wire value of an enum member; anything else (a plain string given for a member) is
    passed on for validation to judge."""
    try:
        return member.value
    except AttributeError:
        return member


def _member_lookup(cls: type[enum.Enum]) -> StructureHook:
    """The structure hook of an enum: its member by wire value, one dict lookup (calling the
    class looks the value up through `EnumMeta.__call__`, several times slower); a value no
    member has gets the class's own ValueError."""
    members = {member.value: member for member in cls}

    def member(value: Any, _: Any) -> Any:
        found = members.get(value) if type(value) is str else None
        return cls(value) if found is None else found

    return member


StructureHook = Callable[[Any, Any], Any]


def _ignoring_type(hook: Hook) -> StructureHook:
    """A one-argument hook as a structure hook."""
    return lambda value, _: hook(value)


class _Taken:
    """The structure hook of a value taken as it is (a validated string, integer or boolean). It
    is false: for a field whose hook is false, the code cattrs generates reads the value straight
    from the input (`res[name] = o[key]`), without a call per plain field."""

    def __call__(self, value: Any, _: Any) -> Any:
        return value

    def __bool__(self) -> bool:
        return False


_same = _Taken()


def _float(value: Any, _: Any) -> float:
    return float(value)


def _copy_list(values: Any, _: Any) -> Any:
    return list(values)


def _copy_dict(values: Any, _: Any) -> Any:
    return dict(values)


def _optional(inner: StructureHook) -> StructureHook:
    return lambda value, t: None if value is None else inner(value, t)


def _each(item: StructureHook) -> StructureHook:
    return lambda values, t: [item(value, t) for value in values]


def _each_value(item: StructureHook) -> StructureHook:
    return lambda values, t: {key: item(value, t) for key, value in values.items()}


def plain_hook(annotation: Any) -> StructureHook | None:
    """A fast cattrs structure hook for an annotation made only of JSON scalars, lists and maps.

    Input is validated before it is structured, so such values need no checks: strings, integers,
    booleans and literals (a variant's tag) are taken as they are, floats are made floats (serde
    reads `1` as `1.0`), lists and maps are copied. None for any other annotation."""
    if annotation in (str, int, bool, Any) or get_origin(annotation) is Literal:
        return _same
    if annotation is float:
        return _float
    args = get_args(annotation)
    origin = getattr(annotation, "__origin__", None)
    if isinstance(annotation, UnionType) and len(args) == 2 and NoneType in args:
        inner = plain_hook(next(arg for arg in args if arg is not NoneType))
        return inner if inner is None or inner is _same else _optional(inner)
    if origin is list:
        item = plain_hook(args[0])
        return _copy_list if item is _same else (None if item is None else _each(item))
    if origin is dict and args[0] is str:
        item = plain_hook(args[1])
        return _copy_dict if item is _same else (None if item is None else _each_value(item))
    return None


def python_name(wire: str) -> str:
    """Attribute name the generator gives a wire key (keywords get a trailing underscore)."""
    return f"{wire}_" if keyword.iskeyword(wire) else wire


class Codec:
    """Loads JSON values into generated models and dumps models back to serde's JSON."""

    def __init__(self, contract: Contract, validator: Validator | None = None) -> None:
        self.contract = contract
        self.validator = validator or Validator(contract)
        self._top: dict[str, tuple[StructureHook, Any]] = {}

    # The generated models and the converter are made on first use: a store that only moves JSON
    # (`ledgerspec store append`) never imports the models, about a tenth of a second of start-up.

    @cached_property
    def types(self) -> dict[str, Any]:
        """The generated class (or alias) of every type, by qualified name."""
        modules = {ns: importlib.import_module(f"ledgerspec.models.{ns}") for ns in NAMESPACES}
        return {
            name: getattr(modules[entry.namespace], entry.class_name) for name, entry in self.contract.entries.items()
        }

    @cached_property
    def _names(self) -> dict[Any, str]:
        names: dict[Any, str] = {}
        for name, obj in self.types.items():
            if isinstance(obj, type) and (dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum)):
                names.setdefault(obj, name)
        return names

    @cached_property
    def _unions(self) -> dict[frozenset[Any], str]:
        return {frozenset(get_args(self.types[name])): name for name in self.contract.unions}

    @cached_property
    def converter(self) -> cattrs.Converter:
        """The cattrs converter, with every hook the schemas call for (cattrs is imported here: a
        command that only moves JSON never needs it)."""
        import cattrs

        converter = cattrs.Converter(detailed_validation=False)
        self._register(converter)
        return converter

    # -- public API -------------------------------------------------------------------------

    def qualified(self, type_or_name: Any) -> str:
        """Qualified name of a type given by name or by generated class."""
        if isinstance(type_or_name, str):
            return self.contract.entry(type_or_name).qualified
        try:
            return self._names[type_or_name]
        except (KeyError, TypeError):
            raise UnknownTypeError(f"{type_or_name!r} is not a generated ledgerspec model") from None

    def load(self, type_or_name: Any, data: Any, strict: bool = False, integer_literals: bool = True) -> Any:
        """Validate `data` as the given type and build its model; ValidationError lists every problem.

        `integer_literals=False` is for data parsed from text with no integral float literal
        (see `Validator.issues`); `load_parsed` takes a parsed document whole."""
        name = self.qualified(type_or_name)
        self.validator.validate(name, data, strict, integer_literals)
        return self._build(name, data)

    def load_parsed(self, type_or_name: Any, parsed: Parsed, strict: bool = False) -> Any:
        """`load` a document read from JSON text, also giving serde's verdict on its repeated keys."""
        name = self.qualified(type_or_name)
        if not self.validator.passes(name, parsed, strict):
            self.validator.validate_parsed(name, parsed, strict)
        return self._build(name, parsed.value)

    def _build(self, name: str, data: Any) -> Any:
        """The model of valid data; a value no model field can hold is a `format` problem."""
        hook, annotation = self._structurer(name)
        try:
            return hook(data, annotation)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(name, [Issue("", "format", str(exc), data)]) from None

    def build(self, type_or_name: Any, data: Any) -> Any:
        """Build the model of data already known to be valid, skipping validation: for stores
        reading back documents they validated when writing them."""
        hook, annotation = self._structurer(self.qualified(type_or_name))
        return hook(data, annotation)

    def dump(self, obj: Any, validate: bool = False) -> Any:
        """The JSON value serde writes for `obj` (keys in declaration order, skipped keys omitted).

        With `validate=True` the value is first checked against the writer (strict) contract of
        the model's type, so a model built with wrong values (`event_id=123`) raises
        ValidationError instead of becoming JSON no serde reader accepts. Callers that validate
        the value themselves (the stores) leave it off. A value a hook cannot write at all (a
        UUID field holding an int) is a ValidationError either way."""
        try:
            data = self.converter.unstructure(obj)
        except (AttributeError, TypeError, ValueError) as exc:
            name = self._names.get(type(obj), type(obj).__name__)
            raise ValidationError(name, [Issue("", "type", f"cannot be written as JSON: {exc}", obj)]) from None
        if validate:
            self.validator.validate(self.qualified(type(obj)), data, strict=True)
        return data

    # -- hook construction ------------------------------------------------------------------

    def _register(self, conv: cattrs.Converter) -> None:
        conv.register_structure_hook_factory(lambda t: self._union_name(t) is not None, self._union_structure_fn)
        conv.register_structure_hook(Any, lambda value, _: value)
        owned = [
            (entry, self.types[name])
            for name, entry in self.contract.entries.items()
            if self._names.get(self.types[name]) == name
        ]
        # Enums first: cattrs captures each field's hook when it generates a struct's functions.
        # A StrEnum must dispatch by class, or cattrs would dump members as the plain str base.
        for _, obj in owned:
            if not dataclasses.is_dataclass(obj):
                conv.register_unstructure_hook(obj, _enum_value)
                conv.register_structure_hook(obj, _member_lookup(obj))
        # Struct hooks are built lazily by factories, so a struct nested in another gets these
        # hooks whatever the order in which cattrs first meets them.
        self._structs = {obj: entry for entry, obj in owned if dataclasses.is_dataclass(obj)}
        conv.register_structure_hook_factory(lambda t: t in self._structs, self._structure_fn)
        conv.register_unstructure_hook_factory(lambda t: t in self._structs, self._unstructure_fn)

    def _structurer(self, name: str) -> tuple[StructureHook, Any]:
        """The structure hook that builds the model of a valid `name` document and the annotation
        to call it with, made on first use."""
        found = self._top.get(name)
        if found is None:
            entry, obj = self.contract.entry(name), self.types[name]
            special = self._value_hooks(entry.schema, entry.uri)
            found = (_ignoring_type(special[0]), obj) if special else (self.converter.get_structure_hook(obj), obj)
            self._top[name] = found
        return found

    def _union_name(self, annotation: Any) -> str | None:
        if not isinstance(annotation, UnionType):
            return None
        members = frozenset(arg for arg in get_args(annotation) if arg is not NoneType)
        return self._unions.get(members)

    def _union_structure_fn(self, annotation: Any) -> Callable[[Any, Any], Any]:
        """Structure hook of a union (or an optional one): the variant's loader, looked up by the
        tag (or external key, or unit name) the value carries in a table filled on first use."""
        name = self._union_name(annotation)
        assert name is not None
        union = self.contract.unions[name]
        table: dict[Any, tuple[StructureHook, Any]] = {}

        def structure(data: Any, _: Any) -> Any:
            if data is None:
                return None
            key = data.get(union.tag) if union.tag is not None and type(data) is dict else None
            found = table.get(key) if type(key) is str else None
            if found is None:
                index = union.identify(data)
                if index is None:
                    raise ValueError(f"value names no variant of {name}")
                found = self._structurer(union.variants[index])
                if type(key) is str:
                    table[key] = found
            hook, variant = found
            return hook(data, variant)

        return structure

    def _properties(self, entry: TypeEntry) -> list[tuple[str, Schema, str]]:
        """(wire key, property schema, base URI) of a struct: own properties, then allOf bases'."""
        own = [(key, prop, entry.uri) for key, prop in entry.schema.get("properties", {}).items()]
        for member in entry.schema.get("allOf", []):
            ref = member.get("$ref")
            base = self.contract.by_uri(urljoin(entry.uri, ref)) if isinstance(ref, str) else None
            if base is not None:
                own += [p for p in self._properties(base) if p[0] not in {k for k, _, _ in own}]
        return own

    def _struct_plan(self, cls: type) -> tuple[TypeEntry, list[tuple[str, Schema, str]]]:
        entry = self._structs[cls]
        props = self._properties(entry)
        attrs = sorted(f.name for f in dataclasses.fields(cls))
        wanted = sorted(python_name(key) for key, _, _ in props)
        if attrs != wanted:
            raise TypeError(f"{entry.qualified}: model fields {attrs} do not match schema keys {wanted}")
        return entry, props

    def _structure_fn(self, cls: type) -> Callable[[Any, Any], Any]:
        from cattrs.gen import make_dict_structure_fn, override

        entry, props = self._struct_plan(cls)
        hints = get_type_hints(cls)
        overrides: dict[str, Any] = {}
        for key, prop, base in props:
            hooks = self._value_hooks(prop, base)
            if hooks:
                struct_hook: StructureHook | None = lambda value, _, hook=hooks[0]: hook(value)  # noqa: E731
            else:
                struct_hook = plain_hook(hints[python_name(key)])
            overrides[python_name(key)] = override(rename=key, struct_hook=struct_hook)
        structure: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, self.converter, **overrides)
        if entry.schema.get("x-canonical") == "duration":
            return lambda data, t: carry_duration(structure(data, t))
        return structure

    def _unstructure_fn(self, cls: type) -> Hook:
        from cattrs.gen import make_dict_unstructure_fn, override

        _, props = self._struct_plan(cls)
        overrides: dict[str, Any] = {}
        for key, prop, base in props:
            hooks = self._value_hooks(prop, base)
            overrides[python_name(key)] = override(
                rename=key, omit_if_default=SKIP in prop, unstruct_hook=hooks[1] if hooks else None
            )
        unstructure: Hook = make_dict_unstructure_fn(cls, self.converter, **overrides)
        order = [key for key, _, _ in props]
        if [python_name(key) for key in order] == [f.name for f in dataclasses.fields(cls)]:
            return unstructure

        # serde writes declaration order (an internal tag first); the generator puts required
        # fields before defaulted ones, so restore the schema's order.
        def in_declaration_order(obj: Any) -> Any:
            out = unstructure(obj)
            return {key: out[key] for key in order if key in out}

        return in_declaration_order

    def _order(self, schema: Schema, base: str) -> Hook:
        """Sort key of a value the way Rust's `Ord` orders it: enum values by declaration."""
        values = self.contract.enum_values(schema, base)
        if values:
            position = {value: index for index, value in enumerate(values)}
            return lambda value: position[getattr(value, "value", value)]
        return lambda value: value

    def _value_hooks(self, schema: Schema, base: str) -> tuple[Hook, Hook] | None:
        """(load, dump) functions a value needs beyond its annotation, from its schema."""
        if free_value(schema):
            return serde_value, serde_value
        if opaque_object(schema):
            return _opaque_object, _opaque_object
        members = schema.get("anyOf")
        if members and any(m.get("type") == "null" for m in members):
            inner = next(m for m in members if m.get("type") != "null")
            hooks = self._value_hooks(inner, base)
            if hooks is None:
                return None
            return _or_none(hooks[0]), _or_none(hooks[1])
        ref = schema.get("$ref")
        if ref is not None:
            target = self.contract.by_uri(urljoin(base, ref))
            return self._value_hooks(target.schema, target.uri) if target else None
        canonical = SCALAR_CANONICAL.get(schema.get("x-canonical", ""))
        if canonical is not None:
            return canonical, canonical
        if schema.get("format") == "float":
            rounded = _or_none(f32) if schema.get("type") == ["number", "null"] else f32
            return rounded, rounded
        if schema.get("type") in ("number", ["number", "null"]):  # an f64: serde writes `1` as `1.0`
            as_float: Hook = _or_none(float) if schema.get("type") == ["number", "null"] else float
            return as_float, as_float
        items = schema.get("items")
        if schema.get("x-canonical") == "set" and isinstance(items, dict):
            rank = self._order(items, base)
            canonical_set: Hook = lambda values: sorted(set(values), key=rank)  # noqa: E731
            return canonical_set, canonical_set
        if schema.get("type") == "array" and isinstance(items, dict):
            hooks = self._value_hooks(items, base)
            if hooks is not None:
                load, dump = hooks
                return (lambda vs: [load(v) for v in vs]), (lambda vs: [dump(v) for v in vs])
        return None
