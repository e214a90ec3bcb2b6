"""``meldcode-rules diff OLD NEW``: the impact of a change on every case (docs/ci.md).

Exit codes: 0 no change lowers protection (raising it or rewording is listed); 1 some class
of cases gets less protection (or a ruleset disappeared, or a version does not compile);
2 OLD or NEW cannot be read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import click
from ruamel.yaml import YAML

from meldcode_rules.check.diff import Change, DiffReport, run_diff
from meldcode_rules.cli.commands.exits import fail
from meldcode_rules.diagnostics import DiffError

FORMATS = ("text", "json", "markdown", "github")


@click.command("diff")
@click.argument("old")
@click.argument("new", default=".")
@click.option(
    "--path",
    "default_path",
    default="rulesets",
    show_default=True,
    help="Map van de rulesets in een git-revisie (voor OLD/NEW als `REV` zonder `:pad`).",
)
@click.option(
    "--cases",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Echte (gepseudonimiseerde) casussen, JSON Lines of een YAML-lijst: wat verandert er voor hen.",
)
@click.option(
    "--op",
    "op",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Vergelijk alleen de versies die op deze datum gelden (standaard: elke combinatie van versies).",
)
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def diff_command(old: str, new: str, default_path: str, cases: Path | None, op: dt.datetime | None, fmt: str) -> None:
    """Wat verandert er aan de oordelen tussen twee versies van de rulesets?

    OLD en NEW zijn rulesetbestanden of -mappen, of git-revisies (`main`, `HEAD~1:rulesets`).
    Zonder NEW: de huidige map (`--path`). Elke klasse van casussen waarvan het oordeel
    verandert, geteld en met de kleinste casus; minder bescherming geeft exit 1. Met meerdere
    versies: elke combinatie van versies (per datum waarop die ingaat), of met `--op` alleen
    de versies die op die datum gelden; `--cases` beoordeelt elke casus met de versies op zijn `datum`.
    """
    if new == "." and not Path(default_path).exists():
        fail(f"geen NEW gegeven en `{default_path}` bestaat hier niet")
    try:
        report = run_diff(
            old,
            default_path if new == "." else new,
            default_path=default_path,
            cases=cases,
            op=op.date() if op else None,
        )
    except DiffError as error:
        fail(str(error))
        return
    click.echo(render(report, fmt))
    sys.exit(0 if report.ok else 1)


def _yaml(example: dict[str, object]) -> list[str]:
    yaml = YAML()
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump({"gegeven": example or {}}, out)
    return out.getvalue().rstrip().splitlines()


def _head(change: Change) -> str:
    how = "bewezen" if change.proved else "steekproef"
    kind = "MINDER BESCHERMING" if change.lowers else "meer bescherming"
    also = f"; ook in: {', '.join(change.also)}" if change.also else ""
    return f"{change.ruleset}: {kind}: {change.describe()} ({change.count} van {change.total} gevallen, {how}){also}"


def render_text(report: DiffReport) -> str:
    out = [f"meldcode-rules diff {report.old} -> {report.new}"]
    for problem in report.problems:
        out.append(f"FOUT: {problem.location.file}:{problem.location.line}: {problem.code}: {problem.message}")
    for label in report.only_old:
        out.append(f"FOUT: ruleset `{label}` ontbreekt in de nieuwe versie")
    for label in report.only_new:
        out.append(f"nieuw: ruleset `{label}`")
    for change in report.changes:
        out.append(_head(change))
        out.append("    kleinste casus (plak in een scenariobestand):")
        out += ["      " + line for line in _yaml(change.example)]
    for impact in report.cases:
        out.append(
            f"casussen {impact.file}: {impact.total}, waarvan {sum(map(len, impact.changed.values()))} veranderd, "
            f"{len(impact.lowered)} met minder bescherming"
            + (f", {len(impact.errors)} niet te beoordelen" if impact.errors else "")
        )
        for what, numbers in impact.changed.items():
            out.append(f"    {what}: regels {', '.join(map(str, numbers[:20]))}{' ...' if len(numbers) > 20 else ''}")
    if report.wording:
        out.append("wat er in de regels veranderde:")
        out += [f"    {w}" for w in report.wording]
    lowering = len(report.lowering)
    out.append(
        f"{'OK' if report.ok else 'NIET OK'}: {len(report.changes)} klasse(n) van casussen met een ander oordeel, "
        f"{lowering} met minder bescherming"
    )
    return "\n".join(out)


def render_markdown(report: DiffReport) -> str:
    """For a pull-request comment."""
    icon = "✅" if report.ok else "❌"
    out = [f"### {icon} meldcode-rules diff `{report.old}` → `{report.new}`", ""]
    if not report.changes and not report.problems and not report.only_old:
        out.append("Geen enkel oordeel verandert.")
    if report.changes:
        out += ["| ruleset | verandering | gevallen | bescherming |", "|---|---|---|---|"]
        for c in report.changes:
            out.append(
                f"| {c.ruleset} | {c.describe()} | {c.count} van {c.total} | {'**lager**' if c.lowers else 'hoger'} |"
            )
        for c in report.lowering:
            out += ["", f"<details><summary>{c.ruleset}: {c.describe()}</summary>", "", "```yaml"]
            out += _yaml(c.example)
            out += ["```", "</details>"]
    for problem in report.problems:
        out.append(f"- **fout** `{problem.code}` {problem.message}")
    for label in report.only_old:
        out.append(f"- **fout**: ruleset `{label}` ontbreekt in de nieuwe versie")
    for impact in report.cases:
        out.append(
            f"- casussen `{impact.file}`: {impact.total}, {sum(map(len, impact.changed.values()))} veranderd, "
            f"{len(impact.lowered)} met minder bescherming"
        )
    if report.wording:
        out += ["", "<details><summary>Wat er in de regels veranderde</summary>", ""]
        out += [f"- {w}" for w in report.wording]
        out.append("</details>")
    return "\n".join(out) + "\n"


def _gh(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render_github(report: DiffReport) -> str:
    out = []
    for c in report.changes:
        level = "error" if c.lowers else "notice"
        body = _head(c) + "\n" + "\n".join(_yaml(c.example))
        out.append(f"::{level} title=meldcode-rules diff ({c.ruleset})::{_gh(body)}")
    for label in report.only_old:
        out.append(f"::error title=meldcode-rules diff::{_gh(f'ruleset {label} ontbreekt in de nieuwe versie')}")
    for problem in report.problems:
        out.append(f"::error title={problem.code}::{_gh(problem.message)}")
    out.append(f"meldcode-rules diff: {len(report.changes)} klasse(n), {len(report.lowering)} met minder bescherming")
    return "\n".join(out)


def render(report: DiffReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
    return {"text": render_text, "markdown": render_markdown, "github": render_github}[fmt](report)
