"""``meldcode-rules test PATH...``: run scenario files (docs/scenarios.md).

Exit codes: 0 every scenario passed (and coverage is at or above the
threshold), 1 a scenario failed or coverage is too low, 2 the scenario files
cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from meldcode_rules.cli.commands.exits import fail, report_error
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES, EngineUnavailable, get_engine
from meldcode_rules.scenarios.scenarios import available_engines, coverage, load_scenarios, run_scenarios
from meldcode_rules.sectors.registry import builtin_scenario_dir


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--ruleset",
    "-r",
    "rulesets",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Rulesetbestand of -map om tegen te testen in plaats van de geïnstalleerde (mag vaker).",
)
@click.option(
    "--engine",
    "-e",
    "engines",
    multiple=True,
    type=click.Choice(ENGINES),
    help="Engine (herhaalbaar; standaard: elke engine die hier werkt).",
)
@click.option("--coverage", "show_coverage", is_flag=True, help="Toon per ruleset welke regels geen scenario raakt.")
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    help="Minimale dekking in procenten per geteste ruleset; eronder: exit 1 (zet --coverage aan).",
)
def test_command(
    paths: tuple[Path, ...],
    rulesets: tuple[Path, ...],
    engines: tuple[str, ...],
    show_coverage: bool,
    min_coverage: float | None,
) -> None:
    """Voer scenariobestanden uit (YAML) en vergelijk met het verwachte oordeel.

    Zonder PATHS: de meegeleverde scenario's van alle geïnstalleerde sectoren.
    """
    out = Console(highlight=False, soft_wrap=True)
    try:
        for engine in engines:
            get_engine(engine)  # an unavailable engine is a usage error, not a failed scenario
        loaded = load_scenarios(paths or [builtin_scenario_dir()], rulesets=list(rulesets) or None)
        results = run_scenarios(loaded, engines=list(engines) or available_engines())
    except EngineUnavailable as error:
        fail(str(error))
        return
    except MeldcodeError as error:
        report_error(error)
        return

    failed = [r for r in results if not r.ok]
    for result in failed:
        out.print(f"[bold red]MISLUKT[/] {result.location}: {result.naam} [dim]({result.engine})[/]")
        for failure in result.failures:
            out.print(f"    {failure}", markup=False)
    used = sorted({r.engine for r in results})
    summary = (
        f"{len(loaded)} scenario's x {len(used)} engine(s) ({', '.join(used)}): "
        f"{len(results) - len(failed)} geslaagd, {len(failed)} mislukt"
    )
    out.print(f"[bold {'red' if failed else 'green'}]{summary}[/]")

    too_low = False
    if show_coverage or min_coverage is not None:
        for entry in coverage(results, rulesets=list(rulesets) or None):
            covered = len(entry.rules) - len(entry.uncovered)
            marker = ""
            if min_coverage is not None and entry.under_test and entry.percent < min_coverage:
                too_low = True
                marker = f"  [bold red]onder {min_coverage:g}%[/]"
            label = "" if entry.under_test else " [dim](via uitbreidingen)[/]"
            out.print(
                f"dekking {entry.ruleset}{label}: {covered}/{len(entry.rules)} regels ({entry.percent:.0f}%){marker}"
            )
            for rule in entry.uncovered:
                out.print(f"    niet geraakt: {rule.id} ({rule.location})", markup=False)
    sys.exit(1 if failed or too_low else 0)
