"""Which rulesets ``check`` checks: one place, so it can point at any registry.

Without ``paths``: the basismodel and every installed sector, built-in or
plugin, compiled exactly as ``evaluate`` compiles them (the sector registry).
With ``paths``: every ruleset file under them, compiling the basismodel and
every ruleset with a ``sector``. Loader and compiler problems become findings
instead of stopping the run, so all files are reported together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from meldcode_rules.case.facts import catalog_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.compiler.compile import CompiledRuleset, check_and_compile
from meldcode_rules.compiler.versions import boundaries, by_id, day_for
from meldcode_rules.diagnostics import CaseError, Code, RulesetError, nearest
from meldcode_rules.load.loader import LoadedRuleset
from meldcode_rules.sectors.registry import (
    BASISMODEL,
    basismodel_files,
    compiled_on,
    installed_sectors,
    known_sectors,
    load_all,
    ruleset_files,
    sources,
)


@dataclass
class Targets:
    #: ``(label, compiled)``: label is the sector, or the ruleset id for the basismodel
    compiled: list[tuple[str, CompiledRuleset]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def targets(paths: Sequence[Path] | None = None, op: dt.date | None = None) -> Targets:
    """The rulesets under ``paths`` (None: installed), each in every combination of versions,
    or with ``op`` only in the versions in force on that date (chosen as for a case; a ruleset
    with no version then is left out)."""
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
    out.findings += _sector_findings(loaded)
    # A sector that does not extend the basismodel misses its action codes and begrippen:
    # that is one mistake, reported once (MR041), not as every code it then cannot find.
    orphan = {str(item.path) for item in loaded if item.model.sector and not item.model.breidt_uit}
    for top in _tops(loaded):
        got: list[CompiledRuleset] = []
        if op is None:
            days = version_days(loaded, top)
        else:
            try:
                days = [day_for(loaded, top, op, veld="op", source="--op")]
            except CaseError:
                days = []  # no version of `top` on that date: nothing of it to compare
        for day in days:
            try:
                got.append(check_and_compile(loaded, top, catalog_for(), datum=day))
            except RulesetError as error:
                for d in error.diagnostics:
                    if d.location.file in orphan and d.code in _FOLLOWS_FROM_NO_BASE:
                        continue
                    key = (str(d.location), 0, d.message)
                    if key not in seen:
                        seen.add(key)
                        out.findings.append(Finding.from_diagnostic(d))
        out.compiled += _labelled(got)
    return out


def version_days(loaded: Sequence[LoadedRuleset], top: str) -> list[dt.date]:
    """One date per combination of versions ``top`` is compiled in: every day on which some
    version starts or ends while a version of ``top`` is in force (duplicates are dropped
    after compiling), so each version is checked with the parents it extends on its dates."""
    own = by_id(loaded).get(top, [])
    days = [d for d in boundaries(loaded) if any(i.model.in_force(d) for i in own)]
    return days or [i.model.geldig_vanaf for i in own[:1]]


def _labelled(got: list[CompiledRuleset]) -> list[tuple[str, CompiledRuleset]]:
    """One per combination of versions; labelled by sector, plus the first date when there are several."""
    unique: dict[tuple[object, ...], tuple[dt.date, CompiledRuleset]] = {}
    for compiled in got:
        key = tuple((r.id, r.versie, r.sha256) for r in compiled.rulesets)
        unique.setdefault(key, (max(r.geldig_vanaf for r in compiled.rulesets), compiled))
    many = len(unique) > 1
    return [
        (f"{c.sector or c.id} vanaf {day.isoformat()}" if many else c.sector or c.id, c) for day, c in unique.values()
    ]


#: what a sector ruleset without ``breidt_uit`` reports because it cannot see the basismodel
_FOLLOWS_FROM_NO_BASE = frozenset({Code.MR031, Code.MR035})


def _sector_findings(loaded: Iterable[LoadedRuleset]) -> list[Finding]:
    """``sector`` spelled close to a known sector (MC010), and a sector without ``breidt_uit`` (MR041)."""
    known = set(known_sectors())
    out = []
    for item in loaded:
        sector = item.model.sector
        if not sector:
            continue
        where = item.source.locate(("sector",))
        hint = nearest(sector, sorted(known)) if sector not in known else None
        if hint and hint != sector:
            out.append(
                Finding(
                    Code.MC010,
                    f"sector `{sector}` bestaat niet en lijkt op `{hint}`; een casus met `sector: {hint}` "
                    "zou deze ruleset nooit gebruiken",
                    where,
                    proved=None,
                    details=(
                        f"bedoelde u: {hint}?",
                        "een nieuwe sector krijgt een naam die niet op een bestaande lijkt",
                    ),
                )
            )
        if not item.model.breidt_uit:
            out.append(
                Finding(
                    Code.MR041,
                    f"ruleset `{item.model.id}` is voor sector `{sector}` maar breidt het basismodel niet uit "
                    "(`breidt_uit` ontbreekt); zonder basismodel kent ze de actiecodes en begrippen ervan niet",
                    where,
                    proved=None,
                    details=("voeg toe: breidt_uit: [basismodel]",),
                )
            )
    return out


def _installed() -> Targets:
    out = Targets(files=basismodel_files())
    for sector in [None, *installed_sectors()]:
        name = None if sector is None else sector.name
        if sector is not None:
            out.files += ruleset_files(sector.rulesets)
        got: list[CompiledRuleset] = []
        try:
            loaded, top = sources(name)
            for day in version_days(list(loaded), top):
                got.append(compiled_on(name, day))
        except RulesetError as error:
            out.findings += [Finding.from_diagnostic(d) for d in error.diagnostics]
            if sector is None:
                return out
        out.compiled += _labelled(got)
    return out


def _tops(loaded: Iterable[LoadedRuleset]) -> list[str]:
    loaded = list(loaded)
    ids = [item.model.id for item in loaded if item.model.id == BASISMODEL or item.model.sector]
    if not ids:
        ids = [item.model.id for item in loaded]
    return list(dict.fromkeys(ids))
