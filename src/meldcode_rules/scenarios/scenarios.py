"""Scenario files: trainer-written cases with the judgement they must get.

A scenario file (``scenarios/<sector>/*.yaml``, docs/scenarios.md)::

    sector: onderwijs          # weglaten: het basismodel
    scenarios:
      - naam: Leerkracht verdacht van ontucht, redelijk vermoeden
        bron: "[OI][ROVO]"
        gegeven: {medewerker_verdacht: ja, vormen: [seksueel_geweld], ...}   # een casus
        verwacht:
          melden: onbekend
          acties: [bevoegd_gezag_informeren, aangifte_doen]
          geen_acties: [afsluiten_en_vastleggen]
          open_vragen: [afweging.acute_onveiligheid]
          regels: [ow-aangifte-redelijk-vermoeden]

Loading checks everything a trainer can get wrong (format, the case facts,
unknown rule ids, action codes and facts in ``verwacht``) and reports all
problems at once, each with file and line. Running evaluates every scenario
with every requested engine and compares field by field; failures are Dutch
sentences with what was expected and what came out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from meldcode_rules.api import evaluate
from meldcode_rules.case.dossier import Moment
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import (
    CaseError,
    Code,
    Diagnostic,
    Location,
    MeldcodeError,
    RulesetError,
    ScenarioError,
    nearest,
)
from meldcode_rules.dossier import parse_dossier
from meldcode_rules.dossier.derive import day
from meldcode_rules.dossier.oordeel import evaluate_dossier
from meldcode_rules.engines import ENGINES, durable_available
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.loader import SourceMap, YamlPath, read_yaml, schema_diagnostics, yaml_files
from meldcode_rules.load.ruleset import Besluit, Melden
from meldcode_rules.messages import os_message, pydantic_message
from meldcode_rules.sectors.registry import Versies, case_model_for, installed, versies_from

# ---------------------------------------------------------------- the format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Verwacht(_Strict):
    """What the judgement must say. A field left out is not checked."""

    melden: Melden | None = Field(default=None, description="`ja`, `nee` of `onbekend`.")
    besluit: Besluit | None = Field(default=None, description="Het verwachte besluit.")
    stap: int | None = Field(default=None, ge=1, le=5, description="De verwachte stap (1-5).")
    acties: list[str] = Field(default_factory=list, description="Actiecodes die er moeten zijn.")
    geen_acties: list[str] = Field(default_factory=list, description="Actiecodes die er niet mogen zijn.")
    open_vragen: list[str] = Field(default_factory=list, description="Feiten die als open vraag moeten staan.")
    regels: list[str] = Field(default_factory=list, description="Regel-ids die moeten vuren.")
    # Dossiers (a case over time, judged `op:` a date).
    deadlines: dict[str, Moment] = Field(
        default_factory=dict,
        description="Dossier: actiecode -> de verwachte deadline (een datum; met tijd bij een termijn in uren).",
    )
    verlopen: dict[str, bool | Literal["onbekend"]] = Field(
        default_factory=dict,
        description="Dossier: actiecode -> verlopen op de peildatum (`true`, `false`, `onbekend`).",
    )
    dagen_verlopen: dict[str, int] = Field(
        default_factory=dict, description="Dossier: actiecode -> zoveel dagen na de deadline."
    )


class Scenario(_Strict):
    """One scenario: a case and the judgement it must get."""

    naam: str = Field(min_length=1, description="Een korte, unieke naam binnen het bestand.")
    bron: str = Field(min_length=1, description="De bron waar dit scenario op rust (verplicht).")
    omschrijving: str | None = Field(
        default=None, description="Het verhaal van de casus, zoals `oefen` het de cursist vertelt."
    )
    gegeven: dict[str, Any] = Field(default_factory=dict, description="De casus (zie docs/vocabulary.md).")
    dossier: dict[str, Any] | None = Field(
        default=None, description="Of een dossier: `gebeurtenissen` met datum (zie docs/vocabulary.md, Dossier)."
    )
    op: Moment | None = Field(
        default=None,
        description="Dossier: de peildatum waarop het wordt beoordeeld (met tijd waar uren tellen).",
    )
    verwacht: Verwacht


class ScenarioFile(_Strict):
    """One scenario file."""

    model_config = ConfigDict(title="Scenario's", extra="forbid", frozen=True)

    sector: str | None = Field(default=None, description="De sector; weglaten voor het basismodel.")
    scenarios: list[Scenario] = Field(min_length=1)


# ---------------------------------------------------------------- loaded and run


@dataclass(frozen=True)
class LoadedScenario:
    """A checked scenario, with the place it stands and its validated case."""

    scenario: Scenario
    sector: str | None
    location: Location
    case: Case
    #: the ruleset the scenario was checked against, and runs against
    ruleset: CompiledRuleset
    #: a dossier scenario: the dossier, judged as of ``scenario.op`` (``case`` is then its facts)
    dossier: Any = None

    @property
    def naam(self) -> str:
        return self.scenario.naam


@dataclass(frozen=True)
class ScenarioResult:
    """The outcome of one scenario under one engine. ``failures`` is empty when ``ok``."""

    scenario: Scenario
    location: Location
    engine: str
    ok: bool
    failures: list[str]
    judgement: Judgement | None
    sector: str | None = None
    #: the versions the scenario was judged by (those in force on its date)
    ruleset: CompiledRuleset | None = None

    @property
    def naam(self) -> str:
        return self.scenario.naam


def ruleset_for(sector: str | None, rulesets: Sequence[Path] | None = None) -> Versies:
    """The versions scenarios of ``sector`` run against (installed, or from ``rulesets`` paths):
    each scenario is judged by the versions in force on its own date (:func:`scenario_datum`)."""
    return installed(sector) if rulesets is None else versies_from(rulesets, sector)


_PEILMOMENT: TypeAdapter[dt.date] = TypeAdapter(Moment)


def peilmoment(value: Any) -> dt.date:
    """A dossier scenario's ``op`` as read from its YAML (a day, or a quoted date-time), as ``Scenario.op``."""
    return _PEILMOMENT.validate_python(value)


