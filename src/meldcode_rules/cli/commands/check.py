"""``meldcode-rules check [PATH...]``: prove the rulesets consistent (exit 0 ok, 1 findings, 2 usage)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from meldcode_rules.check import run_check
from meldcode_rules.check.report import FORMATS, render

EXIT_FINDINGS = 1
EXIT_USAGE = 2


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--engine-agreement/--no-engine-agreement",
    default=True,
    show_default=True,
    help="Vergelijk ook de engines durable en reference (op een steekproef).",
)
@click.option(
    "--against",
    "against",
    metavar="REV",
    help="Vergelijk ook met een vorige versie (git-revisie of pad): minder bescherming op een casus "
    "(MC600) of een verdwenen of verzwakte invariant (MC601) is een fout.",
)
def check_command(paths: tuple[Path, ...], fmt: str, engine_agreement: bool, against: str | None) -> None:
    """Bewijs dat de rulesets kloppen: volledigheid, invarianten, conflicten, dode regels.

    Zonder PATH: de ingebouwde rulesets. Exitcode 0: geen fouten; 1: fouten gevonden; 2: verkeerd gebruik.
    """
    report = run_check(list(paths) or None, engine_agreement=engine_agreement, against=against)
    if not report.checked and not report.findings:
        click.echo("fout: geen rulesets gevonden in " + ", ".join(map(str, paths)), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(render(report, fmt))
    sys.exit(0 if report.ok else EXIT_FINDINGS)
