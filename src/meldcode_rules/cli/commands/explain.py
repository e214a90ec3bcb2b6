"""``meldcode-rules explain``: walk through one case step by step."""

from __future__ import annotations

from pathlib import Path

import click

from meldcode_rules.api import read_case_file
from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES
from meldcode_rules.explain.explain import explain


@click.command("explain")
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sector", "-s", help="Sector (standaard: het veld `sector` van de casus, anders het basismodel).")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
def explain_command(case_file: Path, sector: str | None, engine: str | None) -> None:
    """Leg stap voor stap uit hoe een casus wordt beoordeeld, met regels en bronnen."""
    try:
        text = explain(read_case_file(case_file), sector=sector, engine=engine)
    except MeldcodeError as error:
        report_error(error)
        return
    click.echo(text, nl=False)
