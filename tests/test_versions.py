"""Versions by date: two dated versions of a small ruleset tree (tests/fixtures/versies)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from meldcode_rules import evaluate
from meldcode_rules.case.model import Case
from meldcode_rules.check import run_check
from meldcode_rules.cli.main import main
from meldcode_rules.diagnostics import CaseError, Code, MeldcodeError, RulesetError, ScenarioError
from meldcode_rules.engines import durable_available
from meldcode_rules.scenarios.oefen import Oefening, vragen
from meldcode_rules.scenarios.scenarios import coverage, load_scenarios, run_scenarios
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


# ---------------------------------------------------------------- every path chooses the same way
# (batch, scenarios, oefen, render, diff, explain, the service, `--ruleset` paths): through
# `registry.choose`, by the case's own date (a dossier's or a drawing's `op`).

OLD, NEW = "2018-06-01", "2019-06-01"


def test_choose_is_the_one_choice_for_installed_and_for_paths(versies: Path) -> None:
    from_paths = registry.versies_from([FIXTURE])
    for datum, versie in ((dt.date(2018, 6, 1), "2018.1"), (dt.date(2019, 6, 1), "2019.1")):
        for keuze in (None, from_paths):
            compiled = registry.choose(keuze, None, datum)
            assert [r.versie for r in compiled.rulesets] == [versie]
    assert [r.versie for r in registry.choose(from_paths, None, None, "2018.1").rulesets] == ["2018.1"]
    fixed = registry.choose(from_paths, None, dt.date(2018, 6, 1))
    assert registry.choose(fixed, None, dt.date(2030, 1, 1)) is fixed  # a compiled ruleset is used as given
    with pytest.raises(MeldcodeError):
        registry.choose(fixed, None, None, "2019.1")  # a pin beside it would be ignored: refused
    with pytest.raises(CaseError) as error:
        registry.choose(from_paths, None, dt.date(2017, 6, 1))
    assert error.value.diagnostics[0].code == Code.MV020


@pytest.mark.parametrize("engine", ENGINES)
def test_evaluate_with_ruleset_paths_chooses_by_the_cases_date_and_takes_a_pin(engine: str) -> None:
    keuze = registry.versies_from([FIXTURE])
    assert _versie(evaluate({**CASE, "datum": OLD}, engine=engine, ruleset=keuze)) == "2018.1"
    assert _versie(evaluate({**CASE, "datum": NEW}, engine=engine, ruleset=keuze)) == "2019.1"
    assert _versie(evaluate({**CASE, "datum": NEW}, engine=engine, ruleset=keuze, versie="2018.1")) == "2018.1"


def _lines(dates: list[str]) -> bytes:
    return "".join(json.dumps({**CASE, "datum": d}) + "\n" for d in dates).encode()


def test_batch_judges_each_line_by_its_own_date_with_ruleset_paths() -> None:
    result = CliRunner().invoke(main, ["batch", "--ruleset", str(FIXTURE)], input=_lines([OLD, NEW, "2017-06-01"]))
    old, new, early = (json.loads(line) for line in result.output.splitlines())
    assert (old["melden"], _versie_json(old)) == ("ja", "2018.1")
    assert (new["melden"], _versie_json(new)) == ("nee", "2019.1")
    assert early["regel"] == 3 and "vóór de eerste versie" in early["fout"][0]  # refused, never the newest
    assert result.exit_code == 1


def test_batch_judges_each_line_by_its_own_date_installed(versies: Path) -> None:
    result = CliRunner().invoke(main, ["batch"], input=_lines([NEW, OLD]))
    assert [_versie_json(json.loads(line)) for line in result.output.splitlines()] == ["2019.1", "2018.1"]
    assert result.exit_code == 0


def _versie_json(oordeel: dict[str, Any]) -> str:
    return next(r["versie"] for r in oordeel["ruleset"] if r["id"] == "basismodel")


SCENARIOS = f"""\
scenarios:
  - naam: oud
    bron: Testfixture
    gegeven: {{datum: {OLD}, afweging: {{vermoeden: ja, acute_onveiligheid: nee}}}}
    verwacht: {{melden: ja, regels: [melden-bij-vermoeden], acties: [melden_veilig_thuis]}}
  - naam: nieuw
    bron: Testfixture
    gegeven: {{datum: {NEW}, afweging: {{vermoeden: ja, acute_onveiligheid: nee}}}}
    verwacht: {{melden: nee, regels: [geen-melding-zonder-acuut], acties: [hulp_organiseren]}}
  - naam: dossier op de oude datum
    bron: Testfixture
    op: 2018-12-31
    dossier:
      gebeurtenissen: [{{soort: afweging, datum: {OLD}, vermoeden: ja, acute_onveiligheid: nee}}]
    verwacht: {{melden: ja, regels: [melden-bij-vermoeden]}}
