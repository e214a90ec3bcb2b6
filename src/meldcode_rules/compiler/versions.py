"""Versions by date: several files may share a ruleset ``id``, each valid for a period.

A version applies from ``geldig_vanaf`` (inclusive) until ``geldig_tot`` (exclusive: the
first day it no longer applies, which is the next version's ``geldig_vanaf``); without
``geldig_tot`` it applies from then on. Per id the periods must leave no gap (MR043) and
must not overlap (MR044), so on any date at most one version of an id applies and the
choice is never a guess. ``breidt_uit`` names an id, and picks the version of that id in
force on the same date (MR045 when there is none).

:func:`day_for` is the one choice of versions: every path that judges, draws or compares
(``evaluate``, dossiers, ``batch``, scenarios, ``oefen``, ``explain``, ``render``, ``diff``, the
service, ``replay``) reaches it through :func:`meldcode_rules.sectors.registry.choose`, so a
case is judged by the same version whichever way it comes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import pairwise

from meldcode_rules.diagnostics import CaseError, Code, Diagnostic, case_problem
from meldcode_rules.load.loader import LoadedRuleset


def by_id(loaded: Iterable[LoadedRuleset]) -> dict[str, list[LoadedRuleset]]:
    """The versions of every ruleset id, oldest first."""
    out: dict[str, list[LoadedRuleset]] = {}
    for item in loaded:
        out.setdefault(item.model.id, []).append(item)
    for versions in out.values():
        versions.sort(key=lambda i: (i.model.geldig_vanaf, i.model.versie))
    return out


def timeline_problems(loaded: Iterable[LoadedRuleset]) -> list[Diagnostic]:
    """Gaps (MR043), overlaps (MR044) and a versie given twice (MR032), per id, at the
    ``geldig_vanaf`` of the later version."""
    problems: list[Diagnostic] = []
    for ruleset_id, versions in by_id(loaded).items():
        seen: dict[str, LoadedRuleset] = {}
        for item in versions:
            earlier = seen.setdefault(item.model.versie, item)
            if earlier is not item:
                problems.append(
                    Diagnostic(
                        Code.MR032,
                        f"versie `{item.model.versie}` van ruleset `{ruleset_id}` komt twee keer voor "
                        f"(ook in {earlier.path.name})",
                        item.source.locate(("versie",)),
                    )
                )
        for before, after in pairwise(versions):
            end, start = before.model.geldig_tot, after.model.geldig_vanaf
            where = after.source.locate(("geldig_vanaf",))
            name = f"ruleset `{ruleset_id}` versie `{after.model.versie}`"
            if end is None or end > start:
                until = "zonder einddatum" if end is None else f"tot {end.isoformat()}"
                problems.append(
                    Diagnostic(
                        Code.MR044,
                        f"{name} gaat in op {start.isoformat()}, maar versie `{before.model.versie}` "
                        f"({before.path.name}) geldt dan nog ({until}): de periodes overlappen",
                        where,
                        details=(f"zet in {before.path.name} `geldig_tot: {start.isoformat()}` (exclusief)",),
                    )
                )
            elif end < start:
                problems.append(
                    Diagnostic(
                        Code.MR043,
                        f"{name} gaat in op {start.isoformat()}, maar versie `{before.model.versie}` "
                        f"({before.path.name}) geldt tot {end.isoformat()}: een gat waarin geen versie geldt",
                        where,
                        details=("`geldig_tot` is exclusief: de eerste dag van de volgende versie",),
                    )
                )
    return problems


def in_force(loaded: Iterable[LoadedRuleset], datum: dt.date) -> list[LoadedRuleset]:
    """The versions that apply on ``datum`` (one per id, once the timeline is sound)."""
    return [item for item in loaded if item.model.in_force(datum)]


def boundaries(loaded: Iterable[LoadedRuleset]) -> list[dt.date]:
    """Every date on which some version starts or ends: between two of them nothing changes."""
    days = {d for item in loaded for d in (item.model.geldig_vanaf, item.model.geldig_tot) if d is not None}
    return sorted(days)


def day_for_pin(version: LoadedRuleset, datum: dt.date) -> dt.date:
    """The date whose parents a pinned ``version`` is judged with: ``datum`` when it lies in
    the version's period, otherwise the nearest day of that period."""
    start, end = version.model.geldig_vanaf, version.model.geldig_tot
    if datum < start:
        return start
    if end is not None and datum >= end:
        return end - dt.timedelta(days=1)
    return datum


def selection_key(loaded: Sequence[LoadedRuleset]) -> tuple[tuple[str, str, str], ...]:
    """What identifies one combination of versions (id, versie, content hash)."""
    return tuple(sorted((i.model.id, i.model.versie, i.sha256) for i in loaded))


def day_for(
    loaded: Iterable[LoadedRuleset],
    top: str,
    datum: dt.date,
    versie: str | None = None,
    source: str = "casus",
    veld: str = "datum",
) -> dt.date:
    """The date whose versions judge a case dated ``datum`` (or pinned to ``versie`` of ``top``):
    the versions in force on it (:func:`in_force`) are the ones used.

    A date on which ``top``, or a ruleset it extends, has no version in force is a
    CaseError (MV020) naming the field ``veld`` (``datum``; a dossier's ``op``), never its value: a case dated before
    every version is never judged by the newest. An unknown ``versie`` is MV021.
    """
    versions = by_id(loaded)
    if versie is not None:
        match = [i for i in versions.get(top, []) if i.model.versie == versie]
        if not match:
            known = ", ".join(i.model.versie for i in versions.get(top, []))
            raise CaseError(
                [case_problem(Code.MV021, f"ruleset `{top}` heeft geen versie `{versie}`; bekend: {known}", source)],
                source,
            )
        datum = day_for_pin(match[0], datum)
    chosen = {i.model.id: i for i in in_force(loaded, datum)}
    todo, seen = [top], set()
    while todo:
        ruleset_id = todo.pop()
        if ruleset_id in seen or ruleset_id not in versions:
            continue  # an unknown id is the compiler's to report (MR032)
        seen.add(ruleset_id)
        item = chosen.get(ruleset_id)
        if item is None:
            first = versions[ruleset_id][0].model.geldig_vanaf
            when = (
                f"ligt vóór de eerste versie van ruleset `{ruleset_id}` (geldig vanaf {first.isoformat()})"
                if datum < first
                else f"valt buiten elke versie van ruleset `{ruleset_id}`"
            )
            message = f"de datum {when}; een casus wordt nooit met een andere versie beoordeeld"
            raise CaseError([case_problem(Code.MV020, message, source, veld)], source)
        todo.extend(item.model.breidt_uit)
    return datum
