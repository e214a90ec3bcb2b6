"""``meldcode-rules oefen``: practise the afwegingsvragen on a case or scenario file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.scenarios.oefen import ANTWOORDEN, lees_oefeningen, oefen


@click.command("oefen")
@click.argument("oefenbestand", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sector", "-s", help="Sector (standaard: die van de casus of het scenariobestand).")
@ruleset_option
def oefen_command(oefenbestand: Path, sector: str | None, rulesets: tuple[Path, ...]) -> None:
    """Oefen de afwegingsvragen met een casus of scenariobestand; met feedback en score."""

    def vraag(tekst: str) -> str:
        return click.prompt(tekst, type=click.Choice(ANTWOORDEN))

    try:
        oefeningen = lees_oefeningen(oefenbestand)
        goed = totaal = 0
        for nummer, oefening in enumerate(oefeningen, start=1):
            oefening = replace(oefening, sector=sector or oefening.sector)
            score = oefen(oefening, vraag, click.echo, chosen(rulesets, oefening.sector), nummer)
            goed, totaal = goed + score.goed, totaal + score.totaal
            click.echo("")
    except MeldcodeError as error:
        report_error(error)
        return
    if len(oefeningen) > 1:
        click.echo(f"Totaal: {goed} van {totaal} goed.")
