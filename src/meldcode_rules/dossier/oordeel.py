"""Judge a dossier as of a date: derive the facts, the time facts, then the same rulesets.

The engines see one flat case, as for a plain case file (docs/engines.md argues why the
durable engine judges the derived facts rather than asserting events into one session).
After judging, each action gets its place in time: the event its termijn counts from
(``telt_vanaf``), its ``deadline``, whether it is ``verlopen`` on the peildatum and by how
many days. An action dated by a time rule (``actie:`` in ``tijdregels``) takes that
rule's clock; any other counts from the latest event that set a fact its rules test. An
action that no rule asks for on the answers as given, only once a clock made one of them
out of date (``maakt_onbekend``), counts that answer as set by the event the clock counts
from: it became due when the answer aged (after a new signal, say), not when the answer
was given (an afweging that then kept it from being needed). Where no event set a fact
its rules test, the action counts from the dossier's first event: what they test has been
so since then. A clock that should run but has no start event leaves the date ``onbekend``,
never "not overdue".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from meldcode_rules.caches import LRU, lru
from meldcode_rules.case.dossier import EIGEN_GEBEURTENIS, Dossier, every_field, trusted
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset, condition_facts
from meldcode_rules.dossier.derive import Afleiding, Ingang, day, derive, flat_of
from meldcode_rules.dossier.reader import Gelezen
from meldcode_rules.dossier.tijd import Index, Klok, age_answers, klokken, passed, plus
from meldcode_rules.dossier.tijd import safe_date_plus as date_plus
from meldcode_rules.engines import get_engine
from meldcode_rules.engines.protocol import Engine
from meldcode_rules.judge.combine import RULESETS, judgement_fields
from meldcode_rules.judge.judgement import Actie, GebeurtenisRef, Judgement, Tegenstrijdigheid, TijdFeit
from meldcode_rules.load.ruleset import GebeurtenisKeuze, Tijdregel, in_uren
from meldcode_rules.sectors.registry import RulesetKeuze, choose

#: Events that show an action was done where no case fact says so (docs/vocabulary.md). Any
#: other action is shown done by an `actie_uitgevoerd` naming its code (:func:`_keuzes`).
VOLDAAN_DOOR: dict[str, tuple[GebeurtenisKeuze, ...]] = {
    "melden_veilig_thuis": (GebeurtenisKeuze(soort="melding", waar={"door": ["mij"]}),),
    # Reopening is done by `zaak_heropend`; the weighing it asks for (`afwegen`) only by an
    # afweging, which also stops tijd.signaal_na_afsluiting.
    "zaak_heropenen": (GebeurtenisKeuze(soort="zaak_heropend"),),
    # A consultation sets a fact for a colleague and Veilig Thuis; for these two it is the only trace.
    "deskundige_raadplegen": (GebeurtenisKeuze(soort="consultatie", waar={"met": ["deskundige"]}),),
    "centrum_seksueel_geweld_inschakelen": (
        GebeurtenisKeuze(soort="consultatie", waar={"met": ["centrum_seksueel_geweld"]}),
    ),
    # My own report puts the case with Veilig Thuis, which is what its advice was for: no source
    # says so in these words; a choice of this project (docs/vocabulary.md).
    "veilig_thuis_raadplegen": (GebeurtenisKeuze(soort="melding", waar={"door": ["mij"]}),),
}


def _keuzes(code: str) -> tuple[GebeurtenisKeuze, ...]:
    """The events that show action ``code`` was done."""
    if code in EIGEN_GEBEURTENIS:
        return VOLDAAN_DOOR.get(code, ())  # never by `actie_uitgevoerd` (case/dossier.py refuses it)
    return _uitgevoerd(code)


@lru(1024)
def _uitgevoerd(code: str) -> tuple[GebeurtenisKeuze, ...]:
    return (*VOLDAAN_DOOR.get(code, ()), GebeurtenisKeuze(soort="actie_uitgevoerd", waar={"actie": [code]}))


@dataclass(frozen=True)
class DossierOordeel:
    """A dossier's judgement with what it was made from (for the timeline of ``explain``)."""

    oordeel: Judgement
    afleiding: Afleiding
    klokken: dict[str, Klok]
    compiled: CompiledRuleset
    peildatum: dt.date


#: The fields sets of the output models judging builds, each with every field (every_field()).
_REF_VELDEN = every_field(GebeurtenisRef)
_ACTIE_VELDEN = every_field(Actie)
_TIJDFEIT_VELDEN = every_field(TijdFeit)
_TEGENSTRIJDIG_VELDEN = every_field(Tegenstrijdigheid)
_OORDEEL_VELDEN = every_field(Judgement)
#: Every field of a judgement in the model's order, with its default where it has one.
_JUDGEMENT_DEFAULTS: dict[str, Any] = {
    name: None if info.is_required() else info.get_default(call_default_factory=True)
    for name, info in Judgement.model_fields.items()
}