def scenario_datum(scenario: Scenario) -> tuple[dt.date | None, YamlPath]:
    """The date that chooses a scenario's versions, and where it stands: a dossier's ``op``,
    otherwise the case's ``datum`` (absent: today, as for any case)."""
    if scenario.dossier is not None:
        # versions are chosen by the day, also for a peildatum with a time
        return (day(scenario.op) if scenario.op is not None else None), ("op",)
    raw = scenario.gegeven.get("datum")
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw)
        except ValueError:
            return None, ("gegeven", "datum")  # the case's own validation reports it
    return (raw if type(raw) is dt.date else None), ("gegeven", "datum")


def load_scenarios(paths: Iterable[Path], *, rulesets: Sequence[Path] | None = None) -> list[LoadedScenario]:
    """Load and check scenario files (or directories of them); ScenarioError lists every problem."""
    loaded: list[LoadedScenario] = []
    problems: list[Diagnostic] = []
    files = yaml_files(paths)
    if not files:
        raise ScenarioError([Diagnostic(Code.MR050, "geen scenariobestanden gevonden (*.yaml)", Location("<paden>"))])
    for file in files:
        loaded.extend(_load_file(file, problems, rulesets))
    if problems:
        raise ScenarioError(problems)
    return loaded


def _load_file(path: Path, problems: list[Diagnostic], rulesets: Sequence[Path] | None) -> list[LoadedScenario]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problems.append(Diagnostic(Code.MR050, f"kan het bestand niet lezen: {os_message(error)}", Location(file)))
        return []
    except UnicodeDecodeError:
        problems.append(Diagnostic(Code.MR050, "het bestand is geen UTF-8-tekst", Location(file)))
        return []
    try:
        data, source = read_yaml(text, file)
    except RulesetError as error:
        problems.extend(error.diagnostics)
        return []
    if not isinstance(data, dict):
        problems.append(
            Diagnostic(Code.MR050, "een scenariobestand is een YAML-blok met `scenarios:`", Location(file, 1, 1))
        )
        return []
    try:
        ScenarioFile.model_validate(data)
    except ValidationError as error:
        problems.extend(
            Diagnostic(Code.MR050, d.message, d.location, d.suggestion)
            for d in schema_diagnostics(error, data, source, ScenarioFile)
        )
    sector = data.get("sector")
    items = data.get("scenarios")
    if not isinstance(items, list) or not (sector is None or isinstance(sector, str)):
        return []
    try:
        versies = ruleset_for(sector, rulesets)
        case_model = case_model_for(sector)
    except RulesetError as error:
        problems.extend(error.diagnostics)
        return []
    except MeldcodeError as error:
        problems.append(Diagnostic(Code.MR053, str(error), source.locate(("sector",))))
        return []

    out: list[LoadedScenario] = []
    names: dict[str, Location] = {}
    for index, item in enumerate(items):
        try:
            # Each scenario on its own, so one broken scenario hides no problem in another
            # (its schema errors are already reported above, with their lines).
            scenario = Scenario.model_validate(item)
        except ValidationError:
            continue
        path_: YamlPath = ("scenarios", index)
        location = source.locate(path_)
        if scenario.naam in names:
            problems.append(
                Diagnostic(
                    Code.MR054,
                    f"de naam `{scenario.naam}` komt al voor in dit bestand ({names[scenario.naam]})",
                    source.locate((*path_, "naam")),
                )
            )
        names.setdefault(scenario.naam, location)
        datum, where = scenario_datum(scenario)
        try:
            compiled = versies.op(datum)
        except CaseError as error:  # a date before every version (MV020): never judged by another
            problems.extend(
                Diagnostic(Code.MR051, problem, source.locate((*path_, *where))) for problem in error.problems
            )
            continue
        except RulesetError as error:
            problems.extend(error.diagnostics)
            continue
        dossier = None
        if scenario.dossier is not None:
            dossier = _check_dossier(scenario, sector, compiled, source, path_, problems)
            case: Case | None = case_model.model_validate({"sector": sector}) if dossier is not None else None
        else:
            case = _check_case(scenario, sector, case_model, source, path_, problems)
        _check_expectation(scenario.verwacht, compiled, source, (*path_, "verwacht"), problems)
        if case is not None:
            out.append(LoadedScenario(scenario, sector, location, case, compiled, dossier))
    return out


