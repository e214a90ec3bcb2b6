"""`meldcode-rules test`: output formats, plugin scenarios, conclusion coverage, `omschrijving` (issue 13)."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner, Result

from meldcode_rules.check.conclusions import conclusion_coverage
from meldcode_rules.cli.main import main
from meldcode_rules.scenarios.scenarios import load_scenarios
from meldcode_rules.sectors.registry import builtin_scenario_dir

ONDERWIJS = builtin_scenario_dir() / "onderwijs"

PASSING_AND_FAILING = """\
scenarios:
  - naam: acuut
    bron: test
    omschrijving: Een leerling vertelt over geweld thuis; de leerkracht ziet verse verwondingen.
    gegeven: {afweging: {vermoeden: ja, acute_onveiligheid: ja}}
    verwacht: {melden: ja}
  - naam: fout verwacht
    bron: test
    gegeven: {}
    verwacht: {melden: ja}
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _test(*args: str) -> Result:
    return CliRunner().invoke(main, ["test", "-e", "reference", *args])


def test_json_format(tmp_path: Path) -> None:
    result = _test(str(_write(tmp_path, PASSING_AND_FAILING)), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [r["ok"] for r in data["resultaten"]] == [True, False]
    assert "melden: verwacht `ja`" in data["resultaten"][1]["fouten"][0]


def test_junit_format(tmp_path: Path) -> None:
    result = _test(str(_write(tmp_path, PASSING_AND_FAILING)), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    cases = root.findall(".//testcase")
    assert len(cases) == 2
    assert root.get("failures") == "1"
    assert cases[1].find("failure") is not None and cases[0].find("failure") is None


def test_github_format(tmp_path: Path) -> None:
    result = _test(str(_write(tmp_path, PASSING_AND_FAILING)), "--format", "github")
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert "line=7" in errors[0] and "fout verwacht" in errors[0]


def test_omschrijving_is_accepted(tmp_path: Path) -> None:
    ok = _write(tmp_path, PASSING_AND_FAILING.split("  - naam: fout")[0])
    result = _test(str(ok))
    assert result.exit_code == 0, result.output


def test_coverage_of_conclusions_names_a_conclusion_no_scenario_observes(tmp_path: Path) -> None:
    # Fires meldnorm 2 (no help possible) but only expects melden: removing the report action
    # of that rule would not make it fail.
    only_melden = _write(
        tmp_path,
        """\
        scenarios:
          - naam: geen hulp mogelijk
            bron: test
            gegeven:
              afweging: {vermoeden: ja, acute_onveiligheid: nee, structurele_onveiligheid: nee, hulp_mogelijk: nee}
            verwacht: {melden: ja}
        """,
    )
    loaded = load_scenarios([only_melden])
    base = next(c for c in conclusion_coverage(loaded) if c.ruleset == "basismodel")
    observed = {(c.rule, c.part) for c in base.counted if c.observed_by}
    unobserved = {(c.rule, c.part) for c in base.unobserved}
    assert ("meldnorm2-geen-hulp-mogelijk", "actie:melden_veilig_thuis") in unobserved
    # melden: ja is what the scenario checks, and only this rule gives it here
    assert ("meldnorm2-geen-hulp-mogelijk", "melden") in observed
    result = _test(str(only_melden), "--min-coverage", "100")
    assert result.exit_code == 1
    assert "niet waargenomen: meldnorm2-geen-hulp-mogelijk actie:melden_veilig_thuis" in result.stdout

    with_action = _write(
        tmp_path,
        only_melden.read_text(encoding="utf-8").replace("{melden: ja}", "{melden: ja, acties: [melden_veilig_thuis]}"),
        "t.yaml",
    )
    base = next(c for c in conclusion_coverage(load_scenarios([with_action])) if c.ruleset == "basismodel")
    assert ("meldnorm2-geen-hulp-mogelijk", "actie:melden_veilig_thuis") not in {
        (c.rule, c.part) for c in base.unobserved
    }


def test_a_redundant_conclusion_is_not_counted() -> None:
    # The acute rule's `besluit: melden` is what melden: ja gives anyway: no scenario can see it.
    cov = next(c for c in conclusion_coverage(load_scenarios([builtin_scenario_dir()])) if c.ruleset == "basismodel")
    redundant = {(c.rule, c.part) for c in cov.conclusions if c.redundant}
    assert ("meldnorm1-acute-onveiligheid", "besluit") in redundant
    assert ("meldnorm1-acute-onveiligheid", "melden") not in redundant


def test_shipped_sector_scenarios_observe_every_conclusion_of_their_sector() -> None:
    result = _test(str(ONDERWIJS), "--coverage", "--format", "json")
    assert result.exit_code == 0, result.output
    conclusies = {c["ruleset"]: c for c in json.loads(result.stdout)["conclusies"]}
    assert conclusies["onderwijs"]["procent"] == 100.0
