"""The reference engine: the compiled expressions, evaluated in plain Python.

Expressions are turned into closures once per ruleset (never into source
code: nothing from a ruleset is executed), so evaluating a case is a few
dictionary look-ups per rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meldcode_rules.combine import Fired
from meldcode_rules.compiler import And, CompiledRuleset, Expr, Lit

Test = Callable[[dict[str, Any]], bool]


def _closure(expr: Expr) -> Test:
    if isinstance(expr, Lit):
        key, value = expr.key, expr.value
        if expr.equal:
            return lambda flat: flat[key] == value
        return lambda flat: flat[key] != value
    parts = tuple(_closure(item) for item in expr.items)
    if len(parts) == 1:
        return parts[0]
    if isinstance(expr, And):
        return lambda flat: all(part(flat) for part in parts)
    return lambda flat: any(part(flat) for part in parts)


class ReferenceEngine:
    name = "reference"

    def __init__(self) -> None:
        self._cache: dict[int, tuple[CompiledRuleset, list[tuple[str, Test, Test]]]] = {}

    def _program(self, compiled: CompiledRuleset) -> list[tuple[str, Test, Test]]:
        cached = self._cache.get(id(compiled))
        if cached is None or cached[0] is not compiled:
            program = [(r.id, _closure(r.zeker), _closure(r.mogelijk)) for r in compiled.rules]
            cached = self._cache[id(compiled)] = (compiled, program)
        return cached[1]

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired:
        zeker: list[str] = []
        mogelijk: list[str] = []
        for rule_id, certain, possible in self._program(compiled):
            if possible(flat):
                mogelijk.append(rule_id)
                if certain(flat):
                    zeker.append(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))
