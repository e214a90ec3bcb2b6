"""The monitor's report: one suppressed view of an aggregate, written as text, JSON or CSV.

:func:`rapport` is the only place where cells are turned into numbers to show, and it
applies the privacy rules there (:mod:`meldcode_rules.monitor.onderdrukking`): a cell with a
count from 1 to ``drempel - 1`` is suppressed (primary), and so is, in every row or column
that adds up to a total, a complementary cell wherever one suppressed cell could otherwise
be computed back (secondary). A suppressed cell is shown the same way whatever the reason:
``null`` in JSON, ``×`` in text and HTML, empty with ``onderdrukt=ja`` in CSV; the report
counts how many of each (``onderdrukking``). Every output (text, JSON, CSV, HTML) is written
from that view, so none can show a suppressed count. Zero is shown: it reveals no dossier.
The work list holds dossier ids, reasons and dates only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from meldcode_rules.load.ruleset import BESLUIT_ORDE
from meldcode_rules.monitor.aggregate import DIMENSIES, Aggregaat
from meldcode_rules.monitor.judge import KENMERKEN
from meldcode_rules.monitor.onderdrukking import Cel, Groep, groep, onderdruk

#: Default threshold: CBS does not publish counts below 5.
DREMPEL = 5

_TITELS = {k.code: k.titel for k in KENMERKEN}

#: The measures per dossier, in reading order, with their Dutch labels.
MATEN: dict[str, str] = {
    "dossiers": "dossiers beoordeeld",
    "open": "open dossiers",
    **{f"open_stap_{n}": f"open, in stap {n}" for n in range(1, 6)},
    **{f"open_besluit_{b}": f"open, besluit {b.replace('_', ' ')}" for b in BESLUIT_ORDE},
    "gemeld": "met eigen melding bij Veilig Thuis",
    "heropend": "heropend",
    **{k.code: k.titel for k in KENMERKEN},
    "op_werklijst": "op de werklijst",
}
#: The measures per month: when it happened.
MAAND_MATEN: dict[str, str] = {
    "instroom": "nieuwe dossiers (eerste gebeurtenis)",
    "meldingen": "eigen meldingen bij Veilig Thuis",
    **{k.code: f"{k.titel} (sinds)" for k in KENMERKEN},
}


#: How a suppressed cell is shown in text and HTML, primary or secondary alike.
ONDERDRUKT = "×"
#: Figures published outside the tables (the totals line, the work list's length): known to
#: every reader, so they can hide nothing.
PUBLIEK: tuple[Cel, ...] = (("totaal", "alle", "dossiers"), ("totaal", "alle", "op_werklijst"))
#: Per month, the measure of the `totaal` row that the months add up to (`meldingen` has none).
MAAND_TOTAAL = {"instroom": "dossiers", **{k.code: k.code for k in KENMERKEN}}
#: Within each row: a measure and the measures that add up to it.
RIJ_SOMMEN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("open", tuple(f"open_stap_{n}" for n in range(1, 6))),
    ("open", tuple(f"open_besluit_{b}" for b in BESLUIT_ORDE)),
)


def toon(aantal: int | None, drempel: int) -> str:
    return ONDERDRUKT if aantal is None else str(aantal)


def groepen_van(cellen: dict[Cel, int], waarden: dict[str, list[str]]) -> list[Groep]:
    """The rows and columns of the report that add up to a total (where they do in the counts)."""
    out: list[Groep | None] = []
    for dimensie in ("sector", "organisatie"):
        for maat in MATEN:
            out.append(groep(cellen, ("totaal", "alle", maat), ((dimensie, w, maat) for w in waarden[dimensie])))
    for maat, totaal in MAAND_TOTAAL.items():
        out.append(groep(cellen, ("totaal", "alle", totaal), (("maand", w, maat) for w in waarden["maand"])))
    for dimensie in ("totaal", "sector", "organisatie"):
        for waarde in waarden[dimensie]:
            for som, delen in RIJ_SOMMEN:
                out.append(groep(cellen, (dimensie, waarde, som), ((dimensie, waarde, d) for d in delen)))
    return [g for g in out if g is not None]


def rapport(aggregaat: Aggregaat, op: dt.date, drempel: int = DREMPEL) -> dict[str, Any]:
    """The report as plain data, with every small cell suppressed, and every cell from which
    one could be computed back (:mod:`meldcode_rules.monitor.onderdrukking`)."""
    if drempel < 0:
        raise ValueError("de drempel is 0 of meer")
    waarden = {d: aggregaat.waarden(d) for d in DIMENSIES}
    cellen: dict[Cel, int] = {
        (d, w, m): aggregaat.waarde(d, w, m)
        for d in DIMENSIES
        for w in waarden[d]
        for m in (MAAND_MATEN if d == "maand" else MATEN)
    }
    keuze = onderdruk(cellen, groepen_van(cellen, waarden), drempel, PUBLIEK, volgorde=list(cellen))
    verborgen = keuze.alle
    per: dict[str, dict[str, dict[str, int | None]]] = {}
    for dimensie in DIMENSIES:
        maten = MAAND_MATEN if dimensie == "maand" else MATEN
        per[dimensie] = {
            waarde: {m: None if (dimensie, waarde, m) in verborgen else cellen[(dimensie, waarde, m)] for m in maten}
            for waarde in waarden[dimensie]
        }
    werklijst = [
        {
            "dossier_id": punt.dossier_id,
            "sinds": _iso(punt.sinds),
            "dagen": _days(op, punt.sinds),
            "redenen": [
                {"kenmerk": s.kenmerk, "titel": _TITELS[s.kenmerk], "sinds": _iso(s.sinds), "dagen": _days(op, s.sinds)}
                for s in punt.redenen
            ],
        }
        for punt in aggregaat.af().werklijst
    ]
    return {
        "peildatum": op.isoformat(),
        "drempel": drempel,
        "totalen": {
            "gelezen": aggregaat.gelezen,
            "beoordeeld": aggregaat.beoordeeld,
            "geweigerd": aggregaat.geweigerd,
        },
        "maten": MATEN,
        "maand_maten": MAAND_MATEN,
        "onderdrukking": {
            "primair": len(keuze.primair),
            "secundair": len(keuze.secundair),
            "regel": (
                f"primair: elk aantal van 1 tot {drempel}; secundair: in elke rij of kolom die optelt tot een "
                "totaal en waarin één cel onderdrukt is, ook de kleinste andere (docs/monitor.md)"
            ),
        },
        "per": per,
        "werklijst": werklijst,
        "werklijst_totaal": aggregaat.werklijst_totaal,
        "weigeringen": [
            {"bron": w.bron, "regel": w.plek or None, "categorie": w.categorie} for w in aggregaat.weigeringen
        ],
        "weigeringen_totaal": aggregaat.geweigerd,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _days(op: dt.date, since: dt.date | None) -> int | None:
    return (op - since).days if since else None


# ---------------------------------------------------------------------- JSON, CSV


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data: dict[str, Any]) -> str:
    """Every cell as one row: dimensie, waarde, maat, aantal, onderdrukt (the work list is in JSON and HTML);
    then, as dimensie ``onderdrukking``, how many cells were suppressed primarily and secondarily."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["peildatum", "dimensie", "waarde", "maat", "aantal", "onderdrukt"])
    for dimensie, rows in data["per"].items():
        for waarde, cells in rows.items():
            for maat, aantal in cells.items():
                writer.writerow(
                    [
                        data["peildatum"],
                        dimensie,
                        waarde,
                        maat,
                        "" if aantal is None else aantal,
                        "ja" if aantal is None else "nee",
                    ]
                )
    for soort in ("primair", "secundair"):
        writer.writerow([data["peildatum"], "onderdrukking", "cellen", soort, data["onderdrukking"][soort], "nee"])
    return out.getvalue()


