"""``meldcode-rules render``: the afwegingskader, the steps and the decision table."""

from __future__ import annotations

from pathlib import Path

import click

from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import compile_from, compiled_for


def load_ruleset(sector: str | None, paths: tuple[Path, ...]) -> CompiledRuleset:
    """The compiled ruleset for the options ``--sector`` and ``--ruleset`` (shared by the commands)."""
    return compile_from(list(paths), sector) if paths else compiled_for(sector)


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
@click.option("--format", "-f", "fmt", type=click.Choice(render.FORMATS), default="markdown", show_default=True)
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Schrijf naar dit bestand.")
def render_command(sector: str | None, paths: tuple[Path, ...], fmt: render.Format, out: Path | None) -> None:
    """Teken het afwegingskader, de stappen en de beslistabel van een ruleset."""
    try:
        text = render.render(load_ruleset(sector, paths), fmt)
    except MeldcodeError as error:
        report_error(error)
        return
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"geschreven: {out}")
