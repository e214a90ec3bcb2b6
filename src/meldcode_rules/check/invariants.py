"""Invariants: those declared in the ruleset files, and the built-in ones.

- declared (``invarianten:``): for every case where ``als`` certainly holds, the
  judgement meets ``dan`` (``melden``, ``besluit``, action codes that must be there) and
  avoids what ``dan`` forbids (``melden_niet``, ``besluit_niet``, ``geen_acties``);
  ``melden_niet_lager_dan_zonder`` compares pairs of cases: where ``als`` holds and the
  fact is ``ja``, ``melden`` is at least that of the same case with the fact ``nee`` or
  ``onbekend`` (the space's ``shift_to``; over the rules that conclude ``melden`` only, so
  the space stays small enough to be exhaustive with every ``tijd.`` fact they test);
- extend-never-weaken: on every case a sector's ``melden`` is at least the
  basismodel's (nee < onbekend < ja);
- unknowns never turn a required report into ``nee``: if answering some of the
  unknown facts of a case gives ``melden: ja``, the case itself is not ``nee``.
"""

from __future__ import annotations

from meldcode_rules.check.completeness import ruleset_location
from meldcode_rules.check.context import besluit_rules, counterexample, evaluate_flat, melden_rules, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import actions, fire, judge
from meldcode_rules.check.space import flat_case
from meldcode_rules.compiler.compile import CompiledInvariant, CompiledRuleset
from meldcode_rules.diagnostics import Code


def check_declared(compiled: CompiledRuleset) -> list[Finding]:
    return [f for inv in compiled.invarianten for f in _check_one(compiled, inv)]


def _check_one(compiled: CompiledRuleset, inv: CompiledInvariant) -> list[Finding]:
    dan = inv.invariant.dan
    found = _check_pairs(compiled, inv) if dan.melden_niet_lager_dan_zonder else []
    if not (dan.melden or dan.besluit or dan.besluit_niet or dan.melden_niet or dan.acties or dan.geen_acties):
        return found
    return found + _check_sets(compiled, inv)


def _check_sets(compiled: CompiledRuleset, inv: CompiledInvariant) -> list[Finding]:
    dan = inv.invariant.dan
    needs_besluit = bool(dan.melden or dan.besluit or dan.besluit_niet or dan.melden_niet)
    codes = {*dan.acties, *dan.geen_acties}
    rules = besluit_rules(compiled) if needs_besluit else []
    deciding = set(map(id, besluit_rules(compiled)))
    # Rules looked at only for their actions: their `zeker` alone counts (space_for).
    acting = [r for r in compiled.rules if id(r) not in deciding and any(a.code in codes for a in r.dan.acties)]
    space = space_for(compiled, rules, extra=[inv.zeker], zeker_only=acting)
    rules = [*rules, *acting]
    fired = fire(space, rules, acting)
    holds = space.eval(inv.zeker)
    sets = judge(space, rules, fired) if needs_besluit else None
    acts = actions(space, rules, fired)
    violated = 0
    parts: list[str] = []
    if dan.melden and sets:
        bad = holds & ~sets.melden[dan.melden]
        violated |= bad
        if bad:
            parts.append(f"melden is niet `{dan.melden}`")
    if dan.besluit and sets:
        bad = holds & ~sets.besluit[dan.besluit]
        violated |= bad
        if bad:
            parts.append(f"besluit is niet `{dan.besluit}`")
    for melden in dan.melden_niet:
        bad = holds & sets.melden[melden] if sets else 0
        violated |= bad
        if bad:
            parts.append(f"melden is `{melden}`")
    for besluit in dan.besluit_niet:
        bad = holds & sets.besluit[besluit] if sets else 0
        violated |= bad
        if bad:
            parts.append(f"besluit is `{besluit}`")
    for code in dan.acties:
        bad = holds & ~acts.get(code, 0)
        violated |= bad
        if bad:
            parts.append(f"actie `{code}` ontbreekt")
    for code in dan.geen_acties:
        bad = holds & acts.get(code, 0)
        violated |= bad
        if bad:
            parts.append(f"actie `{code}` staat er, en mag er niet staan")
    if not violated:
        return []
    return [
        counterexample(
            compiled,
            space,
            violated,
            code=Code.MC200,
            message=f"invariant `{inv.id}` ({inv.titel}) geldt niet in `{compiled.id}`: " + "; ".join(parts),
            location=inv.location,
            expect_melden=sets.melden if sets else None,
        )
    ]


