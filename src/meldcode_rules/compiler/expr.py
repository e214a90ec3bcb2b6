"""The compiled form of a condition: ``key == value`` tests under and/or, in negation normal form.

Any engine that can test equality can run these (docs/engines.md);
:func:`evaluate_expr` is their reference meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Lit:
    """``key == value`` (or ``!=`` when ``equal`` is False) on the flat case."""

    key: str
    value: str | bool
    equal: bool = True


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Lit | And | Or
TRUE: Expr = And(())
FALSE: Expr = Or(())


def all_of(items: Iterable[Expr]) -> Expr:
    """The conjunction, flattened and without repeats (``FALSE`` absorbs)."""
    flat: list[Expr] = []
    for item in items:
        if item == FALSE:
            return FALSE
        flat.extend(item.items if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(dict.fromkeys(flat)))


def any_of(items: Iterable[Expr]) -> Expr:
    """The disjunction, flattened and without repeats (``TRUE`` absorbs)."""
    flat: list[Expr] = []
    for item in items:
        if item == TRUE:
            return TRUE
        flat.extend(item.items if isinstance(item, Or) else (item,))
    return flat[0] if len(flat) == 1 else Or(tuple(dict.fromkeys(flat)))


def negate(expr: Expr) -> Expr:
    """The exact Boolean negation of ``expr`` (two-valued: the expression is already compiled)."""
    if isinstance(expr, Lit):
        return Lit(expr.key, expr.value, not expr.equal)
    if isinstance(expr, And):
        return any_of(negate(item) for item in expr.items) if expr.items else FALSE
    return all_of(negate(item) for item in expr.items) if expr.items else TRUE


def evaluate_expr(expr: Expr, flat: dict[str, Any]) -> bool:
    """Evaluate an expression on a flat case (the reference semantics)."""
    if isinstance(expr, Lit):
        return (flat[expr.key] == expr.value) == expr.equal
    if isinstance(expr, And):
        return all(evaluate_expr(item, flat) for item in expr.items)
    return any(evaluate_expr(item, flat) for item in expr.items)


def expr_keys(expr: Expr) -> set[str]:
    """The flat keys ``expr`` tests."""
    if isinstance(expr, Lit):
        return {expr.key}
    keys: set[str] = set()
    for item in expr.items:
        keys |= expr_keys(item)
    return keys
