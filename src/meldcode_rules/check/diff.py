"""``meldcode-rules diff OLD NEW``: what a change to the rulesets does to judgements.

Exhaustive over the same finite case space ``check`` proves over: for every ruleset (the
basismodel and each sector) in both versions, every case of the space is judged by both, and
the cases whose judgement changes (``melden``, ``besluit``, an action) are grouped into classes
with the same change, counted, and shown by their smallest case, ready to paste.

A class *lowers protection* when ``melden`` or ``besluit`` goes down the protective order or an
action is lost; that is an error (exit 1). One that only raises protection (higher ``melden``
or ``besluit``, an action added) is listed, as are changes in wording (titles, texts, sources)
that change no judgement; neither fails the run.

OLD and NEW are ruleset files or folders, or git revisions (``REV`` or ``REV:path``, read with
``git show``; no network). ``--cases FILE`` adds the impact on real cases (JSON Lines or a YAML
list): how many change and how, by line number only, never their facts.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from meldcode_rules.api import evaluate
from meldcode_rules.check.context import besluit_rules, space_for
from meldcode_rules.check.findings import Finding
from meldcode_rules.check.semantics import actions, fire, judge
from meldcode_rules.check.space import case_data
from meldcode_rules.check.targets import Targets, targets
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset
from meldcode_rules.diagnostics import Code, DiffError, Location, MeldcodeError, UnknownSector
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.load.ruleset import BESLUIT_ORDE, MELDEN_ORDE
from meldcode_rules.sectors.registry import Versies, versies_from

# ---------------------------------------------------------------- sources: folders or git revisions


@dataclass
class Version:
    label: str
    paths: list[Path]
    found: Targets


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)


def materialise(spec: str, tmp: Path, default_path: str = "rulesets", repo: Path | None = None) -> list[Path]:
    """The ruleset files of ``spec``: an existing path, or ``REV[:path]`` extracted from git."""
    as_path = Path(spec)
    if as_path.exists():
        return [as_path]
    rev, _, sub = spec.partition(":")
    sub = sub or default_path
    cwd = repo or Path.cwd()
    top = _git("rev-parse", "--show-toplevel", cwd=cwd)
    if top.returncode != 0:
        raise DiffError(f"`{spec}` is geen pad en hier is geen git-repository")
    root = Path(top.stdout.decode().strip())
    prefix = str((cwd / sub).resolve().relative_to(root)) if (cwd / sub).resolve().is_relative_to(root) else sub
    listed = _git("ls-tree", "-r", "--name-only", rev, "--", prefix, cwd=root)
    if listed.returncode != 0:
        raise DiffError(f"`{rev}` is geen git-revisie (of `{prefix}` bestaat daar niet)")
    names = [n for n in listed.stdout.decode().splitlines() if n.endswith((".yaml", ".yml"))]
    if not names:
        raise DiffError(f"geen rulesetbestanden in `{rev}:{prefix}`")
    target = tmp / rev.replace("/", "_").replace("~", "_").replace("^", "_")
    for name in names:
        shown = _git("show", f"{rev}:{name}", cwd=root)
        if shown.returncode != 0:
            raise DiffError(f"kan `{rev}:{name}` niet lezen")
        out = target / Path(name).relative_to(prefix) if name != prefix else target / Path(name).name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(shown.stdout)
    return [target]


# ---------------------------------------------------------------- classes of changed cases


@dataclass(frozen=True)
class Change:
    """One class of cases with the same change of judgement."""

    ruleset: str
    melden: tuple[str, str]
    besluit: tuple[str, str]
    lost: tuple[str, ...]
    gained: tuple[str, ...]
    count: int
    total: int
    #: the smallest case of the class, in case-file form
    example: dict[str, Any]
    proved: bool
    #: the other rulesets (sectors) with the same change on the same case, folded into this one
    also: tuple[str, ...] = ()

    @property
    def lowers(self) -> bool:
        old_m, new_m = (MELDEN_ORDE.index(v) for v in self.melden)
        old_b, new_b = (BESLUIT_ORDE.index(v) for v in self.besluit)
        return new_m < old_m or new_b < old_b or bool(self.lost)

    def describe(self) -> str:
        parts = []
        if self.melden[0] != self.melden[1]:
            parts.append(f"melden {self.melden[0]} -> {self.melden[1]}")
        if self.besluit[0] != self.besluit[1]:
            parts.append(f"besluit {self.besluit[0]} -> {self.besluit[1]}")
        if self.lost:
            parts.append("acties weg: " + ", ".join(self.lost))
        if self.gained:
            parts.append("acties erbij: " + ", ".join(self.gained))
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset,
            "verlaagt_bescherming": self.lowers,
            "melden": {"oud": self.melden[0], "nieuw": self.melden[1]},
            "besluit": {"oud": self.besluit[0], "nieuw": self.besluit[1]},
            "acties_weg": list(self.lost),
            "acties_erbij": list(self.gained),
            "aantal": self.count,
            "van": self.total,
            "bewezen": self.proved,
            "kleinste_casus": self.example,
            "ook_in": list(self.also),
        }


@dataclass
class CaseImpact:
    """What the change does to one set of real cases (line numbers only: never their facts)."""

    file: str
    total: int = 0
    changed: dict[str, list[int]] = field(default_factory=dict)
    lowered: list[int] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "bestand": self.file,
            "casussen": self.total,
            "veranderd": {k: v for k, v in self.changed.items()},
            "verlaagd": self.lowered,
            "niet_te_beoordelen": self.errors,
        }


@dataclass
class DiffReport:
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)
    #: changes that alter no judgement: added/removed/retitled rules, texts, sources
    wording: list[str] = field(default_factory=list)
    #: rulesets only in one version
    only_old: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    cases: list[CaseImpact] = field(default_factory=list)

    @property
    def lowering(self) -> list[Change]:
        return [c for c in self.changes if c.lowers]

    @property
    def ok(self) -> bool:
        return not self.lowering and not self.problems and not self.only_old and not any(i.lowered for i in self.cases)

    def to_json(self) -> dict[str, Any]:
        return {
            "oud": self.old,
            "nieuw": self.new,
            "ok": self.ok,
            "veranderingen": [c.to_json() for c in self.changes],
            "tekstwijzigingen": self.wording,
            "alleen_oud": self.only_old,
            "alleen_nieuw": self.only_new,
            "problemen": [p.to_json() for p in self.problems],
            "casussen": [i.to_json() for i in self.cases],
        }


def _sig(rule: CompiledRule) -> tuple[Any, ...]:
    return (rule.zeker, rule.mogelijk, rule.dan.melden, rule.dan.besluit, tuple(a.code for a in rule.dan.acties))


def _changed_codes(old: CompiledRuleset, new: CompiledRuleset) -> list[str]:
    """Action codes whose producing rules (by id and condition) differ between the versions."""

    def producers(compiled: CompiledRuleset) -> dict[str, set[tuple[str, Any]]]:
        out: dict[str, set[tuple[str, Any]]] = {}
        for rule in compiled.rules:
            for actie in rule.dan.acties:
                out.setdefault(actie.code, set()).add((rule.id, rule.zeker))
        return out

    a, b = producers(old), producers(new)
    return sorted(code for code in a.keys() | b.keys() if a.get(code) != b.get(code))


def compare_rulesets(old: CompiledRuleset, new: CompiledRuleset, label: str) -> list[Change]:
    """Every class of cases whose judgement differs between ``old`` and ``new``."""
    old_b, new_b = besluit_rules(old), besluit_rules(new)
    judged = [_sig(r) for r in old_b] != [_sig(r) for r in new_b] or [r.id for r in old_b] != [r.id for r in new_b]
    codes = _changed_codes(old, new)
    if not judged and not codes:
        return []
    old_a = [r for r in old.rules if any(a.code in codes for a in r.dan.acties)]
    new_a = [r for r in new.rules if any(a.code in codes for a in r.dan.acties)]
    rules_old = list({r.id: r for r in [*old_b, *old_a]}.values())
    rules_new = list({r.id: r for r in [*new_b, *new_a]}.values())
    # Rules looked at only for their actions: their `zeker` alone counts (context.space_for).
    ids_old, ids_new = {r.id for r in old_b}, {r.id for r in new_b}
    acting_old = [r for r in rules_old if r.id not in ids_old]
    acting_new = [r for r in rules_new if r.id not in ids_new]
    space = space_for(new, [*old_b, *new_b], zeker_only=[*acting_old, *acting_new])
    fired_old, fired_new = fire(space, rules_old, acting_old), fire(space, rules_new, acting_new)
    j_old, j_new = judge(space, old_b, fired_old), judge(space, new_b, fired_new)
    acts_old, acts_new = actions(space, rules_old, fired_old), actions(space, rules_new, fired_new)

    groups: list[tuple[int, tuple[str, str], tuple[str, str], tuple[str, ...], tuple[str, ...]]] = []
    for mo in MELDEN_ORDE:
        for mn in MELDEN_ORDE:
            m_mask = j_old.melden[mo] & j_new.melden[mn]
            if not m_mask:
                continue
            for bo in BESLUIT_ORDE:
                ob = m_mask & j_old.besluit[bo]
                if not ob:
                    continue
                for bn in BESLUIT_ORDE:
                    mask = ob & j_new.besluit[bn]
                    if mask:
                        groups.append((mask, (mo, mn), (bo, bn), (), ()))
    for code in codes:
        lost = acts_old.get(code, 0) & ~acts_new.get(code, 0)
        gained = acts_new.get(code, 0) & ~acts_old.get(code, 0)
        split = []
        for mask, m, b, lo, ga in groups:
            for part, lo2, ga2 in (
                (mask & lost, (*lo, code), ga),
                (mask & gained, lo, (*ga, code)),
                (mask & ~lost & ~gained, lo, ga),
            ):
                if part:
                    split.append((part, m, b, lo2, ga2))
        groups = split
    out = []
    for mask, m, b, lo, ga in groups:
        if m[0] == m[1] and b[0] == b[1] and not lo and not ga:
            continue
        index = space.smallest(mask)
        assert index is not None
        out.append(
            Change(
                label,
                m,
                b,
                lo,
                ga,
                space.count(mask),
                space.size,
                case_data(new.catalog, space.assignment(index)),
                space.proved,
            )
        )
    out.sort(key=lambda c: (not c.lowers, -c.count, c.describe()))
    return out


def _wording(old: CompiledRuleset, new: CompiledRuleset, label: str) -> list[str]:
    # only the rules written in this ruleset: an inherited rule is reported where it is written
    a = {r.id: r for r in old.rules if r.ruleset == label}
    b = {r.id: r for r in new.rules if r.ruleset == label}
    out = []
    for rid in sorted(a.keys() - b.keys()):
        out.append(f"{label}: regel `{rid}` weggehaald")
    for rid in sorted(b.keys() - a.keys()):
        out.append(f"{label}: regel `{rid}` toegevoegd")
    for rid in sorted(a.keys() & b.keys()):
        x, y = a[rid], b[rid]
        what = [
            name
            for name, left, right in (
                ("titel", x.titel, y.titel),
                ("bron", x.bron, y.bron),
                ("uitleg", x.uitleg, y.uitleg),
                (
                    "acties",
                    [(c.code, c.tekst, c.termijn) for c in x.dan.acties],
                    [(c.code, c.tekst, c.termijn) for c in y.dan.acties],
                ),
                ("vastleggen", x.dan.vastleggen, y.dan.vastleggen),
                ("voorwaarde", x.als, y.als),
            )
            if left != right
        ]
        if what:
            out.append(f"{label}: regel `{rid}`: {', '.join(what)} gewijzigd")
    return out


def _version(spec: str, tmp: Path, default_path: str, op: dt.date | None = None) -> Version:
    paths = materialise(spec, tmp, default_path)
    return Version(spec, paths, targets(paths, op))


def run_diff(
    old_spec: str,
    new_spec: str,
    *,
    default_path: str = "rulesets",
    cases: Path | None = None,
    op: dt.date | None = None,
) -> DiffReport:
    """Compare OLD and NEW: every combination of versions (by the date it starts), or with
    ``op`` only the versions in force on that date in each. ``cases`` are judged by the
    versions of each tree in force on each case's own date."""
    with tempfile.TemporaryDirectory(prefix="meldcode-diff-") as name:
        tmp = Path(name)
        old = _version(old_spec, tmp / "oud", default_path, op)
        new = _version(new_spec, tmp / "nieuw", default_path, op)
        report = diff_versions(old, new)
        if cases is not None:
            report.cases.append(case_impact(cases, old.paths, new.paths))
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def diff_versions(old: Version, new: Version) -> DiffReport:
    report = DiffReport(old.label, new.label)
    report.problems += [f for f in [*old.found.findings, *new.found.findings] if f.severity == "fout"]
    a, b = dict(old.found.compiled), dict(new.found.compiled)
    # a version that does not compile is reported as such, not as every ruleset missing
    report.only_old = sorted(a.keys() - b.keys()) if not new.found.findings else []
    report.only_new = sorted(b.keys() - a.keys())
    changes: list[Change] = []
    for label in [lbl for lbl in a if lbl in b]:
        changes += compare_rulesets(a[label], b[label], label)
        report.wording += _wording(a[label], b[label], label)
    # a change to the basismodel shows in every sector that extends it: once, with where else
    folded: dict[tuple[Any, ...], Change] = {}
    for change in changes:
        key = (change.melden, change.besluit, change.lost, change.gained, json.dumps(change.example, sort_keys=True))
        if key in folded:
            first = folded[key]
            folded[key] = replace(first, also=(*first.also, change.ruleset))
        else:
            folded[key] = change
    report.changes = sorted(folded.values(), key=lambda c: (not c.lowers, -c.count, c.ruleset, c.describe()))
    return report


