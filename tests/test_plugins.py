"""Third-party sector packages: installed from examples/ with pip, discovered, evaluated, or refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from meldcode_rules import CaseError, RulesetError, evaluate
from meldcode_rules.judge.combine import melden_rank
from meldcode_rules.scenarios.scenarios import load_scenarios, run_scenarios
from meldcode_rules.sectors.registry import compiled_for, get_sector, refresh

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """pip-install both example packages into a private target directory, put it on sys.path."""
    target = tmp_path_factory.mktemp("plugins")
    for name in ("sector-sport", "sector-verzwakt"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "--target",
                str(target),
                str(EXAMPLES / name),
            ],
            check=True,
            capture_output=True,
        )
    sys.path.insert(0, str(target))
    refresh()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for module in [m for m in sys.modules if m.startswith(("meldcode_sector_sport", "meldcode_sector_verzwakt"))]:
            del sys.modules[module]
        refresh()


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_an_installed_plugin_sector_evaluates_with_its_own_facts(plugins: Path, engine: str) -> None:
    if engine == "durable":
        pytest.importorskip("durable.engine")
    sector = get_sector("sport")
    assert sector.herkomst == "meldcode-sector-sport"
    assert "sport.vcp_geraadpleegd" in compiled_for("sport").catalog
    oordeel = evaluate(
        {
            "sector": "sport",
            "sport": {"vcp_geraadpleegd": "nee", "begeleider_verdacht": "ja"},
            "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"},
        },
        engine=engine,
    )
    codes = [a.code for a in oordeel.acties]
    assert oordeel.melden == "ja"
    assert {"vcp_raadplegen", "bestuur_informeren", "melden_veilig_thuis"} <= set(codes)
    assert oordeel.sector == "sport"
    assert [r.id for r in oordeel.ruleset] == ["basismodel", "sport"]


def test_plugin_facts_stay_strict(plugins: Path) -> None:
    with pytest.raises(CaseError) as caught:
        evaluate({"sector": "sport", "sport": {"vcp": "ja"}})
    # the unknown key itself is never named (it may be pasted case text), only where it stands
    assert "`sport`: onbekend veld" in str(caught.value)
    with pytest.raises(CaseError):
        evaluate({"sport": {"vcp_geraadpleegd": "ja"}})  # no sector: the basismodel does not know `sport`


def test_plugin_never_lowers_the_basismodel(plugins: Path) -> None:
    case = {"afweging": {"vermoeden": "ja", "structurele_onveiligheid": "ja"}, "eerder_gemeld_door_ander": "ja"}
    basis = evaluate(case, engine="reference")
    sport = evaluate({**case, "sector": "sport", "sport": {"vcp_geraadpleegd": "ja"}}, engine="reference")
    assert sport.melden == "ja" and melden_rank(sport.melden) >= melden_rank(basis.melden)


def test_plugin_scenarios_pass(plugins: Path) -> None:
    results = run_scenarios(load_scenarios(get_sector("sport").scenarios), engines=["reference"])
    assert len(results) == 2 and all(r.ok for r in results), [r.failures for r in results]


def test_cli_test_without_paths_runs_installed_plugin_scenarios(plugins: Path) -> None:
    from click.testing import CliRunner

    from meldcode_rules.cli.main import main

    result = CliRunner().invoke(main, ["test", "-e", "reference", "--format", "json"])
    assert result.exit_code == 0, result.output
    sectors = {r["sector"] for r in json.loads(result.stdout)["resultaten"]}
    assert "sport" in sectors
    assert {None, "onderwijs"} <= sectors


def test_a_plugin_that_weakens_the_basismodel_is_refused_naming_the_rule(plugins: Path) -> None:
    with pytest.raises(RulesetError) as caught:
        compiled_for("verzwakt")
    codes = {d.code for d in caught.value.diagnostics}
    assert codes == {"MR030", "MR040"}
    message = caught.value.render()
    assert "`meldnorm1-acute-onveiligheid`" in message
    assert "verzwakt.yaml:12" in message
    with pytest.raises(RulesetError):
        evaluate({"sector": "verzwakt", "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}})


def test_cli_lists_the_plugin_and_refuses_the_weakening_one(plugins: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli.main", "sectors", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    data = json.loads(result.stdout)
    by_name = {row["naam"]: row for row in data["sectors"]}
    assert by_name["sport"]["herkomst"] == "meldcode-sector-sport"
    assert by_name["sport"]["versie"] == "0.1.0"
    assert by_name["sport"]["rulesets"][0].endswith("sport.yaml")
    assert by_name["sport"]["bruikbaar"] is True
    assert by_name["onderwijs"]["herkomst"] == "ingebouwd"
    assert by_name["verzwakt"]["bruikbaar"] is False
    assert "meldnorm1-acute-onveiligheid" in data["problemen"]["verzwakt"]
    assert result.returncode == 1  # a refused sector is a finding

    case = plugins / "casus.yaml"
    case.write_text("sector: sport\nsport: {begeleider_verdacht: ja}\n", encoding="utf-8")
    evaluated = subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli.main", "evaluate", str(case), "--format", "json", "-e", "reference"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert "bestuur_informeren" in [a["code"] for a in json.loads(evaluated.stdout)["acties"]]
