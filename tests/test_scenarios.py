"""Every shipped scenario file passes with both engines; the scenario loader reports problems with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.cli.main import main
from meldcode_rules.engines import durable_available
from meldcode_rules.scenarios.scenarios import ScenarioError, coverage, load_scenarios, run_scenarios
from meldcode_rules.sectors.registry import builtin_scenario_dir, known_sectors

SCENARIO_DIR = builtin_scenario_dir()
SCENARIO_FILES = sorted(SCENARIO_DIR.rglob("*.yaml"))
ENGINES = [
    "reference",
    pytest.param("durable", marks=pytest.mark.skipif(not durable_available(), reason="durable-rules werkt hier niet")),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(SCENARIO_DIR)))
def test_shipped_scenarios_pass(path: Path, engine: str) -> None:
    results = run_scenarios(load_scenarios([path]), engines=[engine])
    failures = [f"{r.location}: {r.naam}: {'; '.join(r.failures)}" for r in results if not r.ok]
    assert not failures, "\n".join(failures)
    assert results


def test_at_least_ten_scenarios_per_sector_and_some_for_the_basismodel() -> None:
    loaded = load_scenarios([SCENARIO_DIR])
    counts = {sector: sum(1 for s in loaded if s.sector == sector) for sector in [None, *known_sectors()]}
    assert counts[None] >= 5, counts
    for sector in known_sectors():
        assert counts[sector] >= 10, (sector, counts[sector])


def test_every_rule_of_every_shipped_ruleset_is_covered() -> None:
    results = run_scenarios(load_scenarios([SCENARIO_DIR]), engines=["reference"])
    for entry in coverage(results):
        assert not entry.uncovered, (entry.ruleset, [r.id for r in entry.uncovered])


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_loader_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sector: onderwijs
        scenarios:
          - naam: een
            bron: "[OI]"
            gegeven:
              vormn: [seksueel_geweld]
              afweging: {vermoeden: misschien}
            verwacht:
              melden: ja
              acties: [bevoegd_gezag_informern]
              regels: [ow-bestaat-niet]
              open_vragen: [afweging.vermoedn]
          - naam: een
            bron: "[OI]"
            verwacht: {melden: wellicht}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenarios([path])
    rendered = caught.value.render()
    lines = {(d.code, d.location.line) for d in caught.value.diagnostics}
    assert ("MR051", 6) in lines  # unknown fact, with its line
    assert ("MR051", 7) in lines  # wrong value
    assert ("MR052", 10) in lines and ("MR052", 11) in lines and ("MR052", 12) in lines
    assert ("MR050", 15) in lines  # melden: wellicht
    assert "bedoelde u: vormen?" in rendered
    assert "bedoelde u: bevoegd_gezag_informeren?" in rendered
    assert "misschien" not in rendered  # case values are never echoed
    assert str(path) in rendered


def test_unknown_sector_is_reported_at_the_sector_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sector: onderwys\nscenarios:\n  - {naam: a, bron: b, verwacht: {}}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios([path])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "MR053" and diagnostic.location.line == 1
    assert "onderwijs" in diagnostic.message


def test_a_wrong_expectation_fails_with_expected_and_got(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        scenarios:
          - naam: acuut maar verwacht nee
            bron: test
            gegeven: {afweging: {vermoeden: ja, acute_onveiligheid: ja}}
            verwacht:
              melden: nee
              acties: [afsluiten_en_vastleggen]
              geen_acties: [melden_veilig_thuis]
              regels: [afweging1-geen-vermoeden]
        """,
    )
    (result,) = run_scenarios(load_scenarios([path]), engines=["reference"])
    assert not result.ok
    assert result.failures[0] == "melden: verwacht `nee`, kreeg `ja`"
    joined = "\n".join(result.failures)
    assert "`afsluiten_en_vastleggen`" in joined
    assert "geen_acties: `melden_veilig_thuis` had er niet mogen zijn" in joined
    assert "`afweging1-geen-vermoeden`" in joined
    assert result.location.line == 2


def test_cli_test_exit_codes_and_coverage(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["test", str(SCENARIO_DIR / "onderwijs"), "-e", "reference", "--coverage"])
    assert ok.exit_code == 0, ok.output
    assert "dekking onderwijs: 7/7" in ok.output

    low = runner.invoke(main, ["test", str(SCENARIO_DIR / "justitie"), "-e", "reference", "--min-coverage", "100"])
    assert low.exit_code == 0, low.output  # justitie adds no rules: nothing to miss

    one = write(
        tmp_path,
        """\
        sector: onderwijs
        scenarios:
          - naam: alleen de vraag
            bron: test
            gegeven: {vormen: [seksueel_geweld]}
            verwacht: {regels: [ow-medewerker-verdacht-vragen]}
        """,
    )
    under = runner.invoke(main, ["test", str(one), "-e", "reference", "--min-coverage", "80"])
    assert under.exit_code == 1, under.output
    assert "niet geraakt: ow-aangifte-redelijk-vermoeden" in under.output
    assert "onderwijs.yaml:" in under.output

    failing = write(tmp_path, "scenarios:\n  - {naam: x, bron: y, gegeven: {}, verwacht: {melden: ja}}\n", "f.yaml")
    result = runner.invoke(main, ["test", str(failing), "-e", "reference"])
    assert result.exit_code == 1
    assert "MISLUKT" in result.output and "melden: verwacht `ja`, kreeg `onbekend`" in result.output

    broken = write(tmp_path, "scenarios: [{naam: x}]\n", "b.yaml")
    result = runner.invoke(main, ["test", str(broken), "-e", "reference"])
    assert result.exit_code == 2


def test_a_date_that_does_not_exist_in_a_scenario_is_one_problem_at_its_field(tmp_path: Path) -> None:
    # `op` and a deadline are a day or a date-time: pydantic tries both members of the union and
    # names each; the trainer gets one problem, at the field, never the value.
    path = write(
        tmp_path,
        """\
        scenarios:
          - naam: vgv
            bron: "[MN-VGV]"
            dossier:
              gebeurtenissen:
                - {soort: afweging, datum: "2026-11-20T09:30", vermoeden: ja, acute_onveiligheid: ja}
            op: "2026-02-30T10:45"
            verwacht:
              melden: ja
              deadlines: {politie_inschakelen: "2026-02-31"}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenarios([path])
    rendered = [d.render() for d in caught.value.diagnostics]
    assert len(rendered) == 2, rendered
    assert ":7:" in rendered[0] and "`op`: deze datum of tijd bestaat niet" in rendered[0]
    assert ":10:" in rendered[1] and "`politie_inschakelen`: deze datum of tijd bestaat niet" in rendered[1]
    assert not any("2026-02-3" in r or "`date" in r for r in rendered)
