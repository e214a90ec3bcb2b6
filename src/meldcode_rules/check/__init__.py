"""``meldcode-rules check``: prove the rulesets consistent.

One pass over every ruleset and sector (see :mod:`.targets`) runs the
stages below and returns all findings sorted by file and line:

1. schema and references (loader and compiler);
2. completeness (:mod:`.completeness`);
3. invariants, declared and built-in (:mod:`.invariants`), ageing answers that never lower
   ``melden`` (:mod:`.veroudering`), and the coherence no ruleset can opt out of
   (:mod:`.coherence`);
4. conflicts (:mod:`.conflicts`);
5. dead and shadowed rules (:mod:`.dead`);
6. engine agreement (:mod:`.agreement`).

The stages reason over the finite case space (:mod:`.space`), exhaustively
where it is small enough, so most findings (and their absence) are proofs;
each finding says whether it was proved or found on a sample.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from meldcode_rules.check.against import against as compare_with
from meldcode_rules.check.agreement import check_agreement
from meldcode_rules.check.coherence import check_coherence
from meldcode_rules.check.completeness import check_completeness
from meldcode_rules.check.conflicts import check_conflicts
from meldcode_rules.check.dead import check_dead, check_shadowed
from meldcode_rules.check.findings import Finding, RuleRef
from meldcode_rules.check.fold import fold
from meldcode_rules.check.invariants import check_declared, check_never_weaken, check_unknowns_never_nee
from meldcode_rules.check.space import tracking
from meldcode_rules.check.targets import Targets, targets
from meldcode_rules.check.veroudering import check_ageing
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.sectors.registry import BASISMODEL, builtin_ruleset_dir

__all__ = ["CheckReport", "Finding", "RuleRef", "run_check"]


@dataclass
class CheckReport:
    findings: list[Finding]
    #: labels of the rulesets checked (sector, or the ruleset id)
    checked: list[str]
    files: list[Path]
    seconds: float
    #: stages that ran per ruleset, with whether every one of their answers is a proof
    stages: dict[str, dict[str, bool]] = field(default_factory=dict)
    #: errors per stage and ruleset, before folding (a stage with errors proved nothing)
    stage_errors: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "fout"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "gecontroleerd": self.checked,
            "bestanden": [str(f) for f in self.files],
            "seconden": round(self.seconds, 3),
            "stappen": self.stages,
            "stappen_fouten": self.stage_errors,
            "bevindingen": [f.to_json() for f in self.findings],
        }


def run_check(
    paths: Sequence[Path] | None = None,
    *,
    engine_agreement: bool = True,
    source: Targets | None = None,
    warnings: bool = True,
    against: str | None = None,
) -> CheckReport:
    """Check every ruleset under ``paths`` (default: the built-in rulesets).

    ``warnings=False`` skips the stages that can only warn (shadowed rules) and the
    engine comparison: the mutation self-test uses it to stay fast. ``against`` (a git
    revision or a path) also compares with that version (:mod:`.against`): less
    protection on some case (MC600) or an invariant gone or weakened (MC601) is an error.
    """
    start = time.perf_counter()
    found = source if source is not None else targets(paths)
    findings = list(found.findings)
    stages: dict[str, dict[str, bool]] = {}
    stage_errors: dict[str, dict[str, int]] = {}
    bases = [c for _label, c in found.compiled if c.id == BASISMODEL]
    for label, compiled in found.compiled:
        # the basismodel version this one extends (versions by date: the one in force with it)
        base = next((b for b in bases if set(b.rulesets) <= set(compiled.rulesets)), None)
        # partial binds this ruleset now, as a lambda's default did, and has a type mypy can check
        # (a lambda with a default parameter has none it can infer).
        checks: list[tuple[str, Callable[[], list[Finding]]]] = [
            ("volledigheid", partial(check_completeness, compiled)),
            ("invarianten", partial(check_declared, compiled)),
            ("onbekend-nooit-nee", partial(check_unknowns_never_nee, compiled)),
            ("veroudering", partial(check_ageing, compiled)),
            ("samenhang", partial(check_coherence, compiled)),
        ]
        if base is not None and compiled is not base:
            checks.append(("nooit-verzwakken", partial(check_never_weaken, base, compiled)))
        checks.append(("conflicten", partial(check_conflicts, compiled)))
        dead: set[str] = set()

        def dead_rules(c: CompiledRuleset = compiled, into: set[str] = dead) -> list[Finding]:
            got, ids = check_dead(c)
            into.update(ids)
            return got

        checks.append(("dode-regels", dead_rules))
        if warnings:
            checks.append(("overschaduwde-regels", partial(check_shadowed, compiled, dead)))
        results: dict[str, list[Finding]] = {}
        stages[label] = {}
        for name, run in checks:
            with tracking() as spaces:
                results[name] = run()
            stages[label][name] = all(spaces)
        if warnings or engine_agreement:
            results["engines"] = check_agreement(compiled, engines=engine_agreement)
            stages[label]["engines"] = False  # always a sample
        stage_errors[label] = {}
        for name, got in results.items():
            stage_errors[label][name] = sum(f.severity == "fout" for f in got)
            findings.extend(got)
    if against is not None:
        stage_errors.setdefault("vorige-versie", {})
        got = compare_with(against, list(paths) if paths else [builtin_ruleset_dir()], found)
        stages["vorige versie " + against] = {"vergelijking": all(f.proved is not False for f in got)}
        stage_errors["vorige versie " + against] = {"vergelijking": sum(f.severity == "fout" for f in got)}
        stage_errors.pop("vorige-versie")
        findings.extend(got)
    labels = [label for label, _ in found.compiled]
    findings = fold(_dedupe(findings), [c for _, c in found.compiled])
    findings.sort(key=Finding.sort_key)
    return CheckReport(findings, labels, found.files, time.perf_counter() - start, stages, stage_errors)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    # A sector inherits the basismodel's rules: the same finding on the same line is reported once.
    seen: dict[tuple[str, str, int, str], Finding] = {}
    for finding in findings:
        key = (finding.code, finding.location.file, finding.location.line, finding.message.split(":")[0])
        seen.setdefault(key, finding)
    return list(seen.values())
