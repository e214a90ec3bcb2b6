"""The judgement of :mod:`meldcode_rules.judge.combine`, computed for a whole space at once.

How conclusions combine is defined once, in :mod:`meldcode_rules.judge.algebra`,
over sets of cases; ``combine`` evaluates it on the space of one case, and this
module on a space of many (a bitmask, see :mod:`.space`): each rule's
``zeker``/``mogelijk`` sets come from the space, and every part of the
judgement that ``check`` reasons about (``melden``, ``besluit``, ``stap``,
action codes, records, questions) is the algebra's set for it. Counterexamples
are still re-evaluated with the real evaluator and agreement is checked on
samples, so a fault in the space itself is reported (``MC900``), not trusted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from meldcode_rules.check.space import Space
from meldcode_rules.compiler.compile import CompiledRule
from meldcode_rules.judge.algebra import Combination, RuleCases, union

#: ``zeker`` and ``mogelijk`` case sets per rule, over a space.
RuleSets = RuleCases


def fire(space: Space, rules: Sequence[CompiledRule], zeker_only: Collection[CompiledRule] = ()) -> RuleSets:
    """Each rule's ``zeker`` and ``mogelijk`` sets; a rule of ``zeker_only`` gets ``mogelijk = zeker``.

    ``zeker_only`` (see :func:`meldcode_rules.check.context.space_for`): rules that conclude no
    ``melden`` or ``besluit``; their ``mogelijk`` only makes open questions, which an analysis
    of decisions and actions does not read.
    """
    zeker: dict[str, int] = {}
    mogelijk: dict[str, int] = {}
    only = {r.id for r in zeker_only}
    for rule in rules:
        z = space.eval(rule.zeker)
        zeker[rule.id] = z
        mogelijk[rule.id] = z if rule.id in only else space.eval(rule.mogelijk) | z
    return RuleCases(zeker, mogelijk, space.all)


def _combination(space: Space, rules: Sequence[CompiledRule]) -> Combination:
    return Combination(rules, {a.fact for a in space.atoms if a.later_beantwoord})


@dataclass
class JudgementSets:
    melden: dict[str, int]
    #: no rule settled melden: the safety net answered ``onbekend``
    vangnet: int
    besluit: dict[str, int]


def judge(space: Space, rules: Sequence[CompiledRule], fired: RuleSets) -> JudgementSets:
    """``melden`` and ``besluit`` per case (needs every rule that concludes either)."""
    combination = _combination(space, rules)
    melden = combination.melden(fired)
    return JudgementSets(melden.per_value, melden.vangnet, combination.besluit(fired, melden))


def actions(
    space: Space, rules: Sequence[CompiledRule], fired: RuleSets, only: Collection[str] | None = None
) -> dict[str, int]:
    """Per action code, the cases whose judgement has it."""
    return _combination(space, rules).actie_codes(fired, only)


def records(
    space: Space, rules: Sequence[CompiledRule], fired: RuleSets, only: Collection[str] | None = None
) -> dict[str, int]:
    """Per ``vastleggen`` text, the cases whose judgement asks it."""
    return _combination(space, rules).vastleggingen(fired, only)


def asked(
    space: Space, rules: Sequence[CompiledRule], fired: RuleSets, only: Collection[str] | None = None
) -> dict[str, int]:
    """Per fact, the cases where a rule that certainly fires asks it (``vragen``)."""
    return _combination(space, rules).gevraagd(fired, only)


def _unknown(space: Space, fact: str) -> int:
    """The cases where ``fact`` is asked if it is a candidate: where it is ``onbekend``.

    A fact outside the space keeps its default, ``onbekend``; a choice or list fact
    is asked whatever its value (as in ``combine``).
    """
    index = space.index.get(fact.replace(".", "__"))
    if index is None or space.atoms[index].kind != "tri":
        return space.all
    return space.lit(space.atoms[index].key, "onbekend")


def open_question(space: Space, rules: Sequence[CompiledRule], fired: RuleSets, melden: dict[str, int]) -> int:
    """Cases with ``melden: onbekend`` that have an open question."""
    combination = _combination(space, rules)
    sets = combination.melden(fired)
    out = 0
    for fact, by_rule in combination.vraag_kandidaten(fired, sets).items():
        out |= union(cases for _rule, cases in by_rule) & _unknown(space, fact)
    return out & melden["onbekend"]


def stap(space: Space, rules: Sequence[CompiledRule], fired: RuleSets) -> dict[int, int]:
    return _combination(space, rules).stap(fired)
