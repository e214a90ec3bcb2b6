"""`meldcode-rules batch`: JSON Lines in (stdin), JSON Lines out (stdout)."""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path

import click

from meldcode_rules.batch import judge_lines
from meldcode_rules.cli.commands.exits import fail, report_error
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES
from meldcode_rules.records.store import writer_from_env


@click.command("batch")
@click.option("--sector", "-s", help="Sector voor elke casus zonder eigen `sector`.")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@click.option("--op", "op", type=click.DateTime(formats=["%Y-%m-%d"]), help="Peildatum (standaard: vandaag).")
@ruleset_option
@click.option("--records", help="Leg een besluitregistratie vast in deze SQLite-database (zie `replay`).")
def batch_command(
    sector: str | None, engine: str | None, op: dt.datetime | None, rulesets: tuple[Path, ...], records: str | None
) -> None:
    """Beoordeel een casus per regel (JSON Lines) van standaardinvoer; een oordeel per regel terug.

    Een regel die niet te beoordelen is, geeft {"regel": N, "fout": [...]}; de exitcode is dan 1.
    """
    failed = False
    try:
        chosen(rulesets, sector)  # a broken --ruleset stops before the first line, not on each
        writer = writer_from_env(records) if records else None
    except MeldcodeError as error:
        report_error(error)
    try:
        for ok, line in judge_lines(
            sys.stdin,
            sector=sector,
            engine=engine,
            ruleset_for=partial(chosen, rulesets) if rulesets else None,
            op=op.date() if op else None,
            records=writer,
        ):
            failed = failed or not ok
            click.echo(line)
    except MeldcodeError as error:  # engine or ruleset trouble: nothing can be judged
        fail(str(error))
    sys.exit(1 if failed else 0)
