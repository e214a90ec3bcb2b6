"""Issue 13, section 4: the trainer's and CI's command-line options (each assertion failed before)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from meldcode_rules.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "acuut-eerder-gemeld.yaml"
MARKER = "GEWIJZIGD-DOOR-TRAINER"
ACUTE_TEXT = "Meld nu bij Veilig Thuis; er is acute onveiligheid."


@pytest.fixture
def edited(rulesets: Path) -> Path:
    """The shipped rulesets with the acute rule's action text changed (a harmless edit to see)."""
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    assert ACUTE_TEXT in text
    file.write_text(text.replace(ACUTE_TEXT, MARKER), encoding="utf-8")
    return rulesets


def _run(args: list[str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=stdin)


def test_evaluate_uses_the_edited_ruleset(edited: Path) -> None:
    result = _run(["evaluate", str(EXAMPLE), "--format", "json", "--engine", "reference", "--ruleset", str(edited)])
    assert result.exit_code == 0, result.output
    assert MARKER in {a["tekst"] for a in json.loads(result.stdout)["acties"]}
    plain = _run(["evaluate", str(EXAMPLE), "--format", "json", "--engine", "reference"])
    assert MARKER not in plain.stdout


def test_evaluate_with_ruleset_and_sector(edited: Path) -> None:
    result = _run(["evaluate", str(EXAMPLE), "-f", "json", "-e", "reference", "-s", "onderwijs", "-r", str(edited)])
    assert result.exit_code == 0, result.output
    oordeel = json.loads(result.stdout)
    assert MARKER in {a["tekst"] for a in oordeel["acties"]}
    assert any(r["id"] != "basismodel" for r in oordeel["ruleset"])


def test_explain_uses_the_edited_ruleset(edited: Path) -> None:
    result = _run(["explain", str(EXAMPLE), "--engine", "reference", "--ruleset", str(edited)])
    assert result.exit_code == 0, result.output
    assert MARKER in result.stdout


def test_batch_uses_the_edited_ruleset(edited: Path) -> None:
    line = json.dumps({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}})
    result = _run(["batch", "--engine", "reference", "--ruleset", str(edited)], stdin=line + "\n")
    assert result.exit_code == 0, result.output
    assert MARKER in {a["tekst"] for a in json.loads(result.stdout)["acties"]}


def test_batch_with_a_broken_ruleset_stops_before_judging(rulesets: Path) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("      melden: ja\n", "      melden: jawel\n", 1), encoding="utf-8")
    result = _run(["batch", "--ruleset", str(rulesets)], stdin='{"afweging": {}}\n')
    assert result.exit_code == 2
    assert result.stdout == ""


def test_oefen_uses_the_edited_ruleset(edited: Path) -> None:
    answers = "ja\nja\n"
    result = _run(["oefen", str(EXAMPLE), "--ruleset", str(edited)], stdin=answers)
    assert result.exit_code == 0, result.output
    assert MARKER in result.stdout


def test_batch_sector_applies_only_to_cases_without_their_own() -> None:
    own = {"sector": "jeugdhulp", "afweging": {"vermoeden": "ja"}}
    none = {"afweging": {"vermoeden": "ja"}}
    stdin = json.dumps(own) + "\n" + json.dumps(none) + "\n"
    result = _run(["batch", "--sector", "onderwijs", "--engine", "reference"], stdin=stdin)
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    sectors = [{r["id"] for r in o["ruleset"]} for o in (first, second)]
    assert any("jeugdhulp" in r for r in sectors[0]), sectors[0]
    assert not any("onderwijs" in r for r in sectors[0]), sectors[0]
    assert any("onderwijs" in r for r in sectors[1]), sectors[1]
