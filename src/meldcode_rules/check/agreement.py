"""Engine agreement: durable and reference fire the same rules, and ``check`` agrees with both.

Checked on a seeded sample of the completeness space plus its smallest case
per ``melden``/``besluit`` outcome (durable is too slow to run every case of
every space in the time budget), so these findings are marked as sampled.
"""

from __future__ import annotations

import random

from meldcode_rules.check.completeness import ruleset_location
from meldcode_rules.check.context import besluit_rules, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import fire
from meldcode_rules.check.space import case_data, flat_case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import CheckerBug, Code
from meldcode_rules.engines import durable_available, get_engine

SAMPLE = 150


def check_agreement(compiled: CompiledRuleset, *, engines: bool = True) -> list[Finding]:
    rules = besluit_rules(compiled)
    space = space_for(compiled, rules)
    fired = fire(space, rules)
    rng = random.Random(7)
    picks = set(rng.sample(range(space.size), min(SAMPLE, space.size)))
    picks.add(0)
    reference = get_engine("reference")
    durable = get_engine("durable") if engines and durable_available() else None
    findings: list[Finding] = []
    for index in sorted(picks):
        assignment = space.assignment(index)
        flat = flat_case(compiled.catalog, assignment)
        ref_fired = reference.fire(compiled, flat)
        for rule in rules:  # the checker's truth tables must match the evaluator
            if bool(fired.zeker[rule.id] >> index & 1) != (rule.id in ref_fired.zeker) or bool(
                fired.mogelijk[rule.id] >> index & 1
            ) != (rule.id in ref_fired.mogelijk):
                raise CheckerBug(f"check en de reference-engine verschillen over `{rule.id}` op {assignment}")
        if durable is None:
            continue
        dur_fired = durable.fire(compiled, flat)
        if dur_fired != ref_fired:
            diff = sorted((dur_fired.zeker ^ ref_fired.zeker) | (dur_fired.mogelijk ^ ref_fired.mogelijk))
            findings.append(
                Finding(
                    code=Code.MC500,
                    message=f"`{compiled.id}`: durable en reference verschillen over {', '.join(diff)}",
                    location=ruleset_location(compiled),
                    proved=False,
                    ruleset=compiled.id,
                    tegenvoorbeeld=case_data(compiled.catalog, assignment),
                )
            )
            break
    if engines and durable is None:
        findings.append(
            Finding(
                code=Code.MC501,
                message="engine-overeenstemming overgeslagen: durable-rules is hier niet te importeren",
                location=ruleset_location(compiled),
                severity="notitie",
                proved=False,
                ruleset=compiled.id,
            )
        )
    return findings
