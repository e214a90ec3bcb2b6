"""JSON in, JSON out for case systems that are not written in Python."""

from __future__ import annotations

import json

from click.testing import CliRunner

from meldcode_rules.cli.main import main

ACUUT = {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}, "eerder_gemeld_door_ander": "ja"}
GEEN_VERMOEDEN = {
    "afweging": {"vermoeden": "nee", "acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"},
    # afsluiten waits for stap 1-3 (issue 15)
    "stappen": {"signalen_vastgelegd": "ja", "collega_geraadpleegd": "ja", "gesprek_gevoerd": "ja"},
}


def test_evaluate_reads_json_from_stdin() -> None:
    result = CliRunner().invoke(main, ["evaluate", "-", "--format", "json"], input=json.dumps(ACUUT))
    assert result.exit_code == 0, result.output
    oordeel = json.loads(result.output)
    assert oordeel["melden"] == "ja"
    assert "melden_veilig_thuis" in [a["code"] for a in oordeel["acties"]]


def test_batch_answers_each_line_in_order_and_marks_failures() -> None:
    lines = [
        json.dumps(ACUUT),
        "",
        json.dumps({"afweging": {"vermoedn": "ja"}}),
        "{niet json",
        json.dumps(GEEN_VERMOEDEN),
    ]
    result = CliRunner().invoke(main, ["batch", "--engine", "reference"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1  # at least one line could not be judged
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 4  # the blank line is skipped, every other line answered
    assert out[0]["melden"] == "ja"
    assert out[1] == {"regel": 3, "fout": ["`afweging.vermoedn`: onbekend veld (bedoelde u `vermoeden`?)"]}
    assert out[2]["regel"] == 4 and "JSON" in out[2]["fout"][0]
    assert out[3]["melden"] == "nee" and out[3]["besluit"] == "afsluiten"


def test_batch_error_lines_never_echo_case_values() -> None:
    secret = "Jansen-geheim"
    result = CliRunner().invoke(main, ["batch"], input=json.dumps({"afweging": {"vermoeden": secret}}) + "\n")
    assert result.exit_code == 1
    assert secret not in result.output
    assert "afweging.vermoeden" in result.output


def test_batch_with_only_good_lines_exits_zero() -> None:
    result = CliRunner().invoke(main, ["batch"], input=json.dumps(ACUUT) + "\n" + json.dumps(GEEN_VERMOEDEN) + "\n")
    assert result.exit_code == 0
    assert [json.loads(x)["melden"] for x in result.output.splitlines()] == ["ja", "nee"]
