"""The built-in sectors and the sector protocol: discovery, compiling, and what is refused."""

from __future__ import annotations

import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from meldcode_rules import CaseError, evaluate
from meldcode_rules.case.model import Case, Tri
from meldcode_rules.compiler.compile import expr_keys
from meldcode_rules.diagnostics import RulesetError
from meldcode_rules.sectors import registry
from meldcode_rules.sectors.builtin import BUILTIN_SECTORS, ENTRY_POINT_GROUP, Sector, SectorError

BUILTIN = [name for name, _t, _b in BUILTIN_SECTORS]


def test_builtin_sectors_are_declared_as_entry_points() -> None:
    declared = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    for name in BUILTIN:
        assert declared.get(name) == f"meldcode_rules.sectors:{name}"
    assert [s.herkomst for s in registry.installed_sectors() if s.name in BUILTIN] == ["ingebouwd"] * 6


@pytest.mark.parametrize("sector", BUILTIN)
def test_every_builtin_sector_fits_the_durable_engine(sector: str) -> None:
    pytest.importorskip("durable.engine")
    from meldcode_rules.engines.durable import MAX_KEYS

    compiled = registry.compiled_for(sector)
    keys = set().union(*(expr_keys(r.zeker) | expr_keys(r.mogelijk) for r in compiled.rules))
    assert len(keys) <= MAX_KEYS
    assert [r.id for r in compiled.rulesets] == ["basismodel", sector]
    oordeel = evaluate(
        {"sector": sector, "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}, engine="durable"
    )
    assert oordeel.melden == "ja" and oordeel.sector == sector


@pytest.mark.parametrize("sector", BUILTIN)
def test_every_sector_rule_cites_a_source_from_the_domain_brief(sector: str) -> None:
    compiled = registry.compiled_for(sector)
    own = [r for r in compiled.rules if r.ruleset == sector]
    for rule in own:
        assert "[" in rule.bron and "]" in rule.bron, rule.id


def test_sector_facts_default_to_unknown_and_stay_strict() -> None:
    case = Case()
    assert case.sectorfeiten.calamiteit is Tri.onbekend and case.sectorfeiten.rol is None
    with pytest.raises(CaseError) as caught:
        evaluate({"sector": "gezondheidszorg", "sectorfeiten": {"calamitijt": "ja"}})
    assert "bedoelde u `calamiteit`?" in str(caught.value)
    with pytest.raises(CaseError) as caught:
        evaluate({"sectorfeiten": {"verdachte": "de buurman"}})
    assert "buurman" not in str(caught.value)  # values are never echoed


def test_unknown_sector_suggests_the_nearest() -> None:
    with pytest.raises(registry.UnknownSector) as caught:
        evaluate({"sector": "onderwys"})
    assert "bedoelde u `onderwijs`?" in str(caught.value)


def _sector(tmp_path: Path, text: str, name: str = "proef") -> Sector:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Sector(name=name, titel="Proef", versie="1", bron="test", rulesets=(path,))


HEAD = """\
id: proef
titel: Proef
versie: "1"
geldig_vanaf: 2026-01-01
bron: test
"""


def test_a_sector_that_does_not_extend_the_basismodel_is_refused(tmp_path: Path) -> None:
    sector = _sector(tmp_path, HEAD + "sector: proef\nregels: []\n")
    with pytest.raises(RulesetError) as caught:
        registry.compile_sector(sector)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "MR041" and "breidt het basismodel niet uit" in diagnostic.message


def test_a_ruleset_for_another_sector_is_refused(tmp_path: Path) -> None:
    sector = _sector(tmp_path, HEAD + "sector: onderwijs\nbreidt_uit: [basismodel]\n")
    with pytest.raises(RulesetError) as caught:
        registry.compile_sector(sector)
    assert {d.code for d in caught.value.diagnostics} == {"MR042"}
    assert any(d.location.line == 6 for d in caught.value.diagnostics)


def test_a_sector_cannot_redefine_a_basismodel_begrip(tmp_path: Path) -> None:
    sector = _sector(
        tmp_path,
        HEAD
        + """\
        sector: proef
        breidt_uit: [basismodel]
        begrippen:
          - id: meldnorm_1
            titel: Alleen acuut telt nog
            bron: test
            als: {feit: afweging.acute_onveiligheid, is: ja}
        """.replace("        ", ""),
    )
    with pytest.raises(RulesetError) as caught:
        registry.compile_sector(sector)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "MR030" and "`meldnorm_1`" in diagnostic.message


def test_a_sector_cannot_conclude_melden_nee(tmp_path: Path) -> None:
    sector = _sector(
        tmp_path,
        HEAD
        + """\
        sector: proef
        breidt_uit: [basismodel]
        regels:
          - id: proef-eerder-gemeld
            titel: Een ander meldde al
            bron: test
            uitleg: Mag niet.
            als: {feit: eerder_gemeld_door_ander, is: ja}
            dan: {melden: nee}
        """.replace("        ", ""),
    )
    with pytest.raises(RulesetError) as caught:
        registry.compile_sector(sector)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "MR040" and "`proef-eerder-gemeld`" in diagnostic.message


class _FakeEntryPoint:
    def __init__(self, name: str, sector: Sector, dist: str) -> None:
        self.name, self.value, self._sector = name, f"fake:{name}", sector
        self.dist = type("Dist", (), {"name": dist})()

    def load(self) -> object:
        return self._sector


def test_a_package_cannot_take_over_a_builtin_sector(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    impostor = Sector(name="onderwijs", titel="Nep", versie="9", bron="x", rulesets=(tmp_path,))
    real = list(entry_points(group=ENTRY_POINT_GROUP))
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [*real, _FakeEntryPoint("onderwijs", impostor, "nep-onderwijs")]
    )
    registry.refresh()
    try:
        with pytest.raises(SectorError) as caught:
            registry.compiled_for("onderwijs")
        assert "nep-onderwijs" in str(caught.value) and "meer dan één pakket" in str(caught.value)
        assert "gezondheidszorg" in registry.known_sectors()
    finally:
        monkeypatch.undo()
        registry.refresh()


def test_sector_descriptor_validates_its_name() -> None:
    with pytest.raises(SectorError):
        Sector(name="Sport Club", titel="x", versie="1", bron="x", rulesets=(Path("x.yaml"),))
