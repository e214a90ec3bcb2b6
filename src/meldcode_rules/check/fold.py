"""One defect, one finding: fold the findings that follow from the same mistake.

A mistake in the basismodel shows in every sector that extends it, and often in more than one
property at once (a lost rule leaves a gap *and* breaks an invariant, on the same case). A
trainer then wants the mistake once, with what it breaks beneath it, not a page per sector.

Two folds, both only of errors that carry a counterexample (schema errors are already one
per line):

1. the same finding (code, place, and for an invariant its id) in several rulesets: kept once,
   on the ruleset that comes first (the basismodel), the others listed in ``ook_in``;
2. errors with the same smallest counterexample: one defect seen by several properties. The
   most telling one leads (a declared invariant, in the trainer's own words, before a gap) and
   the others become its ``gevolgen``;
3. an error whose property also fails on the counterexample of a leading error (in the same
   ruleset, or in the basismodel it extends): the real evaluator judges the lead's case and the
   property is tested on that judgement, so nothing is folded on a guess.
"""

from __future__ import annotations

import json
from dataclasses import replace

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.check.findings import Finding
from meldcode_rules.compiler.compile import And, CompiledRuleset, Expr, Lit
from meldcode_rules.diagnostics import Code, MeldcodeError

#: which finding leads a group: lower first. Keyed by ``str``: a finding's ``code`` is a plain
#: string, and a ``Code`` (a StrEnum) is equal to and hashes as its value.
_LEAD: dict[str, int] = {
    Code.MC200: 0,
    Code.MC203: 1,
    Code.MC201: 2,
    Code.MC202: 3,
    Code.MC300: 4,
    Code.MC302: 5,
    Code.MC100: 6,
    Code.MC101: 7,
}


def _same_finding_key(finding: Finding) -> tuple[str, str, int, str]:
    # An invariant's message starts with its id; the ruleset name follows, so compare the head.
    head = finding.message.split(" geldt niet in ")[0] if finding.code == Code.MC200 else ""
    if finding.location.line <= 1:
        # about a whole ruleset (a gap, a weakening): the same only on the same case
        return finding.code, "<ruleset>", 0, _case_key(finding)
    return finding.code, finding.location.file, finding.location.line, head


def _case_key(finding: Finding) -> str:
    return json.dumps(finding.tegenvoorbeeld, sort_keys=True, ensure_ascii=False)


def fold(findings: list[Finding], compiled: list[CompiledRuleset]) -> list[Finding]:
    """Fold ``findings`` (see the module docstring); ``compiled`` in order, basismodel first."""
    rank = {c.id: i for i, c in enumerate(compiled)}
    by_id = {c.id: c for c in compiled}

    def ruleset_rank(f: Finding) -> int:
        return rank.get(f.ruleset or "", len(rank))

    foldable = [f for f in findings if f.severity == "fout" and f.tegenvoorbeeld is not None and f.ruleset]
    rest = [f for f in findings if f not in foldable]

    # 1. the same finding in several rulesets
    same: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in sorted(foldable, key=ruleset_rank):
        same.setdefault(_same_finding_key(finding), []).append(finding)
    once = []
    for group in same.values():
        lead, *others = group
        ook_in = tuple(dict.fromkeys(o.ruleset for o in others if o.ruleset and o.ruleset != lead.ruleset))
        once.append(replace(lead, ook_in=ook_in) if ook_in else lead)

    # 2. one counterexample, several properties: one defect
    by_case: dict[str, list[Finding]] = {}
    for finding in sorted(once, key=lambda f: (_LEAD.get(f.code, 9), ruleset_rank(f), f.sort_key())):
        by_case.setdefault(_case_key(finding), []).append(finding)
    leads = []
    for group in by_case.values():
        lead, *others = group
        leads.append(replace(lead, gevolgen=tuple(others)) if others else lead)

    # 3. the lead's case shows the other property failing too
    kept: list[Finding] = []
    for finding in sorted(leads, key=lambda f: (ruleset_rank(f), _LEAD.get(f.code, 9), f.sort_key())):
        for i, lead in enumerate(kept):
            if lead.ruleset not in (finding.ruleset, compiled[0].id if compiled else None):
                continue
            target = by_id.get(finding.ruleset or "")
            if target is not None and _exhibits(finding, target, lead.tegenvoorbeeld or {}):
                kept[i] = replace(lead, gevolgen=(*lead.gevolgen, replace(finding, gevolgen=()), *finding.gevolgen))
                break
        else:
            kept.append(finding)
    return rest + kept


def _holds(expr: Expr, flat: dict[str, object]) -> bool:
    if isinstance(expr, Lit):
        return (flat.get(expr.key) == expr.value) == expr.equal
    parts = (_holds(item, flat) for item in expr.items)
    return all(parts) if isinstance(expr, And) else any(parts)


def _exhibits(finding: Finding, compiled: CompiledRuleset, case: dict[str, object]) -> bool:
    """Whether ``finding``'s property fails on ``case`` under ``compiled`` (real evaluator)."""
    try:
        facts = parse_case(case, model=compiled.catalog.model)
        oordeel = evaluate(facts, ruleset=compiled, engine="reference")
    except MeldcodeError:
        return False
    if finding.code == Code.MC100:
        return any(r.regel == "veiligheidsnet" for r in oordeel.redenering)
    if finding.code == Code.MC200:
        head = finding.message.split("`")
        inv = next((i for i in compiled.invarianten if len(head) > 1 and i.id == head[1]), None)
        if inv is None or not _holds(inv.zeker, compiled.catalog.flatten(facts)):
            return False
        dan = inv.invariant.dan
        codes = {a.code for a in oordeel.acties}
        return (
            (dan.melden is not None and oordeel.melden != dan.melden)
            or (dan.besluit is not None and oordeel.besluit != dan.besluit)
            or not set(dan.acties) <= codes
        )
    return False
