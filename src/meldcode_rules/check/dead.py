"""Dead rules (can never certainly fire) and shadowed rules (never change the judgement).

A rule is *shadowed* when, on every case where it can fire, the judgement
(``melden``, ``besluit``, ``stap``, its action codes, its ``vastleggen`` and
``vragen``) is the same without it. Only rules that produce the same part
of the judgement can make a difference there, so each part is compared in a
space over the facts of the rules that produce it (sampled if it is too large,
and said so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meldcode_rules.check.context import besluit_rules, ref, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import RuleSets, actions, asked, fire, judge, records, stap
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


def _groups(compiled: CompiledRuleset, rule: CompiledRule) -> list[tuple[str, Any, list[CompiledRule]]]:
    """Per part of the judgement ``rule`` produces: the rules that produce that part too.

    A part depends only on the rules that produce it (docs/architecture.md, the algebra):
    ``melden`` and ``besluit`` on the rules that conclude either, ``stap`` on those that name
    one, an action on the rules with its code, a record on those with its text, a question a
    rule asks (``vragen``) on those that ask it. So each part is compared in its own space,
    over the facts of its own rules: smaller than one space over all of them, which keeps
    the proof exhaustive where the union of the spaces would be sampled.
    """
    groups: list[tuple[str, Any, list[CompiledRule]]] = []

    # ``keep`` gets the rule and ``what``: the tests in the loops below then need no loop variable
    # bound by a default (a lambda with such a default has no type mypy can infer).
    def group(kind: str, what: Any, keep: Callable[[CompiledRule, Any], bool]) -> None:
        groups.append((kind, what, [r for r in compiled.rules if r.id == rule.id or keep(r, what)]))

    if rule.dan.melden or rule.dan.besluit:
        deciding = {r.id for r in besluit_rules(compiled)}
        group("besluit", None, lambda r, _: r.id in deciding)
    if rule.dan.stap is not None:
        group("stap", None, lambda r, _: r.dan.stap is not None)
    for code in sorted({a.code for a in rule.dan.acties}):
        group("actie", code, lambda r, c: any(a.code == c for a in r.dan.acties))
    for text in dict.fromkeys(rule.dan.vastleggen):
        group("vastleggen", text, lambda r, x: x in r.dan.vastleggen)
    for fact in dict.fromkeys(rule.dan.vragen):
        group("vraag", fact, lambda r, f: f in r.dan.vragen)
    return groups


def _part(space: Space, rules: list[CompiledRule], fired: RuleSets, kind: str, what: Any) -> list[int]:
    if kind == "besluit":
        sets = judge(space, rules, fired)
        return list(sets.melden.values()) + list(sets.besluit.values())
    if kind == "stap":
        return list(stap(space, rules, fired).values())
    if kind == "actie":
        return [actions(space, rules, fired, [what]).get(what, 0)]
    if kind == "vastleggen":
        return [records(space, rules, fired, [what]).get(what, 0)]
    return [asked(space, rules, fired, [what]).get(what, 0)]


def check_shadowed(compiled: CompiledRuleset, dead: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    spaces: dict[frozenset[str], tuple[Space, RuleSets]] = {}
    for rule in compiled.rules:
        if rule.id in dead:
            continue
        groups = _groups(compiled, rule)
        changes = False
        unsure = False
        proved = True
        peers: set[str] = set()
        for kind, what, members in groups:
            key = frozenset(r.id for r in members)
            if key not in spaces:
                space = space_for(compiled, members)
                spaces[key] = (space, fire(space, members))
            space, fired = spaces[key]
            proved &= space.proved
            peers.update(r.id for r in members if r.id != rule.id)
            where = fired.mogelijk[rule.id]
            if not where:
                continue
            if not space.exhaustive and not fired.zeker[rule.id]:
                # a sample in which the rule never certainly fires says nothing about what it adds
                unsure = True
                break
            others = [r for r in members if r.id != rule.id]
            with_rule = _part(space, members, fired, kind, what)
            without = _part(space, others, fired, kind, what)
            if any((a ^ b) & where for a, b in zip(with_rule, without, strict=True)):
                changes = True
                break
        if changes or unsure or not groups:
            continue
        findings.append(
            Finding(
                code=Code.MC401,
                message=f"regel `{rule.id}` verandert het oordeel nooit: op elk geval waar hij vuurt, geven de "
                "andere regels hetzelfde oordeel",
                location=rule.location,
                severity="waarschuwing",
                proved=proved,
                ruleset=compiled.id,
                regels=(ref(rule),),
                details=(f"overlapt met: {', '.join(sorted(peers)) or '-'}",),
            )
        )
    return findings
