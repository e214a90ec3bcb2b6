"""The monitor's HTML report: one self-contained file with SVG charts, no script, no web font.

The charts are drawn by matplotlib (a long-established, well-kept plotting library) as SVG
and put inline in the page; text stays text (``svg.fonttype: none``) in the reader's own
sans-serif font. A Content-Security-Policy forbids the page to load anything, so it opens
offline and cannot reach a network even if a value were crafted to try.

It is written from the suppressed report (:func:`meldcode_rules.monitor.report.rapport`):
a suppressed cell (primary or secondary) is a gap in a chart and ``×`` in a table, never its count.
"""

from __future__ import annotations

import html
import io
from typing import Any

from meldcode_rules.monitor.report import HTML_KOLOMMEN, KORT, MAAND_MATEN, MATEN, ONDERDRUKT, legenda

#: The series of the month chart and the bars of the sector chart.
TREND = ("instroom", "meldingen", "ontvangst_onbevestigd", "herbeoordeling_verlopen")
ACHTERSTAND = (
    "ontvangst_onbevestigd",
    "herbeoordeling_verlopen",
    "hulp_afgesloten_zonder_contactafspraak",
    "patroon_zonder_consultatie",
)
KLEUREN = ("#1f5fa8", "#c0392b", "#e08e0b", "#6c3483", "#2e8b57", "#7f8c8d")

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #1b1b1b; max-width: 1100px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 2px solid #1f5fa8; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.85em; }
th, td { border: 1px solid #c8c8c8; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #e8eef7; }
td.onderdrukt { color: #777; font-style: italic; }
tr.urgent td { background: #fde2e1; }
.totalen { background: #f4f6f8; padding: 0.6em 1em; border-left: 4px solid #1f5fa8; }
.chart svg { max-width: 100%; height: auto; }
p.noot { color: #555; font-size: 0.9em; }
"""


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML declaration and DOCTYPE: inline in HTML


def _figure(width: float, height: float) -> Any:
    # lazy: matplotlib is an optional extra, only for the HTML report
    import matplotlib as mpl
    from matplotlib.figure import Figure  # lazy: as above

    mpl.rcParams["svg.fonttype"] = "none"  # text as text, in the reader's font: nothing to fetch
    mpl.rcParams["svg.hashsalt"] = "meldcode-rules"  # the same report gives the same file
    mpl.rcParams["font.family"] = "sans-serif"
    return Figure(figsize=(width, height), dpi=96)


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last: a month without events is a zero, not a gap."""
    if not months:
        return []
    year, month = map(int, min(months).split("-"))
    last = max(months)
    out: list[str] = []
    while (text := f"{year:04d}-{month:02d}") <= last:
        out.append(text)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def trend_chart(data: dict[str, Any]) -> str:
    """Per month: new dossiers, reports, and where receipt and re-assessment went overdue."""
    months = _month_range([m for m in data["per"]["maand"] if m != "onbekend"])
    empty = dict.fromkeys(TREND, 0)
    figure = _figure(9, 3.4)
    axes = figure.add_subplot()
    for colour, maat in zip(KLEUREN, TREND, strict=False):
        values = [data["per"]["maand"].get(m, empty)[maat] for m in months]
        # a suppressed cell is a gap (NaN), never drawn as a number
        axes.plot(
            range(len(months)),
            [float("nan") if v is None else v for v in values],
            marker="o",
            color=colour,
            label=MAAND_MATEN[maat],
        )
    axes.set_xticks(range(len(months)), months, rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("aantal")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    axes.set_title("Trends per maand (onderbroken lijn: onderdrukt of geen)", fontsize=10)
    return _svg(figure)


def sector_chart(data: dict[str, Any]) -> str:
    """Per sector: the overdue and unfinished figures as grouped bars."""
    sectors = list(data["per"]["sector"])
    figure = _figure(9, max(2.2, 0.55 * len(sectors) + 1.2))
    axes = figure.add_subplot()
    width = 0.8 / len(ACHTERSTAND)
    for i, (colour, maat) in enumerate(zip(KLEUREN, ACHTERSTAND, strict=False)):
        values = [data["per"]["sector"][s][maat] for s in sectors]
        positions = [y + i * width for y in range(len(sectors))]
        axes.barh(positions, [v or 0 for v in values], height=width, color=colour, label=MATEN[maat])
        for y, v in zip(positions, values, strict=True):
            if v is None:
                axes.text(0.2, y, ONDERDRUKT, va="center", fontsize=7, color="#555")
    axes.set_yticks([y + 0.4 - width / 2 for y in range(len(sectors))], sectors, fontsize=8)
    axes.invert_yaxis()
    highest = max([1, *((data["per"]["sector"][s][m] or 0) for s in sectors for m in ACHTERSTAND)])
    axes.set_xlim(0, highest * 1.1)
    axes.set_xlabel("dossiers")
    axes.grid(axis="x", alpha=0.3)
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    axes.set_title("Achterstand per sector", fontsize=10)
    return _svg(figure)


def _cell(value: int | None, drempel: int) -> str:
    if value is None:
        return f'<td class="onderdrukt">{ONDERDRUKT}</td>'
    return f"<td>{value}</td>"


def _table(
    rows: dict[str, dict[str, int | None]], columns: tuple[str, ...], labels: dict[str, str], first: str, drempel: int
) -> str:
    head = "".join(f"<th>{html.escape(labels[c])}</th>" for c in columns)
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>{''.join(_cell(cells[c], drempel) for c in columns)}</tr>"
        for name, cells in rows.items()
    )
    return f"<table><thead><tr><th>{html.escape(first)}</th>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(data: dict[str, Any]) -> str:
    """The whole page as one string."""
    drempel = data["drempel"]
    totals = data["totalen"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        "<title>Monitor meldcode</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Monitor meldcode op {html.escape(data['peildatum'])}</h1>",
        '<p class="totalen">'
        f"{totals['gelezen']} dossiers gelezen: {totals['beoordeeld']} beoordeeld, "
        f"{totals['geweigerd']} geweigerd." + "</p>",
        f'<p class="legenda">{html.escape(legenda(data))}</p>',
    ]
    if not totals["gelezen"]:
        parts.append("<p>Geen dossiers gelezen: een leeg rapport.</p></body></html>")
        return "\n".join(parts)
    labels = {
        **MATEN,
        **MAAND_MATEN,
        **{k: v.replace("\n", " ") for k, v in KORT.items()},
        **{f"open_stap_{n}": f"stap {n}" for n in range(1, 6)},
        **{m: m.removeprefix("open_besluit_").replace("_", " ") for m in MATEN if m.startswith("open_besluit_")},
    }
    parts += [
        "<h2>Trends per maand</h2>",
        f'<div class="chart">{trend_chart(data)}</div>',
        "<h2>Achterstand per sector</h2>",
        f'<div class="chart">{sector_chart(data)}</div>',
        "<h2>Per sector</h2>",
        _table(data["per"]["sector"], HTML_KOLOMMEN, labels, "sector", drempel),
    ]
    organisations = data["per"]["organisatie"]
    if organisations and list(organisations) != ["(geen)"]:
        parts += ["<h2>Per organisatie</h2>", _table(organisations, HTML_KOLOMMEN, labels, "organisatie", drempel)]
    open_columns = tuple(m for m in MATEN if m.startswith("open"))
    parts += [
        "<h2>Open dossiers per stap en besluit</h2>",
        _table(data["per"]["sector"], open_columns, labels, "sector", drempel),
        "<h2>Per maand</h2>",
        _table(data["per"]["maand"], tuple(MAAND_MATEN), labels, "maand", drempel),
        f"<h2>Werklijst: {data['werklijst_totaal']} dossiers, meest urgent eerst</h2>",
        '<p class="noot">Alleen pseudonieme dossier-id\'s, met waarom en sinds wanneer; '
        "geen feiten uit het dossier.</p>",
    ]
    rows = []
    for punt in data["werklijst"]:
        urgent = (
            ' class="urgent"' if punt["redenen"][0]["kenmerk"] in ("melding_verlopen", "ontvangst_onbevestigd") else ""
        )
        reasons = "<br>".join(html.escape(f"{r['titel']} (sinds {r['sinds'] or 'onbekend'})") for r in punt["redenen"])
        days = "" if punt["dagen"] is None else str(punt["dagen"])
        rows.append(
            f'<tr{urgent}><td>{html.escape(punt["dossier_id"])}</td><td style="text-align:left">{reasons}</td>'
            f"<td>{html.escape(punt['sinds'] or 'onbekend')}</td><td>{days}</td></tr>"
        )
    parts.append(
        "<table><thead><tr><th>dossier</th><th>waarom</th><th>sinds</th><th>dagen</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if len(data["werklijst"]) < data["werklijst_totaal"]:
        parts.append(f'<p class="noot">Getoond: de eerste {len(data["werklijst"])}; zie `--werklijst`.</p>')
    if data["weigeringen"]:
        items = "".join(
            f"<li>{html.escape(w['bron'])}{':' + str(w['regel']) if w['regel'] else ''}: "
            f"{html.escape(w['categorie'])}</li>"
            for w in data["weigeringen"]
        )
        parts += [f"<h2>Geweigerd: {data['weigeringen_totaal']}</h2>", f"<ul>{items}</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts)
