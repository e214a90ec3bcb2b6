"""The basismodel, case by case: every branch of meldcode.md, with every engine.

Expected outcomes are read from shared/domain/meldcode.md (the afwegingskader
table, the meldnormen, "after the decision to report", the kindcheck and the
special forms); where the basismodel adds a default of its own (the 6-week
re-assessment), the ruleset file says so and the test follows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from meldcode_rules import evaluate
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.sectors.registry import builtin_ruleset_dir, compile_from, compiled_for
from strategies import CATALOG, ENGINES

DATUM = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def case(**facts: Any) -> dict[str, Any]:
    """A case dict from ``afweging__vermoeden="ja"``-style keyword arguments."""
    out: dict[str, Any] = {"datum": DATUM.isoformat()}
    for name, value in facts.items():
        *parents, leaf = name.split("__")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def judge(engine: str, **facts: Any) -> Judgement:
    return evaluate(case(**facts), engine=engine)


def codes(oordeel: Judgement) -> set[str]:
    return {a.code for a in oordeel.acties}


def actie(oordeel: Judgement, code: str) -> Any:
    (found,) = [a for a in oordeel.acties if a.code == code]
    return found


def fired(oordeel: Judgement) -> set[str]:
    return {r.regel for r in oordeel.redenering}


def open_feiten(oordeel: Judgement) -> list[str]:
    return [v.feit for v in oordeel.open_vragen]


GEEN_ONVEILIGHEID = {"afweging__acute_onveiligheid": "nee", "afweging__structurele_onveiligheid": "nee"}
#: Stap 1 tot en met 3 gezet: afwegingsvraag 1 rust erop, en afsluiten wacht erop (issue 15).
STAPPEN_GEDAAN = {
    "stappen__signalen_vastgelegd": "ja",
    "stappen__collega_geraadpleegd": "ja",
    "stappen__gesprek_gevoerd": "ja",
}
HULP_LOOPT = {
    "afweging__vermoeden": "ja",
    **GEEN_ONVEILIGHEID,
    "afweging__hulp_mogelijk": "ja",
    "afweging__hulp_aanvaard": "ja",
}


# ---------------------------------------------------------------- the afwegingsvragen


def test_vraag1_nee_closes_and_records(engine: str) -> None:
    # Vraag 2 is answered too: the basismodel lets unsafety outrank vraag 1 (see below), so
    # with vraag 2 unknown the answer is `onbekend` (see the report of core-tests).
    oordeel = judge(engine, afweging__vermoeden="nee", **GEEN_ONVEILIGHEID, **STAPPEN_GEDAAN)
    assert oordeel.melden == "nee"
    assert oordeel.besluit == "afsluiten"
    assert oordeel.stap == 5
    assert "afsluiten_en_vastleggen" in codes(oordeel)
    assert "melden_veilig_thuis" not in codes(oordeel)


def test_unsafety_outranks_a_contradictory_vraag1_nee(engine: str) -> None:
    # Who sees acute unsafety has a suspicion; safety first, the contradiction is recorded.
    oordeel = judge(engine, afweging__vermoeden="nee", afweging__acute_onveiligheid="ja")
    assert oordeel.melden == "ja"
    assert "melden_veilig_thuis" in codes(oordeel)
    assert any("Tegenstrijdig" in v.tekst for v in oordeel.vastleggen)


@pytest.mark.parametrize("which", ["acute_onveiligheid", "structurele_onveiligheid"])
def test_vraag2_ja_reports(engine: str, which: str) -> None:
    oordeel = judge(engine, afweging__vermoeden="ja", **{f"afweging__{which}": "ja"})
    assert oordeel.melden == "ja"
    assert oordeel.besluit == "melden"
    assert oordeel.stap == 5
    assert "melden_veilig_thuis" in codes(oordeel)


def test_vraag2_acute_reports_at_once(engine: str) -> None:
    oordeel = judge(engine, afweging__vermoeden="ja", afweging__acute_onveiligheid="ja")
    melden = actie(oordeel, "melden_veilig_thuis")
    assert melden.termijn == "direct"
    assert melden.deadline == DATUM
    assert oordeel.acties[0].termijn == "direct"  # most urgent first


@pytest.mark.parametrize("prior", ["ja", True])
def test_vraag2_reports_even_when_another_professional_already_reported(engine: str, prior: Any) -> None:
    oordeel = judge(
        engine, afweging__vermoeden="ja", afweging__structurele_onveiligheid="ja", eerder_gemeld_door_ander=prior
    )
    assert oordeel.melden == "ja"
    melden = actie(oordeel, "melden_veilig_thuis")
    assert "meldnorm1-ook-als-ander-al-meldde" in melden.regels


def test_vraag3_nee_reports(engine: str) -> None:
    oordeel = judge(engine, afweging__vermoeden="ja", **GEEN_ONVEILIGHEID, afweging__hulp_mogelijk="nee")
    assert oordeel.melden == "ja"
    assert oordeel.besluit == "melden"
    assert "melden_veilig_thuis" in codes(oordeel)


def test_vraag4_nee_reports(engine: str) -> None:
    oordeel = judge(
        engine,
        afweging__vermoeden="ja",
        **GEEN_ONVEILIGHEID,
        afweging__hulp_mogelijk="ja",
        afweging__hulp_aanvaard="nee",
    )
    assert oordeel.melden == "ja"
    assert oordeel.besluit == "melden"
    assert "melden_veilig_thuis" in codes(oordeel)


def test_vraag4_ja_gives_help_and_a_dated_reassessment_not_an_unknown_report(engine: str) -> None:
    oordeel = judge(engine, **HULP_LOOPT)  # vraag 5 is still open: the help has just started
    assert oordeel.melden == "nee"  # not `onbekend`: vraag 5 is answered later by design
    assert oordeel.besluit == "hulp_bieden_of_organiseren"
    assert {"hulp_bieden_of_organiseren", "veiligheid_monitoren", "herbeoordelen"} <= codes(oordeel)
    herbeoordelen = actie(oordeel, "herbeoordelen")
    assert herbeoordelen.termijn == "6 weken"  # the basismodel's stated default (no national norm)
    assert herbeoordelen.deadline == DATUM + dt.timedelta(weeks=6)
    assert "afweging.hulp_effectief" not in open_feiten(oordeel)
    assert "melden_veilig_thuis" not in codes(oordeel)


def test_vraag5_nee_reports_again(engine: str) -> None:
    oordeel = judge(engine, **HULP_LOOPT, afweging__hulp_effectief="nee")
    assert oordeel.melden == "ja"
    assert oordeel.besluit == "melden"
    assert "melden_veilig_thuis" in codes(oordeel)
    assert "herbeoordelen" not in codes(oordeel)


def test_vraag5_ja_closes_with_monitoring_agreements(engine: str) -> None:
    oordeel = judge(engine, **HULP_LOOPT, afweging__hulp_effectief="ja", **STAPPEN_GEDAAN)
    assert oordeel.melden == "nee"
    assert oordeel.besluit == "afsluiten"
    assert {"veiligheid_monitoren", "afsluiten_en_vastleggen"} <= codes(oordeel)
    assert "herbeoordelen" not in codes(oordeel)
    assert "melden_veilig_thuis" not in codes(oordeel)


def test_unsafety_with_help_accepted_is_melden_en_hulp(engine: str) -> None:
    # Vraag 2 ja: report; questions 3-5 are worked through together with Veilig Thuis.
    oordeel = judge(
        engine,
        afweging__vermoeden="ja",
        afweging__acute_onveiligheid="ja",
        afweging__hulp_mogelijk="ja",
        afweging__hulp_aanvaard="ja",
        afweging__hulp_effectief="ja",
    )
    assert oordeel.melden == "ja"
    assert oordeel.besluit == "melden_en_hulp"
    assert {"melden_veilig_thuis", "hulp_bieden_of_organiseren"} <= codes(oordeel)


def test_unknown_vraag2_with_suspicion_is_onbekend_with_the_question(engine: str) -> None:
    oordeel = judge(engine, afweging__vermoeden="ja", afweging__hulp_mogelijk="ja", afweging__hulp_aanvaard="ja")
    assert oordeel.melden == "onbekend"
    assert oordeel.besluit == "onvoldoende_informatie"
    assert {"afweging.acute_onveiligheid", "afweging.structurele_onveiligheid"} <= set(open_feiten(oordeel))


def test_empty_case_asks_the_open_questions_in_meldcode_order(engine: str) -> None:
    oordeel = evaluate({"datum": DATUM.isoformat()}, engine=engine)
    assert oordeel.melden == "onbekend"
    feiten = open_feiten(oordeel)
    volgorde = [CATALOG[f].volgorde for f in feiten]
    assert volgorde == sorted(volgorde)
    assert len(feiten) == len(set(feiten))
    wanted = [
        "afweging.vermoeden",
        "afweging.acute_onveiligheid",
        "afweging.structurele_onveiligheid",
        "afweging.hulp_mogelijk",
        "afweging.hulp_aanvaard",
    ]
    assert [f for f in feiten if f in wanted] == wanted
    assert "afweging.hulp_effectief" not in feiten  # answered later, by design
    for vraag in oordeel.open_vragen:
        assert vraag.vraag and vraag.regels


# ---------------------------------------------------------------- the five steps


def test_steps_progress_from_1_to_4(engine: str) -> None:
    assert judge(engine).stap == 1
    assert "signalen_vastleggen" in codes(judge(engine))
    assert judge(engine, stappen__signalen_vastgelegd="ja").stap == 2
    stap2 = {"stappen__signalen_vastgelegd": "ja", "stappen__collega_geraadpleegd": "ja"}
    oordeel = judge(engine, **stap2)
    assert oordeel.stap == 3
    assert "gesprek_voeren" in codes(oordeel)
    # Stap 2 is collegial consultation, also when Veilig Thuis was consulted (Besluit art. 2;
    # issue 15): advice from Veilig Thuis alone leaves the case in step 2.
    alleen_vt = judge(engine, stappen__signalen_vastgelegd="ja", stappen__veilig_thuis_geraadpleegd="ja")
    assert alleen_vt.stap == 2
    assert "collega_raadplegen" in codes(alleen_vt)
    oordeel = judge(engine, **stap2, stappen__gesprek_gevoerd="ja")
    assert oordeel.stap == 4
    assert "afwegen" in codes(oordeel)
    # Vraag 1 nee with vraag 2 still open stays in step 4 (the question is asked, not closed) ...
    open_vraag2 = judge(engine, **stap2, stappen__gesprek_gevoerd="ja", afweging__vermoeden="nee")
    assert (open_vraag2.stap, open_vraag2.melden) == (4, "onbekend")
    assert "afwegen" in codes(open_vraag2)
    # ... and closes in step 5 once vraag 2 is answered nee.
    gesloten = judge(
        engine,
        **stap2,
        stappen__gesprek_gevoerd="ja",
        afweging__vermoeden="nee",
        afweging__acute_onveiligheid="nee",
        afweging__structurele_onveiligheid="nee",
    )
    assert (gesloten.stap, gesloten.besluit) == (5, "afsluiten")


@pytest.mark.parametrize("reden", ["veiligheid", "contact_verbreken"])
def test_conversation_skipped_on_allowed_ground_engages_veilig_thuis(engine: str, reden: str) -> None:
    oordeel = judge(
        engine,
        stappen__signalen_vastgelegd="ja",
        stappen__collega_geraadpleegd="ja",
        stappen__gesprek_gevoerd="nee",
        stappen__gesprek_overgeslagen_reden=reden,
    )
    assert "gesprek_voeren" not in codes(oordeel)
    assert "veilig_thuis_raadplegen" in codes(oordeel)
    assert oordeel.stap == 4


def test_niet_pluis_asks_veilig_thuis_at_once(engine: str) -> None:
    # Seed 000: at a niet-pluis gevoel, ask Veilig Thuis for advice at once.
    oordeel = judge(engine, afweging__vermoeden="onbekend")
    assert actie(oordeel, "veilig_thuis_raadplegen").termijn == "direct"
    assert "veilig_thuis_raadplegen" not in codes(judge(engine, stappen__veilig_thuis_geraadpleegd="ja"))


# ---------------------------------------------------------------- after the decision to report

MELDEN = {"afweging__vermoeden": "ja", "afweging__acute_onveiligheid": "ja"}


def test_report_is_discussed_with_the_client_beforehand(engine: str) -> None:
    oordeel = judge(engine, **MELDEN)
    assert actie(oordeel, "melding_bespreken_met_client").termijn == "direct"
    assert "veiligheid_monitoren" in codes(oordeel)  # stay involved after reporting
    assert "melding_bespreken_met_client" not in codes(judge(engine, **MELDEN, melding__besproken_met_client="ja"))


@pytest.mark.parametrize("reden", ["veiligheid_client", "veiligheid_professional", "contact_verbreken"])
def test_the_three_exceptions_to_discussing_the_report(engine: str, reden: str) -> None:
    oordeel = judge(engine, **MELDEN, melding__besproken_met_client="nee", melding__niet_besproken_reden=reden)
    assert oordeel.melden == "ja"  # an exception changes how, never whether
    assert "melding_bespreken_met_client" not in codes(oordeel)
    assert "melding-niet-besproken-grond" in fired(oordeel)
    assert any("grond" in v.tekst for v in oordeel.vastleggen)


def test_no_discussion_action_without_a_report(engine: str) -> None:
    assert "melding_bespreken_met_client" not in codes(judge(engine, afweging__vermoeden="nee"))


def test_check_that_the_report_arrived(engine: str) -> None:
    assert "ontvangst_controleren" in codes(judge(engine, **MELDEN))
    assert "ontvangst_controleren" in codes(judge(engine, **MELDEN, melding__ontvangst_bevestigd="nee"))
    assert "ontvangst_controleren" not in codes(judge(engine, **MELDEN, melding__ontvangst_bevestigd="ja"))
    assert "ontvangst_controleren" not in codes(judge(engine, **HULP_LOOPT, afweging__hulp_effectief="ja"))


# ---------------------------------------------------------------- kindcheck


@pytest.mark.parametrize(
    "problem", ["psychiatrisch", "verslaving", "partnergeweld", "lvb", "suicidepoging", "depressie"]
)
def test_kindcheck_triggers(engine: str, problem: str) -> None:
    oordeel = judge(engine, kindcheck__problematiek=[problem])
    assert "kindcheck_uitvoeren" in codes(oordeel)
    assert {"kindcheck.zorgt_voor_minderjarigen", "kindcheck.zwanger"} <= set(open_feiten(oordeel))


def test_partner_violence_as_a_form_triggers_the_kindcheck(engine: str) -> None:
    oordeel = judge(engine, vormen=["partnergeweld"])
    assert "kindcheck_uitvoeren" in codes(oordeel)


def test_detention_alone_does_not_trigger_the_kindcheck(engine: str) -> None:
    # meldcode.md: "Detention as a trigger: not confirmed."
    oordeel = judge(engine, kindcheck__problematiek=["detentie"])
    assert "kindcheck_uitvoeren" not in codes(oordeel)
    assert "kindcheck.zorgt_voor_minderjarigen" not in open_feiten(oordeel)


def test_no_trigger_no_kindcheck(engine: str) -> None:
    assert "kindcheck_uitvoeren" not in codes(judge(engine, vormen=["kindermishandeling"]))


@pytest.mark.parametrize(
    "answers",
    [
        {"kindcheck__zorgt_voor_minderjarigen": "ja", "kindcheck__zwanger": "nee"},
        {"kindcheck__zorgt_voor_minderjarigen": "nee", "kindcheck__zwanger": "ja"},
    ],
)
def test_kindcheck_with_children_or_pregnancy_judges_their_safety(engine: str, answers: dict[str, str]) -> None:
    oordeel = judge(engine, kindcheck__problematiek=["verslaving"], **answers)
    assert "kindcheck_uitvoeren" in codes(oordeel)
    assert any("leeftijden" in v.tekst for v in oordeel.vastleggen)
    assert "kindcheck.zwanger" not in open_feiten(oordeel)


def test_kindcheck_without_children_records_and_closes_the_check(engine: str) -> None:
    oordeel = judge(
        engine,
        kindcheck__problematiek=["psychiatrisch"],
        kindcheck__zorgt_voor_minderjarigen="nee",
        kindcheck__zwanger="nee",
    )
    assert "kindcheck_uitvoeren" not in codes(oordeel)
    assert "kindcheck-geen-kinderen" in fired(oordeel)


# ---------------------------------------------------------------- special forms


@pytest.mark.parametrize("vorm", ["eergerelateerd_geweld", "huwelijksdwang", "achterlating"])
def test_honour_related_forms_consult_an_expert_and_no_conversation_first(engine: str, vorm: str) -> None:
    oordeel = judge(engine, vormen=[vorm], stappen__gesprek_gevoerd="nee")
    assert actie(oordeel, "deskundige_raadplegen").termijn == "direct"
    assert "gesprek_voeren" not in codes(oordeel)
    assert "politie_inschakelen" not in codes(judge(engine, vormen=[vorm], **GEEN_ONVEILIGHEID))


@pytest.mark.parametrize("vorm", ["eergerelateerd_geweld", "huwelijksdwang", "achterlating"])
def test_honour_related_forms_with_acute_unsafety_engage_the_police(engine: str, vorm: str) -> None:
    oordeel = judge(engine, vormen=[vorm], afweging__vermoeden="ja", afweging__acute_onveiligheid="ja")
    assert oordeel.melden == "ja"
    assert {"politie_inschakelen", "deskundige_raadplegen", "melden_veilig_thuis"} <= codes(oordeel)
    assert "gesprek_voeren" not in codes(oordeel)


def test_vgv_acute_threat_expert_and_police_within_the_hour(engine: str) -> None:
    oordeel = judge(engine, vormen=["vgv"], afweging__vermoeden="ja", afweging__acute_onveiligheid="ja")
    assert oordeel.melden == "ja"
    assert actie(oordeel, "deskundige_raadplegen").termijn == "1 uur"
    politie = actie(oordeel, "politie_inschakelen")
    assert politie.termijn == "1 uur"
    assert politie.deadline == DATUM


def test_vgv_without_acute_threat_asks_no_police(engine: str) -> None:
    oordeel = judge(engine, vormen=["vgv"], afweging__vermoeden="ja", **GEEN_ONVEILIGHEID)
    assert "politie_inschakelen" not in codes(oordeel)


def test_sexual_violence_engages_the_centre_within_7_days(engine: str) -> None:
    oordeel = judge(engine, vormen=["seksueel_geweld"])
    csg = actie(oordeel, "centrum_seksueel_geweld_inschakelen")
    assert csg.termijn == "7 dagen"
    assert csg.deadline == DATUM + dt.timedelta(days=7)
    assert "afweging.acute_onveiligheid" in open_feiten(oordeel)  # acute when repetition is likely


@pytest.mark.parametrize("vorm", ["ouderenmishandeling", "financiele_uitbuiting"])
def test_elder_abuse_asks_about_structural_unsafety(engine: str, vorm: str) -> None:
    oordeel = judge(engine, vormen=[vorm])
    assert "afweging.structurele_onveiligheid" in open_feiten(oordeel)
    assert "vorm-ouderenmishandeling" in fired(oordeel)
    reported = judge(engine, vormen=[vorm], afweging__vermoeden="ja", afweging__structurele_onveiligheid="ja")
    assert reported.melden == "ja"


# ---------------------------------------------------------------- explanation and provenance


@pytest.mark.parametrize(
    "facts",
    [
        {},
        MELDEN,
        HULP_LOOPT,
        {"vormen": ["vgv", "eergerelateerd_geweld", "seksueel_geweld"], **MELDEN},
        {"kindcheck__problematiek": ["verslaving"], "afweging__vermoeden": "nee"},
    ],
)
def test_every_reason_cites_a_source(engine: str, facts: dict[str, Any]) -> None:
    oordeel = judge(engine, **facts)
    assert oordeel.redenering
    for reden in oordeel.redenering:
        assert reden.bron.strip(), reden
        assert reden.uitleg.strip(), reden
    for item in oordeel.acties:
        assert set(item.regels) <= fired(oordeel)


def test_every_basismodel_rule_has_a_source() -> None:
    for rule in compiled_for().rules:
        assert rule.bron.strip() and rule.uitleg.strip(), rule.id


def test_judgement_names_ruleset_version_and_file_hash(engine: str) -> None:
    path = builtin_ruleset_dir() / "basismodel.yaml"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    (ref,) = judge(engine).ruleset
    assert ref.id == "basismodel" == data["id"]
    assert ref.versie == str(data["versie"])
    assert ref.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_example_case_reports(engine: str) -> None:
    from meldcode_rules.api import read_case_file

    example = Path(__file__).resolve().parents[1] / "examples" / "acuut-eerder-gemeld.yaml"
    oordeel = evaluate(read_case_file(example), engine=engine)
    assert oordeel.melden == "ja"
    assert "melden_veilig_thuis" in codes(oordeel)


TINY = """\
id: basismodel
titel: Een ruleset die niets over melden zegt
versie: "0"
geldig_vanaf: 2024-01-01
bron: test
acties:
  - {code: signalen_vastleggen, omschrijving: Signalen vastleggen}
regels:
  - id: alleen-stap-1
    titel: Alleen stap 1
    bron: test
    uitleg: Deze regel zegt niets over melden.
    als: {feit: stappen.signalen_vastgelegd, in: [nee, onbekend]}
    dan:
      stap: 1
      acties: [{code: signalen_vastleggen, tekst: Leg de signalen vast.}]
"""


def test_a_ruleset_that_decides_nothing_says_onbekend_with_the_safety_net(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    compiled = compile_from([path])
    for facts in ({}, {"afweging": {"vermoeden": "nee"}}, {"stappen": {"signalen_vastgelegd": "ja"}}):
        oordeel = evaluate(facts, engine=engine, ruleset=compiled)
        assert oordeel.melden == "onbekend", facts
        assert "veiligheidsnet" in fired(oordeel), facts
        safety_net = next(r for r in oordeel.redenering if r.regel == "veiligheidsnet")
        assert safety_net.bron.strip()
