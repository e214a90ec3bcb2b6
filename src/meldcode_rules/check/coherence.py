"""Coherence: what no judgement may contradict in itself, whatever the ruleset says (MC203).

Declared invariants are what a ruleset promises; these hold for *every* ruleset, and no ruleset
can opt out of them, because a judgement that breaks one tells a case worker two things at once:

- ``melden: ja`` comes with the action to report (``melden_veilig_thuis``): a judgement that
  says "report" but whose list of what to do now lacks the report is how a lost action slips
  through (the mutants of issue 13 that removed it from the meldnorm 2 and 3 rules);
- ``besluit`` is ``melden`` or ``melden_en_hulp`` if and only if ``melden`` is ``ja``;
- ``melden: nee`` never comes with the action to report;
- ``besluit: afsluiten`` (close the case) only with ``melden: nee``.

Each is proved over the same finite case space as the other stages, with the smallest
counterexample; the judgement is the one :mod:`.semantics` computes for the whole space.
"""

from __future__ import annotations

from meldcode_rules.check.completeness import ruleset_location
from meldcode_rules.check.context import besluit_rules, counterexample, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import actions, fire, judge
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import Code

REPORT = "melden_veilig_thuis"
REPORTING = ("melden", "melden_en_hulp")


def check_coherence(compiled: CompiledRuleset) -> list[Finding]:
    rules = besluit_rules(compiled)
    # Rules with the report action that decide nothing: only their `zeker` counts (space_for).
    acting = [r for r in compiled.rules if r not in rules and any(a.code == REPORT for a in r.dan.acties)]
    space = space_for(compiled, rules, zeker_only=acting)
    rules = [*rules, *acting]
    fired = fire(space, rules, acting)
    sets = judge(space, rules, fired)
    report = actions(space, rules, fired).get(REPORT, 0)
    reporting = sets.besluit["melden"] | sets.besluit["melden_en_hulp"]
    properties = (
        (
            "melden-met-meldactie",
            sets.melden["ja"] & ~report,
            f"`melden: ja` zonder de actie `{REPORT}`: het oordeel zegt melden, maar de lijst van wat nu "
            "te doen mist de melding",
        ),
        (
            "besluit-melden-alleen-bij-melden-ja",
            (reporting & ~sets.melden["ja"]) | (sets.melden["ja"] & ~reporting),
            "`besluit` is `melden`/`melden_en_hulp` terwijl `melden` niet `ja` is, of omgekeerd",
        ),
        (
            "geen-meldactie-bij-melden-nee",
            sets.melden["nee"] & report,
            f"`melden: nee` met de actie `{REPORT}`: het oordeel zegt niet melden en tegelijk melden",
        ),
        (
            "afsluiten-alleen-bij-melden-nee",
            sets.besluit["afsluiten"] & ~sets.melden["nee"],
            "`besluit: afsluiten` terwijl `melden` niet `nee` is",
        ),
    )
    out = []
    for name, bad, message in properties:
        if bad:
            out.append(
                counterexample(
                    compiled,
                    space,
                    bad,
                    code=Code.MC203,
                    message=f"`{compiled.id}`: samenhang `{name}` geldt niet: {message}",
                    location=ruleset_location(compiled),
                    expect_melden=sets.melden,
                )
            )
    return out
