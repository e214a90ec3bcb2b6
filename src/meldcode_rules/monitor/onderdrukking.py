"""Which cells of the monitor's tables are suppressed: primary and secondary suppression.

**Primary suppression.** A count from 1 to ``drempel - 1`` (default 5) is not shown: small
counts can point at persons. Zero is shown: it points at nobody.

**Secondary (complementary) suppression.** A suppressed cell is not safe on its own when it
can be computed back from a total and the other cells that add up to it ("differencing"):
in a column of sectors that sums to the total, one suppressed sector is the total minus the
others. So, for every *group* of cells that add up (the cells of a row or column plus their
total, see :func:`groep`), the rule is:

1. a group in which exactly one cell is suppressed gets a second one suppressed: the
   smallest other cell of that group with a count above 0 (a 0 only if there is no other;
   ties by the order of the table), never a figure that is published elsewhere
   (:data:`PUBLIEK`);
2. that may leave another group with exactly one suppressed cell: repeat until no group has
   exactly one (this ends: cells are only ever added, and there are finitely many).

After that no suppressed cell equals a total minus the visible cells of its row or column.
This is the basic method of complementary suppression in statistical disclosure control as
CBS and Eurostat describe it: A. Hundepool et al., *Handbook on Statistical Disclosure
Control* (ESSnet SDC, for Eurostat), chapters on frequency tables and magnitude tables, and
tau-Argus, the program for it built by CBS (https://github.com/sdcTools/tauargus). No law
prescribes the threshold or this exact rule: the choice of the smallest complementary cell
is this project's (the least information lost, deterministic, simple to check). It protects
against differencing along one row or column; it is not the full audit against combining
several equations (linear programming) that tau-Argus can do: for a publication outside the
organisation, check the tables with such a tool or raise the threshold.

Every output shows a suppressed cell the same way, whether primary or secondary (which kind
it is would itself tell something); the report says how many of each there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: A cell: (dimension, value, measure).
Cel = tuple[str, str, str]


@dataclass(frozen=True)
class Groep:
    """Cells that add up: ``totaal`` is the sum of ``delen`` (a row or column and its total)."""

    totaal: Cel
    delen: tuple[Cel, ...]

    @property
    def cellen(self) -> tuple[Cel, ...]:
        return (*self.delen, self.totaal)


@dataclass(frozen=True)
class Onderdrukking:
    primair: frozenset[Cel]
    secundair: frozenset[Cel]

    @property
    def alle(self) -> frozenset[Cel]:
        return self.primair | self.secundair


def groep(cellen: Mapping[Cel, int], totaal: Cel, delen: Iterable[Cel]) -> Groep | None:
    """The group of ``delen`` adding up to ``totaal``, or None where the sum does not hold in
    the counts (then nothing can be computed back from it exactly)."""
    parts = tuple(delen)
    if not parts or sum(cellen.get(p, 0) for p in parts) != cellen.get(totaal, 0):
        return None
    return Groep(totaal, parts)


def onderdruk(
    cellen: Mapping[Cel, int],
    groepen: Sequence[Groep],
    drempel: int,
    publiek: Iterable[Cel] = (),
    volgorde: Sequence[Cel] | None = None,
) -> Onderdrukking:
    """Primary suppression of every cell of 1 to ``drempel - 1``, then secondary suppression
    until no group has exactly one suppressed cell. ``publiek``: cells published elsewhere
    (anyone knows them): never chosen, and counted as known. ``volgorde``: the order of the
    table, for ties (default: sorted)."""
    rank = {c: i for i, c in enumerate(volgorde if volgorde is not None else sorted(cellen))}
    known = frozenset(publiek)
    primair = frozenset(c for c, n in cellen.items() if 0 < n < drempel)
    hidden = set(primair - known)
    secundair: set[Cel] = set()
    changed = True
    while changed:
        changed = False
        for g in groepen:
            if sum(c in hidden for c in g.cellen) != 1:
                continue
            candidates = [c for c in g.cellen if c not in hidden and c not in known]
            if not candidates:
                continue  # every other cell is published: nothing left to hide it behind
            chosen = min(candidates, key=lambda c: (cellen.get(c, 0) == 0, cellen.get(c, 0), rank.get(c, len(rank)), c))
            hidden.add(chosen)
            secundair.add(chosen)
            changed = True
    return Onderdrukking(primair, frozenset(secundair))


def terug_te_rekenen(waarden: Mapping[Cel, int | None], groepen: Sequence[Groep]) -> list[Cel]:
    """The suppressed cells (``None``) that are a total minus the visible cells of a group
    (for tests and audits): the total visible and exactly one part hidden, or the total hidden
    and every part visible."""
    out = []
    for g in groepen:
        hidden = [c for c in g.cellen if waarden.get(c, 0) is None]
        if len(hidden) == 1:
            out.append(hidden[0])
    return out
