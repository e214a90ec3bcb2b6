"""One definition of how conclusions combine, on two carriers that agree.

``judge.algebra`` is evaluated on a space of many cases (bitmasks, as
``check`` does) and on the space of one case (as ``combine`` does for every
judgement). Here both meet: for sampled cases of a space over every rule of
every sector, the space's sets at that case's bit must be exactly the
judgement the evaluator gives for it (melden, besluit, stap, actions with the
chosen text, records, open questions).
"""

from __future__ import annotations

import random

import pytest

from meldcode_rules.check.context import evaluate_flat, space_for
from meldcode_rules.check.semantics import fire
from meldcode_rules.check.space import flat_case
from meldcode_rules.judge import combine
from meldcode_rules.judge.algebra import Combination, RuleCases, actie_volgorde, termijn_uren, the_value
from meldcode_rules.sectors.registry import compiled_for

SECTORS = (None, "gezondheidszorg", "jeugdhulp", "onderwijs", "kinderopvang", "maatschappelijke_ondersteuning")


def _bit(mask: int, index: int) -> bool:
    return bool(mask >> index & 1)


@pytest.mark.parametrize("sector", SECTORS)
def test_the_space_and_the_single_case_judgement_agree(sector: str | None) -> None:
    compiled = compiled_for(sector)
    rules = compiled.rules
    space = space_for(compiled, rules)
    fired = fire(space, rules)
    combination = combine._plan(compiled).combination  # the one combine judges with
    melden = combination.melden(fired)
    besluit = combination.besluit(fired, melden)
    stap = combination.stap(fired)
    codes = combination.actie_codes(fired)
    keuze = combination.actie_keuze(fired)
    records = combination.vastleggingen(fired)
    vragen = combination.vraag_kandidaten(fired, melden)
    seen_melden = set()
    for index in random.Random(5).sample(range(space.size), 120):
        flat = flat_case(compiled.catalog, space.assignment(index))
        judgement = evaluate_flat(compiled, flat)
        at = {v: _bit(m, index) for v, m in melden.per_value.items()}
        assert [v for v, here in at.items() if here] == [judgement.melden]
        seen_melden.add(judgement.melden)
        assert [b for b, m in besluit.items() if _bit(m, index)] == [judgement.besluit]
        assert [k for k, m in stap.items() if _bit(m, index)] == [judgement.stap]
        assert {c for c, m in codes.items() if _bit(m, index)} == {a.code for a in judgement.acties}
        for actie in judgement.acties:
            chosen = [a for _r, a, m in keuze[actie.code] if _bit(m, index)]
            assert len(chosen) == 1
            assert (chosen[0].tekst, chosen[0].termijn) == (actie.tekst, actie.termijn)
        assert {t for t, m in records.items() if _bit(m, index)} == {v.tekst for v in judgement.vastleggen}
        asked = set()
        for fact, by_rule in vragen.items():
            spec = compiled.catalog[fact]
            unknown = spec.kind != "tri" or flat[spec.key()] == "onbekend"
            if unknown and any(_bit(m, index) for _r, m in by_rule):
                asked.add(fact)
        assert asked == {v.feit for v in judgement.open_vragen}
    assert len(seen_melden) >= 2  # the sample reaches more than one outcome


def test_one_case_is_a_space_of_one() -> None:
    compiled = compiled_for(None)
    combination = Combination(compiled.rules)
    nothing = RuleCases.one_case((), ())
    melden = combination.melden(nothing)
    assert melden.vangnet == 1
    assert the_value(melden.per_value) == "onbekend"
    assert the_value(combination.besluit(nothing, melden)) == "onvoldoende_informatie"
    assert the_value(combination.stap(nothing)) == 1
    assert not any(combination.actie_codes(nothing).values())


def test_protective_order_on_a_two_case_space() -> None:
    # Case 0: a ja rule and a nee rule fire for certain; case 1: only the nee rule, and
    # a ja rule may fire. melden is ja on case 0 and onbekend (not nee) on case 1.
    compiled = compiled_for(None)
    ja = next(r for r in compiled.rules if r.dan.melden == "ja")
    nee = next(r for r in compiled.rules if r.dan.melden == "nee")
    combination = Combination([ja, nee])
    fired = RuleCases({ja.id: 0b01, nee.id: 0b11}, {ja.id: 0b11, nee.id: 0b11}, 0b11)
    melden = combination.melden(fired)
    assert melden.per_value == {"nee": 0, "onbekend": 0b10, "ja": 0b01}
    assert melden.vangnet == 0


def test_the_most_urgent_termijn_first() -> None:
    assert termijn_uren("direct") < termijn_uren("4 uren") < termijn_uren("1 dag") < termijn_uren("1 werkdag")
    assert termijn_uren("5 werkdagen") < termijn_uren("2 weken") < termijn_uren(None)


def test_actions_stand_in_meldcode_order() -> None:
    # (code, termijn, stap, volgorde, place in the catalog)
    acties = [
        ("aangifte_doen", "direct", 5, 4, 20),
        ("melden_veilig_thuis", "direct", 5, None, 7),
        ("afwegen", None, 4, None, 6),
        ("bevoegd_gezag_informeren", "direct", 5, 1, 18),
        ("collega_raadplegen", "1 week", 2, None, 2),
        ("politie_zonder_stap", "1 dag", None, None, 30),
        ("hulp_bieden_of_organiseren", "1 dag", 5, None, 10),
        ("veilig_thuis_raadplegen", "1 week", 2, None, 3),
    ]
    ordered = [a[0] for a in sorted(acties, key=lambda a: actie_volgorde(*a))]
    assert ordered == [
        "politie_zonder_stap",  # no step: not held behind the steps
        "collega_raadplegen",  # step 2 before step 4 before step 5
        "veilig_thuis_raadplegen",  # same step and termijn: catalog order
        "afwegen",
        "bevoegd_gezag_informeren",  # step 5, direct: the route's order (1 before 4) ...
        "aangifte_doen",
        "melden_veilig_thuis",  # ... then actions without a route order
        "hulp_bieden_of_organiseren",  # less urgent
    ]
