"""Coverage of conclusions: which conclusions of each rule some scenario would miss.

A rule can fire in a scenario whose expectation says nothing about what it concludes; then
the scenario "covers" the rule but would still pass if the rule lost its ``melden``, its
``besluit`` or one of its actions. Here a conclusion counts as *observed* when some scenario
that passes today fails once that one conclusion is removed from that one rule (everything
else unchanged): that scenario is the test that protects it.

The cases are not re-run through an engine per removal: removing a conclusion does not change
which rules fire, so each scenario is fired once (reference engine) and judged again by
:func:`meldcode_rules.judge.combine.judge` with the rule's conclusion left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from meldcode_rules.check.context import besluit_rules, space_for
from meldcode_rules.check.semantics import actions, fire
from meldcode_rules.check.semantics import judge as judge_space
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset
from meldcode_rules.diagnostics import Location
from meldcode_rules.engines import get_engine
from meldcode_rules.judge.combine import Fired, judge
from meldcode_rules.scenarios.scenarios import LoadedScenario, compare


@dataclass
class Conclusion:
    """One conclusion of one rule: ``melden``, ``besluit`` or ``actie:<code>``."""

    rule: str
    location: Location
    part: str
    #: the value it concludes (``ja``, ``melden_en_hulp``, ...; the code for an action)
    value: str
    #: the scenario that would fail without it (file:line naam), None when none would
    observed_by: str | None = None
    #: no case's judgement needs it (another rule concludes the same wherever this one
    #: fires; proved over check's case space): no scenario can observe it, so it is not counted
    redundant: bool = False


@dataclass
class ConclusionCoverage:
    ruleset: str
    conclusions: list[Conclusion] = field(default_factory=list)
    under_test: bool = False

    @property
    def counted(self) -> list[Conclusion]:
        return [c for c in self.conclusions if not c.redundant]

    @property
    def unobserved(self) -> list[Conclusion]:
        return [c for c in self.counted if c.observed_by is None]

    @property
    def percent(self) -> float:
        total = len(self.counted)
        return 100.0 if not total else 100.0 * (total - len(self.unobserved)) / total

    def to_json(self) -> dict[str, object]:
        return {
            "ruleset": self.ruleset,
            "getest": self.under_test,
            "procent": round(self.percent, 1),
            "conclusies": [
                {
                    "regel": c.rule,
                    "deel": c.part,
                    "waarde": c.value,
                    "bestand": c.location.file,
                    "regelnummer": c.location.line,
                    "waargenomen_door": c.observed_by,
                    "overbodig": c.redundant,
                }
                for c in self.conclusions
            ],
        }


def parts_of(rule: CompiledRule) -> list[tuple[str, str]]:
    """The conclusions of ``rule`` that coverage counts: melden, besluit, each action."""
    out: list[tuple[str, str]] = []
    if rule.dan.melden is not None:
        out.append(("melden", rule.dan.melden))
    if rule.dan.besluit is not None:
        out.append(("besluit", rule.dan.besluit))
    out += [(f"actie:{a.code}", a.code) for a in rule.dan.acties]
    return out


def without(compiled: CompiledRuleset, rule_id: str, part: str) -> CompiledRuleset:
    """``compiled`` with one conclusion of one rule removed."""
    rules = []
    for rule in compiled.rules:
        if rule.id == rule_id:
            if part in ("melden", "besluit"):
                dan = rule.dan.model_copy(update={part: None})
            else:
                code = part.removeprefix("actie:")
                dan = rule.dan.model_copy(update={"acties": [a for a in rule.dan.acties if a.code != code]})
            rule = replace(rule, dan=dan)
        rules.append(rule)
    return replace(compiled, rules=tuple(rules))


def conclusion_coverage(loaded: Sequence[LoadedScenario]) -> list[ConclusionCoverage]:
    """Per ruleset, every conclusion of its rules and the scenario (if any) that observes it."""
    engine = get_engine("reference")
    observed: dict[tuple[str, str, str], str] = {}
    known: dict[tuple[str, str, str], Conclusion] = {}
    decided: dict[tuple[str, str, str], bool] = {}
    by_ruleset: dict[str, ConclusionCoverage] = {}
    groups: dict[int, tuple[CompiledRuleset, list[LoadedScenario]]] = {}
    # the basismodel first: a conclusion it proves redundant is redundant in every sector
    for item in sorted(loaded, key=lambda i: i.ruleset.id != "basismodel"):
        groups.setdefault(id(item.ruleset), (item.ruleset, []))[1].append(item)
    for compiled, items in groups.values():
        by_ruleset.setdefault(compiled.id, ConclusionCoverage(compiled.id)).under_test = True
        runs = []
        for item in items:
            flat = compiled.catalog.flatten(item.case)
            fired = engine.fire(compiled, flat)
            datum = item.case.datum or dt.date.today()
            base = judge(compiled, flat, fired, datum=datum, engine="reference")
            if compare(item.scenario.verwacht, base):
                continue  # a failing scenario observes nothing (it already fails)
            runs.append((item, flat, fired, datum))
        needed = _Needed(compiled)
        for rule in compiled.rules:
            entry = by_ruleset.setdefault(rule.ruleset, ConclusionCoverage(rule.ruleset))
            for part, value in parts_of(rule):
                key = (rule.ruleset, rule.id, part)
                if key not in known:
                    known[key] = Conclusion(rule.id, rule.location, part, value)
                    entry.conclusions.append(known[key])
                if key not in decided and compiled.id == rule.ruleset:  # decided where the rule is written
                    verdict = needed(rule, part)
                    if verdict is not None:
                        decided[key] = not verdict
                if key in observed:
                    continue
                # A rule that only possibly fires still matters for melden (it makes it onbekend).
                touching = [r for r in runs if rule.id in r[2].zeker or (part == "melden" and _maybe(rule, r[2]))]
                if not touching:
                    continue
                mutant = without(compiled, rule.id, part)
                for item, flat, fired, datum in touching:
                    if compare(item.scenario.verwacht, judge(mutant, flat, fired, datum=datum, engine="reference")):
                        observed[key] = f"{item.location.file}:{item.location.line} {item.naam}"
                        break
    out = []
    for entry in by_ruleset.values():
        entry.conclusions = [
            replace(
                c,
                observed_by=observed.get((entry.ruleset, c.rule, c.part)),
                redundant=decided.get((entry.ruleset, c.rule, c.part), False),
            )
            for c in entry.conclusions
        ]
        entry.conclusions.sort(key=lambda c: (c.location.file, c.location.line, c.part))
        out.append(entry)
    return sorted(out, key=lambda c: (c.ruleset != "basismodel", c.ruleset))


def _maybe(rule: CompiledRule, fired: Fired) -> bool:
    return rule.id in fired.mogelijk


class _Needed:
    """Whether removing one conclusion changes some judgement, over check's case space.

    Returns ``None`` when the space is too large to enumerate (only a proof may call a
    conclusion redundant). A conclusion redundant in a ruleset stays redundant in every
    extension of it: extending adds rules, and judgements combine monotonically.
    """

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.compiled = compiled
        self._cache: dict[str, tuple[object, object, list[CompiledRule], object]] = {}

    def _setup(self, part: str) -> tuple[object, object, list[CompiledRule], object]:
        key = part if part.startswith("actie:") else "oordeel"
        if key not in self._cache:
            if key == "oordeel":
                rules = besluit_rules(self.compiled)
            else:
                code = key.removeprefix("actie:")
                rules = [r for r in self.compiled.rules if any(a.code == code for a in r.dan.acties)]
            space = space_for(self.compiled, rules)
            fired = fire(space, rules)
            self._cache[key] = (space, fired, rules, self._sets(space, fired, rules, part))
        return self._cache[key]

    @staticmethod
    def _sets(space: object, fired: object, rules: Sequence[CompiledRule], part: str) -> object:
        if part.startswith("actie:"):
            return actions(space, rules, fired).get(part.removeprefix("actie:"), 0)  # type: ignore[arg-type]
        sets = judge_space(space, rules, fired)  # type: ignore[arg-type]
        return (sets.melden, sets.besluit)

    def __call__(self, rule: CompiledRule, part: str) -> bool | None:
        space, fired, rules, base = self._setup(part)
        if not space.exhaustive:  # type: ignore[attr-defined]
            return None
        mutant = without(self.compiled, rule.id, part)
        changed = [r for r in mutant.rules if r.id in {x.id for x in rules}]
        return self._sets(space, fired, changed, part) != base
