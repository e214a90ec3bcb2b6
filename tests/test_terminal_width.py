"""Terminal output stays readable at 80 columns: no name is broken mid-word or cut off (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.cli.main import main
from meldcode_rules.sectors.registry import known_sectors

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _lines_fit(out: str) -> None:
    assert all(len(line) <= 80 for line in out.splitlines()), max(out.splitlines(), key=len)


def test_sectors_table_keeps_names_whole() -> None:
    out = _run(["sectors"])
    _lines_fit(out)
    cells = set(re.findall(r"[a-z_]+(?:\.yaml)?", out))
    for name in known_sectors():
        assert name in cells, name
        assert f"{name}.yaml" in cells, name
    assert "…" not in out and "/work/" not in out


@pytest.mark.parametrize("example", ["seed001-meervoudige-problematiek.yaml", "ontbrekende-feiten.yaml"])
def test_judgement_keeps_codes_rule_ids_and_sources_whole(example: str) -> None:
    import json

    out = _run(["evaluate", str(EXAMPLES / example), "-e", "reference"])
    _lines_fit(out)
    assert "…" not in out
    data = json.loads(_run(["evaluate", str(EXAMPLES / example), "-e", "reference", "-f", "json"]))
    words = set(re.findall(r"[\w.\-\[\]]+", out))
    for actie in data["acties"]:
        assert actie["code"] in words, actie["code"]
    for reden in data["redenering"]:
        assert reden["regel"] in words, reden["regel"]
        for tag in re.findall(r"\[[A-Z0-9-]+\]", reden["bron"]):
            assert tag in out, tag
