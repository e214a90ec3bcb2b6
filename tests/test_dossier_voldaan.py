"""An action the dossier shows done is `voldaan`, never overdue; nothing else changes (issue 10).

Before, an action with a termijn that no event could record (the police, the IGJ, an expert
consulted) stayed overdue for ever once its termijn passed, and so the dossier stayed on the
monitor's work list. A `consultatie` with the expert or the Centrum Seksueel Geweld, my own
`melding` (for the advice of Veilig Thuis) and `actie_uitgevoerd` (any other action) now show
it done. An action whose doing has an event of its own is refused in `actie_uitgevoerd`,
naming that event: it can never silence a re-assessment or a receipt check.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from tests.dossier_strategies import dossiers

from meldcode_rules.case.dossier import EIGEN_GEBEURTENIS, Dossier
from meldcode_rules.diagnostics import CaseError
from meldcode_rules.dossier import evaluate, parse_dossier, read_input_text
from meldcode_rules.engines import durable_available
from meldcode_rules.judge.judgement import Actie, Judgement
from meldcode_rules.monitor.judge import beoordeel
from meldcode_rules.schema import generate

ENGINES = ["reference", "durable"] if durable_available() else ["reference"]
OP = dt.date(2026, 12, 1)

#: honour-based violence, acute: an expert, the police and a report are due at once
EERGERELATEERD: list[dict[str, Any]] = [
    {"soort": "signaal", "datum": "2026-10-01", "herkomst": "school", "vormen": ["eergerelateerd_geweld"]},
    {"soort": "consultatie", "datum": "2026-10-02", "met": "collega"},
    {"soort": "afweging", "datum": "2026-10-05", "vermoeden": "ja", "acute_onveiligheid": "ja"},
]


def judged(*events: dict[str, Any], engine: str = "reference") -> Judgement:
    return evaluate({"dossier_id": "VOLDAAN-1", "gebeurtenissen": [*EERGERELATEERD, *events]}, engine=engine, op=OP)


def actie(oordeel: Judgement, code: str) -> Actie:
    return next(a for a in oordeel.acties if a.code == code)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_expert_consulted_is_done_and_not_overdue(engine: str) -> None:
    before = actie(judged(engine=engine), "deskundige_raadplegen")
    assert before.verlopen is True and before.voldaan is None
    after = actie(
        judged({"soort": "consultatie", "datum": "2026-10-02", "met": "deskundige"}, engine=engine),
        "deskundige_raadplegen",
    )
    assert after.verlopen is False and after.voldaan is not None and after.voldaan.soort == "consultatie"
    assert after.deadline == before.deadline  # the deadline itself is the same


@pytest.mark.parametrize("engine", ENGINES)
def test_the_police_engaged_is_recorded_with_actie_uitgevoerd(engine: str) -> None:
    before = actie(judged(engine=engine), "politie_inschakelen")
    assert before.verlopen is True
    done = {"soort": "actie_uitgevoerd", "datum": "2026-10-05", "actie": "politie_inschakelen"}
    after = actie(judged(done, engine=engine), "politie_inschakelen")
    assert after.verlopen is False and after.voldaan is not None and after.voldaan.positie == 4
    # done before the day its termijn counts from: that was for something earlier, not this
    early = actie(judged({**done, "datum": "2026-09-01"}, engine=engine), "politie_inschakelen")
    assert early.verlopen is True and early.voldaan is None
    # another action's code does not do this one
    other = actie(judged({**done, "actie": "igj_melden"}, engine=engine), "politie_inschakelen")
    assert other.verlopen is True and other.voldaan is None


def test_my_own_report_does_what_the_advice_of_veilig_thuis_was_for() -> None:
    before = actie(judged(), "veilig_thuis_raadplegen")
    assert before.voldaan is None
    report = {"soort": "melding", "datum": "2026-10-05", "door": "mij"}
    after = judged(report)
    assert actie(after, "veilig_thuis_raadplegen").voldaan is not None
    assert actie(after, "melden_veilig_thuis").voldaan is not None
    # another's report does neither: my own duty and my own step stay (meldcode, "ook als een ander ...")
    by_other = judged({**report, "door": "ander"})
    assert actie(by_other, "veilig_thuis_raadplegen").voldaan is None
    assert actie(by_other, "melden_veilig_thuis").voldaan is None


@pytest.mark.parametrize("code", sorted(EIGEN_GEBEURTENIS))
def test_an_action_with_an_event_of_its_own_is_refused_naming_the_event_never_the_value(code: str) -> None:
    event = {"soort": "actie_uitgevoerd", "datum": "2026-10-05", "actie": code}
    data = {"dossier_id": "VOLDAAN-2", "gebeurtenissen": [*EERGERELATEERD, event]}
    for attempt in (
        lambda: evaluate(json.loads(json.dumps(data)), op=OP),  # the light path of a dict
        lambda: read_input_text(json.dumps(data), as_json=True),
        lambda: parse_dossier(data),
    ):
        with pytest.raises(CaseError) as raised:
            attempt()
        message = "\n".join(raised.value.problems)
        assert "gebeurtenissen.4.actie" in message and f"`{EIGEN_GEBEURTENIS[code]}`" in message
        assert code not in message.replace(EIGEN_GEBEURTENIS[code], "")
    # the shipped schema says the same to a validator in another language
    schema = generate()["dossier"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data | {"gebeurtenissen": [event]}, schema)
    jsonschema.validate(data | {"gebeurtenissen": [{**event, "actie": "politie_inschakelen"}]}, schema)


def test_the_monitor_takes_a_dossier_off_the_work_list_for_an_action_done() -> None:
    line = {
        "dossier_id": "VOLDAAN-3",
        "gebeurtenissen": [
            *EERGERELATEERD,
            {"soort": "melding", "datum": "2026-10-05", "door": "mij"},
            {"soort": "ontvangst_bevestigd", "datum": "2026-10-06"},
        ],
    }
    open_actions = {s.kenmerk for s in beoordeel(line, OP, "reference", "regel 1").signalen}
    assert "actie_verlopen" in open_actions  # the expert and the police are overdue
    done = [
        {"soort": "consultatie", "datum": "2026-10-02", "met": "deskundige"},
        {"soort": "actie_uitgevoerd", "datum": "2026-10-05", "actie": "politie_inschakelen"},
    ]
    line["gebeurtenissen"] += done
    assert "actie_verlopen" not in {s.kenmerk for s in beoordeel(line, OP, "reference", "regel 1").signalen}


CODES = ("politie_inschakelen", "igj_melden", "aangifte_doen", "contact_afspreken", "bevoegd_gezag_informeren")


@settings(max_examples=60, deadline=None)
@given(dossiers(sectors=(None, "gezondheidszorg", "kinderopvang", "onderwijs")))
def test_an_action_marked_done_changes_nothing_but_that_it_is_done(drawn: tuple[dict[str, Any], dt.date]) -> None:
    data, op = drawn
    last = max(dt.date.fromisoformat(e["datum"][:10]) for e in data["gebeurtenissen"])
    done = [{"soort": "actie_uitgevoerd", "datum": last.isoformat(), "actie": code} for code in CODES]
    for engine in ENGINES:
        plain = evaluate(data, engine=engine, op=op)
        marked = evaluate({**data, "gebeurtenissen": [*data["gebeurtenissen"], *done]}, engine=engine, op=op)
        assert (marked.melden, marked.besluit, marked.stap) == (plain.melden, plain.besluit, plain.stap)
        assert [a.code for a in marked.acties] == [a.code for a in plain.acties]
        for before, after in zip(plain.acties, marked.acties, strict=True):
            assert after.deadline == before.deadline
            if before.code not in CODES:
                assert after.verlopen == before.verlopen and after.voldaan == before.voldaan
            elif before.voldaan is None and after.voldaan is None:
                assert after.verlopen == before.verlopen  # done before the day it counts from
        # the model path judges it alike
        model = Dossier.model_validate({**data, "gebeurtenissen": [*data["gebeurtenissen"], *done]})
        assert evaluate(model, engine=engine, op=op).model_dump() == marked.model_dump()
