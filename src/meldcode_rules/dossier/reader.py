"""A shortcut for plain JSON-shaped dossiers: read them without pydantic's per-event cost.

Like :mod:`meldcode_rules.case.flat_reader` for case files: it accepts a strict subset of
what the :class:`~meldcode_rules.case.dossier.Dossier` model accepts (strings, booleans,
nulls and lists of strings, dates as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]`` without a
zone) and declines (returns ``None``) everything else, including every invalid dossier, so
every error still comes from pydantic. What it accepts it builds into the same models, with
the same values: ``tests/test_dossier.py`` checks that over generated dossiers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from meldcode_rules.caches import lru
from meldcode_rules.case.dossier import EVENT_MODELS, Dossier, event_fields, trusted
from meldcode_rules.case.model import REFERENTIE_MAX, Tri
from meldcode_rules.load.ruleset import TERMIJN_PATTERN

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)
_DATETIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$", re.ASCII)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")  # as Dossier.dossier_id
_HULPVORM = re.compile(r"^[a-z0-9_]{1,40}$")
_TRI = {"ja": Tri.ja, "nee": Tri.nee, "onbekend": Tri.onbekend, True: Tri.ja, False: Tri.nee}
_TOP = frozenset(("dossier_id", "referentie", "sector", "organisatie", "gebeurtenissen"))
_REQUIRED = {"melding": ("door",), "consultatie": ("met",)}


class _Unsupported(Exception):
    """The input is not of the plain shape this reader mirrors: let pydantic decide."""


def _moment(value: Any) -> dt.date:
    if type(value) is not str:
        raise _Unsupported
    moment = _moment_of(value)
    if moment is None:
        raise _Unsupported
    return moment


@lru(4096)
def _moment_of(text: str) -> dt.date | None:
    """The date or date-time ``text`` gives, or ``None`` (kept: dossiers repeat their days)."""
    if _DATE.match(text):
        return dt.date.fromisoformat(text)
    found = _DATETIME.match(text)
    if found is None:
        return None
    day = dt.date.fromisoformat(found[1])
    hour, minute, second = int(found[2]), int(found[3]), int(found[4] or 0)
    if (hour, minute, second) == (0, 0, 0):
        return day  # pydantic reads a midnight date-time into the date (dt.date | dt.datetime)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)


@cache
def _plan(soort: str) -> tuple[type[Any], dict[str, tuple[str, frozenset[str]]], dict[str, Any], tuple[str, ...]]:
    """Per event kind: its model, field -> (kind, allowed values), the defaults, required fields.

    The kind is that of :func:`event_fields`, with ``tri`` for a tri-state choice. The
    defaults start with ``datum`` and ``soort``: a dict keeps the order of its first keys,
    and the model's fields come in that order (as pydantic builds them).
    """
    model = EVENT_MODELS[soort]
    fields: dict[str, tuple[str, frozenset[str]]] = {}
    defaults: dict[str, Any] = {"datum": None, "soort": soort}
    for name, (kind, values) in event_fields(soort).items():
        tri = kind == "keuze" and set(values) == {"ja", "nee", "onbekend"}
        fields[name] = ("tri" if tri else kind, frozenset(values))
        if name != "datum":
            defaults[name] = [] if kind == "lijst" else None
    return model, fields, defaults, ("datum", *_REQUIRED.get(soort, ()))


def _event(data: Any) -> Any:
    if type(data) is not dict:
        raise _Unsupported
    soort = data.get("soort")
    if type(soort) is not str or soort not in EVENT_MODELS or soort == "momentopname":
        raise _Unsupported
    model, fields, defaults, required = _plan(soort)
    for name in required:
        if name not in data:
            raise _Unsupported
    values: dict[str, Any] = defaults.copy()
    for name, value in data.items():
        spec = fields.get(name)
        if spec is None:
            if name == "soort":
                continue
            raise _Unsupported  # an unknown field: pydantic names it, with the nearest spelling
        kind, allowed = spec
        if value is None and kind != "lijst" and name not in required:
            continue
        if kind == "moment":
            values[name] = _moment(value)
        elif kind == "tri":
            tri = _TRI.get(value) if type(value) in (str, bool) else None
            if tri is None:
                raise _Unsupported
            values[name] = tri
        elif kind == "keuze":
            if type(value) is not str or value not in allowed:
                raise _Unsupported
            values[name] = value
        elif kind == "lijst":
            if type(value) is not list or any(type(v) is not str or v not in allowed for v in value):
                raise _Unsupported
            values[name] = list(value)
        elif kind == "termijn":
            if type(value) is not str or not TERMIJN_PATTERN.match(value):
                raise _Unsupported
            values[name] = value
        else:  # hulpvorm, the one text field
            if type(value) is not str or not _HULPVORM.match(value):
                raise _Unsupported
            values[name] = value
    return trusted(model, values, set(data))


def read_dossier(data: Mapping[str, Any]) -> Dossier | None:
    """The dossier, when ``data`` is of the plain shape this reader mirrors; else ``None``."""
    if type(data) is not dict or not data.keys() <= _TOP:
        return None
    events = data.get("gebeurtenissen")
    dossier_id = data.get("dossier_id")
    sector = data.get("sector")
    if type(events) is not list or not events:
        return None
    if dossier_id is not None and (type(dossier_id) is not str or not _ID.match(dossier_id)):
        return None
    if sector is not None and type(sector) is not str:
        return None
    referentie = data.get("referentie")  # as Dossier.referentie: a text of 1 to REFERENTIE_MAX characters
    if referentie is not None and (type(referentie) is not str or not 1 <= len(referentie) <= REFERENTIE_MAX):
        return None
    organisatie = data.get("organisatie")  # as Dossier.organisatie: the same form as dossier_id
    if organisatie is not None and (type(organisatie) is not str or not _ID.match(organisatie)):
        return None
    try:
        built = [_event(e) for e in events]
    except (_Unsupported, ValueError):  # ValueError: a date that does not exist (2026-02-30)
        return None
    values = {
        "dossier_id": dossier_id,
        "referentie": referentie,
        "sector": sector,
        "organisatie": organisatie,
        "sectorfeiten": None,
        "gebeurtenissen": built,
    }
    return trusted(Dossier, values, set(data))
