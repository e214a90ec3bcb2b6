"""Mutation self-test: small wrong edits to the shipped rulesets, and who catches them.

Each mutant is one edit a trainer could make by mistake (drop a rule, flip a
tested value, swap a conclusion, make the acute rule depend on "not already
reported by another", remove a begrip branch, weaken a sector rule). A
mutant is *caught* when a detector fails on it. Detectors are a list of
callables ``(paths) -> bool``; :func:`check_detector` is the first, and the
scenario files of the sectors are one more line (``DETECTORS.append(...)``).

A mutant is *equivalent* (left out of the denominator, and counted) when
every rule certainly and possibly fires on exactly the same cases as before,
with the same conclusion: then no detector can or should catch it. Mutants
whose only effect is on actions, steps or the dossier (not on ``melden`` or
``besluit``) are reported apart: ``check`` has no specification for those
beyond the declared invariants; the scenario files do.
"""

from __future__ import annotations

import copy
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.check import run_check
from meldcode_rules.check.context import besluit_rules, space_for
from meldcode_rules.check.semantics import actions, fire, judge
from meldcode_rules.check.targets import targets
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier import parse_dossier
from meldcode_rules.dossier.oordeel import evaluate_dossier
from meldcode_rules.load.operators import OPERATORS
from meldcode_rules.scenarios.scenarios import Verwacht, compare, peilmoment
from meldcode_rules.sectors.registry import UnknownSector, builtin_ruleset_dir, compile_loaded, load_all

