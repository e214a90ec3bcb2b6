"""oefen: questions in order, feedback with sources, a score; case and scenario files both work."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from meldcode_rules.cli.main import main
from meldcode_rules.scenarios.oefen import lees_oefeningen, vragen

REPO = Path(__file__).resolve().parents[1]
VOORBEELD = REPO / "examples" / "acuut-eerder-gemeld.yaml"

SCENARIO = """\
sector: null
scenarios:
  - naam: Hulp loopt, veiligheid bereikt
    bron: oefencasus
    gegeven:
      afweging:
        vermoeden: ja
        acute_onveiligheid: nee
        structurele_onveiligheid: nee
        hulp_mogelijk: ja
        hulp_aanvaard: ja
        hulp_effectief: ja
      stappen: {signalen_vastgelegd: ja, collega_geraadpleegd: ja, gesprek_gevoerd: ja}
    verwacht: {melden: nee, besluit: afsluiten}
"""


def test_case_file_all_right() -> None:
    result = CliRunner().invoke(main, ["oefen", str(VOORBEELD)], input="ja\nja\n")
    assert result.exit_code == 0, result.output
    assert "Goed: ja." in result.output
    assert "meldnorm1-acute-onveiligheid" in result.output and "bron: Afwegingsvraag 2" in result.output
    assert result.output.rstrip().endswith("Score: 2 van 2 goed.")
    # the answers to the afwegingsvragen are not shown before they are asked
    assert "acute_onveiligheid: ja" not in result.output


def test_wrong_answer_gets_the_right_one_with_source() -> None:
    result = CliRunner().invoke(main, ["oefen", str(VOORBEELD)], input="ja\nweet niet\n")
    assert result.exit_code == 0, result.output
    assert "Niet goed: volgens de casus is het antwoord 'ja' (u antwoordde 'weet niet')." in result.output
    assert "Score: 1 van 2 goed." in result.output


def test_invalid_answer_is_asked_again() -> None:
    result = CliRunner().invoke(main, ["oefen", str(VOORBEELD)], input="misschien\nja\nja\n")
    assert result.exit_code == 0, result.output
    assert "Score: 2 van 2 goed." in result.output


def test_scenario_file_walks_all_five_questions(tmp_path: Path) -> None:
    path = tmp_path / "oefen.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    (oefening,) = lees_oefeningen(path)
    te_stellen, oordeel = vragen(oefening)
    assert [v.feit for v in te_stellen] == [
        "afweging.vermoeden",
        "afweging.acute_onveiligheid",
        "afweging.structurele_onveiligheid",
        "afweging.hulp_mogelijk",
        "afweging.hulp_aanvaard",
        "afweging.hulp_effectief",
    ]
    assert oordeel.besluit == "afsluiten"
    assert any("afweging5-afsluiten-met-afspraken" in t for t in te_stellen[-1].toelichting)
    result = CliRunner().invoke(main, ["oefen", str(path)], input="ja\nnee\nnee\nja\nja\nnee\n")
    assert result.exit_code == 0, result.output
    assert "Dit was: Hulp loopt, veiligheid bereikt (bron: oefencasus)" in result.output
    assert "Score: 5 van 6 goed." in result.output


def test_unknown_answer_stops_the_walk(tmp_path: Path) -> None:
    path = tmp_path / "casus.yaml"
    path.write_text("afweging: {vermoeden: ja, acute_onveiligheid: onbekend}\n", encoding="utf-8")
    (oefening,) = lees_oefeningen(path)
    te_stellen, _ = vragen(oefening)
    assert [v.juist for v in te_stellen] == ["ja", "weet niet"]
    assert "vraag het na" in te_stellen[-1].toelichting[0]


def test_broken_file_is_one_screen_error(tmp_path: Path) -> None:
    path = tmp_path / "fout.yaml"
    path.write_text("scenarios:\n  - naam: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["oefen", str(path)])
    assert result.exit_code == 2
    assert "gegeven" in result.output


def test_nothing_gives_the_answer_away_before_it_is_asked(tmp_path: Path) -> None:
    # the case file's comment has `# Meldcode:` and `# verwacht:` lines that state the answer
    assert "# verwacht:" in VOORBEELD.read_text(encoding="utf-8")
    prompts: list[str] = []
    told: list[str] = []

    def vraag(tekst: str) -> str:
        prompts.append(tekst)
        assert not any("verwacht" in line or "Meldcode:" in line for line in told), told
        assert not any("acuut-eerder-gemeld" in line for line in told), told
        return "ja"

    from meldcode_rules.scenarios.oefen import oefen

    oefening = lees_oefeningen(VOORBEELD)[0]
    oefen(oefening, vraag, told.append)
    assert prompts
    assert any("acuut-eerder-gemeld" in line for line in told)  # named after the answers


def test_a_scenario_story_is_told_and_its_name_and_source_only_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "oefening.yaml"
    path.write_text(
        """\
scenarios:
  - naam: "Meldnorm 1: acuut, melden"
    bron: "meldnorm 1 [NJI]"
    omschrijving: Een leerkracht ziet verse verwondingen bij een leerling die bang is om naar huis te gaan.
    gegeven: {afweging: {vermoeden: ja, acute_onveiligheid: ja}}
    verwacht: {melden: ja}
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["oefen", str(path)], input="ja\nja\n")
    assert result.exit_code == 0, result.output
    before, after = result.output.split("Volgens de ruleset")
    assert "verse verwondingen" in before
    assert "Meldnorm 1: acuut, melden" not in before and "[NJI]" not in before.split("1. ")[0]
    assert "Dit was: Meldnorm 1: acuut, melden (bron: meldnorm 1 [NJI])" in after
    assert "Score: 2 van 2 goed." in after
    # `test` accepts the same file, story and all
    assert CliRunner().invoke(main, ["test", str(path), "-e", "reference"]).exit_code == 0
