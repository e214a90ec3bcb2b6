"""The judgement of :mod:`meldcode_rules.judge.combine`, computed for a whole space at once.

Each part of a judgement that ``check`` reasons about (``melden``, ``besluit``,
``stap``, action codes, and whether ``melden`` has an open question) is a set
of cases (a bitmask, see :mod:`.space`). The rules are the same as in
``combine.judge``; every counterexample is re-evaluated with the real
evaluator, and agreement is checked on samples, so a drift between the two is
reported (``MC900``) rather than trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from meldcode_rules.check.space import Space
from meldcode_rules.compiler.compile import CompiledRule
from meldcode_rules.load.ruleset import BESLUIT_ORDE, MELDEN_ORDE


@dataclass
class RuleSets:
    """``zeker`` and ``mogelijk`` case sets per rule."""

    zeker: dict[str, int] = field(default_factory=dict)
    mogelijk: dict[str, int] = field(default_factory=dict)


def fire(space: Space, rules: Sequence[CompiledRule]) -> RuleSets:
    out = RuleSets()
    for rule in rules:
        z = space.eval(rule.zeker)
        m = space.eval(rule.mogelijk) | z
        out.zeker[rule.id] = z
        out.mogelijk[rule.id] = m
    return out


def union(masks: Sequence[int]) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


@dataclass
class JudgementSets:
    melden: dict[str, int]
    #: no rule settled melden: the safety net answered ``onbekend``
    vangnet: int
    besluit: dict[str, int]


def judge(space: Space, rules: Sequence[CompiledRule], fired: RuleSets) -> JudgementSets:
    """``melden`` and ``besluit`` per case (needs every rule that concludes either)."""
    zeker = fired.zeker

    def certain(value: str) -> int:
        return union([zeker[r.id] for r in rules if r.dan.melden == value])

    ja = certain("ja")
    possible_ja = union([fired.mogelijk[r.id] & ~zeker[r.id] for r in rules if r.dan.melden == "ja"])
    onbekend = (certain("onbekend") | possible_ja) & ~ja
    nee = certain("nee") & ~ja & ~onbekend
    vangnet = space.all & ~(ja | onbekend | nee)
    melden = {"ja": ja, "onbekend": onbekend | vangnet, "nee": nee}
    assert set(melden) == set(MELDEN_ORDE)

    concluded = {b: union([zeker[r.id] for r in rules if r.dan.besluit == b]) for b in BESLUIT_ORDE}
    any_concluded = union(list(concluded.values()))
    floor = {
        "melden": melden["ja"],
        "onvoldoende_informatie": melden["onbekend"],
        "afsluiten": nee & any_concluded,
        "verder_met_stappen": nee & ~any_concluded,
    }
    besluit: dict[str, int] = {}
    taken = 0
    for value in reversed(BESLUIT_ORDE):  # most protective first: it wins
        present = (concluded[value] | floor.get(value, 0)) & ~taken
        besluit[value] = present
        taken |= present
    return JudgementSets(melden, vangnet, besluit)


def actions(space: Space, rules: Sequence[CompiledRule], fired: RuleSets) -> dict[str, int]:
    out: dict[str, int] = {}
    for rule in rules:
        for actie in rule.dan.acties:
            out[actie.code] = out.get(actie.code, 0) | fired.zeker[rule.id]
    return out


def open_question(space: Space, rules: Sequence[CompiledRule], fired: RuleSets, melden: dict[str, int]) -> int:
    """Cases with ``melden: onbekend`` that have an open question (as ``combine._vraag_kandidaten``)."""
    catalog_later = {a.key: a.later_beantwoord for a in space.atoms}
    out = 0
    for rule in rules:
        if rule.dan.melden not in ("ja", "nee"):
            continue
        possible = fired.mogelijk[rule.id] & ~fired.zeker[rule.id]
        unknown = 0
        for fact in rule.feiten:
            key = fact.replace(".", "__")
            if key in space.index and not catalog_later[key]:
                unknown |= space.lit(key, "onbekend")
        out |= possible & unknown
    for rule in rules:
        for fact in rule.dan.vragen:
            key = fact.replace(".", "__")
            if key in space.index:
                out |= fired.zeker[rule.id] & space.lit(key, "onbekend")
            else:  # not in the space: onbekend (tri), or a list or choice fact, which is always asked
                out |= fired.zeker[rule.id]
    return out & melden["onbekend"]


def stap(space: Space, rules: Sequence[CompiledRule], fired: RuleSets) -> dict[int, int]:
    named = {k: union([fired.zeker[r.id] for r in rules if r.dan.stap == k]) for k in range(1, 6)}
    out = {5: named[5]}
    taken = named[5]
    for k in range(1, 5):
        out[k] = named[k] & ~taken
        taken |= named[k]
    out[1] |= space.all & ~taken
    return out
