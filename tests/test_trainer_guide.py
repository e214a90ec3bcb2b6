"""The Dutch trainer guide, followed to the letter in a copy of the repository.

Every ``sh`` block's commands are run, in the order the guide gives them, and
must succeed. YAML blocks that start with ``# bestand: PATH`` are written to
PATH; those with ``# toevoegen aan: PATH, onder regels:`` are added to that
ruleset's rules, as the guide tells the trainer to do. So if the guide and the
tools drift apart, this test fails.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "trainers" / "handleiding.md"
BLOCK = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.M | re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(lang, body) for lang, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]


def _commands(body: str) -> list[list[str]]:
    commands = []
    for line in body.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            commands.append(shlex.split(line))
    return commands


def _apply_yaml(body: str, workspace: Path) -> None:
    first, _, rest = body.partition("\n")
    if match := re.match(r"# bestand: (\S+)", first):
        target = workspace / match[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rest, encoding="utf-8")
    elif match := re.match(r"# toevoegen aan: (\S+), onder regels:", first):
        yaml = YAML(typ="rt")
        target = workspace / match[1]
        ruleset = yaml.load(target.read_text(encoding="utf-8"))
        ruleset["regels"].extend(yaml.load(rest))
        with target.open("w", encoding="utf-8") as handle:
            yaml.dump(ruleset, handle)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trainer")
    for folder in ("rulesets", "scenarios", "schemas"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _run(command: list[str], workspace: Path) -> subprocess.CompletedProcess[str]:
    assert command[0] == "meldcode-rules", f"the guide runs something other than meldcode-rules: {command}"
    # oefen asks questions; the trainee answers ja to each (the answers are not judged here).
    answers = "ja\n" * 12 if command[1] == "oefen" else ""
    return subprocess.run(
        [sys.executable, "-m", "meldcode_rules.cli.main", *command[1:]],
        cwd=workspace,
        input=answers,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_command_in_the_guide_works_in_order(workspace: Path) -> None:
    ran: list[str] = []
    for lang, body in _blocks():
        if lang == "yaml":
            _apply_yaml(body, workspace)
        elif lang == "sh":
            for command in _commands(body):
                result = _run(command, workspace)
                ran.append(" ".join(command))
                assert result.returncode == 0, f"`{' '.join(command)}` failed:\n{result.stdout}\n{result.stderr}"
    # The walkthrough ran end to end: the rule was drawn, and its scenarios passed with it.
    assert any(c.startswith("meldcode-rules check rulesets/") for c in ran)
    assert any(c.startswith("meldcode-rules test --ruleset rulesets/") for c in ran)
    rendered = (workspace / "onderwijs.md").read_text(encoding="utf-8")
    assert "onderwijs-aandachtsfunctionaris" in rendered
    assert "[\\[AUG-AF\\]](#bron-aug-af)" in rendered  # the tag links to its legend entry


def test_the_walkthrough_scenario_fails_without_the_new_rule(tmp_path: Path) -> None:
    # The scenario is a real test of the rule: against the shipped rulesets it must fail.
    for folder in ("rulesets", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for lang, body in _blocks():
        if lang == "yaml" and body.startswith("# bestand: scenarios/"):
            _apply_yaml(body, tmp_path)
    result = _run(
        ["meldcode-rules", "test", "--ruleset", "rulesets/", "scenarios/onderwijs/aandachtsfunctionaris.yaml"],
        tmp_path,
    )
    # It names a rule the shipped ruleset does not have: refused before it runs (MR052).
    assert result.returncode == 2
    assert "MR052" in result.stderr and "onderwijs-aandachtsfunctionaris" in result.stderr