def _check_case(
    scenario: Scenario,
    sector: str | None,
    case_model: type[Case],
    source: SourceMap,
    path: YamlPath,
    problems: list[Diagnostic],
) -> Case | None:
    given = dict(scenario.gegeven)
    if "sector" in given and given["sector"] != sector:
        problems.append(
            Diagnostic(
                Code.MR051,
                "`gegeven.sector` wijkt af van de `sector` van het bestand; laat hem weg",
                source.locate((*path, "gegeven", "sector")),
            )
        )
        return None
    given["sector"] = sector
    try:
        return case_model.model_validate(given)
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(item["loc"])
            where = source.locate((*path, "gegeven", *loc))
            name = ".".join(str(p) for p in loc)
            if item["type"] == "extra_forbidden":
                options = _field_names(case_model, loc[:-1])
                problems.append(
                    Diagnostic(Code.MR051, f"onbekend feit `{name}`", where, nearest(str(loc[-1]), options))
                )
            else:
                # The value itself is not repeated: case data can be sensitive.
                problems.append(Diagnostic(Code.MR051, f"`{name}`: {pydantic_message(item)}", where))
        return None


def _check_dossier(
    scenario: Scenario,
    sector: str | None,
    compiled: CompiledRuleset,
    source: SourceMap,
    path: YamlPath,
    problems: list[Diagnostic],
) -> Any:
    where = source.locate((*path, "dossier"))
    if scenario.gegeven:
        problems.append(Diagnostic(Code.MR051, "geef `gegeven` of `dossier`, niet allebei", where))
        return None
    if scenario.op is None:
        problems.append(Diagnostic(Code.MR051, "een dossier-scenario noemt de peildatum in `op:`", where))
        return None
    data = dict(scenario.dossier or {})
    if "sector" in data and data["sector"] != sector:
        problems.append(Diagnostic(Code.MR051, "`dossier.sector` wijkt af van de `sector` van het bestand", where))
        return None
    data["sector"] = sector
    try:
        dossier = parse_dossier(data, "dossier")
        evaluate_dossier(dossier, engine="reference", ruleset=compiled, op=scenario.op)  # dates and facts
    except MeldcodeError as error:
        for problem in getattr(error, "problems", None) or [str(error)]:
            problems.append(Diagnostic(Code.MR051, problem, where))
        return None
    return dossier


