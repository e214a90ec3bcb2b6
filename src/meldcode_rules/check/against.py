"""``check --against REV``: this version compared with a previous one.

Two kinds of finding, both errors:

- ``MC600``: a class of cases gets less protection than in the previous version
  (:mod:`.diff`, exhaustive over the case space);
- ``MC601``: an invariant of the previous version is gone, or promises less (its ``dan``
  lost ``melden``, ``besluit`` or an action, or its ``als`` covers fewer cases), and the new
  version does not say so in ``vervalt:``. An invariant is a promise a trainer wrote down;
  dropping it must be a decision in the file, with its reason, never a side effect.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from meldcode_rules.check.completeness import ruleset_location
from meldcode_rules.check.context import space_for
from meldcode_rules.check.diff import Version, as_findings, diff_versions, materialise
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.targets import Targets, targets
from meldcode_rules.compiler.compile import CompiledInvariant, CompiledRuleset
from meldcode_rules.diagnostics import Code, DiffError, Location, RulesetError
from meldcode_rules.sectors.registry import load_all


def against(rev: str, new_paths: list[Path], new: Targets, *, default_path: str = "rulesets") -> list[Finding]:
    """The findings of comparing ``new`` (the version being checked) with ``rev``."""
    with tempfile.TemporaryDirectory(prefix="meldcode-against-") as tmp:
        try:
            old_paths = materialise(rev, Path(tmp), default_path)
        except DiffError as error:
            return [Finding(Code.MC602, str(error), Location(f"<{rev}>"), proved=None)]
        old = targets(old_paths)
        if old.findings or not old.compiled:
            return [
                Finding(
                    Code.MC602,
                    f"de vorige versie `{rev}` is zelf niet te controleren; vergelijken kan niet",
                    Location(f"<{rev}>"),
                    proved=None,
                )
            ]
        report = diff_versions(Version(rev, old_paths, old), Version("nu", new_paths, new))
        findings = as_findings(report)
        findings += invariant_findings(dict(old.compiled), dict(new.compiled), _vervalt(new_paths), rev)
    return findings


def _vervalt(paths: list[Path]) -> dict[str, dict[str, str]]:
    """Per ruleset id: the invariants it lets go on purpose (id -> reden)."""
    try:
        loaded = load_all(paths)
    except RulesetError:
        return {}
    return {item.model.id: {v.invariant: v.reden for v in item.model.vervalt} for item in loaded}


def invariant_findings(
    old: dict[str, CompiledRuleset], new: dict[str, CompiledRuleset], vervalt: dict[str, dict[str, str]], rev: str
) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for label, before in old.items():
        after = new.get(label)
        if after is None:
            continue
        mine = {i.id: i for i in after.invarianten}
        for inv in before.invarianten:
            key = (inv.ruleset, inv.id)
            if key in seen:
                continue  # a basismodel invariant shows in every sector: judged once
            seen.add(key)
            allowed = vervalt.get(inv.ruleset, {})
            now = mine.get(inv.id)
            if now is None:
                problem = "is verdwenen"
            else:
                weaker = _weaker(before, inv, now)
                if not weaker:
                    continue
                problem = "belooft minder: " + "; ".join(weaker)
            if inv.id in allowed:
                continue
            out.append(
                Finding(
                    Code.MC601,
                    f"invariant `{inv.id}` ({inv.titel}) van `{inv.ruleset}` {problem} ten opzichte van `{rev}`",
                    now.location if now is not None else ruleset_location(after),
                    proved=None,
                    ruleset=inv.ruleset,
                    details=(
                        "is dat de bedoeling, zeg het dan in de ruleset:",
                        f'vervalt: [{{invariant: {inv.id}, reden: "..."}}]',
                    ),
                )
            )
    return out


def _weaker(compiled: CompiledRuleset, old: CompiledInvariant, new: CompiledInvariant) -> list[str]:
    a, b = old.invariant.dan, new.invariant.dan
    out = []
    if a.melden is not None and b.melden != a.melden:
        out.append(f"`melden: {a.melden}` is weg of anders")
    if a.besluit is not None and b.besluit != a.besluit:
        out.append(f"`besluit: {a.besluit}` is weg of anders")
    lost = [code for code in a.acties if code not in b.acties]
    if lost:
        out.append("acties weg: " + ", ".join(lost))
    if old.zeker != new.zeker:
        space = space_for(compiled, [], extra=[old.zeker, new.zeker])
        dropped = space.eval(old.zeker) & ~space.eval(new.zeker)
        if dropped:
            out.append(f"`als` geldt op {space.count(dropped)} van {space.size} gevallen niet meer")
    return out
