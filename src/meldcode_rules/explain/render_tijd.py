"""The time rules of a ruleset, drawn: for ``meldcode-rules render`` (Markdown, HTML, Mermaid).

Each ``tijdregel`` becomes a Dutch sentence (what starts the clock, what stops it, its
termijn, the action it dates) and a small flowchart: start events -> the clock -> the fact
as of the peildatum -> the action; stop events end the clock.
"""

from __future__ import annotations

import html as html_lib

from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.load.ruleset import GebeurtenisKeuze, Tijdregel

_TOETS = {
    "loopt": "ja zolang de klok loopt",
    "verlopen": "ja als de deadline op de peildatum voorbij is",
    "venster_open": "ja zolang de peildatum binnen de termijn valt",
    "na_start": "ja als daarna een {gebeurtenis} volgt (en nog geen stop)",
    "patroon": "ja als er sinds de laatste stop genoeg {gebeurtenis} binnen het venster zijn",
}


def keuze_tekst(keuze: GebeurtenisKeuze) -> str:
    if not keuze.waar:
        return keuze.soort
    waar = "; ".join(f"{veld} {'/'.join(waarden)}" for veld, waarden in keuze.waar.items())
    return f"{keuze.soort} ({waar})"


def _lijst(keuzes: list[GebeurtenisKeuze]) -> str:
    return ", ".join(keuze_tekst(k) for k in keuzes) or "-"


def termijn_tekst(regel: Tijdregel) -> str:
    parts = []
    if regel.deadline_veld:
        parts.append(f"`{regel.deadline_veld}` van de start")
    if regel.termijn_veld:
        parts.append(f"anders `{regel.termijn_veld}` van de start")
    if regel.termijn:
        parts.append(("anders " if parts else "") + regel.termijn)
    if regel.vanaf:
        parts.append(f"vanaf `{regel.vanaf}`")
    if regel.min_aantal:
        parts.append(f"{regel.min_aantal} keer")
    if regel.min_herkomsten:
        parts.append(f"of van {regel.min_herkomsten} herkomsten")
    text = ", ".join(parts) or "-"
    return text + (" (standaard van meldcode-rules, geen bron)" if regel.projectstandaard else "")


def toets_tekst(regel: Tijdregel) -> str:
    text = _TOETS[regel.toets].format(gebeurtenis=_lijst(regel.gebeurtenis))
    if regel.maakt_onbekend:
        # the answers that age while the fact is ja (docs/ruleset-format.md, maakt_onbekend)
        aged = ", ".join(f"{feit}: {antwoord}" for feit, antwoord in regel.maakt_onbekend.items())
        text += f"; zolang ja telt een eerder antwoord als onbekend: {aged}"
    return text


def tijd_mermaid(ruleset: CompiledRuleset) -> str:
    """The time rules as one Mermaid flowchart (left to right)."""
    lines = ["flowchart LR"]
    for i, regel in enumerate(ruleset.tijdregels):
        klok = f"T{i}"
        text = f"{regel.feit}: {toets_tekst(regel)}; {termijn_tekst(regel)}".replace("`", "")
        label = html_lib.escape(text, quote=False)
        lines.append(f'    {klok}(["{label.replace(chr(34), "#quot;")}"])')
        for j, keuze in enumerate(regel.start or regel.gebeurtenis):
            lines.append(f'    {klok}s{j}["{html_lib.escape(keuze_tekst(keuze), quote=False)}"] -->|start| {klok}')
        for j, keuze in enumerate(regel.stop):
            lines.append(f'    {klok} -.->|stop| {klok}x{j}["{html_lib.escape(keuze_tekst(keuze), quote=False)}"]')
        if regel.actie:
            lines.append(f'    {klok} -->|deadline van| {klok}a["{regel.actie}"]')
    return "\n".join(lines) + "\n"


def tijd_markdown(ruleset: CompiledRuleset) -> list[str]:
    if not ruleset.tijdregels:
        return []
    out = [
        "## Tijdregels (dossiers)",
        "",
        "Feiten over tijd, op de peildatum afgeleid uit de gebeurtenissen van een dossier. Zonder",
        "startgebeurtenis of datum is het feit `onbekend`, nooit `nee`.",
        "",
        "```mermaid",
        tijd_mermaid(ruleset).rstrip("\n"),
        "```",
        "",
        "| Feit | Start | Stop | Ja als | Termijn | Actie | Bron |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in ruleset.tijdregels:
        cells = [
            f"`{r.feit}`<br/>{r.titel}",
            _lijst(r.start),
            _lijst(r.stop),
            toets_tekst(r),
            termijn_tekst(r),
            f"`{r.actie}`" if r.actie else "-",
            r.bron,
        ]
        out.append("| " + " | ".join(" ".join(c.split()).replace("|", "\\|") for c in cells) + " |")
    return [*out, ""]


def tijd_html(ruleset: CompiledRuleset) -> str:
    if not ruleset.tijdregels:
        return ""
    e = html_lib.escape
    rows = "".join(
        f"<tr><td><code>{e(r.feit)}</code><br>{e(r.titel)}</td><td>{e(_lijst(r.start))}</td>"
        f"<td>{e(_lijst(r.stop))}</td><td>{e(toets_tekst(r))}</td><td>{e(termijn_tekst(r))}</td>"
        f"<td>{e(r.actie or '-')}</td><td>{e(r.bron)}</td></tr>"
        for r in ruleset.tijdregels
    )
    return (
        "<h2>Tijdregels (dossiers)</h2><p>Feiten over tijd, op de peildatum afgeleid uit de gebeurtenissen "
        "van een dossier. Zonder startgebeurtenis of datum is het feit <code>onbekend</code>, nooit "
        "<code>nee</code>.</p><table><thead><tr><th>Feit</th><th>Start</th><th>Stop</th><th>Ja als</th>"
        f"<th>Termijn</th><th>Actie</th><th>Bron</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<details><summary>Mermaid-bron van de tijdregels</summary><pre>{e(tijd_mermaid(ruleset))}</pre></details>"
    )