def _check_pairs(compiled: CompiledRuleset, inv: CompiledInvariant) -> list[Finding]:
    """``melden`` where ``als`` holds and a fact is ``ja`` is never lower than with it ``nee``/``onbekend``.

    A pair of cases that differ only in that fact: ``shift_to`` moves the partner's
    ``melden`` onto the case, so one pass compares every pair. Every ``tijd.`` fact the
    rules test is an atom of the space, so the proof holds as of any date.
    """
    dan = inv.invariant.dan
    rules = melden_rules(compiled)
    keys = [compiled.catalog[path].key() for path in dan.melden_niet_lager_dan_zonder]
    space = space_for(compiled, rules, extra=[inv.zeker], keys=keys)
    if not space.exhaustive:
        # Not silently sampled: a pair proof needs every partner case.
        return [
            Finding(
                code=Code.MC200,
                message=f"invariant `{inv.id}` ({inv.titel}) in `{compiled.id}`: de ruimte is te groot om elk paar "
                f"te vergelijken ({space.product} gevallen); niet bewezen",
                location=inv.location,
                severity="fout",
                proved=False,
                ruleset=compiled.id,
            )
        ]
    sets = judge(space, rules, fire(space, rules))
    melden = sets.melden
    holds = space.eval(inv.zeker)
    out: list[Finding] = []
    for path, key in zip(dan.melden_niet_lager_dan_zonder, keys, strict=True):
        lower = 0
        for other in ("nee", "onbekend"):
            # the cases (fact `ja`) whose partner (fact `other`) has melden ja, or onbekend
            partner_ja = space.shift_to(melden["ja"], key, other, "ja")
            partner_onbekend = space.shift_to(melden["onbekend"], key, other, "ja")
            lower |= (partner_ja & ~melden["ja"]) | (partner_onbekend & melden["nee"])
        bad = holds & lower
        if bad:
            index = space.smallest(bad)
            assert index is not None
            case = space.assignment(index)
            partners = tuple(
                f"dezelfde casus met `{path}: {other}` geeft `melden: "
                f"{evaluate_flat(compiled, flat_case(compiled.catalog, {**case, key: other})).melden}`"
                for other in ("nee", "onbekend")
            )
            out.append(
                counterexample(
                    compiled,
                    space,
                    bad,
                    code=Code.MC200,
                    message=f"invariant `{inv.id}` ({inv.titel}) geldt niet in `{compiled.id}`: met `{path}: ja` "
                    f"is `melden` lager dan op dezelfde casus met `{path}` `nee` of `onbekend`",
                    location=inv.location,
                    expect_melden=melden,
                    details=partners,
                )
            )
    return out


def check_never_weaken(base: CompiledRuleset, sector: CompiledRuleset) -> list[Finding]:
    rules = besluit_rules(sector)
    base_rules = besluit_rules(base)
    space = space_for(sector, [*rules, *base_rules])
    mine = judge(space, rules, fire(space, rules)).melden
    theirs = judge(space, base_rules, fire(space, base_rules)).melden
    weaker = (theirs["ja"] & ~mine["ja"]) | (theirs["onbekend"] & mine["nee"])
    if not weaker:
        return []
    return [
        counterexample(
            sector,
            space,
            weaker,
            code=Code.MC201,
            message=f"`{sector.id}` verzwakt `{base.id}`: op deze casus is `melden` lager dan in het basismodel",
            location=ruleset_location(sector),
            expect_melden=mine,
        )
    ]


def check_unknowns_never_nee(compiled: CompiledRuleset) -> list[Finding]:
    rules = besluit_rules(compiled)
    space = space_for(compiled, rules)
    if not space.exhaustive:
        return []  # needs every completion; the sampled fallback is the declared invariants
    sets = judge(space, rules, fire(space, rules))
    reachable = sets.melden["ja"]  # cases where some answer to the unknowns gives ja
    for atom in space.atoms:
        if atom.kind == "tri" and not atom.later_beantwoord:
            reachable |= space.shift_to(reachable, atom.key, "ja", "onbekend")
            reachable |= space.shift_to(reachable, atom.key, "nee", "onbekend")
    bad = sets.melden["nee"] & reachable
    if not bad:
        return []
    return [
        counterexample(
            compiled,
            space,
            bad,
            code=Code.MC202,
            message=f"`{compiled.id}`: deze casus geeft `melden: nee`, maar een antwoord op de open feiten "
            "geeft `melden: ja`; een onbekend feit mag een meldplicht nooit op `nee` zetten",
            location=ruleset_location(compiled),
            expect_melden=sets.melden,
        )
    ]
