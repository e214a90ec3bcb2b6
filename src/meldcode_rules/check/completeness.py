"""Completeness: every case gets ``melden`` and ``besluit``, and ``onbekend`` only with an open question.

Only rules that conclude ``melden`` or ``besluit`` can change those, so the
space is built over the facts those rules test; every other fact cannot
change the answer, which makes the check exhaustive over all cases.
"""

from __future__ import annotations

from meldcode_rules.check.context import besluit_rules, counterexample, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import fire, judge, open_question
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import Code, Location


def ruleset_location(compiled: CompiledRuleset) -> Location:
    own = [r.location for r in compiled.rules if r.ruleset == compiled.id] or [r.location for r in compiled.rules]
    return Location(min(own).file, 1) if own else Location(f"<{compiled.id}>")


def check_completeness(compiled: CompiledRuleset) -> list[Finding]:
    rules = besluit_rules(compiled)
    vragen = [f.replace(".", "__") for r in rules for f in r.dan.vragen]
    space = space_for(compiled, rules, keys=[k for k in vragen if k in {s.key() for s in compiled.catalog}])
    fired = fire(space, rules)
    sets = judge(space, rules, fired)
    findings: list[Finding] = []
    where = ruleset_location(compiled)
    if sets.vangnet:
        findings.append(
            counterexample(
                compiled,
                space,
                sets.vangnet,
                code=Code.MC100,
                message=f"`{compiled.id}`: op deze casus bepaalt geen enkele regel `melden` "
                "(het vangnet antwoordt `onbekend`); voeg een regel toe die dit geval beslist",
                location=where,
                expect_melden=sets.melden,
                auto_rules=False,
                details=("welke regels `melden` concluderen: " + ", ".join(r.id for r in rules if r.dan.melden),),
            )
        )
    silent = sets.melden["onbekend"] & ~sets.vangnet & ~open_question(space, rules, fired, sets.melden)
    if silent:
        findings.append(
            counterexample(
                compiled,
                space,
                silent,
                code=Code.MC101,
                message=f"`{compiled.id}`: `melden` is `onbekend` zonder open vraag die het kan beslissen; "
                "de hulpverlener weet niet wat te vragen",
                location=where,
                expect_melden=sets.melden,
            )
        )
    return findings
