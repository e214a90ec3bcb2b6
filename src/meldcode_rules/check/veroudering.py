"""Ageing answers never lower ``melden``: a proof per ``maakt_onbekend`` of every time rule.

A time rule may say that an answer ages (``maakt_onbekend: {afweging.hulp_effectief: ja}``):
while its time fact is ``ja``, that answer counts as ``onbekend`` (:mod:`meldcode_rules.dossier.tijd`).
Time must never lower a report, so for every such (fact, answer) this stage compares each
case where the time fact is ``ja`` and the fact has that answer with the same case where
the fact is ``onbekend``: ``melden`` of the second is never lower (nee < onbekend < ja).

Exhaustive over the rules that conclude ``melden`` with the fact and the time fact as
atoms, one space per ruleset (``shift_to`` pairs every case with its partner in one pass);
a space too large to pair every case is an error, never a sample. Several ageing facts of one rule age one by
one, and each step never lowers, so neither does the whole.
"""

from __future__ import annotations

from meldcode_rules.check.completeness import ruleset_location
from meldcode_rules.check.context import counterexample, evaluate_flat, melden_rules, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import fire, judge
from meldcode_rules.check.space import flat_case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import Code


def check_ageing(compiled: CompiledRuleset) -> list[Finding]:
    """Every ``maakt_onbekend`` of ``compiled``'s time rules never lowers ``melden``."""
    regels = [r for r in compiled.tijdregels if r.maakt_onbekend]
    if not regels:
        return []
    rules = melden_rules(compiled)
    # One space for every ageing answer of the ruleset: the melden rules' facts, every ageing
    # fact and every time fact that ages one; judged once, then each pair is a shift of it.
    keys = dict.fromkeys(
        key
        for regel in regels
        for key in (compiled.catalog[regel.feit].key(), *(compiled.catalog[f].key() for f in regel.maakt_onbekend))
    )
    space = space_for(compiled, rules, keys=list(keys))
    melden = judge(space, rules, fire(space, rules)).melden if space.exhaustive else {}
    out: list[Finding] = []
    for regel in regels:
        clock = compiled.catalog[regel.feit].key()
        for feit, antwoord in regel.maakt_onbekend.items():
            key = compiled.catalog[feit].key()
            where = f"tijdregel `{regel.feit}` in `{compiled.id}`: `maakt_onbekend` `{feit}: {antwoord}`"
            if not space.exhaustive:
                out.append(
                    Finding(
                        code=Code.MC204,
                        message=f"{where}: de ruimte is te groot om elk paar te vergelijken "
                        f"({space.product} gevallen); niet bewezen dat het verouderen `melden` nooit verlaagt",
                        location=compiled.tijdregel_locaties.get(regel.feit) or ruleset_location(compiled),
                        severity="fout",
                        proved=False,
                        ruleset=compiled.id,
                    )
                )
                continue
            # the cases (fact = antwoord) whose partner (fact onbekend) has melden nee, or onbekend
            partner_nee = space.shift_to(melden["nee"], key, "onbekend", antwoord)
            partner_onbekend = space.shift_to(melden["onbekend"], key, "onbekend", antwoord)
            lower = (melden["ja"] & (partner_nee | partner_onbekend)) | (melden["onbekend"] & partner_nee)
            bad = lower & space.lit(clock, "ja")
            if not bad:
                continue
            index = space.smallest(bad)
            assert index is not None
            case = space.assignment(index)
            partner = evaluate_flat(compiled, flat_case(compiled.catalog, {**case, key: "onbekend"})).melden
            out.append(
                counterexample(
                    compiled,
                    space,
                    bad,
                    code=Code.MC204,
                    message=f"{where}: op deze casus verlaagt het verouderen `melden` "
                    f"(met `{feit}: onbekend` wordt het `{partner}`); verouder alleen een antwoord "
                    "dat van melden afhoudt",
                    location=compiled.tijdregel_locaties.get(regel.feit) or ruleset_location(compiled),
                    expect_melden=melden,
                    details=(f"dezelfde casus met `{feit}: onbekend` geeft `melden: {partner}`",),
                )
            )
    return out
