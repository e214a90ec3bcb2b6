"""The reference engine: the compiled expressions, evaluated in plain Python.

Every flat key holds exactly one value from a finite domain. Each
expression is rewritten once per ruleset into a disjunction of *boxes*: a
box allows, per key it constrains, a set of values, and a case lies in a
box iff it has none of the values the box forbids.

Evaluation is transposed so that a case costs one integer OR per key the
boxes test, however many boxes there are. Every box of every rule gets one
bit; per tested key, every value knows the boxes it is forbidden in. OR-ing
those over the case's values gives the boxes the case violates; the rest
hold. Each
rule's boxes sit side by side with one spare bit above them, so adding
``2**width - 1`` to each run carries into the spare bit exactly when one of
the rule's boxes holds: one addition answers "which rules fire" for all
rules at once. Nothing from a ruleset is turned into source code or
executed.

The tested keys are taken in groups of a few (:data:`GROUP`), and each group's OR is
kept per combination of its values: cases repeat most groups' values (onbekend, nee),
and one kept mask per group replaces a table lookup per key, which on a judgement
among many others is mostly waiting for memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from itertools import product
from operator import getitem, itemgetter, or_
from typing import Any

from meldcode_rules.caches import LRU, lru
from meldcode_rules.case.facts import FactCatalog
from meldcode_rules.compiler.compile import And, CompiledRuleset, Expr, Lit, evaluate_expr
from meldcode_rules.engines.protocol import Fired

Box = dict[str, frozenset[Any]]
#: a group of tested keys: (its values in a flat case, the box bits those values violate)
_Group = tuple[Callable[[dict[str, Any]], tuple[Any, ...]], Callable[[tuple[Any, ...]], int]]
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


class _Program:
    """One ruleset prepared for the reference engine."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        catalog = compiled.catalog
        #: per flat key a box tests: value -> the box bits that value violates
        self.violates: dict[str, dict[Any, int]] = {}
        self.boxes = 0  # every box bit
        self.add = 0  # per run of boxes: 2**width - 1 at its offset
        self.carry = 0  # per run of boxes: its spare bit
        #: (rule id, spare bit of its possible run, spare bit of its certain run)
        self.rules: list[tuple[str, int, int]] = []
        self._next_bit = 0
        #: rules too large for boxes, evaluated as expression trees
        self.trees: list[tuple[str, Expr, Expr]] = []
        for rule in compiled.rules:
            certain, possible = _boxes(rule.zeker, catalog), _boxes(rule.mogelijk, catalog)
            if certain is None or possible is None:
                self.trees.append((rule.id, rule.zeker, rule.mogelijk))
                continue
            possible_bit = self._run(possible, catalog)
            # The same boxes: possible means certain, and one run answers both.
            same = _as_set(certain) == _as_set(possible)
            certain_bit = possible_bit if same else self._run(certain, catalog)
            self.rules.append((rule.id, possible_bit, certain_bit))
        #: per spare bit: the rule ids it answers (certainly, possibly)
        self._by_bit: dict[int, tuple[list[str], list[str]]] = {}
        for rule_id, possible_bit, certain_bit in self.rules:
            self._by_bit.setdefault(possible_bit, ([], []))[1].append(rule_id)
            self._by_bit.setdefault(certain_bit, ([], []))[0].append(rule_id)
        self.decode = lru(DECODED)(self._decode)
        self._groups = _groups(self.violates)

    def _run(self, boxes: list[Box], catalog: FactCatalog) -> int:
        """Give ``boxes`` adjacent bits and a spare bit above; return the spare bit."""
        offset = self._next_bit
        for n, box in enumerate(boxes):
            bit = 1 << (offset + n)
            self.boxes |= bit
            for key, allowed in box.items():
                table = self.violates.setdefault(key, dict.fromkeys(catalog.domain(key), 0))
                for value in catalog.domain(key):
                    if value not in allowed:
                        table[value] |= bit
        width = len(boxes)
        self.add |= ((1 << width) - 1) << offset
        spare = 1 << (offset + width)
        self.carry |= spare
        self._next_bit = offset + width + 1
        return spare

    def fired(self, flat: dict[str, Any]) -> int:
        """The spare bits of the runs in which some box holds for ``flat``."""
        violated = 0
        try:
            for values_of, violated_by in self._groups:
                violated |= violated_by(values_of(flat))
        except KeyError as missing:
            raise ValueError(f"the flat case has no value (or an impossible one) for {missing}") from None
        # Box bits that are not violated hold; a run with any of them carries.
        return ((self.boxes ^ violated) + self.add) & self.carry

    def _decode(self, carries: int) -> Fired:
        """The rule ids behind the carried spare bits (a pure function, so it is kept)."""
        zeker: list[str] = []
        mogelijk: list[str] = []
        while carries:  # one step per carried bit (the rules that fire), not per rule
            bit = carries & -carries
            certain, possible = self._by_bit[bit]
            zeker += certain
            mogelijk += possible
            carries ^= bit
        return Fired(frozenset(zeker), frozenset(mogelijk))


