"""Where rulesets come from, and which one a sector uses.

The built-in rulesets live in ``rulesets/`` of the source tree and ship in
the wheel as ``meldcode_rules/_rulesets``. Compiled rulesets are cached per
sector: loading and checking happen once per process, not per case.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from meldcode_rules.compiler import CompiledRuleset, check_and_compile
from meldcode_rules.diagnostics import Diagnostic, Location, MeldcodeError, RulesetError, nearest
from meldcode_rules.facts import catalog_for
from meldcode_rules.loader import LoadedRuleset, load_ruleset_file

BASISMODEL = "basismodel"


class UnknownSector(MeldcodeError):
    def __init__(self, sector: str, known: Iterable[str]) -> None:
        known = sorted(known)
        hint = nearest(sector, known)
        message = f"onbekende sector `{sector}`; bekend: {', '.join(known)}"
        if hint:
            message += f" (bedoelde u `{hint}`?)"
        super().__init__(message)
        self.sector = sector


def builtin_ruleset_dir() -> Path:
    packaged = Path(__file__).parent / "_rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rulesets"


def ruleset_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        else:
            files.append(path)
    return files


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
            problems.append(Diagnostic("MR001", f"kan het bestand niet lezen: {error.strerror}", Location(str(file))))
    if problems:
        raise RulesetError(problems)
    return loaded


def compile_from(paths: Iterable[Path], sector: str | None = None) -> CompiledRuleset:
    """Load the rulesets under ``paths`` and compile the one for ``sector``."""
    loaded = load_all(paths)
    return check_and_compile(loaded, _top_for(loaded, sector), catalog_for())


def _top_for(loaded: list[LoadedRuleset], sector: str | None) -> str:
    if sector is None:
        return BASISMODEL
    for item in loaded:
        if item.model.sector == sector:
            return item.model.id
    raise UnknownSector(sector, {i.model.sector for i in loaded if i.model.sector})


_lock = threading.Lock()


@cache
def _compiled_builtin(sector: str | None) -> CompiledRuleset:
    return compile_from([builtin_ruleset_dir()], sector)


def compiled_for(sector: str | None = None) -> CompiledRuleset:
    """The compiled ruleset for ``sector`` (None: the basismodel), cached per process."""
    with _lock:
        return _compiled_builtin(sector)


def known_sectors() -> list[str]:
    return sorted({i.model.sector for i in load_all([builtin_ruleset_dir()]) if i.model.sector})