# ---------------------------------------------------------------------- terminal

#: The columns of the per-sector and per-organisation tables in the terminal summary.
TEKST_KOLOMMEN = (
    "dossiers",
    "open",
    "gemeld",
    "ontvangst_onbevestigd",
    "herbeoordeling_verlopen",
    "hulp_afgesloten_zonder_contactafspraak",
    "heropend",
    "patroon_zonder_consultatie",
    "op_werklijst",
)
#: The HTML tables also show the other overdue actions and the deadlines that cannot be computed.
HTML_KOLOMMEN = (*TEKST_KOLOMMEN[:-1], "actie_verlopen", "termijn_onbekend", TEKST_KOLOMMEN[-1])
KORT = {
    "actie_verlopen": "andere actie\nover termijn",
    "termijn_onbekend": "termijn\nonbekend",
    "dossiers": "dossiers",
    "open": "open",
    "gemeld": "gemeld",
    "ontvangst_onbevestigd": "ontvangst\nonbevestigd",
    "herbeoordeling_verlopen": "herbeoordeling\nverlopen",
    "hulp_afgesloten_zonder_contactafspraak": "afgesloten zonder\ncontactafspraak",
    "heropend": "heropend",
    "patroon_zonder_consultatie": "patroon zonder\nconsultatie",
    "op_werklijst": "werklijst",
}


