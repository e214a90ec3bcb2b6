"""A dossier that shows a case of the checker's finite space: a counterexample as events.

``meldcode-rules check`` finds counterexamples as assignments of flat facts, time facts
(``tijd.``...) among them. A trainer can paste a case-file counterexample as a scenario's
``gegeven``, but time facts are not case-file fields: they come from dated events. This
module builds, from the time rules' own declarations, a fictional dossier and a peildatum
whose derived facts are exactly the assignment, and checks that they are; where no dossier
gives that combination (say, a clock that both runs and has stopped) it says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from meldcode_rules.case.dossier import Dossier, event_fields
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier.derive import case_of, derive
from meldcode_rules.dossier.tijd import age_answers, klokken
from meldcode_rules.load.ruleset import GebeurtenisKeuze, Tijdregel

BEGIN = dt.date(2026, 1, 5)
#: Far enough after BEGIN for every termijn the rulesets use (the longest is 26 weeks).
PEILDATUM = BEGIN + dt.timedelta(days=400)
#: Fields an event needs, with a value that sets no case fact.
_VERPLICHT = {"melding": {"door": "mij"}, "consultatie": {"met": "deskundige"}}
_HERKOMST = ("school", "huisarts", "ketenpartner", "collega", "client", "familie")


def _event(keuze: GebeurtenisKeuze, datum: dt.date, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"soort": keuze.soort, "datum": datum.isoformat(), **_VERPLICHT.get(keuze.soort, {})}
    fields = event_fields(keuze.soort)
    for name, allowed in keuze.waar.items():
        known = [v for v in allowed if v != "onbekend"]
        if not known:
            event.pop(name, None)  # an empty field is `onbekend`
            continue
        event[name] = [known[0]] if fields[name][0] == "lijst" else known[0]
    event.update({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in extra.items()})
    return event


def _witness(regel: Tijdregel, waarde: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Events (first, and last in the file) that give ``regel``'s fact ``waarde``."""
    if waarde == "onbekend":
        return [], []
    ja = waarde == "ja"
    day = dt.timedelta(days=1)
    if regel.toets == "patroon":
        if not ja:
            return [], [_event(regel.stop[0], PEILDATUM)] if regel.stop else []
        count = max(regel.min_aantal or 0, regel.min_herkomsten or 0)
        hits = [
            _event(regel.gebeurtenis[0], PEILDATUM, herkomst=_HERKOMST[i % len(_HERKOMST)])
            if "herkomst" in event_fields(regel.gebeurtenis[0].soort)
            else _event(regel.gebeurtenis[0], PEILDATUM)
            for i in range(count)
        ]
        return [], hits
    start = regel.start[0]
    if regel.toets == "loopt":
        return [_event(start, BEGIN), *([] if ja else [_event(regel.stop[0], BEGIN + day)])], []
    if regel.toets == "na_start":
        return [_event(start, BEGIN), *([_event(regel.gebeurtenis[0], BEGIN + day)] if ja else [])], []
    when = BEGIN if (ja == (regel.toets == "verlopen")) else PEILDATUM
    extra: dict[str, Any] = {}
    if regel.vanaf:
        extra[regel.vanaf] = when
    if regel.deadline_veld and not regel.termijn:
        extra[regel.deadline_veld] = when + day
    return [_event(start, when, **extra)], []


def _case_data(compiled: CompiledRuleset, assignment: dict[str, Any]) -> dict[str, Any]:
    """The case-file form (nested, only what is given) of an assignment of case atoms."""
    data: dict[str, Any] = {}
    for spec in compiled.catalog:
        if spec in compiled.catalog.derived:
            continue
        if spec.kind == "lijst":
            value: Any = [v for v in spec.values if assignment.get(spec.key(v)) is True]
            if not value:
                continue
        else:
            value = assignment.get(spec.key())
            if value is None or value in ("onbekend", "geen"):
                continue
        node = data
        *parents, leaf = spec.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return data


def dossier_for(compiled: CompiledRuleset, assignment: dict[str, Any]) -> tuple[dict[str, Any], dt.date] | None:
    """A dossier and peildatum whose derived facts are ``assignment`` (on its keys), or None."""
    keys = {compiled.catalog[r.feit].key(): r for r in compiled.tijdregels}
    facts = _case_data(compiled, {k: v for k, v in assignment.items() if k not in keys})
    first: list[dict[str, Any]] = []
    last: list[dict[str, Any]] = []
    for key, regel in keys.items():
        before, after = _witness(regel, str(assignment.get(key, "onbekend")))
        first += before
        last += after
    # The case facts come last, on the peildatum: younger than every clock's start, so no
    # answer among them has aged (`maakt_onbekend`) and the dossier gives them as they are.
    snapshot = {"soort": "momentopname", "datum": PEILDATUM.isoformat(), "casus": facts}
    data: dict[str, Any] = {"gebeurtenissen": [*first, *last, snapshot]}
    if compiled.sector:
        data["sector"] = compiled.sector
    try:
        dossier = Dossier.model_validate(data)
        afleiding = derive(dossier, PEILDATUM)
        flat = compiled.catalog.flatten(case_of(afleiding, dossier, compiled.catalog.model, PEILDATUM))
    except (MeldcodeError, ValidationError):
        return None
    clocks = klokken(compiled.tijdregels, afleiding.ingangen, PEILDATUM)
    for feit, klok in clocks.items():
        flat[compiled.catalog[feit].key()] = klok.waarde
    # judged as a dossier is judged: an answer a clock makes out of date counts as onbekend
    ageing = {f: compiled.catalog[f].key() for r in compiled.tijdregels for f in r.maakt_onbekend}
    age_answers(clocks, afleiding.herkomst, flat, ageing)
    if any(flat.get(key) != value for key, value in assignment.items()):
        return None  # no dossier gives this combination (the finite space is larger than time)
    return data, PEILDATUM
