"""Secondary suppression in the monitor: no suppressed cell can be computed back (issue 11).

The property: for generated aggregates, no suppressed cell equals a total minus the visible
cells of its row or column, in any of the report's rows and columns that add up; and every
output (text, JSON, CSV, HTML) shows the same cells suppressed, with the count of each kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_rules.load.ruleset import BESLUIT_ORDE
from meldcode_rules.monitor import Aggregaat
from meldcode_rules.monitor.html import html_report
from meldcode_rules.monitor.judge import KENMERKEN, Signaal, Uitkomst
from meldcode_rules.monitor.onderdrukking import Groep, onderdruk, terug_te_rekenen
from meldcode_rules.monitor.report import (
    DIMENSIES,
    MAAND_MATEN,
    MATEN,
    ONDERDRUKT,
    as_csv,
    groepen_van,
    print_text,
    rapport,
)

OP = dt.date(2026, 12, 1)
SECTOREN = ("onderwijs", "jeugdhulp", "kinderopvang", "gezondheidszorg")

uitkomsten = st.builds(
    lambda i, sector, org, maand, gemeld, heropend, open_, stap, besluit, kenmerken: Uitkomst(
        dossier_id=f"d{i}",
        sector=sector,
        organisatie=org,
        instroom=None if maand is None else dt.date(2026, maand, 1),
        gemeld=(dt.date(2026, 3, 2),) if gemeld else (),
        heropend=heropend,
        open=open_,
        stap=stap,
        besluit=besluit,
        melden="ja",
        signalen=tuple(Signaal(k, dt.date(2026, 2, 1)) for k in kenmerken),
    ),
    st.integers(0, 10**6),
    st.sampled_from(SECTOREN),
    st.sampled_from([None, "org-a", "org-b", "org-c"]),
    st.one_of(st.none(), st.integers(1, 4)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.integers(1, 5),
    st.sampled_from(BESLUIT_ORDE),
    st.lists(st.sampled_from([k.code for k in KENMERKEN]), max_size=2, unique=True),
)


def _aggregaat(items: list[Uitkomst]) -> Aggregaat:
    out = Aggregaat()
    for item in items:
        out.tel(item)
    return out


def _shown(data: dict[str, object]) -> dict[tuple[str, str, str], int | None]:
    per = data["per"]
    return {(d, w, m): v for d, rows in per.items() for w, cells in rows.items() for m, v in cells.items()}  # type: ignore[union-attr]


def _groups(aggregaat: Aggregaat) -> list[Groep]:
    waarden = {d: aggregaat.waarden(d) for d in DIMENSIES}
    cellen = {
        (d, w, m): aggregaat.waarde(d, w, m)
        for d in DIMENSIES
        for w in waarden[d]
        for m in (MAAND_MATEN if d == "maand" else MATEN)
    }
    return groepen_van(cellen, waarden)


@settings(max_examples=60, deadline=None)
@given(st.lists(uitkomsten, max_size=60), st.sampled_from([3, 5, 10]))
def test_no_suppressed_cell_is_a_total_minus_the_visible_cells(items: list[Uitkomst], drempel: int) -> None:
    aggregaat = _aggregaat(items)
    data = rapport(aggregaat, OP, drempel)
    shown = _shown(data)
    groups = _groups(aggregaat)
    assert terug_te_rekenen(shown, groups) == []
    # and with the other cells of each group: the suppressed cells never sum to something known alone
    for g in groups:
        hidden = [c for c in g.cellen if shown.get(c, 0) is None]
        assert len(hidden) != 1, (g, hidden)
    # every small count is suppressed; what is shown is the true count
    for cel, value in shown.items():
        true = aggregaat.waarde(*cel)
        assert value is None or value == true
        if 0 < true < drempel:
            assert value is None
    telling = data["onderdrukking"]
    assert telling["primair"] + telling["secundair"] == sum(v is None for v in shown.values())


@settings(max_examples=30, deadline=None)
@given(st.lists(uitkomsten, min_size=1, max_size=40))
def test_the_groups_are_the_sums_the_report_really_has(items: list[Uitkomst]) -> None:
    """The rows and columns the rule protects do add up (else it would protect nothing)."""
    aggregaat = _aggregaat(items)
    groups = _groups(aggregaat)
    columns = {g.totaal[2] for g in groups if g.delen[0][0] == "sector"}
    assert columns == set(MATEN)  # every measure per sector adds up to the total row
    assert any(g.delen[0][0] == "maand" for g in groups)
    for g in groups:
        assert sum(aggregaat.waarde(*c) for c in g.delen) == aggregaat.waarde(*g.totaal)


def test_one_small_sector_costs_the_next_smallest_its_count_too() -> None:
    """3 + 7 + 12 = 22: showing 7 and 12 beside the total would reveal the 3."""
    cellen = {("s", "a", "n"): 3, ("s", "b", "n"): 7, ("s", "c", "n"): 12, ("t", "alle", "n"): 22}
    group = Groep(("t", "alle", "n"), (("s", "a", "n"), ("s", "b", "n"), ("s", "c", "n")))
    keuze = onderdruk(cellen, [group], 5)
    assert keuze.primair == {("s", "a", "n")} and keuze.secundair == {("s", "b", "n")}
    # a published total is never hidden, and counts as known
    keuze = onderdruk({**cellen, ("s", "c", "n"): 1, ("t", "alle", "n"): 11}, [group], 5, publiek=[group.totaal])
    assert keuze.primair == {("s", "a", "n"), ("s", "c", "n")} and keuze.secundair == frozenset()
    # a zero is a complement only when nothing else is left
    zero = {("s", "a", "n"): 3, ("s", "b", "n"): 0, ("s", "c", "n"): 9, ("t", "alle", "n"): 12}
    assert onderdruk(zero, [group], 5).secundair == {("s", "c", "n")}


def _items() -> list[Uitkomst]:
    def one(i: int, sector: str) -> Uitkomst:
        return Uitkomst(f"d{i}", sector, None, dt.date(2026, 1, 5), (), False, True, 2, "melden", "ja", ())

    return [one(i, "onderwijs") for i in range(3)] + [one(10 + i, "jeugdhulp") for i in range(7)]


def test_every_output_shows_the_same_cells_suppressed_and_counts_the_secondary_ones() -> None:
    data = rapport(_aggregaat(_items()), OP, 5)
    sector = data["per"]["sector"]
    # 3 onderwijs is small; 7 jeugdhulp would be 10 - 3 + ... : suppressed secondarily
    assert sector["onderwijs"]["dossiers"] is None and sector["jeugdhulp"]["dossiers"] is None
    assert data["per"]["totaal"]["alle"]["dossiers"] == 10
    telling = data["onderdrukking"]
    assert telling["secundair"] >= 1 and telling["primair"] >= 1
    hidden = {c for c, v in _shown(data).items() if v is None}
    # JSON: null
    assert json.loads(json.dumps(data))["per"]["sector"]["jeugdhulp"]["dossiers"] is None
    # CSV: empty with onderdrukt=ja, for exactly the same cells; the counts of each kind
    rows = list(csv.DictReader(io.StringIO(as_csv(data))))
    from_csv = {(r["dimensie"], r["waarde"], r["maat"]) for r in rows if r["onderdrukt"] == "ja"}
    assert from_csv == hidden and all(r["aantal"] == "" for r in rows if r["onderdrukt"] == "ja")
    summary = {r["maat"]: int(r["aantal"]) for r in rows if r["dimensie"] == "onderdrukking"}
    assert summary == {"primair": telling["primair"], "secundair": telling["secundair"]}
    # HTML and text: the same mark for every suppressed cell, never a count under it, and the counts said
    page = html_report(data)
    assert f'<td class="onderdrukt">{ONDERDRUKT}</td>' in page and "<td>7</td>" not in page
    assert f"{telling['secundair']} cel(len) secundair" in page
    from rich.console import Console

    console = Console(record=True, width=200)
    print_text(data, console)
    text = console.export_text()
    assert ONDERDRUKT in text and f"{telling['secundair']} cel(len) secundair" in text
    jeugdhulp = next(line for line in text.splitlines() if line.startswith("│ jeugdhulp"))
    assert " 7 " not in jeugdhulp


def test_threshold_zero_suppresses_nothing() -> None:
    data = rapport(_aggregaat(_items()), OP, 0)
    assert data["onderdrukking"] == {**data["onderdrukking"], "primair": 0, "secundair": 0}
    assert data["per"]["sector"]["onderwijs"]["dossiers"] == 3
