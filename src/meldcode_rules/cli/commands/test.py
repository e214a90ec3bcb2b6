"""``meldcode-rules test PATH...``: run scenario files (docs/scenarios.md).

Exit codes: 0 every scenario passed (and coverage is at or above the
threshold), 1 a scenario failed or coverage is too low, 2 the scenario files
cannot be read.

Without paths: the scenarios shipped with the basismodel and those of every installed sector,
plugins included. ``--coverage`` reports two things per ruleset: the rules no scenario fires,
and the conclusions (melden, besluit, each action) no scenario observes, that is, no
scenario would fail if that conclusion were gone (:mod:`meldcode_rules.check.conclusions`).
``--min-coverage`` applies to the second.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import click
from rich.console import Console

from meldcode_rules.check.conclusions import ConclusionCoverage, conclusion_coverage
from meldcode_rules.check.report import relative
from meldcode_rules.cli.commands.exits import fail, report_error
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES, EngineUnavailable, get_engine
from meldcode_rules.scenarios.scenarios import (
    RulesetCoverage,
    ScenarioResult,
    available_engines,
    coverage,
    load_scenarios,
    run_scenarios,
)
from meldcode_rules.sectors.registry import builtin_scenario_dir, installed_sectors

FORMATS = ("text", "json", "junit", "github")


def default_paths() -> list[Path]:
    """The shipped scenarios plus every installed sector's own (a plugin's too), each once."""
    paths = [builtin_scenario_dir()]
    for sector in installed_sectors():
        paths += [p for p in sector.scenarios if p.exists()]
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        # a built-in sector's folder lies inside the shipped folder: do not run it twice
        if resolved in seen or any(parent in seen for parent in resolved.parents):
            continue
        seen.add(resolved)
        out.append(path)
    return out


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
@click.option(
    "--coverage",
    "show_coverage",
    is_flag=True,
    help="Toon per ruleset welke regels geen scenario raakt en welke conclusies geen scenario waarneemt.",
)
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    help="Minimale dekking van de conclusies in procenten per geteste ruleset; eronder: exit 1 (zet --coverage aan).",
)
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def test_command(
    paths: tuple[Path, ...],
    rulesets: tuple[Path, ...],
    engines: tuple[str, ...],
    show_coverage: bool,
    min_coverage: float | None,
    fmt: str,
) -> None:
    """Voer scenariobestanden uit (YAML) en vergelijk met het verwachte oordeel.

    Zonder PATHS: de meegeleverde scenario's en die van elke geïnstalleerde sector (ook plugins).
    """
    try:
        for engine in engines:
            get_engine(engine)  # an unavailable engine is a usage error, not a failed scenario
        loaded = load_scenarios(paths or default_paths(), rulesets=list(rulesets) or None)
        results = run_scenarios(loaded, engines=list(engines) or available_engines())
        rules: list[RulesetCoverage] = []
        conclusions: list[ConclusionCoverage] = []
        if show_coverage or min_coverage is not None:
            rules = coverage(results, rulesets=list(rulesets) or None)
            conclusions = conclusion_coverage(loaded)
    except EngineUnavailable as error:
        fail(str(error))
        return
    except MeldcodeError as error:
        report_error(error)
        return
    low = [c.ruleset for c in conclusions if min_coverage is not None and c.under_test and c.percent < min_coverage]
    render = {"text": _text, "json": _json, "junit": _junit, "github": _github}[fmt]
    render(Outcome(results, rules, conclusions, low, min_coverage))
    failed = any(not r.ok for r in results)
    sys.exit(1 if failed or low else 0)


@dataclass(frozen=True)
class Outcome:
    """What one `test` run found, as every output format receives it."""

    results: list[ScenarioResult]
    #: per ruleset, the rules no scenario fires (with --coverage)
    rules: list[RulesetCoverage]
    #: per ruleset, the conclusions no scenario observes (with --coverage or --min-coverage)
    conclusions: list[ConclusionCoverage]
    #: the rulesets whose conclusion coverage is under ``minimum``
    low: list[str]
    minimum: float | None


def _summary(results: list[ScenarioResult]) -> str:
    failed = sum(not r.ok for r in results)
    used = sorted({r.engine for r in results})
    count = len({(r.location.file, r.location.line) for r in results})
    return (
        f"{count} scenario's x {len(used)} engine(s) ({', '.join(used)}): "
        f"{len(results) - failed} geslaagd, {failed} mislukt"
    )


def _text(outcome: Outcome) -> None:
    out = Console(highlight=False, soft_wrap=True)
    failed = [r for r in outcome.results if not r.ok]
    for result in failed:
        out.print(f"[bold red]MISLUKT[/] {result.location}: {result.naam} [dim]({result.engine})[/]")
        for failure in result.failures:
            out.print(f"    {failure}", markup=False)
    out.print(f"[bold {'red' if failed else 'green'}]{_summary(outcome.results)}[/]")
    by_name = {c.ruleset: c for c in outcome.conclusions}
    for entry in outcome.rules:
        covered = len(entry.rules) - len(entry.uncovered)
        label = "" if entry.under_test else " [dim](via uitbreidingen)[/]"
        out.print(f"dekking {entry.ruleset}{label}: {covered}/{len(entry.rules)} regels ({entry.percent:.0f}%)")
        for rule in entry.uncovered:
            out.print(f"    niet geraakt: {rule.id} ({rule.location})", markup=False)
        conc = by_name.get(entry.ruleset)
        if conc is None:
            continue
        seen = len(conc.counted) - len(conc.unobserved)
        marker = f"  [bold red]onder {outcome.minimum:g}%[/]" if conc.ruleset in outcome.low else ""
        extra = sum(c.redundant for c in conc.conclusions)
        note = f"; {extra} overbodig, niet meegeteld" if extra else ""
        out.print(f"    conclusies waargenomen: {seen}/{len(conc.counted)} ({conc.percent:.0f}%){note}{marker}")
        for c in conc.unobserved:
            where = f"{relative(c.location.file)}:{c.location.line}"
            out.print(
                f"    niet waargenomen: {c.rule} {c.part} `{c.value}` ({where}): "
                "geen scenario faalt als deze conclusie wegvalt",
                markup=False,
            )


def _json(outcome: Outcome) -> None:
    data = {
        "ok": all(r.ok for r in outcome.results) and not outcome.low,
        "samenvatting": _summary(outcome.results),
        "resultaten": [
            {
                "naam": r.naam,
                "bestand": r.location.file,
                "regel": r.location.line,
                "sector": r.sector,
                "engine": r.engine,
                "ok": r.ok,
                "fouten": r.failures,
            }
            for r in outcome.results
        ],
        "dekking": [
            {
                "ruleset": e.ruleset,
                "getest": e.under_test,
                "procent": round(e.percent, 1),
                "niet_geraakt": [
                    {"id": r.id, "bestand": r.location.file, "regel": r.location.line} for r in e.uncovered
                ],
            }
            for e in outcome.rules
        ],
        "conclusies": [c.to_json() for c in outcome.conclusions],
        "onder_minimum": outcome.low,
        "minimum": outcome.minimum,
    }
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _junit(outcome: Outcome) -> None:
    cases = []
    failures = 0
    for r in outcome.results:
        name = quoteattr(f"{r.naam} ({r.engine})")
        classname = quoteattr(f"scenario.{r.sector or 'basismodel'}")
        if r.ok:
            cases.append(f"    <testcase classname={classname} name={name} file={quoteattr(r.location.file)}/>")
            continue
        failures += 1
        body = escape("\n".join(r.failures))
        cases.append(
            f"    <testcase classname={classname} name={name} file={quoteattr(r.location.file)}>"
            f"<failure message={quoteattr(r.failures[0] if r.failures else 'mislukt')}>{body}</failure></testcase>"
        )
    for c in outcome.conclusions:
        if outcome.minimum is None or not c.under_test:
            continue
        name = quoteattr(f"conclusiedekking {c.ruleset} >= {outcome.minimum:g}%")
        if c.ruleset in outcome.low:
            failures += 1
            body = escape("\n".join(f"{u.rule} {u.part} {u.value}" for u in c.unobserved))
            cases.append(
                f'    <testcase classname="dekking" name={name}><failure message='
                f"{quoteattr(f'{c.percent:.0f}%')}>{body}</failure></testcase>"
            )
        else:
            cases.append(f'    <testcase classname="dekking" name={name}/>')
    click.echo(
        "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<testsuites name="meldcode-rules test" tests="{len(cases)}" failures="{failures}">',
                f'  <testsuite name="meldcode-rules test" tests="{len(cases)}" failures="{failures}" errors="0">',
                *cases,
                "  </testsuite>",
                "</testsuites>",
            ]
        )
    )


def _gh(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _github(outcome: Outcome) -> None:
    for r in outcome.results:
        if r.ok:
            continue
        props = f"file={_gh(relative(r.location.file), prop=True)},line={r.location.line}"
        props += f",title={_gh('scenario mislukt: ' + r.naam, prop=True)}"
        click.echo(f"::error {props}::{_gh(chr(10).join(r.failures))}")
    for c in outcome.conclusions:
        level = "error" if c.ruleset in outcome.low else "warning"
        for u in c.unobserved:
            props = f"file={_gh(relative(u.location.file), prop=True)},line={u.location.line}"
            props += f",title={_gh('conclusie niet waargenomen', prop=True)}"
            click.echo(f"::{level} {props}::{_gh(f'{u.rule}: {u.part} `{u.value}`: geen scenario faalt zonder')}")
    click.echo(f"meldcode-rules test: {_summary(outcome.results)}")
