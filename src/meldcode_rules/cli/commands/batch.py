"""`meldcode-rules batch`: JSON Lines in (stdin), JSON Lines out (stdout)."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from functools import partial
from pathlib import Path

import click

from meldcode_rules import limits
from meldcode_rules.batch import judge_stream
from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.cli.commands.rulesets import chosen, ruleset_option
from meldcode_rules.diagnostics import CaseError, MeldcodeError
from meldcode_rules.engines import ENGINES, get_engine
from meldcode_rules.records.store import writer_from_env
from meldcode_rules.sectors.registry import installed


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

    Een regel die niet te beoordelen is, geeft {"regel": N, "fout": [...]}, en de stroom gaat door.
    Exitcode: 0 alles beoordeeld; 1 een of meer regels geweigerd; 2 een verkeerde optie
    (niets beoordeeld); 3 het programma faalde op een of meer regels (docs/limits.md).
    """
    try:  # options that no line can fix: refused before the first line is read
        get_engine(engine)
        versies = chosen(rulesets, sector)  # a broken --ruleset stops before the first line, not on each
        if versies is not None or sector is not None:
            # no version in force today is no usage error: each line's own date chooses (MV020 if none)
            with contextlib.suppress(CaseError):
                (versies or installed(sector)).op()
        writer = writer_from_env(records) if records else None
    except MeldcodeError as error:
        report_error(error)
    refused = failed = False
    out = sys.stdout.buffer
    lines = judge_stream(
        sys.stdin.buffer,
        sector=sector,
        engine=engine,
        ruleset_for=partial(chosen, rulesets) if rulesets else None,
        op=op.date() if op else None,
        records=writer,
    )
    try:
        for line in lines:
            refused = refused or not line.ok
            failed = failed or line.failed
            # A text the judgement repeats cannot hold what UTF-8 cannot write (pydantic
            # escapes it); `replace` is the last guard, so writing can never end the stream.
            out.write(line.text.encode("utf-8", "replace") + b"\n")
            out.flush()
    except OSError as error:  # the input or output itself failed
        click.echo(f"fout: invoer of uitvoer faalde ({error.strerror or type(error).__name__})", err=True)
        sys.exit(limits.BATCH_EXIT_FAILED)
    sys.exit(limits.BATCH_EXIT_FAILED if failed else 1 if refused else 0)
