"""The parts every broken store is made of: a correct `MemoryStore` whose ledgers are wrapped by
one deliberately buggy class.

A bug is a class carrying the id of the rule it breaks (`conformance/rules.json`) and a docstring
whose first line says what it gets wrong; its store's name is the class name in kebab case. Bugs
that must store what the correct checks refuse reach into the MemoryStore's state (`_ledgers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from ledgerspec import default_codec
from ledgerspec.codec import Codec
from ledgerspec.errors import Issue, ValidationError
from ledgerspec.store.memory import MemoryExperienceStore, MemoryRunEventStore, MemoryStore
from ledgerspec.store.stored import parse as parse_stored

LEDGERS = ("experience", "runs", "artifacts", "journal")


class Bug:
    """One realistic way of breaking one rule."""

    rule: ClassVar[str]
    """The id of the rule of conformance/rules.json this bug breaks."""

    @classmethod
    def name(cls) -> str:
        """The broken store's name: the class name in kebab case (`NewestFirst` -> `newest-first`)."""
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[a-z])(?=[0-9])|(?<=[A-Z])(?=[A-Z][a-z])", "-", cls.__name__).lower()

    @classmethod
    def description(cls) -> str:
        """What the bug gets wrong, in one line (the docstring's first line)."""
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def make_store(cls) -> Any:
        """A fresh broken store (an empty one for every scenario)."""
        raise NotImplementedError


