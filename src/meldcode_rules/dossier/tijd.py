"""The one place where time becomes facts: each ``tijdregel`` -> a tri-state fact as of a date.

A time rule (``tijdregels:`` in a ruleset, checked by :mod:`meldcode_rules.compiler.tijdregels`)
names the events that start and stop its clock and its termijn. Here, for one dossier and
one peildatum, each becomes ``ja``, ``nee`` or ``onbekend``, with the event its clock
counts from and its deadline. The rules then test these facts like any other, so the
checker's proofs over the finite space of tri-state facts cover them unchanged.

Failing safe: a clock without its start event, or without the date it counts from, is
``onbekend``: a missing date is never "not overdue".

The toetsen (``toets:``):

``loopt``
    ``ja`` while the latest start event has no stop event after it; ``nee`` once stopped.
``verlopen``
    ``ja`` when the clock runs and its deadline (``deadline_veld``, or ``vanaf`` plus
    ``termijn_veld`` or ``termijn``) lies before the peildatum; ``nee`` when it does not
    yet or the clock stopped.
``venster_open``
    ``ja`` while the peildatum lies within ``termijn`` of the start (``vanaf``); ``nee``
    after, or once stopped.
``na_start``
    ``ja`` when a ``gebeurtenis`` follows the latest start and no stop event follows it.
``patroon``
    ``ja`` when, since the latest stop event, at least ``min_aantal`` ``gebeurtenis``
    events, or events from ``min_herkomsten`` different ``herkomst``, lie within
    ``termijn`` before the peildatum.

``maakt_onbekend`` names case facts and the answer of each that is out of date while the
time fact is ``ja`` (:func:`verouderd`): it then counts as ``onbekend``, so the rules ask
the question again instead of building on an old answer. Only answers whose loss never
lowers ``melden`` may age; ``meldcode-rules check`` proves that (check/veroudering.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Literal

import msgspec

from meldcode_rules.caches import lru
from meldcode_rules.dossier.derive import Ingang, after, day
from meldcode_rules.judge.combine import deadline as date_plus
from meldcode_rules.load.ruleset import TERMIJN_PATTERN, UREN, GebeurtenisKeuze, Tijdregel

TriText = Literal["ja", "nee", "onbekend"]


class Klok(msgspec.Struct, frozen=True, gc=False):
    """What one time rule gives for a dossier on a date.

    A Struct, made in C: every judgement makes one per time rule (a frozen dataclass sets
    each field through ``object.__setattr__``, several times the cost). Not tracked by the
    garbage collector: it refers to its rule and events, which never refer back.
    """

    regel: Tijdregel
    waarde: TriText
    #: the event the clock counts from (None: no start event)
    start: Ingang | None = None
    #: the field of ``start`` it counts from (``datum`` or e.g. ``incidentdatum``)
    veld: str = "datum"
    #: the event that stopped the clock, if any
    gestopt: Ingang | None = None
    deadline: dt.date | None = None


@lru(4096)
def plus(moment: dt.date, termijn: str) -> dt.date:
    """``moment`` plus a termijn; a date-time stays a date-time for hours and days.

    Past the last representable day the deadline is that day: it has not passed. Kept
    per (moment, termijn): a pattern's window is added to every signal's date, and a
    dossier's days repeat.
    """
    try:
        return _plus(moment, termijn)
    except OverflowError:
        return dt.datetime.max if isinstance(moment, dt.datetime) else dt.date.max


@lru(4096)
def safe_date_plus(moment: dt.date, termijn: str | None) -> dt.date | None:
    """combine.deadline for a date (past the last representable day: that day, as there).

    Kept per (day, termijn), as :func:`plus`: every action's deadline is one, and counting
    werkdagen walks the days.
    """
    return date_plus(moment, termijn)


def _plus(moment: dt.date, termijn: str) -> dt.date:
    match = TERMIJN_PATTERN.match(termijn)
    if isinstance(moment, dt.datetime) and match is not None and termijn != "direct":
        unit, n = match["eenheid"], int(match["n"])
        if unit in UREN:
            return moment + dt.timedelta(hours=n)
        if not unit.startswith("werkdag"):
            return moment + dt.timedelta(days=n * (7 if unit in ("week", "weken") else 1))
        return dt.datetime.combine(safe_date_plus(moment.date(), termijn) or moment.date(), moment.time())
    if isinstance(moment, dt.datetime):
        return moment
    return safe_date_plus(moment, termijn) or moment


def passed(limit: dt.date, peildatum: dt.date) -> bool:
    """The peildatum lies after ``limit`` (by the hour when both have one, else by the day)."""
    return after(peildatum, limit)


def matches(keuze: GebeurtenisKeuze, ingang: Ingang) -> bool:
    return ingang.soort == keuze.soort and _waar(keuze.waar, ingang.waarden)


def _waar(waar: Mapping[str, Sequence[str]], values: Mapping[str, Any]) -> bool:
    """Every field of ``waar`` has one of its values (a list field: contains one; no value: ``onbekend``)."""
    for name, allowed in waar.items():
        value = values.get(name)
        if value is None:
            if "onbekend" not in allowed:
                return False
        elif type(value) is str:  # most values: a choice as text
            if value not in allowed:
                return False
        elif isinstance(value, list):
            for v in value:
                if (v if type(v) is str else _text(v)) in allowed:
                    break
            else:
                return False
        elif _text(value) not in allowed:
            return False
    return True


def _text(value: Any) -> str:
    if type(value) is str:  # most values: a choice as text
        return value
    return str(value.value if isinstance(value, Enum) else value)


class Index:
    """The events in date order, and per kind (so a clock looks only at the kinds it names)."""

    def __init__(self, ingangen: Sequence[Ingang], per_soort: dict[str, list[Ingang]] | None = None) -> None:
        """``per_soort``: the events per kind, where the fold made them already (``Afleiding.per_soort``)."""
        self.ingangen = ingangen
        if per_soort is None:
            per_soort = {}
            for ingang in ingangen:
                per_soort.setdefault(ingang.soort, []).append(ingang)
        self.per_soort = per_soort

    def latest(self, keuzes: Sequence[GebeurtenisKeuze], after: int = -1) -> int | None:
        """Date-order index of the latest event matching any of ``keuzes`` after index ``after``."""
        best: int | None = None
        floor = after  # a match must lie after this: `after`, then the best one found so far
        per_soort = self.per_soort
        for keuze in keuzes:
            events = per_soort.get(keuze.soort)
            if events is None:
                continue
            waar = keuze.waar
            if not waar:  # per_soort holds only this soort: without `waar`, the latest one matches
                orde = events[-1].orde
                if orde > floor:
                    floor = best = orde
                continue
            for ingang in reversed(events):
                orde = ingang.orde
                if orde <= floor:
                    break
                if _waar(waar, ingang.waarden):
                    floor = best = orde
                    break
        return best

    def since(self, keuzes: Sequence[GebeurtenisKeuze], after: int) -> list[Ingang]:
        """Every event matching any of ``keuzes`` after index ``after``, in date order."""
        if len(keuzes) == 1 and not keuzes[0].waar:
            # one kind, every event of it: per_soort holds them in date order already
            events = self.per_soort.get(keuzes[0].soort, ())
            return [ingang for ingang in events if ingang.orde > after] if after >= 0 else list(events)
        # by date-order index: an event matching two keuzes counts once
        found = {
            ingang.orde: ingang
            for keuze in keuzes
            for ingang in self.per_soort.get(keuze.soort, ())
            if ingang.orde > after and (not keuze.waar or matches(keuze, ingang))
        }
        return [found[orde] for orde in sorted(found)]


def klok(regel: Tijdregel, index: Index, peildatum: dt.date) -> Klok:
    """The value of one time rule for events in date order, as of ``peildatum``."""
    ingangen = index.ingangen
    if regel.toets == "patroon":
        return _patroon(regel, index, peildatum)
    begin = index.latest(regel.start)
    if begin is None:
        return Klok(regel, "onbekend")
    start = ingangen[begin]
    stop = index.latest(regel.stop, begin) if regel.stop else None
    veld = regel.vanaf or "datum"
    base = start.waarden.get(veld)
    limit = _deadline(regel, start, base)
    if regel.toets == "na_start":
        # An event after the start that no stop event has followed yet.
        later = index.latest(regel.gebeurtenis, begin)
        if later is None:
            return Klok(regel, "nee", start, veld)
        handled = index.latest(regel.stop, later) if regel.stop else None
        if handled is not None:
            return Klok(regel, "nee", ingangen[later], "datum", ingangen[handled])
        return Klok(regel, "ja", ingangen[later], "datum", None, day(ingangen[later].datum))
    if stop is not None:
        return Klok(regel, "nee", start, veld, ingangen[stop], limit)
    if regel.toets == "loopt":
        return Klok(regel, "ja", start, veld, None, limit)
    if limit is None:
        return Klok(regel, "onbekend", start, veld)
    if regel.toets == "verlopen":
        return Klok(regel, "ja" if passed(limit, peildatum) else "nee", start, veld, None, day(limit))
    # venster_open
    return Klok(regel, "nee" if passed(limit, peildatum) else "ja", start, veld, None, day(limit))


def _deadline(regel: Tijdregel, start: Ingang, base: dt.date | None) -> dt.date | None:
    if regel.deadline_veld is not None:
        fixed = start.waarden.get(regel.deadline_veld)
        if fixed is not None:
            return fixed
    termijn = start.waarden.get(regel.termijn_veld) if regel.termijn_veld else None
    termijn = termijn or regel.termijn
    if base is None or termijn is None:
        return None
    return plus(base, termijn)


def _patroon(regel: Tijdregel, index: Index, peildatum: dt.date) -> Klok:
    stop = index.latest(regel.stop) if regel.stop else None
    assert regel.termijn is not None  # checked by the compiler (MR063)
    termijn = regel.termijn
    hits = [
        ingang
        for ingang in index.since(regel.gebeurtenis, -1 if stop is None else stop)
        if not passed(plus(ingang.datum, termijn), peildatum)
    ]
    herkomsten = {_text(h.waarden["herkomst"]) for h in hits if h.waarden.get("herkomst") is not None}
    enough = (regel.min_aantal is not None and len(hits) >= regel.min_aantal) or (
        regel.min_herkomsten is not None and len(herkomsten) >= regel.min_herkomsten
    )
    gestopt = index.ingangen[stop] if stop is not None else None
    if not enough:
        return Klok(regel, "nee", None, "datum", gestopt)
    # The pattern is there from the event that completed it: that is what the action counts from.
    return Klok(regel, "ja", hits[-1], "datum", None, day(hits[-1].datum))


def verouderd(clock: Klok, herkomst: Mapping[str, Ingang]) -> tuple[tuple[str, str], ...]:
    """The ``(fact, answer)`` pairs of ``maakt_onbekend`` that ``clock`` makes out of date.

    Only while the clock is ``ja``, and only an answer an event gave at or before the event
    the clock counts from (in date order): it is older than what the clock says happened
    since (a safe evaluation before an overdue re-assessment or before new help, an afweging
    before a new signal). An answer given later is current. The caller ages the fact only
    where its answer is the one named.
    """
    if clock.waarde != "ja" or clock.start is None or not clock.regel.maakt_onbekend:
        return ()
    start = clock.start.orde
    return tuple(
        (feit, antwoord)
        for feit, antwoord in clock.regel.maakt_onbekend.items()
        if (bron := herkomst.get(feit)) is not None and bron.orde <= start
    )


def age_answers(
    clocks: Mapping[str, Klok], herkomst: Mapping[str, Ingang], flat: dict[str, Any], keys: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Make each answer a clock says is out of date ``onbekend`` in ``flat``; per time fact, which facts.

    ``keys``: fact path -> its key in ``flat``, for every fact a ``maakt_onbekend`` names.
    Judging a dossier and building a counterexample dossier (getuige.py) both age answers
    here; ``meldcode-rules check`` proves that no ageing answer lowers ``melden``.
    """
    aged: dict[str, tuple[str, ...]] = {}
    for feit, clock in clocks.items():
        if not clock.regel.maakt_onbekend:
            continue
        facts = tuple(f for f, antwoord in verouderd(clock, herkomst) if flat.get(keys[f]) == antwoord)
        for fact in facts:
            flat[keys[fact]] = "onbekend"
        if facts:
            aged[feit] = facts
    return aged


def klokken(
    regels: Sequence[Tijdregel], ingangen: Sequence[Ingang], peildatum: dt.date, index: Index | None = None
) -> dict[str, Klok]:
    """Every time rule's value, by fact path (``ingangen`` in date order, as derive() gives them)."""
    if index is None:
        index = Index(ingangen)
    return {regel.feit: klok(regel, index, peildatum) for regel in regels}
