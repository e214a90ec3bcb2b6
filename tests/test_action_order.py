"""Actions stand in the meldcode's order: by step, then urgency, then a route's order (issue 15 item 4)."""

from __future__ import annotations

import pytest

from meldcode_rules.api import evaluate
from meldcode_rules.judge.algebra import termijn_uren
from meldcode_rules.sectors.registry import compiled_for, known_sectors
from strategies import ENGINES, random_cases


@pytest.mark.parametrize("sector", [None, *sorted(known_sectors())])
def test_every_shipped_action_code_names_its_step(sector: str | None) -> None:
    compiled = compiled_for(sector)
    missing = [code for code, definition in compiled.actiedefinities.items() if definition.stap is None]
    assert missing == []
    assert list(compiled.actiedefinities) == list(compiled.acties)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_staff_suspect_route_of_onderwijs_in_its_legal_order(engine: str) -> None:
    case = {
        "sector": "onderwijs",
        "datum": "2026-03-02",
        "medewerker_verdacht": "ja",
        "vormen": ["seksueel_geweld"],
        "afweging": {"vermoeden": "ja"},
        "sectorfeiten": {"redelijk_vermoeden": "ja"},
    }
    codes = [a.code for a in evaluate(case, engine=engine).acties]
    route = [
        "bevoegd_gezag_informeren",
        "vertrouwensinspecteur_raadplegen",
        "verdachte_en_ouders_informeren",
        "aangifte_doen",
    ]
    assert set(route) <= set(codes), codes
    assert [c for c in codes if c in route] == route


@pytest.mark.parametrize("sector", [None, "onderwijs", "kinderopvang", "gezondheidszorg"])
def test_no_later_step_before_an_earlier_one_and_urgent_first_within_a_step(sector: str | None) -> None:
    definitions = compiled_for(sector).actiedefinities
    for case in random_cases(150, seed=21):
        if sector:
            case["sector"] = sector
        acties = evaluate(case, engine="reference").acties
        keys = [(definitions[a.code].stap, termijn_uren(a.termijn)) for a in acties]
        assert keys == sorted(keys), [a.code for a in acties]