def ref(ingang: Ingang, veld: str = "datum") -> GebeurtenisRef:
    moment = ingang.waarden.get(veld) or ingang.datum
    # Every part comes from the validated dossier.
    values = {"positie": ingang.positie, "soort": ingang.soort, "datum": moment, "veld": veld}
    return trusted(GebeurtenisRef, values, _REF_VELDEN)


class _Refs(dict[tuple[int, str], GebeurtenisRef]):
    """The references of one judgement, each made once: a clock's start dates several actions."""

    def of(self, ingang: Ingang, veld: str = "datum") -> GebeurtenisRef:
        made = self.get((ingang.positie, veld))
        if made is None:
            made = self[ingang.positie, veld] = ref(ingang, veld)
        return made


def judge_dossier(
    dossier: Dossier | Gelezen,
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    op: dt.date | None = None,
    source: str = "dossier",
    versie: str | None = None,
) -> DossierOordeel:
    peildatum = op or dt.date.today()
    # the versions in force on the peildatum; a peildatum before every version names `op`
    compiled = choose(ruleset, sector or dossier.sector, day(peildatum), versie, veld="op")
    afleiding = derive(dossier, peildatum, source)
    flat = flat_of(afleiding, dossier, compiled.catalog, peildatum, source)
    index = Index(afleiding.ingangen, afleiding.per_soort)
    clocks = klokken(compiled.tijdregels, afleiding.ingangen, peildatum, index)
    plan = _plan(compiled)
    keys = plan.keys
    for feit, clock in clocks.items():
        flat[keys[feit]] = clock.waarde
    # before the engines fire, so both judge the same facts
    stale = age_answers(clocks, afleiding.herkomst, flat, plan.fact_keys)
    runner = get_engine(engine)
    fired = runner.fire(compiled, flat)
    # An action asked for only because an answer aged counts from the event that aged it
    # (see the module's docstring); the rest from the events as folded.
    verouderd = _Verouderd.of(stale, clocks, afleiding.herkomst, flat, plan, compiled, runner) if stale else None
    fields = judgement_fields(compiled, flat, fired, datum=day(peildatum), engine=runner.name)
    refs = _Refs()
    # Built once, from parts validated already (as judge() would validate them), in the order
    # of the model's fields (the order its output has).
    oordeel = trusted(
        Judgement,
        {
            **_JUDGEMENT_DEFAULTS,
            **fields,
            "acties": tuple(
                _dated(
                    plan,
                    a,
                    afleiding,
                    clocks,
                    peildatum,
                    index,
                    refs,
                    verouderd.herkomst_voor(a) if verouderd else None,
                )
                for a in fields["acties"]
            ),
            "dossier_id": dossier.dossier_id,
            # passed through untouched, as for a case: the caller's own key, never a fact
            "referentie": dossier.referentie,
            "tijdfeiten": tuple(_tijdfeit(c, refs, stale.get(c.regel.feit, ()), plan) for c in clocks.values()),
            "tegenstrijdigheden": tuple(
                trusted(
                    Tegenstrijdigheid,
                    {"feit": t.feit, "eerste": refs.of(t.eerste), "geldt": refs.of(t.wint)},
                    _TEGENSTRIJDIG_VELDEN,
                )
                for t in afleiding.tegenstrijdigheden
            ),
        },
        _OORDEEL_VELDEN,
    )
    return DossierOordeel(oordeel, afleiding, clocks, compiled, peildatum)


def evaluate_dossier(
    dossier: Dossier | Gelezen,
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    op: dt.date | None = None,
    source: str = "dossier",
    versie: str | None = None,
) -> Judgement:
    """The judgement of ``dossier`` as of ``op`` (default today)."""
    return judge_dossier(dossier, sector, engine, ruleset=ruleset, op=op, source=source, versie=versie).oordeel


def _tijdfeit(clock: Klok, refs: _Refs, maakt_onbekend: tuple[str, ...] = (), plan: _Plan | None = None) -> TijdFeit:
    start = clock.start
    gestopt = clock.gestopt
    if plan is not None and start is None and gestopt is None and clock.deadline is None and not maakt_onbekend:
        # No event in it: the same for every dossier with this value, made once per ruleset.
        return plan.zonder_gebeurtenis[clock.regel.feit, clock.waarde]
    return trusted(
        TijdFeit,
        {
            "feit": clock.regel.feit,
            "waarde": clock.waarde,
            "telt_vanaf": refs.of(start, clock.veld) if start is not None else None,
            "gestopt_door": refs.of(gestopt) if gestopt is not None else None,
            "deadline": day(clock.deadline) if clock.deadline is not None else None,
            "maakt_onbekend": maakt_onbekend,
        },
        _TIJDFEIT_VELDEN,
    )


