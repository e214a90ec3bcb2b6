"""A shortcut for plain JSON-shaped dossiers: read them without pydantic's per-event cost.

Like :mod:`meldcode_rules.case.flat_reader` for case files: it accepts a strict subset of
what the :class:`~meldcode_rules.case.dossier.Dossier` model accepts (strings, booleans,
nulls and lists of strings, dates as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]`` without a
zone) and declines (returns ``None``) everything else, including every invalid dossier, so
every error still comes from pydantic. What it accepts it builds into the same models, with
the same values: ``tests/test_dossier.py`` checks that over generated dossiers.

The events are read in two steps. First msgspec converts them (in C) into Structs
generated from the event models (:func:`_structs`, from ``event_fields``: one definition
of the fields); it accepts a strict subset again. Whatever it refuses, the per-event
Python reader (:func:`_event`) reads or declines. :func:`read_light` stops after the first
step: the envelope and each event's fields as a model's ``__dict__`` holds them, for
judging (:mod:`meldcode_rules.dossier.derive` reads only those), without building a model
per event, which costs more than the rest of reading.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, Union

import msgspec

from meldcode_rules.caches import lru
from meldcode_rules.case.dossier import (
    CODE_PATTERN,
    EIGEN_GEBEURTENIS,
    EVENT_MODELS,
    SOORTEN,
    Dossier,
    event_fields,
    required_fields,
    trusted,
)
from meldcode_rules.case.model import REFERENTIE_MAX, Tri
from meldcode_rules.load.ruleset import TERMIJN_PATTERN

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)
_DATETIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?\Z", re.ASCII)
# `\Z`, not `$` (which also matches before a final newline): as pydantic, which refuses "x\n"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z")  # as Dossier.dossier_id
_CODE = re.compile(CODE_PATTERN.removesuffix("$") + r"\Z")  # hulpvorm, actie
_TRI = {"ja": Tri.ja, "nee": Tri.nee, "onbekend": Tri.onbekend, True: Tri.ja, False: Tri.nee}
_TOP = frozenset(("dossier_id", "referentie", "sector", "organisatie", "gebeurtenissen"))


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
    return model, fields, defaults, ("datum", *required_fields(soort))


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
            if type(value) is not str or not TERMIJN_PATTERN.fullmatch(value):
                raise _Unsupported
            values[name] = value
        else:  # a code (hulpvorm, actie), the only text
            if type(value) is not str or not _CODE.match(value) or (name == "actie" and value in EIGEN_GEBEURTENIS):
                raise _Unsupported  # pydantic names the event an action with its own is recorded by
            values[name] = value
    return trusted(model, values, set(data))


# ---------------------------------------------------------------- the events, in C

# The events are first converted by msgspec (C) into Structs generated from the event models:
# one pass that checks every type, choice and pattern. It accepts a strict subset of what
# _event() accepts (no JSON booleans for ja/nee, no date objects): whatever it refuses,
# _event() reads, or declines to pydantic. Dates come through as text and are read by the
# same cached _moment_of, since msgspec has no `date | datetime`.


@cache
def _structs(days: bool = False) -> Any:
    """A list of the tagged union of one Struct per event kind (but the momentopname), from event_fields().

    ``days``: every moment is a day (``YYYY-MM-DD``, which msgspec reads as pydantic does, and
    refuses otherwise), read in C; else a moment is text, read by :func:`_moment_of` (a
    date-time, or a day where another event has a date-time).
    """
    members = []
    for soort in SOORTEN:
        if soort == "momentopname":
            continue
        required = ("datum", *required_fields(soort))
        fields: list[tuple[Any, ...]] = []
        for name, (kind, allowed) in event_fields(soort).items():
            typ: Any
            if kind == "moment":
                typ = dt.date if days else str
            elif kind == "keuze" and set(allowed) == {"ja", "nee", "onbekend"}:
                typ = Tri
            elif kind == "keuze":
                typ = Literal[allowed]
            elif kind == "lijst":
                fields.append((name, list[Literal[allowed]], msgspec.field(default_factory=list)))  # type: ignore[valid-type]
                continue
            elif kind == "termijn":
                typ = _pattern(TERMIJN_PATTERN.pattern)
            else:  # a code (hulpvorm, actie), the only text
                typ = _pattern(_CODE.pattern)
            fields.append((name, typ) if name in required else (name, typ | None, None))
        members.append(
            msgspec.defstruct(
                f"_{soort}{'_dagen' if days else ''}",
                fields,
                tag_field="soort",
                tag=soort,
                forbid_unknown_fields=True,
                kw_only=True,
            )
        )
    # Wrapped in a Struct: msgspec keeps a Struct's type information, where it would read a
    # bare `list[...]` type anew on every call (a fixed cost larger than converting ten events).
    events = list[Union[tuple(members)]]  # type: ignore[misc,valid-type]  # noqa: UP007
    return msgspec.defstruct("_Gebeurtenissen", [("gebeurtenissen", events)])


def _pattern(pattern: str) -> Any:
    # msgspec searches for a pattern where re.match anchors it at the start, as _event() does.
    anchored = pattern if pattern.startswith("^") else f"^(?:{pattern})"
    if anchored.endswith("$") and not anchored.endswith("\\$"):
        anchored = anchored[:-1] + "\\Z"  # the end of the text, as pydantic reads `$`
    return Annotated[str, msgspec.Meta(pattern=anchored)]


@cache
def _moment_fields(soort: str) -> tuple[str, ...]:
    """The moments of an event kind, ``datum`` first."""
    return ("datum", *(name for name, (kind, _) in event_fields(soort).items() if kind == "moment" and name != "datum"))


def _waarden(events: list[Any]) -> list[dict[str, Any]] | None:
    """Each event's fields (as a model's ``__dict__`` holds them), via msgspec; ``None`` when it refuses one."""
    for event in events:
        if type(event) is not dict:
            return None
    wrapped = {"gebeurtenissen": events}
    try:
        # Most dossiers give days only: msgspec reads them as days, and no moment is left to read here.
        structs = msgspec.convert(wrapped, _structs(days=True)).gebeurtenissen
        moment_fields = None
    except msgspec.ValidationError:
        # a date-time, or an event msgspec refuses: the moments as text, read below
        try:
            structs = msgspec.convert(wrapped, _structs()).gebeurtenissen
        except msgspec.ValidationError:
            return None
        moment_fields = _moment_fields_per_soort()
    asdict = msgspec.structs.asdict
    moment_of = _moment_of
    out = []
    for raw, struct in zip(events, structs, strict=True):
        values = asdict(struct)
        soort = values["soort"] = raw["soort"]
        if soort == "actie_uitgevoerd" and values["actie"] in EIGEN_GEBEURTENIS:
            return None  # pydantic names the event an action with its own is recorded by
        if moment_fields is not None:
            # msgspec checked these are texts; _moment_of reads them (None: not a date)
            for name in moment_fields[soort]:
                text = values[name]
                if text is not None:
                    moment = moment_of(text)
                    if moment is None:
                        return None
                    values[name] = moment
        out.append(values)
    return out


@cache
def _moment_fields_per_soort() -> dict[str, tuple[str, ...]]:
    """:func:`_moment_fields` of every kind, as one dict: looked up for every event read."""
    return {soort: _moment_fields(soort) for soort in SOORTEN}


class Gelezen:
    """A dossier read for judging only: its envelope and each event's fields, without the models.

    What :func:`read_light` gives when the dossier is one :func:`read_dossier` would build:
    the same values, and judged alike (derive and the clocks read an event's fields, never its
    model). :meth:`dossier` builds the models when something asks for them.
    """

    __slots__ = ("data", "dossier_id", "gebeurtenissen", "organisatie", "referentie", "sector", "sectorfeiten")

    def __init__(self, data: dict[str, Any], gebeurtenissen: list[dict[str, Any]]) -> None:
        self.data = data
        self.dossier_id: str | None = data.get("dossier_id")
        self.referentie: str | None = data.get("referentie")
        self.sector: str | None = data.get("sector")
        self.organisatie: str | None = data.get("organisatie")
        self.sectorfeiten = None
        self.gebeurtenissen = gebeurtenissen

    def dossier(self) -> Dossier:
        read = read_dossier(self.data)
        assert read is not None  # read_light accepted it: so does read_dossier
        return read


def _plain_top(data: Mapping[str, Any]) -> list[Any] | None:
    """The events, when the envelope is of the plain shape this reader mirrors; else ``None``."""
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
    return events


def read_light(data: Mapping[str, Any]) -> Gelezen | None:
    """The dossier's envelope and event fields, when msgspec reads every event; else ``None``.

    Judging from these skips building an event model per event (most of reading a dossier).
    """
    events = _plain_top(data)
    if events is None:
        return None
    try:
        waarden = _waarden(events)
    except (_Unsupported, ValueError):  # ValueError: a date that does not exist (2026-02-30)
        return None
    if waarden is None:
        return None
    return Gelezen(data, waarden)  # type: ignore[arg-type]  # _plain_top checked it is a dict


def read_dossier(data: Mapping[str, Any]) -> Dossier | None:
    """The dossier, when ``data`` is of the plain shape this reader mirrors; else ``None``."""
    events = _plain_top(data)
    if events is None:
        return None
    try:
        waarden = _waarden(events)
        if waarden is not None:
            built = [trusted(_plan(v["soort"])[0], _ordered(v), set(e)) for v, e in zip(waarden, events, strict=True)]
        else:
            built = [_event(e) for e in events]
    except (_Unsupported, ValueError):  # ValueError: a date that does not exist (2026-02-30)
        return None
    values = {
        "dossier_id": data.get("dossier_id"),
        "referentie": data.get("referentie"),
        "sector": data.get("sector"),
        "organisatie": data.get("organisatie"),
        "sectorfeiten": None,
        "gebeurtenissen": built,
    }
    return trusted(Dossier, values, set(data))


def _ordered(values: dict[str, Any]) -> dict[str, Any]:
    # the order of the model's fields (datum, soort, then the rest), as pydantic builds them
    ordered = _plan(values["soort"])[2].copy()
    ordered.update(values)
    return ordered
