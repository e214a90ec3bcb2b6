"""The condition operators of a fact test, each declared once.

Everything else derives from :data:`OPERATORS`: the fields of
:class:`~meldcode_rules.load.ruleset.FeitTest` (so the loader and the shipped
JSON Schema), the kind check and the three-valued compilation in
:mod:`meldcode_rules.compiler`, and the Dutch wording of ``render`` and
``explain``. ``tests/test_operators.py`` runs every entry through every stage.
Adding an operator is one entry here plus its row in ``docs/ruleset-format.md``.

The meaning of every operator is one of two tests, possibly negated, on a set
of values ``V`` (one value, or a non-empty list when ``many``):

- on a tri-state or choice fact: *the answer is in* ``V``;
- on a list fact: *the list contains a value of* ``V``.

The compiler turns that into ``zeker``/``mogelijk`` with Kleene's lifting of
``onbekend`` (docs/architecture.md), so an operator needs no code of its own.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any, Literal

FactKind = Literal["tri", "keuze", "lijst"]
#: Kinds whose test is "the answer is in V" (the others: "the list contains one of V").
ANSWER_KINDS: frozenset[FactKind] = frozenset({"tri", "keuze"})


@dataclass(frozen=True)
class Operator:
    """One operator of a fact test (``{feit: F, <name>: <value>}``)."""

    #: the key in the YAML file
    name: str
    #: the fact kinds it applies to (``tri``, ``keuze``, ``lijst``); anything else is MR022
    kinds: frozenset[FactKind]
    #: the value is a non-empty list of values, not one value
    many: bool
    #: holds when the answer is *not* in the values (tri/choice), or the list contains none of them
    negated: bool
    #: Dutch wording between fact and value in ``render`` and ``explain``: "vormen bevat een van ..."
    woorden: str
    #: Dutch description in the ruleset schema (shown by editors while a trainer types)
    beschrijving: str
    #: values an editor offers for completion (the schema's ``examples``)
    voorbeelden: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        """The Python attribute of :class:`FeitTest` (``is`` and ``in`` are keywords: ``is_``, ``in_``)."""
        return f"{self.name}_" if keyword.iskeyword(self.name) else self.name

    @property
    def tests_answer(self) -> bool:
        """True: "the answer is in V" (tri/choice); False: "the list contains one of V"."""
        return bool(self.kinds & ANSWER_KINDS)

    def values(self, value: Any) -> list[str]:
        """The set ``V`` this test's value stands for."""
        return list(value) if self.many else [value]

    def annotation(self) -> Any:
        return list[str] | None if self.many else str | None

    def json_schema(self) -> dict[str, Any]:
        """The JSON-schema fragment of the value (the shipped ruleset schema holds exactly this)."""
        one: dict[str, Any] = {"type": "string"}
        if self.voorbeelden:
            one["examples"] = list(self.voorbeelden)
        if not self.many:
            return one
        return {"type": "array", "items": one, "minItems": 1}


_ANSWER: frozenset[FactKind] = ANSWER_KINDS
_LIST: frozenset[FactKind] = frozenset({"lijst"})
_TRI = ("ja", "nee", "onbekend")

OPERATORS: tuple[Operator, ...] = (
    Operator(
        "is",
        _ANSWER,
        many=False,
        negated=False,
        woorden="is",
        beschrijving="Het antwoord is deze waarde (`ja`, `nee`, `onbekend`, of een keuzewaarde).",
        voorbeelden=_TRI,
    ),
    # Used by no shipped ruleset, kept on purpose: `niet: {feit: F, is: w}` says the same, but
    # `is_niet` reads better beside `is` in a decision table, and tests/test_operators.py
    # proves it means exactly that.
    Operator(
        "is_niet",
        _ANSWER,
        many=False,
        negated=True,
        woorden="is niet",
        beschrijving="Het antwoord is niet deze waarde.",
        voorbeelden=_TRI,
    ),
    Operator(
        "in",
        _ANSWER,
        many=True,
        negated=False,
        woorden="is een van",
        beschrijving="Het antwoord is een van deze waarden.",
        voorbeelden=_TRI,
    ),
    Operator(
        "bevat",
        _LIST,
        many=False,
        negated=False,
        woorden="bevat",
        beschrijving="De lijst bevat deze waarde.",
    ),
    Operator(
        "bevat_een_van",
        _LIST,
        many=True,
        negated=False,
        woorden="bevat een van",
        beschrijving="De lijst bevat minstens een van deze waarden.",
    ),
)

BY_NAME: dict[str, Operator] = {op.name: op for op in OPERATORS}
BY_FIELD: dict[str, Operator] = {op.field: op for op in OPERATORS}


def for_kind(kind: str) -> list[Operator]:
    """The operators a fact of ``kind`` can be tested with, in table order."""
    return [op for op in OPERATORS if kind in op.kinds]


def dutch_list(names: list[str]) -> str:
    """```a`, `b` of `c``` (Dutch enumeration, for messages)."""
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " of " + quoted[-1]


def counterpart(op: Operator, kind: str) -> Operator | None:
    """The operator for ``kind`` that means the same as ``op`` (``is`` on a list: ``bevat``)."""
    return next((o for o in for_kind(kind) if o.many == op.many and o.negated == op.negated), None)
