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

from meldcode_rules.caches import LRU, lru
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset
from meldcode_rules.engines.protocol import Fired  # what engines answer; re-exported for older imports
from meldcode_rules.judge.algebra import Combination, MeldenCases, RuleCases, Stand, actie_volgorde, the_value
from meldcode_rules.judge.judgement import (
    Actie,
    Judgement,
    OpenVraag,
    Redenering,
    RulesetRef,
    Vastlegging,
)
from meldcode_rules.load.ruleset import MELDEN_ORDE, TERMIJN_PATTERN, UREN, Melden

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
    """``datum`` plus ``termijn``; past the last representable day, that day (it has not passed).

    The same rule as the dossier's clocks (``dossier.tijd.safe_date_plus``): a dossier is judged
    as of any peildatum up to 9999-12-31, and its actions' deadlines count from it.
    """
    try:
        return _deadline(datum, termijn)
    except OverflowError:
        return dt.date.max


def _deadline(datum: dt.date, termijn: str | None) -> dt.date | None:
    if termijn is None:
        return None
    match = TERMIJN_PATTERN.match(termijn)
    if match is None or termijn == "direct" or match["eenheid"] in UREN:
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
        # Not asked: facts answered later by design, and facts a dossier derives from its dates
        # (tijd.*), which are no field of the case and no question anyone can answer.
        fields = catalog.model.model_fields
        unaskable = {s.path for s in catalog if s.later_beantwoord or s.path.split(".")[0] not in fields}
        self.combination = Combination(compiled.rules, unaskable)
        #: the flat key whose ``onbekend`` makes a fact an open question (None: not tri-state, always asked)
        self.key = {spec.path: spec.key() if spec.kind == "tri" else None for spec in catalog}
        self.order = {spec.path: spec.volgorde for spec in catalog}
        self.vraag = {spec.path: spec.vraag for spec in catalog}
        #: per action code: (stap, volgorde, place in the catalog), for the order of actions
        self.actie_plaats = {
            code: (definition.stap, definition.volgorde, n)
            for n, (code, definition) in enumerate(compiled.actiedefinities.items())
        }
        #: per (rule, record text): where the text stands (records are ordered by the first rule)
        self.plek = {
            (rule.id, tekst): (n, rule.dan.vastleggen.index(tekst))
            for n, rule in enumerate(compiled.rules)
            for tekst in rule.dan.vastleggen
        }
        # Kept parts, each bounded and least recently used out first (see caches.py):
        # the skeleton of a combination of fired rules, its actions per assessment date,
        # and the immutable parts judgements share.
        self.skeleton = lru(SKELETONS)(self._skeleton)
        self.acties_op = lru(ACTIES_OP_DATUM)(self._acties_op)
        self.actie = lru(DELEN)(self._actie)
        self.vastlegging = lru(DELEN)(self._vastlegging)
        self.open_vraag = lru(DELEN)(self._open_vraag)

    def _skeleton(self, fired: Fired) -> _Skeleton:
        return _skeleton(self, fired)

    def _acties_op(
        self, acties: tuple[tuple[str, str, str | None, tuple[str, ...]], ...], datum: dt.date
    ) -> tuple[Actie, ...]:
        return tuple(self.actie(code, tekst, termijn, regels, datum) for code, tekst, termijn, regels in acties)

    def _actie(self, code: str, tekst: str, termijn: str | None, regels: tuple[str, ...], datum: dt.date) -> Actie:
        return Actie(code=code, tekst=tekst, termijn=termijn, deadline=deadline(datum, termijn), regels=regels)

    def _vastlegging(self, tekst: str, regels: tuple[str, ...]) -> Vastlegging:
        return Vastlegging(tekst=tekst, regels=regels)

    def _open_vraag(self, feit: str, regels: tuple[str, ...]) -> OpenVraag:
        return OpenVraag(feit=feit, vraag=self.vraag[feit], regels=regels)


#: Per compiled ruleset: combinations of fired rules kept. Real cases meet few of them again
#: and again; generated ones meet a new one nearly every time (then a skeleton is built).
SKELETONS = 1024
#: Per compiled ruleset: (actions, assessment date) pairs whose dated actions are kept (keyed by
#: the actions' texts, not by the skeleton, so combinations with the same actions share them).
ACTIES_OP_DATUM = 1024
#: Per compiled ruleset and kind: shared actions, records and questions.
DELEN = 1024
#: Compiled rulesets whose plans are kept (the built-in sectors, plus edited rulesets in checks).
RULESETS = 32
_plans: LRU[int, tuple[CompiledRuleset, _Plan]] = LRU(RULESETS)


def _plan(compiled: CompiledRuleset) -> _Plan:
    # By id, holding the ruleset itself: its id cannot be reused while the entry lives.
    kept = _plans.get(id(compiled))
    if kept is None or kept[0] is not compiled:
        kept = _plans.put(id(compiled), (compiled, _Plan(compiled)))
    return kept[1]


