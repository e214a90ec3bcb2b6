"""Mutation self-test: small wrong edits to the shipped rulesets must be caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.check.mutation import ISSUE_KINDS, check_detector, mutants_of, run_mutation, scenario_detector
from meldcode_rules.sectors.registry import builtin_ruleset_dir, builtin_scenario_dir

SCENARIOS = YAML(typ="safe").load((Path(__file__).parent / "mutation_scenarios.yaml").read_text(encoding="utf-8"))


def _shipped_scenarios() -> list[dict]:
    """Every shipped scenario file, as plain dicts with their file's sector."""
    table = []
    for file in sorted(builtin_scenario_dir().rglob("*.yaml")):
        data = YAML(typ="safe").load(file.read_text(encoding="utf-8"))
        table += [{**item, "sector": data.get("sector")} for item in data["scenarios"]]
    return table


def test_scenario_table_passes_on_the_shipped_rulesets() -> None:
    for scenario in SCENARIOS:
        oordeel = evaluate(parse_case(scenario["gegeven"]), engine="reference")
        want = scenario["verwacht"]
        for key in ("melden", "besluit", "stap"):
            if key in want:
                assert getattr(oordeel, key) == want[key], (scenario["naam"], key)
        assert set(want.get("acties", ())) <= {a.code for a in oordeel.acties}, scenario["naam"]
        assert set(want.get("regels", ())) <= {r.regel for r in oordeel.redenering}, scenario["naam"]
        assert not set(want.get("geen_acties", ())) & {a.code for a in oordeel.acties}, scenario["naam"]


def test_every_kind_of_mutant_is_generated() -> None:
    names = [m.name for m in mutants_of(builtin_ruleset_dir() / "basismodel.yaml")]
    for kind in ("weggelaten", "omgedraaid", "melden omgewisseld", "niemand anders al meldde", "tak"):
        assert any(kind in n for n in names), kind
    kinds = {m.kind for m in mutants_of(builtin_ruleset_dir() / "basismodel.yaml")}
    assert set(ISSUE_KINDS) <= kinds, kinds


@pytest.mark.slow
def test_mutation_score() -> None:
    # The detectors: `check` itself (index 0), and scenarios: a table written for this test
    # plus every shipped scenario file (which also cover the sector rulesets' own rules). One
    # run records per mutant what each detector caught (CI time: one pass, not two).
    result = run_mutation(detectors=[check_detector, scenario_detector(SCENARIOS + _shipped_scenarios())])
    print(result.summary())
    assert result.caught, "no mutants were run"
    assert result.score >= 0.95, (result.summary(), result.missed)
    other = len(result.other_caught) + len(result.other_missed)
    assert len(result.other_caught) >= 0.95 * other, (result.summary(), result.other_missed)
    core = [r for r in result.records if r.changes == "melden/besluit"]
    alone = result.caught_by([0], core)
    assert len(alone) >= 0.85 * len(core), (len(alone), len(core))
    # Issue 13: the kinds of mutant it lists (a `melden: ja` rule dropped, made to require that
    # nobody else reported, downgraded to onbekend, its melden_veilig_thuis removed; each branch
    # of the begrippen meldnorm_1 and melden_nodig dropped). Every one that changes a judgement
    # (melden, besluit or an action) is caught by check plus the scenarios, >= 90% by check alone.
    issue = result.issue_mutants()
    assert len(issue) >= 31, len(issue)
    assert {r.kind for r in issue} == set(ISSUE_KINDS), {r.kind for r in issue}
    missed = [r.name for r in issue if not any(r.caught_by)]
    assert not missed, missed
    by_check = result.caught_by([0])
    assert len(by_check) >= 0.90 * len(issue), (
        f"check alone: {len(by_check)}/{len(issue)}",
        sorted({r.name for r in issue} - set(by_check)),
    )


def test_equivalent_mutants_are_recognised(rulesets: Path) -> None:
    from meldcode_rules.check.mutation import _fired_equal
    from meldcode_rules.sectors.registry import compile_from

    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    original = compile_from([rulesets])
    acute = "        - {feit: afweging.acute_onveiligheid, is: ja}\n"
    structural = "        - {feit: afweging.structurele_onveiligheid, is: ja}\n"
    assert text.count(acute + structural) == 1
    # the two branches of meldnorm_1 in the other order: same meaning
    file.write_text(text.replace(acute + structural, structural + acute), encoding="utf-8")
    assert _fired_equal(original, compile_from([rulesets]))
    # one branch flipped: a real change
    file.write_text(text.replace(acute + structural, acute.replace("ja}", "nee}") + structural), encoding="utf-8")
    assert not _fired_equal(original, compile_from([rulesets]))
