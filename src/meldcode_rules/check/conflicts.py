"""Conflicts: rules that certainly fire together and conclude ``melden: ja`` and ``melden: nee``.

The protective order (ja > onbekend > nee) always settles ``melden`` and
``besluit``; what it does not settle is that the actions of *both* rules reach
the case worker. What counts:

- ``MC300`` (fout): the ``nee`` rule, or any rule that concludes ``besluit: afsluiten``, closes:
  "close the case" would stand next to "report";
- ``MC301`` (waarschuwing): any other ja/nee overlap: settled, but worth a look;
- no finding when a rule that fires on *every* case of the overlap, and only where
  the ``nee`` rule fires, records it (has ``vastleggen``, e.g.
  ``afweging1-tegenstrijdig``): the ruleset knows and says so in the dossier.

One finding per ``nee`` rule, with all ``ja`` rules it overlaps. Also
``MC302`` (fout): one rule that contradicts itself, ``melden: ja`` with a
``besluit`` that is not a report (``afsluiten``, ``hulp_bieden_of_organiseren``, ...).
"""

from __future__ import annotations

from meldcode_rules.check.context import besluit_rules, counterexample, ref, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import fire, judge
from meldcode_rules.compiler.compile import CompiledRuleset, expr_keys
from meldcode_rules.diagnostics import Code


def check_conflicts(compiled: CompiledRuleset) -> list[Finding]:
    rules = besluit_rules(compiled)
    space = space_for(compiled, rules)
    fired = fire(space, rules)
    sets = judge(space, rules, fired)
    recorders = [
        r
        for r in compiled.rules
        if r.dan.melden is None and r.dan.vastleggen and expr_keys(r.zeker) <= space.index.keys()
    ]
    recorded = [(r, space.eval(r.zeker)) for r in recorders]
    findings: list[Finding] = [
        Finding(
            code=Code.MC302,
            message=f"regel `{r.id}` concludeert `melden: ja` met `besluit: {r.dan.besluit}`; dat spreekt "
            "elkaar tegen (bij melden hoort `besluit: melden` of `melden_en_hulp`)",
            location=r.location,
            ruleset=compiled.id,
            regels=(ref(r),),
        )
        for r in rules
        if r.dan.melden == "ja" and r.dan.besluit is not None and r.dan.besluit not in ("melden", "melden_en_hulp")
    ]
    # A rule that closes (besluit: afsluiten) counts too when it leaves `melden` to another rule:
    # the basismodel keeps "no report" and "close" apart (closing also waits for the steps).
    for nee in (r for r in rules if r.dan.melden == "nee" or r.dan.besluit == "afsluiten"):
        overlap = 0
        partners = []
        for ja in (r for r in rules if r.dan.melden == "ja"):
            both = fired.zeker[nee.id] & fired.zeker[ja.id]
            recorded_here = any(both & ~mask == 0 and mask & ~fired.zeker[nee.id] == 0 for _, mask in recorded)
            if both and not recorded_here:
                overlap |= both
                partners.append(ja)
        if not overlap:
            continue
        closes = nee.dan.besluit == "afsluiten"
        findings.append(
            counterexample(
                compiled,
                space,
                overlap,
                code=Code.MC300 if closes else Code.MC301,
                message=(
                    f"`{nee.id}` ("
                    + "; ".join(p for p in (_nee_part(nee.dan.melden), "besluit: afsluiten" if closes else "") if p)
                    + ") vuurt zeker samen met "
                    + ", ".join(f"`{r.id}`" for r in partners)
                    + " (melden: ja); "
                    + (
                        "de hulpverlener krijgt 'afsluiten' naast 'melden'"
                        if closes
                        else "de beschermende volgorde beslist (ja), maar de acties van beide regels verschijnen"
                    )
                ),
                location=nee.location,
                regels=[nee, *partners],
                severity="fout" if closes else "waarschuwing",
                details=("leg de overlap vast met een regel (vastleggen) of sluit hem uit in `als`",),
                expect_melden=sets.melden,
            )
        )
    return findings


def _nee_part(melden: str | None) -> str:
    return "melden: nee" if melden == "nee" else ""