class Remembered:
    """A correct experience ledger (or tenant view) that answers a query again from memory while
    no envelope was appended since: the ledger is append-only, so the answer depends only on the
    query and the number of envelopes stored. This keeps the catalogue's full suite runs cheap
    (a polling reader asks the same query dozens of times) without changing any answer."""

    def __init__(self, inner: MemoryExperienceStore, store: MemoryStore, memo: dict[str, tuple[int, Any]]) -> None:
        self.inner = inner
        self.envelopes = store._ledgers.envelopes  # the store's list of envelopes, only ever extended
        self.memo = memo

    def query_events(self, query: Any) -> Any:
        """The correct answer, remembered per (tenant, query) until the ledger grows."""
        key, before = f"{self.inner.tenant!r} {query!r}", len(self.envelopes)
        known = self.memo.get(key)
        if known is not None and known[0] == before:
            return list(known[1])
        found = self.inner.query_events(query)
        if len(self.envelopes) == before:
            self.memo[key] = (before, found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class RawReads:
    """A correct run or journal ledger of a MemoryStore with the raw reader the conformance runner
    looks for (`read_documents`, see `ops.RAW_READS`): the bytes the ledger keeps, so a bug that
    changes what is stored shows even where models hide it (the experience ledger has its own,
    `query_documents`)."""

    def __init__(self, inner: Any, store: MemoryStore) -> None:
        self.inner = inner
        self.ledgers = store._ledgers

    def read_documents(self, run_id: Any, from_seq: int = 1, to_seq: int | None = None) -> list[bytes]:
        """The stored documents of what the ledger's read returns for these arguments (the read
        checks the arguments), in its order."""
        if isinstance(self.inner, MemoryRunEventStore):
            found = self.inner.read_range(run_id, from_seq, to_seq)
            documents = self.ledgers.runs.get(self.inner.run_key(run_id), [])
            return [documents[model.seq - 1] for model in found]
        found = self.inner.read(run_id, from_seq, to_seq)
        journal = self.ledgers.journals.get(run_id, [])
        return [journal[model.journal_seq - 1].data for model in found]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class BrokenStore:
    """A correct MemoryStore whose ledgers (and tenant views) go through `bugs`, keyed by the
    ledger they wrap (`view` wraps tenant views only; an `experience` bug wraps both)."""

    capabilities = MemoryStore.capabilities

    def __init__(self, bugs: Mapping[str, type[LedgerBug]], store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()
        self.bugs = bugs
        self.memo: dict[str, tuple[int, Any]] = {}
        for name in LEDGERS:
            ledger = getattr(self.store, name)
            if name == "experience":
                ledger = Remembered(ledger, self.store, self.memo)
            elif name in ("runs", "journal"):
                ledger = RawReads(ledger, self.store)
            setattr(self, name, bugs[name](ledger, self.store) if name in bugs else ledger)

    def for_tenant(self, tenant_id: str) -> Any:
        """The tenant view of the wrapped store, through the view's (or the experience) bug."""
        view: Any = Remembered(self.store.for_tenant(tenant_id), self.store, self.memo)
        for key in ("experience", "view"):
            if key in self.bugs:
                view = self.bugs[key](view, self.store)
        return view

    def close(self) -> None:
        """Close the wrapped store."""
        self.store.close()


class LedgerBug(Bug):
    """A ledger wrapper that forwards every call to the correct ledger except the ones it breaks;
    `store` is the whole correct store, for bugs that reach past their ledger."""

    ledger: ClassVar[str]

    def __init__(self, inner: Any, store: MemoryStore) -> None:
        self.inner = inner
        self.store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @classmethod
    def make_store(cls) -> BrokenStore:
        return BrokenStore({cls.ledger: cls})


class EnvelopeBug(LedgerBug):
    """Breaks an experience ledger, whose `append_event` goes through the bug's `append_events`."""

    def append_event(self, envelope: Any) -> None:
        """One envelope, through this bug's `append_events` (as upstream's default method does)."""
        self.append_events([envelope])


class ExperienceBug(EnvelopeBug):
    """Breaks the experience ledger and every tenant view of it."""

    ledger = "experience"


class ViewBug(EnvelopeBug):
    """Breaks tenant views only; `inner` is a correct view."""

    ledger = "view"


class RunsBug(LedgerBug):
    """Breaks the mfm run event ledger."""

    ledger = "runs"


class ArtifactsBug(LedgerBug):
    """Breaks the mfm artifact store."""

    ledger = "artifacts"


class JournalBug(LedgerBug):
    """Breaks the agent-sdk journal."""

    ledger = "journal"


class LaxValidator:
    """A validator that forgives the issues `forgive` accepts: how a store that checks a rule
    differently (or not at all) behaves."""

    def __init__(self, inner: Any, forgive: Callable[[Issue], bool]) -> None:
        self.inner = inner
        self.forgive = forgive

    def issues(self, qualified: str, instance: Any, strict: bool = False, integer_literals: bool = True) -> list[Issue]:
        """The correct validator's issues minus the forgiven ones."""
        found = self.inner.issues(qualified, instance, strict, integer_literals)
        return [issue for issue in found if not self.forgive(issue)]

    def validate(self, qualified: str, instance: Any, strict: bool = False, integer_literals: bool = True) -> None:
        """Raise ValidationError when an unforgiven issue remains."""
        problems = self.issues(qualified, instance, strict, integer_literals)
        if problems:
            raise ValidationError(qualified, problems)

    def validate_json_value(
        self, qualified: str, instance: Any, strict: bool, integral_floats: bool, bounded: bool
    ) -> None:
        """The stores' one-call check (`Validator.validate_json_value`), as lax as `validate`."""
        self.validate(qualified, instance, strict)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class LaxCodec:
    """The correct codec with a lax validator."""

    def __init__(self, inner: Codec, validator: LaxValidator) -> None:
        self.inner = inner
        self.validator = validator

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class ValidationBug(Bug):
    """A store whose document checks forgive one kind of schema issue."""

    @staticmethod
    def forgive(issue: Issue) -> bool:
        """Whether the buggy check lets this issue through."""
        raise NotImplementedError

    @classmethod
    def make_store(cls) -> BrokenStore:
        codec = default_codec()  # the bug lives in the store's own checks
        lax = LaxCodec(codec, LaxValidator(codec.validator, cls.forgive))
        return BrokenStore({}, MemoryStore(codec=lax))  # type: ignore[arg-type]


def stored(ledger: Any) -> list[dict[str, Any]]:
    """Every envelope an experience ledger (or view) holds, as the JSON object received (unknown
    keys included), in append order."""
    everything = default_codec().build("converge.EventQuery", {"kinds": []})
    return [parse_stored(data) for data in ledger.query_documents(everything)]


def rewrite(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """A copy of a JSON value with `leaf` applied to every string and number (keys kept)."""
    if isinstance(value, Mapping):
        return {key: rewrite(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [rewrite(item, leaf) for item in value]
    return leaf(value)


def strings(value: Any) -> Iterator[str]:
    """Every string value inside a JSON value (keys left out)."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def like(pattern: str, value: str | None) -> bool:
    """SQL `value LIKE pattern` as SQLite evaluates it: `_` any one character, `%` any run,
    ASCII letters compared without case."""
    if value is None:
        return False
    parts = ("." if char == "_" else ".*" if char == "%" else re.escape(char) for char in pattern)
    return re.fullmatch("".join(parts), value, re.IGNORECASE | re.ASCII | re.DOTALL) is not None


def documents(items: Iterable[Any], change: Callable[[Any], Any]) -> list[Any]:
    """Every JSON object of a batch passed through `change` (models are left alone)."""
    return [change(item) if isinstance(item, Mapping) else item for item in items]
