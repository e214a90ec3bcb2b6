"""The public facade: ``evaluate(case) -> Judgement``. Thin on purpose."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from meldcode_rules.case.flat_reader import reader_for
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import (
    CaseError,
    Code,
    Diagnostic,
    MeldcodeError,
    RulesetError,
    case_problem,
    nearest,
)
from meldcode_rules.engines import get_engine
from meldcode_rules.judge.combine import judge
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.messages import os_message, pydantic_message
from meldcode_rules.sectors.registry import case_model_for, compiled_for


def parse_case(data: Case | Mapping[str, Any], source: str = "casus", *, model: type[Case] | None = None) -> Case:
    """Validate case facts; a CaseError names every wrong field (never the values).

    ``model`` is the case model to validate with (a plugin sector's extends
    :class:`Case` with its own facts); default: the model of the case's
    ``sector`` field.
    """
    if not isinstance(data, BaseModel | Mapping):
        raise CaseError(
            [case_problem(Code.MV004, "een casus is een object met velden (zie docs/vocabulary.md)", source)], source
        )
    if model is None:
        sector = data.sector if isinstance(data, Case) else data.get("sector")
        model = case_model_for(sector) if isinstance(sector, str) else Case
    if type(data) is model:
        return data  # type: ignore[return-value]
    raw = data.model_dump(exclude_defaults=True) if isinstance(data, BaseModel) else dict(data)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise CaseError([_case_problem(e, model, source) for e in error.errors()], source) from None


def _case_problem(error: Any, root: type[Case] = Case, source: str = "casus") -> Diagnostic:
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = error["loc"][:-1]
        model: Any = root
        for part in parent:
            if isinstance(part, str) and hasattr(model, "model_fields") and part in model.model_fields:
                model = model.model_fields[part].annotation
        options = list(getattr(model, "model_fields", {}))
        hint = nearest(str(error["loc"][-1]), options)
        return case_problem(Code.MV010, "onbekend veld", source, loc, hint)
    # The value itself is never repeated: case data is sensitive.
    code = Code.MV011 if kind in ("enum", "literal_error") else Code.MV012
    return case_problem(code, pydantic_message(error), source, loc)


def read_case_file(path: Path, sector: str | None = None) -> Case:
    """Read a case file (YAML or JSON, one object), validated for ``sector`` (default: its own)."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CaseError(
            [case_problem(Code.MV001, f"kan het bestand niet lezen: {os_message(error)}", source)], source
        ) from None
    except UnicodeDecodeError:
        raise CaseError([case_problem(Code.MV002, "het bestand is geen UTF-8-tekst", source)], source) from None
    return read_case_text(text, source, as_json=path.suffix == ".json", sector=sector)


def read_case_text(text: str, source: str = "casus", *, as_json: bool = False, sector: str | None = None) -> Case:
    """Read a case from text: JSON when ``as_json``, otherwise YAML (which also reads JSON)."""
    try:
        data = json.loads(text) if as_json else read_yaml(text, source)[0]
    except json.JSONDecodeError as error:
        message = f"geen geldige JSON (regel {error.lineno}, kolom {error.colno})"
        raise CaseError([case_problem(Code.MV003, message, source)], source) from None
    except RulesetError as error:
        raise CaseError(error.diagnostics, source) from None
    if not isinstance(data, dict):
        raise CaseError([case_problem(Code.MV004, "een casus is een YAML- of JSON-object met velden", source)], source)
    sector = sector or data.get("sector")
    model = case_model_for(sector) if isinstance(sector, str) else Case
    return parse_case(_dates_as_text(data), source, model=model)


def _dates_as_text(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _dates_as_text(v) for k, v in data.items()}
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
    ruleset: CompiledRuleset | None = None,
    versie: str | None = None,
    records: RecordSink | None = None,
) -> Judgement:
    """Judge one case under the meldcode of ``sector`` (default: the case's own sector).

    ``engine`` is ``"durable"`` (the default where it is installed) or
    ``"reference"``. ``ruleset`` overrides the built-in rulesets (for checks
    and tests of edited rulesets). The rulesets are the versions in force on the case's
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


def judge_facts(
    case: Case | Mapping[str, Any],
    sector: str | None = None,
    engine: str | None = None,
    *,
    ruleset: CompiledRuleset | None = None,
    versie: str | None = None,
) -> tuple[Judgement, dict[str, Any]]:
    """:func:`evaluate`, and the flat facts the engine judged (for a decision record's input hash)."""
    if sector is None:
        sector = case.sector if isinstance(case, Case) else case.get("sector") if isinstance(case, Mapping) else None
        sector = sector if isinstance(sector, str) else None  # a wrong type is reported by parse_case
    if ruleset is not None and versie is not None:
        # a pin that would be ignored is refused: the caller must never believe it was applied
        raise MeldcodeError("`versie` en een eigen `ruleset` gaan niet samen: kies de versie in de ruleset zelf")
    # The version depends on the case's datum, and the facts on the version (its time rules
    # add `tijd.` facts): the datum is read first, cheaply when it is plain ISO text.
    compiled = ruleset or compiled_for(sector, datum=_datum_of(case, sector), versie=versie)
    # Plain JSON-shaped dicts are read straight into flat facts; whatever that reader
    # declines (including every invalid case) is validated by pydantic, as the contract.
    read = reader_for(compiled.catalog).read(case)
    if read is None:
        facts = parse_case(case, model=compiled.catalog.model)  # type: ignore[arg-type]
        flat, datum, referentie = compiled.catalog.flatten(facts), facts.datum, facts.referentie
    else:
        (flat, datum), referentie = read, case.get("referentie")  # type: ignore[union-attr]
    runner = get_engine(engine)
    fired = runner.fire(compiled, flat)
    oordeel = judge(compiled, flat, fired, datum=datum or dt.date.today(), engine=runner.name)
    if referentie is not None:
        # Passed through untouched: the caller's own key for this judgement, never a fact.
        oordeel = oordeel.model_copy(update={"referentie": referentie})
    return oordeel, flat
