"""A dossier as a timeline: each event, what it changed, which clock it started or stopped,
and what is overdue on the peildatum; then the explanation of the judgement itself.

Built on :func:`meldcode_rules.dossier.oordeel.judge_dossier`: the timeline shows the
judgement the engine gave, never a second opinion. Every event appears, in date order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from meldcode_rules.case.dossier import Dossier
from meldcode_rules.dossier.derive import day
from meldcode_rules.dossier.oordeel import DossierOordeel, judge_dossier
from meldcode_rules.explain.explain import tekst, uitleg_van
from meldcode_rules.sectors.registry import RulesetKeuze


def _waarde(value: Any) -> str:
    if value is None:
        return "(niet opgegeven)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _moment(value: dt.date) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()


def tijdlijn_tekst(beoordeeld: DossierOordeel) -> str:
    """The timeline part, as plain Dutch text."""
    o = beoordeeld.oordeel
    a = beoordeeld.afleiding
    kenmerk = f" {o.dossier_id}" if o.dossier_id else ""
    out = [f"Tijdlijn van dossier{kenmerk} (peildatum {_moment(beoordeeld.peildatum)})", ""]
    for ingang in a.ingangen:
        out.append(f"  #{ingang.positie}  {_moment(ingang.datum)}  {ingang.soort}")
        for w in a.wijzigingen.get(ingang.positie, []):
            out.append(f"       verandert: {w.feit}: {_waarde(w.oud)} -> {_waarde(w.nieuw)}")
        for clock in beoordeeld.klokken.values():
            if clock.start is not None and clock.start.positie == ingang.positie:
                wanneer = f" (deadline {_moment(day(clock.deadline))})" if clock.deadline else ""
                out.append(f"       start: {clock.regel.titel} [{clock.regel.feit}]{wanneer}")
            if clock.gestopt is not None and clock.gestopt.positie == ingang.positie:
                out.append(f"       stopt: {clock.regel.titel} [{clock.regel.feit}]")
        for actie in o.acties:
            if actie.voldaan is not None and actie.voldaan.positie == ingang.positie:
                out.append(f"       voldaan: {actie.code}")
    if o.tegenstrijdigheden:
        out += ["", "  Tegenstrijdig op één dag (de latere in het bestand telt):"]
        for t in o.tegenstrijdigheden:
            out.append(f"   - {t.feit}: #{t.eerste.positie} en #{t.geldt.positie}; #{t.geldt.positie} telt")
    out += ["", f"  Op de peildatum ({_moment(beoordeeld.peildatum)}):"]
    for f in o.tijdfeiten:
        vanaf = f", telt vanaf #{f.telt_vanaf.positie} {f.telt_vanaf.soort}" if f.telt_vanaf else ""
        tot = f", deadline {f.deadline.isoformat()}" if f.deadline else ""
        out.append(f"   - {f.feit}: {f.waarde}{vanaf}{tot}")
        for feit in f.maakt_onbekend:
            out.append(f"       {feit}: het eerdere antwoord is verouderd en telt als onbekend")
    verlopen = [x for x in o.acties if x.verlopen is True]
    out += ["", "  Verlopen vandaag:" if verlopen else "  Niets is verlopen op de peildatum."]
    for x in verlopen:
        vanaf = f", telt vanaf #{x.telt_vanaf.positie} {x.telt_vanaf.soort}" if x.telt_vanaf else ""
        deadline = x.deadline.isoformat() if x.deadline else "?"
        out.append(f"   - {x.code}: deadline {deadline}, {x.hoe_lang_verlopen()} verlopen{vanaf}")
    onbekend = [x for x in o.acties if x.verlopen == "onbekend"]
    for x in onbekend:
        out.append(f"   - {x.code}: of dit verlopen is, is onbekend (een datum ontbreekt)")
    return "\n".join(out) + "\n"


def explain_dossier(
    dossier: Dossier,
    sector: str | None = None,
    engine: str | None = None,
    *,
    op: dt.date | None = None,
    ruleset: RulesetKeuze = None,
) -> str:
    """The timeline of ``dossier`` and the explanation of its judgement as of ``op`` (default today)."""
    beoordeeld = judge_dossier(dossier, sector, engine, op=op, ruleset=ruleset)
    case = beoordeeld.compiled.catalog.model.model_validate(
        {**beoordeeld.afleiding.data, "sector": beoordeeld.compiled.sector}
    )
    return tijdlijn_tekst(beoordeeld) + "\n" + tekst(uitleg_van(case, beoordeeld.compiled, beoordeeld.oordeel))
