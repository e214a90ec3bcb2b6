"""The evaluate command on the shipped example (seed 000: report, even after another's report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.cli.main import main
from strategies import ENGINES

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "acuut-eerder-gemeld.yaml"


@pytest.mark.parametrize("engine", ENGINES)
def test_example_as_json_reports(engine: str) -> None:
    result = CliRunner().invoke(main, ["evaluate", str(EXAMPLE), "--format", "json", "--engine", engine])
    assert result.exit_code == 0, result.output
    oordeel = json.loads(result.stdout)
    assert oordeel["melden"] == "ja"
    assert oordeel["engine"] == engine
    assert "melden_veilig_thuis" in {a["code"] for a in oordeel["acties"]}
    assert all(r["bron"] for r in oordeel["redenering"])


@pytest.mark.parametrize("engine", ENGINES)
def test_example_as_text_says_report(engine: str) -> None:
    result = CliRunner().invoke(main, ["evaluate", str(EXAMPLE), "--engine", engine])
    assert result.exit_code == 0, result.output
    assert "Melden bij Veilig Thuis: JA" in result.stdout
    assert "melden_veilig_thuis" in result.stdout


def test_the_console_script_is_installed() -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "meldcode-rules"
    done = subprocess.run(
        [str(script), "evaluate", str(EXAMPLE), "--format", "json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["melden"] == "ja"
