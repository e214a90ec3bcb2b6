"""One dossier in, one small outcome out: what the monitor counts of its judgement.

Every figure of the monitor comes from the judgement of the same rulesets and engines as
``meldcode-rules evaluate`` (:func:`meldcode_rules.evaluate`, with `op=`): the step, the besluit and
the actions, with their ``verlopen``. This module only *reads* a judgement; it decides
nothing about the meldcode itself. The table :data:`KENMERKEN` says which action (and, where
one action code serves more rules, which rule) makes a dossier count for which figure.

The few things that are not judgements but plain facts of the dossier (its id, sector,
organisation, the month it came in, the dates of my own reports, whether it is closed or
was reopened) are read from the events as they lie.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError

from meldcode_rules.caches import lru
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.diagnostics import CaseError, Code, Geweigerd, MeldcodeError
from meldcode_rules.dossier import evaluate, parse_dossier
from meldcode_rules.dossier.derive import day
from meldcode_rules.dossier.oordeel import DossierOordeel, judge_dossier
from meldcode_rules.dossier.reader import Gelezen, read_light
from meldcode_rules.judge.judgement import Actie, Judgement

#: Fields the monitor reads beside a plain case file (a case file has no id of its own).
ENVELOPE = ("dossier_id", "organisatie")
#: Their form, as in the dossier model: letters, digits and `_.:-`, at most 64.
KENMERK_VORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


@dataclass(frozen=True, slots=True)
class Kenmerk:
    """A way to fall between the cracks, read off a judgement's actions."""

    code: str
    titel: str
    #: lower is more urgent (the work list is sorted by this, then by how long)
    prioriteit: int
    actie: str | None
    #: only when the action is past its deadline as of the peildatum
    alleen_verlopen: bool = True
    #: where one action code serves several rules: only when one of these rules asked for it
    regels: tuple[str, ...] = ()


KENMERKEN: tuple[Kenmerk, ...] = (
    Kenmerk("melding_verlopen", "melding bij Veilig Thuis over de termijn", 0, "melden_veilig_thuis"),
    # The time rules of the rulesets (`tijd-...`, docs/ruleset-format.md): each fires only past
    # its term or on its pattern, so the rule that asked for the action is what counts.
    Kenmerk(
        "ontvangst_onbevestigd",
        "ontvangst van de melding niet bevestigd na de termijn",
        1,
        "ontvangst_controleren",
        alleen_verlopen=False,
        regels=("tijd-ontvangst-onbevestigd",),
    ),
    Kenmerk(
        "herbeoordeling_verlopen",
        "herbeoordeling (afwegingsvraag 5) over de afgesproken datum",
        2,
        "herbeoordelen",
        alleen_verlopen=False,
        regels=("tijd-herbeoordeling-verlopen",),
    ),
    Kenmerk(
        "patroon_zonder_consultatie",
        "patroon van signalen zonder consultatie sindsdien",
        3,
        "veilig_thuis_raadplegen",
        alleen_verlopen=False,
        regels=("tijd-patroon-zonder-consultatie",),
    ),
    Kenmerk(
        "hulp_afgesloten_zonder_contactafspraak",
        "hulp afgesloten zonder afspraak wie contact houdt",
        4,
        "contact_afspreken",
        alleen_verlopen=False,
        regels=("tijd-hulp-afgesloten-zonder-contactafspraak",),
    ),
    Kenmerk(
        "heropenen_nodig",
        "nieuw signaal na afsluiting: heropenen en opnieuw wegen",
        5,
        "zaak_heropenen",
        alleen_verlopen=False,
        regels=("tijd-signaal-na-afsluiting",),
    ),
    # Any other action past its deadline: nothing overdue goes unlisted.
    Kenmerk("actie_verlopen", "andere actie over de termijn", 6, None),
    # A deadline that cannot be computed (a date is missing) is never "not overdue".
    Kenmerk("termijn_onbekend", "termijn niet te bepalen: een datum ontbreekt", 7, None),
)
KENMERK_CODES: tuple[str, ...] = tuple(k.code for k in KENMERKEN)
PRIORITEIT: dict[str, int] = {k.code: k.prioriteit for k in KENMERKEN}


