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
from meldcode_rules.engines.protocol import Fired  # what engines answer; re-exported for older imports
from meldcode_rules.judge.judgement import (
    Actie,
    Judgement,
    OpenVraag,
    Redenering,
    RulesetRef,
    Vastlegging,
)
from meldcode_rules.load.ruleset import BESLUIT_ORDE, MELDEN_ORDE, TERMIJN_PATTERN, Besluit, Melden

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


def _termijn_uren(termijn: str | None) -> float:
    """Urgency of a termijn in hours, for ordering actions (no termijn: last)."""
    if termijn is None:
        return float("inf")
    match = TERMIJN_PATTERN.match(termijn)
    if termijn == "direct" or match is None:
        return 0.0
    n, unit = int(match["n"]), match["eenheid"]
    per = {
        "uur": 1,
        "uren": 1,
        "dag": 24,
        "dagen": 24,
        "werkdag": 24,
        "werkdagen": 24,
        "week": 168,
        "weken": 168,
    }[unit]
    return float(n * per) * (1.4 if unit.startswith("werkdag") else 1)


def _rank(order: tuple[str, ...], value: str) -> int:
    return order.index(value)


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
        self.urgency = {(r.id, a.code): _termijn_uren(a.termijn) for r in compiled.rules for a in r.dan.acties}
        catalog = compiled.catalog
        # Per rule: the unknown-able facts that may become open questions (tri facts only,
        # not those answered later by design), with their flat key.
        self.questions = {
            r.id: tuple((f, catalog[f].key()) for f in r.feiten if not catalog[f].later_beantwoord)
            for r in compiled.rules
        }
        self.asked = {
            r.id: tuple((f, catalog[f].key() if catalog[f].kind == "tri" else None) for f in r.dan.vragen)
            for r in compiled.rules
        }
        self.order = {spec.path: spec.volgorde for spec in catalog}
        self.vraag = {spec.path: spec.vraag for spec in catalog}
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
    compiled = plan.compiled
    rules = [r for r in compiled.rules if r.id in fired.zeker]
    possible = [r for r in compiled.rules if r.id in fired.mogelijk and r.id not in fired.zeker]
    melden, safety_net = _melden(rules, possible)
    redenering = [plan.reasons[r.id] for r in rules]
    if safety_net:
        redenering.append(GEEN_REGEL)
    # Validated once, here, with placeholders for the case-dependent parts: every judgement
    # made from this skeleton then differs from it only in parts built from validated data.
    template = Judgement(
        melden=melden,
        besluit=_besluit(rules, melden),
        stap=_stap([r.dan.stap for r in rules if r.dan.stap is not None]),
        acties=(),
        open_vragen=(),
        vastleggen=_vastleggen(rules, plan),
        redenering=tuple(redenering),
        ruleset=plan.rulesets,
        sector=compiled.sector,
        datum=dt.date.min,
        engine="",
    )
    return _Skeleton(
        fields=dict(template.__dict__),
        acties=_acties(rules, plan),
        vragen=tuple(
            (plan.open_vraag(fact, regels), flat_key)
            for fact, flat_key, regels in _vraag_kandidaten(plan, rules, possible, melden)
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


def _melden(rules: list[CompiledRule], possible: list[CompiledRule]) -> tuple[Melden, bool]:
    certain = {r.dan.melden for r in rules if r.dan.melden is not None}
    if "ja" in certain:
        return "ja", False
    if "onbekend" in certain or any(r.dan.melden == "ja" for r in possible):
        return "onbekend", False
    if "nee" in certain:
        return "nee", False
    return "onbekend", True


def _stap(stappen: list[int]) -> int:
    # Step rules name the earliest unfinished step; a decision (stap 5) means the case is
    # in step 5, and the unfinished steps stay on the list as actions.
    if 5 in stappen:
        return 5
    return min(stappen) if stappen else 1


def _besluit(rules: list[CompiledRule], melden: Melden) -> Besluit:
    floor: Besluit = {"ja": "melden", "onbekend": "onvoldoende_informatie"}.get(melden, "afsluiten")  # type: ignore[assignment]
    concluded = [r.dan.besluit for r in rules if r.dan.besluit is not None]
    if not concluded and melden == "nee":
        return "verder_met_stappen"
    return max([floor, *concluded], key=lambda b: _rank(BESLUIT_ORDE, b))


def _acties(rules: list[CompiledRule], plan: _Plan) -> tuple[tuple[str, Any, tuple[str, ...]], ...]:
    chosen: dict[str, tuple[float, Any, list[str]]] = {}
    for rule in rules:
        for actie in rule.dan.acties:
            urgency = plan.urgency[(rule.id, actie.code)]
            entry = chosen.get(actie.code)
            if entry is None:
                chosen[actie.code] = (urgency, actie, [rule.id])
                continue
            entry[2].append(rule.id)
            # The most urgent termijn wins; on a tie, the text of the first rule by id.
            if urgency < entry[0]:
                chosen[actie.code] = (urgency, actie, entry[2])
    ordered = sorted(chosen.items(), key=lambda item: (item[1][0], item[0]))
    return tuple((code, actie, tuple(regels)) for code, (_u, actie, regels) in ordered)


def _vastleggen(rules: list[CompiledRule], plan: _Plan) -> tuple[Vastlegging, ...]:
    merged: dict[str, list[str]] = {}
    for rule in rules:
        for tekst in rule.dan.vastleggen:
            merged.setdefault(tekst, []).append(rule.id)
    return tuple(plan.vastlegging(t, tuple(r)) for t, r in merged.items())


def _vraag_kandidaten(
    plan: _Plan, rules: list[CompiledRule], possible: list[CompiledRule], melden: Melden
) -> tuple[tuple[str, str | None, tuple[str, ...]], ...]:
    """Facts that become open questions when they are still onbekend, in meldcode order."""
    wanted: dict[str, tuple[str | None, list[str]]] = {}

    def want(fact: str, key: str | None, rule_id: str) -> None:
        regels = wanted.setdefault(fact, (key, []))[1]
        if rule_id not in regels:
            regels.append(rule_id)

    if melden != "ja":
        # Answering these could change melden: rules that may fire and would conclude
        # something other than what melden is now.
        for rule in possible:
            if rule.dan.melden is not None and rule.dan.melden != melden:
                for fact, key in plan.questions[rule.id]:
                    want(fact, key, rule.id)
    for rule in rules:
        for fact, key in plan.asked[rule.id]:
            want(fact, key, rule.id)
    ordered = sorted(wanted, key=plan.order.__getitem__)
    return tuple((fact, wanted[fact][0], tuple(wanted[fact][1])) for fact in ordered)


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
    return _rank(MELDEN_ORDE, value)
