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
from dataclasses import dataclass, field, replace
from enum import Enum
from operator import attrgetter
from typing import Any, NamedTuple

import msgspec
from pydantic import BaseModel, ValidationError

from meldcode_rules.api import _capped, _case_problem, field_names
from meldcode_rules.case.dossier import (
    EVENT_MODELS,
    AfwegingGebeurtenis,
    Dossier,
    _Event,
)
from meldcode_rules.case.facts import FactCatalog
from meldcode_rules.case.flat_reader import reader_for
from meldcode_rules.case.model import Case
from meldcode_rules.diagnostics import CaseError, Code, case_problem
from meldcode_rules.dossier.reader import Gelezen
from meldcode_rules.load.guard import place_part

#: Fact paths that collect values (a list), instead of taking the latest answer.
LIJSTEN = frozenset(("vormen", "kindcheck.problematiek"))


def day(moment: dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


class Ingang(msgspec.Struct, gc=False):
    """One event as judged: its 1-based position in the file, the event, and its place in date order.

    The event is its model, or (read for judging only, :class:`~meldcode_rules.dossier.reader.Gelezen`)
    the dict of its fields; everything here reads only ``waarden``, which is the same for both.
    A Struct: one is made per event of every judgement, and msgspec makes it in C (a class
    with an ``__init__`` cost three times as much). Not tracked by the garbage collector:
    it refers only to the event and its fields, which never refer back.
    """

    positie: int
    event: Any
    #: the event's fields by name (a model's ``__dict__``: read by every clock and action)
    waarden: dict[str, Any]
    soort: str
    datum: dt.date
    #: the day of ``datum`` (the events are sorted by it)
    dag: dt.date
    #: the index in date order (set by the fold, which walks them in that order)
    orde: int = -1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ingang) and (self.positie, self.event) == (other.positie, other.event)

    def __hash__(self) -> int:
        return hash(self.positie)

    def __repr__(self) -> str:
        return f"Ingang({self.positie}, {self.soort})"


class Wijziging(NamedTuple):
    """What one event changed in one fact (a tuple: a dossier of 1,000 events makes many)."""

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
    #: event kind -> its events in date order (made by the fold: the clocks look up kinds)
    per_soort: dict[str, list[Ingang]] = field(default_factory=dict)
    _wijzigingen: dict[int, list[Wijziging]] | None = field(default=None, repr=False, compare=False)

    @property
    def wijzigingen(self) -> dict[int, list[Wijziging]]:
        """Per event (by position): what it changed. Only the timeline of ``explain`` asks, so
        the fold is replayed then, recording, rather than on every judgement."""
        if self._wijzigingen is None:
            self._wijzigingen = _fold(self.ingangen, record=True).wijzigingen
        return self._wijzigingen


def ordered(dossier: Dossier | Gelezen, peildatum: dt.date, source: str = "dossier") -> list[Ingang]:
    """The events in date order (stable), after checking that none lies after the peildatum.

    Their ``orde`` (the index in that order) is set by the fold that walks them next.
    """
    peil_dag = day(peildatum)
    ingangen = []
    problems: list[str] = []
    for positie, event in enumerate(dossier.gebeurtenissen, start=1):
        # ingang(), inline: this runs for every event of every judgement
        waarden: dict[str, Any] = event if type(event) is dict else event.__dict__
        datum = waarden["datum"]
        dag = datum.date() if type(datum) is dt.datetime else datum
        # Only an event on or after the peildatum's day can lie after it (by the hour where
        # both have one): the others need no check. Per event `datum`, then `incidentdatum`.
        if dag >= peil_dag and after(datum, peildatum):
            problems.append(_na_peildatum(positie, "datum"))
        incident = waarden.get("incidentdatum")
        if incident is not None and after(incident, peildatum):
            problems.append(_na_peildatum(positie, "incidentdatum"))
        ingangen.append(Ingang(positie, event, waarden, waarden["soort"], datum, dag))
    if problems:
        raise CaseError(_capped(problems, source), source)
    ingangen.sort(key=_DAG)
    return ingangen


