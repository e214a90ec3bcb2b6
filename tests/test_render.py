"""The pictures: the flowchart's branches end where the engine ends; formats are well formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.api import evaluate
from meldcode_rules.cli.main import main
from meldcode_rules.engines import ENGINES
from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import compiled_for, known_sectors

SECTORS = [None, *known_sectors()]


@pytest.mark.parametrize("sector", SECTORS)
@pytest.mark.parametrize("engine", ENGINES)
def test_every_branch_ends_where_the_chart_says(sector: str | None, engine: str) -> None:
    ruleset = compiled_for(sector)
    for getekend in render.takken(ruleset):
        tak = getekend.tak
        doel = render.knoop(tak.naar)
        fired: set[str] = set()
        for case in tak.gevallen:
            oordeel = evaluate(case, sector=sector, engine=engine)
            waar = f"{tak.van} --{tak.antwoord}--> {tak.naar} ({case})"
            fired |= {r.regel for r in oordeel.redenering}
            if tak.melden is not None:
                assert (oordeel.melden, oordeel.besluit) == (tak.melden, tak.besluit), waar
            if tak.actie is not None:
                assert tak.actie in {a.code for a in oordeel.acties}, waar
            if tak.melden is None and tak.actie is None and doel.soort == "vraag":
                # not decided yet: the next question of the chart is asked, melden stays open
                assert oordeel.melden == "onbekend", waar
                assert doel.feit in {v.feit for v in oordeel.open_vragen}, waar
        if tak.melden is not None or tak.actie is not None:
            assert getekend.regels, f"{tak.van} --{tak.antwoord}-->: geen regel in de ruleset voor deze tak"
        # the rules the chart names really fired in the engine
        assert set(getekend.regels) <= fired, tak


def test_known_rule_ids_annotate_the_branches() -> None:
    chart = render.mermaid(compiled_for(None))
    for edge in (
        'V1 -->|"nee<br/>afweging1-afsluiten<br/>afweging1-geen-vermoeden"| A1',
        'V2 -->|"ja<br/>meldnorm1-acute-onveiligheid<br/>meldnorm1-structurele-onveiligheid"| M1',
        'V3 -->|"nee<br/>meldnorm2-geen-hulp-mogelijk"| M2',
        'V4 -->|"nee<br/>meldnorm2-hulp-niet-aanvaard"| M2B',
        'V4 -->|"ja<br/>afweging4-hulp-bieden"| H',
        'V5 -->|"nee<br/>meldnorm3-hulp-niet-effectief"| M3',
        'V5 -->|"ja<br/>afweging5-afsluiten-met-afspraken<br/>afweging5-veiligheid-bereikt"| A5',
    ):
        assert edge in chart
    assert chart.startswith("flowchart TD\n")
    # every node used by an edge is declared
    declared = set(re.findall(r"^    (\w+)[{(]", chart, re.M))
    used = set(re.findall(r"^    (\w+) -->\|.*\| (\w+)$", chart, re.M)[0])
    assert used <= declared


def test_markdown_has_every_rule_in_the_table() -> None:
    ruleset = compiled_for(None)
    text = render.markdown(ruleset)
    table = text.split("## Beslistabel", 1)[1]
    for rule in ruleset.rules:
        assert f"| `{rule.id}`" in table
    assert "afweging.vermoeden is nee" in table
    assert "### Stap 1: Signalen in kaart brengen" in text
    assert "Vastleggen: Signalen en contra-indicaties" in text


def test_conditions_read_as_dutch() -> None:
    rule = compiled_for(None).rule("stap2-niet-pluis-advies-veilig-thuis")
    assert render.conditie_tekst(rule.als) == (
        "afweging.vermoeden is een van ja, onbekend en stappen.veilig_thuis_geraadpleegd is een van nee, onbekend"
    )


def test_html_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "basismodel.html"
    result = CliRunner().invoke(main, ["render", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "meldnorm1-acute-onveiligheid" in page and "<style>" in page


def test_render_command_unknown_sector_is_one_screen_error() -> None:
    result = CliRunner().invoke(main, ["render", "--sector", "bestaatniet", "--format", "mermaid"])
    assert result.exit_code == 2
    assert "onbekende sector" in result.output


def test_render_from_ruleset_path() -> None:
    from meldcode_rules.sectors.registry import builtin_ruleset_dir

    result = CliRunner().invoke(main, ["render", "-r", str(builtin_ruleset_dir()), "-f", "mermaid"])
    assert result.exit_code == 0, result.output
    assert "afweging1-geen-vermoeden" in result.output