def _field_names(model: Any, loc: Sequence[Any]) -> list[str]:
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if not isinstance(part, str) or part not in fields:
            return []
        model = fields[part].annotation
    return list(getattr(model, "model_fields", {}))


def _check_expectation(
    verwacht: Verwacht, compiled: CompiledRuleset, source: SourceMap, path: YamlPath, problems: list[Diagnostic]
) -> None:
    rule_ids = [r.id for r in compiled.rules]
    for key in ("acties", "geen_acties", "deadlines", "verlopen", "dagen_verlopen"):
        for i, code in enumerate(getattr(verwacht, key)):
            if code not in compiled.acties:
                problems.append(
                    Diagnostic(
                        Code.MR052,
                        f"onbekende actiecode `{code}` voor ruleset `{compiled.id}`",
                        source.locate((*path, key, i)),
                        nearest(code, compiled.acties),
                    )
                )
    for i, fact in enumerate(verwacht.open_vragen):
        if fact not in compiled.catalog:
            problems.append(
                Diagnostic(
                    Code.MR052,
                    f"onbekend feit `{fact}` in `open_vragen`",
                    source.locate((*path, "open_vragen", i)),
                    nearest(fact, compiled.catalog.paths),
                )
            )
    for i, rule_id in enumerate(verwacht.regels):
        if rule_id not in rule_ids:
            problems.append(
                Diagnostic(
                    Code.MR052,
                    f"onbekende regel `{rule_id}` in ruleset `{compiled.id}`",
                    source.locate((*path, "regels", i)),
                    nearest(rule_id, rule_ids),
                )
            )
    both = set(verwacht.acties) & set(verwacht.geen_acties)
    if both:
        problems.append(
            Diagnostic(
                Code.MR052,
                "een actie staat zowel onder `acties` als onder `geen_acties`: " + ", ".join(sorted(both)),
                source.locate((*path, "geen_acties")),
            )
        )


def available_engines() -> list[str]:
    return [e for e in ENGINES if e != "durable" or durable_available()]


def run_scenarios(loaded: Sequence[LoadedScenario], *, engines: Sequence[str] | None = None) -> list[ScenarioResult]:
    """Evaluate every scenario with every engine (default: every engine that runs here)."""
    results: list[ScenarioResult] = []
    for engine in engines or available_engines():
        for item in loaded:
            try:
                if item.dossier is not None:
                    judgement = evaluate_dossier(item.dossier, engine=engine, ruleset=item.ruleset, op=item.scenario.op)
                else:
                    judgement = evaluate(item.case, engine=engine, ruleset=item.ruleset)
            except MeldcodeError as error:
                results.append(
                    ScenarioResult(
                        item.scenario,
                        item.location,
                        engine,
                        False,
                        [f"de beoordeling faalde: {error}"],
                        None,
                        item.sector,
                        item.ruleset,
                    )
                )
                continue
            failures = compare(item.scenario.verwacht, judgement)
            results.append(
                ScenarioResult(
                    item.scenario, item.location, engine, not failures, failures, judgement, item.sector, item.ruleset
                )
            )
    return results


