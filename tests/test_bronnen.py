"""Every `bron` names a public source, and every source tag is in the shipped legend.

A professional reads each `bron` verbatim in a judgement: it must never point to the
project's own brief or the seed reports, never put quotation marks around an English
paraphrase, and every tag must resolve to a title, publisher, year and address.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from meldcode_rules.bronnen import Bron, Legenda, bron_problemen, bronnen_voor, legenda, markdown, tags_in
from meldcode_rules.sectors.builtin import BUILTIN_SECTORS
from meldcode_rules.sectors.registry import builtin_ruleset_dir, builtin_scenario_dir

ROOT = Path(__file__).resolve().parent.parent


def _bronnen(data: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "bron" and isinstance(value, str):
                yield where, value
            else:
                yield from _bronnen(value, f"{where}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _bronnen(value, f"{where}.{i}")


def _all_bronnen() -> list[tuple[str, str]]:
    yaml = YAML(typ="safe", pure=True)
    files = sorted(builtin_ruleset_dir().glob("*.yaml")) + sorted(builtin_scenario_dir().rglob("*.yaml"))
    out = [item for f in files for item in _bronnen(yaml.load(f.read_text(encoding="utf-8")), f.name)]
    out += [(f"sector {name}", bron) for name, _, bron in BUILTIN_SECTORS]
    return out


BRONNEN = _all_bronnen()


def test_the_rulesets_cite_sources_at_all() -> None:
    assert len(BRONNEN) > 150
    assert len({t for _, b in BRONNEN for t in tags_in(b)}) >= 45


@pytest.mark.parametrize(("where", "bron"), BRONNEN, ids=[w for w, _ in BRONNEN])
def test_every_bron_is_public_and_resolves(where: str, bron: str) -> None:
    assert bron_problemen(bron) == [], f"{where}: {bron}"


@pytest.mark.parametrize(
    ("bron", "problem"),
    [
        ("Seed 000 ('Doe altijd een kindcheck')", "seed"),
        ("[PED][KNGO]; meldcode.md 'Sector rules'", "projectbrief"),
        ("KNMG stap 2 ('record why if Veilig Thuis was not consulted') [KNMG-1]", "aanhalingstekens"),
        ("Meldplicht [NIET-IN-DE-LEGENDA]", "legenda"),
    ],
)
def test_the_source_check_catches_what_it_should(bron: str, problem: str) -> None:
    assert any(problem in p for p in bron_problemen(bron))


def test_a_real_dutch_quotation_is_allowed() -> None:
    assert (
        bron_problemen("Besluit art. 2 ('collegiale consultatie en zo nodig raadplegen van Veilig Thuis') [BESLUIT]")
        == []
    )


def test_every_tag_of_the_domain_brief_is_in_the_legend() -> None:
    # the tags of the sources list of the domain brief (shared/domain/meldcode.md)
    brief = [
        "RO",
        "BESLUIT",
        "BASISDOC",
        "NJI",
        "HAAG",
        "HP-KZ",
        "HP-AMW",
        "HP-ZB",
        "HP-JGZ2",
        "KNMG-1",
        "KNMG-5",
        "KNMG-B5",
        "KNMG-B6",
        "LHV",
        "SIGN",
        "GRON",
        "JDV",
        "IA2",
        "AUG",
        "AUG-AF",
        "VTGZ",
        "VTHM-EGG",
        "WK",
        "LKAH",
        "DPG",
        "NHGDOC",
        "MN-KC",
        "MN-EGG3",
        "MN-EGG5",
        "MN-VGV",
        "LKHA",
        "CCV",
        "GGD-VGV",
        "CSG",
        "LSTA",
        "OI",
        "ROVO",
        "PED",
        "KNGO",
        "IGJ",
        "TSD",
        "SKIPR",
        "WMO",
        "UB",
        "NVO",
        "AKM-FAQ",
        "MOV-D",
        "JGZR",
        "NICTIZ",
    ]
    assert set(brief) <= legenda().keys()


def test_every_entry_says_where_to_find_it() -> None:
    for bron in legenda().values():
        assert bron.adres and bron.uitgever and bron.titel
        if bron.jaar is None:
            assert bron.toelichting, f"{bron.tag}: zonder jaar, zeg waarom"


def test_the_legend_refuses_a_duplicate_and_a_bad_tag() -> None:
    entry = {"tag": "NJI", "titel": "t", "uitgever": "u", "jaar": 2020, "adres": "a"}
    with pytest.raises(ValidationError):
        Legenda.model_validate({"bronnen": [entry, entry]})
    with pytest.raises(ValidationError):
        Bron.model_validate({**entry, "tag": "nji"})
    with pytest.raises(ValidationError):
        Bron.model_validate({**entry, "onbekend_veld": 1})


def test_bronnen_voor_gives_the_entries_in_citation_order() -> None:
    tags = [b.tag for b in bronnen_voor("Wmo 2015 art. 3.4 [WMO]; meldnorm 1 [NJI][KNMG-5][NJI]")]
    assert tags == ["WMO", "NJI", "KNMG-5"]


def test_docs_page_is_the_generated_legend() -> None:
    page = (ROOT / "docs" / "bronnen.md").read_text(encoding="utf-8")
    assert page == markdown(), "docs/bronnen.md is verouderd: python -m meldcode_rules.bronnen > docs/bronnen.md"


def test_meldplicht_only_where_a_law_makes_one() -> None:
    """The meldcode is a meldrecht: the word meldplicht belongs to a rule that cites a law."""
    laws = {"JW", "WMO", "WKKGZ", "WPO", "WVO", "WKO"}
    yaml = YAML(typ="safe", pure=True)
    for f in sorted(builtin_ruleset_dir().glob("*.yaml")):
        data = yaml.load(f.read_text(encoding="utf-8"))
        for part in ("regels", "begrippen", "invarianten", "uitzonderingen"):
            for item in data.get(part) or []:
                text = str(item).lower()
                if "meldplicht" in text:
                    assert laws & set(tags_in(item["bron"])), f"{f.name}: {item.get('id', item)}"


def test_render_links_each_tag_to_its_legend_entry() -> None:
    from meldcode_rules.explain import render
    from meldcode_rules.sectors.registry import compiled_for

    compiled = compiled_for("onderwijs")
    page = render.markdown(compiled)
    assert "[\\[WPO\\]](#bron-wpo)" in page
    assert '<a id="bron-wpo"></a>`WPO`' in page and legenda()["WPO"].titel in page
    html = render.html(compiled)
    assert '<a href="#bron-wpo">[WPO]</a>' in html and '<tr id="bron-wpo">' in html


def test_explain_lists_the_sources_of_the_fired_rules() -> None:
    from meldcode_rules.explain.explain import explain, uitleg

    case = {"sector": "jeugdhulp", "medewerker_verdacht": "ja", "afweging": {"vermoeden": "ja"}}
    structured = uitleg(case, engine="reference")
    assert "JW" in {b.tag for b in structured.bronnen}
    text = explain(case, engine="reference")
    assert legenda()["JW"].regel() in text
