"""Output formats of ``check``: text (for trainers), json, junit (CI test reports), github (annotations)."""

from __future__ import annotations

import io
import json
import os
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ruamel.yaml import YAML

from meldcode_rules.check import CheckReport
from meldcode_rules.check.findings import Finding

FORMATS = ("text", "json", "junit", "github")

_ERNST = {"fout": "FOUT", "waarschuwing": "WAARSCHUWING", "notitie": "NOTITIE"}


def relative(file: str) -> str:
    """A path relative to the working directory where possible (CI annotations need that)."""
    try:
        return (
            os.path.relpath(file) if Path(file).is_absolute() and not os.path.relpath(file).startswith("..") else file
        )
    except ValueError:
        return file


def scenario_yaml(finding: Finding) -> str:
    """The counterexample as a scenario's input, ready to paste into a scenario file.

    A ``gegeven:`` block (a case), or, where the counterexample has facts about time, which
    only dated events give, a ``dossier:`` with its events and ``op:`` (the peildatum).
    """
    yaml = YAML()
    yaml.default_flow_style = False
    out = io.StringIO()
    dossier = finding.tegenvoorbeeld_dossier
    if dossier is not None:
        gebeurtenissen = dossier["dossier"]
        yaml.dump({"dossier": gebeurtenissen, "op": dossier["op"]}, out)
    else:
        yaml.dump({"gegeven": finding.tegenvoorbeeld or {}}, out)
    return out.getvalue()


def _pasteable(finding: Finding) -> bool:
    """A counterexample with facts about time pastes only as a dossier."""
    return finding.tegenvoorbeeld_dossier is not None or "tijd" not in (finding.tegenvoorbeeld or {})


def _how(finding: Finding) -> str:
    if finding.proved is None:
        return _ERNST[finding.severity].lower()
    return f"{_ERNST[finding.severity].lower()}, {'bewezen' if finding.proved else 'steekproef'}"


def _place(finding: Finding) -> str:
    loc = finding.location
    place = relative(loc.file)
    if loc.line:
        place += f":{loc.line}"
        if loc.column:
            place += f":{loc.column}"
    return place


def render_finding(finding: Finding) -> str:
    """``bestand:regel:kolom: CODE: wat er mis is``, and beneath it how sure, why and what follows."""
    lines = [f"{_place(finding)}: {finding.code}: {finding.message}", f"    ({_how(finding)})"]
    for detail in finding.details:
        lines.append(f"    {detail}")
    fired = list(finding.oordeel["regels"]) if finding.oordeel else []
    if [r.id for r in finding.regels] != fired:  # the rules that fire are listed with the judgement below
        for rule in finding.regels:
            lines.append(f"    regel {rule.id}: {relative(rule.location.file)}:{rule.location.line}")
    if finding.ook_in:
        lines.append(f"    geldt ook in: {', '.join(finding.ook_in)}")
    for gevolg in finding.gevolgen:
        also = f" (ook in: {', '.join(gevolg.ook_in)})" if gevolg.ook_in else ""
        lines.append(f"    gevolg op dezelfde casus: {_place(gevolg)}: {gevolg.code}: {gevolg.message}{also}")
    if finding.tegenvoorbeeld is not None:
        dossier = finding.tegenvoorbeeld_dossier
        if dossier is not None:
            lines.append(
                "    kleinste tegenvoorbeeld als dossier (plak in een scenariobestand):"
                if dossier["getuige"]
                else "    tegenvoorbeeld als dossier (plak in een scenariobestand):"
            )
        elif _pasteable(finding):
            lines.append("    kleinste tegenvoorbeeld (plak in een scenariobestand):")
        else:
            lines.append("    kleinste tegenvoorbeeld (feiten; geen scenario: geen dossier geeft deze tijdfeiten):")
        lines += ["      " + line for line in scenario_yaml(finding).rstrip().splitlines()]
        if finding.oordeel:
            lines.append(
                f"    oordeel nu: melden {finding.oordeel['melden']}, besluit {finding.oordeel['besluit']}; "
                f"regels: {', '.join(finding.oordeel['regels'])}"
            )
    return "\n".join(lines)


