"""Three-valued compilation: a condition into its ``zeker`` and ``mogelijk`` expressions.

``zeker``
    the condition holds for certain, given what is known;
``mogelijk``
    the condition holds under at least one answer to the unknown facts.

This is Kleene's three-valued logic, written out so that any engine that can
test ``key == value`` / ``key != value`` under and/or can run it. ``mogelijk``
over-approximates and ``zeker`` under-approximates the true sets, which is
the safe direction: an unknown can only make ``melden`` less certain, never
turn it into ``nee``. ``niet`` is pushed down to the tests (De Morgan), so both
expressions stay in negation normal form.

Every operator means "the answer is in V" or "the list contains one of V",
possibly negated (:mod:`meldcode_rules.load.operators`); :func:`compile_test`
is the one place that gives those two their three-valued meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from meldcode_rules.case.facts import FactCatalog, FactSpec
from meldcode_rules.compiler.expr import Expr, Lit, all_of, any_of
from meldcode_rules.load.ruleset import Conditie, FeitTest, fold

#: A compiled subtree, still open in whether it stands under an odd number of ``niet``.
_Open = Callable[[bool], Expr]


def compile_condition(cond: Conditie, catalog: FactCatalog, *, zeker: bool, negated: bool = False) -> Expr:
    """``zeker``/``mogelijk`` form of ``cond`` (or of ``not cond`` when ``negated``).

    Every ``begrip`` must be written out first (:func:`meldcode_rules.compiler.stages.expand`).
    """

    def test(node: FeitTest, _path: object) -> _Open:
        return lambda neg: compile_test(node, catalog[node.feit], zeker=zeker, negated=neg)

    def begrip(node: object, _path: object) -> _Open:
        raise ValueError(f"begrip `{getattr(node, 'begrip', '?')}` is not expanded; call expand() first")

    def junction(conjunctive: bool) -> Callable[[object, list[_Open]], _Open]:
        # De Morgan: under `niet`, `alle` becomes `een_van` and the other way round.
        return lambda _node, parts: lambda neg: (all_of if conjunctive != neg else any_of)(p(neg) for p in parts)

    compiled: _Open = fold(
        cond,
        feit=test,
        begrip=begrip,
        alle=junction(True),
        een_van=junction(False),
        niet=lambda _node, inner: lambda neg: inner(not neg),
    )
    return compiled(negated)


def compile_test(test: FeitTest, spec: FactSpec, *, zeker: bool, negated: bool) -> Expr:
    """One fact test, ``zeker`` or ``mogelijk``, negated or not."""
    op = test.op()
    wanted = op.values(test.operator()[1])
    negated = negated != op.negated
    if spec.kind == "lijst":
        hits = [Lit(spec.key(v), True) for v in wanted]
        return all_of(Lit(h.key, False) for h in hits) if negated else any_of(hits)
    if spec.kind == "keuze" or ("onbekend" in wanted and len(wanted) == 1):
        # A concrete test: `onbekend` is itself the answer being tested for.
        return _concrete(spec, wanted, negated)
    key = spec.key()
    known = [v for v in wanted if v != "onbekend"]
    tests_unknown = "onbekend" in wanted
    lifts = not spec.later_beantwoord  # a later-answered fact's onbekend is concrete
    if not negated:
        found: list[Expr] = [Lit(key, v) for v in known]
        if tests_unknown or (lifts and not zeker):
            found.append(Lit(key, "onbekend"))
        return any_of(found)
    # not (answer in wanted)
    others: list[Expr] = [Lit(key, v) for v in ("ja", "nee") if v not in known]
    if not tests_unknown and (not lifts or not zeker):
        others.append(Lit(key, "onbekend"))
    return any_of(others)


def _concrete(spec: FactSpec, wanted: Sequence[str], negated: bool) -> Expr:
    key = spec.key()
    if negated:
        return all_of(Lit(key, v, equal=False) for v in wanted)
    return any_of(Lit(key, v) for v in wanted)