class Signaal(NamedTuple):
    """One reason a dossier is on the work list, and since when (``None``: the date is unknown).

    A tuple, as :class:`Uitkomst`: made for most dossiers (a frozen dataclass costs twice as much).
    """

    kenmerk: str
    sinds: dt.date | None


class Uitkomst(NamedTuple):
    """What the monitor keeps of one judged dossier: no facts, only what it counts.

    A tuple: one is made per dossier, and a frozen dataclass of these fields costs 1.6 us to
    make, this 0.6 us.
    """

    dossier_id: str
    sector: str
    organisatie: str | None
    instroom: dt.date | None
    gemeld: tuple[dt.date, ...]
    heropend: bool
    open: bool
    stap: int
    besluit: str
    melden: str
    signalen: tuple[Signaal, ...]


def _sinds(actie: Actie) -> dt.date | None:
    """Since when: the deadline that passed, or else the event the rule counts from; ``None``: unknown."""
    if actie.verlopen == "onbekend":
        return None
    # By the day: a deadline (an hour termijn) or an event may have a time; the work list counts days.
    if actie.verlopen is True and actie.deadline is not None:
        return day(actie.deadline)
    return day(actie.telt_vanaf.datum) if actie.telt_vanaf is not None else None


def signalen(oordeel: Judgement) -> tuple[Signaal, ...]:
    """The work-list reasons in one judgement, one per kenmerk (the earliest date), by priority."""
    found: dict[str, dt.date | None] = {}
    for actie in oordeel.acties:
        if actie.voldaan is not None:  # the dossier shows it was done
            continue
        code = _kenmerk_voor(actie.code, actie.regels, actie.verlopen)
        if code is None:
            continue
        sinds = _sinds(actie)
        if code not in found:
            found[code] = sinds
        else:
            known = found[code]
            # an unknown date is the most urgent: it is never "not overdue"
            found[code] = None if known is None or sinds is None else min(known, sinds)
    if not found:
        return ()
    return tuple([Signaal(code, found[code]) for code in sorted(found, key=_RANG.__getitem__)])


#: A kenmerk's place in :data:`KENMERKEN` (the order of the signals of one dossier).
_RANG: dict[str, int] = {code: rang for rang, code in enumerate(KENMERK_CODES)}


@lru(1024)
def _kenmerk_voor(code: str, regels: tuple[str, ...], verlopen: bool | str | None) -> str | None:
    """The kenmerk an action not yet done counts for, the first of :data:`KENMERKEN` that fits.

    Only its code, rules and ``verlopen`` decide, and few combinations occur: each is tried once.
    """
    for kenmerk in KENMERKEN:
        if kenmerk.actie is None:
            if kenmerk.code == "actie_verlopen" and verlopen is True:
                return kenmerk.code
            if kenmerk.code == "termijn_onbekend" and verlopen == "onbekend":
                return kenmerk.code
            continue
        if code != kenmerk.actie:
            continue
        if kenmerk.regels and not set(kenmerk.regels) & set(regels):
            continue
        if kenmerk.alleen_verlopen and verlopen is not True:
            continue
        return kenmerk.code
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def beoordeel(data: Mapping[str, Any], op: dt.date, engine: str | None, plek: str) -> Uitkomst:
    """Judge one dossier (or plain case file) as of ``op``; raise :class:`Geweigerd` when it is not valid."""
    if "gebeurtenissen" in data:
        return _beoordeel_dossier(data, op, engine, plek)
    return _beoordeel_casus(data, op, engine, plek)


def _identity(data: Mapping[str, Any], plek: str) -> tuple[str, str | None]:
    dossier_id = data.get("dossier_id")
    organisatie = data.get("organisatie")
    # The same form as in a dossier: a pseudonymous code, which no output can mistake for markup.
    if dossier_id is not None and not (isinstance(dossier_id, str) and KENMERK_VORM.fullmatch(dossier_id)):
        raise Geweigerd("`dossier_id` is geen geldig kenmerk")
    if organisatie is not None and not (isinstance(organisatie, str) and KENMERK_VORM.fullmatch(organisatie)):
        raise Geweigerd("`organisatie` is geen geldig kenmerk")
    return dossier_id or plek, organisatie


