"""Answers that age (`maakt_onbekend`): nothing closes on an out-of-date evaluation (issue 10).

Two stale `afsluiten` cases: help was evaluated as safe and the next agreed re-assessment has
passed since; or new help started after a safe evaluation. In both the answer "the help
brings safety" describes a help or a day that is gone, so it counts as `onbekend`; a `nee`
never ages (it is what makes a report due under meldnorm 3). After a new signal past
closure, the afweging's answers that kept from reporting age too. `check` proves that no
ageing answer lowers `melden` (MC204).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from tests.dossier_strategies import dossiers

from meldcode_rules.check import run_check
from meldcode_rules.cli.main import main
from meldcode_rules.diagnostics import RulesetError
from meldcode_rules.dossier import evaluate
from meldcode_rules.dossier import oordeel as oordeel_module
from meldcode_rules.engines import durable_available
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.sectors.registry import compile_from

REPO = Path(__file__).resolve().parents[1]
ENGINES = ["reference", "durable"] if durable_available() else ["reference"]
SECTORS = (None, "jeugdhulp", "gezondheidszorg", "onderwijs")

#: every step done, the kindcheck done, help possible and accepted: what closes after safe help
STAPPEN: list[dict[str, Any]] = [
    {"soort": "signaal", "datum": "2026-01-02", "vormen": ["verwaarlozing"], "vastgelegd": "ja", "herkomst": "school"},
    {"soort": "kindcheck", "datum": "2026-01-02", "zorgt_voor_minderjarigen": "nee"},
    {"soort": "consultatie", "datum": "2026-01-03", "met": "collega"},
    {"soort": "consultatie", "datum": "2026-01-03", "met": "veilig_thuis"},
    {"soort": "gesprek", "datum": "2026-01-04"},
    {
        "soort": "afweging",
        "datum": "2026-01-05",
        "vermoeden": "ja",
        "acute_onveiligheid": "nee",
        "structurele_onveiligheid": "nee",
        "hulp_mogelijk": "ja",
        "hulp_aanvaard": "ja",
    },
    {"soort": "hulp_gestart", "datum": "2026-01-06", "evaluatiedatum": "2026-02-06"},
]


def dossier(*events: dict[str, Any]) -> dict[str, Any]:
    return {"dossier_id": "VEROUDERD-1", "sector": "jeugdhulp", "gebeurtenissen": [*STAPPEN, *events]}


def tijdfeit(oordeel: Judgement, feit: str) -> Any:
    return next(t for t in oordeel.tijdfeiten if t.feit == feit)


def acties(oordeel: Judgement) -> dict[str, Any]:
    return {a.code: a for a in oordeel.acties}


VEILIG = {"soort": "hulp_geevalueerd", "datum": "2026-02-06", "veilig": "ja", "evaluatiedatum": "2026-03-06"}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_safe_evaluation_closes_until_the_next_re_assessment_passes(engine: str) -> None:
    before = evaluate(dossier(VEILIG), engine=engine, op=dt.date(2026, 2, 10))
    assert before.besluit == "afsluiten"
    assert tijdfeit(before, "tijd.herbeoordeling_verlopen").maakt_onbekend == ()

    after = evaluate(dossier(VEILIG), engine=engine, op=dt.date(2026, 4, 1))
    assert after.besluit != "afsluiten"
    assert "afsluiten_en_vastleggen" not in acties(after)
    assert after.besluit == "hulp_bieden_of_organiseren"
    herbeoordelen = acties(after)["herbeoordelen"]
    assert herbeoordelen.verlopen is True
    assert tijdfeit(after, "tijd.herbeoordeling_verlopen").maakt_onbekend == ("afweging.hulp_effectief",)
    assert after.melden == "nee"  # help runs: meldnorm 3 needs an answer `nee`, which time does not invent


@pytest.mark.parametrize("engine", ENGINES)
def test_new_help_after_a_safe_evaluation_is_not_closed_on_that_evaluation(engine: str) -> None:
    closed = {"soort": "hulp_afgesloten", "datum": "2026-02-07", "afspraak_wie_contact_houdt": "ja"}
    new_help = {"soort": "hulp_gestart", "datum": "2026-03-01", "evaluatiedatum": "2026-04-12"}
    safe = {**VEILIG, "evaluatiedatum": None}
    del safe["evaluatiedatum"]
    assert evaluate(dossier(safe, closed), engine=engine, op=dt.date(2026, 2, 20)).besluit == "afsluiten"

    running = evaluate(dossier(safe, closed, new_help), engine=engine, op=dt.date(2026, 3, 10))
    assert running.besluit == "hulp_bieden_of_organiseren"
    nieuw = tijdfeit(running, "tijd.nieuwe_hulp_na_evaluatie")
    assert (nieuw.waarde, nieuw.maakt_onbekend) == ("ja", ("afweging.hulp_effectief",))
    assert nieuw.telt_vanaf is not None and nieuw.telt_vanaf.positie == len(STAPPEN) + 3

    # Evaluated again and safe: the new answer is not aged, and the case closes again.
    again = {"soort": "hulp_geevalueerd", "datum": "2026-04-12", "veilig": "ja"}
    closing = evaluate(dossier(safe, closed, new_help, again), engine=engine, op=dt.date(2026, 4, 14))
    assert closing.besluit == "afsluiten"
    assert tijdfeit(closing, "tijd.nieuwe_hulp_na_evaluatie").waarde == "nee"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_nee_never_ages(engine: str) -> None:
    failed = {"soort": "hulp_geevalueerd", "datum": "2026-02-06", "veilig": "nee"}
    new_help = {"soort": "hulp_gestart", "datum": "2026-02-10", "evaluatiedatum": "2026-03-01"}
    for op in (dt.date(2026, 2, 20), dt.date(2026, 6, 1)):  # before and after the new help's evaluation date
        oordeel = evaluate(dossier(failed, new_help), engine=engine, op=op)
        assert oordeel.melden == "ja"  # meldnorm 3: help did not bring safety
        assert all(t.maakt_onbekend == () for t in oordeel.tijdfeiten)


def test_an_answer_given_after_the_clock_started_is_current() -> None:
    # The re-assessment of 6 March is overdue, but an afweging of 20 March answered question 5:
    # that answer is younger than the clock's start and does not age.
    later = {"soort": "afweging", "datum": "2026-03-20", "hulp_effectief": "ja"}
    oordeel = evaluate(dossier(VEILIG, later), op=dt.date(2026, 4, 1))
    assert tijdfeit(oordeel, "tijd.herbeoordeling_verlopen").waarde == "ja"
    assert tijdfeit(oordeel, "tijd.herbeoordeling_verlopen").maakt_onbekend == ()
    assert oordeel.besluit == "afsluiten"


def test_a_plain_case_never_ages() -> None:
    # A plain case has every time fact `onbekend`: its answers are as given.
    case = {
        "sector": "jeugdhulp",
        "datum": "2026-01-10",
        "afweging": {
            "vermoeden": "ja",
            "acute_onveiligheid": "nee",
            "structurele_onveiligheid": "nee",
            "hulp_mogelijk": "ja",
            "hulp_aanvaard": "ja",
            "hulp_effectief": "ja",
        },
    }
    oordeel = evaluate(case, op=dt.date(2026, 3, 1))
    assert all(t.maakt_onbekend == () for t in oordeel.tijdfeiten)


RANK = {"nee": 0, "onbekend": 1, "ja": 2}


@settings(max_examples=60, deadline=None)
@given(dossiers(sectors=SECTORS, max_events=14))
def test_ageing_never_lowers_melden_and_never_closes_on_an_aged_answer(
    generated: tuple[dict[str, Any], dt.date],
) -> None:
    data, op = generated
    aged = evaluate(data, op=op)
    with pytest.MonkeyPatch.context() as patch:  # the same dossier judged as if nothing aged
        patch.setattr(oordeel_module, "age_answers", lambda *args: {})
        unaged = evaluate(data, op=op)
    assert RANK[aged.melden] >= RANK[unaged.melden]
    if any("afweging.hulp_effectief" in t.maakt_onbekend for t in aged.tijdfeiten):
        fired = {r.regel for r in aged.redenering}
        assert "afweging5-afsluiten-met-afspraken" not in fired
        assert "afweging5-veiligheid-bereikt" not in fired


def test_maakt_onbekend_names_only_tri_state_case_facts(tmp_path: Path) -> None:
    text = (REPO / "rulesets" / "basismodel.yaml").read_text(encoding="utf-8")
    marker = "    maakt_onbekend: {afweging.hulp_effectief: ja}\n"
    assert marker in text
    wrong = "{afweging.hulp_efectief: ja, vormen: ja, tijd.csg_venster_open: nee}"
    broken = text.replace(marker, f"    maakt_onbekend: {wrong}\n", 1)
    path = tmp_path / "basismodel.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulesetError) as raised:
        compile_from([path])
    found = [d for d in raised.value.diagnostics if d.code == "MR064"]
    assert len(found) == 3
    line = broken[: broken.index("afweging.hulp_efectief")].count("\n") + 1
    assert all(d.location.line == line for d in found)
    assert found[0].suggestion == "afweging.hulp_effectief"


def _aged_wrongly(tmp_path: Path, old: str, new: str) -> Path:
    # the basismodel alone: the ageing proof is per ruleset, and one ruleset checks quickly
    folder = tmp_path / "rulesets"
    folder.mkdir()
    text = (REPO / "rulesets" / "basismodel.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "basismodel.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a suspicion that ages would lower a report to `onbekend`
        ("      afweging.vermoeden: nee\n", "      afweging.vermoeden: ja\n"),
        # so would a failed help (meldnorm 3)
        (
            "    maakt_onbekend: {afweging.hulp_effectief: ja}\n",
            "    maakt_onbekend: {afweging.hulp_effectief: nee}\n",
        ),
    ],
)
def test_check_fails_an_ageing_answer_that_lowers_melden(tmp_path: Path, old: str, new: str) -> None:
    # (that the shipped ageing answers are proved is asserted in tests/test_check.py, stage `veroudering`)
    folder = _aged_wrongly(tmp_path, old, new)
    report = run_check([folder], engine_agreement=False, warnings=False)
    assert not report.ok
    finding = next(f for f in report.errors if f.code == "MC204")
    text = (folder / "basismodel.yaml").read_text(encoding="utf-8").splitlines()
    # located at the time rule, whose counterexample shows the lower `melden`
    assert text[finding.location.line - 1].strip().startswith("- feit: tijd.")
    assert "melden" in finding.message and finding.tegenvoorbeeld and finding.proved is not False


def test_render_shows_which_answers_age() -> None:
    result = CliRunner().invoke(main, ["render", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("| `tijd.nieuwe_hulp_na_evaluatie`"))
    assert "zolang ja telt een eerder antwoord als onbekend: afweging.hulp_effectief: ja" in row


# ---------------------------------------------------------------- when an aged answer's action became due

#: closed after an afweging without a suspicion, then a new signal: its answers age
GESLOTEN: list[dict[str, Any]] = [
    {"soort": "signaal", "datum": "2026-01-05", "herkomst": "school", "vormen": ["verwaarlozing"], "vastgelegd": "ja"},
    {"soort": "consultatie", "datum": "2026-01-06", "met": "collega"},
    {"soort": "gesprek", "datum": "2026-01-08"},
    {
        "soort": "afweging",
        "datum": "2026-01-10",
        "vermoeden": "nee",
        "acute_onveiligheid": "nee",
        "structurele_onveiligheid": "nee",
    },
    {"soort": "zaak_afgesloten", "datum": "2026-01-11"},
]
NIEUW_SIGNAAL = {"soort": "signaal", "datum": "2026-04-02", "herkomst": "huisarts", "vormen": ["verwaarlozing"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_an_action_asked_only_once_an_answer_aged_counts_from_the_event_that_aged_it(engine: str) -> None:
    # Veilig Thuis' advice is asked because `vermoeden: nee` aged at the new signal of 2 April:
    # it is 8 days overdue on 10 April, not 90 (the afweging of 10 January did not ask for it).
    data = {"dossier_id": "VEROUDERD-2", "gebeurtenissen": [*GESLOTEN, NIEUW_SIGNAAL]}
    oordeel = evaluate(data, engine=engine, op=dt.date(2026, 4, 10))
    assert tijdfeit(oordeel, "tijd.signaal_na_afsluiting").maakt_onbekend != ()
    advies = acties(oordeel)["veilig_thuis_raadplegen"]
    assert advies.telt_vanaf is not None and advies.telt_vanaf.positie == len(GESLOTEN) + 1
    assert (advies.deadline, advies.verlopen, advies.dagen_verlopen) == (dt.date(2026, 4, 2), True, 8)
    # the same as the reopening the new signal asks for
    assert acties(oordeel)["zaak_heropenen"].deadline == advies.deadline


@pytest.mark.parametrize("engine", ENGINES)
def test_a_report_from_before_the_ageing_does_not_settle_what_the_ageing_asks(engine: str) -> None:
    # My own report of January settled Veilig Thuis' advice then (a report puts the case with
    # Veilig Thuis); after closure and a new signal the advice is asked anew, and is not done.
    melding = {"soort": "melding", "datum": "2026-01-09", "door": "mij"}
    data = {"dossier_id": "VEROUDERD-3", "gebeurtenissen": [*GESLOTEN, melding, NIEUW_SIGNAAL]}
    advies = acties(evaluate(data, engine=engine, op=dt.date(2026, 4, 10)))["veilig_thuis_raadplegen"]
    assert advies.voldaan is None
    assert (advies.verlopen, advies.dagen_verlopen) == (True, 8)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_action_asked_on_the_answers_as_given_keeps_its_date_when_an_answer_ages(engine: str) -> None:
    # Structural unsafety (8 February) asks for discussing the report then; new help on
    # 1 March ages `hulp_effectief`, which does not make that older duty any younger.
    unsafe = {"soort": "afweging", "datum": "2026-02-08", "structurele_onveiligheid": "ja"}
    new_help = {"soort": "hulp_gestart", "datum": "2026-03-01", "evaluatiedatum": "2026-04-12"}
    data = dossier(VEILIG, unsafe, new_help)
    oordeel = evaluate(data, engine=engine, op=dt.date(2026, 3, 10))
    assert tijdfeit(oordeel, "tijd.nieuwe_hulp_na_evaluatie").maakt_onbekend == ("afweging.hulp_effectief",)
    bespreken = acties(oordeel)["melding_bespreken_met_client"]
    assert bespreken.telt_vanaf is not None and bespreken.telt_vanaf.soort == "afweging"
    assert (bespreken.deadline, bespreken.verlopen) == (dt.date(2026, 2, 8), True)
