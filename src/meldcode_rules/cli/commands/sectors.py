"""``meldcode-rules sectors``: the installed sectors, with version, source and ruleset files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from meldcode_rules.diagnostics import MeldcodeError, RulesetError
from meldcode_rules.sectors.registry import compiled_for, discover, ruleset_files


@click.command("sectors")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sectors_command(fmt: str) -> None:
    """Toon de geïnstalleerde sectors (ingebouwd en via pakketten), met versie, herkomst en rulesets.

    Exit 1 als een sectorpakket niet bruikbaar is (de reden staat erbij).
    """
    found = discover()
    problems = dict(found.problems)
    for name in found.sectors:
        try:
            compiled_for(name)  # a sector that weakens the basismodel is refused here, with the rule named
        except RulesetError as error:
            problems[name] = "geweigerd: " + "; ".join(d.render().replace("\n", " ") for d in error.diagnostics)
        except MeldcodeError as error:
            problems[name] = f"geweigerd: {error}"
    rows: list[dict[str, Any]] = [
        {
            "naam": s.name,
            "titel": s.titel,
            "versie": s.versie,
            "herkomst": s.herkomst,
            "bron": s.bron,
            "rulesets": [str(p) for p in ruleset_files(s.rulesets)],
            "scenarios": [str(p) for p in s.scenarios],
            "extra_feiten": sorted(s.feiten.model_fields) if s.feiten else [],
            "bruikbaar": s.name not in problems,
        }
        for s in found.sectors.values()
    ]
    if fmt == "json":
        click.echo(json.dumps({"sectors": rows, "problemen": problems}, indent=2, ensure_ascii=False))
    else:
        # Names are never broken mid-word at 80 columns: they do not wrap, and the ruleset
        # files are shown by name (the JSON output has the full paths).
        table = Table(title="Geïnstalleerde sectors", show_lines=False)
        table.add_column("sector (rulesets)", no_wrap=True)
        table.add_column("versie", no_wrap=True)
        table.add_column("herkomst")
        table.add_column("status", no_wrap=True)
        for row in rows:
            status = "ok" if row["bruikbaar"] else "[red]geweigerd[/]"
            files = "".join(f"\n  [dim]{Path(p).name}[/]" for p in row["rulesets"])
            table.add_row(row["naam"] + files, row["versie"], row["herkomst"], status)
        console = Console(highlight=False, soft_wrap=True)
        console.print(table)
        for name, problem in problems.items():
            Console(stderr=True, highlight=False).print(f"[bold red]niet bruikbaar:[/] {name}: {problem}")
    sys.exit(1 if problems else 0)
