"""``meldcode-rules schema``: write the JSON Schemas for editors."""

from __future__ import annotations

from pathlib import Path

import click

from meldcode_rules import schema
from meldcode_rules.service.openapi import write_openapi


@click.command("schema")
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("schemas"),
    show_default=True,
    help="Map waarin de schema's komen.",
)
def schema_command(out: Path) -> None:
    """Schrijf de JSON Schema's (ruleset, casus, oordeel, scenario) en het OpenAPI-document van de service."""
    for path in [*schema.write(out), write_openapi(out)]:
        click.echo(f"geschreven: {path}")
