"""Hypothesis strategies for dossiers: events of every kind, on random dates, in any order.

The fields of each event come from the event models (``event_fields``), so a field added
to an event is generated here without editing this file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from meldcode_rules.case.dossier import SOORTEN, event_fields, required_fields

START = dt.date(2024, 1, 1)
END = dt.date(2026, 12, 31)
TERMIJNEN = ("3 dagen", "5 werkdagen", "2 weken", "6 weken")
#: every kind but the momentopname (its case facts are covered by the case strategies)
KINDS = tuple(s for s in SOORTEN if s != "momentopname")


@st.composite
def moments(draw: st.DrawFn, low: dt.date = START, high: dt.date = END) -> dt.date | dt.datetime:
    day = draw(st.dates(low, high))
    if draw(st.booleans()):
        return day
    return dt.datetime.combine(day, dt.time(draw(st.integers(0, 23)), draw(st.sampled_from((0, 30)))))


def _iso(value: dt.date) -> str:
    return value.isoformat()


@st.composite
def events(
    draw: st.DrawFn, kinds: tuple[str, ...] = KINDS, high: dt.date = END, low: dt.date = START
) -> dict[str, Any]:
    soort = draw(st.sampled_from(kinds))
    datum = draw(moments(low, high))
    event: dict[str, Any] = {"soort": soort, "datum": _iso(datum)}
    for name, (kind, values) in event_fields(soort).items():
        if name == "datum":
            continue
        required = name in required_fields(soort)
        if not required and draw(st.booleans()):
            continue
        if kind == "moment":
            # incident dates lie before the event; evaluation dates may lie after it
            day = dt.date.fromisoformat(_iso(datum)[:10])
            first, last = (low, min(day, high)) if name == "incidentdatum" else (low, max(END, high))
            event[name] = _iso(draw(moments(first, last)))
        elif kind == "termijn":
            event[name] = draw(st.sampled_from(TERMIJNEN))
        elif kind == "keuze":
            event[name] = draw(st.sampled_from(values))
        elif kind == "lijst":
            event[name] = draw(st.lists(st.sampled_from(values), unique=True, max_size=3))
        elif name == "hulpvorm":
            event[name] = draw(st.sampled_from(("gezinscoaching", "ambulant", "ggz")))
        elif name == "actie":  # actions with no event of their own, and one no ruleset has
            event[name] = draw(st.sampled_from(("politie_inschakelen", "igj_melden", "aangifte_doen", "geen_code")))
    return event


@st.composite
def dossiers(
    draw: st.DrawFn,
    sectors: tuple[str | None, ...] = (None,),
    max_events: int = 12,
    low: dt.date = START,
    high: dt.date = END,
) -> tuple[dict[str, Any], dt.date]:
    """A dossier (as a JSON-shaped dict) and a peildatum on or after its last event."""
    peildatum = draw(st.dates(low, high))
    items = draw(st.lists(events(high=peildatum, low=low), min_size=1, max_size=max_events))
    sector = draw(st.sampled_from(sectors))
    data: dict[str, Any] = {"gebeurtenissen": items}
    if sector is not None:
        data["sector"] = sector
    return data, peildatum
