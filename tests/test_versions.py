"""Versions by date: two dated versions of a small ruleset tree (tests/fixtures/versies)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from meldcode_rules import evaluate
from meldcode_rules.check import run_check
from meldcode_rules.diagnostics import CaseError, Code, RulesetError
from meldcode_rules.engines import durable_available
from meldcode_rules.sectors import registry
from meldcode_rules.sectors.registry import compile_from

FIXTURE = Path(__file__).parent / "fixtures" / "versies"
ENGINES = ["reference", *(["durable"] if durable_available() else [])]
#: a suspicion without acute unsafety: the old version reports, the new one offers help
CASE = {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "nee"}}


@pytest.fixture
def versies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The registry's basismodel is the fixture's two versions (a copy, so a test may edit it)."""
    tree = tmp_path / "rulesets"
    shutil.copytree(FIXTURE, tree)
    monkeypatch.setattr(registry, "builtin_ruleset_dir", lambda: tree)
    registry.refresh()
    yield tree
    monkeypatch.undo()
    registry.refresh()


def _versie(oordeel: object) -> str:
    return next(r.versie for r in oordeel.ruleset if r.id == "basismodel")  # type: ignore[attr-defined]


@pytest.mark.parametrize("engine", ENGINES)
def test_judged_by_the_version_in_force_on_either_side_of_the_boundary(versies: Path, engine: str) -> None:
    before = evaluate({**CASE, "datum": "2018-12-31"}, engine=engine)
    after = evaluate({**CASE, "datum": "2019-01-01"}, engine=engine)
    assert (before.melden, before.besluit, _versie(before)) == ("ja", "melden", "2018.1")
    assert (after.melden, after.besluit, _versie(after)) == ("nee", "hulp_bieden_of_organiseren", "2019.1")
    # the judgement names the chosen version, with its date and hash
    info = next(r for r in before.ruleset if r.id == "basismodel")
    assert info.geldig_vanaf == dt.date(2018, 1, 1)
    assert info.sha256 == hashlib.sha256((versies / "basismodel-2018.1.yaml").read_bytes()).hexdigest()


def test_both_engines_agree_on_every_day_around_the_boundary(versies: Path) -> None:
    for day in range(-3, 4):
        datum = (dt.date(2019, 1, 1) + dt.timedelta(days=day)).isoformat()
        for facts in ({"vermoeden": "ja", "acute_onveiligheid": "nee"}, {"vermoeden": "nee"}, {}):
            got = {e: evaluate({"afweging": facts, "datum": datum}, engine=e) for e in ENGINES}
            assert len({(j.melden, j.besluit, _versie(j)) for j in got.values()}) == 1


def test_without_a_date_today_decides(versies: Path) -> None:
    assert _versie(evaluate(CASE)) == "2019.1"


def test_a_pinned_version_judges_whatever_the_date(versies: Path) -> None:
    pinned = evaluate({**CASE, "datum": "2026-06-01"}, versie="2018.1")
    assert (pinned.melden, _versie(pinned), pinned.datum) == ("ja", "2018.1", dt.date(2026, 6, 1))
    with pytest.raises(CaseError) as error:
        evaluate(CASE, versie="2017.9")
    assert error.value.diagnostics[0].code == Code.MV021
    assert "2018.1" in str(error.value) and "2019.1" in str(error.value)


@pytest.mark.parametrize("datum", ["2017-12-31", "1990-05-17"])
def test_a_case_before_every_version_is_refused_naming_the_field_not_its_value(versies: Path, datum: str) -> None:
    with pytest.raises(CaseError) as error:
        evaluate({**CASE, "datum": datum})
    (problem,) = error.value.diagnostics
    assert problem.code == Code.MV020 and problem.location.path == "datum"
    assert datum not in str(error.value) and datum[:4] not in problem.message
    assert "vóór de eerste versie" in problem.message


def test_check_finds_a_gap_at_the_later_versions_geldig_vanaf(versies: Path) -> None:
    old = versies / "basismodel-2018.1.yaml"
    old.write_text(old.read_text().replace("geldig_tot: 2019-01-01", "geldig_tot: 2018-12-01"))
    report = run_check([versies], engine_agreement=False)
    (gap,) = [f for f in report.findings if f.code == Code.MR043]
    assert gap.location.file == str(versies / "basismodel.yaml") and gap.location.line == 6
    assert not report.ok


