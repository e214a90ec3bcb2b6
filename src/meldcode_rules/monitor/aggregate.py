"""The monitor's figures as a monoid: partial results combine into the whole.

An :class:`Aggregaat` holds counts per cell (dimension, value, measure), the work list and
the refused records. ``a + b`` combines two partial results; ``Aggregaat()`` is the identity;
``+`` is associative and commutative, so parts judged in any order, in this process, in
worker processes or on Dask workers give exactly the single-process result. The two lists
are kept sorted by a total order and cut at a fixed length (memory stays flat in the number
of dossiers); their full lengths are counted.

Privacy is applied when a result is shown (:mod:`meldcode_rules.monitor.report`), never
here: suppressing before combining would lose counts.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from meldcode_rules.caches import lru
from meldcode_rules.monitor.judge import PRIORITEIT, Signaal, Uitkomst
from meldcode_rules.monitor.onderdrukking import Cel

#: The dimensions of the cells; `totaal` has the one value `alle`.
DIMENSIES = ("totaal", "sector", "organisatie", "maand")
GEEN = "(geen)"
ONBEKEND = "onbekend"

#: Default lengths of the kept lists (their full lengths are always counted).
MAX_WERKLIJST = 1000
MAX_WEIGERINGEN = 1000

# An unknown "since" sorts first: a missing date is never "not overdue".
_FIRST = dt.date.min


class Redenen(tuple[Signaal, ...]):
    """A work-list item's reasons, most urgent first: a tuple, ordered by their text ``kenmerk@sinds``.

    Their order only breaks a tie between two items of one dossier id (an id that appears
    twice in the input), so the texts are made only then, not for every dossier. Equal
    reasons have equal texts and the other way round: equality stays the tuple's own.
    """

    __slots__ = ()

    @property
    def volgnummer(self) -> tuple[str, ...]:
        return tuple(f"{s.kenmerk}@{s.sinds}" for s in self)

    def __lt__(self, other: tuple[object, ...]) -> bool:
        return self.volgnummer < _volgnummer(other)

    def __le__(self, other: tuple[object, ...]) -> bool:
        return self.volgnummer <= _volgnummer(other)

    def __gt__(self, other: tuple[object, ...]) -> bool:
        return self.volgnummer > _volgnummer(other)

    def __ge__(self, other: tuple[object, ...]) -> bool:
        return self.volgnummer >= _volgnummer(other)


def _volgnummer(redenen: tuple[object, ...]) -> tuple[str, ...]:
    if not isinstance(redenen, Redenen):
        raise TypeError("werklijstredenen vergelijken alleen met werklijstredenen")
    return redenen.volgnummer


class Werkpunt(NamedTuple):
    """A dossier on the work list: why, and since when. Ids only, no facts.

    A tuple, so that keeping the work list sorted compares in C: by priority, then since
    when, then id, then (one id twice in the input) the reasons' texts.
    """

    prioriteit: int
    sinds_sleutel: dt.date
    dossier_id: str
    redenen: Redenen

    @property
    def sinds(self) -> dt.date | None:
        return None if self.sinds_sleutel == _FIRST else self.sinds_sleutel

    @property
    def volgnummer(self) -> tuple[str, ...]:
        """The stable tie-break when one id appears twice in the input."""
        return self.redenen.volgnummer


@dataclass(frozen=True, slots=True, order=True)
class Weigering:
    """A refused record: where, and what kind of problem (never its content)."""

    bron: str
    plek: int
    categorie: str


def werkpunt(uitkomst: Uitkomst) -> Werkpunt | None:
    if not uitkomst.signalen:
        return None
    reasons = Redenen(sorted(uitkomst.signalen, key=_urgentie))
    most = reasons[0]  # the first of the most urgent: a stable sort keeps what min() would pick
    return Werkpunt(PRIORITEIT[most.kenmerk], most.sinds or _FIRST, uitkomst.dossier_id, reasons)


def _urgentie(signaal: Signaal) -> tuple[int, dt.date]:
    return PRIORITEIT[signaal.kenmerk], signaal.sinds or _FIRST


# The cells a dossier counts in are built from few values (its sector and organisation, the
# shape of its judgement, a few dates): each combination is built once and then looked up.
# Bounded, as every cache of the judgement path (meldcode_rules.caches).


@lru(1024)
def _maten(
    open_: bool, stap: int, besluit: str, gemeld: bool, heropend: bool, kenmerken: tuple[str, ...]
) -> tuple[str, ...]:
    """The measures one dossier counts for, in every group (totaal, its sector, its organisation)."""
    measures = ["dossiers"]
    if open_:
        measures += ["open", f"open_stap_{stap}", f"open_besluit_{besluit}"]
    if gemeld:
        measures.append("gemeld")
    if heropend:
        measures.append("heropend")
    measures += kenmerken
    if kenmerken:
        measures.append("op_werklijst")
    return tuple(measures)


@lru(4096)
def _groepscellen(sector: str, organisatie: str, measures: tuple[str, ...]) -> tuple[Cel, ...]:
    groups = (("totaal", "alle"), ("sector", sector), ("organisatie", organisatie))
    return tuple((dimension, value, measure) for dimension, value in groups for measure in measures)


@lru(8192)  # ten years of days
def _maand(day: dt.date | None) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day else ONBEKEND


@dataclass(slots=True)
class Aggregaat:
    """Counts per (dimension, value, measure), the work list and the refusals; combine with ``+``."""

    gelezen: int = 0
    beoordeeld: int = 0
    geweigerd: int = 0
    cellen: Counter[Cel] = field(default_factory=Counter)
    werklijst: list[Werkpunt] = field(default_factory=list)
    werklijst_totaal: int = 0
    weigeringen: list[Weigering] = field(default_factory=list)
    max_werklijst: int = MAX_WERKLIJST
    max_weigeringen: int = MAX_WEIGERINGEN

    # ------------------------------------------------------------- building

    def tel(self, uitkomst: Uitkomst) -> None:
        """Count one judged dossier."""
        self.gelezen += 1
        self.beoordeeld += 1
        signalen = uitkomst.signalen
        measures = _maten(
            uitkomst.open,
            uitkomst.stap,
            uitkomst.besluit,
            bool(uitkomst.gemeld),
            uitkomst.heropend,
            tuple([s.kenmerk for s in signalen]),
        )
        keys = list(_groepscellen(uitkomst.sector, uitkomst.organisatie or GEEN, measures))
        # Per month: when it happened, not as of the peildatum.
        keys.append(("maand", _maand(uitkomst.instroom), "instroom"))
        for day in uitkomst.gemeld:
            keys.append(("maand", _maand(day), "meldingen"))
        for signaal in signalen:
            keys.append(("maand", _maand(signaal.sinds), signaal.kenmerk))
        # Counted in one call (Counter.update counts in C), in the order they were counted one by one.
        self.cellen.update(keys)
        punt = werkpunt(uitkomst)
        if punt is not None:
            self.werklijst_totaal += 1
            self.werklijst.append(punt)
            if len(self.werklijst) > 2 * self.max_werklijst:
                self.werklijst = heapq.nsmallest(self.max_werklijst, self.werklijst)

    def weiger(self, bron: str, plek: int, categorie: str) -> None:
        """Count one refused record."""
        self.gelezen += 1
        self.geweigerd += 1
        self.weigeringen.append(Weigering(bron, plek, categorie))
        if len(self.weigeringen) > 2 * self.max_weigeringen:
            self.weigeringen = heapq.nsmallest(self.max_weigeringen, self.weigeringen)

    def af(self) -> Aggregaat:
        """The same result with its lists cut and in their final order (idempotent)."""
        self.werklijst = heapq.nsmallest(self.max_werklijst, self.werklijst)
        self.weigeringen = heapq.nsmallest(self.max_weigeringen, self.weigeringen)
        return self

    # ------------------------------------------------------------- the monoid

    def __add__(self, other: Aggregaat) -> Aggregaat:
        if not isinstance(other, Aggregaat):
            return NotImplemented
        werk = min(self.max_werklijst, other.max_werklijst)
        weig = min(self.max_weigeringen, other.max_weigeringen)
        return Aggregaat(
            gelezen=self.gelezen + other.gelezen,
            beoordeeld=self.beoordeeld + other.beoordeeld,
            geweigerd=self.geweigerd + other.geweigerd,
            cellen=self.cellen + other.cellen,
            werklijst=heapq.nsmallest(werk, [*self.werklijst, *other.werklijst]),
            werklijst_totaal=self.werklijst_totaal + other.werklijst_totaal,
            weigeringen=heapq.nsmallest(weig, [*self.weigeringen, *other.weigeringen]),
            max_werklijst=werk,
            max_weigeringen=weig,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Aggregaat):
            return NotImplemented
        return self._state() == other._state()

    def _state(self) -> tuple[object, ...]:
        return (
            self.gelezen,
            self.beoordeeld,
            self.geweigerd,
            +self.cellen,  # unary plus drops zero counts, which `Counter + Counter` also drops
            heapq.nsmallest(self.max_werklijst, self.werklijst),  # the reasons too: a Werkpunt is a tuple
            self.werklijst_totaal,
            heapq.nsmallest(self.max_weigeringen, self.weigeringen),
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    # ------------------------------------------------------------- reading

    def waarde(self, dimensie: str, waarde: str, maat: str) -> int:
        return self.cellen.get((dimensie, waarde, maat), 0)

    def waarden(self, dimensie: str) -> list[str]:
        """The values seen for a dimension, sorted."""
        return sorted({v for d, v, _ in self.cellen if d == dimensie})

    def maten(self, dimensie: str) -> list[str]:
        return sorted({m for d, _, m in self.cellen if d == dimensie})