def _stage_lines(report: CheckReport) -> list[str]:
    """Per ruleset, what each stage found: a stage with errors is never called proved."""
    out = []
    for label, stages in report.stages.items():
        errors = report.stage_errors.get(label, {})
        parts = []
        for name, proved in stages.items():
            count = errors.get(name, 0)
            if count:
                parts.append(f"{name}: {count} fout{'en' if count > 1 else ''}")
            else:
                parts.append(f"{name}: {'bewezen' if proved else 'steekproef'}")
        out += textwrap.wrap(
            f"{label}: " + ", ".join(parts), width=80, subsequent_indent="    ", break_on_hyphens=False
        )
    return out


def render_text(report: CheckReport) -> str:
    out = [render_finding(f) for f in report.findings]
    errors = len(report.errors)
    consequences = sum(len(f.gevolgen) for f in report.errors)
    warnings = sum(f.severity == "waarschuwing" for f in report.findings)
    out.append("")
    out += _stage_lines(report)
    follow = f" (met {consequences} gevolg{'en' if consequences != 1 else ''})" if consequences else ""
    out += textwrap.wrap(
        f"{'OK' if report.ok else 'NIET OK'}: {len(report.checked)} ruleset(s) gecontroleerd "
        f"({', '.join(report.checked) or '-'}), {errors} fout(en){follow}, {warnings} waarschuwing(en), "
        f"in {report.seconds:.2f} s",
        width=80,
        subsequent_indent="    ",
        break_on_hyphens=False,
    )
    return "\n".join(out)


def render_json(report: CheckReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def render_junit(report: CheckReport) -> str:
    """One testsuite per ruleset checked, one testcase per stage; failures are the error findings."""
    cases: list[str] = []
    failures = 0
    for label, stages in report.stages.items():
        for stage in stages:
            cases.append(f"    <testcase classname={quoteattr('check.' + label)} name={quoteattr(stage)}/>")
    schema = [f for f in report.findings if f.ruleset is None]
    by_ruleset = [f for f in report.findings if f.ruleset is not None]
    for finding in [*schema, *by_ruleset]:
        name = f"{finding.code} {relative(finding.location.file)}:{finding.location.line}"
        body = escape(render_finding(finding))
        if finding.severity == "fout":
            failures += 1
            inner = f"<failure message={quoteattr(finding.message)} type={quoteattr(finding.code)}>{body}</failure>"
        else:
            inner = f"<system-out>{body}</system-out>"
        cases.append(
            f"    <testcase classname={quoteattr('check.' + (finding.ruleset or 'schema'))} name={quoteattr(name)}>"
            f"{inner}</testcase>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="meldcode-rules check" tests="{len(cases)}" failures="{failures}" '
            f'time="{report.seconds:.3f}">',
            f'  <testsuite name="meldcode-rules check" tests="{len(cases)}" failures="{failures}" errors="0" '
            f'time="{report.seconds:.3f}">',
            *cases,
            "  </testsuite>",
            "</testsuites>",
        ]
    )


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(report: CheckReport) -> str:
    """GitHub workflow commands: an annotation on the ruleset line of every finding."""
    level = {"fout": "error", "waarschuwing": "warning", "notitie": "notice"}
    lines = []
    for finding in report.findings:
        props = f"file={_gh_escape(relative(finding.location.file), prop=True)}"
        if finding.location.line:
            props += f",line={finding.location.line}"
        props += f",title={_gh_escape(finding.code, prop=True)}"
        lines.append(f"::{level[finding.severity]} {props}::{_gh_escape(render_finding(finding))}")
    lines.append(
        f"meldcode-rules check: {len(report.errors)} fout(en) in {report.seconds:.2f} s "
        f"({', '.join(report.checked) or '-'})"
    )
    return "\n".join(lines)


def render(report: CheckReport, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "junit": render_junit, "github": render_github}[fmt](report)
