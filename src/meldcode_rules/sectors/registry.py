"""Where rulesets come from, and which ones a sector uses.

Sectors are found through the entry-point group ``meldcode_rules.sectors``
(:mod:`meldcode_rules.sectors.builtin`); the built-in sectors are declared there too,
in this project's ``pyproject.toml``. The basismodel is always built in
(``rulesets/`` in the source tree, ``meldcode_rules/_rulesets`` in the
wheel). ``compiled_for(sector)`` compiles the basismodel plus that sector's
rulesets, once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, create_model

from meldcode_rules.caches import clear_all
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import BASISMODEL, CompiledRuleset, SectorRulesets, check_and_compile
from meldcode_rules.diagnostics import Code, Diagnostic, Location, RulesetError, SectorError, UnknownSector
from meldcode_rules.load.loader import LoadedRuleset, load_ruleset_file, yaml_files
from meldcode_rules.messages import os_message
from meldcode_rules.resources import shipped_dir
from meldcode_rules.sectors.builtin import (
    BUILTIN_DISTRIBUTION,
    BUILTIN_SECTORS,
    ENTRY_POINT_GROUP,
    Sector,
    _builtin,
)


def builtin_ruleset_dir() -> Path:
    return shipped_dir("rulesets")


def builtin_scenario_dir() -> Path:
    return shipped_dir("scenarios")


def basismodel_file() -> Path:
    return builtin_ruleset_dir() / f"{BASISMODEL}.yaml"


def ruleset_files(paths: Iterable[Path]) -> list[Path]:
    """The ruleset files named by ``paths`` (files as given, directories searched)."""
    return yaml_files(paths)


def load_all(paths: Iterable[Path]) -> list[LoadedRuleset]:
    """Parse every ruleset file; report the problems of all files together."""
    loaded: list[LoadedRuleset] = []
    problems: list[Diagnostic] = []
    for file in ruleset_files(paths):
        try:
            loaded.append(load_ruleset_file(file))
        except RulesetError as error:
            problems.extend(error.diagnostics)
        except OSError as error:
            message = f"kan het bestand niet lezen: {os_message(error)}"
            problems.append(Diagnostic(Code.MR001, message, Location(str(file))))
    if problems:
        raise RulesetError(problems)
    return loaded


def compile_from(paths: Iterable[Path], sector: str | None = None) -> CompiledRuleset:
    """Load the rulesets under ``paths`` and compile the one for ``sector`` (basismodel facts only)."""
    loaded = load_all(paths)
    return check_and_compile(loaded, _top_for(loaded, sector), catalog_for())


def _top_for(loaded: list[LoadedRuleset], sector: str | None) -> str:
    if sector is None:
        return BASISMODEL
    for item in loaded:
        if item.model.sector == sector:
            return item.model.id
    raise UnknownSector(sector, {i.model.sector for i in loaded if i.model.sector})


# ---------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Discovery:
    """The installed sectors, and the packages that could not be used (with why)."""

    sectors: dict[str, Sector]
    problems: dict[str, str]


@cache
def discover() -> Discovery:
    """Every sector declared in the entry-point group, built-in ones included."""
    found: dict[str, list[Sector]] = {}
    problems: dict[str, str] = {}
    seen: set[tuple[str, str, str | None]] = set()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else None
        if (ep.name, ep.value, dist) in seen:
            continue  # the same distribution on sys.path twice
        seen.add((ep.name, ep.value, dist))
        try:
            obj = ep.load()
            sector = obj if isinstance(obj, Sector) else obj()
        except Exception as error:  # a plugin that fails to import is reported, never used
            problems[ep.name] = f"het pakket `{dist}` laadt niet: {type(error).__name__}: {error}"
            continue
        if not isinstance(sector, Sector):
            problems[ep.name] = f"het entry point `{ep.value}` ({dist}) geeft geen Sector"
            continue
        if sector.name != ep.name:
            problems[ep.name] = f"het entry point heet `{ep.name}`, maar de sector `{sector.name}` ({dist})"
            continue
        found.setdefault(sector.name, []).append(replace(sector, distributie=dist or sector.distributie))
    # Running from a source tree whose package metadata predates an entry point: the
    # built-in descriptors are the same objects the entry points name.
    for name, _titel, _bron in BUILTIN_SECTORS:
        if not any(s.distributie == BUILTIN_DISTRIBUTION for s in found.get(name, [])):
            found.setdefault(name, []).append(_builtin(name))
    sectors: dict[str, Sector] = {}
    for name, candidates in found.items():
        if len(candidates) > 1:
            # Never let a package quietly replace a sector (it could drop that sector's duties).
            herkomst = ", ".join(sorted(c.herkomst for c in candidates))
            problems[name] = f"de sector `{name}` wordt door meer dan één pakket aangeboden ({herkomst})"
            continue
        sectors[name] = candidates[0]
    return Discovery(dict(sorted(sectors.items())), problems)


def installed_sectors() -> list[Sector]:
    return list(discover().sectors.values())


def known_sectors() -> list[str]:
    return list(discover().sectors)


def get_sector(name: str) -> Sector:
    found = discover()
    if name in found.problems:
        raise SectorError(f"sector `{name}` is niet bruikbaar: {found.problems[name]}")
    if name not in found.sectors:
        raise UnknownSector(name, found.sectors)
    return found.sectors[name]


def refresh() -> None:
    """Forget what was discovered and compiled (after installing or removing a sector package).

    Also empties every cache of the judgement path (engines' programs, judgement parts,
    readers, parsed dates): nothing from before the refresh is used after it.
    """
    with _lock:
        discover.cache_clear()
        _compiled.cache_clear()
        _case_model.cache_clear()
        clear_all()


# ---------------------------------------------------------------- case model and compiling


def case_model_for(sector: str | None) -> type[Case]:
    """The case model of ``sector``: :class:`Case`, plus the plugin's facts under its name."""
    return Case if sector is None else _case_model(sector)