def _beoordeel_casus(data: Mapping[str, Any], op: dt.date, engine: str | None, plek: str) -> Uitkomst:
    dossier_id, organisatie = _identity(data, plek)
    case = {k: v for k, v in data.items() if k not in ENVELOPE}
    # A case file is a dossier of one moment: on its own `datum`, or else on the peildatum.
    moment = _date(case.get("datum")) or op
    oordeel = _judge(case, engine, op=op)
    return _uitkomst(oordeel, dossier_id, organisatie, moment, (), False, oordeel.besluit != "afsluiten")


def _judge(subject: Any, engine: str | None, *, op: dt.date) -> Judgement:
    # The public API, as `meldcode-rules evaluate --op` calls it: the same judgement, nothing else.
    try:
        return evaluate(subject, engine=engine, op=op)
    except (MeldcodeError, ValidationError) as error:
        raise _geweigerd(error) from None


def _judge_dossier(dossier: Dossier | Gelezen, engine: str | None, *, op: dt.date) -> DossierOordeel:
    # What evaluate() judges a dossier by (a dossier read for judging only is what it judges a
    # plain dict as), with the events in date order it judged them in.
    try:  # (a try costs nothing until it catches; a context manager costs about 1 us a dossier)
        return judge_dossier(dossier, engine=engine, op=op)
    except (MeldcodeError, ValidationError) as error:
        raise _geweigerd(error) from None


def _geweigerd(error: MeldcodeError | ValidationError) -> Geweigerd:
    """A judgement that fails is a refusal that names the kind of problem, never a value."""
    if isinstance(error, CaseError) and any(d.code == Code.MV020 for d in error.diagnostics):
        # valid, but its sector's rulesets have no version in force on the date (MV020)
        return Geweigerd("op deze datum geldt geen versie van de ruleset van de sector")
    if isinstance(error, CaseError | ValidationError):
        return Geweigerd("ongeldig dossier of ongeldige casus")
    # An unknown sector, or an engine or ruleset that cannot run: name the kind, not the value.
    return Geweigerd(_category(error))


def _category(error: MeldcodeError) -> str:
    name = type(error).__name__
    return {"UnknownSector": "onbekende sector", "EngineUnavailable": "engine niet beschikbaar"}.get(
        name, "niet te beoordelen"
    )


def _beoordeel_dossier(data: Mapping[str, Any], op: dt.date, engine: str | None, plek: str) -> Uitkomst:
    # Most dossiers are plain JSON: read for judging only (the events' fields, no model per
    # event), as evaluate() reads a dict; any other is validated by the models.
    gelezen = read_light(data)
    judged: Dossier | Gelezen
    if gelezen is not None:
        judged = gelezen
    else:
        try:
            judged = parse_dossier(dict(data))
        except (CaseError, ValidationError):
            raise Geweigerd("ongeldig dossier") from None
    beoordeeld = _judge_dossier(judged, engine, op=op)
    oordeel = beoordeeld.oordeel
    dossier_id, organisatie = judged.dossier_id, judged.organisatie
    # The events by day, in the order of the file on one day, as judged (derive.ordered), and
    # per kind in that order (the fold's index, which the clocks read): no walk over them all.
    afleiding = beoordeeld.afleiding
    instroom = afleiding.ingangen[0].dag if afleiding.ingangen else None
    per_soort = afleiding.per_soort
    gemeld = tuple([e.dag for e in per_soort.get("melding", ()) if e.waarden.get("door") == "mij"])
    afgesloten, heropend = per_soort.get("zaak_afgesloten"), per_soort.get("zaak_heropend")
    # Closed when the last closing comes after the last reopening (`orde`: the place in date order).
    closed = afgesloten is not None and (heropend is None or afgesloten[-1].orde > heropend[-1].orde)
    return _uitkomst(oordeel, dossier_id or plek, organisatie, instroom, gemeld, heropend is not None, not closed)


def _uitkomst(
    oordeel: Judgement,
    dossier_id: str,
    organisatie: str | None,
    instroom: dt.date | None,
    gemeld: tuple[dt.date, ...],
    heropend: bool,
    open_: bool,
) -> Uitkomst:
    return Uitkomst(
        dossier_id=dossier_id,
        sector=oordeel.sector or "basismodel",
        organisatie=organisatie if isinstance(organisatie, str) else None,
        instroom=instroom,
        gemeld=gemeld,
        heropend=heropend,
        open=open_,
        stap=oordeel.stap,
        besluit=oordeel.besluit,
        melden=oordeel.melden,
        signalen=signalen(oordeel),
    )