@dataclass(frozen=True)
class _Skeleton:
    """Everything a judgement takes from *which* rules fired (not from the case)."""

    #: the fields of the judgement that do not depend on the case
    fields: dict[str, Any]
    #: (code, text, termijn, rule ids) of each action: its deadline depends on the case's datum
    acties: tuple[tuple[str, str, str | None, tuple[str, ...]], ...]
    #: (open question, flat key or None): asked if the fact is still onbekend (None: always)
    vragen: tuple[tuple[OpenVraag, str | None], ...]


def _skeleton(plan: _Plan, fired: Fired) -> _Skeleton:
    combination = plan.combination
    one = RuleCases.one_case(fired.zeker, fired.mogelijk)
    melden_cases = combination.melden(one)
    melden: Melden = the_value(melden_cases.per_value)
    stand = combination.stand(one, melden_cases)
    redenering = [plan.reasons[r] for r in sorted(fired.zeker, key=plan.combination.plaats.__getitem__)]
    if melden_cases.vangnet:
        redenering.append(GEEN_REGEL)
    return _Skeleton(
        fields={
            "melden": melden,
            "besluit": the_value(stand.besluit),
            "stap": the_value(combination.stap(one)),
            "vastleggen": _vastleggen(plan, one),
            "redenering": tuple(redenering),
            "ruleset": plan.rulesets,
            "sector": plan.compiled.sector,
        },
        acties=tuple(
            (code, actie.tekst, actie.termijn, regels) for code, actie, regels in _acties(plan, one, stand.chosen)
        ),
        vragen=tuple(
            (plan.open_vraag(fact, regels), plan.key[fact]) for fact, regels in _vragen(plan, one, melden_cases, stand)
        ),
    )


def judge(
    compiled: CompiledRuleset,
    flat: dict[str, object],
    fired: Fired,
    *,
    datum: dt.date,
    engine: str,
    referentie: str | None = None,
) -> Judgement:
    """The judgement of ``flat``; ``referentie`` (the case's own key, never a fact) is passed through."""
    fields = judgement_fields(compiled, flat, fired, datum=datum, engine=engine)
    if referentie is not None:
        fields["referentie"] = referentie
    # Plain validation: the parts are models validated when they were built, which pydantic
    # accepts as they are (and shares between judgements: they are immutable).
    return Judgement.model_validate(fields)


def judgement_fields(
    compiled: CompiledRuleset, flat: dict[str, object], fired: Fired, *, datum: dt.date, engine: str
) -> dict[str, Any]:
    """The fields of :func:`judge`'s judgement (those of a case; a dossier's judgement adds its own)."""
    plan = _plan(compiled)
    # The skeleton is a pure function of the fired rules, and its actions of the date.
    skeleton = plan.skeleton(fired)
    acties = plan.acties_op(skeleton.acties, datum)
    open_vragen = tuple(
        vraag for vraag, flat_key in skeleton.vragen if flat_key is None or flat[flat_key] == "onbekend"
    )
    return {**skeleton.fields, "acties": acties, "open_vragen": open_vragen, "datum": datum, "engine": engine}


def _acties(
    plan: _Plan, one: RuleCases, chosen: dict[str, tuple[tuple[str, Any, int], ...]]
) -> tuple[tuple[str, Any, tuple[str, ...]], ...]:
    """The actions of one case: (code, the chosen action, the rules asking it), in order."""
    combination = plan.combination
    zeker = one.zeker
    found = []
    for code, choices in chosen.items():
        # On one case a code has exactly one chosen text: the first (and only) entry.
        actie = choices[0][1]
        regels = tuple(rule_id for rule_id, _actie in combination.acties[code] if zeker.get(rule_id))
        stap, volgorde, plaats = plan.actie_plaats.get(code, (None, None, len(plan.actie_plaats)))
        found.append((actie_volgorde(code, actie.termijn, stap, volgorde, plaats), code, actie, regels))
    found.sort(key=lambda item: item[0])
    return tuple((code, actie, regels) for _order, code, actie, regels in found)


def _vastleggen(plan: _Plan, one: RuleCases) -> tuple[Vastlegging, ...]:
    """The records of one case, in the order the rules that fired ask them."""
    combination = plan.combination
    zeker = one.zeker
    found = []
    for tekst, cases in combination.vastleggingen(one).items():
        if cases:
            regels = tuple(r for r in combination.vastleggen[tekst] if zeker.get(r))
            found.append((plan.plek[(regels[0], tekst)], tekst, regels))
    found.sort(key=lambda item: item[0])
    return tuple(plan.vastlegging(tekst, regels) for _place, tekst, regels in found)


def _vragen(plan: _Plan, one: RuleCases, melden: MeldenCases, stand: Stand) -> list[tuple[str, tuple[str, ...]]]:
    """Facts that become open questions when they are still onbekend, in meldcode order."""
    found = []
    for fact, by_rule in plan.combination.vraag_kandidaten(one, melden, stand).items():
        found.append((fact, tuple(dict.fromkeys(rule_id for rule_id, _cases in by_rule))))
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