def _na_peildatum(positie: int, veld: str) -> str:
    # The position and the field, never the date itself: case data is sensitive.
    return f"`gebeurtenissen.{positie}.{veld}`: ligt na de peildatum"


#: the sort key (attrgetter: in C, where a function is a Python call per event)
_DAG = attrgetter("dag")


def after(moment: dt.date, other: dt.date) -> bool:
    """``moment`` lies after ``other``: by the hour when both have one, else by the day.

    The one comparison of moments: an event after the peildatum here, a deadline passed in
    the clocks (:func:`meldcode_rules.dossier.tijd.passed`).
    """
    if type(moment) is dt.date and type(other) is dt.date:  # most: two days
        return moment > other
    if isinstance(moment, dt.datetime) and isinstance(other, dt.datetime):
        return moment > other
    return day(moment) > day(other)


def _text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


#: Per event kind: (field of the event, the fact it sets); special cases follow in stated().
_PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "signaal": (
        ("vormen", "vormen"),
        ("problematiek", "kindcheck.problematiek"),
        ("vastgelegd", "stappen.signalen_vastgelegd"),
        ("medewerker_verdacht", "medewerker_verdacht"),
    ),
    "kindcheck": (
        ("zorgt_voor_minderjarigen", "kindcheck.zorgt_voor_minderjarigen"),
        ("zwanger", "kindcheck.zwanger"),
        ("problematiek", "kindcheck.problematiek"),
    ),
    "afweging": tuple(
        (name, f"afweging.{name}") for name in AfwegingGebeurtenis.model_fields if name not in ("soort", "datum")
    ),
    "hulp_geevalueerd": (("veilig", "afweging.hulp_effectief"),),
}
_CONSULTATIE = {
    "collega": "stappen.collega_geraadpleegd",
    "aandachtsfunctionaris": "stappen.collega_geraadpleegd",
    "veilig_thuis": "stappen.veilig_thuis_geraadpleegd",
}
#: Kinds that state no fact (the clocks read them).
_STATE_NOTHING = frozenset(
    set(EVENT_MODELS)
    - set(_PLAN)
    - {"consultatie", "gesprek", "melding", "ontvangst_bevestigd", "terugkoppeling_veilig_thuis", "momentopname"}
)

#: What the fold reads per kind: the plan, and an empty one for the kinds that state nothing
#: (so that only consultatie, gesprek, melding, the receipts and a momentopname call stated()).
_FOLD_PLAN: dict[str, tuple[tuple[str, str], ...]] = {**_PLAN, **dict.fromkeys(_STATE_NOTHING, ())}


def effects(event: _Event) -> list[tuple[str, Any]]:
    """The facts an event states, as ``(fact path, value)``; list facts give a list to add."""
    return stated(event.__dict__)


def stated(values: dict[str, Any]) -> list[tuple[str, Any]]:
    """:func:`effects` of an event's fields (a model's ``__dict__``, or as read for judging)."""
    soort = values["soort"]
    plan = _PLAN.get(soort)
    out: list[tuple[str, Any]] = []
    if plan is not None:
        for name, path in plan:
            value = values[name]
            if value is not None and value != []:
                out.append((path, _plain(value)))
        return out
    if soort in _STATE_NOTHING:
        return []
    if soort == "consultatie":
        consulted = _CONSULTATIE.get(values["met"])
        if consulted is not None:
            out.append((consulted, "ja"))
    elif soort == "gesprek":
        gevoerd = values["gevoerd"]
        reden = values["overgeslagen_reden"]
        if gevoerd is None:
            gevoerd = "nee" if reden else "ja"
        out.append(("stappen.gesprek_gevoerd", _plain(gevoerd)))
        if reden is not None:
            out.append(("stappen.gesprek_overgeslagen_reden", reden))
    elif soort == "melding":
        if values["door"] == "ander":
            out.append(("eerder_gemeld_door_ander", "ja"))
        else:
            for name in ("besproken_met_client", "niet_besproken_reden"):
                if values[name] is not None:
                    out.append((f"melding.{name}", _plain(values[name])))
    elif soort in ("ontvangst_bevestigd", "terugkoppeling_veilig_thuis"):
        # Feedback from Veilig Thuis shows that the report arrived.
        out.append(("melding.ontvangst_bevestigd", "ja"))
    elif soort == "momentopname":
        for path, value in _leaves(values["casus"], ""):
            # JSON booleans as in a case file, so that `true` and `ja` are one answer.
            if isinstance(value, bool):
                value = "ja" if value else "nee"
            if value is not None and value != []:
                out.append((path, _plain(value)))
    return out


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str:  # the common case: no enum, no list
        return value
    if kind is list:
        return [v._value_ if isinstance(v, Enum) else v for v in value]
    # `_value_`, the member's own attribute: `.value` is a descriptor, several times slower
    return value._value_ if isinstance(value, Enum) else value


