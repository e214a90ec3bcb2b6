"""render (issue 13): what each sector adds is drawn, begrippen are defined, no absolute paths."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import compiled_for, known_sectors

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ["gezondheidszorg", "jeugdhulp", "onderwijs", "kinderopvang", "maatschappelijke_ondersteuning", "justitie"]


def test_each_sector_flowchart_shows_what_it_adds() -> None:
    charts = {s: render.mermaid(compiled_for(s)) for s in BUILTIN}
    for a, b in itertools.combinations(BUILTIN, 2):
        assert charts[a] != charts[b], (a, b)
    onderwijs = compiled_for("onderwijs")
    for rule in render.eigen_regels(onderwijs):
        assert rule.id in charts["onderwijs"]
    assert "Wat onderwijs toevoegt" in charts["onderwijs"]
    assert "geen eigen regels" in charts["justitie"]  # justitie adds no rules, and says so
    assert "toevoegt" not in render.mermaid(compiled_for(None))


@pytest.mark.parametrize("fmt", render.FORMATS)
def test_begrippen_used_are_defined_on_the_page(fmt: render.Format) -> None:
    ruleset = compiled_for(None)
    used = render.gebruikte_begrippen(ruleset)
    assert {"meldnorm_1", "melden_nodig"} <= {b.id for b in used}
    if fmt == "mermaid":
        return
    page = render.render(ruleset, fmt)
    assert "Begrippen" in page
    for begrip in used:
        assert begrip.id in page.split("Begrippen")[-1], begrip.id
        assert " ".join(begrip.titel.split()) in page


@pytest.mark.parametrize("fmt", render.FORMATS)
@pytest.mark.parametrize("sector", [None, "onderwijs"])
def test_no_absolute_paths(fmt: render.Format, sector: str | None) -> None:
    page = render.render(compiled_for(sector), fmt)
    assert str(ROOT) not in page
    assert "/work/" not in page and "/home/" not in page and "/tmp/" not in page


def test_all_builtin_sectors_are_known() -> None:
    assert set(BUILTIN) <= set(known_sectors())