@cache
def _case_model(name: str) -> type[Case]:
    return case_model_of(get_sector(name))


def case_model_of(sector: Sector) -> type[Case]:
    """:class:`Case` plus ``sector.feiten`` under the sector's name (a new model on every call)."""
    name = sector.name
    if sector.feiten is None:
        return Case
    if name in Case.model_fields:
        raise SectorError(f"sector `{name}`: de naam botst met het casusveld `{name}`; kies een andere naam")
    # Unknown fields stay an error inside the plugin's facts too.
    strict = type(
        sector.feiten.__name__,
        (sector.feiten,),
        {"model_config": ConfigDict(**{**sector.feiten.model_config, "extra": "forbid", "frozen": True})},
    )
    model: type[BaseModel] = create_model(
        f"Casus_{name}",
        __base__=Case,
        **{
            name: (
                strict,
                Field(default_factory=strict, description=f"Feiten van de sector `{name}` ({sector.titel})."),
            )
        },
    )
    return model  # type: ignore[return-value]


def compile_sector(sector: Sector, case_model: type[Case] | None = None) -> CompiledRuleset:
    """Check and compile the basismodel plus ``sector``'s rulesets.

    Refused (RulesetError, every problem with its place): a sector whose ruleset
    does not extend the basismodel (MR041), a ruleset for another sector or none
    for this one (MR042), and everything the compiler refuses (MR030 a rule or
    begrip that replaces an existing one, MR040 ``melden: nee`` in an extension).
    """
    basis = load_all([basismodel_file()])
    own = load_all(sector.rulesets)
    where = Location(str(ruleset_files(sector.rulesets)[0])) if sector.rulesets else Location("<sector>")
    return check_and_compile(
        [*basis, *own],
        None,
        catalog_for(case_model or case_model_of(sector)),
        sector=SectorRulesets(sector.name, tuple(own), where),
    )


_lock = threading.RLock()


@cache
def _compiled(sector: str | None) -> CompiledRuleset:
    if sector is None:
        return check_and_compile(load_all([basismodel_file()]), BASISMODEL, catalog_for())
    return compile_sector(get_sector(sector), case_model_for(sector))


def compiled_for(sector: str | None = None) -> CompiledRuleset:
    """The compiled ruleset for ``sector`` (None: the basismodel), cached per process."""
    with _lock:
        return _compiled(sector)
