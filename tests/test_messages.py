"""Dutch at every boundary: every click message and every pydantic error type has a Dutch text."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pydantic_core.core_schema import ErrorType

from meldcode_rules import messages, parse_case
from meldcode_rules.cli.main import main
from meldcode_rules.diagnostics import CaseError

REPO = Path(__file__).resolve().parents[1]


def _click_messages() -> tuple[set[str], set[str]]:
    """Every literal message id in the installed click: (gettext ids, ngettext singular ids)."""
    single: set[str] = set()
    plural: set[str] = set()
    for file in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    if node.func.id == "_" and len(first.value) > 1:
                        single.add(first.value)
                    elif node.func.id == "ngettext":
                        plural.add(first.value)
    return single, plural


def test_every_click_message_is_translated() -> None:
    single, plural = _click_messages()
    assert len(single) > 40 and len(plural) >= 5  # the extraction found click's messages
    assert single - set(messages.CLICK) == set()
    assert plural - set(messages.CLICK_PLURAL) == set()
    # Placeholders stay, so click can fill them in.
    for english, dutch in messages.CLICK.items():
        assert sorted(_fields(english)) == sorted(_fields(dutch)), english


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_every_pydantic_error_type_is_translated() -> None:
    assert set(typing.get_args(ErrorType)) - set(messages.PYDANTIC) == set()


def test_the_cli_speaks_dutch() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", "--nope"])
    assert result.exit_code == 2
    assert "Gebruik: main evaluate" in result.output and "Fout: Onbekende optie '--nope'." in result.output
    assert "Usage" not in result.output and "Error" not in result.output and "OPTIONS" not in result.output
    assert "Gebruik: main evaluate [OPTIES] CASE_FILE" in result.output
    result = runner.invoke(main, ["evaluate"])
    assert "Fout: Ontbrekend argument 'CASE_FILE'." in result.output
    help_text = runner.invoke(main, ["--help"]).output
    assert "Toon deze hulp en stop." in help_text and "Commando's:" in help_text and "Opties:" in help_text
    assert "Toon de versie en stop." in help_text
    # Aborted! at a prompt (standard input closed).
    result = runner.invoke(main, ["oefen", str(REPO / "examples" / "ontbrekende-feiten.yaml")], input="")
    assert "Afgebroken." in result.output and "Aborted" not in result.output
    result = runner.invoke(main, ["evaluate", str(REPO / "bestaat-niet.yaml")])
    assert "het bestand bestaat niet" in result.output


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ({"vormen": "kindermishandeling"}, "`vormen`: moet een lijst zijn"),
        ({"referentie": ""}, "`referentie`: te kort (minstens 1 teken(s))"),
        ({"referentie": "x" * 201}, "`referentie`: te lang (hoogstens 200 tekens)"),
        ({"datum": "gisteren"}, "`datum`: moet een datum zijn (JJJJ-MM-DD)"),
        ({"datum": "2026-02-30"}, "`datum`: moet een datum zijn (JJJJ-MM-DD)"),
        ({"afweging": []}, "`afweging`: moet een object met velden zijn"),
        ({"sector": 5}, "`sector`: een tekst, de naam van een sector (`meldcode-rules sectors` toont ze)"),
        (
            {"afweging": {"vermoeden": "misschien"}},
            "`afweging.vermoeden`: ongeldige waarde; toegestaan: 'ja', 'nee' of 'onbekend'",
        ),
    ],
)
def test_case_errors_are_dutch_and_never_quote_the_value(case: dict[str, object], expected: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(case)
    assert caught.value.problems == [expected]