Detector = Callable[[list[Path]], bool]


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: Any = field(repr=False)
    edit: Callable[[Any], bool] = field(repr=False)
    #: one of :data:`ISSUE_KINDS` for the edits issue 13 names, else ``""``
    kind: str = ""

    @property
    def text(self) -> str:
        """The whole mutated ruleset file (round-tripped YAML, made on demand: dumping is slow)."""
        data = copy.deepcopy(self.original)
        if not self.edit(data):
            raise ValueError(f"mutant `{self.name}` does not apply")
        return _dump(data)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _tests(node: Any) -> Iterator[dict[str, Any]]:
    """Every fact test (a mapping with ``feit``) in a condition, depth first."""
    if isinstance(node, dict):
        if "feit" in node:
            yield node
        for value in node.values():
            yield from _tests(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tests(item)


def _lists(node: Any) -> Iterator[list[Any]]:
    """Every ``alle``/``een_van`` list with at least two items."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("alle", "een_van") and isinstance(value, list) and len(value) > 1:
                yield value
            yield from _lists(value)
    elif isinstance(node, list):
        for item in node:
            yield from _lists(item)


_FLIP = {"ja": "nee", "nee": "ja"}
#: the operators whose one value can be flipped (from the operator table)
_FLIPPABLE = tuple(op.name for op in OPERATORS if op.tests_answer and not op.many)

#: The mutant kinds of issue 13, made to every rule that concludes ``melden: ja`` and to the
#: branches of the begrippen that say when to report; the goal: every one of them that changes
#: a judgement (melden, besluit or an action) is caught by check plus the shipped scenarios,
#: and at least 90% by check alone.
ISSUE_KINDS = ("regel-weggelaten", "niemand-anders", "onbekend", "meldactie-weggelaten", "tak-weggelaten")
ISSUE_BEGRIPPEN = ("meldnorm_1", "melden_nodig")


def mutants_of(file: Path) -> list[Mutant]:
    """All mutants of one ruleset file."""
    original = _yaml().load(file.read_text(encoding="utf-8"))
    out: list[Mutant] = []
    name = file.name

    def emit(label: str, edit: Callable[[Any], bool], applies: bool = True, kind: str = "") -> None:
        if applies:
            out.append(Mutant(label, name, original, edit, kind))

    regels = original.get("regels") or []
    for i, regel in enumerate(regels):
        rid = regel["id"]
        reports = regel.get("dan", {}).get("melden") == "ja"

        # A def with its index bound by a default, like the edits below (mypy infers no lambda with one).
        def drop_rule(d: Any, i: int = i) -> bool:
            return bool(d["regels"].pop(i))

        emit(f"{name}: regel {rid} weggelaten", drop_rule, kind="regel-weggelaten" if reports else "")
        for j, test in enumerate(_tests(regel.get("als"))):

            def flip(d: Any, i: int = i, j: int = j) -> bool:
                test = list(_tests(d["regels"][i]["als"]))[j]
                for op in _FLIPPABLE:
                    if test.get(op) in _FLIP:
                        test[op] = _FLIP[test[op]]
                        return True
                return False

            emit(f"{name}: {rid}: test {j + 1} omgedraaid", flip, any(test.get(op) in _FLIP for op in _FLIPPABLE))
        melden = regel.get("dan", {}).get("melden")
        if melden in _FLIP:

            def swap(d: Any, i: int = i) -> bool:
                dan = d["regels"][i]["dan"]
                dan["melden"] = _FLIP[dan["melden"]]
                if dan["melden"] == "nee" and dan.get("besluit") in ("melden", "melden_en_hulp"):
                    dan["besluit"] = "afsluiten"  # keep the mutant loadable (MR033)
                return True

            emit(f"{name}: {rid}: melden omgewisseld", swap)
        if melden == "ja":

            def weaken(d: Any, i: int = i) -> bool:
                als = d["regels"][i]["als"]
                d["regels"][i]["als"] = {"alle": [als, {"feit": "eerder_gemeld_door_ander", "is": "nee"}]}
                return True

            emit(f"{name}: {rid}: vereist dat niemand anders al meldde", weaken, kind="niemand-anders")

            def downgrade(d: Any, i: int = i) -> bool:
                dan = d["regels"][i]["dan"]
                dan["melden"] = "onbekend"
                if dan.get("besluit") in ("melden", "melden_en_hulp"):
                    del dan["besluit"]  # keep the mutant loadable (MR033)
                return True

            emit(f"{name}: {rid}: melden verlaagd naar onbekend", downgrade, kind="onbekend")

            def drop_report(d: Any, i: int = i) -> bool:
                acties = d["regels"][i]["dan"].get("acties") or []
                keep = [a for a in acties if a.get("code") != "melden_veilig_thuis"]
                if len(keep) == len(acties):
                    return False
                d["regels"][i]["dan"]["acties"] = keep
                return True

            reported = any(a.get("code") == "melden_veilig_thuis" for a in regel["dan"].get("acties") or [])
            emit(f"{name}: {rid}: actie melden_veilig_thuis weggelaten", drop_report, reported, "meldactie-weggelaten")
    for i, regel in enumerate(regels):
        if regel.get("dan", {}).get("melden") == "ja":
            continue  # its "niemand anders" mutant is made above
        if any(t.get("feit") == "afweging.acute_onveiligheid" and t.get("is") == "ja" for t in _tests(regel["als"])):

            def depends(d: Any, i: int = i) -> bool:
                als = d["regels"][i]["als"]
                d["regels"][i]["als"] = {"alle": [als, {"feit": "eerder_gemeld_door_ander", "is": "nee"}]}
                return True

            emit(f"{name}: {regel['id']}: hangt af van 'niet eerder gemeld door een ander'", depends)
    for i, begrip in enumerate(original.get("begrippen") or []):
        for j, branch in enumerate(_lists(begrip.get("als"))):
            for k in range(len(branch)):

                def drop(d: Any, i: int = i, j: int = j, k: int = k) -> bool:
                    list(_lists(d["begrippen"][i]["als"]))[j].pop(k)
                    return True

                emit(
                    f"{name}: begrip {begrip['id']}: tak {k + 1} van lijst {j + 1} weggelaten",
                    drop,
                    kind="tak-weggelaten" if begrip["id"] in ISSUE_BEGRIPPEN else "",
                )
    return out


# ------------------------------------------------------------------ detectors


@dataclass
class Baseline:
    errors: frozenset[tuple[Any, ...]]


def _error_keys(paths: list[Path]) -> frozenset[tuple[Any, ...]]:
    report = run_check(paths, engine_agreement=False, warnings=False)
    return frozenset(
        (f.code, f.ruleset, f.message, repr(f.tegenvoorbeeld), f.details) for f in report.errors
    ) | frozenset([("geen-ruleset",)] if not report.checked else [])


def check_detector(baseline: Baseline) -> Detector:
    """Caught when ``check`` reports an error the unmutated rulesets do not have."""

    def detect(paths: list[Path]) -> bool:
        return bool(_error_keys(paths) - baseline.errors)

    return detect


# ------------------------------------------------------------------ equivalence


def _signature(compiled: CompiledRuleset) -> dict[str, Any]:
    return {r.id: (r.zeker, r.mogelijk, r.dan) for r in compiled.rules}


def _fired_equal(a: CompiledRuleset, b: CompiledRuleset) -> bool:
    """Every rule fires on the same cases with the same conclusion (proved over both rules' facts)."""
    left, right = {r.id: r for r in a.rules}, {r.id: r for r in b.rules}
    if left.keys() != right.keys():
        return False
    for rid, rule in left.items():
        other = right[rid]
        if rule.dan != other.dan:
            return False
        if (rule.zeker, rule.mogelijk) == (other.zeker, other.mogelijk):
            continue
        space = space_for(a, [rule, other])
        if space.eval(rule.zeker) != space.eval(other.zeker) or space.eval(rule.mogelijk) != space.eval(other.mogelijk):
            return False
    return True


def _melden_besluit_equal(a: CompiledRuleset, b: CompiledRuleset) -> bool:
    rules_a, rules_b = besluit_rules(a), besluit_rules(b)
    space = space_for(a, [*rules_a, *rules_b])
    ja, jb = judge(space, rules_a, fire(space, rules_a)), judge(space, rules_b, fire(space, rules_b))
    return ja.melden == jb.melden and ja.besluit == jb.besluit


def _actions_equal(a: CompiledRuleset, b: CompiledRuleset) -> bool:
    """Every action code is asked for on exactly the same cases (only a proof says yes)."""
    codes = {x.code for r in (*a.rules, *b.rules) for x in r.dan.acties}
    for code in sorted(codes):
        rules_a = [r for r in a.rules if any(x.code == code for x in r.dan.acties)]
        rules_b = [r for r in b.rules if any(x.code == code for x in r.dan.acties)]
        if [(r.id, r.zeker) for r in rules_a] == [(r.id, r.zeker) for r in rules_b]:
            continue
        # Actions come from `zeker` alone: only that counts (context.space_for).
        space = space_for(a, [], zeker_only=[*rules_a, *rules_b])
        if not space.exhaustive:
            return False
        got_a = actions(space, rules_a, fire(space, rules_a, rules_a)).get(code, 0)
        got_b = actions(space, rules_b, fire(space, rules_b, rules_b)).get(code, 0)
        if got_a != got_b:
            return False
    return True


@dataclass(frozen=True)
class MutantRecord:
    name: str
    kind: str
    #: ``melden/besluit``, ``acties`` (same melden and besluit, other actions) or ``overig``
    #: (only steps, the dossier or questions)
    changes: str
    #: per detector, in the order given: whether it caught the mutant
    caught_by: tuple[bool, ...]


@dataclass
class MutationResult:
    caught: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    #: caught/missed among mutants that change only actions, steps or the dossier
    other_caught: list[str] = field(default_factory=list)
    other_missed: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    records: list[MutantRecord] = field(default_factory=list)

    @property
    def score(self) -> float:
        total = len(self.caught) + len(self.missed)
        return len(self.caught) / total if total else 1.0

    def issue_mutants(self) -> list[MutantRecord]:
        """The mutants of issue 13's kinds that change a judgement (melden, besluit or an action)."""
        return [r for r in self.records if r.kind in ISSUE_KINDS and r.changes != "overig"]

    def caught_by(self, detectors: Sequence[int], records: Sequence[MutantRecord] | None = None) -> list[str]:
        """Names of the mutants caught by any of the detectors with these indexes."""
        chosen = self.issue_mutants() if records is None else records
        return [r.name for r in chosen if any(r.caught_by[i] for i in detectors if i < len(r.caught_by))]

    def summary(self) -> str:
        other = len(self.other_caught) + len(self.other_missed)
        text = (
            f"mutanten die melden/besluit veranderen: {len(self.caught)}/{len(self.caught) + len(self.missed)} "
            f"gevangen ({self.score:.0%}); alleen acties/stap/dossier: {len(self.other_caught)}/{other} gevangen; "
            f"equivalent (niet meegeteld): {len(self.equivalent)}"
        )
        issue = self.issue_mutants()
        if issue:
            detectors = range(len(issue[0].caught_by))
            text += (
                f"; soorten van issue 13 die een oordeel veranderen: {len(issue)}, door check alleen "
                f"{len(self.caught_by([0]))} gevangen, door alle detectoren {len(self.caught_by(detectors))}"
            )
        return text


def run_mutation(
    source: Path | None = None,
    detectors: list[Callable[[Baseline], Detector]] | None = None,
    *,
    kinds: Sequence[str] | None = None,
) -> MutationResult:
    """Mutate every ruleset file under ``source``, and run the detectors on each mutant.

    Each mutant is checked with only the rulesets it can affect: the basismodel, plus the
    mutated file when that is a sector ruleset (a sector never changes another sector).
    Every detector runs on every mutant (``MutantRecord.caught_by``), so one run tells what
    ``check`` alone catches and what the scenarios add. ``kinds`` limits the run to mutants
    of those kinds (:data:`ISSUE_KINDS`; ``""`` for the others).
    """
    source = source or builtin_ruleset_dir()
    factories = detectors or [check_detector]
    files = sorted(source.rglob("*.yaml"))
    basis = source / "basismodel.yaml"
    result = MutationResult()
    with tempfile.TemporaryDirectory(prefix="meldcode-mutant-") as tmp:
        for number, file in enumerate(files):
            mutants = [m for m in mutants_of(file) if kinds is None or m.kind in kinds]
            if not mutants:
                continue
            root = Path(tmp) / f"set{number}"
            root.mkdir()
            for member in {basis, file}:
                shutil.copy(member, root / member.name)
            base_paths = [root]
            baseline = Baseline(_error_keys(base_paths))
            active = [factory(baseline) for factory in factories]
            original = {label: c for label, c in targets(base_paths).compiled}
            target = root / file.name
            pristine = target.read_text(encoding="utf-8")
            for mutant in mutants:
                target.write_text(mutant.text, encoding="utf-8")
                try:
                    mutated = targets([root])
                    changes = "melden/besluit"
                    if not mutated.findings and {lbl for lbl, _ in mutated.compiled} == original.keys():
                        pairs = [(original[lbl], c) for lbl, c in mutated.compiled]
                        if all(_fired_equal(a, b) for a, b in pairs):
                            result.equivalent.append(mutant.name)
                            continue
                        if all(_melden_besluit_equal(a, b) for a, b in pairs):
                            changes = "overig" if all(_actions_equal(a, b) for a, b in pairs) else "acties"
                    caught_by = tuple(detect([root]) for detect in active)
                finally:
                    target.write_text(pristine, encoding="utf-8")
                caught = any(caught_by)
                kind = "core" if changes == "melden/besluit" else "other"
                bucket = {
                    ("core", True): result.caught,
                    ("core", False): result.missed,
                    ("other", True): result.other_caught,
                    ("other", False): result.other_missed,
                }[(kind, caught)]
                bucket.append(mutant.name)
                result.records.append(MutantRecord(mutant.name, mutant.kind, changes, caught_by))
    return result


# ------------------------------------------------------------------ a scenario table as detector


def scenario_detector(scenarios: list[dict[str, Any]]) -> Callable[[Baseline], Detector]:
    """Caught when a scenario fails: a case (``gegeven``) or a dossier judged ``op`` a date, held
    to its ``verwacht`` by the same comparison `meldcode-rules test` uses."""

    def factory(baseline: Baseline) -> Detector:
        def detect(paths: list[Path]) -> bool:
            # A scenario may name its sector (the shipped scenario files do); the files are
            # parsed once per mutant (parsing is most of the cost), each sector compiled once.
            try:
                loaded = load_all(paths)
            except MeldcodeError:
                return True
            compiled: dict[str | None, Any] = {}
            for sector in {scenario.get("sector") for scenario in scenarios}:
                try:
                    compiled[sector] = compile_loaded(loaded, sector)
                except UnknownSector:
                    continue  # that sector's ruleset is not among the mutated set: not its scenarios
                except MeldcodeError:
                    return True
            for scenario in scenarios:
                ruleset = compiled.get(scenario.get("sector"))
                if ruleset is None:
                    continue
                try:
                    if scenario.get("dossier") is not None:
                        # Time rules (deadlines, overdue, a closed case without contact) only
                        # show in a dossier judged as of a date.
                        dossier = parse_dossier({**scenario["dossier"], "sector": scenario.get("sector")}, "dossier")
                        oordeel = evaluate_dossier(
                            dossier, engine="reference", ruleset=ruleset, op=peilmoment(scenario["op"])
                        )
                    else:
                        case = parse_case(scenario["gegeven"], model=ruleset.catalog.model)
                        oordeel = evaluate(case, ruleset=ruleset, engine="reference")
                except MeldcodeError:
                    return True  # the mutant no longer accepts a scenario the original judged
                if compare(Verwacht.model_validate(scenario["verwacht"]), oordeel):
                    return True
            return False

        return detect

    return factory
