"""Dossiers (issue 10): a case over time, judged as of a date, by both engines alike."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, get_args

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dossier_strategies import dossiers
from meldcode_rules import evaluate as evaluate_api
from meldcode_rules.case.dossier import EVENT_MODELS
from meldcode_rules.check import run_check
from meldcode_rules.check.report import render_finding
from meldcode_rules.check.targets import targets
from meldcode_rules.cli.main import main
from meldcode_rules.diagnostics import CaseError, Code, RulesetError
from meldcode_rules.dossier import Dossier, evaluate, parse_dossier
from meldcode_rules.engines import durable_available
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.sectors.registry import compile_from, known_sectors, versions_of

ENGINES = ["durable", "reference"] if durable_available() else ["reference"]
SECTORS: tuple[str | None, ...] = (None, *known_sectors())
D = dt.date

HULP = {
    "dossier_id": "T-1",
    "gebeurtenissen": [
        {
            "soort": "afweging",
            "datum": "2026-01-10",
            "vermoeden": "ja",
            "structurele_onveiligheid": "ja",
            "hulp_mogelijk": "ja",
            "hulp_aanvaard": "ja",
        },
        {"soort": "melding", "datum": "2026-01-10", "door": "mij"},
        {"soort": "ontvangst_bevestigd", "datum": "2026-01-11"},
        {"soort": "hulp_gestart", "datum": "2026-01-15", "evaluatiedatum": "2026-02-26"},
    ],
}


def _actie(judgement: Any, code: str) -> Any:
    (actie,) = [a for a in judgement.acties if a.code == code]
    return actie


# ---------------------------------------------------------------- the model


def test_a_plain_case_is_a_dossier_of_one_moment() -> None:
    case = {
        "datum": "2026-03-01",
        "vormen": ["kindermishandeling"],
        "afweging": {"vermoeden": "ja", "hulp_mogelijk": "nee"},
    }
    dossier = parse_dossier(case)
    assert isinstance(dossier, Dossier)
    assert [e.soort for e in dossier.gebeurtenissen] == ["momentopname"]
    plain, over_time = evaluate_api(case, engine="reference"), evaluate(dossier, engine="reference", op=D(2026, 3, 1))
    for field in ("melden", "besluit", "stap", "open_vragen", "vastleggen", "redenering", "datum"):
        assert getattr(plain, field) == getattr(over_time, field), field
    assert [a.code for a in plain.acties] == [a.code for a in over_time.acties]


def test_plain_case_output_is_unchanged_by_the_new_fields() -> None:
    judgement = evaluate_api({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}, engine="reference")
    assert judgement.tijdfeiten == () and judgement.tegenstrijdigheden == () and judgement.dossier_id is None
    assert all(a.telt_vanaf is None and a.verlopen is None for a in judgement.acties)


def test_unknown_soort_and_field_name_the_nearest_spelling() -> None:
    with pytest.raises(CaseError) as error:
        parse_dossier({"gebeurtenissen": [{"soort": "signal", "datum": "2026-01-01"}]})
    assert "gebeurtenissen.1.soort" in str(error.value) and "`signaal`" in str(error.value)
    with pytest.raises(CaseError) as error:
        parse_dossier(
            {"gebeurtenissen": [{"soort": "hulp_gestart", "datum": "2026-01-01", "evaluatiedatm": "2026-02-01"}]}
        )
    # the place of the unknown field, never its name (a key may be pasted case text), and the hint
    assert "gebeurtenissen.1.…" in str(error.value) and "`evaluatiedatum`" in str(error.value)
    assert "evaluatiedatm" not in str(error.value)


@pytest.mark.parametrize("veld", ["sector", "datum"])
def test_a_momentopname_with_a_sector_or_datum_in_its_case_facts_is_refused_at_it(veld: str) -> None:
    # Ignored, a sector there would judge the case without its sector's duties (docs/vocabulary.md)
    casus = {"vormen": ["kindermishandeling"], veld: "onderwijs" if veld == "sector" else "2026-01-01"}
    data = {"gebeurtenissen": [{"soort": "momentopname", "datum": "2026-01-02", "casus": casus}]}
    for engine in ENGINES:
        with pytest.raises(CaseError) as error:
            evaluate(data, engine=engine, op=D(2026, 3, 1))
        assert [str(p).split(":")[0] for p in error.value.problems] == ["`gebeurtenissen.1.casus`"]
        assert f"`{veld}` hoort bij het dossier" in str(error.value) and str(casus[veld]) not in str(error.value)
    # a plain case with both is a dossier of one moment, as before
    plain = evaluate({"sector": "onderwijs", "datum": "2026-01-02", "vormen": ["vgv"]}, op=D(2026, 3, 1))
    assert plain.sector == "onderwijs"


@pytest.mark.parametrize("wrong", ["unknown fields", "after the peildatum"])
def test_many_problems_in_a_dossier_are_capped_with_a_count(wrong: str) -> None:
    # as for a case (docs/limits.md): the first MAX_PROBLEMS, then how many more
    from meldcode_rules import limits

    count = limits.MAX_PROBLEMS + 15
    if wrong == "unknown fields":
        events = [{"soort": "signaal", "datum": "2026-01-01", f"veld{n}": "ja"} for n in range(count)]
    else:
        events = [{"soort": "signaal", "datum": "2026-05-01"} for _ in range(count)]
    with pytest.raises(CaseError) as error:
        evaluate({"gebeurtenissen": events}, engine="reference", op=D(2026, 2, 1))
    problems = error.value.problems
    assert len(problems) == limits.MAX_PROBLEMS + 1
    assert str(problems[-1]) == "en nog 15 problemen of meer"


@pytest.mark.parametrize(
    ("field", "value"), [("datum", "2026-02-30"), ("incidentdatum", "2026-02-30T10:00"), ("datum", "2025-04-31")]
)
def test_a_moment_that_does_not_exist_is_one_problem_at_its_field(field: str, value: str) -> None:
    # pydantic answers once per member of the union (date | datetime), each at the member's
    # name: one problem at the field itself, as for a case, and never the value
    event = {"soort": "signaal", "datum": "2026-01-01", field: value}
    with pytest.raises(CaseError) as error:
        parse_dossier({"gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-01"}, event]})
    assert len(error.value.problems) == 1
    problem = str(error.value.problems[0])
    assert problem.startswith(f"`gebeurtenissen.2.{field}`: ") and "bestaat niet" in problem
    assert value not in str(error.value) and "…" not in problem


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (
            {"gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-01", "Jan Jansen, BSN 123456789": "ja"}]},
            "gebeurtenissen.1.…",
        ),
        ({"gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-01"}], "Jan Jansen, BSN 123456789": 1}, "`…`"),
        (
            {
                "gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-01"}],
                "sectorfeiten": {"Jan Jansen, BSN 123456789": "ja"},
            },
            "sectorfeiten.…",
        ),
        (
            {
                "gebeurtenissen": [
                    {"soort": "afweging", "datum": "2026-01-01", "vermoeden": {"Jan Jansen, BSN 123456789": 1}}
                ]
            },
            "gebeurtenissen.1.vermoeden",
        ),
    ],
)
def test_an_unknown_key_is_placed_never_repeated(data: dict[str, Any], where: str) -> None:
    # Found by the dossier fuzzer (tests/fuzz_inputs.py): the dossier's messages showed every key
    # of the path, where a case's show known field names only; an unknown key may be pasted text.
    for judge in (parse_dossier, lambda d: evaluate(d, op=D(2026, 3, 1))):
        with pytest.raises(CaseError) as error:
            judge(data)
        text = str(error.value)
        assert where in text and "Jan" not in text and "123456789" not in text


def test_an_event_after_the_peildatum_names_position_and_field_never_the_value() -> None:
    data = {
        "gebeurtenissen": [
            {"soort": "signaal", "datum": "2026-01-01"},
            {"soort": "signaal", "datum": "2026-01-02", "incidentdatum": "2026-02-17"},
        ]
    }
    with pytest.raises(CaseError) as error:
        evaluate(data, op=D(2026, 1, 20))
    text = str(error.value)
    assert "gebeurtenissen.2.incidentdatum" in text and "peildatum" in text
    assert "2026-02-17" not in text and "2026-01-02" not in text


def test_events_out_of_order_are_sorted_and_none_is_dropped() -> None:
    from meldcode_rules.dossier.oordeel import judge_dossier

    events = list(reversed(HULP["gebeurtenissen"]))

    def summary(judgement: Any) -> list[Any]:
        return [judgement.melden, judgement.besluit, [(a.code, a.deadline, a.verlopen) for a in judgement.acties]]

    shuffled = evaluate({"gebeurtenissen": events}, engine="reference", op=D(2026, 3, 5))
    assert summary(shuffled) == summary(evaluate(HULP, engine="reference", op=D(2026, 3, 5)))
    beoordeeld = judge_dossier(parse_dossier({"gebeurtenissen": events}), engine="reference", op=D(2026, 3, 5))
    # by date; on one day (the 10th) in the order of the file, which is reversed here
    assert [i.positie for i in beoordeeld.afleiding.ingangen] == [3, 4, 2, 1]
    assert [i.soort for i in beoordeeld.afleiding.ingangen] == [
        "melding",
        "afweging",
        "ontvangst_bevestigd",
        "hulp_gestart",
    ]


def test_same_day_contradiction_later_in_file_wins_and_is_listed() -> None:
    data = {
        "gebeurtenissen": [
            {"soort": "afweging", "datum": "2026-01-10", "vermoeden": "ja", "acute_onveiligheid": "ja"},
            {"soort": "afweging", "datum": "2026-01-10", "acute_onveiligheid": "nee"},
        ]
    }
    judgement = evaluate(data, engine="reference", op=D(2026, 1, 11))
    (t,) = judgement.tegenstrijdigheden
    assert (t.feit, t.eerste.positie, t.geldt.positie) == ("afweging.acute_onveiligheid", 1, 2)
    assert "meldnorm1-acute-onveiligheid" not in [r.regel for r in judgement.redenering]


def test_later_answer_on_a_later_day_is_no_contradiction() -> None:
    data = {
        "gebeurtenissen": [
            {"soort": "afweging", "datum": "2026-01-10", "acute_onveiligheid": "nee"},
            {"soort": "afweging", "datum": "2026-01-12", "vermoeden": "ja", "acute_onveiligheid": "ja"},
        ]
    }
    judgement = evaluate(data, engine="reference", op=D(2026, 1, 12))
    assert judgement.tegenstrijdigheden == () and judgement.melden == "ja"


# ---------------------------------------------------------------- judged as of a date


@pytest.mark.parametrize("engine", ENGINES)
def test_reassessment_overdue_in_melden_en_hulp_and_more_overdue_a_week_later(engine: str) -> None:
    before = evaluate(HULP, engine=engine, op=D(2026, 2, 20))
    assert before.besluit == "melden_en_hulp"
    assert _actie(before, "herbeoordelen").verlopen is False
    first = evaluate(HULP, engine=engine, op=D(2026, 3, 5))
    later = evaluate(HULP, engine=engine, op=D(2026, 3, 12))
    for judgement, days in ((first, 7), (later, 14)):
        actie = _actie(judgement, "herbeoordelen")
        assert (actie.deadline, actie.verlopen, actie.dagen_verlopen) == (D(2026, 2, 26), True, days)
        assert (actie.telt_vanaf.positie, actie.telt_vanaf.soort) == (4, "hulp_gestart")
    # my own report is done: its action is not overdue
    assert _actie(first, "melden_veilig_thuis").voldaan.positie == 2


def test_reassessment_after_evaluation_counts_from_the_evaluation() -> None:
    data = {
        "gebeurtenissen": [
            *HULP["gebeurtenissen"],
            {"soort": "hulp_geevalueerd", "datum": "2026-02-26", "veilig": None, "termijn": "4 weken"},
        ]
    }
    actie = _actie(evaluate(data, engine="reference", op=D(2026, 3, 5)), "herbeoordelen")
    assert (actie.deadline, actie.verlopen, actie.telt_vanaf.soort) == (D(2026, 3, 26), False, "hulp_geevalueerd")


def test_help_without_a_start_event_is_onbekend_never_not_overdue() -> None:
    data = {"gebeurtenissen": [HULP["gebeurtenissen"][0]]}
    judgement = evaluate(data, engine="reference", op=D(2026, 6, 1))
    assert _actie(judgement, "herbeoordelen").verlopen == "onbekend"
    feiten = {f.feit: f.waarde for f in judgement.tijdfeiten}
    assert feiten["tijd.herbeoordeling_verlopen"] == "onbekend"


@pytest.mark.parametrize("engine", ENGINES)
def test_csg_deadline_counts_from_the_incident_and_the_action_goes_when_it_closes(engine: str) -> None:
    def judged(op: dt.date, incident: str | None) -> Any:
        event = {"soort": "signaal", "datum": "2026-03-03", "vormen": ["seksueel_geweld"]}
        if incident:
            event["incidentdatum"] = incident
        return evaluate({"gebeurtenissen": [event]}, engine=engine, op=op)

    open_ = _actie(judged(D(2026, 3, 4), "2026-02-28"), "centrum_seksueel_geweld_inschakelen")
    assert (open_.deadline, open_.verlopen, open_.telt_vanaf.veld) == (D(2026, 3, 7), False, "incidentdatum")
    closed = judged(D(2026, 3, 10), "2026-02-28")
    assert "centrum_seksueel_geweld_inschakelen" not in [a.code for a in closed.acties]
    # no incident date: unknown, so the action stays (never silently dropped)
    unknown = judged(D(2030, 1, 1), None)
    assert "centrum_seksueel_geweld_inschakelen" in [a.code for a in unknown.acties]


def test_receipt_unconfirmed_after_its_term_is_visibly_overdue() -> None:
    data = {"gebeurtenissen": [HULP["gebeurtenissen"][0], HULP["gebeurtenissen"][1]]}
    actie = _actie(evaluate(data, engine="reference", op=D(2026, 1, 30)), "ontvangst_controleren")
    assert (actie.deadline, actie.verlopen, actie.dagen_verlopen) == (D(2026, 1, 16), True, 14)


# ---------------------------------------------------------------- properties


def _comparable(judgement: Any) -> dict[str, Any]:
    return judgement.model_dump(mode="json", exclude={"engine"})


@pytest.mark.skipif(len(ENGINES) < 2, reason="durable-rules is not installed on this Python")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(sectors=SECTORS))
def test_engines_give_identical_judgements_for_dossiers(generated: tuple[dict[str, Any], dt.date]) -> None:
    data, op = generated
    assert _comparable(evaluate(data, engine="durable", op=op)) == _comparable(
        evaluate(data, engine="reference", op=op)
    )


@settings(max_examples=40, deadline=None)
@given(dossiers(sectors=SECTORS), st.sampled_from(["acute_onveiligheid", "structurele_onveiligheid"]), st.data())
def test_a_prior_report_by_another_never_lowers_my_duty_at_any_date(
    generated: tuple[dict[str, Any], dt.date], norm: str, data: st.DataObject
) -> None:
    dossier, op = generated
    last = {"soort": "afweging", "datum": op.isoformat(), "vermoeden": "ja", norm: "ja"}
    other = {"soort": "melding", "datum": op.isoformat(), "door": "ander"}
    base = {**dossier, "gebeurtenissen": [*dossier["gebeurtenissen"], last]}
    later = data.draw(st.dates(op, op + dt.timedelta(days=800)))
    with_other = {**dossier, "gebeurtenissen": [*dossier["gebeurtenissen"], other, last]}
    for when in (op, later):
        assert evaluate(base, engine="reference", op=when).melden == "ja"
        judged = evaluate(with_other, engine="reference", op=when)
        assert judged.melden == "ja" and "melden_veilig_thuis" in [a.code for a in judged.acties]


@settings(max_examples=40, deadline=None)
@given(dossiers(), st.integers(1, 400))
def test_overdue_only_grows_with_the_date(generated: tuple[dict[str, Any], dt.date], days: int) -> None:
    data, op = generated
    now, later = (
        evaluate(data, engine="reference", op=op),
        evaluate(data, engine="reference", op=op + dt.timedelta(days=days)),
    )
    late = {a.code: a for a in later.acties}
    for actie in now.acties:
        if actie.verlopen is True and actie.code in late and late[actie.code].telt_vanaf == actie.telt_vanaf:
            assert late[actie.code].verlopen is True
            assert late[actie.code].dagen_verlopen == actie.dagen_verlopen + days


@settings(max_examples=40, deadline=None)
@given(dossiers())
def test_a_missing_date_is_never_not_overdue(generated: tuple[dict[str, Any], dt.date]) -> None:
    data, op = generated
    judgement = evaluate(data, engine="reference", op=op)
    for actie in judgement.acties:
        # "not overdue" needs a date it counts from, or an event that shows the action was done
        if actie.verlopen is False and actie.voldaan is None:
            assert actie.deadline is not None and actie.telt_vanaf is not None
    for feit in judgement.tijdfeiten:
        if feit.waarde != "onbekend" and feit.feit != "tijd.patroon_zonder_consultatie":
            assert feit.telt_vanaf is not None


# ---------------------------------------------------------------- check proves the time invariants


def test_check_finds_an_overdue_reassessment_made_silent(rulesets: Path) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("  - id: tijd-herbeoordeling-verlopen\n")
    end = text.index("  - id: meldnorm3-hulp-niet-effectief\n")
    file.write_text(text[:start] + text[end:], encoding="utf-8")
    report = run_check([file])  # the basismodel alone: the sectors add nothing to this proof
    codes = {(f.code, "herbeoordeling-verlopen-nooit-stil" in f.message) for f in report.findings}
    assert ("MC200", True) in codes


def test_time_rules_are_checked_with_locations(rulesets: Path) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace(
        "start: [{soort: hulp_afgesloten, waar: {afspraak_wie_contact_houdt: [nee, onbekend]}}]",
        "start: [{soort: hulp_afgeslote, waar: {afspraak_wie_contact_houdt: [nee, onbekend]}}]",
    )
    text = text.replace("    vanaf: incidentdatum\n", "    vanaf: incidentdatm\n")
    text = text.replace("    min_aantal: 3\n    min_herkomsten: 2\n", "")  # a pattern without counts
    text = text.replace("  - feit: tijd.signaal_na_afsluiting\n", "  - feit: tijd.csg_venster_open\n")
    file.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        compile_from([rulesets])
    rendered = str(error.value)
    assert "MR061" in rendered and "hulp_afgesloten" in rendered
    assert "MR062" in rendered and "incidentdatum" in rendered
    assert "MR063" in rendered and "min_aantal" in rendered
    assert "MR060" in rendered and "tijd.csg_venster_open" in rendered


# ---------------------------------------------------------------- CLI and batch


def test_cli_evaluate_explain_and_batch_take_dossiers(tmp_path: Path) -> None:
    file = tmp_path / "d.json"
    file.write_text(json.dumps(HULP), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", str(file), "--op", "2026-03-05", "--format", "json", "-e", "reference"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    (herbeoordelen,) = [a for a in out["acties"] if a["code"] == "herbeoordelen"]
    assert herbeoordelen["verlopen"] is True and herbeoordelen["dagen_verlopen"] == 7
    result = runner.invoke(main, ["explain", str(file), "--op", "2026-03-05", "-e", "reference"])
    assert result.exit_code == 0, result.output
    assert "Tijdlijn van dossier T-1" in result.output and "#4  2026-01-15  hulp_gestart" in result.output
    assert "herbeoordelen: deadline 2026-02-26, 7 dag(en) verlopen" in result.output
    result = runner.invoke(main, ["batch", "--op", "2026-03-05", "-e", "reference"], input=json.dumps(HULP) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["dossier_id"] == "T-1"
    late = runner.invoke(main, ["evaluate", str(file), "--op", "2026-01-01"])
    assert late.exit_code == 2 and "peildatum" in late.output


def test_render_draws_the_time_rules() -> None:
    from meldcode_rules.explain.render import render
    from meldcode_rules.sectors.registry import compiled_for

    compiled = compiled_for()
    markdown, page = render(compiled, "markdown"), render(compiled, "html")
    assert "## Tijdregels (dossiers)" in markdown and "<h2>Tijdregels (dossiers)</h2>" in page
    for regel in compiled.tijdregels:
        assert f"`{regel.feit}`" in markdown and regel.feit in page
    assert "-->|deadline van| " in markdown and "standaard van meldcode-rules" in markdown


@settings(max_examples=150, deadline=None)
@given(dossiers(sectors=SECTORS))
def test_the_fast_reader_builds_what_pydantic_builds(generated: tuple[dict[str, Any], dt.date]) -> None:
    from meldcode_rules.dossier.reader import read_dossier

    data, _op = generated
    read = read_dossier(data)
    assert read is not None  # generated dossiers are of the plain shape: the reader must not decline them all
    validated = Dossier.model_validate(data)
    assert read == validated
    for mine, theirs in zip(read.gebeurtenissen, validated.gebeurtenissen, strict=True):
        assert list(mine.__dict__) == list(theirs.__dict__) and mine.model_fields_set == theirs.model_fields_set


@settings(max_examples=80, deadline=None)
@given(dossiers(sectors=SECTORS))
def test_derived_facts_read_straight_into_flat_facts_equal_the_validated_case(
    generated: tuple[dict[str, Any], dt.date],
) -> None:
    from meldcode_rules.case.flat_reader import reader_for
    from meldcode_rules.dossier.derive import _case_data, case_of, derive, flat_of
    from meldcode_rules.sectors.registry import compiled_for

    data, op = generated
    dossier = parse_dossier(data)
    catalog = compiled_for(dossier.sector, datum=op, veld="op").catalog
    afleiding = derive(dossier, op)
    # generated dossiers are plain: the shortcut must be taken, not only fall back
    assert reader_for(catalog).read(_case_data(afleiding, dossier, op)) is not None
    assert flat_of(afleiding, dossier, catalog, op) == catalog.flatten(case_of(afleiding, dossier, catalog.model, op))


@pytest.mark.parametrize(
    "bad",
    [
        {"soort": "signaal", "datum": "2026-02-30"},
        {"soort": "signaal", "datum": "2026-01-01T10:00+01:00"},
        {"soort": "signaal", "datum": "2026-01-01", "vormen": ["vgv", "onzin"]},
        {"soort": "melding", "datum": "2026-01-01"},
        {"soort": "melding", "datum": "2026-01-01", "door": None},
        {"soort": "afweging", "datum": "2026-01-01", "vermoeden": 1},
        {"soort": "hulp_gestart", "datum": "2026-01-01", "termijn": "zes weken"},
        {"soort": "signal", "datum": "2026-01-01"},
    ],
)
def test_the_fast_reader_declines_what_it_does_not_mirror(bad: dict[str, Any]) -> None:
    from meldcode_rules.dossier.reader import read_dossier

    assert read_dossier({"gebeurtenissen": [bad]}) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"soort": "signaal", "datum": "2026-02-30"},
        {"soort": "signaal", "datum": "2026-01-01T10:00+01:00"},
        {"soort": "signaal", "datum": "2026-01-01", "vormen": ["vgv", "onzin"]},
        {"soort": "signaal", "datum": "2026-01-01", "vormen": None},
        {"soort": "melding", "datum": "2026-01-01"},
        {"soort": "melding", "datum": "2026-01-01", "door": None},
        {"soort": "afweging", "datum": "2026-01-01", "vermoeden": 1},
        {"soort": "afweging", "datum": "2026-01-01", "vermoeden": True},  # the hand reader reads this one
        {"soort": "hulp_gestart", "datum": "2026-01-01", "termijn": "zes weken"},
        {"soort": "hulp_gestart", "datum": "2026-01-01", "termijn": "x 6 weken"},
        {"soort": "hulp_gestart", "datum": "2026-01-01", "hulpvorm": "Vrij"},
        {"soort": "signal", "datum": "2026-01-01"},
        {"soort": "momentopname", "datum": "2026-01-01", "casus": {}},
        {"datum": "2026-01-01"},
    ],
)
def test_the_light_read_declines_what_msgspec_does_not_mirror(bad: dict[str, Any]) -> None:
    from meldcode_rules.dossier.reader import read_light

    assert read_light({"gebeurtenissen": [bad]}) is None


_GESLOTEN = {"soort": "zaak_afgesloten", "datum": "2026-01-01"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"gebeurtenissen": [{"soort": "hulp_gestart", "datum": "2026-01-01", "hulpvorm": "ggz\n"}]}, "hulpvorm"),
        ({"gebeurtenissen": [{"soort": "hulp_gestart", "datum": "2026-01-01", "termijn": "6 weken\n"}]}, "termijn"),
        ({"gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-01T10:00\n"}]}, "datum"),
        ({"dossier_id": "D-1\n", "gebeurtenissen": [_GESLOTEN]}, "dossier_id"),
        ({"organisatie": "o-1\n", "gebeurtenissen": [_GESLOTEN]}, "organisatie"),
    ],
)
def test_a_final_newline_is_refused_as_pydantic_refuses_it(data: dict[str, Any], field: str) -> None:
    from meldcode_rules.dossier.reader import read_dossier, read_light

    # `$` in a Python pattern also matches before a final newline; pydantic's does not
    assert read_dossier(data) is None and read_light(data) is None
    with pytest.raises(CaseError) as error:
        evaluate(data, engine="reference", op=D(2026, 2, 1))
    given = data[field] if field in data else data["gebeurtenissen"][0][field]
    assert field in error.value.problems[0] and given.strip() not in str(error.value)  # never the value


@pytest.mark.parametrize(
    "moment",
    [None, "2026-01-05T10:30", "2026-01-05T00:00", D(2026, 1, 5), "2026-02-30", "2026-01-05T10:30+01:00", 20260105],
)
def test_the_light_read_of_days_and_of_date_times_gives_what_pydantic_gives(moment: object) -> None:
    # Days only are read by msgspec as days; one date-time (or anything else) sends every
    # moment through the text reader: the same fields as the models, or declined.
    from meldcode_rules.dossier.reader import read_light

    events: list[dict[str, Any]] = [
        {"soort": "signaal", "datum": "2026-01-02", "incidentdatum": "2026-01-01", "vormen": ["seksueel_geweld"]},
        {"soort": "hulp_gestart", "datum": "2026-01-03", "evaluatiedatum": "2026-02-14"},
        {"soort": "hulp_geevalueerd", "datum": "2026-01-04", "veilig": "nee", "evaluatiedatum": "2026-03-01"},
    ]
    if moment is not None:
        events.append({"soort": "signaal", "datum": moment})
    data = {"gebeurtenissen": events}
    light = read_light(data)
    try:
        validated = Dossier.model_validate(data)
    except ValidationError:
        assert light is None  # pydantic refuses it: the light read must decline it, never read it
        return
    assert light is not None
    for fields, model in zip(light.gebeurtenissen, validated.gebeurtenissen, strict=True):
        assert fields == model.__dict__
        assert {k: type(v) for k, v in fields.items()} == {k: type(v) for k, v in model.__dict__.items()}


def test_what_msgspec_refuses_the_hand_reader_still_reads() -> None:
    from meldcode_rules.dossier.reader import read_dossier, read_light

    data = {"gebeurtenissen": [{"soort": "afweging", "datum": "2026-01-01", "vermoeden": True, "hulp_mogelijk": False}]}
    assert read_light(data) is None
    read = read_dossier(data)
    assert read is not None and read == Dossier.model_validate(data)
    assert evaluate(data, engine="reference", op=D(2026, 2, 1)) == evaluate(read, engine="reference", op=D(2026, 2, 1))


@settings(max_examples=150, deadline=None)
@given(dossiers(sectors=SECTORS))
def test_the_light_read_gives_the_fields_the_models_hold(generated: tuple[dict[str, Any], dt.date]) -> None:
    from meldcode_rules.dossier.reader import read_light

    data, op = generated
    light = read_light(data)
    assert light is not None  # generated dossiers are plain: the light read must take them
    validated = Dossier.model_validate(data)
    assert light.dossier() == validated
    for fields, model in zip(light.gebeurtenissen, validated.gebeurtenissen, strict=True):
        assert fields == model.__dict__
        assert {k: type(v) for k, v in fields.items()} == {k: type(v) for k, v in model.__dict__.items()}
    for engine in ENGINES:
        try:
            from_model = evaluate(validated, engine=engine, op=op).model_dump_json()
        except CaseError as error:
            with pytest.raises(CaseError) as again:
                evaluate(data, engine=engine, op=op)
            assert again.value.problems == error.problems
            continue
        assert evaluate(data, engine=engine, op=op).model_dump_json() == from_model


@pytest.mark.parametrize("referentie", ["zaak-1", "z" * 200, "", "z" * 201, 7])
def test_a_dossier_takes_a_referentie_as_a_case_does(referentie: object) -> None:
    from meldcode_rules.dossier.reader import read_dossier

    data = {**HULP, "referentie": referentie}
    valid = isinstance(referentie, str) and 1 <= len(referentie) <= 200
    read = read_dossier(data)
    if not valid:
        assert read is None  # declined: pydantic names the field, never the value
        with pytest.raises(CaseError) as error:
            parse_dossier(data)
        assert error.value.problems[0].startswith("`referentie`")
        return
    assert read == Dossier.model_validate(data) and read.referentie == referentie
    oordeel = evaluate(data, engine="reference", op=D(2026, 2, 1))
    assert oordeel.referentie == referentie  # passed through, as for a case
    assert oordeel.model_copy(update={"referentie": None}) == evaluate(HULP, engine="reference", op=D(2026, 2, 1))


@settings(max_examples=60, deadline=None)
@given(dossiers(sectors=SECTORS))
def test_judgements_built_without_revalidation_equal_validated_ones(generated: tuple[dict[str, Any], dt.date]) -> None:
    from meldcode_rules.judge.judgement import Judgement

    data, op = generated
    judgement = evaluate(data, engine="reference", op=op)
    assert Judgement.model_validate(judgement.model_dump()) == judgement
    # in the model's field order: the order of its output
    assert list(judgement.__dict__) == list(Judgement.model_fields)


def test_a_plain_case_dated_after_the_peildatum_names_its_datum() -> None:
    with pytest.raises(CaseError) as error:
        evaluate_api({"datum": "2026-05-01", "afweging": {"vermoeden": "ja"}}, op=D(2026, 4, 1))
    assert "`datum`: ligt na de peildatum" in str(error.value) and "2026-05-01" not in str(error.value)


def test_a_plain_case_judged_op_a_date_counts_its_deadlines_from_its_datum() -> None:
    case = {"datum": "2026-01-05", "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
    actie = _actie(evaluate_api(case, engine="reference", op=D(2026, 1, 9)), "melden_veilig_thuis")
    assert (actie.deadline, actie.verlopen, actie.dagen_verlopen) == (D(2026, 1, 5), True, 4)
    assert actie.telt_vanaf.soort == "momentopname"


def test_a_counterexample_with_time_facts_comes_with_a_dossier_that_gives_it(rulesets: Path) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    # Without the overdue rule alone the invariant fails only on cases no dossier gives (an
    # overdue clock also runs, and the running-clock rule asks the re-assessment): said so.
    start = text.index("  - id: tijd-herbeoordeling-verlopen\n")
    end = text.index("  - id: meldnorm3-hulp-niet-effectief\n")
    file.write_text(text[:start] + text[end:], encoding="utf-8")
    (finding,) = [f for f in run_check([file]).findings if "herbeoordeling-verlopen-nooit-stil" in f.message]
    assert any(d.startswith("geen dossier geeft deze combinatie van feiten over tijd") for d in finding.details)
    assert finding.tegenvoorbeeld_dossier is None
    assert "geen scenario" in render_finding(finding)  # not offered as something to paste
    # Without both time rules a dossier shows it: help started long ago, no action.
    start = text.index("  - id: tijd-herbeoordeling-loopt\n")
    file.write_text(text[:start] + text[end:], encoding="utf-8")
    (finding,) = [f for f in run_check([file]).findings if "herbeoordeling-verlopen-nooit-stil" in f.message]
    assert finding.tegenvoorbeeld_dossier is not None and finding.tegenvoorbeeld_dossier["getuige"] is True
    op = D.fromisoformat(finding.tegenvoorbeeld_dossier["op"])
    dossier = finding.tegenvoorbeeld_dossier["dossier"]
    compiled = compile_from([file])
    judgement = evaluate(dossier, engine="reference", op=op, ruleset=compiled)
    assert {f.feit: f.waarde for f in judgement.tijdfeiten}["tijd.herbeoordeling_verlopen"] == "ja"
    assert "herbeoordelen" not in [a.code for a in judgement.acties]  # the defect, shown as events


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_witness_dossier_gives_exactly_the_time_facts_asked_for(data: st.DataObject) -> None:
    from meldcode_rules.dossier.getuige import dossier_for
    from meldcode_rules.sectors.registry import compiled_for

    compiled = compiled_for()
    wanted = {r.feit: data.draw(st.sampled_from(("ja", "nee", "onbekend")), label=r.feit) for r in compiled.tijdregels}
    assignment = {compiled.catalog[f].key(): v for f, v in wanted.items()}
    found = dossier_for(compiled, assignment)
    if found is None:
        return  # not every combination of the finite space is a dossier (a stopped clock cannot be overdue)
    dossier, op = found
    judgement = evaluate(dossier, engine="reference", op=op)
    assert {f.feit: f.waarde for f in judgement.tijdfeiten} == wanted


@settings(max_examples=80, deadline=None)
@given(dossiers(sectors=SECTORS, max_events=5, low=dt.date(1, 1, 1), high=dt.date(9999, 12, 31)))
def test_any_date_ends_in_a_judgement(generated: tuple[dict[str, Any], dt.date]) -> None:
    # The first and last representable days included: never an overflow, never a traceback.
    # A peildatum before every version of the rulesets is refused (MV020 naming `op`), never
    # judged by a later version (docs/ruleset-format.md, versions by date).
    data, op = generated
    sector = data.get("sector") if isinstance(data.get("sector"), str) else None
    # the first day on which the sector's ruleset and the basismodel both have a version
    first = max(min(vanaf for _versie, vanaf, _tot in versions_of(s)) for s in {None, sector})
    for engine in ENGINES:
        try:
            assert evaluate(data, engine=engine, op=op).melden in ("ja", "nee", "onbekend")
        except CaseError as error:
            (problem,) = error.diagnostics
            assert (problem.code, problem.location.path) == (Code.MV020, "op")
            assert op < first, "only a peildatum before the first version is refused"


def test_an_action_whose_facts_no_event_set_counts_from_the_first_event() -> None:
    # Only a signal, and nobody asked Veilig Thuis: what the advice's rule tests has been so since
    # the dossier began, so the advice (direct) was due from the signal, 27 days before; never
    # from the peildatum (which would never be overdue) and never left unknown (seed 000: a
    # signal that stays lying around is what the inspections found).
    judgement = evaluate({"gebeurtenissen": [{"soort": "signaal", "datum": "2026-01-05"}]}, op=D(2026, 2, 1))
    actie = _actie(judgement, "veilig_thuis_raadplegen")
    assert actie.telt_vanaf is not None and (actie.telt_vanaf.positie, actie.telt_vanaf.soort) == (1, "signaal")
    assert (actie.termijn, actie.deadline, actie.verlopen, actie.dagen_verlopen) == ("direct", D(2026, 1, 5), True, 27)
    # the first event in date order, wherever it stands in the file
    later = {"soort": "gesprek", "datum": "2026-01-20"}
    first = {"soort": "signaal", "datum": "2026-01-05"}
    actie = _actie(evaluate({"gebeurtenissen": [later, first]}, op=D(2026, 2, 1)), "veilig_thuis_raadplegen")
    assert actie.telt_vanaf is not None and actie.telt_vanaf.positie == 2 and actie.deadline == D(2026, 1, 5)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "ja", "2026-01-01", "signaal", "mij", "x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["soort", "datum", "door", "vormen", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(dossiers(), st.data())
def test_hostile_dossiers_end_in_a_judgement_or_a_clear_error(
    generated: tuple[dict[str, Any], dt.date], data: st.DataObject
) -> None:
    from meldcode_rules.diagnostics import MeldcodeError

    dossier, op = generated
    events = dossier["gebeurtenissen"]
    index = data.draw(st.integers(0, len(events) - 1))
    broken = dict(events[index])
    key = data.draw(st.sampled_from([*broken, "onbekend_veld"]))
    broken[key] = data.draw(_JSON)
    hostile = {**dossier, "gebeurtenissen": [*events[:index], broken, *events[index + 1 :]]}
    try:
        judgement = evaluate(hostile, engine="reference", op=op)
    except MeldcodeError as error:
        # never the value given (a date is the one value here that could identify a case)
        assert "2026-01-01" not in str(error)
        return
    assert judgement.melden in ("ja", "nee", "onbekend")


# ---------------------------------------------------------------- a prior report by another, proved


PAIR = "eerdere-melding-door-ander-verlaagt-nooit"


def _pair_findings(report: Any) -> list[Any]:
    found = [f for f in report.findings if PAIR in f.message]
    return found + [g for f in report.findings for g in f.gevolgen if PAIR in g.message]


def test_check_proves_a_prior_report_never_lowers_my_duty_exhaustively() -> None:
    from meldcode_rules.check.invariants import _check_pairs
    from meldcode_rules.check.space import tracking
    from meldcode_rules.sectors.registry import compiled_for

    for sector in [None, *sorted(known_sectors())]:
        compiled = compiled_for(sector)
        (inv,) = [i for i in compiled.invarianten if i.id == PAIR]
        with tracking() as spaces:
            assert _check_pairs(compiled, inv) == []
        assert spaces == [True], sector  # one space, a truth table: proved, not sampled


def test_check_fails_with_the_pair_when_a_prior_report_lowers_melden(rulesets: Path) -> None:
    # Meldnorm 2 made to hold only when nobody else reported: a prior report by another now
    # lowers `melden` from `ja` to what the safety net gives.
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    old = """        - {feit: afweging.hulp_mogelijk, is: nee}
    dan:
      melden: ja"""
    assert text.index(old) < text.index("\ninvarianten:")  # the first is the rule meldnorm2-geen-hulp-mogelijk
    lowered = old.replace("is: nee}", "is: nee}\n        - {feit: eerder_gemeld_door_ander, in: [nee, onbekend]}")
    file.write_text(text.replace(old, lowered, 1), encoding="utf-8")
    report = run_check([file], engine_agreement=False, warnings=False)
    assert not report.ok
    (finding,) = _pair_findings(report)
    assert finding.code == "MC200" and finding.proved is True
    assert finding.tegenvoorbeeld["eerder_gemeld_door_ander"] == "ja"
    assert finding.tegenvoorbeeld["afweging"]["hulp_mogelijk"] == "nee"
    assert "dezelfde casus met `eerder_gemeld_door_ander: nee` geeft `melden: ja`" in finding.details
    assert finding.oordeel["melden"] != "ja"


SECTOR_RULE = """
  - id: alleen-melden-als-niemand-meldde
    titel: Melden bij een verlopen herbeoordeling, als niemand anders al meldde
    bron: "Een fout voor de test: geen bron"
    uitleg: Een fout voor de test.
    als:
      alle:
        - {feit: afweging.vermoeden, is: ja}
        - {feit: eerder_gemeld_door_ander, in: [nee, onbekend]}
        - {feit: tijd.herbeoordeling_verlopen, is: ja}
    dan:
      melden: ja
      besluit: melden
      acties:
        - {code: melden_veilig_thuis, tekst: Meld bij Veilig Thuis.}