def compare(verwacht: Verwacht, judgement: Judgement) -> list[str]:
    """Every difference between the expectation and the judgement, as Dutch sentences."""
    failures: list[str] = []
    for key in ("melden", "besluit", "stap"):
        expected = getattr(verwacht, key)
        got = getattr(judgement, key)
        if expected is not None and expected != got:
            failures.append(f"{key}: verwacht `{expected}`, kreeg `{got}`")
    codes = [a.code for a in judgement.acties]
    missing = [c for c in verwacht.acties if c not in codes]
    if missing:
        failures.append(f"acties: verwacht {_codes(missing)}, ontbreekt; kreeg {_codes(codes)}")
    extra = [c for c in verwacht.geen_acties if c in codes]
    if extra:
        failures.append(f"geen_acties: {_codes(extra)} had er niet mogen zijn")
    asked = [v.feit for v in judgement.open_vragen]
    missing = [f for f in verwacht.open_vragen if f not in asked]
    if missing:
        failures.append(f"open_vragen: verwacht {_codes(missing)}, ontbreekt; kreeg {_codes(asked)}")
    fired = [r.regel for r in judgement.redenering]
    missing = [r for r in verwacht.regels if r not in fired]
    if missing:
        failures.append(f"regels: verwacht dat {_codes(missing)} vuurt; vuurden: {_codes(fired)}")
    by_code = {a.code: a for a in judgement.acties}
    for key in ("deadlines", "verlopen", "dagen_verlopen"):
        attribute = "deadline" if key == "deadlines" else key
        for code, expected in getattr(verwacht, key).items():
            actie = by_code.get(code)
            got = getattr(actie, attribute) if actie is not None else "(geen actie)"
            if actie is None or got != expected or type(got) is not type(expected):
                failures.append(f"{key}: `{code}` verwacht `{expected}`, kreeg `{got}`")
    return failures


def _codes(items: Sequence[str]) -> str:
    return ", ".join(f"`{i}`" for i in items) if items else "(geen)"


# ---------------------------------------------------------------- coverage


def _relative(location: Location) -> Location:
    """The location relative to the working directory where it lies below it (shorter to read)."""
    try:
        file = str(Path(location.file).resolve().relative_to(Path.cwd()))
    except ValueError:
        return location
    return Location(file, location.line, location.column)


@dataclass(frozen=True)
class RuleLocation:
    id: str
    location: Location


@dataclass
class RulesetCoverage:
    """Which rules of one ruleset fired in at least one scenario."""

    ruleset: str
    rules: list[RuleLocation]
    fired: set[str] = field(default_factory=set)
    #: a ruleset is under test when scenario files name it (its sector, or none for the basismodel)
    under_test: bool = False

    @property
    def uncovered(self) -> list[RuleLocation]:
        return [r for r in self.rules if r.id not in self.fired]

    @property
    def percent(self) -> float:
        return 100.0 if not self.rules else 100.0 * (len(self.rules) - len(self.uncovered)) / len(self.rules)


def coverage(results: Sequence[ScenarioResult], *, rulesets: Sequence[Path] | None = None) -> list[RulesetCoverage]:
    """Coverage per ruleset: the rules that fired in some scenario (any engine), over every
    version some scenario was judged by (a scenario's date chooses its version)."""
    by_ruleset: dict[str, RulesetCoverage] = {}
    sectors = sorted({r.sector for r in results}, key=lambda s: (s is not None, s or ""))
    used: dict[int, CompiledRuleset] = {}
    for sector in sectors:
        for result in results:
            if result.sector == sector:
                compiled = result.ruleset or ruleset_for(sector, rulesets).op()
                used.setdefault(id(compiled), compiled)
    for compiled in used.values():
        for rule in compiled.rules:
            entry = by_ruleset.setdefault(rule.ruleset, RulesetCoverage(rule.ruleset, []))
            if all(r.id != rule.id for r in entry.rules):
                entry.rules.append(RuleLocation(rule.id, _relative(rule.location)))
        # An extension without rules of its own (justitie) is still under test.
        by_ruleset.setdefault(compiled.id, RulesetCoverage(compiled.id, [])).under_test = True
    for result in results:
        if result.judgement is None:
            continue
        fired = {r.regel for r in result.judgement.redenering}
        for entry in by_ruleset.values():
            entry.fired |= fired & {r.id for r in entry.rules}
    for entry in by_ruleset.values():
        entry.rules.sort(key=lambda r: (r.location.file, r.location.line))
    return sorted(by_ruleset.values(), key=lambda c: (c.ruleset != "basismodel", c.ruleset))