# ---------------------------------------------------------------- real cases


def _read_cases(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".jsonl", ".ndjson", ".json"):
        out: list[Any] = []  # a case, None for a blank line, ... for one that is no JSON
        for line in text.splitlines():
            if not line.strip():
                out.append(None)
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append(...)
        return out
    data = read_yaml(text, str(path))[0]
    return list(data) if isinstance(data, list) else [data]


def _versies(paths: list[Path], sector: object) -> Versies | None:
    """The versions of ``sector`` under ``paths`` (a sector without its own: the basismodel's)."""
    for name in ([sector] if isinstance(sector, str) else []) + [None]:
        try:
            return versies_from(paths, name)
        except UnknownSector:
            continue
        except MeldcodeError:
            return None
    return None


def case_impact(path: Path, old_paths: list[Path], new_paths: list[Path]) -> CaseImpact:
    """Each case judged by both trees, in the versions of each in force on the case's own date."""
    impact = CaseImpact(str(path))
    for number, case in enumerate(_read_cases(path), start=1):
        if case is None:
            continue
        impact.total += 1
        sector = case.get("sector") if isinstance(case, dict) else None
        ro, rn = _versies(old_paths, sector), _versies(new_paths, sector)
        if not isinstance(case, dict) or ro is None or rn is None:
            impact.errors.append(number)
            continue
        try:
            jo = evaluate(case, ruleset=ro, engine="reference")
            jn = evaluate(case, ruleset=rn, engine="reference")
        except MeldcodeError:
            impact.errors.append(number)
            continue
        lost = sorted({a.code for a in jo.acties} - {a.code for a in jn.acties})
        gained = sorted({a.code for a in jn.acties} - {a.code for a in jo.acties})
        change = Change(
            sector if isinstance(sector, str) else "basismodel",
            (jo.melden, jn.melden),
            (jo.besluit, jn.besluit),
            tuple(lost),
            tuple(gained),
            1,
            1,
            {},
            True,
        )
        if change.describe():
            impact.changed.setdefault(change.describe(), []).append(number)
            if change.lowers:
                impact.lowered.append(number)
    return impact


# ---------------------------------------------------------------- as findings of check --against


def as_findings(report: DiffReport) -> list[Finding]:
    out = []
    for change in report.lowering:
        out.append(
            Finding(
                Code.MC600,
                f"`{change.ruleset}`: deze wijziging verlaagt de bescherming ten opzichte van `{report.old}`: "
                + change.describe(),
                Location(f"<{change.ruleset}>"),
                proved=change.proved,
                ruleset=change.ruleset,
                tegenvoorbeeld=change.example,
                details=(f"{change.count} van {change.total} gevallen",),
            )
        )
    for label in report.only_old:
        out.append(
            Finding(
                Code.MC600,
                f"ruleset `{label}` stond in `{report.old}` en ontbreekt nu",
                Location(f"<{label}>"),
                proved=None,
                ruleset=label,
            )
        )
    return out