def legenda(data: dict[str, Any]) -> str:
    """What a suppressed cell means, and how many there are of each kind (text and HTML alike)."""
    drempel, telling = data["drempel"], data["onderdrukking"]
    if drempel <= 1:
        return "Geen aantallen onderdrukt (drempel 0 of 1)."
    return (
        f"{ONDERDRUKT} = onderdrukt: {telling['primair']} cel(len) met een aantal van 1 tot {drempel} (<{drempel}), "
        f"en {telling['secundair']} cel(len) secundair, zodat geen onderdrukt aantal terug te rekenen is "
        "uit een totaal en de rest van de rij of kolom."
    )


def print_text(data: dict[str, Any], console: Console, *, werklijst_regels: int = 25) -> None:
    """The terminal summary: totals, tables per sector, organisation and month, the work list."""
    drempel = data["drempel"]
    totals = data["totalen"]
    console.print(
        f"[bold]Monitor meldcode[/] op {data['peildatum']}: {totals['gelezen']} gelezen, "
        f"{totals['beoordeeld']} beoordeeld, {totals['geweigerd']} geweigerd"
    )
    console.print(legenda(data), highlight=False)
    if not totals["gelezen"]:
        console.print("Geen dossiers gelezen: een leeg rapport.")
        return
    for dimensie, titel in (("totaal", "Totaal"), ("sector", "Per sector"), ("organisatie", "Per organisatie")):
        rows = data["per"][dimensie]
        if not rows or (dimensie == "organisatie" and list(rows) == ["(geen)"]):
            continue
        table = Table(title=titel, title_justify="left")
        table.add_column(dimensie, no_wrap=True)
        for kolom in TEKST_KOLOMMEN:
            table.add_column(KORT[kolom], justify="right")
        for waarde, cells in rows.items():
            table.add_row(waarde, *(toon(cells[k], drempel) for k in TEKST_KOLOMMEN))
        console.print(table)
    totaal = data["per"]["totaal"].get("alle", {})
    steps = Table(title="Open dossiers per stap en besluit", title_justify="left")
    steps.add_column("")
    steps.add_column("aantal", justify="right")
    for maat, label in MATEN.items():
        if maat.startswith("open_"):
            steps.add_row(label, toon(totaal.get(maat, 0), drempel))
    console.print(steps)
    months = data["per"]["maand"]
    if months:
        table = Table(title="Per maand", title_justify="left")
        table.add_column("maand")
        for kolom in ("instroom", "meldingen", "ontvangst_onbevestigd", "herbeoordeling_verlopen"):
            table.add_column(kolom.replace("_", " "), justify="right")
        for maand, cells in months.items():
            table.add_row(
                maand,
                *(
                    toon(cells[k], drempel)
                    for k in ("instroom", "meldingen", "ontvangst_onbevestigd", "herbeoordeling_verlopen")
                ),
            )
        console.print(table)
    werk = data["werklijst"]
    table = Table(
        title=f"Werklijst: {data['werklijst_totaal']} dossiers, meest urgent eerst"
        + (f" (eerste {min(len(werk), werklijst_regels)})" if data["werklijst_totaal"] > werklijst_regels else ""),
        title_justify="left",
    )
    for kolom in ("dossier", "waarom", "sinds", "dagen"):
        table.add_column(kolom)
    for punt in werk[:werklijst_regels]:
        table.add_row(
            punt["dossier_id"],
            "; ".join(r["titel"] for r in punt["redenen"]),
            punt["sinds"] or "onbekend",
            "" if punt["dagen"] is None else str(punt["dagen"]),
        )
    console.print(table)
    if data["weigeringen"]:
        console.print(f"[bold red]Geweigerd: {data['weigeringen_totaal']}[/] (plek en soort probleem, nooit de inhoud)")
        for w in data["weigeringen"][:werklijst_regels]:
            plek = f"{w['bron']}:{w['regel']}" if w["regel"] else w["bron"]
            console.print(f"  {plek}: {w['categorie']}", highlight=False)
