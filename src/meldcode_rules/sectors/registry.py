"""Where rulesets come from, and which ones a sector uses.

Sectors are found through the entry-point group ``meldcode_rules.sectors``
(:mod:`meldcode_rules.sectors.builtin`); the built-in sectors are declared there too,
in this project's ``pyproject.toml``. The basismodel is always built in
(``rulesets/`` in the source tree, ``meldcode_rules/_rulesets`` in the
wheel). ``compiled_for(sector, datum=..., versie=...)`` compiles the basismodel plus that
sector's rulesets in the versions in force on ``datum`` (or the pinned ``versie`` of the
sector's own ruleset), cached per (sector, combination of versions) with a bound.

Several versions of one ruleset id sit side by side: ``rulesets/<id>.yaml`` and
``rulesets/<id>-<versie>.yaml`` for the built-in ones, any file in a plugin's folders
(:mod:`meldcode_rules.compiler.versions`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, create_model

from meldcode_rules.caches import clear_all
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.case.model import Case
from meldcode_rules.compiler.compile import BASISMODEL, CompiledRuleset, SectorRulesets, check_and_compile
from meldcode_rules.compiler.versions import by_id, day_for, in_force, selection_key
from meldcode_rules.diagnostics import (
    Code,
    Diagnostic,
    Location,
    MeldcodeError,
    RulesetError,
    SectorError,
    UnknownSector,
)
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


def basismodel_files() -> list[Path]:
    """The basismodel's versions: ``basismodel.yaml`` and every ``basismodel-<versie>.yaml``."""
    return [basismodel_file(), *sorted(builtin_ruleset_dir().glob(f"{BASISMODEL}-*.yaml"))]


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


def compile_from(paths: Iterable[Path], sector: str | None = None, datum: dt.date | None = None) -> CompiledRuleset:
    """Load the rulesets under ``paths`` and compile the one for ``sector`` (basismodel facts
    only), in the versions in force on ``datum`` (default: today)."""
    return compile_loaded(load_all(paths), sector, datum)


def compile_loaded(
    loaded: list[LoadedRuleset], sector: str | None = None, datum: dt.date | None = None
) -> CompiledRuleset:
    """`compile_from` on rulesets already parsed (to compile several sectors from one parse)."""
    return check_and_compile(loaded, _top_for(loaded, sector), catalog_for(), datum=datum)


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
        sources.cache_clear()
        _by_key.clear()
        _by_day.clear()
        _case_model.cache_clear()
        _versies_from.cache_clear()
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
    facts: dict[str, Any] = {
        name: (
            strict,
            Field(default_factory=strict, description=f"Feiten van de sector `{name}` ({sector.titel})."),
        )
    }
    return create_model(f"Casus_{name}", __base__=Case, **facts)


def compile_sector(
    sector: Sector, case_model: type[Case] | None = None, datum: dt.date | None = None
) -> CompiledRuleset:
    """Check and compile the basismodel plus ``sector``'s rulesets, in the versions in force on
    ``datum`` (default: today).

    Refused (RulesetError, every problem with its place): a sector whose ruleset
    does not extend the basismodel (MR041), a ruleset for another sector or none
    for this one (MR042), and everything the compiler refuses (MR030 a rule or
    begrip that replaces an existing one, MR040 ``melden: nee`` in an extension).
    """
    basis, own = _load_sector(sector)
    return _compile_loaded(sector, basis, own, case_model, datum)


def _load_sector(sector: Sector) -> tuple[list[LoadedRuleset], list[LoadedRuleset]]:
    return load_all(basismodel_files()), load_all(sector.rulesets)


def _compile_loaded(
    sector: Sector,
    basis: list[LoadedRuleset],
    own: list[LoadedRuleset],
    case_model: type[Case] | None,
    datum: dt.date | None,
) -> CompiledRuleset:
    where = Location(str(ruleset_files(sector.rulesets)[0])) if sector.rulesets else Location("<sector>")
    return check_and_compile(
        [*basis, *own],
        None,
        catalog_for(case_model or case_model_of(sector)),
        sector=SectorRulesets(sector.name, tuple(own), where),
        datum=datum,
    )


_lock = threading.RLock()
#: Bounds: compiled combinations of versions kept, and (sector, date, versie) looked up.
MAX_COMPILED = 32
MAX_DAYS = 512
_by_key: OrderedDict[tuple[object, ...], CompiledRuleset] = OrderedDict()
_by_day: OrderedDict[tuple[object, ...], CompiledRuleset] = OrderedDict()


@cache
def sources(sector: str | None) -> tuple[tuple[LoadedRuleset, ...], str]:
    """Every version of every ruleset ``sector`` uses, and the id of its own (top) ruleset."""
    if sector is None:
        return tuple(load_all(basismodel_files())), BASISMODEL
    basis, own = _load_sector(get_sector(sector))
    top = next((i.model.id for i in own if i.model.sector == sector), BASISMODEL)
    return (*basis, *own), top


def versions_of(sector: str | None = None) -> list[tuple[str, dt.date, dt.date | None]]:
    """The versions of ``sector``'s own ruleset (None: the basismodel): ``(versie, vanaf, tot)``."""
    loaded, top = sources(sector)
    return [(i.model.versie, i.model.geldig_vanaf, i.model.geldig_tot) for i in by_id(loaded).get(top, [])]