"""


def _scenario_file(tmp_path: Path, text: str = SCENARIOS) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("installed", [False, True])
def test_scenarios_are_judged_by_the_version_of_their_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    if installed:
        monkeypatch.setattr(registry, "builtin_ruleset_dir", lambda: FIXTURE)
        registry.refresh()
    try:
        loaded = load_scenarios([_scenario_file(tmp_path)], rulesets=None if installed else [FIXTURE])
        assert [[r.versie for r in s.ruleset.rulesets] for s in loaded] == [["2018.1"], ["2019.1"], ["2018.1"]]
        results = run_scenarios(loaded, engines=ENGINES)
        assert all(r.ok for r in results), [r.failures for r in results]
        # coverage counts the rules of every version a scenario was judged by
        (cover,) = coverage(results, rulesets=None if installed else [FIXTURE])
        assert {"melden-bij-vermoeden", "geen-melding-zonder-acuut"} <= cover.fired
    finally:
        registry.refresh()


def test_a_scenario_dated_before_every_version_is_a_located_problem(tmp_path: Path) -> None:
    text = SCENARIOS.replace(f"datum: {NEW}, afweging", "datum: 2017-06-01, afweging")
    with pytest.raises(ScenarioError) as error:
        load_scenarios([_scenario_file(tmp_path, text)], rulesets=[FIXTURE])
    (problem,) = error.value.diagnostics
    assert problem.code == Code.MR051 and "vóór de eerste versie" in problem.message
    assert problem.location.line == 8  # the second scenario's `gegeven` (its datum)


def test_test_command_with_ruleset_paths_uses_each_scenarios_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["test", str(_scenario_file(tmp_path)), "--ruleset", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "mislukt" in result.output and ", 0 mislukt" in result.output


def test_oefen_asks_by_the_version_of_the_cases_date(tmp_path: Path) -> None:
    oefening = Oefening("oud", "", Case.model_validate({**CASE, "datum": OLD}), None)
    _vragen, oordeel = vragen(oefening, registry.versies_from([FIXTURE]))
    assert (oordeel.melden, _versie(oordeel)) == ("ja", "2018.1")
    case = tmp_path / "casus.yaml"
    case.write_text(f"datum: {OLD}\nafweging: {{vermoeden: ja, acute_onveiligheid: nee}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["oefen", str(case), "--ruleset", str(FIXTURE)], input="ja\nnee\nweet niet\n")
    assert result.exit_code == 0, result.output
    assert "melden ja, besluit melden" in result.output


def test_render_draws_the_versions_of_op_or_versie() -> None:
    runner = CliRunner()
    today = runner.invoke(main, ["render", "--ruleset", str(FIXTURE)])
    assert "melden-bij-acuut" in today.output and "melden-bij-vermoeden" not in today.output
    for option in (["--op", OLD], ["--versie", "2018.1"]):
        drawn = runner.invoke(main, ["render", "--ruleset", str(FIXTURE), *option])
        assert drawn.exit_code == 0, drawn.output
        assert "melden-bij-vermoeden" in drawn.output and "melden-bij-acuut" not in drawn.output
    early = runner.invoke(main, ["render", "--ruleset", str(FIXTURE), "--op", "2017-06-01"])
    assert early.exit_code == 2 and "vóór de eerste versie" in early.output  # never drawn from another


def test_diff_compares_the_versions_of_op(tmp_path: Path) -> None:
    new = tmp_path / "nieuw"
    shutil.copytree(FIXTURE, new)
    old_file = new / "basismodel-2018.1.yaml"
    # the 2018 version reports a suspicion only when acute: lowers protection, but only before 2019
    narrower = "als: {alle: [{feit: afweging.vermoeden, is: ja}, {feit: afweging.acute_onveiligheid, is: ja}]}"
    old_file.write_text(old_file.read_text().replace("als: {feit: afweging.vermoeden, is: ja}", narrower))
    runner = CliRunner()
    every = runner.invoke(main, ["diff", str(FIXTURE), str(new)])
    assert every.exit_code == 1, every.output
    assert runner.invoke(main, ["diff", str(FIXTURE), str(new), "--op", OLD]).exit_code == 1
    later = runner.invoke(main, ["diff", str(FIXTURE), str(new), "--op", NEW])
    assert later.exit_code == 0, later.output
    # real cases are judged by each tree's version of their own date
    cases = tmp_path / "casussen.jsonl"
    cases.write_bytes(_lines([OLD, NEW]))
    report = json.loads(
        runner.invoke(main, ["diff", str(FIXTURE), str(new), "--op", NEW, "--cases", str(cases), "-f", "json"]).output
    )
    (impact,) = report["casussen"]
    assert impact["verlaagd"] == [1] and impact["niet_te_beoordelen"] == []


def test_explain_with_ruleset_paths_uses_the_cases_date(tmp_path: Path) -> None:
    case = tmp_path / "casus.yaml"
    case.write_text(f"datum: {OLD}\nafweging: {{vermoeden: ja, acute_onveiligheid: nee}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(case), "--ruleset", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "melden-bij-vermoeden" in result.output and "2018.1" in result.output


def test_service_judges_each_request_and_line_by_its_own_date(versies: Path) -> None:
    from fastapi.testclient import TestClient

    from meldcode_rules.service.app import create_app
    from meldcode_rules.service.config import ServiceConfig

    with TestClient(create_app(ServiceConfig())) as client:
        old = client.post("/v1/oordeel?engine=reference", json={**CASE, "datum": OLD}).json()
        new = client.post("/v1/oordeel?engine=reference", json={**CASE, "datum": NEW}).json()
        assert (_versie_json(old), _versie_json(new)) == ("2018.1", "2019.1")
        early = client.post("/v1/oordeel", json={**CASE, "datum": "2017-06-01"})
        assert early.status_code == 422 and "2017" not in early.text
        lines = client.post("/v1/oordelen?engine=reference", json=[{**CASE, "datum": NEW}, {**CASE, "datum": OLD}])
        assert [_versie_json(o) for o in _ndjson(lines)] == ["2019.1", "2018.1"]
        # a pinned version per request, as `evaluate(versie=...)`; an unknown one is not echoed
        pinned = client.post("/v1/oordeel?versie=2018.1", json={**CASE, "datum": NEW}).json()
        assert (_versie_json(pinned), pinned["melden"]) == ("2018.1", "ja")
        dossier = {"gebeurtenissen": [{"soort": "afweging", "datum": OLD, "vermoeden": "ja"}]}
        assert _versie_json(client.post("/v1/oordeel?peildatum=2018-12-31", json=dossier).json()) == "2018.1"
        unknown = client.post("/v1/oordeel?versie=1999.9", json=CASE)
        assert unknown.status_code == 400 and "1999.9" not in unknown.text
        assert client.post("/v1/oordeel?versie=%3Cx%3E", json=CASE).status_code == 400
        # every version is listed, with its period, and which one holds today
        rows = client.get("/v1/rulesets").json()["rulesets"]
        assert [(r["versie"], r["geldig_tot"], r["geldt_vandaag"]) for r in rows if r["id"] == "basismodel"] == [
            ("2019.1", None, True),
            ("2018.1", "2019-01-01", False),
        ]


def _ndjson(response: Any) -> list[dict[str, Any]]:
    body = response.json() if response.text.lstrip().startswith("[") else None
    return body if body is not None else [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_replay_uses_the_versions_of_the_recorded_date(versies: Path, tmp_path: Path) -> None:
    from meldcode_rules.records.replay import replay
    from meldcode_rules.records.store import RecordWriter, SqliteStore

    db = tmp_path / "besluiten.sqlite"
    store = SqliteStore(db)
    oordeel = evaluate({**CASE, "datum": OLD}, records=RecordWriter(store, b"zout"))
    store.close()
    case = tmp_path / "casus.json"
    case.write_text(json.dumps({**CASE, "datum": OLD}), encoding="utf-8")
    # judged in 2018's version; replayed today, it is still checked against that version
    result = replay(oordeel.oordeel_id or "", case, db, b"zout")
    assert _versie(result.oordeel) == "2018.1" and result.oordeel.melden == "ja" and result.same
