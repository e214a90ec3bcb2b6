"""`meldcode-rules monitor`: many dossiers as of one date, counted, with a work list (docs/monitor.md)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from meldcode_rules.cli.commands.exits import fail
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.engines import ENGINES
from meldcode_rules.monitor.html import html_report
from meldcode_rules.monitor.report import as_csv, as_json, print_text, rapport
from meldcode_rules.monitor.run import Opties, monitor
from meldcode_rules.monitor.synthetic import Mix, write_jsonl


def _progress(console: Console) -> tuple[Callable[[int | None], Callable[[int], None]], Callable[[], None]]:
    """A rich progress bar with rate and time left, on a terminal only (none when piped)."""

    class Rate(TextColumn):
        # rich takes a text where its signature says Text (a str is shown as it is)
        def render(self, task: Task) -> Text | str:  # type: ignore[override]
            speed = task.finished_speed or task.speed
            return super().render(task) if speed is None else f"{speed:,.0f} dossiers/s".replace(",", ".")

    bar = Progress(
        TextColumn("dossiers"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        Rate(""),
        TimeElapsedColumn(),
        TextColumn("nog"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )

    def start(total: int | None) -> Callable[[int], None]:
        bar.start()
        task = bar.add_task("monitor", total=total)
        return lambda n: bar.advance(task, n)

    return start, bar.stop


@click.command("monitor")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str, allow_dash=True))
@click.option("--op", "op", type=click.DateTime(formats=["%Y-%m-%d"]), help="Peildatum (standaard: vandaag).")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json", "csv", "html"]), default="text", show_default=True
)
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Schrijf naar dit bestand.")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Engine (standaard: durable waar die werkt).")
@click.option(
    "--processen",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Beoordeel in zoveel processen.",
)
@click.option(
    "--dask",
    "dask",
    metavar="local|tcp://HOST:POORT",
    help="Beoordeel op Dask: `local` start een LocalCluster, anders het adres van een scheduler.",
)
@click.option(
    "--drempel",
    type=click.IntRange(0),
    default=5,
    show_default=True,
    help="Onderdruk aantallen van 1 tot deze drempel (CBS-praktijk); 0 of 1: niets onderdrukken.",
)
@click.option(
    "--werklijst",
    type=click.IntRange(1),
    default=1000,
    show_default=True,
    help="Zoveel dossiers van de werklijst bewaren (meest urgent eerst); het totaal wordt altijd geteld.",
)
@click.option("--genereer", type=click.IntRange(0), help="Schrijf zoveel synthetische dossiers als JSON Lines.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed voor --genereer.")
def monitor_command(
    paths: tuple[str, ...],
    op: dt.datetime | None,
    fmt: str,
    out: Path | None,
    engine: str | None,
    processen: int,
    dask: str | None,
    drempel: int,
    werklijst: int,
    genereer: int | None,
    seed: int,
) -> None:
    """Monitor veel dossiers (JSON Lines, een map met dossiers, of Parquet) op een peildatum.

    Per sector, organisatie en maand: open dossiers per stap en besluit, meldingen, achterstanden,
    en een werklijst van dossiers die tussen wal en schip dreigen te vallen. Een regel of bestand
    dat geen geldig dossier is, wordt met regelnummer of bestandsnaam genoemd (nooit de inhoud) en
    geteld; de exitcode is dan 1.
    """
    peildatum = op.date() if op else dt.date.today()
    if genereer is not None:
        target = out.open("w", encoding="utf-8") if out else sys.stdout
        try:
            write_jsonl(target, genereer, seed=seed, mix=Mix(peildatum=peildatum))
        finally:
            if out:
                target.close()
        return
    if not paths:
        fail("geef een of meer paden (JSON Lines, een map of Parquet; `-` leest standaardinvoer)")
    err = Console(stderr=True)
    start, stop = _progress(err) if err.is_terminal else (None, lambda: None)
    try:
        aggregaat = monitor(
            paths,
            Opties(op=peildatum, engine=engine, max_werklijst=werklijst),
            processen=processen,
            dask=dask,
            voortgang=start,
        )
    except MeldcodeError as error:
        stop()
        fail(str(error))
        return
    stop()
    data = rapport(aggregaat, peildatum, drempel)
    if fmt == "text":
        console = Console(file=out.open("w", encoding="utf-8"), width=160) if out else Console()
        print_text(data, console)
        if out:
            console.file.close()
    else:
        if fmt == "json":
            text = as_json(data)
        elif fmt == "csv":
            text = as_csv(data)
        else:
            try:
                text = html_report(data)
            except ImportError:
                fail("het HTML-rapport vraagt matplotlib: installeer `meldcode-rules[monitor]`")
                return
        if out:
            out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        else:
            click.echo(text, nl=not text.endswith("\n"))
    if aggregaat.geweigerd:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        err.print(f"{aggregaat.geweigerd} van {aggregaat.gelezen} geweigerd (plek en soort probleem, nooit de inhoud):")
        for w in aggregaat.weigeringen[:20]:
            err.print(f"  {w.bron}:{w.plek}: {w.categorie}" if w.plek else f"  {w.bron}: {w.categorie}", markup=False)
        if aggregaat.geweigerd > 20:
            err.print(f"  ... en {aggregaat.geweigerd - 20} meer (de eerste 1000 staan in het JSON-rapport)")
    sys.exit(1 if aggregaat.geweigerd else 0)
