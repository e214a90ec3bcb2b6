"""The command line: a thin adapter over the public API.

Every expected failure (bad case file, unknown sector, broken ruleset,
engine unavailable) ends with a one-screen Dutch message and a non-zero exit
code, never a traceback. Exit codes: 0 ok, 1 a finding or failed test,
2 usage or input error.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console

from meldcode_rules import limits
from meldcode_rules._version import __version__
from meldcode_rules.cli.commands.batch import batch_command
from meldcode_rules.cli.commands.check import check_command
from meldcode_rules.cli.commands.diff import diff_command
from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.cli.commands.explain import explain_command
from meldcode_rules.cli.commands.monitor import monitor_command
from meldcode_rules.cli.commands.oefen import oefen_command
from meldcode_rules.cli.commands.render import render_command
from meldcode_rules.cli.commands.replay import replay_command
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.cli.commands.schema import schema_command
from meldcode_rules.cli.commands.sectors import sectors_command
from meldcode_rules.cli.commands.serve import serve_command
from meldcode_rules.cli.commands.test import test_command
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.dossier import evaluate, read_input_bytes, read_input_file
from meldcode_rules.engines import ENGINES
from meldcode_rules.explain.render_text import print_judgement
from meldcode_rules.records.store import writer_from_env


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[OPTIES]",
    subcommand_metavar="COMMANDO [ARGUMENTEN]...",
)
@click.version_option(__version__, prog_name="meldcode-rules")
def main() -> None:
    """De meldcode huiselijk geweld en kindermishandeling als controleerbare regels."""


@main.command("evaluate")
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--sector", "-s", help="Sector (standaard: het veld `sector` van de casus, anders het basismodel).")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--versie",
    help="Beoordeel met deze versie van de ruleset van de sector (of het basismodel), "
    "niet met de versie die op de `datum` van de casus geldt.",
)
@click.option(
    "--op", "op", type=click.DateTime(formats=["%Y-%m-%d"]), help="Peildatum voor een dossier (standaard: vandaag)."
)
@ruleset_option
@click.option("--records", help="Leg een besluitregistratie vast in deze SQLite-database (zie `replay`).")
def evaluate_command(
    case_file: Path,
    sector: str | None,
    engine: str | None,
    fmt: str,
    versie: str | None,
    op: dt.datetime | None,
    rulesets: tuple[Path, ...],
    records: str | None,
) -> None:
    """Beoordeel een casus of dossier (YAML of JSON; `-` leest standaardinvoer) en toon het oordeel."""
    try:
        if str(case_file) == "-":
            # Bytes, bounded, decoded here: invalid UTF-8 is a clear error under any locale.
            raw = sys.stdin.buffer.read(limits.MAX_CASE_BYTES + 1)
            case = read_input_bytes(raw, "standaardinvoer", sector=sector)
        else:
            case = read_input_file(case_file, sector)
        ruleset = chosen(rulesets, sector or case.sector)
        writer = writer_from_env(records) if records else None
        oordeel = evaluate(
            case,
            sector=sector,
            engine=engine,
            ruleset=ruleset,
            op=op.date() if op else None,
            versie=versie,
            records=writer,
        )
    except MeldcodeError as error:
        report_error(error)
        return
    if fmt == "json":
        click.echo(oordeel.model_dump_json(indent=2))
    else:
        print_judgement(oordeel, Console())


main.add_command(schema_command)
main.add_command(render_command)
main.add_command(explain_command)
main.add_command(oefen_command)
main.add_command(test_command)
main.add_command(sectors_command)

main.add_command(batch_command)
main.add_command(check_command)
main.add_command(diff_command)
main.add_command(monitor_command)
main.add_command(serve_command)
main.add_command(replay_command)

# The usage line in Dutch too (click's placeholder is not a translatable message).
for _command in main.commands.values():
    _command.options_metavar = "[OPTIES]"

if __name__ == "__main__":  # pragma: no cover
    main()