@dataclass(frozen=True)
class _Plan:
    """What judging a dossier needs of a compiled ruleset, apart from the dossier: made once."""

    #: time fact path -> its key in the flat facts
    keys: dict[str, str]
    #: action code -> the time rules that date it (``actie:``), in the ruleset's order
    klokken: dict[str, tuple[Tijdregel, ...]]
    #: rule id -> the facts its condition tests
    feiten: dict[str, tuple[str, ...]]
    #: case fact path -> its key in the flat facts, for those they name
    fact_keys: dict[str, str] = field(default_factory=dict)
    #: (time fact, value) -> its TijdFeit when no event started or stopped its clock
    zonder_gebeurtenis: dict[tuple[str, str], TijdFeit] = field(default_factory=dict)


#: per compiled ruleset (by id, holding it: its id cannot be reused while the entry lives)
_plans: LRU[int, tuple[CompiledRuleset, _Plan]] = LRU(RULESETS)


def _plan(compiled: CompiledRuleset) -> _Plan:
    kept = _plans.get(id(compiled))
    if kept is None or kept[0] is not compiled:
        klokken_per_actie: dict[str, list[Tijdregel]] = {}
        for regel in compiled.tijdregels:
            if regel.actie is not None:
                klokken_per_actie.setdefault(regel.actie, []).append(regel)
        plan = _Plan(
            keys={r.feit: compiled.catalog[r.feit].key() for r in compiled.tijdregels},
            klokken={code: tuple(regels) for code, regels in klokken_per_actie.items()},
            feiten={r.id: _facts_of(r) for r in compiled.rules},
            fact_keys={f: compiled.catalog[f].key() for r in compiled.tijdregels for f in r.maakt_onbekend},
            zonder_gebeurtenis={
                (r.feit, waarde): _tijdfeit(Klok(r, waarde), _Refs())
                for r in compiled.tijdregels
                for waarde in ("ja", "nee", "onbekend")
            },
        )
        kept = _plans.put(id(compiled), (compiled, plan))
    return kept[1]


def _facts_of(rule: CompiledRule) -> tuple[str, ...]:
    return tuple(dict.fromkeys(condition_facts(rule.als_uitgeschreven)))


@dataclass(frozen=True)
class _Verouderd:
    """Where answers aged: the events that aged them, and the rules that fire without the ageing."""

    #: the fold's herkomst, with each aged answer set by the event its clock counts from
    herkomst: dict[str, Ingang]
    #: the rules that fire on the answers as given (before ageing)
    zonder_veroudering: frozenset[str]

    @classmethod
    def of(
        cls,
        stale: Mapping[str, tuple[str, ...]],
        clocks: Mapping[str, Klok],
        herkomst: Mapping[str, Ingang],
        flat: Mapping[str, Any],
        plan: _Plan,
        compiled: CompiledRuleset,
        runner: Engine,
    ) -> _Verouderd:
        aged: dict[str, Ingang] = {}
        given = dict(flat)
        for feit, facts in stale.items():
            clock = clocks[feit]
            assert clock.start is not None  # verouderd() ages nothing for a clock without a start
            for fact in facts:
                # the answer as given: ageing replaced exactly the answer maakt_onbekend names
                given[plan.fact_keys[fact]] = clock.regel.maakt_onbekend[fact]
                # Two clocks aged it: out of date since the earlier start.
                if fact not in aged or clock.start.orde < aged[fact].orde:
                    aged[fact] = clock.start
        return cls({**herkomst, **aged}, runner.fire(compiled, given).zeker)

    def herkomst_voor(self, actie: Actie) -> dict[str, Ingang] | None:
        """The events ``actie`` counts from: the aged ones when only the ageing asks for it.

        An action a rule asks for on the answers as given was due before they aged: it counts
        from the events as folded (``None``: the default). One asked for only after the ageing
        became due when an answer aged (a ``na_start`` clock: the new signal, the new help; a
        ``verlopen`` clock: from its start, at or after the answer), never before the answer
        was given.
        """
        if self.zonder_veroudering.isdisjoint(actie.regels):
            return self.herkomst
        return None


