"""``meldcode-rules explain``: walk through one case step by step."""

from __future__ import annotations

from pathlib import Path

import click

from meldcode_rules.api import read_case_file
from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES
from meldcode_rules.explain.explain import explain


@click.command("explain")
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sector", "-s", help="Sector (standaard: het veld `sector` van de casus, anders het basismodel).")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@ruleset_option
def explain_command(case_file: Path, sector: str | None, engine: str | None, rulesets: tuple[Path, ...]) -> None:
    """Leg stap voor stap uit hoe een casus wordt beoordeeld, met regels en bronnen."""
    try:
        case = read_case_file(case_file, sector)
        text = explain(case, sector=sector, engine=engine, ruleset=chosen(rulesets, sector or case.sector))
    except MeldcodeError as error:
        report_error(error)
        return
    click.echo(text, nl=False)
