"""``meldcode-rules render``: the afwegingskader, the steps and the decision table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import choose, versies_from


def load_ruleset(
    sector: str | None, paths: tuple[Path, ...], op: dt.date | None = None, versie: str | None = None
) -> CompiledRuleset:
    """The compiled ruleset for the options ``--sector``, ``--ruleset``, ``--op`` and ``--versie``:
    the versions in force on ``op`` (default: today), chosen as for a case."""
    return choose(versies_from(paths, sector) if paths else None, sector, op, versie, veld="op", source="--op")


@click.command("render")
@click.option("--sector", "-s", help="Sector (standaard: het basismodel).")
@click.option(
    "--ruleset",
    "-r",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Rulesetbestand of -map in plaats van de ingebouwde (mag vaker).",
)
@click.option(
    "--op",
    "op",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Teken de versies die op deze datum gelden (standaard: vandaag).",
)
@click.option("--versie", help="Teken deze versie van de ruleset van de sector (of het basismodel).")
@click.option("--format", "-f", "fmt", type=click.Choice(render.FORMATS), default="markdown", show_default=True)
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Schrijf naar dit bestand.")
def render_command(
    sector: str | None,
    paths: tuple[Path, ...],
    op: dt.datetime | None,
    versie: str | None,
    fmt: render.Format,
    out: Path | None,
) -> None:
    """Teken het afwegingskader, de stappen en de beslistabel van een ruleset."""
    try:
        text = render.render(load_ruleset(sector, paths, op.date() if op else None, versie), fmt)
    except MeldcodeError as error:
        report_error(error)
        return
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"geschreven: {out}")
