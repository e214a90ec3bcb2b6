"""`meldcode-rules diff OLD NEW`: the impact of a change, exhaustively (issue 13, part 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.api import evaluate
from meldcode_rules.check.diff import run_diff
from meldcode_rules.check.mutation import mutants_of
from meldcode_rules.cli.main import main
from meldcode_rules.sectors.registry import builtin_ruleset_dir, compile_from

DROP_REPORT = "meldnorm2-geen-hulp-mogelijk: actie melden_veilig_thuis weggelaten"


def _copy(tmp_path: Path, name: str, mutant: str | None = None) -> Path:
    """The basismodel and onderwijs (quick), optionally with one mutant of the basismodel."""
    target = tmp_path / name
    target.mkdir()
    for file in ("basismodel.yaml", "onderwijs.yaml"):
        shutil.copy(builtin_ruleset_dir() / file, target / file)
    if mutant:
        base = target / "basismodel.yaml"
        (found,) = [m for m in mutants_of(base) if mutant in m.name]
        base.write_text(found.text, encoding="utf-8")
    return target


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.stdout + (result.stderr if result.stderr_bytes else "")


def test_a_lost_report_action_is_an_error_with_its_smallest_case(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw", DROP_REPORT)
    code, out = _diff(str(old), str(new), "--format", "json")
    assert code == 1, out
    data = json.loads(out)
    assert not data["ok"]
    (change,) = data["veranderingen"]
    assert change["verlaagt_bescherming"] and change["bewezen"]
    assert change["acties_weg"] == ["melden_veilig_thuis"]
    assert change["kleinste_casus"] == {"afweging": {"vermoeden": "ja", "hulp_mogelijk": "nee"}}
    assert change["ook_in"] == ["onderwijs"]  # one change, not one per sector
    # the example really is such a case: the evaluator loses the action on it
    before = evaluate(change["kleinste_casus"], ruleset=compile_from([old]), engine="reference")
    after = evaluate(change["kleinste_casus"], ruleset=compile_from([new]), engine="reference")
    assert "melden_veilig_thuis" in {a.code for a in before.acties} - {a.code for a in after.acties}
    text = _diff(str(old), str(new))[1]
    assert "MINDER BESCHERMING: acties weg: melden_veilig_thuis" in text
    assert "vermoeden: ja" in text and "hulp_mogelijk: nee" in text


def test_the_reverse_change_raises_protection_and_passes(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud", DROP_REPORT), _copy(tmp_path, "nieuw")
    code, out = _diff(str(old), str(new))
    assert code == 0, out
    assert "meer bescherming: acties erbij: melden_veilig_thuis" in out


def test_dropping_the_acute_rule_lowers_melden(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw", "regel meldnorm1-acute-onveiligheid weggelaten")
    report = run_diff(str(old), str(new))
    assert not report.ok
    lowered = [c for c in report.lowering if c.melden == ("ja", "onbekend") or c.melden == ("ja", "nee")]
    assert lowered, [c.describe() for c in report.changes]
    assert all(c.example.get("afweging", {}).get("acute_onveiligheid") == "ja" for c in lowered)


def test_wording_only_passes_and_is_listed(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw")
    base = new / "basismodel.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace('titel: "Meldnorm 1: acute onveiligheid, altijd melden"', 'titel: "Meldnorm 1: acuut"')
    )
    code, out = _diff(str(old), str(new))
    assert code == 0, out
    assert "regel `meldnorm1-acute-onveiligheid`: titel gewijzigd" in out
    assert "0 klasse(n)" in out


def test_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "rulesets").mkdir(parents=True)
    for file in ("basismodel.yaml", "onderwijs.yaml"):
        shutil.copy(builtin_ruleset_dir() / file, repo / "rulesets" / file)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "v1")
    base = repo / "rulesets" / "basismodel.yaml"
    (found,) = [m for m in mutants_of(base) if DROP_REPORT in m.name]
    base.write_text(found.text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli", "diff", "HEAD", "--format", "github"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("::error title=meldcode-rules diff (basismodel)::")
    same = subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli", "diff", "HEAD:rulesets", "HEAD:rulesets"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert same.returncode == 0, same.stdout + same.stderr


def test_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = _diff("geen-revisie-met-deze-naam", str(_copy(tmp_path, "nieuw")))
    assert code == 2


def test_impact_on_real_cases_names_lines_never_facts(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw", DROP_REPORT)
    cases = tmp_path / "casussen.jsonl"
    cases.write_text(
        "\n".join(
            [
                json.dumps({"afweging": {"vermoeden": "ja", "hulp_mogelijk": "nee"}, "datum": "2026-03-01"}),
                json.dumps({"afweging": {"vermoeden": "nee"}}),
                "{niet json",
                json.dumps({"sector": "onderwijs", "afweging": {"vermoeden": "ja", "hulp_mogelijk": "nee"}}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out = _diff(str(old), str(new), "--cases", str(cases), "--format", "json")
    assert code == 1
    (impact,) = json.loads(out)["casussen"]
    assert impact["casussen"] == 4
    assert impact["verlaagd"] == [1, 4]
    assert impact["niet_te_beoordelen"] == [3]
    assert "2026-03-01" not in json.dumps(impact)


def test_markdown_for_a_pull_request(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw", DROP_REPORT)
    code, out = _diff(str(old), str(new), "--format", "markdown")
    assert code == 1
    assert out.startswith("### ❌ meldcode-rules diff")
    assert "| basismodel | acties weg: melden_veilig_thuis |" in out and "**lager**" in out
    assert "```yaml" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_no_change_exits_0(tmp_path: Path, fmt: str) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw")
    assert _diff(str(old), str(new), "--format", fmt)[0] == 0
