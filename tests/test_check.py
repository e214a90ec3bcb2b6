"""``meldcode-rules check``: the done-when of issue 4, and each stage on a ruleset made to fail it."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from meldcode_rules.api import evaluate, parse_case
from meldcode_rules.check import run_check
from meldcode_rules.check.invariants import check_never_weaken
from meldcode_rules.check.mutation import mutants_of
from meldcode_rules.check.space import Atom, Space
from meldcode_rules.cli.main import main
from meldcode_rules.compiler.compile import Lit
from meldcode_rules.sectors.registry import compile_from

ACUTE = "meldnorm1-acute-onveiligheid"


def _edit(rulesets: Path, name_part: str) -> None:
    """Apply the mutant of basismodel.yaml whose name contains ``name_part``."""
    file = rulesets / "basismodel.yaml"
    (mutant,) = [m for m in mutants_of(file) if name_part in m.name]
    file.write_text(mutant.text, encoding="utf-8")


def _gegeven(output: str, code: str) -> dict:
    """The first pasteable ``gegeven:`` block after a finding with ``code`` in text output."""
    block = output[output.index(code) :]
    lines = block[block.index("gegeven:") :].splitlines()
    body = ["gegeven:"]
    for line in lines[1:]:
        if not line.startswith("        "):
            break
        body.append(line[6:])
    return YAML(typ="safe").load("\n".join(body))["gegeven"]


# ------------------------------------------------------------------ the shipped rulesets


def test_shipped_rulesets_pass() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    report = run_check()
    assert set(report.checked) >= {"basismodel", "onderwijs", "kinderopvang", "gezondheidszorg"}
    assert not report.findings, [f.message for f in report.findings]


def test_the_former_completeness_gap_is_settled_with_its_question() -> None:
    # check found it (MC100): vermoeden onbekend, no unsafety, help possible and accepted.
    from meldcode_rules import evaluate

    oordeel = evaluate(
        {
            "afweging": {
                "acute_onveiligheid": "nee",
                "structurele_onveiligheid": "nee",
                "hulp_mogelijk": "ja",
                "hulp_aanvaard": "ja",
            }
        },
        engine="reference",
    )
    assert oordeel.melden == "onbekend"
    assert "veiligheidsnet" not in [r.regel for r in oordeel.redenering]
    assert oordeel.open_vragen[0].feit == "afweging.vermoeden"


def test_invariants_and_completeness_are_proved_on_shipped() -> None:
    report = run_check()
    stages = report.stages["basismodel"]
    for stage in (
        "volledigheid",
        "invarianten",
        "onbekend-nooit-nee",
        "veroudering",
        "conflicten",
        "dode-regels",
        "overschaduwde-regels",
    ):
        assert stages[stage] is True, stage
    assert not [f for f in report.findings if f.code == "MC500"], "durable and reference disagree"


# ------------------------------------------------------------------ done when


def test_removing_the_acute_rule_fails_with_a_pasteable_counterexample(rulesets: Path) -> None:
    _edit(rulesets, f"regel {ACUTE} weggelaten")
    result = CliRunner().invoke(main, ["check", str(rulesets)])
    assert result.exit_code == 1, result.output
    assert "MC200" in result.output and "acuut-of-structureel-altijd-melden" in result.output
    gegeven = _gegeven(result.output, "acuut-of-structureel-altijd-melden")
    assert gegeven == {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
    # pasted into a case, the mutated ruleset indeed does not report; the shipped one does
    broken = compile_from([rulesets])
    assert evaluate(parse_case(gegeven), ruleset=broken, engine="reference").melden != "ja"
    assert evaluate(parse_case(gegeven), engine="reference").melden == "ja"


def test_acute_rule_depending_on_no_prior_report_fails(rulesets: Path) -> None:
    _edit(rulesets, f"{ACUTE}: vereist dat niemand anders al meldde")
    result = CliRunner().invoke(main, ["check", str(rulesets)])
    assert result.exit_code == 1, result.output
    assert "ook-als-ander-al-meldde" in result.output
    gegeven = _gegeven(result.output, "invariant `ook-als-ander-al-meldde`")
    assert gegeven["eerder_gemeld_door_ander"] == "ja"
    assert gegeven["afweging"]["acute_onveiligheid"] == "ja"
    broken = compile_from([rulesets])
    assert evaluate(parse_case(gegeven), ruleset=broken, engine="reference").melden != "ja"


# ------------------------------------------------------------------ stages


def _replace(rulesets: Path, old: str, new: str) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_unknown_turning_report_into_nee_is_found(rulesets: Path) -> None:
    # The meldnorm 1 rules written as "not (nee or onbekend)": their `mogelijk` no longer covers
    # an unknown, so `afweging1-geen-vermoeden` can answer nee while answering acute would give ja.
    for fact in ("acute_onveiligheid", "structurele_onveiligheid"):
        _replace(
            rulesets,
            f"    als:\n      feit: afweging.{fact}\n      is: ja\n",
            f"    als:\n      niet: {{feit: afweging.{fact}, in: [nee, onbekend]}}\n",
        )
    # ... and the same in the begrip meldnorm_1 that afweging1-geen-vermoeden relies on.
    _replace(
        rulesets,
        "        - {feit: afweging.acute_onveiligheid, is: ja}\n"
        "        - {feit: afweging.structurele_onveiligheid, is: ja}\n\n  - id: melden_nodig",
        "        - niet: {feit: afweging.acute_onveiligheid, in: [nee, onbekend]}\n"
        "        - niet: {feit: afweging.structurele_onveiligheid, in: [nee, onbekend]}\n\n  - id: melden_nodig",
    )
    report = run_check([rulesets], engine_agreement=False)
    codes = {f.code for f in report.errors}
    assert "MC202" in codes, codes
    finding = next(f for f in report.errors if f.code == "MC202")
    assert finding.oordeel and finding.oordeel["melden"] == "nee"


def test_dead_rule_is_found(rulesets: Path) -> None:
    _replace(
        rulesets,
        "    als:\n      feit: afweging.acute_onveiligheid\n      is: ja\n",
        "    als:\n      alle:\n        - {feit: afweging.acute_onveiligheid, is: ja}\n"
        "        - {feit: afweging.acute_onveiligheid, is: nee}\n",
    )
    report = run_check([rulesets], engine_agreement=False)
    dead = [f for f in report.findings if f.code == "MC400"]
    assert [f.regels[0].id for f in dead] == [ACUTE]
    assert dead[0].location.line > 1


def test_conflict_close_and_report_is_an_error(rulesets: Path) -> None:
    # The shipped afweging1-afsluiten waits for vraag 2; without that guard (and without the
    # rule that records the contradiction) "close" and "report" fire together. Since issue 15 the
    # closing rule concludes only the besluit (melden: nee is afweging1-geen-vermoeden).
    _replace(
        rulesets,
        "        - niet: {begrip: meldnorm_1}\n        # Vraag 1 rust op stap 1 tot en met 4",
        "        # Vraag 1 rust op stap 1 tot en met 4",
    )
    _edit(rulesets, "regel afweging1-tegenstrijdig weggelaten")
    report = run_check([rulesets], engine_agreement=False)
    conflict = [f for f in report.errors if f.code == "MC300"]
    assert conflict and conflict[0].regels[0].id == "afweging1-afsluiten"
    assert conflict[0].tegenvoorbeeld is not None
    assert conflict[0].tegenvoorbeeld["afweging"] == {"vermoeden": "nee", "acute_onveiligheid": "ja"}


def test_self_contradicting_conclusion(rulesets: Path) -> None:
    # afweging4-hulp-bieden concludes melden: nee with besluit hulp_bieden_of_organiseren
    _edit(rulesets, "afweging4-hulp-bieden: melden omgewisseld")
    report = run_check([rulesets], engine_agreement=False)
    assert "MC302" in {f.code for f in report.errors}


def test_schema_errors_are_findings_with_location(rulesets: Path) -> None:
    _replace(
        rulesets,
        "                - {feit: afweging.hulp_aanvaard, is: nee}",
        "                - {feit: afweging.hulp_aanvard, is: nee}",
    )
    result = CliRunner().invoke(main, ["check", str(rulesets), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    (finding,) = [f for f in data["bevindingen"] if f["code"] == "MR020"]
    assert finding["bestand"].endswith("basismodel.yaml") and finding["regel"] > 1


def test_never_weaken_catches_a_sector_that_lowers_melden() -> None:
    base = compile_from([Path(__file__).parents[1] / "rulesets"])
    # a sector rule saying nee where the basismodel says ja (the compiler forbids writing this: MR040)
    nee = next(r for r in base.rules if r.id == "afweging1-geen-vermoeden")
    acute = next(r for r in base.rules if r.id == ACUTE)
    lowered = dataclasses.replace(acute, dan=nee.dan)
    sector = dataclasses.replace(
        base, id="test-sector", sector="test", rules=tuple(lowered if r.id == ACUTE else r for r in base.rules)
    )
    (finding,) = check_never_weaken(base, sector)
    assert finding.code == "MC201"
    assert finding.tegenvoorbeeld == {"afweging": {"acute_onveiligheid": "ja"}}


# ------------------------------------------------------------------ formats and exit codes


def test_formats(rulesets: Path) -> None:
    _edit(rulesets, f"regel {ACUTE} weggelaten")
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["check", str(rulesets), "-f", "json"]).output)
    assert data["ok"] is False and any(f["code"] == "MC200" and f["bewezen"] for f in data["bevindingen"])
    junit = runner.invoke(main, ["check", str(rulesets), "-f", "junit"]).output
    root = ET.fromstring(junit)
    assert int(root.get("failures", "0")) >= 1 and root.find(".//failure") is not None
    github = runner.invoke(main, ["check", str(rulesets), "-f", "github"]).output
    errors = [line for line in github.splitlines() if line.startswith("::error ")]
    assert errors and all(".yaml,line=" in line for line in errors)
    assert any("basismodel.yaml,line=" in line for line in errors)
    assert "\n" not in errors[0]


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["check", "/no/such/path"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["check", "--format", "xml"])
    assert result.exit_code == 2


# ------------------------------------------------------------------ the space


def _small_space(limit: int = 1 << 22) -> Space:
    atoms = [
        Atom("a", "a", "tri", ("onbekend", "ja", "nee"), "onbekend", False),
        Atom("k", "k", "keuze", ("geen", "x", "y"), "geen", False),
        Atom("l", "l", "lijst", (False, True), False, False),
    ]
    return Space(atoms, max_exhaustive=limit)


@pytest.mark.parametrize("limit", [1 << 22, 5])
def test_space_literals_match_brute_force(limit: int) -> None:
    space = _small_space(limit)
    for atom in space.atoms:
        for value in atom.values:
            mask = space.lit(atom.key, value)
            expected = {i for i in range(space.size) if space.assignment(i)[atom.key] == value}
            assert {i for i in range(space.size) if mask >> i & 1} == expected
    assert space.exhaustive is (limit > 5)


def test_smallest_prefers_fewest_given_facts() -> None:
    space = _small_space()
    mask = space.eval(Lit("a", "ja")) | (space.eval(Lit("k", "x")) & space.eval(Lit("l", True)))
    index = space.smallest(mask)
    assert index is not None
    assert space.assignment(index) == {"a": "ja", "k": "geen", "l": False}
    assert space.smallest(0) is None


def test_shift_moves_cases_between_values() -> None:
    space = _small_space()
    ja = space.lit("a", "ja")
    assert space.shift_to(ja, "a", "ja", "onbekend") == space.lit("a", "onbekend")
