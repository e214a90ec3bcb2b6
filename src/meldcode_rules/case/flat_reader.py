"""Stage 2, shortcut: a plain case dict straight to the flat facts the engines take.

Validating a dict into a :class:`~meldcode_rules.case.Case` and then flattening
it costs more than judging the case. Case systems mostly send plain JSON:
strings, booleans, nulls and lists of strings. For exactly that shape this
reader goes from the dict to the flat facts in one pass, and it accepts a
strict *subset* of what pydantic accepts: anything else (an unknown field, a
value of another type, a text it does not know, a model with validators of
its own) makes it decline by returning ``None``, and the caller validates
with pydantic as before. So pydantic stays the one authority on what a case
is and on every error message; this reader never rejects a case and never
accepts one pydantic would refuse. ``tests/test_flat_reader.py`` checks that
over generated dicts, valid and invalid: whenever the reader answers,
pydantic accepts the same dict and flattens it to the same facts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import types
import typing
from functools import cache
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel, ValidationError

from meldcode_rules.case.facts import GEEN, TRI_VALUES, FactCatalog
from meldcode_rules.case.model import Case, Tri, TriState

#: The model settings under which pydantic accepts what this reader accepts.
_PLAIN_CONFIG = {"extra", "frozen", "title"}
#: The ISO form pydantic reads as a date, in ASCII digits (``\d`` also matches other
#: scripts' digits); other texts are left to pydantic.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NONE = type(None)

# What a tri-state field accepts, as text: the answer itself or, through
# ``TriState``'s before-validator, a JSON boolean or null.
_TRI_TEXT: dict[Any, str] = {value: value for value in TRI_VALUES}
_TRI_JSON: dict[Any, str] = {**_TRI_TEXT, True: "ja", False: "nee", None: "onbekend"}
# Checked by exact type before the lookup: 1 == True, and 1 is not an answer.
_TRI_TEXT_TYPES = frozenset({str, Tri})
_TRI_JSON_TYPES = frozenset({str, Tri, bool, _NONE})
_TRI_BEFORE = typing.get_args(TriState)[1]
_DATUM_BEFORE = Case.model_fields["datum"].metadata[0]


#: A case as the engines see it, read without building the model: (flat facts, datum).
#: A plain tuple: a named one costs more to make than reading a small case.
FlatCase = tuple[dict[str, Any], dt.date | None]


class _Unsupported(Exception):
    """A model or field this reader does not mirror exactly: pydantic handles it."""


# Field kinds. A field is a tuple whose first item is its kind:
#   (_TRI, flat key, {accepted value: text}, accepted types)
#   (_KEUZE, flat key, accepted values)
#   (_LIJST, {accepted value: flat key of that option})
#   (_MODEL, {field name: field} of the sub-model)
#   (_TEKST, min, max)  an optional text that is no fact (sector, referentie), its length bounds
#   (_DATUM,)  the date of the assessment
_TRI, _KEUZE, _LIJST, _MODEL, _TEKST, _DATUM = range(6)
_Field = tuple[Any, ...]


class FlatReader:
    """Reads plain case dicts of one case model into flat facts, or declines."""

    def __init__(self, catalog: FactCatalog) -> None:
        self._catalog = catalog
        self._top_defaults: dict[str, Any] = {}
        try:
            self._top_defaults = catalog.flatten(catalog.model.model_validate({}))
            self._root: dict[str, _Field] | None = self._node(catalog.model, "")
        except (_Unsupported, ValidationError):
            self._root = None  # this model is left to pydantic entirely
        self._dates: dict[str, dt.date | None] = {}

    @property
    def supported(self) -> bool:
        """Whether this reader reads anything at all for its model."""
        return self._root is not None

    def read(self, data: object) -> FlatCase | None:
        """The flat facts of ``data``, or None: then validate it with pydantic."""
        if self._root is None or type(data) is not dict:
            return None
        flat = self._top_defaults.copy()
        datum = _read_into(self._root, data, flat, self._date)
        if datum is _DECLINED:
            return None
        return flat, datum

    def _date(self, value: Any) -> Any:
        if value is None or type(value) is dt.date:
            return value
        if type(value) is not str:
            return _DECLINED
        # Dates repeat (a case system sends today's date all day): parsed once each.
        datum = self._dates.get(value, _DECLINED)
        if datum is _DECLINED:
            datum = None
            if _ISO_DATE.match(value):
                with contextlib.suppress(ValueError):
                    datum = dt.date.fromisoformat(value)
            if len(self._dates) < _DATES_LIMIT:
                self._dates[value] = datum
        return _DECLINED if datum is None else datum

    def _node(self, model: type[BaseModel], prefix: str) -> dict[str, _Field]:
        _require_plain_model(model)
        fields: dict[str, _Field] = {}
        for name, info in model.model_fields.items():
            if info.alias is not None or info.validation_alias is not None:
                raise _Unsupported(f"{prefix}{name}: alias")
            fields[name] = self._field(name, info, prefix)
        return fields

    def _field(self, name: str, info: Any, prefix: str) -> _Field:
        path = f"{prefix}{name}"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _require_default(info, annotation)
            return (_MODEL, self._node(annotation, f"{path}."))
        if path in self._catalog:
            return self._fact(path, annotation, info)
        if info.default is not None or info.default_factory is not None:
            raise _Unsupported(path)
        if annotation == str | None:
            return (_TEKST, *_text_bounds(path, info.metadata))
        if prefix == "" and name == "datum" and annotation == dt.date | None and info.metadata == [_DATUM_BEFORE]:
            return (_DATUM,)  # the reader takes only ISO dates too (``_ISO_DATE``)
        raise _Unsupported(path)

    def _fact(self, path: str, annotation: Any, info: Any) -> _Field:
        spec = self._catalog[path]
        if spec.kind == "tri":
            if info.default_factory is not None or not isinstance(info.default, Tri):
                raise _Unsupported(path)
            if info.metadata == [] and annotation is Tri:
                return (_TRI, spec.key(), _TRI_TEXT, _TRI_TEXT_TYPES)
            if info.metadata == [_TRI_BEFORE] and annotation is Tri:
                return (_TRI, spec.key(), _TRI_JSON, _TRI_JSON_TYPES)
            raise _Unsupported(path)
        if info.metadata:
            raise _Unsupported(path)
        if spec.kind == "keuze":
            values = _str_literal(_optional(annotation))
            if values is None or info.default is not None or info.default_factory is not None:
                raise _Unsupported(path)
            return (_KEUZE, spec.key(), frozenset(values))
        origin = typing.get_origin(annotation)
        values = _str_literal(typing.get_args(annotation)[0]) if origin is list else None
        if values is None or info.default_factory is not list:
            raise _Unsupported(path)
        return (_LIJST, {v: spec.key(v) for v in spec.values})


#: Returned where the reader declines (``None`` is a valid date: none given).
_DECLINED: Any = object()
_DATES_LIMIT = 10_000


def _read_into(fields: dict[str, _Field], data: dict[Any, Any], flat: dict[str, Any], date: Any) -> Any:
    """Put ``data`` into ``flat``; the date found, or ``_DECLINED`` for pydantic to judge.

    Written as one loop with the kinds inline: it runs for every field of every case.
    """
    datum = None
    for name, value in data.items():
        field = fields.get(name)
        if field is None:
            return _DECLINED
        kind = field[0]
        if kind is _TRI:
            if type(value) not in field[3]:
                return _DECLINED
            text = field[2].get(value)
            if text is None:
                return _DECLINED
            flat[field[1]] = text
        elif kind is _MODEL:
            if type(value) is not dict:
                return _DECLINED
            # ``flat`` starts as the defaults of the whole case, and a sub-model left out
            # is its own defaults (``_require_default``): only given fields change it.
            if _read_into(field[1], value, flat, None) is _DECLINED:
                return _DECLINED
        elif kind is _LIJST:
            if type(value) is not list:
                return _DECLINED
            # Every option is False in the defaults; the chosen ones become True.
            for item in value:
                if type(item) is not str:
                    return _DECLINED
                option_key = field[1].get(item)
                if option_key is None:
                    return _DECLINED
                flat[option_key] = True
        elif kind is _KEUZE:
            if value is None:
                flat[field[1]] = GEEN
            elif type(value) is str and value in field[2]:
                flat[field[1]] = value
            else:
                return _DECLINED
        elif kind is _TEKST:
            if value is not None and (type(value) is not str or not field[1] <= len(value) <= field[2]):
                return _DECLINED
        elif date is not None:  # _DATUM, at the top level
            datum = date(value)
            if datum is _DECLINED:
                return _DECLINED
        else:
            return _DECLINED
    return datum


def _text_bounds(path: str, metadata: list[Any]) -> tuple[int, float]:
    """The length bounds of a text field; any other constraint is left to pydantic."""
    low, high = 0, float("inf")
    for item in metadata:
        if isinstance(item, annotated_types.MinLen):
            low = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            high = item.max_length
        else:
            raise _Unsupported(path)
    return low, high


def _require_plain_model(model: type[BaseModel]) -> None:
    """Refuse models whose validation does more than their field types say."""
    config = model.model_config
    if not set(config) <= _PLAIN_CONFIG or config.get("extra") != "forbid":
        raise _Unsupported(f"{model.__name__}: model_config")
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or decorators.model_validators
        or model.__pydantic_post_init__ is not None
    ):
        raise _Unsupported(f"{model.__name__}: validators")


def _require_default(info: Any, annotation: type[BaseModel]) -> None:
    # A sub-model left out must be that model's own defaults, which the reader knows.
    if info.default_factory is not annotation:
        raise _Unsupported(annotation.__name__)


def _optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        # A union has two or more members, so a single other one means ``X | None``.
        options = [a for a in typing.get_args(annotation) if a is not _NONE]
        if len(options) == 1:
            return options[0]
    return None


def _str_literal(annotation: Any) -> tuple[str, ...] | None:
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        if all(type(v) is str for v in values):
            return values
    return None


@cache
def reader_for(catalog: FactCatalog) -> FlatReader:
    """The reader for a catalog's case model (built once per catalog)."""
    return FlatReader(catalog)
