"""The finite case space, as bitmasks.

Rules test flat atoms (``key == value``) that range over finite values, so the
set of cases that matter is finite: the product of the values of the atoms the
rules under study test. Every case in that product gets an index (mixed radix)
and a set of cases is one Python integer with bit ``i`` set for case ``i``.
A rule's ``zeker`` expression becomes such a set with ``&``/``|`` on the
literal sets: one pass over the expression decides it for *all* cases at once.
That is exhaustive (a truth table, not a sample) and fast enough for a few
million cases, so no BDD or SAT dependency is needed.

Atoms not in the space keep their default (``onbekend``, ``geen``, absent), and
the analyses only put rules in a space whose atoms are all in it.

Values of a ``keuze`` fact that no rule tests behave identically, so one
representative stands for all of them; list values are separate booleans and
untested list values are left out. Where the caller asks (``two_valued``), a
tri-state fact that every expression of the space tests only for ``ja`` has two
values, ``onbekend`` standing for ``nee`` as well: no expression tells them apart.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from meldcode_rules.case.facts import GEEN, FactCatalog
from meldcode_rules.compiler.compile import And, Expr, Lit, Or, expr_keys

#: Above this many cases a space is sampled instead of enumerated (and findings say so).
MAX_EXHAUSTIVE = 1 << 23
SAMPLE_SIZE = 20_000
SAMPLE_SEED = 20260101


@dataclass(frozen=True)
class Atom:
    key: str
    #: the fact path in the case file
    fact: str
    kind: str
    values: tuple[Any, ...]
    #: the value a case file that says nothing has (onbekend / geen / absent)
    default: Any
    later_beantwoord: bool
    #: list values this atom stands for as well: they keep their default (see :func:`_interchangeable`)
    stands_for: tuple[str, ...] = ()


def atoms_for(
    catalog: FactCatalog, exprs: Iterable[Expr], extra_keys: Iterable[str] = (), *, two_valued: bool = False
) -> list[Atom]:
    """The atoms the expressions test, in catalog order, with their relevant values.

    ``two_valued``: a tri-state atom that ``exprs`` test only for ``ja`` gets the values
    ``onbekend`` and ``ja`` (``nee`` behaves as ``onbekend`` in every one of them). Only for
    analyses that evaluate nothing but ``exprs`` and never move an atom to ``nee``.
    """
    exprs = list(exprs)
    extra_keys = list(extra_keys)
    tested: dict[str, set[Any]] = {}
    for expr in exprs:
        _collect(expr, tested)
    for key in extra_keys:
        tested.setdefault(key, set())
    shadowed = _interchangeable(exprs, set(extra_keys))
    atoms: list[Atom] = []
    for spec in catalog:
        if spec.kind == "lijst":
            for value in spec.values:
                key = spec.key(value)
                if key in tested and key not in shadowed:
                    others = tuple(k for k, rep in shadowed.items() if rep == key)
                    atoms.append(Atom(key, spec.path, "lijst", (False, True), False, False, others))
            continue
        key = spec.key()
        if key not in tested:
            continue
        if spec.kind == "tri":
            only_ja = two_valued and tested[key] == {"ja"} and key not in extra_keys
            values = ("onbekend", "ja") if only_ja else ("onbekend", "ja", "nee")
            atoms.append(Atom(key, spec.path, "tri", values, "onbekend", spec.later_beantwoord))
        else:
            used = [v for v in spec.values if v in tested[key]]
            spare = [v for v in spec.values if v not in tested[key]][:1]  # stands for every untested value
            atoms.append(Atom(key, spec.path, "keuze", (GEEN, *used, *spare), GEEN, spec.later_beantwoord))
    return atoms


def _interchangeable(exprs: list[Expr], keep: set[str]) -> dict[str, str]:
    """List values that every expression tests only together: ``{value key: its representative}``.

    List values (of one list fact or of several) that occur in exactly the same ``Or``/``And`` nodes, each time as
    "one of them is in the list" (or each time as "all of them are"), can only matter through
    that one answer; the space keeps one of them and the others stay absent. The values of
    ``kindcheck.problematiek`` and ``vormen: partnergeweld`` in ``kindcheck_aanleiding`` are such a
    group: seven booleans that count as one, so the basismodel's decisions stay exhaustive (a
    truth table) with the kindcheck in them.
    """
    places: dict[str, set[tuple[int, str]]] = {}

    def visit(expr: Expr) -> None:
        if isinstance(expr, Lit):
            if isinstance(expr.value, bool):
                places.setdefault(expr.key, set()).add((id(expr), "alleen"))
            return
        for item in expr.items:
            if isinstance(item, Lit) and isinstance(item.value, bool):
                positive = item.value == item.equal
                any_of = positive == isinstance(expr, Or)
                places.setdefault(item.key, set()).add((id(expr), "een_van" if any_of else "alle"))
            else:
                visit(item)

    for expr in exprs:
        visit(expr)
    groups: dict[frozenset[tuple[int, str]], list[str]] = {}
    for key, where in places.items():
        kinds = {kind for _, kind in where}
        if key in keep or len(kinds) != 1 or "alleen" in kinds:
            continue
        groups.setdefault(frozenset(where), []).append(key)
    out: dict[str, str] = {}
    for keys in groups.values():
        for key in keys[1:]:
            out[key] = keys[0]
    return out


def _collect(expr: Expr, tested: dict[str, set[Any]]) -> None:
    if isinstance(expr, Lit):
        tested.setdefault(expr.key, set()).add(expr.value)
        return
    for item in expr.items:
        _collect(item, tested)


#: spaces built while :func:`tracking` is active (to report whether a stage was exhaustive)
_tracked: list[list[bool]] = []


class tracking:
    """``with tracking() as seen:`` collects, per Space built, whether it was exhaustive."""

    def __enter__(self) -> list[bool]:
        _tracked.append([])
        return _tracked[-1]

    def __exit__(self, *exc: object) -> None:
        _tracked.pop()


class Space:
    """All combinations of ``atoms`` (or a seeded sample when there are too many)."""

    def __init__(self, atoms: list[Atom], *, max_exhaustive: int = MAX_EXHAUSTIVE) -> None:
        self.atoms = atoms
        self.index = {a.key: i for i, a in enumerate(atoms)}
        #: list values an atom stands for: absent (False) in every case of the space
        self.shadowed = {key for a in atoms for key in a.stands_for}
        total = 1
        for atom in atoms:
            total *= len(atom.values)
        self.product = total
        self.exhaustive = total <= max_exhaustive
        self._lits: dict[tuple[str, Any], int] = {}
        if self.exhaustive:
            self.size = total
            self.strides: list[int] = []
            stride = 1
            for atom in atoms:
                self.strides.append(stride)
                stride *= len(atom.values)
            self._sample: list[tuple[int, ...]] = []
        else:
            rng = random.Random(SAMPLE_SEED)
            rows = {tuple(0 for _ in atoms)}
            while len(rows) < min(SAMPLE_SIZE, total):
                rows.add(tuple(rng.randrange(len(a.values)) for a in atoms))
            self._sample = sorted(rows)
            self.size = len(self._sample)
        self.all = (1 << self.size) - 1
        for seen in _tracked:
            seen.append(self.exhaustive)

    @property
    def proved(self) -> bool:
        return self.exhaustive

    def covers(self, expr: Expr) -> bool:
        return expr_keys(expr) <= self.index.keys() | self.shadowed

    # ------------------------------------------------------------ sets of cases

    def lit(self, key: str, value: Any) -> int:
        """The cases where atom ``key`` has ``value``."""
        cached = self._lits.get((key, value))
        if cached is not None:
            return cached
        if key in self.shadowed:
            return self.all if value is False else 0
        i = self.index[key]
        atom = self.atoms[i]
        if value not in atom.values:
            mask = 0
        elif not self.exhaustive:
            digit = atom.values.index(value)
            bits = "".join("1" if row[i] == digit else "0" for row in reversed(self._sample))
            mask = int(bits, 2)
        else:
            stride, radix = self.strides[i], len(atom.values)
            period = stride * radix
            mask = ((1 << stride) - 1) << (atom.values.index(value) * stride)
            length = period
            while length < self.size:
                mask |= mask << length
                length *= 2
            mask &= self.all
        self._lits[(key, value)] = mask
        return mask

    def eval(self, expr: Expr) -> int:
        """The cases where ``expr`` holds."""
        if isinstance(expr, Lit):
            mask = self.lit(expr.key, expr.value)
            return mask if expr.equal else self.all & ~mask
        parts = [self.eval(item) for item in expr.items]
        if isinstance(expr, And):
            out = self.all
            for part in parts:
                out &= part
            return out
        out = 0
        for part in parts:
            out |= part
        return out

    def shift_to(self, mask: int, key: str, source: Any, target: Any) -> int:
        """Move the cases of ``mask`` with ``key == source`` to the same case with ``key == target``."""
        if not self.exhaustive:
            raise ValueError("shift_to needs an exhaustive space")
        i = self.index[key]
        atom = self.atoms[i]
        delta = (atom.values.index(target) - atom.values.index(source)) * self.strides[i]
        part = mask & self.lit(key, source)
        return part << delta if delta >= 0 else part >> -delta

    # ------------------------------------------------------------ cases

    def digits(self, index: int) -> tuple[int, ...]:
        if not self.exhaustive:
            return self._sample[index]
        out = []
        for atom in self.atoms:
            index, digit = divmod(index, len(atom.values))
            out.append(digit)
        return tuple(out)

    def assignment(self, index: int) -> dict[str, Any]:
        """The atoms of case ``index`` (``key -> value``)."""
        return {a.key: a.values[d] for a, d in zip(self.atoms, self.digits(index), strict=True)}

    def smallest(self, mask: int) -> int | None:
        """The case in ``mask`` with the fewest atoms away from their default (lowest index on a tie)."""
        if not mask:
            return None
        layers = [self.all]  # layers[k]: cases with exactly k non-default atoms, built atom by atom
        for atom in self.atoms:
            default = self.lit(atom.key, atom.default)
            other = self.all & ~default
            layers = [
                (layers[k] & default if k < len(layers) else 0) | (layers[k - 1] & other if k else 0)
                for k in range(len(layers) + 1)
            ]
        for candidates in layers:
            hit = candidates & mask
            if hit:
                return (hit & -hit).bit_length() - 1
        return None

    def count(self, mask: int) -> int:
        return mask.bit_count()


def flat_case(catalog: FactCatalog, assignment: dict[str, Any]) -> dict[str, Any]:
    """A complete flat case (every catalog key) with ``assignment`` and defaults elsewhere."""
    flat: dict[str, Any] = {}
    for spec in catalog:
        if spec.kind == "lijst":
            for value in spec.values:
                flat[spec.key(value)] = False
        elif spec.kind == "tri":
            flat[spec.key()] = "onbekend"
        else:
            flat[spec.key()] = GEEN
    flat.update(assignment)
    return flat


def case_data(catalog: FactCatalog, assignment: dict[str, Any]) -> dict[str, Any]:
    """The case-file form (nested, only the given facts) of an assignment of atoms."""
    data: dict[str, Any] = {}
    for spec in catalog:
        if spec.kind == "lijst":
            values = [v for v in spec.values if assignment.get(spec.key(v)) is True]
            if not values:
                continue
            value: Any = values
        else:
            value = assignment.get(spec.key())
            if value is None or value in ("onbekend", GEEN):
                continue
        node = data
        *parents, leaf = spec.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return data
