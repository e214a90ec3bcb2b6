"""Dossiers: a case over time, judged as of a date (``peildatum``).

Public API::

    from meldcode_rules.dossier import Dossier, parse_dossier, evaluate
    oordeel = evaluate({"gebeurtenissen": [...]}, op=dt.date(2026, 3, 1))

A plain case file is a dossier of one moment: :func:`parse_dossier` accepts it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from meldcode_rules import limits
from meldcode_rules.api import RecordSink, _capped, _dates_as_text, field_names, parse_case, read_case_text
from meldcode_rules.api import evaluate as evaluate_case
from meldcode_rules.case.dossier import EVENT_MODELS, SOORTEN, Dossier, dossier_of_case
from meldcode_rules.case.model import Case
from meldcode_rules.diagnostics import CaseError, RulesetError, nearest
from meldcode_rules.dossier.oordeel import evaluate_dossier
from meldcode_rules.dossier.reader import read_dossier, read_light
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.guard import InputProblem, check_data, decode, loads_json, place_part
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.messages import MOMENT_BESTAAT_NIET, MOMENT_ERRORS, MOMENT_MEMBERS, os_message
from meldcode_rules.sectors.registry import RulesetKeuze

__all__ = ["Dossier", "evaluate", "is_dossier", "parse_dossier", "read_input_file", "read_input_text"]


def is_dossier(data: object) -> bool:
    """A dossier (model, or a mapping with ``gebeurtenissen``) rather than a plain case."""
    return isinstance(data, Dossier) or (isinstance(data, Mapping) and "gebeurtenissen" in data)


def parse_dossier(
    data: Dossier | Case | Mapping[str, Any], source: str = "dossier", *, datum: dt.date | None = None
) -> Dossier:
    """Validate a dossier; a plain case becomes a dossier of one moment (on its ``datum``).

    A :class:`CaseError` names every wrong field, with the nearest valid spelling of an
    unknown event kind or field, and never a value.
    """
    if isinstance(data, Dossier):
        return data
    if isinstance(data, Case) or (isinstance(data, Mapping) and "gebeurtenissen" not in data):
        return dossier_of_case(parse_case(data, source), datum)
    if not isinstance(data, Mapping):
        raise CaseError(["een dossier is een object met `gebeurtenissen` (zie docs/vocabulary.md)"], source)
    # Plain JSON-shaped dossiers are read without pydantic's per-event cost; whatever the
    # reader declines (every invalid dossier among it) is validated by pydantic.
    read = read_dossier(data)
    if read is not None:
        return read
    try:
        return Dossier.model_validate(dict(data))
    except ValidationError as error:
        # the two members of a moment's union give one problem, said once
        problems = list(dict.fromkeys(_problem(e, data) for e in error.errors()))
        raise CaseError(_capped(problems, source), source) from None


@cache
def _names() -> frozenset[str]:
    """The field names a message about a dossier may show: the dossier's, every event's and a case's."""
    events = {name for model in EVENT_MODELS.values() for name in model.model_fields}
    return field_names(Dossier) | field_names(Case) | events


def _problem(error: Any, data: Mapping[str, Any]) -> str:
    loc = error["loc"]
    names = _names()
    # Events are numbered from 1, as in the timeline; the union tag is not part of the path.
    # Known field names and indexes only: an unknown key may be pasted case text (as for a case).
    parts = [
        str(p + 1) if i == 1 and loc[0] == "gebeurtenissen" and isinstance(p, int) else place_part(p, names)
        for i, p in enumerate(loc)
        if not (i == 2 and loc[0] == "gebeurtenissen" and p in SOORTEN)
        # nor the member of a moment's union (`date | datetime`) that pydantic tried
        and not (i > 0 and p in MOMENT_MEMBERS and error["type"] in MOMENT_ERRORS)
    ]
    where = ".".join(parts)
    kind = error["type"]
    if kind in MOMENT_ERRORS:
        # One message for both members of the union: the day (or the hour) does not exist.
        return f"`{where}`: {MOMENT_BESTAAT_NIET}"
    if kind == "soort":
        given = _event(data, loc)
        soort = given.get("soort") if isinstance(given, Mapping) else None
        hint = nearest(soort, SOORTEN) if isinstance(soort, str) else None
        return f"`{where}.soort`: onbekende of ontbrekende soort gebeurtenis" + (
            f" (bedoelde u `{hint}`?)" if hint else f"; toegestaan: {', '.join(SOORTEN)}"
        )
    if kind == "extra_forbidden":
        if loc[0] == "gebeurtenissen" and len(loc) >= 4 and loc[2] in EVENT_MODELS:
            options: list[str] = list(EVENT_MODELS[str(loc[2])].model_fields)
        else:
            options = list(Dossier.model_fields)
        key = loc[-1]
        hint = nearest(key, options) if isinstance(key, str) and len(key) <= 64 else None
        return f"`{where}`: onbekend veld" + (f" (bedoelde u `{hint}`?)" if hint else "")
    if kind in ("enum", "literal_error"):
        return f"`{where}`: ongeldige waarde; toegestaan: {error.get('ctx', {}).get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"`{where}`: ongeldige vorm"
    # pydantic's message for dates and types names no value; it is safe to show.
    return f"`{where}`: {error['msg']}"