def test_check_finds_an_overlap_and_the_registry_refuses_to_guess(versies: Path) -> None:
    old = versies / "basismodel-2018.1.yaml"
    old.write_text(old.read_text().replace("geldig_tot: 2019-01-01\n", ""))
    report = run_check([versies], engine_agreement=False)
    (overlap,) = [f for f in report.findings if f.code == Code.MR044]
    assert overlap.location.file == str(versies / "basismodel.yaml") and overlap.location.line == 6
    assert "geldig_tot: 2019-01-01" in "\n".join(overlap.details)
    registry.refresh()
    with pytest.raises(RulesetError) as error:
        evaluate({**CASE, "datum": "2018-06-01"})
    assert {d.code for d in error.value.diagnostics} == {Code.MR044}


def test_a_sound_timeline_checks_every_version() -> None:
    report = run_check([FIXTURE], engine_agreement=False)
    assert report.ok, [f.message for f in report.findings]
    assert report.checked == ["basismodel vanaf 2018-01-01", "basismodel vanaf 2019-01-01"]


def test_geldig_tot_after_geldig_vanaf(tmp_path: Path) -> None:
    bad = tmp_path / "basismodel.yaml"
    bad.write_text(
        (FIXTURE / "basismodel.yaml")
        .read_text()
        .replace("geldig_vanaf: 2019-01-01", "geldig_vanaf: 2019-01-01\ngeldig_tot: 2019-01-01")
    )
    with pytest.raises(RulesetError) as error:
        compile_from([tmp_path])
    assert error.value.diagnostics[0].code == Code.MR010


SECTOR = """\
id: onderwijs
titel: Toetssector (testfixture)
versie: "2018.1"
geldig_vanaf: 2018-01-01
sector: onderwijs
bron: "Testfixture"
breidt_uit: [basismodel]
regels: []
"""


def test_a_sector_extends_the_basismodel_version_in_force_on_the_same_date(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "t")
    (tmp_path / "t" / "onderwijs.yaml").write_text(SECTOR)
    for day, versie in ((dt.date(2018, 6, 1), "2018.1"), (dt.date(2019, 6, 1), "2019.1")):
        compiled = compile_from([tmp_path / "t"], "onderwijs", datum=day)
        assert {r.id: r.versie for r in compiled.rulesets} == {"basismodel": versie, "onderwijs": "2018.1"}
    report = run_check([tmp_path / "t"], engine_agreement=False)
    assert "onderwijs vanaf 2019-01-01" in report.checked and "onderwijs vanaf 2018-01-01" in report.checked
    # a sector version that starts before every basismodel version: MR045 at its breidt_uit
    (tmp_path / "t" / "onderwijs.yaml").write_text(SECTOR.replace("2018-01-01", "2017-01-01"))
    report = run_check([tmp_path / "t"], engine_agreement=False)
    (missing,) = [f for f in report.findings if f.code == Code.MR045]
    assert missing.location.file.endswith("onderwijs.yaml") and missing.location.line == 7


def test_compiled_versions_are_cached_per_combination_with_a_bound(versies: Path) -> None:
    a = registry.compiled_for(None, datum=dt.date(2019, 2, 1))
    assert registry.compiled_for(None, datum=dt.date(2025, 3, 1)) is a
    assert registry.compiled_for(None, datum=dt.date(2018, 3, 1)) is not a
    for day in range(registry.MAX_DAYS + 10):
        registry.compiled_for(None, datum=dt.date(2019, 1, 1) + dt.timedelta(days=day))
    assert len(registry._by_day) <= registry.MAX_DAYS and len(registry._by_key) <= registry.MAX_COMPILED


def test_a_dossier_is_judged_by_the_version_in_force_on_its_peildatum(versies: Path) -> None:
    events = {
        "gebeurtenissen": [{"soort": "afweging", "datum": "2018-06-01", "vermoeden": "ja", "acute_onveiligheid": "nee"}]
    }
    assert _versie(evaluate(events, op=dt.date(2018, 12, 31))) == "2018.1"
    assert _versie(evaluate(events, op=dt.date(2019, 1, 2))) == "2019.1"
    early = {"gebeurtenissen": [{"soort": "afweging", "datum": "2017-06-01", "vermoeden": "ja"}]}
    with pytest.raises(CaseError) as error:
        evaluate(early, op=dt.date(2017, 7, 1))
    (problem,) = error.value.diagnostics
    assert (problem.code, problem.location.path) == (Code.MV020, "op") and "2017-07-01" not in str(error.value)
