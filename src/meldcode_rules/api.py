"""The public facade: ``evaluate(case) -> Judgement``. Thin on purpose."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol, get_args

from pydantic import BaseModel, ValidationError

from meldcode_rules import limits
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.case.flat_reader import reader_for
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import (
    CaseError,
    Code,
    Diagnostic,
    RulesetError,
    case_problem,
    nearest,
)
from meldcode_rules.engines import get_engine
from meldcode_rules.judge.combine import judge
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.guard import InputProblem, check_data, decode, loads_json, place
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.messages import os_message, pydantic_message
from meldcode_rules.sectors.registry import RulesetKeuze, case_model_for, choose


def parse_case(data: Case | Mapping[str, Any], source: str = "casus", *, model: type[Case] | None = None) -> Case:
    """Validate case facts; a CaseError names every wrong field (never the values).

    ``model`` is the case model to validate with (a plugin sector's extends
    :class:`Case` with its own facts); default: the model of the case's
    ``sector`` field. Every limit of :mod:`meldcode_rules.limits` is checked
    before pydantic sees the data (docs/limits.md).
    """
    if not isinstance(data, BaseModel | Mapping):
        raise CaseError(
            [case_problem(Code.MV004, "een casus is een object met velden (zie docs/vocabulary.md)", source)], source
        )
    if model is None:
        sector = data.sector if isinstance(data, Case) else data.get("sector")
        model = case_model_for(_sector_name(sector, source)) if sector is not None else Case
    if type(data) is model:
        return data
    raw = data.model_dump(exclude_defaults=True) if isinstance(data, BaseModel) else data
    try:
        check_data(raw, field_names(model))
    except InputProblem as error:
        raise error.case_error(source) from None
    try:
        return model.model_validate(dict(raw))
    except ValidationError as error:
        names = field_names(model)
        found = [_case_problem(e, model, names, source) for e in error.errors()]
        raise CaseError(_capped(found, source), source) from None


def _capped(problems: Sequence[Diagnostic | str], source: str) -> list[Diagnostic | str]:
    """The first MAX_PROBLEMS problems, and how many more there were."""
    if len(problems) <= limits.MAX_PROBLEMS:
        return list(problems)
    rest = len(problems) - limits.MAX_PROBLEMS
    return [*problems[: limits.MAX_PROBLEMS], f"en nog {rest} {'probleem' if rest == 1 else 'problemen'} of meer"]


def _sector_name(sector: object, source: str) -> str:
    if not isinstance(sector, str):
        raise CaseError(["`sector`: een tekst, de naam van een sector (`meldcode-rules sectors` toont ze)"], source)
    return sector


@cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name of ``model`` and its sub-models: the names a message may show."""
    names: set[str] = set()
    todo: list[Any] = [model]
    while todo:
        current = todo.pop()
        for name, info in getattr(current, "model_fields", {}).items():
            if name not in names:
                names.add(name)
                if info.alias:
                    names.add(info.alias)
                sub = _submodel(info.annotation)
                if sub is not None:
                    todo.append(sub)
    return frozenset(names)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _case_problem(
    error: Any, root: type[Case] = Case, names: frozenset[str] = frozenset(), source: str = "casus"
) -> Diagnostic:
    # Field paths show known field names only: an unknown key may be pasted case text.
    names = names or field_names(root)
    loc = _path(tuple(error["loc"]), names)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = error["loc"][:-1]
        model: Any = root
        for part in parent:
            if isinstance(part, str) and hasattr(model, "model_fields") and part in model.model_fields:
                model = _submodel(model.model_fields[part].annotation) or model.model_fields[part].annotation
        options = list(getattr(model, "model_fields", {}))
        key = error["loc"][-1]
        hint = nearest(key, options) if isinstance(key, str) and len(key) <= 64 else None
        return case_problem(Code.MV010, "onbekend veld", source, _path(tuple(parent), names), hint)
    # The value itself is never repeated: case data is sensitive.
    code = Code.MV011 if kind in ("enum", "literal_error") else Code.MV012
    return case_problem(code, pydantic_message(error), source, loc)


def _path(loc: tuple[Any, ...], names: frozenset[str]) -> str:
    shown = place(loc, names)
    return shown.strip("`") if shown.startswith("`") else ""


