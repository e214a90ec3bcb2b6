"""The reference engine: the compiled expressions, evaluated in plain Python.

Every flat key holds exactly one value from a finite domain. Each
expression is rewritten once per ruleset into a disjunction of *boxes*: a
box allows, per key it constrains, a set of values. A case lies in a box
iff it has none of the values the box forbids, so with one bit per
``(key, value)`` atom a box is a single bitmask and the test is
``case_bits & forbidden == 0``: one integer operation per box. Nothing from
a ruleset is turned into source code or executed.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from meldcode_rules.combine import Fired
from meldcode_rules.compiler import And, CompiledRuleset, Expr, Lit
from meldcode_rules.facts import FactCatalog

Box = dict[str, frozenset[Any]]
#: Above this many boxes an expression is evaluated as a tree instead (never reached by
#: the shipped rulesets; it bounds compile time for pathological hand-written ones).
MAX_BOXES = 4096


def _boxes(expr: Expr, catalog: FactCatalog) -> list[Box] | None:
    """``expr`` as boxes (the case must lie in one of them), or None if too large."""
    if isinstance(expr, Lit):
        if not catalog.has_domain(expr.key):
            return None  # a key outside the catalog: evaluated exactly, as a tree
        domain = frozenset(catalog.domain(expr.key))
        allowed = frozenset({expr.value}) if expr.equal else domain - {expr.value}
        return [{expr.key: allowed}]
    parts = [_boxes(item, catalog) for item in expr.items]
    if any(part is None for part in parts):
        return None
    if isinstance(expr, And):
        size = 1
        for part in parts:
            size *= len(part)  # type: ignore[arg-type]
        if size > MAX_BOXES:
            return None
        boxes = [b for combo in product(*parts) if (b := _intersect(combo)) is not None]  # type: ignore[arg-type]
    else:
        boxes = [box for part in parts for box in part]  # type: ignore[union-attr]
    return _merge(boxes) if len(boxes) <= MAX_BOXES else None


def _intersect(boxes: tuple[Box, ...]) -> Box | None:
    out: Box = {}
    for box in boxes:
        for key, allowed in box.items():
            narrowed = out[key] & allowed if key in out else allowed
            if not narrowed:
                return None  # contradictory: this combination never holds
            out[key] = narrowed
    return out


def _merge(boxes: list[Box]) -> list[Box]:
    """Merge boxes that differ on one key only, and drop boxes inside another box."""
    changed = True
    while changed:
        changed = False
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                if a.keys() == b.keys():
                    differing = [k for k in a if a[k] != b[k]]
                    if len(differing) <= 1:
                        merged = dict(a)
                        for k in differing:
                            merged[k] = a[k] | b[k]
                        boxes = [x for n, x in enumerate(boxes) if n not in (i, j)] + [merged]
                        changed = True
                        break
            if changed:
                break
    kept: list[Box] = []
    for box in sorted(boxes, key=len):
        if not any(_inside(box, other) for other in kept):
            kept.append(box)
    return kept


def _inside(box: Box, other: Box) -> bool:
    """Every case in ``box`` is also in ``other``."""
    return all(key in box and box[key] <= allowed for key, allowed in other.items())


def _tree(expr: Expr, flat: dict[str, Any]) -> bool:
    if isinstance(expr, Lit):
        return (flat[expr.key] == expr.value) == expr.equal
    if isinstance(expr, And):
        return all(_tree(item, flat) for item in expr.items)
    return any(_tree(item, flat) for item in expr.items)


class _Program:
    """One ruleset prepared for the reference engine."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        catalog = compiled.catalog
        self.bits: dict[tuple[str, Any], int] = {}
        # Every value of every key gets a bit, so that each flat item has one and a case's
        # bits are a plain sum (the bits are disjoint, so the sum is their union).
        for spec in catalog:
            for key in [spec.key()] if spec.kind != "lijst" else [spec.key(v) for v in spec.values]:
                for value in catalog.domain(key):
                    self._bit(key, value)
        #: rules as bitmask boxes: (id, certain boxes or None when equal to possible, possible boxes)
        self.masked: list[tuple[str, tuple[int, ...] | None, tuple[int, ...]]] = []
        #: rules too large for boxes, evaluated as expression trees
        self.trees: list[tuple[str, Expr, Expr]] = []
        for rule in compiled.rules:
            certain, possible = self._masks(rule.zeker, catalog), self._masks(rule.mogelijk, catalog)
            if isinstance(certain, tuple) and isinstance(possible, tuple):
                self.masked.append((rule.id, None if set(certain) == set(possible) else certain, possible))
            else:
                self.trees.append((rule.id, rule.zeker, rule.mogelijk))

    def _bit(self, key: str, value: Any) -> int:
        bit = self.bits.get((key, value))
        if bit is None:
            bit = self.bits[(key, value)] = 1 << len(self.bits)
        return bit

    def _masks(self, expr: Expr, catalog: FactCatalog) -> tuple[int, ...] | Expr:
        boxes = _boxes(expr, catalog)
        if boxes is None:
            return expr
        masks = []
        for box in boxes:
            forbidden = 0
            for key, allowed in box.items():
                for value in catalog.domain(key):
                    if value not in allowed:
                        forbidden |= self._bit(key, value)
            masks.append(forbidden)
        return tuple(masks)

    def case_bits(self, flat: dict[str, Any]) -> int:
        try:
            return sum(map(self.bits.__getitem__, flat.items()))
        except KeyError:
            # A key outside the catalog (a hand-built ruleset): no box tests it, so it adds
            # no bit; the rules that do test it are evaluated as trees.
            return sum(self.bits.get(item, 0) for item in flat.items())


class ReferenceEngine:
    name = "reference"

    def __init__(self) -> None:
        self._cache: dict[int, tuple[CompiledRuleset, _Program]] = {}

    def _program(self, compiled: CompiledRuleset) -> _Program:
        cached = self._cache.get(id(compiled))
        if cached is None or cached[0] is not compiled:
            cached = self._cache[id(compiled)] = (compiled, _Program(compiled))
        return cached[1]

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired:
        program = self._program(compiled)
        bits = program.case_bits(flat)
        zeker: list[str] = []
        mogelijk: list[str] = []
        # The loops are written out: this is the hot path, and a call or generator per
        # test would cost more than the tests themselves.
        for rule_id, certain, possible in program.masked:
            for forbidden in possible:
                if not bits & forbidden:
                    break
            else:
                continue
            mogelijk.append(rule_id)
            if certain is None:  # the same boxes: possible here means certain
                zeker.append(rule_id)
                continue
            for forbidden in certain:
                if not bits & forbidden:
                    zeker.append(rule_id)
                    break
        for rule_id, certain_expr, possible_expr in program.trees:
            if _tree(possible_expr, flat):
                mogelijk.append(rule_id)
                if _tree(certain_expr, flat):
                    zeker.append(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))
