"""A judgement as a readable Dutch summary for the terminal (rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from meldcode_rules.judge.judgement import Judgement

_MELDEN_STYLE = {"ja": "bold white on red", "onbekend": "bold black on yellow", "nee": "bold white on green"}
_MELDEN_ZIN = {
    "ja": "Melden bij Veilig Thuis: JA",
    "onbekend": "Melden bij Veilig Thuis: ONBEKEND (er ontbreken antwoorden die een melding nodig kunnen maken)",
    "nee": "Melden bij Veilig Thuis: nee",
}


def judgement_renderable(oordeel: Judgement) -> Group:
    parts: list[object] = []
    head = Text(_MELDEN_ZIN[oordeel.melden], style=_MELDEN_STYLE[oordeel.melden])
    parts.append(head)
    parts.append(
        Text(
            f"Besluit: {oordeel.besluit.replace('_', ' ')}   Stap: {oordeel.stap}   "
            f"Sector: {oordeel.sector or 'basismodel'}   Datum: {oordeel.datum.isoformat()}"
        )
    )
    if oordeel.acties:
        table = Table(title="Wat nu te doen", title_justify="left", show_lines=False, expand=True)
        table.add_column("Actie", no_wrap=True)
        table.add_column("Wat", ratio=3)
        table.add_column("Uiterlijk", no_wrap=True)
        for actie in oordeel.acties:
            when = ""
            if actie.termijn:
                when = actie.termijn + (f" ({actie.deadline.isoformat()})" if actie.deadline else "")
            # Dossiers: what is overdue on the peildatum is said, never left to be worked out.
            if actie.verlopen is True:
                when += f"\nVERLOPEN: {actie.hoe_lang_verlopen()}"
            elif actie.verlopen == "onbekend":
                when += "\nverlopen? onbekend"
            elif actie.voldaan is not None:
                when += f"\ngedaan (#{actie.voldaan.positie})"
            table.add_row(actie.code, actie.tekst, when)
        parts.append(table)
    if oordeel.open_vragen:
        questions = Table(title="Open vragen (in volgorde van de meldcode)", title_justify="left", expand=True)
        questions.add_column("Feit", no_wrap=True)
        questions.add_column("Vraag", ratio=3)
        for vraag in oordeel.open_vragen:
            questions.add_row(vraag.feit, vraag.vraag)
        parts.append(questions)
    if oordeel.vastleggen:
        parts.append(Text("Vastleggen in het dossier:", style="bold"))
        for item in oordeel.vastleggen:
            parts.append(Text(f"  • {item.tekst}"))
    reasons = Table(title="Redenering (regels die golden)", title_justify="left", expand=True)
    reasons.add_column("Regel", no_wrap=True)
    # the source under the explanation, not in a third column: at 80 columns a column of
    # its own is too narrow for its words, which would then be cut off or broken
    reasons.add_column("Uitleg en bron", ratio=1)
    for reden in oordeel.redenering:
        # "[NJI][KNMG-5]" has no space to wrap at: give it one, so a source is never cut off
        bron = reden.bron.replace("][", "] [")
        reasons.add_row(reden.regel, Text.assemble(reden.uitleg, "\n", ("Bron: " + bron, "dim")))
    parts.append(reasons)
    rulesets = ", ".join(f"{r.id} {r.versie} (sha256 {r.sha256[:12]})" for r in oordeel.ruleset)
    parts.append(Text(f"Rulesets: {rulesets}; engine: {oordeel.engine}", style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def print_judgement(oordeel: Judgement, console: Console) -> None:
    console.print(Panel(judgement_renderable(oordeel), title="meldcode-rules: oordeel", expand=True))