def read_case_file(path: Path, sector: str | None = None) -> Case:
    """Read a case file (YAML or JSON, one object), validated for ``sector`` (default: its own)."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.MAX_CASE_BYTES + 1)
    except OSError as error:
        raise CaseError(
            [case_problem(Code.MV001, f"kan het bestand niet lezen: {os_message(error)}", source)], source
        ) from None
    return read_case_bytes(raw, source, as_json=path.suffix == ".json", sector=sector)


def read_case_bytes(raw: bytes, source: str = "casus", *, as_json: bool = False, sector: str | None = None) -> Case:
    """Read a case from bytes (a file, standard input): UTF-8, bounded, then as text."""
    try:
        text = decode(raw)
    except InputProblem as error:
        raise error.case_error(source) from None
    return read_case_text(text, source, as_json=as_json, sector=sector)


def read_case_text(text: str, source: str = "casus", *, as_json: bool = False, sector: str | None = None) -> Case:
    """Read a case from text: JSON when ``as_json``, otherwise YAML (which also reads JSON)."""
    try:
        data = loads_json(text) if as_json else read_yaml(text, source, case=True)[0]
    except InputProblem as error:
        raise error.case_error(source) from None
    except RulesetError as error:
        raise CaseError(error.diagnostics, source) from None
    if not isinstance(data, dict):
        raise CaseError(["een casus is een YAML- of JSON-object met velden"], source)
    if sector is None and data.get("sector") is not None:
        sector = _sector_name(data.get("sector"), source)
    model = case_model_for(sector) if sector is not None else Case
    return parse_case(_dates_as_text(data), source, model=model)


def read_case_json(text: str, source: str = "casus") -> Any:
    """One case from JSON text as checked data (for ``batch``): duplicate keys and limits refused."""
    try:
        data = loads_json(text)
        check_data(data, field_names(Case))
    except InputProblem as error:
        raise error.case_error(source) from None
    return data


def _dates_as_text(data: Any) -> Any:
    if isinstance(data, dict):
        # Keeps the mark of a duplicate key (loader and guard refuse it after this).
        out = {k: _dates_as_text(v) for k, v in data.items()}
        if hasattr(data, "duplicates"):
            out = type(data)(out)
            out.duplicates = data.duplicates  # type: ignore[attr-defined]
        return out
    if isinstance(data, list):
        return [_dates_as_text(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _datum_of(case: Case | Mapping[str, Any], sector: str | None) -> dt.date | None:
    """The case's ``datum``, as the case model reads it (None: absent, so today)."""
    raw = case.datum if isinstance(case, Case) else case.get("datum") if isinstance(case, Mapping) else None
    if raw is None or type(raw) is dt.date:
        return raw
    if isinstance(raw, str) and _ISO_DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    # anything else is validated in full (and a wrong datum reported as such)
    return parse_case(case, model=case_model_for(sector)).datum


def evaluate(
    case: Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    versie: str | None = None,
    records: RecordSink | None = None,
) -> Judgement:
    """Judge one case under the meldcode of ``sector`` (default: the case's own sector).

    ``engine`` is ``"durable"`` (the default where it is installed) or
    ``"reference"``. ``ruleset`` overrides the built-in rulesets (for checks
    and tests of edited rulesets); :class:`~meldcode_rules.sectors.registry.Versies` (the
    versions under ``--ruleset`` paths) lets the case's date choose among them. The rulesets
    are the versions in force on the case's
    ``datum`` (default: today); ``versie`` pins a version of the sector's own ruleset (or
    of the basismodel). A ``datum`` before every version is a CaseError (MV020), never a
    judgement by the newest. Errors are raised, never turned into a
    default judgement: in this domain a default can be the wrong answer.
    ``records`` (a :class:`meldcode_rules.records.RecordWriter`) writes a decision
    record of the judgement (never its facts); the judgement then carries its ``oordeel_id``.
    """
    oordeel, flat = judge_facts(case, sector, engine, ruleset=ruleset, versie=versie)
    return oordeel if records is None else records.record(oordeel, flat)


class RecordSink(Protocol):
    """Where decision records go (:mod:`meldcode_rules.records`)."""

    def record(self, oordeel: Judgement, flat: dict[str, Any]) -> Judgement: ...

    def record_dossier(self, oordeel: Judgement, dossier: Dossier, soort: str) -> Judgement:
        """A judgement as of a peildatum: of a dossier, or of a case (``soort``) as its dossier of one moment."""
        ...


def judge_facts(
    case: Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: RulesetKeuze = None,
    versie: str | None = None,
) -> tuple[Judgement, dict[str, Any]]:
    """:func:`evaluate`, and the flat facts the engine judged (for a decision record's input hash)."""
    if sector is not None and not isinstance(sector, str):
        raise CaseError(["`sector`: een tekst, de naam van een sector (`meldcode-rules sectors` toont ze)"])
    if engine is not None and not isinstance(engine, str):
        raise CaseError(["`engine`: `durable` of `reference`"])
    if sector is None:
        sector = case.sector if isinstance(case, Case) else case.get("sector") if isinstance(case, Mapping) else None
        # Not a text (pydantic would read b"onderwijs" as a text after the basismodel was chosen):
        sector = None if sector is None else _sector_name(sector, "casus")
    # The version depends on the case's datum, and the facts on the version (its time rules
    # add `tijd.` facts): the datum is read first, cheaply when it is plain ISO text. A fixed
    # compiled ruleset needs no datum (and a pinned `versie` beside it is refused by `choose`).
    datum = None if isinstance(ruleset, CompiledRuleset) else _datum_of(case, sector)
    compiled = choose(ruleset, sector, datum, versie)
    # Plain JSON-shaped dicts are read straight into flat facts; whatever that reader
    # declines (including every invalid case) is validated by pydantic, as the contract.
    read = reader_for(compiled.catalog).read(case)
    if read is None:
        facts = parse_case(case, model=compiled.catalog.model)
        flat, datum, referentie = compiled.catalog.flatten(facts), facts.datum, facts.referentie
    else:
        (flat, datum), referentie = read, case.get("referentie")  # type: ignore[union-attr]
    if datum is not None and not limits.MIN_DATUM <= datum <= limits.MAX_DATUM:
        # Beyond these every deadline would not be a date: refused, never a lost action.
        raise CaseError([f"`datum`: buiten het bereik {limits.MIN_DATUM} tot en met {limits.MAX_DATUM}"])
    runner = get_engine(engine)
    fired = runner.fire(compiled, flat)
    # The referentie is passed through untouched: the caller's own key for this judgement, never a fact.
    oordeel = judge(compiled, flat, fired, datum=datum or dt.date.today(), engine=runner.name, referentie=referentie)
    return oordeel, flat
