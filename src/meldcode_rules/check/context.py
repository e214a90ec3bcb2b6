"""What every analysis of one compiled ruleset shares: spaces, counterexamples."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from meldcode_rules.check.findings import Finding, RuleRef, Severity
from meldcode_rules.check.space import Space, atoms_for, case_data, flat_case
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset, Expr
from meldcode_rules.diagnostics import CheckerBug, Location
from meldcode_rules.dossier.getuige import dossier_for
from meldcode_rules.engines import get_engine
from meldcode_rules.judge.combine import judge
from meldcode_rules.judge.judgement import Judgement

DATUM = dt.date(2026, 1, 1)


def melden_rules(compiled: CompiledRuleset) -> list[CompiledRule]:
    return [r for r in compiled.rules if r.dan.melden is not None]


def besluit_rules(compiled: CompiledRuleset) -> list[CompiledRule]:
    return [r for r in compiled.rules if r.dan.melden is not None or r.dan.besluit is not None]


def space_for(
    compiled: CompiledRuleset,
    rules: Iterable[CompiledRule],
    extra: Iterable[Expr] = (),
    keys: Iterable[str] = (),
    zeker_only: Iterable[CompiledRule] = (),
) -> Space:
    """The space of what ``rules`` test (``zeker`` and ``mogelijk``) and ``extra``.

    ``zeker_only``: rules that conclude neither ``melden`` nor ``besluit``, looked at only for
    their actions, which come from ``zeker`` alone (:mod:`meldcode_rules.judge.algebra`); fire
    them with :func:`fire_zeker`. Then a fact tested only for ``ja`` has two values, which keeps
    the decisions with the actions to report exhaustive (a truth table) with ``tijd.`` facts.
    """
    exprs: list[Expr] = []
    for rule in rules:
        exprs += [rule.zeker, rule.mogelijk]
    zeker_only = list(zeker_only)
    exprs += [rule.zeker for rule in zeker_only]
    exprs += list(extra)
    return Space(atoms_for(compiled.catalog, exprs, keys, two_valued=bool(zeker_only)))


def evaluate_flat(compiled: CompiledRuleset, flat: dict[str, Any], engine: str = "reference") -> Judgement:
    runner = get_engine(engine)
    return judge(compiled, flat, runner.fire(compiled, flat), datum=DATUM, engine=runner.name)


def ref(rule: CompiledRule) -> RuleRef:
    return RuleRef(rule.id, rule.location)


def counterexample(
    compiled: CompiledRuleset,
    space: Space,
    mask: int,
    *,
    code: str,
    message: str,
    location: Location,
    regels: Sequence[CompiledRule] = (),
    severity: Severity = "fout",
    details: tuple[str, ...] = (),
    expect_melden: dict[str, int] | None = None,
    auto_rules: bool = True,
) -> Finding:
    """A finding with the smallest case of ``mask``, re-evaluated by the real evaluator.

    ``expect_melden`` (the melden sets the analysis computed) is compared with
    the evaluator's answer on that case; a difference is a bug in ``check``.
    """
    index = space.smallest(mask)
    assert index is not None, "counterexample() needs a non-empty set of cases"
    assignment = space.assignment(index)
    flat = flat_case(compiled.catalog, assignment)
    oordeel = evaluate_flat(compiled, flat)
    if expect_melden is not None:
        predicted = next(v for v, m in expect_melden.items() if m >> index & 1)
        if predicted != oordeel.melden:
            raise CheckerBug(
                f"check voorspelde melden `{predicted}` maar de evaluator geeft `{oordeel.melden}` "
                f"op {case_data(compiled.catalog, assignment)}"
            )
    fired = [r.regel for r in oordeel.redenering]
    scenario, note = _as_dossier(compiled, space, mask, index)
    details = (*details, *note)
    if not regels and auto_rules:
        regels = [r for r in compiled.rules if r.id in fired]
    return Finding(
        code=code,
        message=message,
        location=location,
        severity=severity,
        proved=space.proved,
        ruleset=compiled.id,
        regels=tuple(ref(r) for r in regels),
        tegenvoorbeeld=case_data(compiled.catalog, assignment),
        tegenvoorbeeld_dossier=scenario,
        oordeel={"melden": oordeel.melden, "besluit": oordeel.besluit, "regels": fired},
        details=(*details, f"{space.count(mask)} van {space.size} gevallen"),
    )


def sector_of(compiled: CompiledRuleset) -> str:
    return compiled.sector or compiled.id


def _as_dossier(
    compiled: CompiledRuleset, space: Space, mask: int, smallest: int
) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """Where the counterexample has facts about time: a dossier scenario that gives them, to paste.

    Facts about time are derived from dated events, never given in a case file, so a
    counterexample with ``tijd.`` facts is pasted as ``dossier:`` and ``op:``. The smallest
    case is tried first; not every case of the finite space is a dossier (a clock that is
    overdue also runs), so then the other cases of ``mask`` are tried in order (at most 256).
    """
    tijd = {compiled.catalog[r.feit].key() for r in compiled.tijdregels}
    assignment = space.assignment(smallest)
    if not any(assignment.get(key, "onbekend") != "onbekend" for key in tijd):
        return None, ()
    rest = mask & ~(1 << smallest)
    candidates = [smallest]
    while rest and len(candidates) < 256:
        index = (rest & -rest).bit_length() - 1
        rest &= rest - 1
        candidates.append(index)
    for index in candidates:
        found = dossier_for(compiled, space.assignment(index))
        if found is not None:
            data, op = found
            scenario: dict[str, Any] = {"dossier": data, "op": op.isoformat(), "getuige": index == smallest}
            if index == smallest:
                return scenario, ()
            facts = json.dumps(case_data(compiled.catalog, space.assignment(index)), ensure_ascii=False)
            return scenario, (
                "het kleinste tegenvoorbeeld geeft geen dossier; het dossier hieronder is een ander geval uit "
                f"dezelfde verzameling: {facts}",
            )
    return None, (
        "geen dossier geeft deze combinatie van feiten over tijd (feiten over tijd komen uit "
        "gebeurtenissen: dit tegenvoorbeeld is niet als scenario te plakken)",
    )
