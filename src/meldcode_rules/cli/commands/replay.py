"""`meldcode-rules replay`: judge a recorded case again and say whether the outcome is the same."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from meldcode_rules.cli.commands.exits import report_error
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.records.replay import replay
from meldcode_rules.records.store import DEFAULT_DB, SALT_ENV


@click.command("replay")
@click.argument("oordeel_id")
@click.option("--case", "case_file", required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DB, show_default=True)
def replay_command(oordeel_id: str, case_file: Path, db: Path) -> None:
    """Beoordeel de casus of het dossier van besluit OORDEEL_ID opnieuw met de vastgelegde rulesets.

    Een dossier (of een casus die met `--op` werd beoordeeld) zoals op de vastgelegde
    peildatum. Weigert als de rulesets of de invoer (invoer-hash, met de salt uit
    MELDCODE_RULES_RECORD_SALT) niet meer overeenkomen. Exit 0: dezelfde uitkomst;
    1: een andere uitkomst; 2: niet opnieuw te beoordelen.
    """
    salt = os.environ.get(SALT_ENV)
    try:
        result = replay(oordeel_id, case_file, db, salt.encode("utf-8") if salt else None)
    except MeldcodeError as error:
        report_error(error)
        return
    record = result.record
    rulesets = ", ".join(f"{r['id']} {r['versie']}" for r in record.rulesets)
    als_op = f"; {record.soort} op peildatum {record.op}" if record.op is not None else ""
    click.echo(f"besluit {record.oordeel_id} van {record.tijd} (engine {record.engine}; rulesets {rulesets}{als_op})")
    if result.same:
        click.echo(f"zelfde uitkomst: melden {record.melden}, besluit {record.besluit}, stap {record.stap}")
        sys.exit(0)
    click.echo("andere uitkomst:")
    for line in result.differences():
        click.echo(f"  {line}")
    sys.exit(1)
