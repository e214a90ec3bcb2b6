"""What `meldcode-rules check` says (issue 13, section 4): each assertion here failed before."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.cli.main import main
from meldcode_rules.sectors.registry import builtin_ruleset_dir

ACUTE = """    als:
      feit: afweging.acute_onveiligheid
      is: ja
    dan:
      melden: ja"""
ACUTE_DEPENDS = """    als:
      alle:
        - {feit: afweging.acute_onveiligheid, is: ja}
        - {feit: eerder_gemeld_door_ander, is: nee}
    dan:
      melden: ja"""


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """The basismodel and onderwijs only: enough for these findings, and quick to check."""
    target = tmp_path / "rulesets"
    target.mkdir()
    for name in ("basismodel.yaml", "onderwijs.yaml"):
        shutil.copy(builtin_ruleset_dir() / name, target / name)
    return target


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _check(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(path), "--no-engine-agreement", *args])
    return result.exit_code, result.stdout


def test_a_syntax_error_is_not_called_proved(two: Path) -> None:
    _edit(two / "onderwijs.yaml", "titel: ", "titel: Afwegingsvraag 4: hulp niet ")
    code, out = _check(two)
    assert code == 1
    head, how = out.splitlines()[:2]
    assert re.match(r"^\S+onderwijs\.yaml:\d+:\d+: MR001: ", head), head  # file:line:column: CODE: what
    assert how.strip() == "(fout)"
    assert "bewezen" not in out.split("\n\n")[0]
    code, out = _check(two, "--format", "json")
    assert json.loads(out)["bevindingen"][0]["bewezen"] is None


def test_one_defect_is_one_finding_with_its_consequences(two: Path) -> None:
    _edit(two / "basismodel.yaml", ACUTE, ACUTE_DEPENDS)
    code, out = _check(two)
    assert code == 1
    heads = [line for line in out.splitlines() if re.match(r"^\S+\.yaml:\d+(:\d+)?: M[CR]\d+: ", line)]
    # before: one finding per property per ruleset (23 findings, 339 lines with six sectors);
    # now one per broken promise, each once, with the sectors it also holds in beneath it
    assert all("basismodel.yaml" in h for h in heads), heads
    assert len({h.split(": ", 1)[1] for h in heads}) == len(heads)
    # (8: the pair invariant `eerdere-melding-door-ander-verlaagt-nooit` and the ageing proof
    # MC204, that an ageing `hulp_mogelijk: ja` never lowers melden, are promises it breaks too)
    assert len(heads) <= 8, heads
    assert "geldt ook in: onderwijs" in out
    assert len(out.splitlines()) < 150  # 142 with the ageing proof (MC204), which fold does not group yet
    assert any(re.match(r"^\S+basismodel\.yaml:\d+:\d+: MC200: invariant ", h) for h in heads)
    # the stage that failed is not called proved
    basis = " ".join(line for line in out.split("\n\n")[-1].splitlines())
    assert re.search(r"invarianten: \d+ fouten", basis), basis
    assert not re.search(r"basismodel: .*invarianten: bewezen", basis.split("onderwijs:")[0])


def test_a_misspelt_sector_is_found(two: Path) -> None:
    _edit(two / "onderwijs.yaml", "sector: onderwijs", "sector: onderwys")
    code, out = _check(two)
    assert code == 1
    assert "MC010: sector `onderwys` bestaat niet en lijkt op `onderwijs`" in out
    assert "bedoelde u: onderwijs?" in out


def test_a_missing_breidt_uit_is_named_as_such(two: Path) -> None:
    _edit(two / "onderwijs.yaml", "breidt_uit: [basismodel]\n", "")
    code, out = _check(two)
    assert code == 1
    assert "MR041" in out and "`breidt_uit` ontbreekt" in out and "breidt_uit: [basismodel]" in out
    assert "MR031" not in out  # not as the action codes it then cannot see


def test_the_tab_hint_fires(two: Path) -> None:
    text = (two / "onderwijs.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, line in enumerate(text) if line.startswith("  - id:"))
    text[line + 1] = "\t" + text[line + 1].lstrip()
    (two / "onderwijs.yaml").write_text("".join(text), encoding="utf-8")
    code, out = _check(two)
    assert code == 1
    assert "gebruik spaties om in te springen, geen tabs" in out


def test_an_unquoted_version_gets_a_dutch_fix(two: Path) -> None:
    _edit(two / "onderwijs.yaml", 'versie: "2026.1"', "versie: 2026.1")
    code, out = _check(two)
    assert code == 1
    assert "`versie` moet tekst zijn, maar YAML leest hier een getal" in out
    assert '`versie: "2026.1"`' in out
    assert "Input should be" not in out