def _leaves(data: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                yield from _leaves(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value
    else:
        yield prefix.rstrip("."), data


def derive(dossier: Dossier | Gelezen, peildatum: dt.date, source: str = "dossier") -> Afleiding:
    """Fold the events (in date order) into case data, with provenance and contradictions."""
    ingangen = ordered(dossier, peildatum, source)
    fold = _fold(ingangen, record=False)
    data: dict[str, Any] = {}
    for path, value in fold.values.items():
        head, _, leaf = path.partition(".")
        # A place that holds a fact and a group of facts (only a momentopname's case facts can
        # make one) is refused: neither may hide the other.
        if not leaf:
            if type(data.get(path)) is dict:
                _shape_conflict(path, fold.herkomst, source)
            data[path] = value
        elif "." not in leaf:  # most facts: one level down (afweging.vermoeden)
            group = data.setdefault(head, {})
            if type(group) is not dict or type(group.get(leaf)) is dict:
                _shape_conflict(path, fold.herkomst, source)
            group[leaf] = value
        else:
            node = data
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
                if type(node) is not dict:
                    _shape_conflict(path, fold.herkomst, source)
            if type(node.get(leaf)) is dict:
                _shape_conflict(path, fold.herkomst, source)
            node[leaf] = value
    return Afleiding(ingangen, data, fold.herkomst, fold.tegenstrijdigheden, fold.per_soort)


def _shape_conflict(path: str, herkomst: dict[str, Ingang], source: str) -> None:
    """A fact and a group of facts at one place: a momentopname's case facts of another shape.

    No event but a momentopname sets a path the case model does not have, and no fact of the
    model lies inside another: one of the two paths came from a momentopname's ``casus``. Both
    events are named (their case facts are checked no further), never a key or a value.
    """
    names = field_names(Case)
    others = [p for p in herkomst if p != path and (p.startswith(path + ".") or path.startswith(p + "."))]
    problems = []
    for at in sorted({path, *others}):
        ingang = herkomst[at]
        if ingang.soort == "momentopname":
            where = ".".join(place_part(part, names) for part in at.split("."))
            problems.append(
                case_problem(
                    Code.MV012,
                    "een feit en een groep feiten op dezelfde plek: de casus heeft hier een andere vorm dan "
                    "de andere gebeurtenissen (zie docs/vocabulary.md)",
                    source,
                    f"gebeurtenissen.{ingang.positie}.casus.{where}",
                )
            )
    raise CaseError(problems or ["`gebeurtenissen`: een feit en een groep feiten op dezelfde plek"], source)


class _Fold(NamedTuple):
    values: dict[str, Any]
    herkomst: dict[str, Ingang]
    tegenstrijdigheden: list[Tegenstrijdig]
    per_soort: dict[str, list[Ingang]]
    wijzigingen: dict[int, list[Wijziging]]


def _fold(ingangen: list[Ingang], record: bool) -> _Fold:
    """The latest answer per fact, who gave it, the contradictions, and (``record``) what each event changed.

    One walk over the events in date order, for everything a judgement needs of them: it
    numbers them (``orde``), indexes them per kind (for the clocks) and folds their facts.
    One fold for both: a judgement does not record, the timeline replays it recording.
    """
    values: dict[str, Any] = {}
    herkomst: dict[str, Ingang] = {}
    tegenstrijdigheden: list[Tegenstrijdig] = []
    per_soort: dict[str, list[Ingang]] = {}
    wijzigingen: dict[int, list[Wijziging]] = {}
    changes: list[Wijziging] = []
    plans = _FOLD_PLAN
    lijsten = LIJSTEN
    for orde, ingang in enumerate(ingangen):
        ingang.orde = orde
        soort = ingang.soort
        kind = per_soort.get(soort)
        if kind is None:
            per_soort[soort] = [ingang]
        else:
            kind.append(ingang)
        if record:
            changes = []
            wijzigingen[ingang.positie] = changes
        waarden = ingang.waarden
        plan = plans.get(soort)
        if plan is None:
            pairs = stated(waarden)
        else:  # stated(), inline for the kinds most events are (a call per event costs)
            pairs = []
            for name, path in plan:
                value = waarden[name]
                if value is None:
                    continue
                typ = type(value)
                if typ is list:
                    if not value:
                        continue
                    if path not in lijsten:
                        value = _plain(value)
                    # a list fact's items are made plain below, only where they add one
                elif typ is not str:
                    # an answer (Tri) as its text
                    value = value._value_ if isinstance(value, Enum) else _plain(value)
                pairs.append((path, value))
        for path, value in pairs:
            old = values.get(path)
            if type(value) is list and path in lijsten:
                if type(old) is list:
                    # the items are texts (a Literal choice) or equal to them: test before making them plain
                    for item in value:
                        if item not in old:
                            break
                    else:
                        continue  # nothing new (most signals repeat a vorm): no change
                before_list = old or []
                merged = list(dict.fromkeys([*before_list, *_plain(value)]))
                if merged != before_list:
                    if record:
                        changes.append(Wijziging(path, before_list, merged))
                    values[path] = merged
                    herkomst[path] = ingang
                continue
            if old != value:
                before = herkomst.get(path)
                if before is not None and before.dag == ingang.dag and before.positie != ingang.positie:
                    tegenstrijdigheden.append(Tegenstrijdig(path, before, ingang))
                if record:
                    changes.append(Wijziging(path, old, value))
                values[path] = value
            herkomst[path] = ingang
    return _Fold(values, herkomst, tegenstrijdigheden, per_soort, wijzigingen)


def case_of(
    afleiding: Afleiding, dossier: Dossier | Gelezen, model: type[Case], peildatum: dt.date, source: str = "dossier"
) -> Case:
    """The case the derived facts make, validated by the case model of the sector."""
    data = _case_data(afleiding, dossier, peildatum)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for e in error.errors():
            problem = _case_problem(e, model, source=source)
            # the fact (a list's items by the list), as the fold keeps where each came from
            where = afleiding.herkomst.get(".".join(str(p) for p in e["loc"] if not isinstance(p, int)))
            if where is not None:
                # A momentopname's case facts are checked here: say which event gave them.
                located = f"gebeurtenissen.{where.positie}.casus.{problem.location.path}".rstrip(".")
                problem = replace(problem, location=replace(problem.location, path=located))
            problems.append(problem)
        raise CaseError(problems, source) from None


def flat_of(
    afleiding: Afleiding, dossier: Dossier | Gelezen, catalog: FactCatalog, peildatum: dt.date, source: str = "dossier"
) -> dict[str, Any]:
    """The flat facts of :func:`case_of`'s case, read straight from the derived data where it is plain.

    The same shortcut as for a case file (:mod:`meldcode_rules.case.flat_reader`): what it
    declines is validated by the case model, which stays the one authority on errors.
    """
    read = reader_for(catalog).read(_case_data(afleiding, dossier, peildatum))
    if read is not None:
        return read[0]
    return catalog.flatten(case_of(afleiding, dossier, catalog.model, peildatum, source))


def _case_data(afleiding: Afleiding, dossier: Dossier | Gelezen, peildatum: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = {**afleiding.data, "datum": day(peildatum).isoformat()}
    if dossier.sector is not None:
        data["sector"] = dossier.sector
    if dossier.sectorfeiten is not None:
        data["sectorfeiten"] = {
            **dossier.sectorfeiten.model_dump(mode="json", exclude_defaults=True),
            **data.get("sectorfeiten", {}),
        }
    return data


def as_plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return _text(value)
