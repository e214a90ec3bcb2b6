"""`check --against REV`: less protection than before, or an invariant gone, is an error (issue 13)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from meldcode_rules.check.mutation import mutants_of
from meldcode_rules.cli.main import main
from meldcode_rules.sectors.registry import builtin_ruleset_dir

INVARIANT = "  - id: hulp-niet-effectief-melden\n"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    target.mkdir()
    for file in ("basismodel.yaml", "onderwijs.yaml"):
        shutil.copy(builtin_ruleset_dir() / file, target / file)
    return target


def _drop_invariant(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(INVARIANT)
    end = text.index("  - id:", start + len(INVARIANT))
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def _check(new: Path, old: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", str(new), "--no-engine-agreement", "--against", old, "-f", "json"])
    return result.exit_code, json.loads(result.stdout)


def _codes(data: dict) -> set[str]:
    out = set()
    for finding in data["bevindingen"]:
        out.add(finding["code"])
        out |= {g["code"] for g in finding["gevolgen"]}
    return out


def test_a_removed_invariant_is_a_finding_unless_the_change_says_so(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw")
    _drop_invariant(new / "basismodel.yaml")
    code, data = _check(new, str(old))
    assert code == 1
    (finding,) = [f for f in data["bevindingen"] if f["code"] == "MC601"]
    assert "`hulp-niet-effectief-melden`" in finding["melding"] and "verdwenen" in finding["melding"]
    assert any("vervalt:" in d for d in finding["details"])
    # without --against the same tree passes: nothing else is wrong with it
    assert CliRunner().invoke(main, ["check", str(new), "--no-engine-agreement"]).exit_code == 0
    with (new / "basismodel.yaml").open("a", encoding="utf-8") as out:
        out.write('\nvervalt:\n  - {invariant: hulp-niet-effectief-melden, reden: "geregeld in meldnorm 3 zelf"}\n')
    code, data = _check(new, str(old))
    assert code == 0, data["bevindingen"]


def test_a_weakened_invariant_is_a_finding(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw")
    base = new / "basismodel.yaml"
    text = base.read_text(encoding="utf-8")
    promise = "      acties: [melden_veilig_thuis, politie_inschakelen, deskundige_raadplegen]\n"
    assert text.count(promise) == 1
    base.write_text(text.replace(promise, "      acties: [melden_veilig_thuis, deskundige_raadplegen]\n"))
    code, data = _check(new, str(old))
    assert code == 1
    (finding,) = [f for f in data["bevindingen"] if f["code"] == "MC601"]
    assert (
        "`eergerelateerd-acuut-politie`" in finding["melding"]
        and "acties weg: politie_inschakelen" in finding["melding"]
    )


def test_less_protection_than_the_previous_version_is_an_error(tmp_path: Path) -> None:
    old, new = _copy(tmp_path, "oud"), _copy(tmp_path, "nieuw")
    base = new / "basismodel.yaml"
    (mutant,) = [m for m in mutants_of(base) if "vorm-vgv-acuut weggelaten" in m.name]
    base.write_text(mutant.text, encoding="utf-8")
    code, data = _check(new, str(old))
    assert code == 1
    assert "MC600" in _codes(data), data["bevindingen"]


def test_against_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(_copy(tmp_path, "r"), repo / "rulesets")
    ident = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    for args in (["init", "-q"], [*ident, "add", "."], [*ident, "commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    _drop_invariant(repo / "rulesets" / "basismodel.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli", "check", "rulesets", "--no-engine-agreement", "--against", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "MC601" in result.stdout and "vorige versie HEAD" in result.stdout