def _event(data: Mapping[str, Any], loc: tuple[Any, ...]) -> Any:
    events = data.get("gebeurtenissen")
    if isinstance(events, list) and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(events):
        return events[loc[1]]
    return None


def evaluate(
    case: Dossier | Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    op: dt.date | None = None,
    versie: str | None = None,
    records: RecordSink | None = None,
) -> Judgement:
    """Judge a case or a dossier; the public ``meldcode_rules.evaluate``.

    A plain case without ``op`` is judged as :func:`meldcode_rules.api.evaluate` judges it
    (the same judgement, the same speed). A dossier (a :class:`Dossier`, or a mapping with
    ``gebeurtenissen``) is judged as of ``op`` (default today); so is a plain case when ``op``
    is given, as a dossier of one moment: its deadlines count from its ``datum`` and say
    whether they are overdue on ``op``. The rulesets are the versions in force on the case's
    ``datum`` (a dossier: on ``op``), or ``versie`` pinned (docs/ruleset-format.md).
    ``records`` writes a decision record of either (never a fact or an event); a judgement as
    of a peildatum records the peildatum, the kind of input and per action ``verlopen``.
    """
    if op is None and not is_dossier(case):
        return evaluate_case(case, sector, engine, ruleset=ruleset, versie=versie, records=records)  # type: ignore[arg-type]
    if records is None and type(case) is dict and "gebeurtenissen" in case:
        # Judged from the events' fields, without a model per event: the same judgement.
        # What the light read declines (any invalid dossier among it) takes the path below.
        gelezen = read_light(case)
        if gelezen is not None:
            return evaluate_dossier(gelezen, sector, engine, ruleset=ruleset, op=op, versie=versie)
    oordeel, parsed = judge_input(case, sector, engine, ruleset=ruleset, op=op, versie=versie)
    if records is None:
        return oordeel
    # the record of a judgement as of a peildatum: hashed over the whole dossier, never stored
    return records.record_dossier(oordeel, parsed, "dossier" if is_dossier(case) else "casus")


def judge_input(
    case: Dossier | Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    op: dt.date | None = None,
    versie: str | None = None,
) -> tuple[Judgement, Dossier]:
    """:func:`evaluate` as of ``op`` (also for a plain case), and the dossier it judged."""
    parsed = parse_dossier(case, datum=op)
    first = parsed.gebeurtenissen[0]
    if not is_dossier(case) and op is not None and first.datum > op:
        # A plain case has no events to name: its own `datum` lies after the peildatum.
        raise CaseError(["`datum`: ligt na de peildatum"], "casus")
    return evaluate_dossier(parsed, sector, engine, ruleset=ruleset, op=op, versie=versie), parsed


def read_input_file(path: Path, sector: str | None = None) -> Case | Dossier:
    """Read a case file or a dossier file (YAML or JSON): a dossier when it has ``gebeurtenissen``."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.MAX_CASE_BYTES + 1)  # bounded (docs/limits.md)
    except OSError as error:
        raise CaseError([f"kan het bestand niet lezen: {os_message(error)}"], source) from None
    return read_input_bytes(raw, source, as_json=path.suffix == ".json", sector=sector)


def read_input_bytes(
    raw: bytes, source: str = "invoer", *, as_json: bool = False, sector: str | None = None
) -> Case | Dossier:
    """A case or a dossier from bytes (a file, standard input): UTF-8, bounded, then as text."""
    try:
        text = decode(raw)
    except InputProblem as error:
        raise error.case_error(source) from None
    return read_input_text(text, source, as_json=as_json, sector=sector)


def read_input_text(
    text: str, source: str = "invoer", *, as_json: bool = False, sector: str | None = None
) -> Case | Dossier:
    """A case or a dossier from text (JSON when ``as_json``, else YAML, which also reads JSON)."""
    if "gebeurtenissen" not in text:
        return read_case_text(text, source, as_json=as_json, sector=sector)
    try:
        # Duplicate keys, sizes, depth and long numbers refused as for a case (docs/limits.md).
        data = loads_json(text) if as_json else read_yaml(text, source, case=True)[0]
        if isinstance(data, dict) and "gebeurtenissen" in data:
            check_data(data, field_names(Case) | {"gebeurtenissen", "feiten"})
    except InputProblem as error:
        raise error.case_error(source) from None
    except RulesetError as error:
        raise CaseError([d.render() for d in error.diagnostics], source) from None
    if not isinstance(data, dict) or "gebeurtenissen" not in data:
        return read_case_text(text, source, as_json=as_json, sector=sector)
    data = _dates_as_text(data)
    if sector is not None:
        data["sector"] = sector
    return parse_dossier(data, source)
