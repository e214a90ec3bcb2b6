"""Regressions for three basismodel findings of the example review (each can fail)."""

from __future__ import annotations

from meldcode_rules import evaluate

HULP = {
    "vermoeden": "ja",
    "acute_onveiligheid": "nee",
    "structurele_onveiligheid": "nee",
    "hulp_mogelijk": "ja",
    "hulp_aanvaard": "ja",
}


def test_help_rule_does_not_fire_when_help_is_known_to_fail() -> None:
    oordeel = evaluate({"afweging": {**HULP, "hulp_effectief": "nee"}}, engine="reference")
    regels = [r.regel for r in oordeel.redenering]
    assert oordeel.melden == "ja"
    assert "meldnorm3-hulp-niet-effectief" in regels
    assert "afweging4-hulp-bieden" not in regels
    assert "hulp_bieden_of_organiseren" not in [a.code for a in oordeel.acties]


def test_no_suspicion_does_not_close_while_unsafety_is_unanswered() -> None:
    oordeel = evaluate({"afweging": {"vermoeden": "nee"}}, engine="reference")
    assert oordeel.melden == "onbekend"
    assert "afsluiten_en_vastleggen" not in [a.code for a in oordeel.acties]
    assert [v.feit for v in oordeel.open_vragen][:2] == [
        "afweging.acute_onveiligheid",
        "afweging.structurele_onveiligheid",
    ]
    answered = {"vermoeden": "nee", "acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"}
    # With vraag 2 answered nee there is no report; closing also waits for stap 1-3 (issue 15).
    nog_open = evaluate({"afweging": answered}, engine="reference")
    assert (nog_open.melden, nog_open.besluit) == ("nee", "verder_met_stappen")
    assert "afsluiten_en_vastleggen" not in [a.code for a in nog_open.acties]
    stappen = {"signalen_vastgelegd": "ja", "collega_geraadpleegd": "ja", "gesprek_gevoerd": "ja"}
    gesloten = evaluate({"afweging": answered, "stappen": stappen}, engine="reference")
    assert (gesloten.melden, gesloten.besluit) == ("nee", "afsluiten")


def test_honour_based_violence_report_is_not_discussed_with_the_family_first() -> None:
    case = {"vormen": ["eergerelateerd_geweld"], "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
    oordeel = evaluate(case, engine="reference")
    codes = [a.code for a in oordeel.acties]
    assert oordeel.melden == "ja"
    assert "melding_bespreken_met_client" not in codes
    assert "deskundige_raadplegen" in codes
    assert "melding-eergerelateerd-niet-vooraf-bespreken" in [r.regel for r in oordeel.redenering]
    gewoon = evaluate({"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}, engine="reference")
    assert "melding_bespreken_met_client" in [a.code for a in gewoon.acties]