"""


def test_a_sector_rule_that_reports_only_if_nobody_did_is_caught_as_of_a_date_and_pastes_as_a_dossier(
    rulesets: Path, tmp_path: Path
) -> None:
    # The sector raises `melden` (so extend-never-weaken is silent), but only where no one else
    # reported, and only once a re-assessment is overdue: the pair proof names it, as of a date.
    file = rulesets / "onderwijs.yaml"
    text = file.read_text(encoding="utf-8")
    assert "\nregels:\n" in text
    file.write_text(text.replace("\nregels:\n", "\nregels:\n" + SECTOR_RULE, 1), encoding="utf-8")
    two = tmp_path / "two"
    two.mkdir()
    for name in ("basismodel.yaml", "onderwijs.yaml"):
        (two / name).write_text((rulesets / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(two), "--no-engine-agreement", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    everything = [*data["bevindingen"], *(g for f in data["bevindingen"] for g in f["gevolgen"])]
    (finding,) = [f for f in everything if PAIR in f["melding"]]
    assert finding["ruleset"] == "onderwijs" and finding["bewezen"] is True
    assert finding["tegenvoorbeeld"]["tijd"] == {"herbeoordeling_verlopen": "ja"}
    assert finding["tegenvoorbeeld"]["eerder_gemeld_door_ander"] == "ja"
    # Item 3: the text output pastes as a dossier scenario, which `meldcode-rules test` runs.
    text_out = CliRunner().invoke(main, ["check", str(two), "--no-engine-agreement"]).stdout
    block = text_out.split(f"invariant `{PAIR}`", 1)[1]
    head = "    kleinste tegenvoorbeeld als dossier (plak in een scenariobestand):\n"
    assert head in block, block[:2000]
    pasted = []
    for line in block.split(head, 1)[1].splitlines():
        if not line.startswith("      "):
            break
        pasted.append("    " + line[6:])
    assert pasted[0].startswith("    dossier:") and any(p.startswith("    op: ") for p in pasted)
    assert "tijd" not in "\n".join(pasted)  # the time facts come from the events
    scenario = tmp_path / "plak.yaml"
    oordeel = finding["oordeel"]
    scenario.write_text(
        "sector: onderwijs\nscenarios:\n  - naam: geplakt tegenvoorbeeld\n    bron: meldcode-rules check\n"
        + "\n".join(pasted)
        + f"\n    verwacht:\n      melden: {oordeel['melden']}\n      besluit: {oordeel['besluit']}\n",
        encoding="utf-8",
    )
    ran = CliRunner().invoke(main, ["test", str(scenario), "-r", str(two), "-e", "reference"])
    assert ran.exit_code == 0, ran.output
    assert "1 geslaagd, 0 mislukt" in ran.output
    # and the events give exactly the counterexample's time facts
    dossier = finding["tegenvoorbeeld_dossier"]
    compiled = dict(targets([two]).compiled)["onderwijs"]
    judged = evaluate(dossier["dossier"], engine="reference", op=D.fromisoformat(dossier["op"]), ruleset=compiled)
    assert {f.feit: f.waarde for f in judged.tijdfeiten}["tijd.herbeoordeling_verlopen"] == "ja"
    assert judged.melden == finding["oordeel"]["melden"]


def test_the_pair_invariant_names_only_tri_state_facts(rulesets: Path) -> None:
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    old = "      melden_niet_lager_dan_zonder: [eerder_gemeld_door_ander]\n"
    assert old in text
    file.write_text(text.replace(old, "      melden_niet_lager_dan_zonder: [vormen]\n"), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        compile_from([rulesets])
    assert "MR020" in str(error.value) and "`vormen` is geen ja/nee-feit" in str(error.value)


def test_check_catches_closing_again_on_the_afweging_from_before_a_new_signal(rulesets: Path) -> None:
    # Seed 002: the guard taken from afweging5-afsluiten-met-afspraken; the invariant fails with
    # a counterexample that pastes as a dossier (help closed, then a new signal).
    file = rulesets / "basismodel.yaml"
    text = file.read_text(encoding="utf-8")
    guard = (
        "        # En niet op een oude afweging als er na het afsluiten een nieuw signaal kwam.\n"
        "        - {feit: tijd.signaal_na_afsluiting, in: [nee, onbekend]}\n"
    )
    assert text.count(guard) == 1
    file.write_text(text.replace(guard, ""), encoding="utf-8")
    report = run_check([file], engine_agreement=False, warnings=False)
    everything = [*report.findings, *(g for f in report.findings for g in f.gevolgen)]
    (finding,) = [f for f in everything if "signaal-na-afsluiting-opnieuw-wegen" in f.message]
    # `besluit` stays `verder_met_stappen` (the time rule's, more protective, wins); the stale
    # action to close is what the mutant lets through
    assert finding.proved is True and "actie `afsluiten_en_vastleggen` staat er" in finding.message
    assert finding.tegenvoorbeeld["tijd"] == {"signaal_na_afsluiting": "ja"}
    scenario = finding.tegenvoorbeeld_dossier
    assert scenario is not None and scenario["getuige"] is True
    judged = evaluate(
        scenario["dossier"], engine="reference", op=D.fromisoformat(scenario["op"]), ruleset=compile_from([file])
    )
    assert "afsluiten_en_vastleggen" in [a.code for a in judged.acties]  # the defect, shown as events


def test_each_kind_of_event_is_tagged_with_its_own_soort() -> None:
    # EVENT_MODELS is read from the union the Dossier model validates by: the tag pydantic
    # picks a model by and the `soort` that model accepts must be one word.
    assert EVENT_MODELS  # the union was read
    for soort, model in EVENT_MODELS.items():
        assert get_args(model.model_fields["soort"].annotation) == (soort,)


@pytest.mark.parametrize(
    ("casus", "where"),
    [
        ({"afweging": {"vermoeden": "Jan Jansen"}}, "`gebeurtenissen.2.casus.afweging.vermoeden`"),
        ({"kindcheck": {"problematiek": ["Jan Jansen"]}}, "`gebeurtenissen.2.casus.kindcheck.problematiek.0`"),
        ({"Jan Jansen": "ja"}, "`gebeurtenissen.2.casus`"),
    ],
)
def test_a_momentopname_with_wrong_case_facts_is_a_located_error_without_the_value(
    casus: dict[str, Any], where: str
) -> None:
    # Its facts are validated once folded, by the case model: an error there named the event
    # by adding text to a located problem, and failed with a TypeError instead.
    data = {
        "sector": "gezondheidszorg",
        "gebeurtenissen": [
            {"soort": "signaal", "datum": "2025-12-01"},
            {"soort": "momentopname", "datum": "2026-01-01", "casus": casus},
        ],
    }
    for engine in ENGINES:
        with pytest.raises(CaseError) as error:
            evaluate(data, engine=engine, op=D(2026, 2, 1))
        assert [p.split(":")[0] for p in error.value.problems] == [where]
        assert "Jan" not in str(error.value)


def test_a_peildatum_of_a_date_subclass_is_judged_as_the_plain_date() -> None:
    class Dag(dt.date):
        pass

    assert evaluate(HULP, engine="reference", op=Dag(2026, 2, 1)) == evaluate(
        HULP, engine="reference", op=D(2026, 2, 1)
    )


@pytest.mark.parametrize(
    ("events", "where"),
    [
        (
            [
                {"soort": "afweging", "datum": "2026-01-01", "hulp_aanvaard": "ja"},
                {"soort": "momentopname", "datum": "2026-01-02", "casus": {"afweging": {"hulp_aanvaard": {"x": "ja"}}}},
            ],
            "gebeurtenissen.2.casus.afweging.hulp_aanvaard",
        ),
        (
            [
                {"soort": "momentopname", "datum": "2026-01-01", "casus": {"kindcheck": ["ja"]}},
                {"soort": "kindcheck", "datum": "2026-01-02", "zwanger": "ja"},
            ],
            "gebeurtenissen.1.casus.kindcheck",
        ),
        (
            [
                {"soort": "kindcheck", "datum": "2026-01-02", "zwanger": "ja"},
                {"soort": "momentopname", "datum": "2026-01-03", "casus": {"kindcheck": "ja"}},
            ],
            "gebeurtenissen.2.casus.kindcheck",
        ),
    ],
)
def test_a_fact_and_a_group_at_one_place_is_a_located_error(
    events: list[dict[str, Any]], where: str, tmp_path: Path
) -> None:
    # Found by the dossier fuzzer: a momentopname whose case facts put a fact where another event
    # put a group (or the reverse) raised a TypeError while the facts were nested; also out of
    # `meldcode-rules monitor`, which refuses only documented errors.
    for engine in ENGINES:
        with pytest.raises(CaseError) as error:
            evaluate({"gebeurtenissen": events}, op=D(2026, 3, 1), engine=engine)
        assert where in str(error.value)
    from meldcode_rules.monitor import Opties, monitor

    lines = json.dumps({"gebeurtenissen": events}) + "\n" + json.dumps(HULP) + "\n"
    path = tmp_path / "dossiers.jsonl"
    path.write_text(lines, encoding="utf-8")
    totals = monitor([str(path)], Opties(op=D(2026, 3, 1), engine=ENGINES[-1]))
    assert (totals.gelezen, totals.beoordeeld, totals.geweigerd) == (2, 1, 1)


def test_a_peildatum_on_the_last_day_is_judged_never_an_overflow() -> None:
    # Found by the dossier fuzzer: as of 9999-12-31 an action's deadline counted from the
    # peildatum (combine.deadline) overflowed, where the clocks hold it at the last day.
    weighed = {"vermoeden": "ja", "structurele_onveiligheid": "ja", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"}
    dossier = {
        "gebeurtenissen": [
            {"soort": "afweging", "datum": "9999-12-29", **weighed},
            {"soort": "hulp_gestart", "datum": "9999-12-30"},
        ]
    }
    for engine in ENGINES:
        judgement = evaluate(dossier, op=D(9999, 12, 31), engine=engine, sector="gezondheidszorg")
        assert judgement.melden in ("ja", "onbekend")
        assert all(a.deadline is None or a.deadline <= D(9999, 12, 31) for a in judgement.acties)


VGV_MET_TIJD = {
    "dossier_id": "VGV-UUR",
    "gebeurtenissen": [
        {"soort": "signaal", "datum": "2026-11-20T09:00", "herkomst": "client", "vormen": ["vgv"]},
        {"soort": "afweging", "datum": "2026-11-20T09:30", "vermoeden": "ja", "acute_onveiligheid": "ja"},
    ],
}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_termijn_in_hours_from_an_event_with_a_time_is_a_deadline_to_the_hour(engine: str) -> None:
    # VGV with an acute threat: the police and the VGV specialist within the hour [MN-VGV]. An
    # afweging at 09:30 gives a deadline of 10:30 that day, overdue at 10:45, not at 10:15.
    def uur_acties(op: dt.date) -> dict[str, Any]:
        oordeel = evaluate(VGV_MET_TIJD, engine=engine, op=op)
        return {a.code: a for a in oordeel.acties if a.termijn == "1 uur"}

    before = uur_acties(dt.datetime(2026, 11, 20, 10, 15))
    assert set(before) == {"politie_inschakelen", "deskundige_raadplegen"}
    for actie in before.values():
        assert actie.deadline == dt.datetime(2026, 11, 20, 10, 30)
        assert (actie.verlopen, actie.dagen_verlopen) == (False, None)
    for actie in uur_acties(dt.datetime(2026, 11, 20, 10, 45)).values():
        # less than a day late: overdue, with no whole day to count
        assert (actie.verlopen, actie.dagen_verlopen) == (True, None)
        assert actie.hoe_lang_verlopen() == "minder dan een dag"
    # a peildatum without a time compares by the day
    assert all(a.verlopen is False for a in uur_acties(dt.date(2026, 11, 20)).values())
    assert all(a.dagen_verlopen == 1 for a in uur_acties(dt.date(2026, 11, 21)).values())
    # a termijn in days keeps counting whole days from the event's day
    direct = evaluate(VGV_MET_TIJD, engine=engine, op=dt.datetime(2026, 11, 20, 10, 45))
    assert {a.code: a.deadline for a in direct.acties}["melden_veilig_thuis"] == dt.date(2026, 11, 20)


def test_a_deadline_to_the_hour_is_written_and_read_back_as_json_and_shown() -> None:
    oordeel = evaluate(VGV_MET_TIJD, engine="reference", op=dt.datetime(2026, 11, 20, 10, 45))
    data = json.loads(oordeel.model_dump_json())
    politie = next(a for a in data["acties"] if a["code"] == "politie_inschakelen")
    assert politie["deadline"] == "2026-11-20T10:30:00"
    assert Judgement.model_validate_json(oordeel.model_dump_json()) == oordeel
    from rich.console import Console

    from meldcode_rules.explain.render_text import print_judgement

    console = Console(record=True, width=200)
    print_judgement(oordeel, console)
    assert "VERLOPEN: minder dan een dag" in console.export_text()


def test_deadlines_of_a_day_and_to_the_hour_compare_as_moments() -> None:
    # An action dated by several running clocks takes the most urgent deadline; a day lasts to
    # its end, so 10:30 that day comes first, and the day before comes before both.
    from meldcode_rules.dossier.oordeel import _urgentie

    limits = [D(2026, 11, 20), None, dt.datetime(2026, 11, 20, 10, 30), D(2026, 11, 19)]
    assert sorted(limits, key=_urgentie) == [D(2026, 11, 19), dt.datetime(2026, 11, 20, 10, 30), D(2026, 11, 20), None]
