"""Which rulesets ``check`` checks: one place, so it can point at any registry.

Without ``paths``: the basismodel and every installed sector, built-in or
plugin, compiled exactly as ``evaluate`` compiles them (the sector registry).
With ``paths``: every ruleset file under them, compiling the basismodel and
every ruleset with a ``sector``. Loader and compiler problems become findings
instead of stopping the run, so all files are reported together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from meldcode_rules.case.facts import catalog_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.compiler.compile import CompiledRuleset, check_and_compile
from meldcode_rules.diagnostics import RulesetError
from meldcode_rules.load.loader import LoadedRuleset
from meldcode_rules.sectors.registry import (
    BASISMODEL,
    basismodel_file,
    compile_sector,
    compiled_for,
    installed_sectors,
    load_all,
    ruleset_files,
)


@dataclass
class Targets:
    #: ``(label, compiled)``: label is the sector, or the ruleset id for the basismodel
    compiled: list[tuple[str, CompiledRuleset]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def targets(paths: Sequence[Path] | None = None) -> Targets:
    if not paths:
        return _installed()
    paths = list(paths)
    out = Targets(files=ruleset_files(paths))
    try:
        loaded = load_all(paths)
    except RulesetError as error:
        out.findings += [Finding.from_diagnostic(d) for d in error.diagnostics]
        return out
    seen: set[tuple[str, int, str]] = set()
    for top in _tops(loaded):
        try:
            compiled = check_and_compile(loaded, top, catalog_for())
        except RulesetError as error:
            for d in error.diagnostics:
                key = (str(d.location), 0, d.message)
                if key not in seen:
                    seen.add(key)
                    out.findings.append(Finding.from_diagnostic(d))
            continue
        out.compiled.append((compiled.sector or compiled.id, compiled))
    return out


def _installed() -> Targets:
    out = Targets(files=[basismodel_file()])
    try:
        out.compiled.append((BASISMODEL, compiled_for(None)))
    except RulesetError as error:
        out.findings += [Finding.from_diagnostic(d) for d in error.diagnostics]
        return out
    for sector in installed_sectors():
        out.files += ruleset_files(sector.rulesets)
        try:
            out.compiled.append((sector.name, compile_sector(sector)))
        except RulesetError as error:
            out.findings += [Finding.from_diagnostic(d) for d in error.diagnostics]
    return out


def _tops(loaded: Iterable[LoadedRuleset]) -> list[str]:
    loaded = list(loaded)
    ids = [item.model.id for item in loaded if item.model.id == BASISMODEL or item.model.sector]
    if not ids:
        ids = [item.model.id for item in loaded]
    return list(dict.fromkeys(ids))