def _groups(violates: dict[str, dict[Any, int]]) -> tuple[_Group, ...]:
    """The tested keys in groups: per group, (its values in a case, the box bits those violate).

    The bits are the OR of the keys' tables (the one definition of what a value violates),
    kept per combination of the group's values (bounded, as every cache: caches.py).
    """
    keys = list(violates)
    count = -(-len(keys) // GROUP)  # as few groups as GROUP allows, of near-equal size
    groups = []
    for n in range(count):
        part = keys[n * len(keys) // count : (n + 1) * len(keys) // count]
        tables = tuple(violates[key] for key in part)

        def violated_by(values: tuple[Any, ...], tables: tuple[dict[Any, int], ...] = tables) -> int:
            return reduce(or_, map(getitem, tables, values), 0)

        # itemgetter of one key gives the value itself, of several a tuple: always a tuple here
        values_of = itemgetter(*part) if len(part) > 1 else (lambda flat, key=part[0]: (flat[key],))
        groups.append((values_of, lru(GROUP_COMBINATIONS)(violated_by)))
    return tuple(groups)


def _as_set(boxes: list[Box]) -> set[frozenset[tuple[str, frozenset[Any]]]]:
    return {frozenset(box.items()) for box in boxes}


#: Per ruleset: decoded results kept, each one combination of fired rules.
DECODED = 1024
#: Tested keys per group whose violated bits are kept per combination of values (fewer keys:
#: more lookups; more keys: more combinations to keep; 8 keeps every combination that 20,000
#: generated dossiers meet, at most 104 per group).
GROUP = 8
#: Per group: combinations of its values whose violated bits are kept.
GROUP_COMBINATIONS = 512
#: Per engine: compiled rulesets whose programs are kept.
PROGRAMS = 32


class ReferenceEngine:
    name = "reference"

    def __init__(self) -> None:
        self._programs: LRU[int, tuple[CompiledRuleset, _Program]] = LRU(PROGRAMS)

    def _program(self, compiled: CompiledRuleset) -> _Program:
        # By id, holding the ruleset itself: its id cannot be reused while the entry lives.
        kept = self._programs.get(id(compiled))
        if kept is None or kept[0] is not compiled:
            kept = self._programs.put(id(compiled), (compiled, _Program(compiled)))
        return kept[1]

    def fire(self, compiled: CompiledRuleset, flat: dict[str, Any]) -> Fired:
        program = self._program(compiled)
        fired = program.decode(program.fired(flat))
        if not program.trees:
            return fired
        zeker, mogelijk = set(fired.zeker), set(fired.mogelijk)
        for rule_id, certain_expr, possible_expr in program.trees:
            if evaluate_expr(possible_expr, flat):
                mogelijk.add(rule_id)
                if evaluate_expr(certain_expr, flat):
                    zeker.add(rule_id)
        return Fired(frozenset(zeker), frozenset(mogelijk))
