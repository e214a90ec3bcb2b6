"""The command line: a thin adapter over the public API.

Every expected failure (bad case file, unknown sector, broken ruleset,
engine unavailable) ends with a one-screen Dutch message and a non-zero exit
code, never a traceback. Exit codes: 0 ok, 1 a finding or failed test,
2 usage or input error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from meldcode_rules import __version__
from meldcode_rules.api import evaluate, read_case_file
from meldcode_rules.diagnostics import MeldcodeError, RulesetError
from meldcode_rules.engines import ENGINES

EXIT_INPUT = 2


def fail(message: str) -> None:
    """Print a one-screen error to stderr and exit with the input-error code."""
    Console(stderr=True, highlight=False).print(f"[bold red]fout:[/] {message}", markup=True, soft_wrap=True)
    sys.exit(EXIT_INPUT)


def report_error(error: MeldcodeError) -> None:
    if isinstance(error, RulesetError):
        fail(error.render())
    fail(str(error))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="meldcode-rules")
def main() -> None:
    """De meldcode huiselijk geweld en kindermishandeling als controleerbare regels."""


@main.command("evaluate")
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sector", "-s", help="Sector (standaard: het veld `sector` van de casus, anders het basismodel).")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def evaluate_command(case_file: Path, sector: str | None, engine: str | None, fmt: str) -> None:
    """Beoordeel een casus (YAML of JSON) en toon het oordeel."""
    try:
        case = read_case_file(case_file)
        oordeel = evaluate(case, sector=sector, engine=engine)
    except MeldcodeError as error:
        report_error(error)
        return
    if fmt == "json":
        click.echo(oordeel.model_dump_json(indent=2))
    else:
        from meldcode_rules.render_text import print_judgement

        print_judgement(oordeel, Console())


from meldcode_rules.commands.check import check_command  # noqa: E402

main.add_command(check_command)


if __name__ == "__main__":  # pragma: no cover
    main()
