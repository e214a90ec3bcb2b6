"""explain: the walk-through of one case names answers, rules, sources, unknowns and next steps."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from meldcode_rules.cli.main import main
from meldcode_rules.explain.explain import explain, uitleg

REPO = Path(__file__).resolve().parents[1]


def test_acute_case_names_rule_source_and_location() -> None:
    text = explain({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}, "datum": "2026-11-23"})
    assert "Afwegingsvraag 2: is er acute onveiligheid?\n     Antwoord: ja" in text
    assert "Meldnorm 1: acute onveiligheid, altijd melden (meldnorm1-acute-onveiligheid)" in text
    assert "Bron: Afwegingsvraag 2 en meldnorm 1 [NJI][KNMG-5]" in text
    assert "Vastgelegd in: rulesets/basismodel.yaml:" in text
    assert "Melden: Ja: meld bij Veilig Thuis." in text
    assert "Meld nu bij Veilig Thuis; er is acute onveiligheid. [direct, uiterlijk 2026-11-23]" in text


def test_unknowns_say_why_they_matter() -> None:
    u = uitleg({"afweging": {"vermoeden": "ja"}})
    assert u.oordeel.melden == "onbekend"
    acuut = next(v for v in u.onbekend if v.feit == "afweging.acute_onveiligheid")
    assert "meldnorm1-acute-onveiligheid" in acuut.meldregels
    text = explain({"afweging": {"vermoeden": "ja"}})
    assert "het antwoord kan een melding nodig maken: Meldnorm 1: acute onveiligheid" in text
    assert "Nog niet te zeggen" in text


def test_structured_rules_match_the_judgement() -> None:
    u = uitleg({"afweging": {"vermoeden": "nee", "acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"}})
    assert [r.regel for r in u.regels] == [r.regel for r in u.oordeel.redenering]
    geen = next(r for r in u.regels if r.regel == "afweging1-geen-vermoeden")
    assert geen.voorwaarde == "afweging.vermoeden is nee en niet (begrip meldnorm_1)"
    assert geen.conclusie == "melden: nee"
    # closing is its own rule and waits for stap 1-3 (issue 15): here they are open
    assert "afsluiten-stappen-open" in [r.regel for r in u.regels]
    assert u.oordeel.besluit == "verder_met_stappen"


def test_explain_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["explain", str(REPO / "examples" / "acuut-eerder-gemeld.yaml")])
    assert result.exit_code == 0, result.output
    assert "Ook melden als een ander al eerder meldde (meldnorm1-ook-als-ander-al-meldde)" in result.output
    bad = tmp_path / "fout.yaml"
    bad.write_text("afweging: {vermoedn: ja}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(bad)])
    assert result.exit_code == 2
    assert "vermoeden" in result.output
