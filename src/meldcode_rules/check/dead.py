"""Dead rules (can never certainly fire) and shadowed rules (never change the judgement).

A rule is *shadowed* when, on every case where it can fire, the judgement
(``melden``, ``besluit``, ``stap``, its action codes, its ``vastleggen`` and
``vragen``) is the same without it. Only rules that produce the same parts
of the judgement can make a difference there, so the space for a rule is built
over the facts of those rules (sampled if it is too large, and said so).
"""

from __future__ import annotations

from meldcode_rules.check.context import besluit_rules, ref, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import RuleSets, fire, judge, stap, union
from meldcode_rules.check.space import Space
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset
from meldcode_rules.diagnostics import Code


def check_dead(compiled: CompiledRuleset) -> tuple[list[Finding], set[str]]:
    findings: list[Finding] = []
    dead: set[str] = set()
    for rule in compiled.rules:
        space = space_for(compiled, [rule])
        zeker = space.eval(rule.zeker)
        if zeker:
            continue
        dead.add(rule.id)
        possible = space.eval(rule.mogelijk)
        findings.append(
            Finding(
                code=Code.MC400,
                message=f"regel `{rule.id}` kan nooit zeker vuren: de voorwaarde spreekt zichzelf tegen"
                + (" (alleen 'mogelijk', bij onbekende feiten)" if possible else ""),
                location=rule.location,
                proved=space.proved,
                ruleset=compiled.id,
                regels=(ref(rule),),
            )
        )
    return findings, dead


def _peers(compiled: CompiledRuleset, rule: CompiledRule) -> list[CompiledRule]:
    codes = {a.code for a in rule.dan.acties}
    texts = set(rule.dan.vastleggen)
    vragen = set(rule.dan.vragen)
    peers: dict[str, CompiledRule] = {}
    if rule.dan.melden or rule.dan.besluit:
        peers.update((r.id, r) for r in besluit_rules(compiled))
    for other in compiled.rules:
        if (
            other.id == rule.id
            or (rule.dan.stap is not None and other.dan.stap is not None)
            or codes & {a.code for a in other.dan.acties}
            or texts & set(other.dan.vastleggen)
            or vragen & set(other.dan.vragen)
        ):
            peers[other.id] = other
    return list(peers.values())


def _parts(space: Space, rules: list[CompiledRule], fired: RuleSets, rule: CompiledRule) -> list[int]:
    parts: list[int] = []
    if rule.dan.melden or rule.dan.besluit:
        sets = judge(space, [r for r in rules if r.dan.melden or r.dan.besluit], fired)
        parts += list(sets.melden.values()) + list(sets.besluit.values())
    if rule.dan.stap is not None:
        parts += list(stap(space, rules, fired).values())
    for code in sorted({a.code for a in rule.dan.acties}):
        parts.append(union([fired.zeker[r.id] for r in rules if code in {a.code for a in r.dan.acties}]))
    for text in rule.dan.vastleggen:
        parts.append(union([fired.zeker[r.id] for r in rules if text in r.dan.vastleggen]))
    for fact in rule.dan.vragen:
        parts.append(union([fired.zeker[r.id] for r in rules if fact in r.dan.vragen]))
    return parts


def check_shadowed(compiled: CompiledRuleset, dead: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    spaces: dict[frozenset[str], tuple[Space, RuleSets]] = {}
    for rule in compiled.rules:
        if rule.id in dead:
            continue
        peers = _peers(compiled, rule)
        key = frozenset(r.id for r in peers)
        if key not in spaces:
            space = space_for(compiled, peers)
            spaces[key] = (space, fire(space, peers))
        space, fired = spaces[key]
        where = fired.mogelijk[rule.id]
        if not where:
            continue
        if not space.exhaustive and not fired.zeker[rule.id]:
            # a sample in which the rule never certainly fires says nothing about what it adds
            continue
        others = [r for r in peers if r.id != rule.id]
        with_rule = _parts(space, peers, fired, rule)
        without = _parts(space, others, fired, rule)
        if any((a ^ b) & where for a, b in zip(with_rule, without, strict=True)):
            continue
        findings.append(
            Finding(
                code=Code.MC401,
                message=f"regel `{rule.id}` verandert het oordeel nooit: op elk geval waar hij vuurt, geven de "
                "andere regels hetzelfde oordeel",
                location=rule.location,
                severity="waarschuwing",
                proved=space.proved,
                ruleset=compiled.id,
                regels=(ref(rule),),
                details=(f"overlapt met: {', '.join(sorted(r.id for r in others)) or '-'}",),
            )
        )
    return findings
