"""``meldcode-rules explain``: walk through one case step by step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from meldcode_rules.case.dossier import Dossier
from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier import parse_dossier, read_input_file
from meldcode_rules.engines import ENGINES
from meldcode_rules.explain.explain import explain
from meldcode_rules.explain.tijdlijn import explain_dossier


@click.command("explain")
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sector", "-s", help="Sector (standaard: het veld `sector` van de casus, anders het basismodel).")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@click.option("--op", "op", type=click.DateTime(formats=["%Y-%m-%d"]), help="Peildatum (standaard: vandaag).")
@ruleset_option
def explain_command(
    case_file: Path, sector: str | None, engine: str | None, op: dt.datetime | None, rulesets: tuple[Path, ...]
) -> None:
    """Leg stap voor stap uit hoe een casus wordt beoordeeld, met regels en bronnen.

    Een dossier (met `gebeurtenissen`) krijgt eerst een tijdlijn: elke gebeurtenis, wat die
    veranderde of startte, en wat op de peildatum verlopen is.
    """
    peildatum = op.date() if op else None
    try:
        given = read_input_file(case_file, sector)
        ruleset = chosen(rulesets, sector or given.sector)
        if isinstance(given, Dossier) or peildatum is not None:
            dossier = parse_dossier(given, datum=peildatum)
            text = explain_dossier(dossier, sector, engine, op=peildatum, ruleset=ruleset)
        else:
            text = explain(given, sector=sector, engine=engine, ruleset=ruleset)
    except MeldcodeError as error:
        report_error(error)
        return
    click.echo(text, nl=False)
