"""Stage 5, judge: the rules that fired -> one judgement.

Engines only decide *which* rules fire (for certain, and possibly). Turning
that into a judgement happens here, once, for every engine, so the engines
cannot differ in meaning. Conclusions combine protectively: the most
protective ``melden`` and ``besluit`` win, so adding a rule can never lower
protection, and an unknown fact that could require a report makes ``melden``
``onbekend``, never ``nee``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset
from meldcode_rules.judge.algebra import Combination, MeldenCases, RuleCases, actie_volgorde, the_value
from meldcode_rules.judge.judgement import (
    Actie,
    Judgement,
    OpenVraag,
    Redenering,
    RulesetRef,
    Vastlegging,
)
from meldcode_rules.load.ruleset import MELDEN_ORDE, TERMIJN_PATTERN, Melden

#: Shown when no rule settled ``melden``: a gap in the ruleset must not read as "nee".
GEEN_REGEL = Redenering(
    regel="veiligheidsnet",
    titel="Geen regel bepaalde of gemeld moet worden",
    bron="Besluit verplichte meldcode, Stb. 2013, 324, art. 2 (bij twijfel Veilig Thuis raadplegen)",
    uitleg="Geen enkele regel gaf uitsluitsel over melden; daarom is het antwoord 'onbekend' en "
    "niet 'nee'. Vraag Veilig Thuis om advies.",
    ruleset="meldcode-rules",
    locatie="meldcode_rules/combine.py",
)


@dataclass(frozen=True)
class Fired:
    """Which rules fire: certainly (``zeker``) and under some answer to the unknowns."""

    zeker: frozenset[str]
    mogelijk: frozenset[str]


def deadline(datum: dt.date, termijn: str | None) -> dt.date | None:
    if termijn is None:
        return None
    match = TERMIJN_PATTERN.match(termijn)
    if match is None or termijn == "direct" or match["eenheid"] in ("uur", "uren"):
        return datum
    n = int(match["n"])
    unit = match["eenheid"]
    if unit.startswith("werkdag"):
        day = datum
        while n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day
    return datum + dt.timedelta(days=n * (7 if unit in ("week", "weken") else 1))


class _Plan:
    """What a ruleset contributes to every judgement, prepared once per compiled ruleset.

    Parts of judgements are immutable, so identical parts are built once and shared; a
    judgement then costs little more than deciding which parts it has.
    """

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.compiled = compiled
        self.reasons = {r.id: _reason(r) for r in compiled.rules}
        self.rulesets = tuple(
            RulesetRef(id=i.id, versie=i.versie, geldig_vanaf=i.geldig_vanaf, sha256=i.sha256)
            for i in compiled.rulesets
        )
        catalog = compiled.catalog
        self.combination = Combination(compiled.rules, {spec.path for spec in catalog if spec.later_beantwoord})
        #: the flat key whose ``onbekend`` makes a fact an open question (None: not tri-state, always asked)
        self.key = {spec.path: spec.key() if spec.kind == "tri" else None for spec in catalog}
        self.order = {spec.path: spec.volgorde for spec in catalog}
        self.vraag = {spec.path: spec.vraag for spec in catalog}
        self.rule = {rule.id: rule for rule in compiled.rules}
        self._acties: dict[tuple[Any, ...], Actie] = {}
        self._vastleggen: dict[tuple[str, tuple[str, ...]], Vastlegging] = {}
        self._vragen: dict[tuple[str, tuple[str, ...]], OpenVraag] = {}
        self.skeletons: dict[tuple[frozenset[str], frozenset[str]], _Skeleton] = {}

    def actie(self, code: str, actie: Any, regels: tuple[str, ...], datum: dt.date) -> Actie:
        key = (code, actie.tekst, actie.termijn, regels, datum)
        made = self._acties.get(key)
        if made is None:
            made = Actie(
                code=code,
                tekst=actie.tekst,
                termijn=actie.termijn,
                deadline=deadline(datum, actie.termijn),
                regels=regels,
            )
            if len(self._acties) < _CACHE_LIMIT:
                self._acties[key] = made
        return made

    def vastlegging(self, tekst: str, regels: tuple[str, ...]) -> Vastlegging:
        made = self._vastleggen.get((tekst, regels))
        if made is None:
            made = Vastlegging(tekst=tekst, regels=regels)
            if len(self._vastleggen) < _CACHE_LIMIT:
                self._vastleggen[(tekst, regels)] = made
        return made

    def open_vraag(self, feit: str, regels: tuple[str, ...]) -> OpenVraag:
        made = self._vragen.get((feit, regels))
        if made is None:
            made = OpenVraag(feit=feit, vraag=self.vraag[feit], regels=regels)
            if len(self._vragen) < _CACHE_LIMIT:
                self._vragen[(feit, regels)] = made
        return made


#: Bounds the shared-parts caches (parts depend on datum, so they grow by the day).
_CACHE_LIMIT = 20_000
_plans: dict[int, _Plan] = {}


def _plan(compiled: CompiledRuleset) -> _Plan:
    plan = _plans.get(id(compiled))
    if plan is None or plan.compiled is not compiled:
        plan = _plans[id(compiled)] = _Plan(compiled)
    return plan


@dataclass(frozen=True)
class _Skeleton:
    """Everything a judgement takes from *which* rules fired (not from the case)."""

    #: the fields of the judgement that do not depend on the case
    fields: dict[str, Any]
    #: (code, chosen action, rule ids): the deadline depends on the case's datum
    acties: tuple[tuple[str, Any, tuple[str, ...]], ...]
    #: (open question, flat key or None): asked if the fact is still onbekend (None: always)
    vragen: tuple[tuple[OpenVraag, str | None], ...]
    #: the actions with their deadlines, per datum (bounded)
    acties_per_datum: dict[dt.date, tuple[Actie, ...]]


def _skeleton(plan: _Plan, fired: Fired) -> _Skeleton:
    combination = plan.combination
    one = RuleCases.one_case(fired.zeker, fired.mogelijk)
    melden_cases = combination.melden(one)
    melden: Melden = the_value(melden_cases.per_value)
    redenering = [plan.reasons[r.id] for r in plan.compiled.rules if r.id in fired.zeker]
    if melden_cases.vangnet:
        redenering.append(GEEN_REGEL)
    # Validated once, here, with placeholders for the case-dependent parts: every judgement
    # made from this skeleton then differs from it only in parts built from validated data.
    template = Judgement(
        melden=melden,
        besluit=the_value(combination.besluit(one, melden_cases)),
        stap=the_value(combination.stap(one)),
        acties=(),
        open_vragen=(),
        vastleggen=_vastleggen(plan, one),
        redenering=tuple(redenering),
        ruleset=plan.rulesets,
        sector=plan.compiled.sector,
        datum=dt.date.min,
        engine="",
    )
    return _Skeleton(
        fields=dict(template.__dict__),
        acties=_acties(plan, one),
        vragen=tuple(
            (plan.open_vraag(fact, regels), plan.key[fact]) for fact, regels in _vragen(plan, one, melden_cases)
        ),
        acties_per_datum={},
    )


def judge(
    compiled: CompiledRuleset, flat: dict[str, object], fired: Fired, *, datum: dt.date, engine: str
) -> Judgement:
    plan = _plan(compiled)
    # The skeleton is a pure function of the fired rules; the same combination recurs
    # across cases, so it is kept (bounded) rather than rebuilt.
    key = (fired.zeker, fired.mogelijk)
    skeleton = plan.skeletons.get(key)
    if skeleton is None:
        skeleton = _skeleton(plan, fired)
        if len(plan.skeletons) < _CACHE_LIMIT:
            plan.skeletons[key] = skeleton
    acties = skeleton.acties_per_datum.get(datum)
    if acties is None:
        acties = tuple(plan.actie(code, actie, regels, datum) for code, actie, regels in skeleton.acties)
        if len(skeleton.acties_per_datum) < _DATES_PER_SKELETON:
            skeleton.acties_per_datum[datum] = acties
    open_vragen = tuple(
        vraag for vraag, flat_key in skeleton.vragen if flat_key is None or flat[flat_key] == "onbekend"
    )
    return _judgement(
        {**skeleton.fields, "acties": acties, "open_vragen": open_vragen, "datum": datum, "engine": engine}
    )


#: Bounds the actions kept per skeleton: one set per assessment date.
_DATES_PER_SKELETON = 64
_JUDGEMENT_FIELDS = frozenset(Judgement.model_fields)


def _judgement(fields: dict[str, Any]) -> Judgement:
    """A Judgement from fields that are all validated already.

    What ``model_construct`` does, without its per-field defaults and alias handling
    (every field is given): on the hot path that machinery costs more than judging.
    The parts come from the skeleton's validated template, from actions and questions
    validated when first built, and from the validated case (datum); ``engine`` is an
    engine's own name. tests/test_flat_reader.py checks the result against full
    validation.
    """
    judgement = object.__new__(Judgement)
    object.__setattr__(judgement, "__dict__", fields)
    object.__setattr__(judgement, "__pydantic_fields_set__", set(_JUDGEMENT_FIELDS))
    object.__setattr__(judgement, "__pydantic_extra__", None)
    object.__setattr__(judgement, "__pydantic_private__", None)
    return judgement


def _acties(plan: _Plan, one: RuleCases) -> tuple[tuple[str, Any, tuple[str, ...]], ...]:
    """The actions of one case: (code, the chosen action, the rules asking it), in order."""
    combination = plan.combination
    found = []
    for code, choices in combination.actie_keuze(one).items():
        chosen = next((actie for _rule, actie, cases in choices if cases), None)
        if chosen is not None:
            regels = tuple(rule_id for rule_id, _actie in combination.acties[code] if one.certain(rule_id))
            found.append((code, chosen, regels))
    found.sort(key=lambda item: actie_volgorde(item[0], item[1].termijn))
    return tuple(found)


def _vastleggen(plan: _Plan, one: RuleCases) -> tuple[Vastlegging, ...]:
    """The records of one case, in the order the rules that fired ask them."""
    combination = plan.combination
    found = []
    for tekst, cases in combination.vastleggingen(one).items():
        if cases:
            regels = tuple(r for r in combination.vastleggen[tekst] if one.certain(r))
            first = regels[0]
            found.append(((combination.plaats[first], plan.rule[first].dan.vastleggen.index(tekst)), tekst, regels))
    found.sort(key=lambda item: item[0])
    return tuple(plan.vastlegging(tekst, regels) for _place, tekst, regels in found)


def _vragen(plan: _Plan, one: RuleCases, melden: MeldenCases) -> list[tuple[str, tuple[str, ...]]]:
    """Facts that become open questions when they are still onbekend, in meldcode order."""
    found = []
    for fact, by_rule in plan.combination.vraag_kandidaten(one, melden).items():
        regels = tuple(dict.fromkeys(rule_id for rule_id, cases in by_rule if cases))
        if regels:
            found.append((fact, regels))
    found.sort(key=lambda item: plan.order[item[0]])
    return found


def _reason(rule: CompiledRule) -> Redenering:
    return Redenering(
        regel=rule.id,
        titel=rule.titel,
        bron=rule.bron,
        uitleg=rule.uitleg,
        ruleset=rule.ruleset,
        locatie=_short_location(rule),
    )


def _short_location(rule: CompiledRule) -> str:
    # A relative, stable place (rulesets/x.yaml:12) rather than this machine's absolute path.
    file = re.sub(r"^.*?(?=(_?rulesets)/)", "", rule.location.file).lstrip("_")
    return f"{file}:{rule.location.line}"


def melden_rank(value: Melden) -> int:
    """Position of ``value`` in protective order (nee < onbekend < ja)."""
    return MELDEN_ORDE.index(value)
