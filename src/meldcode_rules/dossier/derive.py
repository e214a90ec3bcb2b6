"""From a dossier's events to the case facts as of a date.

The events are sorted by date (stably: on one day, the order of the file) and folded
into the facts of a case: the latest answer wins, and each fact remembers the event it
came from. Lists (``vormen``, ``kindcheck.problematiek``) collect what every event
adds. Two events on the same day that give one fact different answers are a
contradiction: the later in the file wins and the contradiction is listed. An event
dated after the peildatum is an error that names its position and field, never its
content. No event is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from meldcode_rules.case.model import Case
from meldcode_rules.diagnostics import CaseError
from meldcode_rules.dossier.model import (
    AfwegingGebeurtenis,
    Consultatie,
    Dossier,
    Gesprek,
    HulpGeevalueerd,
    Kindcheck,
    MeldingGebeurtenis,
    Momentopname,
    OntvangstBevestigd,
    Signaal,
    TerugkoppelingVeiligThuis,
    _Event,
)

#: Fact paths that collect values (a list), instead of taking the latest answer.
LIJSTEN = ("vormen", "kindcheck.problematiek")


def day(moment: dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


@dataclass(frozen=True)
class Ingang:
    """One event as judged: its 1-based position in the file and the event itself."""

    positie: int
    event: _Event

    @property
    def soort(self) -> str:
        return str(self.event.soort)  # type: ignore[attr-defined]

    @property
    def datum(self) -> dt.date:
        return self.event.datum


@dataclass(frozen=True)
class Wijziging:
    feit: str
    oud: Any
    nieuw: Any


@dataclass(frozen=True)
class Tegenstrijdig:
    """Two events on one day that answer one fact differently; the later one (``wint``) counts."""

    feit: str
    eerste: Ingang
    wint: Ingang


@dataclass
class Afleiding:
    """The facts a dossier gives as of the peildatum, with where each came from."""

    ingangen: list[Ingang]
    #: the case data (nested, as a case file) the events give
    data: dict[str, Any]
    #: fact path -> the event that last set it
    herkomst: dict[str, Ingang] = field(default_factory=dict)
    tegenstrijdigheden: list[Tegenstrijdig] = field(default_factory=list)
    #: per event (by position): what it changed
    wijzigingen: dict[int, list[Wijziging]] = field(default_factory=dict)


def ordered(dossier: Dossier, peildatum: dt.date, source: str = "dossier") -> list[Ingang]:
    """The events in date order (stable), after checking that none lies after the peildatum."""
    problems: list[str] = []
    ingangen = [Ingang(i, e) for i, e in enumerate(dossier.gebeurtenissen, start=1)]  # type: ignore[arg-type]
    for ingang in ingangen:
        for name, value in _moments(ingang.event):
            if _after(value, peildatum):
                # The position and the field, never the date itself: case data is sensitive.
                problems.append(f"`gebeurtenissen.{ingang.positie}.{name}`: ligt na de peildatum")
    if problems:
        raise CaseError(problems, source)
    return sorted(ingangen, key=lambda i: day(i.datum))


def _moments(event: _Event) -> Iterator[tuple[str, dt.date]]:
    yield "datum", event.datum
    incident = getattr(event, "incidentdatum", None)
    if incident is not None:
        yield "incidentdatum", incident


def _after(moment: dt.date, peildatum: dt.date) -> bool:
    if isinstance(moment, dt.datetime) and isinstance(peildatum, dt.datetime):
        return moment > peildatum
    return day(moment) > day(peildatum)


def _text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def effects(event: _Event) -> list[tuple[str, Any]]:
    """The facts an event states, as ``(fact path, value)``; list facts give a list to add."""
    out: list[tuple[str, Any]] = []

    def put(path: str, value: Any) -> None:
        if value is not None and value != []:
            out.append((path, _text(value) if not isinstance(value, list) else [_text(v) for v in value]))

    if isinstance(event, Signaal):
        put("vormen", event.vormen)
        put("kindcheck.problematiek", event.problematiek)
        put("stappen.signalen_vastgelegd", event.vastgelegd)
        put("medewerker_verdacht", event.medewerker_verdacht)
    elif isinstance(event, Kindcheck):
        put("kindcheck.zorgt_voor_minderjarigen", event.zorgt_voor_minderjarigen)
        put("kindcheck.zwanger", event.zwanger)
        put("kindcheck.problematiek", event.problematiek)
    elif isinstance(event, Consultatie):
        if event.met in ("collega", "aandachtsfunctionaris"):
            put("stappen.collega_geraadpleegd", "ja")
        elif event.met == "veilig_thuis":
            put("stappen.veilig_thuis_geraadpleegd", "ja")
    elif isinstance(event, Gesprek):
        gevoerd = event.gevoerd
        if gevoerd is None:
            gevoerd = "nee" if event.overgeslagen_reden else "ja"
        put("stappen.gesprek_gevoerd", gevoerd)
        put("stappen.gesprek_overgeslagen_reden", event.overgeslagen_reden)
    elif isinstance(event, AfwegingGebeurtenis):
        for name in AfwegingGebeurtenis.model_fields:
            if name not in ("soort", "datum"):
                put(f"afweging.{name}", getattr(event, name))
    elif isinstance(event, MeldingGebeurtenis):
        if event.door == "ander":
            put("eerder_gemeld_door_ander", "ja")
        else:
            put("melding.besproken_met_client", event.besproken_met_client)
            put("melding.niet_besproken_reden", event.niet_besproken_reden)
    elif isinstance(event, OntvangstBevestigd | TerugkoppelingVeiligThuis):
        # Feedback from Veilig Thuis shows that the report arrived.
        put("melding.ontvangst_bevestigd", "ja")
    elif isinstance(event, HulpGeevalueerd):
        put("afweging.hulp_effectief", event.veilig)
    elif isinstance(event, Momentopname):
        for path, value in _leaves(event.casus, ""):
            # JSON booleans as in a case file, so that `true` and `ja` are one answer.
            put(path, {True: "ja", False: "nee"}.get(value, value) if isinstance(value, bool) else value)
    return out


def _leaves(data: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                yield from _leaves(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value
    else:
        yield prefix.rstrip("."), data


def derive(dossier: Dossier, peildatum: dt.date, source: str = "dossier") -> Afleiding:
    """Fold the events (in date order) into case data, with provenance and contradictions."""
    ingangen = ordered(dossier, peildatum, source)
    values: dict[str, Any] = {}
    afleiding = Afleiding(ingangen=ingangen, data={})
    for ingang in ingangen:
        changes: list[Wijziging] = []
        for path, value in effects(ingang.event):
            old = values.get(path)
            if path in LIJSTEN and isinstance(value, list):
                merged = list(dict.fromkeys([*(old or []), *value]))
                if merged != (old or []):
                    changes.append(Wijziging(path, old or [], merged))
                    values[path] = merged
                    afleiding.herkomst[path] = ingang
                continue
            before = afleiding.herkomst.get(path)
            if (
                before is not None
                and before.positie != ingang.positie
                and old != value
                and day(before.datum) == day(ingang.datum)
            ):
                afleiding.tegenstrijdigheden.append(Tegenstrijdig(path, before, ingang))
            if old != value:
                changes.append(Wijziging(path, old, value))
            values[path] = value
            afleiding.herkomst[path] = ingang
        afleiding.wijzigingen[ingang.positie] = changes
    data: dict[str, Any] = {}
    for path, value in values.items():
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    afleiding.data = data
    return afleiding


def case_of(
    afleiding: Afleiding, dossier: Dossier, model: type[Case], peildatum: dt.date, source: str = "dossier"
) -> Case:
    """The case the derived facts make, validated by the case model of the sector."""
    data: dict[str, Any] = {**afleiding.data, "datum": day(peildatum).isoformat()}
    if dossier.sector is not None:
        data["sector"] = dossier.sector
    if dossier.sectorfeiten is not None:
        data["sectorfeiten"] = {
            **dossier.sectorfeiten.model_dump(mode="json", exclude_defaults=True),
            **data.get("sectorfeiten", {}),
        }
    try:
        return model.model_validate(data)
    except ValidationError as error:
        from meldcode_rules.api import _case_problem

        problems = []
        for e in error.errors():
            path = ".".join(str(p) for p in e["loc"])
            where = afleiding.herkomst.get(path)
            # A momentopname's case facts are checked here: say which event gave them.
            prefix = f"`gebeurtenissen.{where.positie}.casus`: " if where is not None else ""
            problems.append(prefix + _case_problem(e, model))
        raise CaseError(problems, source) from None


def as_plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return _text(value)