def compiled_for(
    sector: str | None = None, datum: dt.date | None = None, versie: str | None = None, *, veld: str = "datum"
) -> CompiledRuleset:
    """The compiled ruleset for ``sector`` (None: the basismodel) in the versions in force on
    ``datum`` (default: today), or with ``versie`` of the sector's own ruleset pinned.

    Cached per (sector, combination of versions), at most :data:`MAX_COMPILED` of them.
    """
    day = datum or dt.date.today()
    with _lock:
        hit = _by_day.get((sector, day, versie))
        if hit is not None:
            _by_day.move_to_end((sector, day, versie))
            return hit
        loaded, top = sources(sector)
        compiled = compiled_on(sector, day_for(loaded, top, day, versie, veld=veld))
        _by_day[(sector, day, versie)] = compiled
        if len(_by_day) > MAX_DAYS:
            _by_day.popitem(last=False)
        return compiled


class Versies:
    """Every version of the rulesets one sector uses, from which a date chooses: the installed
    ones (:func:`installed`) or those under ``--ruleset`` paths (:func:`versies_from`).

    Passed where a :class:`CompiledRuleset` may be (``evaluate(..., ruleset=...)``, dossiers,
    ``batch``, scenarios, ``oefen``), it lets each case choose by its own date, through the
    same :func:`~meldcode_rules.compiler.versions.day_for` as the installed rulesets.
    """

    def __init__(self, sector: str | None, paths: tuple[Path, ...] | None = None) -> None:
        self.sector = sector
        self.paths = paths
        self._compiled: dict[tuple[object, ...], CompiledRuleset] = {}
        if paths is not None:
            self.loaded: tuple[LoadedRuleset, ...] = tuple(load_all(paths))
            self.top = _top_for(list(self.loaded), sector)

    def op(
        self, datum: dt.date | None = None, versie: str | None = None, *, veld: str = "datum", source: str = "casus"
    ) -> CompiledRuleset:
        """The compiled ruleset in the versions in force on ``datum`` (default: today), or with
        ``versie`` of the sector's own ruleset pinned; MV020/MV021 as for a case."""
        if self.paths is None:
            return compiled_for(self.sector, datum, versie, veld=veld)
        use = day_for(self.loaded, self.top, datum or dt.date.today(), versie, source, veld)
        with _lock:
            key = selection_key(in_force(self.loaded, use))
            compiled = self._compiled.get(key)
            if compiled is None:
                # bounded by the number of version combinations in the files, which is small
                compiled = check_and_compile(list(self.loaded), self.top, catalog_for(), datum=use)
                self._compiled[key] = compiled
            return compiled

    def alle(self) -> list[tuple[str, dt.date, dt.date | None]]:
        """The versions of the sector's own ruleset: ``(versie, vanaf, tot)``, oldest first."""
        loaded, top = (self.loaded, self.top) if self.paths is not None else sources(self.sector)
        return [(i.model.versie, i.model.geldig_vanaf, i.model.geldig_tot) for i in by_id(loaded).get(top, [])]


def installed(sector: str | None = None) -> Versies:
    """The installed versions of ``sector`` (None: the basismodel)."""
    return Versies(sector)


def versies_from(paths: Iterable[Path], sector: str | None = None) -> Versies:
    """The versions under ``paths`` (``--ruleset``), for ``sector``; parsed once per (paths, sector)."""
    return _versies_from(tuple(Path(p).resolve() for p in paths), sector)


@cache
def _versies_from(paths: tuple[Path, ...], sector: str | None) -> Versies:
    return Versies(sector, paths)


#: what may stand where a ruleset is asked for: a fixed compiled one, versions to choose from, or none (installed)
RulesetKeuze = CompiledRuleset | Versies | None


def choose(
    ruleset: RulesetKeuze,
    sector: str | None,
    datum: dt.date | None,
    versie: str | None = None,
    *,
    veld: str = "datum",
    source: str = "casus",
) -> CompiledRuleset:
    """The ruleset that judges (draws, compares) as of ``datum``: the one choice of versions.

    ``ruleset`` given as a :class:`CompiledRuleset` is used as it is (a pinned ``versie`` beside
    it is refused: the caller must never believe it was applied); :class:`Versies` or ``None``
    (the installed versions of ``sector``) choose the versions in force on ``datum`` (default:
    today) or the pinned ``versie``.
    """
    if isinstance(ruleset, CompiledRuleset):
        if versie is not None:
            raise MeldcodeError("`versie` en een eigen `ruleset` gaan niet samen: kies de versie in de ruleset zelf")
        return ruleset
    if ruleset is None:  # the installed versions (the hot path: no object per case)
        return compiled_for(sector, datum, versie, veld=veld)
    return ruleset.op(datum, versie, veld=veld, source=source)


def compiled_on(sector: str | None, use: dt.date) -> CompiledRuleset:
    """The compiled ruleset of ``sector`` in the versions in force on ``use`` (RulesetError
    with MR045 when something it extends has none), cached per combination of versions."""
    with _lock:
        loaded, _top = sources(sector)
        key = (sector, selection_key(in_force(loaded, use)))
        compiled = _by_key.get(key)
        if compiled is None:
            if sector is None:
                compiled = check_and_compile(list(loaded), BASISMODEL, catalog_for(), datum=use)
            else:
                found = get_sector(sector)
                own_paths = {str(p) for p in ruleset_files(found.rulesets)}
                own = [i for i in loaded if str(i.path) in own_paths]
                basis = [i for i in loaded if str(i.path) not in own_paths]
                compiled = _compile_loaded(found, basis, own, case_model_for(sector), use)
            _by_key[key] = compiled
            if len(_by_key) > MAX_COMPILED:
                _by_key.popitem(last=False)
        else:
            _by_key.move_to_end(key)
        return compiled