def _dated(
    plan: _Plan,
    actie: Actie,
    afleiding: Afleiding,
    clocks: Mapping[str, Klok],
    peildatum: dt.date,
    index: Index | None = None,
    refs: _Refs | None = None,
    herkomst: Mapping[str, Ingang] | None = None,
) -> Actie:
    """``actie`` with its place in time; ``herkomst``: the event per fact (default the fold's)."""
    if index is None:
        index = Index(afleiding.ingangen, afleiding.per_soort)
    if refs is None:
        refs = _Refs()
    if herkomst is None:
        herkomst = afleiding.herkomst
    regels = plan.klokken.get(actie.code)
    update: dict[str, Any]
    if regels is None:
        # most actions are dated by no time rule: from the facts their rules test
        update = _from_origin(plan, actie, herkomst, afleiding.ingangen[0], peildatum, refs)
    else:
        linked = [clocks[r.feit] for r in regels]
        running = [c for c in linked if c.start is not None and c.gestopt is None]
        if running:
            # The most urgent running clock dates the action; a clock without a termijn of its
            # own counts the action's termijn from its start.
            dated = [(c, _clock_deadline(c, actie)) for c in running]
            clock, limit = min(dated, key=lambda item: _urgentie(item[1]))
            assert clock.start is not None
            update = {"telt_vanaf": refs.of(clock.start, clock.veld), "deadline": limit}
            if limit is not None:
                update |= _overdue(limit, peildatum)
        elif any(c.start is None and c.regel.toets in ("loopt", "verlopen") for c in linked):
            # A clock this action depends on has no start event: its date is not known.
            update = {"deadline": None, "verlopen": "onbekend"}
        else:
            update = _from_origin(plan, actie, herkomst, afleiding.ingangen[0], peildatum, refs)
    done = _voldaan(actie.code, index, update.get("telt_vanaf"))
    if done is not None:
        update |= {"voldaan": refs.of(done), "verlopen": False, "dagen_verlopen": None}
    return trusted(Actie, {**actie.__dict__, **update}, _ACTIE_VELDEN)


def _from_origin(
    plan: _Plan, actie: Actie, herkomst: Mapping[str, Ingang], eerste: Ingang, peildatum: dt.date, refs: _Refs
) -> dict[str, Any]:
    """An action's date, counted from the latest event that set a fact its rules test.

    Where no event set one, what its rules test has been as it is since the dossier began:
    the action was due from the first event (a signal nobody acted on, seed 000), never from
    the peildatum.
    """
    origin = _origin(plan, actie, herkomst) or eerste
    limit = _limit(origin.datum, actie.termijn)
    update = {"telt_vanaf": refs.of(origin), "deadline": limit}
    if limit is not None:
        update |= _overdue(limit, peildatum)
    return update


def _clock_deadline(clock: Klok, actie: Actie) -> dt.date | None:
    if clock.deadline is not None:
        return day(clock.deadline)
    assert clock.start is not None
    start = clock.start.waarden.get(clock.veld) or clock.start.datum
    return _limit(start, actie.termijn)


def _limit(moment: dt.date, termijn: str | None) -> dt.date | None:
    """An action's deadline from the moment it counts from: a day, but to the hour for a termijn in hours.

    Where hours matter (`1 uur`: the VGV route) and the event has a time, the deadline keeps
    it (a date-time); every other termijn counts whole days, from the event's day.
    """
    if type(moment) is dt.datetime and termijn is not None and in_uren(termijn):
        return plus(moment, termijn)
    return date_plus(day(moment), termijn)


def _urgentie(limit: dt.date | None) -> dt.datetime:
    """A deadline as a moment to compare: a day lasts to its end, a date-time is its hour, none is last."""
    if limit is None:
        return dt.datetime.max
    return limit if type(limit) is dt.datetime else dt.datetime.combine(limit, dt.time.max)


def _overdue(limit: dt.date, peildatum: dt.date) -> dict[str, Any]:
    # By the hour where both have one (a date-time deadline and peildatum), else by the day.
    late = passed(limit, peildatum)
    days = (day(peildatum) - day(limit)).days
    # Less than a day late (an hour termijn) is overdue with no whole day to count.
    return {"verlopen": late, "dagen_verlopen": days if late and days >= 1 else None}


def _origin(plan: _Plan, actie: Actie, herkomst: Mapping[str, Ingang]) -> Ingang | None:
    """The latest event that set a fact the action's rules test (its termijn counts from there)."""
    tested = plan.feiten
    latest: Ingang | None = None
    for rule_id in actie.regels:
        for fact in tested[rule_id]:
            ingang = herkomst.get(fact)
            if ingang is not None and (latest is None or ingang.orde > latest.orde):
                latest = ingang
    return latest


def _voldaan(code: str, index: Index, vanaf: GebeurtenisRef | None) -> Ingang | None:
    """The latest event that shows ``code`` was done, on or after the day its termijn counts from."""
    if code not in VOLDAAN_DOOR and "actie_uitgevoerd" not in index.per_soort:
        return None  # most judgements: nothing could show it done
    keuzes = _keuzes(code)
    if not keuzes:
        return None
    # The events lie in date order: the latest match is on or after the day, or none is.
    latest = index.latest(keuzes)
    if latest is None:
        return None
    since = day(vanaf.datum) if vanaf is not None else dt.date.min
    found = index.ingangen[latest]
    return found if found.dag >= since else None
